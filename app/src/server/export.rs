//! `GET /overzicht/export.csv`: the overview or a list behind it as CSV
//! (`domain::csv_export`: `;`, UTF-8 with BOM, formula cells neutralised), for the
//! current organisation or (`alle=1`) all that the manager manages.
//!
//! `lijst=overzicht` (default) the counts; `lijst=machtigingen` the authorisations with
//! the filters of Beheer → Machtigingen; `lijst=middelen` the means by `niveau`/`status`.

use super::auth::session::{from_headers, identify};
use super::db::authorisation_list;
use super::service::authorisation_list::{filter, line};
use super::service::overview as ov;
use super::state::AppState;
use super::telemetry::RequestId;
use crate::contract::authorisations::AuthQuery;
use crate::contract::overview::LEVELS;
use crate::domain::csv_export::CsvWriter;
use crate::error::AppError;
use axum::extract::{Extension, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

/// Largest export; more rows than this are cut off with a note on the last line.
pub const MAX_ROWS: i64 = 250_000;

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ExportQuery {
    pub lijst: String,
    pub persoon: String,
    pub dienst: String,
    pub status: String,
    pub niveau: String,
    pub verloopt: String,
    pub alle: String,
}

fn yes(s: &str) -> bool {
    matches!(s, "1" | "true" | "ja")
}

pub async fn handler(
    State(state): State<AppState>,
    Query(q): Query<ExportQuery>,
    request: Option<Extension<RequestId>>,
    headers: HeaderMap,
) -> Response {
    match export(&state, &q, request.as_deref(), &headers).await {
        Ok((name, body)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CACHE_CONTROL, "no-store".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            body,
        )
            .into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

async fn export(
    state: &AppState,
    q: &ExportQuery,
    request: Option<&RequestId>,
    headers: &HeaderMap,
) -> Result<(String, String), AppError> {
    let token = from_headers(&state.config, headers).ok_or(AppError::Unauthenticated)?;
    let id = identify(state, &token, request)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let current = id.current_managed().ok_or(AppError::Forbidden)?.id.clone();
    let all = yes(&q.alle);
    let orgs: Vec<String> = if all {
        id.managed.iter().map(|m| m.id.clone()).collect()
    } else {
        vec![current]
    };
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let mut w = CsvWriter::new();
    let date = crate::domain::time::date_amsterdam(now).iso();
    let name = match q.lijst.as_str() {
        "machtigingen" => {
            let aq = AuthQuery {
                persoon: q.persoon.clone(),
                dienst: q.dienst.clone(),
                status: q.status.clone(),
                niveau: q.niveau.clone(),
                verloopt: yes(&q.verloopt),
                alle: all,
            };
            let f = filter(&aq, orgs, now);
            w.row([
                "organisatie",
                "naam",
                "e-mailadres",
                "niveau middel",
                "dienst",
                "niveau",
                "status",
                "geldig vanaf",
                "geldig tot",
                "reden intrekking",
                "middel te zwak",
            ]);
            for r in authorisation_list::page(&mut conn, &f, 0, MAX_ROWS).await? {
                let l = line(r);
                let weak = if l.too_weak { "ja" } else { "nee" };
                let reason = l.revoked_reason.clone().unwrap_or_default();
                w.row([
                    &l.organisation,
                    &l.person,
                    &l.email,
                    &l.means_level,
                    &l.service,
                    &l.level,
                    &l.state_label,
                    &l.valid_from,
                    &l.valid_until,
                    &reason,
                    &weak.to_string(),
                ]);
            }
            format!("machtigingen-{date}.csv")
        }
        "middelen" => {
            let f = ov::means_filter(orgs, &q.niveau, &q.status);
            w.row(["organisatie", "naam", "e-mailadres", "niveau", "status"]);
            for m in super::db::overview::means_page(&mut conn, &f, 0, MAX_ROWS).await? {
                let l = ov::means_line(m);
                w.row([l.organisation, l.name, l.email, l.level, l.state_label]);
            }
            format!("middelen-{date}.csv")
        }
        _ => {
            let data = ov::build(&mut conn, &orgs, all, now).await?;
            let mut head = vec!["onderdeel".to_string(), "omschrijving".to_string()];
            head.extend(LEVELS.iter().map(|l| l.to_string()));
            head.push("totaal".into());
            w.row(&head);
            for (part, rows) in [
                ("middelen", &data.means),
                ("machtigingen", &data.authorisations),
                ("lopende aanvragen", &data.requests),
            ] {
                for r in rows {
                    let mut cells = vec![part.to_string(), r.label.clone()];
                    cells.extend(r.by_level.iter().map(|c| c.n.to_string()));
                    cells.resize(2 + LEVELS.len(), String::new());
                    cells.push(r.total.n.to_string());
                    w.row(&cells);
                }
            }
            let mut cells = vec!["verloopt binnen 60 dagen".to_string(), "machtigingen".to_string()];
            cells.resize(2 + LEVELS.len(), String::new());
            cells.push(data.expiring.n.to_string());
            w.row(&cells);
            format!("overzicht-{date}.csv")
        }
    };
    Ok((name, w.finish()))
}
