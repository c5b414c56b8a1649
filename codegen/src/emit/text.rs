//! Vendor prose -> rustdoc and Markdown, and the Rust source printer.

use crate::spec::Text;

/// Which language a page or comment is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The folder name (`en`, `fr`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The text in this language, if written.
    pub fn pick(self, text: &Text) -> Option<&str> {
        match self {
            Lang::En => text.en(),
            Lang::Fr => text.fr(),
        }
    }
}

/// Makes vendor prose safe for rustdoc and Markdown, in one pass over the text.
///
/// - A code block, fenced at the start of a line (```` ``` ```` or `~~~`, any info string) or
///   indented (four columns where no paragraph goes on), becomes a `text` fence: shown as
///   written, never run as a doctest of the produced crate. A fence left open is closed at the
///   end of the text, so it cannot swallow what the generator writes after it.
/// - Elsewhere, bare URLs become autolinks; brackets and angle brackets that would read as links
///   or HTML are escaped, and so are runs of three backticks or tildes, so that no fence opens
///   inside a list item; a list item cannot start with an indented code block either.
pub fn sanitize(text: &str) -> String {
    let text: std::borrow::Cow<'_, str> = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Lines::with_capacity(text.len());
    // Whether a paragraph goes on at this line, so that an indented line continues it.
    let mut paragraph = false;
    let mut i = 0;
    while let Some(&line) = lines.get(i) {
        i += 1;
        if let Some(fence) = Fence::opening(line) {
            out.push(&format!("{}text", fence.marker));
            let mut closed = false;
            while let Some(&inner) = lines.get(i) {
                i += 1;
                out.push(inner);
                if fence.closes(inner) {
                    closed = true;
                    break;
                }
            }
            if !closed {
                out.push(fence.marker);
            }
            paragraph = false;
        } else if !paragraph && !is_blank(line) && columns(line) >= 4 {
            // An indented code block: up to its last indented line, blank lines inside kept.
            let start = i - 1;
            let mut end = i;
            while let Some(&next) = lines.get(i) {
                if is_blank(next) {
                    i += 1;
                } else if columns(next) >= 4 {
                    i += 1;
                    end = i;
                } else {
                    break;
                }
            }
            i = end;
            let body: Vec<&str> = lines[start..end].iter().map(|l| dedent(l, 4)).collect();
            let longest = body.iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
            let marker = "`".repeat(longest.max(2) + 1);
            out.push(&format!("{marker}text"));
            for l in body {
                out.push(l);
            }
            out.push(&marker);
            paragraph = false;
        } else if is_blank(line) {
            out.push(line);
            paragraph = false;
        } else {
            inline(&no_indented_item(line), out.start_line());
            paragraph = continues_paragraph(line);
        }
    }
    out.text
}

/// Prose for one line (a title, a table cell, a source): line breaks and runs of blanks become
/// one space, and the text is escaped as in [`sanitize`]; no block can start in it.
pub fn sanitize_line(text: &str) -> String {
    let mut joined = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(word);
    }
    let mut out = String::with_capacity(joined.len() + 8);
    inline(&joined, &mut out);
    out
}

