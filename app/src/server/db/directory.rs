//! The people of an organisation with their means, for Beheer → Gebruikers: searched by
//! name or e-mail, paged, always within one organisation, and always with the particulars
//! that organisation entered (they live on its means).

use super::Conn;
use crate::domain::means::MeansState;
use crate::domain::value::AssuranceLevel;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct DirectoryRow {
    pub given_names: String,
    pub prefix: Option<String>,
    pub surname: String,
    pub email: String,
    pub means_id: String,
    pub level: AssuranceLevel,
    pub state: MeansState,
    pub employed: i64,
    pub since: i64,
}

/// `%term%`, lower-cased, with LIKE's wildcards in the term escaped.
pub(crate) fn pattern(query: &str) -> String {
    let mut p = String::from("%");
    for c in query.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

const FROM: &str = "FROM means m WHERE m.organisation_id = $1";
const SEARCH: &str = " AND (LOWER(m.surname) LIKE $2 ESCAPE '\\' OR LOWER(m.given_names) LIKE $2 ESCAPE '\\'
    OR m.email LIKE $2 ESCAPE '\\' OR LOWER(m.given_names || ' ' || COALESCE(m.prefix || ' ', '') || m.surname) LIKE $2 ESCAPE '\\')";

pub async fn count(conn: &mut Conn, organisation_id: &str, query: &str) -> Result<i64, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(*) {FROM}{}",
        if query.trim().is_empty() { "" } else { SEARCH }
    );
    let mut q = sqlx::query_scalar(&sql).bind(organisation_id);
    if !query.trim().is_empty() {
        q = q.bind(pattern(query));
    }
    q.fetch_one(conn).await
}

pub async fn page(
    conn: &mut Conn,
    organisation_id: &str,
    query: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<DirectoryRow>, sqlx::Error> {
    let searching = !query.trim().is_empty();
    let (lim, off) = if searching { ("$3", "$4") } else { ("$2", "$3") };
    let sql = format!(
        "SELECT m.given_names, m.prefix, m.surname, m.email, m.id AS means_id, m.level, m.state,
                m.employed, m.created_at AS since
         {FROM}{} ORDER BY m.surname, m.given_names, m.id LIMIT {lim} OFFSET {off}",
        if searching { SEARCH } else { "" }
    );
    let mut q = sqlx::query_as(&sql).bind(organisation_id);
    if searching {
        q = q.bind(pattern(query));
    }
    q.bind(limit).bind(offset).fetch_all(conn).await
}

/// E-mail addresses of the people who hold a live (not cancelled) means here.
pub async fn live_emails(conn: &mut Conn, organisation_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT m.email FROM means m WHERE m.organisation_id = $1 AND m.state <> 'cancelled'")
        .bind(organisation_id)
        .fetch_all(conn)
        .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_patterns_escape_wildcards() {
        assert_eq!(super::pattern(" Jan "), "%jan%");
        assert_eq!(super::pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
