//! Activation on the phone over HTTP (flow 4): the e-mail link (look, confirm once), the
//! SMS code rules, the password policy, issuance for employees, and the back office's ID
//! check, rejection and identification in person. Every test on SQLite and PostgreSQL.

use crate::both_dbs;
use crate::helpers::{spawn_app, TestApp, MANAGER};
use app::domain::person_request::{PersonRequest, RequestFields};
use app::domain::time::date_amsterdam;
use app::domain::value::AssuranceLevel;
use app::server::service::means_request::{request_means, Requester};

pub const BACKOFFICE: (&str, &str, &str) = ("backoffice@demo.example", "Demo-backoffice-2026!", "+31611112222");
const GOOD_PASSWORD: &str = "groene appels op de fiets";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

struct Res {
    status: u16,
    location: String,
    activation_cookie: Option<String>,
    body: String,
}

impl Res {
    fn notice(&self) -> Option<&str> {
        self.location.split("melding=").nth(1)
    }
}

async fn send(app: &TestApp, req: reqwest::RequestBuilder) -> Res {
    app.clock.advance_ms(1_000);
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let activation_cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("bm_activatie="))
        .map(|v| v.split(';').next().unwrap_or_default().to_string());
    Res {
        status,
        location,
        activation_cookie,
        body: res.text().await.unwrap_or_default(),
    }
}

