//! Tests of `digicert_codegen::diff`: one fixture spec pair per rule under
//! `tests/diff/<case>/` (`old.yaml` is `tests/diff/base.yaml`, `new.yaml` is that spec with
//! one change, named on its first line), the real specs against themselves, odd specs that
//! must not panic, the semver bump and the three report formats.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use digicert_codegen::diff::{Change, Report, Severity, diff};
use digicert_codegen::{Family, Spec, rules};
use serde_json::{Value, json};

use Severity::{Breaking, DocsOnly, NonBreaking};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff")
}

#[track_caller]
fn load(path: &Path) -> Spec {
    digicert_codegen::load(path)
        .unwrap_or_else(|err| panic!("{} should load, but: {err}", path.display()))
}

/// Diffs `tests/diff/<case>/old.yaml` with `new.yaml` and checks the report: exactly the
/// expected `(severity, rule)` pairs, in order, each change's `[rule] location: message`
/// containing its fragment. Also checks that each side diffed against itself is empty and
/// that the report is the same every time.
#[track_caller]
fn check(case: &str, expected: &[(Severity, &str, &str)]) {
    let old = load(&fixtures().join(case).join("old.yaml"));
    let new = load(&fixtures().join(case).join("new.yaml"));
    assert_report(case, &diff(&old, &new), expected);
    assert_eq!(
        diff(&old, &new),
        diff(&old, &new),
        "{case}: not deterministic"
    );
    assert!(
        diff(&old, &old).is_empty(),
        "{case}: old.yaml against itself"
    );
    assert!(
        diff(&new, &new).is_empty(),
        "{case}: new.yaml against itself"
    );
}

/// Like [`check`], with `new.yaml` as the old side and `old.yaml` as the new one.
#[track_caller]
fn check_reversed(case: &str, expected: &[(Severity, &str, &str)]) {
    let old = load(&fixtures().join(case).join("old.yaml"));
    let new = load(&fixtures().join(case).join("new.yaml"));
    assert_report(&format!("{case} (reversed)"), &diff(&new, &old), expected);
}

#[track_caller]
fn assert_report(case: &str, report: &Report, expected: &[(Severity, &str, &str)]) {
    let got: Vec<(Severity, &str)> = report
        .changes
        .iter()
        .map(|c| (c.severity, c.rule))
        .collect();
    let want: Vec<(Severity, &str)> = expected.iter().map(|(s, r, _)| (*s, *r)).collect();
    assert_eq!(got, want, "{case}: the report was\n{}", report.to_text());
    for (change, (_, _, fragment)) in report.changes.iter().zip(expected) {
        let shown = change.to_string();
        assert!(
            shown.contains(fragment),
            "{case}: expected `{fragment}` in\n{shown}"
        );
    }
}

/// One `#[test]` per fixture directory, and the list of them all.
macro_rules! cases {
    ($($case:ident => [$($expected:expr),* $(,)?];)+) => {
        $(
            #[test]
            fn $case() {
                check(stringify!($case), &[$($expected),*]);
            }
        )+
        const CASES: &[&str] = &[$(stringify!($case)),+];
    };
}

