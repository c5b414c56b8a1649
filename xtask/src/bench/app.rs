//! The application each cold build compiles: a binary that calls every operation of the API
//! once through one generator's crate, built and never run.
//!
//! A crate built alone compiles only what it uses itself: payspec's generated functions are
//! `#[inline]` and progenitor's impls are derived or generic, so either crate leaves most of
//! its machine code to the crate that calls it. An application calling every operation
//! compiles all of it, for every generator alike. Each call takes its arguments from
//! `arg::<T>()`, typed by the operation's signature (no values to write per generator), and
//! every call's future is boxed as a `dyn Future`, so that its body is compiled.

use std::fmt::Write as _;

/// One operation of a generator's crate, as the application calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// `client.name` for a method of `Client`, or the function's path in the crate.
    pub callee: String,
    /// How many arguments it takes (`self` not counted).
    pub args: usize,
}

/// The operations in the source of one file of a crate: every `pub async fn` of an
/// `impl Client` block, or `pub fn` returning `impl …` (a future: payspec's methods return
/// `impl crate::runtime::Pending<…>`), a method (those named `*_with_response`, payspec's
/// second form of the same operation, left out); and every top-level `pub async fn` (a
/// function, at `module_path::name`).
pub fn calls(text: &str, module_path: &str) -> Vec<Call> {
    let mut found = Vec::new();
    let mut in_client = false;
    for (at, line) in line_starts(text) {
        if line.starts_with("impl Client {") {
            in_client = true;
            continue;
        }
        if line.starts_with('}') {
            in_client = false;
            continue;
        }
        let (method, rest) = if let Some(rest) = line.strip_prefix("    pub async fn ") {
            (true, rest)
        } else if let Some(rest) = line
            .strip_prefix("    pub fn ")
            .filter(|_| returns_impl(&text[at..]))
        {
            (true, rest)
        } else if let Some(rest) = line.strip_prefix("pub async fn ") {
            (false, rest)
        } else {
            continue;
        };
        if method && !in_client {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() || (method && name.ends_with("_with_response")) {
            continue;
        }
        let Some(params) = parameters(&text[at..]) else {
            continue;
        };
        let takes_self = params.first().is_some_and(|p| p.ends_with("self"));
        if method != takes_self {
            continue;
        }
        found.push(Call {
            callee: if method {
                format!("client.{name}")
            } else {
                format!("{module_path}::{name}")
            },
            args: params.len() - usize::from(takes_self),
        });
    }
    found
}

/// Whether the function whose signature starts `text` returns `impl …` (its signature ends at
/// the first ` {` that ends a line).
fn returns_impl(text: &str) -> bool {
    let signature = text.split_once(" {\n").map_or(text, |(head, _)| head);
    signature.contains(") -> impl ")
}

/// Each line of `text` with the byte it starts at.
fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = at;
        at += line.len();
        (start, line.trim_end_matches(['\n', '\r']))
    })
}

/// The parameters of the function whose signature starts `text` (its `(`, past any generic
/// parameters, to the matching `)`), each trimmed; `None` when the brackets do not close.
fn parameters(text: &str) -> Option<Vec<String>> {
    let open = text.find('(')?;
    let mut depth = 0usize;
    let mut params = Vec::new();
    let mut current = String::new();
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' | '[' | '<' | '{' => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            ')' | ']' | '>' | '}' => {
                // `->` inside a parameter (a function pointer type) closes nothing.
                if c == '>' && text[open..][..i].ends_with('-') {
                    current.push(c);
                    continue;
                }
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    if !current.trim().is_empty() {
                        params.push(current.trim().to_owned());
                    }
                    return Some(params);
                }
            }
            ',' if depth == 1 => {
                params.push(std::mem::take(&mut current).trim().to_owned());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    None
}

/// The application's `src/main.rs`: `client` (of type `client_type`, when a call is a method)
/// and every call, boxed, never polled nor run.
pub fn main_rs(client_type: &str, calls: &[Call]) -> String {
    let mut out = String::from(
        "//! Calls every operation once: built by `cargo xtask bench`, never run.\n\
         #![allow(unused, unreachable_code)]\n\n\
         fn arg<T>() -> T {\n    unreachable!(\"built by the bench, never run\")\n}\n\n\
         fn main() {\n",
    );
    if calls.iter().any(|c| c.callee.starts_with("client.")) {
        let _ = writeln!(out, "    let client: {client_type} = arg();");
    }
    out.push_str(
        "    let calls: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = ()> + '_>>> = vec![\n",
    );
    for call in calls {
        let args = vec!["arg()"; call.args].join(", ");
        let _ = writeln!(
            out,
            "        Box::pin(async {{\n            let _ = {}({args}).await;\n        }}),",
            call.callee
        );
    }
    out.push_str("    ];\n    std::hint::black_box(calls);\n}\n");
    out
}

