//! The generated Lyra client against a real HTTP server on loopback: the exact request on the
//! wire, and typed decoding of success and error envelopes.

use payspec::lyra::{
    Client, Currency, DetailedStatus, ErrorCode, ManualValidation,
    TransactionDuplicateCardDuplicate, TransactionDuplicateRequest, TransactionGetRequest,
    TransactionStatus,
};
use payspec::runtime::Error;
use payspec::{ClientConfig, Credentials, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SHOP: &str = "69876357";
const PASSWORD: &str = "testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M";
const UUID: &str = "0d2a6e1f6b5f4e2a9c3b7d8e9f0a1b2c";

fn client(server: &MockServer) -> Client {
    let config = ClientConfig::new(server.uri(), Credentials::basic(SHOP, PASSWORD))
        .retry_policy(RetryPolicy::none());
    Client::with_config(config).expect("loopback http is allowed")
}

fn basic_auth() -> String {
    // base64("69876357:testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M"), computed independently.
    "Basic Njk4NzYzNTc6dGVzdHBhc3N3b3JkX0RFTU9QUklWQVRFS0VZMjNHNDQ3NXpYWlEyVUE1eDdN".to_owned()
}

fn transaction_answer() -> serde_json::Value {
    json!({
        "shopId": SHOP,
        "uuid": "5b4c3d2e1f0a4b5c8d7e6f5a4b3c2d1e",
        "amount": 30050,
        "currency": "XPF",
        "paymentMethodType": "CARD",
        "paymentMethodToken": null,
        "status": "PAID",
        "detailedStatus": "AUTHORISED",
        "operationType": "DEBIT",
        "effectiveStrongAuthentication": "DISABLED",
        "creationDate": "2026-11-22T10:15:30+00:00",
        "errorCode": null,
        "metadata": { "orderInfo": "gift" },
        "someFieldAddedLater": { "anything": [1, 2] },
        "transactionDetails": {
            "liabilityShift": "NO",
            "cardDetails": {
                "manualValidation": "NO",
                "expectedCaptureDate": "2026-11-25T10:15:30+00:00",
                "effectiveBrand": "VISA",
                "pan": "497010XXXXXX0055",
                "expiryMonth": 11,
                "expiryYear": "2027",
                "_type": "V4/CardDetails"
            },
            "_type": "V4/TransactionDetails"
        },
        "_type": "V4/Transaction"
    })
}

fn envelope(status: &str, answer: serde_json::Value) -> serde_json::Value {
    json!({
        "webService": "Transaction\\/Duplicate",
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

#[tokio::test]
async fn duplicate_sends_the_exact_request_and_decodes_the_transaction() {
    let server = MockServer::start().await;
    let expected_body = json!({
        "uuid": UUID,
        "amount": 30050,
        "currency": "XPF",
        "orderId": "order-2026-001",
        "metadata": { "orderInfo": "gift" },
        "cardDuplicate": { "captureDelay": 3, "manualValidation": null }
    });
    Mock::given(method("POST"))
        .and(path("/V4/Transaction/Duplicate"))
        .and(header("authorization", basic_auth().as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected_body))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(envelope("SUCCESS", transaction_answer())),
        )
        .expect(1)
        .mount(&server)
        .await;

    let request = TransactionDuplicateRequest::new(UUID, 30050, Currency::Xpf)
        .order_id("order-2026-001")
        .metadata([("orderInfo".to_owned(), "gift".to_owned())].into())
        .card_duplicate(
            TransactionDuplicateCardDuplicate::new()
                .capture_delay(3)
                .manual_validation(ManualValidation::ShopDefault),
        );
    let transaction = client(&server)
        .transaction_duplicate(&request)
        .await
        .expect("success envelope");

    assert_eq!(transaction.amount, Some(30050.into()));
    assert_eq!(transaction.currency, Some(Currency::Xpf));
    assert_eq!(
        transaction.currency.as_ref().and_then(Currency::digits),
        Some(0)
    );
    assert_eq!(transaction.status, Some(TransactionStatus::Paid));
    assert_eq!(
        transaction.detailed_status,
        Some(DetailedStatus::Authorised)
    );
    let card = transaction
        .transaction_details
        .and_then(|d| d.card_details)
        .expect("card details");
    assert_eq!(card.manual_validation, Some(ManualValidation::No));
    assert_eq!(
        card.expiry_year,
        Some(2027.into()),
        "a number sent as a string still decodes"
    );
}

#[tokio::test]
async fn an_absent_optional_is_not_sent_and_an_explicit_null_is() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/V4/Transaction/Duplicate"))
        .and(body_json(json!({
            "uuid": UUID, "amount": 100, "currency": "EUR",
            "cardDuplicate": { "captureDelay": null }
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(envelope("SUCCESS", transaction_answer())),
        )
        .expect(1)
        .mount(&server)
        .await;
    let request = TransactionDuplicateRequest::new(UUID, 100, Currency::Eur).card_duplicate(
        TransactionDuplicateCardDuplicate::new().capture_delay(payspec::Nullable::Null),
    );
    client(&server)
        .transaction_duplicate(&request)
        .await
        .expect("success envelope");
}

#[tokio::test]
async fn an_error_envelope_is_a_typed_api_error() {
    let server = MockServer::start().await;
    let answer = json!({
        "errorCode": "PSP_016",
        "errorMessage": "duplication forbidden",
        "detailedErrorCode": "04",
        "detailedErrorMessage": "refused with reason 04",
        "ticket": "7c0e4b2a",
        "shopId": SHOP,
        "_type": "V4/WebService/WebServiceError"
    });
    Mock::given(method("POST"))
        .and(path("/V4/Transaction/Duplicate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("ERROR", answer)))
        .expect(1)
        .mount(&server)
        .await;
    let request = TransactionDuplicateRequest::new(UUID, 100, Currency::Eur);
    let error = client(&server)
        .transaction_duplicate(&request)
        .await
        .expect_err("error envelope");
    assert_eq!(error.api_code(), Some(&ErrorCode::Psp016));
    match &error {
        Error::Api(api) => {
            assert_eq!(api.message, "duplication forbidden");
            assert_eq!(api.detailed_code.as_deref(), Some("04"));
            assert_eq!(
                api.detailed_message.as_deref(),
                Some("refused with reason 04")
            );
            assert_eq!(api.ticket.as_deref(), Some("7c0e4b2a"));
            assert_eq!(api.http_status, 200);
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unlisted_error_code_still_decodes() {
    let server = MockServer::start().await;
    let answer = json!({ "errorCode": "PSP_777", "errorMessage": "new", "detailedErrorCode": null, "detailedErrorMessage": null });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("ERROR", answer)))
        .mount(&server)
        .await;
    let error = client(&server)
        .transaction_get(&TransactionGetRequest::new(UUID))
        .await
        .expect_err("error");
    assert_eq!(
        error.api_code(),
        Some(&ErrorCode::Unknown("PSP_777".to_owned()))
    );
}

#[tokio::test]
async fn get_tolerates_unknown_values_and_fields() {
    let server = MockServer::start().await;
    let mut answer = transaction_answer();
    answer["detailedStatus"] = json!("SOMETHING_NEW");
    answer["currency"] = json!("ZZZ");
    Mock::given(method("POST"))
        .and(path("/V4/Transaction/Get"))
        .and(body_json(json!({ "uuid": UUID })))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("SUCCESS", answer)))
        .expect(1)
        .mount(&server)
        .await;
    let transaction = client(&server)
        .transaction_get(&TransactionGetRequest::new(UUID))
        .await
        .expect("decodes");
    assert_eq!(
        transaction.detailed_status,
        Some(DetailedStatus::Unknown("SOMETHING_NEW".to_owned()))
    );
    assert_eq!(
        transaction.currency,
        Some(Currency::Unknown("ZZZ".to_owned()))
    );
}

#[tokio::test]
async fn constraints_are_checked_before_any_io() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server);
    let cases = [
        (
            TransactionDuplicateRequest::new(UUID, 100, Currency::Eur).order_id("commande-é"),
            "orderId",
        ),
        (
            TransactionDuplicateRequest::new(UUID, 100, Currency::Eur)
                .card_duplicate(TransactionDuplicateCardDuplicate::new().capture_delay(366)),
            "cardDuplicate.captureDelay",
        ),
        (
            TransactionDuplicateRequest::new("not-a-uuid", 100, Currency::Eur),
            "uuid",
        ),
        (
            TransactionDuplicateRequest::new(UUID, 100, Currency::Eur).order_id("x".repeat(65)),
            "orderId",
        ),
    ];
    for (request, expected_path) in cases {
        match client.transaction_duplicate(&request).await {
            Err(Error::InvalidRequest(invalid)) => assert_eq!(invalid.path, expected_path),
            other => panic!("expected an invalid request at {expected_path}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn sensitive_answer_fields_never_reach_error_texts() {
    let server = MockServer::start().await;
    // An answer that fails to decode (a string where an integer belongs) and carries the
    // card holder's name and a token: the error keeps an excerpt of the body, redacted.
    let mut answer = transaction_answer();
    answer["amount"] = json!("thirty");
    answer["paymentMethodToken"] = json!("TokenCanary4242abcd");
    answer["transactionDetails"]["cardDetails"]["cardHolderName"] = json!("Zoe CANARYHOLDER");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("SUCCESS", answer)))
        .mount(&server)
        .await;
    let error = client(&server)
        .transaction_get(&TransactionGetRequest::new(UUID))
        .await
        .expect_err("undecodable");
    let texts = format!("{error}\n{error:?}");
    assert!(
        texts.contains("amount"),
        "the error still says where decoding failed: {texts}"
    );
    assert!(
        texts.contains(r#"\"paymentMethodToken\":\"<redacted>\""#),
        "the excerpt reaches the token: {texts}"
    );
    for canary in ["CANARYHOLDER", "TokenCanary4242abcd"] {
        assert!(!texts.contains(canary), "{canary} leaked: {texts}");
    }
}

#[tokio::test]
async fn an_extra_parameter_cannot_shadow_a_documented_one() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let request = TransactionGetRequest::new(UUID).extra_param("uuid", "0000");
    match client(&server).transaction_get(&request).await {
        Err(Error::InvalidRequest(invalid)) => {
            assert_eq!(invalid.path, "uuid");
            assert_eq!(invalid.rule, payspec::runtime::Rule::Documented);
        }
        other => panic!("expected an invalid request, got {other:?}"),
    }
}

#[tokio::test]
async fn an_extra_parameter_is_sent_beside_the_documented_ones() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/V4/Transaction/Get"))
        .and(body_json(json!({ "uuid": UUID, "newVendorFlag": true })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(envelope("SUCCESS", transaction_answer())),
        )
        .expect(1)
        .mount(&server)
        .await;
    let request = TransactionGetRequest::new(UUID).extra_param("newVendorFlag", true);
    client(&server)
        .transaction_get(&request)
        .await
        .expect("sent");
}

fn retrying_client(server: &MockServer) -> Client {
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(std::time::Duration::from_millis(5))
        .max_backoff(std::time::Duration::from_millis(20));
    let config =
        ClientConfig::new(server.uri(), Credentials::basic(SHOP, PASSWORD)).retry_policy(policy);
    Client::with_config(config).expect("loopback http is allowed")
}

#[tokio::test]
async fn a_try_again_code_retries_a_read_but_never_a_payment() {
    let quota = json!({ "errorCode": "PSP_106", "errorMessage": "quota exceeded", "detailedErrorCode": null, "detailedErrorMessage": null });
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("ERROR", quota)))
        .mount(&server)
        .await;
    let client = retrying_client(&server);
    let error = client
        .transaction_get(&TransactionGetRequest::new(UUID))
        .await
        .expect_err("quota");
    assert_eq!(error.api_code(), Some(&ErrorCode::Psp106));
    assert_eq!(
        server.received_requests().await.map(|r| r.len()),
        Some(3),
        "a read is retried up to the policy"
    );

    server.reset().await;
    let quota = json!({ "errorCode": "PSP_106", "errorMessage": "quota exceeded", "detailedErrorCode": null, "detailedErrorMessage": null });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("ERROR", quota)))
        .mount(&server)
        .await;
    let request = TransactionDuplicateRequest::new(UUID, 100, Currency::Eur);
    let error = client
        .transaction_duplicate(&request)
        .await
        .expect_err("quota");
    assert_eq!(error.api_code(), Some(&ErrorCode::Psp106));
    assert_eq!(
        server.received_requests().await.map(|r| r.len()),
        Some(1),
        "a payment is sent once"
    );
}

#[tokio::test]
async fn a_code_that_is_not_a_try_again_code_is_not_retried() {
    let server = MockServer::start().await;
    let answer = json!({ "errorCode": "PSP_010", "errorMessage": "not found", "detailedErrorCode": null, "detailedErrorMessage": null });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("ERROR", answer)))
        .expect(1)
        .mount(&server)
        .await;
    let error = retrying_client(&server)
        .transaction_get(&TransactionGetRequest::new(UUID))
        .await
        .expect_err("not found");
    assert_eq!(error.api_code(), Some(&ErrorCode::Psp010));
}