cases! {
    // Operations.
    operation_removed => [
        (Breaking, "operation-removed", "GET /things/{thing_id} (get_thing): the operation is gone: the Rust method `get_thing` disappears"),
    ];
    operation_moved => [
        (Breaking, "operation-moved", "POST /things (create_thing): moved to POST /items"),
    ];
    operation_id_renamed => [
        (Breaking, "operation-id-renamed", "the Rust method `get_thing` becomes `fetch_thing`"),
    ];
    operation_added => [
        (NonBreaking, "operation-added", "DELETE /things/{thing_id} (delete_thing): a new operation"),
    ];
    operation_deprecated => [
        (NonBreaking, "deprecated-changed", "GET /things/{thing_id} (get_thing): `deprecated` changed from none to true"),
    ];

    // Request bodies.
    required_request_field_added => [
        (Breaking, "required-request-field-added", "POST /things (create_thing) request body .owner: a new required field"),
    ];
    optional_request_field_added => [
        (NonBreaking, "optional-request-field-added", "POST /things (create_thing) request body .note: a new optional field"),
    ];
    request_field_removed => [
        (Breaking, "request-field-removed", "POST /things (create_thing) request body .size: removed"),
    ];
    request_field_type_changed => [
        (Breaking, "request-field-type-changed", "request body .size: changed from `integer` (format `int64`) to `string`"),
    ];
    request_field_became_required => [
        (Breaking, "request-field-became-required", "request body .size: now required: requests that leave it unset fail; the Rust field type changes from `Option<T>` to `T`"),
    ];
    request_field_became_optional => [
        (Breaking, "request-field-became-optional", "request body .name: no longer required: the Rust field type changes from `T` to `Option<T>`"),
    ];
    enum_value_removed_from_request => [
        (Breaking, "request-enum-value-removed", "request body .kind: enum value(s) `large` removed"),
    ];
    enum_value_added_to_request => [
        (NonBreaking, "request-enum-value-added", "request body .kind: enum value(s) `medium` added"),
    ];
    max_lowered => [
        (Breaking, "request-constraint-narrowed", "request body .name: `maxLength` changed from 64 to 32"),
    ];
    max_raised => [
        (NonBreaking, "request-constraint-widened", "request body .name: `maxLength` changed from 64 to 128"),
    ];
    pattern_added => [
        (Breaking, "request-constraint-narrowed", "request body .name: `pattern` \"^[a-z]+$\" added"),
    ];
    nullable_removed_from_request => [
        (Breaking, "request-constraint-narrowed", "request body .comment: `nullable` removed"),
    ];
    default_added => [
        (Breaking, "request-field-type-changed", "request body .size: `default` added: typify gives an optional field with a default no `Option`, so the Rust field type changes from `Option<T>` to `T`"),
        (NonBreaking, "default-changed", "request body .size: `default` changed from none to 1"),
    ];
    request_body_required_changed => [
        (NonBreaking, "request-body-required-changed", "POST /things (create_thing) request body: `required` changed from true to false"),
    ];
    request_body_added => [
        (Breaking, "request-body-added", "GET /things/{thing_id} (get_thing) request body: the operation now takes a required body (body `CreateThing`)"),
    ];

    // Parameters.
    required_request_param_added => [
        (Breaking, "required-request-param-added", "GET /things/{thing_id} (get_thing) query parameter expand: a new required parameter"),
    ];
    optional_request_param_added => [
        (NonBreaking, "optional-request-param-added", "GET /things/{thing_id} (get_thing) query parameter fields: a new optional parameter"),
    ];
    request_param_removed => [
        (Breaking, "request-param-removed", "query parameter verbose: removed: its builder method `verbose` disappears"),
    ];
    request_param_became_required => [
        (Breaking, "request-param-became-required", "query parameter verbose: now required"),
    ];
    request_param_unclassified => [
        (Breaking, "unclassified-change", "query parameter verbose: `allowEmptyValue` changed from none to true"),
    ];

    // Responses: `Thing` is the body of both operations, so each change shows twice.
    response_field_removed => [
        (Breaking, "response-field-removed", "GET /things/{thing_id} (get_thing) response 200 .count: removed"),
        (Breaking, "response-field-removed", "POST /things (create_thing) response 201 .count: removed"),
    ];
    response_field_type_changed => [
        (Breaking, "response-field-type-changed", "response 200 .count: changed from `integer` (format `int64`) to `number`"),
        (Breaking, "response-field-type-changed", "response 201 .count"),
    ];
    response_constraint_changes_rust_type => [
        (Breaking, "response-field-type-changed", "response 200 .name: `maxLength` 64 added; the Rust type changes from `String` to a `String` newtype"),
        (Breaking, "response-field-type-changed", "response 201 .name"),
    ];
    response_constraint_changed => [
        (NonBreaking, "response-constraint-changed", "response 200 .count: `maximum` 1000 added (the Rust type stays the same)"),
        (NonBreaking, "response-constraint-changed", "response 201 .count"),
    ];
    response_integer_bound_changes_rust_type => [
        (Breaking, "response-field-type-changed", "response 200 .count: `minimum` 1 added; the Rust type changes from `i64` to `NonZeroU64`"),
        (Breaking, "response-field-type-changed", "response 201 .count"),
    ];
    response_field_added => [
        (NonBreaking, "response-field-added", "response 200 .label: a new optional field"),
        (NonBreaking, "response-field-added", "response 201 .label"),
    ];
    response_field_became_optional => [
        (Breaking, "response-field-became-optional", "response 200 .name: no longer required: the Rust field type changes from `T` to `Option<T>`"),
        (Breaking, "response-field-became-optional", "response 201 .name"),
    ];
    response_field_became_required => [
        (Breaking, "response-field-became-required", "response 200 .count: now required: the Rust field type changes from `Option<T>` to `T`"),
        (Breaking, "response-field-became-required", "response 201 .count"),
    ];
    response_enum_value_added_closed => [
        (Breaking, "response-enum-value-added", "response 200 .color: enum value(s) `blue` added to a closed enum"),
        (Breaking, "response-enum-value-added", "response 201 .color"),
    ];
    response_enum_value_removed => [
        (Breaking, "response-enum-value-removed", "response 200 .color: enum value(s) `green` removed"),
        (Breaking, "response-enum-value-removed", "response 201 .color"),
    ];
    known_values_added_open => [
        (NonBreaking, "known-values-changed", "response 200 .status: x-known-values: added [archived], removed []"),
        (NonBreaking, "known-values-changed", "response 201 .status"),
    ];
    success_kind_changed => [
        (Breaking, "success-kind-changed", "POST /things (create_thing) response 201: body `Thing` became no body"),
    ];
    success_schema_changed => [
        (Breaking, "success-kind-changed", "response 201: body `Thing` became body `CreateThing`"),
        (DocsOnly, "example-changed", "POST /things (create_thing) responses/201/content/application/json/example"),
    ];
    success_status_added => [
        (NonBreaking, "success-status-added", "POST /things (create_thing) response 200: a new success status with body `Thing`"),
    ];
    success_status_removed => [
        (NonBreaking, "success-status-added", "response 200"),
        (Breaking, "success-status-removed", "response 201: no longer documented"),
    ];
    response_headers_changed => [
        (NonBreaking, "response-headers-changed", "GET /things/{thing_id} (get_thing) response 200: the documented response headers changed"),
    ];
    error_status_added => [
        (NonBreaking, "error-status-added", "GET /things/{thing_id} (get_thing) response 400: a new documented error status"),
    ];
    // Both operations' errors use `Error`: the change is listed once, at the schema.
    error_response_changed => [
        (NonBreaking, "error-response-changed", "components/schemas/Error (error body) .errors[].message: removed"),
    ];

    // Authentication.
    auth_scheme_changed => [
        (Breaking, "auth-scheme-changed", "components/securitySchemes/TestApiKey: `name` changed from \"X-TEST-APIKEY\" to \"X-OTHER-KEY\""),
    ];
    auth_header_case_only => [];
    operation_security_changed => [
        (Breaking, "auth-scheme-changed", "POST /things (create_thing): `security` now names `OtherKey` instead of `TestApiKey`"),
        (NonBreaking, "security-scheme-added", "components/securitySchemes/OtherKey"),
    ];

    // typify names an inline schema's type after its `title`; a component keeps its key.
    inline_title_changed => [
        (Breaking, "request-field-type-changed", "request body .kind: `title` changed from none to \"SizeClass\""),
    ];
    component_title_changed => [
        (DocsOnly, "title-changed", "components/schemas/Thing/title: `title` added: \"A thing\""),
    ];

    // The rest of the document.
    schema_added => [
        (NonBreaking, "schema-added", "components/schemas/Label: a new Rust type `types::Label`"),
    ];
    schema_renamed => [
        (Breaking, "request-field-type-changed", "POST /things (create_thing) request body: now `NewThing` instead of `CreateThing`: the Rust type changes from `types::CreateThing` to `types::NewThing`"),
        (Breaking, "schema-renamed", "components/schemas/CreateThing: renamed to `NewThing`"),
    ];
    openapi_version_changed => [
        (NonBreaking, "openapi-version-changed", "openapi: `openapi` changed from \"3.0.3\" to \"3.0.2\""),
    ];
    idempotency_changed => [
        (NonBreaking, "idempotency-changed", "POST /things (create_thing): `x-idempotent` changed from none to true"),
    ];
    server_constant_added => [
        (NonBreaking, "servers-changed", "servers: server URLs changed from \"https://test.example/v1\" to \"https://test.example/v1\", \"https://eu.test.example/v1\""),
        (NonBreaking, "server-constant-added", "servers: `x-const: EU_URL`: the client gains the constant `Client::EU_URL`"),
    ];
    aliases_added => [
        (NonBreaking, "aliases-added", "GET /things/{thing_id} (get_thing) response 200 .name: x-aliases: added [title], removed []"),
        (NonBreaking, "aliases-added", "POST /things (create_thing) response 201 .name: x-aliases: added [title], removed []"),
    ];
    pagination_added => [
        (NonBreaking, "pagination-added", "GET /things/{thing_id} (get_thing): `x-pagination` added: the builder gains `stream()`"),
    ];
    info_and_servers => [
        (NonBreaking, "api-version-changed", "info/version: `info.version` changed from \"1.0.0\" to \"1.1.0\""),
        (NonBreaking, "servers-changed", "servers: server URLs changed from \"https://test.example/v1\" to \"https://example.com/api\""),
    ];
    // Documentation: one change per place, in tree order (components before paths).
    docs_only => [
        (DocsOnly, "description-changed", "components/responses/NotFound/description"),
        (DocsOnly, "inferred-changed", "components/schemas/CreateThing/x-inferred: `x-inferred` added"),
        (DocsOnly, "docs-deviation-changed", "components/schemas/Thing/properties/count/x-docs-deviation: `x-docs-deviation` added"),
        (DocsOnly, "description-changed", "components/schemas/Thing/properties/name/description"),
        (DocsOnly, "description-changed", "components/securitySchemes/TestApiKey/description"),
        (DocsOnly, "info-changed", "info/contact: `contact` added"),
        (DocsOnly, "tags-changed", "POST /things (create_thing) tags"),
        (DocsOnly, "external-docs-changed", "GET /things/{thing_id} (get_thing) externalDocs"),
        (DocsOnly, "description-changed", "GET /things/{thing_id} (get_thing) parameters/query verbose/description"),
        (DocsOnly, "example-changed", "GET /things/{thing_id} (get_thing) responses/200/content/application/json/example"),
        (DocsOnly, "summary-changed", "(get_thing) summary: `summary` changed from \"Get a thing\" to \"Fetch one thing\""),
        (DocsOnly, "docs-url-changed", "(get_thing) x-docs-url"),
        (DocsOnly, "key-scope-changed", "(get_thing) x-key-scope: `x-key-scope` changed from \"any\" to \"parent\""),
    ];
}

