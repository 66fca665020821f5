//! Multi-row INSERTs for large batches: one statement per few hundred rows instead of one
//! per row, with the parameter count kept under both databases' limits.

use super::Conn;

/// One bound value.
#[derive(Debug, Clone)]
pub enum Val {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
}

/// At most this many parameters per statement (SQLite allows 32,766, PostgreSQL 65,535).
const MAX_PARAMS: usize = 16_000;

/// Inserts `rows` (each with one value per column) into `table`.
pub async fn insert_many(conn: &mut Conn, table: &str, columns: &[&str], rows: &[Vec<Val>]) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let per_stmt = (MAX_PARAMS / columns.len()).max(1);
    let anonymous = super::anonymous_params(conn);
    let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    for chunk in rows.chunks(per_stmt) {
        let mut sql = String::with_capacity(head.len() + chunk.len() * columns.len() * 6);
        sql.push_str(&head);
        let mut n = 0;
        for (i, row) in chunk.iter().enumerate() {
            debug_assert_eq!(row.len(), columns.len());
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..columns.len() {
                n += 1;
                if j > 0 {
                    sql.push_str(", ");
                }
                super::push_param(&mut sql, anonymous, n);
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    Val::Text(s) => q.bind(s.as_str()),
                    Val::OptText(s) => q.bind(s.as_deref()),
                    Val::Int(i) => q.bind(*i),
                    Val::OptInt(i) => q.bind(*i),
                };
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
