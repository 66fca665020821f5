//! The public wizard's guards (issue 12): drafts per client address, named file slots and
//! a total size per draft, the applicant's own address confirmed before any other e-mail,
//! and representatives other than the applicant (the rest: `registration_guard_later`).
//! Every test on both databases.

use crate::both_dbs;
use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use crate::registration_support::*;

pub(crate) async fn drafts(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM registration_drafts").await
}

/// Step 1 as the browser posts it, from `client` through the trusted proxy.
pub(crate) async fn first_step_from(app: &TestApp, client: &str) -> Res {
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
    let cookie = first.cookie_value("bm_registratie").expect("a draft");
    assert!(first_step_from(&app, "198.51.100.7")
        .await
        .cookie_value("bm_registratie")
        .is_some());
    let (before, files) = (drafts(&app).await, stored_files(&app).await);
    let third = first_step_from(&app, "198.51.100.7").await;
    assert!(
        third.location.starts_with("/registreren?melding=netwerk-limiet&over="),
        "{}",
        third.location
    );
    assert!(third.cookie_value("bm_registratie").is_none());
    assert_eq!(drafts(&app).await, before, "nothing stored");
    assert_eq!(stored_files(&app).await, files, "nothing written");
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
    assert!(first_step_from(&app, "198.51.100.8")
        .await
        .cookie_value("bm_registratie")
        .is_some());
    // A bare X-Forwarded-For counts only from the trusted proxy: without one, the peer.
    let app2 = spawn_app_with(crate::helpers::TestDb::new(crate::helpers::Which::Sqlite).await, |c| {
        c.address_limits.drafts_per_hour = 1
    })
    .await;
    assert!(first_step_from(&app2, "198.51.100.1")
        .await
        .cookie_value("bm_registratie")
        .is_some());
    assert!(first_step_from(&app2, "198.51.100.2")
        .await
        .cookie_value("bm_registratie")
        .is_none());
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
    let c = r.cookie_value("bm_registratie").unwrap();
    let r = step(
        &app,
        Some(&c),
        3,
        &[("signing", "alone")],
        &[("rep7", PNG), ("../manager", PNG)],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=3&melding=bestand-onbekend");
    assert_eq!(stored_files(&app).await, 0, "no unknown slot is stored");
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
    assert_eq!(stored_files(&app).await, 1, "the refused file is not stored");
    let page = app.get(&r.location, None).await;
    assert!(page.body.contains("wordt uw aanmelding te groot"), "{}", page.body);
    let r = step(&app, Some(&c), 4, &[], &[("manager", PNG)]).await;
    assert!(!r.location.contains("melding"), "{}", r.location);
    assert_eq!(stored_files(&app).await, 2);
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
    assert_eq!(stored_files(&app).await, 2, "the replaced file is deleted");
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
    let c = r.cookie_value("bm_registratie").unwrap();
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
