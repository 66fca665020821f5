//! Crash drill: `kill -9` of a real `server serve` process (`SERVER_BIN`, the release build)
//! at three moments, on SQLite and on PostgreSQL, each followed by a restart and checks:
//!
//! (c) in the middle of an activation step (the SMS code posted, the process killed at
//!     once): after the restart the person finishes the activation;
//! (b) while the outbox worker delivers 1,000 e-mails and 500 SMS to a real SMTP listener
//!     and an HTTP gateway (this binary runs both): after the restart every message is
//!     received, and a message received twice can only be one that was in flight;
//! (a) during the commit of a 50,000-row upload (killed once the commit's inserts are seen
//!     under way): the batch is stored whole or not at all.
//!
//! After every restart the database is checked: SQLite `PRAGMA integrity_check` and
//! `foreign_key_check`; PostgreSQL every foreign key and check constraint re-evaluated over
//! all rows. Prints `BENCH crash_partial_batches_*`, `crash_lost_messages_*`,
//! `crash_duplicated_messages_*` and `crash_integrity_errors_*`.

mod common;

use app::server::db::outbox::{self, NewMessage};
use app::server::db::{Backend, Db};
use common::integrity::integrity_errors;
use common::sinks::{free_addr, gateway_session, serve_while, smtp_session, Received};
use common::web::{cookie, csv, Web};
use common::{drop_postgres_db, postgres_db};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicU8;
use std::sync::Arc;
use std::time::{Duration, Instant};

const MANAGER: (&str, &str, &str) = ("beheerder@demo.example", "Demo-beheer-2026!", "+31612345678");
const KEY: &str = "crash-drill-gedeelde-sleutel-van-ruim-32-tekens";

struct Drill {
    bin: String,
    url: String,
    smtp: String,
    sms: String,
    port: u16,
    log: std::path::PathBuf,
    http: reqwest::Client,
    mails: Received,
    texts: Received,
    db: Db,
}

fn cli(bin: &str, url: &str, arg: &str) {
    let ok = Command::new(bin)
        .arg(arg)
        .env("DATABASE_URL", url)
        .env("CODE_HMAC_KEY", KEY)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .status()
        .expect("run the server binary")
        .success();
    assert!(ok, "server {arg} failed");
}

impl Drill {
    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    // The caller kills and waits for the child (every drill step ends with both).
    #[allow(clippy::zombie_processes)]
    async fn start(&self) -> Child {
        let child = Command::new(&self.bin)
            .arg("serve")
            .env("DATABASE_URL", &self.url)
            .env("BIND", format!("127.0.0.1:{}", self.port))
            .env("PUBLIC_URL", "http://127.0.0.1:3000")
            .env("SMTP_URL", &self.smtp)
            .env("SMS_GATEWAY_URL", &self.sms)
            .env("CODE_HMAC_KEY", KEY)
            .env("ADDRESS_LOGINS_PER_HOUR", "100000")
            .env("ADDRESS_SMS_PER_HOUR", "100000")
            .env("RUST_LOG", "warn")
            .env_remove("DEV_INBOX")
            .stdout(Stdio::null())
            .stderr(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&self.log)
                    .unwrap(),
            )
            .spawn()
            .expect("start the server");
        for _ in 0..400 {
            let up = self.http.get(format!("{}/health", self.base())).send().await;
            if up.is_ok_and(|r| r.status().is_success()) {
                return child;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "the server did not start: {}",
            std::fs::read_to_string(&self.log).unwrap_or_default()
        );
    }

    async fn post(&self, endpoint: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!("{}/api/{endpoint}", self.base()))
            .header("Origin", "http://127.0.0.1:3000")
            .form(form);
        if let Some(c) = cookie {
            req = req.header("Cookie", c);
        }
        req.send().await.expect("request")
    }

    async fn wait_text(&self, sink: &Received, to: &str, seen: Option<&str>) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(t) = sink.text(to).filter(|t| Some(t.as_str()) != seen) {
                return t;
            }
            assert!(Instant::now() < deadline, "nothing delivered to {to}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.db.pool).await.expect(sql)
    }

    async fn login(&self) -> String {
        let before = self.texts.text(MANAGER.2);
        let r = self
            .post("login", None, &[("email", MANAGER.0), ("password", MANAGER.1)])
            .await;
        let pending = cookie(&r, "bm_session").expect("pending session");
        let sms = self.wait_text(&self.texts, MANAGER.2, before.as_deref()).await;
        let code = app::server::notify::extract_code(&sms).expect("code");
        let r = self.post("verify_code", Some(&pending), &[("code", &code)]).await;
        cookie(&r, "bm_session").expect("session")
    }

    fn web(&self) -> Web {
        Web {
            http: self.http.clone(),
            base: self.base(),
        }
    }
}

