//! The typed error body (S096, S097, S100): `api.errors.type` names an object type of
//! `types:`, and the paths of the error shape name fields that type describes.

use super::{Checker, TypeExpr};
use crate::diagnostics::Diagnostic;
use crate::spec::{ErrorShape, Paths, Spanned};

impl Checker<'_> {
    /// `api.errors.type`.
    pub(super) fn check_error_body(&mut self) {
        let Some(errors) = &self.spec.api.errors else {
            return;
        };
        let Some(name) = &errors.value.ty else {
            return;
        };
        let place = self.at(name);
        let hint =
            "name an object type of `types:` (one with `fields`) that describes the error object";
        let kind = match TypeExpr::parse(&name.value) {
            Ok(TypeExpr::Named(n)) if self.spec.enums.get(&n).is_some() => Some("an enum"),
            Ok(TypeExpr::Named(n)) => match self.spec.types.get(&n) {
                Some(t) if t.one_of.is_some() => Some("a one-of type"),
                Some(_) => None,
                None => {
                    let objects = self.spec.types.iter().filter(|(_, t)| t.one_of.is_none());
                    let candidates = objects.map(|(k, _)| k.value.as_str());
                    let hint = match crate::diagnostics::did_you_mean(&n, candidates) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => hint.to_owned(),
                    };
                    self.diags.push(
                        Diagnostic::error(
                            "S096",
                            place,
                            format!(
                                "`errors.type` names `{}`, which is no type of the spec",
                                name.value
                            ),
                        )
                        .hint(hint),
                    );
                    return;
                }
            },
            Ok(TypeExpr::Builtin(_)) => Some("a built-in type"),
            Ok(_) => Some("a list, map or expandable type"),
            Err(_) => {
                self.diags.push(
                    Diagnostic::error(
                        "S096",
                        place,
                        format!("`errors.type` `{}` is not a type name", name.value),
                    )
                    .hint(hint),
                );
                return;
            }
        };
        if let Some(kind) = kind {
            self.diags.push(
                Diagnostic::error("S097", place, format!("`errors.type` names `{}`, {kind}: an error object decodes only into an object type", name.value))
                    .hint(hint),
            );
            return;
        }
        self.check_error_body_fields(&errors.value, name);
    }

    /// S100 (a warning): a path of the error shape, from the error object, whose first key is
    /// no field of the type: the typed body would keep that value only in `extra`.
    fn check_error_body_fields(&mut self, shape: &ErrorShape, name: &Spanned<String>) {
        let Some(ty) = self.spec.types.get(&name.value) else {
            return;
        };
        let keys: Vec<&str> = ty
            .fields
            .iter()
            .map(|(k, _)| k.value.split('.').next().unwrap_or_default())
            .collect();
        let mut paths: Vec<(&str, &str)> = Vec::new();
        let named = [
            ("code", &shape.code),
            ("message", &shape.message),
            ("detailed_code", &shape.detailed_code),
            ("detailed_message", &shape.detailed_message),
            ("ticket", &shape.ticket),
            ("details", &shape.details),
        ];
        for (word, p) in named {
            match p.as_ref().map(|p| &p.value) {
                Some(Paths::One(one)) => paths.push((word, one)),
                Some(Paths::Many(many)) => {
                    paths.extend(many.iter().map(|p| (word, p.value.as_str())))
                }
                None => {}
            }
        }
        if let Some(f) = &shape.field_errors {
            paths.push(("field_errors", &f.at.value));
        }
        for (word, path) in paths {
            if path == "." || path.starts_with("$.") || path.contains('"') {
                continue;
            }
            let first = path.split('.').next().unwrap_or_default();
            if !keys.contains(&first) {
                let place = self.at(name);
                self.diags.push(
                    Diagnostic::warning("S100", place, format!("the error shape's `{word}` is at `{path}`, but `{}` has no field `{first}`", name.value))
                        .hint(format!("add the field `{first}` to `{}`, so the typed error body carries it by name and not only in `extra`", name.value)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::located;

    fn spec(errors: &str) -> String {
        format!(
            "format: 2
api:
  name: demo
  title: Demo
  auth: basic
  errors: {{ at: error, code: code, message: [message, $.title], {errors} }}
  environments:
    test: {{ url: \"https://api.example.com\" }}
types:
  Problem:
    type_tag: problem
    fields:
      code: {{ type: string }}
      message: {{ type: string }}
  Choice:
    one_of: [Problem]
    discriminator: kind
enums:
  Kind:
    values:
      - {{ value: a, doc: A. }}
"
        )
    }

    #[test]
    fn an_object_type_passes() {
        assert_eq!(located(&spec("type: Problem")), []);
    }

    #[test]
    fn each_problem_is_located_on_the_value() {
        let codes = |errors: &str| -> Vec<(&'static str, u32, u32)> {
            located(&spec(errors))
                .into_iter()
                .filter(|(c, _, _)| c.starts_with("S09") || c.starts_with("S10"))
                .collect()
        };
        assert_eq!(codes("type: Nothing"), [("S096", 6, 71)]);
        assert_eq!(codes("type: \"list<\""), [("S096", 6, 71)]);
        assert_eq!(codes("type: Kind"), [("S097", 6, 71)]);
        assert_eq!(codes("type: Choice"), [("S097", 6, 71)]);
        assert_eq!(codes("type: string"), [("S097", 6, 71)]);
        assert_eq!(codes("type: \"list<Problem>\""), [("S097", 6, 71)]);
        assert_eq!(codes("type: Problem, ticket: id"), [("S100", 6, 71)]);
        assert_eq!(codes("type: Problem, ticket: $.id"), []);
    }

    #[test]
    fn the_word_is_format_2() {
        let text = spec("type: Problem").replace("format: 2", "format: 1");
        let loaded = crate::load::load("t.yaml", &text).expect("loads");
        let found: Vec<_> = crate::format::check("t.yaml", &loaded)
            .into_iter()
            .map(|d| (d.code, d.place.line, d.place.column))
            .collect();
        assert!(found.contains(&("S065", 6, 71)), "{found:?}");
    }
}
