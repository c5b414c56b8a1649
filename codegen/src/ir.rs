//! The intermediate representation: the spec with every decision made.
//!
//! `lower` builds it; emitters only read it. Rust names sit beside wire names, nested types are
//! synthesised, and every list is in its final output order.

use crate::spec::{
    AuthKind, ClientAuth, Encoding, FormArrays, FormBooleans, FormNulls, KeyLocation, Method,
    Protocol, RetrySafety, Text,
};

/// Everything codegen produces output from.
#[derive(Debug)]
pub struct Ir {
    /// One entry per spec file, sorted by module name.
    pub apis: Vec<ApiIr>,
}

/// One API: one module of the produced crate.
#[derive(Debug)]
pub struct ApiIr {
    /// The spec file it comes from (`spec/lyra.yaml`).
    pub spec_file: String,
    /// Module and feature name (`lyra`).
    pub module: String,
    /// Title.
    pub title: Text,
    /// What it is.
    pub doc: Option<Text>,
    /// The authentication schemes the API offers, in spec order (`auth: basic` is one Basic
    /// scheme).
    pub auth: Vec<AuthIr>,
    /// What the credentials are.
    pub auth_doc: Option<Text>,
    /// How answers are framed and where errors sit (a `protocol` preset expanded, or the
    /// spec's `framing` and `errors`).
    pub framing: FramingIr,
    /// Base URLs in spec order.
    pub environments: Vec<EnvironmentIr>,
    /// The Rust name of the error-code enum, when the spec names one.
    pub error_codes: Option<String>,
    /// The Rust name of the type of the error object (`errors.type`): a named type of
    /// `types`, emitted as `ErrorBody` with `error_body()`.
    pub error_body: Option<String>,
    /// Error codes that mean "try again" for safe operations.
    pub retry_codes: Vec<String>,
    /// Headers sent with every request, (name, value) in spec order.
    pub headers: Vec<(String, String)>,
    /// The idempotency header, for operations marked `retry: keyed`.
    pub idempotency: Option<IdempotencyIr>,
    /// How forms and structured query parameters are written.
    pub form: FormIr,
    /// Operations in spec order.
    pub operations: Vec<OperationIr>,
    /// Request structs and the structs nested in them: those of the parameter groups first
    /// (each emitted once), then those of the operations, in operation order.
    pub request_structs: Vec<StructIr>,
    /// Other names of group types: where an operation uses a group, the name its block would
    /// have had without the group, so that code written before the group keeps compiling.
    pub aliases: Vec<AliasIr>,
    /// Named types and the structs nested in them, in spec order.
    pub types: Vec<StructIr>,
    /// Enums in spec order.
    pub enums: Vec<EnumIr>,
    /// Named one-ofs (`types:` with `one_of`), in spec order; emitted in `types.rs`.
    pub one_ofs: Vec<OneOfIr>,
    /// The tag of each named type that has one (by Rust name): an operation answering the
    /// type refuses an answer carrying another tag.
    pub tags: std::collections::BTreeMap<String, TagIr>,
    /// The types of `expandable<…>` fields (by Rust name), with the Rust name of their
    /// top-level string `id` field when they have one.
    pub expandable: std::collections::BTreeMap<String, Option<String>>,
    /// Signed notifications in spec order.
    pub notifications: Vec<NotificationIr>,
    /// What each generated type name is, for emitters that must not scan every list.
    pub index: NameIndex,
    /// How the sandbox (feature `test-util`) answers a request it refuses.
    pub sandbox: SandboxIr,
}

/// The documented answers of the sandbox (`api.sandbox`, defaults filled in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxIr {
    /// To a request that breaks the spec.
    pub invalid: SandboxAnswerIr,
    /// To a request without the test credentials.
    pub unauthorised: SandboxAnswerIr,
}

/// One documented error answer of the sandbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxAnswerIr {
    /// The HTTP status.
    pub status: u16,
    /// The error code, written into the API's error shape.
    pub code: Option<String>,
    /// The whole body (compact JSON), sent as written.
    pub body: Option<String>,
}

/// How an API frames its answers: the runtime's `Framing`, with spec texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FramingIr {
    /// The preset the spec named (`protocol:`), when it named one.
    pub preset: Option<Protocol>,
    /// Where a success body keeps the answer: `.` or a dotted path.
    pub answer: String,
    /// The envelope's status field and values.
    pub envelope: Option<EnvelopeIr>,
    /// Dotted paths of a success body kept as metadata.
    pub metadata: Vec<String>,
    /// Response headers kept.
    pub headers: Vec<String>,
    /// The error shape.
    pub errors: ErrorShapeIr,
}

