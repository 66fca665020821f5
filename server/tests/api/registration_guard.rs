//! The public wizard's guards (issue 12): drafts per client address, named file slots and
//! a total size per draft, the applicant's own address confirmed before any other e-mail,
//! representatives other than the applicant, no links in strangers' text, the existing
//! managers' objection, and the purge of unfinished drafts. Every test on both databases.

use crate::both_dbs;
use crate::helpers::{spawn_app, spawn_app_with, TestApp, MANAGER};
use crate::registration_support::*;

async fn drafts(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM registration_drafts").await
}

/// Step 1 as the browser posts it, from `client` through the trusted proxy.
async fn first_step_from(app: &TestApp, client: &str) -> Res {
    let form = reqwest::multipart::Form::new()
        .text("stap", "1")
        .text("ga", "verder")
        .text("kvk", "41234567")
        .text("org_name", "Fietsenmakerij De Ketting B.V.")
        .part(
            "extract_file",
            reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("x.pdf"),
        );
    let req = app
        .http
        .post(format!("{}/api/registration/step", app.addr))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Accept", "text/html")
        .header("X-Forwarded-For", client)
        .multipart(form);
    send(app, req).await
}

both_dbs!(new_drafts_per_address_are_limited, |t| async move {
    let app = spawn_app_with(t, |c| {
        c.address_limits.drafts_per_hour = 2;
        c.trusted_proxy = Some("127.0.0.1".parse().unwrap());
    })
    .await;
    let first = first_step_from(&app, "198.51.100.7").await;
    let cookie = first.draft_cookie.expect("a draft");
    assert!(first_step_from(&app, "198.51.100.7").await.draft_cookie.is_some());
    let (before, files) = (drafts(&app).await, files_on_disk(&app));
    let third = first_step_from(&app, "198.51.100.7").await;
    assert!(
        third.location.starts_with("/registreren?melding=netwerk-limiet&over="),
        "{}",
        third.location
    );
    assert!(third.draft_cookie.is_none());
    assert_eq!(drafts(&app).await, before, "nothing stored");
    assert_eq!(files_on_disk(&app), files, "nothing written");
    // The page says it in Dutch, with the minutes the server chose (and nothing else).
    let minutes = third.location.rsplit('=').next().unwrap();
    let page = app.get(&third.location, None).await;
    assert!(page.body.contains("te veel aanmeldingen begonnen"), "{}", page.body);
    assert!(
        page.body
            .contains(&format!("Probeer het over {minutes} minuten opnieuw")),
        "{}",
        page.body
    );
    let page = app
        .get("/registreren?melding=netwerk-limiet&over=%3Cscript%3E", None)
        .await;
    assert!(!page.body.contains("Probeer het over"), "free text is never shown");
    // A draft already started goes on; another address has its own budget.
    let r = step(&app, Some(&cookie), 2, &[("arrange_extract", "on")], &[]).await;
    assert_eq!(r.location, "/registreren?stap=3");
    assert!(first_step_from(&app, "198.51.100.8").await.draft_cookie.is_some());
    // A bare X-Forwarded-For counts only from the trusted proxy: without one, the peer.
    let app2 = spawn_app_with(crate::helpers::TestDb::new(crate::helpers::Which::Sqlite).await, |c| {
        c.address_limits.drafts_per_hour = 1
    })
    .await;
    assert!(first_step_from(&app2, "198.51.100.1").await.draft_cookie.is_some());
    assert!(first_step_from(&app2, "198.51.100.2").await.draft_cookie.is_none());
});

