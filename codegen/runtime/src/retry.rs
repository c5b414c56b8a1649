//! Retry policy: which calls are retried, and how long to wait between attempts.

use std::time::Duration;

/// Whether an operation may be sent more than once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetrySafety {
    /// Sending the request twice has the same effect as sending it once
    /// (reads, idempotent writes): the runtime retries it on connection
    /// errors, timeouts and statuses 429, 500, 502, 503 and 504.
    Safe,
    /// The request must be sent at most once (e.g. it creates a payment).
    /// A failure after the request may have reached the server is reported
    /// as `Error::OutcomeUnknown`.
    Never,
}

/// How calls marked [`RetrySafety::Safe`] are retried: exponential backoff
/// with full jitter, honouring the server's `Retry-After` header.
///
/// The wait before retry `n` (1 for the first retry) is a random duration
/// between zero and `min(max_backoff, initial_backoff * 2^(n-1))`; when the
/// answer carries `Retry-After: <seconds>`, the wait is that many seconds,
/// capped by `max_backoff`. No retry is started when the call has already
/// run for `max_elapsed` or would have after the wait.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// The most attempts, counting the first one (default 3; 0 counts as 1).
    pub max_attempts: u32,
    /// The largest wait before the first retry (default 200 ms).
    pub initial_backoff: Duration,
    /// The longest wait between two attempts (default 5 s).
    pub max_backoff: Duration,
    /// No retry starts after the call has run this long (default 30 s).
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries at all: every call is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the most attempts, counting the first one.
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets the largest wait before the first retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the longest wait between two attempts.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Sets the time after which no retry starts.
    pub fn max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// The largest wait before retry `retry` (1 for the first retry):
    /// `min(max_backoff, initial_backoff * 2^(retry-1))`.
    pub(crate) fn backoff_ceiling(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        let factor = 1u32 << exponent;
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }

    /// The wait before retry `retry` (1 for the first retry): full jitter
    /// below [`RetryPolicy::backoff_ceiling`], or the server's `Retry-After`
    /// capped by `max_backoff`.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        match retry_after {
            Some(wait) => wait.min(self.max_backoff),
            None => {
                let ceiling = self.backoff_ceiling(retry);
                let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
                Duration::from_nanos(fastrand::u64(0..=nanos))
            }
        }
    }
}

/// Parses a `Retry-After` header in its delta-seconds form (an HTTP date is
/// ignored and the regular backoff applies).
pub(crate) fn parse_retry_after(value: &[u8]) -> Option<Duration> {
    let text = std::str::from_utf8(value).ok()?.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Too many digits for u64: wait as long as allowed.
    let seconds = text.parse::<u64>().unwrap_or(u64::MAX);
    Some(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let p = RetryPolicy::default();
        assert_eq!(p.max_attempts, 3);
        assert_eq!(p.initial_backoff, Duration::from_millis(200));
        assert_eq!(p.max_backoff, Duration::from_secs(5));
        assert_eq!(p.max_elapsed, Duration::from_secs(30));
        assert_eq!(RetryPolicy::none().max_attempts, 1);
    }

    #[test]
    fn backoff_grows_exponentially_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(200));
        assert_eq!(p.backoff_ceiling(2), Duration::from_millis(400));
        assert_eq!(p.backoff_ceiling(3), Duration::from_millis(800));
        assert_eq!(p.backoff_ceiling(5), Duration::from_millis(3200));
        assert_eq!(p.backoff_ceiling(6), Duration::from_secs(5));
        assert_eq!(p.backoff_ceiling(40), Duration::from_secs(5));
        assert_eq!(p.backoff_ceiling(u32::MAX), Duration::from_secs(5));
        // Huge initial backoff overflows the multiplication: capped, no panic.
        let huge = RetryPolicy::default()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::from_secs(7));
        assert_eq!(huge.backoff_ceiling(30), Duration::from_secs(7));
    }

    #[test]
    fn jittered_delay_stays_below_the_ceiling() {
        let p = RetryPolicy::default();
        for retry in 1..10 {
            let ceiling = p.backoff_ceiling(retry);
            for _ in 0..200 {
                assert!(p.delay(retry, None) <= ceiling);
            }
        }
        // Full jitter: not always the ceiling.
        let distinct: std::collections::HashSet<_> = (0..50).map(|_| p.delay(3, None)).collect();
        assert!(distinct.len() > 1);
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let p = RetryPolicy::default().max_backoff(Duration::from_secs(3));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(1))),
            Duration::from_secs(1)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(120))),
            Duration::from_secs(3)
        );
    }

    #[test]
    fn retry_after_parsing() {
        assert_eq!(parse_retry_after(b"1"), Some(Duration::from_secs(1)));
        assert_eq!(parse_retry_after(b" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after(b"99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(parse_retry_after(b"Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after(b"-1"), None);
        assert_eq!(parse_retry_after(b""), None);
        assert_eq!(parse_retry_after(b"\xff"), None);
    }
}
