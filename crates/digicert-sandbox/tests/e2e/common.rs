//! What every end-to-end test shares: a recording sandbox, typed clients for its seeded
//! keys, refusal assertions, and [`finish`], which every test ends with: it validates every
//! response the sandbox sent against the spec (operation and status) and fails on any 5xx.

use std::fmt::Debug;
use std::path::Path;
use std::sync::OnceLock;

use digicert::services::types::SubaccountCreate;
use digicert::{ApiKey, partner, services};
use digicert_codegen::schema::SchemaValidator;
use digicert_sandbox::{CertCentralKeySeed, Family, KeyKind, Sandbox, Seed};
use serde_json::{Value, json};

/// A sandbox with the built-in seed that records every exchange.
pub(crate) async fn start() -> Sandbox {
    Sandbox::builder()
        .record_exchanges(true)
        .start()
        .await
        .expect("the sandbox starts")
}

/// A recording sandbox with `seed`.
pub(crate) async fn start_seeded(seed: Seed) -> Sandbox {
    Sandbox::builder()
        .seed(seed)
        .record_exchanges(true)
        .start()
        .await
        .expect("the sandbox starts")
}

/// The seeded key of `kind`.
#[track_caller]
pub(crate) fn key(sandbox: &Sandbox, kind: KeyKind) -> ApiKey {
    sandbox
        .key(kind)
        .cloned()
        .unwrap_or_else(|| panic!("the seed has a {kind:?} key"))
}

/// A Partner client with the seeded key of `kind`.
#[track_caller]
pub(crate) fn partner(sandbox: &Sandbox, kind: KeyKind) -> partner::Client {
    sandbox
        .partner_client(key(sandbox, kind))
        .expect("partner client")
}

/// A CertCentral client with the seeded CertCentral key.
#[track_caller]
pub(crate) fn services(sandbox: &Sandbox) -> services::Client {
    services_with(sandbox, key(sandbox, KeyKind::CertCentral))
}

/// A CertCentral client for the sandbox with `key`, without the client's rate limit: the
/// limiter is shared by every client with the same key in the process, and the tests of
/// this binary run in parallel with the same seeded key, so their requests together
/// (not any one test's) would otherwise be slowed to 100 per 5 seconds.
#[track_caller]
pub(crate) fn services_with(sandbox: &Sandbox, key: ApiKey) -> services::Client {
    services::Client::builder(key)
        .base_url(sandbox.services_url())
        .no_rate_limit()
        .build()
        .expect("services client")
}

/// How many responses the sandbox sent for `operation` so far.
pub(crate) fn calls(sandbox: &Sandbox, operation: &str) -> usize {
    sandbox
        .exchanges()
        .iter()
        .filter(|e| e.operation_id == Some(operation))
        .count()
}

/// One family's spec (loaded once) and a validator of its responses.
pub(crate) struct LoadedSpec {
    /// The spec as JSON, to check the sandbox against the facts it states.
    pub(crate) raw: Value,
    validator: SchemaValidator,
}

/// `family`'s spec, loaded once per test binary.
pub(crate) fn spec(family: Family) -> &'static LoadedSpec {
    static SPECS: OnceLock<[LoadedSpec; 2]> = OnceLock::new();
    let specs = SPECS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        [digicert_codegen::PARTNER, digicert_codegen::SERVICES].map(|codegen| {
            let spec =
                digicert_codegen::load(&root.join(codegen.spec)).unwrap_or_else(|e| panic!("{e}"));
            LoadedSpec {
                validator: SchemaValidator::new(&spec),
                raw: spec.raw,
            }
        })
    });
    match family {
        Family::Partner => &specs[0],
        Family::CertCentral => &specs[1],
    }
}

/// `{"emergency_contact_emails": [...]}`.
pub(crate) fn emails(addresses: &[&str]) -> partner::types::EmergencyContactEmailsChange {
    partner::types::EmergencyContactEmailsChange {
        emergency_contact_emails: addresses.iter().map(|a| (*a).to_owned()).collect(),
    }
}

/// The error of a call that must have been refused.
#[track_caller]
pub(crate) fn refused<T: Debug>(result: digicert::Result<T>) -> digicert::Error {
    match result {
        Ok(value) => panic!("expected a refusal, got success: {value:?}"),
        Err(err) => err,
    }
}

/// Asserts a refusal with `status`, DigiCert error `code` and a message containing `says`.
#[track_caller]
pub(crate) fn assert_refused<T: Debug>(
    result: digicert::Result<T>,
    status: u16,
    code: &str,
    says: &str,
) {
    let err = refused(result);
    assert_eq!(
        err.status().map(|s| s.as_u16()),
        Some(status),
        "status of {err}"
    );
    let first = err
        .errors()
        .first()
        .unwrap_or_else(|| panic!("no DigiCert errors in {err}"));
    assert_eq!(first.code, code, "code of {err}");
    assert!(
        first.message.contains(says),
        "message `{}` does not contain `{says}`",
        first.message
    );
}

