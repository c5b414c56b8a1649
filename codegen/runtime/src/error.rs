//! Errors returned by every operation of the SDK.
//!
//! [`Error`] tells apart failures that happened before any I/O
//! ([`Error::InvalidRequest`]), failures where the request certainly had no
//! effect ([`Error::Transport`]), failures where the request may or may not
//! have been carried out ([`Error::OutcomeUnknown`]), answers of the API that
//! report a business error ([`Error::Api`]) and answers that could not be
//! understood ([`Error::UnexpectedStatus`], [`Error::Decode`]).
//!
//! No error ever contains the configured password, nor a card number (13 to 19
//! digits passing the Luhn check): every text that comes from the server is
//! passed through the same redaction as the response excerpts. No error holds the
//! request's URL either (path and query parameters may be secrets): the HTTP client's errors
//! are kept without it.

use std::fmt;
use std::time::Duration;

/// The error of an SDK call.
///
/// `C` is the API's error-code type (a generated open enum, or `String` for
/// APIs without a list of codes); it only shows up in [`Error::Api`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<C = String> {
    /// The request was refused before any I/O because a value breaks a rule
    /// of the API (length, range, pattern, ...). Nothing was sent.
    InvalidRequest(InvalidRequest),

    /// The request could not be sent, or certainly was not processed
    /// (connection refused, DNS or TLS failure). For calls that are safe to
    /// retry this is also the final error after I/O failures once the retry
    /// budget is spent.
    Transport {
        /// The operation that failed.
        operation: &'static str,
        /// The underlying HTTP client error.
        source: reqwest::Error,
    },

    /// No complete answer arrived in time, including every retry.
    Timeout {
        /// The operation that failed.
        operation: &'static str,
        /// How long the call ran before it gave up.
        elapsed: Duration,
    },

    /// The server answered with a redirect and the HTTP client followed it (or gave up
    /// following it). The runtime follows no redirect: an answer from another URL is not the
    /// API's, and a redirected request may have carried its body to another host. Only a
    /// client given with `ClientConfig::http_client` follows redirects; build it with
    /// `reqwest::redirect::Policy::none()`. Never retried.
    Redirected {
        /// The operation that failed.
        operation: &'static str,
    },

    /// An operation that must never be sent twice failed after the request
    /// may have reached the server: the operation may or may not have been
    /// carried out. The runtime never resends such a request.
    ///
    /// For an operation retried with an idempotency key (`RetrySafety::Keyed`), the runtime
    /// retried it and gave up: `idempotency_key` is the key every attempt carried. Sending the
    /// call again with that key (the request's `idempotency_key` setter) is safe: the server
    /// does the work at most once.
    OutcomeUnknown {
        /// The operation that failed.
        operation: &'static str,
        /// What went wrong (a timeout, a reset connection, a 5xx status, an
        /// undecodable success answer, ...).
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
        /// The idempotency key the request carried, for an operation retried with one: send
        /// the call again with this key to complete it without doing the work twice. `None`
        /// for an operation sent at most once.
        idempotency_key: Option<String>,
    },

    /// The API answered with a business error (boxed to keep `Error` small;
    /// fields are reachable through the box, e.g. `e.code`).
    Api(Box<ApiError<C>>),

    /// The API answered with an HTTP status that is not a success and without
    /// a decodable API error body.
    UnexpectedStatus {
        /// The operation that failed.
        operation: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The start of the response body (at most 512 characters), with
        /// secrets removed.
        excerpt: String,
    },

    /// The answer could not be decoded.
    Decode(DecodeError),

    /// No OAuth2 access token could be obtained from the API's token endpoint, so the request
    /// was not sent. `reason` says why (the endpoint unreachable, its HTTP status and OAuth
    /// error code, an answer without a token); it never holds the client secret nor the
    /// endpoint's answer body, which may echo what was sent.
    Token {
        /// The operation that needed the token.
        operation: &'static str,
        /// Why, without any secret.
        reason: String,
        /// The token endpoint's HTTP status, when it answered.
        status: Option<u16>,
    },

    /// The client configuration is not usable (for example a plain-http base
    /// URL that is not a loopback address). Returned by `Core::new`.
    Config(String),
}

