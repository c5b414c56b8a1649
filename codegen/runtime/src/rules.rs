//! Rules that codegen and the runtime must apply identically, in one file that both compile:
//! codegen includes it with `#[path]` (see `codegen/src/lib.rs`) for its checks, so a spec
//! passes them exactly when the runtime would accept its values. It uses nothing else of the
//! runtime.

/// The form of a spec `pattern` that is compiled: a match must cover the whole value.
///
/// The closing part must survive whatever the pattern ends with. In extended mode (`(?x)`) a
/// trailing `# comment` runs to the end of the line, so it would swallow a bare `)$`: the
/// newline ends any comment. Outside extended mode that newline would be a literal to match,
/// so `(?x)` first turns it into ignored whitespace; either way the group then closes. Flags
/// the pattern sets (`(?m)`, `(?i)`, `(?x)`) stay inside the group, so the outer `^` and `$`
/// always anchor at the ends of the whole value.
pub fn anchored_pattern(pattern: &str) -> String {
    format!("^(?:{pattern}(?x)\n)$")
}

/// Compiles a spec `pattern` into the regular expression that checks values.
///
/// The pattern must compile on its own too: wrapped, an unbalanced `a)|(b` would compile into
/// `^(?:a)|(b…)$`, which no longer anchors both ends.
pub fn compile_pattern(pattern: &str) -> Result<regex_lite::Regex, regex_lite::Error> {
    regex_lite::Regex::new(pattern)?;
    regex_lite::Regex::new(&anchored_pattern(pattern))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns that break a naive `^(?:…)$`, with values they must and must not match.
    #[test]
    fn hostile_patterns_match_whole_values() {
        let table: &[(&str, &[&str], &[&str])] = &[
            (
                "(?x)^[A-Z0-9-]+$ # ref",
                &["ABC-1", "A"],
                &["abc", "", "ABC 1", "ABC\n"],
            ),
            ("(?x) a b # c\n d", &["abd"], &["ab d", "abdx", "a b d"]),
            ("(?x)a # (", &["a"], &["", "a #", "a # ("]),
            ("(?x)a #\\", &["a"], &["a\\", ""]),
            ("(?m)^a$", &["a"], &["a\na", "a\n", "b\na"]),
            ("a|b", &["a", "b"], &["ab", "ba", "a|b", ""]),
            ("(?i)abc", &["abc", "ABC", "aBc"], &["abcd", "xabc"]),
            ("(?s)a.b", &["a\nb", "axb"], &["ab", "a\nbc"]),
            ("(?-x)a # b", &["a # b"], &["a", "a#b"]),
            ("x(?x)", &["x"], &["", "xx"]),
            ("", &[""], &["a", "\n"]),
            ("[0-9]{2}", &["04"], &["4", "004", "04\n"]),
        ];
        for (pattern, good, bad) in table {
            let regex = compile_pattern(pattern)
                .unwrap_or_else(|e| panic!("{pattern:?} should compile: {e}"));
            for value in *good {
                assert!(regex.is_match(value), "{pattern:?} must match {value:?}");
            }
            for value in *bad {
                assert!(
                    !regex.is_match(value),
                    "{pattern:?} must not match {value:?}"
                );
            }
        }
    }

    #[test]
    fn patterns_that_only_compile_wrapped_are_refused() {
        for pattern in ["a)|(b", "abc\\", "\\", "[a", "a{2", "(", ")"] {
            assert!(compile_pattern(pattern).is_err(), "{pattern:?}");
        }
    }
}
