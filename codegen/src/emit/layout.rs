//! Data expressions (struct literals, arrays, tuples, calls, references, closures) laid out as
//! prettyplease lays them out, for the tables codegen writes as Rust (the sandbox's operation
//! table): written as text in one pass, never parsed back.
//!
//! The rules are prettyplease's, for these shapes only:
//! - a delimited list (a call's arguments, an array, a tuple) stays on one line when the column
//!   after its opening bracket plus its items, `, `-separated, is within the line's room;
//!   otherwise each item goes on a line of its own, four columns deeper than the enclosing
//!   line's indentation, each followed by a comma. What follows the list up to the next place
//!   where the line may break is counted: its closing brackets, and the comma after an item or
//!   a field that is not the last (the last one's comma is written only because its list is
//!   broken, and is not).
//! - a line's room is 89 columns, or 60 columns from its indentation when that is further
//!   (prettyplease's `MARGIN` and `MIN_SPACE`);
//! - a struct literal is broken, one field a line, unless it is 34 columns or narrower; and a
//!   list holding a broken struct literal is broken;
//! - a call whose only argument is an array, a tuple, a struct literal or a closure takes it
//!   right after its `(`, with no break of its own.
//!
//! A shape outside these rules (a narrow struct literal, an array of number literals, a
//! one-item tuple, a closure whose body is not a call) makes [`write`] say it is not sure, and
//! the caller has the text printed by prettyplease instead. The test `printed_like_prettyplease`
//! holds the tables written here to prettyplease's output, and the tests below hold each rule
//! to it on every width around the margin.

/// prettyplease's margin (`MARGIN`).
const MARGIN: usize = 89;

/// The room prettyplease leaves a deeply indented line at least (`MIN_SPACE`).
const MIN_SPACE: usize = 60;

/// The widest struct literal prettyplease keeps on one line.
const STRUCT_MAX_WIDTH: usize = 34;

/// An expression of data, to lay out.
#[derive(Debug, Clone)]
pub enum Expr {
    /// Text that never breaks: a literal, a path (`"POST"`, `200u16`, `::std::option::Option::None`).
    Atom(String),
    /// `&expr`.
    Ref(Box<Expr>),
    /// `function(arguments)`.
    Call(String, Vec<Expr>),
    /// `[items]` (with [`Expr::Ref`], `&[items]`).
    Array(Vec<Expr>),
    /// `(items)`, two or more.
    Tuple(Vec<Expr>),
    /// `path { field: value, … }`.
    Struct(String, Vec<(String, Expr)>),
    /// `|parameters| body`: the head (`|value| `) and a call.
    Closure(String, Box<Expr>),
}

impl Expr {
    /// An atom.
    pub fn atom(text: impl Into<String>) -> Expr {
        Expr::Atom(text.into())
    }

    /// A string literal.
    pub fn str(value: &str) -> Expr {
        Expr::Atom(super::source::string(value))
    }

    /// `&expr`.
    pub fn reference(expr: Expr) -> Expr {
        Expr::Ref(Box::new(expr))
    }

    /// `::std::option::Option::Some(expr)` or `::std::option::Option::None`.
    pub fn option(value: Option<Expr>) -> Expr {
        match value {
            Some(value) => Expr::Call("::std::option::Option::Some".into(), vec![value]),
            None => Expr::atom("::std::option::Option::None"),
        }
    }

    /// A struct literal.
    pub fn structure(path: &str, fields: Vec<(&str, Expr)>) -> Expr {
        Expr::Struct(
            path.to_owned(),
            fields
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        )
    }

