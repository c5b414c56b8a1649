//! The comparison of two IRs: [`compare`] and what it reads of each item.

use std::collections::{BTreeMap, BTreeSet};

use super::{Change, Kind};
use crate::ir::{
    ApiIr, AuthSchemeIr, EnumIr, FieldIr, Ir, LastPage, NotificationIr, OperationIr, PaginationIr,
    PagingStyleIr, Provenance, ResponseIr, StructIr, TypeIr,
};
use crate::spec::{DataValue, Location, RetrySafety, Text};

/// Every change from `old` to `new`, sorted by API, then item.
pub fn compare(old: &Ir, new: &Ir) -> Vec<Change> {
    let mut out = Changes::default();
    let old_apis: BTreeMap<&str, &ApiIr> =
        old.apis.iter().map(|a| (a.module.as_str(), a)).collect();
    let new_apis: BTreeMap<&str, &ApiIr> =
        new.apis.iter().map(|a| (a.module.as_str(), a)).collect();
    for (module, pair) in pairs(&old_apis, &new_apis) {
        out.api = module.to_owned();
        match pair {
            Pair::Removed(o) => out.breaking(
                "",
                format!(
                    "API module `payspec::{module}` (feature `{module}`) removed, with its {}",
                    count(o.operations.len(), "operation")
                ),
            ),
            Pair::Added(n) => out.additive(
                "",
                format!(
                    "new API module `payspec::{module}` (feature `{module}`) with {}",
                    count(n.operations.len(), "operation")
                ),
            ),
            Pair::Both(o, n) => {
                out.aliases = n
                    .aliases
                    .iter()
                    .map(|a| (a.name.clone(), a.target.clone()))
                    .collect();
                out.api(o, n)
            }
        }
    }
    out.finish()
}

/// An item in one or both versions.
enum Pair<V> {
    Removed(V),
    Added(V),
    Both(V, V),
}

/// Joins two keyed maps: every key of either, in key order.
fn pairs<K: Ord + Clone, V: Copy>(old: &BTreeMap<K, V>, new: &BTreeMap<K, V>) -> Vec<(K, Pair<V>)> {
    let keys: BTreeSet<&K> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let pair = match (old.get(k), new.get(k)) {
                (Some(o), Some(n)) => Pair::Both(*o, *n),
                (Some(o), None) => Pair::Removed(*o),
                (None, Some(n)) => Pair::Added(*n),
                (None, None) => return None,
            };
            Some((k.clone(), pair))
        })
        .collect()
}

/// The changes found so far, and the documentation changes to merge per item.
#[derive(Debug, Default)]
struct Changes {
    api: String,
    /// The type aliases of the new version of the API being compared (old name -> type): a
    /// block that became a parameter group keeps its old name as an alias.
    aliases: BTreeMap<String, String>,
    list: Vec<Change>,
    docs: BTreeMap<(String, String), Vec<String>>,
}

impl Changes {
    fn push(&mut self, kind: Kind, item: &str, what: String) {
        self.list.push(Change {
            kind,
            api: self.api.clone(),
            item: item.to_owned(),
            what,
        });
    }

    fn breaking(&mut self, item: &str, what: String) {
        self.push(Kind::Breaking, item, what);
    }

    fn additive(&mut self, item: &str, what: String) {
        self.push(Kind::Additive, item, what);
    }

    fn docs(&mut self, item: &str, aspect: String) {
        self.docs
            .entry((self.api.clone(), item.to_owned()))
            .or_default()
            .push(aspect);
    }

    /// Records a change of a `Text`, if any.
    fn text(&mut self, item: &str, label: &str, old: Option<&Text>, new: Option<&Text>) {
        if let Some(how) = text_change(old, new) {
            self.docs(item, format!("{label} {how}"));
        }
    }

    fn provenance(&mut self, item: &str, old: &Provenance, new: &Provenance) {
        if old.source != new.source {
            let how = match (&old.source, &new.source) {
                (None, Some(s)) => format!("added (`{s}`)"),
                (Some(_), None) => "removed".to_owned(),
                (_, s) => format!("changed to `{}`", s.as_deref().unwrap_or_default()),
            };
            self.docs(item, format!("source {how}"));
        }
        self.text(
            item,
            "unverified note",
            old.unverified.as_ref(),
            new.unverified.as_ref(),
        );
    }

    fn finish(mut self) -> Vec<Change> {
        for ((api, item), aspects) in std::mem::take(&mut self.docs) {
            self.list.push(Change {
                kind: Kind::DocsOnly,
                api,
                item,
                what: format!("documentation: {}", aspects.join("; ")),
            });
        }
        let mut list = self.list;
        list.sort_by(|a, b| {
            (&a.api, &a.item, a.kind, &a.what).cmp(&(&b.api, &b.item, b.kind, &b.what))
        });
        list.dedup();
        list
    }

    /// Per scheme kind: one removed is breaking (its constructor goes, its credentials are
    /// refused), one added additive, one whose settings change breaking (requests carry the
    /// credentials elsewhere, or tokens come from elsewhere), a doc change docs only.
    fn auth(&mut self, o: &ApiIr, n: &ApiIr) {
        for old in &o.auth {
            let kind = old.kind().name();
            match n.auth.iter().find(|a| a.kind() == old.kind()) {
                None => self.breaking(
                    "",
                    format!(
                        "authentication scheme `{kind}` removed: `Credentials::{kind}` is gone and such credentials are refused"
                    ),
                ),
                Some(new) => {
                    if old.scheme != new.scheme {
                        self.breaking(
                            "",
                            format!(
                                "authentication scheme `{kind}` changes from {} to {}: credentials go elsewhere",
                                auth_settings(&old.scheme),
                                auth_settings(&new.scheme)
                            ),
                        );
                    }
                    self.text("", &format!("`{kind}` doc"), old.doc.as_ref(), new.doc.as_ref());
                }
            }
        }
        for new in &n.auth {
            if !o.auth.iter().any(|a| a.kind() == new.kind()) {
                let kind = new.kind().name();
                self.additive(
                    "",
                    format!("new authentication scheme `{kind}`, with `Credentials::{kind}`"),
                );
            }
        }
    }

    /// The framing, whether written as a `protocol` preset or spelled out: what a success
    /// answer is and where errors sit decide how answers decode (breaking); metadata and
    /// headers kept beside the answer only add to `Response`.
    fn framing(&mut self, o: &crate::ir::FramingIr, n: &crate::ir::FramingIr) {
        if let (Some(old), Some(new)) = (o.preset, n.preset) {
            if old != new {
                self.breaking(
                    "",
                    format!(
                        "protocol changes from {} to {}: answers are framed and decoded differently",
                        lower_debug(&old),
                        lower_debug(&new)
                    ),
                );
            }
            return;
        }
        let envelope = |e: &Option<crate::ir::EnvelopeIr>| match e {
            Some(e) => format!("`{}` ({} / {})", e.status, e.success, e.error),
            None => "none".to_owned(),
        };
        if o.answer != n.answer || o.envelope != n.envelope {
            self.breaking(
                "",
                format!(
                    "the success framing changes (answer `{}` to `{}`, envelope status {} to {}): answers are decoded differently",
                    o.answer,
                    n.answer,
                    envelope(&o.envelope),
                    envelope(&n.envelope)
                ),
            );
        }
        if o.errors != n.errors {
            self.breaking(
                "",
                "the error shape changes: error answers are read differently".to_owned(),
            );
        }
        for (what, old, new) in [
            ("metadata", &o.metadata, &n.metadata),
            ("response header", &o.headers, &n.headers),
        ] {
            for gone in old.iter().filter(|x| !new.contains(x)) {
                self.breaking(
                    "",
                    format!("{what} `{gone}` is no longer kept in `Response`"),
                );
            }
            for added in new.iter().filter(|x| !old.contains(x)) {
                self.additive("", format!("{what} `{added}` is kept in `Response`"));
            }
        }
    }

