//! Coverage of every operation of the generated Paysafe client, end to end on loopback: each
//! test builds a request that sets every parameter the SDK lets you set, checks the exact request
//! on the wire (method, path with its parameter, the whole query string, the whole JSON body or
//! its absence, written by hand from the reference), and decodes an answer that fills every
//! field of the answer type.
//!
//! Answers are checked field by field for their top level and a sample of nested fields, and as
//! a whole by serialising the decoded value back to JSON and comparing it with the answer sent
//! (minus one field added to test that unknown fields are ignored): a field of the reference
//! that the type does not model, or models under another wire name, shows up as a difference.

// The answer fixtures are large `json!` literals.
#![recursion_limit = "256"]

use payspec::paysafe::{
    AncillaryFee, AuthType, BillingDetails, Callback, CallbackFormat, CallbackRel, Carrier,
    CartItem, Client, CreditsOriginalWithOrderIdRequest, CreditsOriginalWithProfileProfile,
    CreditsOriginalWithProfileRequest, Currency, ErrorCode, ExtendedOption, ExtendedOptionKey,
    HeldOrderCancellation, HeldOrderDecision, KeyValue, Link, LinkRel, Locale, Mode, Order,
    OrderType, OrdersCancelHeldRequest, OrdersCancelHeldTransaction, OrdersCancelRequest,
    OrdersGetRequest, OrdersProcessRequest, OrdersRebillRequest, OrdersRebillWithProfileProfile,
    OrdersRebillWithProfileRequest, OrdersRefundRequest, OrdersReportRequest,
    OrdersResendCallbackRequest, OrdersSettleRequest, OrdersUpdateHeldRequest,
    OrdersUpdateHeldTransaction, OrdersUpdateRebillRequest, Profile, Redirect, RedirectRel,
    SettlementsCancelRequest, ShipMethod, ShippingDetails, TransactionStatus,
};
use payspec::{ClientConfig, Credentials, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

const USER: &str = "devcentre322";
const PASSWORD: &str = "B-qa2-0-53e8a0a4";
/// base64("devcentre322:B-qa2-0-53e8a0a4").
const AUTHORIZATION: &str = "Basic ZGV2Y2VudHJlMzIyOkItcWEyLTAtNTNlOGEwYTQ=";
const ORDER_ID: &str = "27HBQSY9R5EGQSRA0A";
const SETTLEMENT_ID: &str = "1Z7NAD8JYJTF43RX3C";
const MERCHANT_REF: &str = "ORDER-2016-0001";
const PROFILE_ID: &str = "6a1c1b4b-7e2a-4c3f-9b8d-0e5f4a3b2c1d";
const PAYMENT_TOKEN: &str = "PaKLVx9kfBm7Lr4";
/// A field the types do not model: it must be ignored when decoding.
const UNKNOWN_FIELD: &str = "someFieldAddedLater";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn client(server: &MockServer) -> Client {
    let config = ClientConfig::new(server.uri(), Credentials::basic(USER, PASSWORD))
        .retry_policy(RetryPolicy::none());
    Client::with_config(config).expect("loopback http is allowed")
}

/// The whole query string, byte for byte (`None`: no query string at all).
struct ExactQuery(Option<&'static str>);

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        request.url.query() == self.0
    }
}

/// The request has no body and no `Content-Type`.
struct NoBody;

impl Match for NoBody {
    fn matches(&self, request: &Request) -> bool {
        request.body.is_empty() && !request.headers.contains_key("content-type")
    }
}

/// Mounts one mock: `verb` on `url_path` with Basic auth, exactly the query string `query`,
/// exactly `body` as JSON (or no body at all when `None`), answered with `answer` (the object
/// itself: no envelope); it must be called exactly once.
async fn mount(
    server: &MockServer,
    verb: &str,
    url_path: &str,
    query: Option<&'static str>,
    body: Option<Value>,
    answer: Value,
) {
    let mock = Mock::given(method(verb))
        .and(path(url_path))
        .and(header("authorization", AUTHORIZATION))
        .and(header("accept", "application/json"))
        .and(ExactQuery(query));
    let mock = match body {
        Some(body) => mock
            .and(header("content-type", "application/json"))
            .and(body_json(body)),
        None => mock.and(NoBody),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(server)
        .await;
}

/// The value of a successful call; on failure, panics with the requests the server received,
/// so a wire mismatch (wiremock answers 404) shows what was actually sent.
async fn ok<T, E: std::fmt::Debug>(server: &MockServer, result: Result<T, E>) -> T {
    match result {
        Ok(value) => value,
        Err(error) => {
            let received = server.received_requests().await.unwrap_or_default();
            let requests: Vec<String> = received
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {}",
                        r.method,
                        r.url,
                        String::from_utf8_lossy(&r.body)
                    )
                })
                .collect();
            panic!(
                "call failed: {error:?}\nrequests received:\n{}",
                requests.join("\n")
            )
        }
    }
}

