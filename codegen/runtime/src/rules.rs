//! Rules that codegen and the runtime must apply identically, in one file that both compile:
//! codegen includes it with `#[path]` (see `codegen/src/lib.rs`) for its checks, so a spec
//! passes them exactly when the runtime would accept its values. It uses nothing else of the
//! runtime.

use url::Url;

/// The most minor-unit digits a currency may have. ISO 4217 currencies have 0 to 4; the
/// bound keeps `10^digits` well inside a `u64` (`10^20` is not) and formatted amounts short.
pub const MAX_MINOR_DIGITS: u32 = 18;

/// The form of a spec `pattern` that is compiled: a match must cover the whole value.
///
/// The closing part must survive whatever the pattern ends with. In extended mode (`(?x)`) a
/// trailing `# comment` runs to the end of the line, so it would swallow a bare `)$`: the
/// newline ends any comment. Outside extended mode that newline would be a literal to match,
/// so `(?x)` first turns it into ignored whitespace; either way the group then closes. Flags
/// the pattern sets (`(?m)`, `(?i)`, `(?x)`) stay inside the group, so the outer `^` and `$`
/// always anchor at the ends of the whole value.
// Used by the runtime only with its `regex` feature (codegen always).
#[allow(dead_code)]
pub fn anchored_pattern(pattern: &str) -> String {
    format!("^(?:{pattern}(?x)\n)$")
}

/// Compiles a spec `pattern` into the regular expression that checks whole values, with the
/// engine's constructor `new` (the rule is shared; the engine is the caller's).
///
/// The pattern must compile on its own too: wrapped, an unbalanced `a)|(b` would compile into
/// `^(?:a)|(b…)$`, which no longer anchors both ends.
// Used by the runtime only with its `regex` feature (codegen always).
#[allow(dead_code)]
pub fn compile_anchored<R, E>(pattern: &str, new: impl Fn(&str) -> Result<R, E>) -> Result<R, E> {
    new(pattern)?;
    new(&anchored_pattern(pattern))
}

/// A spec `pattern` simple enough to check without a regular expression engine: one bracket
/// set of ASCII letters, digits and ranges between them, repeated (`^[0-9a-fA-F]{32}$`,
/// `[A-Z0-9]{1,12}`, `^[a-z]+$`), the `^` and `$` optional as [`anchored_pattern`] anchors
/// both ends anyway. [`SimplePattern::matches`] agrees with the compiled pattern on every
/// value (a property test checks it against `regex-lite`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimplePattern {
    /// The bytes of the set (all ASCII), bit `b` for byte `b`: made without allocating and
    /// tested in one step per byte.
    set: u128,
    /// The fewest repetitions.
    min: usize,
    /// The most repetitions, when bounded.
    max: Option<usize>,
}

/// The largest repetition count [`simple_pattern`] takes; larger ones are left to the engine.
const SIMPLE_MAX_REPEAT: usize = 1000;

/// The [`SimplePattern`] a pattern is, or `None` when it is anything else (which the regular
/// expression then checks).
pub fn simple_pattern(pattern: &str) -> Option<SimplePattern> {
    let rest = pattern.strip_prefix('^').unwrap_or(pattern);
    let rest = rest.strip_suffix('$').unwrap_or(rest);
    let (set, quantifier) = rest.strip_prefix('[')?.split_once(']')?;
    let set = set.as_bytes();
    if set.is_empty() {
        return None;
    }
    let mut bytes: u128 = 0;
    // The bits of the bytes `low..=high`, all ASCII letters or digits (below 128).
    let range = |low: u8, high: u8| (u128::MAX >> (127 - high)) & (u128::MAX << low);
    let mut i = 0;
    while i < set.len() {
        let low = set[i];
        if !low.is_ascii_alphanumeric() {
            return None;
        }
        if set.get(i + 1) == Some(&b'-') && i + 2 < set.len() {
            let high = set[i + 2];
            if !high.is_ascii_alphanumeric() || high < low {
                return None;
            }
            bytes |= range(low, high);
            i += 3;
        } else {
            bytes |= range(low, low);
            i += 1;
        }
    }
    let count = |text: &str| {
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<usize>().ok())
            .flatten()
            .filter(|n| *n <= SIMPLE_MAX_REPEAT)
    };
    let (min, max) = match quantifier {
        "" => (1, Some(1)),
        "+" => (1, None),
        "*" => (0, None),
        "?" => (0, Some(1)),
        _ => {
            let inner = quantifier.strip_prefix('{')?.strip_suffix('}')?;
            match inner.split_once(',') {
                None => {
                    let n = count(inner)?;
                    (n, Some(n))
                }
                Some((low, "")) => (count(low)?, None),
                Some((low, high)) => {
                    let (low, high) = (count(low)?, count(high)?);
                    if high < low {
                        return None;
                    }
                    (low, Some(high))
                }
            }
        }
    };
    Some(SimplePattern {
        set: bytes,
        min,
        max,
    })
}

