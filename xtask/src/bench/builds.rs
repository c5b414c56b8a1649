//! The crates each generator produces from one API, in `target/bench/work/crates/`, and their
//! timed builds: cold (an application calling every operation, see [`super::app`]; a fresh
//! `CARGO_TARGET_DIR`, dependencies included) and the crate alone
//! after a one-line change of the spec (or of the OpenAPI document) and a regeneration.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use payspec_codegen::SourceFile;
use serde_json::Value;

use super::peers::{Installed, edit_first_summary};
use super::stats::{Timed, run_timed};

const BUILD_LIMIT: Duration = Duration::from_secs(20 * 60);
const GENERATE_LIMIT: Duration = Duration::from_secs(10 * 60);

/// What produces a work crate.
#[derive(Debug)]
pub enum Producer {
    /// payspec, in process, from one spec file.
    Payspec { source: SourceFile },
    /// A peer, from an OpenAPI document (already transformed as it needs).
    Peer {
        installed: Installed,
        document: Value,
    },
}

/// One generator's crate for one API.
#[derive(Debug)]
pub struct WorkCrate {
    /// `payspec`, `progenitor`, `openapi-generator`.
    pub generator: String,
    pub api: String,
    pub dir: PathBuf,
    pub producer: Producer,
    pub logs: PathBuf,
}

impl WorkCrate {
    /// Writes the crate as generated from the spec (or document) with edit number `edit`
    /// (0: unchanged; see [`edit_spec_summary`] and [`edit_first_summary`]).
    pub fn regenerate(&self, edit: u32, docs: &Path) -> Result<(), String> {
        match &self.producer {
            Producer::Payspec { source } => {
                let text = edit_spec_summary(&source.text, edit).ok_or_else(|| {
                    format!(
                        "cannot find an operation summary to edit in {}",
                        source.path
                    )
                })?;
                let edited = SourceFile {
                    path: source.path.clone(),
                    text,
                };
                // The work crate lives under target/: it names this repository's runtime
                // crate by its absolute path.
                let runtime = crate::root().join("codegen").join("runtime");
                let options = payspec_codegen::Options::runtime_at(&runtime.to_string_lossy());
                let generated =
                    payspec_codegen::generate_with(std::slice::from_ref(&edited), &options)
                        .map_err(|d| {
                            format!(
                                "the edited spec does not generate: {}",
                                payspec_codegen::render(&d, std::slice::from_ref(&edited))
                            )
                        })?;
                for (path, text) in &generated.files {
                    let Some(relative) = path.strip_prefix("generated/") else {
                        continue;
                    };
                    let text = if relative == "Cargo.toml" {
                        format!("{text}\n{DETACH}\n{RUNTIME_AS_DEPENDENCY}")
                    } else {
                        text.clone()
                    };
                    let target = self.dir.join(relative);
                    if fs::read(&target).is_ok_and(|old| old == text.as_bytes()) {
                        continue;
                    }
                    if let Some(parent) = target.parent() {
                        fs::create_dir_all(parent).map_err(|e| e.to_string())?;
                    }
                    fs::write(&target, text)
                        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
                }
                Ok(())
            }
            Producer::Peer {
                installed,
                document,
            } => {
                fs::create_dir_all(docs).map_err(|e| e.to_string())?;
                let path = docs.join(format!("{}-{}-edit{edit}.json", self.generator, self.api));
                let text = serde_json::to_string_pretty(&edit_first_summary(document, edit))
                    .map_err(|e| e.to_string())?;
                fs::write(&path, text).map_err(|e| e.to_string())?;
                let command = installed.command(&self.api, &path, &self.dir);
                let name = format!("regen-{}-{}-{edit}", self.generator, self.api);
                let timed = run_timed(&command, &self.logs, &name, GENERATE_LIMIT)?;
                if !timed.success() {
                    return Err(timed.failure(&format!("{} generation", self.generator)));
                }
                if installed.peer == super::peers::Peer::Progenitor {
                    with_rustls(&self.dir)?;
                }
                detach(&self.dir)
            }
        }
    }

