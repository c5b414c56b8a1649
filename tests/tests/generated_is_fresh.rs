//! `generated/` and `spec/schema.json` must be exactly what the specs produce, so plain
//! `cargo test` catches a spec edit that was not followed by `cargo xtask codegen`.

mod common;

#[test]
fn generated_files_match_the_specs() {
    let sources: Vec<_> = common::yaml_files("spec")
        .iter()
        .map(|p| common::source(p))
        .collect();
    assert!(
        sources.len() >= 2,
        "spec/ should hold lyra.yaml and paysafe.yaml"
    );
    let generated = payspec_codegen::generate(&sources)
        .unwrap_or_else(|d| panic!("{}", payspec_codegen::render(&d, &sources)));
    let mut problems = Vec::new();
    for (path, expected) in &generated.files {
        let full = common::root().join(path);
        if full
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            problems.push(format!("a link, not a file: {path}"));
            continue;
        }
        match std::fs::read_to_string(full) {
            Ok(actual) if &actual == expected => {}
            Ok(_) => problems.push(format!("stale: {path}")),
            Err(_) => problems.push(format!("missing: {path}")),
        }
    }
    let mut on_disk = Vec::new();
    walk(&common::root().join("generated"), &mut on_disk);
    for path in on_disk {
        let relative = path
            .strip_prefix(common::root())
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        if !generated.files.contains_key(&relative) {
            problems.push(format!("orphaned: {relative}"));
        }
    }
    assert!(
        problems.is_empty(),
        "run `cargo xtask codegen`:\n{}",
        problems.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let sources: Vec<_> = common::yaml_files("spec")
        .iter()
        .map(|p| common::source(p))
        .collect();
    let first = payspec_codegen::generate(&sources)
        .expect("specs are valid")
        .files;
    let mut reversed = sources.clone();
    reversed.reverse();
    let second = payspec_codegen::generate(&reversed)
        .expect("specs are valid")
        .files;
    assert_eq!(
        first, second,
        "output must not depend on the order specs are read in"
    );
}

/// Every entry under `dir` that is not a folder, links included but never followed (a link
/// out of generated/ could loop, or make the check read what the specs do not produce).
fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable dir").flatten() {
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            walk(&entry.path(), out);
        } else {
            out.push(entry.path());
        }
    }
}

/// The produced crate depends on the runtime crate of this workspace, by path, with exactly
/// the runtime's version: a runtime release changes `generated/Cargo.toml`, so
/// `cargo xtask codegen --check` fails until it is regenerated.
#[test]
fn the_produced_crate_requires_the_workspaces_runtime_version() {
    let read = |path: &str| {
        std::fs::read_to_string(common::root().join(path)).expect("a readable manifest")
    };
    let runtime = read("codegen/runtime/Cargo.toml");
    let version = runtime
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("the runtime's version");
    let produced = read("generated/Cargo.toml");
    let line = produced
        .lines()
        .find(|l| l.starts_with("payspec-runtime = "))
        .expect("generated/Cargo.toml depends on payspec-runtime");
    assert_eq!(
        line,
        format!("payspec-runtime = {{ path = \"../codegen/runtime\", version = \"={version}\" }}")
    );
    let codegen = read("codegen/Cargo.toml");
    assert!(
        codegen.contains(&format!("\nversion = \"{version}\"\n")),
        "the runtime is versioned with the generator"
    );
    // Nothing of the runtime is copied into the produced crate any more.
    assert!(!common::root().join("generated/src/runtime").exists());
}
