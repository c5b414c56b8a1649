//! Codegen's URL checks against the runtime itself: an environment URL passes S017 only if
//! `Client::new` accepts it, and a path template passes S006 only if a call can build its URL
//! (and the runtime refuses what codegen refuses).

use payspec::runtime::{Call, Core, Error, Protocol, RetrySafety, Rule, encode_path_segment};
use payspec::{ClientConfig, Credentials};

fn spec(url: &str, path: &str) -> payspec_codegen::SourceFile {
    let text = format!(
        "format: 1
api:
  name: demo
  title: Demo
  auth: basic
  protocol: rest
  environments:
    test: {{ url: {url:?} }}
operations:
  op:
    summary: S.
    method: GET
    path: {path:?}
    retry: safe
    response: none
    params:
      id: {{ type: string, in: path, required: true }}
"
    );
    payspec_codegen::SourceFile {
        path: "t.yaml".into(),
        text,
    }
}

/// The codes codegen reports for a spec.
fn codes(source: &payspec_codegen::SourceFile) -> Vec<&'static str> {
    match payspec_codegen::generate(std::slice::from_ref(source)) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(|d| d.code).collect(),
    }
}

#[test]
fn environment_urls_pass_codegen_only_if_the_client_accepts_them() {
    for url in [
        "https://api.example.com",
        "https://api.example.com/api-payment",
        "https://api.example.com:8443",
        "http://127.0.0.1:1",
        "http://localhost:8080/x",
        "https://api.example.com/",
        "https://API.example.com",
        "https://api.example.com:443",
        "https:///api.example.com",
        "https://user:secret@api.example.com",
        "https://api.example.com:99999",
        "https://api.example.com:abc",
        "https://",
        "https://api.example.com?x=1",
        "https://api.example.com#f",
        "http://api.example.com",
        "ftp://api.example.com",
        "api.example.com",
    ] {
        let source = spec(url, "/x/{id}");
        let generated = codes(&source).is_empty();
        let client = Core::new(
            ClientConfig::new(url, Credentials::basic("user", "password")),
            Protocol::Rest,
        );
        assert!(
            !generated || client.is_ok(),
            "{url}: codegen accepts it, the client does not"
        );
        if client.is_err() {
            assert_eq!(codes(&source), ["S017"], "{url}");
        }
        if let (Ok(core), false) = (&client, generated) {
            // Stricter only about spelling: the spec must say what the client will use.
            assert_ne!(core.base_url(), url, "{url}");
        }
    }
}

/// Whether the runtime builds the URL of a call to `path` (with `{id}` filled): it refuses
/// before any IO, and a usable URL gets as far as the (closed) loopback port.
async fn runtime_accepts(path: &str, id: &str) -> bool {
    let core = Core::new(
        ClientConfig::new("http://127.0.0.1:1", Credentials::basic("user", "password")),
        Protocol::Rest,
    )
    .expect("a loopback client");
    let path = path.replace("{id}", &encode_path_segment(id));
    let call = Call::new("op", reqwest::Method::GET, path, RetrySafety::Never);
    match core
        .execute::<(), serde_json::Value, String>(call, None)
        .await
    {
        Err(Error::InvalidRequest(e)) => {
            assert_eq!(e.rule, Rule::UrlPath);
            false
        }
        _ => true,
    }
}

#[tokio::test]
async fn path_templates_pass_codegen_exactly_when_calls_can_build_their_url() {
    for path in [
        "/x/{id}",
        "/x/{id}.json",
        "/a%2Fb/{id}",
        "/a|b/{id}",
        "/x/{id}?expand=all",
        "/x/{id}#top",
        "/x/../{id}",
        "/x/./{id}",
        "/x/%2e%2e/{id}",
        "/x//{id}",
        "/x/{id}/",
        "/x y/{id}",
        "/é/{id}",
        "/100%/{id}",
        "/%zz/{id}",
        "/x\\y/{id}",
        "/x\"/{id}",
    ] {
        let generated = codes(&spec("https://api.example.com", path)).is_empty();
        for id in ["27HB", "a b/é?#%", "-._~"] {
            assert_eq!(
                generated,
                runtime_accepts(path, id).await,
                "{path} with {id:?}"
            );
        }
    }
}
