//! Coverage of every operation of the generated Lyra client, end to end on loopback: each test
//! builds a request that sets every parameter the SDK lets you set, checks the exact request on
//! the wire (method, path, no query string, the whole JSON body, written by hand from the
//! reference), and decodes an answer that fills every field of the answer type.
//!
//! Answers are checked field by field for their top level and a sample of nested fields, and as
//! a whole by serialising the decoded value back to JSON and comparing it with the answer sent
//! (minus the `_type` tags and the fields added to test that unknown fields are ignored): a field
//! of the reference that the type does not model, or models under another wire name, shows up
//! as a difference.

// The answer fixtures are large `json!` literals.
#![recursion_limit = "256"]

use std::collections::BTreeMap;

use payspec::lyra::{
    AuthorizationMode, ChannelType, ChargeCreatePaymentAnswer, ChargeCreatePaymentCustomer,
    ChargeCreatePaymentCustomerBillingDetails, ChargeCreatePaymentCustomerShippingDetails,
    ChargeCreatePaymentCustomerShoppingCart, ChargeCreatePaymentCustomerShoppingCartCartItemInfo,
    ChargeCreatePaymentOrderChannelOptions, ChargeCreatePaymentOrderChannelOptionsMailOptions,
    ChargeCreatePaymentOrderRequest, ChargeCreatePaymentRequest,
    ChargeCreatePaymentSubMerchantDetails, ChargeCreatePaymentTransactionOptions,
    ChargeCreatePaymentTransactionOptionsCardOptions, ChargeCreateSubscriptionRequest,
    ChargeCreateSubscriptionTransactionOptions,
    ChargeCreateSubscriptionTransactionOptionsCardOptions, ChargeCreateTokenAnswer,
    ChargeCreateTokenCustomer, ChargeCreateTokenCustomerBillingDetails,
    ChargeCreateTokenCustomerShippingDetails, ChargeCreateTokenCustomerShoppingCart,
    ChargeCreateTokenCustomerShoppingCartCartItemInfo, ChargeCreateTokenFromTransactionRequest,
    ChargeCreateTokenRequest, ChargeCreateTokenSubMerchantDetails,
    ChargeCreateTokenTransactionOptions, ChargeCreateTokenTransactionOptionsCardOptions,
    ChargePaymentOrderGetRequest, ChargePaymentOrderUpdateRequest, ChargeSdkTestRequest, Client,
    CreationContext, Currency, CustomerWalletGetRequest, CustomerWalletUpdateRequest,
    DetailedStatus, EffectiveStrongAuthentication, FormAction, LiabilityShift, ManualValidation,
    Mode, OperationType, OrderGetRequest, OrderStatus, Payment, PaymentSource,
    PciAuthenticationCreateSessionRequest, PciChargeAuthenticateRequest,
    PciChargeCreatePaymentRequest, PciChargeCreateTokenRequest,
    PciChargeVerifyPaymentMethodRequest, PciTokenUpdateRequest, ResolutionMode, ResponseCodeAnswer,
    RiskAddToGreyListRequest, SubscriptionCancelAnswer, SubscriptionCancelRequest,
    SubscriptionGetAnswer, SubscriptionGetRequest, SubscriptionUpdateAnswer,
    SubscriptionUpdateRequest, SubscriptionUpdateTransactionOptions,
    SubscriptionUpdateTransactionOptionsCardOptions, Token, TokenCancelAnswer, TokenCancelRequest,
    TokenGetAnswer, TokenGetRequest, TokenReactivateAnswer, TokenReactivateRequest,
    TokenUpdateAnswer, TokenUpdateCustomer, TokenUpdateCustomerBillingDetails,
    TokenUpdateCustomerDetailsAnswer, TokenUpdateCustomerDetailsCustomer,
    TokenUpdateCustomerDetailsCustomerBillingDetails,
    TokenUpdateCustomerDetailsCustomerShippingDetails,
    TokenUpdateCustomerDetailsCustomerShoppingCart,
    TokenUpdateCustomerDetailsCustomerShoppingCartCartItemInfo, TokenUpdateCustomerDetailsRequest,
    TokenUpdateCustomerShippingDetails, TokenUpdateCustomerShoppingCart,
    TokenUpdateCustomerShoppingCartCartItemInfo, TokenUpdateRequest, Transaction,
    TransactionCancelOrRefundRequest, TransactionCancelRequest, TransactionCaptureRequest,
    TransactionDuplicateCardDuplicate, TransactionDuplicateRequest, TransactionGetRequest,
    TransactionStatus, TransactionUpdateCardUpdate, TransactionUpdateRequest,
    TransactionValidateRequest,
};
use payspec::{ClientConfig, Credentials, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

const SHOP: &str = "69876357";
const PASSWORD: &str = "testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M";
/// base64("69876357:testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M").
const AUTHORIZATION: &str =
    "Basic Njk4NzYzNTc6dGVzdHBhc3N3b3JkX0RFTU9QUklWQVRFS0VZMjNHNDQ3NXpYWlEyVUE1eDdN";
/// The source transaction of the requests.
const UUID: &str = "0d2a6e1f6b5f4e2a9c3b7d8e9f0a1b2c";
/// The transaction of the answers.
const ANSWER_UUID: &str = "5b4c3d2e1f0a4b5c8d7e6f5a4b3c2d1e";
const TOKEN: &str = "b6e0c1d2a3f44e5f8a9b0c1d2e3f4a5b";
const SUBSCRIPTION_ID: &str = "20261122RN2h3Mx8";
const ORDER_ID: &str = "order-2026-001";
const PAYMENT_ORDER_ID: &str = "d9b5f4a5b2b94e8ab5b6b4c0e5a1d2c3";
/// A field the types do not model: it must be ignored when decoding.
const UNKNOWN_FIELD: &str = "someFieldAddedLater";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn client(server: &MockServer) -> Client {
    let config = ClientConfig::new(server.uri(), Credentials::basic(SHOP, PASSWORD))
        .retry_policy(RetryPolicy::none());
    Client::with_config(config).expect("loopback http is allowed")
}

/// The request has no query string at all.
struct NoQuery;

impl Match for NoQuery {
    fn matches(&self, request: &Request) -> bool {
        request.url.query().is_none()
    }
}

/// The request has no body and no `Content-Type`.
struct NoBody;

impl Match for NoBody {
    fn matches(&self, request: &Request) -> bool {
        request.body.is_empty() && !request.headers.contains_key("content-type")
    }
}

/// The success envelope (`V4/WebService/Response`) around `answer`.
fn envelope(web_service: &str, answer: Value) -> Value {
    json!({
        "webService": web_service.replace('/', "\\/"),
        "version": "V4",
        "applicationVersion": "6.5.0",
        "status": "SUCCESS",
        "answer": answer,
        "ticket": null,
        "serverDate": "2026-11-22T10:15:31+00:00",
        "applicationProvider": "EPAYNC",
        "metadata": null,
        "mode": "TEST",
        "serverUrl": "https://epaync.nc",
        "_type": "V4/WebService/Response"
    })
}

/// Mounts the one mock of a test: `POST /V4/{web_service}` with Basic auth, no query string,
/// exactly `body` as JSON (or no body at all when `None`), answered with `answer` in a success
/// envelope; it must be called exactly once.
async fn mount(server: &MockServer, web_service: &str, body: Option<Value>, answer: Value) {
    let mock = Mock::given(method("POST"))
        .and(path(format!("/V4/{web_service}")))
        .and(header("authorization", AUTHORIZATION))
        .and(header("accept", "application/json"))
        .and(NoQuery);
    let mock = match body {
        Some(body) => mock
            .and(header("content-type", "application/json"))
            .and(body_json(body)),
        None => mock.and(NoBody),
    };
    mock.respond_with(ResponseTemplate::new(200).set_body_json(envelope(web_service, answer)))
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

/// The decoded value, serialised again, is the answer sent minus the `_type` tags and the
/// unknown field: every field sent was modelled under its wire name and decoded unchanged.
/// (A macro, so that the `Serialize` bound need not be named: this crate has no `serde`.)
macro_rules! assert_round_trip {
    ($decoded:expr, $answer:expr) => {
        compare_round_trip(
            &serde_json::to_value($decoded).expect("serialisable"),
            $answer,
        )
    };
}

fn compare_round_trip(decoded: &Value, answer: &Value) {
    let ignored = ["_type", UNKNOWN_FIELD];
    let actual = without(decoded, &ignored);
    let expected = without(answer, &ignored);
    let mut diffs = Vec::new();
    differences(&expected, &actual, "answer", &mut diffs);
    assert!(
        diffs.is_empty(),
        "the decoded answer differs from the one sent:\n{}",
        diffs.join("\n")
    );
}

fn metadata() -> BTreeMap<String, String> {
    [
        ("orderInfo".to_owned(), "gift".to_owned()),
        ("orderInfo2".to_owned(), "table 12".to_owned()),
    ]
    .into()
}

fn metadata_json() -> Value {
    json!({ "orderInfo": "gift", "orderInfo2": "table 12" })
}

/// `object` with its `_type` tag, as the gateway sends nested objects.
fn tagged(mut object: Value, tag: &str) -> Value {
    object["_type"] = json!(tag);
    object
}

// ---------------------------------------------------------------------------------------------
// Request parts shared by several operations: the same wire shape, one Rust type per operation.
// ---------------------------------------------------------------------------------------------

macro_rules! billing_details {
    ($ty:ty) => {
        <$ty>::new()
            .title("Mme")
            .category("PRIVATE")
            .first_name("Marie")
            .last_name("Wamytan")
            .phone_number("+687271234")
            .cell_phone_number("+687781234")
            .street_number("12")
            .address("rue de Sébastopol")
            .address2("Immeuble Le Carré")
            .district("Centre-ville")
            .zip_code("98800")
            .city("Nouméa")
            .state("Province Sud")
            .country("NC")
            .language("FR")
            .identity_code("19AB12345")
            .identity_type("PASSPORT")
            .legal_name("Wamytan SARL")
    };
}

fn billing_json() -> Value {
    json!({
        "title": "Mme",
        "category": "PRIVATE",
        "firstName": "Marie",
        "lastName": "Wamytan",
        "phoneNumber": "+687271234",
        "cellPhoneNumber": "+687781234",
        "streetNumber": "12",
        "address": "rue de Sébastopol",
        "address2": "Immeuble Le Carré",
        "district": "Centre-ville",
        "zipCode": "98800",
        "city": "Nouméa",
        "state": "Province Sud",
        "country": "NC",
        "language": "FR",
        "identityCode": "19AB12345",
        "identityType": "PASSPORT",
        "legalName": "Wamytan SARL"
    })
}

macro_rules! shipping_details {
    ($ty:ty) => {
        <$ty>::new()
            .title("M.")
            .category("PRIVATE")
            .first_name("Paul")
            .last_name("Wamytan")
            .phone_number("+687281234")
            .cell_phone_number("+687791234")
            .street_number("4")
            .address("route de l'Anse Vata")
            .address2("Résidence Les Palmiers")
            .district("Anse Vata")
            .zip_code("98807")
            .city("Nouméa")
            .state("Province Sud")
            .country("NC")
            .language("FR")
            .identity_code("19CD67890")
            .identity_type("PASSPORT")
            .legal_name("Paul Wamytan")
            .delivery_company_name("OPT-NC")
            .shipping_method("PACKAGE_DELIVERY_COMPANY")
            .shipping_speed("STANDARD")
    };
}

fn shipping_json() -> Value {
    json!({
        "title": "M.",
        "category": "PRIVATE",
        "firstName": "Paul",
        "lastName": "Wamytan",
        "phoneNumber": "+687281234",
        "cellPhoneNumber": "+687791234",
        "streetNumber": "4",
        "address": "route de l'Anse Vata",
        "address2": "Résidence Les Palmiers",
        "district": "Anse Vata",
        "zipCode": "98807",
        "city": "Nouméa",
        "state": "Province Sud",
        "country": "NC",
        "language": "FR",
        "identityCode": "19CD67890",
        "identityType": "PASSPORT",
        "legalName": "Paul Wamytan",
        "deliveryCompanyName": "OPT-NC",
        "shippingMethod": "PACKAGE_DELIVERY_COMPANY",
        "shippingSpeed": "STANDARD"
    })
}

macro_rules! shopping_cart {
    ($cart:ty, $item:ty) => {
        <$cart>::new()
            .insurance_amount(500)
            .shipping_amount(1500)
            .tax_amount(2978)
            .cart_item_info(vec![
                <$item>::new()
                    .product_label("Bougna poulet")
                    .product_type("FOOD_AND_GROCERY")
                    .product_ref("BGN-001")
                    .product_qty(2)
                    .product_amount(12025)
                    .product_vat(11.0),
                <$item>::new()
                    .product_label("Pareo")
                    .product_type("CLOTHING_AND_ACCESSORIES")
                    .product_ref("PAR-017")
                    .product_qty(1)
                    .product_amount(4000)
                    .product_vat(22.0),
            ])
    };
}

fn cart_json() -> Value {
    json!({
        "insuranceAmount": 500,
        "shippingAmount": 1500,
        "taxAmount": 2978,
        "cartItemInfo": [
            {
                "productLabel": "Bougna poulet",
                "productType": "FOOD_AND_GROCERY",
                "productRef": "BGN-001",
                "productQty": 2,
                "productAmount": 12025,
                "productVat": 11.0
            },
            {
                "productLabel": "Pareo",
                "productType": "CLOTHING_AND_ACCESSORIES",
                "productRef": "PAR-017",
                "productQty": 1,
                "productAmount": 4000,
                "productVat": 22.0
            }
        ]
    })
}

/// Fills every field of a request's `customer` but `email` (a constructor argument in
/// Charge/CreateToken, a setter elsewhere).
macro_rules! customer {
    ($customer:expr, $billing:ty, $shipping:ty, $cart:ty, $item:ty) => {
        $customer
            .reference("CUST-0042")
            .ip_address("203.0.113.42")
            .billing_details(billing_details!($billing))
            .shipping_details(shipping_details!($shipping))
            .shopping_cart(shopping_cart!($cart, $item))
    };
}

fn customer_json() -> Value {
    json!({
        "reference": "CUST-0042",
        "email": "marie.wamytan@example.nc",
        "ipAddress": "203.0.113.42",
        "billingDetails": billing_json(),
        "shippingDetails": shipping_json(),
        "shoppingCart": cart_json()
    })
}

const EMAIL: &str = "marie.wamytan@example.nc";

macro_rules! card_options {
    ($ty:ty) => {
        <$ty>::new()
            .payment_source(PaymentSource::Moto)
            .mid("8765432")
            .retry(2)
            .manual_validation(ManualValidation::Yes)
            .capture_delay(3)
            .first_installment_delay(30)
            .installment_number(3)
            .debit_credit_selector("CREDIT")
    };
}

fn card_options_json() -> Value {
    json!({
        "paymentSource": "MOTO",
        "mid": "8765432",
        "retry": 2,
        "manualValidation": "YES",
        "captureDelay": 3,
        "firstInstallmentDelay": 30,
        "installmentNumber": 3,
        "debitCreditSelector": "CREDIT"
    })
}

macro_rules! sub_merchant_details {
    ($ty:ty) => {
        <$ty>::new()
            .company_type("SARL")
            .legal_number("1234567.001")
            .name("Boutique du Caillou")
            .url("https://boutique-du-caillou.example.nc")
            .phone_number("+687261234")
            .address1("7 rue Jean Jaurès")
            .address2("Local 3")
            .zip("98800")
            .city("Nouméa")
            .country("NC")
            .mcc("5411")
            .mid("1234567")
            .soft_descriptor("CAILLOU*BOUTIQUE")
            .state("Province Sud")
            .facilitator_id("FAC-0001")
    };
}

fn sub_merchant_json() -> Value {
    json!({
        "companyType": "SARL",
        "legalNumber": "1234567.001",
        "name": "Boutique du Caillou",
        "url": "https://boutique-du-caillou.example.nc",
        "phoneNumber": "+687261234",
        "address1": "7 rue Jean Jaurès",
        "address2": "Local 3",
        "zip": "98800",
        "city": "Nouméa",
        "country": "NC",
        "mcc": "5411",
        "mid": "1234567",
        "softDescriptor": "CAILLOU*BOUTIQUE",
        "state": "Province Sud",
        "facilitatorId": "FAC-0001"
    })
}

const ACQUIRER_TRANSIENT_DATA: &str = r#"{"MULTI":{"softDescriptor":"CAILLOU*BOUTIQUE"}}"#;

// ---------------------------------------------------------------------------------------------
// Answer fixtures, written from the reference's tables (§7 for the transaction).
// ---------------------------------------------------------------------------------------------

/// A `V4/Transaction` with every field of the reference filled (error fields included, so
/// their decoding is covered too), every nested object tagged, and one unknown field.
fn transaction_answer() -> Value {
    json!({
        "shopId": SHOP,
        "uuid": ANSWER_UUID,
        "amount": 30050,
        "currency": "XPF",
        "paymentMethodType": "CARD",
        "paymentMethodToken": TOKEN,
        "status": "PAID",
        "detailedStatus": "CAPTURED",
        "operationType": "DEBIT",
        "effectiveStrongAuthentication": "ENABLED",
        "creationDate": "2026-11-22T10:15:30+00:00",
        "errorCode": "ACQ_001",
        "errorMessage": "first attempt declined by the acquirer",
        "detailedErrorCode": "51",
        "detailedErrorMessage": "insufficient funds on the first attempt",
        "metadata": metadata_json(),
        "orderDetails": {
            "orderTotalAmount": 30050,
            "orderEffectiveAmount": 30050,
            "orderCurrency": "XPF",
            "mode": "TEST",
            "orderId": ORDER_ID,
            "metadata": { "orderInfo": "gift" },
            "_type": "V4/OrderDetails"
        },
        "customer": {
            "email": EMAIL,
            "reference": "CUST-0042",
            "billingDetails": tagged(billing_json(), "V4/Customer/BillingDetails"),
            "shippingDetails": tagged(shipping_json(), "V4/Customer/ShippingDetails"),
            "shoppingCart": tagged(cart_json(), "V4/Customer/ShoppingCart"),
            "extraDetails": {
                "browserAccept": "text/html,application/xhtml+xml",
                "fingerPrintId": "7f3c2a1b-9d8e-4f60-a5b4-c3d2e1f0a9b8",
                "ipAddress": "203.0.113.42",
                "browserUserAgent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0",
                "_type": "V4/Customer/ExtraDetails"
            },
            "_type": "V4/Customer/Customer"
        },
        "transactionDetails": {
            "liabilityShift": "YES",
            "effectiveAmount": 30050,
            "effectiveCurrency": "XPF",
            "creationContext": "CHARGE",
            "cardDetails": {
                "paymentSource": "EC",
                "manualValidation": "NO",
                "expectedCaptureDate": "2026-11-25T10:15:30+00:00",
                "effectiveBrand": "VISA",
                "pan": "497010XXXXXX0055",
                "expiryMonth": 11,
                "expiryYear": 2027,
                "country": "NC",
                "issuerCode": 17807,
                "issuerName": "Banque de Nouvelle-Calédonie",
                "effectiveProductCode": "F",
                "legacyTransId": "914597",
                "legacyTransDate": "2026-11-22T10:15:30+00:00",
                "paymentMethodSource": "NEW",
                "authorizationResponse": {
                    "amount": 30050,
                    "currency": "XPF",
                    "authorizationDate": "2026-11-22T10:15:31+00:00",
                    "authorizationNumber": "3fe4b2",
                    "authorizationResult": "0",
                    "authorizationMode": "FULL",
                    "_type": "V4/PaymentMethod/Details/Cards/CardAuthorizationResponse"
                },
                "captureResponse": {
                    "refundAmount": 5000,
                    "refundCurrency": "XPF",
                    "captureDate": "2026-11-23T02:00:00+00:00",
                    "captureFileNumber": 20261123,
                    "effectiveRefundAmount": 5000,
                    "effectiveRefundCurrency": "XPF",
                    "_type": "V4/PaymentMethod/Details/Cards/CardCaptureResponse"
                },
                "markAuthorizationResponse": {
                    "amount": 30050,
                    "currency": "XPF",
                    "authorizationDate": "2026-11-22T10:15:29+00:00",
                    "authorizationNumber": "3fe4b1",
                    "authorizationResult": "0",
                    "_type": "V4/PaymentMethod/Details/Cards/MarkAuthorizationResponse"
                },
                "threeDSResponse": {
                    "authenticationResultData": {
                        "transactionCondition": "COND_3D_SUCCESS",
                        "enrolled": "Y",
                        "status": "Y",
                        "eci": "05",
                        "xid": "WFBUQm9YRWl1a0J6WWl4c0hzZjA=",
                        "cavvAlgorithm": "2",
                        "cavv": "AAABBJYJIQAAAAAAAAkhAAAAAAA=",
                        "signValid": "Y",
                        "brand": "VISA",
                        "_type": "V4/PaymentMethod/Details/Cards/CardAuthenticationResponse"
                    },
                    "_type": "V4/PaymentMethod/Details/Cards/ThreeDSResponse"
                },
                "authenticationResponse": authentication_response_answer(),
                "installmentNumber": 1,
                "installmentCode": "SINGLE",
                "cardHolderName": "MARIE WAMYTAN",
                "identityDocumentNumber": "19AB12345",
                "identityDocumentType": "PASSPORT",
                "_type": "V4/CardDetails"
            },
            "fraudManagement": {
                "riskControl": [{ "name": "CARD_FRAUD", "result": "OK" }],
                "riskAnalysis": [],
                "riskAssessments": null,
                "_type": "V4/PaymentMethod/Details/FraudManagement"
            },
            "subscriptionDetails": {
                "subscriptionId": SUBSCRIPTION_ID,
                "_type": "V4/PaymentMethod/Details/SubscriptionDetails"
            },
            "parentTransactionUuid": UUID,
            "mid": "8765432",
            "sequenceNumber": 1,
            "taxAmount": 2978,
            "preTaxAmount": 27072,
            "taxRate": 11.0,
            "externalTransactionId": "EXT-778899",
            "nsu": "004512",
            "tid": "001",
            "acquirerNetwork": "CB",
            "taxRefundAmount": 496,
            "userInfo": "JS Client",
            "paymentMethodTokenPreviouslyRegistered": true,
            "occurrenceType": "UNITAIRE",
            "_type": "V4/TransactionDetails"
        },
        UNKNOWN_FIELD: { "anything": [1, 2] },
        "_type": "V4/Transaction"
    })
}

fn authentication_response_answer() -> Value {
    json!({
        "id": "a9c1f0de-5b6a-4f3e-8d2c-1b0a9f8e7d6c",
        "operationSessionId": "4e3d2c1b0a9f48e7d6c5b4a3f2e1d0c9",
        "protocol": {
            "name": "THREEDS",
            "version": "2.2.0",
            "network": "VISA",
            "challengePreference": "NO_PREFERENCE",
            "simulation": false,
            "_type": "V4/Charge/Authenticate/Protocol"
        },
        "value": {
            "authenticationType": "FRICTIONLESS",
            "authenticationId": { "authenticationIdType": "dsTransId", "value": "7a2b5c1e-0f3d-4e6a-9b8c-2d1e0f3a4b5c" },
            "authenticationValue": { "authenticationValueType": "CAVV", "value": "AAABBJYJIQAAAAAAAAkhAAAAAAA=" },
            "status": "SUCCESS",
            "commerceIndicator": "05",
            "_type": "V4/Charge/Authenticate/AuthenticationResult"
        },
        "_type": "V4/AuthenticationResponseData"
    })
}

/// Checks a decoded `Transaction` against [`transaction_answer`]: every top-level field, a
/// sample of nested ones, the `_type` tags it models, then the whole value by round trip.
fn assert_transaction(transaction: &Transaction) {
    assert_eq!(transaction.shop_id.as_deref(), Some(SHOP));
    assert_eq!(transaction.uuid.as_deref(), Some(ANSWER_UUID));
    assert_eq!(transaction.amount, Some(30050.into()));
    assert_eq!(transaction.currency, Some(Currency::Xpf));
    assert_eq!(transaction.payment_method_type.as_deref(), Some("CARD"));
    assert_eq!(transaction.payment_method_token.as_deref(), Some(TOKEN));
    assert_eq!(transaction.status, Some(TransactionStatus::Paid));
    assert_eq!(transaction.detailed_status, Some(DetailedStatus::Captured));
    assert_eq!(transaction.operation_type, Some(OperationType::Debit));
    assert_eq!(
        transaction.effective_strong_authentication,
        Some(EffectiveStrongAuthentication::Enabled)
    );
    assert_eq!(
        transaction.creation_date.as_ref().map(AsRef::as_ref),
        Some("2026-11-22T10:15:30+00:00")
    );
    assert_eq!(transaction.error_code.as_deref(), Some("ACQ_001"));
    assert_eq!(
        transaction.error_message.as_deref(),
        Some("first attempt declined by the acquirer")
    );
    assert_eq!(transaction.detailed_error_code.as_deref(), Some("51"));
    assert_eq!(
        transaction.detailed_error_message.as_deref(),
        Some("insufficient funds on the first attempt")
    );
    assert_eq!(transaction.metadata, Some(metadata()));
    assert_eq!(transaction.r#type.as_deref(), Some("V4/Transaction"));

    let order = transaction.order_details.as_ref().expect("orderDetails");
    assert_eq!(order.order_total_amount, Some(30050.into()));
    assert_eq!(order.order_effective_amount, Some(30050.into()));
    assert_eq!(order.order_currency, Some(Currency::Xpf));
    assert_eq!(order.mode, Some(Mode::Test));
    assert_eq!(order.order_id.as_deref(), Some(ORDER_ID));
    assert_eq!(order.r#type.as_deref(), Some("V4/OrderDetails"));

    let customer = transaction.customer.as_ref().expect("customer");
    assert_eq!(customer.email.as_deref(), Some(EMAIL));
    assert_eq!(customer.r#type.as_deref(), Some("V4/Customer/Customer"));
    let billing = customer.billing_details.as_ref().expect("billingDetails");
    assert_eq!(billing.zip_code.as_deref(), Some("98800"));
    assert_eq!(billing.legal_name.as_deref(), Some("Wamytan SARL"));
    let shipping = customer.shipping_details.as_ref().expect("shippingDetails");
    assert_eq!(shipping.shipping_speed.as_deref(), Some("STANDARD"));
    let cart = customer.shopping_cart.as_ref().expect("shoppingCart");
    let items = cart.cart_item_info.as_ref().expect("cartItemInfo");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].product_vat, Some(22.0.into()));
    let extra = customer.extra_details.as_ref().expect("extraDetails");
    assert_eq!(extra.ip_address.as_deref(), Some("203.0.113.42"));

    let details = transaction
        .transaction_details
        .as_ref()
        .expect("transactionDetails");
    assert_eq!(details.liability_shift, Some(LiabilityShift::Yes));
    assert_eq!(details.creation_context, Some(CreationContext::Charge));
    assert_eq!(details.tax_rate, Some(11.0.into()));
    assert_eq!(
        details.payment_method_token_previously_registered,
        Some(true)
    );
    assert_eq!(details.r#type.as_deref(), Some("V4/TransactionDetails"));
    assert_eq!(
        details
            .subscription_details
            .as_ref()
            .and_then(|s| s.subscription_id.as_deref()),
        Some(SUBSCRIPTION_ID)
    );
    let card = details.card_details.as_ref().expect("cardDetails");
    assert_eq!(card.payment_source, Some(PaymentSource::Ec));
    assert_eq!(card.manual_validation, Some(ManualValidation::No));
    assert_eq!(card.expiry_year, Some(2027.into()));
    assert_eq!(card.issuer_code, Some(json!(17807)));
    let authorization = card
        .authorization_response
        .as_ref()
        .expect("authorizationResponse");
    assert_eq!(
        authorization.authorization_mode,
        Some(AuthorizationMode::Full)
    );
    assert_eq!(authorization.authorization_result.as_deref(), Some("0"));
    let capture = card.capture_response.as_ref().expect("captureResponse");
    assert_eq!(capture.refund_amount, Some(5000.into()));
    assert_eq!(capture.effective_refund_currency, Some(Currency::Xpf));
    let three_ds = card
        .three_ds_response
        .as_ref()
        .and_then(|r| r.authentication_result_data.as_ref())
        .expect("threeDSResponse.authenticationResultData");
    assert_eq!(three_ds.eci.as_deref(), Some("05"));
    assert_eq!(three_ds.brand.as_deref(), Some("VISA"));
    let authentication = card
        .authentication_response
        .as_ref()
        .expect("authenticationResponse");
    assert_eq!(
        authentication.operation_session_id.as_deref(),
        Some("4e3d2c1b0a9f48e7d6c5b4a3f2e1d0c9")
    );

    assert_round_trip!(transaction, &transaction_answer());
}

/// A refused `V4/Transaction`, for the second transaction of an order.
fn refused_transaction_answer() -> Value {
    json!({
        "shopId": SHOP,
        "uuid": "9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b",
        "amount": 30050,
        "currency": "XPF",
        "paymentMethodType": "CARD",
        "status": "UNPAID",
        "detailedStatus": "REFUSED",
        "operationType": "DEBIT",
        "effectiveStrongAuthentication": "DISABLED",
        "creationDate": "2026-11-22T10:10:02+00:00",
        "errorCode": "PSP_003",
        "errorMessage": "payment refused",
        "detailedErrorCode": "51",
        "detailedErrorMessage": "insufficient funds",
        "_type": "V4/Transaction"
    })
}

fn token_answer() -> Value {
    json!({
        "paymentMethodToken": TOKEN,
        "customer": {
            "email": EMAIL,
            "reference": "CUST-0042",
            "billingDetails": tagged(billing_json(), "V4/Customer/BillingDetails"),
            "shippingDetails": tagged(shipping_json(), "V4/Customer/ShippingDetails"),
            "_type": "V4/Customer/Customer"
        },
        UNKNOWN_FIELD: true,
        "_type": "V4/Token"
    })
}

fn assert_token(token: &Token) {
    assert_eq!(token.payment_method_token.as_deref(), Some(TOKEN));
    let customer = token.customer.as_ref().expect("customer");
    assert_eq!(customer.email.as_deref(), Some(EMAIL));
    assert_eq!(customer.reference.as_deref(), Some("CUST-0042"));
    assert_eq!(
        customer
            .billing_details
            .as_ref()
            .and_then(|b| b.identity_code.as_deref()),
        Some("19AB12345")
    );
    assert_eq!(
        customer
            .shipping_details
            .as_ref()
            .and_then(|s| s.delivery_company_name.as_deref()),
        Some("OPT-NC")
    );
    assert_round_trip!(token, &token_answer());
}

fn payment_order_answer() -> Value {
    json!({
        "paymentOrderId": PAYMENT_ORDER_ID,
        "paymentURL": "https://epaync.nc/t/5y1ri0ym",
        "amount": 30050,
        "currency": "XPF",
        "orderId": ORDER_ID,
        "expirationDate": "2026-12-22T23:59:59+00:00",
        "locale": "fr_FR",
        "merchantComment": "Acompte commande 2026-001",
        "taxAmount": 2978,
        "taxRate": 11.0,
        "paymentReceiptEmail": EMAIL,
        UNKNOWN_FIELD: "new",
        "_type": "V4/PaymentOrder"
    })
}

fn assert_payment_order(order: &payspec::lyra::PaymentOrder) {
    assert_eq!(order.payment_order_id.as_deref(), Some(PAYMENT_ORDER_ID));
    assert_eq!(
        order.payment_url.as_deref(),
        Some("https://epaync.nc/t/5y1ri0ym")
    );
    assert_eq!(order.amount, Some(30050.into()));
    assert_eq!(order.currency, Some(Currency::Xpf));
    assert_eq!(order.order_id.as_deref(), Some(ORDER_ID));
    assert_eq!(
        order.expiration_date.as_ref().map(AsRef::as_ref),
        Some("2026-12-22T23:59:59+00:00")
    );
    assert_eq!(order.locale.as_deref(), Some("fr_FR"));
    assert_eq!(
        order.merchant_comment.as_deref(),
        Some("Acompte commande 2026-001")
    );
    assert_eq!(order.tax_amount, Some(2978.into()));
    assert_eq!(order.tax_rate, Some(11.0.into()));
    assert_eq!(order.payment_receipt_email.as_deref(), Some(EMAIL));
    assert_round_trip!(order, &payment_order_answer());
}

fn response_code_answer() -> Value {
    json!({ "responseCode": 0, "_type": "V4/Common/ResponseCodeAnswer" })
}

/// A json answer is handed back exactly as sent; when it is a `V4/Common/ResponseCodeAnswer`,
/// the named type decodes it too.
/// The answer of a call whose answer is one of several types must be its
/// `ResponseCodeAnswer` variant, decoded by `_type`.
macro_rules! expect_response_code {
    ($answer:expr, $ty:ident) => {
        match $answer {
            $ty::ResponseCodeAnswer(decoded) => {
                assert_eq!(decoded.response_code, Some(0.into()));
                assert_round_trip!(&*decoded, &response_code_answer());
            }
            other => panic!("expected a ResponseCodeAnswer, got {other:?}"),
        }
    };
}

#[allow(dead_code)]
fn assert_response_code(answer: &Value) {
    assert_eq!(answer, &response_code_answer());
    let decoded: ResponseCodeAnswer =
        serde_json::from_value(answer.clone()).expect("a ResponseCodeAnswer");
    assert_eq!(decoded.response_code, Some(0.into()));
    assert_round_trip!(&decoded, answer);
}

// ---------------------------------------------------------------------------------------------
// Transaction/*
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn transaction_duplicate_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Transaction/Duplicate",
        Some(json!({
            "uuid": UUID,
            "amount": 30050,
            "currency": "XPF",
            "orderId": ORDER_ID,
            "comment": "second attempt after a refusal",
            "metadata": metadata_json(),
            "cardDuplicate": { "captureDelay": 3, "manualValidation": "YES" },
            "acquirerTransientData": ACQUIRER_TRANSIENT_DATA
        })),
        transaction_answer(),
    )
    .await;
    let request = TransactionDuplicateRequest::new(UUID, 30050, Currency::Xpf)
        .order_id(ORDER_ID)
        .comment("second attempt after a refusal")
        .metadata(metadata())
        .card_duplicate(
            TransactionDuplicateCardDuplicate::new()
                .capture_delay(3)
                .manual_validation(ManualValidation::Yes),
        )
        .acquirer_transient_data(ACQUIRER_TRANSIENT_DATA);
    let transaction = ok(
        &server,
        client(&server).transaction_duplicate(&request).await,
    )
    .await;
    assert_transaction(&transaction);
}

#[tokio::test]
async fn transaction_get_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Transaction/Get",
        Some(json!({ "uuid": ANSWER_UUID })),
        transaction_answer(),
    )
    .await;
    let request = TransactionGetRequest::new(ANSWER_UUID);
    let transaction = ok(&server, client(&server).transaction_get(&request).await).await;
    assert_transaction(&transaction);
}

