//! A look at the raw text of a spec for YAML-level mistakes, before the YAML reader.
//!
//! The reader reports where it got lost, which is often a line or a page after the mistake,
//! in its own words (``unknown variant `safe source` ``, "did not find expected ',' or '}'").
//! This scan knows the few mistakes people make by hand — a tab or a space too many or too
//! few in the indentation, an unquoted `,` `:` or `#` inside `{ … }`, a quote or a bracket
//! left open — and names them at the line where they are. It only reports what is never
//! valid YAML, or valid YAML that no spec means (an entry of `{ … }` without a key); what it
//! only suspects ([`Scan::suspects`]) is used when the reader fails on that line.

use crate::diagnostics::{Diagnostic, Place};

/// What the scan found in one file.
#[derive(Debug, Default)]
pub struct Scan {
    /// Mistakes that are mistakes whatever the reader says: reported instead of its error.
    pub certain: Vec<Diagnostic>,
    /// A line that continues the plain value of the line above (`retry: safe` followed by a
    /// deeper `source`): valid YAML (the two words become one value), so reported only when the
    /// reader or the shape check fails on one of these two lines.
    pub suspects: Vec<(u32, Diagnostic)>,
}

/// One content line seen by the indentation check.
#[derive(Debug, Clone)]
struct Seen {
    line: u32,
    /// The column (0-based) the next line compares with: the key's, or for `- key: v` the
    /// column of `key`.
    indent: usize,
    /// The line ends with `key:` or `-`: the next line may be deeper.
    opener: bool,
    /// Where the key of the line is in its characters, for messages.
    key: Option<std::ops::Range<usize>>,
    /// Where its value is, when it is a plain value on the line.
    value: Option<std::ops::Range<usize>>,
}

/// A bracket or quote left open at the end of a line.
#[derive(Debug, Clone, Copy)]
struct Open {
    ch: char,
    line: u32,
    column: usize,
    /// The indentation of the line that opened it.
    indent: usize,
}

