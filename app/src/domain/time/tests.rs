//! Tests for `domain::time`: known dates and DST switches, and calendar properties.

use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u8, day: u8) -> CivilDate {
    CivilDate::new(y, m, day).unwrap()
}

#[test]
fn validates_dates() {
    assert!(CivilDate::new(2024, 2, 29).is_some());
    assert!(CivilDate::new(2025, 2, 29).is_none());
    assert!(CivilDate::new(1900, 2, 29).is_none());
    assert!(CivilDate::new(2000, 2, 29).is_some());
    assert!(CivilDate::new(2025, 4, 31).is_none());
    assert!(CivilDate::new(2025, 13, 1).is_none());
    assert!(CivilDate::new(2025, 1, 0).is_none());
    assert_eq!(days_in_month(2025, 0), 0);
    assert!(CivilDate::is_leap_year(2024) && !CivilDate::is_leap_year(2100));
    assert_eq!(CivilDate::days_in_month(2024, 2), 29);
}

#[test]
fn counts_days_from_the_epoch() {
    assert_eq!(d(1970, 1, 1).to_days(), 0);
    assert_eq!(d(2000, 3, 1).to_days(), 11_017);
    assert_eq!(d(1, 1, 1).to_days(), -719_162);
    assert_eq!(CivilDate::from_days(-1), d(1969, 12, 31));
    assert_eq!(CivilDate::from_unix_ms(-1), d(1969, 12, 31));
    assert_eq!(CivilDate::from_unix_ms(1_774_746_000_000), d(2026, 3, 29));
}

#[test]
fn knows_weekdays() {
    assert_eq!(d(1970, 1, 1).weekday(), 3);
    assert_eq!(d(2026, 3, 29).weekday(), 6);
    assert_eq!(d(2026, 3, 30).weekday(), 0);
}

#[test]
fn adds_years_and_days() {
    assert_eq!(d(2024, 2, 29).add_years(1), d(2025, 2, 28));
    assert_eq!(d(2024, 2, 29).add_years(4), d(2028, 2, 29));
    assert_eq!(d(2026, 5, 31).add_years(-130), d(1896, 5, 31));
    assert_eq!(d(2025, 12, 31).add_days(1), d(2026, 1, 1));
}

#[test]
fn formats_and_parses() {
    let x = d(2026, 3, 9);
    assert_eq!(x.iso(), "2026-03-09");
    assert_eq!(x.dutch(), "09-03-2026");
    assert_eq!(x.to_string(), "2026-03-09");
    assert_eq!(CivilDate::parse_iso("2026-03-09"), Ok(x));
    assert_eq!(CivilDate::parse_iso("2026-02-30"), Err(ValueError::DateNonexistent));
    assert_eq!(CivilDate::parse_iso("09-03-2026"), Err(ValueError::IsoDateFormat));
    assert_eq!(CivilDate::parse_iso("2026-3-9"), Err(ValueError::IsoDateFormat));
    assert_eq!(d(-1, 1, 1).iso(), "-0001-01-01");
    assert_eq!(d(12_345, 1, 1).iso(), "+12345-01-01");
    assert_eq!(serde_json::to_string(&x).unwrap(), "\"2026-03-09\"");
    assert!(serde_json::from_str::<CivilDate>("\"2026-13-01\"").is_err());
}

#[test]
fn amsterdam_summer_time_starts_on_the_last_sunday_of_march() {
    assert_eq!(format_amsterdam(1_774_745_940_000), "29-03-2026 01:59");
    assert_eq!(format_amsterdam(1_774_746_000_000), "29-03-2026 03:00");
    assert_eq!(format_amsterdam(1_743_296_400_000), "30-03-2025 03:00");
}

#[test]
fn amsterdam_summer_time_ends_on_the_last_sunday_of_october() {
    assert_eq!(format_amsterdam(1_792_889_940_000), "25-10-2026 02:59");
    assert_eq!(format_amsterdam(1_792_890_000_000), "25-10-2026 02:00");
}

