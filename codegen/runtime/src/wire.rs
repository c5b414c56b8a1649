//! Interpretation of raw answers by the API's [`Framing`]: success decoding (the body, a key
//! of it, or an envelope), API error bodies by the error shape, content-type and size checks.
//! One interpreter for every API: what differs is data.

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Duration;

use serde_core::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::error::{ApiError, DecodeError, Error, FieldError};
use super::frame::{Framing, Response, WithoutCode, index, value_at};
use super::json_path;
use super::object::Key;
use super::redact::{Redactor, printable, without_values};

/// An answer read from the network (possibly cut at the size limit).
#[derive(Debug)]
pub(crate) struct RawResponse {
    /// The HTTP status.
    pub(crate) status: u16,
    /// The `Content-Type` header, when present (kept as received: read as text only when
    /// judged, without a copy when it is UTF-8).
    pub(crate) content_type: Option<reqwest::header::HeaderValue>,
    /// The `Retry-After` header in seconds, when present and valid.
    pub(crate) retry_after: Option<Duration>,
    /// The response headers the framing keeps, as (name as listed, raw value), in order.
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The body, or its first bytes when `too_large`.
    pub(crate) body: bytes::Bytes,
    /// The body was larger than the limit and was not read to the end.
    pub(crate) too_large: bool,
}

impl RawResponse {
    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The `Content-Type` header as text (read lossily when it is not UTF-8).
    fn content_type(&self) -> Option<Cow<'_, str>> {
        self.content_type
            .as_ref()
            .map(|value| String::from_utf8_lossy(value.as_bytes()))
    }
}

/// What the runtime needs to interpret answers of one client.
pub(crate) struct Interpreter<'a> {
    pub(crate) operation: &'static str,
    pub(crate) framing: Framing,
    pub(crate) redactor: &'a Redactor,
    pub(crate) max_response_bytes: usize,
}

/// Whether a `Content-Type` names JSON (`application/json` or `*/*+json`);
/// an absent header counts as JSON.
fn is_json_content_type(content_type: Option<&str>) -> bool {
    let Some(content_type) = content_type else {
        return true;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .as_bytes();
    // Compared ignoring ASCII case, as the lower-cased text would be.
    const APPLICATION: &[u8] = b"application/";
    const JSON_SUFFIX: &[u8] = b"+json";
    essence.eq_ignore_ascii_case(b"application/json")
        || (essence.len() >= APPLICATION.len()
            && essence.len() >= JSON_SUFFIX.len()
            && essence[..APPLICATION.len()].eq_ignore_ascii_case(APPLICATION)
            && essence[essence.len() - JSON_SUFFIX.len()..].eq_ignore_ascii_case(JSON_SUFFIX))
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// The raw value at a dotted path (`.` is `root`), without building any `Value` of the parts
/// not walked through; `None` when a step is not an object or lacks the key.
fn raw_at<'a>(root: &'a RawValue, path: &str) -> Option<&'a RawValue> {
    if path == "." {
        return Some(root);
    }
    let mut current = root;
    for segment in path.split('.') {
        current = match serde_json::from_str::<HashMap<Cow<'a, str>, &'a RawValue>>(current.get()) {
            Ok(object) => object.get(segment).copied()?,
            Err(_) => {
                let items: Vec<&'a RawValue> = serde_json::from_str(current.get()).ok()?;
                items.get(index(segment)?).copied()?
            }
        };
    }
    Some(current)
}

/// The top level of a framed success body, read in one pass by [`read_parts`].
struct Parts<'de, R> {
    /// The answer, decoded; `None` when the body has no answer key.
    answer: Option<R>,
    /// The top-level values that metadata paths start from, by key, in body order.
    kept: Vec<(Key<'de>, &'de RawValue)>,
}

/// Reads a success body of `framing` in one pass, decoding the answer as `R` where it stands
/// and keeping the top-level values the metadata paths start from. `None` unless the
/// body is one JSON object whose envelope status (when the framing has one) is present once
/// and is the success, whose answer key is present at most once and decodes as `R`; and
/// `None` for framings this pass does not cover (the whole body as answer, nested status or
/// answer paths, metadata reading the status or answer keys).
fn read_parts<'de, R: serde_core::Deserialize<'de>>(
    framing: &Framing,
    body: &'de [u8],
) -> Option<Parts<'de, R>> {
    let answer = framing.answer;
    if answer == "." || answer.contains('.') {
        return None;
    }
    let status = match &framing.envelope {
        Some(envelope) if envelope.field.contains('.') => return None,
        Some(envelope) => Some((envelope.field, envelope.success)),
        None => None,
    };
    let metadata = framing.metadata;
    let first = |path: &'static str| path.split('.').next().unwrap_or(path);
    if metadata
        .iter()
        .any(|p| first(p) == answer || status.is_some_and(|(field, _)| first(p) == field))
    {
        return None;
    }
    // JSON text is UTF-8 (RFC 8259): checked once over the whole body, which is much cheaper
    // than the string-by-string check of a byte reader.
    let body = std::str::from_utf8(body).ok()?;
    let mut de = serde_json::Deserializer::from_str(body);
    let parts = serde_core::Deserializer::deserialize_map(
        &mut de,
        PartsVisitor {
            answer,
            status,
            metadata,
            marker: std::marker::PhantomData,
        },
    )
    .ok()?;
    de.end().ok()?;
    Some(parts)
}

/// The visitor of [`read_parts`]; its errors only mean "not this way".
struct PartsVisitor<R> {
    answer: &'static str,
    status: Option<(&'static str, &'static str)>,
    metadata: &'static [&'static str],
    marker: std::marker::PhantomData<R>,
}

