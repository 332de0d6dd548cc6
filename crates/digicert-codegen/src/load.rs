//! Loading a spec: YAML text -> duplicate-key check -> `openapiv3::OpenAPI` plus the raw
//! JSON tree (which our rules walk, because it keeps every `x-` extension and `$ref`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use crate::Error;

/// A parsed spec: the typed document progenitor needs and the raw tree our rules read.
#[derive(Debug, Clone)]
pub struct Spec {
    /// Where the spec came from, as given to [`load`] or [`parse`]; used in every message.
    pub path: PathBuf,
    /// The typed OpenAPI document.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as plain JSON.
    pub raw: serde_json::Value,
}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<Spec, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(path, &text)
}

/// Parses spec text; `path` only names it in messages.
///
/// Duplicate mapping keys are rejected first, with their line: serde would otherwise keep
/// one of the values silently, or make openapiv3 panic.
pub fn parse(path: impl Into<PathBuf>, text: &str) -> Result<Spec, Error> {
    let path = path.into();
    let parse_error = |message: String| Error::Parse {
        path: path.clone(),
        message,
    };

    // serde_norway's own Value refuses duplicate keys (serde_json's Value would not).
    if let Err(err) = serde_norway::from_str::<serde_norway::Value>(text) {
        return Err(match duplicate_key(&path, text, &err) {
            Some(dup) => dup,
            None => parse_error(err.to_string()),
        });
    }
    let raw: serde_json::Value =
        serde_norway::from_str(text).map_err(|e| parse_error(e.to_string()))?;
    if !raw.is_object() {
        return Err(parse_error("the document is not a YAML mapping".into()));
    }
    // openapiv3 has asserts in its untagged-enum handling; a spec must never crash the build.
    let openapi = catch_unwind(AssertUnwindSafe(|| {
        serde_norway::from_str::<openapiv3::OpenAPI>(text)
    }))
    .map_err(|panic| parse_error(format!("openapiv3 panicked: {}", panic_message(&panic))))?
    .map_err(|e| parse_error(format!("not an OpenAPI 3.0 document: {e}")))?;
    Ok(Spec { path, openapi, raw })
}

/// Turns a panic payload into text.
pub(crate) fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_owned()
    }
}

/// Recognises serde_norway's duplicate-key error and finds the lines of both keys.
///
/// The parser reports the mapping's own position (`paths./a.get: duplicate entry with key
/// "responses" at line 8 column 7`). For block mappings, which is what our specs use, the
/// keys sit at that column on the following lines, so we find them there; for anything
/// else we fall back to the mapping's line.
fn duplicate_key(path: &Path, text: &str, err: &serde_norway::Error) -> Option<Error> {
    const MARKER: &str = "duplicate entry with key ";
    let message = err.to_string();
    let at = message.find(MARKER)?;
    let mapping = message[..at].trim_end_matches(": ").to_owned();
    let rest = &message[at + MARKER.len()..];
    let key_text = rest.split(" at line ").next().unwrap_or(rest);
    let key = key_text.trim_matches('"').to_owned();
    let (map_line, map_column) = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let lines = key_lines(text, map_line, map_column, &key);
    let (first_line, line) = match lines.as_slice() {
        [first, second, ..] => (*first, *second),
        _ => (map_line, map_line),
    };
    Some(Error::DuplicateKey {
        path: path.to_owned(),
        key,
        mapping: if mapping.is_empty() {
            "(document root)".to_owned()
        } else {
            mapping
        },
        line,
        first_line,
    })
}

/// 1-based lines of the block mapping starting at (`line`, `column`) whose key is `key`.
fn key_lines(text: &str, line: usize, column: usize, key: &str) -> Vec<usize> {
    let indent = column.saturating_sub(1);
    let mut found = Vec::new();
    for (index, content) in text.lines().enumerate().skip(line.saturating_sub(1)) {
        let first = index + 1 == line;
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let this_indent = content.len() - trimmed.len();
        // The mapping's first key may follow a `- ` on its line; use the reported column.
        let entry = if first {
            content.get(indent..).unwrap_or("")
        } else if this_indent < indent {
            break;
        } else if this_indent == indent {
            trimmed
        } else {
            continue;
        };
        if is_key(entry, key) {
            found.push(index + 1);
        }
    }
    found
}

fn is_key(entry: &str, key: &str) -> bool {
    [key.to_owned(), format!("\"{key}\""), format!("'{key}'")]
        .iter()
        .any(|candidate| {
            entry
                .strip_prefix(candidate.as_str())
                .and_then(|after| after.trim_start_matches(' ').strip_prefix(':'))
                .is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t']))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_both_lines_of_a_repeated_key() {
        let text = "a:\n  b: 1\n  # note\n  c:\n    d: 2\n  b: 3\n";
        assert_eq!(key_lines(text, 2, 3, "b"), vec![2, 6]);
        assert_eq!(key_lines(text, 2, 3, "d"), Vec::<usize>::new());
    }

    #[test]
    fn first_key_after_a_sequence_dash() {
        let text = "x:\n  - name: a\n    in: path\n    name: b\n";
        assert_eq!(key_lines(text, 2, 5, "name"), vec![2, 4]);
    }
}
