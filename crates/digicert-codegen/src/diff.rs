//! Comparing two versions of one spec: every change, classified for a *client of the
//! generated crate* (breaking, non-breaking or docs-only), with the semver bump it needs.
//! The library half of `cargo xtask diff`.
//!
//! ```no_run
//! use std::path::Path;
//! use digicert_codegen::diff::diff;
//!
//! let old = digicert_codegen::load(Path::new("/tmp/partner-subscriptions-v1.yaml"))?;
//! let new = digicert_codegen::load(Path::new("spec/partner-subscriptions-v1.yaml"))?;
//! let report = diff(&old, &new);
//! print!("{}", report.to_text());
//! if let Some(next) = report.semver_bump("0.1.0") {
//!     println!("the client crate needs version {next}");
//! }
//! # Ok::<(), digicert_codegen::Error>(())
//! ```
//!
//! How the two sides are matched: operations by method and path, then, for the rest, by
//! `operationId` (a moved operation); parameters by name and location; fields by name.
//! `$ref`s are followed on both sides (a cycle is followed once), so a change inside a
//! shared component is reported at every request or response that uses it, with the
//! severity that use gives it. Error bodies are the exception: one shared error schema is
//! compared once, at `components/schemas/<name>`. Documentation is compared separately,
//! place by place, so a description shared by ten operations is listed once.
//!
//! The rules, with the severity each one always reports:
//!
//! | rule | severity | what changed |
//! |---|---|---|
//! | `operation-removed` | breaking | an operation is gone (its Rust method disappears) |
//! | `operation-moved` | breaking | same `operationId`, another method or path |
//! | `operation-id-renamed` | breaking | same method and path, another `operationId` (the Rust method is renamed) |
//! | `operation-added` | non-breaking | a new operation |
//! | `auth-scheme-changed` | breaking | a security scheme removed, renamed or changed (`type`, `in`, header `name`, ...), or an operation's `security` names other schemes |
//! | `security-scheme-added` | non-breaking | a new security scheme |
//! | `request-param-removed` | breaking | a parameter is gone (its builder method disappears) |
//! | `required-request-param-added` | breaking | a new required parameter |
//! | `optional-request-param-added` | non-breaking | a new optional parameter |
//! | `request-param-became-required` | breaking | an optional parameter is now required |
//! | `request-param-became-optional` | non-breaking | a required parameter is now optional (progenitor's builder method keeps its signature) |
//! | `request-body-added` | breaking | an operation now takes a body (progenitor makes every body mandatory) |
//! | `request-body-removed` | breaking | the builder's `body` / `body_map` disappear |
//! | `request-body-required-changed` | non-breaking | the body's `required` flag (progenitor ignores it) |
//! | `required-request-field-added` | breaking | a new required request field |
//! | `optional-request-field-added` | non-breaking | a new optional request field |
//! | `request-field-removed` | breaking | a request field is gone |
//! | `request-field-type-changed` | breaking | type, format, `$ref` target, item type, content type, an inline schema's `title` (typify's name for its type), or anything else that changes the Rust type |
//! | `request-field-became-required` | breaking | an optional request field is now required |
//! | `request-field-became-optional` | breaking | a required request field is now optional and its Rust type changes from `T` to `Option<T>` |
//! | `request-constraint-narrowed` | breaking | enum-free narrowing: `maxLength`/`maximum`/`maxItems` lowered or added, `minLength`/`minimum`/`minItems` raised or added, `pattern` added or changed, `nullable` removed, ... |
//! | `request-constraint-widened` | non-breaking | the opposite of a narrowing, when the Rust type stays the same |
//! | `request-enum-value-removed` | breaking | a request enum lost a value (a Rust variant disappears) |
//! | `request-enum-value-added` | non-breaking | a request enum gained a value |
//! | `success-kind-changed` | breaking | a success response changed between body and no body, or to another schema |
//! | `success-status-removed` | breaking | a documented success status is gone (the client now returns an error for it) |
//! | `success-status-added` | non-breaking | a new success status with the same body kind |
//! | `response-field-removed` | breaking | a response field is gone |
//! | `response-field-type-changed` | breaking | the same, for a response field |
//! | `response-field-became-optional` | breaking | a response field is no longer required (or became nullable): `T` -> `Option<T>` |
//! | `response-field-became-required` | breaking | a response field is now required (or no longer nullable): `Option<T>` -> `T` |
//! | `response-field-added` | non-breaking | a new response field |
//! | `response-enum-value-added` | breaking | a closed response enum (`enum`) gained a value (a new Rust variant) |
//! | `response-enum-value-removed` | breaking | a closed response enum lost a value (a Rust variant disappears) |
//! | `response-constraint-changed` | non-breaking | a response constraint that does not change the Rust type |
//! | `response-headers-changed` | non-breaking | documented response headers (the client does not type them) |
//! | `known-values-changed` | non-breaking | `x-known-values` of a generated open enum |
//! | `default-changed` | non-breaking | a `default` value |
//! | `deprecated-changed` | non-breaking | a `deprecated` flag |
//! | `error-status-added` | non-breaking | a new documented error status |
//! | `error-status-removed` | non-breaking | a documented error status is gone |
//! | `error-response-changed` | non-breaking | anything in an error response (the client parses errors itself) |
//! | `schema-removed` / `schema-renamed` | breaking | a component schema, and so its Rust type, is gone or renamed |
//! | `schema-added` | non-breaking | a new component schema (a new Rust type) |
//! | `servers-changed` | non-breaking | the server URLs (the generated `PRODUCTION_URL`/`x-const` constants follow: the default base URL may change) |
//! | `api-version-changed` | non-breaking | `info.version` (what the client's `api_version()` returns) |
//! | `openapi-version-changed` | non-breaking | the `openapi` version line |
//! | `idempotency-changed` | non-breaking | `x-idempotent`: whether the client retries after a timeout, a 5xx or a broken connection |
//! | `pagination-added` | non-breaking | `x-pagination` added: the builder gains `stream()` |
//! | `pagination-changed` | breaking | `x-pagination` removed or changed: `stream()` disappears or yields another item |
//! | `server-constant-added` | non-breaking | `x-const` on a server: a `Client::*_URL` constant appears |
//! | `server-constant-removed` | breaking | a server's `x-const` is gone: its constant disappears |
//! | `aliases-added` | non-breaking | `x-aliases` of a property gained a name: answers using it decode |
//! | `aliases-removed` | breaking | `x-aliases` of a property lost a name: answers using it no longer decode |
//! | `unclassified-change` | breaking | anything this module does not know how to classify: review it by hand |
//! | `description-changed`, `summary-changed`, `title-changed`, `example-changed`, `docs-url-changed`, `inferred-changed`, `docs-deviation-changed`, `tags-changed`, `external-docs-changed`, `key-scope-changed`, `info-changed` | docs-only | documentation: one change per place |
//!
//! Whether a field of a generated struct is `T` or `Option<T>` follows typify: a field is
//! `Option<T>` when it is nullable, or when it is optional and neither an array, a map nor
//! defaulted (those get a serde default instead).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use heck::{ToPascalCase, ToSnakeCase};
use serde_json::{Map, Value, json};

use crate::Spec;

/// How a change affects code that uses the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Code that compiled and worked against the old client may fail to compile or to
    /// work: the client crate needs a breaking release.
    Breaking,
    /// Something new (an operation, a field, a status, an enum value in a request); existing
    /// code keeps working.
    NonBreaking,
    /// Documentation only: descriptions, summaries, examples, links, provenance notes.
    DocsOnly,
}

impl Severity {
    /// The name reports use: `breaking`, `non-breaking` or `docs-only`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::NonBreaking => "non-breaking",
            Severity::DocsOnly => "docs-only",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One classified change between the two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How it affects a client of the generated crate.
    pub severity: Severity,
    /// The rule that classified it (see the table in this module's docs), e.g.
    /// `request-field-removed`.
    pub rule: &'static str,
    /// Where: `POST /account/subaccount (create_subaccount) request body .name`,
    /// `GET /x (get_x) query parameter limit`, `components/securitySchemes/PartnerApiKey`.
    pub location: String,
    /// What changed and why it has this severity.
    pub message: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}: {}", self.rule, self.location, self.message)
    }
}

/// Every change between two versions of one spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes, in a fixed order: the document's top level, then operations in document
    /// order (a removed or moved operation at its old place, added ones after), then
    /// components, then documentation in tree order. Within an object, fields come in
    /// alphabetical order (the raw JSON tree does not keep the YAML's key order). The same
    /// two specs always give the same list.
    pub changes: Vec<Change>,
}

impl Report {
    /// True when there is no change at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// True when any change is [`Severity::Breaking`].
    pub fn is_breaking(&self) -> bool {
        self.severity() == Some(Severity::Breaking)
    }

    /// The most severe change, `None` when there is none.
    pub fn severity(&self) -> Option<Severity> {
        self.changes.iter().map(|c| c.severity).min()
    }

    /// How many changes have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    /// The version the client crate needs next, given its `current` version
    /// (`MAJOR.MINOR.PATCH`; a pre-release or build suffix is dropped).
    ///
    /// From 1.0.0: breaking -> next major, non-breaking -> next minor, docs-only -> next
    /// patch. Before 1.0.0, where Cargo treats the minor version as the major one:
    /// breaking -> next minor, anything else -> next patch. `None` when there is nothing to
    /// release, or when `current` is not a `MAJOR.MINOR.PATCH` version.
    pub fn semver_bump(&self, current: &str) -> Option<String> {
        let severity = self.severity()?;
        let core = current.trim().split(['+', '-']).next()?;
        let parts: Vec<u64> = core
            .split('.')
            .map(|part| part.parse().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        let (major, minor, patch) = match (major, severity) {
            (0, Severity::Breaking) => (0, minor.checked_add(1)?, 0),
            (0, _) => (0, minor, patch.checked_add(1)?),
            (_, Severity::Breaking) => (major.checked_add(1)?, 0, 0),
            (_, Severity::NonBreaking) => (major, minor.checked_add(1)?, 0),
            (_, Severity::DocsOnly) => (major, minor, patch.checked_add(1)?),
        };
        Some(format!("{major}.{minor}.{patch}"))
    }

    /// The verdict in one word: `breaking`, `non-breaking`, `docs-only` or `no changes`.
    pub fn verdict(&self) -> &'static str {
        self.severity().map_or("no changes", Severity::as_str)
    }

