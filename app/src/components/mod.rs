//! Pieces shared by pages.

pub mod request_form;
pub mod shell;
