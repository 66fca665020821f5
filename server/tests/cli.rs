//! `server validate-csv`: runs the real binary on temporary files and checks its output and
//! exit status (0 clean, 1 errors, 2 unreadable or bad arguments).

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
