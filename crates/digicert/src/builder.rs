//! [`ClientBuilder`]: the one way to make a client of either family, and the shorthands
//! (`from_key`, `with_base_url`, `from_env`, CertCentral's `eu`) built on it.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use crate::rate_limit::Limiter;
use crate::transport::{Family, Settings, Timeouts, Transport};
use crate::{ApiKey, Error, RateLimit, RetryPolicy, partner, services};

/// The `User-Agent` every request carries; CertCentral's docs ask every client to send one.
pub(crate) const USER_AGENT: &str = concat!("digicert-rs/", env!("CARGO_PKG_VERSION"));

/// Default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for one attempt: connecting, sending and reading the whole answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time for a whole call: every attempt and the waits between them.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(120);

/// Configures a [`partner::Client`] or a [`services::Client`]; made by their `builder(key)`.
///
/// ```no_run
/// use std::time::Duration;
/// use digicert::{ApiKey, RetryPolicy, services};
///
/// # fn run() -> digicert::Result<()> {
/// let client = services::Client::builder(ApiKey::new("certcentral-key")?)
///     .eu()
///     .timeout(Duration::from_secs(20))
///     .connect_timeout(Duration::from_secs(5))
///     .deadline(Duration::from_secs(60))
///     .retry(RetryPolicy::default().max_attempts(3))
///     .user_agent_suffix("inventory-sync/1.4")
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
///
/// | setting | default |
/// |---|---|
/// | base URL | the family's production URL (CertCentral: US; `eu()` for Europe) |
/// | `connect_timeout` | 10 s |
/// | `timeout` (one attempt) | 30 s |
/// | `deadline` (a call with its retries; rate-limiter waits not counted) | 120 s |
/// | `retry` | [`RetryPolicy::default`]: 4 attempts |
/// | `rate_limit` | CertCentral: [`RateLimit::certcentral`]; Partner: none |
/// | `User-Agent` | `digicert-rs/<version>`, then the suffix |
///
/// Whatever the caller's [`reqwest::ClientBuilder`] says, the built client sends the key
/// only to the base URL's origin, does not follow redirects, and sends our `User-Agent`.
#[must_use]
pub struct ClientBuilder<C> {
    family: &'static Family,
    key: ApiKey,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    deadline: Duration,
    user_agent_suffix: Option<String>,
    http: Option<reqwest::ClientBuilder>,
    retry: RetryPolicy,
    rate_limit: Option<RateLimit>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("family", &self.family.name)
            .field("key", &self.key)
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("custom_http_client", &self.http.is_some())
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl<C> ClientBuilder<C> {
    fn new(family: &'static Family, key: ApiKey, rate_limit: Option<RateLimit>) -> Self {
        Self {
            family,
            key,
            base_url: family.default_url.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            deadline: DEFAULT_DEADLINE,
            user_agent_suffix: None,
            http: None,
            retry: RetryPolicy::default(),
            rate_limit,
            client: PhantomData,
        }
    }

    /// Another base URL: a test server, the sandbox, a proxy. It must be `http` or `https`
    /// with a host, and have no credentials, query or fragment; a trailing `/` is fine.
    /// Checked by [`build`](ClientBuilder::build).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// How long to wait for a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take: connecting, sending and reading the whole answer.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long a whole call may take, every attempt and the waits between them included
    /// (time spent waiting for the rate limiter is not counted).
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Appended to our `User-Agent`, e.g. `my-app/1.2` gives
    /// `digicert-rs/<version> my-app/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Starts from the caller's reqwest configuration (a proxy, extra root certificates,
    /// ...). The client still sets its own redirect policy (none), `User-Agent` and
    /// connect timeout on it.
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(builder);
        self
    }

    /// How to retry; [`RetryPolicy::disabled`] makes every call a single attempt.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Rate-limits this key's requests in this process (shared with every other client
    /// that has the same key and limit).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// No client-side rate limit.
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }

    fn transport(self) -> Result<Transport, Error> {
        let base_url = check_base_url(&self.base_url)?;
        let user_agent = match self.user_agent_suffix.as_deref().map(str::trim) {
            Some(suffix) if !suffix.is_empty() => {
                if suffix.chars().any(|c| c.is_control()) {
                    return Err(Error::config(
                        "the User-Agent suffix has a control character",
                    ));
                }
                format!("{USER_AGENT} {suffix}")
            }
            _ => USER_AGENT.to_owned(),
        };
        let http = self
            .http
            .unwrap_or_default()
            .user_agent(user_agent)
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::config_with("the HTTP client could not be built", e))?;
        let limiter = self
            .rate_limit
            .filter(|limit| !limit.windows().is_empty())
            .map(|limit| Limiter::shared(&self.key, &limit));
        Transport::new(Settings {
            family: self.family,
            http,
            base_url,
            key: self.key,
            retry: self.retry,
            timeouts: Timeouts {
                attempt: self.timeout,
                total: self.deadline,
            },
            limiter,
        })
    }
}

