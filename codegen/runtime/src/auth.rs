//! Authentication: the schemes an API offers (data from its spec), the credentials a caller
//! gives, and how they go on each attempt (a header, a query parameter, or an OAuth2 access
//! token obtained with the client-credentials grant, cached and refreshed).
//!
//! Every secret is a [`Secret`]; every header carrying one is marked sensitive; the token
//! endpoint's answer is never kept in an error (it may echo the client secret).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::Url;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};

use super::config::Secret;
use super::error::Error;
use super::redact::{Redactor, basic_token};
use super::rules::{HeaderNameProblem, header_name, header_value, query_name};

/// An authentication scheme an API offers, as its spec declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// HTTP Basic: `Authorization: Basic base64(user:password)`.
    Basic,
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// An API key in a header (after an optional prefix) or in a query parameter.
    ApiKey {
        /// Where the key goes.
        location: KeyLocation,
        /// The header or query parameter name.
        name: &'static str,
        /// Text before the key (a header only; empty for none).
        prefix: &'static str,
    },
    /// OAuth2 client credentials: an access token from `token_url`, sent as a bearer token.
    OAuth2ClientCredentials {
        /// The token endpoint (https).
        token_url: &'static str,
        /// The scopes asked for, joined by spaces in the token request (none: no `scope`).
        scopes: &'static [&'static str],
        /// How the client id and secret are given to the token endpoint.
        client_auth: ClientAuth,
    },
}

impl AuthScheme {
    /// The kind of credentials this scheme takes.
    pub fn kind(&self) -> SchemeKind {
        match self {
            AuthScheme::Basic => SchemeKind::Basic,
            AuthScheme::Bearer => SchemeKind::Bearer,
            AuthScheme::ApiKey { .. } => SchemeKind::ApiKey,
            AuthScheme::OAuth2ClientCredentials { .. } => SchemeKind::OAuth2ClientCredentials,
        }
    }
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyLocation {
    /// In a request header.
    Header,
    /// In a query parameter of every request URL.
    Query,
}

/// How an OAuth2 client authenticates to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// The client id and secret as HTTP Basic credentials.
    Basic,
    /// The client id and secret as `client_id` and `client_secret` fields of the form body.
    Body,
}

/// The kinds of credentials, one per scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemeKind {
    /// A user name and a password.
    Basic,
    /// A bearer token.
    Bearer,
    /// An API key.
    ApiKey,
    /// An OAuth2 client id and client secret.
    OAuth2ClientCredentials,
}

impl SchemeKind {
    /// The scheme's name in the spec (`basic`, `bearer`, `api_key`,
    /// `oauth2_client_credentials`).
    pub fn name(self) -> &'static str {
        match self {
            SchemeKind::Basic => "basic",
            SchemeKind::Bearer => "bearer",
            SchemeKind::ApiKey => "api_key",
            SchemeKind::OAuth2ClientCredentials => "oauth2_client_credentials",
        }
    }
}

/// The credentials sent with every request, for one of the schemes an API offers.
///
/// `Debug` shows the scheme and `<redacted>` for every secret. A Basic user name or OAuth
/// client id is shown only when it is short (under 12 characters: a shop number, a login);
/// a longer one may be a secret key used as the user name, as some APIs do, and is redacted
/// like one, in `Debug` and in every text an error keeps.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials(Kind);

#[derive(Clone, PartialEq, Eq)]
enum Kind {
    Basic {
        user: Secret,
        password: Secret,
    },
    Bearer {
        token: Secret,
    },
    ApiKey {
        key: Secret,
    },
    OAuth2 {
        client_id: Secret,
        client_secret: Secret,
    },
}

impl Credentials {
    /// HTTP Basic credentials: a user name (which must not contain `:`) and a password.
    pub fn basic(user: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials(Kind::Basic {
            user: Secret::new(user),
            password: Secret::new(password),
        })
    }

    /// A bearer token, sent as `Authorization: Bearer <token>`.
    pub fn bearer(token: impl Into<String>) -> Self {
        Credentials(Kind::Bearer {
            token: Secret::new(token),
        })
    }

    /// An API key, sent where the API's spec says (a header or a query parameter).
    pub fn api_key(key: impl Into<String>) -> Self {
        Credentials(Kind::ApiKey {
            key: Secret::new(key),
        })
    }

