//! How an answer object decodes: the `Deserialize` of every generated answer type is
//! [`decode_object`], and the type itself only says, through [`DecodeObject`], which of its
//! fields a key names.
//!
//! The loop over the object's keys, the check that no field is given twice and the keeping of
//! every undescribed field in `extra` are written once, here; each type contributes one
//! `match` on its wire names. (serde's derive writes, for every type, a field-identifier enum
//! with three visitors and buffers the undescribed fields to decode them a second time: with
//! it, the answer types were 45 % of the produced crate's build.)

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde_core::de::{Error as _, MapAccess, Visitor};
use serde_core::{Deserialize, Deserializer};
use serde_json::Value;

/// An answer object, decoded key by key. Generated for every answer type; not meant to be
/// implemented by hand.
pub trait DecodeObject: Default {
    /// The type's name, as decoding errors show it (`struct Transaction`).
    const NAME: &'static str;

    /// When `key` is the wire name of one of the fields, decodes the map's next value into
    /// that field and returns the field's position; for any other key, keeps the value in the
    /// object's `extra` with [`keep_extra`] and returns `None`. (One method rather than a
    /// second one giving `extra`: a function less per answer type in the users' builds.)
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<Option<usize>, A::Error>;
}

/// One arm of a generated [`DecodeObject::decode_field`]: decodes the map's next value into
/// `field` and returns `Some(position)`. Written once here, each arm of the generated `match`
/// is a single call (rather than an assignment and an early return compiled for every field).
#[inline]
pub fn read_field<'de, A, T>(
    map: &mut A,
    field: &mut T,
    position: usize,
) -> Result<Option<usize>, A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    *field = map.next_value()?;
    Ok(Some(position))
}

/// The last arm of a generated [`DecodeObject::decode_field`], for a key the spec does not
/// describe: decodes the map's next value as it was sent and keeps it in `extra` under `key`
/// (the last one when a key repeats); `None`, no field's position.
#[inline]
pub fn keep_extra<'de, A>(
    map: &mut A,
    extra: &mut BTreeMap<String, Value>,
    key: &str,
) -> Result<Option<usize>, A::Error>
where
    A: MapAccess<'de>,
{
    let value = map.next_value::<Value>()?;
    extra.insert(key.to_owned(), value);
    Ok(None)
}

/// Decodes an object of type `T`: each described field from its key, every other key into
/// `extra` as it was sent (the last one when a key repeats), a described field given twice
/// refused (`duplicate field`), and anything but an object refused.
pub fn decode_object<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: DecodeObject,
    D: Deserializer<'de>,
{
    deserializer.deserialize_map(ObjectVisitor(PhantomData::<Inline<T>>))
}

/// Like [`decode_object`], the object decoded where it will stay: in a box allocated first and
/// filled field by field, never built on the stack and moved. What the client decodes an
/// answer object with ([`crate::answer`]): answer types can be kilobytes, and a box is what the
/// layers between the decoder and the caller pass on.
pub fn decode_object_boxed<'de, T, D>(deserializer: D) -> Result<Box<T>, D::Error>
where
    T: DecodeObject,
    D: Deserializer<'de>,
{
    deserializer.deserialize_map(ObjectVisitor(PhantomData::<InBox<T>>))
}

/// Where [`ObjectVisitor`] decodes an object: [`Inline`] or [`InBox`].
trait Place {
    type Object: DecodeObject;
    /// What the visitor gives: the object or its box.
    type Output;
    fn empty() -> Self::Output;
    fn object(output: &mut Self::Output) -> &mut Self::Object;
}

/// The object itself.
struct Inline<T>(PhantomData<T>);

impl<T: DecodeObject> Place for Inline<T> {
    type Object = T;
    type Output = T;
    fn empty() -> T {
        T::default()
    }
    fn object(output: &mut T) -> &mut T {
        output
    }
}

/// The object in its box.
struct InBox<T>(PhantomData<T>);

impl<T: DecodeObject> Place for InBox<T> {
    type Object = T;
    type Output = Box<T>;
    fn empty() -> Box<T> {
        Box::default()
    }
    fn object(output: &mut Box<T>) -> &mut T {
        output
    }
}

struct ObjectVisitor<P>(PhantomData<P>);

impl<'de, P: Place> Visitor<'de> for ObjectVisitor<P> {
    type Value = P::Output;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", P::Object::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<P::Output, A::Error> {
        let mut place = P::empty();
        visit_fields(P::object(&mut place), map)?;
        Ok(place)
    }
}

