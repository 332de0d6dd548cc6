//! Test harness for digicert-rs: runs the generated clients against httpmock, captures the
//! request that actually arrived, reduces it to a canonical JSON shape, and reads the
//! operations, examples and documented statuses straight from the specs.
//!
//! Adding an operation to a spec means adding one [`Operation`] line to [`OPERATIONS`]:
//! everything else (which statuses to try, which examples to send) comes from the spec.

pub mod scenarios;
pub mod script;
pub mod spec;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use digicert::{ApiKey, Response, RetryPolicy, partner, services};
use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use serde_json::{Map, Value, json};

/// The Partner key the test clients send.
pub const PARTNER_KEY: &str = "test-partner-key-0001";
/// The CertCentral key the test clients send.
pub const SERVICES_KEY: &str = "test-certcentral-key-0001";
/// What a request shape shows instead of an API key that matched the client's key.
pub const KEY_MATCHED: &str = "<redacted: the client's API key>";
/// What a request shape shows instead of the CertCentral key a Partner operation sends as
/// its second key (`link_finance_account`).
pub const SECOND_KEY_MATCHED: &str = "<redacted: the CertCentral key given to the call>";
/// What a request shape shows when the key header held something else.
pub const KEY_MISMATCH: &str = "<WRONG VALUE: not the client's API key>";
/// What a request shape shows for a test key in a header that should not carry it.
pub const KEY_MISPLACED: &str = "<WRONG PLACE: an API key in this header>";

/// The two API families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Partner Subscriptions API v1.
    Partner,
    /// CertCentral Services API v2.
    Services,
}

impl Family {
    /// Both families.
    pub const ALL: [Family; 2] = [Family::Partner, Family::Services];

    /// The codegen's description of this family.
    pub fn codegen(self) -> &'static digicert_codegen::Family {
        match self {
            Family::Partner => &digicert_codegen::PARTNER,
            Family::Services => &digicert_codegen::SERVICES,
        }
    }

    /// Short name (`partner`, `services`), used in snapshot names.
    pub fn name(self) -> &'static str {
        self.codegen().name
    }

    /// The path DigiCert serves the family under; the test clients use it too, so that
    /// captured paths read like the real ones.
    pub fn base_path(self) -> &'static str {
        match self {
            Family::Partner => "/partner-subscription/api/v1",
            Family::Services => "/services/v2",
        }
    }

    /// The key the test client of this family sends.
    pub fn key(self) -> &'static str {
        match self {
            Family::Partner => PARTNER_KEY,
            Family::Services => SERVICES_KEY,
        }
    }

    /// The header that carries the key, lower case (the client's constant, which the
    /// codegen writes from the spec's security scheme).
    pub fn key_header(self) -> String {
        match self {
            Family::Partner => partner::Client::API_KEY_HEADER,
            Family::Services => services::Client::API_KEY_HEADER,
        }
        .to_ascii_lowercase()
    }
}

/// One client of each family, pointed at a mock server.
#[derive(Debug)]
pub struct Clients {
    /// Partner Subscriptions client with [`PARTNER_KEY`].
    pub partner: partner::Client,
    /// CertCentral client with [`SERVICES_KEY`].
    pub services: services::Client,
}

impl Clients {
    /// Clients whose base URLs are `server_url` plus each family's real base path. They
    /// make exactly one attempt per call and have no rate limit: every exchange here is
    /// one request and one answer (retries and the limiter have their own tests).
    pub fn new(server_url: &str) -> Clients {
        let key = |k: &str| ApiKey::new(k).expect("test keys are valid");
        Clients {
            partner: partner::Client::builder(key(PARTNER_KEY))
                .base_url(format!("{server_url}{}", Family::Partner.base_path()))
                .retry(RetryPolicy::disabled())
                .build()
                .expect("partner test client"),
            services: services::Client::builder(key(SERVICES_KEY))
                .base_url(format!("{server_url}{}/", Family::Services.base_path()))
                .retry(RetryPolicy::disabled())
                .no_rate_limit()
                .build()
                .expect("services test client"),
        }
    }
}

