//! Amounts in minor units and their decimal form, exact: no floating point anywhere.
//!
//! APIs send amounts as integers in the currency's smallest unit (`30050` is EUR 300.50 but
//! XPF 30 050). Generated currency enums call these functions with their own digit count.

use super::kept::{kept_as_text, shown};
use super::rules::{MAX_MINOR_DIGITS, decimal_text};

/// Why a decimal amount was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MoneyError {
    /// The text is not a plain non-negative decimal number (`12`, `12.5`, `0.05`).
    Malformed(String),
    /// More fraction digits than the currency has: the amount cannot be represented exactly.
    TooPrecise {
        /// The text given.
        text: String,
        /// The currency's minor-unit digits.
        digits: u32,
    },
    /// The amount does not fit in 64 bits of minor units.
    TooLarge(String),
    /// The currency's minor-unit digits are not known (an unknown currency).
    UnknownDigits,
    /// The currency's minor-unit digits are not a count an amount can have (0 to 18).
    UnsupportedDigits(i64),
    /// The text is not a decimal number (`10.00`, `-5.5`): a [`Decimal`] decoded from an
    /// answer that held something else. Control characters are escaped.
    MalformedDecimal(String),
}

/// A currency's minor-unit digits as a data column gives them, checked: 0 to 18.
pub fn minor_digits(column: i64) -> Result<u32, MoneyError> {
    u32::try_from(column)
        .ok()
        .filter(|d| *d <= MAX_MINOR_DIGITS)
        .ok_or(MoneyError::UnsupportedDigits(column))
}

/// `10^digits`, for the digit counts [`minor_digits`] accepts.
fn scale(digits: u32) -> Result<u64, MoneyError> {
    if digits > MAX_MINOR_DIGITS {
        return Err(MoneyError::UnsupportedDigits(i64::from(digits)));
    }
    10u64
        .checked_pow(digits)
        .ok_or(MoneyError::UnsupportedDigits(i64::from(digits)))
}

/// Parses a decimal amount (`"300.50"`) into minor units for a currency with `digits`
/// fraction digits. Fewer fraction digits are padded (`"300.5"` -> `30050`); more are refused.
pub fn parse_decimal(text: &str, digits: u32) -> Result<u64, MoneyError> {
    let scale = scale(digits)?;
    let malformed = || MoneyError::Malformed(text.chars().take(64).collect());
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, fraction),
        None => (text, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || (text.contains('.') && fraction.is_empty())
    {
        return Err(malformed());
    }
    let significant = fraction.trim_end_matches('0');
    if significant.len() > digits as usize {
        return Err(MoneyError::TooPrecise {
            text: text.chars().take(64).collect(),
            digits,
        });
    }
    let too_large = || MoneyError::TooLarge(text.chars().take(64).collect());
    let whole: u64 = whole.parse().map_err(|_| too_large())?;
    // At most `digits` (≤ 18) decimal digits: below 10^18, no overflow.
    let mut fraction_value: u64 = 0;
    for position in 0..digits as usize {
        let digit = significant
            .as_bytes()
            .get(position)
            .map_or(0, |b| u64::from(b.saturating_sub(b'0')));
        fraction_value = fraction_value.saturating_mul(10).saturating_add(digit);
    }
    whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(fraction_value))
        .ok_or_else(too_large)
}

/// Formats minor units as a decimal amount with exactly `digits` fraction digits
/// (`30050`, 2 -> `"300.50"`; `30050`, 0 -> `"30050"`).
pub fn format_decimal(minor: u64, digits: u32) -> Result<String, MoneyError> {
    let scale = scale(digits)?;
    if digits == 0 {
        return Ok(minor.to_string());
    }
    let (whole, fraction) = (minor / scale, minor % scale);
    Ok(format!(
        "{whole}.{fraction:0width$}",
        width = digits as usize
    ))
}

/// An exact decimal amount written as text, as APIs that send `{"value": "10.00"}` carry it:
/// an optional `-`, digits, and at most one `.` followed by digits. No float is involved
/// anywhere; it converts to and from integer minor units exactly ([`Decimal::to_minor`],
/// [`Decimal::from_minor`]).
///
/// It is (de)serialized as a JSON string, unchanged. [`Decimal::new`] refuses malformed text.
/// A malformed string in an answer does not fail the answer: it is kept as sent, like an
/// unknown value of an open enum, so that it stays readable ([`Decimal::as_str`]) and
/// re-encodes as it came. [`Decimal::is_well_formed`] tells it apart, [`Decimal::to_minor`]
/// refuses it with [`MoneyError::MalformedDecimal`], and a request's `validate()` refuses to
/// send it.
///
/// `Decimal::new("10.50")?.to_minor(2)` is `1050`; `Decimal::from_minor(-5, 2)` is `"-0.05"`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    text: String,
}

