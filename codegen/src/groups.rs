//! Parameter groups (format 2): `customer: {group: Customer}` stands for every parameter of
//! the group `Customer` under `customer.`. `expand` writes them out in place, in the
//! operations and in the groups themselves, and records each use (`uses`), so that `check` and
//! the example walk see plain dotted parameters while `lower` emits one Rust type per group.
//!
//! Problems are S062 (unknown group), S063 (a group that contains itself) and S064 (a group
//! use with other keys, a parameter with neither `type` nor `group`, a group in a named type,
//! fields added under a group's path, an expansion too large), and the warning S066 (a group
//! no operation uses).

use crate::diagnostics::{Diagnostic, Place, did_you_mean};
use crate::paths;
use crate::spec::{Entries, Group, GroupUse, Param, Spanned, SpecFile};

/// The most parameters one operation or group may expand to: groups used several times
/// inside groups multiply, and a hostile spec could make that exponential.
pub const MAX_EXPANDED: usize = 20_000;

/// Expands every group use of `spec` in place and returns the problems found.
pub fn expand(file: &str, spec: &mut SpecFile) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (_, ty) in spec.types.iter() {
        for (key, field) in ty.fields.iter() {
            if let Some(group) = &field.group {
                diags.push(
                    Diagnostic::error("S064", Place::of(file, group), format!("`{}` uses a group in a named type", key.value))
                        .hint("groups hold operation parameters; in `types:` give the field a named type instead"),
                );
            } else if field.ty.value.is_empty() {
                diags.push(no_type(file, key));
            }
        }
    }
    let groups = &spec.groups;
    let mut expanded_groups = Vec::new();
    for (name, group) in groups.iter() {
        let mut walk = Walk {
            file,
            groups,
            diags: &mut diags,
            stack: vec![name.value.clone()],
            out: Vec::new(),
            uses: Vec::new(),
            too_big: false,
        };
        walk.params(&group.params, "");
        walk.own_paths(&group.params);
        expanded_groups.push((walk.out, walk.uses));
    }
    for op in spec.operations.values_mut() {
        let mut walk = Walk {
            file,
            groups,
            diags: &mut diags,
            stack: Vec::new(),
            out: Vec::new(),
            uses: Vec::new(),
            too_big: false,
        };
        walk.params(&op.params, "");
        walk.own_paths(&op.params);
        op.params = Entries::new(walk.out);
        op.uses = walk.uses;
    }
    // Uses inside groups are expanded into the operations too: what no operation reaches is
    // dead weight in the spec and in the crate.
    let used: std::collections::BTreeSet<&str> = (spec.operations.iter())
        .flat_map(|(_, op)| op.uses.iter().map(|u| u.group.as_str()))
        .collect();
    for (name, _) in spec.groups.iter() {
        if !used.contains(name.value.as_str()) {
            diags.push(
                Diagnostic::warning(
                    "S066",
                    Place::of(file, name),
                    format!("no operation uses the group `{}`", name.value),
                )
                .hint("use it with `{ group: Name }`, or remove it"),
            );
        }
    }
    for (group, (params, uses)) in spec.groups.values_mut().zip(expanded_groups) {
        group.params = Entries::new(params);
        group.uses = uses;
    }
    diags
}

fn no_type(file: &str, key: &Spanned<String>) -> Diagnostic {
    Diagnostic::error(
        "S064",
        Place::of(file, key),
        format!("`{}` has no `type`", key.value),
    )
    .hint("give it a `type:`, or `group: Name` to use a parameter group (format 2)")
}

/// The expansion of one operation's or group's parameters.
struct Walk<'a, 'd> {
    file: &'a str,
    groups: &'a Entries<Group>,
    diags: &'d mut Vec<Diagnostic>,
    /// The groups being expanded, outermost first (a cycle comes back to one of them).
    stack: Vec<String>,
    out: Vec<(Spanned<String>, Param)>,
    uses: Vec<GroupUse>,
    too_big: bool,
}

