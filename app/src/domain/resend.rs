//! The rate limit on a manager's resends of a request's e-mail or SMS, and a request's age
//! in words. Pure, so the rule is tested once and the page can explain it.

/// At most one resend per this many milliseconds …
pub const MIN_GAP_MS: i64 = 5 * 60_000;
/// … and at most this many per [`WINDOW_MS`].
pub const PER_WINDOW: usize = 5;
pub const WINDOW_MS: i64 = 24 * 3_600_000;

/// When the next resend is allowed, given the times of the resends in the last
/// [`WINDOW_MS`] (any order); `None` when one is allowed now.
pub fn next_allowed(recent: &[i64], now: i64) -> Option<i64> {
    let mut times: Vec<i64> = recent.iter().copied().filter(|t| *t > now - WINDOW_MS).collect();
    times.sort_unstable();
    let mut at = times.last().map(|l| l + MIN_GAP_MS).unwrap_or(i64::MIN);
    if times.len() >= PER_WINDOW {
        // The oldest that must drop out of the window first.
        at = at.max(times[times.len() - PER_WINDOW] + WINDOW_MS);
    }
    (at > now).then_some(at)
}

/// "3 minuten", "1 uur", "2 dagen": how long `ms` is, rounded down, at least a minute.
pub fn duration_nl(ms: i64) -> String {
    let minutes = (ms / 60_000).max(1);
    let (n, one, many) = if minutes < 60 {
        (minutes, "minuut", "minuten")
    } else if minutes < 48 * 60 {
        (minutes / 60, "uur", "uur")
    } else {
        (minutes / (24 * 60), "dag", "dagen")
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "over 4 minuten" for a wait that still has to pass, rounded up to whole minutes.
pub fn wait_nl(ms: i64) -> String {
    let minutes = ((ms + 59_999) / 60_000).max(1);
    duration_nl(minutes * 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const M: i64 = 60_000;

    #[test]
    fn one_per_five_minutes_and_five_per_day() {
        let now = 100 * WINDOW_MS;
        assert_eq!(next_allowed(&[], now), None);
        assert_eq!(next_allowed(&[now - 2 * M], now), Some(now + 3 * M));
        assert_eq!(next_allowed(&[now - 5 * M], now), None);
        let five: Vec<i64> = (1..=5).map(|i| now - i * 60 * M).collect();
        // The oldest of the five (5 h ago) leaves the window 19 h from now.
        assert_eq!(next_allowed(&five, now), Some(now - 5 * 60 * M + WINDOW_MS));
        let old = [now - WINDOW_MS - 1; 7];
        assert_eq!(next_allowed(&old, now), None);
    }

    #[test]
    fn durations_read_as_dutch() {
        assert_eq!(duration_nl(0), "1 minuut");
        assert_eq!(duration_nl(3 * M), "3 minuten");
        assert_eq!(duration_nl(60 * M), "1 uur");
        assert_eq!(duration_nl(47 * 60 * M), "47 uur");
        assert_eq!(duration_nl(3 * 24 * 60 * M), "3 dagen");
        assert_eq!(wait_nl(M + 1), "2 minuten");
    }

    proptest! {
        #[test]
        fn allowed_resends_respect_both_limits(gaps in prop::collection::vec(0i64..(10 * 3_600_000), 0..20)) {
            // Simulate a manager who resends as soon as allowed after each gap.
            let mut now = 0i64;
            let mut sent: Vec<i64> = Vec::new();
            for g in gaps {
                now += g;
                if next_allowed(&sent, now).is_none() {
                    if let Some(l) = sent.last() { prop_assert!(now - l >= MIN_GAP_MS); }
                    let in_window = sent.iter().filter(|t| **t > now - WINDOW_MS).count();
                    prop_assert!(in_window < PER_WINDOW);
                    sent.push(now);
                } else {
                    prop_assert!(next_allowed(&sent, now).unwrap() > now);
                }
            }
        }
    }
}
