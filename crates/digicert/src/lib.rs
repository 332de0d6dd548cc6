//! Typed async client for DigiCert's Partner Subscriptions API v1 and CertCentral Services
//! API v2, generated from hand-written OpenAPI specs.
//!
#![doc = include_str!("../README.md")]
//!
//! # Crate layout
//!
//! - [`partner`] and [`services`]: one module per API family, generated from the specs: the
//!   `Client` with one method per operation, its request `builder`s, the `types`, the
//!   `OPERATIONS` table, and (feature `mock`) typed httpmock helpers.
//! - [`ClientBuilder`]: base URL, timeouts, retries, rate limit, user agent, a custom
//!   reqwest configuration.
//! - [`Error`] (with [`ErrorKind`]) and [`Result`]: every failure, never showing a key.
//! - [`Response`]: a success answer's body, status and headers.
//! - [`ApiKey`], [`Secret`]: values that never show themselves.
//! - [`DigicertDateTime`], [`EmailList`]: DigiCert's own wire formats.
//! - [`RetryPolicy`], [`RateLimit`]: resilience settings ([`RequestLog`]: the rolling-window
//!   check behind the rate limit).
//! - [`Pages`]: every item of a paged list, as a stream.
//! - [`RequestPreview`]: what a call would send (`preview()` on every builder), keys redacted.

mod api_key;
mod builder;
mod datetime;
mod decode;
mod email_list;
mod error;
mod open_enum;
mod operation;
pub mod pagination;
mod preview;
mod rate_limit;
mod response;
mod retry;
mod secret;
mod transport;

pub use api_key::ApiKey;
pub use builder::{ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE, DEFAULT_TIMEOUT};
pub use datetime::{DigicertDateTime, ParseDateTimeError};
pub use email_list::EmailList;
pub use error::{ApiErrorDetail, DecodeDetails, Error, ErrorKind, Result};
/// The httpmock the `mock` modules are built on, so tests need no separate, matching copy.
#[cfg(feature = "mock")]
pub use httpmock;
pub(crate) use open_enum::open_enum;
pub use operation::{KeyScope, Operation};
pub use pagination::Pages;
pub use preview::RequestPreview;
pub use rate_limit::{RateLimit, RequestLog};
/// The HTTP client underneath, for [`ClientBuilder::http_client`] (proxies, root
/// certificates).
pub use reqwest;
/// HTTP status codes, as [`Error::status`] and [`Response::status`] return them.
pub use reqwest::StatusCode;
pub use response::Response;
pub use retry::RetryPolicy;
pub use secret::Secret;

/// Partner Subscriptions API v1 (`https://www.digicert.com/partner-subscription/api/v1`,
/// header `X-PARTNER-APIKEY`), generated from `spec/partner-subscriptions-v1.yaml`.
///
/// Start with [`partner::Client::builder`], [`partner::Client::from_key`] or
/// [`partner::Client::from_env`]. An operation's key scope ([`OPERATIONS`](partner::OPERATIONS),
/// and each method's documentation) says which key may call it: DigiCert answers 403 to the
/// wrong kind.
pub mod partner {
    #![allow(missing_docs, unreachable_pub, clippy::all, rust_2018_idioms)]
    #[cfg(feature = "codegen")]
    include!(concat!(env!("OUT_DIR"), "/partner.rs"));
    #[cfg(not(feature = "codegen"))]
    include!("../generated/partner.rs");

    /// Typed [`httpmock`] helpers for the Partner operations (feature `mock`).
    ///
    /// `MockServerExt` adds one method per operation to `httpmock::MockServer`; its
    /// `When` has a matcher per parameter and body plus `api_key(&key)`, its `Then` one
    /// responder per documented status. Point the client at the server's root URL:
    /// the helpers match paths without DigiCert's `/partner-subscription/api/v1` prefix.
    ///
    /// ```
    /// use digicert::partner::{self, mock::MockServerExt, types};
    /// use digicert::{ApiKey, httpmock::MockServer};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> digicert::Result<()> {
    /// let server = MockServer::start_async().await;
    /// let key = ApiKey::new("test-key")?;
    /// let emails = types::EmergencyContactEmails {
    ///     emergency_contact_emails: vec!["ops@example.com".into()],
    /// };
    /// let mock = server.get_emergency_emails(|when, then| {
    ///     when.api_key(&key);
    ///     then.ok(&emails);
    /// });
    ///
    /// let client = partner::Client::with_base_url(&server.base_url(), key)?;
    /// let got = client.get_emergency_emails().send().await?;
    /// mock.assert_async().await;
    /// assert_eq!(got.emergency_contact_emails, ["ops@example.com"]);
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "mock")]
    pub mod mock {
        #![allow(missing_docs, unreachable_pub, clippy::all, rust_2018_idioms)]
        #[cfg(feature = "codegen")]
        include!(concat!(env!("OUT_DIR"), "/partner_mock.rs"));
        #[cfg(not(feature = "codegen"))]
        include!("../generated/partner_mock.rs");
    }
}

/// CertCentral Services API v2 (`https://www.digicert.com/services/v2`, EU
/// `https://certcentral.digicert.eu/services/v2`, header `X-DC-DEVKEY`), generated from
/// `spec/certcentral-services-v2.yaml`.
///
/// Start with [`services::Client::builder`], [`services::Client::from_key`],
/// [`services::Client::eu`] or [`services::Client::from_env`]. CertCentral clients
/// rate-limit their key by default ([`RateLimit::certcentral`]).
pub mod services {
    #![allow(missing_docs, unreachable_pub, clippy::all, rust_2018_idioms)]
    #[cfg(feature = "codegen")]
    include!(concat!(env!("OUT_DIR"), "/services.rs"));
    #[cfg(not(feature = "codegen"))]
    include!("../generated/services.rs");

    /// Typed [`httpmock`] helpers for the CertCentral operations (feature
    /// `mock`). Point the client at the server's root URL: the helpers match paths
    /// without `/services/v2`.
    ///
    /// ```
    /// use digicert::services::{self, mock::MockServerExt, types};
    /// use digicert::{ApiKey, httpmock::MockServer};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> digicert::Result<()> {
    /// let server = MockServer::start_async().await;
    /// let key = ApiKey::new("test-key")?;
    /// let mock = server.get_subaccount(|when, then| {
    ///     when.subaccount_id(404).api_key(&key);
    ///     then.not_found(&types::ErrorResponse {
    ///         errors: vec![types::ErrorDetail {
    ///             code: Some("not_found".into()),
    ///             message: Some("No such subaccount".into()),
    ///         }],
    ///     });
    /// });
    ///
    /// let client = services::Client::with_base_url(&server.base_url(), key)?;
    /// let err = client.get_subaccount().subaccount_id(404).send().await.unwrap_err();
    /// mock.assert_async().await;
    /// assert_eq!(err.status(), Some(digicert::StatusCode::NOT_FOUND));
    /// assert_eq!(err.code(), Some("not_found"));
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "mock")]
    pub mod mock {
        #![allow(missing_docs, unreachable_pub, clippy::all, rust_2018_idioms)]
        #[cfg(feature = "codegen")]
        include!(concat!(env!("OUT_DIR"), "/services_mock.rs"));
        #[cfg(not(feature = "codegen"))]
        include!("../generated/services_mock.rs");
    }
}