/// `value` without the keys in `keys`, at every depth.
fn without(value: &Value, keys: &[&str]) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !keys.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), without(v, keys)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| without(v, keys)).collect()),
        other => other.clone(),
    }
}

/// Every difference between two JSON values, by path.
fn differences(expected: &Value, actual: &Value, at: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => differences(ev, av, &format!("{at}.{k}"), out),
                    None => out.push(format!("{at}.{k}: sent {ev}, missing after decoding")),
                }
            }
            for (k, av) in a {
                if !e.contains_key(k) {
                    out.push(format!("{at}.{k}: not sent, decoded as {av}"));
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                differences(ev, av, &format!("{at}[{i}]"), out);
            }
        }
        (e, a) if e != a => out.push(format!("{at}: sent {e}, decoded as {a}")),
        _ => {}
    }
}

/// The decoded value, serialised again, is the answer sent minus the unknown field: every field
/// sent was modelled under its wire name and decoded unchanged. (A macro, so that the
/// `Serialize` bound need not be named: this crate has no `serde` dependency.)
macro_rules! assert_round_trip {
    ($decoded:expr, $answer:expr) => {
        compare_round_trip(
            &serde_json::to_value($decoded).expect("serialisable"),
            $answer,
        )
    };
}

fn compare_round_trip(decoded: &Value, answer: &Value) {
    let actual = without(decoded, &[UNKNOWN_FIELD]);
    let expected = without(answer, &[UNKNOWN_FIELD]);
    let mut diffs = Vec::new();
    differences(&expected, &actual, "answer", &mut diffs);
    assert!(
        diffs.is_empty(),
        "the decoded answer differs from the one sent:\n{}",
        diffs.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Order parts (§3 of the reference), as typed values and as the JSON expected on the wire.
// ---------------------------------------------------------------------------------------------

fn profile() -> Profile {
    Profile::new()
        .id(PROFILE_ID)
        .merchant_customer_id("CUST-7781")
        .first_name("Jane")
        .last_name("Doe")
        .payment_token(PAYMENT_TOKEN)
}

fn profile_json() -> Value {
    json!({
        "id": PROFILE_ID,
        "merchantCustomerId": "CUST-7781",
        "firstName": "Jane",
        "lastName": "Doe",
        "paymentToken": PAYMENT_TOKEN
    })
}

fn shopping_cart() -> Vec<CartItem> {
    vec![
        CartItem::new()
            .amount(400)
            .description("Tea towel")
            .sku("TT-01")
            .quantity(1),
        CartItem::new()
            .amount(150)
            .description("Postcard")
            .sku("PC-07")
            .quantity(2),
    ]
}

fn shopping_cart_json() -> Value {
    json!([
        { "amount": 400, "description": "Tea towel", "sku": "TT-01", "quantity": 1 },
        { "amount": 150, "description": "Postcard", "sku": "PC-07", "quantity": 2 }
    ])
}

fn ancillary_fees() -> Vec<AncillaryFee> {
    vec![AncillaryFee::new().amount(300).description("Shipping")]
}

fn ancillary_fees_json() -> Value {
    json!([{ "amount": 300, "description": "Shipping" }])
}

fn billing_details() -> BillingDetails {
    BillingDetails::new()
        .street("100 Queen Street")
        .street2("Flat 2")
        .city("London")
        .state("Greater London")
        .country("GB")
        .zip("SW1A 1AA")
        .phone("+442071234567")
        .use_as_shipping_address(false)
}

fn billing_details_json() -> Value {
    json!({
        "street": "100 Queen Street",
        "street2": "Flat 2",
        "city": "London",
        "state": "Greater London",
        "country": "GB",
        "zip": "SW1A 1AA",
        "phone": "+442071234567",
        "useAsShippingAddress": false
    })
}

fn shipping_details() -> ShippingDetails {
    ShippingDetails::new()
        .recipient_name("Jane Doe")
        .street("5 Harbour Road")
        .street2("Unit 4")
        .city("Bristol")
        .state("Avon")
        .country("GB")
        .zip("BS1 5AA")
        .phone("+441179876543")
        .carrier(Carrier::Rml)
        .ship_method(ShipMethod::N)
}

fn shipping_details_json() -> Value {
    json!({
        "recipientName": "Jane Doe",
        "street": "5 Harbour Road",
        "street2": "Unit 4",
        "city": "Bristol",
        "state": "Avon",
        "country": "GB",
        "zip": "BS1 5AA",
        "phone": "+441179876543",
        "carrier": "RML",
        "shipMethod": "N"
    })
}

fn callbacks() -> Vec<Callback> {
    vec![
        Callback::new()
            .format(CallbackFormat::Json)
            .rel(CallbackRel::OnSuccess)
            .uri("https://shop.example.co.uk/paysafe/callback")
            .delimiter("&")
            .retries(3)
            .return_keys(vec!["id".to_owned(), "transaction.status".to_owned()])
            .synchronous(true),
        Callback::new()
            .format(CallbackFormat::FormUrlencoded)
            .rel(CallbackRel::OnDecline)
            .uri("https://shop.example.co.uk/paysafe/declined")
            .delimiter(";")
            .retries(1)
            .return_keys(vec!["transaction.errorCode".to_owned()])
            .synchronous(false),
    ]
}

fn callbacks_json() -> Value {
    json!([
        {
            "format": "json",
            "rel": "on_success",
            "uri": "https://shop.example.co.uk/paysafe/callback",
            "delimiter": "&",
            "retries": 3,
            "returnKeys": ["id", "transaction.status"],
            "synchronous": true
        },
        {
            "format": "form-urlencoded",
            "rel": "on_decline",
            "uri": "https://shop.example.co.uk/paysafe/declined",
            "delimiter": ";",
            "retries": 1,
            "returnKeys": ["transaction.errorCode"],
            "synchronous": false
        }
    ])
}

fn redirects() -> Vec<Redirect> {
    vec![
        Redirect::new()
            .rel(RedirectRel::OnSuccess)
            .uri("https://shop.example.co.uk/thanks")
            .delimiter("&")
            .return_keys(vec!["id".to_owned()]),
        Redirect::new()
            .rel(RedirectRel::OnError)
            .uri("https://shop.example.co.uk/error")
            .delimiter("&")
            .return_keys(vec!["id".to_owned(), "transaction.errorMessage".to_owned()]),
    ]
}

fn redirects_json() -> Value {
    json!([
        {
            "rel": "on_success",
            "uri": "https://shop.example.co.uk/thanks",
            "delimiter": "&",
            "returnKeys": ["id"]
        },
        {
            "rel": "on_error",
            "uri": "https://shop.example.co.uk/error",
            "delimiter": "&",
            "returnKeys": ["id", "transaction.errorMessage"]
        }
    ])
}

/// The links a merchant sends (`cancel_url`, `return_url`).
fn request_links() -> Vec<Link> {
    vec![
        Link::new()
            .rel(LinkRel::CancelUrl)
            .uri("https://shop.example.co.uk/basket")
            .return_keys(vec!["id".to_owned()]),
        Link::new()
            .rel(LinkRel::ReturnUrl)
            .uri("https://shop.example.co.uk/account/orders")
            .return_keys(vec!["id".to_owned(), "merchantRefNum".to_owned()]),
    ]
}

fn request_links_json() -> Value {
    json!([
        {
            "rel": "cancel_url",
            "uri": "https://shop.example.co.uk/basket",
            "returnKeys": ["id"]
        },
        {
            "rel": "return_url",
            "uri": "https://shop.example.co.uk/account/orders",
            "returnKeys": ["id", "merchantRefNum"]
        }
    ])
}

fn addendum_data() -> Vec<KeyValue> {
    vec![KeyValue::new().key("invoice").value("INV-0001")]
}

fn addendum_data_json() -> Value {
    json!([{ "key": "invoice", "value": "INV-0001" }])
}

fn extended_options() -> Vec<ExtendedOption> {
    vec![
        ExtendedOption::new()
            .key(ExtendedOptionKey::AuthType)
            .value(json!("auth")),
        ExtendedOption::new()
            .key(ExtendedOptionKey::SilentPost)
            .value(json!("true")),
        ExtendedOption::new()
            .key(ExtendedOptionKey::EmailNotEditable)
            .value(json!("true")),
    ]
}

fn extended_options_json() -> Value {
    json!([
        { "key": "authType", "value": "auth" },
        { "key": "silentPost", "value": "true" },
        { "key": "emailNotEditable", "value": "true" }
    ])
}

/// Sets the order fields shared by every order-shaped request (process, rebill, rebill with a
/// profile, update of a rebill): one Rust type per operation, the same setters.
macro_rules! common_order_fields {
    ($request:expr) => {
        $request
            .customer_ip("192.0.2.10")
            .customer_notification_email("jane.doe@example.co.uk")
            .merchant_notification_email("orders@shop.example.co.uk")
            .due_date(payspec::Date::new("2016-12-15").unwrap())
            .shopping_cart(shopping_cart())
            .ancillary_fees(ancillary_fees())
            .billing_details(billing_details())
            .shipping_details(shipping_details())
            .callback(callbacks())
            .payment_method(vec!["card".to_owned()])
            .addendum_data(addendum_data())
            .extended_options(extended_options())
            .locale(Locale::EnGb)
    };
}

/// The wire shape of [`common_order_fields`] plus the three required fields.
fn common_order_json() -> Value {
    json!({
        "merchantRefNum": MERCHANT_REF,
        "currencyCode": "GBP",
        "totalAmount": 1000,
        "customerIp": "192.0.2.10",
        "customerNotificationEmail": "jane.doe@example.co.uk",
        "merchantNotificationEmail": "orders@shop.example.co.uk",
        "dueDate": "2016-12-15",
        "shoppingCart": shopping_cart_json(),
        "ancillaryFees": ancillary_fees_json(),
        "billingDetails": billing_details_json(),
        "shippingDetails": shipping_details_json(),
        "callback": callbacks_json(),
        "paymentMethod": ["card"],
        "addendumData": addendum_data_json(),
        "extendedOptions": extended_options_json(),
        "locale": "en_GB"
    })
}

fn with(mut object: Value, extra: Value) -> Value {
    if let (Value::Object(map), Value::Object(extra)) = (&mut object, extra) {
        map.extend(extra);
    }
    object
}

// ---------------------------------------------------------------------------------------------
// Answer fixtures (§2 records, §3 Order, §4 Transaction, §6 Error).
// ---------------------------------------------------------------------------------------------

fn transaction_json() -> Value {
    json!({
        "status": "success",
        "authType": "auth",
        "authCode": "A1B2C3",
        "confirmationNumber": "118537890",
        "merchantRefNum": MERCHANT_REF,
        "amount": 1000,
        "currencyCode": "GBP",
        "paymentType": "card",
        "settled": false,
        "refunded": false,
        "reversed": false,
        "lastUpdate": "2016-12-01T10:30:00",
        "dateTime": "2016-12-01T10:29:58",
        "reference": "REF-99812",
        "card": {
            "brand": "visa",
            "type": "credit",
            "bin": "453091",
            "lastDigits": "2345",
            "country": "GB",
            "expiry": "10/2027",
            "threeDEnrolment": "N"
        },
        "cvdVerification": "Matched",
        "houseNumberVerification": "Matched",
        "zipVerification": "Matched",
        "riskReasonCode": [1059, 3009],
        "errorCode": 0,
        "errorMessage": "No error",
        "associatedTransactions": [
            {
                "status": "success",
                "authType": "settlement",
                "confirmationNumber": "118537891",
                "merchantRefNum": "SETTLE-2016-0001",
                "amount": 1000,
                "currencyCode": "GBP",
                "settled": true,
                "lastUpdate": "2016-12-02T09:00:00"
            }
        ]
    })
}

/// An Order with every field of §3 filled (the `self` and `resend_callback` links embed the API
/// credentials, as the real API does), and one unknown field.
fn order_json() -> Value {
    with(
        common_order_json(),
        json!({
            "id": ORDER_ID,
            "profile": profile_json(),
            "redirect": redirects_json(),
            "link": [
                {
                    "rel": "hosted_payment",
                    "uri": "https://api.test.netbanx.com/hosted/v1/payment/53616c7465645f5f2f5d2bd1",
                    "returnKeys": ["id"]
                },
                {
                    "rel": "self",
                    "uri": "https://devcentre322:B-qa2-0-53e8a0a4@api.test.netbanx.com/hosted/v1/orders/27HBQSY9R5EGQSRA0A"
                },
                {
                    "rel": "resend_callback",
                    "uri": "https://devcentre322:B-qa2-0-53e8a0a4@api.test.netbanx.com/hosted/v1/orders/27HBQSY9R5EGQSRA0A/resend_callback"
                }
            ],
            "mode": "live",
            "type": "order",
            "associatedTransactions": [transaction_json()],
            "transaction": transaction_json(),
            "status": "success",
            "error": {
                "code": "5068",
                "message": "Field error(s)",
                "details": ["Either you submitted a request that is missing a mandatory field or the value of a field does not match the format expected."],
                "fieldErrors": [{ "field": "billingDetails.zip", "error": "size must be between 1 and 10" }],
                "links": [{ "rel": "errorinfo", "href": "https://developer.paysafe.com/en/rest-api/cards/test-and-go-live/card-errors/#ErrorCode5068" }]
            },
            UNKNOWN_FIELD: { "anything": [1, 2] }
        }),
    )
}

/// Checks a decoded Order against [`order_json`]: every top-level field, a sample of nested
/// ones, then the whole value by round trip.
fn assert_order(order: &Order) {
    assert_eq!(order.id.as_deref(), Some(ORDER_ID));
    assert_eq!(order.merchant_ref_num.as_deref(), Some(MERCHANT_REF));
    assert_eq!(order.currency_code, Some(Currency::Gbp));
    assert_eq!(order.total_amount, Some(1000.into()));
    assert_eq!(order.customer_ip.as_deref(), Some("192.0.2.10"));
    assert_eq!(
        order.customer_notification_email.as_deref(),
        Some("jane.doe@example.co.uk")
    );
    assert_eq!(
        order.merchant_notification_email.as_deref(),
        Some("orders@shop.example.co.uk")
    );
    assert_eq!(
        order.due_date.as_ref().map(AsRef::as_ref),
        Some("2016-12-15")
    );
    assert_eq!(order.profile, Some(profile()));
    assert_eq!(order.shopping_cart, Some(shopping_cart()));
    assert_eq!(order.ancillary_fees, Some(ancillary_fees()));
    assert_eq!(order.billing_details, Some(billing_details()));
    assert_eq!(order.shipping_details, Some(shipping_details()));
    assert_eq!(order.callback, Some(callbacks()));
    assert_eq!(order.redirect, Some(redirects()));
    let links = order.link.as_ref().expect("link");
    assert_eq!(links.len(), 3);
    assert_eq!(links[0].rel, Some(LinkRel::HostedPayment));
    assert_eq!(links[1].rel, Some(LinkRel::Self_));
    assert_eq!(links[2].rel, Some(LinkRel::ResendCallback));
    assert_eq!(order.payment_method, Some(vec!["card".to_owned()]));
    assert_eq!(order.addendum_data, Some(addendum_data()));
    assert_eq!(order.extended_options, Some(extended_options()));
    assert_eq!(order.locale, Some(Locale::EnGb));
    assert_eq!(order.mode, Some(Mode::Live));
    assert_eq!(order.r#type, Some(OrderType::Order));
    assert_eq!(order.status.as_deref(), Some("success"));
    assert_eq!(
        order.associated_transactions.as_ref().map(Vec::len),
        Some(1)
    );

    let transaction = order.transaction.as_ref().expect("transaction");
    assert_eq!(transaction.status, Some(TransactionStatus::Success));
    assert_eq!(transaction.auth_type, Some(AuthType::Auth));
    assert_eq!(transaction.amount, Some(1000.into()));
    assert_eq!(transaction.settled, Some(false));
    assert_eq!(
        transaction.risk_reason_code,
        Some(vec![1059.into(), 3009.into()])
    );
    assert_eq!(transaction.error_code, Some(0.into()));
    let card = transaction.card.as_ref().expect("card");
    assert_eq!(card.r#type.as_deref(), Some("credit"));
    assert_eq!(card.last_digits.as_deref(), Some("2345"));
    assert_eq!(card.three_d_enrolment.as_deref(), Some("N"));
    let settlement = &transaction
        .associated_transactions
        .as_ref()
        .expect("associatedTransactions")[0];
    assert_eq!(settlement.auth_type, Some(AuthType::Settlement));

    let error = order.error.as_ref().expect("error");
    assert_eq!(error.code, Some(ErrorCode::V5068));
    let field_errors = error.field_errors.as_ref().expect("fieldErrors");
    assert_eq!(field_errors[0].field.as_deref(), Some("billingDetails.zip"));
    assert!(error.links.is_some());

    assert_round_trip!(order, &order_json());
}

fn refund_json() -> Value {
    json!({
        "id": "1YT9B4P8OR76WFPCJ1",
        "merchantRefNum": "REFUND-2016-0001",
        "originalMerchantRefNum": MERCHANT_REF,
        "amount": 500,
        "currencyCode": "GBP",
        "authType": "refund",
        "confirmationNumber": "118537892",
        "mode": "live",
        UNKNOWN_FIELD: null
    })
}

fn settlement_json() -> Value {
    json!({
        "id": SETTLEMENT_ID,
        "amount": 1000,
        "merchantRefNum": "SETTLE-2016-0001",
        "originalMerchantRefNum": MERCHANT_REF,
        "authType": "settlement",
        "confirmationNumber": "118537891",
        "currencyCode": "GBP",
        "mode": "live",
        UNKNOWN_FIELD: "x"
    })
}

fn assert_settlement(settlement: &payspec::paysafe::Settlement) {
    assert_eq!(settlement.id.as_deref(), Some(SETTLEMENT_ID));
    assert_eq!(settlement.amount, Some(1000.into()));
    assert_eq!(
        settlement.merchant_ref_num.as_deref(),
        Some("SETTLE-2016-0001")
    );
    assert_eq!(
        settlement.original_merchant_ref_num.as_deref(),
        Some(MERCHANT_REF)
    );
    assert_eq!(settlement.auth_type, Some(AuthType::Settlement));
    assert_eq!(settlement.confirmation_number.as_deref(), Some("118537891"));
    assert_eq!(settlement.currency_code, Some(Currency::Gbp));
    assert_eq!(settlement.mode, Some(Mode::Live));
    assert_round_trip!(settlement, &settlement_json());
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn orders_process_sets_every_parameter() {
    let server = MockServer::start().await;
    let body = with(
        common_order_json(),
        json!({
            "profile": profile_json(),
            "redirect": redirects_json(),
            "link": request_links_json()
        }),
    );
    mount(
        &server,
        "POST",
        "/hosted/v1/orders",
        None,
        Some(body),
        order_json(),
    )
    .await;
    let request =
        common_order_fields!(OrdersProcessRequest::new(MERCHANT_REF, Currency::Gbp, 1000))
            .profile(profile())
            .redirect(redirects())
            .link(request_links());
    let order = ok(&server, client(&server).orders_process(&request).await).await;
    assert_order(&order);
}

#[tokio::test]
async fn orders_cancel_sends_no_body() {
    let server = MockServer::start().await;
    mount(
        &server,
        "DELETE",
        "/hosted/v1/orders/27HBQSY9R5EGQSRA0A",
        None,
        None,
        order_json(),
    )
    .await;
    let request = OrdersCancelRequest::new(ORDER_ID);
    let order = ok(&server, client(&server).orders_cancel(&request).await).await;
    assert_order(&order);
}

#[tokio::test]
async fn orders_cancel_held_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "PUT",
        "/hosted/v1/orders/27HBQSY9R5EGQSRA0A",
        None,
        Some(json!({ "transaction": { "status": "cancelled" } })),
        order_json(),
    )
    .await;
    let request = OrdersCancelHeldRequest::new(
        ORDER_ID,
        OrdersCancelHeldTransaction::new(HeldOrderCancellation::Cancelled),
    );
    let order = ok(&server, client(&server).orders_cancel_held(&request).await).await;
    assert_order(&order);
}

#[tokio::test]
async fn orders_resend_callback_sends_no_body() {
    let server = MockServer::start().await;
    // The answer is raw JSON (the SDKs disagree); the Node SDK reads an Order, which the named
    // type then decodes.
    mount(
        &server,
        "GET",
        "/hosted/v1/orders/27HBQSY9R5EGQSRA0A/resend_callback",
        None,
        None,
        order_json(),
    )
    .await;
    let request = OrdersResendCallbackRequest::new(ORDER_ID);
    let answer = ok(
        &server,
        client(&server).orders_resend_callback(&request).await,
    )
    .await;
    assert_eq!(answer, order_json());
    let order: Order = serde_json::from_value(answer).expect("an Order");
    assert_order(&order);
}

#[tokio::test]
async fn orders_resend_callback_accepts_a_bare_true() {
    let server = MockServer::start().await;
    // What the PHP SDK expects.
    mount(
        &server,
        "GET",
        "/hosted/v1/orders/27HBQSY9R5EGQSRA0A/resend_callback",
        None,
        None,
        json!(true),
    )
    .await;
    let request = OrdersResendCallbackRequest::new(ORDER_ID);
    let answer = ok(
        &server,
        client(&server).orders_resend_callback(&request).await,
    )
    .await;
    assert_eq!(answer, json!(true));
}

#[tokio::test]
async fn orders_rebill_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        "/hosted/v1/orders/27HBQSY9R5EGQSRA0A",
        None,
        Some(common_order_json()),
        order_json(),
    )
    .await;
    let request = common_order_fields!(OrdersRebillRequest::new(
        ORDER_ID,
        MERCHANT_REF,
        Currency::Gbp,
        1000
    ));
    let order = ok(&server, client(&server).orders_rebill(&request).await).await;
    assert_order(&order);
}

#[tokio::test]
async fn orders_rebill_with_profile_sets_every_parameter() {
    let server = MockServer::start().await;
    let body = with(
        common_order_json(),
        json!({ "profile": { "id": PROFILE_ID, "paymentToken": PAYMENT_TOKEN } }),
    );
    mount(
        &server,
        "POST",
        "/hosted/v1/orders",
        None,
        Some(body),
        order_json(),
    )
    .await;
    let request = common_order_fields!(OrdersRebillWithProfileRequest::new(
        MERCHANT_REF,
        Currency::Gbp,
        1000,
        OrdersRebillWithProfileProfile::new(PROFILE_ID, PAYMENT_TOKEN),
    ));
    let order = ok(
        &server,
        client(&server).orders_rebill_with_profile(&request).await,
    )
    .await;
    assert_order(&order);
}

#[tokio::test]
async fn orders_get_sends_no_body() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/hosted/v1/orders/27HBQSY9R5EGQSRA0A",
        None,
        None,
        order_json(),
    )
    .await;
    let request = OrdersGetRequest::new(ORDER_ID);
    let order = ok(&server, client(&server).orders_get(&request).await).await;
    assert_order(&order);
}

