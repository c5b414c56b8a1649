//! The test of `compare_sandbox.rs` written as a user would without payspec's testing kit: a
//! wiremock server with every answer written by hand. It checks less than the sandbox's
//! (nothing validates the requests against the spec, and the state — authorised, captured,
//! refunded up to the amount — is only what the mocks were told to answer), and says more.

use payspec::checkout::{
    self, ErrorCode, PaymentSourceType, PaymentStatus, PaymentsCaptureRequest, PaymentsGetRequest,
    PaymentsRefundRequest, PaymentsRequestRequest, PaymentsRequestSource,
};
use serde_json::json;
use wiremock::matchers::{body_json, body_partial_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn create_capture_read_refund_against_wiremock() {
    let server = MockServer::start().await;
    let bearer = "Bearer sk_sbox_test";
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(header("authorization", bearer))
        .and(header_exists("cko-idempotency-key"))
        .and(body_partial_json(json!({
            "source": {"type": "token", "token": "tok_4gzeau5o2uqubbk6fufs3m7p54"},
            "amount": 6500, "currency": "EUR", "reference": "ORD-1", "capture": false
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "id": "pay_mbabizu24mvu3mela5njyhpit4", "action_id": "act_1", "amount": 6500,
            "currency": "EUR", "approved": true, "status": "Authorized"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/payments/pay_mbabizu24mvu3mela5njyhpit4/captures"))
        .and(header("authorization", bearer))
        .and(header_exists("cko-idempotency-key"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"action_id": "act_2"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/payments/pay_mbabizu24mvu3mela5njyhpit4"))
        .and(header("authorization", bearer))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "pay_mbabizu24mvu3mela5njyhpit4", "amount": 6500, "currency": "EUR",
            "approved": true, "status": "Captured"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/payments/pay_mbabizu24mvu3mela5njyhpit4/refunds"))
        .and(header("authorization", bearer))
        .and(header_exists("cko-idempotency-key"))
        .and(body_json(json!({"amount": 2500})))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"action_id": "act_3"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/payments/pay_mbabizu24mvu3mela5njyhpit4/refunds"))
        .and(header("authorization", bearer))
        .and(body_json(json!({"amount": 4001})))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "request_id": "req_1", "error_type": "request_invalid",
            "error_codes": ["refund_amount_exceeds_balance"]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let config =
        payspec::ClientConfig::new(server.uri(), payspec::Credentials::bearer("sk_sbox_test"))
            .danger_allow_plain_http();
    let client = checkout::Client::with_config(config).unwrap();

    let mut source = PaymentsRequestSource::new(PaymentSourceType::Token);
    source.token = Some("tok_4gzeau5o2uqubbk6fufs3m7p54".to_owned());
    let request = PaymentsRequestRequest::new(source, "EUR")
        .amount(6500)
        .reference("ORD-1")
        .capture(false);
    let payment = client.payments_request(&request).await.unwrap();
    assert_eq!(payment.status, Some(PaymentStatus::Authorized));
    let id = payment.id.unwrap();

    client
        .payments_capture(&PaymentsCaptureRequest::new(id.as_str()))
        .await
        .unwrap();
    let read = client
        .payments_get(&PaymentsGetRequest::new(id.as_str()))
        .await
        .unwrap();
    assert_eq!(read.status, Some(PaymentStatus::Captured));
    assert_eq!(read.amount.map(|a| *a), Some(6500));

    client
        .payments_refund(&PaymentsRefundRequest::new(id.as_str()).amount(2500))
        .await
        .unwrap();
    let error = client
        .payments_refund(&PaymentsRefundRequest::new(id.as_str()).amount(4001))
        .await
        .unwrap_err();
    assert_eq!(
        error.api_code(),
        Some(&ErrorCode::RefundAmountExceedsBalance)
    );
}
