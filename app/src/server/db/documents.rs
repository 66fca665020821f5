//! Uploaded documents: metadata here, bytes in `document_files` (see `server::documents`).
//! A row stays after its file is deleted (`deleted_at`), so the trail shows that a
//! document existed.

use super::Conn;

crate::domain::named_enum! {
    /// What a document is; the `kind` column.
    DocumentKind {
        IdCopy = "id_copy", "kopie identiteitsbewijs";
        KvkExtract = "kvk_extract", "uittreksel Handelsregister";
    }
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: String,
    pub request_id: String,
    pub kind: DocumentKind,
    pub storage_name: String,
    pub mime: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

const COLUMNS: &str = "id, request_id, kind, storage_name, mime, size_bytes, sha256, created_at, deleted_at";

pub async fn insert(conn: &mut Conn, row: &DocumentRow) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO documents ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(&row.id)
    .bind(&row.request_id)
    .bind(row.kind)
    .bind(&row.storage_name)
    .bind(&row.mime)
    .bind(row.size_bytes)
    .bind(&row.sha256)
    .bind(row.created_at)
    .bind(row.deleted_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, id: &str) -> Result<Option<DocumentRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM documents WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The documents of a request whose files still exist, newest first.
pub async fn live_for_request(conn: &mut Conn, request_id: &str) -> Result<Vec<DocumentRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM documents WHERE request_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id DESC"
    ))
    .bind(request_id)
    .fetch_all(conn)
    .await
}

/// Marks every live document of a request deleted and removes their files in the same
/// transaction: the decision and the purge commit together, on whichever instance.
/// Returns their storage names (already removed; `delete_all` on them is harmless).
pub async fn mark_deleted_for_request(conn: &mut Conn, request_id: &str, now: i64) -> Result<Vec<String>, sqlx::Error> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT storage_name FROM documents WHERE request_id = $1 AND deleted_at IS NULL")
            .bind(request_id)
            .fetch_all(&mut *conn)
            .await?;
    sqlx::query(
        "DELETE FROM document_files WHERE storage_name IN \
         (SELECT storage_name FROM documents WHERE request_id = $1 AND deleted_at IS NULL)",
    )
    .bind(request_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE documents SET deleted_at = $1, file_removed_at = $1 WHERE request_id = $2 AND deleted_at IS NULL",
    )
    .bind(now)
    .bind(request_id)
    .execute(conn)
    .await?;
    Ok(names)
}

/// Files of documents marked deleted whose file is not yet known to be gone (oldest
/// first): what the janitor removes.
pub async fn files_to_remove(conn: &mut Conn, limit: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, storage_name FROM documents WHERE deleted_at IS NOT NULL AND file_removed_at IS NULL \
         ORDER BY deleted_at, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn mark_file_removed(conn: &mut Conn, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE documents SET file_removed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
