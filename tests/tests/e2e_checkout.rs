//! The generated Checkout.com client against a real HTTP server on loopback: every operation's
//! method, path, query, headers and exact JSON body, the idempotency key of the money-moving
//! calls (one key on every attempt), and the documented 200/201/202 answers decoded.

use std::time::Duration;

use payspec::checkout::Credentials;
use payspec::checkout::{
    ActionAccepted, ActionType, CaptureType, CardCategory, CardType, ChallengeIndicator, Client,
    Enrolled, ErrorCode, PaymentAction, PaymentSource, PaymentSourceType, PaymentStatus,
    PaymentType, PaymentsActionsRequest, PaymentsCaptureRequest, PaymentsGetRequest,
    PaymentsListRequest, PaymentsRefundRequest, PaymentsRequestRequest, PaymentsRequestShipping,
    PaymentsRequestShippingAddress, PaymentsRequestShippingPhone, PaymentsRequestSource,
    PaymentsRequestSourceBillingAddress, PaymentsRequestV3ds, PaymentsVoidRequest,
};
use payspec::runtime::Error;
use payspec::{ClientConfig, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const IDEMPOTENCY_HEADER: &str = "Cko-Idempotency-Key";
const PAYMENT: &str = "pay_mbabizu24mvu3mela5njyhpit4";

/// The credentials the client is built with: the sandbox secret key, as a bearer token.
fn credentials() -> Credentials {
    Credentials::bearer("sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e")
}

/// The `Authorization` header every request must carry for [`credentials`].
fn auth_header() -> &'static str {
    "Bearer sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e"
}

fn client(server: &MockServer) -> Client {
    let config = ClientConfig::new(server.uri(), credentials()).retry_policy(RetryPolicy::none());
    Client::with_config(config).expect("loopback http is allowed")
}

fn retrying_client(server: &MockServer) -> Client {
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(50));
    let config = ClientConfig::new(server.uri(), credentials()).retry_policy(policy);
    Client::with_config(config).expect("loopback http is allowed")
}

/// The one request the server saw.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request was sent");
    requests.remove(0)
}

fn header_value<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ASCII header"))
}

/// A generated key: a UUID v4 in its 36-character text form.
fn assert_generated_key(key: &str) {
    assert_eq!(key.len(), 36, "a generated key is a UUID: {key}");
    assert_eq!(key.as_bytes()[14], b'4', "version 4: {key}");
    assert_eq!(key.matches('-').count(), 4, "{key}");
}

/// A read: no body, no idempotency key.
fn assert_plain_read(request: &Request) {
    assert!(request.body.is_empty(), "a GET sends no body");
    assert_eq!(header_value(request, IDEMPOTENCY_HEADER), None);
    assert_eq!(header_value(request, "authorization"), Some(auth_header()));
}

/// The 201 answer of the docs' card payment example.
fn authorized_payment() -> Value {
    json!({
        "id": PAYMENT,
        "action_id": "act_mbabizu24mvu3mela5njyhpit4",
        "amount": 6500,
        "currency": "USD",
        "approved": true,
        "status": "Authorized",
        "auth_code": "770687",
        "eci": "05",
        "scheme_id": "638284745624527",
        "response_code": "10000",
        "response_summary": "Approved",
        "risk": { "flagged": false },
        "source": {
            "id": "src_nwd3m4in3hkuddfpjsaevunhdy",
            "type": "card",
            "expiry_month": 9,
            "expiry_year": 2027,
            "scheme": "Visa",
            "last4": "4242",
            "fingerprint": "F31828E2BDABAE63EB694903825CDD36041CC6ED461440B81415895855502832",
            "bin": "424242",
            "card_type": "CREDIT",
            "card_category": "CONSUMER",
            "issuer": "JPMORGAN CHASE BANK NA",
            "issuer_country": "US",
            "product_id": "A",
            "product_type": "Visa Traditional",
            "avs_check": "S",
            "cvv_check": "Y"
        },
        "customer": { "id": "cus_ebxdbbeaasnuni5aiszjyr2u5a" },
        "processed_on": "2024-05-20T09:01:12Z",
        "reference": "ORD-5023-4E89",
        "processing": {
            "acquirer_transaction_id": "8367314942",
            "retrieval_reference_number": "162588399162"
        },
        "_links": {
            "self": { "href": "https://api.sandbox.checkout.com/payments/pay_mbabizu24mvu3mela5njyhpit4" },
            "actions": { "href": "https://api.sandbox.checkout.com/payments/pay_mbabizu24mvu3mela5njyhpit4/actions" },
            "capture": { "href": "https://api.sandbox.checkout.com/payments/pay_mbabizu24mvu3mela5njyhpit4/captures" },
            "void": { "href": "https://api.sandbox.checkout.com/payments/pay_mbabizu24mvu3mela5njyhpit4/voids" }
        }
    })
}

