//! Stored names: how the enums behind every state, kind, level and purpose column cross
//! the repository boundary. Each enum has exactly one name table (`ALL` with `as_str`,
//! generated from one list by `domain::named_enum!` or written beside the enum), and
//! [`Stored`] uses that same table to encode and to decode, so a row struct in `db/`
//! carries the enum itself.
//!
//! Invariant: decoding a name that is not in the table is an error (an `sqlx` decode
//! error naming the enum and the text), never a default. The database holds the same
//! lists as CHECK constraints (migration 0015); `server/tests/api/storage_checks.rs`
//! keeps the two equal.
//!
//! One deliberate exception: `outbox.template` stays tolerant text. A newer build may
//! write a template this one does not know; such a row is read with a render error and
//! never claimed (see `db::outbox`), so neither a CHECK nor a strict decode guards it.

use sqlx::any::{Any, AnyTypeInfo};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

/// An enum stored by its stable name.
pub trait Stored: Copy + Eq + std::fmt::Debug + Send + Sync + 'static {
    /// The enum's name, for decode errors.
    const TYPE: &'static str;
    /// Every variant: the name table together with [`Stored::name`].
    fn all() -> &'static [Self];
    /// The stable stored name.
    fn name(self) -> &'static str;

    /// The variant stored as `name`, if any.
    fn from_name(name: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.name() == name)
    }

    /// The names as an SQL list, `'a', 'b'`, for `IN (…)` and CHECK constraints.
    fn sql_list() -> String {
        Self::all()
            .iter()
            .map(|v| format!("'{}'", v.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A stored name that is not in its enum's table.
#[derive(Debug, thiserror::Error)]
#[error("unknown stored {type_name} name {value:?}")]
pub struct UnknownName {
    pub type_name: &'static str,
    pub value: String,
}

/// Parses a stored name, as the decoder does.
pub fn parse<T: Stored>(value: &str) -> Result<T, UnknownName> {
    T::from_name(value).ok_or_else(|| UnknownName {
        type_name: T::TYPE,
        value: value.to_owned(),
    })
}

/// Makes each listed enum [`Stored`] (from its `ALL` and `as_str`) and a TEXT value for
/// `sqlx::Any`: bound as its name, decoded strictly from it.
macro_rules! stored {
    ($($ty:ty),* $(,)?) => {$(
        impl Stored for $ty {
            const TYPE: &'static str = stringify!($ty);
            fn all() -> &'static [Self] {
                &<$ty>::ALL
            }
            fn name(self) -> &'static str {
                self.as_str()
            }
        }

        impl Type<Any> for $ty {
            fn type_info() -> AnyTypeInfo {
                <str as Type<Any>>::type_info()
            }
            fn compatible(ty: &AnyTypeInfo) -> bool {
                <str as Type<Any>>::compatible(ty)
            }
        }

        impl<'q> Encode<'q, Any> for $ty {
            fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
                <&'q str as Encode<'q, Any>>::encode(Stored::name(*self), buf)
            }
        }

        impl<'r> Decode<'r, Any> for $ty {
            fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <String as Decode<'r, Any>>::decode(value)?;
                Ok(parse::<$ty>(&text)?)
            }
        }
    )*};
}

use crate::domain::account_flow::{FlowPurpose, FlowStep};
use crate::domain::audit::{AuditAction, TargetKind};
use crate::domain::authorisation::{AuthorisationState, ScopeKind};
use crate::domain::means::MeansState;
use crate::domain::request::{RequestKind, RequestState, TimelineEvent};
use crate::domain::value::AssuranceLevel;
use crate::server::db::batches::BatchState;
use crate::server::db::documents::DocumentKind;
use crate::server::db::login_attempts::AttemptKind;
use crate::server::db::outbox::Channel;
use crate::server::db::tokens::Purpose;

stored!(
    AssuranceLevel,
    MeansState,
    RequestKind,
    RequestState,
    TimelineEvent,
    AuthorisationState,
    ScopeKind,
    FlowPurpose,
    FlowStep,
    AuditAction,
    TargetKind,
    BatchState,
    DocumentKind,
    AttemptKind,
    Channel,
    Purpose,
);

/// Calls `$f::<T>(args…)` for every stored enum: one list for the tests here and in
/// `server/tests/api/storage_checks.rs`.
#[macro_export]
macro_rules! for_each_stored {
    ($f:ident $(, $arg:expr)*) => {{
        use $crate::domain::account_flow::{FlowPurpose, FlowStep};
        use $crate::domain::audit::{AuditAction, TargetKind};
        use $crate::domain::authorisation::{AuthorisationState, ScopeKind};
        use $crate::domain::means::MeansState;
        use $crate::domain::request::{RequestKind, RequestState, TimelineEvent};
        use $crate::domain::value::AssuranceLevel;
        use $crate::server::db::batches::BatchState;
        use $crate::server::db::documents::DocumentKind;
        use $crate::server::db::login_attempts::AttemptKind;
        use $crate::server::db::outbox::Channel;
        use $crate::server::db::tokens::Purpose;
        $f::<AssuranceLevel>($($arg),*);
        $f::<MeansState>($($arg),*);
        $f::<RequestKind>($($arg),*);
        $f::<RequestState>($($arg),*);
        $f::<TimelineEvent>($($arg),*);
        $f::<AuthorisationState>($($arg),*);
        $f::<ScopeKind>($($arg),*);
        $f::<FlowPurpose>($($arg),*);
        $f::<FlowStep>($($arg),*);
        $f::<AuditAction>($($arg),*);
        $f::<TargetKind>($($arg),*);
        $f::<BatchState>($($arg),*);
        $f::<DocumentKind>($($arg),*);
        $f::<AttemptKind>($($arg),*);
        $f::<Channel>($($arg),*);
        $f::<Purpose>($($arg),*);
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn round_trips<T: Stored>() {
        let names: HashSet<&str> = T::all().iter().map(|v| v.name()).collect();
        assert_eq!(names.len(), T::all().len(), "{}: names are not unique", T::TYPE);
        for v in T::all() {
            assert_eq!(parse::<T>(v.name()).ok(), Some(*v), "{}", T::TYPE);
            assert!(!v.name().is_empty() && !v.name().contains('\''), "{}", T::TYPE);
        }
        let err = parse::<T>("no_such_name").unwrap_err();
        assert!(err.to_string().contains(T::TYPE) && err.to_string().contains("no_such_name"));
    }

    #[test]
    fn every_stored_enum_round_trips_through_unique_names() {
        crate::for_each_stored!(round_trips);
    }

    #[test]
    fn sql_lists_quote_every_name() {
        assert_eq!(AssuranceLevel::sql_list(), "'EH2', 'EH2+', 'EH3', 'EH4'");
    }
}
