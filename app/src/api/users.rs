//! Beheer → Gebruikers: the people of the current organisation with their means, and
//! requesting means for one or several people by hand.

pub use crate::contract::users::*;
use crate::domain::person_request::RequestFields;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::OrInternal;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(endpoint = "list_people")]
pub async fn list_people(query: String, page: i64) -> Result<PeoplePage, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::domain::time::format_date_amsterdam;
            use crate::server::db::directory;
            let (state, _id, org) = crate::api::ssr::manager().await?;
            let query: String = query.chars().take(100).collect();
            let mut conn = state.db.pool.acquire().await?;
            let total = directory::count(&mut conn, &org, &query).await?;
            let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
            let page = page.clamp(1, pages);
            let rows = directory::page(&mut conn, &org, &query, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
            let lines = rows
                .into_iter()
                .map(|r| PersonLine {
                    name: crate::domain::value::display_name(&r.given_names, r.prefix.as_deref(), &r.surname),
                    state_label: r.state.label_nl().to_string(),
                    means_id: r.means_id,
                    email: r.email,
                    level: r.level.to_string(),
                    state: r.state.to_string(),
                    employed: r.employed == 1,
                    since: format_date_amsterdam(r.since),
                })
                .collect();
            Ok(PeoplePage {
                total,
                page,
                pages,
                lines,
            })
        }
        .await,
    )
}

#[server(endpoint = "form_context")]
pub async fn form_context() -> Result<RequestFormSetup, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id, _org) = crate::api::ssr::manager().await?;
            let level = id.current_managed().map(|m| m.level.to_string()).unwrap_or_default();
            let today = crate::domain::time::date_amsterdam(state.now());
            Ok(RequestFormSetup {
                max_level: level.to_string(),
                today_iso: today.iso(),
            })
        }
        .await,
    )
}

/// Requests means for the people in the form: every row checked again here; all or nothing.
#[server(endpoint = "request_means", input = Json)]
pub async fn request_means(rows: Vec<RequestFields>) -> Result<RequestOutcome, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::domain::person_request::PersonRequest;
            use crate::server::service::means_request::{request_means, Requester};
            let (state, id, org) = crate::api::ssr::manager().await?;
            if rows.is_empty() {
                return Err(AppError::invalid("Vul ten minste één persoon in."));
            }
            if rows.len() > 100 {
                return Err(AppError::invalid(
                    "Met het formulier kunt u tot 100 personen tegelijk aanvragen; gebruik voor meer een CSV-bestand.",
                ));
            }
            let now = state.now();
            let today = crate::domain::time::date_amsterdam(now);
            let max_level = id.current_managed().map(|m| m.level).or_internal()?;
            let mut people = Vec::new();
            let mut errors = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                match PersonRequest::from_fields(row, today, max_level) {
                    Ok(p) => people.push(p),
                    Err(errs) => errors.extend(errs.into_iter().map(|e| (i, e))),
                }
            }
            if !errors.is_empty() {
                return Ok(RequestOutcome {
                    errors,
                    ..Default::default()
                });
            }
            let mut tx = state.db.begin().await?;
            let org_name = id.current_managed().map(|m| m.name.clone()).unwrap_or_default();
            let by = Requester {
                account_id: &id.account.id,
                organisation_id: &org,
                organisation_name: &org_name,
                manager_level: max_level,
                public_url: &state.config.public_url,
                link_ttl_ms: state.config.activation_ttl_ms,
            };
            let outcome = request_means(&mut tx, &by, &people, None, now).await?;
            state.commit_and_wake(tx).await?;
            Ok(RequestOutcome {
                created: outcome.created,
                present: outcome.present,
                errors: Vec::new(),
            })
        }
        .await,
    )
}
