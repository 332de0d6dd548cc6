//! Comparing what saved pages state with a spec: one [`Finding`] per difference, each
//! naming the page and line, the operation, a JSON pointer into the spec, what the page
//! says and what the spec says. `x-docs-deviation` markers in the spec acknowledge
//! findings; a marker that acknowledges nothing is itself a finding. The finding kinds and
//! the acknowledgement rules are listed in the [module documentation](super).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use heck::ToSnakeCase;
use serde_json::Value;

use super::SavedPage;
use super::page::{
    self, ExampleBody, ExampleKind, Field, FieldType, Page, PageError, ParamTable, TableRole,
};
use crate::Spec;
use crate::rules::{DIGICERT_DATETIME_FORMAT, operations};
use crate::schema::SchemaValidator;
use crate::tree::escape;

/// The extension that acknowledges a deliberate difference between a page and the spec.
pub const DEVIATION: &str = "x-docs-deviation";
/// The extension naming other spellings of a property (`x-aliases: [child_accounts]`).
pub const ALIASES: &str = "x-aliases";

/// Whether a finding fails the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Fails the check unless acknowledged.
    Error,
    /// Printed, never fails the check (pages are incomplete).
    Warning,
}

/// What kind of difference a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// The page lists an endpoint the spec has no operation for.
    EndpointNotInSpec,
    /// An operation whose `x-docs-url` is the page is not listed on it.
    EndpointNotOnPage,
    /// A page's endpoint URL is not under any of the spec's `servers`.
    EndpointUrl,
    /// A single-endpoint page documents an operation whose `x-docs-url` is another page.
    DocsUrl,
    /// The page documents request or response fields; the spec has no JSON body there.
    BodyNotInSpec,
    /// A documented field, or query/path parameter, is missing from the spec.
    FieldNotInSpec,
    /// The spec has a field (or parameter) the page does not list (a warning).
    FieldNotOnPage,
    /// The page and the spec give a field different JSON types.
    TypeMismatch,
    /// The page says a field is not always there (or is optional), the spec requires it;
    /// or a request field is required on the page and optional in the spec.
    RequiredMismatch,
    /// `Possible values:` on the page that the spec's `enum` / `x-known-values` lack.
    ValuesMissing,
    /// `Format: YYYY-MM-DD hh:mm:ss` (or ISO 8601) on the page, another format in the spec.
    FormatMismatch,
    /// A documented status the operation (or, on an overview page, every listed operation)
    /// does not declare.
    StatusNotInSpec,
    /// A success status the operation declares and its page does not show (a warning).
    StatusNotOnPage,
    /// A JSON example on the page that does not validate against the spec.
    ExampleInvalid,
    /// Two saved pages with the same `Source:` URL.
    DuplicatePage,
    /// An `x-docs-deviation` that acknowledges no finding.
    StaleDeviation,
    /// An `x-docs-deviation` without a reason, or where it cannot acknowledge anything.
    InvalidDeviation,
}

impl Kind {
    /// The short, stable name printed in brackets.
    pub fn name(self) -> &'static str {
        match self {
            Kind::EndpointNotInSpec => "endpoint-not-in-spec",
            Kind::EndpointNotOnPage => "endpoint-not-on-page",
            Kind::EndpointUrl => "endpoint-url",
            Kind::DocsUrl => "docs-url",
            Kind::BodyNotInSpec => "body-not-in-spec",
            Kind::FieldNotInSpec => "field-not-in-spec",
            Kind::FieldNotOnPage => "field-not-on-page",
            Kind::TypeMismatch => "type-mismatch",
            Kind::RequiredMismatch => "required-mismatch",
            Kind::ValuesMissing => "values-missing",
            Kind::FormatMismatch => "format-mismatch",
            Kind::StatusNotInSpec => "status-not-in-spec",
            Kind::StatusNotOnPage => "status-not-on-page",
            Kind::ExampleInvalid => "example-invalid",
            Kind::DuplicatePage => "duplicate-page",
            Kind::StaleDeviation => "stale-deviation",
            Kind::InvalidDeviation => "invalid-deviation",
        }
    }

    /// Whether this kind fails the check.
    pub fn severity(self) -> Severity {
        match self {
            Kind::FieldNotOnPage | Kind::StatusNotOnPage => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// The `x-docs-deviation` that acknowledges a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    /// JSON pointer of the node that carries the marker.
    pub pointer: String,
    /// The marker's reason.
    pub reason: String,
}

/// One difference between a page and the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// What kind of difference.
    pub kind: Kind,
    /// The saved page (for deviation findings: the spec file).
    pub page: String,
    /// 1-based line on the page, where there is one.
    pub line: Option<usize>,
    /// The operation's `operationId`, where one operation is concerned.
    pub operation: Option<String>,
    /// Where in the spec: the node that differs, or where the missing one would go.
    pub pointer: String,
    /// What the page says.
    pub page_says: String,
    /// What the spec says.
    pub spec_says: String,
    /// The `x-docs-deviation` that acknowledges it, if any.
    pub acknowledged: Option<Acknowledgement>,
    /// Another node whose own `x-docs-deviation` acknowledges this finding (the target of
    /// a property's `$ref`, or the property whose `$ref` the pointer resolved).
    also: Option<String>,
}

