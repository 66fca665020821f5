//! Submitting a manager registration (flow 1) and the applicant's status page.
//!
//! Submission is one transaction: the organisation is found by KvK number (and branch) or
//! created — so `requests.organisation_id` stays NOT NULL and a later approval needs no
//! second lookup; a new organisation without any means is visible to nobody — then the
//! `manager_registration` request (→ `awaiting_representatives`), the `registrations` row,
//! the uploaded files as `documents` of that request, one approval link per
//! representative (purpose `approve_registration`, 24 h, single use, only the SHA-256
//! stored, also kept in the representative's entry to know who answers), the status link
//! (purpose `registration_status`: read-only, so it may be opened again; it lives
//! [`STATUS_TTL_MS`], 24 hours, and a fresh one comes by e-mail on request, see
//! `registration_status_link`) and every e-mail. The draft goes; its files now belong to the request.
//!
//! Nothing is sent to anyone but the applicant until the applicant confirmed their own
//! address (`registration_confirm`): an unconfirmed draft answers [`Submitted::Confirm`]
//! and gets a code instead. The current managers of an organisation with the same KvK
//! number are told and may object (`registration_objection`).

use crate::contract::registrations::WizardNotice;
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::registration::{Draft, Registration};
use crate::domain::request::{RequestEvent, RequestKind, RequestState, TimelineEvent};
use crate::domain::time::{date_amsterdam, CivilDate};
use crate::domain::working_days::due_window;
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::auth::tokens::RawToken;
use crate::server::clock::HOUR_MS;
use crate::server::db::documents::{self, DocumentKind};
use crate::server::db::organisations::{self, OrganisationRow};
use crate::server::db::registrations::{self, RegistrationRow};
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::tokens::{self, Purpose, TokenRow};
use crate::server::db::{new_id, outbox, Conn};
use crate::server::service::issuance::advance;
use crate::server::service::registration_confirm::{self, EmailCheck};
use crate::server::service::{registration_mail, registration_objection};
use crate::server::state::AppState;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const PURPOSE_APPROVE: Purpose = Purpose::ApproveRegistration;
pub const PURPOSE_STATUS: Purpose = Purpose::RegistrationStatus;
pub const APPROVE_TTL_MS: i64 = 24 * HOUR_MS;
pub const STATUS_TTL_MS: i64 = 24 * HOUR_MS;

/// A person as stored in the registration (no secrets; the token only as its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub given_names: String,
    pub prefix: Option<String>,
    pub surname: String,
    pub email: String,
    pub mobile: String,
    #[serde(default)]
    pub birth_date: Option<String>,
    #[serde(default)]
    pub employed: Option<bool>,
    pub document_id: Option<String>,
    #[serde(default)]
    pub token_sha256: Option<String>,
    /// `pending`, `approved` or `refused`.
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub answered_at: Option<i64>,
}

impl PersonRecord {
    pub fn display_name(&self) -> String {
        crate::domain::value::display_name(&self.given_names, self.prefix.as_deref(), &self.surname)
    }
}

fn record_of(p: &crate::domain::registration::Representative, document_id: Option<String>) -> PersonRecord {
    PersonRecord {
        given_names: p.name.given_names().as_ref().to_string(),
        prefix: p.name.prefix().map(|x| x.as_ref().to_string()),
        surname: p.name.surname().as_ref().to_string(),
        email: p.email.as_str().to_string(),
        mobile: p.mobile.as_e164().to_string(),
        birth_date: None,
        employed: None,
        document_id,
        token_sha256: None,
        answer: "pending".into(),
        answered_at: None,
    }
}

async fn find_or_create_org(conn: &mut Conn, r: &Registration, now: i64) -> Result<String, AppError> {
    let branch = r.branch.as_ref().map(|b| b.as_str());
    if let Some(o) = organisations::find_by_kvk(conn, r.kvk.as_str(), branch).await? {
        return Ok(o.id);
    }
    let row = OrganisationRow {
        id: new_id(),
        kvk_number: r.kvk.as_str().to_string(),
        branch_number: branch.map(str::to_string),
        name: r.org_name.as_str().to_string(),
        created_at: now,
    };
    organisations::insert(conn, &row).await?;
    let ev = AuditEvent::new(AuditAction::OrganisationCreated, TargetKind::Organisation, &row.id)
        .organisation(&row.id)
        .after(serde_json::json!({ "kvk_number": row.kvk_number, "name": row.name, "because": "registration" }));
    record(conn, ev, now).await?;
    Ok(row.id)
}

