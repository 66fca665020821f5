//! The public wizard's work in progress. The draft lives on the server, keyed by the
//! SHA-256 of a random token in an `HttpOnly` cookie (`bm_registratie`, 24 hours): ID
//! copies and the KvK extract are up to 10 MiB each, too large for the browser's
//! sessionStorage, and a server-side draft survives a reload and works without JavaScript.
//! Every step posts its inputs (and files) here; each file is checked by content and size
//! and stored outside the database. Limits: a new draft costs the client address one from
//! its drafts budget (the caller spends it and says so with `may_start`); files go only
//! into the named slots (`domain::registration::is_file_slot`: anything else is refused
//! before a byte is read) and all of a draft's files together stay within
//! `DRAFT_MAX_BYTES`. A draft untouched for `DRAFT_TTL_HOURS` is purged with its files
//! ([`purge_expired`], from the janitor and whenever a new draft starts). Changing the
//! applicant's address drops its e-mail confirmation (`registration_confirm`).

use crate::contract::registrations::{EmailCheckView, WizardNotice};
use crate::domain::document::{check, DocType, DocumentError};
use crate::domain::registration::{fits_total, step_errors, Draft, FileRef, PersonFields, STEPS};
use crate::domain::time::date_amsterdam;
use crate::error::{AppError, OrInternal};
use crate::server::auth::tokens::{sha256_hex, RawToken};
use crate::server::clock::HOUR_MS;
use crate::server::db::registrations::{self, DraftRow};
use crate::server::service::registration_confirm::{self as confirm, EmailCheck};
use crate::server::state::AppState;
use std::collections::HashMap;

/// The draft cookie's name; `api` sets it (for `Config::draft_ttl_ms`) and reads it.
pub const COOKIE: &str = "bm_registratie";
/// The default of `DRAFT_TTL_HOURS` (the configured value is `Config::draft_ttl_ms`).
pub const DRAFT_TTL_MS: i64 = 24 * HOUR_MS;

/// The draft behind the cookie (or an empty one) and where its e-mail confirmation stands.
pub async fn load(state: &AppState, token: Option<&RawToken>) -> Result<(Draft, EmailCheckView), AppError> {
    let Some(t) = token else {
        return Ok((Draft::default(), EmailCheckView::NotYet));
    };
    let mut conn = state.db.pool.acquire().await?;
    let Some(row) = registrations::find_draft(&mut conn, &t.sha256(), state.now()).await? else {
        return Ok((Draft::default(), EmailCheckView::NotYet));
    };
    let draft: Draft = crate::server::stored::parse("data", &row.data)?;
    let check = EmailCheck::of(&row)?;
    let view = confirm::view(check.as_ref(), &confirm::applicant_email(&draft));
    Ok((draft, view))
}

/// Whether the cookie names a live draft (a post without one starts a new draft).
pub async fn is_live(state: &AppState, token: Option<&RawToken>) -> Result<bool, AppError> {
    let Some(t) = token else { return Ok(false) };
    let mut conn = state.db.pool.acquire().await?;
    Ok(registrations::find_draft(&mut conn, &t.sha256(), state.now())
        .await?
        .is_some())
}