/// A literal value of the spec (a wire value, a tag, a pattern, a path) as an inline code
/// span on one line: control characters are shown escaped, and the span's backticks outnumber
/// any run in the value.
pub fn code(value: &str) -> String {
    // The usual value (no control character, no backtick) as it is, in one allocation.
    if !value.contains(|c: char| c.is_control() || c == '`') {
        let mut span = String::with_capacity(value.len() + 2);
        span.push('`');
        span.push_str(value);
        span.push('`');
        return span;
    }
    let mut shown = String::with_capacity(value.len() + 2);
    for c in value.chars() {
        if c.is_control() {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    let ticks = "`".repeat(longest_run(&shown, '`') + 1);
    let pad = if shown.starts_with('`') || shown.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{shown}{pad}{ticks}")
}

/// Lines joined with `\n`.
struct Lines {
    text: String,
    started: bool,
}

impl Lines {
    fn with_capacity(n: usize) -> Lines {
        Lines {
            text: String::with_capacity(n + n / 8),
            started: false,
        }
    }

    fn push(&mut self, line: &str) {
        self.start_line();
        self.text.push_str(line);
    }

    /// Starts a line (after a `\n` unless it is the first), for the caller to write.
    fn start_line(&mut self) -> &mut String {
        if self.started {
            self.text.push('\n');
        }
        self.started = true;
        &mut self.text
    }
}

/// An open code fence: the marker as written (three or more backticks or tildes).
struct Fence<'a> {
    marker: &'a str,
    fence: char,
    length: usize,
}

impl<'a> Fence<'a> {
    /// The fence `line` opens, if it opens one at the top level. An indented fence may belong
    /// to a list item and end with it, which a line-by-line reading cannot tell: it is escaped
    /// like the rest of the prose instead.
    fn opening(line: &'a str) -> Option<Fence<'a>> {
        let fence = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let length = longest_prefix(line, fence);
        // A backtick fence's info string cannot hold a backtick (that is inline code).
        let info_ok = fence == '~' || !line[length..].contains('`');
        (length >= 3 && info_ok).then(|| Fence {
            marker: &line[..length],
            fence,
            length,
        })
    }

    /// Whether `line` closes this fence.
    fn closes(&self, line: &str) -> bool {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        let length = longest_prefix(rest, self.fence);
        indent <= 3 && length >= self.length && is_blank(&rest[length..])
    }
}

/// How many times `c` starts `text`.
fn longest_prefix(text: &str, c: char) -> usize {
    text.chars().take_while(|x| *x == c).count()
}

/// The longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for x in text.chars() {
        run = if x == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c == ' ' || c == '\t')
}

/// The columns of the line's indentation, a tab reaching the next multiple of four.
fn columns(line: &str) -> usize {
    let mut column = 0;
    for c in line.chars() {
        match c {
            ' ' => column += 1,
            '\t' => column += 4 - column % 4,
            _ => break,
        }
    }
    column
}

/// The line without its first `n` columns of indentation.
fn dedent(line: &str, n: usize) -> &str {
    let mut column = 0;
    for (at, c) in line.char_indices() {
        if column >= n {
            return &line[at..];
        }
        match c {
            ' ' => column += 1,
            '\t' => column += 4 - column % 4,
            _ => return &line[at..],
        }
    }
    ""
}

/// Whether an indented line after `line` continues its paragraph. A heading, a table row or
/// a rule (`---`, also a heading's underline) ends it; so does anything this cannot tell.
fn continues_paragraph(line: &str) -> bool {
    let text = line.trim();
    !(text.starts_with(['#', '|'])
        || text
            .chars()
            .all(|c| matches!(c, '-' | '=' | '*' | '_' | ' ' | '\t')))
}

/// A list item whose text starts five columns or more after its marker starts with an
/// indented code block: its blanks become one space.
fn no_indented_item(line: &str) -> std::borrow::Cow<'_, str> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let marker = if rest.starts_with(['-', '*', '+']) {
        1
    } else {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if (1..=9).contains(&digits) && rest[digits..].starts_with(['.', ')']) {
            digits + 1
        } else {
            return line.into();
        }
    };
    let after = &rest[marker..];
    if after.starts_with([' ', '\t']) && !is_blank(after) && columns(after) >= 5 {
        format!("{} {}", &line[..indent + marker], after.trim_start()).into()
    } else {
        line.into()
    }
}

