//! A person's means in the current organisation (`/beheer/middelen/{id}`): its
//! authorisations, upgrading it (capped at the manager's level) and cancelling it
//! (*opzeggen*) with a reason. Plain form posts answering with a redirect and `?melding=`.

pub use crate::contract::means::*;
use crate::error::AppError;
use leptos::prelude::*;

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

#[cfg(feature = "ssr")]
impl Refusal {
    /// The code for a service's refusal text.
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
