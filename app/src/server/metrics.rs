//! `/metrics` in the Prometheus text format: request counts by status class (counted in a
//! middleware) and a few gauges read from the database at scrape time.

use super::state::AppState;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

static REQUESTS: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];
static SEND_FAILURES: AtomicU64 = AtomicU64::new(0);

/// Counts a failed send attempt of this process's delivery worker.
pub fn send_failed() {
    SEND_FAILURES.fetch_add(1, Ordering::Relaxed);
}

pub async fn count_requests(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let class = (res.status().as_u16() / 100).clamp(1, 5) as usize - 1;
    REQUESTS[class].fetch_add(1, Ordering::Relaxed);
    res
}

async fn scalar(state: &AppState, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&state.db.pool)
        .await
        .unwrap_or(-1)
}

pub async fn handler(State(state): State<AppState>) -> impl IntoResponse {
    let now = state.now();
    let mut out = String::new();
    out.push_str("# HELP beheermodule_http_requests_total HTTP responses by status class.\n");
    out.push_str("# TYPE beheermodule_http_requests_total counter\n");
    for (i, c) in REQUESTS.iter().enumerate() {
        let _ = writeln!(
            out,
            "beheermodule_http_requests_total{{class=\"{}xx\"}} {}",
            i + 1,
            c.load(Ordering::Relaxed)
        );
    }
    out.push_str("# HELP beheermodule_outbox_send_failures_total Failed send attempts by this process.\n");
    out.push_str("# TYPE beheermodule_outbox_send_failures_total counter\n");
    let _ = writeln!(
        out,
        "beheermodule_outbox_send_failures_total {}",
        SEND_FAILURES.load(Ordering::Relaxed)
    );
    let gave_up = crate::server::db::outbox::GAVE_UP_AT;
    let gauges: [(&str, &str, String); 8] = [
        (
            "outbox_pending",
            "Messages waiting for delivery.",
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL".into(),
        ),
        (
            "outbox_failing",
            "Undelivered messages that failed at least once.",
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND attempts > 0".into(),
        ),
        (
            "outbox_attempts",
            "Failed attempts so far of the messages waiting for delivery.",
            // SUM is NUMERIC on PostgreSQL: cast back to the BIGINT a gauge reads.
            format!(
                "SELECT CAST(COALESCE(SUM(attempts), 0) AS BIGINT) FROM outbox \
                 WHERE delivered_at IS NULL AND next_attempt_at <> {gave_up}"
            ),
        ),
        (
            "outbox_backoff_seconds",
            "Longest wait until the next try among the messages backing off.",
            format!(
                "SELECT COALESCE((MAX(next_attempt_at) - {now}) / 1000, 0) FROM outbox \
                 WHERE delivered_at IS NULL AND attempts > 0 AND next_attempt_at > {now} AND next_attempt_at <> {gave_up}"
            ),
        ),
        (
            "outbox_given_up",
            "Messages given up after too many failed attempts.",
            format!("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND next_attempt_at = {gave_up}"),
        ),
        (
            "sessions_active",
            "Live sessions.",
            format!("SELECT COUNT(*) FROM sessions WHERE expires_at > {now}"),
        ),
        (
            "organisations",
            "Organisations.",
            "SELECT COUNT(*) FROM organisations".into(),
        ),
        (
            "requests_open",
            "Requests not in a final state.",
            "SELECT COUNT(*) FROM requests WHERE state NOT IN ('completed','cancelled','rejected','refused','expired')"
                .into(),
        ),
    ];
    for (name, help, sql) in gauges {
        let v = scalar(&state, &sql).await;
        let _ = writeln!(
            out,
            "# HELP beheermodule_{name} {help}\n# TYPE beheermodule_{name} gauge\nbeheermodule_{name} {v}"
        );
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        out,
    )
}
