//! A small shop on the Checkout.com client of payspec: it takes card payments for orders,
//! captures them when the order ships, refunds them, and follows them through Checkout.com's
//! signed webhooks.
//!
//! [`router`] builds the HTTP API from a [`Shop`] (a client, the webhook signature key, an
//! in-memory [`Orders`] store), so that the tests build it against the offline sandbox's client
//! and the binary against the real API:
//!
//! | route | what it does |
//! | --- | --- |
//! | `POST /orders` `{amount, currency, card_token}` | authorises a payment (`payments/request`, captured later) and stores the order |
//! | `GET /orders/{id}` | reads the payment back (`payments/get`) and updates the order from it |
//! | `POST /orders/{id}/capture` | captures the whole payment when the order ships (`payments/capture`) |
//! | `POST /orders/{id}/refund` `{amount}` | refunds part or all of it (`payments/refund`) |
//! | `POST /orders/{id}/resume` | sends again, with the same idempotency key, a payment request whose outcome was unknown |
//! | `POST /webhooks` | verifies `Cko-Signature`, decodes the event, updates the order |
//!
//! # How failures are answered
//!
//! - A request the SDK refuses before sending anything (`Error::InvalidRequest`): 400.
//! - A documented API error: its code in `{"error": code}`, with 422 for invalid data, 409 for
//!   an action the payment's state does not allow (Checkout.com's 403), 404 for a payment the
//!   API does not know, 502 for anything else the provider refuses.
//! - An unknown outcome (`Error::is_outcome_unknown`: the request may have reached Checkout.com
//!   and every attempt of the SDK's keyed retries failed): 202, the order kept as
//!   `outcome_unknown` with the idempotency key, never marked failed and never sent again with a
//!   new key. 202 and not 503 because the order exists and may well be paid: a 503 tells a
//!   client to send the same `POST /orders` again, which would make a second order and could
//!   charge the customer twice. The shop finishes it with `POST /orders/{id}/resume` (the same
//!   key: Checkout.com does the work at most once) or when the webhook of the payment arrives
//!   (found by its `reference`, the order id).
//! - A timeout or transport failure of a read: 504 or 502; reads are safe to ask again.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use payspec::checkout::{self, webhook};
use payspec::runtime::NotificationError;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Where an order stands, as the shop knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Stored; the payment request has not been answered yet (or waits for the customer).
    Pending,
    /// The payment request may or may not have been carried out: resume it with its
    /// idempotency key, or wait for its webhook. Never treated as failed.
    OutcomeUnknown,
    /// The payment is authorised; nothing is captured yet.
    Authorized,
    /// The card was declined.
    Declined,
    /// Checkout.com refused the payment request (a documented error): nothing was charged.
    Failed,
    /// The payment is captured (the order shipped).
    Captured,
    /// Part of the captured amount is refunded.
    PartiallyRefunded,
    /// All of it is refunded.
    Refunded,
    /// The authorisation was voided, cancelled or expired.
    Cancelled,
}

/// An order of the shop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// The shop's id, also the payment's `reference` at Checkout.com.
    pub id: String,
    /// In the currency's minor units.
    pub amount: u64,
    /// ISO 4217 code.
    pub currency: String,
    /// Where it stands.
    pub status: OrderStatus,
    /// The Checkout.com payment (`pay_…`), once known.
    pub payment_id: Option<String>,
    /// For an order whose payment request had an unknown outcome: the idempotency key every
    /// attempt carried, to send it again without paying twice.
    pub idempotency_key: Option<String>,
    /// The minor units refunded so far, as webhooks reported them.
    pub refunded: u64,
}

