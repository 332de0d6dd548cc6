//! What the client needs to know about each operation at run time, read from the spec: the
//! documented success statuses, whether it is safe to send twice, which key may call it,
//! how it pages, and which extra keys it needs. The render step writes this into the
//! generated code (one `Operation` constant per builder), the API surface page lists it, and
//! the sandbox and CLI read it from there, so each of these facts lives in the spec alone.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde_json::Value;

use crate::rules::{OperationRef, operations};
use crate::tree::resolve as resolve_ref;
use crate::{Family, Spec};

/// One security scheme of a spec that sends an API key in a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyScheme {
    /// The scheme's name in `components.securitySchemes`, e.g. `CertCentralApiKey`.
    pub name: String,
    /// The header it sends the key in, as the spec spells it, e.g. `X-DC-DEVKEY`.
    pub header: String,
}

impl KeyScheme {
    /// The builder method that takes this key when an operation needs it in addition to the
    /// client's own: the scheme name in snake case (`CertCentralApiKey` ->
    /// `cert_central_api_key`).
    pub fn method(&self) -> String {
        self.name.to_snake_case()
    }
}

/// How an operation pages through a long list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The array property of the success body that holds the items.
    pub items: String,
}

/// One operation, as the client runtime sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationMeta {
    /// Where it is in the spec.
    pub op: OperationRef,
    /// The documented 2xx statuses, in spec order.
    pub success: Vec<u16>,
    /// Whether those statuses carry a JSON body (all or none do; see the rules).
    pub success_body: bool,
    /// The component schema of that body, when it is a `$ref` to one.
    pub success_schema: Option<String>,
    /// Whether sending it twice has the effect of sending it once: the HTTP method's
    /// default (GET, HEAD, PUT, DELETE, OPTIONS yes; POST, PATCH no) unless the operation
    /// says `x-idempotent`.
    pub idempotent: bool,
    /// `x-key-scope` (`parent`, `subaccount` or `any`), where the family has scopes.
    pub key_scope: Option<String>,
    /// `x-pagination`, for lists paged with `offset` and `limit`.
    pub pagination: Option<Pagination>,
    /// Keys the operation needs besides the family's own (an AND security requirement).
    pub extra_keys: Vec<KeyScheme>,
    /// Whether it takes a JSON request body.
    pub has_body: bool,
}

/// The method's idempotency as HTTP defines it (RFC 9110 §9.2.2).
pub fn idempotent_by_method(method: &str) -> bool {
    matches!(
        method.to_ascii_uppercase().as_str(),
        "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
    )
}

/// Every security scheme of `spec` that is an API key in a header, by name.
pub fn key_schemes(spec: &Spec) -> BTreeMap<String, KeyScheme> {
    spec.raw
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, scheme)| {
            let scheme = resolve_ref(&spec.raw, scheme);
            let is_header_key = scheme.get("type").and_then(Value::as_str) == Some("apiKey")
                && scheme.get("in").and_then(Value::as_str) == Some("header");
            let header = scheme.get("name").and_then(Value::as_str)?;
            is_header_key.then(|| {
                (
                    name.clone(),
                    KeyScheme {
                        name: name.clone(),
                        header: header.to_owned(),
                    },
                )
            })
        })
        .collect()
}

/// The family's own key scheme, as the spec declares it (the rules make sure it exists).
pub fn family_scheme(spec: &Spec, family: &Family) -> Option<KeyScheme> {
    key_schemes(spec).remove(family.security_scheme)
}

/// Every operation of `spec` with its run-time facts, in document order.
pub fn operation_meta(spec: &Spec, family: &Family) -> Vec<OperationMeta> {
    let schemes = key_schemes(spec);
    operations(&spec.openapi)
        .into_iter()
        .map(|op| {
            let node = spec.raw.pointer(&op.pointer()).unwrap_or(&Value::Null);
            let mut success = Vec::new();
            let mut success_body = false;
            let mut success_schema = None;
            for (status, response) in node
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let Ok(code) = status.parse::<u16>() else {
                    continue;
                };
                if (200..300).contains(&code) {
                    success.push(code);
                    let response = resolve_ref(&spec.raw, response);
                    if let Some(media) = response.pointer("/content/application~1json") {
                        success_body = true;
                        success_schema = media
                            .pointer("/schema/$ref")
                            .and_then(Value::as_str)
                            .and_then(|r| r.strip_prefix("#/components/schemas/"))
                            .map(str::to_owned);
                    }
                }
            }
            let idempotent = node
                .get("x-idempotent")
                .and_then(Value::as_bool)
                .unwrap_or_else(|| idempotent_by_method(&op.method));
            let key_scope = node
                .get("x-key-scope")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let pagination = node
                .pointer("/x-pagination/items")
                .and_then(Value::as_str)
                .map(|items| Pagination {
                    items: items.to_owned(),
                });
            let extra_keys = node
                .get("security")
                .or_else(|| spec.raw.get("security"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_object)
                .find(|requirement| requirement.contains_key(family.security_scheme))
                .map(|requirement| {
                    requirement
                        .keys()
                        .filter(|name| *name != family.security_scheme)
                        .filter_map(|name| schemes.get(name).cloned())
                        .collect()
                })
                .unwrap_or_default();
            let has_body = node.get("requestBody").is_some();
            OperationMeta {
                op,
                success,
                success_body,
                success_schema,
                idempotent,
                key_scope,
                pagination,
                extra_keys,
                has_body,
            }
        })
        .collect()
}
