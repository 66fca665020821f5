//! The one application state: reached from handlers through axum `State` and from server
//! functions through [`app_state`], never `expect_context`.

use super::auth::password::PasswordHasher;
use super::auth::throttle::AddressLimits;
use super::clock::SharedClock;
use super::config::Config;
use super::db::Db;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    pub passwords: PasswordHasher,
    /// Wakes the delivery worker when a transaction has queued messages.
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// Budgets per client address (this process's share of the limits).
    pub limits: Arc<AddressLimits>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: Db, config: Config, clock: SharedClock) -> AppState {
        AppState {
            leptos_options,
            db,
            limits: Arc::new(AddressLimits::new(&config.address_limits)),
            config: Arc::new(config),
            clock,
            passwords: PasswordHasher::default(),
            outbox_wake: Arc::new(tokio::sync::Notify::new()),
        }
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Wakes the delivery worker: call it after the commit of a transaction that queued
    /// messages (before it the worker would not see them yet).
    pub fn wake_outbox(&self) {
        self.outbox_wake.notify_one();
    }

    /// Commits a transaction that queued outbox messages and then wakes the worker: how
    /// services end such a transaction, so the wake never comes before the commit.
    pub async fn commit_and_wake(&self, tx: super::db::Tx<'_>) -> Result<(), sqlx::Error> {
        tx.commit().await?;
        self.wake_outbox();
        Ok(())
    }

    /// The uploaded-document store (in the database, shared by every instance).
    pub fn documents(&self) -> super::documents::DocumentStore {
        super::documents::DocumentStore::new(self.db.clone(), self.clock.clone())
    }
}

/// The state inside a server function.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the reactive context");
        AppError::Internal
    })
}
