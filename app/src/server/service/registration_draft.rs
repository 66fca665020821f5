//! The public wizard's work in progress. The draft lives on the server, keyed by the
//! SHA-256 of a random token in an `HttpOnly` cookie (`bm_registratie`, 24 hours): ID
//! copies and the KvK extract are up to 10 MiB each, too large for the browser's
//! sessionStorage, and a server-side draft survives a reload and works without JavaScript.
//! Every step posts its inputs (and files) here; each file is checked by content and size
//! and stored outside the database; expired drafts and their files are swept when a new
//! draft starts.

use crate::domain::document::{check, DocType, DocumentError};
use crate::domain::registration::{step_errors, Draft, FileRef, PersonFields, STEPS};
use crate::domain::time::date_amsterdam;
use crate::error::AppError;
use crate::server::auth::tokens::{sha256_hex, RawToken};
use crate::server::clock::HOUR_MS;
use crate::server::config::Config;
use crate::server::db::registrations::{self, DraftRow};
use crate::server::state::AppState;
use axum::http::HeaderValue;
use std::collections::HashMap;

pub const COOKIE: &str = "bm_registratie";
pub const DRAFT_TTL_MS: i64 = 24 * HOUR_MS;

pub fn cookie(config: &Config, token: Option<&RawToken>) -> HeaderValue {
    crate::server::auth::session::cookie_header(config, COOKIE, token, DRAFT_TTL_MS / 1000)
}

/// The draft behind the cookie, or an empty one.
pub async fn load(state: &AppState, token: Option<&RawToken>) -> Result<Draft, AppError> {
    let Some(t) = token else { return Ok(Draft::default()) };
    let mut conn = state.db.pool.acquire().await?;
    Ok(registrations::find_draft(&mut conn, &t.sha256(), state.now())
        .await?
        .and_then(|row| serde_json::from_str(&row.data).ok())
        .unwrap_or_default())
}

/// Why an upload was refused, for the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadProblem {
    TooLarge,
    WrongType,
    NotPdf,
}

impl UploadProblem {
    pub fn code(self) -> &'static str {
        match self {
            UploadProblem::TooLarge => "bestand-groot",
            UploadProblem::WrongType => "bestand-type",
            UploadProblem::NotPdf => "geen-pdf",
        }
    }
}

/// What a step post brought: the inputs, the files by slot, and whether to go back.
pub struct StepPost {
    pub step: usize,
    pub fields: HashMap<String, String>,
    pub files: Vec<(String, Vec<u8>)>,
    pub too_large: bool,
    pub back: bool,
}

fn apply_person(p: &mut PersonFields, prefix: &str, f: &HashMap<String, String>) {
    let get = |n: &str| f.get(&format!("{prefix}_{n}")).cloned();
    for (slot, name) in [
        (&mut p.given_names, "given_names"),
        (&mut p.prefix, "prefix"),
        (&mut p.surname, "surname"),
        (&mut p.birth_date, "birth_date"),
        (&mut p.email, "email"),
        (&mut p.mobile, "mobile"),
        (&mut p.employed, "employed"),
    ] {
        if let Some(v) = get(name) {
            *slot = v;
        }
    }
}

fn apply(d: &mut Draft, step: usize, f: &HashMap<String, String>) {
    let set = |slot: &mut String, name: &str| {
        if let Some(v) = f.get(name) {
            *slot = v.clone();
        }
    };
    match step {
        0 => {
            set(&mut d.kvk, "kvk");
            set(&mut d.org_name, "org_name");
            set(&mut d.branch, "branch");
        }
        1 => {
            d.arrange_extract = f.contains_key("arrange_extract");
            set(&mut d.extract_date, "extract_date");
        }
        2 => {
            set(&mut d.signing, "signing");
            d.reps.resize(
                crate::domain::registration::MAX_REPRESENTATIVES,
                PersonFields::default(),
            );
            for (i, rep) in d.reps.iter_mut().enumerate() {
                apply_person(rep, &format!("rep{i}"), f);
            }
        }
        3 => apply_person(&mut d.manager, "manager", f),
        4 => {
            set(&mut d.contract_name, "contract_name");
            set(&mut d.contract_email, "contract_email");
            set(&mut d.level, "level");
        }
        _ => {}
    }
}

/// Saves a step; returns the cookie token to set (a new draft) and where to go next.
pub async fn save_step(
    state: &AppState,
    token: Option<RawToken>,
    post: StepPost,
) -> Result<(Option<RawToken>, String), AppError> {
    let now = state.now();
    let step = post.step.min(STEPS.len() - 1);
    let mut conn = state.db.pool.acquire().await?;
    let existing = match &token {
        Some(t) => registrations::find_draft(&mut conn, &t.sha256(), now).await?,
        None => None,
    };
    drop(conn);
    let (token, fresh, created_at, mut draft) = match (token, existing) {
        (Some(t), Some(row)) => (
            t,
            false,
            row.created_at,
            serde_json::from_str(&row.data).unwrap_or_default(),
        ),
        _ => {
            sweep(state, now).await?;
            (RawToken::generate(), true, now, Draft::default())
        }
    };
    apply(&mut draft, step, &post.fields);
    let mut problem = post.too_large.then_some(UploadProblem::TooLarge);
    let store = state.documents();
    let mut replaced = Vec::new();
    for (slot, bytes) in post.files.iter().filter(|(_, b)| !b.is_empty()) {
        let kind = match check(bytes) {
            Ok(k) => k,
            Err(DocumentError::TooLarge { .. }) => {
                problem = Some(UploadProblem::TooLarge);
                continue;
            }
            Err(_) => {
                problem = Some(UploadProblem::WrongType);
                continue;
            }
        };
        if slot == "extract" && kind != DocType::Pdf {
            problem = Some(UploadProblem::NotPdf);
            continue;
        }
        let name = store.save(bytes).await.map_err(|e| {
            tracing::error!(error = %e, "could not store a registration upload");
            AppError::Internal
        })?;
        let file = FileRef {
            storage_name: name,
            mime: kind.mime().into(),
            size: bytes.len() as i64,
            sha256: sha256_hex(bytes),
        };
        if let Some(old) = draft.files.insert(slot.clone(), file) {
            replaced.push(old.storage_name);
        }
    }
    let today = date_amsterdam(now);
    let next = if post.back {
        step.saturating_sub(1)
    } else {
        draft.tried.insert(step);
        if problem.is_none() && step_errors(step, &draft, today).is_empty() {
            step + 1
        } else {
            step
        }
    };
    let row = DraftRow {
        id_sha256: token.sha256(),
        data: serde_json::to_string(&draft).map_err(|_| AppError::Internal)?,
        created_at,
        updated_at: now,
        expires_at: now + DRAFT_TTL_MS,
    };
    let mut tx = state.db.begin().await?;
    registrations::save_draft(&mut tx, &row).await?;
    tx.commit().await?;
    store.delete_all(&replaced).await;
    let mut to = format!("/registreren?stap={}", next.min(STEPS.len() - 1) + 1);
    if let Some(p) = problem {
        to.push_str(&format!("&melding={}", p.code()));
    }
    Ok((fresh.then_some(token), to))
}

/// Drops expired drafts and their files.
async fn sweep(state: &AppState, now: i64) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let old = registrations::take_expired_drafts(&mut tx, now).await?;
    tx.commit().await?;
    let names: Vec<String> = old
        .iter()
        .filter_map(|d| serde_json::from_str::<Draft>(d).ok())
        .flat_map(|d| d.files.into_values().map(|f| f.storage_name))
        .collect();
    state.documents().delete_all(&names).await;
    Ok(())
}
