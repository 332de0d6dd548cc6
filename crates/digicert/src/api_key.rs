//! [`ApiKey`]: a DigiCert API key that never shows itself in `Debug`, `Display` or errors.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::Error;

/// A DigiCert API key (Partner Subscriptions or CertCentral).
///
/// Every client holds one and sends it, marked sensitive, on every request. `Debug` and
/// `Display` print `ApiKey(<redacted>)` and `<redacted>`; only [`ApiKey::expose`] gives
/// the value back. It also appears as a field of responses that carry a freshly created
/// key (shown once by DigiCert), so that such a key cannot leak through `{:?}` either.
///
/// ```
/// let key = digicert::ApiKey::new("example-key-123")?;
/// assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
/// assert_eq!(key.expose(), "example-key-123");
/// # Ok::<(), digicert::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ApiKey(Arc<str>);

impl ApiKey {
    /// Wraps `key`, checking that an HTTP header can carry it: not empty, and only visible
    /// ASCII characters (no spaces, control characters or non-ASCII). The error never
    /// contains the key.
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        let key: String = key.into();
        if key.is_empty() {
            return Err(Error::config("the API key is empty"));
        }
        if let Some(position) = key.chars().position(|c| !c.is_ascii_graphic()) {
            return Err(Error::config(format!(
                "the API key has a character that cannot be sent in an HTTP header (position {}); \
                 keys are visible ASCII without spaces",
                position + 1
            )));
        }
        Ok(Self(key.into()))
    }

    /// The key itself. Handle with care: this is the only way to see it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl FromStr for ApiKey {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl TryFrom<String> for ApiKey {
    type Error = Error;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<&str> for ApiKey {
    type Error = Error;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

/// Serialises the key itself: a response type that holds a new key (or a mock server
/// that sends one) must be able to write it back out.
impl serde::Serialize for ApiKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for ApiKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = String::deserialize(deserializer)?;
        // The message must not echo the key, so it is built from our error, not the input.
        ApiKey::new(key).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_itself() {
        let key = ApiKey::new("s3cr3t-VALUE").unwrap();
        assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
        assert_eq!(format!("{key}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&key)), "Some(ApiKey(<redacted>))");
        assert_eq!(key.expose(), "s3cr3t-VALUE");
    }

    #[test]
    fn refuses_keys_a_header_cannot_carry_without_echoing_them() {
        for bad in ["", "has space", "tab\there", "line\nbreak", "ünïcode"] {
            let err = ApiKey::new(bad).unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(text.contains("API key"), "{text}");
            if !bad.is_empty() {
                assert!(!text.contains(bad), "error echoes the key: {text}");
            }
        }
    }

    #[test]
    fn serde_round_trip_and_validation() {
        let key: ApiKey = serde_json::from_str("\"abc123\"").unwrap();
        assert_eq!(serde_json::to_string(&key).unwrap(), "\"abc123\"");
        let err = serde_json::from_str::<ApiKey>("\"bad key-with-secret\"").unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
    }
}
