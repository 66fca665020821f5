//! The errors of each column, with the optional `diensten` and `looptijd` present.

use super::{ctx, HEADER, ROW};
use crate::domain::authorisation::Term;
use crate::domain::value::AssuranceLevel;
use crate::upload::{validate, Context, Report};

/// Validates one row, `ROW` with the optional columns appended, after `edit`.
fn one(edit: impl Fn(&str) -> String, services: &str, term: &str) -> Report {
    one_with(&ctx(), edit, services, term)
}

fn one_with(c: &Context, edit: impl Fn(&str) -> String, services: &str, term: &str) -> Report {
    let text = format!("{HEADER};diensten;looptijd\n{};{services};{term}\n", edit(ROW));
    validate(text.as_bytes(), c)
}

/// The (column, message) pairs of a one-row report.
fn errors(r: &Report) -> Vec<(String, String)> {
    assert!(r.file_error.is_none(), "{r:?}");
    r.errors.iter().map(|e| (e.column.clone(), e.message.clone())).collect()
}

fn same(s: &str) -> String {
    s.to_string()
}

fn col(r: &Report) -> Vec<String> {
    errors(r).into_iter().map(|(c, _)| c).collect()
}

#[test]
fn names() {
    let r = one(|s| s.replace("Jan;van der;Berg", " Jan  Pieter ;Van Der;Berg"), "", "");
    assert_eq!(r.new[0].person.name.display_name(), "Jan Pieter van der Berg");
    let r = one(
        |s| s.replace("Jan;van der;Berg", &format!("{};;", "a".repeat(101))),
        "",
        "",
    );
    assert_eq!(
        errors(&r),
        vec![
            (
                "voornamen".into(),
                "De voornamen zijn te lang: gebruik maximaal 100 tekens.".into()
            ),
            ("achternaam".into(), "Vul de achternaam in.".into()),
        ]
    );
    let r = one(|s| s.replace("van der", "v.d."), "", "");
    assert_eq!(col(&r), ["tussenvoegsel"]);
}

#[test]
fn birth_dates() {
    let r = one(|s| s.replace("05-03-1980", "02-01-2026"), "", "");
    assert_eq!(
        errors(&r),
        [("geboortedatum".into(), "De geboortedatum ligt in de toekomst.".into())]
    );
    let r = one(|s| s.replace("05-03-1980", "1980-03-05"), "", "");
    assert!(errors(&r)[0].1.starts_with("Schrijf de geboortedatum als dd-mm-jjjj"));
    let r = one(|s| s.replace("05-03-1980", ""), "", "");
    assert_eq!(errors(&r)[0].1, "Vul de geboortedatum in.");
}

#[test]
fn emails() {
    let r = one(|s| s.replace("jan@voorbeeld.nl", "jan@@voorbeeld.nl"), "", "");
    assert_eq!(
        errors(&r),
        [("email".into(), "Een e-mailadres bevat precies één @.".into())]
    );
    let r = one(|s| s.replace("jan@voorbeeld.nl", " Jan@Voorbeeld.NL "), "", "");
    assert_eq!(r.new[0].person.email.as_str(), "jan@voorbeeld.nl");
}

#[test]
fn mobiles() {
    let r = one(|s| s.replace("0612345678", "+32470123456"), "", "");
    assert_eq!(col(&r), ["mobiel"]);
    assert!(errors(&r)[0].1.contains("Nederlandse mobiele nummers"));
    let r = one(|s| s.replace("0612345678", "+31 6 1234 5678"), "", "");
    assert!(r.is_clean());
}

#[test]
fn employment_is_strictly_ja_or_nee() {
    for (v, want) in [("JA", true), (" Nee ", false), ("nee", false)] {
        let r = one(|s| s.replace(";ja;", &format!(";{v};")), "", "");
        assert_eq!(r.new[0].person.employed, want, "{v}");
    }
    for v in ["j", "n", "true", "1", "yes"] {
        let r = one(|s| s.replace(";ja;", &format!(";{v};")), "", "");
        assert_eq!(
            errors(&r),
            [("in_loondienst".into(), format!("Vul ja of nee in, niet '{v}'."))]
        );
    }
    let r = one(|s| s.replace(";ja;", ";;"), "", "");
    assert_eq!(errors(&r)[0].1, "Vul ja of nee in.");
}

