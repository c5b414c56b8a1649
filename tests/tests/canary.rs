//! Canaries: a recognisable password, its HTTP Basic token, a card number and a payment token
//! go through the generated clients, in requests and in the server's answers (successes and
//! failures), and must appear nowhere they could be read: not in anything logged through
//! `tracing` or `log` at TRACE level, not in the `Debug` or `Display` of any error (or of its
//! sources), and not in the `Debug` of the client, its configuration, the requests or the
//! decoded answers.
//!
//! Values a client puts in the URL get the same treatment: a path parameter and query values
//! (through the generated Paysafe client, and through the runtime directly with text values)
//! must not appear in logs or errors either, whether the call succeeds, fails with an API error,
//! a refused or reset connection, or a timeout.

#[path = "common/fault_server.rs"]
mod fault_server;

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};
use std::time::Duration;

use fault_server::{Behaviour, FaultServer, refused_uri};
use payspec::runtime::{Call, Core, Error, Protocol, RetrySafety};
use payspec::{ClientConfig, Credentials, RetryPolicy, lyra, paysafe};
use serde_json::{Value, json};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const USER: &str = "69876357";
const PASSWORD: &str = "testpassword_CANARY_PW_8c1f";
/// base64("69876357:testpassword_CANARY_PW_8c1f"), computed independently.
const BASIC_TOKEN: &str = "Njk4NzYzNTc6dGVzdHBhc3N3b3JkX0NBTkFSWV9QV184YzFm";
/// A card number that passes the Luhn check.
const PAN: &str = "4970101234567893";
/// A card holder's name (sensitive in the Lyra spec).
const HOLDER: &str = "Zoe CANARYHOLDER";
const PAYMENT_TOKEN: &str = "CanaryPaymentToken8c1fQz";
const UUID: &str = "0d2a6e1f6b5f4e2a9c3b7d8e9f0a1b2c";

/// A path parameter (only characters that `encode_path_segment` keeps, so it is sent as is).
const PATH_SECRET: &str = "CanaryPathSecret8c1fQz";
/// A query value.
const QUERY_SECRET: &str = "CanaryQuerySecret8c1fQz";
/// An integer query value (Paysafe's report takes integers); 12 digits, not a card number.
const QUERY_NUMBER: i64 = 770_013_579_246;
const QUERY_NUMBER_TEXT: &str = "770013579246";

/// Every canary.
const ALL: &[&str] = &[
    PASSWORD,
    BASIC_TOKEN,
    PAN,
    HOLDER,
    PAYMENT_TOKEN,
    PATH_SECRET,
    QUERY_SECRET,
    QUERY_NUMBER_TEXT,
];
/// The canaries the runtime can recognise in any text a server sends back: the credentials
/// (it knows them) and card numbers (13 to 19 digits passing the Luhn check). A name or a
/// payment token echoed by the server in free text cannot be told apart from other text;
/// those are checked wherever the SDK itself could print them.
const RECOGNISABLE: &[&str] = &[PASSWORD, BASIC_TOKEN, PAN];

// --- capture of everything logged ---------------------------------------------------------

static LOGS: Mutex<String> = Mutex::new(String::new());

fn push_log(line: &str) {
    if let Ok(mut logs) = LOGS.lock() {
        logs.push_str(line);
        logs.push('\n');
    }
}

fn logs() -> String {
    LOGS.lock().map(|l| l.clone()).unwrap_or_default()
}

#[derive(Default)]
struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, "{}={:?} ", field.name(), value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, "{}={} ", field.name(), value);
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        let _ = write!(self.0, "{}={} / {:?} ", field.name(), value, value);
    }
}

/// A subscriber that writes every span, field record and event, at every level, to [`LOGS`].
struct Capture {
    next_id: AtomicU64,
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        let meta = span.metadata();
        push_log(&format!(
            "span {} {} {} {}",
            meta.level(),
            meta.target(),
            meta.name(),
            fields.0
        ));
        Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        push_log(&format!("record {}", fields.0));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let meta = event.metadata();
        push_log(&format!(
            "event {} {} {}",
            meta.level(),
            meta.target(),
            fields.0
        ));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Writes every `log` record (reqwest and rustls log through `log`) to [`LOGS`].
struct LogCapture;

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        push_log(&format!(
            "log {} {} {}",
            record.level(),
            record.target(),
            record.args()
        ));
    }

    fn flush(&self) {}
}

static LOGGER: LogCapture = LogCapture;

/// Installs both captures for the whole test binary, once.
fn capture() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        tracing::subscriber::set_global_default(Capture {
            next_id: AtomicU64::new(0),
        })
        .expect("no other subscriber");
        log::set_logger(&LOGGER).expect("no other logger");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

// --- assertions ----------------------------------------------------------------------------

