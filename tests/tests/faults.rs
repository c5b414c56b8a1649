//! Fault injection against the generated clients, end to end: a real server on loopback
//! (wiremock, or a hand-written TCP server for what wiremock cannot do) injects one fault per
//! row, and each row checks, for an operation that is safe to retry and one sent at most once,
//! how many requests the server saw, which error came back, and how long the call took.
//!
//! The third column, `keyed` (retried with an idempotency key), runs at the runtime level:
//! Lyra and Paysafe declare no idempotency header, so the row drives `payspec::runtime::Core`
//! with the same API protocol and an `Idempotency-Key` profile, against the same server. It
//! also checks that every request of a keyed call carried one and the same key, that the key
//! an unknown outcome reports is that key, and that no safe or never request carried one.
//!
//! Run with `cargo test -p payspec-tests --test faults -- --nocapture` to see the table.

#[path = "common/fault_server.rs"]
mod fault_server;

use std::fmt;
use std::time::{Duration, Instant};

use fault_server::{Behaviour, FaultServer, refused_uri};
use payspec::runtime::{ApiProfile, Call, Core, Error, Idempotency, Protocol, RetrySafety};
use payspec::{ClientConfig, Credentials, RetryPolicy, lyra, paysafe};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The per-attempt timeout of every client here.
const TIMEOUT: Duration = Duration::from_millis(300);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_millis(50);
/// The most attempts of a safe call.
const ATTEMPTS: usize = 3;
/// The largest answer accepted.
const MAX_BYTES: usize = 16 * 1024;
/// How long the slow server waits before sending anything: far beyond every budget.
const SLOW: Duration = Duration::from_secs(5);
/// Time allowed on top of the attempts' timeouts and backoffs (a loaded 2-core machine).
const SLACK: Duration = Duration::from_millis(1500);

const UUID: &str = "0d2a6e1f6b5f4e2a9c3b7d8e9f0a1b2c";
const ORDER: &str = "27HBQSY9R5EGQSRA0A";

fn config(base: &str) -> ClientConfig {
    ClientConfig::new(
        base,
        Credentials::basic("69876357", "testpassword_FAULTS_1"),
    )
    .timeout(TIMEOUT)
    .max_response_bytes(MAX_BYTES)
    .retry_policy(
        RetryPolicy::default()
            .max_attempts(3)
            .initial_backoff(Duration::from_millis(10))
            .max_backoff(MAX_BACKOFF),
    )
}

/// The API a row runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    Lyra,
    Paysafe,
}

/// Whether the operation of a row is safe to retry or sent at most once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retry {
    Safe,
    Never,
    /// Retried with an idempotency key, through the runtime (see the module's docs).
    Keyed,
}

impl Api {
    fn operation(self, retry: Retry) -> &'static str {
        match (self, retry) {
            (Api::Lyra, Retry::Safe) => "Transaction/Get",
            (Api::Lyra, Retry::Never) => "Transaction/Duplicate",
            (Api::Paysafe, Retry::Safe) => "orders/get",
            (Api::Paysafe, Retry::Never) => "orders/refund",
            (_, Retry::Keyed) => "payments/create",
        }
    }
}

/// What a call returned, reduced to what the table compares.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Ok,
    Transport,
    Timeout,
    /// `Error::Api` with its HTTP status and error code.
    Api(u16, String),
    /// `Error::UnexpectedStatus`.
    Status(u16),
    Decode,
    /// `Error::OutcomeUnknown` and what caused it.
    Unknown(Box<Outcome>),
    /// Anything else (a bug in the table or in the client).
    Other(String),
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok => f.write_str("Ok"),
            Outcome::Transport => f.write_str("Transport"),
            Outcome::Timeout => f.write_str("Timeout"),
            Outcome::Api(status, code) => write!(f, "Api({status}, {code})"),
            Outcome::Status(status) => write!(f, "UnexpectedStatus({status})"),
            Outcome::Decode => f.write_str("Decode"),
            Outcome::Unknown(cause) => write!(f, "OutcomeUnknown({cause})"),
            Outcome::Other(text) => write!(f, "other: {text}"),
        }
    }
}

