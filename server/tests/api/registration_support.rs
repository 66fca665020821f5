//! Helpers for the registration API tests: the wizard's multipart steps, plain form
//! posts, the applicant's e-mail code, links from the outbox, files on disk and the
//! registration's state.

use crate::helpers::TestApp;

pub const BACKOFFICE: (&str, &str, &str) = ("backoffice@demo.example", "Demo-backoffice-2026!", "+31611112222");
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\nrest-of-a-picture";
pub const DAY_MS: i64 = 24 * 3_600_000;

pub use crate::http_client::Res;

/// Sends `req`; no wizard answer may be a server error.
pub async fn send(app: &TestApp, req: reqwest::RequestBuilder) -> Res {
    let res = crate::http_client::send(app, req).await;
    assert!(res.status < 500, "server error: {res:?}");
    res
}

/// One wizard step as the browser posts it (multipart, with the draft cookie).
pub async fn step(
    app: &TestApp,
    cookie: Option<&str>,
    n: usize,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> Res {
    let mut form = reqwest::multipart::Form::new()
        .text("stap", n.to_string())
        .text("ga", "verder");
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (k, bytes) in files {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("bestand");
        form = form.part(format!("{k}_file"), part);
    }
    let mut req = app
        .http
        .post(format!("{}/api/registration/step", app.addr))
        .header("Origin", "http://127.0.0.1:3000")
        .header("Accept", "text/html")
        .multipart(form);
    if let Some(c) = cookie {
        req = req.header("Cookie", format!("bm_registratie={c}"));
    }
    send(app, req).await
}

pub async fn post(app: &TestApp, endpoint: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Res {
    let res = crate::http_client::form(app, endpoint, cookie, form, true).await;
    assert!(res.status < 500, "server error: {res:?}");
    res
}

pub fn person<'a>(p: &str, given: &'a str, email: &'a str, mobile: &'a str) -> Vec<(String, &'a str)> {
    vec![
        (format!("{p}_given_names"), given),
        (format!("{p}_surname"), "Jansen"),
        (format!("{p}_email"), email),
        (format!("{p}_mobile"), mobile),
    ]
}

pub fn pairs(v: &[(String, &str)]) -> Vec<(&'static str, String)> {
    v.iter()
        .map(|(k, val)| (&*Box::leak(k.clone().into_boxed_str()), val.to_string()))
        .collect()
}

/// Fills in every step validly; returns the draft cookie.
pub async fn fill(app: &TestApp, kvk: &str, manager_email: &str, reps: &[(&str, &str)]) -> String {
    fill_as(app, kvk, "Fietsenmakerij De Ketting B.V.", manager_email, reps).await
}

/// As [`fill`], with the organisation's name as typed.
pub async fn fill_as(app: &TestApp, kvk: &str, org_name: &str, manager_email: &str, reps: &[(&str, &str)]) -> String {
    let r = step(
        app,
        None,
        1,
        &[("kvk", kvk), ("org_name", org_name), ("branch", "")],
        &[],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=2", "{}", r.body);
    let c = r.cookie_value("bm_registratie").expect("draft cookie");
    let r = step(app, Some(&c), 2, &[("extract_date", "25-05-2026")], &[("extract", PDF)]).await;
    assert_eq!(r.location, "/registreren?stap=3");
    let signing = if reps.len() > 1 { "jointly" } else { "alone" };
    let mut fields: Vec<(String, &str)> = vec![("signing".into(), signing)];
    let mut files = vec![];
    for (i, (given, email)) in reps.iter().enumerate() {
        fields.extend(person(&format!("rep{i}"), given, email, "0611111111"));
        files.push((if i == 0 { "rep0" } else { "rep1" }, PNG));
    }
    let f = pairs(&fields);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = step(app, Some(&c), 3, &f, &files).await;
    assert_eq!(r.location, "/registreren?stap=4", "{}", r.body);
    let mut m = person("manager", "Bas", manager_email, "0622222222");
    m.push(("manager_birth_date".into(), "01-02-1980"));
    m.push(("manager_employed".into(), "ja"));
    let f = pairs(&m);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = step(app, Some(&c), 4, &f, &[("manager", PDF)]).await;
    assert_eq!(r.location, "/registreren?stap=5");
    let r = step(
        app,
        Some(&c),
        5,
        &[
            ("contract_name", "Ria Jansen"),
            ("contract_email", "ria@ketting.example"),
            ("level", "EH3"),
        ],
        &[],
    )
    .await;
    assert_eq!(r.location, "/registreren?stap=6");
    c
}

pub const CODE_SUBJECT: &str = "Uw code om uw e-mailadres te bevestigen";

/// Submits (a code goes to the applicant), confirms with the code from that e-mail;
/// returns the status path.
pub async fn submit(app: &TestApp, cookie: &str) -> String {
    let r = post(app, "registration/submit", Some(&draft(cookie)), &[]).await;
    assert_eq!(r.location, "/registreren?stap=6&melding=code-verstuurd");
    let code = newest_code(app).await;
    let r = post(app, "registration/confirm", Some(&draft(cookie)), &[("code", &code)]).await;
    assert!(r.location.starts_with("/registreren/status/"), "{r:?}", r = r.location);
    r.location.split('?').next().unwrap().to_string()
}

/// The `Cookie` header of a draft.
pub fn draft(cookie: &str) -> String {
    format!("bm_registratie={cookie}")
}

/// The code in the newest confirmation e-mail (to whomever).
pub async fn newest_code(app: &TestApp) -> String {
    let rows = app::server::db::outbox::list(&app.state.db, None, 50).await.unwrap();
    let body = &rows
        .iter()
        .find(|r| r.subject.as_deref() == Some(CODE_SUBJECT))
        .expect("a code e-mail")
        .body;
    app::server::notify::extract_code(body).expect("a code in the e-mail")
}

/// E-mails to `to` in the outbox.
pub async fn mails_to(app: &TestApp, to: &str) -> Vec<app::server::db::outbox::OutboxRow> {
    app::server::db::outbox::list(&app.state.db, Some(to), 100)
        .await
        .unwrap()
}

/// Stored document files (the `document_files` table every instance reads).
pub async fn stored_files(app: &TestApp) -> usize {
    app.scalar("SELECT COUNT(*) FROM document_files").await as usize
}

/// The link token in the newest e-mail to `to` that holds `marker`.
pub async fn link(app: &TestApp, to: &str, marker: &str) -> String {
    let rows = app::server::db::outbox::list(&app.state.db, Some(to), 20)
        .await
        .unwrap();
    let body = rows
        .iter()
        .find(|r| r.body.contains(marker))
        .map(|r| r.body.clone())
        .expect("a mail with the link");
    let line = body.lines().find(|l| l.contains(marker)).unwrap();
    line.rsplit('/').next().unwrap().trim().to_string()
}

pub async fn state_of(app: &TestApp, kvk: &str) -> String {
    sqlx::query_scalar::<_, String>(
        "SELECT r.state FROM requests r JOIN registrations g ON g.request_id = r.id WHERE g.kvk_number = $1",
    )
    .bind(kvk)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap()
}

pub async fn queue(app: &TestApp, session: &str) -> serde_json::Value {
    let r = app.call("backoffice/registrations", Some(session), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// A fresh status link for the applicant (a status link works 24 hours): asks for one
/// and returns the path in the newest such e-mail.
pub async fn fresh_status(app: &TestApp, applicant: &str) -> String {
    const SUBJECT: &str = "Nieuwe link naar de status van uw aanmelding";
    let before = mails_to(app, applicant)
        .await
        .iter()
        .filter(|m| m.subject.as_deref() == Some(SUBJECT))
        .count();
    let r = post(app, "registration/status_link", None, &[("email", applicant)]).await;
    assert_eq!(r.location, "/registreren/status?melding=link-verstuurd");
    for _ in 0..100 {
        let mails = mails_to(app, applicant).await;
        let fresh: Vec<_> = mails.iter().filter(|m| m.subject.as_deref() == Some(SUBJECT)).collect();
        if fresh.len() > before {
            let line = fresh[0]
                .body
                .lines()
                .find(|l| l.contains("/registreren/status/"))
                .expect("the link");
            return line.trim().trim_start_matches("http://127.0.0.1:3000").to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no fresh status link for {applicant}");
}
