//! The sandbox's own endpoints, under `/_sandbox/` (not DigiCert's): fault injection.
//!
//! `GET /_sandbox/faults` shows the queued and random faults; `POST /_sandbox/faults` with
//! `{"family": "certcentral", "operation": "get_subaccount", "fault": "503", "times": 2}`
//! queues a fault for the next requests of an operation, or with
//! `{"random": {"rate": 0.3, "faults": ["429", "503", "drop"], "seed": 7}}` faults a share
//! of all requests; `DELETE /_sandbox/faults` clears both. Answers are JSON; refusals use the
//! Partner error shape. With fault injection off, every one of them answers 404.

use axum::Router;
use axum::body::Body;
use axum::extract::State as Extract;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::{CONTROL_BASE, Shared, read_body, refusal_response};
use crate::Family;
use crate::faults::{QueuedFault, RandomFaults};

/// Adds the control routes.
pub(super) fn routes(router: Router<Shared>) -> Router<Shared> {
    router.route(
        &format!("{CONTROL_BASE}faults"),
        get(show_faults).post(add_faults).delete(clear_faults),
    )
}

/// The body of `POST /_sandbox/faults`: a queued fault, or random faults.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum FaultsRequest {
    Random { random: RandomFaults },
    Queued(QueuedFault),
}

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
    let request: FaultsRequest = match serde_json::from_slice(&bytes) {
        Ok(request) => request,
        Err(e) => {
            return invalid(&format!(
                "expected {{\"family\", \"operation\", \"fault\", \"times\"}} or {{\"random\": {{\"rate\", \"faults\", \"seed\"}}}}: {e}"
            ));
        }
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