#[test]
fn reversed_pairs_give_the_opposite_verdicts() {
    check_reversed(
        "operation_added",
        &[(
            Breaking,
            "operation-removed",
            "DELETE /things/{thing_id} (delete_thing)",
        )],
    );
    check_reversed(
        "optional_request_field_added",
        &[(Breaking, "request-field-removed", "request body .note")],
    );
    check_reversed(
        "response_field_added",
        &[
            (Breaking, "response-field-removed", "response 200 .label"),
            (Breaking, "response-field-removed", "response 201 .label"),
        ],
    );
    check_reversed(
        "enum_value_added_to_request",
        &[(Breaking, "request-enum-value-removed", "`medium` removed")],
    );
    check_reversed(
        "max_raised",
        &[(Breaking, "request-constraint-narrowed", "from 128 to 64")],
    );
    check_reversed(
        "request_field_became_required",
        &[(
            Breaking,
            "request-field-became-optional",
            "request body .size",
        )],
    );
    check_reversed(
        "nullable_removed_from_request",
        &[(NonBreaking, "request-constraint-widened", "now nullable")],
    );
    check_reversed(
        "request_body_added",
        &[(Breaking, "request-body-removed", "(get_thing) request body")],
    );
    check_reversed(
        "success_kind_changed",
        &[(
            Breaking,
            "success-kind-changed",
            "no body became body `Thing`",
        )],
    );
    check_reversed(
        "error_status_added",
        &[(NonBreaking, "error-status-removed", "response 400")],
    );
    check_reversed(
        "request_param_became_required",
        &[(
            NonBreaking,
            "request-param-became-optional",
            "query parameter verbose: no longer required",
        )],
    );
    check_reversed(
        "schema_added",
        &[(Breaking, "schema-removed", "`types::Label` disappears")],
    );
}

