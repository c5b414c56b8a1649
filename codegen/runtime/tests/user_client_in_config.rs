//! The way the docs used to suggest, `ClientConfig::new(…).http_client(reqwest::Client::new())`,
//! works in a fresh process (no payspec client built first): `ClientConfig::new` installs the
//! crypto provider before the argument is built. A process of its own, since the provider is
//! process-global.

use payspec_runtime::{ClientConfig, Core, Credentials, Protocol};

#[test]
fn a_plain_reqwest_client_given_to_the_config_does_not_panic() {
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_none(),
        "this test must run before anything installs a provider"
    );
    let config = ClientConfig::new("https://api.example.com", Credentials::basic("u", "pw-1"))
        .http_client(reqwest::Client::new());
    assert!(Core::new(config, Protocol::Rest).is_ok());
}
