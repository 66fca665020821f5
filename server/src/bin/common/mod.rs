//! What the benchmark binaries share: a scratch PostgreSQL database per run, and a
//! migrated database with one organisation and its manager.

#[allow(dead_code)]
pub mod integrity;
#[allow(dead_code)]
pub mod people;
#[allow(dead_code)]
pub mod sinks;
#[cfg(feature = "bench")]
#[allow(dead_code)]
pub mod web;

use app::server::db::accounts::{self, AccountRow};
use app::server::db::organisations::{self, OrganisationRow};
use app::server::db::{new_id, Backend, Db};

/// The server that `scripts/postgres.sh` starts, as a role that may create databases.
fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://beheer:beheer@127.0.0.1:5432/postgres".into())
}

async fn admin() -> Db {
    Db::connect(&admin_url())
        .await
        .expect("PostgreSQL must be running (scripts/postgres.sh)")
}

/// A new, empty database; its URL. [`drop_postgres_db`] removes it again.
pub async fn postgres_db() -> String {
    let db = admin().await;
    let name = format!("bench_{}", new_id().replace('-', ""));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&db.pool)
        .await
        .expect("create the benchmark database");
    db.pool.close().await;
    let admin = admin_url();
    format!("{}/{name}", admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin))
}

/// Removes a database made by [`postgres_db`] (its pools must be closed).
pub async fn drop_postgres_db(url: &str) {
    let Some((_, name)) = url.rsplit_once('/') else { return };
    let db = admin().await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&db.pool)
        .await
        .expect("drop the benchmark database");
    db.pool.close().await;
}

/// Writes PostgreSQL's dirty pages out now, so that a timed run does not pay for the
/// checkpoint an earlier run's WAL set off (needs `pg_checkpoint`, which
/// `scripts/postgres.sh` grants). SQLite: nothing to do.
#[allow(dead_code)]
pub async fn settle(db: &Db) {
    if db.backend == Backend::Postgres {
        sqlx::query("CHECKPOINT")
            .execute(&db.pool)
            .await
            .expect("CHECKPOINT (run scripts/postgres.sh: it grants pg_checkpoint)");
    }
}

/// Connects to `url`, migrates, and stores one organisation with its manager; their ids.
#[allow(dead_code)]
pub async fn fresh(url: &str) -> (Db, String, String) {
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let org = OrganisationRow {
        id: new_id(),
        kvk_number: "12345678".into(),
        branch_number: None,
        name: "Bench B.V.".into(),
        created_at: 0,
    };
    let manager = AccountRow {
        id: new_id(),
        email: "bea@example.nl".into(),
        verified_mobile_e164: "+31612345678".into(),
        language: "nl".into(),
        is_backoffice: 0,
        staff_name: None,
        created_at: 0,
        updated_at: 0,
    };
    let mut c = db.pool.acquire().await.unwrap();
    organisations::insert(&mut c, &org).await.unwrap();
    // No one logs in here: a hash that no password matches.
    accounts::insert(&mut c, &manager, "!").await.unwrap();
    drop(c);
    (db, org.id, manager.id)
}

/// The `p` quantile (0–1) of ascending `sorted` samples, nearest rank.
#[allow(dead_code)]
pub fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}