#[tokio::test]
async fn transaction_validate_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Transaction/Validate",
        Some(json!({ "uuid": UUID, "comment": "stock checked" })),
        transaction_answer(),
    )
    .await;
    let request = TransactionValidateRequest::new(UUID).comment("stock checked");
    let transaction = ok(
        &server,
        client(&server).transaction_validate(&request).await,
    )
    .await;
    assert_transaction(&transaction);
}

#[tokio::test]
async fn transaction_cancel_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Transaction/Cancel",
        Some(json!({
            "uuid": UUID,
            "comment": "customer changed their mind",
            "resolutionMode": "CANCELLATION_ONLY"
        })),
        transaction_answer(),
    )
    .await;
    let request = TransactionCancelRequest::new(UUID)
        .comment("customer changed their mind")
        .resolution_mode(ResolutionMode::CancellationOnly);
    let transaction = ok(&server, client(&server).transaction_cancel(&request).await).await;
    assert_transaction(&transaction);
}

#[tokio::test]
async fn transaction_cancel_or_refund_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Transaction/CancelOrRefund",
        Some(json!({
            "uuid": UUID,
            "amount": 5000,
            "currency": "XPF",
            "resolutionMode": "REFUND_ONLY",
            "comment": "one item returned"
        })),
        transaction_answer(),
    )
    .await;
    let request = TransactionCancelOrRefundRequest::new(UUID)
        .amount(5000)
        .currency(Currency::Xpf)
        .resolution_mode(ResolutionMode::RefundOnly)
        .comment("one item returned");
    let transaction = ok(
        &server,
        client(&server).transaction_cancel_or_refund(&request).await,
    )
    .await;
    assert_transaction(&transaction);
}