/// Scans `text`, the spec file `file`.
pub fn scan(file: &str, text: &str) -> Scan {
    let mut out = Scan::default();
    let place = |line: u32, column: usize| Place {
        file: file.to_owned(),
        line,
        column: u32::try_from(column + 1).unwrap_or(u32::MAX),
    };
    let mut levels: Vec<usize> = Vec::new();
    let mut prev: Option<Seen> = None;
    // The indentation of the content line before `prev`.
    let mut before_prev: Option<usize> = None;
    // The indentation a misplaced line is taken at, so that one mistake is one diagnostic.
    let mut resync: Option<usize>;
    // The indentation of the key that opened a block scalar (`|`, `>`).
    let mut block_scalar: Option<usize> = None;
    // Brackets open across lines (a flow collection written on several lines).
    let mut flow: Vec<Open> = Vec::new();
    // A quoted value open across lines.
    let mut quote: Option<Open> = None;
    // The characters of the line, in one buffer for every line; those of `prev`'s line in
    // the other (the two are swapped when a line becomes `prev`).
    let mut buffer: Vec<char> = Vec::new();
    let mut prev_chars: Vec<char> = Vec::new();
    let text_of = |chars: &[char], range: &std::ops::Range<usize>| -> String {
        chars
            .get(range.clone())
            .unwrap_or_default()
            .iter()
            .collect()
    };
    for (index, raw) in text.split('\n').enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        buffer.clear();
        buffer.extend(raw.chars());
        let chars = &buffer;
        let indent = chars
            .iter()
            .take_while(|c| **c == ' ' || **c == '\t')
            .count();
        let blank = indent == chars.len() || chars[indent] == '#';
        if let Some(parent) = block_scalar {
            if blank || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        if blank {
            continue;
        }
        // A quote or bracket still open on a line indented no deeper than the line that
        // opened it: the value never closed (a value on several lines goes deeper).
        let leaked = quote.or_else(|| flow.first().copied());
        if let Some(open) = leaked {
            let spaces = chars.iter().take_while(|c| **c == ' ').count();
            if spaces <= open.indent {
                out.certain.push(unclosed(open, &place));
                quote = None;
                flow.clear();
            }
        }
        let mut at = 0;
        let mut new_prev = false;
        if let Some(open) = quote {
            match close_quote(chars, 0, open.ch) {
                Some(end) => {
                    quote = None;
                    at = end;
                }
                None => continue,
            }
        }
        if flow.is_empty() && quote.is_none() && at == 0 {
            if let Some(tab) = chars[..indent].iter().position(|c| *c == '\t') {
                out.certain.push(
                    Diagnostic::error("S125", place(line, tab), "a tab in the indentation")
                        .hint("YAML indents with spaces only: replace the tab with spaces, as many as the lines around it use"),
                );
                continue;
            }
            if chars[indent..].starts_with(&['-', '-', '-']) || chars[indent] == '%' {
                levels.clear();
                prev = None;
                continue;
            }
            let content = &chars[indent..];
            let item = content.first() == Some(&'-') && matches!(content.get(1), None | Some(' '));
            let key_at = if item {
                indent
                    + 1
                    + chars[indent + 1..]
                        .iter()
                        .take_while(|c| **c == ' ')
                        .count()
            } else {
                indent
            };
            let parsed = key_of(chars, key_at);
            resync = None;
            // Indentation against the line above.
            if let Some(p) = &prev {
                let dedented_one = before_prev.is_some_and(|b| p.indent < b && indent == b);
                if indent > p.indent && !p.opener && dedented_one && p.key.is_some() {
                    // `a`, then `b` one level up, then `c` back at `a`'s level: `b` is the
                    // line out of step.
                    let key = p
                        .key
                        .as_ref()
                        .map(|k| text_of(&prev_chars, k))
                        .unwrap_or_default();
                    out.certain.push(
                        Diagnostic::error(
                            "S134",
                            place(p.line, p.indent),
                            format!(
                                "`{key}` is indented less than the lines before and after it (column {})",
                                indent + 1
                            ),
                        )
                        .hint(format!(
                            "at column {} `{key}` is a key of the enclosing mapping, not of the one around it: indent it to column {}",
                            p.indent + 1,
                            indent + 1
                        )),
                    );
                    levels.push(indent);
                } else if indent > p.indent && !p.opener {
                    let above = p.key.as_ref().map_or_else(
                        || "the value".to_owned(),
                        |k| format!("`{}`", text_of(&prev_chars, k)),
                    );
                    if let Some((key, _)) = &parsed {
                        let key = text_of(chars, key);
                        out.certain.push(
                            Diagnostic::error(
                                "S126",
                                place(line, indent),
                                format!(
                                    "`{key}` is indented deeper than {above} on line {}, which already has a value",
                                    p.line
                                ),
                            )
                            .hint(format!(
                                "a key goes deeper only under a key that ends its line with `:`; if `{key}` is a sibling of {above}, indent it to column {} like line {}",
                                p.indent + 1,
                                p.line
                            )),
                        );
                    } else {
                        let words: String = chars[indent..].iter().collect();
                        let value = p
                            .value
                            .as_ref()
                            .map(|v| text_of(&prev_chars, v))
                            .unwrap_or_default();
                        out.suspects.push((
                            p.line,
                            Diagnostic::error(
                                "S126",
                                place(line, indent),
                                format!(
                                    "this line is indented deeper than {above} on line {}, so YAML reads it as the rest of that value (`{value} {}`)",
                                    p.line,
                                    words.trim_end()
                                ),
                            )
                            .hint(format!(
                                "indent it to column {} like line {} if it is a key of its own (and end the key with `:`), or quote the value if it is one value on two lines",
                                p.indent + 1,
                                p.line
                            )),
                        ));
                    }
                } else if indent > p.indent {
                    levels.push(indent);
                } else if indent < p.indent {
                    while levels.last().is_some_and(|l| *l > indent) {
                        levels.pop();
                    }
                    if levels.last() != Some(&indent) {
                        let what = match &parsed {
                            Some((key, _)) => format!("`{}`", text_of(chars, key)),
                            None => "this line".to_owned(),
                        };
                        let mut around: Vec<String> =
                            levels.last().iter().map(|l| (*l + 1).to_string()).collect();
                        around.push((p.indent + 1).to_string());
                        around.dedup();
                        out.certain.push(
                            Diagnostic::error(
                                "S127",
                                place(line, indent),
                                format!(
                                    "{what} is indented to column {}, which is the level of no line above it",
                                    indent + 1
                                ),
                            )
                            .hint(format!(
                                "keys of one mapping start in the same column: indent it to column {} (like the lines around it)",
                                around.join(" or column ")
                            )),
                        );
                        resync = Some(p.indent);
                    }
                }
            } else {
                levels.clear();
                levels.push(indent);
            }
            if item && parsed.is_some() {
                levels.push(key_at);
            }
            let (key, value_at) = match parsed {
                Some((key, value_at)) => (Some(key), value_at),
                None => (None, key_at),
            };
            let value_start = skip_spaces(chars, value_at);
            let first = chars.get(value_start).copied();
            let empty = matches!(first, None | Some('#' | '&'));
            let scalar_block = matches!(first, Some('|' | '>'));
            if scalar_block {
                block_scalar = Some(indent);
            }
            let plain = !empty && !scalar_block && !matches!(first, Some('{' | '[' | '"' | '\''));
            before_prev = prev.as_ref().map(|p| p.indent);
            prev = Some(Seen {
                line,
                indent: resync.unwrap_or(if item && key.is_some() {
                    key_at
                } else {
                    indent
                }),
                opener: (key.is_some() || item) && empty,
                key,
                value: plain.then(|| plain_value(chars, value_start)),
            });
            at = value_start;
            new_prev = true;
        }
        // The values of the line: quotes and flow collections.
        scan_values(
            chars, at, line, indent, &mut flow, &mut quote, &place, &mut out,
        );
        if new_prev {
            std::mem::swap(&mut buffer, &mut prev_chars);
        }
    }
    if let Some(open) = quote.or_else(|| flow.first().copied()) {
        out.certain.push(unclosed(open, &place));
    }
    out
}

