//! Limits on logins and on what anonymous clients may make the server do.
//!
//! Per **login name** (kept in the database, so they hold across instances): the rules of
//! `domain::login_limit` over `db::login_attempts`, for every address alike whether or not
//! an account has it. Per **client address** (also in the database, `db::address_budgets`,
//! so that several instances share one budget): password tries, SMS sent, new
//! registration drafts, other public form posts. The client
//! address is the connection's peer, or — only when that peer is `TRUSTED_PROXY` — the
//! address the proxy appended to `X-Forwarded-For`.

use super::tokens::sha256_hex;
use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::login_limit::{wait_words, Verdict};
use crate::domain::time::format_amsterdam;
use crate::domain::value::Email;
use crate::error::AppError;
use crate::server::audit::record;
use crate::server::config::AddressQuotas;
use crate::server::db::accounts::AccountRow;
use crate::server::db::login_attempts::{self, AttemptKind};
use crate::server::db::{outbox, Conn};
use crate::server::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The address a request came from, put on every request by [`client_addr`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The client address: the peer, or what a trusted proxy says the peer was.
pub fn resolve(peer: Option<IpAddr>, forwarded_for: Option<&str>, trusted: Option<IpAddr>) -> IpAddr {
    let peer = peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    if trusted.is_some() && trusted == Some(peer) {
        // The proxy appends the address it saw: the last entry is the only one it vouches for.
        if let Some(ip) = forwarded_for
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return ip;
        }
    }
    peer
}

pub async fn client_addr(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let ip = resolve(peer, forwarded.as_deref(), state.config.trusted_proxy);
    req.extensions_mut().insert(ClientAddr(ip));
    next.run(req).await
}

/// What a client address spends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    Logins,
    Sms,
    Drafts,
    Forms,
}

impl Budget {
    fn name(self) -> &'static str {
        match self {
            Budget::Logins => "logins",
            Budget::Sms => "sms",
            Budget::Drafts => "drafts",
            Budget::Forms => "forms",
        }
    }
}

const HOUR_MS: i64 = 3_600_000;

/// Token buckets per client address, one per [`Budget`]: each allows its hourly quota at
/// once and refills evenly over the hour. Kept in the database, shared by every instance.
#[derive(Debug)]
pub struct AddressLimits {
    quotas: AddressQuotas,
}

impl AddressLimits {
    pub fn new(q: &AddressQuotas) -> Self {
        AddressLimits { quotas: *q }
    }

    fn quota(&self, budget: Budget) -> u32 {
        match budget {
            Budget::Logins => self.quotas.logins_per_hour,
            Budget::Sms => self.quotas.sms_per_hour,
            Budget::Drafts => self.quotas.drafts_per_hour,
            Budget::Forms => self.quotas.forms_per_hour,
        }
    }

    /// Spends one from the address's budget, or says how long until there is one again.
    pub async fn take(
        &self,
        conn: &mut Conn,
        budget: Budget,
        ip: IpAddr,
        now: i64,
    ) -> Result<Result<(), std::time::Duration>, sqlx::Error> {
        let interval = (HOUR_MS / i64::from(self.quota(budget).max(1))).max(1);
        let key = sha256_hex(format!("address:{ip}").as_bytes());
        let wait = super::super::db::address_budgets::spend(conn, budget.name(), &key, now, interval, HOUR_MS).await?;
        Ok(match wait {
            None => Ok(()),
            Some(ms) => Err(std::time::Duration::from_millis(ms as u64)),
        })
    }
}

/// The refusal when an address's budget is spent.
pub fn address_refusal(budget: Budget, wait: std::time::Duration) -> AppError {
    let when = wait_words(wait.as_millis() as i64, 0);
    AppError::Limited(match budget {
        Budget::Logins => format!("Vanaf uw netwerk zijn te veel inlogpogingen gedaan. Probeer het {when} opnieuw."),
        Budget::Sms => format!("Vanaf uw netwerk zijn te veel sms-codes aangevraagd. Probeer het {when} opnieuw."),
        Budget::Drafts => format!("Vanaf uw netwerk zijn te veel aanmeldingen begonnen. Probeer het {when} opnieuw."),
        Budget::Forms => format!("Vanaf uw netwerk is dit formulier te vaak verstuurd. Probeer het {when} opnieuw."),
    })
}

/// Spends from an address's budget, or answers with the refusal.
pub async fn spend(state: &AppState, conn: &mut Conn, budget: Budget, ip: IpAddr) -> Result<(), AppError> {
    state
        .limits
        .take(conn, budget, ip, state.now())
        .await?
        .map_err(|w| address_refusal(budget, w))
}

/// The stored key of a login name: the normalised address, hashed (a typed name that is
/// no valid address is limited just the same).
pub fn login_subject(typed: &str) -> String {
    let normal = match Email::parse(typed) {
        Ok(e) => e.as_str().to_string(),
        Err(_) => typed.trim().to_lowercase(),
    };
    sha256_hex(format!("login:{normal}").as_bytes())
}

