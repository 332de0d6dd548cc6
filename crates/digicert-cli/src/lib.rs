//! `digicert`: a command-line client for every operation of DigiCert's Partner
//! Subscriptions API v1 and CertCentral Services API v2.
//!
//! The operations' commands are generated from the specs (`spec/*.yaml`) by
//! digicert-codegen through progenitor's `Generator::cli` ([`generated`]); the rest is the
//! glue the specs cannot say: keys ([`keys`]), output ([`output`]), exit codes ([`exit`]),
//! the command tree's global flags ([`app`]) and one run ([`run`]).
//!
//! This library exists for the `digicert` binary and its tests; it is not a stable API.

pub mod app;
pub mod exit;
pub mod generated;
pub mod keys;
pub mod output;
pub mod run;
#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use app::command;
pub use run::main;
