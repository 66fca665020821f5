//! Login over HTTP: password, SMS code, sessions, logout, the organisation switch, and the
//! Origin check — on SQLite and PostgreSQL.

use crate::both_dbs;
use crate::helpers::{spawn_app, TestApp, MANAGER, USER};
use app::server::clock::MINUTE_MS;

async fn app(t: crate::helpers::TestDb) -> TestApp {
    spawn_app(t).await
}

both_dbs!(password_then_code_gives_a_new_session, |t| async move {
    let app = app(t).await;
    let (email, pw, mobile) = MANAGER;
    let r = app.call("login", None, &[("email", email), ("password", pw)]).await;
    assert!(r.status < 400, "{r:?}");
    let pending = r.cookie.clone().expect("pending cookie");
    // A pending login does not open Beheer.
    let page = app.get("/beheer", Some(&pending)).await;
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/inloggen"));
    assert_eq!(app.get("/inloggen/sms", Some(&pending)).await.status, 200);

    let code = app.latest_code(mobile).await;
    let r = app.call("verify_code", Some(&pending), &[("code", &code)]).await;
    assert!(r.status < 400, "{r:?}");
    let session = r.cookie.expect("new session cookie");
    assert_ne!(session, pending, "the session id is renewed at login");
    assert_eq!(app.get("/beheer", Some(&session)).await.status, 200);
    // The pending id is dead.
    assert_eq!(app.get("/beheer", Some(&pending)).await.status, 303);
});

both_dbs!(wrong_password_and_unknown_account_answer_alike, |t| async move {
    let app = app(t).await;
    let a = app
        .call(
            "login",
            None,
            &[("email", MANAGER.0), ("password", "niet-het-goede-wachtwoord")],
        )
        .await;
    let b = app
        .call(
            "login",
            None,
            &[
                ("email", "niemand@nergens.example"),
                ("password", "niet-het-goede-wachtwoord"),
            ],
        )
        .await;
    assert_eq!(a.status, b.status);
    assert_eq!(a.body, b.body);
    assert!(a.body.contains("E-mailadres of wachtwoord onjuist."), "{}", a.body);
    assert_eq!(a.status, 422, "a user error, not a server fault");
});

both_dbs!(five_wrong_codes_kill_the_code, |t| async move {
    let app = app(t).await;
    let r = app
        .call("login", None, &[("email", MANAGER.0), ("password", MANAGER.1)])
        .await;
    let pending = r.cookie.unwrap();
    let code = app.latest_code(MANAGER.2).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in [4, 3, 2] {
        let r = app.call("verify_code", Some(&pending), &[("code", wrong)]).await;
        assert!(r.body.contains(&format!("Nog {left} pogingen")), "{}", r.body);
    }
    let r = app.call("verify_code", Some(&pending), &[("code", wrong)]).await;
    assert!(r.body.contains("Nog 1 poging"), "{}", r.body);
    let r = app.call("verify_code", Some(&pending), &[("code", wrong)]).await;
    assert!(r.body.contains("werkt niet meer"), "{}", r.body);
    // Now even the right code is refused…
    let r = app.call("verify_code", Some(&pending), &[("code", &code)]).await;
    assert!(r.status >= 400 && r.body.contains("nieuwe code"), "{}", r.body);
    // …until a new one is sent; the old one stays dead.
    let r = app.call("resend_code", Some(&pending), &[]).await;
    assert!(r.status < 400, "{r:?}");
    let fresh = app.latest_code(MANAGER.2).await;
    if fresh != code {
        let r = app.call("verify_code", Some(&pending), &[("code", &code)]).await;
        assert!(r.status >= 400);
    }
    // Five or six wrong answers in a row: the next try waits a second or two.
    app.clock.advance_ms(2_000);
    let r = app.call("verify_code", Some(&pending), &[("code", &fresh)]).await;
    assert!(r.status < 400, "{r:?}");
});

both_dbs!(a_code_expires_after_ten_minutes, |t| async move {
    let app = app(t).await;
    let r = app
        .call("login", None, &[("email", MANAGER.0), ("password", MANAGER.1)])
        .await;
    let pending = r.cookie.unwrap();
    let code = app.latest_code(MANAGER.2).await;
    app.clock.advance_ms(10 * MINUTE_MS + 1);
    let r = app.call("verify_code", Some(&pending), &[("code", &code)]).await;
    assert!(r.status >= 400 && r.body.contains("verlopen"), "{}", r.body);
});

