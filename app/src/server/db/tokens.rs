//! Verification tokens (activation links, approvals): only the SHA-256 of the raw token is
//! stored; a token is single use, expires, and dies when its request is cancelled.

use super::Conn;

crate::domain::named_enum! {
    /// What a link token is for; the `purpose` column.
    Purpose {
        Activate = "activate", "middel activeren";
        ActivationSession = "activation_session", "activatie voortzetten";
        ApproveRegistration = "approve_registration", "aanmelding goedkeuren";
        RegistrationStatus = "registration_status", "status aanmelding";
        ObjectRegistration = "object_registration", "bezwaar tegen aanmelding";
    }
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct TokenRow {
    pub token_sha256: String,
    pub request_id: String,
    pub purpose: Purpose,
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

pub async fn insert(conn: &mut Conn, row: &TokenRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO verification_tokens (token_sha256, request_id, purpose, created_at, expires_at, used_at, cancelled_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.token_sha256)
    .bind(&row.request_id)
    .bind(row.purpose)
    .bind(row.created_at)
    .bind(row.expires_at)
    .bind(row.used_at)
    .bind(row.cancelled_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Uses a token once: false when it was already used, cancelled or expired (someone else
/// got there first).
pub async fn consume(conn: &mut Conn, token_sha256: &str, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE verification_tokens SET used_at = $1
         WHERE token_sha256 = $2 AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(token_sha256)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Kills the outstanding tokens of one purpose of a request (a new link replaces the old).
pub async fn cancel_purpose(conn: &mut Conn, request_id: &str, purpose: Purpose, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE verification_tokens SET cancelled_at = $1
         WHERE request_id = $2 AND purpose = $3 AND used_at IS NULL AND cancelled_at IS NULL",
    )
    .bind(now)
    .bind(request_id)
    .bind(purpose)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Tokens of one purpose made for a request since `since` (cancelled ones too).
pub async fn count_since(conn: &mut Conn, request_id: &str, purpose: Purpose, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM verification_tokens WHERE request_id = $1 AND purpose = $2 AND created_at > $3",
    )
    .bind(request_id)
    .bind(purpose)
    .bind(since)
    .fetch_one(conn)
    .await
}
