//! Snapshots of what goes over the wire: the request each scenario puts there, and how each
//! documented response of each operation decodes. Any change to either shows up as a
//! reviewable `.snap` diff in `tests/snapshots/`; with `CI=true` insta writes nothing and
//! fails on any mismatch or missing snapshot.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use digicert_tests::scenarios::{self, responses_snapshot_name};
use digicert_tests::{Family, Reply, exchange, operation, outcome_json, spec};
use serde_json::Value;

/// Checks snapshots one after another and reports every mismatch at the end, so a spec
/// change shows all the snapshots it affects in one run.
#[derive(Default)]
struct Snapshots {
    failed: Vec<String>,
}

impl Snapshots {
    #[track_caller]
    fn check(&mut self, name: &str, description: &str, value: &Value) {
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings.set_description(description);
        settings.set_omit_expression(true);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            settings.bind(|| insta::assert_json_snapshot!(name, value));
        }));
        if outcome.is_err() {
            self.failed.push(name.to_owned());
        }
    }

    #[track_caller]
    fn finish(self) {
        assert!(
            self.failed.is_empty(),
            "{} snapshot(s) differ or are missing: {}\nreview them (see README, \"When the spec changes\")",
            self.failed.len(),
            self.failed.join(", ")
        );
    }
}

#[tokio::test]
async fn every_scenario_puts_its_snapshotted_request_on_the_wire() {
    let mut snapshots = Snapshots::default();
    for scenario in scenarios::all() {
        let op = operation(scenario.family, scenario.operation);
        // The reply does not matter here; the responses have their own snapshots.
        let exchanged = exchange(op, &scenario.input(), Reply::empty(204)).await;
        snapshots.check(
            &scenario.snapshot_name(),
            scenario.about,
            &exchanged.request,
        );
    }
    snapshots.finish();
}

#[tokio::test]
async fn every_documented_response_decodes_as_snapshotted() {
    let mut snapshots = Snapshots::default();
    for family in Family::ALL {
        for op in spec::operations(family) {
            let harness = operation(family, &op.id);
            let mut outcomes = BTreeMap::new();
            for documented in &op.responses {
                let reply = match &documented.example {
                    Some(body) => Reply::json(documented.status, body),
                    None => Reply::empty(documented.status),
                };
                let exchanged = exchange(harness, &op.example_input, reply).await;
                outcomes.insert(
                    documented.status.to_string(),
                    outcome_json(&exchanged.outcome),
                );
            }
            let about = format!(
                "{} {}: each documented status answered with the spec's example, as the client decodes it",
                op.method, op.path
            );
            let value = serde_json::to_value(outcomes).expect("JSON");
            snapshots.check(&responses_snapshot_name(family, &op.id), &about, &value);
        }
    }
    snapshots.finish();
}
