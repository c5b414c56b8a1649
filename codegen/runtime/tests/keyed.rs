//! Calls retried with an idempotency key (`RetrySafety::Keyed`) against a scripted server on
//! loopback: each connection gets the next fault of a script, and the server keeps the raw
//! head of every request it read in full, so the tests can check the key every attempt
//! carried.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use payspec_runtime::{
    ApiProfile, Call, ClientConfig, Core, Credentials, Error, Idempotency, Protocol, RetryPolicy,
    RetrySafety, Rule,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const HEADER: &str = "Idempotency-Key";
const TIMEOUT: Duration = Duration::from_millis(300);

/// What the server does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// Sends nothing for longer than the client's timeout.
    Timeout,
    /// Resets the connection (TCP RST) without answering.
    Reset,
    /// Answers with this status and an API error body.
    Status(u16),
    /// Answers 429 with `Retry-After: 1`.
    TooMany,
    /// A 200 whose `Content-Length` promises more than is sent, then closes.
    Truncated,
    /// Answers 400 with an API error body (a definite refusal).
    BadRequest,
    /// A complete 200 answer.
    Success,
}

/// A server that plays `script` in order, one entry per request, then repeats its last entry.
struct Server {
    uri: String,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Server {
    async fn start(script: Vec<Fault>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let uri = format!("http://{}", listener.local_addr().expect("address"));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let seen = seen.clone();
                let script = script.clone();
                tokio::spawn(async move { handle(stream, &script, &seen).await });
            }
        });
        Server { uri, heads }
    }

    /// The heads of the requests read in full, as received, in order.
    fn heads(&self) -> Vec<String> {
        self.heads.lock().map(|h| h.clone()).unwrap_or_default()
    }

    /// The value of the idempotency header of each request (`None` when it had none).
    fn keys(&self) -> Vec<Option<String>> {
        self.heads()
            .iter()
            .map(|head| {
                let values: Vec<&str> = head
                    .lines()
                    .filter(|l| l.to_ascii_lowercase().starts_with("idempotency-key:"))
                    .filter_map(|l| l.split_once(':'))
                    .map(|(_, value)| value.trim())
                    .collect();
                assert!(values.len() <= 1, "the key header is sent once: {head}");
                values.first().map(|v| (*v).to_owned())
            })
            .collect()
    }
}

async fn handle(mut stream: TcpStream, script: &[Fault], seen: &Mutex<Vec<String>>) {
    let Some(head) = read_request(&mut stream).await else {
        return;
    };
    // The request's index decides its fault.
    let index = {
        let Ok(mut seen) = seen.lock() else { return };
        seen.push(head);
        seen.len() - 1
    };
    let fault = script
        .get(index)
        .or(script.last())
        .copied()
        .unwrap_or(Fault::Success);
    let error = |status: u16| {
        let body = json!({"error": {"code": format!("E{status}"), "message": "no"}}).to_string();
        format!(
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let text = match fault {
        Fault::Timeout => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            return;
        }
        Fault::Reset => {
            let _ = stream.set_zero_linger();
            drop(stream);
            return;
        }
        Fault::Status(status) => error(status),
        Fault::BadRequest => error(400),
        Fault::TooMany => error(429).replacen("\r\n", "\r\nRetry-After: 1\r\n", 1),
        Fault::Truncated => "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                             Content-Length: 100\r\nConnection: close\r\n\r\n{\"id\":"
            .to_owned(),
        Fault::Success => {
            let body = r#"{"id":"pay_1","amount":100}"#;
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            )
        }
    };
    let _ = stream.write_all(text.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Reads one request (head and `Content-Length` body); returns its head as received.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(chunk.get(..n)?);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(buf.get(..end)?).into_owned();
            let length = head
                .to_ascii_lowercase()
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(chunk.get(..n)?);
            }
            return Some(head);
        }
    }
}

fn core(uri: &str, max_length: Option<u32>) -> Core {
    let config = ClientConfig::new(uri, Credentials::basic("user", "pw-keyed-123"))
        .timeout(TIMEOUT)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(10))
                .max_backoff(Duration::from_millis(50)),
        );
    Core::for_api(
        config,
        ApiProfile {
            protocol: Protocol::Rest,
            sensitive_fields: &[],
            retry_codes: &[],
            headers: &[],
            idempotency: Some(Idempotency {
                header: HEADER,
                max_length,
            }),
        },
    )
    .expect("valid config")
}

fn call(retry: RetrySafety, key: Option<&str>) -> Call {
    Call::new("payments/create", reqwest::Method::POST, "/payments", retry)
        .with_idempotency_key(key.map(str::to_owned))
}

async fn run(core: &Core, call: Call) -> Result<Value, Error> {
    core.execute(call, Some(&json!({"amount": 100}))).await
}

