//! Beheer → Gebruikers: the people list and the by-hand request form's setup and outcome.

use crate::domain::person_request::FieldError;
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 25;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonLine {
    /// The means, for its page (`/beheer/middelen/{means_id}`: upgrade, opzeggen).
    pub means_id: String,
    pub name: String,
    pub email: String,
    pub level: String,
    pub state: String,
    pub state_label: String,
    pub employed: bool,
    pub since: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub lines: Vec<PersonLine>,
}

/// What the request form needs to check in the browser: the cap and today's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFormSetup {
    pub max_level: String,
    pub today_iso: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestOutcome {
    pub created: usize,
    /// E-mail addresses of people who already hold a means here.
    pub present: Vec<String>,
    /// Problems per row (0-based form row); nothing was stored when there are any.
    pub errors: Vec<(usize, FieldError)>,
}