impl Finding {
    /// Whether the finding fails the check: an error nobody acknowledged.
    pub fn fails(&self) -> bool {
        self.kind.severity() == Severity::Error && self.acknowledged.is_none()
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match (&self.acknowledged, self.kind.severity()) {
            (Some(_), _) => "acknowledged",
            (None, Severity::Error) => "error",
            (None, Severity::Warning) => "warning",
        };
        write!(f, "{}", self.page)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(
            f,
            ": {label}[{}] {} {}: page says {}; spec says {}",
            self.kind.name(),
            self.operation.as_deref().unwrap_or("-"),
            if self.pointer.is_empty() {
                "/"
            } else {
                &self.pointer
            },
            self.page_says,
            self.spec_says
        )?;
        if let Some(ack) = &self.acknowledged {
            write!(f, " ({DEVIATION} at {}: {})", ack.pointer, ack.reason)?;
        }
        Ok(())
    }
}

/// Everything one run of the check found for one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// How many pages were read.
    pub pages: usize,
    /// How many operations the readable pages document (matched by method and path).
    pub operations: usize,
    /// Lines of pages that could not be read.
    pub unreadable: Vec<PageError>,
    /// Every difference, by page, line, kind and pointer; findings about `x-docs-deviation`
    /// markers last.
    pub findings: Vec<Finding>,
}

impl Report {
    /// How many problems fail the check: unreadable lines and unacknowledged errors.
    pub fn failures(&self) -> usize {
        self.unreadable.len() + self.findings.iter().filter(|f| f.fails()).count()
    }

    /// How many warnings there are (never failing).
    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.acknowledged.is_none() && f.kind.severity() == Severity::Warning)
            .count()
    }

    /// How many findings an `x-docs-deviation` acknowledges.
    pub fn acknowledged(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.acknowledged.is_some())
            .count()
    }

    /// One line per unreadable page line and per finding, as `cargo xtask docs-check`
    /// prints them.
    pub fn lines(&self) -> Vec<String> {
        self.unreadable
            .iter()
            .map(ToString::to_string)
            .chain(self.findings.iter().map(ToString::to_string))
            .collect()
    }
}

/// Parses every page and compares it with `spec`.
pub fn check(spec: &Spec, pages: &[SavedPage]) -> Report {
    let mut checker = Checker::new(spec);
    let mut report = Report {
        pages: pages.len(),
        operations: 0,
        unreadable: Vec::new(),
        findings: Vec::new(),
    };
    let mut sources: BTreeMap<String, &str> = BTreeMap::new();
    let mut documented: BTreeSet<usize> = BTreeSet::new();
    for saved in pages {
        let page = match page::parse(&saved.name, &saved.text) {
            Ok(page) => page,
            Err(errors) => {
                report.unreadable.extend(errors);
                continue;
            }
        };
        if let Some(first) = sources.get(&page.source) {
            checker.push(Finding {
                kind: Kind::DuplicatePage,
                page: saved.name.clone(),
                line: Some(1),
                operation: None,
                pointer: String::new(),
                page_says: format!("Source: {}", page.source),
                spec_says: format!("the same page is already saved as {first}"),
                acknowledged: None,
                also: None,
            });
            continue;
        }
        sources.insert(page.source.clone(), &saved.name);
        documented.extend(checker.page(&saved.name, &page));
    }
    report.operations = documented.len();
    let mut findings = std::mem::take(&mut checker.findings);
    // A fixed order whatever order the spec's maps iterate in.
    let order = |f: &Finding| (f.page.clone(), f.line, f.kind, f.pointer.clone());
    findings.sort_by_key(order);
    let mut about_markers = checker.acknowledge(&mut findings);
    about_markers.sort_by_key(order);
    findings.extend(about_markers);
    report.findings = findings;
    report
}

/// One operation of the spec.
struct Op<'a> {
    id: String,
    method: String,
    path: String,
    /// The path with every `{param}` replaced by `{}`.
    key: String,
    pointer: String,
    node: &'a Value,
    docs_url: Option<&'a str>,
}

/// Where a field's parent object is in the spec, as the page walks down it.
#[derive(Clone)]
enum Ctx<'a> {
    /// An object schema.
    Object { node: &'a Value, pointer: String },
    /// Already reported (missing, or of another type): its rows below are not compared.
    Skip,
    /// The spec has no object here, so nothing can be nested under it.
    NotObject { pointer: String, says: String },
}

/// An object the page describes, and which of its properties the page lists.
struct Visit<'a> {
    node: &'a Value,
    pointer: String,
    documented: BTreeSet<String>,
    line: usize,
}

/// Where a finding happens on the page.
#[derive(Clone, Copy)]
struct At<'p> {
    page: &'p str,
    line: usize,
    operation: &'p str,
}

struct Checker<'a> {
    spec: &'a Spec,
    root: &'a Value,
    ops: Vec<Op<'a>>,
    servers: Vec<String>,
    validator: SchemaValidator,
    findings: Vec<Finding>,
}

