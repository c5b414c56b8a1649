//! `cargo xtask bench [--quick] [--peers]`: measures payspec against progenitor and
//! openapi-generator on the same API, prints a Markdown table and writes
//! `target/bench/report.json`.
//!
//! What is measured, and how:
//!
//! 1. Codegen time, in process (`payspec_codegen::generate`, release build, median of N
//!    after one warm-up): the whole SDK from `spec/`, each API alone, and synthetic specs of
//!    10, 100 and 1,000 operations (see `bench/synthetic.rs`), per operation, with a
//!    least-squares slope and R², and time(1000) ÷ time(100).
//! 2. Peak memory of codegen: a child process (`xtask bench __generate`) that reads the specs,
//!    generates and writes the files, under `/usr/bin/time -f %M` (its own `VmHWM` too).
//! 3. Client overhead and JSON throughput: the release binary of the `payspec-bench` crate
//!    (`bench/`), against a loopback server it starts itself.
//! 4. With `--peers`: generation time and peak memory of payspec (the same child process,
//!    spec → crate on disk) beside progenitor and openapi-generator (OpenAPI document →
//!    crate on disk), per API, interleaved, median of 3.
//! 5. Without `--quick`: build time of each generator's crate for the same API: cold (an
//!    application calling every operation, a fresh `CARGO_TARGET_DIR`, dependencies included)
//!    for the largest API, and the crate alone after
//!    a one-line change of the spec (or document) and a regeneration, for every API, with and
//!    without incremental compilation.
//!
//! At the end, every run but `--json-only` checks the ratios listed in `bench/thresholds.yaml`
//! (see `bench/thresholds.rs`) and fails when one is past its threshold or missing. A figure
//! past its threshold first has its step measured again, and fails only when past it both
//! times: noise on a shared machine rarely strikes one figure twice in a row, a regression does.
//!
//! Everything is written under `target/bench/`. A step that fails (a peer that does not
//! install or rejects a document, a crate that does not build) is reported as such and the
//! bench goes on.

mod app;
mod builds;
mod fixture;
mod peers;
mod report;
mod stats;
mod synthetic;
mod thresholds;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use payspec_codegen::SourceFile;
use payspec_codegen::ir::{Ir, ResponseIr};
use serde_json::{Map, Value, json};

use builds::{Producer, WorkCrate};
use peers::{Installed, Peer};
use report::{Row, format_kib, format_ms, round3, rounded};
use stats::{median, paired_ratio, run_timed};

/// Set in the environment of the release xtask that a debug one starts for the bench.
const CHILD: &str = "PAYSPEC_BENCH_RELEASE";

const HELP: &str = "usage: cargo xtask bench [--quick] [--peers] [--json-only] [options]

  (no flag)      codegen, peak memory, client overhead, payspec's own builds
  --quick        codegen (fewer runs), peak memory, client overhead with fewer requests;
                 no peers, no builds (under 2 minutes on 2 cores)
  --peers        also progenitor and openapi-generator (installed into target/bench/peers/)
  --json-only    only the JSON encode/decode throughput (with --quick: fewer rounds)
  --runs N       runs of each in-process codegen figure (default 21, quick 11)
  --peer-runs N  runs of each generation by process (default 3)
  --build-runs N runs of each crate-alone build (default 5)
  --cold-runs N  runs of each cold build (default 3)
  --requests N   requests per round and variant in the client benchmark (default 1000, quick 200)

Prints a Markdown table; writes target/bench/report.json. Every run but --json-only then
checks the ratios listed in bench/thresholds.yaml and fails naming each one past its threshold.";

/// How much to measure.
#[derive(Debug, Clone)]
struct Options {
    quick: bool,
    peers: bool,
    json_only: bool,
    runs: usize,
    peer_runs: usize,
    build_runs: usize,
    cold_runs: usize,
    requests: usize,
    rounds: usize,
    warmup: usize,
    json_rounds: usize,
    json_millis: u64,
    sizes: Vec<usize>,
}

impl Options {
    fn parse(args: &[&str]) -> Result<Options, String> {
        let quick = args.contains(&"--quick");
        let mut options = Options {
            quick,
            peers: false,
            json_only: false,
            // A generation of the real specs takes tens of milliseconds, and one run in a few
            // lands on a busy moment of a shared machine: enough runs that the median is not one.
            runs: if quick { 11 } else { 21 },
            peer_runs: 3,
            // A crate-alone rebuild is under two seconds, the peers' moving by a third between
            // runs of the same code on this machine: five pairs, the ratio the median of theirs.
            build_runs: 5,
            cold_runs: 3,
            requests: if quick { 200 } else { 1000 },
            rounds: if quick { 5 } else { 10 },
            warmup: if quick { 50 } else { 200 },
            json_rounds: if quick { 10 } else { 25 },
            json_millis: if quick { 40 } else { 60 },
            sizes: vec![10, 100, 1000],
        };
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            let mut number = |name: &str| -> Result<usize, String> {
                rest.next()
                    .and_then(|v| v.parse::<usize>().ok())
                    .filter(|v| *v > 0)
                    .ok_or_else(|| format!("{name} needs a positive number\n\n{HELP}"))
            };
            match *arg {
                "--quick" => {}
                "--peers" => options.peers = true,
                "--json-only" => options.json_only = true,
                "--runs" => options.runs = number(arg)?,
                "--peer-runs" => options.peer_runs = number(arg)?,
                "--build-runs" => options.build_runs = number(arg)?,
                "--cold-runs" => options.cold_runs = number(arg)?,
                "--requests" => options.requests = number(arg)?,
                "--help" | "-h" => return Err(HELP.to_owned()),
                other => return Err(format!("unknown option `{other}`\n\n{HELP}")),
            }
        }
        if options.json_only && options.peers {
            return Err(format!(
                "--json-only runs no peers; drop one of the two\n\n{HELP}"
            ));
        }
        if options.quick && options.peers {
            return Err(format!(
                "--quick runs no peers and no builds; drop one of the two\n\n{HELP}"
            ));
        }
        Ok(options)
    }
}

/// `cargo xtask bench …`.
pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    if let Some((&"__generate", rest)) = args.split_first() {
        return generate_once(rest);
    }
    let options = Options::parse(args)?;
    if cfg!(debug_assertions) && std::env::var_os(CHILD).is_none() {
        return rerun_in_release(root, args);
    }
    let no_client = build_client_bench(root).err();
    Bench::new(root, options, no_client)?.run()
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Timings in a debug build mean nothing: a debug xtask (`cargo run -p xtask -- bench`;
/// the `cargo xtask` alias runs a release build) builds the release xtask and runs the bench
/// there.
fn rerun_in_release(root: &Path, args: &[&str]) -> Result<(), String> {
    eprintln!("bench: building the release xtask…");
    if !build_release(root, "xtask")? {
        return Err("`cargo build --release -p xtask` failed".to_owned());
    }
    let status = Command::new(target_dir(root).join("release/xtask"))
        .arg("bench")
        .args(args)
        .env(CHILD, "1")
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot start the release xtask: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the bench failed ({status})"))
    }
}

/// Builds the client benchmark (`bench/`) beside this release xtask, in a build of its own:
/// one that also names xtask would resolve the features of their shared dependencies
/// together and rebuild the generator. `Err` holds why the client figures cannot be taken.
fn build_client_bench(root: &Path) -> Result<(), String> {
    eprintln!("bench: building the release payspec-bench…");
    if build_release(root, "payspec-bench")? {
        Ok(())
    } else {
        Err("`cargo build --release -p payspec-bench` failed (see its output above)".to_owned())
    }
}

/// `cargo build --release -p <package>`; whether it succeeded.
fn build_release(root: &Path, package: &str) -> Result<bool, String> {
    let status = Command::new(cargo())
        .args(["build", "--release", "-p", package])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    Ok(status.success())
}

