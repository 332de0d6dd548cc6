//! Typed Rust client for DigiCert's **Partner Subscriptions API v1** ([`partner`]) and
//! **CertCentral Services API v2** ([`services`]).
//!
//! Both modules are generated at build time by [progenitor] from the hand-written OpenAPI
//! specs in `spec/`, which are this project's single source of truth. Each has a
//! `Client` with one builder method per operation, the request and response `types`, and
//! the `builder` types. Beside them, hand-written: [`ApiKey`] (a key that never shows
//! itself), [`Error`] (status, DigiCert's error codes and the raw body), and
//! [`DigicertDateTime`] (DigiCert's `YYYY-MM-DD hh:mm:ss` timestamps).
//!
//! A client cannot exist without a key: every constructor takes one, and every request
//! sends it, marked sensitive, in the family's header (`X-PARTNER-APIKEY` or
//! `X-DC-DEVKEY`). Calls return `progenitor_client::Error`; `?` converts it into
//! [`Error`].
//!
//! # Partner Subscriptions
//!
//! ```no_run
//! use digicert::{ApiKey, partner};
//!
//! # async fn run() -> Result<(), digicert::Error> {
//! // A parent-account key may create subaccounts; DigiCert shows the new key only once.
//! let parent = partner::Client::from_key(ApiKey::new("parent-account-key")?)?;
//! let created = parent
//!     .create_subaccount()
//!     .body_map(|body| {
//!         body.name("ACME Corporation Subaccount")
//!             .api_key_name("Production API Key")
//!             .emergency_contact_emails(vec!["security@example.com".to_owned()])
//!     })
//!     .send()
//!     .await?;
//! println!("subaccount {} created", created.account_id);
//!
//! // The new key works right away, as a subaccount key.
//! let sub = partner::Client::from_key(created.into_inner().api_key.api_key)?;
//! sub.add_emergency_emails()
//!     .body_map(|body| body.emergency_contact_emails(vec!["oncall@example.com".to_owned()]))
//!     .send()
//!     .await?;
//! let emails = sub.get_emergency_emails().send().await?;
//! println!("{:?}", emails.emergency_contact_emails);
//! # Ok(()) }
//! ```
//!
//! # CertCentral
//!
//! ```no_run
//! use digicert::{ApiKey, services};
//!
//! # async fn run() -> Result<(), digicert::Error> {
//! let client = services::Client::from_key(ApiKey::new("certcentral-key")?)?; // or ::eu(..)
//! match client.get_subaccount().subaccount_id(1122339).send().await {
//!     Ok(sub) => println!(
//!         "{} ({}), created {}",
//!         sub.organization_name, sub.account_type, sub.date_created
//!     ),
//!     Err(err) => match digicert::Error::from(err) {
//!         err if err.status() == Some(reqwest::StatusCode::NOT_FOUND) => println!("no such subaccount"),
//!         err => return Err(err),
//!     },
//! }
//! # Ok(()) }
//! ```
//!
//! [progenitor]: https://github.com/oxidecomputer/progenitor

mod api_key;
mod datetime;
mod error;
mod open_enum;
mod partner_client;
mod services_client;
mod transport;

pub use api_key::ApiKey;
pub use datetime::{DigicertDateTime, ParseDateTimeError};
pub use error::{ApiErrorDetail, Error};
/// The httpmock the `mock` modules are built on, so tests need no separate, matching copy.
#[cfg(feature = "mock")]
pub use httpmock;
pub use progenitor_client;
pub use reqwest;

/// Partner Subscriptions API v1 (`https://www.digicert.com/partner-subscription/api/v1`,
/// header `X-PARTNER-APIKEY`), generated from `spec/partner-subscriptions-v1.yaml`.
///
/// Start with [`partner::Client::from_key`] or [`partner::Client::from_env`]. Operations
/// marked parent-only in the spec (`create_subaccount`, `get_acme_reporting`) answer 403
/// to a subaccount key.
pub mod partner {
    #![allow(missing_docs, unreachable_pub, clippy::all, rust_2018_idioms)]
    include!(concat!(env!("OUT_DIR"), "/partner.rs"));

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
    /// # async fn main() -> Result<(), digicert::Error> {
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
        include!(concat!(env!("OUT_DIR"), "/partner_mock.rs"));
    }
}

/// CertCentral Services API v2 (`https://www.digicert.com/services/v2`, EU
/// `https://certcentral.digicert.eu/services/v2`, header `X-DC-DEVKEY`), generated from
/// `spec/certcentral-services-v2.yaml`.
///
/// Start with [`services::Client::from_key`], [`services::Client::eu`] or
/// [`services::Client::from_env`].
pub mod services {
    #![allow(missing_docs, unreachable_pub, clippy::all, rust_2018_idioms)]
    include!(concat!(env!("OUT_DIR"), "/services.rs"));

    /// Typed [`httpmock`] helpers for the CertCentral operations (feature
    /// `mock`). Point the client at the server's root URL: the helpers match paths
    /// without `/services/v2`.
    ///
    /// ```
    /// use digicert::services::{self, mock::MockServerExt, types};
    /// use digicert::{ApiKey, httpmock::MockServer};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), digicert::Error> {
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
    /// let err = digicert::Error::from(err);
    /// assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    /// assert_eq!(err.errors()[0].code, "not_found");
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "mock")]
    pub mod mock {
        #![allow(missing_docs, unreachable_pub, clippy::all, rust_2018_idioms)]
        include!(concat!(env!("OUT_DIR"), "/services_mock.rs"));
    }

    // Hand-written open enums the spec's `x-known-values` schemas map to.
    pub use crate::open_enum::{AccountType, OrganizationStatus};
}
