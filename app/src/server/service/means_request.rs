//! Requesting means (flow 3): for each person a `new_means` request, a means in state
//! `requested` carrying the particulars this organisation entered, an activation link
//! (token stored hashed, 24 h) and its e-mail — all with audit events, in the caller's
//! transaction, so a batch is stored all-or-nothing. People who already hold a live means
//! *here* are reported as present, not created again.
//!
//! Nothing here reads accounts or another organisation's means: a request for an address
//! that has an account elsewhere is stored, answered and timed exactly like one for a new
//! address. Only the holder, by acting on the link, binds the means to their account
//! (`service::activation`).

use crate::domain::audit::{AuditAction, TargetKind};
use crate::domain::request::{transition, RequestEvent, RequestKind, RequestState};
use crate::domain::value::{AssuranceLevel, PersonName};
use crate::error::{AppError, OrInternal};
use crate::server::auth::tokens::RawToken;
use crate::server::db::bulk::{insert_many, Id, Val};
use crate::server::db::outbox::{self, Channel};
use crate::server::db::{directory, tokens, Conn};
use crate::server::notify::template::{self, ActivationParams, Params};
use serde::Serialize;
use std::collections::HashSet;

pub use crate::domain::person_request::PersonRequest;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub created: usize,
    /// E-mail addresses of people who already had a live means here.
    pub present: Vec<String>,
}

/// Who asks, for which organisation, up to which level.
pub struct Requester<'a> {
    /// The manager's account.
    pub account_id: &'a str,
    pub organisation_id: &'a str,
    /// Named in the activation e-mail.
    pub organisation_name: &'a str,
    pub manager_level: AssuranceLevel,
    pub public_url: &'a str,
    /// How long the activation links work (`ACTIVATION_TTL_HOURS`).
    pub link_ttl_ms: i64,
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

    let state = transition(RequestState::Submitted, &RequestEvent::EmailSent).or_internal()?;
    let ctx = RowContext {
        by,
        batch_id,
        now,
        state: state.as_str(),
    };
    let mut out = Outcome::default();
    let mut rows = Rows::with_capacity(people.len());
    for p in people {
        if live.contains(p.email.as_str()) {
            out.present.push(p.email.as_str().to_string());
            continue;
        }
        rows.push(&ctx, p)?;
        out.created += 1;
    }
    rows.write(conn).await?;
    Ok(out)
}

/// What every row of one call shares.
struct RowContext<'a> {
    by: &'a Requester<'a>,
    batch_id: Option<&'a str>,
    now: i64,
    state: &'static str,
}

/// The request's `payload`. Fields in alphabetical order, as `serde_json::json!` wrote them.
#[derive(Serialize)]
struct Payload<'a> {
    employed: bool,
    level: &'a str,
    services: Vec<&'a str>,
    term_years: Option<i32>,
}

/// The audit event's `after`, fields in alphabetical order.
#[derive(Serialize)]
struct MeansRequested<'a> {
    employed: bool,
    level: &'a str,
    means_id: &'a str,
}

const MEANS_COLUMNS: [&str; 13] = [
    "id",
    "organisation_id",
    "email",
    "given_names",
    "prefix",
    "surname",
    "birth_date",
    "mobile_e164",
    "level",
    "state",
    "employed",
    "created_at",
    "updated_at",
];
const REQUEST_COLUMNS: [&str; 10] = [
    "id",
    "organisation_id",
    "kind",
    "state",
    "means_id",
    "batch_id",
    "requested_by",
    "payload",
    "created_at",
    "updated_at",
];
const EVENT_COLUMNS: [&str; 6] = ["id", "request_id", "at", "actor", "event", "detail"];
const AUDIT_COLUMNS: [&str; 8] = [
    "id",
    "at",
    "actor",
    "organisation_id",
    "action",
    "target_kind",
    "target_id",
    "after_json",
];

