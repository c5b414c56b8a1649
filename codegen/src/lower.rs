//! Spec -> IR. Every decision is made here: Rust names (through `naming`), the structs
//! synthesised from dotted paths, and the order of everything.
//!
//! Lowering never fails: a problem becomes a diagnostic and a harmless placeholder, so one run
//! reports every naming problem along with the `check` ones.

use std::collections::BTreeMap;

use crate::check::TypeExpr;
use crate::diagnostics::{Diagnostic, Place};
use crate::ir::*;
use crate::naming;
use crate::spec::{
    self, HmacHash, KeyEncoding, Location, NotificationEncoding, Param, SignatureEncoding, Spanned,
    SpecFile,
};

/// Type names the generated API module defines itself.
const RESERVED_TYPES: &[&str] = &["Client", "Credentials", "Environment", "Error"];
/// Methods of the generated `Client` besides the operations.
const RESERVED_CLIENT_METHODS: &[&str] = &["new", "with_config", "with_timeout"];
/// Methods generated on every struct besides the setters.
const RESERVED_STRUCT_METHODS: &[&str] = &[
    "new",
    "validate",
    "validate_at",
    // A request's undocumented parameters; an answer object's undescribed fields.
    "extra",
    "extra_param",
    "idempotency_key",
];
/// Methods generated on every enum besides the data accessors.
const RESERVED_ENUM_METHODS: &[&str] = &[
    "as_str",
    "is_unknown",
    "from_wire",
    "parse_amount",
    "format_amount",
    "decimal_to_minor",
    "minor_to_decimal",
];
/// Modules of the generated API module besides the notification modules.
const RESERVED_MODULES: &[&str] = &["client", "enums", "requests", "types"];

/// Lowers one checked spec file.
pub fn lower(file: &str, spec: &SpecFile, diags: &mut Vec<Diagnostic>) -> ApiIr {
    let codes = spec
        .api
        .error_codes
        .as_ref()
        .and_then(|c| spec.enums.get(&c.value));
    let mut lowerer = Lowerer {
        file,
        spec,
        diags,
        type_names: Names::default(),
        uses: Vec::new(),
        groups: BTreeMap::new(),
        aliases: Vec::new(),
        error_codes: codes
            .map(|e| {
                e.values
                    .value
                    .iter()
                    .rev()
                    .filter_map(|v| Some((v.value.value.as_deref()?, v)))
                    .collect()
            })
            .unwrap_or_default(),
    };
    lowerer.api()
}

struct Lowerer<'a> {
    file: &'a str,
    spec: &'a SpecFile,
    diags: &'a mut Vec<Diagnostic>,
    type_names: Names,
    /// The group uses of the params being lowered (see `groups::expand`).
    uses: Vec<spec::GroupUse>,
    /// The groups lowered so far, by spec name (`None` while one is being lowered).
    groups: BTreeMap<String, Option<LoweredGroup>>,
    /// The aliases made for group uses.
    aliases: Vec<AliasIr>,
    /// The values of the error-code enum by wire value: looked up once per use, in specs that
    /// can define thousands.
    error_codes: BTreeMap<&'a str, &'a spec::EnumValue>,
}

/// What a use of a group needs of it.
#[derive(Clone)]
struct LoweredGroup {
    spec_name: String,
    rust_name: String,
    /// Whether a use of it is required: a field inside is, and not through a list.
    required: bool,
    /// The names under the group's type: the type (suffix ``), the structs nested in it and
    /// the aliases made inside it, each as (suffix after the group's name, target).
    names: Vec<(String, String)>,
}

/// A namespace: claims names and reports collisions.
#[derive(Default)]
struct Names(BTreeMap<String, (String, Place)>);

impl Names {
    /// Claims `name` for `what` (shown in messages); false, with a diagnostic, when taken.
    fn claim(
        &mut self,
        name: &str,
        what: String,
        place: Place,
        diags: &mut Vec<Diagnostic>,
    ) -> bool {
        match self.0.get(name) {
            // The same thing twice (an enum value listed twice): its own check reports it.
            Some((other, _)) if *other == what => false,
            Some((other, first)) => {
                let first_at = if first.line == 0 {
                    "the generated code".to_owned()
                } else {
                    format!("line {}", first.line)
                };
                let mut d = Diagnostic::error("S004", place, format!("{what} becomes the Rust name `{}`, already taken by {other}", naming::unraw(name)))
                    .hint(format!("the other one is at {first_at}; rename one of them, or give a `name:` where the format allows it"));
                if first.line > 0 {
                    d = d.related(first.clone(), "the other one is here");
                }
                diags.push(d);
                false
            }
            None => {
                self.0.insert(name.to_owned(), (what, place));
                true
            }
        }
    }

    fn reserve(&mut self, names: &[&str], file: &str) {
        for name in names {
            self.0.insert(
                (*name).to_owned(),
                (
                    "a name the generator reserves".to_owned(),
                    Place {
                        file: file.to_owned(),
                        line: 0,
                        column: 0,
                    },
                ),
            );
        }
    }
}

/// Where an object of dotted paths travels: where its first leaf does (`check` makes every
/// leaf under one top-level object travel in the same place).
fn leaf_location(node: &Node<'_>) -> Location {
    match node.children.first() {
        Some((_, Child::Leaf(_, param))) => param
            .location
            .as_ref()
            .map(|l| l.value)
            .unwrap_or(Location::Body),
        Some((_, Child::Object { node, .. })) => leaf_location(node),
        None => Location::Body,
    }
}

fn provenance(source: &Option<String>, unverified: &Option<spec::Text>) -> Provenance {
    Provenance {
        source: source.clone(),
        unverified: unverified.clone(),
    }
}

/// A node of the tree that dotted paths describe.
#[derive(Default)]
struct Node<'a> {
    children: Vec<(String, Child<'a>)>,
}

enum Child<'a> {
    Leaf(&'a Spanned<String>, &'a Param),
    Object {
        list: bool,
        key: &'a Spanned<String>,
        node: Node<'a>,
    },
}

