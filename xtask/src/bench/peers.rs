//! The peers: progenitor (`cargo-progenitor`, from crates.io) and openapi-generator (the jar
//! bundled in the PyPI package `openapi-generator-cli`, run on the machine's Java). Installs
//! into `target/bench/peers/`, the OpenAPI transformations they need, and their command lines.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};

use super::stats::{run_timed, tail};

/// A code generator compared with payspec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    Progenitor,
    OpenapiGenerator,
}

impl Peer {
    pub const ALL: [Peer; 2] = [Peer::Progenitor, Peer::OpenapiGenerator];

    pub fn name(self) -> &'static str {
        match self {
            Peer::Progenitor => "progenitor",
            Peer::OpenapiGenerator => "openapi-generator",
        }
    }

    /// The name of the crate it produces for `api`.
    pub fn crate_name(self, api: &str) -> String {
        match self {
            Peer::Progenitor => format!("{api}-progenitor"),
            Peer::OpenapiGenerator => format!("{api}_ogen"),
        }
    }
}

/// An installed peer: what runs it, and its version.
#[derive(Debug, Clone)]
pub struct Installed {
    pub peer: Peer,
    /// `cargo-progenitor`, or `java`.
    pub program: PathBuf,
    /// Arguments before the generator's own (`progenitor`, or `-jar <jar>`).
    pub prefix: Vec<String>,
    pub version: String,
    /// How it was installed (and how long that took, when it was not cached).
    pub install: String,
}

const INSTALL_LIMIT: Duration = Duration::from_secs(40 * 60);

/// Installs `peer` under `peers` unless it is there already.
pub fn install(peer: Peer, peers: &Path, cargo: &str) -> Result<Installed, String> {
    match peer {
        Peer::Progenitor => install_progenitor(peers, cargo),
        Peer::OpenapiGenerator => install_openapi_generator(peers),
    }
}

fn install_progenitor(peers: &Path, cargo: &str) -> Result<Installed, String> {
    let root = peers.join("cargo");
    let bin = root.join("bin/cargo-progenitor");
    let mut install = "cached".to_owned();
    if !bin.exists() {
        eprintln!("bench: installing cargo-progenitor (cargo install --locked; takes minutes)…");
        let mut command = Command::new(cargo);
        command
            .args(["install", "cargo-progenitor", "--locked", "--root"])
            .arg(&root);
        let timed = run_timed(
            &command,
            &peers.join("logs"),
            "install-progenitor",
            INSTALL_LIMIT,
        )?;
        if !timed.success() {
            return Err(timed.failure("cargo install cargo-progenitor --locked"));
        }
        install = format!(
            "cargo install cargo-progenitor --locked ({:.0} s)",
            timed.ms / 1e3
        );
    }
    // `cargo install` records what it installed in `.crates.toml`: `"cargo-progenitor 0.15.1 (…)"`.
    let version = fs::read_to_string(root.join(".crates.toml"))
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix("\"cargo-progenitor "))
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "unknown".to_owned());
    Ok(Installed {
        peer: Peer::Progenitor,
        program: bin,
        prefix: vec!["progenitor".into()],
        version: format!("cargo-progenitor {version}"),
        install,
    })
}