/// Every row of a batch, one fixed-size array of values per row. Values borrow the
/// requests and the context; ids are inline, so a person costs a few allocations only
/// (token hash, payload, audit detail, mail parameters, birth date).
struct Rows<'a> {
    means: Vec<[Val<'a>; 13]>,
    requests: Vec<[Val<'a>; 10]>,
    events: Vec<[Val<'a>; 6]>,
    tokens: Vec<[Val<'a>; 5]>,
    outbox: Vec<[Val<'a>; 9]>,
    audit: Vec<[Val<'a>; 8]>,
}

impl<'a> Rows<'a> {
    fn with_capacity(n: usize) -> Self {
        Rows {
            means: Vec::with_capacity(n),
            requests: Vec::with_capacity(n),
            events: Vec::with_capacity(2 * n),
            tokens: Vec::with_capacity(n),
            outbox: Vec::with_capacity(n),
            audit: Vec::with_capacity(n),
        }
    }

    /// The rows for one person.
    fn push(&mut self, ctx: &RowContext<'a>, p: &'a PersonRequest) -> Result<(), AppError> {
        let (by, now) = (ctx.by, ctx.now);
        let level = p.level.as_str();
        let (means_id, request_id) = (Id::generate(), Id::generate());
        self.means.push([
            Val::Id(means_id),
            Val::Str(by.organisation_id),
            Val::Str(p.email.as_str()),
            Val::Str(p.name.given_names().as_ref()),
            Val::OptStr(p.name.prefix().map(|x| x.as_ref())),
            Val::Str(p.name.surname().as_ref()),
            Val::Text(p.birth_date.iso()),
            Val::Str(p.mobile.as_e164()),
            Val::Str(level),
            Val::Str("requested"),
            Val::Int(i64::from(p.employed)),
            Val::Int(now),
            Val::Int(now),
        ]);
        let payload = Payload {
            employed: p.employed,
            level,
            services: p.services.iter().map(|s| s.as_ref()).collect(),
            term_years: p.term.map(|t| t.years()),
        };
        self.requests.push([
            Val::Id(request_id),
            Val::Str(by.organisation_id),
            Val::Str(RequestKind::NewMeans.as_str()),
            Val::Str(ctx.state),
            Val::Id(means_id),
            Val::OptStr(ctx.batch_id),
            Val::Str(by.account_id),
            Val::Text(json(&payload)?),
            Val::Int(now),
            Val::Int(now),
        ]);
        for event in ["created", "email_sent"] {
            self.events.push([
                Val::Id(Id::generate()),
                Val::Id(request_id),
                Val::Int(now),
                Val::Str(by.account_id),
                Val::Str(event),
                Val::Str("{}"),
            ]);
        }
        let token = RawToken::generate();
        self.tokens.push([
            Val::Text(token.sha256()),
            Val::Id(request_id),
            Val::Str("activate"),
            Val::Int(now),
            Val::Int(now + by.link_ttl_ms),
        ]);
        let mail = Params::Activation(ActivationParams {
            name: p.name.display_name().into(),
            organisation: by.organisation_name.into(),
            level: level.into(),
            link: format!("{}/activeren/{}", by.public_url, token.expose()).into(),
        });
        self.outbox.push([
            Val::Id(Id::generate()),
            Val::Str(Channel::Email.as_str()),
            Val::Str(p.email.as_str()),
            Val::Str(ACTIVATION_SUBJECT),
            Val::Text(mail.to_json().or_internal()?),
            Val::Str(mail.template().as_str()),
            Val::Id(request_id),
            Val::Int(now),
            Val::Int(now),
        ]);
        let after = MeansRequested {
            employed: p.employed,
            level,
            means_id: means_id.as_str(),
        };
        self.audit.push([
            Val::Id(Id::generate()),
            Val::Int(now),
            Val::Str(by.account_id),
            Val::Str(by.organisation_id),
            Val::Str(AuditAction::MeansRequested.as_str()),
            Val::Str(TargetKind::Request.as_str()),
            Val::Id(request_id),
            Val::Text(json(&after)?),
        ]);
        Ok(())
    }

    async fn write(&self, conn: &mut Conn) -> Result<(), sqlx::Error> {
        insert_many(conn, "means", &MEANS_COLUMNS, &self.means).await?;
        insert_many(conn, "requests", &REQUEST_COLUMNS, &self.requests).await?;
        insert_many(conn, "request_events", &EVENT_COLUMNS, &self.events).await?;
        insert_many(conn, "verification_tokens", &tokens::COLUMNS, &self.tokens).await?;
        insert_many(conn, "outbox", &outbox::INSERT_COLUMNS, &self.outbox).await?;
        insert_many(conn, "audit_events", &AUDIT_COLUMNS, &self.audit).await?;
        Ok(())
    }
}

fn json(value: &impl Serialize) -> Result<String, AppError> {
    serde_json::to_string(value).or_internal()
}

/// Subject of the activation e-mail.
pub const ACTIVATION_SUBJECT: &str = "Activeer uw eHerkenningsmiddel";

/// The activation e-mail: plain text, the link on a line of its own. A batch stores it as
/// a template ([`template::activation_text`] renders it when the outbox is read).
pub fn activation_mail(name: &PersonName, organisation: &str, level: AssuranceLevel, link: &str) -> String {
    template::activation_text(&name.display_name(), organisation, level.as_str(), link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_json_is_what_json_macro_wrote() {
        let payload = Payload {
            employed: true,
            level: "EH2+",
            services: vec!["bd-omzetbelasting"],
            term_years: Some(3),
        };
        let old = serde_json::json!({
            "level": "EH2+", "employed": true, "services": ["bd-omzetbelasting"], "term_years": 3,
        });
        assert_eq!(json(&payload).unwrap(), old.to_string());
        let after = MeansRequested {
            employed: false,
            level: "EH3",
            means_id: "m-\"1\"",
        };
        let old = serde_json::json!({ "means_id": "m-\"1\"", "level": "EH3", "employed": false });
        assert_eq!(json(&after).unwrap(), old.to_string());
    }

    #[test]
    fn activation_mail_is_the_template_text() {
        let name = PersonName::new("Jan", "van der", "Berg").unwrap();
        let mail = activation_mail(&name, "Bakkerij B.V.", AssuranceLevel::Eh3, "https://x.nl/activeren/t");
        assert_eq!(
            mail,
            template::activation_text("Jan van der Berg", "Bakkerij B.V.", "EH3", "https://x.nl/activeren/t")
        );
        assert!(mail.starts_with("Beste Jan van der Berg,\n") && mail.contains("\nhttps://x.nl/activeren/t\n"));
    }
}
