//! Everything that runs only on the server: configuration, state, storage, flows,
//! authentication and message delivery.

pub mod audit;
pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod notify;
pub mod seed;
pub mod service;
pub mod state;
