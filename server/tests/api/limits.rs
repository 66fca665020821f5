//! Issue 12, rule 1: login limits. Per login name (in the database): a growing delay after
//! 5 wrong answers, a lock of an hour after 20 in a day with an e-mail to the holder, wrong
//! SMS codes counting towards the same lock, at most 5 login SMS an hour and 20 a day. Per
//! client address (in the process): budgets for password tries and SMS, the address taken
//! from `X-Forwarded-For` only when the peer is `TRUSTED_PROXY`. An unknown address is
//! answered exactly like a known one.

use crate::both_dbs;
use crate::helpers::{spawn_app, spawn_app_with, TestApp, USER};

const WRONG: &str = "dit is niet het wachtwoord";
const NOBODY: &str = "niemand@demo.example";

async fn try_password(app: &TestApp, email: &str, password: &str) -> (u16, String) {
    let r = app
        .call("login", None, &[("email", email), ("password", password)])
        .await;
    (r.status, r.body)
}

async fn right(app: &TestApp) -> crate::helpers::Reply {
    app.call("login", None, &[("email", USER.0), ("password", USER.1)])
        .await
}

async fn from(app: &TestApp, ip: &str, email: &str, password: &str) -> crate::helpers::Reply {
    app.call_from(ip, "login", None, &[("email", email), ("password", password)])
        .await
}

async fn lock_mails(app: &TestApp, to: &str) -> usize {
    app::server::db::outbox::list(&app.state.db, Some(to), 50)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.subject.as_deref() == Some("Inloggen op uw account is tijdelijk geblokkeerd"))
        .count()
}

async fn sms_to(app: &TestApp, mobile: &str) -> i64 {
    app.scalar(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{mobile}'"))
        .await
}

/// Plays the same attack on one login name and returns every answer: 5 wrong passwords
/// at once, the 6th and 7th at once (the delay), then wrong ones spaced past the delay
/// until the lock, then the right password inside the lock and after it.
async fn attack(app: &TestApp, email: &str, password: &str) -> Vec<(u16, String)> {
    let mut answers = Vec::new();
    for _ in 0..6 {
        answers.push(try_password(app, email, WRONG).await);
    }
    // Six wrong answers: the next try waits 2 s, and a call takes 1 s.
    answers.push(try_password(app, email, WRONG).await);
    for _ in 6..20 {
        app.clock.advance_ms(16 * 60_000);
        answers.push(try_password(app, email, WRONG).await);
    }
    app.clock.advance_ms(16 * 60_000);
    answers.push(try_password(app, email, password).await);
    app.clock.advance_ms(45 * 60_000);
    let after = try_password(app, email, password).await;
    answers.push((after.0, String::new()));
    answers
}

both_dbs!(
    wrong_passwords_slow_down_then_lock_and_the_holder_is_told,
    |t| async move {
        let app = spawn_app(t).await;
        let answers = attack(&app, USER.0, USER.1).await;
        for (i, (status, _)) in answers[..6].iter().enumerate() {
            assert_eq!(*status, 422, "wrong password {} is just wrong", i + 1);
        }
        let (status, body) = &answers[6];
        assert_eq!(*status, 429, "{body}");
        assert!(
            body.contains("Te veel onjuiste pogingen") && body.contains("over 1 seconde"),
            "{body}"
        );
        assert!(
            answers[7..21].iter().all(|(s, _)| *s == 422),
            "spaced tries are answered"
        );
        assert_eq!(
            lock_mails(&app, USER.0).await,
            1,
            "the 20th wrong answer locks and tells"
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'account_locked'")
                .await,
            1
        );
        let (status, body) = &answers[21];
        assert_eq!(*status, 429, "the right password inside the lock: {body}");
        assert!(
            body.contains("geblokkeerd tot") && body.contains("Wachtwoord vergeten"),
            "{body}"
        );
        assert!(!body.contains(USER.0));
        assert_eq!(answers[22].0, 200, "after the hour the right password goes through");
        assert_eq!(sms_to(&app, USER.2).await, 1, "only the last try sent a code");
    }
);

both_dbs!(an_unknown_address_meets_the_same_limits_and_answers, |t| async move {
    let app = spawn_app(t).await;
    let known = attack(&app, USER.0, WRONG).await;
    let unknown = attack(&app, NOBODY, WRONG).await;
    // The same answers, but for the clock (the lock's end differs by the first run's length).
    let digitless = |a: &[(u16, String)]| -> Vec<(u16, String)> {
        a.iter()
            .map(|(s, b)| (*s, b.replace(|c: char| c.is_ascii_digit(), "#")))
            .collect()
    };
    assert_eq!(
        digitless(&known),
        digitless(&unknown),
        "nothing tells an account from none"
    );
    assert!(known[6].0 == 429 && known[21].0 == 429 && known[22].0 == 422);
    assert_eq!(lock_mails(&app, NOBODY).await, 0, "nobody to tell");
    let mail = app
        .scalar(&format!("SELECT COUNT(*) FROM outbox WHERE recipient = '{NOBODY}'"))
        .await;
    assert_eq!(mail, 0);
});

both_dbs!(
    wrong_codes_count_towards_the_lock_and_a_new_password_entry_buys_nothing,
    |t| async move {
        let app = spawn_app_with(t, |c| {
            c.login_limits.delay_after = 100;
            c.login_limits.lock_after = 8;
        })
        .await;
        for _ in 0..3 {
            assert_eq!(try_password(&app, USER.0, WRONG).await.0, 422);
        }
        // Right password, wrong codes: each counts like a wrong password.
        let mut guesses = 0;
        while guesses < 5 {
            let r = app
                .call("login", None, &[("email", USER.0), ("password", USER.1)])
                .await;
            assert_eq!(r.status, 200, "the password is right: {}", r.body);
            let pending = r.cookie.expect("pending session");
            let code = app.latest_code(USER.2).await;
            let wrong = if code == "000000" { "111111" } else { "000000" };
            for _ in 0..3 {
                if guesses == 5 {
                    break;
                }
                let r = app.call("verify_code", Some(&pending), &[("code", wrong)]).await;
                guesses += 1;
                assert_eq!(r.status, 422, "guess {guesses}: {}", r.body);
            }
        }
        assert_eq!(lock_mails(&app, USER.0).await, 1, "3 passwords + 5 codes = the lock");
        let r = app
            .call("login", None, &[("email", USER.0), ("password", USER.1)])
            .await;
        assert_eq!(r.status, 429, "{}", r.body);
        assert!(r.body.contains("geblokkeerd tot"));
        // Inside the lock not even the right code of a pending login counts.
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM login_attempts WHERE kind = 'code_wrong'")
                .await,
            5
        );
    }
);