async fn run(bin: &str, url: &str, backend: &str) {
    cli(bin, url, "migrate");
    cli(bin, url, "seed-demo");
    let db = Db::connect(url).await.expect("connect");
    // What the seed queued is delivered too: it is part of "no message lost".
    let (smtp_addr, sms_addr) = (free_addr(), free_addr());
    let (mails, texts) = (Received::default(), Received::default());
    let accept = Arc::new(AtomicU8::new(common::sinks::ACCEPT));
    {
        let (m, g) = (Arc::clone(&accept), mails.clone());
        serve_while(smtp_addr, Arc::clone(&accept), move |s| {
            smtp_session(s, Arc::clone(&m), g.clone())
        })
        .await;
        let (m, g) = (Arc::clone(&accept), texts.clone());
        serve_while(sms_addr, Arc::clone(&accept), move |s| {
            gateway_session(s, Arc::clone(&m), g.clone())
        })
        .await;
    }
    let drill = Drill {
        bin: bin.into(),
        url: url.into(),
        smtp: format!("smtp://{smtp_addr}"),
        sms: format!("http://{sms_addr}/v1/sms"),
        port: free_addr().port(),
        log: std::env::temp_dir().join(format!("bench-crash-{backend}-{}.log", std::process::id())),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        mails,
        texts,
        db,
    };
    let mut integrity = 0;
    let mut server = drill.start().await;
    let session = drill.login().await;

    // (c) An activation step killed mid-way, then finished after the restart.
    let r = drill.web().upload(&session, &csv("act", 1, 21_000_000)).await;
    assert!(r.is_some_and(|s| s.is_success()), "small upload: {r:?}");
    let mail = drill.wait_text(&drill.mails, "act.0@crash.test", None).await;
    let token = mail
        .lines()
        .find_map(|l| l.trim().strip_prefix("http://127.0.0.1:3000/activeren/"))
        .expect("link");
    let r = drill.post("activation/confirm", None, &[("token", token.trim())]).await;
    let activation = cookie(&r, "bm_activatie").expect("activation cookie");
    let sms = drill.wait_text(&drill.texts, "+31621000000", None).await;
    let code = app::server::notify::extract_code(&sms).expect("code");
    let step = {
        let (d, a, c) = (drill.http.clone(), activation.clone(), code.clone());
        let url = format!("{}/api/activation/code", drill.base());
        tokio::spawn(async move {
            d.post(url)
                .header("Origin", "http://127.0.0.1:3000")
                .header("Cookie", a)
                .form(&[("code", c)])
                .send()
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(3)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = step.await;
    integrity += integrity_errors(&drill.db).await;
    server = drill.start().await;
    let state = |d: &Drill| {
        let sql = "SELECT r.state FROM requests r JOIN means m ON m.id = r.means_id WHERE m.email = 'act.0@crash.test'";
        let db = d.db.clone();
        async move { sqlx::query_scalar::<_, String>(sql).fetch_one(&db.pool).await.unwrap() }
    };
    let after_kill = state(&drill).await;
    if after_kill == "awaiting_sms" {
        let r = drill
            .post("activation/code", Some(&activation), &[("code", &code)])
            .await;
        assert!(
            r.status().as_u16() < 400,
            "the code again after the restart: {}",
            r.status()
        );
        assert_ne!(
            state(&drill).await,
            "awaiting_sms",
            "the code is taken after the restart"
        );
    }
    let password = "groene appels op de fiets";
    let r = drill
        .post(
            "activation/password",
            Some(&activation),
            &[("password", password), ("repeat", password)],
        )
        .await;
    assert!(r.status().as_u16() < 400, "{}", r.status());
    let done = drill
        .scalar("SELECT COUNT(*) FROM means WHERE email = 'act.0@crash.test' AND state = 'active'")
        .await;
    println!(
        "# {backend} (c): the step was {after_kill} after the kill; activation completed: {}",
        done == 1
    );
    assert_eq!(done, 1, "the activation finishes after the restart");

    // (b) Killed while delivering 1,000 e-mails and 500 SMS.
    let r = drill.web().upload(&session, &csv("mail", 1_000, 22_000_000)).await;
    assert!(r.is_some_and(|s| s.is_success()), "1,000-row upload: {r:?}");
    let mut tx = drill.db.begin().await.unwrap();
    let now = app::server::clock::Clock::now_ms(&app::server::clock::SystemClock);
    for i in 0..500 {
        outbox::enqueue(
            &mut tx,
            &NewMessage::sms(format!("+316{:08}", 23_000_000 + i), "Uw code is 123456."),
            now,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let expected_sms: Vec<String> = (0..500).map(|i| format!("+316{:08}", 23_000_000 + i)).collect();
    let expected_mail: Vec<String> = (0..1_000).map(|i| format!("mail.{i}@crash.test")).collect();
    let started = Instant::now();
    while drill.mails.total() + drill.texts.total() < 600 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "delivery did not get going"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let at_kill = drill.mails.total() + drill.texts.total();
    // In flight at the kill: received, but not yet marked delivered in the database.
    let marked: std::collections::HashSet<String> =
        sqlx::query_scalar("SELECT LOWER(recipient) FROM outbox WHERE delivered_at IS NOT NULL")
            .fetch_all(&drill.db.pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
    let in_flight = [drill.mails.arrived(&expected_mail), drill.texts.arrived(&expected_sms)]
        .concat()
        .into_iter()
        .filter(|r| !marked.contains(r))
        .count();
    integrity += integrity_errors(&drill.db).await;
    server = drill.start().await;
    let started = Instant::now();
    while drill
        .scalar("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL")
        .await
        > 0
    {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "messages still undelivered after the restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (lost_m, dup_m) = drill.mails.check(&expected_mail);
    let (lost_s, dup_s) = drill.texts.check(&expected_sms);
    println!(
        "# {backend} (b): {at_kill} received when killed, {in_flight} of them not yet marked delivered; \
         after the restart lost {}, received twice {}",
        lost_m + lost_s,
        dup_m + dup_s
    );
    assert!(
        dup_m + dup_s <= in_flight,
        "only a message in flight at the kill may arrive twice"
    );

    // (a) Killed during the commit of 50,000 rows.
    let big = csv("groot", 50_000, 40_000_000);
    let commit = {
        let (web, session) = (drill.web(), session.clone());
        tokio::spawn(async move { web.upload(&session, &big).await })
    };
    let started = Instant::now();
    loop {
        let under_way = match drill.db.backend {
            Backend::Postgres => drill
                .scalar(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'INSERT INTO means%'",
                )
                .await
                > 0,
            Backend::Sqlite => {
                let wal = format!("{}-wal", url.trim_start_matches("sqlite://"));
                std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 8 << 20
            }
        };
        if under_way || started.elapsed() > Duration::from_secs(120) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = commit.await;
    integrity += integrity_errors(&drill.db).await;
    server = drill.start().await;
    let partial = drill
        .scalar(
            "SELECT COUNT(*) FROM batches b WHERE (SELECT COUNT(*) FROM requests r WHERE r.batch_id = b.id) \
             NOT IN (0, b.row_count) OR (b.state = 'committed' AND (SELECT COUNT(*) FROM requests r WHERE r.batch_id = b.id) = 0 AND b.row_count > 0)",
        )
        .await;
    let stored = drill
        .scalar("SELECT COUNT(*) FROM means WHERE email LIKE 'groot.%'")
        .await;
    println!("# {backend} (a): 50,000-row commit killed; people stored after the restart: {stored}");
    integrity += integrity_errors(&drill.db).await;
    server.kill().unwrap();
    server.wait().unwrap();
    println!("BENCH crash_partial_batches_{backend} {partial} batches");
    println!("BENCH crash_lost_messages_{backend} {} messages", lost_m + lost_s);
    println!("BENCH crash_duplicated_messages_{backend} {} messages", dup_m + dup_s);
    println!("BENCH crash_integrity_errors_{backend} {integrity} errors");
    drill.db.pool.close().await;
}

#[tokio::main]
async fn main() {
    let bin = std::env::var("SERVER_BIN").unwrap_or_else(|_| "target/release/server".into());
    let dir = std::env::temp_dir().join(format!("bench-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    run(&bin, &format!("sqlite://{}/crash.db", dir.display()), "sqlite").await;
    let _ = std::fs::remove_dir_all(&dir);
    let url = postgres_db().await;
    run(&bin, &url, "postgres").await;
    drop_postgres_db(&url).await;
}