/// `xtask bench __generate [--out DIR] SPEC…`: reads the specs, generates, writes the files
/// under DIR, and prints the times and its peak memory as JSON. Timed from outside as a
/// process (the same way as the peers), and the source of the peak-memory figure.
fn generate_once(args: &[&str]) -> Result<(), String> {
    let start = Instant::now();
    let mut out = None;
    let mut paths = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if *arg == "--out" {
            out = rest.next().map(PathBuf::from);
        } else {
            paths.push(PathBuf::from(arg));
        }
    }
    let mut sources = Vec::new();
    for path in &paths {
        let text =
            fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        sources.push(SourceFile {
            path: format!("spec/{name}"),
            text,
        });
    }
    let generate_start = Instant::now();
    let generated =
        payspec_codegen::generate(&sources).map_err(|d| payspec_codegen::render(&d, &sources))?;
    let generate_ms = generate_start.elapsed().as_secs_f64() * 1e3;
    if let Some(out) = &out {
        for (path, text) in &generated.files {
            let target = out.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            fs::write(&target, text)
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        }
    }
    println!(
        "{}",
        json!({
            "generate_ms": generate_ms,
            "total_ms": start.elapsed().as_secs_f64() * 1e3,
            "files": generated.files.len(),
            "vm_hwm_kib": stats::own_peak_kib(),
        })
    );
    Ok(())
}

/// One benchmark run: where it writes, what it found.
struct Bench {
    root: PathBuf,
    options: Options,
    cargo: String,
    /// `target/bench`.
    dir: PathBuf,
    work: PathBuf,
    logs: PathBuf,
    rows: Vec<Row>,
    report: Map<String, Value>,
    notes: Vec<String>,
    started: Instant,
    /// Why the `payspec-bench` binary is missing, when its build failed: the client, JSON
    /// and sandbox steps report it.
    no_client: Option<String>,
    /// The thresholds' check of the first measurement, when a figure failed it and its step was
    /// measured again (see [`Bench::remeasure_failures`]); empty otherwise.
    first_check: Vec<thresholds::Verdict>,
}

/// The in-process codegen results the later sections need.
struct Codegen {
    sources: Vec<SourceFile>,
    ir: Ir,
    files: std::collections::BTreeMap<String, String>,
}

