//! What a recording sandbox keeps for tests: every response it sent ([`Exchange`]) and
//! every emergency-email change it decided, in lock order ([`EmailOperation`]).

use std::fmt;

use crate::Family;

/// One response the sandbox sent (kept when the sandbox was built with
/// [`SandboxBuilder::record_exchanges`](crate::SandboxBuilder::record_exchanges)).
///
/// The body is exactly what went over the wire, so the 201 of `create_subaccount` holds a
/// new API key: `Debug` shows bodies by size only, and tests should not print them.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct Exchange {
    /// The family whose base path the request used.
    pub family: Family,
    /// The spec's `operationId`, or `None` for an unknown route or method (404, 405).
    pub operation_id: Option<&'static str>,
    /// Request method, e.g. `PUT`.
    pub method: String,
    /// Request path, e.g. `/services/v2/account/subaccount/1122339`.
    pub path: String,
    /// Response status.
    pub status: u16,
    /// Response body as JSON; `None` when there was none (204).
    pub body: Option<serde_json::Value>,
}

impl fmt::Debug for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self
            .body
            .as_ref()
            .map(|b| format!("<{} bytes of JSON>", b.to_string().len()));
        f.debug_struct("Exchange")
            .field("family", &self.family)
            .field("operation_id", &self.operation_id)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("status", &self.status)
            .field(
                "body",
                &format_args!("{}", body.as_deref().unwrap_or("None")),
            )
            .finish()
    }
}

/// Which emergency-email operation was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmailChange {
    /// `PUT /account/emergency-emails`.
    Add,
    /// `DELETE /account/emergency-emails`.
    Remove,
}

/// One emergency-email change the sandbox decided (kept when the sandbox was built with
/// [`SandboxBuilder::record_exchanges`](crate::SandboxBuilder::record_exchanges)).
///
/// Entries are numbered in the order they took the state lock, and each was checked and
/// applied (or refused) under that one lock, so replaying the log in order reproduces
/// every decision and the final state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EmailOperation {
    /// Position in lock order, from 0.
    pub sequence: u64,
    /// The Partner account whose list it was.
    pub account_id: i64,
    /// Add or remove.
    pub change: EmailChange,
    /// The addresses in the request body, as sent.
    pub emails: Vec<String>,
    /// Whether it was applied (204) or refused (400) and changed nothing.
    pub accepted: bool,
    /// The account's list after the decision.
    pub emails_after: Vec<String>,
}
