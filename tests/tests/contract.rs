//! The OpenAPI export as a contract: every operation of every API is driven through its
//! generated client against an independent validating mock server (Prism) started from
//! `generated/openapi/<api>.yaml`, on loopback, in both of its modes — answers from the
//! document's examples, and answers generated from its schemas.
//!
//! Each operation is called twice, with every parameter the SDK lets you set and with only the
//! required ones (values from the spec's example request where it has one, made up from the
//! type and constraints otherwise), then once asking the mock for an error answer. A recording
//! proxy between client and mock reads Prism's verdict (`sl-violations`) on each exchange.
//! What must hold, per API: no request violation; every success answer decodes; every error
//! answer becomes `Error::Api` with the status sent (never a decode error or an unknown
//! outcome); the client refuses none of the made-up requests.
//!
//! Needs Prism: compiled only with the `contract` feature, run by `cargo xtask contract`, which
//! installs the pinned Prism with npm and passes its path in `PAYSPEC_PRISM`.
#![cfg(feature = "contract")]

mod common;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use payspec::runtime::replay::CallError;
use payspec::runtime::{Error, RetryPolicy};
use payspec::{ClientConfig, Credentials};
use payspec_codegen::ir::{ApiIr, FieldIr, OperationIr, StructIr, TypeIr};
use payspec_codegen::spec::Location;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------------------------
// Prism, started from an export, stopped when dropped.

struct Prism {
    child: Child,
    addr: SocketAddr,
    /// The document Prism serves, written for this run: removed with the mock.
    document: PathBuf,
}

impl Prism {
    fn start(api: &str, dynamic: bool) -> Prism {
        let prism = std::env::var("PAYSPEC_PRISM").unwrap_or_else(|_| {
            panic!("PAYSPEC_PRISM is not set: run this test with `cargo xtask contract`")
        });
        // A free port: bound, read, released; Prism binds it right after.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        // The export as written, plus settings of Prism's schema faker: each optional property
        // made with probability 0.3, lists of at most 2 items. A recursive schema (Mollie's
        // payment embeds refunds that embed the payment) then ends; with every optional
        // property made (Prism's default) the faker recurses until Node's stack overflows and
        // the mock dies. Fewer properties per answer: each success case is called 5 times.
        let export = common::root().join(format!("generated/openapi/{api}.yaml"));
        let mut text = std::fs::read_to_string(&export)
            .unwrap_or_else(|e| panic!("{}: {e}", export.display()));
        text.push_str(
            "x-json-schema-faker:\n  alwaysFakeOptionals: false\n  optionalsProbability: 0.3\n  maxItems: 2\n",
        );
        let document = std::env::temp_dir().join(format!(
            "payspec-contract-{api}-{}-{port}.yaml",
            std::process::id()
        ));
        std::fs::write(&document, text).expect("write the mock's document");
        let mut command = Command::new(&prism);
        command
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--dynamic", if dynamic { "true" } else { "false" }])
            .arg(&document)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = command.spawn().unwrap_or_else(|e| {
            let _ = std::fs::remove_file(&document);
            panic!("{prism}: cannot start: {e}")
        });
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let prism = Prism {
            child,
            addr,
            document,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(
                Instant::now() < deadline,
                "Prism did not listen on {addr} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        prism
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.document);
    }
}

// ---------------------------------------------------------------------------------------------
// The recording proxy: forwards each request to Prism as sent, and keeps Prism's verdict.

#[derive(Debug, Clone)]
struct Exchange {
    method: String,
    path: String,
    request_body: String,
    status: u16,
    /// Prism's `sl-violations` header: what the request (or its own answer) breaks.
    violations: Vec<Value>,
    body: String,
}

type Log = Arc<Mutex<Vec<Exchange>>>;

async fn proxy(upstream: SocketAddr) -> (SocketAddr, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let addr = listener.local_addr().expect("proxy address");
    let log: Log = Arc::default();
    let http = payspec::runtime::http_client_builder()
        .no_proxy()
        .build()
        .expect("a plain HTTP client");
    let kept = log.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (log, http) = (kept.clone(), http.clone());
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    forward(request, upstream, http.clone(), log.clone())
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (addr, log)
}

async fn forward(
    request: hyper::Request<hyper::body::Incoming>,
    upstream: SocketAddr,
    http: reqwest::Client,
    log: Log,
) -> Result<hyper::Response<Full<Bytes>>, std::convert::Infallible> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let target = format!(
        "http://{upstream}{}",
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let method = reqwest::Method::from_bytes(parts.method.as_str().as_bytes()).expect("method");
    let mut sent = http.request(method, &target).body(body.to_vec());
    for (name, value) in &parts.headers {
        if name != "host" && name != "prefer" {
            sent = sent.header(name.as_str(), value.as_bytes());
        }
    }
    // Prism's schema faker draws from `Math.random` unless the request names a seed, and its
    // state carries from one answer to the next: an unseeded run is a different run each time
    // (one in several overflowed Node's stack on Mollie's recursive payment). Each exchange is
    // seeded with its number in the run (the calls are sequential), so every run of one commit
    // sees the same answers, and the rounds of one case still see different ones.
    let seed = log.lock().expect("log").len();
    let prefer = match parts.headers.get("prefer").and_then(|v| v.to_str().ok()) {
        Some(asked) => format!("{asked}, seed={seed}"),
        None => format!("seed={seed}"),
    };
    sent = sent.header("prefer", prefer);
    let (status, headers, answer) = match sent.send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            let headers = r.headers().clone();
            let bytes = r.bytes().await.unwrap_or_default();
            (status, headers, bytes)
        }
        Err(e) => (
            599,
            reqwest::header::HeaderMap::new(),
            Bytes::from(format!("proxy: {e}")),
        ),
    };
    let violations = headers
        .get("sl-violations")
        .and_then(|v| serde_json::from_slice::<Vec<Value>>(v.as_bytes()).ok())
        .unwrap_or_default();
    log.lock().expect("log").push(Exchange {
        method: parts.method.to_string(),
        path: parts.uri.to_string(),
        request_body: String::from_utf8_lossy(&body).into_owned(),
        status,
        violations,
        body: String::from_utf8_lossy(&answer).into_owned(),
    });
    let mut response = hyper::Response::builder().status(status);
    if let Some(ct) = headers.get("content-type") {
        response = response.header("content-type", ct.as_bytes());
    }
    Ok(response
        .body(Full::new(answer))
        .expect("a response built from parts"))
}

