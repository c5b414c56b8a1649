//! Authentication schemes (`api.auth`, S041 to S049), judged by the rules the runtime applies
//! when it builds a client (`codegen/runtime/src/rules.rs`).

use std::collections::BTreeMap;

use super::Checker;
use crate::diagnostics::{Diagnostic, Place};
use crate::rules::{self, HeaderNameProblem};
use crate::spec::{Auth, AuthKind, AuthScheme, KeyLocation, Location, Spanned};

impl Checker<'_> {
    /// `api.auth` as a list: not empty (S041), one scheme of each kind (S042), each with the
    /// settings it needs (S043) and none of another's (S044); an API key's header (S045) or
    /// query name (S046) and prefix (S047); an OAuth token URL (S048) and scopes (S049).
    pub(super) fn check_auth(&mut self) {
        let auth = &self.spec.api.auth;
        let Auth::Schemes(schemes) = &auth.value else {
            return;
        };
        if schemes.is_empty() {
            let place = self.at(auth);
            self.diags.push(
                Diagnostic::error("S041", place, "`auth` lists no scheme")
                    .hint("list the schemes the API offers, e.g. `auth: [{scheme: basic}]`, or write `auth: basic`"),
            );
        }
        let mut seen: BTreeMap<AuthKind, Place> = BTreeMap::new();
        for scheme in schemes {
            let kind = scheme.value.scheme.value;
            let place = self.at(&scheme.value.scheme);
            if let Some(first) = seen.get(&kind) {
                let first = first.clone();
                self.diags.push(
                    Diagnostic::error(
                        "S042",
                        place,
                        format!(
                            "scheme `{}` is listed twice (first at line {})",
                            kind.name(),
                            first.line
                        ),
                    )
                    .hint("a client takes one set of credentials per scheme: keep one entry")
                    .related(first, "listed first here"),
                );
            } else {
                seen.insert(kind, place);
            }
            self.check_auth_scheme(scheme);
        }
    }

    fn check_auth_scheme(&mut self, scheme: &Spanned<AuthScheme>) {
        let s = &scheme.value;
        let kind = s.scheme.value;
        // Settings of other schemes (S044), each at its own place.
        let settings = [
            (
                "in",
                s.location.as_ref().map(|v| self.at(v)),
                AuthKind::ApiKey,
            ),
            (
                "name",
                s.name.as_ref().map(|v| self.at(v)),
                AuthKind::ApiKey,
            ),
            (
                "prefix",
                s.prefix.as_ref().map(|v| self.at(v)),
                AuthKind::ApiKey,
            ),
            (
                "token_url",
                s.token_url.as_ref().map(|v| self.at(v)),
                AuthKind::OAuth2ClientCredentials,
            ),
            (
                "scopes",
                s.scopes.as_ref().map(|v| self.at(v)),
                AuthKind::OAuth2ClientCredentials,
            ),
            (
                "client_auth",
                s.client_auth.as_ref().map(|v| self.at(v)),
                AuthKind::OAuth2ClientCredentials,
            ),
        ];
        for (key, place, owner) in settings {
            if let Some(place) = place.filter(|_| owner != kind) {
                self.diags.push(
                    Diagnostic::error(
                        "S044",
                        place,
                        format!(
                            "`{key}` is a setting of `{}`, not of scheme `{}`",
                            owner.name(),
                            kind.name()
                        ),
                    )
                    .hint("remove it, or move it to the scheme it belongs to"),
                );
            }
        }
        let missing = |what: &str| -> Option<&'static str> {
            match (kind, what) {
                (AuthKind::ApiKey, "in") => s
                    .location
                    .is_none()
                    .then_some("`in: header` or `in: query`"),
                (AuthKind::ApiKey, "name") => s
                    .name
                    .is_none()
                    .then_some("`name:` (the header or query parameter, e.g. `X-Api-Key`)"),
                (AuthKind::OAuth2ClientCredentials, "token_url") => s
                    .token_url
                    .is_none()
                    .then_some("`token_url:` (the https URL of the token endpoint)"),
                _ => None,
            }
        };
        for what in ["in", "name", "token_url"] {
            if let Some(needed) = missing(what) {
                let place = self.at(&s.scheme);
                self.diags.push(
                    Diagnostic::error(
                        "S043",
                        place,
                        format!("scheme `{}` needs `{what}`", kind.name()),
                    )
                    .hint(format!("add {needed}")),
                );
            }
        }
        match kind {
            AuthKind::ApiKey => self.check_api_key(s),
            AuthKind::OAuth2ClientCredentials => self.check_oauth(s),
            AuthKind::Basic | AuthKind::Bearer => {}
        }
    }

    fn check_api_key(&mut self, s: &AuthScheme) {
        let location = s.location.as_ref().map(|l| l.value);
        if let Some(name) = &s.name {
            match location {
                Some(KeyLocation::Header) => self.check_api_key_header(name),
                Some(KeyLocation::Query) if !rules::query_name(&name.value) => {
                    let place = self.at(name);
                    self.diags.push(
                        Diagnostic::error(
                            "S046",
                            place,
                            format!(
                                "`{}` cannot be the query parameter of an API key",
                                name.value.escape_default()
                            ),
                        )
                        .hint("use ASCII letters, digits and `-._~[]` only (e.g. `api_key`)"),
                    );
                }
                Some(KeyLocation::Query) => self.check_api_key_query_clash(name),
                None => {}
            }
        }
        if let Some(prefix) = &s.prefix {
            let place = self.at(prefix);
            if location == Some(KeyLocation::Query) {
                self.diags.push(
                    Diagnostic::error(
                        "S047",
                        place,
                        "an API key sent in the query takes no `prefix`",
                    )
                    .hint("remove `prefix`: a prefix is text before the key in a header"),
                );
            } else if !rules::header_value(&prefix.value) {
                self.diags.push(
                    Diagnostic::error(
                        "S047",
                        place,
                        format!(
                            "prefix `{}` cannot be sent in a header",
                            prefix.value.escape_default()
                        ),
                    )
                    .hint("use visible ASCII characters and spaces only (e.g. `\"ApiKey \"`)"),
                );
            }
        }
    }

    /// S046: the query parameter of an API key is no operation's query parameter too (both
    /// would be sent).
    fn check_api_key_query_clash(&mut self, name: &Spanned<String>) {
        let clash = self.spec.operations.iter().find_map(|(id, op)| {
            op.params
                .iter()
                .find(|(key, param)| {
                    key.value == name.value
                        && param.location.as_ref().map(|l| l.value) == Some(Location::Query)
                })
                .map(|(key, _)| (id.value.clone(), key.referenced.line()))
        });
        if let Some((operation, line)) = clash {
            let place = self.at(name);
            self.diags.push(
                Diagnostic::error(
                    "S046",
                    place,
                    format!(
                        "the API key's query parameter `{}` is also a query parameter of operation `{operation}` (line {line})",
                        name.value
                    ),
                )
                .hint("an API key in the query goes with every request: rename the operation's parameter, or check which one the API means"),
            );
        }
    }

    /// S045: the header of an API key is an HTTP token, not a header the runtime sets (but
    /// `Authorization`, which is the key's to set), and none of the API's fixed headers.
    fn check_api_key_header(&mut self, name: &Spanned<String>) {
        let problem = match rules::header_name(&name.value) {
            Ok(()) | Err(HeaderNameProblem::Reserved("Authorization")) => {
                let clash = self
                    .spec
                    .api
                    .headers
                    .iter()
                    .find(|(fixed, _)| fixed.value.eq_ignore_ascii_case(&name.value));
                match clash {
                    Some((fixed, _)) => format!(
                        "the API key's header `{}` is also a fixed header (line {})",
                        name.value,
                        fixed.referenced.line()
                    ),
                    None => return,
                }
            }
            Err(HeaderNameProblem::Reserved(runtime)) => format!(
                "the API key's header `{}` is a header the runtime sets itself (`{runtime}`)",
                name.value
            ),
            Err(HeaderNameProblem::NotToken(_)) => format!(
                "the API key's header `{}` is not a valid HTTP header name",
                name.value.escape_default()
            ),
        };
        let place = self.at(name);
        self.diags.push(
            Diagnostic::error("S045", place, problem)
                .hint("name the header the API reads its key from: an HTTP token (e.g. `X-Api-Key`), or `Authorization`"),
        );
    }

    fn check_oauth(&mut self, s: &AuthScheme) {
        if let Some(url) = &s.token_url {
            let problem = if url.value.contains(['{', '}']) {
                Some("holds a placeholder: it is used as written".to_owned())
            } else {
                match rules::base_url(&url.value, false) {
                    Ok(base) if base.https => None,
                    Ok(_) => Some(
                        "is not https: the client secret would travel in clear text".to_owned(),
                    ),
                    Err(rules::BaseUrlProblem::Scheme(scheme)) => {
                        Some(format!("has the scheme `{scheme}`; expected https"))
                    }
                    Err(rules::BaseUrlProblem::PlainHttp) => Some(
                        "is not https: the client secret would travel in clear text".to_owned(),
                    ),
                    Err(rules::BaseUrlProblem::Invalid(e)) => {
                        Some(format!("is not a valid URL: {e}"))
                    }
                    Err(rules::BaseUrlProblem::UserInfo) => {
                        Some("holds a user name, a password or an `@`".to_owned())
                    }
                    Err(rules::BaseUrlProblem::QueryOrFragment) => {
                        Some("has a query or a fragment".to_owned())
                    }
                    Err(rules::BaseUrlProblem::NoHost) => Some("has no host".to_owned()),
                    Err(rules::BaseUrlProblem::Placeholder) => {
                        Some("holds a placeholder: it is used as written".to_owned())
                    }
                }
            };
            if let Some(problem) = problem {
                let place = self.at(url);
                self.diags.push(
                    Diagnostic::error("S048", place, format!("token URL `{}` {problem}", url.value.escape_default()))
                        .hint("write the token endpoint as an absolute https URL, e.g. `https://auth.example.com/oauth/token`; a client can still point at another one (`ClientConfig::token_url`)"),
                );
            }
        }
        if let Some(scopes) = &s.scopes {
            let mut seen: Vec<(&str, Place)> = Vec::new();
            for scope in &scopes.value {
                // RFC 6749, 3.3: a scope token is visible ASCII but `"` and `\`.
                let valid = !scope.value.is_empty()
                    && scope
                        .value
                        .bytes()
                        .all(|b| (b'!'..=b'~').contains(&b) && b != b'"' && b != b'\\');
                let place = self.at(scope);
                let first = seen
                    .iter()
                    .find(|(s, _)| *s == scope.value)
                    .map(|(_, p)| p.clone());
                let problem = if !valid {
                    Some(format!(
                        "scope `{}` is not an OAuth scope token",
                        scope.value.escape_default()
                    ))
                } else if first.is_some() {
                    Some(format!("scope `{}` is listed twice", scope.value))
                } else {
                    seen.push((scope.value.as_str(), place.clone()));
                    None
                };
                if let Some(problem) = problem {
                    let mut d = Diagnostic::error("S049", place, problem)
                            .hint("list each scope once, as one word of visible ASCII without `\"` or `\\` (scopes are sent space-separated)");
                    if let Some(first) = first.filter(|_| valid) {
                        d = d.related(first, "listed first here");
                    }
                    self.diags.push(d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    /// `HEADER` with `auth:` replaced by the given YAML (its first line is line 5).
    fn with_auth(auth: &str) -> String {
        HEADER.replace("  auth: basic\n", &format!("  auth:{auth}\n"))
    }

    fn found(text: &str) -> Vec<(&'static str, u32, u32, String)> {
        diagnostics(text)
            .into_iter()
            .map(|d| (d.code, d.place.line, d.place.column, d.message))
            .collect()
    }

    #[test]
    fn every_scheme_with_its_settings_passes() {
        let text = with_auth(
            "
    - scheme: basic
      doc: {en: Shop id and key., fr: Identifiant et clé.}
    - scheme: bearer
    - scheme: api_key
      in: header
      name: Authorization
      prefix: \"ApiKey \"
    - scheme: oauth2_client_credentials
      token_url: https://auth.example.com/oauth/token
      scopes: [payments, \"refunds:write\"]
      client_auth: body",
        );
        assert_eq!(found(&text), []);
        assert_eq!(
            found(&with_auth(" [{scheme: api_key, in: query, name: api_key}]")),
            []
        );
    }

    #[test]
    fn an_empty_list_and_duplicates_are_refused() {
        assert_eq!(
            found(&with_auth(" []")),
            [("S041", 5, 9, "`auth` lists no scheme".to_owned())]
        );
        assert_eq!(
            found(&with_auth(
                " [{scheme: bearer}, {scheme: basic}, {scheme: bearer}]"
            )),
            [(
                "S042",
                5,
                54,
                "scheme `bearer` is listed twice (first at line 5)".to_owned()
            )]
        );
        // The first entry is shown beside the second, as rustc shows a first definition.
        let d = diagnostics(&with_auth(
            " [{scheme: bearer}, {scheme: basic}, {scheme: bearer}]",
        ));
        let related = d[0].related.as_ref().expect("the first entry");
        assert_eq!(
            (
                related.place.line,
                related.place.column,
                related.label.as_str()
            ),
            (5, 19, "listed first here")
        );
    }

    #[test]
    fn missing_and_foreign_settings_are_refused() {
        let text = with_auth(
            "
    - scheme: api_key
    - scheme: oauth2_client_credentials
      in: header
      prefix: x
    - scheme: bearer
      token_url: https://a.example.com/t
      client_auth: body
      scopes: [a]",
        );
        assert_eq!(
            found(&text),
            [
                ("S043", 6, 15, "scheme `api_key` needs `in`".to_owned()),
                ("S043", 6, 15, "scheme `api_key` needs `name`".to_owned()),
                (
                    "S044",
                    8,
                    11,
                    "`in` is a setting of `api_key`, not of scheme `oauth2_client_credentials`"
                        .to_owned()
                ),
                (
                    "S044",
                    9,
                    15,
                    "`prefix` is a setting of `api_key`, not of scheme `oauth2_client_credentials`"
                        .to_owned()
                ),
                (
                    "S043",
                    7,
                    15,
                    "scheme `oauth2_client_credentials` needs `token_url`".to_owned()
                ),
                (
                    "S044",
                    11,
                    18,
                    "`token_url` is a setting of `oauth2_client_credentials`, not of scheme `bearer`"
                        .to_owned()
                ),
                (
                    "S044",
                    13,
                    15,
                    "`scopes` is a setting of `oauth2_client_credentials`, not of scheme `bearer`"
                        .to_owned()
                ),
                (
                    "S044",
                    12,
                    20,
                    "`client_auth` is a setting of `oauth2_client_credentials`, not of scheme `bearer`"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn api_key_names_and_prefixes_are_checked() {
        let header = |name: &str| {
            found(&with_auth(&format!(
                " [{{scheme: api_key, in: header, name: \"{name}\"}}]"
            )))
        };
        assert_eq!(
            header("X Key"),
            [(
                "S045",
                5,
                46,
                "the API key's header `X Key` is not a valid HTTP header name".to_owned()
            )]
        );
        assert_eq!(
            header("content-type"),
            [(
                "S045",
                5,
                46,
                "the API key's header `content-type` is a header the runtime sets itself (`Content-Type`)"
                    .to_owned()
            )]
        );
        let clash = format!(
            "{}  headers:\n    x-api-key: \"1\"\n",
            with_auth(" [{scheme: api_key, in: header, name: X-Api-Key}]")
        );
        assert_eq!(
            found(&clash),
            [(
                "S045",
                5,
                46,
                "the API key's header `X-Api-Key` is also a fixed header (line 10)".to_owned()
            )]
        );
        assert_eq!(
            found(&with_auth(
                " [{scheme: api_key, in: query, name: \"api key&\"}]"
            )),
            [(
                "S046",
                5,
                45,
                "`api key&` cannot be the query parameter of an API key".to_owned()
            )]
        );
        assert_eq!(
            found(&with_auth(
                " [{scheme: api_key, in: query, name: key, prefix: \"Bearer \"}]"
            )),
            [(
                "S047",
                5,
                58,
                "an API key sent in the query takes no `prefix`".to_owned()
            )]
        );
        assert_eq!(
            found(&with_auth(
                " [{scheme: api_key, in: header, name: X-Key, prefix: \"cl\u{e9} \"}]"
            )),
            [(
                "S047",
                5,
                61,
                "prefix `cl\\u{e9} ` cannot be sent in a header".to_owned()
            )]
        );
    }

    #[test]
    fn an_api_key_query_parameter_is_no_operation_parameter() {
        let text = format!(
            "{}operations:\n  op:\n    summary: S.\n    method: GET\n    path: /x\n    retry: safe\n    response: none\n    params:\n      access_key: {{ type: string, in: query }}\n",
            with_auth(" [{scheme: api_key, in: query, name: access_key}]")
        );
        assert_eq!(
            found(&text),
            [(
                "S046",
                5,
                45,
                "the API key's query parameter `access_key` is also a query parameter of operation `op` (line 17)".to_owned()
            )]
        );
    }

    #[test]
    fn token_urls_and_scopes_are_checked() {
        let oauth = |url: &str, scopes: &str| {
            found(&with_auth(&format!(
                " [{{scheme: oauth2_client_credentials, token_url: \"{url}\", scopes: {scopes}}}]"
            )))
        };
        assert_eq!(
            oauth("http://auth.example.com/token", "[a]"),
            [(
                "S048",
                5,
                57,
                "token URL `http://auth.example.com/token` is not https: the client secret would travel in clear text"
                    .to_owned()
            )]
        );
        assert_eq!(
            oauth("https://{tenant}.example.com/token", "[a]")[0].3,
            "token URL `https://{tenant}.example.com/token` holds a placeholder: it is used as written"
        );
        assert_eq!(
            oauth("https://auth.example.com/token?x=1", "[a]")[0].3,
            "token URL `https://auth.example.com/token?x=1` has a query or a fragment"
        );
        assert_eq!(oauth("/token", "[a]")[0].0, "S048");
        assert_eq!(
            oauth("https://auth.example.com/token", "[a, \"b c\", a, \"\"]"),
            [
                (
                    "S049",
                    5,
                    103,
                    "scope `b c` is not an OAuth scope token".to_owned()
                ),
                ("S049", 5, 110, "scope `a` is listed twice".to_owned()),
                (
                    "S049",
                    5,
                    113,
                    "scope `` is not an OAuth scope token".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn the_short_form_is_basic_only() {
        let spec = crate::load::load("t.yaml", &HEADER.replace("auth: basic", "auth: bearer"));
        let error = spec.expect_err("a shape error");
        assert_eq!(error.code, "S001");
    }
}
