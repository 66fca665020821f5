//! Integrity checks the crash drill runs after every restart.

use app::server::db::{Backend, Db};

/// Integrity problems found in the whole database: SQLite `PRAGMA integrity_check` and
/// `foreign_key_check`; on PostgreSQL every foreign key and check constraint re-evaluated
/// over all rows.
pub async fn integrity_errors(db: &Db) -> i64 {
    let mut c = db.pool.acquire().await.unwrap();
    match db.backend {
        Backend::Sqlite => {
            let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(&mut *c)
                .await
                .unwrap();
            let fk = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(&mut *c)
                .await
                .unwrap()
                .len();
            i64::from(ok != "ok") + fk as i64
        }
        Backend::Postgres => {
            let checks: Vec<(String, String)> = sqlx::query_as(
                "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint \
                 WHERE contype IN ('f', 'c') AND connamespace = 'public'::regnamespace",
            )
            .fetch_all(&mut *c)
            .await
            .unwrap();
            let mut bad = 0;
            for (table, def) in checks {
                bad += violations(&mut c, &table, &def).await;
            }
            bad
        }
    }
}

/// Rows of `table` that break the constraint `def` (a `FOREIGN KEY (a) REFERENCES t(b)` or
/// a `CHECK (…)` as `pg_get_constraintdef` prints them).
async fn violations(c: &mut sqlx::AnyConnection, table: &str, def: &str) -> i64 {
    let sql = if let Some(check) = def.strip_prefix("CHECK ") {
        format!("SELECT COUNT(*) FROM {table} WHERE NOT {check}")
    } else {
        let (cols, rest) = def["FOREIGN KEY (".len()..].split_once(") REFERENCES ").unwrap();
        let (parent, pcols) = rest.split_once('(').unwrap();
        let pcols = pcols.split(')').next().unwrap();
        let on: Vec<String> = cols
            .split(", ")
            .zip(pcols.split(", "))
            .map(|(a, b)| format!("p.{b} = c.{a}"))
            .collect();
        let present: Vec<String> = cols.split(", ").map(|a| format!("c.{a} IS NOT NULL")).collect();
        format!(
            "SELECT COUNT(*) FROM {table} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {})",
            present.join(" AND "),
            on.join(" AND ")
        )
    };
    sqlx::query_scalar::<_, i64>(&sql).fetch_one(c).await.expect(&sql)
}
