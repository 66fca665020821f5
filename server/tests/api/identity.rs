//! Issue 11: what one organisation types is visible and effective for that organisation
//! only, and an account is changed only by its holder. The attack: organisation A requests
//! a means for `ceo@victim.nl` with A's own mobile; later organisation B requests one for
//! the same address with the real mobile. Played with A's request lapsed and still open.

use crate::both_dbs;
use crate::helpers::{spawn_app, TestApp};
use crate::identity_support::*;

const VICTIM: &str = "ceo@victim.nl";
const A_MOBILE: &str = "+31611110000";
const B_MOBILE: &str = "+31622220000";

async fn two_tenants(app: &TestApp) -> (Tenant, Tenant) {
    let a = tenant(
        app,
        "30000001",
        "Aanvaller Holding B.V.",
        "baas@aanvaller.nl",
        "+31630000001",
    )
    .await;
    let b = tenant(
        app,
        "30000002",
        "Slachtoffer Bouw B.V.",
        "hr@slachtoffer.nl",
        "+31630000002",
    )
    .await;
    (a, b)
}

/// B's side of the attack: B sees B's names, B's link sends its code to B's number, the
/// completed account has B's number as its second factor, and A's number gets nothing.
async fn b_is_untouched_by_a(app: &TestApp, a: &Tenant, b: &Tenant) {
    let out = request(app, b, "Echte", "Directeur", VICTIM, "06 22220000", "EH3").await;
    assert_eq!(
        (out["created"].clone(), out["present"].clone()),
        (1.into(), serde_json::json!([])),
        "{out}"
    );
    let listed = people(app, b).await;
    let names: Vec<&str> = listed["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Echte Directeur"), "{listed}");
    assert!(
        !listed.to_string().contains("Nep"),
        "nothing A typed shows at B: {listed}"
    );

    let a_sms_before = sms_count(app, A_MOBILE).await;
    let token = link_from(app, VICTIM, &b.name).await;
    let cookie = confirm(app, &token).await;
    assert_eq!(
        sms_count(app, B_MOBILE).await,
        1,
        "the code goes to the number on B's request"
    );
    finish_new(app, &cookie, B_MOBILE, HOLDER_PASSWORD).await;
    assert_eq!(request_state_in(app, &b.org, VICTIM).await, "completed");
    let account = account_of(app, VICTIM).await.expect("the holder's account");
    assert_eq!(account.verified_mobile_e164, B_MOBILE);

    // Every later login code goes to B's (the holder's) number, never to A's.
    let session = app.login(VICTIM, HOLDER_PASSWORD, B_MOBILE).await;
    assert!(!session.is_empty());
    assert_eq!(
        sms_count(app, A_MOBILE).await,
        a_sms_before,
        "A's number received nothing"
    );
    // A still sees only what A typed, and nothing of B.
    let a_list = people(app, a).await;
    assert!(!a_list.to_string().contains("Echte"), "{a_list}");
}

both_dbs!(the_attack_fails_when_as_request_lapsed, |t| async move {
    let app = spawn_app(t).await;
    let (a, b) = two_tenants(&app).await;
    request(&app, &a, "Nep", "Naam", VICTIM, "06 11110000", "EH3").await;
    // A lets its request lapse: no activity for longer than REQUEST_EXPIRY_DAYS.
    app.clock
        .advance_ms((app.state.config.request_expiry_days + 1) * 86_400_000);
    assert!(app::server::jobs::expire_requests(&app.state).await.unwrap() >= 1);
    assert_eq!(request_state_in(&app, &a.org, VICTIM).await, "expired");
    // Sessions went idle meanwhile: both managers log in again.
    let a = Tenant {
        session: app.login(&a.manager_email, TENANT_PASSWORD, &a.manager_mobile).await,
        ..a
    };
    let b = Tenant {
        session: app.login(&b.manager_email, TENANT_PASSWORD, &b.manager_mobile).await,
        ..b
    };
    b_is_untouched_by_a(&app, &a, &b).await;
});

both_dbs!(the_attack_fails_while_as_request_is_open, |t| async move {
    let app = spawn_app(t).await;
    let (a, b) = two_tenants(&app).await;
    request(&app, &a, "Nep", "Naam", VICTIM, "06 11110000", "EH3").await;
    b_is_untouched_by_a(&app, &a, &b).await;
    // If the holder later opens A's link, A's number still gets nothing: the account is
    // proven with its password and a code to its verified mobile.
    let a_sms = sms_count(&app, A_MOBILE).await;
    let token = link_from(&app, VICTIM, &a.name).await;
    let cookie = confirm(&app, &token).await;
    assert_eq!(request_state_in(&app, &a.org, VICTIM).await, "awaiting_password");
    let r = step(&app, "prove", &cookie, &[("password", HOLDER_PASSWORD)]).await;
    assert_eq!(r.location, "/activeren", "{}", r.body);
    let code = app.latest_code(B_MOBILE).await;
    let r = step(&app, "code", &cookie, &[("code", &code)]).await;
    assert_eq!(r.location, "/activeren", "{}", r.body);
    assert_eq!(request_state_in(&app, &a.org, VICTIM).await, "completed");
    assert_eq!(
        sms_count(&app, A_MOBILE).await,
        a_sms,
        "A's number never receives a code"
    );
    assert_eq!(account_of(&app, VICTIM).await.unwrap().verified_mobile_e164, B_MOBILE);
});