both_dbs!(at_most_five_codes_per_login, |t| async move {
    let app = app(t).await;
    let r = app
        .call("login", None, &[("email", MANAGER.0), ("password", MANAGER.1)])
        .await;
    let pending = r.cookie.unwrap();
    for _ in 0..4 {
        assert!(app.call("resend_code", Some(&pending), &[]).await.status < 400);
    }
    let r = app.call("resend_code", Some(&pending), &[]).await;
    assert!(r.status >= 400 && r.body.contains("maximum"), "{}", r.body);
});

both_dbs!(logout_ends_the_session, |t| async move {
    let app = app(t).await;
    let session = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    assert_eq!(app.get("/beheer", Some(&session)).await.status, 200);
    let r = app.call("logout", Some(&session), &[]).await;
    assert!(r.status < 400);
    assert_eq!(r.cookie.as_deref(), Some(""), "the cookie is cleared");
    let page = app.get("/beheer", Some(&session)).await;
    assert_eq!(page.status, 303);
    let r = app.call("home_counts", Some(&session), &[]).await;
    assert_eq!(r.status, 401);
    assert!(r.body.contains("Unauthenticated"), "{}", r.body);
});

both_dbs!(a_non_manager_lands_on_mijn, |t| async move {
    let app = app(t).await;
    let session = app.login(USER.0, USER.1, USER.2).await;
    let page = app.get("/beheer", Some(&session)).await;
    assert_eq!((page.status, page.location.as_deref()), (303, Some("/mijn")));
    assert_eq!(app.get("/mijn", Some(&session)).await.status, 200);
    let r = app.call("home_counts", Some(&session), &[]).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("Forbidden"), "{}", r.body);
});

both_dbs!(home_counts_come_from_the_database, |t| async move {
    let app = app(t).await;
    let session = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    let r = app.call("home_counts", Some(&session), &[]).await;
    assert_eq!(r.status, 200, "{r:?}");
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    // Demo organisation: 5 people with a live means, 3 active, 2 requested, 2 open requests.
    assert_eq!(v["persons"], 5, "{v}");
    assert_eq!(v["active_means"], 3, "{v}");
    assert_eq!(v["requested_means"], 2, "{v}");
    assert_eq!(v["open_requests"], 2, "{v}");
});

both_dbs!(switching_only_to_a_managed_organisation, |t| async move {
    let app = app(t).await;
    let session = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    let before: serde_json::Value =
        serde_json::from_str(&app.call("current_user", Some(&session), &[]).await.body).unwrap();
    let managed = before["managed"].as_array().unwrap().clone();
    assert_eq!(managed.len(), 2);
    let other = managed
        .iter()
        .find(|o| o["id"] != before["organisation"]["id"])
        .unwrap();
    let r = app
        .call(
            "switch_organisation",
            Some(&session),
            &[("organisation_id", other["id"].as_str().unwrap())],
        )
        .await;
    assert!(r.status < 400, "{r:?}");
    let after: serde_json::Value =
        serde_json::from_str(&app.call("current_user", Some(&session), &[]).await.body).unwrap();
    assert_eq!(after["organisation"]["id"], other["id"]);
    // An organisation one does not manage answers like one that does not exist.
    let foreign = app
        .call(
            "switch_organisation",
            Some(&session),
            &[("organisation_id", "00000000-0000-0000-0000-000000000000")],
        )
        .await;
    assert_eq!(foreign.status, 404);
    assert!(foreign.body.contains("NotFound"), "{}", foreign.body);
});