impl<'a> Checker<'a> {
    fn new(spec: &'a Spec) -> Self {
        let root = &spec.raw;
        let ops = operations(&spec.openapi)
            .into_iter()
            .filter_map(|op_ref| {
                let pointer = op_ref.pointer();
                let node = root.pointer(&pointer)?;
                Some(Op {
                    key: normalize_path(&op_ref.path),
                    docs_url: node.get("x-docs-url").and_then(Value::as_str),
                    id: op_ref.id,
                    method: op_ref.method,
                    path: op_ref.path,
                    pointer,
                    node,
                })
            })
            .collect();
        let servers = root
            .get("servers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("url").and_then(Value::as_str))
            .map(|url| url.trim_end_matches('/').to_owned())
            .collect();
        Checker {
            spec,
            root,
            ops,
            servers,
            validator: SchemaValidator::new(spec),
            findings: Vec::new(),
        }
    }

    fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    fn found(
        &mut self,
        at: At<'_>,
        kind: Kind,
        pointer: String,
        also: Option<String>,
        page_says: String,
        spec_says: String,
    ) {
        self.push(Finding {
            kind,
            page: at.page.to_owned(),
            line: Some(at.line),
            operation: (!at.operation.is_empty()).then(|| at.operation.to_owned()),
            pointer,
            page_says,
            spec_says,
            acknowledged: None,
            also,
        });
    }

    /// Compares one page; returns the indexes of the operations it documents.
    fn page(&mut self, name: &str, page: &Page) -> Vec<usize> {
        let mut matched: Vec<usize> = Vec::new();
        for endpoint in &page.endpoints {
            let at = At {
                page: name,
                line: endpoint.line,
                operation: "",
            };
            let path = if endpoint.target.starts_with("https://")
                || endpoint.target.starts_with("http://")
            {
                match self.strip_server(&endpoint.target) {
                    Some(path) => path,
                    None => {
                        let servers = self.servers.join(", ");
                        self.found(
                            at,
                            Kind::EndpointUrl,
                            "/servers".into(),
                            None,
                            endpoint.target.clone(),
                            format!(
                                "servers are {}",
                                if servers.is_empty() {
                                    "(none)"
                                } else {
                                    &servers
                                }
                            ),
                        );
                        continue;
                    }
                }
            } else {
                endpoint.target.clone()
            };
            let key = normalize_path(&path);
            match self
                .ops
                .iter()
                .position(|op| op.method == endpoint.method && op.key == key)
            {
                Some(index) => matched.push(index),
                None => {
                    let same_path = self.ops.iter().find(|op| op.key == key);
                    let pointer = match same_path {
                        Some(op) => format!(
                            "/paths/{}/{}",
                            escape(&op.path),
                            endpoint.method.to_lowercase()
                        ),
                        None => format!("/paths/{}", escape(&spec_style(&path))),
                    };
                    self.found(
                        at,
                        Kind::EndpointNotInSpec,
                        pointer,
                        None,
                        format!("{} {}", endpoint.method, path),
                        "no such operation".into(),
                    );
                }
            }
        }
        let first_line = page.endpoints.first().map(|e| e.line).unwrap_or(1);
        let missing: Vec<usize> = (0..self.ops.len())
            .filter(|i| self.ops[*i].docs_url == Some(page.source.as_str()) && !matched.contains(i))
            .collect();
        for index in missing {
            let op = &self.ops[index];
            let (pointer, id, says) = (
                op.pointer.clone(),
                op.id.clone(),
                format!("no row for {} {}", op.method, op.path),
            );
            self.found(
                At {
                    page: name,
                    line: first_line,
                    operation: &id,
                },
                Kind::EndpointNotOnPage,
                pointer,
                None,
                says,
                "its x-docs-url is this page".into(),
            );
        }
        if page.endpoints.len() == 1 {
            if let Some(&index) = matched.first() {
                self.operation(name, page, index);
            }
        } else {
            self.overview_statuses(name, page, &matched);
        }
        matched
    }

    /// The path of a full endpoint URL, after the longest matching server URL.
    fn strip_server(&self, url: &str) -> Option<String> {
        self.servers
            .iter()
            .filter_map(|server| {
                let rest = url.strip_prefix(server.as_str())?;
                (rest.is_empty() || rest.starts_with('/')).then_some((server.len(), rest))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, rest)| {
                if rest.is_empty() {
                    "/".to_owned()
                } else {
                    rest.to_owned()
                }
            })
    }

    /// An overview page's status table: each status must be declared by at least one of
    /// the operations the page lists.
    fn overview_statuses(&mut self, name: &str, page: &Page, matched: &[usize]) {
        for row in &page.statuses {
            let declared = matched
                .iter()
                .any(|&i| response(self.ops[i].node, row.code).is_some());
            if declared {
                continue;
            }
            let ids: Vec<&str> = matched.iter().map(|&i| self.ops[i].id.as_str()).collect();
            self.found(
                At {
                    page: name,
                    line: row.line,
                    operation: "",
                },
                Kind::StatusNotInSpec,
                "/paths".into(),
                None,
                format!("{} {}", row.code, row.reason),
                if ids.is_empty() {
                    "no operation of the page is in the spec".into()
                } else {
                    format!("none of {} declares it", ids.join(", "))
                },
            );
        }
    }

    /// Everything a single-endpoint page says about its one operation.
    fn operation(&mut self, name: &str, page: &Page, index: usize) {
        let op = &self.ops[index];
        let (id, pointer, node, docs_url) =
            (op.id.clone(), op.pointer.clone(), op.node, op.docs_url);
        let method_path = format!("{} {}", op.method, op.path);
        let at = |line| At {
            page: name,
            line,
            operation: &id,
        };
        let first_line = page.endpoints.first().map(|e| e.line).unwrap_or(1);
        if docs_url != Some(page.source.as_str()) {
            self.found(
                at(first_line),
                Kind::DocsUrl,
                format!("{pointer}/x-docs-url"),
                None,
                format!("it documents {method_path}"),
                match docs_url {
                    Some(url) => format!("x-docs-url is {url}"),
                    None => "the operation has no x-docs-url".into(),
                },
            );
        }

        // Statuses: the status table and the status lines above examples.
        let documented: Vec<(u16, String, usize)> = page
            .statuses
            .iter()
            .map(|row| (row.code, row.reason.clone(), row.line))
            .chain(
                page.examples
                    .iter()
                    .filter_map(|example| match &example.kind {
                        ExampleKind::Response { status, reason, .. } => {
                            Some((*status, reason.clone(), example.line))
                        }
                        ExampleKind::Request => None,
                    }),
            )
            .collect();
        let declared = declared_statuses(node);
        for (code, reason, line) in &documented {
            if !declared.contains(code) {
                let list: Vec<String> = declared.iter().map(u16::to_string).collect();
                self.found(
                    at(*line),
                    Kind::StatusNotInSpec,
                    format!("{pointer}/responses"),
                    None,
                    format!("{code} {reason}"),
                    format!("the operation declares {}", list.join(", ")),
                );
            }
        }
        if let Some((_, _, line)) = documented.first() {
            for code in declared.iter().filter(|c| (200..300).contains(*c)) {
                if !documented.iter().any(|(c, _, _)| c == code) {
                    self.found(
                        at(*line),
                        Kind::StatusNotOnPage,
                        format!("{pointer}/responses/{code}"),
                        None,
                        format!("no {code} status"),
                        format!("the operation declares {code}"),
                    );
                }
            }
        }

        // Examples.
        for example in &page.examples {
            match (&example.kind, &example.body) {
                (_, ExampleBody::NotShown) => {}
                (ExampleKind::Response { status, reason, .. }, body) => {
                    if !declared.contains(status) {
                        continue; // already reported above
                    }
                    let body = match body {
                        ExampleBody::Json(value) => Some(value),
                        _ => None,
                    };
                    if let Err(problems) = self.validator.validate_response(&id, *status, body) {
                        self.found(
                            at(example.line),
                            Kind::ExampleInvalid,
                            format!("{pointer}/responses/{status}"),
                            None,
                            format!("the {status} {reason} example"),
                            problems.join("; "),
                        );
                    }
                }
                (ExampleKind::Request, ExampleBody::Json(value)) => {
                    let problems = match self.request_schema(node, &pointer) {
                        None => vec!["the operation takes no JSON request body".to_owned()],
                        Some((schema, _)) => self
                            .validator
                            .validate(schema, value)
                            .err()
                            .unwrap_or_default(),
                    };
                    if !problems.is_empty() {
                        self.found(
                            at(example.line),
                            Kind::ExampleInvalid,
                            format!("{pointer}/requestBody"),
                            None,
                            "the request example".into(),
                            problems.join("; "),
                        );
                    }
                }
                (ExampleKind::Request, ExampleBody::Empty) => {}
            }
        }

        // Parameter tables.
        for table in &page.tables {
            let at = at(table.line);
            match table.role {
                TableRole::Request | TableRole::Response => {
                    let body = if table.role == TableRole::Request {
                        self.request_schema(node, &pointer)
                    } else {
                        self.success_schema(node, &pointer)
                    };
                    match body {
                        Some((schema, schema_pointer)) => {
                            self.fields(at, table, schema, schema_pointer)
                        }
                        None => self.found(
                            at,
                            Kind::BodyNotInSpec,
                            if table.role == TableRole::Request {
                                format!("{pointer}/requestBody")
                            } else {
                                format!("{pointer}/responses")
                            },
                            None,
                            format!("{} fields", table.role),
                            format!("no JSON {} body", table.role),
                        ),
                    }
                }
                TableRole::Query | TableRole::Path => self.params(at, table, node, &pointer, &id),
            }
        }
    }

    /// The JSON schema of the operation's request body and its pointer.
    fn request_schema(&self, op: &'a Value, pointer: &str) -> Option<(&'a Value, String)> {
        let body = op.get("requestBody")?;
        let (body, body_pointer) = follow(self.root, body, format!("{pointer}/requestBody"));
        let schema = body.pointer("/content/application~1json/schema")?;
        Some((
            schema,
            format!("{body_pointer}/content/application~1json/schema"),
        ))
    }

    /// The JSON schema of the operation's first 2xx response with a body.
    fn success_schema(&self, op: &'a Value, pointer: &str) -> Option<(&'a Value, String)> {
        declared_statuses(op)
            .into_iter()
            .filter(|code| (200..300).contains(code))
            .find_map(|code| {
                let (response, response_pointer) = response(op, code)?;
                let (response, response_pointer) = follow(
                    self.root,
                    response,
                    format!("{pointer}/responses/{}", escape(&response_pointer)),
                );
                let schema = response.pointer("/content/application~1json/schema")?;
                Some((
                    schema,
                    format!("{response_pointer}/content/application~1json/schema"),
                ))
            })
    }

    /// Compares a request or response parameter table with a body schema.
    fn fields(&mut self, at: At<'_>, table: &ParamTable, schema: &'a Value, pointer: String) {
        let (node, pointer) = follow(self.root, schema, pointer);
        let mut visits: BTreeMap<Vec<String>, Visit<'a>> = BTreeMap::new();
        let root_ctx = if schema_type(node) == Some("object") {
            visits.insert(
                Vec::new(),
                Visit {
                    node,
                    pointer: pointer.clone(),
                    documented: BTreeSet::new(),
                    line: table.line,
                },
            );
            Ctx::Object { node, pointer }
        } else {
            Ctx::NotObject {
                says: format!("the {} body is {}", table.role, describe(node)),
                pointer,
            }
        };
        let mut stack = vec![root_ctx];
        for field in &table.fields {
            let depth = field.depth();
            stack.truncate(depth + 1);
            let parent = stack.get(depth).cloned().unwrap_or(Ctx::Skip);
            let at = At {
                line: field.line,
                ..at
            };
            let child = match parent {
                Ctx::Skip => Ctx::Skip,
                Ctx::NotObject { pointer, says } => {
                    self.found(
                        at,
                        Kind::FieldNotInSpec,
                        pointer,
                        None,
                        format!("`{}` ({})", field.path.join("."), field.ty),
                        says,
                    );
                    Ctx::Skip
                }
                Ctx::Object { node, pointer } => {
                    self.field(at, table.role, field, node, &pointer, &mut visits)
                }
            };
            stack.push(child);
        }
        for (path, visit) in visits {
            let Some(properties) = visit.node.get("properties").and_then(Value::as_object) else {
                continue;
            };
            for (name, property) in properties {
                if visit.documented.contains(name) {
                    continue;
                }
                let mut full = path.clone();
                full.push(name.clone());
                let (resolved, _) = follow(self.root, property, String::new());
                self.found(
                    At {
                        line: visit.line,
                        ..at
                    },
                    Kind::FieldNotOnPage,
                    format!("{}/properties/{}", visit.pointer, escape(name)),
                    None,
                    format!("no row for `{}`", full.join(".")),
                    format!(
                        "{} field `{}` ({})",
                        table.role,
                        full.join("."),
                        describe(resolved)
                    ),
                );
            }
        }
    }

    /// Compares one row with the property of the same name (or alias) in `parent`; returns
    /// where its nested rows are to be found.
    fn field(
        &mut self,
        at: At<'_>,
        role: TableRole,
        field: &Field,
        parent: &'a Value,
        parent_pointer: &str,
        visits: &mut BTreeMap<Vec<String>, Visit<'a>>,
    ) -> Ctx<'a> {
        let label = field.path.join(".");
        let Some((name, property)) = find_property(parent, field.name()) else {
            self.found(
                at,
                Kind::FieldNotInSpec,
                format!("{parent_pointer}/properties/{}", escape(field.name())),
                None,
                format!("`{label}` ({})", field.ty),
                format!(
                    "no property `{}` (nor one with it in {ALIASES})",
                    field.name()
                ),
            );
            return Ctx::Skip;
        };
        let parent_path = field.path.get(..field.depth()).unwrap_or_default().to_vec();
        if let Some(visit) = visits.get_mut(&parent_path) {
            visit.documented.insert(name.to_owned());
        }
        let property_pointer = format!("{parent_pointer}/properties/{}", escape(name));
        let required = parent
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|r| r.as_str() == Some(name)));
        let Some((node, node_pointer)) =
            self.compare_schema(at, field, &label, property, property_pointer.clone())
        else {
            return Ctx::Skip;
        };
        let also = (node_pointer != property_pointer).then(|| node_pointer.clone());
        let required_says = format!("required (listed in {parent_pointer}/required)");
        match (role, field.required, &field.conditional) {
            (TableRole::Response, _, Some(text)) if required => self.found(
                at,
                Kind::RequiredMismatch,
                property_pointer.clone(),
                also.clone(),
                format!("`{label}` is not always returned (\"{text}\")"),
                required_says,
            ),
            (TableRole::Request, Some(true), _) if !required => self.found(
                at,
                Kind::RequiredMismatch,
                property_pointer.clone(),
                also.clone(),
                format!("`{label}` is required"),
                format!("optional (not in {parent_pointer}/required)"),
            ),
            (TableRole::Request, Some(false), _) if required => self.found(
                at,
                Kind::RequiredMismatch,
                property_pointer.clone(),
                also.clone(),
                format!("`{label}` is optional"),
                required_says,
            ),
            _ => {}
        }
        match field.ty {
            FieldType::Object => {
                visits.insert(
                    field.path.clone(),
                    Visit {
                        node,
                        pointer: node_pointer.clone(),
                        documented: BTreeSet::new(),
                        line: field.line,
                    },
                );
                Ctx::Object {
                    node,
                    pointer: node_pointer,
                }
            }
            FieldType::Array => {
                let items_pointer = format!("{node_pointer}/items");
                let Some(items) = node.get("items") else {
                    return Ctx::NotObject {
                        pointer: items_pointer,
                        says: format!("`{label}` declares no items"),
                    };
                };
                let (items, items_pointer) = follow(self.root, items, items_pointer);
                if schema_type(items) == Some("object") {
                    visits.insert(
                        field.path.clone(),
                        Visit {
                            node: items,
                            pointer: items_pointer.clone(),
                            documented: BTreeSet::new(),
                            line: field.line,
                        },
                    );
                    Ctx::Object {
                        node: items,
                        pointer: items_pointer,
                    }
                } else {
                    Ctx::NotObject {
                        says: format!(
                            "the items of `{label}` are {}, not objects",
                            describe(items)
                        ),
                        pointer: items_pointer,
                    }
                }
            }
            _ => Ctx::NotObject {
                says: format!("`{label}` is {}", describe(node)),
                pointer: node_pointer,
            },
        }
    }

    /// The checks a field and a query/path parameter share: type, values and format.
    /// Returns the resolved schema unless the types differ.
    fn compare_schema(
        &mut self,
        at: At<'_>,
        field: &Field,
        label: &str,
        schema: &'a Value,
        pointer: String,
    ) -> Option<(&'a Value, String)> {
        let (node, node_pointer) = follow(self.root, schema, pointer.clone());
        let also = (node_pointer != pointer).then(|| node_pointer.clone());
        if let Some(spec_type) = schema_type(node)
            && !compatible(field.ty, spec_type)
        {
            self.found(
                at,
                Kind::TypeMismatch,
                pointer,
                also,
                format!("`{label}` is {}", field.ty),
                spec_type.to_owned(),
            );
            return None;
        }
        if let Some(values) = &field.values {
            // For an array, the values are those of its items.
            let (values_node, values_pointer) = match (schema_type(node), node.get("items")) {
                (Some("array"), Some(items)) => {
                    follow(self.root, items, format!("{node_pointer}/items"))
                }
                _ => (node, node_pointer.clone()),
            };
            let known: Vec<&str> = ["enum", "x-known-values"]
                .iter()
                .filter_map(|key| values_node.get(*key).and_then(Value::as_array))
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let missing: Vec<&str> = values
                .iter()
                .map(String::as_str)
                .filter(|v| !known.contains(v))
                .collect();
            if !missing.is_empty() {
                self.found(
                    at,
                    Kind::ValuesMissing,
                    values_pointer.clone(),
                    (values_pointer != pointer).then(|| pointer.clone()),
                    format!("possible values of `{label}` are {}", values.join(", ")),
                    if known.is_empty() {
                        "no enum or x-known-values".into()
                    } else {
                        format!(
                            "known values are {}; missing {}",
                            known.join(", "),
                            missing.join(", ")
                        )
                    },
                );
            }
        }
        if let Some(format) = &field.format
            && let Some(expected) = expected_format(format)
        {
            let actual = node.get("format").and_then(Value::as_str);
            if actual != Some(expected) {
                self.found(
                    at,
                    Kind::FormatMismatch,
                    pointer.clone(),
                    also,
                    format!("`{label}` has Format: {format}"),
                    format!(
                        "format {} (expected {expected})",
                        actual.unwrap_or("(none)")
                    ),
                );
            }
        }
        Some((node, node_pointer))
    }

    /// Compares a query or path parameter table with the operation's parameters.
    fn params(&mut self, at: At<'_>, table: &ParamTable, op: &'a Value, pointer: &str, id: &str) {
        let location = match table.role {
            TableRole::Path => "path",
            _ => "query",
        };
        let path_item_pointer = pointer.rsplit_once('/').map(|(p, _)| p).unwrap_or_default();
        let path_item = self.root.pointer(path_item_pointer);
        // (name, pointer of the parameter, the parameter, required)
        let mut params: Vec<(String, String, &'a Value, bool)> = Vec::new();
        for (owner, owner_pointer) in [(Some(op), pointer), (path_item, path_item_pointer)] {
            let list = owner
                .and_then(|o| o.get("parameters"))
                .and_then(Value::as_array);
            for (i, param) in list.into_iter().flatten().enumerate() {
                let (param, param_pointer) =
                    follow(self.root, param, format!("{owner_pointer}/parameters/{i}"));
                if param.get("in").and_then(Value::as_str) != Some(location) {
                    continue;
                }
                let Some(name) = param.get("name").and_then(Value::as_str) else {
                    continue;
                };
                if params.iter().any(|(n, ..)| n == name) {
                    continue; // the operation's own parameter overrides the path item's
                }
                let required = param
                    .get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                params.push((name.to_owned(), param_pointer, param, required));
            }
        }
        let same = |a: &str, b: &str| {
            if location == "path" {
                a.to_snake_case() == b.to_snake_case()
            } else {
                a == b
            }
        };
        let mut documented: BTreeSet<String> = BTreeSet::new();
        for field in &table.fields {
            let at = At {
                line: field.line,
                operation: id,
                ..at
            };
            let label = field.path.join(".");
            if field.depth() > 0 {
                self.found(
                    at,
                    Kind::FieldNotInSpec,
                    format!("{pointer}/parameters"),
                    None,
                    format!("{location} parameter `{label}` ({})", field.ty),
                    format!("{location} parameters have no nested fields"),
                );
                continue;
            }
            let Some((name, param_pointer, param, required)) =
                params.iter().find(|(n, ..)| same(n, field.name())).cloned()
            else {
                self.found(
                    at,
                    Kind::FieldNotInSpec,
                    format!("{pointer}/parameters"),
                    None,
                    format!("{location} parameter `{label}` ({})", field.ty),
                    format!("no {location} parameter `{}`", field.name()),
                );
                continue;
            };
            documented.insert(name.clone());
            if let Some(schema) = param.get("schema") {
                self.compare_schema(at, field, &label, schema, format!("{param_pointer}/schema"));
            }
            match field.required {
                Some(true) if !required => self.found(
                    at,
                    Kind::RequiredMismatch,
                    param_pointer.clone(),
                    None,
                    format!("`{label}` is required"),
                    "optional".into(),
                ),
                Some(false) if required => self.found(
                    at,
                    Kind::RequiredMismatch,
                    param_pointer.clone(),
                    None,
                    format!("`{label}` is optional"),
                    "required".into(),
                ),
                _ => {}
            }
        }
        for (name, param_pointer, param, _) in &params {
            if documented.contains(name) {
                continue;
            }
            let schema = param.get("schema").unwrap_or(&Value::Null);
            let (schema, _) = follow(self.root, schema, String::new());
            self.found(
                At {
                    operation: id,
                    ..at
                },
                Kind::FieldNotOnPage,
                param_pointer.clone(),
                None,
                format!("no row for {location} parameter `{name}`"),
                format!("{location} parameter `{name}` ({})", describe(schema)),
            );
        }
    }

    /// Marks every finding an `x-docs-deviation` acknowledges; returns the findings about
    /// the markers themselves (stale or invalid).
    fn acknowledge(&self, findings: &mut [Finding]) -> Vec<Finding> {
        let spec_name = self.spec.path.display().to_string();
        let mut markers: BTreeMap<String, String> = BTreeMap::new();
        let mut out = Vec::new();
        let mut invalid = |pointer: String, says: String| {
            out.push(Finding {
                kind: Kind::InvalidDeviation,
                page: spec_name.clone(),
                line: None,
                operation: None,
                pointer,
                page_says: "-".into(),
                spec_says: says,
                acknowledged: None,
                also: None,
            });
        };
        for (pointer, value) in deviations(self.root) {
            match value.as_str().map(str::trim) {
                Some(reason) if !reason.is_empty() => {
                    if pointer.matches('/').count() < 3 {
                        invalid(
                            pointer,
                            format!(
                                "{DEVIATION} belongs on the operation, response or schema that differs, not this high up"
                            ),
                        );
                    } else {
                        markers.insert(pointer, reason.to_owned());
                    }
                }
                _ => invalid(
                    pointer,
                    format!("{DEVIATION} must be a non-empty string saying why the spec differs"),
                ),
            }
        }
        let mut used: BTreeSet<String> = BTreeSet::new();
        for finding in findings.iter_mut() {
            let candidates =
                ancestors(&finding.pointer).chain(finding.also.iter().map(String::as_str));
            for candidate in candidates {
                if let Some(reason) = markers.get(candidate) {
                    finding.acknowledged = Some(Acknowledgement {
                        pointer: candidate.to_owned(),
                        reason: reason.clone(),
                    });
                    used.insert(candidate.to_owned());
                    break;
                }
            }
        }
        for (pointer, reason) in markers {
            if !used.contains(&pointer) {
                out.push(Finding {
                    kind: Kind::StaleDeviation,
                    page: spec_name.clone(),
                    line: None,
                    operation: None,
                    pointer,
                    page_says: "nothing that differs here".into(),
                    spec_says: format!("{DEVIATION}: \"{reason}\""),
                    acknowledged: None,
                    also: None,
                });
            }
        }
        out
    }
}