/// An envelope's status field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeIr {
    /// The dotted path of the status field.
    pub status: String,
    /// The success value.
    pub success: String,
    /// The error value.
    pub error: String,
}

/// Which answers are errors and where their fields sit (paths as the spec writes them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorShapeIr {
    /// The HTTP statuses of errors; empty for every non-2xx one.
    pub statuses: Vec<u16>,
    /// The error object.
    pub at: String,
    /// Where the code is (alternatives in order).
    pub code: Vec<String>,
    /// Where the message is.
    pub message: Vec<String>,
    /// Where the detailed code is.
    pub detailed_code: Vec<String>,
    /// Where the detailed message is.
    pub detailed_message: Vec<String>,
    /// Where the ticket is.
    pub ticket: Vec<String>,
    /// Where the details are.
    pub details: Vec<String>,
    /// Where the field errors are: (list, field, error).
    pub field_errors: Option<(String, String, String)>,
    /// Whether a body without a code is an API error (else an unexpected status).
    pub without_code_is_api_error: bool,
}

impl FramingIr {
    /// The `envelope` preset (the runtime's `Framing::ENVELOPE`).
    pub fn envelope_preset() -> FramingIr {
        let list = |paths: &[&str]| paths.iter().map(|p| (*p).to_owned()).collect();
        FramingIr {
            preset: Some(Protocol::Envelope),
            answer: "answer".to_owned(),
            envelope: Some(EnvelopeIr {
                status: "status".to_owned(),
                success: "SUCCESS".to_owned(),
                error: "ERROR".to_owned(),
            }),
            metadata: Vec::new(),
            headers: Vec::new(),
            errors: ErrorShapeIr {
                statuses: Vec::new(),
                at: "answer".to_owned(),
                code: list(&["errorCode"]),
                message: list(&["errorMessage"]),
                detailed_code: list(&["detailedErrorCode"]),
                detailed_message: list(&["detailedErrorMessage"]),
                ticket: list(&["$.ticket", "ticket"]),
                details: Vec::new(),
                field_errors: None,
                without_code_is_api_error: false,
            },
        }
    }

    /// The `rest` preset (the runtime's `Framing::REST`).
    pub fn rest_preset() -> FramingIr {
        let list = |paths: &[&str]| paths.iter().map(|p| (*p).to_owned()).collect();
        FramingIr {
            preset: Some(Protocol::Rest),
            answer: ".".to_owned(),
            envelope: None,
            metadata: Vec::new(),
            headers: Vec::new(),
            errors: ErrorShapeIr {
                statuses: Vec::new(),
                at: "error".to_owned(),
                code: list(&["code"]),
                message: list(&["message"]),
                detailed_code: Vec::new(),
                detailed_message: Vec::new(),
                ticket: Vec::new(),
                details: list(&["details"]),
                field_errors: Some((
                    "fieldErrors".to_owned(),
                    "field".to_owned(),
                    "error".to_owned(),
                )),
                without_code_is_api_error: false,
            },
        }
    }

    /// Whether the body says itself whether the call succeeded.
    pub fn is_envelope(&self) -> bool {
        self.envelope.is_some()
    }
}

/// One authentication scheme an API offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthIr {
    /// The scheme and its settings.
    pub scheme: AuthSchemeIr,
    /// What the credentials are (the rustdoc of their constructor).
    pub doc: Option<Text>,
}

impl AuthIr {
    /// The kind of credentials the scheme takes.
    pub fn kind(&self) -> AuthKind {
        match self.scheme {
            AuthSchemeIr::Basic => AuthKind::Basic,
            AuthSchemeIr::Bearer => AuthKind::Bearer,
            AuthSchemeIr::ApiKey { .. } => AuthKind::ApiKey,
            AuthSchemeIr::OAuth2ClientCredentials { .. } => AuthKind::OAuth2ClientCredentials,
        }
    }
}

/// An authentication scheme with its settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthSchemeIr {
    /// HTTP Basic.
    Basic,
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// An API key.
    ApiKey {
        /// Header or query.
        location: KeyLocation,
        /// The header or query parameter name.
        name: String,
        /// Text before the key (empty for none).
        prefix: String,
    },
    /// OAuth2 client credentials.
    OAuth2ClientCredentials {
        /// The token endpoint.
        token_url: String,
        /// The scopes asked for.
        scopes: Vec<String>,
        /// How the client authenticates to the token endpoint.
        client_auth: ClientAuth,
    },
}

