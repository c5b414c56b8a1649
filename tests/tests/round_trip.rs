//! Nothing an answer carries is silently lost: every realistic answer payload of the
//! repository decodes into its type, and that value encoded again is the payload.
//!
//! The payloads: each example answer the specs give (read from codegen's IR), the answers the
//! end-to-end tests send (gathered under `tests/payloads/<api>/e2e/`), and answers written in
//! the shape of the vendors' documented examples (`tests/payloads/<api>/vendor/`, sources in
//! `tests/payloads/README.md`). A payload file is named `<Type>.<label>.json`, `<Type>` being
//! the Rust name of its answer type.
//!
//! The rule, per payload: the set of JSON paths of the leaves (scalars, empty objects and
//! empty lists) that went in equals the set that came out, and each leaf is the same JSON
//! text (so `"301"` and `301` differ). The one exception is documented in `spec/README.md`:
//! for a field the spec knows, `null` and absent are the same value, so a leaf that went in as
//! `null` may come out absent (never as anything else).
//!
//! Decoding is dispatched by type through [`TABLE`]; a test checks that every answer type of
//! the IR (operation answers, the alternatives of one-of answers, notification payloads) has
//! its entry, so a new answer type cannot go unchecked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use payspec_codegen::ir::{ApiIr, ResponseIr};
use serde_json::Value;

mod common;

/// Decodes the text into the type and encodes it again.
type RoundTrip = fn(&str) -> Result<Value, String>;

/// `(module, Type)`: the round trip through `payspec::module::Type`. A macro, so that the
/// `Serialize` and `Deserialize` bounds need not be named (this crate has no `serde`
/// dependency).
macro_rules! table {
    ($($module:ident :: $ty:ident),* $(,)?) => {
        &[$((
            stringify!($module),
            stringify!($ty),
            (|text: &str| -> Result<Value, String> {
                let decoded: payspec::$module::$ty =
                    serde_json::from_str(text).map_err(|e| e.to_string())?;
                serde_json::to_value(&decoded).map_err(|e| e.to_string())
            }) as RoundTrip,
        )),*]
    };
}

/// Every answer type of the four APIs.
const TABLE: &[(&str, &str, RoundTrip)] = table![
    checkout::ActionAccepted,
    checkout::Payment,
    checkout::PaymentList,
    checkout::PaymentResponse,
    checkout::WebhookEvent,
    lyra::CustomerWallet,
    lyra::GreyList,
    lyra::OrderTransactions,
    lyra::Payment,
    lyra::PaymentForm,
    lyra::PaymentOrder,
    lyra::ResponseCodeAnswer,
    lyra::Subscription,
    lyra::SubscriptionCreated,
    lyra::Token,
    lyra::Transaction,
    mollie::Capture,
    mollie::CaptureList,
    mollie::Method,
    mollie::MethodList,
    mollie::Payment,
    mollie::PaymentList,
    mollie::Refund,
    mollie::RefundList,
    mollie::WebhookEvent,
    paysafe::Order,
    paysafe::OrderReport,
    paysafe::Refund,
    paysafe::Settlement,
];

fn entry(module: &str, ty: &str) -> Option<RoundTrip> {
    TABLE
        .iter()
        .find(|(m, t, _)| *m == module && *t == ty)
        .map(|(_, _, f)| *f)
}

fn ir() -> Vec<ApiIr> {
    let sources: Vec<_> = common::yaml_files("spec")
        .iter()
        .map(|p| common::source(p))
        .collect();
    let (ir, _) = payspec_codegen::build_ir(&sources)
        .unwrap_or_else(|d| panic!("{}", payspec_codegen::render(&d, &sources)));
    ir.apis
}

/// The answer types of an API, by Rust name: `(type, _type tag)`, the tag set for the
/// alternatives of a one-of answer.
fn answer_types(api: &ApiIr) -> BTreeSet<(String, Option<String>)> {
    let mut out = BTreeSet::new();
    for op in &api.operations {
        match &op.response {
            ResponseIr::Named(name) => {
                out.insert((name.clone(), None));
            }
            ResponseIr::OneOf { variants, .. } => {
                for (name, tag) in variants {
                    out.insert((name.clone(), Some(tag.clone())));
                }
            }
            ResponseIr::Json | ResponseIr::None => {}
        }
    }
    for notification in &api.notifications {
        out.insert((notification.payload.clone(), None));
    }
    out
}

#[test]
fn every_answer_type_has_a_round_trip() {
    let mut missing = Vec::new();
    let mut known = BTreeSet::new();
    for api in ir() {
        for (ty, _) in answer_types(&api) {
            if entry(&api.module, &ty).is_none() {
                missing.push(format!("{}::{ty},", api.module));
            }
            known.insert((api.module.clone(), ty));
        }
    }
    missing.dedup();
    {
        {}
    }
    assert!(
        missing.is_empty(),
        "add these answer types to TABLE:\n{}",
        missing.join("\n")
    );
    let stale: Vec<String> = TABLE
        .iter()
        .filter(|(m, t, _)| !known.contains(&(m.to_string(), t.to_string())))
        .map(|(m, t, _)| format!("{m}::{t}"))
        .collect();
    assert!(
        stale.is_empty(),
        "not answer types any more, drop them from TABLE: {stale:?}"
    );
}

