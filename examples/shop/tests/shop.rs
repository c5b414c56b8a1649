//! The shop's own tests, entirely against payspec's offline Checkout.com sandbox: the shop's
//! router is served on a loopback port with a client pointed at the sandbox, and driven over
//! HTTP as a payment page and Checkout.com's webhooks would.

use std::sync::Arc;
use std::time::Duration;

use payspec::checkout::{self, sandbox::Operation, sandbox::Sandbox};
use payspec::reqwest;
use payspec::runtime::sandbox::Fault;
use payspec_example_shop::{Order, OrderStatus, Orders, Shop, router};
use serde_json::{Value, json};

const WEBHOOK_SECRET: &str = "whsec_shop_test";
const CARD_TOKEN: &str = "tok_4gzeau5o2uqubbk6fufs3m7p54";

/// A shop served on a loopback port, calling the sandbox.
struct TestShop {
    sandbox: Sandbox,
    orders: Arc<Orders>,
    url: String,
    http: reqwest::Client,
}

impl TestShop {
    async fn start() -> Self {
        let sandbox = Sandbox::start().await;
        let client = sandbox.client();
        Self::serve(sandbox, client).await
    }

    /// The shop with a client whose retries wait 1 to 5 ms (3 attempts, the default).
    async fn with_fast_retries() -> Self {
        Self::with_config(|config| config).await
    }

    /// The shop with a client of the sandbox's configuration, fast retries, then `change`.
    async fn with_config(
        change: impl FnOnce(payspec::ClientConfig) -> payspec::ClientConfig,
    ) -> Self {
        let sandbox = Sandbox::start().await;
        let policy = payspec::RetryPolicy::default()
            .initial_backoff(Duration::from_millis(1))
            .max_backoff(Duration::from_millis(5));
        let config = change(sandbox.config().retry_policy(policy));
        let client = checkout::Client::with_config(config).unwrap();
        Self::serve(sandbox, client).await
    }

    async fn serve(sandbox: Sandbox, client: checkout::Client) -> Self {
        let orders = Arc::new(Orders::new());
        let shop = Shop::new(client, WEBHOOK_SECRET, orders.clone()).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router(shop)).await });
        let http = payspec::runtime::http_client_builder().build().unwrap();
        TestShop {
            sandbox,
            orders,
            url,
            http,
        }
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let answer = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        read(answer).await
    }

    async fn get(&self, path: &str) -> (u16, Value) {
        let answer = self
            .http
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .unwrap();
        read(answer).await
    }

    /// `POST /orders`: the answer's status and the order.
    async fn order(&self, amount: u64) -> (u16, Value) {
        self.post(
            "/orders",
            json!({"amount": amount, "currency": "EUR", "card_token": CARD_TOKEN}),
        )
        .await
    }

    /// An order of `amount`, authorised and captured: its id and payment id.
    async fn captured_order(&self, amount: u64) -> (String, String) {
        let (status, order) = self.order(amount).await;
        assert_eq!(status, 201, "{order}");
        let id = order["id"].as_str().unwrap().to_owned();
        let (status, _) = self.post(&format!("/orders/{id}/capture"), json!({})).await;
        assert_eq!(status, 202);
        (id, order["payment_id"].as_str().unwrap().to_owned())
    }

    fn stored(&self, id: &str) -> Order {
        self.orders.get(id).expect("the order is stored")
    }
}

