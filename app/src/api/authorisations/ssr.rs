//! Server side of Beheer → Machtigingen: which organisations a query covers, the filter

//! from the query string, and one list line from a row.
use super::*;
use crate::server::db::authorisation_list::{AuthFilter, AuthListRow};
use crate::server::state::AppState;

/// The organisations the query covers: all the manager manages, or the current one.
pub async fn scope(alle: bool) -> Result<(AppState, crate::server::auth::session::Identity, Vec<String>), AppError> {
    let (state, id, org) = crate::api::ssr::manager().await?;
    let orgs = if alle {
        id.managed.iter().map(|m| m.id.clone()).collect()
    } else {
        vec![org]
    };
    Ok((state, id, orgs))
}

pub fn filter(q: &AuthQuery, orgs: Vec<String>, now: i64) -> AuthFilter {
    use crate::server::clock::DAY_MS;
    let clip = |s: &str| s.chars().take(100).collect::<String>();
    AuthFilter {
        organisation_ids: orgs,
        person: clip(&q.persoon),
        service: clip(&q.dienst),
        state: clip(&q.status),
        level: clip(&q.niveau),
        expiring_before: q.verloopt.then_some(now + 60 * DAY_MS),
        now,
    }
}

pub fn line(r: AuthListRow) -> AuthLine {
    use crate::domain::time::format_date_amsterdam;
    let person = match r.prefix.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => format!("{} {} {}", r.given_names, p, r.surname),
        None => format!("{} {}", r.given_names, r.surname),
    };
    let service = match (&r.service_name, &r.provider) {
        (Some(n), Some(p)) => format!("{n} ({p})"),
        _ => format!("Alle diensten t/m {}", r.level),
    };
    AuthLine {
        too_weak: r.means_level < r.level,
        state_label: r.state.label_nl().to_string(),
        id: r.id,
        organisation: r.organisation_name,
        person,
        email: r.email,
        means_level: r.means_level.to_string(),
        service,
        level: r.level.to_string(),
        state: r.state.to_string(),
        valid_from: format_date_amsterdam(r.valid_from),
        valid_until: format_date_amsterdam(r.valid_until),
        revoked_reason: r.revoked_reason,
    }
}

/// The acting manager for the service layer.
pub fn granter(
    id: &crate::server::auth::session::Identity,
) -> Result<(String, String, crate::domain::value::AssuranceLevel), AppError> {
    let m = id.current_managed().ok_or(AppError::Forbidden)?;
    let level = m.level;
    Ok((id.account.id.clone(), m.id.clone(), level))
}