impl Bench {
    fn new(root: &Path, options: Options, no_client: Option<String>) -> Result<Bench, String> {
        let dir = target_dir(root).join("bench");
        let work = dir.join("work");
        let logs = dir.join("logs");
        for d in [&dir, &work, &logs] {
            fs::create_dir_all(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
        }
        Ok(Bench {
            root: root.to_path_buf(),
            options,
            cargo: cargo(),
            dir,
            work,
            logs,
            rows: Vec::new(),
            report: Map::new(),
            notes: Vec::new(),
            started: Instant::now(),
            no_client,
            first_check: Vec::new(),
        })
    }

    fn progress(&self, what: &str) {
        eprintln!(
            "bench [{:>5.0} s] {what}",
            self.started.elapsed().as_secs_f64()
        );
    }

    /// Records a failed step: a row, a note, and the progress line.
    fn failed(&mut self, figure: &str, error: &str) {
        self.progress(&format!("{figure}: FAILED: {error}"));
        self.rows.push(Row::new(figure, "failed (see notes)", 0));
        self.notes.push(format!("{figure}: {error}"));
    }

    fn run(mut self) -> Result<(), String> {
        let mode = if self.options.json_only {
            "JSON throughput only"
        } else if self.options.quick {
            "quick"
        } else if self.options.peers {
            "full, with peers"
        } else {
            "full, without peers"
        };
        self.progress(&format!("mode: {mode}"));
        self.report.insert("schema".into(), json!(1));
        self.report.insert("mode".into(), json!(mode));
        self.report.insert("machine".into(), machine(&self.cargo));
        let o = &self.options;
        self.report.insert(
            "runs".into(),
            json!({
                "codegen_in_process": o.runs,
                "generation_by_process": o.peer_runs,
                "cold_builds": if o.quick { 0 } else { o.cold_runs },
                "crate_alone_builds": if o.quick { 0 } else { o.build_runs },
                "client_rounds": o.rounds,
                "client_requests_per_round": o.requests,
                "client_warmup_requests": o.warmup,
                "json_rounds": o.json_rounds,
                "json_millis_per_round": o.json_millis,
                "synthetic_sizes": o.sizes,
            }),
        );

        if self.options.json_only {
            let sources = crate::read_specs(&self.root)?;
            let (ir, _) = payspec_codegen::build_ir(&sources)
                .map_err(|d| payspec_codegen::render(&d, &sources))?;
            let codegen = Codegen {
                sources,
                ir,
                files: std::collections::BTreeMap::new(),
            };
            if let Err(e) = self.client(&codegen) {
                self.failed("JSON throughput", &e);
            }
            return self.finish();
        }
        let codegen = match self.codegen() {
            Ok(codegen) => Some(codegen),
            Err(e) => {
                self.failed("Codegen of spec/", &e);
                None
            }
        };
        if let Err(e) = self.synthetic() {
            self.failed("Codegen of synthetic specs", &e);
        }
        if let Err(e) = self.memory() {
            self.failed("Codegen peak memory", &e);
        }
        if let Some(codegen) = &codegen {
            if let Err(e) = self.client(codegen) {
                self.failed("Client overhead", &e);
            }
            if let Err(e) = self.sandbox() {
                self.failed("Sandbox", &e);
            }
            if !self.options.quick {
                self.peers_and_builds(codegen);
            }
        }
        self.remeasure_failures(codegen.as_ref());
        self.finish()
    }

    /// Measures again, once, each step whose figure is past its threshold (or missing), so that
    /// a failure stands only when it shows twice (see `bench/thresholds.rs`). The new
    /// measurement replaces the step's section of the report; its table rows are added, marked.
    fn remeasure_failures(&mut self, codegen: Option<&Codegen>) {
        let Ok(list) = self.thresholds() else {
            return; // check_thresholds reports it
        };
        let first = thresholds::check(&list, &Value::Object(self.report.clone()));
        let sections = thresholds::sections_to_remeasure(&first);
        if sections.is_empty() {
            return;
        }
        let names: Vec<&str> = sections.iter().map(String::as_str).collect();
        self.progress(&format!(
            "past a threshold: measuring {} again (a failure must show twice)",
            names.join(", ")
        ));
        let rows_before = self.rows.len();
        for section in &sections {
            let result = match (section.as_str(), codegen) {
                ("codegen", _) => self.codegen().map(drop),
                ("synthetic", _) => self.synthetic(),
                ("memory", _) => self.memory(),
                ("client", Some(codegen)) => self.client(codegen),
                ("sandbox", _) => self.sandbox(),
                _ => continue,
            };
            if let Err(e) = result {
                self.failed(&format!("Measuring `{section}` again"), &e);
            }
        }
        for row in &mut self.rows[rows_before..] {
            row.figure = format!("Re-measured: {}", row.figure);
        }
        self.notes.push(format!(
            "A figure was past its threshold in the first measurement; measured again: {}. A threshold fails only when past it both times.",
            names.join(", ")
        ));
        self.first_check = first;
    }

    /// The thresholds of `bench/thresholds.yaml`.
    fn thresholds(&self) -> Result<Vec<thresholds::Threshold>, String> {
        let path = self.root.join(thresholds::FILE);
        fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))
            .and_then(|text| thresholds::parse(&text))
    }

    /// Writes the report and prints the table.
    fn finish(mut self) -> Result<(), String> {
        self.report.insert(
            "elapsed_s".into(),
            round3(self.started.elapsed().as_secs_f64()),
        );
        self.report.insert(
            "load_average_end".into(),
            json!(
                fs::read_to_string("/proc/loadavg")
                    .unwrap_or_default()
                    .trim()
            ),
        );
        // Checked before the report is written, so that the verdicts are in it.
        let verdicts = if self.options.json_only {
            Vec::new()
        } else {
            self.check_thresholds()
        };
        self.report.insert("notes".into(), json!(self.notes));
        self.report.insert(
            "table".into(),
            Value::Array(self.rows.iter().map(Row::to_json).collect()),
        );
        let path = self.dir.join("report.json");
        let text = serde_json::to_string_pretty(&Value::Object(self.report.clone()))
            .map_err(|e| e.to_string())?;
        fs::write(&path, format!("{text}\n"))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;

        println!("{}", report::markdown(&self.rows));
        if !self.notes.is_empty() {
            println!("Notes:\n");
            for note in &self.notes {
                println!("- {note}");
            }
            println!();
        }
        if !verdicts.is_empty() {
            println!("Thresholds ({}):\n", thresholds::FILE);
            for (_, line) in &verdicts {
                println!("- {line}");
            }
            println!();
        }
        println!(
            "Report: {} ({:.0} s in all)",
            path.display(),
            self.started.elapsed().as_secs_f64()
        );
        let failed: Vec<&str> = verdicts
            .iter()
            .filter(|(passed, _)| !passed)
            .map(|(_, line)| line.as_str())
            .collect();
        if failed.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "bench: {} figure(s) past their threshold in {}:\n  {}",
                failed.len(),
                thresholds::FILE,
                failed.join("\n  ")
            ))
        }
    }

    /// Checks the figures of this run against `bench/thresholds.yaml`; records the verdicts in
    /// the report and returns them as (passed, message). An unreadable file is a failure.
    fn check_thresholds(&mut self) -> Vec<(bool, String)> {
        let list = match self.thresholds() {
            Ok(list) => list,
            Err(e) => {
                self.report
                    .insert("thresholds".into(), json!({ "error": e }));
                return vec![(false, e)];
            }
        };
        let mut verdicts = thresholds::check(&list, &Value::Object(self.report.clone()));
        let first = std::mem::take(&mut self.first_check);
        if !first.is_empty() {
            verdicts = thresholds::confirm(first, verdicts);
        }
        let entries: Vec<Value> = verdicts
            .iter()
            .map(|v| {
                let (kind, limit) = match v.threshold.bound {
                    thresholds::Bound::AtLeast(l) => ("at_least", l),
                    thresholds::Bound::AtMost(l) => ("at_most", l),
                };
                json!({
                    "figure": v.threshold.figure, "path": v.threshold.path,
                    "over": v.threshold.over, kind: limit,
                    "value": v.value.map(|x| (x * 1e4).round() / 1e4), "passed": v.passed(),
                    "remeasured": v.remeasured,
                    "first_value": v.first_value.map(|x| (x * 1e4).round() / 1e4),
                })
            })
            .collect();
        self.report.insert(
            "thresholds".into(),
            json!({ "file": thresholds::FILE, "checks": entries }),
        );
        verdicts.iter().map(|v| (v.passed(), v.message())).collect()
    }

    // ---------------------------------------------------------------- codegen, in process

    fn codegen(&mut self) -> Result<Codegen, String> {
        self.progress("codegen, in process");
        let runs = self.options.runs;
        let sources = crate::read_specs(&self.root)?;
        let (ir, _) = payspec_codegen::build_ir(&sources)
            .map_err(|d| payspec_codegen::render(&d, &sources))?;
        let operations: usize = ir.apis.iter().map(|a| a.operations.len()).sum();

        let (whole, generated) = time_generate(&sources, runs)?;
        let whole_ms = median(&whole);
        self.rows.push(Row::new(
            format!("Codegen, whole SDK from spec/ ({operations} operations), in process"),
            format_ms(whole_ms),
            runs,
        ));
        self.rows.push(Row::new(
            "Codegen, whole SDK, per operation",
            format_ms(whole_ms / operations.max(1) as f64),
            runs,
        ));
        let mut per_api = Vec::new();
        for source in &sources {
            let single = std::slice::from_ref(source);
            let ops = ir
                .apis
                .iter()
                .find(|a| a.spec_file == source.path)
                .map_or(0, |a| a.operations.len());
            let (times, _) = time_generate(single, runs)?;
            let ms = median(&times);
            self.rows.push(Row::new(
                format!(
                    "Codegen, {} alone ({ops} operations), in process",
                    source.path
                ),
                format_ms(ms),
                runs,
            ));
            per_api.push(json!({
                "spec": source.path, "operations": ops, "median_ms": round3(ms),
                "per_operation_ms": round3(ms / ops.max(1) as f64), "runs_ms": rounded(&times),
            }));
        }

        self.report.insert(
            "codegen".into(),
            json!({
                "method": "payspec_codegen::generate in this release process, one warm-up run, then the median of N runs; the input texts are in memory and nothing is written",
                "whole_sdk": {
                    "operations": operations, "median_ms": round3(whole_ms),
                    "per_operation_ms": round3(whole_ms / operations.max(1) as f64),
                    "runs_ms": rounded(&whole), "files": generated.files.len(),
                },
                "per_api": per_api,
            }),
        );
        Ok(Codegen {
            sources,
            ir,
            files: generated.files,
        })
    }

    fn synthetic(&mut self) -> Result<(), String> {
        self.progress("codegen, synthetic specs");
        let runs = self.options.runs;
        let mut points = Vec::new();
        let mut synthetic_json = Vec::new();
        let synthetic_dir = self.work.join("synthetic");
        fs::create_dir_all(&synthetic_dir).map_err(|e| e.to_string())?;
        for &n in &self.options.sizes.clone() {
            let text = synthetic::spec(n);
            fs::write(synthetic_dir.join(format!("synthetic-{n}.yaml")), &text)
                .map_err(|e| e.to_string())?;
            let source = SourceFile {
                path: "spec/synthetic.yaml".into(),
                text,
            };
            let (times, _) = time_generate(std::slice::from_ref(&source), runs)
                .map_err(|e| format!("synthetic spec of {n} operations: {e}"))?;
            let ms = median(&times);
            // Of which load, check and lower (the rest is emitting and formatting).
            let mut front = Vec::with_capacity(runs);
            for _ in 0..runs {
                let start = Instant::now();
                let ir =
                    payspec_codegen::build_ir(std::hint::black_box(std::slice::from_ref(&source)));
                front.push(start.elapsed().as_secs_f64() * 1e3);
                drop(std::hint::black_box(ir));
            }
            let front_ms = median(&front);
            points.push((n as f64, ms));
            self.rows.push(Row::new(
                format!(
                    "Codegen, synthetic {n} operations: total / per operation (load+check+lower)"
                ),
                format!(
                    "{} / {} ({})",
                    format_ms(ms),
                    format_ms(ms / n as f64),
                    format_ms(front_ms)
                ),
                runs,
            ));
            synthetic_json.push(json!({
                "operations": n, "spec_bytes": source.text.len(), "median_ms": round3(ms),
                "per_operation_ms": round3(ms / n as f64), "runs_ms": rounded(&times),
                "load_check_lower_median_ms": round3(front_ms),
                "emit_median_ms_by_difference": round3(ms - front_ms),
            }));
        }
        let fit = stats::least_squares(&points);
        let at = |n: f64| points.iter().find(|p| p.0 == n).map(|p| p.1);
        let ratio_1000_100 = match (at(1000.0), at(100.0)) {
            (Some(a), Some(b)) => a / b,
            _ => f64::NAN,
        };
        if let Some(fit) = fit {
            self.rows.push(Row::new(
                "Codegen, synthetic: least-squares slope (intercept, R²)",
                format!(
                    "{:.3} ms/op ({:.1} ms, R² {:.4})",
                    fit.slope, fit.intercept, fit.r2
                ),
                runs,
            ));
        }
        if ratio_1000_100.is_finite() {
            let per_op_ratio = ratio_1000_100 / 10.0;
            self.rows.push(
                Row::new(
                    "Codegen, synthetic: time(1000) ÷ time(100) (linear: 10); per-op ratio",
                    format!("{ratio_1000_100:.2}; {per_op_ratio:.2}"),
                    runs,
                )
                .target(per_op_ratio, 1.2, true),
            );
        }
        self.report.insert(
            "synthetic".into(),
            json!({
                "method": "payspec_codegen::generate on a generated spec (target/bench/work/synthetic/), one warm-up run, then the median of N runs",
                "shape": "per operation: a path parameter with a pattern, an enum query parameter, a required amount, an enum body field, dotted paths a.b.c / a.b.d / a.e, a list of objects items[].x / items[].y, two documented errors; one named type (with dotted, list and map fields) and one open enum per 10 operations",
                "points": synthetic_json,
                "slope_ms_per_operation": fit.map(|f| round3(f.slope)),
                "intercept_ms": fit.map(|f| round3(f.intercept)),
                "r2": fit.map(|f| (f.r2 * 1e6).round() / 1e6),
                "ratio_time_1000_over_100": round3(ratio_1000_100),
            }),
        );
        Ok(())
    }

    // ---------------------------------------------------------------- peak memory

    fn memory(&mut self) -> Result<(), String> {
        self.progress("codegen peak memory (child processes)");
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let specs = spec_paths(&self.root)?;
        let synthetic = self.work.join("synthetic/synthetic-1000.yaml");
        let mut entries = Vec::new();
        let mut cases = vec![("whole SDK from spec/".to_owned(), specs)];
        if synthetic.exists() {
            cases.push(("synthetic 1000 operations".to_owned(), vec![synthetic]));
        }
        for (i, (label, paths)) in cases.into_iter().enumerate() {
            let out = self.work.join(format!("memory-{i}"));
            let _ = fs::remove_dir_all(&out);
            let mut command = Command::new(&exe);
            command.args(["bench", "__generate", "--out"]).arg(&out);
            command.args(&paths);
            let timed = run_timed(
                &command,
                &self.logs,
                &format!("memory-{i}"),
                Duration::from_secs(600),
            )?;
            if !timed.success() {
                return Err(timed.failure(&format!("codegen of the {label}")));
            }
            let own: Value = serde_json::from_str(timed.stdout.trim()).unwrap_or(Value::Null);
            let hwm = own["vm_hwm_kib"].as_u64();
            let peak = timed.peak_kib.or(hwm);
            self.rows.push(Row::new(
                format!("Codegen peak memory, {label} (process: read, generate, write)"),
                peak.map_or_else(|| "n/a".to_owned(), format_kib),
                1,
            ));
            entries.push(json!({
                "case": label, "max_rss_kib": timed.peak_kib, "vm_hwm_kib": hwm,
                "process_ms": round3(timed.ms), "generate_ms": own["generate_ms"],
            }));
        }
        self.report.insert(
            "memory".into(),
            json!({
                "method": "`xtask bench __generate` (release) reads the specs, generates and writes every file; max_rss_kib is /usr/bin/time -f %M, vm_hwm_kib the process's own VmHWM at exit",
                "cases": entries,
            }),
        );
        Ok(())
    }

    // ---------------------------------------------------------------- client overhead

    fn client(&mut self, codegen: &Codegen) -> Result<(), String> {
        self.progress("client overhead and JSON throughput");
        let api = |module: &str| codegen.ir.apis.iter().find(|a| a.module == module);
        let lyra = api("lyra").ok_or("no lyra API in spec/")?;
        let paysafe = api("paysafe").ok_or("no paysafe API in spec/")?;
        let transaction =
            fixture::value_of_type(lyra, "Transaction").ok_or("lyra has no type Transaction")?;
        let order = fixture::value_of_type(paysafe, "Order").ok_or("paysafe has no type Order")?;
        // The largest response type of all the APIs, by declared fields.
        let mut largest = (String::new(), 0);
        for a in &codegen.ir.apis {
            for op in &a.operations {
                if let ResponseIr::Named(name) = &op.response {
                    let n = fixture::declared_fields(a, name);
                    if n > largest.1 {
                        largest = (format!("{}::{name}", a.module), n);
                    }
                }
            }
        }
        let fixtures = self.work.join("fixtures");
        fs::create_dir_all(&fixtures).map_err(|e| e.to_string())?;
        let lyra_path = fixtures.join("lyra-transaction.json");
        let paysafe_path = fixtures.join("paysafe-order.json");
        // Compact, as a server sends it.
        let compact = |v: &Value| serde_json::to_string(v).unwrap_or_default();
        fs::write(&lyra_path, compact(&transaction)).map_err(|e| e.to_string())?;
        fs::write(&paysafe_path, compact(&order)).map_err(|e| e.to_string())?;

        if let Some(reason) = &self.no_client {
            return Err(reason.clone());
        }
        let exe = std::env::current_exe()
            .map_err(|e| e.to_string())?
            .with_file_name("payspec-bench");
        if !exe.exists() {
            return Err(format!(
                "{} is missing: run `cargo build --release -p payspec-bench`",
                exe.display()
            ));
        }
        let o = self.options.clone();
        let mut ratios = Map::new();
        let mut client = Value::Null;
        if !o.json_only {
            client = self.client_overhead(&exe, &lyra_path, &paysafe_path, &mut ratios)?;
        }
        self.json_throughput(&exe, &lyra_path, &transaction, &mut ratios)?;
        let json_result = self.report.remove("json").unwrap_or(Value::Null);
        self.report.insert(
            "client".into(),
            json!({
                "method": "release build; a tokio loopback HTTP/1.1 server (keep-alive, fixed answers, its own thread and current-thread runtime) and a client on a current-thread runtime; every variant shares one reqwest::Client (HTTP/1.1 only, no proxy, no redirects); per round, each variant sends N sequential requests after a warm-up, variants in rotating order; the figure is the median requests/s over rounds; concurrent: per round, each of the four concurrent variants runs its calls from 100 tokio tasks sharing the client (each task takes the next call when its last is answered) after one unmeasured round that opens the connections, and gives the round's requests/s and the 99th percentile (nearest rank) of its calls' latencies; the figures are medians over rounds",
                "variants": {
                    "lyra_generated": "payspec::lyra::Client::transaction_get (validation, retry loop, timeout, envelope decoding into payspec::lyra::Transaction)",
                    "lyra_raw_same_type": "reqwest POST with the same headers and body, then serde_json into a one-line Envelope<payspec::lyra::Transaction> wrapper",
                    "lyra_raw_handwritten": "the same reqwest request, decoded into a hand-written Envelope<Transaction> of the same shape (bench/src/handwritten.rs)",
                    "paysafe_generated": "payspec::paysafe::Client::orders_get",
                    "paysafe_raw_same_type": "reqwest GET with the same headers, serde_json into payspec::paysafe::Order",
                },
                "largest_response_type": {
                    "name": largest.0, "declared_fields": largest.1,
                    "transaction_declared_fields": fixture::declared_fields(lyra, "Transaction"),
                    "note": "declared fields counted through nested objects and list items; the JSON and Lyra client benchmarks use lyra::Transaction (lyra::OrderTransactions, when it comes first, is a list of Transaction and little else)",
                },
                "fixture_leaves": { "lyra_transaction": fixture::leaves(&transaction), "paysafe_order": fixture::leaves(&order) },
                "requests_per_second": client.get("variants").cloned().unwrap_or(Value::Null),
                "concurrent": client.get("concurrent").cloned().unwrap_or(Value::Null),
                "response_bytes": client.get("response_bytes").cloned().unwrap_or(Value::Null),
                "json": json_result,
                "ratios": ratios,
            }),
        );
        Ok(())
    }

    /// Requests per second of the generated clients against raw reqwest on loopback; returns
    /// the binary's output.
    fn client_overhead(
        &mut self,
        exe: &Path,
        lyra_path: &Path,
        paysafe_path: &Path,
        ratios: &mut Map<String, Value>,
    ) -> Result<Value, String> {
        let o = self.options.clone();
        let mut command = Command::new(exe);
        command
            .arg("client")
            .arg("--lyra-fixture")
            .arg(lyra_path)
            .arg("--paysafe-fixture")
            .arg(paysafe_path)
            .args(["--requests", &o.requests.to_string()])
            .args(["--rounds", &o.rounds.to_string()])
            .args(["--warmup", &o.warmup.to_string()])
            .args(["--concurrency", "100"])
            .args([
                "--concurrent-requests",
                if o.quick { "1000" } else { "3000" },
            ]);
        let timed = run_timed(&command, &self.logs, "client", Duration::from_secs(900))?;
        let client: Value = serde_json::from_str(timed.stdout.trim()).map_err(|e| {
            format!(
                "{} (output: {})",
                timed.failure("payspec-bench client"),
                stats::tail(&timed.stdout, 3) + &e.to_string()
            )
        })?;
        if let Some(error) = client.get("error").and_then(Value::as_str) {
            return Err(format!("payspec-bench client: {error}"));
        }
        let rps = |name: &str| -> Vec<f64> {
            client["variants"][name]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default()
        };
        for (figure, ours, theirs, baseline, key) in [
            (
                "Client, lyra Transaction/Get (envelope, full Transaction), req/s",
                "lyra_generated",
                "lyra_raw_same_type",
                "raw reqwest, same type",
                "lyra_vs_raw_same_type",
            ),
            (
                "Client, lyra Transaction/Get, req/s, vs hand-written struct",
                "lyra_generated",
                "lyra_raw_handwritten",
                "raw reqwest + hand-written serde",
                "lyra_vs_raw_handwritten",
            ),
            (
                "Client, paysafe orders/get (full Order), req/s",
                "paysafe_generated",
                "paysafe_raw_same_type",
                "raw reqwest, same type",
                "paysafe_vs_raw_same_type",
            ),
        ] {
            let (a, b) = (rps(ours), rps(theirs));
            let (ma, mb) = (median(&a), median(&b));
            let ratio = paired_ratio(&a, &b);
            self.rows.push(
                Row::new(figure, format!("{ma:.0}"), a.len())
                    .peer(format!("{baseline}: {mb:.0}"))
                    .ratio(ratio)
                    .target(ratio, 1.0, false),
            );
            ratios.insert(
                key.into(),
                json!({ "median_of_paired_rounds": round3(ratio), "of_medians": round3(ma / mb) }),
            );
        }
        self.concurrent_rows(&client, ratios);
        Ok(client)
    }

    /// The rows of the concurrent calls: throughput (payspec ÷ raw, higher is better) and the
    /// 99th percentile latency (payspec ÷ raw, lower is better) of each API.
    fn concurrent_rows(&mut self, client: &Value, ratios: &mut Map<String, Value>) {
        let concurrent = &client["concurrent"];
        let tasks = concurrent["tasks"].as_u64().unwrap_or(0);
        let figure = |name: &str, measure: &str| -> Vec<f64> {
            concurrent["variants"][name][measure]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default()
        };
        for (api, call, ours, theirs) in [
            (
                "lyra",
                "Transaction/Get",
                "lyra_generated",
                "lyra_raw_same_type",
            ),
            (
                "paysafe",
                "orders/get",
                "paysafe_generated",
                "paysafe_raw_same_type",
            ),
        ] {
            let (a, b) = (
                figure(ours, "requests_per_second"),
                figure(theirs, "requests_per_second"),
            );
            let (ma, mb) = (median(&a), median(&b));
            let throughput = paired_ratio(&a, &b);
            self.rows.push(
                Row::new(
                    format!("Client, {api} {call}, {tasks} concurrent calls, req/s"),
                    format!("{ma:.0}"),
                    a.len(),
                )
                .peer(format!("raw reqwest, same type: {mb:.0}"))
                .ratio(throughput)
                .target(throughput, 1.0, false),
            );
            let (pa, pb) = (figure(ours, "p99_ms"), figure(theirs, "p99_ms"));
            let (mpa, mpb) = (median(&pa), median(&pb));
            let latency = paired_ratio(&pa, &pb);
            self.rows.push(
                Row::new(
                    format!("Client, {api} {call}, {tasks} concurrent calls, p99 latency"),
                    format_ms(mpa),
                    pa.len(),
                )
                .peer(format!("raw reqwest, same type: {}", format_ms(mpb)))
                .ratio(latency),
            );
            ratios.insert(
                format!("{api}_concurrent_vs_raw_same_type"),
                json!({
                    "requests_per_second": { "median_of_paired_rounds": round3(throughput), "of_medians": round3(ma / mb) },
                    "p99_latency": { "median_of_paired_rounds": round3(latency), "of_medians": round3(mpa / mpb) },
                }),
            );
        }
    }

    /// The testing kit: `Sandbox::start`'s time, a generated client's requests per second
    /// against the sandbox beside the fixed-answer server, and stateful flows per second.
    fn sandbox(&mut self) -> Result<(), String> {
        self.progress("sandbox start time and throughput");
        if let Some(reason) = &self.no_client {
            return Err(reason.clone());
        }
        let order = self.work.join("fixtures").join("paysafe-order.json");
        if !order.exists() {
            return Err(format!(
                "{} is missing (written by the client step)",
                order.display()
            ));
        }
        let exe = std::env::current_exe()
            .map_err(|e| e.to_string())?
            .with_file_name("payspec-bench");
        let o = self.options.clone();
        let mut command = Command::new(&exe);
        command
            .arg("sandbox")
            .arg("--paysafe-fixture")
            .arg(&order)
            .args(["--starts", "50"])
            .args(["--requests", &o.requests.to_string()])
            .args(["--rounds", &o.rounds.to_string()])
            .args(["--warmup", &o.warmup.to_string()]);
        let timed = run_timed(&command, &self.logs, "sandbox", Duration::from_secs(600))?;
        let result: Value = serde_json::from_str(timed.stdout.trim())
            .map_err(|e| format!("{}: {e}", timed.failure("payspec-bench sandbox")))?;
        if let Some(error) = result.get("error").and_then(Value::as_str) {
            return Err(format!("payspec-bench sandbox: {error}"));
        }
        let list = |value: &Value| -> Vec<f64> {
            value
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default()
        };
        let starts = list(&result["start_us"]);
        let lo = starts.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = starts.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        self.rows.push(Row::new(
            format!("Sandbox, paysafe Sandbox::start, µs (min–max {lo:.0}–{hi:.0})"),
            format!("{:.0}", median(&starts)),
            starts.len(),
        ));
        let ours = list(&result["orders_get_requests_per_second"]["sandbox"]);
        let fixed = list(&result["orders_get_requests_per_second"]["fixed_server"]);
        let ratio = paired_ratio(&ours, &fixed);
        self.rows.push(
            Row::new(
                "Sandbox, paysafe orders/get (routing, auth, validation, records), req/s",
                format!("{:.0}", median(&ours)),
                ours.len(),
            )
            .peer(format!("fixed-answer server: {:.0}", median(&fixed)))
            .ratio(ratio),
        );
        let flows = list(&result["flows_per_second"]);
        self.rows.push(Row::new(
            "Sandbox, paysafe create → get → refund flows/s (in the test's runtime)",
            format!("{:.0}", median(&flows)),
            flows.len(),
        ));
        let mut report = result;
        if let Some(map) = report.as_object_mut() {
            map.insert(
                "method".into(),
                json!("release build; start: Sandbox::start of the paysafe sandbox on a current-thread runtime, dropped after each, median over starts; orders/get: the generated paysafe client on a current-thread runtime, against the sandbox (its own thread and current-thread runtime, the order seeded with the bench fixture) and against the client bench's fixed-answer server (its own thread), N sequential calls per round after a warm-up, rotating order, medians over rounds and the median of paired ratios; flows: orders/process, orders/get and orders/refund against a sandbox started in the client's runtime, as a #[tokio::test] runs it"),
            );
            map.insert(
                "ratio_sandbox_vs_fixed_server".into(),
                json!({ "median_of_paired_rounds": round3(ratio), "of_medians": round3(median(&ours) / median(&fixed)) }),
            );
        }
        self.report.insert("sandbox".into(), report);
        Ok(())
    }

    /// Encode and decode throughput of `lyra::Transaction` against a hand-written struct; the
    /// binary's output goes to the report as `json`.
    fn json_throughput(
        &mut self,
        exe: &Path,
        lyra_path: &Path,
        transaction: &Value,
        ratios: &mut Map<String, Value>,
    ) -> Result<(), String> {
        let o = self.options.clone();
        let mut command = Command::new(exe);
        command
            .arg("json")
            .arg("--fixture")
            .arg(lyra_path)
            .args(["--rounds", &o.json_rounds.to_string()])
            .args(["--millis", &o.json_millis.to_string()]);
        let timed = run_timed(&command, &self.logs, "json", Duration::from_secs(600))?;
        let json_result: Value = serde_json::from_str(timed.stdout.trim())
            .map_err(|e| format!("{}: {e}", timed.failure("payspec-bench json")))?;
        if let Some(error) = json_result.get("error").and_then(Value::as_str) {
            return Err(format!("payspec-bench json: {error}"));
        }
        let mbps = |phase: &str, who: &str| -> Vec<f64> {
            json_result[phase][who]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default()
        };
        for phase in ["decode", "encode"] {
            let (a, b) = (mbps(phase, "payspec"), mbps(phase, "handwritten"));
            let (ma, mb) = (median(&a), median(&b));
            self.rows.push(
                Row::new(
                    format!(
                        "JSON {phase}, lyra Transaction ({} fields, {} bytes), MB/s",
                        fixture::leaves(transaction),
                        json_result["fixture_bytes"]
                    ),
                    format!("{ma:.1}"),
                    a.len(),
                )
                .peer(format!("hand-written serde struct: {mb:.1}"))
                .ratio(paired_ratio(&a, &b)),
            );
            ratios.insert(
                format!("json_{phase}"),
                json!({ "median_of_paired_rounds": round3(paired_ratio(&a, &b)), "of_medians": round3(ma / mb) }),
            );
        }
        self.report.insert("json".into(), json_result);
        Ok(())
    }

    // ---------------------------------------------------------------- peers and builds

    fn peers_and_builds(&mut self, codegen: &Codegen) {
        let apis: Vec<(String, SourceFile)> = codegen
            .ir
            .apis
            .iter()
            .filter_map(|a| {
                let source = codegen.sources.iter().find(|s| s.path == a.spec_file)?;
                Some((a.module.clone(), source.clone()))
            })
            .collect();
        // The API with the most operations gets the cold builds.
        let largest = codegen
            .ir
            .apis
            .iter()
            .max_by_key(|a| a.operations.len())
            .map(|a| a.module.clone())
            .unwrap_or_default();

        // Peers: install, then find the document each accepts for each API.
        let mut usable: Vec<(Installed, Vec<(String, Value)>)> = Vec::new();
        let mut peers_json = Map::new();
        if self.options.peers {
            let peers_dir = self.dir.join("peers");
            for peer in Peer::ALL {
                self.progress(&format!(
                    "{}: install (cached under target/bench/peers/)",
                    peer.name()
                ));
                match peers::install(peer, &peers_dir, &self.cargo) {
                    Ok(installed) => {
                        let (docs, entry) = self.accepted_documents(&installed, codegen, &apis);
                        peers_json.insert(peer.name().into(), entry);
                        usable.push((installed, docs));
                    }
                    Err(e) => {
                        self.failed(&format!("{}: install", peer.name()), &e);
                        peers_json.insert(
                            peer.name().into(),
                            json!({ "status": "install failed", "error": e }),
                        );
                    }
                }
            }
            self.report
                .insert("peers".into(), Value::Object(peers_json));
            self.generation(&apis, &usable);
        }
        self.builds(&apis, &largest, &usable);
    }

    /// For each API: the OpenAPI document `installed` accepts, as is or transformed.
    fn accepted_documents(
        &mut self,
        installed: &Installed,
        codegen: &Codegen,
        apis: &[(String, SourceFile)],
    ) -> (Vec<(String, Value)>, Value) {
        let name = installed.peer.name();
        let mut accepted = Vec::new();
        let mut per_api = Map::new();
        let docs = self.work.join("openapi");
        let _ = fs::create_dir_all(&docs);
        for (api, _) in apis {
            let Some(text) = codegen.files.get(&format!("generated/openapi/{api}.yaml")) else {
                per_api.insert(
                    api.clone(),
                    json!({ "status": "failed", "error": "payspec produced no OpenAPI document" }),
                );
                continue;
            };
            let original = docs.join(format!("{api}.yaml"));
            let _ = fs::write(&original, text);
            let document = match peers::parse_yaml(text) {
                Ok(d) => d,
                Err(e) => {
                    per_api.insert(api.clone(), json!({ "status": "failed", "error": e }));
                    continue;
                }
            };
            self.progress(&format!("{name}: trying generated/openapi/{api}.yaml"));
            let out = self.work.join(format!("gen/{name}-{api}"));
            let first = self.trial(installed, api, &original, &out);
            let mut entry = json!({ "command": installed.describe(api) });
            match first {
                Ok(()) => {
                    entry["status"] = json!("ok");
                    entry["document"] = json!("as produced (generated/openapi)");
                    entry["transformations"] = json!([]);
                    accepted.push((api.clone(), document));
                }
                Err(error) => {
                    entry["original_error"] = json!(error);
                    let (fixed, notes) = peers::transform(installed.peer, &document);
                    entry["transformations"] = json!(notes);
                    if notes.is_empty() {
                        entry["status"] = json!("failed");
                        self.failed(&format!("{name}: generate {api}"), &error);
                    } else {
                        let path = docs.join(format!("{api}.{name}.json"));
                        let text = serde_json::to_string_pretty(&fixed).unwrap_or_default();
                        let _ = fs::write(&path, text);
                        self.progress(&format!(
                            "{name}: {api} rejected as is; retrying with {}",
                            notes.join("; ")
                        ));
                        match self.trial(installed, api, &path, &out) {
                            Ok(()) => {
                                entry["status"] = json!("ok after transformation");
                                entry["document"] = json!(
                                    path.strip_prefix(&self.root)
                                        .unwrap_or(&path)
                                        .display()
                                        .to_string()
                                );
                                self.notes.push(format!(
                                    "{name} rejected generated/openapi/{api}.yaml ({}); it was given a copy in which the bench {}",
                                    stats::tail(&error, 2),
                                    notes.join("; and ")
                                ));
                                accepted.push((api.clone(), fixed));
                            }
                            Err(second) => {
                                entry["status"] = json!("failed");
                                entry["error"] = json!(second);
                                self.failed(
                                    &format!("{name}: generate {api}"),
                                    &format!(
                                        "as produced: {error}; after transformation: {second}"
                                    ),
                                );
                            }
                        }
                    }
                }
            }
            per_api.insert(api.clone(), entry);
        }
        let entry = json!({
            "version": installed.version,
            "install": installed.install,
            "apis": per_api,
        });
        (accepted, entry)
    }

    fn trial(
        &self,
        installed: &Installed,
        api: &str,
        document: &Path,
        out: &Path,
    ) -> Result<(), String> {
        let _ = fs::remove_dir_all(out);
        let command = installed.command(api, document, out);
        let name = format!("trial-{}-{api}", installed.peer.name());
        let timed = run_timed(&command, &self.logs, &name, Duration::from_secs(600))?;
        let wrote_manifest = out.join("Cargo.toml").exists();
        if timed.success() && wrote_manifest {
            Ok(())
        } else if timed.success() {
            Err("exited successfully but wrote no Cargo.toml".into())
        } else {
            Err(timed.failure(installed.peer.name()))
        }
    }

    /// Generation by process, spec or document → crate on disk, interleaved, per API.
    fn generation(
        &mut self,
        apis: &[(String, SourceFile)],
        usable: &[(Installed, Vec<(String, Value)>)],
    ) {
        let runs = self.options.peer_runs;
        let exe = match std::env::current_exe() {
            Ok(exe) => exe,
            Err(e) => {
                self.failed("Generation by process", &e.to_string());
                return;
            }
        };
        let mut entries = Vec::new();
        for (api, source) in apis {
            self.progress(&format!("generation by process: {api}"));
            let spec_path = self.root.join(&source.path);
            let docs = self.work.join("openapi");
            // (label, command, output folder) of every generator that works on this API.
            let mut jobs: Vec<(String, Command, PathBuf)> = Vec::new();
            let out = self.work.join(format!("gen/payspec-{api}"));
            let mut ours = Command::new(&exe);
            ours.args(["bench", "__generate", "--out"])
                .arg(&out)
                .arg(&spec_path);
            jobs.push(("payspec".into(), ours, out));
            for (installed, accepted) in usable {
                let Some((_, document)) = accepted.iter().find(|(a, _)| a == api) else {
                    continue;
                };
                let path = docs.join(format!("{api}.{}.input.json", installed.peer.name()));
                let text = serde_json::to_string_pretty(document).unwrap_or_default();
                if fs::write(&path, text).is_err() {
                    continue;
                }
                let out = self
                    .work
                    .join(format!("gen/{}-{api}", installed.peer.name()));
                jobs.push((
                    installed.peer.name().into(),
                    installed.command(api, &path, &out),
                    out,
                ));
            }
            let mut times: Vec<Vec<f64>> = vec![Vec::new(); jobs.len()];
            let mut peaks: Vec<Vec<f64>> = vec![Vec::new(); jobs.len()];
            let mut errors: Vec<Option<String>> = vec![None; jobs.len()];
            for run in 0..runs {
                for (i, (label, command, out)) in jobs.iter().enumerate() {
                    if errors[i].is_some() {
                        continue;
                    }
                    let _ = fs::remove_dir_all(out);
                    let name = format!("generate-{label}-{api}-{run}");
                    match run_timed(command, &self.logs, &name, Duration::from_secs(600)) {
                        Ok(timed) if timed.success() => {
                            times[i].push(timed.ms);
                            if let Some(kib) = timed.peak_kib {
                                peaks[i].push(kib as f64);
                            }
                        }
                        Ok(timed) => errors[i] = Some(timed.failure(label)),
                        Err(e) => errors[i] = Some(e),
                    }
                }
            }
            let ours_ms = median(&times[0]);
            let ours_kib = median(&peaks[0]);
            if let Some(error) = &errors[0] {
                self.failed(&format!("Generation, {api}, payspec"), error);
            } else if jobs.len() == 1 {
                self.rows.push(Row::new(
                    format!("Generation by process, {api} (spec or document → crate on disk)"),
                    format_ms(ours_ms),
                    times[0].len(),
                ));
            }
            let mut entry = json!({
                "api": api,
                "payspec": { "median_ms": round3(ours_ms), "runs_ms": rounded(&times[0]), "peak_kib": round3(ours_kib), "error": errors[0] },
            });
            for (i, (label, _, _)) in jobs.iter().enumerate().skip(1) {
                let ms = median(&times[i]);
                let kib = median(&peaks[i]);
                let ratio = paired_ratio(&times[0], &times[i]);
                entry[label.as_str()] = json!({
                    "median_ms": round3(ms), "runs_ms": rounded(&times[i]), "peak_kib": round3(kib),
                    "error": errors[i], "ratio_payspec_over_peer": round3(ratio),
                });
                if let Some(error) = &errors[i] {
                    self.failed(&format!("Generation, {api}, {label}"), error);
                    continue;
                }
                let mut row = Row::new(
                    format!("Generation by process, {api} (spec or document → crate on disk)"),
                    format_ms(ours_ms),
                    times[i].len(),
                )
                .peer(format!("{label}: {}", format_ms(ms)))
                .ratio(ratio);
                if label == "progenitor" {
                    row = row.target(ratio, 0.33, true);
                }
                self.rows.push(row);
                if ours_kib.is_finite() && kib.is_finite() {
                    self.rows.push(
                        Row::new(
                            format!("Generation peak memory, {api}"),
                            format_kib(ours_kib as u64),
                            peaks[i].len(),
                        )
                        .peer(format!("{label}: {}", format_kib(kib as u64)))
                        .ratio(paired_ratio(&peaks[0], &peaks[i])),
                    );
                }
            }
            entries.push(entry);
        }
        self.report.insert(
            "generation".into(),
            json!({
                "method": "each generator as a child process writing a crate into an empty folder, interleaved, median of N; payspec reads the spec file (its output also includes docs in two languages, an OpenAPI document and the JSON Schema), progenitor and openapi-generator read the OpenAPI document (as JSON, after the transformations listed under peers when they needed any); peak memory is /usr/bin/time -f %M",
                "apis": entries,
            }),
        );
    }

    fn builds(
        &mut self,
        apis: &[(String, SourceFile)],
        largest: &str,
        usable: &[(Installed, Vec<(String, Value)>)],
    ) {
        let crates_dir = self.work.join("crates");
        let docs = self.work.join("openapi/edits");
        let build_dir = self.dir.join("build");
        let _ = fs::remove_dir_all(&build_dir);
        let mut crates: Vec<WorkCrate> = Vec::new();
        for (api, source) in apis {
            crates.push(WorkCrate {
                generator: "payspec".into(),
                api: api.clone(),
                dir: crates_dir.join(format!("payspec-{api}")),
                producer: Producer::Payspec {
                    source: source.clone(),
                },
                logs: self.logs.clone(),
            });
            for (installed, accepted) in usable {
                if let Some((_, document)) = accepted.iter().find(|(a, _)| a == api) {
                    crates.push(WorkCrate {
                        generator: installed.peer.name().into(),
                        api: api.clone(),
                        dir: crates_dir.join(format!("{}-{api}", installed.peer.name())),
                        producer: Producer::Peer {
                            installed: installed.clone(),
                            document: document.clone(),
                        },
                        logs: self.logs.clone(),
                    });
                }
            }
        }
        let mut ready = Vec::new();
        for c in crates {
            self.progress(&format!(
                "preparing the {} crate of {} (generate, lockfile, fetch)",
                c.generator, c.api
            ));
            match c.prepare(&self.cargo, &self.root, &docs) {
                Ok(()) => ready.push(c),
                Err(e) => self.failed(
                    &format!("Build, {} crate of {}: preparation", c.generator, c.api),
                    &e,
                ),
            }
        }
        let generators: Vec<String> = {
            let mut g: Vec<String> = ready.iter().map(|c| c.generator.clone()).collect();
            g.dedup();
            let mut unique = Vec::new();
            for name in g {
                if !unique.contains(&name) {
                    unique.push(name);
                }
            }
            unique
        };
        let warm = |generator: &str| build_dir.join(format!("warm-{generator}"));
        let mut broken: Vec<(String, String)> = Vec::new();

        // Cold builds of the largest API, generators interleaved.
        let cold_runs = self.options.cold_runs;
        let mut cold: Vec<(String, Vec<f64>)> = Vec::new();
        for run in 0..cold_runs {
            for c in ready.iter().filter(|c| c.api == largest) {
                if broken
                    .iter()
                    .any(|(g, a)| *g == c.generator && a == largest)
                {
                    continue;
                }
                self.progress(&format!(
                    "cold build {}/{cold_runs}: {} application of {largest}",
                    run + 1,
                    c.generator
                ));
                // The last cold build's folder stays, for the crate-alone builds.
                let last = run + 1 == cold_runs;
                let target = if last {
                    warm(&c.generator)
                } else {
                    build_dir.join(format!("cold-{}", c.generator))
                };
                let _ = fs::remove_dir_all(&target);
                match c.build_app(&self.cargo, &target, &format!("cold-{run}")) {
                    Ok(ms) => {
                        match cold.iter_mut().find(|(g, _)| *g == c.generator) {
                            Some((_, v)) => v.push(ms),
                            None => cold.push((c.generator.clone(), vec![ms])),
                        }
                        if !last {
                            let _ = fs::remove_dir_all(&target);
                        }
                    }
                    Err(e) => {
                        let _ = fs::remove_dir_all(&target);
                        broken.push((c.generator.clone(), largest.to_owned()));
                        self.failed(
                            &format!("Build, cold, {} application of {largest}", c.generator),
                            &e,
                        );
                    }
                }
            }
        }
        let ours_cold: Vec<f64> = cold
            .iter()
            .find(|(g, _)| g == "payspec")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let mut cold_json = Map::new();
        for (generator, values) in &cold {
            let ms = median(values);
            let figure = format!(
                "Build, cold, an application calling every operation (dependencies included), {largest}"
            );
            if generator == "payspec" {
                cold_json.insert(
                    generator.clone(),
                    json!({ "median_ms": round3(ms), "runs_ms": rounded(values) }),
                );
                if cold.len() == 1 {
                    self.rows
                        .push(Row::new(figure, format_ms(ms), values.len()));
                }
            } else if !ours_cold.is_empty() {
                let ratio = paired_ratio(&ours_cold, values);
                cold_json.insert(
                    generator.clone(),
                    json!({ "median_ms": round3(ms), "runs_ms": rounded(values), "ratio_payspec_over_peer": round3(ratio) }),
                );
                let mut row = Row::new(
                    figure,
                    format_ms(median(&ours_cold)),
                    values.len().min(ours_cold.len()),
                )
                .peer(format!("{generator}: {}", format_ms(ms)))
                .ratio(ratio);
                if generator == "progenitor" {
                    // Issue 13: a Lyra-only app, HTTPS-capable, ≤ 0.8x progenitor with rustls.
                    row = row.target(ratio, 0.8, true);
                }
                self.rows.push(row);
            }
        }

        // The crate alone after a one-line change, every API, generators interleaved.
        let build_runs = self.options.build_runs;
        let mut alone_json = Vec::new();
        for (api, _) in apis {
            let members: Vec<&WorkCrate> = ready
                .iter()
                .filter(|c| {
                    c.api == *api && !broken.iter().any(|(g, a)| *g == c.generator && a == api)
                })
                .collect();
            let mut ok = Vec::new();
            for c in &members {
                self.progress(&format!("warm-up build: {} crate of {api}", c.generator));
                match c.build(&self.cargo, &warm(&c.generator), true, "warm-up") {
                    Ok(_) => ok.push(*c),
                    Err(e) => {
                        broken.push((c.generator.clone(), api.clone()));
                        self.failed(&format!("Build, {} crate of {api}", c.generator), &e);
                    }
                }
            }
            let mut incremental: Vec<Vec<f64>> = vec![Vec::new(); ok.len()];
            let mut scratch: Vec<Vec<f64>> = vec![Vec::new(); ok.len()];
            let mut errors: Vec<Option<String>> = vec![None; ok.len()];
            for run in 0..build_runs {
                for (i, c) in ok.iter().enumerate() {
                    if errors[i].is_some() {
                        continue;
                    }
                    self.progress(&format!(
                        "crate-alone build {}/{build_runs}: {} crate of {api}",
                        run + 1,
                        c.generator
                    ));
                    let edit = 2 * run as u32 + 1;
                    let step = c
                        .regenerate(edit, &docs)
                        .and_then(|()| {
                            c.build(
                                &self.cargo,
                                &warm(&c.generator),
                                true,
                                &format!("alone-incr-{run}"),
                            )
                        })
                        .and_then(|ms| {
                            incremental[i].push(ms);
                            c.regenerate(edit + 1, &docs)
                        })
                        .and_then(|()| {
                            c.build(
                                &self.cargo,
                                &warm(&c.generator),
                                false,
                                &format!("alone-scratch-{run}"),
                            )
                        });
                    match step {
                        Ok(ms) => scratch[i].push(ms),
                        Err(e) => errors[i] = Some(e),
                    }
                }
            }
            let ours = ok.iter().position(|c| c.generator == "payspec");
            let mut entry = json!({ "api": api });
            for (i, c) in ok.iter().enumerate() {
                entry[c.generator.as_str()] = json!({
                    "incremental_median_ms": round3(median(&incremental[i])),
                    "incremental_runs_ms": rounded(&incremental[i]),
                    "non_incremental_median_ms": round3(median(&scratch[i])),
                    "non_incremental_runs_ms": rounded(&scratch[i]),
                    "error": errors[i],
                });
                if let Some(error) = &errors[i] {
                    self.failed(
                        &format!("Build, crate alone, {} crate of {api}", c.generator),
                        error,
                    );
                }
            }
            for (label, values) in [("incremental", &incremental), ("non-incremental", &scratch)] {
                let Some(ours) = ours else { continue };
                if values[ours].is_empty() {
                    continue;
                }
                let ours_ms = median(&values[ours]);
                let figure =
                    format!("Build, crate alone after a one-line spec change, {api}, {label}");
                if ok.len() == 1 {
                    self.rows.push(Row::new(
                        figure.clone(),
                        format_ms(ours_ms),
                        values[ours].len(),
                    ));
                }
                for (i, c) in ok.iter().enumerate() {
                    if i == ours || values[i].is_empty() {
                        continue;
                    }
                    let ms = median(&values[i]);
                    let ratio = paired_ratio(&values[ours], &values[i]);
                    let mut row = Row::new(
                        figure.clone(),
                        format_ms(ours_ms),
                        values[i].len().min(values[ours].len()),
                    )
                    .peer(format!("{}: {}", c.generator, format_ms(ms)))
                    .ratio(ratio);
                    if c.generator == "progenitor" {
                        row = row.target(ratio, 0.5, true);
                    }
                    self.rows.push(row);
                }
            }
            alone_json.push(entry);
        }
        self.report.insert(
            "builds".into(),
            json!({
                "method": "`cargo build --offline` (dev profile) of each generator's crate for one API, each crate its own workspace under target/bench/work/crates/ (payspec with the repository's Cargo.lock, the peers with a fresh `cargo generate-lockfile`; progenitor's crate, which asks reqwest for no TLS, gets the TLS stack of payspec's runtime, reqwest's `rustls-no-provider` and rustls with `ring`, so that every crate is HTTPS-capable: openapi-generator's is by default, with native-tls), dependencies fetched beforehand. payspec's runtime, which the work crate names by path, is compiled without incremental compilation (`[profile.dev.package.payspec-runtime] incremental = false`), as a git or registry dependency of an application is, and as progenitor-client is. Cold: an application that calls every operation of the API with the most operations once through the generator's crate (a binary built and never run, its arguments typed by each operation's signature, each call's future boxed so that its body is compiled: xtask/src/bench/app.rs; its manifest, not the crate's, carries payspec's runtime profile line), in a new empty CARGO_TARGET_DIR, the dev profile's incremental setting (CARGO_INCREMENTAL unset), generators interleaved: a crate built alone leaves the code of generic, derived and `#[inline]` functions to the crate that calls them. Crate alone: in the target folder of the last cold build (after an untimed warm-up build of that API), the summary of the first operation is changed in the spec (payspec) or in the OpenAPI document (peers), the crate regenerated (not timed) and rebuilt: once incrementally (CARGO_INCREMENTAL unset) and, after another such change, once with CARGO_INCREMENTAL=0 (the crate recompiled from scratch); generators interleaved",
                "cold_api": largest,
                "cold": cold_json,
                "crate_alone": alone_json,
                "generators": generators,
            }),
        );
        // The target folders are large; the crates and logs stay.
        let _ = fs::remove_dir_all(&build_dir);
    }
}

