//! A manager registration (flow 1): what the public wizard collects, checked field by
//! field with the shared value parsers — in the browser as it is typed, and again on the
//! server, which never trusts the browser. The raw typed text lives in a [`Draft`]; a
//! complete, valid draft becomes a [`Registration`] through [`Registration::from_draft`].
//!
//! Rules: the KvK extract is issued at most [`EXTRACT_MAX_AGE_DAYS`] days before today and
//! not in the future, or the applicant asks us to arrange it; one representative who may
//! sign alone, or two who sign jointly (all must approve); the manager level is EH2+, EH3
//! or EH4. The applicant is the new manager: their e-mail address is the one we confirm
//! first and write to, so no representative may share it. A draft keeps files only in
//! its named slots ([`is_file_slot`]) and only up to a total size ([`fits_total`]).

use crate::domain::time::CivilDate;
use crate::domain::value::{
    AssuranceLevel, BirthDate, BranchNumber, DutchMobile, Email, KvkNumber, NameField, NamePart, OrganisationName,
    PersonName,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// An extract may be this many days old on the day of submission.
pub const EXTRACT_MAX_AGE_DAYS: i64 = 14;
/// Representatives the wizard takes (the second only when signing jointly).
pub const MAX_REPRESENTATIVES: usize = 2;
pub const LEVELS: [AssuranceLevel; 3] = [AssuranceLevel::Eh2Plus, AssuranceLevel::Eh3, AssuranceLevel::Eh4];

/// The upload slots a draft has: the extract, one ID copy per representative, the manager's.
pub fn file_slots() -> impl Iterator<Item = String> {
    std::iter::once("extract".to_string())
        .chain((0..MAX_REPRESENTATIVES).map(|i| format!("rep{i}")))
        .chain(std::iter::once("manager".to_string()))
}

/// Whether `slot` is one of the draft's named upload slots.
pub fn is_file_slot(slot: &str) -> bool {
    file_slots().any(|s| s == slot)
}

/// Whether a new file of `size` bytes in `slot` keeps the draft within `max_total` bytes;
/// a file it replaces no longer counts.
pub fn fits_total(files: &BTreeMap<String, FileRef>, slot: &str, size: i64, max_total: i64) -> bool {
    let others: i64 = files
        .iter()
        .filter(|(s, _)| s.as_str() != slot)
        .map(|(_, f)| f.size)
        .sum();
    others.saturating_add(size) <= max_total
}

/// Two typed e-mail addresses that reach the same mailbox (as the parser normalises them).
pub fn same_address(a: &str, b: &str) -> bool {
    match (Email::parse(a), Email::parse(b)) {
        (Ok(a), Ok(b)) => a.as_str() == b.as_str(),
        _ => !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim()),
    }
}

pub const REP_IS_APPLICANT: &str =
    "Het e-mailadres van de vertegenwoordiger moet anders zijn dan uw eigen e-mailadres.";
pub const APPLICANT_IS_REP: &str =
    "Dit is het e-mailadres van de vertegenwoordiger. Vul het eigen e-mailadres van de nieuwe beheerder in: de vertegenwoordiger keurt de aanmelding apart goed.";

/// The wizard's steps, in order.
pub const STEPS: [&str; 6] = [
    "Organisatie",
    "KvK-uittreksel",
    "Vertegenwoordiger",
    "Nieuwe beheerder",
    "Contracthouder en niveau",
    "Controleren",
];

/// A person as typed (representative, manager).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFields {
    pub given_names: String,
    pub prefix: String,
    pub surname: String,
    pub birth_date: String,
    pub email: String,
    pub mobile: String,
    pub employed: String,
}

/// An uploaded file kept with the draft (bytes on disk, outside the database).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub storage_name: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
}

/// Everything typed so far, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub kvk: String,
    pub org_name: String,
    pub branch: String,
    pub arrange_extract: bool,
    pub extract_date: String,
    /// `alone` or `jointly`.
    pub signing: String,
    pub reps: Vec<PersonFields>,
    pub manager: PersonFields,
    pub contract_name: String,
    pub contract_email: String,
    pub level: String,
    /// Upload slot (`extract`, `rep0`, `rep1`, `manager`) → file.
    pub files: BTreeMap<String, FileRef>,
    /// Steps the applicant has tried to leave: their errors are shown.
    pub tried: BTreeSet<usize>,
}

impl Draft {
    pub fn rep(&self, i: usize) -> PersonFields {
        self.reps.get(i).cloned().unwrap_or_default()
    }
    pub fn jointly(&self) -> bool {
        self.signing == "jointly"
    }
    pub fn rep_count(&self) -> usize {
        if self.jointly() {
            MAX_REPRESENTATIVES
        } else {
            1
        }
    }
}

