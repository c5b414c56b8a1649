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

/// Makes vendor prose safe for rustdoc and Markdown: bare URLs become autolinks, and
/// brackets and angle brackets that would read as links or HTML are escaped.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let url_at = ["https://", "http://"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min();
        let (plain, tail) = match url_at {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        for c in plain.chars() {
            match c {
                '[' => out.push_str("\\["),
                ']' => out.push_str("\\]"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
        }
        if tail.is_empty() {
            break;
        }
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`' | ']'))
            .unwrap_or(tail.len());
        let mut url = &tail[..end];
        // A sentence's final period or comma is not part of the URL.
        while url.ends_with(['.', ',', ';', ':']) {
            url = &url[..url.len() - 1];
        }
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &tail[url.len()..];
    }
    out
}

/// Inserts the blank lines prettyplease leaves out: between items and before doc comments.
///
/// prettyplease prints items back to back; a blank line after every closing brace or
/// item-ending semicolon that is followed by another item at the same depth makes generated
/// code read like hand-written code.
pub fn space_items(source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::with_capacity(source.len() + source.len() / 8);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else { break };
        let indent = line.len() - line.trim_start().len();
        let next_indent = next.len() - next.trim_start().len();
        let trimmed = line.trim();
        let next_trimmed = next.trim_start();
        let ends_item = trimmed == "}"
            || trimmed == "};"
            || (indent == 0
                && trimmed.ends_with(';')
                && !next_trimmed.starts_with("pub use")
                && !next_trimmed.starts_with("use "));
        let ends_field = trimmed.ends_with(',')
            && next_trimmed.starts_with("///")
            && !trimmed.starts_with("///");
        let starts_item = [
            "///", "#[", "pub ", "impl", "fn ", "const ", "static ", "mod ", "enum ", "struct ",
            "type ", "async ", "use ",
        ]
        .iter()
        .any(|p| next_trimmed.starts_with(p));
        let ends_inner_doc = trimmed.starts_with("//!") && !next_trimmed.starts_with("//!");
        if (ends_item && starts_item && next_indent == indent)
            || (ends_field && next_indent == indent)
            || ends_inner_doc
        {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn spaces_items_but_not_statements() {
        let src = "pub struct A {\n    /// x\n    pub a: u8,\n    /// y\n    pub b: u8,\n}\nimpl A {\n    fn f() {\n        let x = 1;\n        g(x);\n    }\n    fn h() {}\n}\n";
        let expected = "pub struct A {\n    /// x\n    pub a: u8,\n\n    /// y\n    pub b: u8,\n}\n\nimpl A {\n    fn f() {\n        let x = 1;\n        g(x);\n    }\n\n    fn h() {}\n}\n";
        assert_eq!(space_items(src), expected);
    }
}
