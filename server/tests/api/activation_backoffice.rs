//! Activation with the back office (flow 4, EH3 and EH4): the ID copy uploaded from the
//! phone, the back office's check, rejection and identification in person, and the copy
//! gone with its request. Every test on SQLite and PostgreSQL.

use crate::both_dbs;
use crate::helpers::{spawn_app, TestApp, MANAGER};

use crate::activation_support::*;

pub(crate) async fn backoffice(app: &TestApp) -> String {
    format!(
        "bm_session={}",
        app.login(BACKOFFICE.0, BACKOFFICE.1, BACKOFFICE.2).await
    )
}

pub(crate) async fn upload(app: &TestApp, cookie: &str, bytes: &[u8], name: &str, mime: &str) -> Res {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap();
    let form = reqwest::multipart::Form::new().part("document", part);
    let req = app
        .http
        .post(format!("{}/api/activation/document", app.addr))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Accept", "text/html")
        .header("Cookie", cookie)
        .multipart(form);
    send(app, req).await
}

pub(crate) async fn document_files(app: &TestApp) -> usize {
    app.scalar("SELECT COUNT(*) FROM document_files").await as usize
}

both_dbs!(
    a_non_employee_at_eh3_is_issued_after_the_back_office_approves_the_id,
    |t| async move {
        let app = spawn_app(t).await;
        let email = "noor@example.nl";
        let token = requested(&app, email, "EH3", false).await;
        let cookie = through_password(&app, &token).await;
        assert_eq!(request_state(&app, email).await, "awaiting_id_check");
        assert_eq!(means_state(&app, email).await, "requested");
        let r = page(&app, "/activeren", Some(&cookie)).await;
        assert!(r.body.contains("Foto of PDF van uw identiteitsbewijs"), "{}", r.body);

        let r = upload(&app, &cookie, b"MZ\x90\x00 not an id", "id.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("bestand-type"), "the content decides, not the name");
        let r = upload(&app, &cookie, b"", "leeg.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("bestand-leeg"));
        let big = [b"%PDF-".as_slice(), &vec![b'x'; 10 * 1024 * 1024]].concat();
        let r = upload(&app, &cookie, &big, "groot.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("bestand-groot"));
        let r = upload(&app, &cookie, PDF, "id.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("bestand-ontvangen"));
        assert_eq!(document_files(&app).await, 1);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM documents WHERE deleted_at IS NULL")
                .await,
            1
        );

        // The queue is the back office's alone.
        let manager = format!("bm_session={}", app.login(MANAGER.0, MANAGER.1, MANAGER.2).await);
        let r = post(&app, "backoffice/queue", Some(&manager), &[]).await;
        assert_eq!(r.status, 403);
        let r = page(&app, "/backoffice", Some(&manager)).await;
        assert_eq!(r.status, 303, "a manager is sent to their own landing page");
        let bo = backoffice(&app).await;
        let r = page(&app, "/backoffice", Some(&bo)).await;
        assert!(
            r.body.contains("Noor van Dijk") && r.body.contains("02-02-1992"),
            "{}",
            r.body
        );
        let doc: String = sqlx::query_scalar("SELECT id FROM documents WHERE deleted_at IS NULL")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let r = page(&app, &format!("/backoffice/documenten/{doc}"), Some(&manager)).await;
        assert_eq!(
            (r.status, r.location.as_str()),
            (303, "/beheer"),
            "not served to a manager"
        );
        assert!(!r.body.contains("%PDF"));
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'document_viewed'")
                .await,
            0,
            "a refused look is no look"
        );
        let r = page(&app, &format!("/backoffice/documenten/{doc}"), Some(&bo)).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body.as_bytes(), PDF);
        page(&app, &format!("/backoffice/documenten/{doc}"), Some(&bo)).await;
        let viewed: Vec<(String, String)> =
            sqlx::query_as("SELECT target_id, actor FROM audit_events WHERE action = 'document_viewed'")
                .fetch_all(&app.state.db.pool)
                .await
                .unwrap();
        assert_eq!(viewed.len(), 2, "every look is on the record");
        assert!(viewed.iter().all(|(target, actor)| *target == doc && !actor.is_empty()));

        let request_id: String = sqlx::query_scalar("SELECT id FROM requests WHERE state = 'awaiting_id_check'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let r = post(&app, "backoffice/approve", Some(&bo), &[("request_id", &request_id)]).await;
        assert_eq!(r.location, "/backoffice?melding=goedgekeurd");
        assert_eq!(request_state(&app, email).await, "completed");
        assert_eq!(means_state(&app, email).await, "active");
        assert_eq!(document_files(&app).await, 0, "the file is deleted once decided");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM documents WHERE deleted_at IS NOT NULL")
                .await,
            1
        );
        let r = page(&app, &format!("/backoffice/documenten/{doc}"), Some(&bo)).await;
        assert_eq!(r.status, 404);
        let r = post(&app, "backoffice/approve", Some(&bo), &[("request_id", &request_id)]).await;
        assert_eq!(r.location, "/backoffice?melding=al-beslist");
        let actor: String = sqlx::query_scalar("SELECT actor FROM audit_events WHERE action = 'means_activated'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let bo_id: String = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
            .bind(BACKOFFICE.0)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(actor, bo_id);
    }
);

both_dbs!(
    a_rejection_closes_the_request_and_tells_the_person_why,
    |t| async move {
        let app = spawn_app(t).await;
        let email = "noor@example.nl";
        let token = requested(&app, email, "EH3", false).await;
        let cookie = through_password(&app, &token).await;
        let r = upload(&app, &cookie, b"\xFF\xD8\xFF\xE0 jpeg", "id.jpg", "image/jpeg").await;
        assert_eq!(r.notice(), Some("bestand-ontvangen"));
        let bo = backoffice(&app).await;
        let request_id: String = sqlx::query_scalar("SELECT id FROM requests WHERE state = 'awaiting_id_check'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let r = post(
            &app,
            "backoffice/reject",
            Some(&bo),
            &[("request_id", &request_id), ("reason", " ")],
        )
        .await;
        assert_eq!(r.location, "/backoffice?melding=reden-nodig");
        assert_eq!(request_state(&app, email).await, "awaiting_id_check");
        let reason = "De foto is onscherp; de naam is niet te lezen.";
        let r = post(
            &app,
            "backoffice/reject",
            Some(&bo),
            &[("request_id", &request_id), ("reason", reason)],
        )
        .await;
        assert_eq!(r.location, "/backoffice?melding=afgewezen");
        assert_eq!(request_state(&app, email).await, "rejected");
        assert_eq!(means_state(&app, email).await, "cancelled");
        assert_eq!(document_files(&app).await, 0);
        let mails = app::server::db::outbox::list(&app.state.db, Some(email), 5)
            .await
            .unwrap();
        assert!(
            mails.iter().any(|m| m.body.contains(reason)),
            "the person reads the reason"
        );
        let r = page(&app, "/activeren", Some(&cookie)).await;
        assert!(
            r.body.contains("afgewezen") && r.body.contains("onscherp"),
            "{}",
            r.body
        );
        let r = upload(&app, &cookie, PDF, "id.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("stap-gedaan"));
    }
);

both_dbs!(eh4_needs_identification_in_person_before_issuance, |t| async move {
    let app = spawn_app(t).await;
    let email = "noor@example.nl";
    let token = requested(&app, email, "EH4", true).await;
    through_password(&app, &token).await;
    assert_eq!(request_state(&app, email).await, "awaiting_in_person");
    assert_eq!(means_state(&app, email).await, "requested");
    let bo = backoffice(&app).await;
    let request_id: String = sqlx::query_scalar("SELECT id FROM requests WHERE state = 'awaiting_in_person'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let r = post(&app, "backoffice/approve", Some(&bo), &[("request_id", &request_id)]).await;
    assert_eq!(r.location, "/backoffice?melding=al-beslist", "no ID check at this step");
    let r = post(
        &app,
        "backoffice/in_person",
        Some(&bo),
        &[("request_id", &request_id), ("document", "passport")],
    )
    .await;
    assert_eq!(r.location, "/backoffice?melding=bevestigen");
    let r = post(
        &app,
        "backoffice/in_person",
        Some(&bo),
        &[
            ("request_id", &request_id),
            ("document", "passport"),
            ("confirmed", "on"),
        ],
    )
    .await;
    assert_eq!(r.location, "/backoffice?melding=vastgelegd");
    assert_eq!(request_state(&app, email).await, "completed");
    assert_eq!(means_state(&app, email).await, "active");
});

both_dbs!(
    a_non_employee_at_eh4_needs_both_the_id_check_and_the_desk,
    |t| async move {
        let app = spawn_app(t).await;
        let email = "noor@example.nl";
        let token = requested(&app, email, "EH4", false).await;
        let cookie = through_password(&app, &token).await;
        assert_eq!(request_state(&app, email).await, "awaiting_id_check");
        upload(&app, &cookie, PDF, "id.pdf", "application/pdf").await;
        let bo = backoffice(&app).await;
        let request_id: String = sqlx::query_scalar("SELECT id FROM requests WHERE state = 'awaiting_id_check'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let r = post(&app, "backoffice/approve", Some(&bo), &[("request_id", &request_id)]).await;
        assert_eq!(r.location, "/backoffice?melding=goedgekeurd-balie");
        assert_eq!(request_state(&app, email).await, "awaiting_in_person");
        assert_eq!(means_state(&app, email).await, "requested");
        let r = page(&app, "/activeren", Some(&cookie)).await;
        assert!(r.body.contains("identificatie aan de balie"), "{}", r.body);
    }
);

both_dbs!(an_ended_request_takes_its_id_copy_with_it, |t| async move {
    let app = spawn_app(t).await;
    let m = format!("bm_session={}", app.login(MANAGER.0, MANAGER.1, MANAGER.2).await);
    for (email, ending) in [("noor@example.nl", "cancel"), ("sam@example.nl", "expire")] {
        let token = requested(&app, email, "EH3", false).await;
        let cookie = through_password(&app, &token).await;
        let r = upload(&app, &cookie, PDF, "id.pdf", "application/pdf").await;
        assert_eq!(r.notice(), Some("bestand-ontvangen"));
        assert_eq!(document_files(&app).await, 1);
        let request_id: String = sqlx::query_scalar("SELECT id FROM requests WHERE state = 'awaiting_id_check'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        if ending == "cancel" {
            let r = post(
                &app,
                "requests/cancel",
                Some(&m),
                &[("ids[0]", &request_id), ("confirmed", "on")],
            )
            .await;
            assert!(r.status < 400, "{} {}", r.status, r.location);
        } else {
            app.clock.advance_ms(31 * 24 * 3_600_000);
            assert!(app::server::jobs::expire_requests(&app.state).await.unwrap() >= 1);
        }
        let state: String = sqlx::query_scalar("SELECT state FROM requests WHERE id = $1")
            .bind(&request_id)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(state, if ending == "cancel" { "cancelled" } else { "expired" });
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM documents WHERE deleted_at IS NULL")
                .await,
            0,
            "{ending}: marked with the decision"
        );
        // The file went in the same transaction: nothing is left for the janitor.
        assert_eq!(document_files(&app).await, 0, "{ending}: the file is gone");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM documents WHERE file_removed_at IS NULL")
                .await,
            0,
            "{ending}"
        );
        assert_eq!(app::server::jobs::purge(&app.state).await.unwrap().files, 0, "{ending}");
    }
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'document_deleted'")
            .await,
        2
    );
});
