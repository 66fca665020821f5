//! Changes the logged-in holder makes on `/mijn`: a new password (the current one first)
//! and a new mobile number (the current password, then a code sent to the new number; the
//! old number is told by SMS).

use super::{check_flow_code, known_names, masked, password_notice, send_flow_code};
use crate::contract::account::{AccountNotice, AccountView, PendingMobile};
use crate::domain::account_flow::{first_step, FlowPurpose};
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::password::{self, PasswordContext};
use crate::domain::value::DutchMobile;
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::auth::common_passwords::is_common;
use crate::server::auth::password::Secret;
use crate::server::auth::session::Identity;
use crate::server::auth::throttle;
use crate::server::clock::HOUR_MS;
use crate::server::db::account_flows::{self, FlowRow};
use crate::server::db::sms_codes::{self, Owner};
use crate::server::db::{accounts, login_attempts, new_id, outbox, sessions};
use crate::server::state::AppState;

/// A mobile change must be finished within this time.
const MOBILE_FLOW_MS: i64 = 15 * 60_000;
/// Mobile changes one account may start per 24 hours.
pub const MOBILE_CHANGES_PER_DAY: i64 = 3;

pub async fn view(state: &AppState, id: &Identity) -> Result<AccountView, AppError> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let pending = match account_flows::open_of(&mut conn, &id.account.id, FlowPurpose::MobileChange, now).await? {
        Some(flow) => {
            let code = sms_codes::latest(&mut conn, Owner::Flow(&flow.id)).await?;
            let (tries_left, code_dead) = match code {
                Some(c) => (
                    c.tries_left,
                    c.used_at.is_some() || c.superseded_at.is_some() || c.tries_left <= 0 || c.expires_at <= now,
                ),
                None => (0, true),
            };
            Some(PendingMobile {
                masked_new: masked(flow.new_mobile_e164.as_deref().unwrap_or_default()),
                tries_left,
                code_dead,
            })
        }
        None => None,
    };
    Ok(AccountView {
        email: id.account.email.clone(),
        masked_mobile: masked(&id.account.verified_mobile_e164),
        pending_mobile: pending,
    })
}

