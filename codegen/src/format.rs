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
    ("a list of schemes in `auth`", |s| match &s.api.auth.value {
        crate::spec::Auth::Schemes(_) => vec![&s.api.auth.referenced],
        crate::spec::Auth::Basic => Vec::new(),
    }),
    ("`encoding`", |s| {
        let ops = s.operations.iter().filter_map(|(_, o)| o.encoding.as_ref());
        at(s.api.encoding.iter().chain(ops))
    }),
    ("`encoding: json` of a notification", |s| {
        let json = |n: &&crate::spec::Notification| {
            n.encoding.value == crate::spec::NotificationEncoding::Json
        };
        at(notes(s).filter(json).map(|n| &n.encoding))
    }),
    ("`header` of a signature", |s| {
        at(sigs(s).filter_map(|g| g.header.as_ref()))
    }),
    ("`part` of a signature", |s| {
        at(sigs(s).filter_map(|g| g.part.as_ref()))
    }),
    ("`timestamp_part` of a signature", |s| {
        at(sigs(s).filter_map(|g| g.timestamp_part.as_ref()))
    }),
    ("`signed` of a signature", |s| {
        at(sigs(s).filter_map(|g| g.signed.as_ref()))
    }),
    ("`hmac` of a signature", |s| {
        at(sigs(s).filter_map(|g| g.hmac.as_ref()))
    }),
    ("`encoding` of a signature", |s| {
        at(sigs(s).filter_map(|g| g.encoding.as_ref()))
    }),
    ("`key_encoding` of a signature", |s| {
        at(sigs(s).filter_map(|g| g.key_encoding.as_ref()))
    }),
    ("`tolerance` of a signature", |s| {
        at(sigs(s).filter_map(|g| g.tolerance.as_ref()))
    }),
    ("`style` in `pagination`", |s| {
        let blocks = s
            .operations
            .iter()
            .filter_map(|(_, o)| o.pagination.as_ref());
        at(blocks.filter_map(|p| p.style.as_ref()))
    }),
    ("`discriminator`", |s| {
        let types = s.types.iter().filter_map(|(_, t)| t.discriminator.as_ref());
        at(s.api.discriminator.iter().chain(types))
    }),
    ("`one_of` of a type", |s| {
        at(s.types.iter().filter_map(|(_, t)| t.one_of.as_ref()))
    }),
    ("`expandable<…>`", |s| {
        let types = params(s).map(|(_, p)| &p.ty);
        at(types.filter(|t| t.value.contains("expandable<")))
    }),
    ("`framing`", |s| at(s.api.framing.iter())),
    ("`errors` of the api", |s| at(s.api.errors.iter())),
    ("`type` of `errors`", |s| {
        at(s.api.errors.iter().filter_map(|e| e.value.ty.as_ref()))
    }),
    ("`variables` of an environment", |s| {
        let envs = s.api.environments.iter();
        envs.flat_map(|(_, e)| e.variables.iter().map(|(k, _)| &k.referenced))
            .collect()
    }),
];

/// Every notification of the spec.
fn notes(spec: &SpecFile) -> impl Iterator<Item = &crate::spec::Notification> {
    spec.notifications.iter().map(|(_, n)| n)
}

/// The signature of every notification.
fn sigs(spec: &SpecFile) -> impl Iterator<Item = &crate::spec::Signature> {
    notes(spec).map(|n| &n.signature)
}

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

#[cfg(test)]
mod tests {
    use crate::SourceFile;

    fn spec(format: u32, extra_field: &str) -> Vec<SourceFile> {
        let text = format!(
            "format: {format}
api:
  name: demo
  title: Demo
  auth: basic
  protocol: rest
  environments:
    test: {{ url: \"https://api.example.com\" }}
operations:
  op:
    summary: S.
    method: POST
    path: /op
    retry: never
    params:
      card: {{ type: Card }}
    response: none
types:
  Card:
    fields:
      number: {{ type: string, required: true }}
{extra_field}"
        );
        vec![SourceFile {
            path: "t.yaml".into(),
            text,
        }]
    }

    fn card_number_required(format: u32) -> bool {
        let (ir, _) = crate::build_ir(&spec(format, "")).expect("generates");
        let card = ir.apis[0].struct_ir("Card").expect("Card");
        card.fields[0].required
    }

    #[test]
    fn format_1_still_ignores_required_in_named_types() {
        assert!(!card_number_required(1));
        assert!(card_number_required(2));
    }

    #[test]
    fn format_2_words_in_a_format_1_file_are_located() {
        let sources = spec(1, "      holder: { type: string, name: card_holder }\n");
        let diags = crate::build_ir(&sources).expect_err("refused");
        let d: Vec<_> = diags.iter().map(|d| (d.code, d.place.line)).collect();
        assert_eq!(d, [("S065", 22)]);
        assert!(
            crate::build_ir(&spec(
                2,
                "      holder: { type: string, name: card_holder }\n"
            ))
            .is_ok()
        );
        let diags = crate::build_ir(&spec(7, "")).expect_err("refused");
        assert_eq!(diags[0].code, "S002");
        assert!(
            diags[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("`format: 1` and `format: 2`")
        );
    }
}
