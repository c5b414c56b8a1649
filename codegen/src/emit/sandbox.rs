//! The sandbox module of each API (`<api>/sandbox.rs`, compiled with the produced crate's
//! feature `test-util`): the operation table the runtime's sandbox routes and answers from, the
//! `Operation` enum to script it with, and the `Sandbox` a test starts in one line.

use proc_macro2::TokenStream;
use quote::quote;

use super::RustFile;
use super::layout::{self, Expr};
use super::rust::{doc_lines, ident, prose};
use crate::ir::*;
use crate::spec::{Encoding, RetrySafety};

/// The declaration appended to the API's `mod.rs`.
pub fn module_decl() -> TokenStream {
    quote! {
        #[cfg(feature = "test-util")]
        pub mod sandbox;
    }
}

/// The whole `sandbox.rs` of an API.
pub fn sandbox_file(file: &mut RustFile, api: &ApiIr) {
    // Part by part: a part's tokens and syntax tree are dropped before the next is built.
    file.push_text(&file_doc(api));
    let (operations, sure) = operation_enum(api);
    file.push_laid_out(&operations, sure);
    let (table, sure) = api_table(api);
    file.push_laid_out(&table, sure);
    file.push(sandbox_struct(api));
    for n in &api.notifications {
        file.push(sign_notification(n));
    }
}

/// `sign_<notification>`: the notification carrying a typed payload, signed in its scheme.
fn sign_notification(n: &NotificationIr) -> TokenStream {
    let name = ident(&format!("sign_{}", n.module));
    let raw_name = ident(&format!("sign_{}_raw", n.module));
    let module = ident(&n.module);
    let payload = ident(&n.payload);
    let keys: Vec<String> = n
        .keys
        .iter()
        .map(|(wire, _, _)| format!("`{wire}`"))
        .collect();
    let fails = "Fails when the secret is unusable for the scheme (empty, or not the key encoding the spec declares).";
    let doc = doc_lines([
        format!(
            "The `{}` notification carrying `payload`, signed with `secret` as the key the spec names `key_name` ({}), in the scheme of the spec: the body and headers to post to the handler under test ([`Signed::post`](crate::runtime::notification::sign::Signed::post)). What the SDK's verifier (`super::{}`) accepts, byte for byte; change one byte and it refuses it.",
            n.module,
            keys.join(", "),
            n.module
        ),
        String::new(),
        fails.to_owned(),
    ]);
    let raw_doc = doc_lines([
        format!(
            "As [`{name}`], for a payload given as JSON text, sent byte for byte: a notification recorded from the API, or one your handler must refuse after its signature holds (a malformed or unknown payload)."
        ),
        String::new(),
        fails.to_owned(),
    ]);
    let sign = match n.carrier {
        Carrier::Form { .. } => quote! {
            crate::runtime::notification::sign::sign_form(&super::#module::SIGNED_FORM, payload, key_name, &secret)
        },
        _ => quote! {
            crate::runtime::notification::sign::sign_body(
                &super::#module::SIGNED_BODY, payload.as_bytes(), ::std::time::SystemTime::now(), key_name, &secret,
            )
        },
    };
    quote! {
        #doc
        pub fn #name(
            payload: &super::#payload,
            key_name: &str,
            secret: &str,
        ) -> ::std::result::Result<crate::runtime::notification::sign::Signed, crate::runtime::notification::KeyError> {
            let payload = ::serde_json::to_string(payload).unwrap_or_default();
            #raw_name(&payload, key_name, secret)
        }

        #raw_doc
        pub fn #raw_name(
            payload: &str,
            key_name: &str,
            secret: &str,
        ) -> ::std::result::Result<crate::runtime::notification::sign::Signed, crate::runtime::notification::KeyError> {
            let secret = crate::runtime::Secret::new(secret);
            #sign
        }
    }
}

fn file_doc(api: &ApiIr) -> String {
    // The summary line, then the chapter "Testing your integration" and the vendor's test
    // mode (the spec's `auth_doc`, in English as the other rustdoc prose).
    let mut lines = vec![
        format!(
            "The offline sandbox of the {} API, for your tests (feature `test-util`).",
            api.module
        ),
        String::new(),
    ];
    let test_mode = api.auth_doc.as_ref().map(prose);
    lines.extend(super::testing::chapter(
        api,
        super::text::Lang::En,
        super::testing::Target::Rustdoc,
        test_mode,
    ));
    let mut text = String::new();
    super::source::inner_doc(&mut text, &lines);
    text
}

/// The variant of the sandbox's `Operation` enum naming `op`: its request type without the
/// one `Request` suffix every request type carries (`PaymentsRequestRequest` →
/// `PaymentsRequest`). The rustdoc chapter and its examples name variants with it too.
pub fn operation_variant(op: &OperationIr) -> String {
    op.request
        .strip_suffix("Request")
        .unwrap_or(&op.request)
        .to_owned()
}