    fn api(&mut self, o: &ApiIr, n: &ApiIr) {
        self.text("", "title", Some(&o.title), Some(&n.title));
        self.text("", "doc", o.doc.as_ref(), n.doc.as_ref());
        self.text("", "auth doc", o.auth_doc.as_ref(), n.auth_doc.as_ref());
        self.auth(o, n);
        self.framing(&o.framing, &n.framing);
        if o.error_codes != n.error_codes {
            let code = |c: &Option<String>| c.clone().unwrap_or_else(|| "String".to_owned());
            self.breaking(
                "",
                format!(
                    "`Error` now carries `{}` error codes instead of `{}`",
                    code(&n.error_codes),
                    code(&o.error_codes)
                ),
            );
        }
        self.environments(o, n);
        self.headers(o, n);
        self.idempotency(o, n);
        if o.form != n.form {
            self.breaking(
                "",
                format!(
                    "`api.form` changes from `{}` to `{}`: forms and list, map and object query \
                     parameters are written differently on the wire",
                    form_words(o.form),
                    form_words(n.form)
                ),
            );
        }
        self.operations(o, n);
        self.groups(o, n);
        self.types(o, n);
        self.enums(o, n);
        self.one_ofs(o, n);
        self.notifications(o, n);
    }

    fn environments(&mut self, o: &ApiIr, n: &ApiIr) {
        let old = o.environments.iter().map(|e| (e.key.as_str(), e)).collect();
        let new = n.environments.iter().map(|e| (e.key.as_str(), e)).collect();
        for (key, pair) in pairs(&old, &new) {
            match pair {
                Pair::Removed(e) => self.breaking(
                    &format!("Environment::{}", e.rust_name),
                    format!("environment `{key}` ({}) removed", e.url),
                ),
                Pair::Added(e) => self.additive(
                    &format!("Environment::{}", e.rust_name),
                    format!("new environment `{key}` ({})", e.url),
                ),
                Pair::Both(oe, ne) => {
                    let item = format!("Environment::{}", ne.rust_name);
                    if oe.rust_name != ne.rust_name {
                        self.breaking(
                            &item,
                            format!("variant renamed from `Environment::{}`", oe.rust_name),
                        );
                    }
                    if oe.url != ne.url {
                        self.breaking(
                            &item,
                            format!(
                                "base URL changes from {} to {}: calls made with this environment go to another host",
                                oe.url, ne.url
                            ),
                        );
                    }
                    self.text(&item, "doc", oe.doc.as_ref(), ne.doc.as_ref());
                    self.provenance(&item, &oe.provenance, &ne.provenance);
                }
            }
        }
    }

    /// Fixed headers go on every call: any change may change what the server answers (an API
    /// version header, say), so every one is breaking.
    fn headers(&mut self, o: &ApiIr, n: &ApiIr) {
        let old = o.headers.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let new = n.headers.iter().map(|(k, v)| (k.as_str(), v)).collect();
        for (name, pair) in pairs(&old, &new) {
            let what = match pair {
                Pair::Removed(v) => format!("fixed header `{name}: {v}` no longer sent"),
                Pair::Added(v) => format!("every call now sends the header `{name}: {v}`"),
                Pair::Both(ov, nv) if ov != nv => {
                    format!("fixed header `{name}` changes from `{ov}` to `{nv}`")
                }
                Pair::Both(..) => continue,
            };
            self.breaking(
                "",
                format!("{what}: the server may answer every call differently"),
            );
        }
    }

    /// The idempotency header: its name and limit are wire behaviour of every keyed call.
    fn idempotency(&mut self, o: &ApiIr, n: &ApiIr) {
        match (&o.idempotency, &n.idempotency) {
            (None, None) => {}
            (Some(old), None) => self.breaking(
                "",
                format!(
                    "idempotency header `{}` removed: no call carries a key any more",
                    old.header
                ),
            ),
            (None, Some(new)) => self.additive(
                "",
                format!("idempotency keys in the header `{}`", new.header),
            ),
            (Some(old), Some(new)) => {
                if old.header != new.header {
                    self.breaking(
                        "",
                        format!(
                            "idempotency header changes from `{}` to `{}`: keys sent before are not the ones the server sees",
                            old.header, new.header
                        ),
                    );
                }
                let limit = |m: Option<u32>| m.map_or("none".to_owned(), |m| m.to_string());
                match (old.max_length, new.max_length) {
                    (a, b) if a == b => {}
                    (Some(a), Some(b)) if b > a => self.additive(
                        "",
                        format!("idempotency key limit raised from {a} to {b} characters"),
                    ),
                    (Some(_), None) => self.additive(
                        "",
                        format!(
                            "idempotency key limit of {} characters lifted",
                            limit(old.max_length)
                        ),
                    ),
                    (a, b) => self.breaking(
                        "",
                        format!(
                            "idempotency key limit changes from {} to {} characters: longer keys callers give are refused",
                            limit(a),
                            limit(b)
                        ),
                    ),
                }
                self.text("", "idempotency doc", old.doc.as_ref(), new.doc.as_ref());
            }
        }
    }

    fn operations(&mut self, o: &ApiIr, n: &ApiIr) {
        let old = o.operations.iter().map(|op| (op.id.as_str(), op)).collect();
        let new = n.operations.iter().map(|op| (op.id.as_str(), op)).collect();
        for (id, pair) in pairs(&old, &new) {
            match pair {
                Pair::Removed(op) => self.breaking(
                    id,
                    format!(
                        "operation removed: `Client::{}` and `{}` are gone",
                        op.method_name, op.request
                    ),
                ),
                Pair::Added(op) => self.additive(
                    id,
                    format!(
                        "new operation `Client::{}` ({} {})",
                        op.method_name,
                        upper_debug(&op.http_method),
                        op.path
                    ),
                ),
                Pair::Both(oo, no) => self.operation(o, n, oo, no),
            }
        }
    }

