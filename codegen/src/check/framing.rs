//! The framing of answers and the error shape (S070 to S074, S090 to S093): `api.protocol`
//! or `api.framing` with `api.errors`, the dotted paths they name, the envelope's values, the
//! response headers kept and the HTTP statuses of errors.

use std::collections::BTreeMap;

use super::Checker;
use crate::diagnostics::{Diagnostic, Place};
use crate::rules::{self, HeaderNameProblem};
use crate::spec::{ErrorShape, Framing, Paths, Spanned, Statuses, WithoutCode};

/// What a path may be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PathKind {
    /// A dotted path of keys, or `.` for the object itself.
    OrSelf,
    /// A dotted path of keys.
    Keys,
    /// A dotted path of keys, or `$.` and one from the whole body (error fields).
    ErrorField,
    /// Like `ErrorField`, or `.` (the error object itself, for field errors).
    ErrorFieldOrSelf,
}

/// Why a path is not one the runtime can follow; `None` when it is.
fn path_problem(path: &str, kind: PathKind) -> Option<&'static str> {
    if path == "." {
        return match kind {
            PathKind::OrSelf | PathKind::ErrorFieldOrSelf => None,
            PathKind::Keys | PathKind::ErrorField => Some("`.` (the whole object) is not a field"),
        };
    }
    let keys = match path.strip_prefix("$.") {
        Some(rest) if matches!(kind, PathKind::ErrorField | PathKind::ErrorFieldOrSelf) => rest,
        Some(_) => return Some("`$.` (from the whole body) is only for the fields of `errors`"),
        None => path,
    };
    if keys.split('.').any(str::is_empty) {
        return Some("it has an empty segment");
    }
    if keys
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "[]\"'$".contains(c))
    {
        return Some("a segment holds a space, a bracket, a quote or `$`");
    }
    None
}

