//! A fuzz target that runs on stable: random mutations of the fixture and real specs go through
//! the whole pipeline (load -> check -> lower -> emit), which must answer with files or
//! diagnostics, never a panic. Every generated Rust file must also parse.
//!
//! The suite runs a bounded number of cases; a longer run:
//! `PAYSPEC_FUZZ_CASES=100000 cargo test --release -p payspec-tests --test fuzz -- --nocapture`

mod common;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Pieces of YAML and of the spec language that a mutation may insert.
const TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\n",
    "\n  ",
    "\n    ",
    "#",
    "&a ",
    "*a",
    "<<: *a",
    "!!str ",
    "\"",
    "'",
    "null",
    "~",
    "NO",
    "yes",
    "04",
    "1e3",
    "-1",
    "99999999999999999999",
    "type: ",
    "string",
    "list<",
    "map<",
    "amount",
    "required: true",
    "nullable: true",
    "in: path",
    "in: query",
    "{id}",
    "/",
    ".",
    "[]",
    "a.b.c",
    "min: 5",
    "max: 1",
    "pattern: \"(\"",
    "open: true",
    "value: ",
    "name: ",
    "Self",
    "self",
    "type",
    "é",
    "\t",
    "\u{0}",
];

/// Words that may replace a word of the spec, keeping its YAML shape: names that stress the
/// naming rules and values that stress the checks.
const WORDS: &[&str] = &[
    "self",
    "Self",
    "type",
    "crate",
    "super",
    "gen",
    "Option",
    "Result",
    "String",
    "Box",
    "client",
    "url",
    "body",
    "request",
    "Unknown",
    "new",
    "validate",
    "NO",
    "YES",
    "04",
    "1e3",
    "x-y",
    "a_b",
    "AB",
    "ab",
    "Ab",
    "_",
    "9",
    "string",
    "integer",
    "amount",
    "boolean",
    "json",
    "Transaction",
    "Currency",
    "true",
    "false",
    "0",
    "365",
];

#[derive(Debug, Clone)]
enum Mutation {
    ReplaceWord(usize, usize),
    Insert(usize, usize),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), 0..WORDS.len()).prop_map(|(at, w)| Mutation::ReplaceWord(at, w)),
        1 => (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Insert(at, t)),
        1 => (any::<usize>(), 1usize..40).prop_map(|(at, n)| Mutation::Delete(at, n)),
        1 => (any::<usize>(), 1usize..200).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
    ]
}

fn floor(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_owned();
    for m in mutations {
        match *m {
            Mutation::ReplaceWord(at, word) => {
                let at = floor(&text, at);
                let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
                let start = text[..at]
                    .char_indices()
                    .rev()
                    .find(|(_, c)| !is_word(*c))
                    .map_or(0, |(i, c)| i + c.len_utf8());
                let end = text[at..]
                    .find(|c: char| !is_word(c))
                    .map_or(text.len(), |i| at + i);
                if start < end {
                    text.replace_range(start..end, WORDS[word]);
                }
            }
            Mutation::Insert(at, token) => {
                let at = floor(&text, at);
                text.insert_str(at, TOKENS[token]);
            }
            Mutation::Delete(at, n) => {
                let start = floor(&text, at);
                let end = floor(&text, start.saturating_add(n).min(text.len()));
                text.replace_range(start..end.max(start), "");
            }
            Mutation::Duplicate(at, n) => {
                let start = floor(&text, at);
                let end = floor(&text, start.saturating_add(n).min(text.len()));
                let piece = text[start..end.max(start)].to_owned();
                text.insert_str(end.max(start), &piece);
            }
        }
    }
    text
}

fn seeds() -> Vec<(String, String)> {
    let mut paths = common::yaml_files("tests/fixtures");
    paths.extend(common::yaml_files("tests/fixtures/broken"));
    paths.extend(
        common::yaml_files("spec")
            .into_iter()
            .filter(|p| p.ends_with("paysafe.yaml")),
    );
    paths
        .into_iter()
        .map(|p| (p.clone(), common::source(&p).text))
        .collect()
}

#[test]
fn mutated_specs_never_panic_and_generate_parseable_rust() {
    let cases: u32 = std::env::var("PAYSPEC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let seeds = seeds();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (0..seeds.len(), prop::collection::vec(mutation(), 1..6));
    let generated = std::cell::Cell::new(0u32);
    let result = runner.run(&strategy, |(seed, mutations)| {
        let (path, text) = &seeds[seed];
        let source = payspec_codegen::SourceFile {
            path: path.clone(),
            text: apply(text, &mutations),
        };
        let outcome =
            std::panic::catch_unwind(|| payspec_codegen::generate(std::slice::from_ref(&source)));
        let Ok(outcome) = outcome else {
            return Err(TestCaseError::fail(format!(
                "codegen panicked on:\n{}",
                source.text
            )));
        };
        if let Ok(files) = outcome {
            generated.set(generated.get() + 1);
            for (file, text) in files.files.iter().filter(|(f, _)| f.ends_with(".rs")) {
                if let Err(e) = syn::parse_file(text) {
                    return Err(TestCaseError::fail(format!(
                        "{file} does not parse ({e}) for:\n{}",
                        source.text
                    )));
                }
            }
        }
        Ok(())
    });
    println!("{cases} cases, {} generated code", generated.get());
    if let Err(e) = result {
        panic!("{e}");
    }
}