/// A plain form post from one of our pages, as a browser without JavaScript sends it.
async fn post(app: &TestApp, endpoint: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Res {
    let mut req = app
        .http
        .post(format!("{}/api/{endpoint}", app.addr))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Accept", "text/html")
        .form(form);
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    send(app, req).await
}

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> Res {
    let mut req = app.http.get(format!("{}{path}", app.addr));
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    send(app, req).await
}

/// Requests a means for a new person straight through the service (so any level can be
/// tested, whatever the demo manager's own level), and returns the raw link token.
async fn requested(app: &TestApp, email: &str, level: &str, employed: bool) -> String {
    let now = app.state.now();
    let fields = RequestFields {
        given_names: "Noor".into(),
        prefix: "van".into(),
        surname: "Dijk".into(),
        birth_date: "02-02-1992".into(),
        email: email.into(),
        mobile: "06 2233 4455".into(),
        employed: if employed { "ja" } else { "nee" }.into(),
        level: level.into(),
    };
    let person = PersonRequest::from_fields(&fields, date_amsterdam(now), AssuranceLevel::Eh4).expect("valid");
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let org: String = sqlx::query_scalar("SELECT id FROM organisations ORDER BY name LIMIT 1")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let manager: String = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
        .bind(MANAGER.0)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let org_name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(&org)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let by = Requester {
        account_id: &manager,
        organisation_id: &org,
        organisation_name: &org_name,
        manager_level: AssuranceLevel::Eh4,
        public_url: "http://127.0.0.1:3000",
        link_ttl_ms: app.state.config.activation_ttl_ms,
    };
    let out = request_means(&mut conn, &by, &[person], None, now).await.unwrap();
    assert_eq!(out.created, 1);
    link_token(app, email).await
}

async fn link_token(app: &TestApp, email: &str) -> String {
    let mail = app::server::db::outbox::list(&app.state.db, Some(email), 1)
        .await
        .unwrap()
        .remove(0);
    let link = mail
        .body
        .lines()
        .find(|l| l.starts_with("http://127.0.0.1:3000/activeren/"))
        .expect("the link on a line of its own")
        .to_string();
    link.rsplit('/').next().unwrap().to_string()
}

const MOBILE: &str = "+31622334455";

async fn request_state(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar(
        "SELECT r.state FROM requests r JOIN means m ON m.id = r.means_id WHERE m.email = $1 ORDER BY r.created_at DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap()
}

async fn means_state(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT m.state FROM means m WHERE m.email = $1")
        .bind(email)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// Confirms the link; returns the activation cookie header value.
async fn confirm(app: &TestApp, token: &str) -> String {
    let r = post(app, "activation/confirm", None, &[("token", token)]).await;
    assert_eq!((r.status, r.location.as_str()), (302, "/activeren"), "{}", r.body);
    format!("bm_activatie={}", r.activation_cookie.expect("activation cookie"))
}

/// Link, code and password: where a person stands after the steps everyone takes.
async fn through_password(app: &TestApp, token: &str) -> String {
    let cookie = confirm(app, token).await;
    let code = app.latest_code(MOBILE).await;
    let r = post(app, "activation/code", Some(&cookie), &[("code", &code)]).await;
    assert_eq!(r.location, "/activeren", "{}", r.body);
    let r = post(
        app,
        "activation/password",
        Some(&cookie),
        &[("password", GOOD_PASSWORD), ("repeat", GOOD_PASSWORD)],
    )
    .await;
    assert_eq!(r.location, "/activeren");
    cookie
}

both_dbs!(
    opening_the_link_consumes_nothing_and_confirming_uses_it_once,
    |t| async move {
        let app = spawn_app(t).await;
        let token = requested(&app, "noor@example.nl", "EH2+", true).await;
        for _ in 0..2 {
            let r = page(&app, &format!("/activeren/{token}"), None).await;
            assert_eq!(r.status, 200);
            assert!(r.body.contains("E-mailadres bevestigen"), "{}", r.body);
        }
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM verification_tokens WHERE used_at IS NOT NULL")
                .await,
            0
        );
        assert_eq!(request_state(&app, "noor@example.nl").await, "awaiting_email");

        let cookie = confirm(&app, &token).await;
        assert_eq!(request_state(&app, "noor@example.nl").await, "awaiting_sms");
        assert_eq!(app.latest_code(MOBILE).await.len(), 6);
        let r = page(&app, "/activeren", Some(&cookie)).await;
        assert!(r.body.contains("+31 6 •••• ••55"), "masked mobile shown: {}", r.body);

        // The link is used up: confirming again changes nothing and the page says so.
        let again = post(&app, "activation/confirm", None, &[("token", &token)]).await;
        assert_eq!(again.location, format!("/activeren/{token}"));
        assert!(again.activation_cookie.is_none());
        let r = page(&app, &format!("/activeren/{token}"), None).await;
        assert!(r.body.contains("Deze link is al gebruikt"), "{}", r.body);
        assert_eq!(request_state(&app, "noor@example.nl").await, "awaiting_sms");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM request_events WHERE event = 'email_confirmed'")
                .await,
            1
        );
    }
);

both_dbs!(
    an_employee_completes_with_code_and_password_and_can_log_in,
    |t| async move {
        let app = spawn_app(t).await;
        let email = "noor@example.nl";
        let token = requested(&app, email, "EH2+", true).await;
        let cookie = confirm(&app, &token).await;
        let code = app.latest_code(MOBILE).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let r = post(&app, "activation/code", Some(&cookie), &[("code", wrong)]).await;
        assert_eq!(r.notice(), Some("code-onjuist"));
        let r = page(&app, "/activeren?melding=code-onjuist", Some(&cookie)).await;
        assert!(r.body.contains("De sms-code klopt niet. Nog 4 pogingen."), "{}", r.body);
        let r = post(&app, "activation/code", Some(&cookie), &[("code", &code)]).await;
        assert_eq!(r.location, "/activeren");
        assert_eq!(request_state(&app, email).await, "awaiting_password");

        for (pw, repeat, notice) in [
            ("Kwartel1", "Kwartel1", "wachtwoord-kort"),
            (
                "groene appels op de fiets",
                "groene appels op de step",
                "wachtwoord-verschillend",
            ),
            ("password1234", "password1234", "wachtwoord-bekend"),
            ("noor@example.nl-geheim", "noor@example.nl-geheim", "wachtwoord-email"),
            (
                "de dijk is hoog en breed",
                "de dijk is hoog en breed",
                "wachtwoord-naam",
            ),
        ] {
            let r = post(
                &app,
                "activation/password",
                Some(&cookie),
                &[("password", pw), ("repeat", repeat)],
            )
            .await;
            assert_eq!(r.notice(), Some(notice), "{pw}");
            assert!(!r.location.contains(pw), "the password never goes into a URL");
        }
        assert_eq!(request_state(&app, email).await, "awaiting_password");
        let r = post(
            &app,
            "activation/password",
            Some(&cookie),
            &[("password", GOOD_PASSWORD), ("repeat", GOOD_PASSWORD)],
        )
        .await;
        assert_eq!(r.location, "/activeren");
        assert_eq!(request_state(&app, email).await, "completed");
        assert_eq!(means_state(&app, email).await, "active");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'means_activated'")
                .await,
            1
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'account_created'")
                .await,
            1
        );
        let stored: String = sqlx::query_scalar("SELECT password_hash FROM accounts WHERE email = $1")
            .bind(email)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert!(stored.starts_with("$argon2id$"));
        let mails = app::server::db::outbox::list(&app.state.db, Some(email), 5)
            .await
            .unwrap();
        assert!(mails
            .iter()
            .any(|m| m.subject.as_deref() == Some("Uw eHerkenningsmiddel is actief")));
        let r = page(&app, "/activeren", Some(&cookie)).await;
        assert!(r.body.contains("is actief"), "{}", r.body);

        // The new password logs in (EH2+: with an SMS code).
        let session = app.login(email, GOOD_PASSWORD, MOBILE).await;
        assert!(!session.is_empty());
        let events: Vec<String> = sqlx::query_scalar(
            "SELECT e.event FROM request_events e JOIN requests r ON r.id = e.request_id ORDER BY e.at, e.id",
        )
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
        let tail: Vec<&str> = events.iter().map(String::as_str).rev().take(5).collect();
        assert_eq!(
            tail,
            [
                "password_set",
                "sms_confirmed",
                "sms_wrong",
                "sms_sent",
                "email_confirmed"
            ]
        );
    }
);