both_dbs!(a_completed_login_starts_the_count_again, |t| async move {
    let app = spawn_app(t).await;
    for _ in 0..4 {
        try_password(&app, USER.0, WRONG).await;
    }
    app.login(USER.0, USER.1, USER.2).await;
    for _ in 0..5 {
        assert_eq!(try_password(&app, USER.0, WRONG).await.0, 422, "four forgotten");
    }
    assert_eq!(
        try_password(&app, USER.0, WRONG).await.0,
        422,
        "the fifth waits a second"
    );
    assert_eq!(try_password(&app, USER.0, WRONG).await.0, 429);
});

both_dbs!(login_sms_are_capped_per_hour_and_per_day, |t| async move {
    let app = spawn_app_with(t, |c| c.address_limits.sms_per_hour = 1000).await;
    for _ in 0..5 {
        assert_eq!(right(&app).await.status, 200);
    }
    let r = right(&app).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(
        r.body.contains("5 per uur, 20 per dag") && r.body.contains("minuten"),
        "{}",
        r.body
    );
    assert_eq!(sms_to(&app, USER.2).await, 5);
    // A new code for a pending login counts too.
    app.clock.advance_ms(61 * 60_000);
    let pending = right(&app).await.cookie.expect("pending");
    for _ in 0..4 {
        assert_eq!(app.call("resend_code", Some(&pending), &[]).await.status, 200);
    }
    let r = right(&app).await;
    assert_eq!(r.status, 429, "four new codes and the first made five: {}", r.body);
    for _ in 0..2 {
        app.clock.advance_ms(61 * 60_000);
        for _ in 0..5 {
            assert_eq!(right(&app).await.status, 200);
        }
    }
    assert_eq!(sms_to(&app, USER.2).await, 20);
    app.clock.advance_ms(61 * 60_000);
    let r = right(&app).await;
    assert_eq!(r.status, 429, "twenty a day: {}", r.body);
    assert_eq!(sms_to(&app, USER.2).await, 20);
});

both_dbs!(
    each_client_address_has_budgets_behind_the_trusted_proxy_only,
    |t| async move {
        let app = spawn_app_with(t, |c| {
            c.trusted_proxy = Some("127.0.0.1".parse().unwrap());
            c.address_limits.logins_per_hour = 3;
            c.address_limits.sms_per_hour = 2;
            c.login_limits.delay_after = 1000;
        })
        .await;
        for _ in 0..3 {
            assert_eq!(from(&app, "203.0.113.1", NOBODY, WRONG).await.status, 422);
        }
        let r = from(&app, "203.0.113.1", USER.0, USER.1).await;
        assert_eq!(r.status, 429, "{}", r.body);
        assert!(
            r.body.contains("Vanaf uw netwerk zijn te veel inlogpogingen"),
            "{}",
            r.body
        );
        // The proxy appends what it saw; an address the client wrote in front means nothing.
        assert_eq!(from(&app, "203.0.113.1, 203.0.113.2", NOBODY, WRONG).await.status, 422);
        // SMS: two per address.
        assert_eq!(from(&app, "198.51.100.1", USER.0, USER.1).await.status, 200);
        assert_eq!(from(&app, "198.51.100.1", USER.0, USER.1).await.status, 200);
        let r = from(&app, "198.51.100.1", USER.0, USER.1).await;
        assert_eq!(r.status, 429, "{}", r.body);
        assert!(r.body.contains("te veel sms-codes"), "{}", r.body);
        assert_eq!(from(&app, "198.51.100.2", USER.0, USER.1).await.status, 200);
    }
);

both_dbs!(a_bare_forwarded_header_changes_nothing, |t| async move {
    let app = spawn_app_with(t, |c| c.address_limits.logins_per_hour = 3).await;
    for i in 0..3 {
        let ip = format!("203.0.113.{i}");
        let r = app
            .call_from(&ip, "login", None, &[("email", NOBODY), ("password", WRONG)])
            .await;
        assert_eq!(r.status, 422);
    }
    let r = app
        .call_from("203.0.113.9", "login", None, &[("email", NOBODY), ("password", WRONG)])
        .await;
    assert_eq!(r.status, 429, "every try came from 127.0.0.1: {}", r.body);
});
