//! Our spec rules. Each one guards against a spec that progenitor would turn into a panic,
//! a silently wrong client, or an operation nobody can trace back to DigiCert's docs.
//!
//! | rule | what it demands |
//! |---|---|
//! | `openapi-version` | `openapi: 3.0.x` (progenitor reads nothing else) |
//! | `operation-id` | every operation has a snake_case `operationId`, unique even after snake-casing |
//! | `operation-docs` | a tag, a summary and a description |
//! | `security` | `security` names the family's API-key scheme (an apiKey in a header); any scheme it is ANDed with is an apiKey in a header too |
//! | `parameters` | no `in: header` or `in: cookie` parameters (keys travel only through `security`, where they are redacted) |
//! | `x-docs-url` | an `https://` link to the DigiCert page the operation comes from |
//! | `x-key-scope` | on Partner operations: `parent`, `subaccount` or `any` |
//! | `x-idempotent` | when present, a boolean (it overrides the method's default for retries) |
//! | `servers` | at least one server (the default base URL); each further one names its Rust constant with `x-const: SOME_URL` |
//! | `schema-type` | every `type` is one of OpenAPI's six |
//! | `response-kinds` | at least one 2xx; all 2xx share one body kind; all errors share one; JSON only |
//! | `error-schema` | every error response of the spec uses the same schema |
//! | `examples` | every JSON request and response body has an example |
//! | `datetime-format` | `date-time` only for RFC 3339 values; DigiCert's `YYYY-MM-DD hh:mm:ss` uses `format: digicert-datetime` |
//! | `local-refs` | every `$ref` is local (`#/...`) and points at something |
//! | `additional-properties` | no `additionalProperties: false` (a new field from DigiCert must not break decoding) |
//! | `x-inferred` | an `x-inferred` marker carries its reason as text |
//! | `open-enum` | `x-known-values` is a non-empty list of strings on a `type: string` component schema (each becomes a generated open enum) |
//! | `x-aliases` | a list of other names of a property |
//!
//! Duplicate YAML keys are rejected earlier, when the spec is loaded.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use openapiv3::{
    OpenAPI, Operation, ReferenceOr, RequestBody, Response, SecurityScheme, StatusCode,
};
use serde_json::Value;

use crate::{Error, Family, Spec, Violation};

/// The value of `format` that marks DigiCert's `YYYY-MM-DD hh:mm:ss` timestamps.
pub const DIGICERT_DATETIME_FORMAT: &str = "digicert-datetime";
/// The value of `format` that marks a field holding a full API key.
pub const API_KEY_FORMAT: &str = "digicert-api-key";
/// The value of `format` that marks any other secret (an ACME EAB HMAC key, say).
pub const SECRET_FORMAT: &str = "digicert-secret";
/// The value of `format` that marks a comma-separated list of email addresses in one string.
pub const EMAIL_LIST_FORMAT: &str = "digicert-email-list";
/// The values `x-key-scope` may take.
pub const KEY_SCOPES: [&str; 3] = ["parent", "subaccount", "any"];
/// OpenAPI 3.0's schema types.
const SCHEMA_TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// One operation of a spec, as our tools list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRef {
    /// The `operationId`, which is also the Rust method name.
    pub id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path template, e.g. `/account/subaccount/{subaccount_id}`.
    pub path: String,
}

impl OperationRef {
    /// How violations name the operation: id, method, path and its JSON pointer.
    pub fn location(&self) -> String {
        format!(
            "operation `{}` ({} {}) at {}",
            self.id,
            self.method,
            self.path,
            self.pointer()
        )
    }

    /// The JSON pointer of the operation in the spec, e.g. `/paths/~1account/get`.
    pub fn pointer(&self) -> String {
        format!(
            "/paths/{}/{}",
            crate::tree::escape(&self.path),
            self.method.to_lowercase()
        )
    }
}

/// Every operation of `spec`, in document order. Operations without an `operationId` are
/// listed with an empty id.
pub fn operations(spec: &OpenAPI) -> Vec<OperationRef> {
    each_operation(spec)
        .map(|(op_ref, _)| op_ref)
        .collect::<Vec<_>>()
}

