//! A person's means in the current organisation (`/beheer/middelen/{id}`): its
//! authorisations, upgrading it (capped at the manager's level) and cancelling it
//! (*opzeggen*) with a reason. Plain form posts answering with a redirect and `?melding=`.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisationLine {
    pub what: String,
    pub level: String,
    pub state: String,
    pub state_label: String,
    pub valid_until: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeansDetail {
    pub means_id: String,
    pub person: String,
    pub email: String,
    pub level: String,
    pub state: String,
    pub state_label: String,
    pub employed: bool,
    /// Levels the manager may upgrade this means to (empty when no upgrade is possible).
    pub upgrade_levels: Vec<String>,
    /// Why there is no upgrade, when there is none.
    pub upgrade_blocked: Option<String>,
    pub can_cancel: bool,
    /// Why the manager cannot cancel (the last-manager rule), when that applies.
    pub cancel_blocked: Option<String>,
    pub open_request: Option<String>,
    pub authorisations: Vec<AuthorisationLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Upgraded,
    UpgradeStarted,
    Cancelled,
    Confirm,
    Refused,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Upgraded,
        Outcome::UpgradeStarted,
        Outcome::Cancelled,
        Outcome::Confirm,
        Outcome::Refused,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Upgraded => "geupgraded",
            Outcome::UpgradeStarted => "upgrade-gestart",
            Outcome::Cancelled => "opgezegd",
            Outcome::Confirm => "bevestigen",
            Outcome::Refused => "geweigerd",
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|o| o.code() == s)
    }
    pub fn is_error(self) -> bool {
        matches!(self, Outcome::Confirm | Outcome::Refused)
    }
    pub fn text(self) -> &'static str {
        match self {
            Outcome::Upgraded => "Geüpgraded: voor het nieuwe niveau waren geen extra identiteitsstappen nodig.",
            Outcome::UpgradeStarted => "Upgrade aangevraagd: de gebruiker krijgt een e-mail met de stappen. Tot de upgrade rond is, werkt het middel op het oude niveau.",
            Outcome::Cancelled => "Opgezegd: het middel werkt niet meer, de machtigingen zijn ingetrokken en de gebruiker is per e-mail ingelicht.",
            Outcome::Confirm => "Vink aan dat u het middel wilt opzeggen en vul een reden in; er is niets gewijzigd.",
            Outcome::Refused => "Dat kan niet:",
        }
    }
}

#[server(endpoint = "means/detail")]
pub async fn load_means_detail(means_id: String) -> Result<MeansDetail, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id, org) = crate::api::ssr::manager().await?;
            let level = id.current_managed().map(|m| m.level.as_str()).unwrap_or_default();
            crate::server::service::means_admin::detail(&state, &id.account.id, level, &org, &means_id).await
        }
        .await,
    )
}

/// Why an upgrade or cancellation was refused, as a code in the query string (`reden=`):
/// the page shows only these texts, never text from the address bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    LevelInvalid,
    LevelNotHigher,
    LevelAboveOwn,
    NotActive,
    ReasonMissing,
    ReasonTooLong,
    AlreadyEnded,
    LastManager,
    Changed,
    Other,
}