fn token_payment() -> PaymentsRequestRequest {
    let source = PaymentsRequestSource::new(PaymentSourceType::Token)
        .token("tok_4gzeau5o2uqubbk6fufs3m7p54");
    PaymentsRequestRequest::new(source, "USD")
        .amount(6500)
        .reference("ORD-5023-4E89")
}

#[tokio::test]
async fn a_token_payment_sends_its_exact_body_and_key_and_decodes_the_201() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(header("authorization", auth_header()))
        .and(header("content-type", "application/json"))
        .and(header(IDEMPOTENCY_HEADER, "ord-5023-4e89-attempt-1"))
        .and(body_json(json!({
            "source": { "type": "token", "token": "tok_4gzeau5o2uqubbk6fufs3m7p54" },
            "amount": 6500,
            "currency": "USD",
            "payment_type": "Regular",
            "reference": "ORD-5023-4E89",
            "capture": false,
            "shipping": {
                "address": { "address_line1": "90 Tottenham Court Road", "city": "London", "zip": "W1T 4TJ", "country": "GB" },
                "phone": { "country_code": "+44", "number": "2071234567" }
            },
            "processing_channel_id": "pc_q4dbxom5jbgudnjzjpz7j2z6uq",
            "3ds": { "enabled": true, "attempt_n3d": true, "challenge_indicator": "no_preference" },
            "metadata": { "coupon_code": "NY2018", "partner_id": 123989 }
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(authorized_payment()))
        .expect(1)
        .mount(&server)
        .await;
    let request = token_payment()
        .payment_type(PaymentType::Regular)
        .capture(false)
        .shipping(
            PaymentsRequestShipping::new()
                .address(
                    PaymentsRequestShippingAddress::new()
                        .address_line1("90 Tottenham Court Road")
                        .city("London")
                        .zip("W1T 4TJ")
                        .country("GB"),
                )
                .phone(
                    PaymentsRequestShippingPhone::new()
                        .country_code("+44")
                        .number("2071234567"),
                ),
        )
        .processing_channel_id("pc_q4dbxom5jbgudnjzjpz7j2z6uq")
        ._3ds(
            PaymentsRequestV3ds::new()
                .enabled(true)
                .attempt_n3d(true)
                .challenge_indicator(ChallengeIndicator::NoPreference),
        )
        .metadata(
            [
                ("coupon_code".to_owned(), json!("NY2018")),
                ("partner_id".to_owned(), json!(123989)),
            ]
            .into(),
        )
        .idempotency_key("ord-5023-4e89-attempt-1");
    let payment = client(&server)
        .payments_request(&request)
        .await
        .expect("payment");
    assert_eq!(payment.id.as_deref(), Some(PAYMENT));
    assert_eq!(payment.approved, Some(true));
    assert_eq!(payment.status, Some(PaymentStatus::Authorized));
    assert_eq!(payment.amount, Some(6500.into()));
    assert_eq!(payment.response_code.as_deref(), Some("10000"));
    assert_eq!(payment.risk.and_then(|r| r.flagged), Some(false));
    // The answer's source is typed by its `type`.
    let Some(PaymentSource::CardSource(source)) = payment.source else {
        panic!("a card source: {:?}", payment.source);
    };
    assert_eq!(source.r#type.as_deref(), Some("card"));
    assert_eq!(source.id.as_deref(), Some("src_nwd3m4in3hkuddfpjsaevunhdy"));
    assert_eq!(source.card_type, Some(CardType::Credit));
    assert_eq!(source.card_category, Some(CardCategory::Consumer));
    assert_eq!(source.last4.as_deref(), Some("4242"));
    let links = payment.links.expect("links");
    assert_eq!(
        links["capture"].href.as_deref(),
        Some("https://api.sandbox.checkout.com/payments/pay_mbabizu24mvu3mela5njyhpit4/captures")
    );
}

#[tokio::test]
async fn a_card_payment_needing_3ds_decodes_the_202_with_its_redirect() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .and(body_json(json!({
            "source": {
                "type": "card",
                "number": "4543474002249996",
                "expiry_month": 6,
                "expiry_year": 2029,
                "name": "Bruce Wayne",
                "cvv": "956",
                "billing_address": {
                    "address_line1": "Checkout.com",
                    "address_line2": "90 Tottenham Court Road",
                    "city": "London",
                    "zip": "W1T 4TJ",
                    "country": "GB"
                }
            },
            "amount": 2500,
            "currency": "GBP",
            "success_url": "https://example.com/payments/success",
            "failure_url": "https://example.com/payments/failure",
            "3ds": { "enabled": true }
        })))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "id": "pay_qqufpcxkw2lqdqyxo5ceuoyoae",
            "status": "Pending",
            "reference": null,
            "customer": { "id": "cus_udst2tfldj6upmye2reztkmm4i" },
            "3ds": { "downgraded": false, "enrolled": "Y" },
            "_links": {
                "self": { "href": "https://api.sandbox.checkout.com/payments/pay_qqufpcxkw2lqdqyxo5ceuoyoae" },
                "redirect": { "href": "https://api.sandbox.checkout.com/3ds/pay_qqufpcxkw2lqdqyxo5ceuoyoae" }
            }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let source = PaymentsRequestSource::new(PaymentSourceType::Card)
        .number("4543474002249996")
        .expiry_month(6)
        .expiry_year(2029)
        .name("Bruce Wayne")
        .cvv("956")
        .billing_address(
            PaymentsRequestSourceBillingAddress::new()
                .address_line1("Checkout.com")
                .address_line2("90 Tottenham Court Road")
                .city("London")
                .zip("W1T 4TJ")
                .country("GB"),
        );
    let request = PaymentsRequestRequest::new(source, "GBP")
        .amount(2500)
        .success_url("https://example.com/payments/success")
        .failure_url("https://example.com/payments/failure")
        ._3ds(PaymentsRequestV3ds::new().enabled(true));
    let pending = client(&server)
        .payments_request(&request)
        .await
        .expect("a 202 is a success");
    assert_eq!(pending.status, Some(PaymentStatus::Pending));
    assert_eq!(
        pending.approved, None,
        "a pending answer has no verdict yet"
    );
    assert_eq!(pending.reference, None);
    assert_eq!(pending._3ds.and_then(|t| t.enrolled), Some(Enrolled::Yes));
    let links = pending.links.expect("links");
    assert_eq!(
        links["redirect"].href.as_deref(),
        Some("https://api.sandbox.checkout.com/3ds/pay_qqufpcxkw2lqdqyxo5ceuoyoae")
    );
    let sent = only_request(&server).await;
    assert_generated_key(header_value(&sent, IDEMPOTENCY_HEADER).expect("a key is always sent"));
    assert_eq!(header_value(&sent, "authorization"), Some(auth_header()));
}

#[tokio::test]
async fn a_payment_retried_after_a_5xx_carries_the_same_key_on_every_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(201).set_body_json(authorized_payment()))
        .expect(1)
        .mount(&server)
        .await;
    let payment = retrying_client(&server)
        .payments_request(&token_payment())
        .await
        .expect("the second attempt succeeds");
    assert_eq!(payment.status, Some(PaymentStatus::Authorized));
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2, "one retry after the 502");
    let keys: Vec<&str> = requests
        .iter()
        .map(|r| header_value(r, IDEMPOTENCY_HEADER).expect("every attempt carries the key"))
        .collect();
    assert_generated_key(keys[0]);
    assert_eq!(keys[0], keys[1], "one logical call, one key");
    assert_eq!(requests[0].body, requests[1].body, "the same body again");
}

