//! The code generated from the fixture specs (hostile names included) must compile with no
//! warning, clippy included: a spec either generates good Rust or gets a diagnostic. Its tests
//! must then pass: its rustdoc examples (and nothing from the specs' prose run as one), and the
//! tests of `tests/fixtures/crate-tests/`, copied into it, which use the generated types.
//!
//! Writes a throw-away crate under `target/fixture-crate/` and runs `cargo clippy` (with the
//! default features, as users build it, and with all) and `cargo test` on it with its own
//! target folder (the workspace's is locked by the running `cargo test`).

mod common;

use std::process::Command;

#[test]
fn fixture_crates_compile_without_warnings() {
    let mut paths = common::yaml_files("tests/fixtures");
    paths.extend(common::yaml_files("tests/fixtures/large"));
    let sources: Vec<_> = paths.iter().map(|p| common::source(p)).collect();
    // The crate lives under target/: it names the runtime crate by its absolute path.
    let runtime = common::root().join("codegen/runtime");
    let options = payspec_codegen::Options::runtime_at(&runtime.to_string_lossy());
    let generated = payspec_codegen::generate_with(&sources, &options)
        .unwrap_or_else(|d| panic!("{}", payspec_codegen::render(&d, &sources)));
    let target = common::root().join("target");
    let dir = target.join("fixture-crate");
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in &generated.files {
        let Some(relative) = path.strip_prefix("generated/") else {
            continue;
        };
        let file = dir.join(relative);
        std::fs::create_dir_all(file.parent().expect("has a parent")).expect("create dir");
        // The crate tests sign notifications with an independent HMAC (webhook.rs) and poll
        // pagers' streams (paging_styles.rs) as a user would, with their own `futures-core`.
        let text = if relative == "Cargo.toml" {
            let text = text.replacen(
                "[dev-dependencies]\n",
                "[dev-dependencies]\nfutures-core = \"0.3\"\nhmac = \"0.12\"\nsha2 = \"0.10\"\n",
                1,
            );
            format!("{text}\n[workspace]\n")
        } else {
            text.clone()
        };
        std::fs::write(&file, text).expect("write fixture crate");
    }
    std::fs::copy(common::root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .expect("copy Cargo.lock");
    let tests = dir.join("tests");
    std::fs::create_dir_all(&tests).expect("create tests dir");
    let crate_tests = common::root().join("tests/fixtures/crate-tests");
    for entry in std::fs::read_dir(&crate_tests).expect("read crate-tests") {
        let path = entry.expect("dir entry").path();
        let name = path.file_name().expect("a file name");
        std::fs::copy(&path, tests.join(name)).expect("copy a crate test");
    }
    // Cargo in the fixture crate, with its own target folder.
    let cargo = |args: &[&str]| {
        Command::new(env!("CARGO"))
            .args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", target.join("fixture-check"))
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs")
    };
    // What the users build: the default features, without `test-util`, so without
    // `PartialEq` on objects nor the setters of answer objects: no code outside the tests'
    // feature may need them (a pager comparing pages, say).
    let output = cargo(&[
        "clippy",
        "--quiet",
        "--offline",
        "--lib",
        "--",
        "-D",
        "warnings",
    ]);
    assert!(
        output.status.success(),
        "the fixture crate does not build without test-util:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = cargo(&[
        "clippy",
        "--quiet",
        "--offline",
        "--all-features",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the fixture crate does not build cleanly:\n{stderr}"
    );
    assert!(
        !stderr.contains("warning"),
        "the fixture crate has warnings:\n{stderr}"
    );
    let output = cargo(&["test", "--quiet", "--offline", "--all-features"]);
    assert!(
        output.status.success(),
        "the fixture crate's tests fail:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