fn each_operation(spec: &OpenAPI) -> impl Iterator<Item = (OperationRef, &Operation)> {
    spec.paths.paths.iter().flat_map(|(path, item)| {
        let ops: Vec<_> = match item {
            ReferenceOr::Item(item) => item.iter().collect(),
            ReferenceOr::Reference { .. } => Vec::new(),
        };
        ops.into_iter().map(move |(method, op)| {
            let op_ref = OperationRef {
                id: op.operation_id.clone().unwrap_or_default(),
                method: method.to_uppercase(),
                path: path.clone(),
            };
            (op_ref, op)
        })
    })
}

/// Checks every rule; `Ok` only when the spec breaks none.
pub fn check(spec: &Spec, family: &Family) -> Result<(), Error> {
    Error::unless_clean(spec, violations(spec, family))
}

/// Every rule violation in `spec`, in document order.
pub fn violations(spec: &Spec, family: &Family) -> Vec<Violation> {
    let mut out = Vec::new();
    let api = &spec.openapi;
    if !api.openapi.starts_with("3.0.") {
        push(
            &mut out,
            "openapi-version",
            "/openapi",
            format!(
                "`openapi: {}` is not supported; progenitor reads OpenAPI 3.0.x only",
                api.openapi
            ),
        );
    }
    check_security_scheme(api, family, &mut out);
    check_servers(api, &mut out);
    check_operations(api, family, &mut out);
    check_error_schema(api, &mut out);
    walk(&spec.raw, false, &mut String::new(), &spec.raw, &mut out);
    check_open_enums(spec, &mut out);
    out
}

fn push(
    out: &mut Vec<Violation>,
    rule: &'static str,
    location: impl Into<String>,
    message: String,
) {
    out.push(Violation {
        rule,
        location: location.into(),
        message,
    });
}

fn check_security_scheme(api: &OpenAPI, family: &Family, out: &mut Vec<Violation>) {
    let location = format!("/components/securitySchemes/{}", family.security_scheme);
    let scheme = api
        .components
        .as_ref()
        .and_then(|c| c.security_schemes.get(family.security_scheme));
    match scheme {
        Some(ReferenceOr::Item(scheme)) if is_header_key(scheme) => {}
        Some(_) => push(
            out,
            "security",
            location,
            "must be `type: apiKey`, `in: header`, with the header in `name`".into(),
        ),
        None => push(
            out,
            "security",
            location,
            format!(
                "the {} family needs the security scheme `{}` (an apiKey in a header)",
                family.name, family.security_scheme
            ),
        ),
    }
}

fn is_header_key(scheme: &SecurityScheme) -> bool {
    matches!(
        scheme,
        SecurityScheme::APIKey {
            location: openapiv3::APIKeyLocation::Header,
            name,
            ..
        } if !name.trim().is_empty()
    )
}

fn check_servers(api: &OpenAPI, out: &mut Vec<Violation>) {
    if api.servers.is_empty() {
        push(
            out,
            "servers",
            "/servers",
            "lists no server; the first is the client's default base URL".into(),
        );
    }
    for (index, server) in api.servers.iter().enumerate().skip(1) {
        let named = server
            .extensions
            .get("x-const")
            .and_then(Value::as_str)
            .is_some_and(|name| {
                name.ends_with("_URL")
                    && name.starts_with(|c: char| c.is_ascii_uppercase())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            });
        if !named {
            push(
                out,
                "servers",
                format!("/servers/{index}"),
                format!(
                    "`{}` needs `x-const: <NAME>_URL`, the Rust constant that names it (e.g. `EU_URL`)",
                    server.url
                ),
            );
        }
    }
}

