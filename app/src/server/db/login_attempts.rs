//! What happened at the login steps of one login name (`subject`: the SHA-256 of the
//! normalised e-mail address, for unknown addresses exactly as for known ones). Kinds:
//! `password_wrong`, `code_wrong` (wrong answers), `success` (a completed login), `lock`
//! (a lock began), `sms_sent` (a login code went out). The rules are
//! `domain::login_limit`; these rows make them hold across instances.

use super::{new_id, Conn};
use crate::domain::login_limit::{Attempts, DAY_MS};

crate::domain::named_enum! {
    /// What a `login_attempts` row records; the `kind` column.
    AttemptKind {
        PasswordWrong = "password_wrong", "onjuist wachtwoord";
        CodeWrong = "code_wrong", "onjuiste sms-code";
        Success = "success", "ingelogd";
        Lock = "lock", "geblokkeerd";
        SmsSent = "sms_sent", "sms-code verstuurd";
    }
}

pub const PASSWORD_WRONG: AttemptKind = AttemptKind::PasswordWrong;
pub const CODE_WRONG: AttemptKind = AttemptKind::CodeWrong;
pub const SUCCESS: AttemptKind = AttemptKind::Success;
pub const LOCK: AttemptKind = AttemptKind::Lock;
pub const SMS_SENT: AttemptKind = AttemptKind::SmsSent;

pub async fn record(conn: &mut Conn, subject: &str, kind: AttemptKind, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO login_attempts (id, subject, kind, at) VALUES ($1, $2, $3, $4)")
        .bind(new_id())
        .bind(subject)
        .bind(kind)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Wrong answers of the last 24 hours since the last completed login, and the latest lock.
pub async fn attempts(conn: &mut Conn, subject: &str, now: i64) -> Result<Attempts, sqlx::Error> {
    let last_success: Option<i64> =
        sqlx::query_scalar("SELECT MAX(at) FROM login_attempts WHERE subject = $1 AND kind = $2")
            .bind(subject)
            .bind(SUCCESS)
            .fetch_one(&mut *conn)
            .await?;
    let since = last_success.unwrap_or(i64::MIN).max(now - DAY_MS);
    let (failures, last_failure_at): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(at) FROM login_attempts WHERE subject = $1 AND kind IN ($2, $3) AND at > $4",
    )
    .bind(subject)
    .bind(PASSWORD_WRONG)
    .bind(CODE_WRONG)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    let lock_started_at: Option<i64> =
        sqlx::query_scalar("SELECT MAX(at) FROM login_attempts WHERE subject = $1 AND kind = $2")
            .bind(subject)
            .bind(LOCK)
            .fetch_one(conn)
            .await?;
    Ok(Attempts {
        failures: failures.max(0) as u32,
        last_failure_at,
        lock_started_at,
    })
}

/// When login codes went to this subject in the last 24 hours.
pub async fn sms_times(conn: &mut Conn, subject: &str, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT at FROM login_attempts WHERE subject = $1 AND kind = $2 AND at > $3 ORDER BY at")
        .bind(subject)
        .bind(SMS_SENT)
        .bind(now - DAY_MS)
        .fetch_all(conn)
        .await
}

/// Deletes what no rule looks at any more: attempts over two days before `now` (a lock
/// longer than a day is counted from its start, so callers pass `now` minus the lock).
pub async fn prune(conn: &mut Conn, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM login_attempts WHERE at < $1")
        .bind(now - 2 * DAY_MS)
        .execute(conn)
        .await?
        .rows_affected())
}
