//! `Core` against a wiremock server on loopback.

use std::time::{Duration, Instant};

use payspec_runtime::{
    ApiProfile, Call, ClientConfig, Core, Credentials, Error, Framing, Protocol, RetryPolicy,
    RetrySafety, Rule, encode_path_segment,
};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::{basic_auth, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const USER: &str = "69876357";
const PASSWORD: &str = "testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M";
/// base64("69876357:testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M")
const BASIC: &str =
    "Basic Njk4NzYzNTc6dGVzdHBhc3N3b3JkX0RFTU9QUklWQVRFS0VZMjNHNDQ3NXpYWlEyVUE1eDdN";

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(50))
        .max_elapsed(Duration::from_secs(5))
}

fn config(server: &MockServer) -> ClientConfig {
    ClientConfig::new(server.uri(), Credentials::basic(USER, PASSWORD))
        .timeout(Duration::from_millis(1500))
        .retry_policy(policy())
}

fn core(server: &MockServer, protocol: Protocol) -> Core {
    Core::new(config(server), protocol).expect("valid config")
}

fn call(operation: &'static str, method: Method, path: &str, retry: RetrySafety) -> Call {
    Call::new(operation, method, path, retry)
}

/// The error, its Display, its Debug and its whole source chain never show
/// the password.
fn assert_no_secret<E: std::error::Error>(error: &E) {
    let mut texts = vec![format!("{error}"), format!("{error:?}")];
    let mut source = error.source();
    while let Some(s) = source {
        texts.push(format!("{s}"));
        texts.push(format!("{s:?}"));
        source = s.source();
    }
    for text in texts {
        assert!(!text.contains(PASSWORD), "password leaked: {text}");
        assert!(
            !text.contains("DEMOPRIVATEKEY"),
            "password part leaked: {text}"
        );
        assert!(!text.contains(&BASIC[6..]), "basic token leaked: {text}");
    }
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CreatePayment {
    amount: i64,
    currency: &'static str,
    order_id: &'static str,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Payment {
    id: String,
    amount: i64,
}

#[tokio::test]
async fn sends_method_path_query_auth_headers_and_json_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payments/a%2Fb%20c/capture"))
        .and(query_param("expand", "details"))
        .and(query_param("note", "a&b =c"))
        .and(basic_auth(USER, PASSWORD))
        .and(header("authorization", BASIC))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"amount": 990, "currency": "EUR", "orderId": "o-1"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "p1", "amount": 990})))
        .expect(1)
        .mount(&server)
        .await;

    let core = core(&server, Protocol::Rest);
    let path = format!("/payments/{}/capture", encode_path_segment("a/b c"));
    let call = call("capture", Method::POST, &path, RetrySafety::Never)
        .with_query("expand", "details")
        .with_query("note", "a&b =c");
    let body = CreatePayment {
        amount: 990,
        currency: "EUR",
        order_id: "o-1",
    };
    let payment: Result<Payment, Error> = core.execute(call, Some(&body)).await;
    assert_eq!(
        payment.expect("success"),
        Payment {
            id: "p1".into(),
            amount: 990
        }
    );

    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    let ua = received[0]
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(ua.starts_with("payspec/"), "{ua}");
    assert_eq!(
        received[0].url.query(),
        Some("expand=details&note=a%26b+%3Dc")
    );
}

#[tokio::test]
async fn sends_no_body_without_one_and_custom_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/payments/p1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "p1", "amount": 5})))
        .mount(&server)
        .await;
    let core = Core::new(config(&server).user_agent("shop/1.0"), Protocol::Rest).unwrap();
    let payment: Payment = core
        .execute::<(), _, String>(
            call("get", Method::GET, "/payments/p1", RetrySafety::Safe),
            None,
        )
        .await
        .unwrap();
    assert_eq!(payment.amount, 5);
    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    assert!(received[0].body.is_empty());
    assert!(received[0].headers.get("content-type").is_none());
    assert_eq!(received[0].headers.get("user-agent").unwrap(), "shop/1.0");
    assert_eq!(received[0].url.query(), None);
}