/// The entry of a flow mapping being read.
#[derive(Debug, Default, Clone)]
struct Entry {
    start: Option<usize>,
    colon: bool,
    key: String,
}

/// Reads the quotes, brackets and commas of a line from `at`, in flow context when `flow`
/// is not empty (or becomes so).
#[allow(clippy::too_many_arguments)]
fn scan_values(
    chars: &[char],
    mut at: usize,
    line: u32,
    indent: usize,
    flow: &mut Vec<Open>,
    quote: &mut Option<Open>,
    place: &dyn Fn(u32, usize) -> Place,
    out: &mut Scan,
) {
    let mut entry = Entry::default();
    let mut last_key = String::new();
    let mut start_of_value = true;
    while at < chars.len() {
        let c = chars[at];
        if flow.is_empty() {
            // Block context: only a value that starts with a quote or a bracket matters.
            if start_of_value && (c == '"' || c == '\'') {
                match close_quote(chars, at + 1, c) {
                    Some(end) => {
                        at = end;
                        start_of_value = false;
                        continue;
                    }
                    None => {
                        *quote = Some(Open {
                            ch: c,
                            line,
                            column: at,
                            indent,
                        });
                        return;
                    }
                }
            }
            if start_of_value && (c == '{' || c == '[') {
                flow.push(Open {
                    ch: c,
                    line,
                    column: at,
                    indent,
                });
                entry = Entry::default();
                at += 1;
                continue;
            }
            return;
        }
        let in_map = flow.last().is_some_and(|o| o.ch == '{');
        match c {
            ' ' | '\t' => {
                at += 1;
            }
            '#' if at == 0 || chars[at - 1] == ' ' || chars[at - 1] == '\t' => {
                let closes = flow.last().map(|o| if o.ch == '{' { '}' } else { ']' });
                if let Some(close) = closes
                    && chars[at..].contains(&close)
                {
                    let value = if entry.colon { &entry.key } else { "" };
                    let what = if value.is_empty() {
                        String::new()
                    } else {
                        format!(" of `{value}`")
                    };
                    out.certain.push(
                        Diagnostic::error(
                            "S130",
                            place(line, at),
                            format!("`#` after a space starts a comment, so the rest of the line, with its `{close}`, is not read"),
                        )
                        .hint(format!("quote the value{what} that holds the `#`, e.g. `\"… #…\"`")),
                    );
                    flow.clear();
                }
                return;
            }
            '"' | '\'' if entry.start.is_none() || (entry.colon && value_starts(chars, at)) => {
                entry.start.get_or_insert(at);
                match close_quote(chars, at + 1, c) {
                    Some(end) => at = end,
                    None => {
                        *quote = Some(Open {
                            ch: c,
                            line,
                            column: at,
                            indent,
                        });
                        return;
                    }
                }
            }
            '{' | '[' => {
                flow.push(Open {
                    ch: c,
                    line,
                    column: at,
                    indent,
                });
                entry = Entry::default();
                at += 1;
            }
            ',' | '}' | ']' => {
                if in_map
                    && !entry.colon
                    && let Some(start) = entry.start
                {
                    let text: String = chars[start..at].iter().collect();
                    out.certain.push(
                        Diagnostic::error(
                            "S128",
                            place(line, start),
                            format!("`{}` in `{{ … }}` has no key: a `,` ended the value before it", text.trim_end()),
                        )
                        .hint(format!(
                            "inside `{{ … }}` a `,` ends a value: quote the value that holds it, e.g. `{last_key}: \"…, {}\"`",
                            text.trim_end()
                        )),
                    );
                }
                if c != ',' {
                    flow.pop();
                }
                entry = Entry::default();
                at += 1;
            }
            ':' if matches!(chars.get(at + 1), None | Some(' ' | ',' | '}' | ']')) => {
                if in_map && entry.colon {
                    out.certain.push(
                        Diagnostic::error(
                            "S129",
                            place(line, at),
                            format!(
                                "a second `: ` in the entry `{}` of `{{ … }}`",
                                entry.key
                            ),
                        )
                        .hint(format!(
                            "inside `{{ … }}` a `: ` separates a key from its value: quote the value that holds it, e.g. `{}: \"…: …\"`",
                            entry.key
                        )),
                    );
                    flow.clear();
                    return;
                }
                if in_map {
                    entry.colon = true;
                    if let Some(start) = entry.start {
                        entry.key = chars[start..at]
                            .iter()
                            .collect::<String>()
                            .trim()
                            .to_owned();
                        last_key.clone_from(&entry.key);
                    }
                }
                at += 1;
            }
            _ => {
                entry.start.get_or_insert(at);
                at += 1;
            }
        }
        start_of_value = false;
    }
}