/// The `Operation` enum and its methods, as text laid out as prettyplease lays them out, and
/// whether that layout is sure (a line too wide sends them through prettyplease).
fn operation_enum(api: &ApiIr) -> (String, bool) {
    let variants: Vec<String> = api
        .operations
        .iter()
        .map(|op| ident(&operation_variant(op)).to_string())
        .collect();
    let mut text = String::from(concat!(
        "/// An operation of the API, to script the sandbox with ([`Sandbox::on`]).\n",
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n",
        "#[non_exhaustive]\n",
    ));
    if variants.is_empty() {
        text.push_str("pub enum Operation {}\n");
    } else {
        text.push_str("pub enum Operation {\n");
        for (op, variant) in api.operations.iter().zip(&variants) {
            super::source::doc(&mut text, "    ", [format!("`{}`.", op.id)]);
            text.push_str(&format!("    {variant},\n"));
        }
        text.push_str("}\n");
    }
    text.push_str("impl Operation {\n    /// Every operation, in the spec's order.\n    pub const ALL: &'static [Self] = ");
    let all = Expr::reference(Expr::Array(
        variants
            .iter()
            .map(|v| Expr::atom(format!("Self::{v}")))
            .collect(),
    ));
    let mut sure = layout::write(&mut text, &all, 4, 1);
    text.push_str(
        ";\n    /// The operation id of the spec.\n    pub fn id(self) -> &'static str {\n",
    );
    let arms: Vec<(String, String)> = api
        .operations
        .iter()
        .zip(&variants)
        .map(|(op, variant)| (format!("Self::{variant}"), super::source::string(&op.id)))
        .collect();
    super::source::match_lines(&mut text, "        ", "self", &arms);
    text.push_str(concat!(
        "    }\n",
        "    /// Calls the operation with `client`, its request given as JSON in the request\n",
        "    /// type's serde form (body fields under their wire names, path, query and header\n",
        "    /// parameters under their Rust field names, as [`Recorded::request`] reads them),\n",
        "    /// and gives the typed answer encoded again as JSON (`null` when the operation\n",
        "    /// answers nothing). The call is the typed client method's own: validated,\n",
        "    /// encoded, authenticated, retried and decoded the same way. For tests that drive\n",
        "    /// operations from data.\n",
        "    ///\n",
        "    /// [`Recorded::request`]: crate::runtime::sandbox::Recorded::request\n",
        "    pub async fn call(\n",
        "        self,\n",
        "        client: &super::Client,\n",
        "        request: ::serde_json::Value,\n",
        "    ) -> ::std::result::Result<\n",
        "        ::serde_json::Value,\n",
        "        crate::runtime::replay::CallError<super::Error>,\n",
        "    > {\n",
    ));
    if variants.is_empty() {
        text.push_str("        match self {}\n");
    } else {
        text.push_str("        match self {\n");
        for (op, variant) in api.operations.iter().zip(&variants) {
            text.push_str(&format!(
                concat!(
                    "            Self::{variant} => {{\n",
                    "                let request: super::requests::{request} = crate::runtime::replay::request(\n",
                    "                    request,\n",
                    "                )?;\n",
                ),
                variant = variant,
                request = ident(&op.request),
            ));
            let call = format!("client.{}(&request).await", op.method_name);
            super::source::call_line(
                &mut text,
                "                ",
                "",
                "crate::runtime::replay::answer",
                &call,
                "",
            );
            text.push_str("            }\n");
        }
        text.push_str("        }\n");
    }
    text.push_str("    }\n}\n");
    // Every line within the margin but the `let` of each call, which prettyplease breaks
    // after `request(` whatever its width (its head alone is past the margin).
    sure &= text.lines().all(|line| {
        super::source::line_fits(line, 0)
            || line.starts_with("                let request: super::requests::")
    });
    (text, sure)
}

/// Whether a parameter of this type is read as text (otherwise as JSON: a number, a boolean).
fn is_text(ty: &TypeIr) -> bool {
    !matches!(
        ty,
        TypeIr::Integer | TypeIr::Number | TypeIr::Boolean | TypeIr::Amount
    )
}

