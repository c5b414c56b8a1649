//! Synthetic specs of any number of operations, for the linearity of codegen.
//!
//! Every operation has a path parameter, a query parameter of an enum type, a required
//! amount, nested dotted paths (`a.b.c`, `a.b.d`, `a.e`), a list of objects (`items[].x`,
//! `items[].y`), a constraint or two, and answers one of the named types. There is one named
//! type (itself with dotted and list fields) and one enum per ten operations, so the spec as a
//! whole grows in proportion to the number of operations.

use std::fmt::Write as _;

/// The YAML text of a spec with `operations` operations.
pub fn spec(operations: usize) -> String {
    let groups = operations.div_ceil(10).max(1);
    let mut out = String::with_capacity(operations * 900 + groups * 900 + 512);
    out.push_str(
        "format: 1\n\
         api:\n  name: synthetic\n  title: { en: Synthetic API, fr: API synthétique }\n  \
         doc: A generated spec for benchmarks.\n  auth: basic\n  protocol: rest\n  \
         error_codes: ErrorCode\n  environments:\n    \
         test: { url: \"https://test.example.com\", doc: Test host. }\n\
         operations:\n",
    );
    for i in 0..operations {
        let group = i % groups;
        let (method, retry) = if i % 2 == 0 {
            ("POST", "never")
        } else {
            ("PUT", "safe")
        };
        let _ = write!(
            out,
            "  things{i}/update:\n    \
             summary: {{ en: Update thing {i}., fr: Met à jour la chose {i}. }}\n    \
             description: Changes thing {i} and returns it.\n    \
             method: {method}\n    path: /v1/things{i}/{{thing_id}}\n    retry: {retry}\n    \
             params:\n      \
             thing_id: {{ type: string, in: path, required: true, pattern: \"^[a-z0-9]{{1,32}}$\" }}\n      \
             mode: {{ type: Status{group}, in: query, doc: Which mode. }}\n      \
             amount: {{ type: amount, required: true, min: 1, doc: Amount in minor units. }}\n      \
             status: {{ type: Status{group} }}\n      \
             a.b.c: {{ type: string, max_length: 64, doc: A nested value. }}\n      \
             a.b.d: {{ type: integer, min: 0, max: 99 }}\n      \
             a.e: {{ type: boolean }}\n      \
             items[].x: {{ type: string, required: true, min_length: 1 }}\n      \
             items[].y: {{ type: integer }}\n    \
             response: Thing{group}\n    errors: [E001, E002]\n"
        );
    }
    out.push_str("types:\n");
    for g in 0..groups {
        let _ = write!(
            out,
            "  Thing{g}:\n    doc: A thing of group {g}.\n    fields:\n      \
             id: {{ type: string, doc: Its id. }}\n      \
             amount: {{ type: amount }}\n      \
             status: {{ type: Status{g} }}\n      \
             owner.name: {{ type: string }}\n      \
             owner.address.city: {{ type: string }}\n      \
             owner.address.zip: {{ type: string }}\n      \
             lines[].sku: {{ type: string }}\n      \
             lines[].quantity: {{ type: integer }}\n      \
             tags: {{ type: list<string> }}\n      \
             attributes: {{ type: map<string> }}\n"
        );
    }
    out.push_str("enums:\n");
    for g in 0..groups {
        let _ = write!(
            out,
            "  Status{g}:\n    open: true\n    values:\n      \
             - {{ value: \"OPEN_{g}\", doc: Open. }}\n      \
             - {{ value: \"CLOSED_{g}\", doc: Closed. }}\n      \
             - {{ value: \"HELD_{g}\", doc: {{ en: Held., fr: Bloquée. }} }}\n"
        );
    }
    out.push_str(
        "  ErrorCode:\n    open: true\n    values:\n      \
         - { value: E001, doc: Bad amount. }\n      \
         - { value: E002, doc: Unknown thing. }\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_specs_generate_without_diagnostics() {
        for n in [1, 10, 25] {
            let source = payspec_codegen::SourceFile {
                path: "spec/synthetic.yaml".into(),
                text: spec(n),
            };
            match payspec_codegen::generate(std::slice::from_ref(&source)) {
                Ok(generated) => {
                    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
                    let client = &generated.files["generated/src/synthetic/client.rs"];
                    // Each operation's method and its `_with_response` sibling.
                    assert_eq!(client.matches("pub fn things").count(), 2 * n);
                }
                Err(diagnostics) => panic!(
                    "{}",
                    payspec_codegen::render(&diagnostics, std::slice::from_ref(&source))
                ),
            }
        }
    }
}
