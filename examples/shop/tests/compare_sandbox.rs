//! create → capture → read → refund with the SDK client alone, against payspec's sandbox: the
//! figure "lines of test code, sandbox vs wiremock by hand" of the README compares this test
//! with the same one in `compare_wiremock.rs`. Capture comes before the refund because
//! Checkout.com refunds captured payments only (the sandbox refuses it otherwise, as the API).

use payspec::checkout::sandbox::Sandbox;
use payspec::checkout::{
    ErrorCode, PaymentSourceType, PaymentStatus, PaymentsCaptureRequest, PaymentsGetRequest,
    PaymentsRefundRequest, PaymentsRequestRequest, PaymentsRequestSource,
};

#[tokio::test]
async fn create_capture_read_refund_against_the_sandbox() {
    let sandbox = Sandbox::start().await;
    let client = sandbox.client();
    let mut source = PaymentsRequestSource::new(PaymentSourceType::Token);
    source.token = Some("tok_4gzeau5o2uqubbk6fufs3m7p54".to_owned());
    let request = PaymentsRequestRequest::new(source, "EUR")
        .amount(6500)
        .reference("ORD-1")
        .capture(false);
    let payment = client.payments_request(&request).await.unwrap();
    assert_eq!(payment.status, Some(PaymentStatus::Authorized));
    let id = payment.id.unwrap();
    let sent = sandbox.requests();
    assert_eq!(sent[0].request::<PaymentsRequestRequest>(), Some(&request));

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
    assert_eq!(
        sandbox.resource("payment", &id).unwrap()["status"],
        "Partially Refunded"
    );
}
