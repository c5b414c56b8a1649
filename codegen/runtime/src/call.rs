//! The description of one API call, as built by the generated code.

use super::encode::{Encoding, FormStyle};
use super::error::{InvalidRequest, Rule};
use super::retry::RetrySafety;

/// One call to the API, without its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The operation's name, used in errors and traces.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: reqwest::Method,
    /// The spec's path template (`/orders/{order_id}`), when known: the only form of the path
    /// that traces and errors show, since the concrete path may hold secrets.
    pub path_template: Option<&'static str>,
    /// The path appended to the base URL, starting with `/`; path parameters
    /// already percent-encoded with [`encode_path_segment`].
    pub path: String,
    /// The query parameters, in order (encoded by the runtime).
    pub query: Vec<(&'static str, String)>,
    /// The structured query parameters (lists, maps, objects) as JSON text, in order, written
    /// after `query` with brackets in the `form` style: `expand[]=x`, `created[gte]=1`.
    pub query_values: Vec<(&'static str, String)>,
    /// How the body is encoded.
    pub encoding: Encoding,
    /// The API's form conventions, for a form body and for `query_values`.
    pub form: FormStyle,
    /// The header parameters, in order. Their values are never logged nor kept in an error;
    /// one that is not a valid header value is refused before any IO.
    pub headers: Vec<HeaderParam>,
    /// Whether the call may be sent more than once.
    pub retry: RetrySafety,
    /// For a [`RetrySafety::Keyed`] call, the caller's idempotency key; when `None`, the
    /// runtime generates one per call. Ignored for other calls.
    pub idempotency_key: Option<String>,
    /// Whether the caller reads what comes with the answer ([`Response::metadata`] and
    /// [`Response::headers`]); when `false` they are neither decoded nor redacted and stay
    /// empty. [`Core::execute`] sets it to `false`, since it returns the value only.
    ///
    /// [`Response::metadata`]: crate::Response::metadata
    /// [`Response::headers`]: crate::Response::headers
    /// [`Core::execute`]: crate::Core::execute
    pub with_response: bool,
}

impl Call {
    /// A call without query parameters nor path template.
    pub fn new(
        operation: &'static str,
        method: reqwest::Method,
        path: impl Into<String>,
        retry: RetrySafety,
    ) -> Self {
        Call {
            operation,
            method,
            path_template: None,
            path: path.into(),
            query: Vec::new(),
            query_values: Vec::new(),
            encoding: Encoding::Json,
            form: FormStyle::DEFAULT,
            headers: Vec::new(),
            retry,
            idempotency_key: None,
            with_response: true,
        }
    }

    /// Sets the path template, shown in traces and errors instead of the path.
    pub fn with_path_template(mut self, template: &'static str) -> Self {
        self.path_template = Some(template);
        self
    }

    /// Sets the idempotency key of a [`RetrySafety::Keyed`] call (`None`: one is generated).
    pub fn with_idempotency_key(mut self, key: Option<String>) -> Self {
        self.idempotency_key = key;
        self
    }

    /// Adds a query parameter.
    pub fn with_query(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.query.push((name, value.into()));
        self
    }

    /// Sends the body in `encoding`, with the API's form conventions.
    pub fn with_encoding(mut self, encoding: Encoding, form: FormStyle) -> Self {
        self.encoding = encoding;
        self.form = form;
        self
    }

    /// Adds a structured query parameter (a list, a map or an object, as JSON text), written
    /// with brackets.
    pub fn with_query_value(mut self, name: &'static str, json: impl Into<String>) -> Self {
        self.query_values.push((name, json.into()));
        self
    }

    /// Adds a header parameter; `name` must be an HTTP token.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push(HeaderParam::new(name, value, false));
        self
    }

    /// Adds a header parameter whose value is a secret: sent marked sensitive (HTTP/2 never
    /// indexes it, `Debug` of the request hides it).
    pub fn with_sensitive_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push(HeaderParam::new(name, value, true));
        self
    }
}

/// A header parameter of a call. `Debug` shows its name, never its value.
#[derive(Clone, PartialEq, Eq)]
pub struct HeaderParam {
    /// The header's name on the wire (an HTTP token).
    pub name: &'static str,
    /// The value, as text.
    pub value: String,
    /// Whether the value is a secret.
    pub sensitive: bool,
}

impl HeaderParam {
    /// A header parameter.
    pub fn new(name: &'static str, value: impl Into<String>, sensitive: bool) -> Self {
        HeaderParam {
            name,
            value: value.into(),
            sensitive,
        }
    }
}

