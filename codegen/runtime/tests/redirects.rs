//! Redirects, against two servers on loopback: the runtime's own client follows none (a 3xx is
//! an error, never decoded as a success), and a client given with `ClientConfig::http_client`
//! that follows them (reqwest's default) is caught after the fact: the call fails with
//! `Error::Redirected`, is not retried, and a call sent at most once reports an unknown
//! outcome (its body may have reached the other host).

use std::sync::Arc;
use std::time::Duration;

use payspec_runtime::{
    Call, ClientConfig, Core, Credentials, Error, Protocol, RetryPolicy, RetrySafety,
};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "redirect-password-5150";
const STATUSES: [u16; 5] = [301, 302, 303, 307, 308];

/// A client with reqwest's default redirect policy (follow up to 10).
fn following_client() -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(
            rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
        )
        .build()
        .unwrap()
}

fn config(base: &str) -> ClientConfig {
    ClientConfig::new(base, Credentials::basic("user", PASSWORD))
        .timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(10)),
        )
}

/// What a success looks like to both protocols: a REST object and a SUCCESS envelope.
fn success_body(protocol: Protocol) -> Value {
    match protocol {
        Protocol::Rest => json!({ "id": "from-the-other-host" }),
        // The tests use the two presets only.
        _ => json!({ "status": "SUCCESS", "answer": { "id": "from-the-other-host" } }),
    }
}

/// The other host: answers every request with a success.
async fn other_host(protocol: Protocol) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/landing"))
        .respond_with(ResponseTemplate::new(200).set_body_json(success_body(protocol)))
        .mount(&server)
        .await;
    server
}

/// The API: answers `status` with a `Location` on `target`, and a body that would decode as a
/// success.
async fn redirecting_api(status: u16, target: &str, protocol: Protocol) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/pay"))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("Location", format!("{target}/landing?token=redirect-query"))
                .set_body_json(success_body(protocol)),
        )
        .mount(&server)
        .await;
    server
}

async fn seen(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

fn call(retry: RetrySafety) -> Call {
    let method = match retry {
        RetrySafety::Never => Method::POST,
        _ => Method::GET,
    };
    Call::new("pay", method, "/pay", retry).with_path_template("/pay")
}

async fn execute(core: &Core, retry: RetrySafety) -> Result<Value, Error> {
    core.execute::<_, Value, String>(call(retry), Some(&json!({ "amount": 100 })))
        .await
}

/// The error says a redirect was met, names no URL and claims nothing it cannot know.
fn assert_redirected(label: &str, error: &Error) {
    let text = format!("{error} / {error:?}");
    assert!(matches!(error, Error::Redirected { .. }), "{label}: {text}");
    assert!(error.to_string().contains("redirect"), "{label}: {text}");
    assert!(!error.is_retryable(), "{label}: {text}");
    assert_eq!(error.operation(), Some("pay"), "{label}");
    for leak in ["landing", "redirect-query", "127.0.0.1", PASSWORD] {
        assert!(!text.contains(leak), "{label}: shows `{leak}`: {text}");
    }
}

#[tokio::test]
async fn a_redirect_followed_by_a_user_supplied_client_is_an_error() {
    for status in STATUSES {
        for protocol in [Protocol::Rest, Protocol::Envelope] {
            let label = format!("{status} {protocol:?}");

            // Safe: an error, not retried, and not the other host's answer.
            let other = other_host(protocol).await;
            let api = redirecting_api(status, &other.uri(), protocol).await;
            let core =
                Core::new(config(&api.uri()).http_client(following_client()), protocol).unwrap();
            let error = execute(&core, RetrySafety::Safe)
                .await
                .expect_err(&format!("{label}: the other host's answer was accepted"));
            assert_redirected(&label, &error);
            assert_eq!(seen(&api).await.len(), 1, "{label}: not retried");
            assert_eq!(seen(&other).await.len(), 1, "{label}: followed once");

            // Never: the body may have reached the other host, so the outcome is unknown.
            let other = other_host(protocol).await;
            let api = redirecting_api(status, &other.uri(), protocol).await;
            let core =
                Core::new(config(&api.uri()).http_client(following_client()), protocol).unwrap();
            let error = execute(&core, RetrySafety::Never)
                .await
                .expect_err(&format!("{label}: the other host's answer was accepted"));
            assert!(error.is_outcome_unknown(), "{label}: {error:?}");
            let source = std::error::Error::source(&error)
                .and_then(|s| s.downcast_ref::<Error>())
                .expect("the cause");
            assert_redirected(&label, source);
            assert_eq!(seen(&api).await.len(), 1, "{label}");
            let landed = seen(&other).await;
            assert_eq!(landed.len(), 1, "{label}");
            // Why the outcome is unknown: 307 and 308 resend the body to the other host.
            let resent = landed[0].method == Method::POST && !landed[0].body.is_empty();
            assert_eq!(resent, matches!(status, 307 | 308), "{label}");
            // reqwest drops the credentials when the redirect changes host or port.
            assert!(
                !landed[0].headers.contains_key("authorization"),
                "{label}: the credentials went to the other host"
            );
        }
    }
}

#[tokio::test]
async fn a_redirect_on_the_same_host_is_an_error_too() {
    let api = MockServer::start().await;
    Mock::given(path("/pay"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "/landing"))
        .mount(&api)
        .await;
    Mock::given(path("/landing"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "id": "landing" })))
        .mount(&api)
        .await;
    let core = Core::new(
        config(&api.uri()).http_client(following_client()),
        Protocol::Rest,
    )
    .unwrap();
    let error = execute(&core, RetrySafety::Safe).await.unwrap_err();
    assert_redirected("same host", &error);
    assert_eq!(seen(&api).await.len(), 2);
}

