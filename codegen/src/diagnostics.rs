//! Located problems in spec files, and their rustc-like rendering.
//!
//! Every check pushes `Diagnostic`s instead of returning at the first problem, so a maintainer
//! sees everything wrong with a spec in one run. Codes are stable; spec/README.md catalogues
//! them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Element, Level, Origin, Renderer, Snippet};
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
    /// The other place the problem involves ("the other one is here"), shown as a second
    /// labelled snippet.
    pub related: Option<Box<Related>>,
}

/// A second place a diagnostic points at, with what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub place: Place,
    /// What is there, lower case: `first defined here`.
    pub label: String,
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
            related: None,
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
            related: None,
        }
    }

    /// Adds the other place the problem involves, labelled (`first defined here`).
    pub fn related(mut self, place: Place, label: impl Into<String>) -> Diagnostic {
        self.related = Some(Box::new(Related {
            place,
            label: label.into(),
        }));
        self
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

/// Renders diagnostics like rustc, without colour: [`render_with`].
pub fn render(diagnostics: &[Diagnostic], sources: &BTreeMap<String, String>) -> String {
    render_with(diagnostics, sources, false)
}

/// Renders diagnostics like rustc (with `annotate-snippets`, rustc's renderer): a headline with
/// the code, the location, the source line with the whole value or key underlined, the other
/// place involved as a second labelled snippet, the hint; then the count. With `color`, ANSI
/// colours as rustc uses them on a terminal (the caller decides: a terminal, `NO_COLOR` unset).
///
/// `sources` maps each file name to its text, for the snippets.
pub fn render_with(
    diagnostics: &[Diagnostic],
    sources: &BTreeMap<String, String>,
    color: bool,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    // Each file's lines, split once: a big spec can have many diagnostics.
    let mut lines: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in diagnostics {
        for place in std::iter::once(&d.place).chain(d.related.as_ref().map(|r| &r.place)) {
            lines.entry(place.file.as_str()).or_insert_with(|| {
                sources
                    .get(&place.file)
                    .map(|text| text.lines().collect())
                    .unwrap_or_default()
            });
        }
    }
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        // A related place on the same line is a second annotation of the one snippet.
        let same_line = d.related.as_ref().filter(|r| {
            r.place.file == d.place.file
                && r.place.line == d.place.line
                && lines
                    .get(d.place.file.as_str())
                    .and_then(|l| l.get((d.place.line as usize).checked_sub(1)?))
                    .is_some_and(|line| line.len() <= LONG_LINE)
        });
        let also = same_line.map(|r| (&r.place, r.label.as_str()));
        let mut group = level.primary_title(d.message.as_str()).id(d.code).element(
            snippet(&d.place, &lines, AnnotationKind::Primary, None, also)
                .unwrap_or_else(|| origin(&d.place)),
        );
        if let Some(related) = d.related.as_ref().filter(|_| same_line.is_none()) {
            let label = Some(related.label.as_str());
            group = group.element(
                snippet(&related.place, &lines, AnnotationKind::Context, label, None)
                    .unwrap_or_else(|| origin(&related.place)),
            );
        }
        if let Some(hint) = &d.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
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

/// The location alone, for a place whose line is not in its source (or unknown).
fn origin(place: &Place) -> Element<'static> {
    let mut origin = Origin::path(place.file.clone());
    if place.line > 0 {
        origin = origin.line(place.line as usize);
        if place.column > 0 {
            origin = origin.char_column(place.column as usize);
        }
    }
    origin.into()
}

/// The line of `place` with the value or key that starts there underlined, if the line is known;
/// `also`, a place on the same line (and a line short enough not to be cut), is underlined as
/// context with its label.
fn snippet<'a>(
    place: &Place,
    lines: &BTreeMap<&str, Vec<&'a str>>,
    kind: AnnotationKind,
    label: Option<&'a str>,
    also: Option<(&Place, &'a str)>,
) -> Option<Element<'a>> {
    let line = *lines
        .get(place.file.as_str())?
        .get((place.line as usize).checked_sub(1)?)?;
    let column = (place.column as usize).saturating_sub(1);
    // The renderer trims a long line around the span itself; a line of megabytes (a spec
    // written on one line) is cut first, at the price of a column relative to the cut.
    let (line, start) = if line.len() > LONG_LINE {
        window(line, column)
    } else {
        (line.to_owned(), column)
    };
    let width = token_width(&line, start);
    let byte = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(i, _)| i)
    };
    let span = byte(start)..byte(start + width);
    let other = also.map(|(other, label)| {
        let start = (other.column as usize).saturating_sub(1);
        let span = byte(start)..byte(start + token_width(&line, start));
        AnnotationKind::Context.span(span).label(Some(label))
    });
    Some(
        Snippet::source(line)
            .line_start(place.line as usize)
            .path(place.file.clone())
            .annotation(kind.span(span).label(label))
            .annotations(other)
            .into(),
    )
}

