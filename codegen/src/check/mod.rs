//! Semantic checks of a loaded spec: every problem becomes a located diagnostic.
//!
//! This file holds the checks of the api, operations, parameters and notifications; families
//! with rules of their own have their own file: `urls` (environment URLs, path templates),
//! `values` (examples and presets against types and constraints), `enums` (values and data
//! columns).
//!
//! Naming problems (collisions after case conversion, dotted-path conflicts) are found by
//! `lower`, which is where names are decided.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Place, did_you_mean};
use crate::spec::{Location, Param, Spanned, SpecFile};

mod auth;
mod enums;
mod error_body;
mod framing;
mod headers;
mod idempotency;
mod one_of;
mod paging;
mod sandbox;
pub mod signature;
mod urls;
mod values;
mod wire;

pub use one_of::{api_discriminator, discriminator_of, flattened};
pub use urls::parse_template;

/// Built-in scalar type names of the spec format.
pub const BUILTINS: &[&str] = &[
    "string",
    "integer",
    "number",
    "boolean",
    "amount",
    "decimal",
    "date",
    "date-time",
    "json",
];

/// A parsed `type:` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// One of [`BUILTINS`].
    Builtin(&'static str),
    /// `list<T>`.
    List(Box<TypeExpr>),
    /// `map<T>`.
    Map(Box<TypeExpr>),
    /// `expandable<T>`: an object type, or the string id standing for it.
    Expandable(Box<TypeExpr>),
    /// A name from `types:` or `enums:`.
    Named(String),
}

/// Why a `type:` expression cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeError {
    /// Malformed: what is wrong.
    Malformed(String),
    /// `list<`/`map<` nested deeper than [`crate::limits::MAX_TYPE_DEPTH`].
    TooDeep,
}

impl TypeExpr {
    /// Parses a type expression without recursing, so a hostile one cannot overflow the
    /// stack; nesting beyond [`crate::limits::MAX_TYPE_DEPTH`] is an error.
    pub fn parse(text: &str) -> Result<TypeExpr, TypeError> {
        let mut rest = text.trim();
        let mut wrappers: Vec<fn(Box<TypeExpr>) -> TypeExpr> = Vec::new();
        loop {
            let wrapper = [
                ("list<", TypeExpr::List as fn(_) -> _),
                ("map<", TypeExpr::Map),
                ("expandable<", TypeExpr::Expandable),
            ]
            .into_iter()
            .find_map(|(prefix, wrap)| rest.strip_prefix(prefix).map(|inner| (inner, wrap)));
            let Some((inner, wrap)) = wrapper else { break };
            if wrappers.len() == crate::limits::MAX_TYPE_DEPTH {
                return Err(TypeError::TooDeep);
            }
            let inner = inner.strip_suffix('>').ok_or_else(|| {
                TypeError::Malformed(format!(
                    "`{}` lacks its closing `>`",
                    crate::limits::excerpt(rest)
                ))
            })?;
            wrappers.push(wrap);
            rest = inner.trim();
        }
        let mut expr = if let Some(builtin) = BUILTINS.iter().find(|b| **b == rest) {
            TypeExpr::Builtin(builtin)
        } else if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(TypeError::Malformed(format!(
                "`{}` is not a type name",
                crate::limits::excerpt(rest)
            )));
        } else {
            TypeExpr::Named(rest.to_owned())
        };
        while let Some(wrap) = wrappers.pop() {
            expr = wrap(Box::new(expr));
        }
        Ok(expr)
    }

    /// The innermost named type, if any.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeExpr::Builtin(_) => None,
            TypeExpr::List(inner) | TypeExpr::Map(inner) | TypeExpr::Expandable(inner) => {
                inner.named()
            }
            TypeExpr::Named(name) => Some(name),
        }
    }
}

