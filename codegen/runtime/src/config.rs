//! Client configuration: base URL, credentials, timeouts, retries.

use std::fmt;
use std::time::Duration;

pub use super::auth::Credentials;
use super::frame::Framing;
use super::retry::RetryPolicy;

/// A secret string (a password or an API key).
///
/// `Debug` and `Display` print `<redacted>`; use [`Secret::expose`] to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(secret.into())
    }

    /// The secret itself. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Self {
        Secret(secret)
    }
}

impl From<&str> for Secret {
    fn from(secret: &str) -> Self {
        Secret(secret.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How requests and answers are framed on the wire: one of the two presets, or the
/// [`Framing`] a spec describes (what generated clients use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// HTTP 200 for every answer (401 for bad credentials); the body is
    /// `{"status": "SUCCESS"|"ERROR", "answer": {...}}` and an ERROR answer
    /// carries `errorCode`, `errorMessage`, `detailedErrorCode`,
    /// `detailedErrorMessage` ([`Framing::ENVELOPE`]).
    Envelope,
    /// The HTTP status says whether the call succeeded; a failure body is
    /// `{"error": {"code", "message", "details", "fieldErrors"}}` ([`Framing::REST`]).
    Rest,
    /// The framing and error shape a spec describes.
    Framed(&'static Framing),
}

impl Protocol {
    /// The framing this protocol stands for.
    pub fn framing(self) -> &'static Framing {
        match self {
            Protocol::Envelope => &Framing::ENVELOPE,
            Protocol::Rest => &Framing::REST,
            Protocol::Framed(framing) => framing,
        }
    }
}

/// The default total time allowed for one attempt (sending the request and
/// reading the whole answer).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default largest answer body accepted (4 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// The configuration of a client.
///
/// ```text
/// let config = ClientConfig::new("https://api.example.com/api-payment", Credentials::basic("shop", "secret"))
///     .timeout(Duration::from_secs(20))
///     .retry_policy(RetryPolicy::default().max_attempts(2));
/// ```
///
/// `Debug` shows the base URL only once it is valid (without user-info, query or fragment),
/// the password redacted, and not the inner state of a given HTTP client.
#[derive(Clone)]
pub struct ClientConfig {
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) retry_policy: RetryPolicy,
    pub(crate) http_client: Option<reqwest::Client>,
    pub(crate) user_agent: String,
    pub(crate) max_response_bytes: usize,
    pub(crate) allow_plain_http: bool,
    pub(crate) token_url: Option<String>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field(
                "base_url",
                &super::client::shown_base_url(&self.base_url, self.allow_plain_http),
            )
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("http_client", &self.http_client.as_ref().map(|_| "<given>"))
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_plain_http", &self.allow_plain_http)
            .field(
                "token_url",
                &self
                    .token_url
                    .as_ref()
                    .map(|url| super::client::shown_base_url(url, self.allow_plain_http)),
            )
            .finish()
    }
}

impl ClientConfig {
    /// A configuration with the defaults: 30 s per attempt, 10 s to connect,
    /// [`RetryPolicy::default`], answers up to 4 MiB, user agent
    /// `payspec/<version>`, https only (plain http only for loopback hosts).
    ///
    /// `base_url` is the part every operation path is appended to, e.g.
    /// `https://api.example.com/api-payment`; a trailing `/` is ignored.
    ///
    /// It also installs the runtime's TLS crypto provider ([`install_crypto_provider`]), so an
    /// HTTP client built next for [`ClientConfig::http_client`] works.
    pub fn new(base_url: impl Into<String>, credentials: impl Into<Credentials>) -> Self {
        install_crypto_provider();
        ClientConfig {
            base_url: base_url.into(),
            credentials: credentials.into(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry_policy: RetryPolicy::default(),
            http_client: None,
            user_agent: concat!("payspec/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_plain_http: false,
            token_url: None,
        }
    }

    /// The total time allowed for one attempt: sending the request and
    /// reading the whole answer (default 30 s). Retries, if any, each get
    /// this much time, within the retry policy's `max_elapsed` budget.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time allowed to open a connection (default 10 s). Not applied to a
    /// client given with [`ClientConfig::http_client`], whose own settings
    /// apply (the per-attempt [`timeout`](ClientConfig::timeout) still does).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How calls that are safe to repeat are retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Uses this HTTP client instead of building one. The runtime still
    /// enforces the per-attempt timeout. Build it from [`http_client_builder`] (rustls' `ring`
    /// provider installed, no redirects, the default connect timeout), adding a proxy or
    /// root certificates with the `reqwest` the crate re-exports:
    ///
    /// ```text
    /// let http = runtime::http_client_builder()
    ///     .proxy(reqwest::Proxy::https("http://proxy.internal:3128")?)
    ///     .tls_certs_merge([reqwest::Certificate::from_pem(ROOT_PEM)?])
    ///     .build()?;
    /// let config = ClientConfig::new(url, credentials).http_client(http);
    /// ```
    ///
    /// A client built otherwise must not follow redirects
    /// (`reqwest::redirect::Policy::none()`): a call it redirects fails with
    /// `Error::Redirected` (an unknown outcome for a call sent at most once, whose body may
    /// have gone to the other host).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        install_crypto_provider();
        self.http_client = Some(client);
        self
    }

    /// The `User-Agent` header sent with every request (default
    /// `payspec/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The largest answer body accepted, in bytes (default 4 MiB); larger
    /// bodies are refused without being read to the end.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = max;
        self
    }

    /// Accepts a plain-http base URL on any host. By default only https is
    /// accepted, except on loopback hosts (`127.0.0.0/8`, `::1`,
    /// `localhost`). Credentials then travel in clear text.
    pub fn danger_allow_plain_http(mut self) -> Self {
        self.allow_plain_http = true;
        self
    }

    /// Uses this OAuth2 token endpoint instead of the one the API's spec gives (a sandbox, a
    /// proxy, a test server). Checked like the base URL when the client is built: https, or
    /// plain http on a loopback host (any host after
    /// [`danger_allow_plain_http`](ClientConfig::danger_allow_plain_http)).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// The base URL as given.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }
}

/// Installs rustls' `ring` crypto provider as the process default, unless a provider is
/// installed already (which is then kept). Idempotent and cheap.
///
/// The crate's `reqwest` is built without a provider of its own: building any
/// `reqwest::Client` with TLS before a provider is installed panics ("No rustls crypto
/// provider is configured"). [`ClientConfig::new`], [`http_client_builder`] and the runtime's
/// own client call this first; call it yourself before building a `reqwest::Client` by other
/// means, or install another provider before any of them to use that one.
pub fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Fails only when another thread installed a provider meanwhile,
        // which is then used: nothing to do.
        let _already_installed = rustls::crypto::ring::default_provider().install_default();
    }
}

/// A `reqwest::ClientBuilder` configured like the runtime's own client: the crypto provider
/// installed ([`install_crypto_provider`]), no redirects followed, and the default connect
/// timeout ([`DEFAULT_CONNECT_TIMEOUT`]). Add a proxy, root certificates or other settings,
/// build it, and give it to [`ClientConfig::http_client`].
pub fn http_client_builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
}
