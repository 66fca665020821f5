//! The login limits of one login name (the typed e-mail address, whether or not an account
//! has it), as pure rules over what was stored about it:
//!
//! - after [`LoginLimits::delay_after`] wrong answers (passwords and SMS codes alike) each
//!   next try waits longer: 1 s, 2 s, 4 s, … up to [`LoginLimits::max_delay_ms`];
//! - after [`LoginLimits::lock_after`] wrong answers within 24 hours the name is locked for
//!   [`LoginLimits::lock_ms`] (and the holder, if there is one, hears of it);
//! - a completed login starts the count again; a correct password alone does not, so
//!   entering the password again buys no new guesses at the code;
//! - login SMS: at most [`LoginLimits::sms_per_hour`] an hour and
//!   [`LoginLimits::sms_per_day`] a day per account (SMS pumping).
//!
//! Times are unix milliseconds; nothing here reads a clock.

use serde::{Deserialize, Serialize};

pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 24 * HOUR_MS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginLimits {
    pub delay_after: u32,
    pub max_delay_ms: i64,
    pub lock_after: u32,
    pub lock_ms: i64,
    pub sms_per_hour: u32,
    pub sms_per_day: u32,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            delay_after: 5,
            max_delay_ms: 15 * 60_000,
            lock_after: 20,
            lock_ms: HOUR_MS,
            sms_per_hour: 5,
            sms_per_day: 20,
        }
    }
}

/// What is stored about one login name, as far as the rules need it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attempts {
    /// Wrong answers in the last 24 hours since the last completed login.
    pub failures: u32,
    pub last_failure_at: Option<i64>,
    /// When the latest lock began.
    pub lock_started_at: Option<i64>,
}

/// May the next try go ahead now?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Go,
    /// Too many wrong answers in a row: not before `until`.
    Wait {
        until: i64,
    },
    /// Locked: not before `until`.
    Locked {
        until: i64,
    },
}

impl LoginLimits {
    /// The wait after `failures` wrong answers (0 below the threshold).
    pub fn delay_ms(&self, failures: u32) -> i64 {
        if failures < self.delay_after.max(1) {
            return 0;
        }
        let doublings = (failures - self.delay_after.max(1)).min(30);
        (1_000i64 << doublings).min(self.max_delay_ms)
    }

    pub fn verdict(&self, a: &Attempts, now: i64) -> Verdict {
        if let Some(start) = a.lock_started_at {
            if start + self.lock_ms > now {
                return Verdict::Locked {
                    until: start + self.lock_ms,
                };
            }
        }
        if let Some(last) = a.last_failure_at {
            let until = last + self.delay_ms(a.failures);
            if until > now {
                return Verdict::Wait { until };
            }
        }
        Verdict::Go
    }

    /// Whether a wrong answer that brings the count to `failures` starts a lock (no lock is
    /// running, or the verdict would have refused the try).
    pub fn locks_at(&self, failures: u32) -> bool {
        failures >= self.lock_after.max(1)
    }

    /// When the next login SMS may go, given when the earlier ones went (any order), or
    /// `None` when it may go now.
    pub fn next_sms_at(&self, sent: &[i64], now: i64) -> Option<i64> {
        let mut recent: Vec<i64> = sent.iter().copied().filter(|t| *t > now - DAY_MS).collect();
        recent.sort_unstable();
        let hour: Vec<i64> = recent.iter().copied().filter(|t| *t > now - HOUR_MS).collect();
        let by_hour = (hour.len() as u32 >= self.sms_per_hour.max(1))
            .then(|| hour[hour.len() - self.sms_per_hour.max(1) as usize] + HOUR_MS);
        let by_day = (recent.len() as u32 >= self.sms_per_day.max(1))
            .then(|| recent[recent.len() - self.sms_per_day.max(1) as usize] + DAY_MS);
        by_hour.into_iter().chain(by_day).max()
    }
}