fn api(status: u16, code: &str) -> Outcome {
    Outcome::Api(status, code.to_owned())
}

fn unknown(cause: Outcome) -> Outcome {
    Outcome::Unknown(Box::new(cause))
}

/// Classifies an error by its variant (and, for `OutcomeUnknown`, by the variant of its source).
fn classify<C: fmt::Display + fmt::Debug>(error: &Error<C>) -> Outcome {
    match error {
        Error::Transport { .. } => Outcome::Transport,
        Error::Timeout { .. } => Outcome::Timeout,
        Error::Api(e) => Outcome::Api(e.http_status, e.code.to_string()),
        Error::UnexpectedStatus { status, .. } => Outcome::Status(*status),
        Error::Decode(_) => Outcome::Decode,
        Error::OutcomeUnknown { source, .. } => match source.downcast_ref::<Error>() {
            Some(inner) => unknown(classify(inner)),
            None => unknown(Outcome::Other(format!("{source:?}"))),
        },
        other => Outcome::Other(format!("{other:?}")),
    }
}

/// Checks the error's own predicates against its variant; returns the problems.
fn predicates<C: fmt::Display + fmt::Debug>(error: &Error<C>, operation: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let is_unknown = matches!(error, Error::OutcomeUnknown { .. });
    if error.is_outcome_unknown() != is_unknown {
        problems.push(format!(
            "is_outcome_unknown() = {} for {error}",
            error.is_outcome_unknown()
        ));
    }
    if is_unknown && error.is_retryable() {
        problems.push("an unknown outcome claims to be retryable".to_owned());
    }
    if error.operation() != Some(operation) {
        problems.push(format!("operation() = {:?}", error.operation()));
    }
    problems
}

/// How the server of a row misbehaves.
#[derive(Clone)]
enum Server {
    /// Nothing listens on the port.
    Refused,
    /// The hand-written server.
    Raw(Behaviour),
    /// wiremock, answering every request with this template.
    Mock(ResponseTemplate),
}

/// One fault, run against one API's safe and never operations.
struct Case {
    fault: &'static str,
    api: Api,
    server: Server,
    /// Expected requests seen and outcome for the safe operation.
    safe: (usize, Outcome),
    /// Expected requests seen and outcome for the operation sent at most once.
    never: (usize, Outcome),
    /// Expected requests seen and outcome for a call retried with an idempotency key.
    keyed: (usize, Outcome),
}

/// One line of the report.
struct Row {
    fault: &'static str,
    api: Api,
    retry: Retry,
    operation: &'static str,
    expected_count: usize,
    expected: Outcome,
    seen: usize,
    observed: Outcome,
    elapsed: Duration,
    budget: Duration,
    problems: Vec<String>,
}

fn lyra_envelope(status: &str, answer: Value) -> Value {
    json!({
        "webService": "Transaction/Get",
        "version": "V4",
        "applicationVersion": "6.5.0",
        "status": status,
        "answer": answer,
        "ticket": null,
        "serverDate": "2026-11-22T10:15:31+00:00",
        "applicationProvider": "EPAYNC",
        "metadata": null,
        "_type": "V4/WebService/Response"
    })
}

fn lyra_transaction() -> Value {
    json!({
        "uuid": "5b4c3d2e1f0a4b5c8d7e6f5a4b3c2d1e",
        "amount": 30050,
        "currency": "XPF",
        "status": "PAID",
        "_type": "V4/Transaction"
    })
}

fn lyra_error(code: &str, message: &str) -> Value {
    lyra_envelope(
        "ERROR",
        json!({
            "errorCode": code,
            "errorMessage": message,
            "detailedErrorCode": null,
            "detailedErrorMessage": null,
            "_type": "V4/WebService/WebServiceError"
        }),
    )
}

fn paysafe_error(code: &str, message: &str) -> Value {
    json!({ "error": { "code": code, "message": message } })
}

fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

fn raw_response(status: u16, content_type: &str, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type)
}

/// A JSON body far larger than [`MAX_BYTES`].
fn oversized() -> String {
    json!({ "status": "SUCCESS", "answer": { "pad": "x".repeat(4 * MAX_BYTES) } }).to_string()
}

fn cases() -> Vec<Case> {
    use Outcome::{Decode, Ok, Status, Timeout, Transport};
    let both = [Api::Lyra, Api::Paysafe];
    let mut cases = Vec::new();
    cases.push(Case {
        fault: "none (control)",
        api: Api::Lyra,
        server: Server::Mock(json_response(
            200,
            &lyra_envelope("SUCCESS", lyra_transaction()),
        )),
        safe: (1, Ok),
        never: (1, Ok),
        keyed: (1, Ok),
    });
    cases.push(Case {
        fault: "none (control)",
        api: Api::Paysafe,
        server: Server::Mock(json_response(200, &json!({ "id": ORDER, "amount": 500 }))),
        safe: (1, Ok),
        never: (1, Ok),
        keyed: (1, Ok),
    });
    // Transport faults: the same for both protocols, run against both.
    for api in both {
        cases.push(Case {
            fault: "connection refused",
            api,
            server: Server::Refused,
            safe: (0, Transport),
            never: (0, Transport),
            keyed: (0, Transport),
        });
        cases.push(Case {
            fault: "reset before response",
            api,
            server: Server::Raw(Behaviour::ResetBeforeResponse),
            safe: (ATTEMPTS, Transport),
            never: (1, unknown(Transport)),
            keyed: (ATTEMPTS, unknown(Transport)),
        });
        cases.push(Case {
            fault: "reset mid-body",
            api,
            server: Server::Raw(Behaviour::ResetMidBody),
            safe: (ATTEMPTS, Transport),
            never: (1, unknown(Transport)),
            keyed: (ATTEMPTS, unknown(Transport)),
        });
        cases.push(Case {
            fault: "slow headers (5 s > 300 ms timeout)",
            api,
            server: Server::Raw(Behaviour::SlowHeaders(SLOW)),
            safe: (ATTEMPTS, Timeout),
            never: (1, unknown(Timeout)),
            keyed: (ATTEMPTS, unknown(Timeout)),
        });
        cases.push(Case {
            fault: "truncated JSON (Content-Length > body)",
            api,
            server: Server::Raw(Behaviour::Truncated(
                br#"{"status":"SUCCESS","answer":{"uuid":"5b4c"#.to_vec(),
            )),
            safe: (ATTEMPTS, Transport),
            never: (1, unknown(Transport)),
            keyed: (ATTEMPTS, unknown(Transport)),
        });
        cases.push(Case {
            fault: "malformed JSON (200)",
            api,
            server: Server::Mock(raw_response(
                200,
                "application/json",
                r#"{"status":"SUCCESS","answer":{"uuid":}"#,
            )),
            safe: (1, Decode),
            never: (1, unknown(Decode)),
            keyed: (1, unknown(Decode)),
        });
        cases.push(Case {
            fault: "wrong content type (200 text/html)",
            api,
            server: Server::Mock(raw_response(
                200,
                "text/html",
                "<html><body>Maintenance</body></html>",
            )),
            safe: (1, Decode),
            never: (1, unknown(Decode)),
            keyed: (1, unknown(Decode)),
        });
        cases.push(Case {
            fault: "oversized body (64 KiB > 16 KiB, Content-Length)",
            api,
            server: Server::Mock(raw_response(200, "application/json", &oversized())),
            safe: (1, Decode),
            never: (1, unknown(Decode)),
            keyed: (1, unknown(Decode)),
        });
        cases.push(Case {
            fault: "oversized body (1 MiB chunked, no length)",
            api,
            server: Server::Raw(Behaviour::OversizedChunked(1024 * 1024)),
            safe: (1, Decode),
            never: (1, unknown(Decode)),
            keyed: (1, unknown(Decode)),
        });
    }
    // The per-attempt timeout covers reading the body too.
    cases.push(Case {
        fault: "slow body (head, then 5 s of silence)",
        api: Api::Lyra,
        server: Server::Raw(Behaviour::SlowBody(SLOW)),
        safe: (ATTEMPTS, Timeout),
        never: (1, unknown(Timeout)),
        keyed: (ATTEMPTS, unknown(Timeout)),
    });
    // HTTP status faults: REST statuses carry the meaning, so Paysafe; Lyra for 500 and 401.
    cases.push(Case {
        fault: "HTTP 500 (text/html)",
        api: Api::Lyra,
        server: Server::Mock(raw_response(500, "text/html", "<h1>500</h1>")),
        safe: (ATTEMPTS, Status(500)),
        never: (1, unknown(Status(500))),
        keyed: (ATTEMPTS, unknown(Status(500))),
    });
    cases.push(Case {
        fault: "HTTP 500 (text/plain)",
        api: Api::Paysafe,
        server: Server::Mock(raw_response(500, "text/plain", "Internal Server Error")),
        safe: (ATTEMPTS, Status(500)),
        never: (1, unknown(Status(500))),
        keyed: (ATTEMPTS, unknown(Status(500))),
    });
    cases.push(Case {
        fault: "HTTP 502 (text/html)",
        api: Api::Paysafe,
        server: Server::Mock(raw_response(502, "text/html", "<h1>Bad Gateway</h1>")),
        safe: (ATTEMPTS, Status(502)),
        never: (1, unknown(Status(502))),
        keyed: (ATTEMPTS, unknown(Status(502))),
    });
    cases.push(Case {
        fault: "HTTP 503 + Retry-After: 1 (error body)",
        api: Api::Paysafe,
        server: Server::Mock(
            json_response(503, &paysafe_error("1000", "Service unavailable"))
                .insert_header("Retry-After", "1"),
        ),
        safe: (ATTEMPTS, api(503, "1000")),
        never: (1, unknown(api(503, "1000"))),
        keyed: (ATTEMPTS, unknown(api(503, "1000"))),
    });
    cases.push(Case {
        fault: "HTTP 429 (error body)",
        api: Api::Paysafe,
        server: Server::Mock(json_response(
            429,
            &paysafe_error("1001", "Too many requests"),
        )),
        safe: (ATTEMPTS, api(429, "1001")),
        // Refused before processing: not an unknown outcome, and still not resent.
        never: (1, api(429, "1001")),
        keyed: (ATTEMPTS, api(429, "1001")),
    });
    cases.push(Case {
        fault: "HTTP 401 (error body)",
        api: Api::Paysafe,
        server: Server::Mock(json_response(
            401,
            &paysafe_error("5279", "The authentication credentials are invalid."),
        )),
        safe: (1, api(401, "5279")),
        never: (1, api(401, "5279")),
        keyed: (1, api(401, "5279")),
    });
    cases.push(Case {
        fault: "HTTP 404 (error body)",
        api: Api::Paysafe,
        server: Server::Mock(json_response(
            404,
            &paysafe_error("5269", "The entity with id ORDER was not found."),
        )),
        safe: (1, api(404, "5269")),
        never: (1, api(404, "5269")),
        keyed: (1, api(404, "5269")),
    });
    cases.push(Case {
        fault: "HTTP 307 redirect (not followed)",
        api: Api::Paysafe,
        server: Server::Mock(
            ResponseTemplate::new(307).insert_header("Location", "http://127.0.0.1:9/elsewhere"),
        ),
        safe: (1, Status(307)),
        never: (1, Status(307)),
        keyed: (1, Status(307)),
    });
    // Envelope faults: Lyra.
    cases.push(Case {
        fault: "HTTP 401 (ERROR envelope INT_905)",
        api: Api::Lyra,
        server: Server::Mock(json_response(
            401,
            &lyra_error("INT_905", "invalid credentials"),
        )),
        safe: (1, api(401, "INT_905")),
        never: (1, api(401, "INT_905")),
        keyed: (1, api(401, "INT_905")),
    });
    cases.push(Case {
        fault: "ERROR envelope (200, PSP_010)",
        api: Api::Lyra,
        server: Server::Mock(json_response(
            200,
            &lyra_error("PSP_010", "transaction not found"),
        )),
        safe: (1, api(200, "PSP_010")),
        never: (1, api(200, "PSP_010")),
        keyed: (1, api(200, "PSP_010")),
    });
    cases.push(Case {
        fault: "SUCCESS envelope, undecodable answer",
        api: Api::Lyra,
        server: Server::Mock(json_response(
            200,
            &lyra_envelope("SUCCESS", json!({ "amount": { "not": "a number" } })),
        )),
        safe: (1, Decode),
        never: (1, unknown(Decode)),
        keyed: (1, unknown(Decode)),
    });
    cases.push(Case {
        fault: "envelope without status",
        api: Api::Lyra,
        server: Server::Mock(json_response(200, &json!({ "answer": lyra_transaction() }))),
        safe: (1, Decode),
        never: (1, unknown(Decode)),
        keyed: (1, unknown(Decode)),
    });
    cases
}

