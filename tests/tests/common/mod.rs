//! Helpers shared by the test files: paths and spec loading.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use payspec_codegen::SourceFile;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Reads one file as a spec source named by its path relative to the root.
pub fn source(relative: &str) -> SourceFile {
    let text = std::fs::read_to_string(root().join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    SourceFile {
        path: relative.to_owned(),
        text,
    }
}

/// The `.yaml` files of a folder (relative to the root), sorted.
pub fn yaml_files(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    names.into_iter().map(|n| format!("{dir}/{n}")).collect()
}
