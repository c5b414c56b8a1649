//! Interpretation of raw answers for each [`Protocol`]: success decoding,
//! API error bodies, content-type and size checks.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::config::Protocol;
use super::error::{ApiError, DecodeError, Error, FieldError};
use super::redact::{Redactor, printable, without_values};

/// An answer read from the network (possibly cut at the size limit).
#[derive(Debug)]
pub(crate) struct RawResponse {
    /// The HTTP status.
    pub(crate) status: u16,
    /// The `Content-Type` header, when present.
    pub(crate) content_type: Option<String>,
    /// The `Retry-After` header in seconds, when present and valid.
    pub(crate) retry_after: Option<Duration>,
    /// The body, or its first bytes when `too_large`.
    pub(crate) body: Vec<u8>,
    /// The body was larger than the limit and was not read to the end.
    pub(crate) too_large: bool,
}

impl RawResponse {
    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// What the runtime needs to interpret answers of one client.
pub(crate) struct Interpreter<'a> {
    pub(crate) operation: &'static str,
    pub(crate) protocol: Protocol,
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
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn is_blank(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace)
}

/// The envelope with its answer left unparsed. Unknown fields are ignored; a `status` that is
/// not a string is reported as missing.
#[derive(serde::Deserialize)]
struct EnvelopeHead<'a> {
    #[serde(default, borrow, deserialize_with = "text_or_none")]
    status: Option<std::borrow::Cow<'a, str>>,
    #[serde(default, borrow)]
    answer: Option<&'a serde_json::value::RawValue>,
}

fn text_or_none<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<std::borrow::Cow<'de, str>>, D::Error> {
    let value: Value = serde::Deserialize::deserialize(deserializer)?;
    Ok(match value {
        Value::String(text) => Some(std::borrow::Cow::Owned(text)),
        _ => None,
    })
}

