//! Located problems in spec files, and their rustc-like rendering.
//!
//! Every check pushes `Diagnostic`s instead of returning at the first problem, so a maintainer
//! sees everything wrong with a spec in one run. Codes are stable; spec/README.md catalogues
//! them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_saphyr::Spanned;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation stops; nothing is written.
    Error,
    /// Generation goes on; the message is printed.
    Warning,
}

/// Where a problem is: a file and a 1-based line and column (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The spec file, as given to codegen (`spec/lyra.yaml`).
    pub file: String,
    /// 1-based line; 0 when unknown.
    pub line: u32,
    /// 1-based column, in characters; 0 when unknown.
    pub column: u32,
}

impl Place {
    /// The place of a spanned value in `file`.
    pub fn of<T>(file: &str, value: &Spanned<T>) -> Place {
        let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Place {
            file: file.to_owned(),
            line: clamp(value.referenced.line()),
            column: clamp(value.referenced.column()),
        }
    }
}

/// One problem in a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code, `S` + three digits; see spec/README.md.
    pub code: &'static str,
    /// Where.
    pub place: Place,
    /// What is wrong, lower case, no final period.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `place`.
    pub fn error(code: &'static str, place: Place, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            place,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `place`.
    pub fn warning(code: &'static str, place: Place, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            code,
            place,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
}

/// Pairs (cause, consequence) of codes that one mistake raises together on one line: the
/// consequence is dropped when its cause is reported on the same line, so that one mistake
/// gives one diagnostic.
const CONSEQUENCES: &[(&str, &str)] = &[
    // A header given twice in two cases (`X-Dup`, `x-dup`) also collides as a Rust name.
    ("S040", "S004"),
    // An enum value listed twice also collides as a Rust name.
    ("S013", "S004"),
    // A nullable path parameter is refused; the doc of its null does not matter then.
    ("S020", "S016"),
];

/// Drops the diagnostics that are the consequence of another on the same line
/// ([`CONSEQUENCES`]).
pub fn drop_consequences(diagnostics: &mut Vec<Diagnostic>) {
    let causes: Vec<(&'static str, String, u32)> = diagnostics
        .iter()
        .map(|d| (d.code, d.place.file.clone(), d.place.line))
        .collect();
    diagnostics.retain(|d| {
        !CONSEQUENCES.iter().any(|(cause, consequence)| {
            d.code == *consequence
                && causes
                    .iter()
                    .any(|(c, f, l)| c == cause && *f == d.place.file && *l == d.place.line)
        })
    });
}

/// Sorts diagnostics by file, position, then code, and drops exact duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.place, a.severity, a.code, &a.message).cmp(&(&b.place, b.severity, b.code, &b.message))
    });
    diagnostics.dedup();
}

