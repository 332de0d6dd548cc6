//! Every operation of both specs, driven through the generated client against httpmock:
//! the request carries the right method, path, key header and body, and every documented
//! status (plus a proxy's HTML 403 and an undocumented 500) decodes as it should.

use digicert_tests::spec::{self, SpecOperation};
use digicert_tests::{Family, KEY_MATCHED, OPERATIONS, Reply, canonical, exchange, operation};
use serde_json::{Value, json};

/// Checks the captured request against what the spec says for `op`'s example input.
#[track_caller]
fn assert_request(op: &SpecOperation, request: &Value) {
    let label = format!("{}::{}", op.family.name(), op.id);
    assert_eq!(request["method"], json!(op.method), "{label}: method");
    assert_eq!(request["path"], json!(op.example_path()), "{label}: path");
    let headers = &request["headers"];
    assert_eq!(
        headers[op.family.key_header()],
        json!(KEY_MATCHED),
        "{label}: API key header"
    );
    assert!(
        headers.get("api-version").is_none(),
        "{label}: api-version must not be sent"
    );
    assert_eq!(
        headers["user-agent"],
        json!("digicert-rs/<version>"),
        "{label}: user agent"
    );
    let expected_body = op.example_input.body.clone().unwrap_or(Value::Null);
    // Typed numbers go out as the type writes them (a `number` cost of 412 as 412.0).
    assert_eq!(
        canonical(&request["body"]),
        canonical(&expected_body),
        "{label}: body"
    );
    let content_type = headers.get("content-type").cloned();
    let wants_content_type = op.example_input.body.is_some() || op.family == Family::Services;
    assert_eq!(
        content_type,
        wants_content_type.then(|| json!("application/json")),
        "{label}: content-type"
    );
}

#[tokio::test]
async fn every_operation_sends_its_example_and_decodes_every_documented_status() {
    let mut checked = 0;
    for family in Family::ALL {
        for op in spec::operations(family) {
            let harness = operation(family, &op.id);
            assert!(
                !op.responses.is_empty(),
                "{}: no documented responses",
                op.id
            );
            for documented in &op.responses {
                let label = format!("{}::{} status {}", family.name(), op.id, documented.status);
                let reply = match &documented.example {
                    Some(body) => Reply::json(documented.status, body),
                    None => Reply::empty(documented.status),
                };
                let exchanged = exchange(harness, &op.example_input, reply).await;
                assert_request(&op, &exchanged.request);
                match (documented.status, exchanged.outcome) {
                    (200..=299, Ok(decoded)) => {
                        assert_eq!(decoded.status, documented.status, "{label}");
                        let expected = documented
                            .example
                            .as_ref()
                            .map(canonical)
                            .unwrap_or(Value::Null);
                        assert_eq!(
                            canonical(&decoded.value),
                            expected,
                            "{label}: decoded value differs from the spec example"
                        );
                    }
                    (200..=299, Err(err)) => panic!("{label}: expected success, got {err}"),
                    (_, Ok(decoded)) => panic!("{label}: expected an error, got {decoded:?}"),
                    (status, Err(err)) => {
                        assert_eq!(
                            err.status().map(|s| s.as_u16()),
                            Some(status),
                            "{label}: {err}"
                        );
                        let example = documented
                            .example
                            .as_ref()
                            .expect("error responses have examples");
                        let first = &example["errors"][0];
                        assert_eq!(
                            err.errors().len(),
                            example["errors"].as_array().map_or(0, Vec::len),
                            "{label}"
                        );
                        assert_eq!(json!(err.errors()[0].code), first["code"], "{label}: code");
                        assert_eq!(
                            json!(err.errors()[0].message),
                            first["message"],
                            "{label}: message"
                        );
                        let display = err.to_string();
                        assert!(
                            display.contains(&status.to_string())
                                && display.contains(first["code"].as_str().unwrap_or("")),
                            "{label}: Display must name status and code: {display}"
                        );
                    }
                }
                checked += 1;
            }
        }
    }
    // Every documented status of every operation (33 operations, 155 statuses when this
    // was written): a floor well above what a misread spec would yield.
    assert!(checked >= 150, "only {checked} exchanges checked");
}

