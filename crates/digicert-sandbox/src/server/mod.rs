//! The HTTP side: axum routes for both families under their real base paths, request
//! parsing that never lets axum answer on its own (every refusal is the family's JSON
//! error body), and the optional log of every response sent.
//!
//! Each handler reads the body first (outside the lock), then takes the state lock once
//! and, under it, authenticates the key, checks its scope, parses the body and applies the
//! rule. Order of refusals: 401 (key), 403 (scope), 400 (body or ID), 404, as DigiCert's
//! own documentation implies (an unauthenticated caller learns nothing about the rest).

use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State as Extract;
use axum::http::header::AsHeaderName;
use axum::http::header::{ALLOW, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use digicert::partner::types as pt;
use digicert::services::types as st;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::Family;
use crate::faults::Faults;
use crate::limits::Limits;
use crate::log::Exchange;
use crate::state::{Refusal, RefusalKind, State};

mod certcentral;
mod control;
mod partner;

pub(crate) use control::CONTROL_BASE;

/// Where DigiCert serves the Partner Subscriptions API v1: the path of the spec's
/// production URL.
pub(crate) const PARTNER_BASE: &str = path_of(digicert::partner::Client::PRODUCTION_URL);
/// Where DigiCert serves the CertCentral Services API v2: the path of the spec's
/// production URL.
pub(crate) const SERVICES_BASE: &str = path_of(digicert::services::Client::PRODUCTION_URL);
/// The Partner key header, from the spec (parsed once: looking a header up by a `&str`
/// parses the name on every request).
static PARTNER_HEADER: LazyLock<HeaderName> =
    LazyLock::new(|| header_name(digicert::partner::Client::API_KEY_HEADER));
/// The CertCentral key header, from the spec.
static SERVICES_HEADER: LazyLock<HeaderName> =
    LazyLock::new(|| header_name(digicert::services::Client::API_KEY_HEADER));

/// A header name from the spec. The codegen refuses a security scheme whose header name is
/// not a valid HTTP header name, so this never falls back in practice.
fn header_name(name: &str) -> HeaderName {
    HeaderName::from_bytes(name.as_bytes())
        .unwrap_or(HeaderName::from_static("x-invalid-key-header"))
}

/// The path of an absolute URL: everything from the `/` after `scheme://host`, at compile
/// time (the codegen checks that every server URL has that form).
const fn path_of(url: &'static str) -> &'static str {
    let bytes = url.as_bytes();
    let (mut at, mut slashes) = (0, 0);
    while at < bytes.len() {
        if bytes[at] == b'/' {
            slashes += 1;
            if slashes == 3 {
                break;
            }
        }
        at += 1;
    }
    let (_, path) = bytes.split_at(at);
    match std::str::from_utf8(path) {
        Ok(path) => path,
        Err(_) => panic!("a server URL is not UTF-8"),
    }
}
/// The largest request body read; larger ones are refused with 400.
const BODY_LIMIT: usize = 64 * 1024;
/// How long a request body may take to arrive (a body shorter than its `Content-Length`
/// would otherwise keep the request waiting forever).
const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// The longest request target (path and query) answered; longer is 414.
const MAX_URI: usize = 8 * 1024;
/// The largest request head (all headers) answered; larger is 431.
const MAX_HEADERS: usize = 32 * 1024;
/// How many random bytes a new API key has (as hex, after a `sbx_` prefix).
const KEY_BYTES: usize = 20;

/// What every handler shares: the state behind its one lock, and the exchange log.
/// No `Debug`: the state holds API keys.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) state: Arc<Mutex<State>>,
    pub(crate) exchanges: Option<Arc<Mutex<Vec<Exchange>>>>,
    /// Fault injection, when on.
    pub(crate) faults: Option<Arc<Mutex<Faults>>>,
    /// CertCentral's rate limits, when emulated.
    pub(crate) limits: Option<Arc<Mutex<Limits>>>,
}

impl Shared {
    /// The state lock. A panic while holding it cannot leave a half-applied change (every
    /// rule decides before it writes), so a poisoned lock is still usable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The fault settings, when fault injection is on.
    pub(crate) fn faults(&self) -> Option<MutexGuard<'_, Faults>> {
        self.faults
            .as_ref()
            .map(|f| f.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The rate-limit state, when rate limits are emulated.
    pub(crate) fn limits(&self) -> Option<MutexGuard<'_, Limits>> {
        self.limits
            .as_ref()
            .map(|l| l.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The responses sent so far, when recording.
    pub(crate) fn exchanges(&self) -> Vec<Exchange> {
        self.exchanges
            .as_ref()
            .map(|log| log.lock().unwrap_or_else(PoisonError::into_inner).clone())
            .unwrap_or_default()
    }
}

/// The router serving both families, the sandbox's own endpoints, and (when on) fault
/// injection and rate-limit emulation in front of them.
pub(crate) fn router(shared: Shared) -> Router {
    let router = Router::new();
    let router = partner::routes(router);
    let router = certcentral::routes(router);
    let mut router = control::routes(router)
        .fallback(no_such_route)
        .method_not_allowed_fallback(no_such_method);
    // The last layer added runs first: head limits, then faults, then rate limits.
    if shared.limits.is_some() {
        router = router.layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            crate::limits::layer,
        ));
    }
    if shared.faults.is_some() {
        router = router.layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            crate::faults::layer,
        ));
    }
    router
        .layer(axum::middleware::from_fn(check_head))
        .with_state(shared)
}