#[test]
fn every_fixture_directory_has_a_case_and_starts_from_the_base() {
    let base = std::fs::read_to_string(fixtures().join("base.yaml")).expect("base.yaml");
    let base_body = base.splitn(3, '\n').nth(2).expect("base.yaml has a header");
    let mut dirs = BTreeSet::new();
    for entry in std::fs::read_dir(fixtures()).expect("tests/diff") {
        let path = entry.expect("a directory entry").path();
        if !path.is_dir() {
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        dirs.insert(name.to_owned());
        let old = std::fs::read_to_string(path.join("old.yaml")).expect("old.yaml");
        let old_body = old.split_once('\n').map_or("", |(_, rest)| rest);
        assert_eq!(old_body, base_body, "{name}/old.yaml must be base.yaml");
        let new = std::fs::read_to_string(path.join("new.yaml")).expect("new.yaml");
        assert!(
            new.starts_with(&format!("# {name}: ")),
            "{name}/new.yaml must say on its first line what changed"
        );
    }
    let cases: BTreeSet<String> = CASES.iter().map(|c| c.to_string()).collect();
    assert_eq!(dirs, cases, "fixture directories and test cases differ");
}

/// The rule table at the top of `src/diff.rs`: `(rule, severity)` for every rule.
fn documented_rules() -> Vec<(String, Severity)> {
    let source = include_str!("../src/diff.rs");
    let mut rules = Vec::new();
    for line in source
        .lines()
        .take_while(|l| l.starts_with("//!") || l.is_empty())
    {
        let cells: Vec<&str> = line
            .trim_start_matches("//!")
            .split('|')
            .map(str::trim)
            .collect();
        let [_, names, severity, _, _] = cells[..] else {
            continue;
        };
        let severity = match severity {
            "breaking" => Breaking,
            "non-breaking" => NonBreaking,
            "docs-only" => DocsOnly,
            _ => continue,
        };
        for name in names.split('`').skip(1).step_by(2) {
            rules.push((name.to_owned(), severity));
        }
    }
    rules
}

/// Every rule the fixtures produce (both ways round) is in the module's rule table with
/// the severity it reports, and every rule in the table is produced by some fixture.
#[test]
fn every_rule_is_documented_with_its_severity_and_has_a_fixture() {
    let documented = documented_rules();
    assert!(
        documented.len() > 40,
        "the table did not parse: {documented:?}"
    );
    let mut seen = BTreeSet::new();
    for case in CASES {
        let old = load(&fixtures().join(case).join("old.yaml"));
        let new = load(&fixtures().join(case).join("new.yaml"));
        for change in diff(&old, &new)
            .changes
            .into_iter()
            .chain(diff(&new, &old).changes)
        {
            let entry = documented.iter().find(|(rule, _)| rule == change.rule);
            assert_eq!(
                entry.map(|(_, severity)| *severity),
                Some(change.severity),
                "{case}: `{}` is not in the table with this severity: {change}",
                change.rule
            );
            seen.insert(change.rule);
        }
    }
    let missing: Vec<&str> = documented
        .iter()
        .map(|(rule, _)| rule.as_str())
        .filter(|rule| !seen.contains(rule))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}

/// The family the fixtures are written for (like Partner: key scopes, one open enum).
const TEST: Family = Family {
    name: "test",
    spec: "crates/digicert-codegen/tests/diff/base.yaml",
    generated: "crates/digicert-codegen/tests/diff/never-written.rs",
    generated_mock: "crates/digicert-codegen/tests/diff/never-written-mock.rs",
    generated_cli: "crates/digicert-codegen/tests/diff/never-written-cli.rs",
    security_scheme: "TestApiKey",
    key_scope: true,
    always_send_content_type: false,
};

#[test]
fn the_base_fixture_keeps_the_spec_rules() {
    let base = load(&fixtures().join("base.yaml"));
    assert_eq!(rules::violations(&base, &TEST), Vec::new());
}

fn real_specs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the workspace's spec/ directory")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    specs.sort();
    assert!(
        specs.len() >= 2,
        "expected both families in {}",
        dir.display()
    );
    specs
}

