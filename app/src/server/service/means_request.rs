//! Requesting means (flow 3): for each person a `new_means` request, a means in state
//! `requested`, an activation link (token stored hashed, 24 h) and its e-mail — all with
//! audit events, in the caller's transaction, so a batch is stored all-or-nothing.
//! People who already hold a live means here are reported as present, not created again.

use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::request::{transition, RequestEvent, RequestKind, RequestState};
use crate::domain::value::{AssuranceLevel, PersonName};
use crate::error::AppError;
use crate::server::auth::tokens::RawToken;
use crate::server::clock::HOUR_MS;
use crate::server::db::bulk::{insert_many, Val};
use crate::server::db::{directory, new_id, Conn};
use std::collections::{HashMap, HashSet};

/// How long an activation link works.
pub const ACTIVATION_TTL_MS: i64 = 24 * HOUR_MS;

pub use crate::domain::person_request::PersonRequest;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub created: usize,
    /// E-mail addresses of people who already had a live means here.
    pub present: Vec<String>,
}

/// Who asks, for which organisation, up to which level.
pub struct Requester<'a> {
    pub person_id: &'a str,
    pub organisation_id: &'a str,
    pub manager_level: AssuranceLevel,
    pub public_url: &'a str,
}

pub async fn request_means(
    conn: &mut Conn,
    by: &Requester<'_>,
    people: &[PersonRequest],
    batch_id: Option<&str>,
    now: i64,
) -> Result<Outcome, AppError> {
    let mut seen = HashSet::new();
    for p in people {
        if p.level > by.manager_level {
            return Err(AppError::invalid(format!(
                "U kunt middelen aanvragen tot en met uw eigen niveau ({}); {} vraagt {}.",
                by.manager_level.as_str(),
                p.email.as_str(),
                p.level.as_str()
            )));
        }
        if !seen.insert(p.email.as_str()) {
            return Err(AppError::invalid(format!(
                "Het e-mailadres {} staat er twee keer in.",
                p.email.as_str()
            )));
        }
    }
    let live: HashSet<String> = directory::live_emails(conn, by.organisation_id)
        .await?
        .into_iter()
        .collect();
    let emails: Vec<&str> = people.iter().map(|p| p.email.as_str()).collect();
    let existing: HashMap<String, String> = directory::persons_by_email(conn, &emails)
        .await?
        .into_iter()
        .map(|(id, email)| (email, id))
        .collect();

    let state = transition(RequestState::Submitted, &RequestEvent::EmailSent).map_err(|_| AppError::Internal)?;
    let mut out = Outcome::default();
    let mut rows = Rows::default();
    for p in people {
        if live.contains(p.email.as_str()) {
            out.present.push(p.email.as_str().to_string());
            continue;
        }
        let person_id = match existing.get(p.email.as_str()) {
            Some(id) => id.clone(),
            None => {
                let id = new_id();
                rows.persons.push(vec![
                    Val::Text(id.clone()),
                    Val::Text(p.name.given_names().as_ref().to_string()),
                    Val::OptText(p.name.prefix().map(|x| x.as_ref().to_string())),
                    Val::Text(p.name.surname().as_ref().to_string()),
                    Val::Text(p.birth_date.iso()),
                    Val::Text(p.email.as_str().to_string()),
                    Val::Text(p.mobile.as_e164().to_string()),
                    Val::Int(now),
                    Val::Int(now),
                ]);
                id
            }
        };
        let (means_id, request_id) = (new_id(), new_id());
        rows.means.push(vec![
            Val::Text(means_id.clone()),
            Val::Text(person_id.clone()),
            Val::Text(by.organisation_id.to_string()),
            Val::Text(p.level.as_str().to_string()),
            Val::Text("requested".into()),
            Val::Int(i64::from(p.employed)),
            Val::Int(now),
            Val::Int(now),
        ]);
        let payload = serde_json::json!({
            "level": p.level.as_str(),
            "employed": p.employed,
            "services": p.services.iter().map(|s| s.as_ref()).collect::<Vec<_>>(),
            "term_years": p.term.map(|t| t.years()),
        });
        rows.requests.push(vec![
            Val::Text(request_id.clone()),
            Val::Text(by.organisation_id.to_string()),
            Val::Text(RequestKind::NewMeans.as_str().into()),
            Val::Text(state.as_str().into()),
            Val::Text(person_id.clone()),
            Val::Text(means_id.clone()),
            Val::OptText(batch_id.map(str::to_string)),
            Val::Text(by.person_id.to_string()),
            Val::Text(payload.to_string()),
            Val::Int(now),
            Val::Int(now),
        ]);
        for event in ["created", "email_sent"] {
            rows.events.push(vec![
                Val::Text(new_id()),
                Val::Text(request_id.clone()),
                Val::Int(now),
                Val::Text(by.person_id.to_string()),
                Val::Text(event.into()),
                Val::Text("{}".into()),
            ]);
        }
        let token = RawToken::generate();
        rows.tokens.push(vec![
            Val::Text(token.sha256()),
            Val::Text(request_id.clone()),
            Val::Text("activate".into()),
            Val::Int(now),
            Val::Int(now + ACTIVATION_TTL_MS),
        ]);
        rows.outbox.push(vec![
            Val::Text(new_id()),
            Val::Text("email".into()),
            Val::Text(p.email.as_str().to_string()),
            Val::Text("Activeer uw eHerkenningsmiddel".into()),
            Val::Text(activation_mail(
                &p.name,
                p.level,
                &format!("{}/activeren/{}", by.public_url, token.expose()),
            )),
            Val::Int(now),
            Val::Int(now),
        ]);
        let ev = AuditEvent::new(AuditAction::MeansRequested, TargetKind::Request, &request_id)
            .actor(by.person_id)
            .organisation(by.organisation_id)
            .after(serde_json::json!({ "means_id": means_id, "person_id": person_id, "level": p.level.as_str(), "employed": p.employed }));
        rows.audit.push(vec![
            Val::Text(new_id()),
            Val::Int(now),
            Val::OptText(ev.actor.clone()),
            Val::OptText(ev.organisation_id.clone()),
            Val::Text(ev.action.as_str().into()),
            Val::Text(ev.target_kind.as_str().into()),
            Val::Text(ev.target_id.clone()),
            Val::OptText(ev.after.as_ref().map(|v| v.to_string())),
        ]);
        out.created += 1;
    }
    rows.write(conn).await?;
    Ok(out)
}

