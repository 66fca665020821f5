//! CSV batches: staged in chunks, then committed once. A committed batch's file hash is
//! unique per organisation, which makes an upload of the same file idempotent.

use super::Conn;

crate::domain::named_enum! {
    /// Where a batch stands; the `state` column.
    BatchState {
        Staged = "staged", "klaargezet";
        Committed = "committed", "verwerkt";
    }
}

#[derive(Debug, Clone, sqlx::FromRow, PartialEq, Eq)]
pub struct BatchRow {
    pub id: String,
    pub organisation_id: String,
    pub file_sha256: String,
    pub row_count: i64,
    pub state: BatchState,
    pub created_by: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, organisation_id, file_sha256, row_count, state, created_by, created_at";

/// Stages a new batch; its hash is a placeholder until it is committed.
pub async fn stage(
    conn: &mut Conn,
    id: &str,
    organisation_id: &str,
    created_by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "INSERT INTO batches ({COLUMNS}) VALUES ($1, $2, $3, 0, 'staged', $4, $5)"
    ))
    .bind(id)
    .bind(organisation_id)
    .bind(format!("staged:{id}"))
    .bind(created_by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find(conn: &mut Conn, organisation_id: &str, id: &str) -> Result<Option<BatchRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM batches WHERE organisation_id = $1 AND id = $2"
    ))
    .bind(organisation_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn find_committed(
    conn: &mut Conn,
    organisation_id: &str,
    sha256: &str,
) -> Result<Option<BatchRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM batches WHERE organisation_id = $1 AND file_sha256 = $2 AND state = 'committed'"
    ))
    .bind(organisation_id)
    .bind(sha256)
    .fetch_optional(conn)
    .await
}

/// Stores (or replaces) one chunk of a staged batch.
pub async fn put_chunk(conn: &mut Conn, batch_id: &str, idx: i64, data: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM upload_chunks WHERE batch_id = $1 AND idx = $2")
        .bind(batch_id)
        .bind(idx)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO upload_chunks (batch_id, idx, data) VALUES ($1, $2, $3)")
        .bind(batch_id)
        .bind(idx)
        .bind(data)
        .execute(conn)
        .await?;
    Ok(())
}

/// The staged chunks in order, with their indexes.
pub async fn chunks(conn: &mut Conn, batch_id: &str) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT idx, data FROM upload_chunks WHERE batch_id = $1 ORDER BY idx")
        .bind(batch_id)
        .fetch_all(conn)
        .await
}

pub async fn staged_bytes(conn: &mut Conn, batch_id: &str) -> Result<i64, sqlx::Error> {
    let n: Option<i64> =
        sqlx::query_scalar("SELECT CAST(SUM(LENGTH(data)) AS BIGINT) FROM upload_chunks WHERE batch_id = $1")
            .bind(batch_id)
            .fetch_one(conn)
            .await?;
    Ok(n.unwrap_or(0))
}

/// Marks a staged batch committed under its file hash; false when it was not staged.
pub async fn commit(conn: &mut Conn, id: &str, sha256: &str, rows: i64) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM upload_chunks WHERE batch_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query(
        "UPDATE batches SET state = 'committed', file_sha256 = $1, row_count = $2 WHERE id = $3 AND state = 'staged'",
    )
    .bind(sha256)
    .bind(rows)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Drops one staged batch (its chunks go with it).
pub async fn delete_one(conn: &mut Conn, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM upload_chunks WHERE batch_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM batches WHERE id = $1 AND state = 'staged'")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Staged batches older than `before` and their chunks.
pub async fn delete_stale(conn: &mut Conn, before: i64) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM upload_chunks WHERE batch_id IN (SELECT id FROM batches WHERE state = 'staged' AND created_at < $1)")
        .bind(before)
        .execute(&mut *conn)
        .await?;
    Ok(
        sqlx::query("DELETE FROM batches WHERE state = 'staged' AND created_at < $1")
            .bind(before)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}
