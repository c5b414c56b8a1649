//! Signed notifications an API posts to the merchant: find the signature (a form field, a
//! header, or one part of a structured header), rebuild what was signed (one form field, or a
//! template of the raw body and the timestamp), check the HMAC in constant time, check the
//! timestamp's age, and only then hand out the payload.
//!
//! The generated `verify` functions describe their notification with a [`SignedForm`] or a
//! [`SignedBody`] and a [`Mac`]; nothing here knows a vendor's field or header names.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_core::de::DeserializeOwned;

use super::config::Secret;
use super::redact::{printable, without_values};

/// The signing inverse, for tests (feature `test-util`).
#[cfg(feature = "test-util")]
#[path = "notification_sign.rs"]
pub mod sign;

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
    /// The algorithm and the encodings of the signature and of the keys.
    pub mac: Mac,
}

/// How a signature is computed and written: the HMAC's hash, how the received signature is
/// encoded, and how the configured secrets are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mac {
    /// The hash of the HMAC.
    pub hmac: Hmac,
    /// How the signature is written in the notification.
    pub encoding: Encoding,
    /// How the secrets are written where the merchant finds them.
    pub key_encoding: KeyEncoding,
}

/// The hash of an HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hmac {
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

/// How a signature is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// Two hex digits per byte, either case.
    Hex,
    /// Standard base64 (`+/`, padded).
    Base64,
}

/// How a secret is written: its text is the key, or it spells the key's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyEncoding {
    /// The secret's UTF-8 text is the key.
    Text,
    /// The secret is the key's bytes in hex.
    Hex,
    /// The secret is the key's bytes in standard base64.
    Base64,
}

/// One piece of what a [`SignedBody`] signs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// The raw body, byte for byte.
    Body,
    /// The timestamp part of the signature header, as received.
    Timestamp,
    /// Fixed text between the pieces (`.`).
    Text(&'static str),
}

/// A notification whose body is the payload, signed in a header.
#[derive(Debug, Clone, Copy)]
pub struct SignedBody {
    /// The header holding the signature (`Webhook-Signature`).
    pub header: &'static str,
    /// When the header is structured (`t=…,v1=…`), the name of the part holding the
    /// signature; several parts of that name may come (one per key during a rotation), and one
    /// must hold.
    pub part: Option<&'static str>,
    /// The part holding the time of signing, in seconds since the Unix epoch.
    pub timestamp_part: Option<&'static str>,
    /// What is signed, piece after piece.
    pub signed: &'static [Piece],
    /// How old (or how far in the future) the timestamp may be, in seconds.
    pub tolerance: Option<u64>,
    /// The algorithm and the encodings.
    pub mac: Mac,
}

