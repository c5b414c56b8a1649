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

/// A mistake of the form "X is given twice" shows where the first X is, as a second labelled
/// snippet: whichever check reports it (keys of a mapping, enum values, schemes, scopes,
/// headers, one-of alternatives, metadata paths, statuses), over every broken fixture.
#[test]
fn every_duplicate_points_at_the_first_one() {
    let mut duplicates = std::collections::BTreeSet::new();
    for path in common::yaml_files("tests/fixtures/broken") {
        let source = common::source(&path);
        let Err(diagnostics) = payspec_codegen::generate(std::slice::from_ref(&source)) else {
            panic!("{path} should not generate");
        };
        // S053 and S057: both names are inside the one URL template underlined.
        let within_one_value = |code: &str| matches!(code, "S053" | "S057");
        for d in diagnostics.iter().filter(|d| {
            (d.message.contains("twice") && !within_one_value(d.code))
                || d.message.starts_with("duplicate mapping key")
        }) {
            duplicates.insert(d.code);
            let related = d.related.as_ref().unwrap_or_else(|| {
                panic!("{path}: {} `{}` has no related place", d.code, d.message)
            });
            assert!(
                (related.place.line, related.place.column) < (d.place.line, d.place.column),
                "{path}: {} points at {:?}, not before {:?}",
                d.code,
                related.place,
                d.place
            );
        }
    }
    // The fixtures hold a duplicate of each kind the checks report (S004, a name defined in
    // two files, is tested where it is checked: the fixtures are one file each).
    for code in [
        "S001", "S013", "S040", "S042", "S049", "S073", "S074", "S076", "S090",
    ] {
        assert!(
            duplicates.contains(code),
            "no broken fixture has a duplicate {code}: {duplicates:?}"
        );
    }
}
