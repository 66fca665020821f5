//! Revoking (with a reason) and reactivating (for a new term) authorisations: each a
//! request of kind `revoke` / `grant` that completes at once, with its audit event, in the
//! caller's transaction. Only the current organisation's ids are found.

use super::authorisations::{audit_json, can_hold, complete, term_bounds, Granter};
use super::means_admin::open_request;
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::authorisation::{check_grant, ScopeKind, Term};
use crate::domain::request::RequestKind;
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::db::{authorisations, means, services, Conn};

/// Revokes the given authorisations (all in the organisation, all active) with a reason.
pub async fn revoke(
    conn: &mut Conn,
    by: &Granter<'_>,
    ids: &[String],
    reason: &str,
    now: i64,
) -> Result<usize, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("Vul een reden in voor het intrekken."));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::invalid("De reden is te lang: gebruik maximaal 500 tekens."));
    }
    if ids.is_empty() {
        return Err(AppError::invalid("Kies ten minste één machtiging om in te trekken."));
    }
    for id in ids {
        let a = authorisations::find(conn, by.organisation_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if a.scope == ScopeKind::Manage {
            return Err(AppError::NotFound);
        }
        let from = a.state;
        let to = from.revoke().map_err(|e| AppError::Conflict(e.to_string()))?;
        let m = means::find(conn, by.organisation_id, &a.means_id)
            .await?
            .or_internal()?;
        let payload = serde_json::json!({ "authorisation": a.id, "service": a.service_id, "reason": reason });
        let request = open_request(conn, by.account_id, &m, RequestKind::Revoke, payload, now).await?;
        if !authorisations::set_state(conn, &a.id, from, to, Some(reason), now).await? {
            return Err(AppError::Conflict(crate::server::service::issuance::RACED.into()));
        }
        let ev = AuditEvent::new(AuditAction::AuthorisationRevoked, TargetKind::Authorisation, &a.id)
            .actor(by.account_id)
            .organisation(&a.organisation_id)
            .before(audit_json(&a))
            .after(serde_json::json!({ "state": to.as_str(), "reason": reason }));
        record(conn, ev, now).await?;
        complete(conn, &request, by, now).await?;
    }
    Ok(ids.len())
}

/// An expired authorisation active again for a new term from today; the level rules are
/// checked again (the means or the manager may have changed).
pub async fn reactivate(conn: &mut Conn, by: &Granter<'_>, id: &str, term: Term, now: i64) -> Result<(), AppError> {
    let a = authorisations::find(conn, by.organisation_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if a.scope == ScopeKind::Manage {
        return Err(AppError::NotFound);
    }
    let from = a.state;
    let to = from.reactivate().map_err(|e| AppError::Conflict(e.to_string()))?;
    let m = means::find(conn, by.organisation_id, &a.means_id)
        .await?
        .or_internal()?;
    if !can_hold(m.state) {
        return Err(AppError::invalid(
            "Het middel van deze persoon is niet (meer) in gebruik.",
        ));
    }
    let level = a.level;
    let service_level = match &a.service_id {
        Some(s) => services::find(conn, s).await?.map(|s| s.required_level),
        None => None,
    };
    let means_level = m.level;
    check_grant(service_level, level, means_level, by.level).map_err(AppError::invalid)?;
    let today = crate::domain::time::date_amsterdam(now);
    let (valid_from, valid_until) = term_bounds(today, term, now);
    let payload = serde_json::json!({ "reactivate": a.id, "service": a.service_id, "term_years": term.years() });
    let request = open_request(conn, by.account_id, &m, RequestKind::Grant, payload, now).await?;
    if !authorisations::reactivate(conn, &a.id, valid_from, valid_until, by.account_id, now).await? {
        return Err(AppError::Conflict(crate::server::service::issuance::RACED.into()));
    }
    let ev = AuditEvent::new(AuditAction::AuthorisationReactivated, TargetKind::Authorisation, &a.id)
        .actor(by.account_id)
        .organisation(&a.organisation_id)
        .before(audit_json(&a))
        .after(serde_json::json!({ "state": to.as_str(), "valid_from": valid_from, "valid_until": valid_until }));
    record(conn, ev, now).await?;
    complete(conn, &request, by, now).await
}
