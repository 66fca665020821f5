//! Beheer → Machtigingen: the filtered list, granting (with the level rules checked in the
//! browser per person and again here), revoking with a reason and reactivating.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 25;

/// The list's filters, as in the page's query string (Dutch names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthQuery {
    pub persoon: String,
    /// A service id, or `alle` for "all services up to a level".
    pub dienst: String,
    pub status: String,
    pub niveau: String,
    /// Only those expiring within 60 days.
    pub verloopt: bool,
    /// All organisations the manager manages (read only), not just the current one.
    pub alle: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthLine {
    pub id: String,
    pub organisation: String,
    pub person: String,
    pub email: String,
    pub means_level: String,
    pub service: String,
    pub level: String,
    pub state: String,
    pub state_label: String,
    pub valid_from: String,
    pub valid_until: String,
    pub revoked_reason: Option<String>,
    /// The holder's means is weaker than the authorisation: it cannot be used.
    pub too_weak: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthPage {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub lines: Vec<AuthLine>,
}

/// A person who can receive authorisations, with the level of their means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantPerson {
    pub means_id: String,
    pub name: String,
    pub email: String,
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceOption {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantSetup {
    pub manager_level: String,
    pub today_iso: String,
    pub people: Vec<GrantPerson>,
    pub services: Vec<ServiceOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRequest {
    pub means_ids: Vec<String>,
    pub services: Vec<String>,
    /// A level for "all services up to level L" instead of services; empty otherwise.
    pub up_to_level: String,
    pub term: String,
    pub start: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantReply {
    pub granted: usize,
    pub already: Vec<String>,
}

impl AuthQuery {
    /// The filters as a query string (without `?`), for links and the export.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("persoon", &self.persoon),
            ("dienst", &self.dienst),
            ("status", &self.status),
            ("niveau", &self.niveau),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        if self.verloopt {
            parts.push("verloopt=1".into());
        }
        if self.alle {
            parts.push("alle=1".into());
        }
        parts.join("&")
    }
}

/// Percent-encodes a query value (levels hold `+`, names spaces).
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Authorisation states' Dutch labels (also for the export).
pub fn state_label(state: &str) -> String {
    crate::domain::authorisation::AuthorisationState::parse(state)
        .map(|s| s.label_nl().to_string())
        .unwrap_or_else(|| state.to_string())
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr;

#[server(endpoint = "list_authorisations", input = Json)]
pub async fn list_authorisations(query: AuthQuery, page: i64) -> Result<AuthPage, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::db::authorisation_list;
            let (state, _id, orgs) = ssr::scope(query.alle).await?;
            let f = ssr::filter(&query, orgs, state.now());
            let mut conn = state.db.pool.acquire().await?;
            let total = authorisation_list::count(&mut conn, &f).await?;
            let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
            let page = page.clamp(1, pages);
            let rows = authorisation_list::page(&mut conn, &f, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
            Ok(AuthPage {
                total,
                page,
                pages,
                lines: rows.into_iter().map(ssr::line).collect(),
            })
        }
        .await,
    )
}

/// People (live means, matching `query`, at most 100) and the catalogue (matching `service_query`).
#[server(endpoint = "grant_choices")]
pub async fn grant_choices(query: String, service_query: String) -> Result<GrantSetup, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::db::overview::{means_page, MeansFilter};
            let (state, id, org) = crate::api::ssr::manager().await?;
            let (_, _, level) = ssr::granter(&id)?;
            let mut conn = state.db.pool.acquire().await?;
            let f = MeansFilter {
                organisation_ids: vec![org],
                person: query.chars().take(100).collect(),
                live_only: true,
                ..Default::default()
            };
            let people = means_page(&mut conn, &f, 0, 100)
                .await?
                .into_iter()
                .filter(|m| crate::server::service::authorisations::can_hold(m.state))
                .map(|m| GrantPerson {
                    name: match m.prefix.as_deref().filter(|p| !p.is_empty()) {
                        Some(p) => format!("{} {} {}", m.given_names, p, m.surname),
                        None => format!("{} {}", m.given_names, m.surname),
                    },
                    means_id: m.means_id,
                    email: m.email,
                    level: m.level.to_string(),
                })
                .collect();
            let services = crate::server::db::services::search(&mut conn, &service_query)
                .await?
                .into_iter()
                .map(|s| ServiceOption {
                    id: s.id,
                    name: s.name,
                    provider: s.provider,
                    level: s.required_level.to_string(),
                })
                .collect();
            Ok(GrantSetup {
                manager_level: level.as_str().into(),
                today_iso: crate::domain::time::date_amsterdam(state.now()).iso(),
                people,
                services,
            })
        }
        .await,
    )
}

