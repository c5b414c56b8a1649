//! Where in a JSON text a decoding failed, as a path (`transactions[2].amount`).
//!
//! A value is decoded straight from its text with serde_json; only when that fails is the
//! text walked, up to the byte where serde_json stopped, to name the member or element it
//! was in. The walk is one function for every type, so a decoded type is compiled once for
//! the text reader and not again for a path-tracking wrapper: half the decoding code of a
//! produced crate and of the application that calls it.
//!
//! The path is the one of the innermost value that had started at that byte: a wrong type or
//! a refused value names its member; a missing member names the object it is missing from
//! (serde_json reports it after the object's `}`); a duplicate key, reported before its value
//! starts, names the object too. The root is `.`; members are joined with `.`, elements are
//! `[i]`.

use serde_core::de::DeserializeOwned;

/// A decoding that failed: where, and serde_json's message (which names what was expected).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The JSON path, `.` for the root.
    pub path: String,
    /// serde_json's message, with its line and column.
    pub message: String,
}

/// Decodes `text` as `T`; on failure, where and why.
pub(crate) fn decode<T: DeserializeOwned>(text: &str) -> Result<T, Failure> {
    serde_json::from_str(text).map_err(|e| Failure {
        path: path_of(text, &e),
        message: e.to_string(),
    })
}

/// Decodes a JSON value as `T`, from its text: the same decoding code as [`decode`]. The
/// message has no line and column: they would be those of a text nobody has seen.
pub(crate) fn decode_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, Failure> {
    let text = value.to_string();
    serde_json::from_str(&text).map_err(|e| {
        let message = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        Failure {
            path: path_of(&text, &e),
            message: message
                .strip_suffix(&position)
                .map_or_else(|| message.clone(), str::to_owned),
        }
    })
}

/// The path where `error`, from decoding `text`, occurred; `.` when it has no position.
pub(crate) fn path_of(text: &str, error: &serde_json::Error) -> String {
    match offset(text, error.line(), error.column()) {
        // serde_json places a syntax error just after the byte that breaks the text.
        Some(at) if error.is_syntax() => path_at(text, at.saturating_sub(1)),
        Some(at) => path_at(text, at),
        None => ".".to_owned(),
    }
}

/// `path` under `prefix` (the member an answer was read from): `prefix.path`,
/// `prefix[i]…`, or `prefix` alone for the root.
pub(crate) fn under(prefix: Option<&str>, path: &str) -> String {
    match prefix {
        None | Some(".") => path.to_owned(),
        Some(prefix) if path == "." => prefix.to_owned(),
        Some(prefix) if path.starts_with('[') => format!("{prefix}{path}"),
        Some(prefix) => format!("{prefix}.{path}"),
    }
}

/// The byte offset of serde_json's line (from 1) and column (bytes from the line's start).
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let start = if line == 1 {
        0
    } else {
        text.bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .nth(line - 2)?
            .0
            + 1
    };
    Some((start + column).min(text.len()))
}

/// One open object or array, and where the walk is in it.
enum Frame {
    /// `key`: the member last named; `value`: its value has started.
    Object {
        key: Option<String>,
        colon: bool,
        value: bool,
    },
    /// `index`: the element being read; `value`: it has started.
    Array { index: usize, value: bool },
}