/// The `API` static, as text laid out by [`layout`], and whether that layout is surely
/// prettyplease's.
fn api_table(api: &ApiIr) -> (String, bool) {
    let framing = match api.framing.preset {
        Some(crate::spec::Protocol::Envelope) => "&crate::runtime::Framing::ENVELOPE",
        Some(crate::spec::Protocol::Rest) => "&crate::runtime::Framing::REST",
        None => "&super::client::FRAMING",
    };
    let table = Expr::structure(
        "crate::runtime::sandbox::SandboxApi",
        vec![
            ("framing", Expr::atom(framing)),
            ("auth", Expr::atom("super::client::AUTH")),
            (
                "idempotency_header",
                Expr::option(api.idempotency.as_ref().map(|i| Expr::str(&i.header))),
            ),
            ("invalid", answer(&api.sandbox.invalid)),
            ("unauthorised", answer(&api.sandbox.unauthorised)),
            (
                "operations",
                Expr::reference(Expr::Array(
                    api.operations
                        .iter()
                        .map(|op| operation_entry(api, op))
                        .collect(),
                )),
            ),
        ],
    );
    let mut text = String::from(
        "/// What the runtime's sandbox knows of this API.\nstatic API: crate::runtime::sandbox::SandboxApi = ",
    );
    let sure = layout::write(&mut text, &table, 0, 1);
    text.push_str(";\n");
    (text, sure)
}

fn answer(a: &SandboxAnswerIr) -> Expr {
    Expr::structure(
        "crate::runtime::sandbox::SandboxError",
        vec![
            ("status", Expr::atom(format!("{}u16", a.status))),
            ("code", Expr::option(a.code.as_deref().map(Expr::str))),
            ("body", Expr::option(a.body.as_deref().map(Expr::str))),
        ],
    )
}

fn operation_entry(api: &ApiIr, op: &OperationIr) -> Expr {
    let method = op.http_method.as_str();
    let encoding = match op.encoding {
        Encoding::Json => "crate::runtime::Encoding::Json",
        Encoding::Form => "crate::runtime::Encoding::Form",
    };
    let keyed = op.retry == RetrySafety::Keyed;
    let root = api
        .request_structs
        .iter()
        .find(|s| s.path.is_empty() && s.rust_name == op.request);
    let field_type = |field: &str| {
        root.and_then(|s| s.fields.iter().find(|f| f.rust_name == field))
            .map(|f| &f.ty)
    };
    let param = |wire: &str, field: &str, location: &str, text: bool| {
        Expr::structure(
            "crate::runtime::sandbox::SandboxParam",
            vec![
                ("wire", Expr::str(wire)),
                ("field", Expr::str(crate::naming::unraw(field))),
                (
                    "location",
                    Expr::atom(format!("crate::runtime::sandbox::ParamIn::{location}")),
                ),
                ("text", Expr::atom(text.to_string())),
            ],
        )
    };
    let mut params = Vec::new();
    for piece in &op.path_segments {
        if let PathPiece::Param(field) = piece {
            let wire = root
                .and_then(|s| s.fields.iter().find(|f| &f.rust_name == field))
                .map_or(field.as_str(), |f| f.wire_name.as_str());
            let text = field_type(field).is_none_or(is_text);
            params.push(param(wire, field, "Path", text));
        }
    }
    for (wire, field, ty) in &op.query {
        params.push(param(wire, field, "Query", is_text(ty)));
    }
    for (wire, field) in &op.headers {
        let text = field_type(field).is_none_or(is_text);
        params.push(param(wire, field, "Header", text));
    }
    let example = op
        .examples
        .iter()
        .find_map(|e| e.response.as_ref())
        .map(|v| Expr::str(&v.to_string()));
    let decode = Expr::Closure(
        "|value| ".into(),
        Box::new(Expr::Call(
            "crate::runtime::sandbox::decode".into(),
            vec![
                Expr::atom("value"),
                Expr::atom(format!("super::requests::{}::validate", ident(&op.request))),
            ],
        )),
    );
    Expr::structure(
        "crate::runtime::sandbox::SandboxOperation",
        vec![
            ("id", Expr::str(&op.id)),
            ("method", Expr::str(method)),
            ("path", Expr::str(&op.path)),
            ("encoding", Expr::atom(encoding)),
            ("keyed", Expr::atom(keyed.to_string())),
            ("params", Expr::reference(Expr::Array(params))),
            ("example", Expr::option(example)),
            ("decode", decode),
            (
                "resource",
                Expr::option(
                    op.sandbox
                        .as_ref()
                        .map(|rule| Expr::reference(resource_rule(rule))),
                ),
            ),
        ],
    )
}