#[tokio::test]
async fn a_payment_that_stays_unanswered_reports_its_key_for_a_later_retry() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/payments"))
        .respond_with(ResponseTemplate::new(500))
        .expect(3)
        .mount(&server)
        .await;
    let error = retrying_client(&server)
        .payments_request(&token_payment().idempotency_key("ord-5023-4e89-attempt-1"))
        .await
        .expect_err("every attempt fails");
    assert!(
        matches!(error, Error::OutcomeUnknown { .. }),
        "a 5xx after the retries leaves the outcome unknown: {error:?}"
    );
    assert_eq!(error.idempotency_key(), Some("ord-5023-4e89-attempt-1"));
}

#[tokio::test]
async fn listing_by_reference_sends_its_query_and_decodes_the_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/payments"))
        .and(query_param("reference", "ORD-5023-4E89"))
        .and(query_param("limit", "10"))
        .and(query_param("skip", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "limit": 10,
            "skip": 0,
            "total_count": 1,
            "data": [{
                "id": "pay_einf5abzzgbejdpuartvqgl36i",
                "requested_on": "2022-04-14T17:03:10.103019Z",
                "source": {
                    "type": "card",
                    "expiry_month": 11,
                    "expiry_year": 2024,
                    "scheme": "Visa",
                    "last4": "7526",
                    "fingerprint": "F2FFA3967396478A7EB64FE6E0A2384F230C23A2F7E520D27EDBB46F24E5B922",
                    "bin": "482028",
                    "card_type": "CREDIT",
                    "card_category": "CONSUMER",
                    "issuer": "Test Bank",
                    "issuer_country": "US",
                    "product_id": "N1",
                    "product_type": "Visa Rewards"
                },
                "amount": 1000,
                "currency": "EUR",
                "payment_type": "Recurring",
                "reference": "ORD-5023-4E89",
                "description": "Set of 3 masks",
                "status": "Declined",
                "approved": false,
                "3ds": { "downgraded": false, "enrolled": "N" },
                "risk": { "flagged": false, "score": 0 },
                "metadata": { "udf1": "TEST123", "coupon_code": "NY2024", "partner_id": "123989" },
                "_links": {
                    "self": { "href": "https://api.sandbox.checkout.com/payments/pay_einf5abzzgbejdpuartvqgl36i" },
                    "actions": { "href": "https://api.sandbox.checkout.com/payments/pay_einf5abzzgbejdpuartvqgl36i/actions" }
                }
            }]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .payments_list(&PaymentsListRequest::new("ORD-5023-4E89").limit(10).skip(0))
        .await
        .expect("page");
    assert_eq!(page.total_count, Some(1.into()));
    let payments = page.data.expect("data");
    assert_eq!(payments.len(), 1);
    let payment = &payments[0];
    assert_eq!(payment.status, Some(PaymentStatus::Declined));
    assert_eq!(payment.approved, Some(false));
    assert_eq!(payment.payment_type, Some(PaymentType::Recurring));
    assert_eq!(payment.amount, Some(1000.into()));
    assert_eq!(
        payment._3ds.as_ref().and_then(|t| t.enrolled.clone()),
        Some(Enrolled::No)
    );
    assert_eq!(
        payment.metadata.as_ref().map(|m| m["partner_id"].clone()),
        Some(json!("123989"))
    );
    let sent = only_request(&server).await;
    assert_eq!(
        sent.url.query(),
        Some("reference=ORD-5023-4E89&limit=10&skip=0")
    );
    assert_plain_read(&sent);
}

#[tokio::test]
async fn a_list_limit_above_100_is_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    let error = client(&server)
        .payments_list(&PaymentsListRequest::new("ORD-5023-4E89").limit(101))
        .await
        .expect_err("limit 101");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty()
    );
}

