//! Hostile base URLs: whatever a base URL holds (a password with `/`, `#` or `?`, an `@` in
//! the path, percent-encoded delimiters, IPv6 hosts, whitespace, no scheme, a key in the query),
//! the password never appears in the `Error::Config` it causes, nor in the `Debug` of the
//! configuration.

use payspec_runtime::{ClientConfig, Core, Credentials, Error, Protocol};

/// The secret hidden in every URL below (upper case, so that no normalisation lowers it).
const SECRET: &str = "S3CRETpw";

/// Base URLs that must be refused, each holding [`SECRET`].
const REFUSED: &[&str] = &[
    // User-info, plain and with the characters that end an authority early.
    "https://user:S3CRETpw@api.example.com",
    "https://user:S3CRETpw@api.example.com/api",
    "https://S3CRETpw@api.example.com",
    "https://user:S3CRETpw/x@api.example.com",
    "https://user:pa/S3CRETpw@api.example.com",
    "https://user:pa#S3CRETpw@api.example.com",
    "https://user:pa?S3CRETpw@api.example.com",
    "https://user:pa\\S3CRETpw@api.example.com",
    "https://user:1234/S3CRETpw@api.example.com",
    "https://user:S3CRETpw@@api.example.com",
    "https://user:S3CRETpw@api.example.com:notaport",
    "https://user:S3CRETpw@",
    // Percent-encoded colons and at signs.
    "https://user:pa%3AS3CRETpw@api.example.com",
    "https://user%3AS3CRETpw@api.example.com",
    "https://user:S3CRETpw%40x@api.example.com",
    "https://user%40S3CRETpw.example.com",
    // `@` in the path, the query or the fragment.
    "https://api.example.com/user:S3CRETpw@other.example.com",
    "https://api.example.com/x?u=user:S3CRETpw@y",
    "https://api.example.com/#user:S3CRETpw@y",
    // IPv6 hosts.
    "https://user:S3CRETpw@[::1]:8443/api",
    "http://user:S3CRETpw@[::1]/api",
    "https://[::1:S3CRETpw@x",
    "https://[S3CRETpw]",
    // Whitespace and control characters.
    " https://user:S3CRETpw@api.example.com ",
    "https://user:S3 CRETpw@api.example.com",
    "https://user:S3CRETpw\t@api.example.com",
    "https://user:pa ss/S3CRETpw@api.example.com",
    "https://api.exa mple.com/S3CRETpw",
    // No scheme, or an odd one.
    "user:S3CRETpw@api.example.com",
    "//user:S3CRETpw@api.example.com",
    "api.example.com/S3CRETpw",
    "https:user:S3CRETpw@api.example.com",
    "https:\\\\user:S3CRETpw@api.example.com",
    "ftp://user:S3CRETpw@127.0.0.1",
    "mailto:S3CRETpw@example.com",
    "data:text/plain,S3CRETpw",
    "file:///S3CRETpw",
    // A key in the query or the fragment, or in the path of a refused URL.
    "https://api.example.com/api?key=S3CRETpw",
    "https://api.example.com/api#S3CRETpw",
    "https://api.example.com?S3CRETpw",
    "http://api.example.com/S3CRETpw",
    "ftp://api.example.com/S3CRETpw",
    "https://api.example.com:99999/S3CRETpw",
];

fn config(base: &str) -> ClientConfig {
    ClientConfig::new(base, Credentials::basic("user", "another-password"))
}

#[test]
fn hostile_base_urls_never_show_the_password() {
    for base in REFUSED {
        let config = config(base);
        let debug = format!("{config:?} {config:#?}");
        assert!(
            !debug.contains(SECRET),
            "{base:?}: Debug of ClientConfig: {debug}"
        );
        match Core::new(config, Protocol::Rest) {
            Err(error @ Error::Config(_)) => {
                let text = format!("{error} / {error:?} / {error:#?}");
                assert!(!text.contains(SECRET), "{base:?}: {text}");
                assert!(text.contains("base URL"), "{base:?}: {text}");
            }
            other => panic!("{base:?} was not refused: {other:?}"),
        }
    }
}

#[test]
fn refused_base_urls_show_at_most_their_scheme_and_host() {
    let cases = [
        (
            "https://api.example.com/api?key=k",
            "`https://api.example.com` must not have a query or a fragment",
        ),
        (
            "http://api.example.com:8080/api",
            "`http://api.example.com:8080` uses plain http",
        ),
        ("ftp://[::2]/x", "`ftp://[::2]` has the scheme `ftp`"),
        ("https://user:pw@api.example.com", "(nor any `@`)"),
        (
            "api.example.com/x",
            "is not a valid URL: relative URL without a base",
        ),
    ];
    for (base, expected) in cases {
        match Core::new(config(base), Protocol::Rest) {
            Err(error @ Error::Config(_)) => {
                let text = error.to_string();
                assert!(text.contains(expected), "{base}: {text}");
            }
            other => panic!("{base} was not refused: {other:?}"),
        }
    }
}

#[test]
fn accepted_base_urls_show_in_debug_without_credentials() {
    for (base, shown) in [
        (
            "https://api.example.com/api-payment/",
            "https://api.example.com/api-payment",
        ),
        ("http://[::1]:8080", "http://[::1]:8080"),
        (" https://API.example.com ", "https://api.example.com"),
    ] {
        let config = config(base);
        let debug = format!("{config:?}");
        assert!(debug.contains(shown), "{base}: {debug}");
        assert!(!debug.contains("another-password"), "{base}: {debug}");
        let core = Core::new(config, Protocol::Rest).unwrap();
        let debug = format!("{core:?}");
        assert!(debug.contains(shown), "{base}: {debug}");
        assert!(!debug.contains("another-password"), "{base}: {debug}");
    }
}
