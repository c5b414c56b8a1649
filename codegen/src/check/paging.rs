//! Pagination blocks (S023, S080 to S084): the keys each style takes, the request parameters
//! they name, and the paths through the answer to the items and to the next cursor.

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::spec::{Location, Pagination, PagingStyle, Param, Spanned};

impl Checker<'_> {
    /// The pagination of operation `id`, when it has one.
    pub(super) fn check_pagination(&mut self, id: &Spanned<String>, op: &crate::spec::Operation) {
        let Some(p) = &op.pagination else { return };
        let style = p.style();
        self.check_paging_keys(p, style);
        let integer = |name: &Spanned<String>| {
            op.params
                .get(&name.value)
                .is_some_and(|x| x.ty.value == "integer" && !crate::paths::is_nested(&name.value))
        };
        for param in [&p.offset, &p.limit].into_iter().flatten() {
            if !integer(param) {
                let place = self.at(param);
                self.diags.push(
                    Diagnostic::error("S023", place, format!("pagination names `{}`, which is not a top-level integer parameter of `{}`", param.value, id.value))
                        .hint("name the integer parameters that give the page's start and size"),
                );
            }
        }
        match style {
            PagingStyle::Offset => self.check_offset_items(p, op),
            PagingStyle::Cursor | PagingStyle::Link => {
                if let Some(cursor) = &p.cursor {
                    let fits = op.params.get(&cursor.value).is_some_and(|x| {
                        query_string(x) && !crate::paths::is_nested(&cursor.value)
                    });
                    if !fits {
                        let place = self.at(cursor);
                        self.diags.push(
                            Diagnostic::error(
                                "S082",
                                place,
                                format!(
                                    "pagination's cursor `{}` is not a top-level `in: query` string parameter of `{}`",
                                    cursor.value, id.value
                                ),
                            )
                            .hint("declare it `{ type: string, in: query }` (not nullable), or name the parameter that takes the cursor"),
                        );
                    }
                }
                self.check_answer_path(&op.response.value, &p.items, true);
                if let Some(next) = &p.next {
                    self.check_answer_path(&op.response.value, next, false);
                }
            }
        }
    }

    /// S080 for a key the style needs that is missing, S081 for a key of another style.
    fn check_paging_keys(&mut self, p: &Pagination, style: PagingStyle) {
        type Keys<'a> = Vec<(&'static str, Option<&'a Spanned<String>>)>;
        let (needed, foreign): (Keys, Keys) = match style {
            PagingStyle::Offset => (
                vec![("offset", p.offset.as_ref()), ("limit", p.limit.as_ref())],
                vec![("cursor", p.cursor.as_ref()), ("next", p.next.as_ref())],
            ),
            PagingStyle::Cursor | PagingStyle::Link => (
                vec![("cursor", p.cursor.as_ref()), ("next", p.next.as_ref())],
                vec![("offset", p.offset.as_ref())],
            ),
        };
        let name = match style {
            PagingStyle::Offset => "offset",
            PagingStyle::Cursor => "cursor",
            PagingStyle::Link => "link",
        };
        let anchor = match &p.style {
            Some(s) => self.at(s),
            None => self.at(&p.items),
        };
        for (key, _) in needed.iter().filter(|(_, given)| given.is_none()) {
            self.diags.push(
                Diagnostic::error(
                    "S080",
                    anchor.clone(),
                    format!("pagination of style `{name}` has no `{key}`"),
                )
                .hint(match style {
                    PagingStyle::Offset => "the offset style takes `offset`, `limit` and `items`",
                    PagingStyle::Cursor | PagingStyle::Link => {
                        "this style takes `cursor`, `next`, `items` and optionally `limit`"
                    }
                }),
            );
        }
        for (key, given) in &foreign {
            let Some(given) = given else { continue };
            let place = self.at(given);
            self.diags.push(
                Diagnostic::error(
                    "S081",
                    place,
                    format!("`{key}` is not a key of pagination style `{name}`"),
                )
                .hint(match style {
                    PagingStyle::Offset => {
                        "set `style: cursor` (or `link`) for a cursor read from the answer, or remove the key"
                    }
                    PagingStyle::Cursor | PagingStyle::Link => {
                        "remove it: this style moves on by the cursor the answer gives"
                    }
                }),
            );
        }
    }

    /// The offset style's `items`: a top-level list field of the response (S023).
    fn check_offset_items(&mut self, p: &Pagination, op: &crate::spec::Operation) {
        let items_ok = self
            .spec
            .types
            .get(&op.response.value)
            .and_then(|t| t.fields.get(&p.items.value))
            .is_some_and(|f| f.ty.value.starts_with("list<"));
        if !items_ok {
            let place = self.at(&p.items);
            self.diags.push(
                Diagnostic::error(
                    "S023",
                    place,
                    format!(
                        "pagination names `{}`, which is not a list field of the response `{}`",
                        p.items.value, op.response.value
                    ),
                )
                .hint("name the answer's list field that holds the page's items"),
            );
        }
    }

    /// A dotted path through the answer type `response`: S083 when it leads nowhere, S084 when
    /// its field is not a list (`items`) or a string (`next`).
    fn check_answer_path(&mut self, response: &str, path: &Spanned<String>, items: bool) {
        let what = if items { "items" } else { "next" };
        let field = match answer_field(self.spec, response, &path.value) {
            Ok(field) => field,
            Err(missing) => {
                let place = self.at(path);
                self.diags.push(
                    Diagnostic::error(
                        "S083",
                        place,
                        format!(
                            "pagination's `{what}` path `{}` does not exist in the response `{response}`: there is no `{missing}`",
                            path.value
                        ),
                    )
                    .hint("write the dotted path of a field of the answer, through its objects"),
                );
                return;
            }
        };
        let fits = if items {
            field.ty.value.starts_with("list<")
        } else {
            field.ty.value == "string"
        };
        if !fits {
            let place = self.at(path);
            let wanted = if items { "a list" } else { "a string" };
            self.diags.push(
                Diagnostic::error(
                    "S084",
                    place,
                    format!(
                        "pagination's `{what}` path `{}` is a `{}`, not {wanted}",
                        path.value, field.ty.value
                    ),
                )
                .hint(if items {
                    "name the list field that holds the page's items"
                } else {
                    "name the string field that holds the next page's cursor or link"
                }),
            );
        }
    }
}

