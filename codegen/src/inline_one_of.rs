//! Inline one-ofs (format 2): a field of a named type whose type is `A|B` (or `list<A|B>`,
//! `map<A|B>`) stands for an anonymous one-of read by `api.discriminator`. `expand` writes
//! each one out as a named `one_of` type, `<Type><Field>` (the type's name, then each segment
//! of the field's dotted path in UpperCamelCase: `Payment` + `details.source` →
//! `PaymentDetailsSource`), and points the field at it, so that `check`, `lower` and the
//! emitters see one kind of one-of only.
//!
//! Problems: S098 (the name an inline one-of gets is already a type, an enum or another inline
//! one-of), S107 (`A|B` on an operation's parameter, which must name a one-of type).

use crate::diagnostics::{Diagnostic, Place};
use crate::spec::{ObjectType, Spanned, SpecFile, Text};

/// The wrappers a type expression may put around an inline one-of.
const WRAPPERS: [&str; 3] = ["list<", "map<", "expandable<"];

/// Splits `list<map<A|B>>` into its wrappers (`["list<", "map<"]`) and its core (`A|B`);
/// `None` when a wrapper is not closed (S003 reports it).
fn split(text: &str) -> Option<(Vec<&'static str>, &str)> {
    let mut rest = text.trim();
    let mut wrappers = Vec::new();
    while let Some((wrapper, inner)) = WRAPPERS
        .iter()
        .find_map(|w| rest.strip_prefix(w).map(|inner| (*w, inner)))
    {
        // Bounded like every type expression: S026 reports a deeper one.
        if wrappers.len() > crate::limits::MAX_TYPE_DEPTH {
            return None;
        }
        wrappers.push(wrapper);
        rest = inner.strip_suffix('>')?.trim();
    }
    Some((wrappers, rest))
}

/// The alternatives of an inline one-of core (`Card|SepaDebit`), when every one is a name;
/// anything else is left to S003.
fn alternatives(core: &str) -> Option<Vec<&str>> {
    if !core.contains('|') {
        return None;
    }
    let parts: Vec<&str> = core.split('|').map(str::trim).collect();
    let names = parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    names.then_some(parts)
}

/// The name of the inline one-of of `field` in `owner`: `<Type><Field>`.
pub fn inline_name(owner: &str, field: &str) -> Option<String> {
    let segments = crate::paths::segments(field).ok()?;
    let mut name = crate::naming::pascal(owner)?;
    for segment in &segments {
        name.push_str(&crate::naming::pascal(segment.name)?);
    }
    Some(name)
}

/// Writes every inline one-of of `spec` out as a named one-of type; returns the problems.
pub fn expand(file: &str, spec: &mut SpecFile) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if spec.format.value < 2 {
        // Format 1 has no one-ofs: the type stays malformed (S003).
        return diags;
    }
    let ids: Vec<String> = spec
        .operations
        .iter()
        .map(|(k, _)| k.value.clone())
        .collect();
    for (id, op) in ids.iter().zip(spec.operations.values_mut()) {
        let mut params = std::mem::take(&mut op.params).into_vec();
        for (key, param) in &mut params {
            let inline = split(&param.ty.value).and_then(|(_, core)| alternatives(core));
            if inline.is_some() {
                diags.push(
                    Diagnostic::error(
                        "S107",
                        Place::of(file, &param.ty),
                        format!(
                            "parameter `{}` of `{}` is an inline one-of `{}`",
                            key.value,
                            id,
                            crate::limits::excerpt(&param.ty.value)
                        ),
                    )
                    .hint("an inline `A|B` is for fields of `types:`; name a one-of under `types:` (`one_of: [A, B]`) and use its name"),
                );
                // Reported: the later checks read it as free-form JSON, not as a second error.
                param.ty.value = "json".to_owned();
            }
        }
        op.params = crate::spec::Entries::new(params);
    }
    let types_declared: std::collections::BTreeSet<String> =
        spec.types.iter().map(|(k, _)| k.value.clone()).collect();
    let enums_declared: std::collections::BTreeSet<String> =
        spec.enums.iter().map(|(k, _)| k.value.clone()).collect();
    let mut new_types: Vec<(Spanned<String>, ObjectType)> = Vec::new();
    let mut taken: std::collections::BTreeMap<String, u64> = Default::default();
    let mut types = std::mem::take(&mut spec.types).into_vec();
    for (owner, ty) in &mut types {
        let owner = owner.value.as_str();
        let mut fields = std::mem::take(&mut ty.fields).into_vec();
        for (key, field) in &mut fields {
            let Some((wrappers, core)) = split(&field.ty.value) else {
                continue;
            };
            let Some(parts) = alternatives(core) else {
                continue;
            };
            let Some(name) = inline_name(owner, &key.value) else {
                continue;
            };
            let clash = if let Some(line) = taken.get(&name) {
                Some(format!("the name of the inline one-of of line {line}"))
            } else if types_declared.contains(&name) {
                Some("a type of `types:`".to_owned())
            } else if enums_declared.contains(&name) {
                Some("an enum".to_owned())
            } else {
                None
            };
            if let Some(what) = clash {
                diags.push(
                    Diagnostic::error(
                        "S098",
                        Place::of(file, &field.ty),
                        format!(
                            "the inline one-of of `{owner}.{}` would be named `{name}`, which is already {what}",
                            key.value
                        ),
                    )
                    .hint(format!("name the one-of yourself under `types:` (`one_of: [{}]`) and give the field that name", parts.join(", "))),
                );
                // Reported: the later checks read it as free-form JSON, not as a second error.
                field.ty.value = "json".to_owned();
                continue;
            }
            let at = |value: String| Spanned {
                value,
                referenced: field.ty.referenced,
                defined: field.ty.defined,
            };
            let one_of = ObjectType {
                doc: Some(Text::Plain(format!(
                    "The one-of of `{owner}.{}`: {}.",
                    key.value,
                    parts
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ))),
                type_tag: None,
                one_of: Some(Spanned {
                    value: parts.iter().map(|p| at((*p).to_owned())).collect(),
                    referenced: field.ty.referenced,
                    defined: field.ty.defined,
                }),
                discriminator: None,
                fields: Default::default(),
                source: None,
                unverified: None,
            };
            let mut text = wrappers.concat();
            text.push_str(&name);
            text.push_str(&">".repeat(wrappers.len()));
            taken.insert(name.clone(), field.ty.referenced.line());
            new_types.push((at(name), one_of));
            field.ty.value = text;
        }
        ty.fields = crate::spec::Entries::new(fields);
    }
    types.extend(new_types);
    spec.types = crate::spec::Entries::new(types);
    diags
}