    /// A plain-text report: the changes grouped by severity, breaking ones first, then a
    /// last line `verdict: <verdict> (<counts>)`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for severity in [
            Severity::Breaking,
            Severity::NonBreaking,
            Severity::DocsOnly,
        ] {
            let count = self.count(severity);
            if count == 0 {
                continue;
            }
            out.push_str(&format!("{severity} ({count}):\n"));
            for change in self.changes.iter().filter(|c| c.severity == severity) {
                out.push_str(&format!("  {change}\n"));
            }
        }
        if self.is_empty() {
            out.push_str("no changes\n");
        }
        out.push_str(&format!(
            "verdict: {} ({})\n",
            self.verdict(),
            self.counts_text()
        ));
        out
    }

    /// A Markdown report for a pull-request comment: the verdict, then one table row per
    /// change, breaking ones first.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("**Verdict: {}** ({})\n", self.verdict(), self.counts_text());
        if self.is_empty() {
            out.push_str("\nNo changes.\n");
            return out;
        }
        out.push_str("\n| severity | rule | location | change |\n|---|---|---|---|\n");
        let mut sorted: Vec<&Change> = self.changes.iter().collect();
        sorted.sort_by_key(|c| c.severity);
        for change in sorted {
            out.push_str(&format!(
                "| {} | `{}` | {} | {} |\n",
                change.severity,
                change.rule,
                markdown_code(&change.location),
                markdown_cell(&change.message),
            ));
        }
        out
    }

    /// A JSON report for tools: `{"verdict", "breaking" (bool), "counts": {"breaking",
    /// "non_breaking", "docs_only", "total"}, "changes": [{"severity", "rule",
    /// "location", "message"}]}`, changes in report order.
    pub fn to_json(&self) -> Value {
        json!({
            "verdict": self.verdict(),
            "breaking": self.is_breaking(),
            "counts": {
                "breaking": self.count(Severity::Breaking),
                "non_breaking": self.count(Severity::NonBreaking),
                "docs_only": self.count(Severity::DocsOnly),
                "total": self.changes.len(),
            },
            "changes": self.changes.iter().map(|c| json!({
                "severity": c.severity.as_str(),
                "rule": c.rule,
                "location": c.location,
                "message": c.message,
            })).collect::<Vec<_>>(),
        })
    }

    fn counts_text(&self) -> String {
        format!(
            "{} breaking, {} non-breaking, {} docs-only",
            self.count(Severity::Breaking),
            self.count(Severity::NonBreaking),
            self.count(Severity::DocsOnly)
        )
    }
}

fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn markdown_code(text: &str) -> String {
    if text.contains('`') {
        markdown_cell(text)
    } else {
        format!("`{}`", markdown_cell(text))
    }
}

/// Compares `old` with `new`, two versions of one spec, and classifies every change for a
/// client of the generated crate. Never panics, whatever the specs contain.
pub fn diff(old: &Spec, new: &Spec) -> Report {
    let mut differ = Differ {
        old: Side::new(old),
        new: Side::new(new),
        out: Vec::new(),
        expanding: Vec::new(),
        error_schemas: BTreeSet::new(),
        via_ref: false,
        budget: BUDGET,
        depth: 0,
        stopped: false,
        equal_targets: equal_targets(&old.raw, &new.raw),
    };
    differ.top_level();
    differ.operations();
    differ.components();
    differ.docs(&old.raw, &new.raw, &mut Vec::new(), false);
    Report {
        changes: differ.out,
    }
}

/// How many schema comparisons one diff may make; a spec built to explode stops here.
const BUDGET: usize = 200_000;
/// How deeply schemas may nest (through `$ref`s too) before the comparison stops, far
/// below what would overflow the stack.
const MAX_DEPTH: usize = 96;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keys that only document; the docs pass compares them, the semantic passes skip them.
/// (`title` is documentation only in `info` and on component schemas: typify names an
/// inline schema's Rust type after its title.)
const DOCS_KEYS: [&str; 13] = [
    "description",
    "summary",
    "example",
    "examples",
    "externalDocs",
    "x-docs-url",
    "x-inferred",
    "x-docs-deviation",
    "tags",
    "x-key-scope",
    "contact",
    "license",
    "termsOfService",
];

/// Keys whose value is a map from names (fields, statuses, component names, media types)
/// to objects, so its keys are never keywords.
const NAME_MAPS: [&str; 14] = [
    "properties",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "securitySchemes",
    "headers",
    "links",
    "callbacks",
    "content",
    "paths",
    "variables",
    "mapping",
    "encoding",
];

/// Keys whose value is data, not spec structure: the docs pass does not look inside.
const DATA_KEYS: [&str; 5] = ["default", "enum", "required", "security", "x-known-values"];

/// Schema keywords the schema comparison understands.
const SCHEMA_KEYS: [&str; 31] = [
    "$ref",
    "title",
    "type",
    "format",
    "enum",
    "nullable",
    "properties",
    "required",
    "items",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "uniqueItems",
    "multipleOf",
    "default",
    "deprecated",
    "x-known-values",
    "x-aliases",
];

fn is_docs_key(key: &str) -> bool {
    DOCS_KEYS.contains(&key)
}

/// One side of the comparison.
struct Side<'a> {
    spec: &'a Spec,
    root: &'a Value,
}

impl<'a> Side<'a> {
    fn new(spec: &'a Spec) -> Self {
        Self {
            spec,
            root: &spec.raw,
        }
    }

    /// The node a local `$ref` points at.
    fn target(&self, reference: &str) -> Option<&'a Value> {
        let pointer = reference.strip_prefix('#')?;
        if pointer.is_empty() {
            return None;
        }
        self.root.pointer(pointer)
    }

    /// `node`, or what its `$ref` chain ends at (the last node that resolves).
    fn deref(&self, node: &'a Value) -> &'a Value {
        let mut node = node;
        for _ in 0..16 {
            match ref_of(node).and_then(|r| self.target(r)) {
                Some(next) => node = next,
                None => break,
            }
        }
        node
    }

    /// The operations, in document order.
    fn operations(&self) -> Vec<Op<'a>> {
        let Some(paths) = self.root.get("paths").and_then(Value::as_object) else {
            return Vec::new();
        };
        // serde_json sorts keys; openapiv3 keeps the document's order of paths.
        let mut order: Vec<&'a str> = self
            .spec
            .openapi
            .paths
            .paths
            .keys()
            .map(String::as_str)
            .filter(|path| paths.contains_key(*path))
            .collect();
        let listed: BTreeSet<&str> = order.iter().copied().collect();
        order.extend(
            paths
                .keys()
                .map(String::as_str)
                .filter(|p| !listed.contains(p)),
        );
        let mut ops = Vec::new();
        for path in order {
            let Some(item) = paths.get(path).map(|i| self.deref(i)) else {
                continue;
            };
            let Some(item) = item.as_object() else {
                continue;
            };
            for method in METHODS {
                if let Some(node) = item.get(method).and_then(Value::as_object) {
                    ops.push(Op {
                        method,
                        path,
                        id: node
                            .get("operationId")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                        item,
                        node,
                    });
                }
            }
        }
        ops
    }

    fn components(&self, kind: &str) -> Option<&'a Map<String, Value>> {
        self.root.get("components")?.get(kind)?.as_object()
    }
}

/// One operation of one side.
struct Op<'a> {
    method: &'static str,
    path: &'a str,
    id: String,
    item: &'a Map<String, Value>,
    node: &'a Map<String, Value>,
}

impl Op<'_> {
    fn label(&self) -> String {
        let method = self.method.to_uppercase();
        if self.id.is_empty() {
            format!("{method} {}", self.path)
        } else {
            format!("{method} {} ({})", self.path, self.id)
        }
    }

    fn rust_method(&self) -> String {
        self.id.to_snake_case()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Request,
    Response,
}

impl Dir {
    fn pick(self, request: &'static str, response: &'static str) -> &'static str {
        match self {
            Dir::Request => request,
            Dir::Response => response,
        }
    }
}

/// What a response or request body carries, as far as the Rust type goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum BodyKind {
    None,
    Ref(String),
    Inline,
    Other(String),
}

impl fmt::Display for BodyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyKind::None => f.write_str("no body"),
            BodyKind::Ref(r) => write!(f, "body `{}`", ref_name(r)),
            BodyKind::Inline => f.write_str("an inline JSON body"),
            BodyKind::Other(ct) => write!(f, "a `{ct}` body"),
        }
    }
}

struct Differ<'a> {
    old: Side<'a>,
    new: Side<'a>,
    out: Vec<Change>,
    /// `$ref` pairs being expanded right now: the cycle guard.
    expanding: Vec<(String, String)>,
    /// Shared error schemas already compared.
    error_schemas: BTreeSet<String>,
    /// Set just before comparing what a `$ref` points at: a component schema, whose Rust
    /// type is named after its key rather than its `title`.
    via_ref: bool,
    budget: usize,
    depth: usize,
    /// Whether the comparison has already said that it stopped early.
    stopped: bool,
    /// Whether two equal schema nodes are certainly the same schema: true when everything
    /// a `$ref` may point at (all but `paths`, which no `$ref` points into) is equal.
    equal_targets: bool,
}

/// Whether both documents are equal apart from `paths`, and no `$ref` points into `paths`.
fn equal_targets(old: &Value, new: &Value) -> bool {
    fn refs_into_paths(node: &Value) -> bool {
        match node {
            Value::Object(map) => map.iter().any(|(key, value)| {
                (key == "$ref" && value.as_str().is_some_and(|r| r.starts_with("#/paths")))
                    || refs_into_paths(value)
            }),
            Value::Array(items) => items.iter().any(refs_into_paths),
            _ => false,
        }
    }
    fn without_paths(root: &Value) -> Option<Vec<(&String, &Value)>> {
        root.as_object()
            .map(|map| map.iter().filter(|(key, _)| *key != "paths").collect())
    }
    without_paths(old) == without_paths(new) && !refs_into_paths(old) && !refs_into_paths(new)
}

