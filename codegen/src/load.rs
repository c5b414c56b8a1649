//! YAML text -> spec structs, with a located diagnostic when the text is not a valid spec.

use crate::diagnostics::{Diagnostic, Place};
use crate::spec::SpecFile;

/// Parses one spec file. YAML syntax and shape errors (unknown key, wrong value type,
/// duplicate key) stop this file at the first one, located.
pub fn load(file: &str, text: &str) -> Result<SpecFile, Diagnostic> {
    // YAML 1.2 semantics: `yes`/`no`/`y`/`on` are strings, never booleans, and `04` read
    // without a target type (examples) stays the string it looks like.
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
    };
    serde_saphyr::from_str_with_options::<SpecFile>(text, options).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        let message = e.without_snippet().to_string();
        let message = strip_location(&message).to_owned();
        let hint = if message.contains("unknown field") {
            "check the key's spelling against spec/README.md; keys are snake_case"
        } else if message.contains("duplicate mapping key") {
            "each name may appear once in a mapping; rename or merge the two entries"
        } else if message.contains("missing field") {
            "add the missing key; spec/README.md lists the required ones"
        } else {
            "see spec/README.md for the expected shape"
        };
        let place = Place { file: file.to_owned(), line: line as u32, column: column as u32 };
        Diagnostic::error("S001", place, first_line(&message)).hint(hint)
    })
}

/// serde-saphyr prefixes messages with `error: line L column C: `; the diagnostic carries the
/// location itself.
fn strip_location(message: &str) -> &str {
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let message = match message.find(": ") {
        Some(at) if message.starts_with("line ") => &message[at + 2..],
        _ => message,
    };
    let message = message.split(", set DuplicateKeyPolicy").next().unwrap_or(message);
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(", column ") => &message[..at],
        _ => message,
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}