/// Every `x-docs-deviation` in the spec: the pointer of the node that carries it and its
/// value. Examples are data and are not searched; neither are property names.
fn deviations(root: &Value) -> Vec<(String, &Value)> {
    fn walk<'v>(
        node: &'v Value,
        pointer: &mut String,
        names: bool,
        out: &mut Vec<(String, &'v Value)>,
    ) {
        match node {
            Value::Object(map) => {
                if !names && let Some(value) = map.get(DEVIATION) {
                    out.push((pointer.clone(), value));
                }
                for (key, child) in map {
                    if !names && (key == "example" || key == "examples" || key.starts_with("x-")) {
                        continue;
                    }
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&escape(key));
                    walk(child, pointer, !names && key == "properties", out);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    walk(child, pointer, false, out);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, &mut String::new(), false, &mut out);
    out
}

/// `pointer` and every pointer above it, deepest first, without the document root.
fn ancestors(pointer: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(pointer);
    std::iter::from_fn(move || {
        let current = next.filter(|p| !p.is_empty())?;
        next = current.rsplit_once('/').map(|(parent, _)| parent);
        Some(current)
    })
}

/// Follows `$ref`s (local ones) and single-element `allOf`s; returns the schema reached
/// and its pointer.
fn follow<'v>(root: &'v Value, node: &'v Value, pointer: String) -> (&'v Value, String) {
    let (mut node, mut pointer) = (node, pointer);
    for _ in 0..32 {
        if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            match reference
                .strip_prefix('#')
                .and_then(|p| root.pointer(p).map(|t| (t, p)))
            {
                Some((target, target_pointer)) => {
                    node = target;
                    pointer = target_pointer.to_owned();
                    continue;
                }
                None => break,
            }
        }
        if let Some([only]) = node
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            node = only;
            pointer = format!("{pointer}/allOf/0");
            continue;
        }
        break;
    }
    (node, pointer)
}

