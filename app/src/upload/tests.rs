//! Unit tests of the upload format: template, header, separators, quoting, line ends, blank
//! rows and field counts. Column-by-column errors live in `tests/cells.rs`; duplicates, present
//! people, limits and file errors in `tests/rules.rs`.

use super::columns::Col;
use super::*;
use crate::domain::time::CivilDate;

mod cells;
mod rules;

pub(super) const HEADER: &str = "voornamen;tussenvoegsel;achternaam;geboortedatum;email;mobiel;in_loondienst;niveau";
pub(super) const ROW: &str = "Jan;van der;Berg;05-03-1980;jan@voorbeeld.nl;0612345678;ja;EH3";

pub(super) fn ctx() -> Context {
    Context {
        today: CivilDate::new(2026, 1, 1).unwrap(),
        max_level: AssuranceLevel::Eh4,
        known_services: None,
        present_emails: vec![],
    }
}

pub(super) fn run(text: &str) -> Report {
    validate(text.as_bytes(), &ctx())
}

/// `ROW` with e-mail `n@voorbeeld.nl`.
pub(super) fn row(n: usize) -> String {
    ROW.replace("jan@", &format!("p{n}@"))
}

/// (row, column) of every error.
pub(super) fn spots(r: &Report) -> Vec<(usize, String)> {
    r.errors.iter().map(|e| (e.row, e.column.clone())).collect()
}

#[test]
fn columns_and_their_index_agree() {
    let all = [
        Col::GivenNames,
        Col::Prefix,
        Col::Surname,
        Col::BirthDate,
        Col::Email,
        Col::Mobile,
        Col::Employed,
        Col::Level,
        Col::Services,
        Col::Term,
    ];
    assert_eq!(all.len(), COLUMNS.len());
    let names: Vec<&str> = all.iter().map(|c| c.name()).collect();
    let header: Vec<&str> = HEADER.split(';').chain(["diensten", "looptijd"]).collect();
    assert_eq!(names, header);
    assert!(COLUMNS
        .iter()
        .all(|c| c.required != ["diensten", "looptijd"].contains(&c.name)));
}

#[test]
fn the_template_validates_clean() {
    let t = template_csv();
    assert!(t.starts_with("\u{feff}voornamen;tussenvoegsel;achternaam;"));
    assert_eq!(t.matches("\r\n").count(), 2);
    let r = run(&t);
    assert!(r.is_clean(), "{r:?}");
    assert_eq!((r.rows, r.new.len()), (1, 1));
    let v = &r.new[0];
    assert_eq!(v.person.name.display_name(), "Jan Pieter van der Berg");
    assert_eq!(v.person.services.len(), 2);
    assert_eq!(v.person.term, Some(crate::domain::authorisation::Term::ThreeYears));
}

#[test]
fn reads_a_plain_file() {
    let r = run(&format!("{HEADER}\n{ROW}\n"));
    assert!(r.is_clean(), "{r:?}");
    let v = &r.new[0];
    assert_eq!(v.row, 2);
    assert_eq!(v.person.email.as_str(), "jan@voorbeeld.nl");
    assert_eq!(v.person.mobile.as_e164(), "+31612345678");
    assert!(v.person.employed);
    assert_eq!(
        (v.person.level, v.person.term, v.person.services.len()),
        (AssuranceLevel::Eh3, None, 0)
    );
    assert_eq!(v.person.birth_date.iso(), "1980-03-05");
}

#[test]
fn detects_the_comma_and_is_not_fooled_by_quotes_or_data() {
    let comma = format!("{}\n{}\n", HEADER.replace(';', ","), ROW.replace(';', ","));
    assert!(run(&comma).is_clean());
    // A quoted header cell with semicolons does not make the file `;`-separated.
    let h = format!("{},\"x;y;z;w;v;u;t;s;r\"", HEADER.replace(';', ","));
    let r = run(&format!("{h}\n{},\n", ROW.replace(';', ",")));
    assert_eq!(spots(&r), vec![(1, "x;y;z;w;v;u;t;s;r".to_string())]);
    assert_eq!(r.new.len(), 1);
    // Commas in the data of a `;` file are just data.
    let r = run(&format!("{HEADER}\n{}\n", ROW.replace("Jan;", "\"Jan, Piet,,\";")));
    assert_eq!(r.errors[0].column, "voornamen");
    assert!(r.errors[0].message.contains("','"), "{r:?}");
}

#[test]
fn accepts_a_bom_and_every_line_ending() {
    for eol in ["\n", "\r\n", "\r"] {
        let text = format!("\u{feff}{HEADER}{eol}{}{eol}{}", row(1), row(2));
        let r = run(&text);
        assert!(r.is_clean(), "{eol:?}: {r:?}");
        assert_eq!(r.new.iter().map(|v| v.row).collect::<Vec<_>>(), vec![2, 3]);
    }
}

