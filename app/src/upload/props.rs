//! Property tests: no input makes the validator panic or break the report's invariants;
//! generated valid files validate to exactly their rows, however they are written.

use super::reader::{detect_separator, Reader};
use super::sample::sample_csv;
use super::tests::ctx;
use super::*;
use proptest::prelude::*;

/// The invariants every report holds.
fn check_invariants(r: &Report) -> Result<(), TestCaseError> {
    if r.file_error.is_none() {
        prop_assert_eq!(r.new.len() + r.present.len() + r.invalid_rows, r.rows);
    } else {
        prop_assert!(r.new.is_empty() && r.present.is_empty());
    }
    let mut error_rows: Vec<usize> = r.errors.iter().map(|e| e.row).collect();
    error_rows.dedup();
    prop_assert!(r.new.iter().chain(&r.present).all(|v| !error_rows.contains(&v.row)));
    if r.file_error.is_none() {
        // Every invalid data row has an error; the header row may have one more.
        prop_assert!(error_rows.len() == r.invalid_rows || error_rows.len() == r.invalid_rows + 1);
    }
    let keys: Vec<usize> = r.errors.iter().map(|e| e.row).collect();
    prop_assert!(keys.windows(2).all(|w| w[0] <= w[1]), "errors not sorted: {:?}", keys);
    prop_assert!(r.errors.iter().all(|e| e.row >= 1 && !e.message.is_empty()));
    Ok(())
}

/// Re-writes a `;`/CRLF sample with another separator and line end, quoting every field.
fn rewrite(sample: &str, sep: char, eol: &str) -> String {
    let body = sample.trim_start_matches('\u{feff}');
    let mut out = String::new();
    for line in body.split("\r\n").filter(|l| !l.is_empty()) {
        let cells: Vec<String> = line
            .split(';')
            .map(|c| format!("\"{}\"", c.trim_matches('"')))
            .collect();
        out.push_str(&cells.join(&sep.to_string()));
        out.push_str(eol);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_invariants(&validate(&bytes, &ctx()))?;
    }

    #[test]
    fn csv_like_text_never_panics(
        body in "[;,\"\r\n a-z0-9@.+|é-]{0,300}",
        header in 0usize..3,
    ) {
        let head = match header {
            0 => tests::HEADER.to_string(),
            1 => format!("{};diensten;looptijd", tests::HEADER),
            _ => tests::HEADER.replace(';', ","),
        };
        check_invariants(&validate(format!("{head}\n{body}").as_bytes(), &ctx()))?;
    }

    #[test]
    fn a_generated_file_of_n_rows_has_n_new_rows(rows in 0usize..300, seed in any::<u64>()) {
        let text = sample_csv(rows, seed);
        let r = validate(text.as_bytes(), &ctx());
        prop_assert!(r.is_clean(), "{:?}", r.errors.first());
        prop_assert_eq!(r.new.len(), rows);
        prop_assert!(r.new.iter().enumerate().all(|(i, v)| v.row == i + 2));
    }

    #[test]
    fn separator_quoting_and_line_ends_do_not_change_the_rows(
        rows in 1usize..60,
        seed in any::<u64>(),
        comma in any::<bool>(),
        eol in prop::sample::select(vec!["\n", "\r\n", "\r"]),
    ) {
        let text = sample_csv(rows, seed);
        let plain = validate(text.as_bytes(), &ctx());
        let other = rewrite(&text, if comma { ',' } else { ';' }, eol);
        prop_assert_eq!(detect_separator(&other), if comma { b',' } else { b';' });
        let again = validate(other.as_bytes(), &ctx());
        prop_assert_eq!(again, plain);
    }

    #[test]
    fn present_rows_are_split_off(rows in 1usize..80, seed in any::<u64>(), every in 1usize..5) {
        let text = sample_csv(rows, seed);
        let all = validate(text.as_bytes(), &ctx());
        let mut c = ctx();
        c.present_emails = all.new.iter().step_by(every).map(|v| v.person.email.as_str().to_uppercase()).collect();
        let r = validate(text.as_bytes(), &c);
        prop_assert!(r.is_clean());
        prop_assert_eq!(r.present.len(), c.present_emails.len());
        prop_assert_eq!(r.new.len() + r.present.len(), rows);
    }

    #[test]
    fn the_error_report_reads_back_and_is_neutralised(
        errors in proptest::collection::vec((1usize..100, "[=+@a-z;\"\t\r\n -]{0,12}", "[=+@a-z;\"\t\r\n -]{0,30}"), 0..20),
    ) {
        let errors: Vec<RowError> = errors
            .into_iter()
            .map(|(row, column, message)| RowError { row, column, message })
            .collect();
        let csv = error_report_csv(&errors);
        let body = csv.strip_prefix('\u{feff}').unwrap();
        let mut reader = Reader::new(body, b';');
        let mut fields = Vec::new();
        let header = reader.next_into(&mut fields).unwrap();
        prop_assert_eq!(header.row, 1);
        prop_assert_eq!(fields.iter().map(|f| f.as_ref()).collect::<Vec<_>>(), vec!["rij", "kolom", "reden"]);
        for e in &errors {
            let rec = reader.next_into(&mut fields).unwrap();
            prop_assert!(!rec.unterminated);
            prop_assert_eq!(fields.len(), 3);
            prop_assert_eq!(fields[0].as_ref(), e.row.to_string());
            for (cell, original) in fields[1..].iter().zip([&e.column, &e.message]) {
                let neutral = original.starts_with(['=', '+', '-', '@', '\t', '\r']);
                let want = if neutral { format!("'{original}") } else { original.clone() };
                prop_assert_eq!(cell.as_ref(), want.as_str());
            }
        }
        prop_assert!(reader.next_into(&mut fields).is_none());
    }
}
