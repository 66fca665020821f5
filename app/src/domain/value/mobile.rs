//! [`DutchMobile`]: the Dutch mobile number that receives SMS codes.
//!
//! Accepted input: `06…`, `+316…`, `00316…` and the common `+31 (0)6…`, with spaces,
//! dashes, dots and parentheses ignored. Invariant: the stored value is E.164,
//! `+316` followed by exactly 8 digits. Landlines (`020…`), foreign numbers and numbers
//! without a prefix are refused with their own message, because each needs a different fix.

use super::ValueError;
use serde::{Deserialize, Serialize};

/// A Dutch mobile number in E.164 form (`+316XXXXXXXX`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DutchMobile(String);

impl DutchMobile {
    pub fn parse(input: &str) -> Result<DutchMobile, ValueError> {
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, '-' | '.' | '(' | ')') && !c.is_whitespace())
            .collect();
        if compact.is_empty() {
            return Err(ValueError::MobileEmpty);
        }
        let (plus, digits) = match compact.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, compact.as_str()),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::MobileInvalidCharacters);
        }
        let national = if plus {
            digits.strip_prefix("31").ok_or(ValueError::MobileNotDutch)?
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.strip_prefix("31").ok_or(ValueError::MobileNotDutch)?
        } else {
            digits.strip_prefix('0').ok_or(ValueError::MobileMissingPrefix)?
        };
        // "+31 (0)6 …" leaves a trunk zero after the country code.
        let national = if plus || digits.starts_with("00") {
            national.strip_prefix('0').unwrap_or(national)
        } else {
            national
        };
        if !national.starts_with('6') {
            return Err(ValueError::MobileNotMobile);
        }
        if national.len() != 9 {
            return Err(ValueError::MobileWrongLength);
        }
        Ok(DutchMobile(format!("+31{national}")))
    }

    /// `+316XXXXXXXX`, the form the SMS gateway expects.
    pub fn as_e164(&self) -> &str {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For screens and messages: only the last two digits show, e.g. `+31 6 •••• ••78`.
    pub fn masked(&self) -> String {
        let last_two = &self.0[self.0.len() - 2..];
        format!("+31 6 •••• ••{last_two}")
    }

    /// The familiar national notation, e.g. `06 12345678`.
    pub fn national(&self) -> String {
        format!("06 {}", &self.0[4..])
    }
}

super::string_value!(DutchMobile);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_usual_notations() {
        for input in [
            "0612345678",
            "06-12345678",
            "06 12 34 56 78",
            "06.1234.5678",
            "+31612345678",
            "+31 6 12345678",
            "+31 (0)6 12345678",
            "0031612345678",
            "(06) 12345678",
        ] {
            let m = DutchMobile::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(m.as_e164(), "+31612345678", "{input}");
        }
    }

    #[test]
    fn masks_all_but_the_last_two_digits() {
        let m = DutchMobile::parse("06 1234 5678").unwrap();
        assert_eq!(m.masked(), "+31 6 •••• ••78");
        assert_eq!(m.national(), "06 12345678");
    }

    #[test]
    fn distinguishes_the_reasons() {
        use ValueError::*;
        assert_eq!(DutchMobile::parse(" "), Err(MobileEmpty));
        assert_eq!(DutchMobile::parse("06-1234567a"), Err(MobileInvalidCharacters));
        assert_eq!(DutchMobile::parse("06+12345678"), Err(MobileInvalidCharacters));
        assert_eq!(DutchMobile::parse("0201234567"), Err(MobileNotMobile));
        assert_eq!(DutchMobile::parse("+31201234567"), Err(MobileNotMobile));
        assert_eq!(DutchMobile::parse("061234567"), Err(MobileWrongLength));
        assert_eq!(DutchMobile::parse("06123456789"), Err(MobileWrongLength));
        assert_eq!(DutchMobile::parse("+32470123456"), Err(MobileNotDutch));
        assert_eq!(DutchMobile::parse("0032470123456"), Err(MobileNotDutch));
        assert_eq!(DutchMobile::parse("612345678"), Err(MobileMissingPrefix));
    }

    #[test]
    fn serde_uses_e164_and_validates() {
        let m: DutchMobile = serde_json::from_str("\"06 12345678\"").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"+31612345678\"");
        assert!(serde_json::from_str::<DutchMobile>("\"0201234567\"").is_err());
    }

    proptest! {
        #[test]
        fn garbage_never_panics(s in ".{0,40}") {
            let _ = DutchMobile::parse(&s);
        }

        #[test]
        fn every_notation_of_a_mobile_round_trips(
            n in 0u32..100_000_000,
            style in 0usize..4,
        ) {
            let d = format!("{n:08}");
            let input = match style {
                0 => format!("06{d}"),
                1 => format!("+31 6 {} {}", &d[..4], &d[4..]),
                2 => format!("00316-{d}"),
                _ => format!("+31 (0)6 {d}"),
            };
            let m = DutchMobile::parse(&input).unwrap();
            prop_assert_eq!(m.as_e164(), format!("+316{d}"));
            prop_assert_eq!(DutchMobile::parse(&format!("{m}")), Ok(m.clone()));
            prop_assert_eq!(DutchMobile::parse(&m.national()), Ok(m));
        }

        #[test]
        fn accepted_values_hold_the_invariant(s in "[0-9+ ()-]{0,20}") {
            if let Ok(m) = DutchMobile::parse(&s) {
                let v = m.as_e164();
                prop_assert_eq!(v.len(), 12);
                prop_assert!(v.starts_with("+316"));
                prop_assert!(v[1..].bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
