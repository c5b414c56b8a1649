//! How a generated struct encodes: the `Serialize` of every request and answer type writes a
//! map through [`Entries`], one line per field, so the produced crate needs no derive macro
//! (and its users' builds no `serde_derive`).
//!
//! The encoding is the one serde's derive gives these types: the fields in declaration order,
//! an optional field left out when it is `None`, then the entries of `extra` as they are.
//!
//! A value that fails to encode is located: its error reads ``at `customer.email`: …``, the
//! key of each struct it is in put in front ([`split_located`] reads it back). No encoder
//! needs a path-tracking wrapper, so no type is compiled twice for one.

use std::collections::BTreeMap;
use std::fmt;

use serde_core::Serialize;
use serde_core::ser::{SerializeMap, Serializer};
use serde_json::Value;

/// A struct being written as a map (`{"key": value, …}`).
///
/// Writing an entry returns nothing: the first error is kept, the entries after it are not
/// written, and [`Entries::end`] returns it. A generated `serialize` is then one plain call a
/// field, with no `?` (an early return that each field would otherwise compile on its own).
pub struct Entries<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> fmt::Debug for Entries<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entries")
            .field("failed", &self.error.is_some())
            .finish_non_exhaustive()
    }
}

impl<M: SerializeMap> Entries<M> {
    /// Starts the map of a struct.
    pub fn new<S>(serializer: S) -> Result<Self, S::Error>
    where
        S: Serializer<SerializeMap = M>,
    {
        serializer
            .serialize_map(None)
            .map(|map| Entries { map, error: None })
    }

    /// A field that is always written.
    #[inline]
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if self.error.is_none() {
            self.write(key, value);
        }
    }

    /// An optional field: written when it is `Some`, left out when it is `None`.
    #[inline]
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let (Some(value), None) = (value, &self.error) {
            self.write(key, value);
        }
    }

    /// The fields the spec does not describe, each as it is.
    pub fn extra(&mut self, extra: &BTreeMap<String, Value>) {
        for (key, value) in extra {
            if self.error.is_some() {
                return;
            }
            self.write(key, value);
        }
    }

    /// Ends the map, or returns the first error met while writing it.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }

    fn write<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if let Err(error) = self.map.serialize_entry(key, value) {
            self.error = Some(located(key, &error));
        }
    }
}

/// `error`, raised while encoding the value of `key`, with the key in front of its path.
#[cold]
fn located<E: serde_core::ser::Error>(key: &str, error: &E) -> E {
    let text = error.to_string();
    let (inner, message) = split_located(&text);
    let path = match inner {
        "." => key.to_owned(),
        inner if inner.starts_with('[') => format!("{key}{inner}"),
        inner => format!("{key}.{inner}"),
    };
    E::custom(format_args!("at `{path}`: {message}"))
}

/// The path and the message of an encoding error: ``at `a.b`: message`` gives `a.b` and
/// `message`; an error raised outside any struct, `.` and itself.
pub(crate) fn split_located(text: &str) -> (&str, &str) {
    text.strip_prefix("at `")
        .and_then(|rest| rest.split_once("`: "))
        .unwrap_or((".", text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct as the generator writes one, beside the same struct derived by serde.
    #[derive(Default)]
    struct Written {
        shop_id: String,
        amount: Option<u64>,
        note: Option<Option<String>>,
        extra: BTreeMap<String, Value>,
    }

    impl Serialize for Written {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = Entries::new(serializer)?;
            map.field("shopId", &self.shop_id);
            map.optional("amount", &self.amount);
            map.optional("note", &self.note);
            map.extra(&self.extra);
            map.end()
        }
    }

    #[derive(Default, serde::Serialize)]
    struct Derived {
        #[serde(rename = "shopId")]
        shop_id: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        amount: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<Option<String>>,
        #[serde(flatten)]
        extra: BTreeMap<String, Value>,
    }

    #[test]
    fn a_written_struct_encodes_as_the_derived_one() {
        type Case<'a> = (Option<u64>, Option<Option<String>>, &'a [(&'a str, Value)]);
        let cases: [Case; 4] = [
            (None, None, &[]),
            (Some(0), Some(None), &[]),
            (Some(12), Some(Some("é\"".into())), &[("zeta", Value::Null)]),
            (
                None,
                None,
                &[
                    ("a", Value::from(1)),
                    ("nested", serde_json::json!({"b": [1, "x"]})),
                ],
            ),
        ];
        for (amount, note, extra) in cases {
            let extra: BTreeMap<String, Value> = extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect();
            let written = Written {
                shop_id: "1234".into(),
                amount,
                note: note.clone(),
                extra: extra.clone(),
            };
            let derived = Derived {
                shop_id: "1234".into(),
                amount,
                note,
                extra,
            };
            assert_eq!(
                serde_json::to_string(&written).unwrap(),
                serde_json::to_string(&derived).unwrap()
            );
            assert_eq!(
                serde_json::to_string_pretty(&written).unwrap(),
                serde_json::to_string_pretty(&derived).unwrap()
            );
        }
    }

    #[test]
    fn an_empty_struct_is_an_empty_object() {
        assert_eq!(
            serde_json::to_string(&Written::default()).unwrap(),
            r#"{"shopId":""}"#
        );
        struct Nothing;
        impl Serialize for Nothing {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                Entries::new(serializer)?.end()
            }
        }
        assert_eq!(serde_json::to_string(&Nothing).unwrap(), "{}");
    }

    #[test]
    fn a_failing_value_names_its_path() {
        // A map key that is not a string cannot be written as JSON: the error says where,
        // through every struct it is in.
        struct Inner;
        impl Serialize for Inner {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = Entries::new(serializer)?;
                map.field("fine", &1);
                map.optional("failing", &Some(BTreeMap::from([(vec![1u8], 1)])));
                map.end()
            }
        }
        struct Outer;
        impl Serialize for Outer {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = Entries::new(serializer)?;
                map.field("inner", &Inner);
                map.end()
            }
        }
        let error = serde_json::to_string(&Outer).unwrap_err().to_string();
        assert_eq!(
            split_located(&error),
            ("inner.failing", "key must be a string")
        );
        let error = serde_json::to_string(&Inner).unwrap_err().to_string();
        assert_eq!(split_located(&error), ("failing", "key must be a string"));
        assert_eq!(split_located("plain"), (".", "plain"));
    }

    /// A value that counts how often it is written, and fails every time when asked to.
    struct Counted<'a> {
        writes: &'a std::cell::Cell<u32>,
        fails: Option<&'static str>,
    }

    impl Serialize for Counted<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.writes.set(self.writes.get() + 1);
            match self.fails {
                Some(message) => Err(serde_core::ser::Error::custom(message)),
                None => serializer.serialize_u8(1),
            }
        }
    }

    #[test]
    fn the_first_failure_ends_the_writing_and_is_the_one_returned() {
        let writes = std::cell::Cell::new(0);
        let value = |fails| Counted {
            writes: &writes,
            fails,
        };
        let extra = BTreeMap::from([("x".to_owned(), Value::from(1))]);
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::new(&mut out);
        let mut map = Entries::new(&mut serializer).unwrap();
        map.field("a", &value(None));
        map.optional("b", &Some(value(Some("first"))));
        map.field("c", &value(Some("second")));
        map.optional("d", &Some(value(None)));
        map.extra(&extra);
        let error = map.end().unwrap_err().to_string();
        assert_eq!(split_located(&error), ("b", "first"));
        // `a` and `b` were written; nothing after the failure was.
        assert_eq!(writes.get(), 2);
        assert!(!String::from_utf8(out).unwrap().contains('x'));
    }
}