impl Lowerer<'_> {
    fn at<T>(&self, value: &Spanned<T>) -> Place {
        Place::of(self.file, value)
    }

    fn api(&mut self) -> ApiIr {
        let spec = self.spec;
        let api = &spec.api;
        self.type_names.reserve(RESERVED_TYPES, self.file);
        let environments = self.environments();
        let enums: Vec<EnumIr> = spec
            .enums
            .iter()
            .map(|(name, e)| self.enum_ir(name, e))
            .collect();
        let mut types = Vec::new();
        let mut one_ofs = Vec::new();
        for (name, ty) in spec.types.iter() {
            let rust_name = self.type_name(name, "type");
            if let Some(alternatives) = &ty.one_of {
                one_ofs.push(OneOfIr {
                    rust_name,
                    spec_name: name.value.clone(),
                    doc: ty.doc.clone(),
                    discriminator: crate::check::discriminator_of(spec, ty).to_owned(),
                    variants: self.variants(
                        alternatives.value.iter().map(|a| a.value.as_str()),
                        crate::check::discriminator_of(spec, ty),
                    ),
                    flattened: self.flattened_one_ofs(
                        alternatives.value.iter().map(|a| a.value.as_str()),
                        crate::check::discriminator_of(spec, ty),
                    ),
                    provenance: provenance(&ty.source, &ty.unverified),
                });
                continue;
            }
            let root = self.tree(&ty.fields);
            self.structs(
                &root,
                &rust_name,
                &rust_name,
                name,
                "",
                StructKind::Data,
                ty.doc.clone(),
                ty.type_tag.clone(),
                provenance(&ty.source, &ty.unverified),
                &mut types,
            );
        }
        let mut method_names = Names::default();
        method_names.reserve(RESERVED_CLIENT_METHODS, self.file);
        let mut operations = Vec::new();
        let mut request_structs = Vec::new();
        for (name, _) in spec.groups.iter() {
            self.group(&name.value, &mut request_structs, 0);
        }
        for (id, op) in spec.operations.iter() {
            self.uses = op.uses.clone();
            operations.push(self.operation(
                id,
                op,
                &mut method_names,
                &mut request_structs,
                &types,
            ));
        }
        self.uses.clear();
        for (env, (key, _)) in environments.iter().zip(spec.api.environments.iter()) {
            if let Some(constructor) = &env.constructor {
                let place = self.at(key);
                method_names.claim(
                    constructor,
                    format!("the constructor of environment `{}`", env.key),
                    place.clone(),
                    self.diags,
                );
                method_names.claim(
                    &format!("{}_base_url", naming::unraw(constructor)),
                    format!("the base URL function of environment `{}`", env.key),
                    place,
                    self.diags,
                );
            }
        }
        box_recursive_fields(&mut types, &mut request_structs);
        let tags = self.tags(&types);
        let expandable = expandable_targets(&types, &request_structs);
        let notifications = self.notifications();
        let mut api = ApiIr {
            index: NameIndex::default(),
            sandbox: sandbox_answers(api.sandbox.as_ref()),
            notifications,
            spec_file: self.file.to_owned(),
            module: api.name.value.clone(),
            title: api.title.clone(),
            doc: api.doc.clone(),
            auth: auth_schemes(&api.auth.value),
            auth_doc: api.auth_doc.clone(),
            framing: framing(api),
            environments,
            error_codes: api
                .error_codes
                .as_ref()
                .and_then(|c| naming::pascal(&c.value)),
            error_body: error_body(api),
            retry_codes: api.retry_codes.iter().map(|c| c.value.clone()).collect(),
            headers: api
                .headers
                .iter()
                .map(|(name, value)| (name.value.clone(), value.value.clone()))
                .collect(),
            form: api
                .form
                .as_ref()
                .map(|f| FormIr {
                    arrays: f.arrays.as_ref().map(|a| a.value).unwrap_or_default(),
                    booleans: f.booleans,
                    nulls: f.nulls,
                })
                .unwrap_or_default(),
            idempotency: api.idempotency.as_ref().map(|i| IdempotencyIr {
                header: i.header.value.clone(),
                max_length: i.max_length.as_ref().map(|m| m.value),
                doc: i.doc.clone(),
            }),
            operations,
            request_structs,
            aliases: std::mem::take(&mut self.aliases),
            types,
            enums,
            one_ofs,
            tags,
            expandable,
        };
        api.build_index();
        api
    }

    /// Lowers the group `name` once (the groups it uses first) into its request structs.
    /// `depth` counts the groups being lowered around it: a chain of groups deeper than a
    /// dotted path may be is S064 already (`groups::expand`), and stops here too, so a hostile
    /// spec cannot make this recurse deeply.
    fn group(&mut self, name: &str, out: &mut Vec<StructIr>, depth: usize) {
        if self.groups.contains_key(name) || depth > crate::limits::MAX_PATH_SEGMENTS {
            return;
        }
        let spec = self.spec;
        let Some((key, group)) = spec.groups.iter().find(|(k, _)| k.value == name) else {
            return;
        };
        // A cycle is S063 already; `None` marks the group as in progress.
        self.groups.insert(name.to_owned(), None);
        for u in &group.uses {
            self.group(&u.group, out, depth + 1);
        }
        let rust_name = self.type_name(key, "group");
        let required = group.params.iter().any(|(k, p)| {
            p.required.as_ref().is_some_and(|r| r.value)
                && crate::paths::segments(&k.value).is_ok_and(|s| s.iter().all(|s| !s.list))
        });
        let saved = std::mem::replace(&mut self.uses, group.uses.clone());
        let (first, first_alias) = (out.len(), self.aliases.len());
        let root = self.tree(&group.params);
        let doc = group.doc.clone().or_else(|| {
            Some(spec::Text::Plain(format!(
                "The parameter group `{name}`, shared by the operations that use it."
            )))
        });
        self.structs(
            &root,
            &rust_name,
            &rust_name,
            key,
            "",
            StructKind::Request,
            doc,
            None,
            Provenance::default(),
            out,
        );
        self.uses = saved;
        let mut names = vec![(String::new(), rust_name.clone())];
        let nested = out[first + 1..].iter().map(|s| &s.rust_name);
        let inner_aliases = self.aliases[first_alias..].iter().map(|a| &a.name);
        for (made, target) in nested
            .map(|n| (n, n))
            .chain(inner_aliases.zip(self.aliases[first_alias..].iter().map(|a| &a.target)))
        {
            if let Some(suffix) = made.strip_prefix(rust_name.as_str()) {
                names.push((suffix.to_owned(), target.clone()));
            }
        }
        // Inside a group, the names a block would have had never existed: no alias is emitted
        // for them, but each use of this group gets one (`names`).
        self.aliases.truncate(first_alias);
        self.groups.insert(
            name.to_owned(),
            Some(LoweredGroup {
                spec_name: name.to_owned(),
                rust_name,
                required,
                names,
            }),
        );
    }

    /// The Rust name of a named type or enum, claimed in the module's type namespace.
    fn type_name(&mut self, name: &Spanned<String>, what: &str) -> String {
        let place = self.at(name);
        match naming::pascal(&name.value) {
            Some(rust) => {
                self.type_names
                    .claim(&rust, format!("{what} `{}`", name.value), place, self.diags);
                rust
            }
            None => {
                self.diags.push(
                    Diagnostic::error(
                        "S008",
                        place,
                        format!("{what} name `{}` cannot become a Rust name", name.value),
                    )
                    .hint("use ASCII letters and digits"),
                );
                "Invalid".to_owned()
            }
        }
    }

    fn environments(&mut self) -> Vec<EnvironmentIr> {
        let mut names = Names::default();
        let mut out = Vec::new();
        for (key, env) in self.spec.api.environments.iter() {
            let place = self.at(key);
            let Some(rust_name) = naming::pascal(&key.value) else {
                self.diags.push(
                    Diagnostic::error(
                        "S008",
                        place,
                        format!("environment `{}` cannot become a Rust name", key.value),
                    )
                    .hint("use ASCII letters, digits and `-`"),
                );
                continue;
            };
            names.claim(
                &rust_name,
                format!("environment `{}`", key.value),
                place,
                self.diags,
            );
            let mut arguments = Names::default();
            arguments.reserve(&["credentials"], self.file);
            let mut variables = Vec::new();
            for (name, variable) in env.variables.iter() {
                let place = self.at(name);
                let Some(argument) = naming::snake(&name.value) else {
                    self.diags.push(
                        Diagnostic::error(
                            "S008",
                            place,
                            format!("URL variable `{}` cannot become a Rust name", name.value),
                        )
                        .hint("use ASCII letters, digits and `_`"),
                    );
                    continue;
                };
                arguments.claim(
                    &argument,
                    format!("URL variable `{}`", name.value),
                    place,
                    self.diags,
                );
                variables.push(UrlVariableIr {
                    name: name.value.clone(),
                    rust_name: argument,
                    doc: variable.doc.clone(),
                    pattern: variable.pattern.as_ref().map(|p| p.value.clone()),
                    example: variable.example.as_ref().map(|e| e.value.clone()),
                });
            }
            let constructor = if env.variables.is_empty() {
                None
            } else {
                naming::snake(&key.value)
            };
            out.push(EnvironmentIr {
                key: key.value.clone(),
                rust_name,
                constructor,
                variables,
                url: env.url.value.clone(),
                doc: env.doc.clone(),
                provenance: provenance(&env.source, &env.unverified),
            });
        }
        out
    }

    fn notifications(&mut self) -> Vec<NotificationIr> {
        let mut modules = Names::default();
        modules.reserve(RESERVED_MODULES, self.file);
        let mut out = Vec::new();
        for (name, n) in self.spec.notifications.iter() {
            let place = self.at(name);
            let Some(module) =
                naming::snake(&name.value).filter(|m| !m.starts_with("r#") && !m.ends_with('_'))
            else {
                self.diags.push(
                    Diagnostic::error(
                        "S008",
                        place,
                        format!("notification `{}` cannot become a module name", name.value),
                    )
                    .hint("use lower-case ASCII letters, digits and `_`, not a Rust keyword"),
                );
                continue;
            };
            modules.claim(
                &module,
                format!("notification `{}`", name.value),
                place,
                self.diags,
            );
            let sig = &n.signature;
            let mut key_names = Names::default();
            let keys = self.snake_names(
                sig.keys.iter().map(|(k, v)| (k, &v.doc)),
                "key",
                &mut key_names,
            );
            let mut field_names = Names::default();
            field_names.reserve(&["payload"], self.file);
            let fields = self.snake_names(
                n.fields.iter().map(|(k, v)| (k, &v.doc)),
                "field",
                &mut field_names,
            );
            let text = |v: &Option<Spanned<String>>| v.as_ref().map(|v| v.value.clone());
            let carrier = match n.encoding.value {
                NotificationEncoding::Form => Carrier::Form {
                    signature_field: text(&sig.field).unwrap_or_default(),
                    algorithm: text(&sig.algorithm_field).zip(text(&sig.algorithm)),
                    key_field: text(&sig.key_field),
                    unescape_slashes: sig.unescape_slashes,
                    payload_field: text(&n.payload_field).unwrap_or_default(),
                },
                NotificationEncoding::Json => Carrier::Header {
                    name: text(&sig.header).unwrap_or_default(),
                    part: text(&sig.part),
                    timestamp_part: text(&sig.timestamp_part),
                    // Checked before lowering (S086).
                    signed: sig
                        .signed
                        .as_ref()
                        .and_then(|s| {
                            crate::check::signature::template(
                                &s.value,
                                sig.timestamp_part.as_ref().map(|t| t.value.as_str()),
                            )
                            .ok()
                        })
                        .unwrap_or_else(|| vec![crate::check::signature::TemplatePiece::Body]),
                    tolerance: sig.tolerance.as_ref().map(|t| t.value),
                },
            };
            // `scheme: hmac_sha256_hex` (format 1) is `hmac: sha256` with `encoding: hex`.
            let mac = MacIr {
                hmac: sig.hmac.as_ref().map_or(HmacHash::Sha256, |h| h.value),
                encoding: sig
                    .encoding
                    .as_ref()
                    .map_or(SignatureEncoding::Hex, |e| e.value),
                key_encoding: sig
                    .key_encoding
                    .as_ref()
                    .map_or(KeyEncoding::Text, |k| k.value),
            };
            out.push(NotificationIr {
                module,
                summary: n.summary.clone(),
                description: n.description.clone(),
                carrier,
                mac,
                keys,
                payload: naming::pascal(&n.payload.value).unwrap_or_else(|| "Invalid".to_owned()),
                fields,
                provenance: provenance(&n.source, &n.unverified),
            });
        }
        out
    }

    /// Wire name, snake_case Rust name and doc of each entry, claimed in `names`; an entry
    /// without a Rust name is a diagnostic and is left out.
    fn snake_names<'s>(
        &mut self,
        entries: impl Iterator<Item = (&'s Spanned<String>, &'s Option<spec::Text>)>,
        what: &str,
        names: &mut Names,
    ) -> Vec<(String, String, Option<spec::Text>)> {
        let mut out = Vec::new();
        for (key, doc) in entries {
            let place = self.at(key);
            let Some(rust) = naming::snake(&key.value) else {
                self.diags.push(
                    Diagnostic::error(
                        "S008",
                        place,
                        format!("{what} `{}` cannot become a Rust name", key.value),
                    )
                    .hint("use ASCII letters, digits, `_` and `-`"),
                );
                continue;
            };
            names.claim(&rust, format!("{what} `{}`", key.value), place, self.diags);
            out.push((key.value.clone(), rust, doc.clone()));
        }
        out
    }

    fn enum_ir(&mut self, name: &Spanned<String>, e: &spec::Enum) -> EnumIr {
        let rust_name = self.type_name(name, "enum");
        let mut variants = Names::default();
        if e.open {
            variants.reserve(&["Unknown"], self.file);
        }
        let mut methods = Names::default();
        methods.reserve(RESERVED_ENUM_METHODS, self.file);
        let columns: Vec<ColumnIr> = e
            .data
            .iter()
            .filter_map(|(key, column)| {
                let place = self.at(key);
                let Some(rust_name) = naming::snake(&key.value) else {
                    self.diags.push(
                        Diagnostic::error(
                            "S008",
                            place,
                            format!("data column `{}` cannot become a Rust name", key.value),
                        )
                        .hint("use ASCII letters and digits"),
                    );
                    return None;
                };
                methods.claim(
                    &rust_name,
                    format!("data column `{}`", key.value),
                    place,
                    self.diags,
                );
                let ty = match column.ty.value.as_str() {
                    "integer" => ColumnType::Integer,
                    "boolean" => ColumnType::Boolean,
                    _ => ColumnType::String,
                };
                let total = !e.open
                    && e.values
                        .value
                        .iter()
                        .all(|v| v.data.get(&key.value).is_some());
                Some(ColumnIr {
                    rust_name,
                    key: key.value.clone(),
                    ty,
                    doc: column.doc.clone(),
                    total,
                })
            })
            .collect();
        let mut values = Vec::new();
        for value in &e.values.value {
            let wire = value.value.value.clone();
            let place = value
                .name
                .as_ref()
                .map_or_else(|| self.at(&value.value), |n| self.at(n));
            let derived = match (&value.name, &wire) {
                (Some(name), _) => naming::is_identifier(&name.value).then(|| name.value.clone()),
                (None, None) => Some("Null".to_owned()),
                (None, Some(w)) => naming::pascal(w),
            };
            let Some(rust_name) = derived else {
                let shown = wire
                    .as_deref()
                    .map_or("null".to_owned(), |w| format!("{w:?}"));
                self.diags.push(
                    Diagnostic::error(
                        "S008",
                        place,
                        format!(
                            "enum value {shown} of `{}` cannot become a Rust name",
                            name.value
                        ),
                    )
                    .hint("give the value a `name:` (an UpperCamelCase identifier)"),
                );
                continue;
            };
            let shown = wire
                .as_deref()
                .map_or("null".to_owned(), |w| format!("`{w}`"));
            variants.claim(&rust_name, format!("value {shown}"), place, self.diags);
            let data = columns
                .iter()
                .map(|c| value.data.get(&c.key).map(|d| d.value.clone()))
                .collect();
            values.push(EnumValueIr {
                wire,
                rust_name,
                doc: value.doc.clone(),
                data,
                provenance: provenance(&value.source, &value.unverified),
            });
        }
        let minor_units = e.minor_units.as_ref().and_then(|m| {
            columns
                .iter()
                .position(|c| c.key == m.value && c.ty == ColumnType::Integer)
        });
        EnumIr {
            minor_units,
            rust_name,
            spec_name: name.value.clone(),
            doc: e.doc.clone(),
            open: e.open,
            columns,
            values,
            provenance: provenance(&e.source, &e.unverified),
        }
    }

    /// Builds the tree of dotted paths, reporting conflicting paths.
    fn tree<'p>(&mut self, params: &'p spec::Entries<Param>) -> Node<'p> {
        let mut root = Node::default();
        for (key, param) in params.iter() {
            let place = self.at(key);
            let segments = match crate::paths::segments(&key.value) {
                Ok(segments) => segments,
                Err(crate::paths::PathError::EmptySegment) => {
                    self.diags.push(
                        Diagnostic::error(
                            "S005",
                            place,
                            format!("`{}` has an empty path segment", key.value),
                        )
                        .hint("write names separated by single dots: `a.b.c`"),
                    );
                    continue;
                }
                Err(crate::paths::PathError::BadQuote(why)) => {
                    self.diags.push(
                        Diagnostic::error("S061", place, format!("`{}` {why}", crate::limits::excerpt(&key.value)))
                            .hint("a wire name holding a dot is one segment in double quotes: `metadata.\"order.id\"` (format 2)"),
                    );
                    continue;
                }
            };
            if segments.len() > crate::limits::MAX_PATH_SEGMENTS {
                let limit = crate::limits::MAX_PATH_SEGMENTS;
                self.diags.push(
                    Diagnostic::error(
                        "S027",
                        place,
                        format!(
                            "`{}` has {} path segments, more than {limit}",
                            crate::limits::excerpt(&key.value),
                            segments.len()
                        ),
                    )
                    .hint(format!("payspec reads dotted paths of at most {limit} segments; name an object type under `types:` for the inner objects")),
                );
                continue;
            }
            if segments.last().is_some_and(|s| s.list) {
                self.diags.push(
                    Diagnostic::error("S005", place, format!("`{}` ends with `[]`", key.value))
                        .hint("`name[].field` addresses fields of a list of objects; for a list of scalars write `name: { type: list<string> }`"),
                );
                continue;
            }
            let mut node = &mut root;
            let mut ok = true;
            for (i, segment) in segments.iter().enumerate() {
                let last = i + 1 == segments.len();
                let (name, list) = (segment.name, segment.list);
                let prefix = segments[..=i]
                    .iter()
                    .fold(String::new(), |p, s| crate::paths::join(&p, s.name));
                let position = node.children.iter().position(|(n, _)| n == name);
                if last {
                    if let Some(pos) = position {
                        let other = match &node.children[pos].1 {
                            Child::Leaf(k, _) | Child::Object { key: k, .. } => k.referenced.line(),
                        };
                        self.diags.push(
                            Diagnostic::error(
                                "S005",
                                place.clone(),
                                format!(
                                    "`{}` conflicts with the object `{prefix}` of line {other}",
                                    key.value
                                ),
                            )
                            .hint("a path is either a field or an object with fields, not both"),
                        );
                        ok = false;
                        break;
                    }
                    node.children
                        .push((name.to_owned(), Child::Leaf(key, param)));
                    break;
                }
                let pos = match position {
                    Some(pos) => pos,
                    None => {
                        node.children.push((
                            name.to_owned(),
                            Child::Object {
                                list,
                                key,
                                node: Node::default(),
                            },
                        ));
                        node.children.len() - 1
                    }
                };
                match &mut node.children[pos].1 {
                    Child::Leaf(k, _) => {
                        self.diags.push(
                            Diagnostic::error("S005", place.clone(), format!("`{}` makes `{prefix}` an object, but line {} declares it a field", key.value, k.referenced.line()))
                                .hint("a path is either a field or an object with fields, not both"),
                        );
                        ok = false;
                    }
                    Child::Object {
                        list: was_list,
                        key: k,
                        ..
                    } if *was_list != list => {
                        self.diags.push(
                            Diagnostic::error(
                                "S005",
                                place.clone(),
                                format!(
                                    "`{}` uses `{name}` as {} but line {} as {}",
                                    key.value,
                                    if list { "a list" } else { "an object" },
                                    k.referenced.line(),
                                    if list { "an object" } else { "a list" }
                                ),
                            )
                            .hint("write `name[].field` for every field of a list of objects"),
                        );
                        ok = false;
                    }
                    Child::Object { node: child, .. } => {
                        node = child;
                        continue;
                    }
                }
                break;
            }
            let _ = ok;
        }
        root
    }

    /// Emits the struct for `node` and, depth first, those nested in it; returns whether any
    /// field inside is required.
    #[allow(clippy::too_many_arguments)]
    fn structs(
        &mut self,
        node: &Node<'_>,
        rust_name: &str,
        child_prefix: &str,
        root: &Spanned<String>,
        path: &str,
        kind: StructKind,
        doc: Option<spec::Text>,
        type_tag: Option<String>,
        provenance_: Provenance,
        out: &mut Vec<StructIr>,
    ) -> bool {
        let index = out.len();
        out.push(StructIr {
            rust_name: rust_name.to_owned(),
            kind,
            path: path.to_owned(),
            root: root.value.clone(),
            doc,
            type_tag,
            fields: Vec::new(),
            provenance: provenance_,
        });
        let mut field_names = Names::default();
        field_names.reserve(RESERVED_STRUCT_METHODS, self.file);
        let mut fields = Vec::new();
        let mut any_required = false;
        for (wire, child) in &node.children {
            let dotted_path = crate::paths::join(path, wire);
            let key = match child {
                Child::Leaf(k, _) | Child::Object { key: k, .. } => *k,
            };
            let place = self.at(key);
            let given = match child {
                Child::Leaf(_, param) => param.name.as_ref(),
                Child::Object { .. } => None,
            };
            let field_name = match given {
                Some(given) => match naming::field_name(&given.value) {
                    Ok(name) => name,
                    Err(why) => {
                        self.diags.push(
                            Diagnostic::error(
                                "S060",
                                self.at(given),
                                format!("`name: {}` {why}", crate::limits::excerpt(&given.value)),
                            )
                            .hint("give a snake_case Rust identifier, such as `return_url_2`"),
                        );
                        continue;
                    }
                },
                None => match naming::snake(wire) {
                    Some(name) => name,
                    None => {
                        self.diags.push(
                            Diagnostic::error(
                                "S008",
                                place,
                                format!("`{wire}` cannot become a Rust field name"),
                            )
                            .hint("give it a Rust name with `name:` (format 2), such as `name: order_id`"),
                        );
                        continue;
                    }
                },
            };
            if let Some((other, first)) = field_names.0.get(&field_name) {
                let first_at = if first.line == 0 {
                    "the generated code".to_owned()
                } else {
                    format!("line {}", first.line)
                };
                let mut d = Diagnostic::error("S004", place.clone(), format!("`{dotted_path}` becomes the Rust name `{}`, already taken by {other}", naming::unraw(&field_name)))
                    .hint(format!("the other one is at {first_at}; wire names are the API's, so give this one its own Rust name with `name:` (format 2), such as `name: {}_2`", naming::unraw(&field_name)));
                if first.line > 0 {
                    d = d.related(first.clone(), "the other one is here");
                }
                self.diags.push(d);
            } else {
                field_names.claim(
                    &field_name,
                    format!("`{dotted_path}`"),
                    place.clone(),
                    self.diags,
                );
            }
            match child {
                Child::Leaf(_, param) => {
                    // In a named type (format 2), a required field is required whenever the
                    // object is sent; the object itself stays optional where it is used.
                    // Format 1 ignored `required` there, and still does.
                    let required = param.required.as_ref().is_some_and(|r| r.value)
                        && (kind == StructKind::Request || self.spec.format.value >= 2);
                    any_required |= required && kind == StructKind::Request;
                    fields.push(FieldIr {
                        wire_name: wire.clone(),
                        rust_name: field_name,
                        dotted_path,
                        ty: self.type_ir(&param.ty),
                        boxed: false,
                        location: param
                            .location
                            .as_ref()
                            .map(|l| l.value)
                            .unwrap_or(Location::Body),
                        required,
                        recommended: param.recommended,
                        nullable: kind == StructKind::Request
                            && param.nullable.as_ref().is_some_and(|n| n.value),
                        sensitive: param.sensitive,
                        constraints: Constraints {
                            min: param.min.as_ref().map(|v| v.value),
                            max: param.max.as_ref().map(|v| v.value),
                            min_length: param.min_length.as_ref().map(|v| v.value),
                            max_length: param.max_length.as_ref().map(|v| v.value),
                            ascii: param.ascii.as_ref().is_some_and(|v| v.value),
                            pattern: param.pattern.as_ref().map(|v| v.value.clone()),
                        },
                        doc: param.doc.clone(),
                        provenance: provenance(&param.source, &param.unverified),
                    });
                }
                Child::Object {
                    list,
                    node: child_node,
                    ..
                } => {
                    let Some(suffix) = naming::pascal(wire) else {
                        continue;
                    };
                    let child_name = format!(
                        "{child_prefix}{}",
                        naming::unraw(&suffix).trim_end_matches('_')
                    );
                    let child_path = if *list {
                        format!("{dotted_path}[]")
                    } else {
                        dotted_path.clone()
                    };
                    let group = self
                        .uses
                        .iter()
                        .find(|u| u.path == child_path)
                        .and_then(|u| self.groups.get(&u.group))
                        .cloned()
                        .flatten();
                    if let Some(group) = group {
                        // The group's one type, and under the name the block would have had
                        // an alias of it (with those of the objects inside), so that code
                        // written before the group keeps compiling.
                        for (suffix, target) in &group.names {
                            let alias = format!("{child_name}{suffix}");
                            self.type_names.claim(
                                &alias,
                                format!(
                                    "the object `{dotted_path}` of `{}` (an alias of `{target}`)",
                                    root.value
                                ),
                                place.clone(),
                                self.diags,
                            );
                            self.aliases.push(AliasIr {
                                name: alias,
                                target: target.clone(),
                                group: group.spec_name.clone(),
                            });
                        }
                        let required = group.required && !*list && kind == StructKind::Request;
                        any_required |= required;
                        let ty = TypeIr::Struct(group.rust_name.clone());
                        fields.push(FieldIr {
                            wire_name: wire.clone(),
                            rust_name: field_name,
                            dotted_path,
                            ty: if *list {
                                TypeIr::List(Box::new(ty))
                            } else {
                                ty
                            },
                            boxed: false,
                            location: Location::Body,
                            required,
                            recommended: false,
                            nullable: false,
                            sensitive: false,
                            constraints: Constraints::default(),
                            doc: None,
                            provenance: Provenance::default(),
                        });
                        continue;
                    }
                    self.type_names.claim(
                        &child_name,
                        format!("the object `{dotted_path}` of `{}`", root.value),
                        place,
                        self.diags,
                    );
                    let required = self.structs(
                        child_node,
                        &child_name,
                        &child_name,
                        root,
                        &child_path,
                        kind,
                        None,
                        None,
                        Provenance::default(),
                        out,
                    ) && !*list;
                    any_required |= required;
                    let ty = TypeIr::Struct(child_name);
                    fields.push(FieldIr {
                        wire_name: wire.clone(),
                        rust_name: field_name,
                        dotted_path,
                        ty: if *list {
                            TypeIr::List(Box::new(ty))
                        } else {
                            ty
                        },
                        boxed: false,
                        location: leaf_location(child_node),
                        required,
                        recommended: false,
                        nullable: false,
                        sensitive: false,
                        constraints: Constraints::default(),
                        doc: None,
                        provenance: Provenance::default(),
                    });
                }
            }
        }
        out[index].fields = fields;
        any_required
    }

    /// The alternatives of a one-of: each type's Rust name and tag (checked to exist).
    /// The alternatives of a one-of read by `discriminator`, the one-ofs read by the same
    /// field flattened into it (`check::flattened`).
    fn variants<'s>(
        &self,
        names: impl Iterator<Item = &'s str>,
        discriminator: &str,
    ) -> Vec<(String, String)> {
        let names: Vec<&str> = names.map(str::trim).collect();
        crate::check::flattened(self.spec, &names, discriminator)
            .into_iter()
            .filter_map(|part| {
                let tag = self.spec.types.get(part.trim())?.type_tag.clone()?;
                Some((naming::pascal(part.trim())?, tag))
            })
            .collect()
    }

    /// The one-ofs flattened into a one-of (listed in it, at any depth, and read by the same
    /// discriminator): each one's Rust name and the Rust names of its variants, so that a
    /// value of it converts into the outer one-of.
    fn flattened_one_ofs<'s>(
        &self,
        names: impl Iterator<Item = &'s str>,
        discriminator: &str,
    ) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        let mut stack: Vec<&str> = names.collect();
        while let Some(part) = stack.pop() {
            let Some(ty) = self.spec.types.get(part) else {
                continue;
            };
            let Some(alternatives) = &ty.one_of else {
                continue;
            };
            if crate::check::discriminator_of(self.spec, ty) != discriminator {
                continue;
            }
            let Some(rust) = naming::pascal(part) else {
                continue;
            };
            if out.iter().any(|(n, _)| *n == rust) {
                continue;
            }
            let variants = self
                .variants(
                    alternatives.value.iter().map(|a| a.value.as_str()),
                    discriminator,
                )
                .into_iter()
                .map(|(v, _)| v)
                .collect();
            out.push((rust, variants));
            stack.extend(alternatives.value.iter().map(|a| a.value.as_str()));
        }
        out.sort();
        out
    }

    /// The tag of each tagged root type, in the field its one-ofs read it from (the API's
    /// discriminator when none says otherwise; check makes them agree, S095).
    fn tags(&self, types: &[StructIr]) -> BTreeMap<String, TagIr> {
        let spec = self.spec;
        let mut field_of: BTreeMap<&str, &str> = BTreeMap::new();
        for (_, ty) in spec.types.iter() {
            if let Some(alternatives) = &ty.one_of {
                let discriminator = crate::check::discriminator_of(spec, ty);
                let names: Vec<&str> = alternatives
                    .value
                    .iter()
                    .map(|a| a.value.as_str())
                    .collect();
                for a in crate::check::flattened(spec, &names, discriminator) {
                    field_of.entry(a).or_insert(discriminator);
                }
            }
        }
        let api = crate::check::api_discriminator(spec);
        types
            .iter()
            .filter(|s| s.path.is_empty())
            .filter_map(|s| {
                let value = s.type_tag.clone()?;
                let field = field_of.get(s.root.as_str()).copied().unwrap_or(api);
                Some((
                    s.rust_name.clone(),
                    TagIr {
                        field: field.to_owned(),
                        value,
                    },
                ))
            })
            .collect()
    }

    fn type_ir(&self, ty: &Spanned<String>) -> TypeIr {
        fn convert(expr: &TypeExpr, spec: &SpecFile) -> TypeIr {
            match expr {
                TypeExpr::Builtin(b) => match *b {
                    "string" => TypeIr::String,
                    "integer" => TypeIr::Integer,
                    "number" => TypeIr::Number,
                    "boolean" => TypeIr::Boolean,
                    "amount" => TypeIr::Amount,
                    "decimal" => TypeIr::Decimal,
                    "date" => TypeIr::Date,
                    "date-time" => TypeIr::DateTime,
                    _ => TypeIr::Json,
                },
                TypeExpr::List(inner) => TypeIr::List(Box::new(convert(inner, spec))),
                TypeExpr::Map(inner) => TypeIr::Map(Box::new(convert(inner, spec))),
                TypeExpr::Expandable(inner) => TypeIr::Expandable(Box::new(convert(inner, spec))),
                TypeExpr::Named(name) => {
                    let rust = naming::pascal(name).unwrap_or_else(|| "Invalid".to_owned());
                    if spec.types.get(name).is_some() {
                        TypeIr::Struct(rust)
                    } else if spec.enums.get(name).is_some() {
                        TypeIr::Enum(rust)
                    } else {
                        TypeIr::Json
                    }
                }
            }
        }
        TypeExpr::parse(&ty.value).map_or(TypeIr::Json, |expr| convert(&expr, self.spec))
    }

    fn operation(
        &mut self,
        id: &Spanned<String>,
        op: &spec::Operation,
        method_names: &mut Names,
        out: &mut Vec<StructIr>,
        types: &[StructIr],
    ) -> OperationIr {
        let place = self.at(id);
        let (method_name, base) = match (naming::snake(&id.value), naming::pascal(&id.value)) {
            (Some(snake), Some(pascal)) => (
                snake,
                naming::unraw(&pascal).trim_end_matches('_').to_owned(),
            ),
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        "S008",
                        place.clone(),
                        format!("operation id `{}` cannot become a Rust name", id.value),
                    )
                    .hint("use ASCII letters, digits, `/`, `.`, `-` and `_`"),
                );
                ("invalid".to_owned(), "Invalid".to_owned())
            }
        };
        let request = format!("{base}Request");
        // The `_with_response` sibling is claimed only when the method's own name is free: a
        // collision is reported once.
        let claimed = method_names.claim(
            &method_name,
            format!("operation `{}`", id.value),
            place.clone(),
            self.diags,
        );
        if claimed {
            method_names.claim(
                &format!("{}_with_response", naming::unraw(&method_name)),
                format!("the `_with_response` method of operation `{}`", id.value),
                place.clone(),
                self.diags,
            );
        }
        if claimed {
            self.type_names.claim(
                &request,
                format!("the request of `{}`", id.value),
                place,
                self.diags,
            );
        } else {
            // The operation's name collides (reported above): its request's name, the same
            // name with a suffix, is the consequence, not a second mistake.
            self.type_names
                .0
                .entry(request.clone())
                .or_insert((format!("the request of `{}`", id.value), place));
        }
        let root = self.tree(&op.params);
        let first = out.len();
        self.structs(
            &root,
            &request,
            &base,
            id,
            "",
            StructKind::Request,
            None,
            None,
            Provenance::default(),
            out,
        );
        let fields = &out[first].fields;
        let field_of = |wire: &str| {
            fields
                .iter()
                .find(|f| f.wire_name == wire)
                .map(|f| f.rust_name.clone())
        };
        let mut path_segments = Vec::new();
        let mut rest = op.path.value.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| c + open) else {
                break;
            };
            path_segments.push(PathPiece::Literal(rest[..open].to_owned()));
            let name = &rest[open + 1..close];
            match field_of(name) {
                Some(field) => path_segments.push(PathPiece::Param(field)),
                None => path_segments.push(PathPiece::Literal(format!("{{{name}}}"))),
            }
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            path_segments.push(PathPiece::Literal(rest.to_owned()));
        }
        let query = fields
            .iter()
            .filter(|f| f.location == Location::Query)
            .map(|f| (f.wire_name.clone(), f.rust_name.clone(), f.ty.clone()))
            .collect();
        let headers = fields
            .iter()
            .filter(|f| f.location == Location::Header)
            .map(|f| (f.wire_name.clone(), f.rust_name.clone()))
            .collect();
        // The envelope protocol always POSTs a JSON object, `{}` when nothing is set (a GET or
        // DELETE still sends no body).
        let has_body = fields.iter().any(|f| f.location == Location::Body)
            || (self.spec.api.is_envelope()
                && matches!(
                    op.method.value,
                    spec::Method::Post | spec::Method::Put | spec::Method::Patch
                ));
        let encoding = op
            .encoding
            .as_ref()
            .or(self.spec.api.encoding.as_ref())
            .map(|e| e.value)
            .unwrap_or_default();
        let response = match op.response.value.as_str() {
            one_of if one_of.contains('|') => {
                let name = format!("{base}Answer");
                self.type_names.claim(
                    &name,
                    format!("the answer of `{}`", id.value),
                    self.at(&op.response),
                    self.diags,
                );
                let discriminator = crate::check::api_discriminator(self.spec).to_owned();
                let variants = self.variants(one_of.split('|'), &discriminator);
                ResponseIr::OneOf {
                    name,
                    discriminator,
                    variants,
                }
            }
            "json" => ResponseIr::Json,
            "none" => ResponseIr::None,
            name if self.spec.types.get(name).is_some() => {
                ResponseIr::Named(naming::pascal(name).unwrap_or_else(|| "Invalid".to_owned()))
            }
            _ => ResponseIr::Json,
        };
        let errors =
            op.errors
                .iter()
                .map(|code| {
                    let variant = self.error_codes.get(code.value.as_str()).and_then(|value| {
                        match &value.name {
                            Some(name) => Some(name.value.clone()),
                            None => naming::pascal(&code.value),
                        }
                    });
                    (code.value.clone(), variant)
                })
                .collect();
        let mut presets = Vec::new();
        let mut preset_names = Names::default();
        preset_names.reserve(RESERVED_STRUCT_METHODS, self.file);
        // Setters are already checked among the fields; presets must only avoid them.
        for f in fields {
            preset_names
                .0
                .entry(f.rust_name.clone())
                .or_insert_with(|| {
                    (
                        format!("the setter of `{}`", f.dotted_path),
                        Place {
                            file: self.file.to_owned(),
                            line: 0,
                            column: 0,
                        },
                    )
                });
        }
        for (name, preset) in op.presets.iter() {
            let place = self.at(name);
            let Some(method_name) = naming::snake(&name.value) else {
                self.diags.push(
                    Diagnostic::error(
                        "S008",
                        place,
                        format!("preset `{}` cannot become a Rust name", name.value),
                    )
                    .hint("use ASCII letters, digits and `_`"),
                );
                continue;
            };
            preset_names.claim(
                &method_name,
                format!("preset `{}`", name.value),
                place,
                self.diags,
            );
            // `check` refuses a preset that sets anything but a top-level parameter, or a
            // value that does not fit its type and constraints (S024); an error stops
            // generation before these are emitted.
            let set = preset
                .set
                .iter()
                .filter_map(|(key, value)| {
                    let field = fields.iter().find(|f| {
                        f.wire_name == key.value && !crate::paths::is_nested(&f.dotted_path)
                    })?;
                    Some((
                        field.rust_name.clone(),
                        field.ty.clone(),
                        value.value.to_value(),
                    ))
                })
                .collect();
            presets.push(PresetIr {
                name: name.value.clone(),
                method_name,
                doc: preset.doc.clone(),
                set,
                provenance: provenance(&preset.source, &preset.unverified),
            });
        }
        let pagination = op.pagination.as_ref().and_then(|p| {
            let request_field = |wire: &str| {
                fields
                    .iter()
                    .find(|f| f.wire_name == wire)
                    .map(|f| (f.rust_name.clone(), f.required))
            };
            let (items, items_field) = answer_path(types, &op.response.value, &p.items.value)?;
            let item = match &items_field.ty {
                TypeIr::List(inner) => (**inner).clone(),
                _ => return None,
            };
            let style = match p.style() {
                spec::PagingStyle::Offset => PagingStyleIr::Offset {
                    offset: request_field(&p.offset.as_ref()?.value)?,
                    limit: request_field(&p.limit.as_ref()?.value)?,
                },
                spec::PagingStyle::Cursor | spec::PagingStyle::Link => {
                    let cursor = p.cursor.as_ref()?;
                    let next = p.next.as_ref()?;
                    PagingStyleIr::Cursor {
                        cursor: request_field(&cursor.value)?,
                        cursor_wire: cursor.value.clone(),
                        next: answer_path(types, &op.response.value, &next.value)?.0,
                        next_path: next.value.clone(),
                        limit: match &p.limit {
                            Some(limit) => Some(request_field(&limit.value)?),
                            None => None,
                        },
                        link: p.style() == spec::PagingStyle::Link,
                    }
                }
                spec::PagingStyle::Page => PagingStyleIr::Page {
                    page: request_field(&p.page.as_ref()?.value)?,
                    page_wire: p.page.as_ref()?.value.clone(),
                    limit: match &p.limit {
                        Some(limit) => Some(request_field(&limit.value)?),
                        None => None,
                    },
                    last: match (&p.total_pages, &p.has_more) {
                        (Some(total), _) => LastPage::TotalPages(
                            answer_path(types, &op.response.value, &total.value)?.0,
                            total.value.clone(),
                        ),
                        (None, Some(more)) => LastPage::HasMore(
                            answer_path(types, &op.response.value, &more.value)?.0,
                            more.value.clone(),
                        ),
                        (None, None) => LastPage::Empty,
                    },
                },
                spec::PagingStyle::LastItem => {
                    let id = p.id.as_ref()?;
                    let TypeIr::Struct(item_type) = &item else {
                        return None;
                    };
                    let item_struct = types.iter().find(|s| s.rust_name == *item_type)?;
                    let cursor = p.cursor.as_ref()?;
                    let has_more = p.has_more.as_ref()?;
                    PagingStyleIr::LastItem {
                        cursor: request_field(&cursor.value)?,
                        cursor_wire: cursor.value.clone(),
                        id: struct_path(types, item_struct, &id.value)?.0,
                        id_path: id.value.clone(),
                        has_more: answer_path(types, &op.response.value, &has_more.value)?.0,
                        has_more_path: has_more.value.clone(),
                        limit: match &p.limit {
                            Some(limit) => Some(request_field(&limit.value)?),
                            None => None,
                        },
                    }
                }
            };
            Some(PaginationIr {
                pager: format!(
                    "{}Pages",
                    naming::unraw(&request).trim_end_matches("Request")
                ),
                method_name: format!("{}_pages", naming::unraw(&method_name)),
                style,
                items,
                items_path: p.items.value.clone(),
                item,
            })
        });
        OperationIr {
            presets,
            pagination,
            id: id.value.clone(),
            method_name,
            request,
            summary: op.summary.clone(),
            description: op.description.clone(),
            http_method: op.method.value,
            path: op.path.value.clone(),
            path_segments,
            query,
            headers,
            has_body,
            encoding,
            retry: op.retry.value,
            recovery: op.recovery.clone(),
            response,
            errors,
            rules: op.rules.clone(),
            examples: op
                .examples
                .iter()
                .map(|e| ExampleIr {
                    title: e.title.clone(),
                    request: e.request.value.to_value(),
                    response: e.response.as_ref().map(|r| r.value.to_value()),
                })
                .collect(),
            sandbox: op.sandbox.as_ref().map(|r| {
                resource_rule(r, &sandbox_answers(self.spec.api.sandbox.as_ref()).invalid)
            }),
            provenance: provenance(&op.source, &op.unverified),
        }
    }
}

