//! The downloadable error report and the small text helpers the messages share.
//!
//! Invariants of the report: UTF-8 with BOM, `;`-separated, CRLF, header `rij;kolom;reden`;
//! a cell that a spreadsheet could read as a formula (starting with `=`, `+`, `-`, `@`, a
//! tab or a carriage return) gets a leading `'`; a cell holding `;`, `"` or a line break is
//! quoted with inner quotes doubled.

use super::RowError;
use std::borrow::Cow;

/// The errors as a CSV file for the spreadsheet the manager corrects the upload in.
pub fn error_report_csv(errors: &[RowError]) -> String {
    let mut out = String::with_capacity(32 + errors.len() * 80);
    out.push_str("\u{feff}rij;kolom;reden\r\n");
    for e in errors {
        out.push_str(&e.row.to_string());
        out.push(';');
        push_cell(&mut out, &e.column);
        out.push(';');
        push_cell(&mut out, &e.message);
        out.push_str("\r\n");
    }
    out
}

/// Appends one CSV cell, neutralised and quoted as the module docs say.
pub(crate) fn push_cell(out: &mut String, value: &str) {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = value.contains([';', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    if quote {
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// A user's value for use inside a message: at most `max` characters (then `…`), control
/// characters shown as spaces.
pub(crate) fn show(s: &str, max: usize) -> Cow<'_, str> {
    let long = s.chars().nth(max).is_some();
    if !long && !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out: String = s
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if long {
        out.push('…');
    }
    Cow::Owned(out)
}

/// `50000` → `50.000`, as Dutch readers write numbers.
pub(crate) fn dutch_number(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `12_582_912` bytes → `12,0 MB` (MB of 1024 × 1024 bytes, one decimal, Dutch comma).
pub(crate) fn dutch_megabytes(bytes: usize) -> String {
    let tenths = (bytes as u128 * 10 + 524_288) / 1_048_576;
    format!("{},{} MB", dutch_number((tenths / 10) as usize), tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(row: usize, column: &str, message: &str) -> RowError {
        RowError {
            row,
            column: column.into(),
            message: message.into(),
        }
    }

    #[test]
    fn writes_a_neutralised_quoted_report() {
        let csv = error_report_csv(&[
            err(2, "email", "Het e-mailadres mist een @."),
            err(1, "=HYPERLINK(\"x\")", "Onbekende kolom; echt"),
            err(3, "", "-1 veld"),
            err(4, "@x", "\tweg"),
        ]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "\u{feff}rij;kolom;reden");
        assert_eq!(lines[1], "2;email;Het e-mailadres mist een @.");
        assert_eq!(lines[2], "1;\"'=HYPERLINK(\"\"x\"\")\";\"Onbekende kolom; echt\"");
        assert_eq!(lines[3], "3;;'-1 veld");
        assert_eq!(lines[4], "4;'@x;'\tweg");
        assert_eq!(lines[5], "");
        assert_eq!(lines.len(), 6);
    }

    #[test]
    fn carriage_returns_are_neutralised_and_quoted() {
        let mut out = String::new();
        push_cell(&mut out, "\r=1+1");
        assert_eq!(out, "\"'\r=1+1\"");
    }

    #[test]
    fn shows_values_briefly() {
        assert_eq!(show("abc", 5), "abc");
        assert_eq!(show("abcdef", 5), "abcde…");
        assert_eq!(show("a\nb", 5), "a b");
        assert_eq!(show("ééééé", 5), "ééééé");
    }

    #[test]
    fn formats_numbers_the_dutch_way() {
        assert_eq!(dutch_number(0), "0");
        assert_eq!(dutch_number(999), "999");
        assert_eq!(dutch_number(50_000), "50.000");
        assert_eq!(dutch_number(1_234_567), "1.234.567");
        assert_eq!(dutch_megabytes(10 * 1024 * 1024), "10,0 MB");
        assert_eq!(dutch_megabytes(12_000_000), "11,4 MB");
    }
}
