//! The sandbox module of each API (`<api>/sandbox.rs`, compiled with the produced crate's
//! feature `test-util`): the operation table the runtime's sandbox routes and answers from, the
//! `Operation` enum to script it with, and the `Sandbox` a test starts in one line.

use proc_macro2::TokenStream;
use quote::quote;

use super::RustFile;
use super::rust::{doc_lines, ident, prose};
use crate::ir::*;
use crate::spec::{Encoding, Method, RetrySafety};

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
    file.push(file_doc(api));
    file.push(operation_enum(api));
    file.push(api_table(api));
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

fn file_doc(api: &ApiIr) -> TokenStream {
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
    let attrs = lines.into_iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #text])
    });
    quote!(#(#attrs)*)
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

fn operation_enum(api: &ApiIr) -> TokenStream {
    let variants = api.operations.iter().map(|op| {
        let variant = ident(&operation_variant(op));
        let doc = doc_lines([format!("`{}`.", op.id)]);
        quote!(#doc #variant,)
    });
    let arms = api.operations.iter().map(|op| {
        let variant = ident(&operation_variant(op));
        let id = &op.id;
        quote!(Self::#variant => #id,)
    });
    let all = api
        .operations
        .iter()
        .map(|op| ident(&operation_variant(op)));
    let calls = api.operations.iter().map(|op| {
        let variant = ident(&operation_variant(op));
        let request = ident(&op.request);
        let method = ident(&op.method_name);
        quote! {
            Self::#variant => {
                let request: super::requests::#request = crate::runtime::replay::request(request)?;
                crate::runtime::replay::answer(client.#method(&request).await)
            }
        }
    });
    quote! {
        /// An operation of the API, to script the sandbox with ([`Sandbox::on`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            #(#variants)*
        }

        impl Operation {
            /// Every operation, in the spec's order.
            pub const ALL: &'static [Self] = &[#(Self::#all),*];

            /// The operation id of the spec.
            pub fn id(self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }

            /// Calls the operation with `client`, its request given as JSON in the request
            /// type's serde form (body fields under their wire names, path, query and header
            /// parameters under their Rust field names, as [`Recorded::request`] reads them),
            /// and gives the typed answer encoded again as JSON (`null` when the operation
            /// answers nothing). The call is the typed client method's own: validated,
            /// encoded, authenticated, retried and decoded the same way. For tests that drive
            /// operations from data.
            ///
            /// [`Recorded::request`]: crate::runtime::sandbox::Recorded::request
            pub async fn call(
                self,
                client: &super::Client,
                request: ::serde_json::Value,
            ) -> ::std::result::Result<
                ::serde_json::Value,
                crate::runtime::replay::CallError<super::Error>,
            > {
                match self {
                    #(#calls)*
                }
            }
        }
    }
}

/// Whether a parameter of this type is read as text (otherwise as JSON: a number, a boolean).
fn is_text(ty: &TypeIr) -> bool {
    !matches!(
        ty,
        TypeIr::Integer | TypeIr::Number | TypeIr::Boolean | TypeIr::Amount
    )
}

fn api_table(api: &ApiIr) -> TokenStream {
    let operations = api.operations.iter().map(|op| operation_entry(api, op));
    let framing = match api.framing.preset {
        Some(crate::spec::Protocol::Envelope) => quote!(&crate::runtime::Framing::ENVELOPE),
        Some(crate::spec::Protocol::Rest) => quote!(&crate::runtime::Framing::REST),
        None => quote!(&super::client::FRAMING),
    };
    let invalid = answer(&api.sandbox.invalid);
    let unauthorised = answer(&api.sandbox.unauthorised);
    let idempotency = match &api.idempotency {
        Some(i) => {
            let header = &i.header;
            quote!(::std::option::Option::Some(#header))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        /// What the runtime's sandbox knows of this API.
        static API: crate::runtime::sandbox::SandboxApi = crate::runtime::sandbox::SandboxApi {
            framing: #framing,
            auth: super::client::AUTH,
            idempotency_header: #idempotency,
            invalid: #invalid,
            unauthorised: #unauthorised,
            operations: &[#(#operations),*],
        };
    }
}

fn answer(a: &SandboxAnswerIr) -> TokenStream {
    let status = a.status;
    let opt = |v: &Option<String>| match v {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    };
    let code = opt(&a.code);
    let body = opt(&a.body);
    quote!(crate::runtime::sandbox::SandboxError { status: #status, code: #code, body: #body })
}

fn operation_entry(api: &ApiIr, op: &OperationIr) -> TokenStream {
    let id = &op.id;
    let method = match op.http_method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Patch => "PATCH",
        Method::Delete => "DELETE",
    };
    let path = &op.path;
    let encoding = match op.encoding {
        Encoding::Json => quote!(crate::runtime::Encoding::Json),
        Encoding::Form => quote!(crate::runtime::Encoding::Form),
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
    let param = |wire: &str, field: &str, location: TokenStream, text: bool| {
        let key = crate::naming::unraw(field);
        quote!(crate::runtime::sandbox::SandboxParam {
            wire: #wire, field: #key, location: crate::runtime::sandbox::ParamIn::#location, text: #text,
        })
    };
    let mut params = Vec::new();
    for piece in &op.path_segments {
        if let PathPiece::Param(field) = piece {
            let wire = root
                .and_then(|s| s.fields.iter().find(|f| &f.rust_name == field))
                .map_or(field.as_str(), |f| f.wire_name.as_str());
            let text = field_type(field).is_none_or(is_text);
            params.push(param(wire, field, quote!(Path), text));
        }
    }
    for (wire, field, ty) in &op.query {
        params.push(param(wire, field, quote!(Query), is_text(ty)));
    }
    for (wire, field) in &op.headers {
        let text = field_type(field).is_none_or(is_text);
        params.push(param(wire, field, quote!(Header), text));
    }
    let example = match op.examples.iter().find_map(|e| e.response.as_ref()) {
        Some(v) => {
            let text = v.to_string();
            quote!(::std::option::Option::Some(#text))
        }
        None => quote!(::std::option::Option::None),
    };
    let request = ident(&op.request);
    let resource = match &op.sandbox {
        Some(rule) => {
            let rule = resource_rule(rule);
            quote!(::std::option::Option::Some(&#rule))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        crate::runtime::sandbox::SandboxOperation {
            id: #id,
            method: #method,
            path: #path,
            encoding: #encoding,
            keyed: #keyed,
            params: &[#(#params),*],
            example: #example,
            decode: |value| crate::runtime::sandbox::decode(value, super::requests::#request::validate),
            resource: #resource,
        }
    }
}

/// The runtime's `ResourceRule` of an operation.
fn resource_rule(rule: &ResourceRuleIr) -> TokenStream {
    let kind = &rule.resource;
    let action = match rule.action {
        crate::spec::ResourceAction::Create => quote!(Create),
        crate::spec::ResourceAction::Read => quote!(Read),
        crate::spec::ResourceAction::Change => quote!(Change),
        crate::spec::ResourceAction::Derive => quote!(Derive),
    };
    let id = &rule.id;
    let new_id = &rule.new_id;
    let new_kind = &rule.new_kind;
    let link = &rule.link;
    let at = &rule.at;
    let state = match &rule.state {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    };
    let from = &rule.from;
    let to = rule.to.iter().map(|(path, value)| quote!((#path, #value)));
    let amount = match &rule.amount {
        Some((asked, of)) => quote!(::std::option::Option::Some((#asked, #of))),
        None => quote!(::std::option::Option::None),
    };
    let answer_example = rule.answer_example;
    let refused = answer(&rule.refused);
    let over = answer(&rule.over);
    let missing = answer(&rule.missing);
    let when = rule
        .when
        .iter()
        .map(|(path, values)| quote!((#path, &[#(#values),*])));
    let otherwise = match &rule.otherwise {
        Some(next) => {
            let next = resource_rule(next);
            quote!(::std::option::Option::Some(&#next))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        crate::runtime::sandbox::ResourceRule {
            kind: #kind,
            action: crate::runtime::sandbox::ResourceAction::#action,
            id: #id,
            new_id: #new_id,
            new_kind: #new_kind,
            link: #link,
            at: #at,
            state: #state,
            from: &[#(#from),*],
            to: &[#(#to),*],
            amount: #amount,
            answer_example: #answer_example,
            refused: #refused,
            over: #over,
            missing: #missing,
            when: &[#(#when),*],
            otherwise: #otherwise,
        }
    }
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
