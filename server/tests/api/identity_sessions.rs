//! Issue 11, rule 5: sessions follow the account. Cancelling a means ends the account's
//! sessions in that organisation; an account without a usable means cannot log in;
//! losing a manager authorisation closes Beheer at once, gaining one opens it only after a
//! new login with the second factor; a session unused for SESSION_IDLE_MINUTES ends.

use crate::both_dbs;
use crate::helpers::{spawn_app, TestApp, MANAGER, USER};
use crate::identity_support::*;
use crate::request_support::post;

async fn alive(app: &TestApp, session: &str) -> bool {
    let r = app.call("current_user", Some(session), &[]).await;
    assert_eq!(r.status, 200, "{r:?}");
    r.body != "null"
}

async fn beheer_open(app: &TestApp, session: &str) -> bool {
    let r = app
        .call("list_people", Some(session), &[("query", ""), ("page", "1")])
        .await;
    match r.status {
        200 => true,
        401 | 403 => false,
        s => panic!("unexpected {s}: {r:?}"),
    }
}

async fn means_of(app: &TestApp, email: &str, org: &str) -> String {
    sqlx::query_scalar("SELECT id FROM means WHERE email = $1 AND organisation_id = $2 AND state <> 'cancelled'")
        .bind(email)
        .bind(org)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn cancel(app: &TestApp, t: &Tenant, means_id: &str) {
    let cookie = format!("bm_session={}", t.session);
    let r = post(
        app,
        "means/cancel",
        Some(&cookie),
        &[
            ("means_id", means_id),
            ("reason", "uit dienst getreden"),
            ("confirmed", "on"),
        ],
    )
    .await;
    assert!(r.location.contains("opgezegd") || r.status < 400, "{}", r.body);
    let state: String = sqlx::query_scalar("SELECT state FROM means WHERE id = $1")
        .bind(means_id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(state, "cancelled", "{}", r.location);
}

both_dbs!(
    cancelling_a_means_ends_the_sessions_in_that_organisation_only,
    |t| async move {
        let app = spawn_app(t).await;
        let a = tenant(&app, "50000001", "Eerste B.V.", "m@eerste.nl", "+31650000001").await;
        let b = tenant(&app, "50000002", "Tweede B.V.", "m@tweede.nl", "+31650000002").await;
        // One holder with an active means in A and in B.
        request(&app, &a, "Sam", "Twee", "sam@twee.nl", "06 51110000", "EH2+").await;
        activate_new(
            &app,
            &link_from(&app, "sam@twee.nl", &a.name).await,
            "+31651110000",
            HOLDER_PASSWORD,
        )
        .await;
        request(&app, &b, "Sam", "Twee", "sam@twee.nl", "06 51110000", "EH2+").await;
        let cb = confirm(&app, &link_from(&app, "sam@twee.nl", &b.name).await).await;
        step(&app, "prove", &cb, &[("password", HOLDER_PASSWORD)]).await;
        step(&app, "code", &cb, &[("code", &app.latest_code("+31651110000").await)]).await;
        assert_eq!(request_state_in(&app, &b.org, "sam@twee.nl").await, "completed");
        // Logged in, working in A (the first organisation with a usable means).
        let session = app.login("sam@twee.nl", HOLDER_PASSWORD, "+31651110000").await;
        assert!(alive(&app, &session).await);
        let org_of_session: String = sqlx::query_scalar("SELECT organisation_id FROM sessions WHERE last_seen_at > 0 AND account_id = (SELECT id FROM accounts WHERE email = 'sam@twee.nl')")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(org_of_session, a.org);
        cancel(&app, &b, &means_of(&app, "sam@twee.nl", &b.org).await).await;
        assert!(
            alive(&app, &session).await,
            "B's cancellation leaves the session in A alone"
        );
        cancel(&app, &a, &means_of(&app, "sam@twee.nl", &a.org).await).await;
        assert!(!alive(&app, &session).await, "A's cancellation ends it");
        // No usable means left: the right password gets a clear refusal, no session, no code.
        let before = sms_count(&app, "+31651110000").await;
        let r = app
            .call(
                "login",
                None,
                &[("email", "sam@twee.nl"), ("password", HOLDER_PASSWORD)],
            )
            .await;
        assert_eq!(r.status, 422, "{r:?}");
        assert!(r.body.contains("geen actief eHerkenningsmiddel"), "{}", r.body);
        assert!(r.cookie.as_deref().is_none_or(str::is_empty), "{r:?}");
        assert_eq!(sms_count(&app, "+31651110000").await, before);
        // A wrong password still reads like every other wrong password.
        let wrong = app
            .call(
                "login",
                None,
                &[("email", "sam@twee.nl"), ("password", "niet het wachtwoord")],
            )
            .await;
        let unknown = app
            .call(
                "login",
                None,
                &[("email", "niemand@twee.nl"), ("password", "niet het wachtwoord")],
            )
            .await;
        assert_eq!((wrong.status, &wrong.body), (unknown.status, &unknown.body));
    }
);

both_dbs!(back_office_staff_log_in_without_a_means, |t| async move {
    let app = spawn_app(t).await;
    let s = app
        .login("backoffice@demo.example", "Demo-backoffice-2026!", "+31611112222")
        .await;
    assert!(alive(&app, &s).await);
});

both_dbs!(
    losing_manager_rights_closes_beheer_at_once_and_gaining_needs_a_new_login,
    |t| async move {
        let app = spawn_app(t).await;
        let manager = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
        let user = app.login(USER.0, USER.1, USER.2).await;
        assert!(beheer_open(&app, &manager).await);
        assert!(!beheer_open(&app, &user).await);
        // The user is made a manager while logged in: this session stays without Beheer.
        sqlx::query(
        "INSERT INTO authorisations (id, means_id, organisation_id, scope, level, valid_from, valid_until, state, created_at, updated_at)
         SELECT 'grant-1', m.id, m.organisation_id, 'manage', 'EH2+', 0, 99999999999999, 'active', 0, 0
         FROM means m WHERE m.email = $1 AND m.state = 'active'",
    )
    .bind(USER.0)
    .execute(&app.state.db.pool)
    .await
    .unwrap();
        assert!(
            !beheer_open(&app, &user).await,
            "gaining opens nothing in a running session"
        );
        let page = app.get("/beheer", Some(&user)).await;
        assert_eq!(page.location.as_deref(), Some("/mijn"), "{page:?}");
        let again = app.login(USER.0, USER.1, USER.2).await;
        assert!(
            beheer_open(&app, &again).await,
            "a new login with the second factor opens it"
        );
        // Losing it closes Beheer at once, in every running session.
        sqlx::query("UPDATE authorisations SET state = 'revoked' WHERE id = 'grant-1'")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        assert!(!beheer_open(&app, &again).await);
        assert!(alive(&app, &again).await, "the user's own pages stay");
    }
);

both_dbs!(an_idle_session_ends_and_activity_keeps_it, |t| async move {
    let app = spawn_app(t).await;
    let s = app.login(USER.0, USER.1, USER.2).await;
    let idle = app.state.config.session_idle_minutes * 60_000;
    for _ in 0..3 {
        app.clock.advance_ms(idle - 2 * 60_000);
        assert!(alive(&app, &s).await, "used within the idle time");
    }
    app.clock.advance_ms(idle + 1);
    assert!(!alive(&app, &s).await, "unused for longer than SESSION_IDLE_MINUTES");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM sessions WHERE second_factor_done = 1 AND account_id = (SELECT id FROM accounts WHERE email = 'gebruiker@demo.example')")
            .await,
        0,
        "and is gone"
    );
});