both_dbs!(files_go_only_into_named_slots_within_a_total, |t| async move {
    let app = spawn_app_with(t, |c| c.draft_max_bytes = 100).await;
    let r = step(
        &app,
        None,
        1,
        &[("kvk", "41234567"), ("org_name", "De Ketting B.V.")],
        &[],
    )
    .await;
    let c = r.draft_cookie.unwrap();
    let r = step(
        &app,
        Some(&c),
        3,
        &[("signing", "alone")],
        &[("rep7", PNG), ("../manager", PNG)],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=3&melding=bestand-onbekend");
    assert_eq!(files_on_disk(&app), 0, "no unknown slot reaches the disk");
    let page = app.get(&r.location, None).await;
    assert!(page.body.contains("hoorde bij geen van de vragen"), "{}", page.body);
    // Within the total: the extract (47 bytes) and an ID (25 bytes) fit; a second ID not.
    let r = step(
        &app,
        Some(&c),
        2,
        &[("extract_date", "25-05-2026")],
        &[("extract", PDF)],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=3");
    let big_png: Vec<u8> = [PNG, &[0u8; 40][..]].concat();
    let r = step(&app, Some(&c), 4, &[], &[("manager", &big_png)]).await;
    assert_eq!(r.location, "/registreren?stap=4&melding=bestanden-vol");
    assert_eq!(files_on_disk(&app), 1, "the refused file is not stored");
    let page = app.get(&r.location, None).await;
    assert!(page.body.contains("wordt uw aanmelding te groot"), "{}", page.body);
    let r = step(&app, Some(&c), 4, &[], &[("manager", PNG)]).await;
    assert!(!r.location.contains("melding"), "{}", r.location);
    assert_eq!(files_on_disk(&app), 2);
    // Replacing a file counts only the new one: 70 + 25 bytes fit, 48 + 70 + 25 would not.
    let larger_pdf: Vec<u8> = [PDF, &[b' '; 22][..]].concat();
    let r = step(
        &app,
        Some(&c),
        2,
        &[("extract_date", "25-05-2026")],
        &[("extract", &larger_pdf)],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=3");
    assert_eq!(files_on_disk(&app), 2, "the replaced file is deleted");
});

both_dbs!(
    nothing_goes_to_a_representative_before_the_applicant_confirms,
    |t| async move {
        let app = spawn_app(t).await;
        let c = fill(
            &app,
            "45678901",
            "bas5@ketting.example",
            &[("Ria", "ria5@ketting.example")],
        )
        .await;
        let r = post(&app, "registration/submit", Some(&draft(&c)), &[]).await;
        assert_eq!(r.location, "/registreren?stap=6&melding=code-verstuurd");
        assert!(mails_to(&app, "ria5@ketting.example").await.is_empty());
        assert_eq!(app.scalar("SELECT COUNT(*) FROM registrations").await, 0);
        let code_mails = mails_to(&app, "bas5@ketting.example").await;
        assert_eq!(code_mails.len(), 1);
        assert!(
            !code_mails[0].body.contains("Ketting"),
            "no typed text in the code mail"
        );
        let page = app
            .http
            .get(format!("{}{}", app.addr, r.location))
            .header("Cookie", draft(&c))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Bevestig uw e-mailadres"), "{page}");
        // A wrong code does nothing; submitting again sends no second code while one is live.
        let code = newest_code(&app).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let r = post(&app, "registration/confirm", Some(&draft(&c)), &[("code", wrong)]).await;
        assert_eq!(r.location, "/registreren?stap=6&melding=code-onjuist");
        let r = post(&app, "registration/submit", Some(&draft(&c)), &[]).await;
        assert_eq!(r.location, "/registreren?stap=6&melding=code-verstuurd");
        assert_eq!(mails_to(&app, "bas5@ketting.example").await.len(), 1);
        assert!(mails_to(&app, "ria5@ketting.example").await.is_empty());
        // A new code kills the old one.
        let r = post(&app, "registration/code", Some(&draft(&c)), &[]).await;
        assert_eq!(r.location, "/registreren?stap=6&melding=code-opnieuw");
        let fresh = newest_code(&app).await;
        if fresh != code {
            let r = post(&app, "registration/confirm", Some(&draft(&c)), &[("code", &code)]).await;
            assert_eq!(r.location, "/registreren?stap=6&melding=code-onjuist");
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM registrations").await, 0);
        let r = post(&app, "registration/confirm", Some(&draft(&c)), &[("code", &fresh)]).await;
        assert!(r.location.starts_with("/registreren/status/"), "{}", r.location);
        assert_eq!(
            mails_to(&app, "ria5@ketting.example").await.len(),
            1,
            "now the representative hears"
        );
        assert_eq!(app.scalar("SELECT COUNT(*) FROM registrations").await, 1);
        let stored: String = sqlx::query_scalar("SELECT COALESCE(MAX(email_check), '') FROM registration_drafts")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert!(!stored.contains(&fresh), "no code is stored, and the draft is gone");
    }
);

both_dbs!(codes_are_limited_and_tied_to_the_address, |t| async move {
    let app = spawn_app(t).await;
    let c = fill(
        &app,
        "46789012",
        "bas6@ketting.example",
        &[("Ria", "ria6@ketting.example")],
    )
    .await;
    post(&app, "registration/submit", Some(&draft(&c)), &[]).await;
    let code = newest_code(&app).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        let r = post(&app, "registration/confirm", Some(&draft(&c)), &[("code", wrong)]).await;
        assert_eq!(r.location, "/registreren?stap=6&melding=code-onjuist");
    }
    let r = post(&app, "registration/confirm", Some(&draft(&c)), &[("code", wrong)]).await;
    assert_eq!(r.location, "/registreren?stap=6&melding=code-op", "five tries");
    let r = post(&app, "registration/confirm", Some(&draft(&c)), &[("code", &code)]).await;
    assert_eq!(
        r.location, "/registreren?stap=6&melding=code-op",
        "the right code is too late"
    );
    // Another applicant address drops what was sent for the old one.
    let mut m = person("manager", "Bas", "bas6b@ketting.example", "0622222222");
    m.push(("manager_birth_date".into(), "01-02-1980"));
    m.push(("manager_employed".into(), "ja"));
    let f = pairs(&m);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(step(&app, Some(&c), 4, &f, &[]).await.location, "/registreren?stap=5");
    let r = post(&app, "registration/confirm", Some(&draft(&c)), &[("code", &code)]).await;
    assert_eq!(r.location, "/registreren?stap=6&melding=code-nodig");
    let r = post(&app, "registration/submit", Some(&draft(&c)), &[]).await;
    assert_eq!(r.location, "/registreren?stap=6&melding=code-verstuurd");
    assert_eq!(mails_to(&app, "bas6b@ketting.example").await.len(), 1);
    // Three codes per draft, whichever addresses: the fourth is refused.
    let r = post(&app, "registration/code", Some(&draft(&c)), &[]).await;
    assert_eq!(r.location, "/registreren?stap=6&melding=code-opnieuw");
    let r = post(&app, "registration/code", Some(&draft(&c)), &[]).await;
    assert_eq!(r.location, "/registreren?stap=6&melding=te-veel-codes");
    assert_eq!(mails_to(&app, "bas6b@ketting.example").await.len(), 2);
    // A code expires after 10 minutes.
    let code = newest_code(&app).await;
    app.clock.advance_ms(11 * 60_000);
    let r = post(&app, "registration/confirm", Some(&draft(&c)), &[("code", &code)]).await;
    assert_eq!(r.location, "/registreren?stap=6&melding=code-verlopen");
    assert!(mails_to(&app, "ria6@ketting.example").await.is_empty());
    assert_eq!(app.scalar("SELECT COUNT(*) FROM registrations").await, 0);
});

both_dbs!(a_representative_is_not_the_applicant, |t| async move {
    let app = spawn_app(t).await;
    let r = step(
        &app,
        None,
        1,
        &[("kvk", "47890123"), ("org_name", "De Ketting B.V.")],
        &[],
    )
    .await;
    let c = r.draft_cookie.unwrap();
    step(&app, Some(&c), 2, &[("arrange_extract", "on")], &[]).await;
    let f = pairs(&person("rep0", "Ria", "Bas7@Ketting.example", "0611111111"));
    let mut f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    f.push(("signing", "alone"));
    assert_eq!(
        step(&app, Some(&c), 3, &f, &[("rep0", PNG)]).await.location,
        "/registreren?stap=4"
    );
    let mut m = person("manager", "Bas", "bas7@ketting.example", "0622222222");
    m.push(("manager_birth_date".into(), "01-02-1980"));
    m.push(("manager_employed".into(), "ja"));
    let f = pairs(&m);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = step(&app, Some(&c), 4, &f, &[("manager", PDF)]).await;
    assert_eq!(r.location, "/registreren?stap=4", "the applicant's step is refused");
    let r = app
        .http
        .post(format!("{}/api/registration/wizard", app.addr))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Cookie", draft(&c))
        .form(&Vec::<(String, String)>::new())
        .send()
        .await
        .unwrap();
    let view: serde_json::Value = r.json().await.unwrap();
    let errors = view["errors"].as_array().unwrap();
    assert!(
        errors.iter().any(|e| e[0] == "rep0_email"
            && e[1] == "Het e-mailadres van de vertegenwoordiger moet anders zijn dan uw eigen e-mailadres."),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| e[0] == "manager_email"), "{errors:?}");
    let r = post(&app, "registration/submit", Some(&draft(&c)), &[]).await;
    assert_eq!(r.location, "/registreren?stap=3");
    assert!(
        mails_to(&app, "bas7@ketting.example").await.is_empty(),
        "no code, no mail"
    );
});

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
    let c = r.draft_cookie.unwrap();
    step(
        &app,
        Some(&c),
        2,
        &[("extract_date", "25-05-2026")],
        &[("extract", PDF)],
    )
    .await;
    assert_eq!((drafts(&app).await, files_on_disk(&app)), (1, 1));
    app.clock.advance_ms(23 * 3_600_000);
    assert_eq!(purge_expired(&app.state).await.unwrap(), 0, "younger than 24 hours");
    assert_eq!((drafts(&app).await, files_on_disk(&app)), (1, 1));
    app.clock.advance_ms(2 * 3_600_000);
    assert_eq!(purge_expired(&app.state).await.unwrap(), 1);
    assert_eq!((drafts(&app).await, files_on_disk(&app)), (0, 0));
    // The cookie's draft is gone: a step starts anew.
    let r = step(&app, Some(&c), 2, &[("arrange_extract", "on")], &[]).await;
    assert!(r.draft_cookie.is_some());
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
        let c = r.draft_cookie.expect("a draft");
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
    assert_eq!(files_on_disk(&app), 2);
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
    let c = r.draft_cookie.expect("a draft");
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
