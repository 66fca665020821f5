//! The holder's own account changes that take more than one step (`service::account`):
//! a forgotten password (link → code to the verified mobile → new password) and a new
//! mobile number (a code to the new number). The e-mail link and the continuation cookie
//! are stored as SHA-256 only; a flow is finished once and never reopened. The step column
//! holds `FlowStep::as_str()`.

use super::Conn;
use crate::domain::account_flow::{FlowPurpose, FlowStep};

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct FlowRow {
    pub id: String,
    pub account_id: String,
    pub purpose: FlowPurpose,
    pub step: FlowStep,
    pub link_sha256: Option<String>,
    pub session_sha256: Option<String>,
    pub new_mobile_e164: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub finished_at: Option<i64>,
}

impl FlowRow {
    pub fn live(&self, now: i64) -> bool {
        self.finished_at.is_none() && self.expires_at > now
    }
}

const COLUMNS: &str =
    "id, account_id, purpose, step, link_sha256, session_sha256, new_mobile_e164, created_at, expires_at, finished_at";

pub async fn insert(conn: &mut Conn, row: &FlowRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO account_flows ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(&row.id)
    .bind(&row.account_id)
    .bind(row.purpose)
    .bind(row.step)
    .bind(&row.link_sha256)
    .bind(&row.session_sha256)
    .bind(&row.new_mobile_e164)
    .bind(row.created_at)
    .bind(row.expires_at)
    .bind(row.finished_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_by_link(conn: &mut Conn, link_sha256: &str) -> Result<Option<FlowRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM account_flows WHERE link_sha256 = $1"))
        .bind(link_sha256)
        .fetch_optional(conn)
        .await
}

pub async fn find_by_session(conn: &mut Conn, session_sha256: &str) -> Result<Option<FlowRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM account_flows WHERE session_sha256 = $1"
    ))
    .bind(session_sha256)
    .fetch_optional(conn)
    .await
}

/// The newest unfinished, unexpired flow of an account for one purpose.
pub async fn open_of(
    conn: &mut Conn,
    account_id: &str,
    purpose: FlowPurpose,
    now: i64,
) -> Result<Option<FlowRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM account_flows WHERE account_id = $1 AND purpose = $2 AND finished_at IS NULL
           AND expires_at > $3 ORDER BY created_at DESC, id DESC LIMIT 1"
    ))
    .bind(account_id)
    .bind(purpose)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Compare-and-set on the step; `session_sha256` is set with it when given (the link was
/// used and the continuation starts).
pub async fn advance(
    conn: &mut Conn,
    id: &str,
    from: FlowStep,
    to: FlowStep,
    session_sha256: Option<&str>,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE account_flows SET step = $1, session_sha256 = COALESCE($2, session_sha256)
         WHERE id = $3 AND step = $4 AND finished_at IS NULL",
    )
    .bind(to)
    .bind(session_sha256)
    .bind(id)
    .bind(from)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Ends a flow (done, or replaced by a newer one); false when it had ended already.
pub async fn finish(conn: &mut Conn, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE account_flows SET finished_at = $1 WHERE id = $2 AND finished_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}

/// Ends every open flow of an account for one purpose (a new one replaces them).
pub async fn finish_open(
    conn: &mut Conn,
    account_id: &str,
    purpose: FlowPurpose,
    now: i64,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "UPDATE sms_codes SET superseded_at = $1 WHERE superseded_at IS NULL AND used_at IS NULL AND flow_id IN
           (SELECT id FROM account_flows WHERE account_id = $2 AND purpose = $3 AND finished_at IS NULL)",
    )
    .bind(now)
    .bind(account_id)
    .bind(purpose)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query(
        "UPDATE account_flows SET finished_at = $1 WHERE account_id = $2 AND purpose = $3 AND finished_at IS NULL",
    )
    .bind(now)
    .bind(account_id)
    .bind(purpose)
    .execute(conn)
    .await?
    .rows_affected())
}

/// How many flows of one purpose an account started since `since` (a limit on reset
/// e-mails and mobile-change codes).
pub async fn count_since(
    conn: &mut Conn,
    account_id: &str,
    purpose: FlowPurpose,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM account_flows WHERE account_id = $1 AND purpose = $2 AND created_at >= $3")
        .bind(account_id)
        .bind(purpose)
        .bind(since)
        .fetch_one(conn)
        .await
}
