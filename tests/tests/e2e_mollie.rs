//! The generated Mollie client against a real HTTP server on loopback: for every operation the
//! exact method, path, query, headers and JSON body it sends, and the decoding of answers shaped
//! like the ones in Mollie's docs (HAL links, embedded lists, decimal amounts).

use payspec::mollie::{
    Address, Amount, CaptureMode, CaptureStatus, CapturesCreateRequest, CapturesGetRequest,
    CapturesListRequest, Client, Credentials, Currency, ExternalReferenceType, LineCategory,
    LineType, Locale, MethodResource, MethodStatus, MethodsGetRequest, MethodsListRequest, Mode,
    PaymentMethod, PaymentStatus, PaymentsCancelRequest, PaymentsCreateAmount,
    PaymentsCreateApplicationFee, PaymentsCreateLines, PaymentsCreateRequest, PaymentsGetRequest,
    PaymentsListRequest, PaymentsUpdateRequest, RefundStatus, RefundsCancelRequest,
    RefundsCreateAmount, RefundsCreateExternalReference, RefundsCreateRequest, RefundsGetRequest,
    RefundsListRequest, SequenceType, Sort,
};
use payspec::runtime::{Decimal, Error, Rule};
use payspec::{ClientConfig, RetryPolicy};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const API_KEY: &str = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM";

/// The `Authorization` header every call must carry: the API key as a bearer token.
fn auth_header() -> &'static str {
    "Bearer test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"
}

fn client_with(server: &MockServer, policy: RetryPolicy) -> Client {
    let config = ClientConfig::new(server.uri(), Credentials::bearer(API_KEY)).retry_policy(policy);
    Client::with_config(config).expect("loopback http is allowed")
}

fn client(server: &MockServer) -> Client {
    client_with(server, RetryPolicy::none())
}

fn dec(text: &str) -> Decimal {
    Decimal::new(text).expect("a decimal")
}

/// Answers every request with `status` and `body` (no body when `Value::Null`).
async fn answer(server: &MockServer, status: u16, body: Value) {
    let template = ResponseTemplate::new(status);
    let template = if body.is_null() {
        template
    } else {
        template
            .insert_header("content-type", "application/hal+json")
            .set_body_json(body)
    };
    Mock::given(wiremock::matchers::any())
        .respond_with(template)
        .mount(server)
        .await;
}

/// What one request must be.
struct Expected<'a> {
    method: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    body: Option<Value>,
    keyed: bool,
}

/// The requests the server received.
async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Asserts that the server saw exactly one request, and that it is `expected`.
async fn assert_sent(server: &MockServer, expected: Expected<'_>) {
    let requests = received(server).await;
    assert_eq!(requests.len(), 1, "one request");
    let request = &requests[0];
    assert_eq!(request.method.as_str(), expected.method);
    assert_eq!(request.url.path(), expected.path);
    assert_eq!(request.url.query(), expected.query);
    assert_eq!(header(request, "authorization"), Some(auth_header()));
    let key = header(request, "idempotency-key");
    if expected.keyed {
        let key = key.expect("a keyed call carries an Idempotency-Key");
        assert_eq!(key.len(), 36, "a generated UUID: {key}");
    } else {
        assert_eq!(key, None, "only keyed calls carry a key");
    }
    match expected.body {
        Some(body) => {
            assert_eq!(header(request, "content-type"), Some("application/json"));
            let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body");
            assert_eq!(sent, body);
        }
        None => assert!(request.body.is_empty(), "no body"),
    }
}

/// A payment as Mollie's docs show one, open and waiting for the checkout.
fn payment_json() -> Value {
    json!({
        "resource": "payment",
        "id": "tr_WDqYK6vllg",
        "mode": "test",
        "createdAt": "2018-03-20T13:13:37+00:00",
        "amount": { "value": "10.00", "currency": "EUR" },
        "amountRemaining": { "value": "10.00", "currency": "EUR" },
        "description": "Order #12345",
        "method": null,
        "metadata": { "order_id": "12345" },
        "status": "open",
        "isCancelable": false,
        "expiresAt": "2018-03-20T13:28:37+00:00",
        "details": null,
        "profileId": "pfl_QkEhN94Ba",
        "sequenceType": "oneoff",
        "redirectUrl": "https://webshop.example.org/order/12345/",
        "webhookUrl": "https://webshop.example.org/payments/webhook/",
        "locale": "nl_NL",
        "_links": {
            "self": {
                "href": "https://api.mollie.com/v2/payments/tr_WDqYK6vllg",
                "type": "application/hal+json"
            },
            "checkout": {
                "href": "https://www.mollie.com/checkout/issuer/select/ideal/7UhSN1zuXS",
                "type": "text/html"
            },
            "dashboard": {
                "href": "https://www.mollie.com/dashboard/org_12345678/payments/tr_WDqYK6vllg",
                "type": "text/html"
            },
            "documentation": {
                "href": "https://docs.mollie.com/reference/create-payment",
                "type": "text/html"
            }
        }
    })
}

fn refund_json() -> Value {
    json!({
        "resource": "refund",
        "id": "re_4qqhO89gsT",
        "mode": "test",
        "amount": { "currency": "EUR", "value": "5.95" },
        "status": "pending",
        "createdAt": "2018-03-14T17:09:02.0Z",
        "description": "Order #12345",
        "metadata": { "bookkeeping_id": 12345 },
        "paymentId": "tr_WDqYK6vllg",
        "settlementAmount": { "currency": "EUR", "value": "-5.95" },
        "_links": {
            "self": {
                "href": "https://api.mollie.com/v2/payments/tr_WDqYK6vllg/refunds/re_4qqhO89gsT",
                "type": "application/hal+json"
            },
            "payment": {
                "href": "https://api.mollie.com/v2/payments/tr_WDqYK6vllg",
                "type": "application/hal+json"
            }
        }
    })
}

