//! Answer integers that the API sends either as JSON integers or as strings of
//! digits ([`Int`]), and answer numbers sent as JSON numbers or strings ([`Num`]).
//!
//! Generated answer types store them as [`Int`], which remembers the form the
//! server used, so re-encoding a decoded answer gives back `"301"` where the
//! server sent `"301"`, and `301` where it sent `301`:
//!
//! ```text
//! #[serde(default, skip_serializing_if = "Option::is_none")]
//! pub amount: Option<Int<u64>>,
//! ```
//!
//! Accepted: a JSON integer, or a string of ASCII digits with an optional
//! leading `-` (no `+`, spaces, decimals or exponents); `null` is `None` in an
//! `Option`. The `deserialize_with` helpers below read the same forms into a
//! plain integer, forgetting the form.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::Deref;

use serde_core::de::{self, Visitor};
use serde_core::{Deserialize, Deserializer, Serialize, Serializer};

/// An integer of an answer, with the form the server sent it in: a JSON
/// number, or a string of digits (as some APIs send amounts).
///
/// It reads like the integer it holds: it dereferences to it (`*amount`),
/// compares with it (`amount == 301`), converts into it (`u64::from(amount)`,
/// [`get`](Self::get)) and displays as it. Two `Int`s are equal when their
/// values are, whatever their forms. Build one with `Int::from(301)` (sent as a
/// number) or [`Int::text`] (sent as a string).
///
/// On the wire it is the form it was read in: a number stays a number, `"301"`
/// stays `"301"`. The digits of a text are written back in canonical form
/// (`"0301"` is sent again as `"301"`).
#[derive(Clone, Copy, Default)]
pub struct Int<T> {
    value: T,
    text: bool,
}

impl<T: Copy> Int<T> {
    /// The value, sent as a JSON number.
    pub const fn new(value: T) -> Self {
        Int { value, text: false }
    }

    /// The value, sent as a string of digits.
    pub const fn text(value: T) -> Self {
        Int { value, text: true }
    }

    /// The value.
    pub const fn get(self) -> T {
        self.value
    }

    /// Whether the value was sent (or is to be sent) as a string of digits.
    pub const fn is_text(self) -> bool {
        self.text
    }
}

impl<T> Deref for Int<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Copy> From<T> for Int<T> {
    fn from(value: T) -> Self {
        Int::new(value)
    }
}

macro_rules! int_conversions {
    ($($t:ty),*) => {$(
        impl From<Int<$t>> for $t {
            fn from(int: Int<$t>) -> $t {
                int.value
            }
        }

        impl From<Int<$t>> for i128 {
            fn from(int: Int<$t>) -> i128 {
                i128::from(int.value)
            }
        }

        impl PartialEq<Int<$t>> for $t {
            fn eq(&self, other: &Int<$t>) -> bool {
                *self == other.value
            }
        }

        impl PartialOrd<Int<$t>> for $t {
            fn partial_cmp(&self, other: &Int<$t>) -> Option<Ordering> {
                self.partial_cmp(&other.value)
            }
        }
    )*};
}

int_conversions!(i64, u64);

impl<T: PartialEq> PartialEq for Int<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Int<T> {}

impl<T: PartialEq> PartialEq<T> for Int<T> {
    fn eq(&self, other: &T) -> bool {
        self.value == *other
    }
}

impl<T: PartialOrd> PartialOrd for Int<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl<T: PartialOrd> PartialOrd<T> for Int<T> {
    fn partial_cmp(&self, other: &T) -> Option<Ordering> {
        self.value.partial_cmp(other)
    }
}

impl<T: Ord> Ord for Int<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl<T: Hash> Hash for Int<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

/// Shows the value alone, as the plain integer did.
impl<T: fmt::Debug> fmt::Debug for Int<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Int<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: Serialize + fmt::Display> Serialize for Int<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.text {
            serializer.collect_str(&self.value)
        } else {
            self.value.serialize(serializer)
        }
    }
}

impl<'de, T> Deserialize<'de> for Int<T>
where
    T: TryFrom<i128> + Copy,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IntVisitor::<T>(PhantomData))
    }
}

struct IntVisitor<T>(PhantomData<T>);

impl<T: TryFrom<i128> + Copy> IntVisitor<T> {
    fn convert<E: de::Error>(value: i128, text: bool) -> Result<Int<T>, E> {
        T::try_from(value)
            .map(|value| Int { value, text })
            // The value itself is not echoed: errors must not carry data the answer held.
            .map_err(|_| E::custom("integer out of range"))
    }
}

