//! The service catalogue and the demo organisation. Both are idempotent: running them again
//! changes nothing that is already there.

use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::time::CivilDate;
use crate::domain::value::{
    AssuranceLevel, BirthDate, DutchMobile, Email, KvkNumber, OrganisationName, PersonName, ServiceId,
};
use crate::error::AppError;
use crate::server::audit::record;
use crate::server::auth::password::Secret;
use crate::server::clock::DAY_MS;
use crate::server::db::accounts::{self, AccountRow};
use crate::server::db::authorisations::{self, AuthorisationRow};
use crate::server::db::means::{self, MeansRow};
use crate::server::db::organisations::{self, OrganisationRow};
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::services::{self, ServiceRow};
use crate::server::db::{new_id, Conn};
use crate::server::state::AppState;

/// (id, name, provider, required level)
pub const CATALOGUE: &[(&str, &str, &str, &str)] = &[
    ("bd-omzetbelasting", "Aangifte omzetbelasting", "Belastingdienst", "EH3"),
    ("bd-loonheffingen", "Aangifte loonheffingen", "Belastingdienst", "EH3"),
    (
        "bd-vennootschapsbelasting",
        "Aangifte vennootschapsbelasting",
        "Belastingdienst",
        "EH3",
    ),
    (
        "bd-icp",
        "Opgaaf intracommunautaire prestaties",
        "Belastingdienst",
        "EH3",
    ),
    (
        "bd-inzien-berichten",
        "Berichtenbox zakelijk inzien",
        "Belastingdienst",
        "EH2+",
    ),
    (
        "bd-motorrijtuigenbelasting",
        "Motorrijtuigenbelasting zakelijk",
        "Belastingdienst",
        "EH3",
    ),
    ("uwv-werkgeversportaal", "Werkgeversportaal", "UWV", "EH3"),
    ("uwv-ziekmelden", "Ziek- en hersteldmelden werknemers", "UWV", "EH3"),
    ("uwv-polisadministratie", "Polisadministratie inzien", "UWV", "EH3"),
    ("rvo-subsidies", "Subsidies en regelingen aanvragen", "RVO", "EH2+"),
    ("rvo-mijn-rvo", "Mijn RVO", "RVO", "EH2+"),
    (
        "rvo-gecombineerde-opgave",
        "Gecombineerde opgave landbouw",
        "RVO",
        "EH3",
    ),
    ("rvo-wbso", "WBSO aanvragen", "RVO", "EH3"),
    ("kvk-wijzigingen", "Wijzigingen doorgeven Handelsregister", "KvK", "EH3"),
    ("kvk-deponeren", "Jaarrekening deponeren", "KvK", "EH3"),
    ("kvk-uittreksel", "Uittreksel Handelsregister opvragen", "KvK", "EH2"),
    ("douane-aangifte-invoer", "Aangifte invoer (DMS)", "Douane", "EH3"),
    ("douane-aangifte-uitvoer", "Aangifte uitvoer (DMS)", "Douane", "EH3"),
    ("douane-vergunningen", "Douanevergunningen aanvragen", "Douane", "EH3"),
    ("cibg-big-register", "BIG-register raadplegen", "CIBG", "EH3"),
    ("cibg-farmatec", "Farmatec vergunningen", "CIBG", "EH4"),
    ("cibg-opiumwet", "Opiumwetontheffing aanvragen", "CIBG", "EH4"),
    ("duo-instellingen", "Mijn DUO instellingen", "DUO", "EH3"),
    ("duo-bekostiging", "Bekostigingsgegevens onderwijs", "DUO", "EH3"),
    ("cbs-enquetes", "Enquêtes bedrijven invullen", "CBS", "EH2"),
    (
        "amsterdam-parkeervergunning",
        "Bedrijfsparkeervergunning",
        "Gemeente Amsterdam",
        "EH2+",
    ),
    (
        "rotterdam-omgevingsvergunning",
        "Omgevingsvergunning aanvragen",
        "Gemeente Rotterdam",
        "EH3",
    ),
    ("utrecht-bedrijvenloket", "Ondernemersloket", "Gemeente Utrecht", "EH2+"),
    (
        "omgevingsloket-aanvragen",
        "Omgevingsloket: vergunning aanvragen",
        "Omgevingsloket",
        "EH3",
    ),
    (
        "svb-werkgevers",
        "Werkgeversportaal (pgb)",
        "Sociale Verzekeringsbank",
        "EH3",
    ),
    ("ind-zakelijk", "Zakelijk portaal kennismigranten", "IND", "EH3"),
    ("rdw-bedrijfsvoorraad", "Bedrijfsvoorraad voertuigen", "RDW", "EH3"),
    ("nvwa-certificaten", "Exportcertificaten aanvragen", "NVWA", "EH3"),
    ("cjib-zakelijk", "Boetes en betalingen zakelijk", "CJIB", "EH2+"),
];

