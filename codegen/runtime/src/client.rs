//! The HTTP core shared by every generated client: URL building,
//! authentication, timeouts, retries and answer interpretation.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue, RETRY_AFTER, USER_AGENT};
use serde_core::Serialize;
use serde_core::de::DeserializeOwned;
use tracing::Instrument;

use super::answer::{Answer, Decoded};
use super::auth::{Applied, AuthScheme, Authenticator, Credentials, TokenContext};
use super::call::Call;
use super::config::{ClientConfig, Protocol};
use super::encode::{Encoding, FormStyle, form_body, named_pairs};
use super::error::{Error, InvalidRequest, Rule, is_retryable_status};
use super::frame::{Framing, Response, is_sensitive_header};
use super::redact::Redactor;
use super::retry::{
    Idempotency, RetryPolicy, RetrySafety, check_idempotency_key, new_idempotency_key,
    parse_retry_after,
};
use super::rules::{
    BaseUrl, BaseUrlProblem, HeaderNameProblem, ParsedBase, base_url, header_name, header_value,
    is_plain_path,
};
use super::wire::{Interpreter, RawResponse};

/// The answer of a call, to be awaited: what a generated operation's method returns,
/// `impl Pending<Payment, Error>`. It is a [`Future`] whose output is `Result<T, E>`, under a
/// name that says what it gives; nothing implements it but futures of that output (every one
/// does). The future is `Send` when its request is `Sync`, as every generated request is.
///
/// The method is not an `async fn` of the produced crate: it builds the call at once (the
/// request checked, its path, query and headers written) and returns the runtime's own future
/// ([`Core::answer`]), so the produced crate compiles no future of its own per operation.
pub trait Pending<T, E>: Future<Output = Result<T, E>> {}

impl<F, T, E> Pending<T, E> for F where F: Future<Output = Result<T, E>> + ?Sized {}

/// The HTTP core of a generated client. Cheap to clone (the state is shared).
///
/// `Debug` shows the configuration with the password redacted.
#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
    /// Total time per attempt; outside the `Arc` so one call can override it cheaply.
    timeout: Duration,
}

/// What a generated client tells the runtime about its API.
#[derive(Debug, Clone, Copy)]
pub struct ApiProfile {
    /// How answers are framed.
    pub protocol: Protocol,
    /// JSON keys whose values are secrets: removed from every response text kept in an error.
    pub sensitive_fields: &'static [&'static str],
    /// API error codes that mean "try again": a `Safe` call answered with one is retried like
    /// a 503 (a `Never` call never is).
    pub retry_codes: &'static [&'static str],
    /// Headers sent with every request, as (name, value): an API version, say. A name must be
    /// an HTTP token and not one the runtime sets (`Authorization`, `Content-Type`, `Accept`,
    /// `User-Agent`, `Host`, `Content-Length`), given once; a value visible ASCII, spaces and
    /// tabs.
    pub headers: &'static [(&'static str, &'static str)],
    /// The header that carries idempotency keys, when the API takes them (required by
    /// operations marked [`RetrySafety::Keyed`]).
    pub idempotency: Option<Idempotency>,
}