fn assert_clean(label: &str, text: &str) {
    assert_clean_of(label, text, ALL);
}

fn assert_clean_of(label: &str, text: &str, canaries: &[&str]) {
    for canary in canaries {
        assert!(
            !text.contains(canary),
            "{label} shows the canary `{canary}`:\n{text}"
        );
    }
}

/// The `Debug` and `Display` of an error and of every error in its source chain hold none of
/// `canaries`.
fn assert_error_clean<C: fmt::Debug + fmt::Display>(
    label: &str,
    error: &Error<C>,
    canaries: &[&str],
) {
    assert_clean_of(&format!("{label}: Debug"), &format!("{error:?}"), canaries);
    assert_clean_of(&format!("{label}: Display"), &format!("{error}"), canaries);
    assert_clean_of(
        &format!("{label}: Debug (alternate)"),
        &format!("{error:#?}"),
        canaries,
    );
    let mut source = std::error::Error::source(error);
    let mut depth = 0;
    while let Some(inner) = source {
        depth += 1;
        assert_clean_of(
            &format!("{label}: source {depth} Debug"),
            &format!("{inner:?}"),
            canaries,
        );
        assert_clean_of(
            &format!("{label}: source {depth} Display"),
            &format!("{inner}"),
            canaries,
        );
        source = inner.source();
    }
}

/// The logs so far hold the runtime's own span and attempt events (the capture works) and no
/// canary.
fn assert_logs_clean(operation: &str) {
    let logs = logs();
    assert!(
        logs.contains("payspec.call") && logs.contains(operation),
        "the capture saw no call of {operation}:\n{logs}"
    );
    assert!(logs.contains("payspec attempt"), "{logs}");
    assert_clean("the captured logs", &logs);
}

/// The request reached the server with the canaries in it: they were really used.
fn assert_sent(server: &FaultServer, needles: &[&str]) {
    let requests = server.requests();
    let first = requests.first().expect("a request reached the server");
    let text = String::from_utf8_lossy(first);
    assert!(
        text.contains(&format!("Basic {BASIC_TOKEN}"))
            || text.contains(&format!("basic {BASIC_TOKEN}")),
        "{text}"
    );
    for needle in needles {
        assert!(text.contains(needle), "`{needle}` was not sent:\n{text}");
    }
}

// --- servers and clients -------------------------------------------------------------------

fn config(base: &str) -> ClientConfig {
    ClientConfig::new(base, Credentials::basic(USER, PASSWORD))
        .timeout(Duration::from_millis(300))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(2)
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(10)),
        )
}

async fn answer(status: u16, content_type: &'static str, body: String) -> FaultServer {
    FaultServer::start(Behaviour::Respond {
        status,
        content_type,
        body: body.into_bytes(),
    })
    .await
}

/// A text that repeats every canary, in the forms a server might echo them.
fn echo() -> String {
    format!(
        "password={PASSWORD} authorization=Basic {BASIC_TOKEN} pan={PAN} holder={HOLDER} \
         token={PAYMENT_TOKEN} self=https://{USER}:{PASSWORD}@api.example.com/x"
    )
}

fn lyra_envelope(status: &str, answer: Value) -> String {
    json!({
        "webService": "Transaction/Get",
        "version": "V4",
        "status": status,
        "answer": answer,
        "ticket": null,
        "_type": "V4/WebService/Response"
    })
    .to_string()
}

fn lyra_transaction() -> Value {
    json!({
        "uuid": "5b4c3d2e1f0a4b5c8d7e6f5a4b3c2d1e",
        "amount": 30050,
        "currency": "XPF",
        "status": "PAID",
        "transactionDetails": {
            "cardDetails": {
                "pan": PAN,
                "cardHolderName": HOLDER,
                "effectiveBrand": "VISA",
                "_type": "V4/CardDetails"
            }
        },
        "_type": "V4/Transaction"
    })
}

fn lyra_client(base: &str) -> lyra::Client {
    let client = lyra::Client::with_config(config(base)).expect("client");
    assert_clean("Debug of the Lyra client", &format!("{client:?}"));
    client
}

fn paysafe_client(base: &str) -> paysafe::Client {
    let client = paysafe::Client::with_config(config(base)).expect("client");
    assert_clean("Debug of the Paysafe client", &format!("{client:?}"));
    client
}

fn paysafe_order() -> Value {
    json!({
        "id": "27HBQSY9R5EGQSRA0A",
        "merchantRefNum": "REBILL-1",
        "currencyCode": "EUR",
        "totalAmount": 1000,
        "profile": { "id": "profile-1", "paymentToken": PAYMENT_TOKEN },
        "link": [
            { "rel": "self", "uri": format!("https://{USER}:{PASSWORD}@api.test.netbanx.com/hosted/v1/orders/27HBQSY9R5EGQSRA0A") },
            { "rel": "hosted_payment", "uri": format!("https://api.test.netbanx.com/hosted/v1/payment/{PAYMENT_TOKEN}") }
        ]
    })
}

