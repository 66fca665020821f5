//! The outbox: messages to people (e-mail, SMS) written in the same transaction as the
//! change that causes them, and delivered later by the worker in `server::notify`.
//!
//! Invariants:
//! - a row is *pending* while `delivered_at IS NULL` and `next_attempt_at` is not
//!   [`GAVE_UP_AT`]; it is *due* when `next_attempt_at <= now` and no live lease
//!   (`claimed_until >= now`) is held on it;
//! - `claim_due` hands a due row to exactly one worker until its lease runs out
//!   (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers);
//! - `delivered_at` is set once and never cleared, and no update here touches a delivered
//!   row again, so a committed delivery is never sent twice;
//! - a row the worker gave up on keeps `delivered_at` NULL, its `last_error`, and
//!   `next_attempt_at = GAVE_UP_AT` (the schema has no dead flag; "never due" is the flag);
//! - `last_error` is short and never holds the message body: the worker scrubs it and
//!   this module truncates it to [`MAX_ERROR_CHARS`];
//! - a row with a `template` stores that template's parameters (compact JSON) in `body`,
//!   and every read here renders them, so an [`OutboxRow`]'s `body` is always the text to
//!   send; a row whose template this build does not know is never claimed.
//!
//! - a row delivered for real (SMTP, the SMS gateway) keeps only its text with links and
//!   codes redacted; only the dev inbox's own deliveries keep them readable there.
//!
//! Bodies carry activation links and SMS codes, so no `Debug` here prints them.
//!
//! Here: the constants, the channel, enqueueing and the reads; `message` the message to
//! enqueue, `render` the stored row and its rendering, `claim` the worker's lease and
//! its outcome (delivered, failed, given up, released).

mod claim;
mod message;
mod render;

pub use claim::{claim_due, give_up, mark_delivered, mark_failed, release};
pub use message::NewMessage;
pub use render::OutboxRow;

use super::{new_id, Db};
use crate::server::notify::template::Template;
use render::{rendered, StoredRow, COLUMNS};
use sqlx::AnyConnection;

/// `next_attempt_at` of a message the worker gave up on: never due again.
pub const GAVE_UP_AT: i64 = i64::MAX;
/// Longest `last_error` stored, in characters.
pub const MAX_ERROR_CHARS: usize = 500;

crate::domain::named_enum! {
    /// How a message goes out; the `channel` column.
    Channel {
        Email = "email", "e-mail";
        Sms = "sms", "sms";
    }
}

/// The columns a new message sets, in order, for bulk inserts (`db::bulk`).
pub const INSERT_COLUMNS: [&str; 9] = [
    "id",
    "channel",
    "recipient",
    "subject",
    "body",
    "template",
    "request_id",
    "created_at",
    "next_attempt_at",
];

/// Stores a message, due at once. Pass `&mut *tx` so it commits or rolls back with the
/// change that causes it. Returns the new id.
pub async fn enqueue(conn: &mut AnyConnection, msg: &NewMessage, now_ms: i64) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO outbox (id, channel, recipient, subject, body, template, request_id, created_at, attempts, \
         next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9)",
    )
    .bind(&id)
    .bind(msg.channel)
    .bind(&msg.recipient)
    .bind(msg.subject.as_deref())
    .bind(&msg.body)
    .bind(msg.template.map(Template::as_str))
    .bind(msg.request_id.as_deref())
    .bind(now_ms)
    .bind(now_ms)
    .execute(conn)
    .await?;
    Ok(id)
}

/// One message by id.
pub async fn get(db: &Db, id: &str) -> Result<Option<OutboxRow>, sqlx::Error> {
    let row: Option<StoredRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM outbox WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(OutboxRow::from))
}

/// Messages newest first, optionally only those to `recipient` (compared case-blind).
pub async fn list(db: &Db, recipient: Option<&str>, limit: i64) -> Result<Vec<OutboxRow>, sqlx::Error> {
    let stored: Vec<StoredRow> = match recipient {
        Some(r) => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM outbox WHERE LOWER(recipient) = LOWER($1) \
                 ORDER BY created_at DESC, id DESC LIMIT $2"
            ))
            .bind(r)
            .bind(limit)
            .fetch_all(&db.pool)
            .await?
        }
        None => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM outbox ORDER BY created_at DESC, id DESC LIMIT $1"
            ))
            .bind(limit)
            .fetch_all(&db.pool)
            .await?
        }
    };
    Ok(rendered(stored))
}

/// Undelivered messages with at least one failed attempt (retrying or given up).
pub async fn count_failed(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND attempts > 0")
        .fetch_one(&db.pool)
        .await
}

/// Messages still to be delivered (not given up).
pub async fn count_pending(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL AND next_attempt_at < $1")
        .bind(GAVE_UP_AT)
        .fetch_one(&db.pool)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names_round_trip() {
        for c in [Channel::Email, Channel::Sms] {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert_eq!(Channel::parse("fax"), None);
    }
}