impl SimplePattern {
    /// Whether the whole value matches.
    pub fn matches(&self, value: &str) -> bool {
        // Every byte in the set makes the value ASCII: its length in bytes is its length in
        // characters.
        let len = value.len();
        len >= self.min
            && self.max.is_none_or(|max| len <= max)
            && value
                .bytes()
                .all(|b| b < 128 && self.set & (1u128 << b) != 0)
    }
}

/// Why a base URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseUrlProblem {
    /// The text is not a URL; the parser says why.
    Invalid(url::ParseError),
    /// A user name or password, or any `@`: credentials are given apart, and a URL ends up
    /// in logs.
    UserInfo,
    /// A query or a fragment: operation paths are appended to the base URL.
    QueryOrFragment,
    /// No host to send requests to.
    NoHost,
    /// Plain `http` to a host that is not a loopback address, without the explicit opt-in.
    PlainHttp,
    /// A scheme other than `https` and `http`.
    Scheme(String),
    /// A `{` or `}`: a variable of a templated environment URL left unfilled.
    Placeholder,
}

/// A usable base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Normalized by the URL parser, without a trailing `/`.
    pub url: String,
    /// Whether requests use TLS.
    pub https: bool,
}

/// Checks a base URL: absolute, `https` (plain `http` only for a loopback host, or any host
/// with `allow_plain_http`), with a host, and without user-info, query or fragment.
pub fn base_url(raw: &str, allow_plain_http: bool) -> Result<BaseUrl, BaseUrlProblem> {
    // Refused before parsing: a password holding `/`, `?`, `#` or `\` ends the authority
    // early, and the parser then reads part of it as a host, a port or a path, so that no part
    // of such a URL can safely be shown. An `@` of a path is written `%40`.
    if raw.contains('@') {
        return Err(BaseUrlProblem::UserInfo);
    }
    // The parser would percent-encode a `{name}` of a path and send it: a template must be
    // filled (`encode::fill_base_url`) before it is a base URL.
    if raw.contains(['{', '}']) {
        return Err(BaseUrlProblem::Placeholder);
    }
    let url = Url::parse(raw.trim()).map_err(BaseUrlProblem::Invalid)?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BaseUrlProblem::UserInfo);
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(BaseUrlProblem::QueryOrFragment);
    }
    let Some(host) = url.host_str().filter(|h| !h.is_empty()) else {
        return Err(BaseUrlProblem::NoHost);
    };
    let https = match url.scheme() {
        "https" => true,
        "http" if allow_plain_http || is_loopback(host) => false,
        "http" => return Err(BaseUrlProblem::PlainHttp),
        other => return Err(BaseUrlProblem::Scheme(other.to_owned())),
    };
    Ok(BaseUrl {
        url: url.as_str().trim_end_matches('/').to_owned(),
        https,
    })
}

/// `localhost`, `127.0.0.0/8` or `::1`.
fn is_loopback(host: &str) -> bool {
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A piece of a base URL template (`https://{prefix}.api.example.com`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlTemplatePiece<'a> {
    /// Text written as it is.
    Literal(&'a str),
    /// A `{name}` placeholder: the name.
    Variable(&'a str),
}

/// Why a base URL template does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlTemplateProblem {
    /// A `{` without its `}`, at this byte offset.
    Unclosed(usize),
    /// A `}` without its `{`, at this byte offset.
    Unopened(usize),
    /// A placeholder whose name is empty or not ASCII letters, digits and `_`.
    BadName(String),
}

/// Splits a base URL template into text and `{name}` placeholders. A name is ASCII letters,
/// digits and `_`; braces never nest and always pair.
pub fn url_template(template: &str) -> Result<Vec<UrlTemplatePiece<'_>>, UrlTemplateProblem> {
    let mut pieces = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(UrlTemplateProblem::Unopened(offset + open));
        }
        let Some(close) = rest[open + 1..].find(['{', '}']).map(|c| c + open + 1) else {
            return Err(UrlTemplateProblem::Unclosed(offset + open));
        };
        if rest[close..].starts_with('{') {
            return Err(UrlTemplateProblem::Unclosed(offset + open));
        }
        let name = &rest[open + 1..close];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(UrlTemplateProblem::BadName(name.to_owned()));
        }
        if open > 0 {
            pieces.push(UrlTemplatePiece::Literal(&rest[..open]));
        }
        pieces.push(UrlTemplatePiece::Variable(name));
        offset += close + 1;
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(UrlTemplatePiece::Literal(rest));
    }
    Ok(pieces)
}