// --- the tests -----------------------------------------------------------------------------

#[test]
fn configuration_and_requests_debug_without_canaries() {
    let config = config("http://127.0.0.1:9");
    assert_clean("Debug of ClientConfig", &format!("{config:?}"));
    assert_clean(
        "Debug of Credentials",
        &format!("{:?}", config.credentials()),
    );
    assert_clean(
        "Display of the password",
        &format!("{}", config.credentials().password()),
    );

    // The password in the base URL too, also where it ends the authority early.
    for base in [
        format!("https://{USER}:{PASSWORD}@api.example.com"),
        format!("https://{USER}:pa/{PASSWORD}@api.example.com"),
        format!("https://{USER}:pa#{PASSWORD}@api.example.com"),
        format!("https://{USER}:pa?{PASSWORD}@api.example.com"),
        format!("https://api.example.com/api?key={PASSWORD}"),
    ] {
        let config = ClientConfig::new(&base, Credentials::basic(USER, PASSWORD));
        assert_clean("Debug of ClientConfig", &format!("{config:?}"));
        let error = paysafe::Client::with_config(config).expect_err(&base);
        assert!(matches!(error, Error::Config(_)), "{error:?}");
        assert_error_clean("a refused base URL", &error, ALL);
    }

    let rebill = paysafe::OrdersRebillWithProfileRequest::new(
        "REBILL-1",
        paysafe::Currency::Eur,
        1000,
        paysafe::OrdersRebillWithProfileProfile::new("profile-1", PAYMENT_TOKEN),
    );
    let debug = format!("{rebill:?}");
    assert!(debug.contains("profile-1"), "{debug}");
    assert_clean("Debug of OrdersRebillWithProfileRequest", &debug);

    let credit = paysafe::CreditsOriginalWithProfileRequest::new(
        paysafe::CreditsOriginalWithProfileProfile::new("profile-1", PAYMENT_TOKEN),
        "CREDIT-1",
        paysafe::Currency::Eur,
        1000,
    );
    assert_clean(
        "Debug of CreditsOriginalWithProfileRequest",
        &format!("{credit:#?}"),
    );

    let process = paysafe::OrdersProcessRequest::new("ORDER-1", paysafe::Currency::Eur, 1000)
        .profile(paysafe::Profile::new().id("p").payment_token(PAYMENT_TOKEN))
        .link(vec![paysafe::Link::new().uri(format!(
            "https://{USER}:{PASSWORD}@example.com/{PAYMENT_TOKEN}"
        ))]);
    let debug = format!("{process:?}");
    assert!(debug.contains("ORDER-1"), "{debug}");
    assert_clean("Debug of OrdersProcessRequest", &debug);
}

#[tokio::test]
async fn lyra_success_keeps_the_card_out_of_debug_and_logs() {
    capture();
    let server = answer(
        200,
        "application/json",
        lyra_envelope("SUCCESS", lyra_transaction()),
    )
    .await;
    let client = lyra_client(&server.uri);
    let request = lyra::TransactionGetRequest::new(UUID);
    let transaction = client.transaction_get(&request).await.expect("success");
    assert_sent(&server, &[UUID]);

    // The canaries really are in the decoded answer...
    let card = transaction
        .transaction_details
        .as_ref()
        .and_then(|d| d.card_details.as_ref())
        .expect("card details");
    assert_eq!(card.pan.as_deref(), Some(PAN));
    assert_eq!(card.card_holder_name.as_deref(), Some(HOLDER));
    // ...and in none of the Debug outputs.
    let debug = format!("{transaction:?}");
    assert!(debug.contains("VISA"), "{debug}");
    assert_clean("Debug of the decoded Transaction", &debug);
    assert_clean("Debug of the request", &format!("{request:?}"));
    assert_clean("Debug of the client", &format!("{client:?}"));
    assert_logs_clean("Transaction/Get");
}