#[tokio::test]
async fn envelope_success_decodes_the_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api-payment/V4/Charge/CreatePayment"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "webService": "Charge/CreatePayment",
            "version": "V4",
            "status": "SUCCESS",
            "answer": {"id": "tx-1", "amount": 1234, "_type": "V4/Payment"},
            "ticket": null,
            "serverDate": "2024-01-01T00:00:00+00:00",
            "mode": "TEST"
        })))
        .mount(&server)
        .await;
    let core = Core::new(
        ClientConfig::new(
            format!("{}/api-payment/", server.uri()),
            Credentials::basic(USER, PASSWORD),
        ),
        Protocol::Envelope,
    )
    .unwrap();
    let payment: Payment = core
        .execute::<_, _, String>(
            call(
                "createPayment",
                Method::POST,
                "/V4/Charge/CreatePayment",
                RetrySafety::Never,
            ),
            Some(&json!({"amount": 1234})),
        )
        .await
        .unwrap();
    assert_eq!(payment.id, "tx-1");
}

/// A stand-in for a generated open error-code enum.
#[derive(Debug, Clone, PartialEq)]
enum Code {
    Int905,
    Other(String),
}

impl payspec_runtime::OpenEnum for Code {
    fn from_wire_lossy(code: String) -> Self {
        match code.as_str() {
            "INT_905" => Code::Int905,
            _ => Code::Other(code),
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Code::Int905 => f.write_str("INT_905"),
            Code::Other(code) => f.write_str(code),
        }
    }
}

#[tokio::test]
async fn envelope_error_becomes_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/V4/Charge/CreatePayment"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "ERROR",
            "ticket": "c1c7bd2bd4b04e6f",
            "answer": {
                "errorCode": "PSP_010",
                "errorMessage": "transaction refused",
                "detailedErrorCode": "05",
                "detailedErrorMessage": format!("do not honor ({PASSWORD})"),
                "_type": "V4/WebService/WebServiceError"
            }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Envelope);
    let result: Result<Value, Error<Code>> = core
        .execute(
            call(
                "createPayment",
                Method::POST,
                "/V4/Charge/CreatePayment",
                RetrySafety::Safe,
            ),
            Some(&json!({})),
        )
        .await;
    let error = result.unwrap_err();
    assert_no_secret(&error);
    assert_eq!(error.api_code(), Some(&Code::Other("PSP_010".into())));
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        "createPayment: PSP_010: transaction refused"
    );
    let api = error.api_error().unwrap();
    assert_eq!(api.http_status, 200);
    assert_eq!(api.message, "transaction refused");
    assert_eq!(api.detailed_code.as_deref(), Some("05"));
    assert_eq!(
        api.detailed_message.as_deref(),
        Some("do not honor (<redacted>)")
    );
    assert_eq!(api.ticket.as_deref(), Some("c1c7bd2bd4b04e6f"));
}

#[tokio::test]
async fn envelope_401_becomes_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "status": "ERROR",
            "answer": {
                "errorCode": "INT_905",
                "errorMessage": "invalid credentials",
                "detailedErrorCode": null,
                "detailedErrorMessage": null,
                "ticket": "t-401"
            }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Envelope);
    let error = core
        .execute::<_, Value, Code>(
            call(
                "createPayment",
                Method::POST,
                "/V4/Charge/CreatePayment",
                RetrySafety::Safe,
            ),
            Some(&json!({})),
        )
        .await
        .unwrap_err();
    assert_eq!(error.api_code(), Some(&Code::Int905));
    assert_eq!(error.http_status(), Some(401));
    let api = error.api_error().unwrap();
    assert_eq!(api.detailed_message, None);
    assert_eq!(api.ticket.as_deref(), Some("t-401"));
}

#[tokio::test]
async fn rest_error_body_becomes_an_api_error_with_the_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": {
                "code": "5068",
                "message": "Field error(s)",
                "details": ["Either you submitted a request that is missing a mandatory field"],
                "fieldErrors": [{"field": "card.cardExpiry.month", "error": "must be less than or equal to 12"}],
                "links": [{"rel": "errorinfo", "href": "https://developer.paysafe.com/#/?search=5068"}]
            }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Rest);
    let error = core
        .execute::<_, Value, String>(
            call(
                "authorize",
                Method::POST,
                "/cardpayments/v1/accounts/1/auths",
                RetrySafety::Safe,
            ),
            Some(&json!({})),
        )
        .await
        .unwrap_err();
    assert_no_secret(&error);
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.http_status, 400);
    assert_eq!(api.code, "5068");
    assert_eq!(api.message, "Field error(s)");
    assert_eq!(api.details.len(), 1);
    assert_eq!(api.field_errors[0].field, "card.cardExpiry.month");
    assert_eq!(
        api.field_errors[0].error,
        "must be less than or equal to 12"
    );
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn rest_empty_success_body_decodes_as_null() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Rest);
    let _: serde::de::IgnoredAny = core
        .execute::<(), _, String>(
            call("delete", Method::DELETE, "/x/1", RetrySafety::Safe),
            None,
        )
        .await
        .unwrap();
    let nothing: Option<Payment> = core
        .execute::<(), _, String>(
            call("delete", Method::DELETE, "/x/1", RetrySafety::Safe),
            None,
        )
        .await
        .unwrap();
    assert_eq!(nothing, None);
}

