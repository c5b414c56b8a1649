//! Authentication schemes (`Core::for_api_with_auth`): what each scheme puts on the wire, and
//! the OAuth2 client-credentials flow (token request, cache, refresh, one refresh at a time,
//! 401 handling, token endpoint failures).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use payspec_runtime::{
    ApiProfile, AuthScheme, Call, ClientAuth, ClientConfig, Core, Credentials, Error, KeyLocation,
    Protocol, RetryPolicy, RetrySafety,
};
use reqwest::Method;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const PROFILE: ApiProfile = ApiProfile {
    protocol: Protocol::Rest,
    sensitive_fields: &[],
    retry_codes: &[],
    headers: &[],
    idempotency: None,
};

const CLIENT_ID: &str = "client-id-7";
const CLIENT_SECRET: &str = "client-SECRET-canary-5fz";

const OAUTH_BASIC: &[AuthScheme] = &[AuthScheme::OAuth2ClientCredentials {
    token_url: "https://auth.example.com/oauth/token",
    scopes: &["payments", "refunds"],
    client_auth: ClientAuth::Basic,
}];
const OAUTH_BODY: &[AuthScheme] = &[AuthScheme::OAuth2ClientCredentials {
    token_url: "https://auth.example.com/oauth/token",
    scopes: &[],
    client_auth: ClientAuth::Body,
}];

fn config(server: &MockServer, credentials: Credentials) -> ClientConfig {
    ClientConfig::new(server.uri(), credentials)
        .timeout(Duration::from_secs(5))
        .token_url(format!("{}/oauth/token", server.uri()))
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(10)),
        )
}

fn oauth_core(server: &MockServer, schemes: &'static [AuthScheme]) -> Core {
    Core::for_api_with_auth(
        config(
            server,
            Credentials::oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET),
        ),
        PROFILE,
        schemes,
    )
    .expect("valid config")
}

fn get(retry: RetrySafety) -> Call {
    Call::new("things/get", Method::GET, "/v1/things", retry)
}

async fn call(core: &Core, retry: RetrySafety) -> Result<Value, Error> {
    core.execute::<(), Value, String>(get(retry), None).await
}

/// Answers token requests with `tok-1`, `tok-2`, … valid for `expires_in` seconds.
struct Tokens {
    issued: Arc<AtomicUsize>,
    expires_in: u64,
    delay: Duration,
}

impl Respond for Tokens {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_delay(self.delay)
            .set_body_json(json!({
                "access_token": format!("tok-{n}"),
                "token_type": "bearer",
                "expires_in": self.expires_in,
            }))
    }
}

async fn token_endpoint(server: &MockServer, expires_in: u64, delay: Duration) -> Arc<AtomicUsize> {
    let issued = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(Tokens {
            issued: Arc::clone(&issued),
            expires_in,
            delay,
        })
        .mount(server)
        .await;
    issued
}

async fn api_ok(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(server)
        .await;
}

async fn api_requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .into_iter()
        .filter(|r| r.url.path() == "/v1/things")
        .collect()
}

async fn token_requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .into_iter()
        .filter(|r| r.url.path() == "/oauth/token")
        .collect()
}

fn authorization(request: &Request) -> String {
    request
        .headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

fn everything_shown(error: &Error) -> String {
    let mut text = format!("{error} {error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        text.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    text
}

#[tokio::test]
async fn each_static_scheme_puts_its_credentials_where_declared() {
    let server = MockServer::start().await;
    api_ok(&server).await;
    let cases: [(&'static [AuthScheme], Credentials); 4] = [
        (
            &[AuthScheme::Basic, AuthScheme::Bearer],
            Credentials::basic("shop", "pw"),
        ),
        (
            &[AuthScheme::Basic, AuthScheme::Bearer],
            Credentials::bearer("tok-B"),
        ),
        (
            &[AuthScheme::ApiKey {
                location: KeyLocation::Header,
                name: "X-Api-Key",
                prefix: "Key ",
            }],
            Credentials::api_key("key-H"),
        ),
        (
            &[AuthScheme::ApiKey {
                location: KeyLocation::Query,
                name: "api_key",
                prefix: "",
            }],
            Credentials::api_key("key Q&"),
        ),
    ];
    for (schemes, credentials) in cases {
        let core = Core::for_api_with_auth(config(&server, credentials), PROFILE, schemes)
            .expect("valid config");
        let call = get(RetrySafety::Safe).with_query("q", "1".to_owned());
        core.execute::<(), Value, String>(call, None)
            .await
            .expect("the call succeeds");
    }
    let received = api_requests(&server).await;
    assert_eq!(received.len(), 4);
    assert_eq!(authorization(&received[0]), "Basic c2hvcDpwdw==");
    assert_eq!(authorization(&received[1]), "Bearer tok-B");
    assert_eq!(received[2].headers.get("x-api-key").unwrap(), "Key key-H");
    assert!(received[2].headers.get("authorization").is_none());
    assert_eq!(received[3].url.query(), Some("q=1&api_key=key+Q%26"));
    assert!(received[3].headers.get("authorization").is_none());
}

#[tokio::test]
async fn an_api_key_in_the_query_is_in_no_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_string("bad request to /v1/things?api_key=QKEY-canary-91"),
        )
        .mount(&server)
        .await;
    let schemes: &'static [AuthScheme] = &[AuthScheme::ApiKey {
        location: KeyLocation::Query,
        name: "api_key",
        prefix: "",
    }];
    let core = Core::for_api_with_auth(
        config(&server, Credentials::api_key("QKEY-canary-91")),
        PROFILE,
        schemes,
    )
    .unwrap();
    let error = call(&core, RetrySafety::Safe).await.unwrap_err();
    assert_eq!(error.http_status(), Some(500));
    let shown = everything_shown(&error);
    assert!(!shown.contains("QKEY"), "{shown}");
    // A transport failure: reqwest's error would name the URL.
    let refused = Core::for_api_with_auth(
        ClientConfig::new("http://127.0.0.1:1", Credentials::api_key("QKEY-canary-91"))
            .retry_policy(RetryPolicy::default().max_attempts(1)),
        PROFILE,
        schemes,
    )
    .unwrap();
    let error = call(&refused, RetrySafety::Safe).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    let shown = everything_shown(&error);
    assert!(!shown.contains("QKEY"), "{shown}");
}