/// The JSON type of a schema: its `type`, or what `properties` / `items` imply.
fn schema_type(node: &Value) -> Option<&str> {
    match node.get("type").and_then(Value::as_str) {
        Some(t) => Some(t),
        None if node.get("properties").is_some() => Some("object"),
        None if node.get("items").is_some() => Some("array"),
        None => None,
    }
}

fn describe(node: &Value) -> String {
    match (
        schema_type(node),
        node.get("format").and_then(Value::as_str),
    ) {
        (Some(t), Some(format)) if t == "string" => format!("{t}, format {format}"),
        (Some(t), _) => t.to_owned(),
        (None, _) => "a schema without a type".to_owned(),
    }
}

/// Whether a page type and a spec type agree (an `integer` is also a `number`).
fn compatible(page: FieldType, spec: &str) -> bool {
    match page {
        FieldType::String => spec == "string",
        FieldType::Integer => spec == "integer",
        FieldType::Number => spec == "number" || spec == "integer",
        FieldType::Boolean => spec == "boolean",
        FieldType::Object => spec == "object",
        FieldType::Array => spec == "array",
    }
}

/// The spec format a page's `Format:` note calls for, where we know one.
fn expected_format(text: &str) -> Option<&'static str> {
    let squeezed = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    let squeezed = squeezed.trim_end_matches('.');
    if squeezed == "yyyy-mm-dd hh:mm:ss" {
        Some(DIGICERT_DATETIME_FORMAT)
    } else if squeezed.contains("iso 8601") || squeezed.contains("rfc 3339") {
        Some("date-time")
    } else {
        None
    }
}

