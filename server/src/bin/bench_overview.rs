//! Benchmark: Overzicht with 50,000 people and 200,000 authorisations, through the whole
//! HTTP stack (session, Origin check, server function, JSON), under 50 concurrent clients,
//! on SQLite and on PostgreSQL (`TEST_POSTGRES_URL`). Prints `BENCH` lines.

mod common;

use common::people::{deep_means, fill, session, state, PEOPLE, PER_PERSON};
use common::{drop_postgres_db, pct, postgres_db};

use app::server::db::new_id;
use axum::body::Body;
use axum::http::Request;
use std::time::Instant;
use tower::ServiceExt;

const CLIENTS: usize = 50;
const PER_CLIENT: usize = 20;

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
    let deep = deep_means(&state, &org).await;
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
