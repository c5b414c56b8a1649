//! The offline sandbox of an API (feature `test-util`): a loopback HTTP/1.1 server that a real
//! generated client is pointed at, answering every operation of the spec from data the
//! generated code hands it ([`SandboxApi`]), never from a branch per vendor.
//!
//! Why a loopback server and not an in-process transport: the client under test then runs its
//! whole path — URL building, auth headers, body encoding, timeouts, retries, the decoding of
//! answers and of transport faults (a reset connection is a real reset) — exactly as it does
//! against the vendor; an in-process shortcut would skip the very code a test should exercise.
//! It listens on `127.0.0.1:0` (an ephemeral port), so tests run in parallel without a network.
//!
//! Each request is routed by method and path template (path parameters captured), checked
//! (authentication of the sandbox's test credentials, the idempotency key where the operation
//! takes one, then decoding into the operation's request type and its `validate()`), and
//! answered with the operation's spec example overlaid with the request's values, framed as the
//! API frames answers. A violation is answered with the API's own error shape and the code the
//! spec's `api.errors.sandbox` names. Scripted faults ([`Fault`]) take precedence; every request
//! is recorded ([`Recorded`]). For an API that offers only OAuth2 client credentials, the
//! sandbox is also the token endpoint ([`TOKEN_PATH`]): it issues access tokens for its test
//! client id and secret, and accepts only the tokens it issued.

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::auth::{AuthScheme, ClientAuth, KeyLocation};
use crate::config::{ClientConfig, Credentials};
use crate::encode::Encoding;
use crate::frame::Framing;
use crate::redact::basic_token;

/// The path of the sandbox's OAuth2 token endpoint (the client-credentials grant), served
/// when the sandbox's credentials are OAuth2 ones; [`Sandbox::config`] points the client at it.
pub const TOKEN_PATH: &str = "/__sandbox/oauth2/token";

/// How long an access token the sandbox issues lives, in seconds.
const TOKEN_LIFETIME: u64 = 3600;

/// The largest request body the sandbox reads; a bigger one is answered as invalid.
const MAX_BODY: usize = 1 << 20;

/// What the sandbox of one API knows, generated from its spec.
#[derive(Debug, Clone, Copy)]
pub struct SandboxApi {
    /// How the API frames answers and errors.
    pub framing: &'static Framing,
    /// The authentication schemes the API offers; the sandbox's test credentials are of the
    /// first one that is not OAuth2, or OAuth2 client credentials when the API offers nothing
    /// else (the sandbox then serves the token endpoint at [`TOKEN_PATH`]).
    pub auth: &'static [AuthScheme],
    /// The header carrying idempotency keys, when the API takes them.
    pub idempotency_header: Option<&'static str>,
    /// The answer to a request that breaks the spec.
    pub invalid: SandboxError,
    /// The answer to a request without the test credentials.
    pub unauthorised: SandboxError,
    /// Every operation.
    pub operations: &'static [SandboxOperation],
}

/// A documented error the sandbox answers with (`api.sandbox` of the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxError {
    /// The HTTP status.
    pub status: u16,
    /// The error code, written where the API's error shape keeps codes.
    pub code: Option<&'static str>,
    /// The whole body, sent as written (instead of a code).
    pub body: Option<&'static str>,
}

/// Decodes a request object into `T` and validates it with `validate` (the generated
/// `validate` of the request type); the error text names the path that failed.
pub fn decode<T, E>(
    value: Value,
    validate: fn(&T) -> Result<(), E>,
) -> Result<Box<dyn Any + Send + Sync>, String>
where
    T: serde_core::de::DeserializeOwned + Send + Sync + 'static,
    E: std::fmt::Display,
{
    let request: T = super::json_path::decode_value(&value)
        .map_err(|e| format!("at `{}`: {}", e.path, e.message))?;
    validate(&request).map_err(|e| e.to_string())?;
    Ok(Box::new(request))
}

/// The script of one operation (see [`Sandbox::on`]).
#[derive(Debug)]
pub struct Script<'a> {
    sandbox: &'a Sandbox,
    operation: &'static str,
    times: usize,
}

impl Script<'_> {
    /// Scripts the next `n` calls instead of the next one.
    pub fn next(mut self, n: usize) -> Self {
        self.times = n;
        self
    }

    /// Answers the scripted calls with `fault`.
    pub fn respond(self, fault: Fault) {
        self.sandbox.script(self.operation, self.times, fault);
    }
}

/// Decodes the request object (body fields, and the path, query and header parameters under
/// their field names) into the operation's request type and validates it.
pub type DecodeFn = fn(Value) -> Result<Box<dyn Any + Send + Sync>, String>;

/// One operation, as the sandbox routes and answers it.
#[derive(Debug, Clone, Copy)]
pub struct SandboxOperation {
    /// The operation id.
    pub id: &'static str,
    /// The HTTP method (`POST`).
    pub method: &'static str,
    /// The path template (`/payments/{id}`), relative to the base URL.
    pub path: &'static str,
    /// How the body is encoded.
    pub encoding: Encoding,
    /// Whether the request must carry an idempotency key.
    pub keyed: bool,
    /// The parameters outside the body.
    pub params: &'static [SandboxParam],
    /// The spec's example answer (JSON text), if any.
    pub example: Option<&'static str>,
    /// The decoder of the request.
    pub decode: DecodeFn,
    /// What the operation does to a resource (the spec's `sandbox` of the operation); `None`
    /// answers from the example alone.
    pub resource: Option<&'static ResourceRule>,
}