#[derive(Default)]
struct Rows {
    persons: Vec<Vec<Val>>,
    means: Vec<Vec<Val>>,
    requests: Vec<Vec<Val>>,
    events: Vec<Vec<Val>>,
    tokens: Vec<Vec<Val>>,
    outbox: Vec<Vec<Val>>,
    audit: Vec<Vec<Val>>,
}

impl Rows {
    async fn write(&self, conn: &mut Conn) -> Result<(), sqlx::Error> {
        let person_cols = [
            "id",
            "given_names",
            "prefix",
            "surname",
            "birth_date",
            "email",
            "mobile_e164",
            "created_at",
            "updated_at",
        ];
        insert_many(conn, "persons", &person_cols, &self.persons).await?;
        let means_cols = [
            "id",
            "person_id",
            "organisation_id",
            "level",
            "state",
            "employed",
            "created_at",
            "updated_at",
        ];
        insert_many(conn, "means", &means_cols, &self.means).await?;
        let request_cols = [
            "id",
            "organisation_id",
            "kind",
            "state",
            "person_id",
            "means_id",
            "batch_id",
            "requested_by",
            "payload",
            "created_at",
            "updated_at",
        ];
        insert_many(conn, "requests", &request_cols, &self.requests).await?;
        insert_many(
            conn,
            "request_events",
            &["id", "request_id", "at", "actor", "event", "detail"],
            &self.events,
        )
        .await?;
        insert_many(
            conn,
            "verification_tokens",
            &crate::server::db::tokens::COLUMNS,
            &self.tokens,
        )
        .await?;
        let outbox_cols = [
            "id",
            "channel",
            "recipient",
            "subject",
            "body",
            "created_at",
            "next_attempt_at",
        ];
        insert_many(conn, "outbox", &outbox_cols, &self.outbox).await?;
        let audit_cols = [
            "id",
            "at",
            "actor",
            "organisation_id",
            "action",
            "target_kind",
            "target_id",
            "after_json",
        ];
        insert_many(conn, "audit_events", &audit_cols, &self.audit).await?;
        Ok(())
    }
}

/// The activation e-mail: plain text, the link on a line of its own.
pub fn activation_mail(name: &PersonName, level: AssuranceLevel, link: &str) -> String {
    format!(
        "Beste {},\n\nUw organisatie heeft een eHerkenningsmiddel op niveau {} voor u aangevraagd.\n\
         Open de link hieronder op uw telefoon om uw e-mailadres te bevestigen. Daarna ontvangt u een\n\
         sms-code en kiest u uw eigen wachtwoord.\n\n{}\n\n\
         De link werkt 24 uur en één keer. Heeft u dit niet verwacht? Dan kunt u deze e-mail negeren.\n\n\
         Met vriendelijke groet,\nBeheermodule\n",
        name.display_name(),
        level.as_str(),
        link
    )
}
