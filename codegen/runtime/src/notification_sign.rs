//! The signing inverse of the verifiers (feature `test-util`): a notification signed with a
//! test key in the scheme the spec declares, ready to post to the handler under test. Driven
//! by the same scheme data as the verifiers, so what the kit signs is what the SDK checks.

use std::time::{SystemTime, UNIX_EPOCH};

use super::{Encoding, KeyError, Piece, SignedBody, SignedForm};
use crate::config::Secret;

/// A signed notification: the body and the headers to send it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The `Content-Type` of the body.
    pub content_type: &'static str,
    /// The body, byte for byte as signed.
    pub body: Vec<u8>,
    /// The headers carrying the signature, as (name, value).
    pub headers: Vec<(&'static str, String)>,
}

impl Signed {
    /// Posts the notification to `url` (the handler under test), with its headers.
    pub async fn post(&self, url: &str) -> Result<reqwest::Response, reqwest::Error> {
        let client = crate::config::http_client_builder().build()?;
        let mut request = client
            .post(url)
            .header("content-type", self.content_type)
            .body(self.body.clone());
        for (name, value) in &self.headers {
            request = request.header(*name, value);
        }
        request.send().await
    }
}

/// Signs `payload` as a form notification of the scheme `form`, with the key `key_name` (a key
/// name the spec lists, e.g. `password`) holding `secret`.
pub fn sign_form(
    form: &SignedForm,
    payload: &str,
    key_name: &str,
    secret: &Secret,
) -> Result<Signed, KeyError> {
    let key = form.mac.key(key_name, secret)?;
    let hashed = if form.unescape_slashes {
        payload.replace("\\/", "/")
    } else {
        payload.to_owned()
    };
    let tag = ring::hmac::sign(&key, hashed.as_bytes());
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let (Some(name), Some(algorithm)) = (form.algorithm_field, form.algorithm) {
        fields.push((name, algorithm.to_owned()));
    }
    if let Some(name) = form.key_field {
        fields.push((name, key_name.to_owned()));
    }
    fields.push((form.payload_field, payload.to_owned()));
    fields.push((
        form.signature_field,
        encode(form.mac.encoding, tag.as_ref()),
    ));
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    Ok(Signed {
        content_type: "application/x-www-form-urlencoded",
        body: body.into_bytes(),
        headers: Vec::new(),
    })
}

/// Signs `body` (sent as it is, JSON) as a notification of the scheme `scheme`, signed at
/// `signed_at`, with the key `key_name` holding `secret`.
pub fn sign_body(
    scheme: &SignedBody,
    body: &[u8],
    signed_at: SystemTime,
    key_name: &str,
    secret: &Secret,
) -> Result<Signed, KeyError> {
    let key = scheme.mac.key(key_name, secret)?;
    let seconds = signed_at
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .to_string();
    let mut message = Vec::with_capacity(body.len() + 32);
    for piece in scheme.signed {
        match piece {
            Piece::Body => message.extend_from_slice(body),
            Piece::Timestamp => message.extend_from_slice(seconds.as_bytes()),
            Piece::Text(text) => message.extend_from_slice(text.as_bytes()),
        }
    }
    let signature = encode(
        scheme.mac.encoding,
        ring::hmac::sign(&key, &message).as_ref(),
    );
    let value = match (scheme.part, scheme.timestamp_part) {
        (Some(part), Some(t)) => format!("{t}={seconds},{part}={signature}"),
        (Some(part), None) => format!("{part}={signature}"),
        (None, _) => signature,
    };
    Ok(Signed {
        content_type: "application/json",
        body: body.to_vec(),
        headers: vec![(scheme.header, value)],
    })
}

fn encode(encoding: Encoding, bytes: &[u8]) -> String {
    match encoding {
        Encoding::Hex => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        Encoding::Base64 => crate::redact::base64(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{
        Hmac, KeyEncoding, Mac, NotificationError, parse_form, verify, verify_body,
    };
    use super::*;

    const FORM: SignedForm = SignedForm {
        signature_field: "hash",
        algorithm_field: Some("hash-algorithm"),
        algorithm: Some("sha256_hmac"),
        key_field: Some("hash-key"),
        default_key: "password",
        payload_field: "answer",
        unescape_slashes: true,
        mac: Mac {
            hmac: Hmac::Sha256,
            encoding: Encoding::Hex,
            key_encoding: KeyEncoding::Text,
        },
    };

    const BODY: SignedBody = SignedBody {
        header: "Signature",
        part: Some("v1"),
        timestamp_part: Some("t"),
        signed: &[Piece::Timestamp, Piece::Text("."), Piece::Body],
        tolerance: Some(300),
        mac: Mac {
            hmac: Hmac::Sha512,
            encoding: Encoding::Base64,
            key_encoding: KeyEncoding::Text,
        },
    };

    #[test]
    fn a_signed_form_verifies_and_a_changed_byte_does_not() {
        let secret = Secret::new("testpassword_kit");
        let payload = r#"{"url":"https:\/\/shop.example\/ok","amount":100}"#;
        let signed = sign_form(&FORM, payload, "password", &secret).unwrap();
        let text = String::from_utf8(signed.body.clone()).unwrap();
        let fields = parse_form(&text).unwrap();
        let verified = verify(&FORM, &fields, |_| Some(Some(&secret))).unwrap();
        assert_eq!(verified, payload.replace("\\/", "/"));
        let forged = text.replace("100", "900");
        let fields = parse_form(&forged).unwrap();
        assert_eq!(
            verify(&FORM, &fields, |_| Some(Some(&secret))),
            Err(NotificationError::BadSignature)
        );
    }

    #[test]
    fn a_signed_body_verifies_and_a_changed_byte_does_not() {
        let secret = Secret::new("whsec_kit");
        let now = SystemTime::now();
        let body = br#"{"id":"evt_1","type":"payment_captured"}"#;
        let signed = sign_body(&BODY, body, now, "secret", &secret).unwrap();
        let header = signed.headers[0].1.as_str();
        assert!(header.starts_with("t="), "{header}");
        let verified = verify_body(&BODY, body, Some(header), now, &[("secret", Some(&secret))]);
        assert_eq!(verified.unwrap().as_bytes(), body);
        let mut forged = body.to_vec();
        forged[8] ^= 1;
        assert_eq!(
            verify_body(
                &BODY,
                &forged,
                Some(header),
                now,
                &[("secret", Some(&secret))]
            ),
            Err(NotificationError::BadSignature)
        );
    }
}
