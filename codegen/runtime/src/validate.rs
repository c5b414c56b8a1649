//! Checks called by the generated `validate()` methods before a request is
//! sent. Each names the value it checks by an [`At`]: the dotted wire path is
//! only written when the check fails.
//!
//! None of these functions is generic over where the value sits (a closure per
//! call site would be): their code is compiled once, here, not once per checked
//! field in every produced crate.

use std::fmt;

use super::error::{InvalidRequest, Rule};
#[cfg(feature = "regex")]
use super::rules::compile_anchored;
use super::rules::{SimplePattern, simple_pattern};

/// Where a checked value sits, as the generated `validate_at(prefix)` knows it: the path of
/// its object (`prefix`, empty or ending with a dot), its wire name, and for an item of a
/// list or of a map its index or key. [`At::path`] writes it, only for an error.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    prefix: &'a str,
    wire: &'static str,
    item: Item<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Item<'a> {
    Whole,
    Index(usize),
    Key(&'a str),
}

impl<'a> At<'a> {
    /// The field `wire` of the object at `prefix`.
    pub fn field(prefix: &'a str, wire: &'static str) -> Self {
        At {
            prefix,
            wire,
            item: Item::Whole,
        }
    }

    /// Item `index` of the list in the field `wire`.
    pub fn item(prefix: &'a str, wire: &'static str, index: usize) -> Self {
        At {
            prefix,
            wire,
            item: Item::Index(index),
        }
    }

    /// The entry `key` of the map in the field `wire`.
    pub fn entry(prefix: &'a str, wire: &'static str, key: &'a str) -> Self {
        At {
            prefix,
            wire,
            item: Item::Key(key),
        }
    }

    /// The dotted wire path: `prefix` + `wire`, then `[index]` or `.key`
    /// (`shoppingCart.cartItemInfo[2]`).
    pub fn path(&self) -> String {
        self.to_string()
    }

    /// The prefix of the fields of the object at this place: its path and a dot, what the
    /// generated `validate_at` of a nested object is given.
    pub fn nested(&self) -> String {
        let mut path = self.path();
        path.push('.');
        path
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix)?;
        f.write_str(self.wire)?;
        match self.item {
            Item::Whole => Ok(()),
            Item::Index(index) => write!(f, "[{index}]"),
            Item::Key(key) => write!(f, ".{key}"),
        }
    }
}

/// [`At::nested`] of [`At::field`]: the prefix of the fields of the object in the field
/// `wire`.
pub fn nested(prefix: &str, wire: &'static str) -> String {
    At::field(prefix, wire).nested()
}

/// [`At::nested`] of [`At::item`]: the prefix of the fields of item `index` of the list in
/// the field `wire`.
pub fn nested_item(prefix: &str, wire: &'static str, index: usize) -> String {
    At::item(prefix, wire, index).nested()
}

/// [`At::nested`] of [`At::entry`]: the prefix of the fields of the entry `key` of the map in
/// the field `wire`.
pub fn nested_entry(prefix: &str, wire: &'static str, key: &str) -> String {
    At::entry(prefix, wire, key).nested()
}

/// Checks a length (characters of a string, items of a list) against the
/// bounds, inclusive.
pub fn check_length(
    len: usize,
    min: Option<u32>,
    max: Option<u32>,
    at: At<'_>,
) -> Result<(), InvalidRequest> {
    let len = u64::try_from(len).unwrap_or(u64::MAX);
    if let Some(min) = min {
        if len < u64::from(min) {
            return Err(InvalidRequest {
                path: at.path(),
                rule: Rule::MinLength(min),
            });
        }
    }
    if let Some(max) = max {
        if len > u64::from(max) {
            return Err(InvalidRequest {
                path: at.path(),
                rule: Rule::MaxLength(max),
            });
        }
    }
    Ok(())
}

/// Checks that a text contains only ASCII characters.
pub fn check_ascii(value: &str, at: At<'_>) -> Result<(), InvalidRequest> {
    if value.is_ascii() {
        Ok(())
    } else {
        Err(InvalidRequest {
            path: at.path(),
            rule: Rule::Ascii,
        })
    }
}

