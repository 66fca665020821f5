//! Beheer → Lopende aanvragen: requests of one organisation, open or finished, filtered by
//! kind and state, searched by the person's name or e-mail, paged (LIMIT/OFFSET with a
//! total). Open requests use the partial index `requests_open_by_age`, finished ones
//! `requests_finished_by_time` (migration 0005). Also the timeline with the actors' names,
//! the resend counters, the expiry job's scan and the home page's "needs attention".

use super::directory::pattern;
use super::outbox::Channel;
use super::Conn;
use crate::domain::request::{RequestKind, RequestState, TimelineEvent};
use crate::domain::value::AssuranceLevel;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct ListRow {
    pub id: String,
    pub kind: RequestKind,
    pub state: RequestState,
    pub payload: String,
    pub given_names: Option<String>,
    pub prefix: Option<String>,
    pub surname: Option<String>,
    pub email: Option<String>,
    pub means_level: Option<AssuranceLevel>,
    pub by_given_names: Option<String>,
    pub by_prefix: Option<String>,
    pub by_surname: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub finished: bool,
    pub kind: Option<RequestKind>,
    pub state: Option<RequestState>,
    pub query: String,
    pub newest_first: bool,
}

const SEARCH: &str = "(LOWER(m.surname) LIKE {} ESCAPE '\\' OR LOWER(m.given_names) LIKE {} ESCAPE '\\'
    OR m.email LIKE {} ESCAPE '\\' OR LOWER(m.given_names || ' ' || COALESCE(m.prefix || ' ', '') || m.surname) LIKE {} ESCAPE '\\')";

/// The requester's name as *this* organisation entered it: their live means here (at most
/// one per organisation and address). Requests are always read within one organisation.
const REQUESTER: &str = "LEFT JOIN means b ON b.account_id = r.requested_by AND b.organisation_id = r.organisation_id
         AND b.state <> 'cancelled'";

/// The WHERE clause and its text binds after `$1` (the organisation).
fn clause(f: &Filter) -> (String, Vec<String>) {
    let mut sql = String::from(if f.finished {
        "r.organisation_id = $1 AND r.finished_at IS NOT NULL"
    } else {
        "r.organisation_id = $1 AND r.finished_at IS NULL"
    });
    let mut binds = Vec::new();
    if let Some(k) = &f.kind {
        binds.push(k.as_str().to_owned());
        sql.push_str(&format!(" AND r.kind = ${}", binds.len() + 1));
    }
    if let Some(s) = &f.state {
        binds.push(s.as_str().to_owned());
        sql.push_str(&format!(" AND r.state = ${}", binds.len() + 1));
    }
    if !f.query.trim().is_empty() {
        binds.push(pattern(&f.query));
        let n = format!("${}", binds.len() + 1);
        sql.push_str(" AND ");
        sql.push_str(&SEARCH.replace("{}", &n));
    }
    (sql, binds)
}

pub async fn count(conn: &mut Conn, organisation_id: &str, f: &Filter) -> Result<i64, sqlx::Error> {
    let (cond, binds) = clause(f);
    let join = if f.query.trim().is_empty() {
        ""
    } else {
        "JOIN means m ON m.id = r.means_id"
    };
    let sql = format!("SELECT COUNT(*) FROM requests r {join} WHERE {cond}");
    let mut q = sqlx::query_scalar(&sql).bind(organisation_id);
    for b in &binds {
        q = q.bind(b);
    }
    q.fetch_one(conn).await
}

pub async fn page(
    conn: &mut Conn,
    organisation_id: &str,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> Result<Vec<ListRow>, sqlx::Error> {
    let (cond, binds) = clause(f);
    let (col, dir) = match (f.finished, f.newest_first) {
        (false, false) => ("created_at", "ASC"),
        (false, true) => ("created_at", "DESC"),
        (true, false) => ("finished_at", "DESC"),
        (true, true) => ("finished_at", "ASC"),
    };
    let n = binds.len() + 2;
    let join = if f.query.trim().is_empty() {
        ""
    } else {
        "JOIN means m ON m.id = r.means_id"
    };
    // The page's ids first (an index range on the partial index), then the 25 rows joined.
    let sql = format!(
        "WITH page AS (SELECT r.id FROM requests r {join} WHERE {cond}
                       ORDER BY r.organisation_id, r.{col} {dir}, r.id {dir} LIMIT ${n} OFFSET ${})
         SELECT r.id, r.kind, r.state, r.payload, m.given_names, m.prefix, m.surname, m.email, m.level AS means_level,
                b.given_names AS by_given_names, b.prefix AS by_prefix, b.surname AS by_surname,
                r.created_at, r.updated_at, r.finished_at
         FROM page JOIN requests r ON r.id = page.id
         LEFT JOIN means m ON m.id = r.means_id
         {BY}
         ORDER BY r.{col} {dir}, r.id {dir}",
        n + 1,
        BY = REQUESTER
    );
    let mut q = sqlx::query_as(&sql).bind(organisation_id);
    for b in &binds {
        q = q.bind(b);
    }
    q.bind(limit).bind(offset).fetch_all(conn).await
}

