//! Helpers for the identity tests: organisations with a manager of their own (so that two
//! tenants can be played against each other), requests through the real server function,
//! and the activation steps as plain form posts.

use crate::helpers::TestApp;
use crate::request_support::{post, Res};
use app::domain::authorisation::ScopeKind;
use app::domain::value::AssuranceLevel;
use app::server::auth::password::Secret;
use app::server::db::accounts::{self, AccountRow};
use app::server::db::authorisations::{self, AuthorisationRow};
use app::server::db::means::{self, MeansRow};
use app::server::db::new_id;
use app::server::db::organisations::{self, OrganisationRow};
use serde_json::{json, Value};

pub const TENANT_PASSWORD: &str = "zeven blauwe fietsen in de regen";
/// A password a victim chose (never on the common-password list, no name in it).
pub const HOLDER_PASSWORD: &str = "Wolken boven het IJsselmeer 42";

/// An organisation with one manager (EH4, bound account), logged in.
pub struct Tenant {
    pub org: String,
    pub name: String,
    pub manager_email: String,
    pub manager_mobile: String,
    /// `bm_session` value of the manager's complete session.
    pub session: String,
}

pub async fn tenant(app: &TestApp, kvk: &str, name: &str, manager_email: &str, manager_mobile: &str) -> Tenant {
    let now = app.state.now();
    let mut c = app.state.db.pool.acquire().await.unwrap();
    let org = OrganisationRow {
        id: new_id(),
        kvk_number: kvk.into(),
        branch_number: None,
        name: name.into(),
        created_at: now,
    };
    organisations::insert(&mut c, &org).await.unwrap();
    let account = AccountRow {
        id: new_id(),
        email: manager_email.into(),
        verified_mobile_e164: manager_mobile.into(),
        language: "nl".into(),
        is_backoffice: 0,
        staff_name: None,
        created_at: now,
        updated_at: now,
    };
    let hash = app.state.passwords.hash(&Secret::new(TENANT_PASSWORD)).await.unwrap();
    accounts::insert(&mut c, &account, &hash).await.unwrap();
    let m = MeansRow {
        id: new_id(),
        account_id: Some(account.id.clone()),
        organisation_id: org.id.clone(),
        email: manager_email.into(),
        given_names: "Beheerder".into(),
        prefix: None,
        surname: name.split_whitespace().next().unwrap_or("X").into(),
        birth_date: "1975-05-05".into(),
        mobile_e164: manager_mobile.into(),
        level: AssuranceLevel::Eh4,
        state: app::domain::means::MeansState::Active,
        employed: 1,
        valid_until: None,
        created_at: now,
        updated_at: now,
    };
    means::insert(&mut c, &m).await.unwrap();
    authorisations::insert(
        &mut c,
        &AuthorisationRow {
            id: new_id(),
            means_id: m.id.clone(),
            organisation_id: org.id.clone(),
            scope: ScopeKind::Manage,
            service_id: None,
            level: AssuranceLevel::Eh4,
            valid_from: now - 1,
            valid_until: now + 365 * 86_400_000,
            state: app::domain::authorisation::AuthorisationState::Active,
            revoked_reason: None,
            granted_by: None,
            created_at: now,
            updated_at: now,
        },
    )
    .await
    .unwrap();
    drop(c);
    let session = app.login(manager_email, TENANT_PASSWORD, manager_mobile).await;
    Tenant {
        org: org.id,
        name: name.into(),
        manager_email: manager_email.into(),
        manager_mobile: manager_mobile.into(),
        session,
    }
}

/// The tenant's manager requests a means through `request_means`; the raw JSON answer.
pub async fn request(
    app: &TestApp,
    t: &Tenant,
    given: &str,
    surname: &str,
    email: &str,
    mobile: &str,
    level: &str,
) -> Value {
    let rows = json!({ "rows": [{
        "given_names": given, "prefix": "", "surname": surname, "birth_date": "12-03-1970",
        "email": email, "mobile": mobile, "employed": "ja", "level": level
    }]});
    let r = app.call_json("request_means", Some(&t.session), &rows).await;
    assert_eq!(r.status, 200, "{r:?}");
    serde_json::from_str(&r.body).unwrap()
}

