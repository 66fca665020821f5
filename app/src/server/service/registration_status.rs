//! The applicant's status page (the link in the confirmation e-mail): where the
//! registration stands, each representative's answer, the promised window and, once it
//! ended badly, the reason.

use crate::contract::registrations::StatusView;
use crate::domain::request::{RequestState, TimelineEvent};
use crate::domain::time::format_amsterdam;
use crate::error::{AppError, OrInternal};
use crate::server::auth::tokens::RawToken;
use crate::server::db::registrations::{self, RegistrationRow};
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::{tokens, Conn};
use crate::server::service::registration::{PersonRecord, PURPOSE_STATUS};
use crate::server::state::AppState;

/// The registration with this status token, if the token is live.
pub async fn by_status_token(
    conn: &mut Conn,
    raw: &str,
    now: i64,
) -> Result<Option<(RegistrationRow, RequestRow)>, AppError> {
    let Some(t) = tokens::find(conn, &RawToken::from_client(raw).sha256())
        .await?
        .filter(|t| t.purpose == PURPOSE_STATUS && t.expires_at > now && t.cancelled_at.is_none())
    else {
        return Ok(None);
    };
    let Some(reg) = registrations::by_request(conn, &t.request_id).await? else {
        return Ok(None);
    };
    let req = requests::find_any(conn, &t.request_id).await?.or_internal()?;
    Ok(Some((reg, req)))
}

/// The applicant's status page.
pub async fn status(state: &AppState, raw: &str) -> Result<Option<StatusView>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let Some((reg, req)) = by_status_token(&mut conn, raw, state.now()).await? else {
        return Ok(None);
    };
    let s = req.state;
    let reps: Vec<PersonRecord> = crate::server::stored::parse("representatives", &reg.representatives)?;
    let reason = match s {
        RequestState::Rejected | RequestState::Refused => {
            let ev = if s == RequestState::Rejected {
                TimelineEvent::Reject
            } else {
                TimelineEvent::RepresentativeRefused
            };
            requests::last_event(&mut conn, &req.id, ev)
                .await?
                .map(|e| crate::server::stored::text_field("detail", &e.detail, "reason"))
                .transpose()?
                .flatten()
        }
        _ => None,
    };
    let can_resend = s == RequestState::AwaitingRepresentatives
        && !crate::server::service::registration_resend::expired_pending(&mut conn, &reps, state.now())
            .await?
            .is_empty();
    Ok(Some(StatusView {
        can_resend,
        state: s.as_str().into(),
        state_label: s.label_nl().into(),
        org_name: reg.org_name,
        kvk_number: reg.kvk_number,
        level: reg.requested_level.to_string(),
        submitted: format_amsterdam(reg.submitted_at),
        due_min: crate::domain::time::CivilDate::parse_iso(&reg.due_min)
            .map(|d| d.dutch())
            .unwrap_or_default(),
        due_max: crate::domain::time::CivilDate::parse_iso(&reg.due_max)
            .map(|d| d.dutch())
            .unwrap_or_default(),
        representatives: reps
            .iter()
            .map(|r| (r.display_name(), answer_label(&r.answer).into()))
            .collect(),
        reason,
    }))
}

pub fn answer_label(answer: &str) -> &'static str {
    match answer {
        "approved" => "goedgekeurd",
        "refused" => "geweigerd",
        _ => "nog niet beantwoord",
    }
}