impl Decimal {
    /// A decimal from its text (`"10.00"`), refused with [`MoneyError::MalformedDecimal`]
    /// unless it is an optional `-`, digits, and at most one `.` followed by digits.
    pub fn new(text: impl Into<String>) -> Result<Self, MoneyError> {
        let text = text.into();
        if decimal_text(&text) {
            Ok(Self { text })
        } else {
            Err(MoneyError::MalformedDecimal(shown(&text)))
        }
    }

    /// `minor` minor units written with exactly `digits` fraction digits
    /// (`1050`, 2 -> `"10.50"`; `-5`, 2 -> `"-0.05"`; `1050`, 0 -> `"1050"`).
    pub fn from_minor(minor: i64, digits: u32) -> Result<Self, MoneyError> {
        let magnitude = format_decimal(minor.unsigned_abs(), digits)?;
        let text = if minor < 0 {
            format!("-{magnitude}")
        } else {
            magnitude
        };
        Ok(Self { text })
    }

    /// The amount in minor units of a currency with `digits` fraction digits, exactly:
    /// fewer fraction digits are padded (`"10.5"`, 2 -> `1050`), more are refused unless
    /// they are zeros ([`MoneyError::TooPrecise`]), and an amount beyond `i64` is
    /// [`MoneyError::TooLarge`].
    pub fn to_minor(&self, digits: u32) -> Result<i64, MoneyError> {
        if !decimal_text(&self.text) {
            return Err(MoneyError::MalformedDecimal(shown(&self.text)));
        }
        let (negative, magnitude) = match self.text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, self.text.as_str()),
        };
        let magnitude = parse_decimal(magnitude, digits).map_err(|e| match e {
            MoneyError::TooPrecise { digits, .. } => MoneyError::TooPrecise {
                text: shown(&self.text),
                digits,
            },
            MoneyError::TooLarge(_) => MoneyError::TooLarge(shown(&self.text)),
            other => other,
        })?;
        let signed = if negative {
            -i128::from(magnitude)
        } else {
            i128::from(magnitude)
        };
        i64::try_from(signed).map_err(|_| MoneyError::TooLarge(shown(&self.text)))
    }

    /// Whether the text is a decimal number. Always true for a value built by
    /// [`Decimal::new`] or [`Decimal::from_minor`]; false only for a malformed value an
    /// answer carried.
    pub fn is_well_formed(&self) -> bool {
        decimal_text(&self.text)
    }
}

kept_as_text!(Decimal, MoneyError);

impl std::fmt::Display for MoneyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(text) => write!(f, "`{text}` is not a non-negative decimal amount"),
            Self::TooPrecise { text, digits } => {
                write!(f, "`{text}` has more than {digits} fraction digit(s)")
            }
            Self::TooLarge(text) => write!(f, "`{text}` is too large"),
            Self::UnknownDigits => {
                f.write_str("the minor-unit digits of this currency are not known")
            }
            Self::UnsupportedDigits(n) => {
                write!(f, "{n} is not a number of minor-unit digits (0 to 18)")
            }
            Self::MalformedDecimal(text) => write!(f, "`{text}` is not a decimal number"),
        }
    }
}

