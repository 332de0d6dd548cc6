//! [`Response`]: a successful answer, its decoded body with the status and headers.

use std::fmt;
use std::ops::{Deref, DerefMut};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A successful answer: the decoded body (`T`, or `()` for operations that answer with no
/// content), its HTTP status and headers. It dereferences to the body.
///
/// ```no_run
/// # async fn run(client: &digicert::partner::Client) -> digicert::Result<()> {
/// let emails = client.get_emergency_emails().send().await?;
/// assert_eq!(emails.status(), digicert::StatusCode::OK);
/// for address in &emails.emergency_contact_emails {
///     println!("{address}");
/// }
/// let emails = emails.into_inner();
/// # let _ = emails; Ok(()) }
/// ```
pub struct Response<T> {
    inner: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> Response<T> {
    pub(crate) fn new(inner: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self {
            inner,
            status,
            headers,
        }
    }

    /// The HTTP status (one of the operation's documented success statuses).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The body, the status and the headers.
    pub fn into_parts(self) -> (T, StatusCode, HeaderMap) {
        (self.inner, self.status, self.headers)
    }

    /// The same response with its body changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            inner: f(self.inner),
            status: self.status,
            headers: self.headers,
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T> AsRef<T> for Response<T> {
    fn as_ref(&self) -> &T {
        &self.inner
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body's own Debug redacts keys and secrets; headers are not shown (they are
        // rarely interesting and can be long).
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("body", &self.inner)
            .finish_non_exhaustive()
    }
}