// ---------------------------------------------------------------------------------------------
// Requests made from the IR: every settable parameter, or the required ones only.

struct Synth<'a> {
    api: &'a ApiIr,
    all: bool,
}

impl Synth<'_> {
    fn request(&self, op: &OperationIr) -> Value {
        let example = op.examples.first().map(|e| &e.request);
        let top = self.structure(&op.request).expect("request struct");
        let mut object = Map::new();
        for field in &top.fields {
            // The serde form of a request: body fields under their wire names, the others
            // (path, query, header parameters) under their Rust field names.
            let key = match field.location {
                Location::Body => &field.wire_name,
                _ => &field.rust_name,
            };
            let from_example = example.and_then(|e| e.get(&field.wire_name));
            if let Some(v) = self.field(field, from_example) {
                object.insert(key.clone(), v);
            }
        }
        Value::Object(object)
    }

    fn structure(&self, name: &str) -> Option<&StructIr> {
        let name = self
            .api
            .aliases
            .iter()
            .find(|a| a.name == name)
            .map_or(name, |a| a.target.as_str());
        self.api
            .request_structs
            .iter()
            .chain(&self.api.types)
            .find(|s| s.rust_name == name)
    }

    /// The value of a field, or `None` to leave it out.
    fn field(&self, field: &FieldIr, example: Option<&Value>) -> Option<Value> {
        if !field.required && !self.all {
            return None;
        }
        if let Some(v) = example.filter(|v| !v.is_null() && self.fits(field, v)) {
            // An object of the example is completed (or trimmed to what is required).
            return Some(match (&field.ty, v) {
                (TypeIr::Struct(name), Value::Object(_)) => self.object(name, Some(v)),
                _ => v.clone(),
            });
        }
        Some(self.value(&field.ty, field, example))
    }

    /// Whether an example value can be used as it is (a scalar within the constraints).
    fn fits(&self, field: &FieldIr, v: &Value) -> bool {
        let c = &field.constraints;
        match v {
            Value::String(s) => {
                let n = s.chars().count() as u32;
                c.min_length.is_none_or(|m| n >= m)
                    && c.max_length.is_none_or(|m| n <= m)
                    && c.pattern
                        .as_ref()
                        .is_none_or(|p| regex_lite::Regex::new(p).is_ok_and(|r| r.is_match(s)))
            }
            Value::Number(n) => n
                .as_i64()
                .is_none_or(|i| c.min.is_none_or(|m| i >= m) && c.max.is_none_or(|m| i <= m)),
            _ => true,
        }
    }

    fn value(&self, ty: &TypeIr, field: &FieldIr, example: Option<&Value>) -> Value {
        let c = &field.constraints;
        match ty {
            TypeIr::String => {
                if let Some(p) = &c.pattern {
                    return Value::String(from_pattern(p));
                }
                let len = c
                    .min_length
                    .unwrap_or(0)
                    .max(4)
                    .min(c.max_length.unwrap_or(u32::MAX));
                Value::String(
                    "abcdefghijklmnopqrstuvwxyz"
                        .chars()
                        .cycle()
                        .take(len as usize)
                        .collect(),
                )
            }
            TypeIr::Integer | TypeIr::Amount => {
                let v = c.min.unwrap_or(0).max(100.min(c.max.unwrap_or(i64::MAX)));
                json!(v)
            }
            TypeIr::Number => json!(1.5),
            TypeIr::Boolean => json!(true),
            TypeIr::Decimal => json!("10.00"),
            TypeIr::Date => json!("2026-11-30"),
            TypeIr::DateTime => json!("2026-11-30T10:00:00+01:00"),
            TypeIr::Json => json!({ "note": "contract" }),
            TypeIr::List(inner) => Value::Array(vec![self.value(inner, field, None)]),
            TypeIr::Map(inner) => json!({ "key": self.value(inner, field, None) }),
            TypeIr::Expandable(inner) => self.value(inner, field, example),
            TypeIr::Enum(name) => {
                let e = self
                    .api
                    .enums
                    .iter()
                    .find(|e| &e.rust_name == name)
                    .unwrap_or_else(|| panic!("enum {name}"));
                let wire = e
                    .values
                    .iter()
                    .find_map(|v| v.wire.clone())
                    .expect("a value");
                Value::String(wire)
            }
            TypeIr::Struct(name) => self.object(name, example),
        }
    }

    /// An object of a struct or one-of type, from the example's object where there is one.
    fn object(&self, name: &str, example: Option<&Value>) -> Value {
        if let Some(one_of) = self.api.one_ofs.iter().find(|o| o.rust_name == name) {
            // The example's variant when it names one, the first otherwise.
            let tag = example
                .and_then(|e| e.get(&one_of.discriminator))
                .and_then(Value::as_str);
            let (value, variant) = one_of
                .variants
                .iter()
                .find(|(v, _)| Some(v.as_str()) == tag)
                .unwrap_or(&one_of.variants[0]);
            let mut object = self.object(variant, example);
            object[&one_of.discriminator] = Value::String(value.clone());
            return object;
        }
        let s = self
            .structure(name)
            .unwrap_or_else(|| panic!("struct {name}"));
        let mut object = Map::new();
        for field in &s.fields {
            let from_example = example.and_then(|e| e.get(&field.wire_name));
            if let Some(v) = self.field(field, from_example) {
                object.insert(field.wire_name.clone(), v);
            }
        }
        if let Some(tag) = self.api.tags.get(&s.rust_name) {
            object.insert(tag.field.clone(), Value::String(tag.value.clone()));
        }
        Value::Object(object)
    }
}

