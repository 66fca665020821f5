//! Manager registrations and the wizard's drafts. A registration's state is its request's
//! state (`requests.state`); the representatives' answers are a JSON list updated with a
//! compare-and-set on `version`, so two representatives answering at once lose nothing.

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct RegistrationRow {
    pub id: String,
    pub request_id: String,
    pub organisation_id: String,
    pub kvk_number: String,
    pub org_name: String,
    pub branch_number: Option<String>,
    pub extract_date: Option<String>,
    pub arrange_extract: i64,
    pub requested_level: String,
    pub signing: String,
    pub applicant: String,
    pub representatives: String,
    pub contract_holder: String,
    pub submitted_at: i64,
    pub due_min: String,
    pub due_max: String,
    pub version: i64,
}

const COLUMNS: &str = "id, request_id, organisation_id, kvk_number, org_name, branch_number, extract_date, \
    arrange_extract, requested_level, signing, applicant, representatives, contract_holder, submitted_at, due_min, \
    due_max, version";

pub async fn insert(conn: &mut Conn, r: &RegistrationRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO registrations ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    ))
    .bind(&r.id)
    .bind(&r.request_id)
    .bind(&r.organisation_id)
    .bind(&r.kvk_number)
    .bind(&r.org_name)
    .bind(&r.branch_number)
    .bind(&r.extract_date)
    .bind(r.arrange_extract)
    .bind(&r.requested_level)
    .bind(&r.signing)
    .bind(&r.applicant)
    .bind(&r.representatives)
    .bind(&r.contract_holder)
    .bind(r.submitted_at)
    .bind(&r.due_min)
    .bind(&r.due_max)
    .bind(r.version)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn by_request(conn: &mut Conn, request_id: &str) -> Result<Option<RegistrationRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM registrations WHERE request_id = $1"))
        .bind(request_id)
        .fetch_optional(conn)
        .await
}

/// Registrations whose request is in `state`, oldest first.
pub async fn in_state(conn: &mut Conn, state: &str, limit: i64) -> Result<Vec<RegistrationRow>, sqlx::Error> {
    let cols = COLUMNS
        .split(", ")
        .map(|c| format!("g.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    sqlx::query_as(&format!(
        "SELECT {cols} FROM registrations g JOIN requests r ON r.id = g.request_id
         WHERE r.state = $1 ORDER BY g.submitted_at, g.id LIMIT $2"
    ))
    .bind(state)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Stores new representative answers if nobody else changed them since `version`.
pub async fn set_representatives(
    conn: &mut Conn,
    id: &str,
    version: i64,
    representatives: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE registrations SET representatives = $1, version = version + 1 WHERE id = $2 AND version = $3",
    )
    .bind(representatives)
    .bind(id)
    .bind(version)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct DraftRow {
    pub id_sha256: String,
    pub data: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub expires_at: i64,
}

pub async fn find_draft(conn: &mut Conn, id_sha256: &str, now: i64) -> Result<Option<DraftRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id_sha256, data, created_at, updated_at, expires_at FROM registration_drafts
         WHERE id_sha256 = $1 AND expires_at > $2",
    )
    .bind(id_sha256)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Inserts or replaces a draft (portable: delete then insert, in the caller's transaction).
pub async fn save_draft(conn: &mut Conn, row: &DraftRow) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM registration_drafts WHERE id_sha256 = $1")
        .bind(&row.id_sha256)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO registration_drafts (id_sha256, data, created_at, updated_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&row.id_sha256)
    .bind(&row.data)
    .bind(row.created_at)
    .bind(row.updated_at)
    .bind(row.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_draft(conn: &mut Conn, id_sha256: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM registration_drafts WHERE id_sha256 = $1")
        .bind(id_sha256)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes expired drafts; returns their data so the caller deletes their files.
pub async fn take_expired_drafts(conn: &mut Conn, now: i64) -> Result<Vec<String>, sqlx::Error> {
    let data: Vec<String> = sqlx::query_scalar("SELECT data FROM registration_drafts WHERE expires_at <= $1")
        .bind(now)
        .fetch_all(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM registration_drafts WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(data)
}
