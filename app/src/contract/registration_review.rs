//! The back office's review of manager registrations: the queue item and the
//! [`ReviewNotice`] codes a decision redirects with (`?registratie=…`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub request_id: String,
    pub org_name: String,
    pub kvk_number: String,
    pub branch_number: Option<String>,
    pub level: String,
    pub submitted: String,
    pub due_min: String,
    pub due_max: String,
    pub overdue: bool,
    pub extract: String,
    pub extract_ok: bool,
    pub manager: String,
    pub manager_email: String,
    pub manager_mobile: String,
    pub manager_birth_date: String,
    pub manager_employed: bool,
    /// Name, e-mail and answer of each representative.
    pub representatives: Vec<(String, String, String)>,
    pub contract: String,
    /// Objections of the organisation's existing managers: name, when, reason (may be empty).
    #[serde(default)]
    pub objections: Vec<(String, String, String)>,
    /// Id, description and type of each document still on file.
    pub documents: Vec<(String, String, String)>,
}

crate::contract::notices! {
    /// The message after a decision, named in `?registratie=…`.
    ReviewNotice;
    Approved = "goedgekeurd", false, "Aanmelding goedgekeurd: de beheerder krijgt een activatie-e-mail en is beheerder zodra het middel actief is. De documenten zijn verwijderd.";
    Rejected = "afgewezen", false, "Aanmelding afgewezen: de aanvrager krijgt de reden per e-mail. De documenten zijn verwijderd.";
    ReasonNeeded = "reden-nodig", true, "Geef bij afwijzen een reden op (5 tot 500 tekens); de aanvrager krijgt die te lezen.";
    Decided = "al-beslist", true, "Over deze aanmelding is intussen al beslist.";
}

/// The message after a decision, by its code in `?registratie=…`: whether it is an error,
/// and its text.
pub fn outcome_text(code: &str) -> Option<(bool, &'static str)> {
    ReviewNotice::parse(code).map(|n| (n.is_error(), n.text()))
}
