//! Durable delivery: outbox + worker against a real SMTP listener and a real HTTP SMS
//! gateway, both started here on port 0, on SQLite and PostgreSQL. Time moves through a
//! `ManualClock`; nothing sleeps to make a retry due.

use crate::both_dbs;
use crate::helpers::TestDb;
use app::server::clock::{Clock, ManualClock, SharedClock, HOUR_MS};
use app::server::db::outbox::{self, NewMessage};
use app::server::db::Db;

use app::server::notify::{dev_inbox_router, extract_code, run_once, run_pass, spawn_worker, worker, Delivery, Mailer};

use std::collections::HashSet;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

pub(crate) const T0: i64 = 1_750_000_000_000;
pub(crate) const FROM: &str = "Beheermodule <noreply@beheermodule.localhost>";

pub(crate) fn clocks() -> (ManualClock, SharedClock) {
    let manual = ManualClock::new(T0);
    let shared: SharedClock = Arc::new(manual.clone());
    (manual, shared)
}

pub(crate) async fn enqueue_committed(db: &Db, msg: &NewMessage, now: i64) -> String {
    let mut tx = db.begin().await.unwrap();
    let id = outbox::enqueue(&mut tx, msg, now).await.unwrap();
    tx.commit().await.unwrap();
    id
}

pub(crate) async fn row(db: &Db, id: &str) -> outbox::OutboxRow {
    outbox::get(db, id).await.unwrap().expect("outbox row")
}

use crate::notify_sinks::*;

// ---------------------------------------------------------------- tests

both_dbs!(
    email_committed_in_a_transaction_reaches_the_smtp_server,
    |t: TestDb| async move {
        let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
        let smtp = SmtpSink::start().await;
        let (clock, shared) = clocks();
        let link = format!("http://127.0.0.1:3000/activeren/{}", "k".repeat(64));
        let body = format!("Beste Jan,\n\nActiveer uw middel via:\n{link}\n\n.punt aan het begin\nGroet, Beheermodule");
        let msg = NewMessage::email("jan@example.nl", "Activeer uw eHerkenningsmiddel", body.as_str());
        let id = enqueue_committed(&t.db, &msg, clock.now_ms()).await;

        let delivery = Delivery::dev_inbox_only().with_mailer(Mailer::new(&smtp.url(), FROM).unwrap());
        assert_eq!(run_once(&t.db, &delivery, &shared).await.unwrap(), 1);

        let mails = smtp.mails();
        assert_eq!(mails.len(), 1);
        let m = &mails[0];
        assert!(m.mail_from.contains("noreply@beheermodule.localhost"), "{m:?}");
        assert_eq!(m.rcpt_to, vec!["<jan@example.nl>".to_string()]);
        assert!(m.auth.is_none());
        assert!(m.data.contains("Subject: Activeer uw eHerkenningsmiddel"), "{}", m.data);
        assert!(m.data.contains("Content-Type: text/plain; charset=utf-8"), "{}", m.data);
        assert!(
            m.data.lines().any(|l| l == link),
            "link not on a line of its own:\n{}",
            m.data
        );
        assert!(m.data.contains("\r\n.punt aan het begin\r\n"), "{}", m.data);

        let r = row(&t.db, &id).await;
        assert_eq!(r.delivered_via.as_deref(), Some("smtp"));
        assert_eq!(r.delivered_at, Some(T0));
        assert_eq!(r.attempts, 1);

        clock.advance_ms(HOUR_MS);
        assert_eq!(run_once(&t.db, &delivery, &shared).await.unwrap(), 0);
        assert_eq!(smtp.mails().len(), 1, "a delivered e-mail is never sent again");
    }
);

both_dbs!(smtp_url_with_credentials_authenticates, |t: TestDb| async move {
    let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
    let smtp = SmtpSink::start().await;
    let (clock, shared) = clocks();
    enqueue_committed(
        &t.db,
        &NewMessage::email("an@example.nl", "Test", "Hallo"),
        clock.now_ms(),
    )
    .await;
    let url = format!("smtp://postbode:geheim@{}", smtp.addr);
    let delivery = Delivery::dev_inbox_only().with_mailer(Mailer::new(&url, FROM).unwrap());
    assert_eq!(run_once(&t.db, &delivery, &shared).await.unwrap(), 1);
    let mails = smtp.mails();
    assert_eq!(mails[0].auth.as_deref(), Some("AUTH PLAIN AHBvc3Rib2RlAGdlaGVpbQ=="));
});

