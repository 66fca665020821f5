//! Configuration from the environment (the interface other tools rely on; see PRODUCT.md).
//! Secrets such as the SMS gateway token are kept out of `Debug`.

use crate::server::db::Backend;
use std::fmt;

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    pub public_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub sms_gateway_url: Option<String>,
    pub sms_gateway_token: Option<String>,
    pub dev_inbox: bool,
    /// Key for HMAC over SMS codes: `CODE_HMAC_KEY`, else random per process with SQLite and
    /// empty with PostgreSQL, which `startup::code_key_problem` refuses.
    pub code_key: Vec<u8>,
    /// Session lifetime in minutes.
    pub session_minutes: i64,
    /// A session unused this long ends: `SESSION_IDLE_MINUTES`, 1 to the lifetime,
    /// default 15.
    pub session_idle_minutes: i64,
    /// How long an activation link (and the activation that continues from it) works:
    /// `ACTIVATION_TTL_HOURS`, 1 to 24, default 24.
    pub activation_ttl_ms: i64,
    /// An open request without activity for this many days expires:
    /// `REQUEST_EXPIRY_DAYS`, 1 to 365, default 30.
    pub request_expiry_days: i64,
    /// Per login name, kept in the database: `LOGIN_DELAY_AFTER` (5), `LOGIN_LOCK_AFTER`
    /// (20 in 24 hours), `LOGIN_LOCK_MINUTES` (60), `LOGIN_SMS_PER_HOUR` (5),
    /// `LOGIN_SMS_PER_DAY` (20).
    pub login_limits: crate::domain::login_limit::LoginLimits,
    /// Per client address, in each process: password tries (`ADDRESS_LOGINS_PER_HOUR`,
    /// 100), SMS sent (`ADDRESS_SMS_PER_HOUR`, 20), new registration drafts
    /// (`ADDRESS_DRAFTS_PER_HOUR`, 10), other public form posts (`ADDRESS_FORMS_PER_HOUR`,
    /// 60).
    pub address_limits: AddressQuotas,
    /// The reverse proxy whose `X-Forwarded-For` is believed: `TRUSTED_PROXY` (an IP
    /// address). Without it the client address is the connection's peer.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// `/metrics` answers only with `Authorization: Bearer $METRICS_TOKEN`; without a
    /// token it is served only on `METRICS_BIND` (a separate listen address), if set.
    pub metrics_token: Option<String>,
    pub metrics_bind: Option<String>,
    /// A CSV upload staged but never committed is dropped after `STAGED_UPLOAD_HOURS`
    /// (1 to 24, default 24).
    pub staged_upload_ms: i64,
    /// All unfinished registration drafts' files together: `DRAFTS_TOTAL_MAX_BYTES`,
    /// 64 MiB to 1 TiB, default 2 GiB; past it the wizard keeps the answers, not the files.
    pub drafts_total_max_bytes: i64,
    /// All files of one registration draft together: `DRAFT_MAX_BYTES`, 1 MiB to 1 GiB,
    /// default 25 MiB (the extract and three ID copies fit; one file stays 10 MiB at most).
    pub draft_max_bytes: i64,
    /// An unfinished registration draft and its files are purged this long after its last
    /// step: `DRAFT_TTL_HOURS`, 1 to 24, default 24.
    pub draft_ttl_ms: i64,
}

const MIB: i64 = 1024 * 1024;
/// The default of `DRAFT_MAX_BYTES`.
pub const DRAFT_MAX_BYTES: i64 = 25 * MIB;

/// Budgets per client address and hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressQuotas {
    pub logins_per_hour: u32,
    pub sms_per_hour: u32,
    pub drafts_per_hour: u32,
    pub forms_per_hour: u32,
}

impl Default for AddressQuotas {
    fn default() -> Self {
        AddressQuotas {
            logins_per_hour: 100,
            sms_per_hour: 20,
            drafts_per_hour: 10,
            forms_per_hour: 60,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_url))
            .field("mail_from", &self.mail_from)
            .field("sms_gateway_url", &self.sms_gateway_url)
            .field("sms_gateway_token", &self.sms_gateway_token.as_ref().map(|_| "•••"))
            .field("dev_inbox", &self.dev_inbox)
            .field("login_limits", &self.login_limits)
            .field("address_limits", &self.address_limits)
            .field("trusted_proxy", &self.trusted_proxy)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "•••"))
            .field("metrics_bind", &self.metrics_bind)
            .field("staged_upload_ms", &self.staged_upload_ms)
            .field("drafts_total_max_bytes", &self.drafts_total_max_bytes)
            .field("draft_max_bytes", &self.draft_max_bytes)
            .field("draft_ttl_ms", &self.draft_ttl_ms)
            .finish_non_exhaustive()
    }
}

/// Link lifetime from `ACTIVATION_TTL_HOURS`: whole hours from 1 to 24 (links never live
/// longer than a day); anything else falls back to 24.
fn activation_ttl_ms(hours: Option<&str>) -> i64 {
    let hours = hours
        .and_then(|h| h.trim().parse::<i64>().ok())
        .filter(|h| (1..=24).contains(h))
        .unwrap_or(24);
    hours * 3_600_000
}

