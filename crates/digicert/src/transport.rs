//! What every request of both families shares: the HTTP client we build, base-URL
//! checks, environment lookup, and the bodies of the request hooks (API key header,
//! `api-version` removal, response buffering).

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};

use crate::{ApiKey, Error};

/// The `User-Agent` we send; CertCentral's docs ask every client to send one.
pub(crate) const USER_AGENT: &str = concat!("digicert-rs/", env!("CARGO_PKG_VERSION"));

/// How long to wait for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a whole request may take, body included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The reqwest client behind our constructors: rustls, timeouts, our user agent.
pub(crate) fn http_client() -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .build()
        .map_err(|e| Error::config(format!("could not build the HTTP client: {e}")))
}

/// Checks a base URL and drops trailing slashes: progenitor appends paths that start
/// with `/`, so `https://host/v1/` would otherwise become `https://host/v1//account`.
pub(crate) fn base_url(url: &str) -> Result<String, Error> {
    let trimmed = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(trimmed)
        .map_err(|e| Error::config(format!("base URL `{url}` is not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::config(format!(
            "base URL `{url}` must start with https:// (or http:// for a local test server)"
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Error::config(format!("base URL `{url}` has no host")));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::config(format!(
            "base URL `{url}` must not have a query or fragment"
        )));
    }
    Ok(trimmed.to_owned())
}

/// Looks up a required variable through `lookup` (the real environment in `from_env`).
pub(crate) fn required_var(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &str,
) -> Result<String, Error> {
    match lookup(name) {
        Some(value) if !value.trim().is_empty() => Ok(value.trim().to_owned()),
        Some(_) => Err(Error::config(format!(
            "environment variable {name} is empty"
        ))),
        None => Err(Error::config(format!(
            "environment variable {name} is not set (or not valid UTF-8)"
        ))),
    }
}

/// The environment variables a family's `from_env` reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EnvVars {
    /// Holds the API key (required).
    pub(crate) key: &'static str,
    /// Overrides the base URL (optional).
    pub(crate) base_url: &'static str,
    /// The base URL when `base_url` is unset.
    pub(crate) default_url: &'static str,
}

/// Reads a family's key and base URL through `lookup`; errors name the variable.
pub(crate) fn settings_from(
    lookup: &impl Fn(&str) -> Option<String>,
    vars: &EnvVars,
) -> Result<(String, ApiKey), Error> {
    let key = required_var(lookup, vars.key)?;
    let key = ApiKey::new(key).map_err(|e| Error::config(format!("{}: {e}", vars.key)))?;
    let url = lookup(vars.base_url).filter(|v| !v.trim().is_empty());
    let url = base_url(url.as_deref().unwrap_or(vars.default_url))
        .map_err(|e| Error::config(format!("{}: {e}", vars.base_url)))?;
    Ok((url, key))
}

/// A checked base URL and the HTTP client to reach it: what every constructor needs.
pub(crate) fn connection(url: &str) -> Result<(String, reqwest::Client), Error> {
    Ok((base_url(url)?, http_client()?))
}

/// The real environment, as `from_env` reads it.
pub(crate) fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Whether a family sends `Content-Type: application/json` on requests without a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContentType {
    /// Only when there is a JSON body (reqwest adds it then).
    WithBodyOnly,
    /// On every request: CertCentral picks the response format from it.
    Always,
}

