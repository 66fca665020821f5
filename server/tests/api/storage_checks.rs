//! The database's own guard on stored names (migration 0015): on both backends every
//! column that holds an enum's name accepts exactly the names of that enum's table in
//! Rust (`app::server::db::stored`) and refuses anything else, on insert and on update.

use crate::both_dbs;
use crate::helpers::TestDb;
use app::server::db::stored::Stored;
use app::server::db::Conn;
use std::collections::BTreeSet;

/// One row in every table with a stored-name column, all names valid.
const BASE_ROWS: &[&str] = &[
    "INSERT INTO organisations (id, kvk_number, branch_number, name, created_at) VALUES ('o1', '69599084', NULL, 'Org', 1)",
    "INSERT INTO accounts (id, email, password_hash, verified_mobile_e164, created_at, updated_at)
       VALUES ('a1', 'jan@example.nl', '!unknown', '+31612345678', 1, 1)",
    "INSERT INTO means (id, account_id, organisation_id, email, given_names, prefix, surname, birth_date, mobile_e164,
       level, state, employed, created_at, updated_at)
       VALUES ('m1', 'a1', 'o1', 'jan@example.nl', 'Jan', NULL, 'Dijk', '1980-01-31', '+31612345678', 'EH3', 'active', 1, 1, 1)",
    "INSERT INTO services (id, name, provider, required_level) VALUES ('s1', 'Dienst', 'Aanbieder', 'EH2')",
    "INSERT INTO authorisations (id, means_id, organisation_id, scope, service_id, level, valid_from, valid_until, state, created_at, updated_at)
       VALUES ('au1', 'm1', 'o1', 'service', 's1', 'EH3', 0, 10, 'active', 1, 1)",
    "INSERT INTO batches (id, organisation_id, file_sha256, row_count, state, created_by, created_at)
       VALUES ('b1', 'o1', 'staged:b1', 0, 'staged', 'a1', 1)",
    "INSERT INTO requests (id, organisation_id, kind, state, means_id, payload, created_at, updated_at)
       VALUES ('r1', 'o1', 'new_means', 'submitted', 'm1', '{}', 1, 1)",
    "INSERT INTO request_events (id, request_id, at, actor, event, detail) VALUES ('e1', 'r1', 1, NULL, 'created', '{}')",
    "INSERT INTO verification_tokens (token_sha256, request_id, purpose, created_at, expires_at) VALUES ('t1', 'r1', 'activate', 1, 2)",
    "INSERT INTO account_flows (id, account_id, purpose, step, created_at, expires_at)
       VALUES ('f1', 'a1', 'password_reset', 'awaiting_link', 1, 2)",
    "INSERT INTO audit_events (id, at, action, target_kind, target_id) VALUES ('ev1', 1, 'demo_seeded', 'organisation', 'o1')",
    "INSERT INTO documents (id, request_id, kind, storage_name, mime, size_bytes, sha256, created_at)
       VALUES ('d1', 'r1', 'id_copy', 'x', 'image/png', 1, 'h', 1)",
    "INSERT INTO registrations (id, request_id, organisation_id, kvk_number, org_name, branch_number, extract_date,
       arrange_extract, requested_level, signing, applicant, representatives, contract_holder, submitted_at, due_min,
       due_max, version)
       VALUES ('g1', 'r1', 'o1', '69599084', 'Org', NULL, NULL, 0, 'EH3', 'alone', '{}', '[]', '{}', 1, '2026-01-01', '2026-01-02', 1)",
    "INSERT INTO login_attempts (id, subject, kind, at) VALUES ('l1', 'subject', 'success', 1)",
    "INSERT INTO outbox (id, channel, recipient, subject, body, template, created_at, next_attempt_at)
       VALUES ('x1', 'email', 'jan@example.nl', NULL, 'tekst', NULL, 1, 1)",
];

