//! API keys never show up in `Debug` or `Display` of clients, request builders, responses
//! that carry a new key, or errors.

use digicert::{ApiKey, partner, services};
use digicert_tests::{Family, PARTNER_KEY, Reply, SERVICES_KEY, exchange, operation, spec};

#[track_caller]
fn assert_hidden(what: &str, text: &str) {
    for key in [PARTNER_KEY, SERVICES_KEY] {
        assert!(!text.contains(key), "{what} shows an API key: {text}");
    }
}

#[test]
fn clients_and_request_builders_hide_the_key() {
    let partner =
        partner::Client::with_base_url("http://127.0.0.1:9/v1", ApiKey::new(PARTNER_KEY).unwrap())
            .unwrap();
    let services = services::Client::with_base_url(
        "http://127.0.0.1:9/v2",
        ApiKey::new(SERVICES_KEY).unwrap(),
    )
    .unwrap();
    let client_debug = format!("{partner:?} {services:?}");
    assert_hidden("client Debug", &client_debug);
    assert!(
        client_debug.contains("ApiKey(<redacted>)"),
        "{client_debug}"
    );

    assert_hidden(
        "builder Debug",
        &format!("{:?}", services.get_subaccount().subaccount_id(5)),
    );
    assert_hidden(
        "builder Debug",
        &format!(
            "{:?}",
            partner
                .update_account_setting()
                .body_map(|b| b.name("auto_renew_subscription").value("1"))
        ),
    );
}

#[tokio::test]
async fn transport_errors_hide_the_key() {
    // Port 9 (discard) on loopback: nothing listens, so the connection is refused.
    let client = services::Client::with_base_url(
        "http://127.0.0.1:9/services/v2",
        ApiKey::new(SERVICES_KEY).unwrap(),
    )
    .unwrap();
    let err = client
        .get_subaccount()
        .subaccount_id(1)
        .send()
        .await
        .expect_err("nothing listens");
    assert_eq!(err.kind(), digicert::ErrorKind::Connect, "{err:?}");
    assert!(
        err.to_string().contains("could not connect to DigiCert"),
        "{err}"
    );
    let mut chain = format!("{err:?} {err}");
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        chain.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    assert_hidden("transport error", &chain);
}

#[tokio::test]
async fn a_new_key_in_a_response_is_hidden_too() {
    let op = spec::operations(Family::Partner)
        .into_iter()
        .find(|op| op.id == "create_subaccount")
        .expect("create_subaccount");
    let new_key = "FRESH-SUBACCOUNT-KEY-0042";
    let body = serde_json::json!({"account_id": 67891, "api_key": {"id": 1, "name": "k", "api_key": new_key}});
    let exchanged = exchange(
        operation(Family::Partner, &op.id),
        &op.example_input,
        Reply::json(201, &body),
    )
    .await;
    let decoded = exchanged.outcome.expect("decodes");
    // The harness serialised the typed value back: the key survives for whoever asks...
    assert_eq!(decoded.value["api_key"]["api_key"], new_key);
    // ...but Debug of the typed value never shows it.
    let typed: partner::types::CreateSubaccountResponse =
        serde_json::from_value(decoded.value).unwrap();
    let debug = format!("{typed:?}");
    assert!(!debug.contains(new_key), "{debug}");
    assert!(debug.contains("ApiKey(<redacted>)"), "{debug}");
    assert_eq!(typed.api_key.api_key.expose(), new_key);
}

#[tokio::test]
async fn api_errors_hide_the_key_even_when_the_body_echoes_it() {
    let op = spec::operations(Family::Services)
        .into_iter()
        .next()
        .expect("an operation");
    // A misbehaving proxy that echoes request headers into its error page.
    let page = format!("<pre>X-DC-DEVKEY: {SERVICES_KEY}</pre>");
    let exchanged = exchange(
        operation(Family::Services, &op.id),
        &op.example_input,
        Reply::raw(502, "text/html", &page),
    )
    .await;
    let err = exchanged.outcome.expect_err("502");
    assert_hidden("API error", &format!("{err:?} {err}"));
    // The body is still there for whoever asks for it explicitly.
    assert_eq!(err.body(), Some(page.as_bytes()));
}
