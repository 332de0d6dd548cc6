//! The sandbox's own control endpoints under `/_sandbox/` (not DigiCert's): its clock, the
//! stand-in for DigiCert's organization validation, and fault injection. JSON in and out;
//! refusals are the Partner error body. They are not recorded in the exchange log, which
//! holds DigiCert operations only, and they are never faulted or rate-limited.
//!
//! Faults: `GET /_sandbox/faults` shows the queued and random faults; `POST /_sandbox/faults`
//! with `{"family": "certcentral", "operation": "get_subaccount", "fault": "503", "times": 2}`
//! queues a fault for the next requests of an operation, or with
//! `{"random": {"rate": 0.3, "faults": ["429", "503", "drop"], "seed": 7}}` faults a share
//! of all requests; `DELETE /_sandbox/faults` clears both. With fault injection off, each
//! answers 404.

use axum::Router;
use axum::body::Body;
use axum::extract::State as Extract;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Shared, error_body, parse_body, read_body, refusal_response, status_of};
use crate::Family;
use crate::faults::{QueuedFault, RandomFaults};
use crate::state::{Refusal, RefusalKind, State};

/// Where the control endpoints live.
pub(crate) const CONTROL_BASE: &str = "/_sandbox";

/// The clock's path under [`CONTROL_BASE`].
const CLOCK: &str = "/clock";
/// Fault injection's path under [`CONTROL_BASE`].
const FAULTS: &str = "/faults";
/// Organization validation's path under [`CONTROL_BASE`], around the contract ID.
const VALIDATE: (&str, &str) = ("/partner/acme/", "/validate-organization");

/// Adds the control routes.
pub(super) fn routes(router: Router<Shared>) -> Router<Shared> {
    router
        .route(
            &format!("{CONTROL_BASE}{CLOCK}"),
            get(read_clock).post(change_clock),
        )
        .route(
            &format!(
                "{CONTROL_BASE}{}{{acme_contract_id}}{}",
                VALIDATE.0, VALIDATE.1
            ),
            post(validate_organization),
        )
        .route(
            &format!("{CONTROL_BASE}{FAULTS}"),
            get(show_faults).post(add_faults).delete(clear_faults),
        )
}

/// The methods a control path answers, for `Allow` on a 405 (empty for other paths).
pub(super) fn allowed_methods(path: &str) -> Vec<&'static str> {
    if path == super::certcentral::ACCOUNT_EMAILS_PATH {
        return vec!["GET", "HEAD"];
    }
    let Some(rest) = path.strip_prefix(CONTROL_BASE) else {
        return Vec::new();
    };
    if rest == CLOCK {
        vec!["GET", "HEAD", "POST"]
    } else if rest == FAULTS {
        vec!["GET", "HEAD", "POST", "DELETE"]
    } else if rest
        .strip_prefix(VALIDATE.0)
        .and_then(|r| r.strip_suffix(VALIDATE.1))
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
    {
        vec!["POST"]
    } else {
        Vec::new()
    }
}

/// `POST /_sandbox/clock`: exactly one of the two.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    /// Move the clock this many seconds ahead.
    advance_seconds: Option<u64>,
    /// Set the clock to this time (RFC 3339), not earlier than now.
    set: Option<DateTime<Utc>>,
}

const CLOCK_SHAPE: &str = r#"{"advance_seconds": 2678400} or {"set": "2030-01-01T00:00:00Z"}"#;

fn clock_json(state: &State) -> Value {
    json!({
        "now": state.clock.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "offset_seconds": state.clock.offset_seconds(),
    })
}

/// `GET /_sandbox/clock`: `{"now": "<RFC 3339>", "offset_seconds": N}`.
async fn read_clock(Extract(shared): Extract<Shared>) -> Response {
    let state = shared.lock();
    answer(Ok(clock_json(&state)))
}

async fn change_clock(Extract(shared): Extract<Shared>, body: Body) -> Response {
    let bytes = read_body(body).await;
    let result = {
        let mut state = shared.lock();
        (|| {
            let change: ClockChange = parse_body(&bytes, CLOCK_SHAPE)?;
            let moved = match (change.advance_seconds, change.set) {
                (Some(seconds), None) => state.clock.advance(seconds),
                (None, Some(to)) => state.clock.set(to),
                _ => {
                    return Err(Refusal::invalid(format!(
                        "send exactly one of advance_seconds and set, like {CLOCK_SHAPE}"
                    )));
                }
            };
            moved.map_err(Refusal::invalid)?;
            Ok(clock_json(&state))
        })()
    };
    answer(result)
}

