//! Beheer → Machtigingen: the filtered list, granting (with the level rules checked in the
//! browser per person and again here), revoking with a reason and reactivating.

pub use crate::contract::authorisations::*;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The acting manager for the service layer: account, organisation and level.
#[cfg(feature = "ssr")]
fn granter(
    id: &crate::server::auth::session::Identity,
) -> Result<(String, String, crate::domain::value::AssuranceLevel), AppError> {
    let m = id.current_managed().ok_or(AppError::Forbidden)?;
    let level = m.level;
    Ok((id.account.id.clone(), m.id.clone(), level))
}

#[server(endpoint = "list_authorisations", input = Json)]
pub async fn list_authorisations(query: AuthQuery, page: i64) -> Result<AuthPage, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, _id, orgs) = crate::api::ssr::scope(query.alle).await?;
            let mut conn = state.db.pool.acquire().await?;
            crate::server::service::authorisation_list::page(&mut conn, &query, orgs, state.now(), page).await
        }
        .await,
    )
}

/// People (live means, matching `query`, at most 100) and the catalogue (matching `service_query`).
#[server(endpoint = "grant_choices")]
pub async fn grant_choices(query: String, service_query: String) -> Result<GrantSetup, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::authorisation_list::{grant_people, service_options};
            let (state, id, org) = crate::api::ssr::manager().await?;
            let (_, _, level) = granter(&id)?;
            let mut conn = state.db.pool.acquire().await?;
            let people = grant_people(&mut conn, &org, &query).await?;
            let services = service_options(&mut conn, &service_query).await?;
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
            let (account_id, organisation_id, level) = granter(&id)?;
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
            crate::server::overview_cache::invalidate(&state.db).await;
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
            let (account_id, organisation_id, level) = granter(&id)?;
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
            crate::server::overview_cache::invalidate(&state.db).await;
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
            let (account_id, organisation_id, level) = granter(&ident)?;
            let term = Term::parse(&term).map_err(AppError::invalid)?;
            let by = Granter {
                account_id: &account_id,
                organisation_id: &organisation_id,
                level,
            };
            let mut tx = state.db.begin().await?;
            reactivate(&mut tx, &by, &id, term, state.now()).await?;
            tx.commit().await?;
            crate::server::overview_cache::invalidate(&state.db).await;
            Ok(())
        }
        .await,
    )
}
