//! Issue 11, rules 2 and 3: an address with an account elsewhere reads exactly like a new
//! one to the requesting manager until the holder acts; the holder then proves the account
//! (its password, a code to its verified mobile) and sets no new password; a different
//! typed number is told masked, and noted for the manager without digits; of two
//! organisations racing for a new address, the first completed activation creates the
//! account and the other proves it.

use crate::both_dbs;
use crate::helpers::{spawn_app, TestApp};
use crate::identity_support::*;
use serde_json::Value;

const HOLDER: &str = "eva@zelf.nl";
const VERIFIED: &str = "+31644440000";
const TYPED_BY_B: &str = "+31655550078";

async fn detail(app: &TestApp, t: &Tenant, request_id: &str) -> Value {
    let r = app
        .call("requests/detail", Some(&t.session), &[("request_id", request_id)])
        .await;
    assert_eq!(r.status, 200, "{r:?}");
    serde_json::from_str(&r.body).unwrap()
}

/// The parts of a request that a manager's pages and the database show, without ids,
/// names and times: what must not differ between a new address and a known one.
async fn shape(app: &TestApp, t: &Tenant, email: &str) -> Value {
    let id = request_id_in(app, &t.org, email).await;
    let mut d = detail(app, t, &id).await;
    for k in ["id", "person", "email", "created"] {
        d[k] = Value::Null;
    }
    for item in d["timeline"].as_array_mut().unwrap() {
        item["at"] = Value::Null;
    }
    let row: (Option<String>, String, Option<String>) = sqlx::query_as(
        "SELECT r.account_id, r.state, m.account_id FROM requests r JOIN means m ON m.id = r.means_id WHERE r.id = $1",
    )
    .bind(&id)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    let events: Vec<String> =
        sqlx::query_scalar("SELECT event FROM request_events WHERE request_id = $1 ORDER BY at, event")
            .bind(&id)
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    serde_json::json!({ "detail": d, "row": [row.0, row.1, row.2], "events": events })
}

/// Tenant A's request activated by the holder: the account exists with `VERIFIED`.
async fn holder_with_account(app: &TestApp, a: &Tenant) {
    request(app, a, "Eva", "Zelf", HOLDER, "06 44440000", "EH3").await;
    let token = link_from(app, HOLDER, &a.name).await;
    activate_new(app, &token, VERIFIED, HOLDER_PASSWORD).await;
    assert_eq!(account_of(app, HOLDER).await.unwrap().verified_mobile_e164, VERIFIED);
}

both_dbs!(
    an_address_with_an_account_elsewhere_reads_like_a_new_one,
    |t| async move {
        let app = spawn_app(t).await;
        let a = tenant(&app, "40000001", "Eerste B.V.", "m@eerste.nl", "+31640000001").await;
        let b = tenant(&app, "40000002", "Tweede B.V.", "m@tweede.nl", "+31640000002").await;
        holder_with_account(&app, &a).await;
        let known = request(&app, &b, "Eva", "Anders", HOLDER, "06 55550078", "EH3").await;
        let fresh = request(&app, &b, "Nieuw", "Iemand", "nieuw@tweede.nl", "06 55550079", "EH3").await;
        assert_eq!(known, fresh, "the same answer");
        assert_eq!(shape(&app, &b, HOLDER).await, shape(&app, &b, "nieuw@tweede.nl").await);
        assert_eq!(
            sms_count(&app, VERIFIED).await,
            1,
            "nothing is sent to the account's number on a request"
        );
        let listed = people(&app, &b).await.to_string();
        assert!(
            listed.contains("Eva Anders") && !listed.contains("Zelf"),
            "B's own particulars only: {listed}"
        );
    }
);

