//! Beheer → Machtigingen, read side: the filter a list query stands for, one list line
//! from a stored row, a page of the list, and the choices of the grant form (people with a
//! live means, the service catalogue). The CSV export writes the same lines.
//!
//! Read only: nothing here writes, so nothing here audits.

use crate::contract::authorisations::{AuthLine, AuthPage, AuthQuery, GrantPerson, ServiceOption, PAGE_SIZE};
use crate::domain::time::format_date_amsterdam;
use crate::domain::value::display_name;
use crate::error::AppError;
use crate::server::clock::DAY_MS;
use crate::server::db::authorisation_list::{self as list, AuthFilter, AuthListRow};
use crate::server::db::overview::{means_page, MeansFilter};
use crate::server::db::{services, Conn};

/// The filter behind `q` over `orgs` at `now`; every text clipped to 100 characters.
pub fn filter(q: &AuthQuery, orgs: Vec<String>, now: i64) -> AuthFilter {
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
    let service = match (&r.service_name, &r.provider) {
        (Some(n), Some(p)) => format!("{n} ({p})"),
        _ => format!("Alle diensten t/m {}", r.level),
    };
    AuthLine {
        too_weak: r.means_level < r.level,
        state_label: r.state.label_nl().to_string(),
        person: display_name(&r.given_names, r.prefix.as_deref(), &r.surname),
        id: r.id,
        organisation: r.organisation_name,
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

/// Page `page` (clamped to the pages there are) of the authorisations `q` selects in `orgs`.
pub async fn page(
    conn: &mut Conn,
    q: &AuthQuery,
    orgs: Vec<String>,
    now: i64,
    page: i64,
) -> Result<AuthPage, AppError> {
    let f = filter(q, orgs, now);
    let total = list::count(conn, &f).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    let rows = list::page(conn, &f, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    Ok(AuthPage {
        total,
        page,
        pages,
        lines: rows.into_iter().map(line).collect(),
    })
}

/// People of `organisation_id` who can hold authorisations (a live means matching `query`),
/// at most 100.
pub async fn grant_people(conn: &mut Conn, organisation_id: &str, query: &str) -> Result<Vec<GrantPerson>, AppError> {
    let f = MeansFilter {
        organisation_ids: vec![organisation_id.to_string()],
        person: query.chars().take(100).collect(),
        live_only: true,
        ..Default::default()
    };
    Ok(means_page(conn, &f, 0, 100)
        .await?
        .into_iter()
        .filter(|m| super::authorisations::can_hold(m.state))
        .map(|m| GrantPerson {
            name: display_name(&m.given_names, m.prefix.as_deref(), &m.surname),
            means_id: m.means_id,
            email: m.email,
            level: m.level.to_string(),
        })
        .collect())
}

/// The service catalogue matching `query` by name and provider (empty: all of it).
pub async fn service_options(conn: &mut Conn, query: &str) -> Result<Vec<ServiceOption>, AppError> {
    Ok(services::search(conn, query)
        .await?
        .into_iter()
        .map(|s| ServiceOption {
            id: s.id,
            name: s.name,
            provider: s.provider,
            level: s.required_level.to_string(),
        })
        .collect())
}
