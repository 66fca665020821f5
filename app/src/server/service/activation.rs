//! Activation on the phone (flow 4). The e-mail link is looked at without being used
//! ([`link_view`], for mail scanners' GETs) and used once on confirmation
//! ([`confirm_link`]), which starts a *continuation* token: a second random token, stored
//! hashed in `verification_tokens` with purpose `activation_session`, carried in an
//! `HttpOnly` cookie. The SMS code, the password and the ID upload act on that cookie.
//!
//! Rules: link and continuation live `ACTIVATION_TTL_HOURS` (≤ 24 h); an SMS code lives
//! 10 minutes and 5 tries, a new code kills the previous one, at most 5 codes per request
//! per 24 hours. Cancelling a request kills its link and its continuation at once
//! (`tokens::cancel_for_request`). Messages never say anything about other accounts.

use crate::api::activation::{ActivationView, LinkProblem, LinkView, Notice, Step};
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::means::identity_steps;
use crate::domain::password::{self, PasswordContext, PasswordError};
use crate::domain::request::{RequestEvent, RequestKind, RequestState};
use crate::domain::value::{AssuranceLevel, DutchMobile};
use crate::error::AppError;
use crate::server::audit::record;
use crate::server::auth::codes::{code_hash, code_matches, SmsCode, CODE_TRIES, CODE_TTL_MS};
use crate::server::auth::common_passwords::is_common;
use crate::server::auth::password::Secret;
use crate::server::auth::tokens::RawToken;
use crate::server::clock::HOUR_MS;
use crate::server::config::Config;
use crate::server::db::persons::PersonRow;
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::sms_codes::{self, Owner};
use crate::server::db::tokens::{self, TokenRow};
use crate::server::db::{documents, means, new_id, organisations, outbox, persons, sessions, Conn};
use crate::server::service::issuance::advance;
use crate::server::state::AppState;
use axum::http::HeaderValue;

pub const PURPOSE_ACTIVATE: &str = "activate";
pub const PURPOSE_CONTINUE: &str = "activation_session";
pub const COOKIE: &str = "bm_activatie";
/// Codes one request may have in 24 hours (the one sent on confirmation included).
pub const CODES_PER_DAY: i64 = 5;

pub fn cookie(config: &Config, token: &RawToken) -> HeaderValue {
    let secure = if config.secure_cookies() { "; Secure" } else { "" };
    let max_age = config.activation_ttl_ms / 1000;
    HeaderValue::from_str(&format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        token.expose()
    ))
    .expect("token is URL-safe base64")
}

/// The continuation token from the request's cookie.
pub async fn cookie_token() -> Result<Option<RawToken>, AppError> {
    let headers: axum::http::HeaderMap = leptos_axum::extract().await.map_err(|_| AppError::Internal)?;
    Ok(headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, v)| *k == COOKIE && !v.is_empty())
        .map(|(_, v)| RawToken::from_client(v)))
}

