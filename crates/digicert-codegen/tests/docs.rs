//! Tests of `digicert_codegen::docs` (`cargo xtask docs-check`): the saved seed pages in
//! `spec/docs/` parse completely and agree with the current specs; each page in
//! `tests/docs/` is a saved page with one deliberate change (or, for the
//! `create_subaccount*` pages, a single-endpoint page laid out like DigiCert's, with a
//! request table and a cURL body) and fails the check with exactly the expected lines;
//! `x-docs-deviation` acknowledges and goes stale; unreadable lines are errors naming the
//! page and line; and no input makes the parser or the check panic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use digicert_codegen::docs::page::{ExampleBody, ExampleKind, FieldType, LineKind, TableRole};
use digicert_codegen::docs::{Report, SavedPage, check, check_workspace, parse};
use digicert_codegen::{FAMILIES, Family, PARTNER, SERVICES, Spec};
use serde_json::json;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/docs")
}

/// The spec text of `family`, as checked in.
fn spec_text(family: &Family) -> String {
    std::fs::read_to_string(root().join(family.spec)).expect("the spec is readable")
}

/// `family`'s spec, optionally with its text edited first.
#[track_caller]
fn spec(family: &Family, edit: impl Fn(String) -> String) -> Spec {
    digicert_codegen::parse(family.spec, &edit(spec_text(family))).unwrap_or_else(|e| panic!("{e}"))
}

/// Replaces the one occurrence of `anchor` in `text` with `anchor` followed by `added`.
#[track_caller]
fn insert_after(text: String, anchor: &str, added: &str) -> String {
    assert_eq!(
        text.matches(anchor).count(),
        1,
        "anchor `{anchor}` is not unique"
    );
    text.replace(anchor, &format!("{anchor}{added}"))
}

/// A saved page from `spec/docs/`.
fn saved(path: &str) -> SavedPage {
    SavedPage::read(&root().join(path), path).expect("the saved page is readable")
}

/// A fixture page from `tests/docs/`, named `tests/docs/<name>` in messages.
fn fixture(name: &str) -> SavedPage {
    SavedPage::read(&fixtures().join(name), format!("tests/docs/{name}"))
        .expect("the fixture is readable")
}

fn family_of(page: &SavedPage) -> &'static Family {
    if page
        .text
        .contains("https://dev.digicert.com/partner-subscriptions-api/")
    {
        &PARTNER
    } else {
        &SERVICES
    }
}

fn run(spec: &Spec, pages: &[SavedPage]) -> Report {
    check(spec, pages)
}

const SUBACCOUNT_OP: &str = "/paths/~1account~1subaccount~1{subaccount_id}/get";

