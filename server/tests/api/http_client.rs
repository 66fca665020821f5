//! The one HTTP client of the API tests: plain form posts as a browser without JavaScript
//! sends them, calls as the page's own code makes them, and pages; every answer read into a
//! [`Res`]. Each request moves the test clock one second on, as time passes between clicks.

use crate::helpers::TestApp;

/// An answer: status, redirect target, body and the cookies it set.
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    /// The `Location` header, empty when there is none.
    pub location: String,
    pub body: String,
    set_cookies: Vec<String>,
}

impl Res {
    /// The notice code a plain-form post was redirected with (`?melding=…`).
    pub fn notice(&self) -> Option<&str> {
        self.location.split("melding=").nth(1)
    }

    /// The value the answer set for cookie `name` (the last one, if it set it twice).
    pub fn cookie_value(&self, name: &str) -> Option<String> {
        let prefix = format!("{name}=");
        self.set_cookies
            .iter()
            .filter_map(|c| c.strip_prefix(&prefix))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
            .next_back()
    }

    /// As [`Res::cookie_value`], as a `Cookie` request header (`name=value`).
    pub fn cookie_header(&self, name: &str) -> Option<String> {
        self.cookie_value(name).map(|v| format!("{name}={v}"))
    }
}

pub async fn read(res: reqwest::Response) -> Res {
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let set_cookies = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect();
    Res {
        status,
        location,
        body: res.text().await.unwrap_or_default(),
        set_cookies,
    }
}

/// Sends `req` (one second later on the test clock).
pub async fn send(app: &TestApp, req: reqwest::RequestBuilder) -> Res {
    app.clock.advance_ms(1_000);
    read(req.send().await.expect("request")).await
}

/// A server-function call with a form body from our own origin; `html` asks for the plain
/// form answer (a redirect), else the page's JSON. `cookie` is a whole `Cookie` header.
pub async fn form(app: &TestApp, endpoint: &str, cookie: Option<&str>, form: &[(&str, &str)], html: bool) -> Res {
    let mut req = app
        .http
        .post(format!("{}/api/{endpoint}", app.addr))
        .header("Origin", "http://127.0.0.1:3000")
        .form(form);
    if html {
        req = req.header("Accept", "text/html");
    }
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    send(app, req).await
}

/// A page, as the browser asks for it; `cookie` is a whole `Cookie` header.
pub async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> Res {
    let mut req = app.http.get(format!("{}{path}", app.addr));
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    send(app, req).await
}
