//! `pattern` constraints: codegen accepts exactly the patterns the generated checks can
//! compile, and the generated code never skips a pattern it could not compile.

mod common;

use payspec::runtime::validate::compile_pattern;

/// Whether codegen reports S019 for a spec whose only constraint is `pattern`.
fn codegen_refuses(pattern: &str) -> bool {
    let text = format!(
        "format: 1
api:
  name: demo
  title: Demo
  auth: basic
  protocol: rest
  environments:
    test: {{ url: \"https://api.example.com\" }}
operations:
  op:
    summary: S.
    method: POST
    path: /x
    retry: never
    response: none
    params:
      p: {{ type: string, pattern: {pattern:?} }}
"
    );
    let source = payspec_codegen::SourceFile {
        path: "t.yaml".into(),
        text,
    };
    match payspec_codegen::generate(std::slice::from_ref(&source)) {
        Ok(_) => false,
        Err(diagnostics) => {
            assert!(
                diagnostics.iter().all(|d| d.code == "S019"),
                "{}",
                payspec_codegen::render(&diagnostics, std::slice::from_ref(&source))
            );
            true
        }
    }
}

#[test]
fn codegen_accepts_exactly_what_the_runtime_compiles() {
    for pattern in [
        "(?x)^[A-Z0-9-]+$ # ref",
        "(?x)a # (",
        "(?x)a #\\",
        "(?x) a b # c\n d",
        "(?m)^a$",
        "(?s).",
        "(?i)abc",
        "(?-x)a#b",
        "a|b",
        "",
        "^[0-9a-fA-F]{32}$",
        "a)|(b",
        "abc\\",
        "\\",
        "[a",
        "a{2",
        "(",
        ")",
        "(?x",
    ] {
        assert_eq!(
            codegen_refuses(pattern),
            compile_pattern(pattern).is_err(),
            "{pattern:?}"
        );
    }
}

/// The generated checks used to compile `^(?:pattern)$` themselves and drop a failure with
/// `.ok()`, so a pattern that did not compile checked nothing. Every generated check must go
/// through the runtime's `compile_pattern` and `check_pattern` (which fails closed).
#[test]
fn generated_code_never_compiles_a_pattern_itself() {
    let mut sources: Vec<_> = common::yaml_files("spec")
        .iter()
        .map(|p| common::source(p))
        .collect();
    sources.extend(
        common::yaml_files("tests/fixtures")
            .iter()
            .map(|p| common::source(p)),
    );
    for source in sources {
        let generated =
            payspec_codegen::generate(std::slice::from_ref(&source)).unwrap_or_else(|d| {
                panic!(
                    "{}",
                    payspec_codegen::render(&d, std::slice::from_ref(&source))
                )
            });
        let mut patterns = 0;
        for (path, text) in &generated.files {
            if !path.starts_with("generated/src/") || path.starts_with("generated/src/runtime/") {
                continue;
            }
            assert!(
                !text.contains("Regex::new"),
                "{path} compiles a pattern itself"
            );
            patterns += text.matches("validate::compile_pattern(").count();
            assert_eq!(
                text.matches("validate::compile_pattern(").count(),
                text.matches("validate::check_pattern(").count(),
                "{path}"
            );
        }
        if source.path.ends_with("hostile.yaml") {
            assert!(patterns > 0, "the hostile fixture has a pattern");
        }
    }
}
