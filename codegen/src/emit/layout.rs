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
//! - a struct literal is broken, one field a line, unless it is 35 columns or narrower (its
//!   closing brace included) and fits; a list holding a struct literal too wide is broken;
//! - a call whose only argument is an array, a tuple, a struct literal or a closure takes it
//!   right after its `(`, with no break of its own.
//!
//! A shape outside these rules (an empty struct literal, an array of number literals, a
//! one-item tuple, code that does not fit on its line, a closure whose body is not a call
//! and does not fit on its line)
//! makes [`write`] say it is not sure, and
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
    /// Code on one line that prettyplease would break if it did not fit (a call, a method
    /// chain): the layout is not sure when it does not.
    Code(String),
    /// Text printed by prettyplease where it stands, its first line continuing the line it
    /// starts on; never on one line with anything else.
    Printed(String),
    /// `&expr`.
    Ref(Box<Expr>),
    /// `function(arguments)`.
    Call(String, Vec<Expr>),
    /// `[items]` (with [`Expr::Ref`], `&[items]`).
    Array(Vec<Expr>),
    /// `(items)`, two or more.
    Tuple(Vec<Expr>),
    /// `path { field: value, shorthand, ..rest }`: a field without a value is written by its
    /// name alone.
    Struct(String, Vec<(String, Option<Expr>)>, Option<Box<Expr>>),
    /// `|parameters| body`: the head (`|value| `) and the body.
    Closure(String, Box<Expr>),
    /// `expr?`.
    Try(Box<Expr>),
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
                .map(|(name, value)| (name.to_owned(), Some(value)))
                .collect(),
            None,
        )
    }

    /// The expression on one line, as prettyplease measures it; `None` when prettyplease
    /// breaks it wherever it stands (a struct literal wider than it keeps on a line).
    fn flat(&self, sure: &mut bool) -> Option<String> {
        Some(match self {
            Expr::Atom(text) | Expr::Code(text) => text.clone(),
            Expr::Printed(text) if !text.contains('\n') => text.clone(),
            Expr::Printed(_) => return None,
            Expr::Ref(inner) => format!("&{}", inner.flat(sure)?),
            Expr::Call(function, args) => format!("{function}({})", list_flat(args, sure)?),
            Expr::Array(items) => format!("[{}]", list_flat(items, sure)?),
            Expr::Tuple(items) => format!("({})", list_flat(items, sure)?),
            Expr::Closure(head, body) => format!("{head}{}", body.flat(sure)?),
            Expr::Try(inner) => format!("{}?", inner.flat(sure)?),
            Expr::Struct(path, fields, rest) => {
                if fields.is_empty() && rest.is_none() {
                    *sure = false;
                }
                let mut items = Vec::with_capacity(fields.len() + 1);
                for (name, value) in fields {
                    items.push(match value {
                        Some(value) => format!("{name}: {}", value.flat(sure)?),
                        None => name.clone(),
                    });
                }
                if let Some(rest) = rest {
                    items.push(format!("..{}", rest.flat(sure)?));
                }
                let text = format!("{path} {{ {} }}", items.join(", "));
                // Counted up to the `}`, not included.
                (text.len() <= STRUCT_MAX_WIDTH + 1).then_some(text)?
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

/// Appends `expr` to `out`, whose last line is indented by `indent` columns, when `tail`
/// columns follow it before a place where the line may break (`;` after a static's value: 1;
/// the tail expression of a block: 0); returns whether the layout is surely prettyplease's
/// (see the module's doc).
pub fn write(out: &mut String, expr: &Expr, indent: usize, tail: usize) -> bool {
    let mut sure = true;
    write_expr(out, expr, indent, tail, &mut sure);
    sure
}

/// `tail`: how many columns of closing brackets follow `expr` before the next place where
/// prettyplease may break the line; it counts them when it decides whether a list fits.
fn write_expr(out: &mut String, expr: &Expr, indent: usize, tail: usize, sure: &mut bool) {
    match expr {
        Expr::Atom(text) | Expr::Printed(text) => out.push_str(text),
        Expr::Code(text) => {
            if column(out) + text.len() + tail > room(indent) {
                *sure = false;
            }
            out.push_str(text);
        }
        Expr::Ref(inner) => {
            out.push('&');
            write_expr(out, inner, indent, tail, sure);
        }
        Expr::Try(inner) => {
            write_expr(out, inner, indent, tail + 1, sure);
            out.push('?');
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
            // A body that is not a call goes on the closure's line when it fits there; else
            // prettyplease wraps it in a block.
            if !matches!(**body, Expr::Call(..))
                && body
                    .flat(sure)
                    .is_none_or(|flat| column(out) + head.len() + flat.len() + tail > room(indent))
            {
                *sure = false;
            }
            out.push_str(head);
            write_expr(out, body, indent, tail, sure);
        }
        Expr::Struct(path, fields, rest) => {
            if let Some(flat) = expr.flat(sure)
                && column(out) + flat.len() + tail <= room(indent)
            {
                out.push_str(&flat);
                return;
            }
            out.push_str(path);
            out.push_str(" {\n");
            let count = fields.len() + usize::from(rest.is_some());
            for (i, (name, value)) in fields.iter().enumerate() {
                push_indent(out, indent + 4);
                out.push_str(name);
                if let Some(value) = value {
                    out.push_str(": ");
                    write_expr(out, value, indent + 4, comma(i, count), sure);
                }
                out.push_str(",\n");
            }
            if let Some(rest) = rest {
                push_indent(out, indent + 4);
                out.push_str("..");
                write_expr(out, rest, indent + 4, 0, sure);
                out.push('\n');
            }
            push_indent(out, indent);
            out.push('}');
        }
    }
}

/// The items of a delimited list, after its opening bracket: on the line when they and the
/// `tail` fit, else one a line.
fn write_list(out: &mut String, items: &[Expr], indent: usize, tail: usize, sure: &mut bool) {
    if let Some(flat) = list_flat(items, sure)
        && column(out) + flat.len() + tail <= room(indent)
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

/// The column where the next text of `out` goes.
fn column(out: &str) -> usize {
    out.len() - out.rfind('\n').map_or(0, |at| at + 1)
}

/// The columns a line indented by `indent` may fill.
fn room(indent: usize) -> usize {
    MARGIN.max(indent + MIN_SPACE)
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
        let sure = write(&mut ours, expr, 0, 1);
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
                    Expr::Try(Box::new(Expr::Call(
                        "crate::runtime::fill_path".into(),
                        vec![
                            Expr::str(&text),
                            Expr::reference(Expr::Array(vec![Expr::Code(
                                "&request.payment_id".into(),
                            )])),
                        ],
                    ))),
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
        assert_eq!(checked, 10 * 79 * 6 * 2);
    }

    /// Struct literals of every width around prettyplease's limit for one on a line: with
    /// values, shorthand fields and a rest, as a block's tail expression and in a list.
    #[test]
    fn narrow_struct_literals_stay_on_their_line_as_prettyplease_keeps_them() {
        for len in 1..40 {
            let name = "a".repeat(len);
            let shapes = [
                Expr::Struct(
                    "Self".into(),
                    vec![
                        (name.clone(), Some(Expr::Code(format!("{name}.into()")))),
                        ("b".into(), Some(Expr::Code("b.into()".into()))),
                    ],
                    None,
                ),
                Expr::Struct("Self".into(), vec![(name.clone(), None)], None),
                Expr::Struct(
                    "Self".into(),
                    vec![(name.clone(), Some(Expr::option(Some(Expr::atom("x")))))],
                    Some(Box::new(Expr::Code(
                        "::std::default::Default::default()".into(),
                    ))),
                ),
                Expr::Struct(
                    "Self".into(),
                    vec![(name.clone(), None)],
                    Some(Box::new(Expr::Code("D::d()".into()))),
                ),
            ];
            for shape in shapes {
                // The tail expression of a method's body.
                let mut ours = String::from("impl S {\n    fn f() -> Self {\n        ");
                let sure = write(&mut ours, &shape, 8, 0);
                ours.push_str("\n    }\n}\n");
                let file = syn::parse_file(&ours).expect("parses");
                if sure {
                    assert_eq!(ours, prettyplease::unparse(&file));
                } else {
                    // Code that does not fit on its line: prettyplease's to break.
                    assert!(ours.lines().any(|l| l.len() > 89), "{ours}");
                }
                // An item of a list.
                let list = Expr::structure(
                    "crate::runtime::sandbox::TheTable",
                    vec![(
                        "items",
                        Expr::reference(Expr::Array(vec![shape.clone(), shape])),
                    )],
                );
                let (theirs, ours, sure) = both(&list);
                if sure {
                    assert_eq!(ours, theirs);
                } else {
                    assert!(ours.lines().any(|l| l.len() > 89), "{ours}");
                }
            }
        }
    }

    /// The shapes whose layout is not this module's are said so.
    #[test]
    fn other_shapes_are_not_sure() {
        let empty = Expr::Struct("A".into(), Vec::new(), None);
        let numbers = Expr::Array(vec![Expr::atom("1"), Expr::atom("2")]);
        let one = Expr::Tuple(vec![Expr::atom("1")]);
        let closure = Expr::Closure("|v| ".into(), Box::new(Expr::atom("v".repeat(90))));
        for expr in [empty, numbers, one, closure] {
            let (_, _, sure) = both(&expr);
            assert!(!sure, "{expr:?}");
        }
    }
}
