//! [`Organisation`]: a business customer, identified by its KvK number.
//!
//! Invariants come from the value types: a valid KvK number, an optional valid branch
//! number (`None` means the authorisations are not limited to one branch) and a valid name.

use crate::domain::value::{BranchNumber, KvkNumber, OrganisationName};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: String,
    pub kvk_number: KvkNumber,
    pub branch_number: Option<BranchNumber>,
    pub name: OrganisationName,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserialising_checks_every_field() {
        let ok = r#"{"id":"o1","kvk_number":"12345678","branch_number":null,"name":"Acme B.V."}"#;
        let org: Organisation = serde_json::from_str(ok).unwrap();
        assert_eq!(org.kvk_number.as_str(), "12345678");
        let bad = r#"{"id":"o1","kvk_number":"1234","branch_number":null,"name":"Acme"}"#;
        assert!(serde_json::from_str::<Organisation>(bad).is_err());
    }
}