/// What a Rust type name of an API module refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Def {
    /// A struct in `requests.rs`.
    Request,
    /// A struct in `types.rs`.
    Data,
    /// An enum in `enums.rs`.
    Enum,
    /// A one-of enum in `types.rs`.
    OneOf,
}

/// Lookups by name, built once after lowering.
#[derive(Debug, Default)]
pub struct NameIndex {
    /// Every struct and enum name.
    pub defs: std::collections::BTreeMap<String, Def>,
    /// The operation (its index) whose request struct has this name.
    pub operation_of_request: std::collections::BTreeMap<String, usize>,
    /// Where each struct or enum is in its list (`request_structs`, `types` or `enums`, as
    /// `defs` says).
    pub positions: std::collections::BTreeMap<String, usize>,
    /// The data structs and one-ofs a request may carry: reached from the fields of a request
    /// struct, through lists, maps, expandables, one-of variants and the fields of every
    /// struct reached. Only these are checked before sending (`validate`); a type only ever
    /// received (an answer, an error body, a notification) has nothing to check.
    pub sent: std::collections::BTreeSet<String>,
}

impl ApiIr {
    /// Every spec pattern the generated code of this API checks at run time: the constraints of
    /// the fields of its request structs and named types (the only structs with checks) and
    /// the variables of its environments' URL templates.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        let fields = self
            .request_structs
            .iter()
            .chain(&self.types)
            .flat_map(|s| &s.fields)
            .filter_map(|f| f.constraints.pattern.as_deref());
        let variables = self
            .environments
            .iter()
            .flat_map(|e| &e.variables)
            .filter_map(|v| v.pattern.as_deref());
        fields.chain(variables)
    }

    /// Whether a pattern of this API needs the runtime's regular expression engine (its
    /// `regex` feature): one that is not a single bracket set, repeated.
    pub fn needs_pattern_engine(&self) -> bool {
        self.patterns()
            .any(|p| crate::rules::simple_pattern(p).is_none())
    }

    /// What `name` is, if it is a generated struct or enum.
    pub fn def(&self, name: &str) -> Option<Def> {
        self.index.defs.get(name).copied()
    }

    /// The struct named `name`, request or data.
    pub fn struct_ir(&self, name: &str) -> Option<&StructIr> {
        let list = match self.def(name)? {
            Def::Request => &self.request_structs,
            Def::Data => &self.types,
            Def::Enum | Def::OneOf => return None,
        };
        list.get(*self.index.positions.get(name)?)
    }

    /// The named one-of `name`.
    pub fn one_of_ir(&self, name: &str) -> Option<&OneOfIr> {
        match self.def(name)? {
            Def::OneOf => self.one_ofs.get(*self.index.positions.get(name)?),
            _ => None,
        }
    }

    /// The enum named `name`.
    pub fn enum_ir(&self, name: &str) -> Option<&EnumIr> {
        match self.def(name)? {
            Def::Enum => self.enums.get(*self.index.positions.get(name)?),
            _ => None,
        }
    }

    /// The root struct `name` followed by the structs nested in it (its dotted paths' objects),
    /// which `lower` puts right after it.
    pub fn with_nested(&self, name: &str) -> &[StructIr] {
        let list = match self.def(name) {
            Some(Def::Request) => &self.request_structs,
            Some(Def::Data) => &self.types,
            _ => return &[],
        };
        let Some(&start) = self.index.positions.get(name) else {
            return &[];
        };
        let rest = list.get(start + 1..).unwrap_or_default();
        let count = rest.iter().take_while(|s| !s.path.is_empty()).count();
        list.get(start..=start + count).unwrap_or_default()
    }

    /// The operation whose request struct is `name`.
    pub fn operation_of(&self, request: &str) -> Option<&OperationIr> {
        self.index
            .operation_of_request
            .get(request)
            .and_then(|i| self.operations.get(*i))
    }

    /// Fills the index from the lists.
    pub fn build_index(&mut self) {
        let mut index = NameIndex::default();
        let names = (self.request_structs.iter().enumerate())
            .map(|(i, s)| (&s.rust_name, Def::Request, i))
            .chain((self.types.iter().enumerate()).map(|(i, s)| (&s.rust_name, Def::Data, i)))
            .chain((self.enums.iter().enumerate()).map(|(i, e)| (&e.rust_name, Def::Enum, i)))
            .chain((self.one_ofs.iter().enumerate()).map(|(i, o)| (&o.rust_name, Def::OneOf, i)));
        for (name, def, position) in names {
            index.defs.insert(name.clone(), def);
            index.positions.insert(name.clone(), position);
        }
        for (i, op) in self.operations.iter().enumerate() {
            index.operation_of_request.insert(op.request.clone(), i);
        }
        self.index = index;
        self.index.sent = self.sent_types();
    }

    /// [`NameIndex::sent`], walked from the request structs (needs `defs` and `positions`).
    fn sent_types(&self) -> std::collections::BTreeSet<String> {
        fn named(ty: &TypeIr) -> Option<&str> {
            match ty {
                TypeIr::Struct(name) => Some(name),
                TypeIr::List(inner) | TypeIr::Map(inner) | TypeIr::Expandable(inner) => {
                    named(inner)
                }
                _ => None,
            }
        }
        let mut sent = std::collections::BTreeSet::new();
        let mut waiting: Vec<&str> = (self.request_structs.iter())
            .flat_map(|s| &s.fields)
            .filter_map(|f| named(&f.ty))
            .collect();
        while let Some(name) = waiting.pop() {
            let reached: Vec<&str> = match self.def(name) {
                Some(Def::Data) if !sent.contains(name) => self
                    .struct_ir(name)
                    .map(|s| s.fields.iter().filter_map(|f| named(&f.ty)).collect())
                    .unwrap_or_default(),
                Some(Def::OneOf) if !sent.contains(name) => self
                    .one_of_ir(name)
                    .map(|o| o.variants.iter().map(|(ty, _)| ty.as_str()).collect())
                    .unwrap_or_default(),
                _ => continue,
            };
            sent.insert(name.to_owned());
            waiting.extend(reached);
        }
        sent
    }
}

