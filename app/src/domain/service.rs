//! [`Service`]: an entry in the service catalogue of government service providers.
//!
//! Invariant: a valid [`ServiceId`]; the required level is the lowest assurance level
//! at which the provider accepts a login for this service.

use crate::domain::value::{AssuranceLevel, ServiceId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    /// The service provider (*dienstverlener*), e.g. "Belastingdienst".
    pub provider: String,
    pub required_level: AssuranceLevel,
}

impl Service {
    /// Whether a login at `level` is strong enough for this service.
    pub fn accepts(&self, level: AssuranceLevel) -> bool {
        level >= self.required_level
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_levels_at_or_above_the_requirement() {
        let s = Service {
            id: ServiceId::parse("bd-omzetbelasting").unwrap(),
            name: "Omzetbelasting".into(),
            provider: "Belastingdienst".into(),
            required_level: AssuranceLevel::Eh3,
        };
        assert!(!s.accepts(AssuranceLevel::Eh2Plus));
        assert!(s.accepts(AssuranceLevel::Eh3) && s.accepts(AssuranceLevel::Eh4));
    }
}