#[tokio::test]
async fn one_call_can_have_its_own_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(envelope("SUCCESS", transaction_answer()))
                .set_delay(std::time::Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    let config = ClientConfig::new(server.uri(), Credentials::basic(SHOP, PASSWORD))
        .timeout(std::time::Duration::from_millis(100))
        .retry_policy(RetryPolicy::none());
    let client = Client::with_config(config).expect("client");
    let request = TransactionGetRequest::new(UUID);
    assert!(
        matches!(
            client.transaction_get(&request).await,
            Err(Error::Timeout { .. })
        ),
        "100 ms is too short"
    );
    client
        .with_timeout(std::time::Duration::from_secs(5))
        .transaction_get(&request)
        .await
        .expect("the longer timeout of this one call is enough");
}

fn create_payment_request() -> payspec::lyra::ChargeCreatePaymentRequest {
    payspec::lyra::ChargeCreatePaymentRequest::new(2990, Currency::Eur)
        .form_action(payspec::lyra::FormAction::Silent)
        .payment_method_token("b6e51ba31f934ac5b25ccad2a52ccd56")
}

async fn create_payment_answers(
    answer: serde_json::Value,
) -> payspec::lyra::ChargeCreatePaymentAnswer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/V4/Charge/CreatePayment"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("SUCCESS", answer)))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .charge_create_payment(&create_payment_request())
        .await
        .expect("decodes")
}