/// What a scenario passes to an operation: parameters by name and an optional body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Input {
    /// Path and query parameters by name.
    pub params: Map<String, Value>,
    /// The request body as JSON; the operation decodes it into its typed body.
    pub body: Option<Value>,
}

impl Input {
    /// The typed request body.
    #[track_caller]
    pub fn body<T: serde::de::DeserializeOwned>(&self) -> T {
        let body = self
            .body
            .clone()
            .expect("this operation needs a request body");
        serde_json::from_value(body)
            .unwrap_or_else(|e| panic!("scenario body does not fit the type: {e}"))
    }

    /// A typed optional parameter: `None` when the scenario leaves it out.
    #[track_caller]
    pub fn optional<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.params.contains_key(name).then(|| self.param(name))
    }

    /// A typed parameter.
    #[track_caller]
    pub fn param<T: serde::de::DeserializeOwned>(&self, name: &str) -> T {
        let value = self
            .params
            .get(name)
            .unwrap_or_else(|| panic!("scenario lacks parameter `{name}`"));
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("parameter `{name}`: {e}"))
    }
}

/// A successful call: status and the typed value, serialised back to JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// HTTP status.
    pub status: u16,
    /// The typed response value as JSON (`null` for no content).
    pub value: Value,
}

/// Turns a generated method's success value into a [`Decoded`].
pub fn decoded<T: serde::Serialize>(response: Response<T>) -> Decoded {
    let status = response.status().as_u16();
    let value = serde_json::to_value(response.into_inner()).expect("typed values serialise");
    Decoded { status, value }
}

/// The future an operation's call returns.
pub type CallFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Decoded, digicert::Error>> + Send + 'a>>;

/// How the harness calls one generated operation.
#[derive(Clone, Copy)]
pub struct Operation {
    /// Which family.
    pub family: Family,
    /// The operationId (and Rust method name).
    pub id: &'static str,
    /// Calls the generated method with a scenario's input.
    pub call: for<'a> fn(&'a Clients, &'a Input) -> CallFuture<'a>,
}

impl std::fmt::Debug for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}::{}", self.family.name(), self.id)
    }
}

/// Declares an [`Operation`]: `op!(Family, id, |clients, input| builder-expression)`.
macro_rules! op {
    ($family:ident, $id:ident, |$c:ident, $i:ident| $call:expr) => {
        Operation {
            family: Family::$family,
            id: stringify!($id),
            call: |$c, $i| Box::pin(async move { Ok(decoded($call.send().await?)) }),
        }
    };
}

