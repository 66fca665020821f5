//! The back office (the provider's own staff): the queue of requests that wait for an ID
//! check or identification in person, the documents behind them, and the decisions.
//! Every decision goes through `issuance::advance` (one state machine, compare-and-set),
//! deletes the decided documents' files after commit, and is audited with the reviewer
//! as actor. Only back-office accounts get here (`require`).

use crate::contract::backoffice::{InPersonDocument, QueueItem};
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::request::{RequestEvent, RequestState};
use crate::domain::time::format_amsterdam;
use crate::domain::value::{display_name, AssuranceLevel, BirthDate};
use crate::error::AppError;
use crate::server::audit::record;
use crate::server::auth::session::Identity;
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::{documents, means, outbox, Conn};
use crate::server::service::issuance::advance;
use crate::server::state::AppState;

/// Longest rejection reason kept.
pub const MAX_REASON_CHARS: usize = 500;
const QUEUE_LIMIT: i64 = 500;

pub fn require(id: &Identity) -> Result<(), AppError> {
    if id.is_backoffice() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn queue(state: &AppState, id: &Identity) -> Result<Vec<QueueItem>, AppError> {
    require(id)?;
    let mut conn = state.db.pool.acquire().await?;
    let rows = requests::backoffice_queue(&mut conn, QUEUE_LIMIT).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let name = display_name(&r.given_names, r.prefix.as_deref(), &r.surname);
            let awaiting_id = r.state == RequestState::AwaitingIdCheck;
            QueueItem {
                can_approve_id: awaiting_id && r.document_id.is_some(),
                can_record_in_person: r.state == RequestState::AwaitingInPerson,
                state: r.state.label_nl().to_string(),
                waiting_since: format_amsterdam(r.updated_at),
                birth_date: BirthDate::from_iso(&r.birth_date)
                    .map(|b| b.to_string())
                    .unwrap_or(r.birth_date),
                employed: r.employed == 1,
                request_id: r.id,
                name,
                email: r.email,
                organisation: r.organisation,
                kvk_number: r.kvk_number,
                level: r.level.to_string(),
                document_id: r.document_id,
                document_mime: r.document_mime,
            }
        })
        .collect())
}

/// A waiting request, or `NotFound` (also for requests that are not the back office's
/// business).
async fn waiting(conn: &mut Conn, request_id: &str, wanted: RequestState) -> Result<RequestRow, AppError> {
    let r = requests::find_any(conn, request_id).await?.ok_or(AppError::NotFound)?;
    if r.state == wanted {
        Ok(r)
    } else if r.state.is_final() {
        Err(AppError::Conflict(
            "Over deze aanvraag is al beslist of ze is gestopt.".into(),
        ))
    } else {
        Err(AppError::Conflict(
            "Deze aanvraag wacht niet (meer) op deze stap.".into(),
        ))
    }
}

fn level_of(r: &RequestRow) -> Option<AssuranceLevel> {
    serde_json::from_str::<serde_json::Value>(&r.payload)
        .ok()
        .and_then(|p| p.get("level").and_then(|l| l.as_str()).map(str::to_string))
        .and_then(|l| AssuranceLevel::parse(&l).ok())
}

/// The ID document is in order. EH4 continues to identification in person; otherwise the
/// means is issued. The document is deleted.
pub async fn approve_id(state: &AppState, id: &Identity, request_id: &str) -> Result<RequestState, AppError> {
    require(id)?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let r = waiting(&mut tx, request_id, RequestState::AwaitingIdCheck).await?;
    if documents::live_for_request(&mut tx, &r.id).await?.is_empty() {
        return Err(AppError::Conflict(
            "Er is nog geen identiteitsbewijs geüpload; er valt nog niets te beoordelen.".into(),
        ));
    }
    let in_person = level_of(&r) == Some(AssuranceLevel::Eh4);
    let reviewer = id.account.id.as_str();
    let to = advance(
        &mut tx,
        &r,
        RequestEvent::IdApproved { in_person },
        Some(reviewer),
        serde_json::json!({ "in_person_next": in_person }),
        now,
    )
    .await?;
    let deleted = delete_documents(&mut tx, &r, reviewer, now).await?;
    if in_person {
        tell_in_person(&mut tx, &r, now).await?;
    }
    tx.commit().await?;
    state.documents().delete_all(&deleted).await;
    state.wake_outbox();
    Ok(to)
}