#[tokio::test]
async fn orders_update_held_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "PUT",
        "/hosted/v1/orders/27HBQSY9R5EGQSRA0A",
        None,
        Some(json!({ "transaction": { "status": "success" } })),
        order_json(),
    )
    .await;
    let request = OrdersUpdateHeldRequest::new(
        ORDER_ID,
        OrdersUpdateHeldTransaction::new(HeldOrderDecision::Success),
    );
    let order = ok(&server, client(&server).orders_update_held(&request).await).await;
    assert_order(&order);
}

#[tokio::test]
async fn orders_update_rebill_sets_every_parameter() {
    let server = MockServer::start().await;
    let body = with(
        common_order_json(),
        json!({
            "profile": profile_json(),
            "redirect": redirects_json(),
            "link": request_links_json()
        }),
    );
    mount(
        &server,
        "PUT",
        "/hosted/v1/orders/27HBQSY9R5EGQSRA0A",
        None,
        Some(body),
        order_json(),
    )
    .await;
    let request = common_order_fields!(OrdersUpdateRebillRequest::new(ORDER_ID))
        .merchant_ref_num(MERCHANT_REF)
        .currency_code(Currency::Gbp)
        .total_amount(1000)
        .profile(profile())
        .redirect(redirects())
        .link(request_links());
    let order = ok(
        &server,
        client(&server).orders_update_rebill(&request).await,
    )
    .await;
    assert_order(&order);
}