    fn operation(&mut self, oa: &ApiIr, na: &ApiIr, o: &OperationIr, n: &OperationIr) {
        let id = n.id.as_str();
        if o.method_name != n.method_name {
            self.breaking(
                id,
                format!(
                    "method renamed from `Client::{}` to `Client::{}`",
                    o.method_name, n.method_name
                ),
            );
        }
        if o.request != n.request {
            self.breaking(
                id,
                format!(
                    "request struct renamed from `{}` to `{}`",
                    o.request, n.request
                ),
            );
        }
        if o.http_method != n.http_method || o.path != n.path {
            self.breaking(
                id,
                format!(
                    "the call changes from `{} {}` to `{} {}` on the wire",
                    upper_debug(&o.http_method),
                    o.path,
                    upper_debug(&n.http_method),
                    n.path
                ),
            );
        }
        if o.encoding != n.encoding {
            self.breaking(
                id,
                format!(
                    "the body is now encoded as `{}` instead of `{}`: the server reads another \
                     format",
                    format!("{:?}", n.encoding).to_lowercase(),
                    format!("{:?}", o.encoding).to_lowercase()
                ),
            );
        }
        match (o.retry, n.retry) {
            (RetrySafety::Never, RetrySafety::Safe) => self.breaking(
                id,
                "retry `never` -> `safe`: the client may now resend a call that was sent at most once"
                    .to_owned(),
            ),
            (RetrySafety::Safe, RetrySafety::Never) => self.additive(
                id,
                "retry `safe` -> `never`: the call is now sent at most once, never retried"
                    .to_owned(),
            ),
            (RetrySafety::Keyed, RetrySafety::Safe | RetrySafety::Never) => self.breaking(
                id,
                "retry `keyed` -> another class: the request's `idempotency_key` setter is gone"
                    .to_owned(),
            ),
            (RetrySafety::Safe | RetrySafety::Never, RetrySafety::Keyed) => self.additive(
                id,
                "retry -> `keyed`: the call now carries an idempotency key on every attempt and \
                 is retried (a new `idempotency_key` setter)"
                    .to_owned(),
            ),
            _ => {}
        }
        if response(&o.response) != response(&n.response) {
            self.breaking(
                id,
                format!(
                    "`Client::{}` now returns `{}` instead of `{}`",
                    n.method_name,
                    response(&n.response),
                    response(&o.response)
                ),
            );
        }
        if let (
            ResponseIr::OneOf {
                name,
                variants: old,
                ..
            },
            ResponseIr::OneOf { variants: new, .. },
        ) = (&o.response, &n.response)
        {
            self.one_of(id, name, old, new);
        }
        self.params(oa, na, o, n);
        self.pagination(id, o.pagination.as_ref(), n.pagination.as_ref());
        self.presets(o, n);
        self.text(id, "summary", Some(&o.summary), Some(&n.summary));
        self.text(
            id,
            "description",
            o.description.as_ref(),
            n.description.as_ref(),
        );
        let rules = |op: &OperationIr| -> Vec<(Option<String>, Option<String>)> {
            op.rules.iter().map(|r| langs(Some(r))).collect()
        };
        if rules(o) != rules(n) {
            self.docs(
                id,
                format!("rules changed ({} -> {})", o.rules.len(), n.rules.len()),
            );
        }
        let codes = |op: &OperationIr| -> Vec<String> {
            op.errors.iter().map(|(c, _)| c.clone()).collect()
        };
        let (old_codes, new_codes) = (codes(o), codes(n));
        if old_codes != new_codes {
            let added: Vec<String> = new_codes
                .iter()
                .filter(|c| !old_codes.contains(c))
                .map(|c| format!("`{c}`"))
                .collect();
            let removed: Vec<String> = old_codes
                .iter()
                .filter(|c| !new_codes.contains(c))
                .map(|c| format!("`{c}`"))
                .collect();
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("added {}", added.join(", ")));
            }
            if !removed.is_empty() {
                parts.push(format!("removed {}", removed.join(", ")));
            }
            if parts.is_empty() {
                parts.push("reordered".to_owned());
            }
            self.docs(id, format!("documented errors {}", parts.join(", ")));
        }
        let examples = |op: &OperationIr| -> Vec<(Option<String>, Option<String>, String, String)> {
            op.examples
                .iter()
                .map(|e| {
                    let (en, fr) = langs(Some(&e.title));
                    let response = e
                        .response
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    (en, fr, e.request.to_string(), response)
                })
                .collect()
        };
        if examples(o) != examples(n) {
            self.docs(
                id,
                if o.examples.len() == n.examples.len() {
                    "examples changed".to_owned()
                } else {
                    format!(
                        "examples changed ({} -> {})",
                        o.examples.len(),
                        n.examples.len()
                    )
                },
            );
        }
        self.provenance(id, &o.provenance, &n.provenance);
    }

    /// Compares the alternatives of an answer that is one of several types (an open,
    /// `#[non_exhaustive]` enum whose `Other` keeps any answer it does not know).
    fn one_of(&mut self, id: &str, name: &str, old: &[(String, String)], new: &[(String, String)]) {
        let old = old
            .iter()
            .map(|(ty, tag)| (ty.as_str(), tag.as_str()))
            .collect();
        let new = new
            .iter()
            .map(|(ty, tag)| (ty.as_str(), tag.as_str()))
            .collect();
        for (ty, pair) in pairs(&old, &new) {
            match pair {
                Pair::Removed(tag) => self.breaking(
                    id,
                    format!("variant `{name}::{ty}` removed: objects tagged `{tag}` now come as `{name}::Other`"),
                ),
                Pair::Added(tag) => self.additive(
                    id,
                    format!("new variant `{name}::{ty}` (tag `{tag}`, which came as `{name}::Other` before)"),
                ),
                Pair::Both(a, b) if a != b => self.breaking(
                    id,
                    format!("variant `{name}::{ty}` is now told by the tag `{b}` instead of `{a}`"),
                ),
                Pair::Both(..) => {}
            }
        }
    }

    /// Compares the parameters of an operation: the fields of its request structs.
    /// The types of parameter groups. Their fields are compared where operations use them
    /// (`structs_of`); here only the types themselves come and go.
    fn groups(&mut self, o: &ApiIr, n: &ApiIr) {
        let roots = |a: &ApiIr| -> BTreeMap<String, ()> {
            (a.request_structs.iter())
                .filter(|s| s.path.is_empty() && a.operation_of(&s.rust_name).is_none())
                .map(|s| (s.rust_name.clone(), ()))
                .collect()
        };
        let named = |a: &ApiIr, name: &str| {
            a.def(name).is_some() || a.aliases.iter().any(|x| x.name == name)
        };
        for (name, pair) in pairs(&roots(o), &roots(n)) {
            match pair {
                Pair::Removed(()) if !named(n, &name) => {
                    self.breaking(&name, "parameter group type removed".to_owned());
                }
                Pair::Added(()) if !named(o, &name) => self.additive(
                    &name,
                    "new parameter group type, shared by the operations that use it".to_owned(),
                ),
                _ => {}
            }
        }
    }

    fn params(&mut self, oa: &ApiIr, na: &ApiIr, o: &OperationIr, n: &OperationIr) {
        let id = n.id.as_str();
        let old_structs = structs_of(oa, &o.id);
        let new_structs = structs_of(na, &n.id);
        let old = fields(&old_structs);
        let new = fields(&new_structs);
        for (path, pair) in pairs(&old, &new) {
            let item = format!("{id} param {path}");
            match pair {
                Pair::Removed((s, f)) => {
                    if parent_replaced(&path, &old, &new, &self.aliases) {
                        continue;
                    }
                    let what = if f.required {
                        format!(
                            "required parameter removed: `{}::new` loses its argument `{}`",
                            s.rust_name, f.rust_name
                        )
                    } else {
                        format!(
                            "parameter removed: the field and setter `{}::{}` are gone",
                            s.rust_name, f.rust_name
                        )
                    };
                    self.breaking(&item, what);
                }
                Pair::Added((s, f)) => {
                    if parent_replaced(&path, &new, &old, &self.aliases) {
                        continue;
                    }
                    if f.required {
                        self.breaking(
                            &item,
                            format!(
                                "new required parameter: `{}::new` takes the new argument `{}`",
                                s.rust_name, f.rust_name
                            ),
                        );
                    } else {
                        self.additive(
                            &item,
                            format!(
                                "new optional parameter, set with `{}::{}()`",
                                s.rust_name, f.rust_name
                            ),
                        );
                    }
                }
                Pair::Both((_, of), (s, nf)) => self.field(&item, s, of, nf),
            }
        }
        // The required fields of each struct are the arguments of its `new`, in field order.
        for (at, ns) in &new_structs {
            let Some((_, os)) = old_structs.iter().find(|(a, _)| a == at) else {
                continue;
            };
            let required = |s: &StructIr, other: &StructIr| -> Vec<String> {
                s.fields
                    .iter()
                    .filter(|f| {
                        f.required
                            && other
                                .fields
                                .iter()
                                .any(|g| g.wire_name == f.wire_name && g.required)
                    })
                    .map(|f| f.rust_name.clone())
                    .collect()
            };
            let (before, after) = (required(os, ns), required(ns, os));
            if before != after {
                self.breaking(
                    id,
                    format!(
                        "the arguments of `{}::new` are reordered: ({}) -> ({})",
                        ns.rust_name,
                        before.join(", "),
                        after.join(", ")
                    ),
                );
            }
        }
    }

    /// Compares a parameter or a field present in both versions. `s` is the new struct.
    fn field(&mut self, item: &str, s: &StructIr, o: &FieldIr, n: &FieldIr) {
        let owner = &s.rust_name;
        let name = &n.rust_name;
        if o.rust_name != n.rust_name {
            self.breaking(
                item,
                format!("Rust field renamed from `{}` to `{name}`", o.rust_name),
            );
        }
        // A block that became a parameter group keeps its old name as an alias: same type.
        let old_ty = through(&o.ty, &self.aliases);
        if rust_type(&old_ty) != rust_type(&n.ty) {
            self.breaking(
                item,
                format!(
                    "type changes from {} to {}",
                    describe(&o.ty),
                    describe(&n.ty)
                ),
            );
        } else if old_ty != n.ty {
            self.docs(
                item,
                format!(
                    "format {} -> {} (the Rust type stays `{}`)",
                    spec_type(&o.ty),
                    spec_type(&n.ty),
                    rust_type(&n.ty)
                ),
            );
        }
        if o.boxed != n.boxed && rust_type(&o.ty) == rust_type(&n.ty) {
            let what = if n.boxed {
                format!(
                    "is now stored boxed (`Box<{}>`): its type became recursive",
                    rust_type(&n.ty)
                )
            } else {
                format!(
                    "is no longer boxed (`{}`): its type stopped being recursive",
                    rust_type(&n.ty)
                )
            };
            self.breaking(item, what);
        }
        if o.location != n.location {
            self.breaking(
                item,
                format!(
                    "moves from the {} to the {}: the request goes out differently on the wire",
                    location(o.location),
                    location(n.location)
                ),
            );
        }
        match (o.required, n.required) {
            (false, true) => self.breaking(
                item,
                format!(
                    "becomes required: it is now an argument of `{owner}::new` instead of an `Option` set with `.{name}()`"
                ),
            ),
            (true, false) => self.breaking(
                item,
                format!(
                    "is no longer required: it leaves the arguments of `{owner}::new` and becomes an `Option` set with `.{name}()`"
                ),
            ),
            _ => {}
        }
        match (o.nullable, n.nullable) {
            (true, false) => self.breaking(
                item,
                "is no longer nullable: the field loses `Nullable` and an explicit null cannot be sent"
                    .to_owned(),
            ),
            (false, true) => {
                let inner = rust_type(&n.ty);
                let ty = if n.required {
                    format!("Nullable<{inner}>")
                } else {
                    format!("Option<Nullable<{inner}>>")
                };
                let str_note = if inner == "String" {
                    ", and a `&str` argument no longer converts (pass a `String`)"
                } else {
                    ""
                };
                self.breaking(
                    item,
                    format!("becomes nullable: the field's type becomes `{ty}`{str_note}"),
                );
            }
            _ => {}
        }
        match (o.sensitive, n.sensitive) {
            (true, false) => self.breaking(
                item,
                "is no longer sensitive: its value now shows in `Debug` output and in error excerpts"
                    .to_owned(),
            ),
            (false, true) => self.additive(
                item,
                "becomes sensitive: its value is now redacted from `Debug` output and error excerpts"
                    .to_owned(),
            ),
            _ => {}
        }
        self.constraints(item, o, n);
        if o.recommended != n.recommended {
            let how = if n.recommended {
                "now recommended"
            } else {
                "no longer recommended"
            };
            self.docs(item, how.to_owned());
        }
        self.text(item, "doc", o.doc.as_ref(), n.doc.as_ref());
        self.provenance(item, &o.provenance, &n.provenance);
    }

    fn constraints(&mut self, item: &str, o: &FieldIr, n: &FieldIr) {
        let (oc, nc) = (&o.constraints, &n.constraints);
        let show = |v: Option<i64>| v.map_or_else(|| "none".to_owned(), |v| v.to_string());
        // (key, old, new, whether a larger bound is tighter)
        let bounds = [
            ("min", oc.min, nc.min, true),
            ("max", oc.max, nc.max, false),
            (
                "min_length",
                oc.min_length.map(i64::from),
                nc.min_length.map(i64::from),
                true,
            ),
            (
                "max_length",
                oc.max_length.map(i64::from),
                nc.max_length.map(i64::from),
                false,
            ),
        ];
        for (key, old, new, larger_is_tighter) in bounds {
            let tighter = match (old, new) {
                (a, b) if a == b => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => (b > a) == larger_is_tighter,
                (None, None) => continue,
            };
            self.bound(item, key, &show(old), &show(new), tighter);
        }
        if oc.ascii != nc.ascii {
            self.bound(
                item,
                "ascii",
                &oc.ascii.to_string(),
                &nc.ascii.to_string(),
                nc.ascii,
            );
        }
        match (&oc.pattern, &nc.pattern) {
            (a, b) if a == b => {}
            (None, Some(p)) => self.bound(item, "pattern", "none", &format!("`{p}`"), true),
            (Some(p), None) => self.bound(item, "pattern", &format!("`{p}`"), "none", false),
            (Some(a), Some(b)) => {
                self.bound(item, "pattern", &format!("`{a}`"), &format!("`{b}`"), true)
            }
            (None, None) => {}
        }
    }

    fn bound(&mut self, item: &str, key: &str, old: &str, new: &str, tighter: bool) {
        if tighter {
            self.breaking(
                item,
                format!("constraint tightened: `{key}` {old} -> {new}; values that passed `validate()` may now fail"),
            );
        } else {
            self.additive(
                item,
                format!(
                    "constraint loosened: `{key}` {old} -> {new}; more values pass `validate()`"
                ),
            );
        }
    }

    fn pagination(&mut self, id: &str, o: Option<&PaginationIr>, n: Option<&PaginationIr>) {
        match (o, n) {
            (None, Some(p)) => self.additive(
                id,
                format!("new pager `Client::{}` (`{}`)", p.method_name, p.pager),
            ),
            (Some(p), None) => self.breaking(
                id,
                format!("pager `Client::{}` (`{}`) removed", p.method_name, p.pager),
            ),
            (Some(a), Some(b)) => {
                let show = |p: &PaginationIr| {
                    let how = match &p.style {
                        PagingStyleIr::Offset { offset, limit } => {
                            format!("`{}`/`{}`", offset.0, limit.0)
                        }
                        PagingStyleIr::Cursor {
                            cursor,
                            next_path,
                            limit,
                            link,
                            ..
                        } => format!(
                            "cursor `{}` from the {} at `{next_path}`{}",
                            cursor.0,
                            if *link { "link" } else { "cursor" },
                            limit
                                .as_ref()
                                .map(|l| format!(", size `{}`", l.0))
                                .unwrap_or_default()
                        ),
                        PagingStyleIr::Page {
                            page, limit, last, ..
                        } => format!(
                            "page number `{}`{}{}",
                            page.0,
                            limit
                                .as_ref()
                                .map(|l| format!(", size `{}`", l.0))
                                .unwrap_or_default(),
                            match last {
                                LastPage::Empty => String::new(),
                                LastPage::TotalPages(_, path) => format!(", counted at `{path}`"),
                                LastPage::HasMore(_, path) => format!(", more at `{path}`"),
                            }
                        ),
                        PagingStyleIr::LastItem {
                            cursor,
                            id_path,
                            has_more_path,
                            limit,
                            ..
                        } => format!(
                            "cursor `{}` from the last item's `{id_path}` while `{has_more_path}`{}",
                            cursor.0,
                            limit
                                .as_ref()
                                .map(|l| format!(", size `{}`", l.0))
                                .unwrap_or_default()
                        ),
                    };
                    format!(
                        "`Client::{}` -> `{}` pages with {how} over `{}` of `{}`",
                        p.method_name,
                        p.pager,
                        p.items.join("."),
                        rust_type(&p.item)
                    )
                };
                if show(a) != show(b) {
                    self.breaking(
                        id,
                        format!("pagination changes: {} instead of {}", show(b), show(a)),
                    );
                }
            }
            (None, None) => {}
        }
    }

    fn presets(&mut self, o: &OperationIr, n: &OperationIr) {
        let old = o.presets.iter().map(|p| (p.name.as_str(), p)).collect();
        let new = n.presets.iter().map(|p| (p.name.as_str(), p)).collect();
        for (name, pair) in pairs(&old, &new) {
            let item = format!("{} preset {name}", n.id);
            match pair {
                Pair::Removed(p) => self.breaking(
                    &item,
                    format!(
                        "preset removed: `{}::{}()` is gone",
                        o.request, p.method_name
                    ),
                ),
                Pair::Added(p) => self.additive(
                    &item,
                    format!("new preset `{}::{}()`", n.request, p.method_name),
                ),
                Pair::Both(op, np) => {
                    if op.method_name != np.method_name {
                        self.breaking(
                            &item,
                            format!(
                                "preset method renamed from `{}()` to `{}()`",
                                op.method_name, np.method_name
                            ),
                        );
                    }
                    let set = |p: &crate::ir::PresetIr| {
                        p.set
                            .iter()
                            .map(|(f, _, v)| format!("{f} = {v}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    if set(op) != set(np) {
                        self.breaking(
                            &item,
                            format!(
                                "`{}::{}()` now sets {} instead of {}",
                                n.request,
                                np.method_name,
                                set(np),
                                set(op)
                            ),
                        );
                    }
                    self.text(&item, "doc", Some(&op.doc), Some(&np.doc));
                    self.provenance(&item, &op.provenance, &np.provenance);
                }
            }
        }
    }

    fn types(&mut self, o: &ApiIr, n: &ApiIr) {
        let (old_groups, new_groups) = (type_groups(o), type_groups(n));
        let old = old_groups.iter().map(|(k, v)| (k.clone(), v)).collect();
        let new = new_groups.iter().map(|(k, v)| (k.clone(), v)).collect();
        for (name, pair) in pairs(&old, &new) {
            match pair {
                Pair::Removed(_) => self.breaking(&name, "type removed".to_owned()),
                Pair::Added(group) => self.additive(
                    &name,
                    format!(
                        "new type with {}",
                        count(group.iter().map(|s| s.fields.len()).sum(), "field")
                    ),
                ),
                Pair::Both(og, ng) => self.named_type(&name, og, ng),
            }
        }
    }

    fn named_type<'a>(&mut self, name: &str, og: &[&'a StructIr], ng: &[&'a StructIr]) {
        if let (Some(or), Some(nr)) = (
            og.iter().find(|s| s.path.is_empty()),
            ng.iter().find(|s| s.path.is_empty()),
        ) {
            self.text(name, "doc", or.doc.as_ref(), nr.doc.as_ref());
            if or.type_tag != nr.type_tag {
                self.docs(
                    name,
                    format!(
                        "`_type` tag {} -> {}",
                        or.type_tag.as_deref().unwrap_or("none"),
                        nr.type_tag.as_deref().unwrap_or("none")
                    ),
                );
            }
            self.provenance(name, &or.provenance, &nr.provenance);
        }
        let at = |list: &[&'a StructIr]| -> Vec<(String, &'a StructIr)> {
            list.iter().map(|s| (s.path.clone(), *s)).collect()
        };
        let old = fields(&at(og));
        let new = fields(&at(ng));
        for (path, pair) in pairs(&old, &new) {
            match pair {
                Pair::Removed((s, f)) => {
                    if parent_replaced(&path, &old, &new, &self.aliases) {
                        continue;
                    }
                    self.breaking(
                        &format!("{}::{}", s.rust_name, f.rust_name),
                        format!("field `{path}` removed from `{name}`"),
                    );
                }
                Pair::Added((s, f)) => {
                    if parent_replaced(&path, &new, &old, &self.aliases) {
                        continue;
                    }
                    self.additive(
                        &format!("{}::{}", s.rust_name, f.rust_name),
                        format!("new field `{path}` of `{name}`"),
                    );
                }
                Pair::Both((_, of), (s, nf)) => {
                    self.field(&format!("{}::{}", s.rust_name, nf.rust_name), s, of, nf);
                }
            }
        }
    }

    /// The named one-ofs (`one_of` types): their discriminator and alternatives.
    fn one_ofs(&mut self, o: &ApiIr, n: &ApiIr) {
        let old = o
            .one_ofs
            .iter()
            .map(|x| (x.rust_name.as_str(), x))
            .collect();
        let new = n
            .one_ofs
            .iter()
            .map(|x| (x.rust_name.as_str(), x))
            .collect();
        for (name, pair) in pairs(&old, &new) {
            match pair {
                Pair::Removed(_) => self.breaking(name, "one-of type removed".to_owned()),
                Pair::Added(x) => self.additive(
                    name,
                    format!(
                        "new one-of type of {}",
                        count(x.variants.len(), "alternative")
                    ),
                ),
                Pair::Both(a, b) => {
                    if a.discriminator != b.discriminator {
                        self.breaking(
                            name,
                            format!(
                                "told apart by `{}` instead of `{}`: objects decode into other variants",
                                b.discriminator, a.discriminator
                            ),
                        );
                    }
                    self.text(name, "doc", a.doc.as_ref(), b.doc.as_ref());
                    self.one_of(name, name, &a.variants, &b.variants);
                }
            }
        }
    }

    fn enums(&mut self, o: &ApiIr, n: &ApiIr) {
        let old = o.enums.iter().map(|e| (e.rust_name.as_str(), e)).collect();
        let new = n.enums.iter().map(|e| (e.rust_name.as_str(), e)).collect();
        for (name, pair) in pairs(&old, &new) {
            match pair {
                Pair::Removed(_) => self.breaking(name, "enum removed".to_owned()),
                Pair::Added(e) => self.additive(
                    name,
                    format!(
                        "new {} enum with {}",
                        if e.open { "open" } else { "closed" },
                        count(e.values.len(), "value")
                    ),
                ),
                Pair::Both(oe, ne) => self.enumeration(oe, ne),
            }
        }
    }

    fn enumeration(&mut self, o: &EnumIr, n: &EnumIr) {
        let name = n.rust_name.as_str();
        match (o.open, n.open) {
            (true, false) => self.breaking(
                name,
                format!(
                    "becomes closed: `{name}::Unknown` is gone and values the spec does not list no longer decode"
                ),
            ),
            (false, true) => self.additive(
                name,
                format!(
                    "becomes open: values the spec does not list decode into `{name}::Unknown` instead of failing"
                ),
            ),
            _ => {}
        }
        let wire =
            |w: &Option<String>| w.as_deref().map_or("null".to_owned(), |w| format!("`{w}`"));
        let old = o.values.iter().map(|v| (v.wire.clone(), v)).collect();
        let new = n.values.iter().map(|v| (v.wire.clone(), v)).collect();
        for (value, pair) in pairs(&old, &new) {
            match pair {
                Pair::Removed(v) => {
                    let after = if value.is_none() {
                        format!(
                            "; `{name}::as_str()` now returns `&str` and JSON null no longer decodes"
                        )
                    } else if n.open {
                        format!("; {} now decodes as `{name}::Unknown`", wire(&value))
                    } else {
                        format!("; decoding {} now fails", wire(&value))
                    };
                    self.breaking(
                        &format!("{name}::{}", v.rust_name),
                        format!("value {} removed: the variant is gone{after}", wire(&value)),
                    );
                }
                Pair::Added(v) => {
                    let item = format!("{name}::{}", v.rust_name);
                    if value.is_none() {
                        self.breaking(
                            &item,
                            format!(
                                "new value null: `{name}::as_str()` now returns `Option<&str>`"
                            ),
                        );
                    } else if o.open && n.open {
                        self.additive(
                            &item,
                            format!(
                                "new value {} of an open enum (it decoded as `Unknown` before)",
                                wire(&value)
                            ),
                        );
                    } else {
                        self.breaking(
                            &item,
                            format!(
                                "new value {} of a closed enum: code that relied on the list being complete (a `match` whose wildcard is unreachable, tables over `ALL`) must handle it",
                                wire(&value)
                            ),
                        );
                    }
                }
                Pair::Both(ov, nv) => {
                    let item = format!("{name}::{}", nv.rust_name);
                    if ov.rust_name != nv.rust_name {
                        self.breaking(
                            &item,
                            format!(
                                "variant renamed from `{name}::{}` (wire value {})",
                                ov.rust_name,
                                wire(&value)
                            ),
                        );
                    }
                    for nc in &n.columns {
                        let Some(oi) = o.columns.iter().position(|c| c.key == nc.key) else {
                            continue;
                        };
                        let ni = n.columns.iter().position(|c| c.key == nc.key).unwrap_or(oi);
                        let od = ov.data.get(oi).cloned().flatten();
                        let nd = nv.data.get(ni).cloned().flatten();
                        let accessor = format!("`{name}::{}.{}()`", nv.rust_name, nc.rust_name);
                        match (od, nd) {
                            (Some(a), Some(b)) if a != b => self.breaking(
                                &item,
                                format!("{accessor} changes from {} to {}", datum(&a), datum(&b)),
                            ),
                            (Some(a), None) => self.breaking(
                                &item,
                                format!("{accessor} loses its datum (was {})", datum(&a)),
                            ),
                            (None, Some(b)) => self.additive(
                                &item,
                                format!("{accessor} gains the datum {}", datum(&b)),
                            ),
                            _ => {}
                        }
                    }
                    self.text(&item, "doc", ov.doc.as_ref(), nv.doc.as_ref());
                    self.provenance(&item, &ov.provenance, &nv.provenance);
                }
            }
        }
        let common = |a: &EnumIr, b: &EnumIr| -> Vec<Option<String>> {
            a.values
                .iter()
                .filter(|v| b.values.iter().any(|w| w.wire == v.wire))
                .map(|v| v.wire.clone())
                .collect()
        };
        if common(o, n) != common(n, o) {
            self.additive(
                name,
                format!("the values are listed in a new order (the order of `{name}::ALL`)"),
            );
        }
        let old = o.columns.iter().map(|c| (c.key.as_str(), c)).collect();
        let new = n.columns.iter().map(|c| (c.key.as_str(), c)).collect();
        let column_type = |c: &crate::ir::ColumnIr| {
            let ty = match c.ty {
                crate::ir::ColumnType::Integer => "i64",
                crate::ir::ColumnType::String => "&'static str",
                crate::ir::ColumnType::Boolean => "bool",
            };
            if c.total {
                ty.to_owned()
            } else {
                format!("Option<{ty}>")
            }
        };
        for (_, pair) in pairs(&old, &new) {
            match pair {
                Pair::Removed(c) => self.breaking(
                    &format!("{name}::{}()", c.rust_name),
                    "data accessor removed".to_owned(),
                ),
                Pair::Added(c) => self.additive(
                    &format!("{name}::{}()", c.rust_name),
                    format!("new data accessor returning `{}`", column_type(c)),
                ),
                Pair::Both(oc, nc) => {
                    let item = format!("{name}::{}()", nc.rust_name);
                    if oc.rust_name != nc.rust_name {
                        self.breaking(
                            &item,
                            format!("data accessor renamed from `{}()`", oc.rust_name),
                        );
                    }
                    if column_type(oc) != column_type(nc) {
                        self.breaking(
                            &item,
                            format!(
                                "now returns `{}` instead of `{}`",
                                column_type(nc),
                                column_type(oc)
                            ),
                        );
                    }
                    self.text(&item, "doc", oc.doc.as_ref(), nc.doc.as_ref());
                }
            }
        }
        let minor = |e: &EnumIr| {
            e.minor_units
                .and_then(|i| e.columns.get(i))
                .map(|c| c.key.clone())
        };
        match (minor(o), minor(n)) {
            (None, Some(c)) => self.additive(
                name,
                format!("gains `parse_amount`/`format_amount`, with the minor-unit digits of column `{c}`"),
            ),
            (Some(c), None) => self.breaking(
                name,
                format!("loses `parse_amount`/`format_amount` (minor units were column `{c}`)"),
            ),
            (Some(a), Some(b)) if a != b => self.breaking(
                name,
                format!("`parse_amount`/`format_amount` now read the digits of column `{b}` instead of `{a}`"),
            ),
            _ => {}
        }
        self.text(name, "doc", o.doc.as_ref(), n.doc.as_ref());
        self.provenance(name, &o.provenance, &n.provenance);
    }

    fn notifications(&mut self, o: &ApiIr, n: &ApiIr) {
        let old = o
            .notifications
            .iter()
            .map(|x| (x.module.as_str(), x))
            .collect();
        let new = n
            .notifications
            .iter()
            .map(|x| (x.module.as_str(), x))
            .collect();
        for (module, pair) in pairs(&old, &new) {
            match pair {
                Pair::Removed(_) => self.breaking(
                    module,
                    format!("notification module `{}::{module}` removed", o.module),
                ),
                Pair::Added(_) => self.additive(
                    module,
                    format!("new notification module `{}::{module}`", n.module),
                ),
                Pair::Both(on, nn) => self.notification(on, nn),
            }
        }
    }

    fn notification(&mut self, o: &NotificationIr, n: &NotificationIr) {
        let module = n.module.as_str();
        let opt = |v: Option<&str>| v.map_or_else(|| "none".to_owned(), |v| format!("`{v}`"));
        let checks = verification_facts(o)
            .into_iter()
            .zip(verification_facts(n))
            .map(|((what, a), (_, b))| (what, a, b));
        for (what, a, b) in checks {
            if a != b {
                self.breaking(
                    module,
                    format!(
                        "verification changes: {what} {} -> {}; notifications that verified before may be refused",
                        opt(a.as_deref()),
                        opt(b.as_deref())
                    ),
                );
            }
        }
        if o.payload != n.payload {
            self.breaking(
                module,
                format!(
                    "`Notification::payload` changes type from `{}` to `{}`",
                    o.payload, n.payload
                ),
            );
        }
        for (members, ours, theirs, label) in [
            ("Keys", &o.keys, &n.keys, "key"),
            ("Notification", &o.fields, &n.fields, "field"),
        ] {
            let old = ours.iter().map(|m| (m.0.as_str(), m)).collect();
            let new = theirs.iter().map(|m| (m.0.as_str(), m)).collect();
            for (wire, pair) in pairs(&old, &new) {
                match pair {
                    Pair::Removed((_, field, _)) => self.breaking(
                        &format!("{module}::{members}::{field}"),
                        if label == "key" {
                            format!(
                                "key `{wire}` removed: `Keys::{field}` is gone and notifications it signs are refused"
                            )
                        } else {
                            format!("form field `{wire}` removed: `Notification::{field}` is gone")
                        },
                    ),
                    Pair::Added((_, field, _)) => self.additive(
                        &format!("{module}::{members}::{field}"),
                        if label == "key" {
                            format!("new key `{wire}`, set with `Keys::{field}()`")
                        } else {
                            format!("new form field `{wire}`, in `Notification::{field}`")
                        },
                    ),
                    Pair::Both((_, of, od), (_, nf, nd)) => {
                        let item = format!("{module}::{members}::{nf}");
                        if of != nf {
                            self.breaking(&item, format!("renamed from `{members}::{of}`"));
                        }
                        self.text(&item, "doc", od.as_ref(), nd.as_ref());
                    }
                }
            }
        }
        self.text(module, "summary", Some(&o.summary), Some(&n.summary));
        self.text(
            module,
            "description",
            o.description.as_ref(),
            n.description.as_ref(),
        );
        self.provenance(module, &o.provenance, &n.provenance);
    }
}

