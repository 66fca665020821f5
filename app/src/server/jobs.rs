//! Background housekeeping every ten minutes: expired sessions and old login attempts are
//! removed, and open
//! requests without activity for `REQUEST_EXPIRY_DAYS` (default 30) move to *expired*
//! (their links and codes die, a never-issued means is cancelled, an upgrade is aborted).

use super::db::sessions;
use super::state::AppState;
use tokio::sync::watch;

pub fn spawn_janitor(state: AppState, mut stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if let Err(e) = sweep(&state).await {
                        tracing::warn!(error = %e, "session sweep failed");
                    }
                    match expire_requests(&state).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(expired = n, "requests expired"),
                        Err(e) => tracing::warn!(error = %e, "request expiry failed"),
                    }
                }
                _ = stop.changed() => break,
            }
        }
    })
}

/// Removes expired sessions and login attempts the limits no longer look at, and lets each
/// process forget client addresses whose budgets are full again.
pub async fn sweep(state: &AppState) -> Result<u64, sqlx::Error> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let gone = sessions::delete_expired(&mut conn, now).await?;
    let keep_from = now - state.config.login_limits.lock_ms;
    super::db::login_attempts::prune(&mut conn, keep_from).await?;
    state.limits.retain_recent();
    Ok(gone)
}

/// Moves every open request without activity (state change or timeline event) for the
/// configured number of days to *expired*, each in its own transaction; a request that
/// changed meanwhile is skipped (the compare-and-set in `advance` loses). Returns how many.
pub async fn expire_requests(state: &AppState) -> Result<usize, crate::error::AppError> {
    use crate::domain::request::RequestEvent;
    use crate::error::AppError;
    use crate::server::db::{request_list, requests};
    use crate::server::service::issuance::advance;
    let now = state.now();
    let before = now - state.config.request_expiry_days * 24 * 3_600_000;
    let mut expired = 0;
    loop {
        let ids = {
            let mut conn = state.db.pool.acquire().await?;
            request_list::stale(&mut conn, before, 200).await?
        };
        let batch = ids.len();
        let mut moved = 0;
        for id in ids {
            let mut tx = state.db.begin().await?;
            let Some(r) = requests::find_any(&mut tx, &id).await? else {
                continue;
            };
            let detail = serde_json::json!({ "days": state.config.request_expiry_days });
            match advance(&mut tx, &r, RequestEvent::Expire, None, detail, now).await {
                Ok(_) => {
                    tx.commit().await?;
                    moved += 1;
                }
                Err(AppError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        expired += moved;
        if batch < 200 || moved == 0 {
            break;
        }
    }
    if expired > 0 {
        state.outbox_wake.notify_one();
    }
    Ok(expired)
}
