//! Removal of secrets from texts that end up in errors (response excerpts,
//! server messages).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::auth::Credentials;
use super::call::encode_path_segment;

/// The most characters of a response body kept in an error.
pub(crate) const EXCERPT_CHARS: usize = 512;

/// What replaces a secret.
const REDACTED: &str = "<redacted>";

/// Removes the configured secrets (and their encodings), the access tokens obtained at run
/// time, URL user-info parts and card numbers from texts.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    /// Longest first, so that a secret containing another is replaced whole.
    secrets: Vec<String>,
    /// Secrets learnt at run time (OAuth access tokens), shared by the clones of a client's
    /// redactor; the latest few only, longest first.
    obtained: Arc<Mutex<VecDeque<Vec<String>>>>,
    /// JSON keys whose values are secrets (the spec's `sensitive` fields).
    fields: &'static [&'static str],
}

/// How many access tokens obtained at run time a redactor remembers.
const OBTAINED_KEPT: usize = 8;

impl Redactor {
    /// A redactor for these credentials: each secret as is, JSON-escaped, percent-encoded
    /// (path and form styles), and the `Authorization: Basic` tokens (see
    /// `Credentials::secrets`).
    pub(crate) fn new(credentials: &Credentials) -> Self {
        let mut secrets = Vec::new();
        for secret in credentials.secrets() {
            secrets.extend(encodings(&secret));
        }
        sort_longest_first(&mut secrets);
        Redactor {
            secrets,
            obtained: Arc::default(),
            fields: &[],
        }
    }

    /// Also redacts this secret (and its encodings) from now on: an access token obtained at
    /// run time. Clones of this redactor learn it too.
    pub(crate) fn add_secret(&self, secret: &str) {
        if let Ok(mut obtained) = self.obtained.lock() {
            let mut forms = encodings(secret);
            sort_longest_first(&mut forms);
            if obtained.contains(&forms) {
                return;
            }
            obtained.push_back(forms);
            if obtained.len() > OBTAINED_KEPT {
                obtained.pop_front();
            }
        }
    }

    /// Also redacts the values of these JSON keys wherever they appear in a text.
    pub(crate) fn with_fields(mut self, fields: &'static [&'static str]) -> Self {
        self.fields = fields;
        self
    }

    /// The text with every secret replaced by `<redacted>`, every URL
    /// user-info part (`https://user:pass@host`) by `https://<redacted>@host`,
    /// every card number (see [`redact_card_numbers`]) by `<redacted>`, and
    /// control characters escaped (see [`printable`]).
    pub(crate) fn redact(&self, text: &str) -> String {
        if self.leaves_unchanged(text) {
            return text.to_owned();
        }
        let mut out = redact_userinfo(text);
        if let Ok(obtained) = self.obtained.lock() {
            for secret in obtained.iter().flatten() {
                replace_secret(&mut out, secret);
            }
        }
        for secret in &self.secrets {
            replace_secret(&mut out, secret);
        }
        for field in self.fields {
            out = redact_json_field(&out, field);
        }
        // What a server sends may be meant to forge a log line or a terminal sequence.
        printable(&redact_card_numbers(&out))
    }

    /// Whether [`Redactor::redact`] would give `text` back as it is: no URL (`://`), no quote
    /// (a sensitive JSON key is written quoted), no start of a card number (13 digits in a
    /// row, or 4 digits, a space or `-` and 4 digits), no control character, and no secret in it. Most texts an answer carries
    /// beside its value (dates, versions, modes, tickets) are such, and are then copied without
    /// the steps' allocations and searches.
    fn leaves_unchanged(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut digits = 0;
        for (i, &byte) in bytes.iter().enumerate() {
            if byte.is_ascii_digit() {
                digits += 1;
                continue;
            }
            // A card number is a run of 13 digits or more, or groups of 4 digits separated
            // by a space or `-`.
            let group_follows = || {
                bytes
                    .get(i + 1..i + 5)
                    .is_some_and(|group| group.iter().all(u8::is_ascii_digit))
            };
            if digits >= 13 || (digits == 4 && (byte == b' ' || byte == b'-') && group_follows()) {
                return false;
            }
            digits = 0;
            if byte == b'"' || byte.is_ascii_control() {
                return false;
            }
        }
        if digits >= 13 {
            return false;
        }
        if text.contains("://") || text.chars().any(char::is_control) {
            return false;
        }
        let contains =
            |secret: &String| secret.len() <= text.len() && text.contains(secret.as_str());
        if self.secrets.iter().any(contains) {
            return false;
        }
        match self.obtained.lock() {
            Ok(obtained) => !obtained.iter().flatten().any(contains),
            Err(_) => false,
        }
    }

    /// A JSON value with every string redacted like [`Redactor::redact`], every number that
    /// is a card number and every scalar under a sensitive key replaced by `"<redacted>"`.
    /// Object keys are redacted too. Depth is bounded by the JSON parser's limit.
    pub(crate) fn redact_value(&self, value: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(text) => Value::String(self.redact(text)),
            Value::Number(number) => {
                let text = number.to_string();
                if redact_card_numbers(&text) == text {
                    value.clone()
                } else {
                    Value::String(REDACTED.to_owned())
                }
            }
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.redact_value(v)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(key, v)| {
                        let hidden = self.fields.contains(&key.as_str())
                            && !matches!(v, Value::Object(_) | Value::Array(_) | Value::Null);
                        let v = if hidden {
                            Value::String(REDACTED.to_owned())
                        } else {
                            self.redact_value(v)
                        };
                        (self.redact(key), v)
                    })
                    .collect(),
            ),
            Value::Null | Value::Bool(_) => value.clone(),
        }
    }

    /// The first [`EXCERPT_CHARS`] characters of a body (invalid UTF-8
    /// replaced), redacted; `…` marks a cut.
    pub(crate) fn excerpt(&self, body: &[u8]) -> String {
        // Redact the whole body first so that no cut can leave part of a
        // secret visible (bodies are bounded by `max_response_bytes`).
        let text = self.redact(&String::from_utf8_lossy(body));
        let mut chars = text.chars();
        let mut out: String = chars.by_ref().take(EXCERPT_CHARS).collect();
        if chars.next().is_some() {
            out.push('…');
        }
        out
    }
}

