//! Beheer → Lopende aanvragen: the list's query ([`ListQuery`]) and lines, a request's
//! detail and timeline, and the [`Outcome`] codes a cancel or resend redirects with.

use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: i64 = 25;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLine {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub person: String,
    pub email: String,
    pub level: String,
    pub state: String,
    pub state_label: String,
    pub requested_by: String,
    pub age: String,
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestList {
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub lines: Vec<RequestLine>,
}

/// The query of the list page, as in its URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// `afgerond` for the finished tab, anything else for open requests.
    pub tab: String,
    pub kind: String,
    pub state: String,
    pub q: String,
    /// `nieuw` for newest first; oldest first otherwise.
    pub sort: String,
    pub page: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineItem {
    pub at: String,
    pub label: String,
    pub actor: String,
    pub detail: String,
}

/// Whether and when the e-mail or SMS can be sent again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResendInfo {
    /// `e-mail` or `sms`.
    pub channel: String,
    pub used: i64,
    pub limit: i64,
    /// `None` when a resend is allowed now; otherwise the wait in words ("4 minuten").
    pub wait: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestDetail {
    pub id: String,
    pub kind_label: String,
    pub state: String,
    pub state_label: String,
    pub person: String,
    pub email: String,
    pub level: String,
    pub requested_by: String,
    pub created: String,
    pub finished: Option<String>,
    pub cancellable: bool,
    pub resend: Option<ResendInfo>,
    pub timeline: Vec<TimelineItem>,
}

crate::contract::notices! {
    /// The message after a cancel or resend.
    Outcome;
    Cancelled = "geannuleerd", false, "Geannuleerd: de links en sms-codes van de aanvraag werken niet meer.";
    NothingChosen = "niets-gekozen", true, "Kies eerst een of meer aanvragen om te annuleren.";
    Confirm = "bevestigen", true, "Vink aan dat u zeker weet dat u wilt annuleren; er is niets geannuleerd.";
    Stale = "al-gewijzigd", true, "Niet geannuleerd: een aanvraag is intussen afgerond of al beëindigd. Een afgeronde aanvraag kan niet worden geannuleerd.";
    Resent = "opnieuw-verstuurd", false, "Opnieuw verstuurd. De vorige link of sms-code werkt niet meer.";
    TooSoon = "te-vaak", true, "Niet verstuurd: de grens voor opnieuw versturen is bereikt. Hieronder staat wanneer het weer kan.";
    NotWaiting = "wacht-niet", true, "Niet verstuurd: deze aanvraag wacht niet (meer) op een e-mail of sms-code.";
}