    /// Generates the crate afresh, resolves and downloads its dependencies (not timed).
    pub fn prepare(&self, cargo: &str, root: &Path, docs: &Path) -> Result<(), String> {
        let _ = fs::remove_dir_all(&self.dir);
        fs::create_dir_all(&self.dir).map_err(|e| e.to_string())?;
        self.regenerate(0, docs)?;
        if matches!(self.producer, Producer::Payspec { .. }) {
            // The versions the repository builds with.
            fs::copy(root.join("Cargo.lock"), self.dir.join("Cargo.lock"))
                .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
        } else {
            self.cargo(cargo, &["generate-lockfile"], "lockfile")?;
        }
        self.cargo(cargo, &["fetch"], "fetch")?;
        self.write_app()
    }

    /// Where the application of this crate is written (see [`super::app`]): beside the crates,
    /// `target/bench/work/apps/<generator>-<api>/`.
    pub fn app_dir(&self) -> PathBuf {
        let name = self.dir.file_name().unwrap_or_default();
        match self.dir.parent().and_then(Path::parent) {
            Some(work) => work.join("apps").join(name),
            None => self.dir.join("app"),
        }
    }

    /// Writes the application that calls every operation of this crate once, with the crate's
    /// lockfile (the same versions, offline).
    fn write_app(&self) -> Result<(), String> {
        let manifest = fs::read_to_string(self.dir.join("Cargo.toml"))
            .map_err(|e| format!("the crate has no Cargo.toml: {e}"))?;
        let package = manifest
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .and_then(|rest| rest.strip_suffix('"'))
            .ok_or("the crate's Cargo.toml names no package")?;
        let krate = package.replace('-', "_");
        let (client, profile, sources) = match self.producer {
            Producer::Payspec { .. } => (
                format!("payspec::{}::Client", self.api),
                RUNTIME_AS_DEPENDENCY,
                vec![(
                    self.dir.join("src").join(&self.api).join("client.rs"),
                    format!("payspec::{}", self.api),
                )],
            ),
            Producer::Peer { .. } => (
                format!("{krate}::Client"),
                "",
                rust_files(&self.dir.join("src"), &krate)?,
            ),
        };
        let mut calls = Vec::new();
        for (path, module) in &sources {
            let text = fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            calls.extend(super::app::calls(&text, module));
        }
        if calls.is_empty() {
            return Err(format!(
                "no operation found in the {} crate's source for its application",
                self.generator
            ));
        }
        let app = self.app_dir();
        let _ = fs::remove_dir_all(&app);
        fs::create_dir_all(app.join("src")).map_err(|e| e.to_string())?;
        let path = self.dir.to_string_lossy().replace('\\', "/");
        let writes = [
            (
                app.join("Cargo.toml"),
                super::app::manifest(package, &path, profile),
            ),
            (
                app.join("src").join("main.rs"),
                super::app::main_rs(&client, &calls),
            ),
        ];
        for (path, text) in writes {
            fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        fs::copy(self.dir.join("Cargo.lock"), app.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy the crate's Cargo.lock: {e}"))?;
        Ok(())
    }

    fn cargo(&self, cargo: &str, args: &[&str], what: &str) -> Result<(), String> {
        let mut command = Command::new(cargo);
        command.args(args).current_dir(&self.dir);
        let name = format!("{what}-{}-{}", self.generator, self.api);
        let timed = run_timed(&command, &self.logs, &name, BUILD_LIMIT)?;
        if timed.success() {
            Ok(())
        } else {
            Err(timed.failure(&format!("cargo {}", args.join(" "))))
        }
    }

    /// `cargo build` (dev profile) with this target folder; the wall time in ms. Incremental:
    /// the dev profile's own setting (the crate incremental, its registry dependencies not;
    /// see [`RUNTIME_AS_DEPENDENCY`]), which `CARGO_INCREMENTAL=1` would override for every
    /// local package. Not incremental: `CARGO_INCREMENTAL=0`.
    pub fn build(
        &self,
        cargo: &str,
        target: &Path,
        incremental: bool,
        name: &str,
    ) -> Result<f64, String> {
        let command = self.build_command(&self.dir, cargo, target, incremental);
        self.timed_build(command, name)
    }

    /// [`WorkCrate::build`] of the crate's application (see [`super::app`]), incremental as
    /// the dev profile says.
    pub fn build_app(&self, cargo: &str, target: &Path, name: &str) -> Result<f64, String> {
        let command = self.build_command(&self.app_dir(), cargo, target, true);
        self.timed_build(command, &format!("app-{name}"))
    }

    fn timed_build(&self, command: Command, name: &str) -> Result<f64, String> {
        let name = format!("build-{}-{}-{name}", self.generator, self.api);
        let timed: Timed = run_timed(&command, &self.logs, &name, BUILD_LIMIT)?;
        if timed.success() {
            Ok(timed.ms)
        } else {
            Err(timed.failure(&format!("cargo build of the {} crate", self.generator)))
        }
    }
}

impl WorkCrate {
    /// The command [`WorkCrate::build`] runs.
    fn build_command(&self, dir: &Path, cargo: &str, target: &Path, incremental: bool) -> Command {
        let mut command = Command::new(cargo);
        command
            .args(["build", "--offline"])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_TERM_COLOR", "never");
        if incremental {
            command.env_remove("CARGO_INCREMENTAL");
        } else {
            command.env("CARGO_INCREMENTAL", "0");
        }
        command
    }
}

/// The `.rs` files under `src`, each with its module's path in the crate `krate` (`lib.rs`
/// and `mod.rs` name their folder's module).
fn rust_files(src: &Path, krate: &str) -> Result<Vec<(PathBuf, String)>, String> {
    let mut found = Vec::new();
    let mut folders = vec![(src.to_path_buf(), krate.to_owned())];
    while let Some((folder, module)) = folders.pop() {
        let mut entries: Vec<_> = fs::read_dir(&folder)
            .map_err(|e| format!("cannot read {}: {e}", folder.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let stem = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                folders.push((path, format!("{module}::{stem}")));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let module = match stem.as_str() {
                    "lib" | "mod" | "main" => module.clone(),
                    _ => format!("{module}::{stem}"),
                };
                found.push((path, module));
            }
        }
    }
    Ok(found)
}

/// progenitor's crate asks reqwest for no TLS at all: an application that calls an HTTPS API
/// adds it. The cold builds compare HTTPS-capable crates, so the bench adds the TLS stack
/// payspec's runtime uses (reqwest's `rustls-no-provider` and rustls with `ring`, the lines
/// of the repository's Cargo.toml): the figures then differ by the generated code and its
/// runtime, not by the choice of TLS library.
fn with_rustls(dir: &Path) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let text = fs::read_to_string(&manifest)
        .map_err(|e| format!("the generator wrote no Cargo.toml: {e}"))?;
    let rustls = workspace_dependency("rustls")?;
    let edited = add_tls(&text, &rustls)
        .ok_or("the peer's Cargo.toml has no `reqwest = { …, features = [ … ] }` line")?;
    fs::write(&manifest, edited).map_err(|e| e.to_string())
}

/// The `name = …` line of the repository's `[workspace.dependencies]`.
fn workspace_dependency(name: &str) -> Result<String, String> {
    let path = crate::root().join("Cargo.toml");
    let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .find(|l| l.starts_with(&format!("{name} = ")))
        .map(str::to_owned)
        .ok_or_else(|| format!("the repository's Cargo.toml has no `{name} = ` line"))
}

/// `text` with `rustls-no-provider` among the features of its `reqwest` line and the
/// `rustls` line after it; `None` when there is no such `reqwest` line.
fn add_tls(text: &str, rustls: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + rustls.len() + 32);
    let mut done = false;
    for line in text.split_inclusive('\n') {
        if !done && line.starts_with("reqwest = ") {
            let at = line.find("features = [")? + "features = [".len();
            out.push_str(&line[..at]);
            out.push_str("\"rustls-no-provider\", ");
            out.push_str(&line[at..]);
            out.push_str(rustls);
            out.push('\n');
            done = true;
        } else {
            out.push_str(line);
        }
    }
    done.then_some(out)
}