async fn read(answer: reqwest::Response) -> (u16, Value) {
    let status = answer.status().as_u16();
    let text = answer.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A webhook event of `kind` about `payment`.
fn event(id: &str, kind: &str, payment: &str, amount: u64) -> checkout::WebhookEvent {
    let mut data = checkout::WebhookEventData::default();
    data.id = Some(payment.to_owned());
    data.amount = Some(amount.into());
    data.currency = Some("EUR".to_owned());
    let mut event = checkout::WebhookEvent::default();
    event.id = Some(id.to_owned());
    event.r#type = Some(kind.to_owned());
    event.data = Some(data);
    event
}

#[tokio::test]
async fn an_order_is_paid_captured_read_back_and_refunded() {
    let shop = TestShop::start().await;
    let (status, order) = shop.order(6500).await;
    assert_eq!(status, 201, "{order}");
    assert_eq!(order["status"], "authorized");
    let id = order["id"].as_str().unwrap().to_owned();
    let payment = order["payment_id"]
        .as_str()
        .expect("a payment id")
        .to_owned();

    // What Checkout.com got: the token, the amount, the order id as reference, no capture yet.
    let record = shop.sandbox.resource("payment", &payment).unwrap();
    assert_eq!(record["amount"], 6500);
    assert_eq!(record["status"], "Authorized");
    let sent = shop.sandbox.requests();
    let request = sent[0]
        .request::<checkout::PaymentsRequestRequest>()
        .unwrap();
    assert_eq!(request.reference.as_deref(), Some(id.as_str()));
    assert_eq!(request.source.token.as_deref(), Some(CARD_TOKEN));
    assert_eq!(request.capture, Some(false));

    let (status, _) = shop.post(&format!("/orders/{id}/capture"), json!({})).await;
    assert_eq!(status, 202);
    let (status, read) = shop.get(&format!("/orders/{id}")).await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(read["status"], "captured", "read back through payments/get");

    let (status, refund) = shop
        .post(&format!("/orders/{id}/refund"), json!({"amount": 2500}))
        .await;
    assert_eq!(status, 202, "{refund}");
    assert!(refund["action_id"].is_string());
    let (_, read) = shop.get(&format!("/orders/{id}")).await;
    assert_eq!(read["status"], "partially_refunded");
    assert_eq!(
        shop.sandbox.resource("payment", &payment).unwrap()["status"],
        "Partially Refunded"
    );
    // The refund consumed 25.00 of the 65.00: the 40.00 left can be refunded, then nothing.
    let (status, _) = shop
        .post(&format!("/orders/{id}/refund"), json!({"amount": 4000}))
        .await;
    assert_eq!(status, 202);
    let (status, _) = shop
        .post(&format!("/orders/{id}/refund"), json!({"amount": 1}))
        .await;
    assert_eq!(status, 422, "nothing is left to refund");
}

#[tokio::test]
async fn a_refund_above_what_remains_answers_the_documented_code() {
    let shop = TestShop::start().await;
    let (id, _) = shop.captured_order(3000).await;
    let (status, _) = shop
        .post(&format!("/orders/{id}/refund"), json!({"amount": 1000}))
        .await;
    assert_eq!(status, 202);
    let (status, body) = shop
        .post(&format!("/orders/{id}/refund"), json!({"amount": 2001}))
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "refund_amount_exceeds_balance");
}

#[tokio::test]
async fn a_used_card_token_fails_the_order_with_the_documented_code() {
    let shop = TestShop::start().await;
    shop.sandbox
        .on(Operation::PaymentsRequest)
        .respond(Fault::error("token_used"));
    let (status, body) = shop.order(1200).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "token_used");
    let orders = shop.orders.all();
    assert_eq!(orders.len(), 1);
    assert_eq!(
        orders[0].status,
        OrderStatus::Failed,
        "Checkout.com refused it"
    );
    assert_eq!(orders[0].payment_id, None);
}

#[tokio::test]
async fn a_payment_checkout_does_not_know_answers_404() {
    let shop = TestShop::start().await;
    // An order imported from another account: its payment id is unknown to this one.
    shop.orders.insert(Order {
        id: "ord_imported".to_owned(),
        amount: 500,
        currency: "EUR".to_owned(),
        status: OrderStatus::Authorized,
        payment_id: Some("pay_notfromthisaccount0000000".to_owned()),
        idempotency_key: None,
        refunded: 0,
    });
    let (status, body) = shop.get("/orders/ord_imported").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "payment_not_found");
    assert_eq!(
        shop.sandbox.requests()[0].operation,
        Some("payments/get"),
        "asked Checkout.com, which answered 404"
    );
    assert_eq!(shop.stored("ord_imported").status, OrderStatus::Authorized);
}

#[tokio::test]
async fn a_refund_before_capture_is_refused_as_not_allowed() {
    let shop = TestShop::start().await;
    let (_, order) = shop.order(900).await;
    let id = order["id"].as_str().unwrap();
    let (status, body) = shop
        .post(&format!("/orders/{id}/refund"), json!({"amount": 900}))
        .await;
    assert_eq!(status, 409, "Checkout.com's 403");
    assert_eq!(body["error"], "action_not_allowed");
}

