//! Activation on the phone (flow 4): the e-mail link, the SMS code, the own password and,
//! where the level needs it, the ID upload.
//!
//! The pages post plain HTML forms to these functions and every function answers with a
//! redirect (`/activeren`, with `?melding=…` naming a [`Notice`]), so the flow is the same
//! with and without JavaScript. After the link is confirmed, the flow continues on a
//! separate `HttpOnly` cookie (`bm_activatie`): the link itself is used up.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
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

crate::api::notices! {
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

/// Where a form post goes next.
pub fn after(notice: Option<Notice>) -> String {
    match notice {
        Some(n) => format!("/activeren?melding={}", n.code()),
        None => "/activeren".to_string(),
    }
}

/// Back to `path` saying the client address's budget is spent, and for how many minutes.
pub fn limited(path: &str, minutes: i64) -> String {
    format!("{path}?melding=netwerk-limiet&over={}", minutes.clamp(1, 1440))
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

/// What the link page shows. Consumes nothing: mail scanners open links too.
#[server(endpoint = "activation/link")]
pub async fn activation_link(token: String) -> Result<LinkView, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            crate::server::service::activation::link_view(&state, &token).await
        }
        .await,
    )
}

/// Confirms the e-mail address: uses the link once, starts the activation cookie, sends
/// the SMS code.
#[server(endpoint = "activation/confirm")]
pub async fn confirm_activation(token: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            if let Some(min) = crate::api::ssr::budget(&state, crate::server::auth::throttle::Budget::Sms).await? {
                leptos_axum::redirect(&limited("/activeren", min));
                return Ok(());
            }
            match activation::confirm_link(&state, &token).await? {
                Ok(cont) => {
                    crate::api::ssr::set_cookie(activation::cookie(&state.config, &cont));
                    leptos_axum::redirect(&after(None));
                }
                // Back to the link page, which says why the link no longer works.
                Err(_) => leptos_axum::redirect(&format!("/activeren/{token}")),
            }
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "activation/view")]
pub async fn activation_status() -> Result<ActivationView, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            activation::view(&state, cont.as_ref()).await
        }
        .await,
    )
}

#[server(endpoint = "activation/code")]
pub async fn activation_code(code: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            let notice = activation::verify_code(&state, cont.as_ref(), &code).await?;
            leptos_axum::redirect(&after(notice));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "activation/resend")]
pub async fn activation_resend() -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            if let Some(min) = crate::api::ssr::budget(&state, crate::server::auth::throttle::Budget::Sms).await? {
                leptos_axum::redirect(&limited("/activeren", min));
                return Ok(());
            }
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            let notice = activation::resend_code(&state, cont.as_ref()).await?;
            leptos_axum::redirect(&after(Some(notice)));
            Ok(())
        }
        .await,
    )
}

/// The account's own password, where the address has one (no new password is chosen).
#[server(endpoint = "activation/prove")]
pub async fn activation_prove(password: crate::api::auth::PasswordInput) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::auth::password::Secret;
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            if let Some(min) = crate::api::ssr::budget(&state, crate::server::auth::throttle::Budget::Sms).await? {
                leptos_axum::redirect(&limited("/activeren", min));
                return Ok(());
            }
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            let notice = activation::prove_password(&state, cont.as_ref(), Secret::new(password.0)).await?;
            leptos_axum::redirect(&after(notice));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "activation/password")]
pub async fn activation_password(
    password: crate::api::auth::PasswordInput,
    repeat: crate::api::auth::PasswordInput,
) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::auth::password::Secret;
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            let notice =
                activation::set_password(&state, cont.as_ref(), Secret::new(password.0), Secret::new(repeat.0)).await?;
            leptos_axum::redirect(&after(notice));
            Ok(())
        }
        .await,
    )
}

/// The ID document, as a multipart form with one file field `document`.
#[server(endpoint = "activation/document", input = MultipartFormData)]
pub async fn activation_document(data: MultipartData) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::activation;
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(activation::COOKIE).await?;
            let mut form = data.into_inner().ok_or(AppError::Internal)?;
            let mut bytes = Vec::new();
            let mut too_large = false;
            while let Ok(Some(mut field)) = form.next_field().await {
                if field.name() != Some("document") {
                    continue;
                }
                while let Ok(Some(chunk)) = field.chunk().await {
                    if bytes.len() + chunk.len() > crate::domain::document::MAX_BYTES {
                        too_large = true;
                        break;
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            let notice = if too_large {
                Some(Notice::FileTooLarge)
            } else {
                activation::upload_document(&state, cont.as_ref(), &bytes).await?
            };
            leptos_axum::redirect(&after(notice));
            Ok(())
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_codes_are_unique_and_round_trip() {
        let mut codes: Vec<_> = Notice::ALL.iter().map(|n| n.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Notice::ALL.len());
        for n in Notice::ALL {
            assert_eq!(Notice::parse(n.code()), Some(n));
            assert!(!n.text().is_empty());
        }
        assert_eq!(after(Some(Notice::CodeWrong)), "/activeren?melding=code-onjuist");
        assert_eq!(after(None), "/activeren");
    }
}