fn install_openapi_generator(peers: &Path) -> Result<Installed, String> {
    let target = peers.join("py");
    let jar = target.join("openapi_generator_cli/openapi-generator.jar");
    let mut install = "cached".to_owned();
    if !jar.exists() {
        eprintln!("bench: installing openapi-generator-cli from PyPI…");
        let mut command = Command::new("python3");
        command
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--target",
            ])
            .arg(&target)
            .arg("openapi-generator-cli");
        let timed = run_timed(
            &command,
            &peers.join("logs"),
            "install-openapi-generator",
            INSTALL_LIMIT,
        )?;
        if !timed.success() || !jar.exists() {
            return Err(timed.failure("python3 -m pip install openapi-generator-cli"));
        }
        install = format!(
            "python3 -m pip install --target … openapi-generator-cli ({:.0} s)",
            timed.ms / 1e3
        );
    }
    let version = fs::read_dir(&target)
        .ok()
        .and_then(|entries| {
            entries.filter_map(Result::ok).find_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_prefix("openapi_generator_cli-")
                    .and_then(|rest| rest.strip_suffix(".dist-info"))
                    .map(str::to_owned)
            })
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let java = Command::new("java")
        .arg("-version")
        .output()
        .map_err(|e| format!("openapi-generator needs Java, and `java -version` failed: {e}"))?;
    let java_version = String::from_utf8_lossy(&java.stderr)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned();
    if !java.status.success() {
        return Err(format!(
            "openapi-generator needs Java, and `java -version` failed: {}",
            tail(&String::from_utf8_lossy(&java.stderr), 5)
        ));
    }
    Ok(Installed {
        peer: Peer::OpenapiGenerator,
        program: PathBuf::from("java"),
        prefix: vec!["-jar".into(), jar.to_string_lossy().into_owned()],
        version: format!("openapi-generator-cli {version} (PyPI jar) on {java_version}"),
        install,
    })
}

impl Installed {
    /// The command generating a crate from `document` into `out`.
    pub fn command(&self, api: &str, document: &Path, out: &Path) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.prefix);
        let name = self.peer.crate_name(api);
        match self.peer {
            Peer::Progenitor => {
                command
                    .arg("-i")
                    .arg(document)
                    .arg("-o")
                    .arg(out)
                    .args(["-n", &name, "-v", "0.1.0"]);
            }
            Peer::OpenapiGenerator => {
                // The rust generator's default library is reqwest. Our `info.version`
                // (`payspec-1`) is not semver, so the crate version is given.
                command
                    .args(["generate", "-g", "rust", "-i"])
                    .arg(document)
                    .arg("-o")
                    .arg(out)
                    .arg(format!(
                        "--additional-properties=packageName={name},packageVersion=0.1.0"
                    ));
            }
        }
        command
    }

    /// The command line, for the report.
    pub fn describe(&self, api: &str) -> String {
        let command = self.command(
            api,
            Path::new(&format!("<{api} document>")),
            Path::new("<out>"),
        );
        let program = Path::new(command.get_program())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let args: Vec<String> = command
            .get_args()
            .map(|a| {
                let a = a.to_string_lossy();
                if a.ends_with(".jar") {
                    "openapi-generator.jar".to_owned()
                } else {
                    a.into_owned()
                }
            })
            .collect();
        format!("{program} {}", args.join(" "))
    }
}

/// Parses an OpenAPI document written in YAML.
pub fn parse_yaml(text: &str) -> Result<Value, String> {
    serde_saphyr::from_str::<Value>(text).map_err(|e| format!("cannot parse the document: {e}"))
}

