//! CertCentral's rate limits, emulated per API key (off unless the sandbox is built with
//! [`SandboxBuilder::rate_limits`](crate::SandboxBuilder::rate_limits) or started with
//! `--rate-limits`): a key that exceeds a window is blocked, and while it is blocked every
//! CertCentral request with it is answered 429 `request_limit_exceeded` with DigiCert's
//! documented body, and changes nothing.
//!
//! DigiCert documents 100 requests in 5 seconds and 1,000 in 3 (an older page: 5) minutes,
//! counted per key in rolling windows, and a "brief" block; the block's length is not
//! documented, so it is a setting here (5 seconds by default, the short window).

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::{Request, State as Extract};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use digicert::{RateLimit, RequestLog};
use tokio::time::Instant;

use crate::Family;
use crate::server::Shared;

/// The rolling windows and the block of the emulation. The windows are a
/// [`digicert::RateLimit`], counted by [`digicert::RequestLog`]: the client's own limiter
/// and the sandbox hold a key to the same windows the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    limit: RateLimit,
    block: Duration,
}

impl RateLimits {
    /// DigiCert's documented limits ([`RateLimit::certcentral`]: 100 requests per 5 s and
    /// 1,000 per 5 min per key, the stricter of the two documented long windows), with a
    /// 5 s block.
    pub fn certcentral() -> Self {
        Self {
            limit: RateLimit::certcentral(),
            block: Duration::from_secs(5),
        }
    }

    /// Other windows.
    #[must_use]
    pub fn with_limit(mut self, limit: RateLimit) -> Self {
        self.limit = limit;
        self
    }

    /// How long a key that went over a window stays blocked.
    #[must_use]
    pub fn with_block(mut self, block: Duration) -> Self {
        self.block = block;
        self
    }

    /// The windows.
    pub fn limit(&self) -> &RateLimit {
        &self.limit
    }

    /// The block.
    pub fn block(&self) -> Duration {
        self.block
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::certcentral()
    }
}

/// The request times of one key, and its block.
#[derive(Debug, Default)]
struct KeyState {
    log: RequestLog,
    blocked_until: Option<Instant>,
}

/// Every key's state. Keys with nothing in their windows are forgotten when the map grows,
/// so that a flood of made-up keys cannot grow it without bound. No `Debug`: the map is
/// keyed by the keys themselves.
pub(crate) struct Limits {
    config: RateLimits,
    keys: HashMap<String, KeyState>,
}

/// How many keys may be tracked before idle ones are forgotten.
const FORGET_ABOVE: usize = 10_000;

impl Limits {
    pub(crate) fn new(config: RateLimits) -> Self {
        Self {
            config,
            keys: HashMap::new(),
        }
    }

    /// Counts a request of `key` at `now`; `Err` with how long the block lasts when the key
    /// is (or just became) blocked. A blocked request is not counted.
    pub(crate) fn admit(&mut self, key: &str, now: Instant) -> Result<(), Duration> {
        if self.keys.len() > FORGET_ABOVE {
            let longest = self
                .config
                .limit
                .windows()
                .iter()
                .map(|w| w.1)
                .max()
                .unwrap_or_default();
            let now = now.into_std();
            self.keys.retain(|_, state| {
                state
                    .blocked_until
                    .is_some_and(|until| until.into_std() > now)
                    || state
                        .log
                        .last()
                        .is_some_and(|t| now.duration_since(t) < longest)
            });
        }
        let state = self.keys.entry(key.to_owned()).or_default();
        if let Some(until) = state.blocked_until {
            if until > now {
                return Err(until - now);
            }
            state.blocked_until = None;
        }
        match state.log.admit(&self.config.limit, now.into_std()) {
            Ok(()) => Ok(()),
            Err(_fits_again) => {
                state.blocked_until = Some(now + self.config.block);
                Err(self.config.block)
            }
        }
    }
}

/// The middleware (installed only when the emulation is on): CertCentral requests only.
pub(crate) async fn layer(
    Extract(shared): Extract<Shared>,
    request: Request,
    next: Next,
) -> Response {
    // Only CertCentral's own paths (the sandbox's `/_sandbox/` ones are not under them).
    if crate::server::family_of(request.uri().path()) != Family::CertCentral {
        return next.run(request).await;
    }
    let key = crate::server::services_key(request.headers())
        .unwrap_or_default()
        .to_owned();
    let verdict = shared
        .limits()
        .map(|mut limits| limits.admit(&key, Instant::now()));
    match verdict {
        // DigiCert documents no Retry-After for this answer, so the emulation sends none.
        Some(Err(_blocked_for)) => crate::server::refusal_response(
            Family::CertCentral,
            StatusCode::TOO_MANY_REQUESTS,
            "Service unavailable, please limit request volume",
            None,
        ),
        _ => next.run(request).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_over_a_window_is_blocked_for_the_block_then_counted_again() {
        let mut limits = Limits::new(
            RateLimits::certcentral()
                .with_limit(RateLimit::new().window(3, Duration::from_secs(5)))
                .with_block(Duration::from_secs(2)),
        );
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_millis(s);
        assert!(limits.admit("k", at(0)).is_ok());
        assert!(limits.admit("k", at(100)).is_ok());
        assert!(limits.admit("k", at(200)).is_ok());
        assert_eq!(limits.admit("k", at(300)), Err(Duration::from_secs(2)));
        // Another key is not affected.
        assert!(limits.admit("other", at(300)).is_ok());
        // Still blocked 1 s later, and a blocked request does not count.
        assert_eq!(
            limits.admit("k", at(1300)),
            Err(Duration::from_millis(1000))
        );
        // After the block, the window (5 s) still holds three requests: blocked again.
        assert!(limits.admit("k", at(2300)).is_err());
        // Once the three counted requests have left the window (by 5.2 s), three more pass:
        // none of the refused ones (at 0.3, 1.3 and 2.3 s) was counted.
        for t in [5250, 5260, 5270] {
            assert!(limits.admit("k", at(t)).is_ok(), "at {t} ms");
        }
    }
}