/// The property `name` of an object schema, or the one listing `name` in `x-aliases`.
fn find_property<'v>(object: &'v Value, name: &str) -> Option<(&'v str, &'v Value)> {
    let properties = object.get("properties")?.as_object()?;
    if let Some((key, value)) = properties.get_key_value(name) {
        return Some((key.as_str(), value));
    }
    properties
        .iter()
        .find(|(_, property)| {
            property
                .get(ALIASES)
                .and_then(Value::as_array)
                .is_some_and(|aliases| aliases.iter().any(|a| a.as_str() == Some(name)))
        })
        .map(|(key, value)| (key.as_str(), value))
}

/// The statuses an operation declares, in order.
fn declared_statuses(op: &Value) -> Vec<u16> {
    let mut codes: Vec<u16> = op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|r| r.keys())
        .filter_map(|code| code.parse().ok())
        .collect();
    codes.sort_unstable();
    codes
}

/// The response an operation declares for `code`, and its key.
fn response(op: &Value, code: u16) -> Option<(&Value, String)> {
    let key = code.to_string();
    op.get("responses")?.get(&key).map(|r| (r, key))
}

/// A path with every `{param}` (or DigiCert's `{{param}}`) as `{}`, without a query or a
/// trailing slash, so that pages and spec match whatever they call their parameters.
fn normalize_path(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let mut out = String::new();
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    out.push_str("{}");
                }
                depth += 1;
            }
            '}' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    if out.len() > 1 {
        out.truncate(out.trim_end_matches('/').len().max(1));
    }
    out
}

