//! Manager registration over HTTP (flow 1): the wizard's steps and their checks, the
//! representatives' links (look without using, answer once, joint signing, refusal), the
//! back office's review (queue with due dates, overdue, approval making a manager, rejection
//! with a reason) and the applicant's status page. Every test on SQLite and PostgreSQL.

use crate::both_dbs;
use crate::helpers::{spawn_app, MANAGER};
use crate::registration_support::*;

both_dbs!(whole_path_makes_a_manager, |t| async move {
    let app = spawn_app(t).await;
    let c = fill(
        &app,
        "41234567",
        "bas@ketting.example",
        &[("Ria", "ria@ketting.example")],
    )
    .await;
    let status = submit(&app, &c).await;
    assert_eq!(state_of(&app, "41234567").await, "awaiting_representatives");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM registration_drafts").await, 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM documents WHERE deleted_at IS NULL")
            .await,
        3
    );
    let page = app.get(&status, None).await;
    assert!(page.body.contains("wacht op vertegenwoordiger"), "{}", page.body);
    // The representative's link: looking uses nothing, the answer uses it once.
    let token = link(&app, "ria@ketting.example", "/registreren/goedkeuren/").await;
    let page = app.get(&format!("/registreren/goedkeuren/{token}"), None).await;
    assert!(page.body.contains("Bas Jansen"), "{}", page.body);
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) FROM verification_tokens WHERE purpose = 'approve_registration' AND used_at IS NOT NULL"
        )
        .await,
        0
    );
    let r = post(
        &app,
        "registration/answer",
        None,
        &[("token", &token), ("besluit", "goedkeuren")],
    )
    .await;
    assert!(r.location.ends_with("melding=goedgekeurd"), "{}", r.location);
    assert_eq!(state_of(&app, "41234567").await, "awaiting_review");
    let r = post(
        &app,
        "registration/answer",
        None,
        &[("token", &token), ("besluit", "weigeren")],
    )
    .await;
    assert!(
        !r.location.contains("melding"),
        "a used link answers nothing: {}",
        r.location
    );
    assert_eq!(state_of(&app, "41234567").await, "awaiting_review");
    // The back office sees it with its due dates (Mon 1 June 2026: 8 to 22 June).
    let bo = app.login(BACKOFFICE.0, BACKOFFICE.1, BACKOFFICE.2).await;
    let q = queue(&app, &bo).await;
    let item = &q.as_array().unwrap()[0];
    assert_eq!(item["due_min"], "08-06-2026");
    assert_eq!(item["due_max"], "22-06-2026");
    assert_eq!(item["overdue"], false);
    assert_eq!(item["extract_ok"], true);
    assert_eq!(item["documents"].as_array().unwrap().len(), 3);
    let rid = item["request_id"].as_str().unwrap().to_string();
    let r = app
        .call("backoffice/registration_approve", Some(&bo), &[("request_id", &rid)])
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/backoffice?registratie=goedgekeurd"),
        "{}",
        r.body
    );
    assert_eq!(state_of(&app, "41234567").await, "completed");
    // The manager: organisation, means requested, manage authorisation, activation e-mail.
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM organisations WHERE kvk_number = '41234567'")
            .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM authorisations a JOIN means m ON m.id = a.means_id WHERE m.email = 'bas@ketting.example' AND a.scope = 'manage' AND a.level = 'EH3' AND m.state = 'requested'").await,
        1
    );
    let activation = link(&app, "bas@ketting.example", "/activeren/").await;
    assert_eq!(activation.len(), 43);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM documents WHERE deleted_at IS NULL")
            .await,
        0
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'registration_decided'")
            .await,
        1
    );
    let page = app.get(&status, None).await;
    assert!(page.body.contains("afgerond"), "{}", page.body);
    // Decided once: a second approval is stale.
    let r = app
        .call("backoffice/registration_approve", Some(&bo), &[("request_id", &rid)])
        .await;
    assert_eq!(r.location.as_deref(), Some("/backoffice?registratie=al-beslist"));
});

