//! Arbitrary bytes into `app::upload::validate` with a fixed context (a manager at EH3, a
//! small catalogue, one person already present). Besides "never panics" it checks the
//! report's invariants, and writes the error report of whatever it found.
#![no_main]

use app::domain::time::CivilDate;
use app::domain::value::AssuranceLevel;
use app::upload::{error_report_csv, validate, Context};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn context() -> &'static Context {
    static CTX: OnceLock<Context> = OnceLock::new();
    CTX.get_or_init(|| Context {
        today: CivilDate::new(2026, 1, 1).expect("a real date"),
        max_level: AssuranceLevel::Eh3,
        known_services: Some(vec!["bd-omzetbelasting".into(), "uwv-werkgeversportaal".into()]),
        present_emails: vec!["jan@voorbeeld.nl".into()],
    })
}

fuzz_target!(|data: &[u8]| {
    let report = validate(data, context());
    if report.file_error.is_none() {
        assert_eq!(
            report.new.len() + report.present.len() + report.invalid_rows,
            report.rows
        );
    } else {
        assert!(report.new.is_empty() && report.present.is_empty());
    }
    assert!(report.errors.windows(2).all(|w| w[0].row <= w[1].row));
    let mut valid = report.new.iter().chain(&report.present);
    assert!(valid.all(|v| report.errors.iter().all(|e| e.row != v.row)));
    assert!(report.errors.iter().all(|e| e.row >= 1 && !e.message.is_empty()));
    let csv = error_report_csv(&report.errors);
    assert!(csv.starts_with("\u{feff}rij;kolom;reden\r\n"));
});