/// Escapes one line of prose into `out`: autolinks, brackets, angle brackets, fences. The
/// characters it looks at are ASCII: the text between them is copied as it is, run by run.
fn inline(line: &str, out: &mut String) {
    let bytes = line.as_bytes();
    // `line[copied..at]` is waiting to be copied as it is.
    let (mut at, mut copied) = (0, 0);
    while at < bytes.len() {
        let byte = bytes[at];
        if !matches!(byte, b'h' | b'[' | b']' | b'<' | b'>' | b'`' | b'~') {
            at += 1;
            continue;
        }
        let rest = &line[at..];
        let escaped: &str = match byte {
            b'h' if rest.starts_with("https://") || rest.starts_with("http://") => {
                let end = rest
                    .find(|c: char| {
                        c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`' | ']')
                    })
                    .unwrap_or(rest.len());
                // A sentence's final period or comma is not part of the URL.
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
                out.push_str(&line[copied..at]);
                out.push('<');
                out.push_str(url);
                out.push('>');
                at += url.len();
                copied = at;
                continue;
            }
            b'[' => "\\[",
            b']' => "\\]",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'`' | b'~' => {
                let run = longest_prefix(rest, char::from(byte));
                if run < 3 {
                    at += run;
                    continue;
                }
                // A run of three or more: escape all of it.
                out.push_str(&line[copied..at]);
                for _ in 0..run {
                    out.push('\\');
                    out.push(char::from(byte));
                }
                at += run;
                copied = at;
                continue;
            }
            _ => {
                at += 1;
                continue;
            }
        };
        out.push_str(&line[copied..at]);
        out.push_str(escaped);
        at += 1;
        copied = at;
    }
    out.push_str(&line[copied..]);
}

/// Inserts the blank lines prettyplease leaves out: between items and before doc comments.
///
/// prettyplease prints items back to back; a blank line after every closing brace or
/// item-ending semicolon that is followed by another item at the same depth makes generated
/// code read like hand-written code.
pub fn space_items(source: &str) -> String {
    let mut spacer = Spacer::with_capacity(source.len() + source.len() / 8);
    spacer.push(source);
    spacer.finish()
}

/// [`space_items`] fed piece by piece: the printed items of a file, one after the other, give
/// the same text as the whole file printed at once. A blank line depends only on a line and
/// the next, so only the last line fed so far waits for what follows it.
#[derive(Debug, Default)]
pub struct Spacer {
    out: String,
    /// Where the last line (not yet ended by `\n`) starts in `out`, once there is one.
    last: Option<usize>,
    /// Whether the attributes and doc lines pushed since the last line of code include an
    /// `#[inline…]` of their own (the function they precede is not marked again).
    inline_given: bool,
}

impl Spacer {
    /// An empty text with room for `n` bytes.
    pub fn with_capacity(n: usize) -> Spacer {
        Spacer {
            out: String::with_capacity(n),
            last: None,
            inline_given: false,
        }
    }

    /// A text that starts with `header`, kept as it is (it ends with `\n`, or is empty): the
    /// first line pushed follows it.
    pub fn starting_with(header: String) -> Spacer {
        Spacer {
            out: header,
            last: None,
            inline_given: false,
        }
    }

    /// Appends the lines of `source` (printed Rust, each line ended by `\n` or not), every
    /// function marked `#[inline]` (see [`starts_function`]).
    pub fn push(&mut self, source: &str) {
        self.out.reserve(source.len() + source.len() / 16);
        for line in lines(source) {
            let code = trim_start(line);
            if code.starts_with("#[inline") {
                self.inline_given = true;
            } else if let Some(indent) = starts_function(line) {
                if !self.inline_given {
                    self.push_line(&format!("{}#[inline]", &line[..indent]));
                }
                self.inline_given = false;
            } else if !code.starts_with("#[") && !code.starts_with("//") {
                self.inline_given = false;
            }
            self.push_line(line);
        }
    }

    fn push_line(&mut self, line: &str) {
        if let Some(last) = self.last {
            let blank = blank_between(&self.out[last..], line);
            self.out.push('\n');
            if blank {
                self.out.push('\n');
            }
        }
        self.last = Some(self.out.len());
        self.out
            .push_str(line.strip_suffix(super::source::WHOLE).unwrap_or(line));
    }

    /// The spaced text, every line ended by `\n`.
    pub fn finish(mut self) -> String {
        if self.last.is_some() {
            self.out.push('\n');
        }
        self.out
    }
}

/// The lines of `text` as [`str::lines`] gives them (each without its `\n` or `\r\n`; no
/// line after a final `\n`), found by a plain byte loop: printed code is many short lines,
/// for which `str::lines`' searcher costs more than the scan.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        Some(match rest.bytes().position(|b| b == b'\n') {
            Some(end) => {
                let line = &rest[..end];
                rest = &rest[end + 1..];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => std::mem::take(&mut rest),
        })
    })
}

/// The number of spaces that start `line`.
fn spaces(line: &str) -> usize {
    line.bytes().take_while(|b| *b == b' ').count()
}

/// `line` without its leading blanks, as [`str::trim_start`] gives it; cheaply for the usual
/// line, indented with spaces.
fn trim_start(line: &str) -> &str {
    let rest = &line[spaces(line)..];
    if rest.starts_with(char::is_whitespace) {
        rest.trim_start()
    } else {
        rest
    }
}

