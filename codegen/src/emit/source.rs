//! Rust source written directly as text, in the layout prettyplease gives it.
//!
//! Parsing quoted tokens back into a syntax tree only to print it is most of what codegen
//! costs, and most generated code comes in a few regular shapes repeated per field (struct
//! fields, setters, the arms of an answer's decoding). Those shapes are written here as text,
//! line by line as prettyplease lays them out; [`RustFile`](super::RustFile) accepts such text
//! as it is when every line of code fits within prettyplease's width, and otherwise parses and
//! prints that piece alone, so a long name or type never gets a layout of ours. The test
//! `printed_like_prettyplease` holds every generated module to being prettyplease's own output.

use std::fmt::Write as _;

use proc_macro2::{Delimiter, Literal, Spacing, TokenStream, TokenTree};

/// prettyplease's margin: as seen in its output, a line of 89 columns or fewer is left whole
/// (`validate`'s signature is 89) and one of 90 or more is broken where it can be. A line of
/// text written here is accepted only within it; the layout of anything wider is
/// prettyplease's.
pub const WIDTH: usize = 89;

/// Ends a line whose layout is left to prettyplease: a line this module would lay out within a
/// few columns of [`WIDTH`], where whether prettyplease breaks it depends on what it counts
/// (a trailing comma is not, a brace is). [`fits`] refuses a text with such a line, so the
/// piece is printed by prettyplease, and the parser drops this plain comment.
pub const DOUBT: &str = " // layout: prettyplease";

/// Ends a match arm's line one column past [`WIDTH`] whose last column is the arm's comma,
/// which prettyplease does not count: it leaves the line whole. [`fits`] accepts such a line,
/// and [`Spacer`](super::text::Spacer) writes it without this comment.
pub const WHOLE: &str = " // layout: whole";

/// Whether every line of code of `text`, indented by `indent` more columns, is within
/// [`WIDTH`] (where prettyplease leaves it whole; one more for a line marked [`WHOLE`]) and
/// none is left to prettyplease ([`DOUBT`]). Doc comments are not counted: prettyplease never
/// breaks them.
pub fn fits(text: &str, indent: usize) -> bool {
    super::text::lines(text).all(|line| line_fits(line, indent))
}

/// [`fits`] for one line.
pub fn line_fits(line: &str, indent: usize) -> bool {
    if let Some(arm) = line.strip_suffix(WHOLE) {
        return indent + arm.len() <= WIDTH + 1;
    }
    (indent + line.len() <= WIDTH && !line.ends_with(DOUBT)) || {
        let code = line.trim_start();
        code.starts_with("///") || code.starts_with("//!")
    }
}

/// Appends `line` and `\n` when prettyplease would leave it whole: surely up to `sure`
/// columns, maybe (so with [`DOUBT`]) up to `maybe`; else appends nothing and says so, for
/// the caller to write the broken form.
fn one_line(out: &mut String, line: &str, sure: usize, maybe: usize) -> bool {
    if line.len() > maybe {
        return false;
    }
    out.push_str(line);
    if line.len() > sure {
        out.push_str(DOUBT);
    }
    out.push('\n');
    true
}

/// Appends the pieces of one line and `\n` when the line is within [`WIDTH`]; else appends
/// nothing and says so. Written in place: no line is built apart to be measured.
fn line_within(out: &mut String, pieces: &[&str]) -> bool {
    let start = out.len();
    for piece in pieces {
        out.push_str(piece);
    }
    if out.len() - start <= WIDTH {
        out.push('\n');
        true
    } else {
        out.truncate(start);
        false
    }
}

/// Appends `items` separated by `separator`.
fn push_joined(out: &mut String, items: &[&str], separator: &str) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item);
    }
}

/// Appends every piece.
pub fn push_all(out: &mut String, pieces: &[&str]) {
    for piece in pieces {
        out.push_str(piece);
    }
}

/// Appends doc comment lines at `indent`, as prettyplease prints `#[doc = " line"]`: `///`,
/// a space and the line, trailing spaces dropped; an empty line is a bare `///`. A line that
/// a doc comment cannot hold (a line break inside) is written as the attribute, which makes
/// the piece go through prettyplease (see [`fits`]: the attribute's line is code).
pub fn doc<S: AsRef<str>>(out: &mut String, indent: &str, lines: impl IntoIterator<Item = S>) {
    doc_comment(out, indent, false, lines);
}

