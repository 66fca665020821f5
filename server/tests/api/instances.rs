//! Two instances over one database (each its own pool, state and router, as two server
//! processes would be): what one does, the other sees and enforces. The end-to-end check
//! with two real server processes is `scripts/two-instances.sh` in the test command.

use crate::authorisations::{grant, manager, means_of, BAKKERIJ};
use crate::both_dbs;
use crate::helpers::{spawn_app, spawn_app_with, TestApp, MANAGER, USER};
use app::server::jobs::take_turn;
use serde_json::Value;

async fn login_from(app: &TestApp, ip: &str, email: &str, password: &str) -> crate::helpers::Reply {
    app.call_from(ip, "login", None, &[("email", email), ("password", password)])
        .await
}

both_dbs!(an_address_budget_is_one_budget_across_instances, |t| async move {
    let a = spawn_app_with(t, |c| {
        c.trusted_proxy = Some("127.0.0.1".parse().unwrap());
        c.address_limits.logins_per_hour = 4;
        c.login_limits.delay_after = 1000;
    })
    .await;
    let b = a.second_instance().await;
    // Two tries on each: the budget of four is spent, whichever instance took them.
    for (i, app) in [&a, &b, &a, &b].into_iter().enumerate() {
        let r = login_from(app, "203.0.113.9", &format!("niemand{i}@demo.example"), "fout").await;
        assert_eq!(r.status, 422, "try {i}: {}", r.body);
    }
    for app in [&a, &b] {
        let r = login_from(app, "203.0.113.9", USER.0, USER.1).await;
        assert_eq!(r.status, 429, "{}", r.body);
        assert!(
            r.body.contains("Vanaf uw netwerk zijn te veel inlogpogingen"),
            "{}",
            r.body
        );
    }
    // Another address still has its own budget, on either instance.
    assert_eq!(login_from(&b, "203.0.113.10", USER.0, USER.1).await.status, 200);
    // The bucket refills evenly: a quarter of an hour later, one more try.
    a.clock.advance_ms(15 * 60_000);
    assert_eq!(login_from(&b, "203.0.113.9", USER.0, USER.1).await.status, 200);
    assert_eq!(login_from(&a, "203.0.113.9", USER.0, USER.1).await.status, 429);
    // Spent at once on both instances, the last one goes to one of them only.
    a.clock.advance_ms(15 * 60_000);
    let (x, y) = tokio::join!(
        login_from(&a, "203.0.113.9", USER.0, USER.1),
        login_from(&b, "203.0.113.9", USER.0, USER.1)
    );
    let mut statuses = [x.status, y.status];
    statuses.sort();
    assert_eq!(statuses, [200, 429], "{x:?} {y:?}");
});

both_dbs!(
    a_login_code_sent_by_one_instance_is_checked_by_the_other,
    |t| async move {
        let a = spawn_app(t).await;
        let b = a.second_instance().await;
        let r = a
            .call("login", None, &[("email", MANAGER.0), ("password", MANAGER.1)])
            .await;
        let pending = r.cookie.expect("pending session");
        let code = a.latest_code(MANAGER.2).await;
        let r = b.call("verify_code", Some(&pending), &[("code", &code)]).await;
        assert!(r.status < 400, "the other instance accepts the code: {r:?}");
        let session = r.cookie.expect("session");
        // The session made on one instance is a session on the other.
        let page = a.get("/beheer/gebruikers", Some(&session)).await;
        assert_eq!(page.status, 200, "{}", page.location.unwrap_or_default());
        let r = a.call("logout", Some(&session), &[]).await;
        assert!(r.status < 400, "{r:?}");
        let page = b.get("/beheer/gebruikers", Some(&session)).await;
        assert_ne!(page.status, 200, "logged out on one, out on the other");
    }
);

both_dbs!(
    a_document_stored_by_one_instance_is_read_and_purged_by_the_other,
    |t| async move {
        let a = spawn_app(t).await;
        let b = a.second_instance().await;
        let name = a.state.documents().save(b"%PDF-1.4 kopie").await.unwrap();
        assert_eq!(b.state.documents().read(&name).await.unwrap(), b"%PDF-1.4 kopie");
        b.state.documents().delete(&name).await.unwrap();
        assert!(a.state.documents().read(&name).await.is_err(), "gone for both");
        assert!(a.state.documents().read("../etc/passwd").await.is_err());
    }
);

both_dbs!(
    a_background_job_takes_one_turn_per_period_across_instances,
    |t| async move {
        let a = spawn_app(t).await;
        let b = a.second_instance().await;
        const EVERY: i64 = 600_000;
        assert!(take_turn(&a.state, "test-job", EVERY).await);
        assert!(!take_turn(&b.state, "test-job", EVERY).await, "taken this period");
        assert!(!take_turn(&a.state, "test-job", EVERY).await);
        assert!(
            take_turn(&b.state, "other-job", EVERY).await,
            "each job has its own turn"
        );
        a.clock.advance_ms(EVERY);
        let (x, y) = tokio::join!(
            take_turn(&a.state, "test-job", EVERY),
            take_turn(&b.state, "test-job", EVERY)
        );
        assert!(x ^ y, "one of two asking at once: {x} {y}");
    }
);

fn authorisations_for(o: &Value, service: &str) -> i64 {
    o["authorisations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["label"].as_str().unwrap_or("").contains(service))
        .map(|r| r["total"]["n"].as_i64().unwrap())
        .sum()
}

both_dbs!(
    a_grant_on_one_instance_shows_at_once_in_the_others_overview,
    |t| async move {
        let a = spawn_app(t).await;
        let b = a.second_instance().await;
        let s = manager(&a).await;
        let before: Value =
            serde_json::from_str(&a.call("overview", Some(&s), &[("alle", "false")]).await.body).unwrap();
        let jan = means_of(&a, "gebruiker@demo.example", BAKKERIJ).await;
        assert_eq!(grant(&b, &s, &[&jan], &["rvo-mijn-rvo"], "", "1").await.status, 200);
        // Within the cache's two seconds: only the shared generation makes `a` recompute.
        let after: Value =
            serde_json::from_str(&a.call("overview", Some(&s), &[("alle", "false")]).await.body).unwrap();
        assert_eq!(
            authorisations_for(&after, "Mijn RVO"),
            authorisations_for(&before, "Mijn RVO") + 1,
            "{before}\n{after}"
        );
    }
);
