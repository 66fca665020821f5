//! The service catalogue and the demo organisations. Both are idempotent: running them
//! again changes nothing that is already there.
//!
//! - [`catalogue`]: the services and their required levels;
//! - [`people`]: the demo people and the means, accounts, requests and authorisations
//!   that follow from them;
//! - here: the demo accounts one can log in with, and [`seed_demo`] putting it together.
//!
//! The demo accounts carry a precomputed argon2id hash (the hasher's own parameters), so
//! seeding does not spend a second of CPU per account; a test keeps each hash equal to
//! its password.

mod catalogue;
mod people;

pub use catalogue::{seed_catalogue, CATALOGUE};

use crate::domain::audit::{AuditAction, AuditEvent, TargetKind};
use crate::domain::value::{KvkNumber, OrganisationName};
use crate::error::AppError;
use crate::server::audit::record;
use crate::server::db::organisations::{self, OrganisationRow};
use crate::server::db::{accounts, new_id, Conn};
use crate::server::state::AppState;
use people::{DemoPerson, MANAGER_EMAIL, PEOPLE};

pub struct DemoAccount {
    pub role: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    /// argon2id PHC string of `password` (19 MiB, t=2, p=1), stored as the account's hash.
    pub password_hash: &'static str,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        role: "beheerder (EH3, twee organisaties)",
        email: MANAGER_EMAIL,
        password: "Demo-beheer-2026!",
        password_hash:
            "$argon2id$v=19$m=19456,t=2,p=1$CRI0jQQaBfKRRsIx9ZpIoQ$2dF6kNx1GtbfoisYFbMDvj8RhQrmoV48CsMccJOXHyI",
    },
    DemoAccount {
        role: "gebruiker (EH2+)",
        email: "gebruiker@demo.example",
        password: "Demo-gebruiker-2026!",
        password_hash:
            "$argon2id$v=19$m=19456,t=2,p=1$ZO3WVIMvACm075npNZmcdg$6xz5zkrVKnWt79qwxjib2izlqf34oKbTKyeJiDCzzVk",
    },
    DemoAccount {
        role: "backoffice",
        email: "backoffice@demo.example",
        password: "Demo-backoffice-2026!",
        password_hash:
            "$argon2id$v=19$m=19456,t=2,p=1$3F8UVSM081qR0+Z0XzdOkg$jvCUeGFbILTwVlg0GrpZbBRVGSRlrElSDTw9w8205uw",
    },
];

pub const DEMO_ORGANISATION: &str = "Bakkerij De Gouden Korenschoof B.V.";
pub const DEMO_SECOND_ORGANISATION: &str = "Korenschoof Logistiek B.V.";

/// Seeds the catalogue and the demo organisations; returns false when the demo was already there.
pub async fn seed_demo(state: &AppState) -> Result<bool, AppError> {
    let now = state.now();
    let mut tx = state.db.begin().await?;
    seed_catalogue(&mut tx).await?;
    if accounts::find_by_email(&mut tx, MANAGER_EMAIL).await?.is_some() {
        tx.commit().await?;
        return Ok(false);
    }
    let orgs = demo_organisations(&mut tx, now).await?;
    for p in PEOPLE {
        demo_person(&mut tx, p, &orgs, now).await?;
    }
    let ev = AuditEvent::new(AuditAction::DemoSeeded, TargetKind::Organisation, &orgs[0].id).organisation(&orgs[0].id);
    record(&mut tx, ev, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// The two demo organisations, each with its audit event.
async fn demo_organisations(conn: &mut Conn, now: i64) -> Result<Vec<OrganisationRow>, AppError> {
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
        organisations::insert(conn, &row).await?;
        let ev =
            AuditEvent::new(AuditAction::OrganisationCreated, TargetKind::Organisation, &row.id).organisation(&row.id);
        record(conn, ev, now).await?;
        orgs.push(row);
    }
    Ok(orgs)
}

/// One person: their account, then their means (the manager one in each organisation)
/// with what follows from its state.
async fn demo_person(conn: &mut Conn, p: &DemoPerson, orgs: &[OrganisationRow], now: i64) -> Result<(), AppError> {
    let who = people::parse(p)?;
    let demo = DEMO_ACCOUNTS.iter().find(|a| a.email == who.email);
    let account = people::account(conn, p, &who, demo, now).await?;
    let Some((org, level, state)) = p.means else {
        return Ok(());
    };
    let manager = who.email == MANAGER_EMAIL;
    let org_indexes = if manager {
        &[0, 1][..]
    } else {
        std::slice::from_ref(&org)
    };
    for &o in org_indexes {
        let m = people::means(conn, p, &who, &orgs[o], level, state, account.as_deref(), now).await?;
        if state == crate::domain::means::MeansState::Requested {
            people::waiting_request(conn, &m, p.employed, now).await?;
        }
        people::authorisations(conn, &m, manager, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::auth::password::{PasswordHasher, Secret};

    #[tokio::test]
    async fn each_demo_hash_verifies_its_password() {
        let hasher = PasswordHasher::default();
        for a in DEMO_ACCOUNTS {
            assert!(
                a.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
                "{}: not the hasher's parameters",
                a.email
            );
            assert!(
                hasher.verify(&Secret::new(a.password), Some(a.password_hash)).await,
                "{}: the hash does not match the password",
                a.email
            );
            assert!(!hasher.verify(&Secret::new("wrong"), Some(a.password_hash)).await);
        }
    }

    #[test]
    fn every_demo_account_is_a_demo_person() {
        for a in DEMO_ACCOUNTS {
            assert!(PEOPLE.iter().any(|p| p.email == a.email), "{}", a.email);
        }
    }
}
