//! Vendor prose must never run as code: a code block in a description (fenced with backticks or
//! tildes, in a list item, or indented) would be a doctest of the produced crate, and one left
//! open would swallow the generator's own examples. Every prose field and every free string of a
//! spec gets hostile Markdown; the generated rustdoc and Markdown are parsed with pulldown-cmark
//! (what rustdoc uses), and every code block holding spec text must be a `text` block, while
//! the generator's own examples must all still be there.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// Markdown that opens code blocks in every way CommonMark allows, each marked with `field`.
fn hostile(field: &str) -> String {
    let m = |n: u32| format!("hostile_{field}_{n}();");
    [
        "Intro with [a link](http://example.com/x) and <b>html</b>, see https://example.com/a."
            .to_owned(),
        format!("```rust\n{}\n```", m(1)),
        format!("~~~\n{}\n~~~", m(2)),
        format!("A paragraph.\n\n    {}", m(3)),
        format!("\t{}", m(4)),
        format!("- item\n\n      {}", m(5)),
        format!("-     {}", m(6)),
        format!("> ```rust\n> {}\n> ```", m(7)),
        format!("1. ```rust\n   {}\n   ```", m(8)),
        format!("  ```rust\n  {}\n  ```", m(9)),
        format!("# Heading\n    {}", m(10)),
        format!("| a |\n|---|\n    {}", m(11)),
        format!("````rust\n```\n{}\n````", m(12)),
        format!("Windows lines.\r\n```rust\r\n{}\r\n```", m(13)),
        format!("* ~~~rust\n  {}\n  ~~~", m(14)),
        format!("```rust\n{} // never closed", m(15)),
    ]
    .join("\n\n")
}

/// A YAML double-quoted scalar.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Hostile prose for a Text field: plain (English only) or in both languages.
fn text(field: &str) -> String {
    quoted(&hostile(field))
}

fn both(field: &str) -> String {
    format!(
        "{{ en: {}, fr: {} }}",
        quoted(&hostile(&format!("{field}_en"))),
        quoted(&hostile(&format!("{field}_fr")))
    )
}

/// A free string (not prose) that breaks its line to open a fence.
fn string(field: &str) -> String {
    quoted(&format!(
        "x\n```rust\nhostile_{field}();\n```\n~~~\nhostile_{field}_t();\n~~~"
    ))
}