#[tokio::test]
async fn lyra_failures_keep_the_canaries_out_of_errors_and_logs() {
    capture();
    let duplicate =
        lyra::TransactionDuplicateRequest::new(UUID, 100, lyra::Currency::Eur).order_id("order-1");
    let get = lyra::TransactionGetRequest::new(UUID);

    // API error: an ERROR envelope whose texts echo the canaries.
    let server = answer(
        200,
        "application/json",
        lyra_envelope(
            "ERROR",
            json!({
                "errorCode": "PSP_010",
                "errorMessage": echo(),
                "detailedErrorCode": echo(),
                "detailedErrorMessage": echo(),
                "ticket": echo(),
            }),
        ),
    )
    .await;
    let error = lyra_client(&server.uri)
        .transaction_duplicate(&duplicate)
        .await
        .expect_err("error envelope");
    assert_eq!(
        error.api_code(),
        Some(&lyra::ErrorCode::Psp010),
        "{error:?}"
    );
    assert_error_clean("Lyra API error", &error, RECOGNISABLE);

    // 401 with INT_905 echoing the credentials.
    let server = answer(
        401,
        "application/json;charset=UTF-8",
        lyra_envelope(
            "ERROR",
            json!({ "errorCode": "INT_905", "errorMessage": echo() }),
        ),
    )
    .await;
    let error = lyra_client(&server.uri)
        .transaction_get(&get)
        .await
        .expect_err("401");
    assert_eq!(
        error.api_code(),
        Some(&lyra::ErrorCode::Int905),
        "{error:?}"
    );
    assert_error_clean("Lyra 401", &error, RECOGNISABLE);

    // Decode error: the card in the answer, a wrongly typed field after it, and the canaries
    // in the text around.
    let mut transaction = lyra_transaction();
    transaction["orderDetails"] = json!({ "orderId": echo() });
    transaction["transactionDetails"]["cardDetails"]["expiryMonth"] = json!(PAN);
    transaction["amount"] = json!({ "not": PAN });
    let server = answer(
        200,
        "application/json",
        lyra_envelope("SUCCESS", transaction),
    )
    .await;
    let error = lyra_client(&server.uri)
        .transaction_get(&get)
        .await
        .expect_err("decode");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert_error_clean("Lyra decode error", &error, RECOGNISABLE);

    // A number where the card number is expected as text: the decoder's message quotes it.
    let mut transaction = lyra_transaction();
    transaction["transactionDetails"]["cardDetails"]["pan"] = json!(4_970_101_234_567_893_u64);
    let server = answer(
        200,
        "application/json",
        lyra_envelope("SUCCESS", transaction),
    )
    .await;
    let error = lyra_client(&server.uri)
        .transaction_get(&get)
        .await
        .expect_err("decode");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert_error_clean("Lyra decode error on the pan", &error, RECOGNISABLE);

    // 500 whose body echoes the canaries (retried, then reported).
    let server = answer(500, "text/plain", echo()).await;
    let error = lyra_client(&server.uri)
        .transaction_get(&get)
        .await
        .expect_err("500");
    assert_eq!(error.http_status(), Some(500), "{error:?}");
    assert_error_clean("Lyra 500", &error, RECOGNISABLE);

    // Outcome unknown: a never call answered 502 with the canaries.
    let server = answer(502, "text/html", format!("<pre>{}</pre>", echo())).await;
    let error = lyra_client(&server.uri)
        .transaction_duplicate(&duplicate)
        .await
        .expect_err("502");
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_error_clean("Lyra outcome unknown (502)", &error, RECOGNISABLE);

    // Outcome unknown: a reset, and a timeout.
    let server = FaultServer::start(Behaviour::ResetBeforeResponse).await;
    let error = lyra_client(&server.uri)
        .transaction_duplicate(&duplicate)
        .await
        .expect_err("reset");
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_error_clean("Lyra outcome unknown (reset)", &error, ALL);
    let server = FaultServer::start(Behaviour::SlowHeaders(Duration::from_secs(5))).await;
    let error = lyra_client(&server.uri)
        .transaction_duplicate(&duplicate)
        .await
        .expect_err("timeout");
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_error_clean("Lyra outcome unknown (timeout)", &error, ALL);
    assert_sent(&server, &[UUID, "order-1"]);

    assert_logs_clean("Transaction/Duplicate");
}

#[tokio::test]
async fn paysafe_success_keeps_the_token_out_of_debug_and_logs() {
    capture();
    let server = answer(200, "application/json", paysafe_order().to_string()).await;
    let client = paysafe_client(&server.uri);
    let request = paysafe::OrdersRebillWithProfileRequest::new(
        "REBILL-1",
        paysafe::Currency::Eur,
        1000,
        paysafe::OrdersRebillWithProfileProfile::new("profile-1", PAYMENT_TOKEN),
    );
    let order = client
        .orders_rebill_with_profile(&request)
        .await
        .expect("order");
    assert_sent(&server, &[PAYMENT_TOKEN]);

    let profile = order.profile.as_ref().expect("profile");
    assert_eq!(profile.payment_token.as_deref(), Some(PAYMENT_TOKEN));
    let links = order.link.as_ref().expect("links");
    assert!(
        links[0]
            .uri
            .as_deref()
            .is_some_and(|u| u.contains(PASSWORD))
    );
    let debug = format!("{order:?}");
    assert!(debug.contains("27HBQSY9R5EGQSRA0A"), "{debug}");
    assert_clean("Debug of the decoded Order", &debug);
    assert_clean(
        "Debug of the decoded Order (alternate)",
        &format!("{order:#?}"),
    );
    assert_clean("Debug of the request", &format!("{request:?}"));
    assert_logs_clean("orders/rebillWithProfile");
}

