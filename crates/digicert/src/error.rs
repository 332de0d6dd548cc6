//! [`Error`]: the one error type of this crate, for API calls and client configuration alike.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::{ApiKey, Operation};

/// `Result<T, digicert::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One entry of DigiCert's error body, `{"errors": [{"code": ..., "message": ...}]}`.
///
/// CertCentral codes often carry a detail after a pipe, e.g. `not_found|order` or
/// `access_denied|missing_permission`; [`ApiErrorDetail::base_code`] gives the part
/// before it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct ApiErrorDetail {
    /// Machine-readable code (empty when the body had none).
    pub code: String,
    /// Human-readable explanation (empty when the body had none).
    pub message: String,
}

impl ApiErrorDetail {
    /// The code up to the first `|`: `not_found|order` -> `not_found`.
    pub fn base_code(&self) -> &str {
        self.code.split('|').next().unwrap_or_default()
    }
}

/// What kind of failure an [`Error`] is. More kinds may be added: match with a `_` arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// DigiCert (or something in front of it) answered with a status the operation does not
    /// document as success: a 4xx, a 5xx, or an undocumented 2xx. [`Error::status`],
    /// [`Error::errors`] and [`Error::headers`] say more.
    Api,
    /// The answer was a redirect (3xx). DigiCert's APIs do not redirect, so the client does
    /// not follow it (the key would go to another server); [`Error::location`] says where it
    /// pointed.
    Redirect,
    /// A documented success status came back, but its body does not match the spec.
    /// [`Error::decode_details`] says where and what was expected.
    Decode,
    /// An attempt, or the whole call with its retries, took longer than allowed.
    Timeout,
    /// No connection could be made (DNS, TCP, TLS). The request was not sent.
    Connect,
    /// The connection failed after the request was sent, or the response could not be
    /// read; DigiCert may have processed the request.
    Transport,
    /// The request was not sent because it is invalid: a required parameter or body field
    /// is missing or does not convert.
    InvalidRequest,
    /// The client could not be set up: a bad base URL, a missing environment variable, an
    /// unusable API key, an HTTP client that would not build.
    Config,
}

/// Where and why a success body did not decode: never a value from the body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeDetails {
    /// The JSON path of the offending value, e.g. `api_key.api_key` or `subaccounts[3]`
    /// (`.` for the whole body).
    pub path: String,
    /// 1-based line in the body.
    pub line: usize,
    /// 1-based column in the body.
    pub column: usize,
    /// What went wrong, e.g. `expected struct CreatedApiKey, found a string` or
    /// `missing field `account_id``.
    pub problem: String,
}