/// DigiCert's `{{param}}` written the OpenAPI way, `{param}`.
fn spec_style(path: &str) -> String {
    path.replace("{{", "{").replace("}}", "}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_whatever_the_parameters_are_called() {
        assert_eq!(
            normalize_path("/account/subaccount/{{subaccount_id}}"),
            normalize_path("/account/subaccount/{subaccount_id}")
        );
        assert_eq!(normalize_path("/api-key//{{apiKeyId}}/"), "/api-key//{}");
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path("/a?b=1"), "/a");
        assert_eq!(normalize_path("/a/{{b"), "/a/{}");
    }

    #[test]
    fn ancestors_stop_below_the_root() {
        assert_eq!(
            ancestors("/components/schemas/X").collect::<Vec<_>>(),
            [
                "/components/schemas/X",
                "/components/schemas",
                "/components"
            ]
        );
        assert_eq!(ancestors("").count(), 0);
    }

    #[test]
    fn formats() {
        assert_eq!(
            expected_format("YYYY-MM-DD hh:mm:ss"),
            Some(DIGICERT_DATETIME_FORMAT)
        );
        assert_eq!(
            expected_format("UTC timezone and ISO 8601 date"),
            Some("date-time")
        );
        assert_eq!(expected_format("yyyy-MM-dd"), None);
    }
}
