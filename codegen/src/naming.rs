//! Every conversion from a wire name to a Rust name goes through here.
//!
//! Wire names come from vendors and may be anything: Rust keywords, names starting with digits,
//! dashes, slashes, YAML oddities. These functions either return a valid Rust identifier or
//! `None` when no sensible one exists (the caller then asks the spec author for a `name:`).

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Strict and reserved keywords of Rust 2024 (including `gen`).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Splits a wire name into ASCII words for case conversion; `None` if it holds anything but
/// ASCII letters, digits and separators, or no letter or digit at all.
fn words(wire: &str) -> Option<String> {
    if !wire
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " _-./:+@$".contains(c))
    {
        return None;
    }
    let spaced: String = wire
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let trimmed = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    (!trimmed.is_empty()).then_some(trimmed)
}

/// A snake_case identifier for fields, methods and modules, keyword-escaped.
///
/// `orderId` -> `order_id`, `type` -> `r#type`, `self` -> `self_`, `04` -> `_04`.
pub fn snake(wire: &str) -> Option<String> {
    let mut name = words(wire)?.to_snake_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    Some(escape(name))
}

/// An UpperCamelCase identifier for types and variants, keyword-escaped.
///
/// `manualValidation` -> `ManualValidation`, `NO` -> `No`, `04` -> `V04`, `Self` -> `Self_`.
pub fn pascal(wire: &str) -> Option<String> {
    let mut name = words(wire)?.to_upper_camel_case();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    Some(escape(name))
}

/// Escapes a keyword: a raw identifier where Rust allows one, else a trailing underscore.
pub fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The Rust field name an author gives with `name:` (format 2): a snake_case identifier
/// (lower-case ASCII letters, digits and `_`, not starting with a digit), a keyword becoming a
/// raw identifier (`type` -> `r#type`). `Err` says what is wrong: not snake_case, or a keyword
/// that cannot be raw (`self`, `super`, `crate`, `_`).
pub fn field_name(given: &str) -> Result<String, &'static str> {
    let mut chars = given.chars();
    let starts_well = matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_');
    if !starts_well || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err("is not a snake_case identifier");
    }
    if NOT_RAW.contains(&given) {
        return Err("is a keyword that cannot be a raw identifier");
    }
    Ok(escape(given.to_owned()))
}

/// The identifier without its `r#` prefix, as it reads in docs and in derived names.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Whether `name` is a plain or raw Rust identifier this module could have produced.
pub fn is_identifier(name: &str) -> bool {
    let bare = unraw(name);
    let mut chars = bare.chars();
    let starts_well = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_');
    starts_well
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && bare != "_"
        && !(name == bare && KEYWORDS.contains(&bare))
        && !(name != bare && NOT_RAW.contains(&bare))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_field_names() {
        assert_eq!(field_name("return_url_2").as_deref(), Ok("return_url_2"));
        assert_eq!(field_name("type").as_deref(), Ok("r#type"));
        assert_eq!(field_name("_x").as_deref(), Ok("_x"));
        for bad in [
            "",
            "returnUrl",
            "9a",
            "a-b",
            "é",
            "a b",
            "self",
            "super",
            "crate",
            "_",
        ] {
            assert!(field_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn snake_table() {
        let table = [
            ("orderId", Some("order_id")),
            ("captureDelay", Some("capture_delay")),
            ("order_id", Some("order_id")),
            ("type", Some("r#type")),
            ("gen", Some("r#gen")),
            ("self", Some("self_")),
            ("Self", Some("self_")),
            ("crate", Some("crate_")),
            ("super", Some("super_")),
            ("04", Some("_04")),
            ("3dsecure", Some("_3dsecure")),
            ("Transaction/Duplicate", Some("transaction_duplicate")),
            ("orders/cancelHeld", Some("orders_cancel_held")),
            ("form-urlencoded", Some("form_urlencoded")),
            ("_type", Some("r#type")),
            ("", None),
            ("---", None),
            ("café", None),
        ];
        for (wire, expected) in table {
            assert_eq!(snake(wire).as_deref(), expected, "snake({wire:?})");
        }
    }

    #[test]
    fn pascal_table() {
        let table = [
            ("manualValidation", Some("ManualValidation")),
            ("NO", Some("No")),
            ("YES", Some("Yes")),
            ("04", Some("V04")),
            ("1e3", Some("V1e3")),
            ("Self", Some("Self_")),
            ("self", Some("Self_")),
            ("CANCELLATION_ONLY", Some("CancellationOnly")),
            ("form-urlencoded", Some("FormUrlencoded")),
            ("en_US", Some("EnUs")),
            ("PSP_016", Some("Psp016")),
            ("Option", Some("Option")),
            ("V4/Transaction", Some("V4Transaction")),
            ("~", None),
            ("", None),
            ("Ñandú", None),
        ];
        for (wire, expected) in table {
            assert_eq!(pascal(wire).as_deref(), expected, "pascal({wire:?})");
        }
    }

    #[test]
    fn identifiers_are_recognised() {
        for ok in ["a", "r#type", "self_", "_04", "V04"] {
            assert!(is_identifier(ok), "{ok}");
        }
        for bad in ["", "_", "type", "r#self", "4a", "a-b"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }
}
