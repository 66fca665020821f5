//! Writing audit events: always inside the caller's transaction, so the event exists
//! exactly when the change does. A log line names the action and target only.

use super::db::{audit, Conn};
use crate::domain::audit::AuditEvent;

pub async fn record(conn: &mut Conn, event: AuditEvent, at: i64) -> Result<(), sqlx::Error> {
    audit::insert(conn, &event, at).await?;
    tracing::info!(
        action = event.action.as_str(),
        target = event.target_kind.as_str(),
        target_id = %event.target_id,
        actor = event.actor.as_deref().unwrap_or("-"),
        "audit"
    );
    Ok(())
}
