//! The checks of an object's `validate_at`, as text in prettyplease's layout: each check a
//! statement whose call is laid out by [`layout`](super::layout), inside the block that reads
//! the field.
//!
//! [`statements`] says when it is not sure of a layout (a line it cannot break that is too
//! wide, a call prettyplease would break differently); the caller then prints the whole body
//! through prettyplease.

use super::layout::{self, Expr};
use super::rust::{ident, is_stringy, is_struct, is_textual};
use super::source;
use crate::ir::*;
use crate::spec::Location;

/// The statements of `validate_at`'s body before its `Ok(())`.
#[derive(Debug)]
pub struct Checks {
    /// The statements, eight columns deep; empty when there is nothing to check.
    pub text: String,
    /// Whether their layout is surely prettyplease's.
    pub sure: bool,
    /// Whether they name fields with the `prefix` parameter (the checks of fields do; the
    /// check of undescribed parameters does not).
    pub use_prefix: bool,
}

/// The checks of `s`; `has_extra`: it has a map of parameters the spec does not describe.
pub fn statements(api: &ApiIr, s: &StructIr, has_extra: bool) -> Checks {
    let mut out = Body {
        text: String::new(),
        sure: true,
    };
    if has_extra {
        let documented = s
            .fields
            .iter()
            .filter(|f| f.location == Location::Body)
            .map(|f| Expr::str(&f.wire_name))
            .collect();
        out.call(
            8,
            "crate::runtime::validate::check_extra",
            vec![
                Expr::atom("&self.extra"),
                Expr::reference(Expr::Array(documented)),
            ],
        );
    }
    let before_fields = out.text.len();
    for f in &s.fields {
        let fname = ident(&f.rust_name);
        if s.kind == StructKind::Data && f.required {
            out.call(
                8,
                "crate::runtime::validate::check_required",
                vec![
                    Expr::Code(format!("self.{fname}.is_some()")),
                    at(&f.wire_name),
                ],
            );
        }
        let mut checks = Body {
            text: String::new(),
            sure: true,
        };
        value_checks(&mut checks, api, &f.ty, &f.constraints, &f.wire_name);
        if checks.text.is_empty() {
            continue;
        }
        let optional = !(s.kind == StructKind::Request && f.required);
        let nullable = s.kind == StructKind::Request && f.nullable;
        let head = match (optional, nullable) {
            (false, false) => format!("{{\n            let v = &self.{fname};"),
            (false, true) => {
                format!("if let crate::runtime::Nullable::Value(v) = &self.{fname} {{")
            }
            (true, false) => format!("if let ::std::option::Option::Some(v) = &self.{fname} {{"),
            (true, true) => format!(
                "if let ::std::option::Option::Some(crate::runtime::Nullable::Value(v)) = &self.{fname} {{"
            ),
        };
        out.line(8, &head);
        out.text.push_str(&checks.text);
        out.sure &= checks.sure;
        out.line(8, "}");
    }
    Checks {
        use_prefix: out.text.len() > before_fields,
        text: out.text,
        sure: out.sure,
    }
}

/// Statements as text, and whether their layout is surely prettyplease's.
struct Body {
    text: String,
    sure: bool,
}

impl Body {
    /// A line of code at `indent` that prettyplease would break if it were too wide.
    fn line(&mut self, indent: usize, code: &str) {
        for _ in 0..indent {
            self.text.push(' ');
        }
        self.text.push_str(code);
        // A head wider than the margin would be broken (only its first line is measured: a
        // block's head may hold the next line).
        if indent + code.lines().next().map_or(0, str::len) > source::WIDTH {
            self.sure = false;
        }
        self.text.push('\n');
    }

    /// `function(args)?;` at `indent`.
    fn call(&mut self, indent: usize, function: &str, args: Vec<Expr>) {
        for _ in 0..indent {
            self.text.push(' ');
        }
        let call = Expr::Call(function.to_owned(), args);
        self.sure &= layout::write(&mut self.text, &call, indent, 2);
        self.text.push_str("?;\n");
    }

    /// `receiver.validate_at(&crate::runtime::validate::<nested>(prefix, "<wire>"<, item>))?;`
    /// at `indent`, for a receiver of four characters or fewer (which prettyplease never puts
    /// on a line of its own); `item` is the index or key of a list's or map's item.
    fn validate_at(
        &mut self,
        indent: usize,
        receiver: &str,
        nested: &str,
        wire: &str,
        item: Option<&str>,
    ) {
        debug_assert!(receiver.len() <= 4);
        let mut args = vec![Expr::atom("prefix"), Expr::str(wire)];
        args.extend(item.map(Expr::atom));
        let prefix = Expr::reference(Expr::Call(
            format!("crate::runtime::validate::{nested}"),
            args,
        ));
        self.call(indent, &format!("{receiver}.validate_at"), vec![prefix]);
    }
}

/// `crate::runtime::validate::At::field(prefix, "<wire>")`: where the value of a field sits,
/// for the error message (written only when a check fails). Not a closure: the checks are
/// then compiled once, in the runtime, instead of once per call site.
fn at(wire: &str) -> Expr {
    Expr::Call(
        "crate::runtime::validate::At::field".into(),
        vec![Expr::atom("prefix"), Expr::str(wire)],
    )
}

