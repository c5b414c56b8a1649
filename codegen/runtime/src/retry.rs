//! Retry policy: which calls are retried, and how long to wait between attempts.

use std::time::Duration;

use super::error::Rule;

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
    /// The request is made idempotent by a key in the API's idempotency header (see
    /// [`Idempotency`]): the runtime sends one key per logical call (the caller's, or a
    /// random UUID v4) on every attempt, and retries the call like a [`RetrySafety::Safe`]
    /// one, so the server does the work at most once. When it gives up after the request may
    /// have reached the server, the error is `Error::OutcomeUnknown` carrying the key, to
    /// retry later with it.
    Keyed,
}

/// How an API takes idempotency keys: the header that carries them, and the longest key a
/// caller may give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Idempotency {
    /// The header's name (`Idempotency-Key`).
    pub header: &'static str,
    /// The most characters of a key given by the caller, when the API has a limit.
    pub max_length: Option<u32>,
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
                Duration::from_nanos(below_or_at(nanos))
            }
        }
    }
}

/// A random number in `0..=ceiling`, for jitter and test identifiers, never for a secret (an
/// idempotency key comes from `ring`). Each `RandomState` of std has keys no other in the
/// process has (random per thread, then stepped), so hashing nothing with a new one gives a
/// new pseudo-random `u64`; scaling it by multiplication keeps every value reachable.
pub(crate) fn below_or_at(ceiling: u64) -> u64 {
    use std::hash::BuildHasher;
    let random = std::collections::hash_map::RandomState::new().hash_one(());
    let scaled = u128::from(random) * (u128::from(ceiling) + 1);
    u64::try_from(scaled >> 64).unwrap_or(ceiling)
}

/// A new idempotency key: a random UUID v4 from a cryptographically secure source, in its
/// canonical form (8-4-4-4-12 lower-case hex digits).
pub(crate) fn new_idempotency_key(
    random: &dyn ring::rand::SecureRandom,
) -> Result<String, ring::error::Unspecified> {
    let mut bytes = [0u8; 16];
    random.fill(&mut bytes)?;
    // Version 4 (random) in the high nibble of byte 6, variant 10xx in byte 8 (RFC 9562).
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut key = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            key.push('-');
        }
        for nibble in [byte >> 4, byte & 0x0f] {
            key.push(char::from(if nibble < 10 {
                b'0' + nibble
            } else {
                b'a' + (nibble - 10)
            }));
        }
    }
    Ok(key)
}

/// Why a caller's idempotency key is refused: it must be non-empty, made of visible ASCII
/// characters only (no space, no control character), and at most `max_length` long.
pub(crate) fn check_idempotency_key(key: &str, max_length: Option<u32>) -> Result<(), Rule> {
    if key.is_empty() {
        return Err(Rule::MinLength(1));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Rule::VisibleAscii);
    }
    if let Some(max) = max_length {
        if u32::try_from(key.len()).map_or(true, |len| len > max) {
            return Err(Rule::MaxLength(max));
        }
    }
    Ok(())
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
    fn random_numbers_cover_their_range_and_no_more() {
        assert_eq!(below_or_at(0), 0);
        let mut seen = [0u32; 10];
        for _ in 0..2000 {
            let n = below_or_at(9);
            seen[usize::try_from(n).unwrap()] += 1;
        }
        // 200 expected each; a fair source falls below 100 with odds far under 1e-9.
        assert!(seen.iter().all(|&count| count > 100), "{seen:?}");
        let wide: std::collections::HashSet<u64> =
            (0..100).map(|_| below_or_at(u64::MAX)).collect();
        assert_eq!(wide.len(), 100);
        assert!(wide.iter().any(|&n| n > u64::MAX / 2));
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
    fn generated_keys_are_distinct_v4_uuids() {
        let random = ring::rand::SystemRandom::new();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let key = new_idempotency_key(&random).unwrap();
            assert_eq!(key.len(), 36, "{key}");
            for (i, c) in key.char_indices() {
                if matches!(i, 8 | 13 | 18 | 23) {
                    assert_eq!(c, '-', "{key}");
                } else {
                    assert!(matches!(c, '0'..='9' | 'a'..='f'), "{key}");
                }
            }
            assert_eq!(&key[14..15], "4", "version: {key}");
            assert!(
                matches!(&key[19..20], "8" | "9" | "a" | "b"),
                "variant: {key}"
            );
            assert!(seen.insert(key.clone()), "repeated key {key}");
        }
    }

    #[test]
    fn caller_keys_are_checked() {
        assert_eq!(check_idempotency_key("order-42_A.b~", Some(64)), Ok(()));
        assert_eq!(check_idempotency_key(&"k".repeat(64), Some(64)), Ok(()));
        assert_eq!(check_idempotency_key(&"k".repeat(10_000), None), Ok(()));
        assert_eq!(
            check_idempotency_key(&"k".repeat(65), Some(64)),
            Err(Rule::MaxLength(64))
        );
        assert_eq!(check_idempotency_key("", Some(64)), Err(Rule::MinLength(1)));
        for bad in ["a b", "a\nb", "a\rb", "é", "a\u{7f}", "\t"] {
            assert_eq!(
                check_idempotency_key(bad, None),
                Err(Rule::VisibleAscii),
                "{bad:?}"
            );
        }
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
