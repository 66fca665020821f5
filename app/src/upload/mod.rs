//! The CSV upload of Beheer → Gebruikers: column definition, template, validation and the
//! error report. Pure code that runs in the browser (WASM) before anything is sent, on the
//! server (which never trusts the browser), and in the `validate-csv` command.
//!
//! Owned here: [`COLUMNS`] (the one definition that drives the parser, the template and
//! the documentation), [`validate`] and its [`Report`], [`error_report_csv`] and
//! [`template_csv`], and a commit's [`UploadOutcome`]. Every value is parsed by the domain parsers, so a [`ValidRow`] holds
//! only valid domain values.
//!
//! The format and its rules:
//! - UTF-8, a BOM is accepted; at most [`MAX_BYTES`] bytes and [`MAX_ROWS`] data rows
//!   (beyond either: a file error naming the numbers, and no rows are validated).
//! - The first non-blank row is the header. The separator, `;` or `,`, is the one that
//!   occurs most often outside quotes in that header (a tie or neither: `;`).
//! - Header names are trimmed and case-insensitive; spaces and hyphens count as `_`
//!   (`In loondienst` = `in_loondienst`). A missing required column, or a column that
//!   occurs twice, is a file error. An unknown column is one error on the header row naming
//!   it (so a typo such as `dienst` can never silently drop data); its cells are not read
//!   and the other rows are still validated. Empty header cells are ignored.
//! - Fields may be quoted (`"…"`, a quote inside doubled: `""`); quoted fields may hold the
//!   separator and line breaks. Lines end in LF, CRLF or CR.
//! - Blank rows (nothing, or only separators and spaces) are skipped.
//! - Row numbers are what a spreadsheet shows: the header is row 1 and every line break
//!   outside quotes starts a new row, blank rows included (a line break inside a quoted
//!   field does not).
//! - A row with fewer fields than the header, or with a value beyond the header or under an
//!   empty header cell, gets one whole-row error (column `""`) and its cells are not checked
//!   (they are most likely shifted). Extra trailing empty fields are fine.
//! - Otherwise every cell is checked and every error of the row is reported.
//! - `diensten`: service ids separated by `|` (spaces also separate); repeats are dropped.
//!   `looptijd` empty means no term is given (the default applies when the batch is stored).
//! - Duplicate e-mail addresses (compared after parsing, so case-insensitively): when an
//!   address occurs in rows r1 < r2 < …, row r1 gets an error naming r2, … and every later
//!   row gets an error naming r1. All of these rows are invalid: the manager decides which
//!   one is right. Rows with other errors take part too, as long as their e-mail is valid.
//! - A valid row whose e-mail is in [`Context::present_emails`] is "already present", not an
//!   error; a level above [`Context::max_level`] is an error naming that cap.

#[cfg(feature = "hydrate")]
pub mod browser;
mod columns;
mod reader;
mod report;
mod row;
pub mod sample;
pub mod transfer;
mod validate;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

use crate::domain::person_request::PersonRequest;
use crate::domain::time::CivilDate;
use crate::domain::value::AssuranceLevel;
use serde::{Deserialize, Serialize};

pub use columns::{template_csv, Column, COLUMNS};
pub use report::error_report_csv;
pub use validate::{validate, validate_with_limits};

/// The most data rows (header not counted) one upload may hold.
pub const MAX_ROWS: usize = 50_000;
/// The largest upload, in bytes (10 MiB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Size limits for [`validate_with_limits`]; the default is [`MAX_ROWS`] and [`MAX_BYTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub rows: usize,
    pub bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            rows: MAX_ROWS,
            bytes: MAX_BYTES,
        }
    }
}

/// What validation needs to know beyond the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// The Amsterdam date of today, for birth dates.
    pub today: CivilDate,
    /// The manager's own level: no row may ask for more.
    pub max_level: AssuranceLevel,
    /// The service ids of the catalogue; `None` = do not check them against a catalogue.
    pub known_services: Option<Vec<String>>,
    /// E-mail addresses (lower case) of people who already hold a live means in this
    /// organisation; their rows are "already present".
    pub present_emails: Vec<String>,
}

/// One problem, with the row as a spreadsheet shows it (header = 1) and the column's header
/// name (`""` for the whole row or the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// A row whose every cell is valid: the same request the hand form produces, and where it
/// stands in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidRow {
    pub row: usize,
    pub person: PersonRequest,
}

/// The outcome of validating one file. `new` and `present` are in file order; `errors` is
/// sorted by row, then by column order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Data rows in the file (blank rows and the header not counted).
    pub rows: usize,
    pub new: Vec<ValidRow>,
    pub present: Vec<ValidRow>,
    pub errors: Vec<RowError>,
    /// Data rows with at least one error.
    pub invalid_rows: usize,
    /// A problem with the whole file (size, encoding, header); then no row is valid.
    pub file_error: Option<String>,
}

/// The counts and errors of a [`Report`] without the row payloads: what a browser shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub rows: usize,
    pub new: usize,
    pub present: usize,
    pub invalid: usize,
    pub errors: Vec<RowError>,
    pub file_error: Option<String>,
}

impl Report {
    /// No file error and no error on any row (including the header): the batch may be sent.
    pub fn is_clean(&self) -> bool {
        self.file_error.is_none() && self.errors.is_empty()
    }

    pub fn summary(&self) -> Summary {
        Summary {
            rows: self.rows,
            new: self.new.len(),
            present: self.present.len(),
            invalid: self.invalid_rows,
            errors: self.errors.clone(),
            file_error: self.file_error.clone(),
        }
    }
}

impl Summary {
    /// Same rule as [`Report::is_clean`].
    pub fn is_clean(&self) -> bool {
        self.file_error.is_none() && self.errors.is_empty()
    }
}

/// What a commit did. Lives beside [`Summary`] (which it carries) rather than in
/// `contract`, which depends on the domain only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadOutcome {
    pub created: usize,
    pub present: usize,
    /// When this very file was stored before (Amsterdam time): nothing new was created.
    pub already_uploaded_at: Option<String>,
    /// The server's own findings when the file is not clean: nothing was stored.
    pub rejected: Option<Summary>,
}