/// `1 operation`, `2 operations`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The structs of each named type (the type and the structs nested in it), by the Rust name of
/// the type.
fn type_groups(api: &ApiIr) -> BTreeMap<String, Vec<&StructIr>> {
    let mut by_root: BTreeMap<&str, Vec<&StructIr>> = BTreeMap::new();
    for s in &api.types {
        by_root.entry(s.root.as_str()).or_default().push(s);
    }
    by_root
        .into_values()
        .filter_map(|group| {
            let root = group.iter().find(|s| s.path.is_empty())?;
            Some((root.rust_name.clone(), group))
        })
        .collect()
}

/// The structs of one root (operation id or type name).
/// The structs of the request of operation `root`, each with the dotted path it sits at: its
/// own, and through parameter groups the structs of each group it uses, at the path of the use
/// (so a block that became a group compares field by field with what it was).
fn structs_of<'a>(api: &'a ApiIr, root: &str) -> Vec<(String, &'a StructIr)> {
    let mut out: Vec<(String, &StructIr)> = (api.request_structs.iter())
        .filter(|s| s.root == root)
        .map(|s| (s.path.clone(), s))
        .collect();
    let mut next = 0;
    // Groups cannot contain themselves (S063); the bound only keeps a broken IR finite.
    while next < out.len() && out.len() < 100_000 {
        let (at, s) = (out[next].0.clone(), out[next].1);
        next += 1;
        for f in &s.fields {
            let (name, list) = match &f.ty {
                TypeIr::Struct(name) => (name, false),
                TypeIr::List(inner) => match inner.as_ref() {
                    TypeIr::Struct(name) => (name, true),
                    _ => continue,
                },
                _ => continue,
            };
            let group = api.struct_ir(name).filter(|g| {
                g.kind == crate::ir::StructKind::Request
                    && g.path.is_empty()
                    && g.root != root
                    && api.operation_of(name).is_none()
            });
            let Some(group) = group else {
                continue;
            };
            let mut use_at = crate::paths::join(&at, &f.wire_name);
            if list {
                use_at.push_str("[]");
            }
            for gs in api.request_structs.iter().filter(|x| x.root == group.root) {
                let p = if gs.path.is_empty() {
                    use_at.clone()
                } else {
                    format!("{use_at}.{}", gs.path)
                };
                out.push((p, gs));
            }
        }
    }
    out
}