/// A raw token as it may come from a link: 43 URL-safe base64 characters.
fn plausible(raw: &str) -> bool {
    raw.len() == 43 && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Why a link can't be used, or its token and request.
async fn check_link(
    conn: &mut Conn,
    raw: &str,
    now: i64,
) -> Result<Result<(TokenRow, RequestRow), LinkProblem>, AppError> {
    if !plausible(raw) {
        return Ok(Err(LinkProblem::Unknown));
    }
    let Some(token) = tokens::find(conn, &RawToken::from_client(raw).sha256())
        .await?
        .filter(|t| t.purpose == PURPOSE_ACTIVATE)
    else {
        return Ok(Err(LinkProblem::Unknown));
    };
    let Some(request) = requests::find_any(conn, &token.request_id).await? else {
        return Ok(Err(LinkProblem::Unknown));
    };
    let state = RequestState::parse(&request.state);
    let problem = if state == Some(RequestState::Cancelled) {
        Some(LinkProblem::Cancelled)
    } else if state == Some(RequestState::Expired) {
        Some(LinkProblem::Expired)
    } else if token.used_at.is_some() {
        Some(LinkProblem::Used)
    } else if token.cancelled_at.is_some() {
        Some(LinkProblem::Replaced)
    } else if token.expires_at <= now {
        Some(LinkProblem::Expired)
    } else if state != Some(RequestState::AwaitingEmail) {
        Some(LinkProblem::Used)
    } else {
        None
    };
    Ok(match problem {
        Some(p) => Err(p),
        None => Ok((token, request)),
    })
}

/// What the link page shows; uses nothing.
pub async fn link_view(state: &AppState, raw: &str) -> Result<LinkView, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let (_, request) = match check_link(&mut conn, raw, state.now()).await? {
        Ok(found) => found,
        Err(p) => return Ok(LinkView::Unusable(p)),
    };
    let ctx = context(&mut conn, request).await?;
    Ok(LinkView::Valid {
        given_names: ctx.person.given_names,
        organisation: ctx.organisation,
        level: ctx.level.as_str().to_string(),
    })
}

/// Everything a step needs about its request.
struct Ctx {
    request: RequestRow,
    person: PersonRow,
    organisation: String,
    level: AssuranceLevel,
    employed: bool,
}

async fn context(conn: &mut Conn, request: RequestRow) -> Result<Ctx, AppError> {
    let person_id = request.person_id.as_deref().ok_or(AppError::Internal)?;
    let person = persons::find(conn, person_id).await?.ok_or(AppError::Internal)?;
    let org = organisations::find(conn, &request.organisation_id)
        .await?
        .ok_or(AppError::Internal)?;
    let means_id = request.means_id.as_deref().ok_or(AppError::Internal)?;
    let m = means::find(conn, &request.organisation_id, means_id)
        .await?
        .ok_or(AppError::Internal)?;
    let payload: serde_json::Value = serde_json::from_str(&request.payload).unwrap_or_default();
    let level = payload
        .get("level")
        .and_then(|l| l.as_str())
        .and_then(|l| AssuranceLevel::parse(l).ok())
        .or_else(|| AssuranceLevel::parse(&m.level).ok())
        .ok_or(AppError::Internal)?;
    Ok(Ctx {
        request,
        person,
        organisation: org.name,
        level,
        employed: m.employed == 1,
    })
}

/// Confirms the e-mail address: uses the link, moves the request to `awaiting_sms`,
/// starts the continuation and sends the first code. All or nothing.
pub async fn confirm_link(state: &AppState, raw: &str) -> Result<Result<RawToken, LinkProblem>, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let (token, request) = match check_link(&mut tx, raw, now).await? {
        Ok(found) => found,
        Err(p) => return Ok(Err(p)),
    };
    if !tokens::consume(&mut tx, &token.token_sha256, now).await? {
        return Ok(Err(LinkProblem::Used));
    }
    let person = request.person_id.clone();
    let request = match advance(
        &mut tx,
        &request,
        RequestEvent::EmailConfirmed,
        person.as_deref(),
        serde_json::json!({}),
        now,
    )
    .await
    {
        Ok(_) => requests::find_any(&mut tx, &request.id)
            .await?
            .ok_or(AppError::Internal)?,
        Err(AppError::Conflict(_)) => return Ok(Err(LinkProblem::Used)),
        Err(e) => return Err(e),
    };
    let cont = RawToken::generate();
    tokens::insert(
        &mut tx,
        &TokenRow {
            token_sha256: cont.sha256(),
            request_id: request.id.clone(),
            purpose: PURPOSE_CONTINUE.into(),
            created_at: now,
            expires_at: now + state.config.activation_ttl_ms,
            used_at: None,
            cancelled_at: None,
        },
    )
    .await?;
    let ctx = context(&mut tx, request).await?;
    send_code(state, &mut tx, &ctx, now).await?;
    tx.commit().await?;
    state.outbox_wake.notify_one();
    Ok(Ok(cont))
}

