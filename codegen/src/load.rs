//! YAML text -> spec structs, with a located diagnostic when the text is not a valid spec.

use crate::diagnostics::{Diagnostic, Place};
use crate::limits;
use crate::spec::{Entries, Enum, Group, Notification, ObjectType, Operation, Spanned, SpecFile};
use serde::de::IgnoredAny;
use serde_saphyr::budget::BudgetBreach;

/// Parses one spec file: [`load_all`], keeping the first diagnostic.
pub fn load(file: &str, text: &str) -> Result<SpecFile, Diagnostic> {
    load_all(file, text).map_err(|mut diags| diags.remove(0))
}

/// Parses one spec file. The YAML-level mistakes the [scan](crate::prescan) of the raw text
/// finds (tabs, indentation, unquoted `,` `:` `#` in `{ … }`, open quotes and brackets) are
/// all reported, at their lines, instead of the reader's error. Otherwise a YAML syntax error,
/// or a file too big or too deep for the [limits](crate::limits), stops this file at the
/// first one, located; shape errors (unknown key, wrong value type, missing key, duplicate
/// key) are all reported, one per entry of `operations`, `types`, `groups`, `enums` and
/// `notifications` and one for the rest of the file ([`every_shape_error`]), each at its line.
/// The list is never empty.
pub fn load_all(file: &str, text: &str) -> Result<SpecFile, Vec<Diagnostic>> {
    let scan = crate::prescan::scan(file, text);
    if !scan.certain.is_empty() {
        return Err(scan.certain);
    }
    let first = match parse::<SpecFile>(file, text) {
        Ok(spec) => return Ok(spec),
        Err(d) => d,
    };
    let (mut found, explained) = match first.code {
        // A limit of the whole file (S028) is not a shape error: nothing more to read.
        "S001" | "S029" | "S133" => every_shape_error(file, text).unwrap_or_default(),
        _ => (Vec::new(), Vec::new()),
    };
    // Never lose the reader's own error, unless a piece reports it (maybe at a better place).
    if !found
        .iter()
        .chain(&explained)
        .any(|d| d.place == first.place || d.message == first.message)
    {
        found.push(first);
    }
    // A value continued on a deeper line: the reader fails on it or on the line above.
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in found {
        let suspect = (d.code == "S001")
            .then(|| {
                scan.suspects
                    .iter()
                    .find(|(above, s)| d.place.line == *above || d.place.line == s.place.line)
            })
            .flatten();
        let d = suspect.map_or(d, |(_, s)| s.clone());
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out.sort_by(|a, b| a.place.cmp(&b.place));
    Err(out)
}

/// The entries of the sections a spec lists by name, read without their contents: where each
/// one is.
#[derive(serde::Deserialize)]
struct Outline {
    #[serde(default)]
    operations: Entries<IgnoredAny>,
    #[serde(default)]
    types: Entries<IgnoredAny>,
    #[serde(default)]
    groups: Entries<IgnoredAny>,
    #[serde(default)]
    enums: Entries<IgnoredAny>,
    #[serde(default)]
    notifications: Entries<IgnoredAny>,
}

/// Every shape error of a file the reader refused, each at its own line: each entry of the
/// named sections (an operation, a type, a group, an enum, a notification) is decoded on its
/// own, from the file's text with every other line left blank, so its lines and columns are
/// the file's; then the rest of the file, each section an empty mapping. Each piece gives at
/// most its first error, and a piece that fails adds nothing else: one mistake, one
/// diagnostic. Second come the diagnostics a later one explains and replaces (the `missing
/// field `method`` of an entry followed by an entry named `method`: a key dedented). `None`
/// when the file cannot be cut into pieces (a section is not a block mapping whose keys start
/// their lines): the caller keeps the reader's one error.
pub fn every_shape_error(file: &str, text: &str) -> Option<(Vec<Diagnostic>, Vec<Diagnostic>)> {
    // Entries given twice are each read (the reader's own error already names the second).
    let mut lenient = options();
    lenient.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    let outline: Outline = serde_saphyr::from_str_with_options(text, lenient).ok()?;
    let lines: Vec<&str> = text.split('\n').collect();
    let mut blank = vec![false; lines.len()];
    let mut found = Vec::new();
    let mut explained = Vec::new();
    let sections = [
        (
            &outline.operations,
            Section::of::<Operation>("an operation"),
        ),
        (&outline.types, Section::of::<ObjectType>("a type")),
        (&outline.groups, Section::of::<Group>("a parameter group")),
        (&outline.enums, Section::of::<Enum>("an enum")),
        (
            &outline.notifications,
            Section::of::<Notification>("a notification"),
        ),
    ];
    let mut firsts = Vec::new();
    for (entries, section) in sections {
        // The diagnostic of the entry before, not yet pushed: a dedented key may explain it.
        let mut before: Option<Diagnostic> = None;
        for (i, (key, _)) in entries.iter().enumerate() {
            let (range, indent) = entry_lines(&lines, key)?;
            if i == 0 {
                firsts.push((range.start, indent));
            }
            let mut error = (section.entry)(file, &lines, range.clone(), key);
            if i > 0 && error.is_some() && (section.has_key)(&key.value) {
                // A key of the entry above written one level too shallow (`method:` under
                // `operations:`): one mistake, so the entry above's `missing field` goes.
                let missing = format!("missing field `{}`", key.value);
                if before.as_ref().is_some_and(|d| d.message == missing) {
                    explained.extend(before.take());
                }
                error = Some(dedented_key(file, text, key, section.what));
            }
            found.extend(before.take());
            before = error;
            blank[range].iter_mut().for_each(|b| *b = true);
        }
        found.extend(before);
    }
    // The rest: each section an empty mapping (`{}` where its first entry was).
    let mut rest: Vec<String> = lines
        .iter()
        .zip(&blank)
        .map(|(line, blank)| {
            if *blank {
                String::new()
            } else {
                (*line).to_owned()
            }
        })
        .collect();
    for at in firsts {
        rest[at.0] = format!("{}{{}}", " ".repeat(at.1));
    }
    found.extend(parse::<SpecFile>(file, &rest.join("\n")).err());
    Some((found, explained))
}

/// [`entry_error`] for one type: the file, its lines, the entry's lines, the entry's key.
type EntryDecoder =
    fn(&str, &[&str], std::ops::Range<usize>, &Spanned<String>) -> Option<Diagnostic>;

/// How the entries of one section are read alone.
struct Section {
    /// What an entry is, for messages: `an operation`.
    what: &'static str,
    /// [`entry_error`] for the entries' type.
    entry: EntryDecoder,
    /// Whether a name is one of the keys of an entry (`method` of an operation).
    has_key: fn(&str) -> bool,
}

impl Section {
    fn of<T: serde::de::DeserializeOwned + schemars::JsonSchema>(what: &'static str) -> Section {
        Section {
            what,
            entry: entry_error::<T>,
            has_key: |name| {
                let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
                schema["properties"].get(name).is_some()
            },
        }
    }
}

/// An entry named like a key of the entry type, that does not read as an entry: a key of the
/// entry above written one level too shallow.
fn dedented_key(file: &str, text: &str, key: &Spanned<String>, what: &str) -> Diagnostic {
    let place = Place::of(file, key);
    let hint = crate::prescan::dedent_hint(text, place.line).unwrap_or_else(|| {
        format!(
            "`{}` is a key of {what}: indent it under the entry it belongs to",
            key.value
        )
    });
    Diagnostic::error(
        "S001",
        place,
        format!(
            "`{}` stands where the name of {what} goes, but it is one of the keys of {what}",
            key.value
        ),
    )
    .hint(hint)
}

/// The first shape error of the entry under `key` (its `lines`), decoded alone as a `T`, from
/// the file's text with every other line blank. A required key of the entry itself that is
/// missing is reported at the entry's key (the reader places it on the entry's last key).
fn entry_error<T: serde::de::DeserializeOwned + schemars::JsonSchema>(
    file: &str,
    lines: &[&str],
    range: std::ops::Range<usize>,
    key: &Spanned<String>,
) -> Option<Diagnostic> {
    let mut piece = "\n".repeat(range.start);
    piece.push_str(&lines[range.clone()].join("\n"));
    piece.push('\n');
    let mut d = parse::<Entries<T>>(file, &piece).err()?;
    let missing = d
        .message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'));
    if let Some(missing) = missing {
        let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
        let required = schema["required"]
            .as_array()
            .is_some_and(|r| r.iter().any(|k| k == missing));
        if required && !child_keys(&lines[range]).contains(&missing) {
            d.place = Place::of(file, key);
        }
    }
    Some(d)
}

/// The keys one level under an entry written in block style (`lines` starts with its key).
fn child_keys<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let content = |l: &&&str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let indent = |l: &str| l.chars().take_while(|c| *c == ' ').count();
    let children: Vec<&&str> = lines.iter().skip(1).filter(content).collect();
    let Some(level) = children.iter().map(|l| indent(l)).min() else {
        return Vec::new();
    };
    children
        .into_iter()
        .filter(|l| indent(l) == level)
        .filter_map(|l| l.trim().split(':').next())
        .map(|k| k.trim().trim_matches(['"', '\'']))
        .collect()
}

