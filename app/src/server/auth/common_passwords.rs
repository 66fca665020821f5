//! The shipped list of common passwords (30,000 from zxcvbn 4.4.2, see `app/data/README.md`)
//! behind the `is_common` argument of [`crate::domain::password::check`].
//!
//! The file is embedded at compile time and parsed into a set on first use, so a lookup is
//! one lowercase and one hash. Only the server holds the list; the browser does not
//! download it.

use std::collections::HashSet;
use std::sync::LazyLock;

static LIST: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../../data/common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
});

/// Whether `password`, lowercased, is exactly an entry of the list.
pub fn is_common(password: &str) -> bool {
    LIST.contains(password.to_lowercase().as_str())
}

/// The number of distinct entries in the list.
pub fn list_len() -> usize {
    LIST.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::password::{check, PasswordContext, PasswordError};

    #[test]
    fn the_list_is_long_enough() {
        assert!(list_len() >= 10_000, "{}", list_len());
    }

    #[test]
    fn well_known_passwords_are_common() {
        for pw in [
            "password",
            "123456",
            "qwerty",
            "iloveyou",
            "welkom",
            "welkom01",
            "wachtwoord",
            "voetbal",
        ] {
            assert!(is_common(pw), "{pw}");
        }
    }

    #[test]
    fn lookup_ignores_case_but_is_exact() {
        assert!(is_common("PassWord"));
        assert!(is_common("WACHTWOORD"));
        assert!(!is_common(" password"));
        assert!(!is_common(""));
    }

    #[test]
    fn a_passphrase_is_not_common() {
        assert!(!is_common("paarse giraffe eet 7 stroopwafels op de Dam"));
        assert!(!is_common("kx9!Vr2#pLq8"));
    }

    #[test]
    fn the_policy_refuses_list_entries_with_a_suffix() {
        let ctx = PasswordContext::default();
        assert_eq!(
            check("Wachtwoord2024!", "Wachtwoord2024!", &ctx, is_common),
            Err(PasswordError::Common)
        );
        assert_eq!(
            check("qwertyuiop123", "qwertyuiop123", &ctx, is_common),
            Err(PasswordError::Common)
        );
        assert_eq!(
            check("paarse giraffe op de Dam", "paarse giraffe op de Dam", &ctx, is_common),
            Ok(())
        );
    }
}
