//! The existing managers' say in a registration for their KvK number (flow 1).
//!
//! When a registration is submitted for a KvK number whose organisation (any branch)
//! already has managers, each of them gets an e-mail with a link (purpose
//! [`PURPOSE_OBJECT`], single use, [`OBJECT_TTL_MS`], only the SHA-256 stored) to object.
//! The link lives a day like every other link of ours: the representatives answer within
//! that day too, and the back office only starts after them, so an objection made in time
//! is always on the item before anyone decides. Looking at the link page ([`view`]) uses
//! nothing — mail scanners open links; the POST ([`object`]) uses it, puts the objection on
//! the registration (the back office sees it with the item), on the request's timeline and
//! in the audit trail.

use crate::contract::registrations::ObjectionView;
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::registration::Registration;
use crate::domain::request::{RequestState, TimelineEvent};
use crate::domain::time::format_amsterdam;
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::auth::tokens::RawToken;
use crate::server::clock::HOUR_MS;
use crate::server::db::registrations::{self, ObjectionRow, RegistrationRow};
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::tokens::Purpose;
use crate::server::db::{outbox, tokens, Conn};
use crate::server::service::registration::{insert_token, PersonRecord};
use crate::server::service::registration_mail;
use crate::server::state::AppState;

pub const PURPOSE_OBJECT: Purpose = Purpose::ObjectRegistration;
pub const OBJECT_TTL_MS: i64 = 24 * HOUR_MS;
pub const MAX_OBJECTION_CHARS: usize = 500;

fn display(given: &str, prefix: Option<&str>, surname: &str) -> String {
    match prefix.filter(|p| !p.trim().is_empty()) {
        Some(p) => format!("{given} {p} {surname}"),
        None => format!("{given} {surname}"),
    }
}

/// One link and e-mail per current manager of the KvK number (not the applicant
/// themselves), in the submission's transaction; returns the e-mails to enqueue.
pub async fn notify_managers(
    conn: &mut Conn,
    base: &str,
    request: &RequestRow,
    reg: &Registration,
    now: i64,
) -> Result<Vec<outbox::NewMessage>, AppError> {
    let managers = registrations::managers_for_kvk(conn, reg.kvk.as_str(), now).await?;
    let mut mails = Vec::new();
    for m in managers
        .iter()
        .filter(|m| !m.email.eq_ignore_ascii_case(reg.manager.email.as_str()))
    {
        let token = RawToken::generate();
        insert_token(conn, &token, &request.id, PURPOSE_OBJECT, now + OBJECT_TTL_MS, now).await?;
        let name = display(&m.given_names, m.prefix.as_deref(), &m.surname);
        registrations::insert_objection(
            conn,
            &ObjectionRow {
                token_sha256: token.sha256(),
                request_id: request.id.clone(),
                account_id: m.account_id.clone(),
                manager_name: name.clone(),
                notified_at: now,
                objected_at: None,
                reason: None,
            },
        )
        .await?;
        let link = format!("{base}/registreren/bezwaar/{}", token.expose());
        mails.push(
            outbox::NewMessage::email(
                &m.email,
                "Iemand meldt zich aan als beheerder van uw organisatie",
                registration_mail::objection_invite(&name, &m.org_name, reg, &format_amsterdam(now), &link),
            )
            .about(&request.id),
        );
    }
    if !mails.is_empty() {
        requests::add_event(
            conn,
            &request.id,
            now,
            None,
            TimelineEvent::ManagersNotified,
            &serde_json::json!({ "managers": mails.len() }),
        )
        .await?;
    }
    Ok(mails)
}