struct Inner {
    /// Normalized, without a trailing `/`.
    base_url: String,
    /// `base_url` parsed once.
    base: ParsedBase,
    /// The URLs of calls whose path is their template (no path parameter) and that have no
    /// query, joined once: by template, at most [`MAX_SHARED_URLS`].
    shared_urls: RwLock<BTreeMap<&'static str, Arc<Url>>>,
    /// For templates with path parameters, the URL of the segments before the first
    /// parameter, joined once: by template, at most [`MAX_SHARED_URLS`].
    prefix_urls: RwLock<BTreeMap<&'static str, Arc<Url>>>,
    credentials: Credentials,
    protocol: Protocol,
    retry_codes: &'static [&'static str],
    /// The API's fixed headers, checked once.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The idempotency header, parsed, and the longest key a caller may give.
    idempotency: Option<(HeaderName, Option<u32>)>,
    /// Where idempotency keys come from: the operating system's secure generator.
    random: ring::rand::SystemRandom,
    /// What every attempt carries to authenticate (headers marked sensitive so HTTP-level
    /// logs never print them).
    auth: Authenticator,
    retry_policy: RetryPolicy,
    http: reqwest::Client,
    user_agent: HeaderValue,
    max_response_bytes: usize,
    redactor: Redactor,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Core")
            .field("base_url", &inner.base_url)
            .field("protocol", &inner.protocol)
            .field("credentials", &inner.credentials)
            .field("timeout", &self.timeout)
            .field("retry_policy", &inner.retry_policy)
            .field("user_agent", &inner.user_agent)
            .field("max_response_bytes", &inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// Why one attempt produced no answer. The reqwest errors are stripped of their URL (which
/// holds the path and query parameters) before anything logs or keeps them.
enum AttemptError {
    /// Sending failed (or no response head arrived).
    Send(reqwest::Error),
    /// The response head arrived but reading the body failed.
    Body(reqwest::Error),
    /// The per-attempt timeout fired.
    TimedOut,
    /// The answer came from another URL: a user-supplied client followed a redirect.
    Redirected,
}

/// A failed attempt, with what the retry loop needs to know about it.
struct Failure {
    error: Error,
    /// The request may have been processed by the server.
    maybe_processed: bool,
    /// Sending the same request again may succeed.
    retryable: bool,
    /// The server's `Retry-After`.
    retry_after: Option<Duration>,
}

impl Core {
    /// Checks the configuration and builds the HTTP client.
    ///
    /// Fails with [`Error::Config`] when the base URL is not an absolute
    /// `https` URL (plain `http` is accepted for loopback hosts, or any host
    /// after [`ClientConfig::danger_allow_plain_http`]), contains an `@` (user
    /// names and passwords go in [`Credentials`]), a query or a fragment, when
    /// the timeout is zero, the user name contains `:`, the user agent is not a
    /// valid header value, or the HTTP client cannot be built (e.g. no root
    /// certificates on the system).
    /// Use [`Error::map_code`] to convert the error to another code type.
    ///
    /// When the runtime builds the HTTP client for an `https` base URL and no
    /// process-wide rustls crypto provider is installed yet, it installs
    /// rustls' `ring` provider as the process default; an application that
    /// wants another provider must install it before creating the client.
    /// Server certificates are checked against the platform's roots
    /// (`rustls-platform-verifier`).
    pub fn new(config: ClientConfig, protocol: Protocol) -> Result<Core, Error> {
        Core::for_api(
            config,
            ApiProfile {
                protocol,
                sensitive_fields: &[],
                retry_codes: &[],
                headers: &[],
                idempotency: None,
            },
        )
    }

    /// Like [`Core::new`], with what the spec says about the API: its protocol, the fields
    /// whose values are secrets, and the error codes that mean "try again". The API takes
    /// HTTP Basic credentials only (see [`Core::for_api_with_auth`]).
    pub fn for_api(config: ClientConfig, profile: ApiProfile) -> Result<Core, Error> {
        Core::for_api_with_auth(config, profile, &[AuthScheme::Basic])
    }

    /// Like [`Core::for_api`], for an API offering these authentication schemes. Fails with
    /// [`Error::Config`] when the credentials are for a scheme the API does not offer, hold
    /// an empty or blank value or a control character, cannot be sent in a header, or when
    /// an OAuth2 token URL (the scheme's, or [`ClientConfig::token_url`]) is not usable.
    pub fn for_api_with_auth(
        config: ClientConfig,
        profile: ApiProfile,
        auth: &[AuthScheme],
    ) -> Result<Core, Error> {
        let ApiProfile {
            protocol,
            sensitive_fields,
            retry_codes,
            headers,
            idempotency,
        } = profile;
        let headers = fixed_headers(headers)?;
        let idempotency = idempotency.map(idempotency_header).transpose()?;
        let (base_url, https) = check_base_url(&config.base_url, config.allow_plain_http)?;
        let base = ParsedBase::new(&base_url).ok_or_else(|| {
            Error::Config(format!("the base URL {base_url} does not parse again"))
        })?;
        if config.timeout.is_zero() {
            return Err(Error::Config(
                "the timeout must be longer than zero".to_owned(),
            ));
        }
        let auth = Authenticator::new(
            auth,
            &config.credentials,
            config.token_url.as_deref(),
            config.allow_plain_http,
        )?;
        let user_agent = HeaderValue::from_str(&config.user_agent).map_err(|_| {
            Error::Config("the user agent is not a valid HTTP header value".to_owned())
        })?;
        let http = match config.http_client {
            Some(client) => client,
            None => build_http_client(https, config.connect_timeout)?,
        };
        let redactor = Redactor::new(&config.credentials).with_fields(sensitive_fields);
        Ok(Core {
            timeout: config.timeout,
            inner: Arc::new(Inner {
                base_url,
                base,
                shared_urls: RwLock::new(BTreeMap::new()),
                prefix_urls: RwLock::new(BTreeMap::new()),
                credentials: config.credentials,
                protocol,
                retry_codes,
                headers,
                idempotency,
                random: ring::rand::SystemRandom::new(),
                auth,
                retry_policy: config.retry_policy,
                http,
                user_agent,
                max_response_bytes: config.max_response_bytes,
                redactor,
            }),
        })
    }

    /// A handle sharing this core's connection pool and settings, with another total time per
    /// attempt (for one slow call). A zero duration keeps the current timeout.
    pub fn with_timeout(&self, timeout: Duration) -> Core {
        Core {
            inner: Arc::clone(&self.inner),
            timeout: if timeout.is_zero() {
                self.timeout
            } else {
                timeout
            },
        }
    }

    /// The base URL, normalized, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The wire protocol.
    pub fn protocol(&self) -> Protocol {
        self.inner.protocol
    }

    /// Sends a call and decodes its answer into `R`.
    ///
    /// The request is `base_url + call.path` with `call.query`, HTTP Basic
    /// authentication, `Accept: application/json` and, when `body` is given,
    /// its serialization in [`Call::encoding`]: JSON with `Content-Type: application/json`,
    /// or a form (`application/x-www-form-urlencoded`, nested with brackets in
    /// [`Call::form`]'s style). [`Call::query_values`] are written after [`Call::query`], with
    /// brackets in the same style.
    /// Calls marked [`RetrySafety::Safe`] are retried per the retry policy;
    /// calls marked [`RetrySafety::Keyed`] carry one idempotency key on every attempt (the
    /// call's [`Call::idempotency_key`], checked before any I/O, or a random UUID v4) and are
    /// retried like safe ones; once the retries are spent after the request may have reached
    /// the server, the error is [`Error::OutcomeUnknown`] with the key;
    /// calls marked [`RetrySafety::Never`] are sent at most once and any
    /// failure after the request may have reached the server (timeout, reset
    /// connection, 5xx, truncated or undecodable success answer, a redirect
    /// followed by a user-supplied client) is reported as
    /// [`Error::OutcomeUnknown`]. A 3xx answer is an error
    /// ([`Error::UnexpectedStatus`]); a redirect that a client given with
    /// [`ClientConfig::http_client`] followed is [`Error::Redirected`], never
    /// retried.
    pub async fn execute<B, R, C>(&self, mut call: Call, body: Option<&B>) -> Result<R, Error<C>>
    where
        B: Serialize + ?Sized,
        R: DeserializeOwned,
        C: crate::OpenEnum,
    {
        // Only the value is returned: the metadata and kept headers are not read.
        call.with_response = false;
        self.execute_with_response(call, body)
            .await
            .map(Response::into_value)
    }

    /// Like [`Core::execute`], with what came with the answer: its HTTP status, the envelope
    /// metadata and the response headers the API's framing keeps ([`Response`]).
    pub async fn execute_with_response<B, R, C>(
        &self,
        call: Call,
        body: Option<&B>,
    ) -> Result<Response<R>, Error<C>>
    where
        B: Serialize + ?Sized,
        R: DeserializeOwned,
        C: crate::OpenEnum,
    {
        // The answer is decoded into a box and taken out of it here only: between the
        // decoder and this caller it goes through several layers (the framing, the retry
        // loop, the span), each of which would otherwise copy a value as large as the answer
        // type (some answer types are kilobytes).
        self.execute_as::<B, Box<R>, C>(call, body)
            .await
            .map(|response| response.map(|value| *value))
    }

    /// What a generated operation's method returns: the call its shared method built from the
    /// request (or the error that stopped it there: an invalid request), sent as
    /// [`Core::execute`] says, its answer decoded as its [`Answer`] impl says (an object filled
    /// in place, in a box) and moved out of the box only here, where the caller takes it.
    pub async fn answer<B, R, C>(
        &self,
        call: Result<Call, Error<C>>,
        body: Option<&B>,
    ) -> Result<R, Error<C>>
    where
        B: Serialize + ?Sized,
        R: Answer,
        C: crate::OpenEnum,
    {
        let response = self.execute_as::<B, Decoded<R>, C>(call?, body).await?;
        Ok(*response.value.0)
    }

    /// Like [`Core::answer`], with what came with the answer ([`Response`]): what a generated
    /// `*_with_response` method returns.
    pub async fn answer_with_response<B, R, C>(
        &self,
        call: Result<Call, Error<C>>,
        body: Option<&B>,
    ) -> Result<Response<R>, Error<C>>
    where
        B: Serialize + ?Sized,
        R: Answer,
        C: crate::OpenEnum,
    {
        let response = self.execute_as::<B, Decoded<R>, C>(call?, body).await?;
        Ok(response.map(|decoded| *decoded.0))
    }

    /// The call, its answer decoded as `D` (a box of the answer: small, whatever the answer).
    async fn execute_as<B, D, C>(
        &self,
        call: Call,
        body: Option<&B>,
    ) -> Result<Response<D>, Error<C>>
    where
        B: Serialize + ?Sized,
        D: DeserializeOwned,
        C: crate::OpenEnum,
    {
        // The template, never `call.path` nor the query: their values may be secrets.
        let span = tracing::info_span!(
            "payspec.call",
            operation = call.operation,
            method = %call.method,
            path_template = call.path_template,
        );
        let prepared = self.prepare(&call, body);
        let result = match prepared {
            Ok((url, body, headers, key)) => {
                self.send_and_decode::<D>(&call, &url, body.as_deref(), &headers, key.as_ref())
                    .instrument(span)
                    .await
            }
            Err(error) => Err(error),
        };
        result.map_err(|error| error.map_code(C::from_wire_lossy))
    }

    /// Sends the request and decodes its final answer, retrying per the policy. An answer is
    /// decoded once: the decoding also says whether it is an API error whose code means "try
    /// again" ([`Core::retry_code`]). The retry loop itself is [`Core::send`] and
    /// [`Core::after_failure`], which are not generic.
    async fn send_and_decode<R: DeserializeOwned>(
        &self,
        call: &Call,
        url: &Url,
        body: Option<&[u8]>,
        headers: &[(HeaderName, HeaderValue)],
        key: Option<&Key>,
    ) -> Result<Response<R>, Error> {
        let mut state = RetryState::new();
        loop {
            let raw = self
                .send_boxed(call, url, body, headers, key, &mut state)
                .await?;
            // Decided before the next await: a match on the decoding awaiting in one of its
            // arms would keep the decoded answer in this future's state (the scrutinee lives
            // to the end of the match), making every call's future as large as the answer
            // type and copying it at each layer.
            let failure = match self.retry_code(call, &raw, self.interpret(call, &raw, key)) {
                Ok(result) => return result,
                Err(failure) => failure,
            };
            self.after_failure_boxed(call, key, &mut state, *failure)
                .await?;
        }
    }

    /// [`Core::send`] as a boxed future. The body of an `async fn` is compiled where its future
    /// is first polled with known types: awaited from the generic [`Core::send_and_decode`],
    /// the retry loop, the attempt, the reading of the body and the token fetch were compiled
    /// into every produced crate, on each spec change (an eighth of the LLVM IR of the crate
    /// of a seven-operation API). Boxed here, they are compiled once, in this crate; the cost
    /// is one allocation per call.
    fn send_boxed<'a>(
        &'a self,
        call: &'a Call,
        url: &'a Url,
        body: Option<&'a [u8]>,
        headers: &'a [(HeaderName, HeaderValue)],
        key: Option<&'a Key>,
        state: &'a mut RetryState,
    ) -> Pin<Box<dyn Future<Output = Result<RawResponse, Error>> + Send + 'a>> {
        Box::pin(self.send(call, url, body, headers, key, state))
    }

    /// [`Core::after_failure`] as a boxed future, for the reason [`Core::send_boxed`] gives.
    fn after_failure_boxed<'a>(
        &'a self,
        call: &'a Call,
        key: Option<&'a Key>,
        state: &'a mut RetryState,
        failure: Failure,
    ) -> Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>> {
        Box::pin(self.after_failure(call, key, state, failure))
    }

    /// Everything that can fail before I/O: the URL, the body, the header parameters and the
    /// idempotency key.
    fn prepare<B>(&self, call: &Call, body: Option<&B>) -> Result<Prepared, Error>
    where
        B: Serialize + ?Sized,
    {
        let url = self.request_url(call)?;
        let body = match body {
            Some(body) => Some(match call.encoding {
                Encoding::Json => serialize_body(body)?,
                Encoding::Form => form_encode_body(body, call.form)?,
            }),
            None => None,
        };
        let headers = header_params(call)?;
        let key = self.idempotency_key(call)?;
        Ok((url, body, headers, key))
    }

    /// The idempotency key of a [`RetrySafety::Keyed`] call: the caller's once checked, or
    /// a new random one. `None` for every other call (a `Never` call never carries a key).
    fn idempotency_key(&self, call: &Call) -> Result<Option<Key>, Error> {
        if call.retry != RetrySafety::Keyed {
            return Ok(None);
        }
        let Some((header, max_length)) = &self.inner.idempotency else {
            return Err(Error::Config(format!(
                "{}: the operation is retried with an idempotency key, but the API's profile \
                 declares no idempotency header",
                call.operation
            )));
        };
        let text = match &call.idempotency_key {
            Some(key) => {
                check_idempotency_key(key, *max_length).map_err(|rule| {
                    Error::InvalidRequest(InvalidRequest {
                        path: "idempotency_key".to_owned(),
                        rule,
                    })
                })?;
                key.clone()
            }
            None => new_idempotency_key(&self.inner.random).map_err(|_| {
                Error::Config(
                    "the system's secure random generator failed: no idempotency key could be \
                     made"
                        .to_owned(),
                )
            })?,
        };
        let value = HeaderValue::from_str(&text).map_err(|_| {
            Error::InvalidRequest(InvalidRequest {
                path: "idempotency_key".to_owned(),
                rule: super::error::Rule::VisibleAscii,
            })
        })?;
        Ok(Some(Key {
            header: header.clone(),
            value,
            text,
        }))
    }

    /// `base_url + call.path`, refusing paths whose shape could change once parsed (dot
    /// segments, empty segments, query or fragment markers) or that the parser would rewrite.
    /// Codegen checks path templates with the same rules (`rules::ParsedBase::join`).
    fn request_url(&self, call: &Call) -> Result<CallUrl, Error> {
        let template = call
            .path_template
            .filter(|_| call.query.is_empty() && call.query_values.is_empty());
        let Some(template) = template else {
            return self.joined_url(call).map(CallUrl::Own);
        };
        if template != call.path {
            return match self.url_after_prefix(template, &call.path) {
                Some(url) => Ok(CallUrl::Own(url)),
                None => self.joined_url(call).map(CallUrl::Own),
            };
        }
        // A path without parameter and no query: the URL depends on the template alone.
        let urls = &self.inner.shared_urls;
        if let Some(url) = urls
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(template)
        {
            return Ok(CallUrl::Shared(Arc::clone(url)));
        }
        let url = Arc::new(self.joined_url(call)?);
        let mut urls = urls.write().unwrap_or_else(PoisonError::into_inner);
        if urls.len() < MAX_SHARED_URLS {
            urls.insert(template, Arc::clone(&url));
        }
        Ok(CallUrl::Shared(url))
    }

    /// The URL of a path made from `template`, from the URL of the template's segments before
    /// its first parameter (joined once per template): only the rest of the path is parsed.
    /// `None` when the template has no such segment or the path is not plain
    /// ([`ParsedBase::join_after`]): the caller joins the whole path.
    fn url_after_prefix(&self, template: &'static str, path: &str) -> Option<Url> {
        let literal = template.get(..template.find('{')?)?;
        let prefix = literal.get(..literal.rfind('/')?)?;
        if prefix.is_empty() {
            return None;
        }
        let urls = &self.inner.prefix_urls;
        let cached = urls
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(template)
            .cloned();
        let prefix_url = match cached {
            Some(url) => url,
            None => {
                let url = Arc::new(self.inner.base.join(prefix).ok()?);
                let mut urls = urls.write().unwrap_or_else(PoisonError::into_inner);
                if urls.len() < MAX_SHARED_URLS {
                    urls.insert(template, Arc::clone(&url));
                }
                url
            }
        };
        join_after(&self.inner.base, &prefix_url, prefix, path)
    }

    /// `base_url + call.path` with the call's query, made for this call.
    fn joined_url(&self, call: &Call) -> Result<Url, Error> {
        // The error names the template: the concrete path may hold a secret parameter.
        let mut url = self.inner.base.join(&call.path).map_err(|_| {
            Error::InvalidRequest(InvalidRequest {
                path: call.path_template.unwrap_or("path").to_owned(),
                rule: Rule::UrlPath,
            })
        })?;
        // The query is part of the URL the runtime builds, so that the URL of the answer can
        // be compared with it whole (see `attempt`).
        let mut structured = Vec::new();
        for (name, value) in &call.query_values {
            structured.extend(named_pairs(name, value, call.form).map_err(InvalidRequest::from)?);
        }
        if !call.query.is_empty() || !structured.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(
                    call.query
                        .iter()
                        .map(|(name, value)| (*name, value.as_str())),
                )
                .extend_pairs(structured);
        }
        Ok(url)
    }

    /// Sends the request, retrying per the policy; returns an answer to decode (any status
    /// below 500 but 429) unless it is a failure the loop already classified. `state` goes on
    /// from the attempts made so far: after an answer whose code means "try again", the caller
    /// passes the failure to [`Core::after_failure`] and calls this again.
    async fn send(
        &self,
        call: &Call,
        url: &Url,
        body: Option<&[u8]>,
        headers: &[(HeaderName, HeaderValue)],
        key: Option<&Key>,
        state: &mut RetryState,
    ) -> Result<RawResponse, Error> {
        if let (Some(key), 0) = (key, state.attempt) {
            // Not a secret, but not for INFO logs either.
            tracing::debug!(idempotency_key = %key.text, "payspec idempotency key");
        }
        loop {
            state.attempt = state.attempt.saturating_add(1);
            let attempt = state.attempt;
            let (applied, token) = match self.inner.auth.apply(&self.token_context(call)).await {
                Ok(applied) => applied,
                Err(error) => return Err(token_failure(error, state.maybe_processed, call, key)),
            };
            let attempt_start = Instant::now();
            let outcome = self.attempt(call, url, body, headers, key, &applied).await;
            // Read in each event's fields: a disabled event evaluates none, and reads no clock.
            let failure = match outcome {
                Ok(raw) => {
                    tracing::debug!(
                        attempt,
                        status = raw.status,
                        latency_ms = millis(attempt_start.elapsed()),
                        "payspec attempt"
                    );
                    let status = raw.status;
                    if let (401, Some(generation)) = (status, token) {
                        // The access token was refused (revoked, or expired early): the next
                        // call gets a new one. The request was refused before any processing,
                        // so it is sent once more with the new token, except a call sent at
                        // most once.
                        self.inner.auth.discard(generation).await;
                        if !state.resent_after_401 && call.retry != RetrySafety::Never {
                            tracing::debug!(attempt, "payspec access token refused, resending");
                            state.resent_after_401 = true;
                            state.attempt = attempt.saturating_sub(1);
                            continue;
                        }
                    }
                    if status < 500 && status != 429 {
                        return Ok(raw);
                    } else {
                        Failure {
                            error: self.interpreter(call).failure(&raw),
                            maybe_processed: status >= 500,
                            retryable: is_retryable_status(status),
                            retry_after: raw.retry_after,
                        }
                    }
                }
                Err(AttemptError::Send(error)) => {
                    tracing::debug!(
                        attempt,
                        latency_ms = millis(attempt_start.elapsed()),
                        error = %error,
                        "payspec attempt failed"
                    );
                    classify_send_error(call.operation, error, state.start)
                }
                Err(AttemptError::Body(error)) => {
                    tracing::debug!(
                        attempt,
                        latency_ms = millis(attempt_start.elapsed()),
                        error = %error,
                        "payspec attempt failed while reading the answer"
                    );
                    Failure {
                        error: Error::Transport {
                            operation: call.operation,
                            source: error,
                        },
                        maybe_processed: true,
                        retryable: true,
                        retry_after: None,
                    }
                }
                Err(AttemptError::Redirected) => {
                    tracing::debug!(
                        attempt,
                        latency_ms = millis(attempt_start.elapsed()),
                        "payspec attempt was redirected"
                    );
                    Failure {
                        error: Error::Redirected {
                            operation: call.operation,
                        },
                        maybe_processed: true,
                        retryable: false,
                        retry_after: None,
                    }
                }
                Err(AttemptError::TimedOut) => {
                    tracing::debug!(
                        attempt,
                        latency_ms = millis(attempt_start.elapsed()),
                        "payspec attempt timed out"
                    );
                    Failure {
                        error: Error::Timeout {
                            operation: call.operation,
                            elapsed: state.start.elapsed(),
                        },
                        maybe_processed: true,
                        retryable: true,
                        retry_after: None,
                    }
                }
            };
            self.after_failure(call, key, state, failure).await?;
        }
    }

    /// After a failed attempt: the error to give up with (`Err`), or, once the delay the
    /// policy asks for has passed, `Ok` to try again.
    async fn after_failure(
        &self,
        call: &Call,
        key: Option<&Key>,
        state: &mut RetryState,
        failure: Failure,
    ) -> Result<(), Error> {
        let policy = &self.inner.retry_policy;
        let max_attempts = match call.retry {
            RetrySafety::Safe | RetrySafety::Keyed => policy.max_attempts.max(1),
            RetrySafety::Never => 1,
        };
        let attempt = state.attempt;
        if call.retry == RetrySafety::Never {
            return Err(if failure.maybe_processed {
                Error::OutcomeUnknown {
                    operation: call.operation,
                    source: Box::new(failure.error),
                    idempotency_key: None,
                }
            } else {
                failure.error
            });
        }
        state.maybe_processed |= failure.maybe_processed;
        if !failure.retryable || attempt >= max_attempts {
            return Err(give_up(failure, state.maybe_processed, call, key));
        }
        let delay = policy.delay(attempt, failure.retry_after);
        if state.start.elapsed().saturating_add(delay) > policy.max_elapsed {
            tracing::debug!(attempt, "payspec retry budget spent");
            return Err(give_up(failure, state.maybe_processed, call, key));
        }
        tracing::debug!(attempt, delay_ms = millis(delay), "payspec retrying");
        tokio::time::sleep(delay).await;
        Ok(())
    }

    /// What fetching an OAuth token needs.
    fn token_context(&self, call: &Call) -> TokenContext<'_> {
        TokenContext {
            operation: call.operation,
            http: &self.inner.http,
            timeout: self.timeout,
            user_agent: &self.inner.user_agent,
            redactor: &self.inner.redactor,
        }
    }

    /// One attempt: send and read the whole answer within the timeout.
    async fn attempt(
        &self,
        call: &Call,
        url: &Url,
        body: Option<&[u8]>,
        headers: &[(HeaderName, HeaderValue)],
        key: Option<&Key>,
        auth: &Applied<'_>,
    ) -> Result<RawResponse, AttemptError> {
        let inner = &*self.inner;
        // An API key in the query goes in this attempt's URL only: the call's URL (and any
        // error made from it) never holds it.
        let with_key;
        let url = match auth {
            Applied::Query(name, key) => {
                let mut url = url.clone();
                url.query_pairs_mut().append_pair(name, key);
                with_key = url;
                &with_key
            }
            Applied::Header(..) => url,
        };
        let mut request = inner.http.request(call.method.clone(), url.clone());
        if let Applied::Header(name, value) = auth {
            request = request.header(name.clone(), value.clone());
        }
        let mut request = request
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, inner.user_agent.clone());
        for (name, value) in inner.headers.iter().chain(headers) {
            request = request.header(name.clone(), value.clone());
        }
        if let Some(key) = key {
            request = request.header(key.header.clone(), key.value.clone());
        }
        if let Some(body) = body {
            request = request
                .header(
                    CONTENT_TYPE,
                    HeaderValue::from_static(call.encoding.content_type()),
                )
                .body(body.to_vec());
        }
        let max_response_bytes = inner.max_response_bytes;
        let kept_headers = self.interpreter(call).framing.headers;
        let exchange = async move {
            let mut response = request.send().await.map_err(|e| {
                if e.is_redirect() {
                    AttemptError::Redirected
                } else {
                    AttemptError::Send(e.without_url())
                }
            })?;
            // The runtime's own client follows no redirect, but one given with
            // `ClientConfig::http_client` may have: its answer is another URL's, and the
            // request (with its body, for 307 and 308) may have gone to another host.
            if response.url() != url {
                return Err(AttemptError::Redirected);
            }
            let status = response.status().as_u16();
            let headers = response.headers();
            let content_type = headers.get(CONTENT_TYPE).cloned();
            let retry_after = headers
                .get(RETRY_AFTER)
                .and_then(|v| parse_retry_after(v.as_bytes()));
            let mut kept = Vec::new();
            for name in kept_headers {
                if is_sensitive_header(name) {
                    continue;
                }
                for value in headers.get_all(*name) {
                    kept.push((
                        *name,
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    ));
                }
            }
            let (body, too_large) = read_body(&mut response, max_response_bytes)
                .await
                .map_err(|e| AttemptError::Body(e.without_url()))?;
            Ok(RawResponse {
                status,
                content_type,
                retry_after,
                headers: kept,
                body,
                too_large,
            })
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(result) => result,
            Err(_elapsed) => Err(AttemptError::TimedOut),
        }
    }

    fn interpreter(&self, call: &Call) -> Interpreter<'_> {
        let framing = *self.inner.protocol.framing();
        Interpreter {
            operation: call.operation,
            // A caller that reads the value only gets no metadata and no headers: they are
            // not decoded, redacted nor copied.
            framing: if call.with_response {
                framing
            } else {
                Framing {
                    metadata: &[],
                    headers: &[],
                    ..framing
                }
            },
            redactor: &self.inner.redactor,
            max_response_bytes: self.inner.max_response_bytes,
        }
    }

    /// For a `Safe` or `Keyed` call, a decoded answer that is an API error whose code means
    /// "try again" becomes a retryable failure (`Err`); anything else is the call's result.
    fn retry_code<R>(
        &self,
        call: &Call,
        raw: &RawResponse,
        result: Result<Response<R>, Error>,
    ) -> Result<Result<Response<R>, Error>, Box<Failure>> {
        if call.retry == RetrySafety::Never || self.inner.retry_codes.is_empty() {
            return Ok(result);
        }
        match result {
            Err(Error::Api(api)) if self.inner.retry_codes.contains(&api.code.as_str()) => {
                tracing::debug!(code = %api.code, "payspec answer asks to try again");
                Err(Box::new(Failure {
                    error: Error::Api(api),
                    maybe_processed: false,
                    retryable: true,
                    retry_after: raw.retry_after,
                }))
            }
            other => Ok(other),
        }
    }

    /// Decodes the final answer; for calls sent at most once, an undecodable
    /// success answer means the outcome is unknown.
    /// A `Keyed` call's undecodable success answer is an unknown outcome too, with its key:
    /// the work was done, and resending with the key gets its answer without doing it again.
    fn interpret<R: DeserializeOwned>(
        &self,
        call: &Call,
        raw: &RawResponse,
        key: Option<&Key>,
    ) -> Result<Response<R>, Error> {
        match self.interpreter(call).decode_response(raw) {
            Err(error @ Error::Decode(_))
                if call.retry != RetrySafety::Safe && (200..300).contains(&raw.status) =>
            {
                Err(Error::OutcomeUnknown {
                    operation: call.operation,
                    source: Box::new(error),
                    idempotency_key: key.map(|key| key.text.clone()),
                })
            }
            other => other,
        }
    }
}