#[tokio::test]
async fn an_invalid_currency_is_refused_before_anything_is_sent() {
    let shop = TestShop::start().await;
    let (status, body) = shop
        .post(
            "/orders",
            json!({"amount": 100, "currency": "EURO", "card_token": CARD_TOKEN}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["detail"].as_str().unwrap().contains("currency"),
        "{body}"
    );
    assert!(shop.sandbox.requests().is_empty(), "the SDK sent nothing");
}

#[tokio::test]
async fn an_unknown_outcome_keeps_the_order_pending_and_resume_finishes_it_with_the_same_key() {
    let shop = TestShop::with_fast_retries().await;
    // Every attempt of the keyed retries (3, the default) loses its answer after the work.
    shop.sandbox
        .on(Operation::PaymentsRequest)
        .next(3)
        .respond(Fault::Reset);
    let (status, order) = shop.order(4200).await;
    assert_eq!(status, 202, "accepted, outcome unknown: {order}");
    assert_eq!(order["status"], "outcome_unknown");
    assert_eq!(order["payment_id"], Value::Null);
    let key = order["idempotency_key"]
        .as_str()
        .expect("the key")
        .to_owned();
    let sent = shop.sandbox.requests();
    assert_eq!(sent.len(), 3, "the SDK's retries, then it gave up");
    assert!(
        sent.iter()
            .all(|r| r.header("cko-idempotency-key") == Some(key.as_str()))
    );

    // Reading it does not guess: still unknown, and nothing was sent.
    let id = order["id"].as_str().unwrap().to_owned();
    let (status, read) = shop.get(&format!("/orders/{id}")).await;
    assert_eq!((status, &read["status"]), (200, &json!("outcome_unknown")));
    assert_eq!(shop.sandbox.requests().len(), 3);

    // Resumed with the same key: Checkout.com does the work at most once.
    let (status, resumed) = shop.post(&format!("/orders/{id}/resume"), json!({})).await;
    assert_eq!(status, 201, "{resumed}");
    assert_eq!(resumed["status"], "authorized");
    let payment = resumed["payment_id"].as_str().unwrap();
    assert!(shop.sandbox.resource("payment", payment).is_some());
    let sent = shop.sandbox.requests();
    assert_eq!(sent.len(), 4);
    assert_eq!(sent[3].header("cko-idempotency-key"), Some(key.as_str()));
    let (status, _) = shop.post(&format!("/orders/{id}/resume"), json!({})).await;
    assert_eq!(status, 409, "nothing left to resume");
}

#[tokio::test]
async fn a_read_that_times_out_answers_504_and_keeps_the_order() {
    let shop = TestShop::with_config(|config| config.timeout(Duration::from_millis(200))).await;
    let (id, _) = shop.captured_order(800).await;
    let before = shop.stored(&id);
    // A read is safe: the SDK retries it (3 attempts), then gives up with a timeout.
    shop.sandbox
        .on(Operation::PaymentsGet)
        .next(3)
        .respond(Fault::Timeout);
    let (status, body) = shop.get(&format!("/orders/{id}")).await;
    assert_eq!(status, 504, "{body}");
    assert_eq!(body["error"], "payment_provider_timeout");
    assert_eq!(shop.stored(&id), before);
    let reads = shop.sandbox.requests();
    let reads = reads
        .iter()
        .filter(|r| r.operation == Some("payments/get"))
        .count();
    assert_eq!(reads, 3);
    // Asked again once Checkout.com answers: read back as usual.
    let (status, read) = shop.get(&format!("/orders/{id}")).await;
    assert_eq!((status, &read["status"]), (200, &json!("captured")));
}

#[tokio::test]
async fn a_signed_event_that_does_not_decode_is_refused_without_touching_the_store() {
    let shop = TestShop::start().await;
    let (id, payment) = shop.captured_order(700).await;
    let before = shop.stored(&id);
    // Correctly signed, but `amount` is not a number: decoded only after the signature
    // holds. `sign_webhook_raw` signs the text as it is.
    let good = event("evt_bad", "payment_refunded", &payment, 700);
    let body = serde_json::to_string(&good)
        .unwrap()
        .replacen("700", "\"seven\"", 1);
    let resigned = checkout::sandbox::sign_webhook_raw(&body, "secret", WEBHOOK_SECRET).unwrap();
    let answer = resigned
        .post(&format!("{}/webhooks", shop.url))
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 400);
    assert_eq!(shop.stored(&id), before);
}

