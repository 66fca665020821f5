//! Pieces shared by pages.

pub mod csv_upload;
pub mod request_form;
pub mod shell;
