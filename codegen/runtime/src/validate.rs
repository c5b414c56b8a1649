//! Checks called by the generated `validate()` methods before a request is
//! sent. `path` builds the dotted wire path of the value and is only called
//! when the check fails.

use super::error::{InvalidRequest, Rule};

/// Checks a length (characters of a string, items of a list) against the
/// bounds, inclusive.
pub fn check_length(
    len: usize,
    min: Option<u32>,
    max: Option<u32>,
    path: impl FnOnce() -> String,
) -> Result<(), InvalidRequest> {
    let len = u64::try_from(len).unwrap_or(u64::MAX);
    if let Some(min) = min {
        if len < u64::from(min) {
            return Err(InvalidRequest {
                path: path(),
                rule: Rule::MinLength(min),
            });
        }
    }
    if let Some(max) = max {
        if len > u64::from(max) {
            return Err(InvalidRequest {
                path: path(),
                rule: Rule::MaxLength(max),
            });
        }
    }
    Ok(())
}

/// Checks that a text contains only ASCII characters.
pub fn check_ascii(value: &str, path: impl FnOnce() -> String) -> Result<(), InvalidRequest> {
    if value.is_ascii() {
        Ok(())
    } else {
        Err(InvalidRequest {
            path: path(),
            rule: Rule::Ascii,
        })
    }
}

/// Checks a number against the bounds, inclusive.
pub fn check_range(
    value: i128,
    min: Option<i128>,
    max: Option<i128>,
    path: impl FnOnce() -> String,
) -> Result<(), InvalidRequest> {
    if let Some(min) = min {
        if value < min {
            return Err(InvalidRequest {
                path: path(),
                rule: Rule::Min(min),
            });
        }
    }
    if let Some(max) = max {
        if value > max {
            return Err(InvalidRequest {
                path: path(),
                rule: Rule::Max(max),
            });
        }
    }
    Ok(())
}

/// Checks that a text matches a regular expression (`pattern` is its
/// source, shown in the error). The match is a search, as in JSON Schema:
/// anchor the expression with `^...$` to require a full match.
pub fn check_pattern(
    value: &str,
    regex: &regex_lite::Regex,
    pattern: &'static str,
    path: impl FnOnce() -> String,
) -> Result<(), InvalidRequest> {
    if regex.is_match(value) {
        Ok(())
    } else {
        Err(InvalidRequest {
            path: path(),
            rule: Rule::Pattern(pattern),
        })
    }
}

/// Checks that no extra (undocumented) parameter reuses the name of a documented one.
pub fn check_extra<V>(
    extra: &std::collections::BTreeMap<String, V>,
    documented: &[&str],
) -> Result<(), InvalidRequest> {
    match extra.keys().find(|k| documented.contains(&k.as_str())) {
        Some(name) => Err(InvalidRequest {
            path: name.clone(),
            rule: Rule::Documented,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(path: &str) -> impl FnOnce() -> String + '_ {
        move || path.to_owned()
    }

    fn never() -> String {
        panic!("the path must only be built on failure")
    }

    #[test]
    fn length() {
        assert!(check_length(3, Some(3), Some(5), never).is_ok());
        assert!(check_length(5, Some(3), Some(5), never).is_ok());
        assert!(check_length(0, None, None, never).is_ok());
        let short = check_length(2, Some(3), Some(5), p("a.b")).unwrap_err();
        assert_eq!(short.path, "a.b");
        assert_eq!(short.rule, Rule::MinLength(3));
        assert_eq!(
            short.to_string(),
            "invalid request: `a.b` must have a length of at least 3"
        );
        let long = check_length(6, Some(3), Some(5), p("items")).unwrap_err();
        assert_eq!(long.rule, Rule::MaxLength(5));
        assert_eq!(
            long.to_string(),
            "invalid request: `items` must have a length of at most 5"
        );
        assert!(check_length(usize::MAX, None, Some(u32::MAX), p("x")).is_err());
    }

    #[test]
    fn ascii() {
        assert!(check_ascii("Hello, 123!", never).is_ok());
        let e = check_ascii("héllo", p("name")).unwrap_err();
        assert_eq!(e.rule, Rule::Ascii);
        assert_eq!(
            e.to_string(),
            "invalid request: `name` must contain only ASCII characters"
        );
    }

    #[test]
    fn range() {
        assert!(check_range(0, Some(0), Some(7), never).is_ok());
        assert!(check_range(7, Some(0), Some(7), never).is_ok());
        assert!(check_range(i128::MIN, None, None, never).is_ok());
        let low = check_range(-1, Some(0), Some(7), p("cardDuplicate.captureDelay")).unwrap_err();
        assert_eq!(low.rule, Rule::Min(0));
        let high = check_range(8, Some(0), Some(7), p("cardDuplicate.captureDelay")).unwrap_err();
        assert_eq!(high.rule, Rule::Max(7));
        assert_eq!(
            high.to_string(),
            "invalid request: `cardDuplicate.captureDelay` must be at most 7"
        );
        assert_eq!(
            low.to_string(),
            "invalid request: `cardDuplicate.captureDelay` must be at least 0"
        );
    }

    #[test]
    fn pattern() {
        let re = regex_lite::Regex::new("^[A-Z]{3}$").unwrap();
        assert!(check_pattern("EUR", &re, "^[A-Z]{3}$", never).is_ok());
        let e = check_pattern("eur", &re, "^[A-Z]{3}$", p("shoppingCart[2].currency")).unwrap_err();
        assert_eq!(e.path, "shoppingCart[2].currency");
        assert_eq!(e.rule, Rule::Pattern("^[A-Z]{3}$"));
        assert_eq!(
            e.to_string(),
            "invalid request: `shoppingCart[2].currency` must match the pattern `^[A-Z]{3}$`"
        );
    }
}