/// A payment made at once (`formAction: SILENT`) answers the `V4/Payment` itself: every field
/// reaches the caller, where it used to decode as an empty `PaymentForm`.
#[tokio::test]
async fn create_payment_answered_by_a_payment_gives_the_payment() {
    use payspec::lyra::{ChargeCreatePaymentAnswer, OrderStatus};
    let answer = json!({
        "shopId": SHOP,
        "orderCycle": "CLOSED",
        "orderStatus": "PAID",
        "serverDate": "2026-11-22T10:15:31+00:00",
        "orderDetails": { "orderTotalAmount": 2990, "orderCurrency": "EUR", "orderId": "CMD-42", "_type": "V4/OrderDetails" },
        "transactions": [transaction_answer()],
        "_type": "V4/Payment"
    });
    let decoded = create_payment_answers(answer.clone()).await;
    let ChargeCreatePaymentAnswer::Payment(payment) = &decoded else {
        panic!("a Payment answer, got {decoded:?}");
    };
    assert_eq!(payment.order_status, Some(OrderStatus::Paid));
    assert_eq!(payment.shop_id.as_deref(), Some(SHOP));
    let transactions = payment.transactions.as_deref().unwrap_or_default();
    assert_eq!(transactions.len(), 1);
    assert_eq!(transactions[0].amount, Some(30050.into()));
    assert_eq!(decoded.tag(), Some("V4/Payment"));
    // Encoded back, the variant gives the answer's fields again, its own tag included.
    let back = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(back["_type"], "V4/Payment");
    assert_eq!(back["orderDetails"]["orderId"], "CMD-42");
    assert_eq!(back["transactions"][0]["_type"], "V4/Transaction");
}

