//! Login and the session as the pages see it; the typed password that never prints.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRef {
    pub id: String,
    pub name: String,
}

/// What the pages may know of the logged-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub display_name: String,
    pub email: String,
    pub organisation: Option<OrgRef>,
    pub managed: Vec<OrgRef>,
    pub is_manager: bool,
    pub is_backoffice: bool,
}

/// A typed password: travels from the form to the server, never printed.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PasswordInput(pub String);

impl std::fmt::Debug for PasswordInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordInput(•••)")
    }
}
