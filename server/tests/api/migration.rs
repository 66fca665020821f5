//! Migration 0010 (accounts and per-means particulars) carries data of the old model over,
//! on both databases: a database migrated up to 0009 is filled the old way (one global
//! person per address, reused by a second organisation), then migrated to the end.

use crate::both_dbs;
use crate::helpers::TestDb;
use app::server::db::{means, organisations, Backend, Db};
use sqlx::migrate::Migrator;

/// The migrations of `backend` before version `until`, in a temporary directory.
async fn migrator_before(backend: Backend, until: i64) -> (Migrator, tempfile::TempDir) {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(match backend {
        Backend::Sqlite => "../migrations/sqlite",
        Backend::Postgres => "../migrations/postgres",
    });
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let version: i64 = name.split('_').next().unwrap().parse().unwrap();
        if version < until {
            std::fs::copy(&path, dir.path().join(&name)).unwrap();
        }
    }
    (Migrator::new(dir.path()).await.unwrap(), dir)
}

/// A database at the old model, beside `t` (which is migrated to the end already).
async fn old_model(t: &TestDb) -> Db {
    let empty = match t.db.backend {
        Backend::Sqlite => {
            let url = t.url.replace("test.db", "old.db");
            Db::connect(&url).await.unwrap()
        }
        Backend::Postgres => {
            let name = format!("t_{}", uuid::Uuid::new_v4().simple());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&t.db.pool)
                .await
                .unwrap();
            let base = t.url.rsplit_once('/').unwrap().0;
            Db::connect(&format!("{base}/{name}")).await.unwrap()
        }
    };
    let (m, _dir) = migrator_before(empty.backend, 10).await;
    m.run(&empty.pool).await.unwrap();
    empty
}

