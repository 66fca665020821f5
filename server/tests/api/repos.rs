//! Repository tests: every table's repository on SQLite and PostgreSQL, each test on its
//! own fresh database.

use crate::both_dbs;
use crate::helpers::TestDb;

use app::domain::authorisation::{AuthorisationState, ScopeKind};
use app::domain::means::MeansState;
use app::domain::request::{RequestKind, RequestState, TimelineEvent};
use app::domain::value::AssuranceLevel;
use app::server::db::accounts::{self, AccountRow};
use app::server::db::authorisations::{self, AuthorisationRow};

use app::server::db::means::{self, MeansRow};
use app::server::db::organisations::{self, OrganisationRow};
use app::server::db::requests::{self, RequestRow};
use app::server::db::services::{self, ServiceRow};

use app::server::db::{is_unique_violation, new_id, Conn};

pub(crate) fn org(kvk: &str, branch: Option<&str>) -> OrganisationRow {
    OrganisationRow {
        id: new_id(),
        kvk_number: kvk.into(),
        branch_number: branch.map(Into::into),
        name: format!("Org {kvk}"),
        created_at: 1,
    }
}

pub(crate) fn account(email: &str) -> AccountRow {
    AccountRow {
        id: new_id(),
        email: email.into(),
        verified_mobile_e164: "+31612345678".into(),
        language: "nl".into(),
        is_backoffice: 0,
        staff_name: None,
        created_at: 1,
        updated_at: 1,
    }
}

/// A means with this organisation's particulars, bound to the account.
pub(crate) fn means_row(a: &AccountRow, o: &OrganisationRow, state: MeansState) -> MeansRow {
    MeansRow {
        id: new_id(),
        account_id: Some(a.id.clone()),
        organisation_id: o.id.clone(),
        email: a.email.clone(),
        given_names: "Jan".into(),
        prefix: Some("van".into()),
        surname: "Dijk".into(),
        birth_date: "1980-01-31".into(),
        mobile_e164: "+31612345678".into(),
        level: AssuranceLevel::Eh3,
        state,
        employed: 1,
        valid_until: None,
        created_at: 1,
        updated_at: 1,
    }
}

pub(crate) fn auth(
    m: &MeansRow,
    scope: ScopeKind,
    service: Option<&str>,
    state: AuthorisationState,
) -> AuthorisationRow {
    AuthorisationRow {
        id: new_id(),
        means_id: m.id.clone(),
        organisation_id: m.organisation_id.clone(),
        scope,
        service_id: service.map(Into::into),
        level: AssuranceLevel::Eh3,
        valid_from: 0,
        valid_until: 10_000,
        state,
        revoked_reason: None,
        granted_by: None,
        created_at: 1,
        updated_at: 1,
    }
}

/// An organisation, an account and an active means there.
pub(crate) async fn fixture(c: &mut Conn) -> (OrganisationRow, AccountRow, MeansRow) {
    let o = org("12345678", None);
    organisations::insert(c, &o).await.unwrap();
    let p = account("jan@example.nl");
    accounts::insert(c, &p, "$argon2id$fixture").await.unwrap();
    let m = means_row(&p, &o, MeansState::Active);
    means::insert(c, &m).await.unwrap();
    (o, p, m)
}

