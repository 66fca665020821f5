//! [`Person`]: someone who holds (or will hold) a means, or acts as a representative.
//!
//! Invariants come from the value types. Deliberately absent: a BSN, which this product
//! never collects. Whether the person is employed by an organisation is a property of the
//! means (one person can work for one organisation and be hired by another).

use crate::domain::value::{BirthDate, DutchMobile, Email, PersonName};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub name: PersonName,
    pub birth_date: BirthDate,
    pub email: Email,
    pub mobile: DutchMobile,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_round_trip() {
        let p = Person {
            id: "p1".into(),
            name: PersonName::new("Jan", "van der", "Berg").unwrap(),
            birth_date: BirthDate::from_iso("1980-03-05").unwrap(),
            email: Email::parse("jan@bedrijf.nl").unwrap(),
            mobile: DutchMobile::parse("0612345678").unwrap(),
        };
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Person>(&json).unwrap(), p);
    }
}