/// An operation's `sandbox`, with its defaults: `refused` and `missing` default to the API's
/// `sandbox.invalid` answer.
fn resource_rule(
    r: &crate::spec::OperationSandbox,
    invalid: &crate::ir::SandboxAnswerIr,
) -> crate::ir::ResourceRuleIr {
    let answer = |given: Option<&crate::spec::SandboxAnswer>| {
        given.map_or_else(|| invalid.clone(), sandbox_answer)
    };
    crate::ir::ResourceRuleIr {
        resource: r.resource.value.clone(),
        action: r.action.value,
        id: r.id.value.clone(),
        new_id: r
            .new_id
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_default(),
        new_kind: r
            .new_resource
            .as_ref()
            .map(|n| n.value.clone())
            .unwrap_or_default(),
        link: r.link.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
        at: r.at.as_ref().map(|a| a.value.clone()).unwrap_or_default(),
        state: r.state.as_ref().map(|s| s.value.clone()),
        from: r.from.iter().map(|f| f.value.clone()).collect(),
        to: r
            .to
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect(),
        amount: r
            .amount
            .as_ref()
            .map(|a| (a.request.value.clone(), a.of.value.clone())),
        answer_example: r
            .answer
            .as_ref()
            .is_some_and(|a| a.value == crate::spec::ChangeAnswer::Example),
        refused: answer(r.refused.as_ref()),
        over: answer(r.over.as_ref().or(r.refused.as_ref())),
        missing: answer(r.missing.as_ref()),
        when: r
            .when
            .iter()
            .map(|(path, values)| {
                (
                    path.clone(),
                    values.iter().map(|v| v.value.clone()).collect(),
                )
            })
            .collect(),
        otherwise: r
            .otherwise
            .as_ref()
            .map(|next| Box::new(resource_rule(next, invalid))),
    }
}