/// Whether a value may fill a base URL variable: non-empty ASCII letters, digits, `-`, `_`
/// and `.` (not first, not last, never two in a row), so that it cannot add a user-info, a
/// port, a path, a query or a fragment, nor a dot segment.
pub fn url_variable_value(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !value.starts_with('.')
        && !value.ends_with('.')
        && !value.contains("..")
}

/// Why a request path cannot be appended to a base URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    /// It does not start with `/`.
    NotAbsolute,
    /// A `?` or `#`: query parameters are sent apart, and a fragment is never sent.
    QueryOrFragment,
    /// A `\`, which URL parsers read as `/`.
    Backslash,
    /// A character the URL parser would percent-encode: a space, a control, a non-ASCII
    /// character, or one of `" < > ` { }`.
    Character(char),
    /// An empty segment (`//`, or a trailing `/`).
    EmptySegment,
    /// A `.` or `..` segment (also percent-encoded), which the parser would resolve away.
    DotSegment,
    /// A `%` not followed by two hexadecimal digits.
    Percent,
    /// The URL parser rewrote the joined URL in some other way.
    Rewritten,
}

/// The checks of [`ParsedBase::join`] on the path alone.
fn check_request_path(path: &str) -> Result<(), PathProblem> {
    if is_plain_path(path.as_bytes()) {
        return Ok(());
    }
    check_every_rule(path)
}

/// Every check of [`check_request_path`], one after the other: the first refused gives the
/// problem.
fn check_every_rule(path: &str) -> Result<(), PathProblem> {
    if !path.starts_with('/') {
        return Err(PathProblem::NotAbsolute);
    }
    if let Some(c) = path
        .chars()
        .find(|c| !c.is_ascii_graphic() || "\"<>`{}".contains(*c))
    {
        return Err(PathProblem::Character(c));
    }
    if path.contains(['?', '#']) {
        return Err(PathProblem::QueryOrFragment);
    }
    if path.contains('\\') {
        return Err(PathProblem::Backslash);
    }
    if path != "/" {
        for segment in path.split('/').skip(1) {
            if segment.is_empty() {
                return Err(PathProblem::EmptySegment);
            }
            if is_dot_segment(segment) {
                return Err(PathProblem::DotSegment);
            }
        }
    }
    let bytes = path.as_bytes();
    for (at, _) in path.match_indices('%') {
        let escape = bytes.get(at + 1..at + 3);
        if !escape.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
            return Err(PathProblem::Percent);
        }
    }
    Ok(())
}

/// Whether `path` passes every check of [`check_request_path`] for plain reasons, seen in one
/// pass over its bytes: it starts with `/` and holds only unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) and `/`, with no empty segment and no `.` or `..` segment. The usual
/// request path (`/v1/orders/27HB`); any other goes through every check.
pub fn is_plain_path(path: &[u8]) -> bool {
    let Some((b'/', rest)) = path.split_first() else {
        return false;
    };
    if rest.is_empty() {
        return true;
    }
    // The length of the segment read so far, and whether it holds only dots.
    let (mut length, mut dots) = (0usize, true);
    for &byte in rest {
        if byte == b'/' {
            if length == 0 || (dots && length <= 2) {
                return false;
            }
            (length, dots) = (0, true);
        } else if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            length += 1;
            dots &= byte == b'.';
        } else {
            return false;
        }
    }
    length != 0 && !(dots && length <= 2)
}

/// A base URL parsed once, so that each request's URL is made without parsing the scheme and
/// the host again ([`ParsedBase::join`]).
#[derive(Debug, Clone)]
pub struct ParsedBase {
    /// The base as [`BaseUrl::url`] writes it.
    text: String,
    url: Url,
    /// Where the URL's path starts in `text` joined with a request path.
    path_start: usize,
}