/// Appends the inner doc lines of a module (`//!`), as [`doc`] appends outer ones.
pub fn inner_doc<S: AsRef<str>>(out: &mut String, lines: impl IntoIterator<Item = S>) {
    doc_comment(out, "", true, lines);
}

fn doc_comment<S: AsRef<str>>(
    out: &mut String,
    indent: &str,
    inner: bool,
    lines: impl IntoIterator<Item = S>,
) {
    let (attribute, comment) = if inner {
        ("#![doc = ", "//!")
    } else {
        ("#[doc = ", "///")
    };
    for line in lines {
        let line = line.as_ref();
        out.push_str(indent);
        if line.contains(['\n', '\r']) {
            out.push_str(attribute);
            out.push_str(&Literal::string(&format!(" {line}")).to_string());
            out.push_str("]\n");
            continue;
        }
        out.push_str(comment);
        let line = line.trim_end_matches(' ');
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// A string literal as quote writes it and prettyplease prints it.
pub fn string(value: &str) -> String {
    // Printable ASCII but `"` and `\` is written as it is, between quotes.
    if value
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
    {
        let mut literal = String::with_capacity(value.len() + 2);
        literal.push('"');
        literal.push_str(value);
        literal.push('"');
        return literal;
    }
    Literal::string(value).to_string()
}

/// The tokens of a type or a path (`::std::option::Option<crate::runtime::Int<u64>>`,
/// `impl ::std::convert::Into<::std::string::String>`) on one line, spaced as prettyplease
/// spaces them.
pub fn flat(tokens: &TokenStream) -> String {
    let mut out = String::new();
    write_flat(tokens.clone(), &mut out);
    out
}

fn write_flat(tokens: TokenStream, out: &mut String) {
    // Whether the last token written was a word (an identifier, a keyword or a literal): two
    // words in a row take a space between them.
    let mut after_word = false;
    // A `'` that joins the next identifier into a lifetime.
    let mut lifetime = false;
    // The first `:` of a `::` pair.
    let mut colon_pair = false;
    // Inside the parameters of a closure (`|(k, v)| …`): its second `|` takes a space after.
    let mut closure = false;
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => {
                if after_word && !lifetime {
                    out.push(' ');
                }
                let _ = write!(out, "{ident}");
                after_word = true;
                lifetime = false;
            }
            TokenTree::Literal(literal) => {
                if after_word {
                    out.push(' ');
                }
                let _ = write!(out, "{literal}");
                after_word = true;
            }
            TokenTree::Punct(punct) => {
                let c = punct.as_char();
                match c {
                    ':' if punct.spacing() == Spacing::Joint => {
                        // The first of `::`: a path separator, spaced only after a keyword
                        // (`impl ::std…`, `dyn ::std…`).
                        if after_word && out.ends_with(|ch: char| ch.is_alphanumeric()) {
                            let word = out
                                .rsplit(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                                .next()
                                .unwrap_or_default();
                            if matches!(word, "impl" | "dyn" | "mut" | "as" | "for") {
                                out.push(' ');
                            }
                        }
                        out.push(':');
                        colon_pair = true;
                    }
                    ':' if colon_pair => {
                        out.push(':');
                        colon_pair = false;
                    }
                    ':' => out.push_str(": "),
                    ',' => out.push_str(", "),
                    '=' | '+' => {
                        out.push(' ');
                        out.push(c);
                        out.push(' ');
                    }
                    '|' => {
                        out.push(c);
                        if closure {
                            out.push(' ');
                        }
                        closure = !closure;
                    }
                    '\'' => {
                        if after_word {
                            out.push(' ');
                        }
                        out.push(c);
                        lifetime = true;
                    }
                    _ => out.push(c),
                }
                after_word = false;
            }
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_flat(group.stream(), out);
                out.push_str(close);
                after_word = false;
            }
        }
    }
}

/// Appends `{indent}{head}{function}(argument){tail}` and `\n`: on one line when it fits, else
/// the one argument on a line of its own one level deeper, as prettyplease breaks a call too
/// wide for its line (`head` is what comes before the call on its line: `let x = `, `self.a =
/// `; `tail` what ends it: `;` or nothing). A line still too wide is left to [`fits`].
pub fn call_line(
    out: &mut String,
    indent: &str,
    head: &str,
    function: &str,
    argument: &str,
    tail: &str,
) {
    call_lines(out, indent, head, function, &[argument], tail);
}

