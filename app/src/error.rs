//! The one error type server functions return. Its messages are what the user sees (Dutch);
//! internal detail is logged on the server and never crosses the wire.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input that does not pass a rule; the text says which and why.
    #[error("{0}")]
    Invalid(String),
    #[error("U bent niet (meer) ingelogd. Log opnieuw in.")]
    Unauthenticated,
    #[error("U heeft hier geen toegang toe.")]
    Forbidden,
    /// Also what a foreign organisation's id answers.
    #[error("Niet gevonden.")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("Te veel pogingen. Probeer het over enkele minuten opnieuw.")]
    RateLimited,
    /// A limit was reached; the text says which and when to try again.
    #[error("{0}")]
    Limited(String),
    #[error("Er ging iets mis aan onze kant. Probeer het later opnieuw.")]
    Internal,
    /// [`AppError::Internal`] as the user sees it: with the request's id to quote, under
    /// which the cause is in the log.
    #[error("Er ging iets mis aan onze kant. Probeer het later opnieuw. Noemt u bij vragen de foutcode {0}.")]
    InternalRef(String),
    #[error("De server is niet bereikbaar. Controleer de verbinding en probeer het opnieuw.")]
    Transport,
}

/// What a request whose arguments do not parse answers (a stale page, a hand-made request).
const MALFORMED: &str =
    "De gegevens van dit verzoek zijn onvolledig of onleesbaar. Vernieuw de pagina en probeer het opnieuw.";

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Transport,
            // The request's arguments did not parse: the caller's fault, answered with 422.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::Invalid(MALFORMED.into()),
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(_) => AppError::Invalid(MALFORMED.into()),
            _ => AppError::Internal,
        }
    }
}

impl AppError {
    pub fn invalid(msg: impl std::fmt::Display) -> Self {
        AppError::Invalid(msg.to_string())
    }
}

#[cfg(feature = "ssr")]
pub use ssr::OrInternal;

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use crate::server::db::DbError;

    /// Turns a failure into [`AppError::Internal`] and logs it once, with its cause and the
    /// place in the code, inside the request's span (whose id the user is shown).
    pub trait OrInternal<T> {
        fn or_internal(self) -> Result<T, AppError>;
    }

    impl<T, E: std::fmt::Display> OrInternal<T> for Result<T, E> {
        #[track_caller]
        fn or_internal(self) -> Result<T, AppError> {
            let at = std::panic::Location::caller();
            self.map_err(|e| {
                tracing::error!(cause = %e, at = %at, "internal error");
                AppError::Internal
            })
        }
    }

    /// A value that must be there (a row just written, a configured key) and is not.
    impl<T> OrInternal<T> for Option<T> {
        #[track_caller]
        fn or_internal(self) -> Result<T, AppError> {
            let at = std::panic::Location::caller();
            self.ok_or_else(|| {
                tracing::error!(at = %at, "internal error: an expected value is missing");
                AppError::Internal
            })
        }
    }

    impl AppError {
        /// As the user is shown it: an internal error with the request's id to quote.
        pub fn quoting(self, id: Option<&crate::server::telemetry::RequestId>) -> Self {
            match (self, id) {
                (AppError::Internal, Some(id)) => AppError::InternalRef(id.0.clone()),
                (e, _) => e,
            }
        }

        /// [`AppError::Internal`], logged with `cause`.
        #[track_caller]
        pub fn internal(cause: impl std::fmt::Display) -> Self {
            let at = std::panic::Location::caller();
            tracing::error!(cause = %cause, at = %at, "internal error");
            AppError::Internal
        }
    }

    impl From<DbError> for AppError {
        fn from(e: DbError) -> Self {
            tracing::error!(error = %e, "database error");
            AppError::Internal
        }
    }

    impl AppError {
        /// The HTTP status a server function answers with this error.
        pub fn status(&self) -> axum::http::StatusCode {
            use axum::http::StatusCode as S;
            match self {
                AppError::Invalid(_) => S::UNPROCESSABLE_ENTITY,
                AppError::Unauthenticated => S::UNAUTHORIZED,
                AppError::Forbidden => S::FORBIDDEN,
                AppError::NotFound => S::NOT_FOUND,
                AppError::Conflict(_) => S::CONFLICT,
                AppError::RateLimited | AppError::Limited(_) => S::TOO_MANY_REQUESTS,
                AppError::Internal | AppError::InternalRef(_) | AppError::Transport => S::INTERNAL_SERVER_ERROR,
            }
        }
    }

    impl From<crate::server::auth::password::PasswordError> for AppError {
        fn from(e: crate::server::auth::password::PasswordError) -> Self {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(e: sqlx::Error) -> Self {
            tracing::error!(error = %e, "database error");
            AppError::Internal
        }
    }
}
