//! Misbehaviour on demand (off unless the sandbox is built with
//! [`SandboxBuilder::faults`](crate::SandboxBuilder::faults) or started with `--faults`):
//! a request may be answered with an error status, delayed, cut off, or have its connection
//! dropped after it was processed, so that a client's retries and timeouts can be tested.
//!
//! Three sources, in this order: the request's `X-Sandbox-Fault` header; a fault queued for
//! the operation (the next N requests); random faults for a share of all requests. The
//! sandbox's own `/_sandbox/` endpoints are never faulted.
//!
//! A fault is written as in the header: `503`, `429;retry-after=2`, `delay=300ms`, `drop`,
//! `truncate`, or several joined by commas (`delay=2s,503`). A status fault answers at
//! once with the family's JSON error and changes nothing; `drop` and `truncate` let the
//! request be processed first, then close the connection without an answer, or in the
//! middle of one.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State as Extract};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::Family;
use crate::serve::Connection;
use crate::server::{Shared, operation_of};

/// The header that asks for a fault.
pub const FAULT_HEADER: &str = "x-sandbox-fault";

/// What to do instead of (or besides) answering normally.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAction {
    /// Answer with this status and the family's JSON error, optionally with `Retry-After`
    /// (seconds), without processing the request.
    Status {
        /// The status, 400 to 599.
        status: u16,
        /// `Retry-After`, in seconds.
        retry_after: Option<u64>,
    },
    /// Process the request, then close the connection without answering.
    Drop,
    /// Process the request, then send the start of the answer and close the connection.
    Truncate,
}

/// One fault: an optional delay before anything happens, then an optional action.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Fault {
    /// How long to wait first.
    pub delay: Option<Duration>,
    /// What to do then (`None`: answer normally, after the delay).
    pub action: Option<FaultAction>,
}

/// Why a fault text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{text}` is not a fault ({why}); write e.g. `503`, `429;retry-after=2`, `delay=300ms`, `drop`, `truncate`, or several joined by commas"
)]
pub struct ParseFaultError {
    text: String,
    why: String,
}

fn parse_duration(text: &str) -> Option<Duration> {
    let (number, unit) = text.trim().split_at(
        text.trim()
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.trim().len()),
    );
    let n: u64 = number.parse().ok()?;
    match unit {
        "ms" => Some(Duration::from_millis(n)),
        "s" | "" => Some(Duration::from_secs(n)),
        _ => None,
    }
}

impl FromStr for Fault {
    type Err = ParseFaultError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |why: &str| ParseFaultError {
            text: text.to_owned(),
            why: why.to_owned(),
        };
        let mut fault = Fault::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let action = if let Some(wait) = part.strip_prefix("delay=") {
                fault.delay =
                    Some(parse_duration(wait).ok_or_else(|| fail("a delay is like 300ms or 2s"))?);
                continue;
            } else if part == "drop" {
                FaultAction::Drop
            } else if part == "truncate" {
                FaultAction::Truncate
            } else {
                let mut pieces = part.split(';').map(str::trim);
                let status: u16 = pieces
                    .next()
                    .and_then(|s| s.parse().ok())
                    .filter(|s| (400..=599).contains(s))
                    .ok_or_else(|| fail("a status fault is a number from 400 to 599"))?;
                let mut retry_after = None;
                for option in pieces {
                    let seconds = option
                        .strip_prefix("retry-after=")
                        .and_then(|s| s.parse().ok())
                        .ok_or_else(|| fail("the only option is retry-after=<seconds>"))?;
                    retry_after = Some(seconds);
                }
                FaultAction::Status {
                    status,
                    retry_after,
                }
            };
            if fault.action.replace(action).is_some() {
                return Err(fail("one action at most (a status, drop or truncate)"));
            }
        }
        if fault == Fault::default() {
            return Err(fail("it is empty"));
        }
        Ok(fault)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(delay) = self.delay {
            parts.push(format!("delay={}ms", delay.as_millis()));
        }
        match &self.action {
            Some(FaultAction::Status {
                status,
                retry_after,
            }) => parts.push(match retry_after {
                Some(s) => format!("{status};retry-after={s}"),
                None => status.to_string(),
            }),
            Some(FaultAction::Drop) => parts.push("drop".into()),
            Some(FaultAction::Truncate) => parts.push("truncate".into()),
            None => {}
        }
        f.write_str(&parts.join(","))
    }
}

