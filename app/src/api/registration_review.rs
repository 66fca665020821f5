//! The back office's review of manager registrations (`/backoffice`, back-office accounts
//! only). Plain forms answering with a redirect to `/backoffice?registratie=…`.

pub use crate::contract::registration_review::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn code_of(result: Result<(), AppError>, ok: ReviewNotice) -> Result<&'static str, AppError> {
    match result {
        Ok(()) => Ok(ok.code()),
        Err(AppError::Invalid(_)) => Ok(ReviewNotice::ReasonNeeded.code()),
        Err(AppError::Conflict(_) | AppError::NotFound) => Ok(ReviewNotice::Decided.code()),
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
            let code = code_of(r, ReviewNotice::Approved)?;
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
            let code = code_of(r, ReviewNotice::Rejected)?;
            leptos_axum::redirect(&format!("/backoffice?registratie={code}"));
            Ok(())
        }
        .await,
    )
}
