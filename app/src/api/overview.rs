//! Overzicht (flow 8): counts for the current organisation or all the manager manages —
//! means by level and state, authorisations by service and level, open requests by state,
//! what expires within 60 days — each with a link to the list behind it; the person ×
//! service matrix; and the means list behind the means counts.

pub use crate::contract::overview::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "overview")]
pub async fn overview(alle: bool) -> Result<OverviewData, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::overview_cache::{get_or_compute, key};
            let (state, id, orgs) = crate::api::ssr::scope(alle).await?;
            let now = state.now();
            let mut data = get_or_compute(&state.db, key(&orgs, alle), now, || async {
                let mut conn = state.db.pool.acquire().await?;
                crate::server::service::overview::build(&mut conn, &orgs, alle, now).await
            })
            .await?;
            data.organisations = id
                .managed
                .iter()
                .filter(|m| orgs.contains(&m.id))
                .map(|m| m.name.clone())
                .collect();
            Ok(data)
        }
        .await,
    )
}

/// One page of the matrix: the first (no cursor), the one after the row of means `na`, the
/// one before the row of means `voor`, or the last (`laatste`).
#[server(endpoint = "overview_matrix")]
pub async fn overview_matrix(alle: bool, na: String, voor: String, laatste: bool) -> Result<Matrix, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::overview::{cursor, matrix};
            let (state, _id, orgs) = crate::api::ssr::scope(alle).await?;
            let mut conn = state.db.pool.acquire().await?;
            matrix(&mut conn, &orgs, cursor(&na, &voor, laatste)).await
        }
        .await,
    )
}

#[server(endpoint = "overview_means")]
pub async fn overview_means(alle: bool, niveau: String, status: String, page: i64) -> Result<MeansList, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::overview::{means_filter, means_list};
            let (state, _id, orgs) = crate::api::ssr::scope(alle).await?;
            let mut conn = state.db.pool.acquire().await?;
            means_list(&mut conn, &means_filter(orgs, &niveau, &status), page).await
        }
        .await,
    )
}

/// The service catalogue, searchable by name and provider (empty query: all of it).
#[server(endpoint = "service_catalogue")]
pub async fn service_catalogue(query: String) -> Result<Vec<crate::api::authorisations::ServiceOption>, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, _id, _org) = crate::api::ssr::manager().await?;
            let mut conn = state.db.pool.acquire().await?;
            crate::server::service::authorisation_list::service_options(&mut conn, &query).await
        }
        .await,
    )
}
