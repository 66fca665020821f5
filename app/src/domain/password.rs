//! The password policy for account activation, after NIST SP 800-63B §5.1.1.2.
//!
//! A password is accepted when it is not only whitespace, has 12 to 128 characters
//! (Unicode scalar values, so "é" or "🦀" counts as one), equals its repetition, is not a
//! common password or a word of this service, and contains neither the person's e-mail
//! address nor a part of their name. There are no composition rules: spaces are welcome,
//! so a sentence of a few words is the advice we give.
//!
//! The common-password list is not in here (the browser should not download it): callers
//! pass `is_common`, which the server backs with the shipped list and the browser may
//! leave as `|_| false`. Error messages are Dutch, for a person on a phone, and never
//! contain the password.

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// Words of this service that make a guessable password on their own.
const CONTEXT_WORDS: [&str; 2] = ["beheermodule", "eherkenning"];

/// Name parts shorter than this are too likely to occur by chance to refuse them.
const MIN_PART_CHARS: usize = 3;

/// Dutch surname prefixes (tussenvoegsels): refusing every password that contains "van" or
/// "der" would refuse ordinary words ("vanavond", "onder") without protecting anyone.
const NAME_PARTICLES: [&str; 11] = [
    "van", "der", "den", "des", "het", "ter", "ten", "von", "aan", "bij", "uit",
];

/// What we know about the person whose password this is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordContext<'a> {
    /// The login address; its local part (before the `@`) is refused too.
    pub email: &'a str,
    /// Given names and surname, in any grouping: each is split into parts at anything that
    /// is not a letter ("Jan-Willem", "van der Berg").
    pub names: Vec<&'a str>,
}

/// Why a password is refused. The fields are counts, never the password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Uw wachtwoord is te kort: gebruik minstens {min} tekens (nu {actual}).")]
    TooShort { min: usize, actual: usize },
    #[error("Uw wachtwoord is te lang: gebruik hoogstens {max} tekens (nu {actual}).")]
    TooLong { max: usize, actual: usize },
    #[error(
        "Dit wachtwoord komt voor op een lijst van veelgebruikte wachtwoorden. Kies een ander, bijvoorbeeld een zin \
         van een paar woorden."
    )]
    Common,
    #[error("Uw wachtwoord mag uw e-mailadres niet bevatten.")]
    ContainsEmail,
    #[error("Uw wachtwoord mag uw naam niet bevatten.")]
    ContainsName,
    #[error("De twee wachtwoorden zijn niet gelijk.")]
    Mismatch,
    #[error("Vul een wachtwoord in. Alleen spaties is niet genoeg.")]
    Blank,
}

/// Checks `password` (typed twice: `repeat`) against the policy, in this order: blank,
/// too short, too long, mismatch, common, e-mail, name.
///
/// `is_common` receives the lowercased password, and also the lowercased password without
/// trailing digits, punctuation and spaces ("Football2024!" is as weak as "football").
pub fn check(
    password: &str,
    repeat: &str,
    ctx: &PasswordContext<'_>,
    is_common: impl Fn(&str) -> bool,
) -> Result<(), PasswordError> {
    if password.chars().all(char::is_whitespace) {
        return Err(PasswordError::Blank);
    }
    let actual = password.chars().count();
    if actual < MIN_CHARS {
        return Err(PasswordError::TooShort { min: MIN_CHARS, actual });
    }
    if actual > MAX_CHARS {
        return Err(PasswordError::TooLong { max: MAX_CHARS, actual });
    }
    if password != repeat {
        return Err(PasswordError::Mismatch);
    }
    let lower = password.to_lowercase();
    if is_common_or_context_word(&lower, is_common) {
        return Err(PasswordError::Common);
    }
    if contains_email(&lower, ctx.email) {
        return Err(PasswordError::ContainsEmail);
    }
    if contains_name(&lower, &ctx.names) {
        return Err(PasswordError::ContainsName);
    }
    Ok(())
}

fn is_common_or_context_word(lower: &str, is_common: impl Fn(&str) -> bool) -> bool {
    let core = lower
        .trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace())
        .trim_start();
    is_common(lower) || (!core.is_empty() && core != lower && is_common(core)) || CONTEXT_WORDS.contains(&core)
}

fn contains_email(lower: &str, email: &str) -> bool {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return false;
    }
    let local = email.split('@').next().unwrap_or_default();
    lower.contains(&email) || (local.chars().count() >= MIN_PART_CHARS && lower.contains(local))
}

