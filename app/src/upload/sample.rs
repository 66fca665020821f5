//! Deterministic, valid upload files of any size, for benchmarks, property tests and
//! end-to-end tests (the browser and native benchmarks validate the very same file).
//!
//! Invariants of [`sample_csv`]: the same `(rows, seed)` always gives the same bytes; the
//! file has a BOM, a `;` header of every column of [`super::COLUMNS`], CRLF line ends and
//! `rows` data rows that validate as new with any `today` from 2001 to 2080, a manager
//! level of EH3 or more, no catalogue check and no present e-mails. E-mail addresses are
//! unique per file (they hold the row's index). About one row in eight quotes its given
//! names, so the quoted path is measured too. Rows average about 100 bytes.

use super::COLUMNS;

const GIVEN: &[&str] = &[
    "Jan",
    "Anne-Marie",
    "Mohamed",
    "Sanne",
    "Pieter Jan",
    "Fatima",
    "Daan",
    "Zoë",
    "Thijs",
    "Noor",
    "Lars",
    "Eva",
];
const PREFIX: &[&str] = &["", "", "", "van", "de", "van der", "van den", "ter", "'t"];
const SURNAME: &[&str] = &[
    "Jansen",
    "Bakker",
    "Visser",
    "El Amrani",
    "Smit",
    "Meijer",
    "Yılmaz",
    "Mulder",
    "Bos",
    "Vos",
    "Dekker",
    "Peters",
];
const DOMAIN: &[&str] = &[
    "voorbeeld.nl",
    "bedrijf-voorbeeld.nl",
    "gemeente-voorbeeld.nl",
    "zorg.voorbeeld.nl",
];
const LEVEL: &[&str] = &["EH2", "EH2+", "EH3", "EH3"];
const SERVICES: &[&str] = &[
    "",
    "bd-omzetbelasting",
    "bd-loonheffingen|uwv-werkgeversportaal",
    "kvk-uittreksel",
    "",
    "uwv-ziekmelden|bd-omzetbelasting",
];
const TERM: &[&str] = &["", "1", "3", "5"];

/// A valid upload of `rows` people; see the module docs.
pub fn sample_csv(rows: usize, seed: u64) -> String {
    let mut out = String::with_capacity(128 + rows * 110);
    out.push('\u{feff}');
    out.push_str(&COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>().join(";"));
    out.push_str("\r\n");
    let mut rng = SplitMix(seed);
    for i in 0..rows {
        let pick = |rng: &mut SplitMix, list: &[&'static str]| list[(rng.next_u64() % list.len() as u64) as usize];
        let given = pick(&mut rng, GIVEN);
        let prefix = pick(&mut rng, PREFIX);
        let surname = pick(&mut rng, SURNAME);
        // 1950-01-01 is day -7305 since 1970; 18,262 days later is 1999-12-31.
        let born = crate::domain::time::CivilDate::from_days(-7305 + (rng.next_u64() % 18_262) as i64);
        let mobile = rng.next_u64() % 100_000_000;
        let employed = if rng.next_u64().is_multiple_of(5) { "nee" } else { "ja" };
        let quote = rng.next_u64().is_multiple_of(8);
        let local: String = given
            .chars()
            .filter(char::is_ascii_alphabetic)
            .chain(['.'])
            .chain(surname.chars().filter(char::is_ascii_alphabetic))
            .collect::<String>()
            .to_ascii_lowercase();
        let (q, dom) = (if quote { "\"" } else { "" }, pick(&mut rng, DOMAIN));
        out.push_str(&format!(
            "{q}{given}{q};{prefix};{surname};{born};{local}.{i}@{dom};06{mobile:08};{employed};{};{};{}\r\n",
            pick(&mut rng, LEVEL),
            pick(&mut rng, SERVICES),
            pick(&mut rng, TERM),
            born = born.dutch(),
        ));
    }
    out
}

/// SplitMix64: tiny, fast and good enough to vary test data (also the benchmarks' and
/// the generated tests' source of repeatable choices).
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
