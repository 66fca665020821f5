//! Login, second factor, logout and the organisation switch.

pub use crate::contract::auth::*;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SessionView>, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::api::ssr::request_token;
            use crate::server::auth::session::identify;
            let state = crate::server::state::app_state()?;
            let Some(token) = request_token().await? else {
                return Ok(None);
            };
            let Some(id) = identify(&state, &token, crate::api::ssr::request_id().as_ref()).await? else {
                return Ok(None);
            };
            let org_ref = |m: &crate::server::db::organisations::ManagedRow| OrgRef {
                id: m.id.clone(),
                name: m.name.clone(),
            };
            let organisation = match id.current_managed() {
                Some(m) => Some(org_ref(m)),
                None => match id.session.organisation_id.as_deref() {
                    Some(org_id) => {
                        let mut conn = state.db.pool.acquire().await?;
                        crate::server::db::organisations::find(&mut conn, org_id)
                            .await?
                            .map(|o| OrgRef { id: o.id, name: o.name })
                    }
                    None => None,
                },
            };
            Ok(Some(SessionView {
                display_name: id.display_name.clone(),
                email: id.account.email.clone(),
                organisation,
                managed: id.managed.iter().map(org_ref).collect(),
                is_manager: id.is_manager(),
                is_backoffice: id.is_backoffice(),
            }))
        }
        .await,
    )
}

#[server(endpoint = "login")]
pub async fn login(email: String, password: PasswordInput) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::api::ssr::{request_token, set_cookie};
            use crate::server::auth::password::Secret;
            use crate::server::auth::session;
            use crate::server::service::login::{password_step, PasswordOutcome};
            let state = crate::server::state::app_state()?;
            if email.trim().is_empty() || password.0.is_empty() {
                return Err(AppError::invalid("Vul uw e-mailadres en wachtwoord in."));
            }
            let previous = request_token().await?;
            let client = crate::api::ssr::client().await?;
            match password_step(&state, &email, Secret::new(password.0), previous, client).await {
                Ok(PasswordOutcome::CodeSent { pending, .. }) => {
                    set_cookie(session::set_cookie(&state.config, &pending));
                    leptos_axum::redirect("/inloggen/sms");
                    Ok(())
                }
                Ok(PasswordOutcome::LoggedIn {
                    session: token,
                    landing,
                }) => {
                    set_cookie(session::set_cookie(&state.config, &token));
                    leptos_axum::redirect(landing);
                    Ok(())
                }
                Err(e) => {
                    set_cookie(session::clear_cookie(&state.config));
                    Err(e)
                }
            }
        }
        .await,
    )
}

/// Where the code of the pending login went (masked), or `None` without a pending login.
#[server(endpoint = "pending_login")]
pub async fn pending_login() -> Result<Option<String>, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            match crate::api::ssr::request_token().await? {
                Some(t) => crate::server::service::login::pending_mobile(&state, &t).await,
                None => Ok(None),
            }
        }
        .await,
    )
}

#[server(endpoint = "verify_code")]
pub async fn verify_code(code: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::api::ssr::{request_token, set_cookie};
            use crate::server::auth::session;
            let state = crate::server::state::app_state()?;
            let pending = request_token()
                .await?
                .ok_or_else(|| AppError::invalid(crate::server::service::login::LOGIN_EXPIRED))?;
            let (token, landing) = crate::server::service::login::code_step(&state, &pending, &code).await?;
            set_cookie(session::set_cookie(&state.config, &token));
            leptos_axum::redirect(landing);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "resend_code")]
pub async fn resend_code() -> Result<String, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            let pending = crate::api::ssr::request_token()
                .await?
                .ok_or_else(|| AppError::invalid(crate::server::service::login::LOGIN_EXPIRED))?;
            let client = crate::api::ssr::client().await?;
            let masked = crate::server::service::login::resend_code(&state, &pending, client).await?;
            Ok(format!(
                "Er is een nieuwe code gestuurd naar {masked}. De vorige code werkt niet meer."
            ))
        }
        .await,
    )
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::api::ssr::{request_token, set_cookie};
            let state = crate::server::state::app_state()?;
            if let Some(token) = request_token().await? {
                crate::server::service::login::logout(&state, &token).await?;
            }
            set_cookie(crate::server::auth::session::clear_cookie(&state.config));
            leptos_axum::redirect("/inloggen?uitgelogd=1");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "switch_organisation")]
pub async fn switch_organisation(organisation_id: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            let token = crate::api::ssr::request_token()
                .await?
                .ok_or(AppError::Unauthenticated)?;
            crate::server::service::login::switch_organisation(&state, &token, &organisation_id).await?;
            leptos_axum::redirect("/beheer");
            Ok(())
        }
        .await,
    )
}
