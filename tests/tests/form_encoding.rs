//! The runtime's form encoder (`payspec::runtime::encode`), byte for byte: each expected body
//! is written by hand, then decoded back with an independent parser (`serde_qs`) and compared
//! with the JSON it was made from.

use payspec::runtime::encode::{form_body, named_pairs};
use payspec::runtime::{FormArrays, FormBooleans, FormNulls, FormStyle};
use serde_json::{Value, json};

const INDEXED: FormStyle = FormStyle {
    arrays: FormArrays::Indexed,
    ..FormStyle::DEFAULT
};

fn encode(json: &str, style: FormStyle) -> String {
    form_body(json.as_bytes(), style).expect("encodable")
}

/// What an independent parser reads back from a form, as JSON (every scalar a string).
fn decode(form: &str) -> Value {
    let config = serde_qs::Config::new(8, false);
    let fields: serde_json::Map<String, Value> = config
        .deserialize_str(form)
        .expect("serde_qs reads the form");
    Value::Object(fields)
}

#[test]
fn nested_objects_and_maps() {
    let json = r#"{"customer": {"address": {"city": "Paris", "zip": "75001"}}, "metadata": {"order_id": "42", "note": "x"}}"#;
    let form = encode(json, FormStyle::DEFAULT);
    assert_eq!(
        form,
        "customer%5Baddress%5D%5Bcity%5D=Paris&customer%5Baddress%5D%5Bzip%5D=75001\
         &metadata%5Border_id%5D=42&metadata%5Bnote%5D=x"
    );
    assert_eq!(decode(&form), serde_json::from_str::<Value>(json).unwrap());
}

#[test]
fn lists_with_brackets_and_indexed() {
    let json = r#"{"expand": ["customer", "invoice"]}"#;
    let brackets = encode(json, FormStyle::DEFAULT);
    assert_eq!(brackets, "expand%5B%5D=customer&expand%5B%5D=invoice");
    let indexed = encode(json, INDEXED);
    assert_eq!(indexed, "expand%5B0%5D=customer&expand%5B1%5D=invoice");
    let expected = json!({"expand": ["customer", "invoice"]});
    assert_eq!(decode(&brackets), expected);
    assert_eq!(decode(&indexed), expected);
}

#[test]
fn lists_of_objects_are_indexed_whatever_the_style() {
    let json = r#"{"items": [{"sku": "A", "qty": "2"}, {"sku": "B"}]}"#;
    let expected = "items%5B0%5D%5Bsku%5D=A&items%5B0%5D%5Bqty%5D=2&items%5B1%5D%5Bsku%5D=B";
    assert_eq!(encode(json, FormStyle::DEFAULT), expected);
    assert_eq!(encode(json, INDEXED), expected);
    assert_eq!(
        decode(expected),
        json!({"items": [{"sku": "A", "qty": "2"}, {"sku": "B"}]})
    );
}

#[test]
fn a_list_in_a_list_needs_indexes() {
    let json = r#"{"grid": [["a", "b"], ["c"]]}"#;
    let error = form_body(json.as_bytes(), FormStyle::DEFAULT).unwrap_err();
    assert_eq!(error.path, "grid[]");
    let form = encode(json, INDEXED);
    assert_eq!(
        form,
        "grid%5B0%5D%5B0%5D=a&grid%5B0%5D%5B1%5D=b&grid%5B1%5D%5B0%5D=c"
    );
    assert_eq!(decode(&form), json!({"grid": [["a", "b"], ["c"]]}));
}

#[test]
fn booleans_in_words_and_digits() {
    let json = r#"{"capture": true, "test": false}"#;
    let words = encode(json, FormStyle::DEFAULT);
    assert_eq!(words, "capture=true&test=false");
    let digits = encode(
        json,
        FormStyle {
            booleans: FormBooleans::Digits,
            ..FormStyle::DEFAULT
        },
    );
    assert_eq!(digits, "capture=1&test=0");
    assert_eq!(decode(&words), json!({"capture": "true", "test": "false"}));
    assert_eq!(decode(&digits), json!({"capture": "1", "test": "0"}));
}

#[test]
fn nulls_omitted_or_empty() {
    let json = r#"{"a": "1", "description": null, "meta": {"k": null}}"#;
    let omitted = encode(json, FormStyle::DEFAULT);
    assert_eq!(omitted, "a=1");
    let empty = encode(
        json,
        FormStyle {
            nulls: FormNulls::Empty,
            ..FormStyle::DEFAULT
        },
    );
    assert_eq!(empty, "a=1&description=&meta%5Bk%5D=");
    assert_eq!(decode(&omitted), json!({"a": "1"}));
    assert_eq!(
        decode(&empty),
        json!({"a": "1", "description": "", "meta": {"k": ""}})
    );
}

#[test]
fn unicode_and_reserved_characters() {
    let json = r#"{"note": "café & crème = 5€ + 1/2", "q": "a b?c#d%e", "key[x]": "*-._~"}"#;
    let form = encode(json, FormStyle::DEFAULT);
    assert_eq!(
        form,
        "note=caf%C3%A9+%26+cr%C3%A8me+%3D+5%E2%82%AC+%2B+1%2F2\
         &q=a+b%3Fc%23d%25e&key%5Bx%5D=*-._%7E"
    );
    // The reader sees brackets in a key as nesting, as the API would.
    assert_eq!(
        decode(&form),
        json!({"note": "café & crème = 5€ + 1/2", "q": "a b?c#d%e", "key": {"x": "*-._~"}})
    );
}

#[test]
fn numbers_keep_their_json_form() {
    let form = encode(
        r#"{"n": 1.5, "m": -2, "big": 18446744073709551615}"#,
        INDEXED,
    );
    assert_eq!(form, "n=1.5&m=-2&big=18446744073709551615");
}

#[test]
fn named_query_values() {
    let pairs = named_pairs("created", r#"{"gte": 1, "lte": 2}"#, FormStyle::DEFAULT).unwrap();
    assert_eq!(
        pairs,
        vec![
            ("created[gte]".to_owned(), "1".to_owned()),
            ("created[lte]".to_owned(), "2".to_owned())
        ]
    );
    let pairs = named_pairs("expand", r#"["a", "b"]"#, FormStyle::DEFAULT).unwrap();
    assert_eq!(
        pairs,
        vec![
            ("expand[]".to_owned(), "a".to_owned()),
            ("expand[]".to_owned(), "b".to_owned())
        ]
    );
    // A top-level body must be an object of fields.
    assert!(form_body(b"[1, 2]", FormStyle::DEFAULT).is_err());
}
