//! Authorisations (*machtigingen*): "this person may act for this organisation at this
//! service (or all services up to a level, or may manage)", their life cycle, their terms
//! and the level rules for granting them.
//!
//! State machine: `active ──revoke──▶ revoked` (final), `active ──expire──▶ expired`,
//! `expired ──reactivate──▶ active`.
//! Grant invariants ([`check_grant`]): `service level ≤ authorisation level ≤ means level`,
//! and a manager grants at most their own manager level. A term is 1, 3 or 5 years,
//! never more.

use crate::domain::time::CivilDate;
use crate::domain::value::{AssuranceLevel, ServiceId, ValueError};
use crate::domain::TransitionError;
use serde::{Deserialize, Serialize};

mod grant;
pub use grant::{check_grant, GrantError};

/// What an authorisation covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "service", rename_all = "snake_case")]
pub enum AuthorisationScope {
    /// One service from the catalogue.
    Service(ServiceId),
    /// Every service whose required level is at most the authorisation's level.
    UpToLevel,
    /// Authorisation manager (*machtigingenbeheerder*) for the organisation.
    Manage,
}

super::named_enum! {
    /// The kind of an [`AuthorisationScope`], as stored in the `scope` column.
    ScopeKind {
        Service = "service", "dienst";
        UpToLevel = "up_to_level", "alle diensten tot niveau";
        Manage = "manage", "beheer";
    }
}

impl AuthorisationScope {
    pub fn kind(&self) -> ScopeKind {
        match self {
            AuthorisationScope::Service(_) => ScopeKind::Service,
            AuthorisationScope::UpToLevel => ScopeKind::UpToLevel,
            AuthorisationScope::Manage => ScopeKind::Manage,
        }
    }

    /// The stored kind: "service", "up_to_level" or "manage".
    pub fn kind_str(&self) -> &'static str {
        self.kind().as_str()
    }

    pub fn service_id(&self) -> Option<&ServiceId> {
        match self {
            AuthorisationScope::Service(id) => Some(id),
            _ => None,
        }
    }
}

super::named_enum! {
    /// The state of an authorisation; `as_str()` is the stored name.
    AuthorisationState {
        Active = "active", "actief";
        Revoked = "revoked", "ingetrokken";
        Expired = "expired", "verlopen";
    }
}

impl AuthorisationState {
    pub fn revoke(self) -> Result<AuthorisationState, TransitionError> {
        self.go("intrekken", AuthorisationState::Active, AuthorisationState::Revoked)
    }

    pub fn expire(self) -> Result<AuthorisationState, TransitionError> {
        self.go(
            "laten verlopen",
            AuthorisationState::Active,
            AuthorisationState::Expired,
        )
    }

    pub fn reactivate(self) -> Result<AuthorisationState, TransitionError> {
        self.go(
            "opnieuw activeren",
            AuthorisationState::Expired,
            AuthorisationState::Active,
        )
    }

    fn go(
        self,
        action: &str,
        from: AuthorisationState,
        to: AuthorisationState,
    ) -> Result<AuthorisationState, TransitionError> {
        if self == from {
            Ok(to)
        } else {
            Err(TransitionError::new(self.label_nl(), action))
        }
    }
}

/// An authorisation as stored: who, for which organisation, what, at which level, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorisation {
    pub id: String,
    pub person_id: String,
    pub organisation_id: String,
    pub scope: AuthorisationScope,
    pub level: AssuranceLevel,
    pub state: AuthorisationState,
    pub valid_from: CivilDate,
    pub valid_until: CivilDate,
}

impl Authorisation {
    /// The holder's means is too weak to use this authorisation: show a warning.
    pub fn means_too_weak(&self, means_level: AssuranceLevel) -> bool {
        means_level < self.level
    }

    /// Whether it lets the holder act at a service requiring `service_level` with this id.
    /// Manager authorisations cover no service by themselves.
    pub fn covers(&self, service: &ServiceId, service_level: AssuranceLevel) -> bool {
        self.state == AuthorisationState::Active
            && service_level <= self.level
            && match &self.scope {
                AuthorisationScope::Service(id) => id == service,
                AuthorisationScope::UpToLevel => true,
                AuthorisationScope::Manage => false,
            }
    }
}

/// How long an authorisation is valid: 1, 3 or 5 years. Serialised as "1", "3" or "5".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Term {
    OneYear,
    ThreeYears,
    FiveYears,
}

impl Term {
    pub const ALL: [Term; 3] = [Term::OneYear, Term::ThreeYears, Term::FiveYears];

    /// Accepts "1", "3" or "5" (surrounding spaces ignored).
    pub fn parse(input: &str) -> Result<Term, ValueError> {
        match input.trim() {
            "1" => Ok(Term::OneYear),
            "3" => Ok(Term::ThreeYears),
            "5" => Ok(Term::FiveYears),
            s => match s.parse::<u64>() {
                Ok(n) if n > 5 => Err(ValueError::TermTooLong),
                _ => Err(ValueError::TermInvalid),
            },
        }
    }

    pub fn years(self) -> i32 {
        match self {
            Term::OneYear => 1,
            Term::ThreeYears => 3,
            Term::FiveYears => 5,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Term::OneYear => "1",
            Term::ThreeYears => "3",
            Term::FiveYears => "5",
        }
    }

    /// When a term starting on `from` ends: the same calendar day `years()` later
    /// (29 February ends on 28 February).
    pub fn until(self, from: CivilDate) -> CivilDate {
        from.add_years(self.years())
    }
}

impl std::fmt::Display for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<&str> for Term {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Term::parse(s)
    }
}

impl TryFrom<String> for Term {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Term::parse(&s)
    }
}

impl From<Term> for String {
    fn from(t: Term) -> String {
        t.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests;