/// `POST /_sandbox/partner/acme/{acme_contract_id}/validate-organization`:
/// `{"acme_contract_id": N, "is_organization_validated": true}`.
async fn validate_organization(Extract(shared): Extract<Shared>, uri: Uri) -> Response {
    let raw = uri
        .path()
        .strip_prefix(CONTROL_BASE)
        .and_then(|rest| rest.strip_prefix(VALIDATE.0))
        .and_then(|rest| rest.strip_suffix(VALIDATE.1))
        .unwrap_or_default();
    let result = match raw.parse::<i64>() {
        Ok(id) if raw.bytes().all(|b| b.is_ascii_digit()) => shared
            .lock()
            .validate_organization(id)
            .map(|()| json!({"acme_contract_id": id, "is_organization_validated": true})),
        _ => Err(Refusal::new(
            RefusalKind::NotFound,
            format!(
                "acme_contract_id: \"{raw}\" is not a valid ID (an integer), so nothing has it"
            ),
        )),
    };
    answer(result)
}

/// 200 with the JSON, or the refusal as the Partner error body.
fn answer(result: Result<Value, Refusal>) -> Response {
    let (status, body) = match result {
        Ok(value) => (StatusCode::OK, value),
        Err(refusal) => (
            status_of(refusal.kind),
            error_body(Family::Partner, &refusal),
        ),
    };
    (
        status,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body.to_string(),
    )
        .into_response()
}

/// The body of `POST /_sandbox/faults`: a queued fault, or random faults.
enum FaultsRequest {
    Random { random: RandomFaults },
    Queued(QueuedFault),
}

/// `{"random": {...}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RandomRequest {
    random: RandomFaults,
}

const QUEUED_SHAPE: &str =
    r#"{"family": "certcentral", "operation": "get_subaccount", "fault": "503", "times": 2}"#;
const RANDOM_SHAPE: &str =
    r#"{"random": {"rate": 0.3, "faults": ["429", "503", "drop"], "seed": 7}}"#;

fn off() -> Response {
    refusal_response(
        Family::Partner,
        StatusCode::NOT_FOUND,
        "Fault injection is off: build the sandbox with SandboxBuilder::faults(true) or start it with --faults.",
        None,
    )
}

fn json_answer(value: &impl serde::Serialize) -> Response {
    let body = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned());
    (
        StatusCode::OK,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

fn invalid(message: &str) -> Response {
    refusal_response(Family::Partner, StatusCode::BAD_REQUEST, message, None)
}

async fn show_faults(Extract(shared): Extract<Shared>) -> Response {
    match shared.faults() {
        Some(faults) => json_answer(&faults.view()),
        None => off(),
    }
}

async fn add_faults(Extract(shared): Extract<Shared>, body: Body) -> Response {
    if shared.faults.is_none() {
        return off();
    }
    let bytes = match read_body(body).await {
        Ok(bytes) => bytes,
        Err(refusal) => return invalid(&refusal.message),
    };
    // Which of the two shapes decides how it is read, so that an error names the field
    // (an untagged enum would only say that neither shape matched).
    let is_random =
        serde_json::from_slice::<Value>(&bytes).is_ok_and(|value| value.get("random").is_some());
    let parsed = if is_random {
        parse_body::<RandomRequest>(&Ok(bytes), RANDOM_SHAPE)
            .map(|r| FaultsRequest::Random { random: r.random })
    } else {
        parse_body::<QueuedFault>(&Ok(bytes), QUEUED_SHAPE).map(FaultsRequest::Queued)
    };
    let request = match parsed {
        Ok(request) => request,
        Err(refusal) => return invalid(&refusal.message),
    };
    let Some(mut faults) = shared.faults() else {
        return off();
    };
    let result = match request {
        FaultsRequest::Queued(queued) => faults.queue(queued),
        FaultsRequest::Random { random } => faults.randomly(random),
    };
    match result {
        Ok(()) => json_answer(&faults.view()),
        Err(message) => invalid(&message),
    }
}

async fn clear_faults(Extract(shared): Extract<Shared>) -> Response {
    match shared.faults() {
        Some(mut faults) => {
            faults.clear();
            StatusCode::NO_CONTENT.into_response()
        }
        None => off(),
    }
}