    /// The expression on one line, as prettyplease measures it; `None` when prettyplease
    /// breaks it wherever it stands (a wide struct literal in it), or when this module does
    /// not know how it lays it out (`sure` turns false).
    fn flat(&self, sure: &mut bool) -> Option<String> {
        Some(match self {
            Expr::Atom(text) => text.clone(),
            Expr::Ref(inner) => format!("&{}", inner.flat(sure)?),
            Expr::Call(function, args) => format!("{function}({})", list_flat(args, sure)?),
            Expr::Array(items) => format!("[{}]", list_flat(items, sure)?),
            Expr::Tuple(items) => format!("({})", list_flat(items, sure)?),
            Expr::Closure(head, body) => format!("{head}{}", body.flat(sure)?),
            Expr::Struct(path, fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(name, value)| Some(format!("{name}: {}", value.flat(sure)?)))
                    .collect::<Option<_>>()?;
                let text = format!("{path} {{ {} }}", fields.join(", "));
                // Within a few columns of the limit, what prettyplease counts matters.
                if text.len() <= STRUCT_MAX_WIDTH + 4 || fields.is_empty() {
                    *sure = false;
                }
                return None;
            }
        })
    }
}

fn list_flat(items: &[Expr], sure: &mut bool) -> Option<String> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(item.flat(sure)?);
    }
    Some(out.join(", "))
}

/// Whether a call takes `expr`, its only argument, right after its `(` (prettyplease's
/// `is_blocklike`).
fn blocklike(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Array(_) | Expr::Tuple(_) | Expr::Struct(..) | Expr::Closure(..)
    )
}

/// Appends `expr` to `out`, whose last line is indented by `indent` columns and which is
/// followed by a line break or a comma and a line break; returns whether the layout is surely
/// prettyplease's (see the module's doc).
pub fn write(out: &mut String, expr: &Expr, indent: usize) -> bool {
    let mut sure = true;
    write_expr(out, expr, indent, 0, &mut sure);
    sure
}

/// `tail`: how many columns of closing brackets follow `expr` before the next place where
/// prettyplease may break the line; it counts them when it decides whether a list fits.
fn write_expr(out: &mut String, expr: &Expr, indent: usize, tail: usize, sure: &mut bool) {
    match expr {
        Expr::Atom(text) => out.push_str(text),
        Expr::Ref(inner) => {
            out.push('&');
            write_expr(out, inner, indent, tail, sure);
        }
        Expr::Call(function, args) => {
            out.push_str(function);
            out.push('(');
            match args.as_slice() {
                [only] if blocklike(only) => write_expr(out, only, indent, tail + 1, sure),
                _ => write_list(out, args, indent, tail + 1, sure),
            }
            out.push(')');
        }
        Expr::Array(items) => {
            // prettyplease fills an array of number, boolean or character literals as many
            // per line as fit: not a layout of this module.
            if !items.is_empty()
                && items.iter().all(|item| {
                    matches!(item, Expr::Atom(text)
                        if text.starts_with(|c: char| c.is_ascii_digit() || c == '\'')
                            || text == "true" || text == "false")
                })
            {
                *sure = false;
            }
            out.push('[');
            write_list(out, items, indent, tail + 1, sure);
            out.push(']');
        }
        Expr::Tuple(items) => {
            if items.len() < 2 {
                *sure = false;
            }
            out.push('(');
            write_list(out, items, indent, tail + 1, sure);
            out.push(')');
        }
        Expr::Closure(head, body) => {
            if !matches!(**body, Expr::Call(..)) {
                *sure = false;
            }
            out.push_str(head);
            write_expr(out, body, indent, tail, sure);
        }
        Expr::Struct(path, fields) => {
            // Broken, always (`flat` says when that is not sure).
            let _ = expr.flat(sure);
            out.push_str(path);
            out.push_str(" {\n");
            for (i, (name, value)) in fields.iter().enumerate() {
                push_indent(out, indent + 4);
                out.push_str(name);
                out.push_str(": ");
                write_expr(out, value, indent + 4, comma(i, fields.len()), sure);
                out.push_str(",\n");
            }
            push_indent(out, indent);
            out.push('}');
        }
    }
}

