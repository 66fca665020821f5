//! Beheermodule: the shared crate. `domain`, `upload` and `contract` (the wire and view
//! types) are pure and compile to wasm32;
//! `server` exists only with the `ssr` feature; pages and server functions are isomorphic.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod contract;
pub mod domain;
pub mod error;
pub mod pages;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;
pub mod upload;