/// "over 40 seconden", "over 3 minuten": how long until `until`, in words.
pub fn wait_words(until: i64, now: i64) -> String {
    let secs = ((until - now).max(0) + 999) / 1000;
    match secs {
        0 | 1 => "over 1 seconde".to_string(),
        s if s < 60 => format!("over {s} seconden"),
        s if s < 120 => "over 1 minuut".to_string(),
        s => format!("over {} minuten", (s + 59) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_delay_starts_at_the_threshold_and_grows() {
        let l = LoginLimits::default();
        assert_eq!(l.delay_ms(4), 0);
        assert_eq!(l.delay_ms(5), 1_000);
        assert_eq!(l.delay_ms(6), 2_000);
        assert_eq!(l.delay_ms(9), 16_000);
        assert_eq!(l.delay_ms(19), 15 * 60_000, "capped");
        let a = Attempts {
            failures: 6,
            last_failure_at: Some(10_000),
            lock_started_at: None,
        };
        assert_eq!(l.verdict(&a, 11_000), Verdict::Wait { until: 12_000 });
        assert_eq!(l.verdict(&a, 12_000), Verdict::Go);
    }

    #[test]
    fn a_lock_holds_for_its_time() {
        let l = LoginLimits::default();
        assert!(!l.locks_at(19) && l.locks_at(20));
        let a = Attempts {
            failures: 20,
            last_failure_at: Some(0),
            lock_started_at: Some(0),
        };
        assert_eq!(l.verdict(&a, HOUR_MS - 1), Verdict::Locked { until: HOUR_MS });
        assert_eq!(l.verdict(&a, HOUR_MS), Verdict::Go);
    }

    #[test]
    fn login_sms_are_capped_per_hour_and_per_day() {
        let l = LoginLimits::default();
        let now = 10 * DAY_MS;
        let four: Vec<i64> = (0..4).map(|i| now - 1_000 * (i + 1)).collect();
        assert_eq!(l.next_sms_at(&four, now), None);
        let five: Vec<i64> = (0..5).map(|i| now - 60_000 * (i + 1)).collect();
        assert_eq!(
            l.next_sms_at(&five, now),
            Some(now - 5 * 60_000 + HOUR_MS),
            "when the oldest of the hour leaves it"
        );
        // 20 spread over the day, never 5 in one hour: the day cap.
        let day: Vec<i64> = (0..20).map(|i| now - (i + 1) * HOUR_MS + 1).collect();
        assert_eq!(l.next_sms_at(&day, now), Some(now - 20 * HOUR_MS + 1 + DAY_MS));
        let old: Vec<i64> = (0..50).map(|i| now - DAY_MS - i).collect();
        assert_eq!(l.next_sms_at(&old, now), None, "older than a day counts for nothing");
    }

    #[test]
    fn waits_read_as_dutch() {
        assert_eq!(wait_words(1_000, 0), "over 1 seconde");
        assert_eq!(wait_words(30_500, 0), "over 31 seconden");
        assert_eq!(wait_words(61_000, 0), "over 1 minuut");
        assert_eq!(wait_words(3_600_000, 0), "over 60 minuten");
    }

    proptest! {
        #[test]
        fn more_failures_never_wait_less(n in 0u32..100) {
            let l = LoginLimits::default();
            prop_assert!(l.delay_ms(n + 1) >= l.delay_ms(n));
            prop_assert!(l.delay_ms(n) <= l.max_delay_ms);
        }

        #[test]
        fn the_sms_cap_is_never_exceeded(times in prop::collection::vec(0i64..(2 * DAY_MS), 0..60)) {
            // Replaying sends in time order and letting each go only when allowed never puts
            // more than the caps into any hour or day.
            let l = LoginLimits::default();
            let mut sorted = times.clone();
            sorted.sort_unstable();
            let mut sent: Vec<i64> = Vec::new();
            for t in sorted {
                if l.next_sms_at(&sent, t).is_none() {
                    sent.push(t);
                }
            }
            for &t in &sent {
                let in_hour = sent.iter().filter(|s| **s > t - HOUR_MS && **s <= t).count();
                let in_day = sent.iter().filter(|s| **s > t - DAY_MS && **s <= t).count();
                prop_assert!(in_hour <= 5 && in_day <= 20);
            }
        }
    }
}