fn contains_name(lower: &str, names: &[&str]) -> bool {
    names
        .iter()
        .flat_map(|name| name.split(|c: char| !c.is_alphabetic()))
        .filter(|part| part.chars().count() >= MIN_PART_CHARS)
        .map(str::to_lowercase)
        .filter(|part| !NAME_PARTICLES.contains(&part.as_str()))
        .any(|part| lower.contains(&part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ctx() -> PasswordContext<'static> {
        PasswordContext {
            email: "Jan.deVries@Example.nl",
            names: vec!["Jan-Willem Zoë", "van der Berg"],
        }
    }

    fn never(_: &str) -> bool {
        false
    }

    fn ok(pw: &str) -> Result<(), PasswordError> {
        check(pw, pw, &ctx(), never)
    }

    #[test]
    fn blank_is_refused_first() {
        for pw in ["", " ", "            ", "\t \n \u{a0}           "] {
            assert_eq!(check(pw, "something else", &ctx(), |_| true), Err(PasswordError::Blank));
        }
    }

    #[test]
    fn length_boundaries_count_chars() {
        assert_eq!(
            ok("a".repeat(11).as_str()),
            Err(PasswordError::TooShort { min: 12, actual: 11 })
        );
        assert_eq!(ok("a".repeat(12).as_str()), Ok(()));
        assert_eq!(ok("a".repeat(128).as_str()), Ok(()));
        assert_eq!(
            ok("a".repeat(129).as_str()),
            Err(PasswordError::TooLong { max: 128, actual: 129 })
        );
        // 11 × "é" is 22 bytes but 11 characters; 128 × "€" is 384 bytes but allowed.
        assert_eq!(
            ok("é".repeat(11).as_str()),
            Err(PasswordError::TooShort { min: 12, actual: 11 })
        );
        assert_eq!(ok("é".repeat(12).as_str()), Ok(()));
        assert_eq!(ok("🦀".repeat(12).as_str()), Ok(()));
        assert_eq!(ok("€".repeat(128).as_str()), Ok(()));
        assert_eq!(
            ok("€".repeat(129).as_str()),
            Err(PasswordError::TooLong { max: 128, actual: 129 })
        );
    }

    #[test]
    fn passphrases_with_spaces_are_fine() {
        assert_eq!(ok("paard batterij nietje correct"), Ok(()));
        assert_eq!(ok("  spaties mogen ook  "), Ok(()));
    }

    #[test]
    fn repeat_must_be_identical() {
        let pw = "paard batterij nietje";
        assert_eq!(
            check(pw, "paard batterij nietjE", &ctx(), never),
            Err(PasswordError::Mismatch)
        );
        assert_eq!(check(pw, "", &ctx(), never), Err(PasswordError::Mismatch));
        // Length comes before the mismatch, the mismatch before the list.
        assert_eq!(
            check("kort", "anders", &ctx(), never),
            Err(PasswordError::TooShort { min: 12, actual: 4 })
        );
        assert_eq!(check(pw, "anders", &ctx(), |_| true), Err(PasswordError::Mismatch));
    }

    #[test]
    fn common_passwords_are_refused_case_insensitively() {
        let list = |s: &str| ["football", "qwertyuiopasdf"].contains(&s);
        assert_eq!(
            check("QwertyUIOPasdf", "QwertyUIOPasdf", &ctx(), list),
            Err(PasswordError::Common)
        );
        assert_eq!(
            check("Football2024!", "Football2024!", &ctx(), list),
            Err(PasswordError::Common)
        );
        assert_eq!(
            check("football 12345", "football 12345", &ctx(), list),
            Err(PasswordError::Common)
        );
        assert_eq!(check("mijn football club", "mijn football club", &ctx(), list), Ok(()));
    }

    #[test]
    fn context_words_are_refused_alone_or_with_trailing_digits() {
        for pw in [
            "Beheermodule",
            "BEHEERMODULE2024!",
            " beheermodule ",
            "eHerkenning123",
            "eherkenning...",
        ] {
            assert_eq!(ok(pw), Err(PasswordError::Common), "{pw}");
        }
        assert_eq!(ok("mijn beheermodule sleutel"), Ok(()));
        assert_eq!(ok("2024eherkenning"), Ok(()));
    }

    #[test]
    fn email_or_its_local_part_is_refused() {
        assert_eq!(ok("jan.devries@example.nl!"), Err(PasswordError::ContainsEmail));
        assert_eq!(ok("mijn JAN.DEVRIES wachtzin"), Err(PasswordError::ContainsEmail));
        // A local part this short would refuse half the dictionary.
        let short = PasswordContext {
            email: "jo@example.nl",
            names: vec![],
        };
        assert_eq!(
            check("jongleren op zolder", "jongleren op zolder", &short, never),
            Ok(())
        );
        assert_eq!(
            check("xjo@example.nlx", "xjo@example.nlx", &short, never),
            Err(PasswordError::ContainsEmail)
        );
    }

    #[test]
    fn name_parts_of_three_letters_or_more_are_refused() {
        for pw in [
            "ik ben JANWILLEM echt",
            "willempie1234",
            "bergwandeling op zondag",
            "zoë is mijn hond",
        ] {
            assert_eq!(ok(pw), Err(PasswordError::ContainsName), "{pw}");
        }
        // Particles and short parts are not refused.
        assert_eq!(ok("onder de vanille boom"), Ok(()));
        let bo = PasswordContext {
            email: "",
            names: vec!["Bo", "Ek"],
        };
        assert_eq!(check("boterham met kaas", "boterham met kaas", &bo, never), Ok(()));
    }

    #[test]
    fn common_comes_before_email_before_name() {
        assert_eq!(
            check("jan.devries1", "jan.devries1", &ctx(), |_| true),
            Err(PasswordError::Common)
        );
        assert_eq!(ok("jan.devries berg"), Err(PasswordError::ContainsEmail));
    }

    #[test]
    fn messages_read_as_dutch() {
        let short = PasswordError::TooShort { min: 12, actual: 9 };
        assert_eq!(
            short.to_string(),
            "Uw wachtwoord is te kort: gebruik minstens 12 tekens (nu 9)."
        );
        assert_eq!(
            PasswordError::Common.to_string(),
            "Dit wachtwoord komt voor op een lijst van veelgebruikte wachtwoorden. Kies een ander, bijvoorbeeld een \
             zin van een paar woorden."
        );
        assert_eq!(
            PasswordError::ContainsEmail.to_string(),
            "Uw wachtwoord mag uw e-mailadres niet bevatten."
        );
        assert_eq!(
            PasswordError::ContainsName.to_string(),
            "Uw wachtwoord mag uw naam niet bevatten."
        );
        assert_eq!(
            PasswordError::Mismatch.to_string(),
            "De twee wachtwoorden zijn niet gelijk."
        );
    }

    /// Every message with its numbers taken out: the text depends on nothing else.
    fn is_template(message: &str) -> bool {
        let digitless: String = message.chars().filter(|c| !c.is_ascii_digit()).collect();
        let templates = [
            PasswordError::TooShort { min: 0, actual: 0 },
            PasswordError::TooLong { max: 0, actual: 0 },
            PasswordError::Common,
            PasswordError::ContainsEmail,
            PasswordError::ContainsName,
            PasswordError::Mismatch,
            PasswordError::Blank,
        ];
        templates.iter().any(|t| t.to_string().replace('0', "") == digitless)
    }

    proptest! {
        // Letters a–m (and other scripts) in passwords, n–z in the context, so a generated
        // password can contain neither the context nor a context word.
        #[test]
        fn acceptable_passwords_are_accepted(
            pw in "[a-mA-M0-9 ,.!?äéßøЖ€🦀-]{12,128}",
            name in "[n-z]{3,12}",
            email in "[n-z]{3,10}@[n-z]{3,8}\\.nl",
        ) {
            prop_assume!(!pw.trim().is_empty());
            let ctx = PasswordContext { email: &email, names: vec![&name] };
            prop_assert_eq!(check(&pw, &pw, &ctx, never), Ok(()));
        }

        #[test]
        fn shorter_passwords_are_too_short(pw in "\\PC{0,11}", repeat in "\\PC{0,20}") {
            let expected = if pw.chars().all(char::is_whitespace) {
                PasswordError::Blank
            } else {
                PasswordError::TooShort { min: MIN_CHARS, actual: pw.chars().count() }
            };
            prop_assert_eq!(check(&pw, &repeat, &ctx(), |_| true), Err(expected));
        }

        #[test]
        fn longer_passwords_are_too_long(pw in "[a-z ]{129,300}") {
            prop_assume!(!pw.trim().is_empty());
            let actual = pw.chars().count();
            prop_assert_eq!(check(&pw, &pw, &ctx(), never), Err(PasswordError::TooLong { max: MAX_CHARS, actual }));
        }

        #[test]
        fn messages_never_contain_the_password(pw in "\\PC{0,140}", common: bool) {
            if let Err(e) = check(&pw, &pw, &ctx(), |_| common) {
                let message = e.to_string();
                prop_assert!(is_template(&message), "{}", message);
                if pw.chars().count() >= 4 {
                    prop_assert!(!message.contains(&pw));
                }
            }
        }
    }
}