#[tokio::test]
async fn transaction_update_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Transaction/Update",
        Some(json!({
            "uuid": UUID,
            "comment": "partial delivery",
            "cardUpdate": {
                "amount": 25000,
                "currency": "XPF",
                "expectedCaptureDate": "2026-11-29T00:00:00+00:00",
                "manualValidation": "NO"
            }
        })),
        transaction_answer(),
    )
    .await;
    let request = TransactionUpdateRequest::new(UUID)
        .comment("partial delivery")
        .card_update(
            TransactionUpdateCardUpdate::new()
                .amount(25000)
                .currency(Currency::Xpf)
                .expected_capture_date(payspec::DateTime::new("2026-11-29T00:00:00+00:00").unwrap())
                .manual_validation(ManualValidation::No),
        );
    let transaction = ok(&server, client(&server).transaction_update(&request).await).await;
    assert_transaction(&transaction);
}

#[tokio::test]
async fn transaction_capture_sets_every_parameter() {
    let server = MockServer::start().await;
    // The reference does not know the answer of Capture: the SDK hands back raw JSON.
    let answer = json!({
        "responseCode": 0,
        "transactions": [{ "uuid": UUID, "detailedStatus": "CAPTURED" }],
        "_type": "V4/Common/ResponseCodeAnswer"
    });
    mount(
        &server,
        "Transaction/Capture",
        Some(json!({
            "uuids": [UUID, ANSWER_UUID],
            "commission": 5,
            "expectedCaptureDate": "2026-11-24T00:00:00-03:00"
        })),
        answer.clone(),
    )
    .await;
    let request = TransactionCaptureRequest::new(vec![UUID.to_owned(), ANSWER_UUID.to_owned()])
        .commission(5)
        .expected_capture_date(payspec::DateTime::new("2026-11-24T00:00:00-03:00").unwrap());
    let decoded = ok(&server, client(&server).transaction_capture(&request).await).await;
    assert_eq!(decoded, answer);
}