#[test]
fn credentials_of_an_undeclared_scheme_are_refused() {
    let build = |schemes: &'static [AuthScheme], credentials| {
        Core::for_api_with_auth(
            ClientConfig::new("https://api.example.com", credentials),
            PROFILE,
            schemes,
        )
    };
    match build(&[AuthScheme::Basic], Credentials::bearer("t")) {
        Err(Error::Config(m)) => assert_eq!(
            m,
            "the API does not take `bearer` credentials; it offers: basic"
        ),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        build(OAUTH_BASIC, Credentials::api_key("k")),
        Err(Error::Config(_))
    ));
    // `Core::for_api` is Basic only.
    assert!(matches!(
        Core::for_api(
            ClientConfig::new("https://api.example.com", Credentials::bearer("t")),
            PROFILE
        ),
        Err(Error::Config(_))
    ));
    // Blank values and control characters, for every scheme.
    for bad in [
        Credentials::bearer(""),
        Credentials::api_key(" \t"),
        Credentials::oauth2_client_credentials("id", ""),
        Credentials::oauth2_client_credentials("id\n", "s"),
    ] {
        let schemes: &'static [AuthScheme] = &[
            AuthScheme::Bearer,
            AuthScheme::ApiKey {
                location: KeyLocation::Header,
                name: "X-Key",
                prefix: "",
            },
            AuthScheme::OAuth2ClientCredentials {
                token_url: "https://auth.example.com/t",
                scopes: &[],
                client_auth: ClientAuth::Basic,
            },
        ];
        assert!(matches!(build(schemes, bad), Err(Error::Config(_))));
    }
    // A token URL must be https (plain http only on loopback).
    let plain = Core::for_api_with_auth(
        ClientConfig::new(
            "https://api.example.com",
            Credentials::oauth2_client_credentials("id", "s"),
        )
        .token_url("http://auth.example.com/token"),
        PROFILE,
        OAUTH_BASIC,
    );
    match plain {
        Err(Error::Config(m)) => assert!(m.contains("OAuth token URL"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_token_request_is_a_client_credentials_form() {
    let server = MockServer::start().await;
    token_endpoint(&server, 3600, Duration::ZERO).await;
    api_ok(&server).await;
    call(&oauth_core(&server, OAUTH_BASIC), RetrySafety::Safe)
        .await
        .unwrap();
    call(&oauth_core(&server, OAUTH_BODY), RetrySafety::Safe)
        .await
        .unwrap();
    let tokens = token_requests(&server).await;
    assert_eq!(tokens.len(), 2);
    for t in &tokens {
        assert_eq!(
            t.headers.get("content-type").unwrap(),
            "application/x-www-form-urlencoded"
        );
    }
    assert_eq!(
        String::from_utf8_lossy(&tokens[0].body),
        "grant_type=client_credentials&scope=payments+refunds"
    );
    // base64("client-id-7:client-SECRET-canary-5fz")
    assert_eq!(
        authorization(&tokens[0]),
        "Basic Y2xpZW50LWlkLTc6Y2xpZW50LVNFQ1JFVC1jYW5hcnktNWZ6"
    );
    assert_eq!(
        String::from_utf8_lossy(&tokens[1].body),
        "grant_type=client_credentials&client_id=client-id-7&client_secret=client-SECRET-canary-5fz"
    );
    assert!(tokens[1].headers.get("authorization").is_none());
    let api = api_requests(&server).await;
    assert_eq!(authorization(&api[0]), "Bearer tok-1");
    assert_eq!(authorization(&api[1]), "Bearer tok-2");
}

#[tokio::test]
async fn a_token_is_cached_then_refreshed_before_it_expires() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 2, Duration::ZERO).await;
    api_ok(&server).await;
    let core = oauth_core(&server, OAUTH_BASIC);
    call(&core, RetrySafety::Safe).await.unwrap();
    call(&core.clone(), RetrySafety::Safe).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1, "two calls, one token");
    // A 2 s token is replaced half a second before it expires.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    call(&core, RetrySafety::Safe).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    let api = api_requests(&server).await;
    let sent: Vec<_> = api.iter().map(authorization).collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_hundred_calls_at_once_share_one_token_request() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600, Duration::from_millis(200)).await;
    api_ok(&server).await;
    let core = oauth_core(&server, OAUTH_BASIC);
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let core = core.clone();
            tokio::spawn(async move { call(&core, RetrySafety::Safe).await })
        })
        .collect();
    for c in calls {
        c.await.unwrap().unwrap();
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    assert_eq!(token_requests(&server).await.len(), 1);
    assert_eq!(api_requests(&server).await.len(), 100);
}

