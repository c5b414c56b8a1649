//! Lyra IPN verification (`payspec::lyra::ipn`) against signatures computed here with an
//! independent HMAC-SHA256 implementation (the `hmac` and `sha2` crates; the SDK uses `ring`).

use hmac::{Hmac, Mac};
use payspec::lyra::ipn::{self, Keys};
use payspec::lyra::{OrderCycle, OrderStatus};
use payspec::runtime::NotificationError;
use payspec::runtime::notification::KeyError;
use sha2::Sha256;

const PASSWORD: &str = "testpassword_DEMOPRIVATEKEY23G4475zXZQ2UA5x7M";
const HMAC_KEY: &str = "38453613e7f44dc58732bad3dca2bca3";

fn hmac_hex(key: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(message.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Percent-encodes a form value (everything but unreserved characters).
fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A `kr-answer` as the gateway sends it: JSON with its slashes escaped as `\/`.
const ANSWER: &str = r#"{"shopId":"69876357","orderCycle":"CLOSED","orderStatus":"PAID","serverDate":"2026-11-22T10:15:31+00:00","orderDetails":{"orderTotalAmount":30050,"orderCurrency":"XPF","orderId":"order\/2026\/001","_type":"V4\/OrderDetails"},"transactions":[{"uuid":"5b4c3d2e1f0a4b5c8d7e6f5a4b3c2d1e","amount":30050,"currency":"XPF","detailedStatus":"CAPTURED","_type":"V4\/PaymentTransaction"}],"_type":"V4\/Payment"}"#;

fn signed(key_name: &str, key: &str) -> String {
    let hash = hmac_hex(key, &ANSWER.replace("\\/", "/"));
    body(&[
        ("kr-src", "IPN"),
        ("kr-hash-algorithm", "sha256_hmac"),
        ("kr-hash-key", key_name),
        ("kr-hash", &hash),
        ("kr-answer-type", "V4/Payment"),
        ("kr-answer", ANSWER),
    ])
}

fn keys() -> Keys {
    Keys::new()
        .password(PASSWORD)
        .and_then(|k| k.sha256_hmac(HMAC_KEY))
        .expect("usable keys")
}

#[test]
fn the_independent_hmac_matches_known_vectors() {
    // RFC 4231, test case 2.
    assert_eq!(
        hmac_hex("Jefe", "what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    // Computed with Python's hmac module for this session's test data.
    assert_eq!(
        hmac_hex(
            PASSWORD,
            r#"{"shopId":"69876357","orderCycle":"CLOSED","orderStatus":"PAID","orderDetails":{"orderId":"order/2026/001"}}"#
        ),
        "ccd284f3273491808b17f3e7c1e50d2722adcdf07787c527ae367711f222de63"
    );
}

#[test]
fn an_ipn_signed_with_the_password_verifies_and_decodes() {
    let notification = ipn::verify_form(&signed("password", PASSWORD), &keys()).expect("valid IPN");
    let payment = notification.payload;
    assert_eq!(payment.order_cycle, Some(OrderCycle::Closed));
    assert_eq!(payment.order_status, Some(OrderStatus::Paid));
    let details = payment.order_details.expect("order details");
    assert_eq!(
        details.order_id.as_deref(),
        Some("order/2026/001"),
        "`\\/` decodes as `/`"
    );
    assert_eq!(details.order_total_amount, Some(30050.into()));
    let currency = details.order_currency.expect("currency");
    assert_eq!(
        currency.format_amount(30050).as_deref(),
        Ok("30050"),
        "XPF has no minor unit"
    );
    assert_eq!(payment.transactions.map(|t| t.len()), Some(1));
    assert_eq!(notification.kr_answer_type.as_deref(), Some("V4/Payment"));
    assert_eq!(notification.kr_src.as_deref(), Some("IPN"));
}

#[test]
fn a_browser_return_signed_with_the_hmac_key_verifies() {
    ipn::verify_form(&signed("sha256_hmac", HMAC_KEY), &keys()).expect("valid browser return");
    let wrong_key = ipn::verify_form(&signed("sha256_hmac", PASSWORD), &keys());
    assert_eq!(
        wrong_key.err(),
        Some(NotificationError::BadSignature),
        "the password does not sign browser returns"
    );
}

#[test]
fn the_hash_covers_the_unescaped_answer() {
    // A signature over the raw text (with `\/`) is not what the gateway computes.
    let hash = hmac_hex(PASSWORD, ANSWER);
    let form = body(&[
        ("kr-hash-algorithm", "sha256_hmac"),
        ("kr-hash-key", "password"),
        ("kr-hash", &hash),
        ("kr-answer", ANSWER),
    ]);
    assert_eq!(
        ipn::verify_form(&form, &keys()).err(),
        Some(NotificationError::BadSignature)
    );
}

#[test]
fn tampering_is_refused_before_anything_is_parsed() {
    let tampered = signed("password", PASSWORD).replace("30050", "99999");
    assert_eq!(
        ipn::verify_form(&tampered, &keys()).err(),
        Some(NotificationError::BadSignature)
    );
    // Invalid JSON with a bad signature is a signature error, not a decoding one.
    let form = body(&[
        ("kr-hash-algorithm", "sha256_hmac"),
        ("kr-hash-key", "password"),
        ("kr-hash", "00ff"),
        ("kr-answer", "{not json"),
    ]);
    assert_eq!(
        ipn::verify_form(&form, &keys()).err(),
        Some(NotificationError::BadSignature)
    );
}

#[test]
fn each_malformed_notification_has_its_own_error() {
    let valid_hash = hmac_hex(PASSWORD, &ANSWER.replace("\\/", "/"));
    let base = [
        ("kr-hash-algorithm", "sha256_hmac"),
        ("kr-hash-key", "password"),
        ("kr-hash", valid_hash.as_str()),
        ("kr-answer", ANSWER),
    ];
    let without = |name: &str| {
        body(
            &base
                .iter()
                .filter(|(k, _)| *k != name)
                .copied()
                .collect::<Vec<_>>(),
        )
    };
    let with = |name: &str, value: &str| {
        body(
            &base
                .iter()
                .map(|(k, v)| if *k == name { (*k, value) } else { (*k, *v) })
                .collect::<Vec<_>>(),
        )
    };
    let cases = [
        (
            without("kr-hash"),
            NotificationError::MissingField("kr-hash"),
        ),
        (
            without("kr-answer"),
            NotificationError::MissingField("kr-answer"),
        ),
        (
            without("kr-hash-key"),
            NotificationError::MissingField("kr-hash-key"),
        ),
        (
            with("kr-hash-algorithm", "sha1_hmac"),
            NotificationError::UnsupportedAlgorithm("sha1_hmac".into()),
        ),
        (
            with("kr-hash-key", "other"),
            NotificationError::UnknownKey("other".into()),
        ),
        (
            format!("{}&kr-hash=00", body(&base)),
            NotificationError::DuplicateField("kr-hash"),
        ),
    ];
    for (form, expected) in cases {
        assert_eq!(ipn::verify_form(&form, &keys()).err(), Some(expected));
    }
    let only_password = Keys::new().password(PASSWORD).expect("usable key");
    assert_eq!(
        ipn::verify_form(&signed("sha256_hmac", HMAC_KEY), &only_password).err(),
        Some(NotificationError::KeyNotConfigured("sha256_hmac".into()))
    );
    assert!(matches!(
        ipn::verify_form("kr-hash=%zz", &keys()),
        Err(NotificationError::MalformedForm(_))
    ));
}

#[test]
fn a_signed_but_undecodable_answer_is_a_decode_error_with_its_path() {
    let answer = r#"{"orderCycle":"CLOSED","transactions":[{"amount":"not a number"}]}"#;
    let form = body(&[
        ("kr-hash-algorithm", "sha256_hmac"),
        ("kr-hash-key", "password"),
        ("kr-hash", &hmac_hex(PASSWORD, answer)),
        ("kr-answer", answer),
    ]);
    match ipn::verify_form(&form, &keys()) {
        Err(NotificationError::Decode { path, .. }) => assert_eq!(path, "transactions[0].amount"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn keys_never_show_in_debug() {
    let text = format!("{:?}", keys());
    assert!(
        !text.contains(PASSWORD) && !text.contains(HMAC_KEY),
        "{text}"
    );
}

#[test]
fn an_answer_escaped_once_more_by_a_web_stack_still_verifies() {
    // The gateway signed ANSWER (after `\/` -> `/`); a web stack added backslashes before
    // quotes and backslashes, as PHP's magic quotes did.
    let over_escaped = ANSWER.replace('\\', "\\\\").replace('"', "\\\"");
    let hash = hmac_hex(PASSWORD, &ANSWER.replace("\\/", "/"));
    let form = body(&[
        ("kr-hash-algorithm", "sha256_hmac"),
        ("kr-hash-key", "password"),
        ("kr-hash", &hash),
        ("kr-answer", &over_escaped),
    ]);
    let notification = ipn::verify_form(&form, &keys()).expect("verified after one unescaping");
    let details = notification.payload.order_details.expect("order details");
    assert_eq!(details.order_id.as_deref(), Some("order/2026/001"));
    // Unescaping is no way around the signature.
    let forged = body(&[
        ("kr-hash-algorithm", "sha256_hmac"),
        ("kr-hash-key", "password"),
        ("kr-hash", &hash),
        ("kr-answer", &over_escaped.replace("30050", "30051")),
    ]);
    assert_eq!(
        ipn::verify_form(&forged, &keys()).err(),
        Some(NotificationError::BadSignature)
    );
}

#[test]
fn an_empty_key_is_refused_and_a_forgery_signed_with_it_never_verifies() {
    // The pattern that once let a forged "PAID" through: the variable is unset, the default
    // is "", and an HMAC key of "" is one anyone can compute.
    let unset = std::env::var("PAYSPEC_TEST_SURELY_UNSET_VARIABLE").unwrap_or_default();
    assert_eq!(
        Keys::new().password(unset).err(),
        Some(KeyError::Empty("password".into()))
    );
    assert_eq!(
        Keys::new().sha256_hmac(" \t").err(),
        Some(KeyError::Blank("sha256_hmac".into()))
    );
    assert_eq!(
        Keys::new().password(format!("{PASSWORD}\n")).err(),
        Some(KeyError::Untrimmed("password".into()))
    );
    // Whatever is configured, a forgery signed with the empty key fails closed.
    let forged_password = signed("password", "");
    let forged_browser = signed("sha256_hmac", "");
    for keys in [
        Keys::new(),
        keys(),
        Keys::new().password(PASSWORD).expect("usable"),
    ] {
        for forged in [&forged_password, &forged_browser] {
            let outcome = ipn::verify_form(forged, &keys);
            assert!(
                matches!(
                    outcome,
                    Err(NotificationError::BadSignature | NotificationError::KeyNotConfigured(_))
                ),
                "{outcome:?}"
            );
        }
    }
}

#[test]
fn a_signed_undecodable_answer_does_not_echo_its_values() {
    let answer = r#"{"orderCycle":"CLOSED","transactions":[{"amount":"4970101234567893 Zoe"}]}"#;
    let form = body(&[
        ("kr-hash-algorithm", "sha256_hmac"),
        ("kr-hash-key", "password"),
        ("kr-hash", &hmac_hex(PASSWORD, answer)),
        ("kr-answer", answer),
    ]);
    let error = ipn::verify_form(&form, &keys()).expect_err("amount is not a number");
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains("4970101234567893") && !shown.contains("Zoe"),
        "{shown}"
    );
    assert!(shown.contains("transactions[0].amount"), "{shown}");
}

#[test]
fn a_hostile_key_name_is_echoed_escaped() {
    let form = signed(
        "x\r\n2026-11-30T00:00:00Z INFO payment 42 accepted",
        PASSWORD,
    );
    let error = ipn::verify_form(&form, &keys()).expect_err("unknown key");
    let shown = error.to_string();
    assert!(!shown.contains('\n') && !shown.contains('\r'), "{shown}");
    assert!(
        matches!(error, NotificationError::UnknownKey(_)),
        "{error:?}"
    );
}
