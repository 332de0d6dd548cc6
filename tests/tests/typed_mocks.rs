//! The typed mocks a consumer gets with `digicert`'s `mock` feature: per-operation matchers
//! (including the API key) and typed responders, driving the real client.

use digicert::httpmock::MockServer;
use digicert::{ApiKey, partner, services};

fn key(value: &str) -> ApiKey {
    ApiKey::new(value).expect("valid test key")
}

#[tokio::test]
async fn partner_mocks_match_body_and_key_and_answer_typed() {
    // Each family has its own extension trait (both have a `create_subaccount`): import
    // the one you mock.
    use digicert::partner::mock::MockServerExt as _;
    let server = MockServer::start_async().await;
    let parent = key("parent-key");
    let request = partner::types::CreateSubaccountRequest {
        name: "Acme".parse().expect("a name"),
        api_key_name: "Prod".parse().expect("a key name"),
        emergency_contact_emails: vec!["ops@acme.example".into()],
    };
    let response: partner::types::CreateSubaccountResponse =
        serde_json::from_value(serde_json::json!({
            "account_id": 42,
            "api_key": {"id": 7, "name": "Prod", "api_key": "new-sub-key"}
        }))
        .expect("a valid response");
    let created = server.create_subaccount(|when, then| {
        when.body(&request).api_key(&parent);
        then.created(&response);
    });

    let client =
        partner::Client::with_base_url(&server.base_url(), parent.clone()).expect("client");
    let got = client
        .create_subaccount()
        .body(request.clone())
        .send()
        .await;
    created.assert_async().await;
    let got = got.expect("created");
    assert_eq!(got.status().as_u16(), 201);
    assert_eq!(got.account_id, 42);
    assert_eq!(got.api_key.api_key.expose(), "new-sub-key");
}

#[tokio::test]
async fn a_mock_that_expects_another_key_does_not_match() {
    use digicert::partner::mock::MockServerExt as _;
    let server = MockServer::start_async().await;
    let forbidden = server.get_acme_reporting(|when, then| {
        when.api_key(&key("subaccount-key"));
        then.forbidden(&partner::types::ErrorResponse {
            errors: vec![partner::types::ErrorDetail {
                code: Some("access_denied".into()),
                message: Some("Parent key required".into()),
            }],
        });
    });

    // The right key gets the typed 403 ...
    let sub =
        partner::Client::with_base_url(&server.base_url(), key("subaccount-key")).expect("client");
    let err = sub.get_acme_reporting().send().await.expect_err("403");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(err.errors()[0].code, "access_denied");
    assert_eq!(forbidden.calls_async().await, 1);

    // ... any other key does not match the mock at all (httpmock answers 404).
    let other =
        partner::Client::with_base_url(&server.base_url(), key("someone-else")).expect("client");
    let err = other
        .get_acme_reporting()
        .send()
        .await
        .expect_err("no match");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(forbidden.calls_async().await, 1);
}

#[tokio::test]
async fn services_mocks_match_the_path_parameter_and_key() {
    use digicert::services::mock::MockServerExt as _;
    let server = MockServer::start_async().await;
    let devkey = key("certcentral-key");
    let seed = std::fs::read_to_string(
        digicert_tests::spec::workspace_root()
            .join("tests/fixtures/certcentral-subaccount-info.200.json"),
    )
    .expect("fixture");
    let subaccount: services::types::Subaccount =
        serde_json::from_str(&seed).expect("seed decodes");
    let found = server.get_subaccount(|when, then| {
        when.subaccount_id(1122339).api_key(&devkey);
        then.ok(&subaccount);
    });

    let client = services::Client::with_base_url(&server.base_url(), devkey).expect("client");
    let got = client.get_subaccount().subaccount_id(1122339).send().await;
    found.assert_async().await;
    let got = got.expect("found");
    assert_eq!(got.organization_name, "Real Organization");
    assert_eq!(got.date_created.to_string(), "2018-11-29 18:25:04");

    // Another id does not match the typed path matcher.
    let err = client
        .get_subaccount()
        .subaccount_id(1)
        .send()
        .await
        .expect_err("no match");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn the_literal_order_segment_is_not_a_subaccount_id() {
    use digicert::services::mock::MockServerExt as _;

    let server = MockServer::start_async().await;
    let devkey = key("certcentral-key");
    let info: services::types::Subaccount = serde_json::from_str(
        &std::fs::read_to_string(
            digicert_tests::spec::workspace_root()
                .join("tests/fixtures/certcentral-subaccount-info.200.json"),
        )
        .expect("fixture"),
    )
    .expect("seed decodes");
    let orders: services::types::SubaccountOrderList = serde_json::from_value(serde_json::json!({
        "orders": [],
        "page": {"total": 0, "limit": 50, "offset": 0}
    }))
    .expect("an empty order list");
    // Both mocks are registered; each request must reach its own.
    let get_subaccount = server.get_subaccount(|when, then| {
        when.api_key(&devkey);
        then.ok(&info);
    });
    let list_orders = server.list_subaccount_orders(|when, then| {
        when.api_key(&devkey);
        then.ok(&orders);
    });
    let client = services::Client::builder(devkey.clone())
        .base_url(server.base_url())
        .no_rate_limit()
        .build()
        .expect("client");
    let got = client
        .list_subaccount_orders()
        .send()
        .await
        .expect("orders");
    assert_eq!(got.page.total, 0);
    let got = client
        .get_subaccount()
        .subaccount_id(1122339)
        .send()
        .await
        .expect("subaccount");
    assert_eq!(got.account_id, 1122339);
    assert_eq!(list_orders.calls_async().await, 1);
    assert_eq!(get_subaccount.calls_async().await, 1);
}
