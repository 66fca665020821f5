//! CSV uploads on the server: the browser sends the file in chunks (each request stays
//! small); the commit joins them, validates the whole file again with the very code the
//! browser ran (the browser is never trusted), and stores every request of it or none.
//! The same file (by SHA-256, per organisation) is never stored twice.

use super::means_request::{request_means, PersonRequest, Requester};
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::time::{date_amsterdam, format_amsterdam};
use crate::domain::value::AssuranceLevel;
use crate::error::AppError;
use crate::server::audit::record;
use crate::server::auth::tokens::sha256_hex;
use crate::server::db::batches::BatchState;
use crate::server::db::{batches, directory, is_unique_violation, new_id, services, Conn};
use crate::server::state::AppState;
pub use crate::upload::UploadOutcome;
use crate::upload::{validate, Context, MAX_BYTES};

/// The most chunks, and the largest chunk, one upload may have.
pub const MAX_CHUNKS: usize = 64;
pub const MAX_CHUNK_BYTES: usize = 2 * 1024 * 1024;

fn too_big(bytes: usize) -> AppError {
    AppError::invalid(format!(
        "Het bestand is {:.1} MB; het maximum is 10 MB. Splits het bestand in kleinere delen.",
        bytes as f64 / (1024.0 * 1024.0)
    ))
}

/// What validation needs besides the file, for the organisation and manager at hand.
pub async fn context(
    conn: &mut Conn,
    organisation_id: &str,
    max_level: AssuranceLevel,
    now: i64,
) -> Result<Context, AppError> {
    Ok(Context {
        today: date_amsterdam(now),
        max_level,
        known_services: Some(services::all(conn).await?.into_iter().map(|s| s.id).collect()),
        present_emails: directory::live_emails(conn, organisation_id).await?,
    })
}

pub async fn start(
    state: &AppState,
    account_id: &str,
    organisation_id: &str,
    bytes: usize,
    chunks: usize,
) -> Result<String, AppError> {
    if bytes > MAX_BYTES {
        return Err(too_big(bytes));
    }
    if chunks == 0 || chunks > MAX_CHUNKS {
        return Err(AppError::invalid("Het bestand is leeg of in te veel delen verstuurd."));
    }
    let id = new_id();
    let mut conn = state.db.pool.acquire().await?;
    batches::stage(&mut conn, &id, organisation_id, account_id, state.now()).await?;
    Ok(id)
}

pub async fn put_chunk(
    state: &AppState,
    organisation_id: &str,
    batch_id: &str,
    index: usize,
    data: &str,
) -> Result<(), AppError> {
    if data.len() > MAX_CHUNK_BYTES || index >= MAX_CHUNKS {
        return Err(AppError::invalid("Een deel van het bestand is te groot."));
    }
    let mut tx = state.db.begin().await?;
    let batch = batches::find(&mut tx, organisation_id, batch_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if batch.state != BatchState::Staged {
        return Err(AppError::Conflict("Deze upload is al verwerkt.".into()));
    }
    let staged = batches::staged_bytes(&mut tx, batch_id).await? as usize;
    if staged + data.len() > MAX_BYTES {
        return Err(too_big(staged + data.len()));
    }
    batches::put_chunk(&mut tx, batch_id, index as i64, data).await?;
    tx.commit().await?;
    Ok(())
}

/// Validates the joined file again and stores it all-or-nothing.
pub async fn commit(state: &AppState, by: &Requester<'_>, batch_id: &str) -> Result<UploadOutcome, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let batch = batches::find(&mut tx, by.organisation_id, batch_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if batch.state != BatchState::Staged {
        return Err(AppError::Conflict("Deze upload is al verwerkt.".into()));
    }
    let chunks = batches::chunks(&mut tx, batch_id).await?;
    if chunks.is_empty() || chunks.iter().enumerate().any(|(i, (idx, _))| *idx != i as i64) {
        return Err(AppError::invalid(
            "Het bestand is niet volledig aangekomen. Upload het opnieuw.",
        ));
    }
    let text: String = chunks.into_iter().map(|(_, d)| d).collect();
    let sha = sha256_hex(text.as_bytes());
    if let Some(earlier) = batches::find_committed(&mut tx, by.organisation_id, &sha).await? {
        batches::delete_one(&mut tx, batch_id).await?;
        tx.commit().await?;
        return Ok(UploadOutcome {
            present: earlier.row_count as usize,
            already_uploaded_at: Some(format_amsterdam(earlier.created_at)),
            ..Default::default()
        });
    }
    let ctx = context(&mut tx, by.organisation_id, by.manager_level, now).await?;
    let report = validate(text.as_bytes(), &ctx);
    if !report.is_clean() {
        batches::delete_one(&mut tx, batch_id).await?;
        tx.commit().await?;
        return Ok(UploadOutcome {
            rejected: Some(report.summary()),
            ..Default::default()
        });
    }
    let people: Vec<PersonRequest> = report.new.into_iter().map(|r| r.person).collect();
    let outcome = request_means(&mut tx, by, &people, Some(batch_id), now).await?;
    match batches::commit(&mut tx, batch_id, &sha, report.rows as i64).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::Conflict("Deze upload is al verwerkt.".into())),
        // The same file committed at the same moment by another request: that one won.
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::Conflict(
                "Dit bestand is zojuist al verwerkt; er is niets dubbel aangemaakt.".into(),
            ))
        }
        Err(e) => return Err(e.into()),
    }
    let ev = AuditEvent::new(AuditAction::BatchUploaded, TargetKind::Batch, batch_id)
        .actor(by.account_id)
        .organisation(by.organisation_id)
        .after(serde_json::json!({ "rows": report.rows, "created": outcome.created, "present": outcome.present.len() + report.present.len(), "sha256": sha }));
    record(&mut tx, ev, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(UploadOutcome {
        created: outcome.created,
        present: outcome.present.len() + report.present.len(),
        ..Default::default()
    })
}