/// A started server, and how to count what it received.
enum Running {
    Refused,
    Raw(FaultServer),
    Mock(MockServer),
}

impl Running {
    async fn start(server: &Server) -> (Running, String) {
        match server {
            Server::Refused => (Running::Refused, refused_uri().await),
            Server::Raw(behaviour) => {
                let raw = FaultServer::start(behaviour.clone()).await;
                let uri = raw.uri.clone();
                (Running::Raw(raw), uri)
            }
            Server::Mock(template) => {
                let mock = MockServer::start().await;
                Mock::given(wiremock::matchers::any())
                    .respond_with(template.clone())
                    .mount(&mock)
                    .await;
                let uri = mock.uri();
                (Running::Mock(mock), uri)
            }
        }
    }

    /// The `Idempotency-Key` header of each request received (`None`: it had none).
    async fn keys(&self) -> Vec<Option<String>> {
        match self {
            Running::Refused => Vec::new(),
            Running::Raw(raw) => raw
                .requests()
                .iter()
                .map(|bytes| {
                    String::from_utf8_lossy(bytes)
                        .split("\r\n\r\n")
                        .next()
                        .unwrap_or_default()
                        .lines()
                        .filter(|l| l.to_ascii_lowercase().starts_with("idempotency-key:"))
                        .filter_map(|l| l.split_once(':'))
                        .map(|(_, v)| v.trim().to_owned())
                        .next()
                })
                .collect(),
            Running::Mock(mock) => mock
                .received_requests()
                .await
                .unwrap_or_default()
                .iter()
                .map(|r| {
                    r.headers
                        .get("idempotency-key")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                })
                .collect(),
        }
    }

