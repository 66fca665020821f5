use super::*;

fn day(y: i32, m: u8, d: u8) -> CivilDate {
    CivilDate::new(y, m, d).unwrap()
}

fn file() -> FileRef {
    FileRef {
        storage_name: "x".into(),
        mime: "application/pdf".into(),
        size: 10,
        sha256: "00".into(),
    }
}

fn person(given: &str, email: &str, mobile: &str) -> PersonFields {
    PersonFields {
        given_names: given.into(),
        prefix: "van".into(),
        surname: "Dijk".into(),
        birth_date: "01-02-1980".into(),
        email: email.into(),
        mobile: mobile.into(),
        employed: "ja".into(),
    }
}

pub fn valid() -> Draft {
    let mut files = BTreeMap::new();
    for slot in ["extract", "rep0", "manager"] {
        files.insert(slot.to_string(), file());
    }
    Draft {
        kvk: "12345678".into(),
        org_name: "Fietsenmakerij De Ketting B.V.".into(),
        branch: String::new(),
        arrange_extract: false,
        extract_date: "25-05-2026".into(),
        signing: "alone".into(),
        reps: vec![person("Ria", "ria@ketting.example", "0611111111")],
        manager: person("Bas", "bas@ketting.example", "0622222222"),
        contract_name: "Ria van Dijk".into(),
        contract_email: "ria@ketting.example".into(),
        level: "EH3".into(),
        files,
        tried: BTreeSet::new(),
    }
}

#[test]
fn extract_may_be_fourteen_days_old_not_fifteen() {
    let today = day(2026, 6, 1);
    assert_eq!(check_extract_date("18-05-2026", today), Ok(day(2026, 5, 18))); // 14 days
    assert!(check_extract_date("17-05-2026", today).unwrap_err().contains("te oud")); // 15 days
    assert_eq!(check_extract_date("01-06-2026", today), Ok(today));
    assert!(check_extract_date("02-06-2026", today)
        .unwrap_err()
        .contains("toekomst"));
    assert!(check_extract_date("2026-05-20", today)
        .unwrap_err()
        .contains("dd-mm-jjjj"));
    assert!(check_extract_date("31-02-2026", today).is_err());
    assert!(check_extract_date("", today).unwrap_err().contains("Vul"));
    // Across a year boundary: 14 days before 5 January 2027 is 22 December 2026.
    assert!(check_extract_date("22-12-2026", day(2027, 1, 5)).is_ok());
    assert!(check_extract_date("21-12-2026", day(2027, 1, 5)).is_err());
}

#[test]
fn a_valid_draft_becomes_a_registration() {
    let r = Registration::from_draft(&valid(), day(2026, 6, 1)).unwrap();
    assert_eq!(r.kvk.as_str(), "12345678");
    assert_eq!(r.representatives.len(), 1);
    assert_eq!(r.level, AssuranceLevel::Eh3);
    assert_eq!(r.extract_date, Some(day(2026, 5, 25)));
    assert_eq!(r.manager.mobile.as_e164(), "+31622222222");
}

#[test]
fn arranging_the_extract_needs_no_file_or_date() {
    let mut d = valid();
    d.arrange_extract = true;
    d.extract_date.clear();
    d.files.remove("extract");
    assert_eq!(
        Registration::from_draft(&d, day(2026, 6, 1)).unwrap().extract_date,
        None
    );
    d.arrange_extract = false;
    let (step, errors) = Registration::from_draft(&d, day(2026, 6, 1)).unwrap_err();
    assert_eq!(step, 1);
    assert!(errors.iter().any(|(n, _)| n == "extract_file"));
}

#[test]
fn joint_signing_needs_a_second_representative_with_own_address() {
    let mut d = valid();
    d.signing = "jointly".into();
    let (step, errors) = Registration::from_draft(&d, day(2026, 6, 1)).unwrap_err();
    assert_eq!(step, 2);
    assert!(errors.iter().any(|(n, _)| n == "rep1_given_names"));
    assert!(errors.iter().any(|(n, _)| n == "rep1_file"));
    d.reps.push(person("Kees", "RIA@ketting.example", "0633333333"));
    d.files.insert("rep1".into(), file());
    let (_, errors) = Registration::from_draft(&d, day(2026, 6, 1)).unwrap_err();
    assert_eq!(
        errors,
        vec![(
            "rep1_email".to_string(),
            "Twee vertegenwoordigers hebben elk een eigen e-mailadres.".to_string()
        )]
    );
    d.reps[1].email = "kees@ketting.example".into();
    assert_eq!(
        Registration::from_draft(&d, day(2026, 6, 1))
            .unwrap()
            .representatives
            .len(),
        2
    );
}

