//! Upgrading a means (flow 6) and cancelling it (*opzeggen*), within the manager's current
//! organisation.
//!
//! An upgrade starts the means' upgrade (it keeps working at its old level) and opens an
//! `upgrade_means` request for exactly the identity steps of the new level
//! (`identity_steps(new, employed)`): none → the upgrade completes at once; otherwise the
//! person confirms by link and SMS (no new password) and then takes those steps.
//! `issuance::advance` raises the level on completion and aborts the upgrade otherwise.
//! Cancelling is in `means_cancel`.

use crate::contract::means::{AuthorisationLine, MeansDetail};
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::means::{identity_steps, MeansState};
use crate::domain::request::{RequestEvent, RequestKind, RequestState, TimelineEvent};
use crate::domain::time::format_date_amsterdam;
use crate::domain::value::AssuranceLevel;
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::auth::tokens::RawToken;
use crate::server::db::means_admin as q;
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::tokens::{self, TokenRow};
use crate::server::db::{means, new_id, outbox, Conn};
use crate::server::service::activation::PURPOSE_ACTIVATE;
use crate::server::service::issuance::{advance, RACED};
use crate::server::state::AppState;

/// The upgrade e-mail: subject and plain-text body with the link on its own line.
pub fn upgrade_mail(given_names: &str, level: AssuranceLevel, link: &str) -> (String, String) {
    let body = format!(
        "Beste {given_names},\n\nUw organisatie wil uw eHerkenningsmiddel upgraden naar niveau {}.\n\
         Open de link hieronder op uw telefoon om uw e-mailadres te bevestigen. Daarna ontvangt u een\n\
         sms-code; uw wachtwoord blijft hetzelfde. Tot de upgrade rond is, werkt uw middel op het oude niveau.\n\n\
         {link}\n\nDe link werkt 24 uur en één keer. Heeft u dit niet verwacht? Dan kunt u deze e-mail negeren.\n\n\
         Met vriendelijke groet,\nBeheermodule\n",
        level.as_str()
    );
    ("Upgrade van uw eHerkenningsmiddel".into(), body)
}

pub async fn detail(
    state: &AppState,
    actor: &str,
    manager_level: &str,
    org: &str,
    id: &str,
) -> Result<MeansDetail, AppError> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let m = means::find(&mut conn, org, id).await?.ok_or(AppError::NotFound)?;
    let st = m.state;
    let level = m.level;
    let max = AssuranceLevel::parse(manager_level).or_internal()?;
    let upgrade_levels: Vec<String> = AssuranceLevel::ALL
        .into_iter()
        .filter(|l| *l > level && *l <= max)
        .map(|l| l.as_str().to_string())
        .collect();
    let upgrade_blocked = if st != MeansState::Active {
        Some(format!(
            "Alleen een actief middel kan worden geüpgraded; dit middel is {}.",
            st.label_nl()
        ))
    } else if upgrade_levels.is_empty() {
        Some(format!(
            "Er is geen hoger niveau dat u kunt toekennen: u beheert tot en met {}.",
            max.as_str()
        ))
    } else {
        None
    };
    let cancel_blocked = crate::server::service::means_cancel::last_manager_guard(&mut conn, actor, org, &m, now)
        .await?
        .then(|| crate::server::service::means_cancel::LAST_MANAGER.to_string());
    let open = q::open_requests(&mut conn, &m.id).await?;
    let authorisations = q::authorisations(&mut conn, org, &m.id)
        .await?
        .into_iter()
        .map(|a| AuthorisationLine {
            what: match (a.scope.as_str(), a.service_name) {
                ("manage", _) => "beheren van de organisatie".into(),
                (_, Some(s)) => s,
                _ => format!("alle diensten tot en met {}", a.level),
            },
            state_label: a.state.label_nl().to_string(),
            level: a.level.to_string(),
            state: a.state.to_string(),
            valid_until: format_date_amsterdam(a.valid_until),
        })
        .collect();
    Ok(MeansDetail {
        person: m.display_name(),
        email: m.email.clone(),
        level: m.level.to_string(),
        state_label: st.label_nl().to_string(),
        state: m.state.to_string(),
        employed: m.employed == 1,
        upgrade_levels: if upgrade_blocked.is_none() {
            upgrade_levels
        } else {
            Vec::new()
        },
        upgrade_blocked,
        can_cancel: !st.is_final() && cancel_blocked.is_none(),
        cancel_blocked,
        open_request: open.first().map(|r| r.id.clone()),
        authorisations,
        means_id: m.id,
    })
}

