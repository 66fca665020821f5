//! The contract between the server and the pages: the wire and view types that server
//! functions take and return, the query types behind list pages, their labels, and the
//! notice codes a plain form post redirects with. Shared by `api`, the services in
//! `server` and the pages; it depends on `crate::domain` only, so it compiles for the
//! browser (wasm32) and the server alike.

/// Declares the messages a plain-form flow shows once after a post, each named by a stable
/// code in the redirect's query string (`?melding=…`), so the page says what happened
/// without JavaScript and without putting any free text in a URL.
macro_rules! notices {
    ($(#[$meta:meta])* $name:ident; $($variant:ident = $code:literal, $error:literal, $text:literal;)*) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: [$name; [$($code),*].len()] = [$($name::$variant),*];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),* } }
            pub fn parse(s: &str) -> Option<$name> { Self::ALL.into_iter().find(|n| n.code() == s) }
            /// An error (shown as an alert) rather than good news.
            pub fn is_error(self) -> bool { match self { $($name::$variant => $error),* } }
            pub fn text(self) -> &'static str { match self { $($name::$variant => $text),* } }
        }
    };
}
pub(crate) use notices;

pub mod account;
pub mod activation;
pub mod auth;
pub mod authorisations;
pub mod backoffice;
pub mod home;
pub mod me;
pub mod means;
pub mod overview;
pub mod registration_review;
pub mod registrations;
pub mod requests;
pub mod users;
