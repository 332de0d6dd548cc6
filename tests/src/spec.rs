//! Reads what the tests need from the specs themselves: each operation's method, path,
//! parameter and body examples, and every documented status with its example body.

use std::path::PathBuf;

use serde_json::{Map, Value};

use crate::{Family, Input};

/// The workspace root (this crate lives in `tests/`).
pub fn workspace_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// A family's spec, loaded and parsed by the codegen crate.
#[track_caller]
pub fn load(family: Family) -> digicert_codegen::Spec {
    let path = workspace_root().join(family.codegen().spec);
    digicert_codegen::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// One documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentedResponse {
    /// HTTP status.
    pub status: u16,
    /// The example body, when the response has content.
    pub example: Option<Value>,
}

/// One operation as the spec documents it.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecOperation {
    /// Its family.
    pub family: Family,
    /// operationId.
    pub id: String,
    /// Upper-case method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Parameter examples by name, and the request body example.
    pub example_input: Input,
    /// Every documented status, in spec order.
    pub responses: Vec<DocumentedResponse>,
}

impl SpecOperation {
    /// The path with the example input's parameters filled in, under the family's base path.
    pub fn example_path(&self) -> String {
        let mut path = format!("{}{}", self.family.base_path(), self.path);
        for (name, value) in &self.example_input.params {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            path = path.replace(&format!("{{{name}}}"), &text);
        }
        path
    }
}

/// The names of every property, in any schema of `family`'s spec, whose format marks a
/// secret (`digicert-api-key`, `digicert-secret`): the fields snapshots must not show.
pub fn secret_properties(family: Family) -> std::collections::BTreeSet<String> {
    fn walk(node: &Value, found: &mut std::collections::BTreeSet<String>) {
        match node {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    for (name, schema) in properties {
                        let format = schema.get("format").and_then(Value::as_str);
                        if matches!(
                            format,
                            Some(
                                digicert_codegen::rules::API_KEY_FORMAT
                                    | digicert_codegen::rules::SECRET_FORMAT
                            )
                        ) {
                            found.insert(name.clone());
                        }
                    }
                }
                map.values().for_each(|v| walk(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut found = std::collections::BTreeSet::new();
    walk(&load(family).raw, &mut found);
    found
}

fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .trim_start_matches('#')
            .split('/')
            .skip(1)
            .try_fold(root, |n, part| n.get(part))
            .unwrap_or(&Value::Null),
        None => node,
    }
}

fn json_example(root: &Value, holder: &Value) -> Option<Value> {
    let media = resolve(root, holder)
        .get("content")?
        .get("application/json")?;
    Some(media.get("example").cloned().unwrap_or(Value::Null))
}

/// Every operation of `family`'s spec, in document order.
#[track_caller]
pub fn operations(family: Family) -> Vec<SpecOperation> {
    let spec = load(family);
    let root = &spec.raw;
    digicert_codegen::operations(&spec.openapi)
        .into_iter()
        .map(|op_ref| {
            let op = root.pointer(&op_ref.pointer()).unwrap_or(&Value::Null);
            let mut params = Map::new();
            for param in op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let param = resolve(root, param);
                if let (Some(name), Some(example)) = (
                    param.get("name").and_then(Value::as_str),
                    param.get("example"),
                ) {
                    params.insert(name.to_owned(), example.clone());
                }
            }
            let body = op.get("requestBody").and_then(|b| json_example(root, b));
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(status, response)| {
                    Some(DocumentedResponse {
                        status: status.parse().ok()?,
                        example: json_example(root, response),
                    })
                })
                .collect();
            SpecOperation {
                family,
                id: op_ref.id,
                method: op_ref.method,
                path: op_ref.path,
                example_input: Input { params, body },
                responses,
            }
        })
        .collect()
}