/// The error of a call whose access token could not be obtained. Nothing of this attempt was
/// sent; an earlier attempt of a `Keyed` call may have reached the server, which makes the
/// outcome unknown (with the key), as when the retries are spent.
fn token_failure(error: Error, maybe_processed: bool, call: &Call, key: Option<&Key>) -> Error {
    match key {
        Some(key) if call.retry == RetrySafety::Keyed && maybe_processed => Error::OutcomeUnknown {
            operation: call.operation,
            source: Box::new(error),
            idempotency_key: Some(key.text.clone()),
        },
        _ => error,
    }
}

/// Where the retry loop of one call stands, kept across [`Core::send`] and
/// [`Core::after_failure`].
struct RetryState {
    /// When the first attempt started.
    start: Instant,
    /// Attempts made so far.
    attempt: u32,
    /// Whether an attempt so far may have been processed by the server.
    maybe_processed: bool,
    /// Whether an OAuth token refused with a 401 was replaced and the request sent again.
    resent_after_401: bool,
}

impl RetryState {
    fn new() -> RetryState {
        RetryState {
            start: Instant::now(),
            attempt: 0,
            maybe_processed: false,
            resent_after_401: false,
        }
    }
}

/// The idempotency key of one logical call, sent on every attempt.
struct Key {
    header: HeaderName,
    value: HeaderValue,
    text: String,
}

