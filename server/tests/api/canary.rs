//! Issue 12, rules 3 and 4: secrets do not outlive their use. Each flow (activation, login,
//! password reset, a manager registration with its approval and objection links) runs with
//! canary secrets — chosen passwords, a wrong password, every code and link token the
//! server sent, every cookie it set — while every log line and span of the server is captured
//! (level `debug`, all targets). After the messages are delivered for real (an SMTP
//! listener and an HTTP SMS gateway), neither the log nor any column of any table holds
//! one of them.

use crate::helpers::{spawn_app, TestApp, TestDb, Which};
use crate::identity_support::{activate_new, request, tenant};
use crate::log_capture::{runtime, Captured};
use crate::notify_sinks::{GatewaySink, SmtpSink};
use crate::request_support::link_token;
use app::server::notify::{extract_code, run_pass, Delivery, Mailer, SmsGateway};
use std::time::Duration;

const PASSWORD: &str = "Blauwe-Reiger-8841-zeer-geheim";
const NEW_PASSWORD: &str = "Groene-Specht-5530-nog-geheimer";
const WRONG: &str = "Rode-Mus-4471-niet-het-juiste";
const EMAIL: &str = "kanarie@example.nl";
const MOBILE: &str = "+31612349876";

#[test]
fn sqlite() {
    canaries(Which::Sqlite);
}

#[test]
fn postgres() {
    canaries(Which::Postgres);
}

fn canaries(which: Which) {
    let log = Captured::default();
    let (rt, dispatch) = runtime(&log);
    let _main = tracing::dispatcher::set_default(&dispatch);
    rt.block_on(async move {
        let t = TestDb::new(which).await;
        let app = spawn_app(t).await;
        let mut secrets: Vec<String> = [PASSWORD, NEW_PASSWORD, WRONG].map(String::from).to_vec();
        let smtp = SmtpSink::start().await;
        let gateway = GatewaySink::start().await;

        // A manager requests a means; the person opens the link, proves the code and
        // chooses a password; then logs in, mistypes it once, forgets it and resets it.
        let manager = tenant(&app, "87654321", "Kanarie BV", "beheer@kanarie.example", "+31611119999").await;
        secrets.push(manager.session.clone());
        request(&app, &manager, "Karel", "Kanarie", EMAIL, "06 1234 9876", "EH2+").await;
        let token = link_token(&app, EMAIL).await;
        let page = app.get(&format!("/activeren/{token}"), None).await;
        assert_eq!(page.status, 200);
        let activation = activate_new(&app, &token, MOBILE, PASSWORD).await;
        secrets.push(activation.clone());
        let wrong = app.call("login", None, &[("email", EMAIL), ("password", WRONG)]).await;
        assert_eq!(wrong.status, 422);
        secrets.push(app.login(EMAIL, PASSWORD, MOBILE).await);
        let reset = reset_password(&app).await;
        secrets.push(reset);
        secrets.push(app.login(EMAIL, NEW_PASSWORD, MOBILE).await);

        // A manager registration: the draft cookie, the applicant's code, the status and
        // approval links (opened, answered), and the objection link to the existing manager.
        let draft = crate::registration_support::fill(
            &app,
            "87654321",
            "bas@kanarie.example",
            &[("Ria", "ria@kanarie.example")],
        )
        .await;
        secrets.push(draft.clone());
        let status = crate::registration_support::submit(&app, &draft).await;
        assert_eq!(app.get(&status, None).await.status, 200);
        let approve = crate::registration_support::link(&app, "ria@kanarie.example", "/registreren/goedkeuren/").await;
        assert_eq!(
            app.get(&format!("/registreren/goedkeuren/{approve}"), None)
                .await
                .status,
            200
        );
        let r = crate::registration_support::post(
            &app,
            "registration/answer",
            None,
            &[("token", &approve), ("besluit", "goedkeuren")],
        )
        .await;
        assert!(!r.location.is_empty());
        let object = crate::registration_support::link(&app, "beheer@kanarie.example", "/registreren/bezwaar/").await;
        assert_eq!(
            app.get(&format!("/registreren/bezwaar/{object}"), None).await.status,
            200
        );

        // Every code and link token the server sent is a canary too.
        let sent = app::server::db::outbox::list(&app.state.db, None, 1000).await.unwrap();
        for m in &sent {
            secrets.extend(extract_code(&m.body));
            secrets.extend(link_tokens(&m.body));
        }
        let tokens = sent.iter().flat_map(|m| link_tokens(&m.body)).count();
        assert!(tokens >= 5, "activation, reset, status, approval and objection links");
        assert!(
            secrets.iter().filter(|s| s.len() == 6).count() >= 4,
            "codes for activation, logins and reset"
        );

        // Delivered for real.
        let delivery = Delivery::dev_inbox_only()
            .with_mailer(Mailer::new(&smtp.url(), "Beheermodule <noreply@beheermodule.localhost>").unwrap())
            .with_sms_gateway(SmsGateway::new(&gateway.url(), None).unwrap());
        for _ in 0..20 {
            if run_pass(&app.state.db, &delivery, &app.state.clock)
                .await
                .unwrap()
                .claimed
                == 0
            {
                break;
            }
        }
        assert_eq!(app::server::db::outbox::count_pending(&app.state.db).await.unwrap(), 0);
        let delivered: String = smtp
            .mails()
            .iter()
            .map(|m| m.data.clone())
            .collect::<Vec<_>>()
            .join("\n")
            + &gateway
                .received()
                .iter()
                .map(|s| s.json.to_string())
                .collect::<Vec<_>>()
                .join("\n");
        assert!(delivered.contains(&token), "the person got the real link");

        let stored = dump(&app).await;
        let logged = log.text();
        assert!(
            logged.contains("/activeren/•••"),
            "the log was captured, with the link's path"
        );
        assert!(logged.contains("/wachtwoord-herstellen/•••"));
        for path in [
            "/registreren/status/•••",
            "/registreren/goedkeuren/•••",
            "/registreren/bezwaar/•••",
        ] {
            assert!(logged.contains(path), "{path} was requested and logged redacted");
        }
        for s in &secrets {
            assert!(
                !logged.contains(s.as_str()),
                "the log holds a secret ({} characters)",
                s.len()
            );
            assert!(
                !stored.contains(s.as_str()),
                "the database holds a secret ({} characters)",
                s.len()
            );
        }
    });
}