/// What a step post brought: the inputs, the files by (named) slot, and whether to go back.
#[derive(Default)]
pub struct StepPost {
    pub step: usize,
    pub fields: HashMap<String, String>,
    pub files: Vec<(String, Vec<u8>)>,
    /// A file was over the size of one file, or the body broke off.
    pub too_large: bool,
    /// A file input named no slot of ours: refused unread.
    pub unknown_slot: bool,
    pub back: bool,
    /// The client address spent from its drafts budget, so this post may start a draft.
    pub may_start: bool,
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
/// Without `post.may_start` a post whose draft is gone stores nothing.
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
    let (token, fresh, created_at, mut draft, email_check) = match (token, existing) {
        (Some(t), Some(row)) => (
            t,
            false,
            row.created_at,
            crate::server::stored::parse("data", &row.data)?,
            row.email_check,
        ),
        _ if !post.may_start => return Ok((None, "/registreren?stap=1&melding=concept-verlopen".into())),
        _ => {
            purge_expired(state).await?;
            (RawToken::generate(), true, now, Draft::default(), None)
        }
    };
    let applicant_before = confirm::applicant_email(&draft);
    apply(&mut draft, step, &post.fields);
    let email_check = match email_check {
        // Another applicant address: what was confirmed (or sent) for the old one is void.
        Some(json) if confirm::applicant_email(&draft) != applicant_before => {
            let check: EmailCheck = crate::server::stored::parse("email_check", &json)?;
            Some(serde_json::to_string(&check.dropped()).or_internal()?)
        }
        other => other,
    };
    let mut problem = post.too_large.then_some(WizardNotice::FileTooLarge);
    if post.unknown_slot {
        problem = Some(WizardNotice::UnknownSlot);
    }
    let store = state.documents();
    let mut replaced = Vec::new();
    // All drafts together stay under DRAFTS_TOTAL_MAX_BYTES (many addresses, each within
    // its budget, could otherwise still fill the disk).
    let others = if post.files.iter().any(|(_, b)| !b.is_empty()) {
        let mut conn = state.db.pool.acquire().await?;
        let all = registrations::live_draft_bytes(&mut conn, now).await?;
        all - draft.files.values().map(|f| f.size).sum::<i64>()
    } else {
        0
    };
    for (slot, bytes) in post.files.iter().filter(|(_, b)| !b.is_empty()) {
        if !crate::domain::registration::is_file_slot(slot) {
            problem = Some(WizardNotice::UnknownSlot);
            continue;
        }
        let kind = match check(bytes) {
            Ok(k) => k,
            Err(DocumentError::TooLarge { .. }) => {
                problem = Some(WizardNotice::FileTooLarge);
                continue;
            }
            Err(_) => {
                problem = Some(WizardNotice::FileType);
                continue;
            }
        };
        if slot == "extract" && kind != DocType::Pdf {
            problem = Some(WizardNotice::NotPdf);
            continue;
        }
        if !fits_total(&draft.files, slot, bytes.len() as i64, state.config.draft_max_bytes) {
            problem = Some(WizardNotice::DraftFull);
            continue;
        }
        if !fits_total(
            &draft.files,
            slot,
            bytes.len() as i64,
            state.config.drafts_total_max_bytes - others.max(0),
        ) {
            tracing::warn!("registration drafts are at DRAFTS_TOTAL_MAX_BYTES; a file was refused");
            problem = Some(WizardNotice::ServiceFull);
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
        data: serde_json::to_string(&draft).or_internal()?,
        created_at,
        updated_at: now,
        expires_at: now + state.config.draft_ttl_ms,
        email_check,
        file_bytes: draft.files.values().map(|f| f.size).sum(),
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

/// Purges the drafts untouched for `DRAFT_TTL_HOURS` and their files; returns how many
/// drafts went. For the janitor; also run whenever a new draft starts.
pub async fn purge_expired(state: &AppState) -> Result<usize, AppError> {
    let mut tx = state.db.begin().await?;
    let old = registrations::take_expired_drafts(&mut tx, state.now()).await?;
    tx.commit().await?;
    let names: Vec<String> = old
        .iter()
        // One unreadable draft must not keep the others' files on disk: it is logged and skipped.
        .filter_map(|d| crate::server::stored::parse::<Draft>("data", d).ok())
        .flat_map(|d| d.files.into_values().map(|f| f.storage_name))
        .collect();
    state.documents().delete_all(&names).await;
    if !old.is_empty() {
        tracing::info!(
            drafts = old.len(),
            files = names.len(),
            "purged expired registration drafts"
        );
    }
    Ok(old.len())
}
