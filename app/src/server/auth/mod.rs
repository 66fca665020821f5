//! Authentication: passwords (argon2id), SMS codes (HMAC, tries, expiry), random link tokens,
//! server-side sessions with their cookie, and the Origin check for mutating requests.

pub mod codes;
pub mod common_passwords;
pub mod guard;
pub mod password;
pub mod session;
pub mod throttle;
pub mod tokens;