#[test]
fn each_real_spec_against_itself_is_empty() {
    for path in real_specs() {
        let spec = load(&path);
        let report = diff(&spec, &spec);
        assert!(
            report.is_empty(),
            "{}:\n{}",
            path.display(),
            report.to_text()
        );
        assert_eq!(report.semver_bump("0.1.0"), None);
    }
}

/// A component shared by a response and two requests gets each use's own severity.
#[test]
fn a_shared_schema_is_classified_per_use() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/partner-subscriptions-v1.yaml");
    let mut old = load(&path);
    // The real spec gives the add/remove requests their own schema (it requires at least
    // one address); share the GET response's schema again, as the test needs.
    for method in ["put", "delete"] {
        let body = old
            .raw
            .pointer_mut(&format!(
                "/paths/~1account~1emergency-emails/{method}/requestBody/content/application~1json/schema"
            ))
            .expect("the emergency-email request bodies");
        *body = json!({"$ref": "#/components/schemas/EmergencyContactEmails"});
    }
    let mut new = old.clone();
    let schema = new
        .raw
        .pointer_mut("/components/schemas/EmergencyContactEmails")
        .and_then(Value::as_object_mut)
        .expect("EmergencyContactEmails");
    schema["required"] = json!(["emergency_contact_emails", "reason"]);
    schema["properties"]["reason"] = json!({"type": "string"});
    let request = new
        .raw
        .pointer_mut("/components/schemas/CreateSubaccountRequest/required")
        .expect("CreateSubaccountRequest.required");
    *request = json!(["name", "api_key_name", "emergency_contact_emails"]);
    assert_report(
        "partner",
        &diff(&old, &new),
        &[
            (
                Breaking,
                "request-field-became-required",
                "POST /account/subaccount (create_subaccount) request body .emergency_contact_emails: now required: requests that leave it unset fail; the Rust field type stays `T`",
            ),
            (
                NonBreaking,
                "response-field-added",
                "GET /account/emergency-emails (get_emergency_emails) response 200 .reason",
            ),
            (
                Breaking,
                "required-request-field-added",
                "PUT /account/emergency-emails (add_emergency_emails) request body .reason",
            ),
            (
                Breaking,
                "required-request-field-added",
                "DELETE /account/emergency-emails (delete_emergency_emails) request body .reason",
            ),
        ],
    );
}

