//! Removal of secrets from texts that end up in errors (response excerpts,
//! server messages).

use super::call::encode_path_segment;
use super::config::Credentials;

/// The most characters of a response body kept in an error.
pub(crate) const EXCERPT_CHARS: usize = 512;

/// What replaces a secret.
const REDACTED: &str = "<redacted>";

/// Removes the configured password (and its encodings) and URL user-info
/// parts from texts.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    /// Longest first, so that a secret containing another is replaced whole.
    secrets: Vec<String>,
}

impl Redactor {
    /// A redactor for these credentials: the password as is, JSON-escaped,
    /// percent-encoded, and the `Authorization: Basic` token.
    pub(crate) fn new(credentials: &Credentials) -> Self {
        let password = credentials.password().expose();
        let mut secrets = Vec::new();
        if !password.is_empty() {
            secrets.push(password.to_owned());
            if let Ok(json) = serde_json::to_string(password) {
                let inner = json
                    .strip_prefix('"')
                    .and_then(|s| s.strip_suffix('"'))
                    .unwrap_or(&json);
                secrets.push(inner.to_owned());
            }
            secrets.push(encode_path_segment(password));
        }
        let token = base64(format!("{}:{}", credentials.user(), password).as_bytes());
        secrets.push(token);
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Redactor { secrets }
    }

    /// The text with every secret replaced by `<redacted>` and every URL
    /// user-info part (`https://user:pass@host`) by `https://<redacted>@host`.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut out = redact_userinfo(text);
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        out
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

/// Replaces the user-info part of every URL in `text`.
pub(crate) fn redact_userinfo(text: &str) -> String {
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

/// Standard base64 with padding (for the HTTP Basic token).
fn base64(input: &[u8]) -> String {
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
}
