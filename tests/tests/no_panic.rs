//! Nothing a spec contains may make codegen panic: feed it every truncation and every
//! one-line deletion of the specs, and a few byte-level corruptions, and require a result
//! (files or diagnostics) each time.

mod common;

use payspec_codegen::SourceFile;

fn generate_quietly(path: &str, text: String) {
    let source = SourceFile {
        path: path.to_owned(),
        text,
    };
    let result = std::panic::catch_unwind(|| {
        let _ = payspec_codegen::generate(std::slice::from_ref(&source));
    });
    assert!(
        result.is_ok(),
        "codegen panicked on this input:\n{}",
        source.text
    );
}

fn specs() -> Vec<(String, String)> {
    let mut paths = common::yaml_files("tests/fixtures");
    paths.extend(common::yaml_files("tests/fixtures/broken"));
    paths
        .into_iter()
        .map(|p| (p.clone(), common::source(&p).text))
        .collect()
}

#[test]
fn truncated_specs_do_not_panic() {
    for (path, text) in specs() {
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(5).collect();
        for cut in cuts {
            generate_quietly(&path, text[..cut].to_owned());
        }
    }
}

#[test]
fn specs_missing_a_line_do_not_panic() {
    for (path, text) in specs() {
        let lines: Vec<&str> = text.lines().collect();
        for skip in 0..lines.len() {
            let mutated: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, l)| *l)
                .collect();
            generate_quietly(&path, mutated.join("\n"));
        }
    }
}

#[test]
fn corrupted_specs_do_not_panic() {
    // Replacements that turn valid YAML into near-valid YAML: types, nulls, structure.
    let swaps = [
        (":", ": ["),
        ("string", "list<"),
        ("true", "null"),
        ("{", "[ "),
        ("type:", "type: ~ #"),
        ("- {", "- ["),
        ("required", "required: { }"),
        ("value:", "value: [1, 2] #"),
        ("/", "{"),
        ("1", "99999999999999999999999"),
    ];
    for (path, text) in specs() {
        for (from, to) in swaps {
            let positions: Vec<usize> = text.match_indices(from).map(|(i, _)| i).collect();
            for at in positions.into_iter().step_by(3) {
                let mut mutated = text.clone();
                mutated.replace_range(at..at + from.len(), to);
                generate_quietly(&path, mutated);
            }
        }
    }
}
