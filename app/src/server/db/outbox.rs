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

use super::{new_id, Backend, Db};
use crate::server::notify::template::{self, Params, Template, TemplateError};
use sqlx::AnyConnection;
use std::fmt;

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

/// A message to enqueue. `Debug` leaves the body out.
#[derive(Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub channel: Channel,
    pub recipient: String,
    pub subject: Option<String>,
    /// The text, or with a `template` that template's parameters as JSON.
    pub body: String,
    pub template: Option<Template>,
    /// The request the message belongs to, if any: how a manager's page finds the messages
    /// of its own organisation's requests (never by matching another's recipients).
    pub request_id: Option<String>,
}

impl NewMessage {
    /// Marks the message as belonging to `request_id`.
    pub fn about(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    pub fn email(to: impl Into<String>, subject: impl Into<String>, body: impl Into<String>) -> Self {
        NewMessage {
            channel: Channel::Email,
            recipient: to.into(),
            subject: Some(subject.into()),
            body: body.into(),
            template: None,
            request_id: None,
        }
    }

    /// An e-mail stored as a template and its parameters, rendered when read.
    pub fn templated_email(
        to: impl Into<String>,
        subject: impl Into<String>,
        params: &Params<'_>,
    ) -> Result<Self, TemplateError> {
        Ok(NewMessage {
            channel: Channel::Email,
            recipient: to.into(),
            subject: Some(subject.into()),
            body: params.to_json()?,
            template: Some(params.template()),
            request_id: None,
        })
    }

    /// `to` is an E.164 mobile number (`+316…`).
    pub fn sms(to: impl Into<String>, body: impl Into<String>) -> Self {
        NewMessage {
            channel: Channel::Sms,
            recipient: to.into(),
            subject: None,
            body: body.into(),
            template: None,
            request_id: None,
        }
    }
}

impl fmt::Debug for NewMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewMessage")
            .field("channel", &self.channel)
            .field("recipient", &self.recipient)
            .field("subject", &self.subject)
            .field("body", &format_args!("<{} chars>", self.body.chars().count()))
            .field("template", &self.template)
            .finish()
    }
}

/// One stored message, its text rendered. `Debug` leaves the body out.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: String,
    pub channel: Channel,
    pub recipient: String,
    pub subject: Option<String>,
    /// The text to send; for a templated row rendered from the stored parameters, empty
    /// when that failed (see `render_error`).
    pub body: String,
    /// The template's stored name; `None` for a free text.
    pub template: Option<String>,
    /// Why a templated text could not be rendered; the worker gives such a row up.
    pub render_error: Option<TemplateError>,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub claimed_until: Option<i64>,
    pub delivered_at: Option<i64>,
    pub delivered_via: Option<String>,
    pub last_error: Option<String>,
}

impl OutboxRow {
    pub fn is_delivered(&self) -> bool {
        self.delivered_at.is_some()
    }

    /// True when the worker gave up on this message.
    pub fn gave_up(&self) -> bool {
        self.delivered_at.is_none() && self.next_attempt_at == GAVE_UP_AT
    }
}

impl fmt::Debug for OutboxRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboxRow")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .field("recipient", &self.recipient)
            .field("subject", &self.subject)
            .field("body", &format_args!("<{} chars>", self.body.chars().count()))
            .field("template", &self.template)
            .field("render_error", &self.render_error)
            .field("created_at", &self.created_at)
            .field("attempts", &self.attempts)
            .field("next_attempt_at", &self.next_attempt_at)
            .field("claimed_until", &self.claimed_until)
            .field("delivered_at", &self.delivered_at)
            .field("delivered_via", &self.delivered_via)
            .field("last_error", &self.last_error)
            .finish()
    }
}

/// A row as stored: `body` may still be template parameters.
#[derive(sqlx::FromRow)]
struct StoredRow {
    id: String,
    channel: Channel,
    recipient: String,
    subject: Option<String>,
    body: String,
    template: Option<String>,
    created_at: i64,
    attempts: i64,
    next_attempt_at: i64,
    claimed_until: Option<i64>,
    delivered_at: Option<i64>,
    delivered_via: Option<String>,
    last_error: Option<String>,
}

impl From<StoredRow> for OutboxRow {
    fn from(r: StoredRow) -> OutboxRow {
        let (body, render_error) = match r.template.as_deref() {
            None => (r.body, None),
            Some(name) => match template::render(name, &r.body) {
                Ok(text) => (text, None),
                Err(e) => (String::new(), Some(e)),
            },
        };
        OutboxRow {
            id: r.id,
            channel: r.channel,
            recipient: r.recipient,
            subject: r.subject,
            body,
            template: r.template,
            render_error,
            created_at: r.created_at,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            claimed_until: r.claimed_until,
            delivered_at: r.delivered_at,
            delivered_via: r.delivered_via,
            last_error: r.last_error,
        }
    }
}

