//! Beheer → Machtigingen and Overzicht over HTTP, on both databases: granting (with the
//! level rules), duplicates, revoking, reactivating, the expiry job on the manual clock,
//! foreign ids, the overview and the CSV export.

use crate::both_dbs;
use crate::helpers::{spawn_app, TestApp, MANAGER};
use app::server::clock::Clock;
use serde_json::{json, Value};

pub const DAY: i64 = 86_400_000;

pub async fn manager(app: &TestApp) -> String {
    app.login(MANAGER.0, MANAGER.1, MANAGER.2).await
}

/// The means id of a demo person in the organisation with this name.
pub async fn means_of(app: &TestApp, email: &str, org: &str) -> String {
    sqlx::query_scalar::<_, String>(
        "SELECT m.id FROM means m JOIN organisations o ON o.id = m.organisation_id
         WHERE m.email = $1 AND o.name = $2 AND m.state <> 'cancelled'",
    )
    .bind(email)
    .bind(org)
    .fetch_one(&app.state.db.pool)
    .await
    .expect("means")
}

pub const BAKKERIJ: &str = "Bakkerij De Gouden Korenschoof B.V.";
const LOGISTIEK: &str = "Korenschoof Logistiek B.V.";

pub async fn grant(
    app: &TestApp,
    s: &str,
    means: &[&str],
    services: &[&str],
    up_to: &str,
    term: &str,
) -> crate::helpers::Reply {
    let today = app::domain::time::date_amsterdam(app.clock.now_ms()).iso();
    let body = json!({ "order": { "means_ids": means, "services": services, "up_to_level": up_to, "term": term, "start": today } });
    app.call_json("grant_authorisations", Some(s), &body).await
}

pub async fn auth_id(app: &TestApp, means: &str, service: &str) -> String {
    sqlx::query_scalar::<_, String>("SELECT id FROM authorisations WHERE means_id = $1 AND service_id = $2")
        .bind(means)
        .bind(service)
        .fetch_one(&app.state.db.pool)
        .await
        .expect("authorisation")
}

both_dbs!(
    granting_stores_requests_audit_and_a_duplicate_changes_nothing,
    |t| async move {
        let app = spawn_app(t).await;
        let s = manager(&app).await;
        let (marieke, jan) = (
            means_of(&app, MANAGER.0, BAKKERIJ).await,
            means_of(&app, "gebruiker@demo.example", BAKKERIJ).await,
        );
        let before = app.scalar("SELECT COUNT(*) FROM authorisations").await;
        let services = ["rvo-mijn-rvo", "bd-inzien-berichten"];
        let r = grant(&app, &s, &[&marieke, &jan], &services, "", "3").await;
        assert_eq!(r.status, 200, "{r:?}");
        let out: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(out["granted"], 4, "{out}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM authorisations").await, before + 4);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM requests WHERE kind = 'grant' AND state = 'completed' AND finished_at IS NOT NULL").await, 2);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM request_events WHERE event = 'complete_at_once'")
                .await,
            2
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'authorisation_granted'")
                .await,
            4
        );
        let until = app
            .scalar(&format!(
                "SELECT valid_until FROM authorisations WHERE id = '{}'",
                auth_id(&app, &jan, "rvo-mijn-rvo").await
            ))
            .await;
        assert!(
            until > app.clock.now_ms() + 3 * 365 * DAY - 2 * DAY && until < app.clock.now_ms() + 3 * 366 * DAY,
            "three years"
        );

        let r = grant(&app, &s, &[&marieke, &jan], &services, "", "3").await;
        assert_eq!(r.status, 200, "{r:?}");
        let out: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(out["granted"], 0);
        assert_eq!(out["already"].as_array().unwrap().len(), 4, "{out}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM authorisations").await, before + 4);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM requests WHERE kind = 'grant'").await,
            2,
            "no request when nothing changes"
        );

        // All services up to a level is one authorisation per person.
        let r = grant(&app, &s, &[&jan], &[], "EH2+", "1").await;
        assert_eq!(r.status, 200, "{r:?}");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM authorisations WHERE scope = 'up_to_level'")
                .await,
            1
        );
    }
);

