//! Arbitrary bytes into every parser of a typed value that user input reaches: the value
//! types (`app::domain::value`), terms and dates, the yes/no, password and registration
//! rules, a means-request row, the query-string codes of `app::contract`, and the text
//! sanitisers for e-mail and CSV export.
//!
//! Input layout: the first byte picks the parser (the letters below; any other byte picks
//! one by its value), the rest is read as UTF-8 (invalid bytes become U+FFFD) and split at
//! U+001F (the ASCII unit separator) into the fields of parsers that take several strings.
//! The registration, means request and sanitisers take one more byte of flags first.
//!
//! Besides "never panics" every arm checks what the parser's documentation promises:
//! accepted values hold the type's invariant, re-parse to themselves from their canonical
//! form, `FromStr`/`TryFrom`/serde agree with `parse`, and composite parsers (a person
//! name, a request row, a whole registration) agree with the parsers of their parts.
#![no_main]

use app::contract;
use app::domain::authorisation::{check_grant, AuthorisationState, ScopeKind, Term};
use app::domain::password::{self, PasswordContext, PasswordError};
use app::domain::person_request::{parse_yes_no, Field, PersonRequest, RequestFields};
use app::domain::registration::{
    self, check_extract_date, parse_date_nl, step_errors, Draft, FileRef, PersonFields, Registration,
};
use app::domain::time::CivilDate;
use app::domain::value::{
    AssuranceLevel, BirthDate, BranchNumber, DutchMobile, Email, KvkNumber, NameField, NamePart, OrganisationName,
    PersonName, ServiceId, ValueError,
};
use app::domain::{account_flow, audit, csv_export, document::DocType, mail_text, means, request};
use libfuzzer_sys::fuzz_target;
use std::collections::{BTreeMap, BTreeSet};

/// The "today"s the date rules are checked against: an ordinary day, a leap day (the
/// 130-year bound lands on 28 February), the turn of a century and the last 4-digit day.
fn todays() -> [CivilDate; 4] {
    [
        CivilDate::new(2026, 3, 15).unwrap(),
        CivilDate::new(2024, 2, 29).unwrap(),
        CivilDate::new(2000, 1, 1).unwrap(),
        CivilDate::new(9999, 12, 31).unwrap(),
    ]
}

