//! Environment URLs (S017) and path templates (S006), judged by the rules the runtime applies
//! when it builds a client and a request (`codegen/runtime/src/rules.rs`): a spec passes only
//! if `Client::new` accepts each environment and every call can build its URL.

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::rules::{self, BaseUrlProblem, PathProblem};
use crate::spec::Operation;

/// Checked against every template as well as the spec's own environments:
/// `Client::with_config` takes any base URL.
const NEUTRAL_BASE: &str = "https://api.example.com";

impl Checker<'_> {
    /// S017: each environment URL is one `Client::new` accepts (https, or http on a loopback
    /// host), written exactly as the runtime will use it.
    pub(super) fn check_environments(&mut self) {
        for (key, env) in self.spec.api.environments.iter() {
            let raw = &env.url.value;
            // A template is judged with a sample value in each variable (S053 when it does
            // not parse): the runtime checks the URL it builds the same way.
            let Some(filled) = sample_url(raw) else {
                continue;
            };
            // `Client::new` does not allow plain http to other hosts.
            let (message, hint) = match rules::base_url(&filled, false) {
                Ok(base) if base.url == filled => continue,
                Ok(base) => (
                    format!("the runtime would use it as `{}`", base.url),
                    format!(
                        "write it as `{}`: the URL parser drops a trailing `/` and a default port, lowers the host's case, and resolves `..`",
                        base.url
                    ),
                ),
                Err(problem) => {
                    let (what, hint) = describe_base_url_problem(&problem);
                    (what, hint.to_owned())
                }
            };
            let place = self.at(&env.url);
            self.diags.push(
                Diagnostic::error(
                    "S017",
                    place,
                    format!(
                        "environment `{}` has an invalid base URL `{raw}`: {message}",
                        key.value
                    ),
                )
                .hint(hint),
            );
        }
    }

    /// S006: the template is well formed and, with any values in its placeholders, makes a
    /// path the runtime appends to each base URL as it is. Returns the placeholder names
    /// (none when the template does not parse).
    pub(super) fn check_path_template(&mut self, op: &Operation) -> Vec<String> {
        let path = &op.path.value;
        let (names, problem) = match parse_template(path) {
            Err(message) => (Vec::new(), message),
            Ok(names) => match self.usable_path(path) {
                Ok(()) => return names,
                Err(problem) => (
                    names,
                    format!(
                        "`{path}` is not a usable URL path: {}",
                        describe_path_problem(problem)
                    ),
                ),
            },
        };
        let place = self.at(&op.path);
        self.diags.push(
            Diagnostic::error("S006", place, format!("malformed path template: {problem}"))
                .hint("write `/segment/{param}/…`: start with `/`, name each path parameter in braces, and use only characters a URL path carries as they are (percent-encode others as `%XX`)"),
        );
        names
    }

    /// The runtime's verdict on the template once its placeholders are filled, against the
    /// neutral base URL and every valid environment. A placeholder stands for an encoded
    /// value (unreserved characters and `%XX`); only values that are empty, `.` or `..` are
    /// refused at call time, which no template can prevent.
    fn usable_path(&self, template: &str) -> Result<(), PathProblem> {
        let sample = fill_template(template, "x");
        let environments = self
            .spec
            .api
            .environments
            .iter()
            .filter_map(|(_, env)| sample_url(&env.url.value))
            .filter_map(|url| rules::base_url(&url, false).ok())
            .map(|base| base.url);
        for base in std::iter::once(NEUTRAL_BASE.to_owned()).chain(environments) {
            // A checked base parses again (the runtime refuses to build a client otherwise).
            if let Some(base) = rules::ParsedBase::new(&base) {
                base.join(&sample)?;
            }
        }
        Ok(())
    }
}

/// A base URL template with `x` in each variable (a value the runtime accepts), or `None`
/// when the template does not parse.
pub(super) fn sample_url(template: &str) -> Option<String> {
    let pieces = rules::url_template(template).ok()?;
    Some(
        pieces
            .into_iter()
            .map(|piece| match piece {
                rules::UrlTemplatePiece::Literal(text) => text,
                rules::UrlTemplatePiece::Variable(_) => "x",
            })
            .collect(),
    )
}

/// The message and hint of an environment URL the runtime refuses.
fn describe_base_url_problem(problem: &BaseUrlProblem) -> (String, &'static str) {
    match problem {
        BaseUrlProblem::Invalid(e) => (
            e.to_string(),
            "write an absolute URL: `https://host[:port][/path]`",
        ),
        BaseUrlProblem::UserInfo => (
            "it has a user name or password".to_owned(),
            "remove them: credentials are given to the client apart, and URLs end up in logs",
        ),
        BaseUrlProblem::QueryOrFragment => (
            "it has a query or a fragment".to_owned(),
            "remove them: operation paths are appended to the base URL",
        ),
        BaseUrlProblem::NoHost => (
            "it has no host".to_owned(),
            "write an absolute URL: `https://host[:port][/path]`",
        ),
        BaseUrlProblem::PlainHttp => (
            "it uses plain http on a host that is not a loopback address, which `Client::new` refuses".to_owned(),
            "use https; plain http is only for loopback test servers (`http://127.0.0.1:…`)",
        ),
        BaseUrlProblem::Scheme(scheme) => (
            format!("it has the scheme `{scheme}`"),
            "use https",
        ),
        // Not reached: a template is judged with its variables filled.
        BaseUrlProblem::Placeholder => (
            "it has a `{` or `}` outside a variable".to_owned(),
            "write variables as `{name}`, declared under `variables:`",
        ),
    }
}

