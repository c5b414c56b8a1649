//! Header names and values a spec sends (S038 to S040), judged by the rules the runtime applies
//! when it builds a client (`codegen/runtime/src/rules.rs`).

use std::collections::BTreeMap;

use super::Checker;
use crate::diagnostics::{Diagnostic, Place};
use crate::rules::{self, HeaderNameProblem};
use crate::spec::{Location, Operation, Spanned};

impl Checker<'_> {
    /// `api.headers`: each name an HTTP token (S038) the runtime does not set and given once
    /// whatever its case (S040), each value one the runtime can send (S039).
    pub(super) fn check_fixed_headers(&mut self) {
        let mut seen = BTreeMap::new();
        for (name, value) in self.spec.api.headers.iter() {
            self.check_header_name(name, "fixed header", &mut seen);
            if !rules::header_value(&value.value) {
                let place = self.at(value);
                self.diags.push(
                    Diagnostic::error(
                        "S039",
                        place,
                        format!(
                            "the value of header `{}` is not a valid header value",
                            name.value
                        ),
                    )
                    .hint("use visible ASCII characters, spaces and tabs only (no line break, no other control character, nothing beyond ASCII)"),
                );
            }
        }
    }

    /// `in: header` parameters: each name an HTTP token (S038), not one the runtime sets, and
    /// not the name of a fixed header or another header parameter whatever its case (S040).
    pub(super) fn check_header_params(&mut self, op: &Operation) {
        let mut seen = BTreeMap::new();
        for (name, _) in self.spec.api.headers.iter() {
            if rules::header_name(&name.value).is_ok() {
                let place = self.at(name);
                seen.entry(name.value.to_ascii_lowercase())
                    .or_insert((name.value.clone(), place));
            }
        }
        for (key, param) in op.params.iter() {
            if param.location.as_ref().map(|l| l.value) == Some(Location::Header) {
                self.check_header_name(key, "header parameter", &mut seen);
            }
        }
    }

    /// S038 and S040 for one header name; `seen` maps the lower-case names met so far (in
    /// the same request) to the name as first written and its place.
    pub(super) fn check_header_name(
        &mut self,
        name: &Spanned<String>,
        what: &str,
        seen: &mut BTreeMap<String, (String, Place)>,
    ) {
        let place = self.at(name);
        match rules::header_name(&name.value) {
            Err(HeaderNameProblem::NotToken(bad)) => {
                let message = match bad {
                    None => format!("a {what} has an empty name"),
                    Some(c) => format!(
                        "{what} `{}` is not an HTTP header name: `{}` is not allowed in a header name",
                        name.value.escape_default(),
                        c.escape_default()
                    ),
                };
                self.diags.push(
                    Diagnostic::error("S038", place, message)
                    .hint("a header name is an HTTP token: ASCII letters, digits and ``!#$%&'*+-.^_`|~``, at least one"),
                );
            }
            Err(HeaderNameProblem::Reserved(reserved)) => {
                self.diags.push(
                    Diagnostic::error(
                        "S040",
                        place,
                        format!(
                            "{what} `{}` is a header the runtime sets itself (`{reserved}`)",
                            name.value
                        ),
                    )
                    .hint("remove it: the runtime sends Authorization, Content-Type, Accept, User-Agent, Host and Content-Length from the client's configuration and the request"),
                );
            }
            Ok(()) => match seen.get(&name.value.to_ascii_lowercase()) {
                Some((first, first_place)) => {
                    let related = first_place.clone();
                    self.diags.push(
                        Diagnostic::error(
                            "S040",
                            place,
                            format!(
                                "{what} `{}` is given twice: header names ignore case, and `{first}` (line {}) is the same header",
                                name.value, related.line
                            ),
                        )
                        .hint("keep one of them")
                        .related(related, "given first here"),
                    );
                }
                None => {
                    seen.insert(name.value.to_ascii_lowercase(), (name.value.clone(), place));
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    /// `HEADER` with `api.headers` written as the given YAML lines (the first on line 10).
    fn with_headers(lines: &str) -> String {
        format!("{HEADER}  headers:\n{lines}")
    }

    #[test]
    fn good_fixed_headers_pass() {
        let text = with_headers(
            "    Some-Version: \"2024-06-01\"\n    x_trace~flags: \"a b\tc\"\n    X-Empty: \"\"\n",
        );
        assert_eq!(located(&text), []);
    }

    #[test]
    fn a_name_that_is_not_a_token_is_s038() {
        let text = with_headers("    \"Some Version\": \"1\"\n    \"X:Y\": \"1\"\n");
        let diags = diagnostics(&text);
        let found: Vec<_> = diags
            .iter()
            .map(|d| (d.code, d.place.line, d.place.column, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "S038",
                    10,
                    5,
                    "fixed header `Some Version` is not an HTTP header name: ` ` is not allowed in a header name"
                ),
                (
                    "S038",
                    11,
                    5,
                    "fixed header `X:Y` is not an HTTP header name: `:` is not allowed in a header name"
                ),
            ]
        );
    }

    #[test]
    fn a_value_that_cannot_be_sent_is_s039() {
        let text = with_headers(
            "    X-A: \"line\\r\\nX-Injected: 1\"\n    X-B: \"caf\u{e9}\"\n    X-C: ok\n",
        );
        let diags = diagnostics(&text);
        let found: Vec<_> = diags
            .iter()
            .map(|d| (d.code, d.place.line, d.place.column, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "S039",
                    10,
                    10,
                    "the value of header `X-A` is not a valid header value"
                ),
                (
                    "S039",
                    11,
                    10,
                    "the value of header `X-B` is not a valid header value"
                ),
            ]
        );
    }

    #[test]
    fn runtime_headers_and_case_duplicates_are_s040() {
        let text = with_headers(
            "    content-TYPE: text/plain\n    Some-Version: \"1\"\n    Authorization: Bearer x\n    some-version: \"2\"\n",
        );
        let diags = diagnostics(&text);
        let found: Vec<_> = diags
            .iter()
            .map(|d| (d.code, d.place.line, d.place.column, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "S040",
                    10,
                    5,
                    "fixed header `content-TYPE` is a header the runtime sets itself (`Content-Type`)"
                ),
                (
                    "S040",
                    12,
                    5,
                    "fixed header `Authorization` is a header the runtime sets itself (`Authorization`)"
                ),
                (
                    "S040",
                    13,
                    5,
                    "fixed header `some-version` is given twice: header names ignore case, and `Some-Version` (line 11) is the same header"
                ),
            ]
        );
    }
}

