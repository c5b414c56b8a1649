//! Dotted paths: how a parameter key (`customer.billingDetails.firstName`,
//! `items[].sku`, `metadata."order.id"`) splits into the wire names of its segments.
//!
//! A segment written in double quotes is one wire name, dots included (format 2): it never
//! nests. Everything that reads a key goes through [`segments`], so that check, the example
//! walk and lower agree on what a key means.

/// One segment of a dotted path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The wire name, without quotes or `[]`.
    pub name: &'a str,
    /// Written `name[]`: a list of objects whose fields the following segments address.
    pub list: bool,
}

/// Why a key is not a dotted path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// `a..b`, a leading or trailing dot, or a bare `[]` (S005).
    EmptySegment,
    /// A quote that does not open and close a whole segment, or an empty quoted name (S061).
    BadQuote(String),
}

/// The segments of `key`, or why it has none.
pub fn segments(key: &str) -> Result<Vec<Segment<'_>>, PathError> {
    let mut out = Vec::new();
    let mut rest = key;
    loop {
        let (name, after) = if let Some(quoted) = rest.strip_prefix('"') {
            let Some(close) = quoted.find('"') else {
                return Err(PathError::BadQuote(
                    "opens a quote that does not close".to_owned(),
                ));
            };
            let name = &quoted[..close];
            if name.is_empty() {
                return Err(PathError::BadQuote("has an empty quoted name".to_owned()));
            }
            (name, &quoted[close + 1..])
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            let raw = &rest[..end];
            let bare = raw.strip_suffix("[]").unwrap_or(raw);
            if bare.contains('"') {
                return Err(PathError::BadQuote(format!(
                    "has a quote inside the segment `{raw}`"
                )));
            }
            if bare.is_empty() {
                return Err(PathError::EmptySegment);
            }
            (bare, &rest[bare.len()..])
        };
        let (list, after) = match after.strip_prefix("[]") {
            Some(after) => (true, after),
            None => (false, after),
        };
        out.push(Segment { name, list });
        if after.is_empty() {
            return Ok(out);
        }
        match after.strip_prefix('.') {
            Some(next) if !next.is_empty() => rest = next,
            Some(_) => return Err(PathError::EmptySegment),
            None => {
                return Err(PathError::BadQuote(format!(
                    "has `{}` right after a quoted name, where a dot belongs",
                    after.chars().next().unwrap_or('"')
                )));
            }
        }
    }
}

/// A wire name as one segment of a key: quoted when it holds a dot, a quote or a `[`.
pub fn quote(wire: &str) -> String {
    if wire.contains(['.', '"', '[']) {
        format!("\"{wire}\"")
    } else {
        wire.to_owned()
    }
}

/// The key of the field `wire` of the object at `prefix` (empty at the root).
pub fn join(prefix: &str, wire: &str) -> String {
    if prefix.is_empty() {
        quote(wire)
    } else {
        format!("{prefix}.{}", quote(wire))
    }
}

/// `key` written the one way [`join`] writes it (quotes only where needed), if it parses.
pub fn normalize(key: &str) -> Option<String> {
    let segments = segments(key).ok()?;
    let mut out = String::new();
    for s in segments {
        out = join(&out, s.name);
        if s.list {
            out.push_str("[]");
        }
    }
    Some(out)
}

/// Whether `key` addresses a field inside an object (more than one segment, or a list).
pub fn is_nested(key: &str) -> bool {
    segments(key).map_or(true, |s| s.len() > 1 || s.iter().any(|s| s.list))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(key: &str) -> Vec<(String, bool)> {
        segments(key)
            .unwrap()
            .iter()
            .map(|s| (s.name.to_owned(), s.list))
            .collect()
    }

    #[test]
    fn splits_keys() {
        let s = |n: &str, l| (n.to_owned(), l);
        assert_eq!(names("a"), [s("a", false)]);
        assert_eq!(names("a.b"), [s("a", false), s("b", false)]);
        assert_eq!(names("items[].sku"), [s("items", true), s("sku", false)]);
        assert_eq!(names("\"x.y\""), [s("x.y", false)]);
        assert_eq!(
            names("metadata.\"order.id\""),
            [s("metadata", false), s("order.id", false)]
        );
        assert_eq!(names("\"a.b\"[].c"), [s("a.b", true), s("c", false)]);
        assert_eq!(names("\"a[]\".b"), [s("a[]", false), s("b", false)]);
    }

    #[test]
    fn refuses_broken_keys() {
        for key in ["a..b", ".a", "a.", "[]", "a.[].b"] {
            assert_eq!(segments(key), Err(PathError::EmptySegment), "{key}");
        }
        for key in [
            "\"a", "a.\"b", "\"\"", "a\"b\"", "\"a\"b", "\"a\".", "x.\"a.b",
        ] {
            assert!(
                matches!(
                    segments(key),
                    Err(PathError::BadQuote(_)) | Err(PathError::EmptySegment)
                ),
                "{key}"
            );
        }
        assert!(matches!(segments("\"a\"b"), Err(PathError::BadQuote(_))));
    }

    #[test]
    fn quotes_what_needs_it() {
        assert_eq!(join("", "a"), "a");
        assert_eq!(join("m", "order.id"), "m.\"order.id\"");
        assert!(!is_nested("\"x.y\""));
        assert!(is_nested("a.b"));
        assert!(is_nested("a[].b"));
    }
}