/// The base64 of `user:password`, as the `Authorization: Basic` header carries it.
pub(crate) fn basic_token(user: &str, password: &str) -> String {
    base64(format!("{user}:{password}").as_bytes())
}

/// A secret as a text may hold it: as is, JSON-escaped, percent-encoded as a path segment
/// and as a form value. Empty texts are left out (they would match everywhere).
fn encodings(secret: &str) -> Vec<String> {
    let mut out = vec![secret.to_owned()];
    if let Ok(json) = serde_json::to_string(secret) {
        let inner = json
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(&json);
        out.push(inner.to_owned());
    }
    out.push(encode_path_segment(secret));
    out.push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    out.retain(|s| !s.is_empty());
    out.sort();
    out.dedup();
    out
}

fn sort_longest_first(secrets: &mut Vec<String>) {
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
}

/// Replaces every occurrence of a secret in `out`.
fn replace_secret(out: &mut String, secret: &str) {
    if secret.len() <= out.len() && out.contains(secret) {
        *out = out.replace(secret, REDACTED);
    }
}

/// Replaces the value of every `"field": value` pair in `text` (a string up to its closing
/// quote, or a number or literal), even in truncated JSON.
pub(crate) fn redact_json_field(text: &str, field: &str) -> String {
    let needle = format!("\"{field}\"");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&needle) {
        let after_key = at + needle.len();
        out.push_str(&rest[..after_key]);
        let tail = &rest[after_key..];
        let trimmed = tail.trim_start();
        let Some(after_colon) = trimmed.strip_prefix(':') else {
            rest = tail;
            continue;
        };
        let value = after_colon.trim_start();
        out.push_str(&tail[..tail.len() - value.len()]);
        let value_len = if let Some(inner) = value.strip_prefix('"') {
            let mut escaped = false;
            let mut end = inner.len();
            for (i, c) in inner.char_indices() {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        end = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            1 + end
        } else if value.starts_with(['{', '[']) || value.is_empty() {
            0
        } else {
            value.find([',', '}', ']', '\n']).unwrap_or(value.len())
        };
        if value_len > 0 {
            out.push_str("\"<redacted>\"");
        }
        rest = &value[value_len..];
    }
    out.push_str(rest);
    out
}

