//! The semantic diff of two IRs: what changed in the specs, seen by a Rust user of the produced
//! crate, and the semver bump it implies (`cargo xtask diff <rev>` prints it).
//!
//! Pure: [`compare`] reads two IRs, in which `lower` has already decided every Rust name, and
//! lists the changes; [`report`] writes them as Markdown. Reading the specs at a git revision is
//! xtask's job (`xtask/src/diff.rs`).
//!
//! # Classification
//!
//! Items are matched by what identifies them for a user: API module name, operation id,
//! environment key, Rust type name, dotted wire path of a parameter or field, enum wire value,
//! data column, preset name, notification module, key and field wire names. A rename is
//! therefore a removal plus an addition. A removed or added container (API, operation, type,
//! enum, notification) is reported once, without its contents; so is an object whose field is
//! removed, added or retyped (a nested object replaced by a named type, an object turned into a
//! list of objects): its fields go with it.
//!
//! **Breaking** (major): the compiled user code or the calls it makes stop working as before.
//! - API module, operation, type, enum, environment, notification, preset, pager, data column,
//!   notification key or field removed; a Rust name of a kept item changed.
//! - An operation's HTTP method or path changed, or a parameter moved between body, path and
//!   query: the call goes out differently on the wire. So does an operation's body encoding
//!   (`json` <-> `form`) or the API's `api.form` conventions.
//! - `retry: never -> safe`: the client may now resend a call that was sent at most once. It
//!   compiles, but a call that moves money may now be sent twice, so it needs a major bump.
//! - An operation's response type changed (the method returns another type). For an answer
//!   that is one of several types (an open, `#[non_exhaustive]` enum with an `Other` fallback),
//!   an alternative removed or told by another `_type` is breaking, one added is additive.
//! - A parameter removed; a required parameter added; a parameter becoming required *or* no
//!   longer required (either way the arguments of `new` change); the required arguments of a
//!   `new` reordered (same types would silently swap values).
//! - A type change of a parameter or field, as seen in Rust (`integer` -> `string`).
//! - A parameter no longer nullable (`Nullable::Null` is refused). A parameter *becoming*
//!   nullable is breaking too: its public field changes type (`Option<T>` ->
//!   `Option<Nullable<T>>`) and a `&str` argument no longer converts into `Nullable<String>`.
//! - A constraint tightened (smaller `max`/`max_length`, larger `min`/`min_length`, a `pattern`
//!   added or changed, `ascii` added): requests that validated before now fail.
//! - `sensitive` removed: the value now shows in `Debug` output and in error excerpts.
//! - A field removed from a named type, or its type changed.
//! - An enum value removed, or its variant renamed; an open enum becoming closed (`Unknown`
//!   disappears and unlisted values no longer decode); a `null` value added or removed
//!   (`as_str()` switches between `&str` and `Option<&str>`).
//! - A value added to a CLOSED enum. Generated enums are `#[non_exhaustive]`, so no `match`
//!   outside the crate stops compiling. It is still breaking, as the issue says: a closed enum
//!   promises that its list is complete (values the client sends, lists known to be complete),
//!   and code built on that promise (a `match` whose wildcard arm is `unreachable!()`, tables
//!   indexed by `ALL`, a UI offering every value) is now wrong without any compiler error. For
//!   values received, decoding changes too: what was a decoding error is now a variant.
//! - A datum of an enum value changed or removed, a data accessor switching between `T` and
//!   `Option<T>`, `minor_units` removed or moved to another column: the values code computes
//!   with (ISO codes, the minor-unit digits of amounts) change.
//! - A base URL changed: calls made with `Environment::X` now go to another host.
//! - The API's protocol or error-code enum changed (`Error` changes type); an authentication
//!   scheme removed, or its settings changed (header, query parameter, prefix, token URL,
//!   scopes, client auth).
//! - A notification's verification changed (signature, algorithm, key or payload field,
//!   slash unescaping, default key) or its payload type changed: notifications that verified
//!   before may be refused, or decode into another type.
//! - A preset's values changed: the same method now sends something else.
//! - A fixed header (`api.headers`) added, removed or changed: every call sends something else,
//!   and an API version header changes what the server answers. The idempotency header
//!   removed or renamed, or its key limit lowered (keys callers give may be refused).
//!
//! **Additive** (minor): new API, operation, optional parameter, field, type, enum, value of an
//! open enum (it decoded as `Unknown` before), environment, preset, pager, notification, key,
//! notification field, data column or datum, `minor_units`; a constraint loosened;
//! `retry: safe -> never` (retries stop, which is always safe); `sensitive` added (more is
//! redacted); a closed enum becoming open (decoding accepts more, `Unknown` and `is_unknown`
//! appear; the enum is `#[non_exhaustive]`, so the new variant breaks no `match`; a data
//! accessor turning into `Option` because of it is reported on its own as breaking); the order
//! of an enum's values (the order of `ALL`); an idempotency header declared, or its key limit
//! raised or lifted; an authentication scheme added.
//!
//! **Docs only** (patch): the `Text` of titles, summaries, descriptions, docs, rules, example
//! titles and `unverified` notes, compared per language; `source`; the documented errors; the
//! examples; `recommended`; `type_tag`; and a format change that keeps the Rust type
//! (`date` -> `string` is `String` both times and nothing validates it). All the documentation
//! changes of one item make one entry.

