//! Queries for upgrading and cancelling a means: its open requests, its authorisations
//! with service names, and whether other managers remain.

use super::requests::RequestRow;
use super::Conn;
use crate::domain::authorisation::{AuthorisationState, ScopeKind};
use crate::domain::value::AssuranceLevel;

/// The requests of a means that are still open.
pub async fn open_requests(conn: &mut Conn, means_id: &str) -> Result<Vec<RequestRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, organisation_id, kind, state, account_id, means_id, batch_id, requested_by, payload, created_at,
                updated_at, finished_at
         FROM requests WHERE means_id = $1 AND finished_at IS NULL ORDER BY created_at",
    )
    .bind(means_id)
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct AuthLine {
    pub id: String,
    pub scope: ScopeKind,
    pub service_name: Option<String>,
    pub level: AssuranceLevel,
    pub state: AuthorisationState,
    pub valid_until: i64,
}

pub async fn authorisations(
    conn: &mut Conn,
    organisation_id: &str,
    means_id: &str,
) -> Result<Vec<AuthLine>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.scope, s.name AS service_name, a.level, a.state, a.valid_until
         FROM authorisations a LEFT JOIN services s ON s.id = a.service_id
         WHERE a.organisation_id = $1 AND a.means_id = $2 ORDER BY a.state, a.created_at, a.id",
    )
    .bind(organisation_id)
    .bind(means_id)
    .fetch_all(conn)
    .await
}

/// Accounts other than `account_id` with an active manager authorisation (valid now) on a
/// usable means of the organisation.
pub async fn other_managers(
    conn: &mut Conn,
    organisation_id: &str,
    account_id: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT m.account_id) FROM authorisations a JOIN means m ON m.id = a.means_id
         WHERE a.organisation_id = $1 AND a.scope = 'manage' AND a.state = 'active'
           AND a.valid_from <= $3 AND a.valid_until > $3
           AND m.state IN ('active', 'upgrade_pending') AND m.account_id IS NOT NULL AND m.account_id <> $2",
    )
    .bind(organisation_id)
    .bind(account_id)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Whether the means holds an active manager authorisation.
pub async fn is_manager_means(conn: &mut Conn, means_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM authorisations WHERE means_id = $1 AND scope = 'manage' AND state = 'active'",
    )
    .bind(means_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
