//! [`validate`]: from the bytes of an upload to a [`Report`], in one pass over the file
//! plus one over the rows for duplicate e-mail addresses. Valid rows go straight into
//! `Report::new` (and move to `present` only when the context names present people).
//!
//! Invariants of the report: a file error leaves `new`, `present` and `errors` empty
//! (except header errors found before it); `new.len() + present.len() + invalid_rows ==
//! rows` whenever there is no file error; errors are sorted by row, then column order.

use super::columns::{resolve_header, Col, COLUMNS};
use super::reader::{detect_separator, is_blank, Reader};
use super::report::{dutch_megabytes, dutch_number};
use super::row::{check, Outcome, Prepared};
use super::{Context, Limits, Report, RowError, ValidRow};
use crate::domain::value::Email;
use std::collections::hash_map::{Entry, HashMap};

/// Validates an upload against the default [`Limits`].
pub fn validate(bytes: &[u8], ctx: &Context) -> Report {
    validate_with_limits(bytes, ctx, Limits::default())
}

/// Validates an upload against the given limits (benchmarks use more than an upload may).
pub fn validate_with_limits(bytes: &[u8], ctx: &Context, limits: Limits) -> Report {
    let mut report = Report {
        rows: 0,
        new: Vec::new(),
        present: Vec::new(),
        errors: Vec::new(),
        invalid_rows: 0,
        file_error: None,
    };
    let fail = |mut report: Report, message: String| {
        report.file_error = Some(message);
        report
    };
    if bytes.len() > limits.bytes {
        let message = format!(
            "Het bestand is {} ({} bytes); het maximum is {} ({} bytes). Splits het bestand in kleinere delen.",
            dutch_megabytes(bytes.len()),
            dutch_number(bytes.len()),
            dutch_megabytes(limits.bytes),
            dutch_number(limits.bytes)
        );
        return fail(report, message);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let src = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            let message = format!(
                "Het bestand is geen UTF-8-tekst (regel {line} bevat een teken dat niet te lezen is). \
                 Sla het in Excel op als 'CSV UTF-8 (door komma's gescheiden)'."
            );
            return fail(report, message);
        }
    };

    let sep = detect_separator(src);
    let mut reader = Reader::new(src, sep);
    let mut fields = Vec::with_capacity(COLUMNS.len() + 2);
    let header = loop {
        match reader.next_into(&mut fields) {
            None => {
                let message = "Het bestand is leeg. De eerste regel moet de kolomnamen bevatten; \
                               download het sjabloon voor een voorbeeld."
                    .to_string();
                return fail(report, message);
            }
            Some(rec) if !rec.unterminated && is_blank(&fields) => continue,
            Some(rec) => break rec,
        }
    };
    if header.unterminated {
        let message = "In de kopregel wordt een aanhalingsteken (\") nergens afgesloten.".to_string();
        return fail(report, message);
    }
    let layout = match resolve_header(&fields, header.row) {
        Ok((layout, header_errors)) => {
            report.errors = header_errors;
            Some(layout)
        }
        Err(message) => {
            report.file_error = Some(message);
            None
        }
    };

    let prepared = Prepared::new(ctx);
    // One record per line is the common case; reserving up front spares the reallocations.
    if layout.is_some() {
        let lines = src.as_bytes().iter().filter(|&&b| b == b'\n').count();
        report.new.reserve_exact(lines.min(limits.rows));
    }
    let mut invalid: Vec<(usize, Option<Email>)> = Vec::new();
    while let Some(rec) = reader.next_into(&mut fields) {
        if !rec.unterminated && is_blank(&fields) {
            continue;
        }
        report.rows += 1;
        if let Some(layout) = layout.as_ref().filter(|_| report.rows <= limits.rows) {
            match check(&fields, rec, layout, sep, &prepared, &mut report.errors) {
                Outcome::Valid(v) => report.new.push(v),
                Outcome::Invalid { row, email } => invalid.push((row, email)),
            }
        }
    }
    if report.file_error.is_some() {
        report.new = Vec::new();
        return report;
    }
    if report.rows > limits.rows {
        report.errors.retain(|e| e.row <= header.row);
        report.new = Vec::new();
        let message = format!(
            "Het bestand bevat {} rijen; het maximum is {} rijen per keer. Splits het bestand in kleinere delen.",
            dutch_number(report.rows),
            dutch_number(limits.rows)
        );
        return fail(report, message);
    }

    let repeated = mark_duplicates(&report.new, &invalid, &mut report.errors);
    report.invalid_rows = invalid.len() + repeated.len();
    if !repeated.is_empty() {
        let mut next = repeated.iter().copied().peekable();
        let mut index = 0;
        report.new.retain(|_| {
            let drop = next.next_if_eq(&index).is_some();
            index += 1;
            !drop
        });
    }
    if !prepared.present.is_empty() {
        report.present = report
            .new
            .extract_if(.., |v| prepared.present.contains(v.person.email.as_str()))
            .collect();
    }
    report
}