impl Refusal {
    pub const ALL: [Refusal; 10] = [
        Refusal::LevelInvalid,
        Refusal::LevelNotHigher,
        Refusal::LevelAboveOwn,
        Refusal::NotActive,
        Refusal::ReasonMissing,
        Refusal::ReasonTooLong,
        Refusal::AlreadyEnded,
        Refusal::LastManager,
        Refusal::Changed,
        Refusal::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Refusal::LevelInvalid => "niveau-ongeldig",
            Refusal::LevelNotHigher => "niveau-niet-hoger",
            Refusal::LevelAboveOwn => "niveau-boven-eigen",
            Refusal::NotActive => "niet-actief",
            Refusal::ReasonMissing => "reden-nodig",
            Refusal::ReasonTooLong => "reden-te-lang",
            Refusal::AlreadyEnded => "al-beeindigd",
            Refusal::LastManager => "laatste-beheerder",
            Refusal::Changed => "gewijzigd",
            Refusal::Other => "anders",
        }
    }

    pub fn parse(code: &str) -> Option<Refusal> {
        Refusal::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn text(self) -> &'static str {
        match self {
            Refusal::LevelInvalid => "Kies een geldig niveau.",
            Refusal::LevelNotHigher => "Kies een hoger niveau dan het huidige.",
            Refusal::LevelAboveOwn => "U kunt upgraden tot en met uw eigen niveau als beheerder.",
            Refusal::NotActive => "Alleen een actief middel kan worden geüpgraded.",
            Refusal::ReasonMissing => "Vul een reden in voor het opzeggen.",
            Refusal::ReasonTooLong => "De reden is te lang: gebruik maximaal 500 tekens.",
            Refusal::AlreadyEnded => "Dit middel is al opgezegd of verlopen.",
            Refusal::LastManager => {
                "U bent de laatste actieve beheerder van deze organisatie: uw eigen middel kan niet worden opgezegd."
            }
            Refusal::Changed => "Het middel is intussen gewijzigd. Vernieuw de pagina en probeer het opnieuw.",
            Refusal::Other => "Vernieuw de pagina en probeer het opnieuw.",
        }
    }

    /// The code for a service's refusal text.
    #[cfg(feature = "ssr")]
    fn of(message: &str) -> Refusal {
        use crate::server::service::{issuance::RACED, means_cancel::LAST_MANAGER};
        let starts = |p: &str| message.starts_with(p);
        if message == LAST_MANAGER {
            Refusal::LastManager
        } else if message == RACED {
            Refusal::Changed
        } else if starts("Kies een geldig niveau") {
            Refusal::LevelInvalid
        } else if starts("Kies een hoger niveau") {
            Refusal::LevelNotHigher
        } else if starts("U kunt upgraden tot en met") {
            Refusal::LevelAboveOwn
        } else if starts("Vul een reden in") {
            Refusal::ReasonMissing
        } else if starts("De reden is te lang") {
            Refusal::ReasonTooLong
        } else if starts("Dit middel is al opgezegd") {
            Refusal::AlreadyEnded
        } else if message.contains("upgrade starten") {
            Refusal::NotActive
        } else {
            Refusal::Other
        }
    }
}

#[cfg(feature = "ssr")]
fn back(means_id: &str, outcome: Outcome, why: Option<&str>) {
    let mut href = format!("/beheer/middelen/{means_id}?melding={}", outcome.code());
    if let Some(w) = why {
        href.push_str("&reden=");
        href.push_str(Refusal::of(w).code());
    }
    leptos_axum::redirect(&href);
}

#[server(endpoint = "means/upgrade")]
pub async fn upgrade_means(means_id: String, level: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id, org) = crate::api::ssr::manager().await?;
            let max = id.current_managed().map(|m| m.level.as_str()).unwrap_or_default();
            let by = (id.account.id.as_str(), max, org.as_str());
            match crate::server::service::means_admin::upgrade(&state, by, &means_id, &level).await {
                Ok(true) => back(&means_id, Outcome::Upgraded, None),
                Ok(false) => back(&means_id, Outcome::UpgradeStarted, None),
                Err(AppError::Invalid(m) | AppError::Conflict(m)) => back(&means_id, Outcome::Refused, Some(&m)),
                Err(e) => return Err(e),
            }
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "means/cancel")]
pub async fn cancel_means(
    means_id: String,
    #[server(default)] reason: String,
    #[server(default)] confirmed: Option<String>,
) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id, org) = crate::api::ssr::manager().await?;
            if confirmed.is_none() || reason.trim().is_empty() {
                back(&means_id, Outcome::Confirm, None);
                return Ok(());
            }
            match crate::server::service::means_cancel::cancel(&state, &id.account.id, &org, &means_id, &reason).await {
                Ok(()) => back(&means_id, Outcome::Cancelled, None),
                Err(AppError::Invalid(m) | AppError::Conflict(m)) => back(&means_id, Outcome::Refused, Some(&m)),
                Err(e) => return Err(e),
            }
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
        for r in Refusal::ALL {
            assert_eq!(Refusal::parse(r.code()), Some(r));
        }
        assert_eq!(Refusal::parse("Bel ons op 088"), None, "free text is no reason");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn every_service_refusal_has_its_own_code() {
        use crate::server::service::{issuance::RACED, means_cancel::LAST_MANAGER};
        assert_eq!(Refusal::of(LAST_MANAGER), Refusal::LastManager);
        assert_eq!(Refusal::of(RACED), Refusal::Changed);
        assert_eq!(
            Refusal::of("U kunt upgraden tot en met uw eigen niveau (EH3)."),
            Refusal::LevelAboveOwn
        );
        assert_eq!(
            Refusal::of("Kies een hoger niveau dan het huidige (EH3)."),
            Refusal::LevelNotHigher
        );
        assert_eq!(Refusal::of("iets onverwachts"), Refusal::Other);
    }
}