both_dbs!(
    five_wrong_codes_kill_the_code_and_a_resend_kills_the_old_one,
    |t| async move {
        let app = spawn_app(t).await;
        let email = "noor@example.nl";
        let token = requested(&app, email, "EH2+", true).await;
        let cookie = confirm(&app, &token).await;
        let code = app.latest_code(MOBILE).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for i in 1..=5 {
            let r = post(&app, "activation/code", Some(&cookie), &[("code", wrong)]).await;
            let expected = if i < 5 { "code-onjuist" } else { "code-op" };
            assert_eq!(r.notice(), Some(expected), "try {i}");
        }
        let r = post(&app, "activation/code", Some(&cookie), &[("code", &code)]).await;
        assert_eq!(
            r.notice(),
            Some("code-op"),
            "the right code no longer works after five wrong tries"
        );
        let r = page(&app, "/activeren", Some(&cookie)).await;
        assert!(!r.body.contains("name=\"code\""), "no code field for a dead code");
        assert!(r.body.contains("Nieuwe code sturen"));

        let r = post(&app, "activation/resend", Some(&cookie), &[]).await;
        assert_eq!(r.notice(), Some("code-verstuurd"));
        let fresh = app.latest_code(MOBILE).await;
        let r = post(&app, "activation/resend", Some(&cookie), &[]).await;
        assert_eq!(r.notice(), Some("code-verstuurd"));
        let newest = app.latest_code(MOBILE).await;
        if fresh != newest {
            let r = post(&app, "activation/code", Some(&cookie), &[("code", &fresh)]).await;
            assert_eq!(r.notice(), Some("code-onjuist"), "a resend kills the previous code");
            assert_eq!(request_state(&app, email).await, "awaiting_sms");
        }
        // Five codes per request per day: the first and four resends.
        for _ in 0..2 {
            let r = post(&app, "activation/resend", Some(&cookie), &[]).await;
            assert_eq!(r.notice(), Some("code-verstuurd"));
        }
        let r = post(&app, "activation/resend", Some(&cookie), &[]).await;
        assert_eq!(r.notice(), Some("te-veel-codes"));
        let last = app.latest_code(MOBILE).await;
        let r = post(&app, "activation/code", Some(&cookie), &[("code", &last)]).await;
        assert_eq!(r.location, "/activeren");
        assert_eq!(request_state(&app, email).await, "awaiting_password");
        // A day later codes may be sent again (the limit is per 24 hours).
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM sms_codes WHERE request_id IS NOT NULL")
                .await,
            5
        );
    }
);

both_dbs!(codes_expire_after_ten_minutes_and_links_after_a_day, |t| async move {
    let app = spawn_app(t).await;
    let token = requested(&app, "noor@example.nl", "EH2+", true).await;
    let late = requested(&app, "late@example.nl", "EH2", true).await;
    let cookie = confirm(&app, &token).await;
    let code = app.latest_code(MOBILE).await;
    app.clock.advance_ms(10 * 60_000);
    let r = post(&app, "activation/code", Some(&cookie), &[("code", &code)]).await;
    assert_eq!(r.notice(), Some("code-verlopen"));
    assert_eq!(request_state(&app, "noor@example.nl").await, "awaiting_sms");

    app.clock.advance_ms(24 * 3_600_000);
    let r = page(&app, &format!("/activeren/{late}"), None).await;
    assert!(r.body.contains("Deze link is verlopen"), "{}", r.body);
    let r = post(&app, "activation/confirm", None, &[("token", &late)]).await;
    assert_eq!(r.location, format!("/activeren/{late}"));
    assert!(r.activation_cookie.is_none());
    // The activation that went on from the link ends with it.
    let r = page(&app, "/activeren", Some(&cookie)).await;
    assert!(r.body.contains("Deze activatie is verlopen"), "{}", r.body);
    let r = post(&app, "activation/resend", Some(&cookie), &[]).await;
    assert_eq!(r.notice(), Some("stap-gedaan"));
});