/// What an operation does to a resource, the sandbox's records of which live as long as it.
#[derive(Debug, Clone, Copy)]
pub struct ResourceRule {
    /// The kind of resource; operations of one kind share the records.
    pub kind: &'static str,
    /// Create, read or change.
    pub action: ResourceAction,
    /// `Create`: the dotted path in the resource where the new id is written. `Read`,
    /// `Change` and `Derive`: the request parameter (wire name or dotted path) holding the id.
    pub id: &'static str,
    /// `Derive`: the dotted path in the new resource where its id is written.
    pub new_id: &'static str,
    /// `Derive`: the kind of the new resource (`""`: the kind of the one it comes from).
    pub new_kind: &'static str,
    /// `Derive`: the dotted path in the new resource where the id of the one it comes from
    /// is written (`""`: nowhere).
    pub link: &'static str,
    /// `Create` and `Derive`: the dotted path of the new resource in the answer (`""`: the
    /// whole answer).
    pub at: &'static str,
    /// The dotted path of the resource's state, checked against `from`.
    pub state: Option<&'static str>,
    /// `Change` and `Derive`: the states the resource must be in (empty: any).
    pub from: &'static [&'static str],
    /// Values written into the resource afterwards (`Derive`: into the new one), by dotted
    /// path.
    pub to: &'static [(&'static str, &'static str)],
    /// `Change` and `Derive`: the request path of an amount consumed from the resource's amount at the
    /// second path; absent from a request, all that is left is consumed. Each operation
    /// consumes from the whole amount (settlements and refunds are counted apart).
    pub amount: Option<(&'static str, &'static str)>,
    /// `Change`: answer the operation's example (with the request's values) instead of the
    /// changed resource.
    pub answer_example: bool,
    /// The answer when the state does not allow the change.
    pub refused: SandboxError,
    /// The answer when the amount is more than what is left.
    pub over: SandboxError,
    /// The answer when no resource has the id.
    pub missing: SandboxError,
    /// Request paths and the values the rule applies to (a request without the path matches
    /// too); empty: every request.
    pub when: &'static [(&'static str, &'static [&'static str])],
    /// The rule tried when this one does not apply (its `when` does not hold, or the resource
    /// is not in a state of its `from`).
    pub otherwise: Option<&'static ResourceRule>,
}

/// What an operation does to its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceAction {
    /// A new resource from the example answer and the request, with a new id.
    Create,
    /// The resource the request names, as recorded.
    Read,
    /// The resource the request names, checked and changed.
    Change,
    /// The resource the request names, checked (state, amount left), and a new resource made
    /// as `Create` makes one: a duplicate, a refund that is a record of its own.
    Derive,
}

/// Where a parameter outside the body travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    /// A `{name}` of the path template.
    Path,
    /// A query parameter.
    Query,
    /// A request header.
    Header,
}

/// A parameter outside the body.
#[derive(Debug, Clone, Copy)]
pub struct SandboxParam {
    /// The name on the wire (path template name, query key or header name).
    pub wire: &'static str,
    /// The key of the request object it fills.
    pub field: &'static str,
    /// Where it travels.
    pub location: ParamIn,
    /// `true` when the value is text (a string or an enum); otherwise it is read as JSON (a
    /// number, a boolean) and as text when it is not JSON.
    pub text: bool,
}

/// What a scripted call answers instead of the normal answer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Fault {
    /// A documented API error: the code (and message) in the API's error shape, with the HTTP
    /// status of the sandbox's "invalid" answer, or the given one.
    Error {
        /// The error code.
        code: String,
        /// The message.
        message: String,
        /// The HTTP status; `None`: the status of the API's "invalid request" answer.
        status: Option<u16>,
    },
    /// An HTTP status with an empty body (a 5xx, a 429, ...).
    Status(u16),
    /// No answer: the connection is held open until the sandbox stops (the client times out).
    Timeout,
    /// The connection is closed without an answer after the request was read.
    Reset,
    /// The normal answer, after a delay.
    Slow(Duration),
    /// A given status and body (sent as `application/json`).
    Body {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: String,
    },
}

impl Fault {
    /// A documented API error with this code.
    pub fn error(code: impl Into<String>) -> Self {
        let code = code.into();
        Fault::Error {
            message: format!("sandbox: scripted error {code}"),
            code,
            status: None,
        }
    }
}

/// One request the sandbox received.
#[derive(Clone)]
pub struct Recorded {
    /// The operation it was routed to (`None`: no operation matches).
    pub operation: Option<&'static str>,
    /// The HTTP method.
    pub method: String,
    /// The path and query, as sent.
    pub path: String,
    /// The headers (names in lower case), in order.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Bytes,
    decoded: Option<Arc<dyn Any + Send + Sync>>,
}

impl Recorded {
    /// The decoded request, when it decoded into `T` (the operation's request type).
    pub fn request<T: Any>(&self) -> Option<&T> {
        self.decoded.as_deref().and_then(|d| d.downcast_ref())
    }

