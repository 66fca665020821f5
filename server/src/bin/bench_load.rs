//! Load: 50 concurrent clients for 60 s of a manager's realistic mix through the whole HTTP
//! stack (session, Origin check, server function or page render), over 50,000 people and
//! 200,000 authorisations, on SQLite and on PostgreSQL (`TEST_POSTGRES_URL`):
//!
//! - one client logs in over and over (password, then the SMS code from the outbox);
//! - 49 clients pick, per request, the Gebruikers page (rendered), the Gebruikers list, a
//!   search, Lopende aanvragen, Overzicht, the matrix 1,000 pages deep, or a grant.
//!
//! Prints `BENCH load_<endpoint>_p50_ms_<db>`, `…_p99_ms_<db>`, the request count, errors
//! (any answer that is not a success) and this process's resident memory at the end (the
//! server and the clients share the process). `LOAD_SECONDS` shortens the run.

mod common;

use app::server::db::new_id;
use app::upload::sample::SplitMix;
use axum::body::Body;
use axum::http::Request;
use common::people::{deep_means, fill, session, state_with};
use common::{drop_postgres_db, pct, postgres_db};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower::ServiceExt;

const CLIENTS: usize = 50;
const MANAGER: (&str, &str, &str) = ("beheerder@demo.example", "Demo-beheer-2026!", "+31612345678");

type Samples = Arc<Mutex<BTreeMap<&'static str, Vec<f64>>>>;

struct Load {
    router: axum::Router,
    samples: Samples,
    errors: Arc<AtomicUsize>,
}

impl Load {
    /// Sends one request; records its time under `name`, or an error. Returns the
    /// session cookie it set, if any, and the body.
    async fn send(&self, name: &'static str, req: Request<Body>) -> (Option<String>, String) {
        let t = Instant::now();
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let cookie = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                v.strip_prefix("bm_session=")
                    .map(|r| r.split(';').next().unwrap_or("").to_string())
            })
            .filter(|v| !v.is_empty());
        let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if status.is_success() || status.is_redirection() {
            self.samples.lock().unwrap().entry(name).or_default().push(ms);
        } else {
            self.errors.fetch_add(1, Ordering::Relaxed);
            eprintln!(
                "# {name}: {status} {}",
                String::from_utf8_lossy(&body).chars().take(200).collect::<String>()
            );
        }
        (cookie, String::from_utf8_lossy(&body).into_owned())
    }
}

fn form(endpoint: &str, cookie: Option<&str>, body: String) -> Request<Body> {
    let mut b = Request::post(format!("/api/{endpoint}"))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Content-Type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header("Cookie", format!("bm_session={c}"));
    }
    b.body(Body::from(body)).unwrap()
}