/// The error of a call the retry loop gives up on. For a `Keyed` call that may have reached
/// the server (this attempt or an earlier one, unless the last answer is a definite refusal),
/// it is `OutcomeUnknown` with the key, so the caller can finish the call later with it.
fn give_up(failure: Failure, maybe_processed: bool, call: &Call, key: Option<&Key>) -> Error {
    let unknown = failure.maybe_processed || (maybe_processed && failure.retryable);
    match key {
        Some(key) if call.retry == RetrySafety::Keyed && unknown => Error::OutcomeUnknown {
            operation: call.operation,
            source: Box::new(failure.error),
            idempotency_key: Some(key.text.clone()),
        },
        _ => failure.error,
    }
}

/// Parses the idempotency header of an API profile, refusing the names the spec checks refuse.
fn idempotency_header(idempotency: Idempotency) -> Result<(HeaderName, Option<u32>), Error> {
    let problem = match header_name(idempotency.header) {
        Ok(()) => {
            return HeaderName::from_bytes(idempotency.header.as_bytes())
                .map(|name| (name, idempotency.max_length))
                .map_err(|_| {
                    Error::Config("the idempotency header is not a valid header name".to_owned())
                });
        }
        Err(problem) => problem,
    };
    Err(Error::Config(match problem {
        HeaderNameProblem::NotToken(_) => {
            "the idempotency header is not a valid header name (an HTTP token)".to_owned()
        }
        HeaderNameProblem::Reserved(name) => {
            format!("the idempotency header must not be `{name}`, which the runtime sets")
        }
    }))
}