fn check_operations(api: &OpenAPI, family: &Family, out: &mut Vec<Violation>) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (op_ref, op) in each_operation(api) {
        let here = op_ref.location();
        let mut rule = |rule: &'static str, message: String| push(out, rule, here.clone(), message);

        // operation-id
        match op.operation_id.as_deref() {
            None | Some("") => rule(
                "operation-id",
                "has no operationId; progenitor names the Rust method after it".into(),
            ),
            Some(id) => {
                let snake = id.to_snake_case();
                if snake != id {
                    rule(
                        "operation-id",
                        format!("operationId `{id}` is not snake_case (use `{snake}`)"),
                    );
                }
                if let Some(previous) = seen.insert(snake.clone(), id.to_owned()) {
                    rule(
                        "operation-id",
                        format!(
                            "operationId `{id}` collides with `{previous}`: both become the Rust method `{snake}`"
                        ),
                    );
                }
            }
        }

        // operation-docs
        if op.tags.is_empty() {
            rule("operation-docs", "has no tag".into());
        }
        if op.summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
            rule("operation-docs", "has no summary".into());
        }
        if op
            .description
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            rule("operation-docs", "has no description".into());
        }

        // security
        let requirement = op.security.as_ref().and_then(|reqs| {
            reqs.iter()
                .find(|req| req.contains_key(family.security_scheme))
        });
        match requirement {
            None => rule(
                "security",
                format!(
                    "`security` must name the family's scheme `{}`",
                    family.security_scheme
                ),
            ),
            Some(requirement) => {
                for name in requirement.keys().filter(|n| *n != family.security_scheme) {
                    let scheme = api
                        .components
                        .as_ref()
                        .and_then(|c| c.security_schemes.get(name));
                    if !matches!(scheme, Some(ReferenceOr::Item(s)) if is_header_key(s)) {
                        rule(
                            "security",
                            format!(
                                "`{name}`, required together with `{}`, must be a declared apiKey-in-header scheme",
                                family.security_scheme
                            ),
                        );
                    }
                }
            }
        }

        // parameters
        for param in &op.parameters {
            if let ReferenceOr::Item(
                openapiv3::Parameter::Header { parameter_data, .. }
                | openapiv3::Parameter::Cookie { parameter_data, .. },
            ) = param
            {
                rule(
                    "parameters",
                    format!(
                        "parameter `{}` is a header or cookie; a key goes in `security` (the client redacts it), anything else is not supported",
                        parameter_data.name
                    ),
                );
            }
        }

        // x-idempotent
        if let Some(value) = op.extensions.get("x-idempotent")
            && !value.is_boolean()
        {
            rule(
                "x-idempotent",
                format!("x-idempotent must be true or false, found {value}"),
            );
        }

        // x-docs-url
        match op.extensions.get("x-docs-url") {
            Some(Value::String(url)) if url.starts_with("https://") => {}
            Some(other) => rule(
                "x-docs-url",
                format!("x-docs-url must be an https:// URL, found {other}"),
            ),
            None => rule(
                "x-docs-url",
                "has no x-docs-url naming the DigiCert page it comes from".into(),
            ),
        }

        // x-key-scope
        if family.key_scope {
            match op.extensions.get("x-key-scope") {
                Some(Value::String(scope)) if KEY_SCOPES.contains(&scope.as_str()) => {}
                Some(other) => rule(
                    "x-key-scope",
                    format!(
                        "x-key-scope must be one of {}, found {other}",
                        KEY_SCOPES.join(", ")
                    ),
                ),
                None => rule(
                    "x-key-scope",
                    format!(
                        "has no x-key-scope ({}): which Partner key may call it?",
                        KEY_SCOPES.join(", ")
                    ),
                ),
            }
        }

        check_bodies(api, op, &mut rule);
    }
}

/// What a response puts in its body, as far as progenitor's choice of Rust type goes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum BodyKind {
    None,
    Ref(String),
    Inline(String),
}

impl std::fmt::Display for BodyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyKind::None => f.write_str("no body"),
            BodyKind::Ref(r) => write!(f, "`{r}`"),
            BodyKind::Inline(status) => write!(f, "an inline schema (status {status})"),
        }
    }
}

fn resolve_response<'a>(
    api: &'a OpenAPI,
    response: &'a ReferenceOr<Response>,
) -> Option<&'a Response> {
    match response {
        ReferenceOr::Item(r) => Some(r),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            match api.components.as_ref()?.responses.get(name)? {
                ReferenceOr::Item(r) => Some(r),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

fn resolve_request_body<'a>(
    api: &'a OpenAPI,
    body: &'a ReferenceOr<RequestBody>,
) -> Option<&'a RequestBody> {
    match body {
        ReferenceOr::Item(b) => Some(b),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/requestBodies/")?;
            api.components.as_ref()?.request_bodies.get(name)?.as_item()
        }
    }
}

fn has_example(media: &openapiv3::MediaType) -> bool {
    media.example.is_some() || !media.examples.is_empty()
}

