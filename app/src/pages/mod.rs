//! One module per page.

pub mod gebruikers;
pub mod home;
pub mod login;
pub mod mijn;
pub mod not_found;
