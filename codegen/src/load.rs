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
        let hint = if let Some(suggestion) = suggest_key(&message) {
            suggestion
        } else if message.contains("unknown field") {
            "check the key's spelling against spec/README.md; keys are snake_case".to_owned()
        } else if message.contains("duplicate mapping key") {
            "each name may appear once in a mapping; rename or merge the two entries".to_owned()
        } else if message.contains("missing field") {
            "add the missing key; spec/README.md lists the required ones".to_owned()
        } else {
            "see spec/README.md for the expected shape".to_owned()
        };
        let place = Place {
            file: file.to_owned(),
            line: line as u32,
            column: column as u32,
        };
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
