//! CSV export for spreadsheet programs: `;`-separated, UTF-8 with a byte-order mark, CRLF
//! line ends, every cell quoted when it must be.
//!
//! Formula injection: a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
//! return would be run as a formula by Excel or LibreOffice. [`neutralise`] puts a single
//! quote in front of such a cell, so it is shown as the text it is.

/// The byte-order mark that makes spreadsheet programs read the file as UTF-8.
pub const BOM: &str = "\u{feff}";

/// Characters that make a spreadsheet program treat a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as text that a spreadsheet shows literally.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some(c) if FORMULA_START.contains(&c) => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// One cell: neutralised, then quoted (doubling quotes) when it holds `;`, `"`, or a line break.
pub fn cell(value: &str) -> String {
    let v = neutralise(value);
    if v.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// Builds a whole document: the BOM, then one line per row.
#[derive(Debug, Clone)]
pub struct CsvWriter {
    out: String,
}

impl Default for CsvWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvWriter {
    pub fn new() -> CsvWriter {
        CsvWriter { out: BOM.to_string() }
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Self {
        for (i, c) in cells.into_iter().enumerate() {
            if i > 0 {
                self.out.push(';');
            }
            self.out.push_str(&cell(c.as_ref()));
        }
        self.out.push_str("\r\n");
        self
    }

    pub fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn neutralises_formula_cells() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("+31612345678"), "'+31612345678");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("\rx"), "'\rx");
        assert_eq!(neutralise("Jansen"), "Jansen");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn writes_bom_semicolons_and_quotes() {
        let mut w = CsvWriter::new();
        w.row(["naam", "dienst"]).row(["A; B", "zeg \"hoi\""]);
        assert_eq!(w.finish(), "\u{feff}naam;dienst\r\n\"A; B\";\"zeg \"\"hoi\"\"\"\r\n");
    }

    /// Reads one written line back into its cells (quotes undone).
    fn parse_line(line: &str) -> Vec<String> {
        let mut cells = vec![String::new()];
        let (mut quoted, mut chars) = (false, line.chars().peekable());
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cells.last_mut().unwrap().push('"');
                }
                (_, '"') => quoted = !quoted,
                (false, ';') => cells.push(String::new()),
                (_, c) => cells.last_mut().unwrap().push(c),
            }
        }
        cells
    }

    proptest! {
        #[test]
        fn no_written_cell_starts_a_formula(cells in prop::collection::vec(".{0,12}|[=+\\-@\t\r].{0,8}", 1..6)) {
            let mut w = CsvWriter::new();
            w.row(&cells);
            let text = w.finish();
            prop_assert!(text.starts_with(BOM));
            let line = text.strip_prefix(BOM).unwrap().strip_suffix("\r\n").unwrap();
            let read = parse_line(line);
            prop_assert_eq!(read.len(), cells.len());
            for (got, want) in read.iter().zip(&cells) {
                prop_assert!(!got.starts_with(FORMULA_START), "cell {:?} written as {:?}", want, got);
                prop_assert_eq!(got.strip_prefix('\'').filter(|_| got != want).unwrap_or(got), want.as_str());
            }
        }
    }
}
