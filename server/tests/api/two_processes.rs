//! Two real server processes (`server serve`) on one PostgreSQL database, both with their
//! outbox worker and jobs running and both delivering to one real SMTP listener and one
//! HTTP SMS gateway. A manager logs in across them, uploads 1,000 people on one while both
//! deliver, a person activates with each step on the other process than the step before;
//! then every message is delivered exactly once and each expiry notice sent once.

use crate::activation_support::{post, GOOD_PASSWORD};
use crate::authorisations::{grant, means_of, BAKKERIJ};
use crate::helpers::{spawn_app, TestApp, TestDb, Which, MANAGER, USER};
use crate::notify_sinks::{GatewaySink, SmtpSink};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A `server serve` process, killed when dropped.
struct Process {
    child: std::process::Child,
    addr: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start(url: &str, smtp: &SmtpSink, gateway: &GatewaySink, log: &std::path::Path) -> Process {
    let port = free_port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("BIND", format!("127.0.0.1:{port}"))
        // The address links carry and the origin the calls send (as behind one proxy).
        .env("PUBLIC_URL", "http://127.0.0.1:3000")
        .env("SMTP_URL", smtp.url())
        .env("SMS_GATEWAY_URL", gateway.url())
        .env("CODE_HMAC_KEY", "twee-instanties-een-gedeelde-sleutel-van-48-tekens")
        .env("RUST_LOG", "warn,app=info")
        .env_remove("DEV_INBOX")
        .env_remove("METRICS_BIND")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .expect("server process");
    // Killed and waited for when dropped, also when it never answers.
    let process = Process {
        child,
        addr: format!("http://127.0.0.1:{port}"),
    };
    let http = reqwest::Client::new();
    for _ in 0..200 {
        if http
            .get(format!("{}/health", process.addr))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return process;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "server process did not start: {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// The newest SMS code the gateway received for `to`, once there is one more than `seen`.
async fn code_for(gateway: &GatewaySink, to: &str, seen: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let bodies: Vec<String> = gateway
            .received()
            .iter()
            .filter(|s| s.json["to"] == to)
            .map(|s| s.json["body"].as_str().unwrap_or_default().to_string())
            .collect();
        if bodies.len() > seen {
            return app::server::notify::extract_code(bodies.last().unwrap()).expect("a code in the sms");
        }
        assert!(Instant::now() < deadline, "no SMS for {to} delivered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn sms_count(gateway: &GatewaySink, to: &str) -> usize {
    gateway.received().iter().filter(|s| s.json["to"] == to).count()
}

/// The activation link token in the mail the listener received for `to`.
async fn link_for(smtp: &SmtpSink, to: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let found = smtp
            .mails()
            .into_iter()
            .find(|m| m.rcpt_to.iter().any(|r| r.contains(to)));
        if let Some(m) = found {
            let line = m
                .data
                .lines()
                .find(|l| l.starts_with("http://127.0.0.1:3000/activeren/"))
                .expect("a link in the mail")
                .to_string();
            return line.rsplit('/').next().unwrap().trim().to_string();
        }
        assert!(Instant::now() < deadline, "no activation mail for {to} delivered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A name of letters only for number `i` ("Aab", "Aac", …).
fn letters(mut i: usize) -> String {
    let mut out = String::from("A");
    for _ in 0..3 {
        out.push((b'a' + (i % 26) as u8) as char);
        i /= 26;
    }
    out
}

fn people_csv(n: usize) -> String {
    let mut s = String::from("voornamen;tussenvoegsel;achternaam;geboortedatum;email;mobiel;in_loondienst;niveau\r\n");
    for i in 0..n {
        s.push_str(&format!(
            "{};;Instantie;01-01-1990;twee.{i}@example.nl;06{:08};ja;EH3\r\n",
            letters(i),
            20_000_000 + i
        ));
    }
    s
}

/// Recipients of delivered rows of `channel`, with how often each was delivered.
async fn delivered(app: &TestApp, channel: &str) -> BTreeMap<String, usize> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT LOWER(recipient) FROM outbox WHERE channel = $1 AND delivered_at IS NOT NULL")
            .bind(channel)
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    tally(rows)
}

fn tally(items: impl IntoIterator<Item = String>) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for i in items {
        *out.entry(i).or_default() += 1;
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_server_processes_on_one_postgres_behave_as_one() {
    let seeded = spawn_app(TestDb::new(Which::Postgres).await).await;
    // Two expiry notices due (for the holder and the organisation's managers), before the
    // processes start: both run the job at once when they come up.
    let jan = means_of(&seeded, USER.0, BAKKERIJ).await;
    let s = seeded.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    assert_eq!(
        grant(&seeded, &s, &[&jan], &["rvo-mijn-rvo"], "", "1").await.status,
        200
    );
    let in_30_days = {
        use app::server::clock::Clock;
        app::server::clock::SystemClock.now_ms()
    } + 30 * 86_400_000;
    sqlx::query("UPDATE authorisations SET valid_until = $1 WHERE means_id = $2 AND service_id = 'rvo-mijn-rvo'")
        .bind(in_30_days)
        .bind(&jan)
        .execute(&seeded.state.db.pool)
        .await
        .unwrap();
    // What the seed queued was never sent (no worker in the test's own server): drop it,
    // so that every row left is one the processes must deliver.
    sqlx::query("DELETE FROM outbox")
        .execute(&seeded.state.db.pool)
        .await
        .unwrap();

    let (smtp, gateway) = (SmtpSink::start().await, GatewaySink::start().await);
    let logs = tempfile::tempdir().unwrap();
    let url = seeded.state.config.database_url.clone();
    let one = start(&url, &smtp, &gateway, &logs.path().join("one.log")).await;
    let two = start(&url, &smtp, &gateway, &logs.path().join("two.log")).await;
    let (p1, p2) = (seeded.handle_on(&one.addr).await, seeded.handle_on(&two.addr).await);

    // The manager's password on one, the SMS code (sent by whichever worker took it) on two.
    let seen = sms_count(&gateway, MANAGER.2);
    let r = p1
        .call("login", None, &[("email", MANAGER.0), ("password", MANAGER.1)])
        .await;
    let pending = r.cookie.expect("pending session");
    let code = code_for(&gateway, MANAGER.2, seen).await;
    let r = p2.call("verify_code", Some(&pending), &[("code", &code)]).await;
    assert!(r.status < 400, "the code sent via one is good on two: {r:?}");
    let manager = r.cookie.expect("session");

    // 1,000 people uploaded on one, while both workers deliver.
    let (status, out) = crate::upload::upload(&p1, &manager, &people_csv(1_000), 8).await;
    assert_eq!(status, 200, "{}", &out.to_string()[..out.to_string().len().min(2_000)]);
    assert_eq!(
        out["created"],
        1_000,
        "{}",
        &out.to_string()[..out.to_string().len().min(2_000)]
    );

    // One of them activates, each step on the other process.
    let token = link_for(&smtp, "twee.7@example.nl").await;
    let r = post(&p2, "activation/confirm", None, &[("token", &token)]).await;
    assert_eq!(r.location, "/activeren", "{}", r.body);
    let cookie = r.cookie_header("bm_activatie").expect("activation cookie");
    let code = code_for(&gateway, "+31620000007", 0).await;
    let r = post(&p1, "activation/code", Some(&cookie), &[("code", &code)]).await;
    assert_eq!(r.location, "/activeren", "{}", r.body);
    let r = post(
        &p2,
        "activation/password",
        Some(&cookie),
        &[("password", GOOD_PASSWORD), ("repeat", GOOD_PASSWORD)],
    )
    .await;
    assert_eq!(r.location, "/activeren", "{}", r.body);
    let state: String = sqlx::query_scalar("SELECT state FROM means WHERE email = 'twee.7@example.nl'")
        .fetch_one(&seeded.state.db.pool)
        .await
        .unwrap();
    assert_eq!(state, "active");

    // Everything queued goes out, once.
    let deadline = Instant::now() + Duration::from_secs(120);
    while seeded
        .scalar("SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL")
        .await
        > 0
    {
        assert!(
            Instant::now() < deadline,
            "messages still undelivered after two minutes"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Give a worker that sent twice the time to have done it.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails = tally(
        smtp.mails()
            .into_iter()
            .flat_map(|m| m.rcpt_to)
            .map(|r| r.trim_matches(['<', '>']).to_lowercase()),
    );
    assert_eq!(
        mails,
        delivered(&seeded, "email").await,
        "each e-mail delivered exactly once"
    );
    let sms = tally(
        gateway
            .received()
            .into_iter()
            .map(|s| s.json["to"].as_str().unwrap_or_default().to_lowercase()),
    );
    assert_eq!(sms, delivered(&seeded, "sms").await, "each SMS delivered exactly once");
    assert!(mails.keys().filter(|k| k.starts_with("twee.")).count() == 1_000);
    // The expiry notice: once to the holder, though both processes ran the job.
    let notices = seeded
        .scalar(&format!(
            "SELECT COUNT(*) FROM outbox WHERE LOWER(recipient) = '{}' AND subject LIKE '%verlopen binnenkort%'",
            USER.0
        ))
        .await;
    assert_eq!(notices, 1, "one notice for the holder");
    assert_eq!(
        seeded
            .scalar("SELECT COUNT(*) FROM authorisations WHERE expiry_notice_sent_at IS NOT NULL")
            .await,
        1
    );
    drop((one, two));
}
