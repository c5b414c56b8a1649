//! Signed notifications an API posts to the merchant (Lyra's IPN): decode the form, check
//! the HMAC-SHA256 signature in constant time, and only then hand out the payload.
//!
//! The generated `verify` functions describe their notification with a [`SignedForm`]; nothing
//! here knows a vendor's field names.

use std::fmt;

use serde::de::DeserializeOwned;

use super::config::Secret;

/// How one kind of notification is signed, as the spec describes it.
#[derive(Debug, Clone, Copy)]
pub struct SignedForm {
    /// The field holding the hex-encoded HMAC-SHA256 (`kr-hash`).
    pub signature_field: &'static str,
    /// The field naming the algorithm, if the API sends one (`kr-hash-algorithm`).
    pub algorithm_field: Option<&'static str>,
    /// The only algorithm name accepted in `algorithm_field` (`sha256_hmac`).
    pub algorithm: Option<&'static str>,
    /// The field naming which key signed the payload (`kr-hash-key`); when `None` the payload
    /// is verified with the key named by [`SignedForm::default_key`].
    pub key_field: Option<&'static str>,
    /// The key used when the API names none.
    pub default_key: &'static str,
    /// The field holding the signed payload (`kr-answer`).
    pub payload_field: &'static str,
    /// Replace every `\/` with `/` before hashing (Lyra escapes slashes in JSON).
    pub unescape_slashes: bool,
}

/// Why a notification was refused. Nothing of the payload is parsed unless the signature
/// holds, and no secret appears in these errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotificationError {
    /// The body is not valid `application/x-www-form-urlencoded` text.
    #[error("the notification body is not a valid form: {0}")]
    MalformedForm(String),
    /// A field the notification must carry is absent.
    #[error("the notification lacks the field `{0}`")]
    MissingField(&'static str),
    /// A field appears more than once, so it is unclear which value was signed.
    #[error("the notification carries the field `{0}` more than once")]
    DuplicateField(&'static str),
    /// The notification names a signature algorithm this SDK does not accept.
    #[error("unsupported signature algorithm `{0}`")]
    UnsupportedAlgorithm(String),
    /// The notification names a key this SDK does not know.
    #[error("unknown signing key `{0}`")]
    UnknownKey(String),
    /// The notification was signed with a key the application did not configure.
    #[error("no secret is configured for the signing key `{0}`")]
    KeyNotConfigured(String),
    /// The signature does not match the payload: the notification must be ignored.
    #[error("the notification's signature does not match its payload")]
    BadSignature,
    /// The signature holds but the payload does not decode into the expected type.
    #[error("the notification's payload does not decode at `{path}`: {message}")]
    Decode {
        /// JSON path where decoding failed.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// Decodes an `application/x-www-form-urlencoded` body into its fields, in order.
pub fn parse_form(body: &str) -> Result<Vec<(String, String)>, NotificationError> {
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((percent_decode(name)?, percent_decode(value)?))
        })
        .collect()
}

fn percent_decode(text: &str) -> Result<String, NotificationError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        NotificationError::MalformedForm(
                            "a `%` is not followed by two hex digits".into(),
                        )
                    })?;
                out.push(hex);
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out)
        .map_err(|_| NotificationError::MalformedForm("a field is not UTF-8 text".into()))
}

/// The single value of `name` among `fields`, if present.
pub fn field<'a>(
    fields: &'a [(String, String)],
    name: &'static str,
) -> Result<Option<&'a str>, NotificationError> {
    let mut values = fields
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str());
    let first = values.next();
    if values.next().is_some() {
        return Err(NotificationError::DuplicateField(name));
    }
    Ok(first)
}

fn required<'a>(
    fields: &'a [(String, String)],
    name: &'static str,
) -> Result<&'a str, NotificationError> {
    field(fields, name)?.ok_or(NotificationError::MissingField(name))
}

/// Checks the signature of a notification and returns its payload, normalised as it was
/// hashed. `secret_for` maps a key name (the value of `key_field`) to the configured secret:
/// `Err(UnknownKey)` for names the spec does not list, `Ok(None)` for listed but unset ones.
pub fn verify<'a>(
    form: &SignedForm,
    fields: &'a [(String, String)],
    secret_for: impl Fn(&str) -> Result<Option<&'a Secret>, NotificationError>,
) -> Result<String, NotificationError> {
    let signature = required(fields, form.signature_field)?;
    if let (Some(name), Some(expected)) = (form.algorithm_field, form.algorithm) {
        let algorithm = required(fields, name)?;
        if algorithm != expected {
            return Err(NotificationError::UnsupportedAlgorithm(bounded(algorithm)));
        }
    }
    let key_name = match form.key_field {
        Some(name) => required(fields, name)?,
        None => form.default_key,
    };
    let secret = secret_for(key_name)?
        .ok_or_else(|| NotificationError::KeyNotConfigured(bounded(key_name)))?;
    let received = required(fields, form.payload_field)?;
    let tag = decode_hex(signature).ok_or(NotificationError::BadSignature)?;
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.expose().as_bytes());
    let normalise = |text: &str| {
        if form.unescape_slashes {
            text.replace("\\/", "/")
        } else {
            text.to_owned()
        }
    };
    // `ring::hmac::verify` compares in constant time.
    let payload = normalise(received);
    if ring::hmac::verify(&key, payload.as_bytes(), &tag).is_ok() {
        return Ok(payload);
    }
    if form.unescape_slashes {
        // A web stack that escapes posted quotes and backslashes adds one level of escaping;
        // the vendor's SDK checks that form too. The signature still has to hold.
        let stripped = normalise(&strip_one_escape_level(received));
        if ring::hmac::verify(&key, stripped.as_bytes(), &tag).is_ok() {
            return Ok(stripped);
        }
    }
    Err(NotificationError::BadSignature)
}

