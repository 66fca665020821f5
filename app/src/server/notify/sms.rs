//! SMS over the HTTP gateway (contract in PRODUCT.md): `POST $SMS_GATEWAY_URL` with JSON
//! `{"to": "+316…", "body": "…"}` and `Authorization: Bearer $SMS_GATEWAY_TOKEN` when a
//! token is set. Any 2xx is delivered; anything else, or no answer within
//! [`SMS_TIMEOUT`], is an error the worker retries.

use super::{NotifyError, SendError};
use std::fmt;
use std::time::Duration;

pub const SMS_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct SmsGateway {
    client: reqwest::Client,
    url: String,
    token: Option<String>,
}

impl fmt::Debug for SmsGateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsGateway")
            .field("url", &self.url)
            .field("token", &self.token.as_ref().map(|_| "•••"))
            .finish()
    }
}

impl SmsGateway {
    pub fn new(url: &str, token: Option<&str>) -> Result<SmsGateway, NotifyError> {
        let parsed = reqwest::Url::parse(url).map_err(|e| NotifyError::SmsGateway(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(NotifyError::SmsGateway("use an http:// or https:// URL".into()));
        }
        let client = reqwest::Client::builder()
            .timeout(SMS_TIMEOUT)
            .connect_timeout(SMS_TIMEOUT)
            .build()
            .map_err(|e| NotifyError::SmsGateway(e.to_string()))?;
        Ok(SmsGateway {
            client,
            url: url.to_string(),
            token: token.map(str::to_string).filter(|t| !t.is_empty()),
        })
    }

    /// Sends one SMS to an E.164 number.
    pub async fn send(&self, to: &str, body: &str) -> Result<(), SendError> {
        let mut request = self
            .client
            .post(&self.url)
            .json(&serde_json::json!({ "to": to, "body": body }));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        match request.send().await {
            // The response body is not read into the error: a gateway may echo the message.
            Ok(resp) if resp.status().is_success() => Ok(()),
            Ok(resp) => Err(SendError::retry(format!("sms gateway answered {}", resp.status()))),
            Err(e) => Err(SendError::retry(format!("sms gateway: {}", describe(e)))),
        }
    }
}

/// The error and its causes, without the URL (it might carry a key in its query).
fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_token() {
        let g = SmsGateway::new("http://127.0.0.1:9/sms", Some("s3cr3t-token")).unwrap();
        let s = format!("{g:?}");
        assert!(!s.contains("s3cr3t") && s.contains("127.0.0.1:9"), "{s}");
    }

    #[test]
    fn rejects_unusable_urls() {
        assert!(SmsGateway::new("niet een url", None).is_err());
        assert!(SmsGateway::new("ftp://x/sms", None).is_err());
        assert!(SmsGateway::new("https://sms.example.nl/v1", Some(""))
            .unwrap()
            .token
            .is_none());
    }
}