fn rendered(rows: Vec<StoredRow>) -> Vec<OutboxRow> {
    rows.into_iter().map(OutboxRow::from).collect()
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

const COLUMNS: &str = "id, channel, recipient, subject, body, template, created_at, attempts, \
     next_attempt_at, claimed_until, delivered_at, delivered_via, last_error";

/// `template IS NULL OR template IN ('activation', …)`: the rows this build can render.
fn known_templates() -> String {
    let names: Vec<String> = Template::ALL.iter().map(|t| format!("'{}'", t.as_str())).collect();
    format!("(template IS NULL OR template IN ({}))", names.join(", "))
}

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
    fn channel_names_round_trip() {
        for c in [Channel::Email, Channel::Sms] {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert_eq!(Channel::parse("fax"), None);
    }

    #[test]
    fn new_message_debug_hides_the_body() {
        let m = NewMessage::sms("+31612345678", "Uw code is 987654");
        let s = format!("{m:?}");
        assert!(s.contains("+31612345678"));
        assert!(!s.contains("987654"), "{s}");
        assert!(!s.contains("Uw code"), "{s}");
        let e = NewMessage::email("a@b.nl", "Activeren", "https://x/activeren/geheim");
        let s = format!("{e:?}");
        assert!(s.contains("Activeren") && !s.contains("geheim"), "{s}");
    }

    #[test]
    fn row_debug_hides_the_body() {
        let row = OutboxRow {
            id: "1".into(),
            channel: Channel::Sms,
            recipient: "+31612345678".into(),
            subject: None,
            body: "code 654321".into(),
            template: None,
            render_error: None,
            created_at: 0,
            attempts: 0,
            next_attempt_at: 0,
            claimed_until: None,
            delivered_at: None,
            delivered_via: None,
            last_error: None,
        };
        assert!(!format!("{row:?}").contains("654321"));
        assert!(!row.gave_up());
    }

    fn stored(template: Option<&str>, body: &str) -> StoredRow {
        StoredRow {
            id: "1".into(),
            channel: Channel::Email,
            recipient: "eva@example.nl".into(),
            subject: Some("Activeer".into()),
            body: body.into(),
            template: template.map(Into::into),
            created_at: 0,
            attempts: 0,
            next_attempt_at: 0,
            claimed_until: None,
            delivered_at: None,
            delivered_via: None,
            last_error: None,
        }
    }

    #[test]
    fn templated_rows_are_rendered_when_read() {
        let params = Params::Activation(template::ActivationParams {
            name: "Eva de Vries".into(),
            organisation: "Bakkerij B.V.".into(),
            level: "EH2".into(),
            link: "https://x.nl/activeren/geheim".into(),
        });
        let msg = NewMessage::templated_email("eva@example.nl", "Activeer", &params).unwrap();
        assert_eq!(msg.template, Some(Template::Activation));
        assert!(!format!("{msg:?}").contains("geheim"));

        let row = OutboxRow::from(stored(Some("activation"), &msg.body));
        assert_eq!(row.body, params.render());
        assert_eq!(
            (row.template.as_deref(), row.render_error.as_ref()),
            (Some("activation"), None)
        );
        assert!(!format!("{row:?}").contains("geheim"));

        let plain = OutboxRow::from(stored(None, "{\"zomaar\": \"tekst\"}"));
        assert_eq!(plain.body, "{\"zomaar\": \"tekst\"}");
        let unknown = OutboxRow::from(stored(Some("nieuw"), "{}"));
        assert_eq!(unknown.render_error, Some(TemplateError::Unknown("nieuw".into())));
        assert!(unknown.body.is_empty());
        let broken = OutboxRow::from(stored(
            Some("activation"),
            "{\"link\": \"https://x.nl/activeren/geheim\"}",
        ));
        assert!(broken.body.is_empty() && !format!("{broken:?}").contains("geheim"));
        assert_eq!(known_templates(), "(template IS NULL OR template IN ('activation'))");
    }

    #[test]
    fn errors_are_truncated() {
        let long = "x".repeat(MAX_ERROR_CHARS + 10);
        let t = truncate_error(&long);
        assert_eq!(t.chars().count(), MAX_ERROR_CHARS + 1);
        assert_eq!(truncate_error("kort"), "kort");
    }
}