/// The raw token of the newest activation e-mail to `email` that names `org_name`.
pub async fn link_from(app: &TestApp, email: &str, org_name: &str) -> String {
    let mails = app::server::db::outbox::list(&app.state.db, Some(email), 50)
        .await
        .unwrap();
    let mail = mails
        .iter()
        .find(|m| m.subject.as_deref() == Some("Activeer uw eHerkenningsmiddel") && m.body.contains(org_name))
        .unwrap_or_else(|| panic!("an activation e-mail naming {org_name}"));
    let link = mail
        .body
        .lines()
        .find(|l| l.starts_with("http://127.0.0.1:3000/activeren/"))
        .expect("the link on a line of its own");
    link.rsplit('/').next().unwrap().to_string()
}

/// How many SMS went to `mobile` so far.
pub async fn sms_count(app: &TestApp, mobile: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND recipient = $1")
        .bind(mobile)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// The people of the tenant's organisation as its Gebruikers page lists them.
pub async fn people(app: &TestApp, t: &Tenant) -> Value {
    let r = app
        .call("list_people", Some(&t.session), &[("query", ""), ("page", "1")])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    serde_json::from_str(&r.body).unwrap()
}

/// Confirms a link: the activation cookie (`bm_activatie=…`).
pub async fn confirm(app: &TestApp, token: &str) -> String {
    let r = post(app, "activation/confirm", None, &[("token", token)]).await;
    assert_eq!(r.location, "/activeren", "{}", r.body);
    r.cookie_header("bm_activatie").expect("activation cookie")
}

pub async fn step(app: &TestApp, endpoint: &str, cookie: &str, form: &[(&str, &str)]) -> Res {
    post(app, &format!("activation/{endpoint}"), Some(cookie), form).await
}

/// The activation page as the person sees it.
pub async fn page(app: &TestApp, cookie: &str) -> String {
    let r = app
        .http
        .get(format!("{}/activeren", app.addr))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap();
    r.text().await.unwrap()
}

/// Completes a new account's activation: code to the requested mobile, then a password.
pub async fn activate_new(app: &TestApp, token: &str, mobile: &str, password: &str) -> String {
    let cookie = confirm(app, token).await;
    finish_new(app, &cookie, mobile, password).await;
    cookie
}

/// After the link: the code sent to `mobile`, then a new password.
pub async fn finish_new(app: &TestApp, cookie: &str, mobile: &str, password: &str) {
    let code = app.latest_code(mobile).await;
    let r = step(app, "code", cookie, &[("code", &code)]).await;
    assert_eq!(r.location, "/activeren", "{}", r.body);
    let r = step(app, "password", cookie, &[("password", password), ("repeat", password)]).await;
    assert_eq!(r.location, "/activeren", "{}", r.body);
}

/// The newest request for `email` in `org`: (id, state).
async fn newest_request(app: &TestApp, org: &str, email: &str) -> (String, String) {
    sqlx::query_as(
        "SELECT r.id, r.state FROM requests r JOIN means m ON m.id = r.means_id
         WHERE m.email = $1 AND r.organisation_id = $2 ORDER BY r.created_at DESC LIMIT 1",
    )
    .bind(email)
    .bind(org)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap()
}

pub async fn request_state_in(app: &TestApp, org: &str, email: &str) -> String {
    newest_request(app, org, email).await.1
}

pub async fn request_id_in(app: &TestApp, org: &str, email: &str) -> String {
    newest_request(app, org, email).await.0
}

pub async fn account_of(app: &TestApp, email: &str) -> Option<AccountRow> {
    let mut c = app.state.db.pool.acquire().await.unwrap();
    accounts::find_by_email(&mut c, email).await.unwrap()
}

pub async fn hash_of(app: &TestApp, email: &str) -> String {
    sqlx::query_scalar("SELECT password_hash FROM accounts WHERE email = $1")
        .bind(email)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}
