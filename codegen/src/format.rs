//! The format version of a spec file: which numbers are read (S002), and the words that only
//! format 2 has (S065). Format 1 is a subset of format 2: a format-1 file loads as before, and
//! a format-2 word in it is an error that says to set `format: 2`.

use crate::diagnostics::{Diagnostic, Place};
use crate::spec::{Param, Spanned, SpecFile};

/// The format versions this payspec reads, oldest first; the last is current.
pub const SUPPORTED: &[u32] = &[1, 2];

/// Where a word occurs in a spec: the location of each use.
type Finder = fn(&SpecFile) -> Vec<&serde_saphyr::Location>;

/// The words of format 2 that format 1 does not have, each with how to find its uses.
/// Adding a word is one line here (and its documentation in spec/README.md, "Format 2").
const FORMAT_2_WORDS: &[(&str, Finder)] = &[
    ("`groups`", |s| {
        s.groups.iter().map(|(k, _)| &k.referenced).collect()
    }),
    ("`group`", |s| {
        at(params(s).filter_map(|(_, p)| p.group.as_ref()))
    }),
    ("`name` on a parameter or field", |s| {
        at(params(s).filter_map(|(_, p)| p.name.as_ref()))
    }),
    ("a quoted path segment", |s| {
        at(params(s).map(|(k, _)| k).filter(|k| k.value.contains('"')))
    }),
];

/// Every parameter and field of the spec with its key: operations, types and groups.
fn params(spec: &SpecFile) -> impl Iterator<Item = (&Spanned<String>, &Param)> {
    let ops = spec.operations.iter().flat_map(|(_, o)| o.params.iter());
    let types = spec.types.iter().flat_map(|(_, t)| t.fields.iter());
    let groups = spec.groups.iter().flat_map(|(_, g)| g.params.iter());
    ops.chain(types).chain(groups)
}

fn at<'a, T: 'a>(values: impl Iterator<Item = &'a Spanned<T>>) -> Vec<&'a serde_saphyr::Location> {
    values.map(|v| &v.referenced).collect()
}

/// S002 for a format number this payspec does not read; S065 for each format-2 word in a
/// format-1 file.
pub fn check(file: &str, spec: &SpecFile) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let version = spec.format.value;
    if !SUPPORTED.contains(&version) {
        let listed: Vec<String> = SUPPORTED.iter().map(|v| format!("`format: {v}`")).collect();
        diags.push(
            Diagnostic::error(
                "S002",
                Place::of(file, &spec.format),
                format!("unsupported format version {version}"),
            )
            .hint(format!(
                "this payspec reads {} (the current one)",
                listed.join(" and ")
            )),
        );
        return diags;
    }
    if version >= 2 {
        return diags;
    }
    for (word, find) in FORMAT_2_WORDS {
        for location in find(spec) {
            let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
            let place = Place {
                file: file.to_owned(),
                line: clamp(location.line()),
                column: clamp(location.column()),
            };
            diags.push(
                Diagnostic::error("S065", place, format!("{word} is a word of format 2, and this file says `format: 1`"))
                    .hint("set `format: 2` at the top of the file: format 1 is a subset of format 2, so nothing else changes"),
            );
        }
    }
    diags
}