#[tokio::test]
async fn safe_call_is_retried_on_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "p1", "amount": 1})))
        .with_priority(2)
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Rest);
    let payment: Payment = core
        .execute::<(), _, String>(call("get", Method::GET, "/p/1", RetrySafety::Safe), None)
        .await
        .unwrap();
    assert_eq!(payment.id, "p1");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn safe_call_gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({
            "error": {"code": "1000", "message": "internal error"}
        })))
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Rest);
    let error = core
        .execute::<_, Value, String>(
            call("update", Method::PUT, "/p/1", RetrySafety::Safe),
            Some(&json!({})),
        )
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await.len(), 3);
    assert_eq!(error.api_code().map(String::as_str), Some("1000"));
    assert_eq!(error.http_status(), Some(500));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn never_call_on_503_is_outcome_unknown_and_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_string(format!("overloaded https://{USER}:{PASSWORD}@x")),
        )
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Rest);
    let error = core
        .execute::<_, Value, String>(
            call(
                "createPayment",
                Method::POST,
                "/payments",
                RetrySafety::Never,
            ),
            Some(&json!({"amount": 1})),
        )
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
    assert_no_secret(&error);
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert!(!error.is_retryable());
    let text = error.to_string();
    assert!(text.contains("outcome is unknown"), "{text}");
    assert!(
        text.contains("look the object up before trying again"),
        "{text}"
    );
    let source = std::error::Error::source(&error).expect("a source");
    let source = source
        .downcast_ref::<Error>()
        .expect("the source is a runtime error");
    match source {
        Error::UnexpectedStatus {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 503);
            assert_eq!(excerpt, "overloaded https://<redacted>@x");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn never_call_with_undecodable_success_is_outcome_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 5})))
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Rest);
    let error = core
        .execute::<_, Payment, String>(
            call(
                "createPayment",
                Method::POST,
                "/payments",
                RetrySafety::Never,
            ),
            Some(&json!({})),
        )
        .await
        .unwrap_err();
    assert!(error.is_outcome_unknown(), "{error:?}");
    let source = std::error::Error::source(&error)
        .and_then(|s| s.downcast_ref::<Error>())
        .expect("runtime error source");
    assert!(
        matches!(source, Error::Decode(d) if d.path == "id"),
        "{source:?}"
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "p1", "amount": 1})))
        .with_priority(2)
        .mount(&server)
        .await;
    let core = Core::new(
        config(&server).retry_policy(policy().max_backoff(Duration::from_secs(2))),
        Protocol::Rest,
    )
    .unwrap();
    let start = Instant::now();
    let payment: Payment = core
        .execute::<(), _, String>(call("get", Method::GET, "/p/1", RetrySafety::Safe), None)
        .await
        .unwrap();
    let elapsed = start.elapsed();
    assert_eq!(payment.id, "p1");
    assert_eq!(requests(&server).await.len(), 2);
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

#[tokio::test]
async fn retry_after_beyond_the_elapsed_budget_gives_up() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "30"))
        .mount(&server)
        .await;
    let core = Core::new(
        config(&server).retry_policy(
            policy()
                .max_backoff(Duration::from_secs(60))
                .max_elapsed(Duration::from_secs(2)),
        ),
        Protocol::Rest,
    )
    .unwrap();
    let start = Instant::now();
    let error = core
        .execute::<(), Value, String>(call("get", Method::GET, "/p/1", RetrySafety::Safe), None)
        .await
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(1));
    assert_eq!(requests(&server).await.len(), 1);
    assert_eq!(error.http_status(), Some(429));
    assert!(error.is_retryable());
}

