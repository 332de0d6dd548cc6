//! [`Error`]: the one error type of this crate, for API calls and client configuration alike.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::transport::BufferedBody;

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

/// Everything that can go wrong: calling DigiCert, or setting up a client.
///
/// Calls return `progenitor_client::Error`; `?` turns it into this type, which keeps
/// what matters: the HTTP status of every answer that was not a documented success,
/// DigiCert's `errors[{code, message}]` when the body has them, and the raw body always
/// (a proxy's HTML 403 is still a 403). No variant ever holds an API key: `Debug` shows
/// bodies by length only, because a body may carry a key DigiCert just created.
///
/// ```
/// # async fn run(client: &digicert::services::Client) -> Result<(), digicert::Error> {
/// match client.get_subaccount().subaccount_id(42).send().await {
///     Ok(subaccount) => println!("{}", subaccount.organization_name),
///     Err(err) => {
///         let err = digicert::Error::from(err);
///         if err.status() == Some(reqwest::StatusCode::NOT_FOUND) {
///             println!("no such subaccount");
///         } else {
///             return Err(err);
///         }
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// DigiCert (or something in front of it) answered with a status the operation does
    /// not document as success: any 4xx/5xx, or an unexpected 2xx/3xx.
    #[error("{}", api_message(*status, errors, body))]
    #[non_exhaustive]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// DigiCert's errors, when the body is `{"errors": [...]}`; otherwise empty.
        errors: Vec<ApiErrorDetail>,
        /// The response headers (e.g. for `Retry-After`); boxed to keep `Error` small.
        headers: Box<HeaderMap>,
        /// The raw response body.
        body: Bytes,
    },
    /// A documented success status came back, but its body does not match the spec.
    /// The raw body is kept: for `create_subaccount` it holds the new API key, which
    /// DigiCert shows only once.
    #[error("the response body does not match the API spec: {source}")]
    #[non_exhaustive]
    Decode {
        /// The raw response body.
        body: Bytes,
        /// Where decoding failed.
        source: serde_json::Error,
    },
    /// No usable answer: connecting, TLS, a timeout, or reading the body failed.
    #[error("could not talk to DigiCert ({})", transport_kind(source))]
    #[non_exhaustive]
    Transport {
        /// reqwest's error (its `source()` chain has the details).
        source: reqwest::Error,
    },
    /// The request was not sent because it is invalid, e.g. a required field is missing.
    #[error("invalid request: {message}")]
    #[non_exhaustive]
    InvalidRequest {
        /// What is wrong.
        message: String,
    },
    /// The client could not be set up: a missing environment variable, a bad base URL,
    /// an unusable API key.
    #[error("client configuration: {message}")]
    #[non_exhaustive]
    Config {
        /// What is wrong.
        message: String,
    },
}

fn api_message(status: StatusCode, errors: &[ApiErrorDetail], body: &Bytes) -> String {
    let mut text = format!("DigiCert answered {status}");
    match errors.first() {
        Some(first) => {
            text.push_str(": ");
            text.push_str(&first.code);
            if !first.message.is_empty() {
                text.push_str(": ");
                text.push_str(&first.message);
            }
            if errors.len() > 1 {
                text.push_str(&format!(" (and {} more)", errors.len() - 1));
            }
        }
        None if !body.is_empty() => text.push_str(&format!(
            " ({} byte body without DigiCert errors)",
            body.len()
        )),
        None => {}
    }
    text
}

fn transport_kind(err: &reqwest::Error) -> &'static str {
    if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else if err.is_body() || err.is_decode() {
        "failed reading the response body"
    } else if err.is_builder() {
        "could not build the request"
    } else {
        "request failed"
    }
}

impl Error {
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }

    /// The HTTP status, for every error that came with a non-success answer.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::Transport { source } => source.status(),
            _ => None,
        }
    }

    /// DigiCert's errors from the body; empty when there were none.
    pub fn errors(&self) -> &[ApiErrorDetail] {
        match self {
            Error::Api { errors, .. } => errors,
            _ => &[],
        }
    }

    /// The raw response body, when there was a response.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Error::Api { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The response headers, when there was a non-success response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// Builds an [`Error::Api`] from a status, headers and body, parsing DigiCert's
    /// `errors` when the body has them. Mostly for tests and mock servers.
    pub fn from_parts(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Error::Api {
            status,
            errors: parse_errors(&body),
            headers: Box::new(headers),
            body,
        }
    }

    fn from_response(response: reqwest::Response) -> Self {
        let body = response
            .extensions()
            .get::<BufferedBody>()
            .map(|b| b.0.clone())
            .unwrap_or_default();
        Self::from_parts(response.status(), response.headers().clone(), body)
    }
}

/// Reads `{"errors": [{"code", "message"}, ...]}` leniently: entries that are not objects
/// are skipped, missing strings become empty, anything else yields no errors.
fn parse_errors(body: &[u8]) -> Vec<ApiErrorDetail> {
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

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body_len = |body: &Bytes| format!("<{} bytes>", body.len());
        match self {
            Error::Api {
                status,
                errors,
                headers,
                body,
            } => f
                .debug_struct("Api")
                .field("status", status)
                .field("errors", errors)
                .field("headers", headers)
                .field("body", &format_args!("{}", body_len(body)))
                .finish(),
            Error::Decode { body, source } => f
                .debug_struct("Decode")
                .field("body", &format_args!("{}", body_len(body)))
                .field("source", source)
                .finish(),
            Error::Transport { source } => {
                f.debug_struct("Transport").field("source", source).finish()
            }
            Error::InvalidRequest { message } => f
                .debug_struct("InvalidRequest")
                .field("message", message)
                .finish(),
            Error::Config { message } => {
                f.debug_struct("Config").field("message", message).finish()
            }
        }
    }
}

impl From<progenitor_client::Error<()>> for Error {
    fn from(err: progenitor_client::Error<()>) -> Self {
        use progenitor_client::Error as P;
        match err {
            P::InvalidRequest(message) | P::Custom(message) => Error::InvalidRequest { message },
            P::CommunicationError(source)
            | P::InvalidUpgrade(source)
            | P::ResponseBodyError(source) => Error::Transport { source },
            P::InvalidResponsePayload(body, source) => Error::Decode { body, source },
            // The codegen removes error responses from what progenitor sees (see
            // `digicert_codegen::prepare`), so this arm only keeps the match total.
            P::ErrorResponse(value) => {
                Error::from_parts(value.status(), value.headers().clone(), Bytes::new())
            }
            P::UnexpectedResponse(response) => Error::from_response(response),
        }
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
    fn display_names_status_and_first_error() {
        let err = Error::from_parts(
            StatusCode::FORBIDDEN,
            HeaderMap::new(),
            Bytes::from_static(br#"{"errors":[{"code":"access_denied","message":"Parent key required"},{"code":"b","message":"c"}]}"#),
        );
        assert_eq!(
            err.to_string(),
            "DigiCert answered 403 Forbidden: access_denied: Parent key required (and 1 more)"
        );
        let html = Error::from_parts(
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
        assert!(format!("{html:?}").contains("<15 bytes>"));
        assert!(!format!("{html:?}").contains("<html>"));
    }
}
