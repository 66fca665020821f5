//! [`OutboxRow`]: a stored message as the worker and the pages read it. A templated row
//! stores its parameters; reading renders them, so `body` is always the text to send, and
//! a row whose template this build does not know reads with a render error (and is never
//! claimed: [`known_templates`]).

use super::{Channel, GAVE_UP_AT};
use crate::server::notify::template::{self, Template, TemplateError};
use std::fmt;

/// One stored message, its text rendered. `Debug` leaves the body out.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: String,
    pub channel: Channel,
    pub recipient: String,
    pub subject: Option<String>,
    /// The text to send; for a templated row rendered from the stored parameters, empty
    /// when that failed (see `render_error`).
    pub body: String,
    /// The template's stored name; `None` for a free text.
    pub template: Option<String>,
    /// Why a templated text could not be rendered; the worker gives such a row up.
    pub render_error: Option<TemplateError>,
    pub created_at: i64,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub claimed_until: Option<i64>,
    pub delivered_at: Option<i64>,
    pub delivered_via: Option<String>,
    pub last_error: Option<String>,
}

impl OutboxRow {
    pub fn is_delivered(&self) -> bool {
        self.delivered_at.is_some()
    }

    /// True when the worker gave up on this message.
    pub fn gave_up(&self) -> bool {
        self.delivered_at.is_none() && self.next_attempt_at == GAVE_UP_AT
    }
}

impl fmt::Debug for OutboxRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboxRow")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .field("recipient", &self.recipient)
            .field("subject", &self.subject)
            .field("body", &format_args!("<{} chars>", self.body.chars().count()))
            .field("template", &self.template)
            .field("render_error", &self.render_error)
            .field("created_at", &self.created_at)
            .field("attempts", &self.attempts)
            .field("next_attempt_at", &self.next_attempt_at)
            .field("claimed_until", &self.claimed_until)
            .field("delivered_at", &self.delivered_at)
            .field("delivered_via", &self.delivered_via)
            .field("last_error", &self.last_error)
            .finish()
    }
}

/// A row as stored: `body` may still be template parameters.
#[derive(sqlx::FromRow)]
pub(super) struct StoredRow {
    id: String,
    channel: Channel,
    recipient: String,
    subject: Option<String>,
    body: String,
    template: Option<String>,
    created_at: i64,
    attempts: i64,
    next_attempt_at: i64,
    claimed_until: Option<i64>,
    delivered_at: Option<i64>,
    delivered_via: Option<String>,
    last_error: Option<String>,
}

impl From<StoredRow> for OutboxRow {
    fn from(r: StoredRow) -> OutboxRow {
        let (body, render_error) = match r.template.as_deref() {
            None => (r.body, None),
            Some(name) => match template::render(name, &r.body) {
                Ok(text) => (text, None),
                Err(e) => (String::new(), Some(e)),
            },
        };
        OutboxRow {
            id: r.id,
            channel: r.channel,
            recipient: r.recipient,
            subject: r.subject,
            body,
            template: r.template,
            render_error,
            created_at: r.created_at,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            claimed_until: r.claimed_until,
            delivered_at: r.delivered_at,
            delivered_via: r.delivered_via,
            last_error: r.last_error,
        }
    }
}

pub(super) fn rendered(rows: Vec<StoredRow>) -> Vec<OutboxRow> {
    rows.into_iter().map(OutboxRow::from).collect()
}

pub(super) const COLUMNS: &str = "id, channel, recipient, subject, body, template, created_at, attempts, \
     next_attempt_at, claimed_until, delivered_at, delivered_via, last_error";

/// `template IS NULL OR template IN ('activation', …)`: the rows this build can render.
pub(super) fn known_templates() -> String {
    let names: Vec<String> = Template::ALL.iter().map(|t| format!("'{}'", t.as_str())).collect();
    format!("(template IS NULL OR template IN ({}))", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::outbox::NewMessage;
    use crate::server::notify::template::Params;

    #[test]
    fn row_debug_hides_the_body() {
        let row = OutboxRow {
            id: "1".into(),
            channel: Channel::Sms,
            recipient: "+31612345678".into(),
            subject: None,
            body: "code 654321".into(),
            template: None,
            render_error: None,
            created_at: 0,
            attempts: 0,
            next_attempt_at: 0,
            claimed_until: None,
            delivered_at: None,
            delivered_via: None,
            last_error: None,
        };
        assert!(!format!("{row:?}").contains("654321"));
        assert!(!row.gave_up());
    }

    fn stored(template: Option<&str>, body: &str) -> StoredRow {
        StoredRow {
            id: "1".into(),
            channel: Channel::Email,
            recipient: "eva@example.nl".into(),
            subject: Some("Activeer".into()),
            body: body.into(),
            template: template.map(Into::into),
            created_at: 0,
            attempts: 0,
            next_attempt_at: 0,
            claimed_until: None,
            delivered_at: None,
            delivered_via: None,
            last_error: None,
        }
    }

    #[test]
    fn templated_rows_are_rendered_when_read() {
        let params = Params::Activation(template::ActivationParams {
            name: "Eva de Vries".into(),
            organisation: "Bakkerij B.V.".into(),
            level: "EH2".into(),
            link: "https://x.nl/activeren/geheim".into(),
        });
        let msg = NewMessage::templated_email("eva@example.nl", "Activeer", &params).unwrap();
        assert_eq!(msg.template, Some(Template::Activation));
        assert!(!format!("{msg:?}").contains("geheim"));

        let row = OutboxRow::from(stored(Some("activation"), &msg.body));
        assert_eq!(row.body, params.render());
        assert_eq!(
            (row.template.as_deref(), row.render_error.as_ref()),
            (Some("activation"), None)
        );
        assert!(!format!("{row:?}").contains("geheim"));

        let plain = OutboxRow::from(stored(None, "{\"zomaar\": \"tekst\"}"));
        assert_eq!(plain.body, "{\"zomaar\": \"tekst\"}");
        let unknown = OutboxRow::from(stored(Some("nieuw"), "{}"));
        assert_eq!(unknown.render_error, Some(TemplateError::Unknown("nieuw".into())));
        assert!(unknown.body.is_empty());
        let broken = OutboxRow::from(stored(
            Some("activation"),
            "{\"link\": \"https://x.nl/activeren/geheim\"}",
        ));
        assert!(broken.body.is_empty() && !format!("{broken:?}").contains("geheim"));
        assert_eq!(known_templates(), "(template IS NULL OR template IN ('activation'))");
    }
}