fn capture_json() -> Value {
    json!({
        "resource": "capture",
        "id": "cpt_mNepDkEtco6ah3QNPUGYH",
        "mode": "live",
        "description": "Capture for cart #12345",
        "amount": { "value": "35.95", "currency": "EUR" },
        "settlementAmount": { "value": "35.95", "currency": "EUR" },
        "status": "succeeded",
        "paymentId": "tr_WDqYK6vllg",
        "settlementId": "stl_jDk30akdN",
        "createdAt": "2018-08-02T09:29:56+00:00",
        "_links": {
            "self": {
                "href": "https://api.mollie.com/v2/payments/tr_WDqYK6vllg/captures/cpt_mNepDkEtco6ah3QNPUGYH",
                "type": "application/hal+json"
            },
            "payment": {
                "href": "https://api.mollie.com/v2/payments/tr_WDqYK6vllg",
                "type": "application/hal+json"
            }
        }
    })
}

fn ideal_json() -> Value {
    json!({
        "resource": "method",
        "id": "ideal",
        "description": "iDEAL",
        "minimumAmount": { "value": "0.01", "currency": "EUR" },
        "maximumAmount": { "value": "50000.00", "currency": "EUR" },
        "image": {
            "size1x": "https://www.mollie.com/external/icons/payment-methods/ideal.png",
            "size2x": "https://www.mollie.com/external/icons/payment-methods/ideal%402x.png",
            "svg": "https://www.mollie.com/external/icons/payment-methods/ideal.svg"
        },
        "status": "activated",
        "_links": {
            "self": {
                "href": "https://api.mollie.com/v2/methods/ideal",
                "type": "application/hal+json"
            }
        }
    })
}

