//! Login: e-mail + password, then (for EH2+ and up, managers and back office) a six-digit
//! SMS code, sent to the account's verified mobile and bound to a pending session. A
//! complete login always gets a new session id and records which organisations it opens
//! Beheer for. Failure messages are the same whether or not an account exists; an account
//! without any usable means is told so only after its correct password.

use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::means::MeansState;
use crate::domain::value::{AssuranceLevel, DutchMobile, Email};
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::auth::codes::{code_hash, code_matches, SmsCode, CODES_PER_LOGIN, CODE_TRIES, CODE_TTL_MS};
use crate::server::auth::password::Secret;
use crate::server::auth::throttle::{self, Budget};
use crate::server::auth::tokens::RawToken;
use crate::server::db::accounts::{self, AccountRow};
use crate::server::db::login_attempts;
use crate::server::db::sessions::{self, SessionRow};
use crate::server::db::sms_codes::{self, Owner};
use crate::server::db::{means, organisations, outbox, Conn};
use crate::server::state::AppState;

pub const BAD_CREDENTIALS: &str = "E-mailadres of wachtwoord onjuist.";
pub const NO_MEANS: &str = "U kunt niet inloggen: er is geen actief eHerkenningsmiddel aan uw account gekoppeld. \
     Neem contact op met de beheerder van uw organisatie.";
pub const LOGIN_EXPIRED: &str = "Uw inlogpoging is verlopen. Log opnieuw in met e-mailadres en wachtwoord.";
/// A pending login (password done, code not yet) lives this long.
const PENDING_MS: i64 = 15 * 60_000;

#[derive(Debug)]
pub enum PasswordOutcome {
    /// A code was sent; the new pending session id goes into the cookie.
    CodeSent { pending: RawToken, masked_mobile: String },
    /// No second factor needed (EH2 only); logged in.
    LoggedIn { session: RawToken, landing: &'static str },
}

/// Step one. `previous` is any session cookie the browser still had; it is ended.
pub async fn password_step(
    state: &AppState,
    typed: &str,
    password: Secret,
    previous: Option<RawToken>,
    client: std::net::IpAddr,
) -> Result<PasswordOutcome, AppError> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    throttle::spend(state, &mut conn, Budget::Logins, client).await?;
    let subject = throttle::login_subject(typed);
    let email = Email::parse(typed).ok();
    throttle::gate(state, &mut conn, &subject, now).await?;
    let account = match &email {
        Some(e) => accounts::find_by_email(&mut conn, e.as_str()).await?,
        None => None,
    };
    let hash = match &account {
        Some(a) => accounts::password_hash(&mut conn, &a.id).await?,
        None => None,
    };
    drop(conn);
    // Verify even without an account, so timing does not tell.
    let ok = state.passwords.verify(&password, hash.as_deref()).await;

    let mut tx = state.db.begin().await?;
    if let Some(prev) = previous {
        sessions::delete(&mut tx, &prev.sha256()).await?;
    }
    let account = match (ok, account) {
        (true, Some(a)) => a,
        (_, a) => {
            let ev = AuditEvent::new(
                AuditAction::LoginFailed,
                TargetKind::Account,
                a.as_ref().map(|a| a.id.clone()).unwrap_or_default(),
            );
            record(&mut tx, ev, now).await?;
            throttle::wrong_answer(
                state,
                &mut tx,
                &subject,
                login_attempts::PASSWORD_WRONG,
                a.as_ref(),
                now,
            )
            .await?;
            state.commit_and_wake(tx).await?;
            return Err(AppError::invalid(BAD_CREDENTIALS));
        }
    };
    let backoffice = account.is_backoffice == 1;
    let strongest = strongest_usable(&mut tx, &account.id).await?;
    if strongest.is_none() && !backoffice {
        let ev = AuditEvent::new(AuditAction::LoginRefused, TargetKind::Account, &account.id).actor(&account.id);
        record(&mut tx, ev, now).await?;
        tx.commit().await?;
        return Err(AppError::invalid(NO_MEANS));
    }
    let managed = organisations::managed_by(&mut tx, &account.id, now).await?;
    let needs_code = backoffice || !managed.is_empty() || strongest.is_none_or(|l| l.needs_second_factor());
    let token = RawToken::generate();
    let org = first_organisation(&mut tx, &account.id, now).await?;
    sessions::insert(
        &mut tx,
        &SessionRow {
            id_sha256: token.sha256(),
            account_id: account.id.clone(),
            organisation_id: org,
            second_factor_done: i64::from(!needs_code),
            created_at: now,
            expires_at: now
                + if needs_code {
                    PENDING_MS
                } else {
                    state.config.session_minutes * 60_000
                },
            last_seen_at: now,
            // Without a second factor no Beheer opens (a manager always has one).
            manager_orgs: String::new(),
        },
    )
    .await?;
    if needs_code {
        throttle::login_sms(state, &mut tx, &subject, client, now).await?;
        send_code(state, &mut tx, &token, &account, now).await?;
        state.commit_and_wake(tx).await?;
        let masked = DutchMobile::parse(&account.verified_mobile_e164)
            .map(|m| m.masked())
            .unwrap_or_default();
        Ok(PasswordOutcome::CodeSent {
            pending: token,
            masked_mobile: masked,
        })
    } else {
        record(
            &mut tx,
            AuditEvent::new(AuditAction::LoginSucceeded, TargetKind::Account, &account.id).actor(&account.id),
            now,
        )
        .await?;
        throttle::completed(&mut tx, &subject, now).await?;
        tx.commit().await?;
        let landing = if backoffice { "/backoffice" } else { "/mijn" };
        Ok(PasswordOutcome::LoggedIn {
            session: token,
            landing,
        })
    }
}

