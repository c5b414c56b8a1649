//! `payspec-bench`: the client-overhead and JSON benchmarks of the produced crate. `cargo
//! xtask bench` builds it in release, runs it and reads the one JSON object it prints.
//!
//! - `client`: requests per second of generated calls against a loopback server, beside the
//!   same requests made with raw reqwest (one shared `reqwest::Client`): one call at a time,
//!   then `--concurrency` calls in flight at once (tokio tasks sharing the client), with the
//!   99th percentile of the calls' latencies.
//! - `json`: encode and decode throughput of the Lyra `Transaction` type, beside a
//!   hand-written serde struct of the same shape ([`handwritten`]).
//! - `sandbox`: the testing kit's start time and requests per second ([`sandbox`]).

mod handwritten;
mod sandbox;
mod server;

use std::hint::black_box;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, USER_AGENT};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

const USAGE: &str = "usage: payspec-bench client --lyra-fixture FILE --paysafe-fixture FILE \
    [--requests N] [--rounds N] [--warmup N] [--concurrency N] [--concurrent-requests N]
    [--only VARIANT]   (one variant, no concurrent calls: for a profiler)
       payspec-bench json --fixture FILE [--rounds N] [--millis N]
       payspec-bench sandbox --paysafe-fixture FILE [--starts N] [--requests N] [--rounds N]";

const SHOP: &str = "69876357";
const PASSWORD: &str = "testpassword_bench";
const UUID: &str = "5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5e";
const ORDER_ID: &str = "27HBQSY9R5EGQSRA0A";
const AGENT: &str = "payspec-bench";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        Some((command, rest)) if command == "client" => client(rest),
        Some((command, rest)) if command == "json" => json_bench(rest),
        Some((command, rest)) if command == "sandbox" => sandbox::sandbox(rest),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(value) => {
            println!("{value}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            println!("{}", json!({ "error": error }));
            ExitCode::FAILURE
        }
    }
}

fn option<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.windows(2)
        .find(|w| w[0] == name)
        .map(|w| w[1].as_str())
}

fn number(args: &[String], name: &str, default: usize) -> Result<usize, String> {
    match option(args, name) {
        None => Ok(default),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{name} needs a positive number")),
    }
}

fn read_fixture(args: &[String], name: &str) -> Result<Vec<u8>, String> {
    let path = option(args, name).ok_or_else(|| format!("{name} is required\n{USAGE}"))?;
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if (n / 2) * 2 == n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        n => sorted[n / 2],
    }
}

// ------------------------------------------------------------------------- client overhead

/// Calls a variant makes in one turn of a sequential round.
const SLICE: usize = 50;

/// The body of `Transaction/Get`, as the raw variants send it.
#[derive(Serialize)]
struct TransactionGetBody<'a> {
    uuid: &'a str,
}

/// The Lyra envelope around an answer of type `T`; other envelope fields are ignored.
#[derive(Deserialize)]
struct Envelope<T> {
    status: String,
    answer: T,
}

/// Everything one variant needs: the shared HTTP client, the base URLs, the typed clients.
struct Clients {
    http: reqwest::Client,
    lyra_base: String,
    paysafe_base: String,
    lyra: payspec::lyra::Client,
    paysafe: payspec::paysafe::Client,
    lyra_request: payspec::lyra::TransactionGetRequest,
    paysafe_request: payspec::paysafe::OrdersGetRequest,
}

#[derive(Debug, Clone, Copy)]
enum Variant {
    LyraGenerated,
    LyraRawSameType,
    LyraRawHandwritten,
    PaysafeGenerated,
    PaysafeRawSameType,
}

impl Variant {
    const ALL: [Variant; 5] = [
        Variant::LyraGenerated,
        Variant::LyraRawSameType,
        Variant::LyraRawHandwritten,
        Variant::PaysafeGenerated,
        Variant::PaysafeRawSameType,
    ];

    fn key(self) -> &'static str {
        match self {
            Variant::LyraGenerated => "lyra_generated",
            Variant::LyraRawSameType => "lyra_raw_same_type",
            Variant::LyraRawHandwritten => "lyra_raw_handwritten",
            Variant::PaysafeGenerated => "paysafe_generated",
            Variant::PaysafeRawSameType => "paysafe_raw_same_type",
        }
    }
}

