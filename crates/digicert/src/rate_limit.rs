//! [`RateLimit`]: a client-side limiter that keeps a key under DigiCert's documented request
//! rates by waiting, shared by every client with the same key in the process.
//!
//! Hand-written rather than `governor`: CertCentral counts requests in *rolling* windows
//! ("100 requests in 5 seconds"), which a sliding log enforces exactly, while governor's
//! GCRA would let up to twice the burst through in one window unless its rate were halved;
//! and governor waits on its own clock and `futures-timer`, which tokio's paused test clock
//! cannot drive. The log holds at most one instant per allowed request (1,000 here), and
//! each request costs one lookup per window, however long the log.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};
use std::time::Duration;

use tokio::time::Instant;

use crate::ApiKey;

/// Request-rate windows one API key must stay within: at most `n` requests in any rolling
/// window of a given length. The client waits (it never fails) until a request fits.
///
/// CertCentral clients use [`RateLimit::certcentral`] unless told otherwise; Partner
/// Subscriptions clients have none (DigiCert documents no limit there).
///
/// ```
/// use std::time::Duration;
/// use digicert::RateLimit;
///
/// let documented = RateLimit::certcentral(); // 100 per 5 s and 1,000 per 5 min
/// let gentle = RateLimit::new().window(20, Duration::from_secs(5));
/// # let _ = (documented, gentle);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RateLimit {
    windows: Vec<(u32, Duration)>,
}

impl RateLimit {
    /// No windows yet (add them with [`RateLimit::window`]).
    pub fn new() -> Self {
        Self {
            windows: Vec::new(),
        }
    }

    /// CertCentral's documented limits: 100 requests per 5 seconds, and 1,000 per 5
    /// minutes. DigiCert's pages disagree on the long window (3 or 5 minutes for 1,000
    /// requests); the stricter one is used.
    pub fn certcentral() -> Self {
        Self::new()
            .window(100, Duration::from_secs(5))
            .window(1000, Duration::from_secs(300))
    }

    /// Adds a window: at most `requests` (at least 1) in any `per` (at most a year).
    #[must_use]
    pub fn window(mut self, requests: u32, per: Duration) -> Self {
        const YEAR: Duration = Duration::from_secs(365 * 24 * 3600);
        self.windows.push((requests.max(1), per.min(YEAR)));
        self
    }

    /// The windows, as `(requests, per)`.
    pub fn windows(&self) -> &[(u32, Duration)] {
        &self.windows
    }
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::new()
    }
}

/// The send times of one key's recent requests, checked against a [`RateLimit`]: what the
/// client's limiter waits on, public so that a stand-in server (`digicert-sandbox`) enforces
/// the same windows the same way. It never holds more instants than the largest window
/// counts, nor any older than the longest window.
///
/// ```
/// use std::time::{Duration, Instant};
/// use digicert::{RateLimit, RequestLog};
///
/// let limit = RateLimit::new().window(2, Duration::from_secs(5));
/// let mut log = RequestLog::new();
/// let now = Instant::now();
/// assert!(log.admit(&limit, now).is_ok());
/// assert!(log.admit(&limit, now).is_ok());
/// // The third within 5 s must wait until the first has left the window.
/// assert_eq!(log.admit(&limit, now), Err(now + Duration::from_secs(5)));
/// ```
#[derive(Debug, Clone, Default)]
pub struct RequestLog {
    sent: VecDeque<std::time::Instant>,
}

impl RequestLog {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts a request at `now` if it fits every window of `limit`; otherwise counts
    /// nothing and returns the earliest instant at which it would fit.
    pub fn admit(
        &mut self,
        limit: &RateLimit,
        now: std::time::Instant,
    ) -> Result<(), std::time::Instant> {
        if limit.windows.is_empty() {
            // No window to stay within: nothing to count, and nothing to keep.
            return Ok(());
        }
        let sent = &mut self.sent;
        let longest = limit.windows.iter().map(|w| w.1).max();
        let most = limit.windows.iter().map(|w| w.0 as usize).max();
        while sent
            .front()
            .is_some_and(|t| longest.is_some_and(|l| now.duration_since(*t) >= l))
            || most.is_some_and(|m| sent.len() > m)
        {
            sent.pop_front();
        }
        // The log is in time order, so a window is full exactly when its `requests`-th
        // newest instant is still inside it: one lookup per window, however long the log.
        let mut ready = now;
        for &(requests, per) in &limit.windows {
            let blocking = sent.len().checked_sub(requests as usize).map(|i| sent[i]);
            if let Some(blocking) = blocking
                && now.duration_since(blocking) < per
            {
                // That request must leave the window first.
                ready = ready.max(blocking + per);
            }
        }
        if ready > now {
            return Err(ready);
        }
        sent.push_back(now);
        Ok(())
    }

    /// The newest request counted, if any is still in the log.
    pub fn last(&self) -> Option<std::time::Instant> {
        self.sent.back().copied()
    }