both_dbs!(steps_check_every_field_and_upload, |t| async move {
    let app = spawn_app(t).await;
    let r = step(
        &app,
        None,
        1,
        &[("kvk", "1234"), ("org_name", ""), ("branch", "12")],
        &[],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=1");
    let c = r.cookie_value("bm_registratie").expect("draft cookie");
    let r = app
        .http
        .post(format!("{}/api/registration/wizard", app.addr))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Cookie", format!("bm_registratie={c}"))
        .form(&Vec::<(String, String)>::new())
        .send()
        .await
        .unwrap();
    let view: serde_json::Value = r.json().await.unwrap();
    let errors: Vec<String> = view["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(errors, ["kvk", "org_name", "branch"]);
    assert_eq!(view["draft"]["kvk"], "1234", "typed values are kept");
    // An ID photo is no extract, an executable no photo, and an old extract is refused.
    let r = step(
        &app,
        Some(&c),
        2,
        &[("extract_date", "25-05-2026")],
        &[("extract", PNG)],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=2&melding=geen-pdf");
    let r = step(
        &app,
        Some(&c),
        2,
        &[("extract_date", "01-05-2026")],
        &[("extract", PDF)],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=2");
    let r = step(&app, Some(&c), 3, &[("signing", "alone")], &[("rep0", b"MZ\x90\x00")]).await;
    assert_eq!(r.location, "/registreren?stap=3&melding=bestand-type");
    let r = step(
        &app,
        Some(&c),
        2,
        &[("arrange_extract", "on"), ("extract_date", "")],
        &[],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=3", "arranging the extract needs no date");
    // Submitting an incomplete draft goes back to the first step with problems.
    let r = post(&app, "registration/submit", Some(&format!("bm_registratie={c}")), &[]).await;
    assert_eq!(r.location, "/registreren?stap=1");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM registrations").await, 0);
    // Going back saves without checking.
    let mut form = reqwest::multipart::Form::new().text("stap", "2").text("ga", "terug");
    form = form.text("extract_date", "bad");
    let req = app
        .http
        .post(format!("{}/api/registration/step", app.addr))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Accept", "text/html")
        .header("Cookie", format!("bm_registratie={c}"))
        .multipart(form);
    assert_eq!(send(&app, req).await.location, "/registreren?stap=1");
});

both_dbs!(joint_signing_needs_both_and_a_refusal_ends_it, |t| async move {
    let app = spawn_app(t).await;
    let c = fill(
        &app,
        "42345678",
        "bas2@ketting.example",
        &[("Ria", "ria2@ketting.example"), ("Kees", "kees2@ketting.example")],
    )
    .await;
    let status = submit(&app, &c).await;
    let ria = link(&app, "ria2@ketting.example", "/registreren/goedkeuren/").await;
    let kees = link(&app, "kees2@ketting.example", "/registreren/goedkeuren/").await;
    post(
        &app,
        "registration/answer",
        None,
        &[("token", &ria), ("besluit", "goedkeuren")],
    )
    .await;
    assert_eq!(
        state_of(&app, "42345678").await,
        "awaiting_representatives",
        "one of two is not enough"
    );
    let r = post(
        &app,
        "registration/answer",
        None,
        &[("token", &kees), ("besluit", "weigeren"), ("reason", "Ken ik niet")],
    )
    .await;
    assert!(r.location.ends_with("melding=geweigerd"));
    assert_eq!(state_of(&app, "42345678").await, "refused");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM documents WHERE deleted_at IS NULL")
            .await,
        0
    );
    let mail = app::server::db::outbox::list(&app.state.db, Some("bas2@ketting.example"), 1)
        .await
        .unwrap();
    assert!(mail[0].body.contains("Ken ik niet"), "{}", mail[0].body);
    let page = app.get(&status, None).await;
    assert!(
        page.body.contains("geweigerd") && page.body.contains("Ken ik niet"),
        "{}",
        page.body
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'representative_answered'")
            .await,
        2
    );
});

both_dbs!(review_shows_overdue_and_rejects_with_reason, |t| async move {
    let app = spawn_app(t).await;
    let c = fill(
        &app,
        "43456789",
        "bas3@ketting.example",
        &[("Ria", "ria3@ketting.example")],
    )
    .await;
    submit(&app, &c).await;
    let ria = link(&app, "ria3@ketting.example", "/registreren/goedkeuren/").await;
    post(
        &app,
        "registration/answer",
        None,
        &[("token", &ria), ("besluit", "goedkeuren")],
    )
    .await;
    // Only the back office reviews.
    let manager = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
    assert_eq!(
        app.call("backoffice/registrations", Some(&manager), &[]).await.status,
        403
    );
    app.clock.advance_ms(30 * DAY_MS);
    let bo = app.login(BACKOFFICE.0, BACKOFFICE.1, BACKOFFICE.2).await;
    let q = queue(&app, &bo).await;
    assert_eq!(q[0]["overdue"], true);
    let rid = q[0]["request_id"].as_str().unwrap().to_string();
    let r = app
        .call(
            "backoffice/registration_reject",
            Some(&bo),
            &[("request_id", &rid), ("reason", "kort")],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/backoffice?registratie=reden-nodig"));
    let reason = "Het uittreksel hoort bij een andere organisatie.";
    let r = app
        .call(
            "backoffice/registration_reject",
            Some(&bo),
            &[("request_id", &rid), ("reason", reason)],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/backoffice?registratie=afgewezen"));
    assert_eq!(state_of(&app, "43456789").await, "rejected");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM means m WHERE m.email = 'bas3@ketting.example'")
            .await,
        0
    );
    let status = fresh_status(&app, "bas3@ketting.example").await;
    assert!(app.get(&status, None).await.body.contains(reason));
    assert!(queue(&app, &bo).await.as_array().unwrap().is_empty());
});

both_dbs!(expired_links_can_be_sent_again_once, |t| async move {
    let app = spawn_app(t).await;
    let c = fill(
        &app,
        "44567890",
        "bas4@ketting.example",
        &[("Ria", "ria4@ketting.example")],
    )
    .await;
    let status = submit(&app, &c).await;
    let token = status.rsplit('/').next().unwrap().to_string();
    let old = link(&app, "ria4@ketting.example", "/registreren/goedkeuren/").await;
    let r = post(&app, "registration/resend", None, &[("token", &token)]).await;
    assert!(
        r.location.ends_with("melding=niet-nodig"),
        "a live link is not replaced: {}",
        r.location
    );
    app.clock.advance_ms(25 * 3_600_000);
    // The status link lived a day too: the applicant asks for a fresh one.
    let status = fresh_status(&app, "bas4@ketting.example").await;
    let token = status.rsplit('/').next().unwrap().to_string();
    assert!(app.get(&status, None).await.body.contains("een nieuwe link sturen"));
    let r = post(
        &app,
        "registration/answer",
        None,
        &[("token", &old), ("besluit", "goedkeuren")],
    )
    .await;
    assert!(!r.location.contains("melding"), "an expired link answers nothing");
    let r = post(&app, "registration/resend", None, &[("token", &token)]).await;
    assert!(r.location.ends_with("melding=verstuurd"), "{}", r.location);
    let fresh = link(&app, "ria4@ketting.example", "/registreren/goedkeuren/").await;
    assert_ne!(fresh, old);
    let r = post(&app, "registration/resend", None, &[("token", &token)]).await;
    assert!(r.location.ends_with("melding=niet-nodig"));
    post(
        &app,
        "registration/answer",
        None,
        &[("token", &fresh), ("besluit", "goedkeuren")],
    )
    .await;
    assert_eq!(state_of(&app, "44567890").await, "awaiting_review");
});