both_dbs!(organisations_by_id_and_kvk, |t: TestDb| async move {
    let mut c = t.db.pool.acquire().await.unwrap();
    let a = org("12345678", None);
    let b = org("12345678", Some("000012345678"));
    organisations::insert(&mut c, &a).await.unwrap();
    organisations::insert(&mut c, &b).await.unwrap();
    assert_eq!(organisations::find(&mut c, &a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(
        organisations::find_by_kvk(&mut c, "12345678", None).await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(
        organisations::find_by_kvk(&mut c, "12345678", Some("000012345678"))
            .await
            .unwrap(),
        Some(b)
    );
    let dup = organisations::insert(&mut c, &org("12345678", None)).await.unwrap_err();
    assert!(is_unique_violation(&dup), "{dup}");
});

both_dbs!(accounts_by_email_with_password, |t: TestDb| async move {
    let mut c = t.db.pool.acquire().await.unwrap();
    let a = account("a@example.nl");
    accounts::insert(&mut c, &a, "$argon2id$first").await.unwrap();
    let found = accounts::find_by_email(&mut c, "a@example.nl").await.unwrap().unwrap();
    assert_eq!(found, a);
    assert_eq!(
        accounts::password_hash(&mut c, &a.id).await.unwrap().as_deref(),
        Some("$argon2id$first")
    );
    accounts::set_password_hash(&mut c, &a.id, "$argon2id$x", 5)
        .await
        .unwrap();
    accounts::set_verified_mobile(&mut c, &a.id, "+31687654321", 6)
        .await
        .unwrap();
    assert_eq!(
        accounts::password_hash(&mut c, &a.id).await.unwrap().as_deref(),
        Some("$argon2id$x")
    );
    let after = accounts::find(&mut c, &a.id).await.unwrap().unwrap();
    assert_eq!(
        (after.verified_mobile_e164.as_str(), after.updated_at),
        ("+31687654321", 6)
    );
    let dup = accounts::insert(&mut c, &account("a@example.nl"), "h")
        .await
        .unwrap_err();
    assert!(is_unique_violation(&dup), "one account per address: {dup}");
});

both_dbs!(means_are_scoped_and_unique_while_live, |t: TestDb| async move {
    let mut c = t.db.pool.acquire().await.unwrap();
    let (o, p, m) = fixture(&mut c).await;
    let other = org("87654321", None);
    organisations::insert(&mut c, &other).await.unwrap();
    assert_eq!(means::find(&mut c, &o.id, &m.id).await.unwrap(), Some(m.clone()));
    assert_eq!(
        means::find(&mut c, &other.id, &m.id).await.unwrap(),
        None,
        "a foreign id is not found"
    );
    // A second live means for the same address and organisation is refused…
    let err = means::insert(&mut c, &means_row(&p, &o, MeansState::Requested))
        .await
        .unwrap_err();
    assert!(is_unique_violation(&err));
    // …but another organisation may have its own, with its own particulars, unbound.
    let theirs = MeansRow {
        account_id: None,
        given_names: "Iemand".into(),
        surname: "Anders".into(),
        mobile_e164: "+31600000000".into(),
        ..means_row(&p, &other, MeansState::Requested)
    };
    means::insert(&mut c, &theirs).await.unwrap();
    assert_eq!(
        means::find(&mut c, &other.id, &theirs.id).await.unwrap(),
        Some(theirs.clone())
    );
    assert_eq!(
        means::find(&mut c, &o.id, &m.id).await.unwrap().unwrap().given_names,
        "Jan",
        "one organisation's particulars never touch another's"
    );
    assert_eq!(
        means::live_by_email(&mut c, &other.id, "jan@example.nl").await.unwrap(),
        Some(theirs.clone())
    );
    assert_eq!(
        means::of_account(&mut c, &p.id).await.unwrap(),
        vec![m.clone()],
        "only bound means"
    );
    // Binding happens once.
    assert!(means::bind_account(&mut c, &theirs.id, &p.id, 3).await.unwrap());
    assert!(!means::bind_account(&mut c, &theirs.id, &p.id, 4).await.unwrap());
    assert_eq!(means::of_account(&mut c, &p.id).await.unwrap().len(), 2);
    assert_eq!(
        means::usable_in(&mut c, &p.id, &o.id).await.unwrap().map(|m| m.id),
        Some(m.id.clone())
    );
    assert_eq!(
        means::usable_in(&mut c, &p.id, &other.id).await.unwrap(),
        None,
        "requested is not usable"
    );
    // Cancelled, the address may be requested again here. State changes are compare-and-set.
    assert!(
        !means::set_state(&mut c, &m.id, MeansState::Requested, MeansState::Cancelled, 2)
            .await
            .unwrap()
    );
    assert!(
        means::set_state(&mut c, &m.id, MeansState::Active, MeansState::Cancelled, 2)
            .await
            .unwrap()
    );
    means::insert(&mut c, &means_row(&p, &o, MeansState::Requested))
        .await
        .unwrap();
    assert_eq!(
        means::count_by_state(&mut c, &o.id, MeansState::Requested)
            .await
            .unwrap(),
        1
    );
    assert_eq!(means::count_people(&mut c, &o.id).await.unwrap(), 1);
});

both_dbs!(services_upsert_by_stable_id, |t: TestDb| async move {
    let mut c = t.db.pool.acquire().await.unwrap();
    let mut s = ServiceRow {
        id: "bd-omzetbelasting".into(),
        name: "Omzet".into(),
        provider: "Belastingdienst".into(),
        required_level: AssuranceLevel::Eh3,
    };
    services::upsert(&mut c, &s).await.unwrap();
    s.name = "Aangifte omzetbelasting".into();
    services::upsert(&mut c, &s).await.unwrap();
    assert_eq!(services::all(&mut c).await.unwrap(), vec![s.clone()]);
    assert_eq!(services::find(&mut c, "bd-omzetbelasting").await.unwrap(), Some(s));
    let n = app::server::seed::seed_catalogue(&mut c).await.unwrap();
    assert!(n >= 30);
    assert_eq!(services::all(&mut c).await.unwrap().len(), n);
});

both_dbs!(authorisations_and_managers, |t: TestDb| async move {
    let mut c = t.db.pool.acquire().await.unwrap();
    let (o, p, m) = fixture(&mut c).await;
    app::server::seed::seed_catalogue(&mut c).await.unwrap();
    authorisations::insert(&mut c, &auth(&m, ScopeKind::Manage, None, AuthorisationState::Active))
        .await
        .unwrap();
    authorisations::insert(
        &mut c,
        &auth(
            &m,
            ScopeKind::Service,
            Some("kvk-uittreksel"),
            AuthorisationState::Active,
        ),
    )
    .await
    .unwrap();
    authorisations::insert(
        &mut c,
        &auth(
            &m,
            ScopeKind::Service,
            Some("rvo-subsidies"),
            AuthorisationState::Revoked,
        ),
    )
    .await
    .unwrap();
    assert_eq!(authorisations::of_means(&mut c, &m.id).await.unwrap().len(), 3);
    assert_eq!(
        authorisations::count_active(&mut c, &o.id).await.unwrap(),
        1,
        "manager rights are not counted"
    );
    let managed = organisations::managed_by(&mut c, &p.id, 5_000).await.unwrap();
    assert_eq!(managed.len(), 1);
    assert_eq!(
        (managed[0].id.as_str(), managed[0].level.as_str()),
        (o.id.as_str(), "EH3")
    );
    // Outside its term, or on a cancelled means, the manager authorisation counts for nothing.
    assert!(organisations::managed_by(&mut c, &p.id, 10_000)
        .await
        .unwrap()
        .is_empty());
    means::set_state(&mut c, &m.id, MeansState::Active, MeansState::Cancelled, 2)
        .await
        .unwrap();
    assert!(organisations::managed_by(&mut c, &p.id, 5_000)
        .await
        .unwrap()
        .is_empty());
});

both_dbs!(requests_with_timeline, |t: TestDb| async move {
    let mut c = t.db.pool.acquire().await.unwrap();
    let (o, p, m) = fixture(&mut c).await;
    let r = RequestRow {
        id: new_id(),
        organisation_id: o.id.clone(),
        kind: RequestKind::NewMeans,
        state: RequestState::AwaitingEmail,
        account_id: Some(p.id.clone()),
        means_id: Some(m.id.clone()),
        batch_id: None,
        requested_by: Some(p.id.clone()),
        payload: r#"{"level":"EH3"}"#.into(),
        created_at: 10,
        updated_at: 10,
        finished_at: None,
    };
    requests::insert(&mut c, &r).await.unwrap();
    assert_eq!(requests::find(&mut c, &o.id, &r.id).await.unwrap(), Some(r.clone()));
    assert_eq!(requests::find(&mut c, "other-org", &r.id).await.unwrap(), None);
    assert_eq!(requests::count_open(&mut c, &o.id).await.unwrap(), 1);
    requests::add_event(&mut c, &r.id, 10, None, TimelineEvent::Created, &serde_json::json!({}))
        .await
        .unwrap();
    requests::add_event(
        &mut c,
        &r.id,
        20,
        Some(&p.id),
        TimelineEvent::EmailConfirmed,
        &serde_json::json!({"via": "link"}),
    )
    .await
    .unwrap();
    let ev = requests::events(&mut c, &r.id).await.unwrap();
    assert_eq!(
        ev.iter().map(|e| e.event.as_str()).collect::<Vec<_>>(),
        ["created", "email_confirmed"]
    );
    assert!(!requests::set_state(
        &mut c,
        &r.id,
        RequestState::AwaitingSms,
        RequestState::Cancelled,
        true,
        30
    )
    .await
    .unwrap());
    assert!(requests::set_state(
        &mut c,
        &r.id,
        RequestState::AwaitingEmail,
        RequestState::Cancelled,
        true,
        30
    )
    .await
    .unwrap());
    let done = requests::find(&mut c, &o.id, &r.id).await.unwrap().unwrap();
    assert_eq!((done.state.as_str(), done.finished_at), ("cancelled", Some(30)));
    assert_eq!(requests::count_open(&mut c, &o.id).await.unwrap(), 0);
});