/// Runs every check on one spec file and returns the diagnostics.
pub fn check(file: &str, spec: &SpecFile) -> Vec<Diagnostic> {
    // The values of the error-code enum, which every `errors` entry is checked against.
    let error_codes = spec
        .api
        .error_codes
        .as_ref()
        .and_then(|c| spec.enums.get(&c.value))
        .map(|e| {
            e.values
                .value
                .iter()
                .filter_map(|v| v.value.value.as_deref())
                .collect()
        })
        .unwrap_or_default();
    let mut checker = Checker {
        file,
        spec,
        diags: Vec::new(),
        error_codes,
    };
    checker.run();
    checker.diags
}

struct Checker<'a> {
    file: &'a str,
    spec: &'a SpecFile,
    diags: Vec<Diagnostic>,
    error_codes: BTreeSet<&'a str>,
}

impl Checker<'_> {
    fn at<T>(&self, value: &Spanned<T>) -> Place {
        Place::of(self.file, value)
    }

    fn run(&mut self) {
        let spec = self.spec;
        // The format version is `format::check`'s (S002, S065).
        self.check_api();
        let mut seen = BTreeMap::new();
        for name in spec
            .types
            .iter()
            .map(|(k, _)| k)
            .chain(spec.enums.iter().map(|(k, _)| k))
        {
            if let Some(first) = seen.insert(name.value.clone(), self.at(name)) {
                let place = self.at(name);
                self.diags.push(
                    Diagnostic::error("S004", place, format!("`{}` is defined twice", name.value))
                        .hint(format!("the first definition is at line {}; types and enums share one namespace", first.line))
                        .related(first, "first defined here"),
                );
            }
        }
        for (id, op) in spec.operations.iter() {
            self.check_operation(id, op);
        }
        for (_, ty) in spec.types.iter() {
            for (path, field) in ty.fields.iter() {
                self.check_param(path, field, false);
            }
        }
        self.check_one_ofs();
        // Groups are expanded into the operations that use them (`groups::expand`); an unused
        // one is checked too. A problem found at every use is reported once.
        for (_, group) in spec.groups.iter() {
            for (path, param) in group.params.iter() {
                self.check_param(path, param, true);
            }
        }
        for (name, e) in spec.enums.iter() {
            self.check_enum(name, e);
        }
        for (name, n) in spec.notifications.iter() {
            self.check_notification(name, n);
        }
    }

    fn check_notification(&mut self, name: &Spanned<String>, n: &crate::spec::Notification) {
        let payload = &n.payload;
        if self.spec.types.get(&payload.value).is_none() {
            if self.spec.enums.get(&payload.value).is_some() {
                let place = self.at(payload);
                self.diags.push(
                    Diagnostic::error(
                        "S003",
                        place,
                        format!("payload `{}` is an enum, not an object type", payload.value),
                    )
                    .hint("name a type from `types:`"),
                );
            } else {
                self.unknown_name(payload, "payload type");
            }
        }
        self.check_signature(name, n);
        let sig = &n.signature;
        match (&sig.algorithm_field, &sig.algorithm) {
            (Some(field), None) => {
                let place = self.at(field);
                self.diags.push(
                    Diagnostic::error("S022", place, "`algorithm_field` is set but `algorithm` is not")
                        .hint("add `algorithm:` with the one value the field may hold (e.g. `sha256_hmac`)"),
                );
            }
            (None, Some(algorithm)) => {
                let place = self.at(algorithm);
                self.diags.push(
                    Diagnostic::error(
                        "S022",
                        place,
                        "`algorithm` is set but `algorithm_field` is not",
                    )
                    .hint("add `algorithm_field:` naming the field that carries the algorithm"),
                );
            }
            _ => {}
        }
        if sig.keys.is_empty() {
            let place = sig
                .field
                .as_ref()
                .map_or_else(|| self.at(name), |f| self.at(f));
            self.diags.push(
                Diagnostic::error(
                    "S022",
                    place,
                    format!("notification `{}` lists no signing key", name.value),
                )
                .hint("add `keys:` with at least one key, e.g. `keys: { password: { doc: … } }`"),
            );
        }
        let form = n.encoding.value == crate::spec::NotificationEncoding::Form;
        if form && sig.key_field.is_none() && sig.keys.len() > 1 {
            let place = sig
                .field
                .as_ref()
                .map_or_else(|| self.at(name), |f| self.at(f));
            self.diags.push(
                Diagnostic::error(
                    "S022",
                    place,
                    "several keys but no `key_field` saying which one signed",
                )
                .hint("add `key_field:`, or keep a single key"),
            );
        }
        let mut seen = BTreeSet::new();
        let named = [
            sig.field.as_ref(),
            sig.algorithm_field.as_ref(),
            sig.key_field.as_ref(),
            n.payload_field.as_ref(),
        ];
        for field in named
            .into_iter()
            .flatten()
            .chain(n.fields.iter().map(|(k, _)| k))
        {
            if !seen.insert(field.value.as_str()) {
                let place = self.at(field);
                self.diags.push(
                    Diagnostic::error("S022", place, format!("the notification field `{}` has two roles", field.value))
                        .hint("each form field is either the signature, the algorithm, the key name, the payload, or a plain field"),
                );
            }
        }
    }

    fn check_api(&mut self) {
        let api = &self.spec.api;
        let name = &api.name.value;
        let valid = !name.is_empty()
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && crate::naming::snake(name).as_deref() == Some(name.as_str());
        if !valid {
            let place = self.at(&api.name);
            self.diags.push(
                Diagnostic::error("S015", place, format!("api name `{name}` cannot be a module name"))
                    .hint("use lower-case ASCII letters, digits and `_`, starting with a letter, and not a Rust keyword"),
            );
        }
        if api.environments.is_empty() {
            let place = self.at(&api.name);
            self.diags.push(
                Diagnostic::warning("S017", place, "the api lists no environments")
                    .hint("add `environments:` so users can pick a base URL by name"),
            );
        }
        self.check_environments();
        self.check_url_variables();
        self.check_form_declared();
        self.check_auth();
        self.check_fixed_headers();
        self.check_idempotency();
        self.check_framing();
        self.check_error_body();
        self.check_sandbox();
        self.check_operation_sandbox();
        if !api.retry_codes.is_empty() {
            for code in &api.retry_codes {
                let known = self.error_codes.contains(code.value.as_str());
                if !known {
                    let place = self.at(code);
                    self.diags.push(
                        Diagnostic::error(
                            "S011",
                            place,
                            format!("retry code `{}` is not a known error code", code.value),
                        )
                        .hint("list it in the `api.error_codes` enum, or fix its spelling"),
                    );
                }
            }
        }
        if let Some(codes) = &api.error_codes {
            match self.spec.enums.get(&codes.value) {
                Some(e) if !e.open => {
                    let place = self.at(codes);
                    self.diags.push(
                        Diagnostic::error("S012", place, format!("error-code enum `{}` is not open", codes.value))
                            .hint("add `open: true`: APIs add error codes at any time, and an unknown code must still decode"),
                    );
                }
                Some(_) => {}
                None => self.unknown_name(codes, "enum"),
            }
        }
    }

    fn unknown_name(&mut self, name: &Spanned<String>, what: &str) {
        let candidates = self
            .spec
            .types
            .iter()
            .map(|(k, _)| k.value.as_str())
            .chain(self.spec.enums.iter().map(|(k, _)| k.value.as_str()));
        let candidates: Vec<&str> = BUILTINS.iter().copied().chain(candidates).collect();
        let mut d = Diagnostic::error(
            "S003",
            self.at(name),
            format!("unknown {what} `{}`", crate::limits::excerpt(&name.value)),
        );
        if let Some(best) = did_you_mean(&name.value, candidates) {
            d = d.hint(format!("did you mean `{best}`?"));
        } else {
            d = d.hint("define it under `types:` or `enums:`, or use a built-in type");
        }
        self.diags.push(d);
    }

    /// Resolves a `type:` value; reports a located error when it cannot be resolved.
    fn resolve_type(&mut self, ty: &Spanned<String>) -> Option<TypeExpr> {
        match TypeExpr::parse(&ty.value) {
            Err(TypeError::Malformed(message)) => {
                let place = self.at(ty);
                self.diags.push(
                    Diagnostic::error("S003", place, format!("malformed type: {message}"))
                        .hint("write a built-in type, `list<T>`, `map<T>`, or a name from `types:`/`enums:`"),
                );
                None
            }
            Err(TypeError::TooDeep) => {
                let place = self.at(ty);
                let limit = crate::limits::MAX_TYPE_DEPTH;
                self.diags.push(
                    Diagnostic::error(
                        "S026",
                        place,
                        format!(
                            "the type `{}` nests `list<`/`map<` more than {limit} deep",
                            crate::limits::excerpt(&ty.value)
                        ),
                    )
                    .hint(format!("payspec reads at most {limit} levels of `list<…>`/`map<…>`; name an object type under `types:` for the inner levels")),
                );
                None
            }
            Ok(expr) => {
                if !self.check_expandable(ty, &expr) {
                    return None;
                }
                if let Some(name) = expr.named() {
                    if self.spec.types.get(name).is_none() && self.spec.enums.get(name).is_none() {
                        let named = Spanned {
                            value: name.to_owned(),
                            referenced: ty.referenced,
                            defined: ty.defined,
                        };
                        self.unknown_name(&named, "type");
                        return None;
                    }
                }
                Some(expr)
            }
        }
    }

    fn check_operation(&mut self, id: &Spanned<String>, op: &crate::spec::Operation) {
        let path = &op.path.value;
        let placeholders = self.check_path_template(op);
        let path_params: BTreeMap<&str, &Spanned<String>> = op
            .params
            .iter()
            .filter(|(_, p)| p.location.as_ref().map(|l| l.value) == Some(Location::Path))
            .map(|(k, _)| (k.value.as_str(), k))
            .collect();
        for name in &placeholders {
            if !path_params.contains_key(name.as_str()) {
                let place = self.at(&op.path);
                let declared: Vec<&str> = op.params.iter().map(|(k, _)| k.value.as_str()).collect();
                let mut d = Diagnostic::error(
                    "S006",
                    place,
                    format!(
                        "path template of `{}` names `{{{name}}}`, which is not a path parameter",
                        id.value
                    ),
                );
                d = match did_you_mean(name, declared) {
                    Some(best) => d.hint(format!(
                        "did you mean `{best}`? a path parameter needs `in: path`"
                    )),
                    None => d.hint(format!(
                        "add `{name}: {{ type: string, in: path, required: true }}` to `params`"
                    )),
                };
                self.diags.push(d);
            }
        }
        for (name, key) in &path_params {
            if !placeholders.iter().any(|p| p == name) {
                let place = self.at(*key);
                self.diags.push(
                    Diagnostic::error(
                        "S007",
                        place,
                        format!("path parameter `{name}` does not appear in the path `{path}`"),
                    )
                    .hint(format!("add `{{{name}}}` to the path, or change `in:`")),
                );
            }
        }
        for (key, param) in op.params.iter() {
            self.check_param(key, param, true);
        }
        self.check_header_params(op);
        self.check_encoding(op);
        let response = &op.response.value;
        if response.contains('|') {
            for part in response.split('|').map(str::trim) {
                let part_spanned = Spanned {
                    value: part.to_owned(),
                    referenced: op.response.referenced,
                    defined: op.response.defined,
                };
                match self.spec.types.get(part) {
                    // A one-of: flattened, or selected by its own tag (`one_of.rs`).
                    Some(ty) if ty.type_tag.is_some() || ty.one_of.is_some() => {}
                    Some(_) => {
                        let place = self.at(&op.response);
                        self.diags.push(
                            Diagnostic::error("S025", place, format!("`{part}` in a one-of response has no `type_tag`"))
                                .hint("the answer is told apart by its `_type`: give each alternative a `type_tag`"),
                        );
                    }
                    None => self.unknown_name(&part_spanned, "response type"),
                }
            }
            self.check_response_one_of(&op.response);
        } else if response != "json" && response != "none" {
            match self.spec.types.get(response) {
                Some(_) => {}
                None if self.spec.enums.get(response).is_some() => {
                    let place = self.at(&op.response);
                    self.diags.push(
                        Diagnostic::error(
                            "S003",
                            place,
                            format!("response `{response}` is an enum, not an object type"),
                        )
                        .hint("name a type from `types:`, or use `json` or `none`"),
                    );
                }
                None => self.unknown_name(&op.response, "response type"),
            }
        }
        if !op.errors.is_empty() {
            let codes = self
                .spec
                .api
                .error_codes
                .as_ref()
                .and_then(|c| self.spec.enums.get(&c.value));
            for code in &op.errors {
                let known = self.error_codes.contains(code.value.as_str());
                if !known {
                    let place = self.at(code);
                    let hint = match codes {
                        None => "set `api.error_codes` to an enum listing the API's error codes"
                            .to_owned(),
                        Some(e) => match did_you_mean(
                            &code.value,
                            e.values
                                .value
                                .iter()
                                .filter_map(|v| v.value.value.as_deref()),
                        ) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => "add the code to the error-code enum".to_owned(),
                        },
                    };
                    self.diags.push(
                        Diagnostic::error(
                            "S011",
                            place,
                            format!("`{}` is not a known error code", code.value),
                        )
                        .hint(hint),
                    );
                }
            }
        }
        self.check_examples(id, op);
        self.check_presets(id, op);
        self.check_pagination(id, op);
    }

    fn check_param(&mut self, key: &Spanned<String>, param: &Param, in_operation: bool) {
        if param.ty.value.is_empty() {
            // A group use or a missing type: `groups::expand` reports it (S062-S064).
            return;
        }
        let ty = self.resolve_type(&param.ty);
        let location = param.location.as_ref().map(|l| l.value).unwrap_or_default();
        if let Some(loc) = &param.location {
            if !in_operation {
                let place = self.at(loc);
                self.diags.push(
                    Diagnostic::error("S021", place, "`in` applies to operation parameters only")
                        .hint("remove `in:` from this field of a named type"),
                );
            } else if loc.value != Location::Body {
                let scalar = matches!(&ty, Some(TypeExpr::Builtin(b)) if *b != "json")
                    || matches!(&ty, Some(TypeExpr::Named(n)) if self.spec.enums.get(n).is_some());
                // A query parameter may also be a list, a map, an object or dotted: the form
                // encoder writes it with brackets (`expand[]=x`, `created[gte]=1`).
                let structured_query = loc.value == Location::Query
                    && !matches!(&ty, Some(TypeExpr::Builtin("json")) | None);
                if !structured_query && (crate::paths::is_nested(&key.value) || !scalar) {
                    let place = self.at(loc);
                    self.diags.push(
                        Diagnostic::error("S020", place, format!("`{}` cannot travel in the {}", key.value, match loc.value { Location::Path => "path", Location::Header => "headers", _ => "query" }))
                            .hint(if loc.value == Location::Query { "a query parameter is a scalar, a list, a map or an object (dotted paths too), never `json`" } else { "path, query and header parameters are top-level scalars (string, integer, boolean, amount, date, enum)" }),
                    );
                }
            }
        }
        if location == Location::Path && param.nullable.as_ref().is_some_and(|n| n.value) {
            let place = self.at(key);
            self.diags.push(
                Diagnostic::error(
                    "S020",
                    place,
                    format!("path parameter `{}` cannot be nullable", key.value),
                )
                .hint("remove `nullable`: a path segment cannot be null"),
            );
        }
        if location == Location::Path && !param.required.as_ref().is_some_and(|r| r.value) {
            let place = self.at(key);
            self.diags.push(
                Diagnostic::error(
                    "S020",
                    place,
                    format!("path parameter `{}` must be required", key.value),
                )
                .hint("add `required: true`: a path cannot have a hole"),
            );
        }
        if let (Some(r), Some(n)) = (&param.required, &param.nullable) {
            if in_operation && r.value && n.value && param.doc.is_none() {
                let place = self.at(n);
                self.diags.push(
                    Diagnostic::warning(
                        "S016",
                        place,
                        format!(
                            "`{}` is required and nullable, but no doc says what null means",
                            key.value
                        ),
                    )
                    .hint("add a `doc` explaining what an explicit null asks for"),
                );
            }
        }
        let builtin = match &ty {
            Some(TypeExpr::Builtin(b)) => Some(*b),
            _ => None,
        };
        let numeric = matches!(builtin, Some("integer" | "amount"));
        let textual = matches!(builtin, Some("string" | "date" | "date-time"));
        let sized = textual || matches!(ty, Some(TypeExpr::List(_) | TypeExpr::Map(_)));
        let type_name = &param.ty.value;
        for (bound, applies, what) in [
            (param.min.as_ref().map(|s| self.at(s)), numeric, "min"),
            (param.max.as_ref().map(|s| self.at(s)), numeric, "max"),
        ] {
            if let (Some(place), false, true) = (bound, applies, ty.is_some()) {
                self.diags.push(
                    Diagnostic::error("S010", place, format!("`{what}` does not apply to `{type_name}`"))
                        .hint("`min`/`max` bound integers and amounts; use `min_length`/`max_length` for lengths"),
                );
            }
        }
        for (bound, what) in [
            (param.min_length.as_ref().map(|s| self.at(s)), "min_length"),
            (param.max_length.as_ref().map(|s| self.at(s)), "max_length"),
        ] {
            if let (Some(place), false, true) = (bound, sized, ty.is_some()) {
                self.diags.push(
                    Diagnostic::error(
                        "S010",
                        place,
                        format!("`{what}` does not apply to `{type_name}`"),
                    )
                    .hint("lengths bound strings, lists and maps; use `min`/`max` for numbers"),
                );
            }
        }
        for (flag, what) in [
            (
                param.ascii.as_ref().filter(|a| a.value).map(|s| self.at(s)),
                "ascii",
            ),
            (param.pattern.as_ref().map(|s| self.at(s)), "pattern"),
        ] {
            if let (Some(place), false, true) = (flag, textual, ty.is_some()) {
                self.diags.push(
                    Diagnostic::error(
                        "S010",
                        place,
                        format!("`{what}` does not apply to `{type_name}`"),
                    )
                    .hint("`ascii` and `pattern` constrain strings"),
                );
            }
        }
        if let (Some(min), Some(max)) = (&param.min, &param.max) {
            if min.value > max.value {
                let place = self.at(max);
                self.diags.push(
                    Diagnostic::error(
                        "S009",
                        place,
                        format!("`max` {} is below `min` {}", max.value, min.value),
                    )
                    .hint("no value could satisfy both; swap or fix the bounds"),
                );
            }
        }
        if let (Some(min), Some(max)) = (&param.min_length, &param.max_length) {
            if min.value > max.value {
                let place = self.at(max);
                self.diags.push(
                    Diagnostic::error(
                        "S009",
                        place,
                        format!(
                            "`max_length` {} is below `min_length` {}",
                            max.value, min.value
                        ),
                    )
                    .hint("no value could satisfy both; swap or fix the bounds"),
                );
            }
        }
        if builtin == Some("amount") {
            if let Some(min) = param.min.as_ref().filter(|m| m.value < 0) {
                let place = self.at(min);
                self.diags.push(
                    Diagnostic::error("S009", place, "an amount cannot be negative")
                        .hint("amounts are non-negative integers in minor units; use `min: 0` or drop `min`"),
                );
            }
        }
        if let Some(pattern) = &param.pattern {
            // The very function the generated check calls, so what passes here compiles there.
            if let Err(e) = crate::compile_pattern(&pattern.value) {
                let place = self.at(pattern);
                self.diags.push(
                    Diagnostic::error("S019", place, format!("invalid regular expression: {}", first_line(&e.to_string())))
                        .hint("write a regular expression in the syntax of the `regex` crate (as `regex-lite` reads it); it must match the whole value"),
                );
            }
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

#[cfg(test)]
pub(crate) mod testing {
    /// A valid spec header; tests append their `operations:`, `types:` or `enums:`.
    pub const HEADER: &str = "format: 1
api:
  name: demo
  title: Demo
  auth: basic
  protocol: rest
  environments:
    test: { url: \"https://api.example.com\" }
";

    /// The diagnostics of a spec text, as `(code, line, column)`.
    pub fn located(text: &str) -> Vec<(&'static str, u32, u32)> {
        diagnostics(text)
            .iter()
            .map(|d| (d.code, d.place.line, d.place.column))
            .collect()
    }

    /// The diagnostics of a spec text; a shape error (S001) fails the test.
    pub fn diagnostics(text: &str) -> Vec<crate::Diagnostic> {
        let spec = crate::load::load("t.yaml", text)
            .unwrap_or_else(|d| panic!("{}: {}\n{text}", d.code, d.message));
        super::check("t.yaml", &spec)
    }

    /// `HEADER` and one operation with one body parameter of `type` and the given extra keys.
    pub fn one_param(param: &str) -> String {
        format!(
            "{HEADER}operations:
  op:
    summary: S.
    method: POST
    path: /x
    retry: never
    response: none
    params:
      p: {{ {param} }}
"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    /// Every pattern the check accepts compiles in the generated check, and keeps its meaning
    /// there; the diagnostic points at the pattern (line 17, column 35 of `one_param`).
    #[test]
    fn patterns_are_checked_in_the_form_the_runtime_compiles() {
        for good in [
            "(?x)^[A-Z0-9-]+$ # ref",
            "(?x)a # (",
            "(?m)^a$",
            "a|b",
            "(?i)abc",
            "(?x) a # c",
        ] {
            let text = one_param(&format!("type: string, pattern: {good:?}"));
            assert_eq!(located(&text), [], "{good:?}");
        }
        for bad in ["a)|(b", "abc\\", "[a", "a{2", "(?x"] {
            let text = one_param(&format!("type: string, pattern: {bad:?}"));
            assert_eq!(located(&text), [("S019", 17, 35)], "{bad:?}");
        }
    }

    #[test]
    fn parses_types() {
        assert_eq!(TypeExpr::parse("string"), Ok(TypeExpr::Builtin("string")));
        assert_eq!(
            TypeExpr::parse("list<map<Currency>>"),
            Ok(TypeExpr::List(Box::new(TypeExpr::Map(Box::new(
                TypeExpr::Named("Currency".into())
            )))))
        );
        assert!(TypeExpr::parse("list<string").is_err());
        assert_eq!(
            TypeExpr::parse(" map< list<Thing> > "),
            Ok(TypeExpr::Map(Box::new(TypeExpr::List(Box::new(
                TypeExpr::Named("Thing".into())
            )))))
        );
        let deepest = format!("{}string{}", "list<".repeat(16), ">".repeat(16));
        assert!(TypeExpr::parse(&deepest).is_ok());
        let deeper = format!("map<{deepest}>");
        assert_eq!(TypeExpr::parse(&deeper), Err(TypeError::TooDeep));
        assert!(TypeExpr::parse("a b").is_err());
        assert!(TypeExpr::parse("").is_err());
    }
}
