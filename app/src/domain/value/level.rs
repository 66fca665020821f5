//! [`AssuranceLevel`]: the eHerkenning assurance level (*betrouwbaarheidsniveau*).
//!
//! Invariants: only EH2, EH2+, EH3 and EH4 exist, ordered `EH2 < EH2+ < EH3 < EH4`
//! (the derived `Ord` follows the declaration order). EH1 no longer exists and is refused
//! with its own message. The stored and serialised names ("EH2", "EH2+", "EH3", "EH4")
//! are stable.

use super::ValueError;
use serde::{Deserialize, Serialize};

/// An eHerkenning assurance level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum AssuranceLevel {
    Eh2,
    Eh2Plus,
    Eh3,
    Eh4,
}

impl AssuranceLevel {
    /// All levels, lowest first.
    pub const ALL: [AssuranceLevel; 4] = [
        AssuranceLevel::Eh2,
        AssuranceLevel::Eh2Plus,
        AssuranceLevel::Eh3,
        AssuranceLevel::Eh4,
    ];

    /// Case-insensitive; surrounding and inner spaces are ignored ("eh 2+").
    pub fn parse(input: &str) -> Result<AssuranceLevel, ValueError> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        match s.as_str() {
            "" => Err(ValueError::LevelEmpty),
            "EH2" => Ok(AssuranceLevel::Eh2),
            "EH2+" => Ok(AssuranceLevel::Eh2Plus),
            "EH3" => Ok(AssuranceLevel::Eh3),
            "EH4" => Ok(AssuranceLevel::Eh4),
            "EH1" | "EH1+" => Err(ValueError::LevelEh1),
            _ => Err(ValueError::LevelUnknown),
        }
    }

    /// The stable name: "EH2", "EH2+", "EH3" or "EH4".
    pub fn as_str(self) -> &'static str {
        match self {
            AssuranceLevel::Eh2 => "EH2",
            AssuranceLevel::Eh2Plus => "EH2+",
            AssuranceLevel::Eh3 => "EH3",
            AssuranceLevel::Eh4 => "EH4",
        }
    }

    /// Login at this level asks for a second factor (an SMS code): EH2+ and up.
    pub fn needs_second_factor(self) -> bool {
        self >= AssuranceLevel::Eh2Plus
    }

    /// The levels at or below `max`, lowest first.
    pub fn up_to(max: AssuranceLevel) -> impl Iterator<Item = AssuranceLevel> {
        AssuranceLevel::ALL.into_iter().filter(move |l| *l <= max)
    }
}

impl AsRef<str> for AssuranceLevel {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for AssuranceLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for AssuranceLevel {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AssuranceLevel::parse(s)
    }
}

impl TryFrom<&str> for AssuranceLevel {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        AssuranceLevel::parse(s)
    }
}

impl TryFrom<String> for AssuranceLevel {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        AssuranceLevel::parse(&s)
    }
}

impl From<AssuranceLevel> for String {
    fn from(l: AssuranceLevel) -> String {
        l.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use AssuranceLevel::*;

    #[test]
    fn parses_case_insensitively() {
        assert_eq!(AssuranceLevel::parse(" eh2+ "), Ok(Eh2Plus));
        assert_eq!(AssuranceLevel::parse("Eh3"), Ok(Eh3));
        assert_eq!(AssuranceLevel::parse("EH 4"), Ok(Eh4));
    }

    #[test]
    fn explains_eh1_and_unknown_values() {
        let e = AssuranceLevel::parse("EH1").unwrap_err();
        assert_eq!(e.to_string(), "EH1 bestaat niet meer; kies EH2, EH2+, EH3 of EH4.");
        assert_eq!(AssuranceLevel::parse("EH5"), Err(ValueError::LevelUnknown));
        assert_eq!(AssuranceLevel::parse("3"), Err(ValueError::LevelUnknown));
        assert_eq!(AssuranceLevel::parse(""), Err(ValueError::LevelEmpty));
        assert!(ValueError::LevelUnknown.to_string().contains("EH2, EH2+, EH3 of EH4"));
    }

    #[test]
    fn orders_levels() {
        assert!(Eh2 < Eh2Plus && Eh2Plus < Eh3 && Eh3 < Eh4);
        assert!(!Eh2.needs_second_factor());
        assert!(Eh2Plus.needs_second_factor() && Eh4.needs_second_factor());
        assert_eq!(AssuranceLevel::up_to(Eh2Plus).collect::<Vec<_>>(), vec![Eh2, Eh2Plus]);
        assert_eq!(AssuranceLevel::up_to(Eh4).count(), 4);
    }

    #[test]
    fn serde_uses_the_stable_names() {
        assert_eq!(serde_json::to_string(&Eh2Plus).unwrap(), "\"EH2+\"");
        assert_eq!(serde_json::from_str::<AssuranceLevel>("\"eh3\"").unwrap(), Eh3);
        assert!(serde_json::from_str::<AssuranceLevel>("\"EH1\"").is_err());
    }

    proptest! {
        #[test]
        fn garbage_never_panics(s in ".{0,12}") {
            let _ = AssuranceLevel::parse(&s);
        }

        #[test]
        fn round_trips(i in 0usize..4) {
            let l = AssuranceLevel::ALL[i];
            prop_assert_eq!(AssuranceLevel::parse(&format!("{l}")), Ok(l));
            prop_assert_eq!(AssuranceLevel::parse(&l.as_str().to_lowercase()), Ok(l));
        }

        #[test]
        fn accepted_values_are_known_names(s in "[eEhH0-9+ ]{0,6}") {
            if let Ok(l) = AssuranceLevel::parse(&s) {
                prop_assert!(AssuranceLevel::ALL.contains(&l));
                prop_assert!(["EH2", "EH2+", "EH3", "EH4"].contains(&l.as_str()));
            }
        }

        #[test]
        fn up_to_holds_exactly_the_lower_levels(i in 0usize..4) {
            let max = AssuranceLevel::ALL[i];
            let below: Vec<_> = AssuranceLevel::up_to(max).collect();
            prop_assert_eq!(below.len(), i + 1);
            prop_assert!(below.iter().all(|l| *l <= max));
        }
    }
}
