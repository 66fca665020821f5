//! Helpers for the request and means tests: plain form posts, the demo manager's session,
//! requesting a means for a new person through the service, and reading the outbox.

use crate::helpers::{TestApp, MANAGER};
use app::domain::person_request::{PersonRequest, RequestFields};
use app::domain::time::date_amsterdam;
use app::domain::value::AssuranceLevel;
use app::server::service::means_request::{request_means, Requester};

pub use crate::http_client::Res;

/// A plain form post as a browser without JavaScript sends it; `cookie` is a full header.
pub async fn post(app: &TestApp, endpoint: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Res {
    crate::http_client::form(app, endpoint, cookie, form, true).await
}

/// A call as the page's own code makes it (JSON back, no redirect).
pub async fn fetch(app: &TestApp, endpoint: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Res {
    crate::http_client::form(app, endpoint, cookie, form, false).await
}

pub async fn manager(app: &TestApp) -> String {
    format!("bm_session={}", app.login(MANAGER.0, MANAGER.1, MANAGER.2).await)
}

pub async fn id_of(app: &TestApp, sql: &str, bind: &str) -> String {
    sqlx::query_scalar(sql)
        .bind(bind)
        .fetch_one(&app.state.db.pool)
        .await
        .expect(sql)
}

pub async fn org(app: &TestApp, nth: i64) -> String {
    sqlx::query_scalar("SELECT id FROM organisations ORDER BY name LIMIT 1 OFFSET $1")
        .bind(nth)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// A new person's means requested in organisation `nth` (0 = the manager's current one);
/// returns the raw link token.
pub async fn requested(app: &TestApp, nth: i64, email: &str, mobile: &str, level: &str, employed: bool) -> String {
    let surname: String = email
        .split('@')
        .next()
        .unwrap()
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    requested_named(app, nth, ("Lotte", "", &surname), email, mobile, level, employed).await
}

/// As [`requested`], for a person of this name (given names, prefix, surname). Straight
/// through the service at the demo manager's EH4, so any level can be tested.
pub async fn requested_named(
    app: &TestApp,
    nth: i64,
    (given, prefix, surname): (&str, &str, &str),
    email: &str,
    mobile: &str,
    level: &str,
    employed: bool,
) -> String {
    let now = app.state.now();
    let fields = RequestFields {
        given_names: given.into(),
        prefix: prefix.into(),
        surname: surname.into(),
        birth_date: "02-02-1992".into(),
        email: email.into(),
        mobile: mobile.into(),
        employed: if employed { "ja" } else { "nee" }.into(),
        level: level.into(),
    };
    let person = PersonRequest::from_fields(&fields, date_amsterdam(now), AssuranceLevel::Eh4).expect("valid");
    let org = org(app, nth).await;
    let manager = id_of(app, "SELECT id FROM accounts WHERE email = $1", MANAGER.0).await;
    let mut conn = app.state.db.pool.acquire().await.unwrap();
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
    assert_eq!(
        request_means(&mut conn, &by, &[person], None, now)
            .await
            .unwrap()
            .created,
        1
    );
    link_token(app, email).await
}

pub async fn link_token(app: &TestApp, email: &str) -> String {
    let mail = app::server::db::outbox::list(&app.state.db, Some(email), 1)
        .await
        .unwrap()
        .remove(0);
    let link = mail
        .body
        .lines()
        .find(|l| l.starts_with("http://127.0.0.1:3000/activeren/"))
        .expect("link");
    link.rsplit('/').next().unwrap().to_string()
}

pub async fn request_of(app: &TestApp, email: &str) -> String {
    id_of(
        app,
        "SELECT r.id FROM requests r JOIN means m ON m.id = r.means_id WHERE m.email = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT 1",
        email,
    )
    .await
}

pub async fn value(app: &TestApp, sql: &str, bind: &str) -> String {
    id_of(app, sql, bind).await
}

pub async fn confirm(app: &TestApp, token: &str) -> String {
    let r = post(app, "activation/confirm", None, &[("token", token)]).await;
    assert_eq!(r.location, "/activeren", "{}", r.body);
    r.cookie_header("bm_activatie").expect("activation cookie")
}

pub async fn list(app: &TestApp, cookie: &str, pairs: &[(&str, &str)]) -> serde_json::Value {
    let mut form: Vec<(String, String)> = ["tab", "kind", "state", "q", "sort"]
        .iter()
        .map(|k| (format!("query[{k}]"), String::new()))
        .collect();
    form.push(("query[page]".into(), "1".into()));
    for (k, v) in pairs {
        form.retain(|(fk, _)| fk != &format!("query[{k}]"));
        form.push((format!("query[{k}]"), v.to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = fetch(app, "requests/list", Some(cookie), &pairs).await;
    assert_eq!(r.status, 200, "{}", r.body);
    serde_json::from_str(&r.body).unwrap()
}
