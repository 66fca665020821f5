//! Messages to people. Services write them to the outbox (`db::outbox::enqueue`) in the
//! same transaction as the change that causes them; the worker here delivers them:
//! e-mail over SMTP ([`Mailer`]), SMS over the HTTP gateway ([`SmsGateway`]).
//!
//! Guarantees: a message enqueued in a rolled-back transaction does not exist; a committed
//! message is retried with backoff until delivered or given up after
//! [`worker::MAX_ATTEMPTS`]; it is marked delivered right after the send succeeds, so a
//! later pass never sends it again. Delivery is *at least once*: a crash between a
//! successful send and that mark re-sends the message after its lease runs out.
//!
//! A channel without configuration delivers to the development inbox: the row is marked
//! delivered `via = "dev-inbox"` and stays readable at `/dev/inbox` when `DEV_INBOX=1`.
//!
//! Large batches store their messages as a [`template`] and its parameters; the outbox
//! renders them on every read, so delivery and the dev inbox always see the full text. A
//! stored text that cannot be rendered is given up, never sent half-made.
//!
//! Never logged: message bodies (they carry links and codes), the gateway token, SMTP
//! passwords. Errors stored in the outbox are scrubbed of the body first.

pub mod dev_inbox;
pub mod sms;
pub mod smtp;
pub mod template;
pub mod worker;

pub use dev_inbox::dev_inbox_router;
pub use sms::SmsGateway;
pub use smtp::Mailer;
pub use worker::{run_once, run_pass, spawn_worker, PassReport};

use crate::server::config::Config;
use crate::server::db::outbox::{Channel, OutboxRow};
use std::fmt;
use std::sync::Arc;
use tokio::sync::Notify;

/// `delivered_via` of each way out.
pub const VIA_SMTP: &str = "smtp";
pub const VIA_SMS_GATEWAY: &str = "sms-gateway";
pub const VIA_DEV_INBOX: &str = "dev-inbox";

/// Bad delivery configuration, found at start-up.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("SMTP_URL is not usable: {0}")]
    SmtpUrl(String),
    #[error("MAIL_FROM is not a valid mailbox")]
    MailFrom,
    #[error("SMS_GATEWAY_URL is not usable: {0}")]
    SmsGateway(String),
}

/// A failed send. `message` is safe to log: it never holds a body, token or password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub message: String,
    /// Retrying cannot help (e.g. an invalid address or a permanent SMTP rejection).
    pub permanent: bool,
}

impl SendError {
    pub fn retry(message: impl Into<String>) -> Self {
        SendError {
            message: message.into(),
            permanent: false,
        }
    }
    pub fn permanent(message: impl Into<String>) -> Self {
        SendError {
            message: message.into(),
            permanent: true,
        }
    }
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The ways out, one optional per channel, plus the bell that wakes the worker.
#[derive(Clone, Debug, Default)]
pub struct Delivery {
    pub mailer: Option<Mailer>,
    pub sms: Option<SmsGateway>,
    wake: Arc<Notify>,
}

impl Delivery {
    /// From `SMTP_URL`/`MAIL_FROM` and `SMS_GATEWAY_URL`/`SMS_GATEWAY_TOKEN`. A set but
    /// unusable value is an error, so a typo never silently diverts mail to the dev inbox.
    pub fn from_config(cfg: &Config) -> Result<Delivery, NotifyError> {
        let mailer = match cfg.smtp_url.as_deref() {
            Some(url) => Some(Mailer::new(url, &cfg.mail_from)?),
            None => None,
        };
        let sms = match cfg.sms_gateway_url.as_deref() {
            Some(url) => Some(SmsGateway::new(url, cfg.sms_gateway_token.as_deref())?),
            None => None,
        };
        if mailer.is_none() {
            tracing::warn!("SMTP_URL not set: e-mail is not sent, only kept for the dev inbox");
        }
        if sms.is_none() {
            tracing::warn!("SMS_GATEWAY_URL not set: SMS is not sent, only kept for the dev inbox");
        }
        Ok(Delivery {
            mailer,
            sms,
            wake: Arc::default(),
        })
    }

    /// Nothing configured: every message goes to the dev inbox.
    pub fn dev_inbox_only() -> Delivery {
        Delivery::default()
    }

    pub fn with_mailer(mut self, mailer: Mailer) -> Delivery {
        self.mailer = Some(mailer);
        self
    }

    pub fn with_sms_gateway(mut self, gateway: SmsGateway) -> Delivery {
        self.sms = Some(gateway);
        self
    }

