//! Keys never leak (issue 8 §1), each proved by a test that fails if it regresses:
//! - a success body that does not decode, for every operation, with a secret-looking value
//!   in every string field: no error text, `Debug` or source shows any of them;
//! - a cross-origin 301/302/307/308: a second loopback server records that it never saw
//!   the key (or anything);
//! - `Debug` (and `Display`) of every public type that holds a key or a secret.
//!
//! Tracing output has its own test binary (`tracing.rs`).

use std::sync::{Arc, Mutex};

use digicert::httpmock::MockServer;
use digicert::{ApiKey, ErrorKind, RetryPolicy, partner, services};
use digicert_tests::spec::{self, SpecOperation};
use digicert_tests::{Family, PARTNER_KEY, Reply, SERVICES_KEY, exchange, operation};
use serde_json::{Value, json};

/// Every string leaf of `value` replaced by a distinct secret; returns the secrets.
fn fill_with_secrets(value: &mut Value, prefix: &str, secrets: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            let secret = format!("s3cr3t-{prefix}-{}-Zq8Jk2Lm9Xw4", secrets.len());
            *s = secret.clone();
            secrets.push(secret);
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| fill_with_secrets(v, prefix, secrets)),
        Value::Object(map) => map
            .values_mut()
            .for_each(|v| fill_with_secrets(v, prefix, secrets)),
        _ => {}
    }
}

/// JSON pointers of every leaf and container below the root.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let here = format!("{at}/{i}");
                out.push(here.clone());
                pointers(v, here, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(here.clone());
                pointers(v, here, out);
            }
        }
        _ => {}
    }
}

