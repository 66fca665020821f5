//! Persons. The e-mail address is stored lower-case and is unique: it is the login name.

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: String,
    pub given_names: String,
    pub prefix: Option<String>,
    pub surname: String,
    pub birth_date: String,
    pub email: String,
    pub mobile_e164: String,
    pub is_backoffice: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl PersonRow {
    pub fn display_name(&self) -> String {
        match self.prefix.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => format!("{} {} {}", self.given_names, p, self.surname),
            None => format!("{} {}", self.given_names, self.surname),
        }
    }
}

const COLUMNS: &str =
    "id, given_names, prefix, surname, birth_date, email, mobile_e164, is_backoffice, created_at, updated_at";

pub async fn insert(conn: &mut Conn, row: &PersonRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO persons ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(&row.id)
    .bind(&row.given_names)
    .bind(&row.prefix)
    .bind(&row.surname)
    .bind(&row.birth_date)
    .bind(&row.email)
    .bind(&row.mobile_e164)
    .bind(row.is_backoffice)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<PersonRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM persons WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn find_by_email(conn: &mut Conn, email: &str) -> Result<Option<PersonRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM persons WHERE email = $1"))
        .bind(email)
        .fetch_optional(conn)
        .await
}

/// The stored password hash, if the person has chosen a password.
pub async fn password_hash(conn: &mut Conn, id: &str) -> Result<Option<String>, sqlx::Error> {
    let h: Option<Option<String>> = sqlx::query_scalar("SELECT password_hash FROM persons WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(h.flatten())
}

pub async fn set_password_hash(conn: &mut Conn, id: &str, hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE persons SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// People with a means (any state but cancelled) in the organisation.
pub async fn count_in_organisation(conn: &mut Conn, organisation_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT person_id) FROM means WHERE organisation_id = $1 AND state <> 'cancelled'",
    )
    .bind(organisation_id)
    .fetch_one(conn)
    .await
}
