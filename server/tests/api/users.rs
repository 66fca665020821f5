//! Beheer → Gebruikers over HTTP: requesting means by hand and the people list.

use crate::both_dbs;
use crate::helpers::{spawn_app, TestApp, MANAGER, USER};
use app::domain::value::{AssuranceLevel, PersonName};
use app::server::service::means_request::activation_mail;
use serde_json::{json, Value};

fn person(given: &str, surname: &str, email: &str, level: &str) -> Value {
    json!({
        "given_names": given, "prefix": "", "surname": surname, "birth_date": "12-03-1990",
        "email": email, "mobile": "06 11112222", "employed": "ja", "level": level
    })
}

async fn manager(app: &TestApp) -> String {
    app.login(MANAGER.0, MANAGER.1, MANAGER.2).await
}

both_dbs!(requesting_means_writes_requests_links_mails_and_audit, |t| async move {
    let app = spawn_app(t).await;
    let s = manager(&app).await;
    let before = app.scalar("SELECT COUNT(*) FROM requests").await;
    let rows = json!({ "rows": [person("Eva", "Pauw", "eva.pauw@example.nl", "EH3"), person("Tom", "Kok", "Tom.Kok@Example.nl", "EH2+")] });
    let r = app.call_json("request_means", Some(&s), &rows).await;
    assert_eq!(r.status, 200, "{r:?}");
    let out: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(out["created"], 2, "{out}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM requests").await, before + 2);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM requests WHERE state = 'awaiting_email' AND kind = 'new_means' AND batch_id IS NULL AND finished_at IS NULL AND means_id IN (SELECT id FROM means WHERE state = 'requested')").await, before + 2);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM verification_tokens WHERE purpose = 'activate'")
            .await,
        2
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'means_requested'")
            .await,
        2
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM request_events WHERE event = 'email_sent'")
            .await,
        2
    );
    let mail = app::server::db::outbox::list(&app.state.db, Some("tom.kok@example.nl"), 1)
        .await
        .unwrap()
        .remove(0);
    let link = mail
        .body
        .lines()
        .find(|l| l.starts_with("http://127.0.0.1:3000/activeren/"))
        .expect("link on its own line");
    let token = link.rsplit('/').next().unwrap();
    assert!(token.len() >= 22, "≥ 128 bits");
    let tom = PersonName::new("Tom", "", "Kok").unwrap();
    assert_eq!(
        mail.body,
        activation_mail(
            &tom,
            "Bakkerij De Gouden Korenschoof B.V.",
            AssuranceLevel::Eh2Plus,
            link
        )
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE template = 'activation' AND LENGTH(body) < 200")
            .await,
        2,
        "stored as template parameters, rendered when read"
    );
    let stored = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM verification_tokens WHERE token_sha256 = '{token}'"
        ))
        .await;
    assert_eq!(stored, 0, "the raw token is never stored");
});

both_dbs!(one_bad_row_stores_nothing, |t| async move {
    let app = spawn_app(t).await;
    let s = manager(&app).await;
    let before = app.scalar("SELECT COUNT(*) FROM requests").await;
    let mut bad = person("Eva", "Pauw", "geen-email", "EH3");
    bad["birth_date"] = json!("31-02-1990");
    let r = app
        .call_json(
            "request_means",
            Some(&s),
            &json!({ "rows": [person("Tom", "Kok", "tom@example.nl", "EH3"), bad] }),
        )
        .await;
    let out: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(out["created"], 0);
    let fields: Vec<&str> = out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[1]["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["BirthDate", "Email"], "{out}");
    assert_eq!(out["errors"][0][0], 1, "the second row");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM requests").await, before);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE channel = 'email'").await,
        0
    );
});

both_dbs!(levels_above_the_managers_own_are_refused, |t| async move {
    let app = spawn_app(t).await;
    let s = manager(&app).await;
    let r = app
        .call_json(
            "request_means",
            Some(&s),
            &json!({ "rows": [person("Eva", "Pauw", "eva@example.nl", "EH4")] }),
        )
        .await;
    let out: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(out["errors"][0][1]["field"], "Level", "{out}");
    assert!(out["errors"][0][1]["message"].as_str().unwrap().contains("EH3"));
});

both_dbs!(asking_again_for_the_same_person_creates_nothing, |t| async move {
    let app = spawn_app(t).await;
    let s = manager(&app).await;
    let rows = json!({ "rows": [person("Eva", "Pauw", "eva@example.nl", "EH3")] });
    app.call_json("request_means", Some(&s), &rows).await;
    let r = app.call_json("request_means", Some(&s), &rows).await;
    let out: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (out["created"].clone(), out["present"].clone()),
        (json!(0), json!(["eva@example.nl"]))
    );
    // A demo person who already has a means here is present too.
    let r = app
        .call_json(
            "request_means",
            Some(&s),
            &json!({ "rows": [person("Jan", "Jansen", USER.0, "EH2+")] }),
        )
        .await;
    let out: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(out["present"], json!([USER.0]));
});

both_dbs!(only_managers_request_means, |t| async move {
    let app = spawn_app(t).await;
    let s = app.login(USER.0, USER.1, USER.2).await;
    let r = app
        .call_json(
            "request_means",
            Some(&s),
            &json!({ "rows": [person("Eva", "Pauw", "eva@example.nl", "EH2")] }),
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app.call("list_people", Some(&s), &[("query", ""), ("page", "1")]).await;
    assert_eq!(r.status, 403);
});

both_dbs!(the_people_list_pages_and_searches, |t| async move {
    let app = spawn_app(t).await;
    let s = manager(&app).await;
    // Surnames Verenigingaa … Verenigingbd: names hold letters only.
    let suffix = |i: u8| format!("{}{}", (b'a' + i / 26) as char, (b'a' + i % 26) as char);
    let rows: Vec<Value> = (0..30u8)
        .map(|i| {
            person(
                "Lid",
                &format!("Vereniging{}", suffix(i)),
                &format!("lid{i}@example.nl"),
                "EH2",
            )
        })
        .collect();
    let r = app.call_json("request_means", Some(&s), &json!({ "rows": rows })).await;
    assert_eq!(serde_json::from_str::<Value>(&r.body).unwrap()["created"], 30, "{r:?}");
    let page = |q: &'static str, p: &'static str| {
        let app = &app;
        let s = s.clone();
        async move {
            serde_json::from_str::<Value>(
                &app.call("list_people", Some(&s), &[("query", q), ("page", p)])
                    .await
                    .body,
            )
            .unwrap()
        }
    };
    let first = page("", "1").await;
    assert_eq!(first["total"], 36, "5 live + 1 cancelled demo means + 30 new: {first}");
    assert_eq!(first["pages"], 2);
    assert_eq!(first["lines"].as_array().unwrap().len(), 25);
    assert_eq!(page("", "2").await["lines"].as_array().unwrap().len(), 11);
    assert_eq!(page("", "99").await["page"], 2, "a page past the end shows the last");
    let found = page("JANSEN", "1").await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["lines"][0]["email"], USER.0);
    assert_eq!(page("verenigingb", "1").await["total"], 4, "ba … bd");
    assert_eq!(page("%", "1").await["total"], 0, "LIKE wildcards are literal");
    // The other organisation's people are not listed here.
    assert_eq!(page("anouk", "1").await["total"], 0);
});
