//! New approval links for representatives who let theirs expire (a link works 24 hours).
//! The applicant asks from the status page; only once every pending link has expired, so
//! each representative has at most one live link and nobody can flood their mailbox.

use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::request::{RequestState, TimelineEvent};
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::auth::tokens::RawToken;
use crate::server::db::tokens::{self, TokenRow};
use crate::server::db::{outbox, registrations, requests, Conn};
use crate::server::service::registration::{PersonRecord, APPROVE_TTL_MS, PURPOSE_APPROVE};
use crate::server::service::registration_status::by_status_token;
use crate::server::state::AppState;

/// Representatives still to answer whose links have all expired (none when any is live).
pub async fn expired_pending(conn: &mut Conn, reps: &[PersonRecord], now: i64) -> Result<Vec<usize>, AppError> {
    let mut out = Vec::new();
    for (i, r) in reps.iter().enumerate().filter(|(_, r)| r.answer == "pending") {
        let live = match &r.token_sha256 {
            Some(h) => tokens::find(conn, h)
                .await?
                .is_some_and(|t| t.used_at.is_none() && t.cancelled_at.is_none() && t.expires_at > now),
            None => false,
        };
        if live {
            return Ok(vec![]);
        }
        out.push(i);
    }
    Ok(out)
}

/// Sends fresh links; `Ok(false)` when there is nothing to resend (yet).
pub async fn resend(state: &AppState, status_token: &str) -> Result<bool, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let Some((reg, req)) = by_status_token(&mut tx, status_token, now).await? else {
        return Ok(false);
    };
    if req.state != RequestState::AwaitingRepresentatives {
        return Ok(false);
    }
    let mut reps: Vec<PersonRecord> = crate::server::stored::parse("representatives", &reg.representatives)?;
    let due = expired_pending(&mut tx, &reps, now).await?;
    if due.is_empty() {
        return Ok(false);
    }
    let base = state.config.public_url.trim_end_matches('/').to_string();
    for i in &due {
        let token = RawToken::generate();
        tokens::insert(
            &mut tx,
            &TokenRow {
                token_sha256: token.sha256(),
                request_id: req.id.clone(),
                purpose: PURPOSE_APPROVE,
                created_at: now,
                expires_at: now + APPROVE_TTL_MS,
                used_at: None,
                cancelled_at: None,
            },
        )
        .await?;
        let rep = &mut reps[*i];
        rep.token_sha256 = Some(token.sha256());
        let body = crate::server::service::registration_mail::reminder(
            rep,
            &reg.org_name,
            &reg.kvk_number,
            &format!("{base}/registreren/goedkeuren/{}", token.expose()),
        );
        outbox::enqueue(
            &mut tx,
            &outbox::NewMessage::email(&rep.email, "Herinnering: keur een machtigingenbeheerder goed", body),
            now,
        )
        .await?;
    }
    let json = serde_json::to_string(&reps).or_internal()?;
    if !registrations::set_representatives(&mut tx, &reg.id, reg.version, &json).await? {
        return Err(AppError::Conflict(crate::server::service::issuance::RACED.into()));
    }
    requests::add_event(
        &mut tx,
        &req.id,
        now,
        None,
        TimelineEvent::RepresentativesReminded,
        &serde_json::json!({ "links": due.len() }),
    )
    .await?;
    let ev = AuditEvent::new(AuditAction::MessageResent, TargetKind::Request, &req.id)
        .organisation(&req.organisation_id)
        .after(serde_json::json!({ "purpose": PURPOSE_APPROVE, "links": due.len() }));
    record(&mut tx, ev, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(true)
}
