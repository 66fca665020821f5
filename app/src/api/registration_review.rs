//! The back office's review of manager registrations (`/backoffice`, back-office accounts
//! only). Plain forms answering with a redirect to `/backoffice?registratie=…`.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub request_id: String,
    pub org_name: String,
    pub kvk_number: String,
    pub branch_number: Option<String>,
    pub level: String,
    pub submitted: String,
    pub due_min: String,
    pub due_max: String,
    pub overdue: bool,
    pub extract: String,
    pub extract_ok: bool,
    pub manager: String,
    pub manager_email: String,
    pub manager_mobile: String,
    pub manager_birth_date: String,
    pub manager_employed: bool,
    /// Name, e-mail and answer of each representative.
    pub representatives: Vec<(String, String, String)>,
    pub contract: String,
    /// Objections of the organisation's existing managers: name, when, reason (may be empty).
    #[serde(default)]
    pub objections: Vec<(String, String, String)>,
    /// Id, description and type of each document still on file.
    pub documents: Vec<(String, String, String)>,
}

/// The message after a decision, by its code in `?registratie=…`.
pub fn outcome_text(code: &str) -> Option<(bool, &'static str)> {
    Some(match code {
        "goedgekeurd" => (false, "Aanmelding goedgekeurd: de beheerder krijgt een activatie-e-mail en is beheerder zodra het middel actief is. De documenten zijn verwijderd."),
        "afgewezen" => (false, "Aanmelding afgewezen: de aanvrager krijgt de reden per e-mail. De documenten zijn verwijderd."),
        "reden-nodig" => (true, "Geef bij afwijzen een reden op (5 tot 500 tekens); de aanvrager krijgt die te lezen."),
        "al-beslist" => (true, "Over deze aanmelding is intussen al beslist."),
        _ => return None,
    })
}

#[cfg(feature = "ssr")]
fn code_of(result: Result<(), AppError>, ok: &'static str) -> Result<&'static str, AppError> {
    match result {
        Ok(()) => Ok(ok),
        Err(AppError::Invalid(_)) => Ok("reden-nodig"),
        Err(AppError::Conflict(_) | AppError::NotFound) => Ok("al-beslist"),
        Err(e) => Err(e),
    }
}

#[server(endpoint = "backoffice/registrations")]
pub async fn registration_queue() -> Result<Vec<ReviewItem>, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            crate::server::service::registration_review::queue(&state, &id).await
        }
        .await,
    )
}

#[server(endpoint = "backoffice/registration_approve")]
pub async fn registration_approve(request_id: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            let r = crate::server::service::registration_review::approve(&state, &id, &request_id).await;
            let code = code_of(r, "goedgekeurd")?;
            leptos_axum::redirect(&format!("/backoffice?registratie={code}"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "backoffice/registration_reject")]
pub async fn registration_reject(request_id: String, reason: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            let r = crate::server::service::registration_review::reject(&state, &id, &request_id, &reason).await;
            let code = code_of(r, "afgewezen")?;
            leptos_axum::redirect(&format!("/backoffice?registratie={code}"));
            Ok(())
        }
        .await,
    )
}
