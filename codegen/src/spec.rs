//! The spec format (format 2; format 1 is its subset): structs that mirror a `spec/*.yaml` file one to one.
//!
//! Nothing here interprets the spec; `check` validates it and `lower` turns it into the IR.
//! Every value a later check may complain about is `Spanned`, so its diagnostic can point at it.
//! The JSON Schema published as `spec/schema.json` is derived from these structs.

use std::fmt;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
pub use serde_saphyr::Spanned;

/// One spec file: a whole API.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "payspec API spec, format 2")]
pub struct SpecFile {
    /// The version of the spec format: `2` (current) or `1` (a subset of 2, without the words
    /// listed in spec/README.md "Format 2").
    #[schemars(with = "u32")]
    pub format: Spanned<u32>,
    /// The API as a whole: name, transport, authentication, environments.
    pub api: Api,
    /// The operations, keyed by their operation id (`Transaction/Duplicate`, `orders.get`).
    #[serde(default)]
    pub operations: Entries<Operation>,
    /// Named object types, keyed by type name.
    #[serde(default)]
    pub types: Entries<ObjectType>,
    /// Parameter groups (format 2): dotted blocks of parameters written once, used by
    /// operations with `{group: Name}` and emitted as one Rust type, keyed by group name.
    #[serde(default)]
    pub groups: Entries<Group>,
    /// Named enumerations, keyed by enum name.
    #[serde(default)]
    pub enums: Entries<Enum>,
    /// Signed notifications the API posts to the merchant (webhooks, IPN), keyed by the name
    /// of the module that verifies them (`ipn` -> `payspec::lyra::ipn`).
    #[serde(default)]
    pub notifications: Entries<Notification>,
}

/// A signed notification the API sends to the merchant, and how to verify it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    /// One line saying what the notification is.
    pub summary: Text,
    /// More about it.
    #[serde(default)]
    pub description: Option<Text>,
    /// How the notification arrives: `form` (`application/x-www-form-urlencoded` fields) or
    /// `json` (format 2: the raw body is the payload, signed in a header).
    #[schemars(with = "NotificationEncoding")]
    pub encoding: Spanned<NotificationEncoding>,
    /// How the payload is signed.
    pub signature: Signature,
    /// The form field holding the signed JSON payload (`kr-answer`); for `encoding: form`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub payload_field: Option<Spanned<String>>,
    /// The named type the payload decodes into, once the signature holds.
    #[schemars(with = "String")]
    pub payload: Spanned<String>,
    /// Other fields of the notification handed to the application as text, keyed by wire name.
    #[serde(default)]
    pub fields: Entries<NotificationField>,
    /// Where this comes from, when not the vendor's own docs.
    #[serde(default)]
    pub source: Option<String>,
    /// Why this is not confirmed; shown as a warning.
    #[serde(default)]
    pub unverified: Option<Text>,
}

/// Encodings of notification bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationEncoding {
    /// `application/x-www-form-urlencoded`: the signature and the payload are form fields.
    Form,
    /// (format 2) The raw body is the JSON payload; the signature travels in a header.
    Json,
}

/// How a notification's payload is signed: where the signature is, what is signed, with which
/// HMAC, how the signature and the keys are written, and how old a signature may be.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// (format 1) The signature scheme: `hmac_sha256_hex` (HMAC-SHA256 of the payload,
    /// hex-encoded), the same as `hmac: sha256` with `encoding: hex`.
    #[serde(default)]
    #[schemars(with = "Option<SignatureScheme>")]
    pub scheme: Option<Spanned<SignatureScheme>>,
    /// The form field holding the signature (`kr-hash`); for `encoding: form`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub field: Option<Spanned<String>>,
    /// (format 2) The header holding the signature (`Webhook-Signature`); for `encoding: json`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub header: Option<Spanned<String>>,
    /// (format 2) When the header is structured (`t=…,v1=…`), the part holding the signature
    /// (`v1`). Several parts of that name may come; one must hold.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub part: Option<Spanned<String>>,
    /// (format 2) The part of the structured header holding the time of signing, in seconds
    /// since the Unix epoch (`t`); needs `tolerance`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub timestamp_part: Option<Spanned<String>>,
    /// (format 2) What is signed, for a header signature: a template of `{body}` (the raw
    /// body) and `{<timestamp_part>}` with fixed text between (`"{t}.{body}"`). Default
    /// `"{body}"`. A form signature signs its payload field.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub signed: Option<Spanned<String>>,
    /// (format 2) The HMAC's hash: `sha256` or `sha512`. Required without `scheme`.
    #[serde(default)]
    #[schemars(with = "Option<HmacHash>")]
    pub hmac: Option<Spanned<HmacHash>>,
    /// (format 2) How the signature is written: `hex` or `base64`. Required without `scheme`.
    #[serde(default)]
    #[schemars(with = "Option<SignatureEncoding>")]
    pub encoding: Option<Spanned<SignatureEncoding>>,
    /// (format 2) How the merchant's secrets are written: `text` (the default: the text is the
    /// key), `hex` or `base64` (the secret spells the key's bytes).
    #[serde(default)]
    #[schemars(with = "Option<KeyEncoding>")]
    pub key_encoding: Option<Spanned<KeyEncoding>>,
    /// (format 2) How many seconds the timestamp may differ from the clock, either way.
    #[serde(default)]
    #[schemars(with = "Option<u64>")]
    pub tolerance: Option<Spanned<u64>>,
    /// The field naming the algorithm (`kr-hash-algorithm`); needs `algorithm`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub algorithm_field: Option<Spanned<String>>,
    /// The only value accepted in `algorithm_field` (`sha256_hmac`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub algorithm: Option<Spanned<String>>,
    /// The field naming which key signed the payload (`kr-hash-key`); without it the first
    /// key of `keys` is used by a form signature, and every configured key is tried by a
    /// header signature (rotation).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub key_field: Option<Spanned<String>>,
    /// The keys that may sign, by the name the API gives them in `key_field`.
    pub keys: Entries<SigningKey>,
    /// Replace every `\/` with `/` in the payload before hashing.
    #[serde(default)]
    pub unescape_slashes: bool,
}

/// Signature schemes the runtime verifies (format 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignatureScheme {
    /// HMAC-SHA256 of the payload, hex-encoded, compared in constant time.
    HmacSha256Hex,
}

/// The hash of a signature's HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HmacHash {
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

/// How a signature is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignatureEncoding {
    /// Two hex digits per byte.
    Hex,
    /// Standard padded base64.
    Base64,
}

