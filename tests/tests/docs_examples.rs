//! What a new user reads first: a "Getting started" page per API and language that builds a
//! client, makes a call and handles its error with code that runs (it is the crate root's
//! quick start, a doctest); examples that set the optional fields a real call sets; one example
//! per request type; examples laid out to fit the code box.

mod common;

const APIS: [&str; 4] = ["lyra", "paysafe", "checkout", "mollie"];

fn read(relative: &str) -> String {
    std::fs::read_to_string(common::root().join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The code blocks of doc comments (`///`, `//!`) in a Rust file: their lines without the
/// comment marker, fences excluded.
fn doc_blocks(text: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let Some(body) = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"))
        else {
            continue;
        };
        let body = body.strip_prefix(' ').unwrap_or(body);
        if body.starts_with("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None => current = Some(Vec::new()),
            }
        } else if let Some(block) = current.as_mut() {
            block.push(body.to_owned());
        }
    }
    blocks
}

/// The lines a reader sees: hidden lines (`# …`) dropped.
fn visible(block: &[String]) -> Vec<String> {
    block
        .iter()
        .filter(|l| l.as_str() != "#" && !l.starts_with("# "))
        .cloned()
        .collect()
}

/// The one Rust code block of a Markdown page.
fn markdown_code(page: &str) -> Vec<String> {
    let start = page.find("```rust").expect("a Rust block");
    let body = &page[start..];
    let body = &body[body.find('\n').expect("a fence line") + 1..];
    let end = body.find("\n```").expect("a closing fence");
    body[..end].lines().map(str::to_owned).collect()
}

#[test]
fn each_api_has_a_getting_started_page_in_both_languages_linked_from_its_index() {
    for api in APIS {
        for lang in ["en", "fr"] {
            let page = read(&format!("generated/docs/{lang}/{api}/getting-started.md"));
            assert!(
                page.contains(&format!("default-features = false, features = [\"{api}\"]")),
                "{lang}/{api}: the dependency line builds the API alone"
            );
            let code = markdown_code(&page).join("\n");
            let client = format!("payspec::{api}::Client::new(");
            for needed in [
                client.as_str(),
                ".await",
                "is_outcome_unknown()",
                "api_error()",
                "refusal.code",
            ] {
                assert!(
                    code.contains(needed),
                    "{lang}/{api}: no `{needed}` in\n{code}"
                );
            }
            let index = read(&format!("generated/docs/{lang}/{api}/index.md"));
            assert!(
                index.contains("(getting-started.md)"),
                "{lang}/{api}: index"
            );
        }
    }
}

/// The page shows the crate root's quick start without its hidden lines: code that runs as a
/// doctest, not code written for the page.
#[test]
fn the_getting_started_code_is_the_quick_start_that_runs() {
    let lib = read("generated/src/lib.rs");
    let blocks = doc_blocks(&lib);
    for api in APIS {
        let page = read(&format!("generated/docs/en/{api}/getting-started.md"));
        let code = markdown_code(&page);
        let quick_start = blocks
            .iter()
            .map(|b| visible(b))
            .find(|b| *b == code)
            .unwrap_or_else(|| panic!("{api}: the page's code is no quick start of lib.rs"));
        assert!(
            blocks
                .iter()
                .any(|b| visible(b) == quick_start && b.iter().any(|l| l.starts_with("# "))),
            "{api}: the quick start runs against a local server (hidden lines)"
        );
    }
}

/// Operation and request-type examples set the optional fields of the spec's example: Lyra's
/// `Transaction/Duplicate` example sends an `orderId` and a `cardDuplicate` object.
#[test]
fn examples_set_the_optional_fields_a_real_call_sets() {
    let client = read("generated/src/lyra/client.rs");
    let requests = read("generated/src/lyra/requests.rs");
    for (what, text) in [("client", &client), ("requests", &requests)] {
        let block = doc_blocks(text)
            .into_iter()
            .find(|b| {
                b.iter()
                    .any(|l| l.contains("TransactionDuplicateRequest::new("))
            })
            .unwrap_or_else(|| panic!("{what}: no Transaction/Duplicate example"));
        let code = block.join("\n");
        assert!(
            code.contains(".order_id(\"CMD-2024-0042\")"),
            "{what}:\n{code}"
        );
        assert!(code.contains(".card_duplicate("), "{what}:\n{code}");
        assert!(code.contains(".capture_delay(0)"), "{what}:\n{code}");
    }
}

