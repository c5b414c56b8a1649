//! Values written in a spec, checked against the types and constraints the generated code
//! holds them to: examples (S018) become rustdoc examples that run as doctests and call
//! `validate()`, and presets (S024) become request methods. One-of values (S105) and
//! expandable values (S106) have codes of their own. Each problem points at the value.

use super::{Checker, TypeExpr};
use crate::diagnostics::{Diagnostic, Place, did_you_mean};
use crate::spec::{Entries, Example, Json, Operation, Param, Spanned, SpecFile};

/// What a walk accepts besides the declared fields, types and constraints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// An example request: every parameter as the call sends it.
    Request,
    /// An example answer: objects of named types may carry their `_type` tag.
    Response,
    /// A preset: the emitted method builds plain values, so no `null` (but in `json`), and
    /// objects of named types only by their top-level fields.
    Preset,
}

/// Whose fields an object holds.
#[derive(Debug, Clone, Copy)]
enum Owner<'a> {
    /// The operation's parameters: `nullable` says whether `null` is allowed.
    Operation,
    /// A named type: every field is optional, so `null` reads as absent.
    Type(&'a str),
}

/// A problem found in a value: where, what, and how to fix it.
struct Problem {
    place: Place,
    message: String,
    hint: &'static str,
    /// A code of its own (S105, S106), instead of the walk's (S018, S024).
    code: Option<&'static str>,
}

const TYPE_HINT: &str = "write the value as the JSON the parameter takes; quote strings that look like numbers or booleans";
const RULE_HINT: &str =
    "the generated code checks constraints with `validate()`: use a value they allow";
const KEY_HINT: &str = "use the names of the declared parameters or fields";
const ONE_OF_HINT: &str = "write a one-of value as the object of one alternative, with the tag it carries (`{object: card, …}`) and that alternative's fields";
const EXPANDABLE_HINT: &str =
    "write an expandable value as the id (a string) or as the object with its fields";

/// One walk over a value, collecting problems.
struct Walk<'a> {
    spec: &'a SpecFile,
    file: &'a str,
    mode: Mode,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    /// S018: each example request (and typed answer) uses the operation's parameters (the
    /// type's fields) with values of their types that pass their constraints.
    pub(super) fn check_examples(&mut self, id: &Spanned<String>, op: &Operation) {
        for example in &op.examples {
            let request = self.walk(Mode::Request, |walk| walk.request(op, &example.request));
            self.report(request, "S018", |problem| {
                format!(
                    "example of `{}` does not match its parameters: {problem}",
                    id.value
                )
            });
            let response = self.walk(Mode::Response, |walk| walk.response(op, example));
            self.report(response, "S018", |problem| {
                format!(
                    "example response of `{}` does not match `{}`: {problem}",
                    id.value, op.response.value
                )
            });
        }
    }

    /// S024: each preset sets top-level parameters to values of their types that pass their
    /// constraints.
    pub(super) fn check_presets(&mut self, id: &Spanned<String>, op: &Operation) {
        for (name, preset) in op.presets.iter() {
            let problems = self.walk(Mode::Preset, |walk| {
                walk.object(&op.params, "", "", preset.set.as_slice(), Owner::Operation);
            });
            self.report(problems, "S024", |problem| {
                format!("preset `{}` of `{}`: {problem}", name.value, id.value)
            });
        }
    }

    fn walk(&self, mode: Mode, run: impl FnOnce(&mut Walk<'_>)) -> Vec<Problem> {
        let mut walk = Walk {
            spec: self.spec,
            file: self.file,
            mode,
            problems: Vec::new(),
        };
        run(&mut walk);
        walk.problems
    }

    fn report(
        &mut self,
        problems: Vec<Problem>,
        code: &'static str,
        message: impl Fn(&str) -> String,
    ) {
        for p in problems {
            let code = p.code.unwrap_or(code);
            self.diags
                .push(Diagnostic::error(code, p.place, message(&p.message)).hint(p.hint));
        }
    }
}