/// How a signing secret is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyEncoding {
    /// The secret's text is the key.
    Text,
    /// The secret spells the key's bytes in hex.
    Hex,
    /// The secret spells the key's bytes in standard base64.
    Base64,
}

/// A key that may sign a notification.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SigningKey {
    /// Which secret this is (where the merchant finds it).
    #[serde(default)]
    pub doc: Option<Text>,
}

/// A field of a notification handed to the application as text.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationField {
    /// What it carries.
    #[serde(default)]
    pub doc: Option<Text>,
}

/// The API as a whole.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// Module and cargo feature name in the produced crate (`lyra` -> `payspec::lyra`).
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Human title of the API.
    pub title: Text,
    /// What the API is for, shown atop its module and its docs.
    #[serde(default)]
    pub doc: Option<Text>,
    /// How requests authenticate.
    #[schemars(with = "Auth")]
    pub auth: Spanned<Auth>,
    /// How answers are framed, as a preset: `envelope` or `rest`, each short for one
    /// `framing` and `errors` declaration (see spec/README.md). Give either `protocol`, or
    /// `errors` (and `framing` unless the body is the answer).
    #[serde(default)]
    #[schemars(with = "Option<Protocol>")]
    pub protocol: Option<Spanned<Protocol>>,
    /// Format 2: how a success answer is framed (the body, a key of it, an envelope with a
    /// status field), and what else of it is kept (envelope metadata, response headers).
    #[serde(default)]
    #[schemars(with = "Option<Framing>")]
    pub framing: Option<Spanned<Framing>>,
    /// Format 2: which answers are errors and where the fields of an error body sit.
    #[serde(default)]
    #[schemars(with = "Option<ErrorShape>")]
    pub errors: Option<Spanned<ErrorShape>>,
    /// Base URLs the client can target, keyed by environment name.
    #[serde(default)]
    pub environments: Entries<Environment>,
    /// The enum that lists the API's error codes; it should be `open`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub error_codes: Option<Spanned<String>>,
    /// What authentication needs, in words (where the credentials come from).
    #[serde(default)]
    pub auth_doc: Option<Text>,
    /// Error codes (values of `error_codes`) that mean "try again": a `safe` operation
    /// answered with one is retried like after a 503; a `never` one never is.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub retry_codes: Vec<Spanned<String>>,
    /// Headers sent with every request, name → value (an API version, say). A name is an HTTP
    /// token, not one the runtime sets, given once whatever its case; a value is visible
    /// ASCII, spaces and tabs.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, String>")]
    pub headers: Entries<Spanned<String>>,
    /// How the API takes idempotency keys; required by operations marked `retry: keyed`.
    #[serde(default)]
    pub idempotency: Option<Idempotency>,
    /// How request bodies are encoded: `json` (the default) or `form`
    /// (`application/x-www-form-urlencoded` with bracket nesting). An operation may override it.
    #[serde(default)]
    #[schemars(with = "Option<Encoding>")]
    pub encoding: Option<Spanned<Encoding>>,
    /// How forms (form bodies) and structured query parameters write lists, booleans and nulls.
    #[serde(default)]
    pub form: Option<FormStyle>,
    /// The field of an answer object naming its type (`_type`, `type`, `object`), which the
    /// `type_tag` of each type is the value of: one-of answers are told apart by it, and an
    /// operation answering one tagged type refuses an answer tagged otherwise. Default `_type`;
    /// a type's `one_of` may name another.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub discriminator: Option<Spanned<String>>,
    /// How the offline sandbox of the API (the produced crate's feature `test-util`) answers a
    /// request that breaks the spec (`invalid`) and one without the sandbox's test credentials
    /// (`unauthorised`), as the vendor documents these answers. Without it: `invalid` is a 400
    /// and `unauthorised` a 401, each with an empty error object of the API's error shape.
    #[serde(default)]
    pub sandbox: Option<SandboxAnswers>,
}

/// The documented answers of the sandbox (`api.sandbox`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SandboxAnswers {
    /// The answer to a request that breaks the spec: a missing required parameter, a value
    /// outside its constraints or its enum, a body that does not decode, a missing idempotency
    /// key.
    #[serde(default)]
    pub invalid: Option<SandboxAnswer>,
    /// The answer to a request without the sandbox's test credentials in a scheme of `auth`.
    #[serde(default)]
    pub unauthorised: Option<SandboxAnswer>,
}

/// What an operation does to a resource in the offline sandbox (`sandbox` of an operation).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationSandbox {
    /// The kind of resource (any name: `transaction`, `order`); operations of the same kind
    /// share the sandbox's records.
    #[schemars(with = "String")]
    pub resource: Spanned<String>,
    /// `create`, `read`, `change` or `derive`.
    #[schemars(with = "String")]
    pub action: Spanned<ResourceAction>,
    /// For `create`: the dotted path, in the resource, where the sandbox writes the new id.
    /// For `read`, `change` and `derive`: the request parameter holding the id (its wire name,
    /// or a dotted path for a body field).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// For `derive`: the dotted path, in the new resource, where the sandbox writes its id.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub new_id: Option<Spanned<String>>,
    /// For `derive`: the kind of the new resource (a `refund` made from a `payment`);
    /// default the kind of the resource it comes from.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub new_resource: Option<Spanned<String>>,
    /// For `derive`: the dotted path, in the new resource, where the sandbox writes the id of
    /// the resource it comes from (a refund's `paymentId`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub link: Option<Spanned<String>>,
    /// For `create` and `derive`: the dotted path of the new resource in the answer (a
    /// payment's `transactions.0`); default the whole answer.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub at: Option<Spanned<String>>,
    /// For `change` and `derive`: the dotted path, in the resource the request names, of its
    /// state, checked against `from`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub state: Option<Spanned<String>>,
    /// For `change` and `derive`: the states the resource the request names must be in; any
    /// other is answered `refused`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub from: Vec<Spanned<String>>,
    /// For `create` and `change`: values written into the resource afterwards, by dotted path
    /// (`detailedStatus: CANCELLED`); for `derive`, into the new resource.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, String>")]
    pub to: std::collections::BTreeMap<String, Spanned<String>>,
    /// For `change` and `derive`: an amount consumed from the resource the request names (a
    /// refund, a capture); more than what is left is answered `over`.
    #[serde(default)]
    pub amount: Option<AmountRule>,
    /// For `change`: what the answer is: `resource` (the changed resource, default) or
    /// `example` (the operation's example with the request's values: a refund record).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub answer: Option<Spanned<ChangeAnswer>>,
    /// The answer when the resource is not in a state of `from` or the amount is more than
    /// what is left, as the vendor documents it.
    #[serde(default)]
    pub refused: Option<SandboxAnswer>,
    /// The answer when the amount is more than what is left (default: `refused`).
    #[serde(default)]
    pub over: Option<SandboxAnswer>,
    /// The answer when no resource has the id (default: the API's `sandbox.invalid`).
    #[serde(default)]
    pub missing: Option<SandboxAnswer>,
    /// The rule applies only to requests whose value at each of these request paths is absent
    /// or one of the values listed (`resolutionMode: [CANCELLATION_ONLY]`); otherwise
    /// `otherwise` is tried.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, Vec<String>>")]
    pub when: std::collections::BTreeMap<String, Vec<Spanned<String>>>,
    /// The rule tried when this one does not apply: its `when` does not hold, or the resource
    /// is not in a state of its `from` (a cancellation that becomes a refund once the
    /// transaction is captured). When no rule applies, the last refusal met is the answer.
    #[serde(default)]
    pub otherwise: Option<Box<OperationSandbox>>,
    /// Why these answers are not confirmed by the vendor's documentation.
    #[serde(default)]
    pub unverified: Option<Text>,
}

