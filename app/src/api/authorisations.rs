//! Beheer → Machtigingen: the filtered list, granting (with the level rules checked in the
//! browser per person and again here), revoking with a reason and reactivating.

pub use crate::contract::authorisations::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

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
                .filter(|m| crate::server::service::authorisations::can_hold(&m.state))
                .map(|m| GrantPerson {
                    name: match m.prefix.as_deref().filter(|p| !p.is_empty()) {
                        Some(p) => format!("{} {} {}", m.given_names, p, m.surname),
                        None => format!("{} {}", m.given_names, m.surname),
                    },
                    means_id: m.means_id,
                    email: m.email,
                    level: m.level,
                })
                .collect();
            let services = crate::server::db::services::search(&mut conn, &service_query)
                .await?
                .into_iter()
                .map(|s| ServiceOption {
                    id: s.id,
                    name: s.name,
                    provider: s.provider,
                    level: s.required_level,
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