// ---------------------------------------------------------------------------------------------
// Order/Get
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn order_get_sets_every_parameter() {
    let server = MockServer::start().await;
    let answer = json!({
        "orderId": ORDER_ID,
        "transactions": [transaction_answer(), refused_transaction_answer()],
        UNKNOWN_FIELD: 1,
        "_type": "V4/OrderTransactions"
    });
    mount(
        &server,
        "Order/Get",
        Some(json!({ "orderId": ORDER_ID, "operationType": "DEBIT" })),
        answer.clone(),
    )
    .await;
    let request = OrderGetRequest::new(ORDER_ID).operation_type(OperationType::Debit);
    let order = ok(&server, client(&server).order_get(&request).await).await;
    assert_eq!(order.order_id.as_deref(), Some(ORDER_ID));
    let transactions = order.transactions.as_ref().expect("transactions");
    assert_eq!(transactions.len(), 2);
    assert_transaction(&transactions[0]);
    assert_eq!(
        transactions[1].detailed_status,
        Some(DetailedStatus::Refused)
    );
    assert_eq!(transactions[1].error_code.as_deref(), Some("PSP_003"));
    assert_round_trip!(&order, &answer);
}

// ---------------------------------------------------------------------------------------------
// Charge/*
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn charge_sdk_test_sets_every_parameter() {
    let server = MockServer::start().await;
    let answer = json!({ "value": "ping from payspec", "_type": "V4/Charge/SDKTest" });
    mount(
        &server,
        "Charge/SDKTest",
        Some(json!({ "value": "ping from payspec" })),
        answer.clone(),
    )
    .await;
    let request = ChargeSdkTestRequest::new().value("ping from payspec");
    let decoded = ok(&server, client(&server).charge_sdk_test(&request).await).await;
    assert_eq!(decoded, answer);
}