/// What an operation does to its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResourceAction {
    /// Makes a new one from the example answer and the request, with a new id.
    Create,
    /// Answers the resource with the id the request names.
    Read,
    /// Checks and changes the resource with the id the request names.
    Change,
    /// Checks the resource with the id the request names (its state, an amount left) and
    /// makes a new one from it: a duplicate of a transaction, a refund that is a transaction
    /// of its own. The new resource is the operation's example answer, or without one a copy
    /// of the resource it comes from, with the request's values where names match, the `to`
    /// values, and a new id at `new_id`.
    Derive,
}

/// What a `change` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAnswer {
    /// The changed resource.
    Resource,
    /// The operation's example answer, with the request's values where names match.
    Example,
}

/// An amount a `change` consumes from its resource.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AmountRule {
    /// The request parameter with the amount (wire name or dotted path); absent in a request,
    /// everything left is consumed.
    #[schemars(with = "String")]
    pub request: Spanned<String>,
    /// The dotted path, in the resource, of the amount everything is consumed from.
    #[schemars(with = "String")]
    pub of: Spanned<String>,
}

/// One documented error answer of the sandbox: an HTTP status and either an error code,
/// written into the API's error shape (`errors.code`, with the sandbox's explanation at
/// `errors.message` and the envelope's error status), or a whole body, sent as written.
/// Neither: an error object with the explanation only.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SandboxAnswer {
    /// The HTTP status (100 to 599).
    #[schemars(with = "u16")]
    pub status: Spanned<u16>,
    /// The error code (a value of `api.error_codes`, when the API names that enum).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub code: Option<Spanned<String>>,
    /// The whole body, JSON (for an API whose error bodies a code alone cannot describe).
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub body: Option<Spanned<Json>>,
}

impl Api {
    /// Whether answers come in an envelope whose status says success or error (the
    /// `envelope` preset, or a `framing.envelope`): such an API is also sent a JSON object
    /// (`{}` when empty) by every POST, PUT and PATCH.
    pub fn is_envelope(&self) -> bool {
        match &self.protocol {
            Some(p) => p.value == Protocol::Envelope,
            None => self
                .framing
                .as_ref()
                .is_some_and(|f| f.value.envelope.is_some()),
        }
    }
}

/// Encodings of request bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// `application/json`.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`, nested objects as `a[b][c]=v`, maps as
    /// `metadata[key]=v`, lists per `api.form.arrays`.
    Form,
}

/// The API's form conventions, for form bodies and for list, map and object query parameters.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormStyle {
    /// Lists of scalars: `brackets` (`a[]=x&a[]=y`, the default) or `indexed`
    /// (`a[0]=x&a[1]=y`). Lists of objects are always indexed.
    #[serde(default)]
    #[schemars(with = "Option<FormArrays>")]
    pub arrays: Option<Spanned<FormArrays>>,
    /// Booleans: `words` (`true`/`false`, the default) or `digits` (`1`/`0`).
    #[serde(default)]
    pub booleans: FormBooleans,
    /// Nulls: `omit` (left out, the default) or `empty` (`a=`).
    #[serde(default)]
    pub nulls: FormNulls,
}

/// How a form writes lists of scalars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormArrays {
    /// `a[]=x&a[]=y`.
    #[default]
    Brackets,
    /// `a[0]=x&a[1]=y`.
    Indexed,
}

/// How a form writes booleans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormBooleans {
    /// `true` / `false`.
    #[default]
    Words,
    /// `1` / `0`.
    Digits,
}

/// How a form writes a null.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormNulls {
    /// Left out.
    #[default]
    Omit,
    /// The key with an empty value: `a=`.
    Empty,
}

/// The API's idempotency declaration: the header that carries a key, and its limit.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Idempotency {
    /// The header's name (an HTTP token, not one the runtime sets), e.g. `Idempotency-Key`.
    #[schemars(with = "String")]
    pub header: Spanned<String>,
    /// The most characters of a key the caller gives (a generated key has 36).
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub max_length: Option<Spanned<u32>>,
    /// What the API does with a key (how long it keeps it, what a reused key returns).
    #[serde(default)]
    pub doc: Option<Text>,
}

/// How requests authenticate: `basic` (the format-1 short form, the same as
/// `[{scheme: basic}]`), or the list of the schemes the API offers, at most one of each kind.
/// The client takes credentials for any one of them.
#[derive(Debug)]
pub enum Auth {
    /// `auth: basic`.
    Basic,
    /// `auth: [{scheme: ...}, ...]`, in spec order.
    Schemes(Vec<Spanned<AuthScheme>>),
}

impl JsonSchema for Auth {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Auth".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let scheme = generator.subschema_for::<AuthScheme>();
        schemars::json_schema!({
            "description": "How requests authenticate: `basic` (short for `[{scheme: basic}]`), or the list of the schemes the API offers, at most one of each kind.",
            "anyOf": [
                { "const": "basic" },
                { "type": "array", "items": scheme, "minItems": 1 }
            ]
        })
    }
}

// A hand-written visitor, like `Text`'s: an untagged enum would lose the locations inside.
impl<'de> Deserialize<'de> for Auth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AuthVisitor;
        impl<'de> Visitor<'de> for AuthVisitor {
            type Value = Auth;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`basic`, or a list of authentication schemes")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Auth, E> {
                match v {
                    "basic" => Ok(Auth::Basic),
                    other => Err(E::unknown_variant(other, &["basic"])),
                }
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Auth, A::Error> {
                let mut schemes = Vec::new();
                while let Some(scheme) = seq.next_element::<Spanned<AuthScheme>>()? {
                    schemes.push(scheme);
                }
                Ok(Auth::Schemes(schemes))
            }
        }
        d.deserialize_any(AuthVisitor)
    }
}

