//! Calling an operation named at run time, with its request given as JSON (feature
//! `test-util`): the generated `sandbox::Operation::call` of each API decodes the JSON into the
//! operation's typed request, sends it with the typed client method — validation, encoding,
//! authentication, retries and decoding exactly as a hand-written call — and gives the typed
//! answer encoded again as JSON.
//!
//! What it serves: tests that drive every operation of an API from data (a contract test
//! against a validating mock server, recorded requests replayed), where a hand-written call per
//! operation would have to be kept in step with the spec by hand.
//!
//! The JSON is the request type's serde form, the one [`Recorded::request`] reads: body fields
//! under their wire names, path, query and header parameters under their Rust field names.
//!
//! [`Recorded::request`]: crate::sandbox::Recorded::request

use serde_core::Serialize;
use serde_core::de::DeserializeOwned;
use serde_json::Value;

/// Why a call by name gave no answer; `E` is the API's error type (`payspec::<api>::Error`).
#[derive(Debug)]
pub enum CallError<E> {
    /// The JSON is not a request of the operation: where and why it does not decode.
    Request(String),
    /// The call was made and failed: the client's own error.
    Call(E),
    /// The answer was decoded but could not be encoded as JSON again.
    Answer(String),
}

impl<E> CallError<E> {
    /// The client's error, when the call was made and failed.
    pub fn call_error(&self) -> Option<&E> {
        match self {
            Self::Call(e) => Some(e),
            _ => None,
        }
    }
}

/// Decodes `request` into the operation's request type `T`; the error names the path that
/// failed.
pub fn request<T: DeserializeOwned, E>(request: Value) -> Result<T, CallError<E>> {
    super::json_path::decode_value(&request)
        .map_err(|e| CallError::Request(format!("at `{}`: {}", e.path, e.message)))
}

/// The answer of a typed call, encoded as JSON (`null` for an operation that answers nothing).
pub fn answer<T: Serialize, E>(result: Result<T, E>) -> Result<Value, CallError<E>> {
    let answer = result.map_err(CallError::Call)?;
    serde_json::to_value(&answer).map_err(|e| CallError::Answer(e.to_string()))
}

impl<E: std::fmt::Display> std::fmt::Display for CallError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Request(why) => write!(f, "not a request of this operation: {why}"),
            Self::Call(e) => std::fmt::Display::fmt(e, f),
            Self::Answer(why) => write!(f, "the answer does not encode as JSON: {why}"),
        }
    }
}

/// The client's error is transparent: its source is the call's source.
impl<E: std::error::Error> std::error::Error for CallError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Call(e) => e.source(),
            Self::Request(_) | Self::Answer(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Req {
        #[allow(dead_code)]
        amount: i64,
    }

    #[test]
    fn a_request_that_does_not_decode_names_the_path() {
        let e = request::<Req, String>(serde_json::json!({ "amount": "ten" })).unwrap_err();
        assert!(
            matches!(&e, CallError::Request(m) if m.starts_with("at `amount`:")),
            "{e}"
        );
        assert!(e.call_error().is_none());
    }

    #[test]
    fn an_answer_of_nothing_is_null() {
        let v = answer::<(), String>(Ok(())).unwrap();
        assert_eq!(v, Value::Null);
    }
}