/// Refuses, with the family's JSON error, a request target longer than [`MAX_URI`] (414)
/// or a head larger than [`MAX_HEADERS`] (431). hyper's own limit is far higher, so these
/// answers come from here, not as hyper's empty ones.
async fn check_head(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let family = family_of(request.uri().path());
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if target > MAX_URI {
        let message = format!("The request target is longer than {MAX_URI} bytes.");
        return refusal_response(family, StatusCode::URI_TOO_LONG, &message, None);
    }
    let head: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if head > MAX_HEADERS {
        let message = format!(
            "The request headers are larger than {} KiB.",
            MAX_HEADERS / 1024
        );
        return refusal_response(
            family,
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            &message,
            None,
        );
    }
    next.run(request).await
}

/// A JSON error answer of `family` with `status` (and `Retry-After` in seconds), for the
/// layers in front of the handlers; not recorded as an exchange (it is not the API's).
pub(crate) fn refusal_response(
    family: Family,
    status: StatusCode,
    message: &str,
    retry_after: Option<u64>,
) -> Response {
    // The statuses only these layers send have codes of their own; the others are the
    // refusals the handlers send, with the same codes.
    let code = match (family, status.as_u16()) {
        (Family::CertCentral, 429) => "request_limit_exceeded",
        (Family::Partner, 429) => "rate_limit_exceeded",
        (_, 503) => "service_unavailable",
        (_, 502) => "bad_gateway",
        (_, 504) => "gateway_timeout",
        (_, 401) => code_of(family, RefusalKind::Unauthorized),
        (_, 403) => code_of(family, RefusalKind::Forbidden),
        (_, 404) => code_of(family, RefusalKind::NotFound),
        (_, 405) => code_of(family, RefusalKind::MethodNotAllowed),
        (_, 500..=599) => code_of(family, RefusalKind::Internal),
        _ => code_of(family, RefusalKind::Invalid),
    };
    let body = error_value(family, code, message);
    let mut response = (
        status,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body.to_string(),
    )
        .into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// The request a response answers, for the exchange log and the error shape.
struct Call {
    family: Family,
    operation: Option<&'static str>,
    method: Method,
    /// Cheap to clone (shared bytes); its path is copied only when recorded.
    uri: Uri,
}

impl Call {
    fn new(family: Family, operation: Option<&'static str>, method: &Method, uri: &Uri) -> Self {
        Self {
            family,
            operation,
            method: method.clone(),
            uri: uri.clone(),
        }
    }
}

/// A successful answer.
enum Success {
    /// A JSON body (already serialised) with this status.
    Json(StatusCode, Vec<u8>),
    /// A JSON body serialised by [`respond`], after the state lock is released: for lists,
    /// whose serialisation would otherwise keep every other request waiting.
    Later(StatusCode, Serialise),
    /// 204 without a body.
    NoContent,
}

/// Serialises an owned response value to JSON bytes.
type Serialise = Box<dyn FnOnce() -> serde_json::Result<Vec<u8>> + Send>;

/// Like [`json_of`], for an owned value (a list built under the lock): serialised once the
/// lock is released.
fn json_later<T: Serialize + Send + 'static>(
    status: StatusCode,
    value: T,
) -> Result<Success, Refusal> {
    Ok(Success::Later(
        status,
        Box::new(move || serde_json::to_vec(&value)),
    ))
}