/// Times `payspec_codegen::generate` on `sources`: one warm-up run, then `runs` runs (ms).
fn time_generate(
    sources: &[SourceFile],
    runs: usize,
) -> Result<(Vec<f64>, payspec_codegen::Generated), String> {
    let generated =
        payspec_codegen::generate(sources).map_err(|d| payspec_codegen::render(&d, sources))?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let result = payspec_codegen::generate(std::hint::black_box(sources));
        let ms = start.elapsed().as_secs_f64() * 1e3;
        drop(std::hint::black_box(result));
        times.push(ms);
    }
    Ok((times, generated))
}

fn spec_paths(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = root.join("spec");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// What the figures were measured on.
fn machine(cargo: &str) -> Value {
    let output = |program: &str, args: &[&str]| -> String {
        Command::new(program)
            .args(args)
            .output()
            .map(|o| {
                let text = if o.stdout.is_empty() {
                    o.stderr
                } else {
                    o.stdout
                };
                String::from_utf8_lossy(&text)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            })
            .unwrap_or_default()
    };
    let read = |path: &str| {
        fs::read_to_string(path)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    json!({
        "nproc": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "kernel": read("/proc/sys/kernel/osrelease"),
        "cpu": cpu,
        "memory": read("/proc/meminfo").lines().next().unwrap_or("").to_owned(),
        "load_average_start": read("/proc/loadavg"),
        "rustc": output("rustc", &["-V"]),
        "cargo": output(cargo, &["-V"]),
        "java": output("java", &["-version"]),
        "commit": output("git", &["describe", "--always", "--dirty"]),
        "note": "2 cores shared with other work: figures are noisy; ratios are taken within the same run",
    })
}