both_dbs!(
    a_too_weak_means_or_a_level_above_the_manager_is_refused,
    |t| async move {
        let app = spawn_app(t).await;
        let s = manager(&app).await;
        let (jan, pieter) = (
            means_of(&app, "gebruiker@demo.example", BAKKERIJ).await,
            means_of(&app, "pieter.vandenberg@demo.example", BAKKERIJ).await,
        );
        let before = app.scalar("SELECT COUNT(*) FROM authorisations").await;
        let r = grant(&app, &s, &[&jan, &pieter], &["rvo-mijn-rvo"], "", "1").await;
        assert_eq!(r.status, 422, "{r:?}");
        assert!(r.body.contains("Pieter van den Berg"), "{}", r.body);
        assert!(
            r.body
                .contains("Het middel (EH2) is te zwak voor deze dienst (vereist EH2+)."),
            "{}",
            r.body
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM authorisations").await,
            before,
            "all or nothing"
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM requests WHERE kind = 'grant'").await,
            0
        );

        // Sanne's EH4 means in use again: an EH4 service is above the EH3 manager.
        sqlx::query("UPDATE means SET state = 'active' WHERE level = 'EH4'")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let sanne = means_of(&app, "sanne.bakker@demo.example", BAKKERIJ).await;
        let r = grant(&app, &s, &[&sanne], &["cibg-farmatec"], "", "1").await;
        assert_eq!(r.status, 422, "{r:?}");
        assert!(
            r.body
                .contains("U kunt machtigen tot en met uw eigen niveau (EH3); EH4 is te hoog."),
            "{}",
            r.body
        );
        let r = grant(&app, &s, &[&sanne], &[], "EH4", "1").await;
        assert_eq!(r.status, 422, "{r:?}");
        let r = grant(&app, &s, &[&jan], &["rvo-mijn-rvo"], "", "7").await;
        assert_eq!(r.status, 422, "a term longer than 5 years: {r:?}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM authorisations").await, before);
    }
);

both_dbs!(revoking_needs_a_reason_and_is_a_completed_request, |t| async move {
    let app = spawn_app(t).await;
    let s = manager(&app).await;
    let jan = means_of(&app, "gebruiker@demo.example", BAKKERIJ).await;
    assert_eq!(grant(&app, &s, &[&jan], &["rvo-mijn-rvo"], "", "1").await.status, 200);
    let id = auth_id(&app, &jan, "rvo-mijn-rvo").await;
    let r = app
        .call_json(
            "revoke_authorisations",
            Some(&s),
            &json!({ "ids": [id], "reason": "  " }),
        )
        .await;
    assert_eq!(r.status, 422, "{r:?}");
    let r = app
        .call_json(
            "revoke_authorisations",
            Some(&s),
            &json!({ "ids": [id], "reason": "Uit dienst" }),
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM authorisations WHERE id = '{id}' AND state = 'revoked' AND revoked_reason = 'Uit dienst'")).await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM requests WHERE kind = 'revoke' AND state = 'completed'")
            .await,
        1
    );
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'authorisation_revoked' AND target_id = '{id}'"
        ))
        .await,
        1
    );
    let r = app
        .call_json(
            "revoke_authorisations",
            Some(&s),
            &json!({ "ids": [id], "reason": "nogmaals" }),
        )
        .await;
    assert_eq!(r.status, 409, "revoked is final: {r:?}");
    let r = app
        .call("reactivate_authorisation", Some(&s), &[("id", &id), ("term", "1")])
        .await;
    assert_eq!(r.status, 409, "only an expired one comes back: {r:?}");
    let list = app
        .call_json(
            "list_authorisations",
            Some(&s),
            &json!({ "query": { "status": "revoked" }, "page": 1 }),
        )
        .await;
    let list: Value = serde_json::from_str(&list.body).unwrap();
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["lines"][0]["revoked_reason"], "Uit dienst");
});

both_dbs!(a_foreign_id_answers_like_a_missing_one, |t| async move {
    let app = spawn_app(t).await;
    let s = manager(&app).await;
    let anouk = means_of(&app, "anouk.visser@demo.example", LOGISTIEK).await;
    let foreign: String =
        sqlx::query_scalar("SELECT id FROM authorisations WHERE means_id = $1 AND scope = 'service' LIMIT 1")
            .bind(&anouk)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let missing = "0190aaaa-0000-7000-8000-000000000000";
    let mut bodies = Vec::new();
    for id in [foreign.as_str(), missing] {
        let r = app
            .call_json(
                "revoke_authorisations",
                Some(&s),
                &json!({ "ids": [id], "reason": "test" }),
            )
            .await;
        assert_eq!(r.status, 404, "{r:?}");
        bodies.push(r.body);
        let r = app
            .call("reactivate_authorisation", Some(&s), &[("id", id), ("term", "1")])
            .await;
        assert_eq!(r.status, 404, "{r:?}");
    }
    assert_eq!(bodies[0], bodies[1]);
    let r = grant(&app, &s, &[&anouk], &["kvk-uittreksel"], "", "1").await;
    assert_eq!(r.status, 404, "{r:?}");
    let r = grant(&app, &s, &[missing], &["kvk-uittreksel"], "", "1").await;
    assert_eq!(r.status, 404, "{r:?}");
    let list = app
        .call_json(
            "list_authorisations",
            Some(&s),
            &json!({ "query": { "persoon": "anouk" }, "page": 1 }),
        )
        .await;
    let list: Value = serde_json::from_str(&list.body).unwrap();
    assert_eq!(list["total"], 0, "only the current organisation: {list}");
    let list = app
        .call_json(
            "list_authorisations",
            Some(&s),
            &json!({ "query": { "persoon": "anouk", "alle": true }, "page": 1 }),
        )
        .await;
    let list: Value = serde_json::from_str(&list.body).unwrap();
    assert!(list["total"].as_i64().unwrap() > 0, "all managed organisations: {list}");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM authorisations WHERE id = '{foreign}' AND state = 'active'"
        ))
        .await,
        1
    );
});