/// Checks that a field the spec marks required in its object (a named type's
/// `required` field) is set whenever the object is sent: `present` says whether it is.
pub fn check_required(present: bool, at: At<'_>) -> Result<(), InvalidRequest> {
    if present {
        Ok(())
    } else {
        Err(InvalidRequest {
            path: at.path(),
            rule: Rule::Required,
        })
    }
}

/// Checks a number against the bounds, inclusive.
pub fn check_range(
    value: i128,
    min: Option<i128>,
    max: Option<i128>,
    at: At<'_>,
) -> Result<(), InvalidRequest> {
    if let Some(min) = min {
        if value < min {
            return Err(InvalidRequest {
                path: at.path(),
                rule: Rule::Min(min),
            });
        }
    }
    if let Some(max) = max {
        if value > max {
            return Err(InvalidRequest {
                path: at.path(),
                rule: Rule::Max(max),
            });
        }
    }
    Ok(())
}

/// A spec `pattern` ready to check whole values; [`compile_pattern`] makes it.
#[derive(Debug, Clone)]
pub struct Pattern(Engine);

#[derive(Debug, Clone)]
enum Engine {
    /// One bracket set, repeated ([`SimplePattern`]): checked byte by byte.
    Simple(SimplePattern),
    /// Anything else: the anchored regular expression (the `regex` feature).
    #[cfg(feature = "regex")]
    Regex(regex_lite::Regex),
}

/// Why a spec pattern cannot check values. A check with it fails every value: a check that
/// cannot run must not let everything through.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PatternError {
    /// The regular expression does not compile (the engine's message).
    Invalid(String),
    /// The pattern is more than one bracket set and the runtime was built without its
    /// `regex` feature. The produced crate turns the feature on with every API that has
    /// such a pattern, so this is only seen when that wiring is bypassed.
    NeedsEngine,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PatternError::Invalid(message) => write!(f, "does not compile: {message}"),
            PatternError::NeedsEngine => {
                f.write_str("needs the `regex` feature of payspec-runtime")
            }
        }
    }
}

impl std::error::Error for PatternError {}

/// Compiles a spec `pattern` into what [`check_pattern`] uses: a match covers the whole value,
/// whatever flags or comments the pattern holds. A one-set pattern (`^[0-9a-fA-F]{32}$`) needs
/// no regular expression engine; any other needs the `regex` feature.
pub fn compile_pattern(pattern: &str) -> Result<Pattern, PatternError> {
    if let Some(simple) = simple_pattern(pattern) {
        return Ok(Pattern(Engine::Simple(simple)));
    }
    #[cfg(feature = "regex")]
    {
        compile_anchored(pattern, regex_lite::Regex::new)
            .map(|regex| Pattern(Engine::Regex(regex)))
            .map_err(|e| PatternError::Invalid(e.to_string()))
    }
    #[cfg(not(feature = "regex"))]
    {
        Err(PatternError::NeedsEngine)
    }
}

impl Pattern {
    /// Whether the whole value matches.
    pub fn matches(&self, value: &str) -> bool {
        match &self.0 {
            Engine::Simple(simple) => simple.matches(value),
            #[cfg(feature = "regex")]
            Engine::Regex(regex) => regex.is_match(value),
        }
    }
}

/// Checks that a whole text matches a pattern (`pattern` is its source, shown in the error);
/// `compiled` is what [`compile_pattern`] made of it.
///
/// A pattern that did not compile fails every value ([`Rule::BrokenPattern`],
/// [`Rule::PatternNeedsEngine`]): a check that cannot run must not let everything through.
pub fn check_pattern(
    value: &str,
    compiled: Result<&Pattern, &PatternError>,
    pattern: &'static str,
    at: At<'_>,
) -> Result<(), InvalidRequest> {
    let rule = match compiled {
        Ok(compiled) if compiled.matches(value) => return Ok(()),
        Ok(_) => Rule::Pattern(pattern),
        Err(PatternError::Invalid(_)) => Rule::BrokenPattern(pattern),
        Err(PatternError::NeedsEngine) => Rule::PatternNeedsEngine(pattern),
    };
    Err(InvalidRequest {
        path: at.path(),
        rule,
    })
}