#[server(endpoint = "grant_authorisations", input = Json)]
pub async fn grant_authorisations(order: GrantRequest) -> Result<GrantReply, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::domain::authorisation::Term;
            use crate::domain::time::CivilDate;
            use crate::domain::value::AssuranceLevel;
            use crate::server::service::authorisations::{grant, Granter, Target};
            let (state, id, _org) = crate::api::ssr::manager().await?;
            let (account_id, organisation_id, level) = ssr::granter(&id)?;
            if order.means_ids.len() > 1_000 || order.services.len() > 100 {
                return Err(AppError::invalid(
                    "Kies ten hoogste 1000 personen en 100 diensten tegelijk.",
                ));
            }
            let term = Term::parse(&order.term).map_err(AppError::invalid)?;
            let start = CivilDate::parse_iso(&order.start).map_err(AppError::invalid)?;
            let target = if order.up_to_level.trim().is_empty() {
                Target::Services(order.services.clone())
            } else {
                Target::UpToLevel(AssuranceLevel::parse(&order.up_to_level).map_err(AppError::invalid)?)
            };
            let by = Granter {
                account_id: &account_id,
                organisation_id: &organisation_id,
                level,
            };
            let mut tx = state.db.begin().await?;
            let out = grant(&mut tx, &by, &order.means_ids, &target, term, start, state.now()).await?;
            tx.commit().await?;
            crate::server::overview_cache::invalidate();
            Ok(GrantReply {
                granted: out.granted,
                already: out.already,
            })
        }
        .await,
    )
}

#[server(endpoint = "revoke_authorisations", input = Json)]
pub async fn revoke_authorisations(ids: Vec<String>, reason: String) -> Result<usize, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::authorisation_changes::revoke;
            use crate::server::service::authorisations::Granter;
            let (state, id, _org) = crate::api::ssr::manager().await?;
            let (account_id, organisation_id, level) = ssr::granter(&id)?;
            if ids.len() > 1_000 {
                return Err(AppError::invalid("Trek ten hoogste 1000 machtigingen tegelijk in."));
            }
            let by = Granter {
                account_id: &account_id,
                organisation_id: &organisation_id,
                level,
            };
            let mut tx = state.db.begin().await?;
            let n = revoke(&mut tx, &by, &ids, &reason, state.now()).await?;
            tx.commit().await?;
            crate::server::overview_cache::invalidate();
            Ok(n)
        }
        .await,
    )
}

#[server(endpoint = "reactivate_authorisation")]
pub async fn reactivate_authorisation(id: String, term: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::domain::authorisation::Term;
            use crate::server::service::authorisation_changes::reactivate;
            use crate::server::service::authorisations::Granter;
            let (state, ident, _org) = crate::api::ssr::manager().await?;
            let (account_id, organisation_id, level) = ssr::granter(&ident)?;
            let term = Term::parse(&term).map_err(AppError::invalid)?;
            let by = Granter {
                account_id: &account_id,
                organisation_id: &organisation_id,
                level,
            };
            let mut tx = state.db.begin().await?;
            reactivate(&mut tx, &by, &id, term, state.now()).await?;
            tx.commit().await?;
            crate::server::overview_cache::invalidate();
            Ok(())
        }
        .await,
    )
}
