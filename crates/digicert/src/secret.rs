//! [`Secret`]: a secret value from a response (an ACME EAB HMAC key, say) that never shows
//! itself in `Debug`, `Display` or errors.

use std::fmt;
use std::sync::Arc;

/// A secret string DigiCert returns, such as the HMAC key of ACME External Account Binding
/// credentials. `Debug` prints `Secret(<redacted>)`, `Display` prints `<redacted>`; only
/// [`Secret::expose`] gives the value.
///
/// ```
/// let secret: digicert::Secret = serde_json::from_str("\"hmac-key-value\"").unwrap();
/// assert_eq!(format!("{secret:?} {secret}"), "Secret(<redacted>) <redacted>");
/// assert_eq!(secret.expose(), "hmac-key-value");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into().into())
    }

    /// The value itself. Handle with care: this is the only way to see it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Serialises the value itself, so that a mock server or a cache can write it back out.
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}