fn payment_form_answer() -> Value {
    json!({
        "formToken": "01eUV4BWV5RmqmV3uE2cPx5w1eyJhbW91bnQiOjMwMDUwLCJjdXJyZW5jeSI6IlhQRiJ9",
        UNKNOWN_FIELD: [],
        "_type": "V4/Charge/PaymentForm"
    })
}

#[tokio::test]
async fn charge_create_payment_sets_every_parameter() {
    let server = MockServer::start().await;
    let answer = payment_form_answer();
    mount(
        &server,
        "Charge/CreatePayment",
        Some(json!({
            "amount": 30050,
            "currency": "XPF",
            "orderId": ORDER_ID,
            "formAction": "REGISTER_PAY",
            "paymentMethods": ["VISA", "MASTERCARD", "CB"],
            "paymentMethodToken": TOKEN,
            "contrib": "payspec/0.1",
            "ipnTargetUrl": "https://boutique-du-caillou.example.nc/ipn/lyra",
            "fingerPrintId": "7f3c2a1b-9d8e-4f60-a5b4-c3d2e1f0a9b8",
            "metadata": metadata_json(),
            "strongAuthentication": "AUTO",
            "acquirerTransientData": ACQUIRER_TRANSIENT_DATA,
            "customer": customer_json(),
            "transactionOptions": { "cardOptions": card_options_json() },
            "subMerchantDetails": sub_merchant_json()
        })),
        answer.clone(),
    )
    .await;
    let request = ChargeCreatePaymentRequest::new(30050, Currency::Xpf)
        .order_id(ORDER_ID)
        .form_action(FormAction::RegisterPay)
        .payment_methods(vec![
            "VISA".to_owned(),
            "MASTERCARD".to_owned(),
            "CB".to_owned(),
        ])
        .payment_method_token(TOKEN)
        .contrib("payspec/0.1")
        .ipn_target_url("https://boutique-du-caillou.example.nc/ipn/lyra")
        .finger_print_id("7f3c2a1b-9d8e-4f60-a5b4-c3d2e1f0a9b8")
        .metadata(metadata())
        .strong_authentication("AUTO")
        .acquirer_transient_data(ACQUIRER_TRANSIENT_DATA)
        .customer(customer!(
            ChargeCreatePaymentCustomer::new().email(EMAIL),
            ChargeCreatePaymentCustomerBillingDetails,
            ChargeCreatePaymentCustomerShippingDetails,
            ChargeCreatePaymentCustomerShoppingCart,
            ChargeCreatePaymentCustomerShoppingCartCartItemInfo
        ))
        .transaction_options(ChargeCreatePaymentTransactionOptions::new().card_options(
            card_options!(ChargeCreatePaymentTransactionOptionsCardOptions),
        ))
        .sub_merchant_details(sub_merchant_details!(ChargeCreatePaymentSubMerchantDetails));
    let answer_ = ok(
        &server,
        client(&server).charge_create_payment(&request).await,
    )
    .await;
    let ChargeCreatePaymentAnswer::PaymentForm(form) = answer_ else {
        panic!("a PaymentForm answer, got {answer_:?}");
    };
    assert_eq!(
        form.form_token.as_deref(),
        answer["formToken"].as_str(),
        "formToken"
    );
    assert_round_trip!(&form, &answer);
}