#[test]
fn amsterdam_winter_summer_and_midnight() {
    assert_eq!(format_amsterdam(1_768_478_400_000), "15-01-2026 13:00");
    assert_eq!(format_amsterdam(1_782_907_200_000), "01-07-2026 14:00");
    assert_eq!(format_amsterdam(1_767_223_800_000), "01-01-2026 00:30");
    assert_eq!(format_date_amsterdam(1_782_858_600_000), "01-07-2026");
    assert_eq!(date_amsterdam(1_782_858_600_000), d(2026, 7, 1));
    assert_eq!(format_amsterdam(0), "01-01-1970 01:00");
}

/// A date the slow way: the day after `x`.
fn next_day(x: CivilDate) -> CivilDate {
    if x.day() < days_in_month(x.year(), x.month()) {
        d(x.year(), x.month(), x.day() + 1)
    } else if x.month() < 12 {
        d(x.year(), x.month() + 1, 1)
    } else {
        d(x.year() + 1, 1, 1)
    }
}

proptest! {
    #[test]
    fn days_round_trip(n in -MAX_DAYS - 1..=MAX_DAYS) {
        let x = CivilDate::from_days(n);
        prop_assert!(CivilDate::new(x.year(), x.month(), x.day()).is_some());
        prop_assert_eq!(x.to_days(), n);
    }

    #[test]
    fn from_days_never_panics(n in any::<i64>()) {
        let x = CivilDate::from_days(n);
        prop_assert!(CivilDate::new(x.year(), x.month(), x.day()).is_some());
    }

    #[test]
    fn consecutive_days_are_consecutive_dates(n in -1_000_000i64..1_000_000) {
        let x = CivilDate::from_days(n);
        prop_assert_eq!(CivilDate::from_days(n + 1), next_day(x));
        prop_assert!(x < CivilDate::from_days(n + 1));
        prop_assert_eq!((x.weekday() + 1) % 7, CivilDate::from_days(n + 1).weekday());
    }

    #[test]
    fn iso_round_trips(n in -MAX_DAYS - 1..=MAX_DAYS) {
        let x = CivilDate::from_days(n);
        prop_assert_eq!(CivilDate::parse_iso(&x.iso()), Ok(x));
        let json = serde_json::to_string(&x).unwrap();
        prop_assert_eq!(serde_json::from_str::<CivilDate>(&json).unwrap(), x);
    }

    #[test]
    fn parse_iso_never_panics(s in ".{0,20}", t in "[+-]?[0-9]{0,11}-[0-9]{0,3}-[0-9]{0,3}") {
        let _ = CivilDate::parse_iso(&s);
        if let Ok(x) = CivilDate::parse_iso(&t) {
            prop_assert!(CivilDate::new(x.year(), x.month(), x.day()).is_some());
        }
    }

    #[test]
    fn add_years_always_gives_a_real_date(n in -800_000i64..800_000, y in -500i32..500) {
        let x = CivilDate::from_days(n).add_years(y);
        prop_assert!(CivilDate::new(x.year(), x.month(), x.day()).is_some());
    }

    #[test]
    fn amsterdam_is_one_or_two_hours_ahead(ms in any::<i64>()) {
        let text = format_amsterdam(ms);
        prop_assert!(text.len() >= 16);
        let offset = amsterdam_offset_ms(ms);
        prop_assert!(offset == MS_PER_HOUR || offset == 2 * MS_PER_HOUR);
        prop_assert!(text.starts_with(&format_date_amsterdam(ms)));
    }

    #[test]
    fn summer_time_only_between_april_and_october(ms in 0i64..4_102_444_800_000) {
        let month = CivilDate::from_unix_ms(ms).month();
        let offset = amsterdam_offset_ms(ms);
        if (4..=9).contains(&month) { prop_assert_eq!(offset, 2 * MS_PER_HOUR); }
        if month <= 2 || month >= 11 { prop_assert_eq!(offset, MS_PER_HOUR); }
    }
}
