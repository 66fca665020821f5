//! The public wizard's guards, continued (issue 12): no links in strangers' text, the
//! existing managers' objection, the purge of unfinished drafts and the total all drafts
//! may fill. Every test on both databases.

use crate::both_dbs;
use crate::helpers::{spawn_app, spawn_app_with, MANAGER};
use crate::registration_guard::*;
use crate::registration_support::*;

both_dbs!(typed_links_reach_no_inbox, |t| async move {
    let app = spawn_app(t).await;
    // The demo organisation's KvK number: its manager is told too.
    let c = fill_as(
        &app,
        "69599084",
        "Evil http://phish.example/x",
        "bas8@ketting.example",
        &[("Ria", "ria8@ketting.example")],
    )
    .await;
    submit(&app, &c).await;
    let token = link(&app, "ria8@ketting.example", "/registreren/goedkeuren/").await;
    post(
        &app,
        "registration/answer",
        None,
        &[("token", &token), ("besluit", "goedkeuren")],
    )
    .await;
    let bo = app.login(BACKOFFICE.0, BACKOFFICE.1, BACKOFFICE.2).await;
    let q = queue(&app, &bo).await;
    let rid = q[0]["request_id"].as_str().unwrap().to_string();
    app.call("backoffice/registration_approve", Some(&bo), &[("request_id", &rid)])
        .await;
    let all = app::server::db::outbox::list(&app.state.db, None, 200).await.unwrap();
    let wizard_mails: Vec<_> = all
        .iter()
        .filter(|m| ["ria8@ketting.example", "bas8@ketting.example", MANAGER.0].contains(&m.recipient.as_str()))
        .filter(|m| m.channel == app::server::db::outbox::Channel::Email)
        .collect();
    // Representative, applicant (code, received, approved ×2, activation), existing manager.
    assert!(wizard_mails.len() >= 6, "{}", wizard_mails.len());
    let mut defanged = 0;
    for m in &wizard_mails {
        assert!(!m.body.contains("phish.example"), "{}", m.body);
        assert!(!m.body.contains("http://phish"), "{}", m.body);
        defanged += usize::from(m.body.contains("Evil http[:]//phish[.]example/x"));
    }
    assert!(defanged >= 5, "the name is there, as inert text ({defanged})");
});

both_dbs!(existing_managers_can_object_once, |t| async move {
    let app = spawn_app(t).await;
    let c = fill(
        &app,
        "69599084",
        "bas9@ketting.example",
        &[("Ria", "ria9@ketting.example")],
    )
    .await;
    submit(&app, &c).await;
    let token = link(&app, MANAGER.0, "/registreren/bezwaar/").await;
    assert_eq!(token.len(), 43);
    let unused = "SELECT COUNT(*) FROM verification_tokens WHERE purpose = 'object_registration' AND used_at IS NULL";
    assert_eq!(app.scalar(unused).await, 1);
    // Looking (a mail scanner) changes nothing.
    let page = app.get(&format!("/registreren/bezwaar/{token}"), None).await;
    assert!(
        page.body.contains("Bas Jansen") && page.body.contains("Bezwaar maken"),
        "{}",
        page.body
    );
    app.get(&format!("/registreren/bezwaar/{token}"), None).await;
    assert_eq!(app.scalar(unused).await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM registration_objections WHERE objected_at IS NOT NULL")
            .await,
        0
    );
    let reason = "Deze persoon werkt hier niet.";
    let r = post(
        &app,
        "registration/object",
        None,
        &[("token", &token), ("reason", reason)],
    )
    .await;
    assert!(r.location.ends_with("?melding=bezwaar-ontvangen"), "{}", r.location);
    let r = post(
        &app,
        "registration/object",
        None,
        &[("token", &token), ("reason", "nog eens")],
    )
    .await;
    assert!(
        !r.location.contains("melding"),
        "one objection per link: {}",
        r.location
    );
    let page = app.get(&format!("/registreren/bezwaar/{token}"), None).await;
    assert!(page.body.contains("al bezwaar gemaakt"), "{}", page.body);
    assert_eq!(app.scalar(unused).await, 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'registration_objected'")
            .await,
        1
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM request_events WHERE event = 'registration_objected'")
            .await,
        1
    );
    // The back office sees the objection on the item.
    let rep = link(&app, "ria9@ketting.example", "/registreren/goedkeuren/").await;
    post(
        &app,
        "registration/answer",
        None,
        &[("token", &rep), ("besluit", "goedkeuren")],
    )
    .await;
    let bo = app.login(BACKOFFICE.0, BACKOFFICE.1, BACKOFFICE.2).await;
    let q = queue(&app, &bo).await;
    let objections = q[0]["objections"].as_array().unwrap();
    assert_eq!(objections.len(), 1);
    assert_eq!(objections[0][2], reason);
    let page = app.get("/backoffice", Some(&bo)).await;
    assert!(
        page.body.contains("Bezwaar van een bestaande beheerder"),
        "{}",
        page.body
    );
    assert!(page.body.contains(reason), "{}", page.body);
    // A registration for a KvK number nobody manages mails no one else.
    let c = fill(
        &app,
        "48901234",
        "bas10@ketting.example",
        &[("Ria", "ria10@ketting.example")],
    )
    .await;
    submit(&app, &c).await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM verification_tokens WHERE purpose = 'object_registration'")
            .await,
        1
    );
});