#[tokio::test]
async fn payments_create_sends_every_parameter_and_decodes_the_open_payment() {
    let server = MockServer::start().await;
    answer(&server, 201, payment_json()).await;
    let line = PaymentsCreateLines::new()
        .r#type(LineType::Physical)
        .description("LEGO 4440 Forest Police Station")
        .quantity(1)
        .quantity_unit("pcs")
        .unit_price(Amount::new().currency(Currency::Eur).value(dec("10.00")))
        .total_amount(Amount::new().currency(Currency::Eur).value(dec("10.00")))
        .vat_rate(dec("21.00"))
        .vat_amount(Amount::new().currency(Currency::Eur).value(dec("1.74")))
        .sku("5702016116977")
        .categories(vec![LineCategory::Gift])
        .image_url("https://example.org/lego.png")
        .product_url("https://example.org/lego");
    let request = PaymentsCreateRequest::new(
        "Order #12345",
        PaymentsCreateAmount::new(Currency::Eur, dec("10.00")),
    )
    .redirect_url("https://webshop.example.org/order/12345/")
    .cancel_url("https://webshop.example.org/order/12345/canceled")
    .webhook_url("https://webshop.example.org/payments/webhook/")
    .lines(vec![line])
    .billing_address(
        Address::new()
            .given_name("Piet")
            .family_name("Mondriaan")
            .street_and_number("Keizersgracht 126")
            .postal_code("1015 CW")
            .city("Amsterdam")
            .country("NL")
            .email("piet@example.org"),
    )
    .locale(Locale::NlNl)
    .method(PaymentMethod::Ideal)
    .issuer("ideal_INGBNL2A")
    .restrict_payment_methods_to_country("NL")
    .metadata(json!({ "order_id": "12345" }))
    .capture_mode(CaptureMode::Automatic)
    .capture_delay("8 hours")
    .application_fee(
        PaymentsCreateApplicationFee::new()
            .amount(Amount::new().currency(Currency::Eur).value(dec("0.50")))
            .description("Platform fee"),
    )
    .sequence_type(SequenceType::Oneoff)
    .customer_id("cst_8wmqcHMN4U")
    .profile_id("pfl_QkEhN94Ba")
    .due_date(payspec::Date::new("2018-03-30").unwrap())
    .apple_pay_payment_token("{\"paymentData\": {\"version\": \"EC_v1\"}}")
    .card_token("tkn_UqAvArKHKL")
    .voucher_number("603382000000000001")
    .voucher_pin("pin-9071")
    .consumer_name("P. Mondriaan")
    .consumer_account("NL55INGB0000000000")
    .customer_reference("customer-12345")
    .terminal_id("term_7MgL4wea46qkRcoTZjWEH")
    .session_id("sess-12345")
    .digital_goods(false)
    .extra_merchant_data(
        json!({ "customer_account_info": [{ "unique_account_identifier": "12345" }] }),
    )
    .testmode(true);
    let shown = format!("{request:?}");
    for secret in [
        "tkn_UqAvArKHKL",
        "EC_v1",
        "603382000000000001",
        "pin-9071",
        "NL55INGB",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let payment = client(&server)
        .payments_create(&request)
        .await
        .expect("created");
    assert_sent(
        &server,
        Expected {
            method: "POST",
            path: "/payments",
            query: None,
            keyed: true,
            body: Some(json!({
                "description": "Order #12345",
                "amount": { "currency": "EUR", "value": "10.00" },
                "redirectUrl": "https://webshop.example.org/order/12345/",
                "cancelUrl": "https://webshop.example.org/order/12345/canceled",
                "webhookUrl": "https://webshop.example.org/payments/webhook/",
                "lines": [{
                    "type": "physical",
                    "description": "LEGO 4440 Forest Police Station",
                    "quantity": 1,
                    "quantityUnit": "pcs",
                    "unitPrice": { "currency": "EUR", "value": "10.00" },
                    "totalAmount": { "currency": "EUR", "value": "10.00" },
                    "vatRate": "21.00",
                    "vatAmount": { "currency": "EUR", "value": "1.74" },
                    "sku": "5702016116977",
                    "categories": ["gift"],
                    "imageUrl": "https://example.org/lego.png",
                    "productUrl": "https://example.org/lego"
                }],
                "billingAddress": {
                    "givenName": "Piet",
                    "familyName": "Mondriaan",
                    "streetAndNumber": "Keizersgracht 126",
                    "postalCode": "1015 CW",
                    "city": "Amsterdam",
                    "country": "NL",
                    "email": "piet@example.org"
                },
                "locale": "nl_NL",
                "method": "ideal",
                "issuer": "ideal_INGBNL2A",
                "restrictPaymentMethodsToCountry": "NL",
                "metadata": { "order_id": "12345" },
                "captureMode": "automatic",
                "captureDelay": "8 hours",
                "applicationFee": {
                    "amount": { "currency": "EUR", "value": "0.50" },
                    "description": "Platform fee"
                },
                "sequenceType": "oneoff",
                "customerId": "cst_8wmqcHMN4U",
                "profileId": "pfl_QkEhN94Ba",
                "dueDate": "2018-03-30",
                "applePayPaymentToken": "{\"paymentData\": {\"version\": \"EC_v1\"}}",
                "cardToken": "tkn_UqAvArKHKL",
                "voucherNumber": "603382000000000001",
                "voucherPin": "pin-9071",
                "consumerName": "P. Mondriaan",
                "consumerAccount": "NL55INGB0000000000",
                "customerReference": "customer-12345",
                "terminalId": "term_7MgL4wea46qkRcoTZjWEH",
                "sessionId": "sess-12345",
                "digitalGoods": false,
                "extraMerchantData": { "customer_account_info": [{ "unique_account_identifier": "12345" }] },
                "testmode": true
            })),
        },
    )
    .await;
    assert_eq!(payment.id.as_deref(), Some("tr_WDqYK6vllg"));
    assert_eq!(payment.mode, Some(Mode::Test));
    assert_eq!(payment.status, Some(PaymentStatus::Open));
    assert_eq!(payment.method, None, "null decodes as absent");
    assert_eq!(payment.sequence_type, Some(SequenceType::Oneoff));
    assert_eq!(payment.locale, Some(Locale::NlNl));
    let amount = payment.amount.expect("amount");
    assert_eq!(amount.currency, Some(Currency::Eur));
    let value = amount.value.expect("value");
    assert_eq!(value.as_str(), "10.00");
    assert_eq!(value.to_minor(2), Ok(1000));
    let links = payment.links.expect("links");
    assert_eq!(
        links.checkout.and_then(|l| l.href).as_deref(),
        Some("https://www.mollie.com/checkout/issuer/select/ideal/7UhSN1zuXS")
    );
    assert_eq!(
        links.self_.and_then(|l| l.r#type).as_deref(),
        Some("application/hal+json")
    );
}

#[tokio::test]
async fn payments_get_sends_its_query_and_decodes_embedded_refunds() {
    let server = MockServer::start().await;
    let mut paid = payment_json();
    paid["status"] = json!("paid");
    paid["method"] = json!("ideal");
    paid["paidAt"] = json!("2018-03-20T13:16:01+00:00");
    paid["amountRefunded"] = json!({ "value": "5.95", "currency": "EUR" });
    paid["_embedded"] = json!({ "refunds": [refund_json()] });
    answer(&server, 200, paid).await;
    let payment = client(&server)
        .payments_get(
            &PaymentsGetRequest::new("tr_WDqYK6vllg")
                .include("details.qrCode")
                .embed("refunds,captures")
                .testmode(true),
        )
        .await
        .expect("payment");
    assert_sent(
        &server,
        Expected {
            method: "GET",
            path: "/payments/tr_WDqYK6vllg",
            query: Some("include=details.qrCode&embed=refunds%2Ccaptures&testmode=true"),
            keyed: false,
            body: None,
        },
    )
    .await;
    assert_eq!(payment.status, Some(PaymentStatus::Paid));
    assert_eq!(payment.method, Some(PaymentMethod::Ideal));
    assert_eq!(
        payment.paid_at.as_ref().map(AsRef::as_ref),
        Some("2018-03-20T13:16:01+00:00")
    );
    let refunded = payment.amount_refunded.expect("refunded");
    assert_eq!(refunded.value, Some(dec("5.95")));
    let refunds = payment.embedded.and_then(|e| e.refunds).expect("refunds");
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].id.as_deref(), Some("re_4qqhO89gsT"));
    assert_eq!(refunds[0].status, Some(RefundStatus::Pending));
}

#[tokio::test]
async fn payments_list_sends_the_cursor_and_decodes_the_page() {
    let server = MockServer::start().await;
    answer(
        &server,
        200,
        json!({
            "count": 1,
            "_embedded": { "payments": [payment_json()] },
            "_links": {
                "self": { "href": "https://api.mollie.com/v2/payments?limit=5", "type": "application/hal+json" },
                "previous": null,
                "next": { "href": "https://api.mollie.com/v2/payments?from=tr_SDkzMggpvx&limit=5", "type": "application/hal+json" },
                "documentation": { "href": "https://docs.mollie.com/reference/list-payments", "type": "text/html" }
            }
        }),
    )
    .await;
    let page = client(&server)
        .payments_list(
            &PaymentsListRequest::new()
                .from("tr_8WhJKGmgBy")
                .limit(5)
                .sort(Sort::Desc)
                .profile_id("pfl_QkEhN94Ba")
                .testmode(false),
        )
        .await
        .expect("page");
    assert_sent(
        &server,
        Expected {
            method: "GET",
            path: "/payments",
            query: Some(
                "from=tr_8WhJKGmgBy&limit=5&sort=desc&profileId=pfl_QkEhN94Ba&testmode=false",
            ),
            keyed: false,
            body: None,
        },
    )
    .await;
    assert_eq!(page.count, Some(1.into()));
    let payments = page.embedded.and_then(|e| e.payments).expect("payments");
    assert_eq!(payments[0].id.as_deref(), Some("tr_WDqYK6vllg"));
    let links = page.links.expect("links");
    assert_eq!(links.previous, None);
    assert_eq!(
        links.next.and_then(|l| l.href).as_deref(),
        Some("https://api.mollie.com/v2/payments?from=tr_SDkzMggpvx&limit=5")
    );
}

