//! Composite rules (a request row, a registration, passwords), the query-string codes and
//! the text sanitisers (see the target's header).

use super::*;

pub(super) fn yes_no(f: &[&str]) {
    let input = at(f, 0);
    let parsed = parse_yes_no(input);
    let t = input.trim().to_lowercase();
    match parsed {
        Ok(v) => assert_eq!(t, if v { "ja" } else { "nee" }),
        Err(m) => assert!(!m.is_empty() && t != "ja" && t != "nee"),
    }
}

/// One row of the means-request form. The flags byte picks the manager's level.
pub(super) fn person_request(flags: u8, f: &[&str]) {
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
            assert_eq!(
                name_fields.iter().filter(|f| has(**f)).count(),
                usize::from(name.is_err())
            );
            assert_eq!(has(Field::BirthDate), birth.is_err());
            assert_eq!(has(Field::Email), email.is_err());
            assert_eq!(has(Field::Mobile), mobile.is_err());
            assert_eq!(has(Field::Employed), employed.is_err());
            assert_eq!(has(Field::Level), level.is_err() || level.is_ok_and(|l| l > max));
            assert_eq!(errors.len(), Field::ALL.iter().filter(|f| has(**f)).count());
        }
    }
}

pub(super) fn person_fields(f: &[&str], first: usize) -> PersonFields {
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
pub(super) fn registration_draft(flags: u8, f: &[&str]) {
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
pub(super) fn wizard_field(f: &[&str]) {
    for today in todays() {
        if let Some(m) = registration::check_field(at(f, 0), at(f, 1), today) {
            assert!(!m.is_empty());
        }
    }
    let _ = registration::is_file_slot(at(f, 0));
}

/// The password rule, checked in its documented order: blank, too short, too long,
/// mismatch, common, e-mail, name. Fields: password, repeat, e-mail, names.
pub(super) fn password_rule(f: &[&str]) {
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

pub(super) fn percent_decode(s: &str) -> Option<Vec<u8>> {
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
pub(super) fn query(f: &[&str]) {
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
        assert_eq!(
            text,
            format!("Vanaf uw netwerk is dit formulier te vaak verstuurd.{suffix}")
        );
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
    assert!(
        e.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
        "{e:?}"
    );
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
pub(super) fn linkable_dot(s: &str) -> bool {
    const DOTS: [char; 4] = ['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'];
    let c: Vec<char> = s.chars().collect();
    (1..c.len()).any(|i| {
        DOTS.contains(&c[i])
            && c[i - 1].is_alphanumeric()
            && c[i + 1..].iter().take_while(|c| c.is_alphanumeric()).count() >= 2
    })
}

pub(super) fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

/// Reads one CSV line back into its cells (as csv_export's own test does).
pub(super) fn parse_line(line: &str) -> Vec<String> {
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
pub(super) fn sanitisers(flags: u8, f: &[&str], raw: &[u8]) {
    let text = f.join("\u{1f}");
    let max = usize::from(flags);
    let p = mail_text::plain(&text, max);
    assert!(!p.contains("://"), "{p:?}");
    assert!(!p.chars().any(|c| c.is_control() || invisible(c)), "{p:?}");
    assert!(!linkable_dot(&p), "{p:?}");
    assert!(p.chars().count() <= 3 * max + 1, "{p:?}");
    // Safe to apply twice: defanged text stays as it is.
    assert_eq!(
        mail_text::plain(&p, usize::MAX),
        p,
        "plain is not idempotent on {text:?}"
    );

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