/// What a submission came to.
#[derive(Debug)]
pub enum Submitted {
    /// Submitted: the status link's token.
    Done(RawToken),
    /// The draft is not complete: the first step (0-based) with problems.
    Incomplete(usize),
    /// The applicant's address is not confirmed yet: the code step, with this notice.
    Confirm(WizardNotice),
}

/// Submits the draft once the applicant's address is confirmed; before that, sends the code.
pub async fn submit(state: &AppState, draft_token: &RawToken) -> Result<Submitted, AppError> {
    let now = state.now();
    let today = date_amsterdam(now);
    let mut tx = state.db.begin().await?;
    let Some(row) = registrations::find_draft(&mut tx, &draft_token.sha256(), now).await? else {
        return Ok(Submitted::Incomplete(0));
    };
    let draft: Draft = crate::server::stored::parse("data", &row.data)?;
    let reg = match Registration::from_draft(&draft, today) {
        Ok(r) => r,
        Err((step, _)) => return Ok(Submitted::Incomplete(step)),
    };
    let applicant_email = reg.manager.email.as_str();
    if !EmailCheck::of(&row)?.is_some_and(|c| c.confirms(applicant_email)) {
        let notice = registration_confirm::send_code(state, &mut tx, &row, applicant_email, false, now).await?;
        state.commit_and_wake(tx).await?;
        return Ok(Submitted::Confirm(notice));
    }
    let organisation_id = find_or_create_org(&mut tx, &reg, now).await?;
    let request = open_request(&mut tx, &reg, &organisation_id, now).await?;
    let (doc_ids, unused) = keep_documents(&mut tx, &draft, &reg, &request.id, now).await?;
    let base = state.config.public_url.trim_end_matches('/').to_string();
    let (reps, mut mails) = ask_representatives(&mut tx, &base, &reg, &request.id, &doc_ids, now).await?;
    let mut applicant = record_of(&reg.manager, doc_ids.get("manager").cloned());
    applicant.birth_date = Some(reg.manager_birth_date.iso());
    applicant.employed = Some(reg.manager_employed);
    applicant.answer.clear();
    let status = RawToken::generate();
    insert_token(&mut tx, &status, &request.id, PURPOSE_STATUS, now + STATUS_TTL_MS, now).await?;
    mails.push(outbox::NewMessage::email(
        reg.manager.email.as_str(),
        "Uw aanmelding als machtigingenbeheerder is ontvangen",
        registration_mail::confirmation(
            &applicant,
            &reg,
            &format!("{base}/registreren/status/{}", status.expose()),
        ),
    ));
    mails.extend(registration_objection::notify_managers(&mut tx, &base, &request, &reg, now).await?);
    let registration = registration_row(&reg, &request, organisation_id, &applicant, &reps, today, now)?;
    registrations::insert(&mut tx, &registration).await?;
    advance(
        &mut tx,
        &request,
        RequestEvent::RepresentativesAsked,
        None,
        serde_json::json!({ "representatives": reps.len() }),
        now,
    )
    .await?;
    for m in &mails {
        outbox::enqueue(&mut tx, m, now).await?;
    }
    registrations::delete_draft(&mut tx, &draft_token.sha256()).await?;
    tx.commit().await?;
    state.documents().delete_all(&unused).await;
    state.wake_outbox();
    Ok(Submitted::Done(status))
}

/// The `manager_registration` request with its first timeline entry and audit event.
async fn open_request(
    tx: &mut Conn,
    reg: &Registration,
    organisation_id: &str,
    now: i64,
) -> Result<RequestRow, AppError> {
    let request = RequestRow {
        id: new_id(),
        organisation_id: organisation_id.to_string(),
        kind: RequestKind::ManagerRegistration,
        state: RequestState::Submitted,
        account_id: None,
        means_id: None,
        batch_id: None,
        requested_by: None,
        payload: serde_json::json!({ "level": reg.level.as_str(), "kvk_number": reg.kvk.as_str() }).to_string(),
        created_at: now,
        updated_at: now,
        finished_at: None,
    };
    requests::insert(tx, &request).await?;
    requests::add_event(
        tx,
        &request.id,
        now,
        None,
        TimelineEvent::Created,
        &serde_json::json!({}),
    )
    .await?;
    let ev = AuditEvent::new(AuditAction::RequestCreated, TargetKind::Request, &request.id)
        .organisation(organisation_id)
        .after(serde_json::json!({ "kind": request.kind, "level": reg.level.as_str() }));
    record(tx, ev, now).await?;
    Ok(request)
}

