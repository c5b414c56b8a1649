//! Notification signatures as a composition (S085 to S088): where the signature is, what is
//! signed, with which HMAC and encodings, and the timestamp's tolerance. Each word must fit the
//! notification's encoding, and nothing may leave a signature that does not cover what it
//! claims (a timestamp outside the signed text, a tolerance with no timestamp).

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::spec::{Notification, NotificationEncoding, Spanned};

/// One piece of a `signed:` template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePiece {
    /// `{body}`: the raw body.
    Body,
    /// `{<timestamp_part>}`: the timestamp as received.
    Timestamp,
    /// Fixed text.
    Text(String),
}

/// Reads a `signed:` template: `{body}` and `{<timestamp_part>}` with fixed text between.
/// `{body}` must occur exactly once; the timestamp, when there is one, exactly once.
pub fn template(text: &str, timestamp_part: Option<&str>) -> Result<Vec<TemplatePiece>, String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            Some(0) if rest.starts_with('{') => {
                let end = rest
                    .find('}')
                    .ok_or_else(|| "a `{` is not closed".to_owned())?;
                let name = &rest[1..end];
                if name == "body" {
                    pieces.push(TemplatePiece::Body);
                } else if Some(name) == timestamp_part {
                    pieces.push(TemplatePiece::Timestamp);
                } else {
                    return Err(format!(
                        "`{{{name}}}` is neither `{{body}}` nor the timestamp part{}",
                        timestamp_part.map_or(String::new(), |t| format!(" `{{{t}}}`"))
                    ));
                }
                rest = &rest[end + 1..];
            }
            Some(0) => return Err("a `}` is not opened".to_owned()),
            Some(at) => {
                pieces.push(TemplatePiece::Text(rest[..at].to_owned()));
                rest = &rest[at..];
            }
            None => {
                pieces.push(TemplatePiece::Text(rest.to_owned()));
                rest = "";
            }
        }
    }
    let count = |p: &TemplatePiece| pieces.iter().filter(|q| *q == p).count();
    if count(&TemplatePiece::Body) != 1 {
        return Err("`{body}` must occur exactly once".to_owned());
    }
    if let Some(t) = timestamp_part {
        if count(&TemplatePiece::Timestamp) != 1 {
            return Err(format!(
                "the timestamp `{{{t}}}` must occur exactly once, or its age proves nothing"
            ));
        }
    }
    Ok(pieces)
}

