//! The password step of an activation. For an address without an account the person
//! chooses one, and completing creates the account ([`set_password`]); where the address
//! has an account the person gives *its* password instead ([`prove_password`]), after which
//! the code goes to the account's verified mobile. Nothing here changes an existing
//! account.

use super::{code, live, Ctx, PASSWORD_TRIES};
use crate::contract::activation::Notice;
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::means::identity_steps;
use crate::domain::password::{self, PasswordContext, PasswordError};
use crate::domain::request::{RequestEvent, RequestState, TimelineEvent};
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::auth::common_passwords::is_common;
use crate::server::auth::password::Secret;
use crate::server::auth::throttle;
use crate::server::auth::tokens::RawToken;
use crate::server::db::accounts::{self, AccountRow};
use crate::server::db::{is_unique_violation, login_attempts, new_id, requests, Conn};
use crate::server::service::issuance::advance;
use crate::server::state::AppState;

/// The timeline event of a wrong account password.
const PASSWORD_WRONG: TimelineEvent = TimelineEvent::PasswordWrong;

/// Wrong account passwords given on this request so far.
pub(super) async fn wrong_tries(conn: &mut Conn, request_id: &str) -> Result<i64, AppError> {
    Ok(requests::events(conn, request_id)
        .await?
        .iter()
        .filter(|e| e.event == PASSWORD_WRONG)
        .count() as i64)
}

fn password_notice(e: &PasswordError) -> Notice {
    match e {
        PasswordError::Blank => Notice::PasswordBlank,
        PasswordError::TooShort { .. } => Notice::PasswordShort,
        PasswordError::TooLong { .. } => Notice::PasswordLong,
        PasswordError::Mismatch => Notice::PasswordMismatch,
        PasswordError::Common => Notice::PasswordCommon,
        PasswordError::ContainsEmail => Notice::PasswordEmail,
        PasswordError::ContainsName => Notice::PasswordName,
    }
}

/// Chooses the password of a new account, then completes the request or moves it to the
/// identity steps its level needs. The account is created here, with the number the code
/// went to as its verified mobile. When an account for the address came into being in the
/// meantime (another organisation's activation finished first), nothing is created: the
/// request turns to proving that account.
pub async fn set_password(
    state: &AppState,
    cont: Option<&RawToken>,
    password: Secret,
    repeat: Secret,
) -> Result<Option<Notice>, AppError> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let ctx = match live(&mut conn, cont, now).await? {
        Ok(c) => c,
        Err(n) => return Ok(Some(n)),
    };
    drop(conn);
    if ctx.request.state != RequestState::AwaitingPassword || ctx.account.is_some() {
        return Ok(Some(Notice::StepDone));
    }
    let mut names: Vec<&str> = ctx.means.given_names.split_whitespace().collect();
    names.extend(ctx.means.surname.split_whitespace());
    let policy = PasswordContext {
        email: &ctx.means.email,
        names,
    };
    if let Err(e) = password::check(password.expose(), repeat.expose(), &policy, is_common) {
        return Ok(Some(password_notice(&e)));
    }
    let hash = state.passwords.hash(&password).await?;
    let account = AccountRow {
        id: new_id(),
        email: ctx.means.email.clone(),
        verified_mobile_e164: ctx.means.mobile_e164.clone(),
        language: "nl".into(),
        is_backoffice: 0,
        staff_name: None,
        created_at: now,
        updated_at: now,
    };
    let mut tx = state.db.begin().await?;
    // First, so that a lost race leaves nothing else half-done (PostgreSQL aborts the
    // transaction on the violation).
    match accounts::insert(&mut tx, &account, &hash).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => {
            drop(tx);
            return turn_to_existing(state, &ctx, now).await;
        }
        Err(e) => return Err(e.into()),
    }
    let steps = identity_steps(ctx.level, ctx.employed);
    code::bind(&mut tx, &ctx, &account.id, now).await?;
    requests::set_account(&mut tx, &ctx.request.id, &account.id, now).await?;
    match advance(
        &mut tx,
        &ctx.request,
        RequestEvent::PasswordSet { steps },
        Some(&account.id),
        serde_json::json!({ "id_check": steps.id_check, "in_person": steps.in_person }),
        now,
    )
    .await
    {
        Ok(_) => {}
        Err(AppError::Conflict(_)) => return Ok(Some(Notice::StepDone)),
        Err(e) => return Err(e),
    }
    let ev = AuditEvent::new(AuditAction::AccountCreated, TargetKind::Account, &account.id)
        .actor(&account.id)
        .organisation(&ctx.request.organisation_id)
        .after(serde_json::json!({ "request_id": ctx.request.id, "password_set": true, "mobile_verified": true }));
    record(&mut tx, ev, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(None)
}