/// Classifies an error from sending: connection failures mean the request
/// never left; anything else may have reached the server.
fn classify_send_error(operation: &'static str, error: reqwest::Error, start: Instant) -> Failure {
    if error.is_connect() {
        return Failure {
            error: Error::Transport {
                operation,
                source: error,
            },
            maybe_processed: false,
            retryable: true,
            retry_after: None,
        };
    }
    if error.is_builder() {
        return Failure {
            error: Error::Transport {
                operation,
                source: error,
            },
            maybe_processed: false,
            retryable: false,
            retry_after: None,
        };
    }
    if error.is_timeout() {
        // A timeout of a user-supplied client.
        return Failure {
            error: Error::Timeout {
                operation,
                elapsed: start.elapsed(),
            },
            maybe_processed: true,
            retryable: true,
            retry_after: None,
        };
    }
    Failure {
        error: Error::Transport {
            operation,
            source: error,
        },
        maybe_processed: true,
        retryable: true,
        retry_after: None,
    }
}

/// The URL [`ParsedBase::join`] gives for `path`, made from `prefix_url`, `base` joined with
/// `prefix` (a leading part of `path`, whole segments), by appending the rest of `path` only:
/// the parser reads the rest alone. `None` (join instead) unless `path` is plain (only
/// unreserved characters and `/`, no empty or dot segment), holds `prefix` then `/`, and the
/// URL made is exactly the base's text followed by `path`.
fn join_after(base: &ParsedBase, prefix_url: &Url, prefix: &str, path: &str) -> Option<Url> {
    if !is_plain_path(path.as_bytes()) {
        return None;
    }
    let rest = path.strip_prefix(prefix)?.strip_prefix('/')?;
    let mut url = prefix_url.clone();
    url.path_segments_mut().ok()?.extend(rest.split('/'));
    base.is_joined(&url, path).then_some(url)
}

