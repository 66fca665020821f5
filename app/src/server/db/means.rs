//! Means: one person, one organisation, one level, a state (`MeansState` stable names).

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct MeansRow {
    pub id: String,
    pub person_id: String,
    pub organisation_id: String,
    pub level: String,
    pub state: String,
    pub employed: i64,
    pub valid_until: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, person_id, organisation_id, level, state, employed, valid_until, created_at, updated_at";

pub async fn insert(conn: &mut Conn, row: &MeansRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO means ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(&row.id)
    .bind(&row.person_id)
    .bind(&row.organisation_id)
    .bind(&row.level)
    .bind(&row.state)
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

pub async fn of_person(conn: &mut Conn, person_id: &str) -> Result<Vec<MeansRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM means WHERE person_id = $1 ORDER BY created_at"
    ))
    .bind(person_id)
    .fetch_all(conn)
    .await
}

/// Moves a means from one state to another; false when it was no longer in `from`
/// (someone else changed it first).
pub async fn set_state(conn: &mut Conn, id: &str, from: &str, to: &str, now: i64) -> Result<bool, sqlx::Error> {
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

pub async fn count_by_state(conn: &mut Conn, organisation_id: &str, state: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM means WHERE organisation_id = $1 AND state = $2")
        .bind(organisation_id)
        .bind(state)
        .fetch_one(conn)
        .await
}

/// As [`set_state`], and sets the level too (a finished upgrade).
pub async fn set_level_state(
    conn: &mut Conn,
    id: &str,
    from: &str,
    to: &str,
    level: &str,
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
