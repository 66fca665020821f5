//! Calendar dates and Dutch local time, without a date-time crate (this code also runs
//! in the browser as WASM).
//!
//! Owns [`CivilDate`] (a proleptic Gregorian date; invariant: the day exists in its month)
//! and the formatting of UTC instants — unix milliseconds, as the database stores them —
//! in Europe/Amsterdam time. Day arithmetic uses Howard Hinnant's `days_from_civil` and
//! `civil_from_days` algorithms. Amsterdam time is CET (UTC+1), and CEST (UTC+2) from
//! 01:00 UTC on the last Sunday of March until 01:00 UTC on the last Sunday of October,
//! the EU rule in force since 1996; earlier instants are shown by the same rule.

use crate::domain::value::ValueError;
use serde::{Deserialize, Serialize};
use std::fmt;

const MS_PER_DAY: i64 = 86_400_000;
const MS_PER_HOUR: i64 = 3_600_000;
/// The day range of `i64` unix milliseconds; `from_days` clamps to it.
const MAX_DAYS: i64 = i64::MAX / MS_PER_DAY;

/// A date in the Gregorian calendar. Ordered chronologically. Serialised as `jjjj-mm-dd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CivilDate {
    year: i32,
    month: u8,
    day: u8,
}

pub fn is_leap_year(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1..=12) of `year`; 0 for a month that does not exist.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl CivilDate {
    /// `None` when the date does not exist (month 13, 30 February, 29 February 2025 …).
    pub fn new(year: i32, month: u8, day: u8) -> Option<CivilDate> {
        (1..=days_in_month(year, month))
            .contains(&day)
            .then_some(CivilDate { year, month, day })
    }

    /// Same as the free function [`is_leap_year`].
    pub fn is_leap_year(year: i32) -> bool {
        is_leap_year(year)
    }

    /// Same as the free function [`days_in_month`].
    pub fn days_in_month(year: i32, month: u8) -> u8 {
        days_in_month(year, month)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The UTC date of an instant in unix milliseconds.
    pub fn from_unix_ms(unix_ms: i64) -> CivilDate {
        CivilDate::from_days(unix_ms.div_euclid(MS_PER_DAY))
    }

    /// The date `days` after 1970-01-01 (negative: before). Clamped to the range of
    /// `i64` unix milliseconds (about 292 million years either way).
    pub fn from_days(days: i64) -> CivilDate {
        let z = days.clamp(-MAX_DAYS - 1, MAX_DAYS) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        CivilDate {
            year: year as i32,
            month,
            day,
        }
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn to_days(self) -> i64 {
        let m = i64::from(self.month);
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn add_days(self, days: i64) -> CivilDate {
        CivilDate::from_days(self.to_days().saturating_add(days))
    }

    /// The same day `years` later (or earlier); 29 February becomes 28 February in a
    /// year without it.
    pub fn add_years(self, years: i32) -> CivilDate {
        let year = self.year.saturating_add(years);
        let day = self.day.min(days_in_month(year, self.month));
        CivilDate {
            year,
            month: self.month,
            day,
        }
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday.
        (self.to_days() + 3).rem_euclid(7) as u8
    }

    /// `jjjj-mm-dd`; years outside 0..=9999 carry a sign (`+12345-01-01`, `-0001-01-01`).
    pub fn iso(self) -> String {
        let CivilDate { year, month, day } = self;
        match year {
            0..=9999 => format!("{year:04}-{month:02}-{day:02}"),
            y if y < 0 => format!("-{:04}-{month:02}-{day:02}", y.unsigned_abs()),
            y => format!("+{y}-{month:02}-{day:02}"),
        }
    }

    /// `dd-mm-jjjj`, the Dutch notation.
    pub fn dutch(self) -> String {
        format!("{:02}-{:02}-{:04}", self.day, self.month, self.year)
    }

    /// Reads what [`CivilDate::iso`] writes.
    pub fn parse_iso(input: &str) -> Result<CivilDate, ValueError> {
        let s = input.trim();
        let (sign, rest) = match s.as_bytes().first() {
            Some(b'+') => (1, &s[1..]),
            Some(b'-') => (-1, &s[1..]),
            _ => (0, s),
        };
        let mut parts = rest.split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(ValueError::IsoDateFormat);
        };
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let year_ok = if sign == 0 {
            y.len() == 4
        } else {
            (4..=10).contains(&y.len())
        };
        if !(year_ok && digits(y) && m.len() == 2 && digits(m) && d.len() == 2 && digits(d)) {
            return Err(ValueError::IsoDateFormat);
        }
        let year: i64 = y.parse().map_err(|_| ValueError::IsoDateFormat)?;
        let year = i32::try_from(if sign < 0 { -year } else { year }).map_err(|_| ValueError::IsoDateFormat)?;
        let (month, day) = (m.parse().unwrap_or(0), d.parse().unwrap_or(0));
        CivilDate::new(year, month, day).ok_or(ValueError::DateNonexistent)
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl TryFrom<String> for CivilDate {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CivilDate::parse_iso(&s)
    }
}

impl From<CivilDate> for String {
    fn from(d: CivilDate) -> String {
        d.iso()
    }
}

/// The last Sunday of `month`, as days since the epoch.
fn last_sunday(year: i32, month: u8) -> i64 {
    let last = CivilDate {
        year,
        month,
        day: days_in_month(year, month),
    };
    last.to_days() - i64::from((last.weekday() + 1) % 7)
}

/// Offset of Amsterdam local time from UTC at an instant, in milliseconds.
fn amsterdam_offset_ms(unix_ms: i64) -> i64 {
    let year = CivilDate::from_unix_ms(unix_ms).year;
    let summer_starts = last_sunday(year, 3) * MS_PER_DAY + MS_PER_HOUR;
    let summer_ends = last_sunday(year, 10) * MS_PER_DAY + MS_PER_HOUR;
    if (summer_starts..summer_ends).contains(&unix_ms) {
        2 * MS_PER_HOUR
    } else {
        MS_PER_HOUR
    }
}

fn amsterdam_local_ms(unix_ms: i64) -> i64 {
    unix_ms.saturating_add(amsterdam_offset_ms(unix_ms))
}

/// `dd-mm-jjjj hh:mm` in Europe/Amsterdam local time.
pub fn format_amsterdam(unix_ms: i64) -> String {
    let local = amsterdam_local_ms(unix_ms);
    let minutes = local.rem_euclid(MS_PER_DAY) / 60_000;
    let date = CivilDate::from_unix_ms(local).dutch();
    format!("{date} {:02}:{:02}", minutes / 60, minutes % 60)
}

/// `dd-mm-jjjj`: the Europe/Amsterdam calendar date of an instant.
pub fn format_date_amsterdam(unix_ms: i64) -> String {
    CivilDate::from_unix_ms(amsterdam_local_ms(unix_ms)).dutch()
}

/// The Europe/Amsterdam calendar date of an instant ("today" for a Dutch user).
pub fn date_amsterdam(unix_ms: i64) -> CivilDate {
    CivilDate::from_unix_ms(amsterdam_local_ms(unix_ms))
}

#[cfg(test)]
mod tests;