    /// Asks the worker to look at the outbox now; call after committing a transaction
    /// that enqueued messages. A wake with no worker waiting is kept for its next wait.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// The bell [`Delivery::wake`] rings, for state that wakes the worker itself
    /// (e.g. `AppState::outbox_wake`).
    pub fn wake_handle(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Uses an existing bell instead of its own.
    pub fn with_wake_handle(mut self, wake: Arc<Notify>) -> Delivery {
        self.wake = wake;
        self
    }

    /// Sends one message; on success returns the `delivered_via` to record.
    pub async fn deliver(&self, row: &OutboxRow) -> Result<&'static str, SendError> {
        if let Some(e) = &row.render_error {
            return Err(SendError::permanent(e.to_string()));
        }
        match row.channel {
            Channel::Email => match &self.mailer {
                Some(m) => {
                    let subject = row.subject.as_deref().unwrap_or("Bericht van Beheermodule");
                    m.send(&row.recipient, subject, &row.body).await.map(|()| VIA_SMTP)
                }
                None => Ok(VIA_DEV_INBOX),
            },
            Channel::Sms => match &self.sms {
                Some(g) => g.send(&row.recipient, &row.body).await.map(|()| VIA_SMS_GATEWAY),
                None => Ok(VIA_DEV_INBOX),
            },
        }
    }
}

/// The SMS code in a message: the only run of exactly six digits in `body`.
pub fn extract_code(body: &str) -> Option<String> {
    let mut found = None;
    for run in body.split(|c: char| !c.is_ascii_digit()) {
        if run.len() == 6 {
            if found.is_some() {
                return None;
            }
            found = Some(run.to_string());
        }
    }
    found
}

/// The text of a delivered message as it stays stored: every link token (a run of 43
/// URL-safe base64 characters) and every SMS code (a run of exactly six digits) replaced
/// by `•••`, so the stored copy no longer opens or proves anything.
pub fn redact_secrets(body: &str) -> String {
    const HIDDEN: &str = "•••";
    fn push_run(run: &str, out: &mut String) {
        if run.len() == 43 {
            out.push_str(HIDDEN);
            return;
        }
        // Within a word, a maximal run of exactly six digits is a code.
        let mut digits = String::new();
        for c in run.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            out.push_str(if digits.len() == 6 { HIDDEN } else { &digits });
            digits.clear();
            if c != ' ' {
                out.push(c);
            }
        }
    }
    let mut out = String::with_capacity(body.len());
    let mut run = String::new();
    for c in body.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            run.push(c);
        } else {
            push_run(&run, &mut out);
            run.clear();
            out.push(c);
        }
    }
    push_run(&run, &mut out);
    out
}

/// Removes the message body, each substantial line of it and its code from an error text,
/// in case a server echoed them back.
pub(crate) fn scrub(error: &str, body: &str) -> String {
    const HIDDEN: &str = "[…]";
    let mut out = error.to_string();
    if !body.trim().is_empty() {
        out = out.replace(body, HIDDEN);
    }
    for line in body.lines().map(str::trim).filter(|l| l.chars().count() >= 6) {
        out = out.replace(line, HIDDEN);
    }
    if let Some(code) = extract_code(body) {
        out = out.replace(&code, HIDDEN);
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_delivered_copy_keeps_no_link_and_no_code() {
        let token = "Qm9vZ2llLXdvb2dpZS10b2tlbi1mb3ItdGVzdHMtMTI";
        let mail = format!("Beste Eva,\n\nhttp://127.0.0.1:3000/activeren/{token}\n\nGeldig tot 02-06-2026 10:00.\n");
        let kept = redact_secrets(&mail);
        assert!(!kept.contains(token) && kept.contains("/activeren/•••"), "{kept}");
        assert!(kept.contains("Geldig tot 02-06-2026 10:00."), "dates stay");
        let sms = "Uw inlogcode voor Beheermodule is 483920. De code is 10 minuten geldig.";
        assert_eq!(
            redact_secrets(sms),
            "Uw inlogcode voor Beheermodule is •••. De code is 10 minuten geldig."
        );
        assert_eq!(
            redact_secrets("code483920 +31612345678 KvK 12345678"),
            "code••• +31612345678 KvK 12345678"
        );
        assert_eq!(super::extract_code(&redact_secrets(sms)), None);
    }

    use super::*;

    #[test]
    fn extract_code_finds_the_only_six_digit_number() {
        assert_eq!(
            extract_code("Uw code is 482913. Geldig 10 minuten."),
            Some("482913".into())
        );
        assert_eq!(extract_code("Code:123456"), Some("123456".into()));
        assert_eq!(extract_code("geen code"), None);
        assert_eq!(extract_code("1234567 is te lang"), None);
        assert_eq!(extract_code("12345 is te kort"), None);
        assert_eq!(extract_code("111111 of 222222"), None);
        assert_eq!(extract_code("+31612345678 krijgt 135790"), Some("135790".into()));
    }

    #[test]
    fn scrub_removes_body_lines_and_code() {
        let body = "Beste Jan,\nhttps://x.nl/activeren/abcdef\nCode 246810";
        let err = "server said: https://x.nl/activeren/abcdef and 246810";
        let s = scrub(err, body);
        assert!(!s.contains("abcdef") && !s.contains("246810"), "{s}");
        assert!(s.starts_with("server said"));
        assert_eq!(scrub("timeout", ""), "timeout");
    }

    #[test]
    fn dev_inbox_only_delivers_everything_to_the_inbox() {
        let d = Delivery::dev_inbox_only();
        assert!(d.mailer.is_none() && d.sms.is_none());
    }
}