    async fn requests(&self) -> usize {
        match self {
            Running::Refused => 0,
            Running::Raw(raw) => raw.request_count(),
            Running::Mock(mock) => mock.received_requests().await.map_or(0, |r| r.len()),
        }
    }
}

/// A call retried with an idempotency key, through the runtime with the API's protocol;
/// returns the outcome, its problems and the key the error reports.
async fn keyed_call(api: Api, base: &str) -> (Outcome, Vec<String>, Option<String>) {
    let operation = api.operation(Retry::Keyed);
    let profile = ApiProfile {
        protocol: match api {
            Api::Lyra => Protocol::Envelope,
            Api::Paysafe => Protocol::Rest,
        },
        sensitive_fields: &[],
        retry_codes: &[],
        headers: &[],
        idempotency: Some(Idempotency {
            header: "Idempotency-Key",
            max_length: Some(64),
        }),
    };
    let core = Core::for_api(config(base), profile).expect("core");
    let call = Call::new(
        operation,
        reqwest::Method::POST,
        "/payments",
        RetrySafety::Keyed,
    );
    // The answer types of the API's safe row, so that an answer of the wrong shape fails.
    let body = json!({ "amount": 500 });
    let result = match api {
        Api::Lyra => core
            .execute::<_, lyra::Transaction, String>(call, Some(&body))
            .await
            .map(drop),
        Api::Paysafe => core
            .execute::<_, paysafe::Order, String>(call, Some(&body))
            .await
            .map(drop),
    };
    match result {
        Ok(_) => (Outcome::Ok, Vec::new(), None),
        Err(e) => (
            classify(&e),
            predicates(&e, operation),
            e.idempotency_key().map(str::to_owned),
        ),
    }
}