impl<C> Error<C> {
    /// The API error code, when the API answered with a business error.
    pub fn api_code(&self) -> Option<&C> {
        self.api_error().map(|e| &e.code)
    }

    /// The API error, when the API answered with a business error.
    pub fn api_error(&self) -> Option<&ApiError<C>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.http_status),
            Error::UnexpectedStatus { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The operation that failed, when the error comes from a call.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Redirected { operation }
            | Error::OutcomeUnknown { operation, .. }
            | Error::UnexpectedStatus { operation, .. }
            | Error::Token { operation, .. } => Some(operation),
            Error::Api(e) => Some(e.operation),
            Error::Decode(e) => Some(e.operation),
            Error::InvalidRequest(_) | Error::Config(_) => None,
        }
    }

    /// Whether the same request may succeed if sent again later: transport
    /// failures, timeouts and answers with status 429, 500, 502, 503 or 504.
    ///
    /// Always `false` for [`Error::OutcomeUnknown`]: look the object up first.
    /// Calls marked safe to retry have already been retried by the runtime
    /// within the configured retry policy.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::Api(e) => is_retryable_status(e.http_status),
            Error::UnexpectedStatus { status, .. } => is_retryable_status(*status),
            Error::Token { status, .. } => status.is_none_or(is_retryable_status),
            Error::InvalidRequest(_)
            | Error::Redirected { .. }
            | Error::OutcomeUnknown { .. }
            | Error::Decode(_)
            | Error::Config(_) => false,
        }
    }

    /// The idempotency key of a call whose outcome is unknown ([`Error::OutcomeUnknown`] of
    /// an operation retried with a key): resend the call with this key to finish it safely.
    pub fn idempotency_key(&self) -> Option<&str> {
        match self {
            Error::OutcomeUnknown {
                idempotency_key, ..
            } => idempotency_key.as_deref(),
            _ => None,
        }
    }

    /// Whether the operation may or may not have been carried out
    /// ([`Error::OutcomeUnknown`]).
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// Converts the error-code type, e.g. from `Error<String>` (returned by
    /// `Core::new`) to the API's generated code enum.
    pub fn map_code<D>(self, f: impl FnOnce(C) -> D) -> Error<D> {
        match self {
            Error::InvalidRequest(e) => Error::InvalidRequest(e),
            Error::Transport { operation, source } => Error::Transport { operation, source },
            Error::Timeout { operation, elapsed } => Error::Timeout { operation, elapsed },
            Error::Redirected { operation } => Error::Redirected { operation },
            Error::OutcomeUnknown {
                operation,
                source,
                idempotency_key,
            } => Error::OutcomeUnknown {
                operation,
                source,
                idempotency_key,
            },
            Error::Api(e) => Error::Api(Box::new((*e).map_code(f))),
            Error::UnexpectedStatus {
                operation,
                status,
                excerpt,
            } => Error::UnexpectedStatus {
                operation,
                status,
                excerpt,
            },
            Error::Decode(e) => Error::Decode(e),
            Error::Token {
                operation,
                reason,
                status,
            } => Error::Token {
                operation,
                reason,
                status,
            },
            Error::Config(e) => Error::Config(e),
        }
    }
}

impl<C> From<ApiError<C>> for Error<C> {
    fn from(error: ApiError<C>) -> Self {
        Error::Api(Box::new(error))
    }
}

/// What the caller of a call with an unknown outcome should do (the key itself is not shown:
/// error texts end up in logs; [`Error::idempotency_key`] gives it).
fn outcome_advice(idempotency_key: Option<&str>) -> &'static str {
    match idempotency_key {
        Some(_) => {
            "the retries are spent; send the call again later with the same idempotency key \
             (Error::idempotency_key), and the server will do the work at most once"
        }
        None => "look the object up before trying again and never resend the request blindly",
    }
}