#[tokio::test]
async fn payments_list_refuses_a_limit_beyond_250_before_sending() {
    let server = MockServer::start().await;
    answer(&server, 200, json!({})).await;
    let error = client(&server)
        .payments_list(&PaymentsListRequest::new().limit(251))
        .await
        .expect_err("too many");
    match error {
        Error::InvalidRequest(e) => {
            assert_eq!(e.path, "limit");
            assert_eq!(e.rule, Rule::Max(250));
        }
        other => panic!("{other:?}"),
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn payments_update_sends_a_patch() {
    let server = MockServer::start().await;
    let mut updated = payment_json();
    updated["description"] = json!("Order #98765");
    answer(&server, 200, updated).await;
    let request = PaymentsUpdateRequest::new("tr_7UhSN1zuXS")
        .description("Order #98765")
        .redirect_url("https://example.org/webshop/order/98765/")
        .cancel_url("https://example.org/webshop/order/98765/canceled")
        .webhook_url("https://example.org/webshop/payments/webhook/")
        .metadata(json!({ "order_id": "98765" }))
        .method(PaymentMethod::Bancontact)
        .locale(Locale::FrBe)
        .restrict_payment_methods_to_country("BE")
        .due_date(payspec::Date::new("2018-04-01").unwrap())
        .testmode(true);
    let payment = client(&server)
        .payments_update(&request)
        .await
        .expect("updated");
    assert_sent(
        &server,
        Expected {
            method: "PATCH",
            path: "/payments/tr_7UhSN1zuXS",
            query: None,
            keyed: true,
            body: Some(json!({
                "description": "Order #98765",
                "redirectUrl": "https://example.org/webshop/order/98765/",
                "cancelUrl": "https://example.org/webshop/order/98765/canceled",
                "webhookUrl": "https://example.org/webshop/payments/webhook/",
                "metadata": { "order_id": "98765" },
                "method": "bancontact",
                "locale": "fr_BE",
                "restrictPaymentMethodsToCountry": "BE",
                "dueDate": "2018-04-01",
                "testmode": true
            })),
        },
    )
    .await;
    assert_eq!(payment.description.as_deref(), Some("Order #98765"));
}

#[tokio::test]
async fn payments_cancel_sends_a_delete_and_decodes_the_canceled_payment() {
    let server = MockServer::start().await;
    let mut canceled = payment_json();
    canceled["status"] = json!("canceled");
    canceled["canceledAt"] = json!("2018-03-19T10:19:15+00:00");
    answer(&server, 200, canceled).await;
    let payment = client(&server)
        .payments_cancel(&PaymentsCancelRequest::new("tr_WDqYK6vllg"))
        .await
        .expect("canceled");
    assert_sent(
        &server,
        Expected {
            method: "DELETE",
            path: "/payments/tr_WDqYK6vllg",
            query: None,
            keyed: true,
            // The operation has a body parameter (`testmode`): an empty object when unset.
            body: Some(json!({})),
        },
    )
    .await;
    assert_eq!(payment.status, Some(PaymentStatus::Canceled));
    assert_eq!(
        payment.canceled_at.as_ref().map(AsRef::as_ref),
        Some("2018-03-19T10:19:15+00:00")
    );
}

#[tokio::test]
async fn payments_cancel_in_test_mode_sends_testmode_in_the_body() {
    let server = MockServer::start().await;
    answer(&server, 200, payment_json()).await;
    client(&server)
        .payments_cancel(&PaymentsCancelRequest::new("tr_WDqYK6vllg").testmode(true))
        .await
        .expect("canceled");
    assert_sent(
        &server,
        Expected {
            method: "DELETE",
            path: "/payments/tr_WDqYK6vllg",
            query: None,
            keyed: true,
            body: Some(json!({ "testmode": true })),
        },
    )
    .await;
}

#[tokio::test]
async fn refunds_create_sends_the_amount_as_text_and_decodes_a_negative_settlement() {
    let server = MockServer::start().await;
    answer(&server, 201, refund_json()).await;
    let request = RefundsCreateRequest::new(
        "tr_WDqYK6vllg",
        RefundsCreateAmount::new(Currency::Eur, dec("5.95")),
    )
    .description("Order #12345")
    .metadata(json!({ "bookkeeping_id": 12345 }))
    .external_reference(
        RefundsCreateExternalReference::new()
            .r#type(ExternalReferenceType::AcquirerReference)
            .id("123456789012345"),
    )
    .reverse_routing(false)
    .testmode(true);
    let refund = client(&server)
        .refunds_create(&request)
        .await
        .expect("refund");
    assert_sent(
        &server,
        Expected {
            method: "POST",
            path: "/payments/tr_WDqYK6vllg/refunds",
            query: None,
            keyed: true,
            body: Some(json!({
                "amount": { "currency": "EUR", "value": "5.95" },
                "description": "Order #12345",
                "metadata": { "bookkeeping_id": 12345 },
                "externalReference": { "type": "acquirer-reference", "id": "123456789012345" },
                "reverseRouting": false,
                "testmode": true
            })),
        },
    )
    .await;
    assert_eq!(refund.status, Some(RefundStatus::Pending));
    assert_eq!(refund.payment_id.as_deref(), Some("tr_WDqYK6vllg"));
    let settlement = refund
        .settlement_amount
        .and_then(|a| a.value)
        .expect("settlement");
    assert_eq!(settlement.to_minor(2), Ok(-595));
    assert_eq!(Currency::Eur.decimal_to_minor(&settlement), Ok(-595));
}

/// The currency enum converts decimals with its own digits: two for EUR, none for JPY.
#[tokio::test]
async fn amounts_are_built_from_minor_units_with_the_currencys_digits() {
    let server = MockServer::start().await;
    answer(&server, 201, payment_json()).await;
    let yen = Currency::Jpy.minor_to_decimal(1000).expect("yen");
    assert_eq!(yen.as_str(), "1000");
    assert_eq!(
        Currency::Eur.minor_to_decimal(1000).expect("euro").as_str(),
        "10.00"
    );
    assert!(
        Currency::Jpy.decimal_to_minor(&dec("10.50")).is_err(),
        "yen have no cents"
    );
    assert!(
        Currency::Unknown("XTS".to_owned())
            .minor_to_decimal(1)
            .is_err(),
        "an unknown currency has no known digits"
    );
    client(&server)
        .payments_create(&PaymentsCreateRequest::new(
            "Order #12345",
            PaymentsCreateAmount::new(Currency::Jpy, yen),
        ))
        .await
        .expect("created");
    assert_sent(
        &server,
        Expected {
            method: "POST",
            path: "/payments",
            query: None,
            keyed: true,
            body: Some(json!({
                "description": "Order #12345",
                "amount": { "currency": "JPY", "value": "1000" }
            })),
        },
    )
    .await;
}

/// A 503 after the refund may have been made: the retry carries the same key, so Mollie
/// answers it with the first refund instead of refunding twice.
#[tokio::test]
async fn refunds_create_is_retried_with_the_same_key() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer(&server, 201, refund_json()).await;
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(std::time::Duration::from_millis(5))
        .max_backoff(std::time::Duration::from_millis(20));
    let request = RefundsCreateRequest::new(
        "tr_WDqYK6vllg",
        RefundsCreateAmount::new(Currency::Eur, dec("5.95")),
    );
    let refund = client_with(&server, policy)
        .refunds_create(&request)
        .await
        .expect("second attempt");
    assert_eq!(refund.id.as_deref(), Some("re_4qqhO89gsT"));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let keys: Vec<_> = requests
        .iter()
        .map(|r| header(r, "idempotency-key").map(str::to_owned))
        .collect();
    assert!(keys[0].as_ref().is_some_and(|k| k.len() == 36), "{keys:?}");
    assert_eq!(keys[0], keys[1], "one key for both attempts");
    for r in &requests {
        let body: Value = serde_json::from_slice(&r.body).expect("json");
        assert_eq!(
            body,
            json!({ "amount": { "currency": "EUR", "value": "5.95" } })
        );
    }
}

#[tokio::test]
async fn a_callers_idempotency_key_is_sent_as_given() {
    let server = MockServer::start().await;
    answer(&server, 201, capture_json()).await;
    client(&server)
        .captures_create(
            &CapturesCreateRequest::new("tr_WDqYK6vllg").idempotency_key("capture-12345-1"),
        )
        .await
        .expect("capture");
    let requests = received(&server).await;
    assert_eq!(
        header(&requests[0], "idempotency-key"),
        Some("capture-12345-1")
    );
}

#[tokio::test]
async fn refunds_get_sends_its_query() {
    let server = MockServer::start().await;
    let mut refund = refund_json();
    refund["status"] = json!("refunded");
    refund["_embedded"] = json!({ "payment": payment_json() });
    answer(&server, 200, refund).await;
    let refund = client(&server)
        .refunds_get(
            &RefundsGetRequest::new("tr_WDqYK6vllg", "re_4qqhO89gsT")
                .embed("payment")
                .testmode(true),
        )
        .await
        .expect("refund");
    assert_sent(
        &server,
        Expected {
            method: "GET",
            path: "/payments/tr_WDqYK6vllg/refunds/re_4qqhO89gsT",
            query: Some("embed=payment&testmode=true"),
            keyed: false,
            body: None,
        },
    )
    .await;
    assert_eq!(refund.status, Some(RefundStatus::Refunded));
    let payment = refund.embedded.and_then(|e| e.payment).expect("embedded");
    assert_eq!(payment.id.as_deref(), Some("tr_WDqYK6vllg"));
}

#[tokio::test]
async fn refunds_list_sends_the_cursor() {
    let server = MockServer::start().await;
    answer(
        &server,
        200,
        json!({
            "count": 1,
            "_embedded": { "refunds": [refund_json()] },
            "_links": {
                "self": { "href": "https://api.mollie.com/v2/payments/tr_WDqYK6vllg/refunds?limit=5", "type": "application/hal+json" },
                "previous": null,
                "next": null,
                "documentation": { "href": "https://docs.mollie.com/reference/list-refunds", "type": "text/html" }
            }
        }),
    )
    .await;
    let page = client(&server)
        .refunds_list(
            &RefundsListRequest::new("tr_WDqYK6vllg")
                .from("re_4qqhO89gsT")
                .limit(5)
                .embed("payment")
                .testmode(false),
        )
        .await
        .expect("page");
    assert_sent(
        &server,
        Expected {
            method: "GET",
            path: "/payments/tr_WDqYK6vllg/refunds",
            query: Some("from=re_4qqhO89gsT&limit=5&embed=payment&testmode=false"),
            keyed: false,
            body: None,
        },
    )
    .await;
    assert_eq!(page.count, Some(1.into()));
    let refunds = page.embedded.and_then(|e| e.refunds).expect("refunds");
    assert_eq!(
        refunds[0].amount.as_ref().and_then(|a| a.value.clone()),
        Some(dec("5.95"))
    );
    assert_eq!(page.links.and_then(|l| l.next), None, "the last page");
}

#[tokio::test]
async fn refunds_cancel_sends_a_delete_and_reads_no_content() {
    let server = MockServer::start().await;
    answer(&server, 204, Value::Null).await;
    client(&server)
        .refunds_cancel(&RefundsCancelRequest::new("tr_WDqYK6vllg", "re_4qqhO89gsT"))
        .await
        .expect("canceled");
    assert_sent(
        &server,
        Expected {
            method: "DELETE",
            path: "/payments/tr_WDqYK6vllg/refunds/re_4qqhO89gsT",
            query: None,
            keyed: true,
            // The operation has a body parameter (`testmode`): an empty object when unset.
            body: Some(json!({})),
        },
    )
    .await;
}

#[tokio::test]
async fn captures_create_sends_a_partial_amount() {
    let server = MockServer::start().await;
    answer(&server, 201, capture_json()).await;
    let request = CapturesCreateRequest::new("tr_WDqYK6vllg")
        .description("Capture for cart #12345")
        .amount(Amount::new().currency(Currency::Eur).value(dec("35.95")))
        .metadata(json!({ "cart": 12345 }))
        .testmode(false);
    let capture = client(&server)
        .captures_create(&request)
        .await
        .expect("capture");
    assert_sent(
        &server,
        Expected {
            method: "POST",
            path: "/payments/tr_WDqYK6vllg/captures",
            query: None,
            keyed: true,
            body: Some(json!({
                "description": "Capture for cart #12345",
                "amount": { "currency": "EUR", "value": "35.95" },
                "metadata": { "cart": 12345 },
                "testmode": false
            })),
        },
    )
    .await;
    assert_eq!(capture.id.as_deref(), Some("cpt_mNepDkEtco6ah3QNPUGYH"));
    assert_eq!(capture.status, Some(CaptureStatus::Succeeded));
    assert_eq!(capture.mode, Some(Mode::Live));
    assert_eq!(capture.settlement_id.as_deref(), Some("stl_jDk30akdN"));
}

#[tokio::test]
async fn captures_get_sends_its_query() {
    let server = MockServer::start().await;
    answer(&server, 200, capture_json()).await;
    let capture = client(&server)
        .captures_get(
            &CapturesGetRequest::new("tr_WDqYK6vllg", "cpt_mNepDkEtco6ah3QNPUGYH")
                .embed("payment")
                .testmode(true),
        )
        .await
        .expect("capture");
    assert_sent(
        &server,
        Expected {
            method: "GET",
            path: "/payments/tr_WDqYK6vllg/captures/cpt_mNepDkEtco6ah3QNPUGYH",
            query: Some("embed=payment&testmode=true"),
            keyed: false,
            body: None,
        },
    )
    .await;
    let amount = capture.amount.expect("amount");
    assert_eq!(amount.value.map(|v| v.to_minor(2)), Some(Ok(3595)));
}

#[tokio::test]
async fn captures_list_sends_the_cursor() {
    let server = MockServer::start().await;
    answer(
        &server,
        200,
        json!({
            "count": 1,
            "_embedded": { "captures": [capture_json()] },
            "_links": {
                "self": { "href": "https://api.mollie.com/v2/payments/tr_WDqYK6vllg/captures?limit=50", "type": "application/hal+json" },
                "previous": null,
                "next": null,
                "documentation": { "href": "https://docs.mollie.com/reference/list-captures", "type": "text/html" }
            }
        }),
    )
    .await;
    let page = client(&server)
        .captures_list(
            &CapturesListRequest::new("tr_WDqYK6vllg")
                .from("cpt_mNepDkEtco6ah3QNPUGYH")
                .limit(50)
                .embed("payment")
                .testmode(true),
        )
        .await
        .expect("page");
    assert_sent(
        &server,
        Expected {
            method: "GET",
            path: "/payments/tr_WDqYK6vllg/captures",
            query: Some("from=cpt_mNepDkEtco6ah3QNPUGYH&limit=50&embed=payment&testmode=true"),
            keyed: false,
            body: None,
        },
    )
    .await;
    let captures = page.embedded.and_then(|e| e.captures).expect("captures");
    assert_eq!(captures[0].payment_id.as_deref(), Some("tr_WDqYK6vllg"));
}

#[tokio::test]
async fn methods_list_sends_its_filters_and_decodes_the_methods() {
    let server = MockServer::start().await;
    let mut unknown = ideal_json();
    unknown["id"] = json!("futurepay");
    unknown["status"] = json!(null);
    unknown["maximumAmount"] = json!(null);
    answer(
        &server,
        200,
        json!({
            "count": 2,
            "_embedded": { "methods": [ideal_json(), unknown] },
            "_links": {
                "self": { "href": "https://api.mollie.com/v2/methods", "type": "application/hal+json" },
                "documentation": { "href": "https://docs.mollie.com/reference/list-methods", "type": "text/html" }
            }
        }),
    )
    .await;
    let list = client(&server)
        .methods_list(
            &MethodsListRequest::new()
                .sequence_type(SequenceType::First)
                .resource(MethodResource::Payments)
                .locale(Locale::DeDe)
                .billing_country("DE")
                .include_wallets("applepay")
                .order_line_categories("eco,meal")
                .profile_id("pfl_QkEhN94Ba")
                .include("issuers,pricing")
                .testmode(true),
        )
        .await
        .expect("methods");
    assert_sent(
        &server,
        Expected {
            method: "GET",
            path: "/methods",
            query: Some(
                "sequenceType=first&resource=payments&locale=de_DE&billingCountry=DE\
                 &includeWallets=applepay&orderLineCategories=eco%2Cmeal&profileId=pfl_QkEhN94Ba\
                 &include=issuers%2Cpricing&testmode=true",
            ),
            keyed: false,
            body: None,
        },
    )
    .await;
    assert_eq!(list.count, Some(2.into()));
    let methods = list.embedded.and_then(|e| e.methods).expect("methods");
    assert_eq!(methods[0].id, Some(PaymentMethod::Ideal));
    assert_eq!(methods[0].status, Some(MethodStatus::Activated));
    assert_eq!(
        methods[0]
            .minimum_amount
            .as_ref()
            .and_then(|a| a.value.as_ref())
            .map(|v| v.to_minor(2)),
        Some(Ok(1))
    );
    assert_eq!(
        methods[1].id,
        Some(PaymentMethod::Unknown("futurepay".to_owned()))
    );
    assert_eq!(methods[1].maximum_amount, None);
}

#[tokio::test]
async fn methods_get_sends_its_query() {
    let server = MockServer::start().await;
    answer(&server, 200, ideal_json()).await;
    let method = client(&server)
        .methods_get(
            &MethodsGetRequest::new(PaymentMethod::Ideal)
                .locale(Locale::NlNl)
                .currency(Currency::Eur)
                .sequence_type(SequenceType::Oneoff)
                .profile_id("pfl_QkEhN94Ba")
                .include("issuers")
                .testmode(true),
        )
        .await
        .expect("method");
    assert_sent(
        &server,
        Expected {
            method: "GET",
            path: "/methods/ideal",
            query: Some(
                "locale=nl_NL&currency=EUR&sequenceType=oneoff&profileId=pfl_QkEhN94Ba\
                 &include=issuers&testmode=true",
            ),
            keyed: false,
            body: None,
        },
    )
    .await;
    assert_eq!(method.description.as_deref(), Some("iDEAL"));
    let image = method.image.expect("image");
    assert_eq!(
        image.svg.as_deref(),
        Some("https://www.mollie.com/external/icons/payment-methods/ideal.svg")
    );
    let max = method.maximum_amount.and_then(|a| a.value).expect("max");
    assert_eq!(max.to_minor(2), Ok(5_000_000));
}

/// A malformed amount in an answer does not fail the payment: it is kept as sent, flagged,
/// refused by `to_minor`, and refused by `validate()` if sent back.
#[tokio::test]
async fn a_malformed_amount_is_kept_and_cannot_be_sent_back() {
    let server = MockServer::start().await;
    let mut odd = payment_json();
    odd["amount"] = json!({ "value": "10,00", "currency": "EUR" });
    answer(&server, 200, odd).await;
    let payment = client(&server)
        .payments_get(&PaymentsGetRequest::new("tr_WDqYK6vllg"))
        .await
        .expect("the answer still decodes");
    assert_eq!(payment.status, Some(PaymentStatus::Open));
    let amount = payment.amount.expect("amount");
    let value = amount.value.clone().expect("value");
    assert!(!value.is_well_formed());
    assert_eq!(value.as_str(), "10,00");
    assert!(value.to_minor(2).is_err());
    assert_eq!(
        serde_json::to_value(&amount).expect("encodes"),
        json!({ "currency": "EUR", "value": "10,00" }),
        "kept as it came"
    );

    server.reset().await;
    answer(&server, 201, capture_json()).await;
    let error = client(&server)
        .captures_create(&CapturesCreateRequest::new("tr_WDqYK6vllg").amount(amount))
        .await
        .expect_err("refused");
    match error {
        Error::InvalidRequest(e) => {
            assert_eq!(e.path, "amount.value");
            assert_eq!(e.rule, Rule::Decimal);
        }
        other => panic!("{other:?}"),
    }
    assert!(received(&server).await.is_empty(), "nothing sent");
}

/// Mollie's problem JSON is `Error::Api` (the spec's `errors`): Mollie has no error code, so the
/// code is empty; `detail` is the message, `field` a field error, and every field (`title`,
/// `_links`…) is in the kept body. A 422 is not retried.
#[tokio::test]
async fn a_problem_json_failure_is_an_api_error_with_every_field() {
    let server = MockServer::start().await;
    answer(
        &server,
        422,
        json!({
            "status": 422,
            "title": "Unprocessable Entity",
            "detail": "The amount is higher than the maximum",
            "field": "amount",
            "_links": { "documentation": { "href": "https://docs.mollie.com/errors", "type": "text/html" } }
        }),
    )
    .await;
    let error = client(&server)
        .payments_create(&PaymentsCreateRequest::new(
            "Order #12345",
            PaymentsCreateAmount::new(Currency::Eur, dec("100000.00")),
        ))
        .await
        .expect_err("422");
    assert_eq!(error.http_status(), Some(422), "{error:?}");
    let api = error
        .api_error()
        .unwrap_or_else(|| panic!("an API error, got {error:?}"));
    assert_eq!(api.code, "");
    assert_eq!(api.message, "The amount is higher than the maximum");
    assert_eq!(api.field_errors.len(), 1);
    assert_eq!(api.field_errors[0].field, "amount");
    assert_eq!(
        api.field_errors[0].error,
        "The amount is higher than the maximum"
    );
    assert_eq!(api.body["title"], "Unprocessable Entity");
    assert_eq!(api.body["status"], 422);
    assert_eq!(
        api.body["_links"]["documentation"]["href"],
        "https://docs.mollie.com/errors"
    );
    assert_eq!(received(&server).await.len(), 1, "a 422 is not retried");
}

/// A 401 problem body without `detail` takes `title` as its message; a 5xx that is not JSON
/// stays an unexpected status.
#[tokio::test]
async fn a_problem_without_detail_and_a_gateway_page() {
    let server = MockServer::start().await;
    answer(
        &server,
        401,
        json!({ "status": 401, "title": "Unauthorized Request", "_links": {} }),
    )
    .await;
    let request = PaymentsGetRequest::new("tr_WDqYK6vllg");
    let error = client(&server)
        .payments_get(&request)
        .await
        .expect_err("401");
    let api = error
        .api_error()
        .unwrap_or_else(|| panic!("an API error, got {error:?}"));
    assert_eq!(
        (api.code.as_str(), api.message.as_str()),
        ("", "Unauthorized Request")
    );
    assert!(api.field_errors.is_empty());
    server.reset().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("content-type", "text/html")
                .set_body_string("<html>bad gateway</html>"),
        )
        .mount(&server)
        .await;
    let error = client(&server)
        .payments_get(&request)
        .await
        .expect_err("502");
    assert!(
        matches!(error, Error::UnexpectedStatus { status: 502, .. }),
        "{error:?}"
    );
}