/// The path of the innermost value started before byte `at` of `text`, or starting there:
/// a member's value once its `:` is read (serde_json decodes it from there on, and may
/// refuse it before reading it: an array where a text is expected), an element once a
/// value follows. The text may be malformed anywhere after `at` (or at it): only what
/// precedes is walked.
pub(crate) fn path_at(text: &str, at: usize) -> String {
    let bytes = &text.as_bytes()[..at.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            b'{' | b'[' => {
                value_starts(&mut stack);
                stack.push(if bytes[i] == b'{' {
                    Frame::Object {
                        key: None,
                        colon: false,
                        value: false,
                    }
                } else {
                    Frame::Array {
                        index: 0,
                        value: false,
                    }
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, colon, value }) => {
                    (*key, *colon, *value) = (None, false, false);
                }
                Some(Frame::Array { index, value }) => {
                    *index += 1;
                    *value = false;
                }
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { colon, .. }) = stack.last_mut() {
                    *colon = true;
                }
            }
            b'"' => {
                let end = string_end(bytes, i);
                match stack.last_mut() {
                    Some(Frame::Object {
                        key, colon: false, ..
                    }) => *key = Some(key_text(&bytes[i..end])),
                    _ => value_starts(&mut stack),
                }
                i = end;
                continue;
            }
            // A number or a literal: one token.
            _ => {
                value_starts(&mut stack);
                while i < bytes.len() && !is_delimiter(bytes[i]) {
                    i += 1;
                }
                continue;
            }
        }
        i += 1;
    }
    let next = text.as_bytes()[bytes.len()..]
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    match stack.last_mut() {
        Some(Frame::Object {
            colon: true, value, ..
        }) => *value = true,
        Some(Frame::Array { value, .. }) if next.is_some_and(|b| !matches!(b, b']' | b',')) => {
            *value = true;
        }
        _ => {}
    }
    render(&stack)
}

/// A value starts in the innermost frame.
fn value_starts(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Object { value, .. } | Frame::Array { value, .. }) => *value = true,
        None => {}
    }
}

fn is_delimiter(byte: u8) -> bool {
    matches!(
        byte,
        b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' | b'{' | b'}' | b'[' | b']' | b'"'
    )
}

/// The index after the closing quote of the string opening at `start` (or the end of the
/// bytes, for a string the walk stops inside).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A key, from its opening quote to its closing one, as it reads once unescaped (as it is
/// given, for a key the walk stops inside, maybe within a character, or one with a bad
/// escape).
fn key_text(quoted: &[u8]) -> String {
    let quoted = String::from_utf8_lossy(quoted);
    if quoted.len() >= 2 && quoted.ends_with('"') {
        if !quoted.contains('\\') {
            return quoted[1..quoted.len() - 1].to_owned();
        }
        if let Ok(key) = serde_json::from_str::<String>(&quoted) {
            return key;
        }
    }
    quoted.get(1..).unwrap_or("").to_owned()
}

