//! `lint`: every spec rule of [`crate::rules`] plus the checks that need a JSON Schema
//! validator or a view of the whole spec. `cargo xtask lint` prints them, and every code
//! generation ([`crate::render`]: `cargo xtask codegen`, the client's build script, the tests)
//! refuses a spec that fails them, before progenitor sees it.
//!
//! | rule | what it demands |
//! |---|---|
//! | `provenance` | `x-docs-url` points at a DigiCert host over https |
//! | `example-valid` | every example (request, response, parameter, schema) validates against its schema |
//! | `unused-schema` | every component schema is reachable from an operation |
//! | `path-params` | every `{name}` in a path is a declared path parameter, and the reverse |
//! | `documents-4xx` | every operation documents at least one 4xx response |
//! | `schema-valid` | every schema an example is checked against is itself valid |
//! | `x-pagination` | `{style: offset, items: <array property>}`; the operation takes `offset` and `limit` query integers and its 2xx body has the items array and `page.total` |

use std::collections::BTreeSet;

use serde_json::Value;

use crate::rules::{self, OperationRef};
use crate::schema::SchemaValidator;
use crate::tree::{escape, reachable_refs, resolve};
use crate::{Family, Spec, Violation};

/// What [`lint`] found in one spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintReport {
    /// Every problem, spec rules first, in document order within each check.
    pub violations: Vec<Violation>,
    /// JSON pointers of every `x-inferred` marker: what the spec models without DigiCert's
    /// docs confirming it.
    pub inferred: Vec<String>,
}

/// Hosts whose pages may back an operation's `x-docs-url`.
const DIGICERT_HOSTS: [&str; 3] = ["dev.digicert.com", "docs.digicert.com", "www.digicert.com"];

/// Runs every check on `spec` and refuses it ([`Error::Rules`](crate::Error::Rules), every violation) unless it
/// passes all: what each renderer does before progenitor sees a spec.
pub fn require_clean(spec: &Spec, family: &Family) -> Result<(), crate::Error> {
    crate::Error::unless_clean(spec, lint(spec, family).violations)
}

/// Runs every check on `spec`.
pub fn lint(spec: &Spec, family: &Family) -> LintReport {
    let mut violations = rules::violations(spec, family);
    let root = &spec.raw;
    let validator = SchemaValidator::new(spec);
    for op_ref in rules::operations(&spec.openapi) {
        let op = root.pointer(&op_ref.pointer()).unwrap_or(&Value::Null);
        check_provenance(&op_ref, op, &mut violations);
        check_path_params(&op_ref, op, root, &mut violations);
        check_4xx(&op_ref, op, &mut violations);
        check_pagination(&op_ref, op, root, &mut violations);
    }
    let mut inferred = Vec::new();
    walk_examples(
        root,
        root,
        &mut String::new(),
        false,
        &validator,
        &mut violations,
        &mut inferred,
    );
    check_unused_schemas(root, &mut violations);
    LintReport {
        violations,
        inferred,
    }
}

fn push(out: &mut Vec<Violation>, rule: &'static str, location: String, message: String) {
    out.push(Violation {
        rule,
        location,
        message,
    });
}

fn check_provenance(op_ref: &OperationRef, op: &Value, out: &mut Vec<Violation>) {
    // A missing or non-https x-docs-url is already a spec-rule violation.
    let Some(url) = op.get("x-docs-url").and_then(Value::as_str) else {
        return;
    };
    let Some(rest) = url.strip_prefix("https://") else {
        return;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if !DIGICERT_HOSTS.contains(&host) {
        push(
            out,
            "provenance",
            op_ref.location(),
            format!(
                "x-docs-url `{url}` is not a DigiCert documentation page ({})",
                DIGICERT_HOSTS.join(", ")
            ),
        );
    }
}

fn check_path_params(op_ref: &OperationRef, op: &Value, root: &Value, out: &mut Vec<Violation>) {
    let in_template: BTreeSet<String> = op_ref
        .path
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned()))
        .collect();
    let path_item = root
        .get("paths")
        .and_then(|p| p.get(&op_ref.path))
        .and_then(|item| item.get("parameters"));
    let declared: BTreeSet<String> = [op.get("parameters"), path_item]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| resolve(root, p))
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
        .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect();
    for name in in_template.difference(&declared) {
        push(
            out,
            "path-params",
            op_ref.location(),
            format!("`{{{name}}}` is in the path but not declared as an `in: path` parameter"),
        );
    }
    for name in declared.difference(&in_template) {
        push(
            out,
            "path-params",
            op_ref.location(),
            format!("path parameter `{name}` is declared but not in the path"),
        );
    }
}

