//! The sandbox's documented answers, `api.sandbox` (S108–S111): what the sandbox of the
//! produced crate (feature `test-util`) answers to a request that breaks the spec and to one
//! without its test credentials; and what each operation does to a resource, an operation's
//! `sandbox` (S112–S113, its answers S108–S111).

use super::Checker;
use crate::diagnostics::Diagnostic;
use crate::spec::{OperationSandbox, ResourceAction, SandboxAnswer};

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
                self.check_sandbox_answer(&format!("sandbox.{word}"), answer);
            }
        }
    }

    /// An operation's `sandbox`: S112 for a word its action does not take; S113 for an id or
    /// an amount that names no parameter of the operation; its answers as `api.sandbox`'s.
    pub(super) fn check_operation_sandbox(&mut self) {
        for (id, op) in self.spec.operations.iter() {
            let mut next = op.sandbox.as_ref();
            let mut word = "sandbox".to_owned();
            while let Some(rule) = next {
                self.check_one_rule(&id.value, &word, op, rule);
                next = rule.otherwise.as_deref();
                word.push_str(".otherwise");
            }
        }
    }

    /// One rule of an operation's `sandbox` (the rule itself, or one of its `otherwise`),
    /// named `{op}.{word}` in messages.
    fn check_one_rule(
        &mut self,
        op_id: &str,
        word: &str,
        op: &crate::spec::Operation,
        rule: &OperationSandbox,
    ) {
        let name = format!("{op_id}.{word}");
        self.check_rule_words(&name, rule);
        let action = rule.action.value;
        let param = |name: &str| op.params.iter().any(|(key, _)| key.value == name);
        let mut named = vec![("id".to_owned(), &rule.id)];
        if let Some(amount) = &rule.amount {
            named.push(("amount.request".to_owned(), &amount.request));
        }
        for (path, values) in &rule.when {
            if param(path) {
                continue;
            }
            let place = match values.first() {
                Some(value) => self.at(value),
                None => self.at(&rule.action),
            };
            self.diags.push(
                Diagnostic::error(
                    "S113",
                    place,
                    format!("`{name}.when` `{path}` is no parameter of the operation"),
                )
                .hint("name the parameter whose value selects the rule, as `params` names it (`resolutionMode`)"),
            );
        }
        for (word, value) in named {
            if (word == "id" && action == ResourceAction::Create) || param(&value.value) {
                continue;
            }
            let place = self.at(value);
            self.diags.push(
                Diagnostic::error(
                    "S113",
                    place,
                    format!(
                        "`{name}.{word}` `{}` is no parameter of the operation",
                        value.value
                    ),
                )
                .hint("name the parameter that carries it, as `params` names it (`uuid`, `order_id`, `cardUpdate.amount`)"),
            );
        }
        if rule
            .otherwise
            .as_ref()
            .is_some_and(|next| next.resource.value != rule.resource.value)
        {
            let place = self.at(&rule.resource);
            self.diags.push(
                Diagnostic::error(
                    "S112",
                    place,
                    format!(
                        "`{name}.otherwise` is about another kind of resource than `{}`",
                        rule.resource.value
                    ),
                )
                .hint("the rules of one operation are about one kind of resource"),
            );
        }
        for (word, answer) in [
            ("refused", &rule.refused),
            ("over", &rule.over),
            ("missing", &rule.missing),
        ] {
            if let Some(answer) = answer {
                self.check_sandbox_answer(&format!("{name}.{word}"), answer);
            }
        }
    }

    /// S112: `at` outside a create or a derive; `state`, `from`, `amount` or `refused`
    /// outside a change or a derive; `answer` outside a change; `new_id` outside a derive,
    /// and a derive without it; `over` without `amount`; `to` on a read; `missing` on a
    /// create; `from` without `state`.
    fn check_rule_words(&mut self, name: &str, rule: &OperationSandbox) {
        let action = rule.action.value;
        let create = action == ResourceAction::Create;
        let change = action == ResourceAction::Change;
        let derive = action == ResourceAction::Derive;
        let misplaced = [
            ("at", !create && !derive && rule.at.is_some()),
            ("new_id", !derive && rule.new_id.is_some()),
            ("new_resource", !derive && rule.new_resource.is_some()),
            ("link", !derive && rule.link.is_some()),
            ("state", !change && !derive && rule.state.is_some()),
            ("from", !change && !derive && !rule.from.is_empty()),
            ("amount", !change && !derive && rule.amount.is_some()),
            ("answer", !change && rule.answer.is_some()),
            ("refused", !change && !derive && rule.refused.is_some()),
            ("over", rule.amount.is_none() && rule.over.is_some()),
            ("to", action == ResourceAction::Read && !rule.to.is_empty()),
            ("missing", create && rule.missing.is_some()),
        ];
        let action_name = match action {
            ResourceAction::Create => "create",
            ResourceAction::Read => "read",
            ResourceAction::Change => "change",
            ResourceAction::Derive => "derive",
        };
        for (word, wrong) in misplaced {
            if wrong {
                let place = self.at(&rule.action);
                self.diags.push(
                    Diagnostic::error(
                        "S112",
                        place,
                        format!("`{name}.{word}` has no meaning for `action: {action_name}`"),
                    )
                    .hint("`at` is for a create or a derive; `state`, `from`, `amount` and `refused` for a change or a derive; `answer` for a change; `new_id`, `new_resource` and `link` for a derive; `over` with `amount`; `to` for a create, a change or a derive; `missing` for a read, a change or a derive"),
                );
            }
        }
        if derive && rule.new_id.is_none() {
            let place = self.at(&rule.action);
            self.diags.push(
                Diagnostic::error(
                    "S112",
                    place,
                    format!("`{name}` derives a new resource but has no `new_id`: no field says where its id goes"),
                )
                .hint("add `new_id:` with the dotted path of the new resource's id (`uuid`)"),
            );
        }
        if !rule.from.is_empty() && rule.state.is_none() && (change || derive) {
            let place = self.at(&rule.action);
            self.diags.push(
                Diagnostic::error(
                    "S112",
                    place,
                    format!("`{name}.from` without `state`: no field says which state the resource is in"),
                )
                .hint("add `state:` with the dotted path of the resource's state (`detailedStatus`)"),
            );
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
                    format!("`{word}.status` {} is not an HTTP status", status.value),
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
                    format!("`{word}` gives both a `code` and a `body`"),
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
                        "`{word}.code` has no place to go: the API's error shape has no `errors.code`"
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
                            "`{word}.code` `{}` is not a value of the error-code enum `{}`",
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

    const OPS: &str = "operations:
  orders/get:
    summary: S.
    method: GET
    path: /orders/{order_id}
    retry: safe
    response: json
    params:
      order_id: { type: string, in: path, required: true }
      amount: { type: integer, in: query }
    sandbox:
";

    #[test]
    fn resource_rules_are_accepted() {
        let read = format!(
            "{OPS}      resource: order\n      action: read\n      id: order_id\n      missing: {{ status: 404 }}\n"
        );
        assert_eq!(located(&spec("", &read)), []);
        let change = format!(
            "{OPS}      resource: order\n      action: change\n      id: order_id\n      state: status\n      from: [held]\n      to: {{ status: cancelled }}\n      amount: {{ request: amount, of: total }}\n      answer: example\n      refused: {{ status: 409 }}\n"
        );
        assert_eq!(located(&spec("", &change)), []);
        let create = format!(
            "{OPS}      resource: order\n      action: create\n      id: id\n      at: order\n      to: {{ status: new }}\n"
        );
        assert_eq!(located(&spec("", &create)), []);
        let derive = format!(
            "{OPS}      resource: order\n      action: derive\n      id: order_id\n      new_id: id\n      new_resource: refund\n      link: order\n      state: status\n      from: [paid]\n      amount: {{ request: amount, of: total }}\n      at: refund\n      refused: {{ status: 409 }}\n      missing: {{ status: 404 }}\n"
        );
        assert_eq!(located(&spec("", &derive)), []);
    }

    #[test]
    fn rules_chained_by_otherwise_and_selected_by_when_are_checked_each() {
        let chained = format!(
            "{OPS}      resource: order\n      action: change\n      id: order_id\n      when: {{ amount: [\"0\"] }}\n      state: status\n      from: [held]\n      otherwise:\n        resource: order\n        action: derive\n        id: order_id\n        new_id: id\n"
        );
        assert_eq!(located(&spec("", &chained)), []);
        // The chained rule is checked as the first is: a derive without new_id, located on
        // its own action (line 27); a `when` on no parameter, on its value (line 23).
        let broken = format!(
            "{OPS}      resource: order\n      action: change\n      id: order_id\n      when: {{ mode: [a] }}\n      state: status\n      from: [held]\n      otherwise:\n        resource: order\n        action: derive\n        id: order_id\n"
        );
        assert_eq!(
            located(&spec("", &broken)),
            [("S113", 23, 22), ("S112", 28, 17)]
        );
        let d = crate::check::testing::diagnostics(&spec("", &broken));
        assert!(
            d.iter()
                .any(|d| d.message.contains("`orders/get.sandbox.otherwise` derives")),
            "{d:?}"
        );
    }

    #[test]
    fn a_chain_is_about_one_kind_of_resource() {
        let two_kinds = format!(
            "{OPS}      resource: order\n      action: read\n      id: order_id\n      otherwise:\n        resource: refund\n        action: read\n        id: order_id\n"
        );
        assert_eq!(located(&spec("", &two_kinds)), [("S112", 20, 17)]);
        let d = crate::check::testing::diagnostics(&spec("", &two_kinds));
        assert!(
            d[0].message
                .contains("another kind of resource than `order`"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn a_derive_names_where_the_new_id_goes_and_nothing_else_does() {
        let no_new_id =
            format!("{OPS}      resource: order\n      action: derive\n      id: order_id\n");
        assert_eq!(located(&spec("", &no_new_id)), [("S112", 21, 15)]);
        let d = crate::check::testing::diagnostics(&spec("", &no_new_id));
        assert!(d[0].message.contains("no `new_id`"), "{}", d[0].message);
        let new_id_on_change = format!(
            "{OPS}      resource: order\n      action: change\n      id: order_id\n      new_id: id\n"
        );
        assert_eq!(located(&spec("", &new_id_on_change)), [("S112", 21, 15)]);
        let link_on_read = format!(
            "{OPS}      resource: order\n      action: read\n      id: order_id\n      link: order\n      new_resource: refund\n"
        );
        assert_eq!(
            located(&spec("", &link_on_read)),
            [("S112", 21, 15), ("S112", 21, 15)]
        );
        // The source is a parameter, as for a change.
        let source_not_a_param = format!(
            "{OPS}      resource: order\n      action: derive\n      id: orderId\n      new_id: id\n"
        );
        assert_eq!(located(&spec("", &source_not_a_param)), [("S113", 22, 11)]);
    }

    #[test]
    fn each_broken_resource_rule_is_located() {
        // A word the action does not take points at the action (line 21 of the spec).
        let at_on_read = format!(
            "{OPS}      resource: order\n      action: read\n      id: order_id\n      at: x\n"
        );
        assert_eq!(located(&spec("", &at_on_read)), [("S112", 21, 15)]);
        let from_on_create = format!(
            "{OPS}      resource: order\n      action: create\n      id: id\n      from: [held]\n      state: s\n"
        );
        assert_eq!(
            located(&spec("", &from_on_create)),
            [("S112", 21, 15), ("S112", 21, 15)]
        );
        let from_alone = format!(
            "{OPS}      resource: order\n      action: change\n      id: order_id\n      from: [held]\n"
        );
        assert_eq!(located(&spec("", &from_alone)), [("S112", 21, 15)]);
        // An id or an amount that is no parameter points at itself.
        let no_param = format!(
            "{OPS}      resource: order\n      action: change\n      id: orderId\n      amount: {{ request: total, of: total }}\n"
        );
        assert_eq!(
            located(&spec("", &no_param)),
            [("S113", 22, 11), ("S113", 23, 26)]
        );
        // Its answers are checked as the API's are.
        let status = format!(
            "{OPS}      resource: order\n      action: read\n      id: order_id\n      missing: {{ status: 99 }}\n"
        );
        assert_eq!(located(&spec("", &status)), [("S109", 23, 26)]);
        let d = crate::check::testing::diagnostics(&spec("", &status));
        assert!(
            d[0].message
                .contains("`orders/get.sandbox.missing.status` 99"),
            "{}",
            d[0].message
        );
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