both_dbs!(
    unknown_and_cancelled_links_reveal_nothing_and_say_what_to_do,
    |t| async move {
        let app = spawn_app(t).await;
        for bogus in ["abc", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
            let r = page(&app, &format!("/activeren/{bogus}"), None).await;
            assert_eq!(r.status, 200);
            assert!(r.body.contains("Deze link werkt niet"), "{}", r.body);
            assert!(r.body.contains("Vraag de beheerder"));
        }
        let r = page(&app, "/activeren", None).await;
        assert!(r.body.contains("geen activatie"), "{}", r.body);

        let token = requested(&app, "noor@example.nl", "EH2+", true).await;
        let cookie = confirm(&app, &token).await;
        // A manager cancels the request (Lopende aanvragen): its tokens die at once.
        let request_id: String = sqlx::query_scalar("SELECT id FROM requests WHERE state = 'awaiting_sms'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let mut conn = app.state.db.pool.acquire().await.unwrap();
        app::server::db::tokens::cancel_for_request(&mut conn, &request_id, app.state.now())
            .await
            .unwrap();
        app::server::db::requests::set_state(
            &mut conn,
            &request_id,
            app::domain::request::RequestState::AwaitingSms,
            app::domain::request::RequestState::Cancelled,
            true,
            app.state.now(),
        )
        .await
        .unwrap();
        drop(conn);
        let r = page(&app, &format!("/activeren/{token}"), None).await;
        assert!(r.body.contains("ingetrokken"), "{}", r.body);
        let r = page(&app, "/activeren", Some(&cookie)).await;
        assert!(r.body.contains("ingetrokken"), "{}", r.body);
        let code = app.latest_code(MOBILE).await;
        let r = post(&app, "activation/code", Some(&cookie), &[("code", &code)]).await;
        assert_eq!(r.notice(), Some("stap-gedaan"));
        assert_eq!(request_state(&app, "noor@example.nl").await, "cancelled");
    }
);

async fn backoffice(app: &TestApp) -> String {
    format!(
        "bm_session={}",
        app.login(BACKOFFICE.0, BACKOFFICE.1, BACKOFFICE.2).await
    )
}

async fn upload(app: &TestApp, cookie: &str, bytes: &[u8], name: &str, mime: &str) -> Res {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap();
    let form = reqwest::multipart::Form::new().part("document", part);
    let req = app
        .http
        .post(format!("{}/api/activation/document", app.addr))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Accept", "text/html")
        .header("Cookie", cookie)
        .multipart(form);
    send(app, req).await
}

fn document_files(app: &TestApp) -> usize {
    std::fs::read_dir(&app.state.config.document_dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .count()
        })
        .unwrap_or(0)
}

