//! Request encodings: how a serialized request body or a structured query parameter goes on
//! the wire. JSON is serde's; `application/x-www-form-urlencoded` with bracket nesting
//! (`a[b][c]=v`, `a[]=x` or `a[0]=x`, `metadata[key]=v`) is written here, from the JSON value
//! of the request, in the style the spec's `api.form` chooses.
//!
//! Also the base URLs with variables (`https://{prefix}.api.example.com`): a value is checked
//! before it goes into the URL, so no placeholder and no value that could change the URL's
//! structure ever reaches a request.

use serde_core::Serialize;

use super::error::{Error, InvalidRequest, Rule};
use super::rules::{UrlTemplatePiece, url_template, url_variable_value};
use super::validate::compile_pattern;

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// `application/json`.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`, nested with brackets in the call's [`FormStyle`].
    Form,
}

impl Encoding {
    /// The `Content-Type` of a body in this encoding.
    pub fn content_type(self) -> &'static str {
        match self {
            Encoding::Json => "application/json",
            Encoding::Form => "application/x-www-form-urlencoded",
        }
    }
}

/// How lists of scalars are written in a form or a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormArrays {
    /// `a[]=x&a[]=y`. A list of objects or lists is written indexed whatever the style: `[]`
    /// cannot say which item a nested key belongs to.
    #[default]
    Brackets,
    /// `a[0]=x&a[1]=y`.
    Indexed,
}

/// How booleans are written in a form or a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormBooleans {
    /// `true` / `false`.
    #[default]
    Words,
    /// `1` / `0`.
    Digits,
}

/// How a JSON `null` is written in a form or a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FormNulls {
    /// Left out.
    #[default]
    Omit,
    /// The key with an empty value: `a=`.
    Empty,
}

/// The API's form conventions (`api.form` in the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FormStyle {
    /// Lists of scalars.
    pub arrays: FormArrays,
    /// Booleans.
    pub booleans: FormBooleans,
    /// Nulls.
    pub nulls: FormNulls,
}

impl FormStyle {
    /// `a[]=x`, `true`/`false`, nulls left out.
    pub const DEFAULT: FormStyle = FormStyle {
        arrays: FormArrays::Brackets,
        booleans: FormBooleans::Words,
        nulls: FormNulls::Omit,
    };
}

/// Why a value cannot be written as a form: a list nested directly in a list with
/// [`FormArrays::Brackets`] (`a[][]=x` cannot say which inner list an item belongs to), a
/// top-level value that is not an object, or text that is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    /// Where, as the form key built so far (`tags[]`); never the value.
    pub path: String,
    /// What cannot be written.
    pub message: &'static str,
}

impl From<FormError> for InvalidRequest {
    fn from(e: FormError) -> Self {
        InvalidRequest {
            path: e.path,
            rule: Rule::Serialize(format!("cannot be form-encoded: {}", e.message)),
        }
    }
}

/// A JSON value that keeps the order of object fields (serde_json's `Value` sorts them), so a
/// form lists fields in the order of the request struct.
enum Node {
    Null,
    Bool(bool),
    /// Written as serde_json writes it.
    Number(String),
    String(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl<'de> serde_core::Deserialize<'de> for Node {
    fn deserialize<D: serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde_core::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(
            serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string()),
        ))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }
    fn visit_seq<A: serde_core::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: serde_core::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut fields = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Node>()? {
            fields.push((key, value));
        }
        Ok(Node::Object(fields))
    }
}

fn parse(json: &[u8], path: &str) -> Result<Node, FormError> {
    serde_json::from_slice(json).map_err(|_| FormError {
        path: path.to_owned(),
        message: "the value is not JSON",
    })
}

/// The (key, value) pairs of a JSON object (as text) written as a form, in order and not yet
/// percent-encoded: `{"a": {"b": 1}}` gives `("a[b]", "1")`.
pub fn form_pairs(json: &[u8], style: FormStyle) -> Result<Vec<(String, String)>, FormError> {
    let Node::Object(fields) = parse(json, ".")? else {
        return Err(FormError {
            path: ".".to_owned(),
            message: "a form body is an object of named fields",
        });
    };
    let mut out = Vec::new();
    for (key, item) in fields {
        write_node(key, item, style, &mut out)?;
    }
    Ok(out)
}

/// The pairs of one named value given as JSON text (a query parameter): `expand` and
/// `["a", "b"]` give `expand[]=a&expand[]=b` with [`FormArrays::Brackets`].
pub fn named_pairs(
    name: &str,
    json: &str,
    style: FormStyle,
) -> Result<Vec<(String, String)>, FormError> {
    let mut out = Vec::new();
    write_node(
        name.to_owned(),
        parse(json.as_bytes(), name)?,
        style,
        &mut out,
    )?;
    Ok(out)
}

/// A form body: the pairs of the JSON object `json` percent-encoded by the WHATWG
/// `application/x-www-form-urlencoded` rules (space as `+`; only `*-._`, ASCII letters and
/// digits kept as they are).
pub fn form_body(json: &[u8], style: FormStyle) -> Result<String, FormError> {
    let pairs = form_pairs(json, style)?;
    Ok(url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish())
}

