//! Activation on the phone (flow 4): what the link page and the activation page show,
//! the [`Notice`] codes the form posts redirect with, and the `over=` minutes of a spent
//! network budget.

use serde::{Deserialize, Serialize};

/// What the link page may say about its link. Says nothing about any other account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkView {
    Valid {
        given_names: String,
        organisation: String,
        level: String,
    },
    Unusable(LinkProblem),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkProblem {
    Unknown,
    Used,
    Expired,
    Replaced,
    Cancelled,
}

impl LinkProblem {
    pub fn text(self) -> &'static str {
        match self {
            LinkProblem::Unknown => "Deze link werkt niet. Controleer of u de hele link uit de e-mail heeft geopend.",
            LinkProblem::Used => "Deze link is al gebruikt. Bent u al begonnen met activeren? Ga dan verder op het apparaat waarop u begon.",
            LinkProblem::Expired => "Deze link is verlopen: een activatielink werkt 24 uur.",
            LinkProblem::Replaced => "Er is een nieuwere link naar u gestuurd. Gebruik de link uit de laatste e-mail.",
            LinkProblem::Cancelled => "Deze aanvraag is ingetrokken door uw organisatie.",
        }
    }
}

/// Where the person stands in the activation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// No (live) activation cookie in this browser.
    NoActivation,
    Sms {
        masked_mobile: String,
        tries_left: i64,
        /// The current code is used up, expired or killed: only a new code helps.
        code_dead: bool,
        codes_left: i64,
    },
    /// The password step: choose one (no account yet for this address), or prove the
    /// account's own (the address has one: no new password).
    Password {
        prove: Option<AccountProof>,
    },
    IdUpload {
        uploaded: bool,
    },
    InPerson,
    Completed,
    Rejected {
        reason: String,
    },
    Cancelled,
    Expired,
}

/// What the page says when the address already has an account. Numbers are masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountProof {
    pub tries_left: i64,
    /// The organisation typed a different mobile number than the account's verified one:
    /// (requested, verified), both masked. The code goes to the verified one.
    pub mobile_differs: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationView {
    pub step: Step,
    pub given_names: String,
    pub organisation: String,
    pub level: String,
}

crate::contract::notices! {
    /// A message shown once after a form post, named in the redirect's query string.
    Notice;
    CodeWrong = "code-onjuist", true, "De sms-code klopt niet.";
    CodeDead = "code-op", true, "Deze sms-code werkt niet meer. Vraag hieronder een nieuwe code aan.";
    CodeExpired = "code-verlopen", true, "Deze sms-code is verlopen (een code werkt 10 minuten). Vraag hieronder een nieuwe code aan.";
    CodeResent = "code-verstuurd", false, "Er is een nieuwe sms-code verstuurd. De vorige code werkt niet meer.";
    TooManyCodes = "te-veel-codes", true, "U heeft vandaag het maximum van 5 sms-codes voor deze aanvraag gehad. Probeer het morgen opnieuw of vraag uw beheerder om hulp.";
    PasswordBlank = "wachtwoord-leeg", true, "Vul een wachtwoord in.";
    PasswordShort = "wachtwoord-kort", true, "Uw wachtwoord is te kort: gebruik minstens 12 tekens.";
    PasswordLong = "wachtwoord-lang", true, "Uw wachtwoord is te lang: gebruik hoogstens 128 tekens.";
    PasswordMismatch = "wachtwoord-verschillend", true, "De twee wachtwoorden zijn niet gelijk. Typ het wachtwoord twee keer hetzelfde.";
    PasswordCommon = "wachtwoord-bekend", true, "Dit wachtwoord komt voor op een lijst van veelgebruikte wachtwoorden. Kies een ander, bijvoorbeeld een zin van een paar woorden.";
    PasswordEmail = "wachtwoord-email", true, "Uw wachtwoord mag uw e-mailadres niet bevatten.";
    PasswordName = "wachtwoord-naam", true, "Uw wachtwoord mag uw naam niet bevatten.";
    PasswordWrong = "wachtwoord-onjuist", true, "Dit wachtwoord klopt niet bij uw account.";
    PasswordTooOften = "wachtwoord-te-vaak", true, "U heeft vijf keer een onjuist wachtwoord ingevoerd. Om uw account te beschermen is deze aanvraag gestopt. Vraag de beheerder van uw organisatie om een nieuwe aanvraag. Wachtwoord vergeten? Kies dan ‘Wachtwoord vergeten’ op de inlogpagina.";
    LoginLocked = "account-geblokkeerd", true, "Na te veel onjuiste pogingen kan er met dit account tijdelijk niet worden ingelogd of bevestigd. Probeer het later opnieuw; u kreeg een e-mail met de tijd.";
    AccountExists = "account-bestaat", true, "Intussen is er een account voor dit e-mailadres geactiveerd. U kiest daarom geen nieuw wachtwoord: bevestig hieronder met het wachtwoord van dat account.";
    FileEmpty = "bestand-leeg", true, "Kies eerst een foto of PDF van uw identiteitsbewijs.";
    FileTooLarge = "bestand-groot", true, "Het bestand is te groot. Het mag hoogstens 10 MB zijn; maak de foto kleiner of scan met een lagere resolutie.";
    FileType = "bestand-type", true, "Dit bestandstype wordt niet aangenomen. Upload een foto (JPEG of PNG) of een PDF van uw identiteitsbewijs.";
    Uploaded = "bestand-ontvangen", false, "Uw identiteitsbewijs is ontvangen.";
    NetworkLimit = "netwerk-limiet", true, "Vanaf uw netwerk zijn te veel sms-codes en pogingen aangevraagd.";
    StepDone = "stap-gedaan", true, "Deze stap is al gedaan of is niet meer mogelijk. Hieronder ziet u waar u staat.";
    NoActivation = "geen-activatie", true, "Er loopt in deze browser geen activatie. Open de link uit uw e-mail opnieuw.";
}

/// The minutes of an `over=` parameter: a number the server chose, never free text.
pub fn minutes_param(raw: Option<String>) -> Option<i64> {
    raw.and_then(|m| m.parse::<i64>().ok())
        .filter(|m| (1..=1440).contains(m))
}

/// The sentence that says when to try again.
pub fn try_again(minutes: i64) -> String {
    if minutes == 1 {
        " Probeer het over 1 minuut opnieuw.".into()
    } else {
        format!(" Probeer het over {minutes} minuten opnieuw.")
    }
}
