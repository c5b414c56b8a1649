//! Tagged objects: the tag check of an answer of one tagged type ([`Tagged`]), the decoding of
//! one-of enums ([`decode_variant`]) and expandable fields ([`Expandable`]).
//!
//! A tagged type names itself in a discriminator field (`"_type": "V4/Transaction"`). An
//! operation answering one tagged type reads its answer with [`decode_tagged_boxed`] (a value
//! on its own, with [`Tagged<T>`]): the tag is checked while the object is decoded, in the
//! same pass (the map is watched, nothing is buffered), and handed on to `T` unchanged, so a
//! field declaring it (or a map of unknown fields) still gets it. A one-of enum has to see the tag before it knows which type to decode, and the tag
//! may come last: it reads the object once as a `serde_json::Value` (which any deserializer can
//! give, a `#[serde(flatten)]` buffer included) and moves it into the variant's decoder.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde_core::de::value::{BorrowedStrDeserializer, MapAccessDeserializer};
use serde_core::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde_core::{Deserialize, Serialize, Serializer};

/// A type whose objects carry their tag in a discriminator field.
pub trait TypeTag {
    /// The field holding the tag (`_type`).
    const DISCRIMINATOR: &'static str;
    /// This type's tag (`V4/Transaction`).
    const TAG: &'static str;
}

/// An answer of the tagged type `T`: an object whose discriminator holds another tag is a
/// decoding error naming the field, the tag expected and the tag found. An object without
/// the discriminator (or with `null` in it) is accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged<T>(pub T);

impl<T> Tagged<T> {
    /// The answer.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<'de, T: TypeTag + Deserialize<'de>> Deserialize<'de> for Tagged<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let check = Check {
            field: T::DISCRIMINATOR,
            expected: T::TAG,
        };
        T::deserialize(TagCheck {
            inner: deserializer,
            check,
        })
        .map(Tagged)
    }
}

/// An answer of the tagged object type `T`, checked as [`Tagged`] checks it, decoded in its box
/// ([`crate::object::decode_object_boxed`]).
pub fn decode_tagged_boxed<'de, T, D>(deserializer: D) -> Result<Box<T>, D::Error>
where
    T: TypeTag + crate::DecodeObject,
    D: Deserializer<'de>,
{
    let check = Check {
        field: T::DISCRIMINATOR,
        expected: T::TAG,
    };
    crate::object::decode_object_boxed(TagCheck {
        inner: deserializer,
        check,
    })
}

/// The field to watch and the tag it must hold.
#[derive(Clone, Copy)]
struct Check {
    field: &'static str,
    expected: &'static str,
}

/// The most characters of a wrong tag an error message quotes.
const SHOWN_TAG: usize = 64;

impl Check {
    fn judge<E: de::Error>(self, found: &str) -> Result<(), E> {
        if found == self.expected {
            return Ok(());
        }
        let mut shown: String = found.chars().take(SHOWN_TAG).collect();
        if found.chars().nth(SHOWN_TAG).is_some() {
            shown.push('…');
        }
        // Unquoted, so that the error keeps it (a decoder's quoted values are dropped); the
        // runtime escapes its control characters.
        Err(E::custom(format_args!(
            "the object is tagged {shown}, expected {} {}",
            self.field, self.expected
        )))
    }
}

/// A deserializer that watches the maps it gives for the discriminator.
struct TagCheck<D> {
    inner: D,
    check: Check,
}

