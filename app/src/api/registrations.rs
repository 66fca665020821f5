//! The public side of a manager registration (flow 1) after the wizard: the applicant's
//! status page (and a fresh status link), new links for representatives, the
//! representative's link and an existing manager's objection link (look without using;
//! answer with a POST). The wizard itself is `registration_wizard`. No login anywhere
//! here, so every post spends from the client address's `Forms` budget and a spent budget
//! answers with a notice the server chose (`?melding=netwerk-limiet&over=N`).

pub use crate::contract::registrations::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "registration/status")]
pub async fn registration_status(token: String) -> Result<Option<StatusView>, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            crate::server::service::registration_status::status(&state, &token).await
        }
        .await,
    )
}

/// A fresh status link to the applicant's own address (the status link works 24 hours).
/// The same answer for every well-formed address.
#[server(endpoint = "registration/status_link")]
pub async fn registration_status_link(#[server(default)] email: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            if crate::api::ssr::over_budget(
                &state,
                crate::server::auth::throttle::Budget::Forms,
                "/registreren/status",
            )
            .await?
            {
                return Ok(());
            }
            let code = if crate::server::service::registration_status_link::request(&state, &email) {
                "link-verstuurd"
            } else {
                "email-ongeldig"
            };
            leptos_axum::redirect(&format!("/registreren/status?melding={code}"));
            Ok(())
        }
        .await,
    )
}

/// New links for representatives whose links expired; back to the status page.
#[server(endpoint = "registration/resend")]
pub async fn registration_resend(token: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            if crate::api::ssr::over_budget(
                &state,
                crate::server::auth::throttle::Budget::Forms,
                &format!("/registreren/status/{token}"),
            )
            .await?
            {
                return Ok(());
            }
            let sent = crate::server::service::registration_resend::resend(&state, &token).await?;
            let code = if sent { "verstuurd" } else { "niet-nodig" };
            leptos_axum::redirect(&format!("/registreren/status/{token}?melding={code}"));
            Ok(())
        }
        .await,
    )
}

/// What the representative's link shows. Consumes nothing.
#[server(endpoint = "registration/link")]
pub async fn registration_link(token: String) -> Result<ApprovalView, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            crate::server::service::registration_approval::view(&state, &token).await
        }
        .await,
    )
}

/// The representative's answer: `besluit` is `goedkeuren` or `weigeren`.
#[server(endpoint = "registration/answer")]
pub async fn registration_answer(
    token: String,
    besluit: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            if crate::api::ssr::over_budget(
                &state,
                crate::server::auth::throttle::Budget::Forms,
                &format!("/registreren/goedkeuren/{token}"),
            )
            .await?
            {
                return Ok(());
            }
            let approve = match besluit.as_str() {
                "goedkeuren" => true,
                "weigeren" => false,
                _ => return Err(AppError::invalid("Kies goedkeuren of weigeren.")),
            };
            let to =
                match crate::server::service::registration_approval::answer(&state, &token, approve, &reason).await? {
                    Ok(_) if approve => format!("/registreren/goedkeuren/{token}?melding=goedgekeurd"),
                    Ok(_) => format!("/registreren/goedkeuren/{token}?melding=geweigerd"),
                    Err(_) => format!("/registreren/goedkeuren/{token}"),
                };
            leptos_axum::redirect(&to);
            Ok(())
        }
        .await,
    )
}

/// What an existing manager's objection link shows. Consumes nothing.
#[server(endpoint = "registration/objection_link")]
pub async fn registration_objection_link(token: String) -> Result<ObjectionView, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            crate::server::service::registration_objection::view(&state, &token).await
        }
        .await,
    )
}

/// An existing manager objects to the registration (uses the link once).
#[server(endpoint = "registration/object")]
pub async fn registration_object(token: String, #[server(default)] reason: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            let back = format!("/registreren/bezwaar/{token}");
            if crate::api::ssr::over_budget(&state, crate::server::auth::throttle::Budget::Forms, &back).await? {
                return Ok(());
            }
            let to = match crate::server::service::registration_objection::object(&state, &token, &reason).await? {
                Ok(()) => format!("{back}?melding=bezwaar-ontvangen"),
                Err(_) => back,
            };
            leptos_axum::redirect(&to);
            Ok(())
        }
        .await,
    )
}
