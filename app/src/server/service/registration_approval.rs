//! The legal representative's answer (flow 1, step 2). The e-mail link is looked at
//! without being used ([`view`], for mail scanners' GETs) and used once by the confirming
//! POST ([`answer`]). Joint signing needs every representative; one refusal ends the
//! registration (its other links die, its documents go) and the applicant hears why.

use crate::contract::registrations::ApprovalView;
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::request::{RequestEvent, RequestState, TimelineEvent};
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::auth::tokens::RawToken;
use crate::server::db::registrations::{self, RegistrationRow};
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::{documents, outbox, tokens, Conn};
use crate::server::service::issuance::advance;
use crate::server::service::registration::{PersonRecord, PURPOSE_APPROVE};
use crate::server::service::registration_mail as mail;
use crate::server::state::AppState;

pub const MAX_REASON_CHARS: usize = 500;

fn plausible(raw: &str) -> bool {
    raw.len() == 43 && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

struct Found {
    token_sha256: String,
    request: RequestRow,
    reg: RegistrationRow,
    reps: Vec<PersonRecord>,
    index: usize,
}

/// The live link's registration and representative, or the reason it can't be used.
async fn check(conn: &mut Conn, raw: &str, now: i64) -> Result<Result<Found, &'static str>, AppError> {
    const UNKNOWN: &str = "Deze link werkt niet. Controleer of u de hele link uit de e-mail heeft geopend.";
    if !plausible(raw) {
        return Ok(Err(UNKNOWN));
    }
    let hash = RawToken::from_client(raw).sha256();
    let Some(t) = tokens::find(conn, &hash)
        .await?
        .filter(|t| t.purpose == PURPOSE_APPROVE)
    else {
        return Ok(Err(UNKNOWN));
    };
    let request = requests::find_any(conn, &t.request_id).await?.or_internal()?;
    let reg = registrations::by_request(conn, &request.id).await?.or_internal()?;
    if t.used_at.is_some() {
        return Ok(Err("U heeft deze aanmelding al beantwoord. Dank u wel."));
    }
    if request.state != RequestState::AwaitingRepresentatives || t.cancelled_at.is_some() {
        return Ok(Err(
            "Over deze aanmelding hoeft u niet meer te beslissen: ze is al afgerond of gestopt.",
        ));
    }
    if t.expires_at <= now {
        return Ok(Err(
            "Deze link is verlopen: een goedkeuringslink werkt 24 uur. Vraag de aanvrager om een nieuwe aanmelding.",
        ));
    }
    let reps: Vec<PersonRecord> = crate::server::stored::parse("representatives", &reg.representatives)?;
    let Some(index) = reps
        .iter()
        .position(|r| r.token_sha256.as_deref() == Some(hash.as_str()))
    else {
        return Ok(Err(UNKNOWN));
    };
    Ok(Ok(Found {
        token_sha256: hash,
        request,
        reg,
        reps,
        index,
    }))
}

/// What the link page shows; uses nothing.
pub async fn view(state: &AppState, raw: &str) -> Result<ApprovalView, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let f = match check(&mut conn, raw, state.now()).await? {
        Ok(f) => f,
        Err(why) => return Ok(ApprovalView::Unusable(why.into())),
    };
    let applicant: PersonRecord = crate::server::stored::parse("applicant", &f.reg.applicant)?;
    Ok(ApprovalView::Valid {
        representative: f.reps[f.index].display_name(),
        org_name: f.reg.org_name,
        kvk_number: f.reg.kvk_number,
        branch_number: f.reg.branch_number,
        manager_name: applicant.display_name(),
        manager_email: applicant.email,
        level: f.reg.requested_level.to_string(),
        others: f
            .reps
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != f.index)
            .map(|(_, r)| r.display_name())
            .collect(),
    })
}