/// How many characters the YAML value or key starting at character `start` of `line` spans:
/// a quoted scalar with its quotes, a `{ … }` or `[ … ]` with its brackets, a plain scalar up to
/// `: `, ` #`, the end of the line (or, inside brackets, `,`, `}` or `]`), trailing blanks left
/// out. At least 1 (a place past the end of the line gets a caret).
fn token_width(line: &str, start: usize) -> usize {
    let chars: Vec<char> = line.chars().collect();
    let Some(&first) = chars.get(start) else {
        return 1;
    };
    let rest = &chars[start..];
    let end = match first {
        '"' | '\'' => closing(rest),
        '{' | '[' => {
            let close = if first == '{' { '}' } else { ']' };
            let mut depth = 0usize;
            rest.iter()
                .position(|&c| {
                    if c == first {
                        depth += 1;
                    } else if c == close {
                        depth = depth.saturating_sub(1);
                    }
                    depth == 0
                })
                .map(|i| i + 1)
        }
        _ => {
            let in_flow = chars[..start].iter().fold(0i32, |depth, c| match c {
                '{' | '[' => depth + 1,
                '}' | ']' => depth - 1,
                _ => depth,
            }) > 0;
            let stop = (0..rest.len()).find(|&i| {
                let c = rest[i];
                let next = rest.get(i + 1).copied();
                (c == ':' && next.is_none_or(|n| n == ' '))
                    || (c == '#' && i > 0 && rest[i - 1] == ' ')
                    || (in_flow && matches!(c, ',' | '}' | ']'))
            });
            Some(stop.unwrap_or(rest.len()))
        }
    };
    let end = end.unwrap_or(rest.len());
    let trimmed = rest[..end].iter().rposition(|c| !c.is_whitespace());
    trimmed.map_or(1, |last| last + 1)
}