fn second_order_json() -> Value {
    json!({
        "id": "3KQ8WZ1M0N2B4V6C8X",
        "merchantRefNum": "ORDER-2016-0002",
        "currencyCode": "GBP",
        "totalAmount": 2500,
        "mode": "live",
        "type": "order"
    })
}

fn report_json() -> Value {
    json!({
        "records": [order_json(), second_order_json()],
        "count": 2,
        "navigation": {
            "previous": "https://api.test.netbanx.com/hosted/v1/orders?num=25&start=25",
            "next": "https://api.test.netbanx.com/hosted/v1/orders?num=25&start=75"
        },
        UNKNOWN_FIELD: 7
    })
}

#[tokio::test]
async fn orders_report_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/hosted/v1/orders",
        Some("num=25&start=50"),
        None,
        report_json(),
    )
    .await;
    let request = OrdersReportRequest::new().num(25).start(50);
    let report = ok(&server, client(&server).orders_report(&request).await).await;
    let records = report.records.as_ref().expect("records");
    assert_eq!(records.len(), 2);
    assert_order(&records[0]);
    assert_eq!(records[1].id.as_deref(), Some("3KQ8WZ1M0N2B4V6C8X"));
    assert_eq!(records[1].total_amount, Some(2500.into()));
    assert_eq!(report.count, Some(2.into()));
    assert_eq!(
        report.navigation.as_ref().and_then(|n| n["next"].as_str()),
        Some("https://api.test.netbanx.com/hosted/v1/orders?num=25&start=75")
    );
    assert_round_trip!(&report, &report_json());
}