impl ClientBuilder<services::Client> {
    /// CertCentral Europe's base URL, for accounts in the EU instance.
    pub fn eu(self) -> Self {
        self.base_url(services::Client::EU_URL)
    }
}

/// Checks a base URL and drops trailing slashes (the generated code appends paths that
/// start with `/`).
pub(crate) fn check_base_url(url: &str) -> Result<String, Error> {
    let trimmed = url.trim().trim_end_matches('/');
    let bad = |why: &str| Error::config(format!("base URL `{trimmed}` {why}"));
    let (scheme, rest) = trimmed
        .split_once("://")
        .ok_or_else(|| bad("is not a URL like https://host/path"))?;
    if !matches!(scheme, "http" | "https") {
        return Err(bad(
            "must start with https:// (or http:// for a local test server)",
        ));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() {
        return Err(bad("has no host"));
    }
    if authority.contains('@') {
        // Credentials in the URL would travel with every request and show in `Debug`.
        return Err(Error::config(
            "the base URL must not contain credentials (`user:password@`)",
        ));
    }
    let parsed = reqwest::Url::parse(trimmed)
        .map_err(|e| Error::config_with(format!("base URL `{trimmed}` is not a valid URL"), e))?;
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(trimmed.to_owned())
}

/// The environment variables a family's `from_env` reads.
struct EnvVars {
    key: &'static str,
    base_url: &'static str,
}

/// Reads a family's key and base URL through `lookup`; errors name the variable.
fn builder_from<C>(
    lookup: &impl Fn(&str) -> Option<String>,
    vars: &EnvVars,
    builder: impl FnOnce(ApiKey) -> ClientBuilder<C>,
) -> Result<ClientBuilder<C>, Error> {
    let key = match lookup(vars.key) {
        Some(value) if !value.trim().is_empty() => value.trim().to_owned(),
        Some(_) => return Err(Error::config(format!("{} is set but empty", vars.key))),
        None => {
            return Err(Error::config(format!(
                "{} is not set (or not valid UTF-8): set it to your API key",
                vars.key
            )));
        }
    };
    let key = ApiKey::new(key)
        .map_err(|e| Error::config(format!("{}: {}", vars.key, e.config_message())))?;
    let builder = builder(key);
    match lookup(vars.base_url) {
        None => Ok(builder),
        Some(url) if url.trim().is_empty() => Err(Error::config(format!(
            "{} is set but empty; unset it to use DigiCert's production URL",
            vars.base_url
        ))),
        Some(url) => {
            check_base_url(&url)
                .map_err(|e| Error::config(format!("{}: {}", vars.base_url, e.config_message())))?;
            Ok(builder.base_url(url))
        }
    }
}

/// The real environment, as `from_env` reads it.
fn env_lookup(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The constructors both families share.
macro_rules! constructors {
    ($family:ident, $key_var:literal, $url_var:literal, $rate_limit:expr) => {
        impl $family::Client {
            /// Environment variable [`from_env`](Self::from_env) reads the key from.
            pub const API_KEY_VAR: &'static str = $key_var;
            /// Optional environment variable that overrides the base URL in
            /// [`from_env`](Self::from_env).
            pub const BASE_URL_VAR: &'static str = $url_var;

            /// A builder for a client with `key` (see [`ClientBuilder`] for the settings
            /// and their defaults).
            pub fn builder(key: ApiKey) -> ClientBuilder<Self> {
                ClientBuilder::new(&Self::FAMILY, key, $rate_limit)
            }

            /// A builder with the key from the environment variable
            #[doc = concat!("`", $key_var, "`, and the base URL from `", $url_var, "`")]
            /// when it is set. The error names the variable that is missing or wrong.
            pub fn builder_from_env() -> Result<ClientBuilder<Self>, Error> {
                Self::builder_from_lookup(&env_lookup)
            }

            pub(crate) fn builder_from_lookup(
                lookup: &impl Fn(&str) -> Option<String>,
            ) -> Result<ClientBuilder<Self>, Error> {
                let vars = EnvVars {
                    key: $key_var,
                    base_url: $url_var,
                };
                builder_from(lookup, &vars, Self::builder)
            }

            /// A client for DigiCert's production base URL, with default settings.
            pub fn from_key(key: ApiKey) -> Result<Self, Error> {
                Self::builder(key).build()
            }

            /// A client for another base URL (a test server, the sandbox, a proxy), with
            /// default settings.
            pub fn with_base_url(base_url: &str, key: ApiKey) -> Result<Self, Error> {
                Self::builder(key).base_url(base_url).build()
            }

            /// A client configured from the environment (see
            /// [`builder_from_env`](Self::builder_from_env)), with default settings.
            pub fn from_env() -> Result<Self, Error> {
                Self::builder_from_env()?.build()
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            /// The client's API key (its `Debug` and `Display` are redacted).
            pub fn api_key(&self) -> &ApiKey {
                self.inner.key()
            }

            /// The retry policy the client follows.
            pub fn retry_policy(&self) -> &RetryPolicy {
                self.inner.retry()
            }
        }

        impl ClientBuilder<$family::Client> {
            /// Checks the settings and builds the client.
            pub fn build(self) -> Result<$family::Client, Error> {
                Ok($family::Client::from_transport(self.transport()?))
            }
        }
    };
}

constructors!(
    partner,
    "DIGICERT_PARTNER_API_KEY",
    "DIGICERT_PARTNER_BASE_URL",
    None
);
constructors!(
    services,
    "DIGICERT_API_KEY",
    "DIGICERT_BASE_URL",
    Some(RateLimit::certcentral())
);

impl services::Client {
    /// A client for CertCentral Europe, with default settings.
    pub fn eu(key: ApiKey) -> Result<Self, Error> {
        Self::builder(key).eu().build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        assert_eq!(
            check_base_url("https://example.test/v1/").unwrap(),
            "https://example.test/v1"
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        for (bad, says) in [
            ("example.test/v1", "is not a URL"),
            ("ftp://example.test", "must start with https://"),
            ("https://example.test/v1?x=1", "query or fragment"),
            ("", "is not a URL"),
            ("http:///x", "has no host"),
            (
                "https://user:secret@example.test/v1",
                "must not contain credentials",
            ),
        ] {
            let err = check_base_url(bad).unwrap_err().to_string();
            assert!(err.contains(says), "{bad}: {err}");
            assert!(!err.contains("secret"), "{err}");
        }
    }

    #[test]
    fn from_env_names_what_is_missing_or_wrong_once() {
        let lookup = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let err = partner::Client::builder_from_lookup(&lookup(&[]))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "client configuration: DIGICERT_PARTNER_API_KEY is not set (or not valid UTF-8): set it to your API key"
        );
        let err =
            services::Client::builder_from_lookup(&lookup(&[("DIGICERT_API_KEY", "two words")]))
                .unwrap_err()
                .to_string();
        assert_eq!(err.matches("client configuration").count(), 1, "{err}");
        assert!(err.contains("DIGICERT_API_KEY: the API key"), "{err}");
        assert!(!err.contains("two words"), "{err}");
        let err = services::Client::builder_from_lookup(&lookup(&[
            ("DIGICERT_API_KEY", "k"),
            ("DIGICERT_BASE_URL", ""),
        ]))
        .unwrap_err()
        .to_string();
        assert!(err.contains("DIGICERT_BASE_URL is set but empty"), "{err}");
        let err = partner::Client::builder_from_lookup(&lookup(&[
            ("DIGICERT_PARTNER_API_KEY", "k"),
            ("DIGICERT_PARTNER_BASE_URL", "not a url"),
        ]))
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("client configuration: DIGICERT_PARTNER_BASE_URL: base URL"),
            "{err}"
        );
        let client = services::Client::builder_from_lookup(&lookup(&[
            ("DIGICERT_API_KEY", "k-123"),
            (
                "DIGICERT_BASE_URL",
                "https://certcentral.digicert.eu/services/v2/",
            ),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), services::Client::EU_URL);
        assert_eq!(client.api_key().expose(), "k-123");
        let production =
            partner::Client::builder_from_lookup(&lookup(&[("DIGICERT_PARTNER_API_KEY", "k")]))
                .unwrap()
                .build()
                .unwrap();
        assert_eq!(production.base_url(), partner::Client::PRODUCTION_URL);
    }

    #[test]
    fn constructors_pick_the_right_instance() {
        let key = || ApiKey::new("k").unwrap();
        assert_eq!(
            services::Client::from_key(key()).unwrap().base_url(),
            services::Client::PRODUCTION_URL
        );
        assert_eq!(
            services::Client::eu(key()).unwrap().base_url(),
            services::Client::EU_URL
        );
        assert_eq!(
            services::Client::with_base_url("https://proxy.example/services/v2/", key())
                .unwrap()
                .base_url(),
            "https://proxy.example/services/v2"
        );
        let err = partner::Client::builder(key())
            .user_agent_suffix("bad\napp")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("control character"), "{err}");
    }
}
