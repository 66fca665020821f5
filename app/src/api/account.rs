//! The holder's own account: `/mijn` (new password, new mobile number) and the forgotten
//! password (`/inloggen/wachtwoord-vergeten`, then `/wachtwoord-herstellen/{token}` and
//! `/wachtwoord-herstellen`). Plain forms that post here and are redirected back with a
//! [`AccountNotice`] code, so they work without JavaScript. The reset continues on an
//! `HttpOnly` cookie (`bm_herstel`): the link itself is used up.

use crate::api::auth::PasswordInput;
pub use crate::contract::account::*;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn to(path: &str, notice: Option<AccountNotice>) -> String {
    match notice {
        Some(n) => format!("{path}?melding={}", n.code()),
        None => path.to_string(),
    }
}

#[server(endpoint = "account/view")]
pub async fn my_account() -> Result<AccountView, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            crate::server::service::account::view(&state, &id).await
        }
        .await,
    )
}

#[server(endpoint = "account/password")]
pub async fn change_password(
    current: PasswordInput,
    password: PasswordInput,
    repeat: PasswordInput,
) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::auth::password::Secret;
            let (state, id) = crate::api::ssr::identity().await?;
            let n = crate::server::service::account::change_password(
                &state,
                &id,
                Secret::new(current.0),
                Secret::new(password.0),
                Secret::new(repeat.0),
            )
            .await?;
            leptos_axum::redirect(&to("/mijn", Some(n)));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "account/mobile")]
pub async fn change_mobile(mobile: String, current: PasswordInput) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::auth::password::Secret;
            let (state, id) = crate::api::ssr::identity().await?;
            if crate::api::ssr::over_budget(&state, crate::server::auth::throttle::Budget::Sms, "/mijn").await? {
                return Ok(());
            }
            let n = crate::server::service::account::start_mobile_change(&state, &id, &mobile, Secret::new(current.0))
                .await?;
            leptos_axum::redirect(&to("/mijn", Some(n)));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "account/mobile_code")]
pub async fn confirm_mobile(code: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            let n = crate::server::service::account::confirm_mobile_change(&state, &id, &code).await?;
            leptos_axum::redirect(&to("/mijn", Some(n)));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "account/mobile_cancel")]
pub async fn cancel_mobile() -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            let n = crate::server::service::account::cancel_mobile_change(&state, &id).await?;
            leptos_axum::redirect(&to("/mijn", Some(n)));
            Ok(())
        }
        .await,
    )
}

/// Asks for a reset link; the answer is the same for every address.
#[server(endpoint = "password/forgotten")]
pub async fn password_forgotten(email: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            if crate::api::ssr::over_budget(
                &state,
                crate::server::auth::throttle::Budget::Forms,
                "/inloggen/wachtwoord-vergeten",
            )
            .await?
            {
                return Ok(());
            }
            let n = crate::server::service::account::forgotten(&state, &email)?;
            leptos_axum::redirect(&to("/inloggen/wachtwoord-vergeten", Some(n)));
            Ok(())
        }
        .await,
    )
}

/// Whether a reset link still works. Uses nothing (mail scanners open links too).
#[server(endpoint = "password/link")]
pub async fn reset_link(token: String) -> Result<bool, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            crate::server::service::account::link_usable(&state, &token).await
        }
        .await,
    )
}

#[server(endpoint = "password/confirm")]
pub async fn reset_confirm(token: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::account;
            let state = crate::server::state::app_state()?;
            if crate::api::ssr::over_budget(
                &state,
                crate::server::auth::throttle::Budget::Sms,
                "/inloggen/wachtwoord-vergeten",
            )
            .await?
            {
                return Ok(());
            }
            match account::confirm_link(&state, &token).await? {
                Some(cont) => {
                    crate::api::ssr::put_cookie(
                        &state.config,
                        account::RESET_COOKIE,
                        Some(&cont),
                        account::RESET_TTL_MS,
                    );
                    leptos_axum::redirect("/wachtwoord-herstellen");
                }
                None => leptos_axum::redirect(&to("/inloggen/wachtwoord-vergeten", Some(AccountNotice::LinkUnusable))),
            }
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "password/status")]
pub async fn reset_status() -> Result<ResetStep, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(crate::server::service::account::RESET_COOKIE).await?;
            crate::server::service::account::reset_view(&state, cont.as_ref()).await
        }
        .await,
    )
}

#[server(endpoint = "password/code")]
pub async fn reset_code(code: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(crate::server::service::account::RESET_COOKIE).await?;
            let n = crate::server::service::account::reset_code(&state, cont.as_ref(), &code).await?;
            leptos_axum::redirect(&to("/wachtwoord-herstellen", n));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "password/resend")]
pub async fn reset_resend() -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            if crate::api::ssr::over_budget(
                &state,
                crate::server::auth::throttle::Budget::Sms,
                "/wachtwoord-herstellen",
            )
            .await?
            {
                return Ok(());
            }
            let cont = crate::api::ssr::cookie(crate::server::service::account::RESET_COOKIE).await?;
            let n = crate::server::service::account::reset_resend(&state, cont.as_ref()).await?;
            leptos_axum::redirect(&to("/wachtwoord-herstellen", Some(n)));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "password/new")]
pub async fn reset_password(password: PasswordInput, repeat: PasswordInput) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::auth::password::Secret;
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(crate::server::service::account::RESET_COOKIE).await?;
            let n = crate::server::service::account::reset_password(
                &state,
                cont.as_ref(),
                Secret::new(password.0),
                Secret::new(repeat.0),
            )
            .await?;
            leptos_axum::redirect(&to("/wachtwoord-herstellen", n));
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
        let mut codes: Vec<_> = AccountNotice::ALL.iter().map(|n| n.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), AccountNotice::ALL.len());
        for n in AccountNotice::ALL {
            assert_eq!(AccountNotice::parse(n.code()), Some(n));
            assert!(n.text().ends_with('.'), "{n:?}");
        }
        assert_eq!(
            to("/mijn", Some(AccountNotice::CodeWrong)),
            "/mijn?melding=code-onjuist"
        );
    }
}
