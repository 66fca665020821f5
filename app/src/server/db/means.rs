//! Means: one organisation's means for one person (e-mail address), one level, a state
//! (`MeansState` stable names), and the particulars *that* organisation entered: names,
//! birth date, the mobile as requested, employed. `account_id` is set only once the holder
//! has proven their account (activation); until then the means belongs to its request.
//! Every read that a manager's page makes names the organisation.

use super::Conn;
use crate::domain::means::MeansState;
use crate::domain::value::AssuranceLevel;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct MeansRow {
    pub id: String,
    pub account_id: Option<String>,
    pub organisation_id: String,
    pub email: String,
    pub given_names: String,
    pub prefix: Option<String>,
    pub surname: String,
    pub birth_date: String,
    pub mobile_e164: String,
    pub level: AssuranceLevel,
    pub state: MeansState,
    pub employed: i64,
    pub valid_until: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl MeansRow {
    /// The name as this organisation entered it.
    pub fn display_name(&self) -> String {
        display_name(&self.given_names, self.prefix.as_deref(), &self.surname)
    }
}

pub use crate::domain::value::display_name;

pub const COLUMNS: &str =
    "id, account_id, organisation_id, email, given_names, prefix, surname, birth_date, mobile_e164, \
                           level, state, employed, valid_until, created_at, updated_at";

pub async fn insert(conn: &mut Conn, row: &MeansRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO means ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    ))
    .bind(&row.id)
    .bind(&row.account_id)
    .bind(&row.organisation_id)
    .bind(&row.email)
    .bind(&row.given_names)
    .bind(&row.prefix)
    .bind(&row.surname)
    .bind(&row.birth_date)
    .bind(&row.mobile_e164)
    .bind(row.level)
    .bind(row.state)
    .bind(row.employed)
    .bind(row.valid_until)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A means, only within `organisation_id`: a foreign id is simply not found.
pub async fn find(conn: &mut Conn, organisation_id: &str, id: &str) -> Result<Option<MeansRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM means WHERE organisation_id = $1 AND id = $2"
    ))
    .bind(organisation_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The live (not cancelled) means of `email` in an organisation: at most one.
pub async fn live_by_email(
    conn: &mut Conn,
    organisation_id: &str,
    email: &str,
) -> Result<Option<MeansRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM means WHERE organisation_id = $1 AND email = $2 AND state <> 'cancelled'"
    ))
    .bind(organisation_id)
    .bind(email)
    .fetch_optional(conn)
    .await
}

/// The means bound to an account (every organisation): for the holder's own pages and the
/// login, never for a manager's.
pub async fn of_account(conn: &mut Conn, account_id: &str) -> Result<Vec<MeansRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM means WHERE account_id = $1 ORDER BY created_at, id"
    ))
    .bind(account_id)
    .fetch_all(conn)
    .await
}

/// The account's usable means (active, or active while an upgrade runs) in one
/// organisation, if any.
pub async fn usable_in(
    conn: &mut Conn,
    account_id: &str,
    organisation_id: &str,
) -> Result<Option<MeansRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM means WHERE account_id = $1 AND organisation_id = $2
           AND state IN ('active', 'upgrade_pending') ORDER BY created_at DESC, id LIMIT 1"
    ))
    .bind(account_id)
    .bind(organisation_id)
    .fetch_optional(conn)
    .await
}

/// Binds a means to the account its holder has just proven. Only a means not yet bound.
pub async fn bind_account(conn: &mut Conn, id: &str, account_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE means SET account_id = $1, updated_at = $2 WHERE id = $3 AND account_id IS NULL")
            .bind(account_id)
            .bind(now)
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}

/// Moves a means from one state to another; false when it was no longer in `from`
/// (someone else changed it first).
pub async fn set_state(
    conn: &mut Conn,
    id: &str,
    from: MeansState,
    to: MeansState,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE means SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4")
            .bind(to)
            .bind(now)
            .bind(id)
            .bind(from)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}

pub async fn count_by_state(conn: &mut Conn, organisation_id: &str, state: MeansState) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM means WHERE organisation_id = $1 AND state = $2")
        .bind(organisation_id)
        .bind(state)
        .fetch_one(conn)
        .await
}

/// People (e-mail addresses) with a live (not cancelled) means in the organisation.
pub async fn count_people(conn: &mut Conn, organisation_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM means WHERE organisation_id = $1 AND state <> 'cancelled'")
        .bind(organisation_id)
        .fetch_one(conn)
        .await
}

/// As [`set_state`], and sets the level too (a finished upgrade).
pub async fn set_level_state(
    conn: &mut Conn,
    id: &str,
    from: MeansState,
    to: MeansState,
    level: AssuranceLevel,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("UPDATE means SET state = $1, level = $2, updated_at = $3 WHERE id = $4 AND state = $5")
            .bind(to)
            .bind(level)
            .bind(now)
            .bind(id)
            .bind(from)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}