/// One payload to check: where it comes from, its API, its type, its text.
struct Payload {
    origin: String,
    module: String,
    ty: String,
    text: String,
}

/// The example answers of the specs, each with the type of its operation's answer (for a
/// one-of answer, the alternative its `_type` names; an answer naming none is kept as JSON
/// by the SDK and has no type to check).
fn spec_examples(apis: &[ApiIr]) -> Vec<Payload> {
    let mut out = Vec::new();
    for api in apis {
        for op in &api.operations {
            for (i, example) in op.examples.iter().enumerate() {
                let Some(response) = &example.response else {
                    continue;
                };
                let ty = match &op.response {
                    ResponseIr::Named(name) => Some(name.clone()),
                    ResponseIr::OneOf { variants, .. } => {
                        let tag = response.get("_type").and_then(Value::as_str);
                        variants
                            .iter()
                            .find(|(_, t)| Some(t.as_str()) == tag)
                            .map(|(name, _)| name.clone())
                    }
                    ResponseIr::Json | ResponseIr::None => None,
                };
                if let Some(ty) = ty {
                    out.push(Payload {
                        origin: format!("spec/{}: {} example {}", api.spec_file, op.id, i + 1),
                        module: api.module.clone(),
                        ty,
                        text: response.to_string(),
                    });
                }
            }
        }
    }
    out
}

/// The payload files under `tests/payloads/<api>/<source>/<Type>.<label>.json`.
fn payload_files(apis: &[ApiIr]) -> Vec<Payload> {
    let mut out = Vec::new();
    let root = common::root().join("tests/payloads");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    for path in files {
        let relative = path.strip_prefix(&root).expect("under root");
        let module = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .expect("tests/payloads/<api>/…")
            .to_owned();
        let name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8");
        let ty = name
            .split('.')
            .next()
            .expect("<Type>.<label>.json")
            .to_owned();
        out.push(Payload {
            origin: format!("tests/payloads/{}", relative.display()),
            ty,
            text: unwrapped(
                apis,
                &module,
                std::fs::read_to_string(&path).expect("readable"),
            ),
            module,
        });
    }
    out
}

/// The answer of a file that holds a whole success body of an API whose framing puts the answer
/// in an envelope (its status field holding the success value); any other text as it is.
fn unwrapped(apis: &[ApiIr], module: &str, text: String) -> String {
    let Some(api) = apis.iter().find(|a| a.module == module) else {
        return text;
    };
    let Some(envelope) = &api.framing.envelope else {
        return text;
    };
    let Ok(body) = serde_json::from_str::<Value>(&text) else {
        return text;
    };
    let at = |path: &str| path.split('.').try_fold(&body, |v, key| v.get(key));
    if at(&envelope.status).and_then(Value::as_str) != Some(envelope.success.as_str()) {
        return text;
    }
    at(&api.framing.answer).map_or(text.clone(), Value::to_string)
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The leaves of `value` by JSON path: scalars as their JSON text, empty objects and lists as
/// `{}` and `[]`.
fn leaves(value: &Value, at: String, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, v) in map {
                leaves(v, format!("{at}.{key}"), out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, format!("{at}[{i}]"), out);
            }
        }
        other => {
            out.insert(at, other.to_string());
        }
    }
}

/// What the round trip lost, added or changed, one line each (empty: nothing).
fn differences(sent: &Value, again: &Value) -> Vec<String> {
    let (mut before, mut after) = (BTreeMap::new(), BTreeMap::new());
    leaves(sent, "$".into(), &mut before);
    leaves(again, "$".into(), &mut after);
    let mut out = Vec::new();
    for (path, text) in &before {
        match after.get(path) {
            Some(t) if t == text => {}
            Some(t) => out.push(format!("{path}: sent {text}, encoded again as {t}")),
            // A known field's `null` is its absence (spec/README.md, "Answers").
            None if text == "null" => {}
            None => out.push(format!("{path}: sent {text}, lost")),
        }
    }
    for (path, text) in &after {
        let sent = before.contains_key(path);
        // `{}` where only nulls were sent is the same object (the rule above).
        let nulls_only = text == "{}" && only_nulls_under(&before, path);
        if !sent && !nulls_only {
            out.push(format!("{path}: not sent, encoded as {text}"));
        }
    }
    out
}

/// Whether `path` held an object whose leaves were all `null` (`{"next": null}`): the same
/// object as `{}` under the rule for known fields.
fn only_nulls_under(before: &BTreeMap<String, String>, path: &str) -> bool {
    let prefix = format!("{path}.");
    let mut under = before
        .range(prefix.clone()..)
        .take_while(|(p, _)| p.starts_with(&prefix));
    let first = under.next();
    first.is_some_and(|(_, t)| t == "null") && under.all(|(_, t)| t == "null")
}