/// One authentication scheme the API offers, with its settings.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthScheme {
    /// `basic` (HTTP Basic: user name and password), `bearer` (`Authorization: Bearer
    /// <token>`), `api_key` (a key in a header or a query parameter) or
    /// `oauth2_client_credentials` (an access token obtained from `token_url`).
    #[schemars(with = "AuthKind")]
    pub scheme: Spanned<AuthKind>,
    /// What these credentials are and where to find them; becomes the rustdoc of the
    /// `Credentials` constructor.
    #[serde(default)]
    pub doc: Option<Text>,
    /// `api_key` only: where the key goes, `header` or `query`.
    #[serde(default, rename = "in")]
    #[schemars(with = "Option<KeyLocation>")]
    pub location: Option<Spanned<KeyLocation>>,
    /// `api_key` only: the header or query parameter name (`X-Api-Key`, `api_key`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// `api_key` in a header only: text sent before the key (`"Bearer "`, `"ApiKey "`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub prefix: Option<Spanned<String>>,
    /// `oauth2_client_credentials` only: the token endpoint, an https URL without
    /// placeholders.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub token_url: Option<Spanned<String>>,
    /// `oauth2_client_credentials` only: the scopes asked for (sent space-separated).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub scopes: Option<Spanned<Vec<Spanned<String>>>>,
    /// `oauth2_client_credentials` only: how the client id and secret reach the token
    /// endpoint: `basic` (HTTP Basic, the default) or `body` (form fields).
    #[serde(default)]
    #[schemars(with = "Option<ClientAuth>")]
    pub client_auth: Option<Spanned<ClientAuth>>,
}

/// Authentication schemes the runtime implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// HTTP Basic: a user name and a password.
    Basic,
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// An API key in a header or a query parameter.
    ApiKey,
    /// OAuth2 client credentials: the client id and secret buy an access token.
    #[serde(rename = "oauth2_client_credentials")]
    OAuth2ClientCredentials,
}

impl AuthKind {
    /// The name the spec writes.
    pub fn name(self) -> &'static str {
        match self {
            AuthKind::Basic => "basic",
            AuthKind::Bearer => "bearer",
            AuthKind::ApiKey => "api_key",
            AuthKind::OAuth2ClientCredentials => "oauth2_client_credentials",
        }
    }
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyLocation {
    /// A request header.
    Header,
    /// A query parameter of every request.
    Query,
}

/// How an OAuth2 client authenticates to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuth {
    /// The client id and secret as HTTP Basic credentials.
    Basic,
    /// The client id and secret as `client_id` and `client_secret` form fields.
    Body,
}

/// How a success answer is framed, and what of it is kept beside the answer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framing {
    /// Where a success body keeps the answer: `.` (the body is the answer, the default) or a
    /// dotted path of keys (`data`, `answer`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub answer: Option<Spanned<String>>,
    /// The envelope's status field and its two values, when the body itself says whether the
    /// call succeeded (whatever the HTTP status).
    #[serde(default)]
    pub envelope: Option<EnvelopeStatus>,
    /// Dotted paths of a success body kept beside the answer (`Response::metadata`): a ticket,
    /// a server date, a request id.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub metadata: Vec<Spanned<String>>,
    /// Response headers kept beside the answer (`Response::headers`): HTTP tokens, never one
    /// that carries credentials or cookies.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub headers: Vec<Spanned<String>>,
}

/// The status field of an envelope.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeStatus {
    /// The dotted path of the status field (`status`).
    #[schemars(with = "String")]
    pub status: Spanned<String>,
    /// Its value for a success (`SUCCESS`).
    #[schemars(with = "String")]
    pub success: Spanned<String>,
    /// Its value for an error (`ERROR`): the body is then an error of the `errors` shape.
    #[schemars(with = "String")]
    pub error: Spanned<String>,
}

/// Which answers are errors and where an error body keeps its fields. Field paths are dotted
/// keys from the error object (`at`); a path starting with `$.` starts from the whole body.
/// A field may list several paths: the first one present wins.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorShape {
    /// The HTTP statuses whose body is an error of this shape: `non_2xx` (the default) or a
    /// list of statuses (300 to 599). Any other failure is `Error::UnexpectedStatus`; with an
    /// envelope, a success status whose envelope says error is an error too.
    #[serde(default)]
    #[schemars(with = "Option<Statuses>")]
    pub statuses: Option<Spanned<Statuses>>,
    /// The error object: `.` (the body, the default) or a dotted path (`error`, `answer`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub at: Option<Spanned<String>>,
    /// Where the error code is (a string, number or boolean), becoming `ApiError::code`.
    #[serde(default)]
    #[schemars(with = "Option<Paths>")]
    pub code: Option<Spanned<Paths>>,
    /// Where the message is (`ApiError::message`).
    #[serde(default)]
    #[schemars(with = "Option<Paths>")]
    pub message: Option<Spanned<Paths>>,
    /// Where a more precise code is (`ApiError::detailed_code`).
    #[serde(default)]
    #[schemars(with = "Option<Paths>")]
    pub detailed_code: Option<Spanned<Paths>>,
    /// Where a more precise message is (`ApiError::detailed_message`).
    #[serde(default)]
    #[schemars(with = "Option<Paths>")]
    pub detailed_message: Option<Spanned<Paths>>,
    /// Where the ticket or request id is (`ApiError::ticket`); `null` or the text `"null"`
    /// counts as absent.
    #[serde(default)]
    #[schemars(with = "Option<Paths>")]
    pub ticket: Option<Spanned<Paths>>,
    /// Where further details are (`ApiError::details`): a list whose items become texts, or
    /// one value.
    #[serde(default)]
    #[schemars(with = "Option<Paths>")]
    pub details: Option<Spanned<Paths>>,
    /// Where the errors about single request fields are (`ApiError::field_errors`).
    #[serde(default)]
    pub field_errors: Option<FieldErrorsShape>,
    /// The type of the error object (at `at`): the name of an object type of `types:`. Each
    /// API module then has `ErrorBody` (that type) and `error_body(&ApiError)`, and the
    /// generated error-code enum gives `ApiError::typed_body()`.
    #[serde(default, rename = "type")]
    #[schemars(with = "Option<String>")]
    pub ty: Option<Spanned<String>>,
    /// What an error body without a code is: `unexpected_status` (the default:
    /// `Error::UnexpectedStatus`, or `Error::Decode` for an envelope saying error) or
    /// `api_error` (`Error::Api` with an empty code).
    #[serde(default)]
    #[schemars(with = "Option<WithoutCode>")]
    pub without_code: Option<Spanned<WithoutCode>>,
}