impl Walk<'_, '_> {
    fn params(&mut self, params: &Entries<Param>, prefix: &str) {
        for (key, param) in params.iter() {
            let full = if prefix.is_empty() {
                key.value.clone()
            } else {
                format!("{prefix}.{}", key.value)
            };
            let Some(group) = &param.group else {
                if param.ty.value.is_empty() {
                    self.diags.push(no_type(self.file, key));
                    continue;
                }
                if self.out.len() >= MAX_EXPANDED {
                    self.too_big(key);
                    return;
                }
                let mut key = key.clone();
                key.value = full;
                self.out.push((key, param.clone()));
                continue;
            };
            if let Some(other) = other_key(param) {
                self.diags.push(
                    Diagnostic::error(
                        "S064",
                        Place::of(self.file, key),
                        format!(
                            "`{}` uses the group `{}` and also sets `{other}`",
                            key.value, group.value
                        ),
                    )
                    .hint(
                        "a group use takes only `group:`; set the keys on the group's parameters",
                    ),
                );
                continue;
            }
            let Some(body) = self.groups.get(&group.value) else {
                let mut d = Diagnostic::error(
                    "S062",
                    Place::of(self.file, group),
                    format!("unknown group `{}`", crate::limits::excerpt(&group.value)),
                );
                let names = self.groups.iter().map(|(k, _)| k.value.as_str());
                d = match did_you_mean(&group.value, names) {
                    Some(best) => d.hint(format!("did you mean `{best}`?")),
                    None => d.hint("define it under `groups:` at the top level"),
                };
                self.diags.push(d);
                continue;
            };
            if let Some(first) = self.stack.iter().position(|g| *g == group.value) {
                let mut chain = self.stack[first..].to_vec();
                chain.push(group.value.clone());
                self.diags.push(
                    Diagnostic::error(
                        "S063",
                        Place::of(self.file, group),
                        format!("the group `{}` contains itself: {}", group.value, chain.join(" -> ")),
                    )
                    .hint("a group cannot use itself, directly or through other groups; for a recursive shape name an object type under `types:`"),
                );
                continue;
            }
            // Each level adds a segment, so `lower`'s path limit (S027) bounds real specs;
            // this bound keeps the walk shallow whatever the spec.
            if self.stack.len() > crate::limits::MAX_PATH_SEGMENTS {
                self.too_big(key);
                return;
            }
            let Some(path) = paths::normalize(&full) else {
                // `lower` reports the broken key.
                continue;
            };
            self.uses.push(GroupUse {
                path,
                group: group.value.clone(),
            });
            self.stack.push(group.value.clone());
            self.params(&body.params, &full);
            self.stack.pop();
            if self.too_big {
                return;
            }
        }
    }

    fn too_big(&mut self, key: &Spanned<String>) {
        if !self.too_big {
            self.too_big = true;
            self.diags.push(
                Diagnostic::error(
                    "S064",
                    Place::of(self.file, key),
                    format!("the parameters expand to more than {MAX_EXPANDED} through groups"),
                )
                .hint("groups used inside groups multiply; use fewer levels"),
            );
        }
    }

    /// S064 for a parameter written beside a group use, under its path: the group's type is
    /// shared, so one operation cannot add to it.
    fn own_paths(&mut self, params: &Entries<Param>) {
        let own_uses: Vec<&GroupUse> = self
            .uses
            .iter()
            .filter(|u| {
                params.iter().any(|(k, p)| {
                    p.group.is_some() && paths::normalize(&k.value).as_ref() == Some(&u.path)
                })
            })
            .collect();
        for (key, param) in params.iter() {
            let Some(path) = paths::normalize(&key.value) else {
                continue;
            };
            for u in &own_uses {
                if path.starts_with(&format!("{}.", u.path))
                    || (param.group.is_none() && path == u.path)
                {
                    self.diags.push(
                        Diagnostic::error("S064", Place::of(self.file, key), format!("`{}` adds to the group `{}` used at `{}`", key.value, u.group, u.path))
                            .hint("every use of a group is one shared Rust type: add the parameter to the group, or write this block out without the group"),
                    );
                }
            }
        }
    }
}

/// The first key besides `group` that a group use sets, if any.
fn other_key(p: &Param) -> Option<&'static str> {
    let set = [
        (!p.ty.value.is_empty(), "type"),
        (p.location.is_some(), "in"),
        (p.doc.is_some(), "doc"),
        (p.required.is_some(), "required"),
        (p.recommended, "recommended"),
        (p.nullable.is_some(), "nullable"),
        (p.name.is_some(), "name"),
        (p.min.is_some(), "min"),
        (p.max.is_some(), "max"),
        (p.min_length.is_some(), "min_length"),
        (p.max_length.is_some(), "max_length"),
        (p.ascii.is_some(), "ascii"),
        (p.pattern.is_some(), "pattern"),
        (p.sensitive, "sensitive"),
    ];
    set.iter().find(|(on, _)| *on).map(|(_, k)| *k)
}
