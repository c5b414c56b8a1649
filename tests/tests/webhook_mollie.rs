//! Mollie's next-gen webhooks (`payspec::mollie::webhook`): `X-Mollie-Signature: sha256=<hex>`,
//! the HMAC-SHA256 of the raw body with the webhook's secret. Signatures are computed here with
//! an independent implementation (the `hmac` and `sha2` crates; the SDK uses `ring`), itself
//! checked against a vector recorded with Python. The body is the realistic event of
//! `tests/payloads/mollie/field/WebhookEvent.payment_link_paid.json`.

use hmac::{Hmac, Mac};
use payspec::mollie::webhook::{self, Keys};
use payspec::runtime::NotificationError;
use sha2::Sha256;

const EVENT: &str = include_str!("../payloads/mollie/field/WebhookEvent.payment_link_paid.json");
const SECRET: &str = "whsec_mollie_test_2026";
const OLD_SECRET: &str = "whsec_mollie_test_2025";

fn hmac_hex(key: &str, message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(message);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The header value Mollie sends for `body` signed with `key`.
fn header(key: &str, body: &[u8]) -> String {
    format!("sha256={}", hmac_hex(key, body))
}

fn keys() -> Keys {
    Keys::new().secret(SECRET).expect("usable key")
}

#[test]
fn the_independent_hmac_matches_a_recorded_vector() {
    // python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_mollie_test_2026',
    //   b'{\"resource\":\"event\",\"id\":\"event_1\"}', hashlib.sha256).hexdigest())"
    assert_eq!(
        hmac_hex(SECRET, br#"{"resource":"event","id":"event_1"}"#),
        "bab2d460943d6d52646d9a44b294dfdaa8a50641dd09eef2c6dec0d067cfb0e8"
    );
}

#[test]
fn a_good_signature_verifies_and_decodes_the_event() {
    let signature = header(SECRET, EVENT.as_bytes());
    let event = webhook::verify(EVENT.as_bytes(), Some(&signature), &keys())
        .expect("valid event")
        .payload;
    assert_eq!(event.resource.as_deref(), Some("event"));
    assert_eq!(event.id.as_deref(), Some("event_GvJ8WHrp5isUdRub9CJyH"));
    assert_eq!(event.r#type.as_deref(), Some("payment-link.paid"));
    assert_eq!(event.entity_id.as_deref(), Some("pl_qng5gbbv8NAZ5gpM5ZYgx"));
    assert_eq!(
        event.created_at.as_ref().map(AsRef::as_ref),
        Some("2024-06-10T14:23:45+00:00")
    );
    let entity = event
        .embedded
        .as_ref()
        .and_then(|e| e.entity.as_ref())
        .expect("full payload");
    assert_eq!(entity["amount"]["value"], "24.95");
    assert_eq!(entity["id"], "pl_qng5gbbv8NAZ5gpM5ZYgx");
    let links = event.links.as_ref().expect("_links");
    assert_eq!(
        links.entity.as_ref().and_then(|l| l.href.as_deref()),
        Some("https://api.mollie.com/v2/payment-links/pl_qng5gbbv8NAZ5gpM5ZYgx")
    );
    // Spaces around the value do not matter.
    webhook::verify(EVENT.as_bytes(), Some(&format!(" {signature} ")), &keys()).expect("spaced");
}

#[test]
fn tampering_a_wrong_key_and_a_missing_header_are_refused() {
    let signature = header(SECRET, EVENT.as_bytes());
    let mut flipped = EVENT.as_bytes().to_vec();
    let at = EVENT.find("24.95").expect("amount in the event");
    flipped[at] ^= 0x01; // "24.95" becomes "34.95"
    let wrong_key = header("whsec_guess", EVENT.as_bytes());
    let mut tag_flipped = signature.clone().into_bytes();
    let last = tag_flipped.len() - 1;
    tag_flipped[last] = if tag_flipped[last] == b'0' {
        b'1'
    } else {
        b'0'
    };
    let tag_flipped = String::from_utf8(tag_flipped).expect("ascii");
    let cases: [(&[u8], Option<&str>, NotificationError); 5] = [
        (&flipped, Some(&signature), NotificationError::BadSignature),
        (
            EVENT.as_bytes(),
            Some(&tag_flipped),
            NotificationError::BadSignature,
        ),
        (
            EVENT.as_bytes(),
            Some(&wrong_key),
            NotificationError::BadSignature,
        ),
        (
            EVENT.as_bytes(),
            None,
            NotificationError::MissingHeader("X-Mollie-Signature"),
        ),
        // The bare hex is not the header Mollie sends: the `sha256` part is missing.
        (
            EVENT.as_bytes(),
            Some(signature.trim_start_matches("sha256=")),
            NotificationError::MissingPart("sha256"),
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
fn during_a_rotation_the_doubled_header_verifies_with_either_secret() {
    // Mollie sends the header twice; HTTP joins the values with a comma.
    let both = format!(
        "{}, {}",
        header(OLD_SECRET, EVENT.as_bytes()),
        header(SECRET, EVENT.as_bytes())
    );
    webhook::verify(EVENT.as_bytes(), Some(&both), &keys()).expect("the new secret holds");
    let old = Keys::new().secret(OLD_SECRET).expect("usable key");
    webhook::verify(EVENT.as_bytes(), Some(&both), &old).expect("the old secret holds");
    let other = Keys::new().secret("whsec_other").expect("usable key");
    assert_eq!(
        webhook::verify(EVENT.as_bytes(), Some(&both), &other).err(),
        Some(NotificationError::BadSignature)
    );
}

#[test]
fn nothing_is_decoded_before_the_signature_holds_and_a_duplicate_key_is_refused() {
    let garbage = b"{not json";
    assert_eq!(
        webhook::verify(garbage, Some(&header("whsec_guess", garbage)), &keys()).err(),
        Some(NotificationError::BadSignature)
    );
    let duplicate =
        br#"{"resource":"event","id":"event_1","id":"event_2","type":"payment-link.paid"}"#;
    let outcome = webhook::verify(duplicate, Some(&header(SECRET, duplicate)), &keys());
    assert!(
        matches!(outcome, Err(NotificationError::Decode { .. })),
        "{outcome:?}"
    );
}
