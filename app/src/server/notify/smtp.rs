//! E-mail over SMTP, configured by `SMTP_URL`:
//! `smtp://host:port` (plain, no auth), `smtp://user:pass@host:port` (auth),
//! `smtp://host:587?tls=required` (STARTTLS) or `smtps://host:465` (TLS from the start).
//! Messages are plain text from `MAIL_FROM`, sent as 8-bit UTF-8 when every line fits, so
//! a link stays on one line in the raw message (no quoted-printable soft breaks).

use super::{NotifyError, SendError};
use crate::server::config::redact_url;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::fmt;
use std::time::Duration;

/// How long one SMTP conversation may take in all; well inside the worker's lease.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);
/// How long one step of it (connect, a command, the data) may take.
const SMTP_STEP_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `SMTP_URL` with the password hidden, for `Debug`.
    shown_url: String,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("smtp_url", &self.shown_url)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// Must be called inside a Tokio runtime: the connection pool starts a task there.
    pub fn new(smtp_url: &str, mail_from: &str) -> Result<Mailer, NotifyError> {
        let from: Mailbox = mail_from.parse().map_err(|_| NotifyError::MailFrom)?;
        // lettre's URL errors never repeat the URL, so the password cannot leak here.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| NotifyError::SmtpUrl(e.to_string()))?
            .timeout(Some(SMTP_STEP_TIMEOUT))
            // Connections are kept and reused, one per send the worker has in flight: a
            // new connection per message (TCP, greeting, EHLO, TLS) capped delivery at
            // about 85 messages a second.
            .pool_config(PoolConfig::new().max_size(super::worker::CONCURRENCY as u32))
            .build();
        Ok(Mailer {
            transport,
            from,
            shown_url: redact_url(smtp_url),
        })
    }

    /// Sends one plain-text e-mail.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), SendError> {
        let message = build_message(&self.from, to, subject, body)?;
        match tokio::time::timeout(SMTP_TIMEOUT, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) if e.is_permanent() => Err(SendError::permanent(format!("smtp: {e}"))),
            Ok(Err(e)) => Err(SendError::retry(format!("smtp: {e}"))),
            Err(_) => Err(SendError::retry("smtp: no answer in time")),
        }
    }
}

pub(crate) fn build_message(from: &Mailbox, to: &str, subject: &str, body: &str) -> Result<Message, SendError> {
    let to: Mailbox = to
        .parse()
        .map_err(|_| SendError::permanent("recipient is not a valid e-mail address"))?;
    let body = unencoded_body(body).unwrap_or_else(|| Body::new(body.to_string()));
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| SendError::permanent(format!("cannot build e-mail: {e}")))
}

/// The text as it is (7bit, or 8bit for UTF-8), with CRLF line ends, when RFC 5322
/// allows it: no NUL and no line over 998 octets. lettre itself would switch to
/// quoted-printable past 76 characters and so break long links across lines.
fn unencoded_body(text: &str) -> Option<Body> {
    if text.contains('\0') {
        return None;
    }
    let lf = text.replace("\r\n", "\n").replace('\r', "\n");
    if lf.split('\n').any(|line| line.len() > 998) {
        return None;
    }
    let crlf = lf.replace('\n', "\r\n");
    let encoding = if crlf.is_ascii() {
        ContentTransferEncoding::SevenBit
    } else {
        ContentTransferEncoding::EightBit
    };
    Some(Body::dangerous_pre_encoded(crlf.into_bytes(), encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_plain_text_with_the_link_on_its_own_line() {
        let from: Mailbox = "Beheermodule <noreply@example.nl>".parse().unwrap();
        let link = format!("https://beheer.example.nl/activeren/{}", "a".repeat(90));
        let body = format!("Beste Jan,\n\nActiveer uw middel:\n{link}\n\nMet vriendelijke groet");
        let m = build_message(&from, "jan@example.nl", "Activeer uw eHerkenningsmiddel", &body).unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"), "{raw}");
        assert!(raw.lines().any(|l| l == link), "{raw}");
        assert!(raw.contains("Content-Transfer-Encoding: 7bit"), "{raw}");
    }

    #[test]
    fn keeps_utf8_as_eight_bit_and_falls_back_for_very_long_lines() {
        let from: Mailbox = "noreply@example.nl".parse().unwrap();
        let m = build_message(&from, "a@example.nl", "Één", "Geachte heer Müller,\nDag").unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(raw.contains("Content-Transfer-Encoding: 8bit"), "{raw}");
        assert!(raw.ends_with("Geachte heer Müller,\r\nDag"), "{raw}");
        let long = "x".repeat(1200);
        let m = build_message(&from, "a@example.nl", "s", &long).unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(!raw.contains("Content-Transfer-Encoding: 7bit"), "{raw}");
    }

    #[test]
    fn rejects_a_bad_recipient_permanently() {
        let from: Mailbox = "noreply@example.nl".parse().unwrap();
        let err = build_message(&from, "geen adres", "x", "y").unwrap_err();
        assert!(err.permanent);
    }

    // The pool's housekeeping task needs a Tokio runtime, as `serve` provides.
    #[tokio::test]
    async fn parses_smtp_urls_and_hides_the_password() {
        let m = Mailer::new("smtp://user:geheim@127.0.0.1:2525", "noreply@example.nl").unwrap();
        assert!(!format!("{m:?}").contains("geheim"));
        assert!(Mailer::new("smtp://127.0.0.1:2525", "noreply@example.nl").is_ok());
        assert!(Mailer::new("smtps://mail.example.nl", "noreply@example.nl").is_ok());
        assert!(Mailer::new("gopher://x", "noreply@example.nl").is_err());
        assert!(Mailer::new("smtp://127.0.0.1:2525", "geen adres").is_err());
    }
}
