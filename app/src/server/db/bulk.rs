//! Multi-row INSERTs for large batches: one statement per few thousand rows instead of one
//! per row, with the parameter count kept under both databases' limits.
//!
//! Rows are fixed-size arrays of [`Val`]s that borrow what the caller already holds and
//! keep generated ids inline ([`Id`]), so a batch of 50,000 people costs a handful of heap
//! allocations per person rather than one per value.

use super::Conn;
use std::fmt::{self, Write};

/// One bound value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val<'a> {
    Str(&'a str),
    OptStr(Option<&'a str>),
    Text(String),
    Id(Id),
    Int(i64),
    OptInt(Option<i64>),
}

/// A fresh id as [`super::new_id`] makes it (UUID v7, lower-case hyphenated text), kept
/// inline instead of in a `String`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Id([u8; 36]);

impl Id {
    pub fn generate() -> Id {
        let mut buf = [0u8; 36];
        uuid::Uuid::now_v7().hyphenated().encode_lower(&mut buf);
        Id(buf)
    }

    pub fn as_str(&self) -> &str {
        // Only ever filled with a hyphenated UUID, which is ASCII.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl AsRef<str> for Id {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// SQLite: at most this many parameters per statement (it allows 32,766). Larger
/// statements measured slower: each copies the pages it touches to its statement journal.
const MAX_PARAMS: usize = 8_000;
/// PostgreSQL: rows per statement; larger arrays measured no faster.
const ROWS_PER_ARRAY: usize = 2_000;

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Inserts `rows` (each with one value per column, in column order) into `table`. Rows
/// may be fixed-size arrays (`[Val; N]`, arity checked by the compiler) or `Vec<Val>`.
///
/// A column that holds the same value in every row (the organisation, the actor, the time,
/// a state) is bound once per statement; only the others are sent per row. SQLite gets a
/// multi-row `VALUES` list, PostgreSQL one array parameter per varying column
/// (`UNNEST($1::text[], …)`), which spares both sides thousands of parameters per
/// statement. Either way every row passes the same constraints and triggers as a plain
/// INSERT, in the caller's transaction.
pub async fn insert_many<'v, R: AsRef<[Val<'v>]>>(
    conn: &mut Conn,
    table: &str,
    columns: &[&str],
    rows: &[R],
) -> Result<(), sqlx::Error> {
    let n = columns.len();
    if let Some(bad) = rows.iter().find(|r| r.as_ref().len() != n) {
        return Err(sqlx::Error::InvalidArgument(format!(
            "{table}: a row has {} values for {n} columns",
            bad.as_ref().len()
        )));
    }
    let Some(first) = rows.first().map(AsRef::as_ref) else {
        return Ok(());
    };
    if n == 0 {
        return Ok(());
    }
    let varies = varying_columns(rows);
    if conn.backend_name() == "PostgreSQL" {
        let sql = unnest_sql(table, columns, first, &varies);
        for chunk in rows.chunks(ROWS_PER_ARRAY) {
            let arrays = array_literals(chunk, &varies);
            let mut q = sqlx::query(&sql);
            for a in &arrays {
                q = q.bind(a.as_str());
            }
            q = bind_constants(q, first, &varies);
            q.execute(&mut *conn).await?;
        }
        return Ok(());
    }
    let anonymous = super::anonymous_params(conn);
    let per_row = varies.iter().filter(|v| **v).count();
    let constants = n - per_row;
    for chunk in rows.chunks((MAX_PARAMS.saturating_sub(constants) / per_row).max(1)) {
        let sql = values_sql(table, columns, &varies, chunk.len(), anonymous);
        let mut q = bind_constants(sqlx::query(&sql), first, &varies);
        for row in chunk {
            for (v, _) in row.as_ref().iter().zip(&varies).filter(|(_, varies)| **varies) {
                q = bind(q, v);
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// For each column, whether its value differs between rows. At least one column counts as
/// varying, so that a statement always has a row source.
fn varying_columns<'v, R: AsRef<[Val<'v>]>>(rows: &[R]) -> Vec<bool> {
    let first = rows[0].as_ref();
    let mut varies: Vec<bool> = (0..first.len())
        .map(|j| rows[1..].iter().any(|row| row.as_ref()[j] != first[j]))
        .collect();
    if !varies.contains(&true) {
        varies[0] = true;
    }
    varies
}

fn bind<'q>(q: AnyQuery<'q>, v: &'q Val<'_>) -> AnyQuery<'q> {
    match v {
        Val::Str(s) => q.bind(*s),
        Val::OptStr(s) => q.bind(*s),
        Val::Text(s) => q.bind(s.as_str()),
        Val::Id(id) => q.bind(id.as_str()),
        Val::Int(i) => q.bind(*i),
        Val::OptInt(i) => q.bind(*i),
    }
}

fn bind_constants<'q>(mut q: AnyQuery<'q>, first: &'q [Val<'_>], varies: &[bool]) -> AnyQuery<'q> {
    for (v, _) in first.iter().zip(varies).filter(|(_, varies)| !**varies) {
        q = bind(q, v);
    }
    q
}

