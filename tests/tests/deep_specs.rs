//! Specs built to be deep or big: nested types, long dotted paths, deep YAML, too many nodes.
//! Each runs through the whole pipeline (`payspec_codegen::generate`) on a thread with a small
//! stack and must come back with a located diagnostic. A recursion that the spec can make
//! deep would overflow the stack and abort the process, which `catch_unwind` cannot catch.

use payspec_codegen::{Diagnostic, Generated, SourceFile};

/// Far less than the 8 MiB of a main thread or the 2 MiB of a test thread.
const SMALL_STACK: usize = 1024 * 1024;

fn generate_on_small_stack(text: String) -> Result<Generated, Vec<Diagnostic>> {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || {
            let source = SourceFile {
                path: "spec/deep.yaml".to_owned(),
                text,
            };
            payspec_codegen::generate(std::slice::from_ref(&source))
        })
        .expect("spawn")
        .join()
        .expect("codegen did not panic")
}

/// A valid spec with `params` lines added to its one operation and `types` lines to its one
/// type; `extra` is appended at the end.
fn spec(params: &str, fields: &str, extra: &str) -> String {
    format!(
        "format: 1
api:
  name: deep
  title: Deep
  auth: basic
  protocol: rest
  environments:
    live: {{ url: \"https://example.com\" }}
operations:
  things/get:
    summary: Get a thing.
    method: POST
    path: /things
    retry: safe
    params:
      id: {{ type: string }}
{params}    response: Thing
types:
  Thing:
    fields:
      id: {{ type: string }}
{fields}{extra}"
    )
}

/// The diagnostics, asserting there is one with `code`, located on a real line.
fn expect_code(text: String, code: &str) -> Vec<Diagnostic> {
    let diags = match generate_on_small_stack(text) {
        Ok(_) => panic!("expected {code}, but the spec generated"),
        Err(d) => d,
    };
    let found = diags.iter().find(|d| d.code == code).unwrap_or_else(|| {
        panic!("expected {code}, got {diags:#?}");
    });
    assert!(
        found.place.line > 0 && found.place.column > 0,
        "{code} is not located: {found:#?}"
    );
    assert!(
        found.message.len() < 400,
        "the message should not quote the whole input: {}",
        found.message
    );
    diags
}

fn nested(open: &str, depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", open.repeat(depth), ">".repeat(depth))
}

#[test]
fn the_limits_themselves_generate() {
    let ty = nested("list<", 16, "string");
    let path = vec!["a"; 16].join(".");
    let text = spec(
        &format!("      deepList: {{ type: \"{ty}\" }}\n      {path}: {{ type: string }}\n"),
        &format!("      {path}: {{ type: integer }}\n"),
        "",
    );
    let generated = generate_on_small_stack(text).unwrap_or_else(|d| panic!("{d:#?}"));
    assert!(generated.files["generated/src/deep/requests.rs"].contains("deep_list"));
    // A preset building a recursive type 16 objects deep: nested blocks in the Rust printed.
    let value = format!("{}{{ id: x }}{}", "{ parent: ".repeat(15), " }".repeat(15));
    let text = spec(
        "      parent: { type: Thing }\n",
        "      parent: { type: Thing }\n",
        "",
    )
    .replace(
        "    response: Thing\n",
        &format!("    presets:\n      deep:\n        doc: Deep.\n        set: {{ parent: {value} }}\n    response: Thing\n"),
    );
    let generated = generate_on_small_stack(text).unwrap_or_else(|d| panic!("{d:#?}"));
    let requests = &generated.files["generated/src/deep/requests.rs"];
    assert_eq!(requests.matches("Box::new(").count(), 15, "{requests}");
}

#[test]
fn deeply_nested_type_expressions_are_a_diagnostic() {
    for (open, depth) in [
        ("list<", 17),
        ("list<", 200),
        ("map<", 200),
        ("list<map<", 5_000),
    ] {
        let ty = nested(open, depth, "string");
        for (params, fields) in [
            (format!("      deep: {{ type: \"{ty}\" }}\n"), String::new()),
            (String::new(), format!("      deep: {{ type: \"{ty}\" }}\n")),
        ] {
            let diags = expect_code(spec(&params, &fields, ""), "S026");
            assert!(diags[0].message.contains("16"), "{diags:#?}");
        }
    }
    // Unclosed ones too, without recursing on the way.
    let unclosed = "list<".repeat(100_000);
    expect_code(
        spec(&format!("      deep: {{ type: \"{unclosed}\" }}\n"), "", ""),
        "S003",
    );
}

#[test]
fn long_dotted_paths_are_a_diagnostic() {
    for segments in [16, 200, 10_000] {
        for segment in ["a", "a[]"] {
            let mut path = vec![segment; segments].join(".");
            path.push_str(".z");
            // An explicit key (`? …`): a plain one may not be longer than 1,024 characters.
            let entry = format!("      ? {path}\n      : {{ type: string }}\n");
            let diags = expect_code(spec(&entry, "", ""), "S027");
            assert!(diags[0].message.contains("16"), "{diags:#?}");
            expect_code(spec("", &entry, ""), "S027");
        }
    }
}

#[test]
fn long_chains_of_groups_are_a_diagnostic() {
    // G0 uses G1, which uses G2, … : each level is a path segment, and a chain longer than a
    // dotted path may be is refused without recursing along it.
    let n = 1_000;
    let mut groups = String::from("groups:\n");
    for i in 0..n {
        groups.push_str(&format!(
            "  G{i}:\n    params:\n      x: {{ type: string }}\n"
        ));
        if i + 1 < n {
            groups.push_str(&format!("      g: {{ group: G{} }}\n", i + 1));
        }
    }
    let text =
        spec("      deep: { group: G0 }\n", "", &groups).replacen("format: 1", "format: 2", 1);
    let diags = expect_code(text, "S064");
    assert!(
        diags.iter().any(|d| d.message.contains("expand")),
        "{diags:#?}"
    );
}

#[test]
fn deep_json_is_a_diagnostic() {
    // Block mappings in an example's request, and flow sequences in a preset's value.
    let mut block = String::from("    examples:\n      - title: Deep.\n        request:\n");
    for level in 0..100 {
        block.push_str(&" ".repeat(10 + 2 * level));
        block.push_str("a:\n");
    }
    let text = spec("", "", "").replace(
        "    response: Thing\n",
        &format!("{block}    response: Thing\n"),
    );
    let diags = expect_code(text, "S029");
    assert!(diags[0].message.contains("16"), "{diags:#?}");
    let preset = |depth: usize| {
        let flow = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        spec("      tags: { type: json }\n", "", "").replace(
            "    response: Thing\n",
            &format!(
                "    presets:\n      deep:\n        doc: Deep.\n        set: {{ tags: {flow} }}\n    response: Thing\n"
            ),
        )
    };
    expect_code(preset(40), "S029");
    // Deeper than the YAML reader goes: a limit of the file.
    let diags = expect_code(preset(300), "S028");
    assert!(diags[0].message.contains("64"), "{diags:#?}");
    // An example's response too: the object and 15 arrays in it are 16 levels, the limit.
    let at_limit = format!("{}1{}", "[".repeat(15), "]".repeat(15));
    let text = spec("", "", "").replace(
        "    response: Thing\n",
        &format!(
            "    response: Thing\n    examples:\n      - title: Deep.\n        request: {{ id: x }}\n        response: {{ id: {at_limit} }}\n"
        ),
    );
    // `id` is a string, so the example's value is refused (S018); its depth is not.
    if let Err(diags) = generate_on_small_stack(text) {
        assert!(
            diags.iter().all(|d| d.code != "S029" && d.code != "S028"),
            "{diags:#?}"
        );
    }
    let text = spec("", "", "").replace(
        "    response: Thing\n",
        &format!(
            "    response: Thing\n    examples:\n      - title: Deep.\n        request: {{ id: x }}\n        response: {{ id: [{at_limit}] }}\n"
        ),
    );
    expect_code(text, "S029");
}

#[test]
fn too_many_yaml_nodes_is_a_plain_diagnostic() {
    // Five nodes a value: 250,005 nodes, 19 times as many as the biggest real spec.
    let mut values = String::from("enums:\n  Big:\n    values:\n");
    for i in 0..50_001 {
        values.push_str(&format!("      - {{ value: v{i}, doc: Value {i}. }}\n"));
    }
    let diags = expect_code(spec("", "", &values), "S028");
    let d = &diags[0];
    assert!(d.message.contains("nodes"), "{d:#?}");
    let hint = d.hint.as_deref().unwrap_or_default();
    assert!(hint.contains("split"), "{d:#?}");
}

#[test]
fn alias_bombs_are_a_plain_diagnostic() {
    // Each level refers to the one below ten times: a billion laughs in an example.
    let mut block = String::from(
        "    examples:\n      - title: Bomb.\n        request:\n          a0: &a0 [lol]\n",
    );
    for level in 1..9 {
        let refs = vec![format!("*a{}", level - 1); 10].join(", ");
        block.push_str(&format!("          a{level}: &a{level} [{refs}]\n"));
    }
    let text = spec("", "", "").replace(
        "    response: Thing\n",
        &format!("{block}    response: Thing\n"),
    );
    let diags = expect_code(text, "S028");
    assert!(!diags[0].message.contains("budget"), "{diags:#?}");
}

#[test]
fn aliases_cannot_nest_deeper_than_the_file() {
    // Each anchor is 20 levels deep and holds the one before it: once expanded, 20 x 30 levels.
    let mut block = String::from("    examples:\n      - title: Deep aliases.\n        request:\n");
    let open = |n: usize| "{a: ".repeat(n);
    let close = |n: usize| "}".repeat(n);
    block.push_str(&format!("          l0: &l0 {}1{}\n", open(20), close(20)));
    for level in 1..30 {
        block.push_str(&format!(
            "          l{level}: &l{level} {}*l{}{}\n",
            open(20),
            level - 1,
            close(20)
        ));
    }
    let text = spec("", "", "").replace(
        "    response: Thing\n",
        &format!("{block}    response: Thing\n"),
    );
    expect_code(text, "S029");
}

#[test]
fn huge_names_are_quoted_short() {
    // Two long names one letter apart: "did you mean" would compare them letter by letter.
    let name = "Z".repeat(20_000);
    let text = spec(
        &format!("      big: {{ type: {name}Q }}\n"),
        "",
        &format!("  ? {name}R\n  : {{ fields: {{ id: {{ type: string }} }} }}\n"),
    );
    let diags = expect_code(text, "S003");
    assert!(diags.iter().all(|d| d.message.len() < 400), "{diags:#?}");
    let source = SourceFile {
        path: "spec/deep.yaml".to_owned(),
        text: format!(
            "format: 1\napi: {{ name: x, title: {name}, auth: basic, protocol: soap }}\n"
        ),
    };
    let diags = payspec_codegen::generate(std::slice::from_ref(&source)).expect_err("soap");
    let rendered = payspec_codegen::render(&diags, std::slice::from_ref(&source));
    assert!(rendered.len() < 2_000, "{rendered}");
    assert!(rendered.contains("…"), "{rendered}");
}