/// Whether the character at `at` starts a value in flow context (after `: ` or `, `).
fn value_starts(chars: &[char], at: usize) -> bool {
    let before = chars[..at].iter().rev().find(|c| **c != ' ');
    matches!(before, Some(':' | ',' | '{' | '['))
}

/// The position after the closing quote `q` from `at`, or `None` when the line ends first.
fn close_quote(chars: &[char], mut at: usize, q: char) -> Option<usize> {
    while at < chars.len() {
        let c = chars[at];
        if q == '"' && c == '\\' {
            at += 2;
            continue;
        }
        if c == q {
            if q == '\'' && chars.get(at + 1) == Some(&'\'') {
                at += 2;
                continue;
            }
            return Some(at + 1);
        }
        at += 1;
    }
    None
}

fn skip_spaces(chars: &[char], mut at: usize) -> usize {
    while chars.get(at) == Some(&' ') {
        at += 1;
    }
    at
}

/// The key of a block mapping line from `at` (`key:` then a space or the end of the line),
/// with the position after the colon.
fn key_of(chars: &[char], at: usize) -> Option<(std::ops::Range<usize>, usize)> {
    let first = *chars.get(at)?;
    if matches!(first, '{' | '[' | '#' | '|' | '>' | '&' | '*' | '!' | '-') {
        return None;
    }
    if first == '"' || first == '\'' {
        let end = close_quote(chars, at + 1, first)?;
        if chars.get(end) == Some(&':') && matches!(chars.get(end + 1), None | Some(' ')) {
            return Some((at + 1..end - 1, end + 1));
        }
        return None;
    }
    let mut i = at;
    while i < chars.len() {
        match chars[i] {
            ':' if matches!(chars.get(i + 1), None | Some(' ')) => {
                return Some((at..i, i + 1));
            }
            '#' if chars[i - 1] == ' ' => return None,
            _ => i += 1,
        }
    }
    None
}