#[tokio::test]
async fn paysafe_failures_keep_the_canaries_out_of_errors_and_logs() {
    capture();
    let rebill = paysafe::OrdersRebillWithProfileRequest::new(
        "REBILL-1",
        paysafe::Currency::Eur,
        1000,
        paysafe::OrdersRebillWithProfileProfile::new("profile-1", PAYMENT_TOKEN),
    );
    let get = paysafe::OrdersGetRequest::new("27HBQSY9R5EGQSRA0A");

    // API error: field errors and details echoing the canaries.
    let server = answer(
        400,
        "application/json",
        json!({
            "error": {
                "code": "5068",
                "message": echo(),
                "details": [echo(), { "token": PAYMENT_TOKEN }],
                "fieldErrors": [{ "field": "profile.paymentToken", "error": echo() }]
            }
        })
        .to_string(),
    )
    .await;
    let error = paysafe_client(&server.uri)
        .orders_rebill_with_profile(&rebill)
        .await
        .expect_err("400");
    assert_eq!(
        error.api_code(),
        Some(&paysafe::ErrorCode::V5068),
        "{error:?}"
    );
    assert_error_clean("Paysafe API error", &error, RECOGNISABLE);

    // 401 echoing the credentials.
    let server = answer(
        401,
        "application/json",
        json!({ "error": { "code": "5279", "message": echo() } }).to_string(),
    )
    .await;
    let error = paysafe_client(&server.uri)
        .orders_get(&get)
        .await
        .expect_err("401");
    assert_eq!(error.http_status(), Some(401), "{error:?}");
    assert_error_clean("Paysafe 401", &error, RECOGNISABLE);

    // Decode error: the token and the credentials in the answer, a wrongly typed field.
    let mut order = paysafe_order();
    order["totalAmount"] = json!({ "not": PAYMENT_TOKEN });
    let server = answer(200, "application/json", order.to_string()).await;
    let error = paysafe_client(&server.uri)
        .orders_get(&get)
        .await
        .expect_err("decode");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert_error_clean("Paysafe decode error", &error, RECOGNISABLE);

    // 500 whose body echoes the canaries.
    let server = answer(500, "text/plain", echo()).await;
    let error = paysafe_client(&server.uri)
        .orders_get(&get)
        .await
        .expect_err("500");
    assert_eq!(error.http_status(), Some(500), "{error:?}");
    assert_error_clean("Paysafe 500", &error, RECOGNISABLE);

    // Outcome unknown: a never call answered 503, then an undecodable success.
    let server = answer(
        503,
        "application/json",
        json!({ "error": { "code": "1000", "message": echo() } }).to_string(),
    )
    .await;
    let error = paysafe_client(&server.uri)
        .orders_rebill_with_profile(&rebill)
        .await
        .expect_err("503");
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_error_clean("Paysafe outcome unknown (503)", &error, RECOGNISABLE);
    assert_sent(&server, &[PAYMENT_TOKEN]);

    let mut order = paysafe_order();
    order["link"] = json!(echo());
    let server = answer(200, "application/json", order.to_string()).await;
    let error = paysafe_client(&server.uri)
        .orders_rebill_with_profile(&rebill)
        .await
        .expect_err("decode");
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_error_clean("Paysafe outcome unknown (decode)", &error, RECOGNISABLE);

    // The request carried the token: failures that do not echo it never show it.
    let server = answer(500, "text/plain", "Internal Server Error".to_owned()).await;
    let error = paysafe_client(&server.uri)
        .orders_rebill_with_profile(&rebill)
        .await
        .expect_err("500");
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_error_clean("Paysafe outcome unknown (500)", &error, ALL);
    let server = FaultServer::start(Behaviour::ResetMidBody).await;
    let error = paysafe_client(&server.uri)
        .orders_rebill_with_profile(&rebill)
        .await
        .expect_err("reset");
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_error_clean("Paysafe outcome unknown (reset)", &error, ALL);
    let server = FaultServer::start(Behaviour::SlowHeaders(Duration::from_secs(5))).await;
    let error = paysafe_client(&server.uri)
        .orders_rebill_with_profile(&rebill)
        .await
        .expect_err("timeout");
    assert!(error.is_outcome_unknown(), "{error:?}");
    assert_error_clean("Paysafe outcome unknown (timeout)", &error, ALL);
    assert_sent(&server, &[PAYMENT_TOKEN]);

    assert_logs_clean("orders/rebillWithProfile");
}

// --- values in the URL ---------------------------------------------------------------------

