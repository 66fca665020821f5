//! The ID document of an activation (non-employees at EH3 and up): a photo or PDF, type
//! by content, stored under `DOCUMENT_DIR` and reviewed by the back office.

use super::live;
use crate::contract::activation::Notice;
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::request::{RequestState, TimelineEvent};
use crate::error::AppError;
use crate::server::audit::record;
use crate::server::auth::tokens::RawToken;
use crate::server::db::documents::DocumentKind;
use crate::server::db::{documents, new_id, requests};
use crate::server::state::AppState;

/// Stores the ID document (replacing an earlier one not yet decided on).
pub async fn upload_document(
    state: &AppState,
    cont: Option<&RawToken>,
    bytes: &[u8],
) -> Result<Option<Notice>, AppError> {
    use crate::domain::document::{check, DocumentError};
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let ctx = match live(&mut conn, cont, now).await? {
        Ok(c) => c,
        Err(n) => return Ok(Some(n)),
    };
    drop(conn);
    if ctx.request.state != RequestState::AwaitingIdCheck {
        return Ok(Some(Notice::StepDone));
    }
    let kind = match check(bytes) {
        Ok(k) => k,
        Err(DocumentError::Empty) => return Ok(Some(Notice::FileEmpty)),
        Err(DocumentError::TooLarge { .. }) => return Ok(Some(Notice::FileTooLarge)),
        Err(DocumentError::WrongType) => return Ok(Some(Notice::FileType)),
    };
    let store = state.documents();
    let name = store.save(bytes).await.map_err(|e| {
        tracing::error!(error = %e, "could not store an uploaded document");
        AppError::Internal
    })?;
    let written = async {
        let mut tx = state.db.begin().await?;
        let old = documents::mark_deleted_for_request(&mut tx, &ctx.request.id, now).await?;
        let id = new_id();
        documents::insert(
            &mut tx,
            &documents::DocumentRow {
                id: id.clone(),
                request_id: ctx.request.id.clone(),
                kind: DocumentKind::IdCopy,
                storage_name: name.clone(),
                mime: kind.mime().into(),
                size_bytes: bytes.len() as i64,
                sha256: crate::server::auth::tokens::sha256_hex(bytes),
                created_at: now,
                deleted_at: None,
            },
        )
        .await?;
        requests::add_event(
            &mut tx,
            &ctx.request.id,
            now,
            ctx.actor(),
            TimelineEvent::IdUploaded,
            &serde_json::json!({ "mime": kind.mime(), "size": bytes.len() }),
        )
        .await?;
        let mut ev = AuditEvent::new(AuditAction::DocumentUploaded, TargetKind::Document, &id)
            .organisation(&ctx.request.organisation_id)
            .after(serde_json::json!({ "request_id": ctx.request.id, "mime": kind.mime(), "size": bytes.len() }));
        if let Some(a) = ctx.actor() {
            ev = ev.actor(a);
        }
        record(&mut tx, ev, now).await?;
        tx.commit().await?;
        Ok::<_, AppError>(old)
    }
    .await;
    match written {
        Ok(old) => {
            store.delete_all(&old).await;
            Ok(Some(Notice::Uploaded))
        }
        Err(e) => {
            store.delete_all(&[name]).await;
            Err(e)
        }
    }
}
