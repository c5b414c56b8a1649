//! What the produced crate asks of its users' builds: no serde, only its traits from
//! `serde_core`, and no derive macro. Its `Serialize` impls are written out (the runtime's
//! `Entries`) and its answers decode through the runtime's `decode_object`; only the
//! `test-util` sandbox derives `Deserialize` for the requests it decodes, and that feature
//! alone brings the optional `serde` with `derive`. A `derive`, a `#[serde(…)]` attribute or a
//! `::serde::` path outside `cfg_attr(feature = "test-util", …)` would fail every build
//! without the feature, or bring `serde_derive` back into it.
//!
//! Likewise `PartialEq`: the objects, requests and answers derive it only with `test-util`.

mod common;

/// Every attribute of `text` (outside comments), whitespace collapsed: `#[…]`, brackets
/// balanced, strings skipped.
fn attributes(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut current: Option<(String, i32)> = None;
    for line in text.lines() {
        let code = line.trim();
        if code.starts_with("//") {
            continue;
        }
        let (mut attribute, mut depth) = match current.take() {
            Some(open) => open,
            None if code.starts_with("#[") => (String::new(), 0),
            None => continue,
        };
        if !attribute.is_empty() {
            attribute.push(' ');
        }
        let mut in_string = false;
        let mut escaped = false;
        for c in code.chars() {
            attribute.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '[' if !in_string => depth += 1,
                ']' if !in_string => depth -= 1,
                _ => {}
            }
        }
        if depth > 0 {
            current = Some((attribute, depth));
        } else {
            found.push(attribute.replace("( ", "(").replace(" )", ")"));
        }
    }
    found
}

/// Each spec of `spec/` and `tests/fixtures/`, generated alone: its path and what it gives.
fn generations() -> Vec<(String, payspec_codegen::Generated)> {
    let mut paths = common::yaml_files("spec");
    paths.extend(common::yaml_files("tests/fixtures"));
    let sources: Vec<_> = paths.iter().map(|p| common::source(p)).collect();
    sources
        .iter()
        .map(|source| {
            let generated = payspec_codegen::generate(std::slice::from_ref(source))
                .unwrap_or_else(|d| panic!("{}", payspec_codegen::render(&d, &sources)));
            (source.path.clone(), generated)
        })
        .collect()
}

/// The Rust files of a generation, by path.
fn rust_files(generated: &payspec_codegen::Generated) -> impl Iterator<Item = (&String, &String)> {
    generated
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
}

#[test]
fn the_produced_crate_uses_no_serde_derive_without_test_util() {
    let mut checked = 0;
    let mut gated = 0;
    let mut problems = Vec::new();
    for (spec, generated) in generations() {
        for (path, text) in rust_files(&generated) {
            // Code outside the sandbox's attributes names serde's traits by `serde_core`.
            for line in text.lines().filter(|l| l.contains("::serde::")) {
                if !line
                    .trim_start()
                    .starts_with("#[cfg_attr(feature = \"test-util\",")
                {
                    problems.push(format!("{}: {path}: {}", spec, line.trim()));
                }
            }
            for attribute in attributes(text) {
                checked += 1;
                if !attribute.contains("serde") {
                    continue;
                }
                if attribute.starts_with("#[cfg_attr(feature = \"test-util\",") {
                    gated += 1;
                } else {
                    problems.push(format!("{}: {path}: {attribute}", spec));
                }
            }
        }
        let manifest = &generated.files["generated/Cargo.toml"];
        let features = manifest
            .lines()
            .find(|l| l.starts_with("test-util = "))
            .unwrap_or_else(|| panic!("{}: no test-util feature", spec));
        assert!(features.contains("\"dep:serde\""), "{features}");
        // serde itself only for the sandbox's derive; the code names `serde_core`.
        assert!(
            manifest.contains(
                "\nserde = { version = \"1\", features = [\"derive\"], optional = true }\n"
            ) && manifest.contains("\nserde_core = \"1\"\n"),
            "{}: serde not optional:\n{manifest}",
            spec
        );
    }
    assert!(
        problems.is_empty(),
        "serde attributes outside test-util:\n{}",
        problems.join("\n")
    );
    // The walk saw the attributes: the requests' `Deserialize` and their renamed fields.
    assert!(
        checked > 1000 && gated > 100,
        "{checked} attributes, {gated} gated"
    );
}

/// The attributes right before each `struct` item of `text`, with the item's line.
fn struct_attributes(text: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let code = line.trim();
        if code.starts_with("///") || code.starts_with("//") {
            continue;
        }
        let is_struct = code.starts_with("pub struct ") || code.starts_with("struct ");
        if is_struct {
            found.push((code.to_owned(), attributes(&pending)));
            pending.clear();
        } else if code.starts_with("#[") || (!pending.is_empty() && !ends_attributes(&pending)) {
            pending.push_str(line);
            pending.push('\n');
        } else {
            pending.clear();
        }
    }
    found
}

/// Whether the attribute text read so far closes every bracket it opens.
fn ends_attributes(text: &str) -> bool {
    attributes(text).len() == text.matches("#[").count() && text.trim_end().ends_with(']')
}

/// Comparing two answers is what tests do: the objects, requests and answers of the produced
/// crate derive `PartialEq` only with `test-util`, so that a user's build compiles none of
/// those impls (the enums of values keep theirs: matching on them needs it; so do the
/// credentials, one type per API).
#[test]
fn structs_compare_only_with_test_util() {
    let mut gated = 0;
    let mut problems = Vec::new();
    for (spec, generated) in generations() {
        for (path, text) in rust_files(&generated) {
            for (item, attributes) in struct_attributes(text) {
                // One per API, not per type: the client's credentials, compared by their owner.
                if item.starts_with("pub struct Credentials(") {
                    continue;
                }
                for attribute in attributes.iter().filter(|a| a.contains("PartialEq")) {
                    if attribute.starts_with("#[cfg_attr(feature = \"test-util\",") {
                        gated += 1;
                    } else {
                        problems.push(format!("{}: {path}: {attribute} {item}", spec));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "PartialEq outside test-util:\n{}",
        problems.join("\n")
    );
    assert!(gated > 100, "only {gated} structs compare under test-util");
}

#[test]
fn struct_attributes_go_with_their_item() {
    let text = "#[derive(Debug)]\n#[cfg_attr(\n    feature = \"test-util\",\n    derive(PartialEq)\n)]\npub struct A {\n    x: u8,\n}\n/// Doc.\n#[derive(Clone)]\nenum E {}\nstruct B;\n";
    assert_eq!(
        struct_attributes(text),
        [
            (
                "pub struct A {".to_owned(),
                vec![
                    "#[derive(Debug)]".to_owned(),
                    "#[cfg_attr(feature = \"test-util\", derive(PartialEq))]".to_owned()
                ]
            ),
            ("struct B;".to_owned(), vec![]),
        ]
    );
}

#[test]
fn attributes_are_read_whole() {
    let text = "/// #[serde(doc)]\n#[derive(Debug)]\n    #[cfg_attr(\n        feature = \"test-util\",\n        serde(rename = \"a]b\"),\n    )]\npub x: u8,\n";
    assert_eq!(
        attributes(text),
        [
            "#[derive(Debug)]",
            "#[cfg_attr(feature = \"test-util\", serde(rename = \"a]b\"),)]"
        ]
    );
}
