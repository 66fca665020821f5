//! The back-office queue (`/backoffice`, back-office accounts only): ID checks and
//! identification in person. Forms post plainly and answer with a redirect back to the
//! queue with a `?melding=…` code, so the page works without JavaScript.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub request_id: String,
    pub state: String,
    pub waiting_since: String,
    pub name: String,
    pub birth_date: String,
    pub email: String,
    pub organisation: String,
    pub kvk_number: String,
    pub level: String,
    pub employed: bool,
    pub document_id: Option<String>,
    pub document_mime: Option<String>,
    pub can_approve_id: bool,
    pub can_record_in_person: bool,
}

/// The document a person showed at the desk (only its type is recorded, never its number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InPersonDocument {
    Passport,
    IdentityCard,
    DrivingLicence,
}

impl InPersonDocument {
    pub const ALL: [InPersonDocument; 3] = [
        InPersonDocument::Passport,
        InPersonDocument::IdentityCard,
        InPersonDocument::DrivingLicence,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            InPersonDocument::Passport => "passport",
            InPersonDocument::IdentityCard => "identity_card",
            InPersonDocument::DrivingLicence => "driving_licence",
        }
    }
    pub fn label_nl(self) -> &'static str {
        match self {
            InPersonDocument::Passport => "Paspoort",
            InPersonDocument::IdentityCard => "Identiteitskaart",
            InPersonDocument::DrivingLicence => "Rijbewijs",
        }
    }
    pub fn parse(s: &str) -> Option<InPersonDocument> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// The outcome shown above the queue after a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Approved,
    ApprovedInPersonNext,
    Rejected,
    Recorded,
    ReasonNeeded,
    NoDocument,
    Confirm,
    Stale,
}

impl Outcome {
    pub const ALL: [Outcome; 8] = [
        Outcome::Approved,
        Outcome::ApprovedInPersonNext,
        Outcome::Rejected,
        Outcome::Recorded,
        Outcome::ReasonNeeded,
        Outcome::NoDocument,
        Outcome::Confirm,
        Outcome::Stale,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Approved => "goedgekeurd",
            Outcome::ApprovedInPersonNext => "goedgekeurd-balie",
            Outcome::Rejected => "afgewezen",
            Outcome::Recorded => "vastgelegd",
            Outcome::ReasonNeeded => "reden-nodig",
            Outcome::NoDocument => "geen-document",
            Outcome::Confirm => "bevestigen",
            Outcome::Stale => "al-beslist",
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|o| o.code() == s)
    }
    pub fn is_error(self) -> bool {
        matches!(
            self,
            Outcome::ReasonNeeded | Outcome::NoDocument | Outcome::Confirm | Outcome::Stale
        )
    }
    pub fn text(self) -> &'static str {
        match self {
            Outcome::Approved => "Goedgekeurd: het middel is uitgegeven en de aanvrager is per e-mail ingelicht. Het document is verwijderd.",
            Outcome::ApprovedInPersonNext => "Identiteitsbewijs goedgekeurd en verwijderd. Voor EH4 volgt nog identificatie aan de balie.",
            Outcome::Rejected => "Afgewezen: de aanvrager krijgt de reden per e-mail. Het document is verwijderd.",
            Outcome::Recorded => "Identificatie aan de balie vastgelegd: het middel is uitgegeven.",
            Outcome::ReasonNeeded => "Geef bij afwijzen een reden op (5 tot 500 tekens); de aanvrager krijgt die te lezen.",
            Outcome::NoDocument => "Er is nog geen identiteitsbewijs geüpload; er valt nog niets goed te keuren.",
            Outcome::Confirm => "Kies het getoonde document en bevestig dat u de persoon aan de balie heeft geïdentificeerd.",
            Outcome::Stale => "Over deze aanvraag is intussen al beslist, of ze wacht niet meer op deze stap.",
        }
    }
}

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
