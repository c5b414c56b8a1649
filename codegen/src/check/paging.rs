//! Pagination blocks (S023, S067, S068, S080 to S084): the keys each style takes, the request
//! parameters they name, the paths through the answer to the items, the next cursor, the page
//! count and the "more pages" flag, and the path through an item to its id.

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
        for param in [&p.offset, &p.limit, &p.page].into_iter().flatten() {
            if !integer(param) {
                let place = self.at(param);
                self.diags.push(
                    Diagnostic::error("S023", place, format!("pagination names `{}`, which is not a top-level integer parameter of `{}`", param.value, id.value))
                        .hint("name the integer parameters that give the page's start and size"),
                );
            }
        }
        let response = &op.response.value;
        match style {
            PagingStyle::Offset => self.check_offset_items(p, op),
            PagingStyle::Cursor | PagingStyle::Link => {
                self.check_cursor_param(id, op, p);
                self.check_answer_path(response, &p.items, Want::Items);
                if let Some(next) = &p.next {
                    self.check_answer_path(response, next, Want::Next);
                }
            }
            PagingStyle::Page => {
                self.check_answer_path(response, &p.items, Want::Items);
                if let Some(total) = &p.total_pages {
                    self.check_answer_path(response, total, Want::TotalPages);
                }
                if let Some(more) = &p.has_more {
                    self.check_answer_path(response, more, Want::HasMore);
                }
                if let (Some(_), Some(more)) = (&p.total_pages, &p.has_more) {
                    let place = self.at(more);
                    self.diags.push(
                        Diagnostic::error(
                            "S067",
                            place,
                            "pagination of style `page` has both `total_pages` and `has_more`",
                        )
                        .hint(
                            "keep the one the answer is sure to carry: the pager stops on one rule",
                        ),
                    );
                }
            }
            PagingStyle::LastItem => {
                self.check_cursor_param(id, op, p);
                let items_ok = self.check_answer_path(response, &p.items, Want::Items);
                if let Some(more) = &p.has_more {
                    self.check_answer_path(response, more, Want::HasMore);
                }
                if let (Some(id_path), Some(items)) = (&p.id, items_ok) {
                    self.check_item_id(&items, id_path);
                }
            }
        }
    }

    /// The cursor parameter of the cursor, link and last-item styles (S082).
    fn check_cursor_param(
        &mut self,
        id: &Spanned<String>,
        op: &crate::spec::Operation,
        p: &Pagination,
    ) {
        let Some(cursor) = &p.cursor else { return };
        let fits = op
            .params
            .get(&cursor.value)
            .is_some_and(|x| query_string(x) && !crate::paths::is_nested(&cursor.value));
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

    /// The last-item style's `id`: a dotted path through one item (of type `items`, the
    /// `list<…>` of the answer) to a string field (S068).
    fn check_item_id(&mut self, items: &str, id: &Spanned<String>) {
        let item = items
            .strip_prefix("list<")
            .and_then(|t| t.strip_suffix('>'))
            .unwrap_or(items)
            .trim();
        let problem = if self.spec.types.get(item).is_none() {
            Some(format!("the items are `{item}`, not objects with fields"))
        } else {
            match answer_field(self.spec, item, &id.value) {
                Err(missing) => Some(format!("the item `{item}` has no `{missing}`")),
                Ok(field) if field.ty.value != "string" => {
                    Some(format!("it is a `{}`, not a string", field.ty.value))
                }
                Ok(_) => None,
            }
        };
        if let Some(problem) = problem {
            let place = self.at(id);
            self.diags.push(
                Diagnostic::error(
                    "S068",
                    place,
                    format!("pagination's `id` path `{}` names no string field of an item: {problem}", id.value),
                )
                .hint("write the dotted path, in one item, of the string id the API takes as the cursor"),
            );
        }
    }

    /// S080 for a key the style needs that is missing, S081 for a key of another style.
    fn check_paging_keys(&mut self, p: &Pagination, style: PagingStyle) {
        type Keys<'a> = Vec<(&'static str, Option<&'a Spanned<String>>)>;
        let (offset, cursor, next) = (
            ("offset", p.offset.as_ref()),
            ("cursor", p.cursor.as_ref()),
            ("next", p.next.as_ref()),
        );
        let (page, total_pages, has_more, id) = (
            ("page", p.page.as_ref()),
            ("total_pages", p.total_pages.as_ref()),
            ("has_more", p.has_more.as_ref()),
            ("id", p.id.as_ref()),
        );
        let (needed, foreign): (Keys, Keys) = match style {
            PagingStyle::Offset => (
                vec![offset, ("limit", p.limit.as_ref())],
                vec![cursor, next, page, total_pages, has_more, id],
            ),
            PagingStyle::Cursor | PagingStyle::Link => (
                vec![cursor, next],
                vec![offset, page, total_pages, has_more, id],
            ),
            PagingStyle::Page => (vec![page], vec![offset, cursor, next, id]),
            PagingStyle::LastItem => (
                vec![cursor, id, has_more],
                vec![offset, next, page, total_pages],
            ),
        };
        let name = match style {
            PagingStyle::Offset => "offset",
            PagingStyle::Cursor => "cursor",
            PagingStyle::Link => "link",
            PagingStyle::Page => "page",
            PagingStyle::LastItem => "last_item",
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
                    PagingStyle::Page => {
                        "the page style takes `page`, `items`, optionally `limit`, and `total_pages` or `has_more`"
                    }
                    PagingStyle::LastItem => {
                        "the last_item style takes `cursor`, `id`, `has_more`, `items` and optionally `limit`"
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
                .hint(match (style, *key) {
                    (PagingStyle::Offset, "cursor" | "next") => {
                        "set `style: cursor` (or `link`) for a cursor read from the answer, or remove the key"
                    }
                    (PagingStyle::Cursor | PagingStyle::Link, "offset") => {
                        "remove it: this style moves on by the cursor the answer gives"
                    }
                    (_, "page" | "total_pages") => {
                        "set `style: page` for a page number, or remove the key"
                    }
                    (_, "id" | "has_more") => {
                        "set `style: last_item` (or `page`, for `has_more`), or remove the key"
                    }
                    (_, "next") => "set `style: cursor` (or `link`), or remove the key",
                    (_, "cursor") => {
                        "set `style: cursor`, `link` or `last_item`, or remove the key"
                    }
                    _ => "remove the key, or set the style that takes it",
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
    /// its field is not of the type `want` says. The field's type when it fits.
    fn check_answer_path(
        &mut self,
        response: &str,
        path: &Spanned<String>,
        want: Want,
    ) -> Option<String> {
        let what = want.key();
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
                return None;
            }
        };
        let fits = match want {
            Want::Items => field.ty.value.starts_with("list<"),
            Want::Next => field.ty.value == "string",
            Want::TotalPages => field.ty.value == "integer",
            Want::HasMore => field.ty.value == "boolean",
        };
        if fits {
            return Some(field.ty.value.clone());
        }
        {
            let place = self.at(path);
            let wanted = match want {
                Want::Items => "a list",
                Want::Next => "a string",
                Want::TotalPages => "an integer",
                Want::HasMore => "a boolean",
            };
            self.diags.push(
                Diagnostic::error(
                    "S084",
                    place,
                    format!(
                        "pagination's `{what}` path `{}` is a `{}`, not {wanted}",
                        path.value, field.ty.value
                    ),
                )
                .hint(match want {
                    Want::Items => "name the list field that holds the page's items",
                    Want::Next => "name the string field that holds the next page's cursor or link",
                    Want::TotalPages => "name the integer field that gives the number of pages",
                    Want::HasMore => "name the boolean field that says whether more pages follow",
                }),
            );
        }
        None
    }
}

/// What a path through the answer must lead to.
#[derive(Clone, Copy)]
enum Want {
    /// `items`: a list.
    Items,
    /// `next`: a string.
    Next,
    /// `total_pages`: an integer.
    TotalPages,
    /// `has_more`: a boolean.
    HasMore,
}

impl Want {
    /// The key of the pagination block that holds the path.
    fn key(self) -> &'static str {
        match self {
            Want::Items => "items",
            Want::Next => "next",
            Want::TotalPages => "total_pages",
            Want::HasMore => "has_more",
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
