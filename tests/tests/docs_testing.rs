//! The chapter "Testing your integration" of each real API: a Markdown page in English and in
//! French linked from the API's index, the rustdoc of its `sandbox` module, both with the
//! spec's `auth_doc` as the vendor's test mode and one example that calls an operation of the
//! spec through the sandbox (the rustdoc one runs as a doctest of the produced crate).

mod common;

use payspec_codegen::ir::{ApiIr, Ir};
use payspec_codegen::spec::Text;

fn ir() -> Ir {
    let sources: Vec<_> = common::yaml_files("spec")
        .iter()
        .map(|p| common::source(p))
        .collect();
    payspec_codegen::build_ir(&sources)
        .expect("specs are valid")
        .0
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(common::root().join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The opening words of a prose text, up to the first character Markdown or rustdoc could
/// escape or link: what a page showing the text must contain as written.
fn opening(text: &str) -> String {
    let words: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take_while(|c| !"`*_<>[]\\|#".contains(*c))
        .take(40)
        .collect();
    assert!(words.len() >= 15, "too short an opening: {words:?}");
    words
}

fn pick(text: &Text, lang: &str) -> String {
    let t = if lang == "fr" { text.fr() } else { text.en() };
    opening(t.unwrap_or_else(|| panic!("auth_doc in {lang}")))
}

/// The example's operation: its `Operation` variant and its client method.
fn example_of(api: &ApiIr) -> (String, String) {
    let (op, _) = payspec_codegen::emit::testing::example_operation(api)
        .unwrap_or_else(|| panic!("{}: no operation with a usable example", api.module));
    (
        payspec_codegen::emit::sandbox::operation_variant(op),
        op.method_name.trim_start_matches("r#").to_owned(),
    )
}

#[test]
fn every_api_has_a_testing_page_in_both_languages_linked_from_its_index() {
    let ir = ir();
    assert_eq!(ir.apis.len(), 4, "the four real APIs");
    for api in &ir.apis {
        let m = &api.module;
        let (variant, method) = example_of(api);
        let auth_doc = api.auth_doc.as_ref().expect("every real API has auth_doc");
        for (lang, title, test_mode) in [
            (
                "en",
                "# Testing your integration",
                "# The vendor's test mode",
            ),
            (
                "fr",
                "# Tester votre intégration",
                "# Le mode test de l'API",
            ),
        ] {
            let index = read(&format!("generated/docs/{lang}/{m}/index.md"));
            assert!(
                index.contains("](testing.md)"),
                "{lang}/{m}/index.md does not link testing.md"
            );
            let page = read(&format!("generated/docs/{lang}/{m}/testing.md"));
            assert!(page.contains(title), "{lang}/{m}/testing.md: {title}");
            assert!(
                page.contains(&format!("features = [\"{m}\", \"test-util\"]")),
                "{lang}/{m}/testing.md: the dev-dependency line"
            );
            // The vendor's test mode, from the spec, in the page's language.
            let at = page
                .find(test_mode)
                .unwrap_or_else(|| panic!("{lang}/{m}/testing.md: {test_mode}"));
            let words = pick(auth_doc, lang);
            assert!(
                page[at..].contains(&words),
                "{lang}/{m}/testing.md: the auth_doc text {words:?}"
            );
            // One example, as the test a user writes, calling the operation and scripting it.
            assert_eq!(page.matches("```rust").count(), 1, "{lang}/{m}/testing.md");
            assert!(page.contains("#[tokio::test]"), "{lang}/{m}/testing.md");
            for needle in [
                format!("use payspec::{m}::sandbox::{{Operation, Sandbox}};"),
                format!("client.{method}(&request).await?;"),
                format!("sandbox.on(Operation::{variant}).respond(Fault::"),
                "let error = ".to_owned(),
                "sandbox.requests()".to_owned(),
            ] {
                assert!(
                    page.contains(&needle),
                    "{lang}/{m}/testing.md lacks {needle}"
                );
            }
        }
    }
}

#[test]
fn the_rustdoc_chapter_has_the_test_mode_and_a_running_example() {
    let ir = ir();
    let lib = read("generated/src/lib.rs");
    for api in &ir.apis {
        let m = &api.module;
        let (variant, method) = example_of(api);
        let source = read(&format!("generated/src/{m}/sandbox.rs"));
        let module_doc: String = source
            .lines()
            .filter_map(|l| l.strip_prefix("//!"))
            .map(|l| format!("{}\n", l.strip_prefix(' ').unwrap_or(l)))
            .collect();
        assert!(
            module_doc.contains("# Testing your integration"),
            "{m}: the chapter"
        );
        let at = module_doc
            .find("# The vendor's test mode")
            .unwrap_or_else(|| panic!("{m}: the vendor's test mode in rustdoc"));
        let words = pick(api.auth_doc.as_ref().expect("auth_doc"), "en");
        assert!(
            module_doc[at..].contains(&words),
            "{m}: the auth_doc text {words:?} in rustdoc"
        );
        // The example is a doctest that runs (a bare fence, a runtime built in it), calls the
        // operation and scripts a fault on a variant of the module's `Operation`.
        let start = module_doc.find("\n```\n").expect("a running code block");
        let example = &module_doc[start..];
        assert!(
            example.contains("# tokio::runtime::Builder::new_current_thread()"),
            "{m}"
        );
        for needle in [
            "let sandbox = Sandbox::start().await;".to_owned(),
            format!("client.{method}(&request).await?;"),
            format!("sandbox.on(Operation::{variant}).respond(Fault::"),
        ] {
            assert!(example.contains(&needle), "{m}: the doctest lacks {needle}");
        }
        let op_id = &payspec_codegen::emit::testing::example_operation(api)
            .expect("an example")
            .0
            .id;
        assert!(
            source.contains(&format!("Self::{variant} => \"{op_id}\"")),
            "{m}: Operation::{variant} is not the variant of {op_id}"
        );
        // The crate root links to the chapter (with the feature on).
        assert!(
            lib.contains(&format!("[`{m}`]({m}::sandbox)")),
            "{m}: lib.rs links the chapter"
        );
    }
}
