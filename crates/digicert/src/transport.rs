//! The client's runtime: every generated `send()` hands its builder and `build_request` to
//! [`Transport::execute_json`] or [`Transport::execute_empty`], which build each attempt's
//! request, add the key, wait for the rate limiter, send with a per-attempt timeout, retry
//! what may be retried within the total deadline, trace, and decode.

use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument as _;

use crate::error::DecodeDetails;
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

/// How a generated builder makes its request (`build_request`).
pub(crate) type Build<B> = fn(B) -> Result<reqwest::Request, progenitor_client::Error<()>>;

/// How one attempt ended.
enum Attempt {
    Answer(StatusCode, HeaderMap, Bytes),
    Failed(Error),
    /// No complete answer within the attempt's time (its budget).
    TimedOut(Duration),
}

/// What [`Transport::judge`] decided after an attempt.
enum Judged {
    /// The call ends: a success answer, or the error the caller gets.
    Done(Result<(StatusCode, HeaderMap, Bytes), Error>),
    /// Another attempt after `delay`; `reason` is why the last one failed (for the trace).
    Retry { delay: Duration, reason: String },
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
    /// Each attempt's request is built by `build` from a copy of the operation's builder.
    pub(crate) fn execute_json<T: DeserializeOwned, B: Clone>(
        &self,
        operation: &'static Operation,
        builder: B,
        build: Build<B>,
        extra_keys: &[(&'static str, &ApiKey)],
    ) -> impl Future<Output = Result<Response<T>, Error>> {
        self.execute(
            operation,
            builder,
            build,
            extra_keys,
            crate::decode::json::<T>,
        )
    }

    /// Sends an operation whose success answer has no body.
    pub(crate) fn execute_empty<B: Clone>(
        &self,
        operation: &'static Operation,
        builder: B,
        build: Build<B>,
        extra_keys: &[(&'static str, &ApiKey)],
    ) -> impl Future<Output = Result<Response<()>, Error>> {
        self.execute(operation, builder, build, extra_keys, |_| Ok(()))
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

    /// One call: attempts (the limiter, the request built with its key headers, a
    /// per-attempt timeout, the retry decision, backoff) within the total deadline, then
    /// decoding; traced as one span.
    ///
    /// Each attempt builds its request from a copy of the operation's builder (its
    /// parameters and body fields), so no copy of a built request is kept for a retry that
    /// rarely comes.
    ///
    /// One `async fn` on purpose: every layer of nested futures copies the whole call state
    /// on each request (see `docs/benchmarks.md`). The decisions between the awaits are plain
    /// functions ([`Transport::judge`]).
    async fn execute<B: Clone, T>(
        &self,
        operation: &'static Operation,
        builder: B,
        build: Build<B>,
        extra_keys: &[(&'static str, &ApiKey)],
        decode: fn(&[u8]) -> Result<T, DecodeDetails>,
    ) -> Result<Response<T>, Error> {
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
        let shared = &*self.0;
        let started = Instant::now();
        let mut attempt = 0u32;
        let answer = 'call: {
            // Time spent waiting for the rate limiter, which the deadline does not count.
            let mut waited = Duration::ZERO;
            let mut now = started;
            loop {
                attempt += 1;
                let request = match build(builder.clone()) {
                    Ok(request) => request,
                    Err(e) => break 'call Err(Error::invalid_request(operation, e)),
                };
                let request = match self.prepare(operation, request, extra_keys) {
                    Ok(request) => request,
                    Err(err) => break 'call Err(err),
                };
                // Counted by the limiter only once it is sure to be sent.
                if let Some(limiter) = &shared.limiter
                    && !limiter.admit(now)
                {
                    waited += limiter.acquire().instrument(span.clone()).await;
                    now = Instant::now();
                }
                let spent = now
                    .saturating_duration_since(started)
                    .saturating_sub(waited);
                let budget = shared.timeouts.attempt.min(
                    shared
                        .timeouts
                        .total
                        .saturating_sub(spent)
                        .max(Duration::from_millis(1)),
                );
                // One timer for the whole attempt: the answer's head, then its body. The
                // futures are polled here, not in helpers of their own: each nested future
                // would be one more copy of its state per request.
                let mut timer = std::pin::pin!(tokio::time::sleep_until(deadline(now, budget)));
                // Armed before the request goes out: `tokio::time::timeout` arms its timer
                // after the first poll of the work, which can wake a runtime thread that has
                // just gone to sleep, on every request of a quiet client (see
                // `docs/benchmarks.md`).
                poll_fn(|cx| {
                    let _ = timer.as_mut().poll(cx);
                    Poll::Ready(())
                })
                .await;
                let mut sending = std::pin::pin!(shared.http.execute(request));
                let outcome = match poll_fn(|cx| race(cx, &span, timer.as_mut(), sending.as_mut()))
                    .await
                {
                    None => Attempt::TimedOut(budget),
                    Some(Err(e)) => Attempt::Failed(classify(e, "sending the request")),
                    Some(Ok(mut response)) => {
                        let status = response.status();
                        let headers = std::mem::take(response.headers_mut());
                        let mut body = Chunks::default();
                        loop {
                            let mut reading = std::pin::pin!(response.chunk());
                            match poll_fn(|cx| race(cx, &span, timer.as_mut(), reading.as_mut()))
                                .await
                            {
                                None => break Attempt::TimedOut(budget),
                                Some(Ok(Some(chunk))) => body.push(chunk),
                                Some(Ok(None)) => {
                                    break Attempt::Answer(status, headers, body.into_bytes());
                                }
                                Some(Err(e)) => {
                                    break Attempt::Failed(classify(e, "reading the answer"));
                                }
                            }
                        }
                    }
                };
                match self.judge(operation, extra_keys, outcome, attempt, waited, started) {
                    Judged::Done(answer) => break 'call answer,
                    Judged::Retry { delay, reason } => {
                        span.in_scope(|| {
                            tracing::info!(
                                attempt,
                                delay_ms = delay.as_millis() as u64,
                                reason = %reason,
                                "retrying DigiCert call"
                            );
                        });
                        tokio::time::sleep(delay).await;
                        now = Instant::now();
                    }
                }
            }
        };
        if !span.is_disabled() {
            let (status, attempts) = match &answer {
                Ok((status, _, _)) => (Some(*status), attempt),
                Err(err) => (err.status(), err.attempts()),
            };
            if let Some(status) = status {
                span.record("status", status.as_u16());
            }
            span.record("attempts", attempts);
            span.record("latency_ms", started.elapsed().as_millis() as u64);
        }
        let (status, headers, body) = answer?;
        match decode(&body) {
            Ok(value) => Ok(Response::new(value, status, headers)),
            Err(details) => {
                let mut err =
                    Error::decode(status, headers, body, details).for_operation(operation);
                err.set_attempts(attempt, false, None);
                Err(err)
            }
        }
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

    /// What follows one attempt: the call's end (its answer, or the error that ends it), or
    /// a retry after a delay.
    fn judge(
        &self,
        operation: &'static Operation,
        extra_keys: &[(&'static str, &ApiKey)],
        outcome: Attempt,
        attempt: u32,
        waited: Duration,
        started: Instant,
    ) -> Judged {
        let shared = &self.0;
        let policy = &shared.retry;
        let (mut err, retryable) = match outcome {
            Attempt::Answer(status, headers, body)
                if operation.success.contains(&status.as_u16()) =>
            {
                return Judged::Done(Ok((status, headers, body)));
            }
            Attempt::Answer(status, headers, body) => {
                let retryable = matches!(status.as_u16(), 429 | 502 | 503 | 504)
                    || (status.is_server_error() && operation.idempotent);
                (Error::from_response(status, headers, body), retryable)
            }
            Attempt::TimedOut(budget) => (
                Error::transport(
                    ErrorKind::Timeout,
                    format!("no complete answer within {}", show(budget)),
                    None,
                ),
                operation.idempotent,
            ),
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
        if !retryable {
            err.set_attempts(attempt, false, None);
            return Judged::Done(Err(err));
        }
        if attempt >= policy.attempts() {
            err.set_attempts(attempt, true, None);
            return Judged::Done(Err(err));
        }
        let delay = match policy.delay_after(attempt, err.status(), err.headers(), err.base_code())
        {
            Ok(delay) => delay,
            Err(why) => {
                err.set_attempts(attempt, true, Some(why));
                return Judged::Done(Err(err));
            }
        };
        let spent = started.elapsed().saturating_sub(waited);
        if spent.saturating_add(delay) >= shared.timeouts.total {
            let why = format!(
                "the next retry would end after the {} deadline",
                show(shared.timeouts.total)
            );
            err.set_attempts(attempt, true, Some(why));
            return Judged::Done(Err(err));
        }
        Judged::Retry {
            delay,
            reason: err.to_string(),
        }
    }
}

/// Polls `work` inside the call's span against the attempt's `timer`: `Some(output)`, or
/// `None` once the timer has run out (an answer that is ready wins).
fn race<F: Future>(
    cx: &mut Context<'_>,
    span: &tracing::Span,
    timer: Pin<&mut tokio::time::Sleep>,
    work: Pin<&mut F>,
) -> Poll<Option<F::Output>> {
    let _entered = span.enter();
    match work.poll(cx) {
        Poll::Ready(output) => Poll::Ready(Some(output)),
        Poll::Pending => timer.poll(cx).map(|()| None),
    }
}

/// A body read chunk by chunk: one chunk is kept as it came (no copy), more are joined.
#[derive(Default)]
enum Chunks {
    #[default]
    None,
    One(Bytes),
    Many(Vec<u8>),
}

impl Chunks {
    fn push(&mut self, chunk: Bytes) {
        *self = match std::mem::take(self) {
            Chunks::None => Chunks::One(chunk),
            Chunks::One(first) => Chunks::Many([&first[..], &chunk[..]].concat()),
            Chunks::Many(mut all) => {
                all.extend_from_slice(&chunk);
                Chunks::Many(all)
            }
        };
    }

    fn into_bytes(self) -> Bytes {
        match self {
            Chunks::None => Bytes::new(),
            Chunks::One(bytes) => bytes,
            Chunks::Many(all) => Bytes::from(all),
        }
    }
}

/// When an attempt given `budget` from `now` must be over (far in the future for a budget
/// too large to add, as in `tokio::time::timeout`).
fn deadline(now: Instant, budget: Duration) -> Instant {
    now.checked_add(budget)
        .unwrap_or_else(|| now + Duration::from_secs(30 * 365 * 24 * 3600))
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
    fn a_body_in_pieces_is_joined_in_order_and_one_piece_is_kept_as_it_came() {
        assert!(Chunks::default().into_bytes().is_empty());
        let one = Bytes::from_static(b"{\"a\":1}");
        let mut body = Chunks::default();
        body.push(one.clone());
        let kept = body.into_bytes();
        assert_eq!(kept, one);
        assert_eq!(kept.as_ptr(), one.as_ptr(), "not copied");
        let mut body = Chunks::default();
        for piece in ["{\"a\"", ":", "1", "}"] {
            body.push(Bytes::from_static(piece.as_bytes()));
        }
        assert_eq!(body.into_bytes(), one);
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