/// Another activation created the account for this address first: this request now
/// proves that account (its password, then a code to its verified mobile).
async fn turn_to_existing(state: &AppState, ctx: &Ctx, now: i64) -> Result<Option<Notice>, AppError> {
    let mut tx = state.db.begin().await?;
    let existing = accounts::find_by_email(&mut tx, &ctx.means.email)
        .await?
        .or_internal()?;
    requests::set_account(&mut tx, &ctx.request.id, &existing.id, now).await?;
    if existing.verified_mobile_e164 != ctx.means.mobile_e164 {
        requests::add_event(
            &mut tx,
            &ctx.request.id,
            now,
            None,
            super::MOBILE_DIFFERS,
            &serde_json::json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Some(Notice::AccountExists))
}

/// The account's own password, where the address has an account. Right: on to a code to
/// the verified mobile. Wrong: counted on the request; the fifth stops it.
pub async fn prove_password(
    state: &AppState,
    cont: Option<&RawToken>,
    password: Secret,
) -> Result<Option<Notice>, AppError> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let ctx = match live(&mut conn, cont, now).await? {
        Ok(c) => c,
        Err(n) => return Ok(Some(n)),
    };
    let Some(account) = ctx.account.clone() else {
        return Ok(Some(Notice::StepDone));
    };
    if ctx.request.state != RequestState::AwaitingPassword {
        return Ok(Some(Notice::StepDone));
    }
    if wrong_tries(&mut conn, &ctx.request.id).await? >= PASSWORD_TRIES {
        return Ok(Some(Notice::PasswordTooOften));
    }
    // The account's own login limits hold here too: this is a password try like a login.
    let subject = throttle::login_subject(&account.email);
    if throttle::gate(state, &mut conn, &subject, now).await.is_err() {
        return Ok(Some(Notice::LoginLocked));
    }
    let hash = crate::server::db::accounts::password_hash(&mut conn, &account.id).await?;
    drop(conn);
    let ok = state.passwords.verify(&password, hash.as_deref()).await;
    let mut tx = state.db.begin().await?;
    if !ok {
        throttle::wrong_answer(
            state,
            &mut tx,
            &subject,
            login_attempts::PASSWORD_WRONG,
            Some(&account),
            now,
        )
        .await?;
        requests::add_event(
            &mut tx,
            &ctx.request.id,
            now,
            None,
            PASSWORD_WRONG,
            &serde_json::json!({}),
        )
        .await?;
        let ev = AuditEvent::new(AuditAction::AccountProofFailed, TargetKind::Account, &account.id)
            .organisation(&ctx.request.organisation_id)
            .after(serde_json::json!({ "request_id": ctx.request.id }));
        record(&mut tx, ev, now).await?;
        let notice = if wrong_tries(&mut tx, &ctx.request.id).await? >= PASSWORD_TRIES {
            advance(
                &mut tx,
                &ctx.request,
                RequestEvent::Cancel,
                None,
                serde_json::json!({ "by": "system", "reason": "vijf keer een onjuist wachtwoord bij het activeren" }),
                now,
            )
            .await?;
            Notice::PasswordTooOften
        } else {
            Notice::PasswordWrong
        };
        tx.commit().await?;
        return Ok(Some(notice));
    }
    match advance(
        &mut tx,
        &ctx.request,
        RequestEvent::PasswordProved,
        Some(&account.id),
        serde_json::json!({}),
        now,
    )
    .await
    {
        Ok(_) => {}
        Err(AppError::Conflict(_)) => return Ok(Some(Notice::StepDone)),
        Err(e) => return Err(e),
    }
    code::send_code(state, &mut tx, &ctx, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(None)
}
