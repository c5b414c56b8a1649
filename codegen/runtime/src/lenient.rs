//! `deserialize_with` helpers for answer fields that the API sends either as
//! JSON integers or as strings of digits.
//!
//! ```text
//! #[serde(default, deserialize_with = "lenient::option_i64")]
//! pub amount: Option<i64>,
//! ```
//!
//! Accepted: a JSON integer, a string of ASCII digits with an optional
//! leading `-` (no `+`, spaces, decimals or exponents), or `null`.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// An optional `i64` sent as a JSON integer, a string of digits or `null`.
pub fn option_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_any(LenientVisitor::<i64>(PhantomData))
}

/// An optional `u64` sent as a JSON integer, a string of digits or `null`.
pub fn option_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    deserializer.deserialize_any(LenientVisitor::<u64>(PhantomData))
}

/// A required `i64` sent as a JSON integer or a string of digits (`null` is
/// refused).
pub fn required_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    option_i64(deserializer)?.ok_or_else(|| de::Error::custom("expected an integer, found null"))
}

/// A required `u64` sent as a JSON integer or a string of digits (`null` is
/// refused).
pub fn required_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    option_u64(deserializer)?.ok_or_else(|| de::Error::custom("expected an integer, found null"))
}

/// Parses `-?[0-9]+`.
fn parse_integer(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits.parse::<i128>().ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

struct LenientVisitor<T>(PhantomData<T>);

impl<T> LenientVisitor<T>
where
    T: TryFrom<i128>,
{
    fn convert<E: de::Error>(value: i128) -> Result<Option<T>, E> {
        T::try_from(value)
            .map(Some)
            // The value itself is not echoed: errors must not carry data the answer held.
            .map_err(|_| E::custom("integer out of range"))
    }
}

impl<'de, T> Visitor<'de> for LenientVisitor<T>
where
    T: TryFrom<i128>,
{
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, a string of digits, or null")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::convert(i128::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Self::convert(i128::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Self::convert(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        let v = i128::try_from(v).map_err(|_| E::custom("integer out of range"))?;
        Self::convert(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match parse_integer(v) {
            Some(n) => Self::convert(n),
            None => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Signed {
        #[serde(default, deserialize_with = "option_i64")]
        v: Option<i64>,
    }

    #[derive(Debug, Deserialize)]
    struct Unsigned {
        #[serde(default, deserialize_with = "option_u64")]
        v: Option<u64>,
    }

    #[derive(Debug, Deserialize)]
    struct Required {
        #[serde(deserialize_with = "required_i64")]
        v: i64,
    }

    fn signed(json: &str) -> Result<Option<i64>, serde_json::Error> {
        serde_json::from_str::<Signed>(json).map(|s| s.v)
    }

    fn unsigned(json: &str) -> Result<Option<u64>, serde_json::Error> {
        serde_json::from_str::<Unsigned>(json).map(|s| s.v)
    }

    #[test]
    fn accepts_integers_digit_strings_and_null() {
        assert_eq!(signed(r#"{"v": 5}"#).unwrap(), Some(5));
        assert_eq!(signed(r#"{"v": "5"}"#).unwrap(), Some(5));
        assert_eq!(signed(r#"{"v": -12}"#).unwrap(), Some(-12));
        assert_eq!(signed(r#"{"v": "-12"}"#).unwrap(), Some(-12));
        assert_eq!(signed(r#"{"v": "007"}"#).unwrap(), Some(7));
        assert_eq!(signed(r#"{"v": null}"#).unwrap(), None);
        assert_eq!(signed(r#"{}"#).unwrap(), None);
        assert_eq!(
            signed(r#"{"v": "9223372036854775807"}"#).unwrap(),
            Some(i64::MAX)
        );
        assert_eq!(unsigned(r#"{"v": 5}"#).unwrap(), Some(5));
        assert_eq!(unsigned(r#"{"v": "5"}"#).unwrap(), Some(5));
        assert_eq!(unsigned(r#"{"v": null}"#).unwrap(), None);
        assert_eq!(
            unsigned(r#"{"v": "18446744073709551615"}"#).unwrap(),
            Some(u64::MAX)
        );
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            r#""5x""#,
            r#""""#,
            r#""-""#,
            r#""+5""#,
            r#"" 5""#,
            r#""5.0""#,
            r#""1e3""#,
            "5.5",
            "true",
            "[5]",
            r#"{"a":5}"#,
            r#""9223372036854775808""#,
            r#""99999999999999999999999999999999999999999999""#,
        ] {
            assert!(signed(&format!(r#"{{"v": {bad}}}"#)).is_err(), "{bad}");
        }
        assert!(unsigned(r#"{"v": -1}"#).is_err());
        assert!(unsigned(r#"{"v": "-1"}"#).is_err());
        assert!(unsigned(r#"{"v": "18446744073709551616"}"#).is_err());
        let error = signed(r#"{"v": "5x"}"#).unwrap_err().to_string();
        assert!(error.contains("5x"), "{error}");
    }

    #[test]
    fn required_refuses_null() {
        assert_eq!(
            serde_json::from_str::<Required>(r#"{"v": "42"}"#)
                .unwrap()
                .v,
            42
        );
        assert!(serde_json::from_str::<Required>(r#"{"v": null}"#).is_err());
        assert!(serde_json::from_str::<Required>(r#"{}"#).is_err());
    }

    #[test]
    fn works_through_serde_json_value() {
        let value = serde_json::json!({"v": "77"});
        let s: Signed = serde_json::from_value(value).unwrap();
        assert_eq!(s.v, Some(77));
    }
}
