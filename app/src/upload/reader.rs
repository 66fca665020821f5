//! A small CSV tokenizer over validated UTF-8, written for speed: fields are borrowed from
//! the input (only a quoted field with a doubled quote, or text after a closing quote,
//! is copied) and the caller reuses one field vector for every record.
//!
//! Invariants: a record's `row` is 1 + the number of line breaks outside quotes before it
//! (LF, CRLF and a lone CR each count once), so it is the row a spreadsheet shows; a line
//! break inside quotes belongs to the field. Splitting happens only at ASCII bytes, so
//! every slice is on a character boundary. Never panics, on any input.

use std::borrow::Cow;

/// Where a record starts, and whether it ended inside an unclosed quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Record {
    pub row: usize,
    pub unterminated: bool,
}

/// `;` or `,`: whichever occurs more often outside quotes in the first non-blank line
/// (`;` on a tie, also when neither occurs).
pub(crate) fn detect_separator(src: &str) -> u8 {
    let (mut semis, mut commas) = (0usize, 0usize);
    let mut in_quotes = false;
    let mut content = false;
    for &b in src.as_bytes() {
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                content = true;
            }
            _ if in_quotes => {}
            b'\n' | b'\r' if content => break,
            // A blank line (perhaps only separators) before the header does not count.
            b'\n' | b'\r' => (semis, commas) = (0, 0),
            b';' => semis += 1,
            b',' => commas += 1,
            b' ' | b'\t' => {}
            _ => content = true,
        }
    }
    if commas > semis {
        b','
    } else {
        b';'
    }
}

/// True when every field is empty or only whitespace.
pub(crate) fn is_blank(fields: &[Cow<'_, str>]) -> bool {
    fields.iter().all(|f| f.trim().is_empty())
}

pub(crate) struct Reader<'a> {
    src: &'a str,
    pos: usize,
    next_row: usize,
    sep: u8,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(src: &'a str, sep: u8) -> Reader<'a> {
        Reader {
            src,
            pos: 0,
            next_row: 1,
            sep,
        }
    }

    /// Reads the next record into `fields` (cleared first); `None` at the end of input.
    pub(crate) fn next_into(&mut self, fields: &mut Vec<Cow<'a, str>>) -> Option<Record> {
        fields.clear();
        let bytes = self.src.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let row = self.next_row;
        loop {
            let (field, closed) = self.field();
            fields.push(field);
            if !closed {
                return Some(Record {
                    row,
                    unterminated: true,
                });
            }
            match bytes.get(self.pos) {
                None => break,
                Some(&c) if c == self.sep => self.pos += 1,
                Some(b'\r') => {
                    self.pos += 1;
                    if bytes.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                    self.next_row += 1;
                    break;
                }
                Some(_) => {
                    self.pos += 1;
                    self.next_row += 1;
                    break;
                }
            }
        }
        Some(Record {
            row,
            unterminated: false,
        })
    }

    fn is_end(&self, b: u8) -> bool {
        b == self.sep || b == b'\n' || b == b'\r'
    }

    /// One field starting at `pos`; leaves `pos` on the delimiter (or the end). The flag
    /// is false when a quoted field never closes.
    fn field(&mut self) -> (Cow<'a, str>, bool) {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let mut p = start;
        while p < bytes.len() && (bytes[p] == b' ' || bytes[p] == b'\t') {
            p += 1;
        }
        if p < bytes.len() && bytes[p] == b'"' {
            return self.quoted(p + 1);
        }
        let p = find_end(bytes, p, self.sep);
        self.pos = p;
        (Cow::Borrowed(&self.src[start..p]), true)
    }

    /// The rest of a quoted field whose content starts at `from`.
    fn quoted(&mut self, from: usize) -> (Cow<'a, str>, bool) {
        let bytes = self.src.as_bytes();
        let mut owned: Option<String> = None;
        let mut seg = from;
        loop {
            let Some(i) = bytes[seg..].iter().position(|&b| b == b'"') else {
                self.pos = bytes.len();
                return (join(owned, &self.src[seg..]), false);
            };
            let q = seg + i;
            if bytes.get(q + 1) == Some(&b'"') {
                owned.get_or_insert_with(String::new).push_str(&self.src[seg..=q]);
                seg = q + 2;
                continue;
            }
            let mut value = join(owned, &self.src[seg..q]);
            // Text after the closing quote (`"ab"c`) is kept rather than refused.
            let mut end = q + 1;
            while end < bytes.len() && !self.is_end(bytes[end]) {
                end += 1;
            }
            if end > q + 1 {
                value.to_mut().push_str(&self.src[q + 1..end]);
            }
            self.pos = end;
            return (value, true);
        }
    }
}

/// The first index from `p` holding `sep`, `\n` or `\r` (or the length). Eight bytes at a
/// time: fields are short, and this loop is most of the tokenizer's work.
fn find_end(bytes: &[u8], mut p: usize, sep: u8) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Sets the high bit of each zero byte; bits above the lowest zero byte may be wrong,
    // so only the lowest set bit is used.
    let zero_bytes = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let (s, n, r) = (ONES * u64::from(sep), ONES * u64::from(b'\n'), ONES * u64::from(b'\r'));
    while let Some(chunk) = bytes.get(p..p + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let hits = zero_bytes(w ^ s) | zero_bytes(w ^ n) | zero_bytes(w ^ r);
        if hits != 0 {
            return p + (hits.trailing_zeros() / 8) as usize;
        }
        p += 8;
    }
    while p < bytes.len() && !matches!(bytes[p], b'\n' | b'\r') && bytes[p] != sep {
        p += 1;
    }
    p
}

