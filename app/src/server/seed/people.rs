//! The demo people: who they are, where they hold a means (level, state) and what follows
//! from that (an account, a waiting request, authorisations). One function per step, each
//! writing in the caller's transaction.

use super::catalogue::CATALOGUE;
use super::DemoAccount;
use crate::domain::authorisation::{AuthorisationState, ScopeKind};
use crate::domain::means::MeansState;
use crate::domain::request::{RequestKind, RequestState, TimelineEvent};
use crate::domain::time::CivilDate;
use crate::domain::value::AssuranceLevel::{self, Eh2, Eh2Plus, Eh3, Eh4};
use crate::domain::value::{BirthDate, DutchMobile, Email, PersonName};
use crate::error::AppError;
use crate::server::clock::DAY_MS;
use crate::server::db::accounts::{self, AccountRow};
use crate::server::db::authorisations::{self, AuthorisationRow};
use crate::server::db::means::{self, MeansRow};
use crate::server::db::organisations::OrganisationRow;
use crate::server::db::requests::{self, RequestRow};
use crate::server::db::{new_id, Conn};
use MeansState::{Active, Cancelled, Requested};

/// The demo manager: a means in both organisations and the `manage` authorisation there.
pub const MANAGER_EMAIL: &str = "beheerder@demo.example";

/// A stored password hash that no password verifies against (it is not a PHC string).
const UNKNOWN_PASSWORD: &str = "!unknown";

/// How long the demo authorisations run.
const THREE_YEARS: i64 = 3 * 365 * DAY_MS;

/// Services the active demo users are authorised for, where their level suffices.
const DEMO_SERVICES: [&str; 3] = ["kvk-uittreksel", "cbs-enquetes", "rvo-subsidies"];

/// One demo person, particulars as a manager would type them.
pub struct DemoPerson {
    pub given: &'static str,
    pub prefix: &'static str,
    pub surname: &'static str,
    pub born: &'static str,
    pub email: &'static str,
    pub mobile: &'static str,
    /// The means: which demo organisation (index), level and state; `None` for staff.
    pub means: Option<(usize, AssuranceLevel, MeansState)>,
    pub employed: bool,
}

#[allow(clippy::too_many_arguments)]
const fn person(
    given: &'static str,
    prefix: &'static str,
    surname: &'static str,
    born: &'static str,
    email: &'static str,
    mobile: &'static str,
    means: Option<(usize, AssuranceLevel, MeansState)>,
    employed: bool,
) -> DemoPerson {
    DemoPerson {
        given,
        prefix,
        surname,
        born,
        email,
        mobile,
        means,
        employed,
    }
}

#[rustfmt::skip]
pub const PEOPLE: &[DemoPerson] = &[
    person("Marieke", "de", "Vries", "14-03-1979", MANAGER_EMAIL, "06-12345678", Some((0, Eh3, Active)), true),
    person("Jan", "", "Jansen", "02-11-1985", "gebruiker@demo.example", "06 87654321", Some((0, Eh2Plus, Active)), true),
    person("Fatima", "el", "Amrani", "23-07-1991", "fatima.elamrani@demo.example", "0611223344", Some((0, Eh3, Requested)), false),
    person("Pieter", "van den", "Berg", "30-01-1968", "pieter.vandenberg@demo.example", "+31622334455", Some((0, Eh2, Active)), true),
    person("Sanne", "", "Bakker", "11-09-1995", "sanne.bakker@demo.example", "0633445566", Some((0, Eh4, Cancelled)), true),
    person("Mehmet", "", "Yılmaz", "05-05-1988", "mehmet.yilmaz@demo.example", "0644556677", Some((0, Eh2Plus, Requested)), true),
    person("Anouk", "", "Visser", "19-12-1990", "anouk.visser@demo.example", "0655667788", Some((1, Eh3, Active)), true),
    person("Kees", "", "Smit", "08-06-1974", "kees.smit@demo.example", "0666778899", Some((1, Eh2Plus, Requested)), true),
    person("Ruud", "", "Hoekstra", "17-04-1982", "backoffice@demo.example", "0611112222", None, true),
];

/// A person's particulars, parsed as any input is.
pub struct Parsed {
    pub name: PersonName,
    pub email: String,
    pub mobile: String,
}

pub fn parse(p: &DemoPerson) -> Result<Parsed, AppError> {
    Ok(Parsed {
        name: PersonName::new(p.given, p.prefix, p.surname).map_err(AppError::invalid)?,
        email: Email::parse(p.email).map_err(AppError::invalid)?.as_str().to_string(),
        mobile: DutchMobile::parse(p.mobile)
            .map_err(AppError::invalid)?
            .as_e164()
            .to_string(),
    })
}