fn plausible(raw: &str) -> bool {
    raw.len() == 43 && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

struct Found {
    objection: ObjectionRow,
    request: RequestRow,
    reg: RegistrationRow,
}

const UNKNOWN: &str = "Deze link werkt niet. Controleer of u de hele link uit de e-mail heeft geopend.";

/// The live link's objection row and registration, or why it can't be used.
async fn check(conn: &mut Conn, raw: &str, now: i64) -> Result<Result<Found, &'static str>, AppError> {
    if !plausible(raw) {
        return Ok(Err(UNKNOWN));
    }
    let hash = RawToken::from_client(raw).sha256();
    let Some(t) = tokens::find(conn, &hash).await?.filter(|t| t.purpose == PURPOSE_OBJECT) else {
        return Ok(Err(UNKNOWN));
    };
    let Some(objection) = registrations::objection(conn, &hash).await? else {
        return Ok(Err(UNKNOWN));
    };
    if t.used_at.is_some() || objection.objected_at.is_some() {
        return Ok(Err(
            "U heeft al bezwaar gemaakt tegen deze aanmelding. Onze backoffice ziet uw bezwaar bij de beoordeling.",
        ));
    }
    let request = requests::find_any(conn, &t.request_id).await?.or_internal()?;
    let reg = registrations::by_request(conn, &request.id).await?.or_internal()?;
    let open = [RequestState::AwaitingRepresentatives, RequestState::AwaitingReview].contains(&request.state);
    if !open || t.cancelled_at.is_some() {
        return Ok(Err(
            "Deze aanmelding loopt niet meer: ze is al beoordeeld, geweigerd of ingetrokken. Bezwaar is niet meer nodig.",
        ));
    }
    if t.expires_at <= now {
        return Ok(Err(
            "Deze link is verlopen: een bezwaarlink werkt 24 uur. Wilt u toch bezwaar maken? Neem dan contact op met onze servicedesk en noem het KvK-nummer.",
        ));
    }
    Ok(Ok(Found {
        objection,
        request,
        reg,
    }))
}

/// What the link page shows; uses nothing.
pub async fn view(state: &AppState, raw: &str) -> Result<ObjectionView, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let f = match check(&mut conn, raw, state.now()).await? {
        Ok(f) => f,
        Err(why) => return Ok(ObjectionView::Unusable(why.into())),
    };
    let applicant: PersonRecord = crate::server::stored::parse("applicant", &f.reg.applicant)?;
    Ok(ObjectionView::Valid {
        manager: f.objection.manager_name,
        org_name: f.reg.org_name,
        kvk_number: f.reg.kvk_number,
        branch_number: f.reg.branch_number,
        applicant: applicant.display_name(),
        applicant_email: applicant.email,
        level: f.reg.requested_level.to_string(),
        submitted: format_amsterdam(f.reg.submitted_at),
    })
}

/// Records the objection. `Err(text)` when the link can't be used (any more).
pub async fn object(state: &AppState, raw: &str, reason: &str) -> Result<Result<(), String>, AppError> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_OBJECTION_CHARS {
        return Err(AppError::invalid(format!(
            "De toelichting is te lang: hoogstens {MAX_OBJECTION_CHARS} tekens."
        )));
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let f = match check(&mut tx, raw, now).await? {
        Ok(f) => f,
        Err(why) => return Ok(Err(why.into())),
    };
    let hash = &f.objection.token_sha256;
    if !tokens::consume(&mut tx, hash, now).await? || !registrations::set_objected(&mut tx, hash, reason, now).await? {
        return Ok(Err("U heeft al bezwaar gemaakt tegen deze aanmelding.".into()));
    }
    let by = f.objection.account_id.as_str();
    requests::add_event(
        &mut tx,
        &f.request.id,
        now,
        Some(by),
        TimelineEvent::RegistrationObjected,
        &serde_json::json!({ "manager": f.objection.manager_name, "reason": reason }),
    )
    .await?;
    let ev = AuditEvent::new(AuditAction::RegistrationObjected, TargetKind::Request, &f.request.id)
        .actor(by)
        .organisation(&f.request.organisation_id)
        .after(serde_json::json!({ "manager": f.objection.manager_name, "with_reason": !reason.is_empty() }));
    record(&mut tx, ev, now).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// The objections on a registration, for the back office: who, when, why.
pub async fn notes(conn: &mut Conn, request_id: &str) -> Result<Vec<(String, String, String)>, AppError> {
    Ok(registrations::objections_for(conn, request_id)
        .await?
        .into_iter()
        .map(|o| {
            (
                o.manager_name,
                o.objected_at.map(format_amsterdam).unwrap_or_default(),
                o.reason.unwrap_or_default(),
            )
        })
        .collect())
}