    /// The first value of a header (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl std::fmt::Debug for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Headers may hold the test credentials only; bodies are test data.
        f.debug_struct("Recorded")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    scripts: HashMap<&'static str, VecDeque<Fault>>,
    log: Vec<Recorded>,
    /// The OAuth2 access tokens issued so far (all valid until the sandbox stops).
    tokens: Vec<String>,
    /// The resources, by kind and id.
    records: HashMap<(String, String), Value>,
    /// The amount each operation consumed from each resource (`ResourceRule::amount`): a
    /// settlement and a refund each have the whole amount to consume from.
    consumed: HashMap<(String, String, &'static str), f64>,
    /// The answer to each idempotency key, by operation: a retry gets it again.
    replays: HashMap<(&'static str, String), (u16, String)>,
    /// Ids made so far.
    ids: u64,
}

struct Shared {
    api: SandboxApi,
    /// The random half of the ids the sandbox makes (so ids of two sandboxes differ).
    nonce: u64,
    credentials: Credentials,
    state: Mutex<State>,
    stop: Notify,
}

impl Shared {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running sandbox: stops when dropped.
pub struct Sandbox {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("addr", &self.addr).finish()
    }
}

impl Sandbox {
    /// Starts the sandbox of `api` on `127.0.0.1` at an ephemeral port, in the current tokio
    /// runtime. Panics only when no loopback port can be bound (a broken test machine).
    pub async fn start(api: SandboxApi) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("the sandbox binds a loopback port");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let shared = Arc::new(Shared {
            credentials: test_credentials(api.auth),
            nonce: crate::retry::below_or_at(u64::MAX),
            api,
            state: Mutex::new(State::default()),
            stop: Notify::new(),
        });
        tokio::spawn(serve(listener, Arc::clone(&shared)));
        Sandbox { shared, addr }
    }

    /// The base URL to give a client (`http://127.0.0.1:<port>`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The credentials the sandbox accepts (the only ones).
    pub fn credentials(&self) -> Credentials {
        self.shared.credentials.clone()
    }

    /// A client configuration for the sandbox: its base URL (plain HTTP allowed), its
    /// credentials and, for OAuth2 ones, its token endpoint.
    pub fn config(&self) -> ClientConfig {
        let config =
            ClientConfig::new(self.base_url(), self.credentials()).danger_allow_plain_http();
        if self.oauth2().is_some() {
            config.token_url(format!("{}{TOKEN_PATH}", self.base_url()))
        } else {
            config
        }
    }

    /// The recorded resource of this kind and id, as the sandbox would answer it.
    pub fn resource(&self, kind: &str, id: &str) -> Option<Value> {
        self.shared
            .state()
            .records
            .get(&(kind.to_owned(), id.to_owned()))
            .cloned()
    }

    /// Records a resource, as if an operation had created it (a payment the customer made on
    /// a hosted page, which no API call creates); later reads and changes find it by `id`.
    pub fn insert(&self, kind: &str, id: &str, resource: Value) {
        let mut state = self.shared.state();
        state
            .consumed
            .retain(|(k, i, _), _| !(k == kind && i == id));
        state
            .records
            .insert((kind.to_owned(), id.to_owned()), resource);
    }

    /// How many OAuth2 access tokens the sandbox has issued (0 for other credentials).
    pub fn tokens_issued(&self) -> usize {
        self.shared.state().tokens.len()
    }

    /// The API's OAuth2 scheme, when the sandbox's credentials are OAuth2 ones.
    fn oauth2(&self) -> Option<ClientAuth> {
        oauth2_scheme(&self.shared)
    }

    /// Makes the next `n` calls of `operation` answer `fault` (after any already scripted).
    pub fn script(&self, operation: &'static str, n: usize, fault: Fault) {
        let mut state = self.shared.state();
        let queue = state.scripts.entry(operation).or_default();
        queue.extend(std::iter::repeat_n(fault, n));
    }

    /// Scripts the next call of `operation` (an operation id): `.next(n)` for more,
    /// `.respond(fault)` to set the answer.
    pub fn on(&self, operation: &'static str) -> Script<'_> {
        Script {
            sandbox: self,
            operation,
            times: 1,
        }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.state().log.clone()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.shared.stop.notify_waiters();
        self.shared.stop.notify_one();
    }
}

/// The sandbox's credentials: for the first scheme that needs no token endpoint, or OAuth2
/// client credentials when the API offers only that.
fn test_credentials(auth: &[AuthScheme]) -> Credentials {
    match auth
        .iter()
        .find(|s| !matches!(s, AuthScheme::OAuth2ClientCredentials { .. }))
    {
        Some(AuthScheme::Basic) => Credentials::basic("sandbox", "sandbox-password"),
        Some(AuthScheme::ApiKey { .. }) => Credentials::api_key("sandbox-key"),
        Some(_) => Credentials::bearer("sandbox-token"),
        None => Credentials::oauth2_client_credentials("sandbox-client", "sandbox-client-secret"),
    }
}

/// How the client authenticates to the token endpoint, when the sandbox's credentials are
/// OAuth2 ones.
fn oauth2_scheme(shared: &Shared) -> Option<ClientAuth> {
    if shared.credentials.kind() != crate::auth::SchemeKind::OAuth2ClientCredentials {
        return None;
    }
    shared.api.auth.iter().find_map(|s| match s {
        AuthScheme::OAuth2ClientCredentials { client_auth, .. } => Some(*client_auth),
        _ => None,
    })
}

/// The token endpoint: the client-credentials grant with the sandbox's client id and secret,
/// sent as the API's scheme says (HTTP Basic or the form body); an RFC 6749 error otherwise.
fn token_answer(
    shared: &Shared,
    client_auth: ClientAuth,
    headers: &[(String, String)],
    body: &[u8],
) -> Answer {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let id = shared.credentials.user().unwrap_or("");
    let secret = shared.credentials.secret().expose();
    let client_ok = match client_auth {
        ClientAuth::Basic => {
            let expected = format!("Basic {}", basic_token(id, secret));
            headers
                .iter()
                .any(|(n, v)| n.eq_ignore_ascii_case("authorization") && *v == expected)
        }
        ClientAuth::Body => {
            field("client_id") == Some(id) && field("client_secret") == Some(secret)
        }
    };
    if !client_ok {
        return json(401, r#"{"error":"invalid_client"}"#.to_owned());
    }
    if field("grant_type") != Some("client_credentials") {
        return json(400, r#"{"error":"unsupported_grant_type"}"#.to_owned());
    }
    let mut state = shared.state();
    let token = format!("sandbox-access-token-{}", state.tokens.len() + 1);
    state.tokens.push(token.clone());
    json(
        200,
        serde_json::json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME,
        })
        .to_string(),
    )
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    // One waiter for the whole loop: created before the first accept, it hears a stop
    // signalled at any time after (`notify_waiters` reaches a waiter not yet polled).
    let mut stop = std::pin::pin!(shared.stop.notified());
    loop {
        // The stop first: once signalled, no further connection is taken.
        let accepted = std::future::poll_fn(|cx| {
            if stop.as_mut().poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            listener.poll_accept(cx).map(Some)
        })
        .await;
        let Some(accepted) = accepted else { return };
        let Ok((stream, _)) = accepted else { continue };
        let conn_shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let shared = Arc::clone(&conn_shared);
                async move { answer(&shared, request).await }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            // A reset (scripted) or a client going away ends the connection: nothing to do.
            let _ = connection.await;
        });
    }
}

/// The error a scripted reset returns: hyper then closes the connection without an answer.
#[derive(Debug)]
struct ScriptedReset;

impl std::fmt::Display for ScriptedReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("scripted connection reset")
    }
}

impl std::error::Error for ScriptedReset {}

type Answer = hyper::Response<Full<Bytes>>;