/// Statuses after which the same request may succeed when sent again.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// A business error reported by the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError<C = String> {
    /// The operation that failed.
    pub operation: &'static str,
    /// The HTTP status of the answer (200 for envelope APIs that report
    /// business errors in the body).
    pub http_status: u16,
    /// The API's error code; empty (`""`, or the code type made from it) for an error body
    /// without a code when the spec says such a body is an API error (`without_code:
    /// api_error`).
    pub code: C,
    /// The API's error message.
    pub message: String,
    /// A more precise code, when the API gives one (`detailedErrorCode`).
    pub detailed_code: Option<String>,
    /// A more precise message, when the API gives one (`detailedErrorMessage`).
    pub detailed_message: Option<String>,
    /// The server's ticket / correlation id, to quote to the API's support.
    pub ticket: Option<String>,
    /// Errors about individual request fields, when the API lists them.
    pub field_errors: Vec<FieldError>,
    /// Further details, when the API lists them.
    pub details: Vec<String>,
    /// The whole error body as the server sent it (for an envelope, the whole envelope),
    /// with secrets redacted: every field of a documented error body is reachable here, the
    /// ones the fields above do not carry too. `Value::Null` when the error was not read
    /// from a body. [`ApiError::body_as`] (or [`ApiError::typed_body`], or the API module's
    /// `error_body`) decodes it into a type.
    pub body: serde_json::Value,
}

impl<C> ApiError<C> {
    /// Converts the error-code type.
    pub fn map_code<D>(self, f: impl FnOnce(C) -> D) -> ApiError<D> {
        ApiError {
            operation: self.operation,
            http_status: self.http_status,
            code: f(self.code),
            message: self.message,
            detailed_code: self.detailed_code,
            detailed_message: self.detailed_message,
            ticket: self.ticket,
            field_errors: self.field_errors,
            details: self.details,
            body: self.body,
        }
    }
}

impl<C> ApiError<C> {
    /// Decodes the error object at `at` of the kept [`body`](Self::body) (`.` for the whole
    /// body, or a dotted path such as `error` or `answer`) into `T`, typically the API's
    /// typed error body. An error body that exists but does not decode is an error, never a
    /// default value: a [`DecodeError`] with the JSON path that failed (from the body, e.g.
    /// `answer.errorCode`). So is an error that was not read from a body (`body` is
    /// `null`) and a body without an object at `at`.
    ///
    /// The body is the one kept in [`body`](Self::body), so it is redacted: a secret or a card
    /// number in a text reads as `<redacted>` in the typed value, and a redacted number (a
    /// card number sent as a JSON number) or a scalar under a sensitive key is the text
    /// `"<redacted>"`, which fails to decode where the type expects a number.
    pub fn body_as<T: serde_core::de::DeserializeOwned>(&self, at: &str) -> Result<T, DecodeError> {
        let failure = |path: String, message: String| DecodeError {
            operation: self.operation,
            path,
            message,
            excerpt: body_excerpt(&self.body),
        };
        if self.body.is_null() {
            return Err(failure(
                ".".to_owned(),
                "the API error was not read from a body, so it has no typed body".to_owned(),
            ));
        }
        let Some(object) =
            super::frame::value_at(&self.body, Some(&self.body), at).filter(|v| v.is_object())
        else {
            return Err(failure(
                at.to_owned(),
                format!("the error body holds no object at `{at}`"),
            ));
        };
        super::json_path::decode_value(object)
            .map_err(|e| failure(super::json_path::under(Some(at), &e.path), e.message))
    }
}

impl<C: TypedErrorBody> ApiError<C> {
    /// The typed error body of the API whose error code is `C`: the error object decoded into
    /// the type the spec names (`errors.type`). See [`ApiError::body_as`] for what fails and
    /// what redaction means for the typed value.
    pub fn typed_body(&self) -> Result<C::Body, DecodeError> {
        self.body_as(C::AT)
    }
}

/// The typed error body of an API, implemented by the API's generated error-code type when
/// the spec names the type of its error object (`errors.type`): it gives
/// [`ApiError::typed_body`]. An API whose codes are plain `String`s has a generated
/// `error_body` function instead (every API has one).
pub trait TypedErrorBody {
    /// The type of the error object.
    type Body: serde_core::de::DeserializeOwned;
    /// Where the error object sits in the body: `.` or a dotted path.
    const AT: &'static str;
}

/// The start of a kept (already redacted) body, as compact JSON of at most 512 characters.
fn body_excerpt(body: &serde_json::Value) -> String {
    let text = body.to_string();
    let limit = super::redact::EXCERPT_CHARS;
    match text.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

impl<C: fmt::Display> fmt::Display for ApiError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.operation, self.code, self.message)
    }
}