macro_rules! forward {
    ($($method:ident ( $($arg:ident : $ty:ty),* )),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method($($arg,)* visitor)
        })*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for TagCheck<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let check = self.check;
        self.inner.deserialize_any(Watch {
            inner: visitor,
            check,
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let check = self.check;
        self.inner.deserialize_map(Watch {
            inner: visitor,
            check,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let check = self.check;
        self.inner.deserialize_struct(
            name,
            fields,
            Watch {
                inner: visitor,
                check,
            },
        )
    }

    forward! {
        deserialize_bool(), deserialize_i8(), deserialize_i16(), deserialize_i32(),
        deserialize_i64(), deserialize_i128(), deserialize_u8(), deserialize_u16(),
        deserialize_u32(), deserialize_u64(), deserialize_u128(), deserialize_f32(),
        deserialize_f64(), deserialize_char(), deserialize_str(), deserialize_string(),
        deserialize_bytes(), deserialize_byte_buf(), deserialize_option(), deserialize_unit(),
        deserialize_unit_struct(name: &'static str),
        deserialize_newtype_struct(name: &'static str), deserialize_seq(),
        deserialize_tuple(len: usize), deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
        deserialize_identifier(), deserialize_ignored_any(),
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// The visitor of the watched object: its map is watched, anything else passes as it is.
struct Watch<V> {
    inner: V,
    check: Check,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Watch<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(WatchedMap {
            inner: map,
            check: self.check,
            at_tag: false,
        })
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(seq)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.inner.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.inner.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.inner.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.inner.visit_f64(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.inner.visit_string(v)
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(d)
    }
}

/// The entries of the watched object: the value of the discriminator is checked on its way
/// to the object's own decoder.
struct WatchedMap<A> {
    inner: A,
    check: Check,
    at_tag: bool,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WatchedMap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.inner.next_key_seed(KeyText)? else {
            return Ok(None);
        };
        self.at_tag = key == self.check.field;
        match key {
            Cow::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)),
            Cow::Owned(key) => seed.deserialize(key.into_deserializer()),
        }
        .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        if std::mem::take(&mut self.at_tag) {
            self.inner.next_value_seed(TagValue {
                seed,
                check: self.check,
            })
        } else {
            self.inner.next_value_seed(seed)
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// A key as text, borrowed when the input allows.
struct KeyText;

impl<'de> DeserializeSeed<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeyText)
    }
}

impl<'de> Visitor<'de> for KeyText {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// The discriminator's value: checked, then given to the object's decoder as it came.
struct TagValue<S> {
    seed: S,
    check: Check,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for TagValue<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for TagValue<S> {
    type Value = S::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the tag {}", self.check.expected)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<S::Value, E> {
        self.check.judge(v)?;
        self.seed
            .deserialize(TagText::<E>(Cow::Borrowed(v), PhantomData))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<S::Value, E> {
        self.check.judge(v)?;
        self.seed
            .deserialize(TagText::<E>(Cow::Owned(v.to_owned()), PhantomData))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<S::Value, E> {
        self.check.judge(&v)?;
        self.seed
            .deserialize(TagText::<E>(Cow::Owned(v), PhantomData))
    }

    fn visit_unit<E: de::Error>(self) -> Result<S::Value, E> {
        self.seed.deserialize(().into_deserializer())
    }

    fn visit_none<E: de::Error>(self) -> Result<S::Value, E> {
        self.seed.deserialize(().into_deserializer())
    }
}

/// The tag handed on to the object's decoder: a string, also where an `Option` is expected
/// (as a JSON deserializer gives it).
struct TagText<'de, E>(Cow<'de, str>, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for TagText<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.0 {
            Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
            Cow::Owned(text) => visitor.visit_string(text),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_some(self)
    }

    serde_core::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Reads an object for a one-of enum: its tag in `field` (when a string) and the object.
pub fn read_tagged<'de, D: Deserializer<'de>>(
    deserializer: D,
    field: &str,
) -> Result<(Option<String>, serde_json::Value), D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    let tag = value
        .get(field)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    Ok((tag, value))
}

/// Decodes the variant of a one-of from the object `read_tagged` gave; an error names the
/// path inside the object.
pub fn decode_variant<T: de::DeserializeOwned, E: de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    super::json_path::decode_value(&value)
        .map_err(|e| E::custom(format_args!("{}: {}", e.path, e.message)))
}

/// Encodes the variant of a one-of with its tag: an object built in code (`Card::new(…)`)
/// does not hold the tag that tells the API which alternative it is, so `tag` is added in
/// `field` when the variant's JSON has no such field. A decoded object has it already and
/// goes back as it came.
pub fn serialize_variant<T: Serialize, S: serde_core::Serializer>(
    variant: &T,
    field: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(variant).map_err(serde_core::ser::Error::custom)?;
    if let serde_json::Value::Object(object) = &mut value {
        if !object.contains_key(field) {
            object.insert(field.to_owned(), serde_json::Value::from(tag));
        }
    }
    value.serialize(serializer)
}

/// A type whose objects may have an id, for [`Expandable::id`].
pub trait HasId {
    /// The object's id, when it has one.
    fn object_id(&self) -> Option<&str>;
}

/// A field that holds either the id of an object or, when the API was asked to expand it,
/// the object itself. It is sent back as it came.
#[derive(Debug, Clone, PartialEq)]
pub enum Expandable<T> {
    /// Only the id.
    Id(String),
    /// The object.
    Object(Box<T>),
}

impl<T> Expandable<T> {
    /// The object, when the field holds it.
    pub fn object(&self) -> Option<&T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(object),
        }
    }

    /// The object, when the field holds it.
    pub fn into_object(self) -> Option<T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(*object),
        }
    }

    /// Whether the field holds the object.
    pub fn is_object(&self) -> bool {
        matches!(self, Expandable::Object(_))
    }
}

impl<T: HasId> Expandable<T> {
    /// The id: the one given, or the object's (`None` for an object without one).
    pub fn id(&self) -> Option<&str> {
        match self {
            Expandable::Id(id) => Some(id),
            Expandable::Object(object) => object.object_id(),
        }
    }
}

impl<T> From<T> for Expandable<T> {
    fn from(object: T) -> Self {
        Expandable::Object(Box::new(object))
    }
}

impl<T: Serialize> Serialize for Expandable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Expandable::Id(id) => serializer.serialize_str(id),
            Expandable::Object(object) => object.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Expandable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExpandableVisitor(PhantomData))
    }
}

