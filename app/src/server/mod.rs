//! Everything that runs only on the server: configuration, state, storage, flows,
//! authentication and message delivery.

pub mod audit;
pub mod auth;
pub mod authorisation_expiry;
pub mod clock;
pub mod config;
pub mod db;
pub mod documents;
pub mod export;
pub mod jobs;
pub mod metrics;
pub mod notify;
pub mod overview_cache;
pub mod seed;
pub mod service;
pub mod startup;
pub mod state;
pub mod stored;
pub mod telemetry;
