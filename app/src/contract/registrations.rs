//! The public side of a manager registration (flow 1): the wizard's view and
//! [`WizardNotice`] codes, the status page, and the representative's and objecting
//! manager's link pages.

use crate::contract::activation::{minutes_param, try_again};
use crate::domain::registration::Draft;
use serde::{Deserialize, Serialize};

crate::contract::notices! {
    /// A message the wizard shows once after a post, named in `?melding=…`.
    WizardNotice;
    FileTooLarge = "bestand-groot", true, "Het bestand is te groot. Het mag hoogstens 10 MB zijn.";
    FileType = "bestand-type", true, "Dit bestandstype wordt niet aangenomen. Upload een foto (JPEG of PNG) of een PDF.";
    NotPdf = "geen-pdf", true, "Upload het KvK-uittreksel als PDF.";
    UnknownSlot = "bestand-onbekend", true, "Een bestand hoorde bij geen van de vragen en is niet bewaard. Upload alleen het uittreksel en de identiteitsbewijzen waar de pagina om vraagt.";
    DraftFull = "bestanden-vol", true, "Dit bestand is niet bewaard: samen met de bestanden die u al heeft geüpload, wordt uw aanmelding te groot. Upload een kleinere scan of foto, of vervang een groot bestand.";
    ServiceFull = "dienst-vol", true, "Dit bestand is niet bewaard: er staan op dit moment te veel onvoltooide aanmeldingen met bestanden open. Uw ingevulde gegevens zijn wel bewaard; probeer het bestand over een uur opnieuw te uploaden.";
    NetworkLimit = "netwerk-limiet", true, "Vanaf uw netwerk zijn te veel aanmeldingen begonnen of formulieren verstuurd.";
    DraftGone = "concept-verlopen", true, "Uw aanmelding was niet meer te vinden: een onvoltooide aanmelding wordt na 24 uur met de bestanden verwijderd. Begin hieronder opnieuw.";
    CodeSent = "code-verstuurd", false, "We hebben een code van 6 cijfers naar uw e-mailadres gestuurd. Vul die hieronder in: pas dan versturen we uw aanmelding.";
    CodeResent = "code-opnieuw", false, "Er is een nieuwe code naar uw e-mailadres gestuurd. De vorige code werkt niet meer.";
    CodeWrong = "code-onjuist", true, "De code klopt niet. Gebruik de code uit de laatste e-mail.";
    CodeDead = "code-op", true, "Deze code werkt niet meer: er is te vaak een onjuiste code ingevuld. Vraag hieronder een nieuwe code aan.";
    CodeExpired = "code-verlopen", true, "Deze code is verlopen (een code werkt 10 minuten). Vraag hieronder een nieuwe code aan.";
    CodeMissing = "code-nodig", true, "Voor dit e-mailadres is nog geen code verstuurd. Kies ‘Aanmelding versturen’ of vraag hieronder een code aan.";
    TooManyCodes = "te-veel-codes", true, "U heeft het maximum van 3 codes voor deze aanmelding gehad. Controleer of het e-mailadres klopt en of de e-mail in uw map met ongewenste e-mail staat, of begin morgen een nieuwe aanmelding.";
    EmailConfirmed = "email-bevestigd", false, "Uw e-mailadres is al bevestigd. U kunt de aanmelding versturen.";
}

/// The text of a `?melding=` notice with its `over=` minutes, or nothing for an unknown code.
pub fn wizard_notice(code: Option<&str>, over: Option<String>) -> Option<(bool, String)> {
    let n = WizardNotice::parse(code?)?;
    let mut text = n.text().to_string();
    if n == WizardNotice::NetworkLimit {
        text.push_str(&minutes_param(over).map(try_again).unwrap_or_default());
    }
    Some((n.is_error(), text))
}

/// Where the applicant's own e-mail address stands (see `service::registration_confirm`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailCheckView {
    /// No code out for the draft's current applicant address.
    NotYet,
    /// A code went to `email`: the review step asks for it.
    CodeSent {
        email: String,
        codes_left: i64,
    },
    Confirmed,
}

/// What the wizard page needs: the step (0-based), the typed values, which uploads are
/// in, and the errors of steps the applicant tried to leave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WizardView {
    pub draft: Draft,
    pub uploaded: Vec<(String, i64)>,
    pub errors: Vec<(String, String)>,
    pub today_iso: String,
    pub due_min: String,
    pub due_max: String,
    pub email_check: EmailCheckView,
    /// All files of one draft together, in whole MB (`DRAFT_MAX_BYTES`).
    pub max_total_mb: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusView {
    pub state: String,
    pub state_label: String,
    pub org_name: String,
    pub kvk_number: String,
    pub level: String,
    pub submitted: String,
    pub due_min: String,
    pub due_max: String,
    /// Name and answer of each representative.
    pub representatives: Vec<(String, String)>,
    pub reason: Option<String>,
    /// Every pending representative's link has expired: the applicant may ask for new ones.
    pub can_resend: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApprovalView {
    Valid {
        representative: String,
        org_name: String,
        kvk_number: String,
        branch_number: Option<String>,
        manager_name: String,
        manager_email: String,
        level: String,
        others: Vec<String>,
    },
    Unusable(String),
}

/// What an existing manager's objection link shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjectionView {
    Valid {
        manager: String,
        org_name: String,
        kvk_number: String,
        branch_number: Option<String>,
        applicant: String,
        applicant_email: String,
        level: String,
        submitted: String,
    },
    Unusable(String),
}

/// The text of the public link pages' `?melding=netwerk-limiet&over=N`.
pub fn limit_text(code: Option<&str>, over: Option<String>) -> Option<String> {
    (code? == "netwerk-limiet").then(|| {
        format!(
            "Vanaf uw netwerk is dit formulier te vaak verstuurd.{}",
            minutes_param(over).map(try_again).unwrap_or_default()
        )
    })
}