/// `INSERT INTO t (a, b, c) SELECT column1, ?, column2 FROM (VALUES (?, ?), (?, ?))`: the
/// constants' placeholders come first in the text, so they are bound first.
fn values_sql(table: &str, columns: &[&str], varies: &[bool], rows: usize, anonymous: bool) -> String {
    let per_row = varies.iter().filter(|v| **v).count();
    let mut sql = String::with_capacity(64 + columns.len() * 24 + rows * per_row * 8);
    let _ = write!(sql, "INSERT INTO {table} ({}) SELECT ", columns.join(", "));
    let (mut n, mut k) = (0, 0);
    for (j, varies) in varies.iter().enumerate() {
        if j > 0 {
            sql.push_str(", ");
        }
        if *varies {
            k += 1;
            let _ = write!(sql, "column{k}");
        } else {
            n += 1;
            super::push_param(&mut sql, anonymous, n);
        }
    }
    sql.push_str(" FROM (VALUES ");
    for i in 0..rows {
        sql.push_str(if i == 0 { "(" } else { ", (" });
        for j in 0..per_row {
            if j > 0 {
                sql.push_str(", ");
            }
            n += 1;
            super::push_param(&mut sql, anonymous, n);
        }
        sql.push(')');
    }
    sql.push(')');
    sql
}

/// `INSERT INTO t (a, b, c) SELECT u.a, $3, u.c FROM UNNEST($1::text[], $2::bigint[]) AS
/// u(a, c)`: arrays for the varying columns (typed by the kind of value), then constants.
fn unnest_sql(table: &str, columns: &[&str], first: &[Val<'_>], varies: &[bool]) -> String {
    let arrays = varies.iter().filter(|v| **v).count();
    let (mut select, mut unnest, mut names) = (Vec::new(), Vec::new(), Vec::new());
    let mut constant = arrays;
    for ((column, v), varies) in columns.iter().zip(first).zip(varies) {
        if *varies {
            let kind = match v {
                Val::Int(_) | Val::OptInt(_) => "bigint",
                _ => "text",
            };
            unnest.push(format!("${}::{kind}[]", unnest.len() + 1));
            names.push(*column);
            select.push(format!("u.{column}"));
        } else {
            constant += 1;
            select.push(format!("${constant}"));
        }
    }
    format!(
        "INSERT INTO {table} ({}) SELECT {} FROM UNNEST({}) AS u({})",
        columns.join(", "),
        select.join(", "),
        unnest.join(", "),
        names.join(", ")
    )
}

/// One PostgreSQL array literal per varying column: `{"a","b\\"c",NULL}`, `{1,2,NULL}`.
fn array_literals<'v, R: AsRef<[Val<'v>]>>(rows: &[R], varies: &[bool]) -> Vec<String> {
    let mut out = Vec::new();
    for j in (0..varies.len()).filter(|j| varies[*j]) {
        let mut a = String::with_capacity(rows.len() * 40);
        a.push('{');
        for (i, row) in rows.iter().enumerate() {
            if i > 0 {
                a.push(',');
            }
            match &row.as_ref()[j] {
                Val::Str(s) | Val::OptStr(Some(s)) => quote(&mut a, s),
                Val::Text(s) => quote(&mut a, s),
                Val::Id(id) => quote(&mut a, id.as_str()),
                Val::Int(i) | Val::OptInt(Some(i)) => {
                    let _ = write!(a, "{i}");
                }
                Val::OptStr(None) | Val::OptInt(None) => a.push_str("NULL"),
            }
        }
        a.push('}');
        out.push(a);
    }
    out
}