fn sandbox_answer(a: &crate::spec::SandboxAnswer) -> crate::ir::SandboxAnswerIr {
    crate::ir::SandboxAnswerIr {
        status: a.status.value,
        code: a.code.as_ref().map(|c| c.value.clone()),
        body: a.body.as_ref().map(|b| b.value.to_value().to_string()),
    }
}

/// Boxes the fields that make a type recursive: a plain or optional field whose struct type
/// leads back to the struct holding it. Such fields are the struct-to-struct edges inside one
/// strongly connected component of the graph of structs (a self-reference included); every one
/// of them is boxed, so the choice does not depend on the order of the spec. Lists and maps
/// The Rust fields from the answer type `response` (a spec type name) to the field a dotted
/// `path` names, through nested and named structs, with that field; `None` when there is none
/// (`check` reports it).
fn answer_path<'t>(
    types: &'t [StructIr],
    response: &str,
    path: &str,
) -> Option<(Vec<String>, &'t FieldIr)> {
    let root = types
        .iter()
        .find(|s| s.root == response && s.path.is_empty())?;
    struct_path(types, root, path)
}

/// The Rust field names along the dotted `path` from the struct `start`, through dotted keys
/// and named types, and the field it ends on.
fn struct_path<'t>(
    types: &'t [StructIr],
    start: &'t StructIr,
    path: &str,
) -> Option<(Vec<String>, &'t FieldIr)> {
    let segments = crate::paths::segments(path).ok()?;
    let mut current = start;
    let mut names = Vec::new();
    let mut found: Option<&FieldIr> = None;
    for segment in &segments {
        if segment.list {
            return None;
        }
        if let Some(field) = found.take() {
            let FieldIr {
                ty: TypeIr::Struct(name),
                ..
            } = field
            else {
                return None;
            };
            current = types.iter().find(|s| s.rust_name == *name)?;
        }
        let field = current
            .fields
            .iter()
            .find(|f| f.wire_name == segment.name)?;
        names.push(field.rust_name.clone());
        found = Some(field);
    }
    Some((names, found?))
}

