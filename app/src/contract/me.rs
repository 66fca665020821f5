//! A person's own means and authorisations (`/mijn`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnAuthorisation {
    pub what: String,
    pub level: String,
    pub state: String,
    pub until: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnMeans {
    pub id: String,
    pub organisation: String,
    pub level: String,
    pub state: String,
    pub authorisations: Vec<OwnAuthorisation>,
}
