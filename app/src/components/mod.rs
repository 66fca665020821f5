//! Pieces shared by pages.

pub mod shell;