impl<'de, R: serde_core::Deserialize<'de>> serde_core::de::Visitor<'de> for PartsVisitor<R> {
    type Value = Parts<'de, R>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: serde_core::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<Self::Value, A::Error> {
        use serde_core::de::Error as _;
        let mut parts = Parts {
            answer: None,
            kept: Vec::new(),
        };
        let mut status_seen = false;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let key = key.0;
            if let Some((_, success)) = self.status.filter(|(field, _)| key == *field) {
                let status: Key<'de> = map.next_value()?;
                if status_seen || status.0 != success {
                    return Err(A::Error::custom("not a success"));
                }
                status_seen = true;
            } else if key == self.answer {
                if parts.answer.is_some() {
                    return Err(A::Error::custom("a second answer"));
                }
                parts.answer = Some(map.next_value::<R>()?);
            } else if self
                .metadata
                .iter()
                .any(|p| p.split('.').next() == Some(key.as_ref()))
            {
                parts
                    .kept
                    .push((Key(key), map.next_value::<&'de RawValue>()?));
            } else {
                map.next_value::<serde_core::de::IgnoredAny>()?;
            }
        }
        if self.status.is_some() && !status_seen {
            return Err(A::Error::custom("no status"));
        }
        Ok(parts)
    }
}

/// Why an error body gave no API error: the path of the code that was looked for.
struct NoCode(String);

