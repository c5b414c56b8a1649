//! `cargo xtask contract`: the OpenAPI exports as a contract. Installs the pinned linter and
//! validating mock server (`xtask/openapi-tools/package.json` and its lock, with `npm ci`,
//! into `target/openapi-tools`), lints every `generated/openapi/*.yaml` with the committed
//! ruleset (`xtask/openapi-tools/spectral.yaml`: any warning fails), then runs the contract
//! test (`tests/tests/contract.rs`, feature `contract`), which drives every operation of every
//! API through its generated client against Prism started from the export.
//!
//! Only IO here: copying the tool manifest, running npm, Spectral and cargo.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The tool manifest, committed beside this crate.
const MANIFEST: [&str; 2] = ["package.json", "package-lock.json"];

pub fn run(root: &Path) -> Result<(), String> {
    let tools = install(root)?;
    lint(root, &tools)?;
    let prism = tools.join("node_modules/.bin/prism");
    step("contract test: every operation against Prism, example and schema-generated answers");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .current_dir(root)
        .args(["test", "-p", "payspec-tests", "--features", "contract"])
        .args(["--test", "contract", "--", "--nocapture"])
        .env("PAYSPEC_PRISM", &prism)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err("contract test failed (its output above names each violation)".into());
    }
    Ok(())
}

fn step(what: &str) {
    println!("\n--> {what}");
}

/// `npm ci` of the committed manifest into `target/openapi-tools`, unless the installed copy
/// is of the same manifest. Gives the tools directory.
fn install(root: &Path) -> Result<PathBuf, String> {
    let source = root.join("xtask/openapi-tools");
    let tools = root.join("target/openapi-tools");
    std::fs::create_dir_all(&tools).map_err(|e| format!("{}: {e}", tools.display()))?;
    let mut same = tools.join("node_modules/.bin/prism").exists()
        && tools.join("node_modules/.bin/spectral").exists();
    for name in MANIFEST {
        let wanted = read(&source.join(name))?;
        let installed = tools.join(name);
        if std::fs::read_to_string(&installed).ok().as_deref() != Some(wanted.as_str()) {
            same = false;
            std::fs::write(&installed, wanted)
                .map_err(|e| format!("{}: {e}", installed.display()))?;
        }
    }
    if same {
        return Ok(tools);
    }
    step("installing the OpenAPI tools (npm ci, pinned by xtask/openapi-tools/package-lock.json)");
    let status = Command::new("npm")
        .current_dir(&tools)
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .status()
        .map_err(|e| format!("npm: {e} (Node.js and npm are needed: https://nodejs.org)"))?;
    if !status.success() {
        return Err("npm ci failed".into());
    }
    Ok(tools)
}

/// Spectral on every export, failing on any finding (hints included).
fn lint(root: &Path, tools: &Path) -> Result<(), String> {
    step("lint: Spectral `spectral:oas` with xtask/openapi-tools/spectral.yaml");
    let spectral = tools.join("node_modules/.bin/spectral");
    let ruleset = root.join("xtask/openapi-tools/spectral.yaml");
    let mut documents: Vec<PathBuf> = std::fs::read_dir(root.join("generated/openapi"))
        .map_err(|e| format!("generated/openapi: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    documents.sort();
    let mut failed = Vec::new();
    for document in &documents {
        let status = Command::new(&spectral)
            .current_dir(root)
            .arg("lint")
            .arg("--ruleset")
            .arg(&ruleset)
            .args(["--format", "text", "--fail-severity", "hint"])
            .arg(document)
            .status()
            .map_err(|e| format!("spectral: {e}"))?;
        if !status.success() {
            failed.push(document.display().to_string());
        }
    }
    if failed.is_empty() {
        println!("{} documents, no finding", documents.len());
        Ok(())
    } else {
        Err(format!("the linter has findings in {}", failed.join(", ")))
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}
