//! What ties a log line to its request: the [`RequestId`] every request gets (the router in
//! the server crate assigns it, answers it in `x-request-id` and opens the request's span
//! with it), the span fields filled in once the session is known ([`RequestId::record`]), and
//! [`loggable_path`], the only form in which a path reaches a log line.

/// A request's id: 16 hex characters, random, in the request's span, in its
/// `x-request-id` header and in the text of an internal error, so that a user can quote it
/// and the log shows what went wrong. Its clones (the request's extensions, a page's
/// server functions) share one mark of whether the session was written into the span.
#[derive(Debug, Clone)]
pub struct RequestId(pub String, Arc<AtomicBool>);

impl PartialEq for RequestId {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for RequestId {}

impl RequestId {
    pub fn generate() -> Self {
        RequestId(
            uuid::Uuid::new_v4().simple().to_string()[..16].to_string(),
            Arc::default(),
        )
    }

    /// [`record_identity`], once per request: the guard and every server function of a page
    /// load the session, and the span would otherwise name the person as often.
    pub fn record(&self, identity: &Identity) {
        if !self.1.swap(true, Ordering::Relaxed) {
            record_identity(&identity.account.id, identity.current_managed().map(|m| m.id.as_str()));
        }
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

use crate::server::auth::session::Identity;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Writes the session's account and organisation into the current request span (declared
/// empty there), so every later line of the request names who made it.
fn record_identity(account_id: &str, organisation_id: Option<&str>) {
    let span = tracing::Span::current();
    span.record("person", tracing::field::display(account_id));
    if let Some(org) = organisation_id {
        span.record("organisation", tracing::field::display(org));
    }
}

/// Paths whose last part is a link's token (activation, password reset, registration
/// status, a representative's approval, a manager's objection).
const TOKEN_PATHS: [&str; 5] = [
    "/activeren/",
    "/wachtwoord-herstellen/",
    "/registreren/status/",
    "/registreren/goedkeuren/",
    "/registreren/bezwaar/",
];

/// The path as it may appear in logs and spans: a link's token is a secret, so everything
/// after a [`TOKEN_PATHS`] prefix, and any other segment shaped like one of our tokens
/// (43 URL-safe base64 characters), is written as `•••`. Query strings are never logged.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    if let Some(prefix) = TOKEN_PATHS.iter().find(|p| path.starts_with(**p)) {
        return format!("{prefix}•••").into();
    }
    let looks_like_token =
        |seg: &str| seg.len() == 43 && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !path.split('/').any(looks_like_token) {
        return path.into();
    }
    path.split('/')
        .map(|seg| if looks_like_token(seg) { "•••" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
        .into()
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn no_token_reaches_a_log_line() {
        let token = "Qm9vZ2llLXdvb2dpZS10b2tlbi1mb3ItdGVzdHMtMTI";
        assert_eq!(token.len(), 43);
        for prefix in super::TOKEN_PATHS {
            let path = format!("{prefix}{token}");
            let logged = loggable_path(&path);
            assert!(!logged.contains(token) && logged.starts_with(prefix), "{logged}");
        }
        let path = format!("/iets/{token}/verder");
        assert_eq!(loggable_path(&path), "/iets/•••/verder");
        let id = "/beheer/aanvragen/0192f0c4-6f0e-7c3a-9d2b-1e2f3a4b5c6d";
        assert_eq!(loggable_path(id), id, "ids stay readable");
        assert_eq!(loggable_path("/inloggen"), "/inloggen");
    }

    #[test]
    fn request_ids_are_sixteen_hex_characters_and_differ() {
        let (a, b) = (super::RequestId::generate(), super::RequestId::generate());
        assert_eq!(a.0.len(), 16);
        assert!(a.0.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
