//! Activation on the phone (flow 4). The e-mail link is looked at without being used
//! ([`link_view`], for mail scanners' GETs) and used once on confirmation
//! ([`confirm_link`]), which starts a *continuation* token: a second random token, stored
//! hashed in `verification_tokens` with purpose `activation_session`, carried in an
//! `HttpOnly` cookie. The code, the password and the ID upload act on that cookie.
//!
//! Two ways through, decided when the link is confirmed and recorded as the request's
//! `account_id`:
//! - **no account** for the address: a code to the mobile on *this* request, then a new
//!   password; completing creates the account with that number as its verified mobile
//!   ([`password::choose`]). If another organisation's activation created the account
//!   in the meantime, the request turns to the second way;
//! - **an account** exists: its own password ([`password::prove`], 5 tries), then a code
//!   to its **verified** mobile — never the number this organisation typed — and the means
//!   is bound to the account. A different typed number is told to the person (masked) and
//!   noted on the request for the manager, without digits.
//!
//! Upgrades go link → code to the verified mobile → identity steps. Rules: link and
//! continuation live `ACTIVATION_TTL_HOURS` (≤ 24 h); an SMS code lives 10 minutes and 5
//! tries, a new code kills the previous one, at most 5 codes per request per 24 hours.
//! Cancelling a request kills its link and continuation at once. The manager's side never
//! learns more than the request's own timeline.

mod code;
mod document;
mod password;

pub(crate) use code::send_code_for;
pub use code::{resend_code, verify_code};
pub use document::upload_document;
pub use password::{prove_password, set_password};

use crate::contract::activation::{AccountProof, ActivationView, LinkProblem, LinkView, Notice, Step};
use crate::domain::request::{RequestEvent, RequestKind, RequestState, TimelineEvent};
use crate::domain::value::{AssuranceLevel, DutchMobile};
use crate::error::{AppError, OrInternal};
use crate::server::auth::tokens::RawToken;
use crate::server::clock::HOUR_MS;
use crate::server::db::accounts::{self, AccountRow};
use crate::server::db::means::{self, MeansRow};
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::sms_codes::{self, Owner};
use crate::server::db::tokens::{self, Purpose, TokenRow};
use crate::server::db::{documents, organisations, Conn};
use crate::server::service::issuance::advance;
use crate::server::state::AppState;

pub const PURPOSE_ACTIVATE: Purpose = Purpose::Activate;
pub const PURPOSE_CONTINUE: Purpose = Purpose::ActivationSession;
/// The continuation cookie's name; `api` sets it (for `Config::activation_ttl_ms`) and reads it.
pub const COOKIE: &str = "bm_activatie";
/// Codes one request may have in 24 hours (the one sent on confirmation included).
pub const CODES_PER_DAY: i64 = 5;
/// Wrong account passwords one activation may take; the request stops at the last.
pub const PASSWORD_TRIES: i64 = 5;
/// The timeline event that tells the manager the typed number is not the account's.
pub const MOBILE_DIFFERS: TimelineEvent = TimelineEvent::MobileDiffers;

/// A raw token as it may come from a link: 43 URL-safe base64 characters.
pub(crate) fn plausible(raw: &str) -> bool {
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
    let problem = if request.state == RequestState::Cancelled {
        Some(LinkProblem::Cancelled)
    } else if request.state == RequestState::Expired {
        Some(LinkProblem::Expired)
    } else if token.used_at.is_some() {
        Some(LinkProblem::Used)
    } else if token.cancelled_at.is_some() {
        Some(LinkProblem::Replaced)
    } else if token.expires_at <= now {
        Some(LinkProblem::Expired)
    } else if request.state != RequestState::AwaitingEmail {
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
        given_names: ctx.means.given_names,
        organisation: ctx.organisation,
        level: ctx.level.as_str().to_string(),
    })
}

/// Everything a step needs about its request.
pub(crate) struct Ctx {
    request: RequestRow,
    /// The means with the particulars the requesting organisation entered.
    means: MeansRow,
    organisation: String,
    level: AssuranceLevel,
    employed: bool,
    /// The account this activation is proven against (an existing account, an upgrade).
    account: Option<AccountRow>,
}

impl Ctx {
    fn kind(&self) -> RequestKind {
        self.request.kind
    }

    /// Where the SMS code goes: the account's verified mobile when there is an account,
    /// else the number on this request.
    fn code_mobile(&self) -> &str {
        match &self.account {
            Some(a) => &a.verified_mobile_e164,
            None => &self.means.mobile_e164,
        }
    }