/// The most URLs a client keeps joined ([`Core::request_url`]): more than any API has
/// operations without path parameters.
const MAX_SHARED_URLS: usize = 256;

/// The URL of a call: joined once for every call of its operation, or for this call alone.
enum CallUrl {
    Shared(Arc<Url>),
    Own(Url),
}

impl Deref for CallUrl {
    type Target = Url;

    fn deref(&self) -> &Url {
        match self {
            CallUrl::Shared(url) => url,
            CallUrl::Own(url) => url,
        }
    }
}

/// What a call needs before I/O: its URL, its body, its header parameters and its idempotency
/// key.
type Prepared = (
    CallUrl,
    Option<Vec<u8>>,
    Vec<(HeaderName, HeaderValue)>,
    Option<Key>,
);

/// The call's header parameters, checked before any IO. A refused one is named, its value
/// never shown; a sensitive one is marked so (HTTP/2 never indexes it, `Debug` hides it).
fn header_params(call: &Call) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    let refused = |name: &str, rule: Rule| {
        Error::InvalidRequest(InvalidRequest {
            path: name.to_owned(),
            rule,
        })
    };
    call.headers
        .iter()
        .map(|param| {
            let name = match header_name(param.name) {
                Ok(()) => HeaderName::from_bytes(param.name.as_bytes()).ok(),
                Err(_) => None,
            }
            .ok_or_else(|| refused(param.name, Rule::HeaderName))?;
            if !header_value(&param.value) {
                return Err(refused(param.name, Rule::HeaderValue));
            }
            let mut value = HeaderValue::from_str(&param.value)
                .map_err(|_| refused(param.name, Rule::HeaderValue))?;
            value.set_sensitive(param.sensitive);
            Ok((name, value))
        })
        .collect()
}

/// Checks the API's fixed headers (codegen's checks apply the same rules to the spec).
fn fixed_headers(
    headers: &[(&'static str, &'static str)],
) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    let mut out: Vec<(HeaderName, HeaderValue)> = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        let parsed = match header_name(name) {
            Ok(()) => HeaderName::from_bytes(name.as_bytes()).ok(),
            Err(_) => None,
        };
        let Some(parsed) = parsed else {
            return Err(Error::Config(format!(
                "the header name `{}` cannot be sent, or is one the runtime sets",
                name.escape_default()
            )));
        };
        if out.iter().any(|(seen, _)| *seen == parsed) {
            return Err(Error::Config(format!("the header `{name}` is given twice")));
        }
        if !header_value(value) {
            return Err(Error::Config(format!(
                "the value of the header `{name}` is not a valid header value"
            )));
        }
        let value = HeaderValue::from_str(value).map_err(|_| {
            Error::Config(format!(
                "the value of the header `{name}` is not a valid header value"
            ))
        })?;
        out.push((parsed, value));
    }
    Ok(out)
}

/// Reads the body in chunks, stopping once it exceeds `max` bytes; returns
/// the bytes read (at most `max`) and whether the body was too large. A body that arrives in
/// one chunk is kept as it came, without a copy.
async fn read_body(
    response: &mut reqwest::Response,
    max: usize,
) -> Result<(Bytes, bool), reqwest::Error> {
    let declared = response.content_length().unwrap_or(0);
    if u64::try_from(max).is_ok_and(|max| declared > max) {
        return Ok((Bytes::new(), true));
    }
    let Some(first) = response.chunk().await? else {
        return Ok((Bytes::new(), false));
    };
    if first.len() > max {
        return Ok((first.slice(..max), true));
    }
    let Some(mut chunk) = response.chunk().await? else {
        return Ok((first, false));
    };
    // The declared length (within the limit) is the usual size: one allocation.
    let declared = usize::try_from(declared).map_or(0, |n| n.min(max));
    let mut body = Vec::with_capacity(declared.max(first.len() + chunk.len()));
    body.extend_from_slice(&first);
    loop {
        let room = max.saturating_sub(body.len());
        if chunk.len() > room {
            body.extend_from_slice(chunk.get(..room).unwrap_or_default());
            return Ok((body.into(), true));
        }
        body.extend_from_slice(&chunk);
        match response.chunk().await? {
            Some(next) => chunk = next,
            None => return Ok((body.into(), false)),
        }
    }
}

