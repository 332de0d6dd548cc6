//! Decoding success bodies into the generated types, and describing a failure without ever
//! repeating a value from the body.
//!
//! serde's messages quote the offending value (`invalid type: string "NEWKEY-...",
//! expected struct CreatedApiKey`), and the body of a create call holds a key DigiCert shows
//! only once. So the message is rebuilt from what is safe: the JSON path (from
//! `serde_path_to_error`), the line and column, the *kind* of value found (read from the
//! body, e.g. "a string of 24 characters") and what serde expected (which comes from our
//! types, not the body). serde's own text is used only when it provably holds no value
//! from the body.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::DecodeDetails;

/// Decodes `body` into `T`; on failure, describes where and why, safely.
pub(crate) fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeDetails> {
    // The fast path: the same work as `serde_json::from_slice`. Only a failure pays for
    // path tracking.
    serde_json::from_slice(body).map_err(|_| describe::<T>(body))
}

/// Decodes again with path tracking, to say where it fails.
fn describe<T: DeserializeOwned>(body: &[u8]) -> DecodeDetails {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, error) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => match deserializer.end() {
            Ok(()) => {
                // Decoding succeeded the second time: cannot happen for the same bytes,
                // but say something true rather than panic.
                return DecodeDetails {
                    path: ".".into(),
                    line: 0,
                    column: 0,
                    problem: "the body could not be decoded".into(),
                };
            }
            Err(e) => (".".to_owned(), e),
        },
        Err(e) => (e.path().to_string(), e.into_inner()),
    };
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let at_path = parsed.as_ref().and_then(|root| value_at(root, &path));
    let problem = match error.classify() {
        serde_json::error::Category::Data => data_problem(&error, at_path),
        // Syntax and end-of-input messages name JSON grammar, never body content.
        _ => message_without_position(&error),
    };
    let problem = scrub(problem, parsed.as_ref());
    DecodeDetails {
        path,
        line: error.line(),
        column: error.column(),
        problem,
    }
}

/// serde_json's message without its ` at line L column C` suffix.
fn message_without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}

/// How serde's `Unexpected` renders a JSON value, exactly (so that it can be cut out).
fn unexpected(value: &Value) -> String {
    match value {
        Value::Null => "unit value".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_owned(),
        Value::Object(_) => "map".to_owned(),
    }
}

/// What kind of value the body had, without the value.
fn found(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => "a boolean".to_owned(),
        Value::Number(_) => "a number".to_owned(),
        Value::String(s) => format!("a string of {} characters", s.chars().count()),
        Value::Array(items) => format!("an array of {} items", items.len()),
        Value::Object(_) => "an object".to_owned(),
    }
}

fn data_problem(error: &serde_json::Error, at_path: Option<&Value>) -> String {
    let message = message_without_position(error);
    for prefix in ["invalid type: ", "invalid value: "] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let found_text = at_path.map(found);
        let expected = at_path
            .map(unexpected)
            .and_then(|shown| rest.strip_prefix(&format!("{shown}, expected ")));
        return match (expected, found_text) {
            (Some(expected), Some(found)) => format!("expected {expected}, found {found}"),
            (None, Some(found)) => format!("found {found}, which the type does not accept"),
            _ => "a value has the wrong type or is not allowed here".to_owned(),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        // "unknown variant `v`, expected one of `a`, `b`": the variant is body data.
        let shown = match at_path {
            Some(Value::String(s)) => format!("`{s}`, "),
            _ => String::new(),
        };
        return match rest.strip_prefix(&shown).filter(|_| !shown.is_empty()) {
            Some(expected) => format!("unknown value, {expected}"),
            None => "unknown value".to_owned(),
        };
    }
    if message.starts_with("unknown field ") {
        return "a field the type does not allow".to_owned();
    }
    // "missing field `x`", "duplicate field `x`", "invalid length 3, expected ..." name
    // the type's fields and counts; our own types' messages (timestamps, keys, email
    // lists) never quote their input. Anything else is kept only if it quotes no string
    // of the body (checked by `scrub`).
    message
}

