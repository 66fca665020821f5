//! The real binary: `server validate-csv` on temporary files (its output and exit status:
//! 0 clean, 1 errors, 2 unreadable or bad arguments), and `server serve`'s start-up checks.

use std::io::Write;
use std::process::{Command, Output};

const HEADER: &str = "voornamen;tussenvoegsel;achternaam;geboortedatum;email;mobiel;in_loondienst;niveau";

fn file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

fn validate_csv(args: &[&str]) -> (i32, String, String) {
    let Output { status, stdout, stderr } = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("validate-csv")
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (status.code().unwrap_or(-1), text(stdout), text(stderr))
}

fn path(f: &tempfile::NamedTempFile) -> &str {
    f.path().to_str().unwrap()
}

#[test]
fn a_valid_file_exits_zero() {
    let f = file(&format!(
        "\u{feff}{HEADER}\r\nJan;van der;Berg;05-03-1980;jan@voorbeeld.nl;0612345678;ja;EH3\r\n"
    ));
    let (code, out, err) = validate_csv(&[path(&f)]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "Samenvatting: 1 rij: 1 nieuw, 0 al aanwezig, 0 ongeldig (0 fouten).\n"
    );
}

#[test]
fn errors_exit_one_and_name_row_and_column() {
    let f = file(&format!(
        "{HEADER}\nJan;;Berg;05-03-1980;jan@voorbeeld.nl;0612345678;ja;EH3\n\nPiet;;Smit;05-03-1980;geen-adres;0612345678;ja;EH4\n"
    ));
    let (code, out, _) = validate_csv(&[path(&f), "--level", "EH3"]);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("rij 4, kolom email: Het e-mailadres mist een @"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("rij 4, kolom niveau: Niveau EH4 is hoger dan uw eigen niveau"),
        "{out}"
    );
    assert_eq!(
        lines[2],
        "Samenvatting: 2 rijen: 1 nieuw, 0 al aanwezig, 1 ongeldig (2 fouten)."
    );
}

#[test]
fn json_prints_the_summary() {
    let f = file(&format!(
        "{HEADER};afdeling\nJan;;Berg;05-03-1980;jan@voorbeeld.nl;0612345678;nee;EH2;HR\n"
    ));
    let (code, out, _) = validate_csv(&["--json", path(&f)]);
    assert_eq!(code, 1, "an unknown column is an error: {out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"], 1);
    assert_eq!(v["new"], 1);
    assert_eq!(v["present"], 0);
    assert_eq!(v["invalid"], 0);
    assert_eq!(v["errors"][0]["row"], 1);
    assert_eq!(v["errors"][0]["column"], "afdeling");
    assert_eq!(v["file_error"], serde_json::Value::Null);
}

#[test]
fn a_file_error_exits_one() {
    let f = file("naam;adres\nJan;Hier\n");
    let (code, out, _) = validate_csv(&[path(&f)]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("bestand: De kopregel mist de verplichte kolommen voornamen"),
        "{out}"
    );
}

#[test]
fn unreadable_files_and_bad_arguments_exit_two() {
    let (code, _, err) = validate_csv(&["/no/such/file.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("kan niet worden gelezen"), "{err}");
    let f = file(HEADER);
    let (code, _, err) = validate_csv(&[path(&f), "--level", "EH1"]);
    assert_eq!(code, 2);
    assert!(err.contains("EH1 bestaat niet meer"), "{err}");
    let (code, _, _) = validate_csv(&[]);
    assert_eq!(code, 2);
}

/// `server serve` with PostgreSQL and no shared SMS-code key does not start: each instance
/// would draw its own key, and a code sent by one would fail on the others.
#[test]
fn serving_postgres_needs_the_shared_code_key() {
    let serve = |key: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
        cmd.arg("serve")
            .env("DATABASE_URL", "postgres://beheer:pw-x7q9@127.0.0.1:1/nergens")
            .env("BIND", "127.0.0.1:0")
            .env("RUST_LOG", "error")
            .env_remove("CODE_HMAC_KEY");
        if let Some(k) = key {
            cmd.env("CODE_HMAC_KEY", k);
        }
        let Output { status, stderr, .. } = cmd.output().unwrap();
        (status.code().unwrap_or(-1), String::from_utf8(stderr).unwrap())
    };
    let (code, err) = serve(None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("CODE_HMAC_KEY is niet ingesteld"), "{err}");
    assert!(!err.contains("pw-x7q9"), "the database password is not printed: {err}");
    let (code, err) = serve(Some("te-kort"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("te kort (7 tekens)"), "{err}");
    // With a key it gets past the check and fails only on the unreachable database.
    let (code, err) = serve(Some(&"s".repeat(48)));
    assert_ne!(code, 0, "{err}");
    assert!(!err.contains("CODE_HMAC_KEY"), "{err}");
}
