//! The delivery worker: claims due outbox rows under a lease, sends each, and records the
//! outcome at once — delivered, retry later (exponential backoff with jitter), or given up
//! after [`MAX_ATTEMPTS`].
//!
//! A send starts only while enough of the lease remains for it to finish
//! ([`SEND_WINDOW`]); a row whose window has passed is handed back unsent, so a second
//! worker that claims it after the lease cannot race a slow first send.

use super::{scrub, Delivery};
use crate::server::clock::{Clock, SharedClock};
use crate::server::db::outbox::{self, OutboxRow};
use crate::server::db::Db;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Semaphore};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

/// Rows claimed per pass.
pub const BATCH: i64 = 50;
/// How long a claim holds.
pub const LEASE_MS: i64 = 60_000;
/// Sends may start this long after the claim; the rest of the lease covers the slowest
/// send (SMTP timeout 20 s, SMS 10 s).
pub const SEND_WINDOW: Duration = Duration::from_secs(30);
/// Sends in flight at once (also the SMTP connections kept open).
pub const CONCURRENCY: usize = 16;
/// Attempts before giving up (about two hours with the backoff below).
pub const MAX_ATTEMPTS: i64 = 10;
/// Backoff after the first failure; doubles per failure up to [`MAX_BACKOFF_MS`].
pub const BASE_BACKOFF_MS: i64 = 15_000;
pub const MAX_BACKOFF_MS: i64 = 3_600_000;
/// Jitter as a fraction of the backoff, either way.
pub const JITTER: f64 = 0.1;
/// How often an idle worker looks, when nobody rings.
pub const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// Pause after the database failed a claim.
const ERROR_PAUSE: Duration = Duration::from_secs(5);

/// Delay before the next try after `failures` failed attempts (≥ 1), with `jitter` in
/// `[-1, 1]` scaling ±[`JITTER`]: 15 s, 30 s, 1 min, 2 min … capped at 1 h.
pub fn backoff_ms(failures: i64, jitter: f64) -> i64 {
    let exp = failures.clamp(1, 20) - 1;
    let base = BASE_BACKOFF_MS.saturating_mul(1_i64 << exp).min(MAX_BACKOFF_MS);
    let factor = 1.0 + JITTER * jitter.clamp(-1.0, 1.0);
    (base as f64 * factor).round() as i64
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PassReport {
    pub claimed: usize,
    pub delivered: usize,
    pub retrying: usize,
    pub gave_up: usize,
    /// Handed back unsent because their send window had passed.
    pub released: usize,
    /// Outcome not recorded because the database failed; the lease runs out and the row
    /// is tried again.
    pub unrecorded: usize,
}

enum Outcome {
    Delivered,
    Retrying,
    GaveUp,
    Released,
    Unrecorded,
}

/// One pass over the outbox; returns how many messages were delivered.
pub async fn run_once(db: &Db, delivery: &Delivery, clock: &SharedClock) -> Result<usize, sqlx::Error> {
    Ok(run_pass(db, delivery, clock).await?.delivered)
}

/// One pass: claim up to [`BATCH`] due rows and settle each.
pub async fn run_pass(db: &Db, delivery: &Delivery, clock: &SharedClock) -> Result<PassReport, sqlx::Error> {
    let rows = outbox::claim_due(db, clock.now_ms(), BATCH, LEASE_MS).await?;
    let mut report = PassReport {
        claimed: rows.len(),
        ..PassReport::default()
    };
    if rows.is_empty() {
        return Ok(report);
    }
    let window_ends = Instant::now() + SEND_WINDOW;
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    let mut tasks = JoinSet::new();
    for row in rows {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            break;
        };
        let (db, delivery, clock) = (db.clone(), delivery.clone(), Arc::clone(clock));
        tasks.spawn(async move {
            let outcome = settle(&db, &delivery, &*clock, row, window_ends).await;
            drop(permit);
            outcome
        });
    }
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(Outcome::Delivered) => report.delivered += 1,
            Ok(Outcome::Retrying) => report.retrying += 1,
            Ok(Outcome::GaveUp) => report.gave_up += 1,
            Ok(Outcome::Released) => report.released += 1,
            Ok(Outcome::Unrecorded) => report.unrecorded += 1,
            Err(e) => {
                tracing::error!(error = %e, "outbox send task failed");
                report.unrecorded += 1;
            }
        }
    }
    Ok(report)
}

