//! The stateful sandbox: what an operation does to a resource (the `sandbox` of an operation in
//! the spec) — records created, read back, changed from allowed states only, amounts consumed
//! and refused beyond what is left, unknown ids answered as the vendor documents — and the
//! answers kept per idempotency key.

use payspec::checkout;
use payspec::lyra;
use payspec::mollie;
use payspec::paysafe;
use payspec::runtime::sandbox::Fault;
use serde_json::json;

const UUID: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

#[tokio::test]
async fn a_paysafe_order_is_created_read_settled_and_refunded_up_to_its_amount() {
    let sandbox = paysafe::sandbox::Sandbox::start().await;
    let client = sandbox.client();
    let order = client
        .orders_process(&paysafe::OrdersProcessRequest::new(
            "ORDER-77",
            paysafe::Currency::Eur,
            1000,
        ))
        .await
        .expect("the order is created");
    let id = order.id.clone().expect("a new id");
    assert_ne!(id, "27HBQSY9R5EGQSRA0A", "not the example's id");

    // Read back: what was created, with the request's values.
    let read = client
        .orders_get(&paysafe::OrdersGetRequest::new(id.as_str()))
        .await
        .expect("the order is found");
    assert_eq!(read.id.as_deref(), Some(id.as_str()));
    assert_eq!(read.merchant_ref_num.as_deref(), Some("ORDER-77"));
    assert_eq!(sandbox.resource("order", &id).unwrap()["totalAmount"], 1000);

    // Settlements and refunds each consume from the 10.00 ordered.
    client
        .orders_settle(&paysafe::OrdersSettleRequest::new(id.as_str()).amount(1000))
        .await
        .expect("settled");
    let refund = client
        .orders_refund(&paysafe::OrdersRefundRequest::new(id.as_str()).amount(600))
        .await
        .expect("a partial refund");
    assert_eq!(
        refund.amount.map(|a| *a),
        Some(600),
        "the refund record carries the request's amount"
    );
    let error = client
        .orders_refund(&paysafe::OrdersRefundRequest::new(id.as_str()).amount(500))
        .await
        .expect_err("5.00 is more than the 4.00 left");
    assert_eq!(error.http_status(), Some(400), "{error}");
    // Without an amount, what is left; then nothing is left.
    client
        .orders_refund(&paysafe::OrdersRefundRequest::new(id.as_str()))
        .await
        .expect("the rest is refunded");
    let error = client
        .orders_refund(&paysafe::OrdersRefundRequest::new(id.as_str()).amount(1))
        .await
        .expect_err("nothing left");
    assert_eq!(error.http_status(), Some(400), "{error}");

    // An id the sandbox never made.
    let error = client
        .orders_get(&paysafe::OrdersGetRequest::new("NOPE"))
        .await
        .expect_err("unknown order");
    assert_eq!(error.http_status(), Some(404), "{error}");
}

#[tokio::test]
async fn operations_sharing_a_method_and_path_are_told_apart_by_their_bodies() {
    // `orders/cancelHeld` and `orders/updateHeld` are both PUT /hosted/v1/orders/{id}; only the
    // cancellation changes the record, and only from `held`.
    let sandbox = paysafe::sandbox::Sandbox::start().await;
    sandbox.insert(
        "order",
        "ORD1",
        json!({"id": "ORD1", "totalAmount": 500, "transaction": {"status": "held"}}),
    );
    let client = sandbox.client();
    let approve = paysafe::OrdersUpdateHeldRequest::new(
        "ORD1",
        paysafe::OrdersUpdateHeldTransaction::new(paysafe::HeldOrderDecision::Success),
    );
    client.orders_update_held(&approve).await.expect("approved");
    assert_eq!(
        sandbox.requests()[0].operation,
        Some("orders/updateHeld"),
        "a body only updateHeld takes"
    );
    assert_eq!(
        sandbox.resource("order", "ORD1").unwrap()["transaction"]["status"],
        "held"
    );
    let cancel = paysafe::OrdersCancelHeldRequest::new(
        "ORD1",
        paysafe::OrdersCancelHeldTransaction::new(paysafe::HeldOrderCancellation::Cancelled),
    );
    client.orders_cancel_held(&cancel).await.expect("cancelled");
    assert_eq!(sandbox.requests()[1].operation, Some("orders/cancelHeld"));
    assert_eq!(
        sandbox.resource("order", "ORD1").unwrap()["transaction"]["status"],
        "cancelled"
    );
    let error = client
        .orders_cancel_held(&cancel)
        .await
        .expect_err("no longer held");
    assert_eq!(error.http_status(), Some(400), "{error}");
}

