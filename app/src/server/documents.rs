//! The document store: uploaded files (ID copies, extracts, registration drafts' files) in
//! the database's `document_files` table, so that every instance on the same database
//! reads them. Each is kept under a random name with no link to the person, readable only
//! through the back office. A file is stored before the row that points at it commits and
//! removed when its document is decided (in the same transaction, see
//! `db::documents::mark_deleted_for_request`); a crash in between leaves at most an
//! unreferenced file, never a row without its file.

use super::clock::SharedClock;
use super::db::Db;

#[derive(Clone)]
pub struct DocumentStore {
    db: Db,
    clock: SharedClock,
}

/// Storage names are ours (UUIDs); anything else is refused so that no caller can make a
/// query look for a name it invented.
fn checked(storage_name: &str) -> Result<&str, sqlx::Error> {
    let ok = !storage_name.is_empty()
        && storage_name.len() <= 64
        && storage_name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(storage_name)
    } else {
        Err(sqlx::Error::Protocol("bad storage name".into()))
    }
}

impl DocumentStore {
    pub fn new(db: Db, clock: SharedClock) -> Self {
        DocumentStore { db, clock }
    }

    /// Stores the bytes under a new random name (committed at once) and returns it.
    pub async fn save(&self, bytes: &[u8]) -> Result<String, sqlx::Error> {
        let name = uuid::Uuid::new_v4().to_string();
        sqlx::query("INSERT INTO document_files (storage_name, bytes, created_at) VALUES ($1, $2, $3)")
            .bind(&name)
            .bind(bytes.to_vec())
            .bind(self.clock.now_ms())
            .execute(&self.db.pool)
            .await?;
        Ok(name)
    }

    /// The bytes, or `RowNotFound` when the file is gone.
    pub async fn read(&self, storage_name: &str) -> Result<Vec<u8>, sqlx::Error> {
        sqlx::query_scalar("SELECT bytes FROM document_files WHERE storage_name = $1")
            .bind(checked(storage_name)?)
            .fetch_one(&self.db.pool)
            .await
    }

    /// Removes a file; one that is already gone is fine.
    pub async fn delete(&self, storage_name: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM document_files WHERE storage_name = $1")
            .bind(checked(storage_name)?)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// Removes files after their rows were marked deleted (or never used); failures are
    /// logged, not fatal: the decision stands and the janitor tries documents' files again.
    pub async fn delete_all(&self, names: &[String]) {
        for n in names {
            if let Err(e) = self.delete(n).await {
                tracing::error!(error = %e, storage_name = %n, "could not delete a decided document");
            }
        }
    }
}
