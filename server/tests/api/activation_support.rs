//! What the activation tests share: HTTP as the phone's browser sends it (plain form posts
//! and pages), a means requested straight through the service, the link token, and the
//! steps everyone takes (link, code, password).

use crate::helpers::{TestApp, MANAGER};
use app::domain::person_request::{PersonRequest, RequestFields};
use app::domain::time::date_amsterdam;
use app::domain::value::AssuranceLevel;
use app::server::service::means_request::{request_means, Requester};

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
    let now = app.state.now();
    let fields = RequestFields {
        given_names: "Noor".into(),
        prefix: "van".into(),
        surname: "Dijk".into(),
        birth_date: "02-02-1992".into(),
        email: email.into(),
        mobile: "06 2233 4455".into(),
        employed: if employed { "ja" } else { "nee" }.into(),
        level: level.into(),
    };
    let person = PersonRequest::from_fields(&fields, date_amsterdam(now), AssuranceLevel::Eh4).expect("valid");
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let org: String = sqlx::query_scalar("SELECT id FROM organisations ORDER BY name LIMIT 1")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let manager: String = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
        .bind(MANAGER.0)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let org_name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(&org)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let by = Requester {
        account_id: &manager,
        organisation_id: &org,
        organisation_name: &org_name,
        manager_level: AssuranceLevel::Eh4,
        public_url: "http://127.0.0.1:3000",
        link_ttl_ms: app.state.config.activation_ttl_ms,
    };
    let out = request_means(&mut conn, &by, &[person], None, now).await.unwrap();
    assert_eq!(out.created, 1);
    link_token(app, email).await
}

pub(crate) async fn link_token(app: &TestApp, email: &str) -> String {
    let mail = app::server::db::outbox::list(&app.state.db, Some(email), 1)
        .await
        .unwrap()
        .remove(0);
    let link = mail
        .body
        .lines()
        .find(|l| l.starts_with("http://127.0.0.1:3000/activeren/"))
        .expect("the link on a line of its own")
        .to_string();
    link.rsplit('/').next().unwrap().to_string()
}

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
