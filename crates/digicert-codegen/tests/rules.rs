//! Tests of the codegen crate's spec rules and load-time errors, against small fixture
//! specs in `tests/fixtures/`: `valid.yaml` keeps every rule, and each other fixture is
//! that file with one thing broken (its first line says what, and which rules it breaks).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use digicert_codegen::{Error, Family, PARTNER, SERVICES, Spec, Violation, rules};

/// The family the fixtures are written for: shaped like Partner (key scopes required),
/// with its own scheme and one open enum, so that every rule has something to check.
const TEST: Family = Family {
    name: "test",
    spec: "crates/digicert-codegen/tests/fixtures/valid.yaml",
    generated: "crates/digicert-codegen/tests/fixtures/never-written.rs",
    generated_mock: "crates/digicert-codegen/tests/fixtures/never-written-mock.rs",
    generated_cli: "crates/digicert-codegen/tests/fixtures/never-written-cli.rs",
    security_scheme: "TestApiKey",
    key_scope: true,
    always_send_content_type: false,
};

/// `TEST`, but like Services: operations need no `x-key-scope`.
const TEST_WITHOUT_KEY_SCOPE: Family = Family {
    key_scope: false,
    ..TEST
};

/// Where `get_thing` and `create_thing` are reported.
const GET_THING: &str = "operation `get_thing` (GET /things/{thing_id})";
const CREATE_THING: &str = "operation `create_thing` (POST /things)";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

#[track_caller]
fn load(name: &str) -> Spec {
    digicert_codegen::load(&fixture(name))
        .unwrap_or_else(|err| panic!("{name} should load, but: {err}"))
}

#[track_caller]
fn load_error(name: &str) -> Error {
    match digicert_codegen::load(&fixture(name)) {
        Ok(_) => panic!("{name} should fail to load"),
        Err(err) => {
            let shown = err.to_string();
            assert!(
                shown.contains(name),
                "the message should name {name}: {shown}"
            );
            err
        }
    }
}

/// Every violation of `fixture` under `family`, after checking that `rules::check` agrees
/// with `rules::violations` and that its error names the fixture file and each violation.
#[track_caller]
fn violations(name: &str, family: &Family) -> Vec<Violation> {
    let spec = load(name);
    let found = rules::violations(&spec, family);
    match rules::check(&spec, family) {
        Ok(()) => assert!(found.is_empty(), "check passed, but: {found:#?}"),
        Err(err) => {
            let shown = err.to_string();
            let Error::Rules { path, violations } = err else {
                panic!("{name}: expected Error::Rules, got {shown}");
            };
            assert_eq!(path, fixture(name));
            assert_eq!(violations, found);
            assert!(
                shown.contains(name),
                "the message should name {name}: {shown}"
            );
            for violation in &violations {
                assert!(
                    shown.contains(&violation.to_string()),
                    "{shown}\nshould list {violation}"
                );
            }
        }
    }
    found
}

fn rules_of(violations: &[Violation]) -> BTreeSet<&'static str> {
    violations.iter().map(|v| v.rule).collect()
}

/// Asserts that one of `violations` breaks `rule` at `location` (a substring) with a
/// message containing `fragment`.
#[track_caller]
fn assert_has(violations: &[Violation], rule: &str, location: &str, fragment: &str) {
    assert!(
        violations.iter().any(|v| v.rule == rule
            && v.location.contains(location)
            && v.message.contains(fragment)),
        "expected [{rule}] at `{location}` saying `{fragment}`, found:\n{violations:#?}"
    );
}

/// Asserts that `fixture` breaks `rule`, and nothing else, at `location` with a message
/// containing `fragment`; returns all its violations.
#[track_caller]
fn assert_breaks(
    name: &str,
    family: &Family,
    rule: &str,
    location: &str,
    fragment: &str,
) -> Vec<Violation> {
    let found = violations(name, family);
    assert_eq!(
        rules_of(&found),
        BTreeSet::from([rule]),
        "{name} should break only [{rule}]: {found:#?}"
    );
    assert_has(&found, rule, location, fragment);
    found
}