/// The value at a `serde_path_to_error` path (`a.b[3].c`) of `root`.
fn value_at<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    if path == "." || path.is_empty() {
        return Some(root);
    }
    let mut node = root;
    for part in path.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            node = node.get(key)?;
        }
        for index in indexes.split('[').filter(|s| !s.is_empty()) {
            let index: usize = index.trim_end_matches(']').parse().ok()?;
            node = node.get(index)?;
        }
    }
    Some(node)
}

/// Belt and braces: removes any string of the body (8 characters or more) that a message
/// still contains.
fn scrub(mut message: String, body: Option<&Value>) -> String {
    fn strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::String(s) => out.push(s),
            Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            Value::Object(map) => map.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let Some(body) = body else {
        return message;
    };
    let mut found = Vec::new();
    strings(body, &mut found);
    found.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for text in found.into_iter().filter(|s| s.chars().count() >= 8) {
        if message.contains(text) {
            message = message.replace(text, "<redacted>");
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Key {
        api_key: crate::ApiKey,
        id: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Created {
        account_id: i64,
        api_key: Key,
        kind: Kind,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Retail,
    }

    fn problem(body: &str) -> DecodeDetails {
        json::<Created>(body.as_bytes()).unwrap_err()
    }

    const SECRET: &str = "NEWKEY-0123456789-shown-once";

    #[test]
    fn a_string_where_a_struct_belongs_names_the_place_not_the_value() {
        let body = format!(r#"{{"account_id": 1, "api_key": "{SECRET}", "kind": "retail"}}"#);
        let d = problem(&body);
        assert_eq!(d.path, "api_key");
        assert_eq!(
            d.problem,
            "expected struct Key, found a string of 28 characters"
        );
        // serde_json reports the position just after the value it refused.
        assert_eq!((d.line, d.column), (1, 59));
        assert!(!format!("{d:?}").contains(SECRET));
    }

    #[test]
    fn missing_fields_wrong_numbers_and_unknown_variants_are_described_safely() {
        let d = problem(&format!(
            r#"{{"account_id": 1, "api_key": {{"api_key": "{SECRET}"}}, "kind": "retail"}}"#
        ));
        assert_eq!(d.path, "api_key");
        assert_eq!(d.problem, "missing field `id`");

        let d = problem(&format!(
            r#"{{"account_id": "{SECRET}", "api_key": {{}}, "kind": "x"}}"#
        ));
        assert_eq!(d.path, "account_id");
        assert_eq!(d.problem, "expected i64, found a string of 28 characters");

        let d = problem(&format!(
            r#"{{"account_id": 1, "api_key": {{"api_key": "k", "id": 2}}, "kind": "{SECRET}"}}"#
        ));
        assert_eq!(d.path, "kind");
        assert_eq!(d.problem, "unknown value, expected `retail`");

        let d = problem(&format!(
            r#"{{"account_id": 1, "api_key": {{"api_key": "has space {SECRET}", "id": 2}}, "kind": "retail"}}"#
        ));
        assert_eq!(d.path, "api_key.api_key");
        assert!(d.problem.contains("API key"), "{}", d.problem);
        assert!(!d.problem.contains(SECRET), "{}", d.problem);
    }

    #[test]
    fn syntax_errors_keep_their_position() {
        let d = problem(&format!(r#"{{"account_id": 1, "api_key": "{SECRET}"#));
        assert!(d.problem.starts_with("EOF while parsing"), "{}", d.problem);
        assert!(!d.problem.contains(SECRET));
        let d = problem("<html>");
        assert_eq!(d.problem, "expected value");
        assert_eq!((d.line, d.column), (1, 1));
    }

    #[test]
    fn paths_find_their_value() {
        let root: Value = serde_json::json!({"a": [{"b": 1}, {"b": [5, 6]}]});
        assert_eq!(value_at(&root, "a[1].b[0]"), Some(&Value::from(5)));
        assert_eq!(value_at(&root, "."), Some(&root));
        assert_eq!(value_at(&root, "a[9]"), None);
    }
}
