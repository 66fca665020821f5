//! [`NewMessage`]: a message to enqueue, a free text or a template with its parameters.
//! Its `Debug` leaves the body out (it carries links and codes).

use super::Channel;
use crate::server::notify::template::{Params, Template, TemplateError};
use std::fmt;

/// A message to enqueue. `Debug` leaves the body out.
#[derive(Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub channel: Channel,
    pub recipient: String,
    pub subject: Option<String>,
    /// The text, or with a `template` that template's parameters as JSON.
    pub body: String,
    pub template: Option<Template>,
    /// The request the message belongs to, if any: how a manager's page finds the messages
    /// of its own organisation's requests (never by matching another's recipients).
    pub request_id: Option<String>,
}

impl NewMessage {
    /// Marks the message as belonging to `request_id`.
    pub fn about(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    pub fn email(to: impl Into<String>, subject: impl Into<String>, body: impl Into<String>) -> Self {
        NewMessage {
            channel: Channel::Email,
            recipient: to.into(),
            subject: Some(subject.into()),
            body: body.into(),
            template: None,
            request_id: None,
        }
    }

    /// An e-mail stored as a template and its parameters, rendered when read.
    pub fn templated_email(
        to: impl Into<String>,
        subject: impl Into<String>,
        params: &Params<'_>,
    ) -> Result<Self, TemplateError> {
        Ok(NewMessage {
            channel: Channel::Email,
            recipient: to.into(),
            subject: Some(subject.into()),
            body: params.to_json()?,
            template: Some(params.template()),
            request_id: None,
        })
    }

    /// `to` is an E.164 mobile number (`+316…`).
    pub fn sms(to: impl Into<String>, body: impl Into<String>) -> Self {
        NewMessage {
            channel: Channel::Sms,
            recipient: to.into(),
            subject: None,
            body: body.into(),
            template: None,
            request_id: None,
        }
    }
}

impl fmt::Debug for NewMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewMessage")
            .field("channel", &self.channel)
            .field("recipient", &self.recipient)
            .field("subject", &self.subject)
            .field("body", &format_args!("<{} chars>", self.body.chars().count()))
            .field("template", &self.template)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_message_debug_hides_the_body() {
        let m = NewMessage::sms("+31612345678", "Uw code is 987654");
        let s = format!("{m:?}");
        assert!(s.contains("+31612345678"));
        assert!(!s.contains("987654"), "{s}");
        assert!(!s.contains("Uw code"), "{s}");
        let e = NewMessage::email("a@b.nl", "Activeren", "https://x/activeren/geheim");
        let s = format!("{e:?}");
        assert!(s.contains("Activeren") && !s.contains("geheim"), "{s}");
    }
}