/// Specs that no loader would produce, every pair of them: no panic, and each against
/// itself is empty.
#[test]
fn odd_specs_never_panic() {
    let template = digicert_codegen::parse(
        "odd.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .expect("the template parses");
    let cycle = json!({"$ref": "#/components/schemas/A"});
    let op = |schema: Value| {
        json!({"paths": {"/x": {"get": {
            "parameters": [{"$ref": "#/components/parameters/P"}, 7, {"name": "q", "in": "query", "schema": schema.clone()}],
            "requestBody": {"content": {"application/json": {"schema": schema.clone()}}},
            "responses": {"200": {"content": {"application/json": {"schema": schema}}}, "default": 3},
        }}}})
    };
    let mut odd = vec![
        Value::Null,
        json!([]),
        json!({}),
        json!({"paths": 5, "components": []}),
        json!({"paths": {"/x": 1, "/y": {"get": []}, "/z": {"$ref": "#/paths/~1z"}}}),
        json!({"paths": {"/x": {"get": {"responses": [], "parameters": "p", "requestBody": [], "security": {}}}}}),
        json!({"security": [1, {"A": 2}], "paths": {"/x": {"post": {"operationId": 5}}}}),
        json!({"components": {"securitySchemes": {"A": 1, "B": {"in": 2}}, "schemas": {"A": [], "B": "x"}}}),
        op(json!({"$ref": "#"})),
        op(json!({"$ref": "#/nowhere"})),
        op(json!({"$ref": "https://example.com/x.yaml"})),
        op(json!({"type": ["string", "null"], "enum": "red", "required": "all", "properties": []})),
        op(
            json!({"type": "integer", "minimum": "zero", "maximum": 1e308, "exclusiveMinimum": 3, "format": 5}),
        ),
        op(json!({"type": "string", "maxLength": -1, "pattern": null, "multipleOf": {}})),
        op(json!({"allOf": [1, [], {"not": {"items": true}}], "oneOf": {}, "items": [1, 2]})),
        op(json!({"properties": {"a": {"properties": {"b": {"items": {"x-known-values": 5}}}}}})),
        op(json!("a schema that is a string")),
    ];
    for (name, target) in [
        ("A", json!({"$ref": "#/components/schemas/B"})),
        ("B", cycle.clone()),
    ] {
        let mut spec = op(cycle.clone());
        spec["components"] = json!({"schemas": {"A": {}, "B": {}}, "parameters": {"P": {"$ref": "#/components/parameters/P"}}});
        spec["components"]["schemas"][name] = target;
        odd.push(spec);
    }
    // A self-referencing object that changes inside: followed once, not forever.
    let recursive = |kind: &str| {
        let mut spec = op(cycle.clone());
        spec["components"] = json!({"schemas": {"A": {"properties": {
            "child": {"$ref": "#/components/schemas/A"},
            "value": {"type": kind},
        }}}});
        spec
    };
    odd.push(recursive("string"));
    odd.push(recursive("integer"));

    let specs: Vec<Spec> = odd
        .into_iter()
        .map(|raw| Spec {
            raw,
            ..template.clone()
        })
        .collect();
    for (i, a) in specs.iter().enumerate() {
        assert!(
            diff(a, a).is_empty(),
            "odd spec #{i} against itself: {:?}",
            diff(a, a)
        );
        for b in &specs {
            let report = diff(a, b);
            let _ = (report.to_text(), report.to_markdown(), report.to_json());
        }
    }
    let n = specs.len();
    assert_report(
        "recursive",
        &diff(&specs[n - 2], &specs[n - 1]),
        &[
            (
                Breaking,
                "request-field-type-changed",
                "GET /x query parameter q .value",
            ),
            (
                Breaking,
                "request-field-type-changed",
                "GET /x request body .value",
            ),
            (
                Breaking,
                "response-field-type-changed",
                "GET /x response 200 .value",
            ),
        ],
    );
}

/// Thirty levels of schemas that each use the next one twice: 2^30 paths. The diff stops
/// at its budget and says so, instead of running for hours.
#[test]
fn an_exploding_spec_stops_at_the_budget() {
    let template = digicert_codegen::parse(
        "explode.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .expect("the template parses");
    let spec = |leaf: &str| {
        let mut schemas = serde_json::Map::new();
        for level in 0..30 {
            let next = json!({"$ref": format!("#/components/schemas/S{}", level + 1)});
            schemas.insert(
                format!("S{level}"),
                json!({"properties": {"a": next.clone(), "b": next}}),
            );
        }
        schemas.insert("S30".into(), json!({"type": leaf}));
        let raw = json!({
            "paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/S0"}
            }}}}}}},
            "components": {"schemas": schemas},
        });
        Spec {
            raw,
            ..template.clone()
        }
    };
    let report = diff(&spec("string"), &spec("integer"));
    assert!(report.is_breaking());
    let last = report.changes.last().expect("changes");
    assert_eq!(last.rule, "unclassified-change", "{last}");
    assert!(last.message.contains("too deeply"), "{last}");
}