// ---------------------------------------------------------------------------------------
// The valid fixture, and the fixtures as a whole.

#[test]
fn valid_fixture_keeps_every_rule() {
    assert_eq!(violations("valid.yaml", &TEST), Vec::new());
    assert_eq!(
        violations("valid.yaml", &TEST_WITHOUT_KEY_SCOPE),
        Vec::new()
    );
    let spec = load("valid.yaml");
    let ids: Vec<_> = digicert_codegen::operations(&spec.openapi)
        .into_iter()
        .map(|op| (op.id, op.method, op.path))
        .collect();
    assert_eq!(
        ids,
        [
            (
                "get_thing".into(),
                "GET".into(),
                "/things/{thing_id}".into()
            ),
            ("create_thing".into(), "POST".into(), "/things".into()),
        ]
    );
}

#[test]
fn valid_fixture_renders_with_the_header() {
    let spec = load("valid.yaml");
    let generated = digicert_codegen::render(&spec, &TEST).expect("valid.yaml renders");
    let header = digicert_codegen::header(&TEST);
    assert!(header.starts_with("// Generated by digicert-codegen from "));
    assert!(
        generated.code.starts_with(&header),
        "the code should start with the header:\n{}",
        &generated.code[..generated.code.len().min(400)]
    );
    assert_eq!(generated.operations, 2);
    assert!(generated.types > 0);
    let code: String = generated.code.split_whitespace().collect();
    for expected in [
        "fnget_thing(",
        "fncreate_thing(",
        "crate::DigicertDateTime",
        "crate::test::types::ThingStatus",
        "pubconstOPERATIONS",
        "pubconstAPI_KEY_HEADER:&'staticstr=\"X-TEST-APIKEY\"",
    ] {
        assert!(code.contains(expected), "the code should use `{expected}`");
    }
    // The same input gives the same bytes.
    let again = digicert_codegen::render(&spec, &TEST).expect("valid.yaml renders");
    assert_eq!(generated.code, again.code);
}

#[test]
fn render_refuses_a_broken_spec_with_the_rules() {
    let spec = load("openapi_3_1.yaml");
    let err = digicert_codegen::render(&spec, &TEST).expect_err("a broken spec must not render");
    let shown = err.to_string();
    let Error::Rules { violations, .. } = err else {
        panic!("expected Error::Rules, got {shown}");
    };
    assert_has(&violations, "openapi-version", "/openapi", "3.1.0");
    assert!(shown.contains("openapi_3_1.yaml"), "{shown}");
}

/// Every fixture but `valid.yaml` says on its first line what it breaks: `[rule, ...]`,
/// exactly the rules it breaks, or that it fails at load time. Either way `render` returns
/// an error (and never panics).
#[test]
fn every_broken_fixture_is_refused() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .expect("tests/fixtures")
        .map(|entry| entry.expect("a fixture").file_name())
        .map(|name| name.into_string().expect("a UTF-8 fixture name"))
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() > 30, "{names:?}");
    for name in names.iter().filter(|name| *name != "valid.yaml") {
        let text = std::fs::read_to_string(fixture(name)).expect("a readable fixture");
        let first = text.lines().next().unwrap_or("");
        let Some(what) = first.strip_prefix("# Broken: ") else {
            panic!("{name}: the first line should say `# Broken: ...`, found `{first}`");
        };
        let Some((_, rest)) = what.split_once('[') else {
            assert!(what.contains("(fails at load time)"), "{name}: {what}");
            load_error(name);
            continue;
        };
        let (list, _) = rest.split_once(']').expect("a closing `]`");
        let expected: BTreeSet<&str> = list.split(", ").collect();
        assert_eq!(rules_of(&violations(name, &TEST)), expected, "{name}");
        let err = digicert_codegen::render(&load(name), &TEST).expect_err(name);
        assert!(matches!(err, Error::Rules { .. }), "{name}: {err}");
    }
}

