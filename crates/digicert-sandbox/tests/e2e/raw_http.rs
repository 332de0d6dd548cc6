//! What the typed clients cannot send, over plain HTTP: missing keys, malformed JSON,
//! wrong types, missing fields, non-integer IDs, unknown routes and methods. Every answer
//! must be the family's JSON error body with a 4xx status (never axum's plain text, 415,
//! 422 or a 5xx), and every body error must name the field.

use digicert::reqwest::Method;
use digicert_sandbox::{Family, KeyKind, Sandbox};

use crate::common::{finish, first_error, http, key, raw, start};

/// Sends `body` to a Partner operation with the subaccount (or, for create, the parent)
/// key, and returns status and body.
async fn send_partner(
    sandbox: &Sandbox,
    method: Method,
    path: &str,
    body: &'static str,
) -> (u16, serde_json::Value) {
    let kind = if path == "/account/subaccount" {
        KeyKind::PartnerParent
    } else {
        KeyKind::PartnerSubaccount
    };
    let response = http()
        .request(method, format!("{}{path}", sandbox.partner_url()))
        .header("X-PARTNER-APIKEY", key(sandbox, kind).expose())
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request");
    raw(response).await
}

#[tokio::test]
async fn bad_bodies_are_400_naming_the_field() {
    let sandbox = start().await;
    let cases: &[(Method, &str, &str, &str)] = &[
        (
            Method::PUT,
            "/account/emergency-emails",
            "",
            "the request body is empty",
        ),
        (
            Method::PUT,
            "/account/emergency-emails",
            "{oops",
            "not valid JSON",
        ),
        (
            Method::PUT,
            "/account/emergency-emails",
            "[]",
            "expected struct EmergencyContactEmails",
        ),
        (
            Method::PUT,
            "/account/emergency-emails",
            "{}",
            "missing field `emergency_contact_emails`",
        ),
        (
            Method::PUT,
            "/account/emergency-emails",
            r#"{"emergency_contact_emails": "a@b.example"}"#,
            "emergency_contact_emails: invalid type: string",
        ),
        (
            Method::PUT,
            "/account/emergency-emails",
            r#"{"emergency_contact_emails": ["a@b.example", 7]}"#,
            "emergency_contact_emails[1]: invalid type: integer `7`",
        ),
        (
            Method::PUT,
            "/account/emergency-emails",
            r#"{"emergency_contact_emails": null}"#,
            "emergency_contact_emails: invalid type: null",
        ),
        (
            Method::PUT,
            "/account/emergency-emails",
            r#"{"emergency_contact_emails": []} trailing"#,
            "more after its JSON value",
        ),
        (
            Method::DELETE,
            "/account/emergency-emails",
            "",
            "the request body is empty",
        ),
        (
            Method::DELETE,
            "/account/emergency-emails",
            r#"{"emergency_contact_emails": [true]}"#,
            "emergency_contact_emails[0]: invalid type: boolean",
        ),
        (
            Method::PATCH,
            "/account/settings",
            r#"{"name": "auto_renew_subscription"}"#,
            "missing field `value`",
        ),
        (
            Method::PATCH,
            "/account/settings",
            r#"{"name": "auto_renew_subscription", "value": 1}"#,
            "value: invalid type: integer `1`, expected a string",
        ),
        (
            Method::PATCH,
            "/account/settings",
            "null",
            "invalid type: null",
        ),
        (
            Method::POST,
            "/account/subaccount",
            r#"{"name": "x"}"#,
            "missing field `api_key_name`",
        ),
        (
            Method::POST,
            "/account/subaccount",
            r#"{"name": "x", "api_key_name": "k", "emergency_contact_emails": [{}]}"#,
            "emergency_contact_emails[0]: invalid type: map",
        ),
        (
            Method::POST,
            "/account/subaccount",
            r#"{"name": ["x"], "api_key_name": "k"}"#,
            "name: invalid type: sequence",
        ),
    ];
    for (method, path, body, says) in cases {
        let (status, answer) = send_partner(&sandbox, method.clone(), path, body).await;
        assert_eq!(status, 400, "{method} {path} {body}: {answer}");
        let (code, message) = first_error(&answer);
        assert_eq!(code, "invalid_request", "{method} {path} {body}");
        assert!(
            message.contains(says),
            "{method} {path} {body}: `{message}` lacks `{says}`"
        );
    }
    // None of that changed the emails.
    let (status, answer) =
        send_partner(&sandbox, Method::GET, "/account/emergency-emails", "").await;
    assert_eq!(status, 200);
    assert_eq!(
        answer["emergency_contact_emails"],
        serde_json::json!(["security@acme.example", "emergency@acme.example"])
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn bodies_are_json_whatever_the_content_type_and_unknown_fields_are_ignored() {
    let sandbox = start().await;
    let response = http()
        .put(format!(
            "{}/account/emergency-emails",
            sandbox.partner_url()
        ))
        .header(
            "X-PARTNER-APIKEY",
            key(&sandbox, KeyKind::PartnerSubaccount).expose(),
        )
        .header("Content-Type", "text/plain")
        .body(r#"{"emergency_contact_emails": ["new@acme.example"], "note": "ignored"}"#)
        .send()
        .await
        .unwrap();
    let (status, body) = raw(response).await;
    assert_eq!((status, body), (204, serde_json::Value::Null));
    finish(sandbox).await;
}

#[tokio::test]
async fn oversized_bodies_are_400() {
    let sandbox = start().await;
    let huge = format!(
        r#"{{"emergency_contact_emails": ["{}@example.com"]}}"#,
        "a".repeat(100 * 1024)
    );
    let response = http()
        .put(format!(
            "{}/account/emergency-emails",
            sandbox.partner_url()
        ))
        .header(
            "X-PARTNER-APIKEY",
            key(&sandbox, KeyKind::PartnerSubaccount).expose(),
        )
        .body(huge)
        .send()
        .await
        .unwrap();
    let (status, body) = raw(response).await;
    assert_eq!(status, 400);
    assert!(
        first_error(&body).1.contains("larger than 64 KiB"),
        "{body}"
    );
    finish(sandbox).await;
}

#[tokio::test]
async fn missing_or_unreadable_keys_are_401_in_both_families() {
    let sandbox = start().await;
    let partner = format!("{}/account/settings", sandbox.partner_url());
    let services = format!("{}/account/subaccount/1122339", sandbox.services_url());
    for url in [&partner, &services] {
        let (status, body) = raw(http().get(url).send().await.unwrap()).await;
        assert_eq!(status, 401, "{url}");
        let (code, message) = first_error(&body);
        assert_eq!(code, "invalid_api_key");
        assert!(message.contains("missing"), "{message}");
    }
    // A key header that is not text cannot be a key.
    let weird = digicert::reqwest::header::HeaderValue::from_bytes(b"caf\xe9").unwrap();
    let (status, _) = raw(http()
        .get(&partner)
        .header("X-PARTNER-APIKEY", weird.clone())
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(status, 401);
    let (status, _) = raw(http()
        .get(&services)
        .header("X-DC-DEVKEY", weird)
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(status, 401);
    // The other family's header does not count.
    let (status, _) = raw(http()
        .get(&partner)
        .header("X-DC-DEVKEY", key(&sandbox, KeyKind::CertCentral).expose())
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(status, 401);
    finish(sandbox).await;
}

#[tokio::test]
async fn malformed_subaccount_ids_are_400() {
    let sandbox = start().await;
    let key = key(&sandbox, KeyKind::CertCentral);
    for id in ["abc", "12a", "-5", "1.5", "%31", "99999999999999999999"] {
        let url = format!("{}/account/subaccount/{id}", sandbox.services_url());
        let (status, body) = raw(http()
            .get(&url)
            .header("X-DC-DEVKEY", key.expose())
            .header("Content-Type", "application/json")
            .send()
            .await
            .unwrap())
        .await;
        assert_eq!(status, 400, "{id}: {body}");
        let (code, message) = first_error(&body);
        assert_eq!(code, "bad_request_format");
        assert!(message.contains("subaccount_id"), "{message}");
    }
    finish(sandbox).await;
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405_with_the_error_body() {
    let sandbox = start().await;
    let routes = [
        (
            Family::Partner,
            Method::GET,
            format!("{}/account/nothing", sandbox.partner_url()),
            404,
            "resource_not_found",
        ),
        (
            Family::CertCentral,
            Method::GET,
            format!("{}/account/subaccounts", sandbox.services_url()),
            404,
            "not_found|route",
        ),
        (
            Family::CertCentral,
            Method::GET,
            format!("{}/account/subaccount/1/x", sandbox.services_url()),
            404,
            "not_found|route",
        ),
        (
            Family::Partner,
            Method::GET,
            format!("{}/", sandbox.url()),
            404,
            "resource_not_found",
        ),
        (
            Family::Partner,
            Method::POST,
            format!("{}/account/emergency-emails", sandbox.partner_url()),
            405,
            "method_not_allowed",
        ),
        (
            Family::Partner,
            Method::GET,
            format!("{}/account/subaccount", sandbox.partner_url()),
            405,
            "method_not_allowed",
        ),
        (
            Family::Partner,
            Method::PUT,
            format!("{}/account/settings", sandbox.partner_url()),
            405,
            "method_not_allowed",
        ),
        (
            Family::CertCentral,
            Method::DELETE,
            format!("{}/account/subaccount/1122339", sandbox.services_url()),
            405,
            "method_not_allowed",
        ),
    ];
    for (family, method, url, expected, expected_code) in routes {
        let response = http()
            .request(method.clone(), &url)
            .header(family.key_header(), "any")
            .send()
            .await
            .unwrap();
        let allow = response
            .headers()
            .get("allow")
            .map(|v| v.to_str().unwrap().to_owned());
        let (status, body) = raw(response).await;
        assert_eq!(status, expected, "{method} {url}: {body}");
        assert_eq!(first_error(&body).0, expected_code, "{method} {url}");
        if expected == 405 {
            assert!(
                allow.is_some_and(|a| a.contains("GET") || a.contains("POST")),
                "{url}"
            );
        }
    }
    finish(sandbox).await;
}
