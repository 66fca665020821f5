//! The Dutch working-day calendar: weekends and national public holidays are not working
//! days. Pure and computed for any year (Easter by the anonymous Gregorian algorithm), so
//! the browser and the server agree on a due date.
//!
//! Holidays counted: New Year's Day, Good Friday, Easter Monday, King's Day (27 April, or
//! 26 April when the 27th is a Sunday), Liberation Day (5 May), Ascension Day, Whit Monday,
//! Christmas Day and Boxing Day.

use crate::domain::time::CivilDate;

/// Earliest and latest promised processing time of a manager registration.
pub const DUE_MIN_WORKING_DAYS: u32 = 5;
pub const DUE_MAX_WORKING_DAYS: u32 = 15;

/// Easter Sunday of `year` (Gregorian calendar).
pub fn easter_sunday(year: i32) -> CivilDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    CivilDate::new(year, month as u8, day as u8).expect("Easter is a real date")
}

/// The Dutch name of the public holiday on `date`, if it is one.
pub fn holiday(date: CivilDate) -> Option<&'static str> {
    let (y, m, d) = (date.year(), date.month(), date.day());
    let easter = easter_sunday(y).to_days();
    let kings_day = {
        let k = CivilDate::new(y, 4, 27).expect("27 April exists");
        if k.weekday() == 6 {
            26
        } else {
            27
        }
    };
    match (m, d) {
        (1, 1) => return Some("Nieuwjaarsdag"),
        (4, x) if x == kings_day => return Some("Koningsdag"),
        (5, 5) => return Some("Bevrijdingsdag"),
        (12, 25) => return Some("Eerste kerstdag"),
        (12, 26) => return Some("Tweede kerstdag"),
        _ => {}
    }
    match date.to_days() - easter {
        -2 => Some("Goede Vrijdag"),
        1 => Some("Tweede paasdag"),
        39 => Some("Hemelvaartsdag"),
        50 => Some("Tweede pinksterdag"),
        _ => None,
    }
}

/// Monday to Friday and not a public holiday.
pub fn is_working_day(date: CivilDate) -> bool {
    date.weekday() < 5 && holiday(date).is_none()
}

/// The `n`th working day after `start` (`start` itself never counts; `n = 0` is `start`).
pub fn add_working_days(start: CivilDate, n: u32) -> CivilDate {
    let mut date = start;
    let mut left = n;
    while left > 0 {
        date = date.add_days(1);
        if is_working_day(date) {
            left -= 1;
        }
    }
    date
}

/// The promised window for something submitted on `submitted`: 5 to 15 working days.
pub fn due_window(submitted: CivilDate) -> (CivilDate, CivilDate) {
    (
        add_working_days(submitted, DUE_MIN_WORKING_DAYS),
        add_working_days(submitted, DUE_MAX_WORKING_DAYS),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> CivilDate {
        CivilDate::new(y, m, d).unwrap()
    }

    #[test]
    fn easter_on_known_dates() {
        for (y, m, d) in [
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2038, 4, 25),
            (2285, 3, 22),
        ] {
            assert_eq!(easter_sunday(y), date(y, m, d), "Easter {y}");
        }
    }

    #[test]
    fn known_holidays_across_years() {
        let known = [
            (date(2024, 3, 29), "Goede Vrijdag"),
            (date(2024, 4, 1), "Tweede paasdag"),
            (date(2024, 5, 9), "Hemelvaartsdag"),
            (date(2024, 5, 20), "Tweede pinksterdag"),
            (date(2025, 4, 18), "Goede Vrijdag"),
            (date(2025, 4, 21), "Tweede paasdag"),
            (date(2025, 5, 29), "Hemelvaartsdag"),
            (date(2025, 6, 9), "Tweede pinksterdag"),
            (date(2026, 4, 3), "Goede Vrijdag"),
            (date(2026, 4, 6), "Tweede paasdag"),
            (date(2026, 5, 14), "Hemelvaartsdag"),
            (date(2026, 5, 25), "Tweede pinksterdag"),
            (date(2025, 4, 26), "Koningsdag"), // the 27th is a Sunday
            (date(2014, 4, 26), "Koningsdag"), // the 27th is a Sunday
            (date(2026, 4, 27), "Koningsdag"),
            (date(2027, 5, 5), "Bevrijdingsdag"),
            (date(2030, 1, 1), "Nieuwjaarsdag"),
            (date(2026, 12, 25), "Eerste kerstdag"),
            (date(2026, 12, 26), "Tweede kerstdag"),
        ];
        for (d, name) in known {
            assert_eq!(holiday(d), Some(name), "{d}");
        }
        for ordinary in [
            date(2025, 4, 27),
            date(2026, 4, 26),
            date(2026, 4, 2),
            date(2026, 5, 15),
            date(2024, 12, 27),
        ] {
            assert_eq!(holiday(ordinary), None, "{ordinary}");
        }
    }

    #[test]
    fn weekends_and_holidays_are_skipped() {
        assert!(!is_working_day(date(2026, 5, 30))); // Saturday
        assert!(!is_working_day(date(2026, 5, 31))); // Sunday
        assert!(is_working_day(date(2026, 6, 1)));
        // Thursday before Easter 2026: Good Friday, the weekend and Easter Monday are skipped.
        assert_eq!(add_working_days(date(2026, 4, 2), 1), date(2026, 4, 7));
        assert_eq!(add_working_days(date(2026, 4, 2), 5), date(2026, 4, 13));
        // Christmas Eve 2025: Christmas, Boxing Day, the weekend and New Year are skipped.
        assert_eq!(add_working_days(date(2025, 12, 24), 5), date(2026, 1, 5));
        // An ordinary Monday: five working days is the next Monday.
        assert_eq!(add_working_days(date(2026, 6, 1), 5), date(2026, 6, 8));
        assert_eq!(add_working_days(date(2026, 6, 1), 0), date(2026, 6, 1));
    }

    #[test]
    fn due_window_is_five_to_fifteen_working_days() {
        // Submitted on Monday 1 June 2026: no holidays in the next three weeks.
        assert_eq!(due_window(date(2026, 6, 1)), (date(2026, 6, 8), date(2026, 6, 22)));
        // Submitted on Friday 24 April 2026: King's Day (Mon 27 April) and Liberation Day
        // (Tue 5 May) fall inside, Ascension (Thu 14 May) too.
        assert_eq!(due_window(date(2026, 4, 24)), (date(2026, 5, 4), date(2026, 5, 20)));
    }
}
