//! Server-side sessions of an account. The cookie carries a random id; the table keeps only
//! its SHA-256. A session ends at `expires_at` (absolute) or after the idle timeout counted
//! from `last_seen_at`; `manager_orgs` lists the organisations the account managed when the
//! second factor was given (a manager authorisation gained later needs a new login).

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct SessionRow {
    pub id_sha256: String,
    pub account_id: String,
    pub organisation_id: Option<String>,
    pub second_factor_done: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub last_seen_at: i64,
    /// Organisation ids, comma-separated.
    pub manager_orgs: String,
}

impl SessionRow {
    pub fn complete(&self) -> bool {
        self.second_factor_done == 1
    }

    /// Whether Beheer of `organisation_id` was opened by this session's login.
    pub fn opened_for(&self, organisation_id: &str) -> bool {
        self.manager_orgs
            .split(',')
            .any(|o| !o.is_empty() && o == organisation_id)
    }
}

const COLUMNS: &str =
    "id_sha256, account_id, organisation_id, second_factor_done, created_at, expires_at, last_seen_at, manager_orgs";

pub async fn insert(conn: &mut Conn, row: &SessionRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO sessions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&row.id_sha256)
    .bind(&row.account_id)
    .bind(&row.organisation_id)
    .bind(row.second_factor_done)
    .bind(row.created_at)
    .bind(row.expires_at)
    .bind(row.last_seen_at)
    .bind(&row.manager_orgs)
    .execute(conn)
    .await?;
    Ok(())
}

/// A session by the hash of its id that is not past its lifetime (the idle timeout is the
/// caller's: `auth::session`).
pub async fn find_live(conn: &mut Conn, id_sha256: &str, now: i64) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as::<_, SessionRow>(&format!(
        "SELECT {COLUMNS} FROM sessions WHERE id_sha256 = $1 AND expires_at > $2"
    ))
    .bind(id_sha256)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Notes activity (for the idle timeout).
pub async fn touch(conn: &mut Conn, id_sha256: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_sha256 = $2")
        .bind(now)
        .bind(id_sha256)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, id_sha256: &str) -> Result<u64, sqlx::Error> {
    // Codes of a pending login go with it.
    sqlx::query("DELETE FROM sms_codes WHERE session_id = $1")
        .bind(id_sha256)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query("DELETE FROM sessions WHERE id_sha256 = $1")
        .bind(id_sha256)
        .execute(conn)
        .await?
        .rows_affected())
}

pub async fn set_organisation(conn: &mut Conn, id_sha256: &str, organisation_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET organisation_id = $1 WHERE id_sha256 = $2")
        .bind(organisation_id)
        .bind(id_sha256)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_expired(conn: &mut Conn, now: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sms_codes WHERE session_id IN (SELECT id_sha256 FROM sessions WHERE expires_at <= $1)")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
}

/// Ends every session of an account, with their pending codes; `except` keeps one (the
/// holder's own, after they changed their password while logged in).
pub async fn delete_for_account(conn: &mut Conn, account_id: &str, except: Option<&str>) -> Result<u64, sqlx::Error> {
    let keep = except.unwrap_or("");
    sqlx::query(
        "DELETE FROM sms_codes WHERE session_id IN (SELECT id_sha256 FROM sessions WHERE account_id = $1 AND id_sha256 <> $2)",
    )
    .bind(account_id)
    .bind(keep)
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_sha256 <> $2")
            .bind(account_id)
            .bind(keep)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}

/// Ends the account's sessions that work in `organisation_id` (its means there was
/// cancelled).
pub async fn delete_for_account_in(
    conn: &mut Conn,
    account_id: &str,
    organisation_id: &str,
) -> Result<u64, sqlx::Error> {
    sqlx::query(
        "DELETE FROM sms_codes WHERE session_id IN
           (SELECT id_sha256 FROM sessions WHERE account_id = $1 AND organisation_id = $2)",
    )
    .bind(account_id)
    .bind(organisation_id)
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND organisation_id = $2")
            .bind(account_id)
            .bind(organisation_id)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}
