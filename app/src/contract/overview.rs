//! Overzicht: counts with the lists behind them, the person × service matrix and the means
//! list; [`LEVELS`] and the labels they share with the CSV export.

use serde::{Deserialize, Serialize};

pub const LEVELS: [&str; 4] = ["EH2", "EH2+", "EH3", "EH4"];
pub const MATRIX_PAGE: i64 = 20;

/// A number and the list it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub n: i64,
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountRow {
    pub label: String,
    /// One count per level in [`LEVELS`] (empty for rows without levels).
    pub by_level: Vec<Count>,
    pub total: Count,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewData {
    pub all: bool,
    pub organisations: Vec<String>,
    pub means: Vec<CountRow>,
    pub authorisations: Vec<CountRow>,
    pub requests: Vec<CountRow>,
    pub expiring: Count,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixColumn {
    pub key: String,
    pub label: String,
}

/// A cell: the authorisation level, and whether the means is too weak for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub level: String,
    pub too_weak: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub means_level: String,
    pub cells: Vec<Option<MatrixCell>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matrix {
    pub columns: Vec<MatrixColumn>,
    pub rows: Vec<MatrixRow>,
    /// People with a live means in scope (all pages).
    pub total: i64,
    /// Means ids of the first and last row shown: the cursors of the pages around it.
    pub first: Option<String>,
    pub last: Option<String>,
    pub has_prev: bool,
    pub has_next: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeansListLine {
    pub organisation: String,
    pub name: String,
    pub email: String,
    pub level: String,
    pub state: String,
    pub state_label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeansList {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub lines: Vec<MeansListLine>,
}

/// `&alle=1` when the overview covers all managed organisations.
pub fn all_suffix(all: bool) -> &'static str {
    if all {
        "&alle=1"
    } else {
        ""
    }
}

pub fn means_state_label(state: &str) -> String {
    crate::domain::means::MeansState::parse(state)
        .map(|s| s.label_nl().to_string())
        .unwrap_or_else(|| state.to_string())
}
