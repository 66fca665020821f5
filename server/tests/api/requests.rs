//! Beheer → Lopende aanvragen over HTTP: list (filters, search, paging, organisation scope),
//! timeline, cancel (links and codes die, the means with it; never a completed request) and
//! resend (new link or code, rate limited). Every test on SQLite and PostgreSQL.

use crate::both_dbs;
use crate::helpers::spawn_app;
use crate::request_support::{confirm, fetch, link_token, list, manager, post, request_of, requested, value};

both_dbs!(lists_filters_searches_and_stays_in_the_organisation, |t| async move {
    let app = spawn_app(t).await;
    let m = manager(&app).await;
    requested(&app, 0, "lotte.een@example.nl", "06 9900 1101", "EH2+", true).await;
    requested(&app, 0, "lotte.twee@example.nl", "06 9900 1102", "EH3", false).await;
    requested(&app, 1, "elders@example.nl", "06 9900 1103", "EH2", true).await;
    let all = list(&app, &m, &[]).await;
    let emails: Vec<&str> = all["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["email"].as_str().unwrap())
        .collect();
    assert!(emails.contains(&"lotte.een@example.nl") && emails.contains(&"lotte.twee@example.nl"));
    assert!(
        !emails.contains(&"elders@example.nl"),
        "another organisation's request is not listed"
    );
    assert_eq!(
        all["total"].as_i64().unwrap(),
        all["lines"].as_array().unwrap().len() as i64
    );
    assert_eq!(all["lines"][0]["state_label"], "wacht op bevestiging e-mail");
    let found = list(&app, &m, &[("q", "LOTTE.TWEE")]).await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["lines"][0]["level"], "EH3");
    assert_eq!(list(&app, &m, &[("kind", "upgrade_means")]).await["total"], 0);
    assert_eq!(list(&app, &m, &[("state", "awaiting_sms")]).await["total"], 0);
    assert_eq!(list(&app, &m, &[("tab", "afgerond")]).await["total"], 0);
    // Sorted by age: newest first puts the latest request on top.
    let newest = list(&app, &m, &[("sort", "nieuw")]).await;
    assert_eq!(newest["lines"][0]["email"], "lotte.twee@example.nl");

    let foreign = request_of(&app, "elders@example.nl").await;
    let r = fetch(&app, "requests/detail", Some(&m), &[("request_id", &foreign)]).await;
    assert_eq!(r.status, 404, "a foreign id answers like a missing one");
    let r = post(
        &app,
        "requests/cancel",
        Some(&m),
        &[("ids[0]", &foreign), ("confirmed", "on")],
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        value(&app, "SELECT state FROM requests WHERE id = $1", &foreign).await,
        "awaiting_email"
    );
});

both_dbs!(cancel_kills_links_codes_and_the_means, |t| async move {
    let app = spawn_app(t).await;
    let m = manager(&app).await;
    let email = "annuleer@example.nl";
    let token = requested(&app, 0, email, "06 9900 1201", "EH2+", true).await;
    let cont = confirm(&app, &token).await;
    let req = request_of(&app, email).await;
    // Without the confirmation nothing happens.
    let r = post(&app, "requests/cancel", Some(&m), &[("ids[0]", &req), ("from", &req)]).await;
    assert_eq!(r.location, format!("/beheer/aanvragen/{req}?melding=bevestigen"));
    assert_eq!(
        value(&app, "SELECT state FROM requests WHERE id = $1", &req).await,
        "awaiting_sms"
    );
    let r = post(
        &app,
        "requests/cancel",
        Some(&m),
        &[("ids[0]", &req), ("confirmed", "on")],
    )
    .await;
    assert_eq!(r.location, "/beheer/aanvragen?melding=geannuleerd", "{}", r.body);
    assert_eq!(
        value(&app, "SELECT state FROM requests WHERE id = $1", &req).await,
        "cancelled"
    );
    let live_tokens = format!(
        "SELECT COUNT(*) FROM verification_tokens WHERE request_id = '{req}' AND used_at IS NULL AND cancelled_at IS NULL"
    );
    assert_eq!(app.scalar(&live_tokens).await, 0);
    let live_codes = format!(
        "SELECT COUNT(*) FROM sms_codes WHERE request_id = '{req}' AND superseded_at IS NULL AND used_at IS NULL"
    );
    assert_eq!(app.scalar(&live_codes).await, 0);
    let means = "SELECT m.state FROM means m WHERE m.email = $1";
    assert_eq!(value(&app, means, email).await, "cancelled");
    let audit = format!("SELECT COUNT(*) FROM audit_events WHERE action = 'request_cancelled' AND target_id = '{req}'");
    assert_eq!(app.scalar(&audit).await, 1);
    // The link says the request was cancelled; the code no longer works.
    let page = app.get(&format!("/activeren/{token}"), None).await;
    assert!(page.body.contains("Deze aanvraag is ingetrokken"), "{}", page.body);
    let code = app.latest_code("+31699001201").await;
    let r = post(&app, "activation/code", Some(&cont), &[("code", &code)]).await;
    assert_ne!(r.location, "/activeren", "the old code is refused");
    assert_eq!(
        value(&app, "SELECT state FROM requests WHERE id = $1", &req).await,
        "cancelled"
    );
    // The timeline shows who cancelled.
    let r = fetch(&app, "requests/detail", Some(&m), &[("request_id", &req)]).await;
    let d: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let last = d["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["label"].as_str(), last["actor"].as_str()),
        (Some("geannuleerd"), Some("Marieke de Vries"))
    );
    assert_eq!(d["cancellable"], false);
    // Cancelling again (or a completed request) is refused and changes nothing.
    let r = post(
        &app,
        "requests/cancel",
        Some(&m),
        &[("ids[0]", &req), ("confirmed", "on")],
    )
    .await;
    assert_eq!(r.location, "/beheer/aanvragen?melding=al-gewijzigd");
});

