//! Lyra's `Transaction` as someone would write it by hand with serde: the same JSON shape as
//! `payspec::lyra::Transaction` (every field and nested object, same depth), plain
//! `Option<T>` fields, `String` for enumerations, `HashMap` for maps, `serde_json::Value`
//! for free-form fields; no validation, no lenient number decoding, no `skip_serializing_if`
//! (the benchmark's fixture fills every field, so both encode to the same JSON).

#![allow(dead_code)]

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub shop_id: Option<String>,
    pub uuid: Option<String>,
    pub amount: Option<u64>,
    pub currency: Option<String>,
    pub payment_method_type: Option<String>,
    pub payment_method_token: Option<String>,
    pub status: Option<String>,
    pub detailed_status: Option<String>,
    pub operation_type: Option<String>,
    pub effective_strong_authentication: Option<String>,
    pub creation_date: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub detailed_error_code: Option<String>,
    pub detailed_error_message: Option<String>,
    pub metadata: Option<HashMap<String, String>>,
    pub order_details: Option<OrderDetails>,
    pub customer: Option<Customer>,
    pub transaction_details: Option<TransactionDetails>,
    #[serde(rename = "_type")]
    pub kind: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderDetails {
    pub order_total_amount: Option<u64>,
    pub order_effective_amount: Option<u64>,
    pub order_currency: Option<String>,
    pub mode: Option<String>,
    pub order_id: Option<String>,
    pub metadata: Option<HashMap<String, String>>,
    #[serde(rename = "_type")]
    pub kind: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub email: Option<String>,
    pub reference: Option<String>,
    pub billing_details: Option<BillingDetails>,
    pub shipping_details: Option<ShippingDetails>,
    pub shopping_cart: Option<ShoppingCart>,
    pub extra_details: Option<ExtraDetails>,
    #[serde(rename = "_type")]
    pub kind: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillingDetails {
    pub title: Option<String>,
    pub category: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone_number: Option<String>,
    pub cell_phone_number: Option<String>,
    pub street_number: Option<String>,
    pub address: Option<String>,
    pub address2: Option<String>,
    pub district: Option<String>,
    pub zip_code: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub identity_code: Option<String>,
    pub identity_type: Option<String>,
    pub legal_name: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShippingDetails {
    pub title: Option<String>,
    pub category: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone_number: Option<String>,
    pub cell_phone_number: Option<String>,
    pub street_number: Option<String>,
    pub address: Option<String>,
    pub address2: Option<String>,
    pub district: Option<String>,
    pub zip_code: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub identity_code: Option<String>,
    pub identity_type: Option<String>,
    pub legal_name: Option<String>,
    pub delivery_company_name: Option<String>,
    pub shipping_method: Option<String>,
    pub shipping_speed: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShoppingCart {
    pub insurance_amount: Option<u64>,
    pub shipping_amount: Option<u64>,
    pub tax_amount: Option<u64>,
    pub cart_item_info: Option<Vec<CartItemInfo>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CartItemInfo {
    pub product_label: Option<String>,
    pub product_type: Option<String>,
    pub product_ref: Option<String>,
    pub product_qty: Option<i64>,
    pub product_amount: Option<u64>,
    pub product_vat: Option<f64>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtraDetails {
    pub browser_accept: Option<String>,
    pub browser_user_agent: Option<String>,
    pub finger_print_id: Option<String>,
    pub ip_address: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionDetails {
    pub liability_shift: Option<String>,
    pub effective_amount: Option<u64>,
    pub effective_currency: Option<String>,
    pub creation_context: Option<String>,
    pub card_details: Option<CardDetails>,
    pub payment_method_token_previously_registered: Option<bool>,
    pub external_transaction_id: Option<String>,
    pub parent_transaction_uuid: Option<String>,
    pub sequence_number: Option<i64>,
    pub mid: Option<String>,
    pub tid: Option<String>,
    pub nsu: Option<String>,
    pub acquirer_network: Option<String>,
    pub occurrence_type: Option<String>,
    pub fraud_management: Option<Value>,
    pub subscription_details: Option<SubscriptionDetails>,
    pub pre_tax_amount: Option<u64>,
    pub tax_amount: Option<u64>,
    pub tax_rate: Option<f64>,
    pub tax_refund_amount: Option<u64>,
    pub user_info: Option<String>,
    #[serde(rename = "_type")]
    pub kind: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardDetails {
    pub payment_source: Option<String>,
    pub manual_validation: Option<String>,
    pub expected_capture_date: Option<String>,
    pub effective_brand: Option<String>,
    pub pan: Option<String>,
    pub expiry_month: Option<i64>,
    pub expiry_year: Option<i64>,
    pub country: Option<String>,
    pub issuer_code: Option<Value>,
    pub issuer_name: Option<String>,
    pub effective_product_code: Option<String>,
    pub legacy_trans_id: Option<String>,
    pub legacy_trans_date: Option<String>,
    pub payment_method_source: Option<String>,
    pub authorization_response: Option<AuthorizationResponse>,
    pub capture_response: Option<CaptureResponse>,
    /// Not the camel case of a snake-case name: renamed by hand.
    #[serde(rename = "threeDSResponse")]
    pub three_ds_response: Option<ThreeDsResponse>,
    pub authentication_response: Option<AuthenticationResponse>,
    pub installment_number: Option<i64>,
    pub installment_code: Option<String>,
    pub mark_authorization_response: Option<MarkAuthorizationResponse>,
    pub card_holder_name: Option<String>,
    pub identity_document_number: Option<String>,
    pub identity_document_type: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationResponse {
    pub amount: Option<u64>,
    pub currency: Option<String>,
    pub authorization_date: Option<String>,
    pub authorization_number: Option<String>,
    pub authorization_result: Option<String>,
    pub authorization_mode: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarkAuthorizationResponse {
    pub amount: Option<u64>,
    pub currency: Option<String>,
    pub authorization_date: Option<String>,
    pub authorization_number: Option<String>,
    pub authorization_result: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaptureResponse {
    pub refund_amount: Option<u64>,
    pub refund_currency: Option<String>,
    pub capture_date: Option<String>,
    pub capture_file_number: Option<Value>,
    pub effective_refund_amount: Option<u64>,
    pub effective_refund_currency: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreeDsResponse {
    pub authentication_result_data: Option<AuthenticationResultData>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationResultData {
    pub transaction_condition: Option<String>,
    pub enrolled: Option<String>,
    pub status: Option<String>,
    pub eci: Option<String>,
    pub xid: Option<String>,
    pub cavv_algorithm: Option<String>,
    pub cavv: Option<String>,
    pub sign_valid: Option<Value>,
    pub brand: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticationResponse {
    pub id: Option<String>,
    pub operation_session_id: Option<String>,
    pub protocol: Option<Value>,
    pub value: Option<Value>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionDetails {
    pub subscription_id: Option<String>,
}