impl Walk<'_> {
    fn problem<T>(&mut self, at: &Spanned<T>, message: String, hint: &'static str) {
        self.problems.push(Problem {
            place: Place::of(self.file, at),
            message,
            hint,
            code: None,
        });
    }

    /// A problem with a code of its own.
    fn coded<T>(
        &mut self,
        code: &'static str,
        at: &Spanned<T>,
        message: String,
        hint: &'static str,
    ) {
        self.problems.push(Problem {
            place: Place::of(self.file, at),
            message,
            hint,
            code: Some(code),
        });
    }

    /// The object type a one-of value is: the alternative its tag names, following the tags
    /// of nested one-ofs (a flattened one adds its alternatives; one read by another field is
    /// selected by its own tag, then reads its field), with the tag fields read on the way.
    /// `Err` says why no alternative is found (no tag, a tag naming none).
    fn one_of_alternative(
        &self,
        one_of: &str,
        value: &Json,
    ) -> Result<(String, Vec<String>), String> {
        let spec = self.spec;
        let mut current = one_of.to_owned();
        let mut fields: Vec<String> = Vec::new();
        // Each step enters another one-of: a cycle of tags ends after every type is seen.
        for _ in 0..=spec.types.len() {
            let Some(ty) = spec.types.get(&current) else {
                break;
            };
            let Some(alternatives) = &ty.one_of else {
                return Ok((current, fields));
            };
            let discriminator = super::one_of::discriminator_of(spec, ty);
            fields.push(discriminator.to_owned());
            let names: Vec<&str> = alternatives
                .value
                .iter()
                .map(|p| p.value.as_str())
                .collect();
            let leaves = super::one_of::flattened(spec, &names, discriminator);
            let tags: Vec<String> = leaves
                .iter()
                .filter_map(|l| spec.types.get(l)?.type_tag.as_deref())
                .map(|t| format!("`{t}`"))
                .collect();
            let Some(Json::String(tag)) = value.get(discriminator).map(|t| &t.value) else {
                return Err(format!(
                    "a `{current}` is told apart by its tag in `{discriminator}` ({}), which this value lacks",
                    tags.join(", ")
                ));
            };
            let Some(found) = leaves.iter().copied().find(|l| {
                spec.types
                    .get(l)
                    .is_some_and(|t| t.type_tag.as_deref() == Some(tag.as_str()))
            }) else {
                return Err(format!(
                    "the tag `{}` names no alternative of `{current}` ({})",
                    crate::limits::excerpt(tag),
                    tags.join(", ")
                ));
            };
            current = found.to_owned();
        }
        Err(format!(
            "the one-ofs of `{one_of}` select each other in a cycle"
        ))
    }

    /// A one-of value (`Mode::Request` and `Mode::Preset`): an object carrying its tag, whose
    /// fields check against the alternative the tag names (S105 when there is none).
    fn one_of_value(&mut self, name: &str, value: &Spanned<Json>, shown: &str) -> bool {
        let Json::Object(entries) = &value.value else {
            self.coded(
                "S105",
                value,
                format!(
                    "`{shown}` is a one-of `{name}`: it should be a mapping with its tag, found {}",
                    describe(&value.value)
                ),
                ONE_OF_HINT,
            );
            return false;
        };
        let (found, tag_fields) = match self.one_of_alternative(name, &value.value) {
            Ok(found) => found,
            Err(why) => {
                self.coded("S105", value, format!("`{shown}`: {why}"), ONE_OF_HINT);
                return false;
            }
        };
        let spec = self.spec;
        let Some(alt) = spec.types.get(&found) else {
            return false;
        };
        // The tags are not fields of the alternative, unless it declares them.
        let own: Vec<(Spanned<String>, Spanned<Json>)> = entries
            .iter()
            .filter(|(k, _)| {
                !tag_fields.contains(&k.value)
                    || alt.fields.get(&crate::paths::quote(&k.value)).is_some()
            })
            .cloned()
            .collect();
        self.object(
            &alt.fields,
            "",
            &format!("{shown}."),
            &own,
            Owner::Type(&found),
        );
        for (key, field) in alt.fields.iter() {
            let top = !key.value.contains(['.', '[']);
            if top
                && field.required.as_ref().is_some_and(|r| r.value)
                && !has(&value.value, &key.value)
            {
                self.coded(
                    "S105",
                    value,
                    format!(
                        "`{shown}` is a `{found}`, whose required field `{}` is missing",
                        key.value
                    ),
                    ONE_OF_HINT,
                );
            }
        }
        true
    }

    fn request(&mut self, op: &Operation, request: &Spanned<Json>) {
        let Json::Object(entries) = &request.value else {
            self.problem(
                request,
                "the request is not a mapping".to_owned(),
                "write the request as the JSON object the call sends",
            );
            return;
        };
        self.object(&op.params, "", "", entries, Owner::Operation);
        for (key, param) in op.params.iter() {
            if param.required.as_ref().is_some_and(|r| r.value) && !has(&request.value, &key.value)
            {
                self.problem(
                    request,
                    format!("required parameter `{}` is missing", key.value),
                    "give every required parameter a value",
                );
            }
        }
    }

    fn response(&mut self, op: &Operation, example: &Example) {
        let Some(response) = &example.response else {
            return;
        };
        let answer = &op.response.value;
        // A one-of answer is told apart by its discriminator; without a known tag there is no
        // type to check against.
        let name = if answer.contains('|') {
            let parts: Vec<&str> = answer.split('|').map(str::trim).collect();
            let discriminator = super::one_of::api_discriminator(self.spec);
            match self.alternative(&parts, discriminator, &response.value) {
                Some(part) => part,
                None => return,
            }
        } else {
            answer.as_str()
        };
        let Some(ty) = self.spec.types.get(name) else {
            return;
        };
        if ty.one_of.is_some() {
            let Ok((found, _)) = self.one_of_alternative(name, &response.value) else {
                return;
            };
            let spec = self.spec;
            let Some(ty) = spec.types.get(&found) else {
                return;
            };
            if let Json::Object(entries) = &response.value {
                self.object(&ty.fields, "", "", entries, Owner::Type(&found));
            }
            return;
        }
        match &response.value {
            Json::Object(entries) => self.object(&ty.fields, "", "", entries, Owner::Type(name)),
            other => self.problem(
                response,
                format!(
                    "the answer should be a `{name}` mapping, found {}",
                    describe(other)
                ),
                "write the answer as the JSON object the API sends",
            ),
        }
    }

    /// Whether `ty` is a named one-of or `expandable<…>`, which examples and presets of
    /// requests cannot write (the generated examples build values through constructors).
    fn is_one_of_or_expandable(&self, ty: &TypeExpr) -> bool {
        match ty {
            TypeExpr::Expandable(_) => true,
            TypeExpr::Named(name) => self
                .spec
                .types
                .get(name)
                .is_some_and(|t| t.one_of.is_some()),
            _ => false,
        }
    }

    /// The alternative of a one-of whose tag `value` carries in its `discriminator`.
    fn alternative<'p>(
        &self,
        parts: &[&'p str],
        discriminator: &str,
        value: &Json,
    ) -> Option<&'p str> {
        let Some(Json::String(tag)) = value.get(discriminator).map(|t| &t.value) else {
            return None;
        };
        parts.iter().copied().find(|part| {
            self.spec
                .types
                .get(part)
                .is_some_and(|t| t.type_tag.as_deref() == Some(tag.as_str()))
        })
    }

    /// The entries of an object at `prefix` among `fields` (keyed by dotted path); `shown` is
    /// the same path with list indexes, for messages.
    fn object(
        &mut self,
        fields: &Entries<Param>,
        prefix: &str,
        shown: &str,
        entries: &[(Spanned<String>, Spanned<Json>)],
        owner: Owner<'_>,
    ) {
        for (key, value) in entries {
            // A key holding `.` or `[` is one wire name, never a dotted path: its parameter is
            // written with the segment in quotes (spec/README.md, dotted paths).
            let path = format!("{prefix}{}", crate::paths::quote(&key.value));
            let here = format!("{shown}{}", key.value);
            // A quote cannot be part of a quoted segment: such a name cannot be addressed.
            let addressable = !key.value.contains('"');
            if let Some(param) = fields.get(&path).filter(|_| addressable) {
                self.param(param, value, &here, owner);
                continue;
            }
            let tag_field = || {
                key.value == "_type"
                    || key.value == super::one_of::api_discriminator(self.spec)
                    || self.spec.types.iter().any(|(_, t)| {
                        t.one_of.is_some()
                            && super::one_of::discriminator_of(self.spec, t) == key.value
                    })
            };
            if self.mode == Mode::Response && tag_field() {
                if let Owner::Type(_) = owner {
                    continue;
                }
            }
            let object_prefix = format!("{path}.");
            let list_prefix = format!("{path}[].");
            let nested = addressable
                && fields
                    .iter()
                    .any(|(k, _)| k.value.starts_with(&object_prefix));
            let listed = addressable
                && fields
                    .iter()
                    .any(|(k, _)| k.value.starts_with(&list_prefix));
            if self.mode == Mode::Preset && (nested || listed) {
                let message = match owner {
                    Owner::Operation => format!(
                        "`{here}` is an object of dotted parameters, which presets cannot build"
                    ),
                    Owner::Type(name) => {
                        format!("`{here}` is not a top-level field of `{name}`")
                    }
                };
                self.problem(key, message, "presets set top-level parameters and fields");
                continue;
            }
            match &value.value {
                Json::Object(inner) if nested => {
                    self.object(fields, &object_prefix, &format!("{here}."), inner, owner);
                }
                Json::Array(items) if listed => {
                    for (i, item) in items.iter().enumerate() {
                        match &item.value {
                            Json::Object(inner) => self.object(
                                fields,
                                &list_prefix,
                                &format!("{here}[{i}]."),
                                inner,
                                owner,
                            ),
                            other => self.problem(
                                item,
                                format!(
                                    "`{here}[{i}]` should be a mapping, found {}",
                                    describe(other)
                                ),
                                TYPE_HINT,
                            ),
                        }
                    }
                }
                Json::Null if matches!(owner, Owner::Type(_)) && (nested || listed) => {}
                other if nested || listed => {
                    let expected = if nested {
                        "a mapping"
                    } else {
                        "a list of mappings"
                    };
                    self.problem(
                        value,
                        format!("`{here}` should be {expected}, found {}", describe(other)),
                        TYPE_HINT,
                    );
                }
                _ => {
                    let (what, kind) = match owner {
                        Owner::Operation if self.mode == Mode::Preset => {
                            ("a top-level parameter", "parameter")
                        }
                        Owner::Operation => ("a parameter", "parameter"),
                        Owner::Type(_) => ("a field", "field"),
                    };
                    let message = match (owner, prefix.is_empty()) {
                        (Owner::Type(name), true) => format!("`{here}` is not a field of `{name}`"),
                        _ => format!("`{here}` is not {what}"),
                    };
                    let siblings = fields
                        .iter()
                        .filter_map(|(k, _)| k.value.strip_prefix(prefix))
                        .map(|k| k.split(['.', '[']).next().unwrap_or(k));
                    let hint = match self.mode {
                        Mode::Preset => "presets set top-level parameters by their wire name",
                        _ => KEY_HINT,
                    };
                    let message = match did_you_mean(&key.value, siblings) {
                        Some(best) => format!("{message} (did you mean the {kind} `{best}`?)"),
                        None => message,
                    };
                    self.problem(key, message, hint);
                }
            }
        }
    }

    /// A value given to a declared parameter or field.
    fn param(&mut self, param: &Param, value: &Spanned<Json>, shown: &str, owner: Owner<'_>) {
        // A malformed or unknown type is S003 already.
        let Ok(ty) = TypeExpr::parse(&param.ty.value) else {
            return;
        };
        if let Json::Null = value.value {
            let absent = match owner {
                Owner::Operation => param.nullable.as_ref().is_some_and(|n| n.value),
                Owner::Type(_) => true,
            };
            if !(absent && self.mode != Mode::Preset || self.holds_null(&ty)) {
                let why = match (self.mode, owner) {
                    (Mode::Preset, _) => "presets set values, not `null`",
                    (_, Owner::Operation) => {
                        "add `nullable: true` if the API gives `null` a meaning"
                    }
                    (_, Owner::Type(_)) => TYPE_HINT,
                };
                self.problem(value, format!("`{shown}` cannot be null"), why);
            }
            return;
        }
        // Integer fields of answers also decode from strings of digits (the runtime's
        // `lenient`), so an example answer may show them that way.
        let decoded;
        let value = match (&ty, &value.value) {
            (TypeExpr::Builtin(kind @ ("integer" | "amount" | "number")), Json::String(text))
                if self.mode == Mode::Response && matches!(owner, Owner::Type(_)) =>
            {
                let read = if *kind == "number" {
                    lenient_number(text)
                } else {
                    lenient_integer(text)
                };
                match read {
                    Some(n) => {
                        decoded = Spanned {
                            value: Json::Number(n),
                            referenced: value.referenced,
                            defined: value.defined,
                        };
                        &decoded
                    }
                    None => value,
                }
            }
            _ => value,
        };
        if self.fits(&ty, value, shown) {
            self.constraints(param, &ty, value, shown);
        }
    }

    /// Whether `null` is itself a value of `ty` (`json`, or an enum with a `null` value).
    fn holds_null(&self, ty: &TypeExpr) -> bool {
        match ty {
            TypeExpr::Builtin("json") => true,
            TypeExpr::Named(name) if self.mode != Mode::Preset => self
                .spec
                .enums
                .get(name)
                .is_some_and(|e| e.values.value.iter().any(|v| v.value.value.is_none())),
            _ => false,
        }
    }

    /// Whether `value` has type `ty`; a problem is recorded at the first value that has not.
    fn fits(&mut self, ty: &TypeExpr, value: &Spanned<Json>, shown: &str) -> bool {
        let fits = match (ty, &value.value) {
            (TypeExpr::Builtin("json"), _) => true,
            // The items of an answer's lists and maps keep their text form too (`Int`, `Num`).
            (TypeExpr::Builtin("integer"), Json::String(text)) if self.mode == Mode::Response => {
                lenient_integer(text).is_some_and(|n| n.as_i64().is_some())
            }
            (TypeExpr::Builtin("amount"), Json::String(text)) if self.mode == Mode::Response => {
                lenient_integer(text).is_some_and(|n| n.as_u64().is_some())
            }
            (TypeExpr::Builtin("number"), Json::String(text)) if self.mode == Mode::Response => {
                lenient_number(text).is_some()
            }
            (TypeExpr::Builtin("string"), Json::String(_)) => true,
            // The rules `Date::new` and `DateTime::new` apply.
            (TypeExpr::Builtin("date"), Json::String(text)) => {
                crate::rules::date_fields(text).is_some()
            }
            (TypeExpr::Builtin("date-time"), Json::String(text)) => {
                crate::rules::date_time_fields(text).is_some()
            }
            (TypeExpr::Builtin("integer"), Json::Number(n)) => n.as_i64().is_some(),
            (TypeExpr::Builtin("amount"), Json::Number(n)) => n.as_u64().is_some(),
            (TypeExpr::Builtin("number"), Json::Number(_)) => true,
            // The rule `Decimal::new` applies: what passes here is what the runtime accepts.
            (TypeExpr::Builtin("decimal"), Json::String(text)) => crate::rules::decimal_text(text),
            (TypeExpr::Builtin("boolean"), Json::Bool(_)) => true,
            (TypeExpr::List(inner), Json::Array(items)) => {
                let mut all = true;
                for (i, item) in items.iter().enumerate() {
                    all &= self.item(inner, item, &format!("{shown}[{i}]"));
                }
                return all;
            }
            (TypeExpr::Map(inner), Json::Object(entries)) => {
                let mut all = true;
                for (key, item) in entries {
                    all &= self.item(inner, item, &format!("{shown}.{}", key.value));
                }
                return all;
            }
            (TypeExpr::Named(name), _) if self.spec.enums.get(name).is_some() => {
                return self.enum_value(name, value, shown);
            }
            (TypeExpr::Named(name), _)
                if self.mode != Mode::Response && self.is_one_of_or_expandable(ty) =>
            {
                return self.one_of_value(name, value, shown);
            }
            (TypeExpr::Expandable(_), Json::String(_)) => true,
            (TypeExpr::Expandable(_), other) if !matches!(other, Json::Object(_)) => {
                self.coded(
                    "S106",
                    value,
                    format!(
                        "`{shown}` should be {}, found {}",
                        type_words(ty),
                        describe(other)
                    ),
                    EXPANDABLE_HINT,
                );
                return false;
            }
            (TypeExpr::Expandable(inner), Json::Object(_)) => {
                return self.fits(inner, value, shown);
            }
            (TypeExpr::Named(name), Json::Object(entries))
                if self
                    .spec
                    .types
                    .get(name)
                    .is_some_and(|t| t.one_of.is_some()) =>
            {
                // An answer: checked when its tag names an alternative (the tags are skipped
                // as in every answer object).
                if let Ok((found, _)) = self.one_of_alternative(name, &value.value) {
                    let spec = self.spec;
                    if let Some(alt) = spec.types.get(&found) {
                        self.object(
                            &alt.fields,
                            "",
                            &format!("{shown}."),
                            entries,
                            Owner::Type(&found),
                        );
                    }
                }
                return true;
            }
            (TypeExpr::Named(name), Json::Object(entries)) => {
                if let Some(t) = self.spec.types.get(name) {
                    self.object(
                        &t.fields,
                        "",
                        &format!("{shown}."),
                        entries,
                        Owner::Type(name),
                    );
                }
                return true;
            }
            _ => false,
        };
        if !fits {
            self.problem(
                value,
                format!(
                    "`{shown}` should be {}, found {}",
                    type_words(ty),
                    describe(&value.value)
                ),
                TYPE_HINT,
            );
        }
        fits
    }

    /// An item of a list or a map: `null` only where the item type holds it.
    fn item(&mut self, ty: &TypeExpr, item: &Spanned<Json>, shown: &str) -> bool {
        if let Json::Null = item.value {
            if self.holds_null(ty) {
                return true;
            }
            self.problem(item, format!("`{shown}` cannot be null"), TYPE_HINT);
            return false;
        }
        self.fits(ty, item, shown)
    }

    fn enum_value(&mut self, name: &str, value: &Spanned<Json>, shown: &str) -> bool {
        let Some(e) = self.spec.enums.get(name) else {
            return false;
        };
        let wires = || {
            e.values
                .value
                .iter()
                .filter_map(|v| v.value.value.as_deref())
        };
        match &value.value {
            Json::String(wire) if wires().any(|w| w == wire) => true,
            Json::String(wire) => {
                // Even in an open enum: the example shows a documented value, and the emitted
                // code names its variant.
                let hint = "use one of the enum's values, or add this one to the enum";
                let best = did_you_mean(wire, wires())
                    .map(|b| format!(" (did you mean `{b}`?)"))
                    .unwrap_or_default();
                self.problem(
                    value,
                    format!("`{shown}` is `{wire}`, which is not a value of `{name}`{best}"),
                    hint,
                );
                false
            }
            other => {
                self.problem(
                    value,
                    format!(
                        "`{shown}` should be a value of `{name}` (a string), found {}",
                        describe(other)
                    ),
                    TYPE_HINT,
                );
                false
            }
        }
    }

    /// The checks `validate()` makes (`codegen/runtime/src/validate.rs`, called as
    /// `emit::rust::value_checks` emits them), on a value of the right type.
    fn constraints(&mut self, param: &Param, ty: &TypeExpr, value: &Spanned<Json>, shown: &str) {
        let mut broken = Vec::new();
        let mut length = |len: usize, appended: bool| {
            let len = u64::try_from(len).unwrap_or(u64::MAX);
            if let Some(min) = param.min_length.as_ref().filter(|_| !appended) {
                if len < u64::from(min.value) {
                    broken.push(format!(
                        "must have a length of at least {}, found {len}",
                        min.value
                    ));
                }
            }
            if let Some(max) = &param.max_length {
                if len > u64::from(max.value) {
                    broken.push(format!(
                        "must have a length of at most {}, found {len}",
                        max.value
                    ));
                }
            }
        };
        match (ty, &value.value) {
            (TypeExpr::Builtin("integer" | "amount"), Json::Number(n)) => {
                let v = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
                if let Some(v) = v {
                    if let Some(min) = param.min.as_ref().filter(|m| v < i128::from(m.value)) {
                        broken.push(format!("must be at least {}, found {v}", min.value));
                    }
                    if let Some(max) = param.max.as_ref().filter(|m| v > i128::from(m.value)) {
                        broken.push(format!("must be at most {}, found {v}", max.value));
                    }
                }
            }
            (TypeExpr::Builtin("string" | "date" | "date-time"), Json::String(text)) => {
                length(text.chars().count(), false);
                if param.ascii.as_ref().is_some_and(|a| a.value) {
                    if let Some(c) = text.chars().find(|c| !c.is_ascii()) {
                        broken.push(format!("must contain only ASCII characters, found {c:?}"));
                    }
                }
                if let Some(pattern) = &param.pattern {
                    // A pattern that does not compile is S019 already.
                    let matches = crate::pattern_accepts(&pattern.value, text).unwrap_or(true);
                    if !matches {
                        broken.push(format!(
                            "must match the pattern `{}`, found {}",
                            pattern.value,
                            describe(&value.value)
                        ));
                    }
                }
            }
            // A preset appends its items to the list: only too many is certain to fail.
            (TypeExpr::List(_), Json::Array(items)) => {
                length(items.len(), self.mode == Mode::Preset)
            }
            (TypeExpr::Map(_), Json::Object(entries)) => length(entries.len(), false),
            _ => {}
        }
        if !broken.is_empty() {
            self.problem(
                value,
                format!("`{shown}` {}", broken.join(", and ")),
                RULE_HINT,
            );
        }
    }
}

