//! The Rust codegen writes is prettyplease's layout, whichever way each piece was printed: the
//! emitters write the common shapes (fields, setters, decoding impls) as text in that layout and
//! leave the rest to `syn` + `prettyplease`, so every generated module must read back through
//! prettyplease unchanged. A piece written by hand in a layout prettyplease would not choose
//! (a line it would break, a space it would not put) fails here, naming the file and the line.

mod common;

use payspec_codegen::emit::text::space_items;

/// The module's text without the `// …` header lines codegen puts before the code (plain
/// comments, which syn does not keep).
fn code_of(text: &str) -> &str {
    let mut rest = text;
    while rest.starts_with("// ") || rest.starts_with('\n') {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest
}

fn assert_fixed_point(origin: &str, file: &str, text: &str) {
    let code = code_of(text);
    let parsed = syn::parse_file(code).unwrap_or_else(|e| panic!("{origin}: {file}: {e}"));
    let printed = space_items(&prettyplease::unparse(&parsed));
    if printed == code {
        return;
    }
    let line = printed
        .lines()
        .zip(code.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| printed.lines().count().min(code.lines().count()));
    let around = |t: &str| {
        t.lines()
            .skip(line.saturating_sub(3))
            .take(7)
            .collect::<Vec<_>>()
            .join("\n")
    };
    panic!(
        "{origin}: {file} is not in prettyplease's layout from line {} of its code:\n--- generated\n{}\n--- prettyplease\n{}",
        line + 1,
        around(code),
        around(&printed)
    );
}

fn check(origin: &str, sources: &[payspec_codegen::SourceFile]) -> usize {
    let generated = payspec_codegen::generate(sources)
        .unwrap_or_else(|d| panic!("{}", payspec_codegen::render(&d, sources)));
    let mut count = 0;
    for (file, text) in &generated.files {
        if file.starts_with("generated/src/") && file.ends_with(".rs") {
            assert_fixed_point(origin, file, text);
            count += 1;
        }
    }
    count
}

#[test]
fn the_real_specs_print_as_prettyplease_would() {
    let sources: Vec<_> = common::yaml_files("spec")
        .iter()
        .map(|p| common::source(p))
        .collect();
    assert!(sources.len() >= 4, "{} specs", sources.len());
    // Four APIs of 7+ modules each, and the crate's own files.
    let count = check("spec/", &sources);
    assert!(count >= 28, "{count} Rust files");
}

#[test]
fn the_fixture_specs_print_as_prettyplease_would() {
    let mut count = 0;
    for path in common::yaml_files("tests/fixtures") {
        count += check(&path, std::slice::from_ref(&common::source(&path)));
    }
    assert!(count >= 100, "{count} Rust files");
}