#[tokio::test]
async fn a_lyra_transaction_changes_only_from_the_documented_states() {
    let sandbox = lyra::sandbox::Sandbox::start().await;
    // A payment on the hosted form is no API call: the test records the transaction.
    sandbox.insert(
        "transaction",
        UUID,
        json!({"uuid": UUID, "amount": 1500, "currency": "EUR", "status": "RUNNING",
            "detailedStatus": "AUTHORISED_TO_VALIDATE", "_type": "V4/Transaction"}),
    );
    let client = sandbox.client();
    let validated = client
        .transaction_validate(&lyra::TransactionValidateRequest::new(UUID))
        .await
        .expect("a transaction to validate is validated");
    assert_eq!(
        validated.detailed_status,
        Some(lyra::DetailedStatus::Authorised)
    );
    let error = client
        .transaction_validate(&lyra::TransactionValidateRequest::new(UUID))
        .await
        .expect_err("validated twice");
    assert_eq!(error.api_error().unwrap().code, lyra::ErrorCode::Psp011);

    let read = client
        .transaction_get(&lyra::TransactionGetRequest::new(UUID))
        .await
        .expect("read");
    assert_eq!(read.detailed_status, Some(lyra::DetailedStatus::Authorised));
    assert_eq!(read.amount.map(|a| *a), Some(1500));

    client
        .transaction_cancel(&lyra::TransactionCancelRequest::new(UUID))
        .await
        .expect("an authorised transaction is cancelled");
    let record = sandbox.resource("transaction", UUID).unwrap();
    assert_eq!(record["detailedStatus"], "CANCELLED");
    assert_eq!(record["status"], "UNPAID");
    let error = client
        .transaction_cancel(&lyra::TransactionCancelRequest::new(UUID))
        .await
        .expect_err("cancelled twice");
    assert_eq!(error.api_error().unwrap().code, lyra::ErrorCode::Psp011);

    let error = client
        .transaction_get(&lyra::TransactionGetRequest::new(
            "ffffffffffffffffffffffffffffffff",
        ))
        .await
        .expect_err("unknown transaction");
    assert_eq!(error.api_error().unwrap().code, lyra::ErrorCode::Psp010);
}

