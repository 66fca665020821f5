//! Templated messages: the outbox keeps a template and its parameters, every reader sees
//! the rendered text, and a row that cannot be rendered is never sent. Both databases.

use crate::both_dbs;
use crate::helpers::TestDb;
use app::server::clock::Clock;
use app::server::db::outbox::NewMessage;

use app::server::notify::template::{activation_text, ActivationParams, Params};
use app::server::notify::{dev_inbox_router, run_once, run_pass, Delivery, Mailer};

use tokio::net::TcpListener;

use crate::notify::{clocks, enqueue_committed, row, FROM};
use crate::notify_sinks::*;

// ---------------------------------------------------------------- templated messages

fn activation_params(link: &str) -> Params<'_> {
    Params::Activation(ActivationParams {
        name: "Eva de Vries".into(),
        organisation: "Bakkerij De Gouden Korenschoof B.V.".into(),
        level: "EH3".into(),
        link: link.into(),
    })
}

/// The text of a mail: its DATA after the headers, without the line end the client adds
/// before the terminating dot, with CRLF read as LF.
fn mail_body(data: &str) -> String {
    let (_, body) = data.split_once("\r\n\r\n").expect("headers end with a blank line");
    let body = body.strip_suffix("\r\n").expect("DATA ends with a line end");
    body.replace("\r\n", "\n")
}

both_dbs!(
    templated_activation_mail_is_stored_small_and_sent_in_full,
    |t: TestDb| async move {
        let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
        let smtp = SmtpSink::start().await;
        let (clock, shared) = clocks();
        let link = format!("http://127.0.0.1:3000/activeren/{}", "Zz9-_".repeat(9));
        let msg = NewMessage::templated_email(
            "eva@example.nl",
            "Activeer uw eHerkenningsmiddel",
            &activation_params(&link),
        )
        .unwrap();
        let id = enqueue_committed(&t.db, &msg, clock.now_ms()).await;
        let expected = activation_text("Eva de Vries", "Bakkerij De Gouden Korenschoof B.V.", "EH3", &link);

        let (template, stored): (Option<String>, String) =
            sqlx::query_as("SELECT template, body FROM outbox WHERE id = $1")
                .bind(&id)
                .fetch_one(&t.db.pool)
                .await
                .unwrap();
        assert_eq!(template.as_deref(), Some("activation"));
        assert!(
            stored.len() < expected.len() / 3,
            "parameters only: {} bytes",
            stored.len()
        );
        let r = row(&t.db, &id).await;
        assert_eq!(r.body, expected, "reading renders the text");
        assert!(!format!("{r:?}").contains("activeren"), "Debug hides the link");

        let delivery = Delivery::dev_inbox_only().with_mailer(Mailer::new(&smtp.url(), FROM).unwrap());
        assert_eq!(run_once(&t.db, &delivery, &shared).await.unwrap(), 1);
        let mails = smtp.mails();
        assert_eq!(mails.len(), 1);
        assert!(mails[0].data.contains("Subject: Activeer uw eHerkenningsmiddel"));
        assert_eq!(mail_body(&mails[0].data), expected, "the exact rendered text");
        assert!(mails[0].data.lines().any(|l| l == link), "link on its own line");
        assert_eq!(row(&t.db, &id).await.delivered_via.as_deref(), Some("smtp"));
    }
);

both_dbs!(dev_inbox_shows_templated_mail_rendered, |t: TestDb| async move {
    let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
    let (clock, shared) = clocks();
    let link = "http://127.0.0.1:3000/activeren/abc&def";
    let msg = NewMessage::templated_email("eva@example.nl", "Activeer", &activation_params(link)).unwrap();
    enqueue_committed(&t.db, &msg, clock.now_ms()).await;
    assert_eq!(run_once(&t.db, &Delivery::dev_inbox_only(), &shared).await.unwrap(), 1);

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = dev_inbox_router(t.db.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let http = reqwest::Client::new();
    let list: serde_json::Value = http
        .get(format!("{base}/dev/inbox/messages.json?to=eva@example.nl"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list[0]["body"],
        activation_text("Eva de Vries", "Bakkerij De Gouden Korenschoof B.V.", "EH3", link)
    );
    assert_eq!(list[0]["delivered_via"], "dev-inbox");
    let html = http
        .get(format!("{base}/dev/inbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Beste Eva de Vries,"), "{html}");
    assert!(
        html.contains(r#"<a href="http://127.0.0.1:3000/activeren/abc&amp;def">"#),
        "{html}"
    );
});

both_dbs!(unrenderable_templates_are_never_sent, |t: TestDb| async move {
    let t = &t; // keeps the whole TestDb (and its temp dir) alive for the test
    let smtp = SmtpSink::start().await;
    let (clock, shared) = clocks();
    for (id, template, body) in [
        (
            "broken",
            "activation",
            r#"{"name":"Eva","link":"http://x/activeren/geheim"}"#,
        ),
        ("future", "welkom_v2", "{}"),
    ] {
        sqlx::query(
            "INSERT INTO outbox (id, channel, recipient, subject, body, template, created_at, next_attempt_at) \
                 VALUES ($1, 'email', 'eva@example.nl', 'x', $2, $3, $4, $4)",
        )
        .bind(id)
        .bind(body)
        .bind(template)
        .bind(clock.now_ms())
        .execute(&t.db.pool)
        .await
        .unwrap();
    }
    let delivery = Delivery::dev_inbox_only().with_mailer(Mailer::new(&smtp.url(), FROM).unwrap());
    let report = run_pass(&t.db, &delivery, &shared).await.unwrap();
    assert_eq!(
        (report.claimed, report.gave_up),
        (1, 1),
        "an unknown template is not claimed"
    );
    assert!(smtp.mails().is_empty());
    let broken = row(&t.db, "broken").await;
    assert!(broken.gave_up() && broken.body.is_empty(), "{broken:?}");
    let error = broken.last_error.unwrap();
    assert!(error.contains("activation") && !error.contains("geheim"), "{error}");
    let future = row(&t.db, "future").await;
    assert_eq!(future.attempts, 0);
    assert!(future.render_error.is_some() && future.delivered_at.is_none());
});