async fn exec(db: &Db, sql: &str) {
    sqlx::query(sql)
        .execute(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn old_data(db: &Db) {
    for sql in [
        "INSERT INTO organisations (id, kvk_number, name, created_at) VALUES ('oa', '11111111', 'Org A', 1), ('ob', '22222222', 'Org B', 1)",
        // A manager (password), a user with a means in A *and* a requested one in B (the old
        // model reused the person), and someone who never activated.
        "INSERT INTO persons (id, given_names, prefix, surname, birth_date, email, mobile_e164, password_hash, is_backoffice, created_at, updated_at) VALUES
           ('pm', 'Mia', NULL, 'Beheer', '1980-01-01', 'mia@a.nl', '+31611111111', '$argon2id$m', 0, 1, 1),
           ('pu', 'Uma', 'de', 'Gebruiker', '1985-02-02', 'uma@a.nl', '+31622222222', '$argon2id$u', 0, 1, 1),
           ('pn', 'Nol', NULL, 'Nieuw', '1990-03-03', 'nol@a.nl', '+31633333333', NULL, 0, 1, 1),
           ('pb', 'Bo', NULL, 'Balie', '1970-04-04', 'bo@provider.nl', '+31644444444', '$argon2id$b', 1, 1, 1)",
        "INSERT INTO means (id, person_id, organisation_id, level, state, employed, created_at, updated_at) VALUES
           ('mm', 'pm', 'oa', 'EH3', 'active', 1, 1, 1),
           ('mu', 'pu', 'oa', 'EH2+', 'active', 1, 1, 1),
           ('mub', 'pu', 'ob', 'EH3', 'requested', 0, 2, 2),
           ('mn', 'pn', 'oa', 'EH2+', 'requested', 1, 3, 3)",
        "INSERT INTO authorisations (id, means_id, organisation_id, scope, level, valid_from, valid_until, state, granted_by, created_at, updated_at) VALUES
           ('am', 'mm', 'oa', 'manage', 'EH3', 0, 99999999999999, 'active', 'pb', 1, 1)",
        "INSERT INTO requests (id, organisation_id, kind, state, person_id, means_id, requested_by, payload, created_at, updated_at) VALUES
           ('rn', 'oa', 'new_means', 'awaiting_sms', 'pn', 'mn', 'pm', '{}', 3, 3),
           ('rub', 'ob', 'new_means', 'awaiting_email', 'pu', 'mub', NULL, '{}', 2, 2),
           ('ru', 'oa', 'new_means', 'completed', 'pu', 'mu', 'pm', '{}', 1, 1)",
        "INSERT INTO request_events (id, request_id, at, actor, event, detail) VALUES
           ('e1', 'rn', 3, 'pn', 'email_confirmed', '{}'), ('e2', 'rn', 3, 'pm', 'created', '{}')",
        "INSERT INTO sessions (id_sha256, person_id, organisation_id, second_factor_done, created_at, expires_at) VALUES
           ('s1', 'pm', 'oa', 1, 1, 99999999999999)",
    ] {
        exec(db, sql).await;
    }
}

both_dbs!(the_old_model_is_carried_over, |t: TestDb| async move {
    let db = old_model(&t).await;
    old_data(&db).await;
    db.migrate().await.expect("0010 and later apply to old data");
    let mut c = db.pool.acquire().await.unwrap();

    // Accounts: only people who had chosen a password, with their mobile as verified one.
    let accounts: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, email, verified_mobile_e164, staff_name FROM accounts ORDER BY email")
            .fetch_all(&mut *c)
            .await
            .unwrap();
    assert_eq!(
        accounts,
        vec![
            (
                "pb".into(),
                "bo@provider.nl".into(),
                "+31644444444".into(),
                Some("Bo Balie".into())
            ),
            ("pm".into(), "mia@a.nl".into(), "+31611111111".into(), None),
            ("pu".into(), "uma@a.nl".into(), "+31622222222".into(), None),
        ]
    );
    // Each means carries particulars; bound only where the holder had proven it.
    let mu = means::find(&mut c, "oa", "mu").await.unwrap().unwrap();
    assert_eq!(
        (
            mu.account_id.as_deref(),
            mu.display_name().as_str(),
            mu.email.as_str(),
            mu.birth_date.as_str()
        ),
        (Some("pu"), "Uma de Gebruiker", "uma@a.nl", "1985-02-02")
    );
    let mub = means::find(&mut c, "ob", "mub").await.unwrap().unwrap();
    assert_eq!((mub.account_id, mub.mobile_e164.as_str()), (None, "+31622222222"));
    let mn = means::find(&mut c, "oa", "mn").await.unwrap().unwrap();
    assert_eq!((mn.account_id, mn.given_names.as_str()), (None, "Nol"));
    // Requests: the open activations follow the new rules from their start.
    let reqs: Vec<(String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT id, account_id, requested_by FROM requests ORDER BY id")
            .fetch_all(&mut *c)
            .await
            .unwrap();
    assert_eq!(
        reqs,
        vec![
            ("rn".into(), None, Some("pm".into())),
            ("ru".into(), Some("pu".into()), Some("pm".into())),
            ("rub".into(), None, None),
        ]
    );
    let actor: Option<String> = sqlx::query_scalar("SELECT actor FROM request_events WHERE id = 'e1'")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(actor, None, "no account behind it");
    // Everyone logs in again; the manager still manages.
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions")
            .fetch_one(&mut *c)
            .await
            .unwrap(),
        0
    );
    assert_eq!(organisations::managed_by(&mut c, "pm", 5).await.unwrap().len(), 1);
    if db.backend == Backend::Sqlite {
        let dangling: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
            .fetch_all(&mut *c)
            .await
            .unwrap();
        assert!(dangling.is_empty(), "{dangling:?}");
        let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(ok, "ok");
    }
    // The old table is gone; a second organisation's means for the same address stays
    // unique per organisation only.
    assert!(sqlx::query("SELECT 1 FROM persons").fetch_all(&mut *c).await.is_err());
    drop(c);
    db.pool.close().await;
});