/// The highest level among the account's usable (active, or active while upgrading)
/// means; `None` when it has none.
async fn strongest_usable(conn: &mut Conn, account_id: &str) -> Result<Option<AssuranceLevel>, AppError> {
    Ok(means::of_account(conn, account_id)
        .await?
        .iter()
        .filter(|m| m.state == MeansState::Active || m.state == MeansState::UpgradePending)
        .map(|m| m.level)
        .max())
}

async fn first_organisation(conn: &mut Conn, account_id: &str, now: i64) -> Result<Option<String>, AppError> {
    if let Some(m) = organisations::managed_by(conn, account_id, now)
        .await?
        .into_iter()
        .next()
    {
        return Ok(Some(m.id));
    }
    Ok(means::of_account(conn, account_id)
        .await?
        .into_iter()
        .find(|m| m.state == MeansState::Active || m.state == MeansState::UpgradePending)
        .map(|m| m.organisation_id))
}

fn landing(managed: &[organisations::ManagedRow], backoffice: bool) -> &'static str {
    if !managed.is_empty() {
        "/beheer"
    } else if backoffice {
        "/backoffice"
    } else {
        "/mijn"
    }
}

/// Sends a new code for the pending login to the account's verified mobile (the previous
/// one stops working) and audits it.
async fn send_code(
    state: &AppState,
    conn: &mut Conn,
    pending: &RawToken,
    account: &AccountRow,
    now: i64,
) -> Result<(), AppError> {
    let code = SmsCode::generate();
    let owner = pending.sha256();
    sms_codes::replace(
        conn,
        Owner::Session(&owner),
        &code_hash(&state.config.code_key, &owner, &code),
        now,
        CODE_TTL_MS,
        CODE_TRIES,
    )
    .await?;
    let body = format!(
        "Uw inlogcode voor Beheermodule is {}. De code is 10 minuten geldig. Deel deze code met niemand.",
        code.expose()
    );
    outbox::enqueue(
        conn,
        &outbox::NewMessage::sms(&account.verified_mobile_e164, &body),
        now,
    )
    .await?;
    let ev = AuditEvent::new(AuditAction::SecondFactorSent, TargetKind::Account, &account.id).actor(&account.id);
    record(conn, ev, now).await?;
    Ok(())
}

/// The pending (password done, code not yet) session behind `owner`.
async fn pending_session(conn: &mut Conn, owner: &str, now: i64) -> Result<SessionRow, AppError> {
    match sessions::find_live(conn, owner, now).await? {
        Some(s) if !s.complete() => Ok(s),
        _ => Err(AppError::invalid(LOGIN_EXPIRED)),
    }
}