/// Every field of a group of structs, by dotted wire path, with its struct.
fn fields<'a>(structs: &[(String, &'a StructIr)]) -> Fields<'a> {
    structs
        .iter()
        .flat_map(|(at, s)| {
            s.fields
                .iter()
                .map(move |f| (crate::paths::join(at, &f.wire_name), (*s, f)))
        })
        .collect()
}

/// The fields of a group of structs, by dotted wire path.
type Fields<'a> = BTreeMap<String, (&'a StructIr, &'a FieldIr)>;

/// Whether the object holding the field at `path` (in `this` version) is missing from `other`
/// or has another type there (an old name that is now an alias of the new type counts as the
/// same): the object is then reported as removed, added or retyped, and its fields go with it
/// instead of being reported one by one.
fn parent_replaced(
    path: &str,
    this: &Fields,
    other: &Fields,
    aliases: &BTreeMap<String, String>,
) -> bool {
    let Ok(segments) = crate::paths::segments(path) else {
        return false;
    };
    let Some((_, parents)) = segments.split_last() else {
        return false;
    };
    if parents.is_empty() {
        return false;
    }
    // The parent object's own field: its path without the last segment's `[]`.
    let mut parent = String::new();
    for (i, s) in parents.iter().enumerate() {
        parent = crate::paths::join(&parent, s.name);
        if s.list && i + 1 < parents.len() {
            parent.push_str("[]");
        }
    }
    match (this.get(&parent), other.get(&parent)) {
        (Some((_, a)), Some((_, b))) => through(&a.ty, aliases) != through(&b.ty, aliases),
        _ => true,
    }
}