/// `dd-mm-jjjj` (or `d-m-jjjj`) to a date.
pub fn parse_date_nl(input: &str) -> Option<CivilDate> {
    let parts: Vec<&str> = input.trim().split('-').collect();
    let [d, m, y] = parts.as_slice() else { return None };
    let ok =
        |p: &str, r: std::ops::RangeInclusive<usize>| r.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !(ok(d, 1..=2) && ok(m, 1..=2) && ok(y, 4..=4)) {
        return None;
    }
    CivilDate::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The 14-day rule for the KvK extract's issue date.
pub fn check_extract_date(input: &str, today: CivilDate) -> Result<CivilDate, String> {
    if input.trim().is_empty() {
        return Err("Vul de datum van het uittreksel in (dd-mm-jjjj).".into());
    }
    let date = parse_date_nl(input).ok_or("Schrijf de datum als dd-mm-jjjj, bijvoorbeeld 03-06-2026.")?;
    if date > today {
        return Err("De datum van het uittreksel ligt in de toekomst.".into());
    }
    if today.to_days() - date.to_days() > EXTRACT_MAX_AGE_DAYS {
        return Err(format!(
            "Het uittreksel is te oud: het mag hoogstens {EXTRACT_MAX_AGE_DAYS} dagen oud zijn. Vraag een nieuw uittreksel aan of kies \"Regel het uittreksel voor mij\"."
        ));
    }
    Ok(date)
}

fn level_choice(input: &str) -> Result<AssuranceLevel, String> {
    match AssuranceLevel::parse(input) {
        Ok(l) if LEVELS.contains(&l) => Ok(l),
        Ok(_) => Err("Een beheerder krijgt niveau EH2+, EH3 of EH4.".into()),
        Err(_) => Err("Kies het niveau van de nieuwe beheerder.".into()),
    }
}

/// The check of one input, by its form name; `None` when the value is fine. The same
/// names are used by the wizard's inputs, so the browser calls this on every keystroke.
pub fn check_field(name: &str, value: &str, today: CivilDate) -> Option<String> {
    fn err(r: Result<(), String>) -> Option<String> {
        r.err()
    }
    fn v<T>(r: Result<T, crate::domain::value::ValueError>) -> Result<(), String> {
        r.map(|_| ()).map_err(|e| e.to_string())
    }
    let suffix = name.rsplit_once('_').map(|(_, s)| s).unwrap_or(name);
    let part = name.split_once('_').map(|(_, rest)| rest).unwrap_or(name);
    match name {
        "kvk" => return err(v(KvkNumber::parse(value))),
        "org_name" => return err(v(OrganisationName::parse(value))),
        "branch" if value.trim().is_empty() => return None,
        "branch" => return err(v(BranchNumber::parse(value))),
        "extract_date" => return err(check_extract_date(value, today).map(|_| ())),
        "level" => return err(level_choice(value).map(|_| ())),
        "signing" => {
            return (!matches!(value, "alone" | "jointly")).then(|| "Kies hoe de vertegenwoordiging tekent.".into())
        }
        "contract_name" => {
            let n = value.trim().chars().count();
            return (!(1..=200).contains(&n))
                .then(|| "Vul de naam van de contracthouder in (hoogstens 200 tekens).".into());
        }
        "contract_email" => return err(v(Email::parse(value))),
        _ => {}
    }
    match (part, suffix) {
        ("given_names", _) => err(v(NamePart::parse(NameField::GivenNames, value))),
        ("prefix", _) if value.trim().is_empty() => None,
        ("prefix", _) => err(v(NamePart::parse(NameField::Prefix, value))),
        ("surname", _) => err(v(NamePart::parse(NameField::Surname, value))),
        ("birth_date", _) => err(v(BirthDate::parse(value, today))),
        (_, "email") => err(v(Email::parse(value))),
        (_, "mobile") => err(v(DutchMobile::parse(value))),
        (_, "employed") => {
            (!matches!(value, "ja" | "nee")).then(|| "Geef aan of de nieuwe beheerder in loondienst is.".into())
        }
        _ => None,
    }
}

fn person_inputs(prefix: &str, p: &PersonFields, with_birth: bool) -> Vec<(String, String)> {
    let mut out = vec![
        (format!("{prefix}_given_names"), p.given_names.clone()),
        (format!("{prefix}_prefix"), p.prefix.clone()),
        (format!("{prefix}_surname"), p.surname.clone()),
        (format!("{prefix}_email"), p.email.clone()),
        (format!("{prefix}_mobile"), p.mobile.clone()),
    ];
    if with_birth {
        out.push((format!("{prefix}_birth_date"), p.birth_date.clone()));
        out.push((format!("{prefix}_employed"), p.employed.clone()));
    }
    out
}

/// The inputs of a step (0-based) with their current values.
pub fn step_inputs(step: usize, d: &Draft) -> Vec<(String, String)> {
    let s = |n: &str, v: &str| (n.to_string(), v.to_string());
    match step {
        0 => vec![s("kvk", &d.kvk), s("org_name", &d.org_name), s("branch", &d.branch)],
        1 if d.arrange_extract => vec![],
        1 => vec![s("extract_date", &d.extract_date)],
        2 => {
            let mut out = vec![s("signing", &d.signing)];
            for i in 0..d.rep_count() {
                out.extend(person_inputs(&format!("rep{i}"), &d.rep(i), false));
            }
            out
        }
        3 => person_inputs("manager", &d.manager, true),
        4 => vec![
            s("contract_name", &d.contract_name),
            s("contract_email", &d.contract_email),
            s("level", &d.level),
        ],
        _ => vec![],
    }
}

/// Every problem of a step, by input name (uploads by their slot's file input name).
pub fn step_errors(step: usize, d: &Draft, today: CivilDate) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = step_inputs(step, d)
        .into_iter()
        .filter_map(|(n, v)| check_field(&n, &v, today).map(|e| (n, e)))
        .collect();
    let missing = |slot: &str| !d.files.contains_key(slot);
    match step {
        1 if !d.arrange_extract && missing("extract") => out.push((
            "extract_file".into(),
            "Upload het uittreksel als PDF, of kies \"Regel het uittreksel voor mij\".".into(),
        )),
        2 => {
            for i in 0..d.rep_count() {
                if missing(&format!("rep{i}")) {
                    out.push((
                        format!("rep{i}_file"),
                        "Upload een kopie van het identiteitsbewijs.".into(),
                    ));
                }
            }
            if d.jointly() && d.rep(0).email.trim().eq_ignore_ascii_case(d.rep(1).email.trim()) {
                out.push((
                    "rep1_email".into(),
                    "Twee vertegenwoordigers hebben elk een eigen e-mailadres.".into(),
                ));
            }
            for i in 0..d.rep_count() {
                if same_address(&d.rep(i).email, &d.manager.email) {
                    out.push((format!("rep{i}_email"), REP_IS_APPLICANT.into()));
                }
            }
        }
        3 => {
            if missing("manager") {
                out.push((
                    "manager_file".into(),
                    "Upload een kopie van het identiteitsbewijs.".into(),
                ));
            }
            if (0..d.rep_count()).any(|i| same_address(&d.rep(i).email, &d.manager.email)) {
                out.push(("manager_email".into(), APPLICANT_IS_REP.into()));
            }
        }
        _ => {}
    }
    out
}