#[tokio::test]
async fn a_401_gets_one_new_token_and_one_resend() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    api_ok(&server).await;
    let core = oauth_core(&server, OAUTH_BASIC);
    call(&core, RetrySafety::Safe)
        .await
        .expect("resent with a new token");
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    let sent: Vec<_> = api_requests(&server)
        .await
        .iter()
        .map(authorization)
        .collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn a_second_401_is_reported() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path("/v1/things"))
        .respond_with(ResponseTemplate::new(401).set_body_string("token tok-2 refused"))
        .mount(&server)
        .await;
    let core = oauth_core(&server, OAUTH_BASIC);
    let error = call(&core, RetrySafety::Safe).await.unwrap_err();
    assert_eq!(error.http_status(), Some(401), "{error:?}");
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(api_requests(&server).await.len(), 2);
    // The tokens obtained are secrets too.
    let shown = everything_shown(&error);
    assert!(!shown.contains("tok-2"), "{shown}");
    // A call sent at most once is not resent: the token is replaced for the next call.
    let error = call(&core, RetrySafety::Never).await.unwrap_err();
    assert_eq!(error.http_status(), Some(401), "{error:?}");
    assert_eq!(api_requests(&server).await.len(), 3);
    assert_eq!(issued.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_token_endpoint_failure_is_a_clear_error_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": format!("unknown client {CLIENT_ID} with secret {CLIENT_SECRET}"),
        })))
        .mount(&server)
        .await;
    api_ok(&server).await;
    let core = oauth_core(&server, OAUTH_BODY);
    let error = call(&core, RetrySafety::Safe).await.unwrap_err();
    match &error {
        Error::Token {
            operation,
            reason,
            status,
        } => {
            assert_eq!(*operation, "things/get");
            assert_eq!(*status, Some(401));
            assert_eq!(
                reason,
                "the token endpoint answered HTTP 401 (invalid_client)"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!error.is_retryable());
    let shown = everything_shown(&error);
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(!shown.contains("unknown client"), "{shown}");
    assert!(
        api_requests(&server).await.is_empty(),
        "nothing sent to the API"
    );

    // An answer without a token, and an endpoint that cannot be reached.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"secret": CLIENT_SECRET})))
        .mount(&server)
        .await;
    let error = call(&oauth_core(&server, OAUTH_BODY), RetrySafety::Safe)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "things/get: no access token could be obtained: the token endpoint's answer holds no access_token"
    );
    let unreachable = Core::for_api_with_auth(
        ClientConfig::new(
            "http://127.0.0.1:1",
            Credentials::oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET),
        )
        .token_url("http://127.0.0.1:1/oauth/token"),
        PROFILE,
        OAUTH_BODY,
    )
    .unwrap();
    let error = call(&unreachable, RetrySafety::Safe).await.unwrap_err();
    assert!(
        matches!(error, Error::Token { status: None, .. }),
        "{error:?}"
    );
    assert!(error.is_retryable());
    let shown = everything_shown(&error);
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
}

#[tokio::test]
async fn debug_of_an_oauth_client_shows_no_secret() {
    let server = MockServer::start().await;
    token_endpoint(&server, 3600, Duration::ZERO).await;
    api_ok(&server).await;
    let core = oauth_core(&server, OAUTH_BASIC);
    call(&core, RetrySafety::Safe).await.unwrap();
    let debug = format!("{core:?}");
    assert!(!debug.contains(CLIENT_SECRET), "{debug}");
    assert!(!debug.contains("tok-1"), "{debug}");
}

#[tokio::test]
async fn a_token_lifetime_too_long_to_count_is_kept_until_refused() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, u64::MAX, Duration::ZERO).await;
    api_ok(&server).await;
    let core = oauth_core(&server, OAUTH_BASIC);
    call(&core, RetrySafety::Safe).await.expect("no overflow");
    call(&core, RetrySafety::Safe).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1);
}