    /// The typed and the verified number, masked, when they differ.
    fn mobile_differs(&self) -> Option<(String, String)> {
        let a = self.account.as_ref()?;
        (a.verified_mobile_e164 != self.means.mobile_e164)
            .then(|| (masked(&self.means.mobile_e164), masked(&a.verified_mobile_e164)))
    }

    /// Who acts, for audit and timeline: the account once it is known.
    fn actor(&self) -> Option<&str> {
        self.account.as_ref().map(|a| a.id.as_str())
    }
}

fn masked(e164: &str) -> String {
    DutchMobile::parse(e164).map(|m| m.masked()).unwrap_or_default()
}

async fn context(conn: &mut Conn, request: RequestRow) -> Result<Ctx, AppError> {
    let org = organisations::find(conn, &request.organisation_id)
        .await?
        .or_internal()?;
    let means_id = request.means_id.as_deref().or_internal()?;
    let m = means::find(conn, &request.organisation_id, means_id)
        .await?
        .or_internal()?;
    let payload: serde_json::Value = crate::server::stored::parse("payload", &request.payload)?;
    let level = payload
        .get("level")
        .and_then(|l| l.as_str())
        .and_then(|l| AssuranceLevel::parse(l).ok())
        .unwrap_or(m.level);
    let account = match request.account_id.as_deref() {
        Some(id) => Some(accounts::find(conn, id).await?.or_internal()?),
        None => None,
    };
    Ok(Ctx {
        request,
        employed: m.employed == 1,
        means: m,
        organisation: org.name,
        level,
        account,
    })
}

/// Confirms the e-mail address: uses the link, and either sends the first code (no
/// account yet; an upgrade) or asks for the account's password first (the address has
/// an account). Starts the continuation. All or nothing.
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
    let ctx = context(&mut tx, request).await?;
    let existing = match ctx.kind() {
        RequestKind::NewMeans => accounts::find_by_email(&mut tx, &ctx.means.email).await?,
        _ => None,
    };
    let event = match &existing {
        Some(account) => {
            requests::set_account(&mut tx, &ctx.request.id, &account.id, now).await?;
            if account.verified_mobile_e164 != ctx.means.mobile_e164 {
                requests::add_event(
                    &mut tx,
                    &ctx.request.id,
                    now,
                    None,
                    MOBILE_DIFFERS,
                    &serde_json::json!({}),
                )
                .await?;
            }
            RequestEvent::EmailConfirmedForAccount
        }
        None => RequestEvent::EmailConfirmed,
    };
    match advance(&mut tx, &ctx.request, event, None, serde_json::json!({}), now).await {
        Ok(_) => {}
        Err(AppError::Conflict(_)) => return Ok(Err(LinkProblem::Used)),
        Err(e) => return Err(e),
    }
    let cont = RawToken::generate();
    tokens::insert(
        &mut tx,
        &TokenRow {
            token_sha256: cont.sha256(),
            request_id: ctx.request.id.clone(),
            purpose: PURPOSE_CONTINUE,
            created_at: now,
            expires_at: now + state.config.activation_ttl_ms,
            used_at: None,
            cancelled_at: None,
        },
    )
    .await?;
    if event == RequestEvent::EmailConfirmed {
        let request = requests::find_any(&mut tx, &ctx.request.id).await?.or_internal()?;
        let ctx = context(&mut tx, request).await?;
        code::send_code(state, &mut tx, &ctx, now).await?;
    }
    state.commit_and_wake(tx).await?;
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
    let request = requests::find_any(conn, &token.request_id).await?.or_internal()?;
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
    let request = requests::find_any(&mut conn, &token.request_id).await?.or_internal()?;
    let ctx = context(&mut conn, request).await?;
    let state_now = ctx.request.state;
    let token_dead = token.expires_at <= now || token.cancelled_at.is_some();
    let step = match state_now {
        RequestState::Cancelled => Step::Cancelled,
        RequestState::Expired => Step::Expired,
        RequestState::Completed => Step::Completed,
        RequestState::Rejected => {
            let reason = requests::last_event(&mut conn, &ctx.request.id, TimelineEvent::Reject)
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
                masked_mobile: masked(ctx.code_mobile()),
                tries_left,
                code_dead,
                codes_left: (CODES_PER_DAY - sent).max(0),
            }
        }
        RequestState::AwaitingPassword => Step::Password {
            prove: match &ctx.account {
                Some(_) => Some(AccountProof {
                    tries_left: (PASSWORD_TRIES - password::wrong_tries(&mut conn, &ctx.request.id).await?).max(0),
                    mobile_differs: ctx.mobile_differs(),
                }),
                None => None,
            },
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
        given_names: ctx.means.given_names,
        organisation: ctx.organisation,
        level: ctx.level.as_str().to_string(),
    })
}
