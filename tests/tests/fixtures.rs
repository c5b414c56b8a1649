//! Snapshots of what codegen produces from the fixture specs, and of the diagnostics it
//! renders for the broken ones. Review a changed snapshot like any other diff.

mod common;

/// Every file generated from a valid fixture, except the crate files (the same for every spec,
/// and covered by `generated_is_fresh`).
#[test]
fn fixture_output_snapshots() {
    for path in common::yaml_files("tests/fixtures") {
        let source = common::source(&path);
        let name = path
            .trim_start_matches("tests/fixtures/")
            .trim_end_matches(".yaml")
            .to_owned();
        let generated =
            payspec_codegen::generate(std::slice::from_ref(&source)).unwrap_or_else(|d| {
                panic!(
                    "{}",
                    payspec_codegen::render(&d, std::slice::from_ref(&source))
                )
            });
        let mut count = 0;
        for (file, text) in &generated.files {
            let api_file = file.starts_with("generated/src/") && file.matches('/').count() == 3;
            let doc_file = file.starts_with("generated/docs/en/");
            if !(api_file || doc_file) {
                continue;
            }
            count += 1;
            let snapshot = format!(
                "{name}__{}",
                file.trim_start_matches("generated/").replace('/', "__")
            );
            insta::assert_snapshot!(snapshot, text);
        }
        assert!(
            count >= 5,
            "{name}: expected the API modules and docs, got {count} files"
        );
    }
}

#[test]
fn broken_spec_diagnostics() {
    for path in common::yaml_files("tests/fixtures/broken") {
        let source = common::source(&path);
        let name = path
            .trim_start_matches("tests/fixtures/broken/")
            .trim_end_matches(".yaml")
            .to_owned();
        let diagnostics = match payspec_codegen::generate(std::slice::from_ref(&source)) {
            Ok(_) => panic!("{path} should not generate"),
            Err(d) => d,
        };
        let rendered = payspec_codegen::render(&diagnostics, std::slice::from_ref(&source));
        insta::assert_snapshot!(format!("diagnostics__{name}"), rendered);
    }
}