/// [`call_line`] with several arguments: when the call does not fit its line, each argument
/// goes on a line of its own, followed by a comma.
pub fn call_lines(
    out: &mut String,
    indent: &str,
    head: &str,
    function: &str,
    arguments: &[&str],
    tail: &str,
) {
    let joined = arguments.join(", ");
    if line_within(out, &[indent, head, function, "(", &joined, ")", tail]) {
        return;
    }
    push_all(out, &[indent, head, function, "(\n"]);
    for argument in arguments {
        push_all(out, &[indent, "    ", argument, ",\n"]);
    }
    push_all(out, &[indent, ")", tail, "\n"]);
}

/// Appends `match head { arms }` at `indent`, one arm (a pattern and its body) a line one
/// level deeper, as [`arm`] writes it; `match head {}` when there is none.
pub fn match_lines(out: &mut String, indent: &str, head: &str, arms: &[(String, String)]) {
    if arms.is_empty() {
        push_all(out, &[indent, "match ", head, " {}\n"]);
        return;
    }
    push_all(out, &[indent, "match ", head, " {\n"]);
    let inner = format!("{indent}    ");
    for (pattern, body) in arms {
        arm(out, &inner, pattern, body);
    }
    push_all(out, &[indent, "}\n"]);
}

/// Appends the match arm `pattern => body,` at `indent`, as prettyplease prints it: on one
/// line when it fits, its comma not counted ([`WHOLE`]); else the body alone on a line one
/// level deeper, in braces. A body prettyplease would end with `;` there (`return`, `break`,
/// `continue`) or one already in braces or parentheses is left to prettyplease, as is a line
/// still too wide ([`fits`]).
pub fn arm(out: &mut String, indent: &str, pattern: &str, body: &str) {
    let line = [indent, pattern, " => ", body, ","];
    let width: usize = line.iter().map(|piece| piece.len()).sum();
    if width <= WIDTH {
        push_all(out, &line);
    } else if width == WIDTH + 1 {
        push_all(out, &line);
        out.push_str(WHOLE);
    } else if ["return", "break", "continue", "{", "("]
        .iter()
        .any(|word| body.starts_with(word))
    {
        push_all(out, &line);
        out.push_str(DOUBT);
    } else {
        push_all(
            out,
            &[
                indent, pattern, " => {\n", indent, "    ", body, "\n", indent, "}",
            ],
        );
    }
    out.push('\n');
}

/// Appends the match arm `pattern => body,` at `indent` as [`arm`] does when it fits on one
/// line (`body` is the body on one line); else `pattern => {`, the body laid out by `broken`
/// one level deeper (given that indentation), and `}`, as prettyplease prints an arm too wide.
pub fn arm_with(
    out: &mut String,
    indent: &str,
    pattern: &str,
    body: &str,
    broken: impl FnOnce(&mut String, &str),
) {
    let width = indent.len() + pattern.len() + " => ".len() + body.len() + ",".len();
    if width <= WIDTH + 1 {
        return arm(out, indent, pattern, body);
    }
    push_all(out, &[indent, pattern, " => {\n"]);
    broken(out, &format!("{indent}    "));
    push_all(out, &[indent, "}\n"]);
}

/// Appends `{indent}{receiver}{link}` and `\n`, the tail expression of a block: on one line
/// when it fits, else `link` (one `.method(…)`) on a line of its own one level deeper, as
/// prettyplease breaks a chain of one call; a line still too wide is left to prettyplease.
pub fn one_link_chain(out: &mut String, indent: &str, receiver: &str, link: &str) {
    if line_within(out, &[indent, receiver, link]) {
        return;
    }
    push_all(out, &[indent, receiver]);
    if indent.len() + receiver.len() > WIDTH {
        out.push_str(DOUBT);
    }
    out.push('\n');
    let start = out.len();
    push_all(out, &[indent, "    ", link]);
    if out.len() - start > WIDTH {
        out.push_str(DOUBT);
    }
    out.push('\n');
}

/// Appends an attribute with a list (`#[serde(rename = "x", skip)]`) at `indent`: on one
/// line when it fits, else one item a line, as prettyplease breaks one too wide.
pub fn attribute_list(out: &mut String, indent: &str, path: &str, items: &[&str]) {
    // Seen in prettyplease's output: 88 columns whole, 90 broken; 89 as for any line.
    let start = out.len();
    push_all(out, &[indent, "#[", path, "("]);
    push_joined(out, items, ", ");
    out.push_str(")]");
    if out.len() - start <= WIDTH {
        out.push('\n');
        return;
    }
    out.truncate(start);
    push_all(out, &[indent, "#[", path, "(\n"]);
    for item in items {
        push_all(out, &[indent, "    ", item, ",\n"]);
    }
    push_all(out, &[indent, ")]\n"]);
}

