//! The applicant confirms their own e-mail address before the registration goes anywhere.
//!
//! The wizard is public: without this step anyone could make us e-mail any address (the
//! "representative") with text of their choosing. So submitting a complete draft first
//! sends a six-digit code to the applicant's (the new manager's) address; only the right
//! code submits the registration and mails the representatives and existing managers.
//!
//! The code is stored only as an HMAC bound to the draft and the address
//! (`auth::codes`), works [`CODE_TTL_MS`] and [`CODE_TRIES`] tries; a draft gets at most
//! [`CODES_PER_DRAFT`] codes, whichever addresses they went to. Each wrong try is counted
//! with a compare-and-set before the code is compared, so parallel guesses gain nothing.
//! The confirmation holds for one address: another address in the draft needs a new code.

use crate::contract::registrations::{EmailCheckView, WizardNotice};
use crate::domain::registration::{Draft, Registration};
use crate::domain::time::date_amsterdam;
use crate::error::{AppError, OrInternal};
use crate::server::auth::codes::{code_hash, code_matches, SmsCode, CODE_TRIES, CODE_TTL_MS};
use crate::server::auth::tokens::RawToken;
use crate::server::db::registrations::{self, DraftRow};
use crate::server::db::{outbox, Conn};
use crate::server::service::registration::{self, Submitted};
use crate::server::service::registration_mail;
use crate::server::state::AppState;
use serde::{Deserialize, Serialize};

/// Codes one draft may have sent (the first and two new ones).
pub const CODES_PER_DRAFT: i64 = 3;

/// A draft's e-mail confirmation, kept beside the draft (never sent to the browser).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailCheck {
    /// The normalised address the code went to, or that is confirmed.
    pub email: String,
    pub code_hmac: Option<String>,
    pub expires_at: i64,
    /// Wrong tries on the current code.
    pub tries: i64,
    /// Codes sent for this draft, to any address.
    pub sent: i64,
    pub confirmed_at: Option<i64>,
}

impl std::fmt::Debug for EmailCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailCheck")
            .field("tries", &self.tries)
            .field("sent", &self.sent)
            .field("confirmed", &self.confirmed_at.is_some())
            .finish_non_exhaustive()
    }
}

impl EmailCheck {
    pub fn of(row: &DraftRow) -> Result<Option<EmailCheck>, AppError> {
        row.email_check
            .as_deref()
            .map(|j| crate::server::stored::parse("email_check", j))
            .transpose()
    }

    fn json(&self) -> Result<String, AppError> {
        serde_json::to_string(self).or_internal()
    }

    /// Whether `email` (normalised) is the confirmed address.
    pub fn confirms(&self, email: &str) -> bool {
        self.confirmed_at.is_some() && self.email == email
    }

    /// The same draft with another applicant address: nothing confirmed, no code out; the
    /// count of codes sent stays.
    pub fn dropped(&self) -> EmailCheck {
        EmailCheck {
            sent: self.sent,
            ..EmailCheck::default()
        }
    }

    fn live_code(&self, email: &str, now: i64) -> bool {
        self.email == email && self.code_hmac.is_some() && self.expires_at > now && self.tries < CODE_TRIES
    }
}

fn owner(draft_sha256: &str, email: &str) -> String {
    format!("registratie:{draft_sha256}:{email}")
}

/// The applicant's address as the parser normalises it ("" when not valid yet).
pub fn applicant_email(d: &Draft) -> String {
    crate::domain::value::Email::parse(&d.manager.email)
        .map(|e| e.as_str().to_string())
        .unwrap_or_default()
}

/// What the wizard shows about the confirmation of the draft's current applicant address.
pub fn view(check: Option<&EmailCheck>, email: &str) -> EmailCheckView {
    match check {
        Some(c) if !email.is_empty() && c.confirms(email) => EmailCheckView::Confirmed,
        Some(c) if !email.is_empty() && c.email == email && c.code_hmac.is_some() => EmailCheckView::CodeSent {
            email: email.to_string(),
            codes_left: (CODES_PER_DRAFT - c.sent).max(0),
        },
        _ => EmailCheckView::NotYet,
    }
}