#[tokio::test]
async fn getting_a_payment_decodes_its_balances_actions_and_links() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/payments/{PAYMENT}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": PAYMENT,
            "requested_on": "2020-08-26T10:22:13Z",
            "source": {
                "type": "card",
                "id": "src_nwd3m4in3hkuddfpjsaevunhdy",
                "billing_address": {
                    "address_line1": "Checkout.com",
                    "address_line2": "90 Tottenham Court Road",
                    "city": "London",
                    "state": "London",
                    "zip": "W1T 4TJ",
                    "country": "GB"
                },
                "phone": { "country_code": "+1", "number": "415 555 2671" }
            },
            "amount": 6540,
            "currency": "USD",
            "payment_type": "Recurring",
            "reference": "ORD-5023-4E89",
            "description": "Set of 3 masks",
            "approved": true,
            "status": "Partially Captured",
            "balances": {
                "total_authorized": 6540,
                "total_voided": 0,
                "available_to_void": 0,
                "total_captured": 1000,
                "available_to_capture": 5540,
                "total_refunded": 0,
                "available_to_refund": 1000
            },
            "3ds": { "downgraded": false, "enrolled": "Y", "signature_valid": "Y", "authentication_response": "Y", "version": "2.2.0", "challenged": true },
            "risk": { "flagged": false },
            "customer": { "id": "cus_y3oqhf46pyzuxjbcn2giaqnb44", "email": "brucewayne@gmail.com", "name": "Bruce Wayne" },
            "eci": "06",
            "scheme_id": "488341541494658",
            "actions": [
                { "id": "act_y3oqhf46pyzuxjbcn2giaqnb44", "type": "Authorization", "response_code": "10000", "response_summary": "Approved" },
                { "id": "act_gefycn3jcvuupboxfmqrhk2aym", "type": "Authorization Increment", "response_code": "10000", "response_summary": "Approved" }
            ],
            "_links": {
                "self": { "href": "https://api.sandbox.checkout.com/payments/pay_mbabizu24mvu3mela5njyhpit4" },
                "refund": { "href": "https://api.sandbox.checkout.com/payments/pay_mbabizu24mvu3mela5njyhpit4/refunds" }
            }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let payment = client(&server)
        .payments_get(&PaymentsGetRequest::new(PAYMENT))
        .await
        .expect("payment");
    assert_eq!(payment.status, Some(PaymentStatus::PartiallyCaptured));
    let balances = payment.balances.expect("balances");
    assert_eq!(balances.available_to_capture, Some(5540.into()));
    assert_eq!(balances.available_to_refund, Some(1000.into()));
    let actions = payment.actions.expect("actions");
    assert_eq!(actions[0].r#type, Some(ActionType::Authorization));
    assert_eq!(
        actions[1].r#type,
        Some(ActionType::Unknown("Authorization Increment".to_owned())),
        "an action type the spec does not list is kept"
    );
    let Some(PaymentSource::CardSource(source)) = payment.source else {
        panic!("a card source: {:?}", payment.source);
    };
    assert_eq!(
        source.billing_address.and_then(|a| a.zip).as_deref(),
        Some("W1T 4TJ")
    );
    assert_eq!(
        source.phone.and_then(|p| p.country_code).as_deref(),
        Some("+1")
    );
    assert_eq!(payment._3ds.and_then(|t| t.challenged), Some(true));
    assert!(payment.links.expect("links").contains_key("refund"));
    assert_plain_read(&only_request(&server).await);
}

