//! The counts of Overzicht for a set of organisations (the current one, or all that the
//! manager manages), the person × service matrix, and the means list behind the counts.
//! Every query groups inside the database over covering indexes (migration 0006).

use super::authorisation_list::{like_pattern, Arg, Sql};
use super::Conn;
use crate::bind_args;
use crate::domain::authorisation::ScopeKind;
use crate::domain::means::MeansState;
use crate::domain::value::AssuranceLevel;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct MeansCount {
    pub level: AssuranceLevel,
    pub state: MeansState,
    pub n: i64,
}

pub async fn means_counts(conn: &mut Conn, orgs: &[String]) -> Result<Vec<MeansCount>, sqlx::Error> {
    let mut sql = Sql::default();
    let w = sql.in_list("organisation_id", orgs);
    sql.text = format!("SELECT level, state, COUNT(*) AS n FROM means WHERE {w} GROUP BY level, state");
    bind_args!(sqlx::query_as(&sql.text), &sql.args).fetch_all(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct AuthCount {
    pub scope: ScopeKind,
    pub service_id: Option<String>,
    pub level: AssuranceLevel,
    pub n: i64,
}

/// Active authorisations to act at services, by service (or "up to level") and level.
pub async fn authorisation_counts(conn: &mut Conn, orgs: &[String]) -> Result<Vec<AuthCount>, sqlx::Error> {
    let mut sql = Sql::default();
    let w = sql.in_list("organisation_id", orgs);
    sql.text = format!(
        "SELECT scope, service_id, level, COUNT(*) AS n FROM authorisations
         WHERE {w} AND state = 'active' AND scope <> 'manage' GROUP BY scope, service_id, level"
    );
    bind_args!(sqlx::query_as(&sql.text), &sql.args).fetch_all(conn).await
}

/// Open requests by state.
pub async fn open_request_counts(conn: &mut Conn, orgs: &[String]) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let mut sql = Sql::default();
    let w = sql.in_list("organisation_id", orgs);
    sql.text = format!(
        "SELECT state, COUNT(*) FROM requests WHERE {w}
         AND state NOT IN ('completed', 'cancelled', 'rejected', 'refused', 'expired') GROUP BY state"
    );
    bind_args!(sqlx::query_as(&sql.text), &sql.args).fetch_all(conn).await
}

/// Active authorisations (not manager rights) ending after `now` and at or before `horizon`.
pub async fn expiring_count(conn: &mut Conn, orgs: &[String], now: i64, horizon: i64) -> Result<i64, sqlx::Error> {
    let mut sql = Sql::default();
    let w = sql.in_list("organisation_id", orgs);
    let (n, h) = (sql.arg(Arg::Int(now)), sql.arg(Arg::Int(horizon)));
    sql.text = format!(
        "SELECT COUNT(*) FROM authorisations WHERE {w} AND state = 'active' AND valid_until > {n}
         AND valid_until <= {h} AND scope <> 'manage'"
    );
    bind_args!(sqlx::query_scalar(&sql.text), &sql.args)
        .fetch_one(conn)
        .await
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeansFilter {
    pub organisation_ids: Vec<String>,
    pub level: String,
    pub state: String,
    pub person: String,
    /// Leave out cancelled means (the matrix shows only people who can hold authorisations).
    pub live_only: bool,
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct MeansLine {
    pub means_id: String,
    pub organisation_name: String,
    pub given_names: String,
    pub prefix: Option<String>,
    pub surname: String,
    pub email: String,
    pub level: AssuranceLevel,
    pub state: MeansState,
}

fn means_where(sql: &mut Sql, f: &MeansFilter) -> String {
    let mut w = vec![sql.in_list("m.organisation_id", &f.organisation_ids)];
    if !f.level.is_empty() {
        let p = sql.arg(Arg::Text(f.level.clone()));
        w.push(format!("m.level = {p}"));
    }
    if !f.state.is_empty() {
        let p = sql.arg(Arg::Text(f.state.clone()));
        w.push(format!("m.state = {p}"));
    }
    if f.live_only {
        w.push("m.state <> 'cancelled'".into());
    }
    if !f.person.trim().is_empty() {
        let p = sql.arg(Arg::Text(like_pattern(&f.person)));
        w.push(format!(
            "(LOWER(m.given_names || ' ' || COALESCE(m.prefix || ' ', '') || m.surname) LIKE {p} ESCAPE '\\'
              OR m.email LIKE {p} ESCAPE '\\')"
        ));
    }
    w.join(" AND ")
}

pub async fn count_means(conn: &mut Conn, f: &MeansFilter) -> Result<i64, sqlx::Error> {
    let mut sql = Sql::default();
    let w = means_where(&mut sql, f);
    sql.text = format!("SELECT COUNT(*) FROM means m WHERE {w}");
    bind_args!(sqlx::query_scalar(&sql.text), &sql.args)
        .fetch_one(conn)
        .await
}

pub async fn means_page(
    conn: &mut Conn,
    f: &MeansFilter,
    offset: i64,
    limit: i64,
) -> Result<Vec<MeansLine>, sqlx::Error> {
    let mut sql = Sql::default();
    let w = means_where(&mut sql, f);
    let (l, o) = (sql.arg(Arg::Int(limit)), sql.arg(Arg::Int(offset)));
    sql.text = format!(
        "SELECT m.id AS means_id, o.name AS organisation_name, m.given_names, m.prefix, m.surname,
                m.email, m.level, m.state
         FROM means m JOIN organisations o ON o.id = m.organisation_id
         WHERE {w} ORDER BY m.surname, m.given_names, m.id LIMIT {l} OFFSET {o}"
    );
    bind_args!(sqlx::query_as(&sql.text), &sql.args).fetch_all(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct Cell {
    pub means_id: String,
    pub scope: ScopeKind,
    pub service_id: Option<String>,
    pub level: AssuranceLevel,
}

/// The active service authorisations of the given means (the matrix rows on one page).
pub async fn cells(conn: &mut Conn, means_ids: &[String]) -> Result<Vec<Cell>, sqlx::Error> {
    let mut sql = Sql::default();
    let w = sql.in_list("means_id", means_ids);
    sql.text = format!(
        "SELECT means_id, scope, service_id, level FROM authorisations
         WHERE {w} AND state = 'active' AND scope <> 'manage' ORDER BY means_id, service_id"
    );
    bind_args!(sqlx::query_as(&sql.text), &sql.args).fetch_all(conn).await
}

/// Where a page of the matrix starts. Pages are found by the position of a row (keyset),
/// not by skipping rows, so the 1,000th page costs what the first does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    First,
    /// The rows after the row of this means.
    After(String),
    /// The rows before the row of this means.
    Before(String),
    Last,
}

/// The sort position of one matrix row: (surname, given names, means id).
#[derive(Debug, Clone, sqlx::FromRow)]
struct SortKey {
    surname: String,
    given_names: String,
    id: String,
}

async fn sort_key(conn: &mut Conn, orgs: &[String], means_id: &str) -> Result<Option<SortKey>, sqlx::Error> {
    let mut sql = Sql::default();
    let id = sql.arg(Arg::Text(means_id.to_string()));
    let w = sql.in_list("m.organisation_id", orgs);
    sql.text = format!("SELECT m.surname, m.given_names, m.id FROM means m WHERE m.id = {id} AND {w}");
    bind_args!(sqlx::query_as(&sql.text), &sql.args)
        .fetch_optional(conn)
        .await
}

/// One page of the matrix's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixPage {
    pub rows: Vec<MeansLine>,
    /// Whether more rows lie beyond the page in the direction read: after it for
    /// `First`/`After`, before it for `Before`/`Last`.
    pub more: bool,
    /// The cursor used: `First` when the one asked for names no means of `orgs`.
    pub cursor: Cursor,
}

/// One page of the live means of `orgs` in name order, starting at `cursor`. A cursor
/// naming a means outside `orgs` (or none at all) reads as the first page, exactly like
/// one that does not exist.
pub async fn matrix_page(
    conn: &mut Conn,
    orgs: &[String],
    cursor: &Cursor,
    limit: i64,
) -> Result<MatrixPage, sqlx::Error> {
    let key = match cursor {
        Cursor::After(id) | Cursor::Before(id) => sort_key(conn, orgs, id).await?,
        Cursor::First | Cursor::Last => None,
    };
    let cursor = match (cursor, &key) {
        (Cursor::After(_) | Cursor::Before(_), None) => Cursor::First,
        (c, _) => c.clone(),
    };
    let backwards = matches!(cursor, Cursor::Last | Cursor::Before(_));
    let f = MeansFilter {
        organisation_ids: orgs.to_vec(),
        live_only: true,
        ..Default::default()
    };
    let mut sql = Sql::default();
    let mut w = means_where(&mut sql, &f);
    if let Some(k) = &key {
        let (s, g, i) = (
            sql.arg(Arg::Text(k.surname.clone())),
            sql.arg(Arg::Text(k.given_names.clone())),
            sql.arg(Arg::Text(k.id.clone())),
        );
        // The row-value range lets the (surname, given_names, id) index start at the key.
        let cmp = if backwards { "<" } else { ">" };
        w.push_str(&format!(" AND (m.surname, m.given_names, m.id) {cmp} ({s}, {g}, {i})"));
    }
    let dir = if backwards { "DESC" } else { "ASC" };
    let l = sql.arg(Arg::Int(limit + 1));
    // A page must walk the means_name (surname, given_names, id) index from the key and
    // stop after one page, not read every means and sort them. The organisation's name
    // comes from a subquery so that no join puts organisations first. PostgreSQL finds
    // that plan itself; SQLite's planner may prefer the organisation index and a sort.
    let hint = if conn.backend_name() == "SQLite" {
        "INDEXED BY means_name"
    } else {
        ""
    };
    sql.text = format!(
        "SELECT m.id AS means_id, (SELECT o.name FROM organisations o WHERE o.id = m.organisation_id) AS organisation_name,
                m.given_names, m.prefix, m.surname, m.email, m.level, m.state
         FROM means m {hint}
         WHERE {w} ORDER BY m.surname {dir}, m.given_names {dir}, m.id {dir} LIMIT {l}"
    );
    let mut rows: Vec<MeansLine> = bind_args!(sqlx::query_as(&sql.text), &sql.args).fetch_all(conn).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit.max(0) as usize);
    if backwards {
        rows.reverse();
    }
    Ok(MatrixPage { rows, more, cursor })
}