impl ParsedBase {
    /// Parses a [`BaseUrl::url`]; `None` when it does not parse.
    pub fn new(text: &str) -> Option<ParsedBase> {
        let url = Url::parse(text).ok()?;
        // `https://h` parses with the path `/`, which the joined URL replaces; the path of
        // `https://h/api` is the end of the text.
        let path_start = match url.path() {
            "/" => text.len(),
            path if text.ends_with(path) => text.len() - path.len(),
            _ => return None,
        };
        Some(ParsedBase {
            text: text.to_owned(),
            url,
            path_start,
        })
    }

    /// `self + path`, as a URL that is exactly that text: nothing in the path may change the
    /// URL's shape once parsed (dot or empty segments, query or fragment markers), or be
    /// rewritten by the parser. `path` has its parameters already encoded.
    ///
    /// The same URL, or the same refusal, as parsing the joined text and requiring it
    /// unchanged; only the path is parsed.
    pub fn join(&self, path: &str) -> Result<Url, PathProblem> {
        check_request_path(path)?;
        let mut url = self.url.clone();
        match self.text.get(self.path_start..).unwrap_or_default() {
            "" => url.set_path(path),
            base_path => {
                let mut full = String::with_capacity(base_path.len() + path.len());
                full.push_str(base_path);
                full.push_str(path);
                url.set_path(&full);
            }
        }
        if self.is_joined(&url, path) {
            Ok(url)
        } else {
            Err(PathProblem::Rewritten)
        }
    }

    /// Whether `url` is exactly this base's text followed by `path`: the URL [`ParsedBase::join`]
    /// gives, when it gives one.
    pub fn is_joined(&self, url: &Url, path: &str) -> bool {
        let text = url.as_str();
        text.len() == self.text.len() + path.len()
            && text.starts_with(&self.text)
            && text.ends_with(path)
    }
}

/// `.` or `..`, also percent-encoded (URL parsers treat `%2e` as `.`).
fn is_dot_segment(segment: &str) -> bool {
    // At most two dots, each written in at most three characters (`%2e`): nothing longer is
    // one, and most segments are longer (no allocation for them).
    if segment.len() > 6 {
        return false;
    }
    let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
    decoded == "." || decoded == ".."
}

/// Header names the runtime sets itself, which a spec may not set (compared ignoring case).
pub const RUNTIME_HEADERS: &[&str] = &[
    "Authorization",
    "Content-Type",
    "Accept",
    "User-Agent",
    "Host",
    "Content-Length",
];

/// Why a header name given by a spec cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderNameProblem {
    /// Empty, or a character that is not an HTTP token character (RFC 9110: letters, digits
    /// and ``!#$%&'*+-.^_`|~``); holds the first such character, if any.
    NotToken(Option<char>),
    /// A header the runtime sets itself (one of [`RUNTIME_HEADERS`], as written there).
    Reserved(&'static str),
}

/// Checks a header name: an HTTP token that is not one of [`RUNTIME_HEADERS`].
pub fn header_name(name: &str) -> Result<(), HeaderNameProblem> {
    if name.is_empty() {
        return Err(HeaderNameProblem::NotToken(None));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)))
    {
        return Err(HeaderNameProblem::NotToken(Some(bad)));
    }
    match RUNTIME_HEADERS
        .iter()
        .find(|r| r.eq_ignore_ascii_case(name))
    {
        Some(reserved) => Err(HeaderNameProblem::Reserved(reserved)),
        None => Ok(()),
    }
}

/// Response headers a client never keeps for the caller (`framing.headers`), whatever the
/// spec lists: they carry credentials or session state. Compared without regard to case.
pub const SENSITIVE_RESPONSE_HEADERS: &[&str] = &[
    "Authorization",
    "Proxy-Authorization",
    "Cookie",
    "Set-Cookie",
    "Set-Cookie2",
    "WWW-Authenticate",
    "Proxy-Authenticate",
];

/// Whether a response header is one of [`SENSITIVE_RESPONSE_HEADERS`].
pub fn sensitive_response_header(name: &str) -> bool {
    SENSITIVE_RESPONSE_HEADERS
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name))
}

/// Whether a header value can be sent as it is: visible ASCII, spaces and tabs only (no line
/// break, no other control character, nothing beyond ASCII).
pub fn header_value(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

/// Whether `text` is an exact decimal number as a `decimal` value is written: an optional
/// `-`, ASCII digits, and at most one `.` followed by digits (`10.00`, `-5.5`, `0`). No `+`,
/// exponent, space, thousands separator, or leading or trailing `.`.
pub fn decimal_text(text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    match unsigned.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(unsigned),
    }
}

