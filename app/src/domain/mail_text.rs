//! Text that strangers typed, made safe to put in an e-mail we send.
//!
//! The public wizard lets anyone type an organisation name, people's names and a reason,
//! and our e-mails carry them to other people's inboxes. Mail programs turn anything that
//! looks like an address into a link, so an "organisation" called
//! `Belastingdienst http://phish.example/login` would hand the attacker a clickable link in
//! a message from us. [`plain`] makes such text inert and keeps it readable:
//!
//! - control characters and line breaks become spaces (no forged lines or headers), and
//!   invisible format characters (bidi overrides, zero-width joiners) are dropped;
//! - runs of white space become one space; the text is capped at a number of characters;
//! - `://` becomes `[:]//`, and a dot inside a domain-like word becomes `[.]`
//!   (`phish.example` → `phish[.]example`), the way security mailing lists defang
//!   addresses. A dot followed by a single letter or digit stays, so `B.V.`, `N.V.` and
//!   `v.o.f.` read as always; no top-level domain has one character.
//!
//! Invariants (property-tested): the result has no control characters, no `://`, no dot
//! between a letter or digit and two more letters or digits, and at most
//! `3 × max_chars + 1` characters.

/// Full stops that IDNA treats as a dot in a domain name.
const DOTS: [char; 4] = ['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'];

fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

/// `input` as inert plain text of at most `max_chars` characters of the original (plus the
/// defanging brackets and an ellipsis when cut).
pub fn plain(input: &str, max_chars: usize) -> String {
    let mut flat = String::with_capacity(input.len());
    for c in input.chars().filter(|c| !invisible(*c)) {
        let c = if c.is_control() || c.is_whitespace() { ' ' } else { c };
        if !(c == ' ' && (flat.is_empty() || flat.ends_with(' '))) {
            flat.push(c);
        }
    }
    let flat = flat.trim_end();
    let mut chars: Vec<char> = flat.chars().collect();
    let cut = chars.len() > max_chars;
    chars.truncate(max_chars);
    while chars.last() == Some(&' ') {
        chars.pop();
    }
    let mut out = String::with_capacity(chars.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1..).unwrap_or(&[]);
        if c == ':' && next.starts_with(&['/', '/']) {
            out.push_str("[:]");
        } else if DOTS.contains(&c) && i > 0 && chars[i - 1].is_alphanumeric() && domain_like(next) {
            out.push_str("[.]");
        } else {
            out.push(c);
        }
    }
    if cut {
        out.push('…');
    }
    out
}

/// Whether what follows a dot could be (the start of) a domain label a mail program links.
fn domain_like(rest: &[char]) -> bool {
    rest.iter().take_while(|c| c.is_alphanumeric()).count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn links_in_names_are_defanged() {
        assert_eq!(
            plain("Evil http://phish.example/x", 200),
            "Evil http[:]//phish[.]example/x"
        );
        assert_eq!(plain("www.bank-login.nl", 200), "www[.]bank-login[.]nl");
        assert_eq!(plain("mail jan@phish.example", 200), "mail jan@phish[.]example");
        assert_eq!(plain("phish\u{3002}example", 200), "phish[.]example");
        assert_eq!(plain("hxxps://x", 200), "hxxps[:]//x");
    }

    #[test]
    fn ordinary_names_read_as_typed() {
        for name in [
            "Fietsenmakerij De Ketting B.V.",
            "Bakkerij 't Hoekje v.o.f.",
            "St. Jansschool",
            "Van der Berg & Zn. N.V.",
            "Café 1.5",
        ] {
            assert_eq!(plain(name, 200), name);
        }
    }

    #[test]
    fn lines_controls_and_invisible_characters_go() {
        assert_eq!(plain("Ketting\r\nBcc: x\tB.V.", 200), "Ketting Bcc: x B.V.");
        assert_eq!(plain("  a \u{202E}b\u{200B}c  ", 200), "a bc");
        assert_eq!(plain("\u{0007}\u{0085}", 200), "");
    }

    #[test]
    fn long_text_is_cut() {
        assert_eq!(plain("abcdefgh", 5), "abcde…");
        assert_eq!(plain("abcd efgh", 5), "abcd…");
        assert_eq!(plain("abc", 3), "abc");
    }

    fn linkable_dot(s: &str) -> bool {
        let c: Vec<char> = s.chars().collect();
        (1..c.len())
            .any(|i| DOTS.contains(&c[i]) && c[i - 1].is_alphanumeric() && c.get(i + 1..).is_some_and(domain_like))
    }

    proptest! {
        #[test]
        fn never_a_link_never_a_control(s in any::<String>(), max in 0usize..300) {
            let p = plain(&s, max);
            prop_assert!(!p.contains("://"), "{p:?}");
            prop_assert!(!p.chars().any(|c| c.is_control()), "{p:?}");
            prop_assert!(!p.chars().any(invisible), "{p:?}");
            prop_assert!(!linkable_dot(&p), "{p:?}");
            prop_assert!(p.chars().count() <= 3 * max + 1);
        }

        #[test]
        fn urls_lose_their_scheme_and_dots(
            host in "[a-z]{2,10}", tld in "[a-z]{2,6}", path in "[a-z0-9/]{0,10}", scheme in "(http|https|ftp)",
        ) {
            let p = plain(&format!("Org {scheme}://{host}.{tld}/{path}"), 200);
            let tail = format!("{host}.{tld}");
            prop_assert!(!p.contains(&tail), "{p:?}");
            prop_assert!(!p.contains("://"), "{p:?}");
        }

        #[test]
        fn plain_is_stable(s in "[ -~]{0,80}") {
            // Defanged text stays as it is when defanged again (safe to apply twice).
            let once = plain(&s, 200);
            prop_assert_eq!(plain(&once, 400), once);
        }
    }
}
