//! Repository tests, continued: sessions, SMS codes, audit with its change, bulk inserts and
//! the SQLite WAL checkpoint, concurrent writers. Each on SQLite and PostgreSQL with its own
//! fresh database.

use crate::both_dbs;
use crate::helpers::TestDb;
use app::domain::audit::{AuditAction, AuditEvent, TargetKind};

use app::server::db::bulk::{insert_many, Id, Val};

use app::server::db::organisations;

use crate::repos::*;
use app::server::db::audit;
use app::server::db::sessions::{self, SessionRow};
use app::server::db::sms_codes::{self, Owner};

both_dbs!(sessions_expire_and_end, |t: TestDb| async move {
    let mut c = t.db.pool.acquire().await.unwrap();
    let (o, p, _) = fixture(&mut c).await;
    let s0 = SessionRow {
        id_sha256: "h1".into(),
        account_id: p.id.clone(),
        organisation_id: None,
        second_factor_done: 0,
        created_at: 0,
        expires_at: 100,
        last_seen_at: 0,
        manager_orgs: String::new(),
    };
    let s = s0.clone();
    sessions::insert(&mut c, &s).await.unwrap();
    assert!(sessions::find_live(&mut c, "h1", 99).await.unwrap().is_some());
    assert!(
        sessions::find_live(&mut c, "h1", 100).await.unwrap().is_none(),
        "expired at its end"
    );
    sessions::set_organisation(&mut c, "h1", &o.id).await.unwrap();
    assert_eq!(
        sessions::find_live(&mut c, "h1", 0)
            .await
            .unwrap()
            .unwrap()
            .organisation_id,
        Some(o.id.clone())
    );
    sms_codes::replace(&mut c, Owner::Session("h1"), "hash", 0, 50, 5)
        .await
        .unwrap();
    assert_eq!(
        sessions::delete_expired(&mut c, 100).await.unwrap(),
        1,
        "the session and its codes go"
    );
    assert!(sms_codes::latest(&mut c, Owner::Session("h1")).await.unwrap().is_none());
    sessions::insert(
        &mut c,
        &SessionRow {
            id_sha256: "h2".into(),
            ..s
        },
    )
    .await
    .unwrap();
    assert_eq!(sessions::delete(&mut c, "h2").await.unwrap(), 1);
    assert_eq!(sessions::delete(&mut c, "h2").await.unwrap(), 0);
    // An account's sessions end per organisation, or all but one.
    let other = org("87654321", None);
    organisations::insert(&mut c, &other).await.unwrap();
    for (id, o) in [("in-o", &o.id), ("in-other", &other.id), ("keep", &o.id)] {
        sessions::insert(
            &mut c,
            &SessionRow {
                id_sha256: id.into(),
                organisation_id: Some(o.clone()),
                expires_at: 1_000,
                ..s0.clone()
            },
        )
        .await
        .unwrap();
    }
    sessions::touch(&mut c, "keep", 77).await.unwrap();
    assert_eq!(
        sessions::find_live(&mut c, "keep", 0)
            .await
            .unwrap()
            .unwrap()
            .last_seen_at,
        77
    );
    assert_eq!(
        sessions::delete_for_account_in(&mut c, &p.id, &other.id).await.unwrap(),
        1
    );
    assert!(sessions::find_live(&mut c, "in-other", 0).await.unwrap().is_none());
    assert_eq!(
        sessions::delete_for_account(&mut c, &p.id, Some("keep")).await.unwrap(),
        1
    );
    assert!(sessions::find_live(&mut c, "keep", 0).await.unwrap().is_some());
    let opened = SessionRow {
        manager_orgs: format!("{},{}", o.id, other.id),
        ..s0.clone()
    };
    assert!(opened.opened_for(&other.id) && !s0.opened_for(&o.id) && !opened.opened_for(""));
});