impl Serialize for Fault {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fault {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A fault for the next `times` requests of one operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueuedFault {
    /// `partner` or `certcentral`.
    pub family: Family,
    /// The spec's operationId, e.g. `get_subaccount`.
    pub operation: String,
    /// The fault.
    pub fault: Fault,
    /// For how many of the next requests (at least 1).
    pub times: u32,
}

/// Random faults for a share of every request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomFaults {
    /// The share of requests that get a fault, 0 to 1.
    pub rate: f64,
    /// The faults to pick from, evenly.
    pub faults: Vec<Fault>,
    /// Seeds the choice, so a run can be repeated.
    #[serde(default)]
    pub seed: u64,
}

/// The fault settings of a running sandbox.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    queued: Vec<QueuedFault>,
    random: Option<(RandomFaults, fastrand::Rng)>,
}

/// What `GET /_sandbox/faults` answers.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FaultsView {
    queued: Vec<QueuedFault>,
    random: Option<RandomFaults>,
}

impl Faults {
    pub(crate) fn queue(&mut self, fault: QueuedFault) -> Result<(), String> {
        if fault.times == 0 {
            return Err("times: must be at least 1".into());
        }
        let known = match fault.family {
            Family::Partner => digicert::partner::OPERATIONS,
            Family::CertCentral => digicert::services::OPERATIONS,
        }
        .iter()
        .any(|op| op.id == fault.operation);
        if !known {
            return Err(format!(
                "operation: the {:?} API has no operation `{}`",
                fault.family, fault.operation
            ));
        }
        self.queued.push(fault);
        Ok(())
    }

    pub(crate) fn randomly(&mut self, random: RandomFaults) -> Result<(), String> {
        if !(0.0..=1.0).contains(&random.rate) {
            return Err("random.rate: must be between 0 and 1".into());
        }
        if random.faults.is_empty() {
            return Err("random.faults: list at least one fault".into());
        }
        let rng = fastrand::Rng::with_seed(random.seed);
        self.random = Some((random, rng));
        Ok(())
    }

    pub(crate) fn clear(&mut self) {
        *self = Faults::default();
    }

    pub(crate) fn view(&self) -> FaultsView {
        FaultsView {
            queued: self.queued.clone(),
            random: self.random.as_ref().map(|(r, _)| r.clone()),
        }
    }

    /// The queued or random fault for a request of `operation`, if any (and counts it).
    fn take(&mut self, family: Family, operation: Option<&str>) -> Option<Fault> {
        if let Some(operation) = operation
            && let Some(index) = self
                .queued
                .iter()
                .position(|q| q.family == family && q.operation == operation)
        {
            let queued = &mut self.queued[index];
            let fault = queued.fault.clone();
            queued.times -= 1;
            if queued.times == 0 {
                self.queued.remove(index);
            }
            return Some(fault);
        }
        let (random, rng) = self.random.as_mut()?;
        (rng.f64() < random.rate).then(|| random.faults[rng.usize(..random.faults.len())].clone())
    }
}