/// Whether the request gives the dotted parameter `path` (a path through a list counts as
/// given: its items are optional).
fn has(request: &Json, path: &str) -> bool {
    let mut current = request;
    let Ok(segments) = crate::paths::segments(path) else {
        return true;
    };
    for segment in segments {
        if segment.list {
            return true;
        }
        match current.get(segment.name) {
            Some(next) => current = &next.value,
            None => return false,
        }
    }
    true
}

/// The number in a string of digits with an optional leading `-`, as the runtime's
/// `lenient::option_i64`/`option_u64` read it; `None` for anything else or beyond 64 bits.
/// A `number` an answer sends as a string, read as the runtime's `Num` reads it: a JSON
/// number's text with a finite value (`"19.60"`, `"-1.5e3"`).
fn lenient_number(text: &str) -> Option<serde_json::Number> {
    let plain = text.strip_prefix('-').unwrap_or(text);
    let starts = plain.starts_with(|c: char| c.is_ascii_digit());
    let ends = plain.ends_with(|c: char| c.is_ascii_digit());
    let chars = plain
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if !(starts && ends && chars) || plain.contains(".e") || plain.contains(".E") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    match value {
        serde_json::Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => Some(n),
        _ => None,
    }
}

fn lenient_integer(text: &str) -> Option<serde_json::Number> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i128 = text.parse().ok()?;
    match (i64::try_from(n), u64::try_from(n)) {
        (Ok(n), _) => Some(n.into()),
        (_, Ok(n)) => Some(n.into()),
        _ => None,
    }
}