impl Checker<'_> {
    /// `api.protocol`, `api.framing` and `api.errors`.
    pub(super) fn check_framing(&mut self) {
        let api = &self.spec.api;
        match (&api.protocol, &api.framing, &api.errors) {
            (Some(protocol), framing, errors) if framing.is_some() || errors.is_some() => {
                let place = self.at(protocol);
                self.diags.push(
                    Diagnostic::error("S070", place, "`protocol` is given together with `framing` or `errors`")
                        .hint("`protocol: envelope` and `protocol: rest` are short for a whole `framing` and `errors` declaration (spec/README.md): keep one of the two forms"),
                );
            }
            (None, _, None) => {
                let place = match &api.framing {
                    Some(f) => self.at(f),
                    None => self.at(&api.name),
                };
                self.diags.push(
                    Diagnostic::error("S070", place, "the api says neither how answers are framed nor where errors sit")
                        .hint("give `protocol: envelope` or `protocol: rest`, or an `errors:` block (with `framing:` unless the body is the answer)"),
                );
            }
            _ => {}
        }
        if let Some(framing) = &api.framing {
            self.check_success_framing(&framing.value);
        }
        if let Some(errors) = &api.errors {
            self.check_error_shape(errors);
        }
    }

    fn bad_path(&mut self, path: &Spanned<String>, what: &str, kind: PathKind) -> bool {
        let Some(problem) = path_problem(&path.value, kind) else {
            return false;
        };
        let place = self.at(path);
        self.diags.push(
            Diagnostic::error(
                "S071",
                place,
                format!("{what} `{}` is not a dotted path of keys: {problem}", path.value),
            )
            .hint("write keys separated by dots (`error.code`); `.` is the whole object where the format allows it, and `$.` starts an error field from the whole body"),
        );
        true
    }

    fn check_success_framing(&mut self, framing: &Framing) {
        if let Some(answer) = &framing.answer {
            self.bad_path(answer, "the answer path", PathKind::OrSelf);
        }
        let answer = framing.answer.as_ref().map_or(".", |a| a.value.as_str());
        if let Some(envelope) = &framing.envelope {
            let bad = self.bad_path(&envelope.status, "the envelope's status", PathKind::Keys);
            if !bad && envelope.status.value == answer {
                let place = self.at(&envelope.status);
                self.diags.push(
                    Diagnostic::error(
                        "S072",
                        place,
                        format!("the envelope's status `{answer}` is the answer's path"),
                    )
                    .hint("the status and the answer are two fields of the envelope: name each"),
                );
            }
            for value in [&envelope.success, &envelope.error] {
                if value.value.is_empty() {
                    let place = self.at(value);
                    self.diags.push(
                        Diagnostic::error("S072", place, "an envelope status value is empty").hint(
                            "give the texts the status field holds for a success and for an error",
                        ),
                    );
                }
            }
            if envelope.success.value == envelope.error.value {
                let place = self.at(&envelope.error);
                self.diags.push(
                    Diagnostic::error(
                        "S072",
                        place,
                        format!(
                            "the envelope's error value `{}` is also its success value",
                            envelope.error.value
                        ),
                    )
                    .hint("a status must tell success from error: give two different values"),
                );
            }
        }
        let mut seen: BTreeMap<&str, Place> = BTreeMap::new();
        for path in &framing.metadata {
            if self.bad_path(path, "the metadata path", PathKind::Keys) {
                continue;
            }
            let place = self.at(path);
            let first = seen.get(path.value.as_str()).cloned();
            seen.entry(path.value.as_str())
                .or_insert_with(|| place.clone());
            let problem = if first.is_some() {
                Some("is listed twice")
            } else if path.value == answer
                || (answer != "." && path.value.starts_with(&format!("{answer}.")))
            {
                Some("is the answer, or inside it (the answer keeps it already)")
            } else {
                None
            };
            if let Some(problem) = problem {
                let mut d = Diagnostic::error(
                    "S073",
                    place,
                    format!("metadata `{}` {problem}", path.value),
                )
                .hint("list each envelope field beside the answer once");
                if let Some(first) = first {
                    d = d.related(first, "listed first here");
                }
                self.diags.push(d);
            }
        }
        let mut seen: BTreeMap<String, Place> = BTreeMap::new();
        for name in &framing.headers {
            let place = self.at(name);
            let mut first = None;
            let problem = match rules::header_name(&name.value) {
                Err(HeaderNameProblem::NotToken(_)) => Some("is not an HTTP header name (a token)"),
                _ if rules::sensitive_response_header(&name.value) => {
                    Some("carries credentials or session state, and is never kept")
                }
                _ => match seen.get(&name.value.to_ascii_lowercase()) {
                    Some(place) => {
                        first = Some(place.clone());
                        Some("is listed twice (names are compared without regard to case)")
                    }
                    None => {
                        seen.insert(name.value.to_ascii_lowercase(), place.clone());
                        None
                    }
                },
            };
            if let Some(problem) = problem {
                let mut d = Diagnostic::error("S074", place, format!("response header `{}` {problem}", name.value))
                        .hint("list response headers worth keeping (`X-Request-Id`), once each; never `Authorization`, `Cookie`, `Set-Cookie` or `WWW-Authenticate`");
                if let Some(first) = first {
                    d = d.related(first, "listed first here");
                }
                self.diags.push(d);
            }
        }
    }

    fn check_error_shape(&mut self, errors: &Spanned<ErrorShape>) {
        let shape = &errors.value;
        if let Some(statuses) = &shape.statuses {
            match &statuses.value {
                Statuses::Non2xx => {}
                Statuses::List(list) if list.is_empty() => {
                    let place = self.at(statuses);
                    self.diags.push(
                        Diagnostic::error("S090", place, "`statuses` lists no status")
                            .hint("list the HTTP statuses whose body is an error of this shape, or write `non_2xx`"),
                    );
                }
                Statuses::List(list) => {
                    let mut seen: BTreeMap<u16, Place> = BTreeMap::new();
                    for status in list {
                        let place = self.at(status);
                        let first = seen.get(&status.value).cloned();
                        let problem = if !(300..=599).contains(&status.value) {
                            Some("is not an error status (300 to 599)")
                        } else if first.is_some() {
                            Some("is listed twice")
                        } else {
                            seen.insert(status.value, place.clone());
                            None
                        };
                        if let Some(problem) = problem {
                            let mut d = Diagnostic::error("S090", place, format!("HTTP status {} {problem}", status.value))
                                    .hint("list each error status once; a 2xx answer is a success (an envelope's status field tells its errors)");
                            if let Some(first) = first {
                                d = d.related(first, "listed first here");
                            }
                            self.diags.push(d);
                        }
                    }
                }
            }
        }
        if let Some(at) = &shape.at {
            self.bad_path(at, "the error object", PathKind::OrSelf);
        }
        let fields = [
            ("the error code", &shape.code),
            ("the error message", &shape.message),
            ("the detailed code", &shape.detailed_code),
            ("the detailed message", &shape.detailed_message),
            ("the ticket", &shape.ticket),
            ("the details", &shape.details),
        ];
        for (what, paths) in fields {
            let Some(paths) = paths else { continue };
            match &paths.value {
                Paths::One(one) => {
                    let spanned = Spanned {
                        value: one.clone(),
                        referenced: paths.referenced,
                        defined: paths.defined,
                    };
                    self.bad_path(&spanned, what, PathKind::ErrorField);
                }
                Paths::Many(many) if many.is_empty() => {
                    let place = self.at(paths);
                    self.diags.push(
                        Diagnostic::error("S071", place, format!("{what} lists no path"))
                            .hint("give a dotted path, or leave the key out"),
                    );
                }
                Paths::Many(many) => {
                    for path in many {
                        self.bad_path(path, what, PathKind::ErrorField);
                    }
                }
            }
        }
        let api_error = shape
            .without_code
            .as_ref()
            .is_some_and(|w| w.value == WithoutCode::ApiError);
        if shape.code.is_none() && !api_error {
            let place = self.at(errors);
            self.diags.push(
                Diagnostic::error("S091", place, "the error shape has no `code`, and a body without a code is no API error: no error would ever be `Error::Api`")
                    .hint("say where the code is (`code: error.code`), or write `without_code: api_error` for an API whose errors carry no code"),
            );
        }
        if let Some(f) = &shape.field_errors {
            self.bad_path(&f.at, "the field errors", PathKind::ErrorFieldOrSelf);
            let mut bad = false;
            for (what, path) in [
                ("the field's name", &f.field),
                ("the field's error", &f.error),
            ] {
                bad |= self.bad_path(path, what, PathKind::Keys);
            }
            if !bad && f.field.value == f.error.value {
                let place = self.at(&f.error);
                self.diags.push(
                    Diagnostic::error("S092", place, format!("a field error's name and error are both `{}`", f.field.value))
                        .hint("name the key of the field's name and the key of what is wrong with it, from each item"),
                );
            }
        }
        if shape.code.is_none() {
            if let Some(first) = self.spec.api.retry_codes.first() {
                let place = self.at(first);
                self.diags.push(
                    Diagnostic::error("S093", place, "`retry_codes` are given, but the error shape has no `code`: no answer can carry one")
                        .hint("say where the error code is (`errors.code`), or leave `retry_codes` out"),
                );
            }
            if let Some(enum_name) = &self.spec.api.error_codes {
                let place = self.at(enum_name);
                self.diags.push(
                    Diagnostic::warning("S093", place, "`error_codes` names an enum, but the error shape has no `code`: every API error has the empty code")
                        .hint("say where the error code is (`errors.code`), or leave `error_codes` out"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::located;

    fn spec(format: u32, api: &str) -> String {
        format!(
            "format: {format}
api:
  name: demo
  title: Demo
  auth: basic
{api}  environments:
    test: {{ url: \"https://api.example.com\" }}
"
        )
    }

    #[test]
    fn a_full_declaration_passes() {
        let api = "  framing:
    answer: data.item
    envelope: { status: meta.status, success: ok, error: ko }
    metadata: [meta.id, ticket]
    headers: [X-Request-Id, Content-Type]
  errors:
    statuses: [400, 422, 503]
    at: data.error
    code: [codes.0, $.type]
    message: message
    ticket: $.ticket
    details: codes
    field_errors: { at: ., field: field, error: detail }
";
        assert_eq!(located(&spec(2, api)), []);
        assert_eq!(located(&spec(2, "  protocol: envelope\n")), []);
    }

    #[test]
    fn each_problem_is_located() {
        let codes = |api: &str| -> Vec<(&'static str, u32)> {
            located(&spec(2, api))
                .into_iter()
                .map(|(c, l, _)| (c, l))
                .collect()
        };
        assert_eq!(codes(""), [("S070", 3)]);
        assert_eq!(
            codes("  protocol: rest\n  errors: { code: c }\n"),
            [("S070", 6)]
        );
        assert_eq!(codes("  errors: { code: \"a..b\" }\n"), [("S071", 6)]);
        assert_eq!(codes("  errors: { code: \"$.\" }\n"), [("S071", 6)]);
        assert_eq!(
            codes("  errors: { code: c, statuses: [204] }\n"),
            [("S090", 6)]
        );
        assert_eq!(codes("  errors: { message: m }\n"), [("S091", 6)]);
        assert_eq!(
            codes("  errors: { code: c }\n  framing:\n    headers: [Set-Cookie]\n"),
            [("S074", 8)]
        );
        assert_eq!(
            codes("  errors: { code: c }\n  framing:\n    metadata: [\"$.x\"]\n"),
            [("S071", 8)]
        );
    }

    #[test]
    fn the_words_are_format_2() {
        let text = spec(1, "  errors: { code: c }\n  framing: { answer: data }\n");
        let loaded = crate::load::load("t.yaml", &text).expect("loads");
        let found: Vec<_> = crate::format::check("t.yaml", &loaded)
            .into_iter()
            .map(|d| (d.code, d.place.line))
            .collect();
        assert_eq!(found, [("S065", 7), ("S065", 6)]);
    }
}