/// The middleware that applies faults (installed only when faults are enabled).
pub(crate) async fn layer(
    Extract(shared): Extract<Shared>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if path.starts_with(&format!("{}/", crate::server::CONTROL_BASE)) {
        return next.run(request).await;
    }
    let family = crate::server::family_of(&path);
    let operation = operation_of(request.method(), &path).map(|op| op.id);
    let fault = match request.headers().get(FAULT_HEADER) {
        Some(value) => match value.to_str().ok().map(str::parse::<Fault>) {
            Some(Ok(fault)) => Some(fault),
            Some(Err(e)) => {
                return crate::server::refusal_response(
                    family,
                    StatusCode::BAD_REQUEST,
                    &format!("{FAULT_HEADER}: {e}"),
                    None,
                );
            }
            None => {
                return crate::server::refusal_response(
                    family,
                    StatusCode::BAD_REQUEST,
                    &format!("{FAULT_HEADER}: not text"),
                    None,
                );
            }
        },
        None => shared
            .faults()
            .and_then(|mut faults| faults.take(family, operation)),
    };
    let Some(fault) = fault else {
        return next.run(request).await;
    };
    if let Some(delay) = fault.delay {
        tokio::time::sleep(delay).await;
    }
    match fault.action {
        None => next.run(request).await,
        Some(FaultAction::Status {
            status,
            retry_after,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let message = format!("The sandbox answered {status} because a fault was asked for.");
            crate::server::refusal_response(family, status, &message, retry_after)
        }
        Some(FaultAction::Drop) => {
            let connection = request.extensions().get::<Connection>().cloned();
            // Processed first: the client cannot know whether it was.
            let _ = next.run(request).await;
            if let Some(connection) = connection {
                connection.drop_now();
            }
            std::future::pending().await
        }
        Some(FaultAction::Truncate) => {
            let connection = request.extensions().get::<Connection>().cloned();
            let response = next.run(request).await;
            let (mut parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            if bytes.is_empty() {
                // Nothing to cut (a 204): an answer without a body would arrive whole, so
                // the connection closes without one, as for `drop`.
                if let Some(connection) = connection {
                    connection.drop_now();
                }
                return std::future::pending().await;
            }
            let half = Bytes::copy_from_slice(&bytes[..bytes.len() / 2]);
            if let Ok(length) = HeaderValue::from_str(&(bytes.len().max(1) * 2).to_string()) {
                parts
                    .headers
                    .insert(axum::http::header::CONTENT_LENGTH, length);
            }
            let cut = futures_stream(half);
            Response::from_parts(parts, Body::from_stream(cut))
        }
    }
}

/// A body stream: `first`, a short pause (so that hyper flushes the head and `first`),
/// then an error, so that hyper closes the connection in the middle of the answer.
fn futures_stream(first: Bytes) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> {
    use std::future::Future as _;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    struct Cut {
        first: Option<Bytes>,
        pause: Pin<Box<tokio::time::Sleep>>,
        done: bool,
    }
    impl futures_core::Stream for Cut {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            if let Some(first) = self.first.take() {
                return Poll::Ready(Some(Ok(first)));
            }
            if self.done {
                return Poll::Ready(None);
            }
            if self.pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.done = true;
            Poll::Ready(Some(Err(std::io::Error::other("truncated on purpose"))))
        }
    }
    Cut {
        first: Some(first),
        pause: Box::pin(tokio::time::sleep(std::time::Duration::from_millis(50))),
        done: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_read_and_write_as_the_header_spells_them() {
        for (text, shown) in [
            ("503", "503"),
            ("429;retry-after=2", "429;retry-after=2"),
            ("delay=300ms", "delay=300ms"),
            ("delay=2s, 503", "delay=2000ms,503"),
            ("drop", "drop"),
            ("truncate", "truncate"),
        ] {
            let fault: Fault = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(fault.to_string(), shown);
            assert_eq!(fault.to_string().parse::<Fault>(), Ok(fault));
        }
        for bad in [
            "",
            "200",
            "600",
            "503;wait=2",
            "delay=soon",
            "drop,503",
            "teapot",
        ] {
            let err = bad.parse::<Fault>().unwrap_err().to_string();
            assert!(err.contains(&format!("`{bad}` is not a fault")), "{err}");
        }
    }

    #[test]
    fn queued_faults_count_down_and_random_ones_follow_their_seed() {
        let mut faults = Faults::default();
        faults
            .queue(QueuedFault {
                family: Family::CertCentral,
                operation: "get_subaccount".into(),
                fault: "503".parse().unwrap(),
                times: 2,
            })
            .unwrap();
        assert!(
            faults
                .take(Family::CertCentral, Some("get_subaccount"))
                .is_some()
        );
        assert!(
            faults
                .take(Family::Partner, Some("get_subaccount"))
                .is_none()
        );
        assert!(
            faults
                .take(Family::CertCentral, Some("get_subaccount"))
                .is_some()
        );
        assert!(
            faults
                .take(Family::CertCentral, Some("get_subaccount"))
                .is_none()
        );
        let unknown = faults.queue(QueuedFault {
            family: Family::Partner,
            operation: "nope".into(),
            fault: "503".parse().unwrap(),
            times: 1,
        });
        assert!(unknown.unwrap_err().contains("no operation `nope`"));

        let random = RandomFaults {
            rate: 0.3,
            faults: vec!["503".parse().unwrap(), "drop".parse().unwrap()],
            seed: 7,
        };
        let run = |faults: &mut Faults| -> Vec<bool> {
            faults.randomly(random.clone()).unwrap();
            (0..1000)
                .map(|_| faults.take(Family::Partner, None).is_some())
                .collect()
        };
        let first = run(&mut faults);
        let hits = first.iter().filter(|h| **h).count();
        assert!((230..370).contains(&hits), "{hits} of 1000 at rate 0.3");
        assert_eq!(run(&mut faults), first, "the same seed, the same faults");
    }
}
