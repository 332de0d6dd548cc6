//! CertCentral over plain HTTP, for what the typed client cannot send or does not show:
//! query strings as they arrive (`%25`, brackets encoded or not), malformed bodies and
//! values the client refuses before sending, the order of refusals, routes and methods,
//! and the sandbox's own account-email endpoint.

use digicert::reqwest::Method;
use digicert_sandbox::{CertCentralKeySeed, KeyKind, Sandbox, Seed};
use serde_json::Value;

use crate::common::{finish, first_error, http, key, raw, start, start_seeded};

/// Sends `body` (if any) to CertCentral's `path` (with its query) with `devkey`.
async fn send(
    sandbox: &Sandbox,
    method: Method,
    path_and_query: &str,
    devkey: Option<&str>,
    body: Option<&str>,
) -> (u16, Value) {
    let mut request = http()
        .request(
            method,
            format!("{}{path_and_query}", sandbox.services_url()),
        )
        .header("Content-Type", "application/json");
    if let Some(devkey) = devkey {
        request = request.header("X-DC-DEVKEY", devkey);
    }
    if let Some(body) = body {
        request = request.body(body.to_owned());
    }
    raw(request.send().await.expect("request")).await
}

#[tokio::test]
async fn search_values_arrive_percent_encoded_and_mean_what_the_docs_say() {
    let sandbox = start().await;
    let devkey = key(&sandbox, KeyKind::CertCentral);
    let total = |body: &Value| body["page"]["total"].as_i64().expect("page.total");
    let cases = [
        // DigiCert's form: %25 is the percent sign, which means "contains".
        ("filters%5Bsearch%5D=%25Traders%20GmbH", 1),
        ("filters[search]=%25Traders+GmbH", 1),
        ("filters[search]=Northwind%20Traders%20GmbH", 1),
        ("filters[search]=Northwind", 0),
        // A percent sign encoded twice is the text "%25...": "contains 25Traders".
        ("filters[search]=%2525Traders", 0),
        // An empty value filters nothing; unknown parameters are ignored.
        ("filters[search]=&filters[status]=active", 252),
    ];
    for (query, expected) in cases {
        let (status, body) = send(
            &sandbox,
            Method::GET,
            &format!("/account/subaccount?{query}"),
            Some(devkey.expose()),
            None,
        )
        .await;
        assert_eq!(status, 200, "{query}: {body}");
        assert_eq!(total(&body), expected, "{query}");
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn malformed_list_parameters_are_400_naming_the_parameter() {
    let sandbox = start().await;
    let devkey = key(&sandbox, KeyKind::CertCentral);
    let cases = [
        (
            "/account/subaccount?limit=ten",
            "limit: \"ten\" is not an integer",
        ),
        (
            "/account/subaccount?offset=1.5",
            "offset: \"1.5\" is not an integer",
        ),
        (
            "/account/subaccount?limit=5&limit=6",
            "limit: given more than once",
        ),
        ("/account/subaccount?sort=-", "sort: unknown property \"\""),
        (
            "/account/subaccount/order?offset=-3",
            "offset: must be 0 or more",
        ),
        (
            "/account/subaccount/order?sort=organization_name",
            "sort: unknown property",
        ),
    ];
    for (path, says) in cases {
        let (status, body) = send(&sandbox, Method::GET, path, Some(devkey.expose()), None).await;
        assert_eq!(status, 400, "{path}: {body}");
        let (code, message) = first_error(&body);
        assert_eq!(code, "bad_request_format", "{path}");
        assert!(message.contains(says), "{path}: `{message}` lacks `{says}`");
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn bad_bodies_are_400_naming_the_field() {
    let sandbox = start().await;
    let devkey = key(&sandbox, KeyKind::CertCentral);
    let long_name = "x".repeat(65);
    let create_long = format!(
        r#"{{"account_type": "retail", "allowed_grandchildren": [], "child_name": "{long_name}",
            "user": {{"first_name": "A", "last_name": "B", "email": "a@b.example"}},
            "organization": {{"name": "N", "address": "A", "zip": "1", "city": "C", "state": "S",
                              "country": "US", "telephone": "1"}}}}"#
    );
    let cases: Vec<(Method, &str, String, &str)> = vec![
        (
            Method::POST,
            "/account",
            String::new(),
            "the request body is empty",
        ),
        (Method::POST, "/account", "{oops".into(), "not valid JSON"),
        (
            Method::POST,
            "/account",
            r#"{"account_type": "retail"}"#.into(),
            "missing field `allowed_grandchildren`",
        ),
        (
            Method::POST,
            "/account",
            create_long,
            "child_name: longer than 64 characters",
        ),
        (
            Method::POST,
            "/account",
            r#"{"account_type": "retail", "allowed_grandchildren": "retail"}"#.into(),
            "allowed_grandchildren: invalid type: string",
        ),
        (
            Method::PUT,
            "/account",
            r#"{"admin_email": ["a@b.example"]}"#.into(),
            "admin_email: invalid type: sequence",
        ),
        (
            Method::PUT,
            "/account",
            r#"{"admin_email": "a@b.example,,c@b.example"}"#.into(),
            "admin_email: not a comma-separated list of email addresses",
        ),
        (
            Method::PUT,
            "/account/subaccount/1122340",
            r#"{"bill_parent": "yes"}"#.into(),
            "bill_parent: invalid type: string",
        ),
        (
            Method::PUT,
            "/account/subaccount/1122340",
            r#"{"child_name": ""}"#.into(),
            "child_name: shorter than 1 characters",
        ),
        (
            Method::PUT,
            "/account/subaccount/1122340/products",
            "{}".into(),
            "missing field `products`",
        ),
        (
            Method::PUT,
            "/account/subaccount/1122340/products",
            r#"{"products": [{"product_name_id": ""}]}"#.into(),
            "products[0].product_name_id: shorter than 1 characters",
        ),
    ];
    for (method, path, body, says) in cases {
        let (status, answer) = send(
            &sandbox,
            method.clone(),
            path,
            Some(devkey.expose()),
            Some(&body),
        )
        .await;
        assert_eq!(status, 400, "{method} {path} {body}: {answer}");
        let (code, message) = first_error(&answer);
        assert_eq!(code, "bad_request_format", "{method} {path}");
        assert!(
            message.contains(says),
            "{method} {path}: `{message}` lacks `{says}`"
        );
    }
    // Nothing changed: still 252 subaccounts, 1122340 as seeded.
    let (_, list) = send(
        &sandbox,
        Method::GET,
        "/account/subaccount?limit=1",
        Some(devkey.expose()),
        None,
    )
    .await;
    assert_eq!(list["page"]["total"], 252);
    let (_, info) = send(
        &sandbox,
        Method::GET,
        "/account/subaccount/1122340",
        Some(devkey.expose()),
        None,
    )
    .await;
    assert_eq!(info["child_name"], "EU branch");
    finish(sandbox).await;
}

#[tokio::test]
async fn refusals_come_in_order_key_permission_id_body_lookup() {
    let mut seed = Seed::builtin();
    seed.certcentral.api_keys.push(CertCentralKeySeed::new(
        1_122_345,
        "key of 1122345",
        digicert::ApiKey::new("key-of-1122345").unwrap(),
    ));
    let sandbox = start_seeded(seed).await;
    let devkey = key(&sandbox, KeyKind::CertCentral);
    // (method, path, key: None for none, "" for the seeded one; body, status, message)
    type Case = (
        Method,
        &'static str,
        Option<&'static str>,
        &'static str,
        u16,
        &'static str,
    );
    let cases: [Case; 6] = [
        // No key: 401 before anything else.
        (
            Method::PUT,
            "/account/subaccount/abc",
            None,
            "{",
            401,
            "missing",
        ),
        // Subaccounts not enabled: 403 before the body is read.
        (
            Method::POST,
            "/account",
            Some("key-of-1122345"),
            "{",
            403,
            "not enabled",
        ),
        // A malformed ID before a malformed body.
        (
            Method::PUT,
            "/account/subaccount/abc",
            Some(""),
            "{",
            400,
            "subaccount_id",
        ),
        // A malformed body before the lookup.
        (
            Method::PUT,
            "/account/subaccount/999",
            Some(""),
            "{",
            400,
            "not valid JSON",
        ),
        (
            Method::PUT,
            "/account/subaccount/999",
            Some(""),
            "{}",
            404,
            "was not found",
        ),
        (
            Method::PUT,
            "/account/subaccount/2233445/products",
            Some(""),
            r#"{"products": []}"#,
            403,
            "hierarchy",
        ),
    ];
    for (method, path, who, body, status, says) in cases {
        let devkey = who.map(|k| if k.is_empty() { devkey.expose() } else { k });
        let (got, answer) = send(&sandbox, method.clone(), path, devkey, Some(body)).await;
        assert_eq!(got, status, "{method} {path}: {answer}");
        let (_, message) = first_error(&answer);
        assert!(
            message.contains(says),
            "{method} {path}: `{message}` lacks `{says}`"
        );
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn routes_and_methods_of_the_family() {
    let sandbox = start().await;
    let devkey = key(&sandbox, KeyKind::CertCentral);
    let cases: [(Method, &str, u16, &str, Option<&str>); 7] = [
        (
            Method::GET,
            "/account",
            405,
            "method_not_allowed",
            Some("POST, PUT"),
        ),
        (
            Method::PUT,
            "/account/subaccount/order",
            405,
            "method_not_allowed",
            Some("GET, HEAD"),
        ),
        (
            Method::POST,
            "/account/subaccount",
            405,
            "method_not_allowed",
            Some("GET, HEAD"),
        ),
        (
            Method::DELETE,
            "/account/subaccount/1122339/products",
            405,
            "method_not_allowed",
            Some("GET, HEAD, PUT"),
        ),
        (
            Method::PUT,
            "/account/subaccount/1122339/report",
            405,
            "method_not_allowed",
            Some("GET, HEAD"),
        ),
        (
            Method::GET,
            "/account/subaccount/order/5",
            404,
            "not_found|route",
            None,
        ),
        (
            Method::GET,
            "/account/subaccount/1122339/nothing",
            404,
            "not_found|route",
            None,
        ),
    ];
    for (method, path, status, code, allow) in cases {
        let response = http()
            .request(method.clone(), format!("{}{path}", sandbox.services_url()))
            .header("X-DC-DEVKEY", devkey.expose())
            .send()
            .await
            .unwrap();
        let allowed = response
            .headers()
            .get("allow")
            .map(|v| v.to_str().unwrap().to_owned());
        let (got, body) = raw(response).await;
        assert_eq!(got, status, "{method} {path}: {body}");
        assert_eq!(first_error(&body).0, code, "{method} {path}");
        assert_eq!(allowed.as_deref(), allow, "{method} {path}");
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn the_account_emails_endpoint_needs_a_certcentral_key() {
    let mut seed = Seed::builtin();
    seed.certcentral.api_keys.push(CertCentralKeySeed::new(
        1_122_340,
        "key of 1122340",
        digicert::ApiKey::new("key-of-1122340").unwrap(),
    ));
    let sandbox = start_seeded(seed).await;
    let url = format!("{}/_sandbox/certcentral/account-emails", sandbox.url());
    let (status, body) = raw(http().get(&url).send().await.unwrap()).await;
    assert_eq!(status, 401);
    assert_eq!(first_error(&body).0, "invalid_api_key");
    let partner_key = key(&sandbox, KeyKind::PartnerParent);
    let (status, body) = raw(http()
        .get(&url)
        .header("X-DC-DEVKEY", partner_key.expose())
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(status, 401);
    assert!(
        first_error(&body)
            .1
            .contains("Partner Subscriptions API key")
    );
    // A key whose account never set its emails gets an empty object.
    let (status, body) = raw(http()
        .get(&url)
        .header("X-DC-DEVKEY", "key-of-1122340")
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!((status, body), (200, serde_json::json!({})));
    // The endpoint is the sandbox's own, not a DigiCert operation: it is not recorded,
    // so finish() gets one real call to validate.
    let (status, _) = send(
        &sandbox,
        Method::GET,
        "/account/subaccount?limit=1",
        Some("key-of-1122340"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(sandbox.exchanges().len(), 1);
    finish(sandbox).await;
}
