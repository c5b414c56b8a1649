//! A value that may be explicitly `null`, to tell "absent", "null" and "a
//! value" apart when combined with `Option`.
//!
//! A field declared as
//!
//! ```text
//! #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "nullable::deserialize_option")]
//! pub field: Option<Nullable<T>>,
//! ```
//!
//! is absent from the JSON when `None`, `null` when `Some(Nullable::Null)` and
//! the value when `Some(Nullable::Value(v))`, in both directions.

use serde_core::{Deserialize, Deserializer, Serialize, Serializer};

/// A JSON value that may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// JSON `null`.
    Null,
    /// A value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether this is [`Nullable::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if any.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }

    /// The value as an `Option` (`None` for `Null`).
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Null => None,
            Nullable::Value(v) => Some(v),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Null => serializer.serialize_none(),
            Nullable::Value(v) => v.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|v| v.map_or(Nullable::Null, Nullable::Value))
    }
}

/// `deserialize_with` helper for `Option<Nullable<T>>` fields: a present
/// `null` becomes `Some(Nullable::Null)` (plain `Option` would turn it into
/// `None`). Use with `#[serde(default)]` so an absent field is `None`.
pub fn deserialize_option<'de, D, T>(deserializer: D) -> Result<Option<Nullable<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Nullable::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Update {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "deserialize_option"
        )]
        note: Option<Nullable<String>>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "deserialize_option"
        )]
        amount: Option<Nullable<i64>>,
    }

    fn round_trip(value: &Update, expected: serde_json::Value) {
        let encoded = serde_json::to_value(value).unwrap();
        assert_eq!(encoded, expected);
        let decoded: Update = serde_json::from_value(encoded).unwrap();
        assert_eq!(&decoded, value);
    }

    #[test]
    fn absent_null_and_value_round_trip() {
        round_trip(
            &Update {
                note: None,
                amount: None,
            },
            json!({}),
        );
        round_trip(
            &Update {
                note: Some(Nullable::Null),
                amount: Some(Nullable::Null),
            },
            json!({"note": null, "amount": null}),
        );
        round_trip(
            &Update {
                note: Some("hi".to_owned().into()),
                amount: Some(Nullable::Value(5)),
            },
            json!({"note": "hi", "amount": 5}),
        );
    }

    #[test]
    fn plain_nullable() {
        assert_eq!(
            serde_json::to_string(&Nullable::<u8>::Null).unwrap(),
            "null"
        );
        assert_eq!(serde_json::to_string(&Nullable::Value(3u8)).unwrap(), "3");
        let n: Nullable<u8> = serde_json::from_str("null").unwrap();
        assert!(n.is_null());
        let v: Nullable<u8> = serde_json::from_str("7").unwrap();
        assert_eq!(v.as_ref(), Nullable::Value(&7));
        assert_eq!(v.into_option(), Some(7));
        assert!(serde_json::from_str::<Nullable<u8>>("\"x\"").is_err());
    }
}
