//! The counts of Overzicht for a set of organisations (the current one, or all that the
//! manager manages), the person × service matrix, and the means list behind the counts.
//! Every query groups inside the database over covering indexes (migration 0006).

use super::authorisation_list::{like_pattern, Arg, Sql};
use super::Conn;
use crate::bind_args;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct MeansCount {
    pub level: String,
    pub state: String,
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
    pub scope: String,
    pub service_id: Option<String>,
    pub level: String,
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
    pub person_id: String,
    pub given_names: String,
    pub prefix: Option<String>,
    pub surname: String,
    pub email: String,
    pub level: String,
    pub state: String,
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
            "(LOWER(p.given_names || ' ' || COALESCE(p.prefix || ' ', '') || p.surname) LIKE {p} ESCAPE '\\'
              OR p.email LIKE {p} ESCAPE '\\')"
        ));
    }
    w.join(" AND ")
}

pub async fn count_means(conn: &mut Conn, f: &MeansFilter) -> Result<i64, sqlx::Error> {
    let mut sql = Sql::default();
    let w = means_where(&mut sql, f);
    let from = if f.person.trim().is_empty() {
        "FROM means m"
    } else {
        "FROM means m JOIN persons p ON p.id = m.person_id"
    };
    sql.text = format!("SELECT COUNT(*) {from} WHERE {w}");
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
        "SELECT m.id AS means_id, o.name AS organisation_name, p.id AS person_id, p.given_names, p.prefix, p.surname,
                p.email, m.level, m.state
         FROM means m JOIN persons p ON p.id = m.person_id JOIN organisations o ON o.id = m.organisation_id
         WHERE {w} ORDER BY p.surname, p.given_names, p.id, m.organisation_id LIMIT {l} OFFSET {o}"
    );
    bind_args!(sqlx::query_as(&sql.text), &sql.args).fetch_all(conn).await
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct Cell {
    pub means_id: String,
    pub scope: String,
    pub service_id: Option<String>,
    pub level: String,
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
