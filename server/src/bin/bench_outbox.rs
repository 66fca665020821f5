//! Benchmark and outage drill of the delivery worker, on SQLite and on PostgreSQL
//! (`TEST_POSTGRES_URL`), against a real SMTP listener and an HTTP SMS gateway that this
//! binary runs on local ports:
//!
//! 1. **Throughput**: 1,000 e-mails committed at once; `BENCH outbox_delivered_per_s`
//!    counts from the commit to the listener's acceptance of the last one.
//! 2. **Latency**: 200 e-mails committed one at a time, 20 ms apart, each followed by the
//!    wake the services ring; `BENCH outbox_latency_p99_ms` from commit to acceptance.
//! 3. **Outage**: 1,000 e-mails and 1,000 SMS queued while the listener and the gateway
//!    first refuse connections, then answer with an error (SMTP 421, HTTP 500), then hang
//!    for 60 s; `/metrics` is read after each phase; then both come back and every message
//!    must arrive exactly once (`BENCH outage_lost_messages`,
//!    `BENCH outage_duplicated_messages`). The worker's clock runs ahead on demand so that
//!    the backoff between phases does not take real minutes; sends, timeouts and hangs run
//!    in real time.

mod common;

use app::server::clock::{Clock, SharedClock, SystemClock};
use app::server::config::Config;
use app::server::db::outbox::{self, NewMessage};
use app::server::db::Db;
use app::server::notify::{spawn_worker, Delivery, Mailer, SmsGateway};
use app::server::state::AppState;
use axum::response::IntoResponse;
use common::sinks::{free_addr, gateway_session, serve_while, smtp_session, Received, ACCEPT, FAIL, HANG, REFUSE};
use common::{drop_postgres_db, pct, postgres_db};
use std::sync::atomic::{AtomicI64, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The wall clock plus an offset the drill moves forward (past the backoff).
struct AheadClock(AtomicI64);

impl Clock for AheadClock {
    fn now_ms(&self) -> i64 {
        SystemClock.now_ms() + self.0.load(Ordering::SeqCst)
    }
}

async fn metrics(state: &AppState) -> String {
    let res = app::server::metrics::handler(axum::extract::State(state.clone()))
        .await
        .into_response();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    String::from_utf8_lossy(&body)
        .lines()
        .filter(|l| l.starts_with("beheermodule_outbox"))
        .collect::<Vec<_>>()
        .join(" ")
}

async fn pending(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL")
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

async fn queue(db: &Db, clock: &AheadClock, emails: &[String], sms: &[String]) {
    let mut tx = db.begin().await.unwrap();
    for to in emails {
        let msg = NewMessage::email(to, "Activeer uw eHerkenning-middel", "Beste,\n\nActiveer uw middel.\n");
        outbox::enqueue(&mut tx, &msg, clock.now_ms()).await.unwrap();
    }
    for to in sms {
        outbox::enqueue(&mut tx, &NewMessage::sms(to, "Uw code is 123456."), clock.now_ms())
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn run(url: &str, backend: &str) {
    let db = Db::connect(url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let clock = Arc::new(AheadClock(AtomicI64::new(0)));
    let shared: SharedClock = clock.clone();
    let (smtp_addr, sms_addr) = (free_addr(), free_addr());
    let (smtp_mode, sms_mode) = (Arc::new(AtomicU8::new(ACCEPT)), Arc::new(AtomicU8::new(ACCEPT)));
    let (mails, texts) = (Received::default(), Received::default());
    {
        let (m, g) = (Arc::clone(&smtp_mode), mails.clone());
        serve_while(smtp_addr, Arc::clone(&smtp_mode), move |s| {
            smtp_session(s, Arc::clone(&m), g.clone())
        })
        .await;
        let (m, g) = (Arc::clone(&sms_mode), texts.clone());
        serve_while(sms_addr, Arc::clone(&sms_mode), move |s| {
            gateway_session(s, Arc::clone(&m), g.clone())
        })
        .await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let delivery = Delivery::dev_inbox_only()
        .with_mailer(Mailer::new(&format!("smtp://{smtp_addr}"), "Beheermodule <noreply@bench.test>").unwrap())
        .with_sms_gateway(SmsGateway::new(&format!("http://{sms_addr}/v1/sms"), None).unwrap());
    let bell = delivery.clone();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = spawn_worker(db.clone(), delivery, shared.clone(), stop_rx);
    let state = AppState::new(
        leptos::config::LeptosOptions::builder()
            .output_name("beheermodule")
            .build(),
        db.clone(),
        Config::for_tests(url),
        shared,
    );

    // 1. Throughput.
    let to: Vec<String> = (0..1_000).map(|i| format!("door.{i}@bench.test")).collect();
    let started = Instant::now();
    queue(&db, &clock, &to, &[]).await;
    bell.wake();
    while mails.total() < to.len() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "throughput: not all delivered"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let secs = to
        .iter()
        .filter_map(|t| mails.first(t))
        .max()
        .unwrap()
        .duration_since(started)
        .as_secs_f64();
    println!(
        "BENCH outbox_delivered_per_s_{backend} {:.0} messages/s",
        to.len() as f64 / secs
    );
    let (lost, dup) = mails.check(&to);
    assert_eq!((lost, dup), (0, 0), "throughput run: lost or duplicated");
    while pending(&db).await > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // 2. Latency, one commit at a time.
    mails.clear();
    let mut latencies = Vec::new();
    let mut sent = Vec::new();
    for i in 0..200 {
        let t = format!("los.{i}@bench.test");
        let committed = Instant::now();
        queue(&db, &clock, std::slice::from_ref(&t), &[]).await;
        bell.wake();
        sent.push((t, committed));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while mails.total() < sent.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    for (t, committed) in &sent {
        let at = mails.first(t).expect("every latency message arrives");
        latencies.push(at.duration_since(*committed).as_secs_f64() * 1000.0);
    }
    println!("BENCH outbox_latency_p50_ms_{backend} {:.1} ms", pct(&latencies, 0.5));
    println!("BENCH outbox_latency_p99_ms_{backend} {:.1} ms", pct(&latencies, 0.99));

    // 3. Outage: refuse, fail, hang; then back.
    mails.clear();
    let to: Vec<String> = (0..1_000).map(|i| format!("storing.{i}@bench.test")).collect();
    let phones: Vec<String> = (0..1_000).map(|i| format!("+316{:08}", 30_000_000 + i)).collect();
    for (mode, name, secs) in [(REFUSE, "refuse", 3), (FAIL, "error", 3), (HANG, "hang", 60)] {
        smtp_mode.store(mode, Ordering::SeqCst);
        sms_mode.store(mode, Ordering::SeqCst);
        if name == "refuse" {
            queue(&db, &clock, &to, &phones).await;
            bell.wake();
        } else {
            // The backoff of the phase before is over: everything is due again.
            clock.0.fetch_add(3_600_000, Ordering::SeqCst);
            bell.wake();
        }
        tokio::time::sleep(Duration::from_secs(secs)).await;
        println!("# {backend} after the {name} phase: {}", metrics(&state).await);
    }
    smtp_mode.store(ACCEPT, Ordering::SeqCst);
    sms_mode.store(ACCEPT, Ordering::SeqCst);
    let back = Instant::now();
    while pending(&db).await > 0 {
        assert!(
            back.elapsed() < Duration::from_secs(600),
            "outage: still undelivered after ten minutes"
        );
        clock.0.fetch_add(600_000, Ordering::SeqCst);
        bell.wake();
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    println!("# {backend} after recovery: {}", metrics(&state).await);
    let (lost_m, dup_m) = mails.check(&to);
    let (lost_s, dup_s) = texts.check(&phones);
    println!(
        "# {backend}: all 2,000 delivered {:.1} s after the receivers came back",
        back.elapsed().as_secs_f64()
    );
    println!("BENCH outage_lost_messages_{backend} {} messages", lost_m + lost_s);
    println!("BENCH outage_duplicated_messages_{backend} {} messages", dup_m + dup_s);
    let _ = stop_tx.send(true);
    let _ = worker.await;
    db.pool.close().await;
}

#[tokio::main]
async fn main() {
    let dir = tempfile_dir();
    run(&format!("sqlite://{}/outbox.db", dir.display()), "sqlite").await;
    let _ = std::fs::remove_dir_all(&dir);
    let url = postgres_db().await;
    run(&url, "postgres").await;
    drop_postgres_db(&url).await;
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bench-outbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
