//! Requests ending on their own: the expiry job, and a manager's cancel racing a
//! completion (exactly one wins, by the compare-and-set in `advance`). Both databases.

use crate::both_dbs;
use crate::helpers::{spawn_app, MANAGER};
use crate::request_support::{id_of, list, manager, org, request_of, requested, value};

both_dbs!(idle_requests_expire_after_the_configured_days, |t| async move {
    let app = spawn_app(t).await;
    let token = requested(&app, 0, "stil@example.nl", "06 9900 1601", "EH2+", true).await;
    let idle = request_of(&app, "stil@example.nl").await;
    app.clock.advance_ms(25 * 24 * 3_600_000);
    requested(&app, 0, "later@example.nl", "06 9900 1602", "EH2+", true).await;
    let recent = request_of(&app, "later@example.nl").await;
    app.clock.advance_ms(6 * 24 * 3_600_000);
    let n = app::server::jobs::expire_requests(&app.state).await.unwrap();
    assert!(n >= 1);
    assert_eq!(
        value(&app, "SELECT state FROM requests WHERE id = $1", &idle).await,
        "expired"
    );
    assert_eq!(
        value(&app, "SELECT state FROM requests WHERE id = $1", &recent).await,
        "awaiting_email"
    );
    let means = "SELECT m.state FROM means m WHERE m.email = $1";
    assert_eq!(value(&app, means, "stil@example.nl").await, "cancelled");
    let m = manager(&app).await;
    let page = app.get(&format!("/activeren/{token}"), None).await;
    assert!(page.body.contains("verlopen"), "{}", page.body);
    let fin: serde_json::Value = list(&app, &m, &[("tab", "afgerond"), ("state", "expired")]).await;
    assert!(fin["lines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["id"] == idle.as_str()));
    assert_eq!(
        app::server::jobs::expire_requests(&app.state).await.unwrap(),
        0,
        "nothing twice"
    );
});

both_dbs!(cancel_racing_completion_exactly_one_wins, |t| async move {
    use app::domain::request::RequestEvent;
    use app::server::service::issuance::advance;
    let app = spawn_app(t).await;
    let org = org(&app, 0).await;
    let manager = id_of(&app, "SELECT id FROM accounts WHERE email = $1", MANAGER.0).await;
    for i in 0..4 {
        let email = format!("race{i}@example.nl");
        requested(&app, 0, &email, &format!("06 9900 17{i:02}"), "EH2", true).await;
        let req = request_of(&app, &email).await;
        // Waiting for the desk: the next step completes the request and issues the means.
        sqlx::query("UPDATE requests SET state = 'awaiting_in_person' WHERE id = $1")
            .bind(&req)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let (s1, s2) = (app.state.clone(), app.state.clone());
        let (o, mg, r1, r2) = (org.clone(), manager.clone(), req.clone(), req.clone());
        let cancel = tokio::spawn(async move {
            app::server::service::requests::cancel(&s1, &mg, &o, &[r1])
                .await
                .is_ok()
        });
        let complete = tokio::spawn(async move {
            let go = async {
                let mut tx = s2.db.begin().await?;
                let row = app::server::db::requests::find_any(&mut tx, &r2).await?.unwrap();
                advance(
                    &mut tx,
                    &row,
                    RequestEvent::InPersonRecorded,
                    None,
                    serde_json::json!({}),
                    s2.now(),
                )
                .await?;
                tx.commit().await?;
                Ok::<_, app::error::AppError>(())
            };
            go.await.is_ok()
        });
        let (a, b) = (cancel.await.unwrap(), complete.await.unwrap());
        assert!(a ^ b, "exactly one of cancel ({a}) and completion ({b}) wins");
        let state = value(&app, "SELECT state FROM requests WHERE id = $1", &req).await;
        assert_eq!(state, if a { "cancelled" } else { "completed" });
        let means = "SELECT m.state FROM means m WHERE m.email = $1";
        assert_eq!(value(&app, means, &email).await, if a { "cancelled" } else { "active" });
        let events = format!("SELECT COUNT(*) FROM request_events WHERE request_id = '{req}' AND event IN ('cancel', 'in_person_recorded')");
        assert_eq!(app.scalar(&events).await, 1);
    }
});