/// The request behind a live continuation token, or why there is none.
async fn live(conn: &mut Conn, cont: Option<&RawToken>, now: i64) -> Result<Result<Ctx, Notice>, AppError> {
    let Some(cont) = cont else {
        return Ok(Err(Notice::NoActivation));
    };
    let token = tokens::find(conn, &cont.sha256())
        .await?
        .filter(|t| t.purpose == PURPOSE_CONTINUE && t.cancelled_at.is_none() && t.expires_at > now);
    let Some(token) = token else {
        return Ok(Err(Notice::StepDone));
    };
    let request = requests::find_any(conn, &token.request_id)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(Ok(context(conn, request).await?))
}

/// Where the person stands, for the page.
pub async fn view(state: &AppState, cont: Option<&RawToken>) -> Result<ActivationView, AppError> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let empty = |step| ActivationView {
        step,
        given_names: String::new(),
        organisation: String::new(),
        level: String::new(),
    };
    let Some(cont) = cont else {
        return Ok(empty(Step::NoActivation));
    };
    let Some(token) = tokens::find(&mut conn, &cont.sha256())
        .await?
        .filter(|t| t.purpose == PURPOSE_CONTINUE)
    else {
        return Ok(empty(Step::NoActivation));
    };
    let request = requests::find_any(&mut conn, &token.request_id)
        .await?
        .ok_or(AppError::Internal)?;
    let ctx = context(&mut conn, request).await?;
    let state_now = RequestState::parse(&ctx.request.state).ok_or(AppError::Internal)?;
    let token_dead = token.expires_at <= now || token.cancelled_at.is_some();
    let step = match state_now {
        RequestState::Cancelled => Step::Cancelled,
        RequestState::Expired => Step::Expired,
        RequestState::Completed => Step::Completed,
        RequestState::Rejected => {
            let reason = requests::last_event(&mut conn, &ctx.request.id, RequestEvent::Reject.as_str())
                .await?
                .and_then(|e| serde_json::from_str::<serde_json::Value>(&e.detail).ok())
                .and_then(|d| d.get("reason").and_then(|r| r.as_str()).map(str::to_string))
                .unwrap_or_default();
            Step::Rejected { reason }
        }
        _ if token_dead => Step::Expired,
        RequestState::AwaitingSms => {
            let owner = Owner::Request(&ctx.request.id);
            let code = sms_codes::latest(&mut conn, owner).await?;
            let sent = sms_codes::count_since(&mut conn, owner, now - 24 * HOUR_MS).await?;
            let (tries_left, code_dead) = match code {
                Some(c) => (
                    c.tries_left,
                    c.used_at.is_some() || c.superseded_at.is_some() || c.tries_left <= 0 || c.expires_at <= now,
                ),
                None => (0, true),
            };
            Step::Sms {
                masked_mobile: DutchMobile::parse(&ctx.person.mobile_e164)
                    .map(|m| m.masked())
                    .unwrap_or_default(),
                tries_left,
                code_dead,
                codes_left: (CODES_PER_DAY - sent).max(0),
            }
        }
        RequestState::AwaitingPassword => Step::Password {
            has_password: persons::password_hash(&mut conn, &ctx.person.id).await?.is_some(),
        },
        RequestState::AwaitingIdCheck => Step::IdUpload {
            uploaded: !documents::live_for_request(&mut conn, &ctx.request.id)
                .await?
                .is_empty(),
        },
        RequestState::AwaitingInPerson => Step::InPerson,
        _ => Step::NoActivation,
    };
    Ok(ActivationView {
        step,
        given_names: ctx.person.given_names,
        organisation: ctx.organisation,
        level: ctx.level.as_str().to_string(),
    })
}

