//! What crosses between the page and the CSV worker, as pure code that also runs (and is
//! tested) natively: the packed [`Summary`] ([`pack_summary`], [`unpack_summary`]), the
//! worker's entry ([`summarise`], with limits scaled to a raised row limit), and the page's
//! texts for a file that is too large or not UTF-8. `browser` (the page) and the
//! `frontend` crate (the worker's exports) are thin wrappers around this.

use super::report::dutch_number;
use super::{Context, Limits, RowError, Summary, MAX_BYTES, MAX_ROWS};
use std::collections::HashMap;

/// The worker's work: validates `bytes` against the page's serialised [`Context`]; when that
/// does not parse, the summary carries a `file_error`. `max_rows` is the row limit
/// (normally [`MAX_ROWS`]; the benchmark raises it).
pub fn summarise(bytes: &[u8], context_json: &str, max_rows: usize) -> Summary {
    match serde_json::from_str::<Context>(context_json) {
        Ok(ctx) => super::validate_with_limits(bytes, &ctx, limits_for(max_rows)).summary(),
        Err(err) => context_error(&err),
    }
}

/// The byte limit grows with the row limit in proportion, so a raised row limit is not
/// undone by [`MAX_BYTES`]; it never falls below `MAX_BYTES`.
fn limits_for(max_rows: usize) -> Limits {
    let scaled = (MAX_BYTES as u128 * max_rows as u128).div_ceil(MAX_ROWS as u128);
    Limits {
        rows: max_rows,
        bytes: usize::try_from(scaled).unwrap_or(usize::MAX).max(MAX_BYTES),
    }
}

fn context_error(err: &serde_json::Error) -> Summary {
    Summary {
        rows: 0,
        new: 0,
        present: 0,
        invalid: 0,
        errors: Vec::new(),
        file_error: Some(format!(
            "De controle kreeg ongeldige gegevens van de pagina ({err}). Vernieuw de pagina."
        )),
    }
}

/// "Het bestand is 12,3 MB; het maximum is 10 MB." (MB here are MiB, as the limit is.)
/// Rounded to a tenth, but never down to the limit: 10 MiB + 1 byte reads "10,1 MB".
pub fn too_large_message(size: f64) -> String {
    const MIB: u64 = 1024 * 1024;
    let limit_tenths = MAX_BYTES as u64 * 10 / MIB;
    let tenths = ((size.max(0.0) as u64).saturating_mul(10) + MIB / 2) / MIB;
    let tenths = tenths.max(limit_tenths + 1);
    let max = if limit_tenths.is_multiple_of(10) {
        dutch_number((limit_tenths / 10) as usize)
    } else {
        format!("{},{}", limit_tenths / 10, limit_tenths % 10)
    };
    format!(
        "Het bestand is {},{} MB; het maximum is {max} MB.",
        dutch_number((tenths / 10) as usize),
        tenths % 10
    )
}

pub fn utf8_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

/// Marks the packed format; the number changes with the layout.
const PACKED_MAGIC: &[u8; 4] = b"CSV1";