fn spec() -> String {
    format!(
        r#"format: 1
api:
  name: prose
  title: {title}
  doc: {api_doc}
  auth: basic
  auth_doc: {auth_doc}
  protocol: rest
  error_codes: Code
  environments:
    live:
      url: "https://example.com"
      doc: {env_doc}
      source: {env_source}
      unverified: {env_unverified}
operations:
  things/create:
    summary: {op_summary}
    description: {op_description}
    method: POST
    path: {path}
    retry: never
    recovery: {op_recovery}
    rules: [{op_rule}]
    errors: [E1]
    source: {op_source}
    unverified: {op_unverified}
    params:
      name:
        type: string
        required: true
        doc: {param_doc}
        source: {param_source}
        unverified: {param_unverified}
      code: {{ type: string, pattern: {pattern} }}
      kind: {{ type: Kind }}
      labels: {{ type: list<string> }}
    presets:
      labelled:
        doc: {preset_doc}
        source: {preset_source}
        unverified: {preset_unverified}
        set: {{ labels: [{preset_value}] }}
    examples:
      - title: {example_title}
        request: {{ name: {example_value} }}
    response: Thing
types:
  Thing:
    doc: {type_doc}
    type_tag: {type_tag}
    source: {type_source}
    unverified: {type_unverified}
    fields:
      id: {{ type: string, doc: {field_doc}, pattern: {field_pattern} }}
      kind: {{ type: Kind }}
enums:
  Kind:
    doc: {enum_doc}
    source: {enum_source}
    unverified: {enum_unverified}
    data:
      label: {{ type: string, doc: {column_doc} }}
    values:
      - value: {wire}
        name: Odd
        doc: {value_doc}
        source: {value_source}
        unverified: {value_unverified}
        data: {{ label: {datum} }}
      - {{ value: plain }}
  Code:
    open: true
    values:
      - {{ value: E1, doc: {code_doc} }}
notifications:
  changed:
    summary: {n_summary}
    description: {n_description}
    source: {n_source}
    unverified: {n_unverified}
    encoding: form
    signature:
      scheme: hmac_sha256_hex
      field: {sig_field}
      algorithm_field: {alg_field}
      algorithm: {alg}
      key_field: {key_field}
      keys:
        first: {{ doc: {key_doc} }}
        second: {{ doc: {key_doc2} }}
    payload_field: {payload_field}
    payload: Thing
    fields:
      extra: {{ doc: {nfield_doc} }}
"#,
        title = text("title"),
        api_doc = both("api_doc"),
        auth_doc = text("auth_doc"),
        env_doc = both("env_doc"),
        env_source = text("env_source"),
        env_unverified = text("env_unverified"),
        op_summary = both("op_summary"),
        op_description = text("op_description"),
        // A fence in a path template is refused (S006, see below): a usable path here.
        path = quoted("/things"),
        op_recovery = text("op_recovery"),
        op_rule = text("op_rule"),
        op_source = text("op_source"),
        op_unverified = both("op_unverified"),
        param_doc = both("param_doc"),
        param_source = text("param_source"),
        param_unverified = text("param_unverified"),
        pattern = string("pattern"),
        preset_doc = text("preset_doc"),
        preset_source = text("preset_source"),
        preset_unverified = text("preset_unverified"),
        preset_value = string("preset_value"),
        example_title = text("example_title"),
        example_value = string("example_value"),
        type_doc = both("type_doc"),
        type_tag = string("type_tag"),
        type_source = text("type_source"),
        type_unverified = text("type_unverified"),
        field_doc = text("field_doc"),
        field_pattern = string("field_pattern"),
        enum_doc = text("enum_doc"),
        enum_source = text("enum_source"),
        enum_unverified = text("enum_unverified"),
        column_doc = text("column_doc"),
        wire = string("wire"),
        value_doc = both("value_doc"),
        value_source = text("value_source"),
        value_unverified = text("value_unverified"),
        datum = string("datum"),
        code_doc = text("code_doc"),
        n_summary = text("n_summary"),
        n_description = both("n_description"),
        n_source = text("n_source"),
        n_unverified = text("n_unverified"),
        sig_field = string("sig_field"),
        alg_field = string("alg_field"),
        alg = string("alg"),
        key_field = string("key_field"),
        key_doc = text("key_doc"),
        key_doc2 = text("key_doc2"),
        payload_field = string("payload_field"),
        nfield_doc = text("nfield_doc"),
    )
}

