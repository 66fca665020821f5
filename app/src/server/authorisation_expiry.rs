//! The authorisation expiry job (flow 7): active authorisations whose term has ended
//! become `expired` (audit `authorisation_expired`), and 60 days before the end the holder
//! and the organisation's managers get one e-mail (once: `expiry_notice_sent_at`).
//! Time comes from the injectable clock, so tests move the clock instead of sleeping.

use super::audit::record;
use super::clock::DAY_MS;
use super::db::authorisations::{self, AuthorisationRow};
use super::db::{organisations, outbox, services, Conn};
use super::state::AppState;
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::authorisation::AuthorisationState;
use crate::domain::time::format_date_amsterdam;
use crate::error::AppError;
use std::collections::BTreeMap;
use tokio::sync::watch;

/// How long before the end the notice goes out.
pub const NOTICE_DAYS: i64 = 60;
/// Rows handled per transaction.
const BATCH: i64 = 500;

/// The job's period.
const EVERY_MS: i64 = 300_000;

/// Runs the job every five minutes on the instance that takes the period's turn.
pub fn spawn_expiry(state: AppState, mut stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(EVERY_MS as u64));
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if !super::jobs::take_turn(&state, "authorisation_expiry", EVERY_MS).await {
                        continue;
                    }
                    if let Err(e) = run_once(&state).await {
                        tracing::warn!(error = %e, "authorisation expiry failed");
                    }
                }
                _ = stop.changed() => break,
            }
        }
    })
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpiryRun {
    pub expired: usize,
    pub notices: usize,
}

/// Expires what has ended and sends the notices that are due, at `state.now()`.
pub async fn run_once(state: &AppState) -> Result<ExpiryRun, AppError> {
    let now = state.now();
    let mut run = ExpiryRun::default();
    loop {
        let mut tx = state.db.begin().await?;
        let due = authorisations::ended(&mut tx, now, BATCH).await?;
        for a in &due {
            if authorisations::set_state(
                &mut tx,
                &a.id,
                AuthorisationState::Active,
                AuthorisationState::Expired,
                None,
                now,
            )
            .await?
            {
                let ev = AuditEvent::new(AuditAction::AuthorisationExpired, TargetKind::Authorisation, &a.id)
                    .organisation(&a.organisation_id)
                    .before(serde_json::json!({ "state": "active", "valid_until": a.valid_until }))
                    .after(serde_json::json!({ "state": "expired" }));
                record(&mut tx, ev, now).await?;
                run.expired += 1;
            }
        }
        tx.commit().await?;
        if (due.len() as i64) < BATCH {
            break;
        }
    }
    loop {
        let mut tx = state.db.begin().await?;
        let due = authorisations::notice_due(&mut tx, now, now + NOTICE_DAYS * DAY_MS, BATCH).await?;
        run.notices += notify(&mut tx, &due, now).await?;
        tx.commit().await?;
        if (due.len() as i64) < BATCH {
            break;
        }
    }
    if run.notices > 0 {
        state.wake_outbox();
    }
    if run.expired > 0 {
        super::overview_cache::invalidate(&state.db).await;
    }
    Ok(run)
}

/// One e-mail per holder, one per organisation to its managers; marks the rows noticed.
async fn notify(conn: &mut Conn, due: &[AuthorisationRow], now: i64) -> Result<usize, AppError> {
    let mut by_org: BTreeMap<&str, BTreeMap<&str, Vec<&AuthorisationRow>>> = BTreeMap::new();
    for a in due {
        by_org
            .entry(&a.organisation_id)
            .or_default()
            .entry(&a.means_id)
            .or_default()
            .push(a);
    }
    let mut sent = 0;
    for (org_id, holders) in by_org {
        let org_name = organisations::find(conn, org_id)
            .await?
            .map(|o| o.name)
            .unwrap_or_default();
        let mut summary = String::new();
        let mut claimed = false;
        for (means_id, rows) in holders {
            let person = crate::server::db::means::find(conn, org_id, means_id).await?;
            let mut lines = String::new();
            for a in &rows {
                // Another instance may have read the same rows and got there first (its
                // update made ours wait, then find the row marked): that one sends it.
                if !authorisations::mark_noticed(conn, &a.id, now).await? {
                    continue;
                }
                lines.push_str(&format!(
                    "- {} (tot {})\n",
                    describe(conn, a).await?,
                    format_date_amsterdam(a.valid_until)
                ));
            }
            if lines.is_empty() {
                continue;
            }
            claimed = true;
            if let Some(p) = person {
                let body = format!(
                    "Beste {},\n\nDeze machtigingen voor {org_name} verlopen binnenkort:\n{lines}\n\
                     Vraag de beheerder van uw organisatie om ze te verlengen als u ze nog nodig heeft.\n\n\
                     Met vriendelijke groet,\nBeheermodule\n",
                    p.given_names
                );
                outbox::enqueue(
                    conn,
                    &outbox::NewMessage::email(&p.email, "Uw machtigingen verlopen binnenkort", body),
                    now,
                )
                .await?;
                sent += 1;
                summary.push_str(&format!("{}:\n{lines}", p.display_name()));
            }
        }
        if !claimed {
            continue;
        }
        for email in authorisations::manager_emails(conn, org_id, now).await? {
            let body = format!(
                "Beste beheerder,\n\nDeze machtigingen van {org_name} verlopen binnen {NOTICE_DAYS} dagen:\n\n{summary}\n\
                 U kunt ze opnieuw activeren onder Beheer → Machtigingen zodra ze verlopen zijn, of nu een nieuwe machtiging verlenen.\n\n\
                 Met vriendelijke groet,\nBeheermodule\n"
            );
            outbox::enqueue(
                conn,
                &outbox::NewMessage::email(&email, "Machtigingen verlopen binnenkort", body),
                now,
            )
            .await?;
            sent += 1;
        }
    }
    Ok(sent)
}

async fn describe(conn: &mut Conn, a: &AuthorisationRow) -> Result<String, AppError> {
    Ok(match &a.service_id {
        Some(id) => match services::find(conn, id).await? {
            Some(s) => format!("{} ({})", s.name, s.provider),
            None => id.clone(),
        },
        None => format!("alle diensten t/m {}", a.level),
    })
}
