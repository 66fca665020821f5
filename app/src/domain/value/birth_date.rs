//! [`BirthDate`]: a person's date of birth.
//!
//! People type it the Dutch way, `dd-mm-jjjj` (or `d-m-jjjj`); it is stored and
//! serialised as ISO `jjjj-mm-dd`. Invariants of [`BirthDate::parse`]: a real calendar
//! date, not after `today`, and not more than 130 years before it. "Today" is a parameter
//! so the rule stays pure; the caller passes the Amsterdam date of its clock.
//! [`BirthDate::from_iso`] (and deserialisation) reads stored values and checks only that
//! the date exists: the age rule held when the value was first accepted.

use super::ValueError;
use crate::domain::time::CivilDate;
use serde::{Deserialize, Serialize};
use std::fmt;

const MAX_AGE_YEARS: i32 = 130;

/// A valid date of birth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BirthDate(CivilDate);

impl BirthDate {
    /// Parses `dd-mm-jjjj` or `d-m-jjjj` and checks it against `today`.
    pub fn parse(input: &str, today: CivilDate) -> Result<BirthDate, ValueError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ValueError::BirthDateEmpty);
        }
        let parts: Vec<&str> = s.split('-').collect();
        let [d, m, y] = parts.as_slice() else {
            return Err(ValueError::BirthDateFormat);
        };
        let digits = |p: &str, lens: std::ops::RangeInclusive<usize>| {
            lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        if !(digits(d, 1..=2) && digits(m, 1..=2) && digits(y, 4..=4)) {
            return Err(ValueError::BirthDateFormat);
        }
        let parse_num = |p: &str| p.parse::<i32>().map_err(|_| ValueError::BirthDateFormat);
        let (day, month, year) = (parse_num(d)?, parse_num(m)?, parse_num(y)?);
        let date = CivilDate::new(year, month as u8, day as u8).ok_or(ValueError::BirthDateNonexistent)?;
        if date > today {
            return Err(ValueError::BirthDateInFuture);
        }
        if date < today.add_years(-MAX_AGE_YEARS) {
            return Err(ValueError::BirthDateTooLongAgo);
        }
        Ok(BirthDate(date))
    }

    /// Reads a stored `jjjj-mm-dd` value.
    pub fn from_iso(input: &str) -> Result<BirthDate, ValueError> {
        CivilDate::parse_iso(input).map(BirthDate)
    }

    pub fn date(self) -> CivilDate {
        self.0
    }

    /// `dd-mm-jjjj`.
    pub fn dutch(self) -> String {
        self.0.dutch()
    }

    /// `jjjj-mm-dd`.
    pub fn iso(self) -> String {
        self.0.iso()
    }

    /// Age in whole years on `today`.
    pub fn age_on(self, today: CivilDate) -> i32 {
        let b = self.0;
        let had_birthday = (today.month(), today.day()) >= (b.month(), b.day());
        today.year() - b.year() - i32::from(!had_birthday)
    }
}

/// Shows the Dutch form, as people expect to read it.
impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dutch())
    }
}

/// Reads the stored ISO form (see [`BirthDate::from_iso`]).
impl TryFrom<&str> for BirthDate {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        BirthDate::from_iso(s)
    }
}

impl TryFrom<String> for BirthDate {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        BirthDate::from_iso(&s)
    }
}

impl From<BirthDate> for String {
    fn from(b: BirthDate) -> String {
        b.iso()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> CivilDate {
        CivilDate::new(2026, 3, 15).unwrap()
    }

    #[test]
    fn reads_the_dutch_notation() {
        let b = BirthDate::parse(" 05-03-1980 ", today()).unwrap();
        assert_eq!((b.iso(), b.dutch()), ("1980-03-05".into(), "05-03-1980".into()));
        assert_eq!(BirthDate::parse("5-3-1980", today()), Ok(b));
        assert_eq!(b.to_string(), "05-03-1980");
        assert_eq!(b.age_on(today()), 46);
        assert_eq!(b.age_on(CivilDate::new(2026, 3, 4).unwrap()), 45);
    }

    #[test]
    fn knows_leap_years() {
        assert!(BirthDate::parse("29-02-2000", today()).is_ok());
        assert_eq!(
            BirthDate::parse("29-02-1900", today()),
            Err(ValueError::BirthDateNonexistent)
        );
        assert_eq!(
            BirthDate::parse("31-04-1990", today()),
            Err(ValueError::BirthDateNonexistent)
        );
        assert_eq!(
            BirthDate::parse("01-13-1990", today()),
            Err(ValueError::BirthDateNonexistent)
        );
    }

    #[test]
    fn refuses_with_a_reason() {
        use ValueError::*;
        assert_eq!(BirthDate::parse("", today()), Err(BirthDateEmpty));
        assert_eq!(BirthDate::parse("1980-03-05", today()), Err(BirthDateFormat));
        assert_eq!(BirthDate::parse("05/03/1980", today()), Err(BirthDateFormat));
        assert_eq!(BirthDate::parse("05-03-80", today()), Err(BirthDateFormat));
        assert_eq!(BirthDate::parse("+5-03-1980", today()), Err(BirthDateFormat));
        assert_eq!(BirthDate::parse("16-03-2026", today()), Err(BirthDateInFuture));
        assert!(BirthDate::parse("15-03-2026", today()).is_ok());
        assert!(BirthDate::parse("15-03-1896", today()).is_ok());
        assert_eq!(BirthDate::parse("14-03-1896", today()), Err(BirthDateTooLongAgo));
    }

    #[test]
    fn serde_uses_iso() {
        let b = BirthDate::from_iso("1980-03-05").unwrap();
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"1980-03-05\"");
        assert_eq!(serde_json::from_str::<BirthDate>("\"1980-03-05\"").unwrap(), b);
        assert!(serde_json::from_str::<BirthDate>("\"05-03-1980\"").is_err());
    }

    proptest! {
        #[test]
        fn garbage_never_panics(s in ".{0,20}", t in "[0-9]{0,3}-[0-9]{0,3}-[0-9]{0,5}") {
            let _ = BirthDate::parse(&s, today());
            let _ = BirthDate::parse(&t, today());
            let _ = BirthDate::from_iso(&s);
        }

        #[test]
        fn round_trips(days_back in 0i64..47_000) {
            let date = today().add_days(-days_back);
            if let Ok(b) = BirthDate::parse(&date.dutch(), today()) {
                prop_assert_eq!(b.date(), date);
                prop_assert_eq!(BirthDate::parse(&b.to_string(), today()), Ok(b));
                prop_assert_eq!(BirthDate::from_iso(&b.iso()), Ok(b));
            }
        }

        #[test]
        fn accepted_dates_are_within_130_years(d in 1u8..=31, m in 1u8..=12, y in 1850i32..2100) {
            if let Ok(b) = BirthDate::parse(&format!("{d}-{m}-{y}"), today()) {
                prop_assert!(b.date() <= today());
                prop_assert!(b.date() >= today().add_years(-130));
                prop_assert_eq!((b.date().day(), b.date().month(), b.date().year()), (d, m, y));
            }
        }
    }
}