/// A page of the report walk: `count` orders whose ids start at `first`.
fn report_page(first: usize, count: usize) -> Value {
    let records: Vec<Value> = (first..first + count)
        .map(|i| {
            json!({
                "id": format!("ORDER{i:013}"),
                "merchantRefNum": format!("ORDER-2016-{i:04}"),
                "currencyCode": "GBP",
                "totalAmount": 1000 + i,
                "mode": "live",
                "type": "order"
            })
        })
        .collect();
    json!({ "records": records, "count": count })
}

#[tokio::test]
async fn orders_report_pages_walks_with_next_page() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/hosted/v1/orders",
        Some("num=2&start=10"),
        None,
        report_page(10, 2),
    )
    .await;
    mount(
        &server,
        "GET",
        "/hosted/v1/orders",
        Some("num=2&start=12"),
        None,
        report_page(12, 1),
    )
    .await;
    let client = client(&server);
    let mut pages = client.orders_report_pages(OrdersReportRequest::new().num(2).start(10));
    let first = pages.next_page().await.expect("a first page");
    let first = ok(&server, first).await;
    assert_eq!(
        first.iter().map(|o| o.id.clone()).collect::<Vec<_>>(),
        vec![
            Some("ORDER0000000000010".to_owned()),
            Some("ORDER0000000000011".to_owned())
        ]
    );
    let second = pages.next_page().await.expect("a second page");
    let second = ok(&server, second).await;
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].total_amount, Some(1012.into()));
    assert!(
        pages.next_page().await.is_none(),
        "a short page ends the walk"
    );
}