/// Records the representative's answer. `Err(text)` when the link can't be used (any
/// more); `Ok(state)` is the registration's state afterwards.
pub async fn answer(
    state: &AppState,
    raw: &str,
    approve: bool,
    reason: &str,
) -> Result<Result<RequestState, String>, AppError> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(AppError::invalid(format!(
            "De toelichting is te lang: hoogstens {MAX_REASON_CHARS} tekens."
        )));
    }
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let mut f = match check(&mut tx, raw, now).await? {
        Ok(f) => f,
        Err(why) => return Ok(Err(why.into())),
    };
    if !tokens::consume(&mut tx, &f.token_sha256, now).await? {
        return Ok(Err("U heeft deze aanmelding al beantwoord.".into()));
    }
    let rep = &mut f.reps[f.index];
    rep.answer = if approve { "approved" } else { "refused" }.into();
    rep.answered_at = Some(now);
    let name = rep.display_name();
    let json = serde_json::to_string(&f.reps).or_internal()?;
    if !registrations::set_representatives(&mut tx, &f.reg.id, f.reg.version, &json).await? {
        return Err(AppError::Conflict(crate::server::service::issuance::RACED.into()));
    }
    let ev = AuditEvent::new(AuditAction::RepresentativeAnswered, TargetKind::Request, &f.request.id)
        .organisation(&f.request.organisation_id)
        .after(
            serde_json::json!({ "representative": f.index, "answer": if approve { "approved" } else { "refused" } }),
        );
    record(&mut tx, ev, now).await?;
    let applicant: PersonRecord = crate::server::stored::parse("applicant", &f.reg.applicant)?;
    let mut deleted = Vec::new();
    let to = if !approve {
        let detail = serde_json::json!({ "representative": name, "reason": reason });
        let to = advance(
            &mut tx,
            &f.request,
            RequestEvent::RepresentativeRefused,
            None,
            detail,
            now,
        )
        .await?;
        tokens::cancel_purpose(&mut tx, &f.request.id, PURPOSE_APPROVE, now).await?;
        deleted = documents::mark_deleted_for_request(&mut tx, &f.request.id, now).await?;
        let body = format!(
            "Beste {},\n\n{} heeft uw aanmelding als machtigingenbeheerder voor {} geweigerd.\n{}\n\
             De aanmelding is daarmee beëindigd en de meegestuurde documenten zijn verwijderd.\n\nMet vriendelijke groet,\nBeheermodule\n",
            mail::name(&applicant.display_name()),
            mail::name(&name),
            mail::org(&f.reg.org_name),
            if reason.is_empty() { String::new() } else { format!("Toelichting: {}\n", mail::reason(reason)) }
        );
        outbox::enqueue(
            &mut tx,
            &outbox::NewMessage::email(&applicant.email, "Uw aanmelding als beheerder is geweigerd", body),
            now,
        )
        .await?;
        to
    } else if f.reps.iter().all(|r| r.answer == "approved") {
        let detail = serde_json::json!({ "representative": name });
        let to = advance(
            &mut tx,
            &f.request,
            RequestEvent::RepresentativesApproved,
            None,
            detail,
            now,
        )
        .await?;
        let body = format!(
            "Beste {},\n\nDe bevoegd vertegenwoordiging van {} heeft uw aanmelding goedgekeurd. Onze backoffice\n\
             beoordeelt haar nu; u hoort uiterlijk {} van ons.\n\nMet vriendelijke groet,\nBeheermodule\n",
            mail::name(&applicant.display_name()),
            mail::org(&f.reg.org_name),
            crate::domain::time::CivilDate::parse_iso(&f.reg.due_max)
                .map(|d| d.dutch())
                .unwrap_or_default()
        );
        outbox::enqueue(
            &mut tx,
            &outbox::NewMessage::email(
                &applicant.email,
                "Uw aanmelding is goedgekeurd door de vertegenwoordiger",
                body,
            ),
            now,
        )
        .await?;
        to
    } else {
        requests::add_event(
            &mut tx,
            &f.request.id,
            now,
            None,
            TimelineEvent::RepresentativeApproved,
            &serde_json::json!({ "representative": name }),
        )
        .await?;
        RequestState::AwaitingRepresentatives
    };
    tx.commit().await?;
    state.documents().delete_all(&deleted).await;
    state.wake_outbox();
    Ok(Ok(to))
}