/// The application's `Cargo.toml`: the generator's crate `package` (its package name) at
/// `path`, its own workspace, and `profile` (manifest lines; profiles are read from the
/// application's manifest only).
pub fn manifest(package: &str, path: &str, profile: &str) -> String {
    format!(
        "[package]\nname = \"bench-app\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n{package} = {{ path = \"{path}\" }}\n\n[workspace]\n\n{profile}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generators_operations_are_found() {
        // payspec: methods of `Client`, one per operation.
        let payspec = "impl Client {\n    pub fn with_timeout(&self, timeout: Duration) -> Self {\n        todo!()\n    }\n\n    /// Docs.\n    #[inline]\n    pub fn transaction_get(\n        &self,\n        request: &super::requests::TransactionGetRequest,\n    ) -> impl crate::runtime::Pending<super::types::Transaction, Error> {\n        todo!()\n    }\n\n    #[inline]\n    pub fn transaction_get_with_response(&self, request: &R) -> impl Pending<(), E> {\n        todo!()\n    }\n\n    #[inline]\n    fn __transaction_get(request: &R, with_response: bool) -> Result<Call, Error> {}\n}\n\nimpl PaymentsListPages {\n    pub async fn next_page(&mut self) -> Option<u8> {\n        None\n    }\n}\n";
        assert_eq!(
            calls(payspec, "payspec::lyra"),
            vec![Call {
                callee: "client.transaction_get".into(),
                args: 1
            }]
        );
        // progenitor: positional parameters, generic types with commas.
        let progenitor = "impl Client {\n    pub fn new(baseurl: &str) -> Self {\n        todo!()\n    }\n}\n\nimpl Client {\n    pub async fn list<'a>(\n        &'a self,\n        from: Option<&'a str>,\n        filter: &'a std::collections::BTreeMap<String, (u8, u8)>,\n        map: fn(u8) -> u8,\n    ) -> Result<ResponseValue<types::A>, Error<types::B>> {\n        todo!()\n    }\n    pub async fn ping<'a>(&'a self) -> Result<(), Error<()>> {\n        todo!()\n    }\n}\n";
        assert_eq!(
            calls(progenitor, "lyra_progenitor"),
            vec![
                Call {
                    callee: "client.list".into(),
                    args: 3
                },
                Call {
                    callee: "client.ping".into(),
                    args: 0
                }
            ]
        );
        // openapi-generator: free functions of a module.
        let ogen = "pub async fn charge_create(configuration: &configuration::Configuration, request: models::Request) -> Result<models::Answer, Error<E>> {\n    todo!()\n}\n";
        assert_eq!(
            calls(ogen, "lyra_ogen::apis::charge_api"),
            vec![Call {
                callee: "lyra_ogen::apis::charge_api::charge_create".into(),
                args: 2
            }]
        );
    }

    #[test]
    fn the_application_calls_each_operation_with_typed_arguments() {
        let main = main_rs(
            "payspec::lyra::Client",
            &[
                Call {
                    callee: "client.transaction_get".into(),
                    args: 1,
                },
                Call {
                    callee: "m::f".into(),
                    args: 2,
                },
            ],
        );
        assert!(main.contains("    let client: payspec::lyra::Client = arg();\n"));
        assert!(main.contains("let _ = client.transaction_get(arg()).await;"));
        assert!(main.contains("let _ = m::f(arg(), arg()).await;"));
        let free = main_rs(
            "C",
            &[Call {
                callee: "m::f".into(),
                args: 0,
            }],
        );
        assert!(!free.contains("let client"), "{free}");
        assert!(free.contains("let _ = m::f().await;"));
    }

    /// Lyra's generated client: one call per operation, each taking its request.
    #[test]
    fn the_generated_lyra_client_gives_one_call_per_operation() {
        let root = crate::root();
        let Ok(text) = std::fs::read_to_string(root.join("generated/src/lyra/client.rs")) else {
            return;
        };
        // Every operation has its `*_with_response` form too.
        let operations = text
            .lines()
            .filter(|l| l.starts_with("    pub fn ") && l.contains("_with_response("))
            .count();
        assert!(operations >= 30, "{operations} operations");
        let found = calls(&text, "payspec::lyra");
        assert_eq!(found.len(), operations);
        assert!(found.iter().all(|c| c.args == 1), "{found:?}");
    }
}