/// The lines (0-based, end excluded) of the entry under `key`, its key's line and every line
/// after it that is blank, a comment or indented deeper than the key; and the key's
/// indentation. `None` when the key does
/// not start its line (a flow mapping, an anchor before it).
fn entry_lines(lines: &[&str], key: &Spanned<String>) -> Option<(std::ops::Range<usize>, usize)> {
    let start = usize::try_from(key.referenced.line())
        .ok()?
        .checked_sub(1)?;
    let indent = usize::try_from(key.referenced.column())
        .ok()?
        .checked_sub(1)?;
    let line = lines.get(start)?;
    let lead = line.chars().take_while(|c| *c == ' ').count();
    if lead != indent {
        return None;
    }
    let end = (start + 1..lines.len())
        .find(|&i| {
            let l = lines[i].trim_end_matches('\r');
            let content = l.trim_start();
            !content.is_empty() && !content.starts_with('#') && l.len() - content.len() <= indent
        })
        .unwrap_or(lines.len());
    Some((start..end, indent))
}

/// The reader's options: YAML 1.2 semantics (`yes`/`no`/`y`/`on` are strings, never booleans,
/// and `04` read without a target type, in examples, stays the string it looks like) and the
/// [limits](crate::limits).
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
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
    }
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| {
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
        } else if let Some(hint) = (message.contains("unknown field")
            && starts_its_line(text, &place))
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
        let first = message
            .strip_prefix("duplicate mapping key: ")
            .and_then(|key| first_of_duplicate_key(text, &place, &first_line(key)));
        let d = Diagnostic::error("S001", place, first_line(&message)).hint(hint);
        match first {
            Some(first) => d.related(first, "first written here"),
            None => d,
        }
    })
}