/// A new code for the request: the previous one stops working.
async fn send_code(state: &AppState, conn: &mut Conn, ctx: &Ctx, now: i64) -> Result<(), AppError> {
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
    outbox::enqueue(conn, &outbox::NewMessage::sms(&ctx.person.mobile_e164, &body), now).await?;
    requests::add_event(conn, owner, now, None, "sms_sent", &serde_json::json!({})).await?;
    let ev = AuditEvent::new(AuditAction::SecondFactorSent, TargetKind::Request, owner)
        .organisation(&ctx.request.organisation_id)
        .actor(&ctx.person.id);
    record(conn, ev, now).await?;
    Ok(())
}

/// Checks the typed code. `Some(notice)` says what went wrong; `None` means on to the
/// password.
pub async fn verify_code(state: &AppState, cont: Option<&RawToken>, typed: &str) -> Result<Option<Notice>, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let ctx = match live(&mut tx, cont, now).await? {
        Ok(c) => c,
        Err(n) => return Ok(Some(n)),
    };
    if ctx.request.state != RequestState::AwaitingSms.as_str() {
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
            Some(&ctx.person.id),
            "sms_wrong",
            &serde_json::json!({ "tries_left": left }),
        )
        .await?;
        let ev = AuditEvent::new(AuditAction::SecondFactorFailed, TargetKind::Request, &owner)
            .organisation(&ctx.request.organisation_id)
            .actor(&ctx.person.id);
        record(&mut tx, ev, now).await?;
        tx.commit().await?;
        return Ok(Some(if left > 0 { Notice::CodeWrong } else { Notice::CodeDead }));
    }
    if !sms_codes::mark_used(&mut tx, &code.id, now).await? {
        return Ok(Some(Notice::CodeDead));
    }
    // An upgrade skips the password (the person has one) and goes on to the identity
    // steps of the new level, or completes at once.
    let (event, detail) = if ctx.request.kind == RequestKind::UpgradeMeans.as_str() {
        let steps = identity_steps(ctx.level, ctx.employed);
        (
            RequestEvent::UpgradeSmsConfirmed { steps },
            serde_json::json!({ "id_check": steps.id_check, "in_person": steps.in_person }),
        )
    } else {
        (RequestEvent::SmsConfirmed, serde_json::json!({}))
    };
    match advance(&mut tx, &ctx.request, event, Some(&ctx.person.id), detail, now).await {
        Ok(_) => {}
        Err(AppError::Conflict(_)) => return Ok(Some(Notice::StepDone)),
        Err(e) => return Err(e),
    }
    tx.commit().await?;
    state.outbox_wake.notify_one();
    Ok(None)
}

/// A manager's resend: a new code for a request waiting for its SMS code, in the caller's
/// transaction (the previous code stops working).
pub(crate) async fn send_code_for(
    state: &AppState,
    conn: &mut Conn,
    request: RequestRow,
    now: i64,
) -> Result<(), AppError> {
    let ctx = context(conn, request).await?;
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
    if ctx.request.state != RequestState::AwaitingSms.as_str() {
        return Ok(Notice::StepDone);
    }
    if sms_codes::count_since(&mut tx, Owner::Request(&ctx.request.id), now - 24 * HOUR_MS).await? >= CODES_PER_DAY {
        return Ok(Notice::TooManyCodes);
    }
    send_code(state, &mut tx, &ctx, now).await?;
    tx.commit().await?;
    state.outbox_wake.notify_one();
    Ok(Notice::CodeResent)
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

/// Sets the person's own password, then completes the request or moves it to the identity
/// steps its level needs. Every other session of the person ends.
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
    if ctx.request.state != RequestState::AwaitingPassword.as_str() {
        return Ok(Some(Notice::StepDone));
    }
    let mut names: Vec<&str> = ctx.person.given_names.split_whitespace().collect();
    names.extend(ctx.person.surname.split_whitespace());
    let policy = PasswordContext {
        email: &ctx.person.email,
        names,
    };
    if let Err(e) = password::check(password.expose(), repeat.expose(), &policy, is_common) {
        return Ok(Some(password_notice(&e)));
    }
    let hash = state.passwords.hash(&password).await.map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })?;
    let mut tx = state.db.begin().await?;
    let steps = identity_steps(ctx.level, ctx.employed);
    match advance(
        &mut tx,
        &ctx.request,
        RequestEvent::PasswordSet { steps },
        Some(&ctx.person.id),
        serde_json::json!({ "id_check": steps.id_check, "in_person": steps.in_person }),
        now,
    )
    .await
    {
        Ok(_) => {}
        Err(AppError::Conflict(_)) => return Ok(Some(Notice::StepDone)),
        Err(e) => return Err(e),
    }
    persons::set_password_hash(&mut tx, &ctx.person.id, &hash, now).await?;
    sessions::delete_for_person(&mut tx, &ctx.person.id).await?;
    let ev = AuditEvent::new(AuditAction::PasswordSet, TargetKind::Person, &ctx.person.id)
        .actor(&ctx.person.id)
        .organisation(&ctx.request.organisation_id);
    record(&mut tx, ev, now).await?;
    tx.commit().await?;
    state.outbox_wake.notify_one();
    Ok(None)
}