#[test]
fn quoted_fields_hold_separators_quotes_and_line_breaks() {
    let text = format!(
        "{HEADER}\r\n\"Jan\";\"van der\";\"Berg\";05-03-1980;\"p1@voorbeeld.nl\";\"06 1234\r\n5678\";ja;EH3\r\n{}\r\n\
         \"Jan \"\"J\"\";P\";de;Vries;05-03-1980;p3@voorbeeld.nl;0612345678;ja;EH3\r\n",
        row(2)
    );
    let r = run(&text);
    // The line break inside the quoted mobile number keeps it one spreadsheet row.
    assert_eq!(r.new.iter().map(|v| v.row).collect::<Vec<_>>(), vec![2, 3]);
    assert_eq!(r.new[0].person.mobile.as_e164(), "+31612345678");
    assert_eq!(spots(&r), vec![(4, "voornamen".to_string())]);
    assert!(r.errors[0].message.contains("'\"'"), "{r:?}");
}

#[test]
fn blank_rows_are_skipped_but_keep_their_number() {
    let text = format!("\n{HEADER}\n\n{}\n;;;;;;;\n   \n{}\nJan\n\n", row(1), row(2));
    let r = run(&text);
    assert_eq!(r.rows, 3);
    assert_eq!(r.new.iter().map(|v| v.row).collect::<Vec<_>>(), vec![4, 7]);
    assert_eq!(spots(&r), vec![(8, String::new())]);
    assert_eq!(r.invalid_rows, 1);
}

#[test]
fn header_names_are_trimmed_and_case_insensitive() {
    let h = " Voornamen ;TUSSENVOEGSEL;Achternaam;Geboortedatum;E-mail;Mobiel;In loondienst;Niveau";
    let r = run(&format!("{}\n{ROW}\n", h.replace("E-mail", "Email")));
    assert!(r.is_clean(), "{r:?}");
    // Columns may come in any order.
    let r = run(
        "email;niveau;voornamen;tussenvoegsel;achternaam;geboortedatum;mobiel;in_loondienst\n\
         a@b.nl;EH2;Jan;;Berg;01-01-1990;0612345678;nee\n",
    );
    assert!(r.is_clean(), "{r:?}");
    assert!(!r.new[0].person.employed);
}

#[test]
fn an_unknown_column_is_one_header_error_and_rows_still_count() {
    let r = run(&format!(
        "{HEADER};Afdeling\n{};HR\n{};\n",
        row(1),
        ROW.replace("EH3", "EH9")
    ));
    assert_eq!(spots(&r), vec![(1, "Afdeling".into()), (3, "niveau".into())]);
    assert!(r.errors[0].message.starts_with("Onbekende kolom 'Afdeling'"));
    assert_eq!((r.new.len(), r.invalid_rows, r.is_clean()), (1, 1, false));
}

#[test]
fn empty_header_cells_and_trailing_empty_fields_are_padding() {
    let r = run(&format!("{HEADER};;\n{};;\n{}\n{};;;;\n", row(1), row(2), row(3)));
    assert!(r.is_clean(), "{r:?}");
    assert_eq!(r.new.len(), 3);
}

#[test]
fn a_missing_or_repeated_column_is_a_file_error() {
    let r = run(&format!("{}\n{}\n", HEADER.replace(";email", ""), ROW));
    let e = r.file_error.clone().unwrap();
    assert!(e.contains("mist de verplichte kolom email."), "{e}");
    assert_eq!((r.rows, r.new.len()), (1, 0));
    let r = run("naam;adres\nJan;Hier\n");
    assert!(r
        .file_error
        .unwrap()
        .contains("kolommen voornamen, tussenvoegsel, achternaam"));
    let r = run(&format!("{HEADER};Email\n{ROW};x\n"));
    assert!(r.file_error.unwrap().contains("De kolom email staat twee keer"));
}

#[test]
fn rows_with_the_wrong_number_of_fields_get_one_error() {
    let text = format!(
        "{HEADER};\n{}\n{};extra\n{};;extra\n",
        ROW.replace(";EH3", ""),
        row(3),
        row(4)
    );
    let r = run(&text);
    assert_eq!(
        spots(&r),
        vec![(2, String::new()), (3, String::new()), (4, String::new())]
    );
    assert!(r.errors[0]
        .message
        .starts_with("Deze rij heeft 7 velden, maar de kopregel heeft er 8."));
    assert!(r.errors[1].message.starts_with("Veld 9 van deze rij heeft een waarde"));
    assert!(r.errors[2].message.starts_with("Deze rij heeft 10 velden"));
    assert_eq!(r.invalid_rows, 3);
}

#[test]
fn every_error_of_a_row_is_reported() {
    let r = run(&format!(
        "{HEADER}\n;X1;Berg;31-02-1980;geen-email;020123456;misschien;EH1\n"
    ));
    let cols: Vec<String> = r.errors.iter().map(|e| e.column.clone()).collect();
    let want = [
        "voornamen",
        "tussenvoegsel",
        "geboortedatum",
        "email",
        "mobiel",
        "in_loondienst",
        "niveau",
    ];
    assert_eq!(cols, want);
    assert!(r.errors.iter().all(|e| e.row == 2));
    assert_eq!(r.invalid_rows, 1);
}

#[test]
fn an_unclosed_quote_is_a_row_error() {
    let r = run(&format!("{HEADER}\n{}\n\"Jan;de;Vries\n{}\n", row(1), row(2)));
    assert_eq!(spots(&r), vec![(3, String::new())]);
    assert!(r.errors[0].message.contains("aanhalingsteken"));
    assert_eq!((r.rows, r.new.len(), r.invalid_rows), (2, 1, 1));
}