/// Removes one level of backslash escaping: `\\x` becomes `x` (so `\\\\` becomes `\\`).
fn strip_one_escape_level(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Decodes a verified payload, naming the JSON path on failure.
pub fn decode<T: DeserializeOwned>(payload: &str) -> Result<T, NotificationError> {
    let mut deserializer = serde_json::Deserializer::from_str(payload);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| NotificationError::Decode {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if text.len() % 2 != 0 || text.is_empty() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

/// A value echoed in an error, cut short: a hostile sender controls it.
fn bounded(text: &str) -> String {
    text.chars().take(64).collect()
}

impl fmt::Display for SignedForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "HMAC-SHA256 of `{}` in `{}`",
            self.payload_field, self.signature_field
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: SignedForm = SignedForm {
        signature_field: "hash",
        algorithm_field: Some("algo"),
        algorithm: Some("sha256_hmac"),
        key_field: Some("key"),
        default_key: "password",
        payload_field: "answer",
        unescape_slashes: true,
    };

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    fn secret_for<'a>(
        secret: &'a Secret,
    ) -> impl Fn(&str) -> Result<Option<&'a Secret>, NotificationError> {
        move |name| match name {
            "password" => Ok(Some(secret)),
            "sha256_hmac" => Ok(None),
            other => Err(NotificationError::UnknownKey(other.to_owned())),
        }
    }

    #[test]
    fn strips_one_level_of_escaping() {
        assert_eq!(
            strip_one_escape_level(r#"{\"a\":\"b\\/c\"}"#),
            r#"{"a":"b\/c"}"#
        );
        assert_eq!(strip_one_escape_level(r"a\\b"), r"a\b");
        assert_eq!(strip_one_escape_level("plain"), "plain");
        assert_eq!(strip_one_escape_level("end\\"), "end");
    }

    #[test]
    fn parses_forms() {
        let parsed = parse_form("a=1&b=x+y%2Fz&c=&d").expect("valid form");
        assert_eq!(
            parsed,
            fields(&[("a", "1"), ("b", "x y/z"), ("c", ""), ("d", "")])
        );
        assert!(matches!(
            parse_form("a=%zz"),
            Err(NotificationError::MalformedForm(_))
        ));
        assert!(matches!(
            parse_form("a=%f"),
            Err(NotificationError::MalformedForm(_))
        ));
        assert!(matches!(
            parse_form("a=%ff"),
            Err(NotificationError::MalformedForm(_))
        ));
    }

    #[test]
    fn refuses_before_checking_the_signature() {
        let secret = Secret::new("k");
        let cases = [
            (
                fields(&[
                    ("algo", "sha256_hmac"),
                    ("key", "password"),
                    ("answer", "{}"),
                ]),
                NotificationError::MissingField("hash"),
            ),
            (
                fields(&[
                    ("hash", "00"),
                    ("algo", "md5"),
                    ("key", "password"),
                    ("answer", "{}"),
                ]),
                NotificationError::UnsupportedAlgorithm("md5".into()),
            ),
            (
                fields(&[
                    ("hash", "00"),
                    ("algo", "sha256_hmac"),
                    ("key", "other"),
                    ("answer", "{}"),
                ]),
                NotificationError::UnknownKey("other".into()),
            ),
            (
                fields(&[
                    ("hash", "00"),
                    ("algo", "sha256_hmac"),
                    ("key", "sha256_hmac"),
                    ("answer", "{}"),
                ]),
                NotificationError::KeyNotConfigured("sha256_hmac".into()),
            ),
            (
                fields(&[
                    ("hash", "00"),
                    ("hash", "01"),
                    ("algo", "sha256_hmac"),
                    ("key", "password"),
                    ("answer", "{}"),
                ]),
                NotificationError::DuplicateField("hash"),
            ),
            (
                fields(&[
                    ("hash", "zz"),
                    ("algo", "sha256_hmac"),
                    ("key", "password"),
                    ("answer", "{}"),
                ]),
                NotificationError::BadSignature,
            ),
        ];
        for (form, expected) in cases {
            assert_eq!(verify(&FORM, &form, secret_for(&secret)), Err(expected));
        }
    }
}