/// The items of a delimited list, after its opening bracket: on the line when they and the
/// `tail` fit, else one a line.
fn write_list(out: &mut String, items: &[Expr], indent: usize, tail: usize, sure: &mut bool) {
    let column = out.len() - out.rfind('\n').map_or(0, |at| at + 1);
    let room = MARGIN.max(indent + MIN_SPACE);
    if let Some(flat) = list_flat(items, sure)
        && column + flat.len() + tail <= room
    {
        out.push_str(&flat);
        return;
    }
    out.push('\n');
    for (i, item) in items.iter().enumerate() {
        push_indent(out, indent + 4);
        write_expr(out, item, indent + 4, comma(i, items.len()), sure);
        out.push_str(",\n");
    }
    push_indent(out, indent);
}

/// The columns counted after item `i` of `len` in a broken list or struct literal: the comma
/// after every item but the last (the last one's is written only because the list is broken).
fn comma(i: usize, len: usize) -> usize {
    usize::from(i + 1 < len)
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expr` as prettyplease prints it as the value of a static, and as written here.
    fn both(expr: &Expr) -> (String, String, bool) {
        let mut ours = String::from("static S: T = ");
        let sure = write(&mut ours, expr, 0);
        ours.push_str(";\n");
        let file = syn::parse_file(&ours).expect("parses");
        (prettyplease::unparse(&file), ours, sure)
    }

    /// Strings of every length around the margin, at every depth the tables reach: calls,
    /// arrays and tuples of them, in broken struct literals nested as deep as 40 columns
    /// (where the room is 60 columns from the indentation, not the margin).
    #[test]
    fn lists_break_exactly_where_prettyplease_breaks_them() {
        let mut checked = 0;
        for depth in 0..10 {
            for len in 1..80 {
                let text = "x".repeat(len);
                let leaves = [
                    Expr::option(Some(Expr::str(&text))),
                    Expr::reference(Expr::Array(vec![Expr::str(&text), Expr::str("ab")])),
                    Expr::reference(Expr::Array(vec![Expr::Tuple(vec![
                        Expr::str(&text),
                        Expr::reference(Expr::Array(vec![Expr::str("a"), Expr::str("b")])),
                    ])])),
                    Expr::option(Some(Expr::Tuple(vec![Expr::str(&text), Expr::str("y")]))),
                    Expr::Closure(
                        "|value| ".into(),
                        Box::new(Expr::Call(
                            "crate::f".into(),
                            vec![Expr::atom("value"), Expr::atom(text.clone())],
                        )),
                    ),
                ];
                for (leaf, last) in leaves.iter().flat_map(|l| [(l, true), (l, false)]) {
                    // Last in its struct or list, or followed by another item.
                    let then = |fields: &mut Vec<(&str, Expr)>| {
                        if !last {
                            fields.push(("then", Expr::atom("2u8")));
                        }
                    };
                    let mut expr = leaf.clone();
                    for level in 0..depth {
                        let mut fields = vec![("first", Expr::atom("1u16")), ("field", expr)];
                        then(&mut fields);
                        let rule =
                            Expr::structure("crate::runtime::sandbox::SomethingLong", fields);
                        expr = Expr::option(Some(Expr::reference(rule)));
                        if level % 3 == 2 {
                            let mut items = vec![expr];
                            if !last {
                                items.push(Expr::atom("X"));
                            }
                            expr = Expr::reference(Expr::Array(items));
                        }
                    }
                    let mut fields = vec![("value", expr)];
                    then(&mut fields);
                    let expr = Expr::structure("crate::runtime::sandbox::TheTable", fields);
                    let (theirs, ours, sure) = both(&expr);
                    assert!(sure, "{ours}");
                    assert_eq!(ours, theirs);
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 10 * 79 * 5 * 2);
    }

    /// The shapes whose layout is not this module's are said so.
    #[test]
    fn other_shapes_are_not_sure() {
        let narrow = Expr::structure("A", vec![("b", Expr::atom("1"))]);
        let numbers = Expr::Array(vec![Expr::atom("1"), Expr::atom("2")]);
        let one = Expr::Tuple(vec![Expr::atom("1")]);
        let closure = Expr::Closure("|v| ".into(), Box::new(Expr::atom("v")));
        for expr in [narrow, numbers, one, closure] {
            let (_, _, sure) = both(&expr);
            assert!(!sure, "{expr:?}");
        }
    }
}
