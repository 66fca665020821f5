//! The one integration-test binary: API, repository and delivery tests on SQLite and
//! PostgreSQL.

mod activation;
mod attention;
mod authorisation_expiry;
mod authorisations;
mod helpers;
mod http_rules;
mod identity;
mod identity_account;
mod identity_sessions;
mod identity_support;
mod limits;
mod login;
mod means_admin;
mod migration;
mod notify;
mod overview;
mod own_account;
mod registration;
mod registration_support;
mod repos;
mod request_support;
mod requests;
mod requests_ending;
mod upload;
mod users;
