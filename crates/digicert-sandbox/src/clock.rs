//! [`Clock`]: the sandbox's own clock. It runs with the system clock, whole seconds only
//! (DigiCert's timestamps carry none), plus an offset that tests and demos move forward
//! (`Sandbox::advance_clock`, `POST /_sandbox/clock`), so that rules about elapsed time,
//! such as the 30-day window for canceling an ACME contract, can be shown without waiting.
//! Every timestamp the sandbox writes comes from here.

use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};

/// The latest instant the clock may be moved to: every timestamp the sandbox writes (and
/// a contract's term, a year after it) must keep a four-digit year, as RFC 3339 requires.
const LATEST: i64 = 253_370_764_800; // 9999-01-01T00:00:00Z

/// The sandbox's clock: the system time plus an offset that only grows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clock {
    /// Seconds added to the system time.
    offset: i64,
}

impl Clock {
    /// The current time, in whole seconds.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        let secs = system_seconds().saturating_add(self.offset).min(LATEST);
        DateTime::from_timestamp_secs(secs).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }

    /// How far ahead of the system clock the sandbox's clock is, in seconds.
    pub(crate) fn offset_seconds(&self) -> i64 {
        self.offset
    }

    /// Moves the clock `seconds` ahead; the error says why not (past 9999-01-01).
    pub(crate) fn advance(&mut self, seconds: u64) -> Result<DateTime<Utc>, String> {
        let target = i64::try_from(seconds)
            .ok()
            .and_then(|s| self.now().timestamp().checked_add(s))
            .filter(|t| *t <= LATEST)
            .ok_or_else(|| {
                format!("advancing the clock by {seconds} seconds would take it past 9999-01-01T00:00:00Z")
            })?;
        self.jump_to(target)
    }

    /// Sets the clock to `to`, which must not be earlier than now (the clock never runs
    /// backwards, so no timestamp the sandbox wrote can lie in its future).
    pub(crate) fn set(&mut self, to: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
        let now = self.now();
        if to < now {
            return Err(format!(
                "the clock cannot go back: {} is earlier than its current time {}",
                to.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ));
        }
        if to.timestamp() > LATEST {
            return Err("the clock cannot be set past 9999-01-01T00:00:00Z".to_owned());
        }
        self.jump_to(to.timestamp())
    }

    fn jump_to(&mut self, target: i64) -> Result<DateTime<Utc>, String> {
        self.offset = target.saturating_sub(system_seconds()).max(self.offset);
        Ok(self.now())
    }
}

/// Seconds since the Unix epoch by the system clock (0 if it reads before 1970).
fn system_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_and_never_back() {
        let mut clock = Clock::default();
        let before = clock.now();
        let after = clock.advance(31 * 86_400).unwrap();
        assert!(after - before >= chrono::TimeDelta::days(31));
        assert!(after - before < chrono::TimeDelta::days(31) + chrono::TimeDelta::seconds(5));
        assert!(clock.offset_seconds() >= 31 * 86_400);
        let err = clock.set(before).unwrap_err();
        assert!(err.contains("cannot go back"), "{err}");
        assert!(clock.now() >= after);
    }

    #[test]
    fn the_clock_stays_within_four_digit_years() {
        let mut clock = Clock::default();
        assert!(clock.advance(u64::MAX).unwrap_err().contains("9999-01-01"));
        assert!(clock.advance(400 * 365 * 86_400 * 100).is_err());
        let far = DateTime::from_timestamp_secs(LATEST + 1).unwrap();
        assert!(clock.set(far).is_err());
        assert_eq!(clock.offset_seconds(), 0);
        let set = DateTime::from_timestamp_secs(LATEST).unwrap();
        assert_eq!(clock.set(set).unwrap(), set);
        assert_eq!(clock.now().timestamp_subsec_nanos(), 0);
    }
}
