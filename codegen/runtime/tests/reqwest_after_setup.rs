//! The documented setup call makes `reqwest::Client::builder()` usable: a process of its own,
//! since the crypto provider is process-global.

#[test]
fn reqwest_builds_a_tls_client_after_the_setup_call() {
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_none(),
        "this test must run before anything installs a provider"
    );
    payspec_runtime::install_crypto_provider();
    let client = reqwest::Client::builder().build();
    assert!(client.is_ok(), "{client:?}");
    // Calling it again keeps the provider and does not panic.
    payspec_runtime::install_crypto_provider();
    assert!(rustls::crypto::CryptoProvider::get_default().is_some());
}
