//! Checks before `serve` starts: what in the configuration would make a server misbehave is
//! said to the operator at once instead of found out by users.

use super::config::Config;
use super::db::Backend;

/// The shortest `CODE_HMAC_KEY` accepted, in bytes.
pub const MIN_CODE_KEY_BYTES: usize = 32;

/// What stops a server from starting with this SMS-code key, in words for the operator.
///
/// With PostgreSQL the key must come from the configuration. Several instances share one
/// PostgreSQL, and a code sent by one is checked by another. So the key must be the same
/// everywhere, and a random key per process would make each code fail on the other
/// instances. It is deliberately not generated and kept in the database: the key is what
/// makes the stored HMACs of six-digit codes useless without it, and beside them in a copy
/// of the database it would protect nothing. SQLite is one process, and a random key per
/// start is fine there: a restart ends the codes of the last ten minutes.
/// `key` is the configured key (empty: none configured).
pub fn code_key_problem(database_url: &str, key: &[u8]) -> Option<String> {
    let postgres = Backend::of_url(database_url) == Some(Backend::Postgres);
    let key = String::from_utf8_lossy(key);
    match Some(key.trim()).filter(|k| !k.is_empty()) {
        None if postgres => Some(format!(
            "CODE_HMAC_KEY is niet ingesteld. Met PostgreSQL kunnen meerdere instanties dezelfde database \
             gebruiken en moeten zij sms-codes met dezelfde sleutel controleren. Stel CODE_HMAC_KEY op elke \
             instantie in op dezelfde geheime waarde van minstens {MIN_CODE_KEY_BYTES} tekens, bijvoorbeeld \
             de uitvoer van: openssl rand -base64 48"
        )),
        Some(k) if k.len() < MIN_CODE_KEY_BYTES => Some(format!(
            "CODE_HMAC_KEY is te kort ({} tekens); gebruik minstens {MIN_CODE_KEY_BYTES} tekens, bijvoorbeeld \
             de uitvoer van: openssl rand -base64 48",
            k.len()
        )),
        _ => None,
    }
}

/// Whether the configuration lets a server start ([`code_key_problem`]).
pub fn check_for_serving(config: &Config) -> Result<(), String> {
    match code_key_problem(&config.database_url, &config.code_key) {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::code_key_problem;

    #[test]
    fn postgres_needs_a_configured_code_key_of_32_characters() {
        let pg = "postgres://beheer@db/beheer";
        let key = "k".repeat(32);
        assert!(code_key_problem(pg, b"")
            .unwrap()
            .contains("CODE_HMAC_KEY is niet ingesteld"));
        assert!(code_key_problem("postgresql://db/x", b"  ").is_some());
        assert!(code_key_problem(pg, b"kort").unwrap().contains("te kort (4 tekens)"));
        assert!(
            code_key_problem("sqlite://x.db", b"kort").is_some(),
            "a short key is refused everywhere"
        );
        assert_eq!(code_key_problem(pg, key.as_bytes()), None);
        assert_eq!(
            code_key_problem("sqlite://x.db", b""),
            None,
            "one process may draw its own"
        );
    }
}