fn ref_of(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str)
}

/// `#/components/schemas/Thing` -> `Thing`.
fn ref_name(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}

fn truthy(node: &Value, key: &str) -> bool {
    node.get(key) == Some(&Value::Bool(true))
}

fn flag(map: &Map<String, Value>, key: &str) -> bool {
    map.get(key) == Some(&Value::Bool(true))
}

/// The entries of an optional map, with the map's lifetime.
fn entries(map: Option<&Map<String, Value>>) -> BTreeMap<&str, &Value> {
    map.into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
        .collect()
}

fn place(prefix: &str, path: &str) -> String {
    if path.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix} {path}")
    }
}

/// A short, single-line rendering of a value for messages.
fn preview(value: Option<&Value>) -> String {
    const MAX: usize = 60;
    let cut = |text: &str| {
        let text = text.replace(['\n', '\r'], " ");
        if text.chars().count() > MAX {
            format!("{}...", text.chars().take(MAX).collect::<String>())
        } else {
            text
        }
    };
    match value {
        None => "none".to_owned(),
        Some(Value::String(s)) => format!("\"{}\"", cut(s)),
        Some(other) => cut(&other.to_string()),
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `node` without documentation, for comparing what matters to the client.
fn strip_docs(node: &Value, names: bool) -> Value {
    match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| names || !is_docs_key(key))
                .map(|(key, value)| {
                    let child_names = !names && NAME_MAPS.contains(&key.as_str());
                    let value = if !names && DATA_KEYS.contains(&key.as_str()) {
                        value.clone()
                    } else {
                        strip_docs(value, child_names)
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| strip_docs(i, false)).collect()),
        other => other.clone(),
    }
}

/// The `type` of a schema, or the one its keywords imply.
fn schema_type(map: &Map<String, Value>) -> String {
    match map.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(other) => other.to_string(),
        None if map.contains_key("properties") || map.contains_key("additionalProperties") => {
            "object".to_owned()
        }
        None if map.contains_key("items") => "array".to_owned(),
        None => "any".to_owned(),
    }
}

/// A short description of a schema node, for messages.
fn describe(node: &Value, depth: usize) -> String {
    if let Some(reference) = ref_of(node) {
        return format!("`{}`", ref_name(reference));
    }
    let Some(map) = node.as_object() else {
        return format!("`{}`", preview(Some(node)));
    };
    if map.contains_key("x-known-values") {
        return "an open enum (x-known-values)".to_owned();
    }
    let mut text = match (schema_type(map).as_str(), map.get("items")) {
        ("array", Some(items)) if depth < 4 => format!("array of {}", describe(items, depth + 1)),
        (t, _) => format!("`{t}`"),
    };
    if let Some(format) = map.get("format") {
        text.push_str(&format!(" (format `{}`)", show(format)));
    }
    if map.contains_key("enum") {
        text = format!("closed enum of {text}");
    }
    if truthy(node, "nullable") {
        text.push_str(", nullable");
    }
    text
}

/// The Rust type typify generates for a string or integer schema (the part of the choice
/// that constraints drive), `None` for other schemas.
fn rust_scalar(map: &Map<String, Value>) -> Option<String> {
    if map.contains_key("enum") {
        return None;
    }
    match schema_type(map).as_str() {
        "string" => Some(match map.get("format").and_then(Value::as_str) {
            Some("date-time") => "`chrono::DateTime<Utc>`".to_owned(),
            Some("date") => "`chrono::NaiveDate`".to_owned(),
            Some("uuid") => "`uuid::Uuid`".to_owned(),
            Some("ip") => "`std::net::IpAddr`".to_owned(),
            Some("ipv4") => "`std::net::Ipv4Addr`".to_owned(),
            Some("ipv6") => "`std::net::Ipv6Addr`".to_owned(),
            Some(format) if crate::CONVERSIONS.iter().any(|(f, _)| *f == format) => {
                crate::CONVERSIONS
                    .iter()
                    .find(|(f, _)| *f == format)
                    .map(|(_, rust)| format!("`{rust}`"))
                    .unwrap_or_default()
            }
            _ if ["minLength", "maxLength", "pattern"]
                .iter()
                .any(|k| map.contains_key(*k)) =>
            {
                "a `String` newtype that checks the constraints".to_owned()
            }
            _ => "`String`".to_owned(),
        }),
        "integer" => Some(format!("`{}`", integer_type(map))),
        _ => None,
    }
}

/// typify 0.8's choice of Rust integer type from `format` and bounds.
fn integer_type(map: &Map<String, Value>) -> &'static str {
    // format, type, non-zero type, type's min, type's max; most restrictive first.
    const FORMATS: [(&str, &str, &str, f64, f64); 10] = [
        ("int8", "i8", "NonZeroU8", i8::MIN as f64, i8::MAX as f64),
        ("uint8", "u8", "NonZeroU8", u8::MIN as f64, u8::MAX as f64),
        (
            "int16",
            "i16",
            "NonZeroU16",
            i16::MIN as f64,
            i16::MAX as f64,
        ),
        (
            "uint16",
            "u16",
            "NonZeroU16",
            u16::MIN as f64,
            u16::MAX as f64,
        ),
        ("int", "i32", "NonZeroU32", i32::MIN as f64, i32::MAX as f64),
        (
            "int32",
            "i32",
            "NonZeroU32",
            i32::MIN as f64,
            i32::MAX as f64,
        ),
        (
            "uint",
            "u32",
            "NonZeroU32",
            u32::MIN as f64,
            u32::MAX as f64,
        ),
        (
            "uint32",
            "u32",
            "NonZeroU32",
            u32::MIN as f64,
            u32::MAX as f64,
        ),
        (
            "int64",
            "i64",
            "NonZeroU64",
            i64::MIN as f64,
            i64::MAX as f64,
        ),
        (
            "uint64",
            "u64",
            "NonZeroU64",
            u64::MIN as f64,
            u64::MAX as f64,
        ),
    ];
    let bound = |key: &str, exclusive: &str, step: f64| {
        map.get(key)
            .and_then(Value::as_f64)
            .map(|v| if flag(map, exclusive) { v + step } else { v })
    };
    let mut min = bound("minimum", "exclusiveMinimum", 1.0);
    let mut max = bound("maximum", "exclusiveMaximum", -1.0);
    let multiple = map.contains_key("multipleOf");
    if let Some(format) = map.get("format").and_then(Value::as_str)
        && let Some((_, ty, nz, imin, imax)) = FORMATS.iter().find(|f| f.0 == format)
    {
        let valid_min = min.is_none_or(|m| m >= *imin);
        let valid_max = max.is_none_or(|m| m <= *imax);
        if !multiple && valid_min && valid_max {
            return if min == Some(1.0) { nz } else { ty };
        }
        min = min.or(Some(*imin));
        max = max.or(Some(*imax));
    }
    let same = |a: f64, b: f64| (a - b).abs() <= f64::EPSILON;
    let found = match (min, max) {
        (None, Some(max)) => FORMATS.iter().rev().find(|f| same(f.4, max)).map(|f| f.1),
        (Some(min), None) => FORMATS.iter().rev().find_map(|f| {
            if min == 1.0 {
                Some(f.2)
            } else if same(f.3, min) {
                Some(f.1)
            } else {
                None
            }
        }),
        (Some(min), Some(max)) => FORMATS.iter().rev().find_map(|f| {
            if min == 1.0 {
                Some(f.2)
            } else if same(f.4, max) && same(f.3, min) {
                Some(f.1)
            } else {
                None
            }
        }),
        (None, None) => None,
    };
    found.unwrap_or("i64")
}

/// Whether an optional field of this (unresolved) schema escapes `Option<T>` in typify:
/// arrays and maps get a serde default instead, and so does a field with a `default`. A
/// `$ref` field is a named type, always wrapped (its siblings, `default` too, are ignored).
fn intrinsic_default(raw: &Value) -> bool {
    let Some(map) = raw.as_object() else {
        return false;
    };
    if map.contains_key("$ref") {
        return false;
    }
    if map.contains_key("default") {
        return true;
    }
    match schema_type(map).as_str() {
        "array" => true,
        "object" => {
            !map.contains_key("properties")
                && map
                    .get("additionalProperties")
                    .is_some_and(|ap| ap.is_object() || ap == &Value::Bool(true))
        }
        _ => false,
    }
}

/// `T` or `Option<T>`: how typify wraps a struct field.
fn wrapper(required: bool, nullable: bool, intrinsic: bool) -> &'static str {
    if nullable || (!required && !intrinsic) {
        "Option<T>"
    } else {
        "T"
    }
}

/// A body's media type (JSON preferred), its schema and the media object.
fn media(body: &Value) -> Option<(&str, Option<&Value>, &Value)> {
    let content = body.get("content")?.as_object()?;
    let (content_type, media) = content
        .get_key_value("application/json")
        .or_else(|| content.iter().next())?;
    Some((content_type.as_str(), media.get("schema"), media))
}

fn body_kind(body: &Value) -> BodyKind {
    match media(body) {
        None => BodyKind::None,
        Some((ct, _, _)) if ct != "application/json" => BodyKind::Other(ct.to_owned()),
        Some((_, Some(schema), _)) => match ref_of(schema) {
            Some(reference) => BodyKind::Ref(reference.to_owned()),
            None => BodyKind::Inline,
        },
        Some((_, None, _)) => BodyKind::Inline,
    }
}

/// Operation `security`, or the document's when the operation has none, as sorted sets of
/// scheme names (with scopes).
fn security(root: &Value, op: &Map<String, Value>) -> Option<BTreeSet<BTreeSet<String>>> {
    let list = op.get("security").or_else(|| root.get("security"))?;
    Some(
        list.as_array()
            .into_iter()
            .flatten()
            .map(|requirement| {
                requirement
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, scopes)| match scopes.as_array() {
                        Some(s) if !s.is_empty() => format!(
                            "{name}[{}]",
                            s.iter().map(show).collect::<Vec<_>>().join(",")
                        ),
                        _ => name.clone(),
                    })
                    .collect()
            })
            .collect(),
    )
}