fn json(endpoint: &str, cookie: &str, body: serde_json::Value) -> Request<Body> {
    Request::post(format!("/api/{endpoint}"))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Content-Type", "application/json")
        .header("Cookie", format!("bm_session={cookie}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn page(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header("Cookie", format!("bm_session={cookie}"))
        .body(Body::empty())
        .unwrap()
}

fn resident_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

async fn login(load: &Load, state: &app::server::state::AppState) {
    let (pending, _) = load
        .send(
            "login_password",
            form("login", None, format!("email={}&password={}", MANAGER.0, MANAGER.1)),
        )
        .await;
    let Some(pending) = pending else { return };
    let rows = app::server::db::outbox::list(&state.db, Some(MANAGER.2), 1)
        .await
        .unwrap();
    let code = rows
        .first()
        .and_then(|r| app::server::notify::extract_code(&r.body))
        .expect("a code in the outbox");
    load.send(
        "login_code",
        form("verify_code", Some(&pending), format!("code={code}")),
    )
    .await;
}

async fn run(url: &str, backend: &str, seconds: u64) {
    // The mix logs one manager in again and again from one address: the per-account SMS
    // caps and the per-address budgets are raised so that they do not end the run.
    let state = state_with(url, |c| {
        c.login_limits.sms_per_hour = 1_000_000;
        c.login_limits.sms_per_day = 1_000_000;
        c.address_limits.logins_per_hour = 1_000_000;
        c.address_limits.sms_per_hour = 1_000_000;
    })
    .await;
    let org: String = sqlx::query_scalar("SELECT id FROM organisations WHERE kvk_number = '69599084'")
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    fill(&state, &org).await;
    let cookie = session(&state).await;
    let means: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM means WHERE organisation_id = $1 AND state = 'active' AND level IN ('EH3', 'EH4') \
         ORDER BY id LIMIT 5000",
    )
    .bind(&org)
    .fetch_all(&state.db.pool)
    .await
    .unwrap();
    let deep = deep_means(&state, &org).await;
    let load = Arc::new(Load {
        router: server::http::router(state.clone()),
        samples: Arc::default(),
        errors: Arc::default(),
    });
    let today = app::domain::time::date_amsterdam(state.now()).iso();
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let (load, state, cookie, means, deep, today) = (
            load.clone(),
            state.clone(),
            cookie.clone(),
            means.clone(),
            deep.clone(),
            today.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut rng = SplitMix(client as u64 + 1);
            while Instant::now() < until {
                if client == 0 {
                    login(&load, &state).await;
                    continue;
                }
                let c = cookie.as_str();
                match rng.next_u64() % 100 {
                    0..=14 => load.send("page_gebruikers", page("/beheer/gebruikers", c)).await,
                    15..=29 => {
                        load.send("people_list", form("list_people", Some(c), "query=&page=40".into()))
                            .await
                    }
                    30..=44 => {
                        let q = format!("query=Bench{:03}&page=1", rng.next_u64() % 500);
                        load.send("people_search", form("list_people", Some(c), q)).await
                    }
                    45..=59 => {
                        let q = "query[tab]=&query[kind]=&query[state]=&query[q]=&query[sort]=&query[page]=3";
                        load.send("requests_list", form("requests/list", Some(c), q.into()))
                            .await
                    }
                    60..=74 => {
                        load.send("overview", form("overview", Some(c), "alle=false".into()))
                            .await
                    }
                    75..=89 => {
                        let q = format!("alle=false&na={deep}&voor=&laatste=false");
                        load.send("overview_matrix_deep", form("overview_matrix", Some(c), q))
                            .await
                    }
                    _ => {
                        let m = &means[(rng.next_u64() % means.len() as u64) as usize];
                        let body = serde_json::json!({ "order": {
                            "means_ids": [m], "services": ["rvo-mijn-rvo"], "up_to_level": "",
                            "term": "1", "start": today } });
                        load.send("grant", json("grant_authorisations", c, body)).await
                    }
                };
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let samples = load.samples.lock().unwrap().clone();
    let mut total = 0;
    for (name, mut v) in samples {
        v.sort_by(f64::total_cmp);
        total += v.len();
        println!("BENCH load_{name}_p50_ms_{backend} {:.1} ms", pct(&v, 0.50));
        println!("BENCH load_{name}_p99_ms_{backend} {:.1} ms", pct(&v, 0.99));
        println!("# {backend} {name}: {} requests", v.len());
    }
    println!("BENCH load_requests_{backend} {total} requests");
    println!(
        "BENCH load_errors_{backend} {} errors",
        load.errors.load(Ordering::Relaxed)
    );
    println!("BENCH load_rss_mb_{backend} {:.0} MB", resident_mb());
    state.db.pool.close().await;
}

#[tokio::main]
async fn main() {
    let seconds = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    println!(
        "# {CLIENTS} clients for {seconds} s over {} people",
        common::people::PEOPLE
    );
    let dir = std::env::temp_dir().join(format!("bench-load-{}", new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    run(&format!("sqlite://{}/load.db", dir.display()), "sqlite", seconds).await;
    let _ = std::fs::remove_dir_all(&dir);
    let url = postgres_db().await;
    run(&url, "postgres", seconds).await;
    drop_postgres_db(&url).await;
}