/// Where the first of two equal keys of one mapping is written, the second being at `place`:
/// in a block mapping, the nearest line above at the key's indentation (after a `- ` for the
/// first key of a list item) that starts with the key, before any line indented less; in a
/// flow mapping, the same key earlier on its line.
fn first_of_duplicate_key(text: &str, place: &Place, key: &str) -> Option<Place> {
    let lines: Vec<&str> = text.lines().collect();
    let index = (place.line as usize).checked_sub(1)?;
    let column = (place.column as usize).checked_sub(1)?;
    let key_at = |line: &str, at: usize| {
        let rest: String = line.chars().skip(at).collect();
        [
            format!("{key}:"),
            format!("\"{key}\":"),
            format!("'{key}':"),
        ]
        .iter()
        .any(|k| rest.starts_with(k.as_str()))
    };
    let at = |line: usize, column: usize| Place {
        file: place.file.clone(),
        line: u32::try_from(line + 1).unwrap_or(u32::MAX),
        column: u32::try_from(column + 1).unwrap_or(u32::MAX),
    };
    // Flow: the key after a `{` or `,` earlier on the same line, in the same mapping (not in
    // a mapping or list nested in it, nor before the `{` that opens it).
    let line: Vec<char> = lines.get(index)?.chars().collect();
    let mut depth = 0usize;
    for i in (0..column.min(line.len())).rev() {
        let opens = match line[i] {
            '}' | ']' => {
                depth += 1;
                continue;
            }
            '[' | '{' if depth > 0 => {
                depth -= 1;
                continue;
            }
            '{' => true,
            ',' if depth == 0 => false,
            _ => continue,
        };
        let start = i + 1 + line[i + 1..].iter().take_while(|c| **c == ' ').count();
        if start < column && key_at(lines[index], start) {
            return Some(at(index, start));
        }
        if opens {
            break;
        }
    }
    if starts_its_line(text, place) {
        for (i, line) in lines.iter().enumerate().take(index).rev() {
            let indent = line.chars().take_while(|c| *c == ' ').count();
            let rest = line.trim_start_matches(' ');
            if rest.is_empty() || rest.starts_with('#') {
                continue;
            }
            let key_column = if rest.starts_with("- ") {
                indent + 2
            } else {
                indent
            };
            if key_column == column && key_at(line, column) {
                return Some(at(i, column));
            }
            if key_column < column {
                return None;
            }
        }
    }
    None
}

