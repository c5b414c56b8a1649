//! The `payspec.call` span and per-attempt events, captured by a minimal
//! subscriber; credentials and bodies never appear in them.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use payspec_runtime::{Call, ClientConfig, Core, Credentials, Protocol, RetryPolicy, RetrySafety};
use reqwest::Method;
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "observability-password-77";

#[derive(Clone, Default)]
struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

#[derive(Default)]
struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }
}

impl Capture {
    fn push(&self, line: String) {
        if let Ok(mut lines) = self.lines.lock() {
            lines.push(line);
        }
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        self.push(format!("span {} {}", span.metadata().name(), fields.0));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        self.push(format!("record {}", fields.0));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        self.push(format!("event {}", fields.0));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn span_and_attempt_events_without_secrets_or_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("body-marker-503"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"marker": "body-marker-200"})),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let core = Core::new(
        ClientConfig::new(server.uri(), Credentials::basic("user", PASSWORD)).retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(10)),
        ),
        Protocol::Rest,
    )
    .unwrap();

    let capture = Capture::default();
    let guard = tracing::subscriber::set_default(capture.clone());
    let answer: Value = core
        .execute::<_, _, String>(
            Call::new("updateOrder", Method::POST, "/orders/o1", RetrySafety::Safe)
                .with_path_template("/orders/{order_id}"),
            Some(&json!({"marker": "request-body-marker"})),
        )
        .await
        .unwrap();
    drop(guard);
    assert_eq!(answer["marker"], "body-marker-200");

    let lines = capture.lines();
    let all = lines.join("\n");
    assert!(
        lines.iter().any(|l| l.starts_with("span payspec.call")
            && l.contains("operation=\"updateOrder\"")
            && l.contains("method=POST")
            && l.contains("path_template=\"/orders/{order_id}\"")),
        "{all}"
    );
    let attempts: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("attempt=") && l.contains("status=") && l.contains("latency_ms="))
        .collect();
    assert_eq!(attempts.len(), 2, "{all}");
    assert!(
        attempts[0].contains("attempt=1") && attempts[0].contains("status=503"),
        "{all}"
    );
    assert!(
        attempts[1].contains("attempt=2") && attempts[1].contains("status=200"),
        "{all}"
    );
    assert!(!all.contains("/orders/o1"), "the concrete path: {all}");
    assert!(!all.contains(PASSWORD), "{all}");
    assert!(!all.contains("body-marker"), "{all}");
    assert!(!all.contains("request-body-marker"), "{all}");
}

/// A header parameter's value reaches the server but no trace line, even at TRACE, nor the
/// error of a call that failed after sending it.
#[tokio::test]
async fn header_parameter_values_are_never_traced_nor_kept_in_errors() {
    const KEY: &str = "hdr-secret-key-31337";
    const PLAIN: &str = "hdr-plain-value-4242";
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::header("X-Api-Key", KEY))
        .and(wiremock::matchers::header("Request-Id", PLAIN))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .expect(1)
        .mount(&server)
        .await;
    let core = Core::new(
        ClientConfig::new(server.uri(), Credentials::basic("user", PASSWORD)),
        Protocol::Rest,
    )
    .unwrap();
    let call = Call::new("createThing", Method::POST, "/things", RetrySafety::Never)
        .with_header("Request-Id", PLAIN)
        .with_sensitive_header("X-Api-Key", KEY);
    let call_debug = format!("{call:?}");
    let capture = Capture::default();
    let guard = tracing::subscriber::set_default(capture.clone());
    let error = core
        .execute::<_, Value, String>(call, Some(&json!({})))
        .await
        .unwrap_err();
    drop(guard);
    let all = capture.lines().join("\n");
    assert!(all.contains("createThing"), "the call was traced: {all}");
    let shown = format!("{error} {error:?} {call_debug}");
    for value in [KEY, PLAIN] {
        assert!(!all.contains(value), "{value} in the traces: {all}");
        assert!(!shown.contains(value), "{value} in the error: {shown}");
    }
    assert!(
        matches!(error, payspec_runtime::Error::OutcomeUnknown { .. }),
        "{error:?}"
    );
}