/// Where the code of `line` starts (its indentation, in bytes) when the line begins a function
/// with a body: `fn`, after any of `pub` (or `pub(…)`), `const`, `async` and `unsafe`.
///
/// Every function of the produced crate is marked `#[inline]`, for what that does in a debug
/// build: a non-generic function so marked is compiled where it is called, once per crate
/// that calls it, like a generic function or a derived impl, and not in the crate that
/// defines it. An application compiles the validation, decoding and accessors of the types it
/// uses and the operations it calls; the produced crate, rebuilt after every spec change,
/// compiles none of them (in release builds, the mark is the usual hint and the functions are
/// compiled where they are called, as generic ones are).
///
/// Printed Rust only: a line that begins with `fn` is code there, since prettyplease prints
/// items one per line and a string literal on one line (line breaks escaped). A line ending
/// with `;` declares a function without a body and is left alone.
fn starts_function(line: &str) -> Option<usize> {
    let indent = spaces(line);
    let mut rest = &line[indent..];
    if let Some(after) = rest.strip_prefix("pub") {
        rest = match after.as_bytes().first() {
            Some(b' ') => &after[1..],
            Some(b'(') => after.split_once(") ")?.1,
            _ => return None,
        };
    }
    for qualifier in ["const ", "async ", "unsafe "] {
        rest = rest.strip_prefix(qualifier).unwrap_or(rest);
    }
    let name = rest.strip_prefix("fn ")?;
    let is_name = name.starts_with(|c: char| c == '_' || c.is_alphabetic());
    (is_name && !line.trim_end().ends_with(';')).then_some(indent)
}

