//! Tests of the `lint` checks beyond the spec rules, against fixtures in `tests/lint/`:
//! each is `tests/fixtures/valid.yaml` with one lint problem, named on its first line.

use std::path::PathBuf;

use digicert_codegen::lint::{LintReport, lint};
use digicert_codegen::{Family, PARTNER};

/// The fixtures' family: `valid.yaml`'s scheme, header and open enum.
const TEST: Family = Family {
    name: "test",
    spec: "crates/digicert-codegen/tests/fixtures/valid.yaml",
    generated: "never-written.rs",
    generated_mock: "never-written-mock.rs",
    generated_cli: "never-written-cli.rs",
    security_scheme: "TestApiKey",
    key_scope: true,
    always_send_content_type: false,
};

fn report(path: PathBuf) -> LintReport {
    let spec = digicert_codegen::load(&path).unwrap_or_else(|e| panic!("{e}"));
    lint(&spec, &TEST)
}

/// Asserts that the lint fixture `name` has exactly one problem, of `rule`, at a location
/// containing `location`, saying `fragment`.
#[track_caller]
fn assert_lint(name: &str, rule: &str, location: &str, fragment: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lint")
        .join(name);
    let found = report(path).violations;
    assert_eq!(
        found.len(),
        1,
        "{name}: expected one problem, found {found:#?}"
    );
    let v = &found[0];
    assert_eq!(v.rule, rule, "{name}: {v}");
    assert!(
        v.location.contains(location),
        "{name}: location {}",
        v.location
    );
    assert!(
        v.message.contains(fragment),
        "{name}: message {}",
        v.message
    );
}

#[test]
fn the_valid_fixture_lints_clean() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid.yaml");
    let report = report(path);
    assert_eq!(report.violations, Vec::new());
    assert_eq!(report.inferred, ["/components/schemas/Thing/x-inferred"]);
}

#[test]
fn examples_must_match_their_schema() {
    assert_lint(
        "bad_example.yaml",
        "example-valid",
        "/paths/~1things~1{thing_id}/get/responses/200/content/application~1json/example",
        "/id: \"one\" is not of type \"integer\"",
    );
    assert_lint(
        "bad_property_example.yaml",
        "example-valid",
        "/components/schemas/Thing/properties/count/example",
        "\"many\" is not of type \"integer\"",
    );
}

#[test]
fn every_component_schema_is_used() {
    assert_lint(
        "unused_schema.yaml",
        "unused-schema",
        "/components/schemas/Orphan",
        "no operation uses",
    );
}

#[test]
fn path_parameters_are_declared() {
    assert_lint(
        "undeclared_path_param.yaml",
        "path-params",
        "operation `get_thing` (GET /owners/{owner}/things/{thing_id})",
        "`{owner}` is in the path but not declared",
    );
}

#[test]
fn every_operation_documents_a_4xx() {
    assert_lint(
        "no_4xx.yaml",
        "documents-4xx",
        "operation `create_thing`",
        "documents no 4xx",
    );
}

#[test]
fn docs_urls_point_at_digicert() {
    assert_lint(
        "foreign_docs_url.yaml",
        "provenance",
        "operation `get_thing` (GET /things/{thing_id}) at /paths/~1things~1{thing_id}/get",
        "https://example.com/digicert/get-thing.html",
    );
}

#[test]
fn lint_includes_the_spec_rules() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/no_docs_url.yaml");
    let found = report(path).violations;
    assert!(found.iter().any(|v| v.rule == "x-docs-url"), "{found:#?}");
    // And the real Partner spec is clean under its own family.
    let partner = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(PARTNER.spec);
    let spec = digicert_codegen::load(&partner).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lint(&spec, &PARTNER).violations, Vec::new());
}

#[test]
fn paged_operations_take_offset_and_limit() {
    assert_lint(
        "pagination_without_limit.yaml",
        "x-pagination",
        "operation `list_things` (GET /things)",
        "a paged operation needs the integer query parameter `limit`",
    );
}

/// Issue: the client's build script used to check fewer rules than `cargo xtask lint`, so
/// an undeclared path parameter or a type typo reached progenitor, which panicked with a
/// backtrace. Rendering now lints first, with every rule, in every path.
#[test]
fn rendering_refuses_what_the_linter_finds_before_progenitor_runs() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests");
    for (file, rule, location) in [
        (
            "lint/undeclared_path_param.yaml",
            "path-params",
            "operation `get_thing`",
        ),
        (
            "fixtures/bad_schema_type.yaml",
            "schema-type",
            "/components/schemas/Thing/properties/id",
        ),
    ] {
        let spec = digicert_codegen::load(&dir.join(file)).unwrap_or_else(|e| panic!("{e}"));
        let err = digicert_codegen::render(&spec, &TEST).expect_err("must not render");
        let text = err.to_string();
        let digicert_codegen::Error::Rules { violations, .. } = err else {
            panic!("{file}: expected the linter's refusal, got {text}");
        };
        assert!(
            violations
                .iter()
                .any(|v| v.rule == rule && v.location.contains(location)),
            "{file}: {text}"
        );
        // The type typo is reported where it is, not at the example that uses it.
        assert!(
            violations.iter().all(|v| v.rule != "example-valid"),
            "{file}: {text}"
        );
    }
}
