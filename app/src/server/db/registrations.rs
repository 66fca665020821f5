//! Manager registrations, the wizard's drafts and the existing managers' objections. A
//! registration's state is its request's state (`requests.state`); the representatives'
//! answers are a JSON list updated with a compare-and-set on `version`, so two
//! representatives answering at once lose nothing. A draft's e-mail confirmation is a JSON
//! column beside it, changed with a compare-and-set where tries are counted.

use super::Conn;
use crate::domain::request::RequestState;
use crate::domain::value::AssuranceLevel;

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
    pub requested_level: AssuranceLevel,
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
    .bind(r.requested_level)
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
/// The newest registrations whose applicant (stored as JSON) mentions `email`; the caller
/// compares the parsed address exactly.
pub async fn by_applicant_email(conn: &mut Conn, email: &str, limit: i64) -> Result<Vec<RegistrationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM registrations WHERE LOWER(applicant) LIKE $1 ORDER BY submitted_at DESC, id DESC LIMIT $2"
    ))
    .bind(format!("%{}%", email.to_lowercase()))
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn in_state(conn: &mut Conn, state: RequestState, limit: i64) -> Result<Vec<RegistrationRow>, sqlx::Error> {
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
    /// The applicant's e-mail confirmation (JSON, server side only).
    pub email_check: Option<String>,
    /// What the draft's files take on disk together.
    pub file_bytes: i64,
}

pub async fn find_draft(conn: &mut Conn, id_sha256: &str, now: i64) -> Result<Option<DraftRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id_sha256, data, created_at, updated_at, expires_at, email_check, file_bytes FROM registration_drafts
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
        "INSERT INTO registration_drafts (id_sha256, data, created_at, updated_at, expires_at, email_check, file_bytes)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.id_sha256)
    .bind(&row.data)
    .bind(row.created_at)
    .bind(row.updated_at)
    .bind(row.expires_at)
    .bind(&row.email_check)
    .bind(row.file_bytes)
    .execute(conn)
    .await?;
    Ok(())
}

/// What all live drafts keep on disk together.
pub async fn live_draft_bytes(conn: &mut Conn, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(file_bytes), 0) AS BIGINT) FROM registration_drafts WHERE expires_at > $1",
    )
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Stores the applicant's e-mail confirmation of a live draft.
pub async fn set_email_check(conn: &mut Conn, id_sha256: &str, email_check: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE registration_drafts SET email_check = $1 WHERE id_sha256 = $2")
        .bind(email_check)
        .bind(id_sha256)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces the e-mail confirmation only if it is still `before`: false when another
/// request changed it first.
pub async fn swap_email_check(
    conn: &mut Conn,
    id_sha256: &str,
    before: &str,
    after: &str,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE registration_drafts SET email_check = $1 WHERE id_sha256 = $2 AND email_check = $3")
            .bind(after)
            .bind(id_sha256)
            .bind(before)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
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

/// A current manager of an organisation with a given KvK number (any branch).
#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct ManagerContact {
    pub account_id: String,
    pub email: String,
    pub given_names: String,
    pub prefix: Option<String>,
    pub surname: String,
    pub org_name: String,
}

/// Everyone who manages an organisation with KvK number `kvk` now (an active `manage`
/// authorisation on an active means, as at login), once per account.
pub async fn managers_for_kvk(conn: &mut Conn, kvk: &str, now: i64) -> Result<Vec<ManagerContact>, sqlx::Error> {
    let mut rows: Vec<ManagerContact> = sqlx::query_as(
        "SELECT p.id AS account_id, p.email, m.given_names, m.prefix, m.surname, o.name AS org_name
         FROM authorisations a
         JOIN means m ON m.id = a.means_id
         JOIN accounts p ON p.id = m.account_id
         JOIN organisations o ON o.id = a.organisation_id
         WHERE o.kvk_number = $1 AND a.scope = 'manage' AND a.state = 'active'
           AND m.state IN ('active', 'upgrade_pending')
           AND a.valid_from <= $2 AND a.valid_until > $2
         ORDER BY p.email, o.branch_number, o.id",
    )
    .bind(kvk)
    .bind(now)
    .fetch_all(conn)
    .await?;
    rows.dedup_by(|a, b| a.account_id == b.account_id);
    Ok(rows)
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct ObjectionRow {
    pub token_sha256: String,
    pub request_id: String,
    pub account_id: String,
    pub manager_name: String,
    pub notified_at: i64,
    pub objected_at: Option<i64>,
    pub reason: Option<String>,
}

const OBJECTION_COLUMNS: &str = "token_sha256, request_id, account_id, manager_name, notified_at, objected_at, reason";

pub async fn insert_objection(conn: &mut Conn, r: &ObjectionRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO registration_objections ({OBJECTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&r.token_sha256)
    .bind(&r.request_id)
    .bind(&r.account_id)
    .bind(&r.manager_name)
    .bind(r.notified_at)
    .bind(r.objected_at)
    .bind(&r.reason)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn objection(conn: &mut Conn, token_sha256: &str) -> Result<Option<ObjectionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {OBJECTION_COLUMNS} FROM registration_objections WHERE token_sha256 = $1"
    ))
    .bind(token_sha256)
    .fetch_optional(conn)
    .await
}

/// Records the objection once: false when it was recorded already.
pub async fn set_objected(conn: &mut Conn, token_sha256: &str, reason: &str, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE registration_objections SET objected_at = $1, reason = $2 WHERE token_sha256 = $3 AND objected_at IS NULL",
    )
    .bind(now)
    .bind(reason)
    .bind(token_sha256)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The objections made against a registration's request, oldest first.
pub async fn objections_for(conn: &mut Conn, request_id: &str) -> Result<Vec<ObjectionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {OBJECTION_COLUMNS} FROM registration_objections
         WHERE request_id = $1 AND objected_at IS NOT NULL ORDER BY objected_at, token_sha256"
    ))
    .bind(request_id)
    .fetch_all(conn)
    .await
}