/// Where a notification's signature travels, and what it signs.
#[derive(Debug)]
pub enum Carrier {
    /// Form fields: the signature of one payload field.
    Form {
        /// The signature field.
        signature_field: String,
        /// The algorithm field and the one value it may hold.
        algorithm: Option<(String, String)>,
        /// The field naming the key.
        key_field: Option<String>,
        /// Unescape `\/` before hashing.
        unescape_slashes: bool,
        /// The payload field.
        payload_field: String,
    },
    /// A header over the raw body (the payload).
    Header {
        /// The header's wire name.
        name: String,
        /// The part of a structured header holding the signature.
        part: Option<String>,
        /// The part holding the timestamp.
        timestamp_part: Option<String>,
        /// What is signed.
        signed: Vec<crate::check::signature::TemplatePiece>,
        /// Seconds the timestamp may differ from the clock.
        tolerance: Option<u64>,
    },
}

/// The HMAC of a signature and how the signature and keys are written.
#[derive(Debug, Clone, Copy)]
pub struct MacIr {
    /// The hash.
    pub hmac: crate::spec::HmacHash,
    /// The signature's encoding.
    pub encoding: crate::spec::SignatureEncoding,
    /// The keys' encoding.
    pub key_encoding: crate::spec::KeyEncoding,
}

impl MacIr {
    /// `HMAC-SHA256`, with `, base64` (or `, hex key`…) when not the usual hex and text key.
    pub fn describe(&self) -> String {
        use crate::spec::{HmacHash, KeyEncoding, SignatureEncoding};
        let mut text = match self.hmac {
            HmacHash::Sha256 => "HMAC-SHA256",
            HmacHash::Sha512 => "HMAC-SHA512",
        }
        .to_owned();
        if self.encoding == SignatureEncoding::Base64 {
            text.push_str(", base64");
        }
        match self.key_encoding {
            KeyEncoding::Text => {}
            KeyEncoding::Hex => text.push_str(", hex key"),
            KeyEncoding::Base64 => text.push_str(", base64 key"),
        }
        text
    }
}

impl Carrier {
    /// Where the signature is, in code spans: `` `kr-hash` `` or `` `Sig` (`v1`, `t`) ``.
    pub fn signature_at(&self) -> String {
        use crate::emit::text::code;
        match self {
            Carrier::Form {
                signature_field, ..
            } => code(signature_field),
            Carrier::Header {
                name,
                part,
                timestamp_part,
                ..
            } => {
                let parts: Vec<String> =
                    part.iter().chain(timestamp_part).map(|p| code(p)).collect();
                if parts.is_empty() {
                    code(name)
                } else {
                    format!("{} ({})", code(name), parts.join(", "))
                }
            }
        }
    }

