//! Activation on the phone over HTTP (flow 4): the e-mail link (look, confirm once), the
//! SMS code rules, the password policy and issuance for employees (the back office's part:
//! `activation_backoffice`). Every test on SQLite and PostgreSQL.

use crate::both_dbs;
use crate::helpers::spawn_app;

use crate::activation_support::*;

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
        assert!(again.cookie_value("bm_activatie").is_none());
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
    assert!(r.cookie_value("bm_activatie").is_none());
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
