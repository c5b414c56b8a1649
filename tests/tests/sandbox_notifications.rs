//! Signed notifications from the testing kit (feature `test-util`): what the kit signs, the
//! SDK's verifier accepts; one changed byte and it refuses. And what the kit signs is what an
//! independent HMAC implementation (the `hmac` and `sha2` crates; the kit uses `ring`) signs, so
//! a user's test never passes on a signature the vendor would not send.

use hmac::{Hmac, Mac};
use payspec::{checkout, lyra, mollie};
use sha2::Sha256;

fn independent_hex(key: &str, message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(message);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_kit_signs_each_real_scheme_as_an_independent_implementation_does() {
    // Lyra: the hex HMAC of `kr-answer` with its escaped slashes unescaped, in a form field.
    let answer = r#"{"orderStatus":"PAID","orderDetails":{"orderId":"a\/b"}}"#;
    let signed = lyra::sandbox::sign_ipn_raw(answer, "password", "pw_1").expect("usable key");
    let body = String::from_utf8(signed.body).expect("a form is text");
    let hash = body
        .split('&')
        .find_map(|field| field.strip_prefix("kr-hash="));
    assert_eq!(
        hash,
        Some(independent_hex("pw_1", answer.replace("\\/", "/").as_bytes()).as_str())
    );

    // Checkout.com: the hex HMAC of the raw body in `Cko-Signature`.
    let event = include_str!("../payloads/checkout/field/WebhookEvent.payment_captured.json");
    let signed = checkout::sandbox::sign_webhook_raw(event, "secret", "cko_1").expect("usable key");
    assert_eq!(signed.body, event.as_bytes(), "sent byte for byte");
    assert_eq!(
        signed.headers,
        vec![("Cko-Signature", independent_hex("cko_1", event.as_bytes()))]
    );

    // Mollie: `sha256=` and the hex HMAC of the raw body in `X-Mollie-Signature`.
    let event = include_str!("../payloads/mollie/field/WebhookEvent.payment_link_paid.json");
    let signed = mollie::sandbox::sign_webhook_raw(event, "secret", "whsec_1").expect("usable key");
    assert_eq!(
        signed.headers,
        vec![(
            "X-Mollie-Signature",
            format!("sha256={}", independent_hex("whsec_1", event.as_bytes()))
        )]
    );
}

#[test]
fn a_lyra_ipn_signed_by_the_kit_verifies_and_a_forged_one_does_not() {
    let mut payment = lyra::Payment::default();
    payment.order_status = Some(lyra::OrderStatus::Paid);
    let signed = lyra::sandbox::sign_ipn(&payment, "password", "testpassword_kit").unwrap();
    assert_eq!(signed.content_type, "application/x-www-form-urlencoded");
    let body = String::from_utf8(signed.body.clone()).unwrap();
    let keys = lyra::ipn::Keys::new().password("testpassword_kit").unwrap();
    let notification = lyra::ipn::verify_form(&body, &keys).expect("the kit's IPN verifies");
    assert_eq!(notification.payload, payment);

    let forged = body.replace("PAID", "UNPAID");
    assert_ne!(forged, body);
    assert!(lyra::ipn::verify_form(&forged, &keys).is_err());
    let other_key = lyra::ipn::Keys::new()
        .password("testpassword_other")
        .unwrap();
    assert!(lyra::ipn::verify_form(&body, &other_key).is_err());
}

#[test]
fn a_mollie_webhook_signed_by_the_kit_verifies_and_a_forged_one_does_not() {
    let mut event = mollie::WebhookEvent::default();
    event.id = Some("event_kit".into());
    let signed = mollie::sandbox::sign_webhook(&event, "secret", "whsec_kit").unwrap();
    let (name, signature) = &signed.headers[0];
    assert_eq!(*name, "X-Mollie-Signature");
    let keys = mollie::webhook::Keys::new().secret("whsec_kit").unwrap();
    let notification = mollie::webhook::verify(&signed.body, Some(signature), &keys).unwrap();
    assert_eq!(notification.payload.id.as_deref(), Some("event_kit"));

    let mut forged = signed.body.clone();
    let last = forged.len() - 2;
    forged[last] ^= 1;
    assert!(mollie::webhook::verify(&forged, Some(signature), &keys).is_err());
}
