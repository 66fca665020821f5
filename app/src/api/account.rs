//! The holder's own account: `/mijn` (new password, new mobile number) and the forgotten
//! password (`/inloggen/wachtwoord-vergeten`, then `/wachtwoord-herstellen/{token}` and
//! `/wachtwoord-herstellen`). Plain forms that post here and are redirected back with a
//! [`AccountNotice`] code, so they work without JavaScript. The reset continues on an
//! `HttpOnly` cookie (`bm_herstel`): the link itself is used up.

use crate::api::auth::PasswordInput;
use crate::error::AppError;
use leptos::prelude::*;
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

crate::api::notices! {
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

#[cfg(feature = "ssr")]
fn to(path: &str, notice: Option<AccountNotice>) -> String {
    match notice {
        Some(n) => format!("{path}?melding={}", n.code()),
        None => path.to_string(),
    }
}

#[server(endpoint = "account/view")]
pub async fn my_account() -> Result<AccountView, AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            crate::server::service::account::view(&state, &id).await
        }
        .await,
    )
}

#[server(endpoint = "account/password")]
pub async fn change_password(
    current: PasswordInput,
    password: PasswordInput,
    repeat: PasswordInput,
) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::auth::password::Secret;
            let (state, id) = crate::api::ssr::identity().await?;
            let n = crate::server::service::account::change_password(
                &state,
                &id,
                Secret::new(current.0),
                Secret::new(password.0),
                Secret::new(repeat.0),
            )
            .await?;
            leptos_axum::redirect(&to("/mijn", Some(n)));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "account/mobile")]
pub async fn change_mobile(mobile: String, current: PasswordInput) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::auth::password::Secret;
            let (state, id) = crate::api::ssr::identity().await?;
            if let Some(min) = crate::api::ssr::budget(&state, crate::server::auth::throttle::Budget::Sms).await? {
                leptos_axum::redirect(&crate::api::activation::limited("/mijn", min));
                return Ok(());
            }
            let n = crate::server::service::account::start_mobile_change(&state, &id, &mobile, Secret::new(current.0))
                .await?;
            leptos_axum::redirect(&to("/mijn", Some(n)));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "account/mobile_code")]
pub async fn confirm_mobile(code: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            let n = crate::server::service::account::confirm_mobile_change(&state, &id, &code).await?;
            leptos_axum::redirect(&to("/mijn", Some(n)));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "account/mobile_cancel")]
pub async fn cancel_mobile() -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let (state, id) = crate::api::ssr::identity().await?;
            let n = crate::server::service::account::cancel_mobile_change(&state, &id).await?;
            leptos_axum::redirect(&to("/mijn", Some(n)));
            Ok(())
        }
        .await,
    )
}

/// Asks for a reset link; the answer is the same for every address.
#[server(endpoint = "password/forgotten")]
pub async fn password_forgotten(email: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            if let Some(min) = crate::api::ssr::budget(&state, crate::server::auth::throttle::Budget::Forms).await? {
                leptos_axum::redirect(&crate::api::activation::limited("/inloggen/wachtwoord-vergeten", min));
                return Ok(());
            }
            let n = crate::server::service::account::forgotten(&state, &email)?;
            leptos_axum::redirect(&to("/inloggen/wachtwoord-vergeten", Some(n)));
            Ok(())
        }
        .await,
    )
}

/// Whether a reset link still works. Uses nothing (mail scanners open links too).
#[server(endpoint = "password/link")]
pub async fn reset_link(token: String) -> Result<bool, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            crate::server::service::account::link_usable(&state, &token).await
        }
        .await,
    )
}

#[server(endpoint = "password/confirm")]
pub async fn reset_confirm(token: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::account;
            let state = crate::server::state::app_state()?;
            if let Some(min) = crate::api::ssr::budget(&state, crate::server::auth::throttle::Budget::Sms).await? {
                leptos_axum::redirect(&crate::api::activation::limited("/inloggen/wachtwoord-vergeten", min));
                return Ok(());
            }
            match account::confirm_link(&state, &token).await? {
                Some(cont) => {
                    crate::api::ssr::set_cookie(crate::server::service::account::reset_cookie(&state.config, &cont));
                    leptos_axum::redirect("/wachtwoord-herstellen");
                }
                None => leptos_axum::redirect(&to("/inloggen/wachtwoord-vergeten", Some(AccountNotice::LinkUnusable))),
            }
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "password/status")]
pub async fn reset_status() -> Result<ResetStep, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(crate::server::service::account::RESET_COOKIE).await?;
            crate::server::service::account::reset_view(&state, cont.as_ref()).await
        }
        .await,
    )
}

#[server(endpoint = "password/code")]
pub async fn reset_code(code: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(crate::server::service::account::RESET_COOKIE).await?;
            let n = crate::server::service::account::reset_code(&state, cont.as_ref(), &code).await?;
            leptos_axum::redirect(&to("/wachtwoord-herstellen", n));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "password/resend")]
pub async fn reset_resend() -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            if let Some(min) = crate::api::ssr::budget(&state, crate::server::auth::throttle::Budget::Sms).await? {
                leptos_axum::redirect(&crate::api::activation::limited("/wachtwoord-herstellen", min));
                return Ok(());
            }
            let cont = crate::api::ssr::cookie(crate::server::service::account::RESET_COOKIE).await?;
            let n = crate::server::service::account::reset_resend(&state, cont.as_ref()).await?;
            leptos_axum::redirect(&to("/wachtwoord-herstellen", Some(n)));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "password/new")]
pub async fn reset_password(password: PasswordInput, repeat: PasswordInput) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::auth::password::Secret;
            let state = crate::server::state::app_state()?;
            let cont = crate::api::ssr::cookie(crate::server::service::account::RESET_COOKIE).await?;
            let n = crate::server::service::account::reset_password(
                &state,
                cont.as_ref(),
                Secret::new(password.0),
                Secret::new(repeat.0),
            )
            .await?;
            leptos_axum::redirect(&to("/wachtwoord-herstellen", n));
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
        let mut codes: Vec<_> = AccountNotice::ALL.iter().map(|n| n.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), AccountNotice::ALL.len());
        for n in AccountNotice::ALL {
            assert_eq!(AccountNotice::parse(n.code()), Some(n));
            assert!(n.text().ends_with('.'), "{n:?}");
        }
        assert_eq!(
            to("/mijn", Some(AccountNotice::CodeWrong)),
            "/mijn?melding=code-onjuist"
        );
    }
}
