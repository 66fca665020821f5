//! [`BranchNumber`]: the 12-digit KvK branch number (*vestigingsnummer*).
//!
//! Invariant: exactly 12 ASCII digits. As with the KvK number, whitespace anywhere in the
//! input is ignored and anything else that is not a digit is refused. Leading zeros are
//! significant and kept. An organisation without a branch number has no branch restriction.

use super::ValueError;
use serde::{Deserialize, Serialize};

/// A vestigingsnummer: exactly 12 digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BranchNumber(String);

impl BranchNumber {
    pub fn parse(input: &str) -> Result<BranchNumber, ValueError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err(ValueError::BranchEmpty);
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::BranchNotDigits);
        }
        if digits.len() != 12 {
            return Err(ValueError::BranchWrongLength);
        }
        Ok(BranchNumber(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

super::string_value!(BranchNumber);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_twelve_digits_with_spaces() {
        assert_eq!(
            BranchNumber::parse(" 0000 1234 5678 ").unwrap().as_str(),
            "000012345678"
        );
    }

    #[test]
    fn refuses_with_a_reason() {
        assert_eq!(BranchNumber::parse(""), Err(ValueError::BranchEmpty));
        assert_eq!(BranchNumber::parse("0000-1234-5678"), Err(ValueError::BranchNotDigits));
        assert_eq!(BranchNumber::parse("12345678"), Err(ValueError::BranchWrongLength));
        assert_eq!(
            BranchNumber::parse("1234567890123").unwrap_err().to_string(),
            "Het vestigingsnummer moet uit precies 12 cijfers bestaan."
        );
    }

    #[test]
    fn serde_validates() {
        assert!(serde_json::from_str::<BranchNumber>("\"000012345678\"").is_ok());
        assert!(serde_json::from_str::<BranchNumber>("\"1234\"").is_err());
    }

    proptest! {
        #[test]
        fn garbage_never_panics(s in ".{0,30}") {
            let _ = BranchNumber::parse(&s);
        }

        #[test]
        fn round_trips(n in 0u64..1_000_000_000_000) {
            let k = BranchNumber::parse(&format!("{n:012}")).unwrap();
            prop_assert_eq!(BranchNumber::parse(&format!("{k}")), Ok(k));
        }

        #[test]
        fn accepted_values_hold_the_invariant(s in "[0-9 a]{0,16}") {
            if let Ok(k) = BranchNumber::parse(&s) {
                prop_assert_eq!(k.as_str().len(), 12);
                prop_assert!(k.as_str().bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
