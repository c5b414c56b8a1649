//! Signed notifications from the testing kit (feature `test-util`): what the kit signs, the
//! SDK's verifier accepts; one changed byte and it refuses.

use payspec::lyra;
use payspec::mollie;

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