#[test]
fn the_certcentral_seed_parses_completely() {
    let saved = saved("spec/docs/services/subaccount-info.txt");
    let page = parse(&saved.name, &saved.text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        page.source,
        "https://dev.digicert.com/certcentral-apis/services-api/subaccount/subaccount-info.html"
    );
    // The Portuguese title is just the title.
    assert_eq!(page.title.as_deref(), Some("Informações da subconta"));

    assert_eq!(page.endpoints.len(), 1);
    let endpoint = &page.endpoints[0];
    assert_eq!(
        (
            endpoint.method.as_str(),
            endpoint.target.as_str(),
            endpoint.line
        ),
        (
            "GET",
            "https://www.digicert.com/services/v2/account/subaccount/{{subaccount_id}}",
            5
        )
    );
    assert!(page.statuses.is_empty());
    assert!(page.key_scopes.is_empty());

    let samples: Vec<(&str, usize, usize)> = page
        .code_samples
        .iter()
        .map(|s| (s.language.as_str(), s.line, s.lines))
        .collect();
    assert_eq!(
        samples,
        [
            ("cURL", 12, 5),
            ("Python", 17, 14),
            ("Go", 31, 27),
            ("NodeJS", 58, 14)
        ]
    );

    assert_eq!(page.examples.len(), 1);
    let example = &page.examples[0];
    assert_eq!(example.line, 72);
    assert!(matches!(
        &example.kind,
        ExampleKind::Response { status: 200, reason, qualifier: None } if reason == "OK"
    ));
    let ExampleBody::Json(body) = &example.body else {
        panic!("the 200 example has a JSON body");
    };
    assert_eq!(body["account_id"], json!(1122339));
    assert_eq!(body["organization"]["container"]["parent_id"], json!(0));
    assert_eq!(body.as_object().map(|o| o.len()), Some(13));

    // One response table: 46 rows, 16 top-level, 26 one level down, 4 two levels down.
    assert_eq!(page.tables.len(), 1);
    let table = &page.tables[0];
    assert_eq!(
        (table.role, table.req_opt, table.line),
        (TableRole::Response, false, 125)
    );
    assert_eq!(table.fields.len(), 46);
    let mut by_depth = BTreeMap::new();
    for field in &table.fields {
        *by_depth.entry(field.depth()).or_insert(0) += 1;
    }
    assert_eq!(by_depth, BTreeMap::from([(0, 16), (1, 26), (2, 4)]));
    let field = |path: &str| {
        table
            .fields
            .iter()
            .find(|f| f.path.join(".") == path)
            .unwrap_or_else(|| panic!("no row {path}"))
    };
    assert_eq!(
        field("organization.container.parent_id").ty,
        FieldType::Integer
    );
    assert_eq!(field("organization.container.parent_id").line, 162);
    assert_eq!(field("master_user").ty, FieldType::Object);
    assert_eq!(
        field("child_name").conditional.as_deref(),
        Some("Only returned if the subaccount has a child_name.")
    );
    assert!(
        field("enforce_bill_parent").conditional.is_some(),
        "\"If false or not returned\""
    );
    assert_eq!(field("account_id").conditional, None);
    assert_eq!(
        field("date_created").format.as_deref(),
        Some("YYYY-MM-DD hh:mm:ss")
    );
    assert_eq!(
        field("organization.status").values,
        Some(vec!["active".to_owned(), "inactive".to_owned()])
    );
    assert_eq!(
        field("account_type").notes,
        ["See Glossary – Subaccount types"]
    );

    // Every line is accounted for: nothing unreadable, and every line between the table
    // header and the end is a row or a note of one.
    assert_eq!(page.lines.len(), 175);
    let count = |kind| page.lines.iter().filter(|k| **k == kind).count();
    assert_eq!(count(LineKind::Unreadable), 0);
    assert_eq!(count(LineKind::Header), 2);
    assert_eq!(count(LineKind::Endpoint), 2);
    assert_eq!(count(LineKind::Code), 60);
    assert_eq!(count(LineKind::Status), 1);
    assert_eq!(count(LineKind::Example), 49);
    assert_eq!(count(LineKind::TableHeader), 1);
    assert_eq!(count(LineKind::Row), 46);
    assert_eq!(count(LineKind::RowNote), 4);
    assert_eq!(count(LineKind::Prose), 4, "title, intro, two headings");
    assert!(
        page.lines[125..]
            .iter()
            .all(|k| matches!(k, LineKind::Row | LineKind::RowNote))
    );
}

