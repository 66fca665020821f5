//! Moving a means request along its state machine, and what happens where it ends: one
//! function ([`advance`]) decides the next state with `domain::request::transition`,
//! stores it with a compare-and-set (so of two racing steps exactly one wins), appends the
//! timeline event and the audit event, and — when the request completes — issues the means
//! and tells the person, all in the caller's transaction.
//!
//! Per kind: a completed `new_means` request activates its means; a completed
//! `upgrade_means` request raises the means to the requested level and finishes the
//! upgrade. A request that ends otherwise (rejected, cancelled, expired) releases its means:
//! a never-issued means is cancelled, a running upgrade is aborted (the means keeps working
//! at its old level). A cancelled or expired request loses every outstanding link and code
//! at once.

use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::means::MeansState;
use crate::domain::request::{transition, RequestEvent, RequestKind, RequestState, TimelineEvent};
use crate::domain::value::AssuranceLevel;
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::sms_codes::{self, Owner};
use crate::server::db::{documents, means, outbox, tokens, Conn};

/// The message when another step got there first.
pub const RACED: &str = "Deze aanvraag is intussen gewijzigd. Vernieuw de pagina en probeer het opnieuw.";

/// Applies `event` to `request`; returns the new state. `actor` is the person acting
/// (`None` for the system), `detail` goes on the timeline.
pub async fn advance(
    conn: &mut Conn,
    request: &RequestRow,
    event: RequestEvent,
    actor: Option<&str>,
    detail: serde_json::Value,
    now: i64,
) -> Result<RequestState, AppError> {
    let from = request.state;
    let to = transition(from, &event).map_err(|e| AppError::Conflict(e.to_string()))?;
    if !requests::set_state(conn, &request.id, from, to, to.is_final(), now).await? {
        return Err(AppError::Conflict(RACED.into()));
    }
    requests::add_event(conn, &request.id, now, actor, TimelineEvent::from(&event), &detail).await?;
    let action = match to {
        RequestState::Completed => AuditAction::RequestCompleted,
        RequestState::Rejected => AuditAction::RequestRejected,
        RequestState::Cancelled => AuditAction::RequestCancelled,
        RequestState::Expired => AuditAction::RequestExpired,
        _ => AuditAction::RequestAdvanced,
    };
    let mut ev = AuditEvent::new(action, TargetKind::Request, &request.id)
        .organisation(&request.organisation_id)
        .before(serde_json::json!({ "state": from.as_str() }))
        .after(serde_json::json!({ "state": to.as_str(), "event": event.as_str() }));
    if let Some(a) = actor {
        ev = ev.actor(a);
    }
    record(conn, ev, now).await?;
    match to {
        RequestState::Completed => match request.kind {
            RequestKind::NewMeans => issue(conn, request, actor, now).await?,
            RequestKind::UpgradeMeans => upgrade(conn, request, actor, now).await?,
            _ => {}
        },
        RequestState::Rejected => withdraw(conn, request, actor, &detail, now).await?,
        RequestState::Cancelled | RequestState::Expired => {
            forget_documents(conn, request, actor, to, now).await?;
            tokens::cancel_for_request(conn, &request.id, now).await?;
            sms_codes::supersede(conn, Owner::Request(&request.id), now).await?;
            release(conn, request, actor, to.as_str(), now).await?;
        }
        _ => {}
    }
    Ok(to)
}

/// A request that ended without a decision needs no ID copy or extract any more: the rows
/// are marked here, in the same transaction; the janitor (`jobs::purge`) removes the files
/// after the commit. (A decision removes them itself, at once.)
async fn forget_documents(
    conn: &mut Conn,
    request: &RequestRow,
    actor: Option<&str>,
    to: RequestState,
    now: i64,
) -> Result<(), AppError> {
    let gone = documents::mark_deleted_for_request(conn, &request.id, now).await?;
    if !gone.is_empty() {
        let mut ev = AuditEvent::new(AuditAction::DocumentDeleted, TargetKind::Request, &request.id)
            .organisation(&request.organisation_id)
            .after(serde_json::json!({ "documents": gone.len(), "because": to.as_str() }));
        if let Some(a) = actor {
            ev = ev.actor(a);
        }
        record(conn, ev, now).await?;
    }
    Ok(())
}

/// The level an upgrade request asks for (`payload.level`).
pub fn requested_level(request: &RequestRow) -> Option<String> {
    let payload: serde_json::Value = serde_json::from_str(&request.payload).ok()?;
    payload.get("level").and_then(|l| l.as_str()).map(str::to_string)
}