#[tokio::test]
async fn orders_report_pages_collects_every_page() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/hosted/v1/orders",
        Some("num=2"),
        None,
        report_page(0, 2),
    )
    .await;
    mount(
        &server,
        "GET",
        "/hosted/v1/orders",
        Some("num=2&start=2"),
        None,
        report_page(2, 2),
    )
    .await;
    mount(
        &server,
        "GET",
        "/hosted/v1/orders",
        Some("num=2&start=4"),
        None,
        json!({ "records": [], "count": 0 }),
    )
    .await;
    let client = client(&server);
    let all = client
        .orders_report_pages(OrdersReportRequest::new().num(2))
        .collect_all()
        .await;
    let all = ok(&server, all).await;
    assert_eq!(all.len(), 4);
    assert_eq!(all[3].merchant_ref_num.as_deref(), Some("ORDER-2016-0003"));
}

#[tokio::test]
async fn orders_refund_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        "/hosted/v1/orders/27HBQSY9R5EGQSRA0A/refund",
        None,
        Some(json!({ "amount": 500, "merchantRefNum": "REFUND-2016-0001" })),
        refund_json(),
    )
    .await;
    let request = OrdersRefundRequest::new(ORDER_ID)
        .amount(500)
        .merchant_ref_num("REFUND-2016-0001");
    let refund = ok(&server, client(&server).orders_refund(&request).await).await;
    assert_eq!(refund.id.as_deref(), Some("1YT9B4P8OR76WFPCJ1"));
    assert_eq!(refund.merchant_ref_num.as_deref(), Some("REFUND-2016-0001"));
    assert_eq!(
        refund.original_merchant_ref_num.as_deref(),
        Some(MERCHANT_REF)
    );
    assert_eq!(refund.amount, Some(500.into()));
    assert_eq!(refund.currency_code, Some(Currency::Gbp));
    assert_eq!(refund.auth_type, Some(AuthType::Refund));
    assert_eq!(refund.confirmation_number.as_deref(), Some("118537892"));
    assert_eq!(refund.mode, Some(Mode::Live));
    assert_round_trip!(&refund, &refund_json());
}

