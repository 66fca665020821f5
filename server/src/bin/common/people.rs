//! The population the HTTP benchmarks share: the demo seed plus 50,000 people with a means
//! in the demo organisation (every tenth still requested, with its open request) and four
//! authorisations each, stored with multi-row inserts; and a complete manager session.

use app::server::auth::tokens::RawToken;
use app::server::clock::{SharedClock, SystemClock, DAY_MS};
use app::server::config::Config;
use app::server::db::bulk::{insert_many, Val};
use app::server::db::sessions::{self, SessionRow};
use app::server::db::{accounts, new_id, Db};
use app::server::seed::CATALOGUE;
use app::server::state::AppState;
use std::sync::Arc;

pub const PEOPLE: usize = 50_000;
pub const PER_PERSON: usize = 4;
const LEVELS: [&str; 4] = ["EH2", "EH2+", "EH3", "EH4"];

/// A migrated, seeded database at `url` with the wall clock; `change` adjusts the test
/// configuration first.
pub async fn state_with(url: &str, change: impl FnOnce(&mut Config)) -> AppState {
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let mut config = Config::for_tests(url);
    change(&mut config);
    let state = AppState::new(
        leptos::config::LeptosOptions::builder()
            .output_name("beheermodule")
            .build(),
        db,
        config,
        Arc::new(SystemClock) as SharedClock,
    );
    app::server::seed::seed_demo(&state).await.expect("seed");
    state
}

#[allow(dead_code)]
pub async fn state(url: &str) -> AppState {
    state_with(url, |_| {}).await
}

/// 50,000 people with a means in the demo organisation, four authorisations each.
pub async fn fill(state: &AppState, org: &str) {
    let now = state.now();
    // The counts and the matrix read means only (accounts play no part in them).
    let (mut means, mut auths, mut requests) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..PEOPLE {
        let m = new_id();
        let level = LEVELS[i % 4];
        let state_name = if i % 10 == 0 { "requested" } else { "active" };
        means.push(vec![
            Val::Text(m.clone()),
            Val::Text(org.into()),
            Val::Text(format!("lid.{i}@bench.example")),
            Val::Text("Lid".into()),
            Val::Text(format!("Bench{i:05}")),
            Val::Text("1990-06-15".into()),
            Val::Text(format!("+316{:08}", 20_000_000 + i)),
            Val::Text(level.into()),
            Val::Text(state_name.into()),
            Val::Int(1),
            Val::Int(now),
            Val::Int(now),
        ]);
        if state_name == "requested" {
            requests.push(vec![
                Val::Text(new_id()),
                Val::Text(org.into()),
                Val::Text("new_means".into()),
                Val::Text("awaiting_email".into()),
                Val::Text(m.clone()),
                Val::Text("{}".into()),
                Val::Int(now),
                Val::Int(now),
            ]);
        }
        for k in 0..PER_PERSON {
            let (svc, _, _, svc_level) = CATALOGUE[(i * PER_PERSON + k) % CATALOGUE.len()];
            let until = now + ((i * 7 + k * 131) % (3 * 365)) as i64 * DAY_MS;
            auths.push(vec![
                Val::Text(new_id()),
                Val::Text(m.clone()),
                Val::Text(org.into()),
                Val::Text("service".into()),
                Val::Text(svc.into()),
                Val::Text(svc_level.into()),
                Val::Int(now - DAY_MS),
                Val::Int(until),
                Val::Text(if k == 3 && i % 5 == 0 { "revoked" } else { "active" }.into()),
                Val::Int(now),
                Val::Int(now),
            ]);
        }
    }
    let mut tx = state.db.begin().await.unwrap();
    let mcols = [
        "id",
        "organisation_id",
        "email",
        "given_names",
        "surname",
        "birth_date",
        "mobile_e164",
        "level",
        "state",
        "employed",
        "created_at",
        "updated_at",
    ];
    insert_many(&mut tx, "means", &mcols, &means).await.unwrap();
    let rcols = [
        "id",
        "organisation_id",
        "kind",
        "state",
        "means_id",
        "payload",
        "created_at",
        "updated_at",
    ];
    insert_many(&mut tx, "requests", &rcols, &requests).await.unwrap();
    let acols = [
        "id",
        "means_id",
        "organisation_id",
        "scope",
        "service_id",
        "level",
        "valid_from",
        "valid_until",
        "state",
        "created_at",
        "updated_at",
    ];
    insert_many(&mut tx, "authorisations", &acols, &auths).await.unwrap();
    tx.commit().await.unwrap();
    // Fresh statistics, as a running database would have.
    sqlx::query("ANALYZE").execute(&state.db.pool).await.unwrap();
}

/// A complete session of the demo manager in the demo organisation.
pub async fn session(state: &AppState) -> String {
    let mut c = state.db.pool.acquire().await.unwrap();
    let manager = accounts::find_by_email(&mut c, "beheerder@demo.example")
        .await
        .unwrap()
        .unwrap();
    let org: String = sqlx::query_scalar("SELECT id FROM organisations WHERE kvk_number = '69599084'")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    let token = RawToken::generate();
    let now = state.now();
    let row = SessionRow {
        id_sha256: token.sha256(),
        account_id: manager.id,
        organisation_id: Some(org.clone()),
        second_factor_done: 1,
        created_at: now,
        expires_at: now + DAY_MS,
        last_seen_at: now,
        manager_orgs: org,
    };
    sessions::insert(&mut c, &row).await.unwrap();
    token.expose().to_string()
}

/// The means after the 20,000th person in name order: a matrix page 1,000 pages deep.
pub async fn deep_means(state: &AppState, org: &str) -> String {
    sqlx::query_scalar(
        "SELECT m.id FROM means m WHERE m.organisation_id = $1 AND m.state <> 'cancelled'
         ORDER BY m.surname, m.given_names, m.id LIMIT 1 OFFSET 19999",
    )
    .bind(org)
    .fetch_one(&state.db.pool)
    .await
    .unwrap()
}
