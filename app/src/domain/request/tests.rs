//! Tests for `domain::request`: names, the happy paths, and properties of the machine.

use super::*;
use proptest::prelude::*;
use std::collections::BTreeSet;
use RequestEvent as E;
use RequestState as S;

fn run(events: &[RequestEvent]) -> Result<RequestState, TransitionError> {
    events.iter().try_fold(S::Submitted, transition)
}

fn steps(id_check: bool, in_person: bool) -> IdentitySteps {
    IdentitySteps { id_check, in_person }
}

/// Every event, with both values of its data.
fn all_events() -> Vec<RequestEvent> {
    let mut v = vec![
        E::EmailSent,
        E::EmailConfirmed,
        E::EmailConfirmedForAccount,
        E::PasswordProved,
        E::SmsConfirmed,
        E::InPersonRecorded,
        E::Reject,
        E::Cancel,
        E::Expire,
        E::RepresentativesAsked,
        E::RepresentativesApproved,
        E::RepresentativeRefused,
        E::ReviewApproved,
        E::CompleteAtOnce,
        E::IdApproved { in_person: false },
        E::IdApproved { in_person: true },
    ];
    for (a, b) in [(false, false), (false, true), (true, false), (true, true)] {
        v.push(E::PasswordSet { steps: steps(a, b) });
        v.push(E::UpgradeSmsConfirmed { steps: steps(a, b) });
        v.push(E::AccountSmsConfirmed { steps: steps(a, b) });
    }
    v
}

#[test]
fn names_and_labels() {
    assert_eq!(RequestKind::ALL.len(), 6);
    assert_eq!(RequestState::ALL.len(), 13);
    for k in RequestKind::ALL {
        assert_eq!(RequestKind::parse(k.as_str()), Some(k));
        assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
    }
    for s in RequestState::ALL {
        assert_eq!(RequestState::parse(s.as_str()), Some(s));
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
    }
    assert_eq!(RequestKind::ManagerRegistration.label_nl(), "registratie beheerder");
    assert_eq!(S::AwaitingInPerson.as_str(), "awaiting_in_person");
    assert_eq!(S::AwaitingInPerson.label_nl(), "wacht op identificatie aan de balie");
    assert_eq!(RequestState::parse("klaar"), None);
}

#[test]
fn activation_paths() {
    let start = [E::EmailSent, E::EmailConfirmed, E::SmsConfirmed];
    let employee = [
        &start[..],
        &[E::PasswordSet {
            steps: steps(false, false),
        }],
    ]
    .concat();
    assert_eq!(run(&employee), Ok(S::Completed));
    let id = [
        &start[..],
        &[E::PasswordSet {
            steps: steps(true, false),
        }],
    ]
    .concat();
    assert_eq!(run(&id), Ok(S::AwaitingIdCheck));
    assert_eq!(
        run(&[&id[..], &[E::IdApproved { in_person: false }]].concat()),
        Ok(S::Completed)
    );
    assert_eq!(run(&[&id[..], &[E::Reject]].concat()), Ok(S::Rejected));
    let eh4 = [&id[..], &[E::IdApproved { in_person: true }, E::InPersonRecorded]].concat();
    assert_eq!(run(&eh4), Ok(S::Completed));
    let eh4_employee = [
        &start[..],
        &[E::PasswordSet {
            steps: steps(false, true),
        }],
    ]
    .concat();
    assert_eq!(run(&eh4_employee), Ok(S::AwaitingInPerson));
}

#[test]
fn registration_and_immediate_paths() {
    let ok = [E::RepresentativesAsked, E::RepresentativesApproved, E::ReviewApproved];
    assert_eq!(run(&ok), Ok(S::Completed));
    assert_eq!(
        run(&[E::RepresentativesAsked, E::RepresentativeRefused]),
        Ok(S::Refused)
    );
    assert_eq!(
        run(&[E::RepresentativesAsked, E::RepresentativesApproved, E::Reject]),
        Ok(S::Rejected)
    );
    assert_eq!(run(&[E::CompleteAtOnce]), Ok(S::Completed));
}

#[test]
fn refusals_read_as_dutch() {
    let e = transition(S::Completed, &E::Cancel).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Actie 'annuleren' is niet toegestaan in toestand 'afgerond'."
    );
    assert!(transition(S::AwaitingEmail, &E::SmsConfirmed).is_err());
    assert!(transition(S::AwaitingPassword, &E::Reject).is_err());
}

#[test]
fn every_state_is_reachable_from_submitted() {
    let mut seen = BTreeSet::from([S::Submitted.as_str()]);
    let mut todo = vec![S::Submitted];
    while let Some(s) = todo.pop() {
        for e in all_events() {
            if let Ok(n) = transition(s, &e) {
                if seen.insert(n.as_str()) {
                    todo.push(n);
                }
            }
        }
    }
    assert_eq!(seen.len(), RequestState::ALL.len());
}

