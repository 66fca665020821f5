//! `bench-csv [--write FILE] [--rows N] [--runs N]`: the native half of the CSV benchmark.
//!
//! Generates the deterministic sample upload (`app::upload::sample::sample_csv`, 100,000
//! rows of about 10 MB by default), optionally writes it to FILE so that the browser
//! benchmark validates the very same bytes, validates it `--runs` times (default 5) with
//! the limits raised to fit, and prints
//! `BENCH csv_validate_native_ms <median> ms` and `BENCH csv_rows <rows> rows`.
//! The context matches the browser benchmark's default: EH4, no catalogue, nobody present.
//! Run it in release mode: `cargo run --release -p server --bin bench-csv`.

use app::domain::time::CivilDate;
use app::domain::value::AssuranceLevel;
use app::upload::sample::sample_csv;
use app::upload::{validate_with_limits, Context, Limits};
use clap::Parser;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser)]
#[command(name = "bench-csv", about = "Benchmark of the CSV upload validator (native)")]
struct Args {
    /// Also write the generated file here (for the browser benchmark).
    #[arg(long)]
    write: Option<PathBuf>,
    /// Data rows to generate.
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    /// Timed validations; the median is printed.
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

fn main() {
    let args = Args::parse();
    let text = sample_csv(args.rows, 2026);
    if let Some(path) = &args.write {
        if let Err(e) = std::fs::write(path, &text) {
            eprintln!("bench-csv: cannot write {}: {e}", path.display());
            std::process::exit(2);
        }
    }
    let ctx = Context {
        today: CivilDate::new(2026, 1, 1).expect("a real date"),
        max_level: AssuranceLevel::Eh4,
        known_services: None,
        present_emails: Vec::new(),
    };
    let limits = Limits {
        rows: args.rows,
        bytes: usize::MAX,
    };
    eprintln!("bench-csv: {} rows, {} bytes", args.rows, text.len());
    let mut times = Vec::with_capacity(args.runs.max(1));
    for run in 0..args.runs.max(1) {
        let start = Instant::now();
        let report = validate_with_limits(text.as_bytes(), &ctx, limits);
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        if !report.is_clean() || report.new.len() != args.rows {
            eprintln!(
                "bench-csv: the generated file did not validate clean: {:?}",
                report.summary()
            );
            std::process::exit(1);
        }
        eprintln!("bench-csv: run {} {ms:.1} ms", run + 1);
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    let mid = times.len() / 2;
    let median = if times.len() % 2 == 1 {
        times[mid]
    } else {
        (times[mid - 1] + times[mid]) / 2.0
    };
    println!("BENCH csv_validate_native_ms {median:.1} ms");
    println!("BENCH csv_rows {} rows", args.rows);
}