#[tokio::test]
async fn the_webhook_of_the_payment_settles_an_unknown_outcome() {
    let shop = TestShop::with_fast_retries().await;
    shop.sandbox
        .on(Operation::PaymentsRequest)
        .next(3)
        .respond(Fault::Reset);
    let (_, order) = shop.order(4200).await;
    let id = order["id"].as_str().unwrap().to_owned();
    // Checkout.com made the payment: its webhook carries the order id as reference.
    let mut approved = event("evt_approved", "payment_approved", "pay_made", 4200);
    approved.data.as_mut().unwrap().reference = Some(id.clone());
    let signed = checkout::sandbox::sign_webhook(&approved, "secret", WEBHOOK_SECRET).unwrap();
    let answer = signed
        .post(&format!("{}/webhooks", shop.url))
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    let order = shop.stored(&id);
    assert_eq!(order.status, OrderStatus::Authorized);
    assert_eq!(order.payment_id.as_deref(), Some("pay_made"));
    assert_eq!(order.idempotency_key, None);
    let (status, _) = shop.post(&format!("/orders/{id}/resume"), json!({})).await;
    assert_eq!(status, 409, "settled: never sent again");
}

#[tokio::test]
async fn a_forged_webhook_is_refused_and_changes_nothing() {
    let shop = TestShop::start().await;
    let (id, payment) = shop.captured_order(5000).await;
    let before = shop.stored(&id);
    let refunded = event("evt_forged", "payment_refunded", &payment, 5000);
    let signed = checkout::sandbox::sign_webhook(&refunded, "secret", WEBHOOK_SECRET).unwrap();
    let url = format!("{}/webhooks", shop.url);

    // One byte changed after signing: 5000 becomes 5001.
    let mut forged = signed.clone();
    let body = String::from_utf8(forged.body.clone()).unwrap();
    forged.body = body.replacen("5000", "5001", 1).into_bytes();
    assert_ne!(forged.body, signed.body);
    // Signed with a key that is not the shop's; and not signed at all.
    let other_key = checkout::sandbox::sign_webhook(&refunded, "secret", "whsec_guess").unwrap();
    let mut unsigned = signed.clone();
    unsigned.headers.clear();
    for attempt in [forged, other_key, unsigned] {
        let answer = attempt.post(&url).await.unwrap();
        assert_eq!(answer.status().as_u16(), 401);
        assert_eq!(shop.stored(&id), before, "the store is untouched");
    }
    // The genuine one still goes through: the forged ones did not burn its event id.
    let answer = signed.post(&url).await.unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert_eq!(shop.stored(&id).status, OrderStatus::Refunded);
}

#[tokio::test]
async fn a_genuine_webhook_updates_the_order_once() {
    let shop = TestShop::start().await;
    let (id, payment) = shop.captured_order(5000).await;
    let url = format!("{}/webhooks", shop.url);
    let captured = event("evt_captured", "payment_captured", &payment, 5000);
    let signed = checkout::sandbox::sign_webhook(&captured, "secret", WEBHOOK_SECRET).unwrap();
    assert_eq!(signed.post(&url).await.unwrap().status().as_u16(), 200);
    assert_eq!(shop.stored(&id).status, OrderStatus::Captured);

    let refunded = event("evt_refund_1", "payment_refunded", &payment, 1500);
    let signed = checkout::sandbox::sign_webhook(&refunded, "secret", WEBHOOK_SECRET).unwrap();
    // Sent twice, as Checkout.com may: applied once.
    for _ in 0..2 {
        assert_eq!(signed.post(&url).await.unwrap().status().as_u16(), 200);
    }
    let order = shop.stored(&id);
    assert_eq!(order.status, OrderStatus::PartiallyRefunded);
    assert_eq!(order.refunded, 1500);
}