/// The value every part of an error shows: Display, Debug, and the whole source chain.
fn everything_shown(err: &digicert::Error) -> String {
    let mut shown = format!("{err}\n{err:?}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        shown.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    shown
}

fn success_with_body(op: &SpecOperation) -> Option<(u16, Value)> {
    op.responses
        .iter()
        .find(|r| (200..300).contains(&r.status))
        .and_then(|r| Some((r.status, r.example.clone()?)))
}

#[tokio::test]
async fn no_decode_failure_of_any_operation_shows_a_value_of_the_body() {
    let mut checked = 0;
    for family in Family::ALL {
        for op in spec::operations(family) {
            let Some((status, example)) = success_with_body(&op) else {
                continue;
            };
            let mut base = example.clone();
            let mut secrets = Vec::new();
            fill_with_secrets(&mut base, &op.id, &mut secrets);
            let mut places = Vec::new();
            pointers(&base, String::new(), &mut places);
            // Each variant breaks one place: a string where anything else was, and an
            // object holding a secret where a string was; every other string is a secret.
            let mut variants = vec![("every string a secret".to_owned(), base.clone())];
            for place in &places {
                let mut broken = base.clone();
                let target = broken.pointer_mut(place).expect("a pointer we just made");
                let replacement = if target.is_string() {
                    json!({"nested": format!("s3cr3t-{}-object-Zq8Jk2Lm9Xw4", op.id)})
                } else {
                    json!(format!("s3cr3t-{}-typed-Zq8Jk2Lm9Xw4", op.id))
                };
                *target = replacement;
                variants.push((format!("{place} of the wrong type"), broken));
            }
            let mut all_secrets = secrets.clone();
            all_secrets.push(format!("s3cr3t-{}-object-Zq8Jk2Lm9Xw4", op.id));
            all_secrets.push(format!("s3cr3t-{}-typed-Zq8Jk2Lm9Xw4", op.id));
            let mut failures = 0;
            for (what, body) in variants {
                let harness = operation(family, &op.id);
                let exchanged =
                    exchange(harness, &op.example_input, Reply::json(status, &body)).await;
                let Err(err) = exchanged.outcome else {
                    continue; // this variant decodes (e.g. a free-text field); nothing to show
                };
                failures += 1;
                let label = format!("{}::{} ({what})", family.name(), op.id);
                assert_eq!(err.kind(), ErrorKind::Decode, "{label}: {err}");
                assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{label}");
                let details = err.decode_details().expect("decode details");
                assert!(
                    details.line >= 1 && details.column >= 1,
                    "{label}: {details:?}"
                );
                let shown = everything_shown(&err);
                for secret in &all_secrets {
                    assert!(
                        !shown.contains(secret.as_str()),
                        "{label} shows {secret}:\n{shown}"
                    );
                }
                // The body itself is still there, for whoever asks explicitly.
                let kept: Value = serde_json::from_slice(err.body().expect("body kept"))
                    .expect("the body is the JSON sent");
                assert_eq!(kept, body, "{label}: body kept verbatim");
                checked += 1;
            }
            assert!(
                failures > 0,
                "{}::{}: no variant failed to decode",
                family.name(),
                op.id
            );
        }
    }
    assert!(checked > 200, "only {checked} decode failures checked");
}

/// A server that records every request it gets and answers 200 `{}`.
async fn recorder() -> (MockServer, Arc<Mutex<Vec<String>>>) {
    let server = MockServer::start_async().await;
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = Arc::clone(&seen);
    server
        .mock_async(move |when, then| {
            when.is_true(move |request| {
                let headers: Vec<String> = request
                    .headers_vec()
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect();
                sink.lock().expect("lock").push(format!(
                    "{} {}",
                    request.uri(),
                    headers.join("; ")
                ));
                true
            });
            then.status(200).body("{}");
        })
        .await;
    (server, seen)
}

#[tokio::test]
async fn redirects_to_another_origin_are_not_followed_and_never_carry_the_key() {
    let (elsewhere, seen) = recorder().await;
    let target = format!("{}/collect?from=redirect", elsewhere.base_url());
    for status in [301u16, 302, 307, 308] {
        let origin = MockServer::start_async().await;
        origin
            .mock_async(|_when, then| {
                then.status(status).header("location", target.as_str());
            })
            .await;
        // A caller's own reqwest configuration that follows redirects does not change that.
        let following = digicert::reqwest::Client::builder()
            .redirect(digicert::reqwest::redirect::Policy::limited(10));
        let partner = partner::Client::builder(ApiKey::new(PARTNER_KEY).unwrap())
            .base_url(origin.base_url())
            .http_client(following)
            .retry(RetryPolicy::disabled())
            .build()
            .unwrap();
        let services = services::Client::builder(ApiKey::new(SERVICES_KEY).unwrap())
            .base_url(origin.base_url())
            .retry(RetryPolicy::disabled())
            .no_rate_limit()
            .build()
            .unwrap();
        let errors = [
            partner.get_emergency_emails().send().await.map(drop),
            partner
                .create_subaccount()
                .body_map(|b| b.name("Acme").api_key_name("Prod"))
                .send()
                .await
                .map(drop),
            services
                .get_subaccount()
                .subaccount_id(1)
                .send()
                .await
                .map(drop),
        ];
        for err in errors {
            let err = err.expect_err("a redirect is an error");
            assert_eq!(err.kind(), ErrorKind::Redirect, "{status}: {err}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(err.location(), Some(target.as_str()));
            assert!(!err.is_retryable());
            let shown = everything_shown(&err);
            assert!(shown.contains(&elsewhere.base_url()), "{shown}");
            assert!(
                !shown.contains(PARTNER_KEY) && !shown.contains(SERVICES_KEY),
                "{shown}"
            );
        }
    }
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        &[] as &[String],
        "the other origin was contacted"
    );
}

const NEW_KEY: &str = "fresh-key-shown-once-Zq8Jk2Lm9Xw4";
const HMAC: &str = "eab-hmac-secret-Zq8Jk2Lm9Xw4";
const SECOND_KEY: &str = "second-key-for-finance-Zq8Jk2Lm9Xw4";

#[track_caller]
fn hidden(what: &str, text: &str) {
    for secret in [PARTNER_KEY, SERVICES_KEY, NEW_KEY, HMAC, SECOND_KEY] {
        assert!(!text.contains(secret), "{what} shows {secret}: {text}");
    }
}

#[test]
fn debug_and_display_of_every_type_holding_a_key_are_redacted() {
    let key = ApiKey::new(PARTNER_KEY).unwrap();
    hidden("ApiKey", &format!("{key:?} {key}"));
    let secret = digicert::Secret::new(HMAC);
    hidden("Secret", &format!("{secret:?} {secret}"));

    let partner_builder = partner::Client::builder(key.clone()).base_url("http://127.0.0.1:9");
    hidden("partner ClientBuilder", &format!("{partner_builder:?}"));
    let partner = partner_builder.build().unwrap();
    hidden(
        "partner::Client",
        &format!("{partner:?} {:?}", partner.api_key()),
    );
    let services_builder = services::Client::builder(ApiKey::new(SERVICES_KEY).unwrap());
    hidden("services ClientBuilder", &format!("{services_builder:?}"));
    let services = services_builder.build().unwrap();
    hidden("services::Client", &format!("{services:?}"));

    // Request builders, including the one that carries a second key.
    let finance = partner
        .link_finance_account()
        .cert_central_api_key(ApiKey::new(SECOND_KEY).unwrap());
    hidden("finance builder", &format!("{finance:?}"));
    let preview = finance.preview().expect("a preview");
    hidden("RequestPreview", &format!("{preview:?}\n{preview}"));
    assert_eq!(
        preview
            .headers()
            .iter()
            .filter(|(_, v)| v == "<redacted>")
            .count(),
        2,
        "both keys are sent, redacted: {preview}"
    );
    hidden(
        "create builder",
        &format!("{:?}", services.get_subaccount().subaccount_id(5)),
    );

    // Responses that carry a new key or a secret, typed and as typify's builders.
    let created: partner::types::CreateSubaccountResponse = serde_json::from_value(json!({
        "account_id": 1, "api_key": {"id": 2, "name": "k", "api_key": NEW_KEY}
    }))
    .unwrap();
    hidden("CreateSubaccountResponse", &format!("{created:?}"));
    hidden(
        "types::builder::CreatedApiKey",
        &format!(
            "{:?}",
            partner::types::builder::CreatedApiKey::from(created.api_key.clone())
        ),
    );
    let contract: partner::types::AcmeContractCreated = serde_json::from_value(json!({
        "acme_contract_id": 5678,
        "acme_directory_url": "https://acme.digicert.com/v2/acme/directory/",
        "eab_set": {"kid": "kid-1", "hmac_key": HMAC}
    }))
    .unwrap();
    hidden("AcmeContractCreated", &format!("{contract:?}"));
    let managed: services::types::CreatedSubaccount =
        serde_json::from_value(json!({"id": 7, "api_key": NEW_KEY})).unwrap();
    hidden("CreatedSubaccount", &format!("{managed:?}"));
    assert_eq!(managed.api_key.as_ref().map(ApiKey::expose), Some(NEW_KEY));
    assert_eq!(contract.eab_set.hmac_key.expose(), HMAC);
}

/// No snapshot holds a value of a field the spec marks as a key or secret, not even a
/// made-up example: checked on the parsed snapshots (every secret field redacted) and, as
/// text, against every example value the specs give those fields.
#[test]
fn no_snapshot_shows_a_key_or_secret() {
    let secrets: std::collections::BTreeSet<String> = Family::ALL
        .into_iter()
        .flat_map(spec::secret_properties)
        .collect();
    assert!(
        secrets.contains("api_key") && secrets.contains("hmac_key"),
        "the specs mark their keys: {secrets:?}"
    );
    let dir = spec::workspace_root().join("tests/snapshots");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/snapshots") {
        let path = entry.expect("an entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("snap") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a snapshot");
        // insta's header, then `---`, then the JSON value.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        let value: Value = serde_json::from_str(body)
            .unwrap_or_else(|e| panic!("{}: not JSON after the header: {e}", path.display()));
        let mut redacted = value.clone();
        digicert_tests::redact_secrets(&mut redacted, &secrets);
        assert_eq!(
            value,
            redacted,
            "{} shows a key or secret in clear",
            path.display()
        );
        checked += 1;
    }
    assert!(
        checked > 50,
        "only {checked} snapshots found in {}",
        dir.display()
    );

    // Independently of the redaction above: no snapshot of the client or the CLI contains,
    // as text, any value the specs give a secret field in their examples.
    let mut examples = std::collections::BTreeSet::new();
    for family in Family::ALL {
        collect_secret_examples(&spec::load(family).raw, &secrets, &mut examples);
    }
    assert!(
        !examples.is_empty(),
        "the specs give their secret fields example values"
    );
    let root = spec::workspace_root();
    let mut read = 0;
    for dir in ["tests/snapshots", "crates/digicert-cli/tests/cli/snapshots"] {
        for entry in std::fs::read_dir(root.join(dir)).expect(dir) {
            let path = entry.expect("an entry").path();
            if path.extension().and_then(|e| e.to_str()) != Some("snap") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a snapshot");
            for example in &examples {
                assert!(
                    !text.contains(example.as_str()),
                    "{} contains the example secret {example:?}",
                    path.display()
                );
            }
            read += 1;
        }
    }
    assert!(read > checked, "the CLI's snapshots were read too");
}

/// Every string the spec gives a property named in `secrets`: in examples (`{"api_key":
/// "..."}` anywhere) and as the property schema's own `example`.
fn collect_secret_examples(
    node: &Value,
    secrets: &std::collections::BTreeSet<String>,
    found: &mut std::collections::BTreeSet<String>,
) {
    match node {
        Value::Object(map) => {
            for (name, value) in map {
                if secrets.contains(name) {
                    match value {
                        Value::String(text) => {
                            found.insert(text.clone());
                        }
                        Value::Object(schema) => {
                            if let Some(Value::String(text)) = schema.get("example") {
                                found.insert(text.clone());
                            }
                        }
                        _ => {}
                    }
                }
                collect_secret_examples(value, secrets, found);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect_secret_examples(v, secrets, found)),
        _ => {}
    }
}