impl Interpreter<'_> {
    /// Decodes a final answer (any status that the retry loop did not keep), with the HTTP
    /// status, the envelope's metadata and the kept headers.
    pub(crate) fn decode_response<R: DeserializeOwned>(
        &self,
        raw: &RawResponse,
    ) -> Result<Response<R>, Error> {
        if !raw.is_success() {
            return Err(self.failure(raw));
        }
        let framing = self.framing;
        let (value, metadata) =
            if framing.envelope.is_none() && framing.answer == "." && framing.metadata.is_empty() {
                (self.decode_body(raw)?, Map::new())
            } else {
                self.decode_framed(raw)?
            };
        Ok(Response {
            value,
            http_status: raw.status,
            metadata,
            headers: raw
                .headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), self.redactor.redact(value)))
                .collect(),
        })
    }

    /// The error for an answer that is not a success: [`Error::Api`] when the
    /// body is the API's error shape, [`Error::UnexpectedStatus`] otherwise.
    pub(crate) fn failure(&self, raw: &RawResponse) -> Error {
        let unexpected = || Error::UnexpectedStatus {
            operation: self.operation,
            status: raw.status,
            excerpt: self.redactor.excerpt(&raw.body),
        };
        let shape = &self.framing.errors;
        if !shape.statuses.is_empty() && !shape.statuses.contains(&raw.status) {
            return unexpected();
        }
        if raw.too_large || !is_json_content_type(raw.content_type().as_deref()) {
            return unexpected();
        }
        let Ok(body @ Value::Object(_)) = serde_json::from_slice::<Value>(&raw.body) else {
            return unexpected();
        };
        if let Some(envelope) = &self.framing.envelope {
            let status = value_at(&body, Some(&body), envelope.field).and_then(Value::as_str);
            if status != Some(envelope.error) {
                return unexpected();
            }
        }
        match self.api_error(raw.status, &body) {
            Ok(api) => Error::from(api),
            Err(_) => unexpected(),
        }
    }

    fn decode_error(&self, path: String, message: &str, body: &[u8]) -> Error {
        Error::Decode(DecodeError {
            operation: self.operation,
            path: self.redactor.redact(&path),
            message: printable(&self.redactor.redact(message)),
            excerpt: self.redactor.excerpt(body),
        })
    }

    /// The checks common to every success body: size and content type.
    fn check_success_body(&self, raw: &RawResponse) -> Result<(), Error> {
        if raw.too_large {
            return Err(self.decode_error(
                ".".to_owned(),
                &format!(
                    "the answer is larger than the limit of {} bytes",
                    self.max_response_bytes
                ),
                &raw.body,
            ));
        }
        if !is_json_content_type(raw.content_type().as_deref()) {
            return Err(self.decode_error(
                ".".to_owned(),
                &format!(
                    "the answer is not JSON (Content-Type `{}`)",
                    raw.content_type().as_deref().unwrap_or("")
                ),
                &raw.body,
            ));
        }
        Ok(())
    }

    /// A body that is the answer, with nothing else kept.
    fn decode_body<R: DeserializeOwned>(&self, raw: &RawResponse) -> Result<R, Error> {
        if is_blank(&raw.body) && !raw.too_large {
            // An empty success body (e.g. 204) decodes as JSON `null`.
            return json_path::decode("null")
                .map_err(|e| self.decode_error(e.path, &without_values(&e.message), &raw.body));
        }
        self.check_success_body(raw)?;
        let text = self.utf8(&raw.body, &raw.body)?;
        json_path::decode(text)
            .map_err(|e| self.decode_error(e.path, &without_values(&e.message), &raw.body))
    }

    /// `text` (the answer's `body`, or what stands for it) as text: checked as UTF-8 once, not
    /// string by string; a failure is located ([`json_path`]) up to the first byte that is not
    /// UTF-8, and names that byte.
    fn utf8<'t>(&self, text: &'t [u8], body: &[u8]) -> Result<&'t str, Error> {
        std::str::from_utf8(text).map_err(|e| {
            let valid = std::str::from_utf8(&text[..e.valid_up_to()]).unwrap_or_default();
            self.decode_error(
                json_path::path_at(valid, valid.len()),
                &format!("the answer is not UTF-8 (byte {})", e.valid_up_to() + 1),
                body,
            )
        })
    }

    /// A success body with an envelope status, an answer under a key or metadata: one pass
    /// when that is enough ([`Interpreter::decode_in_one_pass`]), otherwise the general path.
    fn decode_framed<R: DeserializeOwned>(
        &self,
        raw: &RawResponse,
    ) -> Result<(R, Map<String, Value>), Error> {
        if !raw.too_large && is_json_content_type(raw.content_type().as_deref()) {
            if let Some(decoded) = self.decode_in_one_pass(&raw.body) {
                return Ok(decoded);
            }
        }
        self.decode_framed_general(raw)
    }

    /// The general path of [`Interpreter::decode_framed`], which also makes its errors: one
    /// pass that keeps the parts as raw text, then one typed pass over the answer.
    fn decode_framed_general<R: DeserializeOwned>(
        &self,
        raw: &RawResponse,
    ) -> Result<(R, Map<String, Value>), Error> {
        let framing = self.framing;
        let blank;
        let text: &[u8] = if is_blank(&raw.body) && !raw.too_large && framing.envelope.is_none() {
            // An empty success body (e.g. 204) is JSON `null`: no answer, no metadata.
            blank = b"null".to_vec();
            &blank
        } else {
            self.check_success_body(raw)?;
            &raw.body
        };
        // Text that is not JSON is located as the typed path locates it.
        let text = self.utf8(text, &raw.body)?;
        let root: &RawValue = serde_json::from_str(text).map_err(|e| {
            self.decode_error(
                json_path::path_of(text, &e),
                &without_values(&e.to_string()),
                &raw.body,
            )
        })?;
        if let Some(envelope) = &framing.envelope {
            let status = raw_at(root, envelope.field)
                .and_then(|s| serde_json::from_str::<Value>(s.get()).ok());
            match status.as_ref().and_then(Value::as_str) {
                Some(s) if s == envelope.success => {}
                Some(s) if s == envelope.error => {
                    let body = serde_json::from_str::<Value>(root.get()).unwrap_or(Value::Null);
                    return Err(match self.api_error(raw.status, &body) {
                        Ok(api) => Error::from(api),
                        Err(NoCode(path)) => self.decode_error(
                            path,
                            &format!("an {} answer without an error code", envelope.error),
                            &raw.body,
                        ),
                    });
                }
                Some(other) => {
                    return Err(self.decode_error(
                        envelope.field.to_owned(),
                        &format!(
                            "unknown envelope status `{other}`, expected {} or {}",
                            envelope.success, envelope.error
                        ),
                        &raw.body,
                    ));
                }
                None => {
                    return Err(self.decode_error(
                        envelope.field.to_owned(),
                        &format!(
                            "missing envelope status, expected {} or {}",
                            envelope.success, envelope.error
                        ),
                        &raw.body,
                    ));
                }
            }
        }
        let mut metadata = Map::new();
        for path in framing.metadata {
            if let Some(value) =
                raw_at(root, path).and_then(|v| serde_json::from_str::<Value>(v.get()).ok())
            {
                metadata.insert((*path).to_owned(), self.redactor.redact_value(&value));
            }
        }
        let answer = raw_at(root, framing.answer).map_or("null", RawValue::get);
        let prefix = (framing.answer != ".").then_some(framing.answer);
        let value = json_path::decode(answer).map_err(|e| {
            self.decode_error(
                json_path::under(prefix, &e.path),
                &without_values(&e.message),
                &raw.body,
            )
        })?;
        Ok((value, metadata))
    }

    /// The success path of [`Interpreter::decode_framed`] in one pass over the body: the
    /// envelope status, the answer decoded as `R` where it stands, and the top-level values
    /// the metadata paths start from, kept as raw text. `None` whenever that pass is not
    /// enough (nested status or answer paths, a status that is not the success, a duplicate
    /// status or answer key, an answer that does not decode, trailing text, …): the caller
    /// then runs the general path, which gives the same success or the located error.
    fn decode_in_one_pass<R: DeserializeOwned>(
        &self,
        text: &[u8],
    ) -> Option<(R, Map<String, Value>)> {
        let framing = self.framing;
        let parts: Parts<'_, R> = read_parts(&framing, text)?;
        let mut metadata = Map::new();
        for path in framing.metadata {
            let (first, rest) = match path.split_once('.') {
                Some((first, rest)) => (first, Some(rest)),
                None => (*path, None),
            };
            // The last of duplicate keys wins, as in the general path.
            let Some(top) = parts.kept.iter().rev().find(|(key, _)| key.0 == first) else {
                continue;
            };
            let at = match rest {
                None => Some(top.1),
                Some(rest) => raw_at(top.1, rest),
            };
            if let Some(value) = at.and_then(|v| serde_json::from_str::<Value>(v.get()).ok()) {
                metadata.insert((*path).to_owned(), self.redactor.redact_value(&value));
            }
        }
        let value = match parts.answer {
            Some(value) => value,
            None => serde_json::from_str("null").ok()?,
        };
        Some((value, metadata))
    }

    /// The API error of an error body, by the error shape. `Err` names the code's path when
    /// the body holds no code and the shape says such a body is no API error.
    fn api_error(&self, http_status: u16, body: &Value) -> Result<ApiError, NoCode> {
        let shape = &self.framing.errors;
        let error = value_at(body, Some(body), shape.at).filter(|e| e.is_object());
        let first = |paths: &[&str]| paths.iter().find_map(|p| text(value_at(body, error, p)));
        // An optional text the server fills with `null` (or the text "null") is absent.
        let optional = |paths: &[&str]| {
            first(paths)
                .filter(|t| t != "null")
                .map(|t| self.redactor.redact(&t))
        };
        let code = match first(shape.code) {
            Some(code) => code,
            None => match shape.without_code {
                WithoutCode::ApiError => String::new(),
                WithoutCode::UnexpectedStatus => {
                    let path = match (error, shape.code.first()) {
                        (None, _) | (_, None) => shape.at.to_owned(),
                        (Some(_), Some(code)) if code.starts_with("$.") => code[2..].to_owned(),
                        (Some(_), Some(code)) if shape.at == "." => (*code).to_owned(),
                        (Some(_), Some(code)) => format!("{}.{code}", shape.at),
                    };
                    return Err(NoCode(path));
                }
            },
        };
        let mut details = Vec::new();
        for path in shape.details {
            match value_at(body, error, path) {
                Some(Value::Array(items)) => details.extend(
                    items
                        .iter()
                        .filter_map(|item| text(Some(item)).or_else(|| non_null_json(item))),
                ),
                Some(item) => details.extend(text(Some(item)).or_else(|| non_null_json(item))),
                None => {}
            }
        }
        let field_errors = match &shape.field_errors {
            Some(shape) => {
                let items = match value_at(body, error, shape.at) {
                    Some(Value::Array(items)) => items.iter().collect(),
                    Some(item @ Value::Object(_)) => vec![item],
                    _ => Vec::new(),
                };
                items
                    .into_iter()
                    .filter_map(|item| {
                        let field = text(value_at(body, Some(item), shape.field))?;
                        let error =
                            text(value_at(body, Some(item), shape.error)).unwrap_or_default();
                        Some(FieldError {
                            field: self.redactor.redact(&field),
                            error: self.redactor.redact(&error),
                        })
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        Ok(ApiError {
            operation: self.operation,
            http_status,
            code: self.redactor.redact(&code),
            message: first(shape.message)
                .map(|m| self.redactor.redact(&m))
                .unwrap_or_default(),
            detailed_code: optional(shape.detailed_code),
            detailed_message: optional(shape.detailed_message),
            ticket: optional(shape.ticket),
            field_errors,
            details: details.iter().map(|d| self.redactor.redact(d)).collect(),
            body: self.redactor.redact_value(body),
        })
    }
}

/// A JSON string, number or boolean as text; `None` for null, absent,
/// arrays and objects.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Any non-null JSON value as compact JSON text.
fn non_null_json(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        other => serde_json::to_string(other).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::{Credentials, Protocol};
    use super::*;

    impl Interpreter<'_> {
        /// Decodes a final answer (any status that the retry loop did not keep)
        /// into `R`, or into the error it reports. (The client keeps the status and metadata
        /// too: [`Interpreter::decode_response`].)
        pub(crate) fn decode<R: DeserializeOwned>(&self, raw: &RawResponse) -> Result<R, Error> {
            self.decode_response(raw).map(|response| response.value)
        }
    }

    fn credentials() -> Credentials {
        Credentials::basic("user", "s3cr3t-pw")
    }

    fn raw(status: u16, content_type: Option<&str>, body: &str) -> RawResponse {
        RawResponse {
            status,
            content_type: content_type.map(|t| reqwest::header::HeaderValue::from_str(t).unwrap()),
            retry_after: None,
            headers: Vec::new(),
            body: body.as_bytes().to_vec().into(),
            too_large: false,
        }
    }

    fn interpreter(protocol: Protocol, redactor: &Redactor) -> Interpreter<'_> {
        Interpreter {
            operation: "Op",
            framing: *protocol.framing(),
            redactor,
            max_response_bytes: 1024,
        }
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Answer {
        id: String,
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Item {
        amount: i64,
    }

    #[test]
    fn content_types() {
        assert!(is_json_content_type(None));
        assert!(is_json_content_type(Some("application/json")));
        assert!(is_json_content_type(Some(
            "Application/JSON; charset=utf-8"
        )));
        assert!(is_json_content_type(Some("application/problem+json")));
        assert!(!is_json_content_type(Some("text/html")));
        assert!(!is_json_content_type(Some("text/json+html")));
        assert!(!is_json_content_type(Some("")));
        // Case, spaces and the suffix are judged as on the lower-cased, trimmed text.
        assert!(is_json_content_type(Some(" APPLICATION/Vnd.Api+JSON ;x=1")));
        assert!(is_json_content_type(Some("application/json\u{a0}")));
        for other in [
            "application/",
            "+json",
            "application+json",
            "application/jsonx",
            "é/+json",
        ] {
            assert!(!is_json_content_type(Some(other)), "{other}");
        }
        // A header that is not UTF-8 is read lossily.
        let mut raw = raw(200, None, "{}");
        raw.content_type = Some(
            reqwest::header::HeaderValue::from_bytes(b"application/json; charset=\xff").unwrap(),
        );
        assert_eq!(
            raw.content_type().as_deref(),
            Some("application/json; charset=\u{fffd}")
        );
        assert!(is_json_content_type(raw.content_type().as_deref()));
    }

    #[test]
    fn envelope_success_and_decode_path() {
        let r = Redactor::new(&credentials());
        let i = interpreter(Protocol::Envelope, &r);
        let ok = raw(
            200,
            Some("application/json"),
            r#"{"status":"SUCCESS","answer":{"id":"a","items":[{"amount":5}]},"extra":1}"#,
        );
        let answer: Answer = i.decode(&ok).unwrap();
        assert_eq!(answer.items, vec![Item { amount: 5 }]);

        let bad = raw(
            200,
            None,
            r#"{"status":"SUCCESS","answer":{"id":"a","items":[{"amount":5},{"amount":"x"}]}}"#,
        );
        match i.decode::<Answer>(&bad) {
            Err(Error::Decode(e)) => assert_eq!(e.path, "answer.items[1].amount"),
            other => panic!("{other:?}"),
        }
        let status = raw(200, None, r#"{"status":"MAYBE"}"#);
        match i.decode::<Answer>(&status) {
            Err(Error::Decode(e)) => assert_eq!(e.path, "status"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn envelope_error_without_code_is_a_decode_error() {
        let r = Redactor::new(&credentials());
        let i = interpreter(Protocol::Envelope, &r);
        let body = raw(
            200,
            None,
            r#"{"status":"ERROR","answer":{"errorMessage":"x"}}"#,
        );
        match i.decode::<Value>(&body) {
            Err(Error::Decode(e)) => assert_eq!(e.path, "answer.errorCode"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn envelope_error_on_401() {
        let r = Redactor::new(&credentials());
        let i = interpreter(Protocol::Envelope, &r);
        let body = raw(
            401,
            Some("application/json;charset=UTF-8"),
            r#"{"status":"ERROR","ticket":"t1","answer":{"errorCode":"INT_905","errorMessage":"invalid credentials s3cr3t-pw","detailedErrorCode":null,"detailedErrorMessage":null}}"#,
        );
        match i.decode::<Value>(&body) {
            Err(Error::Api(e)) => {
                assert_eq!(e.http_status, 401);
                assert_eq!(e.code, "INT_905");
                assert_eq!(e.message, "invalid credentials <redacted>");
                assert_eq!(e.ticket.as_deref(), Some("t1"));
                assert_eq!(e.detailed_code, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rest_empty_body_is_null() {
        let r = Redactor::new(&credentials());
        let i = interpreter(Protocol::Rest, &r);
        let empty = raw(204, Some("text/plain"), "");
        let _: serde_core::de::IgnoredAny = i.decode(&empty).unwrap();
        let none: Option<Answer> = i.decode(&empty).unwrap();
        assert_eq!(none, None);
        match i.decode::<Answer>(&empty) {
            Err(Error::Decode(e)) => assert_eq!(e.path, "."),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rest_trailing_garbage_is_refused() {
        let r = Redactor::new(&credentials());
        let i = interpreter(Protocol::Rest, &r);
        let body = raw(200, None, r#"{"id":"a","items":[]} x"#);
        assert!(matches!(i.decode::<Answer>(&body), Err(Error::Decode(_))));
    }

    #[test]
    fn rest_error_with_numeric_code_and_odd_details() {
        let r = Redactor::new(&credentials());
        let i = interpreter(Protocol::Rest, &r);
        let body = raw(
            400,
            None,
            r#"{"error":{"code":5068,"message":"bad","details":["d1",2,null,{"k":"v"}],"fieldErrors":[{"field":"a.b","error":"too big"},{"error":"no field"},"junk"]}}"#,
        );
        match i.decode::<Value>(&body) {
            Err(Error::Api(e)) => {
                assert_eq!(e.code, "5068");
                assert_eq!(e.details, vec!["d1", "2", r#"{"k":"v"}"#]);
                assert_eq!(
                    e.field_errors,
                    vec![FieldError {
                        field: "a.b".into(),
                        error: "too big".into()
                    }]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn failures_without_api_body_are_unexpected_status() {
        let r = Redactor::new(&credentials());
        for protocol in [Protocol::Rest, Protocol::Envelope] {
            let i = interpreter(protocol, &r);
            for body in [
                raw(502, Some("text/html"), "<html>bad gateway s3cr3t-pw</html>"),
                raw(500, None, "not json"),
                raw(404, None, "[]"),
                raw(400, None, r#"{"error":"flat"}"#),
                raw(400, None, r#"{"status":"SUCCESS","answer":{}}"#),
            ] {
                match i.decode::<Value>(&body) {
                    Err(Error::UnexpectedStatus {
                        status, excerpt, ..
                    }) => {
                        assert_eq!(status, body.status);
                        assert!(!excerpt.contains("s3cr3t"), "{excerpt}");
                    }
                    other => panic!("{protocol:?} {other:?}"),
                }
            }
        }
    }

    #[test]
    fn too_large_and_non_json_success_are_decode_errors() {
        let r = Redactor::new(&credentials());
        for protocol in [Protocol::Rest, Protocol::Envelope] {
            let i = interpreter(protocol, &r);
            let mut big = raw(200, None, "{\"a\":");
            big.too_large = true;
            match i.decode::<Value>(&big) {
                Err(Error::Decode(e)) => assert!(e.message.contains("larger"), "{e}"),
                other => panic!("{other:?}"),
            }
            let html = raw(200, Some("text/html"), "<html/>");
            match i.decode::<Value>(&html) {
                Err(Error::Decode(e)) => assert!(e.message.contains("not JSON"), "{e}"),
                other => panic!("{other:?}"),
            }
        }
    }

    use super::super::frame::{EnvelopeStatus, ErrorShape, FieldErrors};

    /// A problem-JSON API without codes (RFC 7807-like, `field` for one request field).
    static PROBLEM: Framing = Framing {
        answer: ".",
        envelope: None,
        metadata: &[],
        headers: &[],
        errors: ErrorShape {
            statuses: &[],
            at: ".",
            code: &[],
            message: &["detail"],
            detailed_code: &[],
            detailed_message: &["title"],
            ticket: &[],
            details: &[],
            field_errors: Some(FieldErrors {
                at: ".",
                field: "field",
                error: "detail",
            }),
            without_code: WithoutCode::ApiError,
        },
    };

    /// An API with a code, a list of codes and a request id, on 422 only.
    static TYPED: Framing = Framing {
        answer: ".",
        envelope: None,
        metadata: &[],
        headers: &[],
        errors: ErrorShape {
            statuses: &[400, 422],
            at: ".",
            code: &["error_type"],
            message: &[],
            detailed_code: &[],
            detailed_message: &[],
            ticket: &["request_id"],
            details: &["error_codes"],
            field_errors: None,
            without_code: WithoutCode::UnexpectedStatus,
        },
    };

    /// An envelope with metadata, whose malformed ERROR answers are API errors.
    static ENVELOPE_KEPT: Framing = Framing {
        answer: "answer",
        envelope: Some(EnvelopeStatus {
            field: "status",
            success: "SUCCESS",
            error: "ERROR",
        }),
        metadata: &["ticket", "serverDate", "meta.deep"],
        headers: &[],
        errors: ErrorShape {
            without_code: WithoutCode::ApiError,
            ..Framing::ENVELOPE.errors
        },
    };

    /// The answer under a key.
    static KEYED: Framing = Framing {
        answer: "data",
        envelope: None,
        metadata: &["request_id"],
        headers: &[],
        errors: Framing::REST.errors,
    };

    fn framed<'a>(framing: &'static Framing, redactor: &'a Redactor) -> Interpreter<'a> {
        Interpreter {
            operation: "Op",
            framing: *framing,
            redactor,
            max_response_bytes: 1024,
        }
    }

    fn api(result: Result<Value, Error>) -> ApiError {
        match result {
            Err(Error::Api(e)) => *e,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn problem_json_without_code_is_an_api_error_with_every_field() {
        let r = Redactor::new(&credentials());
        let i = framed(&PROBLEM, &r);
        let body = raw(
            422,
            Some("application/hal+json"),
            r#"{"status":422,"title":"Unprocessable Entity","detail":"The amount is too low s3cr3t-pw","field":"amount.value","_links":{"documentation":{"href":"https://docs.example/errors","type":"text/html"}}}"#,
        );
        let e = api(i.decode::<Value>(&body));
        assert_eq!(e.code, "");
        assert_eq!(e.http_status, 422);
        assert_eq!(e.message, "The amount is too low <redacted>");
        assert_eq!(e.detailed_message.as_deref(), Some("Unprocessable Entity"));
        assert_eq!(
            e.field_errors,
            vec![FieldError {
                field: "amount.value".into(),
                error: "The amount is too low <redacted>".into()
            }]
        );
        assert_eq!(
            e.body["_links"]["documentation"]["href"],
            "https://docs.example/errors"
        );
        assert_eq!(e.body["status"], 422);
        assert!(!e.body.to_string().contains("s3cr3t"));
        // Not JSON, or not an object: not this shape.
        for other in [
            raw(503, Some("text/html"), "<html/>"),
            raw(500, None, "[1]"),
        ] {
            assert!(matches!(
                i.decode::<Value>(&other),
                Err(Error::UnexpectedStatus { .. })
            ));
        }
    }

    #[test]
    fn code_list_and_statuses() {
        let r = Redactor::new(&credentials());
        let i = framed(&TYPED, &r);
        let body = raw(
            422,
            None,
            r#"{"request_id":"0HL80RJLS76I7","error_type":"request_invalid","error_codes":["payment_source_required","amount_invalid"]}"#,
        );
        let e = api(i.decode::<Value>(&body));
        assert_eq!(e.code, "request_invalid");
        assert_eq!(e.ticket.as_deref(), Some("0HL80RJLS76I7"));
        assert_eq!(e.details, vec!["payment_source_required", "amount_invalid"]);
        // 401 with an empty body, and a status the shape does not list, stay unexpected.
        for other in [
            raw(401, None, ""),
            raw(404, None, r#"{"error_type":"x"}"#),
            raw(422, None, r#"{"request_id":"r"}"#),
        ] {
            assert!(
                matches!(
                    i.decode::<Value>(&other),
                    Err(Error::UnexpectedStatus { .. })
                ),
                "{:?}",
                other.body
            );
        }
    }

    #[test]
    fn hostile_error_bodies_never_panic_and_keep_their_shape() {
        let r = Redactor::new(&credentials());
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        let deep_object = format!(
            r#"{{"error_type":"x","n":{}1{}}}"#,
            "[".repeat(100),
            "]".repeat(100)
        );
        let huge = format!(
            r#"{{"error_type":"{}","error_codes":[{}]}}"#,
            "e".repeat(100_000),
            vec!["\"c\""; 10_000].join(",")
        );
        let i = framed(&TYPED, &r);
        assert!(matches!(
            i.decode::<Value>(&raw(422, None, &deep)),
            Err(Error::UnexpectedStatus { .. })
        ));
        let e = api(i.decode::<Value>(&raw(422, None, &deep_object)));
        assert_eq!(e.code, "x");
        let e = api(i.decode::<Value>(&raw(422, None, &huge)));
        assert_eq!(e.details.len(), 10_000);
        // A number as code, objects and arrays where texts are expected.
        let e = api(i.decode::<Value>(&raw(
            422,
            None,
            r#"{"error_type":42,"request_id":{"a":1},"error_codes":{"not":"a list"}}"#,
        )));
        assert_eq!(e.code, "42");
        assert_eq!(e.ticket, None);
        assert_eq!(e.details, vec![r#"{"not":"a list"}"#]);
        // A code that is an object is no code.
        assert!(matches!(
            i.decode::<Value>(&raw(422, None, r#"{"error_type":["x"]}"#)),
            Err(Error::UnexpectedStatus { .. })
        ));
        let mut cut = raw(422, None, r#"{"error_type":"x""#);
        cut.too_large = true;
        assert!(matches!(
            i.decode::<Value>(&cut),
            Err(Error::UnexpectedStatus { .. })
        ));
        // The problem shape with arrays where objects are expected.
        let p = framed(&PROBLEM, &r);
        let e = api(p.decode::<Value>(&raw(400, None, r#"{"field":["a"],"detail":{"x":1}}"#)));
        assert_eq!((e.message.as_str(), e.field_errors.len()), ("", 0));
    }

    #[test]
    fn a_malformed_error_envelope_is_an_api_error_when_the_shape_says_so() {
        let r = Redactor::new(&credentials());
        let i = framed(&ENVELOPE_KEPT, &r);
        for body in [
            r#"{"status":"ERROR","answer":{"errorMessage":"x"},"ticket":"null"}"#,
            r#"{"status":"ERROR","answer":"broken"}"#,
            r#"{"status":"ERROR"}"#,
        ] {
            let e = api(i.decode::<Value>(&raw(200, None, body)));
            assert_eq!(
                (e.code.as_str(), e.http_status, e.ticket.clone()),
                ("", 200, None)
            );
            assert_eq!(e.body["status"], "ERROR");
        }
        let e = api(i.decode::<Value>(&raw(
            200,
            None,
            r#"{"status":"ERROR","ticket":null,"answer":{"errorCode":"PSP_010","detailedErrorCode":"null","ticket":"t2"}}"#,
        )));
        assert_eq!(e.code, "PSP_010");
        assert_eq!(e.detailed_code, None);
        assert_eq!(e.ticket.as_deref(), Some("t2"));
    }

    #[test]
    fn envelope_metadata_and_keyed_answers_are_kept() {
        let r = Redactor::new(&credentials());
        let i = framed(&ENVELOPE_KEPT, &r);
        let mut ok = raw(
            200,
            None,
            r#"{"status":"SUCCESS","ticket":"t9","serverDate":"2026-01-01T00:00:00+00:00","meta":{"deep":"s3cr3t-pw"},"answer":{"id":"a","items":[]}}"#,
        );
        ok.headers = vec![("X-Request-Id", "rq1".to_owned())];
        let response: Response<Answer> = i.decode_response(&ok).unwrap();
        assert_eq!(response.value.id, "a");
        assert_eq!(response.http_status, 200);
        assert_eq!(response.metadata("ticket"), Some(&Value::from("t9")));
        assert_eq!(
            response.metadata("serverDate"),
            Some(&Value::from("2026-01-01T00:00:00+00:00"))
        );
        assert_eq!(
            response.metadata("meta.deep"),
            Some(&Value::from("<redacted>"))
        );
        assert_eq!(response.header("x-request-id"), Some("rq1"));

        let k = framed(&KEYED, &r);
        let ok = raw(
            200,
            None,
            r#"{"request_id":"r","data":{"id":"b","items":[{"amount":"x"}]}}"#,
        );
        match k.decode::<Answer>(&ok) {
            Err(Error::Decode(e)) => assert_eq!(e.path, "data.items[0].amount"),
            other => panic!("{other:?}"),
        }
        let ok = raw(
            200,
            None,
            r#"{"request_id":"r","data":{"id":"b","items":[]}}"#,
        );
        let response: Response<Answer> = k.decode_response(&ok).unwrap();
        assert_eq!(
            (response.value.id.as_str(), response.metadata.len()),
            ("b", 1)
        );
        let none: Option<Answer> = k.decode(&raw(204, None, "")).unwrap();
        assert_eq!(none, None);
    }

    /// The general path's result, as comparable text.
    fn general(i: &Interpreter<'_>, body: &RawResponse) -> String {
        format!("{:?}", i.decode_framed_general::<Option<Answer>>(body))
    }

    #[test]
    fn a_body_that_is_not_utf8_is_a_decode_error_on_every_path() {
        let r = Redactor::new(&credentials());
        let bytes = |body: &[u8]| RawResponse {
            body: body.to_vec().into(),
            ..raw(200, Some("application/json"), "")
        };
        // Not UTF-8 inside a string, in a key, and outside any string.
        let plain: [&[u8]; 3] = [
            b"{\"id\":\"a\xff\",\"items\":[]}",
            b"{\"i\xc3\":\"a\",\"items\":[]}",
            b"{\"id\":\"a\",\"items\":[]}\xff",
        ];
        let rest = interpreter(Protocol::Rest, &r);
        // Located at the value, the key's object, or the root, and the byte named.
        let at = [("id", 9), (".", 4), (".", 22)];
        for (body, (path, byte)) in plain.into_iter().zip(at) {
            match rest.decode::<Answer>(&bytes(body)) {
                Err(Error::Decode(e)) => {
                    assert_eq!(e.path, path);
                    assert_eq!(e.message, format!("the answer is not UTF-8 (byte {byte})"));
                }
                other => panic!("{other:?}"),
            }
        }
        let framed = framed(&ENVELOPE_KEPT, &r);
        for body in [
            &b"{\"status\":\"SUCCESS\",\"answer\":{\"id\":\"\xe9\",\"items\":[]}}"[..],
            b"{\"status\":\"SUCCESS\",\"ticket\":\"\xc0\xaf\",\"answer\":null}",
        ] {
            assert!(framed.decode_in_one_pass::<Option<Answer>>(body).is_none());
        }
        // The envelope's path is located as the plain one is, and the byte named.
        for (body, path, byte) in [
            (
                &b"{\"status\":\"SUCCESS\",\"answer\":{\"id\":\"\xe9\",\"items\":[]}}"[..],
                "answer.id",
                37,
            ),
            (
                b"{\"status\":\"SUCCESS\",\"ticket\":\"\xc0\xaf\",\"answer\":null}",
                "ticket",
                31,
            ),
        ] {
            match framed.decode::<Option<Answer>>(&bytes(body)) {
                Err(Error::Decode(e)) => {
                    assert_eq!(e.path, path);
                    assert_eq!(e.message, format!("the answer is not UTF-8 (byte {byte})"));
                }
                other => panic!("{other:?}"),
            }
        }
        // The same bodies, valid, decode.
        let fine = bytes(b"{\"status\":\"SUCCESS\",\"answer\":{\"id\":\"\xc3\xa9\",\"items\":[]}}");
        let answer = framed.decode::<Option<Answer>>(&fine).unwrap();
        assert_eq!(answer.map(|a| a.id), Some("\u{e9}".to_owned()));
    }

    #[test]
    fn an_envelope_that_is_not_json_is_located_as_a_plain_answer_is() {
        let r = Redactor::new(&credentials());
        let framed = framed(&ENVELOPE_KEPT, &r);
        let plain = interpreter(Protocol::Rest, &r);
        for (body, path) in [
            // Broken inside the answer, in a metadata value, cut short, not JSON at all.
            (r#"{"status":"SUCCESS","answer":{"id":tru}}"#, "answer.id"),
            (
                r#"{"status":"SUCCESS","ticket":[1,},"answer":null}"#,
                "ticket[1]",
            ),
            (
                r#"{"status":"SUCCESS","answer":{"id":"a","items":["#,
                "answer.items",
            ),
            ("<html>", "."),
        ] {
            match framed.decode::<Option<Answer>>(&raw(200, None, body)) {
                Err(Error::Decode(e)) => assert_eq!(e.path, path, "{body}"),
                other => panic!("{body}: {other:?}"),
            }
        }
        // The same place as the plain path names for the same text.
        let body = r#"{"id":"a","items":[{"amount":1},]}"#;
        let located =
            |i: &Interpreter<'_>, body: &str| match i.decode::<Answer>(&raw(200, None, body)) {
                Err(Error::Decode(e)) => e.path,
                other => panic!("{other:?}"),
            };
        let wrapped = format!(r#"{{"status":"SUCCESS","answer":{body}}}"#);
        assert_eq!(
            format!("answer.{}", located(&plain, body)),
            match framed.decode::<Option<Answer>>(&raw(200, None, &wrapped)) {
                Err(Error::Decode(e)) => e.path,
                other => panic!("{other:?}"),
            }
        );
    }

    #[test]
    fn one_pass_decodes_envelopes_as_the_general_path_does_in_any_key_order() {
        let r = Redactor::new(&credentials());
        let i = framed(&ENVELOPE_KEPT, &r);
        for body in [
            r#"{"status":"SUCCESS","ticket":"t9","answer":{"id":"a","items":[{"amount":1}]}}"#,
            // The status after the answer, as a sorted encoder writes it.
            r#"{"answer":{"id":"a","items":[]},"meta":{"deep":"s3cr3t-pw","x":[1]},"serverDate":null,"status":"SUCCESS","ticket":"t9"}"#,
            // Escaped keys, a duplicate metadata key (the last wins), no answer at all.
            r#"{"st\u0061tus":"SUCCESS","ticket":"t1","ticket":"t2","\u0061nswer":{"id":"\"q\"","items":[]}}"#,
            r#"{"status":"SUCCESS","meta":"not an object","ticket":{"a":[1,2]}}"#,
            r#" {"status":"SUCCESS","answer":null} "#,
        ] {
            let raw = raw(200, None, body);
            let fast = i.decode_in_one_pass::<Option<Answer>>(&raw.body);
            assert!(fast.is_some(), "{body}");
            assert_eq!(
                format!("{:?}", fast.map(Ok::<_, Error>)),
                format!(
                    "{:?}",
                    Some(i.decode_framed_general::<Option<Answer>>(&raw))
                ),
                "{body}"
            );
        }
        // The kept top-level values are only those metadata paths start from.
        let parts = read_parts::<serde_core::de::IgnoredAny>(
            &ENVELOPE_KEPT,
            br#"{"status":"SUCCESS","other":[1,2],"meta":{"deep":1},"answer":{}}"#,
        )
        .map(|p| {
            p.kept
                .iter()
                .map(|(k, v)| format!("{}={}", k.0, v.get()))
                .collect::<Vec<_>>()
        });
        assert_eq!(parts, Some(vec![r#"meta={"deep":1}"#.to_owned()]));
    }

    #[test]
    fn one_pass_leaves_what_it_cannot_vouch_for_to_the_general_path() {
        let r = Redactor::new(&credentials());
        let i = framed(&ENVELOPE_KEPT, &r);
        for body in [
            // A later duplicate status or answer wins in the general path.
            r#"{"status":"SUCCESS","answer":{"id":"a","items":[]},"status":"ERROR"}"#,
            r#"{"status":"SUCCESS","answer":{"id":"a","items":[]},"answer":{"id":"b","items":[]}}"#,
            r#"{"status":"ERROR","answer":{"errorCode":"PSP_999"}}"#,
            r#"{"status":"OTHER","answer":{"id":"a","items":[]}}"#,
            r#"{"status":1,"answer":{"id":"a","items":[]}}"#,
            r#"{"answer":{"id":"a","items":[]}}"#,
            r#"{"status":"SUCCESS","answer":{"id":"a","items":[]}} x"#,
            r#"[{"status":"SUCCESS"}]"#,
            "",
        ] {
            let raw = raw(200, None, body);
            assert!(
                i.decode_in_one_pass::<Option<Answer>>(&raw.body).is_none(),
                "{body}"
            );
            let decoded = i
                .decode_response::<Option<Answer>>(&raw)
                .map(|r| (r.value, r.metadata));
            assert_eq!(format!("{decoded:?}"), general(&i, &raw), "{body}");
        }
        // An answer that does not decode as `R`: the general path names where.
        let bad = raw(
            200,
            None,
            r#"{"status":"SUCCESS","answer":{"id":"a","items":[{"amount":"x"}]}}"#,
        );
        assert!(i.decode_in_one_pass::<Option<Answer>>(&bad.body).is_none());
        match i.decode::<Option<Answer>>(&bad) {
            Err(Error::Decode(e)) => assert_eq!(e.path, "answer.items[0].amount"),
            other => panic!("{other:?}"),
        }
        // Framings the pass does not cover.
        let nested = Framing {
            envelope: Some(EnvelopeStatus {
                field: "result.status",
                success: "SUCCESS",
                error: "ERROR",
            }),
            ..ENVELOPE_KEPT
        };
        let body = br#"{"result":{"status":"SUCCESS"},"answer":{"id":"a","items":[]}}"#;
        assert!(read_parts::<serde_core::de::IgnoredAny>(&nested, body).is_none());
        let reads_status = Framing {
            metadata: &["status"],
            ..ENVELOPE_KEPT
        };
        let body = br#"{"status":"SUCCESS","answer":{"id":"a","items":[]}}"#;
        assert!(read_parts::<serde_core::de::IgnoredAny>(&reads_status, body).is_none());
        assert!(read_parts::<serde_core::de::IgnoredAny>(&ENVELOPE_KEPT, body).is_some());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 1000, failure_persistence: None, ..proptest::prelude::ProptestConfig::default()
        })]

        /// Whatever the keys, their order and duplicates, a body decodes as the general path
        /// decodes it: the same answer and metadata, or the same error.
        #[test]
        fn one_pass_agrees_with_the_general_path(
            picks in proptest::collection::vec(0usize..12, 0..7),
        ) {
            const PIECES: [&str; 12] = [
                r#""status":"SUCCESS""#,
                r#""status":"ERROR""#,
                r#""status":3"#,
                r#""answer":{"id":"a","items":[{"amount":2}]}"#,
                r#""answer":{"id":"b","items":[{"amount":"2"}]}"#,
                r#""answer":{"errorCode":"PSP_999","errorMessage":"m"}"#,
                r#""answer":null"#,
                r#""ticket":"t""#,
                r#""meta":{"deep":"s3cr3t-pw"}"#,
                r#""serverDate":[1,{"a":null}]"#,
                r#""status":"SUCCESS""#,
                r#""other":{"status":"ERROR"}"#,
            ];
            let body = format!(
                "{{{}}}",
                picks.iter().map(|p| PIECES[*p]).collect::<Vec<_>>().join(",")
            );
            let r = Redactor::new(&credentials());
            let i = framed(&ENVELOPE_KEPT, &r);
            let raw = raw(200, None, &body);
            let decoded = i.decode_response::<Option<Answer>>(&raw).map(|r| (r.value, r.metadata));
            proptest::prop_assert_eq!(format!("{decoded:?}"), general(&i, &raw));
        }
    }
}
