//! YAML text -> spec structs, with a located diagnostic when the text is not a valid spec.

use crate::diagnostics::{Diagnostic, Place};
use crate::limits;
use crate::spec::SpecFile;
use serde_saphyr::budget::BudgetBreach;

/// Parses one spec file: [`load_all`], keeping the first diagnostic.
pub fn load(file: &str, text: &str) -> Result<SpecFile, Diagnostic> {
    load_all(file, text).map_err(|mut diags| diags.remove(0))
}

/// Parses one spec file. The YAML-level mistakes the [scan](crate::prescan) of the raw text
/// finds (tabs, indentation, unquoted `,` `:` `#` in `{ … }`, open quotes and brackets) are
/// all reported, at their lines, instead of the reader's error. Otherwise YAML syntax and
/// shape errors (unknown key, wrong value type, duplicate key) stop this file at the first
/// one, located. So does a file too big or too deep for the [limits](crate::limits).
/// The list is never empty.
pub fn load_all(file: &str, text: &str) -> Result<SpecFile, Vec<Diagnostic>> {
    let scan = crate::prescan::scan(file, text);
    if !scan.certain.is_empty() {
        return Err(scan.certain);
    }
    parse(file, text).map_err(|d| {
        // A value continued on a deeper line: the reader fails on it or on the line above.
        let suspect = (d.code == "S001")
            .then(|| {
                scan.suspects
                    .iter()
                    .find(|(above, s)| d.place.line == *above || d.place.line == s.place.line)
            })
            .flatten();
        vec![suspect.map_or(d, |(_, s)| s.clone())]
    })
}

fn parse(file: &str, text: &str) -> Result<SpecFile, Diagnostic> {
    // YAML 1.2 semantics: `yes`/`no`/`y`/`on` are strings, never booleans, and `04` read
    // without a target type (examples) stays the string it looks like.
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        budget: serde_saphyr::budget! {
            max_depth: limits::MAX_YAML_DEPTH,
            flow_nesting_limit: limits::MAX_YAML_DEPTH,
            max_nodes: limits::MAX_YAML_NODES,
            max_events: limits::MAX_YAML_EVENTS,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: limits::MAX_ALIAS_EVENTS,
            max_replay_stack_depth: limits::MAX_ALIAS_NESTING,
        },
    };
    serde_saphyr::from_str_with_options::<SpecFile>(text, options).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        let place = Place {
            file: file.to_owned(),
            line: line as u32,
            column: column as u32,
        };
        if let Some((message, hint)) = limit_breached(&e) {
            // A limit of the whole file: point at its start when the reader says nothing.
            let place = if place.line == 0 {
                Place {
                    line: 1,
                    column: 1,
                    ..place
                }
            } else {
                place
            };
            return Diagnostic::error("S028", place, message).hint(hint);
        }
        let message = e.without_snippet().to_string();
        let message = strip_location(&message).to_owned();
        if message.contains(limits::JSON_TOO_DEEP) {
            return Diagnostic::error("S029", place, limits::JSON_TOO_DEEP).hint(format!(
                "payspec reads examples and preset values at most {} arrays or objects deep (the real specs use 4); cut the value down",
                limits::MAX_JSON_DEPTH
            ));
        }
        if message.contains("invalid boolean") {
            return yaml_1_1_boolean(place, text);
        }
        let hint = if let Some(suggestion) = suggest_key(&message) {
            suggestion
        } else if let Some(hint) = message
            .contains("unknown field")
            .then(|| crate::prescan::dedent_hint(text, place.line))
            .flatten()
        {
            hint
        } else if message.contains("unknown field") {
            "check the key's spelling against spec/README.md; keys are snake_case".to_owned()
        } else if message.contains("duplicate mapping key") {
            "each name may appear once in a mapping; rename or merge the two entries".to_owned()
        } else if message.contains("missing field") {
            "add the missing key; spec/README.md lists the required ones".to_owned()
        } else {
            "see spec/README.md for the expected shape".to_owned()
        };
        Diagnostic::error("S001", place, first_line(&message)).hint(hint)
    })
}

/// S133: a YAML 1.1 boolean word (`yes`, `off`) where a boolean is read.
fn yaml_1_1_boolean(place: Place, text: &str) -> Diagnostic {
    let word: String = text
        .lines()
        .nth((place.line as usize).saturating_sub(1))
        .unwrap_or("")
        .chars()
        .skip((place.column as usize).saturating_sub(1))
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let meant = match word.to_ascii_lowercase().as_str() {
        "yes" | "y" | "on" => "true",
        "no" | "n" | "off" => "false",
        _ => "`true` or `false`",
    };
    let meant = if meant.starts_with('`') {
        meant.to_owned()
    } else {
        format!("`{meant}`")
    };
    Diagnostic::error(
        "S133",
        place,
        format!(
            "`{word}` is not a boolean: payspec reads YAML 1.2, where only `true` and `false` are"
        ),
    )
    .hint(format!(
        "write {meant} (YAML 1.1 words such as `yes`, `no`, `on`, `off` are read as strings)"
    ))
}