/// How a type reads in a message.
fn type_words(ty: &TypeExpr) -> String {
    match ty {
        TypeExpr::Builtin("string") => "a string".into(),
        TypeExpr::Builtin("integer") => "an integer".into(),
        TypeExpr::Builtin("number") => "a number".into(),
        TypeExpr::Builtin("boolean") => "a boolean".into(),
        TypeExpr::Builtin("amount") => "an amount (a non-negative integer)".into(),
        TypeExpr::Builtin("decimal") => {
            "a decimal number as a string (`\"10.00\"`, `\"-5.5\"`)".into()
        }
        TypeExpr::Builtin("date") => "a date as a string written `YYYY-MM-DD`".into(),
        TypeExpr::Builtin("date-time") => {
            "an RFC 3339 date-time with its offset as a string (`\"2026-11-22T10:00:00+01:00\"`)"
                .into()
        }
        TypeExpr::Builtin(_) => "JSON".into(),
        TypeExpr::List(inner) => format!("a list of {}", type_words(inner)),
        TypeExpr::Map(inner) => format!("a mapping of {}", type_words(inner)),
        TypeExpr::Named(name) => format!("a `{name}` mapping"),
        TypeExpr::Expandable(inner) => format!("an id (a string) or {}", type_words(inner)),
    }
}