impl Checker<'_> {
    /// The signature of one notification: S085 (where), S086 (what is signed), S087 (the
    /// algorithm), S088 (the timestamp).
    pub(super) fn check_signature(&mut self, name: &Spanned<String>, n: &Notification) {
        let sig = &n.signature;
        let form = n.encoding.value == NotificationEncoding::Form;
        let mut misplaced = |word: &str, at: Option<&serde_saphyr::Location>, wanted: &str| {
            if let Some(at) = at {
                let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
                let place = crate::diagnostics::Place {
                    file: self.file.to_owned(),
                    line: clamp(at.line()),
                    column: clamp(at.column()),
                };
                self.diags.push(
                    Diagnostic::error(
                        "S085",
                        place,
                        format!(
                            "`{word}` does not fit notification `{}` with `encoding: {}`",
                            name.value,
                            if form { "form" } else { "json" }
                        ),
                    )
                    .hint(wanted.to_owned()),
                );
            }
        };
        fn loc(v: Option<&Spanned<String>>) -> Option<&serde_saphyr::Location> {
            v.map(|v| &v.referenced)
        }
        if form {
            let hint = "a form notification carries its signature and payload in fields: use `field:` and `payload_field:`";
            misplaced("header", loc(sig.header.as_ref()), hint);
            misplaced("part", loc(sig.part.as_ref()), hint);
            misplaced("timestamp_part", loc(sig.timestamp_part.as_ref()), hint);
            misplaced("signed", loc(sig.signed.as_ref()), hint);
            misplaced(
                "tolerance",
                sig.tolerance.as_ref().map(|t| &t.referenced),
                hint,
            );
        } else {
            let hint = "a json notification's body is the payload, signed in a header: use `header:` (and `part:`, `timestamp_part:`, `signed:`)";
            misplaced("field", loc(sig.field.as_ref()), hint);
            misplaced("payload_field", loc(n.payload_field.as_ref()), hint);
            misplaced("algorithm_field", loc(sig.algorithm_field.as_ref()), hint);
            misplaced("key_field", loc(sig.key_field.as_ref()), hint);
            misplaced(
                "fields",
                n.fields.iter().next().map(|(k, _)| &k.referenced),
                hint,
            );
            if sig.unescape_slashes {
                misplaced("unescape_slashes", Some(&name.referenced), hint);
            }
        }
        let missing = |word: &str| {
            Diagnostic::error(
                "S085",
                self.at(name),
                format!("notification `{}` does not say where {word} is", name.value),
            )
        };
        let mut found = Vec::new();
        if form {
            if sig.field.is_none() {
                found.push(
                    missing("the signature")
                        .hint("add `field:` naming the form field that holds the signature"),
                );
            }
            if n.payload_field.is_none() {
                found.push(missing("the payload").hint(
                    "add `payload_field:` naming the form field that holds the JSON payload",
                ));
            }
        } else if sig.header.is_none() {
            found.push(
                missing("the signature")
                    .hint("add `header:` naming the header that holds the signature"),
            );
        }
        if let (Some(part), Some(t)) = (&sig.part, &sig.timestamp_part) {
            if part.value == t.value {
                found.push(
                    Diagnostic::error(
                        "S085",
                        self.at(t),
                        format!("`{}` is both the signature part and the timestamp part", t.value),
                    )
                    .hint("name the two parts of the header differently (e.g. `part: v1`, `timestamp_part: t`)"),
                );
            }
        }
        if sig.timestamp_part.is_some() && sig.part.is_none() {
            if let Some(t) = &sig.timestamp_part {
                found.push(
                    Diagnostic::error(
                        "S085",
                        self.at(t),
                        "`timestamp_part` needs `part`: the header is structured",
                    )
                    .hint(
                        "add `part:` naming the header part that holds the signature (e.g. `v1`)",
                    ),
                );
            }
        }
        if let Some(signed) = &sig.signed {
            if let Err(problem) = template(
                &signed.value,
                sig.timestamp_part.as_ref().map(|t| t.value.as_str()),
            ) {
                found.push(
                    Diagnostic::error("S086", self.at(signed), format!("`signed: {}`: {problem}", signed.value))
                        .hint("write a template of `{body}` and the timestamp part with fixed text between, e.g. `\"{t}.{body}\"`"),
                );
            }
        } else if let (Some(t), false) = (&sig.timestamp_part, form) {
            found.push(
                Diagnostic::error(
                    "S086",
                    self.at(t),
                    "the timestamp is not signed: `signed:` is missing",
                )
                .hint(format!(
                    "add `signed: \"{{{}}}.{{body}}\"` (or whatever the API signs)",
                    t.value
                )),
            );
        }
        match (&sig.scheme, &sig.hmac, &sig.encoding) {
            (Some(_), None, None) | (None, Some(_), Some(_)) => {}
            (Some(scheme), _, _) => found.push(
                Diagnostic::error("S087", self.at(scheme), "`scheme` is set together with `hmac` or `encoding`")
                    .hint("`scheme: hmac_sha256_hex` is format 1 for `hmac: sha256` and `encoding: hex`: keep one form"),
            ),
            (None, _, _) => found.push(
                Diagnostic::error("S087", self.at(name), format!("notification `{}` does not say how it is signed", name.value))
                    .hint("add `hmac: sha256` (or `sha512`) and `encoding: hex` (or `base64`)"),
            ),
        }
        match (&sig.timestamp_part, &sig.tolerance) {
            (Some(t), None) => found.push(
                Diagnostic::error(
                    "S088",
                    self.at(t),
                    "a timestamp without `tolerance` does not stop replays",
                )
                .hint("add `tolerance:` in seconds (e.g. `300`)"),
            ),
            (None, Some(tolerance)) if !form => found.push(
                Diagnostic::error(
                    "S088",
                    self.at(tolerance),
                    "`tolerance` without `timestamp_part`: there is no time to check",
                )
                .hint(
                    "add `timestamp_part:` naming the header part that holds the time of signing",
                ),
            ),
            (_, Some(tolerance)) if tolerance.value == 0 => found.push(
                Diagnostic::error(
                    "S088",
                    self.at(tolerance),
                    "`tolerance: 0` refuses every notification",
                )
                .hint("allow for delivery delay and clock skew, e.g. `300`"),
            ),
            _ => {}
        }
        self.diags.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::{TemplatePiece as P, template};

    #[test]
    fn templates() {
        let text = |t: &str| P::Text(t.to_owned());
        assert_eq!(template("{body}", None), Ok(vec![P::Body]));
        assert_eq!(
            template("{t}.{body}", Some("t")),
            Ok(vec![P::Timestamp, text("."), P::Body])
        );
        assert_eq!(
            template("v0:{ts}:{body}!", Some("ts")),
            Ok(vec![
                text("v0:"),
                P::Timestamp,
                text(":"),
                P::Body,
                text("!")
            ])
        );
        for (bad, timestamp) in [
            ("{body", None),
            ("body}", None),
            ("{t}.{body}", None),
            ("{t}", Some("t")),
            ("{body}{body}", None),
            ("{body}", Some("t")),
            ("{t}{t}{body}", Some("t")),
            ("", None),
            ("{}{body}", None),
        ] {
            assert!(template(bad, timestamp).is_err(), "{bad:?} {timestamp:?}");
        }
    }
}
