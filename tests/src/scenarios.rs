//! The request scenarios whose wire shapes are snapshotted: at least one per operation,
//! and for operations with a body or parameters a minimal and a full one, plus the edge
//! shapes users hit (DELETE with a body, empty lists, `"0"` as a string, huge ids).
//!
//! Adding an operation: add its [`crate::OPERATIONS`] line and its scenarios to the
//! family's module (`partner.rs`, `services.rs`), run the tests, review the new `.snap`
//! files in `tests/snapshots/`.

use serde_json::Value;

use crate::{Family, Input};

mod partner;
mod services;

/// One request to snapshot.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Which family.
    pub family: Family,
    /// The operationId.
    pub operation: &'static str,
    /// Short snake_case name; the snapshot is `<family>__<operation>__<name>`.
    pub name: &'static str,
    /// What a reviewer should expect on the wire, in a sentence.
    pub about: &'static str,
    /// `{"params": {...}, "body": ...}`; both optional.
    pub input: Value,
}

impl Scenario {
    /// The snapshot name: `<family>__<operation>__<name>`.
    pub fn snapshot_name(&self) -> String {
        format!("{}__{}__{}", self.family.name(), self.operation, self.name)
    }

    /// The input as the harness passes it to the operation.
    pub fn input(&self) -> Input {
        Input {
            params: self
                .input
                .get("params")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            body: self.input.get("body").cloned(),
        }
    }
}

/// The name of the snapshot that holds an operation's decoded responses.
pub fn responses_snapshot_name(family: Family, operation: &str) -> String {
    format!("{}__{operation}__responses", family.name())
}

pub(crate) fn scenario(
    family: Family,
    operation: &'static str,
    name: &'static str,
    about: &'static str,
    input: Value,
) -> Scenario {
    Scenario {
        family,
        operation,
        name,
        about,
        input,
    }
}

/// Every scenario, grouped by family and operation.
pub fn all() -> Vec<Scenario> {
    let mut all = partner::scenarios();
    all.extend(services::scenarios());
    all
}