#[cfg(test)]
mod param_tests {
    use super::super::testing::*;

    /// `HEADER` with a fixed header and one operation whose parameters are the given lines
    /// (the first on line 19).
    fn with_params(lines: &str) -> String {
        format!(
            "{HEADER}  headers:\n    Some-Version: \"1\"\noperations:\n  op:\n    summary: S.\n    method: POST\n    path: /x\n    retry: never\n    response: none\n    params:\n{lines}"
        )
    }

    fn found(text: &str) -> Vec<(&'static str, u32, u32, String)> {
        diagnostics(text)
            .into_iter()
            .map(|d| (d.code, d.place.line, d.place.column, d.message))
            .collect()
    }

    #[test]
    fn header_parameters_of_each_scalar_kind_pass() {
        let text = format!(
            "{}enums:\n  Mode:\n    values:\n      - {{ value: a, doc: A. }}\n",
            with_params(
                "      Request-Id: { type: string, in: header, required: true }\n      X-N: { type: integer, in: header }\n      X-B: { type: boolean, in: header }\n      X-M: { type: Mode, in: header }\n      X-K: { type: string, in: header, sensitive: true }\n"
            )
        );
        assert_eq!(found(&text), []);
    }

    #[test]
    fn header_parameter_names_are_checked() {
        let text = with_params(
            "      \"X Bad\": { type: string, in: header }\n      accept: { type: string, in: header }\n      some-VERSION: { type: string, in: header }\n      X-Dup: { type: string, in: header }\n      x-dup: { type: string, in: header }\n",
        );
        assert_eq!(
            found(&text),
            [
                (
                    "S038",
                    19,
                    7,
                    "header parameter `X Bad` is not an HTTP header name: ` ` is not allowed in a header name".to_owned()
                ),
                (
                    "S040",
                    20,
                    7,
                    "header parameter `accept` is a header the runtime sets itself (`Accept`)".to_owned()
                ),
                (
                    "S040",
                    21,
                    7,
                    "header parameter `some-VERSION` is given twice: header names ignore case, and `Some-Version` (line 10) is the same header".to_owned()
                ),
                (
                    "S040",
                    23,
                    7,
                    "header parameter `x-dup` is given twice: header names ignore case, and `X-Dup` (line 22) is the same header".to_owned()
                ),
            ]
        );
        // Each duplicate shows the first name beside it: a fixed header, another parameter.
        let related: Vec<_> = diagnostics(&text)
            .into_iter()
            .filter_map(|d| d.related)
            .map(|r| (r.place.line, r.place.column, r.label))
            .collect();
        assert_eq!(
            related,
            [
                (10, 5, "given first here".to_owned()),
                (22, 7, "given first here".to_owned())
            ]
        );
    }

    #[test]
    fn a_header_parameter_is_a_top_level_scalar() {
        let text = with_params("      X-Tags: { type: list<string>, in: header }\n");
        let diags = found(&text);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].0, "S020");
        assert_eq!((diags[0].1, diags[0].2), (19, 41));
        assert_eq!(diags[0].3, "`X-Tags` cannot travel in the headers");
    }
}
