//! Hand-written half of [`crate::partner`]: constructors for the generated `Client` and its
//! request hooks (API key header, response buffering).

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::partner::Client;
use crate::transport::{self, ContentType};
use crate::{ApiKey, Error};

impl Client {
    /// DigiCert's production base URL for the Partner Subscriptions API v1.
    pub const PRODUCTION_URL: &'static str = "https://www.digicert.com/partner-subscription/api/v1";
    /// The header that carries the key.
    pub const API_KEY_HEADER: &'static str = "X-PARTNER-APIKEY";
    /// Environment variable [`Client::from_env`] reads the key from.
    pub const API_KEY_VAR: &'static str = "DIGICERT_PARTNER_API_KEY";
    /// Optional environment variable that overrides the base URL in [`Client::from_env`].
    pub const BASE_URL_VAR: &'static str = "DIGICERT_PARTNER_BASE_URL";

    /// A client for DigiCert's production Partner Subscriptions API.
    ///
    /// The key decides what the client may do: a parent-account key can create
    /// subaccounts and read reporting; a subaccount key gets 403 for those.
    pub fn from_key(key: ApiKey) -> Result<Self, Error> {
        Self::with_base_url(Self::PRODUCTION_URL, key)
    }

    /// A client for another base URL (a test server, a proxy). A trailing `/` is fine.
    pub fn with_base_url(base_url: &str, key: ApiKey) -> Result<Self, Error> {
        let (url, http) = transport::connection(base_url)?;
        Ok(Self::new_with_client(&url, http, key))
    }

    /// A client configured from the environment: the key from `DIGICERT_PARTNER_API_KEY`,
    /// the base URL from `DIGICERT_PARTNER_BASE_URL` when it is set (production otherwise).
    /// The error names the variable that is missing or wrong.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(&transport::env_lookup)
    }

    pub(crate) fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let vars = transport::EnvVars {
            key: Self::API_KEY_VAR,
            base_url: Self::BASE_URL_VAR,
            default_url: Self::PRODUCTION_URL,
        };
        let (url, key) = transport::settings_from(lookup, &vars)?;
        Self::with_base_url(&url, key)
    }
}

impl ClientHooks<ApiKey> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        // The Partner docs send Content-Type only with a body; reqwest adds it then.
        transport::prepare(
            request,
            Self::API_KEY_HEADER,
            self.inner(),
            ContentType::WithBodyOnly,
        )
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        transport::execute(self.client(), request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_env_names_what_is_missing_or_wrong() {
        let none = |_: &str| None;
        let err = Client::from_lookup(&none).unwrap_err().to_string();
        assert!(err.contains("DIGICERT_PARTNER_API_KEY is not set"), "{err}");

        let bad_url = |name: &str| match name {
            "DIGICERT_PARTNER_API_KEY" => Some("k-123".to_owned()),
            "DIGICERT_PARTNER_BASE_URL" => Some("not a url".to_owned()),
            _ => None,
        };
        let err = Client::from_lookup(&bad_url).unwrap_err().to_string();
        assert!(err.contains("DIGICERT_PARTNER_BASE_URL"), "{err}");

        let ok = |name: &str| match name {
            "DIGICERT_PARTNER_API_KEY" => Some("k-123".to_owned()),
            "DIGICERT_PARTNER_BASE_URL" => Some("http://127.0.0.1:9/v1/".to_owned()),
            _ => None,
        };
        let client = Client::from_lookup(&ok).unwrap();
        assert_eq!(client.baseurl(), "http://127.0.0.1:9/v1");
        assert_eq!(client.inner().expose(), "k-123");

        let production = |name: &str| (name == "DIGICERT_PARTNER_API_KEY").then(|| "k".to_owned());
        assert_eq!(
            Client::from_lookup(&production).unwrap().baseurl(),
            Client::PRODUCTION_URL
        );
    }
}
