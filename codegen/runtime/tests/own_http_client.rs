//! A user-built HTTP client, in a process where no payspec client was built first: the crypto
//! provider is process-global, so this file is its own test binary and holds one test.
//!
//! Building a `reqwest::Client` with TLS before any provider is installed panics (the crate's
//! reqwest has none of its own); `http_client_builder` installs it.

use std::time::Duration;

use payspec_runtime::reqwest::{Certificate, Method, Proxy};
use payspec_runtime::{
    Call, ClientConfig, Core, Credentials, Protocol, RetrySafety, http_client_builder,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A self-signed root (P-256), only parsed and trusted, never served.
const ROOT_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBkDCCATWgAwIBAgIUXDp20SKmZ3RWh1VS6cFzrsxmRh0wCgYIKoZIzj0EAwIw
HDEaMBgGA1UEAwwRcGF5c3BlYyB0ZXN0IHJvb3QwIBcNMjYxMTMwMDc0MjM4WhgP
MjEyNjExMDYwNzQyMzhaMBwxGjAYBgNVBAMMEXBheXNwZWMgdGVzdCByb290MFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJ+yMejgWoZegdOMPCGrZdRlIhi1gL5ZL
1nZvQpItRX1pN5PLQauiI9Suylz6+2IIws0cCkuQ5OCTq9TcXkjbnqNTMFEwHQYD
VR0OBBYEFPcD4n/zQkkr/w8FPu+9tOi6KF+CMB8GA1UdIwQYMBaAFPcD4n/zQkkr
/w8FPu+9tOi6KF+CMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIh
ALVG6OH+yFqW9Kc1ET88HTnV8vkyYzB2Z48LiA02/PlCAiEApIa8v3BubeUO1pah
S6oBggjz0EzWVHrYOB90pECpbXU=
-----END CERTIFICATE-----
";

#[tokio::test]
async fn a_client_from_the_documented_builder_with_a_proxy_and_a_root_works() {
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_none(),
        "this test must run before anything installs a provider"
    );
    // The loopback server is reached only through the proxy: the base URL's own port has
    // nothing listening.
    let proxy = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/ping"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "ok": true })))
        .expect(1)
        .mount(&proxy)
        .await;
    let root = Certificate::from_pem(ROOT_PEM.as_bytes()).expect("a PEM certificate");
    let http = http_client_builder()
        .proxy(Proxy::http(proxy.uri()).expect("a proxy URL"))
        .tls_certs_merge([root])
        .build()
        .expect("the client builds without a payspec client built first");
    let config = ClientConfig::new("http://localhost:9", Credentials::basic("user", "pw-1"))
        .timeout(Duration::from_secs(5))
        .http_client(http);
    let core = Core::new(config, Protocol::Rest).expect("valid config");
    let answer: Value = core
        .execute::<(), _, String>(
            Call::new("Ping", Method::GET, "/v1/ping", RetrySafety::Safe),
            None,
        )
        .await
        .expect("the call goes through the proxy");
    assert_eq!(answer, json!({ "ok": true }));
}
