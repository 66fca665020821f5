//! CSV uploads over HTTP: chunked staging, re-validation on the server, all-or-nothing
//! storage and idempotency — on SQLite and PostgreSQL.

use crate::both_dbs;
use crate::helpers::{spawn_app, TestApp, MANAGER, USER};
use serde_json::{json, Value};

const HEADER: &str = "voornamen;tussenvoegsel;achternaam;geboortedatum;email;mobiel;in_loondienst;niveau";

fn csv(rows: &[&str]) -> String {
    let mut s = String::from(HEADER);
    for r in rows {
        s.push_str("\r\n");
        s.push_str(r);
    }
    s.push_str("\r\n");
    s
}

const GOOD: [&str; 3] = [
    "Eva;;Pauw;12-03-1990;eva.pauw@example.nl;06 11112222;ja;EH3",
    "Tom;van;Kok;01-01-1985;tom.kok@example.nl;+31611113333;nee;EH2+",
    "Lisa;;Smit;28-02-2000;lisa.smit@example.nl;0611114444;ja;EH2",
];

/// Sends `text` in `parts` chunks and commits; returns the commit's reply body.
/// Start, chunks and commit as the page sends them; the commit's status and answer.
pub(crate) async fn upload(app: &TestApp, s: &str, text: &str, parts: usize) -> (u16, Value) {
    let r = app
        .call(
            "upload_start",
            Some(s),
            &[("bytes", &text.len().to_string()), ("chunks", &parts.to_string())],
        )
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    let batch: String = serde_json::from_str(&r.body).unwrap();
    let size = text.len().div_ceil(parts);
    let bytes = text.as_bytes();
    for (i, part) in bytes.chunks(size).enumerate() {
        let data = std::str::from_utf8(part).unwrap();
        let r = app
            .call_json(
                "upload_chunk",
                Some(s),
                &json!({ "batch_id": batch, "index": i, "data": data }),
            )
            .await;
        assert_eq!(r.status, 200, "{r:?}");
    }
    let r = app.call("upload_commit", Some(s), &[("batch_id", &batch)]).await;
    (r.status, serde_json::from_str(&r.body).unwrap_or(Value::Null))
}

both_dbs!(a_clean_file_is_stored_at_once_with_its_mails, |t| async move {
    let app = spawn_app(t).await;
    let s = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    let (status, out) = upload(&app, &s, &csv(&GOOD), 2).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        (out["created"].clone(), out["present"].clone()),
        (json!(3), json!(0)),
        "{out}"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM requests WHERE batch_id IS NOT NULL")
            .await,
        3
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM outbox WHERE channel = 'email'").await,
        3
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM batches WHERE state = 'committed' AND row_count = 3")
            .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM upload_chunks").await,
        0,
        "staging is cleaned up"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'batch_uploaded'")
            .await,
        1
    );
});

both_dbs!(the_same_file_again_creates_nothing_and_says_so, |t| async move {
    let app = spawn_app(t).await;
    let s = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    let text = csv(&GOOD);
    upload(&app, &s, &text, 1).await;
    let (status, out) = upload(&app, &s, &text, 3).await;
    assert_eq!(status, 200);
    assert_eq!(out["created"], 0);
    assert!(out["already_uploaded_at"].is_string(), "{out}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM requests WHERE batch_id IS NOT NULL")
            .await,
        3
    );
    // A different file holding the same people: every row already present, nothing new.
    let reordered = csv(&[GOOD[2], GOOD[0], GOOD[1]]);
    let (_, out) = upload(&app, &s, &reordered, 1).await;
    assert_eq!(
        (out["created"].clone(), out["present"].clone()),
        (json!(0), json!(3)),
        "{out}"
    );
});

both_dbs!(
    a_file_with_errors_is_refused_whole_with_row_and_column,
    |t| async move {
        let app = spawn_app(t).await;
        let s = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
        let bad = "Piet;;Puk;31-02-1990;piet@example.nl;06 11115555;ja;EH3";
        let dup = "Eva;;Pauw;12-03-1990;EVA.PAUW@example.nl;06 11112222;ja;EH3";
        let (status, out) = upload(&app, &s, &csv(&[GOOD[0], bad, dup, GOOD[1]]), 2).await;
        assert_eq!(status, 200);
        assert_eq!(out["created"], 0);
        let errors = out["rejected"]["errors"].as_array().expect("the server's own findings");
        assert!(
            errors.iter().any(|e| e["row"] == 3 && e["column"] == "geboortedatum"),
            "{out}"
        );
        assert!(errors.iter().any(|e| e["column"] == "email"), "duplicate e-mail: {out}");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM requests WHERE batch_id IS NOT NULL")
                .await,
            0
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM outbox WHERE channel = 'email'").await,
            0
        );
        assert_eq!(app.scalar("SELECT COUNT(*) FROM batches").await, 0);
    }
);

