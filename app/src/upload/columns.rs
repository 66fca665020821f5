//! The column definition of the upload ([`COLUMNS`]), the template generated from it, and
//! the mapping of a file's header onto it ([`Layout`]).
//!
//! Invariant: `COLUMNS[Col::X as usize]` is column X; a unit test holds the two in step.

use super::report::{push_cell, show};
use super::RowError;
use crate::domain::person_request::Field;
use std::borrow::Cow;

/// One column of the upload format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The header name (lower case).
    pub name: &'static str,
    /// Whether the header must contain the column (a required column's cell may still be
    /// empty where the column allows it, as `tussenvoegsel` does).
    pub required: bool,
    /// What to fill in, in Dutch, for the help text.
    pub description: &'static str,
    /// A valid example value; the template's example row.
    pub example: &'static str,
}

/// Every column, in template order.
pub const COLUMNS: &[Column] = &[
    col(
        Field::GivenNames.column(),
        true,
        "Voornamen, zoals in het identiteitsbewijs.",
        "Jan Pieter",
    ),
    col(
        Field::Prefix.column(),
        true,
        "Tussenvoegsel, zoals van der of de; leeg als er geen is.",
        "van der",
    ),
    col(
        Field::Surname.column(),
        true,
        "Achternaam zonder tussenvoegsel.",
        "Berg",
    ),
    col(
        Field::BirthDate.column(),
        true,
        "Geboortedatum als dd-mm-jjjj.",
        "05-03-1980",
    ),
    col(
        Field::Email.column(),
        true,
        "Zakelijk e-mailadres; hierheen gaat de activeringslink. Elk adres één keer per bestand.",
        "jan.vanderberg@voorbeeld.nl",
    ),
    col(
        Field::Mobile.column(),
        true,
        "Nederlands mobiel nummer voor de sms-code: 06… of +316….",
        "06 12345678",
    ),
    col(
        Field::Employed.column(),
        true,
        "ja als de persoon in loondienst is van de organisatie, anders nee.",
        "ja",
    ),
    col(
        Field::Level.column(),
        true,
        "Betrouwbaarheidsniveau van het middel: EH2, EH2+, EH3 of EH4, ten hoogste uw eigen niveau.",
        "EH3",
    ),
    col(
        "diensten",
        false,
        "Optioneel: dienstcodes om meteen te machtigen, gescheiden door | (een spatie mag ook).",
        "bd-omzetbelasting|uwv-werkgeversportaal",
    ),
    col(
        "looptijd",
        false,
        "Optioneel: looptijd van de machtigingen in jaren: 1, 3 of 5.",
        "3",
    ),
];

const fn col(name: &'static str, required: bool, description: &'static str, example: &'static str) -> Column {
    Column {
        name,
        required,
        description,
        example,
    }
}

/// Index of a column in [`COLUMNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    GivenNames,
    Prefix,
    Surname,
    BirthDate,
    Email,
    Mobile,
    Employed,
    Level,
    Services,
    Term,
}

impl Col {
    pub(crate) fn name(self) -> &'static str {
        COLUMNS[self as usize].name
    }
}

/// The downloadable template: UTF-8 with BOM, `;`-separated, CRLF, the header and one
/// example row.
pub fn template_csv() -> String {
    let mut out = String::from("\u{feff}");
    for (i, c) in COLUMNS.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(c.name);
    }
    out.push_str("\r\n");
    for (i, c) in COLUMNS.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        push_cell(&mut out, c.example);
    }
    out.push_str("\r\n");
    out
}

/// Where each known column sits in a file, and which field positions carry no column.
#[derive(Debug)]
pub(crate) struct Layout {
    /// Field index of each of [`COLUMNS`], when present.
    pub pos: [Option<usize>; COLUMNS.len()],
    /// Per header field: whether it has a name (known or unknown).
    pub named: Vec<bool>,
    /// Fields a row needs: up to and including the last named header cell.
    pub needed: usize,
}

/// Unknown columns named one by one before the rest is summed up in one more error.
const MAX_UNKNOWN: usize = 10;

/// `in loondienst`, ` In-Loondienst ` → `in_loondienst`.
fn normalise(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Maps the header fields onto [`COLUMNS`]. `Err` is a file error; the errors returned
/// with the layout are header-row errors (unknown columns).
pub(crate) fn resolve_header(fields: &[Cow<'_, str>], row: usize) -> Result<(Layout, Vec<RowError>), String> {
    let mut pos = [None; COLUMNS.len()];
    let mut named = Vec::with_capacity(fields.len());
    let mut unknown = Vec::new();
    let mut extra_unknown = 0usize;
    for (i, field) in fields.iter().enumerate() {
        let name = normalise(field);
        named.push(!name.is_empty());
        if name.is_empty() {
            continue;
        }
        match COLUMNS.iter().position(|c| c.name == name) {
            Some(c) if pos[c].is_some() => {
                return Err(format!(
                    "De kolom {} staat twee keer in de kopregel; laat er één over.",
                    COLUMNS[c].name
                ))
            }
            Some(c) => pos[c] = Some(i),
            None if unknown.len() >= MAX_UNKNOWN => extra_unknown += 1,
            None => unknown.push(RowError {
                row,
                column: show(field.trim(), 60).into_owned(),
                message: format!(
                    "Onbekende kolom {}; deze kolom wordt niet gelezen. Verbeter de naam of verwijder de kolom. \
                     Bekende kolommen: {}.",
                    quoted(field.trim()),
                    names(COLUMNS.iter())
                ),
            }),
        }
    }
    let missing: Vec<&Column> = COLUMNS
        .iter()
        .zip(pos)
        .filter(|(c, p)| c.required && p.is_none())
        .map(|(c, _)| c)
        .collect();
    if !missing.is_empty() {
        let noun = if missing.len() == 1 {
            "de verplichte kolom"
        } else {
            "de verplichte kolommen"
        };
        return Err(format!(
            "De kopregel mist {noun} {}. De eerste regel van het bestand moet de kolomnamen bevatten: {}.",
            names(missing.into_iter()),
            COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>().join(";")
        ));
    }
    if extra_unknown > 0 {
        unknown.push(RowError {
            row,
            column: String::new(),
            message: format!("En nog {extra_unknown} onbekende kolommen; ook die worden niet gelezen."),
        });
    }
    let needed = named.iter().rposition(|n| *n).map_or(0, |i| i + 1);
    Ok((Layout { pos, named, needed }, unknown))
}

fn quoted(s: &str) -> String {
    format!("'{}'", show(s, 60))
}

/// "a, b en c".
fn names<'c>(cols: impl Iterator<Item = &'c Column>) -> String {
    let names: Vec<&str> = cols.map(|c| c.name).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} en {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
    }
}
