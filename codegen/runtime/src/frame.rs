//! Success framing and error shapes as data: where a success body keeps the answer (the body
//! itself, a key, or an envelope with a status field), which envelope fields and response
//! headers are kept beside it, and where an error body keeps its code, message and other
//! fields. A generated client describes its API with one `static` [`Framing`]; `wire`
//! interprets it, the same way for every API.
//!
//! Paths are dotted keys through JSON objects (`error.code`); a segment of digits picks an item
//! of a list (`error_codes.0`); `.` is the whole object they start from. In an [`ErrorShape`], field paths start from the error object (`at`), and a
//! path starting with `$.` starts from the whole body (`$.ticket`).

use serde_json::{Map, Value};

/// How one API frames its answers. See the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Framing {
    /// Where a success body keeps the answer: `.` (the body is the answer) or a dotted path.
    /// An absent answer decodes as JSON `null`.
    pub answer: &'static str,
    /// The envelope's status field, when the body says itself whether the call succeeded.
    pub envelope: Option<EnvelopeStatus>,
    /// Paths of a success body kept in [`Response::metadata`], keyed by the path as written.
    pub metadata: &'static [&'static str],
    /// Response headers kept in [`Response::headers`] (never credentials nor cookies: see
    /// [`is_sensitive_header`]).
    pub headers: &'static [&'static str],
    /// Where errors sit.
    pub errors: ErrorShape,
}

/// The status field of an envelope and its two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EnvelopeStatus {
    /// The dotted path of the status field.
    pub field: &'static str,
    /// The value for a success.
    pub success: &'static str,
    /// The value for an error (whatever the HTTP status).
    pub error: &'static str,
}

/// Which answers are errors and where their fields sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorShape {
    /// The HTTP statuses whose body is an error of this shape; empty means every status that
    /// is not 2xx. Any other failure is [`Error::UnexpectedStatus`](super::Error).
    pub statuses: &'static [u16],
    /// The error object: `.` for the body, or a dotted path.
    pub at: &'static str,
    /// Where the code is (the first path that holds a string, number or boolean wins).
    pub code: &'static [&'static str],
    /// Where the message is.
    pub message: &'static [&'static str],
    /// Where a more precise code is.
    pub detailed_code: &'static [&'static str],
    /// Where a more precise message is.
    pub detailed_message: &'static [&'static str],
    /// Where the ticket (correlation id) is.
    pub ticket: &'static [&'static str],
    /// Where further details are: a list (each item as text, or as compact JSON) or one value.
    pub details: &'static [&'static str],
    /// Where the errors about single request fields are.
    pub field_errors: Option<FieldErrors>,
    /// What an error body without a code is.
    pub without_code: WithoutCode,
}

/// Where the errors about single request fields sit: a list of objects (or one object).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldErrors {
    /// The list (or the one object), from the error object; `$.` paths from the body.
    pub at: &'static str,
    /// The field's name in each item.
    pub field: &'static str,
    /// What is wrong with it, in each item.
    pub error: &'static str,
}

/// What an answer that is an error but holds no code becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WithoutCode {
    /// [`Error::Api`](super::Error::Api) with an empty code (`""`), the other fields as found
    /// and [`ApiError::body`](super::ApiError::body).
    ApiError,
    /// [`Error::UnexpectedStatus`](super::Error::UnexpectedStatus) for an HTTP error status;
    /// [`Error::Decode`](super::Error::Decode) for an envelope whose status says error.
    UnexpectedStatus,
}

impl Framing {
    /// The `envelope` preset: HTTP 200 (or 401) with `{"status": "SUCCESS"|"ERROR", "answer":
    /// {…}}`; an ERROR answer carries `errorCode`, `errorMessage`, `detailedErrorCode`,
    /// `detailedErrorMessage`, and the ticket sits beside `status` (or in the answer).
    pub const ENVELOPE: Framing = Framing {
        answer: "answer",
        envelope: Some(EnvelopeStatus {
            field: "status",
            success: "SUCCESS",
            error: "ERROR",
        }),
        metadata: &[],
        headers: &[],
        errors: ErrorShape {
            statuses: &[],
            at: "answer",
            code: &["errorCode"],
            message: &["errorMessage"],
            detailed_code: &["detailedErrorCode"],
            detailed_message: &["detailedErrorMessage"],
            ticket: &["$.ticket", "ticket"],
            details: &[],
            field_errors: None,
            without_code: WithoutCode::UnexpectedStatus,
        },
    };