pub async fn seed_catalogue(conn: &mut Conn) -> Result<usize, AppError> {
    for (id, name, provider, level) in CATALOGUE {
        let id = ServiceId::parse(id).map_err(|e| AppError::invalid(format!("{id}: {e}")))?;
        let level = AssuranceLevel::parse(level).map_err(AppError::invalid)?;
        services::upsert(
            conn,
            &ServiceRow {
                id: id.as_ref().to_string(),
                name: name.to_string(),
                provider: provider.to_string(),
                required_level: level.as_str().to_string(),
            },
        )
        .await?;
    }
    Ok(CATALOGUE.len())
}

pub struct DemoAccount {
    pub role: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        role: "beheerder (EH3, twee organisaties)",
        email: "beheerder@demo.example",
        password: "Demo-beheer-2026!",
    },
    DemoAccount {
        role: "gebruiker (EH2+)",
        email: "gebruiker@demo.example",
        password: "Demo-gebruiker-2026!",
    },
    DemoAccount {
        role: "backoffice",
        email: "backoffice@demo.example",
        password: "Demo-backoffice-2026!",
    },
];

/// A stored password hash that no password verifies against (it is not a PHC string).
const UNKNOWN_PASSWORD: &str = "!unknown";

pub const DEMO_ORGANISATION: &str = "Bakkerij De Gouden Korenschoof B.V.";
pub const DEMO_SECOND_ORGANISATION: &str = "Korenschoof Logistiek B.V.";

/// One demo person: (given, prefix, surname, birth date, e-mail, mobile, org index, level, means state, employed).
type DemoPerson = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    usize,
    &'static str,
    &'static str,
    bool,
);

const PEOPLE: &[DemoPerson] = &[
    (
        "Marieke",
        "de",
        "Vries",
        "14-03-1979",
        "beheerder@demo.example",
        "06-12345678",
        0,
        "EH3",
        "active",
        true,
    ),
    (
        "Jan",
        "",
        "Jansen",
        "02-11-1985",
        "gebruiker@demo.example",
        "06 87654321",
        0,
        "EH2+",
        "active",
        true,
    ),
    (
        "Fatima",
        "el",
        "Amrani",
        "23-07-1991",
        "fatima.elamrani@demo.example",
        "0611223344",
        0,
        "EH3",
        "requested",
        false,
    ),
    (
        "Pieter",
        "van den",
        "Berg",
        "30-01-1968",
        "pieter.vandenberg@demo.example",
        "+31622334455",
        0,
        "EH2",
        "active",
        true,
    ),
    (
        "Sanne",
        "",
        "Bakker",
        "11-09-1995",
        "sanne.bakker@demo.example",
        "0633445566",
        0,
        "EH4",
        "cancelled",
        true,
    ),
    (
        "Mehmet",
        "",
        "Yılmaz",
        "05-05-1988",
        "mehmet.yilmaz@demo.example",
        "0644556677",
        0,
        "EH2+",
        "requested",
        true,
    ),
    (
        "Anouk",
        "",
        "Visser",
        "19-12-1990",
        "anouk.visser@demo.example",
        "0655667788",
        1,
        "EH3",
        "active",
        true,
    ),
    (
        "Kees",
        "",
        "Smit",
        "08-06-1974",
        "kees.smit@demo.example",
        "0666778899",
        1,
        "EH2+",
        "requested",
        true,
    ),
    (
        "Ruud",
        "",
        "Hoekstra",
        "17-04-1982",
        "backoffice@demo.example",
        "0611112222",
        usize::MAX,
        "",
        "",
        true,
    ),
];

