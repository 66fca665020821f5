//! Issue 11, rule 4: the holder's own login on `/mijn` — a new password after the current
//! one, a new mobile after the current password and a code to the new number (the old
//! number is told), and a forgotten password (e-mail link, code to the verified mobile,
//! new password, every session ended). Every change is audited.

use crate::both_dbs;
use crate::helpers::{spawn_app, TestApp, USER};
use crate::request_support::{post, Res};
use std::time::Duration;

fn cookie(session: &str) -> String {
    format!("bm_session={session}")
}

async fn mine(app: &TestApp, session: &str, endpoint: &str, form: &[(&str, &str)]) -> Res {
    post(app, &format!("account/{endpoint}"), Some(&cookie(session)), form).await
}

async fn password_hash(app: &TestApp) -> String {
    sqlx::query_scalar("SELECT password_hash FROM accounts WHERE email = $1")
        .bind(USER.0)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn alive(app: &TestApp, session: &str) -> bool {
    app.call("current_user", Some(session), &[]).await.body != "null"
}

const NEW_PASSWORD: &str = "een nieuwe zin om te onthouden";

both_dbs!(
    a_new_password_needs_the_current_one_and_ends_other_sessions,
    |t| async move {
        let app = spawn_app(t).await;
        let here = app.login(USER.0, USER.1, USER.2).await;
        let elsewhere = app.login(USER.0, USER.1, USER.2).await;
        let before = password_hash(&app).await;
        let r = mine(
            &app,
            &here,
            "password",
            &[
                ("current", "niet goed genoeg"),
                ("password", NEW_PASSWORD),
                ("repeat", NEW_PASSWORD),
            ],
        )
        .await;
        assert_eq!(r.notice(), Some("huidig-onjuist"));
        let r = mine(
            &app,
            &here,
            "password",
            &[("current", USER.1), ("password", "kort"), ("repeat", "kort")],
        )
        .await;
        assert_eq!(r.notice(), Some("wachtwoord-kort"));
        assert_eq!(password_hash(&app).await, before, "nothing changed yet");
        let r = mine(
            &app,
            &here,
            "password",
            &[
                ("current", USER.1),
                ("password", NEW_PASSWORD),
                ("repeat", NEW_PASSWORD),
            ],
        )
        .await;
        assert_eq!(r.notice(), Some("wachtwoord-gewijzigd"), "{}", r.location);
        assert!(!r.location.contains(NEW_PASSWORD));
        assert_ne!(password_hash(&app).await, before);
        assert!(alive(&app, &here).await && !alive(&app, &elsewhere).await);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'password_changed'")
                .await,
            1
        );
        let mail = app::server::db::outbox::list(&app.state.db, Some(USER.0), 1)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(mail.subject.as_deref(), Some("Uw wachtwoord is gewijzigd"));
        let old = app
            .call("login", None, &[("email", USER.0), ("password", USER.1)])
            .await;
        assert_eq!(old.status, 422);
        app.login(USER.0, NEW_PASSWORD, USER.2).await;
    }
);