/// Serializes the request body, reporting where serialization failed (the generated types
/// locate their errors: [`Entries`](crate::Entries)).
fn serialize_body<B: Serialize + ?Sized>(body: &B) -> Result<Vec<u8>, InvalidRequest> {
    serde_json::to_vec(body).map_err(|e| {
        let text = e.to_string();
        let (path, message) = super::entries::split_located(&text);
        InvalidRequest {
            path: path.to_owned(),
            rule: Rule::Serialize(super::redact::without_values(message)),
        }
    })
}

/// Serializes the request body as a form (`a[b]=1&c[]=x`), reporting where serialization
/// failed or which key the form cannot write.
fn form_encode_body<B: Serialize + ?Sized>(
    body: &B,
    style: FormStyle,
) -> Result<Vec<u8>, InvalidRequest> {
    let json = serialize_body(body)?;
    Ok(form_body(&json, style)?.into_bytes())
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Checks the base URL (the rules are in `rules::base_url`, which codegen applies to the
/// spec's environments too); returns it normalized without a trailing `/`, and whether it is
/// https.
///
/// The messages never quote the URL as given: at most its scheme and host (see [`origin`]),
/// and only once it is known to hold no user-info.
pub(crate) fn check_base_url(raw: &str, allow_plain_http: bool) -> Result<(String, bool), Error> {
    let problem = match base_url(raw, allow_plain_http) {
        Ok(BaseUrl { url, https }) => return Ok((url, https)),
        Err(problem) => problem,
    };
    let shown = || {
        Url::parse(raw.trim())
            .map(|url| origin(&url))
            .unwrap_or_default()
    };
    let message = match problem {
        // `url`'s parse errors are fixed texts that quote nothing of the input.
        BaseUrlProblem::Invalid(e) => format!("the base URL is not a valid URL: {e}"),
        BaseUrlProblem::UserInfo => "the base URL must not contain a user name or password \
             (nor any `@`): give them as Credentials (write an `@` of the path as `%40`)"
            .to_owned(),
        BaseUrlProblem::QueryOrFragment => format!(
            "the base URL `{}` must not have a query or a fragment",
            shown()
        ),
        BaseUrlProblem::NoHost => format!("the base URL `{}` has no host", shown()),
        BaseUrlProblem::PlainHttp => format!(
            "the base URL `{}` uses plain http on a host that is not a loopback \
             address; use https (or ClientConfig::danger_allow_plain_http)",
            shown()
        ),
        BaseUrlProblem::Scheme(other) => format!(
            "the base URL `{}` has the scheme `{other}`; expected https",
            shown()
        ),
        BaseUrlProblem::Placeholder => "the base URL has a `{` or `}`: fill the variables of a \
             templated environment first (the client's constructor for it does)"
            .to_owned(),
    };
    Err(Error::Config(message))
}

/// The scheme, host and explicit port of a parsed URL without `@`: what may be shown of a
/// base URL that was refused. Its path, query and fragment may hold a key.
fn origin(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None if host.is_empty() => format!("{}:", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    }
}

/// The base URL as `Debug` may show it: normalized when it is valid (it then holds no
/// user-info, query or fragment), otherwise nothing of it.
pub(crate) fn shown_base_url(raw: &str, allow_plain_http: bool) -> String {
    match check_base_url(raw, allow_plain_http) {
        Ok((url, _)) => url,
        Err(_) => "<invalid>".to_owned(),
    }
}

/// The runtime's own HTTP client: no redirects, the connect timeout, and
/// rustls with the `ring` provider.
fn build_http_client(https: bool, connect_timeout: Duration) -> Result<reqwest::Client, Error> {
    let builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .redirect(reqwest::redirect::Policy::none());
    let builder = if https {
        super::config::install_crypto_provider();
        builder
    } else {
        // Plain http: TLS is never used, so do not depend on the system's
        // root certificates or on a process-wide provider.
        builder.tls_backend_preconfigured(plain_http_tls_config()?)
    };
    builder.build().map_err(|e| {
        Error::Config(format!(
            "could not build the HTTP client: {}",
            chain(&e.without_url())
        ))
    })
}

/// A rustls configuration trusting nothing, for clients that only speak
/// plain http.
fn plain_http_tls_config() -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("could not configure TLS: {e}")))?
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
    Ok(config)
}