/// Whoever activated a means has an account: the demo accounts with their known password,
/// the other active people with a password nobody knows (a hash no password matches; they
/// can choose one with "Wachtwoord vergeten"). The rest have no account yet.
pub async fn account(
    conn: &mut Conn,
    p: &DemoPerson,
    who: &Parsed,
    demo: Option<&DemoAccount>,
    now: i64,
) -> Result<Option<String>, AppError> {
    let active = matches!(p.means, Some((_, _, Active)));
    if demo.is_none() && !active {
        return Ok(None);
    }
    let hash = demo.map_or(UNKNOWN_PASSWORD, |a| a.password_hash);
    let backoffice = p.means.is_none();
    let row = AccountRow {
        id: new_id(),
        email: who.email.clone(),
        verified_mobile_e164: who.mobile.clone(),
        language: "nl".into(),
        is_backoffice: i64::from(backoffice),
        staff_name: backoffice.then(|| who.name.display_name()),
        created_at: now - 40 * DAY_MS,
        updated_at: now - 40 * DAY_MS,
    };
    accounts::insert(conn, &row, hash).await?;
    Ok(Some(row.id))
}

/// The person's means in one organisation; bound to the account only once active.
#[allow(clippy::too_many_arguments)]
pub async fn means(
    conn: &mut Conn,
    p: &DemoPerson,
    who: &Parsed,
    org: &OrganisationRow,
    level: AssuranceLevel,
    state: MeansState,
    account: Option<&str>,
    now: i64,
) -> Result<MeansRow, AppError> {
    let today = CivilDate::from_unix_ms(now);
    let row = MeansRow {
        id: new_id(),
        account_id: account.filter(|_| state == Active).map(str::to_string),
        organisation_id: org.id.clone(),
        email: who.email.clone(),
        given_names: who.name.given_names().as_ref().to_string(),
        prefix: who.name.prefix().map(|p| p.as_ref().to_string()),
        surname: who.name.surname().as_ref().to_string(),
        birth_date: BirthDate::parse(p.born, today).map_err(AppError::invalid)?.iso(),
        mobile_e164: who.mobile.clone(),
        level,
        state,
        employed: i64::from(p.employed),
        valid_until: None,
        created_at: now - 40 * DAY_MS,
        updated_at: now,
    };
    means::insert(conn, &row).await?;
    Ok(row)
}

/// A requested means waits for its activation e-mail: the request and its first event.
pub async fn waiting_request(conn: &mut Conn, m: &MeansRow, employed: bool, now: i64) -> Result<(), AppError> {
    let req = RequestRow {
        id: new_id(),
        organisation_id: m.organisation_id.clone(),
        kind: RequestKind::NewMeans,
        state: RequestState::AwaitingEmail,
        account_id: None,
        means_id: Some(m.id.clone()),
        batch_id: None,
        requested_by: None,
        payload: serde_json::json!({ "level": m.level, "employed": employed }).to_string(),
        created_at: now - 2 * DAY_MS,
        updated_at: now - 2 * DAY_MS,
        finished_at: None,
    };
    requests::insert(conn, &req).await?;
    requests::add_event(
        conn,
        &req.id,
        req.created_at,
        None,
        TimelineEvent::Created,
        &serde_json::json!({}),
    )
    .await?;
    Ok(())
}

/// The manager manages at EH3; an active user may act at the demo services their means
/// is strong enough for (service level ≤ authorisation level ≤ means level).
pub async fn authorisations(conn: &mut Conn, m: &MeansRow, manager: bool, now: i64) -> Result<(), AppError> {
    if manager {
        authorisations::insert(conn, &auth_row(m, ScopeKind::Manage, None, Eh3, now)).await?;
        return Ok(());
    }
    if m.state != Active {
        return Ok(());
    }
    for (svc, _, _, svc_level) in CATALOGUE.iter().filter(|c| DEMO_SERVICES.contains(&c.0)) {
        if *svc_level <= m.level {
            authorisations::insert(conn, &auth_row(m, ScopeKind::Service, Some(svc), m.level, now)).await?;
        }
    }
    Ok(())
}

fn auth_row(
    m: &MeansRow,
    scope: ScopeKind,
    service: Option<&str>,
    level: AssuranceLevel,
    now: i64,
) -> AuthorisationRow {
    AuthorisationRow {
        id: new_id(),
        means_id: m.id.clone(),
        organisation_id: m.organisation_id.clone(),
        scope,
        service_id: service.map(str::to_string),
        level,
        valid_from: now - DAY_MS,
        valid_until: now + THREE_YEARS,
        state: AuthorisationState::Active,
        revoked_reason: None,
        granted_by: None,
        created_at: now,
        updated_at: now,
    }
}