    /// What is signed, as a code span: `` `kr-answer` `` or `` `{t}.{body}` ``.
    pub fn signed_text(&self) -> String {
        use crate::check::signature::TemplatePiece;
        use crate::emit::text::code;
        match self {
            Carrier::Form { payload_field, .. } => code(payload_field),
            Carrier::Header {
                signed,
                timestamp_part,
                ..
            } => {
                let text: String = signed
                    .iter()
                    .map(|p| match p {
                        TemplatePiece::Body => "{body}".to_owned(),
                        TemplatePiece::Timestamp => {
                            format!("{{{}}}", timestamp_part.as_deref().unwrap_or(""))
                        }
                        TemplatePiece::Text(t) => t.clone(),
                    })
                    .collect();
                code(&text)
            }
        }
    }
}

/// A signed notification and its verification.
#[derive(Debug)]
pub struct NotificationIr {
    /// Module name (`ipn`).
    pub module: String,
    /// Summary.
    pub summary: Text,
    /// Description.
    pub description: Option<Text>,
    /// Where the signature is and what it signs.
    pub carrier: Carrier,
    /// The HMAC and the encodings of the signature and of the keys.
    pub mac: MacIr,
    /// The keys: wire name, `Keys` field name, doc.
    pub keys: Vec<(String, String, Option<Text>)>,
    /// The payload's Rust type.
    pub payload: String,
    /// Other fields: wire name, field name, doc.
    pub fields: Vec<(String, String, Option<Text>)>,
    /// Provenance.
    pub provenance: Provenance,
}

/// The API's form conventions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FormIr {
    /// Lists of scalars.
    pub arrays: FormArrays,
    /// Booleans.
    pub booleans: FormBooleans,
    /// Nulls.
    pub nulls: FormNulls,
}

/// One base URL.
#[derive(Debug)]
pub struct EnvironmentIr {
    /// Key in the spec (`payzen-eu`).
    pub key: String,
    /// Variant name (`PayzenEu`); a templated environment is no variant of `Environment`.
    pub rust_name: String,
    /// For a templated environment, the `Client` constructor that takes its variables
    /// (`payzen_eu`).
    pub constructor: Option<String>,
    /// Base URL, or its template (`https://{prefix}.api.example.com`).
    pub url: String,
    /// The template's variables in spec order; empty for a fixed URL.
    pub variables: Vec<UrlVariableIr>,
    /// What it is.
    pub doc: Option<Text>,
    /// Provenance.
    pub provenance: Provenance,
}

impl EnvironmentIr {
    /// Whether the URL has variables (the client is built with its constructor).
    pub fn is_templated(&self) -> bool {
        self.constructor.is_some()
    }
}

/// A variable of a base URL template.
#[derive(Debug)]
pub struct UrlVariableIr {
    /// Its name in braces (`prefix`).
    pub name: String,
    /// The constructor's argument (`prefix`).
    pub rust_name: String,
    /// What it is.
    pub doc: Option<Text>,
    /// Whole-value pattern.
    pub pattern: Option<String>,
    /// A value for the docs and the OpenAPI export.
    pub example: Option<String>,
}

/// Where a fact comes from, and whether it is confirmed.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// Source, when not the vendor's docs.
    pub source: Option<String>,
    /// Why it is not confirmed.
    pub unverified: Option<Text>,
}

/// One operation.
#[derive(Debug)]
pub struct OperationIr {
    /// Operation id in the spec (`Transaction/Duplicate`).
    pub id: String,
    /// Client method name (`transaction_duplicate`).
    pub method_name: String,
    /// Request struct name (`TransactionDuplicateRequest`).
    pub request: String,
    /// Summary.
    pub summary: Text,
    /// Description.
    pub description: Option<Text>,
    /// HTTP method.
    pub http_method: Method,
    /// Path template as written (`/hosted/v1/orders/{order_id}`).
    pub path: String,
    /// Path template split into literal text and parameter references, in order.
    pub path_segments: Vec<PathPiece>,
    /// Query parameters: wire name and field name, in spec order.
    pub query: Vec<(String, String, TypeIr)>,
    /// Header parameters: header name and field name, in spec order.
    pub headers: Vec<(String, String)>,
    /// Whether any parameter travels in the body.
    pub has_body: bool,
    /// How the body is encoded.
    pub encoding: Encoding,
    /// Retry safety.
    pub retry: RetrySafety,
    /// How to find out what happened when the outcome of a `never` call is unknown.
    pub recovery: Option<Text>,
    /// Answer.
    pub response: ResponseIr,
    /// Documented error codes: wire value and variant name (when the API has a code enum).
    pub errors: Vec<(String, Option<String>)>,
    /// Vendor rules.
    pub rules: Vec<Text>,
    /// Examples.
    pub examples: Vec<ExampleIr>,
    /// Pagination, when the operation lists things.
    pub pagination: Option<PaginationIr>,
    /// Documented variants, as request methods.
    pub presets: Vec<PresetIr>,
    /// What the operation does to a resource in the sandbox.
    pub sandbox: Option<ResourceRuleIr>,
    /// Provenance.
    pub provenance: Provenance,
}

