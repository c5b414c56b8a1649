//! Project tasks. `cargo xtask codegen` regenerates `generated/` and `spec/schema.json` from
//! `spec/*.yaml`; `cargo xtask codegen --check` fails when they are not what the specs produce.
//!
//! All file IO of the generator happens here; `payspec-codegen` is pure.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use payspec_codegen::SourceFile;

// The process's allocator (mimalloc), declared in a crate of its own: see there why.
extern crate xtask_alloc;

mod bench;
mod contract;
mod diff;
mod sync;

const USAGE: &str = "usage: cargo xtask codegen [--check | --force | --explain S0xx]

  codegen          regenerate generated/ and spec/schema.json from spec/*.yaml
  codegen --check  write nothing; fail listing every difference (stale, missing, orphaned,
                   hand-edited, foreign, blocked or leftover files)
  codegen --force  regenerate even over generated files that were edited by hand
  codegen --explain S013  print what a diagnostic code means and how to fix it
  diff <rev>       list the spec changes since a git revision (breaking/additive/docs-only) and the semver bump
  bench [--quick] [--peers]  measure codegen, builds and client overhead (vs progenitor, openapi-generator)
  contract         lint generated/openapi/*.yaml and drive every operation against a validating mock server (needs npm)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen(&root(), Mode::Write),
        ["codegen", "--check"] => codegen(&root(), Mode::Check),
        ["codegen", "--force"] => codegen(&root(), Mode::Force),
        ["codegen", "--explain", code] => explain(&root(), code),
        ["diff", rev] => diff::run(&root(), rev),
        ["bench", rest @ ..] => bench::run(&root(), rest),
        ["contract"] => contract::run(&root()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: the parent of this crate.
fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Whether to write files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files, delete orphans.
    Write,
    /// Write nothing; fail on any difference.
    Check,
    /// Write, even over files edited by hand.
    Force,
}

/// Runs the generator on the specs under `root/spec` and syncs `root/generated` (see
/// [`sync`] for how the disk is written).
pub fn codegen(root: &Path, mode: Mode) -> Result<(), String> {
    let sources = read_specs(root)?;
    // generated/ names the runtime crate beside it in this repository.
    let options = payspec_codegen::Options::runtime_at("../codegen/runtime");
    let generated = match payspec_codegen::generate_with(&sources, &options) {
        Ok(generated) => generated,
        Err(diagnostics) => {
            return Err(format!(
                "{}the specs have errors; nothing was written",
                payspec_codegen::render_with(&diagnostics, &sources, color())
            ));
        }
    };
    if !generated.warnings.is_empty() {
        eprint!(
            "{}",
            payspec_codegen::render_with(&generated.warnings, &sources, color())
        );
    }
    sync::sync(root, &generated.files, mode)
}

/// Whether diagnostics are coloured: on a terminal, unless `NO_COLOR` is set to anything but
/// an empty string (<https://no-color.org>).
fn color() -> bool {
    use std::io::IsTerminal as _;
    wants_color(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// [`color`]'s rule, given what it reads.
fn wants_color(terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Prints the catalogue entry of a diagnostic code (spec/README.md, "Diagnostics").
fn explain(root: &Path, code: &str) -> Result<(), String> {
    let path = root.join("spec/README.md");
    let readme = fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {}", path.display(), why(&e)))?;
    match payspec_codegen::diagnostics::explain(&readme, code) {
        Some(text) => {
            print!("{text}");
            Ok(())
        }
        None => Err(format!(
            "no diagnostic `{code}` in the catalogue (spec/README.md, \"Diagnostics\"): codes are `S` and three digits, e.g. `S013`"
        )),
    }
}

/// Reads `spec/*.yaml` in name order.
pub fn read_specs(root: &Path) -> Result<Vec<SourceFile>, String> {
    let cannot = |e: std::io::Error| format!("cannot read spec/: {}", why(&e));
    let mut names = Vec::new();
    for entry in fs::read_dir(root.join("spec")).map_err(cannot)? {
        let name = entry.map_err(cannot)?.file_name();
        if Path::new(&name)
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml")
        {
            names.push(name);
        }
    }
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = format!("spec/{}", name.to_string_lossy());
            let bytes = fs::read(root.join("spec").join(&name))
                .map_err(|e| format!("cannot read {path}: {}", why(&e)))?;
            let text = String::from_utf8(bytes).map_err(|e| not_utf8(&path, e.as_bytes()))?;
            Ok(SourceFile { path, text })
        })
        .collect()
}

/// The error for a file that is not UTF-8, located on its first invalid byte.
fn not_utf8(path: &str, bytes: &[u8]) -> String {
    let offset = match std::str::from_utf8(bytes) {
        Ok(_) => return format!("{path}: the file is not UTF-8 text"),
        Err(e) => e.valid_up_to(),
    };
    let before = String::from_utf8_lossy(&bytes[..offset]);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let utf16 = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        "; it looks like UTF-16"
    } else {
        ""
    };
    format!(
        "{path}:{line}:{column}: the file is not UTF-8 text (byte 0x{:02x} at offset {offset}{utf16}); \
         save it as UTF-8",
        bytes[offset]
    )
}

/// An IO error's reason in the project's style: lower case, no final period.
pub(crate) fn why(error: &std::io::Error) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_lowercase().collect())
        .unwrap_or_default();
    out.push_str(chars.as_str());
    out.trim_end_matches('.').to_owned()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::sync::MARKER;

    #[test]
    fn colour_on_a_terminal_unless_no_color() {
        use std::ffi::OsStr;
        assert!(wants_color(true, None));
        assert!(wants_color(true, Some(OsStr::new(""))));
        assert!(!wants_color(true, Some(OsStr::new("1"))));
        assert!(!wants_color(false, None));
    }

    /// A scratch repository with one spec, removed on drop.
    pub(crate) struct Scratch(pub(crate) PathBuf);

    impl Scratch {
        pub(crate) fn new(name: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("payspec-xtask-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(dir.join("spec")).expect("create scratch");
            let spec = include_str!("../../tests/fixtures/minimal.yaml");
            fs::write(dir.join("spec/shop.yaml"), spec).expect("write spec");
            Scratch(dir)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    /// Every file and folder under `root/generated` and `root/spec`, hidden ones included, with
    /// the bytes of each file (`None` for folders); links are listed, not followed.
    pub(crate) fn snapshot(root: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
        fn visit(root: &Path, dir: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
            let Ok(entries) = fs::read_dir(dir) else {
                return;
            };
            for entry in entries {
                let path = entry.expect("entry").path();
                let relative = path.strip_prefix(root).expect("under root");
                let relative = relative.to_string_lossy().replace('\\', "/");
                let meta = fs::symlink_metadata(&path).expect("metadata");
                if meta.is_dir() {
                    out.insert(relative, None);
                    visit(root, &path, out);
                } else if meta.is_symlink() {
                    let target = fs::read_link(&path).expect("link");
                    let target = target.to_string_lossy().into_owned().into_bytes();
                    out.insert(format!("{relative} (link)"), Some(target));
                } else {
                    out.insert(relative, Some(fs::read(&path).expect("read")));
                }
            }
        }
        let mut out = BTreeMap::new();
        visit(root, &root.join("generated"), &mut out);
        visit(root, &root.join("spec"), &mut out);
        out
    }

    /// The paths of the files under `root/generated`.
    pub(crate) fn files_under(root: &Path) -> Vec<String> {
        snapshot(root)
            .into_iter()
            .filter(|(path, bytes)| path.starts_with("generated/") && bytes.is_some())
            .map(|(path, _)| path)
            .collect()
    }

    #[test]
    fn writes_then_is_up_to_date_then_detects_edits() {
        let scratch = Scratch::new("cycle");
        let root = &scratch.0;
        assert!(codegen(root, Mode::Check).is_err(), "nothing generated yet");
        codegen(root, Mode::Write).expect("first run writes");
        assert!(root.join("generated/src/shop/client.rs").exists());
        assert!(root.join("spec/schema.json").exists());
        codegen(root, Mode::Check).expect("fresh after writing");

        let client = root.join("generated/src/shop/client.rs");
        let older = format!("// {MARKER} from spec/shop.yaml (an older version)\n");
        let older = payspec_codegen::stamp::stamp("generated/src/shop/client.rs", &older);
        fs::write(&client, older).expect("an older output");
        let message = codegen(root, Mode::Check).expect_err("stale");
        assert!(
            message.contains("stale:    generated/src/shop/client.rs"),
            "{message}"
        );
        assert!(message.contains("run `cargo xtask codegen`"), "{message}");
        codegen(root, Mode::Write).expect("rewrites");
        codegen(root, Mode::Check).expect("fresh again");
    }

    #[test]
    fn refuses_to_overwrite_hand_edits_unless_forced() {
        let scratch = Scratch::new("edits");
        let root = &scratch.0;
        codegen(root, Mode::Write).expect("first run");
        let client = root.join("generated/src/shop/client.rs");
        let original = fs::read_to_string(&client).expect("read");
        let edited = original.replacen("pub struct Client", "pub struct Client /* tweak */", 1);
        fs::write(&client, &edited).expect("hand edit");
        let message = codegen(root, Mode::Check).expect_err("edit seen");
        assert!(
            message.contains("edited by hand: generated/src/shop/client.rs"),
            "{message}"
        );
        let message = codegen(root, Mode::Write).expect_err("edit protected");
        assert!(
            message.contains("generated/src/shop/client.rs"),
            "{message}"
        );
        assert!(message.contains("--force"), "{message}");
        assert_eq!(
            fs::read_to_string(&client).expect("read"),
            edited,
            "the edit is kept"
        );
        codegen(root, Mode::Force).expect("forced");
        assert_eq!(fs::read_to_string(&client).expect("read"), original);
        codegen(root, Mode::Check).expect("fresh");
    }

    #[test]
    fn deletes_orphans_and_refuses_foreign_files() {
        let scratch = Scratch::new("orphans");
        let root = &scratch.0;
        codegen(root, Mode::Write).expect("first run");
        let orphan = root.join("generated/src/shop/old.rs");
        let text = format!("// {MARKER} from spec/old.yaml\n");
        let text = payspec_codegen::stamp::stamp("generated/src/shop/old.rs", &text);
        fs::write(&orphan, text).expect("orphan");
        let message = codegen(root, Mode::Check).expect_err("orphan found");
        assert!(
            message.contains("orphaned: generated/src/shop/old.rs"),
            "{message}"
        );
        codegen(root, Mode::Write).expect("deletes the orphan");
        assert!(!orphan.exists());

        let foreign = root.join("generated/notes.txt");
        fs::write(&foreign, "my notes").expect("foreign");
        let before = files_under(root);
        let message = codegen(root, Mode::Write).expect_err("foreign file refused");
        assert!(message.contains("generated/notes.txt"), "{message}");
        assert_eq!(files_under(root), before, "nothing written or deleted");
        assert_eq!(fs::read_to_string(&foreign).expect("kept"), "my notes");
    }

    #[test]
    fn a_broken_spec_leaves_generated_untouched() {
        let scratch = Scratch::new("broken");
        let root = &scratch.0;
        codegen(root, Mode::Write).expect("first run");
        let before: Vec<(String, String)> = files_under(root)
            .into_iter()
            .map(|p| {
                let text = fs::read_to_string(root.join(&p)).expect("read");
                (p, text)
            })
            .collect();
        let spec = fs::read_to_string(root.join("spec/shop.yaml")).expect("read spec");
        fs::write(
            root.join("spec/shop.yaml"),
            spec.replace("type: amount", "type: amont")
                .replace("summary: Read an order.", "sumary: x"),
        )
        .expect("break spec");
        let message = codegen(root, Mode::Write).expect_err("broken spec");
        assert!(
            message.contains("error[S001]") || message.contains("error[S003]"),
            "{message}"
        );
        assert!(message.contains("nothing was written"), "{message}");
        for (path, text) in before {
            assert_eq!(
                fs::read_to_string(root.join(&path)).expect("still there"),
                text,
                "{path} changed"
            );
        }
    }

    #[test]
    fn a_spec_that_is_not_utf8_is_located_on_its_first_invalid_byte() {
        let scratch = Scratch::new("not-utf8");
        let root = &scratch.0;
        let spec = fs::read(root.join("spec/shop.yaml")).expect("read spec");
        // Line 3, after `# é ` (4 characters, 5 bytes): column 5, offset 17.
        let mut bytes = b"# one\n# two\n# \xc3\xa9 \xff\n".to_vec();
        bytes.extend_from_slice(&spec);
        fs::write(root.join("spec/shop.yaml"), &bytes).expect("write");
        let message = codegen(root, Mode::Write).expect_err("not UTF-8");
        assert_eq!(
            message,
            "spec/shop.yaml:3:5: the file is not UTF-8 text (byte 0xff at offset 17); \
             save it as UTF-8"
        );
        assert!(!root.join("generated").exists(), "nothing was written");

        // A truncated sequence at the very end, and a UTF-16 file.
        fs::write(root.join("spec/shop.yaml"), b"format: 1\n\xe2\x82").expect("write");
        let message = codegen(root, Mode::Check).expect_err("not UTF-8");
        assert!(
            message.starts_with(
                "spec/shop.yaml:2:1: the file is not UTF-8 text (byte 0xe2 at offset 10)"
            ),
            "{message}"
        );
        fs::write(root.join("spec/shop.yaml"), b"\xff\xfef\0o\0").expect("write");
        let message = codegen(root, Mode::Check).expect_err("UTF-16");
        assert!(
            message.contains("spec/shop.yaml:1:1:") && message.contains("it looks like UTF-16"),
            "{message}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn io_errors_name_the_file_and_why_in_lower_case() {
        let scratch = Scratch::new("io-errors");
        let root = &scratch.0;
        fs::create_dir(root.join("spec/folder.yaml")).expect("a folder named like a spec");
        let message = codegen(root, Mode::Write).expect_err("cannot read");
        assert!(
            message.starts_with("cannot read spec/folder.yaml: is a directory"),
            "{message}"
        );
        fs::remove_dir_all(root.join("spec")).expect("remove spec/");
        let message = codegen(root, Mode::Write).expect_err("no spec/");
        assert!(
            message.starts_with("cannot read spec/: no such file or directory"),
            "{message}"
        );
        assert!(!message.ends_with('.'), "{message}");
    }
}
