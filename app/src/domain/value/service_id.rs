//! [`ServiceId`]: the stable code of a service in the catalogue, e.g. `bd-omzetbelasting`.
//!
//! Invariants: 3..=64 characters of lowercase ASCII letters, digits and hyphens; starts
//! with a letter; no two hyphens in a row and no hyphen at the end. Input is trimmed and
//! lowercased first, so `BD-Omzetbelasting` in a CSV cell is read as `bd-omzetbelasting`.

use super::ValueError;
use serde::{Deserialize, Serialize};

/// A catalogue service code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ServiceId(String);

impl ServiceId {
    pub fn parse(input: &str) -> Result<ServiceId, ValueError> {
        let s = input.trim().to_ascii_lowercase();
        if !(3..=64).contains(&s.chars().count()) {
            return Err(ValueError::ServiceIdLength);
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(ValueError::ServiceIdCharacters);
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(ValueError::ServiceIdStart);
        }
        if s.contains("--") || s.ends_with('-') {
            return Err(ValueError::ServiceIdHyphens);
        }
        Ok(ServiceId(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

super::string_value!(ServiceId);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_catalogue_codes() {
        assert_eq!(
            ServiceId::parse(" BD-Omzetbelasting ").unwrap().as_str(),
            "bd-omzetbelasting"
        );
        assert!(ServiceId::parse("uwv-verzuimmelding-2").is_ok());
    }

    #[test]
    fn refuses_with_a_reason() {
        use ValueError::*;
        assert_eq!(ServiceId::parse("bd"), Err(ServiceIdLength));
        assert_eq!(ServiceId::parse(&"a".repeat(65)), Err(ServiceIdLength));
        assert_eq!(ServiceId::parse("bd_omzet"), Err(ServiceIdCharacters));
        assert_eq!(ServiceId::parse("bd omzet"), Err(ServiceIdCharacters));
        assert_eq!(ServiceId::parse("1bd"), Err(ServiceIdStart));
        assert_eq!(ServiceId::parse("-bd"), Err(ServiceIdStart));
        assert_eq!(ServiceId::parse("bd--x"), Err(ServiceIdHyphens));
        assert_eq!(ServiceId::parse("bd-"), Err(ServiceIdHyphens));
    }

    #[test]
    fn serde_validates() {
        assert!(serde_json::from_str::<ServiceId>("\"kvk-deponeren\"").is_ok());
        assert!(serde_json::from_str::<ServiceId>("\"x\"").is_err());
    }

    proptest! {
        #[test]
        fn garbage_never_panics(s in ".{0,80}") {
            let _ = ServiceId::parse(&s);
        }

        #[test]
        fn round_trips(s in "[a-z][a-z0-9]{2,10}(-[a-z0-9]{1,8}){0,3}") {
            let id = ServiceId::parse(&s).unwrap();
            prop_assert_eq!(ServiceId::parse(&format!("{id}")), Ok(id));
        }

        #[test]
        fn accepted_values_hold_the_invariant(s in "[a-zA-Z0-9 _-]{0,70}") {
            if let Ok(id) = ServiceId::parse(&s) {
                let v = id.as_str();
                prop_assert!((3..=64).contains(&v.len()));
                prop_assert!(v.starts_with(|c: char| c.is_ascii_lowercase()));
                prop_assert!(!v.contains("--") && !v.ends_with('-'));
                prop_assert!(v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            }
        }
    }
}