both_dbs!(sms_codes_supersede_and_count_down, |t: TestDb| async move {
    let mut c = t.db.pool.acquire().await.unwrap();
    let (_, p, _) = fixture(&mut c).await;
    let s = SessionRow {
        id_sha256: "s".into(),
        account_id: p.id.clone(),
        organisation_id: None,
        second_factor_done: 0,
        created_at: 0,
        expires_at: 1_000_000,
        last_seen_at: 0,
        manager_orgs: String::new(),
    };
    sessions::insert(&mut c, &s).await.unwrap();
    let first = sms_codes::replace(&mut c, Owner::Session("s"), "h-1", 0, 600, 2)
        .await
        .unwrap();
    let second = sms_codes::replace(&mut c, Owner::Session("s"), "h-2", 0, 600, 2)
        .await
        .unwrap();
    let live = sms_codes::latest(&mut c, Owner::Session("s")).await.unwrap().unwrap();
    assert_eq!(
        (live.id.as_str(), live.code_hash.as_str()),
        (second.as_str(), "h-2"),
        "same instant: the unsuperseded one"
    );
    assert!(
        !sms_codes::mark_used(&mut c, &first, 1).await.unwrap(),
        "a superseded code is never used"
    );
    assert_eq!(sms_codes::spend_try(&mut c, &second).await.unwrap(), Some(1));
    assert_eq!(sms_codes::spend_try(&mut c, &second).await.unwrap(), Some(0));
    assert_eq!(sms_codes::spend_try(&mut c, &second).await.unwrap(), None);
    assert!(
        !sms_codes::mark_used(&mut c, &second, 1).await.unwrap(),
        "no tries left"
    );
    let third = sms_codes::replace(&mut c, Owner::Session("s"), "h-3", 5, 600, 5)
        .await
        .unwrap();
    assert!(sms_codes::mark_used(&mut c, &third, 6).await.unwrap());
    assert!(!sms_codes::mark_used(&mut c, &third, 7).await.unwrap(), "single use");
    assert_eq!(sms_codes::count_since(&mut c, Owner::Session("s"), 0).await.unwrap(), 3);
    assert_eq!(sms_codes::count_since(&mut c, Owner::Session("s"), 5).await.unwrap(), 1);
});

both_dbs!(audit_is_written_with_the_change_or_not_at_all, |t: TestDb| async move {
    let o = org("11112222", None);
    let mut tx = t.db.begin().await.unwrap();
    organisations::insert(&mut tx, &o).await.unwrap();
    audit::insert(
        &mut tx,
        &AuditEvent::new(AuditAction::OrganisationCreated, TargetKind::Organisation, &o.id).organisation(&o.id),
        7,
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    let mut c = t.db.pool.acquire().await.unwrap();
    assert!(audit::recent(&mut c, None, 10).await.unwrap().is_empty());
    assert!(organisations::find(&mut c, &o.id).await.unwrap().is_none());
    drop(c);

    let mut tx = t.db.begin().await.unwrap();
    organisations::insert(&mut tx, &o).await.unwrap();
    let ev = AuditEvent::new(AuditAction::OrganisationCreated, TargetKind::Organisation, &o.id)
        .organisation(&o.id)
        .actor("someone")
        .after(serde_json::json!({ "name": o.name }));
    audit::insert(&mut tx, &ev, 7).await.unwrap();
    audit::insert(
        &mut tx,
        &AuditEvent::new(AuditAction::LoggedOut, TargetKind::Person, "p"),
        8,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut c = t.db.pool.acquire().await.unwrap();
    let all = audit::recent(&mut c, None, 10).await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
        ["logged_out", "organisation_created"]
    );
    let mine = audit::recent(&mut c, Some(&o.id), 10).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].actor.as_deref(), Some("someone"));
    assert!(mine[0].after_json.as_deref().unwrap().contains("Org 11112222"));
});