/// What an operation does to a resource in the sandbox (the runtime's `ResourceRule`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceRuleIr {
    pub resource: String,
    pub action: crate::spec::ResourceAction,
    pub id: String,
    /// `derive`: where the new resource's id goes (`""` otherwise).
    pub new_id: String,
    /// `derive`: the kind of the new resource (`""`: the same kind).
    pub new_kind: String,
    /// `derive`: where the source's id goes in the new resource (`""`: nowhere).
    pub link: String,
    /// `""` for the whole answer.
    pub at: String,
    pub state: Option<String>,
    pub from: Vec<String>,
    pub to: Vec<(String, String)>,
    /// The request path and the resource path of a consumed amount.
    pub amount: Option<(String, String)>,
    pub answer_example: bool,
    pub refused: SandboxAnswerIr,
    pub over: SandboxAnswerIr,
    pub missing: SandboxAnswerIr,
    /// Request paths and the values (or absence) the rule applies to.
    pub when: Vec<(String, Vec<String>)>,
    /// The rule tried when this one does not apply.
    pub otherwise: Option<Box<ResourceRuleIr>>,
}

/// A documented variant: a request method setting fixed values.
#[derive(Debug)]
pub struct PresetIr {
    /// Name in the spec (`silentPost`).
    pub name: String,
    /// Method name (`silent_post`).
    pub method_name: String,
    /// What it does.
    pub doc: Text,
    /// The values: field name, type, whether the field is a list to append to, JSON value
    /// (checked against the type).
    pub set: Vec<(String, TypeIr, serde_json::Value)>,
    /// Provenance.
    pub provenance: Provenance,
}

/// Pagination, resolved to Rust names.
#[derive(Debug, Clone)]
pub struct PaginationIr {
    /// Pager type name (`OrdersReportPages`).
    pub pager: String,
    /// Client method returning the pager (`orders_report_pages`).
    pub method_name: String,
    /// How the next page is asked for.
    pub style: PagingStyleIr,
    /// Answer fields from the answer to the items, outermost first (`["embedded", "payments"]`).
    pub items: Vec<String>,
    /// The dotted path of the items as the spec writes it, for docs and errors.
    pub items_path: String,
    /// Rust type of one item.
    pub item: TypeIr,
}

/// How a pager asks for the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PagingStyleIr {
    /// The offset moves on by the number of items received.
    Offset {
        /// Request field of the offset, and whether it is required (not an `Option`).
        offset: (String, bool),
        /// Request field of the page size, and whether it is required.
        limit: (String, bool),
    },
    /// The answer gives the next page's cursor (or its link holding the cursor), sent back in
    /// a query parameter.
    Cursor {
        /// Request field of the cursor, and whether it is required.
        cursor: (String, bool),
        /// Wire name of the cursor parameter (`from`).
        cursor_wire: String,
        /// Answer fields from the answer to the next cursor, outermost first.
        next: Vec<String>,
        /// The dotted path of the next cursor as the spec writes it (`nextCursor`).
        next_path: String,
        /// Request field of the page size, when the spec names one.
        limit: Option<(String, bool)>,
        /// `next` is the next page's link, whose query parameter `cursor_wire` is the cursor.
        link: bool,
    },
    /// The request gives a page number, moved on by one per page.
    Page {
        /// Request field of the page number, and whether it is required.
        page: (String, bool),
        /// Wire name of the page-number parameter (`page`).
        page_wire: String,
        /// Request field of the page size, when the spec names one.
        limit: Option<(String, bool)>,
        /// What the answer says of the last page, besides an empty one.
        last: LastPage,
    },
    /// The next page's cursor is the id of the page's last item; the answer says whether more
    /// pages follow.
    LastItem {
        /// Request field of the cursor, and whether it is required.
        cursor: (String, bool),
        /// Wire name of the cursor parameter (`starting_after`).
        cursor_wire: String,
        /// Fields from one item to its id, outermost first.
        id: Vec<String>,
        /// The dotted path of the id in an item, as the spec writes it (`id`).
        id_path: String,
        /// Answer fields from the answer to the "more pages" flag, outermost first.
        has_more: Vec<String>,
        /// The dotted path of the flag, as the spec writes it (`has_more`).
        has_more_path: String,
        /// Request field of the page size, when the spec names one.
        limit: Option<(String, bool)>,
    },
}

