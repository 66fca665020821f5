//! [`KvkNumber`]: the 8-digit Chamber of Commerce (KvK) registration number.
//!
//! Invariant: exactly 8 ASCII digits. Whitespace anywhere in the input is ignored, since
//! people copy the number from an extract that prints it as `1234 5678`; anything else
//! that is not a digit is refused. Leading zeros are significant and kept.

use super::ValueError;
use serde::{Deserialize, Serialize};

/// A KvK number: exactly 8 digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KvkNumber(String);

impl KvkNumber {
    pub fn parse(input: &str) -> Result<KvkNumber, ValueError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err(ValueError::KvkEmpty);
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::KvkNotDigits);
        }
        if digits.len() != 8 {
            return Err(ValueError::KvkWrongLength);
        }
        Ok(KvkNumber(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

super::string_value!(KvkNumber);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_eight_digits_with_spaces() {
        assert_eq!(KvkNumber::parse(" 0123 4567 ").unwrap().as_str(), "01234567");
    }

    #[test]
    fn refuses_with_a_reason() {
        assert_eq!(KvkNumber::parse(""), Err(ValueError::KvkEmpty));
        assert_eq!(KvkNumber::parse("1234-5678"), Err(ValueError::KvkNotDigits));
        assert_eq!(KvkNumber::parse("1234567"), Err(ValueError::KvkWrongLength));
        assert_eq!(
            KvkNumber::parse("123456789").unwrap_err().to_string(),
            "Het KvK-nummer moet uit precies 8 cijfers bestaan."
        );
    }

    #[test]
    fn serde_validates() {
        assert!(serde_json::from_str::<KvkNumber>("\"12345678\"").is_ok());
        assert!(serde_json::from_str::<KvkNumber>("\"1234\"").is_err());
    }

    proptest! {
        #[test]
        fn garbage_never_panics(s in ".{0,30}") {
            let _ = KvkNumber::parse(&s);
        }

        #[test]
        fn round_trips(n in 0u32..100_000_000) {
            let k = KvkNumber::parse(&format!("{n:08}")).unwrap();
            prop_assert_eq!(KvkNumber::parse(&format!("{k}")), Ok(k));
        }

        #[test]
        fn accepted_values_hold_the_invariant(s in "[0-9 a]{0,12}") {
            if let Ok(k) = KvkNumber::parse(&s) {
                prop_assert_eq!(k.as_str().len(), 8);
                prop_assert!(k.as_str().bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
