//! Pieces shared by pages.

pub mod csv_upload;
pub mod grant_form;
pub mod registration_fields;
pub mod request_form;
pub mod secret_fields;
pub mod shell;