/// A row seen by the duplicate check: its number, and its index in `new` when valid.
type Seen = (usize, Option<usize>);

/// Applies the duplicate rule of the module docs to the valid rows (`new`) and the invalid
/// ones, both in file order: every row of a repeated address gets an error. Returns the
/// indices in `new` (ascending) of the rows that thereby become invalid.
fn mark_duplicates(new: &[ValidRow], invalid: &[(usize, Option<Email>)], errors: &mut Vec<RowError>) -> Vec<usize> {
    let mut pairs: Vec<(Seen, Seen)> = Vec::new();
    let mut first: HashMap<&str, Seen> = HashMap::with_capacity(new.len() + invalid.len());
    let (mut i, mut j) = (0, 0);
    // Walk both lists in row order, so the first occurrence is the one highest in the file.
    loop {
        let take_new = match (new.get(i), invalid.get(j)) {
            (None, None) => break,
            (Some(v), Some((row, _))) => v.row < *row,
            (v, _) => v.is_some(),
        };
        let (seen, email) = if take_new {
            i += 1;
            ((new[i - 1].row, Some(i - 1)), Some(new[i - 1].person.email.as_str()))
        } else {
            j += 1;
            ((invalid[j - 1].0, None), invalid[j - 1].1.as_ref().map(Email::as_str))
        };
        if let Some(email) = email {
            match first.entry(email) {
                Entry::Occupied(f) => pairs.push((*f.get(), seen)),
                Entry::Vacant(slot) => {
                    slot.insert(seen);
                }
            }
        }
    }
    if pairs.is_empty() {
        return Vec::new();
    }
    let column = Col::Email.name();
    let error = |row: usize, message: String| RowError {
        row,
        column: column.to_string(),
        message,
    };
    for &((first_row, _), (row, _)) in &pairs {
        errors.push(error(row, format!("Het e-mailadres komt ook voor in rij {first_row}.")));
    }
    pairs.sort_unstable();
    for group in pairs.chunk_by(|a, b| a.0 == b.0) {
        let rows: Vec<usize> = group.iter().map(|&(_, (row, _))| row).collect();
        errors.push(error(
            group[0].0 .0,
            format!("Het e-mailadres komt ook voor in {}.", row_list(&rows)),
        ));
    }
    let order = |c: &str| COLUMNS.iter().position(|k| k.name == c).map_or(usize::MAX, |p| p + 1);
    errors.sort_by_key(|e| (e.row, if e.column.is_empty() { 0 } else { order(&e.column) }));
    let mut repeated: Vec<usize> = pairs.iter().flat_map(|&(f, l)| [f.1, l.1]).flatten().collect();
    repeated.sort_unstable();
    repeated.dedup();
    repeated
}
/// "rij 7", "rij 7 en 9", "rij 7, 9 en 12", and past ten rows "… en nog 40 andere rijen".
fn row_list(rows: &[usize]) -> String {
    const SHOWN: usize = 10;
    let shown: Vec<String> = rows.iter().take(SHOWN).map(usize::to_string).collect();
    if rows.len() > SHOWN {
        return format!(
            "rij {} en nog {} andere rijen",
            shown.join(", "),
            dutch_number(rows.len() - SHOWN)
        );
    }
    match shown.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("rij {} en {last}", rest.join(", ")),
        _ => format!("rij {}", shown.join("")),
    }
}