/// Appends a struct field `head: ty,` at `indent`: on one line when it fits; else, for a type
/// with one generic argument (`Option<…>`), that argument on a line of its own, as
/// prettyplease breaks a type too wide. Anything else too wide is left to prettyplease.
pub fn field(out: &mut String, indent: &str, head: &str, ty: &str) {
    if line_within(out, &[indent, head, ": ", ty, ","]) {
        return;
    }
    let line = format!("{indent}{head}: {ty},");
    let single = ty.split_once('<').and_then(|(outer, rest)| {
        let inner = rest.strip_suffix('>')?;
        // One argument: no comma outside the argument's own brackets.
        let mut depth = 0i32;
        let top_comma = inner.chars().any(|c| {
            match c {
                '<' | '(' | '[' => depth += 1,
                '>' | ')' | ']' => depth -= 1,
                _ => {}
            }
            c == ',' && depth == 0
        });
        (!top_comma).then_some((outer, inner))
    });
    match single {
        Some((outer, inner))
            if indent.len() + head.len() + outer.len() + 3 <= WIDTH
                && indent.len() + 4 + inner.len() < WIDTH =>
        {
            out.push_str(&format!(
                "{indent}{head}: {outer}<\n{indent}    {inner},\n{indent}>,\n"
            ));
        }
        _ => {
            out.push_str(&line);
            out.push_str(DOUBT);
            out.push('\n');
        }
    }
}

/// The parameters of a broken signature, one a line one level deeper. The last one's comma is
/// not counted (prettyplease writes it only because the list is broken): a last parameter one
/// column past the margin with it is whole ([`WHOLE`]).
fn broken_params(out: &mut String, indent: &str, params: &[&str]) {
    for (i, param) in params.iter().enumerate() {
        push_all(out, &[indent, "    ", param, ","]);
        if i + 1 == params.len() && indent.len() + 4 + param.len() + 1 == WIDTH + 1 {
            out.push_str(WHOLE);
        }
        out.push('\n');
    }
}

/// Appends the head of a trait impl at the top level, `{head} for {ty} {` (`head`: `impl
/// Trait`, with its generics): on one line when it fits, else `for {ty} {` on the next line,
/// not indented, as prettyplease breaks one too wide; a line still too wide is left to
/// prettyplease.
pub fn impl_head(out: &mut String, head: &str, ty: &str) {
    if line_within(out, &[head, " for ", ty, " {"]) {
        return;
    }
    push_all(out, &[head, "\n"]);
    let start = out.len();
    push_all(out, &["for ", ty, " {"]);
    if out.len() - start > WIDTH {
        out.push_str(DOUBT);
    }
    out.push('\n');
}

/// Appends a function's signature and its opening brace at `indent`: on one line when it fits,
/// else one parameter a line, as prettyplease breaks a signature too wide for its margin.
/// `head` is what comes before the parameters (`pub fn name`), `tail` what follows them
/// (` -> Self`).
pub fn signature(out: &mut String, indent: &str, head: &str, params: &[&str], tail: &str) {
    // Seen in prettyplease's output: 89 columns whole, 90 broken.
    let start = out.len();
    push_all(out, &[indent, head, "("]);
    push_joined(out, params, ", ");
    push_all(out, &[")", tail, " {"]);
    if out.len() - start <= WIDTH {
        out.push('\n');
        return;
    }
    if params.is_empty() {
        // Too wide with nothing to break here: prettyplease's to lay out.
        out.push_str(DOUBT);
        out.push('\n');
        return;
    }
    out.truncate(start);
    push_all(out, &[indent, head, "(\n"]);
    broken_params(out, indent, params);
    push_all(out, &[indent, ")", tail, " {\n"]);
}

/// Appends the signature of a method returning `::std::result::Result<ok, Error>` at
/// `indent`, as [`signature`] does; when even the line closing the broken parameters is too
/// wide, the result's two arguments go on lines of their own, as prettyplease breaks them.
pub fn result_signature(out: &mut String, indent: &str, head: &str, params: &[&str], ok: &str) {
    returning(out, indent, head, params, "::std::result::Result", ok);
}

/// Appends the signature of an operation's method, returning
/// `impl crate::runtime::Pending<ok, Error>`, as [`result_signature`] does.
pub fn pending_signature(out: &mut String, indent: &str, head: &str, params: &[&str], ok: &str) {
    returning(
        out,
        indent,
        head,
        params,
        "impl crate::runtime::Pending",
        ok,
    );
}