/// How a value reads in a message; long strings are cut.
fn describe(value: &Json) -> String {
    match value {
        Json::Null => "null".into(),
        Json::Bool(b) => format!("the boolean `{b}`"),
        Json::Number(n) if n.is_f64() => format!("the number `{n}`"),
        Json::Number(n) => format!("the integer `{n}`"),
        Json::String(s) if s.chars().count() > 40 => {
            let cut: String = s.chars().take(40).collect();
            format!("the string {:?}", format!("{cut}…"))
        }
        Json::String(s) => format!("the string {s:?}"),
        Json::Array(_) => "a list".into(),
        Json::Object(_) => "a mapping".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    /// An operation with constrained parameters, a typed answer and `extra` YAML under it
    /// (examples or presets, indented by four spaces).
    fn spec(extra: &str) -> String {
        format!(
            "{HEADER}operations:
  orders/create:
    summary: S.
    method: POST
    path: /orders
    retry: never
    response: Order
    params:
      amount: {{ type: amount, required: true, min: 1 }}
      reference: {{ type: string, max_length: 5, ascii: true, pattern: \"[A-Z0-9-]+\" }}
      status: {{ type: Status }}
      note: {{ type: string, nullable: true }}
      card.delay: {{ type: integer, max: 7 }}
      items[].sku: {{ type: string, min_length: 2 }}
      tags: {{ type: list<string>, max_length: 2 }}
      order: {{ type: Order }}
      price: {{ type: decimal }}
      day: {{ type: date }}
      at: {{ type: date-time }}
{extra}types:
  Order:
    fields:
      id: {{ type: string }}
      total: {{ type: amount, max: 100 }}
      lines[].quantity: {{ type: integer, min: 1 }}
enums:
  Status:
    values:
      - {{ value: OPEN }}
      - {{ value: CLOSED }}
"
        )
    }

    /// A spec whose one example has this request and answer (flow YAML).
    fn example(request: &str, response: &str) -> String {
        spec(&format!(
            "    examples:\n      - title: T.\n        request: {request}\n        response: {response}\n"
        ))
    }

    /// The 1-based line and column of the `nth` occurrence (from 0) of `needle` in the lines
    /// after the spec's `examples:` or `presets:`.
    fn at(text: &str, needle: &str) -> (u32, u32) {
        let start = text
            .find("    examples:")
            .or_else(|| text.find("    presets:"))
            .expect("a block");
        let offset = start + text[start..].find(needle).expect("the needle");
        let line = text[..offset].matches('\n').count() + 1;
        let column = text[..offset]
            .rfind('\n')
            .map_or(offset, |nl| offset - nl - 1)
            + 1;
        (line as u32, column as u32)
    }

    fn one(text: &str, code: &'static str, needle: &str) {
        let (line, column) = at(text, needle);
        assert_eq!(located(text), [(code, line, column)], "{text}");
    }

    #[test]
    fn a_good_example_passes() {
        let text = example(
            "{ amount: 1, reference: AB-1, status: OPEN, note: null, card: { delay: 7 }, items: [{ sku: ab }], tags: [a, b], order: { id: x, total: 100, lines: [{ quantity: 1 }] } }",
            "{ _type: V4/Order, id: \"1\", total: \"100\", lines: [{ quantity: \"2\" }] }",
        );
        assert_eq!(located(&text), [], "{text}");
    }

    /// Each value that breaks the spec is reported where it is written, so the rustdoc
    /// example built from it does not fail its `validate()` at doctest time.
    #[test]
    fn values_that_break_their_constraints_are_s018() {
        for (request, needle) in [
            ("{ amount: 0 }", "0 }"),
            ("{ amount: 1, reference: ABCDEF }", "ABCDEF"),
            ("{ amount: 1, reference: ab }", "ab }"),
            ("{ amount: 1, reference: É }", "É"),
            ("{ amount: 1, status: PENDING }", "PENDING"),
            ("{ amount: 1, card: { delay: 8 } }", "8 }"),
            ("{ amount: 1, items: [{ sku: a }] }", "a }"),
            ("{ amount: 1, tags: [a, b, c] }", "[a, b, c]"),
            ("{ amount: 1, order: { total: 101 } }", "101"),
            ("{ amount: 1, order: { lines: [{ quantity: 0 }] } }", "0 }"),
        ] {
            one(&example(request, "{}"), "S018", needle);
        }
    }

    #[test]
    fn values_of_the_wrong_type_are_s018() {
        for (request, needle) in [
            ("{ amount: \"12\" }", "\"12\""),
            ("{ amount: -1 }", "-1"),
            ("{ amount: 1.5 }", "1.5"),
            ("{ amount: 1, reference: 12 }", "12 }"),
            ("{ amount: 1, status: [OPEN] }", "[OPEN]"),
            ("{ amount: 1, card: 3 }", "3 }"),
            ("{ amount: 1, items: { sku: ab } }", "{ sku"),
            ("{ amount: 1, tags: [a, 3] }", "3]"),
            ("{ amount: 1, tags: [a, null] }", "null"),
            ("{ amount: null }", "null"),
            ("{ amount: 1, status: null }", "null"),
            ("{ amount: 1, order: { id: 4 } }", "4 }"),
        ] {
            one(&example(request, "{}"), "S018", needle);
        }
    }

    /// A `decimal` is written as a string the runtime's `Decimal::new` accepts.
    #[test]
    fn decimals_are_strings_of_a_decimal_number() {
        for good in ["\"10.00\"", "\"-5.5\"", "\"0\""] {
            let text = example(&format!("{{ amount: 1, price: {good} }}"), "{}");
            assert_eq!(located(&text), [], "{text}");
        }
        for (bad, needle) in [
            ("\"1e3\"", "\"1e3"),
            ("\"10.\"", "\"10."),
            ("\" 1\"", "\" 1"),
            ("\"+1\"", "\"+1"),
            ("10.5", "10.5"),
            ("10", "10 }"),
        ] {
            one(
                &example(&format!("{{ amount: 1, price: {bad} }}"), "{}"),
                "S018",
                needle,
            );
        }
    }

    /// A `date` or `date-time` is written as a string the runtime's `Date::new` or
    /// `DateTime::new` accepts, in requests and answers alike.
    #[test]
    fn dates_are_strings_the_runtime_reads() {
        for good in [
            "day: \"2026-11-22\"",
            "day: \"2024-02-29\"",
            "at: \"2026-11-22T10:00:00+01:00\"",
            "at: \"2021-06-08T12:25:01.4698658Z\"",
        ] {
            let text = example(&format!("{{ amount: 1, {good} }}"), "{}");
            assert_eq!(located(&text), [], "{text}");
        }
        for (bad, needle) in [
            ("day: \"2026-02-29\"", "\"2026-02-29"),
            ("day: \"22/11/2026\"", "\"22/11"),
            ("day: \"2026-11-22T10:00:00Z\"", "\"2026-11-22T"),
            ("at: \"2026-11-22T10:00:00\"", "\"2026-11-22T"),
            ("at: \"2026-11-22\"", "\"2026-11-22\""),
            ("at: 1795338000", "1795338000"),
        ] {
            let text = example(&format!("{{ amount: 1, {bad} }}"), "{}");
            one(&text, "S018", needle);
            let d = diagnostics(&text);
            assert!(
                d[0].message.contains("`YYYY-MM-DD`") || d[0].message.contains("RFC 3339"),
                "{}",
                d[0].message
            );
        }
    }

    #[test]
    fn unknown_and_missing_parameters_are_s018() {
        let text = example("{ amount: 1, amont: 2 }", "{}");
        one(&text, "S018", "amont");
        let d = diagnostics(&text);
        assert!(
            d[0].message
                .contains("did you mean the parameter `amount`?"),
            "{}",
            d[0].message
        );
        one(
            &example("{ amount: 1, card: { dlay: 1 } }", "{}"),
            "S018",
            "dlay",
        );
        // A literal dotted key is one wire name, not the path `card.delay`.
        one(
            &example("{ amount: 1, \"card.delay\": 1 }", "{}"),
            "S018",
            "\"card.delay\"",
        );
        one(&example("{ reference: A }", "{}"), "S018", "{ reference");
        one(&example("[1]", "{}"), "S018", "[1]");
    }

    #[test]
    fn answers_are_checked_against_their_type() {
        for (response, needle) in [
            ("{ id: 3 }", "3 }"),
            ("{ total: 101 }", "101"),
            ("{ total: \"1e3\" }", "\"1e3\""),
            ("{ totl: 1 }", "totl"),
            ("{ lines: [{ quantity: 0 }] }", "0 }"),
            ("[]", "[]"),
        ] {
            one(&example("{ amount: 1 }", response), "S018", needle);
        }
    }

    #[test]
    fn messages_say_what_the_value_breaks() {
        let d = diagnostics(&example("{ amount: 0 }", "{}"));
        assert_eq!(
            d[0].message,
            "example of `orders/create` does not match its parameters: `amount` must be at least 1, found 0"
        );
        let d = diagnostics(&example(
            "{ amount: 1, order: { lines: [{ quantity: 0 }] } }",
            "{}",
        ));
        assert_eq!(
            d[0].message,
            "example of `orders/create` does not match its parameters: `order.lines[0].quantity` must be at least 1, found 0"
        );
        let d = diagnostics(&example("{ amount: 1, status: OPN }", "{}"));
        assert_eq!(
            d[0].message,
            "example of `orders/create` does not match its parameters: `status` is `OPN`, which is not a value of `Status` (did you mean `OPEN`?)"
        );
    }

    fn preset(set: &str) -> String {
        spec(&format!(
            "    presets:\n      big: {{ doc: D., set: {set} }}\n"
        ))
    }

    #[test]
    fn presets_fit_types_and_constraints() {
        assert_eq!(
            located(&preset("{ amount: 5, tags: [a, b], order: { id: x } }")),
            []
        );
        for (set, needle) in [
            ("{ amount: 0 }", "0 }"),
            ("{ reference: toolong }", "toolong"),
            ("{ tags: [a, b, c] }", "[a, b, c]"),
            ("{ status: SHUT }", "SHUT"),
            ("{ note: null }", "null"),
            ("{ amount: \"5\" }", "\"5\""),
            ("{ card: { delay: 1 } }", "card"),
            ("{ items: [] }", "items"),
            ("{ nope: 1 }", "nope"),
            ("{ order: { lines: [] } }", "lines"),
            ("{ order: { total: 101 } }", "101"),
        ] {
            one(&preset(set), "S024", needle);
        }
    }
}