/// Every operation of both specs, as the harness calls it. A test fails, naming it, when
/// a spec operation is missing here (or this lists one the specs no longer have).
pub const OPERATIONS: &[Operation] = &[
    // Partner Subscriptions: account management.
    op!(Partner, create_subaccount, |c, i| c
        .partner
        .create_subaccount()
        .body(i.body::<partner::types::CreateSubaccountRequest>())),
    op!(Partner, get_emergency_emails, |c, _i| c
        .partner
        .get_emergency_emails()),
    op!(Partner, add_emergency_emails, |c, i| c
        .partner
        .add_emergency_emails()
        .body(
            i.body::<partner::types::EmergencyContactEmailsChange>()
        )),
    op!(Partner, delete_emergency_emails, |c, i| c
        .partner
        .delete_emergency_emails()
        .body(
            i.body::<partner::types::EmergencyContactEmailsChange>()
        )),
    op!(Partner, get_acme_reporting, |c, _i| c
        .partner
        .get_acme_reporting()),
    op!(Partner, list_account_settings, |c, _i| c
        .partner
        .list_account_settings()),
    op!(Partner, update_account_setting, |c, i| c
        .partner
        .update_account_setting()
        .body(i.body::<partner::types::AccountSettingUpdate>())),
    // Partner Subscriptions: API keys.
    op!(Partner, list_api_keys, |c, _i| c.partner.list_api_keys()),
    op!(Partner, get_api_key, |c, i| c
        .partner
        .get_api_key()
        .api_key_id(i.param::<i64>("api_key_id"))),
    op!(Partner, create_api_key, |c, i| c
        .partner
        .create_api_key()
        .account_id(i.param::<i64>("account_id"))
        .body(i.body::<partner::types::CreateApiKeyRequest>())),
    op!(Partner, update_api_key_status, |c, i| c
        .partner
        .update_api_key_status()
        .api_key_id(i.param::<i64>("api_key_id"))
        .body(i.body::<partner::types::ApiKeyStatusUpdate>())),
    // Partner Subscriptions: ACME contracts.
    op!(Partner, create_acme_contract, |c, i| c
        .partner
        .create_acme_contract()
        .body(i.body::<partner::types::CreateAcmeContractRequest>())),
    op!(Partner, get_acme_contract, |c, i| c
        .partner
        .get_acme_contract()
        .acme_contract_id(i.param::<i64>("acme_contract_id"))),
    op!(Partner, replace_acme_contract, |c, i| c
        .partner
        .replace_acme_contract()
        .acme_contract_id(i.param::<i64>("acme_contract_id"))
        .body(i.body::<partner::types::AcmeContractReplacement>())),
    op!(Partner, update_acme_contract, |c, i| c
        .partner
        .update_acme_contract()
        .acme_contract_id(i.param::<i64>("acme_contract_id"))
        .body(i.body::<partner::types::AcmeContractUpdate>())),
    op!(Partner, cancel_acme_contract, |c, i| c
        .partner
        .cancel_acme_contract()
        .acme_contract_id(i.param::<i64>("acme_contract_id"))),
    op!(Partner, add_acme_sans, |c, i| c
        .partner
        .add_acme_sans()
        .acme_contract_id(i.param::<i64>("acme_contract_id"))
        .body(i.body::<partner::types::AcmeSansChange>())),
    op!(Partner, remove_acme_sans, |c, i| c
        .partner
        .remove_acme_sans()
        .acme_contract_id(i.param::<i64>("acme_contract_id"))
        .body(i.body::<partner::types::AcmeSansChange>())),
    op!(Partner, list_acme_certificates, |c, i| c
        .partner
        .list_acme_certificates()
        .acme_contract_id(i.param::<i64>("acme_contract_id"))),
    op!(Partner, list_acme_credentials, |c, i| c
        .partner
        .list_acme_credentials()
        .acme_contract_id(i.param::<i64>("acme_contract_id"))),
    op!(Partner, regenerate_acme_credentials, |c, i| c
        .partner
        .regenerate_acme_credentials()
        .acme_contract_id(i.param::<i64>("acme_contract_id"))
        .body(
            i.body::<partner::types::AcmeCredentialsRegenerateRequest>()
        )),
    op!(Partner, revoke_acme_credentials, |c, i| c
        .partner
        .revoke_acme_credentials()
        .acme_contract_id(i.param::<i64>("acme_contract_id"))),
    op!(Partner, revoke_acme_credential, |c, i| c
        .partner
        .revoke_acme_credential()
        .acme_contract_id(i.param::<i64>("acme_contract_id"))
        .credential_id(i.param::<i64>("credential_id"))),
    // Partner Subscriptions: finance (a second key, CertCentral's, besides the client's).
    op!(Partner, link_finance_account, |c, _i| c
        .partner
        .link_finance_account()
        .cert_central_api_key(
            ApiKey::new(SERVICES_KEY).expect("a valid key")
        )),
    // CertCentral: subaccounts and the account.
    op!(Services, create_subaccount, |c, i| c
        .services
        .create_subaccount()
        .body(i.body::<services::types::SubaccountCreate>())),
    op!(Services, update_account_emails, |c, i| c
        .services
        .update_account_emails()
        .body(i.body::<services::types::AccountEmailsChange>())),
    op!(Services, list_subaccounts, |c, i| {
        let mut call = c.services.list_subaccounts();
        if let Some(search) = i.optional::<String>("filters[search]") {
            call = call.filters_search(search);
        }
        if let Some(sort) = i.optional::<String>("sort") {
            call = call.sort(sort);
        }
        if let Some(offset) = i.optional::<i64>("offset") {
            call = call.offset(offset);
        }
        if let Some(limit) = i.optional::<i64>("limit") {
            call = call.limit(limit);
        }
        call
    }),
    op!(Services, list_subaccount_orders, |c, i| {
        let mut call = c.services.list_subaccount_orders();
        if let Some(sort) = i.optional::<String>("sort") {
            call = call.sort(sort);
        }
        if let Some(offset) = i.optional::<i64>("offset") {
            call = call.offset(offset);
        }
        if let Some(limit) = i.optional::<i64>("limit") {
            call = call.limit(limit);
        }
        call
    }),
    op!(Services, get_subaccount, |c, i| c
        .services
        .get_subaccount()
        .subaccount_id(i.param::<i64>("subaccount_id"))),
    op!(Services, update_subaccount, |c, i| c
        .services
        .update_subaccount()
        .subaccount_id(i.param::<i64>("subaccount_id"))
        .body(i.body::<services::types::SubaccountUpdate>())),
    op!(Services, list_subaccount_products, |c, i| c
        .services
        .list_subaccount_products()
        .subaccount_id(i.param::<i64>("subaccount_id"))),
    op!(Services, set_subaccount_products, |c, i| c
        .services
        .set_subaccount_products()
        .subaccount_id(i.param::<i64>("subaccount_id"))
        .body(i.body::<services::types::SubaccountProductsChange>())),
    op!(Services, get_subaccount_report, |c, i| c
        .services
        .get_subaccount_report()
        .subaccount_id(i.param::<i64>("subaccount_id"))),
];