both_dbs!(cross_origin_posts_are_refused, |t| async move {
    let app = app(t).await;
    let res = app
        .http
        .post(format!("{}/api/login", app.addr))
        .header("Origin", "https://aanvaller.example")
        .form(&[("email", MANAGER.0), ("password", MANAGER.1)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let res = app
        .http
        .post(format!("{}/api/login", app.addr))
        .form(&[("email", MANAGER.0)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403, "no Origin and no Referer");
});

both_dbs!(audit_and_outbox_keep_secrets_out_of_the_audit_trail, |t| async move {
    let app = app(t).await;
    let _ = app
        .call(
            "login",
            None,
            &[("email", MANAGER.0), ("password", "fout-wachtwoord-123")],
        )
        .await;
    let session = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let rows = app::server::db::audit::recent(&mut conn, None, 100).await.unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    for a in ["login_failed", "second_factor_sent", "login_succeeded"] {
        assert!(actions.contains(&a), "{actions:?}");
    }
    let code = app.latest_code(MANAGER.2).await;
    for r in &rows {
        let text = format!("{:?}{:?}{}", r.before_json, r.after_json, r.target_id);
        assert!(
            !text.contains(MANAGER.1)
                && !text.contains("fout-wachtwoord")
                && !text.contains(&code)
                && !text.contains(&session)
        );
    }
});

both_dbs!(health_and_metrics, |t| async move {
    let app = crate::helpers::spawn_app_with(t, |c| c.metrics_token = Some("geheim-scrape-token".into())).await;
    let h = app.get("/health", None).await;
    assert_eq!(h.status, 200);
    assert!(h.body.contains("\"database\":\"ok\""));
    let bare = app.get("/metrics", None).await;
    assert_eq!(bare.status, 401, "no token, no metrics");
    let wrong = app
        .http
        .get(format!("{}/metrics", app.addr))
        .bearer_auth("geheim-scrape-tokeN")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let m = app
        .http
        .get(format!("{}/metrics", app.addr))
        .bearer_auth("geheim-scrape-token")
        .send()
        .await
        .unwrap();
    assert_eq!(m.status(), 200);
    let m = crate::helpers::Reply {
        status: 200,
        body: m.text().await.unwrap(),
        cookie: None,
        location: None,
    };
    assert!(
        m.body.contains("beheermodule_http_requests_total{class=\"2xx\"}"),
        "{}",
        m.body
    );
    assert!(m.body.contains("beheermodule_organisations 2"), "{}", m.body);
});

both_dbs!(without_a_token_metrics_are_only_on_their_own_address, |t| async move {
    let app = app(t).await;
    assert_eq!(app.get("/metrics", None).await.status, 404, "not on the public address");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = server::http::metrics_router(app.state.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let r = reqwest::get(format!("http://{addr}/metrics")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("beheermodule_organisations 2"));
    let page = reqwest::get(format!("http://{addr}/inloggen")).await.unwrap();
    assert_eq!(page.status(), 404, "the metrics address serves nothing else");
});

both_dbs!(
    metrics_show_the_outbox_backing_off_after_a_failed_send,
    |t| async move {
        use crate::notify_sinks::{sms_delivery, GatewaySink};
        use app::server::clock::SharedClock;
        use app::server::db::outbox::{self, NewMessage};
        let app = crate::helpers::spawn_app_with(t, |c| c.metrics_token = Some("geheim-scrape-token".into())).await;
        let gw = GatewaySink::start().await;
        gw.state.fail_next.store(1, std::sync::atomic::Ordering::SeqCst);
        // Only this message is due to the gateway: what the seed queued is e-mail.
        sqlx::query("DELETE FROM outbox")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let mut c = app.state.db.pool.acquire().await.unwrap();
        outbox::enqueue(
            &mut c,
            &NewMessage::sms("+31612345678", "Uw code is 902715"),
            app.state.now(),
        )
        .await
        .unwrap();
        drop(c);
        let clock: SharedClock = std::sync::Arc::new(app.clock.clone());
        let report = app::server::notify::run_pass(&app.state.db, &sms_delivery(&gw, None), &clock)
            .await
            .unwrap();
        assert_eq!(report.retrying, 1);
        let m = app
            .http
            .get(format!("{}/metrics", app.addr))
            .bearer_auth("geheim-scrape-token")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let gauge = |name: &str| -> i64 {
            m.lines()
                .find_map(|l| l.strip_prefix(&format!("beheermodule_{name} ")))
                .unwrap_or_else(|| panic!("{name} in {m}"))
                .parse()
                .unwrap()
        };
        assert_eq!(gauge("outbox_pending"), 1, "{m}");
        assert_eq!(gauge("outbox_failing"), 1);
        assert_eq!(gauge("outbox_attempts"), 1);
        let backoff = gauge("outbox_backoff_seconds");
        assert!((13..=17).contains(&backoff), "about 15 s: {backoff}");
        assert_eq!(gauge("outbox_given_up"), 0);
        assert!(gauge("outbox_send_failures_total") >= 1);
    }
);
