//! Headers a spec adds to requests: the API's fixed headers (`ApiProfile::headers`).

use std::time::Duration;

use payspec_runtime::{
    ApiProfile, Call, ClientConfig, Core, Credentials, Error, Protocol, RetryPolicy, RetrySafety,
};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const HEADERS: &[(&str, &str)] = &[("Some-Version", "2024-06-01"), ("X-Flags", "a b\tc")];

fn config(server: &MockServer) -> ClientConfig {
    ClientConfig::new(server.uri(), Credentials::basic("user", "pw-123456"))
        .timeout(Duration::from_secs(2))
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(10)),
        )
}

fn profile(headers: &'static [(&'static str, &'static str)]) -> ApiProfile {
    ApiProfile {
        protocol: Protocol::Rest,
        sensitive_fields: &[],
        retry_codes: &[],
        headers,
        idempotency: None,
    }
}

#[tokio::test]
async fn fixed_headers_are_sent_on_every_attempt_including_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    let core = Core::for_api(config(&server), profile(HEADERS)).expect("valid config");
    let answer: Value = core
        .execute::<(), _, String>(
            Call::new("things/list", Method::GET, "/v1/things", RetrySafety::Safe),
            None,
        )
        .await
        .expect("the third attempt succeeds");
    assert_eq!(answer, json!({"ok": true}));
    let received = server.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), 3);
    for request in &received {
        let version: Vec<_> = request.headers.get_all("some-version").iter().collect();
        assert_eq!(version, ["2024-06-01"]);
        assert_eq!(request.headers.get("x-flags").unwrap(), "a b\tc");
        // The runtime's own headers are still there, once.
        assert_eq!(request.headers.get_all("accept").iter().count(), 1);
        assert!(request.headers.get("authorization").is_some());
    }
}

#[tokio::test]
async fn fixed_headers_go_with_bodies_and_calls_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("Some-Version", "2024-06-01"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let core = Core::for_api(config(&server), profile(HEADERS)).expect("valid config");
    let _: Value = core
        .execute::<_, _, String>(
            Call::new(
                "orders/create",
                Method::POST,
                "/v1/orders",
                RetrySafety::Never,
            ),
            Some(&json!({"amount": 1})),
        )
        .await
        .expect("the mock matched the header");
}

#[test]
fn bad_fixed_headers_are_refused_when_the_client_is_built() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("Bad Name", "1")], "cannot be sent"),
        (&[("", "1")], "cannot be sent"),
        (&[("content-type", "text/plain")], "one the runtime sets"),
        (&[("AUTHORIZATION", "Bearer x")], "one the runtime sets"),
        (&[("Host", "evil.example")], "one the runtime sets"),
        (&[("X-A", "1"), ("x-a", "2")], "given twice"),
        (
            &[("X-A", "line\r\nX-Injected: 1")],
            "not a valid header value",
        ),
        (&[("X-A", "caf\u{e9}")], "not a valid header value"),
    ];
    for (headers, expected) in cases {
        let headers: &'static [(&'static str, &'static str)] = Box::leak(headers.to_vec().into());
        let config = ClientConfig::new("https://api.example.com", Credentials::basic("u", "pw-1"));
        match Core::for_api(config, profile(headers)) {
            Err(Error::Config(message)) => {
                assert!(message.contains(expected), "{headers:?}: {message}");
                assert!(!message.contains("X-Injected"), "{message}");
            }
            other => panic!("{headers:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn header_parameters_are_sent_with_their_exact_name_and_value() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/orders"))
        .and(header("Request-Id", "req-42"))
        .and(header("X-Api-Key", "k-secret-1"))
        .and(header("Some-Version", "2024-06-01"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let core = Core::for_api(config(&server), profile(HEADERS)).expect("valid config");
    let _: Value = core
        .execute::<_, _, String>(
            Call::new(
                "orders/create",
                Method::POST,
                "/v1/orders",
                RetrySafety::Never,
            )
            .with_header("Request-Id", "req-42")
            .with_sensitive_header("X-Api-Key", "k-secret-1"),
            Some(&json!({})),
        )
        .await
        .expect("the mock matched the headers");
    let received = server.received_requests().await.expect("recording is on");
    let names: Vec<&str> = received[0].headers.keys().map(|k| k.as_str()).collect();
    assert!(
        names.contains(&"request-id") && names.contains(&"x-api-key"),
        "{names:?}"
    );
    assert_eq!(received[0].headers.get_all("request-id").iter().count(), 1);
}

#[tokio::test]
async fn an_invalid_header_value_is_refused_before_any_io() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(0)
        .mount(&server)
        .await;
    let core = Core::for_api(config(&server), profile(HEADERS)).expect("valid config");
    for (name, value) in [
        ("X-Api-Key", "k-secret\r\nX-Injected: 1"),
        ("X-Api-Key", "caf\u{e9}-secret"),
    ] {
        let error = core
            .execute::<_, Value, String>(
                Call::new(
                    "orders/create",
                    Method::POST,
                    "/v1/orders",
                    RetrySafety::Never,
                )
                .with_sensitive_header(name, value),
                Some(&json!({})),
            )
            .await
            .unwrap_err();
        match &error {
            Error::InvalidRequest(e) => {
                assert_eq!(e.path, "X-Api-Key");
                assert_eq!(e.rule, payspec_runtime::Rule::HeaderValue);
            }
            other => panic!("{other:?}"),
        }
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("X-Api-Key"), "{shown}");
        assert!(
            !shown.contains("secret") && !shown.contains("Injected"),
            "{shown}"
        );
    }
    // A name the runtime sets, or one that is not a token, is refused too.
    for name in ["Authorization", "Bad Name"] {
        let error = core
            .execute::<_, Value, String>(
                Call::new(
                    "orders/create",
                    Method::POST,
                    "/v1/orders",
                    RetrySafety::Never,
                )
                .with_header(name, "v"),
                Some(&json!({})),
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::InvalidRequest(e) if e.rule == payspec_runtime::Rule::HeaderName && e.path == name),
            "{error:?}"
        );
    }
}