/// Replaces the user-info part of every URL in `text`.
fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let after = pos + 3;
        let (head, authority_and_more) = match (rest.get(..after), rest.get(after..)) {
            (Some(head), Some(tail)) => (head, tail),
            _ => break,
        };
        out.push_str(head);
        let end = authority_and_more
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '"' | '\'' | '<' | '>' | '\\' | '`')
                    || c.is_whitespace()
            })
            .unwrap_or(authority_and_more.len());
        let authority = authority_and_more.get(..end).unwrap_or("");
        match authority.rfind('@') {
            Some(at) => {
                out.push_str(REDACTED);
                out.push_str(authority.get(at..).unwrap_or("@"));
            }
            None => out.push_str(authority),
        }
        rest = authority_and_more.get(end..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Replaces card numbers (PANs) with `<redacted>`: runs of 13 to 19 digits
/// that pass the Luhn check, and 16 digits written as four groups of four
/// separated by one space or `-` (`4970 1012 3456 7893`) that pass it.
///
/// A server may echo a card number in an error message or in an answer that
/// fails to decode; errors keep such texts, and errors end up in logs.
pub(crate) fn redact_card_numbers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let starts_run = bytes.get(i).is_some_and(u8::is_ascii_digit)
            && !(i > 0 && bytes.get(i - 1).is_some_and(u8::is_ascii_digit));
        match card_number_end(bytes, i).filter(|_| starts_run) {
            Some(end) => {
                // Digits are ASCII, so `copied`, `i` and `end` are char boundaries.
                out.push_str(text.get(copied..i).unwrap_or_default());
                out.push_str(REDACTED);
                copied = end;
                i = end;
            }
            None => i += 1,
        }
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// The end of the card number starting at `start` (the first digit of a
/// run), if there is one.
fn card_number_end(bytes: &[u8], start: usize) -> Option<usize> {
    let rest = bytes.get(start..)?;
    let run = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if (13..=19).contains(&run) && luhn(rest.get(..run)?) {
        return Some(start + run);
    }
    if run != 4 {
        return None;
    }
    let separator = *rest.get(4)?;
    if separator != b' ' && separator != b'-' {
        return None;
    }
    let mut digits = Vec::with_capacity(16);
    let mut pos = 0;
    for group in 0..4 {
        if group > 0 {
            if rest.get(pos) != Some(&separator) {
                return None;
            }
            pos += 1;
        }
        let digits_of_group = rest.get(pos..pos + 4)?;
        if !digits_of_group.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.extend_from_slice(digits_of_group);
        pos += 4;
    }
    if rest.get(pos).is_some_and(u8::is_ascii_digit) || !luhn(&digits) {
        return None;
    }
    Some(start + pos)
}

/// The Luhn check of ASCII digits.
fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, byte) in digits.iter().rev().enumerate() {
        let mut d = u32::from(byte.wrapping_sub(b'0'));
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// Standard base64 with padding (the HTTP Basic token, base64 signatures).
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextet = |n: u32| -> char {
        ALPHABET
            .get(usize::try_from(n & 0x3f).unwrap_or(0))
            .map_or('=', |&b| char::from(b))
    };
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b0 = u32::from(chunk.first().copied().unwrap_or(0));
        let b1 = u32::from(chunk.get(1).copied().unwrap_or(0));
        let b2 = u32::from(chunk.get(2).copied().unwrap_or(0));
        let n = (b0 << 16) | (b1 << 8) | b2;
        out.push(sextet(n >> 18));
        out.push(sextet(n >> 12));
        out.push(if chunk.len() > 1 { sextet(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(n) } else { '=' });
    }
    out
}