impl<C: fmt::Debug + fmt::Display> std::error::Error for ApiError<C> {}

/// An error about one field of the request, as reported by the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field, as the API names it (e.g. `card.cardExpiry.month`).
    pub field: String,
    /// What is wrong with it.
    pub error: String,
}

/// A request refused before any I/O because a value breaks a rule of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequest {
    /// The dotted wire path of the offending value, e.g.
    /// `cardDuplicate.captureDelay` or `shoppingCart[2].amount`; for [`Rule::UrlPath`], the
    /// operation's path template (never the rendered path, whose parameters may be secrets).
    pub path: String,
    /// The rule that was broken.
    pub rule: Rule,
}

/// A rule a request value must follow.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The length (characters of a string, items of a list) must be at least this.
    MinLength(u32),
    /// The length (characters of a string, items of a list) must be at most this.
    MaxLength(u32),
    /// The text must contain only ASCII characters.
    Ascii,
    /// The number must be at least this.
    Min(i128),
    /// The number must be at most this.
    Max(i128),
    /// The text must match this regular expression.
    Pattern(&'static str),
    /// The regular expression does not compile, so no value can be shown to match it.
    BrokenPattern(&'static str),
    /// The pattern needs the regular expression engine, which the runtime was built without
    /// (its `regex` feature), so no value can be shown to match it.
    PatternNeedsEngine(&'static str),
    /// The rendered URL path is not usable: a path parameter is empty, `.`
    /// or `..`, or the path is not a plain absolute path.
    UrlPath,
    /// The request body could not be serialized to JSON (the message says why).
    Serialize(String),
    /// A header parameter's name is not an HTTP token, or is one the runtime sets itself.
    HeaderName,
    /// A header parameter's value cannot be sent in a header (a line break, another control
    /// character, a character beyond ASCII); the value is not shown.
    HeaderValue,
    /// An extra parameter has the name of a documented parameter: use its setter, so that
    /// its constraints are checked and the body does not carry the name twice.
    Documented,
    /// The text must contain only visible ASCII characters (no space, no control character).
    VisibleAscii,
    /// The field must be set whenever its object is sent (a `required` field of a named type).
    Required,
    /// The value must be a decimal number (`10.00`, `-5.5`): a malformed decimal decoded from
    /// an answer cannot be sent back.
    Decimal,
    /// The value must be a date written `YYYY-MM-DD`: a malformed date decoded from an answer
    /// cannot be sent back.
    Date,
    /// The value must be an RFC 3339 date-time with its offset: a malformed date-time decoded
    /// from an answer cannot be sent back.
    DateTime,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::MinLength(n) => write!(f, "must have a length of at least {n}"),
            Rule::MaxLength(n) => write!(f, "must have a length of at most {n}"),
            Rule::Ascii => f.write_str("must contain only ASCII characters"),
            Rule::Min(n) => write!(f, "must be at least {n}"),
            Rule::Max(n) => write!(f, "must be at most {n}"),
            Rule::Pattern(p) => write!(f, "must match the pattern `{p}`"),
            Rule::BrokenPattern(p) => {
                write!(f, "cannot be checked: the pattern `{p}` does not compile")
            }
            Rule::PatternNeedsEngine(p) => write!(
                f,
                "cannot be checked: the pattern `{p}` needs the `regex` feature of payspec-runtime"
            ),
            Rule::UrlPath => f.write_str(
                "is not a usable URL path (a path parameter must not be empty, `.` or `..`)",
            ),
            Rule::Serialize(m) => write!(f, "could not be serialized to JSON: {m}"),
            Rule::HeaderName => f.write_str(
                "is not a header name a call may set (an HTTP token, not one the runtime sets)",
            ),
            Rule::HeaderValue => {
                f.write_str("is not a valid header value (visible ASCII, spaces and tabs only)")
            }
            Rule::Documented => f.write_str(
                "is a documented parameter: set it with its own setter, not as an extra parameter",
            ),
            Rule::VisibleAscii => f.write_str(
                "must contain only visible ASCII characters (no space, no control character)",
            ),
            Rule::Required => f.write_str("is required when its object is sent"),
            Rule::Decimal => f.write_str("must be a decimal number such as `10.00`"),
            Rule::Date => f.write_str("must be a date written `YYYY-MM-DD`, such as `2026-11-22`"),
            Rule::DateTime => f.write_str(
                "must be an RFC 3339 date-time with its offset, such as `2026-11-22T10:00:00+01:00`",
            ),
        }
    }
}