    /// The `rest` preset: the body is the answer, the HTTP status says whether the call
    /// succeeded, and an error body is `{"error": {"code", "message", "details",
    /// "fieldErrors": [{"field", "error"}]}}`.
    pub const REST: Framing = Framing {
        answer: ".",
        envelope: None,
        metadata: &[],
        headers: &[],
        errors: ErrorShape {
            statuses: &[],
            at: "error",
            code: &["code"],
            message: &["message"],
            detailed_code: &[],
            detailed_message: &[],
            ticket: &[],
            details: &["details"],
            field_errors: Some(FieldErrors {
                at: "fieldErrors",
                field: "field",
                error: "error",
            }),
            without_code: WithoutCode::UnexpectedStatus,
        },
    };
}

/// A success answer with what came with it: the HTTP status, the envelope's metadata and the
/// response headers the spec keeps. Returned by the `…_with_response` method of every
/// operation; the plain method returns [`Response::value`] only.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded answer.
    pub value: T,
    /// The HTTP status of the answer.
    pub http_status: u16,
    /// The envelope fields the spec lists (`framing.metadata`), keyed by their path as the
    /// spec writes it, with secrets redacted; a field the answer lacks is absent.
    pub metadata: Map<String, Value>,
    /// The response headers the spec lists (`framing.headers`), as (name as the spec writes
    /// it, value), in the order received; a header sent twice is listed twice. Values that
    /// are not UTF-8 are read lossily; secrets are redacted.
    pub headers: Vec<(String, String)>,
}

impl<T> Response<T> {
    /// The decoded answer.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The same response with its answer converted.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            http_status: self.http_status,
            metadata: self.metadata,
            headers: self.headers,
        }
    }

    /// One metadata field, by its path as the spec writes it (`ticket`, `serverDate`).
    pub fn metadata(&self, path: &str) -> Option<&Value> {
        self.metadata.get(path)
    }

    /// The first value of a kept response header, whatever the case of `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Headers never kept in a [`Response`], whatever a profile lists: they carry credentials or
/// session state (`Authorization`, `Cookie`, `Set-Cookie`, `WWW-Authenticate`, …).
pub fn is_sensitive_header(name: &str) -> bool {
    super::rules::sensitive_response_header(name)
}

/// A path segment that indexes a list: ASCII digits, without a leading zero (but `0`).
pub(crate) fn index(segment: &str) -> Option<usize> {
    let digits = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    if !digits || (segment.len() > 1 && segment.starts_with('0')) {
        return None;
    }
    segment.parse().ok()
}

/// The value at a dotted path from `start` (`.` is `start` itself); `$.` paths start from
/// `root` instead. `None` when a step is not an object or lacks the key.
pub(crate) fn value_at<'a>(
    root: &'a Value,
    start: Option<&'a Value>,
    path: &str,
) -> Option<&'a Value> {
    let (mut current, rest) = match path.strip_prefix("$.") {
        Some(rest) => (root, rest),
        None if path == "$" => return Some(root),
        None => (start?, path),
    };
    if rest == "." {
        return Some(current);
    }
    for segment in rest.split('.') {
        current = match current {
            Value::Object(map) => map.get(segment)?,
            Value::Array(items) => items.get(index(segment)?)?,
            _ => return None,
        };
    }
    Some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_walk_objects_only() {
        let body = serde_json::json!({"a": {"b": [1], "c": {"d": "x"}}, "t": 1});
        let a = body.get("a");
        assert_eq!(value_at(&body, Some(&body), "."), Some(&body));
        assert_eq!(value_at(&body, a, "c.d"), Some(&Value::from("x")));
        assert_eq!(value_at(&body, a, "$.t"), Some(&Value::from(1)));
        assert_eq!(value_at(&body, a, "b.0"), Some(&Value::from(1)));
        assert_eq!(value_at(&body, a, "b.1"), None);
        assert_eq!(value_at(&body, a, "b.00"), None);
        assert_eq!(value_at(&body, a, "c.d.0"), None);
        assert_eq!(value_at(&body, None, "c"), None);
        assert_eq!(value_at(&body, None, "$.a.c.d"), Some(&Value::from("x")));
    }

    #[test]
    fn sensitive_headers_are_known_in_any_case() {
        assert!(is_sensitive_header("Set-Cookie"));
        assert!(is_sensitive_header("AUTHORIZATION"));
        assert!(!is_sensitive_header("X-Request-Id"));
    }
}