/// Step two: the code. On success the pending session is replaced by a new, complete one.
pub async fn code_step(
    state: &AppState,
    pending: &RawToken,
    typed: &str,
) -> Result<(RawToken, &'static str), AppError> {
    let now = state.now();
    let owner = pending.sha256();
    let mut tx = state.db.begin().await?;
    let session = pending_session(&mut tx, &owner, now).await?;
    let account = accounts::find(&mut tx, &session.account_id).await?.or_internal()?;
    let subject = throttle::login_subject(&account.email);
    throttle::gate(state, &mut tx, &subject, now).await?;
    let dead = "Deze sms-code werkt niet meer. Vraag een nieuwe code aan met ‘Nieuwe code sturen’.";
    let Some(code) = sms_codes::latest(&mut tx, Owner::Session(&owner)).await? else {
        return Err(AppError::invalid(dead));
    };
    if code.used_at.is_some() || code.superseded_at.is_some() || code.tries_left <= 0 {
        return Err(AppError::invalid(dead));
    }
    if code.expires_at <= now {
        return Err(AppError::invalid(
            "Deze sms-code is verlopen (na 10 minuten). Vraag een nieuwe code aan met ‘Nieuwe code sturen’.",
        ));
    }
    if !code_matches(&state.config.code_key, &owner, typed, &code.code_hash) {
        let left = sms_codes::spend_try(&mut tx, &code.id).await?.unwrap_or(0);
        record(
            &mut tx,
            AuditEvent::new(
                AuditAction::SecondFactorFailed,
                TargetKind::Account,
                &session.account_id,
            )
            .actor(&session.account_id),
            now,
        )
        .await?;
        throttle::wrong_answer(
            state,
            &mut tx,
            &subject,
            login_attempts::CODE_WRONG,
            Some(&account),
            now,
        )
        .await?;
        state.commit_and_wake(tx).await?;
        return Err(AppError::invalid(match left {
            0 => "De sms-code klopt niet. Deze code is vijf keer onjuist ingevoerd en werkt niet meer: vraag een nieuwe code aan met ‘Nieuwe code sturen’.".to_string(),
            1 => "De sms-code klopt niet. Nog 1 poging.".to_string(),
            n => format!("De sms-code klopt niet. Nog {n} pogingen."),
        }));
    }
    if !sms_codes::mark_used(&mut tx, &code.id, now).await? {
        return Err(AppError::invalid(dead));
    }
    sessions::delete(&mut tx, &owner).await?;
    throttle::completed(&mut tx, &subject, now).await?;
    let managed = organisations::managed_by(&mut tx, &session.account_id, now).await?;
    let backoffice = account.is_backoffice == 1;
    let token = RawToken::generate();
    sessions::insert(
        &mut tx,
        &SessionRow {
            id_sha256: token.sha256(),
            second_factor_done: 1,
            created_at: now,
            expires_at: now + state.config.session_minutes * 60_000,
            last_seen_at: now,
            manager_orgs: managed.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(","),
            ..session.clone()
        },
    )
    .await?;
    record(
        &mut tx,
        AuditEvent::new(AuditAction::LoginSucceeded, TargetKind::Account, &session.account_id)
            .actor(&session.account_id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((token, landing(&managed, backoffice)))
}

/// Sends a fresh code for a pending login; the previous one stops working.
pub async fn resend_code(state: &AppState, pending: &RawToken, client: std::net::IpAddr) -> Result<String, AppError> {
    let now = state.now();
    let owner = pending.sha256();
    let mut tx = state.db.begin().await?;
    let session = pending_session(&mut tx, &owner, now).await?;
    if sms_codes::count_since(&mut tx, Owner::Session(&owner), 0).await? >= CODES_PER_LOGIN {
        return Err(AppError::invalid("U heeft het maximum aantal codes voor deze inlogpoging gehad. Log opnieuw in met e-mailadres en wachtwoord."));
    }
    let account = accounts::find(&mut tx, &session.account_id).await?.or_internal()?;
    let subject = throttle::login_subject(&account.email);
    throttle::gate(state, &mut tx, &subject, now).await?;
    throttle::login_sms(state, &mut tx, &subject, client, now).await?;
    send_code(state, &mut tx, pending, &account, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(DutchMobile::parse(&account.verified_mobile_e164)
        .map(|m| m.masked())
        .unwrap_or_default())
}

/// Where a pending login's code went, for the code page.
pub async fn pending_mobile(state: &AppState, pending: &RawToken) -> Result<Option<String>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let Some(session) = sessions::find_live(&mut conn, &pending.sha256(), state.now())
        .await?
        .filter(|s| !s.complete())
    else {
        return Ok(None);
    };
    let account = accounts::find(&mut conn, &session.account_id).await?;
    Ok(account
        .and_then(|a| DutchMobile::parse(&a.verified_mobile_e164).ok())
        .map(|m| m.masked()))
}

pub async fn logout(state: &AppState, token: &RawToken) -> Result<(), AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    if let Some(s) = sessions::find_live(&mut tx, &token.sha256(), now).await? {
        sessions::delete(&mut tx, &s.id_sha256).await?;
        record(
            &mut tx,
            AuditEvent::new(AuditAction::LoggedOut, TargetKind::Account, &s.account_id).actor(&s.account_id),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Makes `organisation_id` the session's current organisation; only one the account
/// manages and whose Beheer this session's login opened.
pub async fn switch_organisation(state: &AppState, token: &RawToken, organisation_id: &str) -> Result<(), AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let session = sessions::find_live(&mut tx, &token.sha256(), now)
        .await?
        .filter(|s| s.complete())
        .ok_or(AppError::Unauthenticated)?;
    let managed = organisations::managed_by(&mut tx, &session.account_id, now).await?;
    if !managed.iter().any(|m| m.id == organisation_id) || !session.opened_for(organisation_id) {
        return Err(AppError::NotFound);
    }
    sessions::set_organisation(&mut tx, &session.id_sha256, organisation_id).await?;
    record(
        &mut tx,
        AuditEvent::new(
            AuditAction::OrganisationSwitched,
            TargetKind::Session,
            &session.account_id,
        )
        .actor(&session.account_id)
        .organisation(organisation_id)
        .before(serde_json::json!({ "organisation_id": session.organisation_id }))
        .after(serde_json::json!({ "organisation_id": organisation_id })),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