/// An answer that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The operation that failed.
    pub operation: &'static str,
    /// The JSON path where decoding failed (e.g. `answer.transactions[0].amount`;
    /// `.` for the whole body).
    pub path: String,
    /// What went wrong.
    pub message: String,
    /// The start of the response body (at most 512 characters), with secrets
    /// removed.
    pub excerpt: String,
}

impl<C: fmt::Display> fmt::Display for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(e) => fmt::Display::fmt(e, f),
            Error::Transport { operation, .. } => write!(
                f,
                "{operation}: the request could not be completed because of a transport failure"
            ),
            Error::Timeout { operation, elapsed } => {
                write!(f, "{operation}: no complete answer after {elapsed:?}")
            }
            Error::Redirected { operation } => write!(
                f,
                "{operation}: the server answered with a redirect and the HTTP client followed it; \
                 the runtime refuses redirects, so the answer was discarded"
            ),
            Error::OutcomeUnknown {
                operation,
                idempotency_key,
                ..
            } => write!(
                f,
                "{operation}: the outcome is unknown: the request may have reached the server, so \
                 the operation may or may not have been carried out; {}",
                outcome_advice(idempotency_key.as_deref())
            ),
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::UnexpectedStatus {
                operation, status, ..
            } => write!(f, "{operation}: unexpected HTTP status {status}"),
            Error::Decode(e) => fmt::Display::fmt(e, f),
            Error::Token {
                operation, reason, ..
            } => write!(
                f,
                "{operation}: no access token could be obtained: {reason}"
            ),
            Error::Config(why) => write!(f, "invalid client configuration: {why}"),
        }
    }
}

/// The transport's error is the source of [`Error::Transport`] and [`Error::OutcomeUnknown`];
/// the variants that wrap an error of their own show it as they are (its source is theirs).
impl<C: fmt::Debug + fmt::Display> std::error::Error for Error<C> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::OutcomeUnknown { source, .. } => Some(&**source),
            Error::InvalidRequest(_)
            | Error::Api(_)
            | Error::Decode(_)
            | Error::Timeout { .. }
            | Error::Redirected { .. }
            | Error::UnexpectedStatus { .. }
            | Error::Token { .. }
            | Error::Config(_) => None,
        }
    }
}

impl<C> From<InvalidRequest> for Error<C> {
    fn from(e: InvalidRequest) -> Self {
        Error::InvalidRequest(e)
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request: `{}` {}", self.path, self.rule)
    }
}