/// Serialises a generated response type straight to the bytes sent (no `Value` tree in
/// between: on a large record that doubled the cost of a GET).
fn json_of<T: Serialize>(status: StatusCode, value: &T) -> Result<Success, Refusal> {
    serde_json::to_vec(value)
        .map(|bytes| Success::Json(status, bytes))
        .map_err(|e| {
            Refusal::new(
                RefusalKind::Internal,
                format!("could not write the response: {e}"),
            )
        })
}

/// Answers a call: success or refusal, recorded when the sandbox records.
fn respond(shared: &Shared, call: Call, result: Result<Success, Refusal>) -> Response {
    let (status, body) = match result {
        Ok(Success::Json(status, bytes)) => (status, Some(bytes)),
        Ok(Success::Later(status, serialise)) => match serialise() {
            Ok(bytes) => (status, Some(bytes)),
            Err(e) => {
                let refusal = Refusal::new(
                    RefusalKind::Internal,
                    format!("could not write the response: {e}"),
                );
                (
                    status_of(refusal.kind),
                    Some(error_body(call.family, &refusal).to_string().into_bytes()),
                )
            }
        },
        Ok(Success::NoContent) => (StatusCode::NO_CONTENT, None),
        Err(refusal) => (
            status_of(refusal.kind),
            Some(error_body(call.family, &refusal).to_string().into_bytes()),
        ),
    };
    // Parsed back only when recording (off unless asked for).
    let recorded = shared
        .exchanges
        .as_ref()
        .map(|_| body.as_deref().and_then(|b| serde_json::from_slice(b).ok()));
    let mut response = match body {
        Some(bytes) => (
            status,
            [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            bytes,
        )
            .into_response(),
        None => status.into_response(),
    };
    if status == StatusCode::METHOD_NOT_ALLOWED {
        let allowed = allowed_methods(call.uri.path()).join(", ");
        if let Ok(value) = HeaderValue::from_str(&allowed) {
            response.headers_mut().insert(ALLOW, value);
        }
    }
    if let (Some(log), Some(body)) = (&shared.exchanges, recorded) {
        log.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Exchange {
                family: call.family,
                operation_id: call.operation,
                method: call.method.as_str().to_owned(),
                path: call.uri.path().to_owned(),
                status: status.as_u16(),
                body,
            });
    }
    response
}

