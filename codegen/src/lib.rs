//! payspec-codegen: spec -> diagnostics -> IR -> files. Pure: this crate does no IO.
//!
//! [`generate`] takes the text of every spec file and returns the whole content of
//! `generated/` (and `spec/schema.json`) as a map from path to text, or every problem found.

// The crate's rust-version is 1.89 (serde-saphyr's), at which clippy asks for let chains
// instead of nested `if let`s; the code keeps its nested form until it is rewritten at once.
#![allow(clippy::collapsible_if)]

pub mod check;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod format;
pub mod groups;
pub mod inline_one_of;
pub mod ir;
pub mod jobs;
pub mod limits;
pub mod load;
pub mod lower;
pub mod naming;
pub mod paths;
pub mod prescan;
/// Rules the runtime applies too, compiled from the runtime's own file so the two cannot drift.
#[path = "../runtime/src/rules.rs"]
pub(crate) mod rules;

/// Whether a whole value matches a spec `pattern`, as the runtime decides it; `None` when the
/// pattern does not compile (S019 says so). A one-set pattern (`^[0-9a-f]{32}$`) is decided
/// without compiling a regular expression, as the runtime does: codegen checks many values
/// (every example, every made-up doc value) against a few patterns.
pub(crate) fn pattern_accepts(pattern: &str, value: &str) -> Option<bool> {
    match rules::simple_pattern(pattern) {
        Some(simple) => Some(simple.matches(value)),
        None => compile_pattern(pattern)
            .ok()
            .map(|regex| regex.is_match(value)),
    }
}

/// A spec `pattern` compiled as the runtime compiles it (with its `regex` feature).
pub(crate) fn compile_pattern(pattern: &str) -> Result<regex_lite::Regex, regex_lite::Error> {
    rules::compile_anchored(pattern, regex_lite::Regex::new)
}
pub mod spec;
pub mod stamp;

use std::collections::BTreeMap;

pub use diagnostics::{Diagnostic, Severity};

/// One spec file: its path relative to the repository root, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// `spec/lyra.yaml`.
    pub path: String,
    /// The YAML text.
    pub text: String,
}

/// What a successful run produces.
#[derive(Debug)]
pub struct Generated {
    /// Every generated file, keyed by path relative to the repository root.
    pub files: BTreeMap<String, String>,
    /// Warnings, sorted by file and position.
    pub warnings: Vec<Diagnostic>,
}

/// How a run writes what depends on where the produced crate lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The value of the produced crate's `payspec-runtime` dependency, as a TOML inline table
    /// or version string: the runtime crate the generated code is built on. See
    /// [`Options::runtime_at`].
    pub runtime_dependency: String,
}

impl Options {
    /// The runtime crate as a path dependency (relative to the produced crate, or absolute),
    /// with the exact version of the runtime this generator was built with.
    pub fn runtime_at(path: &str) -> Options {
        Options {
            runtime_dependency: format!(
                "{{ path = {}, version = \"={}\" }}",
                emit::crate_files::toml_string(path),
                emit::crate_files::runtime_version()
            ),
        }
    }
}

impl Default for Options {
    /// The layout of this repository: `generated/` beside `codegen/runtime/`.
    fn default() -> Options {
        Options::runtime_at("../codegen/runtime")
    }
}

/// Runs the whole pipeline with the default [`Options`] (the produced crate in this
/// repository's `generated/`). On failure, returns every diagnostic (errors and warnings)
/// sorted by file and position; nothing is produced.
pub fn generate(sources: &[SourceFile]) -> Result<Generated, Vec<Diagnostic>> {
    generate_with(sources, &Options::default())
}

/// Runs the whole pipeline; `options` say how the produced crate finds the runtime crate.
/// On failure, returns every diagnostic (errors and warnings) sorted by file and position;
/// nothing is produced.
pub fn generate_with(
    sources: &[SourceFile],
    options: &Options,
) -> Result<Generated, Vec<Diagnostic>> {
    // Each generation starts and ends with nothing remembered on this thread (the workers'
    // memos end with them): its work and its figures are a fresh process's.
    emit::rust::forget_laid_out();
    let generated = generate_now(sources, options);
    emit::rust::forget_laid_out();
    generated
}

fn generate_now(sources: &[SourceFile], options: &Options) -> Result<Generated, Vec<Diagnostic>> {
    let (ir, diags, parts) = lower_and_emit(sources, true)?;
    let files = emit::emit(&ir, options, parts).map_err(|message| {
        vec![Diagnostic::error(
            "S099",
            diagnostics::Place {
                file: "codegen".into(),
                line: 0,
                column: 0,
            },
            format!("internal error, please report it: {message}"),
        )]
    })?;
    Ok(Generated {
        files,
        warnings: diags,
    })
}