/// Every `#/components/schemas/<name>` reference whose schema is not defined.
pub fn dangling_schema_refs(document: &Value) -> BTreeSet<String> {
    fn walk(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|t| t.strip_prefix("#/components/schemas/"))
                {
                    out.insert(name.to_owned());
                }
                map.values().for_each(|v| walk(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut referenced = BTreeSet::new();
    walk(document, &mut referenced);
    let defined = document
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    referenced
        .into_iter()
        .filter(|name| defined.is_none_or(|d| !d.contains_key(name)))
        .collect()
}

/// The transformations `peer` needs on `document`, applied to a copy, with one line saying
/// what each did. An empty list means the document is passed as it is.
pub fn transform(peer: Peer, document: &Value) -> (Value, Vec<String>) {
    let mut doc = document.clone();
    let mut done = Vec::new();
    let dangling = dangling_schema_refs(&doc);
    if !dangling.is_empty() {
        if let Some(root) = doc.as_object_mut() {
            let components = root.entry("components").or_insert_with(|| json!({}));
            if let Some(components) = components.as_object_mut() {
                let schemas = components.entry("schemas").or_insert_with(|| json!({}));
                if let Some(schemas) = schemas.as_object_mut() {
                    for name in &dangling {
                        schemas.insert(name.clone(), json!({ "type": "object" }));
                    }
                }
            }
        }
        let names: Vec<&str> = dangling.iter().map(String::as_str).collect();
        done.push(format!(
            "defined {} referenced but missing schema(s) as free-form objects: {}",
            names.len(),
            names.join(", ")
        ));
    }
    if peer == Peer::Progenitor {
        // progenitor counts a `default` response as both a success and an error, and then
        // refuses an operation whose success responses have two body types (its
        // `response_types.len() <= 1` assertion). Our documents give the 2xx body and a
        // `default` error body; the error body moves to `4XX` and `5XX`.
        let mut moved = 0;
        if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
            for item in paths.values_mut() {
                let Some(item) = item.as_object_mut() else {
                    continue;
                };
                for operation in item.values_mut() {
                    let Some(responses) = operation
                        .get_mut("responses")
                        .and_then(Value::as_object_mut)
                    else {
                        continue;
                    };
                    let has_success = responses.keys().any(|k| k.starts_with('2'));
                    if !has_success {
                        continue;
                    }
                    if let Some(default) = responses.remove("default") {
                        responses.insert("4XX".into(), default.clone());
                        responses.insert("5XX".into(), default);
                        moved += 1;
                    }
                }
            }
        }
        if moved > 0 {
            done.push(format!(
                "moved the `default` (error) response of {moved} operation(s) to `4XX` and `5XX`"
            ));
        }
    }
    (doc, done)
}

/// The document with the summary and description of its first operation changed (`edit` 0 is
/// the original): the one-line change before a rebuild of the crate alone.
pub fn edit_first_summary(document: &Value, edit: u32) -> Value {
    let mut doc = document.clone();
    if edit == 0 {
        return doc;
    }
    let operation = doc
        .get_mut("paths")
        .and_then(Value::as_object_mut)
        .and_then(|paths| paths.values_mut().next())
        .and_then(Value::as_object_mut)
        .and_then(|item| {
            item.iter_mut()
                .find(|(k, _)| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
                .map(|(_, v)| v)
        })
        .and_then(Value::as_object_mut);
    if let Some(operation) = operation {
        // Both texts: progenitor documents methods with both, openapi-generator's Rust code
        // carries only the description (its summary goes to Markdown files).
        for key in ["summary", "description"] {
            if let Some(old) = operation.get(key).and_then(Value::as_str) {
                let new = format!("Bench edit {edit}. {old}");
                operation.insert(key.into(), json!(new));
            }
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/a": { "post": {
                    "summary": "Do a.",
                    "description": "Does a.",
                    "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AReq" } } } },
                    "responses": {
                        "200": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/A" } } } },
                        "default": { "$ref": "#/components/responses/Error" }
                    }
                } }
            },
            "components": { "schemas": { "A": { "type": "object" } } }
        })
    }

    #[test]
    fn dangling_refs_are_defined_and_defaults_moved_for_progenitor() {
        let doc = document();
        assert_eq!(
            dangling_schema_refs(&doc).into_iter().collect::<Vec<_>>(),
            ["AReq"]
        );
        let (fixed, notes) = transform(Peer::Progenitor, &doc);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(dangling_schema_refs(&fixed).is_empty());
        let responses = &fixed["paths"]["/a"]["post"]["responses"];
        assert!(responses.get("default").is_none());
        assert!(responses.get("4XX").is_some() && responses.get("5XX").is_some());
        let (ogen, notes) = transform(Peer::OpenapiGenerator, &doc);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            ogen["paths"]["/a"]["post"]["responses"]
                .get("default")
                .is_some()
        );
    }

    #[test]
    fn the_first_summary_is_edited() {
        let doc = document();
        assert_eq!(edit_first_summary(&doc, 0), doc);
        let edited = edit_first_summary(&doc, 2);
        assert_eq!(
            edited["paths"]["/a"]["post"]["summary"],
            json!("Bench edit 2. Do a.")
        );
        assert_eq!(
            edited["paths"]["/a"]["post"]["description"],
            json!("Bench edit 2. Does a.")
        );
    }

    #[test]
    fn yaml_documents_parse() {
        let doc = parse_yaml("openapi: \"3.0.3\"\npaths:\n  /a:\n    get:\n      responses:\n        \"200\": { description: ok }\n").expect("yaml");
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["description"],
            json!("ok")
        );
    }
}