both_dbs!(
    the_holder_proves_the_account_and_the_code_goes_to_its_verified_mobile,
    |t| async move {
        let app = spawn_app(t).await;
        let a = tenant(&app, "40000011", "Eerste B.V.", "m@eerste.nl", "+31640000011").await;
        let b = tenant(&app, "40000012", "Tweede B.V.", "m@tweede.nl", "+31640000012").await;
        holder_with_account(&app, &a).await;
        let hash = hash_of(&app, HOLDER).await;
        request(&app, &b, "Eva", "Anders", HOLDER, "06 55550078", "EH3").await;
        let mail = app::server::db::outbox::list(&app.state.db, Some(HOLDER), 1)
            .await
            .unwrap()
            .remove(0);
        assert!(
            mail.body.contains("Tweede B.V. heeft een eHerkenningsmiddel"),
            "the mail names B: {}",
            mail.body
        );

        let cookie = confirm(&app, &link_from(&app, HOLDER, &b.name).await).await;
        assert_eq!(request_state_in(&app, &b.org, HOLDER).await, "awaiting_password");
        assert_eq!(
            (sms_count(&app, TYPED_BY_B).await, sms_count(&app, VERIFIED).await),
            (0, 1),
            "no code before the password"
        );
        // The person is told the numbers differ, masked only.
        let html = page(&app, &cookie).await;
        assert!(html.contains("••78") && html.contains("••00"), "{html}");
        assert!(
            !html.contains("55550078") && !html.contains("44440000"),
            "no number in full"
        );
        assert!(html.contains("U kiest geen nieuw wachtwoord"), "{html}");
        // The manager sees the note, without digits of either number.
        let id = request_id_in(&app, &b.org, HOLDER).await;
        let d = detail(&app, &b, &id).await.to_string();
        assert!(d.contains("ander mobiel nummer dan bij de persoon bekend"), "{d}");
        assert!(!d.contains("5555") && !d.contains("4444") && !d.contains("••"), "{d}");

        // A wrong password is counted and changes nothing; the right one sends the code to
        // the verified mobile, never to the number B typed.
        let r = step(&app, "prove", &cookie, &[("password", "niet mijn wachtwoord hoor")]).await;
        assert_eq!(r.notice(), Some("wachtwoord-onjuist"));
        let r = step(
            &app,
            "password",
            &cookie,
            &[
                ("password", "een heel nieuw wachtwoord"),
                ("repeat", "een heel nieuw wachtwoord"),
            ],
        )
        .await;
        assert_eq!(r.notice(), Some("stap-gedaan"), "no new password on this path");
        let r = step(&app, "prove", &cookie, &[("password", HOLDER_PASSWORD)]).await;
        assert_eq!(r.location, "/activeren", "{}", r.body);
        assert_eq!(
            (sms_count(&app, TYPED_BY_B).await, sms_count(&app, VERIFIED).await),
            (0, 2)
        );
        let r = step(&app, "code", &cookie, &[("code", &app.latest_code(VERIFIED).await)]).await;
        assert_eq!(r.location, "/activeren", "{}", r.body);
        assert_eq!(request_state_in(&app, &b.org, HOLDER).await, "completed");
        let account = account_of(&app, HOLDER).await.unwrap();
        assert_eq!(
            account.verified_mobile_e164, VERIFIED,
            "B's number never reaches the account"
        );
        assert_eq!(
            hash_of(&app, HOLDER).await,
            hash,
            "the password is the holder's, unchanged"
        );
        let bound: i64 = app
            .scalar(&format!(
                "SELECT COUNT(*) FROM means WHERE account_id = '{}' AND state = 'active'",
                account.id
            ))
            .await;
        assert_eq!(bound, 2, "both organisations' means are the holder's now");
        assert_eq!(sms_count(&app, TYPED_BY_B).await, 0);
    }
);

