//! Benchmark: Beheer → Lopende aanvragen with 50,000 open requests, on SQLite and on
//! PostgreSQL (`TEST_POSTGRES_URL`). The requests are seeded through the real batch service;
//! the page (count + a page in the middle, oldest first) and a search by name run through
//! the real list service, each the median of 9 runs. Prints `BENCH` lines.

mod common;

use common::{drop_postgres_db, fresh, postgres_db};

use app::api::requests::ListQuery;
use app::domain::person_request::PersonRequest;
use app::domain::time::CivilDate;
use app::domain::value::{AssuranceLevel, BirthDate, DutchMobile, Email, PersonName};
use app::server::clock::{ManualClock, SharedClock};
use app::server::config::Config;
use app::server::db::new_id;
use app::server::service::means_request::{request_means, Requester};
use app::server::service::requests::list;
use app::server::state::AppState;
use std::sync::Arc;
use std::time::Instant;

const ROWS: usize = 50_000;
const NOW: i64 = 1_780_000_000_000;

fn people(n: usize) -> Vec<PersonRequest> {
    let today = CivilDate::new(2026, 6, 1).unwrap();
    let a = b"abcdefghijklmnopqrstuvwxyz";
    let letters = |i: usize| {
        format!(
            "R{}{}{}{}",
            a[i / 17_576 % 26] as char,
            a[i / 676 % 26] as char,
            a[i / 26 % 26] as char,
            a[i % 26] as char
        )
    };
    (0..n)
        .map(|i| PersonRequest {
            name: PersonName::new("Aanvrager", "", &letters(i)).unwrap(),
            birth_date: BirthDate::parse("15-06-1990", today).unwrap(),
            email: Email::parse(&format!("aanvraag.{i}@example.nl")).unwrap(),
            mobile: DutchMobile::parse(&format!("06{:08}", 10_000_000 + i)).unwrap(),
            employed: i % 3 != 0,
            level: AssuranceLevel::Eh2Plus,
            services: Vec::new(),
            term: None,
        })
        .collect()
}

/// A migrated database with one organisation, its manager and 50,000 open requests
/// (seeded in batches of 5,000, a minute apart, so the ages differ).
async fn seeded(url: &str) -> (AppState, String) {
    let (db, org, manager) = fresh(url).await;
    let by = Requester {
        account_id: &manager,
        organisation_id: &org,
        organisation_name: "Bench B.V.",
        manager_level: AssuranceLevel::Eh4,
        public_url: "http://127.0.0.1:3000",
        link_ttl_ms: 24 * 3_600_000,
    };
    for (i, chunk) in people(ROWS).chunks(5_000).enumerate() {
        let mut tx = db.begin().await.unwrap();
        let out = request_means(&mut tx, &by, chunk, None, NOW + i as i64 * 60_000)
            .await
            .expect("seed");
        assert_eq!(out.created, chunk.len());
        tx.commit().await.unwrap();
    }
    let state = AppState::new(
        leptos::config::LeptosOptions::builder()
            .output_name("beheermodule")
            .build(),
        db,
        Config::for_tests(url),
        Arc::new(ManualClock::new(NOW + 86_400_000)) as SharedClock,
    );
    (state, org)
}

async fn median_ms(state: &AppState, org: &str, q: &ListQuery, expect_total: i64) -> f64 {
    let mut times = Vec::new();
    for _ in 0..9 {
        let t = Instant::now();
        let page = list(state, org, q).await.expect("list");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(page.total, expect_total);
        assert!(!page.lines.is_empty());
    }
    times.sort_by(f64::total_cmp);
    times[4]
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("bench-requests-{}", new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    for backend in ["sqlite", "postgres"] {
        let url = if backend == "sqlite" {
            format!("sqlite://{}", dir.join("requests.db").display())
        } else {
            postgres_db().await
        };
        let (state, org) = seeded(&url).await;
        let page = ListQuery {
            page: 1_000,
            ..Default::default()
        };
        let ms = median_ms(&state, &org, &page, ROWS as i64).await;
        println!("BENCH requests_page_50k_{backend}_ms {ms:.1} ms");
        let search = ListQuery {
            q: "raaz".into(),
            page: 1,
            ..Default::default()
        };
        let ms = median_ms(&state, &org, &search, 26).await;
        println!("BENCH requests_search_50k_{backend}_ms {ms:.1} ms");
        state.db.pool.close().await;
        if backend == "postgres" {
            drop_postgres_db(&url).await;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
