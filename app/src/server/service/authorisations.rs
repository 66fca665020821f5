//! Beheer → Machtigingen (flow 7): grant, revoke and reactivate authorisations. Each
//! change is a request of kind `grant` or `revoke` that completes at once (through
//! `issuance::advance`, so it shows on the timeline), with its audit events, in the
//! caller's transaction. The level rules are `domain::authorisation::check_grant`.

use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::authorisation::{check_grant, AuthorisationState, ScopeKind, Term};
use crate::domain::means::MeansState;
use crate::domain::request::{RequestEvent, RequestKind};
use crate::domain::time::CivilDate;
use crate::domain::value::AssuranceLevel;
use crate::error::AppError;
use crate::server::audit::record;
use crate::server::clock::DAY_MS;
use crate::server::db::authorisations::{self, AuthorisationRow};
use crate::server::db::means;
use crate::server::db::requests::RequestRow;
use crate::server::db::{new_id, services, Conn};
use crate::server::service::issuance::advance;
use crate::server::service::means_admin::open_request;

/// The manager acting, in the organisation they work in.
pub struct Granter<'a> {
    pub account_id: &'a str,
    pub organisation_id: &'a str,
    pub level: AssuranceLevel,
}

/// What to grant: some services, or everything up to a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Services(Vec<String>),
    UpToLevel(AssuranceLevel),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantOutcome {
    pub granted: usize,
    /// "Name: service" for each authorisation that already existed (nothing changed).
    pub already: Vec<String>,
}

/// Means states that can hold authorisations.
pub fn can_hold(state: MeansState) -> bool {
    matches!(
        state,
        MeansState::Active | MeansState::UpgradePending | MeansState::Requested
    )
}

/// The instants of a term starting on `start`: midnight UTC of that day (or now, when it
/// starts today and that midnight is still ahead), until the same day `term` years later.
pub fn term_bounds(start: CivilDate, term: Term, now: i64) -> (i64, i64) {
    let midnight = start.to_days() * DAY_MS;
    let from = if start == crate::domain::time::date_amsterdam(now) {
        midnight.min(now)
    } else {
        midnight
    };
    (from, term.until(start).to_days() * DAY_MS)
}

/// One scope to insert: (scope, service id, service name, authorisation level, service level).
type Item = (
    ScopeKind,
    Option<String>,
    String,
    AssuranceLevel,
    Option<AssuranceLevel>,
);

/// Grants `target` to each means in `means_ids`, all or nothing: when a rule is broken
/// for anyone, nothing is stored and the error names each person and reason.
pub async fn grant(
    conn: &mut Conn,
    by: &Granter<'_>,
    means_ids: &[String],
    target: &Target,
    term: Term,
    start: CivilDate,
    now: i64,
) -> Result<GrantOutcome, AppError> {
    let today = crate::domain::time::date_amsterdam(now);
    if start < today {
        return Err(AppError::invalid(
            "De ingangsdatum ligt in het verleden; kies vandaag of later.",
        ));
    }
    if means_ids.is_empty() {
        return Err(AppError::invalid("Kies ten minste één persoon."));
    }
    let items = items(conn, target).await?;
    let mut people = Vec::new();
    let mut problems = Vec::new();
    for id in means_ids {
        let m = means::find(conn, by.organisation_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let name = m.display_name();
        if !can_hold(m.state) {
            problems.push(format!("{name}: dit middel is niet (meer) in gebruik."));
            continue;
        }
        let means_level = m.level;
        for (_, _, label, level, service_level) in &items {
            if let Err(e) = check_grant(*service_level, *level, means_level, by.level) {
                problems.push(format!("{name} — {label}: {e}"));
            }
        }
        people.push((m, name));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join("\n")));
    }
    let (valid_from, valid_until) = term_bounds(start, term, now);
    let mut outcome = GrantOutcome::default();
    for (m, name) in people {
        let mut new_rows = Vec::new();
        for (scope, service_id, label, level, _) in &items {
            if authorisations::find_active_same(conn, &m.id, *scope, service_id.as_deref(), *level)
                .await?
                .is_some()
            {
                outcome.already.push(format!("{name}: {label}"));
                continue;
            }
            new_rows.push(AuthorisationRow {
                id: new_id(),
                means_id: m.id.clone(),
                organisation_id: m.organisation_id.clone(),
                scope: *scope,
                service_id: service_id.clone(),
                level: *level,
                valid_from,
                valid_until,
                state: AuthorisationState::Active,
                revoked_reason: None,
                granted_by: Some(by.account_id.into()),
                created_at: now,
                updated_at: now,
            });
        }
        if new_rows.is_empty() {
            continue;
        }
        let payload = serde_json::json!({
            "authorisations": new_rows.iter().map(|r| &r.id).collect::<Vec<_>>(),
            "services": new_rows.iter().map(|r| r.service_id.clone().unwrap_or_else(|| format!("t/m {}", r.level))).collect::<Vec<_>>(),
            "term_years": term.years(),
            "start": start.iso(),
        });
        let request = open_request(conn, by.account_id, &m, RequestKind::Grant, payload, now).await?;
        for row in &new_rows {
            authorisations::insert(conn, row).await?;
            let ev = AuditEvent::new(AuditAction::AuthorisationGranted, TargetKind::Authorisation, &row.id)
                .actor(by.account_id)
                .organisation(&row.organisation_id)
                .after(audit_json(row));
            record(conn, ev, now).await?;
        }
        outcome.granted += new_rows.len();
        complete(conn, &request, by, now).await?;
    }
    Ok(outcome)
}

async fn items(conn: &mut Conn, target: &Target) -> Result<Vec<Item>, AppError> {
    match target {
        Target::UpToLevel(l) => Ok(vec![(
            ScopeKind::UpToLevel,
            None,
            format!("alle diensten t/m {l}"),
            *l,
            None,
        )]),
        Target::Services(ids) if ids.is_empty() => Err(AppError::invalid("Kies ten minste één dienst.")),
        Target::Services(ids) => {
            let mut out = Vec::new();
            for id in ids {
                let s = services::find(conn, id)
                    .await?
                    .ok_or_else(|| AppError::Invalid(format!("De dienst ‘{id}’ bestaat niet.")))?;
                let level = s.required_level;
                out.push((
                    ScopeKind::Service,
                    Some(s.id),
                    format!("{} ({})", s.name, s.provider),
                    level,
                    Some(level),
                ));
            }
            Ok(out)
        }
    }
}

pub(crate) fn audit_json(a: &AuthorisationRow) -> serde_json::Value {
    serde_json::json!({
        "state": a.state, "means": a.means_id, "scope": a.scope, "service": a.service_id,
        "level": a.level, "valid_from": a.valid_from, "valid_until": a.valid_until,
    })
}

pub(crate) async fn complete(
    conn: &mut Conn,
    request: &RequestRow,
    by: &Granter<'_>,
    now: i64,
) -> Result<(), AppError> {
    advance(
        conn,
        request,
        RequestEvent::CompleteAtOnce,
        Some(by.account_id),
        serde_json::json!({}),
        now,
    )
    .await?;
    Ok(())
}