fn check_4xx(op_ref: &OperationRef, op: &Value, out: &mut Vec<Violation>) {
    let documents_4xx = op
        .get("responses")
        .and_then(Value::as_object)
        .is_some_and(|responses| responses.keys().any(|status| status.starts_with('4')));
    if !documents_4xx {
        push(
            out,
            "documents-4xx",
            op_ref.location(),
            "documents no 4xx response; every DigiCert operation can refuse a request".into(),
        );
    }
}

/// Walks the tree: validates examples against the schema beside them and collects
/// `x-inferred` markers. `names` is true inside `properties`, whose keys are field names.
fn walk_examples(
    node: &Value,
    root: &Value,
    pointer: &mut String,
    names: bool,
    validator: &SchemaValidator,
    out: &mut Vec<Violation>,
    inferred: &mut Vec<String>,
) {
    match node {
        Value::Object(map) if names => {
            for (key, child) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape(key));
                walk_examples(child, root, pointer, false, validator, out, inferred);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            if map.contains_key("x-inferred") {
                inferred.push(format!("{pointer}/x-inferred"));
            }
            // A media type or a parameter holds its schema under `schema`; a schema holds
            // its own example beside its keywords.
            let schema = match map.get("schema") {
                Some(schema) => Some(schema),
                None if [
                    "type",
                    "$ref",
                    "properties",
                    "items",
                    "allOf",
                    "oneOf",
                    "anyOf",
                ]
                .iter()
                .any(|k| map.contains_key(*k)) =>
                {
                    Some(node)
                }
                None => None,
            };
            if let Some(schema) = schema {
                let mut examples: Vec<(String, &Value)> = Vec::new();
                if let Some(example) = map.get("example") {
                    examples.push((format!("{pointer}/example"), example));
                }
                if let Some(Value::Object(named)) = map.get("examples") {
                    for (name, example) in named {
                        let example = resolve(root, example);
                        if let Some(value) = example.get("value") {
                            examples.push((
                                format!("{pointer}/examples/{}/value", escape(name)),
                                value,
                            ));
                        }
                    }
                }
                let schema_at = if map.contains_key("schema") {
                    format!("{pointer}/schema")
                } else {
                    pointer.clone()
                };
                for (at, example) in examples {
                    if let Err(problems) = validator.validate(schema, example) {
                        if let Some(broken) =
                            problems.iter().find(|p| p.starts_with(SCHEMA_INVALID))
                        {
                            // The schema, not the example, is at fault: say so once, where it is
                            // (unless a spec rule, e.g. `schema-type`, already did).
                            let known = out.iter().any(|v| {
                                v.location.starts_with(&schema_at)
                                    || schema_refs(schema)
                                        .iter()
                                        .any(|r| v.location.starts_with(r))
                            });
                            if !known {
                                push(out, "schema-valid", schema_at.clone(), broken.clone());
                            }
                            break;
                        }
                        for problem in problems {
                            push(
                                out,
                                "example-valid",
                                at.clone(),
                                format!("the example does not match its schema: {problem}"),
                            );
                        }
                    }
                }
            }
            for (key, child) in map {
                if key == "example" || key == "examples" || key.starts_with("x-") {
                    continue;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape(key));
                walk_examples(
                    child,
                    root,
                    pointer,
                    key == "properties",
                    validator,
                    out,
                    inferred,
                );
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&index.to_string());
                walk_examples(child, root, pointer, false, validator, out, inferred);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The prefix of [`SchemaValidator::validate`]'s message for a schema it cannot compile.
const SCHEMA_INVALID: &str = "the schema itself is not valid";

/// The JSON pointers a schema's `$ref`s point at (`#/components/schemas/X` ->
/// `/components/schemas/X`).
fn schema_refs(schema: &Value) -> Vec<String> {
    let mut found = Vec::new();
    crate::tree::refs(schema, &mut found);
    found
        .into_iter()
        .filter_map(|r| r.strip_prefix('#').map(str::to_owned))
        .collect()
}

fn check_pagination(op_ref: &OperationRef, op: &Value, root: &Value, out: &mut Vec<Violation>) {
    let Some(pagination) = op.get("x-pagination") else {
        return;
    };
    let mut problem = |message: String| {
        push(out, "x-pagination", op_ref.location(), message);
    };
    if pagination.get("style").and_then(Value::as_str) != Some("offset") {
        problem("x-pagination needs `style: offset` (the only paging DigiCert documents)".into());
    }
    let Some(items) = pagination.get("items").and_then(Value::as_str) else {
        problem("x-pagination needs `items`: the array property of the 2xx body".into());
        return;
    };
    for name in ["offset", "limit"] {
        let declared = op
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| resolve(root, p))
            .any(|p| {
                p.get("name").and_then(Value::as_str) == Some(name)
                    && p.get("in").and_then(Value::as_str) == Some("query")
                    && resolve(root, p.get("schema").unwrap_or(&Value::Null))
                        .get("type")
                        .and_then(Value::as_str)
                        == Some("integer")
            });
        if !declared {
            problem(format!(
                "a paged operation needs the integer query parameter `{name}`"
            ));
        }
    }
    let body = op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(status, _)| status.starts_with('2'))
        .filter_map(|(_, response)| {
            resolve(root, response).pointer("/content/application~1json/schema")
        })
        .map(|schema| resolve(root, schema))
        .next();
    let Some(body) = body else {
        problem("a paged operation needs a JSON 2xx body".into());
        return;
    };
    let property = |name: &str| body.pointer(&format!("/properties/{}", escape(name)));
    let is_array = property(items)
        .map(|p| resolve(root, p))
        .and_then(|p| p.get("type"))
        .and_then(Value::as_str)
        == Some("array");
    if !is_array {
        problem(format!("the 2xx body has no array property `{items}`"));
    }
    let total = property("page")
        .map(|p| resolve(root, p))
        .and_then(|page| page.pointer("/properties/total"))
        .map(|t| resolve(root, t))
        .and_then(|t| t.get("type"))
        .and_then(Value::as_str)
        == Some("integer");
    let required = |node: &Value, name: &str| {
        node.get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|v| v.as_str() == Some(name)))
    };
    let page_required = required(body, "page")
        && property("page")
            .map(|p| resolve(root, p))
            .is_some_and(|page| required(page, "total"));
    if !total || !page_required {
        problem("the 2xx body needs a required `page` with a required integer `total`".into());
    }
}

fn check_unused_schemas(root: &Value, out: &mut Vec<Violation>) {
    let Some(schemas) = root
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let reached = root
        .get("paths")
        .map(|paths| reachable_refs(root, paths))
        .unwrap_or_default();
    for name in schemas.keys() {
        if !reached.contains(&format!("#/components/schemas/{}", escape(name))) {
            push(
                out,
                "unused-schema",
                format!("/components/schemas/{}", escape(name)),
                "no operation uses this schema (directly or through another); remove it or use it"
                    .into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PARTNER, SERVICES};

    #[test]
    fn real_specs_lint_clean_and_count_their_inferences() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for family in [&PARTNER, &SERVICES] {
            let spec = crate::load(&root.join(family.spec)).expect("the spec loads");
            let report = lint(&spec, family);
            assert_eq!(report.violations, Vec::new(), "{}", family.spec);
            assert!(
                !report.inferred.is_empty(),
                "{} marks no x-inferred",
                family.spec
            );
            assert!(report.inferred.iter().all(|p| p.ends_with("/x-inferred")));
        }
    }
}