/// Every request type has an example that builds it and validates it.
#[test]
fn every_request_type_has_an_example() {
    for api in APIS {
        let text = read(&format!("generated/src/{api}/requests.rs"));
        let mut missing = Vec::new();
        let mut doc = Vec::new();
        for line in text.lines() {
            let trimmed = line.trim_start();
            if let Some(d) = trimmed.strip_prefix("///") {
                doc.push(d.to_owned());
                continue;
            }
            if let Some(name) = trimmed
                .strip_prefix("pub struct ")
                .and_then(|r| r.split_whitespace().next())
                .filter(|n| n.ends_with("Request"))
            {
                let joined = doc.join("\n");
                if !joined.contains(&format!("{name}::new(")) || !joined.contains("validate()?") {
                    missing.push(name.to_owned());
                }
            }
            if !trimmed.starts_with("#[") {
                doc.clear();
            }
        }
        assert!(
            missing.is_empty(),
            "{api}: request types without an example: {missing:?}"
        );
    }
}

/// A visible line of a doc example fits a code box of 100 columns: long requests are laid
/// out one setter per line, as rustfmt would.
#[test]
fn doc_examples_fit_the_code_box() {
    let mut files = vec!["generated/src/lib.rs".to_owned()];
    for api in APIS {
        for file in ["client.rs", "requests.rs", "sandbox.rs", "mod.rs"] {
            files.push(format!("generated/src/{api}/{file}"));
        }
    }
    for file in files {
        for block in doc_blocks(&read(&file)) {
            for line in visible(&block) {
                assert!(
                    line.chars().count() <= 100,
                    "{file}: a line of {} columns: {line}",
                    line.chars().count()
                );
            }
        }
    }
}

/// The struct names spec/README.md gives for dotted paths are the ones the generator gives.
#[test]
fn the_spec_guide_names_nested_structs_as_generated() {
    let guide = read("spec/README.md");
    let start = guide
        .find("### Dotted paths and nested structs")
        .expect("the section");
    let section = &guide[start..];
    let section = &section[..section.find("\nRules (S005)").expect("the rules")];
    let generated: String = APIS
        .iter()
        .flat_map(|api| ["requests.rs", "types.rs"].map(|f| format!("generated/src/{api}/{f}")))
        .map(|f| read(&f))
        .collect();
    let mut names = 0;
    for row in section
        .lines()
        .filter(|l| l.starts_with("| operation") || l.starts_with("| type"))
    {
        let structs = row.rsplit('|').nth(1).expect("the Structs cell");
        for word in structs.split(|c: char| !c.is_alphanumeric() && c != '_') {
            if word.chars().next().is_some_and(char::is_uppercase)
                && !matches!(word, "Option" | "Vec")
            {
                names += 1;
                assert!(
                    generated.contains(&format!("pub struct {word} ")),
                    "spec/README.md names `{word}`, which the generator does not emit"
                );
            }
        }
    }
    assert!(names >= 6, "{names} names checked");
}

/// The French pages name scalar types in French (`montant (entier, en unités mineures)`),
/// not with the English words of the rustdoc; the English pages keep theirs.
#[test]
fn french_pages_name_types_in_french() {
    let mut checked = 0;
    for api in ["checkout", "lyra", "mollie", "paysafe"] {
        let fr = read(&format!("generated/docs/fr/{api}/types.md"));
        let en = read(&format!("generated/docs/en/{api}/types.md"));
        for english in [
            "| string |",
            "amount (integer, minor units)",
            "date-time (RFC 3339, with its offset)",
            "decimal (exact number as text",
        ] {
            assert!(!fr.contains(english), "fr/{api}/types.md has `{english}`");
        }
        assert!(fr.contains("| chaîne |"), "fr/{api}/types.md");
        assert!(en.contains("| string |"), "en/{api}/types.md");
        checked += 1;
    }
    let lyra = read("generated/docs/fr/lyra/types.md");
    assert!(lyra.contains("montant (entier, en unités mineures)"));
    assert!(lyra.contains("date-heure (RFC 3339, avec son décalage horaire)"));
    assert_eq!(checked, 4);
}