/// Two thousand schemas, each holding the next: the comparison stops at its depth limit
/// instead of overflowing the stack.
#[test]
fn a_deep_chain_of_refs_stops_at_the_depth_limit() {
    let template = digicert_codegen::parse(
        "deep.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .expect("the template parses");
    let spec = |leaf: &str| {
        let mut schemas = serde_json::Map::new();
        for level in 0..2000 {
            let next = json!({"$ref": format!("#/components/schemas/S{}", level + 1)});
            schemas.insert(format!("S{level}"), json!({"properties": {"next": next}}));
        }
        schemas.insert("S2000".into(), json!({"type": leaf}));
        let raw = json!({
            "paths": {"/x": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/S0"}
            }}}, "responses": {"204": {"description": "done"}}}}},
            "components": {"schemas": schemas},
        });
        Spec {
            raw,
            ..template.clone()
        }
    };
    let report = diff(&spec("string"), &spec("integer"));
    let rules: Vec<&str> = report.changes.iter().map(|c| c.rule).collect();
    assert_eq!(rules, ["unclassified-change"], "{}", report.to_text());
    assert!(report.changes[0].message.contains("too deeply"));
    assert!(diff(&spec("string"), &spec("string")).is_empty());
}

fn report(severities: &[Severity]) -> Report {
    Report {
        changes: severities
            .iter()
            .enumerate()
            .map(|(i, &severity)| Change {
                severity,
                rule: match severity {
                    Breaking => "operation-removed",
                    NonBreaking => "operation-added",
                    DocsOnly => "summary-changed",
                },
                location: format!("GET /x{i} (x{i})"),
                message: format!("change {i} | with a pipe"),
            })
            .collect(),
    }
}

#[test]
fn semver_bump_before_1_0() {
    assert_eq!(report(&[]).semver_bump("0.1.0"), None);
    assert_eq!(
        report(&[DocsOnly, Breaking])
            .semver_bump("0.1.0")
            .as_deref(),
        Some("0.2.0")
    );
    assert_eq!(
        report(&[NonBreaking]).semver_bump("0.1.0").as_deref(),
        Some("0.1.1")
    );
    assert_eq!(
        report(&[DocsOnly]).semver_bump("0.1.3").as_deref(),
        Some("0.1.4")
    );
    assert_eq!(
        report(&[Breaking]).semver_bump("0.0.7").as_deref(),
        Some("0.1.0")
    );
    assert_eq!(
        report(&[Breaking]).semver_bump("0.2.0-alpha.1").as_deref(),
        Some("0.3.0")
    );
}

