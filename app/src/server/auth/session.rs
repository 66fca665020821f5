//! The session cookie and the identity behind it. The cookie is `HttpOnly`,
//! `SameSite=Lax`, `Secure` when served over TLS, and carries a random id whose SHA-256
//! is the session's key.
//!
//! A session follows its account: it ends after `SESSION_IDLE_MINUTES` without use, and
//! when the account has no usable means left (back-office staff aside). Beheer is open for
//! an organisation only while the account manages it *and* managed it when this session's
//! second factor was given: losing a manager authorisation closes Beheer at once, gaining
//! one opens it after the next login.

use super::tokens::RawToken;
use crate::domain::means::MeansState;
use crate::error::AppError;
use crate::server::config::Config;
use crate::server::db::accounts::{self, AccountRow};
use crate::server::db::organisations::{self, ManagedRow};
use crate::server::db::sessions::{self, SessionRow};
use crate::server::db::{means, Conn};
use crate::server::state::AppState;
use axum::http::{header, HeaderMap, HeaderValue};

pub const COOKIE: &str = "bm_session";

/// The session token of a request.
pub fn from_headers(config: &Config, headers: &HeaderMap) -> Option<RawToken> {
    read_cookie(config, headers, COOKIE)
}

/// The name cookie `base` goes by: over TLS `__Host-{base}`, which the browser only
/// accepts when it is `Secure`, has `Path=/` and no `Domain` — so no sibling host and no
/// plain-HTTP answer can plant or shadow it. Over plain HTTP (development) just `base`.
pub fn cookie_name(config: &Config, base: &str) -> String {
    if config.secure_cookies() {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

/// The token in cookie `base` (under its [`cookie_name`]) among the request's cookies.
pub fn read_cookie(config: &Config, headers: &HeaderMap, base: &str) -> Option<RawToken> {
    cookie_value(headers, &cookie_name(config, base))
}

/// The non-empty value of the cookie `name` among the request's cookies.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<RawToken> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| RawToken::from_client(v))
}

/// The `Set-Cookie` value for every cookie of ours: `HttpOnly`, `SameSite=Lax`, `Path=/`,
/// and over TLS `Secure` with the `__Host-` prefix. `None` clears it.
pub fn cookie_header(config: &Config, base: &str, token: Option<&RawToken>, max_age_secs: i64) -> HeaderValue {
    let secure = if config.secure_cookies() { "; Secure" } else { "" };
    let (value, max_age) = match token {
        Some(t) => (t.expose(), max_age_secs.max(0)),
        None => ("", 0),
    };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        cookie_name(config, base)
    ))
    .expect("token is URL-safe base64")
}

pub fn set_cookie(config: &Config, token: &RawToken) -> HeaderValue {
    cookie_header(config, COOKIE, Some(token), config.session_minutes * 60)
}

pub fn clear_cookie(config: &Config) -> HeaderValue {
    cookie_header(config, COOKIE, None, 0)
}

/// Who is behind a request: the session, the account, the name to greet them by and the
/// organisations whose Beheer this session may open.
#[derive(Debug, Clone)]
pub struct Identity {
    pub session: SessionRow,
    pub account: AccountRow,
    /// As the session's organisation entered it (the staff name for the back office, the
    /// e-mail address when there is neither).
    pub display_name: String,
    pub managed: Vec<ManagedRow>,
}

impl Identity {
    /// The organisation the manager is working in (the session's choice, if they still
    /// manage it; otherwise the first they manage).
    pub fn current_managed(&self) -> Option<&ManagedRow> {
        self.session
            .organisation_id
            .as_deref()
            .and_then(|id| self.managed.iter().find(|m| m.id == id))
            .or_else(|| self.managed.first())
    }

    pub fn is_manager(&self) -> bool {
        !self.managed.is_empty()
    }

    pub fn is_backoffice(&self) -> bool {
        self.account.is_backoffice == 1
    }

    /// Where this person starts after login.
    pub fn landing(&self) -> &'static str {
        if self.is_manager() {
            "/beheer"
        } else if self.is_backoffice() {
            "/backoffice"
        } else {
            "/mijn"
        }
    }
}

/// The session behind `token`, complete or pending the second factor.
pub async fn load_session(state: &AppState, token: &RawToken) -> Result<Option<SessionRow>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(sessions::find_live(&mut conn, &token.sha256(), state.now()).await?)
}

