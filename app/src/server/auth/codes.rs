//! SMS codes: six random digits, stored only as an HMAC bound to their owner (a login
//! session or a request), valid for ten minutes and five tries.

use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

pub const CODE_TTL_MS: i64 = 10 * 60_000;
pub const CODE_TRIES: i64 = 5;
/// How many codes one login attempt may ask for.
pub const CODES_PER_LOGIN: i64 = 5;

/// A code as it goes into the SMS; never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsCode(String);

impl SmsCode {
    pub fn generate() -> SmsCode {
        SmsCode(format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32)))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SmsCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmsCode(•••)")
    }
}

fn mac(key: &[u8], owner: &str, code: &str) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(owner.as_bytes());
    m.update(b":");
    m.update(code.as_bytes());
    m
}

pub fn code_hash(key: &[u8], owner: &str, code: &SmsCode) -> String {
    hex::encode(mac(key, owner, code.expose()).finalize().into_bytes())
}

/// Constant-time comparison of what was typed with the stored hash.
pub fn code_matches(key: &[u8], owner: &str, typed: &str, stored_hex: &str) -> bool {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != 6 || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(stored) = hex::decode(stored_hex) else {
        return false;
    };
    mac(key, owner, &typed).verify_slice(&stored).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..200 {
            let c = SmsCode::generate();
            assert_eq!(c.expose().len(), 6);
            assert!(c.expose().bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn hash_binds_code_to_owner_and_key() {
        let c = SmsCode::generate();
        let h = code_hash(b"k1", "owner-a", &c);
        assert!(code_matches(b"k1", "owner-a", c.expose(), &h));
        assert!(code_matches(b"k1", "owner-a", &format!(" {} ", c.expose()), &h));
        assert!(!code_matches(b"k1", "owner-b", c.expose(), &h));
        assert!(!code_matches(b"k2", "owner-a", c.expose(), &h));
        assert!(!code_matches(b"k1", "owner-a", "12345", &h));
        assert!(!code_matches(b"k1", "owner-a", "abcdef", &h));
        assert!(!h.contains(c.expose()) || h.len() == 64);
    }
}