/// Whether `key` is a canonical lower-case UUID v4.
fn is_uuid_v4(key: &str) -> bool {
    key.len() == 36
        && key.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
        })
        && key.get(14..15) == Some("4")
        && matches!(key.get(19..20), Some("8" | "9" | "a" | "b"))
}

/// Every attempt carried the key, and the same one; returns it.
fn one_key(server: &Server, fault: &str) -> String {
    let keys = server.keys();
    assert!(!keys.is_empty(), "{fault}: no request seen");
    assert!(
        keys.iter().all(Option::is_some),
        "{fault}: an attempt lacks the key: {keys:?}"
    );
    let first = keys[0].clone().unwrap_or_default();
    assert!(
        keys.iter().all(|k| k.as_deref() == Some(first.as_str())),
        "{fault}: the key changed between attempts: {keys:?}"
    );
    first
}

/// The faults a keyed call is retried after.
const RETRIED: [(&str, Fault); 7] = [
    ("timeout", Fault::Timeout),
    ("connection reset", Fault::Reset),
    ("500", Fault::Status(500)),
    ("502", Fault::Status(502)),
    ("503", Fault::Status(503)),
    ("429 with Retry-After", Fault::TooMany),
    ("truncated body", Fault::Truncated),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_retried_fault_keeps_one_generated_key_then_succeeds() {
    for (name, fault) in RETRIED {
        let server = Server::start(vec![fault, Fault::Success]).await;
        let result = run(&core(&server.uri, Some(64)), call(RetrySafety::Keyed, None)).await;
        let answer = result.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(answer["id"], "pay_1", "{name}");
        assert_eq!(server.heads().len(), 2, "{name}: one fault, one success");
        let key = one_key(&server, name);
        assert!(is_uuid_v4(&key), "{name}: {key}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_key_is_sent_verbatim_on_every_attempt() {
    let key = "Order-42.attempt_A~1";
    for (name, fault) in RETRIED {
        let server = Server::start(vec![fault, fault, Fault::Success]).await;
        let result = run(
            &core(&server.uri, Some(64)),
            call(RetrySafety::Keyed, Some(key)),
        )
        .await;
        assert!(result.is_ok(), "{name}: {result:?}");
        assert_eq!(server.heads().len(), 3, "{name}");
        assert_eq!(
            one_key(&server, name),
            key,
            "{name}: verbatim, case included"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_caller_key_is_refused_before_any_request() {
    let long = "k".repeat(65);
    let table: [(&str, Rule); 5] = [
        ("", Rule::MinLength(1)),
        (long.as_str(), Rule::MaxLength(64)),
        ("has space", Rule::VisibleAscii),
        ("line\nbreak", Rule::VisibleAscii),
        ("clé", Rule::VisibleAscii),
    ];
    for (key, rule) in table {
        let server = Server::start(vec![Fault::Success]).await;
        let error = run(
            &core(&server.uri, Some(64)),
            call(RetrySafety::Keyed, Some(key)),
        )
        .await
        .expect_err("refused");
        match &error {
            Error::InvalidRequest(e) => {
                assert_eq!(e.path, "idempotency_key", "{key:?}");
                assert_eq!(e.rule, rule, "{key:?}");
            }
            other => panic!("{key:?}: {other:?}"),
        }
        assert!(error.to_string().contains("idempotency_key"), "{error}");
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(server.heads().len(), 0, "{key:?}: nothing is sent");
    }
    // Without a limit, a long key is fine.
    let server = Server::start(vec![Fault::Success]).await;
    let result = run(
        &core(&server.uri, None),
        call(RetrySafety::Keyed, Some(&long)),
    )
    .await;
    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn giving_up_reports_the_key_that_was_sent() {
    for (name, fault) in RETRIED {
        let server = Server::start(vec![fault]).await;
        let error = run(&core(&server.uri, Some(64)), call(RetrySafety::Keyed, None))
            .await
            .expect_err("every attempt fails");
        assert_eq!(server.heads().len(), 3, "{name}: three attempts");
        let key = one_key(&server, name);
        if fault == Fault::TooMany {
            // A 429 is a refusal: the server did not take the request, so nothing is unknown.
            assert_eq!(error.http_status(), Some(429), "{name}: {error:?}");
            assert_eq!(error.idempotency_key(), None, "{name}");
            continue;
        }
        assert!(error.is_outcome_unknown(), "{name}: {error:?}");
        assert_eq!(error.idempotency_key(), Some(key.as_str()), "{name}");
        assert!(
            !error.to_string().contains(&key),
            "{name}: the key stays out of Display"
        );
        match &error {
            Error::OutcomeUnknown {
                idempotency_key, ..
            } => assert_eq!(idempotency_key.as_deref(), Some(key.as_str())),
            other => panic!("{name}: {other:?}"),
        }
    }
    // A caller's key comes back as given.
    let server = Server::start(vec![Fault::Status(503)]).await;
    let error = run(
        &core(&server.uri, Some(64)),
        call(RetrySafety::Keyed, Some("KEY-1")),
    )
    .await
    .expect_err("503 every time");
    assert_eq!(error.idempotency_key(), Some("KEY-1"));
    // A timeout, then 429s: the first attempt may have been processed.
    let server = Server::start(vec![Fault::Timeout, Fault::TooMany]).await;
    let error = run(&core(&server.uri, Some(64)), call(RetrySafety::Keyed, None))
        .await
        .expect_err("fails");
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_eq!(
        error.idempotency_key(),
        Some(one_key(&server, "t+429").as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_definite_refusal_is_not_retried_nor_unknown() {
    let server = Server::start(vec![Fault::BadRequest, Fault::Success]).await;
    let error = run(&core(&server.uri, Some(64)), call(RetrySafety::Keyed, None))
        .await
        .expect_err("400");
    assert_eq!(server.heads().len(), 1);
    assert_eq!(error.http_status(), Some(400), "{error:?}");
    assert_eq!(error.idempotency_key(), None);
    one_key(&server, "400");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn never_calls_are_sent_once_without_a_key() {
    for (name, fault) in RETRIED {
        let server = Server::start(vec![fault, Fault::Success]).await;
        // Even with a key set on the call: a `Never` call never carries one.
        let error = run(
            &core(&server.uri, Some(64)),
            call(RetrySafety::Never, Some("KEY-1")),
        )
        .await
        .expect_err("sent once, failed");
        assert_eq!(server.heads().len(), 1, "{name}");
        assert_eq!(server.keys(), vec![None], "{name}");
        assert_eq!(error.idempotency_key(), None, "{name}");
    }
    // Safe calls carry no key either.
    let server = Server::start(vec![Fault::Status(503), Fault::Success]).await;
    let result = run(&core(&server.uri, Some(64)), call(RetrySafety::Safe, None)).await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.keys(), vec![None, None]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_keys_are_distinct_v4_uuids_across_calls() {
    let server = Server::start(vec![Fault::Success]).await;
    let core = core(&server.uri, Some(64));
    for _ in 0..1000 {
        run(&core, call(RetrySafety::Keyed, None))
            .await
            .expect("success");
    }
    let keys: Vec<String> = server.keys().into_iter().flatten().collect();
    assert_eq!(keys.len(), 1000);
    assert!(keys.iter().all(|k| is_uuid_v4(k)), "{keys:?}");
    let distinct: std::collections::HashSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), 1000, "a key repeated");
}

#[tokio::test]
async fn profiles_with_unusable_headers_are_refused() {
    for header in [
        "",
        "Idempotency Key",
        "Authorization",
        "content-type",
        "Host",
    ] {
        let result = Core::for_api(
            ClientConfig::new("http://127.0.0.1:9", Credentials::basic("u", "p")),
            ApiProfile {
                protocol: Protocol::Rest,
                sensitive_fields: &[],
                retry_codes: &[],
                headers: &[],
                idempotency: Some(Idempotency {
                    header,
                    max_length: None,
                }),
            },
        );
        assert!(matches!(result, Err(Error::Config(_))), "{header:?}");
    }
    // A keyed call on a core without an idempotency header fails before any I/O.
    let server = Server::start(vec![Fault::Success]).await;
    let core = Core::new(
        ClientConfig::new(&server.uri, Credentials::basic("u", "p")),
        Protocol::Rest,
    )
    .expect("config");
    let error = run(&core, call(RetrySafety::Keyed, None))
        .await
        .expect_err("no header");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert_eq!(server.heads().len(), 0);
}

/// Every span and event, with its level and fields, as text.
#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<(tracing::Level, String)>>>,
    next_id: Arc<std::sync::atomic::AtomicU64>,
}

#[derive(Default)]
struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

impl Capture {
    fn push(&self, level: tracing::Level, line: String) {
        if let Ok(mut lines) = self.lines.lock() {
            lines.push((level, line));
        }
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        self.push(*span.metadata().level(), fields.0);
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        tracing::span::Id::from_u64(id + 1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.push(*event.metadata().level(), fields.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn the_key_is_logged_at_debug_only() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = Server::start(vec![Fault::Status(503), Fault::Success]).await;
    let result = run(
        &core(&server.uri, Some(64)),
        call(RetrySafety::Keyed, Some("KEY-LOGGED-1")),
    )
    .await;
    assert!(result.is_ok(), "{result:?}");
    let lines = capture.lines.lock().map(|l| l.clone()).unwrap_or_default();
    assert!(
        lines
            .iter()
            .any(|(level, line)| *level == tracing::Level::DEBUG && line.contains("KEY-LOGGED-1")),
        "{lines:?}"
    );
    for (level, line) in &lines {
        if *level <= tracing::Level::INFO {
            assert!(!line.contains("KEY-LOGGED-1"), "{level}: {line}");
        }
    }
}
