//! [`RequestPreview`]: the request a call would send, with every key redacted.

use std::fmt;

use crate::Operation;

/// What a call would send, as every generated builder's `preview()` returns it: method,
/// URL, headers and body. Headers the client marks sensitive (every API key) show as
/// `<redacted>`; everything else is exactly what goes over the wire.
///
/// ```
/// # fn run() -> digicert::Result<()> {
/// let key = digicert::ApiKey::new("my-certcentral-key")?;
/// let client = digicert::services::Client::from_key(key)?;
/// let preview = client.get_subaccount().subaccount_id(1122339).preview()?;
/// assert_eq!(preview.method(), "GET");
/// assert_eq!(preview.url(), "https://www.digicert.com/services/v2/account/subaccount/1122339");
/// assert!(preview.headers().contains(&("x-dc-devkey".to_owned(), "<redacted>".to_owned())));
/// assert!(!preview.to_string().contains("my-certcentral-key"));
/// # Ok(()) }
/// # run().unwrap();
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct RequestPreview {
    operation: &'static Operation,
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<serde_json::Value>,
}

impl RequestPreview {
    pub(crate) fn from_request(operation: &'static Operation, request: &reqwest::Request) -> Self {
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| {
                let shown = if value.is_sensitive() {
                    "<redacted>".to_owned()
                } else {
                    value
                        .to_str()
                        .map_or_else(|_| "<not text>".to_owned(), str::to_owned)
                };
                (name.as_str().to_owned(), shown)
            })
            .collect();
        let body = request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .map(|bytes| {
                serde_json::from_slice(bytes).unwrap_or_else(|_| {
                    serde_json::Value::String(format!("<{} bytes, not JSON>", bytes.len()))
                })
            });
        Self {
            operation,
            method: request.method().as_str().to_owned(),
            url: request.url().to_string(),
            headers,
            body,
        }
    }

    /// The operation.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The full URL, query included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The headers the client sets (reqwest adds `host`, `content-length` and its defaults
    /// when it sends), API keys as `<redacted>`.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The JSON body, if there is one.
    pub fn body(&self) -> Option<&serde_json::Value> {
        self.body.as_ref()
    }
}

impl fmt::Debug for RequestPreview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestPreview")
            .field("operation", &self.operation.id)
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field("body", &self.body)
            .finish()
    }
}

/// `METHOD URL`, one `name: value` line per header, a blank line and the body, like an
/// HTTP request.
impl fmt::Display for RequestPreview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        if let Some(body) = &self.body {
            writeln!(f)?;
            write!(f, "{body}")?;
        }
        Ok(())
    }
}