/// [`result_signature`] with the return type `{generic}<ok, Error>`.
fn returning(out: &mut String, indent: &str, head: &str, params: &[&str], generic: &str, ok: &str) {
    let tail = [" -> ", generic, "<", ok, ", Error>"];
    let start = out.len();
    push_all(out, &[indent, head, "("]);
    push_joined(out, params, ", ");
    out.push(')');
    push_all(out, &tail);
    out.push_str(" {");
    if out.len() - start <= WIDTH {
        out.push('\n');
        return;
    }
    out.truncate(start);
    push_all(out, &[indent, head, "(\n"]);
    broken_params(out, indent, params);
    let mut closing = vec![indent, ")"];
    closing.extend(tail);
    closing.push(" {");
    if line_within(out, &closing) {
        return;
    }
    push_all(out, &[indent, ") -> ", generic, "<\n"]);
    let ok = format!("{indent}    {ok},");
    out.push_str(&ok);
    if ok.len() > WIDTH {
        out.push_str(DOUBT);
    }
    out.push_str(&format!("\n{indent}    Error,\n{indent}> {{\n"));
}

/// Appends `head`, the array `&[items]` and `tail` at `indent`: on one line when it fits, else
/// one item a line, as prettyplease breaks an array too wide.
pub fn array(out: &mut String, indent: &str, head: &str, items: &[String], tail: &str) {
    // Seen in prettyplease's output: 90 columns whole when the tail is a field's comma (not
    // counted, as it is written only when the fields are broken).
    let line = format!("{indent}{head}&[{}]{tail}", items.join(", "));
    if one_line(out, &line, WIDTH, WIDTH + 2) || items.is_empty() {
        return;
    }
    out.push_str(&format!("{indent}{head}&[\n"));
    for item in items {
        out.push_str(&format!("{indent}    {item},\n"));
    }
    out.push_str(&format!("{indent}]{tail}\n"));
}