#[tokio::test]
async fn orders_settle_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        "/hosted/v1/orders/27HBQSY9R5EGQSRA0A/settlement",
        None,
        Some(json!({ "amount": 1000, "merchantRefNum": "SETTLE-2016-0001" })),
        settlement_json(),
    )
    .await;
    let request = OrdersSettleRequest::new(ORDER_ID)
        .amount(1000)
        .merchant_ref_num("SETTLE-2016-0001");
    let settlement = ok(&server, client(&server).orders_settle(&request).await).await;
    assert_settlement(&settlement);
}

#[tokio::test]
async fn settlements_cancel_sends_no_body() {
    let server = MockServer::start().await;
    mount(
        &server,
        "DELETE",
        "/hosted/v1/orders/1Z7NAD8JYJTF43RX3C",
        None,
        None,
        settlement_json(),
    )
    .await;
    let request = SettlementsCancelRequest::new(SETTLEMENT_ID);
    let settlement = ok(&server, client(&server).settlements_cancel(&request).await).await;
    assert_settlement(&settlement);
}

fn credit_json() -> Value {
    json!({
        "id": "2PQ7RS4TU9VW1XY3Z5",
        "merchantRefNum": "CREDIT-2016-0001",
        "amount": 1000,
        "currencyCode": "GBP",
        "mode": "live"
    })
}

