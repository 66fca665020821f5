//! A forgotten password, from `/inloggen`: an e-mail link (256 bits, only its SHA-256
//! stored, one hour, single use; a GET only looks), then a code to the account's verified
//! mobile, then a new password, after which every session of the account ends. Asking
//! answers the same, at once, whether or not the address has an account: the work happens
//! after the answer has gone.

use super::{check_flow_code, known_names, masked, password_notice, send_flow_code, CODES_PER_FLOW};
use crate::contract::account::{AccountNotice, ResetStep};
use crate::domain::account_flow::{first_step, next, FlowEvent, FlowPurpose, FlowStep};
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::password::{self, PasswordContext};
use crate::domain::value::Email;
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::auth::common_passwords::is_common;
use crate::server::auth::password::Secret;
use crate::server::auth::tokens::RawToken;
use crate::server::clock::HOUR_MS;
use crate::server::db::account_flows::{self, FlowRow};
use crate::server::db::sms_codes::{self, Owner};
use crate::server::db::{accounts, new_id, outbox, sessions, Conn};
use crate::server::service::activation::plausible;
use crate::server::state::AppState;

/// How long a reset link (and the reset it starts) works.
pub const RESET_TTL_MS: i64 = HOUR_MS;
/// Reset e-mails one account may get per 24 hours.
pub const RESETS_PER_DAY: i64 = 3;
/// The continuation cookie's name; `api` sets it (for [`RESET_TTL_MS`]) and reads it.
pub const RESET_COOKIE: &str = "bm_herstel";

/// Asks for a reset link. Answers at once and alike for every address; for one with an
/// account the link is mailed (at most [`RESETS_PER_DAY`] a day) by a task of its own.
pub fn forgotten(state: &AppState, email: &str) -> Result<AccountNotice, AppError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(AccountNotice::EmailInvalid);
    };
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = mail_link(&state, email.as_str()).await {
            tracing::error!(error = %e, "could not prepare a password reset e-mail");
        }
    });
    Ok(AccountNotice::ResetSent)
}

async fn mail_link(state: &AppState, email: &str) -> Result<(), AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let Some(account) = accounts::find_by_email(&mut tx, email).await? else {
        return Ok(());
    };
    let purpose = FlowPurpose::PasswordReset;
    if account_flows::count_since(&mut tx, &account.id, purpose, now - 24 * HOUR_MS).await? >= RESETS_PER_DAY {
        return Ok(());
    }
    account_flows::finish_open(&mut tx, &account.id, purpose, now).await?;
    let link = RawToken::generate();
    let flow = FlowRow {
        id: new_id(),
        account_id: account.id.clone(),
        purpose,
        step: first_step(FlowPurpose::PasswordReset),
        link_sha256: Some(link.sha256()),
        session_sha256: None,
        new_mobile_e164: None,
        created_at: now,
        expires_at: now + RESET_TTL_MS,
        finished_at: None,
    };
    account_flows::insert(&mut tx, &flow).await?;
    let url = format!("{}/wachtwoord-herstellen/{}", state.config.public_url, link.expose());
    let body = format!(
        "Beste,\n\nU heeft gevraagd om een nieuw wachtwoord voor uw eHerkenning-account bij Beheermodule.\n\
         Open de link hieronder. Daarna ontvangt u een sms-code op het mobiele nummer van uw account\n\
         en kiest u een nieuw wachtwoord.\n\n{url}\n\n\
         De link werkt 1 uur en één keer. Heeft u dit niet gevraagd? Dan kunt u deze e-mail negeren;\n\
         uw wachtwoord blijft dan hetzelfde.\n\nMet vriendelijke groet,\nBeheermodule\n"
    );
    outbox::enqueue(
        &mut tx,
        &outbox::NewMessage::email(&account.email, "Nieuw wachtwoord kiezen", body),
        now,
    )
    .await?;
    let ev = AuditEvent::new(AuditAction::PasswordResetRequested, TargetKind::Account, &account.id);
    record(&mut tx, ev, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(())
}

/// The live flow behind a link that has not been used.
async fn by_link(conn: &mut Conn, raw: &str, now: i64) -> Result<Option<FlowRow>, AppError> {
    if !plausible(raw) {
        return Ok(None);
    }
    Ok(account_flows::find_by_link(conn, &RawToken::from_client(raw).sha256())
        .await?
        .filter(|f| f.live(now) && f.step == FlowStep::AwaitingLink))
}

/// Whether the link still works (the GET uses nothing).
pub async fn link_usable(state: &AppState, raw: &str) -> Result<bool, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(by_link(&mut conn, raw, state.now()).await?.is_some())
}

/// Uses the link once, starts the continuation cookie and sends a code to the verified
/// mobile; `None` when the link no longer works.
pub async fn confirm_link(state: &AppState, raw: &str) -> Result<Option<RawToken>, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let Some(flow) = by_link(&mut tx, raw, now).await? else {
        return Ok(None);
    };
    let to = next(
        FlowPurpose::PasswordReset,
        FlowStep::AwaitingLink,
        FlowEvent::LinkConfirmed,
    )
    .or_internal()?;
    let cont = RawToken::generate();
    if !account_flows::advance(&mut tx, &flow.id, FlowStep::AwaitingLink, to, Some(&cont.sha256())).await? {
        return Ok(None);
    }
    let account = accounts::find(&mut tx, &flow.account_id).await?.or_internal()?;
    send_flow_code(state, &mut tx, &flow, &account.verified_mobile_e164, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(Some(cont))
}

