//! The authorisation expiry job on the manual clock, on both databases: the notice 60 days
//! ahead (once, to the holder and the managers, also when two instances run it at once),
//! expiry at the end, reactivation.

use crate::authorisations::{auth_id, grant, manager, means_of, BAKKERIJ, DAY};
use crate::both_dbs;
use crate::helpers::spawn_app;
use app::server::clock::Clock;
use serde_json::{json, Value};

both_dbs!(
    the_expiry_job_notices_once_then_expires_and_reactivation_renews,
    |t| async move {
        let app = spawn_app(t).await;
        let s = manager(&app).await;
        let jan = means_of(&app, "gebruiker@demo.example", BAKKERIJ).await;
        assert_eq!(grant(&app, &s, &[&jan], &["rvo-mijn-rvo"], "", "1").await.status, 200);
        let id = auth_id(&app, &jan, "rvo-mijn-rvo").await;
        let run = app::server::authorisation_expiry::run_once(&app.state).await.unwrap();
        assert_eq!(run.notices, 0, "nothing ends within 60 days yet");
        app.clock.advance_ms(365 * DAY - 59 * DAY);
        let run = app::server::authorisation_expiry::run_once(&app.state).await.unwrap();
        assert_eq!(run.notices, 2, "the holder and the manager");
        let mail = app::server::db::outbox::list(&app.state.db, Some("gebruiker@demo.example"), 1)
            .await
            .unwrap()
            .remove(0);
        assert!(
            mail.body.contains("Subsidies") || mail.body.contains("Mijn RVO"),
            "{}",
            mail.body
        );
        assert_eq!(
            app::server::authorisation_expiry::run_once(&app.state)
                .await
                .unwrap()
                .notices,
            0,
            "once"
        );
        let s = manager(&app).await; // the old session ended months ago
        let list = app
            .call_json(
                "list_authorisations",
                Some(&s),
                &json!({ "query": { "verloopt": true }, "page": 1 }),
            )
            .await;
        let list: Value = serde_json::from_str(&list.body).unwrap();
        assert_eq!(list["total"], 1, "{list}");
        app.clock.advance_ms(60 * DAY);
        let run = app::server::authorisation_expiry::run_once(&app.state).await.unwrap();
        assert_eq!(run.expired, 1);
        assert_eq!(
            app.scalar(&format!(
                "SELECT COUNT(*) FROM authorisations WHERE id = '{id}' AND state = 'expired'"
            ))
            .await,
            1
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'authorisation_expired'")
                .await,
            1
        );
        let s = manager(&app).await;
        let r = app
            .call("reactivate_authorisation", Some(&s), &[("id", &id), ("term", "5")])
            .await;
        assert_eq!(r.status, 200, "{r:?}");
        let until = app.scalar(&format!("SELECT valid_until FROM authorisations WHERE id = '{id}' AND state = 'active' AND expiry_notice_sent_at IS NULL")).await;
        assert!(until > app.clock.now_ms() + 5 * 365 * DAY - 2 * DAY);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'authorisation_reactivated'")
                .await,
            1
        );
        assert_eq!(
            app::server::authorisation_expiry::run_once(&app.state)
                .await
                .unwrap()
                .expired,
            0
        );
    }
);

// Two instances run the job at the same moment over the same rows: every notice goes out
// once, from whichever marked the row first.
both_dbs!(two_runs_at_once_send_each_notice_once, |t| async move {
    let app = spawn_app(t).await;
    let s = manager(&app).await;
    let holders = [
        "gebruiker@demo.example",
        "mehmet.yilmaz@demo.example",
        "fatima.elamrani@demo.example",
    ];
    let mut means = Vec::new();
    for email in holders {
        means.push(means_of(&app, email, BAKKERIJ).await);
    }
    let means: Vec<&str> = means.iter().map(String::as_str).collect();
    assert_eq!(grant(&app, &s, &means, &["rvo-mijn-rvo"], "", "1").await.status, 200);
    app.clock.advance_ms(365 * DAY - 59 * DAY);
    let (a, b) = tokio::join!(
        app::server::authorisation_expiry::run_once(&app.state),
        app::server::authorisation_expiry::run_once(&app.state)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        a.notices + b.notices,
        4,
        "three holders and the manager, once: {a:?} {b:?}"
    );
    for email in holders {
        let mails = app::server::db::outbox::list(&app.state.db, Some(email), 10)
            .await
            .unwrap();
        let notices = mails.iter().filter(|m| m.body.contains("verlopen binnenkort")).count();
        assert_eq!(notices, 1, "{email}");
    }
});