/// A decoder's message without the values it quotes: serde writes what it found (`` `…` ``
/// or `"…"`) before `, expected` and what it expected after. What was found may be a card
/// number, a name or a token from the answer, so it is dropped; what was expected comes from
/// the SDK's own types and is kept. Card numbers left anywhere are redacted and control
/// characters escaped.
pub(crate) fn without_values(message: &str) -> String {
    // These quote a field name of the SDK's own types, not a value.
    let names_a_field = ["missing field", "duplicate field"]
        .iter()
        .any(|m| message.starts_with(m));
    let cut = if names_a_field {
        0
    } else {
        message.find(", expected").unwrap_or(message.len())
    };
    let (found, expected) = message.split_at(cut);
    let mut out = String::with_capacity(message.len());
    let mut chars = found.chars();
    while let Some(c) = chars.next() {
        match c {
            '`' | '"' => {
                // Skip to the closing quote; inside a Rust `Debug` string, `\"` is not one.
                let mut escaped = false;
                for d in chars.by_ref() {
                    match d {
                        '\\' if c == '"' && !escaped => escaped = true,
                        d if d == c && !escaped => break,
                        _ => escaped = false,
                    }
                }
                if out.ends_with(' ') {
                    out.pop();
                }
            }
            c => out.push(c),
        }
    }
    out.push_str(expected);
    printable(&redact_card_numbers(&out))
}