#[tokio::test]
async fn payment_actions_answer_a_list_of_actions() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/payments/{PAYMENT}/actions")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {
                "id": "act_fd3h6evhpn3uxdoqbuu3lqnqbm",
                "type": "Refund",
                "processed_on": "2018-01-20T10:30:48Z",
                "amount": 1000,
                "approved": true,
                "response_code": "10000",
                "response_summary": "Approved"
            },
            {
                "id": "act_gefycn3jcvuupboxfmqrhk2aym",
                "type": "Capture",
                "processed_on": "2018-01-17T10:30:48Z",
                "amount": 6540,
                "approved": true,
                "response_code": "10000",
                "response_summary": "Approved",
                "processing": { "acquirer_reference_number": "24021219099007452440793", "acquirer_transaction_id": "00745244079" },
                "metadata": { "shipping_ref": "MQIBN2" }
            },
            {
                "id": "act_y3oqhf46pyzuxjbcn2giaqnb44",
                "type": "Authorization",
                "processed_on": "2018-01-17T09:30:48Z",
                "amount": 6540,
                "approved": true,
                "auth_code": "643381",
                "response_code": "10000",
                "response_summary": "Approved",
                "reference": "ORD-5023-4E89",
                "processing": { "retrieval_reference_number": "909913440644", "acquirer_transaction_id": "440644309099499894406" }
            }
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server)
        .payments_actions(&PaymentsActionsRequest::new(PAYMENT))
        .await
        .expect("actions");
    let actions: Vec<PaymentAction> =
        serde_json::from_value(answer).expect("each item is a PaymentAction");
    let types: Vec<Option<ActionType>> = actions.iter().map(|a| a.r#type.clone()).collect();
    assert_eq!(
        types,
        [
            Some(ActionType::Refund),
            Some(ActionType::Capture),
            Some(ActionType::Authorization)
        ]
    );
    assert_eq!(actions[0].amount, Some(1000.into()));
    assert_eq!(
        actions[1]
            .processing
            .as_ref()
            .and_then(|p| p.acquirer_reference_number.as_deref()),
        Some("24021219099007452440793")
    );
    assert_eq!(actions[2].auth_code.as_deref(), Some("643381"));
    assert_plain_read(&only_request(&server).await);
}

/// The 202 answer of a capture, refund or void.
fn accepted(action_id: &str, reference: &str) -> ResponseTemplate {
    ResponseTemplate::new(202).set_body_json(json!({
        "action_id": action_id,
        "reference": reference,
        "_links": { "payment": { "href": format!("https://api.sandbox.checkout.com/payments/{PAYMENT}") } }
    }))
}

fn assert_accepted(answer: &ActionAccepted, action_id: &str, reference: &str) {
    assert_eq!(answer.action_id.as_deref(), Some(action_id));
    assert_eq!(answer.reference.as_deref(), Some(reference));
    let links = answer.links.as_ref().expect("links");
    assert_eq!(
        links["payment"].href.as_deref(),
        Some("https://api.sandbox.checkout.com/payments/pay_mbabizu24mvu3mela5njyhpit4")
    );
}

#[tokio::test]
async fn a_partial_capture_sends_its_exact_body_and_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/payments/{PAYMENT}/captures")))
        .and(header("authorization", auth_header()))
        .and(header(IDEMPOTENCY_HEADER, "capture-ord-752-814"))
        .and(body_json(json!({
            "amount": 100,
            "capture_type": "NonFinal",
            "reference": "ORD-752-814",
            "metadata": { "shipping_ref": "MQIBN2" }
        })))
        .respond_with(accepted("act_2f56bhkau5dubequbv5aa6w4qi", "ORD-752-814"))
        .expect(1)
        .mount(&server)
        .await;
    let request = PaymentsCaptureRequest::new(PAYMENT)
        .amount(100)
        .capture_type(CaptureType::NonFinal)
        .reference("ORD-752-814")
        .metadata([("shipping_ref".to_owned(), json!("MQIBN2"))].into())
        .idempotency_key("capture-ord-752-814");
    let answer = client(&server)
        .payments_capture(&request)
        .await
        .expect("capture accepted");
    assert_accepted(&answer, "act_2f56bhkau5dubequbv5aa6w4qi", "ORD-752-814");
}