/// Everything that can go wrong: calling DigiCert, or setting up a client.
///
/// Inspect it with [`Error::kind`], [`Error::status`], [`Error::errors`] and the `is_*`
/// helpers. Its `Display` and `Debug` never contain an API key (the client's keys are
/// removed even from DigiCert's own error messages) or a value decoded from a success body
/// (a body may hold the key DigiCert just created): they show the status and DigiCert's
/// `errors` (code and message), never the raw body, which is there only through
/// [`Error::body`], which says so. The lower-level cause, where there is
/// one, is reachable through [`std::error::Error::source`].
///
/// ```
/// # async fn run(client: &digicert::services::Client) -> digicert::Result<()> {
/// match client.get_subaccount().subaccount_id(42).send().await {
///     Ok(subaccount) => println!("{}", subaccount.organization_name),
///     Err(err) if err.status() == Some(digicert::StatusCode::NOT_FOUND) => {
///         println!("no such subaccount")
///     }
///     Err(err) if err.is_retryable() => println!("DigiCert is busy; try later: {err}"),
///     Err(err) => return Err(err),
/// }
/// # Ok(()) }
/// ```
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    operation: Option<&'static Operation>,
    status: Option<StatusCode>,
    headers: Option<HeaderMap>,
    body: Option<Bytes>,
    errors: Vec<ApiErrorDetail>,
    /// For kinds without a status: what happened, in words (never holding a secret).
    message: String,
    decode: Option<DecodeDetails>,
    attempts: u32,
    /// Why retrying stopped, when the call was retried or could have been.
    gave_up: Option<String>,
    retryable: bool,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                operation: None,
                status: None,
                headers: None,
                body: None,
                errors: Vec::new(),
                message: message.into(),
                decode: None,
                attempts: 0,
                gave_up: None,
                retryable: false,
                source: None,
            }),
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    pub(crate) fn config_with(
        message: impl Into<String>,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        Self::config(message).with_source(source)
    }

    /// The message of a configuration error, without the `client configuration:` prefix,
    /// for wrapping it in another (e.g. naming the environment variable it came from).
    pub(crate) fn config_message(&self) -> &str {
        &self.inner.message
    }

    /// A request that could not be built: progenitor's builder refused a parameter or body.
    pub(crate) fn invalid_request(
        operation: &'static Operation,
        err: progenitor_client::Error<()>,
    ) -> Self {
        let (message, source): (String, Option<Box<dyn StdError + Send + Sync>>) = match err {
            progenitor_client::Error::InvalidRequest(message)
            | progenitor_client::Error::Custom(message) => (message, None),
            progenitor_client::Error::CommunicationError(e) => (
                "the request could not be built".to_owned(),
                Some(Box::new(e)),
            ),
            other => (other.to_string(), None),
        };
        let mut err = Self::new(ErrorKind::InvalidRequest, message).for_operation(operation);
        err.inner.source = source;
        err
    }

    /// An operation that needs a second key was sent without it.
    pub(crate) fn missing_key(operation: &'static Operation, method: &str) -> Self {
        Self::new(
            ErrorKind::InvalidRequest,
            format!("this operation needs a second API key: set it with `.{method}(key)`"),
        )
        .for_operation(operation)
    }

    pub(crate) fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Box::new(source));
        self
    }

    pub(crate) fn for_operation(mut self, operation: &'static Operation) -> Self {
        self.inner.operation = Some(operation);
        self
    }

    /// A non-success answer: status, headers and body, with DigiCert's `errors` parsed.
    pub(crate) fn from_response(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let kind = if status.is_redirection() {
            ErrorKind::Redirect
        } else {
            ErrorKind::Api
        };
        let mut err = Self::new(kind, String::new());
        err.inner.errors = parse_errors(&body);
        err.inner.status = Some(status);
        err.inner.headers = Some(headers);
        err.inner.body = Some(body);
        err
    }

    /// A success status whose body does not match the spec.
    pub(crate) fn decode(
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        details: DecodeDetails,
    ) -> Self {
        let mut err = Self::new(ErrorKind::Decode, String::new());
        err.inner.status = Some(status);
        err.inner.headers = Some(headers);
        err.inner.body = Some(body);
        err.inner.decode = Some(details);
        err
    }

    /// No answer: connecting, sending, reading or waiting failed.
    pub(crate) fn transport(
        kind: ErrorKind,
        message: impl Into<String>,
        source: Option<reqwest::Error>,
    ) -> Self {
        let mut err = Self::new(kind, message);
        if let Some(source) = source {
            // reqwest's Display includes the URL, never headers; the URL holds no key.
            err.inner.source = Some(Box::new(source));
        }
        err
    }

    /// Replaces every occurrence of the given keys in DigiCert's error codes and messages
    /// (a proxy may echo the request's headers into its error text).
    pub(crate) fn redact_keys(&mut self, keys: &[&ApiKey]) {
        for detail in &mut self.inner.errors {
            for key in keys {
                for text in [&mut detail.code, &mut detail.message] {
                    if text.contains(key.expose()) {
                        *text = text.replace(key.expose(), "<redacted>");
                    }
                }
            }
        }
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32, retryable: bool, gave_up: Option<String>) {
        self.inner.attempts = attempts;
        self.inner.retryable = retryable;
        self.inner.gave_up = gave_up;
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The operation that failed (`None` for configuration errors).
    pub fn operation(&self) -> Option<&'static Operation> {
        self.inner.operation
    }

    /// The HTTP status, whenever there was an answer (also for a success status whose body
    /// did not decode, and for redirects).
    pub fn status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// DigiCert's errors from the body; empty when there were none.
    pub fn errors(&self) -> &[ApiErrorDetail] {
        &self.inner.errors
    }

    /// The first error's code, e.g. `access_denied|missing_permission`.
    pub fn code(&self) -> Option<&str> {
        self.inner.errors.first().map(|e| e.code.as_str())
    }

    /// The first error's code up to the first `|`, e.g. `access_denied`.
    pub fn base_code(&self) -> Option<&str> {
        self.inner.errors.first().map(ApiErrorDetail::base_code)
    }

    /// The response headers, whenever there was an answer.
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.inner.headers.as_ref()
    }

    /// The raw response body, whenever there was an answer.
    ///
    /// **It may hold secrets**: the body of a create call that failed to decode holds the
    /// new API key (which DigiCert shows only once), and a misbehaving proxy may echo the
    /// request's headers. That is why no `Display` or `Debug` of this crate ever shows it;
    /// log it only where secrets may go.
    pub fn body(&self) -> Option<&[u8]> {
        self.inner.body.as_deref()
    }

    /// Where a redirect pointed (its `Location` header), for [`ErrorKind::Redirect`].
    pub fn location(&self) -> Option<&str> {
        self.inner
            .headers
            .as_ref()
            .filter(|_| self.inner.kind == ErrorKind::Redirect)
            .and_then(|h| h.get(reqwest::header::LOCATION))
            .and_then(|v| v.to_str().ok())
    }

    /// Where and why a success body did not decode, for [`ErrorKind::Decode`].
    pub fn decode_details(&self) -> Option<&DecodeDetails> {
        self.inner.decode.as_ref()
    }

    /// How many attempts the call made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// Whether trying the same call again later may succeed: a 429, 502, 503 or 504, a
    /// failed connection, and, for operations that are safe to repeat, a timeout, another
    /// 5xx or a connection that broke after sending. The client has already retried such
    /// errors as far as its [`RetryPolicy`](crate::RetryPolicy) allows.
    pub fn is_retryable(&self) -> bool {
        self.inner.retryable
    }

    /// Whether an attempt or the whole call ran out of time.
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout
    }

    /// Whether no connection could be made.
    pub fn is_connect(&self) -> bool {
        self.inner.kind == ErrorKind::Connect
    }

    /// How long the server asked to wait before trying again (`Retry-After`, in seconds or
    /// as an HTTP date), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner
            .headers
            .as_ref()
            .and_then(crate::retry::retry_after)
    }
}

