//! Hand-written half of [`crate::services`]: constructors for the generated `Client` (US
//! and EU instances) and its request hooks (API key header, content type, buffering).

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::services::Client;
use crate::transport::{self, ContentType};
use crate::{ApiKey, Error};

impl Client {
    /// CertCentral's base URL for accounts in the US instance.
    pub const PRODUCTION_URL: &'static str = "https://www.digicert.com/services/v2";
    /// CertCentral Europe's base URL, for accounts in the EU instance.
    pub const EU_URL: &'static str = "https://certcentral.digicert.eu/services/v2";
    /// The header that carries the key.
    pub const API_KEY_HEADER: &'static str = "X-DC-DEVKEY";
    /// Environment variable [`Client::from_env`] reads the key from.
    pub const API_KEY_VAR: &'static str = "DIGICERT_API_KEY";
    /// Optional environment variable that overrides the base URL in [`Client::from_env`]
    /// (set it to [`Client::EU_URL`] for CertCentral Europe).
    pub const BASE_URL_VAR: &'static str = "DIGICERT_BASE_URL";

    /// A client for CertCentral's US instance.
    pub fn from_key(key: ApiKey) -> Result<Self, Error> {
        Self::with_base_url(Self::PRODUCTION_URL, key)
    }

    /// A client for CertCentral Europe.
    pub fn eu(key: ApiKey) -> Result<Self, Error> {
        Self::with_base_url(Self::EU_URL, key)
    }

    /// A client for another base URL (a test server, a proxy). A trailing `/` is fine.
    pub fn with_base_url(base_url: &str, key: ApiKey) -> Result<Self, Error> {
        let (url, http) = transport::connection(base_url)?;
        Ok(Self::new_with_client(&url, http, key))
    }

    /// A client configured from the environment: the key from `DIGICERT_API_KEY`, the base
    /// URL from `DIGICERT_BASE_URL` when it is set (the US instance otherwise). The error
    /// names the variable that is missing or wrong.
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
        // CertCentral answers in the format of the request's content type, and its docs
        // send `Content-Type: application/json` on every call, GET included.
        transport::prepare(
            request,
            Self::API_KEY_HEADER,
            self.inner(),
            ContentType::Always,
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
    fn constructors_pick_the_right_instance() {
        let key = || ApiKey::new("k").unwrap();
        assert_eq!(
            Client::from_key(key()).unwrap().baseurl(),
            Client::PRODUCTION_URL
        );
        assert_eq!(Client::eu(key()).unwrap().baseurl(), Client::EU_URL);
        assert_eq!(
            Client::with_base_url("https://proxy.example/services/v2/", key())
                .unwrap()
                .baseurl(),
            "https://proxy.example/services/v2"
        );
    }

    #[test]
    fn from_env_names_what_is_missing_or_wrong() {
        let err = Client::from_lookup(&|_: &str| None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("DIGICERT_API_KEY is not set"), "{err}");
        let bad_key = |name: &str| (name == "DIGICERT_API_KEY").then(|| "two words".to_owned());
        let err = Client::from_lookup(&bad_key).unwrap_err().to_string();
        assert!(
            err.contains("DIGICERT_API_KEY") && !err.contains("two words"),
            "{err}"
        );
        let eu = |name: &str| match name {
            "DIGICERT_API_KEY" => Some("k".to_owned()),
            "DIGICERT_BASE_URL" => Some(Client::EU_URL.to_owned()),
            _ => None,
        };
        assert_eq!(Client::from_lookup(&eu).unwrap().baseurl(), Client::EU_URL);
    }
}
