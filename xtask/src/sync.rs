//! The disk side of `cargo xtask codegen`: compares the generator's files with `generated/` and
//! the disk (the plan), then writes and deletes files to make them agree.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::Path;

use crate::MARKER;

/// What syncing the disk with the generated files would do.
#[derive(Debug, Default)]
pub struct Plan {
    /// Produced but absent on disk.
    pub missing: Vec<String>,
    /// On disk with other content.
    pub stale: Vec<String>,
    /// Under generated/, written by payspec, no longer produced.
    pub orphaned: Vec<String>,
    /// Under generated/, not written by payspec, not produced.
    pub foreign: Vec<String>,
    /// Stale or orphaned files whose recorded hash no longer matches: edited by hand.
    pub edited: Vec<String>,
    /// Already right.
    pub unchanged: usize,
}

impl Plan {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty()
            && self.stale.is_empty()
            && self.orphaned.is_empty()
            && self.foreign.is_empty()
    }
}

/// Compares `files` with the disk.
pub fn plan(root: &Path, files: &BTreeMap<String, String>) -> Result<Plan, String> {
    let mut plan = Plan::default();
    for (path, text) in files {
        match fs::read(root.join(path)) {
            Ok(bytes) if bytes == text.as_bytes() => plan.unchanged += 1,
            Ok(bytes) => {
                if payspec_codegen::stamp::is_intact(&String::from_utf8_lossy(&bytes))
                    == Some(false)
                {
                    plan.edited.push(path.clone());
                }
                plan.stale.push(path.clone());
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => plan.missing.push(path.clone()),
            Err(e) => return Err(format!("cannot read {path}: {e}")),
        }
    }
    let mut on_disk = Vec::new();
    walk(&root.join("generated"), root, &mut on_disk)?;
    for path in on_disk {
        if files.contains_key(&path) {
            continue;
        }
        let text = fs::read_to_string(root.join(&path)).unwrap_or_default();
        if text.contains(MARKER) {
            if payspec_codegen::stamp::is_intact(&text) == Some(false) {
                plan.edited.push(path.clone());
            }
            plan.orphaned.push(path);
        } else {
            plan.foreign.push(path);
        }
    }
    plan.orphaned.sort();
    plan.foreign.sort();
    plan.edited.sort();
    Ok(plan)
}

pub fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) -> Result<(), String> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            walk(&path, root, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// Writes through a temporary file in the same folder and renames it over the target, so an
/// interrupted run never leaves a half-written file.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.payspec-tmp"));
    let mut file = fs::File::create(&temp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temp, path)
}