#[test]
fn events_serialise_with_a_tag() {
    let e = E::PasswordSet {
        steps: steps(true, false),
    };
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(
        json,
        r#"{"event":"password_set","steps":{"id_check":true,"in_person":false}}"#
    );
    assert_eq!(serde_json::from_str::<RequestEvent>(&json).unwrap(), e);
    for e in all_events() {
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(e.as_str()));
        assert_eq!(serde_json::from_str::<RequestEvent>(&json).unwrap(), e);
    }
}

fn any_event() -> impl Strategy<Value = RequestEvent> {
    prop::sample::select(all_events())
}

fn any_state() -> impl Strategy<Value = RequestState> {
    prop::sample::select(RequestState::ALL.to_vec())
}

proptest! {
    #[test]
    fn final_states_never_change(s in any_state(), e in any_event()) {
        if s.is_final() {
            let err = transition(s, &e).unwrap_err();
            prop_assert_eq!(err.from, s.label_nl());
            prop_assert_eq!(err.action, e.label_nl());
        }
    }

    #[test]
    fn cancel_and_expire_close_every_waiting_state(s in any_state()) {
        prop_assert_eq!(s.is_waiting(), !s.is_final());
        if s.is_waiting() {
            prop_assert_eq!(transition(s, &E::Cancel), Ok(S::Cancelled));
            prop_assert_eq!(transition(s, &E::Expire), Ok(S::Expired));
        }
    }

    #[test]
    fn random_event_sequences_stay_in_valid_states(events in prop::collection::vec(any_event(), 0..40)) {
        let mut s = S::Submitted;
        let mut finished = false;
        for e in &events {
            match transition(s, e) {
                Ok(next) => {
                    prop_assert!(!finished && !s.is_final());
                    prop_assert!(next != S::Submitted);
                    s = next;
                }
                Err(err) => prop_assert_eq!(err.from, s.label_nl()),
            }
            finished = s.is_final();
            prop_assert!(RequestState::ALL.contains(&s));
            prop_assert_eq!(RequestState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn parse_never_panics(s in ".{0,30}") {
        if let Some(k) = RequestKind::parse(&s) { prop_assert_eq!(k.as_str(), s.as_str()); }
        if let Some(st) = RequestState::parse(&s) { prop_assert_eq!(st.as_str(), s.as_str()); }
    }
}

#[test]
fn upgrades_skip_the_password_step() {
    let to_sms = [E::EmailSent, E::EmailConfirmed];
    let with = |st: IdentitySteps| {
        let mut v = to_sms.to_vec();
        v.push(E::UpgradeSmsConfirmed { steps: st });
        run(&v)
    };
    assert_eq!(with(steps(false, false)), Ok(S::Completed));
    assert_eq!(with(steps(true, false)), Ok(S::AwaitingIdCheck));
    assert_eq!(with(steps(true, true)), Ok(S::AwaitingIdCheck));
    assert_eq!(with(steps(false, true)), Ok(S::AwaitingInPerson));
    // Only from awaiting_sms: not before the e-mail is confirmed, not after the SMS step.
    let up = E::UpgradeSmsConfirmed {
        steps: steps(false, false),
    };
    assert!(transition(S::AwaitingEmail, &up).is_err());
    assert!(transition(S::AwaitingPassword, &up).is_err());
    assert!(transition(S::Completed, &up).is_err());
    assert_eq!(up.as_str(), "upgrade_sms_confirmed");
    let json = serde_json::to_string(&up).unwrap();
    assert!(json.contains("\"event\":\"upgrade_sms_confirmed\""), "{json}");
}

#[test]
fn an_existing_account_proves_itself_and_sets_no_password() {
    let proven = [E::EmailSent, E::EmailConfirmedForAccount, E::PasswordProved];
    assert_eq!(run(&proven), Ok(S::AwaitingSms));
    let with = |st: IdentitySteps| {
        let mut v = proven.to_vec();
        v.push(E::AccountSmsConfirmed { steps: st });
        run(&v)
    };
    assert_eq!(with(steps(false, false)), Ok(S::Completed));
    assert_eq!(with(steps(true, false)), Ok(S::AwaitingIdCheck));
    assert_eq!(with(steps(false, true)), Ok(S::AwaitingInPerson));
    // The password comes before the code: no code step straight after the link.
    let account_sms = E::AccountSmsConfirmed {
        steps: steps(false, false),
    };
    assert!(run(&[E::EmailSent, E::EmailConfirmedForAccount, account_sms]).is_err());
    assert!(transition(S::AwaitingSms, &E::PasswordProved).is_err());
    assert!(transition(S::AwaitingEmail, &E::PasswordProved).is_err());
    assert_eq!(E::EmailConfirmedForAccount.as_str(), "email_confirmed_for_account");
    assert_eq!(E::PasswordProved.as_str(), "password_proved");
    assert_eq!(account_sms.as_str(), "account_sms_confirmed");
}
