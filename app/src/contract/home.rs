//! The manager's home page: the figures and the requests that need attention.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct HomeFigures {
    pub persons: i64,
    pub active_means: i64,
    pub requested_means: i64,
    pub open_requests: i64,
    pub active_authorisations: i64,
}

/// Requests that need the manager's attention, for the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Attention {
    /// After how many days a waiting request counts as waiting long.
    pub days: i64,
    pub waiting_long: i64,
    pub items: Vec<AttentionItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionItem {
    pub request_id: String,
    pub person: String,
    /// What is the matter, in Dutch.
    pub problem: String,
}
