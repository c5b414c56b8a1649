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

/// A name of `len` letters from `seed`, camelCase (a wire name) or PascalCase (a type).
fn name(seed: u64, len: usize, upper_first: bool) -> String {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len.max(2))
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let c = (b'a' + (state % 26) as u8) as char;
            if (i == 0 && upper_first) || (i > 0 && state.is_multiple_of(7)) {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

/// A spec whose names have the lengths of `lengths`: fields of an operation and of an answer
/// type of every kind the text emitters lay out (scalars, lists, maps, objects, enums;
/// required, nullable, constrained), an enum with values and wire texts of those lengths, so
/// that lines fall on every side of prettyplease's margin.
fn spec(lengths: &[usize]) -> String {
    const TYPES: &[&str] = &[
        "string",
        "integer",
        "amount",
        "boolean",
        "number",
        "date",
        "\"list<string>\"",
        "\"map<integer>\"",
        "\"map<string>\"",
        "\"list<Shade>\"",
        "Shade",
        "Inner",
        "\"list<Inner>\"",
    ];
    let type_name = name(7, lengths[0] / 2 + 3, true);
    let enum_name = format!("Shade{}", name(11, lengths[1 % lengths.len()] / 3, true));
    let mut yaml = String::from(
        "format: 1\napi:\n  name: prop\n  title: Prop\n  auth: basic\n  protocol: rest\n  environments:\n    live: { url: \"https://example.com\" }\noperations:\n",
    );
    yaml.push_str(&format!(
        "  things/{}:\n    summary: Update.\n    method: POST\n    path: /things/{{id}}\n    retry: safe\n    params:\n      id: {{ type: string, in: path, required: true }}\n",
        name(3, lengths[0], false)
    ));
    let ty = |i: usize| TYPES[i % TYPES.len()].replace("Shade", &enum_name);
    for (i, &len) in lengths.iter().enumerate() {
        let extra = match i % 4 {
            0 => ", required: true",
            1 => ", nullable: true",
            2 => ", max_length: 64",
            _ => "",
        };
        let extra = if ty(i).contains("string") || !extra.contains("max_length") {
            extra
        } else {
            ""
        };
        yaml.push_str(&format!(
            "      {}: {{ type: {}{extra} }}\n",
            name(i as u64 + 100, len, false),
            ty(i)
        ));
    }
    yaml.push_str(&format!(
        "    response: {type_name}\ntypes:\n  {type_name}:\n    fields:\n"
    ));
    for (i, &len) in lengths.iter().enumerate() {
        yaml.push_str(&format!(
            "      {}: {{ type: {}{} }}\n",
            name(i as u64 + 200, len, false),
            ty(i + 3),
            if i % 3 == 0 { ", required: true" } else { "" }
        ));
    }
    yaml.push_str("  Inner:\n    fields:\n      x: { type: string }\n");
    yaml.push_str(&format!("enums:\n  {enum_name}:\n    values:\n"));
    for (i, &len) in lengths.iter().enumerate() {
        yaml.push_str(&format!(
            "      - {{ value: {} }}\n",
            name(i as u64 + 300, len, true)
        ));
    }
    yaml
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..Default::default()
    })]

    /// Names of every length put lines on both sides of the margin, where the text emitters
    /// choose between a line and its broken form, or leave it to prettyplease.
    #[test]
    fn specs_with_names_of_any_length_print_as_prettyplease_would(
        lengths in proptest::collection::vec(2usize..70, 3..14)
    ) {
        let source = payspec_codegen::SourceFile {
            path: "spec/prop.yaml".into(),
            text: spec(&lengths),
        };
        let count = check("a generated spec", std::slice::from_ref(&source));
        proptest::prop_assert!(count >= 7);
    }
}
