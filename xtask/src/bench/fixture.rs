//! Fully filled JSON answers built from the IR: every field of a type present, lists of two
//! items, maps of two entries, enums at their first non-null value. The client and JSON
//! benchmarks decode these.

use payspec_codegen::ir::{ApiIr, StructIr, TypeIr};
use serde_json::{Map, Value, json};

/// Nesting deeper than this is cut (a recursive type would otherwise never end).
const MAX_DEPTH: usize = 12;

fn find<'a>(api: &'a ApiIr, rust_name: &str) -> Option<&'a StructIr> {
    api.types
        .iter()
        .chain(&api.request_structs)
        .find(|s| s.rust_name == rust_name)
}

/// The fully filled value of the named type (by Rust name) of `api`. A type met again inside
/// itself (a recursive type) is left out there: an empty list, or no field.
pub fn value_of_type(api: &ApiIr, rust_name: &str) -> Option<Value> {
    find(api, rust_name).map(|s| object(api, s, &mut vec![s.rust_name.clone()]))
}

fn object(api: &ApiIr, s: &StructIr, stack: &mut Vec<String>) -> Value {
    let mut map = Map::new();
    for field in &s.fields {
        let value = value(api, &field.ty, &field.wire_name, stack);
        if !value.is_null() {
            map.insert(field.wire_name.clone(), value);
        }
    }
    if let Some(tag) = &s.type_tag {
        map.entry("_type").or_insert_with(|| json!(tag));
    }
    // A type whose answers are tag-checked carries its own tag, even where it declares the
    // discriminator as a field (which the loop above filled with a made-up text).
    if let Some(tag) = api.tags.get(&s.rust_name) {
        map.insert(tag.field.clone(), json!(tag.value));
    }
    Value::Object(map)
}

fn value(api: &ApiIr, ty: &TypeIr, name: &str, stack: &mut Vec<String>) -> Value {
    if stack.len() > MAX_DEPTH {
        return Value::Null;
    }
    match ty {
        TypeIr::String => json!(format!("{name} value 0123456789")),
        TypeIr::Integer => json!(42),
        TypeIr::Number => json!(12.5),
        TypeIr::Boolean => json!(true),
        TypeIr::Amount => json!(30050),
        TypeIr::Decimal => json!("300.50"),
        TypeIr::Date => json!("2026-11-22"),
        TypeIr::DateTime => json!("2026-11-22T10:15:30+00:00"),
        TypeIr::Json => json!({ "key": "value", "list": [1, 2] }),
        TypeIr::List(item) => {
            let first = value(api, item, name, stack);
            if first.is_null() {
                Value::Array(Vec::new())
            } else {
                Value::Array(vec![first.clone(), first])
            }
        }
        TypeIr::Expandable(_) => json!(format!("{name}_id")),
        TypeIr::Map(item) => {
            let first = value(api, item, name, stack);
            if first.is_null() {
                return Value::Object(Map::new());
            }
            let mut map = Map::new();
            map.insert("first".into(), first.clone());
            map.insert("second".into(), first);
            Value::Object(map)
        }
        TypeIr::Struct(rust_name) => {
            if stack.iter().any(|s| s == rust_name) {
                return Value::Null;
            }
            match find(api, rust_name) {
                Some(s) => {
                    stack.push(rust_name.clone());
                    let value = object(api, s, stack);
                    stack.pop();
                    value
                }
                None => Value::Null,
            }
        }
        TypeIr::Enum(rust_name) => api
            .enums
            .iter()
            .find(|e| &e.rust_name == rust_name)
            .and_then(|e| e.values.iter().find_map(|v| v.wire.clone()))
            .map_or(Value::Null, Value::String),
    }
}

/// Leaf values (scalars) in a JSON value: the size of a fixture in fields.
pub fn leaves(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.values().map(leaves).sum(),
        Value::Array(items) => items.iter().map(leaves).sum(),
        _ => 1,
    }
}

/// Fields a type declares, counting those of its nested objects once (lists and maps
/// count their item type once; a recursive type is not entered again).
pub fn declared_fields(api: &ApiIr, rust_name: &str) -> usize {
    fn count(api: &ApiIr, s: &StructIr, stack: &mut Vec<String>) -> usize {
        s.fields.iter().map(|f| 1 + nested(api, &f.ty, stack)).sum()
    }
    fn nested(api: &ApiIr, ty: &TypeIr, stack: &mut Vec<String>) -> usize {
        match ty {
            TypeIr::List(item) | TypeIr::Map(item) => nested(api, item, stack),
            TypeIr::Struct(name) if !stack.contains(name) && stack.len() <= MAX_DEPTH => {
                match find(api, name) {
                    Some(s) => {
                        stack.push(name.clone());
                        let n = count(api, s, stack);
                        stack.pop();
                        n
                    }
                    None => 0,
                }
            }
            _ => 0,
        }
    }
    find(api, rust_name).map_or(0, |s| count(api, s, &mut vec![rust_name.to_owned()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixture_of_the_minimal_spec_fills_every_field() {
        let source = payspec_codegen::SourceFile {
            path: "spec/shop.yaml".into(),
            text: include_str!("../../../tests/fixtures/minimal.yaml").into(),
        };
        let (ir, _) = payspec_codegen::build_ir(&[source]).expect("valid");
        let api = &ir.apis[0];
        let order = value_of_type(api, "Order").expect("Order");
        assert_eq!(order["currency"], json!("EUR"));
        assert_eq!(order["lines"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            order["payment"]["card"]["pan"],
            json!("pan value 0123456789")
        );
        assert_eq!(order["_type"], json!("V1/Order"));
        assert!(declared_fields(api, "Order") >= 5);
    }
}