/// What is wrong with a path, in words.
fn describe_path_problem(problem: PathProblem) -> String {
    match problem {
        PathProblem::NotAbsolute => "it does not start with `/`".to_owned(),
        PathProblem::QueryOrFragment => {
            "it has a `?` or `#`: a path carries no query or fragment".to_owned()
        }
        PathProblem::Backslash => "it has a `\\`, which URL parsers read as `/`".to_owned(),
        PathProblem::Character(c) => {
            format!("it has {c:?}, which a URL path cannot carry as it is")
        }
        PathProblem::EmptySegment => "it has an empty segment (`//` or a trailing `/`)".to_owned(),
        PathProblem::DotSegment => {
            "it has a `.` or `..` segment, which URL parsers resolve away".to_owned()
        }
        PathProblem::Percent => "it has a `%` that is not followed by two hex digits".to_owned(),
        PathProblem::Rewritten => "the URL parser would rewrite it".to_owned(),
    }
}

/// Parses a path template into its parameter names.
pub fn parse_template(path: &str) -> Result<Vec<String>, String> {
    if !path.starts_with('/') {
        return Err(format!("`{path}` does not start with `/`"));
    }
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("a `}` has no matching `{`".to_owned());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("a `{` is never closed")?;
        let name = &after[..close];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{{{name}}}` is not a parameter name"));
        }
        if names.iter().any(|n| n == name) {
            return Err(format!("`{{{name}}}` appears twice"));
        }
        names.push(name.to_owned());
        rest = &after[close + 1..];
    }
    Ok(names)
}

/// The template with every `{name}` replaced by `value` (the template parsed).
fn fill_template(template: &str, value: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        out.push_str(value);
        rest = rest[open..]
            .find('}')
            .map_or("", |close| &rest[open + close + 1..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn parses_templates() {
        assert_eq!(
            parse_template("/a/{x}/b/{y}"),
            Ok(vec!["x".to_owned(), "y".to_owned()])
        );
        assert!(parse_template("a/{x}").is_err());
        assert!(parse_template("/a/{x").is_err());
        assert!(parse_template("/a/x}").is_err());
        assert!(parse_template("/a/{x}/{x}").is_err());
        assert!(parse_template("/a/{}").is_err());
        assert_eq!(fill_template("/a/{x}/b{y}.json", "v"), "/a/v/bv.json");
    }

    /// A spec whose one operation has `path` (line 13, column 11) and a path parameter `id`.
    fn with_path(path: &str) -> String {
        format!(
            "{HEADER}operations:
  op:
    summary: S.
    method: GET
    path: {path:?}
    retry: safe
    response: none
    params:
      id: {{ type: string, in: path, required: true }}
"
        )
    }

    #[test]
    fn path_templates_the_runtime_accepts() {
        for path in [
            "/v1/orders/{id}",
            "/v1/{id}.json",
            "/v1/a%2Fb/{id}",
            "/v1/~a-b_c/{id}",
            "/{id}",
            "/a|b/{id}",
        ] {
            assert_eq!(located(&with_path(path)), [], "{path}");
        }
    }

    #[test]
    fn path_templates_that_fail_every_call_are_s006() {
        for path in [
            "/v1/orders/{id}?expand=all",
            "/v1/orders/{id}#top",
            "/v1/../orders/{id}",
            "/v1/./orders/{id}",
            "/v1/%2e%2E/{id}",
            "/v1//orders/{id}",
            "/v1/orders/{id}/",
            "/v1/order list/{id}",
            "/v1/commandé/{id}",
            "/v1/100%/{id}",
            "/v1/%zz/{id}",
            "/v1\\orders/{id}",
            "/v1/\"q\"/{id}",
        ] {
            assert_eq!(located(&with_path(path)), [("S006", 13, 11)], "{path}");
        }
        // A template that does not parse names no parameter, so `id` is also unused.
        assert_eq!(
            located(&with_path("v1/{id}")),
            [("S006", 13, 11), ("S007", 17, 7)]
        );
    }

    /// A spec with one environment URL (line 8, column 18).
    fn with_url(url: &str) -> String {
        HEADER.replace("\"https://api.example.com\"", &format!("{url:?}"))
    }

    #[test]
    fn environment_urls_the_runtime_accepts() {
        for url in [
            "https://api.example.com",
            "https://api.example.com/api-payment",
            "https://api.example.com:8443/v1",
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9000/x",
        ] {
            assert_eq!(located(&with_url(url)), [], "{url}");
        }
    }

    #[test]
    fn environment_urls_that_fail_every_client_are_s017() {
        for url in [
            "https://user:secret@api.example.com",
            "https://user@api.example.com",
            "https://api.example.com:99999",
            "https://api.example.com:abc",
            "https://",
            "https:///api.example.com",
            "https://api.example.com?x=1",
            "https://api.example.com#f",
            "https://api.example.com/",
            "https://api.example.com/v1/",
            "https://API.example.com",
            "https://api.example.com:443",
            "https://api.example.com/a/../b",
            "https://api.example.com/a b",
            " https://api.example.com",
            "http://api.example.com",
            "ftp://api.example.com",
            "api.example.com",
            "",
        ] {
            assert_eq!(located(&with_url(url)), [("S017", 8, 18)], "{url:?}");
        }
    }

    /// The message says what is wrong, lower case and without a final period.
    #[test]
    fn url_messages_name_the_problem() {
        let d = diagnostics(&with_url("https://api.example.com:99999"));
        assert_eq!(
            d[0].message,
            "environment `test` has an invalid base URL `https://api.example.com:99999`: invalid port number"
        );
        let d = diagnostics(&with_path("/v1/{id}?x"));
        assert_eq!(
            d[0].message,
            "malformed path template: `/v1/{id}?x` is not a usable URL path: it has a `?` or `#`: a path carries no query or fragment"
        );
    }
}
