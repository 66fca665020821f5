//! Overzicht (flow 8): counts for the current organisation or all the manager manages —
//! means by level and state, authorisations by service and level, open requests by state,
//! what expires within 60 days — each with a link to the list behind it; the person ×
//! service matrix; and the means list behind the means counts.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const LEVELS: [&str; 4] = ["EH2", "EH2+", "EH3", "EH4"];
pub const MATRIX_PAGE: i64 = 20;

/// A number and the list it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub n: i64,
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountRow {
    pub label: String,
    /// One count per level in [`LEVELS`] (empty for rows without levels).
    pub by_level: Vec<Count>,
    pub total: Count,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewData {
    pub all: bool,
    pub organisations: Vec<String>,
    pub means: Vec<CountRow>,
    pub authorisations: Vec<CountRow>,
    pub requests: Vec<CountRow>,
    pub expiring: Count,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixColumn {
    pub key: String,
    pub label: String,
}

/// A cell: the authorisation level, and whether the means is too weak for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub level: String,
    pub too_weak: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub means_level: String,
    pub cells: Vec<Option<MatrixCell>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matrix {
    pub columns: Vec<MatrixColumn>,
    pub rows: Vec<MatrixRow>,
    /// People with a live means in scope (all pages).
    pub total: i64,
    /// Means ids of the first and last row shown: the cursors of the pages around it.
    pub first: Option<String>,
    pub last: Option<String>,
    pub has_prev: bool,
    pub has_next: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeansListLine {
    pub organisation: String,
    pub name: String,
    pub email: String,
    pub level: String,
    pub state: String,
    pub state_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeansList {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub lines: Vec<MeansListLine>,
}

/// `&alle=1` when the overview covers all managed organisations.
pub fn all_suffix(all: bool) -> &'static str {
    if all {
        "&alle=1"
    } else {
        ""
    }
}

pub fn means_state_label(state: &str) -> String {
    crate::domain::means::MeansState::parse(state)
        .map(|s| s.label_nl().to_string())
        .unwrap_or_else(|| state.to_string())
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr;

#[server(endpoint = "overview")]
pub async fn overview(alle: bool) -> Result<OverviewData, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id, orgs) = crate::api::authorisations::ssr::scope(alle).await?;
            use crate::server::overview_cache::{get_or_compute, key};
            let now = state.now();
            let mut data = get_or_compute(key(&orgs, alle), now, || async {
                let mut conn = state.db.pool.acquire().await?;
                ssr::build(&mut conn, &orgs, alle, now).await
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
            use crate::server::db::overview::Cursor;
            let (state, _id, orgs) = crate::api::authorisations::ssr::scope(alle).await?;
            let cursor = match (na.trim(), voor.trim(), laatste) {
                (_, _, true) => Cursor::Last,
                (id, _, _) if !id.is_empty() => Cursor::After(id.chars().take(64).collect()),
                (_, id, _) if !id.is_empty() => Cursor::Before(id.chars().take(64).collect()),
                _ => Cursor::First,
            };
            let mut conn = state.db.pool.acquire().await?;
            ssr::matrix(&mut conn, &orgs, cursor).await
        }
        .await,
    )
}

#[server(endpoint = "overview_means")]
pub async fn overview_means(alle: bool, niveau: String, status: String, page: i64) -> Result<MeansList, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::db::overview::{count_means, means_page, MeansFilter};
            let (state, _id, orgs) = crate::api::authorisations::ssr::scope(alle).await?;
            let f = MeansFilter {
                organisation_ids: orgs,
                level: niveau.chars().take(10).collect(),
                state: status.chars().take(30).collect(),
                ..Default::default()
            };
            let mut conn = state.db.pool.acquire().await?;
            let total = count_means(&mut conn, &f).await?;
            let size = crate::api::authorisations::PAGE_SIZE;
            let pages = ((total + size - 1) / size).max(1);
            let page = page.clamp(1, pages);
            let lines = means_page(&mut conn, &f, (page - 1) * size, size)
                .await?
                .into_iter()
                .map(|m| MeansListLine {
                    organisation: m.organisation_name,
                    name: ssr::person_name(&m.given_names, m.prefix.as_deref(), &m.surname),
                    email: m.email,
                    level: m.level.to_string(),
                    state_label: m.state.label_nl().to_string(),
                    state: m.state.to_string(),
                })
                .collect();
            Ok(MeansList {
                total,
                page,
                pages,
                lines,
            })
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
            Ok(crate::server::db::services::search(&mut conn, &query)
                .await?
                .into_iter()
                .map(|s| crate::api::authorisations::ServiceOption {
                    id: s.id,
                    name: s.name,
                    provider: s.provider,
                    level: s.required_level.to_string(),
                })
                .collect())
        }
        .await,
    )
}