impl Clients {
    fn lyra_raw(&self) -> reqwest::RequestBuilder {
        let body = serde_json::to_vec(&TransactionGetBody { uuid: UUID }).unwrap_or_default();
        self.http
            .post(format!("{}/V4/Transaction/Get", self.lyra_base))
            .basic_auth(SHOP, Some(PASSWORD))
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, HeaderValue::from_static(AGENT))
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body)
    }

    fn paysafe_raw(&self) -> reqwest::RequestBuilder {
        self.http
            .get(format!("{}/hosted/v1/orders/{ORDER_ID}", self.paysafe_base))
            .basic_auth(SHOP, Some(PASSWORD))
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, HeaderValue::from_static(AGENT))
    }

    /// One request of `variant`, its answer decoded and checked.
    async fn once(&self, variant: Variant) -> Result<(), String> {
        match variant {
            Variant::LyraGenerated => {
                let answer = self
                    .lyra
                    .transaction_get(&self.lyra_request)
                    .await
                    .map_err(|e| e.to_string())?;
                black_box(answer);
            }
            Variant::LyraRawSameType => {
                let bytes = send(self.lyra_raw()).await?;
                let envelope: Envelope<payspec::lyra::Transaction> =
                    serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
                if envelope.status != "SUCCESS" {
                    return Err(format!("status {}", envelope.status));
                }
                black_box(envelope.answer);
            }
            Variant::LyraRawHandwritten => {
                let bytes = send(self.lyra_raw()).await?;
                let envelope: Envelope<handwritten::Transaction> =
                    serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
                if envelope.status != "SUCCESS" {
                    return Err(format!("status {}", envelope.status));
                }
                black_box(envelope.answer);
            }
            Variant::PaysafeGenerated => {
                let answer = self
                    .paysafe
                    .orders_get(&self.paysafe_request)
                    .await
                    .map_err(|e| e.to_string())?;
                black_box(answer);
            }
            Variant::PaysafeRawSameType => {
                let bytes = send(self.paysafe_raw()).await?;
                let order: payspec::paysafe::Order =
                    serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
                black_box(order);
            }
        }
        Ok(())
    }
}

/// Sends a raw request and reads the whole answer of a successful status.
async fn send(
    request: reqwest::RequestBuilder,
) -> Result<impl std::ops::Deref<Target = [u8]>, String> {
    let response = request.send().await.map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status()));
    }
    response.bytes().await.map_err(|e| e.to_string())
}

fn client(args: &[String]) -> Result<Value, String> {
    let transaction: Value = serde_json::from_slice(&read_fixture(args, "--lyra-fixture")?)
        .map_err(|e| format!("lyra fixture: {e}"))?;
    let order: Value = serde_json::from_slice(&read_fixture(args, "--paysafe-fixture")?)
        .map_err(|e| format!("paysafe fixture: {e}"))?;
    let requests = number(args, "--requests", 2000)?;
    let rounds = number(args, "--rounds", 5)?;
    let warmup = number(args, "--warmup", 200)?;
    let concurrency = number(args, "--concurrency", 100)?;
    let concurrent_requests = number(args, "--concurrent-requests", 2000)?;
    let only = match option(args, "--only") {
        None => None,
        Some(key) => Some(
            Variant::ALL
                .into_iter()
                .find(|v| v.key() == key)
                .ok_or_else(|| format!("--only: no variant {key}"))?,
        ),
    };
    let measured: Vec<Variant> = Variant::ALL
        .into_iter()
        .filter(|v| only.is_none_or(|o| o.key() == v.key()))
        .collect();

    let envelope = json!({
        "webService": "Transaction/Get",
        "version": "V4",
        "applicationVersion": "6.5.0",
        "status": "SUCCESS",
        "answer": transaction,
        "ticket": null,
        "serverDate": "2026-11-22T10:15:31+00:00",
        "applicationProvider": "EPAYNC",
        "metadata": null,
        "mode": "TEST",
        "_type": "V4/WebService/Response",
    });
    let lyra_body = serde_json::to_vec(&envelope).map_err(|e| e.to_string())?;
    let paysafe_body = serde_json::to_vec(&order).map_err(|e| e.to_string())?;
    let (lyra_bytes, paysafe_bytes) = (lyra_body.len(), paysafe_body.len());
    let order_path = format!("/hosted/v1/orders/{ORDER_ID}");
    let address = server::start(vec![
        ("POST", "/api-payment/V4/Transaction/Get", lyra_body),
        ("GET", &order_path, paysafe_body),
    ])?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("client runtime: {e}"))?;
    runtime.block_on(async move {
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
        // One client for every variant: HTTP/1.1 keep-alive, no proxy, no redirects.
        let http = reqwest::Client::builder()
            .http1_only()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .tls_backend_preconfigured(tls)
            .build()
            .map_err(|e| format!("reqwest client: {e}"))?;
        let lyra_base = format!("http://{address}/api-payment");
        let paysafe_base = format!("http://{address}");
        let config = |base: &str| {
            payspec::ClientConfig::new(base, payspec::Credentials::basic(SHOP, PASSWORD))
                .http_client(http.clone())
                .user_agent(AGENT)
        };
        let clients = Arc::new(Clients {
            lyra: payspec::lyra::Client::with_config(config(&lyra_base))
                .map_err(|e| e.to_string())?,
            paysafe: payspec::paysafe::Client::with_config(config(&paysafe_base))
                .map_err(|e| e.to_string())?,
            lyra_request: payspec::lyra::TransactionGetRequest::new(UUID),
            paysafe_request: payspec::paysafe::OrdersGetRequest::new(ORDER_ID),
            http,
            lyra_base,
            paysafe_base,
        });
        for &variant in &measured {
            for _ in 0..warmup {
                clients
                    .once(variant)
                    .await
                    .map_err(|e| format!("{}: {e}", variant.key()))?;
            }
        }
        let mut results: Vec<Vec<f64>> = vec![Vec::new(); measured.len()];
        for round in 0..rounds {
            // The variants take turns in slices of `SLICE` calls, so a change in the
            // machine's load during the round falls on all of them alike; the order rotates
            // each slice, so no variant always runs first.
            let mut spent = vec![Duration::ZERO; measured.len()];
            let mut done = 0;
            let mut turn = round;
            while done < requests {
                let calls = SLICE.min(requests - done);
                for k in 0..measured.len() {
                    let index = (k + turn) % measured.len();
                    let variant = measured[index];
                    let start = Instant::now();
                    for _ in 0..calls {
                        clients
                            .once(variant)
                            .await
                            .map_err(|e| format!("{}: {e}", variant.key()))?;
                    }
                    spent[index] += start.elapsed();
                }
                done += calls;
                turn += 1;
            }
            for (index, time) in spent.iter().enumerate() {
                results[index].push(requests as f64 / time.as_secs_f64());
            }
        }
        let mut variants = serde_json::Map::new();
        for (variant, rps) in measured.iter().zip(&results) {
            variants.insert(variant.key().into(), json!(rps));
        }
        let medians: serde_json::Map<String, Value> = measured
            .iter()
            .zip(&results)
            .map(|(v, rps)| (v.key().to_owned(), json!(median(rps))))
            .collect();
        let concurrent = match only {
            Some(_) => Value::Null,
            None => concurrent(&clients, concurrency, concurrent_requests, rounds).await?,
        };
        Ok(json!({
            "requests": requests,
            "rounds": rounds,
            "warmup": warmup,
            "variants": variants,
            "medians": medians,
            "concurrent": concurrent,
            "response_bytes": { "lyra": lyra_bytes, "paysafe": paysafe_bytes },
        }))
    })
}