/// Forgotten password → link → code → new password; returns the reset cookie.
async fn reset_password(app: &TestApp) -> String {
    let r = app.call("password/forgotten", None, &[("email", EMAIL)]).await;
    assert!(r.status < 400, "{r:?}");
    let mut token = None;
    for _ in 0..100 {
        let mails = app::server::db::outbox::list(&app.state.db, Some(EMAIL), 10)
            .await
            .unwrap();
        token = mails.iter().find_map(|m| {
            m.body
                .lines()
                .find_map(|l| l.strip_prefix("http://127.0.0.1:3000/wachtwoord-herstellen/"))
                .map(str::to_string)
        });
        if token.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let token = token.expect("a reset mail");
    assert_eq!(
        app.get(&format!("/wachtwoord-herstellen/{token}"), None).await.status,
        200
    );
    let res = app
        .http
        .post(format!("{}/api/password/confirm", app.addr))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Accept", "text/html")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("bm_herstel="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("the reset cookie");
    let jar = format!("bm_herstel={cookie}");
    let code = app.latest_code(MOBILE).await;
    let r = crate::request_support::post(app, "password/code", Some(&jar), &[("code", &code)]).await;
    assert_eq!(r.location, "/wachtwoord-herstellen");
    let r = crate::request_support::post(
        app,
        "password/new",
        Some(&jar),
        &[("password", NEW_PASSWORD), ("repeat", NEW_PASSWORD)],
    )
    .await;
    assert_eq!(r.location, "/wachtwoord-herstellen", "{}", r.body);
    cookie
}

/// The 43-character tokens at the end of the links in a message.
fn link_tokens(body: &str) -> Vec<String> {
    body.split(|c: char| c.is_whitespace())
        .filter(|w| w.starts_with("http"))
        .filter_map(|w| w.rsplit('/').next())
        .filter(|t| t.len() == 43)
        .map(str::to_string)
        .collect()
}

/// Every column of every table, as text.
async fn dump(app: &TestApp) -> String {
    let pool = &app.state.db.pool;
    let sqlite = app.state.config.database_url.starts_with("sqlite");
    let tables: Vec<String> = if sqlite {
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .fetch_all(pool)
            .await
            .unwrap()
    } else {
        sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema()",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    };
    assert!(tables.len() > 10, "{tables:?}");
    let mut out = String::new();
    for table in tables {
        let columns: Vec<String> = if sqlite {
            sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(pool)
                .await
                .unwrap()
        } else {
            sqlx::query_scalar(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
            .bind(&table)
            .fetch_all(pool)
            .await
            .unwrap()
        };
        for c in columns {
            // SQLite may keep any value as a blob: read bytes, whatever their encoding.
            let values: Vec<String> = if sqlite {
                let raw: Vec<Option<Vec<u8>>> =
                    sqlx::query_scalar(&format!("SELECT CAST(\"{c}\" AS BLOB) FROM \"{table}\""))
                        .fetch_all(pool)
                        .await
                        .unwrap();
                raw.into_iter()
                    .flatten()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .collect()
            } else {
                let text: Vec<Option<String>> =
                    sqlx::query_scalar(&format!("SELECT CAST(\"{c}\" AS TEXT) FROM \"{table}\""))
                        .fetch_all(pool)
                        .await
                        .unwrap();
                text.into_iter().flatten().collect()
            };
            for v in values {
                out.push_str(&v);
                out.push('\n');
            }
        }
    }
    out
}