both_dbs!(five_wrong_passwords_stop_the_request, |t| async move {
    let app = spawn_app(t).await;
    let a = tenant(&app, "40000021", "Eerste B.V.", "m@eerste.nl", "+31640000021").await;
    let b = tenant(&app, "40000022", "Tweede B.V.", "m@tweede.nl", "+31640000022").await;
    holder_with_account(&app, &a).await;
    request(&app, &b, "Eva", "Anders", HOLDER, "06 55550078", "EH3").await;
    let cookie = confirm(&app, &link_from(&app, HOLDER, &b.name).await).await;
    for i in 1..=5 {
        let r = step(&app, "prove", &cookie, &[("password", "fout fout fout fout")]).await;
        let want = if i < 5 {
            "wachtwoord-onjuist"
        } else {
            "wachtwoord-te-vaak"
        };
        assert_eq!(r.notice(), Some(want), "try {i}");
    }
    assert_eq!(request_state_in(&app, &b.org, HOLDER).await, "cancelled");
    let r = step(&app, "prove", &cookie, &[("password", HOLDER_PASSWORD)]).await;
    assert_ne!(r.location, "/activeren", "the right password no longer helps");
    assert_eq!(sms_count(&app, VERIFIED).await, 1, "no code was sent");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'account_proof_failed'")
            .await,
        5
    );
});

both_dbs!(
    of_two_racing_organisations_the_first_creates_the_account,
    |t| async move {
        let app = spawn_app(t).await;
        let a = tenant(&app, "40000031", "Eerste B.V.", "m@eerste.nl", "+31640000031").await;
        let b = tenant(&app, "40000032", "Tweede B.V.", "m@tweede.nl", "+31640000032").await;
        let (a_mobile, b_mobile) = ("+31666660001", "+31666660002");
        request(&app, &a, "Ren", "Snel", "ren@nieuw.nl", "06 66660001", "EH2+").await;
        request(&app, &b, "Ren", "Snel", "ren@nieuw.nl", "06 66660002", "EH2+").await;
        // Both links confirmed while there is no account: each code goes to its own request's number.
        let ca = confirm(&app, &link_from(&app, "ren@nieuw.nl", &a.name).await).await;
        let cb = confirm(&app, &link_from(&app, "ren@nieuw.nl", &b.name).await).await;
        assert_eq!(
            (sms_count(&app, a_mobile).await, sms_count(&app, b_mobile).await),
            (1, 1)
        );
        let r = step(&app, "code", &cb, &[("code", &app.latest_code(b_mobile).await)]).await;
        assert_eq!(r.location, "/activeren");
        // A's activation completes first and creates the account with A's number.
        let r = step(&app, "code", &ca, &[("code", &app.latest_code(a_mobile).await)]).await;
        assert_eq!(r.location, "/activeren", "{}", r.body);
        let r = step(
            &app,
            "password",
            &ca,
            &[("password", HOLDER_PASSWORD), ("repeat", HOLDER_PASSWORD)],
        )
        .await;
        assert_eq!(r.location, "/activeren", "{}", r.body);
        assert_eq!(
            account_of(&app, "ren@nieuw.nl").await.unwrap().verified_mobile_e164,
            a_mobile
        );
        let hash = hash_of(&app, "ren@nieuw.nl").await;
        // B's activation may not create a second account nor change this one: it turns to proof.
        let other = "een ander nieuw wachtwoord";
        let r = step(&app, "password", &cb, &[("password", other), ("repeat", other)]).await;
        assert_eq!(r.notice(), Some("account-bestaat"), "{} {}", r.location, r.body);
        assert_eq!(hash_of(&app, "ren@nieuw.nl").await, hash);
        let r = step(&app, "prove", &cb, &[("password", HOLDER_PASSWORD)]).await;
        assert_eq!(r.location, "/activeren");
        assert_eq!(
            sms_count(&app, b_mobile).await,
            1,
            "the second code goes to the verified mobile"
        );
        step(&app, "code", &cb, &[("code", &app.latest_code(a_mobile).await)]).await;
        assert_eq!(request_state_in(&app, &b.org, "ren@nieuw.nl").await, "completed");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM accounts WHERE email = 'ren@nieuw.nl'")
                .await,
            1
        );
        let d = detail(&app, &b, &request_id_in(&app, &b.org, "ren@nieuw.nl").await)
            .await
            .to_string();
        assert!(d.contains("ander mobiel nummer dan bij de persoon bekend"), "{d}");
    }
);
