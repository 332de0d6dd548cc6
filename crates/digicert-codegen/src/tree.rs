//! Small helpers over a spec's raw JSON tree: following local `$ref`s, collecting them,
//! and escaping JSON-pointer segments. Shared by the rules, lint, schema and surface code.

use std::collections::BTreeSet;

use serde_json::Value;

/// Follows one local `$ref` of `root`, if `node` is one.
pub(crate) fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/")
            .map(|pointer| {
                pointer.split('/').try_fold(root, |n, part| {
                    n.get(part.replace("~1", "/").replace("~0", "~").as_str())
                })
            })
            .and_then(|found| found)
            .unwrap_or(node),
        None => node,
    }
}

/// Every `$ref` under `node`, skipping example data.
pub(crate) fn refs<'a>(node: &'a Value, found: &mut Vec<&'a str>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                found.push(r);
            }
            for (key, child) in map {
                if key != "example" && key != "examples" {
                    refs(child, found);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
        _ => {}
    }
}

/// Every `$ref` reachable from `start`, following references transitively.
pub(crate) fn reachable_refs(root: &Value, start: &Value) -> BTreeSet<String> {
    let mut reached = BTreeSet::new();
    let mut pending = Vec::new();
    refs(start, &mut pending);
    while let Some(reference) = pending.pop() {
        if !reached.insert(reference.to_owned()) {
            continue;
        }
        let target = reference
            .strip_prefix('#')
            .map(|p| p.replace("~1", "/").replace("~0", "~"))
            .and_then(|p| root.pointer(&p));
        if let Some(target) = target {
            refs(target, &mut pending);
        }
    }
    reached
}

/// Escapes one JSON-pointer segment (`/` and `~`).
pub(crate) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