/// The harness entry for `family`'s operation `id`.
#[track_caller]
pub fn operation(family: Family, id: &str) -> Operation {
    *OPERATIONS
        .iter()
        .find(|op| op.family == family && op.id == id)
        .unwrap_or_else(|| {
            panic!(
                "{} operation `{id}` has no entry in digicert_tests::OPERATIONS: add one line there",
                family.name()
            )
        })
}

/// What the mock server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Content type, when there is a body.
    pub content_type: Option<&'static str>,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// A JSON reply.
    pub fn json(status: u16, body: &Value) -> Reply {
        Reply {
            status,
            content_type: Some("application/json"),
            body: serde_json::to_vec(body).expect("JSON serialises"),
        }
    }

    /// A reply without a body.
    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            content_type: None,
            body: Vec::new(),
        }
    }

    /// A reply with another content type (e.g. a proxy's HTML page).
    pub fn raw(status: u16, content_type: &'static str, body: &str) -> Reply {
        Reply {
            status,
            content_type: Some(content_type),
            body: body.as_bytes().to_vec(),
        }
    }
}

/// One call: the request that arrived, as a canonical shape, and what the client made of
/// the reply.
#[derive(Debug)]
pub struct Exchange {
    /// See [`shape`].
    pub request: Value,
    /// The call's result.
    pub outcome: Result<Decoded, digicert::Error>,
}

/// Calls `op` with `input` against a fresh mock server answering `reply`, and captures the
/// one request that arrived.
pub async fn exchange(op: Operation, input: &Input, reply: Reply) -> Exchange {
    let server = MockServer::start_async().await;
    let captured: Arc<Mutex<Vec<HttpMockRequest>>> = Arc::default();
    let sink = Arc::clone(&captured);
    server
        .mock_async(move |_when, then| {
            then.respond_with(move |request: &HttpMockRequest| {
                sink.lock().expect("capture lock").push(request.clone());
                let mut response = HttpMockResponse::builder().status(reply.status);
                if let Some(content_type) = reply.content_type {
                    response = response.header("content-type", content_type);
                }
                response.body(reply.body.clone()).build()
            });
        })
        .await;
    let clients = Clients::new(&server.base_url());
    let outcome = (op.call)(&clients, input).await;
    let requests = captured.lock().expect("capture lock").clone();
    assert_eq!(
        requests.len(),
        1,
        "{op:?}: expected exactly one request to reach the server, got {}",
        requests.len()
    );
    Exchange {
        request: shape(&requests[0], op.family),
        outcome,
    }
}