/// Runs one operation against a fresh server; returns the outcome, its problems, the time and
/// the idempotency key an error reports.
async fn call(
    api: Api,
    retry: Retry,
    base: &str,
) -> (Outcome, Vec<String>, Duration, Option<String>) {
    let operation = api.operation(retry);
    let start = Instant::now();
    if retry == Retry::Keyed {
        let (outcome, problems, key) = keyed_call(api, base).await;
        return (outcome, problems, start.elapsed(), key);
    }
    let (outcome, problems) = match api {
        Api::Lyra => {
            let client = lyra::Client::with_config(config(base)).expect("client");
            let result = match retry {
                Retry::Safe => client
                    .transaction_get(&lyra::TransactionGetRequest::new(UUID))
                    .await
                    .map(drop),
                Retry::Never | Retry::Keyed => client
                    .transaction_duplicate(&lyra::TransactionDuplicateRequest::new(
                        UUID,
                        100,
                        lyra::Currency::Eur,
                    ))
                    .await
                    .map(drop),
            };
            match result {
                Ok(()) => (Outcome::Ok, Vec::new()),
                Err(e) => (classify(&e), predicates(&e, operation)),
            }
        }
        Api::Paysafe => {
            let client = paysafe::Client::with_config(config(base)).expect("client");
            let result = match retry {
                Retry::Safe => client
                    .orders_get(&paysafe::OrdersGetRequest::new(ORDER))
                    .await
                    .map(drop),
                Retry::Never | Retry::Keyed => client
                    .orders_refund(&paysafe::OrdersRefundRequest::new(ORDER).amount(500))
                    .await
                    .map(drop),
            };
            match result {
                Ok(()) => (Outcome::Ok, Vec::new()),
                Err(e) => (classify(&e), predicates(&e, operation)),
            }
        }
    };
    (outcome, problems, start.elapsed(), None)
}

/// The longest a call may take: every attempt's timeout (for the slow server) or nothing (for
/// quick faults), the backoffs between attempts, and [`SLACK`].
fn budget(attempts: usize, slow: bool) -> Duration {
    let attempts = u32::try_from(attempts.max(1)).unwrap_or(u32::MAX);
    let per_attempt = if slow { TIMEOUT } else { Duration::ZERO };
    per_attempt * attempts + MAX_BACKOFF * (attempts - 1) + SLACK
}