/// The `i`-th field, or "" when the input has fewer.
fn at<'a>(f: &'a [&'a str], i: usize) -> &'a str {
    f.get(i).copied().unwrap_or("")
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// `FromStr`, both `TryFrom`s and deserialising a JSON string all give what `parse` gave,
/// and an accepted value serialises as its canonical string.
macro_rules! conversions_agree {
    ($ty:ty, $input:expr, $parsed:expr) => {{
        let (input, parsed): (&str, &Result<$ty, ValueError>) = ($input, $parsed);
        assert_eq!(&input.parse::<$ty>(), parsed);
        assert_eq!(&<$ty>::try_from(input), parsed);
        assert_eq!(&<$ty>::try_from(input.to_string()), parsed);
        let de = serde_json::from_str::<$ty>(&json(input));
        assert_eq!(de.as_ref().ok(), parsed.as_ref().ok(), "serde and parse disagree on {input:?}");
        if let Ok(v) = parsed {
            assert_eq!(serde_json::to_string(v).unwrap(), json(v.as_ref()));
            assert_eq!(String::from(v.clone()), v.to_string());
        }
    }};
}

fn email(f: &[&str]) {
    let input = at(f, 0);
    let parsed = Email::parse(input);
    conversions_agree!(Email, input, &parsed);
    if let Ok(e) = &parsed {
        let v = e.as_str();
        // Trimmed, lowercased, printable ASCII without spaces, at most 254 characters.
        assert!(v.len() <= 254 && v.bytes().all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase()), "{v:?}");
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

fn mobile(f: &[&str]) {
    let input = at(f, 0);
    let parsed = DutchMobile::parse(input);
    conversions_agree!(DutchMobile, input, &parsed);
    if let Ok(m) = &parsed {
        let v = m.as_e164();
        assert_eq!(v.len(), 12, "{v:?}");
        assert!(v.starts_with("+316") && v[1..].bytes().all(|b| b.is_ascii_digit()), "{v:?}");
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
fn digits_rule(input: &str, len: usize, parsed: Option<&str>) {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let valid = digits.len() == len && digits.bytes().all(|b| b.is_ascii_digit());
    assert_eq!(parsed, valid.then_some(digits.as_str()), "{input:?}");
}

fn kvk(f: &[&str]) {
    let input = at(f, 0);
    let parsed = KvkNumber::parse(input);
    conversions_agree!(KvkNumber, input, &parsed);
    digits_rule(input, 8, parsed.as_ref().ok().map(KvkNumber::as_str));
    if let Ok(k) = &parsed {
        assert_eq!(KvkNumber::parse(k.as_str()).as_ref(), Ok(k));
    }
}

fn branch(f: &[&str]) {
    let input = at(f, 0);
    let parsed = BranchNumber::parse(input);
    conversions_agree!(BranchNumber, input, &parsed);
    digits_rule(input, 12, parsed.as_ref().ok().map(BranchNumber::as_str));
    if let Ok(b) = &parsed {
        assert_eq!(BranchNumber::parse(b.as_str()).as_ref(), Ok(b));
    }
}

fn service_id(f: &[&str]) {
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
        assert!(v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{v:?}");
        assert_eq!(ServiceId::parse(v).as_ref(), Ok(id));
    }
}

fn organisation_name(f: &[&str]) {
    let input = at(f, 0);
    let parsed = OrganisationName::parse(input);
    conversions_agree!(OrganisationName, input, &parsed);
    // The whole rule: trimmed, 1..=200 characters, no control characters.
    let t = input.trim();
    let valid = !t.is_empty() && t.chars().count() <= 200 && !t.chars().any(char::is_control);
    assert_eq!(parsed.as_ref().ok().map(OrganisationName::as_str), valid.then_some(t), "{input:?}");
    if let Ok(n) = &parsed {
        assert_eq!(OrganisationName::parse(n.as_str()).as_ref(), Ok(n));
    }
}

fn level(f: &[&str]) {
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

fn term(f: &[&str]) {
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
fn check_name_part(field: NameField, input: &str, n: &NamePart) {
    let v = n.as_str();
    assert!(!v.is_empty() && v.chars().count() <= field.max_len(), "{field:?} {v:?}");
    assert_eq!(v.trim(), v);
    assert!(!v.contains("  "), "{v:?}");
    // Runs of white space became one space: no other white space, no control character.
    assert!(!v.chars().any(|c| (c.is_whitespace() && c != ' ') || c.is_control()), "{v:?}");
    assert!(v.chars().any(char::is_alphabetic), "{v:?}");
    match field {
        NameField::Prefix => {
            assert!(!v.chars().any(char::is_uppercase), "{v:?}");
            assert!(v.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '’')), "{v:?}");
        }
        _ => {
            assert!(v.chars().all(|c| c.is_alphabetic()
                || ('\u{0300}'..='\u{036F}').contains(&c)
                || matches!(c, ' ' | '-' | '\'' | '’' | '.')), "{v:?}");
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

fn name_part(f: &[&str]) {
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
fn expected_person_name(given: &str, prefix: &str, surname: &str) -> Result<(), ValueError> {
    NamePart::parse(NameField::GivenNames, given)?;
    if !prefix.trim().is_empty() {
        NamePart::parse(NameField::Prefix, prefix)?;
    }
    NamePart::parse(NameField::Surname, surname)?;
    Ok(())
}

fn person_name(f: &[&str]) {
    let (given, prefix, surname) = (at(f, 0), at(f, 1), at(f, 2));
    let parsed = PersonName::new(given, prefix, surname);
    assert_eq!(parsed.as_ref().map(|_| ()).map_err(Clone::clone), expected_person_name(given, prefix, surname));
    if let Ok(n) = &parsed {
        check_name_part(NameField::GivenNames, given, n.given_names());
        check_name_part(NameField::Surname, surname, n.surname());
        assert_eq!(n.prefix().is_none(), prefix.trim().is_empty());
        if let Some(p) = n.prefix() {
            check_name_part(NameField::Prefix, prefix, p);
        }
        let p = n.prefix().map(NamePart::as_str).unwrap_or("");
        assert_eq!(PersonName::new(n.given_names().as_str(), p, n.surname().as_str()).as_ref(), Ok(n));
        let wire = serde_json::to_string(n).unwrap();
        assert_eq!(serde_json::from_str::<PersonName>(&wire).as_ref().ok(), Some(n));
        let shown = n.display_name();
        assert!(shown.starts_with(n.given_names().as_str()) && shown.ends_with(n.surname().as_str()));
        assert!(!shown.contains("  "));
        assert_eq!(shown, n.to_string());
        assert!(n.sort_name().starts_with(&format!("{}, ", n.surname())));
    }
}

fn dates(f: &[&str]) {
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
                assert!(nl.is_none_or(|d| d > today || today.to_days() - d.to_days() > 14), "{input:?}");
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

fn yes_no(f: &[&str]) {
    let input = at(f, 0);
    let parsed = parse_yes_no(input);
    let t = input.trim().to_lowercase();
    match parsed {
        Ok(v) => assert_eq!(t, if v { "ja" } else { "nee" }),
        Err(m) => assert!(!m.is_empty() && t != "ja" && t != "nee"),
    }
}

/// One row of the means-request form. The flags byte picks the manager's level.
fn person_request(flags: u8, f: &[&str]) {
    let fields = RequestFields {
        given_names: at(f, 0).into(),
        prefix: at(f, 1).into(),
        surname: at(f, 2).into(),
        birth_date: at(f, 3).into(),
        email: at(f, 4).into(),
        mobile: at(f, 5).into(),
        employed: at(f, 6).into(),
        level: at(f, 7).into(),
    };
    let max = AssuranceLevel::ALL[usize::from(flags) % 4];
    let today = todays()[usize::from(flags >> 2) % 4];
    let name = PersonName::new(&fields.given_names, &fields.prefix, &fields.surname);
    let birth = BirthDate::parse(&fields.birth_date, today);
    let email = Email::parse(&fields.email);
    let mobile = DutchMobile::parse(&fields.mobile);
    let employed = parse_yes_no(&fields.employed);
    let level = AssuranceLevel::parse(&fields.level);
    match PersonRequest::from_fields(&fields, today, max) {
        Ok(p) => {
            assert_eq!(Ok(&p.name), name.as_ref());
            assert_eq!(Ok(p.birth_date), birth);
            assert_eq!(Ok(&p.email), email.as_ref());
            assert_eq!(Ok(&p.mobile), mobile.as_ref());
            assert_eq!(Ok(p.employed), employed);
            assert_eq!(Ok(p.level), level);
            assert!(p.level <= max);
            assert!(p.services.is_empty() && p.term.is_none());
        }
        Err(errors) => {
            // "Collecting every problem": exactly the fields whose own parser refuses them.
            assert!(!errors.is_empty());
            assert!(errors.iter().all(|e| !e.message.is_empty()));
            let has = |field: Field| errors.iter().any(|e| e.field == field);
            let name_fields = [Field::GivenNames, Field::Prefix, Field::Surname];
            assert_eq!(name_fields.iter().filter(|f| has(**f)).count(), usize::from(name.is_err()));
            assert_eq!(has(Field::BirthDate), birth.is_err());
            assert_eq!(has(Field::Email), email.is_err());
            assert_eq!(has(Field::Mobile), mobile.is_err());
            assert_eq!(has(Field::Employed), employed.is_err());
            assert_eq!(has(Field::Level), level.is_err() || level.is_ok_and(|l| l > max));
            assert_eq!(errors.len(), Field::ALL.iter().filter(|f| has(**f)).count());
        }
    }
}

fn person_fields(f: &[&str], first: usize) -> PersonFields {
    PersonFields {
        given_names: at(f, first).into(),
        prefix: at(f, first + 1).into(),
        surname: at(f, first + 2).into(),
        birth_date: at(f, first + 3).into(),
        email: at(f, first + 4).into(),
        mobile: at(f, first + 5).into(),
        employed: at(f, first + 6).into(),
    }
}

/// The registration wizard: fields 0..=4 are the organisation, the extract date and the
/// signing, 5..=25 two representatives and the manager (7 fields each), 26..=28 the
/// contract holder and the level. Flags: bit 0 "arrange the extract for me", bits 1..=4
/// which upload slots are empty, bit 5 only one representative in the draft, bits 6..=7
/// the day it is.
fn registration_draft(flags: u8, f: &[&str]) {
    let file = FileRef {
        storage_name: "x".into(),
        mime: "application/pdf".into(),
        size: 10,
        sha256: "00".into(),
    };
    let files: BTreeMap<String, FileRef> = registration::file_slots()
        .enumerate()
        .filter(|(i, _)| flags & (2 << i) == 0)
        .map(|(_, s)| (s, file.clone()))
        .collect();
    let mut reps = vec![person_fields(f, 5)];
    if flags & 0x20 == 0 {
        reps.push(person_fields(f, 12));
    }
    let draft = Draft {
        kvk: at(f, 0).into(),
        org_name: at(f, 1).into(),
        branch: at(f, 2).into(),
        arrange_extract: flags & 1 == 1,
        extract_date: at(f, 3).into(),
        signing: at(f, 4).into(),
        reps,
        manager: person_fields(f, 19),
        contract_name: at(f, 26).into(),
        contract_email: at(f, 27).into(),
        level: at(f, 28).into(),
        files,
        tried: BTreeSet::new(),
    };
    let today = todays()[usize::from(flags >> 6)];
    // Every input of every step gets a message or none, never a panic.
    for step in 0..6 {
        for (name, value) in registration::step_inputs(step, &draft) {
            if let Some(m) = registration::check_field(&name, &value, today) {
                assert!(!m.is_empty());
            }
        }
    }
    match Registration::from_draft(&draft, today) {
        Ok(r) => {
            for step in 0..5 {
                assert!(step_errors(step, &draft, today).is_empty());
            }
            assert_eq!(Ok(&r.kvk), KvkNumber::parse(&draft.kvk).as_ref());
            assert_eq!(Ok(&r.org_name), OrganisationName::parse(&draft.org_name).as_ref());
            assert_eq!(r.branch.is_none(), draft.branch.trim().is_empty());
            assert_eq!(r.extract_date.is_none(), draft.arrange_extract);
            assert!(registration::LEVELS.contains(&r.level));
            assert_eq!(r.representatives.len(), draft.rep_count());
            // The applicant is the new manager: no representative shares their address,
            // and two representatives have an address each.
            assert!(r.representatives.iter().all(|rep| rep.email != r.manager.email));
            if let [a, b] = r.representatives.as_slice() {
                assert_ne!(a.email, b.email);
            }
            let n = r.contract_name.chars().count();
            assert!((1..=200).contains(&n) && r.contract_name.trim() == r.contract_name);
            assert_eq!(r.manager_employed, draft.manager.employed == "ja");
        }
        Err((step, errors)) => {
            // The first step with problems, and its problems.
            assert!(step < 5, "step {step}");
            assert!(!errors.is_empty(), "step {step} refused without a problem");
            assert_eq!(errors, step_errors(step, &draft, today));
            for earlier in 0..step {
                assert!(step_errors(earlier, &draft, today).is_empty());
            }
        }
    }
}

/// A form input checked by its name, as the wizard does on every keystroke.
fn wizard_field(f: &[&str]) {
    for today in todays() {
        if let Some(m) = registration::check_field(at(f, 0), at(f, 1), today) {
            assert!(!m.is_empty());
        }
    }
    let _ = registration::is_file_slot(at(f, 0));
}

/// The password rule, checked in its documented order: blank, too short, too long,
/// mismatch, common, e-mail, name. Fields: password, repeat, e-mail, names.
fn password_rule(f: &[&str]) {
    let (pw, repeat, email) = (at(f, 0), at(f, 1), at(f, 2));
    let ctx = PasswordContext {
        email,
        names: f.iter().skip(3).copied().collect(),
    };
    let common = |s: &str| matches!(s, "welkom" | "wachtwoord" | "welkom123456" | "football");
    for repeat in [pw, repeat] {
        let result = password::check(pw, repeat, &ctx, common);
        let n = pw.chars().count();
        let expected_start = if pw.chars().all(char::is_whitespace) {
            Some(PasswordError::Blank)
        } else if n < password::MIN_CHARS {
            Some(PasswordError::TooShort { min: 12, actual: n })
        } else if n > password::MAX_CHARS {
            Some(PasswordError::TooLong { max: 128, actual: n })
        } else if pw != repeat {
            Some(PasswordError::Mismatch)
        } else {
            None
        };
        match expected_start {
            Some(e) => assert_eq!(result, Err(e)),
            None => {
                if result.is_ok() {
                    let lower = pw.to_lowercase();
                    assert!(!common(&lower));
                    let email = email.trim().to_lowercase();
                    assert!(email.is_empty() || !lower.contains(&email));
                }
            }
        }
        if let Err(e) = result {
            assert!(!e.to_string().is_empty());
        }
    }
}

/// Fieldless enums whose stored names come back in query strings and forms.
macro_rules! named {
    ($s:expr; $($ty:ty),*) => {{
        let s: &str = $s;
        $(
            if let Some(v) = <$ty>::parse(s) {
                assert_eq!(v.as_str(), s);
                assert_eq!(v.to_string(), s);
                assert!(!v.label_nl().is_empty());
            }
        )*
    }};
}

/// The `?melding=`-style notice codes: only known codes are recognised.
macro_rules! notices {
    ($s:expr; $($ty:ty),*) => {{
        let s: &str = $s;
        $(
            if let Some(n) = <$ty>::parse(s) {
                assert_eq!(n.code(), s);
                assert!(!n.text().is_empty());
            }
        )*
    }};
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Query-string and form codes. Fields: the code, the `over=` minutes, and the four text
/// filters of the authorisations list.
fn query(f: &[&str]) {
    let (s, over) = (at(f, 0), at(f, 1));
    named!(s; request::RequestKind, request::RequestState, request::TimelineEvent, AuthorisationState,
        ScopeKind, means::MeansState, audit::AuditAction, audit::TargetKind, account_flow::FlowPurpose,
        account_flow::FlowStep);
    notices!(s; contract::activation::Notice, contract::account::AccountNotice, contract::backoffice::Outcome,
        contract::means::Outcome, contract::means::Refusal, contract::registration_review::ReviewNotice,
        contract::registrations::WizardNotice, contract::requests::Outcome);
    if let Some(d) = contract::backoffice::InPersonDocument::parse(s) {
        assert_eq!(d.as_str(), s);
    }
    if let Some(d) = DocType::from_mime(s) {
        assert_eq!(d.mime(), s);
    }
    // The `over=` minutes are a number the server chose, never free text.
    let minutes = contract::activation::minutes_param(Some(over.to_string()));
    if let Some(m) = minutes {
        assert!((1..=1440).contains(&m) && over.parse::<i64>() == Ok(m));
    }
    let suffix = minutes.map(contract::activation::try_again).unwrap_or_default();
    if let Some((error, text)) = contract::registrations::wizard_notice(Some(s), Some(over.to_string())) {
        let n = contract::registrations::WizardNotice::parse(s).expect("a known code");
        assert_eq!(error, n.is_error());
        assert!(text == n.text() || text == format!("{}{suffix}", n.text()), "{text:?}");
    }
    if let Some(text) = contract::registrations::limit_text(Some(s), Some(over.to_string())) {
        assert_eq!(s, "netwerk-limiet");
        assert_eq!(text, format!("Vanaf uw netwerk is dit formulier te vaak verstuurd.{suffix}"));
    }
    if let Some((_, text)) = contract::registration_review::outcome_text(s) {
        assert!(!text.is_empty());
    }
    // Unknown states are shown as they are.
    if AuthorisationState::parse(s).is_none() {
        assert_eq!(contract::authorisations::state_label(s), s);
    }
    if means::MeansState::parse(s).is_none() {
        assert_eq!(contract::overview::means_state_label(s), s);
    }
    // encode: only unreserved characters and %XX, and it decodes to the input.
    let e = contract::authorisations::encode(s);
    assert!(e.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)), "{e:?}");
    assert_eq!(percent_decode(&e).as_deref(), Some(s.as_bytes()));
    // The list's filters as a query string read back as the same filters.
    let q = contract::authorisations::AuthQuery {
        persoon: at(f, 2).into(),
        dienst: at(f, 3).into(),
        status: at(f, 4).into(),
        niveau: at(f, 5).into(),
        verloopt: s.len() % 2 == 1,
        alle: over.len() % 2 == 1,
    };
    let text = q.to_query();
    let mut back = contract::authorisations::AuthQuery::default();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').expect("key=value");
        let v = String::from_utf8(percent_decode(v).expect("well encoded")).expect("UTF-8");
        match k {
            "persoon" => back.persoon = v,
            "dienst" => back.dienst = v,
            "status" => back.status = v,
            "niveau" => back.niveau = v,
            "verloopt" => back.verloopt = v == "1",
            "alle" => back.alle = v == "1",
            other => panic!("unknown key {other:?}"),
        }
    }
    assert_eq!(back, q);
}

/// Whether a full stop could still make a mail program link the text (as in mail_text's
/// own property test).
fn linkable_dot(s: &str) -> bool {
    const DOTS: [char; 4] = ['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'];
    let c: Vec<char> = s.chars().collect();
    (1..c.len()).any(|i| {
        DOTS.contains(&c[i])
            && c[i - 1].is_alphanumeric()
            && c[i + 1..].iter().take_while(|c| c.is_alphanumeric()).count() >= 2
    })
}

fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

/// Reads one CSV line back into its cells (as csv_export's own test does).
fn parse_line(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let (mut quoted, mut chars) = (false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            (_, '"') => quoted = !quoted,
            (false, ';') => cells.push(String::new()),
            (_, c) => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

/// Typed text on its way out: into an e-mail (mail_text::plain, the flags byte is the
/// character limit) and into a CSV export (every field one cell).
fn sanitisers(flags: u8, f: &[&str], raw: &[u8]) {
    let text = f.join("\u{1f}");
    let max = usize::from(flags);
    let p = mail_text::plain(&text, max);
    assert!(!p.contains("://"), "{p:?}");
    assert!(!p.chars().any(|c| c.is_control() || invisible(c)), "{p:?}");
    assert!(!linkable_dot(&p), "{p:?}");
    assert!(p.chars().count() <= 3 * max + 1, "{p:?}");
    // Safe to apply twice: defanged text stays as it is.
    assert_eq!(mail_text::plain(&p, usize::MAX), p, "plain is not idempotent on {text:?}");

    let mut w = csv_export::CsvWriter::new();
    w.row(f);
    let out = w.finish();
    let line = out.strip_prefix(csv_export::BOM).unwrap().strip_suffix("\r\n").unwrap();
    let read = parse_line(line);
    let cells: Vec<&str> = if f.is_empty() { vec![] } else { f.to_vec() };
    if !cells.is_empty() {
        assert_eq!(read.len(), cells.len(), "{line:?}");
        for (got, want) in read.iter().zip(&cells) {
            assert!(!got.starts_with(['=', '+', '-', '@', '\t', '\r']), "{got:?}");
            assert_eq!(*got, csv_export::neutralise(want));
        }
    }
    if let Some(d) = DocType::sniff(raw) {
        assert_eq!(DocType::from_mime(d.mime()), Some(d));
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let (flags, tail) = rest.split_first().map_or((0, &[][..]), |(f, t)| (*f, t));
    let text = String::from_utf8_lossy(rest);
    let fields: Vec<&str> = text.split('\u{1f}').collect();
    let tail_text = String::from_utf8_lossy(tail);
    let tail_fields: Vec<&str> = tail_text.split('\u{1f}').collect();
    const ARMS: usize = 18;
    let arm = match selector {
        b'e' => 0,
        b'm' => 1,
        b'k' => 2,
        b'b' => 3,
        b's' => 4,
        b'o' => 5,
        b'l' => 6,
        b't' => 7,
        b'n' => 8,
        b'p' => 9,
        b'd' => 10,
        b'y' => 11,
        b'v' => 12,
        b'r' => 13,
        b'c' => 14,
        b'w' => 15,
        b'q' => 16,
        b'x' => 17,
        other => usize::from(other) % ARMS,
    };
    match arm {
        0 => email(&fields),
        1 => mobile(&fields),
        2 => kvk(&fields),
        3 => branch(&fields),
        4 => service_id(&fields),
        5 => organisation_name(&fields),
        6 => level(&fields),
        7 => term(&fields),
        8 => name_part(&fields),
        9 => person_name(&fields),
        10 => dates(&fields),
        11 => yes_no(&fields),
        12 => person_request(flags, &tail_fields),
        13 => registration_draft(flags, &tail_fields),
        14 => wizard_field(&fields),
        15 => password_rule(&fields),
        16 => query(&fields),
        _ => sanitisers(flags, &tail_fields, rest),
    }
});
