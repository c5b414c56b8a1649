//! Amounts in minor units and their decimal form, exact: no floating point anywhere.
//!
//! APIs send amounts as integers in the currency's smallest unit (`30050` is EUR 300.50 but
//! XPF 30 050). Generated currency enums call these functions with their own digit count.

/// Why a decimal amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// The text is not a plain non-negative decimal number (`12`, `12.5`, `0.05`).
    #[error("`{0}` is not a non-negative decimal amount")]
    Malformed(String),
    /// More fraction digits than the currency has: the amount cannot be represented exactly.
    #[error("`{text}` has more than {digits} fraction digit(s)")]
    TooPrecise {
        /// The text given.
        text: String,
        /// The currency's minor-unit digits.
        digits: u32,
    },
    /// The amount does not fit in 64 bits of minor units.
    #[error("`{0}` is too large")]
    TooLarge(String),
    /// The currency's minor-unit digits are not known (an unknown currency).
    #[error("the minor-unit digits of this currency are not known")]
    UnknownDigits,
}

/// Parses a decimal amount (`"300.50"`) into minor units for a currency with `digits`
/// fraction digits. Fewer fraction digits are padded (`"300.5"` -> `30050`); more are refused.
pub fn parse_decimal(text: &str, digits: u32) -> Result<u64, MoneyError> {
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
    let scale = 10u64.checked_pow(digits).ok_or_else(too_large)?;
    let whole: u64 = whole.parse().map_err(|_| too_large())?;
    let mut fraction_value: u64 = 0;
    for position in 0..digits as usize {
        let digit = significant
            .as_bytes()
            .get(position)
            .map_or(0, |b| u64::from(b - b'0'));
        fraction_value = fraction_value * 10 + digit;
    }
    whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(fraction_value))
        .ok_or_else(too_large)
}

/// Formats minor units as a decimal amount with exactly `digits` fraction digits
/// (`30050`, 2 -> `"300.50"`; `30050`, 0 -> `"30050"`).
pub fn format_decimal(minor: u64, digits: u32) -> String {
    if digits == 0 {
        return minor.to_string();
    }
    let text = format!("{minor:0>width$}", width = digits as usize + 1);
    let (whole, fraction) = text.split_at(text.len() - digits as usize);
    format!("{whole}.{fraction}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_digits() {
        assert_eq!(format_decimal(30050, 2), "300.50");
        assert_eq!(format_decimal(30050, 0), "30050");
        assert_eq!(format_decimal(5, 3), "0.005");
        assert_eq!(format_decimal(0, 2), "0.00");
        assert_eq!(format_decimal(u64::MAX, 2), "184467440737095516.15");
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
        assert!(matches!(
            parse_decimal("1", 25),
            Err(MoneyError::TooLarge(_))
        ));
    }

    #[test]
    fn round_trips() {
        for digits in 0..=4 {
            for minor in [0, 1, 9, 10, 99, 100, 12345, 1_000_000_007] {
                assert_eq!(
                    parse_decimal(&format_decimal(minor, digits), digits),
                    Ok(minor)
                );
            }
        }
    }
}