both_dbs!(levels_above_the_manager_and_present_people, |t| async move {
    let app = spawn_app(t).await;
    let s = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    let (_, out) = upload(
        &app,
        &s,
        &csv(&["Eva;;Pauw;12-03-1990;eva@example.nl;06 11112222;ja;EH4"]),
        1,
    )
    .await;
    let e = &out["rejected"]["errors"][0];
    assert_eq!(
        (e["row"].clone(), e["column"].clone()),
        (json!(2), json!("niveau")),
        "{out}"
    );
    let present = format!("Jan;;Jansen;02-11-1985;{};06 87654321;ja;EH2+", USER.0);
    let (_, out) = upload(&app, &s, &csv(&[&present, GOOD[0]]), 1).await;
    assert_eq!(
        (out["created"].clone(), out["present"].clone()),
        (json!(1), json!(1)),
        "{out}"
    );
});

both_dbs!(limits_and_incomplete_uploads_are_refused, |t| async move {
    let app = spawn_app(t).await;
    let s = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    let r = app
        .call("upload_start", Some(&s), &[("bytes", "10485761"), ("chunks", "11")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("maximum is 10 MB"), "{}", r.body);
    let r = app
        .call("upload_start", Some(&s), &[("bytes", "100"), ("chunks", "2")])
        .await;
    let batch: String = serde_json::from_str(&r.body).unwrap();
    app.call_json(
        "upload_chunk",
        Some(&s),
        &json!({ "batch_id": batch, "index": 1, "data": "x" }),
    )
    .await;
    let r = app.call("upload_commit", Some(&s), &[("batch_id", &batch)]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("niet volledig"), "{}", r.body);
    let r = app
        .call(
            "upload_commit",
            Some(&s),
            &[("batch_id", "00000000-0000-0000-0000-000000000000")],
        )
        .await;
    assert_eq!(r.status, 404);
    let u = app.login(USER.0, USER.1, USER.2).await;
    assert_eq!(app.call("upload_context", Some(&u), &[]).await.status, 403);
});

both_dbs!(the_browser_gets_the_context_it_validates_against, |t| async move {
    let app = spawn_app(t).await;
    let s = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    let r = app.call("upload_context", Some(&s), &[]).await;
    let ctx: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(ctx["max_level"], "EH3");
    assert!(ctx["known_services"].as_array().unwrap().len() >= 30);
    let present = ctx["present_emails"].as_array().unwrap();
    assert!(
        present.contains(&json!(USER.0)) && !present.contains(&json!("sanne.bakker@demo.example")),
        "cancelled means are not present"
    );
});

both_dbs!(every_activation_link_follows_activation_ttl_hours, |t| async move {
    let app = crate::helpers::spawn_app_with(t, |c| c.activation_ttl_ms = 2 * 3_600_000).await;
    let s = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    let (status, _) = upload(&app, &s, &csv(&GOOD), 1).await;
    assert_eq!(status, 200);
    let rows = json!({ "rows": [{
            "given_names": "Anna", "prefix": "", "surname": "Bos", "birth_date": "03-03-1993",
            "email": "anna.bos@example.nl", "mobile": "0611115555", "employed": "ja", "level": "EH3"
        }] });
    let r = app.call_json("request_means", Some(&s), &rows).await;
    assert!(r.status < 400, "{r:?}");
    let (all, two_hours) = (
        app.scalar("SELECT COUNT(*) FROM verification_tokens WHERE purpose = 'activate'")
            .await,
        app.scalar(
            "SELECT COUNT(*) FROM verification_tokens WHERE purpose = 'activate' AND expires_at - created_at = 7200000",
        )
        .await,
    );
    assert_eq!((all, two_hours), (4, 4), "bulk and by hand alike");
});

both_dbs!(an_upload_never_committed_is_dropped_after_a_day, |t| async move {
    let app = spawn_app(t).await;
    let s = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    let text = csv(&GOOD);
    let r = app
        .call(
            "upload_start",
            Some(&s),
            &[("bytes", &text.len().to_string()), ("chunks", "1")],
        )
        .await;
    let batch: String = serde_json::from_str(&r.body).unwrap();
    let r = app
        .call_json(
            "upload_chunk",
            Some(&s),
            &json!({ "batch_id": batch, "index": 0, "data": text }),
        )
        .await;
    assert_eq!(r.status, 200);
    upload(&app, &s, &csv(&GOOD[..1]), 1).await;
    app.clock.advance_ms(23 * 3_600_000);
    assert_eq!(
        app::server::jobs::purge(&app.state).await.unwrap().staged_uploads,
        0,
        "not yet"
    );
    app.clock.advance_ms(3_600_000 + 1);
    assert_eq!(app::server::jobs::purge(&app.state).await.unwrap().staged_uploads, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM upload_chunks").await,
        0,
        "its chunks with it"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM batches WHERE state = 'committed'")
            .await,
        1,
        "a committed one stays"
    );
});
