//! Lopende aanvragen: listing, the timeline, cancelling and resending, always within the
//! manager's current organisation (a foreign id is `NotFound`). Cancelling goes through
//! `issuance::advance`, which kills the request's links and codes and releases its means in
//! the same transaction; of a cancel racing a completion exactly one wins.

use crate::contract::requests::{
    ListQuery, RequestDetail, RequestLine, RequestList, ResendInfo, TimelineItem, PAGE_SIZE,
};
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::request::{RequestEvent, RequestKind, RequestState, TimelineEvent};
use crate::domain::resend::{duration_nl, next_allowed, wait_nl, PER_WINDOW, WINDOW_MS};
use crate::domain::time::format_amsterdam;
use crate::domain::value::{AssuranceLevel, PersonName};
use crate::error::{AppError, OrInternal};
use crate::server::audit::record;
use crate::server::auth::tokens::RawToken;
use crate::server::db::request_list::{self, Filter, ListRow};
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::tokens::{self, TokenRow};
use crate::server::db::{means, organisations, outbox, Conn};
use crate::server::service::activation::{send_code_for, PURPOSE_ACTIVATE};
use crate::server::service::issuance::{advance, requested_level};
use crate::server::service::means_admin::upgrade_mail;
use crate::server::service::means_request::activation_mail;
use crate::server::state::AppState;

fn name(given: Option<&str>, prefix: Option<&str>, surname: Option<&str>) -> String {
    let parts = [given, prefix.filter(|p| !p.is_empty()), surname];
    parts.into_iter().flatten().collect::<Vec<_>>().join(" ")
}

fn level_of(payload: &str, means_level: Option<AssuranceLevel>) -> String {
    serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|p| p.get("level").and_then(|l| l.as_str()).map(str::to_string))
        .or_else(|| means_level.map(|l| l.to_string()))
        .unwrap_or_default()
}

/// The filter from the page's query; unknown kinds and states are ignored.
pub fn filter_of(q: &ListQuery) -> Filter {
    Filter {
        finished: q.tab == "afgerond",
        kind: RequestKind::parse(&q.kind),
        state: RequestState::parse(&q.state),
        query: q.q.chars().take(100).collect(),
        newest_first: q.sort == "nieuw",
    }
}

pub async fn list(state: &AppState, org: &str, q: &ListQuery) -> Result<RequestList, AppError> {
    let now = state.now();
    let filter = filter_of(q);
    let mut conn = state.db.pool.acquire().await?;
    let total = request_list::count(&mut conn, org, &filter).await?;
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let page = q.page.clamp(1, pages);
    let rows = request_list::page(&mut conn, org, &filter, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    let lines = rows.into_iter().map(|r| line(r, now)).collect();
    Ok(RequestList {
        total,
        page,
        pages,
        lines,
    })
}

fn line(r: ListRow, now: i64) -> RequestLine {
    RequestLine {
        kind_label: r.kind.label_nl().to_string(),
        person: name(r.given_names.as_deref(), r.prefix.as_deref(), r.surname.as_deref()),
        email: r.email.clone().unwrap_or_default(),
        level: level_of(&r.payload, r.means_level),
        state_label: r.state.label_nl().to_string(),
        requested_by: name(
            r.by_given_names.as_deref(),
            r.by_prefix.as_deref(),
            r.by_surname.as_deref(),
        ),
        age: duration_nl(now - r.created_at),
        created: format_amsterdam(r.created_at),
        id: r.id,
        kind: r.kind.to_string(),
        state: r.state.to_string(),
    }
}

pub async fn detail(state: &AppState, org: &str, id: &str) -> Result<RequestDetail, AppError> {
    let now = state.now();
    let mut conn = state.db.pool.acquire().await?;
    let r = requests::find(&mut conn, org, id).await?.ok_or(AppError::NotFound)?;
    let person = match r.means_id.as_deref() {
        Some(m) => means::find(&mut conn, org, m).await?,
        None => None,
    };
    let by = match r.requested_by.as_deref() {
        Some(a) => request_list::name_here(&mut conn, org, a).await?,
        None => None,
    };
    let means_level = person.as_ref().map(|m| m.level);
    let timeline = request_list::timeline(&mut conn, org, &r.id)
        .await?
        .into_iter()
        .map(|e| TimelineItem {
            at: format_amsterdam(e.at),
            label: e.event.label_nl().to_string(),
            actor: match (&e.given_names, &e.actor) {
                (Some(_), _) => name(e.given_names.as_deref(), e.prefix.as_deref(), e.surname.as_deref()),
                (None, _) if e.event.by_person() => "de persoon zelf".into(),
                (None, Some(_)) => "onbekend".into(),
                (None, None) => "systeem".into(),
            },
            detail: serde_json::from_str::<serde_json::Value>(&e.detail)
                .ok()
                .and_then(|d| d.get("reason").and_then(|x| x.as_str()).map(str::to_string))
                .unwrap_or_default(),
        })
        .collect();
    let st = r.state;
    let resend = match resend_channel(st) {
        Some(channel) => {
            let times = request_list::resend_times(&mut conn, &r.id, now - WINDOW_MS).await?;
            Some(ResendInfo {
                channel: channel.into(),
                used: times.len() as i64,
                limit: PER_WINDOW as i64,
                wait: next_allowed(&times, now).map(|at| wait_nl(at - now)),
            })
        }
        None => None,
    };
    Ok(RequestDetail {
        kind_label: r.kind.label_nl().to_string(),
        state_label: st.label_nl().to_string(),
        person: person.as_ref().map(|p| p.display_name()).unwrap_or_default(),
        email: person.map(|p| p.email).unwrap_or_default(),
        level: level_of(&r.payload, means_level),
        requested_by: match (by, r.requested_by.is_some()) {
            (Some(n), _) => n,
            (None, true) => "een beheerder".into(),
            (None, false) => "systeem".into(),
        },
        created: format_amsterdam(r.created_at),
        finished: r.finished_at.map(format_amsterdam),
        cancellable: !st.is_final(),
        resend,
        timeline,
        state: r.state.to_string(),
        id: r.id,
    })
}

fn resend_channel(st: RequestState) -> Option<&'static str> {
    match st {
        RequestState::AwaitingEmail => Some("e-mail"),
        RequestState::AwaitingSms => Some("sms"),
        _ => None,
    }
}

