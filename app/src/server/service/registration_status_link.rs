//! A fresh status link by e-mail. The applicant's status link works 24 hours
//! ([`STATUS_TTL_MS`]); after that they ask for a new one with their e-mail address at
//! `/registreren/status`. The answer is the same for every address and comes at once (a
//! task of its own does the work), so nobody learns whether an address registered; the
//! new link goes only to the applicant's own address (confirmed when they registered),
//! at most [`LINKS_PER_DAY`] a day per registration, and the previous one stops working.

use crate::domain::value::Email;
use crate::error::AppError;
use crate::server::auth::tokens::RawToken;
use crate::server::clock::HOUR_MS;
use crate::server::db::{outbox, registrations, requests, tokens};
use crate::server::service::registration::{insert_token, PersonRecord, PURPOSE_STATUS, STATUS_TTL_MS};
use crate::server::service::registration_mail;
use crate::server::state::AppState;

/// Status links one registration may get per 24 hours (the first one included).
pub const LINKS_PER_DAY: i64 = 3;
/// Registrations of one applicant looked at (the newest first).
const NEWEST: i64 = 5;

/// Whether the typed address is one; the mail, if any, follows from a task of its own.
pub fn request(state: &AppState, typed: &str) -> bool {
    let Ok(email) = Email::parse(typed) else {
        return false;
    };
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = mail_links(&state, email.as_str()).await {
            tracing::error!(error = %e, "could not prepare a status link e-mail");
        }
    });
    true
}

async fn mail_links(state: &AppState, email: &str) -> Result<(), AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let mut sent = 0;
    for reg in registrations::by_applicant_email(&mut tx, email, NEWEST).await? {
        let applicant: PersonRecord = serde_json::from_str(&reg.applicant).map_err(|e| {
            tracing::error!(error = %e, registration = %reg.id, "stored applicant does not parse");
            AppError::Internal
        })?;
        if !applicant.email.eq_ignore_ascii_case(email) {
            continue;
        }
        // Take the request's row lock first, so that two requests at once count each other.
        requests::touch(&mut tx, &reg.request_id).await?;
        if tokens::count_since(&mut tx, &reg.request_id, PURPOSE_STATUS, now - 24 * HOUR_MS).await? >= LINKS_PER_DAY {
            continue;
        }
        tokens::cancel_purpose(&mut tx, &reg.request_id, PURPOSE_STATUS, now).await?;
        let link = RawToken::generate();
        insert_token(
            &mut tx,
            &link,
            &reg.request_id,
            PURPOSE_STATUS,
            now + STATUS_TTL_MS,
            now,
        )
        .await?;
        let url = format!("{}/registreren/status/{}", state.config.public_url, link.expose());
        outbox::enqueue(
            &mut tx,
            &outbox::NewMessage::email(
                &applicant.email,
                "Nieuwe link naar de status van uw aanmelding",
                registration_mail::status_link(&applicant.display_name(), &reg.org_name, &reg.kvk_number, &url),
            ),
            now,
        )
        .await?;
        sent += 1;
    }
    tx.commit().await?;
    if sent > 0 {
        state.wake_outbox();
    }
    Ok(())
}
