//! Lyra answers of 2024–2025 (`tests/payloads/lyra/field/`, sources in its README) decode with the
//! fields the gateway added since the first spec: `transactionDetails.paymentMethodDetails`,
//! `archivalReferenceId`, the card's product category, nature, initial issuer transaction id and
//! card-holder fields, and `customer.extraDetails` of an IPN's `V4/Payment`. Each answer goes
//! through the generated client on loopback (Transaction/Get, Order/Get) or the IPN verifier
//! (signed with the testing kit, `sign_ipn_raw`, byte for byte).

use payspec::lyra::ipn::{self, Keys};
use payspec::lyra::{
    AuthorizationMode, Client, Currency, ManualValidation, OrderCycle, OrderGetRequest,
    OrderStatus, PaymentSource, Transaction, TransactionGetRequest,
};
use payspec::{ClientConfig, Credentials, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TRANSACTION_GET: &str = include_str!("../payloads/lyra/field/Transaction.get_2025.json");
const ORDER_GET: &str = include_str!("../payloads/lyra/field/OrderTransactions.get_2025.json");
const IPN_PAYMENT: &str = include_str!("../payloads/lyra/field/Payment.ipn_2024.json");
const PASSWORD: &str = "testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M";

async fn serve(web_service: &str, body: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/V4/{web_service}")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let config = ClientConfig::new(server.uri(), Credentials::basic("89289758", PASSWORD))
        .retry_policy(RetryPolicy::none());
    let client = Client::with_config(config).expect("loopback http is allowed");
    (server, client)
}

/// The card payment of `transaction_get.json` and `order_get.json`, field by new field.
fn assert_card_payment(transaction: &Transaction) {
    assert_eq!(
        transaction.uuid.as_deref(),
        Some("1acea34f4d784af297c108290ed1e082")
    );
    let details = transaction
        .transaction_details
        .as_ref()
        .expect("transactionDetails");
    assert_eq!(
        details.archival_reference_id.as_deref(),
        Some("ARC-20250514-948678")
    );
    assert_eq!(details.acquirer_network.as_deref(), Some("PROCESOS_ISO"));

    let card = details.card_details.as_ref().expect("cardDetails");
    assert_eq!(
        card.initial_issuer_transaction_identifier.as_deref(),
        Some("483297487231504")
    );
    assert_eq!(card.product_category.as_deref(), Some("CREDIT"));
    assert_eq!(card.nature.as_deref(), Some("CONSUMER_CARD"));
    assert_eq!(card.card_holder_pan.as_deref(), Some("497010XXXXXX0055"));
    assert_eq!(card.card_holder_expiry_month, Some(12.into()));
    assert_eq!(card.card_holder_expiry_year, Some(2027.into()));
    assert_eq!(card.sequence_type.as_deref(), Some("FIRST"));

    let method = details
        .payment_method_details
        .as_ref()
        .expect("paymentMethodDetails");
    assert_eq!(method.id.as_deref(), Some("497010XXXXXX0055"));
    assert_eq!(method.payment_source, Some(PaymentSource::Ec));
    assert_eq!(method.manual_validation, Some(ManualValidation::No));
    assert_eq!(method.effective_brand.as_deref(), Some("VISA"));
    assert_eq!(method.expiry_month, Some(12.into()));
    assert_eq!(method.expiry_year, Some(2027.into()));
    assert_eq!(method.effective_product_code.as_deref(), Some("F"));
    assert_eq!(method.installment_code.as_deref(), Some("0"));
    assert_eq!(method.card_holder_name.as_deref(), Some("JOHN DOE"));
    assert_eq!(
        method.initial_issuer_transaction_identifier.as_deref(),
        Some("483297487231504")
    );
    assert_eq!(
        method.r#type.as_deref(),
        Some("V4/PaymentMethod/Details/PaymentMethodDetails")
    );
    let authorization = method
        .authorization_response
        .as_ref()
        .expect("authorizationResponse");
    assert_eq!(authorization.amount, Some(19704.into()));
    assert_eq!(authorization.currency, Some(Currency::Pen));
    assert_eq!(
        authorization.authorization_number.as_deref(),
        Some("3fe903")
    );
    assert_eq!(
        authorization.authorization_mode,
        Some(AuthorizationMode::Full)
    );

    // Card-holder data stays out of `Debug` (and so out of logs).
    let debug = format!("{transaction:?}");
    for secret in ["497010XXXXXX0055", "JOHN DOE"] {
        assert!(!debug.contains(secret), "{secret} leaked into Debug");
    }
}

#[tokio::test]
async fn transaction_get_decodes_the_fields_added_since_2022() {
    let (_server, client) = serve("Transaction/Get", TRANSACTION_GET).await;
    let transaction = client
        .transaction_get(&TransactionGetRequest::new(
            "1acea34f4d784af297c108290ed1e082",
        ))
        .await
        .expect("decodes");
    assert_card_payment(&transaction);
    let extra = transaction
        .customer
        .as_ref()
        .and_then(|c| c.extra_details.as_ref())
        .expect("customer.extraDetails");
    assert_eq!(extra.ip_address.as_deref(), Some("198.51.100.115"));
}

#[tokio::test]
async fn order_get_decodes_the_order_level_fields_and_its_transactions() {
    let (_server, client) = serve("Order/Get", ORDER_GET).await;
    let order = client
        .order_get(&OrderGetRequest::new("order-2025-0514"))
        .await
        .expect("decodes");
    assert_eq!(order.shop_id.as_deref(), Some("89289758"));
    assert_eq!(order.order_cycle, Some(OrderCycle::Closed));
    assert_eq!(order.order_status, Some(OrderStatus::Paid));
    let server_date = order.server_date.as_ref().expect("serverDate");
    assert_eq!(server_date.as_str(), "2025-05-14T02:20:02+00:00");
    // Typed: the instant and the offset the gateway wrote, in the SDK's terms and in jiff's.
    assert_eq!(server_date.unix_timestamp(), Some(1_747_189_202));
    assert_eq!(server_date.offset_minutes(), Some(0));
    let zoned = server_date.to_zoned_datetime().expect("jiff");
    assert_eq!(
        (zoned.year(), zoned.month(), zoned.day(), zoned.hour()),
        (2025, 5, 14, 2)
    );
    let details = order.order_details.as_ref().expect("orderDetails");
    assert_eq!(details.order_id.as_deref(), Some("order-2025-0514"));
    assert_eq!(details.order_total_amount, Some(19704.into()));
    let transactions = order.transactions.as_deref().expect("transactions");
    assert_eq!(transactions.len(), 1);
    assert_card_payment(&transactions[0]);
}

#[test]
fn the_2024_ipn_payment_decodes_its_customer_extra_details_and_payment_method() {
    // The recorded answer byte for byte, signed as the gateway signs it.
    let signed = payspec::lyra::sandbox::sign_ipn_raw(IPN_PAYMENT, "password", PASSWORD)
        .expect("usable key");
    let body = String::from_utf8(signed.body).expect("a form is text");
    let keys = Keys::new().password(PASSWORD).expect("usable key");
    let payment = ipn::verify_form(&body, &keys).expect("valid IPN").payload;

    assert_eq!(payment.r#type.as_deref(), Some("V4/Payment"));
    assert_eq!(
        payment.customer.as_ref().and_then(|c| c.r#type.as_deref()),
        Some("V4/Customer/Customer")
    );
    let extra = payment
        .customer
        .as_ref()
        .and_then(|c| c.extra_details.as_ref())
        .expect("customer.extraDetails");
    assert_eq!(extra.ip_address.as_deref(), Some("192.0.2.37"));
    assert_eq!(
        extra.browser_user_agent.as_deref(),
        Some(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/122.0.0.0 Safari/537.36"
        )
    );
    assert_eq!(extra.browser_accept, None);

    let transactions = payment.transactions.as_deref().expect("transactions");
    let details = transactions[0]
        .transaction_details
        .as_ref()
        .expect("transactionDetails");
    assert_eq!(details.archival_reference_id, None, "null in the capture");
    assert_eq!(details.occurrence_type.as_deref(), Some("UNITAIRE"));
    let method = details
        .payment_method_details
        .as_ref()
        .expect("paymentMethodDetails");
    assert_eq!(method.id.as_deref(), Some("FR7617806XXXXXXXXXXXXX0973"));
    assert_eq!(method.effective_brand.as_deref(), Some("IP_WIRE"));
    assert_eq!(method.legacy_trans_id.as_deref(), Some("9ctjtj"));
    assert_eq!(
        method
            .authorization_response
            .as_ref()
            .and_then(|a| a.amount),
        Some(1250.into())
    );
    let card = details.card_details.as_ref().expect("cardDetails");
    assert_eq!(card.product_category, None);
    assert_eq!(card.nature, None);
    assert!(!format!("{payment:?}").contains("FR7617806XXXXXXXXXXXXX0973"));
}