/// A link of a method chain after its head.
#[derive(Debug)]
pub enum Link {
    /// Text that is never broken: `.await`, `.finish()`.
    Plain(String),
    /// `.method(arguments)`: when too wide for its line, its arguments one a line.
    Call(&'static str, Vec<String>),
}

impl Link {
    /// The link on one line.
    fn flat(&self) -> String {
        match self {
            Link::Plain(text) => text.clone(),
            Link::Call(method, args) => format!(".{method}({})", args.join(", ")),
        }
    }
}

/// Appends a method chain, the tail expression of a block at `indent`: `head` (a short
/// receiver and its first call, `f.debug_struct("A")`) and `links` (`.field(…)`) on one line
/// when it fits, else one link a line, one level deeper, as prettyplease breaks a chain; a
/// call too wide for its line has its arguments one a line, one level deeper again. Any line
/// still too wide is left to prettyplease ([`DOUBT`]).
pub fn method_chain(out: &mut String, indent: &str, head: &str, links: &[Link]) {
    let flat: Vec<String> = links.iter().map(Link::flat).collect();
    let line = format!("{indent}{head}{}", flat.concat());
    if one_line(out, &line, WIDTH, WIDTH) {
        return;
    }
    let first = format!("{indent}{head}");
    out.push_str(&first);
    if first.len() > WIDTH {
        out.push_str(DOUBT);
    }
    out.push('\n');
    for (link, flat) in links.iter().zip(&flat) {
        let line = format!("{indent}    {flat}");
        if one_line(out, &line, WIDTH, WIDTH) {
            continue;
        }
        let Link::Call(method, args) = link else {
            out.push_str(&line);
            out.push_str(DOUBT);
            out.push('\n');
            continue;
        };
        out.push_str(&format!("{indent}    .{method}(\n"));
        for arg in args {
            // The comma after a broken list's last item is not counted: no line of ours
            // comes close enough to the margin for that to matter, or it is left.
            let line = format!("{indent}        {arg},");
            if !one_line(out, &line, WIDTH, WIDTH) {
                out.push_str(&line);
                out.push_str(DOUBT);
                out.push('\n');
            }
        }
        out.push_str(&format!("{indent}    )\n"));
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    /// A `Debug` chain of one to three calls, its labels of every length around the margin:
    /// on one line, broken, its calls broken too, as prettyplease lays them out, or left to
    /// it.
    #[test]
    fn method_chains_break_as_prettyplease_breaks_them() {
        let (mut left, mut broken) = (0, 0);
        for len in 1..90 {
            for count in 1..4 {
                let label = "x".repeat(len);
                let mut calls: Vec<Link> = (0..count)
                    .map(|i| Link::Call("field", vec![string(&label), format!("&self.a{i}")]))
                    .collect();
                calls.push(Link::Plain(".finish()".into()));
                let mut ours = String::from("impl A {\n    fn f(&self) -> u8 {\n");
                method_chain(&mut ours, "        ", "f.debug_struct(\"A\")", &calls);
                ours.push_str("    }\n}\n");
                let theirs = prettyplease::unparse(&syn::parse_file(&ours).expect("parses"));
                if fits(&ours, 0) {
                    assert_eq!(ours, theirs);
                    broken += usize::from(ours.contains(".field(\n"));
                } else {
                    // Only an argument too wide for its own line is left to prettyplease.
                    assert!(len > 66, "{ours}");
                    left += 1;
                }
            }
        }
        assert!(broken > 20, "{broken}");
        assert!(left > 0 && left < 100, "{left}");
    }

    /// An operation's signatures, returning `Result<ok, Error>` or `impl Pending<ok, Error>`,
    /// for every width of `ok` around the margin: on one line, the parameters broken, the
    /// return type's arguments broken too, as prettyplease lays them out, or left to it.
    #[test]
    fn returning_signatures_break_as_prettyplease_breaks_them() {
        let mut layouts = [0usize; 3];
        for len in 1..100 {
            let ok = format!("super::types::{}", "T".repeat(len));
            for write in [result_signature, pending_signature] {
                let mut ours = String::from("impl Client {\n");
                write(
                    &mut ours,
                    "    ",
                    "pub fn op",
                    &["&self", "request: &R"],
                    &ok,
                );
                ours.push_str("        todo!()\n    }\n}\n");
                if !fits(&ours, 0) {
                    // Only a return type too wide for its own line is left to prettyplease.
                    assert!(len > 60, "{ours}");
                    continue;
                }
                let theirs = prettyplease::unparse(&syn::parse_file(&ours).expect("parses"));
                assert_eq!(ours, theirs);
                let layout = if !ours.contains("(\n") {
                    0
                } else if !ours.contains("<\n") {
                    1
                } else {
                    2
                };
                layouts[layout] += 1;
            }
        }
        // On one line, the parameters broken, the return type's arguments broken too.
        assert!(layouts.iter().all(|n| *n > 0), "{layouts:?}");
    }

    /// How many layouts of each kind a test met, each held to prettyplease's print.
    #[derive(Debug, Default)]
    struct Tally {
        /// On one line.
        whole: usize,
        /// On one line one column past the margin (`WHOLE`).
        past: usize,
        /// Broken.
        broken: usize,
        /// Left to prettyplease (does not fit).
        left: usize,
    }

    impl Tally {
        /// Counts `ours` (broken when it holds `broken`), having asserted, when it fits, that
        /// it is prettyplease's print of itself (its `WHOLE` marks dropped).
        fn check(&mut self, ours: &str, broken: &str) {
            if !fits(ours, 0) {
                self.left += 1;
                return;
            }
            let theirs = prettyplease::unparse(&syn::parse_file(ours).expect("parses"));
            let written: String = ours
                .lines()
                .map(|l| format!("{}\n", l.strip_suffix(WHOLE).unwrap_or(l)))
                .collect();
            assert_eq!(written, theirs);
            if ours.contains(WHOLE) {
                self.past += 1;
            } else if ours.contains(broken) {
                self.broken += 1;
            } else {
                self.whole += 1;
            }
        }
    }

    /// The arm `write` appends at `indent` (8 or 12 columns) in a `match`: in a function, or
    /// in a method of an impl block.
    fn in_match(indent: &str, write: impl FnOnce(&mut String)) -> String {
        let (open, close) = if indent.len() == 8 {
            ("fn f() {\n    match v {\n", "    }\n}\n")
        } else {
            (
                "impl S {\n    fn f() {\n        match v {\n",
                "        }\n    }\n}\n",
            )
        };
        let mut wrapped = open.to_owned();
        write(&mut wrapped);
        wrapped.push_str(close);
        wrapped
    }

    /// Match arms of every width around the margin, at two depths, their bodies a string, a
    /// path, a call or a `return`: whole (the comma past the margin included), broken into a
    /// block, or left to prettyplease, as prettyplease prints them.
    #[test]
    fn match_arms_break_as_prettyplease_breaks_them() {
        let mut tally = Tally::default();
        for indent in ["        ", "            "] {
            for len in 1..90 {
                let name = "x".repeat(len);
                for (pattern, body) in [
                    (string(&name), "Self::A".to_owned()),
                    ("Self::A".to_owned(), string(&name)),
                    (
                        string(&name),
                        "::std::result::Result::Ok(Self::Value)".to_owned(),
                    ),
                    (
                        "_".to_owned(),
                        format!("return ::std::option::Option::Some({name})"),
                    ),
                    ("Self::B(value)".to_owned(), format!("value.{name}()")),
                ] {
                    let wrapped = in_match(indent, |out| arm(out, indent, &pattern, &body));
                    tally.check(&wrapped, " => {\n");
                }
            }
        }
        let Tally {
            whole,
            past,
            broken,
            left,
        } = tally;
        assert!(
            whole > 100 && past >= 4 && broken > 100 && left > 0,
            "{tally:?}"
        );
    }

    /// What lays a broken arm's body out at an indentation.
    type BodyWriter<'a> = dyn Fn(&mut String, &str) + 'a;

    /// Match arms whose bodies break inside their block when too wide (a call of one
    /// argument, a call of several, a call and one method call), names of every width around
    /// the margin, at two depths: whole, broken into a block with the body broken or not
    /// within it, or left to prettyplease, as prettyplease prints them.
    #[test]
    fn arms_with_broken_bodies_break_as_prettyplease_breaks_them() {
        let mut tally = Tally::default();
        for indent in ["        ", "            "] {
            for len in 1..100 {
                let name = "x".repeat(len);
                let tag = string(&name);
                let chain_link = format!(".map(|v| Self::{name}(::std::boxed::Box::new(v)))");
                let shapes: [(String, String, Box<BodyWriter>); 3] = [
                    (
                        format!("Self::{name}(_)"),
                        format!("::std::option::Option::Some({tag})"),
                        Box::new(|out: &mut String, inner: &str| {
                            call_line(out, inner, "", "::std::option::Option::Some", &tag, "");
                        }),
                    ),
                    (
                        "Self::A(v)".to_owned(),
                        format!("crate::a::serialize_variant(v, \"type\", {tag}, serializer)"),
                        Box::new(|out: &mut String, inner: &str| {
                            let args = ["v", "\"type\"", tag.as_str(), "serializer"];
                            call_lines(out, inner, "", "crate::a::serialize_variant", &args, "");
                        }),
                    ),
                    (
                        format!("::std::option::Option::Some({tag})"),
                        format!("crate::a::decode_variant(value){chain_link}"),
                        Box::new(|out: &mut String, inner: &str| {
                            one_link_chain(
                                out,
                                inner,
                                "crate::a::decode_variant(value)",
                                &chain_link,
                            );
                        }),
                    ),
                ];
                for (pattern, body, broken) in shapes {
                    let wrapped =
                        in_match(indent, |out| arm_with(out, indent, &pattern, &body, broken));
                    tally.check(&wrapped, " => {\n");
                }
            }
        }
        let Tally {
            whole,
            past,
            broken,
            left,
        } = tally;
        assert!(
            whole > 50 && past >= 2 && broken > 200 && left > 0,
            "{tally:?}"
        );
    }

    /// Trait impls for types of every width around the margin, the trait's path of three
    /// lengths: on one line, broken before `for`, or left to prettyplease, as prettyplease
    /// prints them.
    #[test]
    fn impl_heads_break_as_prettyplease_breaks_them() {
        let mut tally = Tally::default();
        for len in 1..100 {
            let ty = "X".repeat(len);
            for head in [
                "impl ::serde_core::Serialize",
                "impl<'de> ::serde_core::Deserialize<'de>",
                "impl ::std::convert::From<super::types::ResponseCodeAnswer>",
            ] {
                let mut ours = String::new();
                impl_head(&mut ours, head, &ty);
                ours.push_str("    const A: u8 = 1;\n}\n");
                tally.check(&ours, "\nfor ");
            }
        }
        let Tally {
            whole,
            broken,
            left,
            ..
        } = tally;
        assert!(whole > 100 && broken > 100 && left > 0, "{tally:?}");
    }

    /// Signatures of a method with parameters of every width around the margin, the last one
    /// ending a column past it with its comma included: on one line, broken, or left to
    /// prettyplease, as prettyplease prints them.
    #[test]
    fn signatures_break_as_prettyplease_breaks_them() {
        let mut tally = Tally::default();
        for len in 1..95 {
            let ty = format!("::std::vec::Vec<{}>", "X".repeat(len));
            let param = format!("value: {ty}");
            for (params, tail) in [
                (vec!["mut self", param.as_str()], " -> Self"),
                (vec![param.as_str(), "other: u8"], ""),
            ] {
                let mut ours = String::from("impl S {\n");
                signature(&mut ours, "    ", "pub fn f", &params, tail);
                ours.push_str("        x\n    }\n}\n");
                tally.check(&ours, "(\n");
            }
        }
        let Tally {
            whole,
            past,
            broken,
            left,
        } = tally;
        assert!(
            whole > 50 && past == 1 && broken > 30 && left > 0,
            "{tally:?}"
        );
    }

    /// A string literal is the one `proc_macro2` writes, for every ASCII character and a few
    /// others, alone and between letters.
    #[test]
    fn string_literals_are_written_as_proc_macro2_writes_them() {
        let mut values: Vec<String> = (0u8..128).map(|b| char::from(b).to_string()).collect();
        values.extend((0u8..128).map(|b| format!("a{}b", char::from(b))));
        values.extend(["é", "\u{200b}", "\u{301}", "a\u{7f}b", "", "plain text"].map(String::from));
        for value in values {
            assert_eq!(
                string(&value),
                Literal::string(&value).to_string(),
                "{value:?}"
            );
        }
    }

    /// The flat text of a type is what prettyplease prints for it.
    #[test]
    fn types_print_flat_as_prettyplease_prints_them() {
        for tokens in [
            quote!(::std::option::Option<crate::runtime::Int<u64>>),
            quote!(impl ::std::convert::Into<::std::string::String>),
            quote!(::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>),
            quote!(&'static str),
            quote!(&mut ::std::fmt::Formatter<'_>),
            quote!(impl ::std::convert::Into<crate::runtime::Nullable<super::types::A>>),
            quote!(::std::boxed::Box<dyn ::std::error::Error + Send>),
            quote!(super::enums::r#Type),
        ] {
            let ty: syn::Type = syn::parse2(tokens.clone()).unwrap();
            let file: syn::File = syn::parse_quote!(type T = #ty;);
            let printed = prettyplease::unparse(&file);
            assert_eq!(format!("type T = {};\n", flat(&tokens)), printed);
        }
    }

    #[test]
    fn doc_lines_print_as_prettyplease_prints_doc_attributes() {
        let mut out = String::new();
        doc(&mut out, "    ", ["A line.  ", "", "`code` [link](x)"]);
        assert_eq!(out, "    /// A line.\n    ///\n    /// `code` [link](x)\n");
        // A line break inside a line cannot be a `///` line: the attribute, which is code and
        // too wide or not, goes through prettyplease.
        let mut out = String::new();
        doc(&mut out, "", ["a\nb"]);
        assert_eq!(out, "#[doc = \" a\\nb\"]\n");
    }

    #[test]
    fn a_signature_breaks_its_parameters_when_too_wide() {
        let mut out = String::new();
        signature(
            &mut out,
            "    ",
            "pub fn id",
            &["mut self", "value: u64"],
            " -> Self",
        );
        assert_eq!(out, "    pub fn id(mut self, value: u64) -> Self {\n");
        let mut out = String::new();
        let long = "value: impl ::std::convert::Into<::std::string::String>";
        signature(
            &mut out,
            "    ",
            "pub fn id",
            &["mut self", long],
            " -> Self",
        );
        assert_eq!(
            out,
            format!("    pub fn id(\n        mut self,\n        {long},\n    ) -> Self {{\n")
        );
        let mut out = String::new();
        attribute_list(&mut out, "    ", "serde", &["rename = \"a\"", "skip"]);
        assert_eq!(out, "    #[serde(rename = \"a\", skip)]\n");
        assert!(fits(
            "/// a very long doc line that goes on and on and on and on and on and on and on",
            8
        ));
        assert!(!fits(&"x".repeat(86), 4));
        // Near the margin, the layout is prettyplease's: the piece is reprinted.
        let mut out = String::new();
        let items = [format!("\"{}\"", "a".repeat(74))];
        array(&mut out, "", "expected: ", &items, ",");
        assert_eq!(out.len(), 90 + DOUBT.len() + 1);
        assert!(!fits(&out, 0));
        assert!(fits(&"x".repeat(89), 0));
        let mut out = String::new();
        let ty = "::std::option::Option<::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>>";
        field(&mut out, "    ", "pub metadata", ty);
        assert_eq!(
            out,
            "    pub metadata: ::std::option::Option<\n        ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,\n    >,\n"
        );
    }
}
