//! The registration wizard (flow 1): the steps (each a plain form post answering with a
//! redirect, multipart because some steps carry files) on a draft kept on the server behind
//! the `bm_registratie` cookie, and the submission after the applicant confirmed their own
//! address with a code. No login: a new draft spends from the client address's `Drafts`
//! budget, every other post from `Forms`, and a spent budget answers with a notice the
//! server chose (`?melding=netwerk-limiet&over=N`).

use crate::contract::registrations::WizardView;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::OrInternal;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// A post on the wizard's draft: spends from the address's form budget and reads the draft
/// cookie. `None` when the answer (a redirect: the budget's notice, or `no_draft`) is set.
#[cfg(feature = "ssr")]
async fn draft_post(
    state: &crate::server::state::AppState,
    no_draft: &str,
) -> Result<Option<crate::server::auth::tokens::RawToken>, AppError> {
    use crate::server::service::registration_draft as drafts;
    if crate::api::ssr::over_budget(state, crate::server::auth::throttle::Budget::Forms, "/registreren").await? {
        return Ok(None);
    }
    let token = crate::api::ssr::cookie(drafts::COOKIE).await?;
    if token.is_none() {
        leptos_axum::redirect(no_draft);
    }
    Ok(token)
}

/// The wizard's state for this browser (from the `bm_registratie` cookie).
#[server(endpoint = "registration/wizard")]
pub async fn registration_wizard() -> Result<WizardView, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::domain::registration::step_errors;
            use crate::server::service::registration_draft as drafts;
            let state = crate::server::state::app_state()?;
            let token = crate::api::ssr::cookie(drafts::COOKIE).await?;
            let (mut draft, email_check) = drafts::load(&state, token.as_ref()).await?;
            let today = crate::domain::time::date_amsterdam(state.now());
            let errors = draft
                .tried
                .iter()
                .flat_map(|s| step_errors(*s, &draft, today))
                .collect();
            let uploaded = draft.files.iter().map(|(k, f)| (k.clone(), f.size)).collect();
            draft.files.clear();
            let (lo, hi) = crate::domain::working_days::due_window(today);
            Ok(WizardView {
                draft,
                uploaded,
                errors,
                today_iso: today.iso(),
                due_min: lo.dutch(),
                due_max: hi.dutch(),
                email_check,
                max_total_mb: state.config.draft_max_bytes / (1024 * 1024),
            })
        }
        .await,
    )
}

/// One step's inputs and files. Fields: `stap` (1-based), `ga` = `terug` to go back, the
/// step's inputs, and file inputs named `<slot>_file` for the named slots only. A post
/// without a live draft starts one and spends from the address's drafts budget first.
#[server(endpoint = "registration/step", input = MultipartFormData)]
pub async fn registration_step(data: MultipartData) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::domain::document::MAX_BYTES;
            use crate::domain::registration::is_file_slot;
            use crate::server::service::registration_draft::{self as drafts, StepPost};
            let state = crate::server::state::app_state()?;
            let token = crate::api::ssr::cookie(drafts::COOKIE).await?;
            let mut post = StepPost::default();
            if !drafts::is_live(&state, token.as_ref()).await? {
                if crate::api::ssr::over_budget(&state, crate::server::auth::throttle::Budget::Drafts, "/registreren")
                    .await?
                {
                    return Ok(());
                }
                post.may_start = true;
            }
            // The body is at most `http::BODY_LIMIT` (12 MiB); a file at most `MAX_BYTES`.
            let mut form = data.into_inner().or_internal()?;
            while let Ok(Some(mut field)) = form.next_field().await {
                let name = field.name().unwrap_or_default().to_string();
                if let Some(slot) = name.strip_suffix("_file") {
                    if !is_file_slot(slot) || post.files.iter().any(|(s, _)| s == slot) {
                        // Not read at all: only the named slots, each once.
                        post.unknown_slot |= !is_file_slot(slot);
                        continue;
                    }
                    let mut bytes = Vec::new();
                    loop {
                        match field.chunk().await {
                            Ok(Some(chunk)) if bytes.len() + chunk.len() <= MAX_BYTES => {
                                bytes.extend_from_slice(&chunk)
                            }
                            Ok(None) => break,
                            // Too large, or the body broke off (over the body limit): nothing kept.
                            Ok(Some(_)) | Err(_) => {
                                post.too_large = true;
                                bytes.clear();
                                break;
                            }
                        }
                    }
                    post.files.push((slot.to_string(), bytes));
                } else {
                    let value = field.text().await.unwrap_or_default();
                    if value.len() > 1_000 {
                        continue;
                    }
                    match name.as_str() {
                        "stap" => post.step = value.parse::<usize>().unwrap_or(1).saturating_sub(1),
                        "ga" => post.back = value == "terug",
                        _ => {
                            post.fields.insert(name, value);
                        }
                    }
                }
            }
            let (fresh, to) = drafts::save_step(&state, token, post).await?;
            if let Some(t) = fresh {
                crate::api::ssr::put_cookie(&state.config, drafts::COOKIE, Some(&t), state.config.draft_ttl_ms);
            }
            leptos_axum::redirect(&to);
            Ok(())
        }
        .await,
    )
}

/// Where the wizard goes after a submission, a code or a new code.
#[cfg(feature = "ssr")]
fn after_submit(state: &crate::server::state::AppState, outcome: crate::server::service::registration::Submitted) {
    use crate::server::service::{registration::Submitted, registration_draft as drafts};
    let review = crate::domain::registration::STEPS.len();
    let to = match outcome {
        Submitted::Done(status) => {
            crate::api::ssr::put_cookie(&state.config, drafts::COOKIE, None, state.config.draft_ttl_ms);
            format!("/registreren/status/{}?melding=ingediend", status.expose())
        }
        Submitted::Incomplete(step) => format!("/registreren?stap={}", step + 1),
        Submitted::Confirm(n) => format!("/registreren?stap={review}&melding={}", n.code()),
    };
    leptos_axum::redirect(&to);
}

/// Submits the complete draft: first a code to the applicant's own address, once that is
/// confirmed the registration itself (and off to the status page).
#[server(endpoint = "registration/submit")]
pub async fn registration_submit() -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::registration;
            let state = crate::server::state::app_state()?;
            let Some(token) = draft_post(&state, "/registreren?stap=1").await? else {
                return Ok(());
            };
            after_submit(&state, registration::submit(&state, &token).await?);
            Ok(())
        }
        .await,
    )
}

/// The code from the e-mail to the applicant; the right one submits the registration.
#[server(endpoint = "registration/confirm")]
pub async fn registration_confirm(code: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::registration_confirm as confirm;
            let state = crate::server::state::app_state()?;
            let Some(token) = draft_post(&state, "/registreren?stap=1&melding=concept-verlopen").await? else {
                return Ok(());
            };
            after_submit(&state, confirm::confirm(&state, &token, &code).await?);
            Ok(())
        }
        .await,
    )
}

/// A new code to the applicant's address (the old one dies; a draft gets 3 at most).
#[server(endpoint = "registration/code")]
pub async fn registration_code() -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::registration_confirm as confirm;
            let state = crate::server::state::app_state()?;
            let Some(token) = draft_post(&state, "/registreren?stap=1&melding=concept-verlopen").await? else {
                return Ok(());
            };
            after_submit(&state, confirm::resend(&state, &token).await?);
            Ok(())
        }
        .await,
    )
}
