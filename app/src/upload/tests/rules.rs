//! The rules across rows and files: duplicate addresses, present people, limits, file
//! errors and the summary.

use super::{ctx, row, run, spots, HEADER, ROW};
use crate::upload::*;

#[test]
fn duplicate_addresses_mark_every_occurrence() {
    let text = format!(
        "{HEADER}\n{}\n{}\n{}\n{}\n{}\n",
        row(1),
        row(2),
        row(1).replace("p1@", "P1@"),
        row(3).replace("Berg", "B3rg"),
        row(1)
    );
    let r = run(&text);
    let msgs: Vec<(usize, &str)> = r.errors.iter().map(|e| (e.row, e.message.as_str())).collect();
    assert_eq!(
        msgs,
        vec![
            (2, "Het e-mailadres komt ook voor in rij 4 en 6."),
            (4, "Het e-mailadres komt ook voor in rij 2."),
            (5, "De achternaam moet alleen letters, spaties, streepjes, apostroffen en punten bevatten. Dit teken mag niet: '3'."),
            (6, "Het e-mailadres komt ook voor in rij 2."),
        ]
    );
    assert_eq!((r.new.len(), r.invalid_rows), (1, 4));
    assert_eq!(r.new[0].row, 3);
}

#[test]
fn a_duplicate_with_other_errors_still_counts() {
    let text = format!("{HEADER}\n{}\n{}\n", row(1).replace("EH3", "EH7"), row(1));
    let r = run(&text);
    assert_eq!(
        spots(&r),
        vec![(2, "email".into()), (2, "niveau".into()), (3, "email".into())]
    );
    assert_eq!(r.invalid_rows, 2);
}

#[test]
fn many_duplicates_are_summed_up() {
    let text = format!("{HEADER}\n{}", (0..15).map(|_| format!("{ROW}\n")).collect::<String>());
    let r = run(&text);
    assert_eq!(
        r.errors[0].message,
        "Het e-mailadres komt ook voor in rij 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 en nog 4 andere rijen."
    );
    assert_eq!((r.errors.len(), r.invalid_rows), (15, 15));
}

#[test]
fn present_people_are_not_new_and_not_errors() {
    let mut c = ctx();
    c.present_emails = vec!["p2@voorbeeld.nl".into(), "P3@Voorbeeld.NL".into()];
    let text = format!("{HEADER}\n{}\n{}\n{}\n", row(1), row(2), row(3));
    let r = validate(text.as_bytes(), &c);
    assert!(r.is_clean());
    assert_eq!(r.new.iter().map(|v| v.row).collect::<Vec<_>>(), vec![2]);
    assert_eq!(r.present.iter().map(|v| v.row).collect::<Vec<_>>(), vec![3, 4]);
    assert_eq!(r.summary().present, 2);
}

#[test]
fn file_errors() {
    let r = run("");
    assert!(r.file_error.unwrap().starts_with("Het bestand is leeg."));
    let r = run("\u{feff}\r\n\r\n");
    assert!(r.file_error.is_some());
    let mut bytes = format!("{HEADER}\n{ROW}\n").into_bytes();
    bytes.extend_from_slice(b"\nBj\xf6rn;;");
    let r = validate(&bytes, &ctx());
    assert!(r.file_error.unwrap().contains("geen UTF-8-tekst (regel 4"));
    let r = run(&format!("\"{HEADER}\n{ROW}\n"));
    assert!(r.file_error.unwrap().contains("kopregel"));
}

#[test]
fn size_and_row_limits_name_the_numbers() {
    let text = format!("{HEADER}\n{}", (1..=5).map(|n| row(n) + "\n").collect::<String>());
    let limits = |rows, bytes| Limits { rows, bytes };
    assert!(validate_with_limits(text.as_bytes(), &ctx(), limits(5, text.len())).is_clean());
    let r = validate_with_limits(text.as_bytes(), &ctx(), limits(4, 1 << 20));
    assert_eq!((r.rows, r.new.len(), r.errors.len()), (5, 0, 0));
    assert_eq!(
        r.file_error.as_deref(),
        Some("Het bestand bevat 5 rijen; het maximum is 4 rijen per keer. Splits het bestand in kleinere delen.")
    );
    let r = validate_with_limits(text.as_bytes(), &ctx(), limits(5, 100));
    assert!(r
        .file_error
        .unwrap()
        .contains(&format!("({} bytes); het maximum is 0,0 MB (100 bytes)", text.len())));
    let big = vec![b' '; MAX_BYTES + 1];
    assert!(validate(&big, &ctx())
        .file_error
        .unwrap()
        .contains("het maximum is 10,0 MB (10.485.760 bytes)"));
    assert_eq!(Limits::default(), limits(50_000, 10 * 1024 * 1024));
}

#[test]
fn the_row_limit_counts_data_rows_only() {
    let text = format!("\n{HEADER}\n\n{}\n\n{}\n\n", row(1), row(2));
    let r = validate_with_limits(
        text.as_bytes(),
        &ctx(),
        Limits {
            rows: 2,
            bytes: 1 << 20,
        },
    );
    assert!(r.is_clean(), "{r:?}");
}

#[test]
fn the_summary_has_the_counts_without_rows() {
    let mut c = ctx();
    c.present_emails = vec!["p2@voorbeeld.nl".into()];
    let text = format!("{HEADER}\n{}\n{}\n{}\n", row(1), row(2), row(3).replace("ja", "jawel"));
    let s = validate(text.as_bytes(), &c).summary();
    assert_eq!((s.rows, s.new, s.present, s.invalid), (3, 1, 1, 1));
    assert_eq!(spots_of(&s.errors), vec![(4, "in_loondienst".to_string())]);
    assert_eq!(s.errors[0].message, "Vul ja of nee in, niet 'jawel'.");
    assert!(!s.is_clean());
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<Summary>(&json).unwrap(), s);
}

fn spots_of(errors: &[RowError]) -> Vec<(usize, String)> {
    errors.iter().map(|e| (e.row, e.column.clone())).collect()
}