#[tokio::test]
async fn a_capture_retried_after_a_503_keeps_its_generated_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/payments/{PAYMENT}/captures")))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/payments/{PAYMENT}/captures")))
        .and(body_json(json!({ "amount": 6540 })))
        .respond_with(accepted("act_2f56bhkau5dubequbv5aa6w4qi", "ORD-5023-4E89"))
        .expect(1)
        .mount(&server)
        .await;
    retrying_client(&server)
        .payments_capture(&PaymentsCaptureRequest::new(PAYMENT).amount(6540))
        .await
        .expect("the second attempt is accepted");
    let requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2);
    let first = header_value(&requests[0], IDEMPOTENCY_HEADER).expect("key");
    assert_generated_key(first);
    assert_eq!(header_value(&requests[1], IDEMPOTENCY_HEADER), Some(first));
}

#[tokio::test]
async fn a_refund_sends_its_exact_body_and_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/payments/{PAYMENT}/refunds")))
        .and(header("authorization", auth_header()))
        .and(header(IDEMPOTENCY_HEADER, "refund-ord-5023-4e89-r1"))
        .and(body_json(json!({
            "amount": 1000,
            "reference": "ORD-5023-4E89-R1",
            "metadata": { "reason": "damaged" }
        })))
        .respond_with(accepted(
            "act_fd3h6evhpn3uxdoqbuu3lqnqbm",
            "ORD-5023-4E89-R1",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let request = PaymentsRefundRequest::new(PAYMENT)
        .amount(1000)
        .reference("ORD-5023-4E89-R1")
        .metadata([("reason".to_owned(), json!("damaged"))].into())
        .idempotency_key("refund-ord-5023-4e89-r1");
    let answer = client(&server)
        .payments_refund(&request)
        .await
        .expect("refund accepted");
    assert_accepted(
        &answer,
        "act_fd3h6evhpn3uxdoqbuu3lqnqbm",
        "ORD-5023-4E89-R1",
    );
}

#[tokio::test]
async fn a_void_sends_its_exact_body_and_a_generated_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/payments/{PAYMENT}/voids")))
        .and(header("authorization", auth_header()))
        .and(body_json(json!({
            "reference": "ORD-5023-4E89",
            "metadata": { "coupon_code": "NY2018", "partner_id": 123989 }
        })))
        .respond_with(accepted("act_y3oqhf46pyzuxjbcn2giaqnb44", "ORD-5023-4E89"))
        .expect(1)
        .mount(&server)
        .await;
    let request = PaymentsVoidRequest::new(PAYMENT)
        .reference("ORD-5023-4E89")
        .metadata(
            [
                ("coupon_code".to_owned(), json!("NY2018")),
                ("partner_id".to_owned(), json!(123989)),
            ]
            .into(),
        );
    let answer = client(&server)
        .payments_void(&request)
        .await
        .expect("void accepted");
    assert_accepted(&answer, "act_y3oqhf46pyzuxjbcn2giaqnb44", "ORD-5023-4E89");
    let sent = only_request(&server).await;
    assert_generated_key(header_value(&sent, IDEMPOTENCY_HEADER).expect("key"));
}

/// Checkout.com's error body is `Error::Api` (the spec's `errors`): the first of `error_codes`
/// is the typed code, `error_type` the detailed code, every code is in `details`, the request id
/// is the ticket, and the whole body is kept. A 4xx is never retried.
#[tokio::test]
async fn a_422_with_error_codes_is_an_api_error_with_every_field_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/payments/{PAYMENT}/voids")))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "request_id": "0HL80RJLS76I7",
            "error_type": "request_invalid",
            "error_codes": ["payment_source_required", "amount_invalid"]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let error = retrying_client(&server)
        .payments_void(&PaymentsVoidRequest::new(PAYMENT))
        .await
        .expect_err("422");
    let api = error
        .api_error()
        .unwrap_or_else(|| panic!("an API error, got {error:?}"));
    assert_eq!(api.http_status, 422);
    assert_eq!(api.code, ErrorCode::PaymentSourceRequired);
    assert_eq!(api.detailed_code.as_deref(), Some("request_invalid"));
    assert_eq!(api.details, ["payment_source_required", "amount_invalid"]);
    assert_eq!(api.ticket.as_deref(), Some("0HL80RJLS76I7"));
    assert_eq!(api.body["error_codes"][1], "amount_invalid");
    assert_eq!(api.body["request_id"], "0HL80RJLS76I7");
}

