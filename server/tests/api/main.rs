//! The one integration-test binary: API, repository and delivery tests on SQLite and
//! PostgreSQL.

mod helpers;
mod login;
mod notify;
mod repos;
mod upload;
mod users;
