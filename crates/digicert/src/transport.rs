//! The client's runtime: every generated `send()` hands its built request to
//! [`Transport::execute_json`] or [`Transport::execute_empty`], which add the key, wait for
//! the rate limiter, send with a per-attempt timeout, retry what may be retried within the
//! total deadline, trace, and decode.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument as _;

use crate::rate_limit::Limiter;
use crate::{ApiKey, Error, ErrorKind, Operation, RequestPreview, Response, RetryPolicy};

/// What differs between the two API families, as the generated code declares it (from the
/// spec and `digicert_codegen::Family`).
#[derive(Debug)]
pub(crate) struct Family {
    /// `partner` or `services`.
    pub(crate) name: &'static str,
    /// The header that carries the family's key.
    pub(crate) api_key_header: &'static str,
    /// The default base URL (the spec's first server).
    pub(crate) default_url: &'static str,
    /// Whether every request carries `Content-Type: application/json`.
    pub(crate) always_send_content_type: bool,
}

/// Timeouts of one client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Timeouts {
    /// One attempt: connecting, sending and reading the whole answer.
    pub(crate) attempt: Duration,
    /// A whole call: every attempt and the waits between them (not the rate limiter's).
    pub(crate) total: Duration,
}

/// Everything a client's calls share. Cloning is cheap (one `Arc`).
#[derive(Clone)]
pub(crate) struct Transport(Arc<Shared>);

struct Shared {
    family: &'static Family,
    http: reqwest::Client,
    base_url: String,
    /// The base URL's origin: scheme, host, port (compared without allocating).
    origin: (String, Option<String>, Option<u16>),
    key: ApiKey,
    key_header: HeaderName,
    /// The key as a header value, marked sensitive: made once, cloned (a reference count)
    /// into every request.
    key_value: HeaderValue,
    retry: RetryPolicy,
    timeouts: Timeouts,
    limiter: Option<Arc<Limiter>>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shared = &self.0;
        f.debug_struct("Transport")
            .field("family", &shared.family.name)
            .field("base_url", &shared.base_url)
            .field("key", &shared.key)
            .field("retry", &shared.retry)
            .field("timeouts", &shared.timeouts)
            .field("rate_limited", &shared.limiter.is_some())
            .finish()
    }
}

/// The settings a [`Transport`] is made of (checked by the client builder).
pub(crate) struct Settings {
    pub(crate) family: &'static Family,
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) key: ApiKey,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeouts: Timeouts,
    pub(crate) limiter: Option<Arc<Limiter>>,
}

/// How one attempt ended.
enum Attempt {
    Answer(StatusCode, HeaderMap, Bytes),
    Failed(Error),
}

impl Transport {
    pub(crate) fn new(settings: Settings) -> Result<Self, Error> {
        let url = Url::parse(&settings.base_url).map_err(|e| {
            Error::config_with(format!("base URL `{}` is not a URL", settings.base_url), e)
        })?;
        let key_header = HeaderName::from_bytes(settings.family.api_key_header.as_bytes())
            .map_err(|e| Error::config_with("the API key header is not a header name", e))?;
        let key_value = sensitive(&settings.key)?;
        Ok(Self(Arc::new(Shared {
            family: settings.family,
            http: settings.http,
            origin: (
                url.scheme().to_owned(),
                url.host_str().map(str::to_owned),
                url.port_or_known_default(),
            ),
            key_value,
            base_url: settings.base_url,
            key: settings.key,
            key_header,
            retry: settings.retry,
            timeouts: settings.timeouts,
            limiter: settings.limiter,
        })))
    }

    /// The base URL requests are built on, without a trailing `/`.
    pub(crate) fn base_url(&self) -> &str {
        &self.0.base_url
    }