#[tokio::test]
async fn a_redirect_loop_of_a_user_supplied_client_is_an_error_not_retried() {
    let api = MockServer::start().await;
    Mock::given(path("/pay"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/pay"))
        .mount(&api)
        .await;
    let core = Core::new(
        config(&api.uri()).http_client(following_client()),
        Protocol::Rest,
    )
    .unwrap();
    let error = execute(&core, RetrySafety::Safe).await.unwrap_err();
    assert_redirected("loop", &error);
    let first = seen(&api).await.len();
    assert!(first >= 1, "{first}");

    let api = MockServer::start().await;
    Mock::given(path("/pay"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/pay"))
        .mount(&api)
        .await;
    let core = Core::new(
        config(&api.uri()).http_client(following_client()),
        Protocol::Rest,
    )
    .unwrap();
    let error = execute(&core, RetrySafety::Never).await.unwrap_err();
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_eq!(
        seen(&api).await.len(),
        first,
        "one call's worth of requests"
    );
}

#[tokio::test]
async fn the_runtimes_own_client_reports_a_3xx_as_an_unexpected_status() {
    for status in STATUSES {
        for protocol in [Protocol::Rest, Protocol::Envelope] {
            for retry in [RetrySafety::Safe, RetrySafety::Never] {
                let label = format!("{status} {protocol:?} {retry:?}");
                let other = other_host(protocol).await;
                let api = redirecting_api(status, &other.uri(), protocol).await;
                let core = Core::new(config(&api.uri()), protocol).unwrap();
                let error = execute(&core, retry)
                    .await
                    .expect_err(&format!("{label}: a 3xx decoded as a success"));
                match &error {
                    Error::UnexpectedStatus { status: seen, .. } => {
                        assert_eq!(*seen, status, "{label}");
                    }
                    other => panic!("{label}: {other:?}"),
                }
                assert!(!error.is_retryable(), "{label}");
                assert_eq!(seen(&api).await.len(), 1, "{label}");
                assert_eq!(seen(&other).await.len(), 0, "{label}");
            }
        }
    }
}