/// A cursor parameter the pager can set: an optional or required string sent in the query.
fn query_string(param: &Param) -> bool {
    param.ty.value == "string"
        && param.location.as_ref().map(|l| l.value) == Some(Location::Query)
        && !param.nullable.as_ref().is_some_and(|n| n.value)
}

/// The field a dotted `path` names in the type `response`, through dotted keys and named types;
/// `Err` with the part of the path that leads nowhere.
fn answer_field<'s>(
    spec: &'s crate::spec::SpecFile,
    response: &str,
    path: &str,
) -> Result<&'s Param, String> {
    let Ok(segments) = crate::paths::segments(path) else {
        return Err(path.to_owned());
    };
    if segments.iter().any(|s| s.list) {
        return Err(path.to_owned());
    }
    let names: Vec<String> = segments
        .iter()
        .map(|s| crate::paths::quote(s.name))
        .collect();
    let mut ty = response;
    let mut start = 0;
    // Each step takes the longest key of `ty` that starts the rest of the path; the field's
    // type, a named type, holds the rest. Bounded by the number of segments.
    while start < names.len() {
        let fields = &spec
            .types
            .get(ty)
            .ok_or_else(|| names[start..].join("."))?
            .fields;
        let (end, field) = (start + 1..=names.len())
            .rev()
            .find_map(|end| {
                let key = names[start..end].join(".");
                fields
                    .iter()
                    .find(|(k, _)| crate::paths::normalize(&k.value).as_deref() == Some(&key))
                    .map(|(_, f)| (end, f))
            })
            .ok_or_else(|| names[..=start].join("."))?;
        if end == names.len() {
            return Ok(field);
        }
        ty = &field.ty.value;
        start = end;
    }
    Err(path.to_owned())
}
