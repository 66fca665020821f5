//! The value types, terms and dates (see the target's header).

use super::*;

pub(super) fn email(f: &[&str]) {
    let input = at(f, 0);
    let parsed = Email::parse(input);
    conversions_agree!(Email, input, &parsed);
    if let Ok(e) = &parsed {
        let v = e.as_str();
        // Trimmed, lowercased, printable ASCII without spaces, at most 254 characters.
        assert!(
            v.len() <= 254 && v.bytes().all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase()),
            "{v:?}"
        );
        assert_eq!(v, input.trim().to_ascii_lowercase());
        let (local, domain) = v.split_once('@').expect("an @");
        assert!(!domain.contains('@'));
        assert!(!local.is_empty() && !local.starts_with('.') && !local.ends_with('.') && !local.contains(".."));
        let labels: Vec<&str> = domain.split('.').collect();
        assert!(labels.len() >= 2, "{v:?}");
        assert!(labels.iter().all(|l| !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')));
        assert_eq!(e.domain(), domain);
        assert_eq!(Email::parse(v).as_ref(), Ok(e));
        assert_eq!(Email::parse(&input.to_ascii_uppercase()).as_ref(), Ok(e));
    }
    // Two typed addresses: same_address is symmetric, and for two valid ones it compares
    // what the parser made of them.
    if let Some(other) = f.get(1) {
        let same = registration::same_address(input, other);
        assert_eq!(same, registration::same_address(other, input));
        if let (Ok(a), Ok(b)) = (&parsed, Email::parse(other)) {
            assert_eq!(same, *a == b);
        }
        if !input.trim().is_empty() {
            assert!(registration::same_address(input, input));
        }
    }
}

pub(super) fn mobile(f: &[&str]) {
    let input = at(f, 0);
    let parsed = DutchMobile::parse(input);
    conversions_agree!(DutchMobile, input, &parsed);
    if let Ok(m) = &parsed {
        let v = m.as_e164();
        assert_eq!(v.len(), 12, "{v:?}");
        assert!(
            v.starts_with("+316") && v[1..].bytes().all(|b| b.is_ascii_digit()),
            "{v:?}"
        );
        assert_eq!(m.as_str(), v);
        assert_eq!(DutchMobile::parse(v).as_ref(), Ok(m));
        let national = m.national();
        assert_eq!(national, format!("06 {}", &v[4..]));
        assert_eq!(DutchMobile::parse(&national).as_ref(), Ok(m));
        assert!(m.masked().starts_with("+31 6 ") && m.masked().ends_with(&v[10..]));
    }
}

/// KvK and branch numbers: whitespace anywhere is ignored, anything else must be a digit,
/// and the length is exact. That is the whole rule, so check it both ways.
pub(super) fn digits_rule(input: &str, len: usize, parsed: Option<&str>) {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let valid = digits.len() == len && digits.bytes().all(|b| b.is_ascii_digit());
    assert_eq!(parsed, valid.then_some(digits.as_str()), "{input:?}");
}

pub(super) fn kvk(f: &[&str]) {
    let input = at(f, 0);
    let parsed = KvkNumber::parse(input);
    conversions_agree!(KvkNumber, input, &parsed);
    digits_rule(input, 8, parsed.as_ref().ok().map(KvkNumber::as_str));
    if let Ok(k) = &parsed {
        assert_eq!(KvkNumber::parse(k.as_str()).as_ref(), Ok(k));
    }
}

pub(super) fn branch(f: &[&str]) {
    let input = at(f, 0);
    let parsed = BranchNumber::parse(input);
    conversions_agree!(BranchNumber, input, &parsed);
    digits_rule(input, 12, parsed.as_ref().ok().map(BranchNumber::as_str));
    if let Ok(b) = &parsed {
        assert_eq!(BranchNumber::parse(b.as_str()).as_ref(), Ok(b));
    }
}

pub(super) fn service_id(f: &[&str]) {
    let input = at(f, 0);
    let parsed = ServiceId::parse(input);
    conversions_agree!(ServiceId, input, &parsed);
    // Trimmed and lowercased first: the case of ASCII letters never matters.
    assert_eq!(ServiceId::parse(&input.to_ascii_uppercase()), parsed);
    if let Ok(id) = &parsed {
        let v = id.as_str();
        assert!((3..=64).contains(&v.len()), "{v:?}");
        assert!(v.starts_with(|c: char| c.is_ascii_lowercase()), "{v:?}");
        assert!(!v.contains("--") && !v.ends_with('-'), "{v:?}");
        assert!(
            v.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{v:?}"
        );
        assert_eq!(ServiceId::parse(v).as_ref(), Ok(id));
    }
}

pub(super) fn organisation_name(f: &[&str]) {
    let input = at(f, 0);
    let parsed = OrganisationName::parse(input);
    conversions_agree!(OrganisationName, input, &parsed);
    // The whole rule: trimmed, 1..=200 characters, no control characters.
    let t = input.trim();
    let valid = !t.is_empty() && t.chars().count() <= 200 && !t.chars().any(char::is_control);
    assert_eq!(
        parsed.as_ref().ok().map(OrganisationName::as_str),
        valid.then_some(t),
        "{input:?}"
    );
    if let Ok(n) = &parsed {
        assert_eq!(OrganisationName::parse(n.as_str()).as_ref(), Ok(n));
    }
}

pub(super) fn level(f: &[&str]) {
    let input = at(f, 0);
    let parsed = AssuranceLevel::parse(input);
    conversions_agree!(AssuranceLevel, input, &parsed);
    // Case-insensitive; surrounding and inner spaces are ignored.
    let squeezed: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(AssuranceLevel::parse(&squeezed), parsed);
    assert_eq!(AssuranceLevel::parse(&input.to_ascii_lowercase()), parsed);
    if let Ok(l) = parsed {
        assert!(["EH2", "EH2+", "EH3", "EH4"].contains(&l.as_str()));
        assert_eq!(AssuranceLevel::parse(l.as_str()), Ok(l));
        assert_eq!(l.needs_second_factor(), l >= AssuranceLevel::Eh2Plus);
    }
    // Four typed levels (service, authorisation, means, manager; an empty service means
    // a scope without one) through the grant rule: allowed exactly when
    // service <= authorisation <= means and authorisation <= manager.
    if f.len() >= 4 {
        let service = if f[0].trim().is_empty() {
            Some(None)
        } else {
            AssuranceLevel::parse(f[0]).ok().map(Some)
        };
        if let (Some(service), Ok(auth), Ok(means), Ok(manager)) = (
            service,
            AssuranceLevel::parse(f[1]),
            AssuranceLevel::parse(f[2]),
            AssuranceLevel::parse(f[3]),
        ) {
            let holds = service.is_none_or(|s| s <= auth) && auth <= means && auth <= manager;
            assert_eq!(check_grant(service, auth, means, manager).is_ok(), holds);
        }
    }
}

pub(super) fn term(f: &[&str]) {
    let input = at(f, 0);
    let parsed = Term::parse(input);
    assert_eq!(Term::try_from(input), parsed);
    assert_eq!(Term::try_from(input.to_string()), parsed);
    assert_eq!(serde_json::from_str::<Term>(&json(input)).ok(), parsed.clone().ok());
    // Accepts "1", "3" or "5" (surrounding spaces ignored), and nothing else.
    let t = input.trim();
    assert_eq!(parsed.is_ok(), matches!(t, "1" | "3" | "5"), "{input:?}");
    match parsed {
        Ok(term) => {
            assert_eq!(term.as_str(), t);
            assert_eq!(Term::parse(term.as_str()), Ok(term));
            assert_eq!(term.to_string(), String::from(term));
            let from = CivilDate::new(2024, 2, 29).unwrap();
            let until = term.until(from);
            assert_eq!((until.year(), until.month(), until.day()), (2024 + term.years(), 2, 28));
        }
        Err(ValueError::TermTooLong) => assert!(t.parse::<u64>().is_ok_and(|n| n > 5), "{input:?}"),
        Err(e) => assert_eq!(e, ValueError::TermInvalid),
    }
}

const FIELDS: [NameField; 3] = [NameField::GivenNames, NameField::Prefix, NameField::Surname];

/// Whatever `NamePart::parse` accepted for `field`, as the module docs describe it.
pub(super) fn check_name_part(field: NameField, input: &str, n: &NamePart) {
    let v = n.as_str();
    assert!(!v.is_empty() && v.chars().count() <= field.max_len(), "{field:?} {v:?}");
    assert_eq!(v.trim(), v);
    assert!(!v.contains("  "), "{v:?}");
    // Runs of white space became one space: no other white space, no control character.
    assert!(
        !v.chars().any(|c| (c.is_whitespace() && c != ' ') || c.is_control()),
        "{v:?}"
    );
    assert!(v.chars().any(char::is_alphabetic), "{v:?}");
    match field {
        NameField::Prefix => {
            assert!(!v.chars().any(char::is_uppercase), "{v:?}");
            assert!(
                v.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '’')),
                "{v:?}"
            );
        }
        _ => {
            assert!(
                v.chars().all(|c| c.is_alphabetic()
                    || ('\u{0300}'..='\u{036F}').contains(&c)
                    || matches!(c, ' ' | '-' | '\'' | '’' | '.')),
                "{v:?}"
            );
            let squeezed = input.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(v, squeezed, "only white space is normalised outside the prefix");
        }
    }
    // The normalised form is a fixed point, and (the docs: "every valid prefix also passes
    // them") passes the general rules that deserialising a bare NamePart applies.
    assert_eq!(NamePart::parse(field, v).as_ref(), Ok(n));
    assert_eq!(NamePart::try_from(v).as_ref(), Ok(n));
    assert_eq!(serde_json::from_str::<NamePart>(&json(v)).as_ref().ok(), Some(n));
}

