//! [`OrganisationName`]: the name of an organisation as shown on screens and in mail.
//!
//! Invariants: trimmed, 1..=200 characters, no control characters (a tab or line break
//! pasted from a spreadsheet would break CSV exports and e-mail headers). Any script and
//! punctuation is fine: "Bakkerij 't Hoekje B.V.", "Café & Co".

use super::ValueError;
use serde::{Deserialize, Serialize};

const MAX_LEN: usize = 200;

/// A valid organisation name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganisationName(String);

impl OrganisationName {
    pub fn parse(input: &str) -> Result<OrganisationName, ValueError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ValueError::OrganisationNameEmpty);
        }
        if s.chars().count() > MAX_LEN {
            return Err(ValueError::OrganisationNameTooLong);
        }
        if s.chars().any(char::is_control) {
            return Err(ValueError::OrganisationNameControlCharacter);
        }
        Ok(OrganisationName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

super::string_value!(OrganisationName);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_trims() {
        let n = OrganisationName::parse("  Bakkerij 't Hoekje B.V. ").unwrap();
        assert_eq!(n.as_str(), "Bakkerij 't Hoekje B.V.");
    }

    #[test]
    fn refuses_with_a_reason() {
        use ValueError::*;
        assert_eq!(OrganisationName::parse(" \t "), Err(OrganisationNameEmpty));
        assert_eq!(OrganisationName::parse(&"é".repeat(201)), Err(OrganisationNameTooLong));
        assert!(OrganisationName::parse(&"é".repeat(200)).is_ok());
        assert_eq!(OrganisationName::parse("A\tB"), Err(OrganisationNameControlCharacter));
    }

    proptest! {
        #[test]
        fn garbage_never_panics(s in "(?s).{0,220}") {
            let _ = OrganisationName::parse(&s);
        }

        #[test]
        fn round_trips(s in "\\PC{1,200}") {
            if let Ok(n) = OrganisationName::parse(&s) {
                prop_assert_eq!(OrganisationName::parse(&format!("{n}")), Ok(n.clone()));
                let json = serde_json::to_string(&n).unwrap();
                prop_assert_eq!(serde_json::from_str::<OrganisationName>(&json).unwrap(), n);
            }
        }

        #[test]
        fn accepted_values_hold_the_invariant(s in "(?s).{0,210}") {
            if let Ok(n) = OrganisationName::parse(&s) {
                let v = n.as_str();
                prop_assert!(!v.is_empty() && v.chars().count() <= MAX_LEN);
                prop_assert_eq!(v.trim(), v);
                prop_assert!(!v.chars().any(char::is_control));
            }
        }
    }
}