both_dbs!(bulk_inserts_keep_every_value_as_given, |t: TestDb| async move {
    let mut c = t.db.pool.acquire().await.unwrap();
    sqlx::query("CREATE TABLE bulk_probe (id TEXT PRIMARY KEY, txt TEXT, num BIGINT, fixed TEXT, gap TEXT)")
        .execute(&mut *c)
        .await
        .unwrap();
    let awkward = [
        "plain",
        "",
        "NULL",
        r#"quote " and \ backslash"#,
        "{braces}, commas, (brackets)",
        "regel\nnieuwe regel\ttab",
        "één ẞ 😀",
        "  spaties  ",
    ];
    // Enough rows for several statements on either backend.
    let n = 6_001;
    let ids: Vec<Id> = (0..n).map(|_| Id::generate()).collect();
    let rows: Vec<[Val; 5]> = (0..n)
        .map(|i| {
            [
                Val::Id(ids[i]),
                match i % 9 {
                    8 => Val::OptStr(None),
                    k => Val::Str(awkward[k]),
                },
                if i % 5 == 4 {
                    Val::OptInt(None)
                } else {
                    Val::OptInt(Some(i as i64 - 3_000))
                },
                Val::Str("zelfde \"waarde\""),
                Val::OptStr(None),
            ]
        })
        .collect();
    let mut tx = t.db.begin().await.unwrap();
    insert_many(&mut tx, "bulk_probe", &["id", "txt", "num", "fixed", "gap"], &rows)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    type Stored = (String, Option<String>, Option<i64>, Option<String>, Option<String>);
    let stored: Vec<Stored> = sqlx::query_as("SELECT id, txt, num, fixed, gap FROM bulk_probe ORDER BY id")
        .fetch_all(&mut *c)
        .await
        .unwrap();
    assert_eq!(stored.len(), n);
    for (i, (id, txt, num, fixed, gap)) in stored.into_iter().enumerate() {
        assert_eq!(id, ids[i].as_str(), "ids are time-ordered");
        assert_eq!(txt.as_deref(), (i % 9 != 8).then(|| awkward[i % 9]), "row {i}");
        assert_eq!(num, (i % 5 != 4).then(|| i as i64 - 3_000), "row {i}");
        assert_eq!(fixed.as_deref(), Some("zelfde \"waarde\""));
        assert_eq!(gap, None);
    }
    // A row of the wrong length is refused before anything is sent.
    let short = [vec![Val::Id(Id::generate()), Val::Str("x")]];
    let err = insert_many(&mut c, "bulk_probe", &["id", "txt", "num"], &short).await;
    assert!(matches!(err, Err(sqlx::Error::InvalidArgument(_))), "{err:?}");
    // A failing row fails the whole call, and the transaction with it.
    let mut tx = t.db.begin().await.unwrap();
    let dup = [[
        Val::Id(ids[0]),
        Val::Str("x"),
        Val::Int(1),
        Val::Str("y"),
        Val::OptStr(None),
    ]];
    assert!(
        insert_many(&mut tx, "bulk_probe", &["id", "txt", "num", "fixed", "gap"], &dup)
            .await
            .is_err()
    );
});

/// SQLite: commits leave their pages in the WAL (no checkpoint inside a commit), and the
/// background task copies them into the database file within a few seconds.
#[tokio::test]
async fn sqlite_wal_is_checkpointed_in_the_background() {
    let t = TestDb::new(crate::helpers::Which::Sqlite).await;
    let auto: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint")
        .fetch_one(&t.db.pool)
        .await
        .unwrap();
    assert_eq!(auto, 0, "a commit must not run the checkpoint itself");
    let file = std::path::PathBuf::from(t.url.trim_start_matches("sqlite://"));
    let size = || std::fs::metadata(&file).unwrap().len();
    sqlx::query("CREATE TABLE filler (x TEXT NOT NULL)")
        .execute(&t.db.pool)
        .await
        .unwrap();
    let before = size();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
         INSERT INTO filler SELECT printf('%0250d', i) FROM n",
    )
    .execute(&t.db.pool)
    .await
    .unwrap();
    let deadline = std::time::Instant::now() + app::server::db::CHECKPOINT_EVERY * 10;
    while size() < before + 4_000_000 {
        assert!(
            std::time::Instant::now() < deadline,
            "the 5 MB just written never reached the database file ({} → {} bytes)",
            before,
            size()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

// Two transactions that read and then write at the same moment both commit: on SQLite the
// second waits for the first instead of failing with "database is locked".
both_dbs!(
    concurrent_read_then_write_transactions_both_commit,
    |t: TestDb| async move {
        sqlx::query("CREATE TABLE writers_probe (n INTEGER NOT NULL)")
            .execute(&t.db.pool)
            .await
            .unwrap();
        let count = "SELECT COUNT(*) FROM writers_probe";
        let mut first = t.db.begin().await.unwrap();
        let seen: i64 = sqlx::query_scalar(count).fetch_one(&mut *first).await.unwrap();
        let db = t.db.clone();
        let second = tokio::spawn(async move {
            let mut tx = db.begin().await.map_err(|e| e.to_string())?;
            let n: i64 = sqlx::query_scalar(count)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            sqlx::query("INSERT INTO writers_probe (n) VALUES ($1)")
                .bind(n)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())
        });
        // Time for the second to commit first, if the database lets it.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        sqlx::query("INSERT INTO writers_probe (n) VALUES ($1)")
            .bind(seen)
            .execute(&mut *first)
            .await
            .expect("the first writer writes");
        first.commit().await.expect("the first writer commits");
        second.await.unwrap().expect("the second writer commits after it");
        let rows: i64 = sqlx::query_scalar(count).fetch_one(&t.db.pool).await.unwrap();
        assert_eq!(rows, 2);
    }
);