async fn base(conn: &mut Conn) {
    for sql in BASE_ROWS {
        sqlx::query(sql)
            .execute(&mut *conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// Every name of `T` is accepted in `table.column` (the row keyed `key = id`), an unknown
/// name is refused; returns the enum's name for the coverage check.
async fn check<T: Stored>(conn: &mut Conn, table: &str, column: &str, key: &str, id: &str) -> &'static str {
    let sql = format!("UPDATE {table} SET {column} = $1 WHERE {key} = $2");
    for v in T::all() {
        let done = sqlx::query(&sql).bind(v.name()).bind(id).execute(&mut *conn).await;
        let n = done.unwrap_or_else(|e| panic!("{table}.{column} refuses {:?}: {e}", v.name()));
        assert_eq!(n.rows_affected(), 1, "{table}.{column}");
    }
    let refused = sqlx::query(&sql)
        .bind("no_such_name")
        .bind(id)
        .execute(&mut *conn)
        .await;
    assert!(refused.is_err(), "{table}.{column} accepts an unknown name");
    T::TYPE
}

both_dbs!(
    every_stored_name_column_takes_exactly_its_enum_names,
    |t: TestDb| async move {
        use app::domain::account_flow::{FlowPurpose, FlowStep};
        use app::domain::audit::{AuditAction, TargetKind};
        use app::domain::authorisation::{AuthorisationState, ScopeKind};
        use app::domain::means::MeansState;
        use app::domain::request::{RequestKind, RequestState, TimelineEvent};
        use app::domain::value::AssuranceLevel;
        use app::server::db::batches::BatchState;
        use app::server::db::documents::DocumentKind;
        use app::server::db::login_attempts::AttemptKind;
        use app::server::db::outbox::Channel;
        use app::server::db::tokens::Purpose;

        let mut c = t.db.pool.acquire().await.unwrap();
        base(&mut c).await;
        let c = &mut *c;
        let covered: BTreeSet<&str> = [
            check::<AssuranceLevel>(c, "means", "level", "id", "m1").await,
            check::<MeansState>(c, "means", "state", "id", "m1").await,
            check::<AssuranceLevel>(c, "services", "required_level", "id", "s1").await,
            check::<ScopeKind>(c, "authorisations", "scope", "id", "au1").await,
            check::<AssuranceLevel>(c, "authorisations", "level", "id", "au1").await,
            check::<AuthorisationState>(c, "authorisations", "state", "id", "au1").await,
            check::<BatchState>(c, "batches", "state", "id", "b1").await,
            check::<RequestKind>(c, "requests", "kind", "id", "r1").await,
            check::<RequestState>(c, "requests", "state", "id", "r1").await,
            check::<TimelineEvent>(c, "request_events", "event", "id", "e1").await,
            check::<Purpose>(c, "verification_tokens", "purpose", "token_sha256", "t1").await,
            check::<FlowPurpose>(c, "account_flows", "purpose", "id", "f1").await,
            check::<FlowStep>(c, "account_flows", "step", "id", "f1").await,
            check::<AuditAction>(c, "audit_events", "action", "id", "ev1").await,
            check::<TargetKind>(c, "audit_events", "target_kind", "id", "ev1").await,
            check::<DocumentKind>(c, "documents", "kind", "id", "d1").await,
            check::<AssuranceLevel>(c, "registrations", "requested_level", "id", "g1").await,
            check::<AttemptKind>(c, "login_attempts", "kind", "id", "l1").await,
            check::<Channel>(c, "outbox", "channel", "id", "x1").await,
        ]
        .into_iter()
        .collect();

        // Every stored enum has at least one guarded column.
        let mut all = BTreeSet::new();
        fn add<T: Stored>(all: &mut BTreeSet<&'static str>) {
            all.insert(T::TYPE);
        }
        app::for_each_stored!(add, &mut all);
        assert_eq!(covered, all);
    }
);

both_dbs!(
    an_unknown_state_is_refused_on_insert_and_update,
    |t: TestDb| async move {
        let mut c = t.db.pool.acquire().await.unwrap();
        base(&mut c).await;
        let insert = sqlx::query(
            "INSERT INTO requests (id, organisation_id, kind, state, means_id, payload, created_at, updated_at)
         VALUES ('r2', 'o1', 'new_means', 'half_done', 'm1', '{}', 1, 1)",
        )
        .execute(&mut *c)
        .await;
        assert!(insert.is_err(), "an unknown request state was stored");
        let update = sqlx::query("UPDATE means SET state = 'Active' WHERE id = 'm1'")
            .execute(&mut *c)
            .await;
        assert!(update.is_err(), "a state in the wrong case was stored");
        let kept: String = sqlx::query_scalar("SELECT state FROM means WHERE id = 'm1'")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(kept, "active");
        let nothing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM requests WHERE id = 'r2'")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(nothing, 0);
    }
);

both_dbs!(an_unknown_stored_name_is_a_decode_error, |t: TestDb| async move {
    // Past the database's guard (the SQLite trigger dropped), reading is strict too.
    if t.url.starts_with("postgres") {
        sqlx::query("ALTER TABLE means DROP CONSTRAINT means_state_names")
            .execute(&t.db.pool)
            .await
            .unwrap();
    } else {
        sqlx::query("DROP TRIGGER means_state_names_update")
            .execute(&t.db.pool)
            .await
            .unwrap();
    }
    let mut c = t.db.pool.acquire().await.unwrap();
    base(&mut c).await;
    sqlx::query("UPDATE means SET state = 'dormant' WHERE id = 'm1'")
        .execute(&mut *c)
        .await
        .unwrap();
    let err = app::server::db::means::find(&mut c, "o1", "m1").await.unwrap_err();
    assert!(
        matches!(err, sqlx::Error::ColumnDecode { .. }) && err.to_string().contains("dormant"),
        "{err}"
    );
});
