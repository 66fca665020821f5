//! Activation on the phone (flow 4): the e-mail link, the SMS code, the own password and,
//! where the level needs it, the ID upload.
//!
//! The pages post plain HTML forms to these functions and every function answers with a
//! redirect (`/activeren`, with `?melding=…` naming a [`Notice`]), so the flow is the same
//! with and without JavaScript. After the link is confirmed, the flow continues on a
//! separate `HttpOnly` cookie (`bm_activatie`): the link itself is used up.

pub use crate::contract::activation::*;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::OrInternal;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// Where a form post goes next.
pub fn after(notice: Option<Notice>) -> String {
    match notice {
        Some(n) => format!("/activeren?melding={}", n.code()),
        None => "/activeren".to_string(),
    }
}

/// Back to `path` saying the client address's budget is spent, and for how many minutes.
pub fn limited(path: &str, minutes: i64) -> String {
    format!("{path}?melding=netwerk-limiet&over={}", minutes.clamp(1, 1440))
}

/// What the link page shows. Consumes nothing: mail scanners open links too.
#[server(endpoint = "activation/link")]
pub async fn activation_link(token: String) -> Result<LinkView, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            crate::server::service::activation::link_view(&state, &token).await
        }
        .await,
    )
}

/// Confirms the e-mail address: uses the link once, starts the activation cookie, sends
/// the SMS code.
#[server(endpoint = "activation/confirm")]
pub async fn confirm_activation(token: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            if crate::api::ssr::over_budget(&state, crate::server::auth::throttle::Budget::Sms, "/activeren").await? {
                return Ok(());
            }
            match activation::confirm_link(&state, &token).await? {
                Ok(cont) => {
                    let ttl = state.config.activation_ttl_ms;
                    crate::api::ssr::put_cookie(&state.config, activation::COOKIE, Some(&cont), ttl);
                    leptos_axum::redirect(&after(None));
                }
                // Back to the link page, which says why the link no longer works.
                Err(_) => leptos_axum::redirect(&format!("/activeren/{token}")),
            }
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "activation/view")]
pub async fn activation_status() -> Result<ActivationView, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            activation::view(&state, cont.as_ref()).await
        }
        .await,
    )
}

#[server(endpoint = "activation/code")]
pub async fn activation_code(code: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            let notice = activation::verify_code(&state, cont.as_ref(), &code).await?;
            leptos_axum::redirect(&after(notice));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "activation/resend")]
pub async fn activation_resend() -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            if crate::api::ssr::over_budget(&state, crate::server::auth::throttle::Budget::Sms, "/activeren").await? {
                return Ok(());
            }
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            let notice = activation::resend_code(&state, cont.as_ref()).await?;
            leptos_axum::redirect(&after(Some(notice)));
            Ok(())
        }
        .await,
    )
}

/// The account's own password, where the address has one (no new password is chosen).
#[server(endpoint = "activation/prove")]
pub async fn activation_prove(password: crate::api::auth::PasswordInput) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::auth::password::Secret;
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            if crate::api::ssr::over_budget(&state, crate::server::auth::throttle::Budget::Sms, "/activeren").await? {
                return Ok(());
            }
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            let notice = activation::prove_password(&state, cont.as_ref(), Secret::new(password.0)).await?;
            leptos_axum::redirect(&after(notice));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "activation/password")]
pub async fn activation_password(
    password: crate::api::auth::PasswordInput,
    repeat: crate::api::auth::PasswordInput,
) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::auth::password::Secret;
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            let notice =
                activation::set_password(&state, cont.as_ref(), Secret::new(password.0), Secret::new(repeat.0)).await?;
            leptos_axum::redirect(&after(notice));
            Ok(())
        }
        .await,
    )
}

/// The ID document, as a multipart form with one file field `document`.
#[server(endpoint = "activation/document", input = MultipartFormData)]
pub async fn activation_document(data: MultipartData) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            let mut form = data.into_inner().or_internal()?;
            let mut bytes = Vec::new();
            let mut too_large = false;
            while let Ok(Some(mut field)) = form.next_field().await {
                if field.name() != Some("document") {
                    continue;
                }
                while let Ok(Some(chunk)) = field.chunk().await {
                    if bytes.len() + chunk.len() > crate::domain::document::MAX_BYTES {
                        too_large = true;
                        break;
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            let notice = if too_large {
                Some(Notice::FileTooLarge)
            } else {
                activation::upload_document(&state, cont.as_ref(), &bytes).await?
            };
            leptos_axum::redirect(&after(notice));
            Ok(())
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_codes_are_unique_and_round_trip() {
        let mut codes: Vec<_> = Notice::ALL.iter().map(|n| n.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Notice::ALL.len());
        for n in Notice::ALL {
            assert_eq!(Notice::parse(n.code()), Some(n));
            assert!(!n.text().is_empty());
        }
        assert_eq!(after(Some(Notice::CodeWrong)), "/activeren?melding=code-onjuist");
        assert_eq!(after(None), "/activeren");
    }
}