/// Starts an upgrade; `Ok(true)` when it completed at once. `by` is (actor, the manager's
/// level, organisation).
pub async fn upgrade(state: &AppState, by: (&str, &str, &str), id: &str, level: &str) -> Result<bool, AppError> {
    let (actor, manager_level, org) = by;
    let now = state.now();
    let new = AssuranceLevel::parse(level).map_err(|_| AppError::invalid("Kies een geldig niveau."))?;
    let max = AssuranceLevel::parse(manager_level).map_err(|_| AppError::Forbidden)?;
    let mut tx = state.db.begin().await?;
    let m = means::find(&mut tx, org, id).await?.ok_or(AppError::NotFound)?;
    let old = m.level;
    if new <= old {
        return Err(AppError::invalid(format!(
            "Kies een hoger niveau dan het huidige ({}).",
            old.as_str()
        )));
    }
    if new > max {
        return Err(AppError::invalid(format!(
            "U kunt upgraden tot en met uw eigen niveau ({}).",
            max.as_str()
        )));
    }
    let from = m.state;
    let to = from.start_upgrade().map_err(|e| AppError::Conflict(e.to_string()))?;
    if !means::set_state(&mut tx, &m.id, from, to, now).await? {
        return Err(AppError::Conflict(RACED.into()));
    }
    let ev = AuditEvent::new(AuditAction::MeansUpgradeStarted, TargetKind::Means, &m.id)
        .actor(actor)
        .organisation(org)
        .before(serde_json::json!({ "state": from.as_str(), "level": old.as_str() }))
        .after(serde_json::json!({ "state": to.as_str(), "level": new.as_str() }));
    record(&mut tx, ev, now).await?;
    let employed = m.employed == 1;
    let payload = serde_json::json!({ "level": new.as_str(), "from_level": old.as_str(), "employed": employed });
    let request = open_request(&mut tx, actor, &m, RequestKind::UpgradeMeans, payload, now).await?;
    let steps = identity_steps(new, employed);
    let at_once = !steps.id_check && !steps.in_person;
    if at_once {
        advance(
            &mut tx,
            &request,
            RequestEvent::CompleteAtOnce,
            Some(actor),
            serde_json::json!({}),
            now,
        )
        .await?;
    } else {
        advance(
            &mut tx,
            &request,
            RequestEvent::EmailSent,
            Some(actor),
            serde_json::json!({}),
            now,
        )
        .await?;
        let token = RawToken::generate();
        tokens::insert(
            &mut tx,
            &TokenRow {
                token_sha256: token.sha256(),
                request_id: request.id.clone(),
                purpose: PURPOSE_ACTIVATE,
                created_at: now,
                expires_at: now + state.config.activation_ttl_ms,
                used_at: None,
                cancelled_at: None,
            },
        )
        .await?;
        let link = format!("{}/activeren/{}", state.config.public_url, token.expose());
        let (subject, body) = upgrade_mail(&m.given_names, new, &link);
        outbox::enqueue(
            &mut tx,
            &outbox::NewMessage::email(&m.email, subject, body).about(&request.id),
            now,
        )
        .await?;
    }
    state.commit_and_wake(tx).await?;
    Ok(at_once)
}

/// A new request on a means (in the means' organisation, by `actor`), `submitted`, with its
/// `created` event and its audit event: what every manager's change of a means or its
/// authorisations starts with.
pub(crate) async fn open_request(
    conn: &mut Conn,
    actor: &str,
    m: &means::MeansRow,
    kind: RequestKind,
    payload: serde_json::Value,
    now: i64,
) -> Result<RequestRow, AppError> {
    let row = RequestRow {
        id: new_id(),
        organisation_id: m.organisation_id.clone(),
        kind,
        state: RequestState::Submitted,
        account_id: m.account_id.clone(),
        means_id: Some(m.id.clone()),
        batch_id: None,
        requested_by: Some(actor.into()),
        payload: payload.to_string(),
        created_at: now,
        updated_at: now,
        finished_at: None,
    };
    requests::insert(conn, &row).await?;
    requests::add_event(
        conn,
        &row.id,
        now,
        Some(actor),
        TimelineEvent::Created,
        &serde_json::json!({}),
    )
    .await?;
    let ev = AuditEvent::new(AuditAction::RequestCreated, TargetKind::Request, &row.id)
        .actor(actor)
        .organisation(&m.organisation_id)
        .after(serde_json::json!({ "kind": kind, "state": row.state, "means_id": m.id, "payload": payload }));
    record(conn, ev, now).await?;
    Ok(row)
}