mod compare;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

pub use compare::compare;

/// How a change affects a user of the produced crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Code that compiled, or calls that worked, may not any more: major.
    Breaking,
    /// Something new, or more accepted: minor.
    Additive,
    /// Only the documentation changes: patch.
    DocsOnly,
}

impl Kind {
    fn title(self) -> &'static str {
        match self {
            Kind::Breaking => "Breaking",
            Kind::Additive => "Additive",
            Kind::DocsOnly => "Docs only",
        }
    }
}

/// One change of the produced crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its classification.
    pub kind: Kind,
    /// The API module (`lyra`).
    pub api: String,
    /// What changed: empty for the module itself, `Transaction/Duplicate`,
    /// `Transaction/Duplicate param cardDuplicate.captureDelay`, `Transaction::amount`,
    /// `Currency::Eur`, `Environment::Test`, …
    pub item: String,
    /// A sentence saying what changed and why it matters.
    pub what: String,
}

impl Change {
    /// The change as one Markdown list item (without the leading `- `).
    pub fn line(&self) -> String {
        let item = if self.item.is_empty() {
            "(module)".to_owned()
        } else if let Some((subject, rest)) = [" param ", " preset "]
            .iter()
            .find_map(|sep| self.item.split_once(sep).map(|(a, b)| (a, (sep.trim(), b))))
        {
            format!("`{subject}` {} `{}`", rest.0, rest.1)
        } else {
            format!("`{}`", self.item)
        };
        format!("**{}** {item}: {}", self.api, self.what)
    }
}

/// The semver bump a list of changes implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// No change at all.
    None,
    /// Docs only.
    Patch,
    /// Additive.
    Minor,
    /// Breaking.
    Major,
}

impl Bump {
    /// The bump of the most serious change.
    pub fn of(changes: &[Change]) -> Bump {
        changes
            .iter()
            .map(|c| match c.kind {
                Kind::Breaking => Bump::Major,
                Kind::Additive => Bump::Minor,
                Kind::DocsOnly => Bump::Patch,
            })
            .max()
            .unwrap_or(Bump::None)
    }

    /// `major`, `minor`, `patch` or `no change`.
    pub fn name(self) -> &'static str {
        match self {
            Bump::None => "no change",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The report: changes grouped by kind, then the bump.
pub fn report(rev: &str, changes: &[Change]) -> String {
    let mut out = format!("# Spec changes from {rev} to the working tree\n\n");
    if changes.is_empty() {
        out.push_str("No change for users of the produced crate.\n\n");
    }
    for kind in [Kind::Breaking, Kind::Additive, Kind::DocsOnly] {
        let of_kind: Vec<&Change> = changes.iter().filter(|c| c.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {} ({})\n", kind.title(), of_kind.len());
        for change in of_kind {
            let _ = writeln!(out, "- {}", change.line());
        }
        out.push('\n');
    }
    let count = |kind| changes.iter().filter(|c| c.kind == kind).count();
    let bump = Bump::of(changes);
    let _ = match bump {
        Bump::None => writeln!(out, "Semver bump: no change"),
        _ => writeln!(
            out,
            "Semver bump: **{}** ({} breaking, {} additive, {} docs-only)",
            bump.name(),
            count(Kind::Breaking),
            count(Kind::Additive),
            count(Kind::DocsOnly)
        ),
    };
    out
}