#[test]
fn the_partner_seed_parses_completely() {
    let saved = saved("spec/docs/partner/account-management.txt");
    let page = parse(&saved.name, &saved.text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(page.title.as_deref(), Some("Account management"));
    let endpoints: Vec<(&str, &str, usize)> = page
        .endpoints
        .iter()
        .map(|e| (e.method.as_str(), e.target.as_str(), e.notes.len()))
        .collect();
    assert_eq!(
        endpoints,
        [
            ("POST", "/account/subaccount", 0),
            ("GET", "/account/emergency-emails", 0),
            ("PUT", "/account/emergency-emails", 0),
            ("DELETE", "/account/emergency-emails", 0),
            ("GET", "/account/reporting", 2),
            ("GET", "/account/settings", 0),
            ("PATCH", "/account/settings", 1),
        ]
    );
    assert_eq!(
        page.endpoints[0].description,
        "Create a subaccount with an API key."
    );
    let statuses: Vec<(u16, &str)> = page
        .statuses
        .iter()
        .map(|s| (s.code, s.reason.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [
            (200, "OK"),
            (201, "Created"),
            (204, "No Content"),
            (400, "Bad Request"),
            (403, "Forbidden")
        ]
    );
    assert_eq!(
        page.statuses[2].description,
        "Emergency contact email update completed successfully."
    );
    let scopes: Vec<&str> = page
        .key_scopes
        .iter()
        .map(|r| r.cells[0].as_str())
        .collect();
    assert_eq!(
        scopes,
        [
            "Parent account",
            "Subaccount",
            "Parent account API key",
            "Subaccount API key"
        ]
    );
    assert_eq!(page.key_scopes[3].notes.len(), 1);
    assert!(page.tables.is_empty() && page.examples.is_empty() && page.code_samples.is_empty());

    assert_eq!(page.lines.len(), 95);
    let count = |kind| page.lines.iter().filter(|k| **k == kind).count();
    assert_eq!(count(LineKind::Unreadable), 0);
    assert_eq!(count(LineKind::TableHeader), 3);
    assert_eq!(count(LineKind::Row), 4 + 7 + 5);
    assert_eq!(count(LineKind::RowNote), 1 + 3);
}

#[test]
fn the_current_specs_agree_with_the_saved_pages() {
    let reports = check_workspace(&root()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reports.len(), FAMILIES.len());
    for (family, report) in &reports {
        assert_eq!(report.lines(), Vec::<String>::new(), "{}", family.name);
        assert_eq!(report.pages, 1, "{}", family.name);
    }
    let operations: Vec<(&str, usize)> = reports
        .iter()
        .map(|(f, r)| (f.name, r.operations))
        .collect();
    assert_eq!(operations, [("partner", 7), ("services", 1)]);
}

/// Checks fixture `name` against its family's current spec: exactly `expected` lines, and
/// `failures` failing ones.
#[track_caller]
fn assert_fixture(name: &str, failures: usize, expected: &[&str]) {
    let page = fixture(name);
    let report = run(&spec(family_of(&page), |t| t), &[page]);
    assert_eq!(report.lines(), expected, "{name}");
    assert_eq!(report.failures(), failures, "{name}");
}

#[test]
fn a_field_the_spec_lacks() {
    assert_fixture(
        "extra_field.txt",
        1,
        &[
            "tests/docs/extra_field.txt:158: error[field-not-in-spec] get_subaccount /components/schemas/SubaccountOrganization/properties/region: page says `organization.region` (string); spec says no property `region` (nor one with it in x-aliases)",
        ],
    );
}

#[test]
fn a_changed_type_two_levels_down() {
    assert_fixture(
        "changed_type.txt",
        1,
        &[
            "tests/docs/changed_type.txt:162: error[type-mismatch] get_subaccount /components/schemas/SubaccountContainer/properties/parent_id: page says `organization.container.parent_id` is string; spec says integer",
        ],
    );
}

#[test]
fn a_status_the_spec_lacks() {
    // On an overview page, a common status that none of its operations declares.
    assert_fixture(
        "status_not_in_spec.txt",
        1,
        &[
            "tests/docs/status_not_in_spec.txt:95: error[status-not-in-spec] - /paths: page says 409 Conflict; spec says none of create_subaccount, get_emergency_emails, add_emergency_emails, delete_emergency_emails, get_acme_reporting, list_account_settings, update_account_setting declares it",
        ],
    );
    // On a single-endpoint page, the status above the example; the 200 it replaced is
    // now a success status the page does not show (a warning).
    assert_fixture(
        "undeclared_status.txt",
        1,
        &[
            "tests/docs/undeclared_status.txt:72: error[status-not-in-spec] get_subaccount /paths/~1account~1subaccount~1{subaccount_id}/get/responses: page says 202 Accepted; spec says the operation declares 200, 400, 401, 403, 404, 429",
            "tests/docs/undeclared_status.txt:72: warning[status-not-on-page] get_subaccount /paths/~1account~1subaccount~1{subaccount_id}/get/responses/200: page says no 200 status; spec says the operation declares 200",
        ],
    );
}

#[test]
fn a_new_enum_value() {
    assert_fixture(
        "new_enum_value.txt",
        1,
        &[
            "tests/docs/new_enum_value.txt:150: error[values-missing] get_subaccount /components/schemas/OrganizationStatus: page says possible values of `organization.status` are active, inactive, suspended; spec says known values are active, inactive; missing suspended",
        ],
    );
}

#[test]
fn an_example_that_no_longer_validates() {
    assert_fixture(
        "invalid_example.txt",
        1,
        &[
            "tests/docs/invalid_example.txt:72: error[example-invalid] get_subaccount /paths/~1account~1subaccount~1{subaccount_id}/get/responses/200: page says the 200 OK example; spec says /billing_account_id: \"1122328\" is not of type \"integer\"",
        ],
    );
    assert_fixture(
        "request_example_invalid.txt",
        1,
        &[
            "tests/docs/request_example_invalid.txt:17: error[example-invalid] create_subaccount /paths/~1account~1subaccount/post/requestBody: page says the request example; spec says /name: 5 is not of type \"string\"",
        ],
    );
}

#[test]
fn endpoints_on_one_side_only() {
    assert_fixture(
        "new_endpoint.txt",
        1,
        &[
            "tests/docs/new_endpoint.txt:59: error[endpoint-not-in-spec] - /paths/~1account~1subaccount/get: page says GET /account/subaccount; spec says no such operation",
        ],
    );
    // delete_emergency_emails names the overview page in x-docs-url.
    assert_fixture(
        "endpoint_removed.txt",
        1,
        &[
            "tests/docs/endpoint_removed.txt:58: error[endpoint-not-on-page] delete_emergency_emails /paths/~1account~1emergency-emails/delete: page says no row for DELETE /account/emergency-emails; spec says its x-docs-url is this page",
        ],
    );
    assert_fixture(
        "other_host.txt",
        2,
        &[
            "tests/docs/other_host.txt:5: error[endpoint-not-on-page] get_subaccount /paths/~1account~1subaccount~1{subaccount_id}/get: page says no row for GET /account/subaccount/{subaccount_id}; spec says its x-docs-url is this page",
            "tests/docs/other_host.txt:5: error[endpoint-url] - /servers: page says https://api.example.com/services/v2/account/subaccount/{{subaccount_id}}; spec says servers are https://www.digicert.com/services/v2, https://certcentral.digicert.eu/services/v2",
        ],
    );
    assert_fixture(
        "other_docs_url.txt",
        1,
        &[
            "tests/docs/other_docs_url.txt:5: error[docs-url] get_subaccount /paths/~1account~1subaccount~1{subaccount_id}/get/x-docs-url: page says it documents GET /account/subaccount/{subaccount_id}; spec says x-docs-url is https://dev.digicert.com/certcentral-apis/services-api/subaccount/subaccount-info.html",
        ],
    );
}

#[test]
fn optional_and_required() {
    assert_fixture(
        "conditional_field.txt",
        1,
        &[
            "tests/docs/conditional_field.txt:129: error[required-mismatch] get_subaccount /components/schemas/Subaccount/properties/organization_name: page says `organization_name` is not always returned (\"Only returned if the subaccount has a primary organization.\"); spec says required (listed in /components/schemas/Subaccount/required)",
        ],
    );
    assert_fixture(
        "request_required.txt",
        1,
        &[
            "tests/docs/request_required.txt:55: error[required-mismatch] create_subaccount /components/schemas/CreateSubaccountRequest/properties/emergency_contact_emails: page says `emergency_contact_emails` is required; spec says optional (not in /components/schemas/CreateSubaccountRequest/required)",
        ],
    );
}

#[test]
fn formats_and_path_parameters() {
    assert_fixture(
        "format_changed.txt",
        1,
        &[
            "tests/docs/format_changed.txt:132: error[format-mismatch] get_subaccount /components/schemas/Subaccount/properties/date_created: page says `date_created` has Format: ISO 8601; spec says format digicert-datetime (expected date-time)",
        ],
    );
    assert_fixture(
        "path_parameter.txt",
        1,
        &[
            "tests/docs/path_parameter.txt:13: error[type-mismatch] get_subaccount /paths/~1account~1subaccount~1{subaccount_id}/get/parameters/0/schema: page says `subaccount_id` is string; spec says integer",
        ],
    );
}

#[test]
fn a_field_only_the_spec_has_is_a_warning() {
    assert_fixture(
        "missing_field.txt",
        0,
        &[
            "tests/docs/missing_field.txt:125: warning[field-not-on-page] get_subaccount /components/schemas/Subaccount/properties/allow_parent_order_renewal: page says no row for `allow_parent_order_renewal`; spec says response field `allow_parent_order_renewal` (boolean)",
        ],
    );
}

#[test]
fn a_request_page_reads_its_table_and_curl_body() {
    let saved = fixture("create_subaccount.txt");
    let page = parse(&saved.name, &saved.text).unwrap_or_else(|e| panic!("{e:?}"));
    let table = &page.tables[0];
    assert_eq!((table.role, table.req_opt), (TableRole::Request, true));
    let rows: Vec<(&str, Option<bool>, FieldType)> = table
        .fields
        .iter()
        .map(|f| (f.name(), f.required, f.ty))
        .collect();
    assert_eq!(
        rows,
        [
            ("api_key_name", Some(true), FieldType::String),
            ("name", Some(true), FieldType::String),
            ("emergency_contact_emails", Some(false), FieldType::Array),
        ]
    );
    let kinds: Vec<(bool, usize)> = page
        .examples
        .iter()
        .map(|e| (e.kind == ExampleKind::Request, e.line))
        .collect();
    assert_eq!(kinds, [(true, 17), (false, 39)]);
    assert_eq!(
        page.examples[0].body,
        ExampleBody::Json(json!({
            "api_key_name": "Production API Key",
            "name": "ACME Corporation Subaccount",
            "emergency_contact_emails": ["security@example.com", "emergency@example.com"],
        }))
    );
    assert_fixture("create_subaccount.txt", 0, &[]);
}

/// The services spec with `added` inserted after `anchor`.
fn services_with(anchor: &'static str, added: &'static str) -> Spec {
    spec(&SERVICES, move |t| insert_after(t, anchor, added))
}

const PARENT_ID: &str = "          description: ID of the parent container (0 at the top).";

#[test]
fn a_deviation_acknowledges_and_goes_stale() {
    let spec = services_with(
        PARENT_ID,
        "\n          x-docs-deviation: DigiCert's example sends a number.",
    );
    let report = run(&spec, &[fixture("changed_type.txt")]);
    assert_eq!(
        report.lines(),
        [
            "tests/docs/changed_type.txt:162: acknowledged[type-mismatch] get_subaccount /components/schemas/SubaccountContainer/properties/parent_id: page says `organization.container.parent_id` is string; spec says integer (x-docs-deviation at /components/schemas/SubaccountContainer/properties/parent_id: DigiCert's example sends a number.)"
        ]
    );
    assert_eq!((report.failures(), report.acknowledged()), (0, 1));

    // Once the page agrees again, the marker is stale.
    let report = run(&spec, &[saved("spec/docs/services/subaccount-info.txt")]);
    assert_eq!(
        report.lines(),
        [
            "spec/certcentral-services-v2.yaml: error[stale-deviation] - /components/schemas/SubaccountContainer/properties/parent_id: page says nothing that differs here; spec says x-docs-deviation: \"DigiCert's example sends a number.\""
        ]
    );
    assert_eq!(report.failures(), 1);
}

#[test]
fn a_deviation_covers_what_is_below_it() {
    // On the operation: both the undeclared status and the warning about the 200.
    let spec = services_with(
        "      operationId: get_subaccount\n",
        "      x-docs-deviation: The page shows the status of a pending request.\n",
    );
    let report = run(&spec, &[fixture("undeclared_status.txt")]);
    assert_eq!((report.failures(), report.acknowledged()), (0, 2));
    assert!(report.lines().iter().all(|l| l.contains(&format!(
        "(x-docs-deviation at {SUBACCOUNT_OP}: The page shows the status of a pending request.)"
    ))));

    // On the open enum a property `$ref`s, or beside the `$ref` itself.
    for (anchor, added, at) in [
        (
            "      x-known-values: [active, inactive]",
            "\n      x-docs-deviation: suspended is retired.",
            "/components/schemas/OrganizationStatus",
        ),
        (
            "          $ref: '#/components/schemas/OrganizationStatus'",
            "\n          x-docs-deviation: suspended is retired.",
            "/components/schemas/SubaccountOrganization/properties/status",
        ),
    ] {
        let report = run(
            &services_with(anchor, added),
            &[fixture("new_enum_value.txt")],
        );
        assert_eq!(report.failures(), 0, "{at}: {:#?}", report.lines());
        assert_eq!(report.lines().len(), 1, "{at}");
        assert!(
            report.lines()[0].ends_with(&format!(
                "(x-docs-deviation at {at}: suspended is retired.)"
            )),
            "{at}: {:#?}",
            report.lines()
        );
    }
}

#[test]
fn a_deviation_needs_a_reason_and_a_place() {
    let spec = spec(&SERVICES, |t| {
        let t = insert_after(t, PARENT_ID, "\n          x-docs-deviation: ''");
        insert_after(
            t,
            "  /account/subaccount/{subaccount_id}:",
            "\n    x-docs-deviation: Too high up.",
        )
    });
    let report = run(&spec, &[saved("spec/docs/services/subaccount-info.txt")]);
    assert_eq!(
        report.lines(),
        [
            "spec/certcentral-services-v2.yaml: error[invalid-deviation] - /components/schemas/SubaccountContainer/properties/parent_id: page says -; spec says x-docs-deviation must be a non-empty string saying why the spec differs",
            "spec/certcentral-services-v2.yaml: error[invalid-deviation] - /paths/~1account~1subaccount~1{subaccount_id}: page says -; spec says x-docs-deviation belongs on the operation, response or schema that differs, not this high up",
        ]
    );
}

#[test]
fn an_alias_counts_as_the_property() {
    let spec = services_with(
        "          description: Country code (lower case in DigiCert's example).",
        "\n          x-aliases: [region]",
    );
    let report = run(&spec, &[fixture("extra_field.txt")]);
    assert_eq!(report.lines(), Vec::<String>::new());
}

#[test]
fn the_same_page_saved_twice() {
    let first = saved("spec/docs/services/subaccount-info.txt");
    let second = SavedPage {
        name: "spec/docs/services/copy.txt".into(),
        ..first.clone()
    };
    let report = run(&spec(&SERVICES, |t| t), &[first, second]);
    assert_eq!(
        report.lines(),
        [
            "spec/docs/services/copy.txt:1: error[duplicate-page] - /: page says Source: https://dev.digicert.com/certcentral-apis/services-api/subaccount/subaccount-info.html; spec says the same page is already saved as spec/docs/services/subaccount-info.txt"
        ]
    );
}

/// Parses a page whose first four lines are the header and a `GET` + URL endpoint, then
/// `body` (which starts on line 5); returns the error lines.
fn unreadable(body: &str) -> Vec<String> {
    let text = format!(
        "Source: https://dev.digicert.com/t.html\n\nGET\nhttps://www.digicert.com/services/v2/t\n{body}"
    );
    match parse("t.txt", &text) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn unreadable_lines_name_the_page_and_line() {
    let parse_whole = |text: &str| -> Vec<String> {
        parse("t.txt", text)
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(
        parse_whole("Account management\n"),
        [
            "t.txt:1: error[unreadable] a saved page starts with `Source: https://...` (the URL it was saved from) and a blank line"
        ]
    );
    assert_eq!(
        parse_whole("Source: http://dev.digicert.com/t.html\n\nGET\n"),
        ["t.txt:1: error[unreadable] `http://dev.digicert.com/t.html` is not an https:// URL"]
    );
    assert_eq!(
        parse_whole("Source: https://dev.digicert.com/t.html\nGET\n"),
        ["t.txt:2: error[unreadable] the `Source:` line must be followed by a blank line"]
    );
    assert_eq!(
        parse_whole("Source: https://dev.digicert.com/t.html\n\nOnly prose here.\n"),
        [
            "t.txt:1: error[unreadable] the page documents no endpoint: it has neither an endpoint table (`MethodEndpointDescription`) nor a method line with the endpoint's URL"
        ]
    );

    let cases: [(&str, &str); 22] = [
        (
            "\nMethodEndpointDescription\nFETCH/account/xGet x.\n",
            "t.txt:7: error[unreadable] `FETCH` is not an HTTP method",
        ),
        (
            "\nMethodEndpointDescription\nSome note.\n",
            "t.txt:7: error[unreadable] expected an endpoint row (`METHOD/path Description`) under the table header",
        ),
        (
            "\nMethodEndpointDescription\nGET/account/{{idGet x.\n",
            "t.txt:7: error[unreadable] the path has a `{` without its `}`",
        ),
        (
            "\nStatus codeDescription\n200 CreatedDone.\n",
            "t.txt:7: error[unreadable] status 200 should be followed by its reason phrase `OK`",
        ),
        (
            "\nStatus codeDescription\n299 MaybeDone.\n",
            "t.txt:7: error[unreadable] `299` is not an HTTP status this parser knows",
        ),
        (
            "\nStatus codeDescription\n200 OKrequest done.\n",
            "t.txt:7: error[unreadable] cannot tell where the reason phrase `OK` ends and the description starts",
        ),
        (
            "\nResponse parameters\n\nName Type Description\naccount_id sometype Text.\n",
            "t.txt:9: error[unreadable] cannot read this parameter row: expected `name type description` (types: string, integer, number, boolean, object, array)",
        ),
        (
            "\nRequest parameters\n\nNameReq/OptTypeDescription\nnamemaybestringName.\n",
            "t.txt:9: error[unreadable] cannot read this parameter row: expected `name required|optional type description`",
        ),
        (
            "\nResponse parameters\n\nName Type Description\nuser object User.\n.. .. id integer ID.\n",
            "t.txt:10: error[unreadable] this row is nested 2 level(s) deep, but the row above it is only 0 deep",
        ),
        (
            "\nResponse parameters\n\nName Type Description\nname string Name.\n.. first string First.\n",
            "t.txt:10: error[unreadable] `first` is nested under `name`, whose type is string, not object or array",
        ),
        (
            "\nResponse parameters\n\nName Type Description\n.. id integer ID.\n",
            "t.txt:9: error[unreadable] the first row of a table cannot be nested (`..`)",
        ),
        (
            "\nResponse parameters\n\nName Type Description\nstatus string Status.\nPossible values:\n",
            "t.txt:10: error[unreadable] `Possible values:` lists no values on its line",
        ),
        (
            "\nSome heading\n\nName Type Description\nid integer ID.\n",
            "t.txt:8: error[unreadable] a parameter table must sit under a heading that says what it describes (`Request parameters`, `Response parameters`, `URL query parameters` or `Path parameters`)",
        ),
        (
            "\nName | Type | Description |\n",
            "t.txt:6: error[unreadable] a table copied with `|` between cells; save the page as the browser's plain text copy instead",
        ),
        (
            "\nName\n\nType\n",
            "t.txt:6: error[unreadable] a table copied one cell per line (`Name`, then `Type`); save the page as the browser's text copy, with one row per line",
        ),
        (
            "\n200 OK\n{\n  \"a\": 1,\n}\n",
            "t.txt:9: error[unreadable] the JSON example starting on line 7 does not parse: trailing comma at line 3 column 1",
        ),
        (
            "\n200 OK\n{\"a\": 1} and more\n",
            "t.txt:7: error[unreadable] text after the end of the JSON example: `and more`",
        ),
        (
            "\nResponse\n{\"a\": 1}\n",
            "t.txt:7: error[unreadable] a JSON example must follow a status line (`200 OK`) or a `Request` label",
        ),
        (
            "\nGET/account/xGet x.\n",
            "t.txt:6: error[unreadable] a `GET/...` endpoint row outside an endpoint table (no `MethodEndpointDescription` header above it)",
        ),
        (
            "\n200 OKRequest succeeded.\n",
            "t.txt:6: error[unreadable] a status row outside a status-code table (no `Status codeDescription` header above it)",
        ),
        (
            "\naccount_id integer Subaccount ID.\n",
            "t.txt:6: error[unreadable] a parameter row outside a parameter table (no `Name Type Description` header above it)",
        ),
        (
            "\n..\u{a0}id integer ID.\n",
            "t.txt:6: error[unreadable] a nested parameter row outside a parameter table (no `Name Type Description` header above it)",
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(unreadable(body), [expected], "{body:?}");
    }

    assert_eq!(
        unreadable("\nPOST\nnot a URL\n"),
        [
            "t.txt:6: error[unreadable] `POST` stands alone on its line, but the endpoint's URL does not follow it"
        ]
    );
    assert_eq!(
        unreadable("\ncURL\ncurl -X POST \\\n  -d @body.json\n"),
        [
            "t.txt:8: error[unreadable] the cURL sample's `-d` body is not in single quotes; cannot read it as a JSON example"
        ]
    );
    assert_eq!(
        unreadable("\ncURL\ncurl -X POST \\\n  -d '{\n  \"a\": 1\n}\n"),
        ["t.txt:8: error[unreadable] the cURL sample's `-d '...'` body has no closing quote"]
    );
    assert_eq!(
        unreadable("\ncURL\ncurl -X POST -d '{\"a\": }'\n"),
        [
            "t.txt:7: error[unreadable] the cURL sample's request body does not parse as JSON: expected value at line 1 column 7"
        ]
    );
    // A page with several endpoints cannot say which one a table or example is about.
    assert_eq!(
        unreadable(
            "PUT\nhttps://www.digicert.com/services/v2/t\n\nResponse parameters\n\nName Type Description\nid integer ID.\n"
        ),
        [
            "t.txt:10: error[unreadable] this page lists 2 endpoints, so it cannot tell which one this table or example belongs to"
        ]
    );
}

#[test]
fn what_is_not_a_table_row_stays_prose() {
    let body = "\nThe POST /account/subaccount endpoint needs a parent key.\n403 Forbidden responses mean the key type is wrong.\n100 requests per 5 seconds.\n  • GET\n...and more.\nX-DC-DEVKEY: {{api_key}}\n{{subaccount_id}}\nrequest\n";
    assert_eq!(unreadable(body), Vec::<String>::new());
    let text = format!(
        "Source: https://dev.digicert.com/t.html\n\nGET\nhttps://www.digicert.com/services/v2/t\n{body}"
    );
    let page = parse("t.txt", &text).expect("parses");
    assert!(page.lines[5..13].iter().all(|k| *k == LineKind::Prose));
}

#[test]
fn what_starts_something_else_ends_a_table() {
    let body = "\nRequest parameters\n\nNameReq/OptTypeDescription\nnamerequiredstringName.\nResponse parameters\nName Type Description\nid integer ID.\ncURL\ncurl -X GET \\\n200 OK\n{}\n";
    assert_eq!(unreadable(body), Vec::<String>::new());
    let text = format!(
        "Source: https://dev.digicert.com/t.html\n\nGET\nhttps://www.digicert.com/services/v2/t\n{body}"
    );
    let page = parse("t.txt", &text).expect("parses");
    let tables: Vec<(TableRole, usize)> = page
        .tables
        .iter()
        .map(|t| (t.role, t.fields.len()))
        .collect();
    assert_eq!(tables, [(TableRole::Request, 1), (TableRole::Response, 1)]);
    assert_eq!(page.code_samples.len(), 1);
    assert_eq!(page.examples.len(), 1);
    assert_eq!(page.examples[0].body, ExampleBody::Json(json!({})));
}

/// A small deterministic generator, so that the mutation test needs no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

/// Lines that change how a parser reads what follows them.
const TRICKY: [&str; 26] = [
    "",
    "..",
    ".. ..",
    "..\u{a0}x string y",
    "GET",
    "GET/",
    "{",
    "[",
    "}",
    "200 OK",
    "204 No Content",
    "// empty",
    "999 X",
    "MethodEndpointDescription",
    "Status codeDescription",
    "Name Type Description",
    "NameReq/OptTypeDescription",
    "TypeCapabilities / usage",
    "Response parameters",
    "Request parameters",
    "Path parameters",
    "Request",
    "cURL",
    "  -d '{",
    "Possible values:",
    "ção \u{a0}\u{feff}\t\r",
];

#[test]
fn no_input_makes_the_parser_or_the_check_panic() {
    let pages = [
        (
            saved("spec/docs/services/subaccount-info.txt"),
            spec(&SERVICES, |t| t),
        ),
        (
            saved("spec/docs/partner/account-management.txt"),
            spec(&PARTNER, |t| t),
        ),
        (fixture("create_subaccount.txt"), spec(&PARTNER, |t| t)),
    ];
    let mut random = Lcg(13);
    let mut checked = 0;
    for (page, spec) in &pages {
        let lines: Vec<&str> = page.text.split('\n').collect();
        let mut variants: Vec<String> = Vec::new();
        for index in 0..lines.len() {
            let with = |replacement: &[&str]| {
                let mut out: Vec<&str> = lines[..index].to_vec();
                out.extend_from_slice(replacement);
                out.extend_from_slice(&lines[index + 1..]);
                out.join("\n")
            };
            let line = lines[index];
            variants.push(with(&[]));
            variants.push(with(&[line, line]));
            let chars: Vec<(usize, char)> = line.char_indices().collect();
            for cut in [1, chars.len() / 2, chars.len().saturating_sub(1)] {
                if let Some((at, _)) = chars.get(cut) {
                    variants.push(with(&[&line[..*at]]));
                }
            }
            for tricky in TRICKY {
                variants.push(with(&[tricky]));
                variants.push(with(&[tricky, line]));
            }
        }
        // Random pages made of this page's lines, cut and shuffled.
        for _ in 0..200 {
            let mut out = vec![lines[0], ""];
            for _ in 0..random.next(60) {
                let pick = if random.next(4) == 0 {
                    TRICKY[random.next(TRICKY.len())]
                } else {
                    lines[random.next(lines.len())]
                };
                let chars: Vec<usize> = pick.char_indices().map(|(i, _)| i).collect();
                let cut = chars
                    .get(random.next(chars.len() + 1))
                    .copied()
                    .unwrap_or(pick.len());
                out.push(if random.next(3) == 0 {
                    &pick[..cut]
                } else {
                    pick
                });
            }
            variants.push(out.join("\n"));
        }
        for (n, text) in variants.iter().enumerate() {
            // Parse every variant; run the whole check on a share of them (it validates
            // examples, which takes longer).
            let parsed = parse("mutant.txt", text);
            if let Ok(page) = &parsed {
                assert!(!page.lines.contains(&LineKind::Unreadable));
            }
            if n % 7 == 0 {
                let saved = SavedPage {
                    name: "mutant.txt".into(),
                    text: text.clone(),
                };
                let report = run(spec, &[saved]);
                checked += 1;
                assert_eq!(parsed.is_err(), !report.unreadable.is_empty());
            }
        }
    }
    assert!(checked > 2000, "only {checked} mutants were checked");
}

#[test]
fn anything_else_under_spec_docs_is_an_error() {
    let dir = std::env::temp_dir().join(format!("digicert-docs-{}", std::process::id()));
    let write = |path: &str| {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, "x").expect("write");
    };
    write("spec/docs/acme/page.txt");
    let stray = check_workspace(&dir).map(drop).unwrap_err().to_string();
    write("spec/docs/services/notes.md");
    let wrong_kind = digicert_codegen::docs::load_pages(&dir, &SERVICES)
        .map(drop)
        .unwrap_err()
        .to_string();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        stray,
        "spec/docs/acme: `spec/docs` holds one directory per family (partner, services)"
    );
    assert_eq!(
        wrong_kind,
        "spec/docs/services/notes.md: not a saved page: pages are `.txt` files"
    );
}