/// `ty` with each struct name that is an alias replaced by the type it stands for.
fn through(ty: &TypeIr, aliases: &BTreeMap<String, String>) -> TypeIr {
    match ty {
        TypeIr::Struct(name) => TypeIr::Struct(aliases.get(name).unwrap_or(name).clone()),
        TypeIr::List(inner) => TypeIr::List(Box::new(through(inner, aliases))),
        TypeIr::Map(inner) => TypeIr::Map(Box::new(through(inner, aliases))),
        other => other.clone(),
    }
}

/// English and French of a text.
fn langs(text: Option<&Text>) -> (Option<String>, Option<String>) {
    text.map_or((None, None), |t| {
        (t.en().map(str::to_owned), t.fr().map(str::to_owned))
    })
}

/// How a text changed, if it did: `added`, `removed`, `changed (en, fr added)`.
fn text_change(old: Option<&Text>, new: Option<&Text>) -> Option<String> {
    let (o, n) = (langs(old), langs(new));
    if o == n {
        return None;
    }
    if o == (None, None) {
        return Some("added".to_owned());
    }
    if n == (None, None) {
        return Some("removed".to_owned());
    }
    let which: Vec<String> = [("en", &o.0, &n.0), ("fr", &o.1, &n.1)]
        .into_iter()
        .filter_map(|(lang, a, b)| match (a, b) {
            (None, Some(_)) => Some(format!("{lang} added")),
            (Some(_), None) => Some(format!("{lang} removed")),
            (a, b) if a != b => Some(lang.to_owned()),
            _ => None,
        })
        .collect();
    Some(format!("changed ({})", which.join(", ")))
}