    /// How many requests the log holds.
    pub fn len(&self) -> usize {
        self.sent.len()
    }

    /// Whether the log holds no request.
    pub fn is_empty(&self) -> bool {
        self.sent.is_empty()
    }
}

/// The limiter of one key: the limit and its log.
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: RateLimit,
    log: Mutex<RequestLog>,
}

type Registry = Mutex<HashMap<(ApiKey, RateLimit), Weak<Limiter>>>;

impl Limiter {
    /// The limiter shared by every client in this process with `key` and `limit`.
    pub(crate) fn shared(key: &ApiKey, limit: &RateLimit) -> Arc<Limiter> {
        static REGISTRY: OnceLock<Registry> = OnceLock::new();
        let registry = REGISTRY.get_or_init(Registry::default);
        let mut map = registry.lock().unwrap_or_else(PoisonError::into_inner);
        map.retain(|_, limiter| limiter.strong_count() > 0);
        let entry = (key.clone(), limit.clone());
        if let Some(limiter) = map.get(&entry).and_then(Weak::upgrade) {
            return limiter;
        }
        let limiter = Arc::new(Limiter {
            limit: limit.clone(),
            log: Mutex::new(RequestLog::new()),
        });
        map.insert(entry, Arc::downgrade(&limiter));
        limiter
    }

    /// Counts one more request at `now` if it fits every window, without waiting.
    pub(crate) fn admit(&self, now: Instant) -> bool {
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        log.admit(&self.limit, now.into_std()).is_ok()
    }

    /// Waits until one more request fits every window, and counts it. Returns how long it
    /// waited.
    pub(crate) async fn acquire(&self) -> Duration {
        let started = Instant::now();
        loop {
            let admitted = {
                let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
                log.admit(&self.limit, Instant::now().into_std())
            };
            match admitted {
                Ok(()) => return started.elapsed(),
                Err(ready) => tokio::time::sleep_until(Instant::from_std(ready)).await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> ApiKey {
        ApiKey::new(text).unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn never_more_than_n_in_any_rolling_window() {
        let limit = RateLimit::new()
            .window(5, Duration::from_secs(1))
            .window(8, Duration::from_secs(10));
        let limiter = Limiter::shared(&key("window-test"), &limit);
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..20 {
            limiter.acquire().await;
            times.push(Instant::now().duration_since(start));
        }
        for (i, t) in times.iter().enumerate() {
            let in_1s = times[i..]
                .iter()
                .filter(|u| **u - *t < Duration::from_secs(1))
                .count();
            let in_10s = times[i..]
                .iter()
                .filter(|u| **u - *t < Duration::from_secs(10))
                .count();
            assert!(in_1s <= 5, "{in_1s} requests within 1 s from {t:?}");
            assert!(in_10s <= 8, "{in_10s} requests within 10 s from {t:?}");
        }
        // The first five go at once; the long window then paces the rest.
        assert_eq!(times[4], Duration::ZERO);
        assert_eq!(times[8], Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn the_log_keeps_only_what_a_window_can_still_count() {
        let limit = RateLimit::new()
            .window(3, Duration::from_secs(1))
            .window(4, Duration::from_secs(60));
        let limiter = Limiter::shared(&key("log-length"), &limit);
        for _ in 0..50 {
            limiter.acquire().await;
            assert!(limiter.log.lock().unwrap().len() <= 4);
        }
        // A limit nobody reaches (as in the benchmark) keeps only the last second.
        let open = Limiter::shared(
            &key("open-limit"),
            &RateLimit::new().window(u32::MAX, Duration::from_secs(1)),
        );
        for _ in 0..10 {
            assert_eq!(open.acquire().await, Duration::ZERO);
            tokio::time::advance(Duration::from_millis(400)).await;
        }
        assert!(open.log.lock().unwrap().len() <= 3);
    }

    #[test]
    fn a_limit_without_windows_admits_everything_and_keeps_nothing() {
        let mut log = RequestLog::new();
        let now = std::time::Instant::now();
        for _ in 0..100 {
            assert_eq!(log.admit(&RateLimit::new(), now), Ok(()));
        }
        assert!(log.is_empty());
    }

    #[tokio::test(start_paused = true)]
    async fn clients_with_the_same_key_share_one_limiter() {
        let limit = RateLimit::new().window(2, Duration::from_secs(5));
        let a = Limiter::shared(&key("shared-key"), &limit);
        let b = Limiter::shared(&key("shared-key"), &limit);
        let other = Limiter::shared(&key("other-key"), &limit);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &other));
        assert_eq!(a.acquire().await, Duration::ZERO);
        assert_eq!(b.acquire().await, Duration::ZERO);
        assert_eq!(other.acquire().await, Duration::ZERO);
        assert_eq!(a.acquire().await, Duration::from_secs(5));
    }
}