/// Whether a blank line goes between `line` and the `next` line.
fn blank_between(line: &str, next: &str) -> bool {
    // `line.trim()`, cheaply for the usual line (spaces around code): the Unicode trim only
    // for a line that has another blank at either end.
    let mut trimmed = line[spaces(line)..].trim_end_matches(' ');
    if trimmed.starts_with(char::is_whitespace) || trimmed.ends_with(char::is_whitespace) {
        trimmed = line.trim();
    }
    // Only a line that ends an item or a field, or the inner docs, takes a blank line after
    // it: most lines are told apart by their last byte, without looking at the next line.
    let ends_inner_doc = trimmed.starts_with("//!");
    let closes = trimmed == "}" || trimmed == "};";
    if !closes && !ends_inner_doc && !trimmed.ends_with([';', ',']) {
        return false;
    }
    let indent = line.len() - trim_start(line).len();
    let next_trimmed = trim_start(next);
    let next_indent = next.len() - next_trimmed.len();
    if ends_inner_doc {
        return !next_trimmed.starts_with("//!");
    }
    // A comment ending with `;` (a doc line of prose) ends no item.
    let ends_item = closes
        || (indent == 0
            && !trimmed.starts_with("//")
            && trimmed.ends_with(';')
            && !next_trimmed.starts_with("pub use")
            && !next_trimmed.starts_with("use "));
    let ends_field =
        trimmed.ends_with(',') && next_trimmed.starts_with("///") && !trimmed.starts_with("///");
    let starts_item = || {
        [
            "///", "#[", "pub ", "impl", "fn ", "const ", "static ", "mod ", "enum ", "struct ",
            "type ", "async ", "use ",
        ]
        .iter()
        .any(|p| next_trimmed.starts_with(p))
    };
    next_indent == indent && (ends_field || (ends_item && starts_item()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_with_a_body_is_marked_inline_once() {
        let src = "impl A {\n    /// Docs.\n    #[must_use]\n    pub fn a(&self) -> u8 {\n        fn local() {}\n        1\n    }\n    pub(crate) const async unsafe fn b() {}\n    #[inline]\n    fn c() {}\n    #[inline(never)]\n    fn d() {}\n    #[inline]\n    /// Docs.\n    #[must_use]\n    fn g() {}\n}\nfn e(\n    x: u8,\n) {}\n";
        let expected = "impl A {\n    /// Docs.\n    #[must_use]\n    #[inline]\n    pub fn a(&self) -> u8 {\n        #[inline]\n        fn local() {}\n        1\n    }\n\n    #[inline]\n    pub(crate) const async unsafe fn b() {}\n    #[inline]\n    fn c() {}\n    #[inline(never)]\n    fn d() {}\n    #[inline]\n    /// Docs.\n    #[must_use]\n    fn g() {}\n}\n\n#[inline]\nfn e(\n    x: u8,\n) {}\n";
        assert_eq!(space_items(src), expected);
        // Marked once, whichever way the text is fed.
        assert_eq!(space_items(expected), expected);
        let mut spacer = Spacer::default();
        for piece in src.split_inclusive('\n') {
            spacer.push(piece);
        }
        assert_eq!(spacer.finish(), expected);
    }

    #[test]
    fn only_lines_that_begin_a_function_with_a_body_are_marked() {
        for line in [
            "fn f() {}",
            "    pub fn r#type(&self) {",
            "    pub(in crate::a) fn f() {",
            "    async fn _f() {",
            "const fn f() -> u8 {",
        ] {
            assert_eq!(
                starts_function(line),
                Some(line.len() - line.trim_start().len()),
                "{line:?}"
            );
        }
        for line in [
            "    fn f();",
            "    fn f() -> u8; ",
            "    /// fn f() {}",
            "    // fn f() {}",
            "    fn_a();",
            "    pub fnord() {}",
            "    pubfn f() {}",
            "    let f = fn_ptr;",
            "    \"fn f() {}\",",
            "    pub(crate fn f() {}",
            "    fn 1() {}",
            "",
        ] {
            assert_eq!(starts_function(line), None, "{line:?}");
        }
    }

    /// An item's end is told with the line trimmed of any blank, not only of spaces.
    #[test]
    fn items_end_whatever_blanks_surround_the_line() {
        for end in ["}", "};", "    }", "    }\u{a0}", "    };\t", "\u{3000}}"] {
            let indent = end.len() - end.trim_start().len();
            let next = format!("{}fn f() {{}}", " ".repeat(indent));
            assert!(blank_between(end, &next), "{end:?}");
            assert!(!blank_between(
                end,
                &format!("{next}x").replacen("fn", "x", 1)
            ));
        }
        assert!(!blank_between("    } x", "    fn f() {}"));
        assert!(!blank_between("    /// a;", "    /// b"));
    }

    #[test]
    fn sanitizes_prose() {
        assert_eq!(
            sanitize("see https://docs.lyra.com/x."),
            "see <https://docs.lyra.com/x>."
        );
        assert_eq!(sanitize("a [b] <c>"), "a \\[b\\] &lt;c&gt;");
        assert_eq!(sanitize("(http://a.b/c)"), "(<http://a.b/c>)");
        assert_eq!(sanitize("plain"), "plain");
    }

    #[test]
    fn sanitizes_a_megabyte_of_links_in_one_pass() {
        // Every other URL is http: each one used to be searched for from where the last one
        // ended to the end of the text, again and again.
        let unit = "see https://a.example/x?y=1, or http://b.example/z. [n] <i> ";
        let expected = "see <https://a.example/x?y=1>, or <http://b.example/z>. \\[n\\] &lt;i&gt; ";
        let count = 1_000_000 / unit.len();
        let out = sanitize(&unit.repeat(count));
        assert_eq!(out.len(), expected.len() * count);
        assert!(
            out.as_bytes()
                .chunks(expected.len())
                .all(|c| c == expected.as_bytes())
        );
    }

    #[test]
    fn code_blocks_become_text() {
        let fenced = sanitize("a\n```rust\nfn f() {}\n```\nb");
        assert_eq!(fenced, "a\n```text\nfn f() {}\n```\nb");
        // Any info string, tildes, a longer fence holding a shorter one, kept as written.
        assert_eq!(
            sanitize("~~~ rust,no_run\n<[x]>\n~~~"),
            "~~~text\n<[x]>\n~~~"
        );
        assert_eq!(sanitize("````\n```\nx\n````"), "````text\n```\nx\n````");
        // A fence left open is closed at the end.
        assert_eq!(sanitize("```\nx"), "```text\nx\n```");
        // Indented code after a blank line or a heading, not within a paragraph.
        assert_eq!(
            sanitize("a\n\n    x();\n\tb `` c\n\nd"),
            "a\n\n```text\nx();\nb `` c\n```\n\nd"
        );
        assert_eq!(sanitize("# T\n    x"), "# T\n```text\nx\n```");
        assert_eq!(sanitize("a\n    b"), "a\n    b");
        assert_eq!(sanitize("    x"), "```text\nx\n```");
        // A list item cannot start with indented code.
        assert_eq!(sanitize("-     x();"), "- x();");
        assert_eq!(sanitize("12.      x();"), "12. x();");
        // Fences that are not at the start of a line are escaped.
        assert_eq!(sanitize("- ```rust\n  ```"), "- \\`\\`\\`rust\n  \\`\\`\\`");
        assert_eq!(sanitize("a ~~~ b `` c"), "a \\~\\~\\~ b `` c");
        assert_eq!(sanitize("a\r\n```\r\nb\r\n```"), "a\n```text\nb\n```");
    }

    #[test]
    fn one_line_prose_and_code_spans() {
        assert_eq!(
            sanitize_line("a\n```rust\n  b  [c]\r\n"),
            "a \\`\\`\\`rust b \\[c\\]"
        );
        assert_eq!(code("EUR"), "`EUR`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a\n```b"), "````a\\n```b````");
    }

    /// The escaping of a line, one character at a time: what `inline` does run by run.
    fn inline_by_character(line: &str) -> String {
        let mut out = String::new();
        let mut chars = line.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let rest = &line[at..];
            if c == 'h' && (rest.starts_with("https://") || rest.starts_with("http://")) {
                let end = rest
                    .find(|c: char| {
                        c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`' | ']')
                    })
                    .unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
                out.push('<');
                out.push_str(url);
                out.push('>');
                while chars.peek().is_some_and(|(next, _)| *next < at + url.len()) {
                    chars.next();
                }
                continue;
            }
            match c {
                '[' => out.push_str("\\["),
                ']' => out.push_str("\\]"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '`' | '~' if longest_prefix(rest, c) >= 3 => {
                    out.push('\\');
                    out.push(c);
                    while chars.peek().is_some_and(|(_, next)| *next == c) {
                        chars.next();
                        out.push('\\');
                        out.push(c);
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }

    proptest::proptest! {
        /// Lines made of the characters `inline` looks at, URLs and other text.
        #[test]
        fn inline_escapes_as_one_character_at_a_time(
            line in "(https://a.b/c[.]?|http://x|h|ht|[\\[\\]<>`~é .,;:)'\"]|``|```|~~~~|ab){0,12}",
        ) {
            let mut out = String::new();
            inline(&line, &mut out);
            proptest::prop_assert_eq!(out, inline_by_character(&line));
        }

        /// The byte loops give what the `str` methods they replace give, whatever the blanks
        /// and line ends.
        #[test]
        fn lines_and_trims_are_the_str_methods(text in "[ a\t\r\n\u{a0}\u{3000}é;}]{0,24}") {
            proptest::prop_assert_eq!(lines(&text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>());
            proptest::prop_assert_eq!(trim_start(&text), text.trim_start());
        }
    }

    #[test]
    fn spaces_items_but_not_statements() {
        let src = "pub struct A {\n    /// x\n    pub a: u8,\n    /// y\n    pub b: u8,\n}\nimpl A {\n    fn f() {\n        let x = 1;\n        g(x);\n    }\n    fn h() {}\n}\n";
        let expected = "pub struct A {\n    /// x\n    pub a: u8,\n\n    /// y\n    pub b: u8,\n}\n\nimpl A {\n    #[inline]\n    fn f() {\n        let x = 1;\n        g(x);\n    }\n\n    #[inline]\n    fn h() {}\n}\n";
        assert_eq!(space_items(src), expected);
        let docs = "/// a;\n/// b\n#[inline]\nfn f() {}\n";
        assert_eq!(space_items(docs), docs);
    }

    /// The byte loop cuts lines where `str::lines` does, `\r` included.
    #[test]
    fn lines_are_those_of_str_lines() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "a\r",
            "\r\n\r\n",
            "é\n\nü\rx\n",
            "\n\na",
        ] {
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn spacing_piece_by_piece_gives_the_same_text() {
        let src = "//! m\nuse a;\nconst X: u8 = 1;\npub struct A {\n    /// x\n    pub a: u8,\n    /// y\n    pub b: u8,\n}\nimpl A {\n    fn f() {}\n    fn h() {}\n}\n/// d\nenum E {}\n";
        let whole = space_items(src);
        // Cut after every line: each line then waits for the next piece to be spaced.
        let mut spacer = Spacer::default();
        for line in src.split_inclusive('\n') {
            spacer.push(line);
        }
        assert_eq!(spacer.finish(), whole);
        assert!(whole.starts_with("//! m\n\nuse a;\n"), "{whole}");
        assert!(whole.contains("}\n\n/// d\n"), "{whole}");
        assert_eq!(Spacer::default().finish(), "");
    }
}