impl Interpreter<'_> {
    /// Decodes a final answer (any status that the retry loop did not keep)
    /// into `R`, or into the error it reports.
    pub(crate) fn decode<R: DeserializeOwned>(&self, raw: &RawResponse) -> Result<R, Error> {
        if !raw.is_success() {
            return Err(self.failure(raw));
        }
        match self.protocol {
            Protocol::Rest => self.decode_rest(raw),
            Protocol::Envelope => self.decode_envelope(raw),
        }
    }

    /// The error for an answer that is not a success: [`Error::Api`] when the
    /// body is the API's error shape, [`Error::UnexpectedStatus`] otherwise.
    pub(crate) fn failure(&self, raw: &RawResponse) -> Error {
        let unexpected = || Error::UnexpectedStatus {
            operation: self.operation,
            status: raw.status,
            excerpt: self.redactor.excerpt(&raw.body),
        };
        if raw.too_large || !is_json_content_type(raw.content_type.as_deref()) {
            return unexpected();
        }
        let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&raw.body) else {
            return unexpected();
        };
        let api = match self.protocol {
            Protocol::Envelope => match body.get("status").and_then(Value::as_str) {
                Some("ERROR") => self.envelope_error(raw.status, &body).ok(),
                _ => None,
            },
            Protocol::Rest => self.rest_error(raw.status, &body),
        };
        match api {
            Some(api) => Error::from(api),
            None => unexpected(),
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
        if !is_json_content_type(raw.content_type.as_deref()) {
            return Err(self.decode_error(
                ".".to_owned(),
                &format!(
                    "the answer is not JSON (Content-Type `{}`)",
                    raw.content_type.as_deref().unwrap_or("")
                ),
                &raw.body,
            ));
        }
        Ok(())
    }

    fn decode_rest<R: DeserializeOwned>(&self, raw: &RawResponse) -> Result<R, Error> {
        if is_blank(&raw.body) && !raw.too_large {
            // An empty success body (e.g. 204) decodes as JSON `null`.
            return serde_path_to_error::deserialize(Value::Null).map_err(|e| {
                self.decode_error(
                    render_path(None, e.path()),
                    &without_values(&e.inner().to_string()),
                    &raw.body,
                )
            });
        }
        self.check_success_body(raw)?;
        // Fast path first; a failure is decoded again with `serde_path_to_error` to name the
        // JSON path (or reported as trailing garbage when the value itself decodes).
        if let Ok(value) = serde_json::from_slice::<R>(&raw.body) {
            return Ok(value);
        }
        let mut de = serde_json::Deserializer::from_slice(&raw.body);
        let value: R = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            self.decode_error(
                render_path(None, e.path()),
                &without_values(&e.inner().to_string()),
                &raw.body,
            )
        })?;
        de.end().map_err(|e| {
            self.decode_error(".".to_owned(), &without_values(&e.to_string()), &raw.body)
        })?;
        Ok(value)
    }

    fn decode_envelope<R: DeserializeOwned>(&self, raw: &RawResponse) -> Result<R, Error> {
        self.check_success_body(raw)?;
        // One pass over the envelope that keeps `answer` as raw text, then one typed pass over
        // the answer: no intermediate `Value` for the (usual) SUCCESS case.
        let head: EnvelopeHead<'_> = serde_json::from_slice(&raw.body).map_err(|e| {
            self.decode_error(".".to_owned(), &without_values(&e.to_string()), &raw.body)
        })?;
        match head.status.as_deref() {
            Some("SUCCESS") => {
                let answer = head.answer.map_or("null", |a| a.get());
                // The fast path decodes without tracking where it is; only a failure is decoded
                // again with `serde_path_to_error`, to name the JSON path.
                serde_json::from_str(answer).map_err(|_| {
                    let mut de = serde_json::Deserializer::from_str(answer);
                    match serde_path_to_error::deserialize::<_, R>(&mut de) {
                        Err(e) => self.decode_error(
                            render_path(Some("answer"), e.path()),
                            &without_values(&e.inner().to_string()),
                            &raw.body,
                        ),
                        Ok(_) => self.decode_error(
                            "answer".to_owned(),
                            "the answer does not decode",
                            &raw.body,
                        ),
                    }
                })
            }
            Some("ERROR") => {
                let envelope = match serde_json::from_slice::<Value>(&raw.body) {
                    Ok(Value::Object(envelope)) => envelope,
                    _ => Map::new(),
                };
                match self.envelope_error(raw.status, &envelope) {
                    Ok(api) => Err(Error::from(api)),
                    Err(path) => Err(self.decode_error(
                        path.to_owned(),
                        "an ERROR answer without an error code",
                        &raw.body,
                    )),
                }
            }
            Some(other) => Err(self.decode_error(
                "status".to_owned(),
                &format!("unknown envelope status `{other}`, expected SUCCESS or ERROR"),
                &raw.body,
            )),
            None => Err(self.decode_error(
                "status".to_owned(),
                "missing envelope status, expected SUCCESS or ERROR",
                &raw.body,
            )),
        }
    }

    /// The API error of an ERROR envelope; `Err` names the missing field.
    fn envelope_error(
        &self,
        http_status: u16,
        envelope: &Map<String, Value>,
    ) -> Result<ApiError, &'static str> {
        let Some(Value::Object(answer)) = envelope.get("answer") else {
            return Err("answer");
        };
        let code = text(answer.get("errorCode")).ok_or("answer.errorCode")?;
        let ticket = text(envelope.get("ticket")).or_else(|| text(answer.get("ticket")));
        Ok(ApiError {
            operation: self.operation,
            http_status,
            code: self.redactor.redact(&code),
            message: self
                .redact_opt(text(answer.get("errorMessage")))
                .unwrap_or_default(),
            detailed_code: self.redact_opt(text(answer.get("detailedErrorCode"))),
            detailed_message: self.redact_opt(text(answer.get("detailedErrorMessage"))),
            ticket: self.redact_opt(ticket),
            field_errors: Vec::new(),
            details: Vec::new(),
        })
    }

    /// The API error of a REST failure body `{"error": {...}}`.
    fn rest_error(&self, http_status: u16, body: &Map<String, Value>) -> Option<ApiError> {
        let Some(Value::Object(error)) = body.get("error") else {
            return None;
        };
        let code = text(error.get("code"))?;
        let details = match error.get("details") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| text(Some(item)).or_else(|| non_null_json(item)))
                .map(|d| self.redactor.redact(&d))
                .collect(),
            _ => Vec::new(),
        };
        let field_errors = match error.get("fieldErrors") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| {
                    let field = text(item.get("field"))?;
                    let error = text(item.get("error")).unwrap_or_default();
                    Some(FieldError {
                        field: self.redactor.redact(&field),
                        error: self.redactor.redact(&error),
                    })
                })
                .collect(),
            _ => Vec::new(),
        };
        Some(ApiError {
            operation: self.operation,
            http_status,
            code: self.redactor.redact(&code),
            message: self
                .redact_opt(text(error.get("message")))
                .unwrap_or_default(),
            detailed_code: None,
            detailed_message: None,
            ticket: None,
            field_errors,
            details,
        })
    }

    fn redact_opt(&self, text: Option<String>) -> Option<String> {
        text.map(|t| self.redactor.redact(&t))
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

/// A serde_path_to_error path as text, with an optional prefix; `.` for the
/// root.
fn render_path(prefix: Option<&str>, path: &serde_path_to_error::Path) -> String {
    let is_root = path.iter().next().is_none();
    match (prefix, is_root) {
        (None, true) => ".".to_owned(),
        (None, false) => path.to_string(),
        (Some(prefix), true) => prefix.to_owned(),
        (Some(prefix), false) => {
            let rendered = path.to_string();
            if rendered.starts_with('[') {
                format!("{prefix}{rendered}")
            } else {
                format!("{prefix}.{rendered}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::Credentials;
    use super::*;

    fn credentials() -> Credentials {
        Credentials::basic("user", "s3cr3t-pw")
    }

    fn raw(status: u16, content_type: Option<&str>, body: &str) -> RawResponse {
        RawResponse {
            status,
            content_type: content_type.map(str::to_owned),
            retry_after: None,
            body: body.as_bytes().to_vec(),
            too_large: false,
        }
    }

    fn interpreter(protocol: Protocol, redactor: &Redactor) -> Interpreter<'_> {
        Interpreter {
            operation: "Op",
            protocol,
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
        let _: serde::de::IgnoredAny = i.decode(&empty).unwrap();
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
}
