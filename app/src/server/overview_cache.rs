//! A short-lived cache of Overzicht's counts per set of organisations, so that many
//! managers opening the overview at once cost one computation, not one each.
//!
//! An entry is used for at most [`TTL_MS`] (by the injectable clock) and only while no
//! authorisation changed through this server since it was computed ([`invalidate`] is
//! called after every grant, revocation, reactivation and expiry). Concurrent requests for
//! the same key wait for one computation (single flight) instead of all running it.

use crate::contract::overview::OverviewData;
use crate::error::AppError;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

/// How long counts may be reused: other changes (new means, requests) show within this.
pub const TTL_MS: i64 = 2_000;
/// Keys kept at most; beyond this the cache starts afresh.
const MAX_KEYS: usize = 10_000;

static GENERATION: AtomicU64 = AtomicU64::new(0);

type Slot = Arc<tokio::sync::Mutex<Option<(u64, i64, OverviewData)>>>;
static SLOTS: LazyLock<Mutex<HashMap<String, Slot>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Forgets every cached overview (after a change to authorisations).
pub fn invalidate() {
    GENERATION.fetch_add(1, Ordering::SeqCst);
}

/// The key of a set of organisations (order does not matter).
pub fn key(orgs: &[String], all: bool) -> String {
    let mut ids = orgs.to_vec();
    ids.sort();
    format!("{all}:{}", ids.join(","))
}

/// The cached value for `key` when fresh at `now`, otherwise `compute()`'s (then cached).
pub async fn get_or_compute<F, Fut>(key: String, now: i64, compute: F) -> Result<OverviewData, AppError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<OverviewData, AppError>>,
{
    let slot = {
        let mut slots = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
        if slots.len() > MAX_KEYS {
            slots.clear();
        }
        slots.entry(key).or_default().clone()
    };
    let mut entry = slot.lock().await;
    let generation = GENERATION.load(Ordering::SeqCst);
    if let Some((g, at, data)) = entry.as_ref() {
        if *g == generation && now >= *at && now - *at < TTL_MS {
            return Ok(data.clone());
        }
    }
    let data = compute().await?;
    *entry = Some((generation, now, data.clone()));
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(n: i64) -> OverviewData {
        OverviewData {
            all: false,
            organisations: Vec::new(),
            means: Vec::new(),
            authorisations: Vec::new(),
            requests: Vec::new(),
            expiring: crate::contract::overview::Count { n, href: String::new() },
        }
    }

    #[tokio::test]
    async fn reuses_within_the_ttl_until_invalidated() {
        let k = key(
            &["b".into(), "a".into(), format!("{:?}", std::time::Instant::now())],
            false,
        );
        let got = get_or_compute(k.clone(), 1_000, || async { Ok(data(1)) })
            .await
            .unwrap();
        assert_eq!(got.expiring.n, 1);
        let got = get_or_compute(k.clone(), 2_000, || async { Ok(data(2)) })
            .await
            .unwrap();
        assert_eq!(got.expiring.n, 1, "fresh: reused");
        let got = get_or_compute(k.clone(), 3_000, || async { Ok(data(3)) })
            .await
            .unwrap();
        assert_eq!(got.expiring.n, 3, "older than the TTL: computed again");
        invalidate();
        let got = get_or_compute(k, 3_001, || async { Ok(data(4)) }).await.unwrap();
        assert_eq!(got.expiring.n, 4, "invalidated: computed again");
    }
}
