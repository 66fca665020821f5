//! The holder's own account (`/mijn`, and the forgotten password from `/inloggen`). Only the
//! holder changes an account, and always by proving it: the current password for a new
//! password or a new mobile (whose own code proves the number), or — with the password
//! forgotten — the e-mail link and then a code to the verified mobile. Each change is
//! audited, tells the holder by e-mail or SMS, and ends the account's other sessions.
//!
//! Multi-step changes are `account_flows` rows (`domain::account_flow`): their codes are
//! owned by the flow, live 10 minutes and 5 tries, and a new code kills the previous one.

mod own;
mod reset;

pub use own::{cancel_mobile_change, change_password, confirm_mobile_change, start_mobile_change, view};
pub use reset::{
    confirm_link, forgotten, link_usable, reset_code, reset_password, reset_resend, reset_view, RESET_COOKIE,
    RESET_TTL_MS,
};

use crate::contract::account::AccountNotice;
use crate::domain::account_flow::{next, FlowEvent, FlowPurpose, FlowStep};
use crate::domain::password::PasswordError;
use crate::error::AppError;
use crate::server::auth::codes::{code_hash, code_matches, SmsCode, CODE_TRIES, CODE_TTL_MS};
use crate::server::db::account_flows::{self, FlowRow};
use crate::server::db::sms_codes::{self, Owner};
use crate::server::db::{means, outbox, Conn};
use crate::server::state::AppState;

/// Codes one flow may have (the first included).
pub const CODES_PER_FLOW: i64 = 5;

/// The names this person is known by (every organisation's particulars of their means),
/// which a password may not contain.
async fn known_names(conn: &mut Conn, account_id: &str) -> Result<Vec<String>, AppError> {
    let mut names = Vec::new();
    for m in means::of_account(conn, account_id).await? {
        names.extend(m.given_names.split_whitespace().map(str::to_string));
        names.extend(m.surname.split_whitespace().map(str::to_string));
    }
    Ok(names)
}

fn password_notice(e: &PasswordError) -> AccountNotice {
    match e {
        PasswordError::Blank => AccountNotice::PasswordBlank,
        PasswordError::TooShort { .. } => AccountNotice::PasswordShort,
        PasswordError::TooLong { .. } => AccountNotice::PasswordLong,
        PasswordError::Mismatch => AccountNotice::PasswordMismatch,
        PasswordError::Common => AccountNotice::PasswordCommon,
        PasswordError::ContainsEmail => AccountNotice::PasswordEmail,
        PasswordError::ContainsName => AccountNotice::PasswordName,
    }
}

/// A new code for the flow, to `mobile`; the previous one stops working.
async fn send_flow_code(
    state: &AppState,
    conn: &mut Conn,
    flow: &FlowRow,
    mobile: &str,
    now: i64,
) -> Result<(), AppError> {
    let code = SmsCode::generate();
    sms_codes::replace(
        conn,
        Owner::Flow(&flow.id),
        &code_hash(&state.config.code_key, &flow.id, &code),
        now,
        CODE_TTL_MS,
        CODE_TRIES,
    )
    .await?;
    let body = match flow.purpose {
        FlowPurpose::MobileChange => format!(
            "Uw code om dit nummer aan uw eHerkenning-account te koppelen is {}. De code is 10 minuten geldig. Deel deze code met niemand.",
            code.expose()
        ),
        _ => format!(
            "Uw code om een nieuw wachtwoord te kiezen is {}. De code is 10 minuten geldig. Deel deze code met niemand.",
            code.expose()
        ),
    };
    outbox::enqueue(conn, &outbox::NewMessage::sms(mobile, &body), now).await?;
    Ok(())
}

/// Checks a typed code of the flow; on success moves it on (compare-and-set) and returns
/// the new step. `Err(notice)` says what went wrong (a wrong try is counted, in `conn`).
async fn check_flow_code(
    state: &AppState,
    conn: &mut Conn,
    flow: &FlowRow,
    typed: &str,
    now: i64,
) -> Result<Result<FlowStep, AccountNotice>, AppError> {
    let purpose = flow.purpose;
    let step = flow.step;
    let Ok(to) = next(purpose, step, FlowEvent::CodeConfirmed) else {
        return Ok(Err(AccountNotice::StepDone));
    };
    let Some(code) = sms_codes::latest(conn, Owner::Flow(&flow.id)).await? else {
        return Ok(Err(AccountNotice::CodeDead));
    };
    if code.used_at.is_some() || code.superseded_at.is_some() || code.tries_left <= 0 {
        return Ok(Err(AccountNotice::CodeDead));
    }
    if code.expires_at <= now {
        return Ok(Err(AccountNotice::CodeExpired));
    }
    if !code_matches(&state.config.code_key, &flow.id, typed, &code.code_hash) {
        let left = sms_codes::spend_try(conn, &code.id).await?.unwrap_or(0);
        return Ok(Err(if left > 0 {
            AccountNotice::CodeWrong
        } else {
            AccountNotice::CodeDead
        }));
    }
    if !sms_codes::mark_used(conn, &code.id, now).await?
        || !account_flows::advance(conn, &flow.id, step, to, None).await?
    {
        return Ok(Err(AccountNotice::StepDone));
    }
    Ok(Ok(to))
}

/// Masked, for pages and texts.
fn masked(e164: &str) -> String {
    crate::domain::value::DutchMobile::parse(e164)
        .map(|m| m.masked())
        .unwrap_or_default()
}
