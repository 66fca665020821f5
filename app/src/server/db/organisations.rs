//! Organisations, and which of them a person manages.

use super::Conn;
use crate::domain::value::AssuranceLevel;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct OrganisationRow {
    pub id: String,
    pub kvk_number: String,
    pub branch_number: Option<String>,
    pub name: String,
    pub created_at: i64,
}

pub async fn insert(conn: &mut Conn, row: &OrganisationRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO organisations (id, kvk_number, branch_number, name, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&row.id)
    .bind(&row.kvk_number)
    .bind(&row.branch_number)
    .bind(&row.name)
    .bind(row.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<OrganisationRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, kvk_number, branch_number, name, created_at FROM organisations WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn find_by_kvk(
    conn: &mut Conn,
    kvk: &str,
    branch: Option<&str>,
) -> Result<Option<OrganisationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kvk_number, branch_number, name, created_at FROM organisations
         WHERE kvk_number = $1 AND COALESCE(branch_number, '') = $2",
    )
    .bind(kvk)
    .bind(branch.unwrap_or(""))
    .fetch_optional(conn)
    .await
}

/// A managed organisation with the manager's level there.
#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct ManagedRow {
    pub id: String,
    pub name: String,
    pub kvk_number: String,
    pub level: AssuranceLevel,
}

/// The organisations where `account_id` holds an active manager authorisation on an active
/// means (valid now), by name.
pub async fn managed_by(conn: &mut Conn, account_id: &str, now: i64) -> Result<Vec<ManagedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.id, o.name, o.kvk_number, a.level FROM authorisations a
         JOIN means m ON m.id = a.means_id
         JOIN organisations o ON o.id = a.organisation_id
         WHERE m.account_id = $1 AND a.scope = 'manage' AND a.state = 'active'
           AND m.state IN ('active', 'upgrade_pending')
           AND a.valid_from <= $2 AND a.valid_until > $2
         ORDER BY o.name, o.id",
    )
    .bind(account_id)
    .bind(now)
    .fetch_all(conn)
    .await
}
