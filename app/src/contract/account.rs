//! The holder's own account (`/mijn`) and the forgotten-password flow: what the pages
//! show and the [`AccountNotice`] codes the form posts redirect with.

use serde::{Deserialize, Serialize};

/// What `/mijn` shows of the account. Numbers masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub email: String,
    pub masked_mobile: String,
    pub pending_mobile: Option<PendingMobile>,
}

/// A mobile change waiting for the code sent to the new number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingMobile {
    pub masked_new: String,
    pub tries_left: i64,
    pub code_dead: bool,
}

/// Where a password reset stands in this browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResetStep {
    NoReset,
    Sms {
        masked_mobile: String,
        tries_left: i64,
        code_dead: bool,
        codes_left: i64,
    },
    Password,
    Done,
}

crate::contract::notices! {
    /// What an account form post did, named in the redirect's query string.
    AccountNotice;
    PasswordChanged = "wachtwoord-gewijzigd", false, "Uw wachtwoord is gewijzigd. Op uw andere apparaten bent u uitgelogd.";
    CurrentWrong = "huidig-onjuist", true, "Uw huidige wachtwoord klopt niet. Er is niets gewijzigd.";
    Locked = "geblokkeerd", true, "Na te veel onjuiste pogingen kunt u uw wachtwoord tijdelijk niet gebruiken om iets te wijzigen. Probeer het later opnieuw; u kreeg een e-mail met de tijd.";
    PasswordSame = "wachtwoord-zelfde", true, "Het nieuwe wachtwoord is gelijk aan het huidige. Kies een ander wachtwoord.";
    PasswordBlank = "wachtwoord-leeg", true, "Vul een wachtwoord in.";
    PasswordShort = "wachtwoord-kort", true, "Het wachtwoord is te kort: gebruik minstens 12 tekens.";
    PasswordLong = "wachtwoord-lang", true, "Het wachtwoord is te lang: gebruik hoogstens 128 tekens.";
    PasswordMismatch = "wachtwoord-verschillend", true, "De twee wachtwoorden zijn niet gelijk. Typ het nieuwe wachtwoord twee keer hetzelfde.";
    PasswordCommon = "wachtwoord-bekend", true, "Dit wachtwoord komt voor op een lijst van veelgebruikte wachtwoorden. Kies een ander, bijvoorbeeld een zin van een paar woorden.";
    PasswordEmail = "wachtwoord-email", true, "Het wachtwoord mag uw e-mailadres niet bevatten.";
    PasswordName = "wachtwoord-naam", true, "Het wachtwoord mag uw naam niet bevatten.";
    MobileInvalid = "mobiel-ongeldig", true, "Vul een Nederlands mobiel nummer in: 06 en 8 cijfers, of +316 en 8 cijfers.";
    MobileSame = "mobiel-zelfde", true, "Dit is al het mobiele nummer van uw account.";
    CodeSent = "code-verstuurd", false, "We hebben een sms-code naar het nieuwe nummer gestuurd. Vul die hieronder in om de wijziging af te ronden.";
    CodeResent = "code-opnieuw", false, "Er is een nieuwe sms-code verstuurd. De vorige code werkt niet meer.";
    CodeWrong = "code-onjuist", true, "De sms-code klopt niet.";
    CodeDead = "code-op", true, "Deze sms-code werkt niet meer. Begin opnieuw om een nieuwe code te krijgen.";
    CodeExpired = "code-verlopen", true, "Deze sms-code is verlopen (een code werkt 10 minuten). Vraag een nieuwe code aan.";
    TooManyCodes = "te-veel-codes", true, "U heeft het maximum aantal sms-codes hiervoor gehad. Probeer het morgen opnieuw.";
    MobileChanged = "mobiel-gewijzigd", false, "Uw mobiele nummer is gewijzigd. Inlogcodes gaan voortaan naar het nieuwe nummer; het oude nummer kreeg een sms ter bevestiging.";
    MobileCancelled = "wijziging-gestopt", false, "De wijziging van uw mobiele nummer is gestopt. Er is niets gewijzigd.";
    NoFlow = "geen-wijziging", true, "Er loopt geen wijziging van uw mobiele nummer (meer). Begin opnieuw.";
    EmailInvalid = "email-ongeldig", true, "Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl.";
    ResetSent = "verstuurd", false, "Als er een account is voor dit e-mailadres, ontvangt u binnen enkele minuten een e-mail met een link om een nieuw wachtwoord te kiezen. De link werkt 1 uur.";
    ResetDone = "hersteld", false, "Uw nieuwe wachtwoord is ingesteld. U bent op alle apparaten uitgelogd; log in met uw nieuwe wachtwoord.";
    NoReset = "geen-herstel", true, "Er loopt in deze browser geen herstel van uw wachtwoord, of het is verlopen. Vraag hieronder een nieuwe link aan.";
    LinkUnusable = "link-werkt-niet", true, "Deze link werkt niet (meer): hij is al gebruikt, vervangen door een nieuwere of ouder dan 1 uur. Vraag hieronder een nieuwe link aan.";
    NetworkLimit = "netwerk-limiet", true, "Vanaf uw netwerk is dit te vaak gevraagd.";
    StepDone = "stap-gedaan", true, "Deze stap is al gedaan of is niet meer mogelijk. Hieronder ziet u waar u staat.";
}