/// Cancels the requests (all in the organisation), all or none.
pub async fn cancel(state: &AppState, actor: &str, org: &str, ids: &[String]) -> Result<usize, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    for id in ids {
        let r = requests::find(&mut tx, org, id).await?.ok_or(AppError::NotFound)?;
        cancel_one(&mut tx, &r, actor, now).await?;
    }
    state.commit_and_wake(tx).await?;
    Ok(ids.len())
}

/// One request cancelled by a manager, in the caller's transaction.
pub async fn cancel_one(conn: &mut Conn, r: &RequestRow, actor: &str, now: i64) -> Result<(), AppError> {
    advance(
        conn,
        r,
        RequestEvent::Cancel,
        Some(actor),
        serde_json::json!({ "by": "manager" }),
        now,
    )
    .await?;
    Ok(())
}

/// Sends the activation e-mail (new link) or the SMS code (new code) again.
pub async fn resend(state: &AppState, actor: &str, org: &str, id: &str) -> Result<(), AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    let r = requests::find(&mut tx, org, id).await?.ok_or(AppError::NotFound)?;
    let st = r.state;
    let channel = resend_channel(st)
        .ok_or_else(|| AppError::Conflict("Deze aanvraag wacht niet op een e-mail of sms-code.".into()))?;
    let times = request_list::resend_times(&mut tx, &r.id, now - WINDOW_MS).await?;
    if next_allowed(&times, now).is_some() {
        return Err(AppError::RateLimited);
    }
    let event = if st == RequestState::AwaitingEmail {
        resend_mail(state, &mut tx, &r, now).await?;
        TimelineEvent::EmailResent
    } else {
        send_code_for(state, &mut tx, r.clone(), now).await?;
        TimelineEvent::SmsResent
    };
    requests::add_event(&mut tx, &r.id, now, Some(actor), event, &serde_json::json!({})).await?;
    request_list::touch(&mut tx, &r.id, now).await?;
    let ev = AuditEvent::new(AuditAction::MessageResent, TargetKind::Request, &r.id)
        .actor(actor)
        .organisation(org)
        .after(serde_json::json!({ "channel": channel }));
    record(&mut tx, ev, now).await?;
    state.commit_and_wake(tx).await?;
    Ok(())
}

/// A new activation link replaces the old one; the mail is the one the request first sent.
async fn resend_mail(state: &AppState, conn: &mut Conn, r: &RequestRow, now: i64) -> Result<(), AppError> {
    let means_id = r.means_id.as_deref().or_internal()?;
    let p = means::find(conn, &r.organisation_id, means_id).await?.or_internal()?;
    let organisation = organisations::find(conn, &r.organisation_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    tokens::cancel_purpose(conn, &r.id, PURPOSE_ACTIVATE, now).await?;
    let token = RawToken::generate();
    tokens::insert(
        conn,
        &TokenRow {
            token_sha256: token.sha256(),
            request_id: r.id.clone(),
            purpose: PURPOSE_ACTIVATE,
            created_at: now,
            expires_at: now + state.config.activation_ttl_ms,
            used_at: None,
            cancelled_at: None,
        },
    )
    .await?;
    let link = format!("{}/activeren/{}", state.config.public_url, token.expose());
    let level = requested_level(r)
        .and_then(|l| AssuranceLevel::parse(&l).ok())
        .or_internal()?;
    let (subject, body) = if r.kind == RequestKind::UpgradeMeans {
        upgrade_mail(&p.given_names, level, &link)
    } else {
        let name = PersonName::new(&p.given_names, p.prefix.as_deref().unwrap_or(""), &p.surname).or_internal()?;
        (
            "Activeer uw eHerkenningsmiddel".to_string(),
            activation_mail(&name, &organisation, level, &link),
        )
    };
    outbox::enqueue(
        conn,
        &outbox::NewMessage::email(&p.email, subject, body).about(&r.id),
        now,
    )
    .await?;
    Ok(())
}