/// are no edges: they already hold their items on the heap.
fn box_recursive_fields(types: &mut [StructIr], requests: &mut [StructIr]) {
    let mut all: Vec<&mut StructIr> = types.iter_mut().chain(requests.iter_mut()).collect();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (i, s) in all.iter().enumerate() {
        index.entry(s.rust_name.clone()).or_insert(i);
    }
    let target = |f: &FieldIr| match &f.ty {
        TypeIr::Struct(name) => index.get(name).copied(),
        _ => None,
    };
    let edges: Vec<Vec<usize>> = all
        .iter()
        .map(|s| s.fields.iter().filter_map(target).collect())
        .collect();
    let component = strongly_connected(&edges);
    for (i, s) in all.iter_mut().enumerate() {
        for f in &mut s.fields {
            f.boxed = target(f).is_some_and(|t| component[t] == component[i]);
        }
    }
}

/// The strongly connected component of each node (Tarjan's algorithm, without recursion: the
/// graph can be as long as the spec).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut order, mut low) = (vec![UNSEEN; n], vec![0; n]);
    let mut component = vec![UNSEEN; n];
    let mut on_stack = vec![false; n];
    let (mut stack, mut next, mut components) = (Vec::new(), 0, 0);
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        // The walk: each node with the position of the next edge to follow.
        let mut walk = vec![(root, 0)];
        order[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, at)) = walk.last() {
            if let Some(&w) = edges[v].get(at) {
                if let Some(top) = walk.last_mut() {
                    top.1 += 1;
                }
                if order[w] == UNSEEN {
                    order[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    walk.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            walk.pop();
            if let Some(&(u, _)) = walk.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = components;
                    if w == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

/// The schemes of `api.auth`: the short form is one Basic scheme. `check` has refused the
/// missing settings, so defaults here are never reached for a valid spec.
fn auth_schemes(auth: &spec::Auth) -> Vec<AuthIr> {
    let schemes = match auth {
        spec::Auth::Basic => {
            return vec![AuthIr {
                scheme: AuthSchemeIr::Basic,
                doc: None,
            }];
        }
        spec::Auth::Schemes(schemes) => schemes,
    };
    let text = |v: &Option<Spanned<String>>| v.as_ref().map(|v| v.value.clone());
    schemes
        .iter()
        .map(|s| {
            let s = &s.value;
            let scheme = match s.scheme.value {
                spec::AuthKind::Basic => AuthSchemeIr::Basic,
                spec::AuthKind::Bearer => AuthSchemeIr::Bearer,
                spec::AuthKind::ApiKey => AuthSchemeIr::ApiKey {
                    location: s
                        .location
                        .as_ref()
                        .map_or(spec::KeyLocation::Header, |l| l.value),
                    name: text(&s.name).unwrap_or_default(),
                    prefix: text(&s.prefix).unwrap_or_default(),
                },
                spec::AuthKind::OAuth2ClientCredentials => AuthSchemeIr::OAuth2ClientCredentials {
                    token_url: text(&s.token_url).unwrap_or_default(),
                    scopes: s
                        .scopes
                        .as_ref()
                        .map(|l| l.value.iter().map(|s| s.value.clone()).collect())
                        .unwrap_or_default(),
                    client_auth: s
                        .client_auth
                        .as_ref()
                        .map_or(spec::ClientAuth::Basic, |c| c.value),
                },
            };
            AuthIr {
                scheme,
                doc: s.doc.clone(),
            }
        })
        .collect()
}

/// The types of `expandable<…>` fields anywhere, each with the Rust name of its top-level
/// string `id` field, if it has one.
fn expandable_targets(
    types: &[StructIr],
    requests: &[StructIr],
) -> BTreeMap<String, Option<String>> {
    fn walk(ty: &TypeIr, out: &mut Vec<String>) {
        match ty {
            TypeIr::List(inner) | TypeIr::Map(inner) => walk(inner, out),
            TypeIr::Expandable(inner) => {
                if let TypeIr::Struct(name) = inner.as_ref() {
                    out.push(name.clone());
                }
                walk(inner, out);
            }
            _ => {}
        }
    }
    let mut names = Vec::new();
    for field in types.iter().chain(requests).flat_map(|s| &s.fields) {
        walk(&field.ty, &mut names);
    }
    names
        .into_iter()
        .map(|name| {
            let id = types
                .iter()
                .find(|s| s.rust_name == name && s.path.is_empty())
                .and_then(|s| {
                    s.fields
                        .iter()
                        .find(|f| f.wire_name == "id" && f.ty == TypeIr::String)
                })
                .map(|f| f.rust_name.clone());
            (name, id)
        })
        .collect()
}

/// The Rust name of the type of the error object (`errors.type`, checked by
/// `check::error_body`).
fn error_body(api: &spec::Api) -> Option<String> {
    let errors = api.errors.as_ref()?;
    naming::pascal(&errors.value.ty.as_ref()?.value)
}

/// The API's framing: its `protocol` preset expanded, or its `framing` and `errors` (checked
/// by `check::framing`; an API giving neither gets the `rest` preset's framing, after S070).
fn framing(api: &spec::Api) -> crate::ir::FramingIr {
    use crate::ir::{EnvelopeIr, ErrorShapeIr, FramingIr};
    match (&api.protocol, &api.errors) {
        (Some(p), _) => match p.value {
            spec::Protocol::Envelope => FramingIr::envelope_preset(),
            spec::Protocol::Rest => FramingIr::rest_preset(),
        },
        (None, None) => FramingIr::rest_preset(),
        (None, Some(errors)) => {
            let errors = &errors.value;
            let framing = api.framing.as_ref().map(|f| &f.value);
            let paths = |p: &Option<Spanned<spec::Paths>>| match p.as_ref().map(|p| &p.value) {
                None => Vec::new(),
                Some(spec::Paths::One(one)) => vec![one.clone()],
                Some(spec::Paths::Many(many)) => many.iter().map(|p| p.value.clone()).collect(),
            };
            let texts = |v: &[Spanned<String>]| v.iter().map(|s| s.value.clone()).collect();
            FramingIr {
                preset: None,
                answer: framing
                    .and_then(|f| f.answer.as_ref())
                    .map_or_else(|| ".".to_owned(), |a| a.value.clone()),
                envelope: framing
                    .and_then(|f| f.envelope.as_ref())
                    .map(|e| EnvelopeIr {
                        status: e.status.value.clone(),
                        success: e.success.value.clone(),
                        error: e.error.value.clone(),
                    }),
                metadata: framing.map(|f| texts(&f.metadata)).unwrap_or_default(),
                headers: framing.map(|f| texts(&f.headers)).unwrap_or_default(),
                errors: ErrorShapeIr {
                    statuses: match errors.statuses.as_ref().map(|s| &s.value) {
                        Some(spec::Statuses::List(list)) => list.iter().map(|s| s.value).collect(),
                        Some(spec::Statuses::Non2xx) | None => Vec::new(),
                    },
                    at: errors
                        .at
                        .as_ref()
                        .map_or_else(|| ".".to_owned(), |a| a.value.clone()),
                    code: paths(&errors.code),
                    message: paths(&errors.message),
                    detailed_code: paths(&errors.detailed_code),
                    detailed_message: paths(&errors.detailed_message),
                    ticket: paths(&errors.ticket),
                    details: paths(&errors.details),
                    field_errors: errors.field_errors.as_ref().map(|f| {
                        (
                            f.at.value.clone(),
                            f.field.value.clone(),
                            f.error.value.clone(),
                        )
                    }),
                    without_code_is_api_error: errors
                        .without_code
                        .as_ref()
                        .is_some_and(|w| w.value == spec::WithoutCode::ApiError),
                },
            }
        }
    }
}

/// The sandbox's documented answers, with the defaults of what the spec leaves out.
fn sandbox_answers(spec: Option<&crate::spec::SandboxAnswers>) -> crate::ir::SandboxIr {
    let answer = |given: Option<&crate::spec::SandboxAnswer>, status: u16| {
        given.map_or(
            crate::ir::SandboxAnswerIr {
                status,
                code: None,
                body: None,
            },
            sandbox_answer,
        )
    };
    crate::ir::SandboxIr {
        invalid: answer(spec.and_then(|s| s.invalid.as_ref()), 400),
        unauthorised: answer(spec.and_then(|s| s.unauthorised.as_ref()), 401),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cycles_without_recursing() {
        // 0 -> 1 -> 2 -> 0 is a cycle, 3 points at itself, 4 -> 0 and 5 stand alone.
        let edges = vec![vec![1], vec![2], vec![0, 3], vec![3], vec![0], vec![]];
        let c = strongly_connected(&edges);
        assert!(c[0] == c[1] && c[1] == c[2]);
        assert!(c[3] != c[0] && c[4] != c[0] && c[5] != c[0] && c[4] != c[5]);
        // A chain as long as a big spec.
        let n = 200_000;
        let chain: Vec<Vec<usize>> = (0..n).map(|i| vec![(i + 1) % n]).collect();
        let c = strongly_connected(&chain);
        assert!(c.iter().all(|x| *x == c[0]));
    }
}
