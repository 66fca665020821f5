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
        assert_eq!(
            de.as_ref().ok(),
            parsed.as_ref().ok(),
            "serde and parse disagree on {input:?}"
        );
        if let Ok(v) = parsed {
            assert_eq!(serde_json::to_string(v).unwrap(), json(v.as_ref()));
            assert_eq!(String::from(v.clone()), v.to_string());
        }
    }};
}

#[path = "values/simple.rs"]
mod simple;
use simple::*;
#[path = "values/composite.rs"]
mod composite;
use composite::*;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
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