/// A plain HTTP client, for what the typed client cannot send.
pub(crate) fn http() -> digicert::reqwest::Client {
    digicert::reqwest::Client::new()
}

/// Reads a raw response: status and JSON body (`Null` when empty).
pub(crate) async fn raw(response: digicert::reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a response body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("every body the sandbox sends is JSON")
    };
    (status, body)
}

/// The first error's code and message of a raw error body.
#[track_caller]
pub(crate) fn first_error(body: &Value) -> (&str, &str) {
    let first = &body["errors"][0];
    (
        first["code"].as_str().expect("errors[0].code"),
        first["message"].as_str().expect("errors[0].message"),
    )
}

/// Asserts that one response (seen outside a recording sandbox) conforms to the spec.
#[track_caller]
pub(crate) fn assert_conforms(family: Family, operation: &str, status: u16, body: Option<&Value>) {
    if let Err(problems) = spec(family)
        .validator
        .validate_response(operation, status, body)
    {
        panic!("{operation} {status}: {}", problems.join("; "));
    }
}

/// Ends a test: every response the sandbox sent must be documented by the spec for its
/// operation and status and match its schema; unknown routes and methods (404, 405) must
/// still carry the family's error body; every error body names a code and a message; no
/// response is a 5xx. Then the sandbox must shut down cleanly.
pub(crate) async fn finish(sandbox: Sandbox) {
    let exchanges = sandbox.exchanges();
    assert!(!exchanges.is_empty(), "the test sent no request");
    let error_schema = json!({"$ref": "#/components/schemas/ErrorResponse"});
    let mut problems = Vec::new();
    for exchange in &exchanges {
        let validator = &spec(exchange.family).validator;
        let what = format!(
            "{} {} -> {} ({})",
            exchange.method,
            exchange.path,
            exchange.status,
            exchange.operation_id.unwrap_or("no operation")
        );
        if exchange.status >= 500 {
            problems.push(format!("{what}: a 5xx"));
        }
        let checked = match exchange.operation_id {
            Some(operation) => {
                validator.validate_response(operation, exchange.status, exchange.body.as_ref())
            }
            None if matches!(exchange.status, 404 | 405) => match &exchange.body {
                Some(body) => validator.validate(&error_schema, body),
                None => Err(vec!["no error body".to_owned()]),
            },
            None => Err(vec![
                "an unknown route answered neither 404 nor 405".to_owned(),
            ]),
        };
        if let Err(found) = checked {
            problems.push(format!("{what}: {}", found.join("; ")));
        }
        if exchange.status >= 400 {
            let first = exchange.body.as_ref().map(|b| &b["errors"][0]);
            let named = first.is_some_and(|e| {
                e["code"].as_str().is_some_and(|c| !c.is_empty())
                    && e["message"].as_str().is_some_and(|m| !m.is_empty())
            });
            if !named {
                problems.push(format!("{what}: the error body lacks a code or message"));
            }
        }
    }
    sandbox.shutdown().await.expect("the sandbox stops cleanly");
    assert!(
        problems.is_empty(),
        "{} of {} responses do not conform:\n{}",
        problems.len(),
        exchanges.len(),
        problems.join("\n")
    );
}

// CertCentral fixtures.

/// A new subaccount of `account_type` that may create `allowed` types.
pub(crate) fn new_subaccount(account_type: &str, allowed: &[&str], name: &str) -> SubaccountCreate {
    serde_json::from_value(json!({
        "account_type": account_type,
        "allowed_grandchildren": allowed,
        "user": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@new.example"},
        "organization": {
            "name": name, "address": "1 Test Road", "zip": "43604", "city": "Toledo",
            "state": "Ohio", "country": "US", "telephone": "555-0199"
        }
    }))
    .expect("a valid SubaccountCreate")
}

/// The built-in seed plus a key for each of `accounts` (named `key-of-<id>`).
pub(crate) fn seed_with_keys(accounts: &[i64]) -> Seed {
    let mut seed = Seed::builtin();
    for account in accounts {
        seed.certcentral.api_keys.push(CertCentralKeySeed::new(
            *account,
            format!("key of {account}"),
            ApiKey::new(format!("key-of-{account}")).unwrap(),
        ));
    }
    seed
}

pub(crate) fn key_of(account: i64) -> ApiKey {
    ApiKey::new(format!("key-of-{account}")).unwrap()
}
