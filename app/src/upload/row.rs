//! Checking one data row: every cell through its domain parser, every error collected.
//!
//! Invariant: [`check`] returns [`Outcome::Valid`] exactly when it pushed no error for the
//! row; an invalid row still carries its parsed e-mail (when valid) for the duplicate check.

use super::columns::{Col, Layout};
use super::reader::Record;
use super::report::show;
use super::{Context, RowError, ValidRow};
use crate::domain::authorisation::Term;
use crate::domain::person_request::PersonRequest;
use crate::domain::time::CivilDate;
use crate::domain::value::{
    AssuranceLevel, BirthDate, DutchMobile, Email, NameField, NamePart, PersonName, ServiceId, ValueError,
};
use std::borrow::Cow;
use std::collections::HashSet;

/// The context with its lists turned into sets, built once per file.
pub(crate) struct Prepared<'c> {
    pub today: CivilDate,
    pub max_level: AssuranceLevel,
    pub services: Option<HashSet<&'c str>>,
    pub present: HashSet<Cow<'c, str>>,
}

impl<'c> Prepared<'c> {
    pub(crate) fn new(ctx: &'c Context) -> Prepared<'c> {
        let lower = |e: &'c String| -> Cow<'c, str> {
            let t = e.trim();
            if t.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(t.to_ascii_lowercase())
            } else {
                Cow::Borrowed(t)
            }
        };
        Prepared {
            today: ctx.today,
            max_level: ctx.max_level,
            services: ctx
                .known_services
                .as_ref()
                .map(|s| s.iter().map(|s| s.trim()).collect()),
            present: ctx.present_emails.iter().map(lower).collect(),
        }
    }
}

pub(crate) enum Outcome {
    Valid(ValidRow),
    Invalid { row: usize, email: Option<Email> },
}

/// Collects the errors of one row.
struct Errors<'e> {
    row: usize,
    out: &'e mut Vec<RowError>,
    before: usize,
}

impl Errors<'_> {
    fn push(&mut self, col: Option<Col>, message: String) {
        self.out.push(RowError {
            row: self.row,
            column: col.map_or("", Col::name).to_string(),
            message,
        });
    }

    /// The value, or `None` after recording the error under `col`.
    fn take<T>(&mut self, col: Col, r: Result<T, ValueError>) -> Option<T> {
        r.map_err(|e| self.push(Some(col), e.to_string())).ok()
    }

    fn any(&self) -> bool {
        self.out.len() > self.before
    }
}