#[test]
fn every_realistic_answer_survives_a_round_trip() {
    let apis = ir();
    let mut payloads = spec_examples(&apis);
    let from_specs = payloads.len();
    payloads.extend(payload_files(&apis));
    let mut problems = Vec::new();
    let (mut paths, mut lost, mut nulls) = (0, 0, 0);
    let mut per_type: BTreeMap<String, usize> = BTreeMap::new();
    for payload in &payloads {
        let Some(round_trip) = entry(&payload.module, &payload.ty) else {
            problems.push(format!(
                "{}: no answer type {}::{}",
                payload.origin, payload.module, payload.ty
            ));
            continue;
        };
        let sent: Value = match serde_json::from_str(&payload.text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{}: not JSON: {e}", payload.origin));
                continue;
            }
        };
        let again = match round_trip(&payload.text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{}: does not decode: {e}", payload.origin));
                continue;
            }
        };
        let mut before = BTreeMap::new();
        leaves(&sent, "$".into(), &mut before);
        paths += before.len();
        nulls += before.values().filter(|t| *t == "null").count();
        *per_type
            .entry(format!("{}::{}", payload.module, payload.ty))
            .or_default() += 1;
        let diffs = differences(&sent, &again);
        lost += diffs.len();
        for d in diffs {
            problems.push(format!("{}: {d}", payload.origin));
        }
    }
    println!(
        "round trip: {} payloads ({from_specs} spec examples, {} files), {paths} leaf paths ({nulls} null), {lost} lost or changed",
        payloads.len(),
        payloads.len() - from_specs
    );
    for (ty, n) in &per_type {
        println!("  {ty}: {n}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(lost, 0);
    // The corpus itself must not shrink unnoticed: every API has payloads, and the spec
    // examples are read.
    for api in &apis {
        assert!(
            per_type
                .keys()
                .any(|k| k.starts_with(&format!("{}::", api.module))),
            "no payload for {}",
            api.module
        );
    }
    assert!(from_specs >= 9, "the specs' example answers were not read");
    assert!(paths >= 1000, "only {paths} paths checked");
}

/// The check itself sees a loss, a change of form and an invented field.
#[test]
fn the_comparison_catches_every_kind_of_difference() {
    let sent = serde_json::json!({"a": "301", "b": {"c": [1, {}]}, "d": null, "e": 2});
    let same = serde_json::json!({"a": "301", "b": {"c": [1, {}]}, "e": 2});
    assert!(differences(&sent, &same).is_empty());
    let changed = serde_json::json!({"a": 301, "b": {"c": [1]}, "e": 2, "f": false});
    let diffs = differences(&sent, &changed);
    assert_eq!(diffs.len(), 3, "{diffs:?}");
    assert!(diffs[0].contains("$.a: sent \"301\", encoded again as 301"));
    assert!(diffs[1].contains("$.b.c[1]: sent {}, lost"));
    assert!(diffs[2].contains("$.f: not sent"));
    let null_changed = serde_json::json!({"a": "301", "b": {"c": [1, {}]}, "d": 0, "e": 2});
    assert_eq!(differences(&sent, &null_changed).len(), 1);
    // An object of nulls may come back empty, never with a value.
    let links = serde_json::json!({"_links": {"next": null}});
    assert!(differences(&links, &serde_json::json!({"_links": {}})).is_empty());
    assert_eq!(
        differences(&links, &serde_json::json!({"_links": {"next": 1}})).len(),
        1
    );
    let half = serde_json::json!({"_links": {"next": null, "self": "x"}});
    // `self` lost, and `{}` where an object with a value was sent.
    assert_eq!(
        differences(&half, &serde_json::json!({"_links": {}})).len(),
        2
    );
}

/// A key given twice in an answer object: a field the spec describes is refused (the SDK
/// cannot choose between two values of, say, an amount), at any depth; a key the spec does not
/// describe keeps its last value in `extra`, as a JSON object does. Anything but an object
/// where an object is expected is refused, naming the type.
#[test]
fn a_described_field_given_twice_is_refused() {
    use payspec::lyra::Transaction;
    let twice =
        serde_json::from_str::<Transaction>(r#"{"uuid":"a","amount":1,"uuid":"b"}"#).unwrap_err();
    assert!(
        twice.to_string().starts_with("duplicate field `uuid`"),
        "{twice}"
    );
    let nested = serde_json::from_str::<Transaction>(
        r#"{"transactionDetails":{"cardDetails":{"manualValidation":"NO","manualValidation":"YES"}}}"#,
    )
    .unwrap_err();
    assert!(
        nested
            .to_string()
            .starts_with("duplicate field `manualValidation`"),
        "{nested}"
    );
    let kept: Transaction =
        serde_json::from_str(r#"{"uuid":"a","vendorNew":1,"vendorNew":{"b":2}}"#).unwrap();
    assert_eq!(kept.uuid.as_deref(), Some("a"));
    assert_eq!(kept.extra["vendorNew"], serde_json::json!({"b": 2}));
    for text in ["[]", "\"a\"", "1", "true"] {
        let error = serde_json::from_str::<Transaction>(text).unwrap_err();
        assert!(
            error.to_string().contains("expected struct Transaction"),
            "{text}: {error}"
        );
    }
}