/// Stores the ID document (replacing an earlier one not yet decided on).
pub async fn upload_document(
    state: &AppState,
    cont: Option<&RawToken>,
    bytes: &[u8],
) -> Result<Option<Notice>, AppError> {
    use crate::domain::document::{check, DocumentError};
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let ctx = match live(&mut conn, cont, now).await? {
        Ok(c) => c,
        Err(n) => return Ok(Some(n)),
    };
    drop(conn);
    if ctx.request.state != RequestState::AwaitingIdCheck.as_str() {
        return Ok(Some(Notice::StepDone));
    }
    let kind = match check(bytes) {
        Ok(k) => k,
        Err(DocumentError::Empty) => return Ok(Some(Notice::FileEmpty)),
        Err(DocumentError::TooLarge { .. }) => return Ok(Some(Notice::FileTooLarge)),
        Err(DocumentError::WrongType) => return Ok(Some(Notice::FileType)),
    };
    let store = state.documents();
    let name = store.save(bytes).await.map_err(|e| {
        tracing::error!(error = %e, "could not store an uploaded document");
        AppError::Internal
    })?;
    let written = async {
        let mut tx = state.db.begin().await?;
        let old = documents::mark_deleted_for_request(&mut tx, &ctx.request.id, now).await?;
        let id = new_id();
        documents::insert(
            &mut tx,
            &documents::DocumentRow {
                id: id.clone(),
                request_id: ctx.request.id.clone(),
                kind: "id_copy".into(),
                storage_name: name.clone(),
                mime: kind.mime().into(),
                size_bytes: bytes.len() as i64,
                sha256: crate::server::auth::tokens::sha256_hex(bytes),
                created_at: now,
                deleted_at: None,
            },
        )
        .await?;
        requests::add_event(
            &mut tx,
            &ctx.request.id,
            now,
            Some(&ctx.person.id),
            "id_uploaded",
            &serde_json::json!({ "mime": kind.mime(), "size": bytes.len() }),
        )
        .await?;
        let ev = AuditEvent::new(AuditAction::DocumentUploaded, TargetKind::Document, &id)
            .actor(&ctx.person.id)
            .organisation(&ctx.request.organisation_id)
            .after(serde_json::json!({ "request_id": ctx.request.id, "mime": kind.mime(), "size": bytes.len() }));
        record(&mut tx, ev, now).await?;
        tx.commit().await?;
        Ok::<_, AppError>(old)
    }
    .await;
    match written {
        Ok(old) => {
            store.delete_all(&old).await;
            Ok(Some(Notice::Uploaded))
        }
        Err(e) => {
            store.delete_all(&[name]).await;
            Err(e)
        }
    }
}