/// Checks one non-blank data row.
pub(crate) fn check(
    fields: &[Cow<'_, str>],
    rec: Record,
    layout: &Layout,
    sep: u8,
    ctx: &Prepared<'_>,
    out: &mut Vec<RowError>,
) -> Outcome {
    let before = out.len();
    let mut errs = Errors {
        row: rec.row,
        out,
        before,
    };
    let invalid = Outcome::Invalid {
        row: rec.row,
        email: None,
    };
    if rec.unterminated {
        errs.push(
            None,
            "Een aanhalingsteken (\") in deze rij wordt nergens afgesloten, waardoor de rest van het bestand \
             in één veld valt. Sluit het aanhalingsteken of verwijder het."
                .into(),
        );
        return invalid;
    }
    if let Some(message) = shape_error(fields, layout, sep) {
        errs.push(None, message);
        return invalid;
    }
    let cell = |c: Col| -> &str {
        layout.pos[c as usize]
            .and_then(|i| fields.get(i))
            .map_or("", |f| f.as_ref())
    };

    let (given, prefix, surname) = (cell(Col::GivenNames), cell(Col::Prefix), cell(Col::Surname));
    let name = match PersonName::new(given, prefix, surname) {
        Ok(n) => Some(n),
        Err(e) => {
            // Each part on its own, so that every wrong part is reported.
            let known = errs.out.len();
            errs.take(Col::GivenNames, NamePart::parse(NameField::GivenNames, given));
            if !prefix.trim().is_empty() {
                errs.take(Col::Prefix, NamePart::parse(NameField::Prefix, prefix));
            }
            errs.take(Col::Surname, NamePart::parse(NameField::Surname, surname));
            if errs.out.len() == known {
                errs.push(Some(Col::GivenNames), e.to_string());
            }
            None
        }
    };
    let birth_date = errs.take(Col::BirthDate, BirthDate::parse(cell(Col::BirthDate), ctx.today));
    let email = errs.take(Col::Email, Email::parse(cell(Col::Email)));
    let mobile = errs.take(Col::Mobile, DutchMobile::parse(cell(Col::Mobile)));
    let employed = yes_no(cell(Col::Employed))
        .map_err(|m| errs.push(Some(Col::Employed), m))
        .ok();
    let level = match errs.take(Col::Level, parse_level(cell(Col::Level))) {
        Some(l) if l > ctx.max_level => {
            let max = ctx.max_level;
            errs.push(
                Some(Col::Level),
                format!("Niveau {l} is hoger dan uw eigen niveau; u kunt middelen aanvragen tot en met {max}."),
            );
            None
        }
        l => l,
    };
    let services = services(cell(Col::Services), ctx, &mut errs);
    let term_cell = cell(Col::Term);
    let term = if term_cell.trim().is_empty() {
        Some(None)
    } else {
        errs.take(Col::Term, Term::parse(term_cell)).map(Some)
    };

    match (name, birth_date, email, mobile, employed, level, term) {
        (Some(name), Some(birth_date), Some(email), Some(mobile), Some(employed), Some(level), Some(term))
            if !errs.any() =>
        {
            Outcome::Valid(ValidRow {
                row: rec.row,
                person: PersonRequest {
                    name,
                    birth_date,
                    email,
                    mobile,
                    employed,
                    level,
                    services,
                    term,
                },
            })
        }
        (_, _, email, ..) => Outcome::Invalid { row: rec.row, email },
    }
}

/// A whole-row problem with the number of fields, or `None`.
fn shape_error(fields: &[Cow<'_, str>], layout: &Layout, sep: u8) -> Option<String> {
    let hint = || {
        format!(
            "Controleer de scheidingstekens ({}) en de aanhalingstekens in deze rij.",
            sep as char
        )
    };
    let (width, needed) = (layout.named.len(), layout.needed);
    if fields.len() < needed {
        return Some(format!(
            "Deze rij heeft {} velden, maar de kopregel heeft er {needed}. {}",
            fields.len(),
            hint()
        ));
    }
    let stray = fields
        .iter()
        .enumerate()
        .find(|(i, f)| !layout.named.get(*i).copied().unwrap_or(false) && !f.trim().is_empty());
    match stray {
        Some((i, _)) if i >= width => Some(format!(
            "Deze rij heeft {} velden, maar de kopregel heeft er {needed}. {}",
            fields.len(),
            hint()
        )),
        Some((i, _)) => Some(format!(
            "Veld {} van deze rij heeft een waarde, maar die kolom heeft geen naam in de kopregel. {}",
            i + 1,
            hint()
        )),
        None => None,
    }
}

/// Exact names first (the common case, without allocating); the domain parser otherwise,
/// for its lenient spellings and its messages.
fn parse_level(s: &str) -> Result<AssuranceLevel, ValueError> {
    let t = s.trim();
    AssuranceLevel::ALL
        .into_iter()
        .find(|l| l.as_str().eq_ignore_ascii_case(t))
        .map_or_else(|| AssuranceLevel::parse(s), Ok)
}

fn yes_no(s: &str) -> Result<bool, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("ja") {
        Ok(true)
    } else if t.eq_ignore_ascii_case("nee") {
        Ok(false)
    } else if t.is_empty() {
        Err("Vul ja of nee in.".into())
    } else {
        Err(format!("Vul ja of nee in, niet '{}'.", show(t, 30)))
    }
}

/// Errors reported for one `diensten` cell before the rest is summed up in one more.
const MAX_SERVICE_ERRORS: usize = 10;

/// The service ids of a cell, without repeats; an error per bad or unknown id.
fn services(cell: &str, ctx: &Prepared<'_>, errs: &mut Errors<'_>) -> Vec<ServiceId> {
    let mut ids: Vec<ServiceId> = Vec::new();
    // Only for absurdly long cells, so that dropping repeats stays linear.
    let mut seen: Option<HashSet<String>> = None;
    let mut bad = 0usize;
    for part in cell
        .split(|c: char| c == '|' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        let message = match ServiceId::parse(part) {
            Err(e) => format!("Dienstcode '{}': {e}", show(part, 30)),
            Ok(id) if ctx.services.as_ref().is_some_and(|known| !known.contains(id.as_str())) => {
                format!("Onbekende dienst '{id}'; gebruik een dienstcode uit de dienstencatalogus.")
            }
            Ok(id) => {
                let repeat = if ids.len() < 16 {
                    ids.contains(&id)
                } else {
                    let seen = seen.get_or_insert_with(|| ids.iter().map(|i| i.as_str().to_owned()).collect());
                    !seen.insert(id.as_str().to_owned())
                };
                if !repeat {
                    ids.push(id);
                }
                continue;
            }
        };
        bad += 1;
        if bad <= MAX_SERVICE_ERRORS {
            errs.push(Some(Col::Services), message);
        }
    }
    if bad > MAX_SERVICE_ERRORS {
        let more = bad - MAX_SERVICE_ERRORS;
        errs.push(
            Some(Col::Services),
            format!("En nog {more} ongeldige of onbekende dienstcodes in deze cel."),
        );
    }
    ids
}
