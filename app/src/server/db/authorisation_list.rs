//! The filtered list behind Beheer → Machtigingen and behind every number of the
//! overview: authorisations of one or more organisations (always a set the caller
//! manages), by person, service, level, state and "expires within". Manager rights
//! (scope `manage`) are not listed here.

use super::Conn;
use crate::domain::authorisation::{AuthorisationState, ScopeKind};
use crate::domain::value::AssuranceLevel;

/// A bound value of a query built at run time.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Int(i64),
}

/// SQL text with its arguments; [`Sql::arg`] adds one and returns its `$n` placeholder.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
}

impl Sql {
    pub fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }

    /// `column IN ($a, $b, …)`; `FALSE`-like when the list is empty.
    pub fn in_list(&mut self, column: &str, values: &[String]) -> String {
        if values.is_empty() {
            return "1 = 0".into();
        }
        let ps: Vec<String> = values.iter().map(|v| self.arg(Arg::Text(v.clone()))).collect();
        format!("{column} IN ({})", ps.join(", "))
    }
}

/// Binds the arguments of a [`Sql`] to a query of any kind.
#[macro_export]
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                $crate::server::db::authorisation_list::Arg::Text(s) => q.bind(s.clone()),
                $crate::server::db::authorisation_list::Arg::Int(i) => q.bind(*i),
            };
        }
        q
    }};
}

/// `%term%`, lower-cased, LIKE wildcards escaped.
pub fn like_pattern(query: &str) -> String {
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthFilter {
    pub organisation_ids: Vec<String>,
    /// Part of a name or e-mail address.
    pub person: String,
    /// A service id, or `alle` for "all services up to a level".
    pub service: String,
    pub state: String,
    pub level: String,
    /// Only active ones ending after `now` and at or before this instant.
    pub expiring_before: Option<i64>,
    pub now: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct AuthListRow {
    pub id: String,
    pub organisation_name: String,
    pub means_id: String,
    pub given_names: String,
    pub prefix: Option<String>,
    pub surname: String,
    pub email: String,
    pub means_level: AssuranceLevel,
    pub scope: ScopeKind,
    pub service_id: Option<String>,
    pub service_name: Option<String>,
    pub provider: Option<String>,
    pub level: AssuranceLevel,
    pub state: AuthorisationState,
    pub valid_from: i64,
    pub valid_until: i64,
    pub revoked_reason: Option<String>,
}

fn where_clause(sql: &mut Sql, f: &AuthFilter) -> String {
    let mut w = vec![
        sql.in_list("a.organisation_id", &f.organisation_ids),
        "a.scope <> 'manage'".into(),
    ];
    if !f.person.trim().is_empty() {
        let p = sql.arg(Arg::Text(like_pattern(&f.person)));
        w.push(format!(
            "(LOWER(p.given_names || ' ' || COALESCE(p.prefix || ' ', '') || p.surname) LIKE {p} ESCAPE '\\'
              OR p.email LIKE {p} ESCAPE '\\')"
        ));
    }
    match f.service.as_str() {
        "" => {}
        "alle" => w.push("a.scope = 'up_to_level'".into()),
        s => {
            let p = sql.arg(Arg::Text(s.into()));
            w.push(format!("a.service_id = {p}"));
        }
    }
    if !f.state.is_empty() {
        let p = sql.arg(Arg::Text(f.state.clone()));
        w.push(format!("a.state = {p}"));
    }
    if !f.level.is_empty() {
        let p = sql.arg(Arg::Text(f.level.clone()));
        w.push(format!("a.level = {p}"));
    }
    if let Some(before) = f.expiring_before {
        let (n, b) = (sql.arg(Arg::Int(f.now)), sql.arg(Arg::Int(before)));
        w.push(format!(
            "a.state = 'active' AND a.valid_until > {n} AND a.valid_until <= {b}"
        ));
    }
    w.join(" AND ")
}

const FROM: &str = "FROM authorisations a JOIN means p ON p.id = a.means_id";

pub async fn count(conn: &mut Conn, f: &AuthFilter) -> Result<i64, sqlx::Error> {
    let mut sql = Sql::default();
    let w = where_clause(&mut sql, f);
    let from = if f.person.trim().is_empty() {
        "FROM authorisations a"
    } else {
        FROM
    };
    sql.text = format!("SELECT COUNT(*) {from} WHERE {w}");
    bind_args!(sqlx::query_scalar(&sql.text), &sql.args)
        .fetch_one(conn)
        .await
}

/// One page, by surname, given names, service.
pub async fn page(conn: &mut Conn, f: &AuthFilter, offset: i64, limit: i64) -> Result<Vec<AuthListRow>, sqlx::Error> {
    let mut sql = Sql::default();
    let w = where_clause(&mut sql, f);
    let (l, o) = (sql.arg(Arg::Int(limit)), sql.arg(Arg::Int(offset)));
    sql.text = format!(
        "SELECT a.id, o.name AS organisation_name, p.id AS means_id, p.given_names, p.prefix, p.surname, p.email,
                p.level AS means_level, a.scope, a.service_id, s.name AS service_name, s.provider, a.level, a.state,
                a.valid_from, a.valid_until, a.revoked_reason
         {FROM} JOIN organisations o ON o.id = a.organisation_id LEFT JOIN services s ON s.id = a.service_id
         WHERE {w} ORDER BY p.surname, p.given_names, p.id, s.provider, s.name, a.id LIMIT {l} OFFSET {o}"
    );
    bind_args!(sqlx::query_as(&sql.text), &sql.args).fetch_all(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_placeholders_never_text() {
        let mut sql = Sql::default();
        let f = AuthFilter {
            organisation_ids: vec!["o1".into(), "o2".into()],
            person: "jan'; --".into(),
            service: "kvk-uittreksel".into(),
            state: "active".into(),
            ..Default::default()
        };
        let w = where_clause(&mut sql, &f);
        assert!(w.starts_with("a.organisation_id IN ($1, $2)"));
        assert!(!w.contains("jan"));
        assert_eq!(sql.args.len(), 5);
    }

    #[test]
    fn no_organisations_match_nothing() {
        let mut sql = Sql::default();
        assert_eq!(sql.in_list("x", &[]), "1 = 0");
    }
}
