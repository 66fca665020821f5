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
            let level = id.current_managed().map(|m| m.level.clone()).unwrap_or_default();
            crate::server::service::means_admin::detail(&state, &id.account.id, &level, &org, &means_id).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn back(means_id: &str, outcome: Outcome, why: Option<&str>) {
    let mut href = format!("/beheer/middelen/{means_id}?melding={}", outcome.code());
    if let Some(w) = why {
        href.push_str("&reden=");
        href.push_str(&crate::api::means::encode(w));
    }
    leptos_axum::redirect(&href);
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[server(endpoint = "means/upgrade")]
pub async fn upgrade_means(means_id: String, level: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id, org) = crate::api::ssr::manager().await?;
            let max = id.current_managed().map(|m| m.level.clone()).unwrap_or_default();
            let by = (id.account.id.as_str(), max.as_str(), org.as_str());
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
        assert_eq!(encode("a b/é"), "a%20b%2F%C3%A9");
    }
}
