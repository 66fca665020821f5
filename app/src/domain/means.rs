//! Means (*middelen*): a person's eHerkenning login credential for one organisation at one
//! assurance level, and its life cycle.
//!
//! State machine (anything else is a [`TransitionError`]):
//! ```text
//! requested ──activate──▶ active ──start_upgrade──▶ upgrade_pending
//!                          ▲  ◀──finish_upgrade / abort_upgrade──┘
//! requested | active | upgrade_pending ──cancel──▶ cancelled   (final)
//!             active | upgrade_pending ──expire──▶ expired     (final)
//! ```
//! The identity steps an activation needs follow from level and employment only
//! ([`identity_steps`]), so the browser can tell a manager in advance what their
//! colleague will be asked to do.

use crate::domain::value::AssuranceLevel;
use crate::domain::TransitionError;
use serde::{Deserialize, Serialize};

super::named_enum! {
    /// The state of a means; `as_str()` is the stored name.
    MeansState {
        Requested = "requested", "aangevraagd";
        Active = "active", "actief";
        UpgradePending = "upgrade_pending", "upgrade loopt";
        Cancelled = "cancelled", "opgezegd";
        Expired = "expired", "verlopen";
    }
}

impl MeansState {
    /// Cancelled and expired means never change again.
    pub fn is_final(self) -> bool {
        matches!(self, MeansState::Cancelled | MeansState::Expired)
    }

    /// Whether the holder can log in with it (also while an upgrade runs).
    pub fn is_usable(self) -> bool {
        matches!(self, MeansState::Active | MeansState::UpgradePending)
    }

    pub fn activate(self) -> Result<MeansState, TransitionError> {
        self.go("activeren", matches!(self, MeansState::Requested), MeansState::Active)
    }

    pub fn start_upgrade(self) -> Result<MeansState, TransitionError> {
        self.go(
            "upgrade starten",
            self == MeansState::Active,
            MeansState::UpgradePending,
        )
    }

    pub fn finish_upgrade(self) -> Result<MeansState, TransitionError> {
        let ok = self == MeansState::UpgradePending;
        self.go("upgrade afronden", ok, MeansState::Active)
    }

    pub fn abort_upgrade(self) -> Result<MeansState, TransitionError> {
        let ok = self == MeansState::UpgradePending;
        self.go("upgrade afbreken", ok, MeansState::Active)
    }

    pub fn cancel(self) -> Result<MeansState, TransitionError> {
        self.go("opzeggen", !self.is_final(), MeansState::Cancelled)
    }

    pub fn expire(self) -> Result<MeansState, TransitionError> {
        self.go("laten verlopen", self.is_usable(), MeansState::Expired)
    }

    fn go(self, action: &str, allowed: bool, to: MeansState) -> Result<MeansState, TransitionError> {
        if allowed {
            Ok(to)
        } else {
            Err(TransitionError::new(self.label_nl(), action))
        }
    }
}

/// A means as stored: who holds it, for which organisation, at which level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Means {
    pub id: String,
    pub person_id: String,
    pub organisation_id: String,
    pub level: AssuranceLevel,
    pub state: MeansState,
    /// Employed by the organisation (*in loondienst*): employees skip the ID check.
    pub employed: bool,
}

/// The identity steps an activation (or upgrade) needs beyond e-mail, SMS and password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct IdentitySteps {
    /// The back office validates an uploaded ID document.
    pub id_check: bool,
    /// The back office identifies the person in person (*aan de balie*).
    pub in_person: bool,
}

/// EH3 and up need a validated identity for non-employees; EH4 always needs
/// identification in person.
pub fn identity_steps(level: AssuranceLevel, employed: bool) -> IdentitySteps {
    IdentitySteps {
        id_check: !employed && level >= AssuranceLevel::Eh3,
        in_person: level == AssuranceLevel::Eh4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use AssuranceLevel::*;
    use MeansState::*;

    type Action = fn(MeansState) -> Result<MeansState, TransitionError>;
    const ACTIONS: [Action; 6] = [
        MeansState::activate,
        MeansState::start_upgrade,
        MeansState::finish_upgrade,
        MeansState::abort_upgrade,
        MeansState::cancel,
        MeansState::expire,
    ];

    #[test]
    fn follows_the_life_cycle() {
        let s = Requested.activate().unwrap();
        assert_eq!(s, Active);
        assert_eq!(s.start_upgrade().unwrap().finish_upgrade(), Ok(Active));
        assert_eq!(UpgradePending.abort_upgrade(), Ok(Active));
        assert_eq!(UpgradePending.cancel(), Ok(Cancelled));
        assert_eq!(Active.expire(), Ok(Expired));
        assert_eq!(
            Requested.expire().unwrap_err().to_string(),
            "Actie 'laten verlopen' is niet toegestaan in toestand 'aangevraagd'."
        );
        assert!(Active.activate().is_err());
        assert!(Requested.start_upgrade().is_err());
    }

    #[test]
    fn names_round_trip() {
        for s in MeansState::ALL {
            assert_eq!(MeansState::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        assert_eq!(MeansState::parse("Active"), None);
        assert_eq!(UpgradePending.label_nl(), "upgrade loopt");
    }

    #[test]
    fn identity_steps_follow_level_and_employment() {
        assert_eq!(identity_steps(Eh2Plus, false), IdentitySteps::default());
        assert_eq!(identity_steps(Eh3, true), IdentitySteps::default());
        assert_eq!(
            identity_steps(Eh3, false),
            IdentitySteps {
                id_check: true,
                in_person: false
            }
        );
        assert_eq!(
            identity_steps(Eh4, true),
            IdentitySteps {
                id_check: false,
                in_person: true
            }
        );
        assert_eq!(
            identity_steps(Eh4, false),
            IdentitySteps {
                id_check: true,
                in_person: true
            }
        );
    }

    proptest! {
        #[test]
        fn final_states_never_move(i in 0usize..6, s in prop::sample::select(vec![Cancelled, Expired])) {
            prop_assert!(ACTIONS[i](s).is_err());
        }

        #[test]
        fn errors_name_the_current_state(i in 0usize..6, s in prop::sample::select(MeansState::ALL.to_vec())) {
            if let Err(e) = ACTIONS[i](s) {
                prop_assert_eq!(e.from, s.label_nl());
            }
        }

        #[test]
        fn random_walks_stay_consistent(steps in prop::collection::vec(0usize..6, 0..30)) {
            let mut s = Requested;
            for i in steps {
                let before = s;
                if let Ok(next) = ACTIONS[i](s) {
                    prop_assert!(!before.is_final());
                    prop_assert!(next != Requested, "nothing leads back to requested");
                    s = next;
                }
                prop_assert_eq!(MeansState::parse(s.as_str()), Some(s));
            }
        }

        #[test]
        fn cancel_works_from_every_open_state(s in prop::sample::select(MeansState::ALL.to_vec())) {
            prop_assert_eq!(s.cancel().is_ok(), !s.is_final());
        }

        #[test]
        fn parse_never_panics(s in ".{0,20}") {
            if let Some(m) = MeansState::parse(&s) {
                prop_assert_eq!(m.as_str(), s);
            }
        }

        #[test]
        fn identity_steps_rules(i in 0usize..4, employed in any::<bool>()) {
            let level = AssuranceLevel::ALL[i];
            let steps = identity_steps(level, employed);
            prop_assert_eq!(steps.in_person, level == Eh4);
            prop_assert_eq!(steps.id_check, !employed && level >= Eh3);
        }
    }
}