/// A representative who must approve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Representative {
    pub name: PersonName,
    pub email: Email,
    pub mobile: DutchMobile,
}

/// A complete, valid registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub kvk: KvkNumber,
    pub org_name: OrganisationName,
    pub branch: Option<BranchNumber>,
    pub extract_date: Option<CivilDate>,
    pub representatives: Vec<Representative>,
    pub manager: Representative,
    pub manager_birth_date: BirthDate,
    pub manager_employed: bool,
    pub contract_name: String,
    pub contract_email: Email,
    pub level: AssuranceLevel,
}

impl Registration {
    /// The draft as a registration, or the first step with problems and its problems.
    pub fn from_draft(d: &Draft, today: CivilDate) -> Result<Registration, (usize, Vec<(String, String)>)> {
        for step in 0..5 {
            let errors = step_errors(step, d, today);
            if !errors.is_empty() {
                return Err((step, errors));
            }
        }
        let bad = |_| (0usize, vec![]);
        let person = |p: &PersonFields| -> Result<Representative, (usize, Vec<(String, String)>)> {
            Ok(Representative {
                name: PersonName::new(&p.given_names, &p.prefix, &p.surname).map_err(bad)?,
                email: Email::parse(&p.email).map_err(bad)?,
                mobile: DutchMobile::parse(&p.mobile).map_err(bad)?,
            })
        };
        Ok(Registration {
            kvk: KvkNumber::parse(&d.kvk).map_err(bad)?,
            org_name: OrganisationName::parse(&d.org_name).map_err(bad)?,
            branch: (!d.branch.trim().is_empty())
                .then(|| BranchNumber::parse(&d.branch))
                .transpose()
                .map_err(bad)?,
            extract_date: if d.arrange_extract {
                None
            } else {
                Some(check_extract_date(&d.extract_date, today).map_err(|_| (1, vec![]))?)
            },
            representatives: (0..d.rep_count())
                .map(|i| person(&d.rep(i)))
                .collect::<Result<_, _>>()?,
            manager: person(&d.manager)?,
            manager_birth_date: BirthDate::parse(&d.manager.birth_date, today).map_err(bad)?,
            manager_employed: d.manager.employed == "ja",
            contract_name: d.contract_name.trim().to_string(),
            contract_email: Email::parse(&d.contract_email).map_err(bad)?,
            level: level_choice(&d.level).map_err(|_| (4, vec![]))?,
        })
    }
}

#[cfg(test)]
mod tests;
