//! The service catalogue.

use super::Conn;
use crate::domain::value::AssuranceLevel;

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct ServiceRow {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub required_level: AssuranceLevel,
}

/// Inserts or updates a catalogue entry by its stable id.
pub async fn upsert(conn: &mut Conn, row: &ServiceRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO services (id, name, provider, required_level) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, provider = excluded.provider,
         required_level = excluded.required_level",
    )
    .bind(&row.id)
    .bind(&row.name)
    .bind(&row.provider)
    .bind(row.required_level)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn all(conn: &mut Conn) -> Result<Vec<ServiceRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, provider, required_level FROM services ORDER BY provider, name")
        .fetch_all(conn)
        .await
}

pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<ServiceRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, provider, required_level FROM services WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Catalogue entries whose name, provider or id contains `query` (case-insensitive).
pub async fn search(conn: &mut Conn, query: &str) -> Result<Vec<ServiceRow>, sqlx::Error> {
    if query.trim().is_empty() {
        return all(conn).await;
    }
    let pattern = super::authorisation_list::like_pattern(&query.chars().take(100).collect::<String>());
    sqlx::query_as(
        "SELECT id, name, provider, required_level FROM services
         WHERE LOWER(name) LIKE $1 ESCAPE '\\' OR LOWER(provider) LIKE $1 ESCAPE '\\' OR id LIKE $1 ESCAPE '\\'
         ORDER BY provider, name",
    )
    .bind(pattern)
    .fetch_all(conn)
    .await
}