struct ExpandableVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ExpandableVisitor<T> {
    type Value = Expandable<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an id (a string) or an object")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Expandable::Id(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Expandable::Id(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(|o| Expandable::Object(Box::new(o)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, serde::Serialize, PartialEq)]
    struct Card {
        id: Option<String>,
        #[serde(rename = "_type")]
        tag: Option<String>,
    }

    impl TypeTag for Card {
        const DISCRIMINATOR: &'static str = "_type";
        const TAG: &'static str = "V4/Card";
    }

    impl HasId for Card {
        fn object_id(&self) -> Option<&str> {
            self.id.as_deref()
        }
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Bare {
        id: Option<String>,
    }

    impl TypeTag for Bare {
        const DISCRIMINATOR: &'static str = "type";
        const TAG: &'static str = "bare";
    }

    #[test]
    fn the_right_tag_or_none_passes_and_stays_with_the_object() {
        let card: Tagged<Card> = serde_json::from_str(r#"{"id":"c1","_type":"V4/Card"}"#).unwrap();
        assert_eq!(card.0.tag.as_deref(), Some("V4/Card"));
        let card: Tagged<Card> = serde_json::from_str(r#"{"id":"c1"}"#).unwrap();
        assert_eq!(card.0.id.as_deref(), Some("c1"));
        let card: Tagged<Card> = serde_json::from_str(r#"{"_type":null}"#).unwrap();
        assert_eq!(card.0.tag, None);
        // A type that does not declare the discriminator ignores it as any unknown field.
        let bare: Tagged<Bare> = serde_json::from_str(r#"{"type":"bare","id":"b"}"#).unwrap();
        assert_eq!(bare.0.id.as_deref(), Some("b"));
    }

    #[test]
    fn another_tag_is_an_error_at_the_discriminator() {
        let text = r#"{"id":"c1","_type":"V4/Subscription"}"#;
        let err = crate::json_path::decode::<Tagged<Card>>(text).unwrap_err();
        assert_eq!(err.path, "_type");
        assert_eq!(
            err.message,
            "the object is tagged V4/Subscription, expected _type V4/Card at line 1 column 36"
        );
        let err = serde_json::from_str::<Tagged<Bare>>(r#"{"type":"other"}"#).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("the object is tagged other, expected type bare")
        );
        let err = serde_json::from_str::<Tagged<Card>>(r#"{"_type":7}"#).unwrap_err();
        assert!(
            err.to_string().contains("expected the tag V4/Card"),
            "{err}"
        );
        let long = "x".repeat(500);
        let err = serde_json::from_str::<Tagged<Card>>(&format!(r#"{{"_type":"{long}"}}"#))
            .unwrap_err()
            .to_string();
        assert!(err.len() < 200, "{err}");
    }

    #[test]
    fn the_check_works_from_a_value_and_in_a_buffered_object() {
        let value = serde_json::json!({"_type": "V4/Other"});
        assert!(serde_json::from_value::<Tagged<Card>>(value).is_err());
        let value = serde_json::json!({"_type": "V4/Card", "id": "c"});
        assert_eq!(
            serde_json::from_value::<Tagged<Card>>(value)
                .unwrap()
                .0
                .id
                .as_deref(),
            Some("c")
        );
        // A type keeping its unknown fields in a flattened map keeps the tag there.
        #[derive(serde::Deserialize)]
        struct Flat {
            id: Option<String>,
            #[serde(flatten)]
            rest: serde_json::Map<String, serde_json::Value>,
        }
        impl TypeTag for Flat {
            const DISCRIMINATOR: &'static str = "_type";
            const TAG: &'static str = "V4/Flat";
        }
        let flat: Tagged<Flat> =
            serde_json::from_str(r#"{"id":"f","_type":"V4/Flat","x":1}"#).unwrap();
        assert_eq!(flat.0.id.as_deref(), Some("f"));
        assert_eq!(flat.0.rest["_type"], "V4/Flat");
        assert!(serde_json::from_str::<Tagged<Flat>>(r#"{"_type":"V4/Card"}"#).is_err());
    }

    #[test]
    fn an_expandable_field_is_an_id_or_the_object_and_goes_back_as_it_came() {
        let id: Expandable<Card> = serde_json::from_str(r#""c1""#).unwrap();
        assert_eq!(id.id(), Some("c1"));
        assert!(id.object().is_none());
        let text = r#"{"id":"c2","_type":"V4/Card"}"#;
        let object: Expandable<Card> = serde_json::from_str(text).unwrap();
        assert_eq!(object.id(), Some("c2"));
        assert!(object.is_object());
        assert_eq!(serde_json::to_string(&object).unwrap(), text);
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""c1""#);
        assert!(serde_json::from_str::<Expandable<Card>>("7").is_err());
        // Inside a buffered (flattened) object too.
        #[derive(serde::Deserialize)]
        struct Holder {
            card: Expandable<Card>,
            #[serde(flatten)]
            _rest: serde_json::Map<String, serde_json::Value>,
        }
        let h: Holder = serde_json::from_str(r#"{"card":{"id":"c3"},"x":1}"#).unwrap();
        assert_eq!(h.card.id(), Some("c3"));
    }
}