    /// The HTTP client.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.0.http
    }

    /// The client's key.
    pub(crate) fn key(&self) -> &ApiKey {
        &self.0.key
    }

    /// The retry policy.
    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.0.retry
    }

    /// Sends an operation whose success answer is a JSON body, and decodes it into `T`.
    pub(crate) async fn execute_json<T: DeserializeOwned>(
        &self,
        operation: &'static Operation,
        request: Result<reqwest::Request, Error>,
        extra_keys: &[(&'static str, &ApiKey)],
    ) -> Result<Response<T>, Error> {
        let (status, headers, body, attempts) = self.call(operation, request, extra_keys).await?;
        match crate::decode::json::<T>(&body) {
            Ok(value) => Ok(Response::new(value, status, headers)),
            Err(details) => {
                let mut err =
                    Error::decode(status, headers, body, details).for_operation(operation);
                err.set_attempts(attempts, false, None);
                Err(err)
            }
        }
    }

    /// Sends an operation whose success answer has no body.
    pub(crate) async fn execute_empty(
        &self,
        operation: &'static Operation,
        request: Result<reqwest::Request, Error>,
        extra_keys: &[(&'static str, &ApiKey)],
    ) -> Result<Response<()>, Error> {
        let (status, headers, _, _) = self.call(operation, request, extra_keys).await?;
        Ok(Response::new((), status, headers))
    }

    /// The request a call would send, with the keys added (and shown redacted).
    pub(crate) fn preview(
        &self,
        operation: &'static Operation,
        request: Result<reqwest::Request, Error>,
        extra_keys: &[(&'static str, &ApiKey)],
    ) -> Result<RequestPreview, Error> {
        let request = self.prepare(operation, request?, extra_keys)?;
        Ok(RequestPreview::from_request(operation, &request))
    }

    /// One call with its retries, traced as one span.
    async fn call(
        &self,
        operation: &'static Operation,
        request: Result<reqwest::Request, Error>,
        extra_keys: &[(&'static str, &ApiKey)],
    ) -> Result<(StatusCode, HeaderMap, Bytes, u32), Error> {
        let span = tracing::info_span!(
            "digicert",
            family = self.0.family.name,
            operation_id = operation.id,
            method = operation.method,
            path = operation.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = async {
            let request = self.prepare(operation, request?, extra_keys)?;
            self.attempts(operation, request, extra_keys).await
        }
        .instrument(span.clone())
        .await;
        let (status, attempts) = match &result {
            Ok((status, _, _, attempts)) => (Some(*status), *attempts),
            Err(err) => (err.status(), err.attempts()),
        };
        if let Some(status) = status {
            span.record("status", status.as_u16());
        }
        span.record("attempts", attempts);
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        result
    }

    /// Adds the key headers (marked sensitive) and the content type; refuses a request
    /// that would go anywhere but the base URL's origin.
    fn prepare(
        &self,
        operation: &'static Operation,
        mut request: reqwest::Request,
        extra_keys: &[(&'static str, &ApiKey)],
    ) -> Result<reqwest::Request, Error> {
        let url = request.url();
        let (scheme, host, port) = &self.0.origin;
        if url.scheme() != scheme
            || url.host_str() != host.as_deref()
            || url.port_or_known_default() != *port
        {
            return Err(Error::config(
                "a request URL left the base URL's origin; the API key is sent nowhere else",
            )
            .for_operation(operation));
        }
        let headers = request.headers_mut();
        headers.insert(self.0.key_header.clone(), self.0.key_value.clone());
        for (header, key) in extra_keys {
            let name = HeaderName::from_bytes(header.as_bytes()).map_err(|e| {
                Error::config_with("a key header is not a header name", e).for_operation(operation)
            })?;
            headers.insert(
                name,
                sensitive(key).map_err(|e| e.for_operation(operation))?,
            );
        }
        if self.0.family.always_send_content_type && !headers.contains_key(CONTENT_TYPE) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        Ok(request)
    }

    /// The attempts of one call: limiter, per-attempt timeout, retry decision, backoff.
    async fn attempts(
        &self,
        operation: &'static Operation,
        request: reqwest::Request,
        extra_keys: &[(&'static str, &ApiKey)],
    ) -> Result<(StatusCode, HeaderMap, Bytes, u32), Error> {
        let shared = &self.0;
        let policy = &shared.retry;
        let mut template = Some(request);
        let mut attempt = 0u32;
        let mut waited = Duration::ZERO;
        let started = Instant::now();
        loop {
            attempt += 1;
            if let Some(limiter) = &shared.limiter {
                waited += limiter.acquire().await;
            }
            // A request whose body cannot be cloned is sent once.
            let request = match template.as_ref().and_then(reqwest::Request::try_clone) {
                Some(copy) if attempt < policy.attempts() => copy,
                _ => template.take().ok_or_else(|| {
                    Error::config("the request could not be repeated").for_operation(operation)
                })?,
            };
            let spent = started.elapsed().saturating_sub(waited);
            let budget = shared.timeouts.attempt.min(
                shared
                    .timeouts
                    .total
                    .saturating_sub(spent)
                    .max(Duration::from_millis(1)),
            );
            let outcome = match tokio::time::timeout(budget, self.send(request)).await {
                Ok(outcome) => outcome,
                Err(_) => Attempt::Failed(Error::transport(
                    ErrorKind::Timeout,
                    format!("no complete answer within {}", show(budget)),
                    None,
                )),
            };
            let (mut err, retryable) = match outcome {
                Attempt::Answer(status, headers, body)
                    if operation.success.contains(&status.as_u16()) =>
                {
                    return Ok((status, headers, body, attempt));
                }
                Attempt::Answer(status, headers, body) => {
                    let retryable = matches!(status.as_u16(), 429 | 502 | 503 | 504)
                        || (status.is_server_error() && operation.idempotent);
                    (Error::from_response(status, headers, body), retryable)
                }
                Attempt::Failed(err) => {
                    let retryable = err.kind() == ErrorKind::Connect
                        || (operation.idempotent
                            && matches!(err.kind(), ErrorKind::Timeout | ErrorKind::Transport));
                    (err, retryable)
                }
            };
            err = err.for_operation(operation);
            let mut keys: Vec<&ApiKey> = vec![&shared.key];
            keys.extend(extra_keys.iter().map(|(_, key)| *key));
            err.redact_keys(&keys);
            let reason = err.to_string();
            // A request whose body could not be copied was sent before the last attempt and
            // is gone: it cannot be repeated.
            let retryable = retryable && (template.is_some() || attempt >= policy.attempts());
            if !retryable {
                err.set_attempts(attempt, false, None);
                return Err(err);
            }
            if attempt >= policy.attempts() {
                err.set_attempts(attempt, true, None);
                return Err(err);
            }
            let delay =
                match policy.delay_after(attempt, err.status(), err.headers(), err.base_code()) {
                    Ok(delay) => delay,
                    Err(why) => {
                        err.set_attempts(attempt, true, Some(why));
                        return Err(err);
                    }
                };
            let spent = started.elapsed().saturating_sub(waited);
            if spent.saturating_add(delay) >= shared.timeouts.total {
                let why = format!(
                    "the next retry would end after the {} deadline",
                    show(shared.timeouts.total)
                );
                err.set_attempts(attempt, true, Some(why));
                return Err(err);
            }
            tracing::info!(
                attempt,
                delay_ms = delay.as_millis() as u64,
                reason = %reason,
                "retrying DigiCert call"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: send, then read the whole body.
    async fn send(&self, request: reqwest::Request) -> Attempt {
        let response = match self.0.http.execute(request).await {
            Ok(response) => response,
            Err(e) => return Attempt::Failed(classify(e, "sending the request")),
        };
        let status = response.status();
        let mut response = response;
        let headers = std::mem::take(response.headers_mut());
        match response.bytes().await {
            Ok(body) => Attempt::Answer(status, headers, body),
            Err(e) => Attempt::Failed(classify(e, "reading the answer")),
        }
    }
}

/// A key as a header value, marked sensitive (kept out of reqwest's and hyper's `Debug`).
fn sensitive(key: &ApiKey) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(key.expose()).map_err(|_| {
        // Not reachable for keys made by ApiKey::new; never echo the key.
        Error::config("the API key cannot be sent as a header")
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A reqwest failure as one of our kinds. reqwest's messages name the URL, never headers.
fn classify(e: reqwest::Error, doing: &str) -> Error {
    if e.is_connect() {
        Error::transport(
            ErrorKind::Connect,
            format!("could not connect to DigiCert ({})", connect_cause(&e)),
            Some(e),
        )
    } else if e.is_timeout() {
        Error::transport(ErrorKind::Timeout, format!("timed out {doing}"), Some(e))
    } else {
        Error::transport(
            ErrorKind::Transport,
            format!("the connection failed while {doing}"),
            Some(e),
        )
    }
}

/// The innermost cause of a connect error, e.g. `Connection refused (os error 111)`.
fn connect_cause(e: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// A duration for people: `30 s`, `250 ms`.
fn show(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport(base_url: &str) -> Transport {
        Transport::new(Settings {
            family: &crate::partner::Client::FAMILY,
            http: reqwest::Client::new(),
            base_url: base_url.to_owned(),
            key: ApiKey::new("transport-test-key").unwrap(),
            retry: RetryPolicy::disabled(),
            timeouts: Timeouts {
                attempt: Duration::from_secs(1),
                total: Duration::from_secs(1),
            },
            limiter: None,
        })
        .unwrap()
    }

    fn request(url: &str) -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap())
    }

    #[test]
    fn the_key_goes_only_to_the_base_urls_origin() {
        let op = &crate::partner::OPERATIONS[0];
        let t = transport("https://api.example.com/partner-subscription/api/v1");
        let sent = t
            .prepare(op, request("https://api.example.com:443/elsewhere"), &[])
            .expect("same origin (the default port spelled out)");
        let value = sent.headers().get("x-partner-apikey").expect("the key");
        assert!(value.is_sensitive());
        assert_eq!(value, "transport-test-key");
        for other in [
            "http://api.example.com/partner-subscription/api/v1",
            "https://api.example.com:8443/partner-subscription/api/v1",
            "https://evil.example.com/partner-subscription/api/v1",
            "https://api.example.com.evil.example/partner-subscription/api/v1",
        ] {
            let err = t.prepare(op, request(other), &[]).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Config, "{other}");
            assert!(
                err.to_string().contains("left the base URL's origin"),
                "{err}"
            );
        }
    }
}