#[tokio::test]
async fn charge_create_payment_order_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Charge/CreatePaymentOrder",
        Some(json!({
            "amount": 30050,
            "currency": "XPF",
            "orderId": ORDER_ID,
            "channelOptions": {
                "channelType": "MAIL",
                "mailOptions": {
                    "recipient": EMAIL,
                    "bcc": "compta@boutique-du-caillou.example.nc",
                    "subject": "Votre lien de paiement",
                    "body": "Bonjour, voici le lien pour régler votre commande.",
                    "template": "DEFAULT"
                }
            },
            "expirationDate": "2026-12-22T23:59:59+00:00",
            "locale": "fr_FR",
            "merchantComment": "Acompte commande 2026-001",
            "taxAmount": 2978,
            "taxRate": 11.0,
            "paymentReceiptEmail": EMAIL,
            "dataCollectionForm": true
        })),
        payment_order_answer(),
    )
    .await;
    let request = ChargeCreatePaymentOrderRequest::new(30050, Currency::Xpf)
        .order_id(ORDER_ID)
        .channel_options(
            ChargeCreatePaymentOrderChannelOptions::new()
                .channel_type(ChannelType::Mail)
                .mail_options(
                    ChargeCreatePaymentOrderChannelOptionsMailOptions::new()
                        .recipient(EMAIL)
                        .bcc("compta@boutique-du-caillou.example.nc")
                        .subject("Votre lien de paiement")
                        .body("Bonjour, voici le lien pour régler votre commande.")
                        .template("DEFAULT"),
                ),
        )
        .expiration_date(payspec::DateTime::new("2026-12-22T23:59:59+00:00").unwrap())
        .locale("fr_FR")
        .merchant_comment("Acompte commande 2026-001")
        .tax_amount(2978)
        .tax_rate(11.0)
        .payment_receipt_email(EMAIL)
        .data_collection_form(json!(true));
    let order = ok(
        &server,
        client(&server).charge_create_payment_order(&request).await,
    )
    .await;
    assert_payment_order(&order);
}

#[tokio::test]
async fn charge_payment_order_get_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Charge/PaymentOrder/Get",
        Some(json!({ "paymentOrderId": PAYMENT_ORDER_ID })),
        payment_order_answer(),
    )
    .await;
    let request = ChargePaymentOrderGetRequest::new(PAYMENT_ORDER_ID);
    let order = ok(
        &server,
        client(&server).charge_payment_order_get(&request).await,
    )
    .await;
    assert_payment_order(&order);
}

#[tokio::test]
async fn charge_payment_order_update_sets_every_parameter() {
    let server = MockServer::start().await;
    // The reference does not know the inputs of Update: the SDK only takes the id.
    mount(
        &server,
        "Charge/PaymentOrder/Update",
        Some(json!({ "paymentOrderId": PAYMENT_ORDER_ID })),
        payment_order_answer(),
    )
    .await;
    let request = ChargePaymentOrderUpdateRequest::new(PAYMENT_ORDER_ID);
    let order = ok(
        &server,
        client(&server).charge_payment_order_update(&request).await,
    )
    .await;
    assert_payment_order(&order);
}

#[tokio::test]
async fn charge_create_subscription_sets_every_parameter() {
    let server = MockServer::start().await;
    let answer = json!({
        "subscriptionId": SUBSCRIPTION_ID,
        "paymentMethodToken": TOKEN,
        "orderId": ORDER_ID,
        UNKNOWN_FIELD: null,
        "_type": "V4/SubscriptionCreated"
    });
    mount(
        &server,
        "Charge/CreateSubscription",
        Some(json!({
            "amount": 2500,
            "currency": "XPF",
            "effectDate": "2026-12-01T00:00:00+00:00",
            "paymentMethodToken": TOKEN,
            "rrule": "RRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12",
            "orderId": ORDER_ID,
            "comment": "abonnement panier bio",
            "description": "Panier bio mensuel",
            "initialAmount": 5000,
            "initialAmountNumber": 1,
            "metadata": metadata_json(),
            "transactionOptions": { "cardOptions": card_options_json() }
        })),
        answer.clone(),
    )
    .await;
    let request = ChargeCreateSubscriptionRequest::new(
        2500,
        Currency::Xpf,
        payspec::DateTime::new("2026-12-01T00:00:00+00:00").unwrap(),
        TOKEN,
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12",
    )
    .order_id(ORDER_ID)
    .comment("abonnement panier bio")
    .description("Panier bio mensuel")
    .initial_amount(5000)
    .initial_amount_number(1)
    .metadata(metadata())
    .transaction_options(
        ChargeCreateSubscriptionTransactionOptions::new().card_options(card_options!(
            ChargeCreateSubscriptionTransactionOptionsCardOptions
        )),
    );
    let created = ok(
        &server,
        client(&server).charge_create_subscription(&request).await,
    )
    .await;
    assert_eq!(created.subscription_id.as_deref(), Some(SUBSCRIPTION_ID));
    assert_eq!(created.payment_method_token.as_deref(), Some(TOKEN));
    assert_eq!(created.order_id.as_deref(), Some(ORDER_ID));
    assert_round_trip!(&created, &answer);
}