#[tokio::test]
async fn create_payment_answered_by_a_form_gives_the_form() {
    use payspec::lyra::ChargeCreatePaymentAnswer;
    let answer = json!({ "formToken": "01abCdEf", "_type": "V4/Charge/PaymentForm" });
    let decoded = create_payment_answers(answer).await;
    let ChargeCreatePaymentAnswer::PaymentForm(form) = decoded else {
        panic!("a PaymentForm answer, got {decoded:?}");
    };
    assert_eq!(form.form_token.as_deref(), Some("01abCdEf"));
}

#[tokio::test]
async fn create_payment_answered_by_an_unknown_type_keeps_the_json() {
    use payspec::lyra::ChargeCreatePaymentAnswer;
    let answer = json!({ "something": { "new": [1, 2] }, "_type": "V4/Charge/SomethingNew" });
    let decoded = create_payment_answers(answer.clone()).await;
    assert_eq!(decoded, ChargeCreatePaymentAnswer::Other(answer.clone()));
    assert_eq!(serde_json::to_value(&decoded).expect("encodes"), answer);
}

/// An answer tagged as another type than the operation's one answer type is an error that
/// names the discriminator and both tags; never `Ok` with every field empty.
#[tokio::test]
async fn get_refuses_an_answer_tagged_as_another_type() {
    let server = MockServer::start().await;
    let answer = json!({
        "subscriptionId": "SUB-1",
        "paymentMethodToken": "b6e51ba31f934ac5b25ccad2a52ccd56",
        "_type": "V4/Subscription\u{1b}[31m"
    });
    Mock::given(method("POST"))
        .and(path("/V4/Transaction/Get"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("SUCCESS", answer)))
        .expect(1)
        .mount(&server)
        .await;
    let error = client(&server)
        .transaction_get(&TransactionGetRequest::new(UUID))
        .await
        .expect_err("another type");
    let Error::Decode(decode) = &error else {
        panic!("a decoding error, got {error:?}");
    };
    assert_eq!(decode.operation, "Transaction/Get");
    assert!(decode.path.contains("_type"), "{decode:?}");
    assert!(
        decode.message.starts_with(
            r"the object is tagged V4/Subscription\u{1b}[31m, expected _type V4/Transaction"
        ),
        "{decode:?}"
    );
    assert!(!format!("{error}").contains('\u{1b}'), "{error}");
}