async fn answer(
    shared: &Shared,
    request: hyper::Request<Incoming>,
) -> Result<Answer, ScriptedReset> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => Some(collected.to_bytes()),
        Err(_) => None,
    };
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or("").to_owned();
    if path == TOKEN_PATH && parts.method == hyper::Method::POST {
        if let Some(client_auth) = oauth2_scheme(shared) {
            return Ok(match body {
                Some(body) => token_answer(shared, client_auth, &headers, &body),
                None => json(400, r#"{"error":"invalid_request"}"#.to_owned()),
            });
        }
    }
    let routes = routes(shared.api.operations, parts.method.as_str(), &path);
    let body_bytes = body.clone().unwrap_or_default();
    // Several operations may share a method and a path (told apart by their bodies, or by the
    // kind of resource the id names): the first whose request decodes and whose resource
    // exists, else the first that decodes, else the first.
    let (operation, prepared) = match (routes.first(), &body) {
        (None, _) => (
            None,
            Err(plain(
                404,
                "sandbox: no operation of the spec has this method and path",
            )),
        ),
        (Some((op, _)), None) => (
            Some(*op),
            Err(error_answer(
                shared,
                shared.api.invalid,
                "the request body is too large",
            )),
        ),
        (Some(_), Some(body)) => {
            let mut tried: Vec<(&SandboxOperation, Result<Prepared, Answer>)> = routes
                .iter()
                .map(|(op, captured)| {
                    let prepared = prepare(shared, op, captured, &query, &headers, body)
                        .map_err(|answer| *answer);
                    (*op, prepared)
                })
                .collect();
            let pick = tried
                .iter()
                .position(|(op, p)| p.as_ref().is_ok_and(|p| names_a_record(shared, op, p)))
                .or_else(|| tried.iter().position(|(_, p)| p.is_ok()))
                .unwrap_or(0);
            let (op, prepared) = tried.swap_remove(pick);
            (Some(op), prepared)
        }
    };
    let fault = operation.and_then(|op| shared.state().scripts.get_mut(op.id)?.pop_front());
    let decoded = prepared.as_ref().ok().map(|p| Arc::clone(&p.decoded));
    shared.state().log.push(Recorded {
        operation: operation.map(|op| op.id),
        method: parts.method.as_str().to_owned(),
        path: parts
            .uri
            .path_and_query()
            .map_or(path.clone(), |p| p.as_str().to_owned()),
        headers: headers.clone(),
        body: body_bytes,
        decoded,
    });
    // A documented error, a status or a given body answers instead of the call: nothing is
    // done. A reset, a timeout or a slow answer come after the call was carried out (the case
    // of an unknown outcome: the payment may have been made).
    let carried_out = || match (operation, prepared) {
        (Some(op), Ok(prepared)) => carry_out(shared, op, &headers, prepared),
        (_, Err(answer)) => answer,
        (None, Ok(_)) => plain(404, "sandbox: no operation"),
    };
    match fault {
        None => Ok(carried_out()),
        Some(Fault::Error {
            code,
            message,
            status,
        }) => {
            let status = status.unwrap_or(shared.api.invalid.status);
            Ok(error_body(
                shared.api.framing,
                status,
                Some(&code),
                &message,
            ))
        }
        Some(Fault::Status(status)) => Ok(plain(status, "")),
        Some(Fault::Timeout) => {
            drop(carried_out());
            shared.stop.notified().await;
            Err(ScriptedReset)
        }
        Some(Fault::Reset) => {
            drop(carried_out());
            Err(ScriptedReset)
        }
        Some(Fault::Slow(delay)) => {
            let answer = carried_out();
            tokio::time::sleep(delay).await;
            Ok(answer)
        }
        Some(Fault::Body { status, body }) => Ok(json(status, body)),
    }
}

/// A request that passed the checks: decoded, and as a JSON object (body fields, and the
/// parameters outside the body under their field names).
struct Prepared {
    decoded: Arc<dyn Any + Send + Sync>,
    request: Value,
    /// The path, query and header parameters by wire name.
    wire_params: Vec<(String, String)>,
}