/// One past the closing quote of a quoted scalar starting at 0: `\\` escapes the next
/// character of a `"…"`, `''` is a quote inside a `'…'`.
fn closing(rest: &[char]) -> Option<usize> {
    let quote = rest[0];
    let mut i = 1;
    while i < rest.len() {
        match rest[i] {
            '\\' if quote == '"' => i += 2,
            '\'' if quote == '\'' && rest.get(i + 1) == Some(&'\'') => i += 2,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The longest line given whole to the renderer.
const LONG_LINE: usize = 4096;

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

    fn sources() -> BTreeMap<String, String> {
        let mut sources = BTreeMap::new();
        sources.insert(
            "spec/a.yaml".to_owned(),
            "a: 1\nbb: { type: Strng }\ntypes:\n  Order: {}\n  Order: {}\n".to_owned(),
        );
        sources
    }

    fn at(line: u32, column: u32) -> Place {
        Place {
            file: "spec/a.yaml".into(),
            line,
            column,
        }
    }

    fn unknown_type() -> Diagnostic {
        Diagnostic::error("S003", at(2, 13), "unknown type `Strng`").hint("did you mean `string`?")
    }

    #[test]
    fn renders_like_rustc_with_the_whole_value_underlined() {
        let text = render(&[unknown_type()], &sources());
        assert_eq!(
            text,
            "error[S003]: unknown type `Strng`\n --> spec/a.yaml:2:13\n  |\n2 | bb: { type: Strng }\n  |             ^^^^^\n  |\n  = help: did you mean `string`?\n\n1 error(s), 0 warning(s)\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = render_with(&[unknown_type()], &sources(), false);
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
        let coloured = render_with(&[unknown_type()], &sources(), true);
        assert!(coloured.contains("\u{1b}["), "{coloured:?}");
        // The same text once the escapes are gone.
        let mut stripped = String::new();
        let mut escape = false;
        for c in coloured.chars() {
            match c {
                '\u{1b}' => escape = true,
                'm' if escape => escape = false,
                _ if escape => {}
                c => stripped.push(c),
            }
        }
        assert_eq!(stripped, plain);
    }

    #[test]
    fn a_related_place_is_a_second_labelled_snippet() {
        let d = Diagnostic::error("S004", at(5, 3), "`Order` is defined twice")
            .related(at(4, 3), "first defined here");
        let text = render(&[d], &sources());
        assert_eq!(
            text,
            "error[S004]: `Order` is defined twice\n --> spec/a.yaml:5:3\n  |\n5 |   Order: {}\n  |   ^^^^^\n  |\n ::: spec/a.yaml:4:3\n  |\n4 |   Order: {}\n  |   ----- first defined here\n\n1 error(s), 0 warning(s)\n"
        );
        // In another file, or on a line the text does not have: its location at least.
        let mut other = d_in_other_file();
        other.place.line = 99;
        let text = render(&[other], &sources());
        assert!(text.contains("spec/b.yaml"), "{text}");
        assert!(text.contains("spec/a.yaml:99"), "{text}");
    }

    /// On the same line, the first one is a second annotation of the one snippet, as rustc
    /// shows two spans of a line.
    #[test]
    fn a_related_place_on_the_same_line_annotates_the_same_snippet() {
        let mut sources = sources();
        sources.insert("spec/c.yaml".to_owned(), "x: [ab, cd, ab]\n".to_owned());
        let mut d = Diagnostic::error("S076", at(1, 13), "`ab` is listed twice")
            .related(at(1, 5), "listed first here");
        d.place.file = "spec/c.yaml".into();
        d.related.as_mut().expect("related").place.file = "spec/c.yaml".into();
        assert_eq!(
            render(&[d], &sources),
            "error[S076]: `ab` is listed twice\n --> spec/c.yaml:1:13\n  |\n1 | x: [ab, cd, ab]\n  |     --      ^^\n  |     |\n  |     listed first here\n\n1 error(s), 0 warning(s)\n"
        );
    }

    fn d_in_other_file() -> Diagnostic {
        Diagnostic::error(
            "S004",
            at(4, 3),
            "api name `a` is already used by spec/b.yaml",
        )
        .related(
            Place {
                file: "spec/b.yaml".into(),
                line: 3,
                column: 9,
            },
            "the other spec file with this name",
        )
    }

    #[test]
    fn underlines_keys_quoted_values_and_flow_collections() {
        let width = |line: &str, column: usize| token_width(line, column - 1);
        assert_eq!(width("  retry: never", 3), 5);
        assert_eq!(width("  retry: never", 10), 5);
        assert_eq!(width("  retry: never # why", 10), 5);
        assert_eq!(width("  a: { type: Strng, in: path }", 14), 5);
        assert_eq!(width("  a: { type: Strng, in: path }", 6), 25);
        assert_eq!(width("  a: [x, [y]]", 6), 8);
        assert_eq!(width("  title: \"a \\\" b\": c\"", 10), 8);
        assert_eq!(width("  title: 'it''s'", 10), 7);
        assert_eq!(width("  title: The title, in English", 10), 21);
        assert_eq!(width("  url: https://example.com", 8), 19);
        // Past the end of the line, or an open quote: a caret, or the rest of the line.
        assert_eq!(width("a: 1", 9), 1);
        assert_eq!(width("a: \"open", 4), 5);
    }

    #[test]
    fn renders_each_diagnostic_and_the_count() {
        let warning = Diagnostic::warning("S017", at(0, 0), "no environments");
        let text = render(&[unknown_type(), warning], &sources());
        assert!(
            text.contains("warning[S017]: no environments\n --> spec/a.yaml\n"),
            "{text}"
        );
        assert!(text.ends_with("\n\n1 error(s), 1 warning(s)\n"), "{text}");
    }
}
