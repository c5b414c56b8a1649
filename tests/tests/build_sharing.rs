//! `cargo xtask bench` makes two release builds, xtask's and then payspec-bench's, each of its
//! own package (a build naming both would resolve the features of xtask's dependencies with
//! the bench's and rebuild the generator; xtask/src/bench.rs). The second reuses what the
//! first compiled only where a dependency is resolved with the same features in both: one
//! feature apart (hyper-util's `percent-encoding/default`, schemars' `serde/alloc`) and the
//! dependency is built again, with every crate that depends on it (url, idna, serde_json,
//! ...). The pins in xtask/Cargo.toml and bench/Cargo.toml keep the two alike; this test
//! says which pin is missing when a dependency update makes them drift.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

mod common;

/// Every package the build of `package` compiles (`name vX.Y.Z`), with each feature set it is
/// built with (a package built for the host, as a proc macro's dependency, may have another).
fn resolved(package: &str) -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(common::root())
        .args(["tree", "--locked", "--package", package])
        .args(["--edges", "normal,build", "--prefix", "none"])
        .args(["--format", "{p}|{f}"])
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "cargo tree --package {package}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut packages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Some((id, features)) = line.split_once('|') else {
            continue;
        };
        // `name vX.Y.Z (/path)` for a workspace member; ` (*)` marks a repeat.
        let id = id.split(" (").next().unwrap_or(id).trim().to_owned();
        let features = features.trim_end_matches(" (*)").trim().to_owned();
        packages.entry(id).or_default().insert(features);
    }
    packages
}

#[test]
fn the_bench_build_reuses_every_dependency_xtask_built() {
    let xtask = resolved("xtask");
    let bench = resolved("payspec-bench");
    assert!(
        xtask.keys().any(|p| p.starts_with("serde v")),
        "cargo tree lists xtask's dependencies: {xtask:?}"
    );
    let mut shared = 0;
    let mut apart = Vec::new();
    for (package, features) in &bench {
        let Some(built) = xtask.get(package) else {
            continue;
        };
        shared += 1;
        for set in features.difference(built) {
            apart.push(format!(
                "{package}: payspec-bench builds it with [{set}], xtask with {built:?}"
            ));
        }
    }
    assert!(
        shared >= 20,
        "only {shared} packages in both builds: {bench:?}"
    );
    assert!(
        apart.is_empty(),
        "payspec-bench's build would compile these again (and what depends on them); pin the \
         missing features in xtask/Cargo.toml or bench/Cargo.toml:\n{}",
        apart.join("\n")
    );
}
