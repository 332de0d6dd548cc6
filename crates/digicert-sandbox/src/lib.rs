//! A local stand-in for DigiCert's **Partner Subscriptions API v1** and **CertCentral
//! Services API v2** that honours their documented rules: parent and subaccount keys,
//! the last emergency email that cannot be removed, settings that fall back to their
//! default, ACME reporting per subaccount, and CertCentral's subaccount hierarchy.
//!
//! Both families are served on one port under their real base paths
//! (`/partner-subscription/api/v1/...` and `/services/v2/...`), with the request and
//! response types of the generated `digicert` client, so an integration that works
//! against the sandbox sends and expects exactly what the specs in `spec/` describe.
//! State lives in memory; every request checks and changes it under one lock.
//!
//! ```
//! use digicert_sandbox::{KeyKind, Sandbox};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await?; // built-in seed, free port on 127.0.0.1
//! let key = sandbox.key(KeyKind::PartnerSubaccount).cloned().ok_or("no key")?;
//! let client = sandbox.partner_client(key)?;
//! let emails = client.get_emergency_emails().send().await?;
//! assert!(!emails.emergency_contact_emails.is_empty());
//! sandbox.shutdown().await?;
//! # Ok(()) }
//! ```
//!
//! The crate's README lists every rule and every decision taken where DigiCert's
//! documentation is silent.

mod clock;
mod email;
mod error;
mod faults;
mod limits;
mod log;
mod sandbox;
mod seed;
mod serve;
mod server;
mod state;

pub use error::Error;
pub use faults::{FAULT_HEADER, Fault, FaultAction, ParseFaultError, QueuedFault, RandomFaults};
pub use limits::RateLimits;
pub use log::{EmailChange, EmailOperation, Exchange};
pub use sandbox::{KeyKind, Sandbox, SandboxBuilder, SeededKey};
pub use seed::{
    AccountManagerSeed, AcmeContractSeed, ApiKeySeed, CertCentralAccountSeed, CertCentralKeySeed,
    CertCentralOrderSeed, CertCentralSeed, PartnerAccountSeed, PartnerSeed, Seed,
};

/// The two API families the sandbox serves (`partner` and `certcentral` in JSON).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Partner Subscriptions API v1, key header `X-PARTNER-APIKEY`.
    Partner,
    /// CertCentral Services API v2, key header `X-DC-DEVKEY`.
    CertCentral,
}

impl Family {
    /// The path the family is served under, as at DigiCert: the path of its production
    /// URL in the spec (`servers`, read through the generated client).
    pub fn base_path(self) -> &'static str {
        match self {
            Family::Partner => server::PARTNER_BASE,
            Family::CertCentral => server::SERVICES_BASE,
        }
    }

    /// The header that carries the family's API key (the spec's security scheme).
    pub fn key_header(self) -> &'static str {
        match self {
            Family::Partner => digicert::partner::Client::API_KEY_HEADER,
            Family::CertCentral => digicert::services::Client::API_KEY_HEADER,
        }
    }
}

/// Compiles the README's Rust examples as doctests, so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
