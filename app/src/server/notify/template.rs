//! Message texts stored as a template name and a few parameters instead of the whole text.
//!
//! A batch of 50,000 activation e-mails would otherwise store (and write to the WAL) some
//! 25 MB of nearly identical text. The outbox keeps [`Template::as_str`] in its `template`
//! column and [`Params::to_json`] in `body`; `db::outbox` renders the text whenever it
//! reads such a row, so the worker, the dev inbox and every other reader see the final
//! text, identical to what [`activation_text`] produces when called directly.
//!
//! Parameters hold the raw link token: no `Debug` here prints them, and a
//! [`TemplateError`] never repeats them.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// A stored template; the name is what the outbox's `template` column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Template {
    /// The e-mail with the activation link for a requested means.
    Activation,
}

impl Template {
    pub const ALL: [Template; 1] = [Template::Activation];

    pub fn as_str(self) -> &'static str {
        match self {
            Template::Activation => "activation",
        }
    }

    pub fn parse(s: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// A stored templated text that cannot be rendered. Shows no parameter values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// Written by a build that knows a template this one does not.
    #[error("unknown message template {0:?}")]
    Unknown(String),
    #[error("unreadable parameters for message template {0:?}")]
    Params(&'static str),
}

/// Parameters of the activation e-mail; see [`activation_text`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationParams<'a> {
    /// The person's name as shown ("Jan van der Berg").
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    /// The requesting organisation's name, so the person can tell which request this is.
    /// Rows written before it existed read as "Uw organisatie".
    #[serde(borrow, default)]
    pub organisation: Cow<'a, str>,
    /// The level's stored name ("EH2+").
    #[serde(borrow)]
    pub level: Cow<'a, str>,
    /// The whole activation link, raw token included.
    #[serde(borrow)]
    pub link: Cow<'a, str>,
}

impl fmt::Debug for ActivationParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActivationParams")
            .field("name", &self.name)
            .field("organisation", &self.organisation)
            .field("level", &self.level)
            .field("link", &"•••")
            .finish()
    }
}

/// The parameters of one templated message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Params<'a> {
    Activation(ActivationParams<'a>),
}

impl Params<'_> {
    pub fn template(&self) -> Template {
        match self {
            Params::Activation(_) => Template::Activation,
        }
    }

    /// The compact JSON stored in the outbox's `body`.
    pub fn to_json(&self) -> Result<String, TemplateError> {
        let json = match self {
            Params::Activation(p) => serde_json::to_string(p),
        };
        json.map_err(|_| TemplateError::Params(self.template().as_str()))
    }

    /// The text to send.
    pub fn render(&self) -> String {
        match self {
            Params::Activation(p) => activation_text(&p.name, &p.organisation, &p.level, &p.link),
        }
    }
}

/// Renders a stored row: `template` as in the outbox's column, `params` its `body`.
pub fn render(template: &str, params: &str) -> Result<String, TemplateError> {
    match Template::parse(template) {
        Some(t @ Template::Activation) => serde_json::from_str::<ActivationParams>(params)
            .map(|p| Params::Activation(p).render())
            .map_err(|_| TemplateError::Params(t.as_str())),
        None => Err(TemplateError::Unknown(template.to_string())),
    }
}

/// The activation e-mail: plain text, the link on a line of its own, the requesting
/// organisation named (as plain text). It reads the same whether or not the address has
/// an account already: the page after the link tells the holder which way they go.
pub fn activation_text(name: &str, organisation: &str, level: &str, link: &str) -> String {
    let organisation = if organisation.trim().is_empty() {
        "Uw organisatie"
    } else {
        organisation
    };
    format!(
        "Beste {name},\n\n{organisation} heeft een eHerkenningsmiddel op niveau {level} voor u aangevraagd.\n\
         Open de link hieronder op uw telefoon om uw e-mailadres te bevestigen. Daarna ontvangt u een\n\
         sms-code. Heeft u al een account bij ons, dan bevestigt u met uw wachtwoord; anders kiest u\n\
         uw eigen wachtwoord.\n\n{link}\n\n\
         De link werkt 24 uur en één keer. Heeft u dit niet verwacht? Dan kunt u deze e-mail negeren.\n\n\
         Met vriendelijke groet,\nBeheermodule\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://beheer.example.nl/activeren/Abc-_123\"x\\y";

    fn activation() -> Params<'static> {
        Params::Activation(ActivationParams {
            name: "Jan van der Berg".into(),
            organisation: "Bakkerij Jansen B.V.".into(),
            level: "EH2+".into(),
            link: LINK.into(),
        })
    }

    #[test]
    fn names_round_trip() {
        for t in Template::ALL {
            assert_eq!(Template::parse(t.as_str()), Some(t));
        }
        assert_eq!(Template::parse("welkom"), None);
    }

    #[test]
    fn the_activation_text_is_fixed() {
        assert_eq!(
            activation_text(
                "Jan van der Berg",
                "Bakkerij Jansen B.V.",
                "EH3",
                "https://x.nl/activeren/t0k3n"
            ),
            "Beste Jan van der Berg,\n\
             \n\
             Bakkerij Jansen B.V. heeft een eHerkenningsmiddel op niveau EH3 voor u aangevraagd.\n\
             Open de link hieronder op uw telefoon om uw e-mailadres te bevestigen. Daarna ontvangt u een\n\
             sms-code. Heeft u al een account bij ons, dan bevestigt u met uw wachtwoord; anders kiest u\n\
             uw eigen wachtwoord.\n\
             \n\
             https://x.nl/activeren/t0k3n\n\
             \n\
             De link werkt 24 uur en één keer. Heeft u dit niet verwacht? Dan kunt u deze e-mail negeren.\n\
             \n\
             Met vriendelijke groet,\n\
             Beheermodule\n"
        );
    }

    #[test]
    fn stored_parameters_render_the_same_text() {
        let p = activation();
        let json = p.to_json().unwrap();
        assert!(json.len() < 170, "{} bytes", json.len());
        let text = render(Template::Activation.as_str(), &json).unwrap();
        assert_eq!(
            text,
            activation_text("Jan van der Berg", "Bakkerij Jansen B.V.", "EH2+", LINK)
        );
        assert_eq!(text, p.render());
        assert!(text.lines().any(|l| l == LINK));
    }

    #[test]
    fn rows_from_before_the_organisation_field_still_render() {
        let old = r#"{"name":"Jan","level":"EH3","link":"https://x.nl/activeren/t0k3n"}"#;
        let text = render("activation", old).unwrap();
        assert!(
            text.contains("\nUw organisatie heeft een eHerkenningsmiddel op niveau EH3"),
            "{text}"
        );
    }

    #[test]
    fn errors_and_debug_never_show_the_link() {
        assert_eq!(render("welkom", "{}"), Err(TemplateError::Unknown("welkom".into())));
        let broken = format!("{{\"name\":\"Jan\",\"link\":\"{LINK}\"}}");
        let err = render("activation", &broken).unwrap_err();
        assert_eq!(err, TemplateError::Params("activation"));
        assert!(!err.to_string().contains("activeren"), "{err}");
        let debug = format!("{:?}", activation());
        assert!(
            !debug.contains("activeren") && debug.contains("Jan van der Berg"),
            "{debug}"
        );
    }
}
