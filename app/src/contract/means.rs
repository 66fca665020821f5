//! A person's means (`/beheer/middelen/{id}`): its detail, the [`Outcome`] codes an
//! upgrade or cancellation redirects with, and the [`Refusal`] reasons (`reden=`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisationLine {
    pub what: String,
    pub level: String,
    pub state: String,
    pub state_label: String,
    pub valid_until: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeansDetail {
    pub means_id: String,
    pub person: String,
    pub email: String,
    pub level: String,
    pub state: String,
    pub state_label: String,
    pub employed: bool,
    /// Levels the manager may upgrade this means to (empty when no upgrade is possible).
    pub upgrade_levels: Vec<String>,
    /// Why there is no upgrade, when there is none.
    pub upgrade_blocked: Option<String>,
    pub can_cancel: bool,
    /// Why the manager cannot cancel (the last-manager rule), when that applies.
    pub cancel_blocked: Option<String>,
    pub open_request: Option<String>,
    pub authorisations: Vec<AuthorisationLine>,
}

crate::contract::notices! {
    /// What an upgrade or cancellation did, named in `?melding=…`.
    Outcome;
    Upgraded = "geupgraded", false, "Geüpgraded: voor het nieuwe niveau waren geen extra identiteitsstappen nodig.";
    UpgradeStarted = "upgrade-gestart", false, "Upgrade aangevraagd: de gebruiker krijgt een e-mail met de stappen. Tot de upgrade rond is, werkt het middel op het oude niveau.";
    Cancelled = "opgezegd", false, "Opgezegd: het middel werkt niet meer, de machtigingen zijn ingetrokken en de gebruiker is per e-mail ingelicht.";
    Confirm = "bevestigen", true, "Vink aan dat u het middel wilt opzeggen en vul een reden in; er is niets gewijzigd.";
    Refused = "geweigerd", true, "Dat kan niet:";
}

crate::contract::notices! {
    /// Why an upgrade or cancellation was refused, as a code in the query string (`reden=`):
    /// the page shows only these texts, never text from the address bar.
    Refusal;
    LevelInvalid = "niveau-ongeldig", true, "Kies een geldig niveau.";
    LevelNotHigher = "niveau-niet-hoger", true, "Kies een hoger niveau dan het huidige.";
    LevelAboveOwn = "niveau-boven-eigen", true, "U kunt upgraden tot en met uw eigen niveau als beheerder.";
    NotActive = "niet-actief", true, "Alleen een actief middel kan worden geüpgraded.";
    ReasonMissing = "reden-nodig", true, "Vul een reden in voor het opzeggen.";
    ReasonTooLong = "reden-te-lang", true, "De reden is te lang: gebruik maximaal 500 tekens.";
    AlreadyEnded = "al-beeindigd", true, "Dit middel is al opgezegd of verlopen.";
    LastManager = "laatste-beheerder", true, "U bent de laatste actieve beheerder van deze organisatie: uw eigen middel kan niet worden opgezegd.";
    Changed = "gewijzigd", true, "Het middel is intussen gewijzigd. Vernieuw de pagina en probeer het opnieuw.";
    Other = "anders", true, "Vernieuw de pagina en probeer het opnieuw.";
}