/// Reads `{"errors": [{"code", "message"}, ...]}` leniently: entries that are not objects
/// are skipped, missing strings become empty, anything else yields no errors.
pub(crate) fn parse_errors(body: &[u8]) -> Vec<ApiErrorDetail> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) else {
        return Vec::new();
    };
    let Some(serde_json::Value::Array(items)) = map.get("errors") else {
        return Vec::new();
    };
    let text = |item: &serde_json::Map<String, serde_json::Value>, key: &str| {
        item.get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    items
        .iter()
        .filter_map(serde_json::Value::as_object)
        .map(|item| ApiErrorDetail {
            code: text(item, "code"),
            message: text(item, "message"),
        })
        .collect()
}

/// `scheme://host[:port]` of a URL, without path, query or credentials.
fn origin_of(location: &str) -> String {
    match reqwest::Url::parse(location) {
        Ok(url) => url.origin().ascii_serialization(),
        Err(_) => "a relative or unreadable location".to_owned(),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        if let Some(op) = inner.operation {
            write!(f, "{}: ", op.id)?;
        }
        match (inner.kind, inner.status) {
            (ErrorKind::Api, Some(status)) => {
                write!(f, "DigiCert answered {status}")?;
                match inner.errors.first() {
                    Some(first) => {
                        write!(f, ": {}", first.code)?;
                        if !first.message.is_empty() {
                            write!(f, ": {}", first.message)?;
                        }
                        if inner.errors.len() > 1 {
                            write!(f, " (and {} more)", inner.errors.len() - 1)?;
                        }
                    }
                    None => match inner.body.as_ref().map(Bytes::len) {
                        Some(0) | None => {}
                        Some(n) => write!(f, " ({n} byte body without DigiCert errors)")?,
                    },
                }
            }
            (ErrorKind::Redirect, Some(status)) => {
                write!(f, "DigiCert answered {status}, a redirect")?;
                if let Some(location) = self.location() {
                    write!(f, " to {}", origin_of(location))?;
                }
                f.write_str(
                    ", which is not followed: the API key goes only to the configured base URL",
                )?;
            }
            (ErrorKind::Decode, status) => {
                f.write_str("the response")?;
                if let Some(status) = status {
                    write!(f, " ({status})")?;
                }
                f.write_str(" does not match the API spec")?;
                if let Some(d) = &inner.decode {
                    write!(
                        f,
                        " at `{}` (line {}, column {}): {}",
                        d.path, d.line, d.column, d.problem
                    )?;
                }
            }
            (ErrorKind::Config, _) => write!(f, "client configuration: {}", inner.message)?,
            (ErrorKind::InvalidRequest, _) => write!(f, "invalid request: {}", inner.message)?,
            _ => f.write_str(&inner.message)?,
        }
        match (inner.attempts, &inner.gave_up) {
            (n, Some(why)) if n > 1 => write!(f, " (after {n} attempts; {why})")?,
            (n, None) if n > 1 => write!(f, " (after {n} attempts)")?,
            (_, Some(why)) => write!(f, " ({why})")?,
            _ => {}
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &inner.kind);
        if let Some(op) = inner.operation {
            d.field("operation", &op.id);
        }
        if let Some(status) = inner.status {
            d.field("status", &status);
        }
        if !inner.errors.is_empty() {
            d.field("errors", &inner.errors);
        }
        if !inner.message.is_empty() {
            d.field("message", &inner.message);
        }
        if let Some(decode) = &inner.decode {
            d.field("decode", decode);
        }
        if let Some(location) = self.location() {
            d.field("location", &origin_of(location));
        }
        if let Some(body) = &inner.body {
            d.field(
                "body",
                &format_args!("<{} bytes, see Error::body>", body.len()),
            );
        }
        if inner.attempts > 0 {
            d.field("attempts", &inner.attempts);
        }
        if let Some(source) = &inner.source {
            d.field("source", &format_args!("{source}"));
        }
        d.finish_non_exhaustive()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_digicert_errors_leniently() {
        let body = br#"{"errors":[{"code":"not_found|order","message":"Order not found"},{"code":"x"},7]}"#;
        let errors = parse_errors(body);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].base_code(), "not_found");
        assert_eq!(errors[0].message, "Order not found");
        assert_eq!(errors[1].message, "");
        assert!(parse_errors(b"<html>403 Forbidden</html>").is_empty());
        assert!(parse_errors(br#"{"errors":"nope"}"#).is_empty());
        assert!(parse_errors(b"").is_empty());
    }

    #[test]
    fn display_names_status_and_first_error_and_never_the_body() {
        let err = Error::from_response(
            StatusCode::FORBIDDEN,
            HeaderMap::new(),
            Bytes::from_static(br#"{"errors":[{"code":"access_denied","message":"Parent key required"},{"code":"b","message":"c"}]}"#),
        );
        assert_eq!(
            err.to_string(),
            "DigiCert answered 403 Forbidden: access_denied: Parent key required (and 1 more)"
        );
        assert_eq!(err.kind(), ErrorKind::Api);
        assert_eq!(err.base_code(), Some("access_denied"));
        let html = Error::from_response(
            StatusCode::FORBIDDEN,
            HeaderMap::new(),
            Bytes::from_static(b"<html>no</html>"),
        );
        assert_eq!(
            html.to_string(),
            "DigiCert answered 403 Forbidden (15 byte body without DigiCert errors)"
        );
        assert_eq!(html.status(), Some(StatusCode::FORBIDDEN));
        assert_eq!(html.body(), Some(&b"<html>no</html>"[..]));
        let debug = format!("{html:?}");
        assert!(debug.contains("<15 bytes"), "{debug}");
        assert!(!debug.contains("<html>"), "{debug}");
    }

    #[test]
    fn redirects_name_the_origin_and_keep_the_location() {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::LOCATION,
            "https://elsewhere.example:8443/steal?token=abc"
                .parse()
                .unwrap(),
        );
        let err = Error::from_response(StatusCode::FOUND, headers, Bytes::new());
        assert_eq!(err.kind(), ErrorKind::Redirect);
        assert_eq!(
            err.location(),
            Some("https://elsewhere.example:8443/steal?token=abc")
        );
        let text = format!("{err} {err:?}");
        assert!(text.contains("https://elsewhere.example:8443"), "{text}");
        assert!(!text.contains("token=abc"), "{text}");
    }

    #[test]
    fn retry_after_reads_seconds() {
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "7".parse().unwrap());
        let err = Error::from_response(StatusCode::TOO_MANY_REQUESTS, headers, Bytes::new());
        assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    }
}
