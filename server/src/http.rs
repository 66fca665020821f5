//! The axum router: Leptos pages and server functions, `/health`, `/metrics`, the dev
//! inbox (only with `DEV_INBOX=1`), static files, and the layers every request passes:
//! request id and trace span ([`crate::trace`]), body limit, security headers, Origin
//! check, page guard. The one place where the screens (`app::routes`) meet the core.

use crate::trace;
use app::routes::{shell, App};
use app::server::auth::guard::{check_origin, guard_pages, page_csp, security_headers};
use app::server::metrics;
use app::server::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::{DefaultOnFailure, TraceLayer};

/// Largest request body; CSV uploads (10 MiB) arrive in smaller chunks.
pub const BODY_LIMIT: usize = 12 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    trace::init_executor();
    let routes = page_routes();
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
        .route("/overzicht/export.csv", get(app::server::export::handler))
        .leptos_routes_with_context(&state, routes, context, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(state.clone(), guard_pages))
        .with_state(state.clone());
    if state.config.dev_inbox {
        app = app.merge(app::server::notify::dev_inbox_router(state.db.clone()));
    }
    app.layer(from_fn_with_state(state.clone(), check_origin))
        .layer(from_fn_with_state(
            state.clone(),
            app::server::auth::throttle::client_addr,
        ))
        .layer(from_fn_with_state(state.clone(), security_headers))
        .layer(from_fn(metrics::count_requests))
        .layer(from_fn(trace::server_fn_status))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(
            // A 500 is logged once, with its cause, where it happened; tower-http's own line
            // for it (without the cause) is only a warning.
            TraceLayer::new_for_http()
                .make_span_with(trace::span)
                .on_failure(DefaultOnFailure::new().level(tracing::Level::WARN)),
        )
        .layer(from_fn(trace::request_id))
}

/// The page routes, generated once per process and reused by every router built after.
/// Generating them renders the app with resource loading switched off for the whole
/// process (leptos_router's `SuppressResourceLoad` is a global flag): a page that another
/// router of this process renders at that moment would wait for its data forever. The
/// server builds one router, but the tests and benchmarks build many while others serve.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
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
    use app::server::auth::tokens::sha256_hex;
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
    request: Option<axum::Extension<app::server::telemetry::RequestId>>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use app::server::auth::session::{from_headers, identify};
    let identity = match from_headers(&state.config, &headers) {
        Some(t) => identify(&state, &t, request.as_deref()).await.ok().flatten(),
        None => None,
    };
    let Some(identity) = identity else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match app::server::service::backoffice::document(&state, &identity, &id).await {
        Ok((mime, bytes)) => {
            let ext = app::domain::document::DocType::from_mime(&mime).map_or("bin", |d| d.extension());
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