#[tokio::test]
async fn non_json_and_undocumented_error_answers_keep_status_and_body() {
    for family in Family::ALL {
        for op in spec::operations(family) {
            let harness = operation(family, &op.id);
            let label = format!("{}::{}", family.name(), op.id);

            let html = "<html><body><h1>403 Forbidden</h1>Request blocked by proxy</body></html>";
            let proxied = exchange(
                harness,
                &op.example_input,
                Reply::raw(403, "text/html", html),
            )
            .await;
            let err = proxied.outcome.expect_err("a 403 is an error");
            assert_eq!(
                err.status().map(|s| s.as_u16()),
                Some(403),
                "{label}: {err}"
            );
            assert!(err.errors().is_empty(), "{label}");
            assert_eq!(err.body(), Some(html.as_bytes()), "{label}: raw body kept");
            assert!(
                err.to_string()
                    .starts_with(&format!("{}: DigiCert answered 403 Forbidden", op.id)),
                "{label}: {err}"
            );

            let body =
                json!({"errors": [{"code": "internal_error", "message": "Something broke"}]});
            let broken = exchange(harness, &op.example_input, Reply::json(500, &body)).await;
            let err = broken.outcome.expect_err("a 500 is an error");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(500), "{label}");
            assert_eq!(err.errors()[0].code, "internal_error", "{label}");
            assert_eq!(
                err.to_string(),
                format!(
                    "{}: DigiCert answered 500 Internal Server Error: internal_error: Something broke",
                    op.id
                ),
                "{label}"
            );

            let empty = exchange(harness, &op.example_input, Reply::empty(401)).await;
            let err = empty.outcome.expect_err("a 401 is an error");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{label}");
            assert_eq!(err.body(), Some(&b""[..]), "{label}");
        }
    }
}

#[tokio::test]
async fn a_success_body_that_breaks_the_spec_is_a_decode_error_that_keeps_the_body() {
    // create_subaccount carries a key DigiCert shows only once: losing the body would lose it.
    let op = spec::operations(Family::Partner)
        .into_iter()
        .find(|op| op.id == "create_subaccount")
        .expect("create_subaccount is in the spec");
    let body = json!({"subaccount": {"id": 7}, "key": "NEW-KEY-SHOWN-ONCE"});
    let exchanged = exchange(
        operation(Family::Partner, &op.id),
        &op.example_input,
        Reply::json(201, &body),
    )
    .await;
    let err = exchanged
        .outcome
        .expect_err("the body lacks account_id and api_key");
    assert_eq!(err.kind(), digicert::ErrorKind::Decode, "{err:?}");
    assert!(
        err.to_string().contains("does not match the API spec"),
        "{err}"
    );
    assert_eq!(
        err.body()
            .map(|b| serde_json::from_slice::<Value>(b).unwrap()),
        Some(body)
    );
    assert!(
        !format!("{err:?} {err}").contains("NEW-KEY-SHOWN-ONCE"),
        "the key leaked into the error"
    );
}

#[tokio::test]
async fn missing_required_input_is_refused_before_sending() {
    let server = httpmock::MockServer::start_async().await;
    let clients = digicert_tests::Clients::new(&server.base_url());
    let err = clients
        .partner
        .add_emergency_emails()
        .send()
        .await
        .expect_err("no body given");
    let err = err;
    assert!(err.kind() == digicert::ErrorKind::InvalidRequest, "{err:?}");
    assert!(
        err.to_string().contains("emergency_contact_emails"),
        "{err}"
    );
    let err = clients
        .services
        .get_subaccount()
        .send()
        .await
        .expect_err("no id");
    assert!(err.to_string().contains("subaccount_id"), "{err}");
}

#[test]
fn the_harness_covers_exactly_the_spec_operations() {
    let mut in_specs: Vec<(Family, String)> = Family::ALL
        .into_iter()
        .flat_map(|family| {
            spec::operations(family)
                .into_iter()
                .map(move |op| (family, op.id))
        })
        .collect();
    let mut in_harness: Vec<(Family, String)> = OPERATIONS
        .iter()
        .map(|op| (op.family, op.id.to_owned()))
        .collect();
    in_specs.sort();
    in_harness.sort();
    assert_eq!(
        in_harness, in_specs,
        "digicert_tests::OPERATIONS must list every spec operation, and only those"
    );
}

#[tokio::test]
async fn https_base_urls_are_supported_by_the_built_in_tls() {
    // Nothing listens on loopback port 9: the connection is refused. Without a TLS
    // backend reqwest would fail earlier, with "invalid URL, scheme is not http".
    let key = digicert::ApiKey::new("k").expect("key");
    let client = digicert::services::Client::with_base_url("https://127.0.0.1:9/services/v2", key)
        .expect("client");
    let err = client
        .get_subaccount()
        .subaccount_id(1)
        .send()
        .await
        .expect_err("refused");
    let mut chain = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        chain.push_str(&format!(" / {cause}"));
        source = cause.source();
    }
    assert_eq!(err.kind(), digicert::ErrorKind::Connect, "{chain}");
    assert!(
        !chain.contains("scheme is not http"),
        "no TLS backend: {chain}"
    );
    assert!(chain.contains("could not connect"), "{chain}");
}