/// Sends a code to `email` unless a usable one is out already (or `again`: always a new
/// one, the old one dies). The notice for the wizard.
pub async fn send_code(
    state: &AppState,
    conn: &mut Conn,
    row: &DraftRow,
    email: &str,
    again: bool,
    now: i64,
) -> Result<WizardNotice, AppError> {
    let old = EmailCheck::of(row)?.unwrap_or_default();
    if !again && old.live_code(email, now) {
        return Ok(WizardNotice::CodeSent);
    }
    if old.sent >= CODES_PER_DRAFT {
        return Ok(WizardNotice::TooManyCodes);
    }
    let code = SmsCode::generate();
    let check = EmailCheck {
        email: email.to_string(),
        code_hmac: Some(code_hash(&state.config.code_key, &owner(&row.id_sha256, email), &code)),
        expires_at: now + CODE_TTL_MS,
        tries: 0,
        sent: old.sent + 1,
        confirmed_at: None,
    };
    registrations::set_email_check(conn, &row.id_sha256, Some(&check.json()?)).await?;
    outbox::enqueue(
        conn,
        &outbox::NewMessage::email(
            email,
            "Uw code om uw e-mailadres te bevestigen",
            registration_mail::email_code(code.expose()),
        ),
        now,
    )
    .await?;
    Ok(if again {
        WizardNotice::CodeResent
    } else {
        WizardNotice::CodeSent
    })
}

/// The draft behind the cookie and its registration, or where the wizard goes instead.
async fn complete(
    conn: &mut Conn,
    draft_token: &RawToken,
    now: i64,
) -> Result<Result<(DraftRow, Registration), Submitted>, AppError> {
    let Some(row) = registrations::find_draft(conn, &draft_token.sha256(), now).await? else {
        return Ok(Err(Submitted::Incomplete(0)));
    };
    let draft: Draft = crate::server::stored::parse("data", &row.data)?;
    match Registration::from_draft(&draft, date_amsterdam(now)) {
        Ok(reg) => Ok(Ok((row, reg))),
        Err((step, _)) => Ok(Err(Submitted::Incomplete(step))),
    }
}

/// A new code on the applicant's request ("stuur een nieuwe code").
pub async fn resend(state: &AppState, draft_token: &RawToken) -> Result<Submitted, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let (row, reg) = match complete(&mut tx, draft_token, now).await? {
        Ok(found) => found,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let email = reg.manager.email.as_str();
    if EmailCheck::of(&row)?.is_some_and(|c| c.confirms(email)) {
        return Ok(Submitted::Confirm(WizardNotice::EmailConfirmed));
    }
    let notice = send_code(state, &mut tx, &row, email, true, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(Submitted::Confirm(notice))
}

/// Checks the typed code; the right one confirms the address and submits the draft.
pub async fn confirm(state: &AppState, draft_token: &RawToken, typed: &str) -> Result<Submitted, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let (row, reg) = match complete(&mut tx, draft_token, now).await? {
        Ok(found) => found,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let email = reg.manager.email.as_str();
    let Some(mut check) = EmailCheck::of(&row)?.filter(|c| c.email == email) else {
        return Ok(Submitted::Confirm(WizardNotice::CodeMissing));
    };
    if !check.confirms(email) {
        let Some(hmac) = check.code_hmac.clone() else {
            return Ok(Submitted::Confirm(WizardNotice::CodeMissing));
        };
        if check.tries >= CODE_TRIES {
            return Ok(Submitted::Confirm(WizardNotice::CodeDead));
        }
        if check.expires_at <= now {
            return Ok(Submitted::Confirm(WizardNotice::CodeExpired));
        }
        // The try counts before the code is compared (compare-and-set on the stored text).
        let before = check.json()?;
        check.tries += 1;
        if !registrations::swap_email_check(&mut tx, &row.id_sha256, &before, &check.json()?).await? {
            return Err(AppError::Conflict(crate::server::service::issuance::RACED.into()));
        }
        if !code_matches(&state.config.code_key, &owner(&row.id_sha256, email), typed, &hmac) {
            tx.commit().await?;
            let dead = check.tries >= CODE_TRIES;
            return Ok(Submitted::Confirm(if dead {
                WizardNotice::CodeDead
            } else {
                WizardNotice::CodeWrong
            }));
        }
        check.confirmed_at = Some(now);
        check.code_hmac = None;
        registrations::set_email_check(&mut tx, &row.id_sha256, Some(&check.json()?)).await?;
    }
    tx.commit().await?;
    registration::submit(state, draft_token).await
}