/// The shop's in-memory order store.
#[derive(Debug, Default)]
pub struct Orders {
    orders: Mutex<HashMap<String, Order>>,
    /// The payment requests of orders with an unknown outcome, their key set: what `resume`
    /// sends again, identical (a key reused with another body is refused by Checkout.com).
    unsent: Mutex<HashMap<String, checkout::PaymentsRequestRequest>>,
    /// The ids of the webhook events handled: Checkout.com sends each at least once.
    events: Mutex<HashSet<String>>,
    next: AtomicU64,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A handler that panicked while holding the lock left consistent data behind (every
    // update is a single assignment), so a poisoned lock is still usable.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Orders {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The order `id`, if any.
    pub fn get(&self, id: &str) -> Option<Order> {
        lock(&self.orders).get(id).cloned()
    }

    /// Stores an order (one made elsewhere, e.g. imported), replacing any with its id.
    pub fn insert(&self, order: Order) {
        lock(&self.orders).insert(order.id.clone(), order);
    }

    /// Every order, in no particular order.
    pub fn all(&self) -> Vec<Order> {
        lock(&self.orders).values().cloned().collect()
    }

    fn new_id(&self) -> String {
        format!("ord_{}", self.next.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn update(&self, id: &str, change: impl FnOnce(&mut Order)) -> Option<Order> {
        let mut orders = lock(&self.orders);
        let order = orders.get_mut(id)?;
        change(order);
        Some(order.clone())
    }

    /// The order paid by `payment_id`, or else the one whose id is the payment's reference.
    fn find_for_payment(
        &self,
        payment_id: Option<&str>,
        reference: Option<&str>,
    ) -> Option<String> {
        let orders = lock(&self.orders);
        payment_id
            .and_then(|p| {
                orders
                    .values()
                    .find(|o| o.payment_id.as_deref() == Some(p))
                    .map(|o| o.id.clone())
            })
            .or_else(|| {
                reference
                    .filter(|r| orders.contains_key(*r))
                    .map(str::to_owned)
            })
    }
}

/// What the shop's handlers share: the client, the webhook keys, the orders.
#[derive(Debug, Clone)]
pub struct Shop {
    client: checkout::Client,
    keys: webhook::Keys,
    orders: Arc<Orders>,
}

impl Shop {
    /// A shop calling Checkout.com through `client`, accepting webhooks signed with
    /// `webhook_secret` (the signature key of the workflow's webhook action).
    ///
    /// # Errors
    ///
    /// When the secret is unusable (empty, blank, surrounding whitespace).
    pub fn new(
        client: checkout::Client,
        webhook_secret: &str,
        orders: Arc<Orders>,
    ) -> Result<Self, payspec::runtime::notification::KeyError> {
        Ok(Shop {
            client,
            keys: webhook::Keys::new().secret(webhook_secret)?,
            orders,
        })
    }

    /// The order store.
    pub fn orders(&self) -> &Arc<Orders> {
        &self.orders
    }
}

/// The shop's HTTP API.
pub fn router(shop: Shop) -> Router {
    Router::new()
        .route("/orders", post(create_order))
        .route("/orders/{id}", get(get_order))
        .route("/orders/{id}/capture", post(capture_order))
        .route("/orders/{id}/refund", post(refund_order))
        .route("/orders/{id}/resume", post(resume_order))
        .route("/webhooks", post(receive_webhook))
        .with_state(shop)
}

/// The body of `POST /orders`.
#[derive(Debug, Deserialize)]
pub struct NewOrder {
    /// In the currency's minor units.
    pub amount: u64,
    /// ISO 4217 code.
    pub currency: String,
    /// The single-use card token the payment page got from Checkout.com (`tok_…`).
    pub card_token: String,
}

/// The body of `POST /orders/{id}/refund`.
#[derive(Debug, Deserialize)]
pub struct RefundOrder {
    /// In minor units; absent: what is left.
    pub amount: Option<u64>,
}

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    (status, Json(body)).into_response()
}

fn no_order(id: &str) -> Response {
    answer(
        StatusCode::NOT_FOUND,
        json!({"error": "order_not_found", "order": id}),
    )
}

/// The HTTP answer to a failed call that is not an unknown outcome.
fn failure(error: &checkout::Error) -> Response {
    use payspec::runtime::Error;
    let (status, code) = match error {
        Error::InvalidRequest(e) => {
            return answer(
                StatusCode::BAD_REQUEST,
                json!({"error": "invalid_request", "detail": e.to_string()}),
            );
        }
        Error::Api(e) => (e.http_status, Some(e.code.to_string())),
        Error::UnexpectedStatus { status, .. } => (*status, None),
        Error::Timeout { .. } => {
            return answer(
                StatusCode::GATEWAY_TIMEOUT,
                json!({"error": "payment_provider_timeout"}),
            );
        }
        _ => (0, None),
    };
    let (status, fallback) = match status {
        422 => (StatusCode::UNPROCESSABLE_ENTITY, "request_invalid"),
        403 => (StatusCode::CONFLICT, "action_not_allowed"),
        404 => (StatusCode::NOT_FOUND, "payment_not_found"),
        _ => (StatusCode::BAD_GATEWAY, "payment_provider_error"),
    };
    answer(
        status,
        json!({"error": code.unwrap_or_else(|| fallback.to_owned())}),
    )
}

/// The order status a payment status means; `None`: keep the order's.
fn order_status(status: Option<&checkout::PaymentStatus>) -> Option<OrderStatus> {
    use checkout::PaymentStatus as P;
    Some(match status? {
        P::Pending => OrderStatus::Pending,
        P::Authorized | P::CardVerified => OrderStatus::Authorized,
        P::Declined => OrderStatus::Declined,
        P::Captured | P::PartiallyCaptured | P::Paid => OrderStatus::Captured,
        P::PartiallyRefunded => OrderStatus::PartiallyRefunded,
        P::Refunded => OrderStatus::Refunded,
        P::Voided | P::Canceled | P::Expired => OrderStatus::Cancelled,
        _ => return None,
    })
}

/// Records the answer to a payment request on the order, and answers the shop's client.
fn record_payment(
    shop: &Shop,
    id: &str,
    outcome: Result<checkout::PaymentResponse, checkout::Error>,
) -> Response {
    match outcome {
        Ok(payment) => {
            let declined = payment.approved == Some(false);
            let order = shop.orders.update(id, |order| {
                order.payment_id = payment.id.clone();
                order.idempotency_key = None;
                order.status = if declined {
                    OrderStatus::Declined
                } else {
                    order_status(payment.status.as_ref()).unwrap_or(OrderStatus::Pending)
                };
            });
            lock(&shop.orders.unsent).remove(id);
            let status = if declined {
                StatusCode::PAYMENT_REQUIRED
            } else {
                StatusCode::CREATED
            };
            (status, Json(order)).into_response()
        }
        Err(error) if error.is_outcome_unknown() => {
            let key = error.idempotency_key().map(str::to_owned);
            let order = shop.orders.update(id, |order| {
                order.status = OrderStatus::OutcomeUnknown;
                order.idempotency_key.clone_from(&key);
            });
            (StatusCode::ACCEPTED, Json(order)).into_response()
        }
        Err(error) => {
            // Checkout.com answered: the payment was not made.
            shop.orders
                .update(id, |order| order.status = OrderStatus::Failed);
            lock(&shop.orders.unsent).remove(id);
            failure(&error)
        }
    }
}

async fn create_order(State(shop): State<Shop>, Json(new): Json<NewOrder>) -> Response {
    let id = shop.orders.new_id();
    shop.orders.insert(Order {
        id: id.clone(),
        amount: new.amount,
        currency: new.currency.clone(),
        status: OrderStatus::Pending,
        payment_id: None,
        idempotency_key: None,
        refunded: 0,
    });
    let mut source = checkout::PaymentsRequestSource::new(checkout::PaymentSourceType::Token);
    source.token = Some(new.card_token);
    let request = checkout::PaymentsRequestRequest::new(source, new.currency)
        .amount(new.amount)
        .reference(id.as_str())
        .capture(false);
    let outcome = shop.client.payments_request(&request).await;
    if let Err(error) = &outcome {
        if let Some(key) = error
            .idempotency_key()
            .filter(|_| error.is_outcome_unknown())
        {
            let again = request.idempotency_key(key);
            lock(&shop.orders.unsent).insert(id.clone(), again);
        }
    }
    record_payment(&shop, &id, outcome)
}

async fn resume_order(State(shop): State<Shop>, Path(id): Path<String>) -> Response {
    let Some(order) = shop.orders.get(&id) else {
        return no_order(&id);
    };
    let unsent = lock(&shop.orders.unsent).get(&id).cloned();
    let Some(request) = unsent.filter(|_| order.status == OrderStatus::OutcomeUnknown) else {
        return answer(
            StatusCode::CONFLICT,
            json!({"error": "outcome_known", "status": order.status}),
        );
    };
    let outcome = shop.client.payments_request(&request).await;
    record_payment(&shop, &id, outcome)
}

/// Why an order has no payment to act on.
#[derive(Debug)]
enum NoPayment {
    /// No such order.
    Order(String),
    /// The order has no payment yet (pending, unknown outcome, refused).
    Yet(Order),
}

impl IntoResponse for NoPayment {
    fn into_response(self) -> Response {
        match self {
            NoPayment::Order(id) => no_order(&id),
            NoPayment::Yet(order) => answer(
                StatusCode::CONFLICT,
                json!({"error": "no_payment", "status": order.status}),
            ),
        }
    }
}

/// The payment id of the order `id`.
fn payment_of(shop: &Shop, id: &str) -> Result<String, Box<NoPayment>> {
    let order = shop
        .orders
        .get(id)
        .ok_or_else(|| NoPayment::Order(id.to_owned()))?;
    order
        .payment_id
        .clone()
        .ok_or(Box::new(NoPayment::Yet(order)))
}

async fn get_order(State(shop): State<Shop>, Path(id): Path<String>) -> Response {
    let payment_id = match payment_of(&shop, &id) {
        Ok(payment) => payment,
        // Nothing to read back yet: the order as stored (pending, unknown outcome, ...).
        Err(no) => match *no {
            NoPayment::Yet(order) => return Json(order).into_response(),
            no => return no.into_response(),
        },
    };
    match shop
        .client
        .payments_get(&checkout::PaymentsGetRequest::new(payment_id))
        .await
    {
        Ok(payment) => {
            let order = shop.orders.update(&id, |order| {
                if let Some(status) = order_status(payment.status.as_ref()) {
                    order.status = status;
                }
                if let Some(refunded) = payment.balances.as_ref().and_then(|b| b.total_refunded) {
                    order.refunded = *refunded;
                }
            });
            Json(order).into_response()
        }
        Err(error) => failure(&error),
    }
}

/// Answers a capture or refund: 202 with the action id, or what went wrong.
fn action(outcome: Result<checkout::ActionAccepted, checkout::Error>) -> Response {
    match outcome {
        Ok(accepted) => answer(
            StatusCode::ACCEPTED,
            json!({"action_id": accepted.action_id}),
        ),
        // Checkout.com may have done it: say so, with the key that finishes it safely.
        Err(error) if error.is_outcome_unknown() => answer(
            StatusCode::ACCEPTED,
            json!({"status": "outcome_unknown", "idempotency_key": error.idempotency_key()}),
        ),
        Err(error) => failure(&error),
    }
}

async fn capture_order(State(shop): State<Shop>, Path(id): Path<String>) -> Response {
    let payment = match payment_of(&shop, &id) {
        Ok(payment) => payment,
        Err(no) => return no.into_response(),
    };
    action(
        shop.client
            .payments_capture(&checkout::PaymentsCaptureRequest::new(payment))
            .await,
    )
}

async fn refund_order(
    State(shop): State<Shop>,
    Path(id): Path<String>,
    Json(refund): Json<RefundOrder>,
) -> Response {
    let payment = match payment_of(&shop, &id) {
        Ok(payment) => payment,
        Err(no) => return no.into_response(),
    };
    let mut request = checkout::PaymentsRefundRequest::new(payment).reference(id.as_str());
    if let Some(amount) = refund.amount {
        request = request.amount(amount);
    }
    action(shop.client.payments_refund(&request).await)
}

async fn receive_webhook(State(shop): State<Shop>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers
        .get(webhook::SIGNED_BODY.header)
        .and_then(|v| v.to_str().ok());
    // Nothing of the body is read before the signature holds.
    let event = match webhook::verify(&body, signature, &shop.keys) {
        Ok(notification) => notification.payload,
        Err(NotificationError::Decode { .. }) => {
            return answer(
                StatusCode::BAD_REQUEST,
                json!({"error": "undecodable_event"}),
            );
        }
        Err(_) => {
            return answer(StatusCode::UNAUTHORIZED, json!({"error": "bad_signature"}));
        }
    };
    // Sent at least once: an event already handled is acknowledged and not applied again.
    let seen = event
        .id
        .as_ref()
        .is_some_and(|event_id| !lock(&shop.orders.events).insert(event_id.clone()));
    if seen {
        return StatusCode::OK.into_response();
    }
    let Some(data) = event.data else {
        return StatusCode::OK.into_response();
    };
    let Some(id) = shop
        .orders
        .find_for_payment(data.id.as_deref(), data.reference.as_deref())
    else {
        // Not one of ours (another shop on the account): acknowledged, so not sent again.
        return StatusCode::OK.into_response();
    };
    let amount = data.amount.map(|a| *a);
    shop.orders.update(&id, |order| {
        if order.payment_id.is_none() {
            order.payment_id.clone_from(&data.id);
        }
        match event.r#type.as_deref() {
            Some("payment_approved") if order.status != OrderStatus::Captured => {
                order.status = OrderStatus::Authorized;
            }
            Some("payment_declined") => order.status = OrderStatus::Declined,
            Some("payment_captured") => order.status = OrderStatus::Captured,
            Some("payment_voided" | "payment_canceled" | "payment_expired") => {
                order.status = OrderStatus::Cancelled;
            }
            Some("payment_refunded") => {
                order.refunded += amount.unwrap_or(order.amount.saturating_sub(order.refunded));
                order.status = if order.refunded >= order.amount {
                    OrderStatus::Refunded
                } else {
                    OrderStatus::PartiallyRefunded
                };
            }
            _ => {}
        }
        if order.status != OrderStatus::OutcomeUnknown {
            order.idempotency_key = None;
        }
    });
    // The webhook settled an unknown outcome: nothing is left to resume.
    if shop
        .orders
        .get(&id)
        .is_some_and(|order| order.status != OrderStatus::OutcomeUnknown)
    {
        lock(&shop.orders.unsent).remove(&id);
    }
    StatusCode::OK.into_response()
}