both_dbs!(
    a_completed_request_cannot_be_cancelled_and_a_selection_is_all_or_nothing,
    |t| async move {
        let app = spawn_app(t).await;
        let m = manager(&app).await;
        let user = value(
            &app,
            "SELECT m.id FROM means m WHERE m.email = $1",
            "gebruiker@demo.example",
        )
        .await;
        let r = post(
            &app,
            "means/upgrade",
            Some(&m),
            &[("means_id", &user), ("level", "EH3")],
        )
        .await;
        assert!(r.location.ends_with("melding=geupgraded"), "{}", r.location);
        let done = request_of(&app, "gebruiker@demo.example").await;
        requested(&app, 0, "open@example.nl", "06 9900 1301", "EH2", true).await;
        let open = request_of(&app, "open@example.nl").await;
        let r = post(
            &app,
            "requests/cancel",
            Some(&m),
            &[("ids[2]", &open), ("ids[5]", &done), ("confirmed", "on")],
        )
        .await;
        assert_eq!(r.location, "/beheer/aanvragen?melding=al-gewijzigd");
        assert_eq!(
            value(&app, "SELECT state FROM requests WHERE id = $1", &done).await,
            "completed"
        );
        assert_eq!(
            value(&app, "SELECT state FROM requests WHERE id = $1", &open).await,
            "awaiting_email"
        );
        let r = post(&app, "requests/cancel", Some(&m), &[("confirmed", "on")]).await;
        assert_eq!(r.location, "/beheer/aanvragen?melding=niets-gekozen");
    }
);

both_dbs!(resending_the_mail_replaces_the_link_within_the_limit, |t| async move {
    let app = spawn_app(t).await;
    let m = manager(&app).await;
    let email = "opnieuw@example.nl";
    let old = requested(&app, 0, email, "06 9900 1401", "EH2+", true).await;
    let req = request_of(&app, email).await;
    let r = post(&app, "requests/resend", Some(&m), &[("request_id", &req)]).await;
    assert_eq!(
        r.location,
        format!("/beheer/aanvragen/{req}?melding=opnieuw-verstuurd"),
        "{}",
        r.body
    );
    let new = link_token(&app, email).await;
    assert_ne!(new, old);
    let page = app.get(&format!("/activeren/{old}"), None).await;
    assert!(page.body.contains("Er is een nieuwere link"), "{}", page.body);
    // Again at once: refused, and the page says when it can.
    let r = post(&app, "requests/resend", Some(&m), &[("request_id", &req)]).await;
    assert!(r.location.ends_with("melding=te-vaak"));
    let d: serde_json::Value = serde_json::from_str(
        &fetch(&app, "requests/detail", Some(&m), &[("request_id", &req)])
            .await
            .body,
    )
    .unwrap();
    assert_eq!(d["resend"]["used"], 1);
    assert_eq!(d["resend"]["limit"], 5);
    assert_eq!(d["resend"]["wait"], "5 minuten");
    app.clock.advance_ms(5 * 60_000);
    let r = post(&app, "requests/resend", Some(&m), &[("request_id", &req)]).await;
    assert!(r.location.ends_with("melding=opnieuw-verstuurd"));
    let audit = format!("SELECT COUNT(*) FROM audit_events WHERE action = 'message_resent' AND target_id = '{req}'");
    assert_eq!(app.scalar(&audit).await, 2);
    // The newest link works.
    confirm(&app, &link_token(&app, email).await).await;
    assert_eq!(
        value(&app, "SELECT state FROM requests WHERE id = $1", &req).await,
        "awaiting_sms"
    );
});

both_dbs!(resending_the_sms_replaces_the_code, |t| async move {
    let app = spawn_app(t).await;
    let m = manager(&app).await;
    let email = "sms@example.nl";
    let cont = confirm(&app, &requested(&app, 0, email, "06 9900 1501", "EH2+", true).await).await;
    let req = request_of(&app, email).await;
    let old = app.latest_code("+31699001501").await;
    let r = post(&app, "requests/resend", Some(&m), &[("request_id", &req)]).await;
    assert!(r.location.ends_with("melding=opnieuw-verstuurd"), "{}", r.body);
    let new = app.latest_code("+31699001501").await;
    let r = post(&app, "activation/code", Some(&cont), &[("code", &old)]).await;
    assert_ne!(r.location, "/activeren", "the old code is refused");
    let r = post(&app, "activation/code", Some(&cont), &[("code", &new)]).await;
    assert_eq!(r.location, "/activeren");
    assert_eq!(
        value(&app, "SELECT state FROM requests WHERE id = $1", &req).await,
        "awaiting_password"
    );
    // Not waiting for a message any more: nothing to resend.
    let r = post(&app, "requests/resend", Some(&m), &[("request_id", &req)]).await;
    assert!(r.location.ends_with("melding=wacht-niet"));
});
