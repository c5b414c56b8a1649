//! The offline sandbox (feature `test-util`): routing, validation answered in the API's own
//! error shape, success answers from the spec's examples, scripted faults, the request log.

use std::time::{Duration, Instant};

use payspec::checkout;
use payspec::lyra;
use payspec::runtime::sandbox::Fault;

/// A raw POST to the sandbox, bypassing the client's own validation.
async fn raw_post(url: String, auth: Option<(&str, &str)>, body: &str) -> (u16, serde_json::Value) {
    payspec::runtime::install_crypto_provider();
    let client = reqwest::Client::new();
    let mut request = client
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some((user, password)) = auth {
        request = request.basic_auth(user, Some(password));
    }
    let answer = request.send().await.expect("the sandbox answers");
    let status = answer.status().as_u16();
    let text = answer.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// The transaction the Lyra tests read: the sandbox answers `Transaction/Get` from its records
/// (a payment on the hosted form is no API call, so the test records it).
const UUID: &str = "5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5e";

async fn lyra_with_a_transaction() -> lyra::sandbox::Sandbox {
    let sandbox = lyra::sandbox::Sandbox::start().await;
    sandbox.insert(
        "transaction",
        UUID,
        serde_json::json!({"uuid": UUID, "amount": 2990, "currency": "EUR",
            "status": "PAID", "detailedStatus": "AUTHORISED", "_type": "V4/Transaction"}),
    );
    sandbox
}

/// A Checkout.com sandbox with an authorised payment of 65.00 under `id`.
async fn checkout_with_a_payment(id: &str) -> checkout::sandbox::Sandbox {
    let sandbox = checkout::sandbox::Sandbox::start().await;
    sandbox.insert(
        "payment",
        id,
        serde_json::json!({"id": id, "amount": 6500, "currency": "EUR", "status": "Authorized"}),
    );
    sandbox
}

#[tokio::test]
async fn a_dropped_sandbox_takes_no_more_connections() {
    let sandbox = lyra_with_a_transaction().await;
    let address = sandbox.base_url().trim_start_matches("http://").to_owned();
    tokio::net::TcpStream::connect(&address)
        .await
        .expect("a running sandbox accepts connections");
    drop(sandbox);
    // The accept loop ends at its next turn, and its listener with it.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        tokio::task::yield_now().await;
        if tokio::net::TcpStream::connect(&address).await.is_err() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the sandbox still listens on {address} 10 s after it was dropped"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_valid_call_succeeds_and_is_logged_typed() {
    let sandbox = lyra_with_a_transaction().await;
    let client = sandbox.client();
    let request = lyra::TransactionGetRequest::new("5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5e");
    client
        .transaction_get(&request)
        .await
        .expect("the sandbox accepts a valid call");
    let log = sandbox.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].operation, Some("Transaction/Get"));
    assert_eq!(log[0].method, "POST");
    assert_eq!(log[0].path, "/V4/Transaction/Get");
    assert_eq!(
        log[0].request::<lyra::TransactionGetRequest>(),
        Some(&request)
    );
}

#[tokio::test]
async fn success_answers_are_the_example_overlaid_with_the_request() {
    let sandbox = checkout_with_a_payment("pay_sandbox1").await;
    let client = sandbox.client();
    let request = checkout::PaymentsCaptureRequest::new("pay_sandbox1").amount(1234);
    client
        .payments_capture(&request)
        .await
        .expect("capture succeeds");
    // The path parameter is captured into the decoded request, the key header is checked.
    let log = sandbox.requests();
    let decoded = log[0]
        .request::<checkout::PaymentsCaptureRequest>()
        .expect("decoded into the request type");
    assert_eq!(decoded.id, "pay_sandbox1");
    assert_eq!(decoded.amount, Some(1234));
    assert!(log[0].header("Cko-Idempotency-Key").is_some());
}

#[tokio::test]
async fn wrong_credentials_get_the_documented_code() {
    let sandbox = lyra::sandbox::Sandbox::start().await;
    let config = payspec::ClientConfig::new(
        sandbox.base_url(),
        payspec::Credentials::basic("12345678", "testpassword_wrong"),
    )
    .danger_allow_plain_http();
    let client = lyra::Client::with_config(config).unwrap();
    let request = lyra::TransactionGetRequest::new("5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5e");
    let error = client.transaction_get(&request).await.unwrap_err();
    let api = error.api_error().expect("an API error");
    assert_eq!(api.code, lyra::ErrorCode::Int905);
}

