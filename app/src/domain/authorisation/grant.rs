//! The level rules for granting an authorisation.
//!
//! A grant is allowed only when `service level ≤ authorisation level ≤ means level` and
//! `authorisation level ≤ manager level`. Each broken rule has its own [`GrantError`]
//! that names the levels involved, so a manager sees what to change.

use crate::domain::value::AssuranceLevel;
use serde::{Deserialize, Serialize};

/// Why an authorisation cannot be granted at the chosen level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum GrantError {
    #[error("Het middel ({means}) is te zwak voor deze dienst (vereist {service}).")]
    MeansTooWeakForService {
        means: AssuranceLevel,
        service: AssuranceLevel,
    },
    #[error("Het niveau van de machtiging ({authorisation}) is te laag voor deze dienst (vereist {service}).")]
    BelowServiceLevel {
        authorisation: AssuranceLevel,
        service: AssuranceLevel,
    },
    #[error("Het middel ({means}) is te zwak voor een machtiging op {authorisation}.")]
    MeansTooWeak {
        means: AssuranceLevel,
        authorisation: AssuranceLevel,
    },
    #[error("U kunt machtigen tot en met uw eigen niveau ({manager}); {authorisation} is te hoog.")]
    AboveManagerLevel {
        manager: AssuranceLevel,
        authorisation: AssuranceLevel,
    },
}

/// Checks the level rules for a grant. `service_level` is `None` for scopes without a
/// single service ("all up to level", manager). The most fundamental problem is reported
/// first: a means too weak for the service cannot be fixed by choosing another level.
pub fn check_grant(
    service_level: Option<AssuranceLevel>,
    authorisation_level: AssuranceLevel,
    means_level: AssuranceLevel,
    manager_level: AssuranceLevel,
) -> Result<(), GrantError> {
    if let Some(service) = service_level {
        if means_level < service {
            return Err(GrantError::MeansTooWeakForService {
                means: means_level,
                service,
            });
        }
        if authorisation_level < service {
            return Err(GrantError::BelowServiceLevel {
                authorisation: authorisation_level,
                service,
            });
        }
    }
    if means_level < authorisation_level {
        return Err(GrantError::MeansTooWeak {
            means: means_level,
            authorisation: authorisation_level,
        });
    }
    if manager_level < authorisation_level {
        return Err(GrantError::AboveManagerLevel {
            manager: manager_level,
            authorisation: authorisation_level,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use AssuranceLevel::*;

    #[test]
    fn allows_a_consistent_grant() {
        assert_eq!(check_grant(Some(Eh2Plus), Eh3, Eh3, Eh4), Ok(()));
        assert_eq!(check_grant(None, Eh2, Eh2, Eh2Plus), Ok(()));
    }

    #[test]
    fn explains_each_broken_rule() {
        let e = check_grant(Some(Eh3), Eh3, Eh2, Eh4).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Het middel (EH2) is te zwak voor deze dienst (vereist EH3)."
        );
        let e = check_grant(Some(Eh3), Eh2Plus, Eh4, Eh4).unwrap_err();
        assert_eq!(
            e,
            GrantError::BelowServiceLevel {
                authorisation: Eh2Plus,
                service: Eh3
            }
        );
        let e = check_grant(None, Eh4, Eh3, Eh4).unwrap_err();
        assert_eq!(e.to_string(), "Het middel (EH3) is te zwak voor een machtiging op EH4.");
        let e = check_grant(None, Eh4, Eh4, Eh3).unwrap_err();
        assert_eq!(
            e.to_string(),
            "U kunt machtigen tot en met uw eigen niveau (EH3); EH4 is te hoog."
        );
    }

    fn level() -> impl Strategy<Value = AssuranceLevel> {
        prop::sample::select(AssuranceLevel::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn ok_exactly_when_the_invariants_hold(
            service in prop::option::of(level()), auth in level(), means in level(), manager in level(),
        ) {
            let holds = service.is_none_or(|s| s <= auth) && auth <= means && auth <= manager;
            prop_assert_eq!(check_grant(service, auth, means, manager).is_ok(), holds);
        }

        #[test]
        fn errors_round_trip_through_serde(
            service in prop::option::of(level()), auth in level(), means in level(), manager in level(),
        ) {
            if let Err(e) = check_grant(service, auth, means, manager) {
                let json = serde_json::to_string(&e).unwrap();
                prop_assert_eq!(serde_json::from_str::<GrantError>(&json).unwrap(), e);
            }
        }
    }
}