/// Whether `place` is the first thing on its line (a block key, not one inside `{ … }`).
fn starts_its_line(text: &str, place: &Place) -> bool {
    let Some(line) = (place.line as usize)
        .checked_sub(1)
        .and_then(|i| text.lines().nth(i))
    else {
        return false;
    };
    let lead = line.chars().take_while(|c| *c == ' ').count();
    place.column as usize == lead + 1
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

    #[test]
    fn every_shape_error_of_a_file_at_its_line() {
        let text = include_str!("../../tests/fixtures/broken/shape_many.yaml");
        let diags = load_all("spec/x.yaml", text).expect_err("four shape errors");
        let found: Vec<(&str, u32, u32)> = diags
            .iter()
            .map(|d| (d.code, d.place.line, d.place.column))
            .collect();
        // An unknown key, a wrong type, a missing key: one operation each; a key written
        // twice in a type.
        assert_eq!(
            found,
            [
                ("S001", 15, 5),
                ("S001", 23, 65),
                ("S001", 25, 3),
                ("S001", 36, 57)
            ],
            "{diags:#?}"
        );
        assert!(
            diags[0].message.contains("unknown field `parms`"),
            "{diags:#?}"
        );
        assert_eq!(diags[0].hint.as_deref(), Some("did you mean `params`?"));
        assert_eq!(diags[1].message, "invalid u32", "{diags:#?}");
        assert!(
            diags[2].message.contains("missing field `method`"),
            "{diags:#?}"
        );
    }

    const HEAD: &str = "format: 2\napi:\n  name: x\n  title: X\n  auth: basic\n  protocol: rest\n  environments:\n    test: { url: \"https://example.com/\" }\n";

    fn operation(id: &str) -> String {
        format!(
            "  {id}:\n    summary: s\n    method: GET\n    path: /a\n    retry: safe\n    response: none\n"
        )
    }

    /// Code, line, column and message of each diagnostic.
    fn found(text: &str) -> Vec<(&'static str, u32, u32, String)> {
        load_all("x.yaml", text)
            .expect_err("a broken spec")
            .into_iter()
            .map(|d| (d.code, d.place.line, d.place.column, d.message))
            .collect()
    }

    /// A key written twice in one mapping shows the first one: block, list item and flow.
    #[test]
    fn a_duplicate_key_points_at_the_first_one() {
        let first = |text: &str| {
            let d = load_all("x.yaml", text).expect_err("a broken spec");
            let d = d
                .iter()
                .find(|d| d.message.starts_with("duplicate mapping key"));
            let d = d.unwrap_or_else(|| panic!("no duplicate key in {d:#?}"));
            d.related.as_ref().map(|r| (r.place.line, r.place.column))
        };
        let op = operation("a/b");
        assert_eq!(
            first(&format!("{HEAD}operations:\n{op}    summary: Again.\n")),
            Some((11, 5))
        );
        assert_eq!(
            first(&format!(
                "{HEAD}operations:\n{op}    params:\n      x: {{ type: string, doc: A., doc: B. }}\n"
            )),
            Some((17, 26))
        );
        // The same key in a mapping nested before it is not the first; nor is a key of another
        // entry on an earlier line.
        assert_eq!(
            first(&format!(
                "{HEAD}operations:\n{op}    examples:\n      - title: T.\n        request: {{ a: {{ a: 1 }}, a: 2 }}\n"
            )),
            Some((18, 20))
        );
        assert_eq!(
            first(&format!(
                "{HEAD}operations:\n{op}    params:\n      x: {{ type: string }}\n      y: {{ doc: A., type: b, type: c }}\n"
            )),
            Some((18, 21))
        );
        assert_eq!(
            first(&format!(
                "{HEAD}operations:\n{op}    params:\n      x:\n        type: string\n        # a comment\n\n        \"type\": integer\n"
            )),
            Some((18, 9))
        );
    }

    #[test]
    fn a_shape_error_of_the_api_and_one_of_an_operation() {
        let text = format!(
            "{HEAD}  colour: red\noperations:\n{}    bad: 1\n",
            operation("a/b")
        );
        let found = found(&text);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!((found[0].1, found[0].2), (9, 3));
        assert!(found[0].3.starts_with("unknown field `colour`"));
        assert_eq!((found[1].1, found[1].2), (17, 5));
        assert!(found[1].3.starts_with("unknown field `bad`"));
    }

    #[test]
    fn a_section_in_flow_style_keeps_the_first_error() {
        let text =
            format!("{HEAD}operations: {{ a/b: {{ summary: s, bad: 1 }}, c/d: {{ nope: 2 }} }}\n");
        let diags = load_all("x.yaml", &text).expect_err("broken");
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!((diags[0].place.line, diags[0].place.column), (9, 34));
        // Not a key at the start of a line: no hint about its indentation.
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("check the key's spelling against spec/README.md; keys are snake_case")
        );
    }

    #[test]
    fn a_key_dedented_to_an_entry_is_one_diagnostic() {
        let text = format!(
            "{HEAD}operations:\n  a/b:\n    summary: s\n    path: /a\n    retry: safe\n    response: none\n  method: GET\n{}",
            operation("c/d")
        );
        let diags = load_all("x.yaml", &text).expect_err("broken");
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let d = &diags[0];
        assert_eq!((d.code, d.place.line, d.place.column), ("S001", 15, 3));
        assert_eq!(
            d.message,
            "`method` stands where the name of an operation goes, but it is one of the keys of an operation"
        );
        assert!(
            d.hint
                .as_deref()
                .is_some_and(|h| h.contains("indent it to column 5")),
            "{d:#?}"
        );
    }

    #[test]
    fn a_duplicate_entry_is_reported_beside_the_other_errors() {
        let text = format!(
            "{HEAD}operations:\n{}{}  x/y:\n    nope: 1\n",
            operation("a/b"),
            operation("a/b")
        );
        let found = found(&text);
        let at: Vec<(u32, u32)> = found.iter().map(|f| (f.1, f.2)).collect();
        assert_eq!(at, [(16, 3), (23, 5)], "{found:#?}");
        assert!(
            found[0].3.starts_with("duplicate mapping key: a/b"),
            "{found:#?}"
        );
        // The first `a/b` is shown beside the second.
        let d = load_all("x.yaml", &text).expect_err("a broken spec");
        let related = d[0].related.as_ref().expect("the first key");
        assert_eq!((related.place.line, related.place.column), (10, 3));
        assert_eq!(related.label, "first written here");
        assert!(found[1].3.starts_with("unknown field `nope`"), "{found:#?}");
    }

    #[test]
    fn comments_between_entries_and_errors_in_two_sections() {
        let text = format!(
            "{HEAD}operations:\n{}# a comment\n  c/d:\n    nope: 1\n# the end\ntypes:\n  T:\n    fields: 3\n",
            operation("a/b")
        );
        let found = found(&text);
        let at: Vec<(u32, u32)> = found.iter().map(|f| (f.1, f.2)).collect();
        assert_eq!(at, [(18, 5), (22, 13)], "{found:#?}");
    }
}
