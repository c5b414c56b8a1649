//! Every function of the produced crate is `#[inline]`: in a debug build a non-generic
//! function so marked is compiled in the crates that call it, not in the produced crate, so
//! rebuilding the crate after a spec change compiles none of its validation, decoding or
//! accessors, and an application compiles only those of the types and operations it uses.
//! The mark is written as the printed text is spaced (`emit::text::Spacer`); read back here
//! through syn, on the real specs and on every fixture: no function without it, and no mark
//! anywhere else (inside a string, say).

mod common;

use syn::{Attribute, Block, ImplItem, Item, Stmt, TraitItem};

/// The functions with a body found in `items` (recursively: modules, impl blocks, traits and
/// the items of function bodies), and how many of them are marked `#[inline]`.
#[derive(Default)]
struct Count {
    functions: usize,
    marked: usize,
    unmarked: Vec<String>,
}

impl Count {
    fn function(&mut self, name: &syn::Ident, attrs: &[Attribute], body: &Block) {
        self.functions += 1;
        if attrs.iter().any(|a| a.path().is_ident("inline")) {
            self.marked += 1;
        } else {
            self.unmarked.push(name.to_string());
        }
        for stmt in &body.stmts {
            if let Stmt::Item(item) = stmt {
                self.item(item);
            }
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Fn(f) => self.function(&f.sig.ident, &f.attrs, &f.block),
            Item::Impl(block) => {
                for item in &block.items {
                    if let ImplItem::Fn(f) = item {
                        self.function(&f.sig.ident, &f.attrs, &f.block);
                    }
                }
            }
            Item::Trait(t) => {
                for item in &t.items {
                    if let TraitItem::Fn(f) = item
                        && let Some(body) = &f.default
                    {
                        self.function(&f.sig.ident, &f.attrs, body);
                    }
                }
            }
            Item::Mod(m) => {
                for item in m.content.iter().flat_map(|(_, items)| items) {
                    self.item(item);
                }
            }
            _ => {}
        }
    }
}

/// Checks every Rust file generated from `sources`; the number of functions seen.
fn check(origin: &str, sources: &[payspec_codegen::SourceFile]) -> usize {
    let generated = payspec_codegen::generate(sources)
        .unwrap_or_else(|d| panic!("{}", payspec_codegen::render(&d, sources)));
    let mut functions = 0;
    for (file, text) in &generated.files {
        if !(file.starts_with("generated/src/") && file.ends_with(".rs")) {
            continue;
        }
        let parsed = syn::parse_file(text).unwrap_or_else(|e| panic!("{origin}: {file}: {e}"));
        let mut count = Count::default();
        for item in &parsed.items {
            count.item(item);
        }
        assert!(
            count.unmarked.is_empty(),
            "{origin}: {file}: functions not marked #[inline]: {:?}",
            count.unmarked
        );
        let lines = text.lines().filter(|l| l.trim() == "#[inline]").count();
        assert_eq!(
            lines, count.marked,
            "{origin}: {file}: a `#[inline]` line that marks no function"
        );
        functions += count.functions;
    }
    functions
}

#[test]
fn every_function_of_the_real_apis_is_inline() {
    let sources: Vec<_> = common::yaml_files("spec")
        .iter()
        .map(|p| common::source(p))
        .collect();
    let functions = check("spec/", &sources);
    // Four APIs: validation, decoding, accessors, enumerations, client methods.
    assert!(functions > 3000, "{functions} functions");
}

#[test]
fn every_function_of_the_fixtures_is_inline() {
    let mut functions = 0;
    for path in common::yaml_files("tests/fixtures") {
        functions += check(&path, std::slice::from_ref(&common::source(&path)));
    }
    assert!(functions > 1000, "{functions} functions");
}