/// Where the errors about single request fields sit.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldErrorsShape {
    /// The list of objects (or the one object, `.` for the error object itself).
    #[schemars(with = "String")]
    pub at: Spanned<String>,
    /// The field's name, from each object.
    #[schemars(with = "String")]
    pub field: Spanned<String>,
    /// What is wrong with it, from each object.
    #[schemars(with = "String")]
    pub error: Spanned<String>,
}

/// What an error body without a code becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WithoutCode {
    /// `Error::Api` with an empty code and the other fields as found.
    ApiError,
    /// `Error::UnexpectedStatus` (`Error::Decode` for an envelope that says error).
    UnexpectedStatus,
}

/// One dotted path, or a list of them (the first one present wins).
#[derive(Debug)]
pub enum Paths {
    /// `code: code`.
    One(String),
    /// `ticket: [$.ticket, ticket]`.
    Many(Vec<Spanned<String>>),
}

impl JsonSchema for Paths {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Paths".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A dotted path (`error.code`, `$.ticket` from the whole body), or a list of them: the first one present wins.",
            "anyOf": [
                { "type": "string" },
                { "type": "array", "items": { "type": "string" }, "minItems": 1 }
            ]
        })
    }
}

impl<'de> Deserialize<'de> for Paths {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PathsVisitor;
        impl<'de> Visitor<'de> for PathsVisitor {
            type Value = Paths;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a dotted path, or a list of dotted paths")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Paths, E> {
                Ok(Paths::One(v.to_owned()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Paths, A::Error> {
                let mut paths = Vec::new();
                while let Some(path) = seq.next_element::<Spanned<String>>()? {
                    paths.push(path);
                }
                Ok(Paths::Many(paths))
            }
        }
        d.deserialize_any(PathsVisitor)
    }
}

/// `non_2xx`, or a list of HTTP statuses.
#[derive(Debug)]
pub enum Statuses {
    /// Every status that is not 2xx.
    Non2xx,
    /// These statuses.
    List(Vec<Spanned<u16>>),
}

impl JsonSchema for Statuses {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Statuses".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "`non_2xx` (every status that is not 2xx), or a list of HTTP statuses from 300 to 599.",
            "anyOf": [
                { "const": "non_2xx" },
                { "type": "array", "items": { "type": "integer", "minimum": 300, "maximum": 599 }, "minItems": 1 }
            ]
        })
    }
}

impl<'de> Deserialize<'de> for Statuses {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct StatusesVisitor;
        impl<'de> Visitor<'de> for StatusesVisitor {
            type Value = Statuses;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`non_2xx`, or a list of HTTP statuses")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Statuses, E> {
                match v {
                    "non_2xx" => Ok(Statuses::Non2xx),
                    other => Err(E::unknown_variant(other, &["non_2xx"])),
                }
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Statuses, A::Error> {
                let mut statuses = Vec::new();
                while let Some(status) = seq.next_element::<Spanned<u16>>()? {
                    statuses.push(status);
                }
                Ok(Statuses::List(statuses))
            }
        }
        d.deserialize_any(StatusesVisitor)
    }
}

/// Wire protocols the runtime implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// HTTP 200 for every answer; the body is `{status: SUCCESS|ERROR, answer}` and an
    /// ERROR answer carries `errorCode`, `errorMessage`, `detailedErrorCode`,
    /// `detailedErrorMessage` (Lyra REST V4).
    Envelope,
    /// The HTTP status says success; a failure body is `{error: {code, message, ...}}`
    /// (Paysafe).
    Rest,
}

/// One base URL.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The base URL; operation paths are appended to it. `{name}` is a variable declared in
    /// `variables`, whose value the client is given when it is built.
    #[schemars(with = "String")]
    pub url: Spanned<String>,
    /// The variables of the URL, keyed by the name written in braces.
    #[serde(default)]
    pub variables: Entries<UrlVariable>,
    /// What this environment is.
    #[serde(default)]
    pub doc: Option<Text>,
    /// Where the URL comes from, when not the vendor's own docs.
    #[serde(default)]
    pub source: Option<String>,
    /// Why the URL is not confirmed; shown as a warning.
    #[serde(default)]
    pub unverified: Option<Text>,
}

/// A variable of an environment's base URL (`{prefix}`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UrlVariable {
    /// What the value is and where the user finds it.
    #[serde(default)]
    pub doc: Option<Text>,
    /// A regular expression the whole value must match (checked when the client is built).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// A value to show in the docs and the OpenAPI export (its server variable's `default`);
    /// it must be a value the client accepts.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub example: Option<Spanned<String>>,
}

/// One operation of the API.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// One line saying what the operation does.
    pub summary: Text,
    /// More about it.
    #[serde(default)]
    pub description: Option<Text>,
    /// HTTP method.
    #[schemars(with = "Method")]
    pub method: Spanned<Method>,
    /// Path template appended to the base URL; `{name}` refers to a parameter with
    /// `in: path`.
    #[schemars(with = "String")]
    pub path: Spanned<String>,
    /// Whether the client may send the request again after a transient failure.
    #[schemars(with = "RetrySafety")]
    pub retry: Spanned<RetrySafety>,
    /// How the body is encoded, when not as `api.encoding` says: `json` or `form`.
    #[serde(default)]
    #[schemars(with = "Option<Encoding>")]
    pub encoding: Option<Spanned<Encoding>>,
    /// For `retry: never`: how the caller finds out what happened when the outcome is
    /// unknown (which operation looks the result up, by what).
    #[serde(default)]
    pub recovery: Option<Text>,
    /// Parameters keyed by dotted path (`cardDuplicate.captureDelay`); `items[].sku` addresses
    /// a field of the objects of the list `items`; a segment in double quotes is one wire name,
    /// dots included (format 2: `metadata."order.id"`). `{group: Name}` uses a parameter group.
    #[serde(default)]
    pub params: Entries<Param>,
    /// The answer's type: a named type, `json` for free-form JSON, or `none`.
    #[schemars(with = "String")]
    pub response: Spanned<String>,
    /// The API error codes this operation documents (values of `api.error_codes`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub errors: Vec<Spanned<String>>,
    /// Rules the vendor states (which statuses allow the call, ...).
    #[serde(default)]
    pub rules: Vec<Text>,
    /// Example calls.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// How the answer is split into pages, for operations that list things: the client then
    /// also offers a pager that walks every page.
    #[serde(default)]
    pub pagination: Option<Pagination>,
    /// Documented variants of the call, keyed by name: each becomes a method of the request
    /// that sets fixed values (`silentPost` -> `.silent_post()`).
    #[serde(default)]
    pub presets: Entries<Preset>,
    /// What the operation does to a resource, for the stateful offline sandbox (feature
    /// `test-util`): it creates one, reads one, or changes one (a state change, an amount
    /// consumed). Without it, the sandbox answers the operation from its example.
    #[serde(default)]
    pub sandbox: Option<OperationSandbox>,
    /// Where the operation comes from, when not the vendor's own docs.
    #[serde(default)]
    pub source: Option<String>,
    /// Why this operation is not confirmed; shown as a warning in code and docs.
    #[serde(default)]
    pub unverified: Option<Text>,
    /// Filled by `groups::expand`, not read from the file: the groups `params` uses.
    #[serde(skip)]
    #[schemars(skip)]
    pub uses: Vec<GroupUse>,
}