/// An account's name as `organisation_id` entered it (its live means there), if any.
pub async fn name_here(
    conn: &mut Conn,
    organisation_id: &str,
    account_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT given_names, prefix, surname FROM means
         WHERE organisation_id = $1 AND account_id = $2 AND state <> 'cancelled' LIMIT 1",
    )
    .bind(organisation_id)
    .bind(account_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(g, p, s)| super::means::display_name(&g, p.as_deref(), &s)))
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct TimelineRow {
    pub at: i64,
    pub event: TimelineEvent,
    pub detail: String,
    pub actor: Option<String>,
    pub given_names: Option<String>,
    pub prefix: Option<String>,
    pub surname: Option<String>,
}

/// A request's events in order, with the acting person's name where there is one: as the
/// request's organisation entered it (the actor's means there), or a staff member's name.
pub async fn timeline(
    conn: &mut Conn,
    organisation_id: &str,
    request_id: &str,
) -> Result<Vec<TimelineRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.at, e.event, e.detail, e.actor,
                COALESCE(p.given_names, s.staff_name) AS given_names, p.prefix, COALESCE(p.surname, '') AS surname
         FROM request_events e
         JOIN requests r ON r.id = e.request_id AND r.organisation_id = $1
         LEFT JOIN means p ON p.account_id = e.actor AND p.organisation_id = r.organisation_id AND p.state <> 'cancelled'
         LEFT JOIN accounts s ON s.id = e.actor AND s.is_backoffice = 1
         WHERE e.request_id = $2 ORDER BY e.at, e.id",
    )
    .bind(organisation_id)
    .bind(request_id)
    .fetch_all(conn)
    .await
}

/// When the manager resent a request's e-mail or SMS since `since`.
pub async fn resend_times(conn: &mut Conn, request_id: &str, since: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT at FROM request_events WHERE request_id = $1 AND event IN ('email_resent', 'sms_resent') AND at >= $2
         ORDER BY at",
    )
    .bind(request_id)
    .bind(since)
    .fetch_all(conn)
    .await
}

/// Marks activity on an open request (a resend), so the expiry job counts from now.
pub async fn touch(conn: &mut Conn, request_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE requests SET updated_at = $1 WHERE id = $2 AND finished_at IS NULL")
        .bind(now)
        .bind(request_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Open requests (all organisations) without a state change or timeline event since
/// `before`, oldest first.
pub async fn stale(conn: &mut Conn, before: i64, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT r.id FROM requests r WHERE r.finished_at IS NULL AND r.updated_at < $1
           AND NOT EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.at >= $1)
         ORDER BY r.updated_at, r.id LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Open requests of the organisation with no state change since `before`: how many, and
/// the oldest few.
pub async fn waiting_long(
    conn: &mut Conn,
    organisation_id: &str,
    before: i64,
    limit: i64,
) -> Result<(i64, Vec<ListRow>), sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM requests r WHERE r.organisation_id = $1 AND r.finished_at IS NULL AND r.updated_at < $2",
    )
    .bind(organisation_id)
    .bind(before)
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query_as(
        "SELECT r.id, r.kind, r.state, r.payload, m.given_names, m.prefix, m.surname, m.email, NULL AS means_level,
                NULL AS by_given_names, NULL AS by_prefix, NULL AS by_surname, r.created_at, r.updated_at, r.finished_at
         FROM requests r LEFT JOIN means m ON m.id = r.means_id
         WHERE r.organisation_id = $1 AND r.finished_at IS NULL AND r.updated_at < $2
         ORDER BY r.updated_at, r.id LIMIT $3",
    )
    .bind(organisation_id)
    .bind(before)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok((n, rows))
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct FailedRow {
    pub request_id: String,
    pub channel: Channel,
    pub created_at: i64,
    pub given_names: String,
    pub prefix: Option<String>,
    pub surname: String,
}

/// Messages the outbox worker gave up on (`next_attempt_at = gave_up_at`, never delivered)
/// that belong to an open request of the organisation (`outbox.request_id`).
pub async fn failed_deliveries(
    conn: &mut Conn,
    organisation_id: &str,
    gave_up_at: i64,
    limit: i64,
) -> Result<Vec<FailedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id AS request_id, o.channel, o.created_at, p.given_names, p.prefix, p.surname
         FROM outbox o
         JOIN requests r ON r.id = o.request_id
         JOIN means p ON p.id = r.means_id
         WHERE o.next_attempt_at = $2 AND o.delivered_at IS NULL
           AND r.organisation_id = $1 AND r.finished_at IS NULL
         ORDER BY o.created_at DESC, o.id LIMIT $3",
    )
    .bind(organisation_id)
    .bind(gave_up_at)
    .bind(limit)
    .fetch_all(conn)
    .await
}