pub(super) fn name_part(f: &[&str]) {
    let input = at(f, 0);
    for field in FIELDS {
        let parsed = NamePart::parse(field, input);
        match &parsed {
            Ok(n) => check_name_part(field, input, n),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
    let general = NamePart::parse(NameField::Surname, input);
    assert_eq!(NamePart::try_from(input), general);
    assert_eq!(serde_json::from_str::<NamePart>(&json(input)).ok(), general.ok());
}

/// `PersonName::new` by its parts: the first invalid part (in reading order) decides the
/// error, an empty prefix means none.
pub(super) fn expected_person_name(given: &str, prefix: &str, surname: &str) -> Result<(), ValueError> {
    NamePart::parse(NameField::GivenNames, given)?;
    if !prefix.trim().is_empty() {
        NamePart::parse(NameField::Prefix, prefix)?;
    }
    NamePart::parse(NameField::Surname, surname)?;
    Ok(())
}

pub(super) fn person_name(f: &[&str]) {
    let (given, prefix, surname) = (at(f, 0), at(f, 1), at(f, 2));
    let parsed = PersonName::new(given, prefix, surname);
    assert_eq!(
        parsed.as_ref().map(|_| ()).map_err(Clone::clone),
        expected_person_name(given, prefix, surname)
    );
    if let Ok(n) = &parsed {
        check_name_part(NameField::GivenNames, given, n.given_names());
        check_name_part(NameField::Surname, surname, n.surname());
        assert_eq!(n.prefix().is_none(), prefix.trim().is_empty());
        if let Some(p) = n.prefix() {
            check_name_part(NameField::Prefix, prefix, p);
        }
        let p = n.prefix().map(NamePart::as_str).unwrap_or("");
        assert_eq!(
            PersonName::new(n.given_names().as_str(), p, n.surname().as_str()).as_ref(),
            Ok(n)
        );
        let wire = serde_json::to_string(n).unwrap();
        assert_eq!(serde_json::from_str::<PersonName>(&wire).as_ref().ok(), Some(n));
        let shown = n.display_name();
        assert!(shown.starts_with(n.given_names().as_str()) && shown.ends_with(n.surname().as_str()));
        assert!(!shown.contains("  "));
        assert_eq!(shown, n.to_string());
        assert!(n.sort_name().starts_with(&format!("{}, ", n.surname())));
    }
}

pub(super) fn dates(f: &[&str]) {
    let input = at(f, 0);
    let nl = parse_date_nl(input);
    if let Some(d) = nl {
        assert_eq!(CivilDate::new(d.year(), d.month(), d.day()), Some(d));
        assert_eq!(parse_date_nl(&d.dutch()), Some(d));
    }
    for today in todays() {
        // BirthDate::parse reads the same dd-mm-jjjj / d-m-jjjj notation as the wizard's
        // parse_date_nl, then applies the age rule.
        match BirthDate::parse(input, today) {
            Ok(b) => {
                assert_eq!(nl, Some(b.date()));
                assert!(b.date() <= today && b.date() >= today.add_years(-130), "{input:?}");
                assert!((0..=130).contains(&b.age_on(today)));
                assert_eq!(BirthDate::parse(&b.to_string(), today), Ok(b));
                assert_eq!(BirthDate::parse(&b.dutch(), today), Ok(b));
                assert_eq!(BirthDate::from_iso(&b.iso()), Ok(b));
                assert_eq!(String::from(b), b.iso());
                let wire = serde_json::to_string(&b).unwrap();
                assert_eq!(serde_json::from_str::<BirthDate>(&wire).ok(), Some(b));
            }
            Err(ValueError::BirthDateInFuture) => assert!(nl.is_some_and(|d| d > today), "{input:?}"),
            Err(ValueError::BirthDateTooLongAgo) => {
                assert!(nl.is_some_and(|d| d < today.add_years(-130)), "{input:?}")
            }
            Err(e) => {
                assert_eq!(nl, None, "{input:?}: {e:?}");
                assert!(matches!(
                    e,
                    ValueError::BirthDateEmpty | ValueError::BirthDateFormat | ValueError::BirthDateNonexistent
                ));
            }
        }
        // The KvK extract: the same notation, at most 14 days old and not in the future.
        match check_extract_date(input, today) {
            Ok(d) => {
                assert_eq!(nl, Some(d));
                assert!(d <= today && today.to_days() - d.to_days() <= registration::EXTRACT_MAX_AGE_DAYS);
            }
            Err(m) => {
                assert!(!m.is_empty());
                assert!(
                    nl.is_none_or(|d| d > today || today.to_days() - d.to_days() > 14),
                    "{input:?}"
                );
            }
        }
    }
    // ISO dates (stored values, query parameters, the grant form's start date).
    let iso = CivilDate::parse_iso(input);
    assert_eq!(BirthDate::from_iso(input).map(BirthDate::date), iso);
    assert_eq!(BirthDate::try_from(input).map(BirthDate::date), iso);
    assert_eq!(CivilDate::try_from(input.to_string()), iso);
    assert_eq!(serde_json::from_str::<CivilDate>(&json(input)).ok(), iso.clone().ok());
    if let Ok(d) = iso {
        assert_eq!(CivilDate::new(d.year(), d.month(), d.day()), Some(d));
        assert_eq!(CivilDate::parse_iso(&d.iso()), Ok(d), "reads what iso() writes");
        assert_eq!(d.to_string(), d.iso());
        assert_eq!(serde_json::to_string(&d).unwrap(), json(&d.iso()));
        assert!(d.weekday() < 7);
        // Day arithmetic is exact inside the documented range of i64 unix milliseconds.
        let max_days = i64::MAX / 86_400_000;
        let days = d.to_days();
        if (-max_days..max_days - 7).contains(&days) {
            assert_eq!(CivilDate::from_days(days), d);
            assert_eq!(d.add_days(1).add_days(-1), d);
            assert_eq!(d.add_days(1).to_days(), days + 1);
            assert_eq!(d.add_days(7).weekday(), d.weekday());
        }
        for t in Term::ALL {
            let _ = t.until(d);
        }
    }
}
