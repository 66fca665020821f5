//! Cancelling a means (*opzeggen*) with a reason: its open requests end, the means is
//! cancelled and every authorisation on it is revoked, in one transaction, with a completed
//! `cancel_means` request on record and an e-mail to the person; the holder's sessions in
//! this organisation end. The last active manager of an organisation cannot cancel their
//! own means.

use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::request::{RequestEvent, RequestKind};
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::db::means_admin as q;
use crate::server::db::{authorisations, means, organisations, outbox, sessions, Conn};
use crate::server::service::issuance::{advance, RACED};
use crate::server::service::means_admin::open_request;
use crate::server::state::AppState;

pub const LAST_MANAGER: &str =
    "U bent de laatste actieve beheerder van deze organisatie. Als u uw eigen middel opzegt, \
    kan niemand de organisatie nog beheren. Maak eerst iemand anders beheerder.";

pub(crate) async fn last_manager_guard(
    conn: &mut Conn,
    actor: &str,
    org: &str,
    m: &means::MeansRow,
    now: i64,
) -> Result<bool, AppError> {
    Ok(m.account_id.as_deref() == Some(actor)
        && q::is_manager_means(conn, &m.id).await?
        && q::other_managers(conn, org, actor, now).await? == 0)
}

/// Cancels (*opzegt*) a means with a reason; its authorisations are revoked with it.
pub async fn cancel(state: &AppState, actor: &str, org: &str, id: &str, reason: &str) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("Vul een reden in voor het opzeggen."));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("De reden is te lang: gebruik maximaal 500 tekens."));
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let m = means::find(&mut tx, org, id).await?.ok_or(AppError::NotFound)?;
    if m.state.is_final() {
        return Err(AppError::Conflict("Dit middel is al opgezegd of verlopen.".into()));
    }
    if last_manager_guard(&mut tx, actor, org, &m, now).await? {
        return Err(AppError::Conflict(LAST_MANAGER.into()));
    }
    let detail = serde_json::json!({ "reason": reason, "by": "means_cancelled" });
    for r in q::open_requests(&mut tx, &m.id).await? {
        advance(&mut tx, &r, RequestEvent::Cancel, Some(actor), detail.clone(), now).await?;
    }
    let request = open_request(
        &mut tx,
        actor,
        &m,
        RequestKind::CancelMeans,
        serde_json::json!({ "reason": reason }),
        now,
    )
    .await?;
    // Re-read: cancelling a new-means request may have cancelled the means already.
    let m = means::find(&mut tx, org, id).await?.or_internal()?;
    let from = m.state;
    if !from.is_final() {
        let to = from.cancel().map_err(|e| AppError::Conflict(e.to_string()))?;
        if !means::set_state(&mut tx, &m.id, from, to, now).await? {
            return Err(AppError::Conflict(RACED.into()));
        }
        let ev = AuditEvent::new(AuditAction::MeansCancelled, TargetKind::Means, &m.id)
            .actor(actor)
            .organisation(org)
            .before(serde_json::json!({ "state": from.as_str() }))
            .after(serde_json::json!({ "state": to.as_str(), "reason": reason }));
        record(&mut tx, ev, now).await?;
    }
    let why = format!("middel opgezegd: {reason}");
    for a in authorisations::of_means(&mut tx, &m.id).await? {
        let Ok(to) = a.state.revoke() else {
            continue;
        };
        if !authorisations::set_state(&mut tx, &a.id, a.state, to, Some(&why), now).await? {
            return Err(AppError::Conflict(RACED.into()));
        }
        let ev = AuditEvent::new(AuditAction::AuthorisationRevoked, TargetKind::Authorisation, &a.id)
            .actor(actor)
            .organisation(org)
            .before(serde_json::json!({ "state": a.state, "scope": a.scope, "service": a.service_id }))
            .after(serde_json::json!({ "state": to.as_str(), "reason": why }));
        record(&mut tx, ev, now).await?;
    }
    advance(
        &mut tx,
        &request,
        RequestEvent::CompleteAtOnce,
        Some(actor),
        serde_json::json!({ "reason": reason }),
        now,
    )
    .await?;
    if let Some(account) = m.account_id.as_deref() {
        sessions::delete_for_account_in(&mut tx, account, org).await?;
    }
    let org_name = organisations::find(&mut tx, org)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let body = format!(
        "Beste {},\n\nUw eHerkenningsmiddel op niveau {} voor {} is opgezegd. U kunt er niet meer mee inloggen\n\
         en uw machtigingen voor deze organisatie zijn ingetrokken.\nReden: {}\n\n\
         Heeft u vragen? Neem dan contact op met de beheerder van uw organisatie.\n\nMet vriendelijke groet,\nBeheermodule\n",
        m.given_names, m.level, org_name, reason
    );
    outbox::enqueue(
        &mut tx,
        &outbox::NewMessage::email(&m.email, "Uw eHerkenningsmiddel is opgezegd", body),
        now,
    )
    .await?;
    state.commit_and_wake(tx).await?;
    Ok(())
}
