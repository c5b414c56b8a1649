//! How the client decodes an operation's answer: into a box, an object filled in place.
//!
//! Answer types can be kilobytes (an answer object holds every field the API describes, most
//! of them `None`). Decoded the usual way, the value is built on the stack, moved into the
//! `Result` of each decoding layer, then through the framing, the retry loop and every
//! `async fn` between the decoder and the caller: a dozen copies of the whole value per call,
//! which a raw HTTP client decoding the same type does not all make. Decoded through
//! [`Answer`], an object is allocated once and filled field by field where it stays
//! ([`decode_object_boxed`](crate::object::decode_object_boxed)); the layers pass the box on,
//! and [`Core::answer`](crate::Core::answer) moves the value out of it once, into its
//! caller's hands.

use serde_core::de::{Deserialize, Deserializer, IgnoredAny};

use crate::DecodeObject;
use crate::one_of::TypeTag;

/// A type an operation answers with, and how the client decodes it into its box
/// ([`Core::answer`](crate::Core::answer)). The produced crate implements it for
/// each of its answer types with one of [`object`], [`tagged`] or [`plain`]; the runtime for
/// free-form JSON (`serde_json::Value`) and for an answer that is not read (`()`, whatever
/// the body holds).
pub trait Answer: Sized {
    /// Decodes the answer into a box.
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Box<Self>, D::Error>;
}

/// The decoding of an answer object: in place, in its box.
pub fn object<'de, T: DecodeObject, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Box<T>, D::Error> {
    crate::object::decode_object_boxed(deserializer)
}

/// The decoding of an answer object of a tagged type: its tag checked as
/// [`Tagged`](crate::Tagged) checks it, in place, in its box.
pub fn tagged<'de, T: DecodeObject + TypeTag, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Box<T>, D::Error> {
    crate::one_of::decode_tagged_boxed(deserializer)
}

/// The decoding of any other answer type (a one-of enum): its own `Deserialize`, then boxed.
pub fn plain<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Box<T>, D::Error> {
    T::deserialize(deserializer).map(Box::new)
}

impl Answer for serde_json::Value {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Box<Self>, D::Error> {
        plain(deserializer)
    }
}

/// An answer that is not read: any body is accepted and skipped.
impl Answer for () {
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Box<Self>, D::Error> {
        IgnoredAny::deserialize(deserializer).map(|_| Box::new(()))
    }
}

/// What the client's decoders are asked for when the answer is `R`: its box, by
/// [`Answer::decode`].
pub(crate) struct Decoded<R>(pub(crate) Box<R>);

impl<'de, R: Answer> Deserialize<'de> for Decoded<R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        R::decode(deserializer).map(Decoded)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_core::de::MapAccess;
    use serde_json::{Value, json};

    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Payment {
        id: Option<String>,
        amount: Option<u64>,
        extra: BTreeMap<String, Value>,
    }

    impl DecodeObject for Payment {
        const NAME: &'static str = "Payment";
        fn decode_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: &str,
            map: &mut A,
        ) -> Result<Option<usize>, A::Error> {
            Ok(Some(match key {
                "id" => {
                    self.id = map.next_value()?;
                    0
                }
                "amount" => {
                    self.amount = map.next_value()?;
                    1
                }
                _ => return crate::keep_extra(map, &mut self.extra, key),
            }))
        }
    }

    impl<'de> Deserialize<'de> for Payment {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            crate::decode_object(deserializer)
        }
    }

    impl TypeTag for Payment {
        const DISCRIMINATOR: &'static str = "_type";
        const TAG: &'static str = "V1/Payment";
    }

    impl Answer for Payment {
        fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Box<Self>, D::Error> {
            object(d)
        }
    }

    fn boxed<R: Answer>(text: &str) -> Result<Box<R>, String> {
        serde_json::from_str::<Decoded<R>>(text)
            .map(|decoded| decoded.0)
            .map_err(|e| e.to_string())
    }

    /// In its box, an object decodes as its `Deserialize` decodes it, errors included.
    #[test]
    fn an_object_decodes_in_its_box_as_it_decodes_alone() {
        for text in [
            r#"{"id":"p1","amount":5,"note":{"a":[1,null]},"_type":"V1/Other"}"#,
            "{}",
            r#"{"id":"p1","id":"p2"}"#,
            r#"{"amount":"five"}"#,
            "[]",
            "null",
            r#"{"id":"p1""#,
        ] {
            let alone = serde_json::from_str::<Payment>(text).map_err(|e| e.to_string());
            assert_eq!(boxed::<Payment>(text).map(|b| *b), alone, "{text}");
        }
        assert_eq!(
            *boxed::<Payment>(r#"{"id":"p1","x":1}"#).unwrap(),
            Payment {
                id: Some("p1".into()),
                amount: None,
                extra: BTreeMap::from([("x".into(), json!(1))]),
            }
        );
    }

    /// A tagged answer in its box is checked as `Tagged` checks it: another tag refused, no tag
    /// or a `null` one accepted, the tag kept among the unknown fields.
    #[test]
    fn a_tagged_object_decodes_in_its_box_as_tagged_decodes_it() {
        fn tagged_boxed(text: &str) -> Result<Payment, String> {
            let mut de = serde_json::Deserializer::from_str(text);
            let value = tagged::<Payment, _>(&mut de).map_err(|e| e.to_string())?;
            de.end().map_err(|e| e.to_string())?;
            Ok(*value)
        }
        for text in [
            r#"{"id":"p1","_type":"V1/Payment"}"#,
            r#"{"_type":"V1/Refund","id":"p1"}"#,
            r#"{"id":"p1"}"#,
            r#"{"id":"p1","_type":null}"#,
            r#"{"_type":7}"#,
            "[]",
        ] {
            let alone = serde_json::from_str::<crate::Tagged<Payment>>(text)
                .map(crate::Tagged::into_inner)
                .map_err(|e| e.to_string());
            assert_eq!(tagged_boxed(text), alone, "{text}");
        }
        let refused = tagged_boxed(r#"{"_type":"V1/Refund"}"#).unwrap_err();
        assert!(
            refused.contains("tagged V1/Refund, expected _type V1/Payment"),
            "{refused}"
        );
        let kept = tagged_boxed(r#"{"_type":"V1/Payment"}"#).unwrap();
        assert_eq!(kept.extra.get("_type"), Some(&json!("V1/Payment")));
    }

    /// Free-form JSON decodes as itself; an answer that is not read accepts any body.
    #[test]
    fn json_as_itself_and_an_unread_answer_whatever_it_is() {
        assert_eq!(
            *boxed::<Value>(r#"{"a":[1,2]}"#).unwrap(),
            json!({ "a": [1, 2] })
        );
        for text in ["null", "{}", r#"{"a":[1,{"b":null}]}"#, "\"x\"", "3"] {
            assert_eq!(boxed::<()>(text), Ok(Box::new(())), "{text}");
        }
        assert!(boxed::<()>("{").is_err());
    }
}