/// A body without `error_codes` takes `error_type` as its code; a 401 with an empty body (bad
/// key) is no error body and stays an unexpected status.
#[tokio::test]
async fn an_error_type_alone_is_the_code_and_an_empty_401_is_an_unexpected_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/payments/{PAYMENT}")))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "request_id": "r-403",
            "error_type": "action_not_allowed"
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/payments/{PAYMENT}")))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let request = PaymentsGetRequest::new(PAYMENT);
    let error = client(&server)
        .payments_get(&request)
        .await
        .expect_err("403");
    assert_eq!(
        error.api_code(),
        Some(&ErrorCode::Unknown("action_not_allowed".to_owned())),
        "{error:?}"
    );
    assert_eq!(error.api_error().map(|e| e.details.len()), Some(0));
    let error = client(&server)
        .payments_get(&request)
        .await
        .expect_err("401");
    assert!(
        matches!(error, Error::UnexpectedStatus { status: 401, .. }),
        "{error:?}"
    );
}

/// The request id and version headers of an answer are reachable from the `_with_response`
/// method; the plain method returns the same answer.
#[tokio::test]
async fn the_request_id_header_is_reachable_with_the_response() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/payments/{PAYMENT}")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Cko-Request-Id", "5fa7ee8c-f82d-4440-a6dc-e8c859b03235")
                .insert_header("cko-version", "1.1677.0")
                .insert_header("Set-Cookie", "session=s3cr3t")
                .set_body_json(json!({ "id": PAYMENT })),
        )
        .mount(&server)
        .await;
    let response = client(&server)
        .payments_get_with_response(&PaymentsGetRequest::new(PAYMENT))
        .await
        .expect("a payment");
    assert_eq!(response.http_status, 200);
    assert_eq!(response.value.id.as_deref(), Some(PAYMENT));
    assert_eq!(
        response.header("cko-request-id"),
        Some("5fa7ee8c-f82d-4440-a6dc-e8c859b03235")
    );
    assert_eq!(
        response.headers,
        [
            (
                "Cko-Request-Id".to_owned(),
                "5fa7ee8c-f82d-4440-a6dc-e8c859b03235".to_owned()
            ),
            ("Cko-Version".to_owned(), "1.1677.0".to_owned()),
        ]
    );
    assert!(response.metadata.is_empty());
}

#[tokio::test]
async fn a_bad_processing_channel_or_long_reference_is_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    let client = client(&server);
    for request in [
        token_payment().processing_channel_id("pc_short"),
        token_payment().reference("R".repeat(81)),
    ] {
        let error = client
            .payments_request(&request)
            .await
            .expect_err("invalid request");
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    }
    assert!(
        server
            .received_requests()
            .await
            .expect("recording")
            .is_empty()
    );
}