/// Appended to every work crate's manifest: each is its own workspace, not a member of the
/// repository's.
const DETACH: &str = "[workspace]\n";

/// Appended to payspec's work crate manifest. The work crate names the runtime by its path in
/// this repository, and cargo compiles a path dependency incrementally; an application gets
/// the runtime as the README says (a git dependency), or from a registry as progenitor's
/// crate gets `progenitor-client`: compiled once, not incrementally. The work crate itself,
/// like the peers' crates, stays incremental (the application's own code).
const RUNTIME_AS_DEPENDENCY: &str = "[profile.dev.package.payspec-runtime]\nincremental = false\n";

fn detach(dir: &Path) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let text = fs::read_to_string(&manifest)
        .map_err(|e| format!("the generator wrote no Cargo.toml: {e}"))?;
    if text.lines().any(|l| l.trim() == "[workspace]") {
        return Ok(());
    }
    fs::write(&manifest, format!("{text}\n{DETACH}")).map_err(|e| e.to_string())
}

/// The spec text with `Bench edit <edit>. ` put in front of the (English) summary of its
/// first operation: a one-line change. `edit` 0 returns the text unchanged; `None` when no
/// summary could be edited safely (a block scalar, say).
pub fn edit_spec_summary(text: &str, edit: u32) -> Option<String> {
    if edit == 0 {
        return Some(text.to_owned());
    }
    let marker = format!("Bench edit {edit}. ");
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    let start = lines.iter().position(|l| l.trim_end() == "operations:")?;
    let mut i = start + 1;
    while i < lines.len() {
        let line = &lines[i];
        let trimmed = line.trim_start();
        if !line.starts_with(' ') && !trimmed.is_empty() && !trimmed.starts_with('#') {
            return None; // past the operations
        }
        if let Some(rest) = trimmed.strip_prefix("summary:") {
            let key_end = line.len() - rest.len();
            let value = rest.trim();
            if value.is_empty() {
                // `summary:` then `en: …` on the next lines.
                let j = (i + 1..lines.len()).find(|&j| lines[j].trim_start().starts_with("en:"))?;
                let at = lines[j].find("en:")? + 3;
                lines[j] = insert_scalar(&lines[j], at, &marker)?;
            } else if value.starts_with('{') {
                let at = line[key_end..].find("en:")? + key_end + 3;
                lines[i] = insert_scalar(line, at, &marker)?;
            } else {
                lines[i] = insert_scalar(line, key_end, &marker)?;
            }
            return Some(lines.concat());
        }
        i += 1;
    }
    None
}