/// A quoted array element: inside double quotes only `"` and `\` need a backslash. Both
/// are ASCII, so scanning bytes never splits a character.
fn quote(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        if b == b'"' || b == b'\\' {
            out.push_str(&s[start..i]);
            out.push('\\');
            start = i;
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_new_id() {
        let (a, b) = (Id::generate(), Id::generate());
        assert_ne!(a, b);
        let parsed = uuid::Uuid::parse_str(a.as_str()).unwrap();
        assert_eq!(parsed.get_version_num(), 7);
        assert_eq!(parsed.hyphenated().to_string(), a.as_str());
        assert_eq!(a.as_str().len(), super::super::new_id().len());
        assert_eq!(format!("{a}"), format!("{a:?}"));
    }

    #[test]
    fn array_literals_quote_every_text() {
        let id = Id::generate();
        let rows = [
            [Val::Str("a,b"), Val::Text("x\"y\\z}".into()), Val::Int(-5), Val::Id(id)],
            [Val::OptStr(None), Val::Text(String::new()), Val::Int(7), Val::Id(id)],
        ];
        let got = array_literals(&rows, &[true; 4]);
        assert_eq!(got[0], r#"{"a,b",NULL}"#);
        assert_eq!(got[1], r#"{"x\"y\\z}",""}"#);
        assert_eq!(got[2], "{-5,7}");
        assert_eq!(got[3], format!("{{\"{id}\",\"{id}\"}}"));
    }

    #[test]
    fn constant_columns_are_bound_once() {
        let id = Id::generate();
        let rows = [
            [Val::Str("a"), Val::Int(1), Val::Id(id), Val::OptStr(None)],
            [Val::Str("b"), Val::Int(1), Val::Id(id), Val::OptStr(None)],
            [Val::Str("c"), Val::Int(2), Val::Id(id), Val::OptStr(None)],
        ];
        let varies = varying_columns(&rows);
        assert_eq!(varies, [true, true, false, false]);
        let as_vecs: Vec<Vec<Val>> = rows.iter().map(|r| r.to_vec()).collect();
        assert_eq!(varying_columns(&as_vecs), varies);
        let cols = ["a", "b", "c", "d"];
        assert_eq!(
            unnest_sql("t", &cols, &rows[0], &varies),
            "INSERT INTO t (a, b, c, d) SELECT u.a, u.b, $3, $4 FROM UNNEST($1::text[], $2::bigint[]) AS u(a, b)"
        );
        assert_eq!(
            values_sql("t", &cols, &varies, 2, true),
            "INSERT INTO t (a, b, c, d) SELECT column1, column2, ?, ? FROM (VALUES (?, ?), (?, ?))"
        );
        assert_eq!(
            values_sql("t", &cols, &[false, true, false, true], 1, false),
            "INSERT INTO t (a, b, c, d) SELECT $1, column1, $2, column2 FROM (VALUES ($3, $4))"
        );
        assert_eq!(
            varying_columns(&rows[..1]),
            [true, false, false, false],
            "one row still has a source"
        );
    }
}
