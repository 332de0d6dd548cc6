//! The one place that turns a DigiCert OpenAPI spec into Rust.
//!
//! `spec/*.yaml` -> [`load`] (YAML, duplicate keys rejected with their line) ->
//! [`lint::lint`] (every spec rule and lint check, each naming the file and the operation or
//! JSON pointer) -> [`render`] (progenitor's Builder interface, rewritten where the client
//! must own the behaviour (the private `rewrite` module says what and why), formatted by
//! prettyplease, with a generated-file header). The `digicert` crate's `build.rs` (feature `codegen`),
//! `cargo xtask codegen` and the tests all call [`generate`], so they all see byte-identical
//! output, and all refuse a spec that fails the linter before progenitor sees it.
//!
//! The `digicert` command's operations come from the same specs the same way: [`render_cli`]
//! (progenitor's `Generator::cli`, rewritten for our client: see [`cli`]), called by the
//! `digicert-cli` crate's `build.rs` ([`generate_cli`]), `cargo xtask codegen` and the tests.
//!
//! ```no_run
//! let root = std::path::Path::new(".");
//! for family in digicert_codegen::FAMILIES {
//!     let generated = digicert_codegen::generate(root, family)?;
//!     println!("{}: {} operations", family.name, generated.operations);
//! }
//! # Ok::<(), digicert_codegen::Error>(())
//! ```

pub mod build_script;
pub mod cli;
pub mod diff;
pub mod docs;
mod error;
pub mod lint;
mod load;
pub mod meta;
mod render;
mod rewrite;
pub mod rules;
pub mod schema;
pub mod surface;
mod tree;

use std::path::Path;

pub use cli::{cli_header, render_cli};
pub use error::{Error, Violation};
pub use load::{Spec, load, parse};
pub use render::{CONVERSIONS, Generated, header, prepare, render, settings};
pub use rules::{OperationRef, operations};
pub use surface::{SURFACE_PAGE, render_surface};

/// One API family: its spec, where its generated code goes, and the rules that differ
/// between families.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Family {
    /// Short name, also the Rust module (`digicert::partner`).
    pub name: &'static str,
    /// The spec, relative to the workspace root.
    pub spec: &'static str,
    /// The checked-in copy of the generated client, relative to the workspace root.
    pub generated: &'static str,
    /// The checked-in copy of the generated typed mocks, relative to the workspace root.
    pub generated_mock: &'static str,
    /// The checked-in copy of the generated `digicert <family>` commands
    /// (`crates/digicert-cli`), relative to the workspace root.
    pub generated_cli: &'static str,
    /// The name of the security scheme every operation must use. Its header (the spec's
    /// `name` of that apiKey scheme) is the one place the key header is spelled.
    pub security_scheme: &'static str,
    /// Whether operations must say which key scope may call them (`x-key-scope`).
    pub key_scope: bool,
    /// Whether every request carries `Content-Type: application/json`, with a body or not
    /// (CertCentral answers in the format of the request's content type, and its docs send
    /// it on every call); otherwise only requests with a JSON body carry it.
    pub always_send_content_type: bool,
}

/// The Partner Subscriptions API v1.
pub const PARTNER: Family = Family {
    name: "partner",
    spec: "spec/partner-subscriptions-v1.yaml",
    generated: "crates/digicert/generated/partner.rs",
    generated_mock: "crates/digicert/generated/partner_mock.rs",
    generated_cli: "crates/digicert-cli/generated/partner.rs",
    security_scheme: "PartnerApiKey",
    key_scope: true,
    always_send_content_type: false,
};

/// The CertCentral Services API v2.
pub const SERVICES: Family = Family {
    name: "services",
    spec: "spec/certcentral-services-v2.yaml",
    generated: "crates/digicert/generated/services.rs",
    generated_mock: "crates/digicert/generated/services_mock.rs",
    generated_cli: "crates/digicert-cli/generated/services.rs",
    security_scheme: "CertCentralApiKey",
    key_scope: false,
    always_send_content_type: true,
};

/// Every family, in the order tools report them.
pub const FAMILIES: [&Family; 2] = [&PARTNER, &SERVICES];

/// Loads, checks and renders `family`'s spec found under the workspace `root`.
///
/// Messages name the spec by its workspace-relative path, whatever `root` is.
pub fn generate(root: &Path, family: &Family) -> Result<Generated, Error> {
    render(&load_family(root, family)?, family)
}

/// Loads, checks and renders the `digicert <family>` commands of `family`'s spec under the
/// workspace `root` (the CLI crate's `build.rs` and its tests call this).
pub fn generate_cli(root: &Path, family: &Family) -> Result<String, Error> {
    render_cli(&load_family(root, family)?, family)
}

fn load_family(root: &Path, family: &Family) -> Result<Spec, Error> {
    let mut spec = load(&root.join(family.spec))?;
    spec.path = family.spec.into();
    Ok(spec)
}