both_dbs!(unfinished_drafts_are_purged_with_their_files, |t| async move {
    use app::server::service::registration_draft::purge_expired;
    let app = spawn_app(t).await;
    let r = step(
        &app,
        None,
        1,
        &[("kvk", "49012345"), ("org_name", "De Ketting B.V.")],
        &[],
    )
    .await;
    let c = r.cookie_value("bm_registratie").unwrap();
    step(
        &app,
        Some(&c),
        2,
        &[("extract_date", "25-05-2026")],
        &[("extract", PDF)],
    )
    .await;
    assert_eq!((drafts(&app).await, stored_files(&app).await), (1, 1));
    app.clock.advance_ms(23 * 3_600_000);
    assert_eq!(purge_expired(&app.state).await.unwrap(), 0, "younger than 24 hours");
    assert_eq!((drafts(&app).await, stored_files(&app).await), (1, 1));
    app.clock.advance_ms(2 * 3_600_000);
    assert_eq!(purge_expired(&app.state).await.unwrap(), 1);
    assert_eq!((drafts(&app).await, stored_files(&app).await), (0, 0));
    // The cookie's draft is gone: a step starts anew.
    let r = step(&app, Some(&c), 2, &[("arrange_extract", "on")], &[]).await;
    assert!(r.cookie_value("bm_registratie").is_some());
});

both_dbs!(all_drafts_together_fill_no_disk, |t| async move {
    // Room for two extracts among all drafts, whichever addresses they come from.
    let app = spawn_app_with(t, |c| c.drafts_total_max_bytes = 2 * PDF.len() as i64 + 10).await;
    let mut kept = Vec::new();
    for i in 0..3 {
        let r = step(
            &app,
            None,
            1,
            &[("kvk", "41234567"), ("org_name", &format!("Org {i}")), ("branch", "")],
            &[],
        )
        .await;
        let c = r.cookie_value("bm_registratie").expect("a draft");
        let r = step(
            &app,
            Some(&c),
            2,
            &[("extract_date", "25-05-2026")],
            &[("extract", PDF)],
        )
        .await;
        kept.push((c, r.location));
    }
    assert_eq!(kept[0].1, "/registreren?stap=3");
    assert_eq!(kept[1].1, "/registreren?stap=3");
    assert_eq!(
        kept[2].1, "/registreren?stap=2&melding=dienst-vol",
        "the third file waits"
    );
    assert_eq!(stored_files(&app).await, 2);
    let page = app.get("/registreren?stap=2&melding=dienst-vol", None).await;
    assert!(page.body.contains("te veel onvoltooide aanmeldingen"), "{}", page.body);
    // Replacing a draft's own file needs no extra room.
    let r = step(
        &app,
        Some(&kept[0].0),
        2,
        &[("extract_date", "25-05-2026")],
        &[("extract", PDF)],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=3");
    // Once the others are purged there is room again.
    app.clock.advance_ms(DAY_MS + 1);
    app::server::service::registration_draft::purge_expired(&app.state)
        .await
        .unwrap();
    let r = step(
        &app,
        Some(&kept[2].0),
        2,
        &[("extract_date", "25-05-2026")],
        &[("extract", PDF)],
    )
    .await;
    assert!(
        r.location.contains("concept-verlopen") || r.location == "/registreren?stap=3",
        "{}",
        r.location
    );
    let r = step(
        &app,
        None,
        1,
        &[("kvk", "41234567"), ("org_name", "Org 4"), ("branch", "")],
        &[],
    )
    .await;
    let c = r.cookie_value("bm_registratie").expect("a draft");
    let r = step(
        &app,
        Some(&c),
        2,
        &[("extract_date", "25-05-2026")],
        &[("extract", PDF)],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=3");
});
