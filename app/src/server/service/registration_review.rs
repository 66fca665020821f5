//! The back office's review of manager registrations the representatives approved: the
//! queue with due dates in working days, the documents, and the decision. Approval makes
//! the manager: the organisation (found or created at submission), a `new_means` request
//! through `means_request::request_means` (person found or created, means `requested`,
//! activation e-mail — the normal activation flow completes it, EH4 via the desk) and a
//! `manage` authorisation on that means, which opens Beheer once the means is active.
//! Either decision deletes the documents; the decision stays in the audit trail. An
//! objection by one of the organisation's existing managers (`registration_objection`)
//! shows on the item. The applicant's typed organisation name reaches the e-mails (and the
//! activation e-mail) only as inert text (`registration_mail`).

use crate::contract::registration_review::ReviewItem;
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::authorisation::{AuthorisationState, ScopeKind};
use crate::domain::person_request::PersonRequest;
use crate::domain::request::{RequestEvent, RequestState};
use crate::domain::time::{date_amsterdam, format_amsterdam, CivilDate};
use crate::domain::value::{BirthDate, DutchMobile, Email, PersonName};
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::auth::session::Identity;
use crate::server::db::authorisations::{self, AuthorisationRow};
use crate::server::db::registrations::{self, RegistrationRow};
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::{documents, means, new_id, outbox, Conn};
use crate::server::service::backoffice::require;
use crate::server::service::issuance::advance;
use crate::server::service::means_request::{request_means, Requester};
use crate::server::service::registration::PersonRecord;
use crate::server::service::registration_mail as mail;
use crate::server::state::AppState;

/// A manager authorisation runs five years, the longest term there is.
const MANAGE_TERM_MS: i64 = 5 * 365 * 24 * 3_600_000;

fn dutch(iso: &str) -> String {
    CivilDate::parse_iso(iso).map(|d| d.dutch()).unwrap_or_default()
}

pub async fn queue(state: &AppState, id: &Identity) -> Result<Vec<ReviewItem>, AppError> {
    require(id)?;
    let today = date_amsterdam(state.now());
    let mut conn = state.db.pool.acquire().await?;
    let rows = registrations::in_state(&mut conn, RequestState::AwaitingReview, 500).await?;
    let mut out = Vec::with_capacity(rows.len());
    for g in rows {
        let docs = documents::live_for_request(&mut conn, &g.request_id).await?;
        let applicant: PersonRecord = crate::server::stored::parse("applicant", &g.applicant)?;
        let reps: Vec<PersonRecord> = crate::server::stored::parse("representatives", &g.representatives)?;
        let contract: serde_json::Value = crate::server::stored::parse("contract_holder", &g.contract_holder)?;
        let objections = crate::server::service::registration_objection::notes(&mut conn, &g.request_id).await?;
        let submitted = date_amsterdam(g.submitted_at);
        let (extract, extract_ok) = match g.extract_date.as_deref().and_then(|d| CivilDate::parse_iso(d).ok()) {
            Some(d) => {
                let at_submission = submitted.to_days() - d.to_days();
                (
                    format!(
                        "Uittreksel van {}: {} dagen oud bij indiening, nu {} dagen.",
                        d.dutch(),
                        at_submission,
                        today.to_days() - d.to_days()
                    ),
                    (0..=crate::domain::registration::EXTRACT_MAX_AGE_DAYS).contains(&at_submission),
                )
            }
            None => ("De aanvrager vraagt ons het uittreksel zelf op te vragen.".into(), true),
        };
        let name_of = |doc_id: &str| -> String {
            if applicant.document_id.as_deref() == Some(doc_id) {
                format!("Identiteitsbewijs {}", applicant.display_name())
            } else if let Some(r) = reps.iter().find(|r| r.document_id.as_deref() == Some(doc_id)) {
                format!("Identiteitsbewijs {}", r.display_name())
            } else {
                "KvK-uittreksel".into()
            }
        };
        out.push(ReviewItem {
            overdue: CivilDate::parse_iso(&g.due_max).is_ok_and(|d| today > d),
            request_id: g.request_id,
            org_name: g.org_name,
            kvk_number: g.kvk_number,
            branch_number: g.branch_number,
            level: g.requested_level.to_string(),
            submitted: format_amsterdam(g.submitted_at),
            due_min: dutch(&g.due_min),
            due_max: dutch(&g.due_max),
            extract,
            extract_ok,
            manager: applicant.display_name(),
            manager_email: applicant.email.clone(),
            manager_mobile: DutchMobile::parse(&applicant.mobile)
                .map(|m| m.national())
                .unwrap_or(applicant.mobile.clone()),
            manager_birth_date: applicant.birth_date.as_deref().map(dutch).unwrap_or_default(),
            manager_employed: applicant.employed.unwrap_or(false),
            representatives: reps
                .iter()
                .map(|r| {
                    (
                        r.display_name(),
                        r.email.clone(),
                        crate::server::service::registration_status::answer_label(&r.answer).to_string(),
                    )
                })
                .collect(),
            contract: format!(
                "{} ({})",
                contract.get("name").and_then(|v| v.as_str()).unwrap_or(""),
                contract.get("email").and_then(|v| v.as_str()).unwrap_or("")
            ),
            objections,
            documents: docs
                .iter()
                .map(|d| (d.id.clone(), name_of(&d.id), d.mime.clone()))
                .collect(),
        });
    }
    Ok(out)
}