/// `At::item(prefix, "<wire>", i)` or `At::entry(prefix, "<wire>", key)`: an item of the list
/// or map in a field.
fn at_item(constructor: &str, wire: &str, item: &str) -> Expr {
    Expr::Call(
        format!("crate::runtime::validate::At::{constructor}"),
        vec![Expr::atom("prefix"), Expr::str(wire), Expr::atom(item)],
    )
}

/// The checks of the value `v` of a field, twelve columns deep.
fn value_checks(out: &mut Body, api: &ApiIr, ty: &TypeIr, c: &Constraints, wire: &str) {
    const AT: usize = 12;
    // The text the textual constraints check: a string itself, a date's text as sent.
    let text = if is_stringy(ty) { "v" } else { "v.as_str()" };
    let opt_u32 = |v: Option<u32>| Expr::option(v.map(|v| Expr::atom(format!("{v}u32"))));
    let opt_i128 = |v: Option<i64>| Expr::option(v.map(|v| Expr::atom(v.to_string())));
    if c.min_length.is_some() || c.max_length.is_some() {
        let len = if is_textual(ty) {
            format!("{text}.chars().count()")
        } else {
            "v.len()".to_owned()
        };
        out.call(
            AT,
            "crate::runtime::validate::check_length",
            vec![
                Expr::Code(len),
                opt_u32(c.min_length),
                opt_u32(c.max_length),
                at(wire),
            ],
        );
    }
    if c.ascii {
        out.call(
            AT,
            "crate::runtime::validate::check_ascii",
            vec![Expr::Code(text.to_owned()), at(wire)],
        );
    }
    if let Some(pattern) = &c.pattern {
        // The runtime anchors the pattern (the same function checked it in codegen), and a
        // pattern that does not compile fails the check instead of skipping it.
        let pattern = source::string(pattern);
        out.text.push_str(&format!(
            concat!(
                "            static PATTERN: ::std::sync::LazyLock<\n",
                "                ::std::result::Result<\n",
                "                    crate::runtime::validate::Pattern,\n",
                "                    crate::runtime::validate::PatternError,\n",
                "                >,\n",
                "            > = ::std::sync::LazyLock::new(|| crate::runtime::validate::compile_pattern(\n",
                "                {},\n",
                "            ));\n",
            ),
            pattern
        ));
        out.call(
            AT,
            "crate::runtime::validate::check_pattern",
            vec![
                Expr::Code(text.to_owned()),
                Expr::Code("PATTERN.as_ref()".into()),
                Expr::atom(pattern),
                at(wire),
            ],
        );
    }
    if c.min.is_some() || c.max.is_some() {
        out.call(
            AT,
            "crate::runtime::validate::check_range",
            vec![
                Expr::Code("i128::from(*v)".into()),
                opt_i128(c.min),
                opt_i128(c.max),
                at(wire),
            ],
        );
    }
    let kept_as_sent =
        |ty: &TypeIr| matches!(ty, TypeIr::Decimal | TypeIr::Date | TypeIr::DateTime);
    let is_object = |ty: &TypeIr| matches!(ty, TypeIr::Struct(n) if is_struct(api, n));
    let well_formed = "crate::runtime::validate::check_well_formed";
    match ty {
        ty if kept_as_sent(ty) => {
            out.call(AT, well_formed, vec![Expr::atom("v"), at(wire)]);
        }
        TypeIr::List(inner) if kept_as_sent(inner) => {
            out.line(AT, "for (i, item) in v.iter().enumerate() {");
            out.call(
                AT + 4,
                well_formed,
                vec![Expr::atom("item"), at_item("item", wire, "i")],
            );
            out.line(AT, "}");
        }
        TypeIr::Map(inner) if kept_as_sent(inner) => {
            out.line(AT, "for (key, item) in v {");
            out.call(
                AT + 4,
                well_formed,
                vec![Expr::atom("item"), at_item("entry", wire, "key")],
            );
            out.line(AT, "}");
        }
        ty if is_object(ty) => out.validate_at(AT, "v", "nested", wire, None),
        TypeIr::List(inner) if is_object(inner) => {
            out.line(AT, "for (i, item) in v.iter().enumerate() {");
            out.validate_at(AT + 4, "item", "nested_item", wire, Some("i"));
            out.line(AT, "}");
        }
        TypeIr::Map(inner) if is_object(inner) => {
            out.line(AT, "for (key, item) in v {");
            out.validate_at(AT + 4, "item", "nested_entry", wire, Some("key"));
            out.line(AT, "}");
        }
        TypeIr::Expandable(inner) if is_object(inner) => {
            out.line(
                AT,
                "if let ::std::option::Option::Some(object) = v.object() {",
            );
            // `object` is too long a receiver to stay on the line of a broken call: on one
            // line only (a wider one is not sure, and prettyplease prints it).
            let call = format!(
                "object.validate_at(&crate::runtime::validate::nested(prefix, {}))?;",
                source::string(wire)
            );
            out.line(AT + 4, &call);
            out.line(AT, "}");
        }
        _ => {}
    }
}