/// Activity closer together than this is not written down again (one write per minute
/// at most per session, not one per page).
const TOUCH_EVERY_MS: i64 = 60_000;

/// [`load_identity`], written into the request's span (`request`: its id, once known).
pub async fn identify(
    state: &AppState,
    token: &RawToken,
    request: Option<&crate::server::telemetry::RequestId>,
) -> Result<Option<Identity>, AppError> {
    let identity = load_identity(state, token).await?;
    if let (Some(id), Some(request)) = (&identity, request) {
        request.record(id);
    }
    Ok(identity)
}

/// The identity of a complete (second factor done), live session; `None` ends it.
pub async fn load_identity(state: &AppState, token: &RawToken) -> Result<Option<Identity>, AppError> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let Some(session) = sessions::find_live(&mut conn, &token.sha256(), now).await? else {
        return Ok(None);
    };
    if !session.complete() {
        return Ok(None);
    }
    if now - session.last_seen_at > state.config.session_idle_minutes * 60_000 {
        sessions::delete(&mut conn, &session.id_sha256).await?;
        return Ok(None);
    }
    let Some(account) = accounts::find(&mut conn, &session.account_id).await? else {
        return Ok(None);
    };
    let Some(display_name) = greeting(&mut conn, &account, session.organisation_id.as_deref()).await? else {
        // No usable means left anywhere: the account cannot be logged in.
        sessions::delete(&mut conn, &session.id_sha256).await?;
        return Ok(None);
    };
    if now - session.last_seen_at >= TOUCH_EVERY_MS {
        sessions::touch(&mut conn, &session.id_sha256, now).await?;
    }
    let managed = organisations::managed_by(&mut conn, &account.id, now)
        .await?
        .into_iter()
        .filter(|m| session.opened_for(&m.id))
        .collect();
    let identity = Identity {
        session,
        account,
        display_name,
        managed,
    };
    Ok(Some(identity))
}

/// The name to show, or `None` when a customer's account has no usable means at all.
async fn greeting(
    conn: &mut Conn,
    account: &AccountRow,
    organisation: Option<&str>,
) -> Result<Option<String>, AppError> {
    if account.is_backoffice == 1 {
        return Ok(Some(
            account.staff_name.clone().unwrap_or_else(|| account.email.clone()),
        ));
    }
    if let Some(org) = organisation {
        if let Some(m) = means::usable_in(conn, &account.id, org).await? {
            return Ok(Some(m.display_name()));
        }
    }
    let usable = means::of_account(conn, &account.id)
        .await?
        .into_iter()
        .any(|m| m.state == MeansState::Active || m.state == MeansState::UpgradePending);
    Ok(usable.then(|| account.email.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_session_cookie_among_others() {
        let c = Config::for_tests("sqlite://x.db");
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; bm_session=abc; b=2"));
        assert_eq!(from_headers(&c, &h).unwrap().expose(), "abc");
        h.insert(header::COOKIE, HeaderValue::from_static("bm_session="));
        assert!(from_headers(&c, &h).is_none());
    }

    #[test]
    fn cookie_flags() {
        let mut c = Config::for_tests("sqlite://x.db");
        let v = set_cookie(&c, &RawToken::from_client("tok"));
        let s = v.to_str().unwrap();
        assert!(s.starts_with("bm_session=tok;"), "{s}");
        assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax") && s.contains("Path=/") && !s.contains("Secure"));
        c.public_url = "https://beheer.example".into();
        for base in [COOKIE, "bm_activatie", "bm_herstel", "bm_registratie"] {
            let s = cookie_header(&c, base, Some(&RawToken::from_client("tok")), 60);
            let s = s.to_str().unwrap();
            assert!(s.starts_with(&format!("__Host-{base}=tok;")), "{s}");
            assert!(
                s.contains("; Path=/;") && s.ends_with("; Secure") && !s.contains("Domain"),
                "{s}"
            );
        }
        assert!(clear_cookie(&c).to_str().unwrap().starts_with("__Host-bm_session=;"));
    }

    #[test]
    fn over_tls_only_the_host_prefixed_cookie_counts() {
        let mut c = Config::for_tests("sqlite://x.db");
        c.public_url = "https://beheer.example".into();
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("bm_session=planted"));
        assert!(
            from_headers(&c, &h).is_none(),
            "a cookie without the prefix may come from anywhere"
        );
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("bm_session=planted; __Host-bm_session=real"),
        );
        assert_eq!(from_headers(&c, &h).unwrap().expose(), "real");
    }
}