/// `text` with every control character written as an escape (`\n`, `\u{1b}`), so that a
/// value a peer controls cannot forge a log line or a terminal sequence.
pub(crate) fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
    }

    #[test]
    fn userinfo_is_removed() {
        assert_eq!(
            redact_userinfo("see https://user:pass@host/x?y"),
            "see https://<redacted>@host/x?y"
        );
        assert_eq!(
            redact_userinfo("a http://u@h b ftp://x:y@z"),
            "a http://<redacted>@h b ftp://<redacted>@z"
        );
        assert_eq!(
            redact_userinfo("https://host/a@b"),
            "https://host/a@b",
            "an @ in the path is not user-info"
        );
        assert_eq!(redact_userinfo("://@"), "://<redacted>@");
        assert_eq!(redact_userinfo("é://é:é@é"), "é://<redacted>@é");
        assert_eq!(redact_userinfo("no url"), "no url");
    }

    /// The fast path of `redact` takes only texts that every step leaves as they are, and
    /// says so for the plain texts an envelope carries.
    #[test]
    fn texts_left_unchanged_skip_the_steps() {
        let redactor =
            Redactor::new(&Credentials::basic("shop-1", "pw-secret")).with_fields(&["pan"]);
        redactor.add_secret("tok-obtained");
        for plain in [
            "SUCCESS",
            "2026-11-22T10:15:31+00:00",
            "6.5.0",
            "",
            "TEST",
            "é 123",
        ] {
            assert!(redactor.leaves_unchanged(plain), "{plain}");
            assert_eq!(redactor.redact(plain), plain);
        }
        for (text, redacted) in [
            ("with pw-secret", "with <redacted>"),
            ("tok-obtained!", "<redacted>!"),
            ("see https://u:p@host/x", "see https://<redacted>@host/x"),
            ("card 4970101234567893", "card <redacted>"),
            ("card 4970 1012 3456 7893", "card <redacted>"),
            ("{\"pan\": \"x\"}", "{\"pan\": \"<redacted>\"}"),
            ("line\nforged", "line\\nforged"),
            ("bell\u{85}", "bell\\u{85}"),
        ] {
            assert!(!redactor.leaves_unchanged(text), "{text}");
            assert_eq!(redactor.redact(text), redacted, "{text}");
        }
        // Digits and quotes that redact nothing still go the whole way, and come back as is.
        for text in ["order 1234 5678", "no 1234567890123", "say \"hi\""] {
            assert!(!redactor.leaves_unchanged(text), "{text}");
            assert_eq!(redactor.redact(text), text);
        }
    }

    #[test]
    fn secrets_and_encodings_are_removed() {
        let r = Redactor::new(&Credentials::basic("user", "p\"a ss"));
        let text = r#"pw=p"a ss json="p\"a ss" pct=p%22a%20ss basic=dXNlcjpwImEgc3M="#;
        let out = r.redact(text);
        assert!(!out.contains("p\"a ss"), "{out}");
        assert!(!out.contains(r#"p\"a ss"#), "{out}");
        assert!(!out.contains("p%22a%20ss"), "{out}");
        assert!(!out.contains("dXNlcjpwImEgc3M="), "{out}");
        assert_eq!(out.matches(REDACTED).count(), 4, "{out}");
    }

    #[test]
    fn sensitive_json_fields_are_removed() {
        let cases = [
            (
                r#"{"pan":"4970101234567893","x":1}"#,
                r#"{"pan":"<redacted>","x":1}"#,
            ),
            (
                r#"{"pan" : "a\"b", "x":1}"#,
                r#"{"pan" : "<redacted>", "x":1}"#,
            ),
            (r#"{"pan":4970,"x":1}"#, r#"{"pan":"<redacted>","x":1}"#),
            (r#"{"pan":"cut off"#, r#"{"pan":"<redacted>""#),
            (r#"{"pan":{"nested":1}}"#, r#"{"pan":{"nested":1}}"#),
            (r#"{"spans":"x","pan"}"#, r#"{"spans":"x","pan"}"#),
            ("no json at all", "no json at all"),
        ];
        for (text, expected) in cases {
            assert_eq!(redact_json_field(text, "pan"), expected, "{text}");
        }
        let redactor = Redactor::default().with_fields(&["cardHolderName"]);
        assert_eq!(
            redactor.redact(r#"{"cardHolderName":"Zoe"}"#),
            r#"{"cardHolderName":"<redacted>"}"#
        );
    }

    #[test]
    fn card_numbers_are_removed() {
        assert!(luhn(b"4970101234567893"));
        assert!(!luhn(b"4970101234567894"));
        let r = Redactor::new(&Credentials::basic("u", "hunter2"));
        assert_eq!(
            r.redact(r#"{"pan":"4970101234567893","n":4970101234567893}"#),
            r#"{"pan":"<redacted>","n":<redacted>}"#
        );
        assert_eq!(
            r.redact("card 4970 1012 3456 7893 or 4970-1012-3456-7893."),
            "card <redacted> or <redacted>."
        );
        // Amex (15 digits) and a 19-digit number.
        assert_eq!(r.redact("a378282246310005b"), "a<redacted>b");
        assert_eq!(r.redact("6759649826438453003"), "<redacted>");
        // Not card numbers: wrong check digit, too short, too long, masked, mixed
        // separators.
        for kept in [
            "4970101234567894",
            "497010123456",
            "49701012345678930000",
            "497010XXXXXX7893",
            "4970 1012-3456 7893",
            "amount 30050, date 2026-11-22",
            "é4970101234567894é",
        ] {
            assert_eq!(r.redact(kept), kept);
        }
        // Inside a longer digit run nothing is cut out.
        assert_eq!(r.redact("14970101234567893"), "14970101234567893");
        assert_eq!(r.redact("é4970101234567893é"), "é<redacted>é");
    }

    #[test]
    fn excerpt_is_bounded_and_redacted() {
        let r = Redactor::new(&Credentials::basic("u", "hunter2"));
        let mut body = "x".repeat(EXCERPT_CHARS - 3);
        body.push_str("hunter2 and more");
        let excerpt = r.excerpt(body.as_bytes());
        assert!(!excerpt.contains("hunter"), "{excerpt}");
        assert!(excerpt.ends_with('…'));
        assert_eq!(excerpt.chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(r.excerpt(b"short \xff body"), "short \u{fffd} body");
    }

    #[test]
    fn decoder_messages_lose_the_values_they_quote() {
        let cases = [
            (
                "invalid type: integer `4970101234567893`, expected a string at line 1 column 30",
                "invalid type: integer, expected a string at line 1 column 30",
            ),
            (
                r#"invalid type: string "Zoe \"Z\" Canary", expected u64"#,
                "invalid type: string, expected u64",
            ),
            (
                "unknown variant `SECRETVALUE`, expected one of `PAID`, `UNPAID`",
                "unknown variant, expected one of `PAID`, `UNPAID`",
            ),
            ("missing field `orderId`", "missing field `orderId`"),
            (
                "invalid value: string \"x\nforged log line\", expected a date",
                "invalid value: string, expected a date",
            ),
            ("card 4970101234567893 seen", "card <redacted> seen"),
            ("a\u{1b}[31mred", "a\\u{1b}[31mred"),
            ("unterminated `quote", "unterminated"),
        ];
        for (message, expected) in cases {
            assert_eq!(without_values(message), expected, "{message}");
        }
    }
}