/// Checks one routed request: the credentials, the idempotency key where the operation takes
/// one, then the request decoded into its type and validated.
fn prepare(
    shared: &Shared,
    op: &SandboxOperation,
    captured: &[(&'static str, String)],
    query: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Prepared, Box<Answer>> {
    let api = &shared.api;
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let query_pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let tokens = shared.state().tokens.clone();
    if !authorised(api.auth, &shared.credentials, &tokens, header, &query_pairs) {
        return Err(Box::new(error_answer(
            shared,
            api.unauthorised,
            "the sandbox's test credentials are missing or wrong",
        )));
    }
    if op.keyed {
        if let Some(name) = api.idempotency_header {
            if header(name).is_none_or(|k| k.trim().is_empty()) {
                let why = format!("the idempotency key header `{name}` is missing");
                return Err(Box::new(error_answer(shared, api.invalid, &why)));
            }
        }
    }
    let mut object = match (body.is_empty(), op.encoding) {
        (true, _) => Map::new(),
        (false, Encoding::Json) => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => map,
            Ok(_) => {
                return Err(Box::new(error_answer(
                    shared,
                    api.invalid,
                    "the body is not a JSON object",
                )));
            }
            Err(e) => {
                let why = format!("the body is not JSON: {e}");
                return Err(Box::new(error_answer(shared, api.invalid, &why)));
            }
        },
        (false, Encoding::Form) => form_object(body),
    };
    let mut wire_params = Vec::new();
    for param in op.params {
        let value = match param.location {
            ParamIn::Path => captured
                .iter()
                .find(|(n, _)| *n == param.wire)
                .map(|(_, v)| v.clone()),
            ParamIn::Query => query_pairs
                .iter()
                .find(|(k, _)| k == param.wire)
                .map(|(_, v)| v.clone()),
            ParamIn::Header => header(param.wire).map(str::to_owned),
        };
        if let Some(value) = value {
            wire_params.push((param.wire.to_owned(), value.clone()));
            let value = if param.text {
                Value::String(value)
            } else {
                serde_json::from_str(&value).unwrap_or(Value::String(value))
            };
            object.insert(param.field.to_owned(), value);
        }
    }
    let request = Value::Object(object);
    let decoded = match (op.decode)(request.clone()) {
        Ok(decoded) => decoded,
        Err(why) => {
            return Err(Box::new(error_answer(
                shared,
                api.invalid,
                &format!("{}: {why}", op.id),
            )));
        }
    };
    Ok(Prepared {
        decoded: Arc::from(decoded),
        request,
        wire_params,
    })
}

/// The id a read or a change names: the parameter of that wire name, or the body field at
/// that dotted path.
fn named_id(rule: &ResourceRule, prepared: &Prepared) -> Option<String> {
    let found = prepared
        .wire_params
        .iter()
        .find(|(wire, _)| wire == rule.id)
        .map(|(_, v)| v.clone());
    found.or_else(|| match get_dotted(&prepared.request, rule.id)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// Whether the operation reads or changes a resource that is recorded.
fn names_a_record(shared: &Shared, op: &SandboxOperation, prepared: &Prepared) -> bool {
    let Some(rule) = op.resource.filter(|r| r.action != ResourceAction::Create) else {
        return false;
    };
    named_id(rule, prepared).is_some_and(|id| {
        shared
            .state()
            .records
            .contains_key(&(rule.kind.to_owned(), id))
    })
}

/// Carries out a checked request: the answer already given to its idempotency key, or what
/// its resource rule does, or its example.
fn carry_out(
    shared: &Shared,
    op: &SandboxOperation,
    headers: &[(String, String)],
    prepared: Prepared,
) -> Answer {
    let key = shared
        .api
        .idempotency_header
        .filter(|_| op.keyed)
        .and_then(|name| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        });
    let mut state = shared.state();
    if let Some(key) = &key {
        if let Some((status, body)) = state.replays.get(&(op.id, key.clone())) {
            return json(*status, body.clone());
        }
    }
    let (status, body) = match op.resource {
        None => (
            200,
            success_value(shared.api.framing, op.example, &prepared.request),
        ),
        Some(rule) => apply_rule(shared, &mut state, op, rule, &prepared),
    };
    if let Some(key) = key {
        state.replays.insert((op.id, key), (status, body.clone()));
    }
    json(status, body)
}

/// What an operation's resource rules do; the status and body of the answer. The first rule
/// whose `when` holds and whose resource is in a state of its `from` is carried out; when none
/// is, the last refusal met is the answer.
fn apply_rule(
    shared: &Shared,
    state: &mut State,
    op: &SandboxOperation,
    rule: &'static ResourceRule,
    prepared: &Prepared,
) -> (u16, String) {
    let mut refusal = None;
    let mut next = Some(rule);
    while let Some(rule) = next {
        next = rule.otherwise;
        if !when_holds(rule, &prepared.request) {
            continue;
        }
        match attempt_rule(shared, state, op, rule, prepared) {
            Attempt::Done(answer) => return answer,
            Attempt::Refused(answer) => refusal = Some(answer),
        }
    }
    refusal.unwrap_or_else(|| {
        let why = format!("{}: no rule of the operation applies to the request", op.id);
        error_parts(shared, rule.refused, &why)
    })
}

/// Whether the request's value at each `when` path is absent or one of the values listed.
fn when_holds(rule: &ResourceRule, request: &Value) -> bool {
    rule.when
        .iter()
        .all(|(path, values)| match get_dotted(request, path) {
            None | Some(Value::Null) => true,
            Some(Value::String(given)) => values.contains(&given.as_str()),
            Some(other) => values.contains(&other.to_string().as_str()),
        })
}

/// What one rule did: its answer, or a refusal by state that lets `otherwise` be tried.
enum Attempt {
    Done((u16, String)),
    Refused((u16, String)),
}

/// What one resource rule does.
fn attempt_rule(
    shared: &Shared,
    state: &mut State,
    op: &SandboxOperation,
    rule: &ResourceRule,
    prepared: &Prepared,
) -> Attempt {
    let framing = shared.api.framing;
    Attempt::Done(match rule.action {
        ResourceAction::Create => {
            let answer = example_with(op.example, &prepared.request);
            (
                200,
                framed(
                    framing,
                    new_record(shared, state, rule, rule.id, None, answer),
                ),
            )
        }
        ResourceAction::Read | ResourceAction::Change | ResourceAction::Derive => {
            let Source {
                key,
                mut resource,
                consumed,
            } = match checked_source(shared, state, op, rule, prepared) {
                Ok(found) => found,
                Err(attempt) => return attempt,
            };
            match rule.action {
                ResourceAction::Read => (200, framed(framing, resource)),
                ResourceAction::Derive => {
                    // The operation's example answer when it has one (a refund record);
                    // else a copy of the resource it comes from (a duplicate, a refund
                    // transaction), carrying the amount consumed.
                    let answer = match op.example {
                        Some(_) => example_with(op.example, &prepared.request),
                        None => {
                            let mut copy = resource;
                            if let (Some((_, of)), Some(amount)) = (rule.amount, consumed) {
                                // Whole amounts stay integers (minor units).
                                let amount = if amount.fract() == 0.0 && amount.abs() < 9.0e15 {
                                    Value::from(amount as i64)
                                } else {
                                    Value::from(amount)
                                };
                                set_dotted(&mut copy, of, amount);
                            }
                            overlay(&mut copy, &prepared.request);
                            copy
                        }
                    };
                    let record = new_record(shared, state, rule, rule.new_id, Some(&key.1), answer);
                    (200, framed(framing, record))
                }
                _ => {
                    for (path, value) in rule.to {
                        set_dotted(&mut resource, path, Value::String((*value).to_owned()));
                    }
                    state.records.insert(key, resource.clone());
                    let answer = if rule.answer_example {
                        success_value(framing, op.example, &prepared.request)
                    } else {
                        framed(framing, resource)
                    };
                    (200, answer)
                }
            }
        }
    })
}

/// Records the new resource found at the rule's `at` in `answer`, with a new id at `id_at`,
/// the id of the resource it comes from (`source`, for a derive) at the rule's `link`, and the
/// rule's `to` values written in; returns the whole answer.
fn new_record(
    shared: &Shared,
    state: &mut State,
    rule: &ResourceRule,
    id_at: &str,
    source: Option<&str>,
    mut answer: Value,
) -> Value {
    let mut resource = take_dotted(&mut answer, rule.at);
    state.ids += 1;
    let id = format!("{:016x}{:016x}", shared.nonce, state.ids);
    set_dotted(&mut resource, id_at, Value::String(id.clone()));
    if let Some(source) = source.filter(|_| !rule.link.is_empty()) {
        set_dotted(&mut resource, rule.link, Value::String(source.to_owned()));
    }
    for (path, value) in rule.to {
        set_dotted(&mut resource, path, Value::String((*value).to_owned()));
    }
    let kind = if rule.action == ResourceAction::Derive && !rule.new_kind.is_empty() {
        rule.new_kind
    } else {
        rule.kind
    };
    state
        .records
        .insert((kind.to_owned(), id), resource.clone());
    if rule.at.is_empty() {
        resource
    } else {
        set_dotted(&mut answer, rule.at, resource);
        answer
    }
}

/// The record an operation names, checked.
struct Source {
    /// Its kind and id.
    key: (String, String),
    /// The record as it stands.
    resource: Value,
    /// The amount the operation consumed from it, if its rule has one.
    consumed: Option<f64>,
}

/// The record the request names, once its state allows the operation and the amount asked
/// (consumed here) is left; otherwise the documented answer (`missing`, `refused`, `over`),
/// a refusal by state being one that lets the rule's `otherwise` be tried.
fn checked_source(
    shared: &Shared,
    state: &mut State,
    op: &SandboxOperation,
    rule: &ResourceRule,
    prepared: &Prepared,
) -> Result<Source, Attempt> {
    let refuse = |error: SandboxError, why: &str| Attempt::Done(error_parts(shared, error, why));
    let Some(id) = named_id(rule, prepared) else {
        return Err(refuse(
            rule.missing,
            &format!("{}: no `{}` given", op.id, rule.id),
        ));
    };
    let key = (rule.kind.to_owned(), id.clone());
    let Some(resource) = state.records.get(&key).cloned() else {
        return Err(refuse(
            rule.missing,
            &format!("{}: no {} has the id `{id}`", op.id, rule.kind),
        ));
    };
    if rule.action == ResourceAction::Read {
        return Ok(Source {
            key,
            resource,
            consumed: None,
        });
    }
    if let Some(path) = rule.state.filter(|_| !rule.from.is_empty()) {
        let current = get_dotted(&resource, path).and_then(Value::as_str);
        if !current.is_some_and(|c| rule.from.contains(&c)) {
            let why = format!(
                "{}: the {} `{id}` is {} (`{path}`), not one of {}",
                op.id,
                rule.kind,
                current.unwrap_or("in no state"),
                rule.from.join(", ")
            );
            return Err(Attempt::Refused(error_parts(shared, rule.refused, &why)));
        }
    }
    if let Some((asked_at, of)) = rule.amount {
        // A number, or a decimal text (`"10.00"`), in the resource and the request alike.
        let number = |v: &Value| v.as_f64().or_else(|| v.as_str()?.trim().parse().ok());
        let total = get_dotted(&resource, of).and_then(number).unwrap_or(0.0);
        let ledger = (key.0.clone(), key.1.clone(), op.id);
        let consumed = state.consumed.get(&ledger).copied().unwrap_or(0.0);
        let left = total - consumed;
        let asked = get_dotted(&prepared.request, asked_at).and_then(number);
        let want = asked.unwrap_or(left);
        // Decimal amounts add up in binary floating point: what is left within a
        // billionth of the total counts as enough (10.00 less 9.99 leaves 0.01).
        let slack = 1e-9 * total.abs().max(1.0);
        if want <= slack || want > left + slack {
            let why = format!(
                "{}: {want} asked of the {} `{id}`, {left} of {total} left",
                op.id, rule.kind
            );
            return Err(refuse(rule.over, &why));
        }
        state.consumed.insert(ledger, consumed + want);
        return Ok(Source {
            key,
            resource,
            consumed: Some(want),
        });
    }
    Ok(Source {
        key,
        resource,
        consumed: None,
    })
}

/// Whether the request carries the sandbox's credentials in one of the API's schemes.
fn authorised<'a>(
    auth: &[AuthScheme],
    credentials: &Credentials,
    tokens: &[String],
    header: impl Fn(&str) -> Option<&'a str>,
    query: &[(String, String)],
) -> bool {
    let secret = credentials.secret().expose();
    auth.iter().any(|scheme| match scheme {
        AuthScheme::Basic => {
            let user = credentials.user().unwrap_or("");
            let expected = format!("Basic {}", basic_token(user, secret));
            header("authorization") == Some(expected.as_str())
        }
        AuthScheme::Bearer => header("authorization") == Some(format!("Bearer {secret}").as_str()),
        AuthScheme::OAuth2ClientCredentials { .. } => header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .is_some_and(|token| tokens.iter().any(|t| t == token)),
        AuthScheme::ApiKey {
            location: KeyLocation::Header,
            name,
            prefix,
        } => header(name) == Some(format!("{prefix}{secret}").as_str()),
        AuthScheme::ApiKey {
            location: KeyLocation::Query,
            name,
            ..
        } => query.iter().any(|(k, v)| k == name && v == secret),
    })
}

/// A form body as an object: `a[b]=c` nests, every value is text.
fn form_object(body: &[u8]) -> Map<String, Value> {
    let mut root = Value::Object(Map::new());
    for (key, value) in url::form_urlencoded::parse(body) {
        let mut segments = key.split('[').map(|s| s.trim_end_matches(']'));
        let Some(first) = segments.next() else {
            continue;
        };
        let path: Vec<&str> = std::iter::once(first).chain(segments).collect();
        set_path(&mut root, &path, Value::String(value.into_owned()));
    }
    match root {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Routes a method and path to an operation, capturing the path parameters.
/// Every operation with this method whose path template matches, in the spec's order.
fn routes<'a>(
    operations: &'a [SandboxOperation],
    method: &str,
    path: &str,
) -> Vec<(&'a SandboxOperation, Vec<(&'static str, String)>)> {
    operations
        .iter()
        .filter(|op| op.method.eq_ignore_ascii_case(method))
        .filter_map(|op| match_template(op.path, path).map(|c| (op, c)))
        .collect()
}

fn match_template(template: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
    let want: Vec<&'static str> = template.trim_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_matches('/').split('/').collect();
    if want.len() != got.len() {
        return None;
    }
    let mut captured = Vec::new();
    for (w, g) in want.iter().zip(&got) {
        match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
            Some(name) => {
                let value = percent_decode(g)?;
                if value.is_empty() {
                    return None;
                }
                captured.push((name, value));
            }
            None if w == g => {}
            None => return None,
        }
    }
    Some(captured)
}

fn percent_decode(segment: &str) -> Option<String> {
    let decoded: Vec<u8> = url::form_urlencoded::parse(segment.replace('+', "%2B").as_bytes())
        .next()
        .map(|(k, _)| k.into_owned().into_bytes())
        .unwrap_or_default();
    String::from_utf8(decoded).ok()
}

/// The success answer: the example (or `{}`) with the request's values where names match,
/// framed as the API frames answers.
fn success_value(framing: &Framing, example: Option<&str>, request: &Value) -> String {
    framed(framing, example_with(example, request))
}

/// The example answer (or `{}`) with the request's values where names match.
fn example_with(example: Option<&str>, request: &Value) -> Value {
    let mut answer = example
        .and_then(|e| serde_json::from_str::<Value>(e).ok())
        .unwrap_or_else(|| Value::Object(Map::new()));
    overlay(&mut answer, request);
    answer
}

/// An answer framed as the API frames answers (in its envelope, at its answer path).
fn framed(framing: &Framing, answer: Value) -> String {
    let mut body = Value::Object(Map::new());
    if let Some(envelope) = &framing.envelope {
        set_dotted(
            &mut body,
            envelope.field,
            Value::String(envelope.success.to_owned()),
        );
    }
    if framing.answer == "." {
        if let (Value::Object(b), Value::Object(a)) = (&mut body, &answer) {
            b.extend(a.clone());
        } else {
            body = answer;
        }
    } else {
        set_dotted(&mut body, framing.answer, answer);
    }
    body.to_string()
}

/// Replaces the example's values by the request's where a key matches and both values are
/// of the same JSON kind (objects recursively).
fn overlay(answer: &mut Value, request: &Value) {
    let (Value::Object(answer), Value::Object(request)) = (answer, request) else {
        return;
    };
    for (key, value) in answer.iter_mut() {
        let Some(given) = request.get(key) else {
            continue;
        };
        match (&mut *value, given) {
            (Value::Object(_), Value::Object(_)) => overlay(value, given),
            (Value::String(_), Value::String(_))
            | (Value::Number(_), Value::Number(_))
            | (Value::Bool(_), Value::Bool(_)) => *value = given.clone(),
            _ => {}
        }
    }
}

fn error_answer(shared: &Shared, error: SandboxError, message: &str) -> Answer {
    let (status, body) = error_parts(shared, error, message);
    json(status, body)
}

/// The status and body of a documented error answer.
fn error_parts(shared: &Shared, error: SandboxError, message: &str) -> (u16, String) {
    if let Some(body) = error.body {
        return (error.status, body.to_owned());
    }
    (
        error.status,
        error_text(
            shared.api.framing,
            error.code,
            &format!("sandbox: {message}"),
        ),
    )
}

/// An error in the API's error shape.
fn error_body(framing: &Framing, status: u16, code: Option<&str>, message: &str) -> Answer {
    json(status, error_text(framing, code, message))
}

/// The body of an error in the API's error shape.
fn error_text(framing: &Framing, code: Option<&str>, message: &str) -> String {
    let shape = &framing.errors;
    let mut object = Value::Object(Map::new());
    let code_path = shape.code.iter().find(|p| !p.starts_with("$."));
    if let (Some(path), Some(code)) = (code_path, code) {
        set_dotted(&mut object, path, Value::String(code.to_owned()));
    }
    if let Some(path) = shape.message.iter().find(|p| !p.starts_with("$.")) {
        set_dotted(&mut object, path, Value::String(message.to_owned()));
    }
    let mut body = Value::Object(Map::new());
    if let Some(envelope) = &framing.envelope {
        set_dotted(
            &mut body,
            envelope.field,
            Value::String(envelope.error.to_owned()),
        );
    }
    if shape.at == "." {
        if let (Value::Object(b), Value::Object(o)) = (&mut body, object) {
            b.extend(o);
        }
    } else {
        set_dotted(&mut body, shape.at, object);
    }
    body.to_string()
}

/// The value at a dotted path (a segment of digits indexes a list).
fn get_dotted<'v>(root: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.')
        .try_fold(root, |value, segment| match value {
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
            _ => value.get(segment),
        })
}

