//! The manager's home page "needs attention": a request whose message the outbox worker
//! gave up on, and requests that have been waiting long. Both databases.

use crate::both_dbs;
use crate::helpers::spawn_app;
use crate::request_support::{fetch, manager, request_of, requested};

both_dbs!(home_lists_failed_deliveries_and_requests_waiting_long, |t| async move {
    let app = spawn_app(t).await;
    let email = "onbezorgd@example.nl";
    requested(&app, 0, email, "06 9900 3101", "EH2+", true).await;
    let req = request_of(&app, email).await;
    let m = manager(&app).await;
    let body = fetch(&app, "home_attention", Some(&m), &[]).await.body;
    assert!(!body.contains(&req), "nothing wrong yet: {body}");
    // The worker gives up on the activation mail.
    sqlx::query("UPDATE outbox SET next_attempt_at = $1, attempts = 8 WHERE recipient = $2")
        .bind(app::server::db::outbox::GAVE_UP_AT)
        .bind(email)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let a: serde_json::Value = serde_json::from_str(&fetch(&app, "home_attention", Some(&m), &[]).await.body).unwrap();
    let item = a["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["request_id"] == req.as_str())
        .expect("listed")
        .clone();
    assert!(
        item["problem"].as_str().unwrap().contains("kon niet worden afgeleverd"),
        "{item}"
    );
    // A week later the demo's open requests and this one are waiting long.
    app.clock.advance_ms(8 * 24 * 3_600_000);
    let m = manager(&app).await;
    let a: serde_json::Value = serde_json::from_str(&fetch(&app, "home_attention", Some(&m), &[]).await.body).unwrap();
    assert!(a["waiting_long"].as_i64().unwrap() >= 2, "{a}");
    assert!(a["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["problem"].as_str().unwrap().contains("stil")));
});