/// The [`Summary`] in the binary form the worker sends (`validate_csv_packed`): decoding it
/// is copying, not parsing. All numbers are little-endian `u32`:
/// `"CSV1"`, rows, new, present, invalid, file_error (a string index, or `u32::MAX` for
/// none), the string count, each string as its byte length and UTF-8 bytes, the error count,
/// and each error as row, column (string index), message (string index). Every distinct
/// column and message is stored once (most errors repeat a handful of texts).
pub fn pack_summary(summary: &Summary) -> Vec<u8> {
    let mut strings = Strings::default();
    let file_error = summary.file_error.as_deref().map_or(u32::MAX, |e| strings.index(e));
    let errors: Vec<[u32; 3]> = summary
        .errors
        .iter()
        .map(|e| [to_u32(e.row), strings.index(&e.column), strings.index(&e.message)])
        .collect();
    let strings = strings.list;

    let text: usize = strings.iter().map(|s| s.len() + 4).sum();
    let mut out = Vec::with_capacity(36 + text + errors.len() * 12);
    out.extend_from_slice(PACKED_MAGIC);
    let counts = [summary.rows, summary.new, summary.present, summary.invalid];
    for n in counts {
        out.extend_from_slice(&to_u32(n).to_le_bytes());
    }
    out.extend_from_slice(&file_error.to_le_bytes());
    out.extend_from_slice(&to_u32(strings.len()).to_le_bytes());
    for s in &strings {
        out.extend_from_slice(&to_u32(s.len()).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    out.extend_from_slice(&to_u32(errors.len()).to_le_bytes());
    for e in errors.iter().flatten() {
        out.extend_from_slice(&e.to_le_bytes());
    }
    out
}

/// Reads what [`pack_summary`] wrote; `None` for anything else.
pub fn unpack_summary(bytes: &[u8]) -> Option<Summary> {
    let mut r = Reader(bytes);
    if r.take(4)? != PACKED_MAGIC {
        return None;
    }
    let [rows, new, present, invalid] = [r.usize()?, r.usize()?, r.usize()?, r.usize()?];
    let file_error = r.u32()?;
    let count = r.usize()?;
    let mut strings = Vec::with_capacity(count.min(bytes.len() / 4));
    for _ in 0..count {
        let len = r.usize()?;
        strings.push(std::str::from_utf8(r.take(len)?).ok()?.to_owned());
    }
    let string = |i: u32| strings.get(i as usize).cloned();
    let count = r.usize()?;
    let mut errors = Vec::with_capacity(count.min(bytes.len() / 12));
    for _ in 0..count {
        let (row, column, message) = (r.usize()?, r.u32()?, r.u32()?);
        errors.push(RowError {
            row,
            column: string(column)?,
            message: string(message)?,
        });
    }
    let file_error = if file_error == u32::MAX {
        None
    } else {
        Some(string(file_error)?)
    };
    r.0.is_empty().then_some(Summary {
        rows,
        new,
        present,
        invalid,
        errors,
        file_error,
    })
}

/// Distinct strings in order of first use.
#[derive(Default)]
struct Strings<'a> {
    list: Vec<&'a str>,
    index: HashMap<&'a str, u32>,
}

impl<'a> Strings<'a> {
    fn index(&mut self, s: &'a str) -> u32 {
        *self.index.entry(s).or_insert_with(|| {
            self.list.push(s);
            to_u32(self.list.len() - 1)
        })
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn usize(&mut self) -> Option<usize> {
        self.u32().map(|n| n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_names_both_sizes_in_dutch() {
        assert_eq!(
            too_large_message(12_897_485.0),
            "Het bestand is 12,3 MB; het maximum is 10 MB."
        );
        assert_eq!(
            too_large_message(2_147_483_648.0),
            "Het bestand is 2.048,0 MB; het maximum is 10 MB."
        );
    }

    #[test]
    fn just_over_the_limit_never_reads_as_the_limit() {
        let size = MAX_BYTES as f64 + 1.0;
        assert_eq!(too_large_message(size), "Het bestand is 10,1 MB; het maximum is 10 MB.");
    }

    fn error(row: usize, column: &str, message: &str) -> RowError {
        RowError {
            row,
            column: column.into(),
            message: message.into(),
        }
    }

    #[test]
    fn packed_summaries_round_trip() {
        let summary = Summary {
            rows: 70_000,
            new: 3,
            present: 1,
            invalid: 2,
            errors: vec![
                error(1, "dienst", "Onbekende kolom 'dienst'."),
                error(2, "email", "Het e-mailadres mist een @."),
                error(3, "email", "Het e-mailadres mist een @."),
                error(3, "", "Rij 3 heeft 4 velden; de kopregel heeft er 8."),
                error(4, "voornamen", "Zoë ‘t — emoji 🙂"),
            ],
            file_error: None,
        };
        let packed = pack_summary(&summary);
        assert_eq!(unpack_summary(&packed), Some(summary.clone()));
        // Repeated texts are stored once.
        assert_eq!(packed.windows(5).filter(|w| w == b"email").count(), 1);

        let failed = Summary {
            errors: Vec::new(),
            file_error: Some("Het bestand is geen UTF-8.".into()),
            ..summary
        };
        assert_eq!(unpack_summary(&pack_summary(&failed)), Some(failed));
    }

    #[test]
    fn damaged_packed_summaries_are_refused() {
        let packed = pack_summary(&Summary {
            rows: 1,
            new: 0,
            present: 0,
            invalid: 1,
            errors: vec![error(2, "email", "Ongeldig.")],
            file_error: None,
        });
        for len in 0..packed.len() {
            assert_eq!(unpack_summary(&packed[..len]), None, "truncated to {len} bytes");
        }
        let mut longer = packed.clone();
        longer.push(0);
        assert_eq!(unpack_summary(&longer), None);
        let mut bad_index = packed.clone();
        let at = bad_index.len() - 4;
        bad_index[at..].copy_from_slice(&7u32.to_le_bytes());
        assert_eq!(unpack_summary(&bad_index), None);
        assert_eq!(unpack_summary(b"JSON{}"), None);
    }

    #[test]
    fn default_limits_are_the_product_limits() {
        let limits = limits_for(MAX_ROWS);
        assert_eq!((limits.rows, limits.bytes), (MAX_ROWS, MAX_BYTES));
    }

    #[test]
    fn a_raised_row_limit_raises_the_byte_limit() {
        let limits = limits_for(2 * MAX_ROWS);
        assert_eq!(limits.bytes, 2 * MAX_BYTES);
        assert_eq!(limits_for(10).bytes, MAX_BYTES);
    }

    #[test]
    fn a_bad_context_answers_with_a_file_error() {
        let summary = summarise(b"voornamen\n", "{not json", 10);
        assert!(summary
            .file_error
            .as_deref()
            .is_some_and(|m| m.contains("ongeldige gegevens")));
        assert_eq!(summary.rows, 0);
        let packed = unpack_summary(&pack_summary(&summarise(b"", "[]", 10))).unwrap();
        assert!(packed.file_error.is_some_and(|m| m.contains("ongeldige gegevens")));
    }

    #[test]
    fn invalid_utf8_is_replaced_not_dropped() {
        assert_eq!(utf8_text(b"a\xffb".to_vec()), "a\u{fffd}b");
        assert_eq!(utf8_text("één".as_bytes().to_vec()), "één");
    }
}
