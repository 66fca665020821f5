//! Tests for `domain::authorisation`: scopes, the state machine and terms.

use super::*;
use proptest::prelude::*;
use AuthorisationState::*;

fn service(id: &str) -> ServiceId {
    ServiceId::parse(id).unwrap()
}

#[test]
fn scopes_have_stable_kinds_and_serde() {
    let s = AuthorisationScope::Service(service("bd-omzetbelasting"));
    assert_eq!(s.kind_str(), "service");
    assert_eq!(s.service_id().map(ServiceId::as_str), Some("bd-omzetbelasting"));
    assert_eq!(AuthorisationScope::UpToLevel.kind_str(), "up_to_level");
    assert_eq!(AuthorisationScope::Manage.kind_str(), "manage");
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(json, r#"{"kind":"service","service":"bd-omzetbelasting"}"#);
    assert_eq!(serde_json::from_str::<AuthorisationScope>(&json).unwrap(), s);
    let json = serde_json::to_string(&AuthorisationScope::UpToLevel).unwrap();
    assert_eq!(json, r#"{"kind":"up_to_level"}"#);
}

#[test]
fn state_machine() {
    assert_eq!(Active.revoke(), Ok(Revoked));
    assert_eq!(Active.expire(), Ok(Expired));
    assert_eq!(Expired.reactivate(), Ok(Active));
    assert!(Revoked.reactivate().is_err());
    assert_eq!(
        Revoked.revoke().unwrap_err().to_string(),
        "Actie 'intrekken' is niet toegestaan in toestand 'ingetrokken'."
    );
    for s in AuthorisationState::ALL {
        assert_eq!(AuthorisationState::parse(s.as_str()), Some(s));
    }
    assert_eq!(Revoked.label_nl(), "ingetrokken");
}

#[test]
fn terms() {
    assert_eq!(Term::parse(" 3 "), Ok(Term::ThreeYears));
    assert_eq!(Term::parse("6"), Err(ValueError::TermTooLong));
    assert_eq!(Term::parse("10"), Err(ValueError::TermTooLong));
    assert_eq!(Term::parse("2"), Err(ValueError::TermInvalid));
    assert_eq!(Term::parse("vijf"), Err(ValueError::TermInvalid));
    assert!(ValueError::TermTooLong.to_string().contains("nooit langer dan 5 jaar"));
    let from = CivilDate::new(2024, 2, 29).unwrap();
    assert_eq!(Term::FiveYears.until(from), CivilDate::new(2029, 2, 28).unwrap());
    assert_eq!(serde_json::to_string(&Term::OneYear).unwrap(), "\"1\"");
}

#[test]
fn coverage_and_weak_means() {
    let a = Authorisation {
        id: "a1".into(),
        person_id: "p1".into(),
        organisation_id: "o1".into(),
        scope: AuthorisationScope::UpToLevel,
        level: AssuranceLevel::Eh3,
        state: Active,
        valid_from: CivilDate::new(2026, 1, 1).unwrap(),
        valid_until: CivilDate::new(2027, 1, 1).unwrap(),
    };
    let x = service("uwv-werkgeversportaal");
    assert!(a.covers(&x, AssuranceLevel::Eh3));
    assert!(!a.covers(&x, AssuranceLevel::Eh4));
    assert!(a.means_too_weak(AssuranceLevel::Eh2Plus));
    assert!(!a.means_too_weak(AssuranceLevel::Eh3));
    let only = Authorisation {
        scope: AuthorisationScope::Service(service("kvk-deponeren")),
        ..a.clone()
    };
    assert!(!only.covers(&x, AssuranceLevel::Eh2));
    assert!(only.covers(&service("kvk-deponeren"), AssuranceLevel::Eh2));
    let revoked = Authorisation { state: Revoked, ..a };
    assert!(!revoked.covers(&x, AssuranceLevel::Eh2));
}

type Action = fn(AuthorisationState) -> Result<AuthorisationState, TransitionError>;
const ACTIONS: [Action; 3] = [
    AuthorisationState::revoke,
    AuthorisationState::expire,
    AuthorisationState::reactivate,
];

proptest! {
    #[test]
    fn revoked_is_final(i in 0usize..3) {
        prop_assert!(ACTIONS[i](Revoked).is_err());
    }

    #[test]
    fn random_walks_stay_consistent(steps in prop::collection::vec(0usize..3, 0..20)) {
        let mut s = Active;
        for i in steps {
            match ACTIONS[i](s) {
                Ok(next) => { prop_assert!(s != Revoked); s = next; }
                Err(e) => prop_assert_eq!(e.from, s.label_nl()),
            }
            prop_assert_eq!(AuthorisationState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn term_parse_never_panics(s in ".{0,10}") {
        if let Ok(t) = Term::parse(&s) {
            prop_assert!(Term::ALL.contains(&t));
            prop_assert!(t.years() <= 5);
        }
    }

    #[test]
    fn term_round_trips(i in 0usize..3) {
        let t = Term::ALL[i];
        prop_assert_eq!(Term::parse(&t.to_string()), Ok(t));
        prop_assert_eq!(Term::parse(&t.years().to_string()), Ok(t));
        let json = serde_json::to_string(&t).unwrap();
        prop_assert_eq!(serde_json::from_str::<Term>(&json).unwrap(), t);
    }

    #[test]
    fn numbers_above_five_are_too_long(n in 6u64..u64::MAX) {
        prop_assert_eq!(Term::parse(&n.to_string()), Err(ValueError::TermTooLong));
    }
}