/// Why a notification was refused. Nothing of the payload is parsed unless the signature
/// holds, and no secret appears in these errors.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotificationError {
    /// The body is not valid `application/x-www-form-urlencoded` text.
    MalformedForm(String),
    /// A field the notification must carry is absent.
    MissingField(&'static str),
    /// A field appears more than once, so it is unclear which value was signed.
    DuplicateField(&'static str),
    /// The notification names a signature algorithm this SDK does not accept.
    UnsupportedAlgorithm(String),
    /// The notification names a key this SDK does not know.
    UnknownKey(String),
    /// The notification was signed with a key the application did not configure.
    KeyNotConfigured(String),
    /// The secret configured for the key is unusable (empty or blank): anyone could sign
    /// with it, so every notification naming that key is refused.
    UnusableKey(KeyError),
    /// The header that carries the signature is absent.
    MissingHeader(&'static str),
    /// The signature header lacks a part it must carry.
    MissingPart(&'static str),
    /// The signature header names a part more than once where one value is expected.
    DuplicatePart(&'static str),
    /// The timestamp is not a number of seconds.
    BadTimestamp,
    /// The signature holds but was made longer ago than the tolerance allows: a replay.
    Expired {
        /// Seconds since signing.
        age: u64,
        /// Seconds allowed.
        tolerance: u64,
    },
    /// The signature holds but its timestamp is further in the future than the tolerance.
    FromTheFuture {
        /// Seconds ahead of the clock.
        ahead: u64,
        /// Seconds allowed.
        tolerance: u64,
    },
    /// The signature does not match the payload: the notification must be ignored.
    BadSignature,
    /// The signature holds but the payload does not decode into the expected type.
    Decode {
        /// JSON path where decoding failed.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// Why a secret cannot verify notifications. Returned where the secret is configured (the
/// generated `Keys` setters), and again by [`verify`] if an unusable secret got there anyway:
/// an HMAC key anyone can guess would make forged notifications verify.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The secret is the empty string (often an unset environment variable read with a
    /// default).
    Empty(String),
    /// The secret holds only whitespace.
    Blank(String),
    /// The secret starts or ends with whitespace or holds a control character, which no
    /// issued key does: usually a line break read with it from a file or a variable.
    Untrimmed(String),
    /// The key is written in hex and the secret is not hex.
    NotHex(String),
    /// The key is written in base64 and the secret is not standard padded base64.
    NotBase64(String),
}

/// Wraps `secret` for the signing key `key` if it can verify notifications: not empty, not
/// blank, no surrounding whitespace, no control character.
pub fn signing_key(key: &str, secret: impl Into<String>) -> Result<Secret, KeyError> {
    signing_key_as(key, secret, KeyEncoding::Text)
}

/// [`signing_key`] for a key written in `encoding`: the secret must also decode.
pub fn signing_key_as(
    key: &str,
    secret: impl Into<String>,
    encoding: KeyEncoding,
) -> Result<Secret, KeyError> {
    let secret = Secret::new(secret);
    key_bytes(key, &secret, encoding)?;
    Ok(secret)
}

/// The bytes of the HMAC key that `secret` spells, once checked usable.
fn key_bytes(key: &str, secret: &Secret, encoding: KeyEncoding) -> Result<Vec<u8>, KeyError> {
    check_key(key, secret)?;
    let text = secret.expose();
    match encoding {
        KeyEncoding::Text => Ok(text.as_bytes().to_vec()),
        KeyEncoding::Hex => decode_hex(text).ok_or_else(|| KeyError::NotHex(printable(key))),
        KeyEncoding::Base64 => {
            decode_base64(text).ok_or_else(|| KeyError::NotBase64(printable(key)))
        }
    }
}

fn check_key(key: &str, secret: &Secret) -> Result<(), KeyError> {
    let text = secret.expose();
    if text.is_empty() {
        Err(KeyError::Empty(printable(key)))
    } else if text.trim().is_empty() {
        Err(KeyError::Blank(printable(key)))
    } else if text.trim() != text || text.chars().any(char::is_control) {
        Err(KeyError::Untrimmed(printable(key)))
    } else {
        Ok(())
    }
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
                let hex = bytes.get(i + 1..i + 3).and_then(hex_byte).ok_or_else(|| {
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
/// `None` for names the spec does not list, `Some(None)` for listed but unset ones.
pub fn verify<'a>(
    form: &SignedForm,
    fields: &[(String, String)],
    secret_for: impl Fn(&str) -> Option<Option<&'a Secret>>,
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
    let secret = secret_for(key_name)
        .ok_or_else(|| NotificationError::UnknownKey(bounded(key_name)))?
        .ok_or_else(|| NotificationError::KeyNotConfigured(bounded(key_name)))?;
    // Fail closed even when an unusable secret was configured without the checked setters.
    let key = form.mac.key(key_name, secret)?;
    let received = required(fields, form.payload_field)?;
    let tag = form
        .mac
        .decode_tag(signature)
        .ok_or(NotificationError::BadSignature)?;
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

impl Mac {
    fn key(&self, name: &str, secret: &Secret) -> Result<ring::hmac::Key, KeyError> {
        let algorithm = match self.hmac {
            Hmac::Sha256 => ring::hmac::HMAC_SHA256,
            Hmac::Sha512 => ring::hmac::HMAC_SHA512,
        };
        Ok(ring::hmac::Key::new(
            algorithm,
            &key_bytes(name, secret, self.key_encoding)?,
        ))
    }

    fn decode_tag(&self, text: &str) -> Option<Vec<u8>> {
        match self.encoding {
            Encoding::Hex => decode_hex(text),
            Encoding::Base64 => decode_base64(text),
        }
    }
}

/// Checks the signature of a notification whose body is the payload, signed in a header, and
/// returns the body as text. `header` is the value of [`SignedBody::header`] (`None` when the
/// request has none); `now` is the clock the timestamp is checked against; `secrets` lists each
/// key's name with its secret when configured. The signature must hold for one configured
/// key (several are configured during a rotation). Nothing of the body is parsed before.
pub fn verify_body(
    scheme: &SignedBody,
    body: &[u8],
    header: Option<&str>,
    now: SystemTime,
    secrets: &[(&'static str, Option<&Secret>)],
) -> Result<String, NotificationError> {
    let header = header.ok_or(NotificationError::MissingHeader(scheme.header))?;
    let parts = structured(header);
    let signatures: Vec<&str> = match scheme.part {
        Some(name) => parts
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .collect(),
        None => vec![header.trim()],
    };
    if let (Some(name), true) = (scheme.part, signatures.is_empty()) {
        return Err(NotificationError::MissingPart(name));
    }
    let timestamp = match scheme.timestamp_part {
        Some(name) => {
            let mut values = parts.iter().filter(|(n, _)| *n == name).map(|(_, v)| *v);
            let value = values.next().ok_or(NotificationError::MissingPart(name))?;
            if values.next().is_some() {
                return Err(NotificationError::DuplicatePart(name));
            }
            let seconds = parse_seconds(value).ok_or(NotificationError::BadTimestamp)?;
            Some((value, seconds))
        }
        None => None,
    };
    let mut keys = Vec::new();
    for (name, secret) in secrets {
        if let Some(secret) = secret {
            keys.push(scheme.mac.key(name, secret)?);
        }
    }
    if keys.is_empty() {
        let first = secrets.first().map_or("", |(name, _)| name);
        return Err(NotificationError::KeyNotConfigured(bounded(first)));
    }
    let mut message = Vec::with_capacity(body.len() + 32);
    for piece in scheme.signed {
        match piece {
            Piece::Body => message.extend_from_slice(body),
            Piece::Timestamp => {
                message.extend_from_slice(timestamp.map_or("", |(text, _)| text).as_bytes());
            }
            Piece::Text(text) => message.extend_from_slice(text.as_bytes()),
        }
    }
    let tags: Vec<Vec<u8>> = signatures
        .iter()
        .filter_map(|s| scheme.mac.decode_tag(s))
        .collect();
    // `ring::hmac::verify` compares in constant time; every pair is tried so the time taken
    // does not say which key or which signature matched.
    let mut holds = false;
    for key in &keys {
        for tag in &tags {
            holds |= ring::hmac::verify(key, &message, tag).is_ok();
        }
    }
    if !holds {
        return Err(NotificationError::BadSignature);
    }
    if let (Some(tolerance), Some((_, signed_at))) = (scheme.tolerance, timestamp) {
        let now = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        if now > signed_at && now - signed_at > tolerance {
            return Err(NotificationError::Expired {
                age: now - signed_at,
                tolerance,
            });
        }
        if signed_at > now && signed_at - now > tolerance {
            return Err(NotificationError::FromTheFuture {
                ahead: signed_at - now,
                tolerance,
            });
        }
    }
    String::from_utf8(body.to_vec()).map_err(|_| NotificationError::Decode {
        path: String::new(),
        message: "the body is not UTF-8 text".into(),
    })
}

/// The `name=value` parts of a structured header (`t=1,v1=ab,v1=cd`), trimmed, in order.
fn structured(header: &str) -> Vec<(&str, &str)> {
    header
        .split(',')
        .filter_map(|part| part.split_once('='))
        .map(|(name, value)| (name.trim(), value.trim()))
        .collect()
}

/// Strict decimal seconds: ASCII digits only, at most 19 of them.
fn parse_seconds(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Strict standard base64: alphabet `A-Za-z0-9+/`, padded to a multiple of four, no space,
/// and no stray bits in the last symbol.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() % 4 != 0 {
        return None;
    }
    let value = |b: u8| -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let last = bytes.len() / 4 - 1;
    for (i, chunk) in bytes.chunks(4).enumerate() {
        let padding = chunk.iter().rev().take_while(|b| **b == b'=').count();
        if padding > 2 || (padding > 0 && i != last) {
            return None;
        }
        let mut bits = 0u32;
        for b in &chunk[..4 - padding] {
            bits = bits << 6 | value(*b)?;
        }
        bits <<= 6 * padding as u32;
        let decoded = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
        let keep = 3 - padding;
        if decoded[keep..].iter().any(|b| *b != 0) {
            return None;
        }
        out.extend_from_slice(&decoded[..keep]);
    }
    Some(out)
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

/// Decodes a verified payload, naming the JSON path on failure. The error keeps what was
/// expected, never the payload's value (it may be a card number or a name).
pub fn decode<T: DeserializeOwned>(payload: &str) -> Result<T, NotificationError> {
    super::json_path::decode(payload).map_err(|e| NotificationError::Decode {
        path: bounded(&e.path),
        message: without_values(&e.message),
    })
}

/// Strict hex: exactly two digits `0-9a-fA-F` per byte, nothing else (no sign, no space).
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() % 2 != 0 {
        return None;
    }
    bytes.chunks(2).map(hex_byte).collect()
}

/// The byte written as two hex digits, if `pair` is exactly that. `u8::from_str_radix`
/// is not used: it accepts a leading `+`.
fn hex_byte(pair: &[u8]) -> Option<u8> {
    let digit = |b: u8| char::from(b).to_digit(16);
    match pair {
        [high, low] => Some(u8::try_from(digit(*high)? << 4 | digit(*low)?).ok()?),
        _ => None,
    }
}

/// A value echoed in an error, cut short and with control characters escaped: a hostile
/// sender controls it, and it may end up in a log line.
fn bounded(text: &str) -> String {
    printable(&text.chars().take(64).collect::<String>())
}

impl fmt::Display for SignedForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of `{}` in `{}`",
            self.mac, self.payload_field, self.signature_field
        )
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hash = match self.hmac {
            Hmac::Sha256 => "HMAC-SHA256",
            Hmac::Sha512 => "HMAC-SHA512",
        };
        let encoding = match self.encoding {
            Encoding::Hex => "hex",
            Encoding::Base64 => "base64",
        };
        write!(f, "{hash} ({encoding})")
    }
}

impl fmt::Display for NotificationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MalformedForm(why) => {
                write!(f, "the notification body is not a valid form: {why}")
            }
            Self::MissingField(name) => write!(f, "the notification lacks the field `{name}`"),
            Self::DuplicateField(name) => {
                write!(
                    f,
                    "the notification carries the field `{name}` more than once"
                )
            }
            Self::UnsupportedAlgorithm(name) => {
                write!(f, "unsupported signature algorithm `{name}`")
            }
            Self::UnknownKey(key) => write!(f, "unknown signing key `{key}`"),
            Self::KeyNotConfigured(key) => {
                write!(f, "no secret is configured for the signing key `{key}`")
            }
            Self::UnusableKey(e) => fmt::Display::fmt(e, f),
            Self::MissingHeader(name) => write!(f, "the notification lacks the header `{name}`"),
            Self::MissingPart(name) => write!(f, "the signature header lacks the part `{name}`"),
            Self::DuplicatePart(name) => {
                write!(
                    f,
                    "the signature header carries the part `{name}` more than once"
                )
            }
            Self::BadTimestamp => {
                f.write_str("the signature's timestamp is not a number of seconds")
            }
            Self::Expired { age, tolerance } => write!(
                f,
                "the notification was signed {age} s ago, more than the {tolerance} s allowed"
            ),
            Self::FromTheFuture { ahead, tolerance } => write!(
                f,
                "the notification's timestamp is {ahead} s in the future, more than the {tolerance} s allowed"
            ),
            Self::BadSignature => {
                f.write_str("the notification's signature does not match its payload")
            }
            Self::Decode { path, message } => {
                write!(
                    f,
                    "the notification's payload does not decode at `{path}`: {message}"
                )
            }
        }
    }
}

impl std::error::Error for NotificationError {}

impl From<KeyError> for NotificationError {
    fn from(e: KeyError) -> Self {
        Self::UnusableKey(e)
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (key, why) = match self {
            Self::Empty(key) => (key, "is empty"),
            Self::Blank(key) => (key, "is only whitespace"),
            Self::Untrimmed(key) => (
                key,
                "starts or ends with whitespace or holds a control character; trim it where it is read",
            ),
            Self::NotHex(key) => (key, "is not hex"),
            Self::NotBase64(key) => (key, "is not base64"),
        };
        write!(f, "the secret for the signing key `{key}` {why}")
    }
}

impl std::error::Error for KeyError {}

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
        mac: Mac {
            hmac: Hmac::Sha256,
            encoding: Encoding::Hex,
            key_encoding: KeyEncoding::Text,
        },
    };

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    fn secret_for<'a>(secret: &'a Secret) -> impl Fn(&str) -> Option<Option<&'a Secret>> {
        move |name: &str| match name {
            "password" => Some(Some(secret)),
            "sha256_hmac" => Some(None),
            _ => None,
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

    fn hmac_hex(key: &str, payload: &str) -> String {
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key.as_bytes());
        ring::hmac::sign(&key, payload.as_bytes())
            .as_ref()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn signed_with(key: &str, key_name: &str) -> Vec<(String, String)> {
        let answer = r#"{"orderStatus":"PAID"}"#;
        fields(&[
            ("hash", &hmac_hex(key, answer)),
            ("algo", "sha256_hmac"),
            ("key", key_name),
            ("answer", answer),
        ])
    }

    #[test]
    fn unusable_secrets_are_refused_where_they_are_set() {
        let cases = [
            ("", KeyError::Empty("password".into())),
            (" ", KeyError::Blank("password".into())),
            ("\t\n", KeyError::Blank("password".into())),
            ("secret\n", KeyError::Untrimmed("password".into())),
            (" secret", KeyError::Untrimmed("password".into())),
            ("sec\u{0}ret", KeyError::Untrimmed("password".into())),
        ];
        for (secret, expected) in cases {
            assert_eq!(signing_key("password", secret), Err(expected), "{secret:?}");
        }
        assert_eq!(
            signing_key("password", "k3y").map(|s| s.expose().to_owned()),
            Ok("k3y".to_owned())
        );
    }

    #[test]
    fn a_forgery_signed_with_an_empty_key_fails_closed() {
        // A secret that bypassed the checked setter: verification still refuses it, whatever
        // the attacker signed with.
        for unusable in ["", "  ", "\n"] {
            let secret = Secret::new(unusable);
            let forged = signed_with(unusable, "password");
            let outcome = verify(&FORM, &forged, secret_for(&secret));
            assert!(
                matches!(outcome, Err(NotificationError::UnusableKey(_))),
                "{unusable:?}: {outcome:?}"
            );
        }
        let secret = Secret::new("k3y");
        assert_eq!(
            verify(&FORM, &signed_with("k3y", "password"), secret_for(&secret)),
            Ok(r#"{"orderStatus":"PAID"}"#.to_owned())
        );
        assert_eq!(
            verify(&FORM, &signed_with("", "password"), secret_for(&secret)),
            Err(NotificationError::BadSignature)
        );
    }

    #[test]
    fn hex_is_strict() {
        assert_eq!(decode_hex("00ffAB"), Some(vec![0, 255, 171]));
        for bad in ["+f", "+f00", "0x", " 0", "0 ", "-1", "", "abc", "é0"] {
            assert_eq!(decode_hex(bad), None, "{bad:?}");
        }
        for bad in ["a=%+f", "a=%-1", "a=% f", "a=%é"] {
            assert!(
                matches!(parse_form(bad), Err(NotificationError::MalformedForm(_))),
                "{bad:?}"
            );
        }
        // A signature with a sign in front is not the signature.
        let secret = Secret::new("k3y");
        let mut form = signed_with("k3y", "password");
        let hash = form[0].1.clone();
        form[0].1 = format!("+{}", &hash[1..]);
        assert_eq!(
            verify(&FORM, &form, secret_for(&secret)),
            Err(NotificationError::BadSignature)
        );
    }

    #[test]
    fn echoed_values_cannot_forge_log_lines() {
        let secret = Secret::new("k3y");
        let hostile = "x\n2026-11-30 INFO payment accepted\u{1b}[0m";
        let error = verify(&FORM, &signed_with("k3y", hostile), secret_for(&secret))
            .expect_err("unknown key");
        let shown = error.to_string();
        assert!(
            !shown.contains('\n') && !shown.contains('\u{1b}'),
            "{shown}"
        );
        assert!(shown.contains("x\\n2026"), "{shown}");
        let mut form = signed_with("k3y", "password");
        form[1].1 = hostile.to_owned();
        let shown = verify(&FORM, &form, secret_for(&secret))
            .expect_err("bad algorithm")
            .to_string();
        assert!(!shown.contains('\n'), "{shown}");
    }

    #[test]
    fn decode_errors_do_not_carry_the_payload() {
        #[derive(Debug, serde::Deserialize)]
        struct Card {
            #[allow(dead_code)]
            pan: String,
        }
        let error = decode::<Card>(r#"{"pan": 4970101234567893}"#).expect_err("a number");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("4970101234567893"), "{shown}");
        assert!(
            shown.contains("pan") && shown.contains("expected a string"),
            "{shown}"
        );
    }

    #[test]
    fn base64_is_strict() {
        assert_eq!(decode_base64("AP+r"), Some(vec![0, 255, 171]));
        assert_eq!(decode_base64("YQ=="), Some(b"a".to_vec()));
        assert_eq!(decode_base64("YWI="), Some(b"ab".to_vec()));
        for bad in [
            "", "YQ", "YQ=", "YR==", "Y===", "YQ==YQ==", "YQ-_", " YQ=", "YQ==\n", "é+r=",
        ] {
            assert_eq!(decode_base64(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn timestamps_are_plain_seconds() {
        assert_eq!(parse_seconds("1700000000"), Some(1_700_000_000));
        for bad in ["", "+1", "-1", " 1", "1.5", "0x10", "99999999999999999999"] {
            assert_eq!(parse_seconds(bad), None, "{bad:?}");
        }
    }
}
