//! The diagnostics catalogue (spec/README.md, "Diagnostics") is the one source of
//! `cargo xtask codegen --explain`: every code the generator emits has a row, in numeric order.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root")
}

fn emitted_codes(dir: &Path, codes: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            emitted_codes(&path, codes);
        } else if path.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&path).expect("read");
            for (i, _) in text.match_indices("\"S") {
                let code = &text[i + 1..];
                if code.len() > 5
                    && code.as_bytes()[1..4].iter().all(u8::is_ascii_digit)
                    && code.as_bytes()[4] == b'"'
                {
                    codes.push(code[..4].to_owned());
                }
            }
        }
    }
}

#[test]
fn every_emitted_code_is_catalogued_in_numeric_order() {
    let readme = std::fs::read_to_string(root().join("spec/README.md")).expect("readme");
    let rows = payspec_codegen::diagnostics::catalogue_codes(&readme);
    let mut sorted = rows.clone();
    sorted.sort();
    assert_eq!(rows, sorted, "the diagnostics table is in numeric order");
    let mut codes = Vec::new();
    emitted_codes(&root().join("codegen/src"), &mut codes);
    codes.sort();
    codes.dedup();
    assert!(codes.len() > 50, "{codes:?}");
    for code in codes {
        let text = payspec_codegen::diagnostics::explain(&readme, &code)
            .unwrap_or_else(|| panic!("{code} has no row in spec/README.md"));
        assert!(text.starts_with(&code) && text.contains("Fix: "), "{text}");
    }
}