fn check_bodies(api: &OpenAPI, op: &Operation, rule: &mut impl FnMut(&'static str, String)) {
    let request_body = op.request_body.as_ref();
    if request_body.is_some_and(|body| resolve_request_body(api, body).is_none()) {
        rule(
            "local-refs",
            "the request body is a $ref that does not resolve to components/requestBodies".into(),
        );
    }
    if let Some(body) = request_body.and_then(|body| resolve_request_body(api, body)) {
        for (content_type, media) in &body.content {
            if content_type != "application/json" {
                rule(
                    "response-kinds",
                    format!(
                        "request body type `{content_type}`: only application/json is supported"
                    ),
                );
            } else if !has_example(media) {
                rule("examples", "the request body has no example".into());
            }
        }
    }

    let mut success: BTreeMap<BodyKind, Vec<String>> = BTreeMap::new();
    let mut errors: BTreeMap<BodyKind, Vec<String>> = BTreeMap::new();
    let statuses = op
        .responses
        .responses
        .iter()
        .map(|(status, r)| (status.clone(), r))
        .chain(
            op.responses
                .default
                .iter()
                .map(|r| (StatusCode::Range(0), r)),
        );
    for (status, response) in statuses {
        let label = match &status {
            StatusCode::Code(code) => code.to_string(),
            StatusCode::Range(0) => "default".to_owned(),
            StatusCode::Range(n) => format!("{n}XX"),
        };
        let is_success = matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2));
        let Some(response) = resolve_response(api, response) else {
            rule(
                "local-refs",
                format!("response {label} is a $ref that does not resolve to components/responses"),
            );
            continue;
        };
        let mut kind = BodyKind::None;
        for (content_type, media) in &response.content {
            if content_type != "application/json" {
                rule(
                    "response-kinds",
                    format!(
                        "response {label} has content type `{content_type}`: only application/json is supported"
                    ),
                );
                continue;
            }
            if !has_example(media) {
                rule("examples", format!("response {label} has no example"));
            }
            kind = match &media.schema {
                Some(ReferenceOr::Reference { reference }) => BodyKind::Ref(reference.clone()),
                _ => BodyKind::Inline(label.clone()),
            };
        }
        let group = if is_success {
            &mut success
        } else {
            &mut errors
        };
        group.entry(kind).or_default().push(label);
    }
    if success.is_empty() {
        rule("response-kinds", "documents no 2xx response".into());
    }
    for (kind, statuses) in &errors {
        if let BodyKind::Inline(_) = kind {
            rule(
                "response-kinds",
                format!(
                    "error response {} has an inline schema; `$ref` the family's error schema in components/schemas (the typed mocks name that type)",
                    statuses.join("/")
                ),
            );
        }
    }
    for (what, group) in [("success", &success), ("error", &errors)] {
        if group.len() > 1 {
            let kinds = group
                .iter()
                .map(|(kind, statuses)| format!("{} -> {kind}", statuses.join("/")))
                .collect::<Vec<_>>()
                .join(", ");
            rule(
                "response-kinds",
                format!(
                    "{what} responses differ in body ({kinds}); progenitor needs one kind per operation"
                ),
            );
        }
    }
}

fn check_error_schema(api: &OpenAPI, out: &mut Vec<Violation>) {
    let mut kinds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (op_ref, op) in each_operation(api) {
        let errors = op
            .responses
            .responses
            .iter()
            .filter(|(status, _)| {
                !matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2))
            })
            .map(|(status, r)| (status.to_string(), r))
            .chain(
                op.responses
                    .default
                    .iter()
                    .map(|r| ("default".to_owned(), r)),
            );
        for (status, response) in errors {
            let Some(response) = resolve_response(api, response) else {
                continue;
            };
            for media in response.content.values() {
                let kind = match &media.schema {
                    Some(ReferenceOr::Reference { reference }) => reference.clone(),
                    _ => "an inline schema".to_owned(),
                };
                kinds
                    .entry(kind)
                    .or_default()
                    .push(format!("{} {}", op_ref.id, status));
            }
        }
    }
    if kinds.len() > 1 {
        let list = kinds
            .iter()
            .map(|(kind, uses)| format!("{kind} ({})", uses.join(", ")))
            .collect::<Vec<_>>()
            .join("; ");
        push(
            out,
            "error-schema",
            "/paths",
            format!("error responses must share one schema per family, found: {list}"),
        );
    }
}