/// Refuses a try while the login name waits or is locked. Says the same for every name.
pub async fn gate(state: &AppState, conn: &mut Conn, subject: &str, now: i64) -> Result<(), AppError> {
    let attempts = login_attempts::attempts(conn, subject, now).await?;
    match state.config.login_limits.verdict(&attempts, now) {
        Verdict::Go => Ok(()),
        Verdict::Wait { until } => Err(AppError::Limited(format!(
            "Te veel onjuiste pogingen achter elkaar. Probeer het {} opnieuw.",
            wait_words(until, now)
        ))),
        Verdict::Locked { until } => Err(AppError::Limited(format!(
            "Na te veel onjuiste pogingen is inloggen met dit e-mailadres geblokkeerd tot {} (Nederlandse tijd). \
             Probeer het daarna opnieuw, of kies ‘Wachtwoord vergeten’.",
            format_amsterdam(until)
        ))),
    }
}

/// Counts a wrong password or code for the login name; the one that reaches the limit
/// starts a lock and, where there is an account, e-mails its holder.
pub async fn wrong_answer(
    state: &AppState,
    conn: &mut Conn,
    subject: &str,
    kind: AttemptKind,
    account: Option<&AccountRow>,
    now: i64,
) -> Result<(), AppError> {
    login_attempts::record(conn, subject, kind, now).await?;
    let attempts = login_attempts::attempts(conn, subject, now).await?;
    let limits = &state.config.login_limits;
    let locked = matches!(limits.verdict(&attempts, now), Verdict::Locked { .. });
    if locked || !limits.locks_at(attempts.failures) {
        return Ok(());
    }
    login_attempts::record(conn, subject, login_attempts::LOCK, now).await?;
    if let Some(a) = account {
        let until = format_amsterdam(now + limits.lock_ms);
        let body = format!(
            "Beste,\n\nVoor uw eHerkenning-account bij Beheermodule zijn {} keer een onjuist wachtwoord of een onjuiste\n\
             sms-code ingevoerd. Om uw account te beschermen is inloggen geblokkeerd tot {until} (Nederlandse tijd).\n\n\
             Was u dit zelf? Dan kunt u daarna opnieuw inloggen. Was u dit niet? Kies dan na die tijd een nieuw\n\
             wachtwoord met ‘Wachtwoord vergeten’ op de inlogpagina en neem contact op met de beheerder van uw\n\
             organisatie.\n\nMet vriendelijke groet,\nBeheermodule\n",
            attempts.failures
        );
        outbox::enqueue(
            conn,
            &outbox::NewMessage::email(&a.email, "Inloggen op uw account is tijdelijk geblokkeerd", body),
            now,
        )
        .await?;
        let ev = AuditEvent::new(AuditAction::AccountLocked, TargetKind::Account, &a.id)
            .after(serde_json::json!({ "failures": attempts.failures, "minutes": limits.lock_ms / 60_000 }));
        record(conn, ev, now).await?;
    }
    Ok(())
}

/// A completed login: the count starts again.
pub async fn completed(conn: &mut Conn, subject: &str, now: i64) -> Result<(), AppError> {
    login_attempts::record(conn, subject, login_attempts::SUCCESS, now).await?;
    Ok(())
}

/// Whether a login code may go to the account now (its hourly and daily caps, and the
/// client address's SMS budget); records it when it may.
pub async fn login_sms(
    state: &AppState,
    conn: &mut Conn,
    subject: &str,
    client: IpAddr,
    now: i64,
) -> Result<(), AppError> {
    let sent = login_attempts::sms_times(conn, subject, now).await?;
    let limits = &state.config.login_limits;
    if let Some(at) = limits.next_sms_at(&sent, now) {
        return Err(AppError::Limited(format!(
            "U heeft het maximum aantal inlogcodes per sms bereikt ({} per uur, {} per dag). Probeer het {} opnieuw.",
            limits.sms_per_hour,
            limits.sms_per_day,
            wait_words(at, now)
        )));
    }
    spend(state, conn, Budget::Sms, client).await?;
    login_attempts::record(conn, subject, login_attempts::SMS_SENT, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_trusted_proxy_names_the_client() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let xff = "198.51.100.9, 203.0.113.7";
        assert_eq!(
            resolve(Some(proxy), Some(xff), Some(proxy)),
            client,
            "the last hop the proxy saw"
        );
        assert_eq!(
            resolve(Some(proxy), Some(xff), None),
            proxy,
            "no trusted proxy: the peer"
        );
        assert_eq!(
            resolve(Some(client), Some("1.2.3.4"), Some(proxy)),
            client,
            "a bare header is ignored"
        );
        assert_eq!(resolve(Some(proxy), Some("junk"), Some(proxy)), proxy);
    }

    #[test]
    fn login_subjects_normalise_and_hide_the_address() {
        assert_eq!(login_subject(" Jan@Example.NL "), login_subject("jan@example.nl"));
        assert_ne!(login_subject("jan@example.nl"), login_subject("jan@example.com"));
        assert!(!login_subject("jan@example.nl").contains("jan"));
        assert_eq!(login_subject("geen adres").len(), 64);
    }
}
