//! The coverage gate: every operation of both specs has request-shape snapshots and a
//! responses snapshot, and every snapshot belongs to an operation (and scenario) that
//! still exists. Adding an operation to a spec without snapshots fails here, by name.

use std::collections::BTreeSet;

use digicert_tests::scenarios::{self, responses_snapshot_name};
use digicert_tests::{Family, spec};

/// Snapshot names (file stems) in `tests/snapshots/`.
fn snapshot_files() -> BTreeSet<String> {
    let dir = spec::workspace_root().join("tests/snapshots");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    entries
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".snap").map(str::to_owned)
        })
        .collect()
}

#[test]
fn every_operation_has_request_and_response_snapshots_and_no_snapshot_is_stale() {
    let files = snapshot_files();
    let scenarios = scenarios::all();
    let mut problems = Vec::new();
    let mut expected = BTreeSet::new();

    for family in Family::ALL {
        for op in spec::operations(family) {
            let requests: Vec<String> = scenarios
                .iter()
                .filter(|s| s.family == family && s.operation == op.id)
                .map(|s| s.snapshot_name())
                .collect();
            if requests.is_empty() {
                problems.push(format!(
                    "{} operation `{}` ({} {}) has no request-shape scenario: add one to tests/src/scenarios.rs",
                    family.name(),
                    op.id,
                    op.method,
                    op.path
                ));
            }
            for name in requests
                .into_iter()
                .chain([responses_snapshot_name(family, &op.id)])
            {
                if !files.contains(&name) {
                    problems.push(format!(
                        "snapshot `{name}` is missing from tests/snapshots/"
                    ));
                }
                expected.insert(name);
            }
        }
    }
    for scenario in &scenarios {
        let name = scenario.snapshot_name();
        if !expected.contains(&name) {
            problems.push(format!(
                "scenario `{name}` names an operation that is not in the {} spec",
                scenario.family.name()
            ));
        }
    }
    for stale in files.difference(&expected) {
        problems.push(format!(
            "snapshot `{stale}.snap` belongs to no operation or scenario any more: delete it"
        ));
    }
    assert!(
        problems.is_empty(),
        "snapshot coverage:\n  {}",
        problems.join("\n  ")
    );
}