// ------------------------------------------------------------------------- concurrent calls

/// The variants measured with many calls in flight: each generated client beside raw reqwest
/// decoding into the same type.
const CONCURRENT: [Variant; 4] = [
    Variant::LyraGenerated,
    Variant::LyraRawSameType,
    Variant::PaysafeGenerated,
    Variant::PaysafeRawSameType,
];

/// One round of `requests` calls of `variant`, made by `tasks` tokio tasks sharing the
/// client, each taking the next call as soon as its last one is answered. Returns the
/// requests per second of the round and every call's latency in milliseconds.
async fn concurrent_round(
    clients: &Arc<Clients>,
    variant: Variant,
    tasks: usize,
    requests: usize,
) -> Result<(f64, Vec<f64>), String> {
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let clients = Arc::clone(clients);
            let next = Arc::clone(&next);
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(requests / tasks + 1);
                while next.fetch_add(1, Ordering::Relaxed) < requests {
                    let call = Instant::now();
                    clients.once(variant).await?;
                    latencies.push(call.elapsed().as_secs_f64() * 1e3);
                }
                Ok::<_, String>(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(requests);
    for handle in handles {
        let task = handle
            .await
            .map_err(|e| format!("{}: a task failed: {e}", variant.key()))?;
        latencies.extend(task.map_err(|e| format!("{}: {e}", variant.key()))?);
    }
    let rps = requests as f64 / start.elapsed().as_secs_f64();
    Ok((rps, latencies))
}

/// The `q` quantile (0..=1) of `values`, by the nearest-rank method.
fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// `rounds` rounds of [`concurrent_round`] for each variant of [`CONCURRENT`], after one
/// unmeasured round each (which also opens the connections); variants in rotating order.
async fn concurrent(
    clients: &Arc<Clients>,
    tasks: usize,
    requests: usize,
    rounds: usize,
) -> Result<Value, String> {
    let requests = requests.max(tasks);
    for variant in CONCURRENT {
        concurrent_round(clients, variant, tasks, requests).await?;
    }
    let mut rps: Vec<Vec<f64>> = vec![Vec::new(); CONCURRENT.len()];
    let mut p99: Vec<Vec<f64>> = vec![Vec::new(); CONCURRENT.len()];
    for round in 0..rounds {
        for k in 0..CONCURRENT.len() {
            let index = (k + round) % CONCURRENT.len();
            let (r, latencies) =
                concurrent_round(clients, CONCURRENT[index], tasks, requests).await?;
            rps[index].push(r);
            p99[index].push(quantile(&latencies, 0.99));
        }
    }
    let mut variants = serde_json::Map::new();
    for (index, variant) in CONCURRENT.iter().enumerate() {
        variants.insert(
            variant.key().into(),
            json!({
                "requests_per_second": rps[index],
                "p99_ms": p99[index],
                "medians": { "requests_per_second": median(&rps[index]), "p99_ms": median(&p99[index]) },
            }),
        );
    }
    Ok(json!({
        "tasks": tasks,
        "requests_per_round": requests,
        "rounds": rounds,
        "variants": variants,
    }))
}

// ------------------------------------------------------------------------- JSON throughput

/// Runs `f` repeatedly for about `millis`; returns MB/s (10^6 bytes) given `bytes` per call.
fn throughput(millis: u64, bytes: usize, mut f: impl FnMut()) -> f64 {
    let budget = Duration::from_millis(millis);
    let start = Instant::now();
    let mut calls = 0u64;
    loop {
        f();
        calls += 1;
        let elapsed = start.elapsed();
        if elapsed >= budget {
            return (calls as f64 * bytes as f64) / elapsed.as_secs_f64() / 1e6;
        }
    }
}

fn json_bench(args: &[String]) -> Result<Value, String> {
    let fixture = read_fixture(args, "--fixture")?;
    let rounds = number(args, "--rounds", 5)?;
    let millis = number(args, "--millis", 300)? as u64;

    let generated: payspec::lyra::Transaction =
        serde_json::from_slice(&fixture).map_err(|e| format!("payspec decode: {e}"))?;
    let hand: handwritten::Transaction =
        serde_json::from_slice(&fixture).map_err(|e| format!("hand-written decode: {e}"))?;
    let generated_out = serde_json::to_vec(&generated).map_err(|e| e.to_string())?;
    let hand_out = serde_json::to_vec(&hand).map_err(|e| e.to_string())?;
    // The same shape: both encode to the same JSON value.
    let a: Value = serde_json::from_slice(&generated_out).map_err(|e| e.to_string())?;
    let b: Value = serde_json::from_slice(&hand_out).map_err(|e| e.to_string())?;
    let fixture_value: Value = serde_json::from_slice(&fixture).map_err(|e| e.to_string())?;
    // A hand-written struct that skips fields would decode less and flatter itself: the two
    // are compared only when they read and write the same JSON.
    if a != b {
        return Err(format!(
            "the hand-written struct and payspec::lyra::Transaction encode the fixture \
             differently ({} and {} bytes): bring bench/src/handwritten.rs up to the spec",
            hand_out.len(),
            generated_out.len()
        ));
    }
    // decode payspec, decode hand-written, encode payspec, encode hand-written.
    let mut results: [Vec<f64>; 4] = Default::default();
    for round in 0..rounds {
        // Rotate the order each round, so no measure always runs first.
        for k in 0..results.len() {
            let index = (k + round) % results.len();
            let mbps = match index {
                0 => throughput(millis, fixture.len(), || {
                    let t: Result<payspec::lyra::Transaction, _> =
                        serde_json::from_slice(black_box(&fixture));
                    drop(black_box(t));
                }),
                1 => throughput(millis, fixture.len(), || {
                    let t: Result<handwritten::Transaction, _> =
                        serde_json::from_slice(black_box(&fixture));
                    drop(black_box(t));
                }),
                2 => throughput(millis, generated_out.len(), || {
                    drop(black_box(serde_json::to_vec(black_box(&generated))));
                }),
                _ => throughput(millis, hand_out.len(), || {
                    drop(black_box(serde_json::to_vec(black_box(&hand))));
                }),
            };
            results[index].push(mbps);
        }
    }
    let [decode_ours, decode_hand, encode_ours, encode_hand] = results;
    Ok(json!({
        "fixture_bytes": fixture.len(),
        "encoded_bytes": { "payspec": generated_out.len(), "handwritten": hand_out.len() },
        "same_encoding": a == b,
        "payspec_encoding_equals_fixture": a == fixture_value,
        "rounds": rounds,
        "millis_per_measure": millis,
        "decode": { "payspec": decode_ours, "handwritten": decode_hand },
        "encode": { "payspec": encode_ours, "handwritten": encode_hand },
        "medians": {
            "decode": { "payspec": median(&decode_ours), "handwritten": median(&decode_hand) },
            "encode": { "payspec": median(&encode_ours), "handwritten": median(&encode_hand) },
        },
    }))
}
