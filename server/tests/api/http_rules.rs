//! Issue 12, rule 5: HTTP. HSTS when `PUBLIC_URL` is https; `Cache-Control: no-store` on
//! every page and server-function answer; the `__Host-` cookie prefix over TLS (and only
//! the prefixed cookie counts there).

use crate::both_dbs;
use crate::helpers::{spawn_app, spawn_app_with, TestApp, USER};

const TLS: &str = "https://beheer.example";

async fn post_as(
    app: &TestApp,
    origin: &str,
    endpoint: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = app
        .http
        .post(format!("{}/api/{endpoint}", app.addr))
        .header("Origin", origin)
        .form(form);
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    req.send().await.unwrap()
}

fn header(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

fn set_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("\n")
}

both_dbs!(over_tls_hsts_and_host_prefixed_cookies, |t| async move {
    let app = spawn_app_with(t, |c| c.public_url = TLS.into()).await;
    let page = app.http.get(format!("{}/inloggen", app.addr)).send().await.unwrap();
    assert_eq!(
        header(&page, "strict-transport-security").as_deref(),
        Some("max-age=31536000; includeSubDomains")
    );
    let r = post_as(&app, TLS, "login", None, &[("email", USER.0), ("password", USER.1)]).await;
    assert_eq!(r.status(), 200);
    assert!(header(&r, "strict-transport-security").is_some());
    let cookies = set_cookie(&r);
    let pending = cookies
        .lines()
        .find_map(|l| l.strip_prefix("__Host-bm_session="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .unwrap_or_else(|| panic!("a __Host- cookie: {cookies}"));
    assert!(cookies.contains("; Secure") && cookies.contains("Path=/") && !cookies.contains("Domain="));
    let code = app.latest_code(USER.2).await;
    // The same value without the prefix could have been planted by anyone: it does not count.
    let r = post_as(
        &app,
        TLS,
        "verify_code",
        Some(&format!("bm_session={pending}")),
        &[("code", &code)],
    )
    .await;
    assert_eq!(r.status(), 422, "{}", r.text().await.unwrap());
    let r = post_as(
        &app,
        TLS,
        "verify_code",
        Some(&format!("__Host-bm_session={pending}")),
        &[("code", &code)],
    )
    .await;
    assert_eq!(r.status(), 200);
    assert!(set_cookie(&r).starts_with("__Host-bm_session="), "{}", set_cookie(&r));
});

both_dbs!(nothing_but_the_built_site_may_be_cached, |t| async move {
    let app = spawn_app(t).await;
    for path in ["/inloggen", "/registreren", "/health", "/mijn"] {
        let r = app.http.get(format!("{}{path}", app.addr)).send().await.unwrap();
        assert_eq!(header(&r, "cache-control").as_deref(), Some("no-store"), "{path}");
        assert_eq!(header(&r, "strict-transport-security"), None, "plain http: no HSTS");
    }
    let session = app.login(USER.0, USER.1, USER.2).await;
    let page = app.get("/mijn", Some(&session)).await;
    assert_eq!(page.status, 200);
    let r = app
        .http
        .get(format!("{}/mijn", app.addr))
        .header("Cookie", format!("bm_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&r, "cache-control").as_deref(), Some("no-store"));
    let r = post_as(
        &app,
        "http://127.0.0.1:3000",
        "current_user",
        Some(&format!("bm_session={session}")),
        &[],
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        header(&r, "cache-control").as_deref(),
        Some("no-store"),
        "server functions too"
    );
    let r = post_as(
        &app,
        "http://127.0.0.1:3000",
        "login",
        None,
        &[("email", USER.0), ("password", "fout")],
    )
    .await;
    assert_eq!(
        header(&r, "cache-control").as_deref(),
        Some("no-store"),
        "and their errors"
    );
});
