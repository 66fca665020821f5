//! Benchmark: Overzicht with 50,000 people and 200,000 authorisations, through the whole
//! HTTP stack (session, Origin check, server function, JSON), under 50 concurrent clients,
//! on SQLite and on PostgreSQL (`TEST_POSTGRES_URL`). Prints `BENCH` lines.

mod common;

use common::{drop_postgres_db, postgres_db};

use app::server::auth::tokens::RawToken;
use app::server::clock::{SharedClock, SystemClock, DAY_MS};
use app::server::config::Config;
use app::server::db::bulk::{insert_many, Val};
use app::server::db::sessions::{self, SessionRow};
use app::server::db::{accounts, new_id, Db};
use app::server::seed::CATALOGUE;
use app::server::state::AppState;
use axum::body::Body;
use axum::http::Request;
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

const PEOPLE: usize = 50_000;
const PER_PERSON: usize = 4;
const CLIENTS: usize = 50;
const PER_CLIENT: usize = 20;
const LEVELS: [&str; 4] = ["EH2", "EH2+", "EH3", "EH4"];

async fn state(url: &str) -> AppState {
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let state = AppState::new(
        leptos::config::LeptosOptions::builder()
            .output_name("beheermodule")
            .build(),
        db,
        Config::for_tests(url),
        Arc::new(SystemClock) as SharedClock,
    );
    app::server::seed::seed_demo(&state).await.expect("seed");
    state
}

/// 50,000 people with a means in the demo organisation, four authorisations each.
async fn fill(state: &AppState, org: &str) {
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
async fn session(state: &AppState) -> String {
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

async fn call(router: &axum::Router, cookie: &str, endpoint: &str, body: String) -> f64 {
    let req = Request::post(format!("/api/{endpoint}"))
        .header("Cookie", format!("bm_session={cookie}"))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let t = Instant::now();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let _ = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    assert!(status.is_success(), "{endpoint}: {status}");
    t.elapsed().as_secs_f64() * 1000.0
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

async fn run(url: &str, backend: &str) {
    let state = state(url).await;
    let org: String = sqlx::query_scalar("SELECT id FROM organisations WHERE kvk_number = '69599084'")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    fill(&state, &org).await;
    let cookie = session(&state).await;
    let router = server::http::router(state.clone());
    // One manager alone, nothing cached: the cost of computing the counts.
    let mut cold = Vec::new();
    for _ in 0..9 {
        app::server::overview_cache::invalidate(&state.db).await;
        cold.push(call(&router, &cookie, "overview", "alle=false".into()).await);
    }
    cold.sort_by(f64::total_cmp);
    println!("BENCH overview_uncached_p50_ms_{backend} {:.1} ms", pct(&cold, 0.5));
    // The matrix 1,000 pages deep: the page after the 20,000th person in name order.
    let deep: String = sqlx::query_scalar(
        "SELECT m.id FROM means m WHERE m.organisation_id = $1 AND m.state <> 'cancelled'
         ORDER BY m.surname, m.given_names, m.id LIMIT 1 OFFSET 19999",
    )
    .bind(&org)
    .fetch_one(&state.db.pool)
    .await
    .unwrap();
    for (name, endpoint, body) in [
        ("overview", "overview", "alle=false".to_string()),
        (
            "overview_matrix",
            "overview_matrix",
            format!("alle=false&na={deep}&voor=&laatste=false"),
        ),
    ] {
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..CLIENTS {
            let (router, cookie, body) = (router.clone(), cookie.clone(), body.clone());
            tasks.push(tokio::spawn(async move {
                let mut t = Vec::new();
                for _ in 0..PER_CLIENT {
                    t.push(call(&router, &cookie, endpoint, body.clone()).await);
                }
                t
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        let secs = started.elapsed().as_secs_f64();
        all.sort_by(f64::total_cmp);
        println!("BENCH {name}_p50_ms_{backend} {:.1} ms", pct(&all, 0.50));
        println!("BENCH {name}_p99_ms_{backend} {:.1} ms", pct(&all, 0.99));
        println!("BENCH {name}_throughput_{backend} {:.0} req/s", all.len() as f64 / secs);
    }
    state.db.pool.close().await;
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("bench-overview-{}", new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    println!(
        "# {PEOPLE} people, {} authorisations, {CLIENTS} clients × {PER_CLIENT} requests",
        PEOPLE * PER_PERSON
    );
    run(&format!("sqlite://{}/overview.db", dir.display()), "sqlite").await;
    let url = postgres_db().await;
    run(&url, "postgres").await;
    drop_postgres_db(&url).await;
    let _ = std::fs::remove_dir_all(&dir);
}
