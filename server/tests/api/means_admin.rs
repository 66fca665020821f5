//! Upgrading and cancelling (*opzeggen*) a means over HTTP: an employee's upgrade completes
//! at once, a non-employee's repeats only the ID step (no new password) while the means
//! keeps its old level, the cap at the manager's level, cancelling revokes every
//! authorisation and mails the person, and the last manager cannot cancel their own means.

use crate::both_dbs;
use crate::helpers::{spawn_app, MANAGER};
use crate::request_support::{confirm, link_token, manager, post, request_of, requested, value};

const MEANS: &str = "SELECT m.id FROM means m WHERE m.email = $1 AND m.organisation_id = (SELECT id FROM organisations ORDER BY name LIMIT 1) ORDER BY m.created_at LIMIT 1";
const STATE: &str = "SELECT m.state FROM means m WHERE m.email = $1 AND m.organisation_id = (SELECT id FROM organisations ORDER BY name LIMIT 1) ORDER BY m.created_at LIMIT 1";
const LEVEL: &str = "SELECT m.level FROM means m WHERE m.email = $1 AND m.organisation_id = (SELECT id FROM organisations ORDER BY name LIMIT 1) ORDER BY m.created_at LIMIT 1";

both_dbs!(an_employees_upgrade_completes_at_once_and_is_capped, |t| async move {
    let app = spawn_app(t).await;
    let m = manager(&app).await;
    let user = value(&app, MEANS, "gebruiker@demo.example").await;
    let r = post(
        &app,
        "means/upgrade",
        Some(&m),
        &[("means_id", &user), ("level", "EH4")],
    )
    .await;
    assert!(
        r.location.contains("melding=geweigerd"),
        "above the manager's own level: {}",
        r.location
    );
    assert!(r.location.ends_with("reden=niveau-boven-eigen"), "{}", r.location);
    let r = post(
        &app,
        "means/upgrade",
        Some(&m),
        &[("means_id", &user), ("level", "EH2")],
    )
    .await;
    assert!(r.location.contains("melding=geweigerd"), "not lower");
    assert_eq!(value(&app, LEVEL, "gebruiker@demo.example").await, "EH2+");
    let r = post(
        &app,
        "means/upgrade",
        Some(&m),
        &[("means_id", &user), ("level", "EH3")],
    )
    .await;
    assert_eq!(r.location, format!("/beheer/middelen/{user}?melding=geupgraded"));
    assert_eq!(value(&app, LEVEL, "gebruiker@demo.example").await, "EH3");
    assert_eq!(value(&app, STATE, "gebruiker@demo.example").await, "active");
    let req = request_of(&app, "gebruiker@demo.example").await;
    assert_eq!(
        value(&app, "SELECT kind FROM requests WHERE id = $1", &req).await,
        "upgrade_means"
    );
    assert_eq!(
        value(&app, "SELECT state FROM requests WHERE id = $1", &req).await,
        "completed"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'means_upgraded'")
            .await,
        1
    );
    // A foreign means is not found.
    let other = value(
        &app,
        "SELECT m.id FROM means m JOIN organisations o ON o.id = m.organisation_id WHERE o.name = $1 LIMIT 1",
        "Korenschoof Logistiek B.V.",
    )
    .await;
    let r = crate::request_support::fetch(&app, "means/detail", Some(&m), &[("means_id", &other)]).await;
    assert_eq!(r.status, 404);
});

both_dbs!(
    a_non_employees_upgrade_takes_only_the_id_step_and_can_be_aborted,
    |t| async move {
        let app = spawn_app(t).await;
        let m = manager(&app).await;
        let email = "zzp@example.nl";
        // Activate an EH2+ means first (no identity steps at EH2+).
        let cont = confirm(&app, &requested(&app, 0, email, "06 9900 2101", "EH2+", false).await).await;
        let code = app.latest_code("+31699002101").await;
        assert_eq!(
            post(&app, "activation/code", Some(&cont), &[("code", &code)])
                .await
                .location,
            "/activeren"
        );
        let pw = "groene appels op de fiets";
        post(
            &app,
            "activation/password",
            Some(&cont),
            &[("password", pw), ("repeat", pw)],
        )
        .await;
        assert_eq!(value(&app, STATE, email).await, "active");
        let id = value(&app, MEANS, email).await;

        let r = post(&app, "means/upgrade", Some(&m), &[("means_id", &id), ("level", "EH3")]).await;
        assert!(r.location.ends_with("melding=upgrade-gestart"), "{}", r.location);
        assert_eq!(value(&app, STATE, email).await, "upgrade_pending");
        assert_eq!(
            value(&app, LEVEL, email).await,
            "EH2+",
            "the means keeps its old level meanwhile"
        );
        let req = request_of(&app, email).await;
        assert_eq!(
            value(&app, "SELECT state FROM requests WHERE id = $1", &req).await,
            "awaiting_email"
        );
        let cont = confirm(&app, &link_token(&app, email).await).await;
        let code = app.latest_code("+31699002101").await;
        assert_eq!(
            post(&app, "activation/code", Some(&cont), &[("code", &code)])
                .await
                .location,
            "/activeren"
        );
        assert_eq!(
            value(&app, "SELECT state FROM requests WHERE id = $1", &req).await,
            "awaiting_id_check",
            "no password step for an upgrade: on to the ID check"
        );
        // Cancelling the upgrade aborts it: the means works on at its old level.
        let r = post(
            &app,
            "requests/cancel",
            Some(&m),
            &[("ids[0]", &req), ("confirmed", "on")],
        )
        .await;
        assert!(r.location.ends_with("melding=geannuleerd"));
        assert_eq!(value(&app, STATE, email).await, "active");
        assert_eq!(value(&app, LEVEL, email).await, "EH2+");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'means_upgrade_aborted'")
                .await,
            1
        );
    }
);