/// Seeds the catalogue and the demo organisations; returns false when the demo was already there.
pub async fn seed_demo(state: &AppState) -> Result<bool, AppError> {
    let now = state.now();
    let today = CivilDate::from_unix_ms(now);
    let mut tx = state.db.begin().await?;
    seed_catalogue(&mut tx).await?;
    if accounts::find_by_email(&mut tx, "beheerder@demo.example")
        .await?
        .is_some()
    {
        tx.commit().await?;
        return Ok(false);
    }
    let mut orgs = Vec::new();
    for (kvk, name) in [("69599084", DEMO_ORGANISATION), ("81234567", DEMO_SECOND_ORGANISATION)] {
        let row = OrganisationRow {
            id: new_id(),
            kvk_number: KvkNumber::parse(kvk).map_err(AppError::invalid)?.as_ref().to_string(),
            branch_number: None,
            name: OrganisationName::parse(name)
                .map_err(AppError::invalid)?
                .as_ref()
                .to_string(),
            created_at: now,
        };
        organisations::insert(&mut tx, &row).await?;
        record(
            &mut tx,
            AuditEvent::new(AuditAction::OrganisationCreated, TargetKind::Organisation, &row.id).organisation(&row.id),
            now,
        )
        .await?;
        orgs.push(row);
    }
    let three_years = 3 * 365 * DAY_MS;
    let mut manager_means = None;
    for (given, prefix, surname, born, email, mobile, org, level, state_name, employed) in PEOPLE {
        let name = PersonName::new(given, prefix, surname).map_err(AppError::invalid)?;
        let email = Email::parse(email).map_err(AppError::invalid)?.as_str().to_string();
        let mobile = DutchMobile::parse(mobile)
            .map_err(AppError::invalid)?
            .as_e164()
            .to_string();
        // Whoever activated a means has an account: the demo accounts with their known
        // password, the other active people with a password nobody knows (a hash no
        // password matches; they can choose one with "Wachtwoord vergeten"). The rest
        // have no account yet.
        let demo = DEMO_ACCOUNTS.iter().find(|a| a.email == email);
        let account = if demo.is_some() || *state_name == "active" {
            let hash = match demo {
                Some(acc) => state.passwords.hash(&Secret::new(acc.password)).await?,
                None => UNKNOWN_PASSWORD.to_string(),
            };
            let backoffice = *org == usize::MAX;
            let row = AccountRow {
                id: new_id(),
                email: email.clone(),
                verified_mobile_e164: mobile.clone(),
                language: "nl".into(),
                is_backoffice: i64::from(backoffice),
                staff_name: backoffice.then(|| name.display_name()),
                created_at: now - 40 * DAY_MS,
                updated_at: now - 40 * DAY_MS,
            };
            accounts::insert(&mut tx, &row, &hash).await?;
            Some(row.id)
        } else {
            None
        };
        if *org == usize::MAX {
            continue;
        }
        // The manager has a means in both organisations; everyone else in one.
        let org_indexes: &[usize] = if email == "beheerder@demo.example" {
            &[0, 1]
        } else {
            std::slice::from_ref(org)
        };
        for &o in org_indexes {
            let means_row = MeansRow {
                id: new_id(),
                account_id: account.clone().filter(|_| *state_name == "active"),
                organisation_id: orgs[o].id.clone(),
                email: email.clone(),
                given_names: name.given_names().as_ref().to_string(),
                prefix: name.prefix().map(|p| p.as_ref().to_string()),
                surname: name.surname().as_ref().to_string(),
                birth_date: BirthDate::parse(born, today).map_err(AppError::invalid)?.iso(),
                mobile_e164: mobile.clone(),
                level: AssuranceLevel::parse(level)
                    .map_err(AppError::invalid)?
                    .as_str()
                    .to_string(),
                state: state_name.to_string(),
                employed: i64::from(*employed),
                valid_until: None,
                created_at: now - 40 * DAY_MS,
                updated_at: now,
            };
            means::insert(&mut tx, &means_row).await?;
            if *state_name == "requested" {
                let req = RequestRow {
                    id: new_id(),
                    organisation_id: orgs[o].id.clone(),
                    kind: "new_means".into(),
                    state: "awaiting_email".into(),
                    account_id: None,
                    means_id: Some(means_row.id.clone()),
                    batch_id: None,
                    requested_by: None,
                    payload: serde_json::json!({ "level": level, "employed": employed }).to_string(),
                    created_at: now - 2 * DAY_MS,
                    updated_at: now - 2 * DAY_MS,
                    finished_at: None,
                };
                requests::insert(&mut tx, &req).await?;
                requests::add_event(
                    &mut tx,
                    &req.id,
                    req.created_at,
                    None,
                    "created",
                    &serde_json::json!({}),
                )
                .await?;
            }
            if email == "beheerder@demo.example" {
                authorisations::insert(&mut tx, &auth_row(&means_row, "manage", None, "EH3", now, three_years)).await?;
                manager_means.get_or_insert(means_row.id.clone());
            } else if *state_name == "active" {
                // Only services the means is strong enough for: service level ≤ authorisation level ≤ means level.
                let means_level = AssuranceLevel::parse(level).map_err(AppError::invalid)?;
                for (svc, _, _, svc_level) in CATALOGUE
                    .iter()
                    .filter(|c| ["kvk-uittreksel", "cbs-enquetes", "rvo-subsidies"].contains(&c.0))
                {
                    if AssuranceLevel::parse(svc_level).map_err(AppError::invalid)? <= means_level {
                        authorisations::insert(
                            &mut tx,
                            &auth_row(&means_row, "service", Some(svc), level, now, three_years),
                        )
                        .await?;
                    }
                }
            }
        }
    }
    record(
        &mut tx,
        AuditEvent::new(AuditAction::DemoSeeded, TargetKind::Organisation, &orgs[0].id).organisation(&orgs[0].id),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

fn auth_row(m: &MeansRow, scope: &str, service: Option<&str>, level: &str, now: i64, term: i64) -> AuthorisationRow {
    AuthorisationRow {
        id: new_id(),
        means_id: m.id.clone(),
        organisation_id: m.organisation_id.clone(),
        scope: scope.into(),
        service_id: service.map(str::to_string),
        level: level.into(),
        valid_from: now - DAY_MS,
        valid_until: now + term,
        state: "active".into(),
        revoked_reason: None,
        granted_by: None,
        created_at: now,
        updated_at: now,
    }
}