/// The draft's files that belong to the registration become documents of the request (ids
/// by slot); the storage names of the others come back, to be deleted after the commit.
async fn keep_documents(
    tx: &mut Conn,
    draft: &Draft,
    reg: &Registration,
    request_id: &str,
    now: i64,
) -> Result<(HashMap<String, String>, Vec<String>), AppError> {
    let mut doc_ids = HashMap::new();
    let mut unused = Vec::new();
    for (slot, f) in &draft.files {
        // Files of choices undone (an extract we now arrange, a second representative no
        // longer signing) are not part of the registration.
        let in_use = match slot.as_str() {
            "extract" => reg.extract_date.is_some(),
            "manager" => true,
            rep => (0..reg.representatives.len()).any(|i| rep == format!("rep{i}")),
        };
        if !in_use {
            unused.push(f.storage_name.clone());
            continue;
        }
        let id = new_id();
        let kind = if slot == "extract" {
            DocumentKind::KvkExtract
        } else {
            DocumentKind::IdCopy
        };
        let row = documents::DocumentRow {
            id: id.clone(),
            request_id: request_id.to_string(),
            kind,
            storage_name: f.storage_name.clone(),
            mime: f.mime.clone(),
            size_bytes: f.size,
            sha256: f.sha256.clone(),
            created_at: now,
            deleted_at: None,
        };
        documents::insert(tx, &row).await?;
        doc_ids.insert(slot.clone(), id);
    }
    Ok((doc_ids, unused))
}

/// One approval link and e-mail per representative, and their entries for the registration.
async fn ask_representatives(
    tx: &mut Conn,
    base: &str,
    reg: &Registration,
    request_id: &str,
    doc_ids: &HashMap<String, String>,
    now: i64,
) -> Result<(Vec<PersonRecord>, Vec<outbox::NewMessage>), AppError> {
    let mut reps = Vec::new();
    let mut mails = Vec::new();
    for (i, rep) in reg.representatives.iter().enumerate() {
        let mut rec = record_of(rep, doc_ids.get(&format!("rep{i}")).cloned());
        let token = RawToken::generate();
        rec.token_sha256 = Some(token.sha256());
        insert_token(tx, &token, request_id, PURPOSE_APPROVE, now + APPROVE_TTL_MS, now).await?;
        mails.push(outbox::NewMessage::email(
            rep.email.as_str(),
            "Verzoek: keur een machtigingenbeheerder goed",
            registration_mail::approval(&rec, reg, &format!("{base}/registreren/goedkeuren/{}", token.expose())),
        ));
        reps.push(rec);
    }
    Ok((reps, mails))
}

/// The `registrations` row: what was asked, by and for whom, and when the back office is due.
fn registration_row(
    reg: &Registration,
    request: &RequestRow,
    organisation_id: String,
    applicant: &PersonRecord,
    reps: &[PersonRecord],
    today: CivilDate,
    now: i64,
) -> Result<RegistrationRow, AppError> {
    let (due_min, due_max) = due_window(today);
    Ok(RegistrationRow {
        id: new_id(),
        request_id: request.id.clone(),
        organisation_id,
        kvk_number: reg.kvk.as_str().into(),
        org_name: reg.org_name.as_str().into(),
        branch_number: reg.branch.as_ref().map(|b| b.as_str().to_string()),
        extract_date: reg.extract_date.map(|d| d.iso()),
        arrange_extract: i64::from(reg.extract_date.is_none()),
        requested_level: reg.level,
        signing: if reg.representatives.len() > 1 {
            "jointly"
        } else {
            "alone"
        }
        .into(),
        applicant: serde_json::to_string(applicant).or_internal()?,
        representatives: serde_json::to_string(reps).or_internal()?,
        contract_holder: serde_json::json!({ "name": reg.contract_name, "email": reg.contract_email.as_str() })
            .to_string(),
        submitted_at: now,
        due_min: due_min.iso(),
        due_max: due_max.iso(),
        version: 0,
    })
}

pub(crate) async fn insert_token(
    conn: &mut Conn,
    t: &RawToken,
    request_id: &str,
    purpose: Purpose,
    expires_at: i64,
    now: i64,
) -> Result<(), AppError> {
    let row = TokenRow {
        token_sha256: t.sha256(),
        request_id: request_id.into(),
        purpose,
        created_at: now,
        expires_at,
        used_at: None,
        cancelled_at: None,
    };
    Ok(tokens::insert(conn, &row).await?)
}