    /// OAuth2 client credentials: the runtime obtains access tokens with them from the API's
    /// token endpoint.
    pub fn oauth2_client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Credentials(Kind::OAuth2 {
            client_id: Secret::new(client_id),
            client_secret: Secret::new(client_secret),
        })
    }

    /// Which scheme these credentials are for.
    pub fn kind(&self) -> SchemeKind {
        match &self.0 {
            Kind::Basic { .. } => SchemeKind::Basic,
            Kind::Bearer { .. } => SchemeKind::Bearer,
            Kind::ApiKey { .. } => SchemeKind::ApiKey,
            Kind::OAuth2 { .. } => SchemeKind::OAuth2ClientCredentials,
        }
    }

    /// The user name of Basic credentials, or the client id of OAuth2 ones.
    pub fn user(&self) -> Option<&str> {
        match &self.0 {
            Kind::Basic { user, .. } => Some(user.expose()),
            Kind::OAuth2 { client_id, .. } => Some(client_id.expose()),
            Kind::Bearer { .. } | Kind::ApiKey { .. } => None,
        }
    }

    /// The secret: the password, the token, the key or the client secret.
    pub fn secret(&self) -> &Secret {
        match &self.0 {
            Kind::Basic { password, .. } => password,
            Kind::Bearer { token } => token,
            Kind::ApiKey { key } => key,
            Kind::OAuth2 { client_secret, .. } => client_secret,
        }
    }

    /// The secret (the password of Basic credentials); the same as [`Credentials::secret`].
    pub fn password(&self) -> &Secret {
        self.secret()
    }

    /// Every value, named, for the checks and the redaction.
    fn values(&self) -> Vec<(&'static str, &str)> {
        match &self.0 {
            Kind::Basic { user, password } => vec![
                ("user name", user.expose()),
                ("password", password.expose()),
            ],
            Kind::Bearer { token } => vec![("token", token.expose())],
            Kind::ApiKey { key } => vec![("API key", key.expose())],
            Kind::OAuth2 {
                client_id,
                client_secret,
            } => vec![
                ("client id", client_id.expose()),
                ("client secret", client_secret.expose()),
            ],
        }
    }

    /// Refuses credentials that cannot be meant: an empty or blank value (typically an unset
    /// environment variable read with a default), or a control character (a line break read
    /// with the value).
    pub(crate) fn check(&self) -> Result<(), String> {
        for (what, value) in self.values() {
            if value.trim().is_empty() {
                return Err(format!("the {what} of the credentials is empty"));
            }
            if value.chars().any(char::is_control) {
                return Err(format!(
                    "the {what} of the credentials holds a control character (a line break read with it?)"
                ));
            }
        }
        if let Kind::Basic { user, .. } = &self.0 {
            if user.expose().contains(':') {
                return Err("the user name of HTTP Basic credentials must not contain `:`".into());
            }
        }
        Ok(())
    }

    /// The texts a redactor removes: every secret with its encodings, and the Basic tokens.
    /// A Basic user name or OAuth client id counts when it is long enough to be a key (12
    /// characters); a shorter one is a shop number or a login, and removing every occurrence
    /// of `u` or `shop` from server messages would make them unreadable.
    pub(crate) fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        match &self.0 {
            Kind::Basic { user, password } => {
                if key_like(user.expose()) {
                    out.push(user.expose().to_owned());
                }
                out.push(password.expose().to_owned());
                out.push(basic_token(user.expose(), password.expose()));
            }
            Kind::Bearer { token } => out.push(token.expose().to_owned()),
            Kind::ApiKey { key } => out.push(key.expose().to_owned()),
            Kind::OAuth2 {
                client_id,
                client_secret,
            } => {
                if key_like(client_id.expose()) {
                    out.push(client_id.expose().to_owned());
                }
                out.push(client_secret.expose().to_owned());
                out.push(basic_token(client_id.expose(), client_secret.expose()));
            }
        }
        out
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Credentials");
        s.field("scheme", &self.kind().name());
        for (what, value) in self.values() {
            let shown = matches!(what, "user name" | "client id") && !key_like(value);
            s.field(what, &if shown { value } else { "<redacted>" });
        }
        s.finish()
    }
}

/// From this many characters, a Basic user name or an OAuth client id may be a key: it is
/// redacted.
const KEY_LIKE: usize = 12;

/// Whether a user name or client id is treated as a secret.
fn key_like(value: &str) -> bool {
    value.chars().count() >= KEY_LIKE
}

/// How one attempt is authenticated.
pub(crate) enum Applied<'a> {
    /// A header (Basic, bearer, API key, OAuth access token), marked sensitive.
    Header(HeaderName, HeaderValue),
    /// A query parameter holding the key.
    Query(&'static str, &'a str),
}

/// Credentials made ready for one API: what every attempt carries.
pub(crate) struct Authenticator {
    method: Method,
}

