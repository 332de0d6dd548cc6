//! [`DigicertDateTime`]: DigiCert's `YYYY-MM-DD hh:mm:ss` timestamps, which are not RFC 3339.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// A timestamp in DigiCert's `YYYY-MM-DD hh:mm:ss` layout (e.g. `2018-11-29 18:25:04`),
/// as CertCentral uses for a subaccount's `date_created`.
///
/// Parsing is strict (exactly that layout, a real calendar date and time), so a value
/// re-serialises to exactly the text it came from. DigiCert does not document the time
/// zone; [`DigicertDateTime::naive`] gives the value as it is, and
/// [`DigicertDateTime::assume_utc`] reads it as UTC when you decide that is right.
///
/// ```
/// use digicert::DigicertDateTime;
///
/// let created: DigicertDateTime = "2018-11-29 18:25:04".parse()?;
/// assert_eq!(created.to_string(), "2018-11-29 18:25:04");
/// assert_eq!(created.naive().to_string(), "2018-11-29 18:25:04");
/// assert!("2018-11-29T18:25:04Z".parse::<DigicertDateTime>().is_err());
/// # Ok::<(), digicert::ParseDateTimeError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DigicertDateTime(NaiveDateTime);

/// Why a text is not a `YYYY-MM-DD hh:mm:ss` timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a DigiCert timestamp (`YYYY-MM-DD hh:mm:ss`): {reason}")]
pub struct ParseDateTimeError {
    input: String,
    reason: &'static str,
}

impl DigicertDateTime {
    /// The layout, in chrono's notation.
    pub const FORMAT: &'static str = "%Y-%m-%d %H:%M:%S";

    /// The value without a time zone, exactly as DigiCert wrote it.
    pub fn naive(&self) -> NaiveDateTime {
        self.0
    }

    /// The value read as UTC. DigiCert does not document the zone of these timestamps.
    pub fn assume_utc(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.and_utc()
    }
}

impl From<NaiveDateTime> for DigicertDateTime {
    /// Drops any fraction of a second, which the layout cannot carry.
    fn from(value: NaiveDateTime) -> Self {
        Self(value.with_nanosecond(0).unwrap_or(value))
    }
}

impl From<DigicertDateTime> for NaiveDateTime {
    fn from(value: DigicertDateTime) -> Self {
        value.0
    }
}

impl FromStr for DigicertDateTime {
    type Err = ParseDateTimeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fail = |reason| ParseDateTimeError {
            input: s.to_owned(),
            reason,
        };
        let b = s.as_bytes();
        if b.len() != 19 {
            return Err(fail("expected exactly 19 characters"));
        }
        for (i, c) in b.iter().enumerate() {
            let ok = match i {
                4 | 7 => *c == b'-',
                10 => *c == b' ',
                13 | 16 => *c == b':',
                _ => c.is_ascii_digit(),
            };
            if !ok {
                return Err(fail("expected digits separated as `YYYY-MM-DD hh:mm:ss`"));
            }
        }
        // Every byte is now an ASCII digit or separator, so the slices below are valid.
        let num = |range: std::ops::Range<usize>| -> u32 {
            s[range]
                .bytes()
                .fold(0, |n, d| n * 10 + u32::from(d - b'0'))
        };
        let year = i32::try_from(num(0..4)).map_err(|_| fail("year out of range"))?;
        let date = NaiveDate::from_ymd_opt(year, num(5..7), num(8..10))
            .ok_or_else(|| fail("no such calendar date"))?;
        let time = NaiveTime::from_hms_opt(num(11..13), num(14..16), num(17..19))
            .ok_or_else(|| fail("no such time of day"))?;
        Ok(Self(date.and_time(time)))
    }
}

impl DigicertDateTime {
    /// `YYYY-MM-DD hh:mm:ss` without `fmt` machinery (serialising a list of records spends
    /// much of its time here), for the four-digit years the format has; `None` otherwise.
    fn text(&self) -> Option<[u8; 19]> {
        let (d, t) = (self.0.date(), self.0.time());
        let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
        let mut out = *b"0000-00-00 00:00:00";
        let mut put = |at: usize, width: usize, mut value: u32| {
            for slot in out[at..at + width].iter_mut().rev() {
                // `value % 10` is a single digit.
                *slot = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, 4, year);
        put(5, 2, d.month());
        put(8, 2, d.day());
        put(11, 2, t.hour());
        put(14, 2, t.minute());
        put(17, 2, t.second());
        Some(out)
    }
}

impl fmt::Display for DigicertDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.text() {
            // Only ASCII digits and separators were written.
            Some(text) => f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?),
            None => {
                let (d, t) = (self.0.date(), self.0.time());
                write!(
                    f,
                    "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                    d.year(),
                    d.month(),
                    d.day(),
                    t.hour(),
                    t.minute(),
                    t.second()
                )
            }
        }
    }
}

