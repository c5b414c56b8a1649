//! Checkout.com webhooks (`payspec::checkout::webhook`): `Cko-Signature` is the hex HMAC-SHA256
//! of the raw body with the signature key of the workflow's webhook action. Signatures are
//! computed here with an independent implementation (the `hmac` and `sha2` crates; the SDK uses
//! `ring`), itself checked against a vector recorded with Python. The body is the realistic
//! event of `tests/payloads/checkout/field/WebhookEvent.payment_captured.json`.

use hmac::{Hmac, Mac};
use payspec::checkout::webhook::{self, Keys};
use payspec::runtime::NotificationError;
use sha2::Sha256;

const EVENT: &str = include_str!("../payloads/checkout/field/WebhookEvent.payment_captured.json");
const KEY: &str = "cko_signature_key_2026";

fn hmac_hex(key: &str, message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(message);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn keys() -> Keys {
    Keys::new().secret(KEY).expect("usable key")
}

#[test]
fn the_independent_hmac_matches_a_recorded_vector() {
    // python3 -c "import hmac,hashlib; print(hmac.new(b'cko_signature_key_2026',
    //   b'{\"id\":\"evt_1\",\"type\":\"payment_captured\"}', hashlib.sha256).hexdigest())"
    assert_eq!(
        hmac_hex(KEY, br#"{"id":"evt_1","type":"payment_captured"}"#),
        "f2bf0caf4d6a0a1db223e7ae6ed928e4d862527a6c3dfabf03b74bdce041e9a4"
    );
}

#[test]
fn a_good_signature_verifies_and_decodes_the_event() {
    let signature = hmac_hex(KEY, EVENT.as_bytes());
    let event = webhook::verify(EVENT.as_bytes(), Some(&signature), &keys())
        .expect("valid event")
        .payload;
    assert_eq!(event.id.as_deref(), Some("evt_hbnxegj3dqyu5fsd4p2b4bxvpa"));
    assert_eq!(event.r#type.as_deref(), Some("payment_captured"));
    assert_eq!(event.version.as_deref(), Some("1.0.43"));
    let created_on = event.created_on.as_ref().expect("created_on");
    assert_eq!(created_on.as_str(), "2024-11-12T17:56:40.889Z");
    let parts = created_on.parts().expect("an RFC 3339 date-time");
    assert_eq!(
        (parts.second, parts.nanosecond, parts.offset_minutes),
        (40, 889_000_000, 0)
    );
    let data = event.data.as_ref().expect("data");
    assert_eq!(data.id.as_deref(), Some("pay_g2fmfh6hwj4eho5lm7jrxu4pne"));
    assert_eq!(
        data.action_id.as_deref(),
        Some("act_tqwnowwsmctufefmu65hcumn2a")
    );
    assert_eq!(data.amount, Some(6540.into()));
    assert_eq!(data.currency.as_deref(), Some("EUR"));
    assert_eq!(data.response_code.as_deref(), Some("10000"));
    let balances = data.balances.as_ref().expect("balances");
    assert_eq!(balances.total_captured, Some(6540.into()));
    assert_eq!(balances.available_to_refund, Some(6540.into()));
    assert_eq!(
        data.processing
            .as_ref()
            .and_then(|p| p.acquirer_reference_number.as_deref()),
        Some("24022802211521826781234")
    );
    assert_eq!(
        data.metadata.as_ref().and_then(|m| m.get("coupon_code")),
        Some(&serde_json::json!("NY2024"))
    );
    let links = event.links.as_ref().expect("_links");
    assert_eq!(
        links.get("subject").and_then(|l| l.href.as_deref()),
        Some(
            "https://api.sandbox.checkout.com/workflows/events/subject/pay_g2fmfh6hwj4eho5lm7jrxu4pne"
        )
    );
    // Upper-case hex is the same signature.
    webhook::verify(EVENT.as_bytes(), Some(&signature.to_uppercase()), &keys())
        .expect("upper-case hex");
}

#[test]
fn tampering_a_wrong_key_and_a_missing_header_are_refused() {
    let signature = hmac_hex(KEY, EVENT.as_bytes());
    let mut flipped = EVENT.as_bytes().to_vec();
    let at = EVENT.find("6540").expect("amount in the event");
    flipped[at] ^= 0x01; // 6540 becomes 7540
    let wrong_key = hmac_hex("cko_guess", EVENT.as_bytes());
    let prefixed = format!("sha256={signature}");
    let cases: [(&[u8], Option<&str>, NotificationError); 4] = [
        (&flipped, Some(&signature), NotificationError::BadSignature),
        (
            EVENT.as_bytes(),
            Some(&wrong_key),
            NotificationError::BadSignature,
        ),
        (
            EVENT.as_bytes(),
            None,
            NotificationError::MissingHeader("Cko-Signature"),
        ),
        // Not the bare hex Checkout.com sends.
        (
            EVENT.as_bytes(),
            Some(&prefixed),
            NotificationError::BadSignature,
        ),
    ];
    for (body, signature, expected) in cases {
        assert_eq!(
            webhook::verify(body, signature, &keys()).err(),
            Some(expected),
            "{signature:?}"
        );
    }
    assert_eq!(
        webhook::verify(EVENT.as_bytes(), Some(&signature), &Keys::new()).err(),
        Some(NotificationError::KeyNotConfigured("secret".into())),
        "no key set: refused, never accepted unverified"
    );
}

#[test]
fn nothing_is_decoded_before_the_signature_holds_and_a_duplicate_key_is_refused() {
    let garbage = b"{not json";
    assert_eq!(
        webhook::verify(garbage, Some(&hmac_hex("cko_guess", garbage)), &keys()).err(),
        Some(NotificationError::BadSignature)
    );
    let duplicate = br#"{"id":"evt_1","type":"payment_captured","type":"payment_refunded"}"#;
    let outcome = webhook::verify(duplicate, Some(&hmac_hex(KEY, duplicate)), &keys());
    assert!(
        matches!(outcome, Err(NotificationError::Decode { .. })),
        "{outcome:?}"
    );
}
