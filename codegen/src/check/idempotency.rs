//! Idempotency keys: the `api.idempotency` header (S036, S037), judged by the rule the runtime
//! applies when it builds a client (`rules::header_name`), and the operations that need it
//! (S035).

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::rules::{self, HeaderNameProblem};
use crate::spec::{Idempotency, Location, RetrySafety};

/// The length of the keys the runtime generates (a UUID in its 8-4-4-4-12 form).
const GENERATED_KEY_LENGTH: u32 = 36;

impl Checker<'_> {
    /// S035: a `retry: keyed` operation needs `api.idempotency`; S036 and S037: its header is
    /// an HTTP token and none of the headers the runtime sets.
    pub(super) fn check_idempotency(&mut self) {
        if let Some(idempotency) = &self.spec.api.idempotency {
            let header = &idempotency.header;
            match rules::header_name(&header.value) {
                Ok(()) => self.check_idempotency_fits(idempotency),
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
                                "idempotency header `{}` is a header the runtime sets itself (`{runtime}`)",
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

impl Checker<'_> {
    /// S036: a `max_length` below the length of a generated key refuses every key the runtime
    /// makes; S040: the idempotency header given again as a fixed header or a header parameter
    /// (the key and the other value would both be sent, or one would replace the other).
    fn check_idempotency_fits(&mut self, idempotency: &Idempotency) {
        if let Some(max) = &idempotency.max_length
            && max.value < GENERATED_KEY_LENGTH
        {
            let place = self.at(max);
            self.diags.push(
                Diagnostic::error(
                    "S036",
                    place,
                    format!(
                        "idempotency `max_length` {} is shorter than the keys the runtime generates ({GENERATED_KEY_LENGTH} characters, a UUID)",
                        max.value
                    ),
                )
                .hint(format!(
                    "write the limit the API documents; it must be at least {GENERATED_KEY_LENGTH}"
                )),
            );
        }
        let header = &idempotency.header;
        let fixed = self.spec.api.headers.iter().map(|(name, _)| name);
        let params = self.spec.operations.iter().flat_map(|(_, op)| {
            op.params
                .iter()
                .filter(|(_, p)| p.location.as_ref().map(|l| l.value) == Some(Location::Header))
                .map(|(name, _)| name)
        });
        let clashes: Vec<_> = fixed
            .chain(params)
            .filter(|name| name.value.eq_ignore_ascii_case(&header.value))
            .cloned()
            .collect();
        for name in clashes {
            let place = self.at(&name);
            self.diags.push(
                Diagnostic::error(
                    "S040",
                    place,
                    format!(
                        "header `{}` is the idempotency header `{}`, which the runtime sets on keyed calls",
                        name.value, header.value
                    ),
                )
                .hint("remove it: a keyed call sends its idempotency key in that header (set it with the request's `idempotency_key` setter)"),
            );
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
            ("Authorization", "Authorization"),
            ("content-type", "Content-Type"),
            ("ACCEPT", "Accept"),
            ("User-Agent", "User-Agent"),
            ("Host", "Host"),
            ("Content-Length", "Content-Length"),
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
                    "idempotency header `{header}` is a header the runtime sets itself (`{runtime}`)"
                )
            );
            assert!(
                diags[0]
                    .hint
                    .as_deref()
                    .is_some_and(|h| h.contains("`Host`")),
                "{:?}",
                diags[0].hint
            );
        }
    }

    #[test]
    fn an_idempotency_declaration_that_cannot_work_is_refused() {
        let short = "  idempotency: { header: Idempotency-Key, max_length: 35 }\n";
        let found_short = found(&spec(short, "keyed"));
        assert_eq!(found_short.len(), 1, "{found_short:?}");
        assert_eq!(found_short[0].0, "S036");
        assert!(found_short[0].3.contains("36"), "{found_short:?}");
        let exact = "  idempotency: { header: Idempotency-Key, max_length: 36 }\n";
        assert_eq!(found(&spec(exact, "keyed")), vec![]);
        let clash =
            "  idempotency: { header: Idempotency-Key }\n  headers: { idempotency-key: fixed }\n";
        let found_clash = found(&spec(clash, "keyed"));
        assert_eq!(found_clash.len(), 1, "{found_clash:?}");
        assert_eq!(found_clash[0].0, "S040");
        assert!(
            found_clash[0]
                .3
                .contains("`idempotency-key` is the idempotency header"),
            "{found_clash:?}"
        );
    }
}