/// Mollie declares bearer auth only: its `Credentials` offer no other constructor, and the
/// crate-wide Basic credentials are refused when the client is built, before any request.
#[tokio::test]
async fn credentials_of_a_scheme_mollie_does_not_offer_are_refused() {
    let server = MockServer::start().await;
    let config = ClientConfig::new(
        server.uri(),
        payspec::Credentials::basic("test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM", "x"),
    );
    let error = Client::with_config(config).expect_err("basic is not offered");
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    assert!(
        !format!("{error} {error:?}").contains("dHar4XY7"),
        "{error:?}"
    );
    assert!(
        server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

/// A page of payments whose `_links.next` leads on with `from` (or ends, with `null`).
fn payment_page(id: &str, next_from: Option<&str>) -> Value {
    let mut payment = payment_json();
    payment["id"] = json!(id);
    let next = next_from.map(|from| {
        json!({"href": format!("https://api.mollie.com/v2/payments?from={from}&limit=1"), "type": "application/hal+json"})
    });
    json!({"count": 1, "_embedded": {"payments": [payment]}, "_links": {"next": next}})
}

/// The payments pager reads `from` out of each `_links.next` (never following the link, which
/// names another host here) and stops when the link is null.
#[tokio::test]
async fn the_payments_pager_follows_the_cursor_of_each_next_link() {
    let server = MockServer::start().await;
    for (from, page) in [
        (None, payment_page("tr_1", Some("tr_2"))),
        (Some("tr_2"), payment_page("tr_2", Some("tr_3"))),
        (Some("tr_3"), payment_page("tr_3", None)),
    ] {
        let matcher = move |request: &Request| {
            let sent = request
                .url
                .query_pairs()
                .find(|(k, _)| k == "from")
                .map(|(_, v)| v.into_owned());
            request.url.path() == "/payments" && sent.as_deref() == from
        };
        Mock::given(matcher)
            .respond_with(ResponseTemplate::new(200).set_body_json(page))
            .expect(1)
            .mount(&server)
            .await;
    }
    let payments = client(&server)
        .payments_list_pages(PaymentsListRequest::new().limit(1))
        .collect_all()
        .await
        .expect("three pages");
    let ids: Vec<_> = payments.iter().filter_map(|p| p.id.as_deref()).collect();
    assert_eq!(ids, ["tr_1", "tr_2", "tr_3"]);
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.url.path() == "/payments"));
}