#[test]
fn levels_are_capped_at_the_managers_own() {
    let mut c = ctx();
    c.max_level = AssuranceLevel::Eh3;
    let r = one_with(&c, |s| s.replace("EH3", "eh2+"), "", "");
    assert_eq!(r.new[0].person.level, AssuranceLevel::Eh2Plus);
    let r = one_with(&c, |s| s.replace("EH3", "EH4"), "", "");
    let msg = "Niveau EH4 is hoger dan uw eigen niveau; u kunt middelen aanvragen tot en met EH3.";
    assert_eq!(errors(&r), [("niveau".into(), msg.into())]);
    let r = one_with(&c, |s| s.replace("EH3", "EH1"), "", "");
    assert_eq!(errors(&r)[0].1, "EH1 bestaat niet meer; kies EH2, EH2+, EH3 of EH4.");
    let r = one_with(&c, |s| s.replace("EH3", " "), "", "");
    assert_eq!(col(&r), ["niveau"]);
}

#[test]
fn services_are_split_deduplicated_and_checked() {
    let r = one(
        same,
        " bd-omzetbelasting | UWV-werkgeversportaal  bd-omzetbelasting|",
        "",
    );
    let ids: Vec<&str> = r.new[0].person.services.iter().map(|s| s.as_str()).collect();
    assert_eq!(ids, ["bd-omzetbelasting", "uwv-werkgeversportaal"]);
    let r = one(same, "bd_omzet|x", "");
    let e = errors(&r);
    assert_eq!(e.len(), 2);
    assert!(e.iter().all(|(c, _)| c == "diensten"));
    assert!(e[0]
        .1
        .starts_with("Dienstcode 'bd_omzet': Een dienstcode bestaat alleen uit kleine letters"));
    assert!(e[1]
        .1
        .starts_with("Dienstcode 'x': Een dienstcode heeft 3 tot en met 64 tekens."));

    let mut c = ctx();
    c.known_services = Some(vec!["bd-omzetbelasting".into()]);
    let r = one_with(&c, same, "bd-omzetbelasting|kvk-uittreksel", "");
    let msg = "Onbekende dienst 'kvk-uittreksel'; gebruik een dienstcode uit de dienstencatalogus.";
    assert_eq!(errors(&r), [("diensten".into(), msg.into())]);
    assert!(one_with(&c, same, "bd-omzetbelasting", "5").is_clean());
}

#[test]
fn a_cell_full_of_bad_services_is_summed_up() {
    let cell: Vec<String> = (0..25).map(|i| format!("{i}x")).collect();
    let r = one(same, &cell.join("|"), "");
    let e = errors(&r);
    assert_eq!(e.len(), 11);
    assert_eq!(e[10].1, "En nog 15 ongeldige of onbekende dienstcodes in deze cel.");
    // Many distinct valid ids stay linear and keep their order.
    let cell: Vec<String> = (0..40).map(|i| format!("dienst-{}", i % 30)).collect();
    let r = one(same, &cell.join(" "), "");
    assert_eq!(r.new[0].person.services.len(), 30);
    assert_eq!(r.new[0].person.services[29].as_str(), "dienst-29");
}

#[test]
fn terms() {
    for (v, want) in [
        ("1", Some(Term::OneYear)),
        (" 3 ", Some(Term::ThreeYears)),
        ("5", Some(Term::FiveYears)),
    ] {
        assert_eq!(one(same, "", v).new[0].person.term, want);
    }
    assert_eq!(one(same, "", "").new[0].person.term, None);
    let r = one(same, "bd-icp", "10");
    assert_eq!(
        errors(&r),
        [(
            "looptijd".into(),
            "Een machtiging geldt nooit langer dan 5 jaar; kies 1, 3 of 5 jaar.".into()
        )]
    );
    let r = one(same, "", "2 jaar");
    assert_eq!(
        errors(&r),
        [("looptijd".into(), "Kies een looptijd van 1, 3 of 5 jaar.".into())]
    );
}