#[tokio::test]
async fn charge_create_token_sets_every_parameter() {
    let server = MockServer::start().await;
    let answer = payment_form_answer();
    mount(
        &server,
        "Charge/CreateToken",
        Some(json!({
            "currency": "XPF",
            "orderId": ORDER_ID,
            "formAction": "REGISTER",
            "paymentMethods": ["VISA", "MASTERCARD"],
            "paymentMethodToken": TOKEN,
            "contrib": "payspec/0.1",
            "ipnTargetUrl": "https://boutique-du-caillou.example.nc/ipn/lyra",
            "fingerPrintId": "7f3c2a1b-9d8e-4f60-a5b4-c3d2e1f0a9b8",
            "metadata": metadata_json(),
            "strongAuthentication": "CHALLENGE_REQUESTED",
            "acquirerTransientData": ACQUIRER_TRANSIENT_DATA,
            "customer": customer_json(),
            "transactionOptions": { "cardOptions": card_options_json() },
            "subMerchantDetails": sub_merchant_json()
        })),
        answer.clone(),
    )
    .await;
    let request =
        ChargeCreateTokenRequest::new(
            Currency::Xpf,
            customer!(
                ChargeCreateTokenCustomer::new(EMAIL),
                ChargeCreateTokenCustomerBillingDetails,
                ChargeCreateTokenCustomerShippingDetails,
                ChargeCreateTokenCustomerShoppingCart,
                ChargeCreateTokenCustomerShoppingCartCartItemInfo
            ),
        )
        .order_id(ORDER_ID)
        .form_action(FormAction::Register)
        .payment_methods(vec!["VISA".to_owned(), "MASTERCARD".to_owned()])
        .payment_method_token(TOKEN)
        .contrib("payspec/0.1")
        .ipn_target_url("https://boutique-du-caillou.example.nc/ipn/lyra")
        .finger_print_id("7f3c2a1b-9d8e-4f60-a5b4-c3d2e1f0a9b8")
        .metadata(metadata())
        .strong_authentication("CHALLENGE_REQUESTED")
        .acquirer_transient_data(ACQUIRER_TRANSIENT_DATA)
        .transaction_options(ChargeCreateTokenTransactionOptions::new().card_options(
            card_options!(ChargeCreateTokenTransactionOptionsCardOptions),
        ))
        .sub_merchant_details(sub_merchant_details!(ChargeCreateTokenSubMerchantDetails));
    let answer_ = ok(&server, client(&server).charge_create_token(&request).await).await;
    let ChargeCreateTokenAnswer::PaymentForm(form) = answer_ else {
        panic!("a PaymentForm answer, got {answer_:?}");
    };
    assert_eq!(form.form_token.as_deref(), answer["formToken"].as_str());
    assert_round_trip!(&form, &answer);
}

#[tokio::test]
async fn charge_create_token_from_transaction_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Charge/CreateTokenFromTransaction",
        Some(json!({ "uuid": UUID, "email": EMAIL })),
        token_answer(),
    )
    .await;
    let request = ChargeCreateTokenFromTransactionRequest::new(UUID).email(EMAIL);
    let token = ok(
        &server,
        client(&server)
            .charge_create_token_from_transaction(&request)
            .await,
    )
    .await;
    assert_token(&token);
}

// ---------------------------------------------------------------------------------------------
// Subscription/*
// ---------------------------------------------------------------------------------------------

fn subscription_answer() -> Value {
    json!({
        "subscriptionId": SUBSCRIPTION_ID,
        "paymentMethodToken": TOKEN,
        "orderId": ORDER_ID,
        "amount": 2500,
        "currency": "XPF",
        "effectDate": "2026-12-01T00:00:00+00:00",
        "rrule": "RRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12",
        "initialAmount": 5000,
        "initialAmountNumber": 1,
        "description": "Panier bio mensuel",
        "metadata": metadata_json(),
        "_type": "V4/Subscription"
    })
}

#[tokio::test]
async fn subscription_get_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Subscription/Get",
        Some(json!({ "paymentMethodToken": TOKEN, "subscriptionId": SUBSCRIPTION_ID })),
        subscription_answer(),
    )
    .await;
    let request = SubscriptionGetRequest::new(TOKEN, SUBSCRIPTION_ID);
    let answer = ok(&server, client(&server).subscription_get(&request).await).await;
    // The answer is decoded by its `_type`.
    let SubscriptionGetAnswer::Subscription(subscription) = answer else {
        panic!("expected a Subscription, got {answer:?}");
    };
    assert_eq!(
        subscription.subscription_id.as_deref(),
        Some(SUBSCRIPTION_ID)
    );
    assert_eq!(subscription.amount, Some(2500.into()));
    assert_eq!(subscription.currency, Some(Currency::Xpf));
    assert_eq!(subscription.initial_amount_number, Some(1.into()));
    assert_round_trip!(&subscription, &subscription_answer());
}

#[tokio::test]
async fn subscription_update_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Subscription/Update",
        Some(json!({
            "paymentMethodToken": TOKEN,
            "subscriptionId": SUBSCRIPTION_ID,
            "amount": 3000,
            "currency": "XPF",
            "effectDate": "2027-01-01T00:00:00+00:00",
            "rrule": "RRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=11",
            "initialAmount": 0,
            "initialAmountNumber": 0,
            "description": "Panier bio mensuel (grand)",
            "transactionOptions": { "cardOptions": card_options_json() }
        })),
        response_code_answer(),
    )
    .await;
    let request =
        SubscriptionUpdateRequest::new(
            TOKEN,
            SUBSCRIPTION_ID,
            3000,
            Currency::Xpf,
            payspec::DateTime::new("2027-01-01T00:00:00+00:00").unwrap(),
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=11",
        )
        .initial_amount(0)
        .initial_amount_number(0)
        .description("Panier bio mensuel (grand)")
        .transaction_options(SubscriptionUpdateTransactionOptions::new().card_options(
            card_options!(SubscriptionUpdateTransactionOptionsCardOptions),
        ));
    let answer = ok(&server, client(&server).subscription_update(&request).await).await;
    expect_response_code!(answer, SubscriptionUpdateAnswer);
}

#[tokio::test]
async fn subscription_cancel_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Subscription/Cancel",
        Some(json!({ "paymentMethodToken": TOKEN, "subscriptionId": SUBSCRIPTION_ID })),
        response_code_answer(),
    )
    .await;
    let request = SubscriptionCancelRequest::new(TOKEN, SUBSCRIPTION_ID);
    let answer = ok(&server, client(&server).subscription_cancel(&request).await).await;
    expect_response_code!(answer, SubscriptionCancelAnswer);
}

// ---------------------------------------------------------------------------------------------
// Token/*
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn token_get_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Token/Get",
        Some(json!({ "paymentMethodToken": TOKEN })),
        token_answer(),
    )
    .await;
    let request = TokenGetRequest::new(TOKEN);
    let answer = ok(&server, client(&server).token_get(&request).await).await;
    // The answer is decoded by its `_type`.
    let TokenGetAnswer::Token(token) = answer else {
        panic!("expected a Token, got {answer:?}");
    };
    assert_token(&token);
}

#[tokio::test]
async fn token_update_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Token/Update",
        Some(json!({
            "paymentMethodToken": TOKEN,
            "currency": "XPF",
            "customer": customer_json(),
            "orderId": ORDER_ID
        })),
        response_code_answer(),
    )
    .await;
    let request = TokenUpdateRequest::new(TOKEN)
        .currency(Currency::Xpf)
        .customer(customer!(
            TokenUpdateCustomer::new().email(EMAIL),
            TokenUpdateCustomerBillingDetails,
            TokenUpdateCustomerShippingDetails,
            TokenUpdateCustomerShoppingCart,
            TokenUpdateCustomerShoppingCartCartItemInfo
        ))
        .order_id(ORDER_ID);
    let answer = ok(&server, client(&server).token_update(&request).await).await;
    expect_response_code!(answer, TokenUpdateAnswer);
}

#[tokio::test]
async fn token_cancel_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Token/Cancel",
        Some(json!({ "paymentMethodToken": TOKEN })),
        response_code_answer(),
    )
    .await;
    let request = TokenCancelRequest::new(TOKEN);
    let answer = ok(&server, client(&server).token_cancel(&request).await).await;
    expect_response_code!(answer, TokenCancelAnswer);
}

#[tokio::test]
async fn token_reactivate_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Token/Reactivate",
        Some(json!({ "paymentMethodToken": TOKEN })),
        response_code_answer(),
    )
    .await;
    let request = TokenReactivateRequest::new(TOKEN);
    let answer = ok(&server, client(&server).token_reactivate(&request).await).await;
    expect_response_code!(answer, TokenReactivateAnswer);
}