/// A string matching the small subset of regular expressions the specs use: anchors,
/// literals, `[…]` classes, `\w`, `\d` and `{n}` repetitions.
fn from_pattern(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern
        .trim_start_matches('^')
        .trim_end_matches('$')
        .chars()
        .peekable();
    while let Some(c) = chars.next() {
        let one = match c {
            '[' => {
                let class: String = chars.by_ref().take_while(|&c| c != ']').collect();
                class.chars().next().expect("a non-empty class")
            }
            '\\' => match chars.next() {
                Some('w') => 'a',
                Some('d') => '0',
                Some(other) => other,
                None => break,
            },
            other => other,
        };
        let times = if chars.peek() == Some(&'{') {
            chars.next();
            let n: String = chars.by_ref().take_while(|&c| c != '}').collect();
            n.split(',')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("{n}")
        } else {
            1
        };
        out.extend(std::iter::repeat_n(one, times));
    }
    let re = regex_lite::Regex::new(pattern).expect("a valid pattern");
    assert!(re.is_match(&out), "`{out}` does not match `{pattern}`");
    out
}

// ---------------------------------------------------------------------------------------------
// Driving an API.

/// What a run found, per API.
#[derive(Debug, Default)]
struct Totals {
    calls: usize,
    request_violations: Vec<String>,
    success_decoded: usize,
    error_typed: usize,
    failures: Vec<String>,
}