#[tokio::test]
async fn credits_original_with_order_id_sends_no_body() {
    let server = MockServer::start().await;
    // Nothing is known of this operation but its name: no body field, raw JSON answer.
    mount(
        &server,
        "POST",
        "/hosted/v1/orders/27HBQSY9R5EGQSRA0A/credit",
        None,
        None,
        credit_json(),
    )
    .await;
    let request = CreditsOriginalWithOrderIdRequest::new(ORDER_ID);
    let answer = ok(
        &server,
        client(&server)
            .credits_original_with_order_id(&request)
            .await,
    )
    .await;
    assert_eq!(answer, credit_json());
}

#[tokio::test]
async fn credits_original_with_profile_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        "/hosted/v1/credits",
        None,
        Some(json!({
            "profile": { "id": PROFILE_ID, "paymentToken": PAYMENT_TOKEN },
            "merchantRefNum": "CREDIT-2016-0001",
            "currencyCode": "GBP",
            "totalAmount": 1000
        })),
        credit_json(),
    )
    .await;
    let request = CreditsOriginalWithProfileRequest::new(
        CreditsOriginalWithProfileProfile::new(PROFILE_ID, PAYMENT_TOKEN),
        "CREDIT-2016-0001",
        Currency::Gbp,
        1000,
    );
    let answer = ok(
        &server,
        client(&server)
            .credits_original_with_profile(&request)
            .await,
    )
    .await;
    assert_eq!(answer, credit_json());
}
