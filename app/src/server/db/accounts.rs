//! Accounts: a person's own login. The e-mail address (lower-case) is unique and is the
//! login name; the verified mobile is the second factor. An account comes into being only
//! when its holder completes a first activation, and afterwards only the holder changes it:
//! nothing a manager types is ever written here (that lives on the means).

use super::Conn;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct AccountRow {
    pub id: String,
    pub email: String,
    pub verified_mobile_e164: String,
    pub language: String,
    pub is_backoffice: i64,
    /// The name the provider's own staff go by; `None` for every customer's account.
    pub staff_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, email, verified_mobile_e164, language, is_backoffice, staff_name, created_at, updated_at";

/// A new account with its password hash. Fails on the unique e-mail when an account for
/// the address came into being first (see `service::activation`).
pub async fn insert(conn: &mut Conn, row: &AccountRow, password_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO accounts ({COLUMNS}, password_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(&row.id)
    .bind(&row.email)
    .bind(&row.verified_mobile_e164)
    .bind(&row.language)
    .bind(row.is_backoffice)
    .bind(&row.staff_name)
    .bind(row.created_at)
    .bind(row.updated_at)
    .bind(password_hash)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM accounts WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn find_by_email(conn: &mut Conn, email: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM accounts WHERE email = $1"))
        .bind(email)
        .fetch_optional(conn)
        .await
}

pub async fn password_hash(conn: &mut Conn, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn set_password_hash(conn: &mut Conn, id: &str, hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_verified_mobile(conn: &mut Conn, id: &str, mobile_e164: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET verified_mobile_e164 = $1, updated_at = $2 WHERE id = $3")
        .bind(mobile_e164)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