/// Days from `REQUEST_EXPIRY_DAYS`: whole days from 1 to 365; anything else is 30.
fn request_expiry_days(days: Option<&str>) -> i64 {
    days.and_then(|d| d.trim().parse::<i64>().ok())
        .filter(|d| (1..=365).contains(d))
        .unwrap_or(30)
}

/// Minutes from `SESSION_IDLE_MINUTES`: whole minutes from 1 to the session lifetime;
/// anything else is 15 (or the lifetime, when that is shorter).
fn session_idle_minutes(minutes: Option<&str>, lifetime: i64) -> i64 {
    minutes
        .and_then(|m| m.trim().parse::<i64>().ok())
        .filter(|m| *m >= 1 && *m <= lifetime)
        .unwrap_or(15.min(lifetime.max(1)))
}

/// A whole number from `value` within `range`; anything else is `default`.
fn number(value: Option<&str>, range: std::ops::RangeInclusive<i64>, default: i64) -> i64 {
    value
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|v| range.contains(v))
        .unwrap_or(default)
}

fn login_limits(var: &dyn Fn(&str) -> Option<String>) -> crate::domain::login_limit::LoginLimits {
    let d = crate::domain::login_limit::LoginLimits::default();
    let n = |k: &str, range, default: u32| number(var(k).as_deref(), range, i64::from(default)) as u32;
    crate::domain::login_limit::LoginLimits {
        delay_after: n("LOGIN_DELAY_AFTER", 1..=1000, d.delay_after),
        lock_after: n("LOGIN_LOCK_AFTER", 1..=10_000, d.lock_after),
        lock_ms: number(var("LOGIN_LOCK_MINUTES").as_deref(), 1..=10_080, d.lock_ms / 60_000) * 60_000,
        sms_per_hour: n("LOGIN_SMS_PER_HOUR", 1..=1000, d.sms_per_hour),
        sms_per_day: n("LOGIN_SMS_PER_DAY", 1..=10_000, d.sms_per_day),
        ..d
    }
}

fn address_quotas(var: &dyn Fn(&str) -> Option<String>) -> AddressQuotas {
    let d = AddressQuotas::default();
    let n = |k: &str, default: u32| number(var(k).as_deref(), 1..=1_000_000, i64::from(default)) as u32;
    AddressQuotas {
        logins_per_hour: n("ADDRESS_LOGINS_PER_HOUR", d.logins_per_hour),
        sms_per_hour: n("ADDRESS_SMS_PER_HOUR", d.sms_per_hour),
        drafts_per_hour: n("ADDRESS_DRAFTS_PER_HOUR", d.drafts_per_hour),
        forms_per_hour: n("ADDRESS_FORMS_PER_HOUR", d.forms_per_hour),
    }
}