fn render(stack: &[Frame]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object {
                key: Some(key),
                value: true,
                ..
            } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Array { index, value: true } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
            // A frame whose value has not started is where the failure is: deeper frames
            // cannot exist.
            _ => break,
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Order {
        id: String,
        #[serde(default)]
        lines: Vec<Line>,
        #[serde(default)]
        meta: BTreeMap<String, u32>,
        #[serde(default)]
        customer: Option<Customer>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Line {
        amount: u64,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Customer {
        email: String,
        address: Address,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Address {
        city: String,
    }

    /// The path this module gives, beside the one a path-tracking deserializer gives.
    fn both(text: &str) -> (String, String) {
        let ours = decode::<Order>(text).unwrap_err();
        let mut de = serde_json::Deserializer::from_str(text);
        let tracked = match serde_path_to_error::deserialize::<_, Order>(&mut de) {
            Err(e) => e.path().to_string(),
            Ok(_) => ".".to_owned(),
        };
        (ours.path, tracked)
    }

    #[test]
    fn names_the_member_the_element_or_the_object_a_failure_is_in() {
        let cases = [
            // A wrong type, at each depth.
            (r#"{"id": 5}"#, "id"),
            (
                r#"{"id": "a", "lines": [{"amount": 1}, {"amount": "x"}]}"#,
                "lines[1].amount",
            ),
            (
                r#"{"id": "a", "lines": [{"amount": 1, "tags": ["a", 2]}]}"#,
                "lines[0].tags[1]",
            ),
            (r#"{"id": "a", "meta": {"x": 1, "y": -1}}"#, "meta.y"),
            (
                r#"{"id":"a","customer":{"email":"e","address":{"city":[]}}}"#,
                "customer.address.city",
            ),
            (r#"{"id": "a", "lines": {"amount": 1}}"#, "lines"),
            (r#"{"id": "a", "lines": [5]}"#, "lines[0]"),
            (
                r#"{"id": "a", "customer": null, "lines": [null]}"#,
                "lines[0]",
            ),
            // A missing member: the object it is missing from.
            (r#"{"id": "a", "lines": [{"amount": 1}, {}]}"#, "lines[1]"),
            (
                r#"{"id":"a","customer":{"email":"e","address":{}}}"#,
                "customer.address",
            ),
            (r#"{"lines": []}"#, "."),
            // A duplicate member: the object.
            (r#"{"id": "a", "id": "b"}"#, "."),
            (
                r#"{"id": "a", "lines": [{"amount": 1, "amount": 2}]}"#,
                "lines[0]",
            ),
            // The root itself.
            ("[]", "."),
            ("5", "."),
            // Keys with escapes and multi-byte text, over several lines.
            (
                "{\n  \"id\": \"é\",\n  \"meta\": {\n    \"a\\\"b\": 1,\n    \"\\u00e9\": \"x\"\n  }\n}",
                "meta.é",
            ),
        ];
        for (text, expected) in cases {
            let (ours, tracked) = both(text);
            assert_eq!(ours, expected, "{text}");
            assert_eq!(ours, tracked, "{text}");
        }
    }

    #[test]
    fn malformed_text_is_located_where_it_breaks() {
        let cases = [
            (r#"{"id": "a", "lines": [{"amount": 1,}]}"#, "lines[0]"),
            (r#"{"id": "a", "lines": [{"amount": 1"#, "lines[0].amount"),
            (r#"{"id": "a", "lines": [{"amount": }]}"#, "lines[0].amount"),
            (
                r#"{"id": "a", "lines": [{"amount": 1, "tags": ["a",]}]}"#,
                "lines[0].tags",
            ),
            (
                r#"{"id": "a", "lines": [{"amount": tru}]}"#,
                "lines[0].amount",
            ),
            (r#"{"id": "a"} x"#, "."),
            (r#"{"id": "a\q"}"#, "id"),
            ("", "."),
        ];
        for (text, expected) in cases {
            assert_eq!(decode::<Order>(text).unwrap_err().path, expected, "{text}");
        }
    }

    #[test]
    fn the_message_is_serde_jsons() {
        let failure = decode::<Order>(r#"{"id": 5}"#).unwrap_err();
        assert_eq!(
            failure.message,
            "invalid type: integer `5`, expected a string at line 1 column 8"
        );
    }

    #[test]
    fn any_offset_of_any_text_gives_a_path() {
        // Truncated, cut and nonsense texts: never a panic, always a path.
        let text = "{\"a\\\"\": [1, {\"b\": \"c\\u00e9\"}, [[]]], \"é\": {\"x\": tr";
        for end in 0..=text.len() {
            if let Some(prefix) = text.get(..end) {
                for at in 0..=prefix.len() + 1 {
                    assert!(!path_at(prefix, at).is_empty());
                }
            }
        }
        assert_eq!(path_at(text, text.len()), "é.x");
        assert_eq!(offset("a\nb\nc", 3, 1), Some(5));
        assert_eq!(offset("a\nb", 7, 0), None);
        assert_eq!(offset("ab", 1, 9), Some(2));
    }

    #[test]
    fn a_path_under_a_prefix() {
        assert_eq!(under(None, "a.b"), "a.b");
        assert_eq!(under(Some("data"), "."), "data");
        assert_eq!(under(Some("data"), "[2].x"), "data[2].x");
        assert_eq!(under(Some("data"), "x"), "data.x");
        assert_eq!(under(Some("."), "x"), "x");
    }
}