/// An object as the key loop sees it, whatever its type: what [`visit_fields`] takes, so that
/// the loop is compiled once per kind of map (once for serde_json's), not once per answer type.
trait Fields<'de, A: MapAccess<'de>> {
    fn decode_field(&mut self, key: &str, map: &mut A) -> Result<Option<usize>, A::Error>;
}

impl<'de, A: MapAccess<'de>, T: DecodeObject> Fields<'de, A> for T {
    fn decode_field(&mut self, key: &str, map: &mut A) -> Result<Option<usize>, A::Error> {
        DecodeObject::decode_field(self, key, map)
    }
}

/// The key loop: each key's value into its field (a field given twice refused), every other
/// key's into `extra` (by the object's `decode_field`, through [`keep_extra`]).
fn visit_fields<'de, A: MapAccess<'de>>(
    value: &mut dyn Fields<'de, A>,
    mut map: A,
) -> Result<(), A::Error> {
    let mut seen = Seen::default();
    while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
        if let Some(field) = value.decode_field(&key, &mut map)?
            && !seen.insert(field)
        {
            return Err(A::Error::custom(format_args!("duplicate field `{key}`")));
        }
    }
    Ok(())
}

/// The positions of the fields decoded so far: a bit each, in a word for the first 128.
#[derive(Default)]
struct Seen {
    first: u128,
    rest: Vec<usize>,
}

impl Seen {
    /// Records `field`; `false` when it was already there.
    fn insert(&mut self, field: usize) -> bool {
        if field < 128 {
            let bit = 1u128 << field;
            let new = self.first & bit == 0;
            self.first |= bit;
            new
        } else if self.rest.contains(&field) {
            false
        } else {
            self.rest.push(field);
            true
        }
    }
}

/// A JSON key or text, borrowed from the input unless it holds escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde_core::de::Error>(
                self,
                v: &'de str,
            ) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde_core::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde_core::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A hand-written implementation, as codegen writes them.
    #[derive(Debug, Default, PartialEq)]
    struct Card {
        number: Option<String>,
        expiry_month: Option<u8>,
        extra: BTreeMap<String, Value>,
    }

    impl DecodeObject for Card {
        const NAME: &'static str = "Card";
        fn decode_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<Option<usize>, A::Error> {
            // As the generator writes it.
            match key {
                "number" => read_field(map, &mut self.number, 0),
                "expiryMonth" => read_field(map, &mut self.expiry_month, 1),
                _ => keep_extra(map, &mut self.extra, key),
            }
        }
    }

    impl<'de> Deserialize<'de> for Card {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            decode_object(deserializer)
        }
    }

    #[test]
    fn fields_by_wire_name_and_the_rest_kept() {
        let text = r#"{"number":"4970","x":{"y":[1,null]},"expiryMonth":null,"x\u0041":1,"x":2}"#;
        let card: Card = serde_json::from_str(text).unwrap();
        assert_eq!(card.number.as_deref(), Some("4970"));
        assert_eq!(card.expiry_month, None);
        // A repeated undescribed key keeps the last value, as a JSON object does.
        assert_eq!(
            card.extra,
            BTreeMap::from([("x".into(), json!(2)), ("xA".into(), json!(1))])
        );
        // The same from a `Value` (owned keys), and an empty object.
        let again: Card = serde_json::from_value(serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!(again, card);
        assert_eq!(serde_json::from_str::<Card>("{}").unwrap(), Card::default());
    }

    #[test]
    fn a_field_twice_and_anything_but_an_object_are_refused() {
        let twice = serde_json::from_str::<Card>(r#"{"number":"1","number":"2"}"#).unwrap_err();
        assert!(
            twice.to_string().starts_with("duplicate field `number`"),
            "{twice}"
        );
        for text in ["[]", "\"card\"", "1", "null"] {
            let error = serde_json::from_str::<Card>(text).unwrap_err();
            assert!(
                error.to_string().contains("expected struct Card"),
                "{text}: {error}"
            );
        }
        let wrong = serde_json::from_str::<Card>(r#"{"expiryMonth":"May"}"#).unwrap_err();
        assert!(
            wrong.to_string().starts_with("invalid type: string"),
            "{wrong}"
        );
    }

    #[test]
    fn positions_past_128_are_tracked_too() {
        let mut seen = Seen::default();
        for field in [0, 127, 128, 500] {
            assert!(seen.insert(field), "{field}");
            assert!(!seen.insert(field), "{field}");
        }
        assert!(seen.insert(1));
    }
}