#[tokio::test]
async fn token_update_customer_details_sets_every_parameter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "Token/UpdateCustomerDetails",
        Some(json!({ "paymentMethodToken": TOKEN, "customer": customer_json() })),
        response_code_answer(),
    )
    .await;
    let request = TokenUpdateCustomerDetailsRequest::new(TOKEN).customer(customer!(
        TokenUpdateCustomerDetailsCustomer::new().email(EMAIL),
        TokenUpdateCustomerDetailsCustomerBillingDetails,
        TokenUpdateCustomerDetailsCustomerShippingDetails,
        TokenUpdateCustomerDetailsCustomerShoppingCart,
        TokenUpdateCustomerDetailsCustomerShoppingCartCartItemInfo
    ));
    let answer = ok(
        &server,
        client(&server)
            .token_update_customer_details(&request)
            .await,
    )
    .await;
    expect_response_code!(answer, TokenUpdateCustomerDetailsAnswer);
}

// ---------------------------------------------------------------------------------------------
// CustomerWallet/*, Risk/*: no parameter is known; the client sends `{}` (or extra parameters).
// ---------------------------------------------------------------------------------------------

fn customer_wallet_answer() -> Value {
    json!({
        "customerReference": "CUST-0042",
        "tokens": [token_answer()],
        UNKNOWN_FIELD: {},
        "_type": "V4/CustomerWallet"
    })
}

fn assert_customer_wallet(wallet: &payspec::lyra::CustomerWallet) {
    assert_eq!(wallet.customer_reference.as_deref(), Some("CUST-0042"));
    let tokens = wallet.tokens.as_ref().expect("tokens");
    assert_eq!(tokens.len(), 1);
    assert_token(&tokens[0]);
    assert_round_trip!(wallet, &customer_wallet_answer());
}

#[tokio::test]
async fn customer_wallet_get_sends_an_empty_object() {
    let server = MockServer::start().await;
    mount(
        &server,
        "CustomerWallet/Get",
        Some(json!({ "customerReference": "CUST-0042" })),
        customer_wallet_answer(),
    )
    .await;
    // The spec knows no input of this call: the escape hatch sends one anyway.
    let request = CustomerWalletGetRequest::new().extra_param("customerReference", "CUST-0042");
    let wallet = ok(&server, client(&server).customer_wallet_get(&request).await).await;
    assert_customer_wallet(&wallet);
}

#[tokio::test]
async fn customer_wallet_update_sends_an_empty_object() {
    let server = MockServer::start().await;
    mount(
        &server,
        "CustomerWallet/Update",
        Some(json!({})),
        customer_wallet_answer(),
    )
    .await;
    let request = CustomerWalletUpdateRequest::new();
    let wallet = ok(
        &server,
        client(&server).customer_wallet_update(&request).await,
    )
    .await;
    assert_customer_wallet(&wallet);
}

#[tokio::test]
async fn risk_add_to_grey_list_sends_an_empty_object() {
    let server = MockServer::start().await;
    let answer = json!({ UNKNOWN_FIELD: "x", "_type": "V4/GreyList" });
    mount(
        &server,
        "Risk/AddToGreyList",
        Some(json!({})),
        answer.clone(),
    )
    .await;
    let request = RiskAddToGreyListRequest::new();
    let grey_list = ok(
        &server,
        client(&server).risk_add_to_grey_list(&request).await,
    )
    .await;
    // `GreyList` models no field: everything it was sent is kept in `extra`.
    assert_eq!(
        serde_json::to_value(&grey_list).expect("serialisable"),
        answer
    );
    assert_round_trip!(&grey_list, &answer);
}

// ---------------------------------------------------------------------------------------------
// PCI/*: no parameter is known, the client sends `{}`, and the answers are raw JSON.
// ---------------------------------------------------------------------------------------------

fn payment_answer() -> Value {
    json!({
        "shopId": SHOP,
        "orderCycle": "CLOSED",
        "orderStatus": "PAID",
        "serverDate": "2026-11-22T10:15:31+00:00",
        "orderDetails": {
            "orderTotalAmount": 30050,
            "orderEffectiveAmount": 30050,
            "orderCurrency": "XPF",
            "mode": "TEST",
            "orderId": ORDER_ID,
            "metadata": null,
            "_type": "V4/OrderDetails"
        },
        "customer": {
            "email": EMAIL,
            "reference": "CUST-0042",
            "billingDetails": tagged(billing_json(), "V4/Customer/BillingDetails"),
            "shippingDetails": tagged(shipping_json(), "V4/Customer/ShippingDetails"),
            "shoppingCart": tagged(cart_json(), "V4/Customer/ShoppingCart"),
            "_type": "V4/Customer/Customer"
        },
        "transactions": [transaction_answer()],
        "subMerchantDetails": tagged(sub_merchant_json(), "V4/SubMerchantDetails"),
        "_type": "V4/Payment"
    })
}

/// A raw `V4/Payment` answer is returned as sent, and the named type `Payment` decodes it.
fn assert_payment(answer: &Value) {
    assert_eq!(answer, &payment_answer());
    let payment: Payment = serde_json::from_value(answer.clone()).expect("a Payment");
    assert_eq!(payment.order_status, Some(OrderStatus::Paid));
    let transactions = payment.transactions.as_ref().expect("transactions");
    assert_transaction(&transactions[0]);
}

#[tokio::test]
async fn pci_charge_authenticate_sends_an_empty_object() {
    let server = MockServer::start().await;
    let answer = authentication_response_answer();
    mount(
        &server,
        "PCI/Charge/Authenticate",
        Some(json!({})),
        answer.clone(),
    )
    .await;
    let request = PciChargeAuthenticateRequest::new();
    let decoded = ok(
        &server,
        client(&server).pci_charge_authenticate(&request).await,
    )
    .await;
    assert_eq!(decoded, answer);
}

#[tokio::test]
async fn pci_charge_create_payment_sends_an_empty_object() {
    let server = MockServer::start().await;
    mount(
        &server,
        "PCI/Charge/CreatePayment",
        Some(json!({})),
        payment_answer(),
    )
    .await;
    let request = PciChargeCreatePaymentRequest::new();
    let decoded = ok(
        &server,
        client(&server).pci_charge_create_payment(&request).await,
    )
    .await;
    assert_payment(&decoded);
}

#[tokio::test]
async fn pci_charge_create_token_sends_an_empty_object() {
    let server = MockServer::start().await;
    mount(
        &server,
        "PCI/Charge/CreateToken",
        Some(json!({})),
        payment_answer(),
    )
    .await;
    let request = PciChargeCreateTokenRequest::new();
    let decoded = ok(
        &server,
        client(&server).pci_charge_create_token(&request).await,
    )
    .await;
    assert_payment(&decoded);
}

#[tokio::test]
async fn pci_charge_verify_payment_method_sends_an_empty_object() {
    let server = MockServer::start().await;
    mount(
        &server,
        "PCI/Charge/VerifyPaymentMethod",
        Some(json!({})),
        payment_answer(),
    )
    .await;
    let request = PciChargeVerifyPaymentMethodRequest::new();
    let decoded = ok(
        &server,
        client(&server)
            .pci_charge_verify_payment_method(&request)
            .await,
    )
    .await;
    assert_payment(&decoded);
}

#[tokio::test]
async fn pci_authentication_create_session_sends_an_empty_object() {
    let server = MockServer::start().await;
    let answer = json!({
        "operationSessionId": "4e3d2c1b0a9f48e7d6c5b4a3f2e1d0c9",
        "operationUrl": "https://epaync.nc/api-payment/V4/Charge/Public/Authenticate/Session/4e3d2c1b",
        "_type": "V4/PCI/Authentication/AuthenticationSession"
    });
    mount(
        &server,
        "PCI/Authentication/CreateSession",
        Some(json!({})),
        answer.clone(),
    )
    .await;
    let request = PciAuthenticationCreateSessionRequest::new();
    let decoded = ok(
        &server,
        client(&server)
            .pci_authentication_create_session(&request)
            .await,
    )
    .await;
    assert_eq!(decoded, answer);
}

#[tokio::test]
async fn pci_token_update_sends_an_empty_object() {
    let server = MockServer::start().await;
    let answer = token_answer();
    mount(&server, "PCI/Token/Update", Some(json!({})), answer.clone()).await;
    let request = PciTokenUpdateRequest::new();
    let decoded = ok(&server, client(&server).pci_token_update(&request).await).await;
    assert_eq!(decoded, answer);
}
