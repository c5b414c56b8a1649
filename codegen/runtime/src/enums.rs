//! What every generated enumeration has in common: the error of a text that is not one of its
//! values ([`UnknownVariant`]), the trait its conversions agree through ([`WireEnum`]), and
//! the lossy reading of an open enumeration ([`OpenEnum`]) that the API error codes use.
//!
//! Each generated enumeration converts from text in three ways that never disagree with its
//! `Display`, its `as_str` and its serde form:
//!
//! - `FromStr` (`"EUR".parse::<Currency>()`): the exact wire value. For a closed enumeration
//!   an unknown text is an [`UnknownVariant`] error; for an open one (it has an `Unknown`
//!   variant) parsing never fails and an unknown text is kept, which `is_known` /
//!   `is_unknown` tell.
//! - `parse_known` and `TryFrom<&str>`: an error for every text that is not a listed value,
//!   open enumeration or not — what a value typed by a person should go through.
//! - `from_wire_lossy` (open enumerations only): the explicit name of "keep whatever came".

use std::fmt;

/// A text that is not a listed value of an enumeration: what `FromStr` of a closed
/// enumeration and `parse_known` / `TryFrom<&str>` of every enumeration return for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVariant {
    /// The Rust name of the enumeration (`Currency`).
    pub enum_name: &'static str,
    /// The text that was given.
    pub value: String,
    /// The wire values the enumeration lists, in the spec's order.
    pub expected: &'static [&'static str],
}

impl UnknownVariant {
    /// How many expected values the message names before it stops.
    const SHOWN: usize = 12;
}

impl fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The text may be anything a caller got from elsewhere: written like the server's
        // texts in other errors (control characters escaped, card numbers redacted).
        let value = super::redact::printable(&super::redact::redact_card_numbers(&self.value));
        write!(f, "`{value}` is not a value of {}", self.enum_name)?;
        if self.expected.is_empty() {
            return Ok(());
        }
        f.write_str(" (expected one of: ")?;
        for (i, value) in self.expected.iter().take(Self::SHOWN).enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{value}`")?;
        }
        if self.expected.len() > Self::SHOWN {
            write!(f, ", … {} more", self.expected.len() - Self::SHOWN)?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for UnknownVariant {}

/// A generated enumeration: its listed values and the conversions that agree with each other
/// (`Display` and `FromStr` on the wire text, serde on the wire value, JSON `null` for a value
/// whose wire form is null, shown and parsed as `null`).
pub trait WireEnum:
    Sized
    + Clone
    + PartialEq
    + fmt::Debug
    + fmt::Display
    + std::str::FromStr
    + serde_core::Serialize
    + serde_core::de::DeserializeOwned
    + 'static
{
    /// The Rust name of the enumeration.
    const NAME: &'static str;
    /// Whether the enumeration is open (keeps unknown values in an `Unknown` variant).
    const OPEN: bool;
    /// Every listed value, in the spec's order.
    fn known() -> &'static [Self];
    /// The wire text of the value; `None` for a value whose wire form is JSON `null`.
    fn wire(&self) -> Option<&str>;
    /// The listed value with this text (the wire text, or `null` for a null value); an error
    /// for any other text, open enumeration or not.
    fn parse_known(text: &str) -> Result<Self, UnknownVariant>;
}

/// An open enumeration: every text is one of its values, listed or kept as unknown. The
/// runtime reads an API error's code through it (`String` is the open enumeration of every
/// text).
pub trait OpenEnum {
    /// The listed value with this text, or the unknown value keeping it.
    fn from_wire_lossy(text: String) -> Self;
}

impl OpenEnum for String {
    fn from_wire_lossy(text: String) -> Self {
        text
    }
}

/// The `Deserialize` of a generated enumeration: a string is read with `from_wire` (a listed
/// value, or for an open enumeration the unknown value keeping the text); `null` is the value
/// whose wire form is JSON `null`. Any other text, or a `null` the enumeration has no value
/// for, is refused, naming the enumeration (and, for a text, its listed values). One generic
/// body instead of one per enumeration.
pub fn decode_enum<'de, T: WireEnum, D: serde_core::Deserializer<'de>>(
    deserializer: D,
    from_wire: fn(&str) -> Option<T>,
) -> Result<T, D::Error> {
    use serde_core::de::Error as _;
    // The generic part is the reading and the lookups; the messages are written by functions
    // compiled once, not once per enumeration.
    match <Option<String> as serde_core::Deserialize>::deserialize(deserializer)? {
        Some(text) => match from_wire(&text) {
            Some(value) => Ok(value),
            None => {
                // A plain loop: an iterator chain (or a `dyn Iterator`) would instantiate its
                // adapters once per enumeration.
                let mut expected = Vec::new();
                for value in T::known() {
                    if let Some(wire) = value.wire() {
                        expected.push(wire);
                    }
                }
                Err(D::Error::custom(unknown_text(T::NAME, &text, &expected)))
            }
        },
        None => {
            for value in T::known() {
                if value.wire().is_none() {
                    return Ok(value.clone());
                }
            }
            Err(D::Error::custom(format_args!(
                "null is not a value of {}",
                T::NAME
            )))
        }
    }
}

/// The message of a text that is not a value of the enumeration `name`, whose values' wire
/// texts are `expected`.
fn unknown_text(name: &str, text: &str, expected: &[&str]) -> String {
    format!(
        "unknown {name} value `{text}`, expected one of: {}",
        expected.join(", ")
    )
}

/// Something done with each enumeration of an API, in turn: the generated (hidden)
/// `for_each_enum` of each API module calls [`EnumVisitor::visit`] once per enumeration, so a
/// test can check all of them without listing them.
pub trait EnumVisitor {
    /// Called with each enumeration of the API.
    fn visit<E: WireEnum>(&mut self);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_enum_the_value_and_what_was_expected() {
        let e = UnknownVariant {
            enum_name: "Currency",
            value: "EURO".into(),
            expected: &["EUR", "USD"],
        };
        assert_eq!(
            e.to_string(),
            "`EURO` is not a value of Currency (expected one of: `EUR`, `USD`)"
        );
    }

    #[test]
    fn a_long_list_of_values_is_cut() {
        const MANY: &[&str] = &[
            "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N",
        ];
        let e = UnknownVariant {
            enum_name: "Letter",
            value: "Z".into(),
            expected: MANY,
        };
        let text = e.to_string();
        assert!(text.ends_with("`L`, … 2 more)"), "{text}");
        assert!(!text.contains("`M`"), "{text}");
    }

    #[test]
    fn the_message_never_shows_a_card_number_or_a_control_character() {
        let e = UnknownVariant {
            enum_name: "Brand",
            value: "4970101234567893\n".into(),
            expected: &[],
        };
        assert_eq!(e.to_string(), "`<redacted>\\n` is not a value of Brand");
    }
}
