//! Beheer → Machtigingen: the list's filters ([`AuthQuery`]) and lines, the grant form's
//! choices, order and reply, and the Dutch labels of authorisation states.

use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 25;

/// The list's filters, as in the page's query string (Dutch names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthQuery {
    pub persoon: String,
    /// A service id, or `alle` for "all services up to a level".
    pub dienst: String,
    pub status: String,
    pub niveau: String,
    /// Only those expiring within 60 days.
    pub verloopt: bool,
    /// All organisations the manager manages (read only), not just the current one.
    pub alle: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthLine {
    pub id: String,
    pub organisation: String,
    pub person: String,
    pub email: String,
    pub means_level: String,
    pub service: String,
    pub level: String,
    pub state: String,
    pub state_label: String,
    pub valid_from: String,
    pub valid_until: String,
    pub revoked_reason: Option<String>,
    /// The holder's means is weaker than the authorisation: it cannot be used.
    pub too_weak: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthPage {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub lines: Vec<AuthLine>,
}

/// A person who can receive authorisations, with the level of their means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantPerson {
    pub means_id: String,
    pub name: String,
    pub email: String,
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceOption {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantSetup {
    pub manager_level: String,
    pub today_iso: String,
    pub people: Vec<GrantPerson>,
    pub services: Vec<ServiceOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRequest {
    pub means_ids: Vec<String>,
    pub services: Vec<String>,
    /// A level for "all services up to level L" instead of services; empty otherwise.
    pub up_to_level: String,
    pub term: String,
    pub start: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantReply {
    pub granted: usize,
    pub already: Vec<String>,
}

impl AuthQuery {
    /// The filters as a query string (without `?`), for links and the export.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("persoon", &self.persoon),
            ("dienst", &self.dienst),
            ("status", &self.status),
            ("niveau", &self.niveau),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        if self.verloopt {
            parts.push("verloopt=1".into());
        }
        if self.alle {
            parts.push("alle=1".into());
        }
        parts.join("&")
    }
}

/// Percent-encodes a query value (levels hold `+`, names spaces).
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Authorisation states' Dutch labels (also for the export).
pub fn state_label(state: &str) -> String {
    crate::domain::authorisation::AuthorisationState::parse(state)
        .map(|s| s.label_nl().to_string())
        .unwrap_or_else(|| state.to_string())
}
