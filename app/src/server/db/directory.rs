//! The people of an organisation with their means, for Beheer → Gebruikers: searched by
//! name or e-mail, paged, always within one organisation.

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct DirectoryRow {
    pub person_id: String,
    pub given_names: String,
    pub prefix: Option<String>,
    pub surname: String,
    pub email: String,
    pub means_id: String,
    pub level: String,
    pub state: String,
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

const FROM: &str = "FROM means m JOIN persons p ON p.id = m.person_id WHERE m.organisation_id = $1";
const SEARCH: &str = " AND (LOWER(p.surname) LIKE $2 ESCAPE '\\' OR LOWER(p.given_names) LIKE $2 ESCAPE '\\'
    OR p.email LIKE $2 ESCAPE '\\' OR LOWER(p.given_names || ' ' || COALESCE(p.prefix || ' ', '') || p.surname) LIKE $2 ESCAPE '\\')";

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
        "SELECT p.id AS person_id, p.given_names, p.prefix, p.surname, p.email, m.id AS means_id, m.level, m.state,
                m.employed, m.created_at AS since
         {FROM}{} ORDER BY p.surname, p.given_names, p.id, m.created_at LIMIT {lim} OFFSET {off}",
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
    sqlx::query_scalar(
        "SELECT p.email FROM means m JOIN persons p ON p.id = m.person_id
         WHERE m.organisation_id = $1 AND m.state <> 'cancelled'",
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await
}

/// Existing persons by e-mail, as (id, email).
pub async fn persons_by_email(conn: &mut Conn, emails: &[&str]) -> Result<Vec<(String, String)>, sqlx::Error> {
    let mut out = Vec::new();
    let anonymous = super::anonymous_params(conn);
    for chunk in emails.chunks(5_000) {
        let mut sql = String::from("SELECT id, email FROM persons WHERE email IN (");
        for i in 1..=chunk.len() {
            if i > 1 {
                sql.push_str(", ");
            }
            super::push_param(&mut sql, anonymous, i);
        }
        sql.push(')');
        let mut q = sqlx::query_as::<_, (String, String)>(&sql);
        for e in chunk {
            q = q.bind(*e);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_patterns_escape_wildcards() {
        assert_eq!(super::pattern(" Jan "), "%jan%");
        assert_eq!(super::pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
