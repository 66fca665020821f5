//! What the activation tests share: HTTP as the phone's browser sends it (plain form posts
//! and pages), a means requested straight through the service, and the steps everyone
//! takes (link, code, password).

use crate::helpers::TestApp;

pub const BACKOFFICE: (&str, &str, &str) = ("backoffice@demo.example", "Demo-backoffice-2026!", "+31611112222");
pub(crate) const GOOD_PASSWORD: &str = "groene appels op de fiets";
pub(crate) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

pub(crate) use crate::http_client::{page, send, Res};

/// A plain form post from one of our pages, as a browser without JavaScript sends it.
pub(crate) async fn post(app: &TestApp, endpoint: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Res {
    crate::http_client::form(app, endpoint, cookie, form, true).await
}

/// Requests a means for a new person straight through the service (so any level can be
/// tested, whatever the demo manager's own level), and returns the raw link token.
pub(crate) async fn requested(app: &TestApp, email: &str, level: &str, employed: bool) -> String {
    crate::request_support::requested_named(app, 0, ("Noor", "van", "Dijk"), email, MOBILE_TYPED, level, employed).await
}

/// [`MOBILE`] as a manager types it.
const MOBILE_TYPED: &str = "06 2233 4455";

pub(crate) const MOBILE: &str = "+31622334455";

pub(crate) async fn request_state(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar(
        "SELECT r.state FROM requests r JOIN means m ON m.id = r.means_id WHERE m.email = $1 ORDER BY r.created_at DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap()
}

pub(crate) async fn means_state(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT m.state FROM means m WHERE m.email = $1")
        .bind(email)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// Confirms the link; returns the activation cookie header value.
pub(crate) async fn confirm(app: &TestApp, token: &str) -> String {
    let r = post(app, "activation/confirm", None, &[("token", token)]).await;
    assert_eq!((r.status, r.location.as_str()), (302, "/activeren"), "{}", r.body);
    format!(
        "bm_activatie={}",
        r.cookie_value("bm_activatie").expect("activation cookie")
    )
}

/// Link, code and password: where a person stands after the steps everyone takes.
pub(crate) async fn through_password(app: &TestApp, token: &str) -> String {
    let cookie = confirm(app, token).await;
    let code = app.latest_code(MOBILE).await;
    let r = post(app, "activation/code", Some(&cookie), &[("code", &code)]).await;
    assert_eq!(r.location, "/activeren", "{}", r.body);
    let r = post(
        app,
        "activation/password",
        Some(&cookie),
        &[("password", GOOD_PASSWORD), ("repeat", GOOD_PASSWORD)],
    )
    .await;
    assert_eq!(r.location, "/activeren");
    cookie
}
