//! Value types: small, always-valid newtypes shared by the browser and the server.
//!
//! *Parse, don't validate*: every type here has private fields and can only be built
//! through `parse` (or `TryFrom`, `FromStr`, or deserialisation, which all call `parse`).
//! Holding an `Email`, a `KvkNumber` or an `AssuranceLevel` therefore proves the value is
//! valid; no other layer re-checks it.
//!
//! Every way a value can be wrong has its own [`ValueError`] variant with a message in
//! plain Dutch, written for the office worker who typed it (a form field or a CSV cell).

mod birth_date;
mod branch_number;
mod email;
mod kvk;
mod level;
mod mobile;
mod name_part;
mod organisation_name;
mod person_name;
mod service_id;

pub use birth_date::BirthDate;
pub use branch_number::BranchNumber;
pub use email::Email;
pub use kvk::KvkNumber;
pub use level::AssuranceLevel;
pub use mobile::DutchMobile;
pub use name_part::{NameField, NamePart};
pub use organisation_name::OrganisationName;
pub use person_name::{display_name, PersonName};
pub use service_id::ServiceId;

/// Why an input is not a valid value. One variant per reason; the `Display` text is the
/// message shown to the person who entered it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ValueError {
    // E-mail address
    #[error("Vul een e-mailadres in.")]
    EmailEmpty,
    #[error("Het e-mailadres is te lang: gebruik maximaal 254 tekens.")]
    EmailTooLong,
    #[error("Een e-mailadres mag geen spaties bevatten.")]
    EmailWhitespace,
    #[error("Gebruik in het e-mailadres geen letters met accenten of andere bijzondere tekens.")]
    EmailNonAscii,
    #[error("Het e-mailadres mist een @, bijvoorbeeld naam@bedrijf.nl.")]
    EmailMissingAt,
    #[error("Een e-mailadres bevat precies één @.")]
    EmailMultipleAt,
    #[error("Het deel vóór de @ in het e-mailadres is leeg, te lang of bevat een teken dat niet mag.")]
    EmailLocalPartInvalid,
    #[error("Het deel na de @ moet een domeinnaam zijn, bijvoorbeeld bedrijf.nl.")]
    EmailDomainInvalid,

    // Mobile number
    #[error("Vul een mobiel nummer in.")]
    MobileEmpty,
    #[error("Een mobiel nummer bestaat alleen uit cijfers; spaties, streepjes en haakjes mogen ook.")]
    MobileInvalidCharacters,
    #[error("Alleen Nederlandse mobiele nummers kunnen worden gebruikt (beginnend met 06 of +316).")]
    MobileNotDutch,
    #[error("Begin het mobiele nummer met 06 of +316.")]
    MobileMissingPrefix,
    #[error("Dit is geen mobiel nummer; een mobiel nummer begint met 06 (een vast nummer zoals 020… kan geen sms ontvangen).")]
    MobileNotMobile,
    #[error("Een mobiel nummer bestaat uit 06 gevolgd door precies 8 cijfers.")]
    MobileWrongLength,

    // KvK and branch numbers
    #[error("Vul het KvK-nummer in.")]
    KvkEmpty,
    #[error("Het KvK-nummer bestaat alleen uit cijfers.")]
    KvkNotDigits,
    #[error("Het KvK-nummer moet uit precies 8 cijfers bestaan.")]
    KvkWrongLength,
    #[error("Vul het vestigingsnummer in.")]
    BranchEmpty,
    #[error("Het vestigingsnummer bestaat alleen uit cijfers.")]
    BranchNotDigits,
    #[error("Het vestigingsnummer moet uit precies 12 cijfers bestaan.")]
    BranchWrongLength,

    // Name parts; the message names the field.
    #[error("Vul {} in.", .field.object())]
    NameEmpty { field: NameField },
    #[error("{} {} te lang: gebruik maximaal {max} tekens.", .field.subject(), .field.is())]
    NameTooLong { field: NameField, max: usize },
    #[error("{} {} alleen letters, spaties, streepjes, apostroffen en punten bevatten. Dit teken mag niet: '{ch}'.", .field.subject(), .field.must())]
    NameInvalidCharacter { field: NameField, ch: char },
    #[error("{} {} minstens één letter bevatten.", .field.subject(), .field.must())]
    NameNoLetter { field: NameField },
    #[error("Het tussenvoegsel mag alleen letters, spaties en een apostrof bevatten, zoals van der, de of 't. Dit teken mag niet: '{ch}'.")]
    PrefixInvalidCharacter { ch: char },

    // Dates
    #[error("Vul de geboortedatum in.")]
    BirthDateEmpty,
    #[error("Schrijf de geboortedatum als dd-mm-jjjj, bijvoorbeeld 05-03-1980.")]
    BirthDateFormat,
    #[error("Deze geboortedatum bestaat niet in de kalender; controleer dag en maand.")]
    BirthDateNonexistent,
    #[error("De geboortedatum ligt in de toekomst.")]
    BirthDateInFuture,
    #[error("De geboortedatum ligt meer dan 130 jaar terug; controleer het jaartal.")]
    BirthDateTooLongAgo,
    #[error("De datum moet de vorm jjjj-mm-dd hebben.")]
    IsoDateFormat,
    #[error("Deze datum bestaat niet in de kalender.")]
    DateNonexistent,

    // Assurance level
    #[error("Kies een betrouwbaarheidsniveau: EH2, EH2+, EH3 of EH4.")]
    LevelEmpty,
    #[error("EH1 bestaat niet meer; kies EH2, EH2+, EH3 of EH4.")]
    LevelEh1,
    #[error("Onbekend betrouwbaarheidsniveau; kies EH2, EH2+, EH3 of EH4.")]
    LevelUnknown,

    // Service id
    #[error("Een dienstcode heeft 3 tot en met 64 tekens.")]
    ServiceIdLength,
    #[error("Een dienstcode begint met een letter.")]
    ServiceIdStart,
    #[error("Een dienstcode bestaat alleen uit kleine letters, cijfers en streepjes, bijvoorbeeld bd-omzetbelasting.")]
    ServiceIdCharacters,
    #[error("Een dienstcode heeft geen twee streepjes achter elkaar en eindigt niet op een streepje.")]
    ServiceIdHyphens,

    // Organisation name
    #[error("Vul de naam van de organisatie in.")]
    OrganisationNameEmpty,
    #[error("De naam van de organisatie is te lang: gebruik maximaal 200 tekens.")]
    OrganisationNameTooLong,
    #[error("De naam van de organisatie bevat een onzichtbaar stuurteken; typ de naam opnieuw.")]
    OrganisationNameControlCharacter,

    // Authorisation term
    #[error("Kies een looptijd van 1, 3 of 5 jaar.")]
    TermInvalid,
    #[error("Een machtiging geldt nooit langer dan 5 jaar; kies 1, 3 of 5 jaar.")]
    TermTooLong,
}