/// The Rust type of a field (without `Option`/`Nullable`).
fn rust_type(ty: &TypeIr) -> String {
    match ty {
        TypeIr::String => "String".to_owned(),
        TypeIr::Date => "Date".to_owned(),
        TypeIr::DateTime => "DateTime".to_owned(),
        TypeIr::Integer => "i64".to_owned(),
        TypeIr::Number => "f64".to_owned(),
        TypeIr::Boolean => "bool".to_owned(),
        TypeIr::Amount => "u64".to_owned(),
        TypeIr::Decimal => "Decimal".to_owned(),
        TypeIr::Json => "serde_json::Value".to_owned(),
        TypeIr::List(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeIr::Map(inner) => format!("BTreeMap<String, {}>", rust_type(inner)),
        TypeIr::Struct(name) | TypeIr::Enum(name) => name.clone(),
        TypeIr::Expandable(inner) => format!("Expandable<{}>", rust_type(inner)),
    }
}

/// The type as a spec writes it.
fn spec_type(ty: &TypeIr) -> String {
    match ty {
        TypeIr::String => "string".to_owned(),
        TypeIr::Integer => "integer".to_owned(),
        TypeIr::Number => "number".to_owned(),
        TypeIr::Boolean => "boolean".to_owned(),
        TypeIr::Amount => "amount".to_owned(),
        TypeIr::Decimal => "decimal".to_owned(),
        TypeIr::Date => "date".to_owned(),
        TypeIr::DateTime => "date-time".to_owned(),
        TypeIr::Json => "json".to_owned(),
        TypeIr::List(inner) => format!("list<{}>", spec_type(inner)),
        TypeIr::Map(inner) => format!("map<{}>", spec_type(inner)),
        TypeIr::Struct(name) | TypeIr::Enum(name) => name.clone(),
        TypeIr::Expandable(inner) => format!("expandable<{}>", spec_type(inner)),
    }
}

/// `integer` (`i64`), or `` `Order` `` when both spellings agree.
fn describe(ty: &TypeIr) -> String {
    let (spec, rust) = (spec_type(ty), rust_type(ty));
    if spec == rust {
        format!("`{rust}`")
    } else {
        format!("{spec} (`{rust}`)")
    }
}

fn response(r: &ResponseIr) -> String {
    match r {
        ResponseIr::Named(name) => name.clone(),
        ResponseIr::Json => "serde_json::Value".to_owned(),
        ResponseIr::None => "()".to_owned(),
        ResponseIr::OneOf { name, .. } => name.clone(),
    }
}

fn location(l: Location) -> &'static str {
    match l {
        Location::Body => "JSON body",
        Location::Path => "path",
        Location::Query => "query string",
        Location::Header => "headers",
    }
}