impl<'de, T: TryFrom<i128> + Copy> Visitor<'de> for IntVisitor<T> {
    type Value = Int<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string of digits")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::convert(i128::from(v), false)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Self::convert(i128::from(v), false)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Self::convert(v, false)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        let v = i128::try_from(v).map_err(|_| E::custom("integer out of range"))?;
        Self::convert(v, false)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match parse_integer(v) {
            Some(n) => Self::convert(n, true),
            None => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// A number of an answer (`type: number`), with the form the server sent it in: a JSON
/// number (an integer stays an integer, `2` is not sent back as `2.0`), or a string holding a
/// decimal number (`"19.60"`, kept as written).
///
/// It reads like the `f64` it holds: it dereferences to it, compares with it
/// (`rate == 19.6`), converts into it (`f64::from(rate)`, [`get`](Self::get)) and displays as
/// it. Two `Num`s are equal when their values are, whatever their forms. `Num::from(19.6)`
/// is sent as a JSON number.
///
/// Accepted in a string: `-?[0-9]+(.[0-9]+)?([eE][+-]?[0-9]+)?`, with a finite value; nothing
/// else (no spaces, `+`, `NaN`, `inf`).
#[derive(Clone)]
pub struct Num {
    value: f64,
    wire: NumWire,
}

/// How a [`Num`] is written back.
#[derive(Clone)]
enum NumWire {
    /// Built in code: written as the `f64` is.
    Plain,
    /// Read from a JSON number: written as it came.
    Number(serde_json::Number),
    /// Read from a string: written back as the same text.
    Text(Box<str>),
}

impl Num {
    /// The value, sent as a JSON number.
    pub const fn new(value: f64) -> Self {
        Num {
            value,
            wire: NumWire::Plain,
        }
    }

    /// The value.
    pub const fn get(&self) -> f64 {
        self.value
    }

    /// Whether the value was sent as a string.
    pub const fn is_text(&self) -> bool {
        matches!(self.wire, NumWire::Text(_))
    }
}

impl Default for Num {
    fn default() -> Self {
        Num::new(0.0)
    }
}

impl Deref for Num {
    type Target = f64;

    fn deref(&self) -> &f64 {
        &self.value
    }
}

impl From<f64> for Num {
    fn from(value: f64) -> Self {
        Num::new(value)
    }
}

impl From<Num> for f64 {
    fn from(num: Num) -> f64 {
        num.value
    }
}

impl PartialEq for Num {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl PartialEq<f64> for Num {
    fn eq(&self, other: &f64) -> bool {
        self.value == *other
    }
}

impl PartialEq<Num> for f64 {
    fn eq(&self, other: &Num) -> bool {
        *self == other.value
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.value.partial_cmp(&other.value)
    }
}

impl PartialOrd<f64> for Num {
    fn partial_cmp(&self, other: &f64) -> Option<Ordering> {
        self.value.partial_cmp(other)
    }
}

/// Shows the value alone, as the plain `f64` did.
impl fmt::Debug for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.wire {
            NumWire::Plain => self.value.serialize(serializer),
            NumWire::Number(n) => n.serialize(serializer),
            NumWire::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumVisitor)
    }
}

struct NumVisitor;

impl NumVisitor {
    fn number<E: de::Error>(n: serde_json::Number) -> Result<Num, E> {
        let value = n
            .as_f64()
            .filter(|v| v.is_finite())
            .ok_or_else(|| E::custom("number out of range"))?;
        Ok(Num {
            value,
            wire: NumWire::Number(n),
        })
    }
}

impl<'de> Visitor<'de> for NumVisitor {
    type Value = Num;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
        Self::number(v.into())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
        Self::number(v.into())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
        let n = serde_json::Number::from_f64(v).ok_or_else(|| E::custom("number out of range"))?;
        Self::number(n)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
        match parse_number(v) {
            Some(value) => Ok(Num {
                value,
                wire: NumWire::Text(v.into()),
            }),
            None => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// Parses `-?[0-9]+(.[0-9]+)?([eE][+-]?[0-9]+)?` into a finite `f64`.
fn parse_number(text: &str) -> Option<f64> {
    let digits = |s: &str| -> usize { s.bytes().take_while(u8::is_ascii_digit).count() };
    let rest = text.strip_prefix('-').unwrap_or(text);
    let whole = digits(rest);
    if whole == 0 {
        return None;
    }
    let mut rest = &rest[whole..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = digits(fraction);
        if n == 0 {
            return None;
        }
        rest = &fraction[n..];
    }
    if let Some(exponent) = rest.strip_prefix(['e', 'E']) {
        let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        let n = digits(exponent);
        if n == 0 {
            return None;
        }
        rest = &exponent[n..];
    }
    if !rest.is_empty() {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

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

    #[derive(Debug, serde::Deserialize)]
    struct Signed {
        #[serde(default, deserialize_with = "option_i64")]
        v: Option<i64>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Unsigned {
        #[serde(default, deserialize_with = "option_u64")]
        v: Option<u64>,
    }

    #[derive(Debug, serde::Deserialize)]
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

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    struct Answer {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        v: Option<Int<i64>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        u: Option<Int<u64>>,
    }

    fn round_trip(json: &str) -> String {
        let answer: Answer = serde_json::from_str(json).unwrap();
        serde_json::to_string(&answer).unwrap()
    }

    #[test]
    fn int_keeps_the_form_it_was_sent_in() {
        assert_eq!(
            round_trip(r#"{"v":"301","u":301}"#),
            r#"{"v":"301","u":301}"#
        );
        assert_eq!(
            round_trip(r#"{"v":-5,"u":"18446744073709551615"}"#),
            r#"{"v":-5,"u":"18446744073709551615"}"#
        );
        assert_eq!(round_trip(r#"{"v":"-12"}"#), r#"{"v":"-12"}"#);
        // Canonical digits: the value is kept, leading zeros are not.
        assert_eq!(round_trip(r#"{"v":"007"}"#), r#"{"v":"7"}"#);
        // `null` and absent are both `None`, and not sent back.
        assert_eq!(round_trip(r#"{"v":null}"#), "{}");
        let answer: Answer = serde_json::from_str(r#"{"v":"301","u":301}"#).unwrap();
        let (v, u) = (answer.v.unwrap(), answer.u.unwrap());
        assert!(v.is_text() && !u.is_text());
        assert_eq!(v.get(), 301);
        assert_eq!(*u, 301);
    }

    #[test]
    fn int_reads_like_its_value() {
        let text = Int::text(301_u64);
        let number = Int::from(301_u64);
        assert_eq!(text, number);
        assert_eq!(text, 301);
        assert_eq!(301, text);
        assert!(text < 302 && 300 < text);
        assert_eq!(u64::from(text), 301);
        assert_eq!(i128::from(Int::text(-4_i64)), -4);
        assert_eq!(
            format!("{text} {text:?} {:?}", Some(number)),
            "301 301 Some(301)"
        );
        assert_eq!(serde_json::to_string(&text).unwrap(), r#""301""#);
        assert_eq!(serde_json::to_string(&number).unwrap(), "301");
    }

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    struct Rates {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        r: Option<Num>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        l: Option<Vec<Int<i64>>>,
    }

    #[test]
    fn num_keeps_the_form_it_was_sent_in() {
        for json in [
            r#"{"r":19.6}"#,
            r#"{"r":2}"#,
            r#"{"r":-3}"#,
            r#"{"r":"19.60"}"#,
            r#"{"r":"7"}"#,
            r#"{"r":"-1.5e3"}"#,
            r#"{"l":[1,"2",-3,"-4"]}"#,
        ] {
            let rates: Rates = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&rates).unwrap(), json);
        }
        let rates: Rates = serde_json::from_str(r#"{"r":"19.60"}"#).unwrap();
        let r = rates.r.unwrap();
        assert!(r.is_text());
        assert_eq!(r, 19.6);
        assert_eq!(*r, 19.6);
        assert_eq!(f64::from(r.clone()), 19.6);
        assert_eq!(format!("{r} {r:?}"), "19.6 19.6");
        assert_eq!(serde_json::to_string(&Num::from(2.5)).unwrap(), "2.5");
    }

    #[test]
    fn num_refuses_what_is_not_a_number() {
        for bad in [
            r#""""#,
            r#""-""#,
            r#""+5""#,
            r#"" 5""#,
            r#""5.""#,
            r#"".5""#,
            r#""1e""#,
            r#""NaN""#,
            r#""inf""#,
            r#""1e999""#,
            r#""5x""#,
            "true",
            "[5]",
            r#"{"a":5}"#,
        ] {
            assert!(
                serde_json::from_str::<Rates>(&format!(r#"{{"r": {bad}}}"#)).is_err(),
                "{bad}"
            );
        }
        assert!(serde_json::from_str::<Num>("null").is_err());
    }

    #[test]
    fn int_refuses_what_the_helpers_refuse() {
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
        ] {
            assert!(
                serde_json::from_str::<Answer>(&format!(r#"{{"v": {bad}}}"#)).is_err(),
                "{bad}"
            );
        }
        assert!(serde_json::from_str::<Answer>(r#"{"u": -1}"#).is_err());
        assert!(serde_json::from_str::<Answer>(r#"{"u": "-1"}"#).is_err());
        assert!(serde_json::from_str::<Int<i64>>("null").is_err());
    }
}
