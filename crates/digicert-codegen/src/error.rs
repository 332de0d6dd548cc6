//! Errors of the codegen crate: every one names the spec file, and where it can, the
//! operation or JSON pointer and the line.

use std::fmt;
use std::path::PathBuf;

/// Something that stops a spec from becoming Rust code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The spec file could not be read.
    #[error("{}: cannot read the spec: {source}", path.display())]
    Read {
        /// The spec file.
        path: PathBuf,
        /// What the file system said.
        source: std::io::Error,
    },
    /// The file is not valid YAML, or its YAML is not an OpenAPI 3.0 document.
    #[error("{}: {message}", path.display())]
    Parse {
        /// The spec file.
        path: PathBuf,
        /// The parser's message, with the line and column where it has them.
        message: String,
    },
    /// The same key appears twice in one YAML mapping. YAML parsers disagree on which
    /// value wins, and openapiv3 panics on some of them, so it is always an error.
    #[error(
        "{}:{line}: duplicate key `{key}` in the mapping at `{mapping}` (first at line {first_line})",
        path.display()
    )]
    DuplicateKey {
        /// The spec file.
        path: PathBuf,
        /// The repeated key.
        key: String,
        /// Where the mapping is, as a dotted path (`paths./account.get`).
        mapping: String,
        /// The 1-based line of the repeated key.
        line: usize,
        /// The 1-based line of the key's first occurrence.
        first_line: usize,
    },
    /// The spec breaks one or more of our rules (see [`crate::rules`]).
    #[error("{} breaks {} spec rule(s):\n{}", path.display(), violations.len(), list(violations))]
    Rules {
        /// The spec file.
        path: PathBuf,
        /// Every violation found, in document order.
        violations: Vec<Violation>,
    },
    /// progenitor refused the spec or failed while generating code from it.
    #[error("{}: progenitor could not generate the client: {message}", path.display())]
    Generate {
        /// The spec file.
        path: PathBuf,
        /// progenitor's message, or its panic message.
        message: String,
    },
}

/// One broken spec rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Short, stable name of the rule (`operation-id`, `local-refs`, ...).
    pub rule: &'static str,
    /// Where: `operation `id` (METHOD /path)` or a JSON pointer into the spec.
    pub location: String,
    /// What is wrong, and how to fix it where that is not obvious.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: [{}] {}", self.location, self.rule, self.message)
    }
}

fn list(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| format!("  - {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// `Ok` when `violations` is empty, else [`Error::Rules`] for `spec` with all of them.
    pub(crate) fn unless_clean(
        spec: &crate::Spec,
        violations: Vec<Violation>,
    ) -> Result<(), Error> {
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Error::Rules {
                path: spec.path.clone(),
                violations,
            })
        }
    }
}
