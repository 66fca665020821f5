//! The append-only audit trail. Rows are only ever inserted.

use super::{new_id, Conn};
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct AuditRow {
    pub id: String,
    pub at: i64,
    pub actor: Option<String>,
    pub organisation_id: Option<String>,
    pub action: AuditAction,
    pub target_kind: TargetKind,
    pub target_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

pub async fn insert(conn: &mut Conn, event: &AuditEvent, at: i64) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO audit_events (id, at, actor, organisation_id, action, target_kind, target_id, before_json, after_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(at)
    .bind(&event.actor)
    .bind(&event.organisation_id)
    .bind(event.action)
    .bind(event.target_kind)
    .bind(&event.target_id)
    .bind(event.before.as_ref().map(|v| v.to_string()))
    .bind(event.after.as_ref().map(|v| v.to_string()))
    .execute(conn)
    .await?;
    Ok(id)
}

/// The newest events first, optionally for one organisation.
pub async fn recent(conn: &mut Conn, organisation_id: Option<&str>, limit: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    let base = "SELECT id, at, actor, organisation_id, action, target_kind, target_id, before_json, after_json FROM audit_events";
    match organisation_id {
        Some(org) => {
            sqlx::query_as(&format!(
                "{base} WHERE organisation_id = $1 ORDER BY at DESC, id DESC LIMIT $2"
            ))
            .bind(org)
            .bind(limit)
            .fetch_all(conn)
            .await
        }
        None => {
            sqlx::query_as(&format!("{base} ORDER BY at DESC, id DESC LIMIT $1"))
                .bind(limit)
                .fetch_all(conn)
                .await
        }
    }
}