/// The generated pieces of one API the driver needs.
trait Api {
    type Operation: Copy + std::fmt::Debug + 'static;
    type Client;
    type Error: std::error::Error + Send + Sync + 'static;
    const ALL: &'static [Self::Operation];
    fn id(op: Self::Operation) -> &'static str;
    fn credentials() -> impl std::future::Future<Output = Credentials>;
    fn client(config: ClientConfig) -> Self::Client;
    fn call(
        op: Self::Operation,
        client: &Self::Client,
        request: Value,
    ) -> impl std::future::Future<Output = Result<Value, CallError<Self::Error>>>;
    fn api_status(e: &Self::Error) -> Option<u16>;
    fn is_api(e: &Self::Error) -> bool;
    fn is_invalid_request(e: &Self::Error) -> bool;
}

macro_rules! api {
    ($name:ident, $module:ident) => {
        struct $name;
        impl Api for $name {
            type Operation = payspec::$module::sandbox::Operation;
            type Client = payspec::$module::Client;
            type Error = payspec::$module::Error;
            const ALL: &'static [Self::Operation] = payspec::$module::sandbox::Operation::ALL;
            fn id(op: Self::Operation) -> &'static str {
                op.id()
            }
            async fn credentials() -> Credentials {
                payspec::$module::sandbox::Sandbox::start()
                    .await
                    .credentials()
                    .into()
            }
            fn client(config: ClientConfig) -> Self::Client {
                payspec::$module::Client::with_config(config).expect("a client")
            }
            async fn call(
                op: Self::Operation,
                client: &Self::Client,
                request: Value,
            ) -> Result<Value, CallError<Self::Error>> {
                op.call(client, request).await
            }
            fn api_status(e: &Self::Error) -> Option<u16> {
                e.api_error().map(|a| a.http_status)
            }
            fn is_api(e: &Self::Error) -> bool {
                matches!(e, Error::Api(_))
            }
            fn is_invalid_request(e: &Self::Error) -> bool {
                matches!(e, Error::InvalidRequest(_))
            }
        }
    };
}

api!(Lyra, lyra);
api!(Paysafe, paysafe);
api!(Checkout, checkout);
api!(Mollie, mollie);

/// The IR of one API.
fn ir(module: &str) -> ApiIr {
    let source = common::source(&format!("spec/{module}.yaml"));
    let (ir, _) = payspec_codegen::build_ir(&[source]).expect("the spec builds");
    ir.apis.into_iter().next().expect("one API")
}

async fn drive<A: Api>(module: &str) {
    let ir = ir(module);
    let credentials = A::credentials().await;
    let mut report = Vec::new();
    for dynamic in [false, true] {
        let prism = Prism::start(module, dynamic);
        let (addr, log) = proxy(prism.addr).await;
        let totals = run::<A>(&ir, addr, &credentials, &log, dynamic).await;
        let mode = if dynamic {
            "schema-generated"
        } else {
            "examples"
        };
        report.push(format!(
            "{module} ({mode}): {} operations, {} calls; request violations {}; successes decoded {}; errors typed {}; failures {}",
            A::ALL.len(),
            totals.calls,
            totals.request_violations.len(),
            totals.success_decoded,
            totals.error_typed,
            totals.failures.len()
        ));
        let mut problems = totals.request_violations.clone();
        problems.extend(totals.failures.iter().cloned());
        let shown: Vec<&str> = problems.iter().take(40).map(|p| p.as_str()).collect();
        assert!(
            problems.is_empty(),
            "{}\n{}{}",
            report.last().expect("a line"),
            shown.join("\n"),
            if problems.len() > shown.len() {
                "\n…"
            } else {
                ""
            }
        );
    }
    println!("{}", report.join("\n"));
}

fn config(addr: SocketAddr, credentials: &Credentials, prefer: Option<&str>) -> ClientConfig {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(p) = prefer {
        headers.insert("prefer", p.parse().expect("a header value"));
    }
    let http = payspec::runtime::http_client_builder()
        .default_headers(headers)
        .build()
        .expect("an HTTP client");
    ClientConfig::new(format!("http://{addr}"), credentials.clone())
        .danger_allow_plain_http()
        .retry_policy(RetryPolicy::none())
        .http_client(http)
}