/// The code blocks of a Markdown text: kind (`None` for indented, else the info string) and
/// content.
fn code_blocks(markdown: &str) -> Vec<(Option<String>, String)> {
    // The extensions rustdoc turns on.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut blocks = Vec::new();
    let mut current: Option<(Option<String>, String)> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Indented => None,
                    CodeBlockKind::Fenced(info) => Some(info.to_string()),
                };
                current = Some((info, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, content)) = &mut current {
                    content.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// The doc comments of a Rust file, one Markdown text per item, as rustdoc sees them (the
/// comment markers removed, then the common indentation).
fn doc_comments(source: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in source.lines() {
        let trimmed = line.trim_start();
        assert!(
            !trimmed.starts_with("/**") && !trimmed.starts_with("/*!"),
            "a doc comment printed as a block (a doc string with a line break): {line}"
        );
        match trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"))
        {
            Some(text) => current.push(text),
            None if !current.is_empty() => docs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        docs.push(current);
    }
    docs.into_iter()
        .map(|lines| {
            let indent = lines
                .iter()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.len() - l.trim_start().len())
                .min()
                .unwrap_or(0);
            lines
                .iter()
                .map(|l| l.get(indent..).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

/// Whether rustdoc would compile (and so run) a code block with this info string.
fn runs(info: Option<&str>) -> bool {
    let Some(info) = info else { return true };
    let tokens: Vec<&str> = info
        .split([',', ' ', '\t'])
        .filter(|t| !t.is_empty())
        .collect();
    let rust = [
        "rust",
        "no_run",
        "should_panic",
        "compile_fail",
        "test_harness",
    ];
    tokens.is_empty()
        || tokens
            .iter()
            .any(|t| rust.contains(t) || t.starts_with("edition"))
        || tokens.iter().all(|t| t.starts_with("ignore"))
}

#[test]
fn no_prose_runs_as_a_doctest() {
    let source = payspec_codegen::SourceFile {
        path: "spec/prose.yaml".to_owned(),
        text: spec(),
    };
    let generated = payspec_codegen::generate(std::slice::from_ref(&source)).unwrap_or_else(|d| {
        panic!(
            "{}",
            payspec_codegen::render(&d, std::slice::from_ref(&source))
        )
    });
    let mut hostile_blocks = 0;
    let mut texts_seen = String::new();
    for (path, text) in &generated.files {
        let is_rust = path.ends_with(".rs") && !path.contains("/runtime/");
        let is_markdown = path.ends_with(".md");
        if !(is_rust || is_markdown) {
            continue;
        }
        let texts = if is_rust {
            doc_comments(text)
        } else {
            vec![text.clone()]
        };
        let mut examples = 0;
        for markdown in &texts {
            for (info, content) in code_blocks(markdown) {
                let language = info
                    .as_deref()
                    .map(|i| i.split(',').next().unwrap_or_default());
                // The Markdown pages show example requests as JSON, which escapes everything.
                let shown_as_json = is_markdown && language == Some("json");
                // Spec text as lines of code (an example's values are string literals, in the
                // generator's own examples: no line of theirs starts with spec text).
                let spec_code = content
                    .lines()
                    .any(|l| l.trim_start().starts_with("hostile_"));
                if spec_code && !shown_as_json {
                    hostile_blocks += 1;
                    texts_seen.push_str(&content);
                    assert_eq!(
                        language,
                        Some("text"),
                        "{path}: spec text in a code block that is not `text`:\n{content}\n--- in ---\n{markdown}"
                    );
                } else if (is_rust && runs(info.as_deref()))
                    || (is_markdown && info.as_deref() == Some("rust,ignore"))
                {
                    examples += 1;
                }
            }
        }
        // The generator's own examples are all there: none was swallowed by an open fence.
        let expected = match path.rsplit('/').next() {
            // The client and the sandbox show how to start; the crate root how to depend.
            Some("client.rs" | "lib.rs") => 1,
            // The `Sandbox` type, and the chapter "Testing your integration" its test.
            Some("sandbox.rs") => 2,
            // The chapter's test, as a user writes it; the first call and its errors.
            Some("testing.md" | "getting-started.md") => 1,
            // The example of the one request type (the fixture has one operation).
            Some("requests.rs") => 1,
            Some(page) if path.contains("/operations/") && page.ends_with(".md") => 1,
            _ => 0,
        };
        assert_eq!(examples, expected, "{path}: the generator's examples");
    }
    // Multi-line prose keeps its code blocks, as `text`, in code and in both languages of the
    // docs (one-line contexts, titles and table cells, flatten them).
    for marker in [
        "hostile_api_doc_en_1",
        "hostile_api_doc_fr_15",
        "hostile_op_description_3",
        "hostile_field_doc_12",
        "hostile_value_doc_en_5",
        "hostile_key_doc_2",
        "hostile_n_description_en_4",
    ] {
        assert!(texts_seen.contains(marker), "{marker} is in no text block");
    }
    assert!(
        hostile_blocks > 200,
        "only {hostile_blocks} blocks: the test lost its teeth"
    );
}

#[test]
fn a_fence_in_a_path_template_is_refused() {
    // Path templates are not prose: one that holds a fence (or any character a URL path cannot
    // carry) is a diagnostic before anything is emitted.
    let source = payspec_codegen::SourceFile {
        path: "spec/prose.yaml".to_owned(),
        text: spec().replace(
            "path: \"/things\"",
            "path: \"/things\\n```rust\\nhostile_path();\\n```\"",
        ),
    };
    let diagnostics = payspec_codegen::generate(std::slice::from_ref(&source))
        .expect_err("a fenced path is refused");
    assert!(
        diagnostics.iter().any(|d| d.code == "S006"),
        "{diagnostics:#?}"
    );
}