fn datum(d: &DataValue) -> String {
    match d {
        DataValue::Boolean(b) => b.to_string(),
        DataValue::Integer(i) => i.to_string(),
        DataValue::String(s) => format!("{s:?}"),
    }
}

/// `api.form` as the spec writes it.
fn form_words(form: crate::ir::FormIr) -> String {
    format!(
        "arrays: {}, booleans: {}, nulls: {}",
        format!("{:?}", form.arrays).to_lowercase(),
        format!("{:?}", form.booleans).to_lowercase(),
        format!("{:?}", form.nulls).to_lowercase()
    )
}

fn upper_debug(v: &impl std::fmt::Debug) -> String {
    format!("{v:?}").to_uppercase()
}

/// The settings of a scheme, in words, for a diff line.
fn auth_settings(scheme: &AuthSchemeIr) -> String {
    match scheme {
        AuthSchemeIr::Basic => "HTTP Basic".to_owned(),
        AuthSchemeIr::Bearer => "a bearer token".to_owned(),
        AuthSchemeIr::ApiKey {
            location,
            name,
            prefix,
        } => format!(
            "{} `{name}`{}",
            match location {
                crate::spec::KeyLocation::Header => "header",
                crate::spec::KeyLocation::Query => "query parameter",
            },
            if prefix.is_empty() {
                String::new()
            } else {
                format!(" after `{prefix}`")
            }
        ),
        AuthSchemeIr::OAuth2ClientCredentials {
            token_url,
            scopes,
            client_auth,
        } => format!(
            "token URL `{token_url}`, scopes [{}], client auth {}",
            scopes.join(", "),
            lower_debug(client_auth)
        ),
    }
}

fn lower_debug(v: &impl std::fmt::Debug) -> String {
    format!("{v:?}").to_lowercase()
}

/// What decides whether a notification verifies, each fact by name (`None` when it does not
/// apply), in the same order for every notification so two lists compare pairwise.
fn verification_facts(x: &NotificationIr) -> Vec<(&'static str, Option<String>)> {
    use crate::ir::Carrier;
    let (form, header) = match &x.carrier {
        Carrier::Form {
            signature_field,
            algorithm,
            key_field,
            unescape_slashes,
            payload_field,
        } => (
            Some((
                signature_field,
                algorithm,
                key_field,
                unescape_slashes,
                payload_field,
            )),
            None,
        ),
        Carrier::Header {
            name,
            part,
            timestamp_part,
            tolerance,
            ..
        } => (None, Some((name, part, timestamp_part, tolerance))),
    };
    // The first key verifies every form notification when no field names the key.
    let default_key = form.and_then(|(_, _, key_field, _, _)| match key_field {
        Some(_) => None,
        None => x.keys.first().map(|(w, _, _)| w.clone()),
    });
    vec![
        ("signature field", form.map(|f| f.0.clone())),
        (
            "algorithm",
            form.and_then(|f| f.1.as_ref())
                .map(|(field, value)| format!("{field} = {value}")),
        ),
        ("key field", form.and_then(|f| f.2.clone())),
        ("default key", default_key),
        ("payload field", form.map(|f| f.4.clone())),
        ("slash unescaping", form.map(|f| f.3.to_string())),
        ("signature header", header.map(|h| h.0.clone())),
        ("signature part", header.and_then(|h| h.1.clone())),
        ("timestamp part", header.and_then(|h| h.2.clone())),
        ("tolerance", header.and_then(|h| h.3.map(|t| t.to_string()))),
        ("signed text", Some(x.carrier.signed_text())),
        ("signature algorithm", Some(x.mac.describe())),
    ]
}
