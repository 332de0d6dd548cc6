//! [`RetryPolicy`]: when and how long the client waits before trying a call again, and the
//! pieces the runtime uses to decide (`Retry-After`, backoff with full jitter).
//!
//! Hand-written rather than built on `backon`: the policy needs full jitter (a random delay
//! between zero and the exponential bound; `backon`'s jitter adds to the bound instead), a
//! delay taken from `Retry-After` or raised to CertCentral's 5-second window for
//! `request_limit_exceeded`, a total deadline shared with the attempts themselves, and a
//! per-error decision that depends on whether the operation is safe to repeat. Each would
//! be an override on top of a retry crate; together they are this short module.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// CertCentral's short rate-limit window: a key over the limit is blocked for at least this
/// long, so a `request_limit_exceeded` answer is never retried sooner.
pub(crate) const RATE_LIMIT_WINDOW: Duration = Duration::from_secs(5);

/// How the client retries calls that failed in a way that may pass.
///
/// What is retried: a 429, 502, 503 or 504 answer and a connection that could not be made
/// (the request was not sent), for every operation; a timeout, another 5xx or a connection
/// that broke after the request was sent, only for operations that are safe to repeat
/// (GET, PUT, DELETE, and those the spec marks `x-idempotent: true`), so that a create is
/// never sent twice once DigiCert may have processed it.
///
/// How long it waits: the server's `Retry-After` when it sends one (seconds or an HTTP
/// date; a wait longer than [`RetryPolicy::max_retry_after`] is not waited for: the error
/// comes back at once, with [`Error::retry_after`](crate::Error::retry_after)); otherwise a
/// random delay between zero and `initial_delay * 2^(retry - 1)`, capped at
/// [`RetryPolicy::max_delay`] ("full jitter"). A 429 with CertCentral's
/// `request_limit_exceeded` waits at least 5 seconds, its blocking window.
///
/// | setting | default |
/// |---|---|
/// | attempts, first one included | 4 |
/// | `initial_delay` | 200 ms |
/// | `max_delay` | 20 s |
/// | `max_retry_after` | 60 s |
///
/// ```
/// use std::time::Duration;
/// use digicert::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(6)
///     .max_delay(Duration::from_secs(30));
/// let none = RetryPolicy::disabled();
/// assert_eq!(none.attempts(), 1);
/// # let _ = patient;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every call makes exactly one attempt.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most `attempts` attempts per call, the first one included (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The bound of the first retry's random delay; each retry doubles it.
    #[must_use]
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The largest backoff delay between two attempts. A `Retry-After` is capped by
    /// [`RetryPolicy::max_retry_after`] instead, and a `request_limit_exceeded` always
    /// waits at least its 5 s window.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` the client waits for; longer ones end the call.
    #[must_use]
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Attempts per call, the first one included.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The delay before retry number `retry` (1 for the first retry): full jitter.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let bound = self
            .initial_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        bound.mul_f64(fastrand::f64())
    }

    /// How long to wait before the next attempt after an answer with `status`, `headers`
    /// and the base code of DigiCert's first error (`request_limit_exceeded`), or
    /// `Err(reason)` when the answer says not to retry soon.
    pub(crate) fn delay_after(
        &self,
        retry: u32,
        status: Option<StatusCode>,
        headers: Option<&HeaderMap>,
        code: Option<&str>,
    ) -> Result<Duration, String> {
        let mut delay = match headers.and_then(retry_after) {
            Some(wait) if wait > self.max_retry_after => {
                return Err(format!(
                    "the server asked to wait {} s (Retry-After), more than the {} s the retry policy allows",
                    wait.as_secs(),
                    self.max_retry_after.as_secs()
                ));
            }
            Some(wait) => wait,
            None => self.backoff(retry),
        };
        let limited =
            status == Some(StatusCode::TOO_MANY_REQUESTS) && code == Some("request_limit_exceeded");
        if limited {
            delay = delay.max(RATE_LIMIT_WINDOW);
        }
        Ok(delay)
    }
}

/// `Retry-After` as a duration from now: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
/// A date in the past is no wait; an unreadable value is ignored.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, retry_after.parse().unwrap());
        h
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_capped_bound() {
        let policy = RetryPolicy::default()
            .initial_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(1000));
        for retry in 1..=8 {
            let bound =
                Duration::from_millis(100 * (1 << (retry - 1))).min(Duration::from_millis(1000));
            let delays: Vec<Duration> = (0..200).map(|_| policy.backoff(retry)).collect();
            assert!(delays.iter().all(|d| *d <= bound), "retry {retry}");
            // Full jitter spreads over the whole range, not just its top.
            assert!(delays.iter().any(|d| *d < bound / 4), "retry {retry}");
            assert!(delays.iter().any(|d| *d > bound * 3 / 4), "retry {retry}");
        }
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        assert_eq!(retry_after(&headers("30")), Some(Duration::from_secs(30)));
        let soon = SystemTime::now() + Duration::from_secs(120);
        let wait = retry_after(&headers(&httpdate::fmt_http_date(soon))).unwrap();
        assert!(
            wait > Duration::from_secs(115) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        let past = SystemTime::now() - Duration::from_secs(120);
        assert_eq!(
            retry_after(&headers(&httpdate::fmt_http_date(past))),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn delays_follow_retry_after_its_cap_and_the_rate_limit_window() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(10));
        assert_eq!(
            policy.delay_after(
                1,
                Some(StatusCode::SERVICE_UNAVAILABLE),
                Some(&headers("3")),
                None
            ),
            Ok(Duration::from_secs(3))
        );
        let refused = policy
            .delay_after(
                1,
                Some(StatusCode::SERVICE_UNAVAILABLE),
                Some(&headers("30")),
                None,
            )
            .unwrap_err();
        assert!(
            refused.contains("30 s") && refused.contains("10 s"),
            "{refused}"
        );
        let limited = policy
            .delay_after(
                1,
                Some(StatusCode::TOO_MANY_REQUESTS),
                None,
                Some("request_limit_exceeded"),
            )
            .unwrap();
        assert_eq!(limited, RATE_LIMIT_WINDOW);
        let other_429 = policy
            .delay_after(1, Some(StatusCode::TOO_MANY_REQUESTS), None, Some("x"))
            .unwrap();
        assert!(other_429 <= Duration::from_millis(200));
    }
}