#[tokio::test]
async fn a_lyra_duplicate_is_a_new_transaction_made_only_from_a_duplicable_one() {
    let sandbox = lyra::sandbox::Sandbox::start().await;
    sandbox.insert(
        "transaction",
        UUID,
        json!({"uuid": UUID, "amount": 1500, "currency": "EUR", "status": "AUTHORISED",
            "detailedStatus": "AUTHORISED", "_type": "V4/Transaction"}),
    );
    let client = sandbox.client();
    let again = lyra::TransactionDuplicateRequest::new(UUID, 990, lyra::Currency::Eur);
    // An authorised transaction is not duplicable: the documented refusal, nothing made.
    let error = client
        .transaction_duplicate(&again)
        .await
        .expect_err("AUTHORISED is not duplicable");
    assert_eq!(error.api_error().unwrap().code, lyra::ErrorCode::Psp613);

    // Once cancelled, it is.
    client
        .transaction_cancel(&lyra::TransactionCancelRequest::new(UUID))
        .await
        .expect("cancelled");
    let copy = client
        .transaction_duplicate(&again)
        .await
        .expect("a cancelled transaction is duplicated");
    let new_uuid = copy.uuid.clone().expect("the new transaction has a uuid");
    assert_ne!(new_uuid, UUID, "a transaction of its own");
    assert_eq!(copy.amount.map(|a| *a), Some(990), "the request's amount");
    // It is recorded: Get finds it; the source is unchanged.
    let read = client
        .transaction_get(&lyra::TransactionGetRequest::new(new_uuid.as_str()))
        .await
        .expect("the duplicate is read back");
    assert_eq!(read.uuid.as_deref(), Some(new_uuid.as_str()));
    assert_eq!(
        sandbox.resource("transaction", UUID).unwrap()["detailedStatus"],
        "CANCELLED"
    );

    let error = client
        .transaction_duplicate(&lyra::TransactionDuplicateRequest::new(
            "ffffffffffffffffffffffffffffffff",
            990,
            lyra::Currency::Eur,
        ))
        .await
        .expect_err("unknown source");
    assert_eq!(error.api_error().unwrap().code, lyra::ErrorCode::Psp010);
}

#[tokio::test]
async fn lyra_cancel_or_refund_cancels_before_capture_and_refunds_after_as_documented() {
    const CAPTURED: &str = "1a1b2c3d4e5f60718293a4b5c6d7e8f9";
    let sandbox = lyra::sandbox::Sandbox::start().await;
    let transaction = |uuid: &str, status: &str| {
        json!({"uuid": uuid, "amount": 1500, "currency": "EUR", "status": "PAID",
            "detailedStatus": status, "operationType": "DEBIT", "_type": "V4/Transaction"})
    };
    sandbox.insert("transaction", UUID, transaction(UUID, "AUTHORISED"));
    sandbox.insert("transaction", CAPTURED, transaction(CAPTURED, "CAPTURED"));
    let client = sandbox.client();
    let call = |uuid: &str| lyra::TransactionCancelOrRefundRequest::new(uuid);

    // Refunding what is not captured yet, when asked for a refund only: PSP_076, nothing done.
    let error = client
        .transaction_cancel_or_refund(&call(UUID).resolution_mode(lyra::ResolutionMode::RefundOnly))
        .await
        .expect_err("not captured: no refund");
    assert_eq!(error.api_error().unwrap().code, lyra::ErrorCode::Psp076);
    assert_eq!(
        sandbox.resource("transaction", UUID).unwrap()["detailedStatus"],
        "AUTHORISED"
    );
    // Not captured: cancelled, the same transaction answered.
    let cancelled = client
        .transaction_cancel_or_refund(&call(UUID))
        .await
        .expect("an authorised transaction is cancelled");
    assert_eq!(cancelled.uuid.as_deref(), Some(UUID));
    assert_eq!(
        cancelled.detailed_status,
        Some(lyra::DetailedStatus::Cancelled)
    );

    // Captured, asked for a cancellation only: PSP_075.
    let error = client
        .transaction_cancel_or_refund(
            &call(CAPTURED).resolution_mode(lyra::ResolutionMode::CancellationOnly),
        )
        .await
        .expect_err("captured: no cancellation");
    assert_eq!(error.api_error().unwrap().code, lyra::ErrorCode::Psp075);
    // Captured: a partial refund is a new CREDIT transaction of the amount asked.
    let refund = client
        .transaction_cancel_or_refund(&call(CAPTURED).amount(1000))
        .await
        .expect("a captured transaction is refunded");
    let refund_uuid = refund.uuid.clone().expect("the refund's own uuid");
    assert_ne!(refund_uuid, CAPTURED);
    assert_eq!(refund.operation_type, Some(lyra::OperationType::Credit));
    assert_eq!(refund.amount.map(|a| *a), Some(1000));
    // Then more than the 5.00 left: PSP_511; without an amount, what is left.
    let error = client
        .transaction_cancel_or_refund(&call(CAPTURED).amount(600))
        .await
        .expect_err("refunds above the amount");
    assert_eq!(error.api_error().unwrap().code, lyra::ErrorCode::Psp511);
    let rest = client
        .transaction_cancel_or_refund(&call(CAPTURED))
        .await
        .expect("the rest is refunded");
    assert_eq!(rest.amount.map(|a| *a), Some(500), "what was left");
    // Each refund is a transaction Get reads back; the source is still captured.
    let read = client
        .transaction_get(&lyra::TransactionGetRequest::new(refund_uuid.as_str()))
        .await
        .expect("the refund is recorded");
    assert_eq!(read.operation_type, Some(lyra::OperationType::Credit));
    assert_eq!(
        sandbox.resource("transaction", CAPTURED).unwrap()["detailedStatus"],
        "CAPTURED"
    );
}

