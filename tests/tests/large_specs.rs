//! A spec of 1,000 operations generates, every operation gets its method and docs page, and
//! the cost grows about linearly (a generous bound: the machine is shared and noisy).

use std::time::Instant;

use payspec_codegen::SourceFile;

/// A synthetic spec: `n` operations with nested dotted paths, a list of objects, an enum and a
/// path parameter each.
fn synthetic(n: usize) -> String {
    let mut yaml = String::from(
        "format: 1\napi:\n  name: synthetic\n  title: Synthetic\n  auth: basic\n  protocol: rest\n  environments:\n    live: { url: \"https://example.com\" }\noperations:\n",
    );
    for i in 0..n {
        yaml.push_str(&format!(
            "  things{i}/update:\n    summary: Update thing {i}.\n    method: PUT\n    path: /things{i}/{{id}}\n    retry: safe\n    params:\n      id: {{ type: string, in: path, required: true }}\n      name: {{ type: string, max_length: 64 }}\n      a.b.c: {{ type: integer, min: 0 }}\n      items[].sku: {{ type: string, required: true }}\n      color: {{ type: Color }}\n    response: Thing\n"
        ));
    }
    yaml.push_str("types:\n  Thing:\n    fields:\n      id: { type: string }\n      a.b: { type: amount }\nenums:\n  Color:\n    values:\n      - { value: red }\n      - { value: blue }\n");
    yaml
}

fn generate(n: usize) -> (std::time::Duration, payspec_codegen::Generated) {
    let source = SourceFile {
        path: format!("synthetic-{n}.yaml"),
        text: synthetic(n),
    };
    let start = Instant::now();
    let generated = payspec_codegen::generate(std::slice::from_ref(&source)).unwrap_or_else(|d| {
        panic!(
            "{}",
            payspec_codegen::render(&d, std::slice::from_ref(&source))
        )
    });
    (start.elapsed(), generated)
}

#[test]
fn a_thousand_operations_generate_in_about_linear_time() {
    let _warm_up = generate(10);
    let (small, _) = generate(100);
    let (large, generated) = generate(1000);
    let client = &generated.files["generated/src/synthetic/client.rs"];
    // Each operation's method and its `_with_response` sibling, both calling the body they
    // share: the plain method without the metadata and headers, the sibling with them.
    assert_eq!(client.matches("pub fn things").count(), 2000);
    assert_eq!(client.matches("fn __things").count(), 1000);
    assert!(!client.contains("async fn"));
    assert_eq!(client.matches("(request, false)").count(), 1000);
    assert_eq!(client.matches("(request, true)").count(), 1000);
    let pages = generated
        .files
        .keys()
        .filter(|p| p.starts_with("generated/docs/en/synthetic/operations/"))
        .count();
    assert_eq!(pages, 1000);
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
    println!("100 operations: {small:?}; 1,000 operations: {large:?}; ratio {ratio:.1}");
    assert!(
        ratio < 30.0,
        "10x the operations took {ratio:.1}x the time: not linear"
    );
}
