//! Requests (*aanvragen*) and their append-only timeline. The state column holds
//! `RequestState::as_str()`; transitions are decided by `domain::request::transition`.

use super::{new_id, Conn};
use crate::domain::request::{RequestKind, RequestState, TimelineEvent};
use crate::domain::value::AssuranceLevel;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct RequestRow {
    pub id: String,
    pub organisation_id: String,
    pub kind: RequestKind,
    pub state: RequestState,
    /// The account the request acts for, once known: the holder's (an upgrade, a change of
    /// an issued means), or the one an activation must be proven against.
    pub account_id: Option<String>,
    pub means_id: Option<String>,
    pub batch_id: Option<String>,
    pub requested_by: Option<String>,
    pub payload: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
}

const COLUMNS: &str = "id, organisation_id, kind, state, account_id, means_id, batch_id, requested_by, payload, created_at, updated_at, finished_at";

pub async fn insert(conn: &mut Conn, row: &RequestRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO requests ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(&row.id)
    .bind(&row.organisation_id)
    .bind(row.kind)
    .bind(row.state)
    .bind(&row.account_id)
    .bind(&row.means_id)
    .bind(&row.batch_id)
    .bind(&row.requested_by)
    .bind(&row.payload)
    .bind(row.created_at)
    .bind(row.updated_at)
    .bind(row.finished_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A request, only within `organisation_id`.
pub async fn find(conn: &mut Conn, organisation_id: &str, id: &str) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM requests WHERE organisation_id = $1 AND id = $2"
    ))
    .bind(organisation_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Compare-and-set on the state: false when the request was no longer in `from`.
pub async fn set_state(
    conn: &mut Conn,
    id: &str,
    from: RequestState,
    to: RequestState,
    finished: bool,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let finished_at = finished.then_some(now);
    Ok(
        sqlx::query("UPDATE requests SET state = $1, updated_at = $2, finished_at = $3 WHERE id = $4 AND state = $5")
            .bind(to)
            .bind(now)
            .bind(finished_at)
            .bind(id)
            .bind(from)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}

/// Names the account an activation is proven against (or was proven for).
/// Writes the request's row without changing it: inside a transaction this takes its
/// row lock (PostgreSQL) or the write lock (SQLite) before anything is read.
pub async fn touch(conn: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE requests SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_account(conn: &mut Conn, id: &str, account_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE requests SET account_id = $1, updated_at = $2 WHERE id = $3")
        .bind(account_id)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Requests not in a final state.
pub async fn count_open(conn: &mut Conn, organisation_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM requests WHERE organisation_id = $1
         AND state NOT IN ('completed', 'cancelled', 'rejected', 'refused', 'expired')",
    )
    .bind(organisation_id)
    .fetch_one(conn)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct EventRow {
    pub id: String,
    pub request_id: String,
    pub at: i64,
    pub actor: Option<String>,
    pub event: TimelineEvent,
    pub detail: String,
}

pub async fn add_event(
    conn: &mut Conn,
    request_id: &str,
    at: i64,
    actor: Option<&str>,
    event: TimelineEvent,
    detail: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO request_events (id, request_id, at, actor, event, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(new_id())
    .bind(request_id)
    .bind(at)
    .bind(actor)
    .bind(event)
    .bind(detail.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn events(conn: &mut Conn, request_id: &str) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, request_id, at, actor, event, detail FROM request_events WHERE request_id = $1 ORDER BY at, id",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await
}

/// A request by id alone: for flows where the caller proved access another way (a link
/// token, the back-office role). Manager pages use [`find`].
pub async fn find_any(conn: &mut Conn, id: &str) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM requests WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The latest event of one kind, for details such as a rejection's reason.
pub async fn last_event(
    conn: &mut Conn,
    request_id: &str,
    event: TimelineEvent,
) -> Result<Option<EventRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, request_id, at, actor, event, detail FROM request_events
         WHERE request_id = $1 AND event = $2 ORDER BY at DESC, id DESC LIMIT 1",
    )
    .bind(request_id)
    .bind(event)
    .fetch_optional(conn)
    .await
}

/// One waiting item of the back-office queue.
#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct QueueRow {
    pub id: String,
    pub kind: RequestKind,
    pub state: RequestState,
    pub level: AssuranceLevel,
    pub employed: i64,
    pub given_names: String,
    pub prefix: Option<String>,
    pub surname: String,
    pub birth_date: String,
    pub email: String,
    pub organisation: String,
    pub kvk_number: String,
    pub updated_at: i64,
    pub document_id: Option<String>,
    pub document_mime: Option<String>,
}

/// Requests that wait for the back office (ID check, identification in person), oldest
/// first, with their newest live document.
pub async fn backoffice_queue(conn: &mut Conn, limit: i64) -> Result<Vec<QueueRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.kind, r.state, m.level, m.employed, m.given_names, m.prefix, m.surname, m.birth_date,
                m.email, o.name AS organisation, o.kvk_number, r.updated_at,
                (SELECT d.id FROM documents d WHERE d.request_id = r.id AND d.deleted_at IS NULL
                 ORDER BY d.created_at DESC, d.id DESC LIMIT 1) AS document_id,
                (SELECT d.mime FROM documents d WHERE d.request_id = r.id AND d.deleted_at IS NULL
                 ORDER BY d.created_at DESC, d.id DESC LIMIT 1) AS document_mime
         FROM requests r
         JOIN means m ON m.id = r.means_id
         JOIN organisations o ON o.id = r.organisation_id
         WHERE r.state IN ('awaiting_id_check', 'awaiting_in_person')
         ORDER BY r.updated_at, r.id
         LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}
