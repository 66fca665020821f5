//! `server validate-csv FILE [--json] [--level EH3]`: the upload validator of the web page
//! (`app::upload::validate`, same rules, same messages) for HR staff who prepare files in
//! scripts. No database: nobody counts as already present.
//!
//! Output: one `rij N, kolom X: reden` line per error (`rij N: reden` for a whole row,
//! `bestand: reden` for the file) and a summary line; with `--json` the
//! `app::upload::Summary` as one line of JSON instead. Exit status: 0 when every row is
//! valid, 1 when the file or a row has an error, 2 when the file cannot be read or an
//! argument is wrong.

use app::domain::time::{date_amsterdam, CivilDate};
use app::domain::value::AssuranceLevel;
use app::upload::{validate, Context, Summary};
use std::io::Write;
use std::path::Path;

/// Runs the command and returns its exit status.
pub fn run(file: &Path, json: bool, level: &str) -> i32 {
    let max_level = match AssuranceLevel::parse(level) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("validate-csv: --level {level}: {e}");
            return 2;
        }
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("validate-csv: {} kan niet worden gelezen: {e}", file.display());
            return 2;
        }
    };
    let ctx = Context {
        today: today(),
        max_level,
        known_services: None,
        present_emails: Vec::new(),
    };
    let summary = validate(&bytes, &ctx).summary();
    let text = if json {
        let mut line = serde_json::to_string(&summary).unwrap_or_default();
        line.push('\n');
        line
    } else {
        human(&summary)
    };
    // A closed pipe (`| head`) is not an error of the file.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    exit_status(&summary)
}

/// 0 when the batch could be sent as it is, 1 otherwise.
pub fn exit_status(summary: &Summary) -> i32 {
    i32::from(!summary.is_clean())
}

/// The report for people: the errors, then the summary line.
pub fn human(s: &Summary) -> String {
    let mut out = String::with_capacity(64 + s.errors.len() * 90);
    if let Some(e) = &s.file_error {
        out.push_str(&format!("bestand: {e}\n"));
    }
    for e in &s.errors {
        let line = if e.column.is_empty() {
            format!("rij {}: {}\n", e.row, e.message)
        } else {
            format!("rij {}, kolom {}: {}\n", e.row, e.column, e.message)
        };
        out.push_str(&line);
    }
    let fouten = if s.errors.len() == 1 { "fout" } else { "fouten" };
    let rijen = if s.rows == 1 { "rij" } else { "rijen" };
    out.push_str(&format!(
        "Samenvatting: {} {rijen}: {} nieuw, {} al aanwezig, {} ongeldig ({} {fouten}){}.\n",
        s.rows,
        s.new,
        s.present,
        s.invalid,
        s.errors.len(),
        if s.file_error.is_some() {
            "; het bestand is niet gelezen"
        } else {
            ""
        }
    ));
    out
}

/// Today's date in Amsterdam, by the system clock.
fn today() -> CivilDate {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    date_amsterdam(ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::upload::RowError;

    fn summary(errors: Vec<RowError>, file_error: Option<String>) -> Summary {
        Summary {
            rows: 3,
            new: 1,
            present: 0,
            invalid: 2,
            errors,
            file_error,
        }
    }

    #[test]
    fn prints_row_column_and_reason() {
        let e = |row, column: &str| RowError {
            row,
            column: column.into(),
            message: "Reden.".into(),
        };
        let s = summary(vec![e(2, "email"), e(4, "")], None);
        assert_eq!(
            human(&s),
            "rij 2, kolom email: Reden.\nrij 4: Reden.\n\
             Samenvatting: 3 rijen: 1 nieuw, 0 al aanwezig, 2 ongeldig (2 fouten).\n"
        );
        assert_eq!(exit_status(&s), 1);
        let s = summary(vec![], Some("Te groot.".into()));
        assert!(human(&s).starts_with("bestand: Te groot.\nSamenvatting"));
        assert_eq!(exit_status(&summary(vec![], None)), 0);
    }
}