async fn run(case: &Case, retry: Retry) -> Row {
    let (expected_count, expected) = match retry {
        Retry::Safe => case.safe.clone(),
        Retry::Never => case.never.clone(),
        Retry::Keyed => case.keyed.clone(),
    };
    let slow = matches!(
        case.server,
        Server::Raw(Behaviour::SlowHeaders(_) | Behaviour::SlowBody(_))
    );
    let (running, base) = Running::start(&case.server).await;
    let (observed, mut problems, elapsed, reported_key) = call(case.api, retry, &base).await;
    let seen = running.requests().await;
    let keys = running.keys().await;
    if retry == Retry::Keyed {
        // Every attempt carried the key, and the same one; an unknown outcome reports it.
        if keys.iter().any(Option::is_none) {
            problems.push(format!("an attempt lacks the key: {keys:?}"));
        }
        let first = keys.first().cloned().flatten();
        if keys.iter().any(|k| *k != first) {
            problems.push(format!("the key changed between attempts: {keys:?}"));
        }
        if matches!(observed, Outcome::Unknown(_)) && reported_key != first {
            problems.push(format!(
                "the error reports the key {reported_key:?}, the server saw {first:?}"
            ));
        }
    } else if keys.iter().any(Option::is_some) {
        problems.push(format!("a {retry:?} call carried a key: {keys:?}"));
    }
    // A safe call against a refused port makes every attempt too; the server sees none.
    let attempts = match (retry, &case.server) {
        (Retry::Safe | Retry::Keyed, Server::Refused) => ATTEMPTS,
        _ => expected_count,
    };
    let budget = budget(attempts, slow);
    if seen != expected_count {
        problems.push(format!("{seen} requests seen, {expected_count} expected"));
    }
    if observed != expected {
        problems.push(format!("outcome {observed}, {expected} expected"));
    }
    if elapsed > budget {
        problems.push(format!("took {elapsed:?}, budget {budget:?}"));
    }
    if slow {
        // Each attempt waited for its whole timeout: the timeout, not something else, ended it.
        let floor = TIMEOUT * u32::try_from(expected_count).unwrap_or(1);
        if elapsed < floor {
            problems.push(format!(
                "took {elapsed:?}, less than the timeouts ({floor:?})"
            ));
        }
    }
    Row {
        fault: case.fault,
        api: case.api,
        retry,
        operation: case.api.operation(retry),
        expected_count,
        expected,
        seen,
        observed,
        elapsed,
        budget,
        problems,
    }
}

fn render(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str(
        "| fault | api | operation (retry) | requests seen (expected) | outcome | time (budget) | ok |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|\n");
    for row in rows {
        let retry = match row.retry {
            Retry::Safe => "safe",
            Retry::Never => "never",
            Retry::Keyed => "keyed",
        };
        out.push_str(&format!(
            "| {} | {:?} | {} ({}) | {} ({}) | {} | {} ms ({} ms) | {} |\n",
            row.fault,
            row.api,
            row.operation,
            retry,
            row.seen,
            row.expected_count,
            if row.observed == row.expected {
                row.observed.to_string()
            } else {
                format!("{} (expected {})", row.observed, row.expected)
            },
            row.elapsed.as_millis(),
            row.budget.as_millis(),
            if row.problems.is_empty() {
                "yes".to_owned()
            } else {
                format!("NO: {}", row.problems.join("; "))
            },
        ));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_table() {
    let cases = cases();
    let mut rows = Vec::new();
    for case in &cases {
        for retry in [Retry::Safe, Retry::Never, Retry::Keyed] {
            rows.push(run(case, retry).await);
        }
    }
    let table = render(&rows);
    println!("\n{table}");

    // Every fault ran against the three kinds of operation.
    assert_eq!(rows.len(), 3 * cases.len());
    let failures: Vec<&Row> = rows.iter().filter(|r| !r.problems.is_empty()).collect();
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{table}",
        failures.len()
    );

    // Over the whole table: an operation marked `never` was never sent twice, and was sent
    // exactly once whenever the server could be reached.
    let never: Vec<&Row> = rows.iter().filter(|r| r.retry == Retry::Never).collect();
    let most = never.iter().map(|r| r.seen).max().unwrap_or(usize::MAX);
    assert_eq!(most, 1, "the most requests of a `never` call\n{table}");
    for row in &never {
        let reachable = !matches!(row.fault, "connection refused");
        assert_eq!(
            row.seen,
            usize::from(reachable),
            "{} / {:?}\n{table}",
            row.fault,
            row.api
        );
    }
    // A keyed call was retried up to the policy somewhere, and gave up with its key.
    assert!(
        rows.iter().any(|r| r.retry == Retry::Keyed
            && r.seen == ATTEMPTS
            && matches!(r.observed, Outcome::Unknown(_))),
        "{table}"
    );
    // And a safe call was retried up to the policy somewhere (the table is not all single
    // attempts).
    assert!(
        rows.iter()
            .any(|r| r.retry == Retry::Safe && r.seen == ATTEMPTS),
        "{table}"
    );
}
