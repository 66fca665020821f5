//! A short-lived cache of Overzicht's counts per set of organisations, so that many
//! managers opening the overview at once cost one computation, not one each.
//!
//! An entry is used for at most [`TTL_MS`] (by the injectable clock) and only while no
//! authorisation changed since it was computed, on any instance: [`invalidate`] (called
//! after every grant, revocation, reactivation and expiry) bumps the `overview` row of
//! `cache_generations`, and every instance reads that generation (one primary-key lookup)
//! before it reuses an entry. Concurrent requests for the same key wait for one
//! computation (single flight) instead of all running it.

use super::db::Db;
use crate::contract::overview::OverviewData;
use crate::error::AppError;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, LazyLock, Mutex};

/// How long counts may be reused: other changes (new means, requests) show within this.
pub const TTL_MS: i64 = 2_000;
/// Keys kept at most; beyond this the cache starts afresh.
const MAX_KEYS: usize = 10_000;

type Slot = Arc<tokio::sync::Mutex<Option<(i64, i64, OverviewData)>>>;
static SLOTS: LazyLock<Mutex<HashMap<String, Slot>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Makes every instance forget its cached overviews (after a change to authorisations,
/// once it has committed). A failure is logged: the change stands, and the counts catch up
/// within the TTL.
pub async fn invalidate(db: &Db) {
    let bumped = sqlx::query("UPDATE cache_generations SET generation = generation + 1 WHERE name = 'overview'")
        .execute(&db.pool)
        .await;
    if let Err(e) = bumped {
        tracing::warn!(error = %e, "could not invalidate the overview cache");
    }
}

async fn generation(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT generation FROM cache_generations WHERE name = 'overview'")
        .fetch_one(&db.pool)
        .await
}

/// The key of a set of organisations (order does not matter).
pub fn key(orgs: &[String], all: bool) -> String {
    let mut ids = orgs.to_vec();
    ids.sort();
    format!("{all}:{}", ids.join(","))
}

/// The cached value for `key` when fresh at `now` and of the current generation,
/// otherwise `compute()`'s (then cached).
pub async fn get_or_compute<F, Fut>(db: &Db, key: String, now: i64, compute: F) -> Result<OverviewData, AppError>
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
    let generation = generation(db).await?;
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
    async fn reuses_within_the_ttl_until_invalidated_through_the_database() {
        let file = std::env::temp_dir().join(format!("bm-cache-{}.db", uuid::Uuid::new_v4()));
        let url = format!("sqlite://{}", file.display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        // A second pool on the same file: another instance.
        let other = Db::connect(&url).await.unwrap();
        let k = key(&["b".into(), "a".into(), file.display().to_string()], false);
        let got = get_or_compute(&db, k.clone(), 1_000, || async { Ok(data(1)) })
            .await
            .unwrap();
        assert_eq!(got.expiring.n, 1);
        let got = get_or_compute(&db, k.clone(), 2_000, || async { Ok(data(2)) })
            .await
            .unwrap();
        assert_eq!(got.expiring.n, 1, "fresh: reused");
        let got = get_or_compute(&db, k.clone(), 3_000, || async { Ok(data(3)) })
            .await
            .unwrap();
        assert_eq!(got.expiring.n, 3, "older than the TTL: computed again");
        invalidate(&other).await;
        let got = get_or_compute(&db, k, 3_001, || async { Ok(data(4)) }).await.unwrap();
        assert_eq!(got.expiring.n, 4, "invalidated by another instance: computed again");
        let _ = std::fs::remove_file(file);
    }
}