enum Method {
    Header(HeaderName, HeaderValue),
    Query(&'static str, Secret),
    OAuth(Box<OAuth>),
}

/// An access token in use, and when to replace it.
#[derive(Clone)]
pub(crate) struct Token {
    header: HeaderValue,
    /// When to get a new one (some margin before it expires); `None`: until a 401.
    refresh_at: Option<Instant>,
    /// Which token this is, so that a 401 only discards the token it was sent with.
    pub(crate) generation: u64,
}

struct OAuth {
    token_url: Url,
    scope: String,
    client_auth: ClientAuth,
    client_id: Secret,
    client_secret: Secret,
    /// Held while a token is fetched: one refresh at a time, and those waiting get its token.
    current: tokio::sync::Mutex<Option<Token>>,
    generations: AtomicU64,
}

/// The largest token endpoint answer read.
const MAX_TOKEN_ANSWER: usize = 64 * 1024;
/// The most a token is refreshed before it expires.
const REFRESH_MARGIN: Duration = Duration::from_secs(30);

impl Authenticator {
    /// Checks the credentials against the schemes the API offers and prepares what each
    /// attempt sends. `token_url` overrides an OAuth scheme's token endpoint; either is
    /// checked like a base URL.
    pub(crate) fn new(
        schemes: &[AuthScheme],
        credentials: &Credentials,
        token_url: Option<&str>,
        allow_plain_http: bool,
    ) -> Result<Authenticator, Error> {
        let kind = credentials.kind();
        let Some(scheme) = schemes.iter().find(|s| s.kind() == kind) else {
            let offered: Vec<&str> = schemes.iter().map(|s| s.kind().name()).collect();
            return Err(Error::Config(format!(
                "the API does not take `{}` credentials; it offers: {}",
                kind.name(),
                if offered.is_empty() {
                    "none".to_owned()
                } else {
                    offered.join(", ")
                }
            )));
        };
        credentials.check().map_err(Error::Config)?;
        let authorization =
            |value: String| sensitive(&value).map(|v| Method::Header(AUTHORIZATION, v));
        let method = match (&credentials.0, *scheme) {
            (Kind::Basic { user, password }, _) => authorization(format!(
                "Basic {}",
                basic_token(user.expose(), password.expose())
            ))?,
            (Kind::Bearer { token }, _) => authorization(format!("Bearer {}", token.expose()))?,
            (
                Kind::ApiKey { key },
                AuthScheme::ApiKey {
                    location: KeyLocation::Header,
                    name,
                    prefix,
                },
            ) => Method::Header(
                api_key_header(name)?,
                sensitive(&format!("{prefix}{}", key.expose()))?,
            ),
            (
                Kind::ApiKey { key },
                AuthScheme::ApiKey {
                    location: KeyLocation::Query,
                    name,
                    ..
                },
            ) => {
                if !query_name(name) {
                    return Err(Error::Config(format!(
                        "the API key's query parameter name `{}` cannot be sent",
                        name.escape_default()
                    )));
                }
                Method::Query(name, key.clone())
            }
            (
                Kind::OAuth2 {
                    client_id,
                    client_secret,
                },
                AuthScheme::OAuth2ClientCredentials {
                    token_url: declared,
                    scopes,
                    client_auth,
                },
            ) => {
                if client_auth == ClientAuth::Basic && client_id.expose().contains(':') {
                    return Err(Error::Config(
                        "the client id must not contain `:` to be sent as HTTP Basic credentials"
                            .to_owned(),
                    ));
                }
                let raw = token_url.unwrap_or(declared);
                let (checked, _) =
                    super::client::check_base_url(raw, allow_plain_http).map_err(|e| match e {
                        Error::Config(m) => {
                            Error::Config(m.replace("the base URL", "the OAuth token URL"))
                        }
                        other => other,
                    })?;
                let token_url = Url::parse(&checked).map_err(|_| {
                    Error::Config("the OAuth token URL is not a valid URL".to_owned())
                })?;
                Method::OAuth(Box::new(OAuth {
                    token_url,
                    scope: scopes.join(" "),
                    client_auth,
                    client_id: client_id.clone(),
                    client_secret: client_secret.clone(),
                    current: tokio::sync::Mutex::new(None),
                    generations: AtomicU64::new(0),
                }))
            }
            // `find` above matched the kinds.
            _ => {
                return Err(Error::Config(
                    "the credentials do not match the API's scheme".to_owned(),
                ));
            }
        };
        Ok(Authenticator { method })
    }