/// APIs that send no discriminator (or answers without one) still decode.
#[tokio::test]
async fn get_accepts_an_answer_without_a_tag() {
    let server = MockServer::start().await;
    let mut answer = transaction_answer();
    answer.as_object_mut().map(|o| o.remove("_type"));
    Mock::given(method("POST"))
        .and(path("/V4/Transaction/Get"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("SUCCESS", answer)))
        .mount(&server)
        .await;
    let transaction = client(&server)
        .transaction_get(&TransactionGetRequest::new(UUID))
        .await
        .expect("decodes");
    assert_eq!(
        transaction.uuid.as_deref(),
        Some("5b4c3d2e1f0a4b5c8d7e6f5a4b3c2d1e")
    );
}

/// The envelope's metadata (the spec's `framing.metadata`) is reachable from the
/// `_with_response` method, beside the same answer the plain method returns.
#[tokio::test]
async fn a_success_keeps_the_envelope_metadata() {
    let server = MockServer::start().await;
    let mut body = envelope("SUCCESS", transaction_answer());
    body["ticket"] = json!("t-9f2c");
    Mock::given(method("POST"))
        .and(path("/V4/Transaction/Get"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let request = TransactionGetRequest::new(UUID);
    let response = client(&server)
        .transaction_get_with_response(&request)
        .await
        .expect("success envelope");
    assert_eq!(response.http_status, 200);
    assert_eq!(response.value.status, Some(TransactionStatus::Paid));
    assert_eq!(response.metadata("ticket"), Some(&json!("t-9f2c")));
    assert_eq!(
        response.metadata("serverDate"),
        Some(&json!("2026-11-22T10:15:31+00:00"))
    );
    assert_eq!(
        response.metadata("applicationVersion"),
        Some(&json!("6.5.0"))
    );
    assert_eq!(
        response.metadata("applicationProvider"),
        Some(&json!("EPAYNC"))
    );
    assert_eq!(
        response.metadata("webService"),
        Some(&json!("Transaction\\/Duplicate"))
    );
    // Absent from this answer: not in the map.
    assert_eq!(response.metadata("mode"), None);
    assert!(response.headers.is_empty());
    let plain = client(&server)
        .transaction_get(&request)
        .await
        .expect("success envelope");
    assert_eq!(plain, response.value);
}

/// An ERROR envelope whose answer carries no error code, on an operation sent at most once, is
/// an API error without a code (`without_code: api_error`): the server said error, so the
/// outcome is known; it is never `OutcomeUnknown` nor a decoding error (issue 16).
#[tokio::test]
async fn a_malformed_error_envelope_on_a_never_operation_is_an_api_error() {
    for answer in [
        json!({ "errorMessage": "something failed", "_type": "V4/WebService/WebServiceError" }),
        json!("not an object"),
        json!(null),
    ] {
        let server = MockServer::start().await;
        let mut body = envelope("ERROR", answer);
        body["ticket"] = json!("null");
        Mock::given(method("POST"))
            .and(path("/V4/Transaction/Duplicate"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .expect(1)
            .mount(&server)
            .await;
        let request = TransactionDuplicateRequest::new(UUID, 100, Currency::Eur);
        let error = client(&server)
            .transaction_duplicate(&request)
            .await
            .expect_err("error envelope");
        let api = error
            .api_error()
            .unwrap_or_else(|| panic!("an API error, got {error:?}"));
        assert_eq!(api.code, ErrorCode::Unknown(String::new()));
        assert_eq!(api.http_status, 200);
        assert_eq!(api.ticket, None, "the text \"null\" is no ticket");
        assert_eq!(api.body["status"], "ERROR");
    }
}

/// The error object of an ERROR envelope decodes into the spec's `WebServiceError`
/// (`errors.type`), through `lyra::error_body` and `ApiError::typed_body` alike: every
/// documented field typed, an unknown one kept in `extra`.
#[tokio::test]
async fn an_error_envelope_has_a_typed_body_with_every_field() {
    let server = MockServer::start().await;
    let answer = json!({
        "errorCode": "PSP_016",
        "errorMessage": "duplication forbidden",
        "detailedErrorCode": "04",
        "detailedErrorMessage": "refused with reason 04",
        "ticket": "7c0e4b2a",
        "shopId": SHOP,
        "errorFields": ["amount"],
        "_type": "V4/WebService/WebServiceError"
    });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("ERROR", answer)))
        .mount(&server)
        .await;
    let request = TransactionDuplicateRequest::new(UUID, 100, Currency::Eur);
    let error = client(&server)
        .transaction_duplicate(&request)
        .await
        .expect_err("error envelope");
    let api = error.api_error().expect("an API error");
    let body: payspec::lyra::ErrorBody = payspec::lyra::error_body(api).expect("typed body");
    assert_eq!(body.error_code, Some(ErrorCode::Psp016));
    assert_eq!(body.error_message.as_deref(), Some("duplication forbidden"));
    assert_eq!(body.detailed_error_code.as_deref(), Some("04"));
    assert_eq!(
        body.detailed_error_message.as_deref(),
        Some("refused with reason 04")
    );
    assert_eq!(body.ticket.as_deref(), Some("7c0e4b2a"));
    assert_eq!(body.shop_id.as_deref(), Some(SHOP));
    assert_eq!(body.extra["errorFields"], json!(["amount"]));
    assert_eq!(api.typed_body().expect("the same"), body);
}

/// An error object that does not decode into its type is a `DecodeError` with the path that
/// failed (from the body), never a default value; the API error itself is still there.
#[tokio::test]
async fn a_typed_error_body_that_does_not_decode_is_an_error_with_its_path() {
    let server = MockServer::start().await;
    let answer = json!({ "errorCode": "PSP_016", "errorMessage": {"text": "not a string"} });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(envelope("ERROR", answer)))
        .mount(&server)
        .await;
    let error = client(&server)
        .transaction_get(&TransactionGetRequest::new(UUID))
        .await
        .expect_err("error envelope");
    let api = error.api_error().expect("an API error");
    assert_eq!(api.code, ErrorCode::Psp016);
    let failure = api.typed_body().expect_err("errorMessage is no string");
    assert_eq!(failure.path, "answer.errorMessage");
    assert!(failure.message.contains("invalid type"), "{failure:?}");
}
