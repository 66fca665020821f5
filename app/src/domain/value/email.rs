//! [`Email`]: an e-mail address as the login name and the address for activation links.
//!
//! Invariants: trimmed and lowercased ASCII, at most 254 characters, no whitespace,
//! exactly one `@`, a non-empty local part of printable characters without leading,
//! trailing or doubled dots, and a domain of at least two dot-separated labels made of
//! letters, digits and inner hyphens. Lowercasing makes the address usable as a unique key
//! (nobody at a Dutch office relies on case-sensitive local parts).

use super::ValueError;
use serde::{Deserialize, Serialize};

const MAX_LEN: usize = 254;

/// A syntactically valid, normalised e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Trims and lowercases `input`, then checks it is a plausible address.
    pub fn parse(input: &str) -> Result<Email, ValueError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ValueError::EmailEmpty);
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(ValueError::EmailWhitespace);
        }
        if !trimmed.is_ascii() {
            return Err(ValueError::EmailNonAscii);
        }
        if trimmed.len() > MAX_LEN {
            return Err(ValueError::EmailTooLong);
        }
        let lower = trimmed.to_ascii_lowercase();
        let (local, domain) = match lower.split_once('@') {
            None => return Err(ValueError::EmailMissingAt),
            Some((_, d)) if d.contains('@') => return Err(ValueError::EmailMultipleAt),
            Some(parts) => parts,
        };
        if !valid_local(local) {
            return Err(ValueError::EmailLocalPartInvalid);
        }
        if !valid_domain(domain) {
            return Err(ValueError::EmailDomainInvalid);
        }
        Ok(Email(lower))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, d)| d)
    }
}

super::string_value!(Email);

fn valid_local(local: &str) -> bool {
    const FORBIDDEN: &[u8] = b"\"(),:;<>[\\]";
    !local.is_empty()
        && local.len() <= 64
        && local.bytes().all(|b| b.is_ascii_graphic() && !FORBIDDEN.contains(&b))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
}

fn valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_case_and_surrounding_space() {
        let e = Email::parse("  Jan.de.Vries@Bedrijf.NL ").unwrap();
        assert_eq!(e.as_str(), "jan.de.vries@bedrijf.nl");
        assert_eq!(e.domain(), "bedrijf.nl");
    }

    #[test]
    fn accepts_plus_addressing_and_subdomains() {
        assert!(Email::parse("a+test@mail.gemeente.example.nl").is_ok());
    }

    #[test]
    fn each_problem_has_its_own_error() {
        use ValueError::*;
        assert_eq!(Email::parse("   "), Err(EmailEmpty));
        assert_eq!(Email::parse("jan @x.nl"), Err(EmailWhitespace));
        assert_eq!(Email::parse("jós@x.nl"), Err(EmailNonAscii));
        assert_eq!(Email::parse("jan.x.nl"), Err(EmailMissingAt));
        assert_eq!(Email::parse("a@b@x.nl"), Err(EmailMultipleAt));
        assert_eq!(Email::parse("@x.nl"), Err(EmailLocalPartInvalid));
        assert_eq!(Email::parse("jan..piet@x.nl"), Err(EmailLocalPartInvalid));
        assert_eq!(Email::parse("jan@localhost"), Err(EmailDomainInvalid));
        assert_eq!(Email::parse("jan@x..nl"), Err(EmailDomainInvalid));
        assert_eq!(Email::parse("jan@-x.nl"), Err(EmailDomainInvalid));
        let long = format!("{}@x.nl", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailTooLong));
    }

    #[test]
    fn deserialising_validates() {
        let ok: Email = serde_json::from_str("\"A@B.NL\"").unwrap();
        assert_eq!(ok.as_str(), "a@b.nl");
        assert!(serde_json::from_str::<Email>("\"geen-adres\"").is_err());
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"a@b.nl\"");
    }

    proptest! {
        #[test]
        fn garbage_never_panics(s in ".{0,300}") {
            let _ = Email::parse(&s);
        }

        #[test]
        fn generated_addresses_round_trip(
            local in "[a-zA-Z0-9_+-]{1,20}(\\.[a-z0-9]{1,5})?",
            host in "[a-zA-Z0-9]{1,10}(-[a-z0-9]{1,5})?",
            tld in "[a-z]{2,6}",
        ) {
            let e = Email::parse(&format!(" {local}@{host}.{tld} ")).unwrap();
            prop_assert_eq!(Email::parse(&format!("{e}")), Ok(e.clone()));
        }

        #[test]
        fn accepted_values_hold_the_invariant(s in "[ a-zA-Z0-9@.+-]{0,40}") {
            if let Ok(e) = Email::parse(&s) {
                let v = e.as_str();
                prop_assert!(v.len() <= MAX_LEN);
                prop_assert_eq!(v.matches('@').count(), 1);
                prop_assert!(!v.chars().any(|c| c.is_whitespace() || c.is_ascii_uppercase()));
                prop_assert!(e.domain().contains('.'));
            }
        }
    }
}