fn show_security(security: &Option<BTreeSet<BTreeSet<String>>>) -> String {
    match security {
        None => "no `security`".to_owned(),
        Some(alternatives) if alternatives.is_empty() => "no scheme".to_owned(),
        Some(alternatives) => alternatives
            .iter()
            .map(|req| {
                if req.is_empty() {
                    "no key".to_owned()
                } else {
                    req.iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(" + ")
                }
            })
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// A parameter's identity and its definition.
struct Param<'a> {
    name: String,
    location: String,
    node: &'a Value,
}

fn parameters<'a>(side: &Side<'a>, op: &Op<'a>) -> Vec<Param<'a>> {
    let mut out: Vec<Param<'a>> = Vec::new();
    for list in [op.item.get("parameters"), op.node.get("parameters")] {
        for raw in list.and_then(Value::as_array).into_iter().flatten() {
            let node = side.deref(raw);
            let name = node.get("name").and_then(Value::as_str).unwrap_or("?");
            let location = node.get("in").and_then(Value::as_str).unwrap_or("?");
            let param = Param {
                name: name.to_owned(),
                location: location.to_owned(),
                node,
            };
            match out
                .iter_mut()
                .find(|p| p.name == name && p.location == location)
            {
                Some(existing) => *existing = param,
                None => out.push(param),
            }
        }
    }
    out
}

fn param_required(param: &Param<'_>) -> bool {
    param.location == "path" || truthy(param.node, "required")
}

fn param_schema(node: &Value) -> Option<&Value> {
    node.get("schema")
        .or_else(|| media(node).and_then(|(_, s, _)| s))
}

impl<'a> Differ<'a> {
    fn push(
        &mut self,
        severity: Severity,
        rule: &'static str,
        location: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.out.push(Change {
            severity,
            rule,
            location: location.into(),
            message: message.into(),
        });
    }

    /// Reports every key outside `handled` (and outside the docs keys) whose value differs.
    fn unclassified(&mut self, old: &Value, new: &Value, handled: &[&str], location: &str) {
        if let (Some(old), Some(new)) = (old.as_object(), new.as_object()) {
            self.unclassified_keys(old, new, handled, location);
        }
    }

    fn unclassified_keys(
        &mut self,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        handled: &[&str],
        location: &str,
    ) {
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for key in keys {
            if handled.contains(&key.as_str()) || is_docs_key(key) {
                continue;
            }
            let names = NAME_MAPS.contains(&key.as_str());
            let (a, b) = (
                old.get(key).map(|v| strip_docs(v, names)),
                new.get(key).map(|v| strip_docs(v, names)),
            );
            if a != b {
                self.push(
                    Severity::Breaking,
                    "unclassified-change",
                    location,
                    format!(
                        "`{key}` changed from {} to {}; the diff cannot classify this, so it counts as breaking: review it by hand",
                        preview(a.as_ref()),
                        preview(b.as_ref())
                    ),
                );
            }
        }
    }

    fn top_level(&mut self) {
        let (old, new) = (self.old.root, self.new.root);
        if old.get("openapi") != new.get("openapi") {
            self.push(
                Severity::NonBreaking,
                "openapi-version-changed",
                "openapi",
                format!(
                    "`openapi` changed from {} to {}",
                    preview(old.get("openapi")),
                    preview(new.get("openapi"))
                ),
            );
        }
        let empty = json!({});
        let (old_info, new_info) = (
            old.get("info").unwrap_or(&empty),
            new.get("info").unwrap_or(&empty),
        );
        if old_info.get("version") != new_info.get("version") {
            self.push(
                Severity::NonBreaking,
                "api-version-changed",
                "info/version",
                format!(
                    "`info.version` changed from {} to {} (what the client's `api_version()` returns)",
                    preview(old_info.get("version")),
                    preview(new_info.get("version"))
                ),
            );
        }
        self.unclassified(old_info, new_info, &["version", "title"], "info");
        let servers = |root: &Value| -> Vec<(String, Option<String>)> {
            root.get("servers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|server| {
                    (
                        preview(server.get("url")),
                        server
                            .get("x-const")
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                    )
                })
                .collect()
        };
        let (old_servers, new_servers) = (servers(old), servers(new));
        let urls = |list: &[(String, Option<String>)]| {
            if list.is_empty() {
                "none".to_owned()
            } else {
                list.iter()
                    .map(|(url, _)| url.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        if urls(&old_servers) != urls(&new_servers) {
            self.push(
                Severity::NonBreaking,
                "servers-changed",
                "servers",
                format!(
                    "server URLs changed from {} to {}; the client's URL constants (and its default base URL) follow",
                    urls(&old_servers),
                    urls(&new_servers)
                ),
            );
        }
        let constants = |list: &[(String, Option<String>)]| -> BTreeSet<String> {
            list.iter().filter_map(|(_, c)| c.clone()).collect()
        };
        let (old_consts, new_consts) = (constants(&old_servers), constants(&new_servers));
        for added in new_consts.difference(&old_consts) {
            self.push(
                Severity::NonBreaking,
                "server-constant-added",
                "servers",
                format!("`x-const: {added}`: the client gains the constant `Client::{added}`"),
            );
        }
        for removed in old_consts.difference(&new_consts) {
            self.push(
                Severity::Breaking,
                "server-constant-removed",
                "servers",
                format!(
                    "`x-const: {removed}` is gone: the constant `Client::{removed}` disappears"
                ),
            );
        }
        self.unclassified(
            old,
            new,
            &[
                "openapi",
                "info",
                "servers",
                "paths",
                "components",
                "security",
            ],
            "(document root)",
        );
    }

    fn operations(&mut self) {
        let old_ops = self.old.operations();
        let new_ops = self.new.operations();
        let key = |op: &Op<'_>| (op.method, op.path.to_owned());
        let old_keys: BTreeSet<_> = old_ops.iter().map(key).collect();
        let mut matched = vec![false; new_ops.len()];
        let mut compared_items: BTreeSet<String> = BTreeSet::new();
        for old in &old_ops {
            let same_place = new_ops
                .iter()
                .position(|new| new.method == old.method && new.path == old.path);
            if let Some(index) = same_place {
                matched[index] = true;
                let new = &new_ops[index];
                if compared_items.insert(old.path.to_owned()) {
                    self.unclassified_keys(
                        old.item,
                        new.item,
                        &METHODS
                            .iter()
                            .copied()
                            .chain(["parameters"])
                            .collect::<Vec<_>>(),
                        old.path,
                    );
                }
                if old.id != new.id {
                    self.push(
                        Severity::Breaking,
                        "operation-id-renamed",
                        old.label(),
                        format!(
                            "operationId `{}` is now `{}`: the Rust method `{}` becomes `{}`",
                            old.id,
                            new.id,
                            old.rust_method(),
                            new.rust_method()
                        ),
                    );
                }
                self.operation(old, new);
                continue;
            }
            let moved = (!old.id.is_empty())
                .then(|| {
                    new_ops.iter().enumerate().position(|(i, new)| {
                        !matched[i] && new.id == old.id && !old_keys.contains(&key(new))
                    })
                })
                .flatten();
            match moved {
                Some(index) => {
                    matched[index] = true;
                    let new = &new_ops[index];
                    self.push(
                        Severity::Breaking,
                        "operation-moved",
                        old.label(),
                        format!(
                            "moved to {} {}: the Rust method `{}` now calls another endpoint",
                            new.method.to_uppercase(),
                            new.path,
                            new.rust_method()
                        ),
                    );
                    self.operation(old, new);
                }
                None => self.push(
                    Severity::Breaking,
                    "operation-removed",
                    old.label(),
                    if old.id.is_empty() {
                        "the operation is gone".to_owned()
                    } else {
                        format!(
                            "the operation is gone: the Rust method `{}` disappears",
                            old.rust_method()
                        )
                    },
                ),
            }
        }
        for (new, _) in new_ops.iter().zip(&matched).filter(|(_, m)| !**m) {
            self.push(
                Severity::NonBreaking,
                "operation-added",
                new.label(),
                if new.id.is_empty() {
                    "a new operation".to_owned()
                } else {
                    format!("a new operation: the Rust method `{}`", new.rust_method())
                },
            );
        }
    }

    fn operation(&mut self, old: &Op<'a>, new: &Op<'a>) {
        let label = new.label();
        let (old_security, new_security) = (
            security(self.old.root, old.node),
            security(self.new.root, new.node),
        );
        if old_security != new_security {
            self.push(
                Severity::Breaking,
                "auth-scheme-changed",
                label.clone(),
                format!(
                    "`security` now names {} instead of {}",
                    show_security(&new_security),
                    show_security(&old_security)
                ),
            );
        }
        if flag(old.node, "deprecated") != flag(new.node, "deprecated") {
            self.push(
                Severity::NonBreaking,
                "deprecated-changed",
                label.clone(),
                format!(
                    "`deprecated` changed from {} to {}",
                    preview(old.node.get("deprecated")),
                    preview(new.node.get("deprecated"))
                ),
            );
        }
        self.retry_and_paging(old.node, new.node, &label);
        self.unclassified_keys(
            old.node,
            new.node,
            &[
                "operationId",
                "parameters",
                "requestBody",
                "responses",
                "security",
                "deprecated",
                "x-idempotent",
                "x-pagination",
            ],
            &label,
        );
        self.parameters(old, new, &label);
        self.request_body(old, new, &label);
        self.responses(old, new, &label);
    }

    fn parameters(&mut self, old: &Op<'a>, new: &Op<'a>, label: &str) {
        let old_params = parameters(&self.old, old);
        let new_params = parameters(&self.new, new);
        for o in &old_params {
            let here = format!("{label} {} parameter {}", o.location, o.name);
            let Some(n) = new_params
                .iter()
                .find(|n| n.name == o.name && n.location == o.location)
            else {
                self.push(
                    Severity::Breaking,
                    "request-param-removed",
                    here,
                    format!(
                        "removed: its builder method `{}` disappears",
                        o.name.to_snake_case()
                    ),
                );
                continue;
            };
            match (param_required(o), param_required(n)) {
                (false, true) => self.push(
                    Severity::Breaking,
                    "request-param-became-required",
                    here.clone(),
                    "now required: calls that do not set it fail before sending",
                ),
                (true, false) => self.push(
                    Severity::NonBreaking,
                    "request-param-became-optional",
                    here.clone(),
                    "no longer required (its builder method keeps its signature)",
                ),
                _ => {}
            }
            if truthy(o.node, "deprecated") != truthy(n.node, "deprecated") {
                self.push(
                    Severity::NonBreaking,
                    "deprecated-changed",
                    here.clone(),
                    format!(
                        "`deprecated` changed from {} to {}",
                        preview(o.node.get("deprecated")),
                        preview(n.node.get("deprecated"))
                    ),
                );
            }
            match (param_schema(o.node), param_schema(n.node)) {
                (Some(a), Some(b)) => self.schema(a, b, Dir::Request, &here, "", false),
                (None, None) => {}
                (a, b) => self.push(
                    Severity::Breaking,
                    "request-field-type-changed",
                    here.clone(),
                    format!(
                        "the schema changed from {} to {}",
                        a.map_or("none".into(), |s| describe(s, 0)),
                        b.map_or("none".into(), |s| describe(s, 0))
                    ),
                ),
            }
            self.unclassified(
                o.node,
                n.node,
                &["name", "in", "required", "schema", "content", "deprecated"],
                &here,
            );
        }
        for n in &new_params {
            if old_params
                .iter()
                .any(|o| o.name == n.name && o.location == n.location)
            {
                continue;
            }
            let here = format!("{label} {} parameter {}", n.location, n.name);
            let method = n.name.to_snake_case();
            if param_required(n) {
                self.push(
                    Severity::Breaking,
                    "required-request-param-added",
                    here,
                    format!("a new required parameter: calls that do not set `{method}` fail"),
                );
            } else {
                self.push(
                    Severity::NonBreaking,
                    "optional-request-param-added",
                    here,
                    format!("a new optional parameter (builder method `{method}`)"),
                );
            }
        }
    }

    fn request_body(&mut self, old: &Op<'a>, new: &Op<'a>, label: &str) {
        let here = format!("{label} request body");
        let old_body = old.node.get("requestBody").map(|b| self.old.deref(b));
        let new_body = new.node.get("requestBody").map(|b| self.new.deref(b));
        let (old_body, new_body) = match (old_body, new_body) {
            (None, None) => return,
            (None, Some(body)) => {
                let required = if truthy(body, "required") {
                    "a required"
                } else {
                    "a"
                };
                self.push(
                    Severity::Breaking,
                    "request-body-added",
                    here,
                    format!(
                        "the operation now takes {required} body ({}); progenitor makes every body mandatory, so existing calls fail until they set it",
                        body_kind(body)
                    ),
                );
                return;
            }
            (Some(_), None) => {
                self.push(
                    Severity::Breaking,
                    "request-body-removed",
                    here,
                    "the operation no longer takes a body: the builder's `body` and `body_map` disappear",
                );
                return;
            }
            (Some(a), Some(b)) => (a, b),
        };
        if truthy(old_body, "required") != truthy(new_body, "required") {
            self.push(
                Severity::NonBreaking,
                "request-body-required-changed",
                here.clone(),
                format!(
                    "`required` changed from {} to {}; progenitor treats every body as required, so the client does not change",
                    preview(old_body.get("required")),
                    preview(new_body.get("required"))
                ),
            );
        }
        self.unclassified(old_body, new_body, &["required", "content"], &here);
        match (media(old_body), media(new_body)) {
            (Some((oct, os, om)), Some((nct, ns, nm))) => {
                if oct != nct {
                    self.push(
                        Severity::Breaking,
                        "request-field-type-changed",
                        here,
                        format!("the content type changed from `{oct}` to `{nct}`"),
                    );
                    return;
                }
                self.unclassified(om, nm, &["schema"], &here);
                match (os, ns) {
                    (Some(a), Some(b)) => self.schema(a, b, Dir::Request, &here, "", false),
                    (None, None) => {}
                    (a, b) => self.push(
                        Severity::Breaking,
                        "request-field-type-changed",
                        here,
                        format!(
                            "the body schema changed from {} to {}",
                            a.map_or("none".into(), |s| describe(s, 0)),
                            b.map_or("none".into(), |s| describe(s, 0))
                        ),
                    ),
                }
            }
            (None, None) => {}
            (a, b) => self.push(
                Severity::Breaking,
                "request-field-type-changed",
                here,
                format!(
                    "the body content changed from {} to {}",
                    a.map_or("none", |m| m.0),
                    b.map_or("none", |m| m.0)
                ),
            ),
        }
    }

    fn responses(&mut self, old: &Op<'a>, new: &Op<'a>, label: &str) {
        let old_responses = entries(old.node.get("responses").and_then(Value::as_object));
        let new_responses = entries(new.node.get("responses").and_then(Value::as_object));
        let statuses: BTreeSet<&str> = old_responses
            .keys()
            .chain(new_responses.keys())
            .copied()
            .collect();
        let old_success_kind = old_responses
            .iter()
            .find(|(status, _)| status.starts_with('2'))
            .map(|(_, r)| body_kind(self.old.deref(r)));
        let mut compared: BTreeSet<(String, String)> = BTreeSet::new();
        for status in statuses {
            let here = format!("{label} response {status}");
            let old_response = old_responses.get(status).map(|r| self.old.deref(r));
            let new_response = new_responses.get(status).map(|r| self.new.deref(r));
            let success = status.starts_with('2');
            match (old_response, new_response) {
                (Some(a), Some(b)) => {
                    let (ka, kb) = (body_kind(a), body_kind(b));
                    if ka != kb {
                        if success {
                            self.push(
                                Severity::Breaking,
                                "success-kind-changed",
                                here,
                                format!(
                                    "{ka} became {kb}: the Rust return type of `{}` changes",
                                    new.rust_method()
                                ),
                            );
                        } else {
                            self.push(
                                Severity::NonBreaking,
                                "error-response-changed",
                                here,
                                format!("{ka} became {kb} (the client parses error bodies itself)"),
                            );
                        }
                        continue;
                    }
                    self.response_details(a, b, &here, success);
                    let (Some((_, Some(sa), _)), Some((_, Some(sb), _))) = (media(a), media(b))
                    else {
                        continue;
                    };
                    if success {
                        if compared.insert((sa.to_string(), sb.to_string())) {
                            self.schema(sa, sb, Dir::Response, &here, "", false);
                        }
                    } else if let BodyKind::Ref(reference) = &ka {
                        if self.error_schemas.insert(reference.clone()) {
                            let at =
                                format!("components/schemas/{} (error body)", ref_name(reference));
                            self.error_schema(sa, sb, &at);
                        }
                    } else {
                        self.error_schema(sa, sb, &here);
                    }
                }
                (Some(_), None) if success => self.push(
                    Severity::Breaking,
                    "success-status-removed",
                    here,
                    "no longer documented: the client now returns an error for this status",
                ),
                (Some(_), None) => self.push(
                    Severity::NonBreaking,
                    "error-status-removed",
                    here,
                    "no longer documented (the client still reports it as an error)",
                ),
                (None, Some(b)) if success => {
                    let kind = body_kind(b);
                    match &old_success_kind {
                        Some(old_kind) if *old_kind != kind => self.push(
                            Severity::Breaking,
                            "success-kind-changed",
                            here,
                            format!(
                                "a new success status with {kind}, where the operation's other success responses have {old_kind}: the Rust return type changes"
                            ),
                        ),
                        _ => self.push(
                            Severity::NonBreaking,
                            "success-status-added",
                            here,
                            format!("a new success status with {kind}"),
                        ),
                    }
                }
                (None, Some(b)) => self.push(
                    Severity::NonBreaking,
                    "error-status-added",
                    here,
                    format!("a new documented error status ({})", body_kind(b)),
                ),
                (None, None) => {}
            }
        }
    }

    /// Headers and anything unknown on a response whose body kind stayed the same.
    fn response_details(&mut self, old: &Value, new: &Value, here: &str, success: bool) {
        let headers = |r: &Value| r.get("headers").map(|h| strip_docs(h, true));
        if headers(old) != headers(new) {
            self.push(
                Severity::NonBreaking,
                "response-headers-changed",
                here,
                "the documented response headers changed (the client does not type them)",
            );
        }
        if success {
            self.unclassified(old, new, &["content", "headers"], here);
            if let (Some((_, _, a)), Some((_, _, b))) = (media(old), media(new)) {
                self.unclassified(a, b, &["schema"], here);
            }
        }
    }

    /// Compares an error body: whatever changed is non-breaking, as `error-response-changed`.
    fn error_schema(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        let start = self.out.len();
        self.schema(old, new, Dir::Response, at, "", false);
        for change in &mut self.out[start..] {
            change.message = format!(
                "{} ({} in an error body; the client parses error bodies itself)",
                change.message, change.rule
            );
            change.severity = Severity::NonBreaking;
            change.rule = "error-response-changed";
        }
    }

    fn type_changed(&mut self, dir: Dir, at: String, message: String) {
        self.push(
            Severity::Breaking,
            dir.pick("request-field-type-changed", "response-field-type-changed"),
            at,
            message,
        );
    }

    /// Compares two schemas used in `dir`; `field` means the caller (a property) has already
    /// compared `nullable`. Stops, saying so, when the schemas nest too deeply or the
    /// comparison has run out of budget.
    fn schema(
        &mut self,
        old: &'a Value,
        new: &'a Value,
        dir: Dir,
        prefix: &str,
        path: &str,
        field: bool,
    ) {
        if self.equal_targets && old == new {
            self.via_ref = false;
            return;
        }
        self.budget = self.budget.saturating_sub(1);
        if self.budget == 0 || self.depth >= MAX_DEPTH {
            self.via_ref = false;
            if !self.stopped {
                self.stopped = true;
                self.push(
                    Severity::Breaking,
                    "unclassified-change",
                    place(prefix, path),
                    "the schemas nest too deeply to compare (from here on, parts were skipped); review them by hand",
                );
            }
            return;
        }
        self.depth += 1;
        self.schema_inner(old, new, dir, prefix, path, field);
        self.depth -= 1;
    }

    fn schema_inner(
        &mut self,
        old: &'a Value,
        new: &'a Value,
        dir: Dir,
        prefix: &str,
        path: &str,
        field: bool,
    ) {
        let named = std::mem::take(&mut self.via_ref);
        let at = place(prefix, path);
        match (ref_of(old), ref_of(new)) {
            (Some(a), Some(b)) if a == b => {
                let pair = (a.to_owned(), b.to_owned());
                if self.expanding.contains(&pair) {
                    return;
                }
                let (Some(ro), Some(rn)) = (self.old.target(a), self.new.target(b)) else {
                    return;
                };
                self.expanding.push(pair);
                self.via_ref = true;
                self.schema(ro, rn, dir, prefix, path, field);
                self.expanding.pop();
                return;
            }
            (None, None) => {}
            (a, b) => {
                let message = match (a, b) {
                    (Some(a), Some(b)) => format!(
                        "now `{}` instead of `{}`: the Rust type changes from `types::{}` to `types::{}`",
                        ref_name(b),
                        ref_name(a),
                        ref_name(a).to_pascal_case(),
                        ref_name(b).to_pascal_case()
                    ),
                    _ => format!(
                        "changed from {} to {}: the Rust type changes",
                        describe(old, 0),
                        describe(new, 0)
                    ),
                };
                self.type_changed(dir, at, message);
                return;
            }
        }
        let (Some(o), Some(n)) = (old.as_object(), new.as_object()) else {
            if old != new {
                self.type_changed(
                    dir,
                    at,
                    format!("changed from {} to {}", describe(old, 0), describe(new, 0)),
                );
            }
            return;
        };
        let aliases = |m: &Map<String, Value>| -> BTreeSet<String> {
            m.get("x-aliases")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        let (old_aliases, new_aliases) = (aliases(o), aliases(n));
        if old_aliases != new_aliases {
            let removed: Vec<String> = old_aliases.difference(&new_aliases).cloned().collect();
            let added: Vec<String> = new_aliases.difference(&old_aliases).cloned().collect();
            let (severity, rule, effect) = if removed.is_empty() {
                (
                    Severity::NonBreaking,
                    "aliases-added",
                    "answers that use an added name now decode",
                )
            } else {
                (
                    Severity::Breaking,
                    "aliases-removed",
                    "answers that use a removed name no longer decode",
                )
            };
            self.push(
                severity,
                rule,
                at.to_owned(),
                format!(
                    "x-aliases: added [{}], removed [{}]; {effect}",
                    added.join(", "),
                    removed.join(", ")
                ),
            );
        }

        // Open enums: only their known values matter.
        match (o.get("x-known-values"), n.get("x-known-values")) {
            (None, None) => {}
            (Some(a), Some(b)) => {
                if a != b {
                    let values = |v: &Value| -> BTreeSet<String> {
                        v.as_array().into_iter().flatten().map(show).collect()
                    };
                    let (va, vb) = (values(a), values(b));
                    let added: Vec<_> = vb.difference(&va).cloned().collect();
                    let removed: Vec<_> = va.difference(&vb).cloned().collect();
                    self.push(
                        Severity::NonBreaking,
                        "known-values-changed",
                        at,
                        format!(
                            "x-known-values: added [{}], removed [{}]; the generated open enum keeps unknown values, so decoding does not break",
                            added.join(", "),
                            removed.join(", ")
                        ),
                    );
                }
                return;
            }
            _ => {
                self.type_changed(
                    dir,
                    at,
                    format!(
                        "changed from {} to {}: the Rust type changes",
                        describe(old, 0),
                        describe(new, 0)
                    ),
                );
                return;
            }
        }

        // What decides the Rust type.
        let mut kind_changes = Vec::new();
        let (ot, nt) = (schema_type(o), schema_type(n));
        if ot != nt {
            kind_changes.push(format!("type `{ot}` became `{nt}`"));
        }
        if o.get("format") != n.get("format") {
            kind_changes.push(format!(
                "format {} became {}",
                o.get("format")
                    .map_or("none".into(), |f| format!("`{}`", show(f))),
                n.get("format")
                    .map_or("none".into(), |f| format!("`{}`", show(f)))
            ));
        }
        if o.contains_key("enum") != n.contains_key("enum") {
            kind_changes.push(if n.contains_key("enum") {
                "it became a closed enum".to_owned()
            } else {
                "it is no longer a closed enum".to_owned()
            });
        }
        if truthy(old, "uniqueItems") != truthy(new, "uniqueItems") {
            kind_changes
                .push("`uniqueItems` changed (a Vec in Rust becomes a set, or back)".into());
        }
        if !field && truthy(old, "nullable") != truthy(new, "nullable") {
            kind_changes.push(if truthy(new, "nullable") {
                "it became nullable (the Rust type gains an Option)".to_owned()
            } else {
                "it is no longer nullable (the Rust type loses its Option)".to_owned()
            });
        }
        if !named && o.get("title") != n.get("title") {
            kind_changes.push(format!(
                "`title` changed from {} to {} (typify names an inline schema's Rust type after its title)",
                preview(o.get("title")),
                preview(n.get("title"))
            ));
        }
        if !kind_changes.is_empty() {
            let (was, is) = (describe(old, 0), describe(new, 0));
            let message = if was == is {
                format!("{}: the Rust type changes", kind_changes.join(", "))
            } else {
                format!("changed from {was} to {is}: the Rust type changes")
            };
            self.type_changed(dir, at, message);
            return;
        }

        self.constraints(o, n, dir, &at);
        self.enum_values(o, n, dir, &at);
        if o.get("default") != n.get("default") {
            self.push(
                Severity::NonBreaking,
                "default-changed",
                at.clone(),
                format!(
                    "`default` changed from {} to {}",
                    preview(o.get("default")),
                    preview(n.get("default"))
                ),
            );
        }
        if truthy(old, "deprecated") != truthy(new, "deprecated") {
            self.push(
                Severity::NonBreaking,
                "deprecated-changed",
                at.clone(),
                format!(
                    "`deprecated` changed from {} to {}",
                    preview(o.get("deprecated")),
                    preview(n.get("deprecated"))
                ),
            );
        }
        self.unclassified(old, new, &SCHEMA_KEYS, &at);
        self.properties(o, n, dir, prefix, path);

        match (o.get("additionalProperties"), n.get("additionalProperties")) {
            (a, b) if a == b => {}
            (Some(a), Some(b)) if a.is_object() && b.is_object() => {
                self.schema(a, b, dir, prefix, &format!("{path}{{*}}"), false)
            }
            (a, b) => self.type_changed(
                dir,
                at.clone(),
                format!(
                    "`additionalProperties` changed from {} to {}",
                    preview(a),
                    preview(b)
                ),
            ),
        }
        match (o.get("items"), n.get("items")) {
            (Some(a), Some(b)) => self.schema(a, b, dir, prefix, &format!("{path}[]"), false),
            (None, None) => {}
            (a, b) => self.type_changed(
                dir,
                at.clone(),
                format!("`items` changed from {} to {}", preview(a), preview(b)),
            ),
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            match (
                o.get(key).and_then(Value::as_array),
                n.get(key).and_then(Value::as_array),
            ) {
                (Some(a), Some(b)) if a.len() == b.len() => {
                    for (index, (x, y)) in a.iter().zip(b).enumerate() {
                        self.schema(x, y, dir, prefix, &format!("{path}({key} #{index})"), false);
                    }
                }
                _ if o.get(key) == n.get(key) => {}
                _ => self.type_changed(
                    dir,
                    at.clone(),
                    format!(
                        "`{key}` changed from {} to {}: the Rust type changes",
                        preview(o.get(key)),
                        preview(n.get(key))
                    ),
                ),
            }
        }
        if o.get("not") != n.get("not") {
            self.type_changed(
                dir,
                at,
                format!(
                    "`not` changed from {} to {}",
                    preview(o.get("not")),
                    preview(n.get("not"))
                ),
            );
        }
    }

    /// Bounds, patterns and the like, and whether the Rust type typify picks changes.
    fn constraints(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, dir: Dir, at: &str) {
        let mut narrowed: Vec<String> = Vec::new();
        let mut widened: Vec<String> = Vec::new();
        let number = |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_f64);
        for (key, upper) in [
            ("maxLength", true),
            ("maximum", true),
            ("maxItems", true),
            ("maxProperties", true),
            ("minLength", false),
            ("minimum", false),
            ("minItems", false),
            ("minProperties", false),
        ] {
            let (a, b) = (o.get(key), n.get(key));
            if a == b {
                continue;
            }
            let text = match (a, b) {
                (None, Some(b)) => format!("`{key}` {} added", show(b)),
                (Some(a), None) => format!("`{key}` {} removed", show(a)),
                (Some(a), Some(b)) => format!("`{key}` changed from {} to {}", show(a), show(b)),
                (None, None) => continue,
            };
            let tighter = match (number(o, key), number(n, key), a.is_some(), b.is_some()) {
                (_, _, false, true) => true,
                (_, _, true, false) => false,
                (Some(x), Some(y), _, _) => {
                    if upper {
                        y < x
                    } else {
                        y > x
                    }
                }
                _ => true,
            };
            if tighter {
                narrowed.push(text);
            } else {
                widened.push(text);
            }
        }
        for key in ["exclusiveMinimum", "exclusiveMaximum"] {
            let (a, b) = (o.get(key), n.get(key));
            if a == b {
                continue;
            }
            let text = format!("`{key}` changed from {} to {}", preview(a), preview(b));
            if a == Some(&Value::Bool(true)) && b.is_none_or(|b| b == &Value::Bool(false)) {
                widened.push(text);
            } else {
                narrowed.push(text);
            }
        }
        for key in ["pattern", "multipleOf"] {
            match (o.get(key), n.get(key)) {
                (a, b) if a == b => {}
                (Some(a), None) => widened.push(format!("`{key}` {} removed", preview(Some(a)))),
                (None, Some(b)) => narrowed.push(format!("`{key}` {} added", preview(Some(b)))),
                (a, b) => narrowed.push(format!(
                    "`{key}` changed from {} to {}",
                    preview(a),
                    preview(b)
                )),
            }
        }
        let (ro, rn) = (rust_scalar(o), rust_scalar(n));
        let type_note = (ro != rn).then(|| {
            format!(
                "the Rust type changes from {} to {}",
                ro.as_deref().unwrap_or("?"),
                rn.as_deref().unwrap_or("?")
            )
        });
        let all: Vec<String> = narrowed.iter().chain(&widened).cloned().collect();
        if all.is_empty() && type_note.is_none() {
            return;
        }
        let message = |extra: &Option<String>| {
            let mut text = all.join(", ");
            if let Some(note) = extra {
                text.push_str("; ");
                text.push_str(note);
            }
            text
        };
        match dir {
            Dir::Request if !narrowed.is_empty() => self.push(
                Severity::Breaking,
                "request-constraint-narrowed",
                at,
                format!(
                    "{} (requests valid before may now be refused)",
                    message(&type_note)
                ),
            ),
            Dir::Request if type_note.is_some() => self.push(
                Severity::Breaking,
                "request-field-type-changed",
                at,
                message(&type_note),
            ),
            Dir::Request => self.push(
                Severity::NonBreaking,
                "request-constraint-widened",
                at,
                message(&None),
            ),
            Dir::Response if type_note.is_some() => self.push(
                Severity::Breaking,
                "response-field-type-changed",
                at,
                message(&type_note),
            ),
            Dir::Response => self.push(
                Severity::NonBreaking,
                "response-constraint-changed",
                at,
                format!("{} (the Rust type stays the same)", message(&None)),
            ),
        }
    }

    fn enum_values(&mut self, o: &Map<String, Value>, n: &Map<String, Value>, dir: Dir, at: &str) {
        let (Some(a), Some(b)) = (
            o.get("enum").and_then(Value::as_array),
            n.get("enum").and_then(Value::as_array),
        ) else {
            if o.get("enum") != n.get("enum") {
                self.type_changed(
                    dir,
                    at.to_owned(),
                    format!(
                        "`enum` changed from {} to {}",
                        preview(o.get("enum")),
                        preview(n.get("enum"))
                    ),
                );
            }
            return;
        };
        let removed: Vec<String> = a.iter().filter(|v| !b.contains(v)).map(show).collect();
        let added: Vec<String> = b.iter().filter(|v| !a.contains(v)).map(show).collect();
        let list = |values: &[String]| {
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !removed.is_empty() {
            let (rule, why) = match dir {
                Dir::Request => (
                    "request-enum-value-removed",
                    "requests using it fail, and its Rust variant disappears",
                ),
                Dir::Response => ("response-enum-value-removed", "its Rust variant disappears"),
            };
            self.push(
                Severity::Breaking,
                rule,
                at,
                format!("enum value(s) {} removed: {why}", list(&removed)),
            );
        }
        if !added.is_empty() {
            match dir {
                Dir::Request => self.push(
                    Severity::NonBreaking,
                    "request-enum-value-added",
                    at,
                    format!("enum value(s) {} added", list(&added)),
                ),
                Dir::Response => self.push(
                    Severity::Breaking,
                    "response-enum-value-added",
                    at,
                    format!(
                        "enum value(s) {} added to a closed enum: the generated Rust enum gains variants, which breaks exhaustive matches (mark the schema `x-known-values` to make it open)",
                        list(&added)
                    ),
                ),
            }
        }
    }

    fn properties(
        &mut self,
        o: &'a Map<String, Value>,
        n: &'a Map<String, Value>,
        dir: Dir,
        prefix: &str,
        path: &str,
    ) {
        let props =
            |m: &'a Map<String, Value>| entries(m.get("properties").and_then(Value::as_object));
        let (op, np) = (props(o), props(n));
        let required = |m: &Map<String, Value>| -> BTreeSet<String> {
            m.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        let (or, nr) = (required(o), required(n));
        let names: BTreeSet<&str> = op.keys().chain(np.keys()).copied().collect();
        for name in names {
            let field_path = format!("{path}.{name}");
            let at = place(prefix, &field_path);
            match (op.get(name).copied(), np.get(name).copied()) {
                (Some(a), Some(b)) => self.field(
                    (a, b),
                    (or.contains(name), nr.contains(name)),
                    dir,
                    prefix,
                    &field_path,
                ),
                (Some(_), None) => self.push(
                    Severity::Breaking,
                    dir.pick("request-field-removed", "response-field-removed"),
                    at,
                    match dir {
                        Dir::Request => {
                            "removed: its struct field and builder method disappear".to_owned()
                        }
                        Dir::Response => "removed: its struct field disappears".to_owned(),
                    },
                ),
                (None, Some(b)) => match dir {
                    Dir::Request if nr.contains(name) => self.push(
                        Severity::Breaking,
                        "required-request-field-added",
                        at,
                        format!(
                            "a new required field ({}): requests that do not set it fail",
                            describe(b, 0)
                        ),
                    ),
                    Dir::Request => self.push(
                        Severity::NonBreaking,
                        "optional-request-field-added",
                        at,
                        format!("a new optional field ({})", describe(b, 0)),
                    ),
                    Dir::Response => self.push(
                        Severity::NonBreaking,
                        "response-field-added",
                        at,
                        format!(
                            "a new {} field ({})",
                            if nr.contains(name) {
                                "required"
                            } else {
                                "optional"
                            },
                            describe(b, 0)
                        ),
                    ),
                },
                (None, None) => {}
            }
        }
    }

    /// One property present on both sides (`(old, new)`, and whether each side requires
    /// it): its presence, nullability, then its schema.
    fn field(
        &mut self,
        (old, new): (&'a Value, &'a Value),
        (old_required, new_required): (bool, bool),
        dir: Dir,
        prefix: &str,
        path: &str,
    ) {
        let at = place(prefix, path);
        let (ro, rn) = (self.old.deref(old), self.new.deref(new));
        let (on, nn) = (truthy(ro, "nullable"), truthy(rn, "nullable"));
        let ow = wrapper(old_required, on, intrinsic_default(old));
        let nw = wrapper(new_required, nn, intrinsic_default(new));
        let type_note = if ow == nw {
            format!("the Rust field type stays `{ow}`")
        } else {
            format!("the Rust field type changes from `{ow}` to `{nw}`")
        };
        let mut causes = Vec::new();
        if old_required != new_required {
            causes.push(if new_required {
                "now required"
            } else {
                "no longer required"
            });
        }
        if on != nn {
            causes.push(if nn {
                "now nullable"
            } else {
                "no longer nullable"
            });
        }
        if old_required == new_required && on == nn {
            // Only a `default` appearing or going away can change the wrapper here.
            if ow != nw {
                self.push(
                    Severity::Breaking,
                    dir.pick("request-field-type-changed", "response-field-type-changed"),
                    at,
                    format!(
                        "`default` {}: typify gives an optional field with a default no `Option`, so {type_note}",
                        if new.get("default").is_some() {
                            "added"
                        } else {
                            "removed"
                        }
                    ),
                );
            }
            self.schema(old, new, dir, prefix, path, true);
            return;
        }
        match dir {
            Dir::Request => {
                if !old_required && new_required {
                    self.push(
                        Severity::Breaking,
                        "request-field-became-required",
                        at.clone(),
                        format!("now required: requests that leave it unset fail; {type_note}"),
                    );
                } else if old_required && !new_required {
                    if ow != nw {
                        self.push(
                            Severity::Breaking,
                            "request-field-became-optional",
                            at.clone(),
                            format!("no longer required: {type_note}"),
                        );
                    } else {
                        self.push(
                            Severity::NonBreaking,
                            "request-constraint-widened",
                            at.clone(),
                            format!("no longer required ({type_note})"),
                        );
                    }
                }
                if on && !nn {
                    self.push(
                        Severity::Breaking,
                        "request-constraint-narrowed",
                        at.clone(),
                        format!("`nullable` removed: null is no longer accepted; {type_note}"),
                    );
                } else if !on && nn {
                    if old_required == new_required && ow != nw {
                        self.push(
                            Severity::Breaking,
                            "request-field-type-changed",
                            at.clone(),
                            format!("now nullable: {type_note}"),
                        );
                    } else {
                        self.push(
                            Severity::NonBreaking,
                            "request-constraint-widened",
                            at.clone(),
                            format!("now nullable ({type_note})"),
                        );
                    }
                }
            }
            Dir::Response => {
                let became_optional = if ow != nw {
                    Some(nw == "Option<T>")
                } else if old_required != new_required {
                    Some(!new_required)
                } else {
                    None
                };
                match became_optional {
                    Some(optional) => {
                        let why = if ow != nw {
                            type_note
                        } else {
                            format!(
                                "{type_note}, but a field that may now be missing (or must now be present) is treated as breaking"
                            )
                        };
                        self.push(
                            Severity::Breaking,
                            if optional {
                                "response-field-became-optional"
                            } else {
                                "response-field-became-required"
                            },
                            at.clone(),
                            format!("{}: {why}", causes.join(" and ")),
                        );
                    }
                    None if on != nn => self.push(
                        Severity::NonBreaking,
                        "response-constraint-changed",
                        at.clone(),
                        format!("{} ({type_note})", causes.join(" and ")),
                    ),
                    None => {}
                }
            }
        }
        self.schema(old, new, dir, prefix, path, true);
    }

    fn components(&mut self) {
        self.security_schemes();
        let old_schemas = entries(self.old.components("schemas"));
        let new_schemas = entries(self.new.components("schemas"));
        let mut renamed_to: BTreeSet<&str> = BTreeSet::new();
        for (&name, &schema) in &old_schemas {
            if new_schemas.contains_key(name) {
                continue;
            }
            let stripped = strip_docs(schema, false);
            let target = new_schemas.iter().find(|&(&new_name, &new_schema)| {
                !old_schemas.contains_key(new_name)
                    && !renamed_to.contains(new_name)
                    && strip_docs(new_schema, false) == stripped
            });
            let at = format!("components/schemas/{name}");
            let rust = name.to_pascal_case();
            match target {
                Some((&new_name, _)) => {
                    renamed_to.insert(new_name);
                    self.push(
                        Severity::Breaking,
                        "schema-renamed",
                        at,
                        format!(
                            "renamed to `{new_name}`: the Rust type `types::{rust}` becomes `types::{}`",
                            new_name.to_pascal_case()
                        ),
                    );
                }
                None => self.push(
                    Severity::Breaking,
                    "schema-removed",
                    at,
                    format!("removed: the Rust type `types::{rust}` disappears"),
                ),
            }
        }
        for &name in new_schemas.keys() {
            if !old_schemas.contains_key(name) && !renamed_to.contains(name) {
                self.push(
                    Severity::NonBreaking,
                    "schema-added",
                    format!("components/schemas/{name}"),
                    format!("a new Rust type `types::{}`", name.to_pascal_case()),
                );
            }
        }
        let empty = json!({});
        self.unclassified(
            self.old.root.get("components").unwrap_or(&empty),
            self.new.root.get("components").unwrap_or(&empty),
            &[
                "schemas",
                "securitySchemes",
                "responses",
                "parameters",
                "requestBodies",
                "headers",
                "links",
                "callbacks",
            ],
            "components",
        );
    }

    fn security_schemes(&mut self) {
        let old_schemes = entries(self.old.components("securitySchemes"));
        let new_schemes = entries(self.new.components("securitySchemes"));
        // Header names are case-insensitive; documentation does not matter.
        let canonical = |scheme: &Value| {
            let mut scheme = strip_docs(scheme, false);
            let header = scheme.get("in").and_then(Value::as_str) == Some("header");
            if let (true, Some(Value::String(name))) = (header, scheme.get_mut("name")) {
                *name = name.to_ascii_lowercase();
            }
            scheme
        };
        let mut renamed_to: BTreeSet<&str> = BTreeSet::new();
        for (&name, &old) in &old_schemes {
            let at = format!("components/securitySchemes/{name}");
            let old_canonical = canonical(self.old.deref(old));
            match new_schemes.get(name) {
                Some(&new) => {
                    let new_canonical = canonical(self.new.deref(new));
                    if old_canonical == new_canonical {
                        continue;
                    }
                    let keys: BTreeSet<&String> = old_canonical
                        .as_object()
                        .into_iter()
                        .chain(new_canonical.as_object())
                        .flat_map(|m| m.keys())
                        .collect();
                    let changes: Vec<String> = keys
                        .into_iter()
                        .filter(|k| old_canonical.get(*k) != new_canonical.get(*k))
                        .map(|k| {
                            format!(
                                "`{k}` changed from {} to {}",
                                preview(self.old.deref(old).get(k)),
                                preview(self.new.deref(new).get(k))
                            )
                        })
                        .collect();
                    self.push(
                        Severity::Breaking,
                        "auth-scheme-changed",
                        at,
                        format!(
                            "{}: the key is no longer sent the way the API expects",
                            changes.join(", ")
                        ),
                    );
                }
                None => {
                    let target = new_schemes.iter().find(|&(&new_name, &new)| {
                        !old_schemes.contains_key(new_name)
                            && !renamed_to.contains(new_name)
                            && canonical(self.new.deref(new)) == old_canonical
                    });
                    match target {
                        Some((&new_name, _)) => {
                            renamed_to.insert(new_name);
                            self.push(
                                Severity::Breaking,
                                "auth-scheme-changed",
                                at,
                                format!("renamed to `{new_name}`"),
                            );
                        }
                        None => self.push(Severity::Breaking, "auth-scheme-changed", at, "removed"),
                    }
                }
            }
        }
        for &name in new_schemes.keys() {
            if !old_schemes.contains_key(name) && !renamed_to.contains(name) {
                self.push(
                    Severity::NonBreaking,
                    "security-scheme-added",
                    format!("components/securitySchemes/{name}"),
                    "a new security scheme",
                );
            }
        }
    }

    /// The documentation pass: walks both trees where they overlap and reports every docs
    /// key that differs, once per place. `names` means `old`/`new` map names to objects.
    fn docs(&mut self, old: &Value, new: &Value, at: &mut Vec<String>, names: bool) {
        match (old, new) {
            (Value::Object(a), Value::Object(b)) if names => {
                for (key, x) in a {
                    if let Some(y) = b.get(key) {
                        at.push(key.clone());
                        self.docs(x, y, at, false);
                        at.pop();
                    }
                }
            }
            (Value::Object(a), Value::Object(b)) => {
                let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
                for key in keys {
                    let (x, y) = (a.get(key), b.get(key));
                    let docs_title = key == "title"
                        && matches!(
                            at.iter().map(String::as_str).collect::<Vec<_>>()[..],
                            ["info"] | ["components", "schemas", _]
                        );
                    if is_docs_key(key) || docs_title {
                        if x != y {
                            self.docs_change(at, key, x, y);
                        }
                        continue;
                    }
                    let (Some(x), Some(y)) = (x, y) else {
                        continue;
                    };
                    if DATA_KEYS.contains(&key.as_str()) || key.starts_with("x-") {
                        continue;
                    }
                    at.push(key.clone());
                    self.docs(x, y, at, NAME_MAPS.contains(&key.as_str()));
                    at.pop();
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                // Parameters are matched by name and location, anything else by position.
                let by_name = at.last().is_some_and(|k| k == "parameters");
                let id = |item: &Value, index: usize| -> String {
                    match (item.get("name").and_then(Value::as_str), ref_of(item)) {
                        (Some(name), _) if by_name => {
                            let location = item.get("in").and_then(Value::as_str).unwrap_or("");
                            format!("{location} {name}").trim().to_owned()
                        }
                        (_, Some(reference)) if by_name => reference.to_owned(),
                        _ => index.to_string(),
                    }
                };
                let new_items: BTreeMap<String, &Value> = b
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (id(item, i), item))
                    .collect();
                for (index, x) in a.iter().enumerate() {
                    let key = id(x, index);
                    if let Some(y) = new_items.get(&key) {
                        at.push(key);
                        self.docs(x, y, at, false);
                        at.pop();
                    }
                }
            }
            _ => {}
        }
    }

    /// `x-idempotent` (whether the client retries after a timeout or a broken connection)
    /// and `x-pagination` (whether the builder has `stream()`, and what it yields).
    fn retry_and_paging(
        &mut self,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        label: &str,
    ) {
        let idempotent =
            |node: &Map<String, Value>| node.get("x-idempotent").and_then(Value::as_bool);
        if idempotent(old) != idempotent(new) {
            self.push(
                Severity::NonBreaking,
                "idempotency-changed",
                label,
                format!(
                    "`x-idempotent` changed from {} to {}: whether the client retries the operation after a timeout, a 5xx or a connection that broke after sending",
                    preview(old.get("x-idempotent")),
                    preview(new.get("x-idempotent"))
                ),
            );
        }
        match (old.get("x-pagination"), new.get("x-pagination")) {
            (None, Some(_)) => self.push(
                Severity::NonBreaking,
                "pagination-added",
                label,
                "`x-pagination` added: the builder gains `stream()`".to_owned(),
            ),
            (Some(_), None) => self.push(
                Severity::Breaking,
                "pagination-changed",
                label,
                "`x-pagination` removed: the builder's `stream()` disappears".to_owned(),
            ),
            (Some(a), Some(b)) if a != b => self.push(
                Severity::Breaking,
                "pagination-changed",
                label,
                format!(
                    "`x-pagination` changed from {} to {}: what `stream()` yields changes",
                    preview(Some(a)),
                    preview(Some(b))
                ),
            ),
            _ => {}
        }
    }

    fn docs_change(&mut self, at: &[String], key: &str, old: Option<&Value>, new: Option<&Value>) {
        let rule = match key {
            "description" => "description-changed",
            "summary" => "summary-changed",
            "title" => "title-changed",
            "example" | "examples" => "example-changed",
            "externalDocs" => "external-docs-changed",
            "x-docs-url" => "docs-url-changed",
            "x-inferred" => "inferred-changed",
            "x-docs-deviation" => "docs-deviation-changed",
            "tags" => "tags-changed",
            "x-key-scope" => "key-scope-changed",
            _ => "info-changed",
        };
        let message = match (old, new) {
            (None, Some(_)) => format!("`{key}` added: {}", preview(new)),
            (Some(_), None) => format!("`{key}` removed (was {})", preview(old)),
            _ => format!("`{key}` changed from {} to {}", preview(old), preview(new)),
        };
        let location = self.docs_location(at, key);
        self.push(Severity::DocsOnly, rule, location, message);
    }

    /// `paths//x/get/responses/200` -> `GET /x (get_x) responses/200`.
    fn docs_location(&self, at: &[String], key: &str) -> String {
        let mut segments: Vec<&str> = at.iter().map(String::as_str).collect();
        segments.push(key);
        match segments.as_slice() {
            ["paths", path, method, rest @ ..] if METHODS.contains(method) => {
                let id = self
                    .new
                    .root
                    .get("paths")
                    .and_then(|p| p.get(*path))
                    .and_then(|item| item.get(*method))
                    .and_then(|op| op.get("operationId"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let method = method.to_uppercase();
                let label = if id.is_empty() {
                    format!("{method} {path}")
                } else {
                    format!("{method} {path} ({id})")
                };
                format!("{label} {}", rest.join("/"))
            }
            ["paths", path, rest @ ..] => format!("{path} {}", rest.join("/")),
            all => all.join("/"),
        }
    }
}
