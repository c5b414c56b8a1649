//! Runs the shop against Checkout.com's sandbox environment. Never run by the tests.
//!
//! `CKO_SECRET_KEY` (`sk_sbox_…`), `CKO_WEBHOOK_SECRET` (the signature key of the workflow's
//! webhook action) and optionally `SHOP_ADDR` (default `127.0.0.1:3000`).

use std::sync::Arc;

use payspec::checkout;
use payspec_example_shop::{Orders, Shop, router};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let client = checkout::Client::new(
        checkout::Environment::Sandbox,
        checkout::Credentials::bearer(env("CKO_SECRET_KEY")?),
    )?;
    let shop = Shop::new(client, &env("CKO_WEBHOOK_SECRET")?, Arc::new(Orders::new()))?;
    let addr = std::env::var("SHOP_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("shop listening on http://{addr}");
    axum::serve(listener, router(shop)).await?;
    Ok(())
}