/// A value kept as the wire sent it ([`Decimal`](super::money::Decimal),
/// [`Date`](super::datetime::Date), [`DateTime`](super::datetime::DateTime)): one decoded from
/// an answer may be malformed, and a request does not send it back.
pub trait KeptAsSent {
    /// The rule a malformed value breaks.
    const RULE: Rule;
    /// Whether the text is of the type's form.
    fn is_well_formed(&self) -> bool;
}

impl KeptAsSent for super::money::Decimal {
    const RULE: Rule = Rule::Decimal;
    fn is_well_formed(&self) -> bool {
        self.is_well_formed()
    }
}

impl KeptAsSent for super::datetime::Date {
    const RULE: Rule = Rule::Date;
    fn is_well_formed(&self) -> bool {
        self.is_well_formed()
    }
}

impl KeptAsSent for super::datetime::DateTime {
    const RULE: Rule = Rule::DateTime;
    fn is_well_formed(&self) -> bool {
        self.is_well_formed()
    }
}

/// Checks that a value kept as sent is well formed ([`KeptAsSent`]).
pub fn check_well_formed<T: KeptAsSent>(value: &T, at: At<'_>) -> Result<(), InvalidRequest> {
    if value.is_well_formed() {
        Ok(())
    } else {
        Err(InvalidRequest {
            path: at.path(),
            rule: T::RULE,
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

    /// A value at the top of the request, named `wire`.
    fn p(wire: &'static str) -> At<'static> {
        At::field("", wire)
    }

    /// Where a passing check's value sits: never written.
    const NEVER: At<'static> = At {
        prefix: "",
        wire: "unused",
        item: Item::Whole,
    };

    #[test]
    fn places_write_the_paths_validate_at_gives() {
        assert_eq!(At::field("", "amount").path(), "amount");
        assert_eq!(
            At::field("cardDuplicate.", "captureDelay").path(),
            "cardDuplicate.captureDelay"
        );
        assert_eq!(
            At::item("shoppingCart.", "cartItemInfo", 2).path(),
            "shoppingCart.cartItemInfo[2]"
        );
        assert_eq!(At::entry("", "_links", "self").path(), "_links.self");
        assert_eq!(nested("", "customer"), "customer.");
        assert_eq!(nested("a.", "b"), "a.b.");
        assert_eq!(nested_item("cart.", "items", 0), "cart.items[0].");
        assert_eq!(nested_entry("", "_links", "self"), "_links.self.");
        let e = check_required(false, At::field("customer.", "email")).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.rule),
            ("customer.email", Rule::Required)
        );
        assert!(check_required(true, NEVER).is_ok());
    }

    #[test]
    fn length() {
        assert!(check_length(3, Some(3), Some(5), NEVER).is_ok());
        assert!(check_length(5, Some(3), Some(5), NEVER).is_ok());
        assert!(check_length(0, None, None, NEVER).is_ok());
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
        assert!(check_ascii("Hello, 123!", NEVER).is_ok());
        let e = check_ascii("héllo", p("name")).unwrap_err();
        assert_eq!(e.rule, Rule::Ascii);
        assert_eq!(
            e.to_string(),
            "invalid request: `name` must contain only ASCII characters"
        );
    }

    #[test]
    fn range() {
        assert!(check_range(0, Some(0), Some(7), NEVER).is_ok());
        assert!(check_range(7, Some(0), Some(7), NEVER).is_ok());
        assert!(check_range(i128::MIN, None, None, NEVER).is_ok());
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
        let re = compile_pattern("^[A-Z]{3}$").unwrap();
        assert!(check_pattern("EUR", Ok(&re), "^[A-Z]{3}$", NEVER).is_ok());
        let e =
            check_pattern("eur", Ok(&re), "^[A-Z]{3}$", p("shoppingCart[2].currency")).unwrap_err();
        assert_eq!(e.path, "shoppingCart[2].currency");
        assert_eq!(e.rule, Rule::Pattern("^[A-Z]{3}$"));
        assert_eq!(
            e.to_string(),
            "invalid request: `shoppingCart[2].currency` must match the pattern `^[A-Z]{3}$`"
        );
    }

    #[cfg(feature = "regex")]
    #[test]
    fn patterns_match_whole_values() {
        let re = compile_pattern("[A-Z]{3}|[0-9]{3}").unwrap();
        for value in ["EUR", "978"] {
            assert!(check_pattern(value, Ok(&re), "", NEVER).is_ok(), "{value}");
        }
        for value in ["EURO", "x978", "EUR978", "EUR\n"] {
            assert!(
                check_pattern(value, Ok(&re), "", p("c")).is_err(),
                "{value}"
            );
        }
    }

    /// A comment in extended mode used to swallow the closing `)$` of the anchored form; the
    /// compile error was then dropped and every value passed.
    #[cfg(feature = "regex")]
    #[test]
    fn an_extended_pattern_with_a_comment_still_checks() {
        let pattern = "(?x)^[A-Z0-9-]+$ # ref";
        let re = compile_pattern(pattern);
        assert!(check_pattern("REF-1", re.as_ref(), pattern, NEVER).is_ok());
        let e = check_pattern("lower case", re.as_ref(), pattern, p("ref")).unwrap_err();
        assert_eq!(e.rule, Rule::Pattern(pattern));
    }

    #[cfg(feature = "regex")]
    #[test]
    fn a_pattern_that_does_not_compile_fails_closed() {
        let broken = compile_pattern("a)|(b");
        assert!(broken.is_err());
        for value in ["a", "b", "", "anything"] {
            let e = check_pattern(value, broken.as_ref(), "a)|(b", p("x")).unwrap_err();
            assert_eq!(e.rule, Rule::BrokenPattern("a)|(b"));
        }
        assert_eq!(
            check_pattern("a", broken.as_ref(), "a)|(b", p("x"))
                .unwrap_err()
                .to_string(),
            "invalid request: `x` cannot be checked: the pattern `a)|(b` does not compile"
        );
    }

    /// Built without the engine, a one-set pattern still checks and any other fails every
    /// value, saying why.
    #[cfg(not(feature = "regex"))]
    #[test]
    fn without_the_engine_only_one_set_patterns_check() {
        let hex = compile_pattern("^[0-9a-f]{4}$").unwrap();
        assert!(check_pattern("0a1b", Ok(&hex), "^[0-9a-f]{4}$", NEVER).is_ok());
        let other = compile_pattern("[A-Z]{3}|[0-9]{3}");
        assert_eq!(other.as_ref().unwrap_err(), &PatternError::NeedsEngine);
        for value in ["EUR", "978", ""] {
            let e = check_pattern(value, other.as_ref(), "[A-Z]{3}|[0-9]{3}", p("c")).unwrap_err();
            assert_eq!(e.rule, Rule::PatternNeedsEngine("[A-Z]{3}|[0-9]{3}"));
        }
        assert_eq!(
            check_pattern("EUR", other.as_ref(), "x|y", p("c"))
                .unwrap_err()
                .to_string(),
            "invalid request: `c` cannot be checked: the pattern `x|y` needs the `regex` feature \
             of payspec-runtime"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 500, failure_persistence: None, ..proptest::prelude::ProptestConfig::default()
        })]

        /// A pattern the fast check takes matches exactly the values `regex-lite` matches.
        #[test]
        fn simple_patterns_agree_with_regex_lite(
            pattern in "\\^?\\[([a-f0-9Z]|[0-9a-zA-Z]-[0-9a-zA-Z]){1,4}\\](|\\+|\\*|\\?|\\{[0-9]{1,2}\\}|\\{[0-9],\\}|\\{[0-9],[0-9]{1,2}\\})\\$?",
            values in proptest::collection::vec("[0-9a-zA-Z\\-\\n é_]{0,12}|[0-9a-fA-F]{30,34}", 1..20),
        ) {
            let Ok(regex) = super::super::rules::compile_anchored(&pattern, regex_lite::Regex::new) else {
                proptest::prop_assert!(super::super::rules::simple_pattern(&pattern).is_none(), "{}", pattern);
                return Ok(());
            };
            if let Some(simple) = super::super::rules::simple_pattern(&pattern) {
                for value in &values {
                    proptest::prop_assert_eq!(simple.matches(value), regex.is_match(value), "{} {:?}", pattern, value);
                }
            }
        }
    }
}