/// Hides a password in `scheme://user:password@host`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:•••{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Config {
    /// Reads the environment; unset values take the documented defaults.
    pub fn from_env() -> Config {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let database_url = var("DATABASE_URL").unwrap_or_else(|| "sqlite://beheermodule.db".into());
        // Unset, PostgreSQL gets no key at all: `startup::check_for_serving` refuses to serve.
        let code_key = match var("CODE_HMAC_KEY") {
            Some(k) => k.into_bytes(),
            None if Backend::of_url(&database_url) == Some(Backend::Postgres) => Vec::new(),
            None => {
                use rand::RngCore;
                let mut k = vec![0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut k);
                k
            }
        };
        let session_minutes = var("SESSION_MINUTES")
            .and_then(|v| v.parse().ok())
            .filter(|m: &i64| *m >= 1)
            .unwrap_or(8 * 60);
        Config {
            database_url,
            bind: var("BIND").unwrap_or_else(|| "127.0.0.1:3000".into()),
            public_url: var("PUBLIC_URL")
                .unwrap_or_else(|| "http://127.0.0.1:3000".into())
                .trim_end_matches('/')
                .to_string(),
            smtp_url: var("SMTP_URL"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "Beheermodule <noreply@beheermodule.localhost>".into()),
            sms_gateway_url: var("SMS_GATEWAY_URL"),
            sms_gateway_token: var("SMS_GATEWAY_TOKEN"),
            dev_inbox: var("DEV_INBOX").as_deref() == Some("1"),
            code_key,
            session_minutes,
            session_idle_minutes: session_idle_minutes(var("SESSION_IDLE_MINUTES").as_deref(), session_minutes),
            activation_ttl_ms: activation_ttl_ms(var("ACTIVATION_TTL_HOURS").as_deref()),
            request_expiry_days: request_expiry_days(var("REQUEST_EXPIRY_DAYS").as_deref()),
            login_limits: login_limits(&var),
            address_limits: address_quotas(&var),
            trusted_proxy: var("TRUSTED_PROXY").and_then(|v| v.trim().parse().ok()),
            metrics_token: var("METRICS_TOKEN"),
            metrics_bind: var("METRICS_BIND"),
            staged_upload_ms: number(var("STAGED_UPLOAD_HOURS").as_deref(), 1..=24, 24) * 3_600_000,
            drafts_total_max_bytes: number(
                var("DRAFTS_TOTAL_MAX_BYTES").as_deref(),
                64 * MIB..=1024 * 1024 * MIB,
                2048 * MIB,
            ),
            draft_max_bytes: number(var("DRAFT_MAX_BYTES").as_deref(), MIB..=1024 * MIB, DRAFT_MAX_BYTES),
            draft_ttl_ms: number(var("DRAFT_TTL_HOURS").as_deref(), 1..=24, 24) * 3_600_000,
        }
    }

    /// A configuration for tests: given database, dev inbox on, nothing external.
    pub fn for_tests(database_url: &str) -> Config {
        Config {
            database_url: database_url.into(),
            bind: "127.0.0.1:0".into(),
            public_url: "http://127.0.0.1:3000".into(),
            smtp_url: None,
            mail_from: "Beheermodule <noreply@beheermodule.localhost>".into(),
            sms_gateway_url: None,
            sms_gateway_token: None,
            dev_inbox: true,
            code_key: b"test-key-test-key-test-key-32byt".to_vec(),
            session_minutes: 480,
            session_idle_minutes: 15,
            activation_ttl_ms: 24 * 3_600_000,
            request_expiry_days: 30,
            login_limits: Default::default(),
            address_limits: Default::default(),
            trusted_proxy: None,
            metrics_token: None,
            metrics_bind: None,
            staged_upload_ms: 24 * 3_600_000,
            drafts_total_max_bytes: 2048 * MIB,
            draft_max_bytes: DRAFT_MAX_BYTES,
            draft_ttl_ms: 24 * 3_600_000,
        }
    }

    /// True when served over TLS, so cookies get `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// `scheme://host[:port]` of the public URL, for the Origin check.
    pub fn public_origin(&self) -> String {
        let u = &self.public_url;
        match u.find("://") {
            Some(s) => match u[s + 3..].find('/') {
                Some(p) => u[..s + 3 + p].to_string(),
                None => u.clone(),
            },
            None => u.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_in_urls() {
        assert_eq!(redact_url("postgres://u:secret@h/db"), "postgres://u:•••@h/db");
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
    }

    #[test]
    fn debug_hides_the_gateway_token() {
        let mut c = Config::for_tests("sqlite://x.db");
        c.sms_gateway_token = Some("topsecret".into());
        assert!(!format!("{c:?}").contains("topsecret"));
    }

    #[test]
    fn activation_ttl_is_one_to_24_hours() {
        assert_eq!(activation_ttl_ms(None), 24 * 3_600_000);
        assert_eq!(activation_ttl_ms(Some("2")), 2 * 3_600_000);
        assert_eq!(activation_ttl_ms(Some("48")), 24 * 3_600_000);
        assert_eq!(activation_ttl_ms(Some("0")), 24 * 3_600_000);
        assert_eq!(activation_ttl_ms(Some("x")), 24 * 3_600_000);
    }

    #[test]
    fn idle_timeout_is_one_minute_to_the_lifetime() {
        assert_eq!(session_idle_minutes(None, 480), 15);
        assert_eq!(session_idle_minutes(Some("30"), 480), 30);
        assert_eq!(session_idle_minutes(Some("0"), 480), 15);
        assert_eq!(session_idle_minutes(Some("600"), 480), 15);
        assert_eq!(session_idle_minutes(None, 10), 10);
        assert_eq!(session_idle_minutes(Some("x"), 480), 15);
    }

    #[test]
    fn request_expiry_is_one_to_365_days() {
        assert_eq!(request_expiry_days(None), 30);
        assert_eq!(request_expiry_days(Some("7")), 7);
        assert_eq!(request_expiry_days(Some("0")), 30);
        assert_eq!(request_expiry_days(Some("400")), 30);
        assert_eq!(request_expiry_days(Some("x")), 30);
    }

    #[test]
    fn limits_come_from_the_environment_within_bounds() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        let l = login_limits(&env(&[
            ("LOGIN_LOCK_AFTER", "8"),
            ("LOGIN_LOCK_MINUTES", "5"),
            ("LOGIN_SMS_PER_HOUR", "0"),
        ]));
        assert_eq!((l.lock_after, l.lock_ms, l.sms_per_hour), (8, 300_000, 5));
        let q = address_quotas(&env(&[("ADDRESS_SMS_PER_HOUR", "3"), ("ADDRESS_LOGINS_PER_HOUR", "x")]));
        assert_eq!((q.sms_per_hour, q.logins_per_hour), (3, 100));
    }

    #[test]
    fn public_origin_strips_path() {
        let mut c = Config::for_tests("sqlite://x.db");
        c.public_url = "https://example.nl/app".into();
        assert_eq!(c.public_origin(), "https://example.nl");
        assert!(c.secure_cookies());
    }
}