/// How a listing operation is paged. `style` says which keys the block takes: `offset`
/// (the default) takes `offset`, `limit` and `items`; `cursor` and `link` take `cursor`,
/// `next`, `items` and optionally `limit`; `page` takes `page`, `items` and optionally `limit`
/// and one of `total_pages` and `has_more`; `last_item` takes `cursor`, `id`, `has_more`,
/// `items` and optionally `limit`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    /// How the next page is asked for (format 2): `offset` (default), `cursor`, `link`, `page`
    /// or `last_item`.
    #[serde(default)]
    #[schemars(with = "Option<PagingStyle>")]
    pub style: Option<Spanned<PagingStyle>>,
    /// Offset style: the integer parameter giving the position of the first item (`start`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub offset: Option<Spanned<String>>,
    /// The integer parameter giving the page size (`num`): required by the offset style,
    /// optional in the others.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub limit: Option<Spanned<String>>,
    /// The list field of the answer holding the page's items (`records`); in the other
    /// styles a dotted path through the answer (`_embedded.payments`).
    #[schemars(with = "String")]
    pub items: Spanned<String>,
    /// Cursor, link and last-item styles: the `in: query` string parameter that takes the
    /// cursor (`from`, `starting_after`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub cursor: Option<Spanned<String>>,
    /// Cursor and link styles: the dotted path of the answer's string field giving the next
    /// page's cursor (`nextCursor`), or its link (`_links.next.href`), whose `cursor` query
    /// parameter is the cursor; absent, null or empty on the last page.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub next: Option<Spanned<String>>,
    /// Page style: the integer parameter giving the page number (`page`); the first page is
    /// the request's, or 1 when the request leaves it unset.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub page: Option<Spanned<String>>,
    /// Page style: the dotted path of the answer's integer field giving the number of pages
    /// (`meta.total_pages`); the walk ends after that page. Not with `has_more`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub total_pages: Option<Spanned<String>>,
    /// Page and last-item styles: the dotted path of the answer's boolean field saying whether
    /// more pages follow (`has_more`); false or absent ends the walk. Required by the last-item
    /// style; in the page style, not with `total_pages`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub has_more: Option<Spanned<String>>,
    /// Last-item style: the dotted path, in one item, of the string field whose value on the
    /// page's last item is the cursor of the next page (`id`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
}

/// How a pager asks for the next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PagingStyle {
    /// The request gives the position of the first item; it moves on by the items received.
    #[default]
    Offset,
    /// The answer gives a cursor for the next page, sent back in a query parameter.
    Cursor,
    /// The answer gives the next page's link (a URL); the pager sends the value of the link's
    /// `cursor` query parameter back in that parameter, and never follows the link itself.
    Link,
    /// The request gives a page number; it moves on by one per page.
    Page,
    /// The cursor of the next page is the id of the page's last item (`starting_after`), and
    /// the answer says whether more pages follow.
    LastItem,
}

impl Pagination {
    /// The style, `offset` when the block does not say.
    pub fn style(&self) -> PagingStyle {
        self.style.as_ref().map(|s| s.value).unwrap_or_default()
    }
}

/// A documented variant of an operation: fixed values set by one request method.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    /// What the variant does.
    pub doc: Text,
    /// Top-level parameters and the values to give them, as JSON. A list parameter gets the
    /// items appended; any other parameter is set.
    #[schemars(with = "std::collections::BTreeMap<String, serde_json::Value>")]
    pub set: Entries<Spanned<Json>>,
    /// Where this comes from, when not the vendor's own docs.
    #[serde(default)]
    pub source: Option<String>,
    /// Why this is not confirmed; shown as a warning.
    #[serde(default)]
    pub unverified: Option<Text>,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The method as HTTP writes it (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// Whether an operation may be sent more than once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RetrySafety {
    /// Reads, and writes the API makes idempotent: retried on transient faults.
    Safe,
    /// Moves money or is otherwise not idempotent: sent at most once.
    Never,
    /// Made idempotent by a key in the `api.idempotency` header: one key per call (the
    /// caller's or a generated UUID v4), the same on every attempt, retried like `safe`.
    Keyed,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// A field of the JSON body.
    #[default]
    Body,
    /// A `{name}` segment of the path template.
    Path,
    /// A query-string parameter.
    Query,
    /// A request header; the wire name is the header's name (an HTTP token).
    Header,
}

/// A parameter group (format 2): parameters written once and used by several operations.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// What the group is; becomes the doc of its Rust type.
    #[serde(default)]
    pub doc: Option<Text>,
    /// The parameters, keyed by dotted path relative to where the group is used, with the
    /// same keys as operation parameters; `{group: Other}` nests another group.
    #[serde(default)]
    pub params: Entries<Param>,
    /// Filled by `groups::expand`, not read from the file: the groups used inside this one.
    #[serde(skip)]
    #[schemars(skip)]
    pub uses: Vec<GroupUse>,
}

/// Where a group is used: filled by `groups::expand`, which replaces the use with the group's
/// parameters under its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupUse {
    /// The path of the use, normalized (`customer`, `items[]`, `a."b.c"`).
    pub path: String,
    /// The group's name.
    pub group: String,
}