/// A server that hands back a cursor already sent gets no further request: the pager reports
/// it instead of walking in a circle.
#[tokio::test]
async fn a_next_link_that_repeats_a_cursor_stops_the_pager_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(|request: &Request| request.url.path() == "/payments")
        .respond_with(ResponseTemplate::new(200).set_body_json(payment_page("tr_1", Some("tr_1"))))
        .mount(&server)
        .await;
    let error = client(&server)
        .payments_list_pages(PaymentsListRequest::new().from("tr_0").limit(1))
        .collect_all()
        .await;
    let error = error.expect_err("tr_1 is sent twice");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        2,
        "one request for tr_0, one for tr_1, none for the repeat"
    );
}

/// Mollie's problem JSON decodes into the spec's `Problem` (`errors.type`) with every field,
/// `_links.documentation` typed and an unknown field in `extra`.
#[tokio::test]
async fn a_problem_json_has_a_typed_body_with_every_field() {
    let server = MockServer::start().await;
    answer(
        &server,
        422,
        json!({
            "status": 422,
            "title": "Unprocessable Entity",
            "detail": "The amount is higher than the maximum",
            "field": "amount",
            "_links": { "documentation": { "href": "https://docs.mollie.com/errors", "type": "text/html" } },
            "extraHint": true
        }),
    )
    .await;
    let error = client(&server)
        .payments_get(&PaymentsGetRequest::new("tr_WDqYK6vllg"))
        .await
        .expect_err("422");
    let api = error.api_error().expect("an API error");
    let problem: payspec::mollie::ErrorBody = payspec::mollie::error_body(api).expect("typed");
    assert_eq!(problem.status, Some(422.into()));
    assert_eq!(problem.title.as_deref(), Some("Unprocessable Entity"));
    assert_eq!(
        problem.detail.as_deref(),
        Some("The amount is higher than the maximum")
    );
    assert_eq!(problem.field.as_deref(), Some("amount"));
    let docs = problem
        .links
        .as_ref()
        .and_then(|l| l.documentation.as_ref())
        .expect("documentation link");
    assert_eq!(docs.href.as_deref(), Some("https://docs.mollie.com/errors"));
    assert_eq!(docs.r#type.as_deref(), Some("text/html"));
    assert_eq!(problem.extra["extraHint"], true);
}
