//! Every package of the workspace declares a `rust-version` (the produced crate's from
//! `crate_files.rs`), and none is below the `rust-version` a normal dependency of it declares
//! (from `cargo metadata`): the MSRV the README states is the true minimum of the tree.

use serde_json::Value;

/// `1.85` and `1.85.0` are the same version.
fn version(text: &str) -> Vec<u64> {
    let mut v: Vec<u64> = text.split('.').map(|n| n.parse().unwrap()).collect();
    v.resize(3, 0);
    v
}

#[test]
fn no_package_declares_less_than_its_dependencies_need() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    // Not `--offline`: the metadata of every platform's dependencies (wasm's, Windows') is
    // needed, which a build for this machine never downloaded. With everything cached, cargo
    // reads it without the network; `--locked` keeps Cargo.lock as it is.
    let output = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let meta: Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let package = |id: &str| packages.iter().find(|p| p["id"] == id).unwrap();
    let nodes = meta["resolve"]["nodes"].as_array().unwrap();
    let node = |id: &str| nodes.iter().find(|n| n["id"] == id).unwrap();
    let mut checked = Vec::new();
    for member in meta["workspace_members"].as_array().unwrap() {
        let member = member.as_str().unwrap();
        let p = package(member);
        let name = p["name"].as_str().unwrap();
        // The test and bench crates are never built by users.
        if matches!(name, "payspec-tests" | "payspec-bench") {
            continue;
        }
        let declared = p["rust_version"]
            .as_str()
            .unwrap_or_else(|| panic!("{name} declares no rust-version"));
        let mut seen = std::collections::BTreeSet::new();
        let mut todo = vec![member.to_owned()];
        while let Some(id) = todo.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            for dep in node(&id)["deps"].as_array().unwrap() {
                let normal = dep["dep_kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|k| k["kind"].is_null());
                if normal {
                    todo.push(dep["pkg"].as_str().unwrap().to_owned());
                }
            }
        }
        for id in seen.iter().filter(|id| *id != member) {
            let dep = package(id);
            if let Some(needed) = dep["rust_version"].as_str() {
                assert!(
                    version(declared) >= version(needed),
                    "{name} declares rust-version {declared}, but its dependency {} {} needs {needed}",
                    dep["name"],
                    dep["version"]
                );
            }
        }
        checked.push(name.to_owned());
    }
    for name in ["payspec", "payspec-runtime", "payspec-codegen", "xtask"] {
        assert!(
            checked.iter().any(|c| c == name),
            "{name} not checked: {checked:?}"
        );
    }
}
