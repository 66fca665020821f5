//! Authorisations: a means may act for its organisation at one service, at all services up
//! to a level, or (scope `manage`) manage the organisation up to a level.

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct AuthorisationRow {
    pub id: String,
    pub means_id: String,
    pub organisation_id: String,
    pub scope: String,
    pub service_id: Option<String>,
    pub level: String,
    pub valid_from: i64,
    pub valid_until: i64,
    pub state: String,
    pub revoked_reason: Option<String>,
    pub granted_by: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, means_id, organisation_id, scope, service_id, level, valid_from, valid_until, state, revoked_reason, granted_by, created_at, updated_at";

pub async fn insert(conn: &mut Conn, row: &AuthorisationRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO authorisations ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .bind(&row.id)
    .bind(&row.means_id)
    .bind(&row.organisation_id)
    .bind(&row.scope)
    .bind(&row.service_id)
    .bind(&row.level)
    .bind(row.valid_from)
    .bind(row.valid_until)
    .bind(&row.state)
    .bind(&row.revoked_reason)
    .bind(&row.granted_by)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn of_means(conn: &mut Conn, means_id: &str) -> Result<Vec<AuthorisationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM authorisations WHERE means_id = $1 ORDER BY created_at"
    ))
    .bind(means_id)
    .fetch_all(conn)
    .await
}

/// Active authorisations to act at services (not manager rights) in the organisation.
pub async fn count_active(conn: &mut Conn, organisation_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM authorisations WHERE organisation_id = $1 AND state = 'active' AND scope <> 'manage'",
    )
    .bind(organisation_id)
    .fetch_one(conn)
    .await
}
