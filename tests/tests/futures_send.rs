//! The futures of the generated operations are `Send` (a call can be spawned on a
//! multi-threaded runtime), though a method is a plain `fn` returning
//! `impl payspec::runtime::Pending<…>` whose type is the runtime's.

use payspec::runtime::Pending;

fn spawnable<T, E, F: Pending<T, E> + Send + 'static>(_: impl FnOnce() -> F) {}

#[test]
fn every_api_s_calls_can_be_spawned() {
    let lyra = payspec::lyra::Client::with_config(payspec::ClientConfig::new(
        "http://127.0.0.1:9",
        payspec::lyra::Credentials::basic("shop", "key"),
    ))
    .expect("a client");
    let paysafe = payspec::paysafe::Client::with_config(payspec::ClientConfig::new(
        "http://127.0.0.1:9",
        payspec::paysafe::Credentials::basic("user", "key"),
    ))
    .expect("a client");
    // Built, never polled: nothing is sent.
    spawnable(move || async move {
        let request = payspec::lyra::TransactionGetRequest::new("0123456789abcdef0123456789abcdef");
        lyra.transaction_get(&request).await?;
        lyra.transaction_get_with_response(&request)
            .await
            .map(|_| ())
    });
    spawnable(move || async move {
        let request = payspec::paysafe::OrdersGetRequest::new("order-1");
        paysafe.orders_get(&request).await.map(|_| ())
    });
}