#[test]
fn fields_are_checked_with_the_shared_parsers() {
    let today = day(2026, 6, 1);
    assert!(check_field("kvk", "1234567", today).is_some());
    assert_eq!(check_field("kvk", "12345678", today), None);
    assert_eq!(check_field("branch", "", today), None);
    assert!(check_field("branch", "123", today).is_some());
    assert!(check_field("rep0_email", "geen-adres", today).is_some());
    assert!(check_field("manager_mobile", "0201234567", today).is_some());
    assert_eq!(check_field("manager_prefix", "", today), None);
    assert!(check_field("manager_birth_date", "01-01-2030", today).is_some());
    assert!(check_field("level", "EH2", today).unwrap().contains("EH2+"));
    assert!(check_field("level", "EH1", today).is_some());
    assert_eq!(check_field("level", "EH4", today), None);
    assert!(check_field("manager_employed", "misschien", today).is_some());
    assert!(check_field("contract_name", "  ", today).is_some());
}

#[test]
fn a_representative_is_not_the_applicant() {
    let mut d = valid();
    d.reps[0].email = " BAS@ketting.example".into();
    let (step, errors) = Registration::from_draft(&d, day(2026, 6, 1)).unwrap_err();
    assert_eq!(step, 2);
    assert_eq!(errors, vec![("rep0_email".to_string(), REP_IS_APPLICANT.to_string())]);
    assert_eq!(
        step_errors(3, &d, day(2026, 6, 1)),
        vec![("manager_email".to_string(), APPLICANT_IS_REP.to_string())],
        "the applicant's step says so too, where it is typed last"
    );
    // The second representative (joint signing) is held to the same rule.
    let mut d = valid();
    d.signing = "jointly".into();
    d.reps.push(person("Kees", "bas@ketting.example", "0633333333"));
    d.files.insert("rep1".into(), file());
    let (_, errors) = Registration::from_draft(&d, day(2026, 6, 1)).unwrap_err();
    assert!(
        errors.iter().any(|(n, e)| n == "rep1_email" && e == REP_IS_APPLICANT),
        "{errors:?}"
    );
    // Nothing typed yet for the applicant: nothing to compare.
    let mut d = valid();
    d.manager.email.clear();
    assert!(step_errors(2, &d, day(2026, 6, 1)).is_empty());
}

#[test]
fn only_named_slots_hold_files() {
    let slots: Vec<String> = file_slots().collect();
    assert_eq!(slots, ["extract", "rep0", "rep1", "manager"]);
    for s in ["extract", "rep0", "rep1", "manager"] {
        assert!(is_file_slot(s));
    }
    for s in ["rep2", "x", "", "extract ", "../manager", "REP0", "manager_file"] {
        assert!(!is_file_slot(s), "{s}");
    }
}

#[test]
fn the_total_counts_a_replaced_file_once() {
    let mut files = BTreeMap::new();
    let sized = |size| FileRef { size, ..file() };
    files.insert("extract".to_string(), sized(6));
    files.insert("rep0".to_string(), sized(3));
    assert!(fits_total(&files, "manager", 1, 10));
    assert!(!fits_total(&files, "manager", 2, 10));
    assert!(fits_total(&files, "rep0", 4, 10), "the old rep0 is replaced");
    assert!(!fits_total(&files, "rep0", 5, 10));
    assert!(!fits_total(&files, "manager", i64::MAX, 10));
}

#[test]
fn same_address_normalises() {
    assert!(same_address("Jan@X.nl ", "jan@x.nl"));
    assert!(!same_address("jan@x.nl", "piet@x.nl"));
    assert!(!same_address("", ""));
    assert!(same_address("geen adres", "GEEN ADRES"));
}
