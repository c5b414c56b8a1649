//! The bounds on how deep or big a spec may be, so that every recursion codegen does has a
//! small, fixed depth and no spec can overflow the stack.
//!
//! Each limit is far above what the real specs use (noted beside it) and is documented in
//! spec/README.md, "Limits". Going over one is a located diagnostic, never a crash.

/// Deepest nesting of `list<…>`/`map<…>` in one type expression (S026). The real specs nest
/// at most 2 deep (`list<map<…>>`).
pub const MAX_TYPE_DEPTH: usize = 16;

/// Most segments in one dotted path of a parameter or field (S027): `a.b[].c` has 3. Each
/// segment but the last is a nested struct. The real specs use at most 4.
pub const MAX_PATH_SEGMENTS: usize = 16;

/// Deepest nesting of arrays and objects in one JSON value of the spec: an example's request
/// or response, a preset's value (S029). Preset values become `serde_json::json!` calls,
/// which stop compiling about 30 levels deep. The real specs nest at most 4 deep.
pub const MAX_JSON_DEPTH: usize = 16;

/// Deepest nesting of YAML mappings and sequences in a spec file (S028). The real specs nest
/// 10 deep; an example adds at most [`MAX_JSON_DEPTH`].
pub const MAX_YAML_DEPTH: usize = 64;

/// Most YAML nodes (scalars, mappings, sequences) in one spec file (S028). `spec/lyra.yaml`,
/// the biggest real spec (6,500 lines), has 13,000; this is 19 times as many, a file of about
/// 120,000 lines, which a debug build of codegen turns into code in about 30 seconds (and
/// 450 MB). No payment API comes near it; a file beyond it is generated or hostile.
pub const MAX_YAML_NODES: usize = 250_000;

/// Most events the YAML parser may produce for one file: every node ends once, and aliases
/// replay theirs.
pub const MAX_YAML_EVENTS: usize = 3 * MAX_YAML_NODES;

/// Most events replayed from aliases (`*name`) in one file: an alias is read as a copy of what
/// it names, so a few lines can stand for millions of nodes. The real specs use no alias.
pub const MAX_ALIAS_EVENTS: usize = 100_000;

/// Most nested alias expansions (an alias inside what an alias names).
pub const MAX_ALIAS_NESTING: usize = 8;

/// The message of a JSON value nested deeper than [`MAX_JSON_DEPTH`]; `load` gives it its code.
pub const JSON_TOO_DEEP: &str = "the value nests arrays and objects more than 16 deep";

/// A value quoted in a diagnostic, cut to a readable length.
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_limits() {
        assert!(JSON_TOO_DEEP.contains(&format!(" {MAX_JSON_DEPTH} ")));
    }

    #[test]
    fn excerpts_cut_long_values() {
        assert_eq!(excerpt("short"), "short");
        let long = "é".repeat(100);
        assert_eq!(excerpt(&long).chars().count(), 61);
    }
}