fn join<'a>(owned: Option<String>, tail: &'a str) -> Cow<'a, str> {
    match owned {
        Some(mut s) => {
            s.push_str(tail);
            Cow::Owned(s)
        }
        None => Cow::Borrowed(tail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_end_agrees_with_a_byte_loop() {
        let text = b"abc;de\xc3\xa9fghijklmnop\r\nq;;rstuvwxyz0123456789,\n\x80\x81;";
        for sep in [b';', b','] {
            for start in 0..text.len() {
                let slow = (start..text.len())
                    .find(|&i| [sep, b'\n', b'\r'].contains(&text[i]))
                    .unwrap_or(text.len());
                assert_eq!(find_end(text, start, sep), slow, "start {start}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn find_end_agrees_on_any_bytes(text in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64), comma: bool) {
            let sep = if comma { b',' } else { b';' };
            for start in 0..=text.len() {
                let slow = (start..text.len()).find(|&i| [sep, b'\n', b'\r'].contains(&text[i])).unwrap_or(text.len());
                proptest::prop_assert_eq!(find_end(&text, start, sep), slow);
            }
        }
    }

    #[test]
    fn reads_records_with_their_rows() {
        let mut r = Reader::new("a;\"b\"\"c\";d\r\n\r\n\"x\ny\"z;\n \"ok", b';');
        let mut f = Vec::new();
        let rec = r.next_into(&mut f).unwrap();
        assert_eq!(
            (rec.row, f.iter().map(|c| c.as_ref()).collect::<Vec<_>>()),
            (1, vec!["a", "b\"c", "d"])
        );
        assert_eq!((r.next_into(&mut f).unwrap().row, f.len()), (2, 1));
        let rec = r.next_into(&mut f).unwrap();
        assert_eq!(
            (rec.row, f.iter().map(|c| c.as_ref()).collect::<Vec<_>>()),
            (3, vec!["x\nyz", ""])
        );
        let rec = r.next_into(&mut f).unwrap();
        assert_eq!((rec.row, rec.unterminated, f[0].as_ref()), (4, true, "ok"));
        assert!(r.next_into(&mut f).is_none());
    }

    #[test]
    fn detects_the_separator_of_the_header_line() {
        assert_eq!(detect_separator("a;b;c\n1,2,3,4,5"), b';');
        assert_eq!(detect_separator("a,b,\"c;d;e\"\n"), b',');
        assert_eq!(detect_separator("\n;;;;\n\na,b\n"), b',');
        assert_eq!(detect_separator("abc"), b';');
        assert_eq!(detect_separator(""), b';');
    }
}
