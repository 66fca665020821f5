//! [`PersonName`]: a person's full name in the Dutch three-part form.
//!
//! Invariants: given names and surname are valid [`NamePart`]s for their field; the prefix
//! (*tussenvoegsel*) is either absent or a valid prefix. An empty prefix input means "no
//! prefix". Deserialising goes through [`PersonName::new`], so every part is checked
//! against its own field's rules.

use super::{NameField, NamePart, ValueError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Given names, optional prefix and surname, e.g. "Jan" + "van der" + "Berg".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PersonNameWire", into = "PersonNameWire")]
pub struct PersonName {
    given_names: NamePart,
    prefix: Option<NamePart>,
    surname: NamePart,
}

impl PersonName {
    /// Parses the three parts; `prefix` may be empty (or only whitespace) for "none".
    /// The first invalid part, in reading order, decides the error.
    pub fn new(given: &str, prefix: &str, surname: &str) -> Result<PersonName, ValueError> {
        let given_names = NamePart::parse(NameField::GivenNames, given)?;
        let prefix = if prefix.trim().is_empty() {
            None
        } else {
            Some(NamePart::parse(NameField::Prefix, prefix)?)
        };
        let surname = NamePart::parse(NameField::Surname, surname)?;
        Ok(PersonName {
            given_names,
            prefix,
            surname,
        })
    }

    pub fn given_names(&self) -> &NamePart {
        &self.given_names
    }

    pub fn prefix(&self) -> Option<&NamePart> {
        self.prefix.as_ref()
    }

    pub fn surname(&self) -> &NamePart {
        &self.surname
    }

    /// "Jan van der Berg".
    pub fn display_name(&self) -> String {
        display_name(
            self.given_names.as_str(),
            self.prefix.as_ref().map(NamePart::as_str),
            self.surname.as_str(),
        )
    }

    /// Surname first, for sorted lists: "Berg, Jan van der".
    pub fn sort_name(&self) -> String {
        match &self.prefix {
            Some(p) => format!("{}, {} {}", self.surname, self.given_names, p),
            None => format!("{}, {}", self.surname, self.given_names),
        }
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_name())
    }
}

/// "given prefix surname", without a gap for an absent or empty prefix: the one way a name
/// is shown, whether it comes as a [`PersonName`] or as the three columns of a stored row.
pub fn display_name(given_names: &str, prefix: Option<&str>, surname: &str) -> String {
    match prefix.filter(|p| !p.is_empty()) {
        Some(p) => format!("{given_names} {p} {surname}"),
        None => format!("{given_names} {surname}"),
    }
}

/// The serialised form: three strings, the prefix empty when absent.
#[derive(Serialize, Deserialize)]
struct PersonNameWire {
    given_names: String,
    #[serde(default)]
    prefix: String,
    surname: String,
}

impl TryFrom<PersonNameWire> for PersonName {
    type Error = ValueError;
    fn try_from(w: PersonNameWire) -> Result<Self, Self::Error> {
        PersonName::new(&w.given_names, &w.prefix, &w.surname)
    }
}

impl From<PersonName> for PersonNameWire {
    fn from(n: PersonName) -> Self {
        PersonNameWire {
            given_names: n.given_names.into(),
            prefix: n.prefix.map(String::from).unwrap_or_default(),
            surname: n.surname.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn builds_the_display_name() {
        let n = PersonName::new("Jan", "van der", "Berg").unwrap();
        assert_eq!(n.display_name(), "Jan van der Berg");
        assert_eq!(n.sort_name(), "Berg, Jan van der");
        let n = PersonName::new("Fatima", "  ", "El Amrani").unwrap();
        assert_eq!(n.prefix(), None);
        assert_eq!(n.to_string(), "Fatima El Amrani");
    }

    #[test]
    fn reports_the_first_bad_field() {
        assert_eq!(
            PersonName::new("", "de", "Vries"),
            Err(ValueError::NameEmpty {
                field: NameField::GivenNames
            })
        );
        assert_eq!(
            PersonName::new("Jan", "de", "Vr1es"),
            Err(ValueError::NameInvalidCharacter {
                field: NameField::Surname,
                ch: '1'
            })
        );
    }

    #[test]
    fn serde_checks_each_part_by_its_field() {
        let n = PersonName::new("Jan", "van der", "Berg").unwrap();
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, r#"{"given_names":"Jan","prefix":"van der","surname":"Berg"}"#);
        assert_eq!(serde_json::from_str::<PersonName>(&json).unwrap(), n);
        let bad = r#"{"given_names":"Jan","prefix":"van-der","surname":"Berg"}"#;
        assert!(serde_json::from_str::<PersonName>(bad).is_err());
        let none = r#"{"given_names":"Jan","surname":"Berg"}"#;
        assert_eq!(serde_json::from_str::<PersonName>(none).unwrap().prefix(), None);
    }

    proptest! {
        #[test]
        fn garbage_never_panics(a in ".{0,40}", b in ".{0,25}", c in ".{0,40}") {
            let _ = PersonName::new(&a, &b, &c);
        }

        #[test]
        fn round_trips_through_its_parts_and_serde(
            a in "[A-Za-zé .-]{1,20}", b in "[a-z' ]{0,10}", c in "[A-Za-zö'-]{1,20}",
        ) {
            if let Ok(n) = PersonName::new(&a, &b, &c) {
                let prefix = n.prefix().map(|p| p.to_string()).unwrap_or_default();
                let again = PersonName::new(
                    n.given_names().as_str(), &prefix, n.surname().as_str());
                prop_assert_eq!(again, Ok(n.clone()));
                let json = serde_json::to_string(&n).unwrap();
                prop_assert_eq!(serde_json::from_str::<PersonName>(&json).unwrap(), n.clone());
                prop_assert!(n.display_name().ends_with(n.surname().as_str()));
            }
        }
    }
}