/// The servers every URL test runs against, with what each call is expected to return.
enum Fault {
    Success,
    ApiError,
    Refused,
    Reset,
    Timeout,
}

const FAULTS: [Fault; 5] = [
    Fault::Success,
    Fault::ApiError,
    Fault::Refused,
    Fault::Reset,
    Fault::Timeout,
];

impl Fault {
    fn label(&self) -> &'static str {
        match self {
            Fault::Success => "success",
            Fault::ApiError => "API error",
            Fault::Refused => "connection refused",
            Fault::Reset => "connection reset",
            Fault::Timeout => "timeout",
        }
    }

    /// A server (none for a refused connection) and its base URL.
    async fn server(&self, success: Value) -> (Option<FaultServer>, String) {
        let server = match self {
            Fault::Success => answer(200, "application/json", success.to_string()).await,
            Fault::ApiError => {
                answer(
                    404,
                    "application/json",
                    json!({ "error": { "code": "5269", "message": "not found" } }).to_string(),
                )
                .await
            }
            Fault::Refused => return (None, refused_uri().await),
            Fault::Reset => FaultServer::start(Behaviour::ResetBeforeResponse).await,
            Fault::Timeout => {
                FaultServer::start(Behaviour::SlowHeaders(Duration::from_secs(5))).await
            }
        };
        let uri = server.uri.clone();
        (Some(server), uri)
    }

    /// Checks the result of a call against this fault, and that no error shows a canary.
    fn check<T, C: fmt::Debug + fmt::Display>(
        &self,
        label: &str,
        retry: RetrySafety,
        result: Result<T, Error<C>>,
    ) {
        let label = format!("{label}, {}", self.label());
        let error = match (self, result) {
            (Fault::Success, Ok(_)) => return,
            (Fault::Success, Err(error)) => panic!("{label}: {error:?}"),
            (_, Ok(_)) => panic!("{label}: unexpected success"),
            (_, Err(error)) => error,
        };
        let expected = match (self, retry) {
            (Fault::ApiError, _) => error.http_status() == Some(404),
            (Fault::Refused, _) => matches!(error, Error::Transport { .. }),
            (Fault::Reset | Fault::Timeout, RetrySafety::Never) => error.is_outcome_unknown(),
            (Fault::Reset, _) => matches!(error, Error::Transport { .. }),
            (Fault::Timeout, _) => matches!(error, Error::Timeout { .. }),
            (Fault::Success, _) => false,
        };
        assert!(expected, "{label}: {error:?}");
        assert_error_clean(&label, &error, ALL);
    }
}

/// The server read a request whose first line holds these texts.
fn assert_request_line(server: Option<&FaultServer>, needles: &[&str]) {
    let Some(server) = server else { return };
    let requests = server.requests();
    let first = requests.first().expect("a request reached the server");
    let text = String::from_utf8_lossy(first);
    let line = text.lines().next().unwrap_or_default();
    for needle in needles {
        assert!(line.contains(needle), "`{needle}` was not sent:\n{text}");
    }
}

#[tokio::test]
async fn paysafe_path_and_query_values_stay_out_of_errors_and_logs() {
    capture();
    for fault in FAULTS {
        // A path parameter, on an operation that is retried and on one sent at most once.
        let (server, uri) = fault.server(paysafe_order()).await;
        let result = paysafe_client(&uri)
            .orders_get(&paysafe::OrdersGetRequest::new(PATH_SECRET))
            .await;
        fault.check("Paysafe path parameter", RetrySafety::Safe, result);
        assert_request_line(server.as_ref(), &[PATH_SECRET]);

        let (server, uri) = fault.server(paysafe_order()).await;
        let result = paysafe_client(&uri)
            .orders_cancel(&paysafe::OrdersCancelRequest::new(PATH_SECRET))
            .await;
        fault.check("Paysafe path parameter (never)", RetrySafety::Never, result);
        assert_request_line(server.as_ref(), &[PATH_SECRET]);

        // A query parameter.
        let report = json!({ "records": [], "count": 0 });
        let (server, uri) = fault.server(report).await;
        let result = paysafe_client(&uri)
            .orders_report(&paysafe::OrdersReportRequest::new().num(QUERY_NUMBER))
            .await;
        fault.check("Paysafe query parameter", RetrySafety::Safe, result);
        assert_request_line(server.as_ref(), &[QUERY_NUMBER_TEXT]);
    }
    assert_logs_clean("orders/get");
    assert_logs_clean("orders/report");
}