#[test]
fn semver_bump_from_1_0() {
    assert_eq!(
        report(&[NonBreaking, Breaking])
            .semver_bump("1.2.3")
            .as_deref(),
        Some("2.0.0")
    );
    assert_eq!(
        report(&[DocsOnly, NonBreaking])
            .semver_bump("1.2.3")
            .as_deref(),
        Some("1.3.0")
    );
    assert_eq!(
        report(&[DocsOnly]).semver_bump("1.2.3").as_deref(),
        Some("1.2.4")
    );
    assert_eq!(
        report(&[NonBreaking])
            .semver_bump(" 2.0.0+build.5 ")
            .as_deref(),
        Some("2.1.0")
    );
}

#[test]
fn semver_bump_refuses_what_is_not_a_version() {
    for current in ["", "1", "1.2", "1.2.3.4", "v1.2.3", "a.b.c", "1..3"] {
        assert_eq!(
            report(&[Breaking]).semver_bump(current),
            None,
            "{current:?}"
        );
    }
    let max = u64::MAX;
    assert_eq!(report(&[Breaking]).semver_bump(&format!("0.{max}.0")), None);
    assert_eq!(report(&[DocsOnly]).semver_bump(&format!("1.0.{max}")), None);
}

#[test]
fn text_lists_breaking_changes_first_and_ends_with_the_verdict() {
    let text = report(&[DocsOnly, NonBreaking, Breaking]).to_text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "breaking (1):",
            "  [operation-removed] GET /x2 (x2): change 2 | with a pipe",
            "non-breaking (1):",
            "  [operation-added] GET /x1 (x1): change 1 | with a pipe",
            "docs-only (1):",
            "  [summary-changed] GET /x0 (x0): change 0 | with a pipe",
            "verdict: breaking (1 breaking, 1 non-breaking, 1 docs-only)",
        ]
    );
    assert_eq!(
        report(&[]).to_text(),
        "no changes\nverdict: no changes (0 breaking, 0 non-breaking, 0 docs-only)\n"
    );
    let docs = report(&[DocsOnly]).to_text();
    assert!(docs.ends_with("verdict: docs-only (0 breaking, 0 non-breaking, 1 docs-only)\n"));
}

#[test]
fn markdown_has_the_verdict_and_a_table() {
    let markdown = report(&[NonBreaking, Breaking]).to_markdown();
    let lines: Vec<&str> = markdown.lines().collect();
    assert_eq!(
        lines,
        [
            "**Verdict: breaking** (1 breaking, 1 non-breaking, 0 docs-only)",
            "",
            "| severity | rule | location | change |",
            "|---|---|---|---|",
            "| breaking | `operation-removed` | `GET /x1 (x1)` | change 1 \\| with a pipe |",
            "| non-breaking | `operation-added` | `GET /x0 (x0)` | change 0 \\| with a pipe |",
        ]
    );
    let empty = report(&[]).to_markdown();
    assert!(empty.starts_with("**Verdict: no changes**"), "{empty}");
    assert!(!empty.contains("| severity |"), "{empty}");
}

#[test]
fn json_has_changes_the_verdict_and_counts() {
    let value = report(&[DocsOnly, Breaking, DocsOnly]).to_json();
    assert_eq!(value["breaking"], json!(true));
    assert_eq!(value["verdict"], json!("breaking"));
    assert_eq!(
        value["counts"],
        json!({"breaking": 1, "non_breaking": 0, "docs_only": 2, "total": 3})
    );
    assert_eq!(
        value["changes"][1],
        json!({
            "severity": "breaking",
            "rule": "operation-removed",
            "location": "GET /x1 (x1)",
            "message": "change 1 | with a pipe",
        })
    );
    assert_eq!(value["changes"].as_array().map(Vec::len), Some(3));

    let empty = report(&[]).to_json();
    assert_eq!(empty["breaking"], json!(false));
    assert_eq!(empty["verdict"], json!("no changes"));
    assert_eq!(empty["changes"], json!([]));
    assert_eq!(empty["counts"]["total"], json!(0));
}

#[test]
fn severity_orders_breaking_first() {
    let mut all = vec![DocsOnly, Breaking, NonBreaking];
    all.sort();
    assert_eq!(all, [Breaking, NonBreaking, DocsOnly]);
    assert_eq!(
        report(&[DocsOnly, NonBreaking]).severity(),
        Some(NonBreaking)
    );
    assert!(!report(&[DocsOnly, NonBreaking]).is_breaking());
    assert!(report(&[DocsOnly, Breaking]).is_breaking());
    assert_eq!(
        report(&[DocsOnly, NonBreaking, DocsOnly]).count(DocsOnly),
        2
    );
}