async fn settle(db: &Db, delivery: &Delivery, clock: &dyn Clock, row: OutboxRow, window_ends: Instant) -> Outcome {
    let attempt = row.attempts + 1;
    if Instant::now() >= window_ends {
        let lease = row.claimed_until.unwrap_or_default();
        if let Err(e) = outbox::release(db, &row.id, lease).await {
            tracing::warn!(id = %row.id, error = %e, "could not hand back outbox row");
        }
        return Outcome::Released;
    }
    match delivery.deliver(&row).await {
        Ok(via) => record_delivered(db, clock, &row, via, attempt).await,
        Err(e) => {
            crate::server::metrics::send_failed();
            let error = scrub(&e.message, &row.body);
            let give_up = e.permanent || attempt >= MAX_ATTEMPTS;
            let recorded = if give_up {
                outbox::give_up(db, &row.id, attempt, &error).await
            } else {
                let jitter = rand::random::<f64>() * 2.0 - 1.0;
                let next = clock.now_ms().saturating_add(backoff_ms(attempt, jitter));
                outbox::mark_failed(db, &row.id, attempt, next, &error).await
            };
            if let Err(db_err) = recorded {
                tracing::error!(id = %row.id, error = %db_err, "could not record failed send");
                return Outcome::Unrecorded;
            }
            if give_up {
                tracing::error!(id = %row.id, channel = %row.channel, attempt, error = %error, "message given up");
                Outcome::GaveUp
            } else {
                tracing::warn!(id = %row.id, channel = %row.channel, attempt, error = %error, "message send failed; will retry");
                Outcome::Retrying
            }
        }
    }
}

/// Marks a sent message delivered, trying a few times: failing here means it is sent
/// again after the lease.
async fn record_delivered(db: &Db, clock: &dyn Clock, row: &OutboxRow, via: &str, attempt: i64) -> Outcome {
    // Sent for real: the stored copy no longer needs (and must not keep) its secrets.
    let kept = (via != super::VIA_DEV_INBOX).then(|| super::redact_secrets(&row.body));
    let mut last = None;
    for pause_ms in [0, 100, 500, 2_000] {
        tokio::time::sleep(Duration::from_millis(pause_ms)).await;
        match outbox::mark_delivered(db, &row.id, via, clock.now_ms(), kept.as_deref()).await {
            Ok(_) => {
                tracing::info!(id = %row.id, channel = %row.channel, attempt, via, "message delivered");
                return Outcome::Delivered;
            }
            Err(e) => last = Some(e),
        }
    }
    if let Some(e) = last {
        tracing::error!(id = %row.id, channel = %row.channel, error = %e, "message sent but not marked delivered; it will be sent again");
    }
    Outcome::Unrecorded
}

/// Runs passes until `shutdown` turns true (or its sender is dropped). Wakes on
/// [`Delivery::wake`], else every [`POLL_INTERVAL`]; a full batch goes again at once.
pub fn spawn_worker(
    db: Db,
    delivery: Delivery,
    clock: SharedClock,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let bell = delivery.wake_handle();
        tracing::info!(
            smtp = delivery.mailer.is_some(),
            sms = delivery.sms.is_some(),
            "outbox worker started"
        );
        loop {
            if *shutdown.borrow() {
                break;
            }
            let pause = match run_pass(&db, &delivery, &clock).await {
                Ok(r) if r.claimed as i64 >= BATCH => continue,
                Ok(_) => POLL_INTERVAL,
                Err(e) => {
                    tracing::error!(error = %e, "outbox claim failed");
                    ERROR_PAUSE
                }
            };
            tokio::select! {
                _ = bell.notified() => {}
                _ = tokio::time::sleep(pause) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        tracing::info!("outbox worker stopped");
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_fifteen_seconds_up_to_an_hour() {
        let plain: Vec<i64> = (1..=MAX_ATTEMPTS).map(|n| backoff_ms(n, 0.0) / 1000).collect();
        assert_eq!(plain, vec![15, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff_ms(0, 0.0), 15_000);
        assert_eq!(backoff_ms(i64::MAX, 0.0), MAX_BACKOFF_MS);
    }

    #[test]
    fn jitter_stays_within_ten_percent() {
        assert_eq!(backoff_ms(1, 1.0), 16_500);
        assert_eq!(backoff_ms(1, -1.0), 13_500);
        assert_eq!(backoff_ms(1, 7.0), 16_500);
        assert!(backoff_ms(9, 1.0) <= MAX_BACKOFF_MS * 11 / 10);
    }

    #[test]
    fn the_lease_outlasts_the_window_plus_the_slowest_send() {
        let slowest = super::super::smtp::SMTP_TIMEOUT.max(super::super::sms::SMS_TIMEOUT);
        assert!((SEND_WINDOW + slowest).as_millis() < LEASE_MS as u128);
    }
}