/// Reduces a request to what matters on the wire: method, path, decoded and sorted query,
/// headers (lower-cased, sorted, without `host` and `content-length`, the API key replaced
/// by [`KEY_MATCHED`] when it is the client's key, our user agent without its version),
/// and the body as JSON (`null` when empty).
pub fn shape(request: &HttpMockRequest, family: Family) -> Value {
    let uri = request.uri();
    let mut query: Vec<(String, String)> = uri.query().map(url_decode_pairs).unwrap_or_default();
    query.sort();
    let mut headers = std::collections::BTreeMap::new();
    for (name, value) in request.headers_vec() {
        let name = name.to_ascii_lowercase();
        if name == "host" || name == "content-length" {
            continue;
        }
        let value = if name == family.key_header() {
            if value == family.key() {
                KEY_MATCHED
            } else {
                KEY_MISMATCH
            }
            .to_owned()
        } else if family == Family::Partner
            && name == Family::Services.key_header()
            && value == SERVICES_KEY
        {
            // link_finance_account's second key, CertCentral's, in CertCentral's header.
            SECOND_KEY_MATCHED.to_owned()
        } else if value == PARTNER_KEY || value == SERVICES_KEY {
            KEY_MISPLACED.to_owned()
        } else if name == "user-agent" && value.starts_with("digicert-rs/") {
            "digicert-rs/<version>".to_owned()
        } else {
            value.clone()
        };
        headers.insert(name, value);
    }
    let body = request.body_ref();
    let body = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body)
            .unwrap_or_else(|_| json!(format!("<non-JSON body: {} bytes>", body.len())))
    };
    json!({
        "method": request.method_str(),
        "path": uri.path(),
        "query": query.into_iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "headers": headers,
        "body": body,
    })
}

fn url_decode_pairs(query: &str) -> Vec<(String, String)> {
    let parsed = digicert::reqwest::Url::parse(&format!("http://query.invalid/?{query}"))
        .expect("a query string always makes a URL");
    parsed
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The outcome as JSON: the decoded value, or our error's kind, status, codes and messages.
///
/// Secrets are shown as `"<redacted>"`: every string under a property the spec marks as a
/// key or secret ([`spec::secret_properties`]), even the spec's made-up examples, so that no
/// snapshot ever holds one.
pub fn outcome_json(outcome: &Result<Decoded, digicert::Error>) -> Value {
    match outcome {
        Ok(decoded) => {
            let mut value = decoded.value.clone();
            redact_secrets(&mut value, &SECRET_PROPERTIES);
            json!({"ok": {"status": decoded.status, "value": value}})
        }
        Err(err) => json!({"error": error_json(err)}),
    }
}

/// Every secret property name of both specs.
static SECRET_PROPERTIES: std::sync::LazyLock<std::collections::BTreeSet<String>> =
    std::sync::LazyLock::new(|| {
        Family::ALL
            .into_iter()
            .flat_map(spec::secret_properties)
            .collect()
    });

/// Replaces every string under a property named in `secrets` with `"<redacted>"`.
pub fn redact_secrets(value: &mut Value, secrets: &std::collections::BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (name, field) in map.iter_mut() {
                if secrets.contains(name) && field.is_string() {
                    *field = json!("<redacted>");
                } else {
                    redact_secrets(field, secrets);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact_secrets(v, secrets)),
        _ => {}
    }
}

/// Our public error as JSON: what a caller can see of it.
pub fn error_json(err: &digicert::Error) -> Value {
    let mut shown = json!({
        "kind": format!("{:?}", err.kind()),
        "status": err.status().map(|s| s.as_u16()),
        "errors": err.errors(),
        "display": err.to_string(),
        "attempts": err.attempts(),
        "retryable": err.is_retryable(),
    });
    if let Some(d) = err.decode_details() {
        shown["decode"] = json!({
            "path": d.path, "line": d.line, "column": d.column, "problem": d.problem,
        });
    }
    shown
}

/// A JSON value in a canonical form, for comparing a decoded value with the spec's
/// example: `null` members removed (the generated types leave out absent optional fields,
/// which an example may spell as `null`), numbers as floats (`198` and `198.0` are the same
/// cost), and RFC 3339 timestamps in UTC with `Z` (`+00:00` and `Z` are the same instant).
pub fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), canonical(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Value::Number(n) => n.as_f64().map_or_else(|| value.clone(), |f| json!(f)),
        Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(at) => json!(
                at.with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            ),
            Err(_) => value.clone(),
        },
        other => other.clone(),
    }
}

/// Compiles the README's code blocks, so the front door cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