/// A completed upgrade: the means gets its new level and works as before.
async fn upgrade(conn: &mut Conn, request: &RequestRow, actor: Option<&str>, now: i64) -> Result<(), AppError> {
    let means_id = request.means_id.as_deref().or_internal()?;
    let m = means::find(conn, &request.organisation_id, means_id)
        .await?
        .or_internal()?;
    let level = requested_level(request)
        .and_then(|l| AssuranceLevel::parse(&l).ok())
        .or_internal()?;
    let from = m.state;
    let to = from.finish_upgrade().map_err(|e| AppError::Conflict(e.to_string()))?;
    if !means::set_level_state(conn, &m.id, from, to, level, now).await? {
        return Err(AppError::Conflict(RACED.into()));
    }
    let mut ev = AuditEvent::new(AuditAction::MeansUpgraded, TargetKind::Means, &m.id)
        .organisation(&m.organisation_id)
        .before(serde_json::json!({ "state": from.as_str(), "level": m.level }))
        .after(serde_json::json!({ "state": to.as_str(), "level": level }));
    if let Some(a) = actor {
        ev = ev.actor(a);
    }
    record(conn, ev, now).await?;
    let body = format!(
        "Beste {},\n\nUw eHerkenningsmiddel werkt nu op niveau {} (was {}). U logt in zoals u gewend bent.\n\n\
         Met vriendelijke groet,\nBeheermodule\n",
        m.given_names, level, m.level
    );
    outbox::enqueue(
        conn,
        &outbox::NewMessage::email(&m.email, "Uw eHerkenningsmiddel is geüpgraded", body),
        now,
    )
    .await?;
    Ok(())
}

/// A request that ended without completing: a never-issued means is cancelled; a running
/// upgrade is aborted and the means keeps its old level.
async fn release(
    conn: &mut Conn,
    request: &RequestRow,
    actor: Option<&str>,
    because: &str,
    now: i64,
) -> Result<(), AppError> {
    let Some(means_id) = request.means_id.as_deref() else {
        return Ok(());
    };
    let Some(m) = means::find(conn, &request.organisation_id, means_id).await? else {
        return Ok(());
    };
    let from = m.state;
    let (to, action) = match (request.kind, from) {
        (RequestKind::NewMeans, MeansState::Requested) => (from.cancel(), AuditAction::MeansCancelled),
        (RequestKind::UpgradeMeans, MeansState::UpgradePending) => {
            (from.abort_upgrade(), AuditAction::MeansUpgradeAborted)
        }
        _ => return Ok(()),
    };
    let to = to.map_err(|e| AppError::Conflict(e.to_string()))?;
    if !means::set_state(conn, &m.id, from, to, now).await? {
        return Err(AppError::Conflict(RACED.into()));
    }
    let mut ev = AuditEvent::new(action, TargetKind::Means, &m.id)
        .organisation(&m.organisation_id)
        .before(serde_json::json!({ "state": from.as_str() }))
        .after(serde_json::json!({ "state": to.as_str(), "level": m.level, "because": because }));
    if let Some(a) = actor {
        ev = ev.actor(a);
    }
    record(conn, ev, now).await?;
    Ok(())
}

/// A completed new-means request: the means becomes active and the person hears so.
async fn issue(conn: &mut Conn, request: &RequestRow, actor: Option<&str>, now: i64) -> Result<(), AppError> {
    let means_id = request.means_id.as_deref().or_internal()?;
    let m = means::find(conn, &request.organisation_id, means_id)
        .await?
        .or_internal()?;
    let from = m.state;
    let to = from.activate().map_err(|e| AppError::Conflict(e.to_string()))?;
    if !means::set_state(conn, &m.id, from, to, now).await? {
        return Err(AppError::Conflict(RACED.into()));
    }
    let mut ev = AuditEvent::new(AuditAction::MeansActivated, TargetKind::Means, &m.id)
        .organisation(&m.organisation_id)
        .before(serde_json::json!({ "state": from.as_str() }))
        .after(serde_json::json!({ "state": to.as_str(), "level": m.level }));
    if let Some(a) = actor {
        ev = ev.actor(a);
    }
    record(conn, ev, now).await?;
    let body = format!(
        "Beste {},\n\nUw eHerkenningsmiddel op niveau {} is actief. U kunt nu inloggen met uw e-mailadres\n\
         en het wachtwoord van uw account.\n\nMet vriendelijke groet,\nBeheermodule\n",
        m.given_names, m.level
    );
    outbox::enqueue(
        conn,
        &outbox::NewMessage::email(&m.email, "Uw eHerkenningsmiddel is actief", body),
        now,
    )
    .await?;
    Ok(())
}

/// A rejected request: its means is released (see [`release`]) and the person hears why.
async fn withdraw(
    conn: &mut Conn,
    request: &RequestRow,
    actor: Option<&str>,
    detail: &serde_json::Value,
    now: i64,
) -> Result<(), AppError> {
    release(conn, request, actor, "request_rejected", now).await?;
    let Some(means_id) = request.means_id.as_deref() else {
        return Ok(());
    };
    let Some(m) = means::find(conn, &request.organisation_id, means_id).await? else {
        return Ok(());
    };
    let level = requested_level(request).unwrap_or_else(|| m.level.to_string());
    let reason = detail.get("reason").and_then(|r| r.as_str()).unwrap_or("");
    let body = format!(
        "Beste {},\n\nUw aanvraag voor een eHerkenningsmiddel op niveau {} is afgewezen.\n\
         Reden: {}\n\nHeeft u vragen? Neem dan contact op met de beheerder van uw organisatie.\n\n\
         Met vriendelijke groet,\nBeheermodule\n",
        m.given_names, level, reason
    );
    outbox::enqueue(
        conn,
        &outbox::NewMessage::email(&m.email, "Uw aanvraag voor eHerkenning is afgewezen", body),
        now,
    )
    .await?;
    Ok(())
}