/// One parameter of an operation, or one field of a named type.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// `string`, `integer`, `number`, `boolean`, `amount` (integer minor units), `decimal`
    /// (an exact decimal number sent as a JSON string, `"10.00"`), `date`,
    /// `date-time`, `json`, `list<T>`, `map<T>` (string keys), `expandable<T>` (format 2: an
    /// object type `T`, or the string id standing for it), or a named type or enum.
    /// Required unless `group` is given.
    #[serde(rename = "type", default = "no_type")]
    #[schemars(with = "String")]
    pub ty: Spanned<String>,
    /// Format 2, operation and group parameters: every parameter of the named group, under
    /// this parameter's path (`customer: {group: Customer}`). Takes no other key.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub group: Option<Spanned<String>>,
    /// Format 2: the Rust name of the field (a snake_case identifier), when the one derived
    /// from the wire name collides or is not right.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// Where it travels (operations only; default `body`).
    #[serde(default, rename = "in")]
    #[schemars(with = "Option<Location>")]
    pub location: Option<Spanned<Location>>,
    /// What it means.
    #[serde(default)]
    pub doc: Option<Text>,
    /// Must be given; becomes a constructor argument.
    #[serde(default)]
    #[schemars(with = "bool")]
    pub required: Option<Spanned<bool>>,
    /// Optional, but the vendor recommends it.
    #[serde(default)]
    pub recommended: bool,
    /// May be sent as an explicit JSON `null`, distinct from absent.
    #[serde(default)]
    #[schemars(with = "bool")]
    pub nullable: Option<Spanned<bool>>,
    /// Smallest allowed value (integers and amounts).
    #[serde(default)]
    #[schemars(with = "Option<i64>")]
    pub min: Option<Spanned<i64>>,
    /// Largest allowed value (integers and amounts).
    #[serde(default)]
    #[schemars(with = "Option<i64>")]
    pub max: Option<Spanned<i64>>,
    /// Shortest allowed length in characters (strings) or items (lists).
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub min_length: Option<Spanned<u32>>,
    /// Longest allowed length in characters (strings) or items (lists).
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub max_length: Option<Spanned<u32>>,
    /// Only ASCII characters allowed.
    #[serde(default)]
    #[schemars(with = "bool")]
    pub ascii: Option<Spanned<bool>>,
    /// A regular expression the whole value must match (strings).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// A secret (password, card number, security code): never shown in `Debug` or logs.
    #[serde(default)]
    pub sensitive: bool,
    /// Where this fact comes from, when not the vendor's own docs.
    #[serde(default)]
    pub source: Option<String>,
    /// Why this parameter is not confirmed; shown as a warning.
    #[serde(default)]
    pub unverified: Option<Text>,
}

/// The placeholder type of a parameter written without `type:` (a group use, or a mistake
/// that `groups` reports).
fn no_type() -> Spanned<String> {
    Spanned::new(
        String::new(),
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

/// A named object type.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectType {
    /// What the object is.
    #[serde(default)]
    pub doc: Option<Text>,
    /// The value of the discriminator field (`api.discriminator`, `_type` by default) the API
    /// puts on it, if any (`V4/Transaction`). It tells the alternatives of a one-of apart, and
    /// an operation answering this one type refuses an answer carrying another tag. On a
    /// one-of: its tag in the discriminator of a one-of read by another field that lists it.
    #[serde(default)]
    pub type_tag: Option<String>,
    /// Instead of `fields`: the object is one of these types, told apart by the tag each
    /// carries (its `type_tag`) in the `discriminator` field. It becomes an enum with one
    /// variant per type and `Other` for an unknown tag (the JSON kept).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub one_of: Option<Spanned<Vec<Spanned<String>>>>,
    /// With `one_of`: the field holding the tag, when not `api.discriminator`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub discriminator: Option<Spanned<String>>,
    /// Fields keyed by dotted path, with the same keys as operation parameters (`in` and
    /// `group` aside). A `required` field must be set whenever the object is sent: the
    /// object's constructor takes it and validation refuses the object without it, while the
    /// object itself stays optional where it is used.
    #[serde(default)]
    pub fields: Entries<Param>,
    /// Where this type comes from, when not the vendor's own docs.
    #[serde(default)]
    pub source: Option<String>,
    /// Why this type is not confirmed; shown as a warning.
    #[serde(default)]
    pub unverified: Option<Text>,
}

/// A named enumeration.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Enum {
    /// What the enumeration is.
    #[serde(default)]
    pub doc: Option<Text>,
    /// The vendor may add values: unknown values decode into `Unknown(String)`.
    #[serde(default)]
    pub open: bool,
    /// Per-value data columns (`numeric: {type: integer}`), filled in by each value's `data`.
    #[serde(default)]
    pub data: Entries<DataColumn>,
    /// For currency enums: the integer data column giving each currency's minor-unit digits.
    /// The enum then converts amounts between minor units and decimal text, exactly.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub minor_units: Option<Spanned<String>>,
    /// The values, in the order the docs list them.
    #[schemars(with = "Vec<EnumValue>")]
    pub values: Spanned<Vec<EnumValue>>,
    /// Where this enum comes from, when not the vendor's own docs.
    #[serde(default)]
    pub source: Option<String>,
    /// Why this enum is not confirmed; shown as a warning.
    #[serde(default)]
    pub unverified: Option<Text>,
}

/// A per-value data column of an enum.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataColumn {
    /// `integer`, `string` or `boolean`.
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    pub ty: Spanned<String>,
    /// What the column means; becomes the accessor's doc.
    #[serde(default)]
    pub doc: Option<Text>,
}

/// One value of an enumeration.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The wire value; `null` stands for an explicit JSON null. Quote values YAML could read
    /// otherwise (`"NO"`, `"04"`) for clarity; unquoted ones are read as written.
    #[schemars(with = "Option<String>")]
    pub value: Spanned<Option<String>>,
    /// The Rust variant name, when the one derived from the value is not right.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// What the value means.
    #[serde(default)]
    pub doc: Option<Text>,
    /// Values of the enum's data columns for this value.
    #[serde(default)]
    #[schemars(with = "Entries<DataValue>")]
    pub data: Entries<Spanned<DataValue>>,
    /// Where this value comes from, when not the vendor's own docs.
    #[serde(default)]
    pub source: Option<String>,
    /// Why this value is not confirmed; shown as a warning.
    #[serde(default)]
    pub unverified: Option<Text>,
}

/// A per-value datum: a scalar.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum DataValue {
    /// A boolean.
    Boolean(bool),
    /// An integer.
    Integer(i64),
    /// A string.
    String(String),
}

/// One example call of an operation.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// What the example shows.
    pub title: Text,
    /// The parameters, as the JSON the call sends (path and query parameters included by name).
    #[schemars(with = "serde_json::Value")]
    pub request: Spanned<Json>,
    /// An answer the call may get.
    #[serde(default)]
    #[schemars(with = "Option<serde_json::Value>")]
    pub response: Option<Spanned<Json>>,
}

