//! Server functions, one file per area: parse input, authorise, call a service, map errors.

pub mod account;
pub mod activation;
pub mod auth;
pub mod authorisations;
pub mod backoffice;
pub mod home;
pub mod me;
pub mod means;
pub mod overview;
pub mod registration_review;
pub mod registration_wizard;
pub mod registrations;
pub mod requests;
pub mod upload;
pub mod users;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    //! What every server function needs from the request.
    use crate::error::{AppError, OrInternal};
    use crate::server::auth::session::{self, Identity};
    use crate::server::auth::tokens::RawToken;
    use crate::server::state::{app_state, AppState};
    use axum::http::HeaderMap;

    pub async fn request_token() -> Result<Option<RawToken>, AppError> {
        cookie(session::COOKIE).await
    }

    /// The client's address, as `auth::throttle::client_addr` resolved it.
    pub async fn client() -> Result<std::net::IpAddr, AppError> {
        let axum::Extension(c): axum::Extension<crate::server::auth::throttle::ClientAddr> =
            leptos_axum::extract().await.or_internal()?;
        Ok(c.0)
    }

    /// Spends one of the client address's `budget`; when it is used up, redirects back to
    /// `back_to` with the network-limit notice and the whole minutes until there is one
    /// again, and answers true: the caller then stops.
    pub async fn over_budget(
        state: &AppState,
        budget: crate::server::auth::throttle::Budget,
        back_to: &str,
    ) -> Result<bool, AppError> {
        let client = client().await?;
        let mut conn = state.db.pool.acquire().await?;
        let Err(wait) = state.limits.take(&mut conn, budget, client, state.now()).await? else {
            return Ok(false);
        };
        let minutes = (wait.as_secs() as i64).div_euclid(60) + 1;
        leptos_axum::redirect(&crate::api::activation::limited(back_to, minutes));
        Ok(true)
    }

    /// The token in the request's cookie `name` (a session, an activation, a reset, a draft).
    pub async fn cookie(name: &str) -> Result<Option<RawToken>, AppError> {
        let headers: HeaderMap = leptos_axum::extract().await.or_internal()?;
        let state = leptos::prelude::expect_context::<AppState>();
        Ok(session::read_cookie(&state.config, &headers, name))
    }

    /// The state and the complete identity, or `Unauthenticated`.
    pub async fn identity() -> Result<(AppState, Identity), AppError> {
        let state = app_state()?;
        let token = request_token().await?.ok_or(AppError::Unauthenticated)?;
        let id = session::identify(&state, &token, request_id().as_ref())
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok((state, id))
    }

    /// As [`identity`], and the organisation the manager works in; `Forbidden` otherwise.
    pub async fn manager() -> Result<(AppState, Identity, String), AppError> {
        let (state, id) = identity().await?;
        let org = id.current_managed().map(|m| m.id.clone()).ok_or(AppError::Forbidden)?;
        Ok((state, id, org))
    }

    /// As [`manager`], and the organisations a read-only query covers: all the manager
    /// manages (`alle`), or the current one.
    pub async fn scope(alle: bool) -> Result<(AppState, Identity, Vec<String>), AppError> {
        let (state, id, org) = manager().await?;
        let orgs = if alle {
            id.managed.iter().map(|m| m.id.clone()).collect()
        } else {
            vec![org]
        };
        Ok((state, id, orgs))
    }

    /// Every server function's result passes through here, so that an error answers with
    /// its own status (422, 401, 403, …) instead of a blanket 500.
    /// An internal error leaves with the request's id, under which its cause was logged.
    pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        let result = result.map_err(|e| e.quoting(request_id().as_ref()));
        if let (Err(e), Some(res)) = (&result, leptos::prelude::use_context::<leptos_axum::ResponseOptions>()) {
            res.set_status(e.status());
        }
        result
    }

    /// The id of the request this server function answers.
    pub fn request_id() -> Option<crate::server::telemetry::RequestId> {
        let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
        parts.extensions.get().cloned()
    }

    pub fn set_cookie(value: axum::http::HeaderValue) {
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            res.append_header(axum::http::header::SET_COOKIE, value);
        }
    }

    /// Sets cookie `name` to `token` for `max_age_ms` (`None` clears it), with the
    /// attributes of every cookie of ours (`session::cookie_header`). Services hand over
    /// the raw token; only here does it become a cookie.
    pub fn put_cookie(config: &crate::server::config::Config, name: &str, token: Option<&RawToken>, max_age_ms: i64) {
        set_cookie(session::cookie_header(config, name, token, max_age_ms / 1000));
    }
}