/// How a page-number pager knows the last page, besides an empty one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastPage {
    /// Only by an empty page.
    Empty,
    /// By the answer's number of pages: answer fields to it, outermost first, and its path.
    TotalPages(Vec<String>, String),
    /// By the answer's boolean "more pages" flag: answer fields to it, and its path.
    HasMore(Vec<String>, String),
}

/// A piece of a path template.
#[derive(Debug, Clone)]
pub enum PathPiece {
    /// Literal text.
    Literal(String),
    /// A path parameter: the request field that fills it.
    Param(String),
}

/// What an operation answers.
#[derive(Debug, Clone)]
pub enum ResponseIr {
    /// A named type (Rust name).
    Named(String),
    /// Free-form JSON.
    Json,
    /// Nothing worth decoding.
    None,
    /// One of several named types, told apart by the tag the answer carries
    /// (`response: A|B`; a named one-of type is `Named`).
    OneOf {
        /// The generated enum (`SubscriptionGetAnswer`).
        name: String,
        /// The field holding the tag (`_type`).
        discriminator: String,
        /// Each alternative: Rust type name and its tag.
        variants: Vec<(String, String)>,
    },
}

/// A named one-of: an enum with one variant per alternative and `Other` for an unknown tag.
#[derive(Debug, Clone)]
pub struct OneOfIr {
    /// Rust name of the enum.
    pub rust_name: String,
    /// Name in the spec.
    pub spec_name: String,
    /// What it is.
    pub doc: Option<Text>,
    /// The field holding the tag (`type`).
    pub discriminator: String,
    /// Each alternative: Rust type name (also the variant's name) and its tag.
    pub variants: Vec<(String, String)>,
    /// The one-ofs flattened into this one (read by the same discriminator): each one's Rust
    /// name and its variants, for `From<Inner>`.
    pub flattened: Vec<(String, Vec<String>)>,
    /// Provenance.
    pub provenance: Provenance,
}

/// The tag a named type carries, and the field holding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagIr {
    /// The discriminator field (`_type`).
    pub field: String,
    /// The type's tag (`V4/Transaction`).
    pub value: String,
}

/// An example call.
#[derive(Debug)]
pub struct ExampleIr {
    /// What it shows.
    pub title: Text,
    /// The JSON the call sends.
    pub request: serde_json::Value,
    /// A possible answer.
    pub response: Option<serde_json::Value>,
}

/// What a struct is for; decides constructors and optionality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructKind {
    /// The request of an operation, or an object nested in one: required fields are
    /// constructor arguments.
    Request,
    /// A named type or an object nested in one: every field optional, tolerant decoding.
    Data,
}

/// A struct.
#[derive(Debug)]
pub struct StructIr {
    /// Rust name.
    pub rust_name: String,
    /// Request or data.
    pub kind: StructKind,
    /// Dotted path of this object from its root (`cardDuplicate`), empty for roots.
    pub path: String,
    /// The spec name of the root (operation id or type name).
    pub root: String,
    /// What it is.
    pub doc: Option<Text>,
    /// `_type` tag.
    pub type_tag: Option<String>,
    /// Fields in spec order.
    pub fields: Vec<FieldIr>,
    /// Provenance.
    pub provenance: Provenance,
}

/// `pub type name = target;` in `requests.rs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasIr {
    /// The alias.
    pub name: String,
    /// The group type (or a struct nested in it) it stands for.
    pub target: String,
    /// The spec name of the group.
    pub group: String,
}

/// A field of a struct.
#[derive(Debug)]
pub struct FieldIr {
    /// Name on the wire (`captureDelay`).
    pub wire_name: String,
    /// Rust field name (`capture_delay`).
    pub rust_name: String,
    /// Full dotted path from the root (`cardDuplicate.captureDelay`).
    pub dotted_path: String,
    /// Type.
    pub ty: TypeIr,
    /// Stored behind a `Box`: the field's type is a struct that leads back, through plain or
    /// optional struct fields, to the struct holding it (a recursive type, which would
    /// otherwise be infinitely large). Lists and maps already hold their items on the heap.
    pub boxed: bool,
    /// Where it travels.
    pub location: crate::spec::Location,
    /// Must be given: in a request struct, a constructor argument; in a named type, required
    /// whenever the object is sent (a constructor argument too, checked by `validate`).
    pub required: bool,
    /// Recommended by the vendor.
    pub recommended: bool,
    /// May be an explicit null (request structs only).
    pub nullable: bool,
    /// Never shown in Debug.
    pub sensitive: bool,
    /// Constraints.
    pub constraints: Constraints,
    /// What it means.
    pub doc: Option<Text>,
    /// Provenance.
    pub provenance: Provenance,
}