/// The body of every family's `ClientHooks::pre`.
// The error type is fixed by progenitor's `ClientHooks::pre`; we cannot make it smaller.
#[allow(clippy::result_large_err)]
pub(crate) fn prepare<E>(
    request: &mut reqwest::Request,
    header: &'static str,
    key: &ApiKey,
    content_type: ContentType,
) -> Result<(), progenitor_client::Error<E>> {
    let headers = request.headers_mut();
    // progenitor sends `api-version: <info.version>` on every request. DigiCert documents
    // no such header: the API version is in the URL (`/v1`, `/v2`), and ours is only the
    // spec document's version. Sending it would suggest a contract that does not exist and
    // risks a gateway that rejects unknown headers, so it goes.
    headers.remove("api-version");
    let mut value = HeaderValue::from_str(key.expose()).map_err(|_| {
        // Not reachable for keys made by ApiKey::new; never echo the key.
        progenitor_client::Error::InvalidRequest("the API key cannot be sent as a header".into())
    })?;
    value.set_sensitive(true);
    let name = HeaderName::from_bytes(header.as_bytes()).map_err(|_| {
        progenitor_client::Error::InvalidRequest(format!("`{header}` is not a header name"))
    })?;
    headers.insert(name, value);
    if content_type == ContentType::Always && !headers.contains_key(CONTENT_TYPE) {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    Ok(())
}

/// A response body read in full by [`execute`], attached to the response so that
/// [`Error`] can show it without another `await`.
#[derive(Debug, Clone)]
pub(crate) struct BufferedBody(pub(crate) Bytes);

/// The body of every family's `ClientHooks::exec`: sends the request and reads the whole
/// body, then hands the generated code an equivalent response that also carries the body
/// as [`BufferedBody`]. That way an undocumented status still reaches the caller with its
/// body (generated code turns it into `UnexpectedResponse`, whose body would otherwise
/// need an async read that `From<progenitor_client::Error>` cannot do).
pub(crate) async fn execute(
    client: &reqwest::Client,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    let response = client.execute(request).await?;
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    // The rebuilt response has no URL (reqwest keeps that private); nothing downstream
    // reads it, and the body can no longer fail to arrive.
    let mut rebuilt = http::Response::new(body.clone());
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    rebuilt.extensions_mut().insert(BufferedBody(body));
    Ok(reqwest::Response::from(rebuilt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        assert_eq!(
            base_url("https://example.test/v1/").unwrap(),
            "https://example.test/v1"
        );
        assert_eq!(
            base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        for (bad, says) in [
            ("example.test/v1", "not a valid URL"),
            ("ftp://example.test", "must start with https://"),
            ("https://example.test/v1?x=1", "query or fragment"),
            ("", "not a valid URL"),
        ] {
            let err = base_url(bad).unwrap_err().to_string();
            assert!(err.contains(says) && err.contains(bad), "{bad}: {err}");
        }
    }

    #[test]
    fn required_vars_name_the_variable() {
        let env = |name: &str| match name {
            "SET" => Some("value ".to_owned()),
            "EMPTY" => Some("  ".to_owned()),
            _ => None,
        };
        assert_eq!(required_var(&env, "SET").unwrap(), "value");
        let empty = required_var(&env, "EMPTY").unwrap_err().to_string();
        assert!(empty.contains("EMPTY is empty"), "{empty}");
        let missing = required_var(&env, "MISSING").unwrap_err().to_string();
        assert!(missing.contains("MISSING is not set"), "{missing}");
    }

    #[test]
    fn prepared_requests_carry_the_key_marked_sensitive() {
        let key = ApiKey::new("hook-test-key-77").unwrap();
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            reqwest::Url::parse("https://example.test/v2/account").unwrap(),
        );
        request
            .headers_mut()
            .insert("api-version", HeaderValue::from_static("2.0.0"));
        prepare::<()>(&mut request, "X-DC-DEVKEY", &key, ContentType::Always).unwrap();
        let headers = request.headers();
        assert_eq!(headers["x-dc-devkey"], "hook-test-key-77");
        assert!(headers["x-dc-devkey"].is_sensitive());
        assert!(!headers.contains_key("api-version"));
        assert_eq!(headers[CONTENT_TYPE], "application/json");
        let debug = format!("{request:?}");
        assert!(!debug.contains("hook-test-key-77"), "{debug}");

        let mut partner = reqwest::Request::new(
            reqwest::Method::GET,
            reqwest::Url::parse("https://example.test/v1/account").unwrap(),
        );
        prepare::<()>(
            &mut partner,
            "X-PARTNER-APIKEY",
            &key,
            ContentType::WithBodyOnly,
        )
        .unwrap();
        assert!(!partner.headers().contains_key(CONTENT_TYPE));
        assert!(partner.headers()["x-partner-apikey"].is_sensitive());
    }
}