/// Whether `current` is the account's password (argon2, on the blocking pool), under the
/// account's login limits: a wrong one counts like a wrong login.
async fn current_ok(
    state: &AppState,
    id: &Identity,
    current: &Secret,
    what: &str,
) -> Result<Result<(), AccountNotice>, AppError> {
    let now = state.now();
    let subject = throttle::login_subject(&id.account.email);
    let mut conn = state.db.pool.acquire().await?;
    if throttle::gate(state, &mut conn, &subject, now).await.is_err() {
        return Ok(Err(AccountNotice::Locked));
    }
    let hash = accounts::password_hash(&mut conn, &id.account.id).await?;
    drop(conn);
    if state.passwords.verify(current, hash.as_deref()).await {
        return Ok(Ok(()));
    }
    let mut tx = state.db.begin().await?;
    throttle::wrong_answer(
        state,
        &mut tx,
        &subject,
        login_attempts::PASSWORD_WRONG,
        Some(&id.account),
        now,
    )
    .await?;
    let ev = AuditEvent::new(AuditAction::AccountProofFailed, TargetKind::Account, &id.account.id)
        .actor(&id.account.id)
        .after(serde_json::json!({ "for": what }));
    record(&mut tx, ev, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(Err(AccountNotice::CurrentWrong))
}

/// A new password after the current one. The holder's other sessions end; an e-mail says
/// it happened.
pub async fn change_password(
    state: &AppState,
    id: &Identity,
    current: Secret,
    password: Secret,
    repeat: Secret,
) -> Result<AccountNotice, AppError> {
    if let Err(n) = current_ok(state, id, &current, "password").await? {
        return Ok(n);
    }
    if current.expose() == password.expose() {
        return Ok(AccountNotice::PasswordSame);
    }
    let mut conn = state.db.pool.acquire().await?;
    let names = known_names(&mut conn, &id.account.id).await?;
    drop(conn);
    let policy = PasswordContext {
        email: &id.account.email,
        names: names.iter().map(String::as_str).collect(),
    };
    if let Err(e) = password::check(password.expose(), repeat.expose(), &policy, is_common) {
        return Ok(password_notice(&e));
    }
    let hash = state.passwords.hash(&password).await?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    accounts::set_password_hash(&mut tx, &id.account.id, &hash, now).await?;
    let ended = sessions::delete_for_account(&mut tx, &id.account.id, Some(&id.session.id_sha256)).await?;
    let ev = AuditEvent::new(AuditAction::PasswordChanged, TargetKind::Account, &id.account.id)
        .actor(&id.account.id)
        .after(serde_json::json!({ "other_sessions_ended": ended }));
    record(&mut tx, ev, now).await?;
    outbox::enqueue(
        &mut tx,
        &outbox::NewMessage::email(
            &id.account.email,
            "Uw wachtwoord is gewijzigd",
            "Beste,\n\nHet wachtwoord van uw eHerkenning-account bij Beheermodule is zojuist gewijzigd.\n\
             Op andere apparaten bent u uitgelogd.\n\nWas u dit niet? Kies dan meteen een nieuw wachtwoord met\n\
             ‘Wachtwoord vergeten’ op de inlogpagina en neem contact op met de beheerder van uw organisatie.\n\n\
             Met vriendelijke groet,\nBeheermodule\n",
        ),
        now,
    )
    .await?;
    state.commit_and_wake(tx).await?;
    Ok(AccountNotice::PasswordChanged)
}

/// Starts a change of the verified mobile: the current password, then a code to the new
/// number. A change still open is replaced.
pub async fn start_mobile_change(
    state: &AppState,
    id: &Identity,
    mobile: &str,
    current: Secret,
) -> Result<AccountNotice, AppError> {
    let Ok(mobile) = DutchMobile::parse(mobile) else {
        return Ok(AccountNotice::MobileInvalid);
    };
    if mobile.as_e164() == id.account.verified_mobile_e164 {
        return Ok(AccountNotice::MobileSame);
    }
    if let Err(n) = current_ok(state, id, &current, "mobile").await? {
        return Ok(n);
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let purpose = FlowPurpose::MobileChange;
    if account_flows::count_since(&mut tx, &id.account.id, purpose, now - 24 * HOUR_MS).await? >= MOBILE_CHANGES_PER_DAY
    {
        return Ok(AccountNotice::TooManyCodes);
    }
    account_flows::finish_open(&mut tx, &id.account.id, purpose, now).await?;
    let flow = FlowRow {
        id: new_id(),
        account_id: id.account.id.clone(),
        purpose,
        step: first_step(FlowPurpose::MobileChange),
        link_sha256: None,
        session_sha256: None,
        new_mobile_e164: Some(mobile.as_e164().to_string()),
        created_at: now,
        expires_at: now + MOBILE_FLOW_MS,
        finished_at: None,
    };
    account_flows::insert(&mut tx, &flow).await?;
    send_flow_code(state, &mut tx, &flow, mobile.as_e164(), now).await?;
    let ev = AuditEvent::new(AuditAction::MobileChangeStarted, TargetKind::Account, &id.account.id)
        .actor(&id.account.id)
        .after(serde_json::json!({ "new_mobile": mobile.masked() }));
    record(&mut tx, ev, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(AccountNotice::CodeSent)
}

/// The code sent to the new number: the number becomes the verified mobile, the old number
/// hears so by SMS, other sessions end.
pub async fn confirm_mobile_change(state: &AppState, id: &Identity, typed: &str) -> Result<AccountNotice, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let Some(flow) = account_flows::open_of(&mut tx, &id.account.id, FlowPurpose::MobileChange, now).await? else {
        return Ok(AccountNotice::NoFlow);
    };
    match check_flow_code(state, &mut tx, &flow, typed, now).await? {
        Ok(_) => {}
        Err(n) => {
            tx.commit().await?;
            return Ok(n);
        }
    }
    let new = flow.new_mobile_e164.clone().or_internal()?;
    let old = id.account.verified_mobile_e164.clone();
    accounts::set_verified_mobile(&mut tx, &id.account.id, &new, now).await?;
    account_flows::finish(&mut tx, &flow.id, now).await?;
    let ended = sessions::delete_for_account(&mut tx, &id.account.id, Some(&id.session.id_sha256)).await?;
    outbox::enqueue(
        &mut tx,
        &outbox::NewMessage::sms(
            &old,
            format!(
                "Het mobiele nummer van uw eHerkenning-account is gewijzigd naar {}. Inlogcodes gaan niet meer naar dit nummer. Was u dit niet? Neem dan direct contact op met de beheerder van uw organisatie.",
                masked(&new)
            ),
        ),
        now,
    )
    .await?;
    let ev = AuditEvent::new(AuditAction::MobileChanged, TargetKind::Account, &id.account.id)
        .actor(&id.account.id)
        .before(serde_json::json!({ "mobile": masked(&old) }))
        .after(serde_json::json!({ "mobile": masked(&new), "other_sessions_ended": ended }));
    record(&mut tx, ev, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(AccountNotice::MobileChanged)
}

/// Stops an open mobile change; its code dies.
pub async fn cancel_mobile_change(state: &AppState, id: &Identity) -> Result<AccountNotice, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let n = account_flows::finish_open(&mut tx, &id.account.id, FlowPurpose::MobileChange, now).await?;
    tx.commit().await?;
    Ok(if n > 0 {
        AccountNotice::MobileCancelled
    } else {
        AccountNotice::NoFlow
    })
}