/// Text values in the path and the query, through the runtime directly: the specs only have
/// integer query parameters.
#[tokio::test]
async fn runtime_path_and_query_values_stay_out_of_errors_and_logs() {
    capture();
    let call = |retry| {
        let method = match retry {
            RetrySafety::Never => "POST",
            _ => "GET",
        };
        Call::new(
            "canary/things",
            method.parse().expect("a method"),
            format!("/things/{PATH_SECRET}"),
            retry,
        )
        .with_path_template("/things/{thing_id}")
        .with_query("token", QUERY_SECRET)
    };
    for fault in FAULTS {
        for retry in [RetrySafety::Safe, RetrySafety::Never] {
            let (server, uri) = fault.server(json!({ "id": "thing" })).await;
            let core = Core::new(config(&uri), Protocol::Rest).expect("core");
            assert_clean("Debug of the core", &format!("{core:?}"));
            let result = core
                .execute::<_, Value, String>(call(retry), Some(&json!({ "a": 1 })))
                .await;
            fault.check("runtime call", retry, result);
            assert_request_line(server.as_ref(), &[PATH_SECRET, QUERY_SECRET]);
        }
    }
    // A path the runtime refuses before sending names the template, not the path.
    let core = Core::new(config("http://127.0.0.1:9"), Protocol::Rest).expect("core");
    let refused = Call::new(
        "canary/things",
        "GET".parse().expect("a method"),
        format!("/things/{PATH_SECRET}/.."),
        RetrySafety::Safe,
    )
    .with_path_template("/things/{thing_id}/{action}");
    let error = core
        .execute::<(), Value, String>(refused, None)
        .await
        .expect_err("a refused path");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(
        error.to_string().contains("/things/{thing_id}/{action}"),
        "{error}"
    );
    assert_error_clean("refused path", &error, ALL);
    assert_logs_clean("canary/things");
    // The span names the template instead.
    let logs = logs();
    assert!(logs.contains("path_template=/things/{thing_id}"), "{logs}");
}

// --- authentication schemes ----------------------------------------------------------------

const BEARER_TOKEN: &str = "CanaryBearerToken8c1fQz";
const API_KEY: &str = "CanaryApiKey8c1fQz";
/// A secret key used as the Basic user name (long enough to be taken for a key).
const KEY_USER: &str = "sk_live_CanaryKeyUser8c1fQz";
/// base64("sk_live_CanaryKeyUser8c1fQz:testpassword_CANARY_PW_8c1f"), computed independently.
const KEY_USER_BASIC: &str =
    "c2tfbGl2ZV9DYW5hcnlLZXlVc2VyOGMxZlF6OnRlc3RwYXNzd29yZF9DQU5BUllfUFdfOGMxZg==";
const CLIENT_SECRET: &str = "CanaryClientSecret8c1fQz";
const ACCESS_TOKEN: &str = "CanaryAccessToken8c1fQz";
/// Every secret of an authentication scheme.
const AUTH_CANARIES: &[&str] = &[
    PASSWORD,
    BEARER_TOKEN,
    API_KEY,
    KEY_USER,
    KEY_USER_BASIC,
    CLIENT_SECRET,
    ACCESS_TOKEN,
];

const AUTH_PROFILE: payspec::runtime::ApiProfile = payspec::runtime::ApiProfile {
    protocol: Protocol::Rest,
    sensitive_fields: &[],
    retry_codes: &[],
    headers: &[],
    idempotency: None,
};

/// A text that repeats every secret of every scheme, as a server might echo them.
fn auth_echo() -> String {
    format!(
        "{{\"error\":{{\"code\":\"E\",\"message\":\"bad {BEARER_TOKEN} {API_KEY} {KEY_USER} \
         {CLIENT_SECRET} Bearer {ACCESS_TOKEN} Basic {KEY_USER_BASIC} api_key={API_KEY}\"}}}}"
    )
}