both_dbs!(
    a_new_mobile_is_proven_by_its_own_code_and_the_old_one_is_told,
    |t| async move {
        let app = spawn_app(t).await;
        let s = app.login(USER.0, USER.1, USER.2).await;
        let new = "+31677778888";
        let r = mine(
            &app,
            &s,
            "mobile",
            &[("mobile", "06 7777 8888"), ("current", "verkeerd wachtwoord")],
        )
        .await;
        assert_eq!(r.notice(), Some("huidig-onjuist"));
        let r = mine(&app, &s, "mobile", &[("mobile", "07 12345678"), ("current", USER.1)]).await;
        assert_eq!(r.notice(), Some("mobiel-ongeldig"));
        assert_eq!(
            app.scalar(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{new}'"))
                .await,
            0
        );
        let r = mine(&app, &s, "mobile", &[("mobile", "06 7777 8888"), ("current", USER.1)]).await;
        assert_eq!(r.notice(), Some("code-verstuurd"));
        let page = app.get("/mijn", Some(&s)).await;
        assert!(page.body.contains("••88"), "the pending number, masked");
        // Until confirmed, login codes still go to the verified number.
        let account: (String,) = sqlx::query_as("SELECT verified_mobile_e164 FROM accounts WHERE email = $1")
            .bind(USER.0)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(account.0, USER.2);
        let code = app.latest_code(new).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert_eq!(
            mine(&app, &s, "mobile_code", &[("code", wrong)]).await.notice(),
            Some("code-onjuist")
        );
        let r = mine(&app, &s, "mobile_code", &[("code", &code)]).await;
        assert_eq!(r.notice(), Some("mobiel-gewijzigd"));
        let told = app::server::db::outbox::list(&app.state.db, Some(USER.2), 1)
            .await
            .unwrap()
            .remove(0);
        assert!(
            told.body.contains("is gewijzigd") && told.body.contains("••88"),
            "{}",
            told.body
        );
        assert_eq!(
            app::server::notify::extract_code(&told.body),
            None,
            "no code in the notice"
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'mobile_changed'")
                .await,
            1
        );
        // The next login's code goes to the new number.
        app.login(USER.0, USER.1, new).await;
        let r = mine(&app, &s, "mobile_code", &[("code", &code)]).await;
        assert_eq!(r.notice(), Some("geen-wijziging"), "a used code does nothing again");
    }
);

/// Waits for the reset e-mail, which is prepared after the answer has gone.
async fn reset_mail(app: &TestApp, email: &str) -> Option<String> {
    for _ in 0..50 {
        let mails = app::server::db::outbox::list(&app.state.db, Some(email), 5)
            .await
            .unwrap();
        if let Some(m) = mails
            .iter()
            .find(|m| m.subject.as_deref() == Some("Nieuw wachtwoord kiezen"))
        {
            return Some(m.body.clone());
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    None
}

both_dbs!(
    a_forgotten_password_takes_link_code_and_ends_every_session,
    |t| async move {
        let app = spawn_app(t).await;
        let s = app.login(USER.0, USER.1, USER.2).await;
        // Known and unknown addresses are answered alike.
        let known = post(&app, "password/forgotten", None, &[("email", USER.0)]).await;
        let unknown = post(&app, "password/forgotten", None, &[("email", "niemand@demo.example")]).await;
        assert_eq!((known.status, known.notice()), (unknown.status, unknown.notice()));
        assert_eq!(known.notice(), Some("verstuurd"));
        let body = reset_mail(&app, USER.0).await.expect("a reset mail");
        assert!(reset_mail(&app, "niemand@demo.example").await.is_none());
        let link = body
            .lines()
            .find(|l| l.starts_with("http://127.0.0.1:3000/wachtwoord-herstellen/"))
            .expect("link on its own line");
        let token = link.rsplit('/').next().unwrap();
        // Looking uses nothing; confirming sends a code to the verified mobile.
        let before = app
            .scalar(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{}'", USER.2))
            .await;
        for _ in 0..2 {
            let page = app.get(&format!("/wachtwoord-herstellen/{token}"), None).await;
            assert!(page.body.contains("Verder: sms-code sturen"), "{}", page.body);
        }
        let res = app
            .http
            .post(format!("{}/api/password/confirm", app.addr))
            .header("Origin", "http://127.0.0.1:3000")
            .header("Accept", "text/html")
            .form(&[("token", token)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["location"], "/wachtwoord-herstellen");
        let jar = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("bm_herstel="))
            .map(|v| format!("bm_herstel={}", v.split(';').next().unwrap()))
            .expect("the reset cookie");
        assert_eq!(
            app.scalar(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{}'", USER.2))
                .await,
            before + 1
        );
        let again = post(&app, "password/confirm", None, &[("token", token)]).await;
        assert_eq!(again.notice(), Some("link-werkt-niet"), "single use");
        let code = app.latest_code(USER.2).await;
        let r = post(
            &app,
            "password/new",
            Some(&jar),
            &[("password", NEW_PASSWORD), ("repeat", NEW_PASSWORD)],
        )
        .await;
        assert_eq!(r.notice(), Some("stap-gedaan"), "no password before the code");
        let r = post(&app, "password/code", Some(&jar), &[("code", &code)]).await;
        assert_eq!(r.location, "/wachtwoord-herstellen");
        let r = post(
            &app,
            "password/new",
            Some(&jar),
            &[("password", NEW_PASSWORD), ("repeat", NEW_PASSWORD)],
        )
        .await;
        assert_eq!(r.location, "/wachtwoord-herstellen");
        assert!(!alive(&app, &s).await, "every session ended");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'password_reset'")
                .await,
            1
        );
        let old = app
            .call("login", None, &[("email", USER.0), ("password", USER.1)])
            .await;
        assert_eq!(old.status, 422);
        app.login(USER.0, NEW_PASSWORD, USER.2).await;
        let r = post(
            &app,
            "password/new",
            Some(&jar),
            &[
                ("password", "nog een ander wachtwoord"),
                ("repeat", "nog een ander wachtwoord"),
            ],
        )
        .await;
        assert_eq!(r.notice(), Some("geen-herstel"), "a finished reset stays finished");
        app.login(USER.0, NEW_PASSWORD, USER.2).await;
    }
);

both_dbs!(a_reset_link_expires_after_an_hour, |t| async move {
    let app = spawn_app(t).await;
    post(&app, "password/forgotten", None, &[("email", USER.0)]).await;
    let body = reset_mail(&app, USER.0).await.unwrap();
    let token = body
        .lines()
        .find_map(|l| l.strip_prefix("http://127.0.0.1:3000/wachtwoord-herstellen/"))
        .unwrap()
        .to_string();
    app.clock.advance_ms(60 * 60_000 + 1);
    let r = post(&app, "password/confirm", None, &[("token", &token)]).await;
    assert_eq!(r.notice(), Some("link-werkt-niet"));
});