async fn waiting(conn: &mut Conn, request_id: &str) -> Result<(RequestRow, RegistrationRow), AppError> {
    let r = requests::find_any(conn, request_id).await?.ok_or(AppError::NotFound)?;
    let g = registrations::by_request(conn, request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.state != RequestState::AwaitingReview {
        return Err(AppError::Conflict(
            "Over deze aanmelding is al beslist, of ze wacht niet op beoordeling.".into(),
        ));
    }
    Ok((r, g))
}

async fn finish(
    conn: &mut Conn,
    r: &RequestRow,
    reviewer: &str,
    decision: &str,
    now: i64,
) -> Result<Vec<String>, AppError> {
    let names = documents::mark_deleted_for_request(conn, &r.id, now).await?;
    let ev = AuditEvent::new(AuditAction::RegistrationDecided, TargetKind::Request, &r.id)
        .actor(reviewer)
        .organisation(&r.organisation_id)
        .after(serde_json::json!({ "decision": decision, "documents_deleted": names.len() }));
    record(conn, ev, now).await?;
    Ok(names)
}

/// Approves: the manager's means request, the manager authorisation, the e-mails.
pub async fn approve(state: &AppState, id: &Identity, request_id: &str) -> Result<(), AppError> {
    require(id)?;
    let now = state.now();
    let reviewer = id.account.id.as_str();
    let mut tx = state.db.begin().await?;
    let (r, g) = waiting(&mut tx, request_id).await?;
    let a: PersonRecord = crate::server::stored::parse("applicant", &g.applicant)?;
    let level = g.requested_level;
    let person = PersonRequest {
        name: PersonName::new(&a.given_names, a.prefix.as_deref().unwrap_or(""), &a.surname).or_internal()?,
        birth_date: BirthDate::from_iso(a.birth_date.as_deref().unwrap_or("")).or_internal()?,
        email: Email::parse(&a.email).or_internal()?,
        mobile: DutchMobile::parse(&a.mobile).or_internal()?,
        employed: a.employed.unwrap_or(false),
        level,
        services: vec![],
        term: None,
    };
    let by = Requester {
        account_id: reviewer,
        organisation_id: &g.organisation_id,
        // The name the applicant typed goes into the activation e-mail: inert text there too.
        organisation_name: &mail::org(&g.org_name),
        manager_level: level,
        public_url: state.config.public_url.trim_end_matches('/'),
        link_ttl_ms: state.config.activation_ttl_ms,
    };
    let outcome = request_means(&mut tx, &by, std::slice::from_ref(&person), None, now).await?;
    let m = means::live_by_email(&mut tx, &g.organisation_id, person.email.as_str())
        .await?
        .or_internal()?;
    // An existing means keeps its level; the manager level never exceeds it, and a
    // manager's means is at least EH2+ (it needs the second factor).
    let manage_level = m.level.min(level);
    if !manage_level.needs_second_factor() {
        return Err(AppError::Conflict(format!(
            "De aanvrager heeft in deze organisatie al een middel op niveau {}. Een beheerder heeft minstens \
             EH2+ nodig: laat dat middel eerst upgraden en keur de aanmelding daarna goed.",
            m.level
        )));
    }
    let auth = AuthorisationRow {
        id: new_id(),
        means_id: m.id.clone(),
        organisation_id: g.organisation_id.clone(),
        scope: ScopeKind::Manage,
        service_id: None,
        level: manage_level,
        valid_from: now,
        valid_until: now + MANAGE_TERM_MS,
        state: AuthorisationState::Active,
        revoked_reason: None,
        granted_by: Some(reviewer.into()),
        created_at: now,
        updated_at: now,
    };
    authorisations::insert(&mut tx, &auth).await?;
    let ev = AuditEvent::new(AuditAction::AuthorisationGranted, TargetKind::Authorisation, &auth.id)
        .actor(reviewer)
        .organisation(&g.organisation_id)
        .after(serde_json::json!({ "scope": "manage", "level": auth.level, "means_id": m.id, "registration": r.id }));
    record(&mut tx, ev, now).await?;
    advance(
        &mut tx,
        &r,
        RequestEvent::ReviewApproved,
        Some(reviewer),
        serde_json::json!({ "means_id": m.id }),
        now,
    )
    .await?;
    let deleted = finish(&mut tx, &r, reviewer, "approved", now).await?;
    let next = if outcome.created > 0 {
        "U ontvangt een aparte e-mail met een link om uw eHerkenningsmiddel te activeren. Daarna kunt u inloggen\nen vindt u Beheer in het menu."
    } else {
        "U heeft hier al een eHerkenningsmiddel; na inloggen vindt u Beheer in het menu."
    };
    let body = format!(
        "Beste {},\n\nUw aanmelding als machtigingenbeheerder voor {} is goedgekeurd.\n{}\n\nMet vriendelijke groet,\nBeheermodule\n",
        mail::name(&a.display_name()),
        mail::org(&g.org_name),
        next
    );
    outbox::enqueue(
        &mut tx,
        &outbox::NewMessage::email(&a.email, "Uw aanmelding als beheerder is goedgekeurd", body),
        now,
    )
    .await?;
    tx.commit().await?;
    state.documents().delete_all(&deleted).await;
    state.wake_outbox();
    Ok(())
}

/// Rejects with a reason the applicant reads.
pub async fn reject(state: &AppState, id: &Identity, request_id: &str, reason: &str) -> Result<(), AppError> {
    require(id)?;
    let reason = reason.trim();
    let n = reason.chars().count();
    if !(5..=crate::server::service::backoffice::MAX_REASON_CHARS).contains(&n) {
        return Err(AppError::invalid(
            "Geef een reden op van 5 tot 500 tekens; de aanvrager krijgt die te lezen.",
        ));
    }
    let now = state.now();
    let reviewer = id.account.id.as_str();
    let mut tx = state.db.begin().await?;
    let (r, g) = waiting(&mut tx, request_id).await?;
    advance(
        &mut tx,
        &r,
        RequestEvent::Reject,
        Some(reviewer),
        serde_json::json!({ "reason": reason }),
        now,
    )
    .await?;
    let deleted = finish(&mut tx, &r, reviewer, "rejected", now).await?;
    let a: PersonRecord = crate::server::stored::parse("applicant", &g.applicant)?;
    let body = format!(
        "Beste {},\n\nUw aanmelding als machtigingenbeheerder voor {} is afgewezen.\nReden: {}\n\n\
         De meegestuurde documenten zijn verwijderd. U kunt een nieuwe aanmelding doen.\n\nMet vriendelijke groet,\nBeheermodule\n",
        mail::name(&a.display_name()),
        mail::org(&g.org_name),
        reason
    );
    outbox::enqueue(
        &mut tx,
        &outbox::NewMessage::email(&a.email, "Uw aanmelding als beheerder is afgewezen", body),
        now,
    )
    .await?;
    tx.commit().await?;
    state.documents().delete_all(&deleted).await;
    state.wake_outbox();
    Ok(())
}