#[tokio::test]
async fn every_auth_scheme_keeps_its_secrets_out_of_debug_errors_and_logs() {
    use payspec::runtime::{AuthScheme, ClientAuth, KeyLocation};
    capture();
    let token = json!({"access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 3600});
    let token_server = answer(200, "application/json", token.to_string()).await;
    let header_schemes: &'static [AuthScheme] = &[
        AuthScheme::Basic,
        AuthScheme::Bearer,
        AuthScheme::ApiKey {
            location: KeyLocation::Header,
            name: "X-Api-Key",
            prefix: "Key ",
        },
        AuthScheme::OAuth2ClientCredentials {
            token_url: "https://auth.example.com/token",
            scopes: &["payments"],
            client_auth: ClientAuth::Basic,
        },
    ];
    let query_schemes: &'static [AuthScheme] = &[AuthScheme::ApiKey {
        location: KeyLocation::Query,
        name: "api_key",
        prefix: "",
    }];
    let body_oauth: &'static [AuthScheme] = &[AuthScheme::OAuth2ClientCredentials {
        token_url: "https://auth.example.com/token",
        scopes: &[],
        client_auth: ClientAuth::Body,
    }];
    // Each client can recognise its own secrets (and the tokens it obtains) in what a server
    // echoes; the secrets of other schemes are only other text to it.
    type Case = (
        &'static str,
        &'static [AuthScheme],
        Credentials,
        String,
        &'static [&'static str],
    );
    let cases: Vec<Case> = vec![
        (
            "basic with a key as user name",
            header_schemes,
            Credentials::basic(KEY_USER, PASSWORD),
            format!("Basic {KEY_USER_BASIC}"),
            &[KEY_USER, PASSWORD, KEY_USER_BASIC],
        ),
        (
            "bearer",
            header_schemes,
            Credentials::bearer(BEARER_TOKEN),
            format!("Bearer {BEARER_TOKEN}"),
            &[BEARER_TOKEN],
        ),
        (
            "api key in a header",
            header_schemes,
            Credentials::api_key(API_KEY),
            format!("Key {API_KEY}"),
            &[API_KEY],
        ),
        (
            "api key in the query",
            query_schemes,
            Credentials::api_key(API_KEY),
            format!("api_key={API_KEY}"),
            &[API_KEY],
        ),
        (
            "oauth2, secret as Basic",
            header_schemes,
            Credentials::oauth2_client_credentials("canary-client", CLIENT_SECRET),
            format!("Bearer {ACCESS_TOKEN}"),
            &[CLIENT_SECRET, ACCESS_TOKEN],
        ),
        (
            "oauth2, secret in the body",
            body_oauth,
            Credentials::oauth2_client_credentials("canary-client", CLIENT_SECRET),
            format!("Bearer {ACCESS_TOKEN}"),
            &[CLIENT_SECRET, ACCESS_TOKEN],
        ),
    ];
    for (label, schemes, credentials, sent, own) in cases {
        assert_clean_of(label, &format!("{credentials:?}"), AUTH_CANARIES);
        for status in [401, 500] {
            let server = answer(status, "application/json", auth_echo()).await;
            let config = ClientConfig::new(server.uri.clone(), credentials.clone())
                .token_url(format!("{}/token", token_server.uri))
                .timeout(Duration::from_secs(2))
                .retry_policy(RetryPolicy::default().max_attempts(1));
            assert_clean_of(label, &format!("{config:?}"), AUTH_CANARIES);
            let core = Core::for_api_with_auth(config, AUTH_PROFILE, schemes).expect("core");
            let error = core
                .execute::<(), Value, String>(
                    Call::new(
                        "canary/auth",
                        "GET".parse().expect("a method"),
                        "/things",
                        RetrySafety::Safe,
                    ),
                    None,
                )
                .await
                .expect_err("an error answer");
            assert_eq!(error.http_status(), Some(status), "{label}: {error:?}");
            assert_error_clean(label, &error, own);
            assert_clean_of(label, &format!("{core:?}"), AUTH_CANARIES);
            // The secret was really used.
            let requests = server.requests();
            let first = String::from_utf8_lossy(requests.first().expect("a request"));
            assert!(
                first.contains(&sent),
                "{label}: `{sent}` not sent:\n{first}"
            );
        }
    }
    // A token endpoint that fails and echoes what it got.
    let failing = answer(401, "application/json", auth_echo()).await;
    let core = Core::for_api_with_auth(
        ClientConfig::new(
            "http://127.0.0.1:9",
            Credentials::oauth2_client_credentials("canary-client", CLIENT_SECRET),
        )
        .token_url(format!("{}/token", failing.uri)),
        AUTH_PROFILE,
        body_oauth,
    )
    .expect("core");
    let error = core
        .execute::<(), Value, String>(
            Call::new(
                "canary/auth",
                "GET".parse().expect("a method"),
                "/things",
                RetrySafety::Safe,
            ),
            None,
        )
        .await
        .expect_err("no token");
    assert!(matches!(error, Error::Token { .. }), "{error:?}");
    assert_error_clean("token endpoint failure", &error, &[CLIENT_SECRET]);
    // An API key in the query, and a connection refused: reqwest's error names the URL.
    let core = Core::for_api_with_auth(
        ClientConfig::new(refused_uri().await, Credentials::api_key(API_KEY))
            .retry_policy(RetryPolicy::default().max_attempts(1)),
        AUTH_PROFILE,
        query_schemes,
    )
    .expect("core");
    let error = core
        .execute::<(), Value, String>(
            Call::new(
                "canary/auth",
                "GET".parse().expect("a method"),
                "/things",
                RetrySafety::Safe,
            ),
            None,
        )
        .await
        .expect_err("refused");
    assert_error_clean("refused connection", &error, &[API_KEY]);
    let logs = logs();
    assert!(logs.contains("canary/auth"), "{logs}");
    assert!(logs.contains("payspec access token obtained"), "{logs}");
    assert_clean_of("the captured logs", &logs, AUTH_CANARIES);
}
