//! The sandbox's documented answers, `api.sandbox` (S108–S111): what the sandbox of the
//! produced crate (feature `test-util`) answers to a request that breaks the spec and to one
//! without its test credentials.

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::spec::SandboxAnswer;

impl Checker<'_> {
    /// S108: a code that is no value of `api.error_codes`; S109: a status outside 100–599;
    /// S110: both a code and a body; S111: a code with no place in the error shape.
    pub(super) fn check_sandbox(&mut self) {
        let Some(sandbox) = &self.spec.api.sandbox else {
            return;
        };
        for (word, answer) in [
            ("invalid", &sandbox.invalid),
            ("unauthorised", &sandbox.unauthorised),
        ] {
            if let Some(answer) = answer {
                self.check_sandbox_answer(word, answer);
            }
        }
    }

    fn check_sandbox_answer(&mut self, word: &str, answer: &SandboxAnswer) {
        let status = &answer.status;
        if !(100..=599).contains(&status.value) {
            let place = self.at(status);
            self.diags.push(
                Diagnostic::error(
                    "S109",
                    place,
                    format!(
                        "`sandbox.{word}.status` {} is not an HTTP status",
                        status.value
                    ),
                )
                .hint("give the status the vendor answers with, from 100 to 599 (e.g. 400)"),
            );
        }
        let Some(code) = &answer.code else { return };
        if answer.body.is_some() {
            let place = self.at(code);
            self.diags.push(
                Diagnostic::error(
                    "S110",
                    place,
                    format!("`sandbox.{word}` gives both a `code` and a `body`"),
                )
                .hint("give the code (written into the API's error shape) or the whole body, not both"),
            );
        }
        let api = &self.spec.api;
        let shape_has_code =
            api.protocol.is_some() || api.errors.as_ref().is_some_and(|e| e.value.code.is_some());
        if !shape_has_code {
            let place = self.at(code);
            self.diags.push(
                Diagnostic::error(
                    "S111",
                    place,
                    format!(
                        "`sandbox.{word}.code` has no place to go: the API's error shape has no `errors.code`"
                    ),
                )
                .hint("remove the code (the sandbox then answers with the message only), or write the whole answer as `body`"),
            );
            return;
        }
        let values = api
            .error_codes
            .as_ref()
            .and_then(|c| self.spec.enums.get(&c.value))
            .map(|e| &e.values.value);
        if let Some(values) = values {
            if !values
                .iter()
                .any(|v| v.value.value.as_deref() == Some(code.value.as_str()))
            {
                let place = self.at(code);
                self.diags.push(
                    Diagnostic::error(
                        "S108",
                        place,
                        format!(
                            "`sandbox.{word}.code` `{}` is not a value of the error-code enum `{}`",
                            code.value,
                            api.error_codes.as_ref().map_or("", |c| c.value.as_str())
                        ),
                    )
                    .hint("use a code the enum lists (the one the vendor documents for this answer), or add it to the enum"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{HEADER, located};

    fn spec(api_extra: &str, tail: &str) -> String {
        let api = HEADER.replace(
            "  protocol: rest\n",
            &format!("  protocol: rest\n{api_extra}"),
        );
        format!("{api}{tail}")
    }

    const CODES: &str = "enums:\n  Code:\n    open: true\n    values: [{ value: bad_request }]\n";

    #[test]
    fn documented_answers_are_accepted() {
        let text = spec(
            "  error_codes: Code\n  sandbox:\n    invalid: { status: 400, code: bad_request }\n    unauthorised: { status: 401, body: {} }\n",
            CODES,
        );
        assert_eq!(located(&text), []);
    }

    #[test]
    fn each_broken_answer_is_located() {
        // Each diagnostic points at the value it is about.
        let unknown = spec(
            "  error_codes: Code\n  sandbox:\n    invalid: { status: 400, code: nope }\n",
            CODES,
        );
        assert_eq!(located(&unknown), [("S108", 9, 35)]);
        let status = spec("  sandbox:\n    invalid: { status: 1000 }\n", "");
        assert_eq!(located(&status), [("S109", 8, 24)]);
        let both = spec(
            "  error_codes: Code\n  sandbox:\n    invalid: { status: 400, code: bad_request, body: {} }\n",
            CODES,
        );
        assert_eq!(located(&both), [("S110", 9, 35)]);
    }

    #[test]
    fn a_code_needs_a_place_in_the_error_shape() {
        let text = HEADER.replace(
            "  protocol: rest\n",
            "  errors: { message: detail, without_code: api_error }\n  sandbox:\n    invalid: { status: 422, code: x }\n",
        );
        let text = text.replace("format: 1", "format: 2");
        assert_eq!(located(&text), [("S111", 8, 35)]);
    }
}
