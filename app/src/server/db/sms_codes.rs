//! SMS codes of login sessions, requests and the holder's own account changes
//! (`account_flows`): at most one live code per owner; a new code supersedes the previous
//! one; tries are counted down atomically.

use super::{new_id, Conn};

#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    Session(&'a str),
    Request(&'a str),
    Flow(&'a str),
}

impl Owner<'_> {
    fn column(&self) -> &'static str {
        match self {
            Owner::Session(_) => "session_id",
            Owner::Request(_) => "request_id",
            Owner::Flow(_) => "flow_id",
        }
    }
    pub fn id(&self) -> &str {
        match self {
            Owner::Session(id) | Owner::Request(id) | Owner::Flow(id) => id,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRow {
    pub id: String,
    pub code_hash: String,
    pub expires_at: i64,
    pub tries_left: i64,
    pub superseded_at: Option<i64>,
    pub used_at: Option<i64>,
}

/// Supersedes any live code of `owner` and stores a new one.
pub async fn replace(
    conn: &mut Conn,
    owner: Owner<'_>,
    code_hash: &str,
    now: i64,
    ttl_ms: i64,
    tries: i64,
) -> Result<String, sqlx::Error> {
    let col = owner.column();
    sqlx::query(&format!(
        "UPDATE sms_codes SET superseded_at = $1 WHERE {col} = $2 AND superseded_at IS NULL AND used_at IS NULL"
    ))
    .bind(now)
    .bind(owner.id())
    .execute(&mut *conn)
    .await?;
    let id = new_id();
    let (session_id, request_id, flow_id) = match owner {
        Owner::Session(s) => (Some(s), None, None),
        Owner::Request(r) => (None, Some(r), None),
        Owner::Flow(f) => (None, None, Some(f)),
    };
    sqlx::query(
        "INSERT INTO sms_codes (id, request_id, session_id, flow_id, code_hash, created_at, expires_at, tries_left)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(request_id)
    .bind(session_id)
    .bind(flow_id)
    .bind(code_hash)
    .bind(now)
    .bind(now + ttl_ms)
    .bind(tries)
    .execute(conn)
    .await?;
    Ok(id)
}

/// The current code of `owner`: the one not superseded, else the newest (live or not), so the
/// caller can say why it no longer works.
pub async fn latest(conn: &mut Conn, owner: Owner<'_>) -> Result<Option<CodeRow>, sqlx::Error> {
    sqlx::query_as::<_, CodeRow>(&format!(
        "SELECT id, code_hash, expires_at, tries_left, superseded_at, used_at FROM sms_codes
         WHERE {} = $1
         ORDER BY CASE WHEN superseded_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT 1",
        owner.column()
    ))
    .bind(owner.id())
    .fetch_optional(conn)
    .await
}

/// Counts one wrong try; returns the tries left, or `None` when the code had none left.
pub async fn spend_try(conn: &mut Conn, id: &str) -> Result<Option<i64>, sqlx::Error> {
    let done = sqlx::query("UPDATE sms_codes SET tries_left = tries_left - 1 WHERE id = $1 AND tries_left > 0")
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if done == 0 {
        return Ok(None);
    }
    let left: i64 = sqlx::query_scalar("SELECT tries_left FROM sms_codes WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(Some(left))
}

/// Marks the code used, once; false when another request used it first.
pub async fn mark_used(conn: &mut Conn, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("UPDATE sms_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL AND superseded_at IS NULL AND tries_left > 0")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected()
        == 1)
}

/// How many codes `owner` has had since `since`.
pub async fn count_since(conn: &mut Conn, owner: Owner<'_>, since: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM sms_codes WHERE {} = $1 AND created_at >= $2",
        owner.column()
    ))
    .bind(owner.id())
    .bind(since)
    .fetch_one(conn)
    .await
}

/// Kills the live code of `owner` without a new one (a cancelled or expired request).
pub async fn supersede(conn: &mut Conn, owner: Owner<'_>, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(&format!(
        "UPDATE sms_codes SET superseded_at = $1 WHERE {} = $2 AND superseded_at IS NULL AND used_at IS NULL",
        owner.column()
    ))
    .bind(now)
    .bind(owner.id())
    .execute(conn)
    .await?
    .rows_affected())
}
