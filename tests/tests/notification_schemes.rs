//! Every combination of the notification signature composition the runtime supports, checked
//! against signatures computed here with an independent implementation (the `hmac` and `sha2`
//! crates, and a base64 written below; the SDK uses `ring` and its own strict decoders):
//! HMAC-SHA256 and HMAC-SHA512, hex and base64 signatures, keys as text, hex and base64, in a
//! form field and in a header (whole, or one part of a structured header with a timestamp).

use std::time::{Duration, UNIX_EPOCH};

use hmac::{Hmac as HmacImpl, Mac as _};
use payspec::runtime::notification::{
    self, Encoding, Hmac, KeyEncoding, Mac, Piece, SignedBody, SignedForm,
};
use payspec::runtime::{NotificationError, Secret};
use sha2::{Sha256, Sha512};

const BODY: &str = r#"{"id":"evt_9","amount":4200}"#;
const KEY: &[u8] = b"\x00\x01key-bytes\xfe\xff";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn tag(hmac: Hmac, key: &[u8], message: &[u8]) -> Vec<u8> {
    match hmac {
        Hmac::Sha256 => {
            let mut mac = HmacImpl::<Sha256>::new_from_slice(key).expect("any key length");
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        Hmac::Sha512 => {
            let mut mac = HmacImpl::<Sha512>::new_from_slice(key).expect("any key length");
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        other => panic!("no independent implementation of {other:?}"),
    }
}

fn write(encoding: Encoding, bytes: &[u8]) -> String {
    match encoding {
        Encoding::Hex => hex(bytes),
        Encoding::Base64 => base64(bytes),
        other => panic!("no writer for {other:?}"),
    }
}

/// Every `Mac`, with the secret text that spells `key` in its key encoding (a text key must be
/// text, so it is `key-text` there).
fn macs() -> Vec<(Mac, String, Vec<u8>)> {
    let mut out = Vec::new();
    for hmac in [Hmac::Sha256, Hmac::Sha512] {
        for encoding in [Encoding::Hex, Encoding::Base64] {
            for key_encoding in [KeyEncoding::Text, KeyEncoding::Hex, KeyEncoding::Base64] {
                let (secret, key) = match key_encoding {
                    KeyEncoding::Hex => (hex(KEY), KEY.to_vec()),
                    KeyEncoding::Base64 => (base64(KEY), KEY.to_vec()),
                    _ => ("key-text".to_owned(), b"key-text".to_vec()),
                };
                let mac = Mac {
                    hmac,
                    encoding,
                    key_encoding,
                };
                out.push((mac, secret, key));
            }
        }
    }
    out
}

#[test]
fn the_independent_implementations_match_known_vectors() {
    // RFC 4231, test case 2.
    let sha256 = tag(Hmac::Sha256, b"Jefe", b"what do ya want for nothing?");
    assert_eq!(
        hex(&sha256),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    let sha512 = tag(Hmac::Sha512, b"Jefe", b"what do ya want for nothing?");
    assert_eq!(
        hex(&sha512),
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
    );
    // RFC 4648, section 10.
    for (plain, encoded) in [
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
    ] {
        assert_eq!(base64(plain.as_bytes()), encoded);
    }
}

#[test]
fn every_combination_in_a_header_verifies_and_refuses_tampering() {
    let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    for (mac, secret_text, key) in macs() {
        for structured in [false, true] {
            let scheme = SignedBody {
                header: "Signature",
                part: structured.then_some("v1"),
                timestamp_part: structured.then_some("t"),
                signed: if structured {
                    &[Piece::Timestamp, Piece::Text("."), Piece::Body]
                } else {
                    &[Piece::Body]
                },
                tolerance: structured.then_some(60),
                mac,
            };
            let message = if structured {
                format!("1800000000.{BODY}")
            } else {
                BODY.to_owned()
            };
            let signature = write(mac.encoding, &tag(mac.hmac, &key, message.as_bytes()));
            let header = if structured {
                format!("t=1800000000,v1={signature}")
            } else {
                signature.clone()
            };
            let secret = notification::signing_key_as("k", secret_text.clone(), mac.key_encoding)
                .expect("usable key");
            let secrets = [("k", Some(&secret))];
            let label = format!("{mac:?} structured={structured}");
            assert_eq!(
                notification::verify_body(&scheme, BODY.as_bytes(), Some(&header), now, &secrets),
                Ok(BODY.to_owned()),
                "{label}"
            );
            let tampered = BODY.replace("4200", "4201");
            assert_eq!(
                notification::verify_body(
                    &scheme,
                    tampered.as_bytes(),
                    Some(&header),
                    now,
                    &secrets
                ),
                Err(NotificationError::BadSignature),
                "{label}"
            );
            let other = Secret::new(
                secret_text
                    .replace('A', "B")
                    .replace('0', "1")
                    .replace('k', "K"),
            );
            assert_eq!(
                notification::verify_body(
                    &scheme,
                    BODY.as_bytes(),
                    Some(&header),
                    now,
                    &[("k", Some(&other))]
                ),
                Err(NotificationError::BadSignature),
                "{label}: another key"
            );
        }
    }
}

#[test]
fn every_combination_in_a_form_field_verifies() {
    for (mac, secret_text, key) in macs() {
        let form = SignedForm {
            signature_field: "sig",
            algorithm_field: None,
            algorithm: None,
            key_field: None,
            default_key: "k",
            payload_field: "payload",
            unescape_slashes: false,
            mac,
        };
        let signature = write(mac.encoding, &tag(mac.hmac, &key, BODY.as_bytes()));
        let fields = vec![
            ("sig".to_owned(), signature),
            ("payload".to_owned(), BODY.to_owned()),
        ];
        let secret = Secret::new(secret_text);
        let found = |name: &str| (name == "k").then_some(Some(&secret));
        assert_eq!(
            notification::verify(&form, &fields, found),
            Ok(BODY.to_owned()),
            "{mac:?}"
        );
        let mut tampered = fields.clone();
        tampered[1].1 = BODY.replace("evt_9", "evt_8");
        assert_eq!(
            notification::verify(&form, &tampered, found),
            Err(NotificationError::BadSignature),
            "{mac:?}"
        );
    }
}

#[test]
fn a_signature_in_the_other_encoding_or_hash_is_refused() {
    let now = UNIX_EPOCH;
    let scheme = |hmac, encoding| SignedBody {
        header: "Signature",
        part: None,
        timestamp_part: None,
        signed: &[Piece::Body],
        tolerance: None,
        mac: Mac {
            hmac,
            encoding,
            key_encoding: KeyEncoding::Text,
        },
    };
    let secret = Secret::new("key-text");
    let secrets = [("k", Some(&secret))];
    let sha256 = tag(Hmac::Sha256, b"key-text", BODY.as_bytes());
    for (wrong, sent) in [
        (scheme(Hmac::Sha256, Encoding::Base64), hex(&sha256)),
        (scheme(Hmac::Sha512, Encoding::Hex), hex(&sha256)),
        (scheme(Hmac::Sha256, Encoding::Hex), base64(&sha256)),
        (
            scheme(Hmac::Sha256, Encoding::Base64),
            base64(&sha256).trim_end_matches('=').to_owned(),
        ),
    ] {
        assert_eq!(
            notification::verify_body(&wrong, BODY.as_bytes(), Some(&sent), now, &secrets),
            Err(NotificationError::BadSignature),
            "{:?} {sent}",
            wrong.mac
        );
    }
    let right = scheme(Hmac::Sha256, Encoding::Base64);
    assert_eq!(
        notification::verify_body(
            &right,
            BODY.as_bytes(),
            Some(&base64(&sha256)),
            now,
            &secrets
        ),
        Ok(BODY.to_owned())
    );
}
