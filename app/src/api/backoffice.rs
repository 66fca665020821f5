//! The back-office queue (`/backoffice`, back-office accounts only): ID checks and
//! identification in person. Forms post plainly and answer with a redirect back to the
//! queue with a `?melding=…` code, so the page works without JavaScript.

pub use crate::contract::backoffice::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Where a decision's form post goes next.
pub fn back(outcome: Outcome) -> String {
    format!("/backoffice?melding={}", outcome.code())
}

#[server(endpoint = "backoffice/queue")]
pub async fn backoffice_queue() -> Result<Vec<QueueItem>, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            crate::server::service::backoffice::queue(&state, &id).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn outcome_of(e: AppError) -> Result<Outcome, AppError> {
    match e {
        AppError::Invalid(_) => Ok(Outcome::ReasonNeeded),
        AppError::Conflict(m) if m.contains("geen identiteitsbewijs") => Ok(Outcome::NoDocument),
        AppError::Conflict(_) | AppError::NotFound => Ok(Outcome::Stale),
        other => Err(other),
    }
}

#[server(endpoint = "backoffice/approve")]
pub async fn backoffice_approve(request_id: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::domain::request::RequestState;
            let (state, id) = crate::api::ssr::identity().await?;
            let outcome = match crate::server::service::backoffice::approve_id(&state, &id, &request_id).await {
                Ok(RequestState::AwaitingInPerson) => Outcome::ApprovedInPersonNext,
                Ok(_) => Outcome::Approved,
                Err(e) => outcome_of(e)?,
            };
            leptos_axum::redirect(&back(outcome));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "backoffice/reject")]
pub async fn backoffice_reject(request_id: String, reason: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            let outcome = match crate::server::service::backoffice::reject(&state, &id, &request_id, &reason).await {
                Ok(()) => Outcome::Rejected,
                Err(e) => outcome_of(e)?,
            };
            leptos_axum::redirect(&back(outcome));
            Ok(())
        }
        .await,
    )
}

/// `confirmed` is the checkbox "identified in person" (`on` when ticked).
#[server(endpoint = "backoffice/in_person")]
pub async fn backoffice_in_person(
    request_id: String,
    document: String,
    #[server(default)] confirmed: Option<String>,
) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            let outcome = match (InPersonDocument::parse(&document), confirmed.is_some()) {
                (Some(doc), true) => {
                    match crate::server::service::backoffice::record_in_person(&state, &id, &request_id, doc).await {
                        Ok(()) => Outcome::Recorded,
                        Err(e) => outcome_of(e)?,
                    }
                }
                _ => Outcome::Confirm,
            };
            leptos_axum::redirect(&back(outcome));
            Ok(())
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.code()), Some(o));
        }
        for d in InPersonDocument::ALL {
            assert_eq!(InPersonDocument::parse(d.as_str()), Some(d));
        }
        assert_eq!(back(Outcome::Rejected), "/backoffice?melding=afgewezen");
    }
}