/// A serializable value (a request) as a form body, in `style`.
pub fn to_form<T: Serialize + ?Sized>(
    value: &T,
    style: FormStyle,
) -> Result<String, InvalidRequest> {
    let json = serde_json::to_vec(value).map_err(|e| InvalidRequest {
        path: ".".to_owned(),
        rule: Rule::Serialize(super::redact::without_values(&e.to_string())),
    })?;
    Ok(form_body(&json, style)?)
}

/// A structured query parameter (a list, a map or an object) as JSON text, for
/// [`Call::query_values`](super::call::Call::query_values).
pub fn query_value<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<(&'static str, String), InvalidRequest> {
    serde_json::to_string(value)
        .map(|json| (name, json))
        .map_err(|e| InvalidRequest {
            path: name.to_owned(),
            rule: Rule::Serialize(super::redact::without_values(&e.to_string())),
        })
}

fn write_node(
    key: String,
    node: Node,
    style: FormStyle,
    out: &mut Vec<(String, String)>,
) -> Result<(), FormError> {
    match node {
        Node::Null => {
            if style.nulls == FormNulls::Empty {
                out.push((key, String::new()));
            }
        }
        Node::Bool(b) => {
            let text = match (style.booleans, b) {
                (FormBooleans::Words, true) => "true",
                (FormBooleans::Words, false) => "false",
                (FormBooleans::Digits, true) => "1",
                (FormBooleans::Digits, false) => "0",
            };
            out.push((key, text.to_owned()));
        }
        Node::Number(n) => out.push((key, n)),
        Node::String(s) => out.push((key, s)),
        Node::Object(fields) => {
            for (name, item) in fields {
                write_node(format!("{key}[{name}]"), item, style, out)?;
            }
        }
        Node::List(items) => {
            let indexed = style.arrays == FormArrays::Indexed
                || items.iter().any(|i| matches!(i, Node::Object(_)));
            if !indexed && items.iter().any(|i| matches!(i, Node::List(_))) {
                return Err(FormError {
                    path: format!("{key}[]"),
                    message: "a list in a list cannot be written with `arrays: brackets`",
                });
            }
            for (index, item) in items.into_iter().enumerate() {
                let item_key = if indexed {
                    format!("{key}[{index}]")
                } else {
                    format!("{key}[]")
                };
                write_node(item_key, item, style, out)?;
            }
        }
    }
    Ok(())
}

/// A variable of a templated base URL, with the value the caller gives.
#[derive(Debug, Clone, Copy)]
pub struct UrlVariable<'a> {
    /// Its name in the template (`prefix`).
    pub name: &'static str,
    /// The value; never shown in an error.
    pub value: &'a str,
    /// The spec's `pattern`, if any: the whole value must match it.
    pub pattern: Option<&'static str>,
}