/// Inserts `marker` at the start of the scalar that begins after byte `at` of `line`.
fn insert_scalar(line: &str, at: usize, marker: &str) -> Option<String> {
    let after = line.get(at..)?;
    let start = at + (after.len() - after.trim_start().len());
    let position = match line[start..].chars().next()? {
        '"' | '\'' => start + 1,
        '>' | '|' | '\n' | '\r' | '{' | '[' | '&' | '*' | '!' => return None,
        _ => start,
    };
    Some(format!(
        "{}{marker}{}",
        &line[..position],
        &line[position..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peer_crate_gets_the_runtimes_tls_stack() {
        let manifest = "[dependencies]\nbytes = \"1.9\"\nreqwest = { version = \"0.13\", default-features=false, features = [\"json\", \"query\"] }\nserde = \"1\"\n";
        let rustls =
            "rustls = { version = \"0.23\", default-features = false, features = [\"ring\"] }";
        assert_eq!(
            add_tls(manifest, rustls).as_deref(),
            Some(
                "[dependencies]\nbytes = \"1.9\"\nreqwest = { version = \"0.13\", default-features=false, features = [\"rustls-no-provider\", \"json\", \"query\"] }\nrustls = { version = \"0.23\", default-features = false, features = [\"ring\"] }\nserde = \"1\"\n"
            )
        );
        assert_eq!(add_tls("[dependencies]\nserde = \"1\"\n", rustls), None);
        assert_eq!(add_tls("reqwest = \"0.13\"\n", rustls), None);
        // The line the bench reads is the repository's own.
        let line = workspace_dependency("rustls").unwrap_or_default();
        assert!(line.contains("\"ring\""), "{line}");
    }

    /// payspec's work crate is built as an application builds the produced crate: the
    /// runtime not incrementally (a git or registry dependency), the crate itself as the dev
    /// profile says; a non-incremental build turns incremental compilation off for all.
    #[test]
    fn the_work_crate_gets_the_runtime_as_a_dependency() {
        let root = crate::root();
        let dir = std::env::temp_dir().join(format!("payspec-work-crate-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let source = SourceFile {
            path: "spec/paysafe.yaml".into(),
            text: fs::read_to_string(root.join("spec/paysafe.yaml")).expect("the spec"),
        };
        let work = WorkCrate {
            generator: "payspec".into(),
            api: "paysafe".into(),
            dir: dir.clone(),
            producer: Producer::Payspec { source },
            logs: dir.join("logs"),
        };
        let written = work.regenerate(0, &dir.join("docs"));
        let manifest = fs::read_to_string(dir.join("Cargo.toml"));
        let _ = fs::remove_dir_all(&dir);
        written.expect("regenerated");
        let manifest = manifest.expect("a manifest");
        let runtime = root.join("codegen").join("runtime");
        assert!(
            manifest.contains(&format!(
                "payspec-runtime = {{ path = \"{}\"",
                runtime.display()
            )),
            "{manifest}"
        );
        let sections: Vec<&str> = manifest.lines().filter(|l| l.starts_with('[')).collect();
        assert_eq!(
            sections.iter().filter(|l| **l == "[workspace]").count(),
            1,
            "{sections:?}"
        );
        let profile = manifest
            .split_once("[profile.dev.package.payspec-runtime]\n")
            .map(|(_, after)| after.lines().next())
            .expect("a profile section for the runtime");
        assert_eq!(profile, Some("incremental = false"));
        assert!(
            !manifest.contains("[profile.dev]\n"),
            "the crate itself keeps the dev profile's own setting"
        );

        let env = |incremental| {
            work.build_command(&work.dir, "cargo", Path::new("target"), incremental)
                .get_envs()
                .find(|(name, _)| *name == "CARGO_INCREMENTAL")
                .map(|(_, value)| value.map(|v| v.to_string_lossy().into_owned()))
        };
        // Removed, not inherited: the dev profile decides.
        assert_eq!(env(true), Some(None));
        assert_eq!(env(false), Some(Some("0".into())));
    }

    /// Each source file of a peer's crate with the path its module has in the crate, which
    /// the application's calls name.
    #[test]
    fn source_files_are_named_by_their_module_path() {
        let src = std::env::temp_dir().join(format!("payspec-app-src-{}", std::process::id()));
        let _ = fs::remove_dir_all(&src);
        let files = [
            "lib.rs",
            "apis/mod.rs",
            "apis/charge_api.rs",
            "models/a/b.rs",
            "notes.txt",
        ];
        for file in files {
            let path = src.join(file);
            fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
            fs::write(&path, "").expect("written");
        }
        let found = rust_files(&src, "lyra_ogen");
        let _ = fs::remove_dir_all(&src);
        let mut found: Vec<(String, String)> = found
            .expect("read")
            .into_iter()
            .map(|(path, module)| {
                let relative = path.strip_prefix(&src).expect("under src").to_owned();
                (relative.to_string_lossy().replace('\\', "/"), module)
            })
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("apis/charge_api.rs", "lyra_ogen::apis::charge_api"),
                ("apis/mod.rs", "lyra_ogen::apis"),
                ("lib.rs", "lyra_ogen"),
                ("models/a/b.rs", "lyra_ogen::models::a::b"),
            ]
            .map(|(p, m)| (p.to_owned(), m.to_owned()))
        );
    }

    #[test]
    fn summaries_are_edited_in_each_shape() {
        let plain = "format: 1\noperations:\n  a/b:\n    summary: Read it.\n    method: GET\n";
        assert_eq!(
            edit_spec_summary(plain, 3).expect("plain"),
            plain.replace("summary: Read it.", "summary: Bench edit 3. Read it.")
        );
        let flow = "operations:\n  a/b:\n    summary: { en: \"Read it.\", fr: Lire. }\n";
        assert_eq!(
            edit_spec_summary(flow, 1).expect("flow"),
            flow.replace("en: \"Read", "en: \"Bench edit 1. Read")
        );
        let block = "operations:\n  a/b:\n    summary:\n      en: Read it.\n      fr: Lire.\n";
        assert_eq!(
            edit_spec_summary(block, 2).expect("block"),
            block.replace("en: Read", "en: Bench edit 2. Read")
        );
        assert_eq!(edit_spec_summary(plain, 0).as_deref(), Some(plain));
        assert!(edit_spec_summary("operations:\n  a/b:\n    summary: >-\n      x\n", 1).is_none());
        assert!(edit_spec_summary("types: {}\n", 1).is_none());
    }

    #[test]
    fn the_real_specs_can_be_edited() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for name in ["spec/lyra.yaml", "spec/paysafe.yaml"] {
            let Ok(text) = fs::read_to_string(root.join(name)) else {
                continue;
            };
            let edited = edit_spec_summary(&text, 1).expect(name);
            assert_ne!(edited, text);
            assert_eq!(edited.lines().count(), text.lines().count());
        }
    }
}