/// The live flow behind the continuation cookie.
async fn live(conn: &mut Conn, cont: Option<&RawToken>, now: i64) -> Result<Option<FlowRow>, AppError> {
    let Some(cont) = cont else { return Ok(None) };
    let flow = account_flows::find_by_session(conn, &cont.sha256())
        .await?
        .filter(|f| f.purpose == FlowPurpose::PasswordReset);
    Ok(flow.filter(|f| f.finished_at.is_some() || f.expires_at > now))
}

pub async fn reset_view(state: &AppState, cont: Option<&RawToken>) -> Result<ResetStep, AppError> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let Some(flow) = live(&mut conn, cont, now).await? else {
        return Ok(ResetStep::NoReset);
    };
    if flow.step == FlowStep::Done {
        return Ok(ResetStep::Done);
    }
    if !flow.live(now) {
        return Ok(ResetStep::NoReset);
    }
    Ok(match flow.step {
        FlowStep::AwaitingSms => {
            let account = accounts::find(&mut conn, &flow.account_id).await?.or_internal()?;
            let code = sms_codes::latest(&mut conn, Owner::Flow(&flow.id)).await?;
            let sent = sms_codes::count_since(&mut conn, Owner::Flow(&flow.id), 0).await?;
            let (tries_left, code_dead) = match code {
                Some(c) => (
                    c.tries_left,
                    c.used_at.is_some() || c.superseded_at.is_some() || c.tries_left <= 0 || c.expires_at <= now,
                ),
                None => (0, true),
            };
            ResetStep::Sms {
                masked_mobile: masked(&account.verified_mobile_e164),
                tries_left,
                code_dead,
                codes_left: (CODES_PER_FLOW - sent).max(0),
            }
        }
        FlowStep::AwaitingPassword => ResetStep::Password,
        _ => ResetStep::NoReset,
    })
}

pub async fn reset_code(
    state: &AppState,
    cont: Option<&RawToken>,
    typed: &str,
) -> Result<Option<AccountNotice>, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let Some(flow) = live(&mut tx, cont, now).await?.filter(|f| f.live(now)) else {
        return Ok(Some(AccountNotice::NoReset));
    };
    let outcome = check_flow_code(state, &mut tx, &flow, typed, now).await?;
    tx.commit().await?;
    Ok(outcome.err())
}

pub async fn reset_resend(state: &AppState, cont: Option<&RawToken>) -> Result<AccountNotice, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let Some(flow) = live(&mut tx, cont, now).await?.filter(|f| f.live(now)) else {
        return Ok(AccountNotice::NoReset);
    };
    if flow.step != FlowStep::AwaitingSms {
        return Ok(AccountNotice::StepDone);
    }
    if sms_codes::count_since(&mut tx, Owner::Flow(&flow.id), 0).await? >= CODES_PER_FLOW {
        return Ok(AccountNotice::TooManyCodes);
    }
    let account = accounts::find(&mut tx, &flow.account_id).await?.or_internal()?;
    send_flow_code(state, &mut tx, &flow, &account.verified_mobile_e164, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(AccountNotice::CodeResent)
}

/// The new password: set, every session of the account ended, the holder told by e-mail.
pub async fn reset_password(
    state: &AppState,
    cont: Option<&RawToken>,
    password: Secret,
    repeat: Secret,
) -> Result<Option<AccountNotice>, AppError> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let Some(flow) = live(&mut conn, cont, now).await?.filter(|f| f.live(now)) else {
        return Ok(Some(AccountNotice::NoReset));
    };
    if flow.step != FlowStep::AwaitingPassword {
        return Ok(Some(AccountNotice::StepDone));
    }
    let account = accounts::find(&mut conn, &flow.account_id).await?.or_internal()?;
    let names = known_names(&mut conn, &account.id).await?;
    drop(conn);
    let policy = PasswordContext {
        email: &account.email,
        names: names.iter().map(String::as_str).collect(),
    };
    if let Err(e) = password::check(password.expose(), repeat.expose(), &policy, is_common) {
        return Ok(Some(password_notice(&e)));
    }
    let hash = state.passwords.hash(&password).await?;
    let mut tx = state.db.begin().await?;
    let to = next(
        FlowPurpose::PasswordReset,
        FlowStep::AwaitingPassword,
        FlowEvent::PasswordSet,
    )
    .or_internal()?;
    if !account_flows::advance(&mut tx, &flow.id, FlowStep::AwaitingPassword, to, None).await? {
        return Ok(Some(AccountNotice::StepDone));
    }
    account_flows::finish(&mut tx, &flow.id, now).await?;
    accounts::set_password_hash(&mut tx, &account.id, &hash, now).await?;
    let ended = sessions::delete_for_account(&mut tx, &account.id, None).await?;
    let ev = AuditEvent::new(AuditAction::PasswordReset, TargetKind::Account, &account.id)
        .actor(&account.id)
        .after(serde_json::json!({ "sessions_ended": ended }));
    record(&mut tx, ev, now).await?;
    outbox::enqueue(
        &mut tx,
        &outbox::NewMessage::email(
            &account.email,
            "Uw wachtwoord is opnieuw ingesteld",
            "Beste,\n\nU heeft zojuist een nieuw wachtwoord gekozen voor uw eHerkenning-account bij Beheermodule.\n\
             Op alle apparaten bent u uitgelogd.\n\nWas u dit niet? Neem dan direct contact op met de beheerder\n\
             van uw organisatie.\n\nMet vriendelijke groet,\nBeheermodule\n",
        ),
        now,
    )
    .await?;
    state.commit_and_wake(tx).await?;
    Ok(None)
}
