//! Authorisations: a means may act for its organisation at one service, at all services up
//! to a level, or (scope `manage`) manage the organisation up to a level.

use super::Conn;
use crate::domain::authorisation::{AuthorisationState, ScopeKind};
use crate::domain::value::AssuranceLevel;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct AuthorisationRow {
    pub id: String,
    pub means_id: String,
    pub organisation_id: String,
    pub scope: ScopeKind,
    pub service_id: Option<String>,
    pub level: AssuranceLevel,
    pub valid_from: i64,
    pub valid_until: i64,
    pub state: AuthorisationState,
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
    .bind(row.scope)
    .bind(&row.service_id)
    .bind(row.level)
    .bind(row.valid_from)
    .bind(row.valid_until)
    .bind(row.state)
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

/// An authorisation, only within `organisation_id`: a foreign id is simply not found.
pub async fn find(conn: &mut Conn, organisation_id: &str, id: &str) -> Result<Option<AuthorisationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM authorisations WHERE organisation_id = $1 AND id = $2"
    ))
    .bind(organisation_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The active authorisation of a means with this scope and service, if any: granting it
/// again changes nothing. For "all services up to a level" one at the same or a higher
/// level counts.
pub async fn find_active_same(
    conn: &mut Conn,
    means_id: &str,
    scope: ScopeKind,
    service_id: Option<&str>,
    level: AssuranceLevel,
) -> Result<Option<AuthorisationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM authorisations WHERE means_id = $1 AND scope = $2 AND state = 'active'
         AND COALESCE(service_id, '') = $3 AND level >= $4 ORDER BY created_at LIMIT 1"
    ))
    .bind(means_id)
    .bind(scope)
    .bind(service_id.unwrap_or(""))
    .bind(level)
    .fetch_optional(conn)
    .await
}

/// Compare-and-set on the state (with the revocation reason, if any): false when it was
/// no longer in `from`.
pub async fn set_state(
    conn: &mut Conn,
    id: &str,
    from: AuthorisationState,
    to: AuthorisationState,
    reason: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE authorisations SET state = $1, revoked_reason = COALESCE($2, revoked_reason), updated_at = $3
         WHERE id = $4 AND state = $5",
    )
    .bind(to)
    .bind(reason)
    .bind(now)
    .bind(id)
    .bind(from)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An expired authorisation active again for a new term; its expiry notice is due anew.
pub async fn reactivate(
    conn: &mut Conn,
    id: &str,
    valid_from: i64,
    valid_until: i64,
    by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE authorisations SET state = 'active', valid_from = $1, valid_until = $2, granted_by = $3,
         expiry_notice_sent_at = NULL, updated_at = $4 WHERE id = $5 AND state = 'expired'",
    )
    .bind(valid_from)
    .bind(valid_until)
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Active authorisations whose term has ended, oldest end first.
pub async fn ended(conn: &mut Conn, now: i64, limit: i64) -> Result<Vec<AuthorisationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM authorisations WHERE state = 'active' AND valid_until <= $1
         ORDER BY valid_until, id LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Active authorisations ending before `horizon` whose holder has not been told yet.
pub async fn notice_due(
    conn: &mut Conn,
    now: i64,
    horizon: i64,
    limit: i64,
) -> Result<Vec<AuthorisationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM authorisations WHERE state = 'active' AND valid_until > $1 AND valid_until <= $2
         AND expiry_notice_sent_at IS NULL AND scope <> 'manage' ORDER BY organisation_id, means_id, id LIMIT $3"
    ))
    .bind(now)
    .bind(horizon)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Marks the notice as sent; false when it already was (by another instance's run).
pub async fn mark_noticed(conn: &mut Conn, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE authorisations SET expiry_notice_sent_at = $1 WHERE id = $2 AND expiry_notice_sent_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// E-mail addresses of the active managers of an organisation.
pub async fn manager_emails(conn: &mut Conn, organisation_id: &str, now: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT m.email FROM authorisations a JOIN means m ON m.id = a.means_id
         WHERE a.organisation_id = $1 AND a.scope = 'manage' AND a.state = 'active' AND a.valid_until > $2
           AND m.state IN ('active', 'upgrade_pending') ORDER BY m.email",
    )
    .bind(organisation_id)
    .bind(now)
    .fetch_all(conn)
    .await
}
