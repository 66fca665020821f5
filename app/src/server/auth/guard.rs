//! Request guards in front of every route: the Origin check for mutating requests, page
//! access by role (before anything renders, so it holds without JavaScript), and the
//! security headers.

use super::session::{from_headers, identify, load_session};
use crate::server::state::AppState;
use crate::server::telemetry::RequestId;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// The origin of a URL (`scheme://host[:port]`).
fn origin_of(url: &str) -> Option<&str> {
    let s = url.find("://")?;
    Some(match url[s + 3..].find('/') {
        Some(p) => &url[..s + 3 + p],
        None => url,
    })
}

/// True when a state-changing request comes from our own pages: its `Origin` (or, when a
/// browser sends none, its `Referer`) is the public URL's origin or the host it was sent to.
pub fn origin_allowed(headers: &HeaderMap, public_origin: &str) -> bool {
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
        .map(str::to_string)
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
                .map(str::to_string)
        });
    let Some(claimed) = claimed else {
        return false;
    };
    if claimed == public_origin {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (claimed.split_once("://"), host) {
        (Some((scheme, rest)), Some(host)) => (scheme == "http" || scheme == "https") && rest == host,
        _ => false,
    }
}

pub async fn check_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !origin_allowed(req.headers(), &state.config.public_origin()) {
        tracing::warn!(path = %crate::server::telemetry::loggable_path(req.uri().path()), "refused a cross-origin or origin-less request");
        return (
            StatusCode::FORBIDDEN,
            "Verzoek geweigerd: het komt niet van deze website.",
        )
            .into_response();
    }
    next.run(req).await
}

/// Which pages need what.
enum Need {
    Manager,
    Backoffice,
    LoggedIn,
    PendingCode,
}

fn need_for(path: &str) -> Option<Need> {
    let under = |p: &str| path == p || path.starts_with(&format!("{p}/"));
    if under("/beheer") || under("/overzicht") {
        Some(Need::Manager)
    } else if under("/backoffice") {
        Some(Need::Backoffice)
    } else if under("/mijn") {
        Some(Need::LoggedIn)
    } else if path == "/inloggen/sms" {
        Some(Need::PendingCode)
    } else {
        None
    }
}

pub async fn guard_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let Some(need) = need_for(req.uri().path()) else {
        return next.run(req).await;
    };
    let token = from_headers(&state.config, req.headers());
    let to_login = || Redirect::to("/inloggen").into_response();
    let Some(token) = token else {
        return to_login();
    };
    match need {
        Need::PendingCode => match load_session(&state, &token).await {
            Ok(Some(s)) if !s.complete() => next.run(req).await,
            Ok(Some(_)) => Redirect::to("/mijn").into_response(),
            Ok(None) => to_login(),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Need::LoggedIn | Need::Manager | Need::Backoffice => {
            match identify(&state, &token, req.extensions().get::<RequestId>()).await {
                Ok(Some(id)) if matches!(need, Need::Manager) && !id.is_manager() => {
                    Redirect::to(id.landing()).into_response()
                }
                Ok(Some(id)) if matches!(need, Need::Backoffice) && !id.is_backoffice() => {
                    Redirect::to(id.landing()).into_response()
                }
                Ok(Some(_)) => next.run(req).await,
                Ok(None) => to_login(),
                Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
    }
}

/// The CSP for responses that carry no nonce (server functions, the dev inbox, files).
pub const STATIC_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/// The CSP of a rendered page: its inline hydration script runs only with the nonce.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    )
}

/// Files of the built site (the WASM bundle, its script and style, the CSV worker): the
/// only answers a browser or proxy may keep.
pub fn is_static_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/csv-worker.js" || path == "/favicon.ico"
}

/// HSTS for one year when the public URL is https.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let cacheable = is_static_asset(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(STATIC_CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    // Pages and server-function answers carry personal data or tokens: never stored by a
    // browser, a shared computer's back button or a proxy.
    if !cacheable {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.secure_cookies() {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn origin_rules() {
        let public = "http://127.0.0.1:3000";
        assert!(origin_allowed(&headers(&[("origin", public)]), public));
        assert!(origin_allowed(
            &headers(&[("origin", "http://localhost:3000"), ("host", "localhost:3000")]),
            public
        ));
        assert!(!origin_allowed(
            &headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")]),
            public
        ));
        assert!(!origin_allowed(&headers(&[("origin", "null")]), public));
        assert!(origin_allowed(
            &headers(&[("referer", "http://127.0.0.1:3000/inloggen")]),
            public
        ));
        assert!(!origin_allowed(
            &headers(&[("referer", "http://127.0.0.1:3000.evil.example/x")]),
            public
        ));
        assert!(!origin_allowed(&headers(&[]), public));
    }

    #[test]
    fn pages_and_their_needs() {
        assert!(matches!(need_for("/beheer"), Some(Need::Manager)));
        assert!(matches!(need_for("/beheer/gebruikers"), Some(Need::Manager)));
        assert!(matches!(need_for("/overzicht"), Some(Need::Manager)));
        assert!(matches!(need_for("/mijn"), Some(Need::LoggedIn)));
        assert!(matches!(need_for("/inloggen/sms"), Some(Need::PendingCode)));
        assert!(matches!(need_for("/backoffice"), Some(Need::Backoffice)));
        assert!(matches!(need_for("/backoffice/documenten/x"), Some(Need::Backoffice)));
        assert!(need_for("/activeren/abc").is_none());
        assert!(need_for("/beheerder").is_none());
        assert!(need_for("/inloggen").is_none());
    }
}