/// Walks the raw tree, skipping example values and extensions (their content is data).
///
/// `names` is true for a schema's `properties` map: its keys are field names (a field may
/// well be called `example`), not keywords, and each of its values is a schema.
fn walk(node: &Value, names: bool, pointer: &mut String, root: &Value, out: &mut Vec<Violation>) {
    match node {
        Value::Object(map) if names => {
            for (key, child) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&crate::tree::escape(key));
                walk(child, false, pointer, root, out);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            check_schema_node(map, pointer, out);
            if let Some(Value::String(reference)) = map.get("$ref") {
                check_ref(reference, pointer, root, out);
            }
            if let Some(marker) = map.get("x-inferred")
                && marker.as_str().is_none_or(|s| s.trim().is_empty())
            {
                push(
                    out,
                    "x-inferred",
                    pointer.clone(),
                    "x-inferred must say, as text, what was inferred and why".into(),
                );
            }
            for (key, child) in map {
                if key == "example" || key == "examples" || key.starts_with("x-") {
                    continue;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&crate::tree::escape(key));
                walk(child, key == "properties", pointer, root, out);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                walk(child, false, pointer, root, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn check_ref(reference: &str, pointer: &str, root: &Value, out: &mut Vec<Violation>) {
    let Some(local) = reference.strip_prefix('#') else {
        push(
            out,
            "local-refs",
            pointer,
            format!("`$ref: {reference}` is not local; keep each spec in one file"),
        );
        return;
    };
    let target = local.replace("~1", "/").replace("~0", "~");
    let resolved = local
        .split('/')
        .skip(1)
        .map(|part| part.replace("~1", "/").replace("~0", "~"))
        .try_fold(root, |node, part| node.get(part.as_str()));
    if local.is_empty() || resolved.is_none() {
        push(
            out,
            "local-refs",
            pointer,
            format!("`$ref: {reference}` points at nothing (no `{target}` in this spec)"),
        );
    }
}

/// DigiCert's own timestamp layout, `YYYY-MM-DD hh:mm:ss`.
pub(crate) fn is_digicert_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        })
}

/// A loose RFC 3339 check: `YYYY-MM-DDThh:mm:ss`, optional fraction, then `Z` or an offset.
fn is_rfc3339(s: &str) -> bool {
    let (head, tail) = match s.len() >= 19 {
        true if s.is_char_boundary(19) => s.split_at(19),
        _ => return false,
    };
    let head_ok = head.as_bytes().iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        10 => *c == b'T' || *c == b't',
        13 | 16 => *c == b':',
        _ => c.is_ascii_digit(),
    });
    let tail = match tail.strip_prefix('.') {
        Some(frac) => frac.trim_start_matches(|c: char| c.is_ascii_digit()),
        None => tail,
    };
    let zone_ok = tail.eq_ignore_ascii_case("z")
        || (tail.len() == 6
            && (tail.starts_with('+') || tail.starts_with('-'))
            && tail.as_bytes()[3] == b':');
    head_ok && zone_ok
}