#[tokio::test]
async fn the_list_pager_moves_skip_on_until_a_short_page() {
    let server = MockServer::start().await;
    for (skip, ids) in [("0", vec!["pay_a", "pay_b"]), ("2", vec!["pay_c"])] {
        let data: Vec<Value> = ids.iter().map(|id| json!({ "id": id })).collect();
        Mock::given(method("GET"))
            .and(path("/payments"))
            .and(query_param("reference", "ORD-1"))
            .and(query_param("limit", "2"))
            .and(query_param("skip", skip))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "limit": 2, "skip": skip.parse::<i64>().expect("digits"), "total_count": 3, "data": data
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let payments = client
        .payments_list_pages(PaymentsListRequest::new("ORD-1").limit(2).skip(0))
        .collect_all()
        .await
        .expect("every page");
    let ids: Vec<String> = payments.into_iter().filter_map(|p| p.id).collect();
    assert_eq!(
        ids,
        ["pay_a", "pay_b", "pay_c"],
        "the short second page ends the walk"
    );
}

#[test]
fn card_details_tokens_and_cryptograms_never_show_in_debug() {
    let source = PaymentsRequestSource::new(PaymentSourceType::Card)
        .number("4543474002249996")
        .cvv("956")
        .token("tok_4gzeau5o2uqubbk6fufs3m7p54");
    let request = PaymentsRequestRequest::new(source, "GBP")
        ._3ds(PaymentsRequestV3ds::new().cryptogram("AgAAAAAABk4DWZ4C28yUQAAAAAA="));
    let shown = format!("{request:?}");
    for secret in [
        "4543474002249996",
        "956",
        "tok_4gzeau5o2uqubbk6fufs3m7p54",
        "AgAAAAAABk4DWZ4C28yUQAAAAAA=",
    ] {
        assert!(!shown.contains(secret), "`{secret}` shows in {shown}");
    }
    assert!(shown.contains("GBP"), "the rest is shown: {shown}");
}

/// An older account's raw secret key goes in `Authorization` as it is, without `Bearer`.
#[tokio::test]
async fn a_raw_secret_key_is_sent_without_bearer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/payments/{PAYMENT}")))
        .and(header("authorization", "sk_test_raw_key_0123456789"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": PAYMENT})))
        .expect(1)
        .mount(&server)
        .await;
    let config = ClientConfig::new(
        server.uri(),
        Credentials::api_key("sk_test_raw_key_0123456789"),
    )
    .retry_policy(RetryPolicy::none());
    let client = Client::with_config(config).expect("loopback http is allowed");
    client
        .payments_get(&PaymentsGetRequest::new(PAYMENT))
        .await
        .expect("the raw key authenticates");
}

/// The per-merchant hosts need the account's prefix: a value that is not 8 lower-case letters
/// or digits is refused naming the variable, and a good one fills the URL.
#[test]
fn the_prefixed_hosts_take_a_checked_prefix() {
    assert_eq!(
        Client::production_prefixed_base_url("1a2b3c4d").expect("a valid prefix"),
        "https://1a2b3c4d.api.checkout.com"
    );
    assert_eq!(
        Client::sandbox_prefixed_base_url("1a2b3c4d").expect("a valid prefix"),
        "https://1a2b3c4d.api.sandbox.checkout.com"
    );
    for bad in ["", "1a2b3c4", "1A2B3C4D", "evil.com/", "1a2b3c4d.evil.com"] {
        let error = Client::production_prefixed_base_url(bad).expect_err(bad);
        assert!(matches!(error, Error::Config { .. }), "{bad}: {error:?}");
        assert!(error.to_string().contains("prefix"), "{bad}: {error}");
    }
}

/// The failure body decodes into the spec's `ErrorResponse` (`errors.type`), its codes typed,
/// through `checkout::error_body` and `ApiError::typed_body` alike; an unknown field is in
/// `extra`.
#[tokio::test]
async fn an_error_body_has_a_typed_body_with_every_field() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "request_id": "0HL80RJLS76I7",
            "error_type": "request_invalid",
            "error_codes": ["payment_source_required", "amount_invalid", "brand_new_code"],
            "trace": "abc"
        })))
        .mount(&server)
        .await;
    let error = client(&server)
        .payments_void(&PaymentsVoidRequest::new(PAYMENT))
        .await
        .expect_err("422");
    let api = error.api_error().expect("an API error");
    let body: payspec::checkout::ErrorBody = api.typed_body().expect("typed");
    assert_eq!(body.request_id.as_deref(), Some("0HL80RJLS76I7"));
    assert_eq!(body.error_type.as_deref(), Some("request_invalid"));
    assert_eq!(
        body.error_codes.as_deref(),
        Some(
            &[
                ErrorCode::PaymentSourceRequired,
                ErrorCode::AmountInvalid,
                ErrorCode::Unknown("brand_new_code".to_owned())
            ][..]
        )
    );
    assert_eq!(body.extra["trace"], "abc");
    assert_eq!(payspec::checkout::error_body(api).expect("the same"), body);
}

#[test]
fn an_answer_source_of_a_type_the_spec_does_not_describe_is_kept_as_json() {
    let json = serde_json::json!({
        "id": "pay_1",
        "source": { "type": "sofort", "bank_name": "x" }
    });
    let payment: payspec::checkout::Payment =
        serde_json::from_value(json.clone()).expect("decodes");
    let Some(PaymentSource::Other(source)) = &payment.source else {
        panic!("kept as JSON: {:?}", payment.source);
    };
    assert_eq!(source, &json["source"]);
    assert_eq!(
        payment.source.as_ref().and_then(PaymentSource::tag),
        Some("sofort")
    );
    assert_eq!(serde_json::to_value(&payment).expect("encodes"), json);
}

/// A field the spec marks `sensitive` shows in `Debug` only as present or absent: the value
/// never reaches a log line.
#[test]
fn debug_shows_a_sensitive_field_only_as_present() {
    let secret = "AAABBJg0VhI0VniQEjRWAAAAAAA=";
    let with = payspec::checkout::ThreeDsResult::new()
        .cryptogram(secret)
        .xid("xid-1");
    let shown = format!("{with:?}");
    assert!(
        shown.contains(r#"cryptogram: Some("<redacted>")"#),
        "{shown}"
    );
    assert!(!shown.contains(secret), "{shown}");
    assert!(shown.contains(r#"xid: Some("xid-1")"#), "{shown}");
    let without = format!("{:?}", payspec::checkout::ThreeDsResult::new());
    assert!(without.contains("cryptogram: None"), "{without}");
}