/// The fields of a calendar date or date-time as the wire writes them (`date_fields`,
/// `date_time_fields`); a date alone has midnight and offset zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTimeFields {
    /// 0 to 9999.
    pub year: u16,
    /// 1 to 12.
    pub month: u8,
    /// 1 to the month's last day.
    pub day: u8,
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59.
    pub minute: u8,
    /// 0 to 59 (a leap second, `60`, is not accepted).
    pub second: u8,
    /// The fraction of the second, in nanoseconds (digits past the ninth are dropped).
    pub nanosecond: u32,
    /// The offset from UTC in minutes, -1439 to 1439 (`Z` and `-00:00` are 0).
    pub offset_minutes: i16,
}

/// The number of days of `month` (1 to 12) in `year`, Gregorian.
// `is_multiple_of` is newer than the runtime's rust-version (1.85).
#[allow(clippy::manual_is_multiple_of)]
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `n` ASCII digits at the start of `text`, as a number, and the rest.
fn digits(text: &[u8], n: usize) -> Option<(u32, &[u8])> {
    let (head, rest) = text.split_at_checked(n)?;
    let mut value = 0u32;
    for b in head {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    Some((value, rest))
}

/// `byte` at the start of `text`, and the rest.
fn expect(text: &[u8], byte: u8) -> Option<&[u8]> {
    text.strip_prefix(&[byte])
}

/// A `date` as the wire writes it, RFC 3339's `full-date`: `YYYY-MM-DD`, a day that exists
/// (`2026-02-29` does not). Nothing else: no time, no week or ordinal date.
pub fn date_fields(text: &str) -> Option<DateTimeFields> {
    let (fields, rest) = full_date(text.as_bytes())?;
    rest.is_empty().then_some(fields)
}

fn full_date(text: &[u8]) -> Option<(DateTimeFields, &[u8])> {
    let (year, rest) = digits(text, 4)?;
    let (month, rest) = digits(expect(rest, b'-')?, 2)?;
    let (day, rest) = digits(expect(rest, b'-')?, 2)?;
    let (year, month, day) = (
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    );
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let fields = DateTimeFields {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanosecond: 0,
        offset_minutes: 0,
    };
    Some((fields, rest))
}

/// A `date-time` as the wire writes it, RFC 3339's `date-time`: a date, `T` (or `t`, or the
/// space RFC 3339 allows), `HH:MM:SS`, an optional fraction of at least one digit, and the
/// offset, `Z` (or `z`) or `+HH:MM`/`-HH:MM`. A time without an offset is not a date-time:
/// the instant it names is unknown.
pub fn date_time_fields(text: &str) -> Option<DateTimeFields> {
    let (mut fields, rest) = full_date(text.as_bytes())?;
    let rest = match rest.split_first() {
        Some((b'T' | b't' | b' ', rest)) => rest,
        _ => return None,
    };
    let (hour, rest) = digits(rest, 2)?;
    let (minute, rest) = digits(expect(rest, b':')?, 2)?;
    let (second, mut rest) = digits(expect(rest, b':')?, 2)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut nanosecond = 0u32;
    if let Some(fraction) = expect(rest, b'.') {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return None;
        }
        for (i, b) in fraction[..count].iter().enumerate() {
            if i < 9 {
                nanosecond = nanosecond * 10 + u32::from(b - b'0');
            }
        }
        for _ in count..9 {
            nanosecond *= 10;
        }
        rest = &fraction[count..];
    }
    let offset_minutes = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), offset @ ..] => {
            let (h, rest) = digits(offset, 2)?;
            let (m, rest) = digits(expect(rest, b':')?, 2)?;
            if h > 23 || m > 59 || !rest.is_empty() {
                return None;
            }
            let minutes = i16::try_from(h * 60 + m).ok()?;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    fields.hour = u8::try_from(hour).ok()?;
    fields.minute = u8::try_from(minute).ok()?;
    fields.second = u8::try_from(second).ok()?;
    fields.nanosecond = nanosecond;
    fields.offset_minutes = offset_minutes;
    Some(fields)
}