/// Value constraints, checked before any IO.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    /// Smallest value.
    pub min: Option<i64>,
    /// Largest value.
    pub max: Option<i64>,
    /// Shortest length.
    pub min_length: Option<u32>,
    /// Longest length.
    pub max_length: Option<u32>,
    /// ASCII only.
    pub ascii: bool,
    /// Whole-value regular expression.
    pub pattern: Option<String>,
}

impl Constraints {
    /// True when nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A resolved type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeIr {
    /// Text.
    String,
    /// Signed integer.
    Integer,
    /// Floating point.
    Number,
    /// Boolean.
    Boolean,
    /// Non-negative integer amount in minor units.
    Amount,
    /// Exact decimal amount written as a JSON string (`"10.00"`).
    Decimal,
    /// ISO-8601 date, kept as text.
    Date,
    /// ISO-8601 date-time, kept as text.
    DateTime,
    /// Free-form JSON.
    Json,
    /// A list.
    List(Box<TypeIr>),
    /// String-keyed map.
    Map(Box<TypeIr>),
    /// A struct, by Rust name.
    Struct(String),
    /// An enum, by Rust name.
    Enum(String),
    /// `expandable<T>`: the object `T`, or the string id standing for it.
    Expandable(Box<TypeIr>),
}

/// An enum.
#[derive(Debug)]
pub struct EnumIr {
    /// Rust name.
    pub rust_name: String,
    /// Name in the spec.
    pub spec_name: String,
    /// What it is.
    pub doc: Option<Text>,
    /// Unknown values decode into `Unknown(String)`.
    pub open: bool,
    /// Data columns.
    pub columns: Vec<ColumnIr>,
    /// Values in spec order.
    pub values: Vec<EnumValueIr>,
    /// The index of the column giving minor-unit digits, for currency enums.
    pub minor_units: Option<usize>,
    /// Provenance.
    pub provenance: Provenance,
}

impl EnumIr {
    /// Whether one value stands for JSON null.
    pub fn has_null(&self) -> bool {
        self.values.iter().any(|v| v.wire.is_none())
    }
}

/// A per-value data column.
#[derive(Debug)]
pub struct ColumnIr {
    /// Accessor name.
    pub rust_name: String,
    /// Column name in the spec.
    pub key: String,
    /// Column type.
    pub ty: ColumnType,
    /// What it means.
    pub doc: Option<Text>,
    /// Whether every value has it (else the accessor returns an Option).
    pub total: bool,
}

/// Types of data columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// i64
    Integer,
    /// &'static str
    String,
    /// bool
    Boolean,
}

/// One enum value.
#[derive(Debug)]
pub struct EnumValueIr {
    /// Wire value; `None` is JSON null.
    pub wire: Option<String>,
    /// Variant name.
    pub rust_name: String,
    /// What it means.
    pub doc: Option<Text>,
    /// Data, one per column (None where missing).
    pub data: Vec<Option<crate::spec::DataValue>>,
    /// Provenance.
    pub provenance: Provenance,
}

/// The API's idempotency declaration.
#[derive(Debug, Clone)]
pub struct IdempotencyIr {
    /// The header's name, as the spec writes it.
    pub header: String,
    /// The most characters of a caller's key.
    pub max_length: Option<u32>,
    /// What the API does with a key.
    pub doc: Option<Text>,
}

#[cfg(test)]
mod tests {
    /// What a request may carry, through fields, lists, expandables, one-ofs and one-ofs in
    /// one-ofs; and nothing only an answer holds.
    #[test]
    fn the_sent_types_are_those_a_request_reaches() {
        let source = crate::SourceFile {
            path: "one_of_nested.yaml".into(),
            text: include_str!("../../tests/fixtures/one_of_nested.yaml").into(),
        };
        let (ir, _) = crate::build_ir(&[source]).expect("the fixture is valid");
        let api = &ir.apis[0];
        let sent: Vec<&str> = api.index.sent.iter().map(String::as_str).collect();
        assert_eq!(
            sent,
            [
                "Card",
                "Customer",
                "Instrument",
                "Party",
                "Payment",
                "PaymentMethod",
                "SepaDebit",
                "Wallet"
            ]
        );
        // Received only: the answers, their nested objects and inline one-ofs.
        for name in ["Refund", "Thing", "RefundMeta", "RefundOf"] {
            assert!(api.def(name).is_some(), "{name}");
            assert!(!api.index.sent.contains(name), "{name}");
        }
    }
}
