//! End-to-end tests of the sandbox: the generated `digicert` clients against a running
//! sandbox for every operation and every rule, raw HTTP for what the typed clients cannot
//! send, and concurrent emergency-email changes. Every test ends with
//! [`common::finish`], which validates every response the sandbox sent against the specs.
//!
//! One test binary (modules below) keeps linking time down.

#[cfg(unix)]
mod binary;
mod certcentral;
mod certcentral_create;
mod certcentral_list;
mod certcentral_paging;
mod certcentral_raw;
mod common;
mod concurrency;
mod control;
mod faults;
mod partner;
mod partner_acme;
mod partner_finance;
mod partner_keys;
mod partner_scope;
mod partner_support;
mod raw_http;
