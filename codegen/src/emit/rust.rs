//! IR -> the Rust modules of one API: `mod.rs`, `client.rs`, `requests.rs`, `types.rs`,
//! `enums.rs`.
//!
//! Generated code names std and dependency items by full path (`::std::option::Option`), so a
//! spec type called `Option` or `Result` cannot shadow them.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use super::layout::Expr;
use super::source::Link;
use super::text::{Lang, code, sanitize, sanitize_line};
use super::{Piece, RustFile, source};
use crate::ir::*;
use crate::spec::{
    DataValue, Encoding, FormArrays, FormBooleans, FormNulls, Location, Protocol, RetrySafety, Text,
};

/// An identifier token, raw when the name is `r#…`.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// One `#[doc]` attribute per line, so prettyplease prints `///` comments.
pub fn doc_lines<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> TokenStream {
    let attrs = lines.into_iter().map(|line| {
        let line = line.as_ref();
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// English prose as doc lines, sanitised; paragraphs kept.
pub(crate) fn prose(text: &Text) -> Vec<String> {
    text.en()
        .map(|t| sanitize(t.trim()).lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn provenance_lines(p: &Provenance) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(reason) = &p.unverified {
        let reason = Lang::En.pick(reason).map(sanitize_line).unwrap_or_default();
        lines.push(String::new());
        lines.push(format!("**Unverified:** {reason}"));
    }
    if let Some(source) = &p.source {
        lines.push(String::new());
        lines.push(format!(
            "Source: {}.",
            sanitize_line(source.trim_end_matches('.'))
        ));
    }
    lines
}

/// Where a named Rust type lives, as a path from a sibling module.
fn type_path(api: &ApiIr, name: &str) -> TokenStream {
    let id = ident(name);
    let def = api.def(name);
    if def == Some(Def::Request) {
        quote!(super::requests::#id)
    } else if def == Some(Def::Enum) {
        quote!(super::enums::#id)
    } else {
        quote!(super::types::#id)
    }
}

/// The Rust type of a value of `ty`, as tokens: [`rust_type_text`] read as code (one mapping
/// of types for both).
fn rust_type(api: &ApiIr, ty: &TypeIr) -> TokenStream {
    as_tokens(&rust_type_text(api, ty))
}

/// Generated code written as text, as tokens. Text this module writes from the IR's names
/// always reads; were one not to, the empty tokens make the item fail to parse, which the
/// file reports (`RustFile`) instead of a panic here.
fn as_tokens(text: &str) -> TokenStream {
    text.parse().unwrap_or_default()
}

/// The Rust type of a value of `ty`, appended to `out` as [`source::flat`] writes tokens:
/// the struct fields and setters are text, and building tokens only to flatten them again
/// cost an allocation or more per token.
fn write_rust_type(api: &ApiIr, ty: &TypeIr, out: &mut String) {
    let (open, inner) = match ty {
        TypeIr::String => return out.push_str("::std::string::String"),
        TypeIr::Date => return out.push_str("crate::runtime::Date"),
        TypeIr::DateTime => return out.push_str("crate::runtime::DateTime"),
        TypeIr::Integer => return out.push_str("i64"),
        TypeIr::Number => return out.push_str("f64"),
        TypeIr::Boolean => return out.push_str("bool"),
        TypeIr::Amount => return out.push_str("u64"),
        TypeIr::Decimal => return out.push_str("crate::runtime::Decimal"),
        TypeIr::Json => return out.push_str("::serde_json::Value"),
        TypeIr::Struct(name) | TypeIr::Enum(name) => {
            return out.push_str(&type_path_text(api, name));
        }
        TypeIr::List(inner) => ("::std::vec::Vec<", inner),
        TypeIr::Map(inner) => (
            "::std::collections::BTreeMap<::std::string::String, ",
            inner,
        ),
        TypeIr::Expandable(inner) => ("crate::runtime::Expandable<", inner),
    };
    out.push_str(open);
    write_rust_type(api, inner, out);
    out.push('>');
}

/// The Rust type of a value of `ty`, as text.
fn rust_type_text(api: &ApiIr, ty: &TypeIr) -> String {
    let mut out = String::with_capacity(48);
    write_rust_type(api, ty, &mut out);
    out
}

/// The Rust type of the field's value, as text: its type, boxed when the IR says so.
fn stored_type_text(api: &ApiIr, field: &FieldIr) -> String {
    let mut out = String::with_capacity(64);
    if field.boxed {
        out.push_str("::std::boxed::Box<");
    }
    write_rust_type(api, &field.ty, &mut out);
    if field.boxed {
        out.push('>');
    }
    out
}

/// [`field_type`] as text.
fn field_type_text(api: &ApiIr, kind: StructKind, field: &FieldIr) -> String {
    let (open, close) = match (kind, field.required, field.nullable) {
        _ if data_int(kind, field).is_some() => {
            let scalar = |ty: &TypeIr| wire_scalar_text(ty).map_or("", |(ty, _)| ty);
            return match &field.ty {
                TypeIr::List(inner) => {
                    format!("::std::option::Option<::std::vec::Vec<{}>>", scalar(inner))
                }
                TypeIr::Map(inner) => format!(
                    "::std::option::Option<::std::collections::BTreeMap<::std::string::String, {}>>",
                    scalar(inner)
                ),
                ty => format!("::std::option::Option<{}>", scalar(ty)),
            };
        }
        (StructKind::Request, true, false) => ("", ""),
        (StructKind::Request, true, true) => ("crate::runtime::Nullable<", ">"),
        (StructKind::Request, false, true) => {
            ("::std::option::Option<crate::runtime::Nullable<", ">>")
        }
        _ => ("::std::option::Option<", ">"),
    };
    let stored = stored_type_text(api, field);
    let mut out = String::with_capacity(open.len() + stored.len() + close.len());
    out.push_str(open);
    out.push_str(&stored);
    out.push_str(close);
    out
}

/// [`store_in`] of the expression `value`, as text.
fn store_in_value_text(kind: StructKind, field: &FieldIr) -> String {
    if data_int(kind, field).is_none() {
        return if field.boxed {
            "::std::boxed::Box::new(value)".to_owned()
        } else {
            "value".to_owned()
        };
    }
    let make = |ty: &TypeIr| wire_scalar_text(ty).map_or("", |(_, make)| make);
    match &field.ty {
        TypeIr::List(inner) => format!("value.into_iter().map({}).collect()", make(inner)),
        TypeIr::Map(inner) => format!(
            "value.into_iter().map(|(k, v)| (k, {}(v))).collect()",
            make(inner)
        ),
        ty => format!("{}(value)", make(ty)),
    }
}

/// How a type reads in docs.
pub fn describe_type(ty: &TypeIr) -> String {
    match ty {
        TypeIr::String => "string".into(),
        TypeIr::Integer => "integer".into(),
        TypeIr::Number => "number".into(),
        TypeIr::Boolean => "boolean".into(),
        TypeIr::Amount => "amount (integer, minor units)".into(),
        TypeIr::Decimal => "decimal (exact number as text, e.g. `10.00`)".into(),
        TypeIr::Date => "date (`YYYY-MM-DD`)".into(),
        TypeIr::DateTime => "date-time (RFC 3339, with its offset)".into(),
        TypeIr::Json => "JSON".into(),
        TypeIr::List(inner) => format!("list of {}", describe_type(inner)),
        TypeIr::Map(inner) => format!("map of string to {}", describe_type(inner)),
        TypeIr::Struct(name) | TypeIr::Enum(name) => format!("[`{name}`](super::{name})"),
        TypeIr::Expandable(inner) => format!("{} or its id (expandable)", describe_type(inner)),
    }
}

fn constraint_text(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    match (c.min, c.max) {
        (Some(min), Some(max)) => out.push(format!("between {min} and {max}")),
        (Some(min), None) => out.push(format!("at least {min}")),
        (None, Some(max)) => out.push(format!("at most {max}")),
        (None, None) => {}
    }
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) if min == max => out.push(format!("length exactly {min}")),
        (Some(min), Some(max)) => out.push(format!("length {min} to {max}")),
        (Some(min), None) => out.push(format!("length at least {min}")),
        (None, Some(max)) => out.push(format!("length at most {max}")),
        (None, None) => {}
    }
    if c.ascii {
        out.push("ASCII only".into());
    }
    if let Some(p) = &c.pattern {
        out.push(format!("matches {}", code(p)));
    }
    out
}

fn field_doc(field: &FieldIr) -> Vec<String> {
    let mut lines = field.doc.as_ref().map(prose).unwrap_or_default();
    if lines.is_empty() {
        let object = match &field.ty {
            TypeIr::Struct(name) => Some(name.as_str()),
            other => list_struct(other),
        };
        lines.push(match object {
            Some(name) => format!(
                "The `{}` object; see [`{name}`](super::{name}).",
                field.wire_name
            ),
            None => format!("`{}`.", field.wire_name),
        });
    }
    lines.push(String::new());
    let mut facts = vec![
        match field.location {
            Location::Header => format!("Wire: header `{}`", field.dotted_path),
            _ => format!("Wire: `{}`", field.dotted_path),
        },
        describe_type(&field.ty),
    ];
    if field.required {
        facts.push("required".into());
    } else if field.recommended {
        facts.push("recommended".into());
    }
    if field.nullable {
        facts.push("nullable".into());
    }
    facts.extend(constraint_text(&field.constraints));
    if field.sensitive {
        facts.push("sensitive: redacted from `Debug`".into());
    }
    lines.push(format!("{}.", facts.join("; ")));
    lines.extend(provenance_lines(&field.provenance));
    lines
}

fn list_struct(ty: &TypeIr) -> Option<&str> {
    match ty {
        TypeIr::List(inner) => match inner.as_ref() {
            TypeIr::Struct(name) => Some(name),
            _ => None,
        },
        _ => None,
    }
}

/// [`stored_type_text`] as tokens.
fn stored_type(api: &ApiIr, field: &FieldIr) -> TokenStream {
    as_tokens(&stored_type_text(api, field))
}

/// `value` (an expression of the field's type) as stored: boxed when the IR says so.
fn store(field: &FieldIr, value: TokenStream) -> TokenStream {
    if field.boxed {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    }
}

/// The type of an answer scalar that keeps the form it was sent in: `runtime::lenient::Int`
/// for integers and amounts, `runtime::lenient::Num` for numbers; with the function building
/// one from the plain value.
fn wire_scalar(ty: &TypeIr) -> Option<(TokenStream, TokenStream)> {
    wire_scalar_text(ty).map(|(ty, make)| (as_tokens(ty), as_tokens(make)))
}

/// [`wire_scalar`] as text.
fn wire_scalar_text(ty: &TypeIr) -> Option<(&'static str, &'static str)> {
    match ty {
        TypeIr::Integer => Some(("crate::runtime::Int<i64>", "crate::runtime::Int::new")),
        TypeIr::Amount => Some(("crate::runtime::Int<u64>", "crate::runtime::Int::new")),
        TypeIr::Number => Some(("crate::runtime::Num", "crate::runtime::Num::new")),
        _ => None,
    }
}

/// The type of an answer field that keeps the form it was sent in: the integers, amounts
/// and numbers of `Data` structs, alone or as the items of a list or a map.
fn data_int(kind: StructKind, field: &FieldIr) -> Option<TokenStream> {
    if kind != StructKind::Data {
        return None;
    }
    match &field.ty {
        TypeIr::List(inner) => wire_scalar(inner).map(|(t, _)| quote!(::std::vec::Vec<#t>)),
        TypeIr::Map(inner) => wire_scalar(inner)
            .map(|(t, _)| quote!(::std::collections::BTreeMap<::std::string::String, #t>)),
        ty => wire_scalar(ty).map(|(t, _)| t),
    }
}

/// `value` (an expression of the field's Rust type) as stored: an `Int` or a `Num` for the
/// integers and numbers of `Data` structs (each item of a list or a map), boxed when the IR
/// says so.
fn store_in(kind: StructKind, field: &FieldIr, value: TokenStream) -> TokenStream {
    if data_int(kind, field).is_none() {
        return store(field, value);
    }
    match &field.ty {
        TypeIr::List(inner) => {
            let (_, make) = wire_scalar(inner).unwrap_or_default();
            quote!(#value.into_iter().map(#make).collect())
        }
        TypeIr::Map(inner) => {
            let (_, make) = wire_scalar(inner).unwrap_or_default();
            quote!(#value.into_iter().map(|(k, v)| (k, #make(v))).collect())
        }
        ty => {
            let (_, make) = wire_scalar(ty).unwrap_or_default();
            quote!(#make(#value))
        }
    }
}

/// clippy's `type_complexity` score of `ty` as [`rust_type`] prints it, `nest` levels deep in
/// generic arguments: 10 per path times its nesting. clippy warns above 250.
fn complexity(ty: &TypeIr, nest: u32) -> u32 {
    match ty {
        TypeIr::List(inner) => 10 * nest + complexity(inner, nest + 1),
        TypeIr::Map(inner) => 10 * nest + 10 * (nest + 1) + complexity(inner, nest + 1),
        _ => 10 * nest,
    }
}

/// `#[allow(clippy::type_complexity)]` when a type this complex comes near clippy's limit
/// (only deeply nested `list<…>`/`map<…>` do).
fn allow_complex(score: u32) -> Option<TokenStream> {
    (score > 200).then(|| quote!(#[allow(clippy::type_complexity)]))
}

/// The complexity of the field's type as stored, with its `Option`/`Nullable` wrappers.
fn field_complexity(kind: StructKind, field: &FieldIr) -> u32 {
    let wrappers = match (kind, field.required, field.nullable) {
        (StructKind::Request, true, false) => 0,
        (StructKind::Request, true, true) => 1,
        (StructKind::Request, false, true) => 2,
        _ => 1,
    } + u32::from(field.boxed);
    (1..=wrappers).map(|n| 10 * n).sum::<u32>() + complexity(&field.ty, wrappers + 1)
}

/// Text taken as `impl Into<String>` and stored as a `String`.
pub(super) fn is_stringy(ty: &TypeIr) -> bool {
    matches!(ty, TypeIr::String)
}

/// Text the constraints of `check` (length, ASCII, pattern) apply to: a string, or the text of
/// a date kept as sent.
pub(super) fn is_textual(ty: &TypeIr) -> bool {
    matches!(ty, TypeIr::String | TypeIr::Date | TypeIr::DateTime)
}

/// The `PartialEq` of the objects, requests and one-of enums: with the feature `test-util`
/// only. Tests compare whole objects; applications read fields (enumerations, which they
/// compare, always have it). An impl per struct is about a twentieth of the produced crate's
/// rebuild, which the users who do not test with it would pay for nothing.
const TEST_EQ: &str = "#[cfg_attr(feature = \"test-util\", derive(PartialEq))]\n";

/// Emits `requests.rs` or `types.rs`.
pub fn structs_file(out: &mut RustFile, api: &ApiIr, structs: &[StructIr], doc: &str) {
    let doc_line = format!(" {doc}");
    out.push(quote! {
        #![doc = #doc_line]
    });
    for s in structs {
        struct_item(out, api, s);
    }
}

/// One struct of `requests.rs` or `types.rs`: its definition, its `Debug` when a field is
/// sensitive, an answer's decoding, and its constructor, setters and `validate`. The regular
/// parts (fields, setters, decoding) are written as text (see [`source`]).
fn struct_item(out: &mut RustFile, api: &ApiIr, s: &StructIr) {
    let name = ident(&s.rust_name);
    let mut doc = s.doc.as_ref().map(prose).unwrap_or_default();
    if doc.is_empty() {
        doc.push(match (s.kind, s.path.is_empty()) {
            (StructKind::Request, true) => {
                let op = api.operation_of(&s.rust_name);
                let method = op.map(|o| o.method_name.as_str()).unwrap_or_default();
                format!(
                    "The request of `{}`, sent by [`Client::{method}`](super::Client::{method}).",
                    s.root
                )
            }
            (_, false) => format!("The object `{}` of `{}`.", s.path, s.root),
            (StructKind::Data, true) => format!("The `{}` object.", s.root),
        });
    }
    if let Some(tag) = api.tags.get(&s.rust_name).filter(|_| s.path.is_empty()) {
        doc.push(String::new());
        doc.push(format!(
            "The API tags it {}.",
            code(&format!("{}: \"{}\"", tag.field, tag.value))
        ));
    }
    let answer_only = s.kind == StructKind::Data && !api.index.sent.contains(&s.rust_name);
    if s.kind == StructKind::Data {
        doc.push(String::new());
        doc.push("Every field is optional, so answers with more or fewer fields still decode; the fields the spec does not describe are kept in [`extra`](Self::extra), so encoding a decoded answer again gives back every field the server sent.".into());
    }
    if answer_only {
        doc.push(String::new());
        doc.push("Only received, never sent: its constructor and setters come with the feature `test-util`, for tests that make up answers; elsewhere, build one as `Default::default()` and set its public fields.".into());
    }
    doc.extend(provenance_lines(&s.provenance));
    if let Some(op) = api
        .operation_of(&s.rust_name)
        .filter(|_| s.kind == StructKind::Request && s.path.is_empty())
    {
        doc.push(String::new());
        doc.extend(request_example(api, op));
    }
    let sensitive = s.fields.iter().any(|f| f.sensitive);
    let defaultable = s.kind == StructKind::Data || s.fields.iter().all(|f| !f.required);
    // An answer's `Deserialize` is the runtime's `decode_object` (see `decode_text`); every
    // struct's `Serialize` is written out (see `serialize_text`): no serde derive.
    let derives = match (sensitive, s.kind == StructKind::Request && !defaultable) {
        (false, false) => "Debug, Clone, Default",
        (true, false) => "Clone, Default",
        (false, true) => "Debug, Clone",
        (true, true) => "Clone",
    };
    let op_with_body = api
        .operation_of(&s.rust_name)
        .filter(|o| s.path.is_empty() && o.has_body);
    let keyed_op = api
        .operation_of(&s.rust_name)
        .filter(|o| s.path.is_empty() && o.retry == RetrySafety::Keyed);
    let complex = s
        .fields
        .iter()
        .map(|f| field_complexity(s.kind, f))
        .max()
        .is_some_and(|score| allow_complex(score).is_some());
    let complex = if complex {
        "#[allow(clippy::type_complexity)]\n"
    } else {
        ""
    };

    let mut text = String::with_capacity(1024 + 512 * s.fields.len());
    source::doc(&mut text, "", &doc);
    text.push_str(&format!("#[derive({derives})]\n"));
    if s.kind == StructKind::Request {
        // The sandbox (feature `test-util`) decodes requests into these types, with serde's
        // derive: the field attributes are for it alone.
        text.push_str(
            "#[cfg_attr(feature = \"test-util\", derive(PartialEq, ::serde::Deserialize))]\n",
        );
    } else {
        text.push_str(TEST_EQ);
    }
    text.push_str("#[non_exhaustive]\n");
    text.push_str(complex);
    let extra = op_with_body.is_some() || s.kind == StructKind::Data;
    if s.fields.is_empty() && !extra && keyed_op.is_none() {
        text.push_str(&format!("pub struct {name} {{}}\n"));
    } else {
        text.push_str(&format!("pub struct {name} {{\n"));
        for f in &s.fields {
            let field = field_text(api, s, f);
            if source::fits(&field, 0) {
                text.push_str(&field);
            } else {
                match super::reprint_within("struct S {", &field) {
                    Ok(field) => text.push_str(&field),
                    Err(e) => return out.fail_with(format!("{}: {e}", s.rust_name)),
                }
            }
        }
        if op_with_body.is_some() {
            text.push_str(concat!(
                "    /// Parameters the spec does not describe, sent as they are at the top level of the\n",
                "    /// JSON body: an escape hatch for inputs the vendor adds before the spec knows them.\n",
                "    /// They are not validated, except that they may not reuse a documented name.\n",
                "    #[cfg_attr(feature = \"test-util\", serde(flatten))]\n",
                "    pub extra: ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,\n",
            ));
        } else if s.kind == StructKind::Data {
            text.push_str(concat!(
                "    /// The fields of this object that the spec does not describe, as the server sent them\n",
                "    /// (`_type` among them when no field declares it): encoding the object again gives\n",
                "    /// them back. Empty in an object built with the setters; when the object is sent, its\n",
                "    /// entries are sent as they are, beside the documented fields.\n",
                "    pub extra: ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,\n",
            ));
        }
        if keyed_op.is_some() {
            text.push_str(concat!(
                "    /// The idempotency key of this call (see [`idempotency_key`](Self::idempotency_key));\n",
                "    /// `None`: the client generates one per call. Sent in a header, not in the body.\n",
                "    #[cfg_attr(feature = \"test-util\", serde(skip))]\n",
                "    pub idempotency_key: ::std::option::Option<::std::string::String>,\n",
            ));
        }
        text.push_str("}\n");
    }
    out.push_text(&text);
    out.push_text(&serialize_text(s, extra));

    if sensitive {
        out.push_text(&debug_impl(s));
    }
    if s.kind == StructKind::Data {
        out.push_text(&decode_text(s));
    }

    let mut pieces: Vec<Piece> = vec![constructor(
        api,
        s,
        defaultable,
        op_with_body.is_some(),
        keyed_op.is_some(),
    )];
    pieces.extend(
        s.fields
            .iter()
            .filter(|f| !(s.kind == StructKind::Request && f.required))
            .map(|f| Piece::Text(setter_text(api, s.kind, f))),
    );
    // An object only ever received is read, not built, except by tests that make up answers:
    // its constructor and setters come with the feature `test-util` (without them, it is
    // built as the default value and its public fields). They are the largest part of an
    // answer type's code, and of the produced crate's rebuild.
    if answer_only {
        let attrs = format!("{complex}#[cfg(feature = \"test-util\")]\n");
        out.impl_block_with(&attrs, quote!(#name), pieces);
        return;
    }
    if op_with_body.is_some() {
        let mut setter = String::new();
        source::doc(
            &mut setter,
            "    ",
            ["Adds a parameter the spec does not describe (see [`extra`](Self::extra))."],
        );
        source::signature(
            &mut setter,
            "    ",
            "pub fn extra_param",
            &[
                "mut self",
                "name: impl ::std::convert::Into<::std::string::String>",
                "value: impl ::std::convert::Into<::serde_json::Value>",
            ],
            " -> Self",
        );
        setter.push_str(
            "        self.extra.insert(name.into(), value.into());\n        self\n    }\n",
        );
        pieces.push(Piece::Text(setter));
    }
    if keyed_op.is_some() {
        pieces.push(key_setter(api));
    }
    if let Some(op) = api.operation_of(&s.rust_name).filter(|_| s.path.is_empty()) {
        pieces.extend(op.presets.iter().map(|p| preset_method(api, s, p).into()));
    }
    // A type only ever received has no `validate`: nothing is sent that it would check.
    if s.kind == StructKind::Request || api.index.sent.contains(&s.rust_name) {
        match validate_fn(api, s, op_with_body.is_some()) {
            Ok(validate) => pieces.push(validate),
            Err(e) => return out.fail_with(format!("{}: {e}", s.rust_name)),
        }
    }
    out.impl_block_with(complex, quote!(#name), pieces);
}

/// A field of a struct as text, at the struct's indentation: its doc, its serde attributes
/// and its declaration.
fn field_text(api: &ApiIr, s: &StructIr, f: &FieldIr) -> String {
    let mut text = String::with_capacity(512);
    source::doc(&mut text, "    ", field_doc(f));
    // Only a request's `Deserialize` (the sandbox's, feature `test-util`) is derived: it reads a
    // body field under its wire name; a path, query or header parameter under its field name.
    let renamed = naming_unraw(&f.rust_name) != f.wire_name;
    if s.kind == StructKind::Request && !sent_outside_body(s, f) && renamed {
        text.push_str("    #[cfg_attr(feature = \"test-util\", serde(rename = ");
        text.push_str(&source::string(&f.wire_name));
        text.push_str("))]\n");
    }
    let ty = field_type_text(api, s.kind, f);
    source::field(
        &mut text,
        "    ",
        &format!("pub {}", ident(&f.rust_name)),
        &ty,
    );
    text
}

/// Whether a field of a request struct is a path, query or header parameter, which the body
/// leaves out.
fn sent_outside_body(s: &StructIr, f: &FieldIr) -> bool {
    s.kind == StructKind::Request && s.path.is_empty() && f.location != Location::Body
}

/// `impl ::serde_core::Serialize for {name} {` and the signature of `serialize`, as text: the
/// body and the two closing braces are the caller's.
fn serialize_head(name: &str) -> String {
    let mut text = String::new();
    source::impl_head(&mut text, "impl ::serde_core::Serialize", name);
    source::signature(
        &mut text,
        "    ",
        "fn serialize<S: ::serde_core::Serializer>",
        &["&self", "serializer: S"],
        " -> ::std::result::Result<S::Ok, S::Error>",
    );
    text
}

/// `Serialize` of a struct: a map through the runtime's `Entries`, as serde's derive would
/// write it (the fields in order, an optional one left out when `None`, then `extra`), but
/// without the derive macro in the users' builds. A request leaves out its path, query and
/// header parameters and its idempotency key.
fn serialize_text(s: &StructIr, extra: bool) -> String {
    let mut text = serialize_head(&s.rust_name);
    let fields: Vec<&FieldIr> = s
        .fields
        .iter()
        .filter(|f| !sent_outside_body(s, f))
        .collect();
    if fields.is_empty() && !extra {
        text.push_str("        crate::runtime::Entries::new(serializer)?.end()\n    }\n}\n");
        return text;
    }
    text.push_str("        let mut map = crate::runtime::Entries::new(serializer)?;\n");
    for f in fields {
        let method = if s.kind == StructKind::Request && f.required {
            "map.field"
        } else {
            "map.optional"
        };
        let key = source::string(&f.wire_name);
        let value = format!("&self.{}", ident(&f.rust_name));
        source::call_lines(&mut text, "        ", "", method, &[&key, &value], ";");
    }
    if extra {
        text.push_str("        map.extra(&self.extra);\n");
    }
    text.push_str("        map.end()\n    }\n}\n");
    text
}

/// The chained setter of an optional field, as text at the impl block's indentation.
fn setter_text(api: &ApiIr, kind: StructKind, f: &FieldIr) -> String {
    let fname = ident(&f.rust_name);
    let (param, value) = if kind == StructKind::Request && f.nullable {
        let ty = stored_type_text(api, f);
        (
            format!("value: impl ::std::convert::Into<crate::runtime::Nullable<{ty}>>"),
            "value.into()".to_owned(),
        )
    } else if is_stringy(&f.ty) {
        (
            "value: impl ::std::convert::Into<::std::string::String>".to_owned(),
            "value.into()".to_owned(),
        )
    } else {
        (
            format!("value: {}", rust_type_text(api, &f.ty)),
            store_in_value_text(kind, f),
        )
    };
    let mut text = String::with_capacity(256);
    source::doc(&mut text, "    ", [format!("Sets `{}`.", f.dotted_path)]);
    source::signature(
        &mut text,
        "    ",
        &format!("pub fn {fname}"),
        &["mut self", &param],
        " -> Self",
    );
    source::call_line(
        &mut text,
        "        ",
        &format!("self.{fname} = "),
        "::std::option::Option::Some",
        &value,
        ";",
    );
    text.push_str("        self\n    }\n");
    text
}

/// `Debug` of a struct with a sensitive field: those fields redacted.
fn debug_impl(s: &StructIr) -> String {
    let mut calls: Vec<Link> = s
        .fields
        .iter()
        .map(|f| {
            let fname = ident(&f.rust_name);
            let label = source::string(naming_unraw(&f.rust_name));
            let optional = !(s.kind == StructKind::Request && f.required);
            let value = match (f.sensitive, optional) {
                (false, _) => format!("&self.{fname}"),
                (true, true) => format!("&self.{fname}.is_some().then_some(\"<redacted>\")"),
                (true, false) => "&\"<redacted>\"".to_owned(),
            };
            Link::Call("field", vec![label, value])
        })
        .collect();
    // The fields the spec does not describe may be as secret as the ones it marks:
    // their names only.
    if s.kind == StructKind::Data {
        calls.push(Link::Call(
            "field",
            vec![
                "\"extra\"".to_owned(),
                "&self.extra.keys().collect::<::std::vec::Vec<_>>()".to_owned(),
            ],
        ));
    }
    calls.push(Link::Plain(".finish()".to_owned()));
    let mut text = format!(
        "impl ::std::fmt::Debug for {} {{\n    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{\n",
        s.rust_name
    );
    let head = format!("f.debug_struct({})", source::string(&s.rust_name));
    source::method_chain(&mut text, "        ", &head, &calls);
    text.push_str("    }\n}\n");
    text
}

/// The constructor `new`: from the required fields, or empty; as text (its body laid out by
/// [`layout`](super::layout)).
fn constructor(api: &ApiIr, s: &StructIr, defaultable: bool, extra: bool, keyed: bool) -> Piece {
    let required: Vec<&FieldIr> = s.fields.iter().filter(|f| f.required).collect();
    let (summary, params, fields, rest) = match s.kind {
        StructKind::Request if !defaultable => {
            let params = required
                .iter()
                .map(|f| {
                    let fname = ident(&f.rust_name);
                    let ty = rust_type(api, &f.ty);
                    source::flat(&match (f.nullable, is_stringy(&f.ty)) {
                        (true, _) => {
                            let ty = stored_type(api, f);
                            quote!(#fname: impl ::std::convert::Into<crate::runtime::Nullable<#ty>>)
                        }
                        (false, true) => {
                            quote!(#fname: impl ::std::convert::Into<::std::string::String>)
                        }
                        (false, false) => quote!(#fname: #ty),
                    })
                })
                .collect();
            let mut fields: Vec<(String, Option<Expr>)> = s
                .fields
                .iter()
                .map(|f| {
                    let fname = ident(&f.rust_name).to_string();
                    let value = match (f.required, f.nullable || is_stringy(&f.ty)) {
                        (true, true) => Some(Expr::Code(format!("{fname}.into()"))),
                        (true, false) if f.boxed => {
                            Some(Expr::Code(source::flat(&store(f, quote!(#fname)))))
                        }
                        (true, false) => None,
                        (false, _) => Some(Expr::option(None)),
                    };
                    (fname, value)
                })
                .collect();
            if extra {
                let map = Expr::Code("::std::collections::BTreeMap::new()".into());
                fields.push(("extra".into(), Some(map)));
            }
            if keyed {
                fields.push(("idempotency_key".into(), Some(Expr::option(None))));
            }
            let summary = "Creates the object from its required fields; set the others with the chained setters.";
            (summary, params, fields, None)
        }
        StructKind::Data if !required.is_empty() => {
            // Required when the object is sent: constructor arguments, stored like the other
            // fields (`Option`, so that answers without them still decode), and checked again
            // by `validate` for objects built otherwise (`Default`, a decoded answer).
            let params = required
                .iter()
                .map(|f| {
                    let fname = ident(&f.rust_name);
                    source::flat(&if is_stringy(&f.ty) {
                        quote!(#fname: impl ::std::convert::Into<::std::string::String>)
                    } else {
                        let ty = rust_type(api, &f.ty);
                        quote!(#fname: #ty)
                    })
                })
                .collect();
            let fields = required
                .iter()
                .map(|f| {
                    let fname = ident(&f.rust_name);
                    let value = if is_stringy(&f.ty) {
                        quote!(#fname.into())
                    } else {
                        store_in(s.kind, f, quote!(#fname))
                    };
                    let value = Expr::option(Some(Expr::Code(source::flat(&value))));
                    (fname.to_string(), Some(value))
                })
                .collect();
            // Always: `extra` is not a constructor argument.
            let rest = Expr::Code("::std::default::Default::default()".into());
            let summary = "Creates the object from the fields it requires whenever it is sent; set the others with the chained setters.";
            (summary, params, fields, Some(Box::new(rest)))
        }
        _ => {
            return Piece::Text(
                concat!(
                    "    /// Creates the object with every field absent; fill it with the chained setters.\n",
                    "    pub fn new() -> Self {\n",
                    "        Self::default()\n",
                    "    }\n",
                )
                .to_owned(),
            );
        }
    };
    let params: Vec<String> = params;
    let mut doc = vec![summary.to_owned(), String::new()];
    for f in &required {
        doc.push(format!(
            "- `{}`: the wire field `{}`.",
            naming_unraw(&f.rust_name),
            f.dotted_path
        ));
    }
    let mut text = String::new();
    source::doc(&mut text, "    ", &doc);
    if required.len() > 7 {
        text.push_str("    #[allow(clippy::too_many_arguments)]\n");
    }
    let params: Vec<&str> = params.iter().map(String::as_str).collect();
    source::signature(&mut text, "    ", "pub fn new", &params, " -> Self");
    text.push_str("        ");
    let body = Expr::Struct("Self".into(), fields, rest);
    let sure = super::layout::write(&mut text, &body, 8, 0);
    text.push_str("\n    }");
    if !sure {
        text.push_str(source::DOUBT);
    }
    text.push('\n');
    Piece::Text(text)
}

/// The setter of a call's idempotency key.
fn key_setter(api: &ApiIr) -> Piece {
    let header = api
        .idempotency
        .as_ref()
        .map_or("Idempotency-Key", |i| i.header.as_str());
    let limit = api
        .idempotency
        .as_ref()
        .and_then(|i| i.max_length)
        .map(|n| format!(", at most {n} characters long"))
        .unwrap_or_default();
    let doc = [
        format!("Sets the idempotency key sent in the {} header on every attempt of this call.", code(header)),
        String::new(),
        "Calls made with the same key are done by the server at most once: give the key of a call whose outcome was unknown (`Error::idempotency_key`) to finish it without doing the work twice. When no key is set, the client generates one (a UUID v4) per call.".to_owned(),
        String::new(),
        format!("The key must be non-empty and made of visible ASCII characters{limit}; otherwise the call fails with `Error::InvalidRequest` before anything is sent."),
    ];
    let mut text = String::new();
    source::doc(&mut text, "    ", &doc);
    source::signature(
        &mut text,
        "    ",
        "pub fn idempotency_key",
        &[
            "mut self",
            "key: impl ::std::convert::Into<::std::string::String>",
        ],
        " -> Self",
    );
    text.push_str(concat!(
        "        self.idempotency_key = ::std::option::Option::Some(key.into());\n",
        "        self\n",
        "    }\n",
    ));
    Piece::Text(text)
}

/// `impl Deserialize for name` as text, its `deserialize` returning `body` (an expression of
/// `deserializer`).
fn deserialize_impl(name: &str, body: &str) -> String {
    let mut text = deserialize_head(name);
    text.push_str(&format!("        {body}\n    }}\n}}\n"));
    text
}

/// `impl<'de> ::serde_core::Deserialize<'de> for {name} {` and the signature of
/// `deserialize`, as text: the body and the two closing braces are the caller's.
fn deserialize_head(name: &str) -> String {
    let mut text = String::new();
    source::impl_head(&mut text, "impl<'de> ::serde_core::Deserialize<'de>", name);
    source::signature(
        &mut text,
        "    ",
        "fn deserialize<D: ::serde_core::Deserializer<'de>>",
        &["deserializer: D"],
        " -> ::std::result::Result<Self, D::Error>",
    );
    text
}

/// The `Deserialize` of an answer struct, as text: the runtime's `decode_object`, which reads
/// each key through the `match` on wire names of `DecodeObject::decode_field` (one call of
/// `read_field` an arm, with the position of the field, for the check that none is given
/// twice) and keeps every other key in `extra` (`keep_extra`, the last arm).
fn decode_text(s: &StructIr) -> String {
    const READ_FIELD: &str = "crate::runtime::read_field";
    const KEEP_EXTRA: &str = "crate::runtime::keep_extra(map, &mut self.extra, key)";
    let name = &s.rust_name;
    let mut text = deserialize_impl(name, "crate::runtime::decode_object(deserializer)");
    source::impl_head(&mut text, "impl crate::runtime::DecodeObject", name);
    text.push_str(&format!(
        "    const NAME: &'static str = {};\n",
        source::string(name)
    ));
    source::signature(
        &mut text,
        "    ",
        "fn decode_field<'de, A: ::serde_core::de::MapAccess<'de>>",
        &["&mut self", "key: &str", "map: &mut A"],
        " -> ::std::result::Result<::std::option::Option<usize>, A::Error>",
    );
    if s.fields.is_empty() {
        text.push_str(&format!("        {KEEP_EXTRA}\n"));
    } else {
        text.push_str("        match key {\n");
        for (position, f) in s.fields.iter().enumerate() {
            let pattern = source::string(&f.wire_name);
            let field = format!("&mut self.{}", ident(&f.rust_name));
            let position = position.to_string();
            let arguments = ["map", field.as_str(), position.as_str()];
            let body = format!("{READ_FIELD}({})", arguments.join(", "));
            source::arm_with(&mut text, "            ", &pattern, &body, |out, indent| {
                source::call_lines(out, indent, "", READ_FIELD, &arguments, "");
            });
        }
        text.push_str(&format!("            _ => {KEEP_EXTRA},\n"));
        text.push_str("        }\n");
    }
    text.push_str("    }\n}\n");
    text
}

fn preset_method(api: &ApiIr, s: &StructIr, preset: &PresetIr) -> TokenStream {
    let method = ident(&preset.method_name);
    let mut lines = prose(&preset.doc);
    lines.push(String::new());
    for (field, _, value) in &preset.set {
        let wire = s
            .fields
            .iter()
            .find(|f| &f.rust_name == field)
            .map_or(field.as_str(), |f| f.wire_name.as_str());
        lines.push(format!(
            "Sets `{wire}` to {} (lists are appended to).",
            code(&value.to_string())
        ));
    }
    lines.extend(provenance_lines(&preset.provenance));
    let doc = doc_lines(lines);
    let assignments = preset.set.iter().filter_map(|(field, ty, value)| {
        let f = s.fields.iter().find(|f| &f.rust_name == field)?;
        let fname = ident(field);
        let optional = !f.required;
        Some(match (ty, optional, f.nullable) {
            (TypeIr::List(inner), true, false) => {
                let items = value.as_array().map(|items| items.iter().map(|v| value_tokens(api, inner, v)).collect::<Vec<_>>()).unwrap_or_default();
                quote!(self.#fname.get_or_insert_with(::std::vec::Vec::new).extend([#(#items),*]);)
            }
            (TypeIr::List(inner), false, false) => {
                let items = value.as_array().map(|items| items.iter().map(|v| value_tokens(api, inner, v)).collect::<Vec<_>>()).unwrap_or_default();
                quote!(self.#fname.extend([#(#items),*]);)
            }
            (_, true, false) => {
                let v = store(f, value_tokens(api, ty, value));
                quote!(self.#fname = ::std::option::Option::Some(#v);)
            }
            (_, true, true) => {
                let v = store(f, value_tokens(api, ty, value));
                quote!(self.#fname = ::std::option::Option::Some(crate::runtime::Nullable::Value(#v));)
            }
            (_, false, true) => {
                let v = store(f, value_tokens(api, ty, value));
                quote!(self.#fname = crate::runtime::Nullable::Value(#v);)
            }
            (_, false, false) => {
                let v = store(f, value_tokens(api, ty, value));
                quote!(self.#fname = #v;)
            }
        })
    });
    quote! {
        #doc
        pub fn #method(mut self) -> Self {
            #(#assignments)*
            self
        }
    }
}

/// A Rust expression of type `ty` for a JSON value `lower` checked against it.
fn value_tokens(api: &ApiIr, ty: &TypeIr, value: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    match (ty, value) {
        (TypeIr::String, Value::String(text)) => {
            quote!(::std::string::String::from(#text))
        }
        // Checked by `check` with the rule `Date::new` and `DateTime::new` apply.
        (TypeIr::Date, Value::String(text)) => quote!(crate::runtime::Date::from_spec(#text)),
        (TypeIr::DateTime, Value::String(text)) => {
            quote!(crate::runtime::DateTime::from_spec(#text))
        }
        (TypeIr::Integer, Value::Number(n)) => {
            let lit = Literal::i64_suffixed(n.as_i64().unwrap_or_default());
            quote!(#lit)
        }
        (TypeIr::Amount, Value::Number(n)) => {
            let lit = Literal::u64_suffixed(n.as_u64().unwrap_or_default());
            quote!(#lit)
        }
        (TypeIr::Number, Value::Number(n)) => {
            let lit = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
            quote!(#lit)
        }
        // `check` held the text to the runtime's rule; were it malformed all the same,
        // `validate()` would refuse it before sending.
        (TypeIr::Decimal, Value::String(text)) => {
            quote!(crate::runtime::Decimal::from_spec(#text))
        }
        (TypeIr::Boolean, Value::Bool(b)) => quote!(#b),
        (TypeIr::List(inner), Value::Array(items)) => {
            let items = items.iter().map(|v| value_tokens(api, inner, v));
            quote!(::std::vec![#(#items),*])
        }
        (TypeIr::Map(inner), Value::Object(entries)) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = value_tokens(api, inner, v);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(::std::collections::BTreeMap::from([#(#entries),*]))
        }
        (TypeIr::Enum(name), Value::String(wire)) => {
            let path = type_path(api, name);
            let variant = api
                .enum_ir(name)
                .and_then(|e| {
                    e.values
                        .iter()
                        .find(|v| v.wire.as_deref() == Some(wire.as_str()))
                })
                .map(|v| ident(&v.rust_name));
            match variant {
                Some(variant) => quote!(#path::#variant),
                None => quote!(#path::from(::std::string::String::from(#wire))),
            }
        }
        // A one-of: the alternative its tag names (`check` made sure there is one), converted.
        (TypeIr::Struct(name), Value::Object(_)) if api.def(name) == Some(Def::OneOf) => {
            let path = type_path(api, name);
            match one_of_variant(api, name, value) {
                Some(variant) => {
                    let inner = value_tokens(api, &TypeIr::Struct(variant), value);
                    quote!(#path::from(#inner))
                }
                None => {
                    let json = json_tokens(value);
                    quote!(#path::Other(::serde_json::json!(#json)))
                }
            }
        }
        (TypeIr::Struct(name), Value::Object(entries)) => {
            let path = type_path(api, name);
            let (kind, fields) = api
                .struct_ir(name)
                .map(|s| (s.kind, s.fields.as_slice()))
                .unwrap_or((StructKind::Data, &[]));
            let args =
                fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| match value.get(&f.wire_name) {
                        Some(v) => value_tokens(api, &f.ty, v),
                        None if is_stringy(&f.ty) => quote!(::std::string::String::new()),
                        None if is_textual(&f.ty) => {
                            let ty = rust_type(api, &f.ty);
                            quote!(#ty::from_spec(""))
                        }
                        None => quote!(::std::default::Default::default()),
                    });
            let sets: Vec<TokenStream> = entries
                .iter()
                .filter_map(|(key, v)| {
                    let f = fields.iter().find(|f| &f.wire_name == key && !f.required)?;
                    let fname = ident(&f.rust_name);
                    let v = store_in(kind, f, value_tokens(api, &f.ty, v));
                    Some(quote!(value.#fname = ::std::option::Option::Some(#v);))
                })
                .collect();
            if sets.is_empty() {
                return quote!(#path::new(#(#args),*));
            }
            quote!({
                let mut value = #path::new(#(#args),*);
                #(#sets)*
                value
            })
        }
        (TypeIr::Expandable(_), Value::String(id)) => {
            quote!(crate::runtime::Expandable::Id(::std::string::String::from(#id)))
        }
        (TypeIr::Expandable(inner), Value::Object(_)) => {
            let object = value_tokens(api, inner, value);
            quote!(crate::runtime::Expandable::Object(::std::boxed::Box::new(#object)))
        }
        (_, value) => {
            let json = json_tokens(value);
            quote!(::serde_json::json!(#json))
        }
    }
}

/// The variant (a Rust type name) of the one-of `name` that `value`'s tag names.
fn one_of_variant(api: &ApiIr, name: &str, value: &serde_json::Value) -> Option<String> {
    let o = api.one_of_ir(name)?;
    let tag = value.get(&o.discriminator)?.as_str()?;
    o.variants
        .iter()
        .find(|(_, t)| t == tag)
        .map(|(v, _)| v.clone())
}

/// `serde_json::json!` input for a JSON value.
fn json_tokens(value: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    match value {
        Value::Null => quote!(null),
        Value::Bool(b) => quote!(#b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => {
                let lit = Literal::i64_unsuffixed(i);
                quote!(#lit)
            }
            (None, Some(u), _) => {
                let lit = Literal::u64_unsuffixed(u);
                quote!(#lit)
            }
            (_, _, f) => {
                let lit = Literal::f64_unsuffixed(f.unwrap_or_default());
                quote!(#lit)
            }
        },
        Value::String(text) => quote!(#text),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = json_tokens(v);
                quote!(#k: #v)
            });
            quote!({ #(#entries),* })
        }
    }
}

fn naming_unraw(name: &str) -> &str {
    crate::naming::unraw(name)
}

/// `pub type` aliases of group types (see [`AliasIr`]), appended to `requests.rs`, as text.
pub fn aliases(api: &ApiIr) -> String {
    let mut out = String::new();
    for a in &api.aliases {
        source::doc(
            &mut out,
            "",
            [format!(
                "The name this object had before its block became the parameter group `{}`: another name of [`{}`], kept so that code written before the group compiles.",
                a.group, a.target
            )],
        );
        source::push_all(&mut out, &["pub type ", &a.name, " = ", &a.target, ";\n"]);
    }
    out
}

/// Whether `name` has `validate_at`: a struct, or a one-of (which validates its variant).
pub(super) fn is_struct(api: &ApiIr, name: &str) -> bool {
    matches!(api.def(name), Some(Def::Request | Def::Data | Def::OneOf))
}

/// `validate` and `validate_at`, as text at the impl block's indentation (the checks written
/// by [`validation`](super::validation)).
fn validate_fn(api: &ApiIr, s: &StructIr, has_extra: bool) -> Result<Piece, String> {
    let checks = super::validation::statements(api, s, has_extra);
    let mut text = String::from(concat!(
        "    /// Checks every constraint of the spec on this object and the objects inside it,\n",
        "    /// before anything is sent.\n",
        "    pub fn validate(&self) -> ::std::result::Result<(), crate::runtime::InvalidRequest> {\n",
        "        self.validate_at(\"\")\n",
        "    }\n",
        "    /// Like [`validate`](Self::validate), naming fields with `prefix` before their wire\n",
        "    /// path (`\"cardDuplicate.\"`).\n",
    ));
    // Only the checks of fields name them with the prefix.
    let prefix = if !checks.use_prefix {
        "_prefix: &str"
    } else {
        "prefix: &str"
    };
    source::signature(
        &mut text,
        "    ",
        "pub fn validate_at",
        &["&self", prefix],
        " -> ::std::result::Result<(), crate::runtime::InvalidRequest>",
    );
    if checks.text.is_empty() {
        text.push_str("        ::std::result::Result::Ok(())\n    }\n");
        return Ok(Piece::Text(text));
    }
    // The head is checked apart; checks whose layout is not sure are printed by prettyplease.
    let head_fits = source::fits(&text, 0);
    if checks.sure {
        text.push_str(&checks.text);
    } else {
        let tokens: TokenStream = checks
            .text
            .parse()
            .map_err(|e| format!("generated checks do not parse: {e}"))?;
        text.push_str(&super::reprint_statements(tokens)?);
    }
    text.push_str("        ::std::result::Result::Ok(())\n    }\n");
    Ok(if head_fits {
        Piece::Printed(text)
    } else {
        Piece::Text(text)
    })
}

/// Emits `enums.rs`.
pub fn enums_file(out: &mut RustFile, api: &ApiIr) {
    out.push(quote! {
        #![doc = " The enumerations of the API, with their wire values and meanings."]
    });
    for e in &api.enums {
        enum_item(
            out,
            e,
            api.error_codes.as_deref() == Some(e.rust_name.as_str()),
        );
    }
    if !api.enums.is_empty() {
        out.push(for_each_enum(api));
    }
}

/// One enumeration, written as text (see [`source`]): its definition, conversions, data
/// accessors and `Deserialize` (the runtime's `decode_enum`); its money conversions as tokens.
/// `codes`: whether it is the API's `error_codes` enum.
fn enum_item(out: &mut RustFile, e: &EnumIr, codes: bool) {
    let name = ident(&e.rust_name);
    let mut doc = e.doc.as_ref().map(prose).unwrap_or_default();
    if doc.is_empty() {
        doc.push(format!("The `{}` enumeration.", e.spec_name));
    }
    doc.push(String::new());
    if e.open {
        doc.push("Open: the API may add values; an unknown value decodes into [`Unknown`](Self::Unknown) and is sent back unchanged.".into());
    } else {
        doc.push("Closed: a value not listed here is a decoding error.".into());
    }
    doc.extend(provenance_lines(&e.provenance));

    // The definition.
    let mut text = String::with_capacity(1024);
    source::doc(&mut text, "", &doc);
    text.push_str("#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n#[non_exhaustive]\n");
    if e.values.is_empty() && !e.open {
        text.push_str(&format!("pub enum {name} {{}}\n"));
    } else {
        text.push_str(&format!("pub enum {name} {{\n"));
        for v in &e.values {
            let mut lines = v.doc.as_ref().map(prose).unwrap_or_default();
            if lines.is_empty() {
                lines.push("No description in the sources.".into());
            }
            lines.push(String::new());
            lines.push(match &v.wire {
                Some(w) => format!("Wire value: {}.", code(w)),
                None => "Wire value: JSON `null`.".into(),
            });
            lines.extend(provenance_lines(&v.provenance));
            source::doc(&mut text, "    ", &lines);
            text.push_str(&format!("    {},\n", ident(&v.rust_name)));
        }
        if e.open {
            text.push_str(
                "    /// A value this version of the SDK does not know; it keeps the wire text.\n",
            );
            text.push_str("    Unknown(::std::string::String),\n");
        }
        text.push_str("}\n");
    }
    out.push_text(&text);

    // `ALL`, `as_str`, `from_wire`.
    let has_null = e.has_null();
    let optional_str = has_null || e.values.is_empty();
    let mut text = String::with_capacity(1024 + 128 * e.values.len());
    text.push_str("    /// Every value listed in the spec, in its order.\n");
    let all: Vec<String> = e
        .values
        .iter()
        .map(|v| format!("Self::{}", ident(&v.rust_name)))
        .collect();
    source::array(
        &mut text,
        "    ",
        &format!("pub const ALL: &'static [{name}] = "),
        &all,
        ";",
    );
    let mut arms: Vec<(String, String)> = e
        .values
        .iter()
        .map(|v| {
            let pattern = format!("Self::{}", ident(&v.rust_name));
            let body = match (&v.wire, optional_str) {
                (Some(w), true) => {
                    format!("::std::option::Option::Some({})", source::string(w))
                }
                (None, _) => "::std::option::Option::None".to_owned(),
                (Some(w), false) => source::string(w),
            };
            (pattern, body)
        })
        .collect();
    if e.open {
        arms.push((
            "Self::Unknown(value)".to_owned(),
            if optional_str {
                "::std::option::Option::Some(value.as_str())".to_owned()
            } else {
                "value.as_str()".to_owned()
            },
        ));
    }
    if has_null {
        text.push_str("    ///The wire value; `None` for the JSON null value.\n");
    } else {
        text.push_str("    ///The wire value.\n");
    }
    let ret = if optional_str {
        "::std::option::Option<&str>"
    } else {
        "&str"
    };
    text.push_str(&format!("    pub fn as_str(&self) -> {ret} {{\n"));
    source::match_lines(&mut text, "        ", "self", &arms);
    text.push_str("    }\n");
    if e.open {
        text.push_str("    ///The value with this wire text: a listed value, or the unknown value keeping it (always `Some`; see `parse_known` for an error instead).\n");
    } else {
        text.push_str("    ///The value with this wire text, if any.\n");
    }
    text.push_str("    pub fn from_wire(value: &str) -> ::std::option::Option<Self> {\n");
    text.push_str("        ::std::option::Option::Some(\n");
    let mut arms: Vec<(String, String)> = e
        .values
        .iter()
        .filter_map(|v| {
            let w = v.wire.as_ref()?;
            Some((source::string(w), format!("Self::{}", ident(&v.rust_name))))
        })
        .collect();
    arms.push(if e.open {
        (
            "other".to_owned(),
            "Self::Unknown(other.to_owned())".to_owned(),
        )
    } else {
        (
            "_".to_owned(),
            "return ::std::option::Option::None".to_owned(),
        )
    });
    source::match_lines(&mut text, "            ", "value", &arms);
    // The `match` as the call's one argument, broken over lines: a trailing comma.
    text.pop();
    text.push_str(",\n        )\n    }\n");
    let mut pieces: Vec<Piece> = vec![Piece::Text(text)];
    if e.open {
        pieces.push(Piece::Text(
            concat!(
                "    /// Whether this is a value the SDK does not know (kept in [`Unknown`](Self::Unknown)).\n",
                "    pub fn is_unknown(&self) -> bool {\n",
                "        ::std::matches!(self, Self::Unknown(_))\n",
                "    }\n",
                "    /// Whether this is one of the values listed in the spec (see [`ALL`](Self::ALL)).\n",
                "    pub fn is_known(&self) -> bool {\n",
                "        !self.is_unknown()\n",
                "    }\n",
            )
            .to_owned(),
        ));
    }
    pieces.extend(enum_accessors(e).map(Piece::Text));
    if let Some(money) = enum_money(e) {
        pieces.push(Piece::Tokens(money));
    }
    out.impl_block(quote!(#name), pieces);

    let display = if optional_str {
        "f.write_str(self.as_str().unwrap_or(\"null\"))"
    } else {
        "f.write_str(self.as_str())"
    };
    out.push_text(&format!(
        "impl ::std::fmt::Display for {name} {{\n    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{\n        {display}\n    }}\n}}\n"
    ));
    enum_text_conversions(out, e, codes);
    let mut text = serialize_head(&name.to_string());
    if optional_str {
        text.push_str(concat!(
            "        match self.as_str() {\n",
            "            ::std::option::Option::Some(value) => serializer.serialize_str(value),\n",
            "            ::std::option::Option::None => serializer.serialize_none(),\n",
            "        }\n",
        ));
    } else {
        text.push_str("        serializer.serialize_str(self.as_str())\n");
    }
    text.push_str("    }\n}\n");
    out.push_text(&text);

    // The body is the runtime's `decode_enum`: a string through `from_wire`, `null` as the value
    // whose wire form is JSON `null`.
    let text = deserialize_impl(
        &name.to_string(),
        "crate::runtime::decode_enum(deserializer, Self::from_wire)",
    );
    out.push_text(&text);
}

/// The accessors of an enum's data columns, one a column.
fn enum_accessors(e: &EnumIr) -> impl Iterator<Item = String> + '_ {
    e.columns.iter().enumerate().map(|(i, c)| {
        let ty = match c.ty {
            ColumnType::Integer => "i64",
            ColumnType::String => "&'static str",
            ColumnType::Boolean => "bool",
        };
        let mut doc = c.doc.as_ref().map(prose).unwrap_or_default();
        if doc.is_empty() {
            doc.push(format!("The `{}` of this value.", c.key));
        }
        if !c.total {
            doc.push(String::new());
            doc.push(
                "`None` for values the spec gives no datum for, and for unknown values.".into(),
            );
        }
        let mut arms: Vec<(String, String)> = e
            .values
            .iter()
            .map(|v| {
                let pattern = format!("Self::{}", ident(&v.rust_name));
                let datum = v.data.get(i).cloned().flatten().map(|d| match d {
                    DataValue::Integer(n) => Literal::i64_suffixed(n).to_string(),
                    DataValue::String(s) => source::string(&s),
                    DataValue::Boolean(b) => b.to_string(),
                });
                let body = match (c.total, datum) {
                    (true, Some(d)) => d,
                    (false, Some(d)) => format!("::std::option::Option::Some({d})"),
                    (_, None) => "::std::option::Option::None".to_owned(),
                };
                (pattern, body)
            })
            .collect();
        if e.open {
            arms.push((
                "Self::Unknown(_)".to_owned(),
                "::std::option::Option::None".to_owned(),
            ));
        }
        let ret = if c.total {
            ty.to_owned()
        } else {
            format!("::std::option::Option<{ty}>")
        };
        let mut text = String::new();
        source::doc(&mut text, "    ", &doc);
        source::signature(
            &mut text,
            "    ",
            &format!("pub fn {}", ident(&c.rust_name)),
            &["&self"],
            &format!(" -> {ret}"),
        );
        source::match_lines(&mut text, "        ", "self", &arms);
        text.push_str("    }\n");
        text
    })
}

/// The money conversions of a currency enum (its column of minor-unit digits).
fn enum_money(e: &EnumIr) -> Option<TokenStream> {
    e.minor_units.and_then(|i| e.columns.get(i)).map(|c| {
        let cname = ident(&c.rust_name);
        let digits = if c.total {
            quote!(::std::result::Result::<i64, crate::runtime::MoneyError>::Ok(self.#cname()))
        } else {
            quote!(self.#cname().ok_or(crate::runtime::MoneyError::UnknownDigits))
        };
        quote! {
            /// Converts a decimal amount (`"300.50"`) into this currency's minor units, exactly:
            /// too many fraction digits are refused, never rounded.
            pub fn parse_amount(&self, decimal: &str) -> ::std::result::Result<u64, crate::runtime::MoneyError> {
                let digits = crate::runtime::money::minor_digits(#digits?)?;
                crate::runtime::money::parse_decimal(decimal, digits)
            }
            /// Formats an amount in minor units as decimal text with this currency's digits
            /// (`30050` is `"300.50"` in EUR and `"30050"` in XPF).
            pub fn format_amount(&self, minor: u64) -> ::std::result::Result<::std::string::String, crate::runtime::MoneyError> {
                let digits = crate::runtime::money::minor_digits(#digits?)?;
                crate::runtime::money::format_decimal(minor, digits)
            }
            /// Converts a [`Decimal`](crate::runtime::Decimal) (`"-300.50"`) into this
            /// currency's minor units (`-30050` in EUR), exactly: too many fraction digits are
            /// refused, never rounded, and so is a malformed decimal an answer carried.
            pub fn decimal_to_minor(&self, decimal: &crate::runtime::Decimal) -> ::std::result::Result<i64, crate::runtime::MoneyError> {
                let digits = crate::runtime::money::minor_digits(#digits?)?;
                decimal.to_minor(digits)
            }
            /// The [`Decimal`](crate::runtime::Decimal) of an amount in minor units, with this
            /// currency's digits (`-30050` is `"-300.50"` in EUR and `"-30050"` in XPF).
            pub fn minor_to_decimal(&self, minor: i64) -> ::std::result::Result<crate::runtime::Decimal, crate::runtime::MoneyError> {
                let digits = crate::runtime::money::minor_digits(#digits?)?;
                crate::runtime::Decimal::from_minor(minor, digits)
            }
        }
        })
}

/// The text conversions of an enum, in agreement with its `Display` and serde forms:
/// `parse_known` and `TryFrom<&str>` (an `UnknownVariant` error for a text that is not a
/// listed value), `FromStr` (that error for a closed enum; infallible for an open one, which
/// keeps an unknown text) and `from_wire_lossy` for an open enum, the runtime's `OpenEnum`
/// for the API's error codes (`codes`: the one enum the runtime reads lossily; the others
/// leave it out, an impl less each in the users' builds), and the runtime's `WireEnum`. A
/// value whose wire form is JSON `null` reads and shows as `null` (unless a listed wire text
/// is `null`). Written as text (see [`source`]).
fn enum_text_conversions(out: &mut RustFile, e: &EnumIr, codes: bool) {
    let name = &e.rust_name;
    let name_lit = source::string(name);
    let listed: Vec<&str> = e.values.iter().filter_map(|v| v.wire.as_deref()).collect();
    // One `match` on the wire texts per enum, `from_wire`'s: this one reads its result.
    let some = if e.open {
        "::std::option::Option::Some(value) if value.is_known()"
    } else {
        "::std::option::Option::Some(value)"
    };
    let mut arms: Vec<(String, String)> = vec![(
        some.to_owned(),
        "::std::result::Result::Ok(value)".to_owned(),
    )];
    let null = e
        .values
        .iter()
        .find(|v| v.wire.is_none())
        .filter(|_| !listed.contains(&"null"));
    if let Some(v) = null {
        arms.push((
            "_ if text == \"null\"".to_owned(),
            format!("::std::result::Result::Ok(Self::{})", ident(&v.rust_name)),
        ));
    }
    let null_doc = null
        .map(|_| " The value whose wire form is JSON `null` reads from `null`, the text `Display` shows for it.")
        .unwrap_or_default();
    let mut text = format!(
        "    ///The listed value with this text, exactly as on the wire (case included); an [`UnknownVariant`](crate::runtime::UnknownVariant) naming `{name}` and the text for any other.{null_doc}\n"
    );
    source::signature(
        &mut text,
        "    ",
        "pub fn parse_known",
        &["text: &str"],
        " -> ::std::result::Result<Self, crate::runtime::UnknownVariant>",
    );
    text.push_str("        match Self::from_wire(text) {\n");
    for (pattern, body) in &arms {
        source::arm(&mut text, "            ", pattern, body);
    }
    text.push_str("            _ => {\n");
    text.push_str("                ::std::result::Result::Err(crate::runtime::UnknownVariant {\n");
    text.push_str(&format!("                    enum_name: {name_lit},\n"));
    text.push_str("                    value: text.to_owned(),\n");
    let expected: Vec<String> = listed.iter().map(|w| source::string(w)).collect();
    source::array(
        &mut text,
        "                    ",
        "expected: ",
        &expected,
        ",",
    );
    text.push_str("                })\n            }\n        }\n    }\n");
    let mut pieces = vec![Piece::Text(text)];
    if e.open {
        let mut lossy = String::from(concat!(
            "    /// The value with this text, keeping an unknown text in\n",
            "    /// [`Unknown`](Self::Unknown): the explicit name of what `FromStr` does for this\n",
            "    /// open enum. A typo becomes an unknown value: use\n",
            "    /// [`parse_known`](Self::parse_known) for a text a person typed.\n",
        ));
        source::signature(
            &mut lossy,
            "    ",
            "pub fn from_wire_lossy",
            &["text: impl ::std::convert::Into<::std::string::String>"],
            " -> Self",
        );
        lossy.push_str("        let text = text.into();\n");
        // `parse_known`, which reads `null` as the null value, as `Display` shows it.
        lossy.push_str("        match Self::parse_known(&text) {\n");
        source::arm(
            &mut lossy,
            "            ",
            "::std::result::Result::Ok(value)",
            "value",
        );
        source::arm(
            &mut lossy,
            "            ",
            "::std::result::Result::Err(_)",
            "Self::Unknown(text)",
        );
        lossy.push_str("        }\n    }\n");
        pieces.push(Piece::Text(lossy));
    }
    let name_ident = ident(name);
    out.impl_block(quote!(#name_ident), pieces);

    let mut text = String::new();
    if e.open {
        text.push_str(concat!(
            "/// The value with this text: a listed value, or [`Unknown`](Self::Unknown) keeping\n",
            "/// any other text (never an error; see [`parse_known`](Self::parse_known) for one).\n",
        ));
        text.push_str(&format!("impl ::std::str::FromStr for {name} {{\n"));
        text.push_str("    type Err = ::std::convert::Infallible;\n");
        source::signature(
            &mut text,
            "    ",
            "fn from_str",
            &["text: &str"],
            " -> ::std::result::Result<Self, ::std::convert::Infallible>",
        );
        text.push_str("        ::std::result::Result::Ok(Self::from_wire_lossy(text))\n    }\n}\n");
        if codes {
            text.push_str(&format!("impl crate::runtime::OpenEnum for {name} {{\n"));
            text.push_str("    fn from_wire_lossy(text: ::std::string::String) -> Self {\n");
            text.push_str("        Self::from_wire_lossy(text)\n    }\n}\n");
        }
    } else {
        text.push_str(concat!(
            "/// The listed value with this text; an\n",
            "/// [`UnknownVariant`](crate::runtime::UnknownVariant) for any other.\n",
        ));
        text.push_str(&format!("impl ::std::str::FromStr for {name} {{\n"));
        text.push_str("    type Err = crate::runtime::UnknownVariant;\n");
        source::signature(
            &mut text,
            "    ",
            "fn from_str",
            &["text: &str"],
            " -> ::std::result::Result<Self, crate::runtime::UnknownVariant>",
        );
        text.push_str("        Self::parse_known(text)\n    }\n}\n");
    }
    text.push_str(&format!(
        "impl ::std::convert::TryFrom<&str> for {name} {{\n"
    ));
    text.push_str("    type Error = crate::runtime::UnknownVariant;\n");
    // The error type by name: an enum may have a variant named `Error`.
    source::signature(
        &mut text,
        "    ",
        "fn try_from",
        &["text: &str"],
        " -> ::std::result::Result<Self, crate::runtime::UnknownVariant>",
    );
    text.push_str("        Self::parse_known(text)\n    }\n}\n");
    text.push_str(&format!("impl crate::runtime::WireEnum for {name} {{\n"));
    text.push_str(&format!("    const NAME: &'static str = {name_lit};\n"));
    text.push_str(&format!("    const OPEN: bool = {};\n", e.open));
    text.push_str("    fn known() -> &'static [Self] {\n        Self::ALL\n    }\n");
    text.push_str("    fn wire(&self) -> ::std::option::Option<&str> {\n");
    if e.has_null() || e.values.is_empty() {
        text.push_str("        self.as_str()\n    }\n");
    } else {
        text.push_str("        ::std::option::Option::Some(self.as_str())\n    }\n");
    }
    source::signature(
        &mut text,
        "    ",
        "fn parse_known",
        &["text: &str"],
        " -> ::std::result::Result<Self, crate::runtime::UnknownVariant>",
    );
    text.push_str("        Self::parse_known(text)\n    }\n}\n");
    out.push_text(&text);
}

/// The hidden `for_each_enum` of an API's `enums.rs`: calls the visitor once per enum, so a
/// test checks every enum of every API without a list written by hand.
fn for_each_enum(api: &ApiIr) -> TokenStream {
    let visits = api.enums.iter().map(|e| {
        let name = ident(&e.rust_name);
        quote!(visitor.visit::<#name>();)
    });
    quote! {
        /// Calls `visitor` once with each enumeration of this API (for tests over all of them).
        #[doc(hidden)]
        pub fn for_each_enum<V: crate::runtime::EnumVisitor>(visitor: &mut V) {
            #(#visits)*
        }
    }
}

/// Emits `client.rs`: the environments, the client and one method per operation.
pub fn client_file(out: &mut RustFile, api: &ApiIr) {
    // A templated environment is a `Client` constructor taking its variables, so that
    // `Environment` stays `Copy` with `&'static str` URLs.
    let fixed: Vec<&EnvironmentIr> = api
        .environments
        .iter()
        .filter(|e| !e.is_templated())
        .collect();
    let env_constructors = api.environments.iter().filter_map(environment_constructor);
    let env_variants = fixed.iter().map(|e| {
        let vname = ident(&e.rust_name);
        let mut lines = e.doc.as_ref().map(prose).unwrap_or_default();
        if lines.is_empty() {
            lines.push(format!("The `{}` environment.", e.key));
        }
        lines.push(String::new());
        lines.push(format!("Base URL: <{}>.", e.url));
        lines.extend(provenance_lines(&e.provenance));
        let doc = doc_lines(lines);
        quote!(#doc #vname,)
    });
    let env_all = fixed.iter().map(|e| {
        let vname = ident(&e.rust_name);
        quote!(Self::#vname)
    });
    let env_urls = fixed.iter().map(|e| {
        let vname = ident(&e.rust_name);
        let url = &e.url;
        quote!(Self::#vname => #url,)
    });
    let env_keys = fixed.iter().map(|e| {
        let vname = ident(&e.rust_name);
        let key = &e.key;
        quote!(Self::#vname => #key,)
    });
    let (protocol, framing_static) = framing_tokens(&api.framing);
    let methods = api.operations.iter().map(|op| operation_method(api, op));
    let answers = api.operations.iter().filter_map(|op| match &op.response {
        ResponseIr::OneOf {
            name,
            discriminator,
            variants,
        } => Some(one_of_answer(api, op, name, discriminator, variants)),
        _ => None,
    });
    let pagers = api
        .operations
        .iter()
        .filter_map(|op| op.pagination.as_ref().map(|p| pager(api, op, p)));
    let pager_methods = api.operations.iter().filter_map(|op| {
        let p = op.pagination.as_ref()?;
        let method = ident(&p.method_name);
        let pager = ident(&p.pager);
        let request = ident(&op.request);
        let (how, build) = match &p.style {
            PagingStyleIr::Offset { .. } => (
                "Each page moves the offset on by the number of items received. The walk ends on an empty page, a page shorter than the page size, a page identical to the previous one (a server ignoring the offset), or the first error.".to_owned(),
                quote! {
                    #pager { client: self, request, done: false, previous: crate::runtime::page::PreviousPage::new(), pages: 0, max_pages: crate::runtime::page::MAX_PAGES }
                },
            ),
            PagingStyleIr::Page { page, page_wire, last, .. } => {
                let field = ident(&page.0);
                let first = (!page.1).then(|| quote!(request.#field.get_or_insert(1);));
                let last = match last {
                    LastPage::Empty => String::new(),
                    LastPage::TotalPages(_, path) => format!(", the last page the answer counts at {}", code(path)),
                    LastPage::HasMore(_, path) => format!(", an answer whose {} is not `true`", code(path)),
                };
                (
                    format!("Each page asks for the next page number in {} (starting from the request's, or 1). The walk ends on an empty page, a page identical to the previous one (a server ignoring the page number){last}, or the first error.", code(page_wire)),
                    quote! {
                        let mut request = request;
                        #first
                        #pager { client: self, request, done: false, previous: crate::runtime::page::PreviousPage::new(), pages: 0, max_pages: crate::runtime::page::MAX_PAGES }
                    },
                )
            }
            PagingStyleIr::LastItem { cursor, cursor_wire, id_path, has_more_path, .. } => {
                let first = first_cursor(cursor);
                (
                    format!("Each page asks for the next one with the {} of its last item, sent as {}. The walk ends on an empty page, an answer whose {} is not `true`, or the first error; a last item without an id, or an id already sent, is an error (`Error::Decode`), never a loop.", code(id_path), code(cursor_wire), code(has_more_path)),
                    quote! {
                        let mut cursors = crate::runtime::page::Cursors::new();
                        #first
                        #pager { client: self, request, done: false, cursors, repeated: ::std::option::Option::None, pages: 0, max_pages: crate::runtime::page::MAX_PAGES }
                    },
                )
            }
            PagingStyleIr::Cursor { cursor, cursor_wire, next_path, link, .. } => {
                let first = first_cursor(cursor);
                let given = if *link { "the link the answer gives at {}, whose query parameter {} it sends" } else { "the cursor the answer gives at {}, sent as {}" }
                    .replacen("{}", &code(next_path), 1)
                    .replacen("{}", &code(cursor_wire), 1);
                (
                    format!("Each page asks for the next one with {given}. The walk ends on an empty page, an answer without a next cursor, or the first error; an answer repeating a cursor already sent is an error (`Error::Decode`), never a loop."),
                    quote! {
                        let mut cursors = crate::runtime::page::Cursors::new();
                        #first
                        #pager { client: self, request, done: false, cursors, repeated: ::std::option::Option::None, pages: 0, max_pages: crate::runtime::page::MAX_PAGES }
                    },
                )
            }
        };
        let doc = doc_lines([
            format!("Walks every page of [`{}`](Self::{}), starting where `request` says.", op.id, naming_unraw(&op.method_name)),
            String::new(),
            how,
        ]);
        Some(quote! {
            #doc
            pub fn #method(&self, request: super::requests::#request) -> #pager<'_> {
                #build
            }
        })
    });
    let env_enum = if fixed.is_empty() {
        quote! {
            /// The API lists no environments: use [`Client::with_config`] with a base URL.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum Environment {}
            impl Environment {
                /// Every environment of the spec.
                pub const ALL: &'static [Environment] = &[];
                /// The base URL.
                pub fn base_url(self) -> &'static str { match self {} }
                /// The environment's name in the spec.
                pub fn name(self) -> &'static str { match self {} }
            }
        }
    } else {
        quote! {
            /// The base URLs the API is served from.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum Environment {
                #(#env_variants)*
            }
            impl Environment {
                /// Every environment of the spec, in its order.
                pub const ALL: &'static [Environment] = &[#(#env_all),*];
                /// The base URL; operation paths are appended to it.
                pub fn base_url(self) -> &'static str {
                    match self { #(#env_urls)* }
                }
                /// The environment's name in the spec.
                pub fn name(self) -> &'static str {
                    match self { #(#env_keys)* }
                }
            }
        }
    };
    let sensitive: std::collections::BTreeSet<&str> = api
        .request_structs
        .iter()
        .chain(&api.types)
        .flat_map(|s| &s.fields)
        .filter(|f| f.sensitive)
        .map(|f| f.wire_name.as_str())
        .collect();
    let sensitive = sensitive.into_iter();
    let retry_codes = api.retry_codes.iter();
    let header_names = api.headers.iter().map(|(name, _)| name);
    let header_values = api.headers.iter().map(|(_, value)| value);
    let idempotency = match &api.idempotency {
        Some(i) => {
            let header = &i.header;
            let max_length = match i.max_length {
                Some(n) => quote!(::std::option::Option::Some(#n)),
                None => quote!(::std::option::Option::None),
            };
            quote!(::std::option::Option::Some(crate::runtime::Idempotency { header: #header, max_length: #max_length }))
        }
        None => quote!(::std::option::Option::None),
    };
    let form = form_style(api.form);
    let auth_schemes = api.auth.iter().map(auth_scheme);
    let credentials = credentials_type(api);
    out.push(quote! {
        #![doc = " The client: environments, configuration, and one method per operation."]
        use super::Error;
        /// Wire names of the spec's sensitive fields: their values are removed from every
        /// response text kept in an error.
        const SENSITIVE_FIELDS: &[&str] = &[#(#sensitive),*];
        /// API error codes that mean "try again": safe operations answered with one are
        /// retried under the retry policy.
        const RETRY_CODES: &[&str] = &[#(#retry_codes),*];
        /// Headers sent with every request, as (name, value).
        const HEADERS: &[(&str, &str)] = &[#((#header_names, #header_values)),*];
        /// How forms and list, map and object query parameters are written.
        const FORM: crate::runtime::FormStyle = #form;
        /// The authentication schemes the API offers.
        pub(super) const AUTH: &[crate::runtime::AuthScheme] = &[#(#auth_schemes),*];
        #framing_static
        #env_enum
        #credentials
        /// The client of the API. Cheap to clone: clones share one connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            core: crate::runtime::Core,
        }
    });
    // One piece per operation: the impl block grows with the spec.
    let constructors = quote! {
            /// A client for `environment` with the default configuration (timeouts,
            /// retries, https only).
            ///
            /// Fails with `Error::Config` when the credentials are for a scheme the API does
            /// not offer, or cannot be meant (an empty or blank value, a control character).
            pub fn new(environment: Environment, credentials: impl ::std::convert::Into<Credentials>) -> ::std::result::Result<Self, Error> {
                let credentials: Credentials = credentials.into();
                Self::with_config(crate::runtime::ClientConfig::new(environment.base_url(), credentials))
            }
            /// A client with a full configuration: any base URL, timeouts, retry policy,
            /// your own `reqwest::Client`.
            pub fn with_config(config: crate::runtime::ClientConfig) -> ::std::result::Result<Self, Error> {
                let core = crate::runtime::Core::for_api_with_auth(
                    config,
                    crate::runtime::ApiProfile {
                        protocol: #protocol,
                        sensitive_fields: SENSITIVE_FIELDS,
                        retry_codes: RETRY_CODES,
                        headers: HEADERS,
                        idempotency: #idempotency,
                    },
                    AUTH,
                )
                    .map_err(|e| e.map_code(crate::runtime::OpenEnum::from_wire_lossy))?;
                ::std::result::Result::Ok(Self { core })
            }
            /// The same client (same connections and settings) with another total time per
            /// attempt, for one call that may be slow: `client.with_timeout(d).some_call(..)`.
            pub fn with_timeout(&self, timeout: ::std::time::Duration) -> Self {
                Self { core: self.core.with_timeout(timeout) }
            }
            #(#env_constructors)*
    };
    out.impl_block(
        quote!(Client),
        std::iter::once(Piece::Tokens(constructors))
            .chain(methods)
            .chain(pager_methods.map(Piece::Tokens)),
    );
    for item in pagers {
        out.push(item);
    }
    for item in answers.flatten() {
        out.push_text(&item);
    }
    for item in answer_impls(api) {
        out.push_text(&item);
    }
}

/// The `Answer` impl of each type an operation answers with, once each, in the order of the
/// operations, as text: how the client decodes it into its box. An object fills its box in
/// place, its tag checked when the type is tagged; any other type (a one-of enum) decodes as
/// its `Deserialize` says. Free-form JSON and no answer have the runtime's impls.
fn answer_impls(api: &ApiIr) -> Vec<String> {
    let mut done = std::collections::BTreeSet::new();
    let mut items = Vec::new();
    for op in &api.operations {
        let (path, how) = match &op.response {
            ResponseIr::Named(name) => {
                // A tagged type is always checked: were it not an object, the produced crate
                // would not build, rather than decode it without its tag check.
                let how = if api.tags.contains_key(name) {
                    "tagged"
                } else if api.def(name) == Some(Def::Data) {
                    "object"
                } else {
                    "plain"
                };
                (type_path_text(api, name), how)
            }
            ResponseIr::OneOf { name, .. } => (name.clone(), "plain"),
            ResponseIr::Json | ResponseIr::None => continue,
        };
        if !done.insert(path.clone()) {
            continue;
        }
        let mut text = String::new();
        source::impl_head(&mut text, "impl crate::runtime::Answer", &path);
        source::signature(
            &mut text,
            "    ",
            "fn decode<'de, D: ::serde_core::Deserializer<'de>>",
            &["deserializer: D"],
            " -> ::std::result::Result<::std::boxed::Box<Self>, D::Error>",
        );
        text.push_str(&format!(
            "        crate::runtime::answer::{how}(deserializer)\n    }}\n}}\n"
        ));
        items.push(text);
    }
    items
}

/// The `protocol` of the API's profile and, for a framing the spec spells out, the `static`
/// it points to (a preset is named by its variant).
fn framing_tokens(framing: &FramingIr) -> (TokenStream, TokenStream) {
    match framing.preset {
        Some(Protocol::Envelope) => return (quote!(crate::runtime::Protocol::Envelope), quote!()),
        Some(Protocol::Rest) => return (quote!(crate::runtime::Protocol::Rest), quote!()),
        None => {}
    }
    let list = |items: &[String]| quote!(&[#(#items),*]);
    let answer = &framing.answer;
    let envelope = match &framing.envelope {
        Some(e) => {
            let (field, success, error) = (&e.status, &e.success, &e.error);
            quote!(::std::option::Option::Some(crate::runtime::EnvelopeStatus { field: #field, success: #success, error: #error }))
        }
        None => quote!(::std::option::Option::None),
    };
    let metadata = list(&framing.metadata);
    let headers = list(&framing.headers);
    let e = &framing.errors;
    let statuses = &e.statuses;
    let at = &e.at;
    let (code, message, detailed_code, detailed_message, ticket, details) = (
        list(&e.code),
        list(&e.message),
        list(&e.detailed_code),
        list(&e.detailed_message),
        list(&e.ticket),
        list(&e.details),
    );
    let field_errors = match &e.field_errors {
        Some((at, field, error)) => {
            quote!(::std::option::Option::Some(crate::runtime::FieldErrors { at: #at, field: #field, error: #error }))
        }
        None => quote!(::std::option::Option::None),
    };
    let without_code = if e.without_code_is_api_error {
        quote!(crate::runtime::WithoutCode::ApiError)
    } else {
        quote!(crate::runtime::WithoutCode::UnexpectedStatus)
    };
    (
        quote!(crate::runtime::Protocol::Framed(&FRAMING)),
        quote! {
            /// How answers are framed and where errors sit, as the spec's `framing` and
            /// `errors` say.
            pub(super) static FRAMING: crate::runtime::Framing = crate::runtime::Framing {
                answer: #answer,
                envelope: #envelope,
                metadata: #metadata,
                headers: #headers,
                errors: crate::runtime::ErrorShape {
                    statuses: &[#(#statuses),*],
                    at: #at,
                    code: #code,
                    message: #message,
                    detailed_code: #detailed_code,
                    detailed_message: #detailed_message,
                    ticket: #ticket,
                    details: #details,
                    field_errors: #field_errors,
                    without_code: #without_code,
                },
            };
        },
    )
}

/// The runtime's `FormStyle` for the spec's `api.form`.
fn form_style(form: FormIr) -> TokenStream {
    let arrays = match form.arrays {
        FormArrays::Brackets => quote!(Brackets),
        FormArrays::Indexed => quote!(Indexed),
    };
    let booleans = match form.booleans {
        FormBooleans::Words => quote!(Words),
        FormBooleans::Digits => quote!(Digits),
    };
    let nulls = match form.nulls {
        FormNulls::Omit => quote!(Omit),
        FormNulls::Empty => quote!(Empty),
    };
    quote!(crate::runtime::FormStyle {
        arrays: crate::runtime::FormArrays::#arrays,
        booleans: crate::runtime::FormBooleans::#booleans,
        nulls: crate::runtime::FormNulls::#nulls,
    })
}

/// `Client::<environment>(variables…, credentials)` for an environment whose URL has
/// variables: each value is checked (its pattern, and characters that cannot change the URL's
/// structure) before the URL is built.
fn environment_constructor(e: &EnvironmentIr) -> Option<TokenStream> {
    let constructor = e.constructor.as_ref()?;
    let fname = ident(constructor);
    let mut lines = vec![format!(
        "A client for the environment `{}`, {}, with the default configuration (timeouts, retries, https only).",
        e.key,
        code(&e.url)
    )];
    if let Some(doc) = &e.doc {
        lines.push(String::new());
        lines.extend(prose(doc));
    }
    lines.push(String::new());
    lines.push("# URL variables".to_owned());
    lines.push(String::new());
    for v in &e.variables {
        let mut line = format!("- `{}`", naming_unraw(&v.rust_name));
        if let Some(doc) = &v.doc {
            line.push_str(": ");
            line.push_str(&prose(doc).join(" "));
        }
        if let Some(pattern) = &v.pattern {
            line.push_str(&format!(" Must match {}.", code(pattern)));
        }
        lines.push(line);
    }
    lines.push(String::new());
    lines.push("# Errors".to_owned());
    lines.push(String::new());
    lines.push("`Error::Config`, naming the variable, when a value is empty, holds a character other than ASCII letters, digits, `-`, `_` and inner `.`, or does not match its pattern.".to_owned());
    lines.extend(provenance_lines(&e.provenance));
    let doc = doc_lines(lines);
    let args: Vec<TokenStream> = e
        .variables
        .iter()
        .map(|v| {
            let a = ident(&v.rust_name);
            quote!(#a: &str,)
        })
        .collect();
    let vars = e.variables.iter().map(|v| {
        let a = ident(&v.rust_name);
        let name = &v.name;
        let pattern = match &v.pattern {
            Some(p) => quote!(::std::option::Option::Some(#p)),
            None => quote!(::std::option::Option::None),
        };
        quote!(crate::runtime::UrlVariable { name: #name, value: #a, pattern: #pattern })
    });
    let key = &e.key;
    let template = &e.url;
    let url_fn = format_ident!("{}_base_url", naming_unraw(constructor));
    let url_doc = doc_lines([
        format!(
            "The base URL of the environment `{}`, {}, with the variables filled in: for [`Client::with_config`] when the client needs more configuration than [`Client::{}`](Self::{}) gives.",
            e.key,
            code(&e.url),
            naming_unraw(constructor),
            naming_unraw(constructor)
        ),
        String::new(),
        "# Errors".to_owned(),
        String::new(),
        "`Error::Config`, naming the variable, as for the constructor.".to_owned(),
    ]);
    let url_args = args.clone();
    let call_args = e.variables.iter().map(|v| ident(&v.rust_name));
    Some(quote! {
        #url_doc
        pub fn #url_fn(#(#url_args)*) -> ::std::result::Result<::std::string::String, Error> {
            crate::runtime::fill_base_url(#key, #template, &[#(#vars),*])
                .map_err(|e| e.map_code(crate::runtime::OpenEnum::from_wire_lossy))
        }
        #doc
        pub fn #fname(#(#args)* credentials: impl ::std::convert::Into<Credentials>) -> ::std::result::Result<Self, Error> {
            let base_url = Self::#url_fn(#(#call_args),*)?;
            Self::with_config(crate::runtime::ClientConfig::new(base_url, crate::runtime::Credentials::from(credentials.into())))
        }
    })
}

/// One entry of the client's `AUTH` list.
fn auth_scheme(auth: &AuthIr) -> TokenStream {
    match &auth.scheme {
        AuthSchemeIr::Basic => quote!(crate::runtime::AuthScheme::Basic),
        AuthSchemeIr::Bearer => quote!(crate::runtime::AuthScheme::Bearer),
        AuthSchemeIr::ApiKey {
            location,
            name,
            prefix,
        } => {
            let location = match location {
                crate::spec::KeyLocation::Header => quote!(crate::runtime::KeyLocation::Header),
                crate::spec::KeyLocation::Query => quote!(crate::runtime::KeyLocation::Query),
            };
            quote!(crate::runtime::AuthScheme::ApiKey { location: #location, name: #name, prefix: #prefix })
        }
        AuthSchemeIr::OAuth2ClientCredentials {
            token_url,
            scopes,
            client_auth,
        } => {
            let client_auth = match client_auth {
                crate::spec::ClientAuth::Basic => quote!(crate::runtime::ClientAuth::Basic),
                crate::spec::ClientAuth::Body => quote!(crate::runtime::ClientAuth::Body),
            };
            quote!(crate::runtime::AuthScheme::OAuth2ClientCredentials {
                token_url: #token_url,
                scopes: &[#(#scopes),*],
                client_auth: #client_auth,
            })
        }
    }
}

/// The API's `Credentials`: one constructor per scheme it offers, wrapping the runtime's.
fn credentials_type(api: &ApiIr) -> TokenStream {
    let constructors = api.auth.iter().map(|auth| {
        let mut lines = auth.doc.as_ref().map(prose).unwrap_or_default();
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(match &auth.scheme {
            AuthSchemeIr::Basic => {
                "HTTP Basic credentials: a user name (without `:`) and a password.".to_owned()
            }
            AuthSchemeIr::Bearer => {
                "A bearer token, sent as `Authorization: Bearer <token>`.".to_owned()
            }
            AuthSchemeIr::ApiKey {
                location: crate::spec::KeyLocation::Header,
                name,
                prefix,
            } if prefix.is_empty() => format!("An API key, sent in the header {}.", code(name)),
            AuthSchemeIr::ApiKey {
                location: crate::spec::KeyLocation::Header,
                name,
                prefix,
            } => format!(
                "An API key, sent in the header {} after {}.",
                code(name),
                code(prefix)
            ),
            AuthSchemeIr::ApiKey { name, .. } => format!(
                "An API key, sent in the query parameter {} of every request.",
                code(name)
            ),
            AuthSchemeIr::OAuth2ClientCredentials { token_url, .. } => format!(
                "OAuth2 client credentials: the client obtains access tokens with them from <{token_url}> (the client-credentials grant), keeps each until shortly before it expires, and sends it as a bearer token."
            ),
        });
        let doc = doc_lines(lines);
        match auth.scheme {
            AuthSchemeIr::Basic => quote! {
                #doc
                pub fn basic(user: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<::std::string::String>) -> Self {
                    Self(crate::runtime::Credentials::basic(user, password))
                }
            },
            AuthSchemeIr::Bearer => quote! {
                #doc
                pub fn bearer(token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    Self(crate::runtime::Credentials::bearer(token))
                }
            },
            AuthSchemeIr::ApiKey { .. } => quote! {
                #doc
                pub fn api_key(key: impl ::std::convert::Into<::std::string::String>) -> Self {
                    Self(crate::runtime::Credentials::api_key(key))
                }
            },
            AuthSchemeIr::OAuth2ClientCredentials { .. } => quote! {
                #doc
                pub fn oauth2_client_credentials(client_id: impl ::std::convert::Into<::std::string::String>, client_secret: impl ::std::convert::Into<::std::string::String>) -> Self {
                    Self(crate::runtime::Credentials::oauth2_client_credentials(client_id, client_secret))
                }
            },
        }
    });
    let offered = api
        .auth
        .iter()
        .map(|a| format!("`{}`", a.kind().name()))
        .collect::<Vec<_>>()
        .join(", ");
    let summary =
        format!(" The credentials of the API, for one of the schemes it offers: {offered}.");
    quote! {
        #[doc = #summary]
        ///
        /// `Debug` shows no secret. The runtime's `Credentials` convert into this type; a
        /// client built with credentials of a scheme the API does not offer is refused
        /// (`Error::Config`).
        #[derive(Clone, PartialEq, Eq)]
        pub struct Credentials(crate::runtime::Credentials);
        impl Credentials {
            #(#constructors)*
        }
        impl ::std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.0, f)
            }
        }
        impl ::std::convert::From<crate::runtime::Credentials> for Credentials {
            fn from(credentials: crate::runtime::Credentials) -> Self {
                Self(credentials)
            }
        }
        impl ::std::convert::From<Credentials> for crate::runtime::Credentials {
            fn from(credentials: Credentials) -> Self {
                credentials.0
            }
        }
    }
}

/// The line of a doc example that makes credentials: the runtime's Basic ones when the API
/// offers Basic first (as every example did before schemes were data), else the API's own,
/// preferring a scheme that needs no token endpoint.
fn credentials_example(api: &ApiIr) -> String {
    let module = &api.module;
    let first = api.auth.first().map(AuthIr::kind);
    if first == Some(crate::spec::AuthKind::Basic) {
        return "let credentials = payspec::Credentials::basic(\"user\", \"password\");".to_owned();
    }
    let kind = api
        .auth
        .iter()
        .map(AuthIr::kind)
        .find(|k| *k != crate::spec::AuthKind::OAuth2ClientCredentials)
        .or(first);
    let make = match kind {
        Some(crate::spec::AuthKind::Bearer) => "bearer(\"token\")",
        Some(crate::spec::AuthKind::ApiKey) => "api_key(\"key\")",
        Some(crate::spec::AuthKind::OAuth2ClientCredentials) => {
            "oauth2_client_credentials(\"client-id\", \"client-secret\")"
        }
        _ => "basic(\"user\", \"password\")",
    };
    format!("let credentials = payspec::{module}::Credentials::{make};")
}

/// Whether doc examples authenticate with OAuth (the API offers nothing else): a running
/// example then stands a token endpoint in too.
fn oauth_only(api: &ApiIr) -> bool {
    api.auth
        .iter()
        .all(|a| a.kind() == crate::spec::AuthKind::OAuth2ClientCredentials)
}

/// The enum answering an operation whose answer is one of several types (`response: A|B`),
/// as text.
fn one_of_answer(
    api: &ApiIr,
    op: &OperationIr,
    name: &str,
    discriminator: &str,
    variants: &[(String, String)],
) -> Vec<String> {
    let doc = vec![
        format!(
            "The answer of [`{}`](Client::{}): one of several types, told apart by the {} it carries.",
            op.id,
            naming_unraw(&op.method_name),
            code(discriminator)
        ),
        String::new(),
        format!(
            "An answer with another {} (or none) is kept as JSON in [`Other`](Self::Other).",
            code(discriminator)
        ),
    ];
    one_of_enum(api, name, &doc, discriminator, variants, false)
}

/// The enum of a named one-of (`types:` with `one_of`), in `types.rs`, as text.
fn one_of_type(api: &ApiIr, o: &OneOfIr) -> Vec<String> {
    let mut doc = o.doc.as_ref().map(prose).unwrap_or_default();
    if doc.is_empty() {
        doc.push(format!(
            "The `{}` object: one of several types.",
            o.spec_name
        ));
    }
    doc.push(String::new());
    doc.push(format!(
        "Told apart by the {} it carries; an object with another (or none) is kept as JSON in [`Other`](Self::Other).",
        code(&o.discriminator)
    ));
    doc.extend(provenance_lines(&o.provenance));
    let sent = api.index.sent.contains(&o.rust_name);
    let mut items = one_of_enum(api, &o.rust_name, &doc, &o.discriminator, &o.variants, sent);
    // A one-of flattened into this one converts into it, variant by variant.
    let name = &o.rust_name;
    for (inner, variants) in &o.flattened {
        let mut text = String::new();
        source::impl_head(
            &mut text,
            &format!("impl ::std::convert::From<{inner}>"),
            name,
        );
        source::signature(
            &mut text,
            "    ",
            "fn from",
            &[&format!("value: {inner}")],
            " -> Self",
        );
        let mut arms: Vec<(String, String)> = variants
            .iter()
            .map(|v| (format!("{inner}::{v}(v)"), format!("Self::{v}(v)")))
            .collect();
        arms.push((format!("{inner}::Other(v)"), "Self::Other(v)".to_owned()));
        source::match_lines(&mut text, "        ", "value", &arms);
        text.push_str("    }\n}\n");
        items.push(text);
    }
    items
}

/// The path of the type `name` from an API's module file, as text.
fn type_path_text(api: &ApiIr, name: &str) -> String {
    match api.def(name) {
        Some(Def::Request) => format!("super::requests::{name}"),
        Some(Def::Enum) => format!("super::enums::{name}"),
        _ => format!("super::types::{name}"),
    }
}

/// A one-of enum, as text, one item a string: a variant per alternative, `Other` keeping the
/// JSON of an unknown tag. It decodes by reading the object once as JSON, looking its tag
/// up, and moving the JSON into the variant's decoder (the tag stays in it); it encodes as
/// the variant does. One that requests may carry (`sent`) validates its variant.
fn one_of_enum(
    api: &ApiIr,
    name: &str,
    doc: &[String],
    discriminator: &str,
    variants: &[(String, String)],
    sent: bool,
) -> Vec<String> {
    let disc = source::string(discriminator);
    let mut items = Vec::with_capacity(variants.len() + 4);

    let mut def = String::new();
    source::doc(&mut def, "", doc);
    def.push_str("#[derive(Debug, Clone)]\n");
    def.push_str(TEST_EQ);
    def.push_str("#[non_exhaustive]\n");
    def.push_str(&format!("pub enum {name} {{\n"));
    for (ty, tag) in variants {
        let line = format!(
            "{}: see [`{ty}`](super::{ty}).",
            code(&format!("{discriminator}: \"{tag}\""))
        );
        source::doc(&mut def, "    ", [line]);
        // Boxed: the alternatives differ widely in size.
        def.push_str(&format!(
            "    {ty}(::std::boxed::Box<{}>),\n",
            type_path_text(api, ty)
        ));
    }
    def.push_str("    /// An object of a type this SDK does not know, as it came.\n");
    def.push_str("    Other(::serde_json::Value),\n}\n");
    items.push(def);

    let mut methods = format!("impl {name} {{\n");
    methods.push_str("    /// The tag: the variant's, or the one an `Other` object carries.\n");
    source::signature(
        &mut methods,
        "    ",
        "pub fn tag",
        &["&self"],
        " -> ::std::option::Option<&str>",
    );
    methods.push_str("        match self {\n");
    for (ty, tag) in variants {
        let tag = source::string(tag);
        let body = format!("::std::option::Option::Some({tag})");
        source::arm_with(
            &mut methods,
            "            ",
            &format!("Self::{ty}(_)"),
            &body,
            |out, indent| {
                source::call_line(out, indent, "", "::std::option::Option::Some", &tag, "");
            },
        );
    }
    let get = format!("v.get({disc})");
    let link = ".and_then(::serde_json::Value::as_str)";
    source::arm_with(
        &mut methods,
        "            ",
        "Self::Other(v)",
        &format!("{get}{link}"),
        |out, indent| {
            source::one_link_chain(out, indent, &get, link);
        },
    );
    methods.push_str("        }\n    }\n");
    if sent {
        methods.push_str("    /// Checks the constraints of the spec on the variant (an `Other` object is sent as\n    /// it is).\n");
        source::signature(
            &mut methods,
            "    ",
            "pub fn validate",
            &["&self"],
            " -> ::std::result::Result<(), crate::runtime::InvalidRequest>",
        );
        methods.push_str("        self.validate_at(\"\")\n    }\n");
        methods.push_str("    /// Like [`validate`](Self::validate), naming fields with `prefix` before their wire\n    /// path.\n");
        source::signature(
            &mut methods,
            "    ",
            "pub fn validate_at",
            &["&self", "prefix: &str"],
            " -> ::std::result::Result<(), crate::runtime::InvalidRequest>",
        );
        methods.push_str("        match self {\n");
        for (ty, _) in variants {
            source::arm(
                &mut methods,
                "            ",
                &format!("Self::{ty}(v)"),
                "v.validate_at(prefix)",
            );
        }
        methods.push_str("            Self::Other(_) => {\n                let _ = prefix;\n                ::std::result::Result::Ok(())\n            }\n        }\n    }\n");
    }
    methods.push_str("}\n");
    items.push(methods);

    for (ty, _) in variants {
        let path = type_path_text(api, ty);
        let mut text = String::new();
        source::impl_head(
            &mut text,
            &format!("impl ::std::convert::From<{path}>"),
            name,
        );
        source::signature(
            &mut text,
            "    ",
            "fn from",
            &[&format!("value: {path}")],
            " -> Self",
        );
        source::call_line(
            &mut text,
            "        ",
            "",
            &format!("Self::{ty}"),
            "::std::boxed::Box::new(value)",
            "",
        );
        text.push_str("    }\n}\n");
        items.push(text);
    }

    // With its tag: an object built in code does not hold it.
    let mut ser = serialize_head(name);
    ser.push_str("        match self {\n");
    for (ty, tag) in variants {
        let tag = source::string(tag);
        let args = ["v", disc.as_str(), tag.as_str(), "serializer"];
        let function = "crate::runtime::one_of::serialize_variant";
        let body = format!("{function}({})", args.join(", "));
        source::arm_with(
            &mut ser,
            "            ",
            &format!("Self::{ty}(v)"),
            &body,
            |out, indent| {
                source::call_lines(out, indent, "", function, &args, "");
            },
        );
    }
    source::arm(
        &mut ser,
        "            ",
        "Self::Other(v)",
        "::serde_core::Serialize::serialize(v, serializer)",
    );
    ser.push_str("        }\n    }\n}\n");
    items.push(ser);

    let mut de = deserialize_head(name);
    source::call_lines(
        &mut de,
        "        ",
        "let (tag, value) = ",
        "crate::runtime::one_of::read_tagged",
        &["deserializer", &disc],
        "?;",
    );
    de.push_str("        match tag.as_deref() {\n");
    for (ty, tag) in variants {
        let pattern = format!("::std::option::Option::Some({})", source::string(tag));
        let receiver = "crate::runtime::one_of::decode_variant(value)";
        let link = format!(".map(|v| Self::{ty}(::std::boxed::Box::new(v)))");
        source::arm_with(
            &mut de,
            "            ",
            &pattern,
            &format!("{receiver}{link}"),
            |out, indent| {
                source::one_link_chain(out, indent, receiver, &link);
            },
        );
    }
    source::arm(
        &mut de,
        "            ",
        "_",
        "::std::result::Result::Ok(Self::Other(value))",
    );
    de.push_str("        }\n    }\n}\n");
    items.push(de);
    items
}

/// The named one-ofs, the `TypeTag` of each tagged type and the `HasId` of each expandable
/// type, appended to `types.rs`: text, one item a string.
pub fn one_of_items(api: &ApiIr) -> Vec<String> {
    let mut items: Vec<String> = api
        .one_ofs
        .iter()
        .flat_map(|o| one_of_type(api, o))
        .collect();
    for (name, tag) in &api.tags {
        items.push(format!(
            "impl crate::runtime::TypeTag for {name} {{\n    const DISCRIMINATOR: &'static str = {};\n    const TAG: &'static str = {};\n}}\n",
            source::string(&tag.field),
            source::string(&tag.value)
        ));
    }
    for (name, id) in &api.expandable {
        let body = match id {
            Some(field) => format!("self.{field}.as_deref()"),
            None => "::std::option::Option::None".to_owned(),
        };
        let mut text = format!("impl crate::runtime::HasId for {name} {{\n");
        source::signature(
            &mut text,
            "    ",
            "fn object_id",
            &["&self"],
            " -> ::std::option::Option<&str>",
        );
        text.push_str(&format!("        {body}\n    }}\n}}\n"));
        items.push(text);
    }
    items
}

fn pager(api: &ApiIr, op: &OperationIr, p: &PaginationIr) -> TokenStream {
    let pager = ident(&p.pager);
    let request = ident(&op.request);
    let item = rust_type(api, &p.item);
    let doc = doc_lines([
        format!("The pages of [`{}`](Client::{}), one call per page.", op.id, naming_unraw(&op.method_name)),
        String::new(),
        "Call [`next_page`](Self::next_page) until it returns `None`, or [`collect_all`](Self::collect_all); or read it as a `Stream` of items ([`items`](Self::items)) or of pages ([`pages`](Self::pages)). [`max_pages`](Self::max_pages) bounds the number of calls.".to_owned(),
    ]);
    // `Option<Result<Vec<item>, Error>>`, the most complex type of the pager.
    let complex = allow_complex(10 + 20 + 30 + 30 + complexity(&p.item, 4));
    let (state, next_page) = match &p.style {
        PagingStyleIr::Offset { offset, limit } => offset_pager(op, p, offset, limit),
        PagingStyleIr::Page { page, last, .. } => page_pager(op, p, page, last),
        PagingStyleIr::LastItem {
            cursor,
            id,
            id_path,
            has_more,
            ..
        } => last_item_pager(op, p, cursor, id, id_path, has_more),
        PagingStyleIr::Cursor {
            cursor,
            cursor_wire,
            next,
            next_path,
            link,
            ..
        } => {
            let link = link.then_some(cursor_wire.as_str());
            cursor_pager(op, p, cursor, next, next_path, link)
        }
    };
    quote! {
        #doc
        #[derive(Debug)]
        #complex
        pub struct #pager<'a> {
            client: &'a Client,
            request: super::requests::#request,
            done: bool,
            #state
            pages: u32,
            max_pages: u32,
        }
        #complex
        impl<'a> #pager<'a> {
            /// A bound on the number of calls, whatever the server answers.
            pub const MAX_PAGES: u32 = crate::runtime::page::MAX_PAGES;
            /// The next page of items; `None` once the walk is over.
            pub async fn next_page(&mut self) -> ::std::option::Option<::std::result::Result<::std::vec::Vec<#item>, Error>> {
                #next_page
            }
            /// Every item of every page, in order; stops at the first error.
            pub async fn collect_all(mut self) -> ::std::result::Result<::std::vec::Vec<#item>, Error> {
                let mut all = ::std::vec::Vec::new();
                while let ::std::option::Option::Some(page) = self.next_page().await {
                    all.extend(page?);
                }
                ::std::result::Result::Ok(all)
            }
            /// Makes at most `max` calls in all (never more than [`MAX_PAGES`](Self::MAX_PAGES)): the walk then ends without error after the page of the last call.
            #[must_use]
            pub fn max_pages(mut self, max: u32) -> Self {
                self.max_pages = max.min(Self::MAX_PAGES);
                self
            }
            /// The items of every page as a `Stream`, in order, one call per page as they are polled. The first error is yielded once (`Some(Err(…))`), then the stream ends.
            pub fn items(self) -> crate::runtime::page::Items<'a, Self> {
                crate::runtime::page::Items::new(self)
            }
            /// The pages as a `Stream`, one call per page as they are polled. The first error is yielded once (`Some(Err(…))`), then the stream ends.
            pub fn pages(self) -> crate::runtime::page::Pages<'a, Self> {
                crate::runtime::page::Pages::new(self)
            }
        }
        #complex
        impl<'a> crate::runtime::page::Walk<'a> for #pager<'a> {
            type Item = #item;
            type Error = Error;
            fn step(mut self) -> crate::runtime::page::Step<'a, Self> {
                ::std::boxed::Box::pin(async move {
                    let page = self.next_page().await;
                    (self, page)
                })
            }
        }
    }
}

/// Records the request's own cursor as sent, so an answer pointing back to it is an error.
fn first_cursor(cursor: &(String, bool)) -> TokenStream {
    let field = ident(&cursor.0);
    if cursor.1 {
        quote!(cursors.sent(&request.#field);)
    } else {
        quote! {
            if let ::std::option::Option::Some(cursor) = &request.#field {
                cursors.sent(cursor);
            }
        }
    }
}

/// A value of the answer along `fields`, read by reference: `answer.a.as_ref().and_then(|v|
/// v.b.as_ref())`, then `copied` or `cloned` (`then`).
fn answer_value(root: TokenStream, fields: &[String], then: TokenStream) -> TokenStream {
    let mut fields = fields.iter().map(|f| ident(f));
    let first = fields.next();
    quote!(#root.#first.as_ref() #(.and_then(|v| v.#fields.as_ref()))* .#then())
}

/// The page-number pager's state and `next_page` body.
fn page_pager(
    op: &OperationIr,
    p: &PaginationIr,
    page: &(String, bool),
    last: &LastPage,
) -> (TokenStream, TokenStream) {
    let method = ident(&op.method_name);
    let (field, required) = (ident(&page.0), page.1);
    let current = if required {
        quote!(self.request.#field)
    } else {
        quote!(self.request.#field.unwrap_or(1))
    };
    let set_next = if required {
        quote!(self.request.#field = next;)
    } else {
        quote!(self.request.#field = ::std::option::Option::Some(next);)
    };
    let (read_last, is_last) = match last {
        LastPage::Empty => (quote!(), quote!(false)),
        LastPage::TotalPages(fields, _) => (
            {
                // Answer integers are `Int`s, which remember how they were sent.
                let total = answer_value(quote!(answer), fields, quote!(copied));
                quote!(let total: ::std::option::Option<i64> = #total.map(crate::runtime::Int::get);)
            },
            quote!(total.is_some_and(|total| current >= total)),
        ),
        LastPage::HasMore(fields, _) => (
            {
                let more = answer_value(quote!(answer), fields, quote!(copied));
                quote!(let more: ::std::option::Option<bool> = #more;)
            },
            quote!(more != ::std::option::Option::Some(true)),
        ),
    };
    let items = answer_items(&p.items);
    let state = quote!(previous: crate::runtime::page::PreviousPage,);
    let body = quote! {
        if self.done || self.pages >= self.max_pages {
            return ::std::option::Option::None;
        }
        self.pages += 1;
        let answer = match self.client.#method(&self.request).await {
            ::std::result::Result::Ok(answer) => answer,
            ::std::result::Result::Err(error) => {
                self.done = true;
                return ::std::option::Option::Some(::std::result::Result::Err(error));
            }
        };
        #read_last
        let items = #items;
        if items.is_empty() || self.previous.repeats(&items) {
            self.done = true;
            return ::std::option::Option::None;
        }
        let current: i64 = #current;
        if #is_last {
            self.done = true;
        }
        let next = current.saturating_add(1);
        #set_next
        ::std::option::Option::Some(::std::result::Result::Ok(items))
    };
    (state, body)
}

/// The last-item pager's state and `next_page` body: the ids sent, and the error of a
/// repeated or missing one, returned after the page that gave it.
fn last_item_pager(
    op: &OperationIr,
    p: &PaginationIr,
    cursor: &(String, bool),
    id: &[String],
    id_path: &str,
    has_more: &[String],
) -> (TokenStream, TokenStream) {
    let method = ident(&op.method_name);
    let op_id = &op.id;
    let field = ident(&cursor.0);
    let set_cursor = if cursor.1 {
        quote!(self.request.#field = cursor;)
    } else {
        quote!(self.request.#field = ::std::option::Option::Some(cursor);)
    };
    let more = answer_value(quote!(answer), has_more, quote!(copied));
    let last_id = answer_value(quote!(item), id, quote!(cloned));
    // Errors name where the id is in the answer: `data[].id`.
    let path = format!("{}[].{id_path}", p.items_path);
    let items = answer_items(&p.items);
    let state = quote! {
        cursors: crate::runtime::page::Cursors,
        repeated: ::std::option::Option<crate::runtime::DecodeError>,
    };
    let body = quote! {
        if let ::std::option::Option::Some(error) = self.repeated.take() {
            self.done = true;
            return ::std::option::Option::Some(::std::result::Result::Err(Error::Decode(error)));
        }
        if self.done || self.pages >= self.max_pages {
            return ::std::option::Option::None;
        }
        self.pages += 1;
        let answer = match self.client.#method(&self.request).await {
            ::std::result::Result::Ok(answer) => answer,
            ::std::result::Result::Err(error) => {
                self.done = true;
                return ::std::option::Option::Some(::std::result::Result::Err(error));
            }
        };
        let more: ::std::option::Option<bool> = #more;
        let items = #items;
        if items.is_empty() {
            self.done = true;
            return ::std::option::Option::None;
        }
        let id: ::std::option::Option<::std::string::String> = items.last().and_then(|item| #last_id);
        match self.cursors.next_after_last_item(#op_id, #path, more, id) {
            ::std::result::Result::Ok(::std::option::Option::Some(cursor)) => {
                #set_cursor
            }
            ::std::result::Result::Ok(::std::option::Option::None) => self.done = true,
            ::std::result::Result::Err(error) => self.repeated = ::std::option::Option::Some(error),
        }
        ::std::option::Option::Some(::std::result::Result::Ok(items))
    };
    (state, body)
}

/// `answer.a.and_then(|v| v.b)...unwrap_or_default()`: the items, taken out of the answer.
fn answer_items(fields: &[String]) -> TokenStream {
    let mut fields = fields.iter().map(|f| ident(f));
    let first = fields.next();
    quote!(answer.#first #(.and_then(|v| v.#fields))* .unwrap_or_default())
}

/// The offset pager's state and `next_page` body.
fn offset_pager(
    op: &OperationIr,
    p: &PaginationIr,
    offset: &(String, bool),
    limit: &(String, bool),
) -> (TokenStream, TokenStream) {
    let method = ident(&op.method_name);
    let (offset, offset_required) = (ident(&offset.0), offset.1);
    let (limit, limit_required) = (ident(&limit.0), limit.1);
    let current_offset = if offset_required {
        quote!(self.request.#offset)
    } else {
        quote!(self.request.#offset.unwrap_or(0))
    };
    let next_offset = if offset_required {
        quote!(self.request.#offset = next;)
    } else {
        quote!(self.request.#offset = ::std::option::Option::Some(next);)
    };
    let page_size = if limit_required {
        quote!(::std::option::Option::Some(self.request.#limit))
    } else {
        quote!(self.request.#limit)
    };
    let items = answer_items(&p.items);
    let state = quote!(previous: crate::runtime::page::PreviousPage,);
    let body = quote! {
        if self.done || self.pages >= self.max_pages {
            return ::std::option::Option::None;
        }
        self.pages += 1;
        let answer = match self.client.#method(&self.request).await {
            ::std::result::Result::Ok(answer) => answer,
            ::std::result::Result::Err(error) => {
                self.done = true;
                return ::std::option::Option::Some(::std::result::Result::Err(error));
            }
        };
        let items = #items;
        let received = i64::try_from(items.len()).unwrap_or(i64::MAX);
        if items.is_empty() || self.previous.repeats(&items) {
            self.done = true;
            return ::std::option::Option::None;
        }
        let page_size: ::std::option::Option<i64> = #page_size;
        if page_size.is_some_and(|size| received < size) || self.pages >= self.max_pages {
            self.done = true;
        }
        let next = #current_offset.saturating_add(received);
        #next_offset
        ::std::option::Option::Some(::std::result::Result::Ok(items))
    };
    (state, body)
}

/// The cursor (or link) pager's state and `next_page` body: the cursors sent, and the error
/// of a repeated one, returned after the page that gave it.
fn cursor_pager(
    op: &OperationIr,
    p: &PaginationIr,
    cursor: &(String, bool),
    next: &[String],
    next_path: &str,
    link: Option<&str>,
) -> (TokenStream, TokenStream) {
    let method = ident(&op.method_name);
    let id = &op.id;
    let field = ident(&cursor.0);
    let set_cursor = if cursor.1 {
        quote!(self.request.#field = cursor;)
    } else {
        quote!(self.request.#field = ::std::option::Option::Some(cursor);)
    };
    let mut fields = next.iter().map(|f| ident(f));
    let first = fields.next();
    let next_cursor = if next.len() == 1 {
        quote!(answer.#first.clone())
    } else {
        quote!(answer.#first.as_ref() #(.and_then(|v| v.#fields.as_ref()))* .cloned())
    };
    let items = answer_items(&p.items);
    // A link's cursor is its query parameter named like the cursor parameter.
    let judge = match link {
        Some(param) => quote!(self.cursors.next_from_link(#id, #next_path, #param, next)),
        None => quote!(self.cursors.next(#id, #next_path, next)),
    };
    let state = quote! {
        cursors: crate::runtime::page::Cursors,
        repeated: ::std::option::Option<crate::runtime::DecodeError>,
    };
    let body = quote! {
        if let ::std::option::Option::Some(error) = self.repeated.take() {
            self.done = true;
            return ::std::option::Option::Some(::std::result::Result::Err(Error::Decode(error)));
        }
        if self.done || self.pages >= self.max_pages {
            return ::std::option::Option::None;
        }
        self.pages += 1;
        let answer = match self.client.#method(&self.request).await {
            ::std::result::Result::Ok(answer) => answer,
            ::std::result::Result::Err(error) => {
                self.done = true;
                return ::std::option::Option::Some(::std::result::Result::Err(error));
            }
        };
        let next: ::std::option::Option<::std::string::String> = #next_cursor;
        let items = #items;
        if items.is_empty() {
            self.done = true;
            return ::std::option::Option::None;
        }
        match #judge {
            ::std::result::Result::Ok(::std::option::Option::Some(cursor)) => {
                #set_cursor
            }
            ::std::result::Result::Ok(::std::option::Option::None) => self.done = true,
            ::std::result::Result::Err(error) => self.repeated = ::std::option::Option::Some(error),
        }
        if self.pages >= self.max_pages {
            self.done = true;
        }
        ::std::option::Option::Some(::std::result::Result::Ok(items))
    };
    (state, body)
}

/// The methods of one operation, the plain one's doc apart as text (see [`Piece::Documented`]).
fn operation_method(api: &ApiIr, op: &OperationIr) -> Piece {
    let fname = ident(&op.method_name);
    let request = ident(&op.request);
    let id = &op.id;
    let http = ident(op.http_method.as_str());
    let retry = match op.retry {
        RetrySafety::Safe => quote!(crate::runtime::RetrySafety::Safe),
        RetrySafety::Never => quote!(crate::runtime::RetrySafety::Never),
        RetrySafety::Keyed => quote!(crate::runtime::RetrySafety::Keyed),
    };
    let fields = api
        .struct_ir(&op.request)
        .map(|s| s.fields.as_slice())
        .unwrap_or_default();
    // A path with parameters is the spec's template filled in by the runtime, each value as
    // text (`&str`); without parameters, the template is the path.
    let (values, value_tokens): (Vec<String>, Vec<TokenStream>) = op
        .path_segments
        .iter()
        .filter_map(|piece| match piece {
            PathPiece::Literal(_) => None,
            PathPiece::Param(field) => {
                let ty = fields.iter().find(|f| &f.rust_name == field).map(|f| &f.ty);
                let fid = ident(field);
                Some(if ty.is_some_and(is_stringy) {
                    (format!("&request.{fid}"), quote!(&request.#fid))
                } else if ty.is_some_and(is_textual) {
                    (
                        format!("request.{fid}.as_str()"),
                        quote!(request.#fid.as_str()),
                    )
                } else {
                    (
                        format!("&request.{fid}.to_string()"),
                        quote!(&request.#fid.to_string()),
                    )
                })
            }
        })
        .unzip();
    let template = &op.path;
    let path_expr = if values.is_empty() {
        Expr::Call(
            "::std::string::String::from".into(),
            vec![Expr::str(template)],
        )
    } else {
        Expr::Try(Box::new(Expr::Call(
            "crate::runtime::fill_path".into(),
            vec![
                Expr::str(template),
                Expr::reference(Expr::Array(
                    values.iter().map(|v| Expr::Code(v.clone())).collect(),
                )),
            ],
        )))
    };
    let path = if value_tokens.is_empty() {
        quote!(::std::string::String::from(#template))
    } else {
        quote!(crate::runtime::fill_path(#template, &[#(#value_tokens),*])?)
    };
    let encoding = match op.encoding {
        Encoding::Json => quote!(crate::runtime::Encoding::Json),
        Encoding::Form => quote!(crate::runtime::Encoding::Form),
    };
    let body = if op.has_body {
        quote!(::std::option::Option::Some(request))
    } else {
        quote!(::std::option::Option::None::<&()>)
    };
    // The answer stays in the box the runtime decodes it into (an object filled in place,
    // as its `Answer` impl says) until the method hands it over.
    let ret = match &op.response {
        ResponseIr::Named(name) => type_path(api, name),
        ResponseIr::Json => quote!(::serde_json::Value),
        ResponseIr::OneOf { name, .. } => {
            let ty = ident(name);
            quote!(#ty)
        }
        ResponseIr::None => quote!(()),
    };
    let with_response = ident(&format!("{}_with_response", naming_unraw(&op.method_name)));
    let key = if op.retry == RetrySafety::Keyed {
        quote!(request.idempotency_key.clone())
    } else {
        quote!(::std::option::Option::None)
    };
    let mut doc = String::new();
    source::doc(&mut doc, "    ", operation_doc(api, op));
    let with_doc = format!(
        " Like [`Self::{}`], with what came with the answer: its HTTP status, the envelope metadata and the response headers the spec keeps.",
        naming_unraw(&op.method_name)
    );
    // The body both methods share. No method name starts with two underscores (a name
    // starts with one only before a digit), so this one is free.
    let shared = ident(&format!("__{}", naming_unraw(&op.method_name)));
    if let Some(methods) =
        methods_text(api, op, doc.clone(), &source::flat(&ret), path_expr, fields)
    {
        return methods;
    }
    // Laid out by prettyplease: the methods of an operation whose text could not be made.
    let query = if op.query.iter().all(|(_, _, ty)| is_structured(ty)) {
        quote!(::std::vec::Vec::new())
    } else {
        let pushes = op.query.iter().filter(|(_, _, ty)| !is_structured(ty)).map(|(wire, field, ty)| {
            let fid = ident(field);
            let f = fields.iter().find(|f| &f.rust_name == field);
            let required = f.is_some_and(|f| f.required);
            let nullable = f.is_some_and(|f| f.nullable);
            // `api.form.booleans: digits` writes a boolean as `1`/`0`, in the query too.
            let text = |value: TokenStream| {
                if *ty == TypeIr::Boolean && api.form.booleans == FormBooleans::Digits {
                    quote!(::std::string::String::from(if *#value { "1" } else { "0" }))
                } else {
                    quote!(#value.to_string())
                }
            };
            match (required, nullable) {
                (true, false) => {
                    let text = text(quote!(value));
                    quote!({ let value = &request.#fid; query.push((#wire, #text)); })
                }
                (true, true) => {
                    let text = text(quote!(value));
                    quote!(if let crate::runtime::Nullable::Value(value) = &request.#fid { query.push((#wire, #text)); })
                }
                (false, false) => {
                    let text = text(quote!(value));
                    quote!(if let ::std::option::Option::Some(value) = &request.#fid { query.push((#wire, #text)); })
                }
                (false, true) => {
                    let text = text(quote!(value));
                    quote!(if let ::std::option::Option::Some(crate::runtime::Nullable::Value(value)) = &request.#fid { query.push((#wire, #text)); })
                }
            }
        });
        quote!({
            let mut query = ::std::vec::Vec::new();
            #(#pushes)*
            query
        })
    };
    let structured: Vec<_> = op
        .query
        .iter()
        .filter(|(_, _, ty)| is_structured(ty))
        .collect();
    let query_values = if structured.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        let pushes = structured.iter().map(|(wire, field, _)| {
            let fid = ident(field);
            let f = fields.iter().find(|f| &f.rust_name == field);
            let required = f.is_some_and(|f| f.required);
            let nullable = f.is_some_and(|f| f.nullable);
            let push = quote!(query_values.push(crate::runtime::encode::query_value(#wire, value)?););
            match (required, nullable) {
                (true, false) => quote!({ let value = &request.#fid; #push }),
                (true, true) => quote!(if let crate::runtime::Nullable::Value(value) = &request.#fid { #push }),
                (false, false) => quote!(if let ::std::option::Option::Some(value) = &request.#fid { #push }),
                (false, true) => quote!(if let ::std::option::Option::Some(crate::runtime::Nullable::Value(value)) = &request.#fid { #push }),
            }
        });
        quote!({
            let mut query_values = ::std::vec::Vec::new();
            #(#pushes)*
            query_values
        })
    };
    let headers = if op.headers.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        let pushes = op.headers.iter().map(|(wire, field)| {
            let fid = ident(field);
            let f = fields.iter().find(|f| &f.rust_name == field);
            let required = f.is_some_and(|f| f.required);
            let nullable = f.is_some_and(|f| f.nullable);
            let sensitive = f.is_some_and(|f| f.sensitive);
            let push = quote!(headers.push(crate::runtime::HeaderParam::new(#wire, value.to_string(), #sensitive)););
            match (required, nullable) {
                (true, false) => quote!({ let value = &request.#fid; #push }),
                (true, true) => quote!(if let crate::runtime::Nullable::Value(value) = &request.#fid { #push }),
                (false, false) => quote!(if let ::std::option::Option::Some(value) = &request.#fid { #push }),
                (false, true) => quote!(if let ::std::option::Option::Some(crate::runtime::Nullable::Value(value)) = &request.#fid { #push }),
            }
        });
        quote!({
            let mut headers = ::std::vec::Vec::new();
            #(#pushes)*
            headers
        })
    };
    let methods = quote! {
        pub fn #fname(&self, request: &super::requests::#request) -> impl crate::runtime::Pending<#ret, Error> {
            let call = Self::#shared(request, false);
            self.core.answer(call, #body)
        }
        #[doc = #with_doc]
        pub fn #with_response(&self, request: &super::requests::#request) -> impl crate::runtime::Pending<crate::runtime::Response<#ret>, Error> {
            let call = Self::#shared(request, true);
            self.core.answer_with_response(call, #body)
        }
        /// The call of the request, checked: `with_response` says whether the caller reads
        /// the metadata and headers of the answer.
        fn #shared(request: &super::requests::#request, with_response: bool) -> ::std::result::Result<crate::runtime::Call, Error> {
            request.validate()?;
            let call = crate::runtime::Call {
                operation: #id,
                method: crate::runtime::reqwest::Method::#http,
                path_template: ::std::option::Option::Some(#template),
                path: #path,
                query: #query,
                query_values: #query_values,
                encoding: #encoding,
                form: FORM,
                headers: #headers,
                retry: #retry,
                idempotency_key: #key,
                with_response,
            };
            ::std::result::Result::Ok(call)
        }
    };
    Piece::Documented(doc, methods)
}

/// The methods of an operation as text: the plain method, the one with the answer's
/// metadata, and the body they share; `None` when a part of them is laid out otherwise.
fn methods_text(
    api: &ApiIr,
    op: &OperationIr,
    doc: String,
    ret: &str,
    path: Expr,
    fields: &[FieldIr],
) -> Option<Piece> {
    let name = naming_unraw(&op.method_name);
    let shared = format!("Self::__{name}");
    let request = format!("request: &super::requests::{}", ident(&op.request));
    let response = format!("crate::runtime::Response<{ret}>");
    // What is written here is checked against the margin; what `layout` writes is sure or
    // says it is not.
    let mut head = String::new();
    source::pending_signature(
        &mut head,
        "    ",
        &format!("pub fn {}", op.method_name),
        &["&self", &request],
        ret,
    );
    source::call_lines(
        &mut head,
        "        ",
        "let call = ",
        &shared,
        &["request", "false"],
        ";",
    );
    head.push_str(&answer_text("answer", op.has_body));
    head.push_str("    }\n");
    source::doc(
        &mut head,
        "    ",
        [format!(
            "Like [`Self::{name}`], with what came with the answer: its HTTP status, the envelope metadata and the response headers the spec keeps."
        )],
    );
    source::pending_signature(
        &mut head,
        "    ",
        &format!("pub fn {}", ident(&format!("{name}_with_response"))),
        &["&self", &request],
        &response,
    );
    source::call_lines(
        &mut head,
        "        ",
        "let call = ",
        &shared,
        &["request", "true"],
        ";",
    );
    head.push_str(&answer_text("answer_with_response", op.has_body));
    head.push_str("    }\n");
    head.push_str(concat!(
        "    /// The call of the request, checked: `with_response` says whether the caller reads\n",
        "    /// the metadata and headers of the answer.\n",
    ));
    source::result_signature(
        &mut head,
        "    ",
        &format!("fn __{name}"),
        &[&request, "with_response: bool"],
        "crate::runtime::Call",
    );
    head.push_str("        request.validate()?;\n        let call = ");
    let checked = source::fits(&head, 0);
    let method = op.http_method.as_str();
    let retry = match op.retry {
        RetrySafety::Safe => "Safe",
        RetrySafety::Never => "Never",
        RetrySafety::Keyed => "Keyed",
    };
    let (query, query_values, headers, gathered_sure) = gathered(api, op, fields)?;
    let field = |name: &str, value: Expr| (name.to_owned(), Some(value));
    let call = Expr::Struct(
        "crate::runtime::Call".into(),
        vec![
            field("operation", Expr::str(&op.id)),
            field(
                "method",
                Expr::atom(format!("crate::runtime::reqwest::Method::{method}")),
            ),
            field("path_template", Expr::option(Some(Expr::str(&op.path)))),
            field("path", path),
            field("query", query),
            field("query_values", query_values),
            field(
                "encoding",
                Expr::atom(match op.encoding {
                    Encoding::Json => "crate::runtime::Encoding::Json",
                    Encoding::Form => "crate::runtime::Encoding::Form",
                }),
            ),
            field("form", Expr::atom("FORM")),
            field("headers", headers),
            field(
                "retry",
                Expr::atom(format!("crate::runtime::RetrySafety::{retry}")),
            ),
            field(
                "idempotency_key",
                if op.retry == RetrySafety::Keyed {
                    Expr::Code("request.idempotency_key.clone()".into())
                } else {
                    Expr::option(None)
                },
            ),
            ("with_response".into(), None),
        ],
        None,
    );
    let mut text = doc;
    text.push_str(&head);
    let sure = super::layout::write(&mut text, &call, 8, 1);
    text.push_str(";\n        ::std::result::Result::Ok(call)\n    }\n");
    Some(if checked && sure && gathered_sure {
        Piece::Printed(text)
    } else {
        Piece::Text(text)
    })
}

/// The `query`, `query_values` and `headers` of an operation's `Call`, each an empty vector
/// or a block gathering the parameters the request has, written as text at the depth of the
/// `Call`'s fields; and whether their layout is surely prettyplease's. `None` when a
/// parameter is written by an expression laid out otherwise (a boolean as `1`/`0`).
fn gathered(api: &ApiIr, op: &OperationIr, fields: &[FieldIr]) -> Option<(Expr, Expr, Expr, bool)> {
    let field = |name: &str| fields.iter().find(|f| f.rust_name == name);
    let mut sure = true;
    let mut block = |var: &str, entries: Vec<(&str, String)>| {
        if entries.is_empty() {
            return Expr::Code("::std::vec::Vec::new()".into());
        }
        let mut text = String::from("{\n");
        let mut line = |indent: usize, code: &str| {
            text.push_str(&" ".repeat(indent));
            text.push_str(code);
            text.push('\n');
            // Too wide: prettyplease breaks it.
            sure &= indent + code.len() <= source::WIDTH;
        };
        line(16, &format!("let mut {var} = ::std::vec::Vec::new();"));
        for (name, push) in entries {
            let fid = ident(name);
            let f = field(name);
            let (required, nullable) = f.map_or((false, false), |f| (f.required, f.nullable));
            let head = match (required, nullable) {
                (true, false) => {
                    line(16, "{");
                    line(20, &format!("let value = &request.{fid};"));
                    line(20, &push);
                    line(16, "}");
                    continue;
                }
                (true, true) => {
                    format!("if let crate::runtime::Nullable::Value(value) = &request.{fid} {{")
                }
                (false, false) => {
                    format!("if let ::std::option::Option::Some(value) = &request.{fid} {{")
                }
                (false, true) => format!(
                    "if let ::std::option::Option::Some(crate::runtime::Nullable::Value(value)) = &request.{fid} {{"
                ),
            };
            line(16, &head);
            line(20, &push);
            line(16, "}");
        }
        line(16, var);
        text.push_str("            }");
        Expr::Printed(text)
    };
    let mut query = Vec::new();
    let mut values = Vec::new();
    for (wire, name, ty) in &op.query {
        let wire = source::string(wire);
        if is_structured(ty) {
            values.push((
                name.as_str(),
                format!("query_values.push(crate::runtime::encode::query_value({wire}, value)?);"),
            ));
        } else {
            // `api.form.booleans: digits` writes a boolean as `1`/`0`, in the query too:
            // an `if` prettyplease lays out its own way.
            if *ty == TypeIr::Boolean && api.form.booleans == FormBooleans::Digits {
                return None;
            }
            query.push((
                name.as_str(),
                format!("query.push(({wire}, value.to_string()));"),
            ));
        }
    }
    let headers = op
        .headers
        .iter()
        .map(|(wire, name)| {
            let sensitive = field(name).is_some_and(|f| f.sensitive);
            let push = format!(
                "headers.push(crate::runtime::HeaderParam::new({}, value.to_string(), {sensitive}));",
                source::string(wire)
            );
            (name.as_str(), push)
        })
        .collect();
    let query = block("query", query);
    let values = block("query_values", values);
    let headers = block("headers", headers);
    Some((query, values, headers, sure))
}

/// The last expression of an operation's method, eight columns deep, as prettyplease lays it
/// out (a test holds it to that): the runtime's `method` (`answer` or `answer_with_response`)
/// with the call and the request when it has a body.
fn answer_text(method: &str, body: bool) -> String {
    let body = if body {
        "::std::option::Option::Some(request)"
    } else {
        "::std::option::Option::None::<&()>"
    };
    format!("        self.core.{method}(call, {body})\n")
}

/// Whether a query parameter is written with brackets by the runtime's form encoder.
fn is_structured(ty: &TypeIr) -> bool {
    matches!(ty, TypeIr::List(_) | TypeIr::Map(_) | TypeIr::Struct(_))
}

/// The retry line of a `retry: keyed` operation.
fn keyed_retry_doc(api: &ApiIr) -> String {
    let header = api
        .idempotency
        .as_ref()
        .map_or("Idempotency-Key", |i| i.header.as_str());
    let mut line = format!(
        "Retry: keyed — every attempt carries the same idempotency key in the {} header (the one set with the request's `idempotency_key`, or a UUID v4 generated for this call), so the server does the work at most once. The call is retried after timeouts, connection resets, 429 and 5xx answers (never after another 4xx); when the retries are spent after the request may have reached the server, the error is `Error::OutcomeUnknown` and `Error::idempotency_key` gives the key: send the call again later with that key.",
        code(header)
    );
    if let Some(doc) = api.idempotency.as_ref().and_then(|i| i.doc.as_ref()) {
        line.push(' ');
        line.push_str(&prose(doc).join(" "));
    }
    line
}

fn operation_doc(api: &ApiIr, op: &OperationIr) -> Vec<String> {
    let mut lines = prose(&op.summary);
    if let Some(description) = &op.description {
        lines.push(String::new());
        lines.extend(prose(description));
    }
    lines.push(String::new());
    let method = op.http_method.as_str();
    lines.push(format!(
        "{} — operation `{}`.",
        code(&format!("{method} {}", op.path)),
        op.id
    ));
    lines.push(String::new());
    lines.push(match op.retry {
        RetrySafety::Safe => "Retry: safe — retried automatically on transient faults.".to_owned(),
        RetrySafety::Never => "Retry: never — this call is sent at most once; if its outcome is unknown the error says so, and you must look the result up before trying again.".to_owned(),
        RetrySafety::Keyed => keyed_retry_doc(api),
    });
    if let Some(recovery) = &op.recovery {
        lines.push(String::new());
        lines.push(format!(
            "If the outcome is unknown: {}",
            prose(recovery).join(" ")
        ));
    }
    if !op.rules.is_empty() {
        lines.push(String::new());
        lines.push("# Rules".into());
        lines.push(String::new());
        for rule in &op.rules {
            let text = prose(rule).join(" ");
            lines.push(format!("- {text}"));
        }
    }
    if !op.errors.is_empty() {
        lines.push(String::new());
        lines.push("# Documented errors".into());
        lines.push(String::new());
        let codes: Vec<String> = op
            .errors
            .iter()
            .map(|(wire, variant)| match (variant, &api.error_codes) {
                (Some(v), Some(e)) => format!("[{}](super::{e}::{})", code(wire), naming_unraw(v)),
                _ => code(wire),
            })
            .collect();
        lines.push(codes.join(", "));
    }
    lines.extend(provenance_lines(&op.provenance));
    lines.push(String::new());
    lines.push("# Example".into());
    lines.push(String::new());
    lines.extend(operation_example(api, op));
    lines
}

/// The example of a request type: built from the spec's first example (its optional fields
/// included) and validated as the client validates it before sending; it runs when the values
/// pass `validate()` (only compiles otherwise).
fn request_example(api: &ApiIr, op: &OperationIr) -> Vec<String> {
    let example = op.examples.first().map(|e| &e.request);
    let mut valid = true;
    let request = struct_expr(api, &op.request, example, 0, &mut valid);
    let mut lines = vec![
        "# Example".to_owned(),
        String::new(),
        if valid { "```" } else { "```no_run" }.to_owned(),
    ];
    lines.extend(wrapped(&[format!("let request = {request};")]));
    lines.extend(wrapped(&["request.validate()?;".to_owned()]));
    lines.extend([
        "# Ok::<(), Box<dyn std::error::Error>>(())".to_owned(),
        "```".to_owned(),
    ]);
    lines
}

/// The visible statements of a doc example, laid out as rustfmt lays out code (prettyplease,
/// 89 columns): a long request becomes a chain of one setter per line instead of a line that
/// overflows the code box. A statement that does not parse is kept as it is. Each statement
/// is laid out alone (prettyplease lays out the statements of a block one after the other).
///
/// What prettyplease laid out is remembered: one example statement is written in several
/// files of an API (the method's doc, the request's doc, the docs pages), and the credentials
/// and client statements in every operation's example. The memo is the thread's (a pure
/// function's: it changes no output) and bounded: past [`MEMO_BYTES`] of text it starts
/// again.
pub(super) fn wrapped(statements: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    for statement in statements {
        // A statement well within the margin is printed as it is written (its pieces are
        // spaced as prettyplease spaces them: see `short_examples_are_printed_as_written`).
        if 4 + statement.len() <= source::WIDTH - 4 && !statement.contains(['\n', '\r']) {
            lines.push(statement.clone());
            continue;
        }
        LAID_OUT.with_borrow_mut(|memo| {
            if let Some(known) = memo.lines.get(statement) {
                lines.extend(known.iter().cloned());
                return;
            }
            let laid_out = printed_alone(statement);
            let size = statement.len() + laid_out.iter().map(String::len).sum::<usize>();
            if memo.bytes + size > MEMO_BYTES {
                memo.lines.clear();
                memo.bytes = 0;
            }
            memo.bytes += size;
            lines.extend(laid_out.iter().cloned());
            memo.lines.insert(statement.clone(), laid_out);
        });
    }
    lines
}

/// The most text [`wrapped`] remembers per thread.
const MEMO_BYTES: usize = 256 * 1024;

/// Statements [`wrapped`] had prettyplease lay out, and their lines.
#[derive(Default)]
struct Memo {
    lines: std::collections::HashMap<String, Vec<String>>,
    bytes: usize,
}

thread_local! {
    static LAID_OUT: std::cell::RefCell<Memo> = std::cell::RefCell::default();
}

/// Forgets what [`wrapped`] remembers on this thread.
pub fn forget_laid_out() {
    LAID_OUT.with_borrow_mut(|memo| *memo = Memo::default());
}

/// A statement printed by prettyplease in a function's body, one level less indented.
fn printed_alone(statement: &str) -> Vec<String> {
    let source = format!("fn example() {{\n{statement}\n}}");
    let Ok(file) = syn::parse_file(&source) else {
        return vec![statement.to_owned()];
    };
    let text = prettyplease::unparse(&file);
    let lines: Vec<&str> = text.lines().collect();
    match lines.as_slice() {
        [_, body @ .., _] => body
            .iter()
            .map(|l| l.strip_prefix("    ").unwrap_or(l).to_owned())
            .collect(),
        _ => vec![statement.to_owned()],
    }
}

/// A compiling call of the operation, its request built from the spec's first example (its
/// optional fields included): it runs against a loopback server where the values pass
/// `validate()`, and only compiles otherwise.
fn operation_example(api: &ApiIr, op: &OperationIr) -> Vec<String> {
    let method = naming_unraw(&op.method_name);
    let call = match &op.response {
        ResponseIr::None => format!("client.{method}(&request).await?;"),
        _ => format!("let answer = client.{method}(&request).await?;"),
    };
    if let Some(lines) = call_example(api, op, &call) {
        return lines;
    }
    // The values the example would need cannot be made up (a pattern to match): it
    // compiles, and the other operations' examples run.
    let module = &api.module;
    let example = op.examples.first().map(|e| &e.request);
    let request = struct_expr(api, &op.request, example, 0, &mut true);
    let mut lines = vec![
        "```no_run".to_owned(),
        format!("# async fn example() -> Result<(), payspec::{module}::Error> {{"),
    ];
    lines.extend(wrapped(&[
        credentials_example(api),
        client_statement(api, "credentials"),
    ]));
    lines.extend(wrapped(&[format!("let request = {request};"), call]));
    lines.extend(["# Ok(())".to_owned(), "# }".to_owned(), "```".to_owned()]);
    lines
}

/// `let client = …;` from the API's first environment without variables (a placeholder URL
/// otherwise) and `credentials` (an expression).
fn client_statement(api: &ApiIr, credentials: &str) -> String {
    let module = &api.module;
    match api.environments.iter().find(|e| !e.is_templated()) {
        Some(env) => format!(
            "let client = payspec::{module}::Client::new(payspec::{module}::Environment::{}, {credentials})?;",
            naming_unraw(&env.rust_name)
        ),
        None => format!(
            "let client = payspec::{module}::Client::with_config(payspec::ClientConfig::new(\"https://api.example.com\", {credentials}))?;"
        ),
    }
}

/// A running doc example of `op`: credentials, a client (pointed, in hidden lines, at a
/// loopback server answering a success), the request from the spec's first example, then
/// `call` (statements using `client` and `request`). `None` when the request's values do not
/// pass `validate()`.
pub(super) fn call_example(api: &ApiIr, op: &OperationIr, call: &str) -> Option<Vec<String>> {
    let module = &api.module;
    let example = op.examples.first().map(|e| &e.request);
    let mut valid = true;
    let request = struct_expr(api, &op.request, example, 0, &mut valid);
    if !valid {
        return None;
    }
    // Runs against a loopback server standing in for the API (hidden lines).
    let http = op.http_method.as_str();
    let answer = example_success(&api.framing);
    let answer = answer.as_str();
    // An API offering OAuth only gets a token endpoint on the same server, mounted first so
    // that its path wins over the operation's mock.
    let (token_mock, token_url) = if oauth_only(api) {
        (
            vec![
                "# wiremock::Mock::given(wiremock::matchers::path(\"/payspec-example-token\"))".to_owned(),
                "#     .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!({\"access_token\": \"t\", \"token_type\": \"Bearer\", \"expires_in\": 60})))".to_owned(),
                "#     .mount(&server).await;".to_owned(),
            ],
            ".token_url(format!(\"{}/payspec-example-token\", server.uri()))",
        )
    } else {
        (Vec::new(), "")
    };
    let mut lines = vec![
        "```".to_owned(),
        "# tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {"
            .to_owned(),
        "# let server = wiremock::MockServer::start().await;".to_owned(),
    ];
    lines.extend(token_mock);
    lines.extend([
        format!("# wiremock::Mock::given(wiremock::matchers::method(\"{http}\"))"),
        format!(
            "#     .respond_with(wiremock::ResponseTemplate::new(200).set_body_json({answer}))"
        ),
        "#     .expect(1).mount(&server).await;".to_owned(),
    ]);
    lines.extend(wrapped(&[
        credentials_example(api),
        client_statement(api, "credentials.clone()"),
    ]));
    lines.push(format!(
        "# let client = payspec::{module}::Client::with_config(payspec::ClientConfig::new(server.uri(), credentials){token_url})?;"
    ));
    // The call is written laid out already, with its comments (which the layout would drop).
    lines.extend(wrapped(&[format!("let request = {request};")]));
    lines.extend(call.lines().map(str::to_owned));
    lines.extend([
        "# Ok::<(), Box<dyn std::error::Error>>(())".to_owned(),
        "# })?;".to_owned(),
        "# Ok::<(), Box<dyn std::error::Error>>(())".to_owned(),
        "```".to_owned(),
    ]);
    Some(lines)
}

/// The request expression of the operation's doc example (the one [`operation_example`]
/// builds from the spec's first example), when it has an example and the values it needs
/// pass `validate()`: what a running example elsewhere (the sandbox's chapter) sends.
pub(super) fn example_request(api: &ApiIr, op: &OperationIr) -> Option<String> {
    let example = op.examples.first().map(|e| &e.request)?;
    let mut valid = true;
    let request = struct_expr(api, &op.request, Some(example), 0, &mut valid);
    valid.then_some(request)
}

/// `Type::new(required…)` for a request struct, recursively.
fn struct_expr(
    api: &ApiIr,
    name: &str,
    example: Option<&serde_json::Value>,
    depth: usize,
    valid: &mut bool,
) -> String {
    let module = &api.module;
    let Some(s) = api.struct_ir(name) else {
        return format!("payspec::{module}::{name}::default()");
    };
    // Request structs nest only along dotted paths, so `depth` stays within the path limit;
    // named types with required fields may be recursive, and are bounded by it too.
    let args: Vec<String> = if (s.kind == StructKind::Request
        || s.fields.iter().any(|f| f.required))
        && depth <= crate::limits::MAX_PATH_SEGMENTS
    {
        s.fields
            .iter()
            .filter(|f| f.required)
            .map(|f| {
                value_expr(
                    api,
                    &f.ty,
                    f,
                    example.and_then(|e| e.get(&f.wire_name)),
                    depth + 1,
                    valid,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    format!(
        "payspec::{module}::{}::new({}){}",
        naming_unraw(name),
        args.join(", "),
        optional_setters(api, s, example, depth)
    )
}

fn value_expr(
    api: &ApiIr,
    ty: &TypeIr,
    field: &FieldIr,
    example: Option<&serde_json::Value>,
    depth: usize,
    valid: &mut bool,
) -> String {
    let module = &api.module;
    // A value made up here (not taken from the spec's example, which `check` held to the
    // constraints) must pass `validate()` too for the example to run: checked here as the
    // runtime checks it.
    if example.is_none() && !made_up_passes(ty, field) {
        *valid = false;
    }
    let value = match ty {
        TypeIr::String | TypeIr::Date | TypeIr::DateTime => {
            let text = example
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .unwrap_or_else(|| made_up_text(ty, field));
            match ty {
                TypeIr::Date => format!("payspec::Date::new({text:?})?"),
                TypeIr::DateTime => format!("payspec::DateTime::new({text:?})?"),
                _ => format!("{text:?}"),
            }
        }
        TypeIr::Integer => example
            .and_then(serde_json::Value::as_i64)
            .unwrap_or_else(|| made_up_integer(field))
            .to_string(),
        TypeIr::Amount => example
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(MADE_UP_AMOUNT)
            .to_string(),
        TypeIr::Number => format!(
            "{:?}",
            example.and_then(serde_json::Value::as_f64).unwrap_or(1.0)
        ),
        TypeIr::Decimal => {
            let text = example.and_then(|v| v.as_str()).unwrap_or(MADE_UP_DECIMAL);
            format!("payspec::runtime::Decimal::new({text:?})?")
        }
        TypeIr::Boolean => example
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(true)
            .to_string(),
        TypeIr::Json => match example {
            Some(v) => format!("serde_json::json!({v})"),
            None => "serde_json::json!({})".to_owned(),
        },
        TypeIr::List(inner) => match example.and_then(serde_json::Value::as_array) {
            Some(items) if !items.is_empty() => {
                let items: Vec<String> = items
                    .iter()
                    .map(|item| owned_value_expr(api, inner, field, Some(item), depth, valid))
                    .collect();
                format!("Vec::from([{}])", items.join(", "))
            }
            _ => "Vec::new()".to_owned(),
        },
        TypeIr::Map(inner) => match example.and_then(serde_json::Value::as_object) {
            Some(entries) if !entries.is_empty() => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(key, value)| {
                        let value = owned_value_expr(api, inner, field, Some(value), depth, valid);
                        format!("(String::from({key:?}), {value})")
                    })
                    .collect();
                format!("std::collections::BTreeMap::from([{}])", entries.join(", "))
            }
            _ => "Default::default()".to_owned(),
        },
        TypeIr::Enum(name) => {
            let e = api.enum_ir(name);
            let wanted = example.and_then(|v| v.as_str());
            let variant = e.and_then(|e| {
                e.values
                    .iter()
                    .find(|v| wanted.is_some() && v.wire.as_deref() == wanted)
                    .or_else(|| e.values.iter().find(|v| v.wire.is_some()))
                    .or_else(|| e.values.first())
            });
            match variant {
                Some(v) => format!(
                    "payspec::{module}::{}::{}",
                    naming_unraw(name),
                    naming_unraw(&v.rust_name)
                ),
                None => format!(
                    "payspec::{module}::{}::Unknown(String::new())",
                    naming_unraw(name)
                ),
            }
        }
        TypeIr::Struct(name) if api.def(name) == Some(Def::OneOf) => {
            // The alternative the example's tag names, built and converted; a one-of cannot
            // be made up without an example.
            match example.and_then(|e| one_of_variant(api, name, e)) {
                Some(variant) if depth <= crate::limits::MAX_PATH_SEGMENTS => {
                    let inner = value_expr(
                        api,
                        &TypeIr::Struct(variant),
                        field,
                        example,
                        depth + 1,
                        valid,
                    );
                    format!("payspec::{module}::{}::from({inner})", naming_unraw(name))
                }
                _ => {
                    *valid = false;
                    format!(
                        "payspec::{module}::{}::Other(serde_json::json!({{}}))",
                        naming_unraw(name)
                    )
                }
            }
        }
        TypeIr::Struct(name) => struct_expr(api, name, example, depth, valid),
        TypeIr::Expandable(inner) => match (example, inner.as_ref()) {
            (Some(serde_json::Value::String(id)), _) => {
                format!("payspec::Expandable::Id(String::from({id:?}))")
            }
            (Some(object @ serde_json::Value::Object(_)), TypeIr::Struct(name)) => format!(
                "payspec::Expandable::Object(Box::new({}))",
                struct_expr(api, name, Some(object), depth, valid)
            ),
            _ => {
                *valid = false;
                "payspec::Expandable::Id(String::from(\"id\"))".to_owned()
            }
        },
    };
    if field.nullable && field.required && example.is_some_and(serde_json::Value::is_null) {
        "payspec::Nullable::Null".to_owned()
    } else {
        value
    }
}

/// [`value_expr`] as an owned value of the field's Rust type: text as a `String` (a list's
/// item, a map's value, a nullable field's setter argument).
fn owned_value_expr(
    api: &ApiIr,
    ty: &TypeIr,
    field: &FieldIr,
    example: Option<&serde_json::Value>,
    depth: usize,
    valid: &mut bool,
) -> String {
    let value = value_expr(api, ty, field, example, depth, valid);
    if is_stringy(ty) {
        format!("String::from({value})")
    } else {
        value
    }
}

/// The chained setters of the optional fields the spec's example sets (`.order_id("…")`), each
/// one whose value can be written; a field whose value cannot (a one-of without its tag) is
/// left out rather than spoiling the example.
fn optional_setters(
    api: &ApiIr,
    s: &StructIr,
    example: Option<&serde_json::Value>,
    depth: usize,
) -> String {
    let Some(example) = example.and_then(serde_json::Value::as_object) else {
        return String::new();
    };
    if depth > crate::limits::MAX_PATH_SEGMENTS {
        return String::new();
    }
    let mut out = String::new();
    for f in s.fields.iter().filter(|f| !f.required) {
        let Some(value) = example.get(&f.wire_name).filter(|v| !v.is_null()) else {
            continue;
        };
        let mut fits = true;
        let expr = if s.kind == StructKind::Request && f.nullable {
            owned_value_expr(api, &f.ty, f, Some(value), depth + 1, &mut fits)
        } else {
            value_expr(api, &f.ty, f, Some(value), depth + 1, &mut fits)
        };
        if fits {
            out.push_str(&format!(".{}({expr})", naming_unraw(&f.rust_name)));
        }
    }
    out
}

/// The amount a rustdoc example uses when the spec's example gives none.
const MADE_UP_AMOUNT: u64 = 1000;

/// The decimal a rustdoc example uses when the spec's example gives none.
const MADE_UP_DECIMAL: &str = "10.00";

/// The text a rustdoc example uses when the spec's example gives none.
fn made_up_text(ty: &TypeIr, field: &FieldIr) -> String {
    match ty {
        TypeIr::Date => "2026-11-22".to_owned(),
        TypeIr::DateTime => "2026-11-22T10:00:00+00:00".to_owned(),
        _ => field.wire_name.clone(),
    }
}

/// The integer a rustdoc example uses when the spec's example gives none.
fn made_up_integer(field: &FieldIr) -> i64 {
    field.constraints.min.filter(|m| *m > 0).unwrap_or(1)
}

/// Whether the value made up for `field` passes the checks `validate()` makes
/// (`value_checks`); a pattern is tried on the made-up text.
fn made_up_passes(ty: &TypeIr, field: &FieldIr) -> bool {
    let c = &field.constraints;
    let length_ok = |len: usize| {
        let len = u64::try_from(len).unwrap_or(u64::MAX);
        c.min_length.is_none_or(|m| len >= u64::from(m))
            && c.max_length.is_none_or(|m| len <= u64::from(m))
    };
    let range_ok = |v: i128| {
        c.min.is_none_or(|m| v >= i128::from(m)) && c.max.is_none_or(|m| v <= i128::from(m))
    };
    match ty {
        TypeIr::String | TypeIr::Date | TypeIr::DateTime => {
            let text = made_up_text(ty, field);
            length_ok(text.chars().count())
                && (!c.ascii || text.is_ascii())
                && c.pattern
                    .as_ref()
                    .is_none_or(|p| crate::pattern_accepts(p, &text) == Some(true))
        }
        TypeIr::List(_) | TypeIr::Map(_) => length_ok(0),
        TypeIr::Integer => range_ok(i128::from(made_up_integer(field))),
        TypeIr::Amount => range_ok(i128::from(MADE_UP_AMOUNT)),
        _ => true,
    }
}

/// Emits `mod.rs` of the API.
pub fn module_file(api: &ApiIr) -> TokenStream {
    let title = api.title.en().unwrap_or(&api.module).to_owned();
    let mut lines = vec![format!("{}.", sanitize_line(title.trim_end_matches('.')))];
    if let Some(doc) = &api.doc {
        lines.push(String::new());
        lines.extend(prose(doc));
    }
    lines.push(String::new());
    lines.push(format!(
        "Generated from `{}`: {} operations, {} types, {} enums.",
        api.spec_file,
        api.operations.len(),
        api.types.len() + api.request_structs.len(),
        api.enums.len()
    ));
    if api.error_body.is_some() {
        lines.push(String::new());
        lines.push(match &api.error_codes {
            // A path from the crate root: rustdoc reads a module's inner docs together with the
            // outer doc of its `mod` line, where a bare name does not resolve.
            Some(_) => format!("The body of an API error decodes into its type with [`error_body`](crate::{}::error_body) (or `ApiError::typed_body`).", api.module),
            None => format!("The body of an API error decodes into its type with [`error_body`](crate::{}::error_body).", api.module),
        });
    }
    let docs = lines.into_iter().map(|l| {
        let l = if l.is_empty() { l } else { format!(" {l}") };
        quote!(#![doc = #l])
    });
    let code = match &api.error_codes {
        Some(name) => {
            let id = ident(name);
            quote!(self::enums::#id)
        }
        None => quote!(::std::string::String),
    };
    let error_body = error_body_items(api, &code);
    // A glob re-export of an empty module is an unused import.
    let use_enums = (!api.enums.is_empty()).then(|| {
        quote!(
            pub use self::enums::*;
        )
    });
    let use_requests = (!api.request_structs.is_empty()).then(|| {
        quote!(
            pub use self::requests::*;
        )
    });
    let use_types = (!api.types.is_empty()).then(|| {
        quote!(
            pub use self::types::*;
        )
    });
    // The module's docs are its inner `//!` lines: an outer doc here would make rustdoc
    // resolve the module's intra-doc links from this scope.
    let notifications = api.notifications.iter().map(|n| {
        let module = ident(&n.module);
        quote!(pub mod #module;)
    });
    quote! {
        #(#docs)*
        mod client;
        mod enums;
        mod requests;
        mod types;
        #(#notifications)*
        pub use self::client::*;
        #use_enums
        #use_requests
        #use_types
        /// The error of every call of this API; its API error carries the API's error code.
        pub type Error = crate::runtime::Error<#code>;
        #error_body
    }
}

/// The typed error body of an API whose spec gives `errors.type`: the `ErrorBody` alias
/// (unless a generated type has that name), the `error_body` function every such API has, and
/// `TypedErrorBody` on the generated error-code enum (giving `ApiError::typed_body`).
fn error_body_items(api: &ApiIr, code: &TokenStream) -> Option<TokenStream> {
    let name = api.error_body.as_ref()?;
    let module = &api.module;
    let at = &api.framing.errors.at;
    let ty = ident(name);
    let taken = |n: &str| {
        api.types
            .iter()
            .chain(&api.request_structs)
            .any(|s| s.rust_name == n)
            || api.enums.iter().any(|e| e.rust_name == n)
            || api.one_ofs.iter().any(|o| o.rust_name == n)
            || api.aliases.iter().any(|a| a.name == n)
    };
    let (alias, body) = if taken("ErrorBody") {
        (None, quote!(self::types::#ty))
    } else {
        let doc = doc_lines([format!(
            "The error object of this API, the spec's [`{name}`]: what [`error_body`] decodes an API error into."
        )]);
        (
            Some(quote!(#doc pub type ErrorBody = self::types::#ty;)),
            quote!(ErrorBody),
        )
    };
    let object = match at.as_str() {
        "." => "the body".to_owned(),
        at => format!("the error object (`{at}` of the body)"),
    };
    let mut doc = vec![
        format!("The typed error body of an API error: {object} decoded into [`{name}`], every field reachable and those the spec does not describe in its `extra`."),
        String::new(),
        "It decodes the body kept in `ApiError::body`, so redacted: a secret or a card number reads as `<redacted>`. A body that does not decode (or an API error not read from a body) is a `DecodeError` with the path that failed, never a default value.".to_owned(),
        String::new(),
        "```".to_owned(),
        format!("fn explain(error: &payspec::{module}::Error) {{"),
        "    if let Some(api_error) = error.api_error() {".to_owned(),
        format!("        match payspec::{module}::error_body(api_error) {{"),
        r#"            Ok(body) => println!("{} fields the spec does not describe", body.extra.len()),"#.to_owned(),
        r#"            Err(e) => println!("the error body does not decode: {e}"),"#.to_owned(),
        "        }".to_owned(),
    ];
    if api.error_codes.is_some() {
        doc.extend([
            "        // The same, through the error-code type:".to_owned(),
            "        let _same = api_error.typed_body();".to_owned(),
        ]);
    }
    doc.extend(["    }".to_owned(), "}".to_owned(), "```".to_owned()]);
    let doc = doc_lines(doc);
    let typed = api.error_codes.as_ref().map(|c| {
        let c = ident(c);
        quote!(
            impl crate::runtime::TypedErrorBody for self::enums::#c {
                type Body = #body;
                const AT: &'static str = #at;
            }
        )
    });
    Some(quote! {
        #alias
        #doc
        pub fn error_body(
            error: &crate::runtime::ApiError<#code>,
        ) -> ::std::result::Result<#body, crate::runtime::DecodeError> {
            error.body_as(#at)
        }
        #typed
    })
}

/// The runtime's `Mac` for a notification.
fn mac_tokens(mac: &crate::ir::MacIr) -> TokenStream {
    use crate::spec::{HmacHash, SignatureEncoding};
    let hmac = match mac.hmac {
        HmacHash::Sha256 => quote!(Sha256),
        HmacHash::Sha512 => quote!(Sha512),
    };
    let encoding = match mac.encoding {
        SignatureEncoding::Hex => quote!(Hex),
        SignatureEncoding::Base64 => quote!(Base64),
    };
    let key_encoding = key_encoding_tokens(mac.key_encoding);
    quote! {
        crate::runtime::notification::Mac {
            hmac: crate::runtime::notification::Hmac::#hmac,
            encoding: crate::runtime::notification::Encoding::#encoding,
            key_encoding: #key_encoding,
        }
    }
}

fn key_encoding_tokens(encoding: crate::spec::KeyEncoding) -> TokenStream {
    use crate::spec::KeyEncoding;
    let variant = match encoding {
        KeyEncoding::Text => quote!(Text),
        KeyEncoding::Hex => quote!(Hex),
        KeyEncoding::Base64 => quote!(Base64),
    };
    quote!(crate::runtime::notification::KeyEncoding::#variant)
}

/// Emits the module that verifies one kind of signed notification.
pub fn notification_file(api: &ApiIr, n: &NotificationIr) -> TokenStream {
    use crate::ir::Carrier;
    let mut lines = prose(&n.summary);
    if let Some(d) = &n.description {
        lines.push(String::new());
        lines.extend(prose(d));
    }
    lines.push(String::new());
    match &n.carrier {
        Carrier::Form {
            unescape_slashes, ..
        } => lines.push(format!(
            "[`verify_form`] checks the {} in {} over {} in constant time{}, and only then decodes the payload into [`{}`](super::{}).",
            n.mac.describe(),
            n.carrier.signature_at(),
            n.carrier.signed_text(),
            if *unescape_slashes { " (after replacing every `\\/` with `/`, as the API hashes it)" } else { "" },
            n.payload,
            n.payload
        )),
        Carrier::Header { tolerance, .. } => lines.push(format!(
            "[`verify`] checks the {} in the header {} over {} in constant time{}, and only then decodes the body into [`{}`](super::{}).",
            n.mac.describe(),
            n.carrier.signature_at(),
            n.carrier.signed_text(),
            tolerance.map_or(String::new(), |t| format!(", then that the timestamp is within {t} s of the clock")),
            n.payload,
            n.payload
        )),
    }
    lines.extend(provenance_lines(&n.provenance));
    let docs = lines.into_iter().map(|l| {
        let l = if l.is_empty() { l } else { format!(" {l}") };
        quote!(#![doc = #l])
    });
    let form = matches!(n.carrier, Carrier::Form { .. });
    let key_fields = n.keys.iter().map(|(wire, field, doc)| {
        let fname = ident(field);
        let mut lines = doc.as_ref().map(prose).unwrap_or_default();
        lines.push(if form {
            format!("Verifies notifications whose key field says `{wire}`.")
        } else {
            "Tried on every notification, with the other keys set (several during a rotation)."
                .to_owned()
        });
        let doc = doc_lines(lines);
        quote!(#doc #fname: ::std::option::Option<crate::runtime::Secret>,)
    });
    let key_encoding = key_encoding_tokens(n.mac.key_encoding);
    let key_setters = n.keys.iter().map(|(wire, field, _)| {
        let fname = ident(field);
        let doc = doc_lines(vec![
            format!("Sets the secret for notifications signed with `{wire}`."),
            String::new(),
            "# Errors".to_owned(),
            String::new(),
            "[`KeyError`](crate::runtime::notification::KeyError) when the secret is empty, blank, or has surrounding whitespace or a control character: anyone could sign with an empty key, so it is refused here rather than trusted later.".to_owned(),
        ]);
        quote! {
            #doc
            pub fn #fname(mut self, secret: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, crate::runtime::notification::KeyError> {
                self.#fname = ::std::option::Option::Some(crate::runtime::notification::signing_key_as(#wire, secret, #key_encoding)?);
                ::std::result::Result::Ok(self)
            }
        }
    });
    let field_members = n.fields.iter().map(|(wire, field, doc)| {
        let fname = ident(field);
        let mut lines = doc.as_ref().map(prose).unwrap_or_default();
        lines.push(format!("The form field `{wire}`, when present."));
        let doc = doc_lines(lines);
        quote!(#doc pub #fname: ::std::option::Option<::std::string::String>,)
    });
    let mac = mac_tokens(&n.mac);
    let payload = type_path(api, &n.payload);
    let verifiers = match &n.carrier {
        Carrier::Form {
            signature_field,
            algorithm,
            key_field,
            unescape_slashes,
            payload_field,
        } => {
            let key_arms = n.keys.iter().map(|(wire, field, _)| {
                let fname = ident(field);
                quote!(#wire => ::std::option::Option::Some(keys.#fname.as_ref()),)
            });
            let field_inits = n.fields.iter().map(|(wire, field, _)| {
                let fname = ident(field);
                quote!(#fname: crate::runtime::notification::field(fields, #wire)?.map(::std::borrow::ToOwned::to_owned),)
            });
            let opt = |v: Option<&String>| match v {
                Some(v) => quote!(::std::option::Option::Some(#v)),
                None => quote!(::std::option::Option::None),
            };
            let algorithm_field = opt(algorithm.as_ref().map(|(f, _)| f));
            let algorithm = opt(algorithm.as_ref().map(|(_, a)| a));
            let key_field = opt(key_field.as_ref());
            let default_key = n
                .keys
                .first()
                .map(|(w, _, _)| w.clone())
                .unwrap_or_default();
            quote! {
                /// How these notifications are signed.
                pub const SIGNED_FORM: crate::runtime::notification::SignedForm = crate::runtime::notification::SignedForm {
                    signature_field: #signature_field,
                    algorithm_field: #algorithm_field,
                    algorithm: #algorithm,
                    key_field: #key_field,
                    default_key: #default_key,
                    payload_field: #payload_field,
                    unescape_slashes: #unescape_slashes,
                    mac: #mac,
                };
                /// Verifies a notification from its raw `application/x-www-form-urlencoded` body, then
                /// decodes it. Nothing is decoded unless the signature holds.
                pub fn verify_form(body: &str, keys: &Keys) -> ::std::result::Result<Notification, crate::runtime::NotificationError> {
                    let fields = crate::runtime::notification::parse_form(body)?;
                    verify_fields(&fields, keys)
                }
                /// Verifies a notification from fields your web framework already decoded.
                pub fn verify_fields(
                    fields: &[(::std::string::String, ::std::string::String)],
                    keys: &Keys,
                ) -> ::std::result::Result<Notification, crate::runtime::NotificationError> {
                    let payload = crate::runtime::notification::verify(&SIGNED_FORM, fields, |name| match name {
                        #(#key_arms)*
                        _ => ::std::option::Option::None,
                    })?;
                    ::std::result::Result::Ok(Notification {
                        payload: crate::runtime::notification::decode(&payload)?,
                        #(#field_inits)*
                    })
                }
            }
        }
        Carrier::Header {
            name,
            part,
            timestamp_part,
            signed,
            tolerance,
        } => {
            use crate::check::signature::TemplatePiece;
            let opt = |v: Option<&String>| match v {
                Some(v) => quote!(::std::option::Option::Some(#v)),
                None => quote!(::std::option::Option::None),
            };
            let part = opt(part.as_ref());
            let timestamp_part = opt(timestamp_part.as_ref());
            let pieces = signed.iter().map(|p| match p {
                TemplatePiece::Body => quote!(crate::runtime::notification::Piece::Body),
                TemplatePiece::Timestamp => quote!(crate::runtime::notification::Piece::Timestamp),
                TemplatePiece::Text(t) => quote!(crate::runtime::notification::Piece::Text(#t)),
            });
            let tolerance = match tolerance {
                Some(t) => quote!(::std::option::Option::Some(#t)),
                None => quote!(::std::option::Option::None),
            };
            let secrets = n.keys.iter().map(|(wire, field, _)| {
                let fname = ident(field);
                quote!((#wire, keys.#fname.as_ref()),)
            });
            let header_doc = format!(
                " `signature` is the value of the `{name}` header (`None` when the request has none)."
            );
            quote! {
                /// How these notifications are signed.
                pub const SIGNED_BODY: crate::runtime::notification::SignedBody = crate::runtime::notification::SignedBody {
                    header: #name,
                    part: #part,
                    timestamp_part: #timestamp_part,
                    signed: &[#(#pieces),*],
                    tolerance: #tolerance,
                    mac: #mac,
                };
                /// Verifies a notification from its raw body and its signature header against
                /// the system clock, then decodes the body. Nothing is decoded unless the
                /// signature holds.
                #[doc = ""]
                #[doc = #header_doc]
                pub fn verify(body: &[u8], signature: ::std::option::Option<&str>, keys: &Keys) -> ::std::result::Result<Notification, crate::runtime::NotificationError> {
                    verify_at(body, signature, keys, ::std::time::SystemTime::now())
                }
                /// [`verify`] against the clock `now` (a test's fixed time).
                pub fn verify_at(
                    body: &[u8],
                    signature: ::std::option::Option<&str>,
                    keys: &Keys,
                    now: ::std::time::SystemTime,
                ) -> ::std::result::Result<Notification, crate::runtime::NotificationError> {
                    let payload = crate::runtime::notification::verify_body(&SIGNED_BODY, body, signature, now, &[#(#secrets)*])?;
                    ::std::result::Result::Ok(Notification {
                        payload: crate::runtime::notification::decode(&payload)?,
                    })
                }
            }
        }
    };
    quote! {
        #(#docs)*
        /// The secrets that may sign a notification, each set with its checked setter.
        /// `Debug` never shows them. A notification signed with a key that is not set is
        /// refused.
        #[derive(Debug, Clone, Default)]
        #[non_exhaustive]
        pub struct Keys {
            #(#key_fields)*
        }
        impl Keys {
            /// No secret set yet; add them with the setters.
            pub fn new() -> Self {
                Self::default()
            }
            #(#key_setters)*
        }
        /// A notification whose signature holds.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub struct Notification {
            /// The decoded payload.
            pub payload: #payload,
            #(#field_members)*
        }
        #verifiers
    }
}

/// The success body a runnable example's stand-in server answers: an empty answer, framed.
fn example_success(framing: &FramingIr) -> String {
    let mut body = serde_json::json!({});
    if framing.answer != "." {
        for segment in framing.answer.rsplit('.') {
            body = serde_json::json!({ segment: body });
        }
    }
    if let Some(envelope) = &framing.envelope {
        let mut status = serde_json::Value::String(envelope.success.clone());
        for segment in envelope.status.rsplit('.') {
            status = serde_json::json!({ segment: status });
        }
        if let (Some(body), serde_json::Value::Object(status)) = (body.as_object_mut(), status) {
            body.extend(status);
        }
    }
    format!("serde_json::json!({body})")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The IR of every spec of the repository.
    fn real_specs_ir() -> crate::ir::Ir {
        crate::build_ir(&real_sources()).expect("valid specs").0
    }

    /// Every spec of the repository.
    fn real_sources() -> Vec<crate::SourceFile> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut names: Vec<String> = std::fs::read_dir(root.join("spec"))
            .expect("the spec folder")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".yaml"))
            .collect();
        names.sort();
        let sources: Vec<crate::SourceFile> = names
            .iter()
            .map(|name| {
                let path = format!("spec/{name}");
                let text = std::fs::read_to_string(root.join(&path)).expect("a spec");
                crate::SourceFile { path, text }
            })
            .collect();
        assert!(sources.len() > 1, "{names:?}");
        sources
    }

    /// A statement prettyplease laid out is remembered, the memo stays within its bound
    /// however many statements go through it, and a generation leaves nothing in it.
    #[test]
    fn laid_out_statements_are_remembered_within_a_bound_and_forgotten_after_a_generation() {
        forget_laid_out();
        let remembered = |statement: &String| {
            LAID_OUT.with_borrow(|memo| (memo.lines.contains_key(statement), memo.bytes))
        };
        let mut offered = 0;
        let mut cleared = false;
        for i in 0..2000 {
            let statement = format!(
                "let request = a::B::new({i}, \"{}\").c(d::E::F).g(\"h\");",
                "x".repeat(100)
            );
            let before = remembered(&statement).1;
            let lines = wrapped(std::slice::from_ref(&statement));
            assert_eq!(lines, printed_alone(&statement));
            assert!(lines.len() > 1, "{lines:?}");
            let (kept, bytes) = remembered(&statement);
            assert!(kept && bytes <= MEMO_BYTES, "{bytes}");
            cleared |= bytes < before;
            assert_eq!(wrapped(std::slice::from_ref(&statement)), lines);
            offered += statement.len();
        }
        assert!(offered > MEMO_BYTES && cleared);
        // A short statement is written as it is, not remembered.
        let short = "let x = 1;".to_owned();
        assert_eq!(
            wrapped(std::slice::from_ref(&short)),
            std::slice::from_ref(&short)
        );
        assert!(!remembered(&short).0);
        crate::generate(&real_sources()).expect("the specs generate");
        assert_eq!(
            LAID_OUT.with_borrow(|memo| (memo.lines.len(), memo.bytes)),
            (0, 0)
        );
    }

    /// The types and values of struct fields written as text are what prettyplease prints
    /// for them: every field of the real specs, as it is and boxed, nullable, required or
    /// not, in a request and in a data struct, and the shapes the specs lack (lists and maps
    /// of numbers, nested lists).
    #[test]
    fn field_types_as_text_are_printed_as_prettyplease_prints_them() {
        let ir = real_specs_ir();
        let api = &ir.apis[0];
        let mut types: Vec<TypeIr> = ir
            .apis
            .iter()
            .flat_map(|a| a.request_structs.iter().chain(&a.types))
            .flat_map(|s| s.fields.iter().map(|f| f.ty.clone()))
            .filter(|ty| !matches!(ty, TypeIr::Struct(_) | TypeIr::Enum(_)))
            .collect();
        for s in api
            .request_structs
            .iter()
            .take(3)
            .chain(api.types.iter().take(3))
        {
            types.push(TypeIr::Struct(s.rust_name.clone()));
        }
        for e in api.enums.iter().take(3) {
            types.push(TypeIr::Enum(e.rust_name.clone()));
        }
        for inner in [TypeIr::Integer, TypeIr::Amount, TypeIr::Number] {
            types.push(TypeIr::List(Box::new(inner.clone())));
            types.push(TypeIr::Map(Box::new(inner)));
        }
        types.push(TypeIr::List(Box::new(TypeIr::Map(Box::new(
            TypeIr::String,
        )))));
        types.push(TypeIr::Expandable(Box::new(TypeIr::Struct(
            api.types[0].rust_name.clone(),
        ))));
        // `type T = {ty};` as prettyplease prints it; one too wide for a line is broken by it,
        // and compared without its blanks and the comma it adds when breaking.
        let same_as_printed = |ty: &str, what: &dyn std::fmt::Debug| {
            let ours = format!("type T = {ty};\n");
            let file = syn::parse_file(&ours).expect("a type");
            let printed = prettyplease::unparse(&file);
            if ours.len() <= source::WIDTH {
                assert_eq!(printed, ours, "{what:?}");
            } else {
                let squeezed =
                    |t: &str| t.split_whitespace().collect::<String>().replace(",>", ">");
                assert_eq!(squeezed(&printed), squeezed(&ours), "{what:?}");
            }
        };
        let expr_reprinted = |value: &str| {
            let file = syn::parse_file(&format!("const X: () = {value};")).expect("an expr");
            prettyplease::unparse(&file)
        };
        let mut checked = 0;
        for ty in &types {
            if let TypeIr::Struct(n) | TypeIr::Enum(n) = ty {
                assert!(api.def(n).is_some(), "{n}");
            }
            let text = rust_type_text(api, ty);
            same_as_printed(&text, ty);
            assert_eq!(text, source::flat(&rust_type(api, ty)));
            for (boxed, nullable, required) in (0..8).map(|b| (b & 1 != 0, b & 2 != 0, b & 4 != 0))
            {
                let field = FieldIr {
                    wire_name: "a".into(),
                    rust_name: "a".into(),
                    dotted_path: "a".into(),
                    ty: ty.clone(),
                    boxed,
                    location: Location::Body,
                    required,
                    recommended: false,
                    nullable,
                    sensitive: false,
                    constraints: Default::default(),
                    doc: None,
                    provenance: Default::default(),
                };
                for kind in [StructKind::Request, StructKind::Data] {
                    for text in [
                        field_type_text(api, kind, &field),
                        stored_type_text(api, &field),
                    ] {
                        same_as_printed(&text, &field);
                    }
                    let value = store_in_value_text(kind, &field);
                    assert_eq!(expr_reprinted(&value), format!("const X: () = {value};\n"));
                    assert_eq!(value, source::flat(&store_in(kind, &field, quote!(value))));
                    checked += 1;
                }
            }
        }
        assert!(checked > 200, "{checked}");
    }

    /// The examples' statements that fit well within the margin (request builders of every
    /// operation of the real specs, the client's) are written as prettyplease prints them.
    #[test]
    fn short_examples_are_printed_as_written() {
        let ir = real_specs_ir();
        let mut short = 0;
        for api in &ir.apis {
            let mut statements = vec![
                super::credentials_example(api),
                super::client_statement(api, "credentials"),
            ];
            for op in &api.operations {
                let example = op.examples.first().map(|e| &e.request);
                for example in [example, None] {
                    let mut valid = true;
                    let request = super::struct_expr(api, &op.request, example, 0, &mut valid);
                    statements.push(format!("let request = {request};"));
                }
            }
            for statement in statements {
                let as_written = std::slice::from_ref(&statement);
                if super::wrapped(as_written) == as_written {
                    assert_eq!(super::printed_alone(&statement), as_written);
                    short += 1;
                }
            }
        }
        assert!(short > 40, "{short}");
    }

    /// The last expression of an operation's methods is written as prettyplease prints it,
    /// with a body or not.
    #[test]
    fn the_answer_call_is_laid_out_as_prettyplease_lays_it_out() {
        for has_body in [true, false] {
            let body = if has_body {
                quote!(::std::option::Option::Some(request))
            } else {
                quote!(::std::option::Option::None::<&()>)
            };
            for method in ["answer", "answer_with_response"] {
                let name = ident(method);
                let call = quote!(self.core.#name(call, #body));
                let printed = super::super::reprint_statements(call).expect("prints");
                assert_eq!(answer_text(method, has_body), printed);
            }
        }
    }

    /// The rustdoc example of the one operation of a spec whose one parameter is `param`.
    fn example_of(param: &str) -> Vec<String> {
        let text = format!(
            "format: 1
api:
  name: demo
  title: Demo
  auth: basic
  protocol: rest
  environments:
    test: {{ url: \"https://api.example.com\" }}
operations:
  op:
    summary: S.
    method: POST
    path: /x
    retry: never
    response: none
    params:
      ref: {{ required: true, {param} }}
"
        );
        let source = crate::SourceFile {
            path: "t.yaml".into(),
            text,
        };
        let (ir, _) = crate::build_ir(&[source]).expect("a valid spec");
        let api = &ir.apis[0];
        operation_example(api, &api.operations[0])
    }

    /// The module file of a spec whose error object is `Problem` and whose extra types are
    /// `types` (YAML lines under `types:`), with `codes` as its `error_codes`.
    fn module_with_error_body(types: &str, codes: bool) -> String {
        let (codes_line, enums) = if codes {
            (
                "  error_codes: Code\n",
                "enums:\n  Code:\n    open: true\n    values:\n      - { value: busy, doc: Busy. }\n",
            )
        } else {
            ("", "")
        };
        let text = format!(
            "format: 2
api:
  name: demo
  title: Demo
  auth: basic
  errors: {{ at: error, code: code, type: Problem }}
{codes_line}  environments:
    test: {{ url: \"https://api.example.com\" }}
operations:
  op:
    summary: S.
    method: GET
    path: /x
    retry: safe
    response: json
types:
  Problem:
    fields:
      code: {{ type: string }}
{types}{enums}"
        );
        let source = crate::SourceFile {
            path: "t.yaml".into(),
            text,
        };
        let (ir, _) = crate::build_ir(&[source]).expect("a valid spec");
        module_file(&ir.apis[0]).to_string()
    }

    #[test]
    fn the_typed_error_body_is_reachable_by_alias_function_and_trait() {
        let squash = |t: String| t.replace(' ', "");
        let with_codes = squash(module_with_error_body("", true));
        assert!(with_codes.contains("pubtypeErrorBody=self::types::Problem;"));
        assert!(with_codes.contains(
            "pubfnerror_body(error:&crate::runtime::ApiError<self::enums::Code>,)->::std::result::Result<ErrorBody,crate::runtime::DecodeError>{error.body_as(\"error\")}"
        ));
        assert!(with_codes.contains(
            "implcrate::runtime::TypedErrorBodyforself::enums::Code{typeBody=ErrorBody;constAT:&'staticstr=\"error\";}"
        ));
        // Codes as plain strings: the function only (no trait on a foreign type).
        let strings = squash(module_with_error_body("", false));
        assert!(strings.contains("ApiError<::std::string::String>"));
        assert!(!strings.contains("TypedErrorBody"));
        // A type of the spec already called `ErrorBody` keeps its name: no alias shadows it.
        let taken = squash(module_with_error_body(
            "  ErrorBody:\n    fields:\n      x: { type: string }\n",
            true,
        ));
        assert!(!taken.contains("pubtypeErrorBody"));
        assert!(taken.contains("Result<self::types::Problem,crate::runtime::DecodeError>"));
        assert!(taken.contains("typeBody=self::types::Problem;"));
    }

    /// A made-up value that `validate()` would refuse makes the example `no_run`, so the
    /// doctest does not fail; one it accepts keeps the example running.
    #[test]
    fn made_up_values_run_only_when_they_pass_validation() {
        for param in [
            "type: string",
            "type: string, pattern: \"[a-z]+\"",
            "type: string, max_length: 3, ascii: true",
            "type: date, max_length: 10",
            "type: integer, min: 5, max: 9",
            "type: amount, max: 1000",
            "type: list<string>",
        ] {
            assert_eq!(example_of(param)[0], "```", "{param}");
        }
        for param in [
            "type: string, pattern: \"[0-9]+\"",
            "type: string, min_length: 4",
            "type: date, max_length: 8",
            "type: date-time, max_length: 20",
            "type: date, pattern: \"[0-9]{8}\"",
            "type: integer, max: 0",
            "type: amount, max: 999",
            "type: list<string>, min_length: 1",
        ] {
            assert_eq!(example_of(param)[0], "```no_run", "{param}");
        }
    }
}