fn status_of(kind: RefusalKind) -> StatusCode {
    match kind {
        RefusalKind::Invalid => StatusCode::BAD_REQUEST,
        RefusalKind::Unauthorized => StatusCode::UNAUTHORIZED,
        RefusalKind::Forbidden => StatusCode::FORBIDDEN,
        RefusalKind::NotFound | RefusalKind::NoRoute => StatusCode::NOT_FOUND,
        RefusalKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        RefusalKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The error code of a refusal in each family: the Partner codes are the ones DigiCert's
/// general error page lists (`invalid_request`, `invalid_api_key`, `access_denied`,
/// `resource_not_found`); the CertCentral ones come from CertCentral's error page and our
/// spec's examples.
fn code_of(family: Family, kind: RefusalKind) -> &'static str {
    match (family, kind) {
        (Family::Partner, RefusalKind::Invalid) => "invalid_request",
        (Family::CertCentral, RefusalKind::Invalid) => "bad_request_format",
        (_, RefusalKind::Unauthorized) => "invalid_api_key",
        (Family::Partner, RefusalKind::Forbidden) => "access_denied",
        (Family::CertCentral, RefusalKind::Forbidden) => "access_denied|missing_permission",
        (Family::Partner, RefusalKind::NotFound | RefusalKind::NoRoute) => "resource_not_found",
        (Family::CertCentral, RefusalKind::NotFound) => "not_found",
        (Family::CertCentral, RefusalKind::NoRoute) => "not_found|route",
        (_, RefusalKind::MethodNotAllowed) => "method_not_allowed",
        (_, RefusalKind::Internal) => "internal_error",
    }
}

/// `{"errors": [{"code", "message"}]}`, built from the family's generated error type.
fn error_body(family: Family, refusal: &Refusal) -> Value {
    error_value(family, code_of(family, refusal.kind), &refusal.message)
}

/// The family's error body with one error of `code` and `message`.
fn error_value(family: Family, code: &str, message: &str) -> Value {
    let (code, message) = (code.to_owned(), message.to_owned());
    let body = match family {
        Family::Partner => serde_json::to_value(pt::ErrorResponse {
            errors: vec![pt::ErrorDetail {
                code: Some(code.clone()),
                message: Some(message.clone()),
            }],
        }),
        Family::CertCentral => serde_json::to_value(st::ErrorResponse {
            errors: vec![st::ErrorDetail {
                code: Some(code.clone()),
                message: Some(message.clone()),
            }],
        }),
    };
    body.unwrap_or_else(|_| json!({"errors": [{"code": code, "message": message}]}))
}

/// The spec operations whose path template matches `path` (under its family's base), with
/// how many literal segments matched: `{param}` matches any one non-empty segment.
fn matching_operations(path: &str) -> Vec<(usize, &'static digicert::Operation)> {
    let (operations, rest) = match (
        path.strip_prefix(PARTNER_BASE),
        path.strip_prefix(SERVICES_BASE),
    ) {
        (Some(rest), _) => (digicert::partner::OPERATIONS, rest),
        (_, Some(rest)) => (digicert::services::OPERATIONS, rest),
        _ => return Vec::new(),
    };
    let segments: Vec<&str> = rest.split('/').collect();
    operations
        .iter()
        .filter_map(|op| {
            let template: Vec<&str> = op.path.split('/').collect();
            if template.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (t, s) in template.iter().zip(&segments) {
                if t.starts_with('{') && t.ends_with('}') && !s.is_empty() {
                    continue;
                }
                if t != s {
                    return None;
                }
                literal += 1;
            }
            Some((literal, op))
        })
        .collect()
}

/// The most literal matches only: `/account/subaccount/order` is the orders list, not a
/// subaccount called `order`.
fn best_matches(path: &str) -> Vec<&'static digicert::Operation> {
    let matches = matching_operations(path);
    let best = matches.iter().map(|(literal, _)| *literal).max();
    matches
        .into_iter()
        .filter(|(literal, _)| Some(*literal) == best)
        .map(|(_, op)| op)
        .collect()
}

/// The operation a request is for, by method and path.
pub(crate) fn operation_of(method: &Method, path: &str) -> Option<&'static digicert::Operation> {
    let method = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    best_matches(path)
        .into_iter()
        .find(|op| op.method == method)
}

/// The methods a known path answers, for `Allow` on a 405: those of the spec's operations
/// whose path template matches it best, plus HEAD wherever there is GET.
fn allowed_methods(path: &str) -> Vec<&'static str> {
    if path.starts_with(CONTROL_BASE) {
        return control::allowed_methods(path);
    }
    let mut methods: Vec<&'static str> = best_matches(path).iter().map(|op| op.method).collect();
    if methods.contains(&"GET") {
        methods.push("HEAD");
    }
    let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
    methods.sort_by_key(|m| order.iter().position(|o| o == m));
    methods.dedup();
    methods
}

/// The family a path belongs to: CertCentral under its base, the Partner API otherwise.
pub(crate) fn family_of(path: &str) -> Family {
    if path.starts_with(SERVICES_BASE) {
        Family::CertCentral
    } else {
        Family::Partner
    }
}