/// Whether a query parameter name can carry an API key as written: ASCII letters, digits and
/// `-._~[]`, at least one (nothing the URL encoder would rewrite or that splits a query).
pub fn query_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~[]".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pattern rule with the engine codegen and the runtime's `regex` feature use.
    fn compile_pattern(pattern: &str) -> Result<regex_lite::Regex, regex_lite::Error> {
        compile_anchored(pattern, regex_lite::Regex::new)
    }

    /// The bases a request URL is joined to: with and without a path, a port, an IP host, a
    /// percent-encoded path, plain http.
    const BASES: &[&str] = &[
        "https://api.example.com",
        "https://api.example.com/api-payment",
        "https://api.example.com:8443/v1/shop%20one",
        "http://127.0.0.1:3000",
        "http://[::1]:8080/base",
        "https://xn--caf-dma.example/x",
    ];

    /// What [`ParsedBase::join`] means: the joined text, parsed, and unchanged by parsing.
    fn request_url(base: &str, path: &str) -> Result<Url, PathProblem> {
        check_request_path(path)?;
        let joined = format!("{base}{path}");
        match Url::parse(&joined) {
            Ok(url) if url.as_str() == joined => Ok(url),
            _ => Err(PathProblem::Rewritten),
        }
    }

    #[test]
    fn a_parsed_base_joins_as_the_text_does() {
        for base in BASES {
            let parsed = ParsedBase::new(base).unwrap();
            for path in [
                "/",
                "/V4/Transaction/Get",
                "/orders/27HBQSY9R5EGQSRA0A",
                "/a%2Fb/%2e%2E",
                "/a/%2e",
                "/a//b",
                "/a/",
                "/a?b",
                "/a b",
                "/é",
                "a",
                "/%zz",
                "/a\\b",
                "/:@!$&'()*+,;=-._~",
            ] {
                assert_eq!(
                    parsed.join(path).map(String::from),
                    request_url(base, path).map(String::from),
                    "{base} + {path}"
                );
            }
        }
    }

    #[test]
    fn plain_paths_are_seen_in_one_pass() {
        for plain in [
            "/",
            "/V4/Transaction/Get",
            "/orders/27HB-Q_S.Y~9",
            "/a/.../b",
            "/.x/x.",
        ] {
            assert!(is_plain_path(plain.as_bytes()), "{plain}");
            assert_eq!(check_every_rule(plain), Ok(()), "{plain}");
        }
        // Refused, or left to every check (which accepts `%41`, `:` and `@`).
        for other in [
            "", "a", "//", "/a/", "/a//b", "/.", "/..", "/a/./b", "/a/..", "/a%41", "/a:b", "/a@b",
            "/a b", "/a?b", "/é",
        ] {
            assert!(!is_plain_path(other.as_bytes()), "{other}");
        }
    }

    proptest::proptest! {
        /// A path the one pass calls plain passes every check.
        #[test]
        fn a_plain_path_passes_every_check(
            path in "(/[a-zA-Z0-9%.~:@_ ?#é-]{0,4}){0,4}/?",
        ) {
            if is_plain_path(path.as_bytes()) {
                proptest::prop_assert_eq!(check_every_rule(&path), Ok(()));
            }
        }

        /// Any path, on any of the bases: the URL made from the parsed base is the one parsed
        /// from the joined text, or both are refused for the same reason.
        #[test]
        fn a_parsed_base_agrees_with_parsing_the_joined_text(
            base in proptest::sample::select(BASES),
            path in "(/[a-zA-Z0-9%.~:@!$&'()*+,;=_ ?#\\\\{}<>`\"é\u{7f}-]{0,6}){1,4}/?",
        ) {
            let parsed = ParsedBase::new(base).unwrap();
            proptest::prop_assert_eq!(
                parsed.join(&path).map(String::from),
                request_url(base, &path).map(String::from)
            );
        }
    }

    #[test]
    fn header_names() {
        for good in ["Idempotency-Key", "X-Request-Id", "a!#$%&'*+-.^_`|~9"] {
            assert_eq!(header_name(good), Ok(()), "{good}");
        }
        for bad in ["", "Idempotency Key", "Key:", "Clé", "a\nb", "(x)", "a/b"] {
            assert!(
                matches!(header_name(bad), Err(HeaderNameProblem::NotToken(_))),
                "{bad:?}"
            );
        }
        assert_eq!(
            header_name("AUTHORIZATION"),
            Err(HeaderNameProblem::Reserved("Authorization"))
        );
        assert_eq!(
            header_name("content-length"),
            Err(HeaderNameProblem::Reserved("Content-Length"))
        );
    }

    #[test]
    fn simple_patterns_are_recognised_and_others_left_to_the_engine() {
        // The set as the bytes it holds, in order.
        let simple = |p: &str| {
            simple_pattern(p).map(|s| {
                let set: String = (0u8..128)
                    .filter(|b| s.set & (1u128 << b) != 0)
                    .map(char::from)
                    .collect();
                (set, s.min, s.max)
            })
        };
        let set = |text: &str| text.to_owned();
        assert_eq!(
            simple("^[0-9a-fA-F]{32}$"),
            Some((set("0123456789ABCDEFabcdef"), 32, Some(32)))
        );
        assert_eq!(
            simple("[A-Z0-9]{1,12}"),
            Some((set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 1, Some(12)))
        );
        assert_eq!(
            simple("^[a-z]+$"),
            Some((set("abcdefghijklmnopqrstuvwxyz"), 1, None))
        );
        assert_eq!(simple("[x]{3,}"), Some((set("x"), 3, None)));
        assert_eq!(simple("[0-0z]"), Some((set("0z"), 1, Some(1))));
        for other in [
            "^[0-9]{32}$|x",
            "(?i)[a-f]{2}",
            "[^0-9]{2}",
            "[0-9]{2}[a-z]",
            "[a-]{2}",
            "[.]{2}",
            "[z-a]{2}",
            "[0-9]{3,2}",
            "[0-9]{1001}",
            "[]{1}",
            "[0-9]{,3}",
            "[0-9]{ 3}",
            "\\d{2}",
            "[0-9]{2}$$",
            "^^[0-9]",
            "[0-9]{2}?",
            "[\\d]{2}",
        ] {
            assert_eq!(simple_pattern(other), None, "{other}");
        }
        let hex = simple_pattern("^[0-9a-fA-F]{32}$").unwrap();
        assert!(hex.matches("5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5e"));
        assert!(!hex.matches("5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5"));
        assert!(!hex.matches("5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5g"));
        assert!(!hex.matches("5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5e\n"));
        assert!(!hex.matches("5f2b8c1d9e7a4b3c8d6e0f1a2b3c4d5é"));
    }

    /// Patterns that break a naive `^(?:…)$`, with values they must and must not match.
    #[test]
    fn hostile_patterns_match_whole_values() {
        let table: &[(&str, &[&str], &[&str])] = &[
            (
                "(?x)^[A-Z0-9-]+$ # ref",
                &["ABC-1", "A"],
                &["abc", "", "ABC 1", "ABC\n"],
            ),
            ("(?x) a b # c\n d", &["abd"], &["ab d", "abdx", "a b d"]),
            ("(?x)a # (", &["a"], &["", "a #", "a # ("]),
            ("(?x)a #\\", &["a"], &["a\\", ""]),
            ("(?m)^a$", &["a"], &["a\na", "a\n", "b\na"]),
            ("a|b", &["a", "b"], &["ab", "ba", "a|b", ""]),
            ("(?i)abc", &["abc", "ABC", "aBc"], &["abcd", "xabc"]),
            ("(?s)a.b", &["a\nb", "axb"], &["ab", "a\nbc"]),
            ("(?-x)a # b", &["a # b"], &["a", "a#b"]),
            ("x(?x)", &["x"], &["", "xx"]),
            ("", &[""], &["a", "\n"]),
            ("[0-9]{2}", &["04"], &["4", "004", "04\n"]),
        ];
        for (pattern, good, bad) in table {
            let regex = compile_pattern(pattern)
                .unwrap_or_else(|e| panic!("{pattern:?} should compile: {e}"));
            for value in *good {
                assert!(regex.is_match(value), "{pattern:?} must match {value:?}");
            }
            for value in *bad {
                assert!(
                    !regex.is_match(value),
                    "{pattern:?} must not match {value:?}"
                );
            }
        }
    }

    #[test]
    fn base_urls() {
        let ok = |raw: &str| base_url(raw, false).map(|b| (b.url, b.https));
        assert_eq!(
            ok("https://API.example.com:443/api-payment/"),
            Ok(("https://api.example.com/api-payment".to_owned(), true))
        );
        assert_eq!(
            ok("http://127.0.0.1:8080"),
            Ok(("http://127.0.0.1:8080".to_owned(), false))
        );
        assert!(ok("http://[::1]:9000/x").is_ok());
        assert!(ok("http://LocalHost").is_ok());
        assert!(base_url("http://api.example.com", true).is_ok());
        let table = [
            ("https://a.example:99999", "invalid"),
            ("https://a.example:abc", "invalid"),
            ("https://", "invalid"),
            ("not a url", "invalid"),
            ("", "invalid"),
            ("https://user@a.example", "userinfo"),
            ("https://user:pw@a.example", "userinfo"),
            ("https://a.example?x=1", "query"),
            ("https://a.example/#f", "query"),
            ("https://a.example?", "query"),
            ("http://api.example.com", "http"),
            ("http://10.0.0.1", "http"),
            ("ftp://a.example", "scheme"),
            ("mailto:a.example", "host"),
            // Any `@` is refused before parsing, whatever follows it.
            ("mailto:a@example.com", "userinfo"),
            ("https://user:pa/ss@a.example", "userinfo"),
            ("https://a.example/p@th", "userinfo"),
            ("file:///etc/passwd", "host"),
            ("https://api.example.com/{tenant}/v1", "placeholder"),
            ("https://{prefix}.example.com", "placeholder"),
        ];
        for (raw, kind) in table {
            let problem = base_url(raw, false).expect_err(raw);
            let found = match problem {
                BaseUrlProblem::Invalid(_) => "invalid",
                BaseUrlProblem::UserInfo => "userinfo",
                BaseUrlProblem::QueryOrFragment => "query",
                BaseUrlProblem::NoHost => "host",
                BaseUrlProblem::PlainHttp => "http",
                BaseUrlProblem::Scheme(_) => "scheme",
                BaseUrlProblem::Placeholder => "placeholder",
            };
            assert_eq!(found, kind, "{raw}");
        }
    }

    #[test]
    fn request_paths() {
        let base = "https://api.example.com/base";
        for good in [
            "/",
            "/payments/a%2Fb",
            "/v1/x.json",
            "/a~b/c-d_e",
            "/a|b^c",
            "/%C3%A9",
        ] {
            assert_eq!(
                request_url(base, good).map(|u| u.to_string()),
                Ok(format!("{base}{good}")),
                "{good}"
            );
        }
        let table = [
            ("payments", PathProblem::NotAbsolute),
            ("", PathProblem::NotAbsolute),
            ("@evil.example/x", PathProblem::NotAbsolute),
            ("/payments?x", PathProblem::QueryOrFragment),
            ("/payments#x", PathProblem::QueryOrFragment),
            ("/payments\\x", PathProblem::Backslash),
            ("/payments/a b", PathProblem::Character(' ')),
            ("/payments/é", PathProblem::Character('é')),
            ("/payments/\t", PathProblem::Character('\t')),
            ("/a\"b", PathProblem::Character('"')),
            ("/a{b}", PathProblem::Character('{')),
            ("/payments//x", PathProblem::EmptySegment),
            ("/payments/", PathProblem::EmptySegment),
            ("//evil.example", PathProblem::EmptySegment),
            ("/payments/..", PathProblem::DotSegment),
            ("/payments/./x", PathProblem::DotSegment),
            ("/payments/%2E%2e/x", PathProblem::DotSegment),
            ("/payments/.%2E", PathProblem::DotSegment),
            ("/100%", PathProblem::Percent),
            ("/a%zz", PathProblem::Percent),
            ("/a%2", PathProblem::Percent),
        ];
        for (path, problem) in table {
            assert_eq!(request_url(base, path), Err(problem), "{path:?}");
        }
    }

    #[test]
    fn patterns_that_only_compile_wrapped_are_refused() {
        for pattern in ["a)|(b", "abc\\", "\\", "[a", "a{2", "(", ")"] {
            assert!(compile_pattern(pattern).is_err(), "{pattern:?}");
        }
    }

    #[test]
    fn header_names_and_values() {
        assert_eq!(header_name("Some-Version"), Ok(()));
        assert_eq!(header_name("x_a.b~1"), Ok(()));
        assert_eq!(header_name(""), Err(HeaderNameProblem::NotToken(None)));
        assert_eq!(
            header_name("Bad Name"),
            Err(HeaderNameProblem::NotToken(Some(' ')))
        );
        assert_eq!(
            header_name("X:Y"),
            Err(HeaderNameProblem::NotToken(Some(':')))
        );
        assert_eq!(
            header_name("content-TYPE"),
            Err(HeaderNameProblem::Reserved("Content-Type"))
        );
        assert!(header_value("2024-06-01"));
        assert!(header_value("a b\tc"));
        assert!(header_value(""));
        assert!(!header_value("a\nb"));
        assert!(!header_value("a\rb"));
        assert!(!header_value("caf\u{e9}"));
        assert!(!header_value("\u{7f}"));
    }
}
