//! Verification tokens (activation links, approvals): only the SHA-256 of the raw token is
//! stored; a token is single use, expires, and dies when its request is cancelled.

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct TokenRow {
    pub token_sha256: String,
    pub request_id: String,
    pub purpose: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub cancelled_at: Option<i64>,
}

pub const COLUMNS: [&str; 5] = ["token_sha256", "request_id", "purpose", "created_at", "expires_at"];

pub async fn find(conn: &mut Conn, token_sha256: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT token_sha256, request_id, purpose, created_at, expires_at, used_at, cancelled_at
         FROM verification_tokens WHERE token_sha256 = $1",
    )
    .bind(token_sha256)
    .fetch_optional(conn)
    .await
}

/// Kills every outstanding token of a request (cancel, resend).
pub async fn cancel_for_request(conn: &mut Conn, request_id: &str, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE verification_tokens SET cancelled_at = $1 WHERE request_id = $2 AND used_at IS NULL AND cancelled_at IS NULL",
    )
    .bind(now)
    .bind(request_id)
    .execute(conn)
    .await?
    .rows_affected())
}
