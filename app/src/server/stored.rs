//! JSON kept in a text column: request payloads, timeline details, registration records,
//! wizard drafts. What does not parse is an internal error, logged once with the column and
//! the cause, never read as an empty default.

use crate::error::AppError;
use serde::de::DeserializeOwned;

#[track_caller]
pub fn parse<T: DeserializeOwned>(column: &'static str, text: &str) -> Result<T, AppError> {
    let at = std::panic::Location::caller();
    serde_json::from_str(text).map_err(|e| {
        tracing::error!(column, cause = %e, at = %at, "stored JSON does not parse");
        AppError::Internal
    })
}

/// A field `name` of the stored JSON object `text`, as text (`None` when the object has no
/// such text field; an error when `text` is no JSON at all).
#[track_caller]
pub fn text_field(column: &'static str, text: &str, name: &str) -> Result<Option<String>, AppError> {
    let value: serde_json::Value = parse(column, text)?;
    Ok(value.get(name).and_then(|v| v.as_str()).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_does_not_parse_is_an_error_not_a_default() {
        assert_eq!(parse::<Vec<String>>("payload", "[\"a\"]"), Ok(vec!["a".to_string()]));
        assert_eq!(parse::<Vec<String>>("payload", "{kapot"), Err(AppError::Internal));
        assert_eq!(
            text_field("detail", r#"{"reason":"x"}"#, "reason"),
            Ok(Some("x".into()))
        );
        assert_eq!(text_field("detail", r#"{}"#, "reason"), Ok(None));
        assert_eq!(text_field("detail", "", "reason"), Err(AppError::Internal));
    }
}