#[test]
fn real_specs_keep_every_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for family in [&PARTNER, &SERVICES] {
        let spec = digicert_codegen::load(&root.join(family.spec))
            .unwrap_or_else(|err| panic!("{}: {err}", family.spec));
        if let Err(err) = rules::check(&spec, family) {
            panic!("{err}");
        }
        assert!(!digicert_codegen::operations(&spec.openapi).is_empty());
    }
}

// ---------------------------------------------------------------------------------------
// Load-time errors.

#[test]
fn duplicate_key_names_both_lines() {
    let text = std::fs::read_to_string(fixture("duplicate_key.yaml")).expect("the fixture");
    let line_of = |needle: &str| {
        text.lines()
            .position(|line| line.trim() == needle)
            .map(|index| index + 1)
            .unwrap_or_else(|| panic!("no `{needle}` in the fixture"))
    };
    let (first, second) = (
        line_of("operationId: get_thing"),
        line_of("operationId: fetch_thing"),
    );
    assert!(first < second);
    let err = load_error("duplicate_key.yaml");
    let shown = err.to_string();
    let Error::DuplicateKey {
        path,
        key,
        mapping,
        line,
        first_line,
    } = err
    else {
        panic!("expected Error::DuplicateKey, got {shown}");
    };
    assert_eq!(path, fixture("duplicate_key.yaml"));
    assert_eq!(key, "operationId");
    assert!(mapping.contains("/things/{thing_id}"), "{mapping}");
    assert_eq!((line, first_line), (second, first), "{shown}");
    assert!(
        shown.contains(&format!(
            "duplicate_key.yaml:{second}: duplicate key `operationId`"
        )),
        "{shown}"
    );
    assert!(shown.contains(&format!("first at line {first}")), "{shown}");
}

#[test]
fn invalid_yaml_is_a_parse_error() {
    let err = load_error("invalid_yaml.yaml");
    assert!(matches!(err, Error::Parse { .. }), "{err}");
    assert!(err.to_string().contains("line "), "{err}");
}

#[test]
fn yaml_that_is_not_openapi_is_a_parse_error() {
    let err = load_error("not_openapi.yaml");
    assert!(matches!(err, Error::Parse { .. }), "{err}");
    assert!(
        err.to_string().contains("not an OpenAPI 3.0 document"),
        "{err}"
    );
}

