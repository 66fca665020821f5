//! The document store: uploaded files on disk under `DOCUMENT_DIR`, each under a random
//! name with no link to the person, readable only through the back office. Files are
//! written before the database row commits and removed after the decision commits; a
//! crash in between leaves at most an orphan file, never a row without its file.

use std::io;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct DocumentStore {
    dir: PathBuf,
}

impl DocumentStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DocumentStore { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Storage names are ours (UUIDs); anything else is refused so a row can never point
    /// outside the directory.
    fn path(&self, storage_name: &str) -> io::Result<PathBuf> {
        let ok = !storage_name.is_empty() && storage_name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "bad storage name"));
        }
        Ok(self.dir.join(storage_name))
    }

    /// Writes the bytes under a new random name (owner-only permissions) and returns it.
    pub async fn save(&self, bytes: &[u8]) -> io::Result<String> {
        tokio::fs::create_dir_all(&self.dir).await?;
        let name = uuid::Uuid::new_v4().to_string();
        let path = self.path(&name)?;
        let tmp = self.dir.join(format!(".{name}.part"));
        // Created owner-only: no moment exists in which another user could open it.
        let mut open = tokio::fs::OpenOptions::new();
        open.write(true).create_new(true);
        #[cfg(unix)]
        open.mode(0o600);
        let mut file = open.open(&tmp).await?;
        use tokio::io::AsyncWriteExt;
        file.write_all(bytes).await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&tmp, &path).await?;
        Ok(name)
    }

    pub async fn read(&self, storage_name: &str) -> io::Result<Vec<u8>> {
        tokio::fs::read(self.path(storage_name)?).await
    }

    /// Removes a file; one that is already gone is fine.
    pub async fn delete(&self, storage_name: &str) -> io::Result<()> {
        match tokio::fs::remove_file(self.path(storage_name)?).await {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Removes files after their rows were marked deleted; failures are logged, not fatal
    /// (the decision stands; an orphan file is swept by hand).
    pub async fn delete_all(&self, names: &[String]) {
        for n in names {
            if let Err(e) = self.delete(n).await {
                tracing::error!(error = %e, storage_name = %n, "could not delete a decided document");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn saves_reads_and_deletes() {
        let dir = std::env::temp_dir().join(format!("bm-doc-test-{}", uuid::Uuid::new_v4()));
        let store = DocumentStore::new(&dir);
        let name = store.save(b"%PDF-1.4 test").await.unwrap();
        assert_eq!(store.read(&name).await.unwrap(), b"%PDF-1.4 test");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(&name)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        store.delete(&name).await.unwrap();
        assert!(store.read(&name).await.is_err());
        store.delete(&name).await.unwrap();
        assert!(store.read("../etc/passwd").await.is_err());
        assert!(store.delete("a/b").await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
