//! The public side of a manager registration (flow 1): the wizard's steps (each a plain
//! form post answering with a redirect, multipart because some steps carry files), the
//! submission, the representative's link (look without using; answer with a POST) and the
//! applicant's status page. No login anywhere here.

use crate::domain::registration::Draft;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

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

/// The wizard's state for this browser (from the `bm_registratie` cookie).
#[server(endpoint = "registration/wizard")]
pub async fn registration_wizard() -> Result<WizardView, AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::domain::registration::step_errors;
            use crate::server::service::registration_draft as drafts;
            let state = crate::server::state::app_state()?;
            let token = crate::api::ssr::cookie(drafts::COOKIE).await?;
            let mut draft = drafts::load(&state, token.as_ref()).await?;
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
            })
        }
        .await,
    )
}

/// One step's inputs and files. Fields: `stap` (1-based), `ga` = `terug` to go back, the
/// step's inputs, and file inputs named `<slot>_file`.
#[server(endpoint = "registration/step", input = MultipartFormData)]
pub async fn registration_step(data: MultipartData) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::registration_draft::{self as drafts, StepPost};
            let state = crate::server::state::app_state()?;
            let token = crate::api::ssr::cookie(drafts::COOKIE).await?;
            let mut form = data.into_inner().ok_or(AppError::Internal)?;
            let mut post = StepPost {
                step: 0,
                fields: Default::default(),
                files: vec![],
                too_large: false,
                back: false,
            };
            while let Ok(Some(mut field)) = form.next_field().await {
                let name = field.name().unwrap_or_default().to_string();
                if let Some(slot) = name.strip_suffix("_file") {
                    let mut bytes = Vec::new();
                    while let Ok(Some(chunk)) = field.chunk().await {
                        if bytes.len() + chunk.len() > crate::domain::document::MAX_BYTES {
                            post.too_large = true;
                            bytes.clear();
                            break;
                        }
                        bytes.extend_from_slice(&chunk);
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
                crate::api::ssr::set_cookie(drafts::cookie(&state.config, Some(&t)));
            }
            leptos_axum::redirect(&to);
            Ok(())
        }
        .await,
    )
}

/// Submits the complete draft and goes to the status page.
#[server(endpoint = "registration/submit")]
pub async fn registration_submit() -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            use crate::server::service::{registration, registration_draft as drafts};
            let state = crate::server::state::app_state()?;
            let Some(token) = crate::api::ssr::cookie(drafts::COOKIE).await? else {
                leptos_axum::redirect("/registreren?stap=1");
                return Ok(());
            };
            match registration::submit(&state, &token).await? {
                Ok(status) => {
                    crate::api::ssr::set_cookie(drafts::cookie(&state.config, None));
                    leptos_axum::redirect(&format!("/registreren/status/{}?melding=ingediend", status.expose()));
                }
                Err(step) => leptos_axum::redirect(&format!("/registreren?stap={}", step + 1)),
            }
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "registration/status")]
pub async fn registration_status(token: String) -> Result<Option<StatusView>, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            crate::server::service::registration_status::status(&state, &token).await
        }
        .await,
    )
}

/// New links for representatives whose links expired; back to the status page.
#[server(endpoint = "registration/resend")]
pub async fn registration_resend(token: String) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            let sent = crate::server::service::registration_resend::resend(&state, &token).await?;
            let code = if sent { "verstuurd" } else { "niet-nodig" };
            leptos_axum::redirect(&format!("/registreren/status/{token}?melding={code}"));
            Ok(())
        }
        .await,
    )
}

/// What the representative's link shows. Consumes nothing.
#[server(endpoint = "registration/link")]
pub async fn registration_link(token: String) -> Result<ApprovalView, AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            crate::server::service::registration_approval::view(&state, &token).await
        }
        .await,
    )
}

/// The representative's answer: `besluit` is `goedkeuren` or `weigeren`.
#[server(endpoint = "registration/answer")]
pub async fn registration_answer(
    token: String,
    besluit: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    crate::api::ssr::finish(
        async move {
            let state = crate::server::state::app_state()?;
            let approve = match besluit.as_str() {
                "goedkeuren" => true,
                "weigeren" => false,
                _ => return Err(AppError::invalid("Kies goedkeuren of weigeren.")),
            };
            let to =
                match crate::server::service::registration_approval::answer(&state, &token, approve, &reason).await? {
                    Ok(_) if approve => format!("/registreren/goedkeuren/{token}?melding=goedgekeurd"),
                    Ok(_) => format!("/registreren/goedkeuren/{token}?melding=geweigerd"),
                    Err(_) => format!("/registreren/goedkeuren/{token}"),
                };
            leptos_axum::redirect(&to);
            Ok(())
        }
        .await,
    )
}