    /// What this attempt carries; for OAuth the current access token, obtained first when
    /// there is none or it is about to expire. Also returns the token's generation.
    pub(crate) async fn apply(
        &self,
        ctx: &TokenContext<'_>,
    ) -> Result<(Applied<'_>, Option<u64>), Error> {
        match &self.method {
            Method::Header(name, value) => Ok((Applied::Header(name.clone(), value.clone()), None)),
            Method::Query(name, key) => Ok((Applied::Query(name, key.expose()), None)),
            Method::OAuth(oauth) => {
                let token = oauth.token(ctx).await?;
                Ok((
                    Applied::Header(AUTHORIZATION, token.header.clone()),
                    Some(token.generation),
                ))
            }
        }
    }

    /// Discards the access token of this generation (the API answered 401 to it), so that the
    /// next attempt gets a new one; a newer token obtained meanwhile is kept.
    pub(crate) async fn discard(&self, generation: u64) {
        if let Method::OAuth(oauth) = &self.method {
            let mut current = oauth.current.lock().await;
            if current.as_ref().is_some_and(|t| t.generation == generation) {
                *current = None;
            }
        }
    }
}

/// What fetching a token needs from the core.
pub(crate) struct TokenContext<'a> {
    pub(crate) operation: &'static str,
    pub(crate) http: &'a reqwest::Client,
    pub(crate) timeout: Duration,
    pub(crate) user_agent: &'a HeaderValue,
    pub(crate) redactor: &'a Redactor,
}

impl OAuth {
    /// The current token, or a new one.
    async fn token(&self, ctx: &TokenContext<'_>) -> Result<Token, Error> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref() {
            if token.refresh_at.is_none_or(|at| Instant::now() < at) {
                return Ok(token.clone());
            }
        }
        let token = self.fetch(ctx).await?;
        *current = Some(token.clone());
        Ok(token)
    }

    /// Asks the token endpoint for a token (the client-credentials grant).
    async fn fetch(&self, ctx: &TokenContext<'_>) -> Result<Token, Error> {
        let failed = |reason: String, status: Option<u16>| Error::Token {
            operation: ctx.operation,
            reason,
            status,
        };
        // Built apart: the form serializer is not `Send`, and this future must be.
        let form = {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "client_credentials");
            if !self.scope.is_empty() {
                form.append_pair("scope", &self.scope);
            }
            if self.client_auth == ClientAuth::Body {
                form.append_pair("client_id", self.client_id.expose());
                form.append_pair("client_secret", self.client_secret.expose());
            }
            form.finish()
        };
        let mut request = ctx
            .http
            .post(self.token_url.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, ctx.user_agent.clone())
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
        if self.client_auth == ClientAuth::Basic {
            let value = sensitive(&format!(
                "Basic {}",
                basic_token(self.client_id.expose(), self.client_secret.expose())
            ))?;
            request = request.header(AUTHORIZATION, value);
        }
        let request = request.body(form);
        tracing::debug!("payspec requesting an access token");
        let exchange = async {
            let mut response = request.send().await.map_err(|e| {
                let e = e.without_url();
                failed(
                    format!(
                        "the token endpoint could not be reached: {}",
                        ctx.redactor.redact(&super::client::chain(&e))
                    ),
                    None,
                )
            })?;
            if response.url() != &self.token_url {
                return Err(failed(
                    "the token endpoint answered from another URL (a redirect)".to_owned(),
                    None,
                ));
            }
            let status = response.status().as_u16();
            let body = read_limited(&mut response).await.map_err(|_| {
                failed(
                    "the token endpoint's answer could not be read".to_owned(),
                    None,
                )
            })?;
            Ok((status, body))
        };
        let (status, body) = match tokio::time::timeout(ctx.timeout, exchange).await {
            Ok(result) => result?,
            Err(_) => {
                return Err(failed(
                    format!("the token endpoint gave no answer within {:?}", ctx.timeout),
                    None,
                ));
            }
        };
        let json: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
        if !(200..300).contains(&status) {
            // Only the OAuth error code (RFC 6749, 5.2), when it looks like one: the body and
            // the error description may echo what was sent.
            let code = json
                .as_ref()
                .and_then(|j| j.get("error"))
                .and_then(serde_json::Value::as_str)
                .filter(|c| {
                    !c.is_empty()
                        && c.len() <= 40
                        && c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                });
            let reason = match code {
                Some(code) => format!("the token endpoint answered HTTP {status} ({code})"),
                None => format!("the token endpoint answered HTTP {status}"),
            };
            return Err(failed(reason, Some(status)));
        }
        let refused =
            |what: &str| failed(format!("the token endpoint's answer {what}"), Some(status));
        let json = json.ok_or_else(|| refused("is not JSON"))?;
        let access_token = json
            .get("access_token")
            .and_then(serde_json::Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| refused("holds no access_token"))?;
        ctx.redactor.add_secret(access_token);
        if let Some(kind) = json.get("token_type").and_then(serde_json::Value::as_str) {
            if !kind.eq_ignore_ascii_case("bearer") {
                return Err(refused("gives a token that is not a bearer token"));
            }
        }
        let expires_in = json.get("expires_in").and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        });
        let header = sensitive(&format!("Bearer {access_token}"))
            .map_err(|_| refused("gives a token that cannot be sent in a header"))?;
        // A lifetime too long to count (a hostile answer) is kept like one without expiry:
        // until the API refuses the token.
        let refresh_at = expires_in.and_then(|secs| {
            let lifetime = Duration::from_secs(secs);
            Instant::now().checked_add(lifetime - REFRESH_MARGIN.min(lifetime / 4))
        });
        tracing::debug!(expires_in, "payspec access token obtained");
        Ok(Token {
            header,
            refresh_at,
            generation: self.generations.fetch_add(1, Ordering::Relaxed) + 1,
        })
    }
}