/// Load, check and lower: the IR of every spec, with the warnings; or every diagnostic when
/// there is an error.
pub fn build_ir(sources: &[SourceFile]) -> Result<(ir::Ir, Vec<Diagnostic>), Vec<Diagnostic>> {
    lower_and_emit(sources, false).map(|(ir, diags, _)| (ir, diags))
}

/// What a job of [`lower_and_emit`] gives.
enum Done {
    /// A spec loaded, checked and lowered.
    Lowered(Lowered),
    /// The files of one part of an API's output.
    Files(emit::PartFiles),
}

/// The keys of one spec's jobs: its lowering, then each part of its output.
const KEYS_PER_SPEC: usize = 1 + emit::PARTS;

/// Each spec loaded, checked and lowered alone, side by side, the biggest first; as soon as
/// one is lowered without error, the parts of its output are made (with `with_output`) while
/// the other specs still load, so that the biggest spec's lowering is not a barrier for the
/// others' output (and the format's JSON Schema, which needs none). Then what needs every
/// spec (module names), in their order.
fn lower_and_emit(
    sources: &[SourceFile],
    with_output: bool,
) -> Result<(ir::Ir, Vec<Diagnostic>, Vec<emit::PartFiles>), Vec<Diagnostic>> {
    // The biggest spec starts first: its lowering is the longest job and what its output needs.
    let mut order: Vec<(usize, &SourceFile)> = sources.iter().enumerate().collect();
    order.sort_by_key(|(_, source)| std::cmp::Reverse(source.text.len()));
    let jobs = order
        .into_iter()
        .map(|(i, source)| {
            let lower = move || {
                let (found, api) = lower_one(source);
                let clean = !found.iter().any(|d| d.severity == Severity::Error);
                let mut more = Vec::new();
                let api = api.map(|(api, name, place)| {
                    let api = std::sync::Arc::new(api);
                    if with_output && clean {
                        for (p, part) in emit::Part::ALL.into_iter().enumerate() {
                            let api = std::sync::Arc::clone(&api);
                            let make = move || (Done::Files(part.files(&api)), Vec::new());
                            more.push((i * KEYS_PER_SPEC + 1 + p, jobs::Job(Box::new(make))));
                        }
                    }
                    (api, name, place)
                });
                (Done::Lowered((found, api)), more)
            };
            (
                i * KEYS_PER_SPEC,
                jobs::Job(Box::new(lower) as jobs::Work<'_, Done>),
            )
        })
        .chain(with_output.then(|| {
            // The format's JSON Schema needs no spec: the last first job, it fills a thread's
            // wait for the others' lowerings instead of adding to the end of the run.
            let schema = || {
                let files = BTreeMap::from([("spec/schema.json".to_owned(), schema_json())]);
                (Done::Files(Ok(files)), Vec::new())
            };
            (
                sources.len() * KEYS_PER_SPEC,
                jobs::Job(Box::new(schema) as jobs::Work<'_, Done>),
            )
        }))
        .collect();
    let mut lowered: Vec<Option<Lowered>> = sources.iter().map(|_| None).collect();
    let mut parts: Vec<(usize, emit::PartFiles)> = Vec::new();
    // By key: in the order of the specs, whatever the schedule.
    for (key, done) in jobs::run(jobs) {
        match done {
            Some(Done::Lowered(l)) => {
                if let Some(slot) = lowered.get_mut(key / KEYS_PER_SPEC) {
                    *slot = Some(l);
                }
            }
            Some(Done::Files(files)) => parts.push((key / KEYS_PER_SPEC, files)),
            None => parts.push((
                key / KEYS_PER_SPEC,
                Err("a generation job did not finish".to_owned()),
            )),
        }
    }
    let mut diags = Vec::new();
    let mut apis = Vec::new();
    let mut modules: BTreeMap<String, diagnostics::Place> = BTreeMap::new();
    for (source, lowered) in sources.iter().zip(lowered) {
        let internal = |message: &str| {
            Diagnostic::error(
                "S099",
                diagnostics::Place {
                    file: source.path.clone(),
                    line: 0,
                    column: 0,
                },
                format!("internal error, please report it: {message}"),
            )
        };
        let Some((found, api)) = lowered else {
            diags.push(internal("this spec's checking did not finish"));
            continue;
        };
        diags.extend(found);
        let Some((api, name, place)) = api else {
            continue;
        };
        // Every job has ended: the jobs that made this API's output hold it no more.
        let Ok(api) = std::sync::Arc::try_unwrap(api) else {
            diags.push(internal("this spec's IR is still in use"));
            continue;
        };
        if let Some(first) = modules.insert(name.clone(), place.clone()) {
            diags.push(
                Diagnostic::error(
                    "S004",
                    place,
                    format!("api name `{name}` is already used by {}", first.file),
                )
                .hint("each spec file needs its own api name: it is the module and feature name")
                .related(first, "the other spec file with this name"),
            );
        }
        apis.push(api);
    }
    diagnostics::drop_consequences(&mut diags);
    diagnostics::sort(&mut diags);
    if diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(diags);
    }
    apis.sort_by(|a, b| a.module.cmp(&b.module));
    Ok((
        ir::Ir { apis },
        diags,
        parts.into_iter().map(|(_, files)| files).collect(),
    ))
}

/// What one spec gives: its diagnostics, and its API (shared with the jobs making its
/// output) with its name and where the name is (when it could be read).
type Lowered = (
    Vec<Diagnostic>,
    Option<(std::sync::Arc<ir::ApiIr>, String, diagnostics::Place)>,
);

/// Load, check and lower one spec.
fn lower_one(
    source: &SourceFile,
) -> (
    Vec<Diagnostic>,
    Option<(ir::ApiIr, String, diagnostics::Place)>,
) {
    let mut spec = match load::load_all(&source.path, &source.text) {
        Ok(spec) => spec,
        Err(d) => return (d, None),
    };
    let mut diags = format::check(&source.path, &spec);
    diags.extend(groups::expand(&source.path, &mut spec));
    diags.extend(inline_one_of::expand(&source.path, &mut spec));
    diags.extend(check::check(&source.path, &spec));
    let place = diagnostics::Place::of(&source.path, &spec.api.name);
    let api = lower::lower(&source.path, &spec, &mut diags);
    (diags, Some((api, spec.api.name.value.clone(), place)))
}

/// Renders diagnostics with source snippets, without colour.
pub fn render(diagnostics: &[Diagnostic], sources: &[SourceFile]) -> String {
    render_with(diagnostics, sources, false)
}

/// Renders diagnostics with source snippets, in ANSI colours when `color` (a terminal).
pub fn render_with(diagnostics: &[Diagnostic], sources: &[SourceFile], color: bool) -> String {
    let texts = sources
        .iter()
        .map(|s| (s.path.clone(), s.text.clone()))
        .collect();
    diagnostics::render_with(diagnostics, &texts, color)
}

/// The JSON Schema of the spec format, as published in `spec/schema.json`.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(spec::SpecFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    /// The format's JSON Schema, made by a job of its own, is in every generation's output as
    /// `schema_json` gives it, whatever the number of specs; a spec with an error still gives
    /// its diagnostics and nothing else.
    #[test]
    fn the_schema_job_gives_the_schema_once_per_generation() {
        let spec = |path: &str, text: &str| crate::SourceFile {
            path: path.to_owned(),
            text: text.to_owned(),
        };
        let minimal = include_str!("../../tests/fixtures/minimal.yaml");
        for sources in [vec![], vec![spec("spec/minimal.yaml", minimal)]] {
            let generated = crate::generate(&sources).expect("generates");
            assert_eq!(
                generated.files.get("spec/schema.json"),
                Some(&crate::schema_json()),
                "{} spec(s)",
                sources.len()
            );
        }
        let broken = crate::generate(&[spec("spec/broken.yaml", "api: [")]);
        let Err(diagnostics) = broken else {
            panic!("a broken spec is refused");
        };
        assert!(!diagnostics.is_empty());
        assert!(
            diagnostics.iter().all(|d| d.code != "S099"),
            "{diagnostics:#?}"
        );
    }

    /// One-set patterns are decided without the engine, the others with it, and both agree
    /// with the compiled pattern; a pattern that does not compile decides nothing.
    #[test]
    fn patterns_accept_as_the_runtime_does() {
        let hex = "^[0-9a-fA-F]{32}$";
        assert!(crate::rules::simple_pattern(hex).is_some());
        for (pattern, value) in [
            (hex, "0d2a6e1f6b5f4e2a9c3b7d8e9f0a1b2c"),
            (hex, "0d2a6e1f"),
            ("[A-Z0-9-]+", "AB-1"),
            ("[A-Z0-9-]+", "ab"),
            ("(?i)fr|en", "FR"),
            ("fr|en", "de"),
        ] {
            let regex = crate::compile_pattern(pattern).expect("compiles");
            assert_eq!(
                super::pattern_accepts(pattern, value),
                Some(regex.is_match(value)),
                "{pattern} {value}"
            );
        }
        assert_eq!(super::pattern_accepts("a)|(b", "a"), None);
    }
}
