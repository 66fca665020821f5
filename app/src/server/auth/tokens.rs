//! Random secrets: link tokens and session ids (256 bits, URL-safe base64) and their
//! SHA-256, which is all the database ever stores.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A raw token as it goes into a cookie or a link; never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct RawToken(String);

impl RawToken {
    /// 256 bits from the thread's CSPRNG (ChaCha, seeded and reseeded from the OS): as
    /// unpredictable as the OS generator, without a system call per token in large batches.
    pub fn generate() -> RawToken {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        RawToken(URL_SAFE_NO_PAD.encode(bytes))
    }
    pub fn from_client(s: &str) -> RawToken {
        RawToken(s.to_string())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn sha256(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }
}

impl std::fmt::Debug for RawToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawToken(•••)")
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = RawToken::generate();
        let b = RawToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 43); // 256 bits in base64 without padding
        assert_eq!(a.sha256().len(), 64);
        assert_ne!(a.sha256(), a.expose());
        assert_eq!(format!("{a:?}"), "RawToken(•••)");
    }
}