/// Renders diagnostics like rustc: a headline, the location, the source line and a caret.
///
/// `sources` maps each file name to its text, for the snippets.
pub fn render(diagnostics: &[Diagnostic], sources: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    // Each file's lines, split once: a big spec can have many diagnostics.
    let mut lines: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in diagnostics {
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{severity}[{}]: {}", d.code, d.message);
        let _ = writeln!(
            out,
            "  --> {}:{}:{}",
            d.place.file, d.place.line, d.place.column
        );
        let file_lines = lines.entry(d.place.file.as_str()).or_insert_with(|| {
            sources
                .get(&d.place.file)
                .map(|text| text.lines().collect())
                .unwrap_or_default()
        });
        let line_text = (d.place.line as usize)
            .checked_sub(1)
            .and_then(|i| file_lines.get(i).copied());
        if let Some(line_text) = line_text {
            let number = d.place.line.to_string();
            let pad = " ".repeat(number.len());
            let (line_text, caret_at) =
                window(line_text, (d.place.column as usize).saturating_sub(1));
            let caret_pad: String = line_text
                .chars()
                .take(caret_at)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {line_text}");
            let _ = writeln!(out, "{pad} | {caret_pad}^");
            if let Some(hint) = &d.hint {
                let _ = writeln!(out, "{pad} = help: {hint}");
            }
        } else if let Some(hint) = &d.hint {
            let _ = writeln!(out, "   = help: {hint}");
        }
        out.push('\n');
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 || warnings > 0 {
        let _ = writeln!(out, "{errors} error(s), {warnings} warning(s)");
    }
    out
}

/// The part of a long source line around the caret (a spec written on one line can be
/// megabytes long), with the caret's new column.
fn window(line: &str, caret: usize) -> (String, usize) {
    const SIDE: usize = 60;
    if line.chars().count() <= 2 * SIDE + 40 {
        return (line.to_owned(), caret);
    }
    let start = caret.saturating_sub(SIDE);
    let mut text: String = line.chars().skip(start).take(2 * SIDE).collect();
    let mut caret = caret - start;
    if start > 0 {
        text.insert(0, '…');
        caret += 1;
    }
    if line.chars().count() > start + 2 * SIDE {
        text.push('…');
    }
    (text, caret)
}

/// The catalogue entry of `code` (`S013`, or `s13`) from the diagnostics table of
/// spec/README.md (`readme`, the one catalogue): code, severity, meaning and fix, one row per
/// meaning (a code with two meanings has two). `None` when the code has no row.
pub fn explain(readme: &str, code: &str) -> Option<String> {
    let digits = code.trim().trim_start_matches(['S', 's']);
    let number: u32 = digits.parse().ok()?;
    let code = format!("S{number:03}");
    let mut out = String::new();
    for row in readme.lines() {
        let cells: Vec<&str> = row.split(" | ").map(str::trim).collect();
        let [first, severity, meaning, fix] = cells.as_slice() else {
            continue;
        };
        if first.trim_start_matches('|').trim() != code {
            continue;
        }
        let fix = fix.trim_end_matches('|').trim();
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{code} ({severity})\n\n{meaning}\n\nFix: {fix}");
    }
    (!out.is_empty()).then_some(out)
}

/// The codes of the diagnostics table of spec/README.md (`readme`), in the order of its rows.
pub fn catalogue_codes(readme: &str) -> Vec<&str> {
    readme
        .lines()
        .filter_map(|row| row.strip_prefix("| S"))
        .filter_map(|rest| rest.split_once(" |"))
        .filter(|(digits, _)| digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()))
        .map(|(digits, _)| digits)
        .collect()
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // A typo is a short word's; comparing long ones would cost their lengths multiplied.
    const LONGEST: usize = 64;
    let length = word.chars().count();
    if length > LONGEST {
        return None;
    }
    let limit = (length / 3).max(1);
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        .map(|c| (edit_distance(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_a_code_from_its_table_rows() {
        let readme = "| Code | Severity | Meaning | Fix |\n|---|---|---|---|\n| S017 | warning | No environments. | Add them. |\n| S017 | error | A bad URL. | Fix it. |\n| S018 | error | Other. | Other fix. |\n";
        let text = explain(readme, "s17").expect("known");
        assert_eq!(
            text,
            "S017 (warning)\n\nNo environments.\n\nFix: Add them.\n\nS017 (error)\n\nA bad URL.\n\nFix: Fix it.\n"
        );
        assert_eq!(explain(readme, "S019"), None);
        assert_eq!(explain(readme, "S0x"), None);
        assert_eq!(catalogue_codes(readme), ["017", "017", "018"]);
    }

    #[test]
    fn drops_a_consequence_on_the_line_of_its_cause() {
        let at = |line| Place {
            file: "a.yaml".into(),
            line,
            column: 7,
        };
        let mut diags = vec![
            Diagnostic::error("S004", at(3), "collides"),
            Diagnostic::error("S040", at(3), "header twice"),
            Diagnostic::error("S004", at(4), "collides elsewhere"),
        ];
        drop_consequences(&mut diags);
        let codes: Vec<_> = diags.iter().map(|d| (d.code, d.place.line)).collect();
        assert_eq!(codes, [("S040", 3), ("S004", 4)]);
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["Transaction", "Currency", "ManualValidation"];
        assert_eq!(did_you_mean("Transacton", names), Some("Transaction"));
        assert_eq!(did_you_mean("currency", names), Some("Currency"));
        assert_eq!(did_you_mean("Order", names), None);
    }

    #[test]
    fn gives_up_on_long_words() {
        let long = "a".repeat(65);
        assert_eq!(did_you_mean(&long, [long.as_str()]), None);
        assert_eq!(did_you_mean("abcdefghij", ["a"]), None);
    }

    #[test]
    fn shows_a_window_of_long_lines() {
        let line = format!("{}X{}", "a".repeat(1_000), "b".repeat(1_000));
        let (text, caret) = window(&line, 1_000);
        assert_eq!(text.chars().nth(caret), Some('X'));
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(text.chars().count(), 122);
        assert_eq!(window("short", 2), ("short".to_owned(), 2));
        let (text, caret) = window(&line, 3);
        assert_eq!((caret, text.starts_with('a')), (3, true));
    }

    #[test]
    fn renders_snippet_with_caret_and_hint() {
        let mut sources = BTreeMap::new();
        sources.insert(
            "spec/a.yaml".to_owned(),
            "a: 1\nbb: { type: Strng }\n".to_owned(),
        );
        let d = Diagnostic::error(
            "S003",
            Place {
                file: "spec/a.yaml".into(),
                line: 2,
                column: 13,
            },
            "unknown type `Strng`",
        )
        .hint("did you mean `string`?");
        let text = render(&[d], &sources);
        assert_eq!(
            text,
            "error[S003]: unknown type `Strng`\n  --> spec/a.yaml:2:13\n  |\n2 | bb: { type: Strng }\n  |             ^\n  = help: did you mean `string`?\n\n1 error(s), 0 warning(s)\n"
        );
    }
}