/// Reads at most [`MAX_TOKEN_ANSWER`] bytes of the answer.
async fn read_limited(response: &mut reqwest::Response) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_TOKEN_ANSWER {
            body.truncate(MAX_TOKEN_ANSWER);
            break;
        }
    }
    Ok(body)
}

/// A header value holding a secret, marked sensitive (HTTP/2 never indexes it, `Debug`
/// hides it). The error never shows the value.
fn sensitive(value: &str) -> Result<HeaderValue, Error> {
    if !header_value(value) {
        return Err(Error::Config(
            "the credentials cannot be sent in a header (visible ASCII only)".to_owned(),
        ));
    }
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        Error::Config("the credentials cannot be sent in a header (visible ASCII only)".to_owned())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// The header an API key goes in: a header name the runtime does not set, or `Authorization`.
fn api_key_header(name: &str) -> Result<HeaderName, Error> {
    let allowed = match header_name(name) {
        Ok(()) => true,
        Err(HeaderNameProblem::Reserved(reserved)) => reserved == "Authorization",
        Err(HeaderNameProblem::NotToken(_)) => false,
    };
    allowed
        .then(|| HeaderName::from_bytes(name.as_bytes()).ok())
        .flatten()
        .ok_or_else(|| {
            Error::Config(format!(
                "the API key's header `{}` cannot be sent, or is one the runtime sets",
                name.escape_default()
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_value() {
        for credentials in [
            Credentials::basic("sk_live_user_KEY", "pw-SECRET"),
            Credentials::bearer("tok-SECRET"),
            Credentials::api_key("key-SECRET"),
            Credentials::oauth2_client_credentials("client-ID-long-enough", "client-SECRET"),
        ] {
            let debug = format!("{credentials:?}");
            assert!(!debug.contains("SECRET"), "{debug}");
            assert!(!debug.contains("KEY"), "{debug}");
            assert!(!debug.contains("ID"), "{debug}");
            assert!(debug.contains(credentials.kind().name()), "{debug}");
        }
    }

    #[test]
    fn undeclared_schemes_and_bad_values_are_refused() {
        let basic_only = [AuthScheme::Basic];
        let refused = Authenticator::new(&basic_only, &Credentials::bearer("t"), None, false);
        match refused {
            Err(Error::Config(m)) => assert!(m.contains("`bearer`") && m.contains("basic"), "{m}"),
            _ => panic!("accepted"),
        }
        for bad in [
            Credentials::bearer(" "),
            Credentials::bearer("a\nb"),
            Credentials::basic("u:x", "p"),
            Credentials::bearer("caf\u{e9}"),
            Credentials::oauth2_client_credentials("id:1", "s"),
        ] {
            let schemes = [
                AuthScheme::Basic,
                AuthScheme::Bearer,
                AuthScheme::OAuth2ClientCredentials {
                    token_url: "https://auth.example.com/token",
                    scopes: &[],
                    client_auth: ClientAuth::Basic,
                },
            ];
            let result = Authenticator::new(&schemes, &bad, None, false);
            assert!(matches!(result, Err(Error::Config(_))), "{bad:?}");
        }
    }

    #[test]
    fn api_key_headers_may_be_authorization_but_not_other_runtime_headers() {
        assert!(api_key_header("X-Api-Key").is_ok());
        assert!(api_key_header("Authorization").is_ok());
        assert!(api_key_header("Content-Type").is_err());
        assert!(api_key_header("X Key").is_err());
    }
}
