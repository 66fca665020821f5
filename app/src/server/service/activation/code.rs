//! The SMS code of an activation: sent to the number [`Ctx::code_mobile`] names, checked
//! with 5 tries, resent at most [`CODES_PER_DAY`] times a day. A confirmed code moves a
//! new address on to choosing a password, an upgrade on to its identity steps, and an
//! existing account (password already proven) to binding the means to it.

use super::{live, Ctx, CODES_PER_DAY};
use crate::contract::activation::Notice;
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::means::identity_steps;
use crate::domain::request::{RequestEvent, RequestKind, RequestState, TimelineEvent};
use crate::error::AppError;
use crate::server::audit::record;
use crate::server::auth::codes::{code_hash, code_matches, SmsCode, CODE_TRIES, CODE_TTL_MS};
use crate::server::auth::tokens::RawToken;
use crate::server::clock::HOUR_MS;
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::sms_codes::{self, Owner};
use crate::server::db::{means, outbox, Conn};
use crate::server::service::issuance::advance;
use crate::server::state::AppState;

/// A new code for the request: the previous one stops working.
pub(super) async fn send_code(state: &AppState, conn: &mut Conn, ctx: &Ctx, now: i64) -> Result<(), AppError> {
    let code = SmsCode::generate();
    let owner = &ctx.request.id;
    sms_codes::replace(
        conn,
        Owner::Request(owner),
        &code_hash(&state.config.code_key, owner, &code),
        now,
        CODE_TTL_MS,
        CODE_TRIES,
    )
    .await?;
    let body = format!(
        "Uw code om uw eHerkenningsmiddel te activeren is {}. De code is 10 minuten geldig. Deel deze code met niemand.",
        code.expose()
    );
    outbox::enqueue(
        conn,
        &outbox::NewMessage::sms(ctx.code_mobile(), &body).about(owner),
        now,
    )
    .await?;
    requests::add_event(conn, owner, now, None, TimelineEvent::SmsSent, &serde_json::json!({})).await?;
    let mut ev = AuditEvent::new(AuditAction::SecondFactorSent, TargetKind::Request, owner)
        .organisation(&ctx.request.organisation_id);
    if let Some(a) = ctx.actor() {
        ev = ev.actor(a);
    }
    record(conn, ev, now).await?;
    Ok(())
}

/// Checks the typed code. `Some(notice)` says what went wrong; `None` means on to the
/// next step.
pub async fn verify_code(state: &AppState, cont: Option<&RawToken>, typed: &str) -> Result<Option<Notice>, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let ctx = match live(&mut tx, cont, now).await? {
        Ok(c) => c,
        Err(n) => return Ok(Some(n)),
    };
    if ctx.request.state != RequestState::AwaitingSms {
        return Ok(Some(Notice::StepDone));
    }
    let owner = ctx.request.id.clone();
    let Some(code) = sms_codes::latest(&mut tx, Owner::Request(&owner)).await? else {
        return Ok(Some(Notice::CodeDead));
    };
    if code.used_at.is_some() || code.superseded_at.is_some() || code.tries_left <= 0 {
        return Ok(Some(Notice::CodeDead));
    }
    if code.expires_at <= now {
        return Ok(Some(Notice::CodeExpired));
    }
    if !code_matches(&state.config.code_key, &owner, typed, &code.code_hash) {
        let left = sms_codes::spend_try(&mut tx, &code.id).await?.unwrap_or(0);
        requests::add_event(
            &mut tx,
            &owner,
            now,
            ctx.actor(),
            TimelineEvent::SmsWrong,
            &serde_json::json!({ "tries_left": left }),
        )
        .await?;
        let mut ev = AuditEvent::new(AuditAction::SecondFactorFailed, TargetKind::Request, &owner)
            .organisation(&ctx.request.organisation_id);
        if let Some(a) = ctx.actor() {
            ev = ev.actor(a);
        }
        record(&mut tx, ev, now).await?;
        tx.commit().await?;
        return Ok(Some(if left > 0 { Notice::CodeWrong } else { Notice::CodeDead }));
    }
    if !sms_codes::mark_used(&mut tx, &code.id, now).await? {
        return Ok(Some(Notice::CodeDead));
    }
    let steps = identity_steps(ctx.level, ctx.employed);
    let steps_detail = serde_json::json!({ "id_check": steps.id_check, "in_person": steps.in_person });
    let (event, detail) = match (ctx.kind(), &ctx.account) {
        // An upgrade skips the password (the person has one) and goes on to the identity
        // steps of the new level, or completes at once.
        (RequestKind::UpgradeMeans, _) => (RequestEvent::UpgradeSmsConfirmed { steps }, steps_detail),
        // The account's password was proven before this code went to its verified mobile.
        (_, Some(_)) => (RequestEvent::AccountSmsConfirmed { steps }, steps_detail),
        (_, None) => (RequestEvent::SmsConfirmed, serde_json::json!({})),
    };
    if let (RequestEvent::AccountSmsConfirmed { .. }, Some(account)) = (&event, &ctx.account) {
        bind(&mut tx, &ctx, &account.id, now).await?;
    }
    match advance(&mut tx, &ctx.request, event, ctx.actor(), detail, now).await {
        Ok(_) => {}
        Err(AppError::Conflict(_)) => return Ok(Some(Notice::StepDone)),
        Err(e) => return Err(e),
    }
    state.commit_and_wake(tx).await?;
    Ok(None)
}

/// Binds the request's means to the account its holder just proved, with an audit event.
pub(super) async fn bind(conn: &mut Conn, ctx: &Ctx, account_id: &str, now: i64) -> Result<(), AppError> {
    if !means::bind_account(conn, &ctx.means.id, account_id, now).await? {
        return Err(AppError::Conflict(crate::server::service::issuance::RACED.into()));
    }
    let ev = AuditEvent::new(AuditAction::MeansBound, TargetKind::Means, &ctx.means.id)
        .actor(account_id)
        .organisation(&ctx.request.organisation_id)
        .after(serde_json::json!({ "request_id": ctx.request.id }));
    record(conn, ev, now).await?;
    Ok(())
}

/// A manager's resend: a new code for a request waiting for its SMS code, in the caller's
/// transaction (the previous code stops working).
pub(crate) async fn send_code_for(
    state: &AppState,
    conn: &mut Conn,
    request: RequestRow,
    now: i64,
) -> Result<(), AppError> {
    let ctx = super::context(conn, request).await?;
    send_code(state, conn, &ctx, now).await
}

/// Sends a new code (at most [`CODES_PER_DAY`] per request per 24 hours).
pub async fn resend_code(state: &AppState, cont: Option<&RawToken>) -> Result<Notice, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let ctx = match live(&mut tx, cont, now).await? {
        Ok(c) => c,
        Err(n) => return Ok(n),
    };
    if ctx.request.state != RequestState::AwaitingSms {
        return Ok(Notice::StepDone);
    }
    if sms_codes::count_since(&mut tx, Owner::Request(&ctx.request.id), now - 24 * HOUR_MS).await? >= CODES_PER_DAY {
        return Ok(Notice::TooManyCodes);
    }
    send_code(state, &mut tx, &ctx, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(Notice::CodeResent)
}
