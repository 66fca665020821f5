//! Beheer → Lopende aanvragen (`/beheer/aanvragen`): the organisation's requests, a
//! request's timeline, cancelling one or a selection, and resending its e-mail or SMS.
//! Cancel and resend are plain form posts answering with a redirect and a `?melding=`
//! code ([`Outcome`]), so they work without JavaScript.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 25;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLine {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub person: String,
    pub email: String,
    pub level: String,
    pub state: String,
    pub state_label: String,
    pub requested_by: String,
    pub age: String,
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestList {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub lines: Vec<RequestLine>,
}

/// The query of the list page, as in its URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// `afgerond` for the finished tab, anything else for open requests.
    pub tab: String,
    pub kind: String,
    pub state: String,
    pub q: String,
    /// `nieuw` for newest first; oldest first otherwise.
    pub sort: String,
    pub page: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineItem {
    pub at: String,
    pub label: String,
    pub actor: String,
    pub detail: String,
}

/// Whether and when the e-mail or SMS can be sent again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResendInfo {
    /// `e-mail` or `sms`.
    pub channel: String,
    pub used: i64,
    pub limit: i64,
    /// `None` when a resend is allowed now; otherwise the wait in words ("4 minuten").
    pub wait: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub id: String,
    pub kind_label: String,
    pub state: String,
    pub state_label: String,
    pub person: String,
    pub email: String,
    pub level: String,
    pub requested_by: String,
    pub created: String,
    pub finished: Option<String>,
    pub cancellable: bool,
    pub resend: Option<ResendInfo>,
    pub timeline: Vec<TimelineItem>,
}

/// The message after a cancel or resend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Cancelled,
    NothingChosen,
    Confirm,
    Stale,
    Resent,
    TooSoon,
    NotWaiting,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::Cancelled,
        Outcome::NothingChosen,
        Outcome::Confirm,
        Outcome::Stale,
        Outcome::Resent,
        Outcome::TooSoon,
        Outcome::NotWaiting,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Cancelled => "geannuleerd",
            Outcome::NothingChosen => "niets-gekozen",
            Outcome::Confirm => "bevestigen",
            Outcome::Stale => "al-gewijzigd",
            Outcome::Resent => "opnieuw-verstuurd",
            Outcome::TooSoon => "te-vaak",
            Outcome::NotWaiting => "wacht-niet",
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|o| o.code() == s)
    }
    pub fn is_error(self) -> bool {
        !matches!(self, Outcome::Cancelled | Outcome::Resent)
    }
    pub fn text(self) -> &'static str {
        match self {
            Outcome::Cancelled => "Geannuleerd: de links en sms-codes van de aanvraag werken niet meer.",
            Outcome::NothingChosen => "Kies eerst een of meer aanvragen om te annuleren.",
            Outcome::Confirm => "Vink aan dat u zeker weet dat u wilt annuleren; er is niets geannuleerd.",
            Outcome::Stale => "Niet geannuleerd: een aanvraag is intussen afgerond of al beëindigd. Een afgeronde aanvraag kan niet worden geannuleerd.",
            Outcome::Resent => "Opnieuw verstuurd. De vorige link of sms-code werkt niet meer.",
            Outcome::TooSoon => "Niet verstuurd: de grens voor opnieuw versturen is bereikt. Hieronder staat wanneer het weer kan.",
            Outcome::NotWaiting => "Niet verstuurd: deze aanvraag wacht niet (meer) op een e-mail of sms-code.",
        }
    }
}

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