/// Takes the value at a dotted path out of `root` (`""`: all of it), leaving `null`; an
/// object when there is none.
fn take_dotted(root: &mut Value, path: &str) -> Value {
    let mut at = root;
    if !path.is_empty() {
        for segment in path.split('.') {
            let next = match at {
                Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
                Value::Object(map) => map.get_mut(segment),
                _ => None,
            };
            match next {
                Some(next) => at = next,
                None => return Value::Object(Map::new()),
            }
        }
    }
    match at.take() {
        Value::Null => Value::Object(Map::new()),
        taken => taken,
    }
}

fn set_dotted(root: &mut Value, path: &str, value: Value) {
    let segments: Vec<&str> = path.split('.').collect();
    set_path(root, &segments, value);
}

fn set_path(root: &mut Value, path: &[&str], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        *root = value;
        return;
    };
    // A segment of digits is an item of a list (`error_codes.0`), as `frame` reads paths.
    if let Ok(index) = first.parse::<usize>() {
        if !root.is_array() {
            *root = Value::Array(Vec::new());
        }
        if let Value::Array(items) = root {
            if index > 64 {
                return;
            }
            while items.len() <= index {
                items.push(Value::Null);
            }
            set_path(&mut items[index], rest, value);
        }
        return;
    }
    if !root.is_object() {
        *root = Value::Object(Map::new());
    }
    if let Value::Object(map) = root {
        let child = map.entry((*first).to_owned()).or_insert(Value::Null);
        set_path(child, rest, value);
    }
}