/// JSON written in a spec (examples, preset values), with the location of every value, so a
/// diagnostic can point at the one that is wrong. [`Json::to_value`] gives the plain JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null` or `~`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer or a finite float.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// A sequence.
    Array(Vec<Spanned<Json>>),
    /// A mapping, in source order, each key with its location.
    Object(Vec<(Spanned<String>, Spanned<Json>)>),
}

impl Json {
    /// The plain JSON value.
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::String(s) => Value::String(s.clone()),
            Json::Array(items) => Value::Array(items.iter().map(|i| i.value.to_value()).collect()),
            Json::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.value.clone(), v.value.to_value()))
                    .collect(),
            ),
        }
    }

    /// The value under `key`, when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Spanned<Json>> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k.value == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

// A hand-written visitor, like `Text`'s, so that every nested value keeps its location.
impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct JsonVisitor;
        impl<'de> Visitor<'de> for JsonVisitor {
            type Value = Json;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
                Json::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
                Ok(Json::Number(v.into()))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Json, E> {
                match (i64::try_from(v), u64::try_from(v)) {
                    (Ok(n), _) => Ok(Json::Number(n.into())),
                    (_, Ok(n)) => Ok(Json::Number(n.into())),
                    _ => Err(E::custom(format!(
                        "the integer {v} does not fit in 64 bits"
                    ))),
                }
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Json, E> {
                u64::try_from(v)
                    .map(|n| Json::Number(n.into()))
                    .map_err(|_| E::custom(format!("the integer {v} does not fit in 64 bits")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
                serde_json::Number::from_f64(v)
                    .map(Json::Number)
                    .ok_or_else(|| E::custom(format!("{v} is not a JSON number")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
                Ok(Json::String(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
                Ok(Json::String(v))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let _level = JsonDepth::enter()?;
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<Json>>()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let _level = JsonDepth::enter()?;
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<Spanned<String>, Spanned<Json>>()? {
                    entries.push(entry);
                }
                Ok(Json::Object(entries))
            }
        }
        d.deserialize_any(JsonVisitor)
    }
}

thread_local! {
    /// How many arrays and objects enclose the JSON value being read (see [`JsonDepth`]).
    static JSON_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// One level of JSON nesting, counted while it lives, so that reading an example or a preset
/// never recurses deeper than [`MAX_JSON_DEPTH`](crate::limits::MAX_JSON_DEPTH), however its
/// YAML aliases expand. A thread-local count (rather than a seed) lets every nested value keep
/// its `Spanned` location.
struct JsonDepth;

impl JsonDepth {
    fn enter<E: de::Error>() -> Result<JsonDepth, E> {
        let depth = JSON_DEPTH.with(|d| {
            d.set(d.get() + 1);
            d.get()
        });
        // Made before the check, so that its drop undoes the count on the error path too.
        let level = JsonDepth;
        if depth > crate::limits::MAX_JSON_DEPTH {
            return Err(E::custom(crate::limits::JSON_TOO_DEEP));
        }
        Ok(level)
    }
}

impl Drop for JsonDepth {
    fn drop(&mut self) {
        JSON_DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Prose: plain text (English) or `{en: ..., fr: ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    /// English only.
    Plain(String),
    /// Per language.
    Localized {
        /// English.
        en: Option<String>,
        /// French.
        fr: Option<String>,
    },
}

impl Text {
    /// The English text, if any.
    pub fn en(&self) -> Option<&str> {
        match self {
            Text::Plain(s) => Some(s),
            Text::Localized { en, .. } => en.as_deref(),
        }
    }

    /// The French text, if any.
    pub fn fr(&self) -> Option<&str> {
        match self {
            Text::Plain(_) => None,
            Text::Localized { fr, .. } => fr.as_deref(),
        }
    }
}

impl JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Prose: a plain string (English), or a mapping with `en` and `fr`.",
            "anyOf": [
                { "type": "string" },
                {
                    "type": "object",
                    "properties": { "en": { "type": "string" }, "fr": { "type": "string" } },
                    "additionalProperties": false
                }
            ]
        })
    }
}

// A hand-written visitor instead of `#[serde(untagged)]`: untagged enums buffer their input and
// would lose the locations of every `Spanned` value around them.
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, or a mapping with `en` and/or `fr` strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::Plain(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let (mut en, mut fr) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    let slot = match key.as_str() {
                        "en" => &mut en,
                        "fr" => &mut fr,
                        other => return Err(de::Error::unknown_field(other, &["en", "fr"])),
                    };
                    if slot.is_some() {
                        return Err(de::Error::duplicate_field("language"));
                    }
                    *slot = Some(map.next_value::<String>()?);
                }
                Ok(Text::Localized { en, fr })
            }
        }
        d.deserialize_any(TextVisitor)
    }
}

/// A YAML mapping kept in source order, each key with its location.
///
/// A `BTreeMap` would sort the keys and lose where they are; the order the author chose is
/// kept for docs, and `lower` sorts wherever output order matters. Lookups by key go through
/// an index: checks look names up once per use, and a spec can define thousands.
#[derive(Debug)]
pub struct Entries<T> {
    entries: Vec<(Spanned<String>, T)>,
    /// The position of each key (its first, were a key ever given twice).
    index: std::collections::BTreeMap<String, usize>,
}

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries::new(Vec::new())
    }
}

impl<T> Entries<T> {
    /// The entries, in this order.
    pub fn new(entries: Vec<(Spanned<String>, T)>) -> Self {
        let mut index = std::collections::BTreeMap::new();
        for (i, (key, _)) in entries.iter().enumerate() {
            index.entry(key.value.clone()).or_insert(i);
        }
        Entries { entries, index }
    }

    /// Iterates over keys and values in source order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Spanned<String>, &T)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The value under `key`, if present.
    pub fn get(&self, key: &str) -> Option<&T> {
        let at = *self.index.get(key)?;
        self.entries.get(at).map(|(_, v)| v)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in source order, as a slice.
    pub fn as_slice(&self) -> &[(Spanned<String>, T)] {
        &self.entries
    }

    /// The values, in source order, to change in place.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// The entries, in source order.
    pub fn into_vec(self) -> Vec<(Spanned<String>, T)> {
        self.entries
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for EntriesVisitor<T> {
            type Value = Entries<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Entries<T>, E> {
                Ok(Entries::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<T>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<Spanned<String>, T>()? {
                    entries.push(entry);
                }
                Ok(Entries::new(entries))
            }
        }
        d.deserialize_map(EntriesVisitor(PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for Entries<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Map_of_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        generator.subschema_for::<std::collections::BTreeMap<String, T>>()
    }
}