#[tokio::test]
async fn a_mollie_payment_is_created_canceled_once_and_a_paid_one_refunded_in_decimals() {
    let sandbox = mollie::sandbox::Sandbox::start().await;
    let client = sandbox.client();
    let euros = |value: &str| value.parse::<payspec::runtime::Decimal>().unwrap();
    let payment = client
        .payments_create(&mollie::PaymentsCreateRequest::new(
            "Order 7",
            mollie::PaymentsCreateAmount::new(mollie::Currency::Eur, euros("25.00")),
        ))
        .await
        .expect("created");
    let id = payment.id.clone().expect("an id");
    assert_eq!(payment.status, Some(mollie::PaymentStatus::Open));
    // Open: canceled once, then refused with Mollie's 422.
    let canceled = client
        .payments_cancel(&mollie::PaymentsCancelRequest::new(id.as_str()))
        .await
        .expect("an open payment is canceled");
    assert_eq!(canceled.status, Some(mollie::PaymentStatus::Canceled));
    let error = client
        .payments_cancel(&mollie::PaymentsCancelRequest::new(id.as_str()))
        .await
        .expect_err("canceled twice");
    assert_eq!(error.http_status(), Some(422), "{error}");

    // A payment the customer paid on Mollie's page: recorded by the test.
    sandbox.insert(
        "payment",
        "tr_paid",
        json!({"resource": "payment", "id": "tr_paid", "status": "paid",
            "amount": {"currency": "EUR", "value": "10.00"}}),
    );
    let refund = |value: &str| {
        mollie::RefundsCreateRequest::new(
            "tr_paid",
            mollie::RefundsCreateAmount::new(mollie::Currency::Eur, euros(value)),
        )
    };
    let first = client
        .refunds_create(&refund("9.99"))
        .await
        .expect("a partial refund");
    let refund_id = first.id.clone().expect("the refund's id");
    assert_eq!(first.payment_id.as_deref(), Some("tr_paid"));
    // 0.01 is left, exactly: decimal text adds up.
    let error = client
        .refunds_create(&refund("0.02"))
        .await
        .expect_err("more than is left");
    assert_eq!(error.http_status(), Some(422), "{error}");
    client
        .refunds_create(&refund("0.01"))
        .await
        .expect("the last cent");
    // The refund is a resource of its own, read by its id.
    let read = client
        .refunds_get(&mollie::RefundsGetRequest::new(
            "tr_paid",
            refund_id.as_str(),
        ))
        .await
        .expect("the refund is read back");
    assert_eq!(read.id.as_deref(), Some(refund_id.as_str()));
    assert!(
        sandbox.resource("payment", &refund_id).is_none(),
        "not a payment"
    );
    let error = client
        .payments_get(&mollie::PaymentsGetRequest::new("tr_nope"))
        .await
        .expect_err("unknown payment");
    assert_eq!(error.http_status(), Some(404), "{error}");
}