/// Implements the conversions every string-backed value type shares, on top of its
/// `parse(&str) -> Result<Self, ValueError>` and `as_str(&self) -> &str`: `AsRef<str>`,
/// `Display`, `FromStr`, `TryFrom<&str>`, `TryFrom<String>` and `From<T> for String`
/// (the last two are what `#[serde(try_from = "String", into = "String")]` uses).
macro_rules! string_value {
    ($ty:ident) => {
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl std::str::FromStr for $ty {
            type Err = $crate::domain::value::ValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
        impl TryFrom<&str> for $ty {
            type Error = $crate::domain::value::ValueError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }
        impl TryFrom<String> for $ty {
            type Error = $crate::domain::value::ValueError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }
        impl From<$ty> for String {
            fn from(v: $ty) -> String {
                v.as_str().to_owned()
            }
        }
    };
}
pub(crate) use string_value;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_messages_name_the_field_with_the_right_verb() {
        let e = ValueError::NameTooLong {
            field: NameField::GivenNames,
            max: 100,
        };
        assert_eq!(e.to_string(), "De voornamen zijn te lang: gebruik maximaal 100 tekens.");
        let e = ValueError::NameNoLetter {
            field: NameField::Surname,
        };
        assert_eq!(e.to_string(), "De achternaam moet minstens één letter bevatten.");
        let e = ValueError::NameEmpty {
            field: NameField::Prefix,
        };
        assert_eq!(e.to_string(), "Vul het tussenvoegsel in.");
    }

    #[test]
    fn errors_survive_a_serde_round_trip() {
        let e = ValueError::NameInvalidCharacter {
            field: NameField::Surname,
            ch: '#',
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<ValueError>(&json).unwrap(), e);
    }
}
