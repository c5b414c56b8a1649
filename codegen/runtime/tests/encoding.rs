//! `Core` sends form bodies and bracketed query values on the wire, and refuses a value a
//! form cannot write before any IO.

use payspec_runtime::{
    Call, ClientConfig, Core, Credentials, Encoding, Error, FormArrays, FormBooleans, FormNulls,
    FormStyle, Protocol, RetrySafety,
};
use reqwest::Method;
use serde::Serialize;
use serde_json::{Value, json};
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn core(server: &MockServer) -> Core {
    Core::new(
        ClientConfig::new(server.uri(), Credentials::basic("user", "pw-123456")),
        Protocol::Rest,
    )
    .expect("valid config")
}

#[derive(Serialize)]
struct Body {
    amount: u64,
    capture: bool,
    note: Option<String>,
    tags: Vec<&'static str>,
}

#[tokio::test]
async fn a_form_body_with_its_content_type_and_bracketed_query_values() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/charges"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("amount=100&capture=1&note=&tags%5B0%5D=a+b"))
        .and(|r: &Request| r.url.query() == Some("limit=5&expand%5B0%5D=x&created%5Bgte%5D=1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    let style = FormStyle {
        arrays: FormArrays::Indexed,
        booleans: FormBooleans::Digits,
        nulls: FormNulls::Empty,
    };
    let call = Call::new(
        "charges/create",
        Method::POST,
        "/charges",
        RetrySafety::Never,
    )
    .with_encoding(Encoding::Form, style)
    .with_query("limit", "5")
    .with_query_value("expand", r#"["x"]"#)
    .with_query_value("created", r#"{"gte": 1}"#);
    let body = Body {
        amount: 100,
        capture: true,
        note: None,
        tags: vec!["a b"],
    };
    let answer: Value = core(&server)
        .execute::<_, _, String>(call, Some(&body))
        .await
        .expect("matched");
    assert_eq!(answer, json!({"ok": true}));
}

#[tokio::test]
async fn a_value_a_form_cannot_write_is_refused_before_any_io() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let call = Call::new("things/create", Method::POST, "/things", RetrySafety::Safe)
        .with_encoding(Encoding::Form, FormStyle::DEFAULT);
    let error = core(&server)
        .execute::<_, Value, String>(call, Some(&json!({"grid": [["secret-cell"]]})))
        .await
        .unwrap_err();
    match &error {
        Error::InvalidRequest(e) => assert_eq!(e.path, "grid[]"),
        other => panic!("{other:?}"),
    }
    assert!(!format!("{error} {error:?}").contains("secret-cell"));
    // The same in a query value.
    let call = Call::new("things/list", Method::GET, "/things", RetrySafety::Safe)
        .with_query_value("grid", r#"[["secret-cell"]]"#);
    let error = core(&server)
        .execute::<(), Value, String>(call, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(e) if e.path == "grid[]"),
        "{error:?}"
    );
}

#[tokio::test]
async fn json_stays_the_default() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/json"))
        .and(body_string(
            r#"{"amount":1,"capture":false,"note":null,"tags":[]}"#,
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let call = Call::new("x", Method::POST, "/x", RetrySafety::Never);
    let body = Body {
        amount: 1,
        capture: false,
        note: None,
        tags: vec![],
    };
    let _: Value = core(&server)
        .execute::<_, _, String>(call, Some(&body))
        .await
        .expect("JSON body");
}