impl std::fmt::Debug for HeaderParam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeaderParam")
            .field("name", &self.name)
            .field("value", &"<not shown>")
            .field("sensitive", &self.sensitive)
            .finish()
    }
}

/// Percent-encodes a path parameter: every byte except the unreserved
/// characters `A-Z a-z 0-9 - . _ ~` becomes `%XX` (upper-case hex), so `/`,
/// `?`, `#`, `%` and spaces cannot change the path's shape.
///
/// A segment that is empty, `.` or `..` cannot be protected this way; the
/// runtime refuses such paths before sending (`Rule::UrlPath`).
pub fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    push_encoded(&mut out, segment);
    out
}

/// [`encode_path_segment`], written at the end of `out`.
fn push_encoded(out: &mut String, segment: &str) {
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte));
        }
    }
}

/// The path of a call: `template` (`/payments/{paymentId}/refunds/{refundId}`) with each
/// `{name}` replaced, in order, by the next of `values`, percent-encoded
/// ([`encode_path_segment`]). What the generated code writes for a path with parameters: the
/// path reads as the API documents it, and no formatting machinery is compiled per operation.
///
/// A template whose placeholders are not exactly as many as `values`, or with a `{` that no
/// `}` closes, is refused ([`Rule::UrlPath`], naming the template): nothing is sent to a path
/// half filled in.
pub fn fill_path(template: &'static str, values: &[&str]) -> Result<String, InvalidRequest> {
    let refused = || InvalidRequest {
        path: template.to_owned(),
        rule: Rule::UrlPath,
    };
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.len()).sum::<usize>());
    let mut values = values.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').ok_or_else(refused)? + open;
        let value = values.next().ok_or_else(refused)?;
        out.push_str(&rest[..open]);
        push_encoded(&mut out, value);
        rest = &rest[close + 1..];
    }
    if values.next().is_some() {
        return Err(refused());
    }
    out.push_str(rest);
    Ok(out)
}

/// The upper-case hex digit of the low four bits of `n`.
fn hex_digit(n: u8) -> char {
    let n = n & 0x0f;
    char::from(if n < 10 { b'0' + n } else { b'A' + (n - 10) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_are_kept() {
        assert_eq!(encode_path_segment("AZaz09-._~"), "AZaz09-._~");
    }

    #[test]
    fn everything_else_is_percent_encoded() {
        assert_eq!(encode_path_segment("a/b"), "a%2Fb");
        assert_eq!(encode_path_segment("a b?c#d%e"), "a%20b%3Fc%23d%25e");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
        assert_eq!(encode_path_segment("@:+&="), "%40%3A%2B%26%3D");
        assert_eq!(encode_path_segment(""), "");
    }

    #[test]
    fn a_template_is_filled_in_order_with_encoded_values() {
        assert_eq!(
            fill_path("/payments/{paymentId}/refunds/{id}", &["tr_1", "re 2/3"]),
            Ok("/payments/tr_1/refunds/re%202%2F3".to_owned())
        );
        assert_eq!(
            fill_path("/orders/{id}", &["ï{x}"]),
            Ok("/orders/%C3%AF%7Bx%7D".to_owned())
        );
        assert_eq!(fill_path("/methods", &[]), Ok("/methods".to_owned()));
        assert_eq!(fill_path("/{a}{b}", &["1", "2"]), Ok("/12".to_owned()));
    }

    #[test]
    fn a_template_and_values_that_disagree_are_refused() {
        let refused = |template: &'static str| InvalidRequest {
            path: template.to_owned(),
            rule: Rule::UrlPath,
        };
        // Fewer values than placeholders, more, none for one, and a brace never closed.
        assert_eq!(
            fill_path("/a/{x}/b/{y}", &["1"]),
            Err(refused("/a/{x}/b/{y}"))
        );
        assert_eq!(fill_path("/a/{x}", &["1", "2"]), Err(refused("/a/{x}")));
        assert_eq!(fill_path("/a", &["1"]), Err(refused("/a")));
        assert_eq!(fill_path("/a/{x", &["1"]), Err(refused("/a/{x")));
    }

    #[test]
    fn call_builder() {
        let call =
            Call::new("Op", reqwest::Method::GET, "/x", RetrySafety::Safe).with_query("a", "1");
        assert_eq!(call.query, vec![("a", "1".to_owned())]);
        let call = call
            .with_header("X-A", "v-1")
            .with_sensitive_header("X-Key", "k-secret");
        assert_eq!(call.headers.len(), 2);
        assert!(call.headers[1].sensitive);
        let debug = format!("{call:?}");
        assert!(
            !debug.contains("v-1") && !debug.contains("k-secret"),
            "{debug}"
        );
    }
}
