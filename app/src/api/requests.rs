//! Beheer → Lopende aanvragen (`/beheer/aanvragen`): the organisation's requests, a
//! request's timeline, cancelling one or a selection, and resending its e-mail or SMS.
//! Cancel and resend are plain form posts answering with a redirect and a `?melding=`
//! code ([`Outcome`]), so they work without JavaScript.

pub use crate::contract::requests::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Where a cancel or resend goes back to: the detail page of one request, or the list.
pub fn back(request_id: Option<&str>, outcome: Outcome) -> String {
    match request_id {
        Some(id) => format!("/beheer/aanvragen/{id}?melding={}", outcome.code()),
        None => format!("/beheer/aanvragen?melding={}", outcome.code()),
    }
}

#[server(endpoint = "requests/list")]
pub async fn list_requests(query: ListQuery) -> Result<RequestList, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, _id, org) = crate::api::ssr::manager().await?;
            crate::server::service::requests::list(&state, &org, &query).await
        }
        .await,
    )
}

#[server(endpoint = "requests/detail")]
pub async fn load_request_detail(request_id: String) -> Result<RequestDetail, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, _id, org) = crate::api::ssr::manager().await?;
            crate::server::service::requests::detail(&state, &org, &request_id).await
        }
        .await,
    )
}

/// Cancels the chosen requests (`ids[0]`, `ids[1]`, …), all or none; `confirmed` is the
/// confirmation checkbox; `from` is the request id when posted from its detail page.
#[server(endpoint = "requests/cancel")]
pub async fn cancel_requests(
    #[server(default)] ids: Vec<String>,
    #[server(default)] confirmed: Option<String>,
    #[server(default)] from: Option<String>,
) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id, org) = crate::api::ssr::manager().await?;
            let from = from.filter(|f| !f.is_empty());
            if ids.len() > 500 {
                return Err(AppError::invalid("Kies ten hoogste 500 aanvragen tegelijk."));
            }
            let outcome = if ids.is_empty() {
                Outcome::NothingChosen
            } else if confirmed.is_none() {
                Outcome::Confirm
            } else {
                match crate::server::service::requests::cancel(&state, &id.account.id, &org, &ids).await {
                    Ok(_) => Outcome::Cancelled,
                    Err(AppError::Conflict(_)) => Outcome::Stale,
                    Err(e) => return Err(e),
                }
            };
            leptos_axum::redirect(&back(from.as_deref(), outcome));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "requests/resend")]
pub async fn resend_message(request_id: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id, org) = crate::api::ssr::manager().await?;
            let outcome =
                match crate::server::service::requests::resend(&state, &id.account.id, &org, &request_id).await {
                    Ok(()) => Outcome::Resent,
                    Err(AppError::RateLimited) => Outcome::TooSoon,
                    Err(AppError::Conflict(_)) => Outcome::NotWaiting,
                    Err(e) => return Err(e),
                };
            leptos_axum::redirect(&back(Some(&request_id), outcome));
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
        assert_eq!(back(None, Outcome::Cancelled), "/beheer/aanvragen?melding=geannuleerd");
        assert_eq!(
            back(Some("x"), Outcome::Resent),
            "/beheer/aanvragen/x?melding=opnieuw-verstuurd"
        );
    }
}
