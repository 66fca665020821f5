//! The holder's own account changes that take more than one step, as one small state
//! machine per purpose:
//!
//! ```text
//! password_reset: awaiting_link ─LinkConfirmed─▶ awaiting_sms ─CodeConfirmed─▶ awaiting_password ─PasswordSet─▶ done
//! mobile_change:                                 awaiting_sms ─CodeConfirmed─▶ done
//! ```
//! A forgotten password proves the mailbox (the link), then the verified mobile (the code),
//! and only then takes a new password. A new mobile number is proven by a code sent to
//! *it*, after the current password. `done` never changes again; a flow that is replaced
//! or runs out of time simply ends (it is never reopened).

use super::TransitionError;

super::named_enum! {
    /// What a flow is for.
    FlowPurpose {
        PasswordReset = "password_reset", "wachtwoord vergeten";
        MobileChange = "mobile_change", "mobiel nummer wijzigen";
    }
}

super::named_enum! {
    /// Where a flow stands.
    FlowStep {
        AwaitingLink = "awaiting_link", "wacht op de link uit de e-mail";
        AwaitingSms = "awaiting_sms", "wacht op de sms-code";
        AwaitingPassword = "awaiting_password", "wacht op het nieuwe wachtwoord";
        Done = "done", "afgerond";
    }
}

/// What moves a flow on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowEvent {
    LinkConfirmed,
    CodeConfirmed,
    PasswordSet,
}

impl FlowEvent {
    fn label_nl(self) -> &'static str {
        match self {
            FlowEvent::LinkConfirmed => "link bevestigen",
            FlowEvent::CodeConfirmed => "sms-code bevestigen",
            FlowEvent::PasswordSet => "wachtwoord instellen",
        }
    }
}

/// Where a new flow of `purpose` starts.
pub fn first_step(purpose: FlowPurpose) -> FlowStep {
    match purpose {
        FlowPurpose::PasswordReset => FlowStep::AwaitingLink,
        FlowPurpose::MobileChange => FlowStep::AwaitingSms,
    }
}

/// The next step after `event`, or why it does not fit.
pub fn next(purpose: FlowPurpose, step: FlowStep, event: FlowEvent) -> Result<FlowStep, TransitionError> {
    use FlowEvent as E;
    use FlowPurpose as P;
    use FlowStep as S;
    match (purpose, step, event) {
        (P::PasswordReset, S::AwaitingLink, E::LinkConfirmed) => Ok(S::AwaitingSms),
        (P::PasswordReset, S::AwaitingSms, E::CodeConfirmed) => Ok(S::AwaitingPassword),
        (P::PasswordReset, S::AwaitingPassword, E::PasswordSet) => Ok(S::Done),
        (P::MobileChange, S::AwaitingSms, E::CodeConfirmed) => Ok(S::Done),
        _ => Err(TransitionError::new(step.label_nl(), event.label_nl())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FlowEvent as E;
    use FlowPurpose as P;
    use FlowStep as S;

    #[test]
    fn a_reset_proves_mailbox_then_mobile_then_takes_a_password() {
        let mut s = first_step(P::PasswordReset);
        for e in [E::LinkConfirmed, E::CodeConfirmed, E::PasswordSet] {
            s = next(P::PasswordReset, s, e).unwrap();
        }
        assert_eq!(s, S::Done);
        // No shortcut: no password before the code, no code before the link.
        assert!(next(P::PasswordReset, S::AwaitingLink, E::CodeConfirmed).is_err());
        assert!(next(P::PasswordReset, S::AwaitingSms, E::PasswordSet).is_err());
        assert!(next(P::PasswordReset, S::AwaitingLink, E::PasswordSet).is_err());
    }

    #[test]
    fn a_mobile_change_is_one_code_and_done_is_final() {
        assert_eq!(first_step(P::MobileChange), S::AwaitingSms);
        assert_eq!(next(P::MobileChange, S::AwaitingSms, E::CodeConfirmed), Ok(S::Done));
        assert!(next(P::MobileChange, S::AwaitingSms, E::PasswordSet).is_err());
        for p in FlowPurpose::ALL {
            for e in [E::LinkConfirmed, E::CodeConfirmed, E::PasswordSet] {
                assert!(next(p, S::Done, e).is_err(), "{p:?} {e:?}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for s in FlowStep::ALL {
            assert_eq!(FlowStep::parse(s.as_str()), Some(s));
        }
        for p in FlowPurpose::ALL {
            assert_eq!(FlowPurpose::parse(p.as_str()), Some(p));
        }
    }
}