#[test]
fn a_document_that_is_not_a_mapping_is_a_parse_error() {
    let err = digicert_codegen::parse("list.yaml", "- openapi\n- 3.0.3\n").expect_err("a list");
    assert!(matches!(err, Error::Parse { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "list.yaml: the document is not a YAML mapping"
    );
}

#[test]
fn a_missing_file_is_a_read_error() {
    let err = digicert_codegen::load(&fixture("no-such-file.yaml")).expect_err("no file");
    assert!(matches!(err, Error::Read { .. }), "{err}");
    assert!(err.to_string().contains("no-such-file.yaml"), "{err}");
}

// ---------------------------------------------------------------------------------------
// openapi-version, operation-id, operation-docs.

#[test]
fn openapi_3_1_is_refused() {
    assert_breaks(
        "openapi_3_1.yaml",
        &TEST,
        "openapi-version",
        "/openapi",
        "`openapi: 3.1.0` is not supported",
    );
}

#[test]
fn operation_id_is_required() {
    assert_breaks(
        "missing_operation_id.yaml",
        &TEST,
        "operation-id",
        "operation `` (GET /things/{thing_id})",
        "has no operationId",
    );
}

#[test]
fn operation_id_must_be_snake_case() {
    let found = assert_breaks(
        "camel_case_operation_id.yaml",
        &TEST,
        "operation-id",
        "operation `getThing` (GET /things/{thing_id})",
        "operationId `getThing` is not snake_case (use `get_thing`)",
    );
    assert_eq!(found.len(), 1, "{found:#?}");
}

#[test]
fn operation_ids_must_not_collide_after_snake_casing() {
    let found = assert_breaks(
        "colliding_operation_ids.yaml",
        &TEST,
        "operation-id",
        "operation `get_Thing` (POST /things)",
        "operationId `get_Thing` collides with `get_thing`: both become the Rust method `get_thing`",
    );
    assert_has(
        &found,
        "operation-id",
        "operation `get_Thing`",
        "is not snake_case",
    );
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn operation_needs_a_tag() {
    assert_breaks(
        "no_tag.yaml",
        &TEST,
        "operation-docs",
        GET_THING,
        "has no tag",
    );
}

#[test]
fn operation_needs_a_summary() {
    assert_breaks(
        "no_summary.yaml",
        &TEST,
        "operation-docs",
        GET_THING,
        "has no summary",
    );
}

#[test]
fn operation_needs_a_description() {
    assert_breaks(
        "no_description.yaml",
        &TEST,
        "operation-docs",
        GET_THING,
        "has no description",
    );
}

// ---------------------------------------------------------------------------------------
// security, x-docs-url, x-key-scope.

#[test]
fn operation_must_name_the_security_scheme() {
    assert_breaks(
        "no_operation_security.yaml",
        &TEST,
        "security",
        GET_THING,
        "`security` must name the family's scheme `TestApiKey`",
    );
}

#[test]
fn security_scheme_must_send_the_key_in_a_header() {
    assert_breaks(
        "key_not_in_header.yaml",
        &TEST,
        "security",
        "/components/securitySchemes/TestApiKey",
        "must be `type: apiKey`, `in: header`",
    );
}

#[test]
fn a_scheme_required_together_with_the_familys_must_be_declared() {
    assert_breaks(
        "undeclared_and_scheme.yaml",
        &TEST,
        "security",
        CREATE_THING,
        "`OtherKey`, required together with `TestApiKey`, must be a declared apiKey-in-header scheme",
    );
}

#[test]
fn header_parameters_are_refused() {
    assert_breaks(
        "header_parameter.yaml",
        &TEST,
        "parameters",
        GET_THING,
        "parameter `X-Other-Key` is a header or cookie",
    );
}

#[test]
fn idempotency_marks_are_booleans() {
    assert_breaks(
        "non_bool_idempotent.yaml",
        &TEST,
        "x-idempotent",
        CREATE_THING,
        "x-idempotent must be true or false, found \"sometimes\"",
    );
}

#[test]
fn every_server_after_the_first_names_its_constant() {
    assert_breaks(
        "unnamed_server.yaml",
        &TEST,
        "servers",
        "/servers/1",
        "`https://eu.test.example/v1` needs `x-const: <NAME>_URL`",
    );
}

#[test]
fn schema_types_are_checked_where_the_schema_is() {
    assert_breaks(
        "bad_schema_type.yaml",
        &TEST,
        "schema-type",
        "/components/schemas/Thing/properties/id",
        "`type: intger` is not a schema type",
    );
}

#[test]
fn aliases_are_lists_of_names() {
    assert_breaks(
        "bad_aliases.yaml",
        &TEST,
        "x-aliases",
        "/components/schemas/Thing/properties/created_at",
        "x-aliases must be a non-empty list of field names, found \"created\"",
    );
}

#[test]
fn security_scheme_must_exist() {
    // valid.yaml has no PartnerApiKey scheme, and its operations name TestApiKey.
    let found = violations("valid.yaml", &PARTNER);
    assert_has(
        &found,
        "security",
        "/components/securitySchemes/PartnerApiKey",
        "the partner family needs the security scheme `PartnerApiKey`",
    );
    assert_has(
        &found,
        "security",
        GET_THING,
        "must name the family's scheme `PartnerApiKey`",
    );
}

#[test]
fn docs_url_is_required() {
    assert_breaks(
        "no_docs_url.yaml",
        &TEST,
        "x-docs-url",
        GET_THING,
        "has no x-docs-url",
    );
}

#[test]
fn docs_url_must_be_https() {
    assert_breaks(
        "http_docs_url.yaml",
        &TEST,
        "x-docs-url",
        GET_THING,
        "must be an https:// URL, found \"http://dev.digicert.com/test/get-thing.html\"",
    );
}

#[test]
fn key_scope_is_required_where_the_family_says_so() {
    assert_breaks(
        "no_key_scope.yaml",
        &TEST,
        "x-key-scope",
        GET_THING,
        "has no x-key-scope",
    );
}

#[test]
fn key_scope_is_not_required_for_services() {
    assert_eq!(
        violations("no_key_scope.yaml", &TEST_WITHOUT_KEY_SCOPE),
        Vec::new()
    );
    // The real Services family, too (the fixture breaks its other rules).
    let found = violations("no_key_scope.yaml", &SERVICES);
    assert!(!found.is_empty());
    assert!(!rules_of(&found).contains("x-key-scope"), "{found:#?}");
}

#[test]
fn key_scope_must_be_parent_or_any() {
    assert_breaks(
        "bad_key_scope.yaml",
        &TEST,
        "x-key-scope",
        GET_THING,
        "x-key-scope must be one of parent, subaccount, any, found \"admin\"",
    );
}

// ---------------------------------------------------------------------------------------
// response-kinds, error-schema, examples.

#[test]
fn success_responses_share_one_body_kind() {
    assert_breaks(
        "mixed_success_kinds.yaml",
        &TEST,
        "response-kinds",
        GET_THING,
        "success responses differ in body (204 -> no body, 200 -> `#/components/schemas/Thing`)",
    );
}

#[test]
fn error_responses_share_one_body_kind() {
    let found = violations("mixed_error_kinds.yaml", &TEST);
    assert_eq!(
        rules_of(&found),
        BTreeSet::from(["response-kinds", "error-schema"])
    );
    assert_has(
        &found,
        "response-kinds",
        GET_THING,
        "error responses differ in body (404 -> `#/components/schemas/ErrorResponse`, 400 -> an inline schema (status 400))",
    );
}

#[test]
fn error_responses_ref_a_component_schema() {
    let found = violations("inline_error_schema.yaml", &TEST);
    assert_eq!(
        rules_of(&found),
        BTreeSet::from(["response-kinds", "error-schema"])
    );
    assert_has(
        &found,
        "response-kinds",
        CREATE_THING,
        "error response 400 has an inline schema",
    );
}

#[test]
fn bodies_are_json_only() {
    assert_breaks(
        "non_json_response.yaml",
        &TEST,
        "response-kinds",
        GET_THING,
        "response 200 has content type `text/plain`: only application/json is supported",
    );
}

#[test]
fn operation_needs_a_success_response() {
    assert_breaks(
        "no_success_response.yaml",
        &TEST,
        "response-kinds",
        GET_THING,
        "documents no 2xx response",
    );
}

#[test]
fn error_responses_share_one_schema_across_the_spec() {
    assert_breaks(
        "two_error_schemas.yaml",
        &TEST,
        "error-schema",
        "/paths",
        "#/components/schemas/ErrorResponse (get_thing 404); #/components/schemas/OtherError (create_thing 400)",
    );
}

#[test]
fn default_responses_share_the_error_schema() {
    assert_breaks(
        "default_error_schema.yaml",
        &TEST,
        "error-schema",
        "/paths",
        "#/components/schemas/OtherError (create_thing default)",
    );
}

#[test]
fn request_body_needs_an_example() {
    assert_breaks(
        "request_without_example.yaml",
        &TEST,
        "examples",
        CREATE_THING,
        "the request body has no example",
    );
}

#[test]
fn request_body_behind_a_ref_needs_an_example() {
    assert_breaks(
        "request_body_ref_without_example.yaml",
        &TEST,
        "examples",
        CREATE_THING,
        "the request body has no example",
    );
}

#[test]
fn response_body_needs_an_example() {
    assert_breaks(
        "response_without_example.yaml",
        &TEST,
        "examples",
        GET_THING,
        "response 200 has no example",
    );
}

// ---------------------------------------------------------------------------------------
// datetime-format.

#[test]
fn date_time_with_a_digicert_timestamp_is_refused() {
    assert_breaks(
        "datetime_with_digicert_example.yaml",
        &TEST,
        "datetime-format",
        "/components/schemas/Thing/properties/updated_at",
        "(`2018-11-29 18:25:04`) fails to decode at run time; use `format: digicert-datetime`",
    );
}

#[test]
fn date_time_needs_an_example() {
    assert_breaks(
        "datetime_without_example.yaml",
        &TEST,
        "datetime-format",
        "/components/schemas/Thing/properties/updated_at",
        "`format: date-time` needs an RFC 3339 `example`",
    );
}

#[test]
fn a_field_called_example_is_a_schema_too() {
    assert_breaks(
        "property_named_example.yaml",
        &TEST,
        "datetime-format",
        "/components/schemas/Thing/properties/example",
        "`format: date-time` needs an RFC 3339 `example`",
    );
}

#[test]
fn digicert_timestamp_needs_its_format() {
    assert_breaks(
        "digicert_timestamp_without_format.yaml",
        &TEST,
        "datetime-format",
        "/components/schemas/Thing/properties/created_at",
        "must say `format: digicert-datetime`",
    );
}

#[test]
fn digicert_datetime_with_an_rfc3339_example_is_refused() {
    assert_breaks(
        "digicert_datetime_with_rfc3339_example.yaml",
        &TEST,
        "datetime-format",
        "/components/schemas/Thing/properties/created_at",
        "example `2018-11-29T18:25:04Z` is not `YYYY-MM-DD hh:mm:ss`",
    );
}

// ---------------------------------------------------------------------------------------
// local-refs, additional-properties, x-inferred, open-enum.

#[test]
fn refs_must_be_local() {
    assert_breaks(
        "external_ref.yaml",
        &TEST,
        "local-refs",
        "/components/schemas/Thing/properties/status",
        "`$ref: other.yaml#/ThingStatus` is not local",
    );
}

#[test]
fn refs_must_resolve() {
    assert_breaks(
        "dangling_ref.yaml",
        &TEST,
        "local-refs",
        "/components/schemas/Thing/properties/status",
        "`$ref: #/components/schemas/Missing` points at nothing",
    );
}

#[test]
fn response_refs_must_resolve() {
    let found = assert_breaks(
        "dangling_response_ref.yaml",
        &TEST,
        "local-refs",
        "/paths/~1things~1{thing_id}/get/responses/404",
        "`$ref: #/components/responses/Missing` points at nothing",
    );
    assert_has(
        &found,
        "local-refs",
        GET_THING,
        "response 404 is a $ref that does not resolve",
    );
}

#[test]
fn request_body_refs_must_resolve() {
    let found = assert_breaks(
        "dangling_request_body_ref.yaml",
        &TEST,
        "local-refs",
        "/paths/~1things/post/requestBody",
        "`$ref: #/components/requestBodies/Missing` points at nothing",
    );
    assert_has(
        &found,
        "local-refs",
        CREATE_THING,
        "the request body is a $ref that does not resolve",
    );
}

#[test]
fn additional_properties_false_is_refused() {
    assert_breaks(
        "closed_object.yaml",
        &TEST,
        "additional-properties",
        "/components/schemas/Thing",
        "`additionalProperties: false`",
    );
}

#[test]
fn x_inferred_must_not_be_empty() {
    assert_breaks(
        "empty_inferred.yaml",
        &TEST,
        "x-inferred",
        "/components/schemas/Thing",
        "x-inferred must say, as text",
    );
}

#[test]
fn x_inferred_must_be_text() {
    assert_breaks(
        "non_string_inferred.yaml",
        &TEST,
        "x-inferred",
        "/components/schemas/Thing",
        "x-inferred must say, as text",
    );
}

#[test]
fn open_enums_are_named_string_schemas() {
    assert_breaks(
        "open_enum_not_string.yaml",
        &TEST,
        "open-enum",
        "/components/schemas/ThingStatus",
        "x-known-values needs a `type: string` schema",
    );
    assert_breaks(
        "inline_open_enum.yaml",
        &TEST,
        "open-enum",
        "/components/schemas/Thing/properties/size",
        "x-known-values only works on a named schema",
    );
}
