//! Server-side sessions. The cookie carries a random id; the table keeps only its SHA-256.

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id_sha256: String,
    pub person_id: String,
    pub organisation_id: Option<String>,
    pub second_factor_done: i64,
    pub created_at: i64,
    pub expires_at: i64,
}

impl SessionRow {
    pub fn complete(&self) -> bool {
        self.second_factor_done == 1
    }
}

pub async fn insert(conn: &mut Conn, row: &SessionRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_sha256, person_id, organisation_id, second_factor_done, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&row.id_sha256)
    .bind(&row.person_id)
    .bind(&row.organisation_id)
    .bind(row.second_factor_done)
    .bind(row.created_at)
    .bind(row.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A live (unexpired) session by the hash of its id.
pub async fn find_live(conn: &mut Conn, id_sha256: &str, now: i64) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as::<_, SessionRow>(
        "SELECT id_sha256, person_id, organisation_id, second_factor_done, created_at, expires_at
         FROM sessions WHERE id_sha256 = $1 AND expires_at > $2",
    )
    .bind(id_sha256)
    .bind(now)
    .fetch_optional(conn)
    .await
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

/// Ends every session of a person (after a new password), with their pending codes.
pub async fn delete_for_person(conn: &mut Conn, person_id: &str) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sms_codes WHERE session_id IN (SELECT id_sha256 FROM sessions WHERE person_id = $1)")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query("DELETE FROM sessions WHERE person_id = $1")
        .bind(person_id)
        .execute(conn)
        .await?
        .rows_affected())
}
