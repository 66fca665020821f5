//! The Beheermodule server crate: the axum router with the layers every request passes
//! ([`http`]) and each request's trace ([`trace`]). This is where the screens
//! (`app::routes`) are joined to the core (`app::server`); the core never imports them.
//! `main.rs` reads the configuration and runs the subcommands; the tests and the
//! benchmarks build the same router.

pub mod http;
pub mod trace;