both_dbs!(
    cancelling_a_means_revokes_its_authorisations_and_mails_the_person,
    |t| async move {
        let app = spawn_app(t).await;
        let m = manager(&app).await;
        let email = "gebruiker@demo.example";
        let id = value(&app, MEANS, email).await;
        let active = format!("SELECT COUNT(*) FROM authorisations WHERE means_id = '{id}' AND state = 'active'");
        assert!(app.scalar(&active).await > 0, "the demo user has authorisations");
        let r = post(
            &app,
            "means/cancel",
            Some(&m),
            &[("means_id", &id), ("reason", "Uit dienst")],
        )
        .await;
        assert!(
            r.location.ends_with("melding=bevestigen"),
            "no confirmation, nothing happens"
        );
        assert_eq!(value(&app, STATE, email).await, "active");
        let r = post(
            &app,
            "means/cancel",
            Some(&m),
            &[("means_id", &id), ("reason", "Uit dienst"), ("confirmed", "on")],
        )
        .await;
        assert_eq!(
            r.location,
            format!("/beheer/middelen/{id}?melding=opgezegd"),
            "{}",
            r.body
        );
        assert_eq!(value(&app, STATE, email).await, "cancelled");
        assert_eq!(app.scalar(&active).await, 0);
        let revoked = format!("SELECT COUNT(*) FROM authorisations WHERE means_id = '{id}' AND state = 'revoked' AND revoked_reason LIKE '%Uit dienst%'");
        assert!(app.scalar(&revoked).await > 0);
        let mail = app::server::db::outbox::list(&app.state.db, Some(email), 1)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(mail.subject.as_deref(), Some("Uw eHerkenningsmiddel is opgezegd"));
        assert!(mail.body.contains("Uit dienst"));
        let req = request_of(&app, email).await;
        assert_eq!(
            value(&app, "SELECT kind FROM requests WHERE id = $1", &req).await,
            "cancel_means"
        );
        assert_eq!(
            value(&app, "SELECT state FROM requests WHERE id = $1", &req).await,
            "completed"
        );
        let r = post(
            &app,
            "means/cancel",
            Some(&m),
            &[("means_id", &id), ("reason", "x"), ("confirmed", "on")],
        )
        .await;
        assert!(r.location.contains("melding=geweigerd"), "already cancelled");
    }
);

both_dbs!(the_last_manager_cannot_cancel_their_own_means, |t| async move {
    let app = spawn_app(t).await;
    let m = manager(&app).await;
    let own = value(&app, MEANS, MANAGER.0).await;
    let r = crate::request_support::fetch(&app, "means/detail", Some(&m), &[("means_id", &own)]).await;
    let d: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(d["can_cancel"], false);
    assert!(d["cancel_blocked"]
        .as_str()
        .unwrap()
        .contains("laatste actieve beheerder"));
    let r = post(
        &app,
        "means/cancel",
        Some(&m),
        &[("means_id", &own), ("reason", "Weg"), ("confirmed", "on")],
    )
    .await;
    assert!(r.location.contains("melding=geweigerd"), "{}", r.location);
    assert!(r.location.ends_with("reden=laatste-beheerder"), "{}", r.location);
    let page = app.get(&r.location, Some(m.trim_start_matches("bm_session="))).await;
    assert!(
        page.body.contains("U bent de laatste actieve beheerder"),
        "{}",
        page.body
    );
    // A made-up reason in the address shows nothing of itself.
    let forged = format!("/beheer/middelen/{own}?melding=geweigerd&reden=Bel%20ons%20op%20088-1234567");
    let page = app.get(&forged, Some(m.trim_start_matches("bm_session="))).await;
    assert!(page.status == 200 && !page.body.contains("Bel ons op") && !page.body.contains("088-1234567"));
    assert_eq!(value(&app, STATE, MANAGER.0).await, "active");
});
