//! Lyra's `Transaction` as someone would write it by hand with serde: the same JSON shape as
//! the benchmark's fixture of `payspec::lyra::Transaction` (every field and nested object, same
//! depth), plain `Option<T>` fields, `String` for enumerations, `HashMap` for maps,
//! `serde_json::Value` for free-form fields; no validation, no lenient number decoding, no
//! kept unknown fields, no `skip_serializing_if` (the fixture fills every field, so both encode
//! to the same JSON; the benchmark refuses to compare them when they do not).

#![allow(dead_code)]

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Serialize, Deserialize)]
pub struct Transaction {
    #[serde(rename = "_type")]
    pub kind: Option<String>,
    pub amount: Option<u64>,
    #[serde(rename = "creationDate")]
    pub creation_date: Option<String>,
    pub currency: Option<String>,
    pub customer: Option<Customer>,
    #[serde(rename = "detailedErrorCode")]
    pub detailed_error_code: Option<String>,
    #[serde(rename = "detailedErrorMessage")]
    pub detailed_error_message: Option<String>,
    #[serde(rename = "detailedStatus")]
    pub detailed_status: Option<String>,
    #[serde(rename = "effectiveStrongAuthentication")]
    pub effective_strong_authentication: Option<String>,
    #[serde(rename = "errorCode")]
    pub error_code: Option<String>,
    #[serde(rename = "errorMessage")]
    pub error_message: Option<String>,
    pub metadata: Option<HashMap<String, String>>,
    #[serde(rename = "operationType")]
    pub operation_type: Option<String>,
    #[serde(rename = "orderDetails")]
    pub order_details: Option<OrderDetails>,
    #[serde(rename = "paymentId")]
    pub payment_id: Option<String>,
    #[serde(rename = "paymentMethodToken")]
    pub payment_method_token: Option<String>,
    #[serde(rename = "paymentMethodType")]
    pub payment_method_type: Option<String>,
    #[serde(rename = "shopId")]
    pub shop_id: Option<String>,
    pub status: Option<String>,
    #[serde(rename = "transactionDetails")]
    pub transaction_details: Option<TransactionDetails>,
    pub uuid: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TransactionDetails {
    #[serde(rename = "_type")]
    pub kind: Option<String>,
    #[serde(rename = "acquirerDetails")]
    pub acquirer_details: Option<Value>,
    #[serde(rename = "acquirerNetwork")]
    pub acquirer_network: Option<String>,
    #[serde(rename = "archivalReferenceId")]
    pub archival_reference_id: Option<String>,
    #[serde(rename = "cardDetails")]
    pub card_details: Option<CardDetails>,
    #[serde(rename = "creationContext")]
    pub creation_context: Option<String>,
    pub dcc: Option<Value>,
    #[serde(rename = "effectiveAmount")]
    pub effective_amount: Option<u64>,
    #[serde(rename = "effectiveCurrency")]
    pub effective_currency: Option<String>,
    #[serde(rename = "externalTransactionId")]
    pub external_transaction_id: Option<String>,
    #[serde(rename = "fraudManagement")]
    pub fraud_management: Option<Value>,
    #[serde(rename = "liabilityShift")]
    pub liability_shift: Option<String>,
    pub mid: Option<String>,
    pub nsu: Option<String>,
    #[serde(rename = "occurrenceType")]
    pub occurrence_type: Option<String>,
    #[serde(rename = "parentTransactionUuid")]
    pub parent_transaction_uuid: Option<String>,
    #[serde(rename = "paymentMethodDetails")]
    pub payment_method_details: Option<PaymentMethodDetails>,
    #[serde(rename = "paymentMethodTokenPreviouslyRegistered")]
    pub payment_method_token_previously_registered: Option<bool>,
    #[serde(rename = "preTaxAmount")]
    pub pre_tax_amount: Option<u64>,
    #[serde(rename = "sequenceNumber")]
    pub sequence_number: Option<i64>,
    #[serde(rename = "subscriptionDetails")]
    pub subscription_details: Option<SubscriptionDetails>,
    #[serde(rename = "taxAmount")]
    pub tax_amount: Option<u64>,
    #[serde(rename = "taxRate")]
    pub tax_rate: Option<f64>,
    #[serde(rename = "taxRefundAmount")]
    pub tax_refund_amount: Option<u64>,
    pub tid: Option<String>,
    #[serde(rename = "useCase")]
    pub use_case: Option<String>,
    #[serde(rename = "userInfo")]
    pub user_info: Option<String>,
    pub wallet: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SubscriptionDetails {
    #[serde(rename = "subscriptionId")]
    pub subscription_id: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PaymentMethodDetails {
    #[serde(rename = "_type")]
    pub kind: Option<String>,
    #[serde(rename = "authenticationResponse")]
    pub authentication_response: Option<AuthenticationResponse>,
    #[serde(rename = "authorizationResponse")]
    pub authorization_response: Option<AuthorizationResponse>,
    #[serde(rename = "captureResponse")]
    pub capture_response: Option<CaptureResponse>,
    #[serde(rename = "cardHolderName")]
    pub card_holder_name: Option<String>,
    pub country: Option<String>,
    #[serde(rename = "effectiveBrand")]
    pub effective_brand: Option<String>,
    #[serde(rename = "effectiveProductCode")]
    pub effective_product_code: Option<String>,
    #[serde(rename = "expectedCaptureDate")]
    pub expected_capture_date: Option<String>,
    #[serde(rename = "expiryMonth")]
    pub expiry_month: Option<i64>,
    #[serde(rename = "expiryYear")]
    pub expiry_year: Option<i64>,
    pub id: Option<String>,
    #[serde(rename = "identityDocumentNumber")]
    pub identity_document_number: Option<String>,
    #[serde(rename = "identityDocumentType")]
    pub identity_document_type: Option<String>,
    #[serde(rename = "initialIssuerTransactionIdentifier")]
    pub initial_issuer_transaction_identifier: Option<String>,
    #[serde(rename = "installmentCode")]
    pub installment_code: Option<String>,
    #[serde(rename = "installmentNumber")]
    pub installment_number: Option<i64>,
    #[serde(rename = "issuerCode")]
    pub issuer_code: Option<Value>,
    #[serde(rename = "issuerName")]
    pub issuer_name: Option<String>,
    #[serde(rename = "legacyTransDate")]
    pub legacy_trans_date: Option<String>,
    #[serde(rename = "legacyTransId")]
    pub legacy_trans_id: Option<String>,
    #[serde(rename = "manualValidation")]
    pub manual_validation: Option<String>,
    #[serde(rename = "markAuthorizationResponse")]
    pub mark_authorization_response: Option<MarkAuthorizationResponse>,
    #[serde(rename = "paymentMethodSource")]
    pub payment_method_source: Option<String>,
    #[serde(rename = "paymentSource")]
    pub payment_source: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct CardDetails {
    #[serde(rename = "authenticationResponse")]
    pub authentication_response: Option<AuthenticationResponse>,
    #[serde(rename = "authorizationResponse")]
    pub authorization_response: Option<AuthorizationResponse>,
    #[serde(rename = "captureResponse")]
    pub capture_response: Option<CaptureResponse>,
    #[serde(rename = "cardHolderExpiryMonth")]
    pub card_holder_expiry_month: Option<i64>,
    #[serde(rename = "cardHolderExpiryYear")]
    pub card_holder_expiry_year: Option<i64>,
    #[serde(rename = "cardHolderName")]
    pub card_holder_name: Option<String>,
    #[serde(rename = "cardHolderPan")]
    pub card_holder_pan: Option<String>,
    pub country: Option<String>,
    #[serde(rename = "effectiveBrand")]
    pub effective_brand: Option<String>,
    #[serde(rename = "effectiveProductCode")]
    pub effective_product_code: Option<String>,
    #[serde(rename = "expectedCaptureDate")]
    pub expected_capture_date: Option<String>,
    #[serde(rename = "expiryMonth")]
    pub expiry_month: Option<i64>,
    #[serde(rename = "expiryYear")]
    pub expiry_year: Option<i64>,
    #[serde(rename = "identityDocumentNumber")]
    pub identity_document_number: Option<String>,
    #[serde(rename = "identityDocumentType")]
    pub identity_document_type: Option<String>,
    #[serde(rename = "initialIssuerTransactionIdentifier")]
    pub initial_issuer_transaction_identifier: Option<String>,
    #[serde(rename = "installmentCode")]
    pub installment_code: Option<String>,
    #[serde(rename = "installmentNumber")]
    pub installment_number: Option<i64>,
    #[serde(rename = "issuerCode")]
    pub issuer_code: Option<Value>,
    #[serde(rename = "issuerName")]
    pub issuer_name: Option<String>,
    #[serde(rename = "legacyTransDate")]
    pub legacy_trans_date: Option<String>,
    #[serde(rename = "legacyTransId")]
    pub legacy_trans_id: Option<String>,
    #[serde(rename = "manualValidation")]
    pub manual_validation: Option<String>,
    #[serde(rename = "markAuthorizationResponse")]
    pub mark_authorization_response: Option<MarkAuthorizationResponse>,
    pub nature: Option<String>,
    pub pan: Option<String>,
    #[serde(rename = "paymentMethodSource")]
    pub payment_method_source: Option<String>,
    #[serde(rename = "paymentSource")]
    pub payment_source: Option<String>,
    #[serde(rename = "productCategory")]
    pub product_category: Option<String>,
    #[serde(rename = "sequenceType")]
    pub sequence_type: Option<String>,
    #[serde(rename = "threeDSResponse")]
    pub three_d_s_response: Option<ThreeDSResponse>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ThreeDSResponse {
    #[serde(rename = "authenticationResultData")]
    pub authentication_result_data: Option<AuthenticationResultData>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AuthenticationResultData {
    pub brand: Option<String>,
    pub cavv: Option<String>,
    #[serde(rename = "cavvAlgorithm")]
    pub cavv_algorithm: Option<String>,
    pub eci: Option<String>,
    pub enrolled: Option<String>,
    #[serde(rename = "signValid")]
    pub sign_valid: Option<Value>,
    pub status: Option<String>,
    #[serde(rename = "transactionCondition")]
    pub transaction_condition: Option<String>,
    pub xid: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct MarkAuthorizationResponse {
    pub amount: Option<u64>,
    #[serde(rename = "authorizationDate")]
    pub authorization_date: Option<String>,
    #[serde(rename = "authorizationNumber")]
    pub authorization_number: Option<String>,
    #[serde(rename = "authorizationResult")]
    pub authorization_result: Option<String>,
    pub currency: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct CaptureResponse {
    #[serde(rename = "captureDate")]
    pub capture_date: Option<String>,
    #[serde(rename = "captureFileNumber")]
    pub capture_file_number: Option<Value>,
    #[serde(rename = "effectiveRefundAmount")]
    pub effective_refund_amount: Option<u64>,
    #[serde(rename = "effectiveRefundCurrency")]
    pub effective_refund_currency: Option<String>,
    #[serde(rename = "refundAmount")]
    pub refund_amount: Option<u64>,
    #[serde(rename = "refundCurrency")]
    pub refund_currency: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AuthorizationResponse {
    pub amount: Option<u64>,
    #[serde(rename = "authorizationDate")]
    pub authorization_date: Option<String>,
    #[serde(rename = "authorizationMode")]
    pub authorization_mode: Option<String>,
    #[serde(rename = "authorizationNumber")]
    pub authorization_number: Option<String>,
    #[serde(rename = "authorizationResult")]
    pub authorization_result: Option<String>,
    pub currency: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AuthenticationResponse {
    #[serde(rename = "_type")]
    pub kind: Option<String>,
    pub id: Option<String>,
    #[serde(rename = "operationSessionId")]
    pub operation_session_id: Option<String>,
    pub protocol: Option<Value>,
    pub value: Option<Value>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct OrderDetails {
    #[serde(rename = "_type")]
    pub kind: Option<String>,
    pub metadata: Option<HashMap<String, String>>,
    pub mode: Option<String>,
    #[serde(rename = "orderCurrency")]
    pub order_currency: Option<String>,
    #[serde(rename = "orderEffectiveAmount")]
    pub order_effective_amount: Option<u64>,
    #[serde(rename = "orderId")]
    pub order_id: Option<String>,
    #[serde(rename = "orderTotalAmount")]
    pub order_total_amount: Option<u64>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Customer {
    #[serde(rename = "_type")]
    pub kind: Option<String>,
    #[serde(rename = "billingDetails")]
    pub billing_details: Option<BillingDetails>,
    pub email: Option<String>,
    #[serde(rename = "extraDetails")]
    pub extra_details: Option<ExtraDetails>,
    pub reference: Option<String>,
    #[serde(rename = "shippingDetails")]
    pub shipping_details: Option<ShippingDetails>,
    #[serde(rename = "shoppingCart")]
    pub shopping_cart: Option<ShoppingCart>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ShoppingCart {
    #[serde(rename = "cartItemInfo")]
    pub cart_item_info: Option<Vec<CartItemInfo>>,
    #[serde(rename = "insuranceAmount")]
    pub insurance_amount: Option<u64>,
    #[serde(rename = "shippingAmount")]
    pub shipping_amount: Option<u64>,
    #[serde(rename = "taxAmount")]
    pub tax_amount: Option<u64>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct CartItemInfo {
    #[serde(rename = "productAmount")]
    pub product_amount: Option<u64>,
    #[serde(rename = "productLabel")]
    pub product_label: Option<String>,
    #[serde(rename = "productQty")]
    pub product_qty: Option<i64>,
    #[serde(rename = "productRef")]
    pub product_ref: Option<String>,
    #[serde(rename = "productType")]
    pub product_type: Option<String>,
    #[serde(rename = "productVat")]
    pub product_vat: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ShippingDetails {
    pub address: Option<String>,
    pub address2: Option<String>,
    pub category: Option<String>,
    #[serde(rename = "cellPhoneNumber")]
    pub cell_phone_number: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    #[serde(rename = "deliveryCompanyName")]
    pub delivery_company_name: Option<String>,
    pub district: Option<String>,
    #[serde(rename = "firstName")]
    pub first_name: Option<String>,
    #[serde(rename = "identityCode")]
    pub identity_code: Option<String>,
    #[serde(rename = "identityType")]
    pub identity_type: Option<String>,
    pub language: Option<String>,
    #[serde(rename = "lastName")]
    pub last_name: Option<String>,
    #[serde(rename = "legalName")]
    pub legal_name: Option<String>,
    #[serde(rename = "phoneNumber")]
    pub phone_number: Option<String>,
    #[serde(rename = "shippingMethod")]
    pub shipping_method: Option<String>,
    #[serde(rename = "shippingSpeed")]
    pub shipping_speed: Option<String>,
    pub state: Option<String>,
    #[serde(rename = "streetNumber")]
    pub street_number: Option<String>,
    pub title: Option<String>,
    #[serde(rename = "zipCode")]
    pub zip_code: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ExtraDetails {
    #[serde(rename = "browserAccept")]
    pub browser_accept: Option<String>,
    #[serde(rename = "browserUserAgent")]
    pub browser_user_agent: Option<String>,
    #[serde(rename = "fingerPrintId")]
    pub finger_print_id: Option<String>,
    #[serde(rename = "ipAddress")]
    pub ip_address: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct BillingDetails {
    pub address: Option<String>,
    pub address2: Option<String>,
    pub category: Option<String>,
    #[serde(rename = "cellPhoneNumber")]
    pub cell_phone_number: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub district: Option<String>,
    #[serde(rename = "firstName")]
    pub first_name: Option<String>,
    #[serde(rename = "identityCode")]
    pub identity_code: Option<String>,
    #[serde(rename = "identityType")]
    pub identity_type: Option<String>,
    pub language: Option<String>,
    #[serde(rename = "lastName")]
    pub last_name: Option<String>,
    #[serde(rename = "legalName")]
    pub legal_name: Option<String>,
    #[serde(rename = "phoneNumber")]
    pub phone_number: Option<String>,
    pub state: Option<String>,
    #[serde(rename = "streetNumber")]
    pub street_number: Option<String>,
    pub title: Option<String>,
    #[serde(rename = "zipCode")]
    pub zip_code: Option<String>,
}