/// The message and hint of an error that says the file goes beyond a limit of the YAML
/// reader (size, depth, aliases), rather than being malformed.
fn limit_breached(e: &serde_saphyr::Error) -> Option<(String, String)> {
    use serde_saphyr::granit_parser::ErrorKind;
    use serde_saphyr::{Error, ExternalMessageSource};
    let mut e = e;
    while let Error::WithSnippet { error, .. } | Error::AliasError { error, .. } = e {
        e = error;
    }
    let aliases = || {
        (
            "the file expands YAML aliases (`*name`) beyond what payspec reads".to_owned(),
            format!(
                "an alias is read as a copy of what its anchor names; payspec replays at most {} events from aliases, nested at most {} deep, and the real specs use none: write the values out",
                limits::MAX_ALIAS_EVENTS,
                limits::MAX_ALIAS_NESTING
            ),
        )
    };
    let too_big = |what: String| {
        (
            what,
            "spec/lyra.yaml, the biggest real spec, has 13,000 YAML nodes: split the API into several spec files (each with its own `api.name`), or, if one API really is this big, raise the limit in codegen/src/limits.rs".to_owned(),
        )
    };
    let too_deep = || {
        (
            format!(
                "the file nests YAML mappings and sequences more than {} deep",
                limits::MAX_YAML_DEPTH
            ),
            format!(
                "the real specs nest 10 deep, and a value in an example at most {}: flatten the value",
                limits::MAX_JSON_DEPTH
            ),
        )
    };
    match e {
        Error::ExternalMessage { source, .. }
            if matches!(
                source.as_ref(),
                ExternalMessageSource::Parser(scan)
                    if matches!(scan.kind(), ErrorKind::RecursionLimitExceeded)
            ) =>
        {
            Some(too_deep())
        }
        Error::Budget { breach, .. } => Some(match breach {
            BudgetBreach::Nodes { .. } => too_big(format!(
                "the file has more than {} YAML nodes (scalars, mappings and sequences), the most payspec reads in one spec",
                limits::MAX_YAML_NODES
            )),
            BudgetBreach::Events { .. } => too_big(format!(
                "the file has more than {} YAML events (nodes, their ends and alias replays), the most payspec reads in one spec",
                limits::MAX_YAML_EVENTS
            )),
            BudgetBreach::Depth { .. } => too_deep(),
            BudgetBreach::ScalarBytes { .. } => too_big(
                "the file holds more text in its values than payspec reads in one spec (64 MiB)"
                    .to_owned(),
            ),
            BudgetBreach::Documents { .. } => (
                "the file holds too many YAML documents (`---`)".to_owned(),
                "a spec file is one YAML document: one API per file".to_owned(),
            ),
            BudgetBreach::Aliases { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. }
            | BudgetBreach::MergeKeys { .. } => aliases(),
            other => (
                format!("the file goes beyond a limit of the YAML reader ({other:?})"),
                "see spec/README.md, \"Limits\"".to_owned(),
            ),
        }),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => Some(aliases()),
        _ => None,
    }
}

/// serde-saphyr prefixes messages with `error: line L column C: `; the diagnostic carries the
/// location itself.
fn strip_location(message: &str) -> &str {
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let message = match message.find(": ") {
        Some(at) if message.starts_with("line ") => &message[at + 2..],
        _ => message,
    };
    let message = message
        .split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(message);
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(", column ") => &message[..at],
        _ => message,
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

/// "did you mean" for an unknown key, from serde's `unknown field `x`, expected one of …`.
fn suggest_key(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let expected = rest
        .split_once("expected one of ")
        .map(|(_, list)| list)
        .or_else(|| rest.split_once("expected ").map(|(_, one)| one))?;
    let candidates = expected.split(", ").map(|c| c.trim_matches('`'));
    let best = crate::diagnostics::did_you_mean(key, candidates)?;
    Some(format!("did you mean `{best}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_key() {
        let message = "unknown field `parms`, expected one of summary, params, response";
        assert_eq!(
            suggest_key(message).as_deref(),
            Some("did you mean `params`?")
        );
        assert_eq!(
            suggest_key("unknown field `zzz`, expected one of a, b"),
            None
        );
    }

    #[test]
    fn locates_shape_errors() {
        let d = load("spec/x.yaml", "format: 1\napi: 3\n").expect_err("api must be a mapping");
        assert_eq!((d.code, d.place.line, d.place.column), ("S001", 2, 6));
    }
}