fn check_schema_node(
    map: &serde_json::Map<String, Value>,
    pointer: &str,
    out: &mut Vec<Violation>,
) {
    // `type` also names a security scheme's kind (`apiKey`); everywhere else it is a schema's.
    let in_security_schemes = pointer.starts_with("/components/securitySchemes");
    if let Some(kind) = map.get("type")
        && !in_security_schemes
        && !kind.as_str().is_some_and(|k| SCHEMA_TYPES.contains(&k))
    {
        let shown = kind
            .as_str()
            .map_or_else(|| kind.to_string(), str::to_owned);
        push(
            out,
            "schema-type",
            pointer,
            format!(
                "`type: {shown}` is not a schema type; use one of {}",
                SCHEMA_TYPES.join(", ")
            ),
        );
    }
    let top_level_component =
        pointer.starts_with("/components/schemas/") && pointer.matches('/').count() == 3;
    if map.contains_key("x-known-values") && !top_level_component {
        push(
            out,
            "open-enum",
            pointer,
            "x-known-values only works on a named schema under /components/schemas (it becomes a Rust type of that name); move it there and `$ref` it".into(),
        );
    }
    if let Some(aliases) = map.get("x-aliases") {
        let ok = aliases.as_array().is_some_and(|list| {
            !list.is_empty()
                && list
                    .iter()
                    .all(|a| a.as_str().is_some_and(|a| !a.trim().is_empty()))
        });
        if !ok {
            push(
                out,
                "x-aliases",
                pointer,
                format!("x-aliases must be a non-empty list of field names, found {aliases}"),
            );
        }
    }
    if map.get("additionalProperties") == Some(&Value::Bool(false)) {
        push(
            out,
            "additional-properties",
            pointer,
            "`additionalProperties: false` makes a new field from DigiCert fail decoding; remove it".into(),
        );
    }
    if map.get("type").and_then(Value::as_str) != Some("string") {
        return;
    }
    let format = map.get("format").and_then(Value::as_str);
    let example = map.get("example").and_then(Value::as_str);
    let description = map.get("description").and_then(Value::as_str).unwrap_or("");
    let mentions_layout = description.contains("YYYY-MM-DD hh:mm:ss");
    match format {
        Some("date-time") => match example {
            Some(ex) if is_rfc3339(ex) && !mentions_layout => {}
            Some(ex) if is_digicert_datetime(ex) || mentions_layout => push(
                out,
                "datetime-format",
                pointer,
                format!(
                    "`format: date-time` on a DigiCert `YYYY-MM-DD hh:mm:ss` value (`{ex}`) fails to decode at run time; use `format: {DIGICERT_DATETIME_FORMAT}`"
                ),
            ),
            Some(ex) => push(
                out,
                "datetime-format",
                pointer,
                format!("`format: date-time` needs an RFC 3339 example, found `{ex}`"),
            ),
            None => push(
                out,
                "datetime-format",
                pointer,
                "`format: date-time` needs an RFC 3339 `example`, so that DigiCert's `YYYY-MM-DD hh:mm:ss` cannot hide behind it".into(),
            ),
        },
        Some(DIGICERT_DATETIME_FORMAT) => {
            if let Some(ex) = example.filter(|ex| !is_digicert_datetime(ex)) {
                push(
                    out,
                    "datetime-format",
                    pointer,
                    format!("`format: {DIGICERT_DATETIME_FORMAT}` example `{ex}` is not `YYYY-MM-DD hh:mm:ss`"),
                );
            }
        }
        _ => {
            if example.is_some_and(is_digicert_datetime) || mentions_layout {
                push(
                    out,
                    "datetime-format",
                    pointer,
                    format!(
                        "a `YYYY-MM-DD hh:mm:ss` timestamp must say `format: {DIGICERT_DATETIME_FORMAT}`, so it decodes into the client's time type"
                    ),
                );
            }
        }
    }
}

fn check_open_enums(spec: &Spec, out: &mut Vec<Violation>) {
    for (name, schema) in spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some(values) = schema.get("x-known-values") else {
            continue;
        };
        let strings = values.as_array().is_some_and(|list| {
            !list.is_empty()
                && list
                    .iter()
                    .all(|v| v.as_str().is_some_and(|v| !v.is_empty()))
        });
        let is_string = schema.get("type").and_then(Value::as_str) == Some("string");
        if !strings || !is_string || schema.get("enum").is_some() {
            push(
                out,
                "open-enum",
                format!("/components/schemas/{}", crate::tree::escape(name)),
                "x-known-values needs a `type: string` schema without `enum`, and a non-empty list of strings".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_layouts() {
        assert!(is_digicert_datetime("2018-11-29 18:25:04"));
        assert!(!is_digicert_datetime("2018-11-29T18:25:04"));
        assert!(!is_digicert_datetime("2018-11-29 18:25:04Z"));
        assert!(is_rfc3339("2025-01-29T10:30:00Z"));
        assert!(is_rfc3339("2019-05-07T09:33:08+00:00"));
        assert!(is_rfc3339("2019-05-07T09:33:08.123Z"));
        assert!(!is_rfc3339("2018-11-29 18:25:04"));
        assert!(!is_rfc3339("2019-05-07T09:33:08"));
        assert!(!is_rfc3339("2019-05-07T09:33:08+0000"));
    }
}
