//! The back-office queue: its items, the documents shown at the desk and the
//! [`Outcome`] codes a decision redirects with.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub request_id: String,
    pub state: String,
    pub waiting_since: String,
    pub name: String,
    pub birth_date: String,
    pub email: String,
    pub organisation: String,
    pub kvk_number: String,
    pub level: String,
    pub employed: bool,
    pub document_id: Option<String>,
    pub document_mime: Option<String>,
    pub can_approve_id: bool,
    pub can_record_in_person: bool,
}

/// The document a person showed at the desk (only its type is recorded, never its number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InPersonDocument {
    Passport,
    IdentityCard,
    DrivingLicence,
}

impl InPersonDocument {
    pub const ALL: [InPersonDocument; 3] = [
        InPersonDocument::Passport,
        InPersonDocument::IdentityCard,
        InPersonDocument::DrivingLicence,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            InPersonDocument::Passport => "passport",
            InPersonDocument::IdentityCard => "identity_card",
            InPersonDocument::DrivingLicence => "driving_licence",
        }
    }
    pub fn label_nl(self) -> &'static str {
        match self {
            InPersonDocument::Passport => "Paspoort",
            InPersonDocument::IdentityCard => "Identiteitskaart",
            InPersonDocument::DrivingLicence => "Rijbewijs",
        }
    }
    pub fn parse(s: &str) -> Option<InPersonDocument> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

crate::contract::notices! {
    /// The outcome shown above the queue after a decision.
    Outcome;
    Approved = "goedgekeurd", false, "Goedgekeurd: het middel is uitgegeven en de aanvrager is per e-mail ingelicht. Het document is verwijderd.";
    ApprovedInPersonNext = "goedgekeurd-balie", false, "Identiteitsbewijs goedgekeurd en verwijderd. Voor EH4 volgt nog identificatie aan de balie.";
    Rejected = "afgewezen", false, "Afgewezen: de aanvrager krijgt de reden per e-mail. Het document is verwijderd.";
    Recorded = "vastgelegd", false, "Identificatie aan de balie vastgelegd: het middel is uitgegeven.";
    ReasonNeeded = "reden-nodig", true, "Geef bij afwijzen een reden op (5 tot 500 tekens); de aanvrager krijgt die te lezen.";
    NoDocument = "geen-document", true, "Er is nog geen identiteitsbewijs geüpload; er valt nog niets goed te keuren.";
    Confirm = "bevestigen", true, "Kies het getoonde document en bevestig dat u de persoon aan de balie heeft geïdentificeerd.";
    Stale = "al-beslist", true, "Over deze aanvraag is intussen al beslist, of ze wacht niet meer op deze stap.";
}