#[tokio::test]
async fn never_call_on_429_is_not_retried_and_not_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Rest);
    let error = core
        .execute::<_, Value, String>(
            call(
                "createPayment",
                Method::POST,
                "/payments",
                RetrySafety::Never,
            ),
            Some(&json!({})),
        )
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
    assert!(
        matches!(error, Error::UnexpectedStatus { status: 429, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>not found</html>"))
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Rest);
    let error = core
        .execute::<(), Value, String>(call("get", Method::GET, "/p/1", RetrySafety::Safe), None)
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
    match &error {
        Error::UnexpectedStatus {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 404);
            assert_eq!(excerpt, "<html>not found</html>");
        }
        other => panic!("{other:?}"),
    }
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/typed"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": "p1", "amount": "lots"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/broken"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(format!("{{\"id\": \"{PASSWORD}\", "), "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/html"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html/>", "text/html"))
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Rest);

    let error = core
        .execute::<(), Payment, String>(call("get", Method::GET, "/typed", RetrySafety::Safe), None)
        .await
        .unwrap_err();
    match &error {
        Error::Decode(d) => {
            assert_eq!(d.path, "amount");
            assert_eq!(d.operation, "get");
            assert!(d.excerpt.contains("lots"), "{}", d.excerpt);
        }
        other => panic!("{other:?}"),
    }
    assert!(!error.is_retryable());

    let error = core
        .execute::<(), Payment, String>(
            call("get", Method::GET, "/broken", RetrySafety::Safe),
            None,
        )
        .await
        .unwrap_err();
    assert_no_secret(&error);
    assert!(matches!(&error, Error::Decode(_)), "{error:?}");

    let error = core
        .execute::<(), Payment, String>(call("get", Method::GET, "/html", RetrySafety::Safe), None)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode(d) if d.message.contains("text/html")),
        "{error:?}"
    );
    // None of these were retried.
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn envelope_decode_error_path_is_prefixed_with_answer() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Answer {
        transactions: Vec<Payment>,
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "SUCCESS",
            "answer": {"transactions": [{"id": "a", "amount": 1}, {"id": "b", "amount": 1.5}]}
        })))
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Envelope);
    let error = core
        .execute::<_, Answer, String>(
            call("getOrder", Method::POST, "/V4/Order/Get", RetrySafety::Safe),
            Some(&json!({})),
        )
        .await
        .unwrap_err();
    match error {
        Error::Decode(d) => assert_eq!(d.path, "answer.transactions[1].amount"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn oversized_body_is_refused() {
    let server = MockServer::start().await;
    let big = json!({"id": "x".repeat(10_000), "amount": 1});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(big))
        .mount(&server)
        .await;
    let core = Core::new(config(&server).max_response_bytes(1024), Protocol::Rest).unwrap();
    let error = core
        .execute::<(), Payment, String>(call("get", Method::GET, "/p", RetrySafety::Safe), None)
        .await
        .unwrap_err();
    match &error {
        Error::Decode(d) => assert!(d.message.contains("1024"), "{}", d.message),
        other => panic!("{other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn non_json_server_error_keeps_a_redacted_excerpt() {
    let server = MockServer::start().await;
    let page = format!(
        "<html>{} password={PASSWORD} url=https://{USER}:{PASSWORD}@api.example.com/x</html>",
        "y".repeat(600)
    );
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let core = Core::new(
        config(&server).retry_policy(RetryPolicy::none()),
        Protocol::Envelope,
    )
    .unwrap();
    let error = core
        .execute::<(), Value, String>(call("get", Method::GET, "/p", RetrySafety::Safe), None)
        .await
        .unwrap_err();
    assert_no_secret(&error);
    match &error {
        Error::UnexpectedStatus {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 502);
            assert!(excerpt.chars().count() <= 513, "{}", excerpt.len());
            assert!(excerpt.starts_with("<html>yyy"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn timeouts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "p", "amount": 1}))
                .set_delay(Duration::from_millis(600)),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "p", "amount": 1}))
                .set_delay(Duration::from_millis(600)),
        )
        .mount(&server)
        .await;
    let core = Core::new(
        config(&server)
            .timeout(Duration::from_millis(150))
            .retry_policy(policy().max_attempts(2)),
        Protocol::Rest,
    )
    .unwrap();

    let error = core
        .execute::<(), Payment, String>(call("get", Method::GET, "/p", RetrySafety::Safe), None)
        .await
        .unwrap_err();
    match &error {
        Error::Timeout { operation, elapsed } => {
            assert_eq!(*operation, "get");
            assert!(*elapsed >= Duration::from_millis(300), "{elapsed:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_retryable());
    assert_eq!(requests(&server).await.len(), 2);

    let error = core
        .execute::<_, Payment, String>(
            call("createPayment", Method::POST, "/p", RetrySafety::Never),
            Some(&json!({})),
        )
        .await
        .unwrap_err();
    assert!(error.is_outcome_unknown(), "{error:?}");
    let source = std::error::Error::source(&error)
        .and_then(|s| s.downcast_ref::<Error>())
        .expect("runtime error source");
    assert!(matches!(source, Error::Timeout { .. }), "{source:?}");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn unusable_paths_are_refused_before_sending() {
    let server = MockServer::start().await;
    let core = core(&server, Protocol::Rest);
    for id in ["", ".", ".."] {
        let path = format!("/payments/{}/capture", encode_path_segment(id));
        let error = core
            .execute::<(), Value, String>(call("get", Method::GET, &path, RetrySafety::Safe), None)
            .await
            .unwrap_err();
        match error {
            Error::InvalidRequest(e) => assert_eq!(e.rule, Rule::UrlPath),
            other => panic!("{id:?}: {other:?}"),
        }
    }
    assert_eq!(requests(&server).await.len(), 0);
}

#[tokio::test]
async fn unserializable_body_is_an_invalid_request() {
    let server = MockServer::start().await;
    let core = core(&server, Protocol::Rest);
    let mut map = std::collections::BTreeMap::new();
    map.insert((1, 2), "x");
    let error = core
        .execute::<_, Value, String>(
            call("post", Method::POST, "/p", RetrySafety::Never),
            Some(&map),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(e) if matches!(e.rule, Rule::Serialize(_))),
        "{error:?}"
    );
    assert_eq!(requests(&server).await.len(), 0);
}

#[test]
fn plain_http_non_loopback_is_refused() {
    for base in ["http://api.example.com", "http://192.168.1.10:8080/api"] {
        let error = Core::new(
            ClientConfig::new(base, Credentials::basic(USER, PASSWORD)),
            Protocol::Rest,
        )
        .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert_no_secret(&error);
    }
    for base in ["http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1"] {
        assert!(
            Core::new(
                ClientConfig::new(base, Credentials::basic(USER, PASSWORD)),
                Protocol::Rest,
            )
            .is_ok(),
            "{base}"
        );
    }
}

#[test]
fn debug_output_never_shows_the_password() {
    let credentials = Credentials::basic(USER, PASSWORD);
    let debug = format!("{credentials:?}");
    assert!(debug.contains(USER), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
    assert!(!debug.contains(PASSWORD), "{debug}");

    let config = ClientConfig::new("https://api.example.com", credentials);
    let debug = format!("{config:?}");
    assert!(!debug.contains(PASSWORD), "{debug}");

    let core = Core::new(config, Protocol::Envelope).unwrap();
    let debug = format!("{core:?} {:?}", core.clone());
    assert!(!debug.contains(PASSWORD), "{debug}");
    assert!(!debug.contains(&BASIC[6..]), "{debug}");

    let secret = payspec_runtime::Secret::new(PASSWORD);
    assert_eq!(format!("{secret:?} {secret}"), "<redacted> <redacted>");
    assert_eq!(secret.expose(), PASSWORD);
}

#[test]
fn execute_future_is_send_and_errors_are_send_sync() {
    fn assert_send<T: Send>(_: T) {}
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error>();
    assert_error::<Error<Code>>();
    let core = Core::new(
        ClientConfig::new("http://127.0.0.1:1", Credentials::basic(USER, PASSWORD)),
        Protocol::Rest,
    )
    .unwrap();
    let body = json!({});
    assert_send(core.execute::<_, Value, Code>(
        call("x", Method::POST, "/x", RetrySafety::Safe),
        Some(&body),
    ));
}

#[test]
fn credentials_that_cannot_be_meant_are_refused() {
    // An unset environment variable read with a default gives "": refuse it when the client is
    // built rather than sending calls that can only be rejected.
    let cases = [
        (USER, ""),
        (USER, "   "),
        (USER, "secret\n"),
        ("", PASSWORD),
        (" ", PASSWORD),
        ("shop\r", PASSWORD),
    ];
    for (user, password) in cases {
        let error = Core::new(
            ClientConfig::new(
                "https://api.example.com",
                Credentials::basic(user, password),
            ),
            Protocol::Rest,
        )
        .unwrap_err();
        let shown = error.to_string();
        assert!(
            matches!(error, Error::Config(_)),
            "{user:?}/{password:?}: {error:?}"
        );
        assert!(shown.contains("credentials"), "{shown}");
        assert_no_secret(&error);
    }
}

#[tokio::test]
async fn a_decode_error_never_quotes_the_value_it_failed_on() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Card {
        holder: String,
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"holder": 987654321}"#, "application/json"),
        )
        .mount(&server)
        .await;
    let profile = ApiProfile {
        protocol: Protocol::Rest,
        sensitive_fields: &["holder"],
        retry_codes: &[],
        headers: &[],
        idempotency: None,
    };
    let core = Core::for_api(config(&server), profile).expect("valid config");
    let error = core
        .execute::<(), Card, String>(call("get", Method::GET, "/card", RetrySafety::Safe), None)
        .await
        .unwrap_err();
    // The excerpt redacts the sensitive field by its key; serde's message quotes the value
    // without its key, so it must not be kept.
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("987654321"), "{shown}");
    match &error {
        Error::Decode(d) => {
            assert_eq!(d.path, "holder");
            assert!(d.message.contains("expected a string"), "{}", d.message);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_hostile_error_body_cannot_forge_log_lines() {
    let server = MockServer::start().await;
    let forged = "bad\n2026-11-30T00:00:00Z INFO payment accepted\u{1b}[0m";
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": {
                "code": format!("5068{forged}"),
                "message": forged,
                "details": [forged],
                "fieldErrors": [{"field": forged, "error": forged}],
            }
        })))
        .mount(&server)
        .await;
    let error = core(&server, Protocol::Rest)
        .execute::<(), Value, String>(
            call("create", Method::POST, "/orders", RetrySafety::Never),
            None,
        )
        .await
        .unwrap_err();
    let shown = format!("{error} {error:?}");
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    let fields = [
        api.code.clone(),
        api.message.clone(),
        api.details.join(" "),
        api.field_errors
            .iter()
            .map(|f| format!("{}{}", f.field, f.error))
            .collect(),
        shown,
    ];
    for text in fields {
        assert!(
            !text.contains('\n') && !text.contains('\u{1b}'),
            "a control character got through: {text:?}"
        );
        assert!(text.contains("bad\\n2026"), "{text:?}");
    }
}