impl std::error::Error for MoneyError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_digits() {
        let f = |minor, digits| format_decimal(minor, digits).unwrap();
        assert_eq!(f(30050, 2), "300.50");
        assert_eq!(f(30050, 0), "30050");
        assert_eq!(f(5, 3), "0.005");
        assert_eq!(f(0, 2), "0.00");
        assert_eq!(f(u64::MAX, 2), "184467440737095516.15");
        assert_eq!(f(u64::MAX, 18), "18.446744073709551615");
        assert_eq!(f(1, 18), "0.000000000000000001");
    }

    #[test]
    fn parses_exactly() {
        assert_eq!(parse_decimal("300.50", 2), Ok(30050));
        assert_eq!(parse_decimal("300.5", 2), Ok(30050));
        assert_eq!(parse_decimal("300", 2), Ok(30000));
        assert_eq!(parse_decimal("30050", 0), Ok(30050));
        assert_eq!(parse_decimal("1.000", 0), Ok(1));
        assert_eq!(parse_decimal("0.005", 3), Ok(5));
        assert_eq!(parse_decimal("184467440737095516.15", 2), Ok(u64::MAX));
    }

    #[test]
    fn refuses_what_it_cannot_represent() {
        assert!(matches!(
            parse_decimal("300.505", 2),
            Err(MoneyError::TooPrecise { digits: 2, .. })
        ));
        assert!(matches!(
            parse_decimal("1.5", 0),
            Err(MoneyError::TooPrecise { digits: 0, .. })
        ));
        for bad in [
            "", ".5", "5.", "-1", "+1", "1e3", "1,50", " 1", "1.2.3", "٣",
        ] {
            assert!(
                matches!(parse_decimal(bad, 2), Err(MoneyError::Malformed(_))),
                "{bad:?}"
            );
        }
        assert!(matches!(
            parse_decimal("184467440737095516.16", 2),
            Err(MoneyError::TooLarge(_))
        ));
        assert_eq!(
            parse_decimal("1", 25),
            Err(MoneyError::UnsupportedDigits(25))
        );
    }

    #[test]
    fn round_trips() {
        for digits in 0..=4 {
            for minor in [0, 1, 9, 10, 99, 100, 12345, 1_000_000_007] {
                let text = format_decimal(minor, digits).unwrap();
                assert_eq!(parse_decimal(&text, digits), Ok(minor));
            }
        }
    }

    /// Digit counts beyond any currency used to reach `format!` as a width: above `u16::MAX`
    /// it panicked, and below it built strings of that many zeros.
    #[test]
    fn digit_counts_beyond_any_currency_are_refused() {
        for digits in [19, 20, 70_000, 3_000_000_000, u32::MAX] {
            assert_eq!(
                format_decimal(1, digits),
                Err(MoneyError::UnsupportedDigits(i64::from(digits)))
            );
            assert_eq!(
                parse_decimal("1", digits),
                Err(MoneyError::UnsupportedDigits(i64::from(digits)))
            );
        }
        assert_eq!(minor_digits(2), Ok(2));
        assert_eq!(minor_digits(18), Ok(18));
        for column in [-2, 19, 3_000_000_000, i64::MIN, i64::MAX] {
            assert_eq!(
                minor_digits(column),
                Err(MoneyError::UnsupportedDigits(column))
            );
        }
    }

    #[test]
    fn decimals_are_checked_on_construction() {
        for good in ["10.00", "0", "-5.5", "007.10", "1234567890123456789012345"] {
            assert_eq!(Decimal::new(good).unwrap().as_str(), good);
        }
        for bad in [
            "", "-", ".5", "5.", "+1", "1e3", "1E3", "1,50", " 1", "1 ", "1.2.3", "--1", "٣",
            "1_000", "0x10", "NaN", "-.5",
        ] {
            assert!(
                matches!(Decimal::new(bad), Err(MoneyError::MalformedDecimal(_))),
                "{bad:?}"
            );
        }
        assert_eq!(
            "10.5".parse::<Decimal>().unwrap(),
            Decimal::try_from("10.5").unwrap()
        );
    }

    #[test]
    fn decimals_convert_exactly_to_minor_units() {
        let minor = |text: &str, digits| Decimal::new(text).unwrap().to_minor(digits);
        assert_eq!(minor("10.00", 2), Ok(1000));
        assert_eq!(minor("10.5", 2), Ok(1050));
        assert_eq!(minor("-0.05", 2), Ok(-5));
        assert_eq!(minor("1000", 0), Ok(1000));
        assert_eq!(minor("1.000", 0), Ok(1));
        assert_eq!(minor("-92233720368547758.08", 2), Ok(i64::MIN));
        assert_eq!(minor("92233720368547758.07", 2), Ok(i64::MAX));
        assert!(matches!(
            minor("92233720368547758.08", 2),
            Err(MoneyError::TooLarge(_))
        ));
        assert!(matches!(
            minor("-92233720368547758.09", 2),
            Err(MoneyError::TooLarge(_))
        ));
        assert!(matches!(
            minor("10.005", 2),
            Err(MoneyError::TooPrecise { digits: 2, .. })
        ));
        assert_eq!(minor("1", 19), Err(MoneyError::UnsupportedDigits(19)));
        let from = |m, d| Decimal::from_minor(m, d).unwrap().as_str().to_owned();
        assert_eq!(from(1050, 2), "10.50");
        assert_eq!(from(-5, 2), "-0.05");
        assert_eq!(from(0, 3), "0.000");
        assert_eq!(from(i64::MIN, 2), "-92233720368547758.08");
        assert_eq!(from(1050, 0), "1050");
    }

    #[test]
    fn malformed_answers_are_kept_not_failed() {
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Amount {
            value: Decimal,
        }
        let odd: Amount = serde_json::from_str(r#"{"value": "1.0e3\n"}"#).unwrap();
        assert!(!odd.value.is_well_formed());
        assert_eq!(odd.value.as_str(), "1.0e3\n");
        assert_eq!(
            odd.value.to_minor(2),
            Err(MoneyError::MalformedDecimal("1.0e3\\n".to_owned()))
        );
        assert_eq!(
            serde_json::to_string(&odd).unwrap(),
            r#"{"value":"1.0e3\n"}"#
        );
        let good: Amount = serde_json::from_str(r#"{"value": "10.00"}"#).unwrap();
        assert!(good.value.is_well_formed());
        assert_eq!(
            serde_json::to_string(&good).unwrap(),
            r#"{"value":"10.00"}"#
        );
        for not_text in [
            r#"{"value": 10.0}"#,
            r#"{"value": null}"#,
            r#"{"value": {}}"#,
        ] {
            assert!(
                serde_json::from_str::<Amount>(not_text).is_err(),
                "{not_text}"
            );
        }
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        /// The amount `whole.fraction` in minor units, computed in 128 bits.
        fn oracle(whole: &str, fraction: &str, digits: u32) -> Result<u64, &'static str> {
            let significant = fraction.trim_end_matches('0');
            if significant.len() > digits as usize {
                return Err("too precise");
            }
            let mut padded = significant.to_owned();
            padded.extend(std::iter::repeat_n(
                '0',
                digits as usize - significant.len(),
            ));
            let whole: u128 = whole.parse().map_err(|_| "too large")?;
            let fraction: u128 = if padded.is_empty() {
                0
            } else {
                padded.parse().unwrap()
            };
            let total = whole
                .checked_mul(10u128.pow(digits))
                .and_then(|w| w.checked_add(fraction))
                .ok_or("too large")?;
            u64::try_from(total).map_err(|_| "too large")
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn formatting_is_total(minor in any::<u64>(), digits in any::<u32>()) {
                let formatted = format_decimal(minor, digits);
                prop_assert_eq!(formatted.is_ok(), digits <= MAX_MINOR_DIGITS);
            }

            #[test]
            fn parsing_is_total(text in "\\PC{0,40}|[0-9.]{0,40}", digits in prop_oneof![0..=20u32, any::<u32>()]) {
                let _ = parse_decimal(&text, digits);
            }

            #[test]
            fn digit_columns_are_total(column in any::<i64>()) {
                prop_assert_eq!(minor_digits(column).is_ok(), (0..=18).contains(&column));
            }

            #[test]
            fn formatting_round_trips(minor in any::<u64>(), digits in 0..=MAX_MINOR_DIGITS) {
                let text = format_decimal(minor, digits).unwrap();
                prop_assert_eq!(parse_decimal(&text, digits), Ok(minor));
            }

            #[test]
            fn decimals_round_trip(minor in any::<i64>(), digits in 0..=MAX_MINOR_DIGITS) {
                let decimal = Decimal::from_minor(minor, digits).unwrap();
                prop_assert!(decimal.is_well_formed());
                prop_assert_eq!(Decimal::new(decimal.as_str()), Ok(decimal.clone()));
                prop_assert_eq!(decimal.to_minor(digits), Ok(minor));
            }

            #[test]
            fn decimals_are_total(text in "\\PC{0,40}|-?[0-9.]{0,40}", digits in prop_oneof![0..=20u32, any::<u32>()]) {
                let decoded: Decimal = serde_json::from_value(serde_json::Value::String(text.clone())).unwrap();
                prop_assert_eq!(decoded.is_well_formed(), Decimal::new(text.as_str()).is_ok());
                let _ = decoded.to_minor(digits);
            }

            #[test]
            fn parsing_is_exact(
                whole in "[0-9]{1,21}",
                fraction in proptest::option::of("[0-9]{1,21}"),
                digits in 0..=MAX_MINOR_DIGITS,
            ) {
                let text = match &fraction {
                    Some(f) => format!("{whole}.{f}"),
                    None => whole.clone(),
                };
                let expected = oracle(&whole, fraction.as_deref().unwrap_or(""), digits);
                match (parse_decimal(&text, digits), expected) {
                    (Ok(got), Ok(want)) => prop_assert_eq!(got, want),
                    (Err(MoneyError::TooPrecise { .. }), Err("too precise")) => {}
                    (Err(MoneyError::TooLarge(_)), Err("too large")) => {}
                    (got, want) => prop_assert!(false, "{text:?} with {digits}: {got:?}, expected {want:?}"),
                }
            }
        }
    }
}