/// Fills a base URL template (`https://{prefix}.api.example.com`) with checked values.
///
/// Each value must be non-empty and hold only ASCII letters, digits, `-` and `_` (and `.`
/// between them), so that it cannot change the URL's host, port or path; it must match its
/// pattern when the spec gives one. A refused value is [`Error::Config`] naming the
/// environment and the variable, never the value. A placeholder without a value is refused
/// too: no `{…}` can reach a request.
pub fn fill_base_url(
    environment: &str,
    template: &str,
    variables: &[UrlVariable<'_>],
) -> Result<String, Error> {
    let pieces = url_template(template).map_err(|_| {
        Error::Config(format!(
            "the base URL template of the environment `{environment}` is malformed"
        ))
    })?;
    let mut url = String::with_capacity(template.len());
    for piece in pieces {
        match piece {
            UrlTemplatePiece::Literal(text) => url.push_str(text),
            UrlTemplatePiece::Variable(name) => {
                let Some(variable) = variables.iter().find(|v| v.name == name) else {
                    return Err(Error::Config(format!(
                        "the environment `{environment}` needs a value for its URL variable `{name}`"
                    )));
                };
                if !url_variable_value(variable.value) {
                    return Err(Error::Config(format!(
                        "the URL variable `{name}` of the environment `{environment}` must be \
                         ASCII letters, digits, `-`, `_` and inner `.` only"
                    )));
                }
                if let Some(pattern) = variable.pattern {
                    match compile_pattern(pattern) {
                        Ok(compiled) if compiled.matches(variable.value) => {}
                        Ok(_) => {
                            return Err(Error::Config(format!(
                                "the URL variable `{name}` of the environment `{environment}` \
                                 must match the pattern `{pattern}`"
                            )));
                        }
                        Err(problem) => {
                            return Err(Error::Config(format!(
                                "the URL variable `{name}` of the environment `{environment}` \
                                 cannot be checked: the pattern `{pattern}` {problem}"
                            )));
                        }
                    }
                }
                url.push_str(variable.value);
            }
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str, style: FormStyle) -> String {
        form_body(json.as_bytes(), style).unwrap()
    }

    #[test]
    fn nested_objects_maps_and_lists_keep_their_order() {
        let json = r#"{"z": {"b": {"c": "v"}}, "tags": ["x", "y"], "items": [{"sku": "s 1"}]}"#;
        assert_eq!(
            body(json, FormStyle::DEFAULT),
            "z%5Bb%5D%5Bc%5D=v&tags%5B%5D=x&tags%5B%5D=y&items%5B0%5D%5Bsku%5D=s+1"
        );
        assert_eq!(
            body(r#"{"n": 1.0, "m": -2}"#, FormStyle::DEFAULT),
            "n=1.0&m=-2"
        );
    }

    #[test]
    fn list_in_list_needs_indexes() {
        let json = r#"{"m": [["a"]]}"#;
        let error = form_body(json.as_bytes(), FormStyle::DEFAULT).unwrap_err();
        assert_eq!(error.path, "m[]");
        let indexed = FormStyle {
            arrays: FormArrays::Indexed,
            ..FormStyle::DEFAULT
        };
        assert_eq!(body(json, indexed), "m%5B0%5D%5B0%5D=a");
        assert!(form_body(b"[1]", FormStyle::DEFAULT).is_err());
    }

    #[test]
    fn url_template_pieces_and_problems() {
        use super::super::rules::UrlTemplateProblem;
        assert_eq!(
            url_template("https://{a}.x/{b_2}").unwrap(),
            vec![
                UrlTemplatePiece::Literal("https://"),
                UrlTemplatePiece::Variable("a"),
                UrlTemplatePiece::Literal(".x/"),
                UrlTemplatePiece::Variable("b_2"),
            ]
        );
        assert_eq!(
            url_template("https://{a.x").unwrap_err(),
            UrlTemplateProblem::Unclosed(8)
        );
        assert_eq!(
            url_template("https://{a{b}}").unwrap_err(),
            UrlTemplateProblem::Unclosed(8)
        );
        assert_eq!(
            url_template("https://a}").unwrap_err(),
            UrlTemplateProblem::Unopened(9)
        );
        assert_eq!(
            url_template("https://{}").unwrap_err(),
            UrlTemplateProblem::BadName(String::new())
        );
        assert!(url_variable_value("eu-1.prod_2"));
        for bad in ["", ".a", "a.", "a..b", "a/b", "a b", "é", "a%2F"] {
            assert!(!url_variable_value(bad), "{bad}");
        }
    }

    #[test]
    fn url_templates() {
        let vars = [UrlVariable {
            name: "prefix",
            value: "ab12",
            pattern: Some("[a-z0-9]{4}"),
        }];
        assert_eq!(
            fill_base_url("live", "https://{prefix}.example.com/v1", &vars).unwrap(),
            "https://ab12.example.com/v1"
        );
        for bad in ["", "a/b", "a@b", "a:1", ".a", "a..b", "x?y", "ab12#"] {
            let vars = [UrlVariable {
                name: "prefix",
                value: bad,
                pattern: None,
            }];
            let error = fill_base_url("live", "https://{prefix}.example.com", &vars).unwrap_err();
            let text = error.to_string();
            assert!(text.contains("`prefix`"), "{text}");
            assert!(bad.is_empty() || !text.contains(bad), "{text}");
        }
        let vars = [UrlVariable {
            name: "prefix",
            value: "ABCD",
            pattern: Some("[a-z0-9]{4}"),
        }];
        assert!(fill_base_url("live", "https://{prefix}.example.com", &vars).is_err());
        assert!(fill_base_url("live", "https://{prefix}.example.com", &[]).is_err());
    }

    /// A variable whose pattern cannot be checked (it does not compile; or, built without the
    /// `regex` feature, it needs the engine) refuses every value and says why, never lets
    /// the value through.
    #[test]
    fn a_url_variable_whose_pattern_cannot_be_checked_is_refused() {
        // Without the engine, no pattern beyond one bracket set is compiled at all.
        #[cfg(feature = "regex")]
        let cases = [("a)|(b", "does not compile")];
        #[cfg(not(feature = "regex"))]
        let cases = [
            ("a)|(b", "needs the `regex` feature"),
            ("[a-z]{2}[0-9]{2}", "needs the `regex` feature"),
        ];
        for (pattern, why) in cases {
            for value in ["a", "ab12", "b"] {
                let vars = [UrlVariable {
                    name: "prefix",
                    value,
                    pattern: Some(pattern),
                }];
                let text = fill_base_url("live", "https://{prefix}.example.com", &vars)
                    .unwrap_err()
                    .to_string();
                assert!(
                    text.contains(&format!("cannot be checked: the pattern `{pattern}` {why}")),
                    "{text}"
                );
            }
        }
        #[cfg(feature = "regex")]
        {
            let vars = [UrlVariable {
                name: "prefix",
                value: "ab12",
                pattern: Some("[a-z]{2}[0-9]{2}"),
            }];
            assert_eq!(
                fill_base_url("live", "https://{prefix}.example.com", &vars).unwrap(),
                "https://ab12.example.com"
            );
        }
    }
}
