//! One-ofs and expandable fields: the types a `one_of` lists and the tags that tell them
//! apart (S075–S078, S094, S095), the alternatives of a `response: A|B` (S025, S076, S077),
//! and what `expandable<…>` may hold (S079).

use std::collections::BTreeMap;

use super::{Checker, TypeExpr};
use crate::diagnostics::Diagnostic;
use crate::spec::{ObjectType, Spanned};

/// The discriminator field of the API: `api.discriminator`, `_type` by default.
pub fn api_discriminator(spec: &crate::spec::SpecFile) -> &str {
    spec.api
        .discriminator
        .as_ref()
        .map_or("_type", |d| d.value.as_str())
}

/// The discriminator of a one-of type: its own, or the API's.
pub fn discriminator_of<'a>(spec: &'a crate::spec::SpecFile, ty: &'a ObjectType) -> &'a str {
    ty.discriminator
        .as_ref()
        .map_or_else(|| api_discriminator(spec), |d| d.value.as_str())
}

impl Checker<'_> {
    /// S075–S078, S094 and S095 on every named one-of, and the discriminators themselves.
    pub(super) fn check_one_ofs(&mut self) {
        let spec = self.spec;
        if let Some(d) = &spec.api.discriminator {
            self.check_discriminator_name(d);
        }
        // Which discriminator each tagged type is read with, and where that was decided: a
        // type in two one-ofs with different discriminators could not check its tag.
        let mut read_with: BTreeMap<&str, (&str, &Spanned<String>)> = BTreeMap::new();
        for (name, ty) in spec.types.iter() {
            let Some(one_of) = &ty.one_of else {
                if let Some(d) = &ty.discriminator {
                    let place = self.at(d);
                    self.diags.push(
                        Diagnostic::error("S094", place, format!("`{}` has a `discriminator` but no `one_of`", name.value))
                            .hint("a discriminator says how the alternatives of a `one_of` are told apart; remove it, or list the alternatives"),
                    );
                }
                continue;
            };
            if let Some(d) = &ty.discriminator {
                self.check_discriminator_name(d);
            }
            if !ty.fields.is_empty() || ty.type_tag.is_some() {
                let place = self.at(name);
                self.diags.push(
                    Diagnostic::error("S094", place, format!("one-of `{}` also has `fields` or a `type_tag`", name.value))
                        .hint("a one-of is only its alternatives: put the fields and the tag on each alternative's type"),
                );
            }
            if one_of.value.is_empty() {
                let place = self.at(one_of);
                self.diags.push(
                    Diagnostic::error(
                        "S094",
                        place,
                        format!("one-of `{}` lists no type", name.value),
                    )
                    .hint("list the object types it may be, e.g. `one_of: [Card, SepaDebit]`"),
                );
            }
            let discriminator = discriminator_of(spec, ty);
            self.check_alternatives(&one_of.value, discriminator, "one-of");
            let decided = ty.discriminator.as_ref().unwrap_or(name);
            for part in &one_of.value {
                let Some(alt) = spec.types.get(&part.value) else {
                    continue;
                };
                if alt.type_tag.is_none() {
                    continue;
                }
                match read_with.get(part.value.as_str()) {
                    Some((other, first)) if *other != discriminator => {
                        let place = self.at(part);
                        let line = first.referenced.line();
                        self.diags.push(
                            Diagnostic::error(
                                "S095",
                                place,
                                format!(
                                    "`{}` is told apart by `{discriminator}` here and by `{other}` in the one-of of line {line}",
                                    part.value
                                ),
                            )
                            .hint("a type carries its tag in one field: give both one-ofs the same `discriminator`"),
                        );
                    }
                    Some(_) => {}
                    None => {
                        read_with.insert(&part.value, (discriminator, decided));
                    }
                }
            }
        }
        // `response: A|B` reads the API's discriminator.
        let api = api_discriminator(spec);
        for (_, op) in spec.operations.iter() {
            if !op.response.value.contains('|') {
                continue;
            }
            for part in op.response.value.split('|').map(str::trim) {
                if let Some((other, first)) = read_with.get(part) {
                    if *other != api {
                        let place = self.at(&op.response);
                        let line = first.referenced.line();
                        self.diags.push(
                            Diagnostic::error(
                                "S095",
                                place,
                                format!("`{part}` is told apart by `{api}` here and by `{other}` in the one-of of line {line}"),
                            )
                            .hint("name a one-of type with the same `discriminator` and answer it instead of `A|B`"),
                        );
                    }
                }
            }
        }
    }

    /// S076, S077 and S078 on the alternatives of a `response: A|B` (S025 and unknown names
    /// are reported by the operation's check).
    pub(super) fn check_response_one_of(&mut self, response: &Spanned<String>) {
        let parts: Vec<Spanned<String>> = response
            .value
            .split('|')
            .map(|part| Spanned {
                value: part.trim().to_owned(),
                referenced: response.referenced,
                defined: response.defined,
            })
            .collect();
        let discriminator = api_discriminator(self.spec);
        self.check_alternatives_known(&parts, discriminator);
    }

    fn check_alternatives(&mut self, parts: &[Spanned<String>], discriminator: &str, what: &str) {
        for part in parts {
            match self.spec.types.get(&part.value) {
                Some(ty) if ty.one_of.is_none() && ty.type_tag.is_none() => {
                    let place = self.at(part);
                    self.diags.push(
                        Diagnostic::error("S075", place, format!("`{}` in a {what} has no `type_tag`", part.value))
                            .hint(format!("the alternatives are told apart by the `{discriminator}` each carries: give `{}` its `type_tag`", part.value)),
                    );
                }
                Some(_) => {}
                None if self.spec.enums.get(&part.value).is_some() => {}
                None => self.unknown_name(part, "type"),
            }
        }
        self.check_alternatives_known(parts, discriminator);
    }

    /// S077 (an alternative that is no object type), S076 (a tag twice), S078 (a variant
    /// declaring the discriminator with a type other than `string`).
    fn check_alternatives_known(&mut self, parts: &[Spanned<String>], discriminator: &str) {
        let mut tags: BTreeMap<&str, &str> = BTreeMap::new();
        let mut listed: BTreeMap<&str, ()> = BTreeMap::new();
        for part in parts {
            let spec = self.spec;
            if self.spec.enums.get(&part.value).is_some() {
                let place = self.at(part);
                self.diags.push(
                    Diagnostic::error(
                        "S077",
                        place,
                        format!("`{}` is an enum, not an object type", part.value),
                    )
                    .hint("a one-of's alternatives are object types, each with its `type_tag`"),
                );
                continue;
            }
            let Some(ty) = spec.types.get(&part.value) else {
                continue;
            };
            if ty.one_of.is_some() {
                let place = self.at(part);
                self.diags.push(
                    Diagnostic::error("S077", place, format!("`{}` is a one-of itself", part.value))
                        .hint("list its alternatives here instead: a one-of's alternatives are object types"),
                );
                continue;
            }
            if listed.insert(&part.value, ()).is_some() {
                let place = self.at(part);
                self.diags.push(
                    Diagnostic::error("S076", place, format!("`{}` is listed twice", part.value))
                        .hint("list each alternative once"),
                );
                continue;
            }
            if let Some(tag) = &ty.type_tag {
                if let Some(first) = tags.insert(tag, &part.value) {
                    let place = self.at(part);
                    self.diags.push(
                        Diagnostic::error(
                            "S076",
                            place,
                            format!("`{}` and `{first}` have the same `type_tag` `{tag}`", part.value),
                        )
                        .hint("each alternative needs a tag of its own, or the answer cannot say which it is"),
                    );
                }
            }
            let declared = ty.fields.iter().find(|(key, _)| {
                matches!(crate::paths::segments(&key.value).as_deref(), Ok([only]) if only.name == discriminator && !only.list)
            });
            if let Some((_, field)) = declared {
                if field.ty.value.trim() != "string" {
                    let place = self.at(&field.ty);
                    self.diags.push(
                        Diagnostic::error(
                            "S078",
                            place,
                            format!(
                                "`{}` declares the discriminator `{discriminator}` as `{}`",
                                part.value,
                                crate::limits::excerpt(&field.ty.value)
                            ),
                        )
                        .hint("the tag is text: declare the field as `string`, or remove it (the tag stays in the JSON)"),
                    );
                }
            }
        }
    }

    /// S078: a discriminator must be a field name.
    fn check_discriminator_name(&mut self, d: &Spanned<String>) {
        let ok = !d.value.is_empty() && !d.value.contains(['.', '[', '"']);
        if !ok {
            let place = self.at(d);
            self.diags.push(
                Diagnostic::error(
                    "S078",
                    place,
                    format!(
                        "discriminator `{}` is not a field name",
                        crate::limits::excerpt(&d.value)
                    ),
                )
                .hint("name the top-level field of the object holding its tag, e.g. `_type` or `object`"),
            );
        }
    }

    /// S079: `expandable<T>` holds an object type, directly. Returns whether `expr` passes.
    pub(super) fn check_expandable(&mut self, ty: &Spanned<String>, expr: &TypeExpr) -> bool {
        let mut inner = Some(expr);
        while let Some(e) = inner {
            inner = match e {
                TypeExpr::List(i) | TypeExpr::Map(i) => Some(i),
                TypeExpr::Expandable(i) => {
                    let object = match i.as_ref() {
                        TypeExpr::Named(n) => match self.spec.types.get(n) {
                            Some(t) => Some(t.one_of.is_none()),
                            None => self.spec.enums.get(n).map(|_| false),
                        },
                        _ => Some(false),
                    };
                    if object == Some(false) {
                        let place = self.at(ty);
                        self.diags.push(
                            Diagnostic::error(
                                "S079",
                                place,
                                format!(
                                    "in `{}`, `expandable<…>` does not hold an object type",
                                    crate::limits::excerpt(&ty.value)
                                ),
                            )
                            .hint("write `expandable<T>` with `T` a type of `types:` with `fields` (the object, or its id)"),
                        );
                        return false;
                    }
                    None
                }
                _ => None,
            };
        }
        true
    }
}
