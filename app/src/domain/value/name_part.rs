//! [`NamePart`]: one part of a person's name — given names, prefix or surname.
//!
//! Input is trimmed and runs of whitespace become one space. Invariants:
//! - given names and surname: 1..=100 characters of letters (any script, with diacritics,
//!   also as combining marks), spaces, hyphens, apostrophes (`'` and `’`) and periods,
//!   with at least one letter ("Anne-Marie", "J.P.", "O’Brien", "Çelik");
//! - prefix (*tussenvoegsel*): 1..=20 characters of lowercase letters, spaces and
//!   apostrophes with at least one letter ("van der", "de", "'t"). Capitals are lowered
//!   rather than refused: "Van der" is how many people type it at the start of a cell.
//!
//! A `NamePart` does not remember its field. Deserialising a bare `NamePart` applies the
//! general name rules (every valid prefix also passes them); [`super::PersonName`]
//! re-checks each part against its own field when it is deserialised.

use super::ValueError;
use serde::{Deserialize, Serialize};
use std::fmt;

const NAME_MAX: usize = 100;
const PREFIX_MAX: usize = 20;

/// Which part of a name is being parsed; error messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameField {
    GivenNames,
    Prefix,
    Surname,
}

impl NameField {
    /// Sentence subject: "De voornamen", "Het tussenvoegsel", "De achternaam".
    pub fn subject(self) -> &'static str {
        match self {
            NameField::GivenNames => "De voornamen",
            NameField::Prefix => "Het tussenvoegsel",
            NameField::Surname => "De achternaam",
        }
    }

    /// Mid-sentence form: "de voornamen", "het tussenvoegsel", "de achternaam".
    pub fn object(self) -> &'static str {
        match self {
            NameField::GivenNames => "de voornamen",
            NameField::Prefix => "het tussenvoegsel",
            NameField::Surname => "de achternaam",
        }
    }

    /// "zijn" for the plural given names, "is" otherwise.
    pub fn is(self) -> &'static str {
        match self {
            NameField::GivenNames => "zijn",
            _ => "is",
        }
    }

    /// "moeten" for the plural given names, "moet" otherwise.
    pub fn must(self) -> &'static str {
        match self {
            NameField::GivenNames => "moeten",
            _ => "moet",
        }
    }

    /// The most characters this field may hold.
    pub fn max_len(self) -> usize {
        match self {
            NameField::Prefix => PREFIX_MAX,
            _ => NAME_MAX,
        }
    }
}

/// A valid, normalised part of a person's name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NamePart(String);

impl NamePart {
    pub fn parse(field: NameField, input: &str) -> Result<NamePart, ValueError> {
        let mut value = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if field == NameField::Prefix {
            value = value.to_lowercase();
        }
        if value.is_empty() {
            return Err(ValueError::NameEmpty { field });
        }
        let max = field.max_len();
        if value.chars().count() > max {
            return Err(ValueError::NameTooLong { field, max });
        }
        let allowed = |c: char| match field {
            NameField::Prefix => (c.is_alphabetic() && !c.is_uppercase()) || matches!(c, ' ' | '\'' | '’'),
            _ => c.is_alphabetic() || is_combining_mark(c) || matches!(c, ' ' | '-' | '\'' | '’' | '.'),
        };
        if let Some(ch) = value.chars().find(|&c| !allowed(c)) {
            return Err(match field {
                NameField::Prefix => ValueError::PrefixInvalidCharacter { ch },
                _ => ValueError::NameInvalidCharacter { field, ch },
            });
        }
        if !value.chars().any(char::is_alphabetic) {
            return Err(ValueError::NameNoLetter { field });
        }
        Ok(NamePart(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Combining diacritical marks (U+0300–U+036F), so decomposed "é" (e + ◌́) is accepted.
fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

impl AsRef<str> for NamePart {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NamePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Applies the general name rules (as for a surname); see the module docs.
impl TryFrom<&str> for NamePart {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        NamePart::parse(NameField::Surname, s)
    }
}

impl TryFrom<String> for NamePart {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        NamePart::parse(NameField::Surname, &s)
    }
}

impl From<NamePart> for String {
    fn from(v: NamePart) -> String {
        v.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use NameField::*;

    #[test]
    fn accepts_real_names() {
        for n in [
            "Jan",
            "Anne-Marie",
            "J.P.",
            "O’Brien",
            "D'Artagnan",
            "Çelik",
            "Zoë Özdemir",
        ] {
            assert!(NamePart::parse(Surname, n).is_ok(), "{n}");
        }
        assert!(NamePart::parse(GivenNames, "Rene\u{301}").is_ok());
    }

    #[test]
    fn normalises_whitespace_and_prefix_case() {
        assert_eq!(
            NamePart::parse(GivenNames, "  Jan   Pieter ").unwrap().as_str(),
            "Jan Pieter"
        );
        assert_eq!(NamePart::parse(Prefix, "Van  der").unwrap().as_str(), "van der");
        assert_eq!(NamePart::parse(Prefix, "'t").unwrap().as_str(), "'t");
    }

    #[test]
    fn errors_name_the_field() {
        let e = NamePart::parse(GivenNames, "Jan3").unwrap_err();
        assert_eq!(
            e,
            ValueError::NameInvalidCharacter {
                field: GivenNames,
                ch: '3'
            }
        );
        assert!(e.to_string().starts_with("De voornamen moeten alleen letters"));
        let e = NamePart::parse(Surname, &"a".repeat(101)).unwrap_err();
        assert_eq!(e.to_string(), "De achternaam is te lang: gebruik maximaal 100 tekens.");
        let e = NamePart::parse(Prefix, "van-der").unwrap_err();
        assert_eq!(e, ValueError::PrefixInvalidCharacter { ch: '-' });
        assert!(e.to_string().starts_with("Het tussenvoegsel"));
        assert_eq!(
            NamePart::parse(Surname, " - "),
            Err(ValueError::NameNoLetter { field: Surname })
        );
        assert_eq!(
            NamePart::parse(Prefix, "  "),
            Err(ValueError::NameEmpty { field: Prefix })
        );
        assert_eq!(
            NamePart::parse(Prefix, &"a".repeat(21)),
            Err(ValueError::NameTooLong { field: Prefix, max: 20 })
        );
    }

    fn any_field() -> impl Strategy<Value = NameField> {
        prop_oneof![Just(GivenNames), Just(Prefix), Just(Surname)]
    }

    proptest! {
        #[test]
        fn garbage_never_panics(field in any_field(), s in ".{0,120}") {
            let _ = NamePart::parse(field, &s);
        }

        #[test]
        fn round_trips(field in any_field(), s in "[A-Za-zéöçÅ' .-]{1,30}") {
            if let Ok(n) = NamePart::parse(field, &s) {
                prop_assert_eq!(NamePart::parse(field, &format!("{n}")), Ok(n.clone()));
                // Whatever passes for any field also passes the general rules serde uses.
                prop_assert_eq!(NamePart::try_from(n.to_string()), Ok(n));
            }
        }

        #[test]
        fn accepted_values_hold_the_invariant(field in any_field(), s in "\\PC{0,110}") {
            if let Ok(n) = NamePart::parse(field, &s) {
                let v = n.as_str();
                prop_assert!(!v.is_empty() && v.chars().count() <= field.max_len());
                prop_assert_eq!(v.trim(), v);
                prop_assert!(!v.contains("  "));
                prop_assert!(v.chars().any(char::is_alphabetic));
                if field == Prefix {
                    prop_assert!(!v.chars().any(char::is_uppercase));
                }
            }
        }
    }
}
