//! The pure domain of the Beheermodule: value types, entities and the rules and state
//! machines that govern them.
//!
//! Everything here compiles to wasm32 as well as natively, so the browser validates with
//! exactly the rules the server enforces. No I/O, no clock, no randomness: functions that
//! need "now" or "today" take it as a parameter. Ids are opaque strings chosen by the
//! server. State machines are enums whose stable `as_str()` names are what the database
//! stores; their transitions are pure functions returning `Result<_, TransitionError>`.

pub mod account_flow;
pub mod audit;
pub mod authorisation;
pub mod csv_export;
pub mod document;
pub mod login_limit;
pub mod mail_text;
pub mod means;
pub mod organisation;
pub mod password;
pub mod person;
pub mod person_request;
pub mod registration;
pub mod request;
pub mod resend;
pub mod service;
pub mod time;
pub mod value;
pub mod working_days;

use serde::{Deserialize, Serialize};

/// Declares a fieldless enum with a stable stored name (`as_str`, `parse`, serde in
/// snake_case), a Dutch label (`label_nl`), the list of all variants (`ALL`) and a
/// `Display` that writes the stored name.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $stored:literal, $label:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: [$name; [$(stringify!($variant)),*].len()] = [$($name::$variant),*];

            /// The stable stored name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored),* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.into_iter().find(|v| v.as_str() == s)
            }

            pub fn label_nl(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use named_enum;

/// An action that the current state does not allow. Both fields hold Dutch words for
/// people (`from` is the state's `label_nl()`, `action` a short verb phrase), so the
/// message reads e.g. "Actie 'annuleren' is niet toegestaan in toestand 'afgerond'.".
/// Code should decide on the enums, never on these strings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("Actie '{action}' is niet toegestaan in toestand '{from}'.")]
pub struct TransitionError {
    pub from: String,
    pub action: String,
}

impl TransitionError {
    pub fn new(from: impl Into<String>, action: impl Into<String>) -> TransitionError {
        TransitionError {
            from: from.into(),
            action: action.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_error_reads_as_dutch() {
        let e = TransitionError::new("afgerond", "annuleren");
        assert_eq!(
            e.to_string(),
            "Actie 'annuleren' is niet toegestaan in toestand 'afgerond'."
        );
    }
}