both_dbs!(
    a_non_employee_at_eh3_is_issued_after_the_back_office_approves_the_id,
    |t| async move {
        let app = spawn_app(t).await;
        let email = "noor@example.nl";
        let token = requested(&app, email, "EH3", false).await;
        let cookie = through_password(&app, &token).await;
        assert_eq!(request_state(&app, email).await, "awaiting_id_check");
        assert_eq!(means_state(&app, email).await, "requested");
        let r = page(&app, "/activeren", Some(&cookie)).await;
        assert!(r.body.contains("Foto of PDF van uw identiteitsbewijs"), "{}", r.body);

        let r = upload(&app, &cookie, b"MZ\x90\x00 not an id", "id.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("bestand-type"), "the content decides, not the name");
        let r = upload(&app, &cookie, b"", "leeg.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("bestand-leeg"));
        let big = [b"%PDF-".as_slice(), &vec![b'x'; 10 * 1024 * 1024]].concat();
        let r = upload(&app, &cookie, &big, "groot.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("bestand-groot"));
        let r = upload(&app, &cookie, PDF, "id.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("bestand-ontvangen"));
        assert_eq!(document_files(&app), 1);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM documents WHERE deleted_at IS NULL")
                .await,
            1
        );

        // The queue is the back office's alone.
        let manager = format!("bm_session={}", app.login(MANAGER.0, MANAGER.1, MANAGER.2).await);
        let r = post(&app, "backoffice/queue", Some(&manager), &[]).await;
        assert_eq!(r.status, 403);
        let r = page(&app, "/backoffice", Some(&manager)).await;
        assert_eq!(r.status, 303, "a manager is sent to their own landing page");
        let bo = backoffice(&app).await;
        let r = page(&app, "/backoffice", Some(&bo)).await;
        assert!(
            r.body.contains("Noor van Dijk") && r.body.contains("02-02-1992"),
            "{}",
            r.body
        );
        let doc: String = sqlx::query_scalar("SELECT id FROM documents WHERE deleted_at IS NULL")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let r = page(&app, &format!("/backoffice/documenten/{doc}"), Some(&manager)).await;
        assert_eq!(
            (r.status, r.location.as_str()),
            (303, "/beheer"),
            "not served to a manager"
        );
        assert!(!r.body.contains("%PDF"));
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'document_viewed'")
                .await,
            0,
            "a refused look is no look"
        );
        let r = page(&app, &format!("/backoffice/documenten/{doc}"), Some(&bo)).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body.as_bytes(), PDF);
        page(&app, &format!("/backoffice/documenten/{doc}"), Some(&bo)).await;
        let viewed: Vec<(String, String)> =
            sqlx::query_as("SELECT target_id, actor FROM audit_events WHERE action = 'document_viewed'")
                .fetch_all(&app.state.db.pool)
                .await
                .unwrap();
        assert_eq!(viewed.len(), 2, "every look is on the record");
        assert!(viewed.iter().all(|(target, actor)| *target == doc && !actor.is_empty()));

        let request_id: String = sqlx::query_scalar("SELECT id FROM requests WHERE state = 'awaiting_id_check'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let r = post(&app, "backoffice/approve", Some(&bo), &[("request_id", &request_id)]).await;
        assert_eq!(r.location, "/backoffice?melding=goedgekeurd");
        assert_eq!(request_state(&app, email).await, "completed");
        assert_eq!(means_state(&app, email).await, "active");
        assert_eq!(document_files(&app), 0, "the file is deleted once decided");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM documents WHERE deleted_at IS NOT NULL")
                .await,
            1
        );
        let r = page(&app, &format!("/backoffice/documenten/{doc}"), Some(&bo)).await;
        assert_eq!(r.status, 404);
        let r = post(&app, "backoffice/approve", Some(&bo), &[("request_id", &request_id)]).await;
        assert_eq!(r.location, "/backoffice?melding=al-beslist");
        let actor: String = sqlx::query_scalar("SELECT actor FROM audit_events WHERE action = 'means_activated'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let bo_id: String = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
            .bind(BACKOFFICE.0)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(actor, bo_id);
    }
);

both_dbs!(
    a_rejection_closes_the_request_and_tells_the_person_why,
    |t| async move {
        let app = spawn_app(t).await;
        let email = "noor@example.nl";
        let token = requested(&app, email, "EH3", false).await;
        let cookie = through_password(&app, &token).await;
        let r = upload(&app, &cookie, b"\xFF\xD8\xFF\xE0 jpeg", "id.jpg", "image/jpeg").await;
        assert_eq!(r.notice(), Some("bestand-ontvangen"));
        let bo = backoffice(&app).await;
        let request_id: String = sqlx::query_scalar("SELECT id FROM requests WHERE state = 'awaiting_id_check'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let r = post(
            &app,
            "backoffice/reject",
            Some(&bo),
            &[("request_id", &request_id), ("reason", " ")],
        )
        .await;
        assert_eq!(r.location, "/backoffice?melding=reden-nodig");
        assert_eq!(request_state(&app, email).await, "awaiting_id_check");
        let reason = "De foto is onscherp; de naam is niet te lezen.";
        let r = post(
            &app,
            "backoffice/reject",
            Some(&bo),
            &[("request_id", &request_id), ("reason", reason)],
        )
        .await;
        assert_eq!(r.location, "/backoffice?melding=afgewezen");
        assert_eq!(request_state(&app, email).await, "rejected");
        assert_eq!(means_state(&app, email).await, "cancelled");
        assert_eq!(document_files(&app), 0);
        let mails = app::server::db::outbox::list(&app.state.db, Some(email), 5)
            .await
            .unwrap();
        assert!(
            mails.iter().any(|m| m.body.contains(reason)),
            "the person reads the reason"
        );
        let r = page(&app, "/activeren", Some(&cookie)).await;
        assert!(
            r.body.contains("afgewezen") && r.body.contains("onscherp"),
            "{}",
            r.body
        );
        let r = upload(&app, &cookie, PDF, "id.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("stap-gedaan"));
    }
);

both_dbs!(eh4_needs_identification_in_person_before_issuance, |t| async move {
    let app = spawn_app(t).await;
    let email = "noor@example.nl";
    let token = requested(&app, email, "EH4", true).await;
    through_password(&app, &token).await;
    assert_eq!(request_state(&app, email).await, "awaiting_in_person");
    assert_eq!(means_state(&app, email).await, "requested");
    let bo = backoffice(&app).await;
    let request_id: String = sqlx::query_scalar("SELECT id FROM requests WHERE state = 'awaiting_in_person'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let r = post(&app, "backoffice/approve", Some(&bo), &[("request_id", &request_id)]).await;
    assert_eq!(r.location, "/backoffice?melding=al-beslist", "no ID check at this step");
    let r = post(
        &app,
        "backoffice/in_person",
        Some(&bo),
        &[("request_id", &request_id), ("document", "passport")],
    )
    .await;
    assert_eq!(r.location, "/backoffice?melding=bevestigen");
    let r = post(
        &app,
        "backoffice/in_person",
        Some(&bo),
        &[
            ("request_id", &request_id),
            ("document", "passport"),
            ("confirmed", "on"),
        ],
    )
    .await;
    assert_eq!(r.location, "/backoffice?melding=vastgelegd");
    assert_eq!(request_state(&app, email).await, "completed");
    assert_eq!(means_state(&app, email).await, "active");
});

both_dbs!(
    a_non_employee_at_eh4_needs_both_the_id_check_and_the_desk,
    |t| async move {
        let app = spawn_app(t).await;
        let email = "noor@example.nl";
        let token = requested(&app, email, "EH4", false).await;
        let cookie = through_password(&app, &token).await;
        assert_eq!(request_state(&app, email).await, "awaiting_id_check");
        upload(&app, &cookie, PDF, "id.pdf", "application/pdf").await;
        let bo = backoffice(&app).await;
        let request_id: String = sqlx::query_scalar("SELECT id FROM requests WHERE state = 'awaiting_id_check'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let r = post(&app, "backoffice/approve", Some(&bo), &[("request_id", &request_id)]).await;
        assert_eq!(r.location, "/backoffice?melding=goedgekeurd-balie");
        assert_eq!(request_state(&app, email).await, "awaiting_in_person");
        assert_eq!(means_state(&app, email).await, "requested");
        let r = page(&app, "/activeren", Some(&cookie)).await;
        assert!(r.body.contains("identificatie aan de balie"), "{}", r.body);
    }
);

both_dbs!(an_ended_request_takes_its_id_copy_with_it, |t| async move {
    let app = spawn_app(t).await;
    let m = format!("bm_session={}", app.login(MANAGER.0, MANAGER.1, MANAGER.2).await);
    for (email, ending) in [("noor@example.nl", "cancel"), ("sam@example.nl", "expire")] {
        let token = requested(&app, email, "EH3", false).await;
        let cookie = through_password(&app, &token).await;
        let r = upload(&app, &cookie, PDF, "id.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("bestand-ontvangen"));
        assert_eq!(document_files(&app), 1);
        let request_id: String = sqlx::query_scalar("SELECT id FROM requests WHERE state = 'awaiting_id_check'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        if ending == "cancel" {
            let r = post(
                &app,
                "requests/cancel",
                Some(&m),
                &[("ids[0]", &request_id), ("confirmed", "on")],
            )
            .await;
            assert!(r.status < 400, "{} {}", r.status, r.location);
        } else {
            app.clock.advance_ms(31 * 24 * 3_600_000);
            assert!(app::server::jobs::expire_requests(&app.state).await.unwrap() >= 1);
        }
        let state: String = sqlx::query_scalar("SELECT state FROM requests WHERE id = $1")
            .bind(&request_id)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(state, if ending == "cancel" { "cancelled" } else { "expired" });
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM documents WHERE deleted_at IS NULL")
                .await,
            0,
            "{ending}: marked with the decision"
        );
        let purged = app::server::jobs::purge(&app.state).await.unwrap();
        assert_eq!(purged.files, 1, "{ending}");
        assert_eq!(document_files(&app), 0, "{ending}: the file is gone");
        assert_eq!(app::server::jobs::purge(&app.state).await.unwrap().files, 0, "once");
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'document_deleted'")
            .await,
        2
    );
});