both_dbs!(
    sms_is_posted_to_the_gateway_with_json_and_bearer_token,
    |t: TestDb| async move {
        let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
        let gw = GatewaySink::start().await;
        let (clock, shared) = clocks();
        let body = "Uw sms-code voor eHerkenning is 428173. De code is 10 minuten geldig.";
        let id = enqueue_committed(&t.db, &NewMessage::sms("+31612345678", body), clock.now_ms()).await;

        let delivery = sms_delivery(&gw, Some("gateway-token-123"));
        assert_eq!(run_once(&t.db, &delivery, &shared).await.unwrap(), 1);

        let got = gw.received();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].authorization.as_deref(), Some("Bearer gateway-token-123"));
        assert_eq!(got[0].content_type.as_deref(), Some("application/json"));
        assert_eq!(got[0].json, serde_json::json!({ "to": "+31612345678", "body": body }));
        assert_eq!(
            extract_code(got[0].json["body"].as_str().unwrap()).as_deref(),
            Some("428173")
        );
        assert_eq!(row(&t.db, &id).await.delivered_via.as_deref(), Some("sms-gateway"));

        // Without a token no Authorization header is sent.
        enqueue_committed(&t.db, &NewMessage::sms("+31687654321", "Hallo"), clock.now_ms()).await;
        assert_eq!(run_once(&t.db, &sms_delivery(&gw, None), &shared).await.unwrap(), 1);
        assert_eq!(gw.received()[1].authorization, None);
    }
);

both_dbs!(
    failed_sms_is_retried_with_backoff_and_never_sent_twice,
    |t: TestDb| async move {
        let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
        let gw = GatewaySink::start().await;
        gw.state.fail_next.store(1, Ordering::SeqCst);
        let (clock, shared) = clocks();
        let body = "Uw code is 902715";
        let id = enqueue_committed(&t.db, &NewMessage::sms("+31612345678", body), clock.now_ms()).await;
        let delivery = sms_delivery(&gw, Some("tok"));

        let report = run_pass(&t.db, &delivery, &shared).await.unwrap();
        assert_eq!((report.claimed, report.delivered, report.retrying), (1, 0, 1));
        let r = row(&t.db, &id).await;
        assert_eq!(r.attempts, 1);
        assert!(r.delivered_at.is_none() && r.claimed_until.is_none());
        assert!(
            r.next_attempt_at >= T0 + 13_500 && r.next_attempt_at <= T0 + 16_500,
            "{r:?}"
        );
        let error = r.last_error.clone().unwrap();
        assert!(error.contains("500") && !error.contains("902715"), "{error}");
        assert_eq!(outbox::count_failed(&t.db).await.unwrap(), 1);

        // Not due yet: nothing is sent.
        clock.advance_ms(10_000);
        assert_eq!(run_pass(&t.db, &delivery, &shared).await.unwrap().claimed, 0);
        assert_eq!(gw.received().len(), 1);

        // Due after the backoff; the gateway has recovered.
        clock.advance_ms(10_000);
        assert_eq!(run_once(&t.db, &delivery, &shared).await.unwrap(), 1);
        assert_eq!(gw.received().len(), 2);
        let r = row(&t.db, &id).await;
        assert_eq!(r.attempts, 2);
        assert_eq!(r.delivered_at, Some(T0 + 20_000));
        assert_eq!(r.last_error, None);
        assert_eq!(outbox::count_failed(&t.db).await.unwrap(), 0);

        clock.advance_ms(24 * HOUR_MS);
        assert_eq!(run_pass(&t.db, &delivery, &shared).await.unwrap().claimed, 0);
        assert_eq!(gw.received().len(), 2, "a delivered SMS is never sent again");
    }
);

both_dbs!(delivery_gives_up_after_max_attempts, |t: TestDb| async move {
    let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
    let gw = GatewaySink::start().await;
    gw.state.fail_next.store(usize::MAX, Ordering::SeqCst);
    let (clock, shared) = clocks();
    let id = enqueue_committed(&t.db, &NewMessage::sms("+31612345678", "x"), clock.now_ms()).await;
    let delivery = sms_delivery(&gw, None);
    for _ in 0..worker::MAX_ATTEMPTS {
        assert_eq!(run_pass(&t.db, &delivery, &shared).await.unwrap().claimed, 1);
        clock.advance_ms(2 * HOUR_MS);
    }
    let r = row(&t.db, &id).await;
    assert!(r.gave_up(), "{r:?}");
    assert_eq!(r.attempts, worker::MAX_ATTEMPTS);
    assert!(r.delivered_at.is_none() && r.last_error.is_some());
    assert_eq!(outbox::count_failed(&t.db).await.unwrap(), 1);
    assert_eq!(outbox::count_pending(&t.db).await.unwrap(), 0);
    clock.advance_ms(365 * 24 * HOUR_MS);
    assert_eq!(run_pass(&t.db, &delivery, &shared).await.unwrap().claimed, 0);
    assert_eq!(gw.received().len() as i64, worker::MAX_ATTEMPTS);
});