async fn run<A: Api>(
    ir: &ApiIr,
    addr: SocketAddr,
    credentials: &Credentials,
    log: &Log,
    dynamic: bool,
) -> Totals {
    let plain = A::client(config(addr, credentials, None));
    let failing = A::client(config(addr, credentials, Some("code=400")));
    let mut totals = Totals::default();
    for &op in A::ALL {
        let id = A::id(op);
        let op_ir = ir
            .operations
            .iter()
            .find(|o| o.id == id)
            .unwrap_or_else(|| panic!("{id} in the IR"));
        let cases = [
            (
                "all parameters",
                Synth { api: ir, all: true }.request(op_ir),
                &plain,
                false,
            ),
            (
                "required only",
                Synth {
                    api: ir,
                    all: false,
                }
                .request(op_ir),
                &plain,
                false,
            ),
            (
                "error asked",
                Synth { api: ir, all: true }.request(op_ir),
                &failing,
                true,
            ),
        ];
        // Schema-generated answers differ at each call: the success cases are made 5 times.
        let rounds = if dynamic { 5 } else { 1 };
        let cases = cases
            .iter()
            .flat_map(|case| std::iter::repeat_n(case, if case.3 { 1 } else { rounds }));
        for (case, request, client, error_asked) in cases {
            let (case, client, error_asked) = (*case, *client, *error_asked);
            let before = log.lock().expect("log").len();
            let result = A::call(op, client, request.clone()).await;
            let exchanges: Vec<Exchange> = log.lock().expect("log")[before..].to_vec();
            totals.calls += 1;
            let what = format!("{id} ({case})");
            let Some(exchange) = exchanges.last() else {
                let why = match result {
                    Err(CallError::Call(e)) if A::is_invalid_request(&e) => {
                        format!("the made-up request is refused by the client: {e}: {request}")
                    }
                    other => format!("nothing sent: {:?}", other.err().map(|e| e.to_string())),
                };
                totals.failures.push(format!("{what}: {why}"));
                continue;
            };
            for v in &exchange.violations {
                let at_request = v["location"].get(0).and_then(Value::as_str) == Some("request");
                let line = format!(
                    "{what}: {} {}: {}: {} (body {})",
                    exchange.method,
                    exchange.path,
                    v["location"],
                    v["message"],
                    exchange.request_body
                );
                if at_request {
                    totals.request_violations.push(line);
                } else {
                    totals
                        .failures
                        .push(format!("mock's own answer breaks the document: {line}"));
                }
            }
            match result {
                Ok(_) if exchange.status < 400 => totals.success_decoded += 1,
                Ok(answer) => totals.failures.push(format!(
                    "{what}: HTTP {} accepted as a success: {answer}",
                    exchange.status
                )),
                Err(CallError::Call(e)) if A::is_api(&e) => {
                    let status = A::api_status(&e);
                    if error_asked && status != Some(exchange.status) {
                        totals.failures.push(format!(
                            "{what}: HTTP {} typed with status {status:?}",
                            exchange.status
                        ));
                    } else if !error_asked
                        && exchange.status < 400
                        && !exchange.body.contains("\"ERROR\"")
                    {
                        totals.failures.push(format!(
                            "{what}: a success answer became {e}: {}",
                            exchange.body
                        ));
                    } else {
                        totals.error_typed += 1;
                    }
                }
                Err(CallError::Call(e)) if A::is_invalid_request(&e) => totals.failures.push(
                    format!("{what}: the made-up request is refused by the client: {e}: {request}"),
                ),
                Err(e) => totals.failures.push(format!(
                    "{what}: HTTP {} became {}; the answer: {}",
                    exchange.status,
                    chain(&e),
                    exchange.body
                )),
            }
        }
    }
    totals
}

/// An error and its sources, the decode error under an unknown outcome included.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(&format!(" <- {s}"));
        source = s.source();
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lyra_matches_its_export() {
    drive::<Lyra>("lyra").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paysafe_matches_its_export() {
    drive::<Paysafe>("paysafe").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkout_matches_its_export() {
    drive::<Checkout>("checkout").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mollie_matches_its_export() {
    drive::<Mollie>("mollie").await;
}

#[test]
fn a_made_up_string_matches_each_pattern_of_the_specs() {
    for p in ["^[a-z0-9]{8}$", "^[0-9a-fA-F]{32}$", "^pc_\\w{26}$"] {
        from_pattern(p);
    }
}