/// What comes with the answer (the envelope's metadata, the kept headers) is read for a call
/// that asks for it (`Call::with_response`, the `_with_response` methods) and left unread for
/// one that returns the value only: the same value either way, no metadata and no headers.
#[tokio::test]
async fn metadata_and_headers_only_for_a_call_that_reads_them() {
    static FRAMING: Framing = Framing {
        metadata: &["ticket"],
        headers: &["X-Request-Id"],
        ..Framing::ENVELOPE
    };
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "r-1")
                .set_body_json(
                    json!({"status": "SUCCESS", "answer": {"id": "p1"}, "ticket": "t-9"}),
                ),
        )
        .mount(&server)
        .await;
    let core = core(&server, Protocol::Framed(&FRAMING));
    let get = || call("get", Method::GET, "/p", RetrySafety::Safe);
    let full = core
        .execute_with_response::<(), Value, String>(get(), None)
        .await
        .unwrap();
    assert_eq!(full.metadata("ticket"), Some(&json!("t-9")));
    assert_eq!(
        full.headers,
        vec![("X-Request-Id".to_owned(), "r-1".to_owned())]
    );
    let mut value_only = get();
    value_only.with_response = false;
    let bare = core
        .execute_with_response::<(), Value, String>(value_only, None)
        .await
        .unwrap();
    assert_eq!(bare.value, full.value);
    assert!(
        bare.metadata.is_empty() && bare.headers.is_empty(),
        "{bare:?}"
    );
    let value: Value = core.execute::<(), _, String>(get(), None).await.unwrap();
    assert_eq!(value, json!({"id": "p1"}));
}
