//! Idempotency keys: the `api.idempotency` header (S036, S037), judged by the rule the runtime
//! applies when it builds a client (`rules::header_name`), and the operations that need it
//! (S035).

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::rules::{self, HeaderNameProblem};
use crate::spec::RetrySafety;

impl Checker<'_> {
    /// S035: a `retry: keyed` operation needs `api.idempotency`; S036 and S037: its header is
    /// an HTTP token and none of the headers the runtime sets.
    pub(super) fn check_idempotency(&mut self) {
        if let Some(idempotency) = &self.spec.api.idempotency {
            let header = &idempotency.header;
            match rules::header_name(&header.value) {
                Ok(()) => {}
                Err(HeaderNameProblem::NotToken(_)) => {
                    let place = self.at(header);
                    self.diags.push(
                        Diagnostic::error(
                            "S036",
                            place,
                            format!(
                                "idempotency header `{}` is not a valid HTTP header name",
                                header.value.escape_debug()
                            ),
                        )
                        .hint("a header name is one HTTP token: ASCII letters, digits and ``!#$%&'*+-.^_`|~``, no space or `:` (e.g. `Idempotency-Key`)"),
                    );
                }
                Err(HeaderNameProblem::Reserved(runtime)) => {
                    let place = self.at(header);
                    self.diags.push(
                        Diagnostic::error(
                            "S037",
                            place,
                            format!(
                                "idempotency header `{}` is the `{runtime}` header, which the runtime sets itself",
                                header.value
                            ),
                        )
                        .hint(format!(
                            "name the header the API reads keys from (e.g. `Idempotency-Key`); the runtime sets {}",
                            rules::RUNTIME_HEADERS
                                .iter()
                                .map(|h| format!("`{h}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                }
            }
            return;
        }
        for (id, op) in self.spec.operations.iter() {
            if op.retry.value == RetrySafety::Keyed {
                let place = self.at(&op.retry);
                self.diags.push(
                    Diagnostic::error(
                        "S035",
                        place,
                        format!(
                            "operation `{}` is `retry: keyed`, but the api declares no idempotency header",
                            id.value
                        ),
                    )
                    .hint("declare the header under `api:`, e.g. `idempotency: { header: Idempotency-Key, max_length: 64 }`, or mark the operation `retry: never`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{HEADER, diagnostics};

    fn spec(idempotency: &str, retry: &str) -> String {
        let api = HEADER.replace(
            "  protocol: rest\n",
            &format!("  protocol: rest\n{idempotency}"),
        );
        format!(
            "{api}operations:
  pay:
    summary: S.
    method: POST
    path: /x
    retry: {retry}
    response: none
"
        )
    }

    /// `(code, line, column, message)` of each diagnostic.
    fn found(text: &str) -> Vec<(&'static str, u32, u32, String)> {
        diagnostics(text)
            .into_iter()
            .map(|d| (d.code, d.place.line, d.place.column, d.message))
            .collect()
    }

    #[test]
    fn a_keyed_operation_needs_an_idempotency_header() {
        assert_eq!(
            found(&spec("", "keyed")),
            vec![(
                "S035",
                14,
                12,
                "operation `pay` is `retry: keyed`, but the api declares no idempotency header"
                    .to_owned()
            )]
        );
        let declared = "  idempotency: { header: Idempotency-Key, max_length: 64 }\n";
        assert_eq!(found(&spec(declared, "keyed")), vec![]);
        assert_eq!(found(&spec("", "never")), vec![]);
        // A declaration without keyed operations is fine.
        assert_eq!(found(&spec(declared, "safe")), vec![]);
    }

    #[test]
    fn the_header_must_be_an_http_token() {
        for (header, shown) in [
            ("\"Idempotency Key\"", "Idempotency Key"),
            ("\"Key:\"", "Key:"),
            ("\"Clé\"", "Clé"),
            ("\"\"", ""),
        ] {
            let text = spec(&format!("  idempotency:\n    header: {header}\n"), "keyed");
            assert_eq!(
                found(&text),
                vec![(
                    "S036",
                    8,
                    13,
                    format!("idempotency header `{shown}` is not a valid HTTP header name")
                )],
                "{header}"
            );
        }
    }

    #[test]
    fn the_header_must_not_be_one_the_runtime_sets() {
        for (header, runtime) in [
            ("Authorization", "authorization"),
            ("content-type", "content-type"),
            ("ACCEPT", "accept"),
            ("User-Agent", "user-agent"),
            ("Host", "host"),
            ("Content-Length", "content-length"),
        ] {
            let text = spec(&format!("  idempotency:\n    header: {header}\n"), "keyed");
            let diags = diagnostics(&text);
            assert_eq!(diags.len(), 1, "{header}");
            assert_eq!(
                (diags[0].code, diags[0].place.line, diags[0].place.column),
                ("S037", 8, 13)
            );
            assert_eq!(
                diags[0].message,
                format!(
                    "idempotency header `{header}` is the `{runtime}` header, which the runtime sets itself"
                )
            );
            assert!(
                diags[0]
                    .hint
                    .as_deref()
                    .is_some_and(|h| h.contains("`host`")),
                "{:?}",
                diags[0].hint
            );
        }
    }
}
