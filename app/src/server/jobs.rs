//! Background housekeeping every ten minutes: expired sessions and old login attempts are
//! removed; the files of documents whose request ended are deleted; staged CSV uploads
//! never committed are dropped after `STAGED_UPLOAD_HOURS` and unfinished registration
//! drafts with their files after `DRAFT_TTL_HOURS` (both default 24); and open
//! requests without activity for `REQUEST_EXPIRY_DAYS` (default 30) move to *expired*
//! (their links and codes die, a never-issued means is cancelled, an upgrade is aborted).
//!
//! Every instance runs the timers; a lease row per job (`db::job_leases`) lets one of them
//! take each period's turn, so the work is done once across instances (and each step is
//! safe when two runs overlap anyway: compare-and-set updates).

use super::db::sessions;
use super::state::AppState;
use tokio::sync::watch;

/// This process's name in the job leases.
static INSTANCE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| uuid::Uuid::new_v4().to_string());

/// The janitor's period.
pub const JANITOR_EVERY_MS: i64 = 600_000;

/// Whether this instance takes `job`'s turn now (for a period of `every_ms`, less a little
/// slack so that timers drifting apart never skip a period). A failure to ask is logged and
/// answers no: the next tick asks again.
pub async fn take_turn(state: &AppState, job: &str, every_ms: i64) -> bool {
    let now = state.now();
    let next_due = now + every_ms - every_ms / 10;
    let claimed = async {
        let mut conn = state.db.pool.acquire().await?;
        super::db::job_leases::claim(&mut conn, job, &INSTANCE, now, next_due).await
    };
    match claimed.await {
        Ok(won) => won,
        Err(e) => {
            tracing::warn!(error = %e, job, "could not take the job's turn");
            false
        }
    }
}

pub fn spawn_janitor(state: AppState, mut stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(JANITOR_EVERY_MS as u64));
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if !take_turn(&state, "janitor", JANITOR_EVERY_MS).await {
                        continue;
                    }
                    if let Err(e) = sweep(&state).await {
                        tracing::warn!(error = %e, "session sweep failed");
                    }
                    match expire_requests(&state).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(expired = n, "requests expired"),
                        Err(e) => tracing::warn!(error = %e, "request expiry failed"),
                    }
                    match purge(&state).await {
                        Ok(p) if p == Purged::default() => {}
                        Ok(p) => tracing::info!(files = p.files, staged_uploads = p.staged_uploads, drafts = p.drafts, "purged"),
                        Err(e) => tracing::warn!(error = %e, "purge failed"),
                    }
                }
                _ = stop.changed() => break,
            }
        }
    })
}

/// Removes expired sessions, login attempts the limits no longer look at, and client
/// addresses whose budgets are full again.
pub async fn sweep(state: &AppState) -> Result<u64, sqlx::Error> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let gone = sessions::delete_expired(&mut conn, now).await?;
    let keep_from = now - state.config.login_limits.lock_ms;
    super::db::login_attempts::prune(&mut conn, keep_from).await?;
    super::db::address_budgets::sweep(&mut conn, now).await?;
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
        state.wake_outbox();
    }
    Ok(expired)
}

/// What one [`purge`] removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub files: usize,
    pub staged_uploads: u64,
    /// Unfinished registration drafts (with their files) past `DRAFT_TTL_HOURS`.
    pub drafts: usize,
}

/// Deletes the files of documents marked deleted (an ended request's ID copies and
/// extracts), and staged uploads older than the configured hours with their chunks.
pub async fn purge(state: &AppState) -> Result<Purged, crate::error::AppError> {
    use super::db::{batches, documents};
    let now = state.now();
    let mut out = Purged::default();
    let store = state.documents();
    loop {
        let todo = {
            let mut conn = state.db.pool.acquire().await?;
            documents::files_to_remove(&mut conn, 200).await?
        };
        let batch = todo.len();
        let before = out.files;
        for (id, name) in todo {
            match store.delete(&name).await {
                Ok(()) => {
                    let mut conn = state.db.pool.acquire().await?;
                    documents::mark_file_removed(&mut conn, &id, now).await?;
                    out.files += 1;
                }
                // Tried again next time; the row keeps saying the file may still be there.
                Err(e) => tracing::error!(error = %e, document = %id, "could not delete a document file"),
            }
        }
        // A full batch goes again, unless none of it could be removed (tried next sweep).
        if batch < 200 || out.files == before {
            break;
        }
    }
    let mut conn = state.db.pool.acquire().await?;
    out.staged_uploads = batches::delete_stale(&mut conn, now - state.config.staged_upload_ms).await?;
    drop(conn);
    out.drafts = super::service::registration_draft::purge_expired(state).await?;
    Ok(out)
}