impl fmt::Debug for DigicertDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DigicertDateTime({self})")
    }
}

impl serde::Serialize for DigicertDateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.text() {
            Some(text) => match std::str::from_utf8(&text) {
                Ok(text) => serializer.serialize_str(text),
                Err(_) => serializer.collect_str(self),
            },
            None => serializer.collect_str(self),
        }
    }
}

impl<'de> serde::Deserialize<'de> for DigicertDateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        // The message names the layout and the reason, never the text: error messages
        // must not repeat what a response body said.
        text.parse().map_err(|e: ParseDateTimeError| {
            serde::de::Error::custom(format_args!(
                "not a DigiCert timestamp (`YYYY-MM-DD hh:mm:ss`): {}",
                e.reason
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_exactly() {
        for text in [
            "2018-11-29 18:25:04",
            "0001-01-01 00:00:00",
            "2024-02-29 23:59:59",
        ] {
            let value: DigicertDateTime = text.parse().unwrap();
            assert_eq!(value.to_string(), text);
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(
                serde_json::from_str::<DigicertDateTime>(&json).unwrap(),
                value
            );
        }
    }

    #[test]
    fn years_beyond_four_digits_still_display() {
        let far = NaiveDate::from_ymd_opt(12_345, 6, 7)
            .unwrap()
            .and_hms_opt(8, 9, 10)
            .unwrap();
        let value = DigicertDateTime::from(far);
        assert_eq!(value.to_string(), "12345-06-07 08:09:10");
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            "\"12345-06-07 08:09:10\""
        );
        let before = NaiveDate::from_ymd_opt(-5, 1, 2)
            .unwrap()
            .and_hms_opt(3, 4, 5)
            .unwrap();
        assert_eq!(
            DigicertDateTime::from(before).to_string(),
            "-005-01-02 03:04:05"
        );
        // Every field's digits land in place.
        let value: DigicertDateTime = "9876-12-31 23:58:07".parse().unwrap();
        assert_eq!(value.to_string(), "9876-12-31 23:58:07");
    }

    #[test]
    fn rejects_everything_else_with_a_reason() {
        let cases = [
            ("2018-11-29T18:25:04", "separated"),
            ("2018-11-29 18:25:04Z", "19 characters"),
            ("2018-1-29 18:25:04", "19 characters"),
            ("2018-13-01 00:00:00", "calendar date"),
            ("2023-02-29 00:00:00", "calendar date"),
            ("2018-11-29 24:00:00", "time of day"),
            ("2018-11-29 23:60:00", "time of day"),
            ("", "19 characters"),
            ("2018-11-29 18:é:04", "separated"),
        ];
        for (input, reason) in cases {
            let err = input.parse::<DigicertDateTime>().unwrap_err().to_string();
            assert!(err.contains(reason), "{input}: {err}");
            assert!(err.contains("YYYY-MM-DD hh:mm:ss"), "{err}");
        }
        let err = serde_json::from_str::<DigicertDateTime>("\"2018-11-29\"").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(
                "not a DigiCert timestamp (`YYYY-MM-DD hh:mm:ss`): expected exactly 19 characters"
            ),
            "{text}"
        );
        assert!(!text.contains("2018-11-29"), "{text}");
    }

    #[test]
    fn converts_to_and_from_chrono() {
        let value: DigicertDateTime = "2018-11-29 18:25:04".parse().unwrap();
        let naive: NaiveDateTime = value.into();
        assert_eq!(
            naive,
            NaiveDate::from_ymd_opt(2018, 11, 29)
                .unwrap()
                .and_hms_opt(18, 25, 4)
                .unwrap()
        );
        assert_eq!(value.assume_utc().timestamp(), 1_543_515_904);
        let with_fraction = naive.with_nanosecond(500_000_000).unwrap();
        assert_eq!(DigicertDateTime::from(with_fraction), value);
    }
}