both_dbs!(
    message_in_a_rolled_back_transaction_is_never_sent,
    |t: TestDb| async move {
        let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
        let gw = GatewaySink::start().await;
        let (clock, shared) = clocks();
        let mut tx = t.db.begin().await.unwrap();
        outbox::enqueue(&mut tx, &NewMessage::sms("+31612345678", "Code 111222"), clock.now_ms())
            .await
            .unwrap();
        tx.rollback().await.unwrap();
        {
            // Dropped without commit: also rolled back.
            let mut tx = t.db.begin().await.unwrap();
            outbox::enqueue(&mut tx, &NewMessage::sms("+31612345678", "Code 333444"), clock.now_ms())
                .await
                .unwrap();
        }
        assert_eq!(
            run_pass(&t.db, &sms_delivery(&gw, None), &shared)
                .await
                .unwrap()
                .claimed,
            0
        );
        assert!(gw.received().is_empty());
        assert!(outbox::list(&t.db, None, 10).await.unwrap().is_empty());
    }
);

both_dbs!(claims_are_exclusive_until_the_lease_runs_out, |t: TestDb| async move {
    let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
    let now = T0;
    let mut ids = HashSet::new();
    for i in 0..30 {
        let msg = NewMessage::email(format!("p{i}@example.nl"), "s", "b");
        ids.insert(enqueue_committed(&t.db, &msg, now).await);
    }
    let (a, b) = tokio::join!(
        outbox::claim_due(&t.db, now, 20, 60_000),
        outbox::claim_due(&t.db, now, 20, 60_000)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    let rest = outbox::claim_due(&t.db, now, 100, 60_000).await.unwrap();
    let mut seen = HashSet::new();
    for r in a.iter().chain(&b).chain(&rest) {
        assert!(seen.insert(r.id.clone()), "claimed twice: {}", r.id);
        assert_eq!(r.claimed_until, Some(now + 60_000));
    }
    assert_eq!(seen, ids);
    assert!(outbox::claim_due(&t.db, now + 60_000, 100, 60_000)
        .await
        .unwrap()
        .is_empty());
    let again = outbox::claim_due(&t.db, now + 60_001, 100, 60_000).await.unwrap();
    assert_eq!(again.len(), 30, "an expired lease can be claimed again");
});

both_dbs!(unconfigured_channels_deliver_to_the_dev_inbox, |t: TestDb| async move {
    let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
    let (clock, shared) = clocks();
    let sms = NewMessage::sms("+31612345678", "Uw code is 551177.");
    enqueue_committed(&t.db, &sms, clock.now_ms()).await;
    clock.advance_ms(1_000);
    let mail = NewMessage::email("jan@example.nl", "Welkom <b>", "Klik op http://x.nl/a?b=1&c=2");
    enqueue_committed(&t.db, &mail, clock.now_ms()).await;
    assert_eq!(run_once(&t.db, &Delivery::dev_inbox_only(), &shared).await.unwrap(), 2);

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = dev_inbox_router(t.db.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let http = reqwest::Client::new();

    let all: serde_json::Value = http
        .get(format!("{base}/dev/inbox/messages.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["recipient"], "jan@example.nl", "newest first");

    for query in ["to=%2B31612345678", "to=+31612345678", "to=0612345678"] {
        let resp = http
            .get(format!("{base}/dev/inbox/messages.json?{query}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let list: serde_json::Value = resp.json().await.unwrap();
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 1, "{query}");
        let m = &list[0];
        assert_eq!(m["channel"], "sms");
        assert_eq!(m["delivered_via"], "dev-inbox");
        assert_eq!(m["subject"], serde_json::Value::Null);
        assert_eq!(m["created_at"], T0);
        assert_eq!(m["delivered_at"], T0 + 1_000);
        assert!(m["id"].is_string());
        assert_eq!(extract_code(m["body"].as_str().unwrap()).as_deref(), Some("551177"));
    }

    let resp = http
        .get(format!("{base}/dev/inbox?aan=jan%40example.nl"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("Ontwikkel-inbox") && html.contains("Welkom &lt;b&gt;"),
        "{html}"
    );
    assert!(
        html.contains("http://x.nl/a?b=1&amp;c=2") && !html.contains("551177"),
        "{html}"
    );
});

both_dbs!(
    spawned_worker_delivers_when_woken_and_stops_on_shutdown,
    |t: TestDb| async move {
        let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
        let gw = GatewaySink::start().await;
        let (clock, shared) = clocks();
        let delivery = sms_delivery(&gw, None);
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let handle = spawn_worker(t.db.clone(), delivery.clone(), shared, stopped);

        enqueue_committed(&t.db, &NewMessage::sms("+31612345678", "Hallo"), clock.now_ms()).await;
        delivery.wake();
        // Bounded wait for the background task; the assertion is on the outcome, not the time.
        for _ in 0..200 {
            if !gw.received().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert_eq!(gw.received().len(), 1);

        stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(10), handle)
            .await
            .expect("worker stops")
            .unwrap();
    }
);
