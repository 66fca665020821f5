//! The worker's side: leasing due rows ([`claim_due`]) and recording how a send went.
//! A lease (`claimed_until`) hands a row to one worker; every update here leaves a
//! delivered row alone, so a committed delivery is never sent twice.

use super::render::{known_templates, rendered, StoredRow, COLUMNS};
use super::{OutboxRow, GAVE_UP_AT, MAX_ERROR_CHARS};
use crate::server::db::{Backend, Db};

/// Leases up to `limit` due messages to the caller until `now_ms + lease_ms`, oldest due
/// first. Another caller cannot claim them before the lease runs out; the lease value
/// (`claimed_until`) identifies this claim for [`release`]. Rows with a template this
/// build does not know are left for a build that does.
pub async fn claim_due(db: &Db, now_ms: i64, limit: i64, lease_ms: i64) -> Result<Vec<OutboxRow>, sqlx::Error> {
    // One statement is atomic on both backends. PostgreSQL: the row locks taken by the
    // subselect make concurrent claimers skip rather than wait, and the outer UPDATE then
    // holds them until commit. SQLite: a single writer at a time (RETURNING needs ≥ 3.35,
    // the bundled library is newer).
    let lock = match db.backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let known = known_templates();
    let sql = format!(
        "UPDATE outbox SET claimed_until = $2 WHERE id IN (\
           SELECT id FROM outbox \
           WHERE delivered_at IS NULL AND next_attempt_at <= $1 \
             AND (claimed_until IS NULL OR claimed_until < $1) AND {known} \
           ORDER BY next_attempt_at, created_at LIMIT $3{lock}) \
         RETURNING {COLUMNS}"
    );
    let stored: Vec<StoredRow> = sqlx::query_as(&sql)
        .bind(now_ms)
        .bind(now_ms.saturating_add(lease_ms))
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    let mut rows = rendered(stored);
    // RETURNING has no defined order.
    rows.sort_by(|a, b| (a.next_attempt_at, a.created_at, &a.id).cmp(&(b.next_attempt_at, b.created_at, &b.id)));
    Ok(rows)
}

/// Records a successful send. `attempts` counts this send too. `kept` is the text to
/// keep instead of the body (its links and codes redacted, see
/// `notify::redact_secrets`); the template goes with it, so nothing renders the secrets
/// again. A row that was already delivered is left as it was; returns whether this call
/// marked it.
pub async fn mark_delivered(
    db: &Db,
    id: &str,
    via: &str,
    now_ms: i64,
    kept: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let sql = if kept.is_some() {
        "UPDATE outbox SET delivered_at = $2, delivered_via = $3, attempts = attempts + 1, \
         claimed_until = NULL, last_error = NULL, body = $4, template = NULL \
         WHERE id = $1 AND delivered_at IS NULL"
    } else {
        "UPDATE outbox SET delivered_at = $2, delivered_via = $3, attempts = attempts + 1, \
         claimed_until = NULL, last_error = NULL \
         WHERE id = $1 AND delivered_at IS NULL"
    };
    let mut q = sqlx::query(sql).bind(id).bind(now_ms).bind(via);
    if let Some(k) = kept {
        q = q.bind(k);
    }
    let done = q.execute(&db.pool).await?;
    Ok(done.rows_affected() == 1)
}

/// Records a failed send (`attempts` is the new total) and when to try again.
pub async fn mark_failed(
    db: &Db,
    id: &str,
    attempts: i64,
    next_attempt_at: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET attempts = $2, next_attempt_at = $3, last_error = $4, claimed_until = NULL \
         WHERE id = $1 AND delivered_at IS NULL",
    )
    .bind(id)
    .bind(attempts)
    .bind(next_attempt_at)
    .bind(truncate_error(error))
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Stops trying: the row stays undelivered with its last error and is never due again
/// (`next_attempt_at = GAVE_UP_AT`).
pub async fn give_up(db: &Db, id: &str, attempts: i64, error: &str) -> Result<(), sqlx::Error> {
    mark_failed(db, id, attempts, GAVE_UP_AT, error).await
}

/// Hands a claimed row back unsent, if the claim identified by `lease_until` still holds.
pub async fn release(db: &Db, id: &str, lease_until: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET claimed_until = NULL \
         WHERE id = $1 AND claimed_until = $2 AND delivered_at IS NULL",
    )
    .bind(id)
    .bind(lease_until)
    .execute(&db.pool)
    .await?;
    Ok(())
}

fn truncate_error(error: &str) -> String {
    let mut chars = error.chars();
    let head: String = chars.by_ref().take(MAX_ERROR_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_truncated() {
        let long = "x".repeat(MAX_ERROR_CHARS + 10);
        let t = truncate_error(&long);
        assert_eq!(t.chars().count(), MAX_ERROR_CHARS + 1);
        assert_eq!(truncate_error("kort"), "kort");
    }
}
