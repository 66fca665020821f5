//! One line of a means request — a person and the means asked for them — parsed field by
//! field from what a manager typed. The browser runs this on every keystroke and the server
//! runs it again; both get the same Dutch messages.

use super::authorisation::Term;
use super::time::CivilDate;
use super::value::{AssuranceLevel, BirthDate, DutchMobile, Email, NameField, PersonName, ServiceId, ValueError};
use serde::{Deserialize, Serialize};

/// The raw fields of one row of the form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFields {
    pub given_names: String,
    pub prefix: String,
    pub surname: String,
    pub birth_date: String,
    pub email: String,
    pub mobile: String,
    /// "ja" or "nee".
    pub employed: String,
    pub level: String,
}

/// Which field a message is about; the names are the CSV column names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    GivenNames,
    Prefix,
    Surname,
    BirthDate,
    Email,
    Mobile,
    Employed,
    Level,
}

impl Field {
    pub const ALL: [Field; 8] = [
        Field::GivenNames,
        Field::Prefix,
        Field::Surname,
        Field::BirthDate,
        Field::Email,
        Field::Mobile,
        Field::Employed,
        Field::Level,
    ];

    /// The CSV column name; `upload::COLUMNS` takes its names from here.
    pub const fn column(self) -> &'static str {
        match self {
            Field::GivenNames => "voornamen",
            Field::Prefix => "tussenvoegsel",
            Field::Surname => "achternaam",
            Field::BirthDate => "geboortedatum",
            Field::Email => "email",
            Field::Mobile => "mobiel",
            Field::Employed => "in_loondienst",
            Field::Level => "niveau",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

/// A person and the means requested for them; every part valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRequest {
    pub name: PersonName,
    pub birth_date: BirthDate,
    pub email: Email,
    pub mobile: DutchMobile,
    pub employed: bool,
    pub level: AssuranceLevel,
    pub services: Vec<ServiceId>,
    pub term: Option<Term>,
}

/// `ja`/`nee` (any case, trimmed).
pub fn parse_yes_no(s: &str) -> Result<bool, String> {
    match s.trim().to_lowercase().as_str() {
        "ja" => Ok(true),
        "nee" => Ok(false),
        "" => Err("Vul in of de persoon in loondienst is: ja of nee.".into()),
        _ => Err(format!("‘{}’ is geen geldige keuze; vul ja of nee in.", s.trim())),
    }
}

impl PersonRequest {
    /// Parses every field, collecting every problem; `max_level` is the manager's own level.
    pub fn from_fields(
        f: &RequestFields,
        today: CivilDate,
        max_level: AssuranceLevel,
    ) -> Result<PersonRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: Field, message: String| errors.push(FieldError { field, message });
        let name = PersonName::new(&f.given_names, &f.prefix, &f.surname);
        if let Err(e) = &name {
            let field = match e {
                ValueError::NameEmpty { field }
                | ValueError::NameTooLong { field, .. }
                | ValueError::NameInvalidCharacter { field, .. }
                | ValueError::NameNoLetter { field } => match field {
                    NameField::GivenNames => Field::GivenNames,
                    NameField::Prefix => Field::Prefix,
                    NameField::Surname => Field::Surname,
                },
                ValueError::PrefixInvalidCharacter { .. } => Field::Prefix,
                _ => Field::Surname,
            };
            err(field, e.to_string());
        }
        let birth_date = BirthDate::parse(&f.birth_date, today).map_err(|e| err(Field::BirthDate, e.to_string()));
        let email = Email::parse(&f.email).map_err(|e| err(Field::Email, e.to_string()));
        let mobile = DutchMobile::parse(&f.mobile).map_err(|e| err(Field::Mobile, e.to_string()));
        let employed = parse_yes_no(&f.employed).map_err(|m| err(Field::Employed, m));
        let level = match AssuranceLevel::parse(&f.level) {
            Ok(l) if l > max_level => {
                err(
                    Field::Level,
                    format!(
                        "U kunt middelen aanvragen tot en met uw eigen niveau ({}).",
                        max_level.as_str()
                    ),
                );
                Err(())
            }
            Ok(l) => Ok(l),
            Err(e) => {
                err(Field::Level, e.to_string());
                Err(())
            }
        };
        match (name, birth_date, email, mobile, employed, level) {
            (Ok(name), Ok(birth_date), Ok(email), Ok(mobile), Ok(employed), Ok(level)) => Ok(PersonRequest {
                name,
                birth_date,
                email,
                mobile,
                employed,
                level,
                services: Vec::new(),
                term: None,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> CivilDate {
        CivilDate::new(2026, 6, 1).unwrap()
    }

    fn good() -> RequestFields {
        RequestFields {
            given_names: "Jan".into(),
            prefix: "van der".into(),
            surname: "Berg".into(),
            birth_date: "01-02-1980".into(),
            email: "Jan@Example.nl".into(),
            mobile: "06-12345678".into(),
            employed: "Ja".into(),
            level: "eh3".into(),
        }
    }

    #[test]
    fn a_good_row_parses() {
        let p = PersonRequest::from_fields(&good(), today(), AssuranceLevel::Eh3).unwrap();
        assert_eq!(p.email.as_str(), "jan@example.nl");
        assert_eq!(p.mobile.as_e164(), "+31612345678");
        assert!(p.employed);
        assert_eq!(p.level, AssuranceLevel::Eh3);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let f = RequestFields {
            given_names: "".into(),
            birth_date: "31-02-1980".into(),
            email: "geen-mail".into(),
            mobile: "020-1234567".into(),
            employed: "misschien".into(),
            level: "EH1".into(),
            ..good()
        };
        let errs = PersonRequest::from_fields(&f, today(), AssuranceLevel::Eh4).unwrap_err();
        let fields: Vec<Field> = errs.iter().map(|e| e.field).collect();
        for f in [
            Field::GivenNames,
            Field::BirthDate,
            Field::Email,
            Field::Mobile,
            Field::Employed,
            Field::Level,
        ] {
            assert!(fields.contains(&f), "{f:?} missing in {errs:?}");
        }
    }

    #[test]
    fn the_level_is_capped_at_the_managers_own() {
        let f = RequestFields {
            level: "EH4".into(),
            ..good()
        };
        let errs = PersonRequest::from_fields(&f, today(), AssuranceLevel::Eh3).unwrap_err();
        assert_eq!(errs[0].field, Field::Level);
        assert!(errs[0].message.contains("EH3"));
    }

    #[test]
    fn yes_no() {
        assert_eq!(parse_yes_no(" NEE "), Ok(false));
        assert!(parse_yes_no("j").is_err());
    }
}
