//! The axum router: Leptos pages and server functions, `/health`, `/metrics`, the dev
//! inbox (only with `DEV_INBOX=1`), static files, and the layers every request passes:
//! tracing, body limit, security headers, Origin check, page guard.

use super::auth::guard::{check_origin, guard_pages, page_csp, security_headers};
use super::metrics;
use super::state::AppState;
use crate::routes::{shell, App};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

/// Largest request body; CSV uploads (10 MiB) arrive in smaller chunks.
pub const BODY_LIMIT: usize = 12 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let ctx_state = state.clone();
    let context = move || {
        provide_context(ctx_state.clone());
        if let (Some(nonce), Some(res)) = (
            leptos::nonce::use_nonce(),
            use_context::<leptos_axum::ResponseOptions>(),
        ) {
            if let Ok(v) = HeaderValue::from_str(&page_csp(nonce.as_inner())) {
                res.insert_header(header::CONTENT_SECURITY_POLICY, v);
            }
        }
    };
    let options = state.leptos_options.clone();
    let mut app = Router::new()
        .route("/health", get(health))
        .route("/metrics", get(metrics_with_token))
        .route("/backoffice/documenten/{id}", get(backoffice_document))
        .route("/overzicht/export.csv", get(super::export::handler))
        .leptos_routes_with_context(&state, routes, context, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(state.clone(), guard_pages))
        .with_state(state.clone());
    if state.config.dev_inbox {
        app = app.merge(super::notify::dev_inbox_router(state.db.clone()));
    }
    app.layer(from_fn_with_state(state.clone(), check_origin))
        .layer(from_fn_with_state(state.clone(), super::auth::throttle::client_addr))
        .layer(from_fn_with_state(state.clone(), security_headers))
        .layer(from_fn(metrics::count_requests))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<axum::body::Body>| {
            tracing::info_span!("http", method = %req.method(), path = %loggable_path(req.uri().path()))
        }))
}

/// Paths whose last part is a link's token (activation, password reset, registration
/// status, a representative's approval, a manager's objection).
const TOKEN_PATHS: [&str; 5] = [
    "/activeren/",
    "/wachtwoord-herstellen/",
    "/registreren/status/",
    "/registreren/goedkeuren/",
    "/registreren/bezwaar/",
];

/// The path as it may appear in logs and spans: a link's token is a secret, so everything
/// after a [`TOKEN_PATHS`] prefix, and any other segment shaped like one of our tokens
/// (43 URL-safe base64 characters), is written as `•••`. Query strings are never logged.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    if let Some(prefix) = TOKEN_PATHS.iter().find(|p| path.starts_with(**p)) {
        return format!("{prefix}•••").into();
    }
    let looks_like_token =
        |seg: &str| seg.len() == 43 && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !path.split('/').any(looks_like_token) {
        return path.into();
    }
    path.split('/')
        .map(|seg| if looks_like_token(seg) { "•••" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
        .into()
}

/// `/metrics` on the public address: only with `Authorization: Bearer $METRICS_TOKEN`.
/// Without a configured token it is not there at all (see [`metrics_router`]).
async fn metrics_with_token(State(state): State<AppState>, headers: axum::http::HeaderMap) -> axum::response::Response {
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Compared as hashes: equal length, no early exit on the first differing byte.
    use super::auth::tokens::sha256_hex;
    if sha256_hex(given.as_bytes()) != sha256_hex(expected.as_bytes()) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response();
    }
    metrics::handler(State(state)).await.into_response()
}

/// The router for `METRICS_BIND`, a listen address of its own (a private network or
/// localhost, for the scraper only): `/metrics` without a token.
pub fn metrics_router(state: AppState) -> Router {
    Router::new().route("/metrics", get(metrics::handler)).with_state(state)
}

/// An uploaded ID document, for the back office only. Never cached, never rendered as a
/// page of ours (sandboxed), downloaded under a neutral name.
async fn backoffice_document(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use super::auth::session::{from_headers, load_identity};
    let identity = match from_headers(&state.config, &headers) {
        Some(t) => load_identity(&state, &t).await.ok().flatten(),
        None => None,
    };
    let Some(identity) = identity else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match super::service::backoffice::document(&state, &identity, &id).await {
        Ok((mime, bytes)) => {
            let ext = crate::domain::document::DocType::from_mime(&mime).map_or("bin", |d| d.extension());
            (
                [
                    (header::CONTENT_TYPE, mime),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("inline; filename=\"identiteitsbewijs.{ext}\""),
                    ),
                    (
                        header::CONTENT_SECURITY_POLICY,
                        "sandbox; default-src 'none'; img-src 'self'; object-src 'self'".to_string(),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => e.status().into_response(),
    }
}

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query("SELECT 1").execute(&state.db.pool).await {
        Ok(_) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({ "status": "ok", "database": "ok" })),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({ "status": "error", "database": "unreachable" })),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn no_token_reaches_a_log_line() {
        let token = "Qm9vZ2llLXdvb2dpZS10b2tlbi1mb3ItdGVzdHMtMTI";
        assert_eq!(token.len(), 43);
        for prefix in super::TOKEN_PATHS {
            let path = format!("{prefix}{token}");
            let logged = loggable_path(&path);
            assert!(!logged.contains(token) && logged.starts_with(prefix), "{logged}");
        }
        let path = format!("/iets/{token}/verder");
        assert_eq!(loggable_path(&path), "/iets/•••/verder");
        let id = "/beheer/aanvragen/0192f0c4-6f0e-7c3a-9d2b-1e2f3a4b5c6d";
        assert_eq!(loggable_path(id), id, "ids stay readable");
        assert_eq!(loggable_path("/inloggen"), "/inloggen");
    }
}