async fn no_such_route(Extract(shared): Extract<Shared>, method: Method, uri: Uri) -> Response {
    let family = family_of(uri.path());
    let call = Call::new(family, None, &method, &uri);
    let message = format!(
        "No route {} {}. The sandbox serves the Partner Subscriptions API under {PARTNER_BASE} and CertCentral under {SERVICES_BASE}.",
        method,
        uri.path()
    );
    respond(
        &shared,
        call,
        Err(Refusal::new(RefusalKind::NoRoute, message)),
    )
}

async fn no_such_method(Extract(shared): Extract<Shared>, method: Method, uri: Uri) -> Response {
    let call = Call::new(family_of(uri.path()), None, &method, &uri);
    let message = format!(
        "{} does not answer {method}; it answers {}.",
        uri.path(),
        allowed_methods(uri.path()).join(", ")
    );
    respond(
        &shared,
        call,
        Err(Refusal::new(RefusalKind::MethodNotAllowed, message)),
    )
}

/// Reads the whole request body (up to [`BODY_LIMIT`], within [`BODY_TIMEOUT`]).
async fn read_body(body: Body) -> Result<Bytes, Refusal> {
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, BODY_LIMIT)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(Refusal::invalid(format!(
            "the request body could not be read or is larger than {} KiB",
            BODY_LIMIT / 1024
        ))),
        Err(_) => Err(Refusal::invalid(format!(
            "the request body did not arrive within {} s (shorter than its Content-Length?)",
            BODY_TIMEOUT.as_secs()
        ))),
    }
}

/// Parses a JSON request body into the generated type `T`. Every failure is a 400 whose
/// message names the field (`emergency_contact_emails[0]: invalid type ...`, `missing
/// field `name``) or says the body is not JSON at all.
fn parse_body<T: DeserializeOwned>(
    bytes: &Result<Bytes, Refusal>,
    shape: &str,
) -> Result<T, Refusal> {
    let bytes = bytes.as_ref().map_err(Clone::clone)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal::invalid(format!(
            "the request body is empty; expected JSON like {shape}"
        )));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.inner();
        let message = match inner.classify() {
            serde_json::error::Category::Data if path == "." => {
                format!("{inner}; expected JSON like {shape}")
            }
            serde_json::error::Category::Data => format!("{path}: {inner}"),
            _ => {
                format!("the request body is not valid JSON ({inner}); expected JSON like {shape}")
            }
        };
        Refusal::invalid(message)
    })?;
    deserializer.end().map_err(|e| {
        Refusal::invalid(format!(
            "the request body has more after its JSON value ({e})"
        ))
    })?;
    Ok(value)
}

/// The key in `header`, if sent. A value that is not text cannot be a key, so it reads as
/// an unknown (empty) key rather than a missing one.
fn key_in(headers: &HeaderMap, header: impl AsHeaderName) -> Option<&str> {
    headers
        .get(header)
        .map(|value| value.to_str().unwrap_or_default())
}

/// The CertCentral key of a request, if sent (for the layers in front of the handlers).
pub(crate) fn services_key(headers: &HeaderMap) -> Option<&str> {
    key_in(headers, &*SERVICES_HEADER)
}

/// A fresh key nobody uses: `sbx_` and 40 random hex digits.
fn fresh_key(state: &State) -> Result<String, Refusal> {
    loop {
        let key = format!("sbx_{}", hex(&random_bytes::<KEY_BYTES>("a new API key")?));
        if !state.key_taken(&key) {
            return Ok(key);
        }
    }
}

/// `N` random bytes; `what` says what for, should the system have no randomness.
fn random_bytes<const N: usize>(what: &str) -> Result<[u8; N], Refusal> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| {
        Refusal::new(
            RefusalKind::Internal,
            format!("the sandbox has no randomness for {what}: {e}"),
        )
    })?;
    Ok(bytes)
}

/// Lower-case hex digits of `bytes`.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_the_paths_of_the_spec_urls() {
        assert_eq!(PARTNER_BASE, "/partner-subscription/api/v1");
        assert_eq!(SERVICES_BASE, "/services/v2");
        assert_eq!(path_of("https://host"), "");
        // The EU URL serves the same paths.
        assert_eq!(path_of(digicert::services::Client::EU_URL), SERVICES_BASE);
    }
}