fn card_payment(amount: u64) -> checkout::PaymentsRequestRequest {
    let mut source = checkout::PaymentsRequestSource::new(checkout::PaymentSourceType::Token);
    source.token = Some("tok_4gzeau5o2uqubbk6fufs3m7p54".to_owned());
    checkout::PaymentsRequestRequest::new(source, "EUR").amount(amount)
}

#[tokio::test]
async fn a_checkout_payment_is_captured_refunded_and_voided_as_documented() {
    let sandbox = checkout::sandbox::Sandbox::start().await;
    let client = sandbox.client();
    let payment = client
        .payments_request(&card_payment(6500))
        .await
        .expect("created");
    let id = payment.id.clone().expect("an id");
    let read = client
        .payments_get(&checkout::PaymentsGetRequest::new(id.as_str()))
        .await
        .expect("read back");
    assert_eq!(read.amount.map(|a| *a), Some(6500));
    assert_eq!(read.status, Some(checkout::PaymentStatus::Authorized));

    // Refund before capture: the state does not allow it (403).
    let error = client
        .payments_refund(&checkout::PaymentsRefundRequest::new(id.as_str()).amount(100))
        .await
        .expect_err("nothing captured yet");
    assert_eq!(error.http_status(), Some(403), "{error}");

    client
        .payments_capture(&checkout::PaymentsCaptureRequest::new(id.as_str()))
        .await
        .expect("captured in full");
    client
        .payments_refund(&checkout::PaymentsRefundRequest::new(id.as_str()).amount(5000))
        .await
        .expect("a partial refund");
    let error = client
        .payments_refund(&checkout::PaymentsRefundRequest::new(id.as_str()).amount(2000))
        .await
        .expect_err("20.00 is more than the 15.00 left");
    assert_eq!(error.http_status(), Some(422), "{error}");
    assert_eq!(
        error.api_error().unwrap().code.to_string(),
        "refund_amount_exceeds_balance"
    );
    // A captured payment cannot be voided.
    let error = client
        .payments_void(&checkout::PaymentsVoidRequest::new(id.as_str()))
        .await
        .expect_err("captured");
    assert_eq!(error.http_status(), Some(403), "{error}");
    assert_eq!(
        sandbox.resource("payment", &id).unwrap()["status"],
        "Partially Refunded"
    );
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_creates_nothing_twice() {
    let sandbox = checkout::sandbox::Sandbox::start().await;
    // The first answer is lost after the payment was made (an unknown outcome); the client
    // retries with the same key and must get that payment, not a second one.
    sandbox
        .on(checkout::sandbox::Operation::PaymentsRequest)
        .respond(Fault::Reset);
    let client = checkout::Client::with_config(
        sandbox.config().retry_policy(
            payspec::RetryPolicy::default()
                .initial_backoff(std::time::Duration::from_millis(1))
                .max_backoff(std::time::Duration::from_millis(5)),
        ),
    )
    .unwrap();
    let payment = client
        .payments_request(&card_payment(6500))
        .await
        .expect("the retry gets the payment");
    let log = sandbox.requests();
    assert_eq!(log.len(), 2);
    let key = log[0].header("cko-idempotency-key").unwrap();
    assert_eq!(log[1].header("cko-idempotency-key"), Some(key));
    let id = payment.id.expect("an id");
    assert!(sandbox.resource("payment", &id).is_some());

    // Another call (another key) makes another payment; the same key again, the same one.
    let other = client
        .payments_request(&card_payment(6500))
        .await
        .unwrap()
        .id
        .unwrap();
    assert_ne!(other, id);
    let url = format!("{}/payments", sandbox.base_url());
    let body = serde_json::to_string(&card_payment(100)).unwrap();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let answer: serde_json::Value = reqwest::Client::new()
            .post(&url)
            .bearer_auth("sandbox-token")
            .header("cko-idempotency-key", "key-1")
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        ids.push(answer["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids[0], ids[1], "the same key answers the same payment");
    assert_ne!(ids[0], id);
}
