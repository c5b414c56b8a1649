//! Request encodings and base URL variables (S050 to S056): what a form or a bracketed query
//! cannot write, seen from the types, and the `{name}` variables of environment URLs, judged
//! by the rules the runtime fills them with (`codegen/runtime/src/rules.rs`).

use std::collections::{BTreeMap, BTreeSet};

use super::{Checker, TypeExpr};
use crate::diagnostics::Diagnostic;
use crate::rules::{self, UrlTemplatePiece, UrlTemplateProblem};
use crate::spec::{Encoding, FormArrays, Location, Method, Operation};

impl Checker<'_> {
    /// The encoding of one operation: no body parameter on a form-encoded GET or DELETE
    /// (S051), no list in a list where a form or a query writes `[]` (S050), and the leaves of
    /// one dotted object all in one place (S052).
    pub(super) fn check_encoding(&mut self, op: &Operation) {
        let encoding = op
            .encoding
            .as_ref()
            .or(self.spec.api.encoding.as_ref())
            .map(|e| e.value)
            .unwrap_or_default();
        let brackets = self
            .spec
            .api
            .form
            .as_ref()
            .and_then(|f| f.arrays.as_ref())
            .is_none_or(|a| a.value == FormArrays::Brackets);
        let mut roots: BTreeMap<&str, Location> = BTreeMap::new();
        for (key, param) in op.params.iter() {
            let location = param.location.as_ref().map(|l| l.value).unwrap_or_default();
            let form = encoding == Encoding::Form && location == Location::Body;
            if form && matches!(op.method.value, Method::Get | Method::Delete) {
                let place = self.at(key);
                self.diags.push(
                    Diagnostic::error(
                        "S051",
                        place,
                        format!(
                            "`{}` is a body parameter of a form-encoded {} operation, which sends no body",
                            key.value,
                            format!("{:?}", op.method.value).to_uppercase()
                        ),
                    )
                    .hint("send it `in: query`, or use the method the API documents"),
                );
            }
            let root = key.value.split(['.', '[']).next().unwrap_or_default();
            match roots.get(root) {
                Some(first) if *first != location && key.value.len() > root.len() => {
                    let place = self.at(key);
                    self.diags.push(
                        Diagnostic::error(
                            "S052",
                            place,
                            format!(
                                "`{}` travels in the {}, but other fields of `{root}` travel in the {}",
                                key.value,
                                where_(location),
                                where_(*first)
                            ),
                        )
                        .hint("give every field under one object the same `in:`"),
                    );
                }
                Some(_) => {}
                None => {
                    roots.insert(root, location);
                }
            }
            if brackets && (form || location == Location::Query) {
                let Ok(ty) = TypeExpr::parse(&param.ty.value) else {
                    continue;
                };
                let mut seen = BTreeSet::new();
                if let Some(through) = self.list_in_list(&ty, &mut seen) {
                    let place = self.at(&param.ty);
                    self.diags.push(
                        Diagnostic::error(
                            "S050",
                            place,
                            format!(
                                "`{}` holds a list in a list ({through}), which `arrays: brackets` cannot write: `a[][]=x` does not say which inner list an item belongs to",
                                key.value
                            ),
                        )
                        .hint("set `api.form.arrays: indexed` (`a[0][1]=x`), or wrap the inner list in an object type"),
                    );
                }
            }
        }
    }

    /// Where a type (or a named type's fields, at any depth) holds a list directly in a list:
    /// the type written where it happens. `seen` stops at recursive types.
    fn list_in_list<'t>(&'t self, ty: &TypeExpr, seen: &mut BTreeSet<&'t str>) -> Option<String> {
        match ty {
            TypeExpr::Builtin(_) => None,
            TypeExpr::List(inner) if matches!(**inner, TypeExpr::List(_)) => {
                Some("`list<list<…>>`".to_owned())
            }
            TypeExpr::List(inner) | TypeExpr::Map(inner) | TypeExpr::Expandable(inner) => {
                self.list_in_list(inner, seen)
            }
            TypeExpr::Named(name) => {
                let (key, ty) = self.spec.types.iter().find(|(k, _)| k.value == *name)?;
                if !seen.insert(key.value.as_str()) {
                    return None;
                }
                ty.fields.iter().find_map(|(field, param)| {
                    let expr = TypeExpr::parse(&param.ty.value).ok()?;
                    self.list_in_list(&expr, seen)
                        .map(|_| format!("the field `{}` of `{name}`", field.value))
                })
            }
        }
    }

    /// S056 (warning): `api.form` is given, but nothing is form-encoded and no query parameter
    /// is a list, a map or an object.
    pub(super) fn check_form_declared(&mut self) {
        let api = &self.spec.api;
        let Some(form) = &api.form else {
            return;
        };
        let api_form = api
            .encoding
            .as_ref()
            .is_some_and(|e| e.value == Encoding::Form);
        let used = self.spec.operations.iter().any(|(_, op)| {
            let op_form = op
                .encoding
                .as_ref()
                .map_or(api_form, |e| e.value == Encoding::Form);
            op_form
                || op.params.iter().any(|(key, p)| {
                    p.location.as_ref().map(|l| l.value) == Some(Location::Query)
                        && (key.value.contains(['.', '['])
                            || !matches!(TypeExpr::parse(&p.ty.value), Ok(TypeExpr::Builtin(_))))
                })
        });
        if !used {
            let place = match &form.arrays {
                Some(arrays) => self.at(arrays),
                None => self.at(&api.name),
            };
            self.diags.push(
                Diagnostic::warning(
                    "S056",
                    place,
                    "`api.form` is given, but no operation sends a form or a list, map or object query parameter",
                )
                .hint("set `encoding: form` on the api or an operation, or remove `api.form`"),
            );
        }
    }

    /// Environment URL variables: the template parses (S053), every `{name}` is declared and
    /// every declared variable used (S054), each pattern compiles and each example is a value
    /// the runtime accepts (S055), and no template names a variable twice (S053).
    pub(super) fn check_url_variables(&mut self) {
        for (key, env) in self.spec.api.environments.iter() {
            let url = &env.url.value;
            let pieces = match rules::url_template(url) {
                Ok(pieces) => pieces,
                Err(problem) => {
                    let what = match problem {
                        UrlTemplateProblem::Unclosed(at) => {
                            format!("the `{{` at byte {at} is not closed")
                        }
                        UrlTemplateProblem::Unopened(at) => {
                            format!("the `}}` at byte {at} closes nothing")
                        }
                        UrlTemplateProblem::BadName(name) => format!(
                            "`{{{}}}` is not a variable name",
                            crate::limits::excerpt(&name)
                        ),
                    };
                    let place = self.at(&env.url);
                    self.diags.push(
                        Diagnostic::error(
                            "S053",
                            place,
                            format!("the URL of environment `{}` is malformed: {what}", key.value),
                        )
                        .hint("write variables as `{name}` (ASCII letters, digits and `_`), each declared under `variables:`"),
                    );
                    continue;
                }
            };
            let mut used = BTreeSet::new();
            for piece in pieces {
                let UrlTemplatePiece::Variable(name) = piece else {
                    continue;
                };
                if !used.insert(name) {
                    let place = self.at(&env.url);
                    self.diags.push(
                        Diagnostic::error(
                            "S053",
                            place,
                            format!(
                                "the URL of environment `{}` names `{{{name}}}` twice",
                                key.value
                            ),
                        )
                        .hint("name each variable once"),
                    );
                }
                if env.variables.get(name).is_none() {
                    let place = self.at(&env.url);
                    self.diags.push(
                        Diagnostic::error(
                            "S054",
                            place,
                            format!(
                                "the URL of environment `{}` names `{{{name}}}`, which is not declared",
                                key.value
                            ),
                        )
                        .hint(format!("declare it: `variables: {{ {name}: {{ doc: …, pattern: … }} }}`")),
                    );
                }
            }
            for (name, variable) in env.variables.iter() {
                if !used.contains(name.value.as_str()) {
                    let place = self.at(name);
                    self.diags.push(
                        Diagnostic::error(
                            "S054",
                            place,
                            format!(
                                "variable `{}` of environment `{}` does not appear in its URL",
                                name.value, key.value
                            ),
                        )
                        .hint(format!(
                            "write `{{{}}}` in the URL, or remove the variable",
                            name.value
                        )),
                    );
                }
                let pattern = match &variable.pattern {
                    Some(p) => match crate::compile_pattern(&p.value) {
                        Ok(re) => Some(re),
                        Err(e) => {
                            let place = self.at(p);
                            self.diags.push(
                                Diagnostic::error(
                                    "S055",
                                    place,
                                    format!(
                                        "the pattern of URL variable `{}` does not compile: {}",
                                        name.value,
                                        crate::limits::excerpt(&e.to_string())
                                    ),
                                )
                                .hint("fix the expression (`regex-lite` syntax)"),
                            );
                            None
                        }
                    },
                    None => None,
                };
                if let Some(example) = &variable.example {
                    let fits = rules::url_variable_value(&example.value)
                        && pattern
                            .as_ref()
                            .is_none_or(|re| re.is_match(&example.value));
                    if !fits {
                        let place = self.at(example);
                        self.diags.push(
                            Diagnostic::error(
                                "S055",
                                place,
                                format!(
                                    "the example of URL variable `{}` is not a value the client accepts",
                                    name.value
                                ),
                            )
                            .hint("use ASCII letters, digits, `-`, `_` and inner `.`, matching the variable's pattern"),
                        );
                    }
                }
            }
        }
    }
}

fn where_(location: Location) -> &'static str {
    match location {
        Location::Body => "body",
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "headers",
    }
}