/// Rejects the ID check or the identification in person, with a reason the person reads.
pub async fn reject(state: &AppState, id: &Identity, request_id: &str, reason: &str) -> Result<(), AppError> {
    require(id)?;
    let reason = reason.trim();
    if reason.chars().count() < 5 {
        return Err(AppError::invalid(
            "Geef een reden op (minstens 5 tekens); de aanvrager krijgt die te lezen.",
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::invalid(format!(
            "De reden is te lang: hoogstens {MAX_REASON_CHARS} tekens."
        )));
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let r = requests::find_any(&mut tx, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let wanted = match r.state {
        s @ (RequestState::AwaitingIdCheck | RequestState::AwaitingInPerson) => s,
        _ => RequestState::AwaitingIdCheck,
    };
    let r = waiting(&mut tx, request_id, wanted).await?;
    let reviewer = id.account.id.as_str();
    advance(
        &mut tx,
        &r,
        RequestEvent::Reject,
        Some(reviewer),
        serde_json::json!({ "reason": reason }),
        now,
    )
    .await?;
    let deleted = delete_documents(&mut tx, &r, reviewer, now).await?;
    tx.commit().await?;
    state.documents().delete_all(&deleted).await;
    state.wake_outbox();
    Ok(())
}

/// The person was identified at the desk with `document`; the means is issued.
pub async fn record_in_person(
    state: &AppState,
    id: &Identity,
    request_id: &str,
    document: InPersonDocument,
) -> Result<(), AppError> {
    require(id)?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let r = waiting(&mut tx, request_id, RequestState::AwaitingInPerson).await?;
    advance(
        &mut tx,
        &r,
        RequestEvent::InPersonRecorded,
        Some(id.account.id.as_str()),
        serde_json::json!({ "document_type": document.as_str() }),
        now,
    )
    .await?;
    state.commit_and_wake(tx).await?;
    Ok(())
}

/// The bytes of a document still under review, for the reviewer's eyes only.
pub async fn document(state: &AppState, id: &Identity, document_id: &str) -> Result<(String, Vec<u8>), AppError> {
    require(id)?;
    let mut conn = state.db.pool.acquire().await?;
    let doc = documents::find(&mut conn, document_id)
        .await?
        .filter(|d| d.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let organisation = crate::server::db::requests::find_any(&mut conn, &doc.request_id)
        .await?
        .map(|r| r.organisation_id);
    drop(conn);
    let bytes = state.documents().read(&doc.storage_name).await.map_err(|e| {
        tracing::error!(error = %e, document = %doc.id, "document file missing");
        AppError::NotFound
    })?;
    // Every look at an ID copy or extract is on the record, before the bytes go out.
    let mut ev = AuditEvent::new(AuditAction::DocumentViewed, TargetKind::Document, &doc.id)
        .actor(&id.account.id)
        .after(serde_json::json!({ "request_id": doc.request_id, "kind": doc.kind }));
    if let Some(o) = organisation {
        ev = ev.organisation(o);
    }
    let mut tx = state.db.begin().await?;
    record(&mut tx, ev, state.now()).await?;
    tx.commit().await?;
    Ok((doc.mime, bytes))
}

async fn delete_documents(conn: &mut Conn, r: &RequestRow, reviewer: &str, now: i64) -> Result<Vec<String>, AppError> {
    let names = documents::mark_deleted_for_request(conn, &r.id, now).await?;
    if !names.is_empty() {
        let ev = AuditEvent::new(AuditAction::DocumentDeleted, TargetKind::Request, &r.id)
            .actor(reviewer)
            .organisation(&r.organisation_id)
            .after(serde_json::json!({ "documents": names.len(), "because": "decided" }));
        record(conn, ev, now).await?;
    }
    Ok(names)
}

async fn tell_in_person(conn: &mut Conn, r: &RequestRow, now: i64) -> Result<(), AppError> {
    let Some(p) = means::find(conn, &r.organisation_id, r.means_id.as_deref().unwrap_or_default()).await? else {
        return Ok(());
    };
    let body = format!(
        "Beste {},\n\nUw identiteitsbewijs is goedgekeurd. Voor niveau EH4 identificeren wij u nog persoonlijk\n\
         aan de balie. Neem hiervoor uw paspoort, identiteitskaart of rijbewijs mee. U ontvangt een bericht\n\
         zodra uw middel actief is.\n\nMet vriendelijke groet,\nBeheermodule\n",
        p.given_names
    );
    outbox::enqueue(
        conn,
        &outbox::NewMessage::email(&p.email, "Nog één stap: identificatie aan de balie", body).about(&r.id),
        now,
    )
    .await?;
    Ok(())
}
