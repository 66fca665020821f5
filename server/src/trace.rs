//! Each request's trace: [`request_id`] gives it a [`RequestId`] (in its extensions, for the
//! error texts, and in the `x-request-id` answer header), [`span`] opens the one span its
//! log lines fall in (id, method, matched route, loggable path; the session's person and
//! organisation are recorded into it once known), and [`server_fn_status`] gives a server
//! function's error answer the status of its error (server_fn answers 500 for an error that
//! did not pass `api::ssr::finish`, also for arguments that do not parse, which are the
//! caller's fault: 422) and an internal error the request id to quote. [`init_executor`]
//! keeps the span on the tasks Leptos spawns while it renders a page.

use app::error::AppError;
use app::server::telemetry::{loggable_path, RequestId};
use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::instrument::WithSubscriber;
use tracing::Instrument;

/// The header that carries the request id in every answer.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The largest error body [`server_fn_status`] reads; an `AppError` is far smaller.
const MAX_ERROR_BODY: usize = 16 * 1024;

pub async fn request_id(mut req: Request, next: Next) -> Response {
    let id = RequestId::generate();
    req.extensions_mut().insert(id.clone());
    let mut res = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&id.0) {
        res.headers_mut().insert(REQUEST_ID_HEADER, v);
    }
    res
}

pub fn span(req: &axum::http::Request<Body>) -> tracing::Span {
    let id = req.extensions().get::<RequestId>().map(|r| r.0.as_str()).unwrap_or("-");
    let route = req.extensions().get::<MatchedPath>().map_or("-", |m| m.as_str());
    tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        route = %route,
        path = %loggable_path(req.uri().path()),
        person = tracing::field::Empty,
        organisation = tracing::field::Empty,
    )
}

pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let id = req.extensions().get::<RequestId>().cloned();
    let res = next.run(req).await;
    if !res
        .headers()
        .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let error = match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => serde_json::from_slice::<AppError>(&bytes)
            .unwrap_or_else(|e| AppError::internal(format!("a server function answered an unreadable error: {e}"))),
        Err(_) => AppError::Internal,
    };
    // An internal error leaves with the id under which its cause was logged (the server
    // functions that pass `api::ssr::finish` have done so already).
    let error = error.quoting(id.as_ref());
    parts.status = error.status();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(serde_json::to_vec(&error).unwrap_or_default()))
}

/// Leptos' task spawner: tokio, with each task in the span and under the log subscriber
/// that were current where it was spawned. Plain tokio starts every task outside any span,
/// so what a page's server functions logged while the page rendered on the server (their
/// resources run as such tasks) lost its request's id, route, person and organisation.
struct InSpan;

impl any_spawner::CustomExecutor for InSpan {
    fn spawn(&self, fut: any_spawner::PinnedFuture<()>) {
        tokio::spawn(fut.in_current_span().with_current_subscriber());
    }
    fn spawn_local(&self, fut: any_spawner::PinnedLocalFuture<()>) {
        tokio::task::spawn_local(fut.in_current_span().with_current_subscriber());
    }
    fn poll_local(&self) {}
}

/// Installs [`InSpan`] as Leptos' spawner, once per process, before leptos_axum installs
/// plain tokio (it keeps a spawner that is already there).
pub fn init_executor() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if any_spawner::Executor::init_custom_executor(InSpan).is_err() {
            tracing::warn!(
                "Leptos' task spawner was installed before ours: page tasks log outside their request's span"
            );
        }
    });
}
