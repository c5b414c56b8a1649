//! The generated documentation: every relative link of the Markdown reference resolves, both
//! languages have the same pages, and every operation, type, field and enum value of the IR
//! is documented in the Rust source (rustdoc) and in the Markdown pages.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use payspec_codegen::ir::{StructKind, TypeIr};

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The targets of the Markdown links `[text](target)` of a page.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        if let Some(end) = after.find(')') {
            out.push(after[..end].to_owned());
        }
        rest = after;
    }
    out
}

fn anchors(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for piece in text.split("<a id=\"").skip(1) {
        if let Some(end) = piece.find('"') {
            out.insert(piece[..end].to_owned());
        }
    }
    out
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let root = common::root().join("generated/docs");
    let mut pages = Vec::new();
    markdown_files(&root, &mut pages);
    assert!(
        pages.len() > 100,
        "expected the pages of both APIs in two languages, got {}",
        pages.len()
    );
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("read page");
        for link in links(&text) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            checked += 1;
            let (file, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().expect("in a folder").join(file)
            };
            let Ok(target_text) = std::fs::read_to_string(&target) else {
                broken.push(format!("{}: {link} (no such file)", page.display()));
                continue;
            };
            if !anchor.is_empty() && !anchors(&target_text).contains(anchor) {
                broken.push(format!("{}: {link} (no anchor `{anchor}`)", page.display()));
            }
        }
    }
    assert!(checked > 500, "expected many links, checked {checked}");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn both_languages_have_the_same_pages() {
    let list = |lang: &str| {
        let dir = common::root().join("generated/docs").join(lang);
        let mut pages = Vec::new();
        markdown_files(&dir, &mut pages);
        pages
            .iter()
            .map(|p| p.strip_prefix(&dir).expect("under dir").to_path_buf())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(list("en"), list("fr"));
}

#[test]
fn every_item_of_the_ir_is_documented_in_rust_and_markdown() {
    let sources: Vec<_> = common::yaml_files("spec")
        .iter()
        .map(|p| common::source(p))
        .collect();
    let (ir, _) = payspec_codegen::build_ir(&sources).expect("specs are valid");
    let read = |relative: String| {
        std::fs::read_to_string(common::root().join(&relative))
            .unwrap_or_else(|e| panic!("{relative}: {e}"))
    };
    let mut missing = Vec::new();
    let mut counts = [0usize; 4];
    for api in &ir.apis {
        let m = &api.module;
        let rust: String = ["client", "requests", "types", "enums"]
            .iter()
            .map(|f| read(format!("generated/src/{m}/{f}.rs")))
            .collect();
        for lang in ["en", "fr"] {
            let index = read(format!("generated/docs/{lang}/{m}/index.md"));
            let types_page = read(format!("generated/docs/{lang}/{m}/types.md"));
            let enums_page = read(format!("generated/docs/{lang}/{m}/enums.md"));
            for op in &api.operations {
                counts[0] += 1;
                let page = read(format!(
                    "generated/docs/{lang}/{m}/operations/{}.md",
                    op.method_name.trim_start_matches("r#")
                ));
                if !index.contains(&format!("`{}`", op.id)) {
                    missing.push(format!("{lang}/{m}/index.md: operation {}", op.id));
                }
                if !rust.contains(&format!("operation `{}`.", op.id)) {
                    missing.push(format!("rustdoc: operation {}", op.id));
                }
                for s in api
                    .request_structs
                    .iter()
                    .filter(|s| s.root == op.id && s.kind == StructKind::Request)
                {
                    for f in s.fields.iter().filter(|f| !matches!(&f.ty, TypeIr::Struct(n) if api.request_structs.iter().any(|r| &r.rust_name == n))) {
                        counts[1] += 1;
                        let shown = [format!("`{}`", f.dotted_path), format!("`{}.", f.dotted_path), format!("`{}[].", f.dotted_path)];
                        if !shown.iter().any(|s| page.contains(s.as_str())) {
                            missing.push(format!("{lang} page of {}: parameter {}", op.id, f.dotted_path));
                        }
                        if !rust.contains(&format!("Wire: `{}`", f.dotted_path)) {
                            missing.push(format!("rustdoc: parameter {} of {}", f.dotted_path, op.id));
                        }
                    }
                }
            }
            for s in &api.types {
                for f in &s.fields {
                    counts[2] += 1;
                    let path = if s.path.is_empty() {
                        f.wire_name.clone()
                    } else {
                        format!("{}.{}", s.path, f.wire_name)
                    };
                    let nested_object = matches!(&f.ty, TypeIr::Struct(n) if n.starts_with(&s.rust_name) && api.types.iter().any(|t| &t.rust_name == n && !t.path.is_empty()))
                        || matches!(&f.ty, TypeIr::List(inner) if matches!(inner.as_ref(), TypeIr::Struct(n) if api.types.iter().any(|t| &t.rust_name == n && !t.path.is_empty())));
                    if !nested_object && !types_page.contains(&format!("`{path}`")) {
                        missing.push(format!("{lang}/{m}/types.md: field {} of {}", path, s.root));
                    }
                    if !rust.contains(&format!("Wire: `{}`", f.dotted_path)) {
                        missing.push(format!("rustdoc: field {} of {}", f.dotted_path, s.root));
                    }
                }
            }
            for e in &api.enums {
                for v in &e.values {
                    counts[3] += 1;
                    let shown = v
                        .wire
                        .as_deref()
                        .map_or("`null`".to_owned(), |w| format!("`{w}`"));
                    if !enums_page.contains(&format!("| {shown} | `{}` |", v.rust_name)) {
                        missing.push(format!(
                            "{lang}/{m}/enums.md: {} value {shown}",
                            e.rust_name
                        ));
                    }
                    let rustdoc = v
                        .wire
                        .as_deref()
                        .map_or("Wire value: JSON `null`.".to_owned(), |w| {
                            format!("Wire value: `{w}`.")
                        });
                    if !rust.contains(&rustdoc) {
                        missing.push(format!("rustdoc: {} value {shown}", e.rust_name));
                    }
                }
            }
        }
    }
    println!(
        "checked (both languages): {} operations, {} parameters, {} fields, {} enum values",
        counts[0], counts[1], counts[2], counts[3]
    );
    assert!(
        missing.is_empty(),
        "undocumented items:\n{}",
        missing.join("\n")
    );
}