fn json(status: u16, body: String) -> Answer {
    let mut answer = hyper::Response::new(Full::new(Bytes::from(body)));
    *answer.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
    answer.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    answer
}

fn plain(status: u16, body: &'static str) -> Answer {
    let mut answer = hyper::Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *answer.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_capture_parameters_and_refuse_other_paths() {
        let c = match_template("/payments/{id}/refunds", "/payments/pay_1/refunds").unwrap();
        assert_eq!(c, vec![("id", "pay_1".to_owned())]);
        assert!(match_template("/payments/{id}/refunds", "/payments/pay_1").is_none());
        assert!(match_template("/payments/{id}", "/payments/").is_none());
        assert!(match_template("/payments/{id}", "/orders/x").is_none());
    }

    #[test]
    fn a_when_holds_for_an_absent_or_listed_value_of_any_kind() {
        const NONE: SandboxError = SandboxError {
            status: 400,
            code: None,
            body: None,
        };
        const RULE: ResourceRule = ResourceRule {
            kind: "order",
            action: ResourceAction::Change,
            id: "id",
            new_id: "",
            new_kind: "",
            link: "",
            at: "",
            state: None,
            from: &[],
            to: &[],
            amount: None,
            answer_example: false,
            refused: NONE,
            over: NONE,
            missing: NONE,
            when: &[("mode", &["CANCEL"]), ("options.count", &["2"])],
            otherwise: None,
        };
        let holds = |request: Value| when_holds(&RULE, &request);
        assert!(holds(serde_json::json!({})), "absent");
        assert!(holds(serde_json::json!({"mode": null})), "null is absent");
        assert!(holds(
            serde_json::json!({"mode": "CANCEL", "options": {"count": 2}})
        ));
        assert!(
            !holds(serde_json::json!({"mode": "REFUND"})),
            "another value"
        );
        assert!(
            !holds(serde_json::json!({"options": {"count": 3}})),
            "another number"
        );
        assert!(
            !holds(serde_json::json!({"mode": "cancel"})),
            "values are exact"
        );
    }

    #[test]
    fn form_bodies_nest_by_brackets() {
        let o = form_object(b"a=1&b[c]=x&b[d]=y");
        assert_eq!(
            Value::Object(o),
            serde_json::json!({"a": "1", "b": {"c": "x", "d": "y"}})
        );
    }

    const OAUTH_ONLY: &[AuthScheme] = &[AuthScheme::OAuth2ClientCredentials {
        token_url: "https://auth.example.com/oauth/token",
        scopes: &["payments"],
        client_auth: ClientAuth::Body,
    }];

    const THINGS: &[SandboxOperation] = &[SandboxOperation {
        id: "things/get",
        method: "GET",
        path: "/v1/things",
        encoding: Encoding::Json,
        keyed: false,
        params: &[],
        example: Some(r#"{"id": "thing_1"}"#),
        decode: |value| decode::<Value, String>(value, |_| Ok(())),
        resource: None,
    }];

    fn oauth_api(auth: &'static [AuthScheme]) -> SandboxApi {
        SandboxApi {
            framing: &Framing::REST,
            auth,
            idempotency_header: None,
            invalid: SandboxError {
                status: 422,
                code: Some("invalid"),
                body: None,
            },
            unauthorised: SandboxError {
                status: 401,
                code: Some("unauthorised"),
                body: None,
            },
            operations: THINGS,
        }
    }

    async fn get_things(core: &crate::Core) -> Result<Value, crate::Error> {
        let call = crate::Call::new(
            "things/get",
            reqwest::Method::GET,
            "/v1/things",
            crate::RetrySafety::Safe,
        );
        core.execute::<(), Value, String>(call, None).await
    }

    fn core(sandbox: &Sandbox, auth: &[AuthScheme]) -> crate::Core {
        let profile = crate::ApiProfile {
            protocol: crate::Protocol::Rest,
            sensitive_fields: &[],
            retry_codes: &[],
            headers: &[],
            idempotency: None,
        };
        crate::Core::for_api_with_auth(sandbox.config(), profile, auth).expect("sandbox config")
    }

    /// An API that offers only OAuth2 client credentials: the sandbox serves the token
    /// endpoint, the client configured by `config()` obtains a token there once and calls with
    /// it; a token the sandbox never issued, or a wrong client secret, is refused.
    #[tokio::test]
    async fn an_oauth2_only_api_gets_a_token_from_the_sandbox() {
        for client_auth in [ClientAuth::Body, ClientAuth::Basic] {
            let auth: &'static [AuthScheme] = match client_auth {
                ClientAuth::Body => OAUTH_ONLY,
                ClientAuth::Basic => &[AuthScheme::OAuth2ClientCredentials {
                    token_url: "https://auth.example.com/oauth/token",
                    scopes: &[],
                    client_auth: ClientAuth::Basic,
                }],
            };
            let sandbox = Sandbox::start(oauth_api(auth)).await;
            assert_eq!(
                sandbox.credentials().kind(),
                crate::SchemeKind::OAuth2ClientCredentials
            );
            let core = core(&sandbox, auth);
            assert_eq!(sandbox.tokens_issued(), 0);
            for _ in 0..2 {
                let answer = get_things(&core).await.expect("the call succeeds");
                assert_eq!(answer["id"], "thing_1");
            }
            assert_eq!(
                sandbox.tokens_issued(),
                1,
                "{client_auth:?}: one token, reused"
            );
            assert_eq!(sandbox.requests().len(), 2, "token requests are not logged");
        }
        let sandbox = Sandbox::start(oauth_api(OAUTH_ONLY)).await;
        let http = reqwest::Client::new();
        let forged = http
            .get(format!("{}/v1/things", sandbox.base_url()))
            .bearer_auth("sandbox-access-token-1")
            .send()
            .await
            .expect("answer");
        assert_eq!(forged.status(), 401, "a token never issued");
        let token_url = format!("{}{TOKEN_PATH}", sandbox.base_url());
        let wrong_secret = http
            .post(&token_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials&client_id=sandbox-client&client_secret=nope")
            .send()
            .await
            .expect("answer");
        assert_eq!(wrong_secret.status(), 401);
        let body: Value = wrong_secret.json().await.expect("JSON");
        assert_eq!(body["error"], "invalid_client");
        let wrong_grant = http
            .post(&token_url)
            .body(
                "grant_type=password&client_id=sandbox-client&client_secret=sandbox-client-secret",
            )
            .send()
            .await
            .expect("answer");
        assert_eq!(wrong_grant.status(), 400);
        assert_eq!(sandbox.tokens_issued(), 0);
    }

    /// Beside another scheme, OAuth2 is not what the sandbox uses, and its token path is no
    /// endpoint: the sandbox answers it as a path of no operation.
    #[tokio::test]
    async fn with_another_scheme_the_token_path_is_not_served() {
        const BOTH: &[AuthScheme] = &[
            AuthScheme::OAuth2ClientCredentials {
                token_url: "https://auth.example.com/oauth/token",
                scopes: &[],
                client_auth: ClientAuth::Body,
            },
            AuthScheme::Bearer,
        ];
        let sandbox = Sandbox::start(oauth_api(BOTH)).await;
        assert_eq!(sandbox.credentials().kind(), crate::SchemeKind::Bearer);
        let answer = get_things(&core(&sandbox, BOTH))
            .await
            .expect("the call succeeds");
        assert_eq!(answer["id"], "thing_1");
        let token = reqwest::Client::new()
            .post(format!("{}{TOKEN_PATH}", sandbox.base_url()))
            .body("grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-client-secret")
            .send()
            .await
            .expect("answer");
        assert_eq!(token.status(), 404);
        assert_eq!(sandbox.tokens_issued(), 0);
    }
}
