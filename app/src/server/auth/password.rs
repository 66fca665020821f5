//! Password hashing with argon2id at the OWASP parameters (19 MiB, 2 iterations, 1 lane).
//! Hashing runs on the blocking pool, at most one per core at a time, so a burst of logins
//! cannot starve the async runtime or exhaust memory.

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("hashing failed")]
    Hash,
    #[error("hashing task failed")]
    Join,
}

/// A password never printed or serialised.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(•••)")
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_sync(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| PasswordError::Hash)
}

fn verify_sync(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, verified against when an account does not exist so that
/// a failed login takes as long either way.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_sync("no-such-account-padding-value").expect("dummy hash"))
}

#[derive(Clone, Debug)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Self {
            permits: Arc::new(Semaphore::new(cores)),
        }
    }
}

impl PasswordHasher {
    pub async fn hash(&self, password: &Secret) -> Result<String, PasswordError> {
        let _permit = self.permits.acquire().await.map_err(|_| PasswordError::Join)?;
        let pw = password.clone();
        tokio::task::spawn_blocking(move || hash_sync(pw.expose()))
            .await
            .map_err(|_| PasswordError::Join)?
    }

    /// Verifies against `hash`, or against a dummy hash when there is no account, so both
    /// cases cost the same.
    pub async fn verify(&self, password: &Secret, hash: Option<&str>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let pw = password.clone();
        let (hash, real) = match hash {
            Some(h) => (h.to_string(), true),
            None => (dummy_hash().to_string(), false),
        };
        let ok = tokio::task::spawn_blocking(move || verify_sync(pw.expose(), &hash))
            .await
            .unwrap_or(false);
        ok && real
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let h = PasswordHasher::default();
        let pw = Secret::new("correct horse battery staple");
        let hash = h.hash(&pw).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(h.verify(&pw, Some(&hash)).await);
        assert!(!h.verify(&Secret::new("wrong password!!"), Some(&hash)).await);
    }

    #[tokio::test]
    async fn missing_account_never_verifies() {
        let h = PasswordHasher::default();
        assert!(!h.verify(&Secret::new("no-such-account-padding-value"), None).await);
    }

    #[test]
    fn secret_debug_is_redacted() {
        assert_eq!(format!("{:?}", Secret::new("hunter2hunter2")), "Secret(•••)");
    }
}