impl std::error::Error for InvalidRequest {}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: could not decode the answer at `{}`: {}",
            self.operation, self.path, self.message
        )
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The messages and the source chain, variant by variant: an error shows its own text, an
    /// error it wraps shows through, and only a transport failure has a source.
    #[test]
    fn errors_show_their_message_and_their_source() {
        use std::error::Error as _;
        let invalid = InvalidRequest {
            path: "a.b".into(),
            rule: Rule::Ascii,
        };
        let e: Error = invalid.clone().into();
        assert_eq!(e.to_string(), invalid.to_string());
        assert_eq!(
            e.to_string(),
            "invalid request: `a.b` must contain only ASCII characters"
        );
        assert!(e.source().is_none());
        let unknown: Error = Error::OutcomeUnknown {
            operation: "Op",
            source: "connection reset".into(),
            idempotency_key: None,
        };
        assert!(unknown.to_string().starts_with(
            "Op: the outcome is unknown: the request may have reached the server, so the \
             operation may or may not have been carried out; "
        ));
        assert_eq!(
            unknown.source().map(ToString::to_string).as_deref(),
            Some("connection reset")
        );
        let decode = DecodeError {
            operation: "Op",
            path: "answer.x".into(),
            message: "bad".into(),
            excerpt: String::new(),
        };
        assert_eq!(
            Error::<String>::Decode(decode).to_string(),
            "Op: could not decode the answer at `answer.x`: bad"
        );
        for (e, text) in [
            (
                Error::<String>::Timeout {
                    operation: "Op",
                    elapsed: Duration::from_millis(1500),
                },
                "Op: no complete answer after 1.5s",
            ),
            (
                Error::Redirected { operation: "Op" },
                "Op: the server answered with a redirect and the HTTP client followed it; the \
                 runtime refuses redirects, so the answer was discarded",
            ),
            (
                Error::UnexpectedStatus {
                    operation: "Op",
                    status: 418,
                    excerpt: String::new(),
                },
                "Op: unexpected HTTP status 418",
            ),
            (
                Error::Token {
                    operation: "Op",
                    reason: "refused".into(),
                    status: Some(401),
                },
                "Op: no access token could be obtained: refused",
            ),
            (
                Error::Config("no key".into()),
                "invalid client configuration: no key",
            ),
        ] {
            assert_eq!(e.to_string(), text);
            assert!(e.source().is_none());
        }
    }

    #[derive(Debug, serde::Deserialize)]
    struct Body {
        code: Option<String>,
        count: Option<u32>,
        #[serde(flatten)]
        extra: std::collections::BTreeMap<String, serde_json::Value>,
    }

    struct Code;

    impl TypedErrorBody for Code {
        type Body = Body;
        const AT: &'static str = "answer";
    }

    fn api_error<C>(code: C, body: serde_json::Value) -> ApiError<C> {
        ApiError {
            operation: "Op/Get",
            http_status: 200,
            code,
            message: String::new(),
            detailed_code: None,
            detailed_message: None,
            ticket: None,
            field_errors: Vec::new(),
            details: Vec::new(),
            body,
        }
    }

    #[test]
    fn the_error_object_decodes_with_every_field() {
        let body = json!({"status": "ERROR", "answer": {"code": "E1", "count": 2, "new": [1]}});
        let typed: Body = api_error("E1".to_owned(), body.clone())
            .body_as("answer")
            .expect("decodes");
        assert_eq!(typed.code.as_deref(), Some("E1"));
        assert_eq!(typed.count, Some(2));
        assert_eq!(typed.extra["new"], json!([1]));
        let whole: Body = api_error(String::new(), body["answer"].clone())
            .body_as(".")
            .expect("decodes");
        assert_eq!(whole.count, Some(2));
        let through_trait = api_error(Code, body).typed_body().expect("decodes");
        assert_eq!(through_trait.extra.len(), 1);
    }

    #[test]
    fn a_body_that_does_not_decode_is_an_error_with_its_path() {
        let e = api_error(Code, json!({"answer": {"count": "many"}}))
            .typed_body()
            .unwrap_err();
        assert_eq!(e.operation, "Op/Get");
        assert_eq!(e.path, "answer.count");
        assert!(e.message.contains("invalid type"), "{}", e.message);
        assert!(e.excerpt.contains("many"), "{}", e.excerpt);
        let e = api_error(String::new(), json!({"count": -1}))
            .body_as::<Body>(".")
            .unwrap_err();
        assert_eq!(e.path, "count");
    }

    #[test]
    fn no_object_where_the_error_sits_is_an_error() {
        let e = api_error(Code, json!({"status": "ERROR"}))
            .typed_body()
            .unwrap_err();
        assert_eq!(e.path, "answer");
        assert!(e.message.contains("no object at `answer`"), "{}", e.message);
        let e = api_error(Code, json!({"answer": "text"}))
            .typed_body()
            .unwrap_err();
        assert_eq!(e.path, "answer");
        let e = api_error(Code, serde_json::Value::Null)
            .typed_body()
            .unwrap_err();
        assert!(e.message.contains("not read from a body"), "{}", e.message);
    }

    #[test]
    fn a_long_body_is_cut_in_the_excerpt() {
        let long = "x".repeat(2_000);
        let e = api_error(Code, json!({"answer": {"count": long}}))
            .typed_body()
            .unwrap_err();
        assert_eq!(e.excerpt.chars().count(), 513);
        assert!(e.excerpt.ends_with('…'));
    }
}
