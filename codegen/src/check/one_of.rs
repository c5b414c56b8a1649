//! One-ofs and expandable fields: the types a `one_of` lists and the tags that tell them
//! apart (S075–S078, S094, S095), the alternatives of a `response: A|B` (S025, S076, S077),
//! one-ofs listed in one-ofs (flattened when read by the same field, `flattened`, S104;
//! selected by their own `type_tag` otherwise, S075), and what `expandable<…>` may hold (S079).

use std::collections::BTreeMap;

use super::{Checker, TypeExpr};
use crate::diagnostics::{Diagnostic, Place};
use crate::spec::{ObjectType, Spanned, SpecFile};

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

/// The alternatives of a one-of listing `parts` and read by `discriminator`, with each
/// alternative that is itself a one-of read by the same discriminator replaced by its own
/// alternatives, at any depth (a one-of read by another discriminator stays one
/// alternative: its `type_tag` selects it, then it reads its own field). Each name comes
/// once; a one-of met again (a cycle) is skipped, S104 reports it.
pub fn flattened<'a>(spec: &'a SpecFile, parts: &[&'a str], discriminator: &str) -> Vec<&'a str> {
    let mut out: Vec<&'a str> = Vec::new();
    let mut seen: BTreeMap<&'a str, ()> = BTreeMap::new();
    // Depth-first, in order, without recursion: a stack of the parts still to visit.
    let mut stack: Vec<&'a str> = parts.iter().rev().copied().collect();
    while let Some(part) = stack.pop() {
        match spec.types.get(part) {
            Some(ty) if ty.one_of.is_some() && discriminator_of(spec, ty) == discriminator => {
                if seen.insert(part, ()).is_some() {
                    continue;
                }
                if let Some(inner) = &ty.one_of {
                    stack.extend(inner.value.iter().rev().map(|p| p.value.as_str()));
                }
            }
            _ => out.push(part),
        }
    }
    out
}

/// The one-ofs a one-of flattens into itself (same discriminator), at any depth; and whether
/// it comes back to itself (a cycle, S104).
fn nested_same<'a>(spec: &'a SpecFile, name: &'a str) -> (Vec<&'a str>, bool) {
    let Some(ty) = spec.types.get(name) else {
        return (Vec::new(), false);
    };
    let discriminator = discriminator_of(spec, ty);
    let mut seen: Vec<&'a str> = Vec::new();
    let mut cycle = false;
    let mut stack: Vec<&'a str> = ty
        .one_of
        .iter()
        .flat_map(|o| o.value.iter())
        .map(|p| p.value.as_str())
        .collect();
    while let Some(part) = stack.pop() {
        let Some(inner) = spec.types.get(part) else {
            continue;
        };
        let Some(alts) = &inner.one_of else { continue };
        if discriminator_of(spec, inner) != discriminator {
            continue;
        }
        if part == name {
            cycle = true;
            continue;
        }
        if seen.contains(&part) {
            continue;
        }
        seen.push(part);
        stack.extend(alts.value.iter().map(|p| p.value.as_str()));
    }
    (seen, cycle)
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
            if !ty.fields.is_empty() {
                let place = self.at(name);
                self.diags.push(
                    Diagnostic::error("S094", place, format!("one-of `{}` also has `fields`", name.value))
                        .hint("a one-of is only its alternatives: put the fields on each alternative's type"),
                );
            }
            let cyclic = nested_same(spec, &name.value).1;
            if cyclic {
                let place = self.at(one_of);
                self.diags.push(
                    Diagnostic::error("S104", place, format!("one-of `{}` contains itself through one-ofs read by the same discriminator", name.value))
                        .hint("a one-of listed in a one-of with the same discriminator adds its alternatives to it: break the cycle"),
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
            let before = self.diags.len();
            self.check_alternatives(&one_of.value, discriminator, "one-of");
            if cyclic {
                // The cycle (S104 above) brings the one-of's own alternatives in twice: that
                // is its consequence, not a second mistake.
                let mut at = before;
                while at < self.diags.len() {
                    if self.diags[at].code == "S076"
                        && self.diags[at].message.ends_with("is listed twice")
                    {
                        self.diags.remove(at);
                    } else {
                        at += 1;
                    }
                }
            }
            let decided = ty.discriminator.as_ref().unwrap_or(name);
            let names: Vec<&str> = one_of.value.iter().map(|p| p.value.as_str()).collect();
            let leaves = flattened(spec, &names, discriminator);
            for part in one_of
                .value
                .iter()
                .flat_map(|part| {
                    let own = flattened(spec, &[part.value.as_str()], discriminator);
                    own.into_iter()
                        .filter(|leaf| leaves.contains(leaf))
                        .map(move |leaf| Spanned {
                            value: leaf.to_owned(),
                            referenced: part.referenced,
                            defined: part.defined,
                        })
                })
                .collect::<Vec<_>>()
                .iter()
            {
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
                        let Some((key, _)) = spec.types.iter().find(|(k, _)| k.value == part.value)
                        else {
                            continue;
                        };
                        read_with.insert(&key.value, (discriminator, decided));
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
                Some(ty) if ty.one_of.is_some() => {}
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
        self.check_nested(parts, discriminator);
        let spec = self.spec;
        // The alternatives once the one-ofs read by the same discriminator are flattened,
        // each located on the part of this list that brings it in.
        let mut leaves: Vec<Spanned<String>> = Vec::new();
        for part in parts {
            for leaf in flattened(spec, &[part.value.as_str()], discriminator) {
                leaves.push(Spanned {
                    value: leaf.to_owned(),
                    referenced: part.referenced,
                    defined: part.defined,
                });
            }
        }
        let mut tags: BTreeMap<&str, String> = BTreeMap::new();
        let mut listed: BTreeMap<String, Place> = BTreeMap::new();
        for part in &leaves {
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
            let place = self.at(part);
            if let Some(first) = listed.get(&part.value).cloned() {
                self.diags.push(
                    Diagnostic::error("S076", place, format!("`{}` is listed twice", part.value))
                        .hint("list each alternative once")
                        .related(first, "listed first here"),
                );
                continue;
            }
            listed.insert(part.value.clone(), place);
            if let Some(tag) = &ty.type_tag {
                if let Some(first) = tags.insert(tag, part.value.clone()) {
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

    /// S104 and S075 on the alternatives that are one-ofs: one read by `discriminator` too is
    /// flattened into the list and carries no tag of its own (S104); one read by another field
    /// is selected by its `type_tag` in `discriminator` (S075 without one).
    fn check_nested(&mut self, parts: &[Spanned<String>], discriminator: &str) {
        let spec = self.spec;
        for part in parts {
            let Some(ty) = spec.types.get(&part.value) else {
                continue;
            };
            if ty.one_of.is_none() {
                continue;
            }
            let own = discriminator_of(spec, ty);
            match (&ty.type_tag, own == discriminator) {
                (Some(tag), true) => {
                    let place = self.at(part);
                    self.diags.push(
                        Diagnostic::error(
                            "S104",
                            place,
                            format!(
                                "one-of `{}` has the `type_tag` `{}` but is read by `{discriminator}` like the one-of listing it",
                                part.value,
                                crate::limits::excerpt(tag)
                            ),
                        )
                        .hint("a one-of read by the same field is flattened: its alternatives' tags are in that field, so remove its `type_tag`"),
                    );
                }
                (None, false) => {
                    let place = self.at(part);
                    self.diags.push(
                        Diagnostic::error(
                            "S075",
                            place,
                            format!(
                                "one-of `{}` (read by `{own}`) in a one-of read by `{discriminator}` has no `type_tag`",
                                part.value
                            ),
                        )
                        .hint(format!("give `{}` the `type_tag` its objects carry in `{discriminator}`, or give both one-ofs the same discriminator to flatten it", part.value)),
                    );
                }
                _ => {}
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
