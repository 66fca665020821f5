//! Issue 13, rule 3: errors leave a trace. Every answer carries its request's id; an
//! internal error is logged once, with its cause, inside the request's span, which names the
//! route and the session's person and organisation; the user is shown the generic text and
//! that id (also when the error happens while a page renders on the server); arguments a
//! server function cannot parse answer 422.

use crate::helpers::{spawn_app, TestDb, Which, MANAGER};
use crate::log_capture::{runtime, Captured};

#[test]
fn sqlite() {
    traced(Which::Sqlite);
}

#[test]
fn postgres() {
    traced(Which::Postgres);
}

fn request_id(res: &reqwest::Response) -> String {
    res.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("an x-request-id header")
        .to_string()
}

fn traced(which: Which) {
    let log = Captured::default();
    let (rt, dispatch) = runtime(&log);
    let _main = tracing::dispatcher::set_default(&dispatch);
    rt.block_on(async move {
        let app = spawn_app(TestDb::new(which).await).await;

        // Every answer has an id of its own.
        let health = |_: u8| app.http.get(format!("{}/health", app.addr)).send();
        let (a, b) = (health(1).await.unwrap(), health(2).await.unwrap());
        let (a, b) = (request_id(&a), request_id(&b));
        assert_eq!(a.len(), 16, "{a}");
        assert_ne!(a, b);

        let session = app.login(MANAGER.0, MANAGER.1, MANAGER.2).await;
        let account: String = sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
            .bind(MANAGER.0)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();

        // The catalogue's table is gone: the server function fails inside.
        sqlx::query("ALTER TABLE services RENAME TO services_gone")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let res = app
            .http
            .post(format!("{}/api/service_catalogue", app.addr))
            .header("Origin", "http://127.0.0.1:3000")
            .header("Cookie", format!("bm_session={session}"))
            .form(&[("query", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 500);
        let id = request_id(&res);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("InternalRef") && body.contains(&id),
            "the user is given the id to quote: {body}"
        );
        assert!(
            !body.contains("services"),
            "no internal detail reaches the browser: {body}"
        );

        let text = log.text();
        let lines: Vec<&str> = text.lines().filter(|l| l.contains(&format!("id={id}"))).collect();
        let errors: Vec<&&str> = lines.iter().filter(|l| l.contains("ERROR")).collect();
        assert_eq!(
            errors.len(),
            1,
            "the error is logged once, in the request's span: {lines:#?}"
        );
        let line = errors[0];
        assert!(line.contains("services"), "the log names the cause: {line}");
        assert!(line.contains("route=/api/service_catalogue"), "and the route: {line}");
        assert!(line.contains(&format!("person={account}")), "and the person: {line}");
        assert!(line.contains("organisation="), "and the organisation: {line}");

        // The same failure while a page renders on the server (its resource runs as a task
        // that Leptos spawns) is logged in that page's request span too.
        let res = app
            .http
            .get(format!("{}/beheer/machtigingen", app.addr))
            .header("Cookie", format!("bm_session={session}"))
            .send()
            .await
            .unwrap();
        let id = request_id(&res);
        let page = res.text().await.unwrap();
        assert!(page.contains(&id), "the page shows the id to quote");
        let text = log.text();
        let errors: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("ERROR") && l.contains("services"))
            .skip(1)
            .collect();
        // The page's list and its grant form's catalogue both need the table.
        assert!(!errors.is_empty(), "the page's failures are logged");
        for line in errors {
            assert!(line.contains(&format!("id={id}")), "in the page's span: {line}");
            assert!(line.contains("route=/beheer/machtigingen"), "{line}");
            assert_eq!(line.matches("person=").count(), 1, "the person named once: {line}");
            assert!(line.contains(&format!("person={account}")), "{line}");
        }

        // Arguments that do not parse are the caller's fault.
        let r = app.call("login", None, &[("email", MANAGER.0)]).await;
        assert_eq!(r.status, 422, "{r:?}");
        assert!(r.body.contains("onvolledig of onleesbaar"), "{r:?}");
        let r = app
            .call("requests/list", Some(&session), &[("query[page]", "geen-getal")])
            .await;
        assert_eq!(r.status, 422, "{r:?}");
    });
}