/// Where the plain value that starts at `start` ends: before its comment and the blanks
/// before it.
fn plain_value(chars: &[char], start: usize) -> std::ops::Range<usize> {
    let rest = chars.get(start..).unwrap_or_default();
    let mut end = rest
        .windows(2)
        .position(|pair| pair == [' ', '#'])
        .unwrap_or(rest.len());
    while end > 0 && rest[end - 1].is_whitespace() {
        end -= 1;
    }
    start..start + end
}

fn unclosed(open: Open, place: &dyn Fn(u32, usize) -> Place) -> Diagnostic {
    let (what, close) = match open.ch {
        '"' => ("double quote", '"'),
        '\'' => ("single quote", '\''),
        '{' => ("brace", '}'),
        _ => ("bracket", ']'),
    };
    Diagnostic::error(
        if matches!(open.ch, '"' | '\'') {
            "S131"
        } else {
            "S132"
        },
        place(open.line, open.column),
        format!("this {what} `{}` is never closed", open.ch),
    )
    .hint(format!(
        "add the closing `{close}` on this line; a value goes on to the next line only when that line is indented deeper"
    ))
}

/// For a key the shape check does not know: when it is the first key after deeper lines,
/// it was probably meant to be one of them.
pub fn dedent_hint(text: &str, line: u32) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    let this = lines.get(index)?;
    let indent = |l: &str| l.chars().take_while(|c| *c == ' ').count();
    let content = |l: &&str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
    let mine = indent(this);
    let (above_at, above) = lines[..index]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, l)| content(l))?;
    let deeper = indent(above);
    if deeper <= mine {
        return None;
    }
    let key = this.trim().split(':').next()?.trim();
    let parent = lines[..above_at]
        .iter()
        .rev()
        .filter(|l| content(l))
        .find(|l| indent(l) == mine)
        .and_then(|l| l.trim().split(':').next())
        .unwrap_or("the key above");
    Some(format!(
        "`{key}` is indented to column {} as a sibling of `{parent}`, not as one of the keys under it on the lines above (column {}): if it belongs there, indent it to column {}",
        mine + 1,
        deeper + 1,
        deeper + 1
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(&'static str, u32, u32)> {
        scan("t.yaml", text)
            .certain
            .iter()
            .map(|d| (d.code, d.place.line, d.place.column))
            .collect()
    }

    #[test]
    fn valid_layouts_are_quiet() {
        let text = "a:\n  b: 1\n  c:\n    - x\n    - { k: v, l: \"a, b: c # d\" }\n  d: |\n    text: here\n      deeper\n  e: [1,\n     2]\n  f: 'it''s'\nlist:\n- a\n- b: 1\n  c: 2\n-\n  d: 3\n";
        assert_eq!(codes(text), []);
        assert!(scan("t.yaml", text).suspects.is_empty());
    }

    /// The key and value of the line above are named as written, also when blank and comment
    /// lines come between, the key is quoted or not ASCII, and the value has a comment.
    #[test]
    fn messages_name_the_line_above_as_written() {
        let messages = |text: &str| {
            let scan = scan("t.yaml", text);
            scan.certain
                .iter()
                .chain(scan.suspects.iter().map(|(_, d)| d))
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            messages("a: 1\n\n# note\n  é-clé: 2\n"),
            ["`é-clé` is indented deeper than `a` on line 1, which already has a value"]
        );
        assert_eq!(
            messages("\"k y\": safe source  # why\n\n  more words\n"),
            [
                "this line is indented deeper than `k y` on line 1, so YAML reads it as the rest of that value (`safe source more words`)"
            ]
        );
    }

    #[test]
    fn multi_line_values_deeper_are_quiet() {
        assert_eq!(codes("a: \"one\n  two\"\nb: 1\n"), []);
    }
}
