//! `payspec-bench sandbox`: what the testing kit costs a test suite. How long
//! `Sandbox::start` takes, and the requests per second of a generated client against the
//! sandbox beside the same client against the fixed-answer server of [`crate::server`] — the
//! price of routing, authentication, validation and records over a server that only replays
//! bytes. And a stateful flow (create → read → refund) per second, as a user's test runs it.

use std::hint::black_box;
use std::time::Instant;

use serde_json::{Value, json};

use crate::{ORDER_ID, PASSWORD, SHOP, median, number, read_fixture, server};

const USAGE: &str = "usage: payspec-bench sandbox --paysafe-fixture FILE [--starts N] \
    [--requests N] [--rounds N] [--warmup N]";

pub fn sandbox(args: &[String]) -> Result<Value, String> {
    let order = read_fixture(args, "--paysafe-fixture").map_err(|e| format!("{e}\n{USAGE}"))?;
    let order: Value =
        serde_json::from_slice(&order).map_err(|e| format!("paysafe fixture: {e}"))?;
    let starts = number(args, "--starts", 50)?;
    let requests = number(args, "--requests", 500)?;
    let rounds = number(args, "--rounds", 5)?;
    let warmup = number(args, "--warmup", 100)?;

    // The fixed-answer server on its own thread, as in the client bench.
    let body = serde_json::to_vec(&order).map_err(|e| e.to_string())?;
    let order_path = format!("/hosted/v1/orders/{ORDER_ID}");
    let fixed = server::start(vec![("GET", &order_path, body)])?;

    // The sandbox on its own thread and current-thread runtime too, so that both servers
    // share nothing with the client's runtime and the ratio is of the servers' work alone.
    let (send, receive) = std::sync::mpsc::channel();
    let seeded = order.clone();
    std::thread::Builder::new()
        .name("sandbox".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = send.send(Err(format!("sandbox runtime: {e}")));
                    return;
                }
            };
            runtime.block_on(async move {
                let sandbox = payspec::paysafe::sandbox::Sandbox::start().await;
                sandbox.insert("order", ORDER_ID, seeded);
                let _ = send.send(Ok(sandbox.config()));
                // Serve until the process exits.
                std::future::pending::<()>().await;
                drop(sandbox);
            });
        })
        .map_err(|e| format!("sandbox thread: {e}"))?;
    let sandbox_config = receive
        .recv()
        .map_err(|e| format!("sandbox thread: {e}"))??;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("client runtime: {e}"))?;
    runtime.block_on(async move {
        // Start time: a new sandbox each time, as each test starts its own.
        let mut start_us = Vec::with_capacity(starts);
        for _ in 0..starts {
            let start = Instant::now();
            let sandbox = payspec::paysafe::sandbox::Sandbox::start().await;
            start_us.push(start.elapsed().as_secs_f64() * 1e6);
            drop(black_box(sandbox));
        }

        let on_sandbox = payspec::paysafe::Client::with_config(sandbox_config)
            .map_err(|e| format!("sandbox client: {e}"))?;
        let on_fixed = payspec::paysafe::Client::with_config(payspec::ClientConfig::new(
            format!("http://{fixed}"),
            payspec::Credentials::basic(SHOP, PASSWORD),
        ))
        .map_err(|e| format!("fixed-server client: {e}"))?;
        let get = payspec::paysafe::OrdersGetRequest::new(ORDER_ID);
        let clients = [&on_sandbox, &on_fixed];
        for client in clients {
            for _ in 0..warmup {
                black_box(client.orders_get(&get).await.map_err(|e| e.to_string())?);
            }
        }
        // orders/get on the sandbox, on the fixed server; then create → get → refund flows
        // on a sandbox of the test's own runtime, as a user's test runs them.
        let mut results: [Vec<f64>; 3] = Default::default();
        let flow_sandbox = payspec::paysafe::sandbox::Sandbox::start().await;
        let flow_client = flow_sandbox.client();
        for round in 0..rounds {
            for k in 0..results.len() {
                let index = (k + round) % results.len();
                let start = Instant::now();
                let calls = if index == 2 { requests / 3 } else { requests };
                for n in 0..calls {
                    match index {
                        0 | 1 => {
                            let answer = clients[index].orders_get(&get).await;
                            black_box(answer.map_err(|e| e.to_string())?);
                        }
                        _ => flow(&flow_client, round * requests + n).await?,
                    }
                }
                results[index].push(calls as f64 / start.elapsed().as_secs_f64());
            }
        }
        let [sandbox_rps, fixed_rps, flows] = results;
        Ok(json!({
            "starts": starts,
            "requests": requests,
            "rounds": rounds,
            "warmup": warmup,
            "start_us": start_us,
            "orders_get_requests_per_second": { "sandbox": sandbox_rps, "fixed_server": fixed_rps },
            "flows_per_second": flows,
            "medians": {
                "start_us": median(&start_us),
                "orders_get_requests_per_second": { "sandbox": median(&sandbox_rps), "fixed_server": median(&fixed_rps) },
                "flows_per_second": median(&flows),
            },
        }))
    })
}

/// One create → read → refund flow on the sandbox, each answer checked.
async fn flow(client: &payspec::paysafe::Client, n: usize) -> Result<(), String> {
    let reference = format!("BENCH-{n}");
    let order = client
        .orders_process(&payspec::paysafe::OrdersProcessRequest::new(
            reference.as_str(),
            payspec::paysafe::Currency::Eur,
            1000,
        ))
        .await
        .map_err(|e| format!("create: {e}"))?;
    let id = order.id.ok_or("create: no id in the answer")?;
    let read = client
        .orders_get(&payspec::paysafe::OrdersGetRequest::new(id.as_str()))
        .await
        .map_err(|e| format!("read: {e}"))?;
    if read.merchant_ref_num.as_deref() != Some(reference.as_str()) {
        return Err(format!("read: not the order created ({reference})"));
    }
    client
        .orders_refund(&payspec::paysafe::OrdersRefundRequest::new(id.as_str()).amount(400))
        .await
        .map_err(|e| format!("refund: {e}"))?;
    Ok(())
}