/// An error and its sources, joined by `: `.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn core(base: &str) -> Result<Core, Error> {
        Core::new(
            ClientConfig::new(base, Credentials::basic("user", "pw-123456")),
            Protocol::Rest,
        )
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            core("https://api.example.com/").unwrap().base_url(),
            "https://api.example.com"
        );
        assert_eq!(
            core("https://API.example.com:443/api-payment/")
                .unwrap()
                .base_url(),
            "https://api.example.com/api-payment"
        );
        assert!(core("http://127.0.0.1:8080").is_ok());
        assert!(core("http://127.9.9.9").is_ok());
        assert!(core("http://[::1]:9000/x").is_ok());
        assert!(core("http://LocalHost:9000").is_ok());
        for bad in [
            "http://api.example.com",
            "http://10.0.0.1",
            "ftp://127.0.0.1",
            "https://user:secret@api.example.com",
            "https://api.example.com?x=1",
            "https://api.example.com#f",
            "not a url",
            "",
        ] {
            match core(bad) {
                Err(Error::Config(message)) => assert!(!message.contains("secret"), "{message}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert!(
            Core::new(
                ClientConfig::new("http://api.example.com", Credentials::basic("u", "p"))
                    .danger_allow_plain_http(),
                Protocol::Rest
            )
            .is_ok()
        );
    }

    #[test]
    fn bad_settings_are_refused() {
        let timeout = Core::new(
            ClientConfig::new("https://a.example", Credentials::basic("u", "p"))
                .timeout(Duration::ZERO),
            Protocol::Rest,
        );
        assert!(matches!(timeout, Err(Error::Config(_))));
        let user = Core::new(
            ClientConfig::new("https://a.example", Credentials::basic("u:x", "p")),
            Protocol::Rest,
        );
        assert!(matches!(user, Err(Error::Config(_))));
        let agent = Core::new(
            ClientConfig::new("https://a.example", Credentials::basic("u", "p"))
                .user_agent("bad\nagent"),
            Protocol::Rest,
        );
        assert!(matches!(agent, Err(Error::Config(_))));
    }

    #[test]
    fn request_urls() {
        let core = core("https://api.example.com/base").unwrap();
        let call = |path: &str| Call::new("Op", reqwest::Method::GET, path, RetrySafety::Safe);
        assert_eq!(
            core.request_url(&call("/payments/a%2Fb")).unwrap().as_str(),
            "https://api.example.com/base/payments/a%2Fb"
        );
        for bad in [
            "payments",
            "/payments/..",
            "/payments/%2E%2e/x",
            "/payments/./x",
            "/payments//x",
            "/payments/",
            "/payments/a b",
            "/payments?x",
            "/payments#x",
            "/payments\\x",
            "@evil.example/x",
        ] {
            match core.request_url(&call(bad)) {
                Err(Error::InvalidRequest(e)) => assert_eq!(e.rule, Rule::UrlPath, "{bad}"),
                Err(other) => panic!("{bad}: {other:?}"),
                Ok(url) => panic!("{bad}: accepted as {}", url.as_str()),
            }
        }
    }

    #[test]
    fn urls_without_parameters_are_joined_once() {
        let core = core("https://api.example.com/base").unwrap();
        let fixed = || {
            Call::new("Op", reqwest::Method::GET, "/v1/orders", RetrySafety::Safe)
                .with_path_template("/v1/orders")
        };
        let first = core.request_url(&fixed()).unwrap();
        let second = core.request_url(&fixed()).unwrap();
        let (CallUrl::Shared(a), CallUrl::Shared(b)) = (&first, &second) else {
            panic!("a path without parameters is shared");
        };
        assert!(Arc::ptr_eq(a, b));
        assert_eq!(a.as_str(), "https://api.example.com/base/v1/orders");
        // A handle with another timeout shares them.
        let other = core.with_timeout(Duration::from_secs(1));
        assert!(matches!(
            other.request_url(&fixed()).unwrap(),
            CallUrl::Shared(c) if Arc::ptr_eq(a, &c)
        ));
        // A path parameter or a query: the call's own URL, never kept; with a parameter, made
        // from the URL of the segments before it, joined once.
        for (path, template, expected) in [
            ("/v1/orders/7", "/v1/orders/{id}", Some("/v1/orders")),
            (
                "/v1/orders/7/lines/2",
                "/v1/orders/{id}/lines/{n}",
                Some("/v1/orders"),
            ),
            ("/v1/orders/a%2Fb", "/v1/orders/{id}", Some("/v1/orders")),
            ("/7", "/{id}", None),
        ] {
            let call = Call::new("Op", reqwest::Method::GET, path, RetrySafety::Safe)
                .with_path_template(template);
            assert!(matches!(
                core.request_url(&call).unwrap(),
                CallUrl::Own(url) if url.as_str() == format!("https://api.example.com/base{path}")
            ));
            let prefixes = core.inner.prefix_urls.read().unwrap();
            assert_eq!(
                prefixes.get(template).map(|url| url.as_str().to_owned()),
                expected.map(|p| format!("https://api.example.com/base{p}")),
                "{template}"
            );
        }
        // A refused path with a parameter is refused as `join` refuses it.
        let dots = Call::new(
            "Op",
            reqwest::Method::GET,
            "/v1/orders/..",
            RetrySafety::Safe,
        )
        .with_path_template("/v1/orders/{id}");
        assert!(matches!(
            core.request_url(&dots),
            Err(Error::InvalidRequest(InvalidRequest {
                rule: Rule::UrlPath,
                ..
            }))
        ));
        let with_query = fixed().with_query("limit", "2");
        assert!(matches!(
            core.request_url(&with_query).unwrap(),
            CallUrl::Own(url) if url.as_str() == "https://api.example.com/base/v1/orders?limit=2"
        ));
        // A refused path is refused every time, and never kept.
        let bad = || {
            Call::new("Op", reqwest::Method::GET, "/v1/../x", RetrySafety::Safe)
                .with_path_template("/v1/../x")
        };
        for _ in 0..2 {
            assert!(matches!(
                core.request_url(&bad()),
                Err(Error::InvalidRequest(InvalidRequest {
                    rule: Rule::UrlPath,
                    ..
                }))
            ));
        }
        let shared = core.inner.shared_urls.read().unwrap();
        assert_eq!(shared.keys().copied().collect::<Vec<_>>(), ["/v1/orders"]);
    }

    #[test]
    fn a_url_joined_after_a_prefix_is_the_joined_url() {
        for base in [
            "https://api.example.com",
            "https://api.example.com/api-payment",
            "http://[::1]:8080/base",
        ] {
            let parsed = ParsedBase::new(base).unwrap();
            for (prefix, path) in [
                ("/hosted/v1/orders", "/hosted/v1/orders/27HBQSY9R5EGQSRA0A"),
                ("/v1", "/v1/a/b-c/d.e_f~g"),
                ("/v1", "/v1/x"),
            ] {
                let prefix_url = parsed.join(prefix).unwrap();
                assert_eq!(
                    join_after(&parsed, &prefix_url, prefix, path),
                    Some(parsed.join(path).unwrap()),
                    "{base} + {prefix} + {path}"
                );
            }
            // Left to `join`: not plain, not after the prefix, or not whole segments.
            let prefix_url = parsed.join("/v1").unwrap();
            for path in [
                "/v1/a%2Fb",
                "/v1/..",
                "/v1/a//b",
                "/v1/",
                "/v1",
                "/v2/x",
                "/v1x/y",
                "/v1/a b",
            ] {
                assert_eq!(
                    join_after(&parsed, &prefix_url, "/v1", path),
                    None,
                    "{path}"
                );
            }
            // A prefix URL of another base never gives a URL of this one.
            let other = ParsedBase::new("https://other.example/v1").unwrap();
            let other_url = other.join("/v1").unwrap();
            assert_eq!(join_after(&parsed, &other_url, "/v1", "/v1/x"), None);
        }
    }

    #[test]
    fn serialization_failures_name_the_path() {
        // A struct written as the generator writes one.
        struct Outer {
            inner: std::collections::HashMap<Vec<u8>, u8>,
        }
        impl Serialize for Outer {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = crate::Entries::new(s)?;
                map.field("inner", &self.inner);
                map.end()
            }
        }
        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1u8);
        let error = serialize_body(&Outer { inner: map }).unwrap_err();
        assert_eq!(error.path, "inner");
        assert_eq!(
            error.rule,
            Rule::Serialize("key must be a string".to_owned())
        );
    }

    #[test]
    fn header_parameters_are_marked_sensitive_when_asked() {
        let call = Call::new("Op", reqwest::Method::GET, "/x", RetrySafety::Safe)
            .with_header("X-Plain", "p")
            .with_sensitive_header("X-Key", "k");
        let headers = header_params(&call).unwrap();
        assert_eq!(headers.len(), 2);
        assert_eq!(headers[0].0.as_str(), "x-plain");
        assert!(!headers[0].1.is_sensitive());
        assert_eq!(headers[1].1, "k");
        assert!(headers[1].1.is_sensitive());
        assert_eq!(format!("{:?}", headers[1].1), "Sensitive");
    }

    #[test]
    fn debug_redacts_the_password() {
        let core = core("https://api.example.com").unwrap();
        let debug = format!("{core:?}");
        assert!(!debug.contains("pw-123456"), "{debug}");
        assert!(debug.contains("user"), "{debug}");
    }
}
