//! YAML-level mistakes made by hand, each in an otherwise valid spec: the diagnostic names the
//! real cause at the line of the mistake (not the reader's words on the line where it got
//! lost).

use payspec_codegen::{SourceFile, build_ir};

const SPEC: &str = include_str!("../../tests/fixtures/minimal.yaml");

/// `SPEC` with its line `line` (1-based) replaced by `with` (which may hold several lines).
fn broken(line: usize, with: &str) -> String {
    let mut lines: Vec<&str> = SPEC.lines().collect();
    lines[line - 1] = with;
    lines.join("\n") + "\n"
}

/// (mistake, line replaced, new text, code, line reported, text in message or hint)
const CASES: &[(&str, usize, &str, &str, u32, &str)] = &[
    (
        "a key one space too deep",
        20,
        "     retry: never",
        "S126",
        20,
        "`retry` is indented deeper than `path` on line 19",
    ),
    (
        "a word one level too deep joins the value above",
        42,
        "    retry: safe\n      source",
        "S126",
        43,
        "rest of that value (`safe source`)",
    ),
    (
        "a parameter one space too shallow",
        24,
        "     currency: { type: Currency, required: true }",
        "S127",
        24,
        "indented to column 6, which is the level of no line above",
    ),
    (
        "a parameter dedented between its siblings",
        24,
        "    currency: { type: Currency, required: true }",
        "S134",
        24,
        "`currency` is indented less than the lines before and after it",
    ),
    (
        "the last parameter dedented",
        31,
        "    card.number: { type: string, sensitive: true }",
        "S001",
        31,
        "as a sibling of `params`, not as one of the keys under it",
    ),
    (
        "an unquoted comma in a flow mapping",
        39,
        "    summary: { en: Read, an order. }",
        "S128",
        39,
        "`an order.` in `{ … }` has no key",
    ),
    (
        "an unquoted colon in a flow mapping",
        75,
        "      - { value: E001, doc: Bad: amount. }",
        "S129",
        75,
        "a second `: ` in the entry `doc`",
    ),
    (
        "an unquoted hash in a flow mapping",
        75,
        "      - { value: E001, doc: Bad #1 amount. }",
        "S130",
        75,
        "starts a comment, so the rest of the line, with its `}`",
    ),
    (
        "a tab in the indentation",
        20,
        "\tretry: never",
        "S125",
        20,
        "a tab in the indentation",
    ),
    (
        "a tab after spaces",
        20,
        "  \t  retry: never",
        "S125",
        20,
        "a tab in the indentation",
    ),
    (
        "an unclosed double quote",
        41,
        "    path: \"/orders/{id}",
        "S131",
        41,
        "double quote `\"` is never closed",
    ),
    (
        "an unclosed single quote",
        41,
        "    path: '/orders/{id}",
        "S131",
        41,
        "single quote `'` is never closed",
    ),
    (
        "an unclosed bracket",
        11,
        "  retry_codes: [E001",
        "S132",
        11,
        "bracket `[` is never closed",
    ),
    (
        "an unclosed brace",
        13,
        "    test: { url: \"https://test.example.com\", doc: Test host.",
        "S132",
        13,
        "brace `{` is never closed",
    ),
    (
        "a YAML 1.1 boolean",
        45,
        "      expand: { type: boolean, in: query, required: yes }",
        "S133",
        45,
        "write `true`",
    ),
    (
        "a YAML 1.1 boolean off",
        45,
        "      expand: { type: boolean, in: query, required: off }",
        "S133",
        45,
        "`off` is not a boolean",
    ),
];

#[test]
fn the_base_spec_is_valid() {
    let source = SourceFile {
        path: "t.yaml".into(),
        text: broken(1, "# yaml-language-server: $schema=../../spec/schema.json"),
    };
    assert!(build_ir(&[source]).is_ok());
}

#[test]
fn each_yaml_mistake_is_named_at_its_line() {
    for (mistake, line, with, code, at, says) in CASES {
        let source = SourceFile {
            path: "t.yaml".into(),
            text: broken(*line, with),
        };
        let diags = build_ir(&[source]).expect_err(mistake);
        let d = &diags[0];
        let text = format!("{} {}", d.message, d.hint.as_deref().unwrap_or(""));
        assert_eq!(
            (diags.len(), d.code, d.place.line),
            (1, *code, *at),
            "{mistake}: {text}"
        );
        assert!(text.contains(says), "{mistake}: {text}");
    }
}

#[test]
fn every_yaml_mistake_of_a_file_is_reported() {
    let mut text = broken(20, "\tretry: never");
    text = text.replace(
        "summary: Read an order.",
        "summary: { en: Read, an order. }",
    );
    let source = SourceFile {
        path: "t.yaml".into(),
        text,
    };
    let diags = build_ir(&[source]).expect_err("two mistakes");
    let found: Vec<_> = diags.iter().map(|d| (d.code, d.place.line)).collect();
    assert_eq!(found, [("S125", 20), ("S128", 39)]);
}

#[test]
fn yaml_1_1_words_are_strings_where_a_string_is_meant() {
    // `value: YES` of an enum is the string "YES" (YAML 1.2), as if it were quoted.
    let quoted = SPEC.replace("{ value: \"YES\", doc", "{ value: YES, doc");
    assert_ne!(quoted, SPEC);
    let source = SourceFile {
        path: "t.yaml".into(),
        text: quoted,
    };
    let (ir, _) = build_ir(&[source]).expect("YES is a string");
    let plain = build_ir(&[SourceFile {
        path: "t.yaml".into(),
        text: SPEC.into(),
    }])
    .expect("valid")
    .0;
    assert_eq!(format!("{ir:?}"), format!("{plain:?}"));
}
