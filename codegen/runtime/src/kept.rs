//! What the types kept as the wire wrote them ([`Decimal`](crate::Decimal),
//! [`Date`](crate::Date), [`DateTime`](crate::DateTime)) share: the text shown in an error,
//! and the impls of a type that is its text.

/// At most 64 characters of a text for an error, control characters escaped.
pub(crate) fn shown(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(64) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// For a struct `$ty { text: String }` with `fn new(impl Into<String>) -> Result<Self, $err>`:
/// `from_spec`, `as_str`, `Debug`, `Display`, `FromStr`, `TryFrom<&str>`, `TryFrom<String>`,
/// `AsRef<str>`, and serde as a JSON string (any string decodes, kept as sent; `new` is the
/// check, and a request's `validate()` refuses a malformed one).
macro_rules! kept_as_text {
    ($ty:ident, $err:ty) => {
        impl $ty {
            /// A value from a text the spec wrote, which codegen checked with the rule `new`
            /// applies; not checked again here (a request's `validate()` would refuse it).
            #[doc(hidden)]
            pub fn from_spec(text: &str) -> Self {
                Self {
                    text: text.to_owned(),
                }
            }

            /// The text, as given or as the answer sent it.
            pub fn as_str(&self) -> &str {
                &self.text
            }
        }

        impl ::std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_tuple(stringify!($ty)).field(&self.text).finish()
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $err;
            fn from_str(text: &str) -> Result<Self, $err> {
                Self::new(text)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = $err;
            fn try_from(text: &str) -> Result<Self, $err> {
                Self::new(text)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $err;
            fn try_from(text: String) -> Result<Self, $err> {
                Self::new(text)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.text
            }
        }

        impl serde_core::Serialize for $ty {
            fn serialize<S: serde_core::Serializer>(
                &self,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        impl<'de> serde_core::Deserialize<'de> for $ty {
            /// Any JSON string, kept as sent (a malformed one too: see `is_well_formed`);
            /// anything else (a number, `null`, an object) is refused.
            fn deserialize<D: serde_core::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Ok(Self { text })
            }
        }
    };
}

pub(crate) use kept_as_text;