#[tokio::test]
async fn a_request_breaking_the_spec_gets_the_invalid_answer_in_the_apis_shape() {
    let sandbox = lyra::sandbox::Sandbox::start().await;
    let credentials = sandbox.credentials();
    let credentials: payspec::runtime::Credentials = credentials.into();
    let user = credentials.user().unwrap().to_owned();
    let password = credentials.secret().expose().to_owned();
    let url = format!("{}/V4/Transaction/Get", sandbox.base_url());
    // `uuid` is required.
    let (status, body) = raw_post(url.clone(), Some((&user, &password)), "{}").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ERROR");
    assert_eq!(body["answer"]["errorCode"], "INT_902");
    let message = body["answer"]["errorMessage"].as_str().unwrap();
    assert!(message.contains("uuid"), "{message}");
    // A uuid that breaks its pattern: the generated `validate()` refuses it.
    let (_, body) = raw_post(
        url.clone(),
        Some((&user, &password)),
        r#"{"uuid": "nothex"}"#,
    )
    .await;
    assert_eq!(body["answer"]["errorCode"], "INT_902");
    // Not JSON at all.
    let (_, body) = raw_post(url.clone(), Some((&user, &password)), "{").await;
    assert_eq!(body["answer"]["errorCode"], "INT_902");
    // No credentials: 401 with INT_905.
    let (status, body) =
        raw_post(url, None, r#"{"uuid": "5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5e"}"#).await;
    assert_eq!(status, 401);
    assert_eq!(body["answer"]["errorCode"], "INT_905");
    // No operation at this path.
    let (status, _) = raw_post(format!("{}/V4/Nothing", sandbox.base_url()), None, "{}").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_keyed_call_without_its_key_is_refused() {
    let sandbox = checkout::sandbox::Sandbox::start().await;
    payspec::runtime::install_crypto_provider();
    let client = reqwest::Client::new();
    let answer = client
        .post(format!("{}/payments/pay_1/captures", sandbox.base_url()))
        .bearer_auth("sandbox-token")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 422);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["error_type"], "request_invalid");
}

#[tokio::test]
async fn a_scripted_documented_error_reaches_the_caller_typed() {
    let sandbox = lyra_with_a_transaction().await;
    sandbox
        .on(lyra::sandbox::Operation::TransactionGet)
        .respond(Fault::error("PSP_010"));
    let client = sandbox.client();
    let request = lyra::TransactionGetRequest::new("5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5e");
    let error = client.transaction_get(&request).await.unwrap_err();
    assert_eq!(error.api_error().unwrap().code, lyra::ErrorCode::Psp010);
    // Only the next call was scripted.
    client
        .transaction_get(&request)
        .await
        .expect("the next call succeeds");
}

#[tokio::test]
async fn a_reset_after_a_call_sent_at_most_once_is_an_unknown_outcome() {
    let sandbox = lyra::sandbox::Sandbox::start().await;
    sandbox
        .on(lyra::sandbox::Operation::TransactionDuplicate)
        .respond(Fault::Reset);
    let client = sandbox.client();
    let request = lyra::TransactionDuplicateRequest::new(
        "5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5e",
        30050,
        lyra::Currency::Xpf,
    );
    let error = client.transaction_duplicate(&request).await.unwrap_err();
    assert!(error.is_outcome_unknown(), "{error}");
    // Sent once, never retried.
    assert_eq!(sandbox.requests().len(), 1);
}

#[tokio::test]
async fn a_keyed_retry_reaches_the_sandbox_twice_with_the_same_key() {
    let sandbox = checkout_with_a_payment("pay_1").await;
    sandbox
        .on(checkout::sandbox::Operation::PaymentsCapture)
        .respond(Fault::Status(503));
    let client =
        checkout::Client::with_config(sandbox.config().retry_policy(fast_retries())).unwrap();
    let request = checkout::PaymentsCaptureRequest::new("pay_1");
    client
        .payments_capture(&request)
        .await
        .expect("the retry succeeds");
    let log = sandbox.requests();
    assert_eq!(log.len(), 2);
    let first = log[0].header("cko-idempotency-key").unwrap();
    assert_eq!(log[1].header("cko-idempotency-key"), Some(first));
}

#[tokio::test]
async fn five_xx_timeouts_slow_answers_and_given_bodies() {
    let sandbox = lyra_with_a_transaction().await;
    let op = lyra::sandbox::Operation::TransactionGet;
    let request = lyra::TransactionGetRequest::new("5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5e");
    let client = lyra::Client::with_config(sandbox.config().retry_policy(fast_retries())).unwrap();

    sandbox.on(op).next(10).respond(Fault::Status(500));
    let error = client.transaction_get(&request).await.unwrap_err();
    assert!(error.to_string().contains("500"), "{error}");
    let before = sandbox.requests().len();
    assert!(
        before >= 2,
        "a safe call is retried on a 5xx: {before} requests"
    );

    let sandbox = lyra::sandbox::Sandbox::start().await;
    let config = sandbox
        .config()
        .timeout(Duration::from_millis(300))
        .retry_policy(fast_retries());
    let client = lyra::Client::with_config(config).unwrap();
    sandbox.on(op).next(10).respond(Fault::Timeout);
    let started = Instant::now();
    client.transaction_get(&request).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));

    let sandbox = lyra_with_a_transaction().await;
    let client = sandbox.client();
    sandbox
        .on(op)
        .respond(Fault::Slow(Duration::from_millis(150)));
    let started = Instant::now();
    client
        .transaction_get(&request)
        .await
        .expect("a slow answer still succeeds");
    assert!(started.elapsed() >= Duration::from_millis(150));

    sandbox.on(op).respond(Fault::Body {
        status: 200,
        body: r#"{"status":"SUCCESS","answer":{"uuid":"0123456789abcdef0123456789abcdef"}}"#.into(),
    });
    let answer = client.transaction_get(&request).await.unwrap();
    assert_eq!(
        answer.uuid.as_deref(),
        Some("0123456789abcdef0123456789abcdef")
    );
}

fn fast_retries() -> payspec::RetryPolicy {
    let mut policy = payspec::RetryPolicy::default();
    policy.initial_backoff = Duration::from_millis(1);
    policy.max_backoff = Duration::from_millis(5);
    policy
}