/// The runtime's `ResourceRule` of an operation.
fn resource_rule(rule: &ResourceRuleIr) -> Expr {
    let action = match rule.action {
        crate::spec::ResourceAction::Create => "Create",
        crate::spec::ResourceAction::Read => "Read",
        crate::spec::ResourceAction::Change => "Change",
        crate::spec::ResourceAction::Derive => "Derive",
    };
    let strings = |values: &[String]| {
        Expr::reference(Expr::Array(values.iter().map(|v| Expr::str(v)).collect()))
    };
    let pair = |a: &str, b: &str| Expr::Tuple(vec![Expr::str(a), Expr::str(b)]);
    Expr::structure(
        "crate::runtime::sandbox::ResourceRule",
        vec![
            ("kind", Expr::str(&rule.resource)),
            (
                "action",
                Expr::atom(format!("crate::runtime::sandbox::ResourceAction::{action}")),
            ),
            ("id", Expr::str(&rule.id)),
            ("new_id", Expr::str(&rule.new_id)),
            ("new_kind", Expr::str(&rule.new_kind)),
            ("link", Expr::str(&rule.link)),
            ("at", Expr::str(&rule.at)),
            ("state", Expr::option(rule.state.as_deref().map(Expr::str))),
            ("from", strings(&rule.from)),
            (
                "to",
                Expr::reference(Expr::Array(
                    rule.to
                        .iter()
                        .map(|(path, value)| pair(path, value))
                        .collect(),
                )),
            ),
            (
                "amount",
                Expr::option(rule.amount.as_ref().map(|(asked, of)| pair(asked, of))),
            ),
            (
                "answer_example",
                Expr::atom(rule.answer_example.to_string()),
            ),
            ("refused", answer(&rule.refused)),
            ("over", answer(&rule.over)),
            ("missing", answer(&rule.missing)),
            (
                "when",
                Expr::reference(Expr::Array(
                    rule.when
                        .iter()
                        .map(|(path, values)| Expr::Tuple(vec![Expr::str(path), strings(values)]))
                        .collect(),
                )),
            ),
            (
                "otherwise",
                Expr::option(
                    rule.otherwise
                        .as_ref()
                        .map(|next| Expr::reference(resource_rule(next))),
                ),
            ),
        ],
    )
}

fn sandbox_struct(api: &ApiIr) -> TokenStream {
    let module = &api.module;
    let example = format!(" let sandbox = payspec::{module}::sandbox::Sandbox::start().await;");
    quote! {
        /// A running sandbox of the API; it stops when dropped.
        ///
        /// ```
        /// # tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
        #[doc = #example]
        /// let client = sandbox.client();
        /// # let _ = client;
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// # })?;
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Debug)]
        pub struct Sandbox(crate::runtime::sandbox::Sandbox);

        impl Sandbox {
            /// Starts the sandbox on an ephemeral loopback port, in the current tokio runtime.
            pub async fn start() -> Self {
                Self(crate::runtime::sandbox::Sandbox::start(API).await)
            }

            /// The base URL to point a client at (`http://127.0.0.1:<port>`).
            pub fn base_url(&self) -> ::std::string::String {
                self.0.base_url()
            }

            /// The test credentials: the only ones the sandbox accepts.
            pub fn credentials(&self) -> super::Credentials {
                self.0.credentials().into()
            }

            /// A client configuration for the sandbox: its base URL (plain HTTP allowed), its
            /// credentials and, for OAuth2 client credentials, the sandbox's token endpoint;
            /// change timeouts or the retry policy before building a client.
            pub fn config(&self) -> crate::runtime::ClientConfig {
                self.0.config()
            }

            /// How many OAuth2 access tokens the sandbox has issued (0 when its credentials
            /// are of another scheme).
            pub fn tokens_issued(&self) -> usize {
                self.0.tokens_issued()
            }

            /// A client pointed at the sandbox with its credentials.
            ///
            /// The sandbox's configuration is one every client accepts (its credentials are
            /// of a scheme the API offers, its URLs loopback ones): this panics only on a bug
            /// of payspec, never on the test's input.
            pub fn client(&self) -> super::Client {
                super::Client::with_config(self.config())
                    .unwrap_or_else(|e| ::std::panic!("the sandbox's client: {e}"))
            }

            /// The record of the resource of this kind (`resource` of an operation's
            /// `sandbox` in the spec) and id, as the sandbox answers it.
            pub fn resource(&self, kind: &str, id: &str) -> ::std::option::Option<::serde_json::Value> {
                self.0.resource(kind, id)
            }

            /// Records a resource no call creates (a payment made on a hosted page), so that
            /// reads and changes find it by `id`.
            pub fn insert(&self, kind: &str, id: &str, resource: ::serde_json::Value) {
                self.0.insert(kind, id, resource)
            }

            /// Scripts the next call (or the next `n`, with `.next(n)`) of `operation`.
            pub fn on(&self, operation: Operation) -> crate::runtime::sandbox::Script<'_> {
                self.0.on(operation.id())
            }

            /// Every request received so far, in order; [`Recorded::request`](crate::runtime::sandbox::Recorded::request)
            /// gives the decoded request (`super::XxxRequest`).
            pub fn requests(&self) -> ::std::vec::Vec<crate::runtime::sandbox::Recorded> {
                self.0.requests()
            }
        }
    }
}
