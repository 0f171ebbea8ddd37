//! URL checks: parse the link however it is written (scheme-less, bare domain, IDN), compare
//! its host with the brands' official domains and their lookalikes, and flag structural red
//! flags (userinfo tricks, IP hosts, shorteners, suspicious TLDs, script schemes, invisible
//! characters, nested redirects). Rspamd's `url_suspect` plugin and the phishing-URL
//! literature are the reference for the structural flags; weak ones stay low on their own and
//! only add up when several are present.

pub(crate) mod host;

use std::borrow::Cow;
use std::net::IpAddr;

use ::url::{Host, Position, Url};

use crate::allowlist::Brand;
use crate::combine;
use crate::context::Resolved;
use crate::fold::{cap, is_invisible};
use crate::knowledge::Knowledge;
use crate::rules;
use crate::verdict::{Entity, EntityKind, Finding, Span, Verdict};
use host::{Channel, HostInput};

/// At most this many bytes of a URL are looked at.
pub(crate) const MAX_URL_BYTES: usize = 8 * 1024;

/// Addresses longer than this (in characters) get `url.long`.
const LONG_URL_CHARS: usize = 200;

/// What the URL checks concluded about one link.
#[derive(Debug, Default)]
pub(crate) struct Assessment<'a> {
    pub findings: Vec<Finding>,
    pub entity: Option<Entity>,
    /// The brand whose official domain the link is on.
    pub official: Option<&'a Brand>,
    /// Brands the link imitates.
    pub impersonated: Vec<&'a Brand>,
}

/// The scheme at the start of `s` (`https` in `https://…`, `javascript` in `javascript:…`),
/// ignoring the tabs and line breaks browsers ignore, or `None`.
fn scheme_of(s: &str) -> Option<String> {
    let mut scheme = String::new();
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => continue,
            ':' => break,
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {
                if scheme.len() > 32 {
                    return None;
                }
                scheme.push(c.to_ascii_lowercase());
            }
            _ => return None,
        }
    }
    let starts_alpha = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic());
    (starts_alpha && s.contains(':')).then_some(scheme)
}

/// Where the host is in the text as written: `(start, end)` byte offsets, after any
/// `scheme://` and userinfo, before any port, path, query or fragment.
fn raw_host_range(s: &str, body_start: usize) -> (usize, usize, Option<(usize, usize)>) {
    let rest = &s[body_start..];
    let authority_len = rest
        .find(|c: char| matches!(c, '/' | '?' | '#' | '\\') || c.is_whitespace())
        .unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    let (userinfo, host_start) = match authority.rfind('@') {
        Some(at) => (Some((body_start, body_start + at)), at + 1),
        None => (None, 0),
    };
    let host_part = &authority[host_start..];
    let host_len = if host_part.starts_with('[') {
        host_part.find(']').map_or(host_part.len(), |i| i + 1)
    } else {
        // A port is `:` followed by digits only, up to the end of the authority.
        match host_part.rfind(':') {
            Some(i) if host_part[i + 1..].bytes().all(|b| b.is_ascii_digit()) => i,
            _ => host_part.len(),
        }
    };
    (
        body_start + host_start,
        body_start + host_start + host_len,
        userinfo,
    )
}

/// A parsed link.
struct Parsed<'i> {
    url: Url,
    /// The host as written.
    raw_host: &'i str,
    raw_host_range: (usize, usize),
    /// The userinfo as written, if any.
    raw_userinfo: Option<&'i str>,
    /// Where the userinfo is in the text.
    raw_userinfo_range: (usize, usize),
    /// Whether the input gave a scheme (`https://`), as opposed to a bare domain.
    explicit_scheme: bool,
}

/// Why a text is not a checkable web link.
enum NotWeb {
    /// `javascript:`, `vbscript:`, `data:`.
    Script(String),
    /// Another scheme (`mailto:`, `whatsapp:`), or nothing parsable.
    Other(String),
}

/// Parses a link as a browser would, adding `http://` to bare domains.
fn parse(text: &str) -> Result<Parsed<'_>, NotWeb> {
    let scheme = scheme_of(text);
    let (candidate, body_start, explicit) = match scheme.as_deref() {
        Some("javascript" | "vbscript" | "data") => {
            return Err(NotWeb::Script(scheme.unwrap_or_default()))
        }
        Some(s @ ("http" | "https" | "ftp" | "ftps")) => {
            let after = text.find(':').map_or(0, |i| i + 1);
            let slashes = text[after..]
                .bytes()
                .take_while(|b| matches!(b, b'/' | b'\\'))
                .count();
            let _ = s;
            (text.to_string(), after + slashes, true)
        }
        Some(s) if !text[s.len() + 1..].starts_with(|c: char| c.is_ascii_digit()) => {
            return Err(NotWeb::Other(format!("{s}: link")));
        }
        _ => {
            let body = text.trim_start_matches('/');
            let skipped = text.len() - body.len();
            (format!("http://{body}"), skipped, false)
        }
    };
    let url = Url::parse(&candidate).map_err(|e| NotWeb::Other(e.to_string()))?;
    if url.host().is_none() {
        return Err(NotWeb::Other("no host".into()));
    }
    let (start, end, userinfo) = raw_host_range(text, body_start.min(text.len()));
    Ok(Parsed {
        url,
        raw_host: &text[start..end],
        raw_host_range: (start, end),
        raw_userinfo: userinfo.map(|(a, b)| &text[a..b]),
        raw_userinfo_range: userinfo.unwrap_or((0, 0)),
        explicit_scheme: explicit,
    })
}

/// Whether an IPv4 address as written is the plain dotted-decimal form.
fn is_plain_dotted_quad(raw: &str) -> bool {
    let parts: Vec<&str> = raw.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && !(p.len() > 1 && p.starts_with('0'))
        })
}

/// Whether an address is on the public internet (not private, loopback, link-local…).
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.octets()[0] == 0)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Words in a path or query that mark a login or payment page.
const LOGIN_PATH_WORDS: &[&str] = &[
    "login", "signin", "sign-in", "logon", "password", "passwd", "verify", "account", "billing",
    "payment", "checkout", "wallet", "banking", "webscr", "auth",
];

/// The registrable domain (or IP) of an address carried in a path or query value, with
/// whether its host is a link shortener.
fn looks_like_address(value: &str, k: &Knowledge) -> Option<(String, bool)> {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    let body = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .or_else(|| lower.strip_prefix("//"));
    let explicit = body.is_some();
    let body = body.unwrap_or(&lower);
    let host_end = body.find(['/', '?', '#']).unwrap_or(body.len());
    let host = body[..host_end].split('@').next_back().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    if host.is_empty() || !host.contains('.') || host.len() > 253 {
        return None;
    }
    if !(explicit || body[host_end..].starts_with('/') || host.starts_with("www.")) {
        return None;
    }
    if host.parse::<IpAddr>().is_ok() {
        return Some((host.to_string(), false));
    }
    let parts = k.domains.split(host)?;
    let shortener = k.domains.shortener(host).is_some();
    Some((parts.registrable.to_string(), shortener))
}

/// Other addresses carried in the path or query (open redirects, tracking wrappers).
fn nested_addresses(url: &Url, own: Option<&str>, k: &Knowledge) -> Vec<(String, bool)> {
    let mut found: Vec<(String, bool)> = Vec::new();
    let mut push = |r: (String, bool)| {
        if own != Some(r.0.as_str()) && !found.iter().any(|f| f.0 == r.0) && found.len() < 8 {
            found.push(r);
        }
    };
    for (_, value) in url.query_pairs().take(32) {
        if let Some(r) = looks_like_address(&value, k) {
            push(r);
        }
    }
    let path = url.path();
    let lower = path.to_ascii_lowercase();
    for marker in [
        "http://", "https://", "http:/", "https:/", "http%3a", "https%3a",
    ] {
        if let Some(i) = lower.find(marker) {
            let rest = &path[i..];
            let rest = rest
                .replacen("%3A", ":", 1)
                .replacen("%3a", ":", 1)
                .replace("%2F", "/")
                .replace("%2f", "/");
            let rest = rest.replacen(":/", "://", 1).replacen(":///", "://", 1);
            if let Some(r) = looks_like_address(&rest, k) {
                push(r);
            }
            break;
        }
    }
    // A domain as the first path segment: `evil.example/wellsfargo.com/?restore`.
    let rest = path.trim_start_matches('/');
    if let Some(end) = rest.find('/') {
        if rest[..end].contains('.') {
            if let Some(r) = looks_like_address(rest, k) {
                push(r);
            }
        }
    }
    found
}

/// Whether a path is a single short random-looking code (`/Q2osg44`, `/TrarTX`).
fn opaque_code(path: &str) -> Option<&str> {
    let code = path.strip_prefix('/')?.trim_end_matches('/');
    if !(4..=16).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let digits = code.bytes().filter(u8::is_ascii_digit).count();
    let upper = code.bytes().filter(u8::is_ascii_uppercase).count();
    let lower = code.bytes().filter(u8::is_ascii_lowercase).count();
    if upper + lower == 0 {
        return None; // digits only: an id such as /2024
    }
    // A CamelCase word (`/AboutUs`, `/Careers`) is not a code: every capital starts a word
    // (follows a small letter, and is followed by one), and words have vowels.
    let bytes = code.as_bytes();
    let vowels = code.bytes().filter(|b| b"aeiouAEIOU".contains(b)).count();
    let camel = bytes.iter().enumerate().all(|(i, c)| {
        c.is_ascii_lowercase()
            || (c.is_ascii_uppercase()
                && (i == 0 || bytes[i - 1].is_ascii_lowercase())
                && bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase))
    }) && vowels * 5 >= upper + lower;
    let mixed_case = upper >= 2 && lower >= 1 && !camel;
    (digits > 0 || mixed_case).then_some(code)
}

/// Checks one URL. `text` is the URL (any surrounding white space is ignored); `offset` is
/// where `text` starts in the caller's larger text, added to every span; `claimed` is the
/// brand the link is said to belong to.
pub(crate) fn assess<'a>(
    k: &'a Knowledge,
    text: &str,
    offset: usize,
    claimed: Option<&'a Brand>,
) -> Assessment<'a> {
    let mut out = Assessment::default();
    let Some(shown) = Shown::read(text, offset, &mut out.findings) else {
        return out;
    };
    let Some(parsed) = shown.parse_link(&mut out.findings) else {
        return out;
    };
    let link = Link {
        host_span: shown.span(parsed.raw_host_range.0, parsed.raw_host_range.1),
        shown: &shown,
        parsed,
    };
    out.entity = Some(link.entity());
    link.userinfo(k, &mut out);
    let (registrable, platform_owner) = link.host(k, &mut out);
    link.port_and_length(&mut out.findings);
    link.nested(k, registrable.as_deref(), &mut out.findings);
    link.plain_http_login(&mut out.findings);
    link.shortener_alias(k, &mut out.findings);
    link.opaque_path(&mut out.findings);
    if out.official.is_none() {
        link.app_package(&mut out.findings);
    }
    let url = &link.parsed.url;
    if claimed.is_none_or(|c| platform_owner.is_none_or(|p| p.id != c.id)) {
        claimed_brand(
            claimed,
            out.official,
            url.host_str().unwrap_or(""),
            link.host_span,
            &mut out.findings,
        );
    }
    combine::link_signs(&mut out.findings, rules::URL_SEVERAL_RED_FLAGS, shown.whole);
    out
}

/// The input as it is shown: capped, trimmed, its invisible characters removed.
struct Shown<'t> {
    /// The input as given.
    input: &'t str,
    /// Whether the input was cut at [`MAX_URL_BYTES`].
    capped: bool,
    /// The text that is read.
    readable: Cow<'t, str>,
    /// Where the trimmed input starts in the caller's text.
    start: usize,
    /// The trimmed input in the caller's text.
    whole: Span,
    /// Whether offsets into `readable` line up with the input (nothing was removed).
    exact_spans: bool,
}

impl<'t> Shown<'t> {
    /// Caps and trims the input and reports invisible characters; `None` (reported) when
    /// nothing is left.
    fn read(text: &'t str, offset: usize, findings: &mut Vec<Finding>) -> Option<Shown<'t>> {
        let capped = cap(text, MAX_URL_BYTES);
        let lead = capped.len() - capped.trim_start().len();
        let trimmed = capped.trim();
        let start = offset + lead;
        let whole = Span::new(start, start + trimmed.len());
        if trimmed.is_empty() {
            findings.push(rules::URL_NOT_A_URL.finding(
                "No web address was found in the input.".into(),
                "",
                whole,
            ));
            return None;
        }
        // Invisible characters: reported, then removed so that the link is read as shown.
        let invisible: Vec<(usize, char)> = trimmed
            .char_indices()
            .filter(|(_, c)| is_invisible(*c))
            .collect();
        let readable = match invisible.first() {
            None => Cow::Borrowed(trimmed),
            Some(&(i, c)) => {
                let at = start + i;
                findings.push(rules::URL_INVISIBLE.finding(
                    format!(
                        "The address contains {} invisible character(s) (first U+{:04X}) that \
                         hide or reorder what is shown.",
                        invisible.len(),
                        c as u32
                    ),
                    format!("U+{:04X}", c as u32),
                    Span::new(at, at + c.len_utf8()),
                ));
                Cow::Owned(trimmed.chars().filter(|c| !is_invisible(*c)).collect())
            }
        };
        Some(Shown {
            input: text,
            capped: capped.len() < text.len(),
            readable,
            start,
            whole,
            exact_spans: invisible.is_empty(),
        })
    }

    /// The span of `readable[a..b]` in the caller's text, or the whole link when characters
    /// were removed.
    fn span(&self, a: usize, b: usize) -> Span {
        if self.exact_spans {
            Span::new(self.start + a, self.start + b)
        } else {
            self.whole
        }
    }

    /// The link parsed as a browser would (the first word when more text follows); `None`
    /// (reported) for script links and text that is no web address.
    fn parse_link(&self, findings: &mut Vec<Finding>) -> Option<Parsed<'_>> {
        let readable = self.readable.as_ref();
        match parse(readable) {
            Ok(p) => Some(p),
            Err(NotWeb::Script(scheme)) => {
                findings.push(rules::URL_SCRIPT_SCHEME.finding(
                    format!("A {scheme}: link does not open a web page: it runs code or shows hidden content."),
                    format!("{scheme}:"),
                    self.span(0, readable.find(':').map_or(0, |i| i + 1)),
                ));
                None
            }
            Err(NotWeb::Other(why)) => {
                // A link followed by more text: try its first word.
                let first = readable.split_whitespace().next().unwrap_or("");
                match (first.len() < readable.len()).then(|| parse(first)) {
                    Some(Ok(p)) => Some(p),
                    _ => {
                        findings.push(rules::URL_NOT_A_URL.finding(
                            format!("This is not a web address that can be checked ({why})."),
                            readable,
                            self.whole,
                        ));
                        None
                    }
                }
            }
        }
    }
}

/// A parsed link with where it is shown.
struct Link<'s> {
    shown: &'s Shown<'s>,
    parsed: Parsed<'s>,
    /// The host as written, in the caller's text.
    host_span: Span,
}

/// File names that are Android app packages.
const APP_PACKAGE_SUFFIXES: &[&str] = &[".apk", ".apks", ".xapk"];

impl<'s> Link<'s> {
    /// The link as an entity of the verdict.
    fn entity(&self) -> Entity {
        Entity {
            kind: EntityKind::Url,
            normalized: self.parsed.url.as_str().to_string(),
            region: None,
            span: self.shown.whole,
        }
    }

    /// Userinfo: `https://www.apple.com@evil.site/` shows one site and opens another.
    fn userinfo<'a>(&self, k: &'a Knowledge, out: &mut Assessment<'a>) {
        let Some(raw_user) = self.parsed.raw_userinfo else {
            return;
        };
        let shown = raw_user.split(':').next().unwrap_or(raw_user);
        let host_like = shown.contains('.') && shown.len() >= 4;
        let host_name = self.parsed.url.host_str().unwrap_or("");
        let (a, b) = self.parsed.raw_userinfo_range;
        let user_span = self.shown.span(a, b);
        if host_like {
            let lower = shown.to_ascii_lowercase();
            let owner = k
                .domains
                .split(lower.trim_end_matches(['.', '_']))
                .and_then(|p| k.allowlist.web_domain_owner(p.registrable));
            let whose = owner.map_or(String::new(), |b| {
                format!(
                    " ({}'s address; its real domain is {})",
                    b.name,
                    host::real_domains(b)
                )
            });
            if let Some(b) = owner {
                out.impersonated.push(b);
            }
            out.findings.push(rules::URL_USERINFO_HOST.finding(
                format!(
                    "The link shows {shown:?}{whose} before an @, but really opens {host_name}: \
                     everything before the @ is ignored."
                ),
                shown,
                user_span,
            ));
        } else {
            out.findings.push(rules::URL_USERINFO.finding(
                format!("The link carries a user name or password ({shown:?}) before the host {host_name}."),
                shown,
                user_span,
            ));
        }
    }

    /// The host questions: a bare or disguised IP address, or a domain name for
    /// [`host::assess`]. Returns the registrable domain and the brand owning the
    /// user-content platform, when the host has them.
    fn host<'a>(
        &self,
        k: &'a Knowledge,
        out: &mut Assessment<'a>,
    ) -> (Option<String>, Option<&'a Brand>) {
        let (url, raw_host, host_span) = (&self.parsed.url, self.parsed.raw_host, self.host_span);
        match url.host() {
            Some(Host::Ipv4(ip)) => {
                if !is_plain_dotted_quad(raw_host) {
                    out.findings.push(rules::URL_OBFUSCATED_IP.finding(
                        format!("{raw_host:?} is the internet address {ip} written in a disguised form."),
                        raw_host,
                        host_span,
                    ));
                } else if is_public(IpAddr::V4(ip)) {
                    out.findings.push(ip_finding(&ip.to_string(), host_span));
                }
            }
            Some(Host::Ipv6(ip)) if is_public(IpAddr::V6(ip)) => {
                out.findings.push(ip_finding(&ip.to_string(), host_span));
            }
            Some(Host::Domain(d)) => {
                let h = HostInput {
                    ascii: d.trim_end_matches('.'),
                    raw: raw_host.trim_end_matches(['.', '。', '．', '｡']),
                    span: host_span,
                    path: &url[Position::BeforePath..Position::AfterQuery],
                };
                let ha = host::assess(k, &h, Channel::Web);
                out.findings.extend(ha.findings);
                out.official = ha.official;
                out.impersonated.extend(ha.impersonated);
                return (ha.registrable, ha.platform_owner);
            }
            _ => {}
        }
        (None, None)
    }

    /// A port other than the scheme's, and an address too long to read at a glance.
    fn port_and_length(&self, findings: &mut Vec<Finding>) {
        if let Some(port) = self.parsed.url.port() {
            findings.push(rules::URL_NONSTANDARD_PORT.finding(
                format!("The address uses port {port}, unusual for a web page."),
                port.to_string(),
                self.host_span,
            ));
        }
        if self.shown.readable.chars().count() > LONG_URL_CHARS || self.shown.capped {
            findings.push(rules::URL_LONG.finding(
                format!(
                    "The address is very long ({} characters), which hides where it leads from a quick look.",
                    self.shown.input.trim().chars().count()
                ),
                "",
                self.shown.whole,
            ));
        }
    }

    /// Other addresses carried in the path or query, and a shortener among them.
    /// `registrable` is the link's own registrable domain.
    fn nested(&self, k: &Knowledge, registrable: Option<&str>, findings: &mut Vec<Finding>) {
        let whole = self.shown.whole;
        let nested_found = nested_addresses(&self.parsed.url, registrable, k);
        let nested: Vec<String> = nested_found.iter().map(|n| n.0.clone()).collect();
        let has_shortener = has_rule(findings, rules::URL_SHORTENER);
        if let Some((short, _)) = nested_found.iter().find(|n| n.1) {
            if !has_shortener {
                findings.push(rules::URL_SHORTENER.finding(
                    format!(
                        "The address forwards to the link shortener {short}: two hops that hide \
                         where the link really leads."
                    ),
                    short.clone(),
                    whole,
                ));
            }
        }
        if !nested.is_empty() {
            findings.push(rules::URL_NESTED_URL.finding(
                format!(
                    "The address carries {} inside it ({}), as redirect links do.",
                    if nested.len() == 1 {
                        "another address"
                    } else {
                        "other addresses"
                    },
                    nested.join(", ")
                ),
                nested.join(" "),
                whole,
            ));
        }
    }

    /// A login or payment page reached over plain http.
    fn plain_http_login(&self, findings: &mut Vec<Finding>) {
        let url = &self.parsed.url;
        if !(self.parsed.explicit_scheme && url.scheme() == "http") {
            return;
        }
        let lower = url[Position::BeforePath..].to_ascii_lowercase();
        if let Some(w) = LOGIN_PATH_WORDS.iter().find(|w| lower.contains(*w)) {
            findings.push(rules::URL_PLAIN_HTTP_LOGIN.finding(
                format!("A {w} page is reached over plain http, without encryption."),
                *w,
                self.shown.whole,
            ));
        }
    }

    /// Lure words in a shortener's alias, which whoever made the link chose.
    fn shortener_alias(&self, k: &Knowledge, findings: &mut Vec<Finding>) {
        let url = &self.parsed.url;
        let Some(alias) = url
            .host_str()
            .filter(|h| k.domains.shortener(h).is_some())
            .and_then(|_| url.path().trim_start_matches('/').split('/').next())
            .filter(|a| a.len() <= 64)
        else {
            return;
        };
        let lower = alias.to_ascii_lowercase();
        let words = k.deceptive.find(&lower);
        if !words.is_empty() {
            findings.push(rules::URL_DECEPTIVE_KEYWORDS.finding(
                format!(
                    "The shortened link's chosen name {alias:?} contains {}, words scam links \
                     use to lure.",
                    words.join(", ")
                ),
                alias,
                self.shown.whole,
            ));
        }
    }

    /// A path that is one random-looking code, on a link that is not a shortener's.
    fn opaque_path(&self, findings: &mut Vec<Finding>) {
        let url = &self.parsed.url;
        let is_shortener = has_rule(findings, rules::URL_SHORTENER);
        if is_shortener || url.query().is_some() || url.fragment().is_some() {
            return;
        }
        if let Some(code) = opaque_code(url.path()) {
            findings.push(rules::URL_OPAQUE_PATH.finding(
                format!("The path {code:?} is a random-looking code, typical of redirect links that hide where they lead."),
                code,
                self.shown.whole,
            ));
        }
    }

    /// A link straight to an Android app file, on a site that is no brand's official one:
    /// police warnings in many countries describe courier, wedding-invitation and bank
    /// "apps" sent this way that steal one-time codes.
    fn app_package(&self, findings: &mut Vec<Finding>) {
        let path = self.parsed.url.path();
        let name = path.rsplit('/').next().unwrap_or("");
        let ends_with = |suffix: &str| {
            let (n, s) = (name.as_bytes(), suffix.as_bytes());
            n.len() >= s.len() && n[n.len() - s.len()..].eq_ignore_ascii_case(s)
        };
        if let Some(suffix) = APP_PACKAGE_SUFFIXES.iter().find(|s| ends_with(s)) {
            findings.push(rules::URL_APP_PACKAGE.finding(
                format!(
                    "The link downloads the Android app file {name:?} ({suffix}) directly, not from an app store."
                ),
                name,
                self.shown.whole,
            ));
        }
    }
}

/// Whether one of the findings is of `rule`.
fn has_rule(findings: &[Finding], rule: rules::Rule) -> bool {
    findings.iter().any(|f| f.rule == rule.id)
}

fn ip_finding(ip: &str, span: Span) -> Finding {
    rules::URL_IP_HOST.finding(
        format!("The link goes to the bare internet address {ip} instead of a named site; real companies link to their domain names."),
        ip,
        span,
    )
}

/// The link against the brand it claims to belong to.
fn claimed_brand(
    claimed: Option<&Brand>,
    official: Option<&Brand>,
    host: &str,
    span: Span,
    findings: &mut Vec<Finding>,
) {
    let Some(c) = claimed else {
        return;
    };
    match official {
        Some(o) if o.id == c.id => {}
        Some(o) => findings.push(rules::URL_NOT_OFFICIAL_FOR_BRAND.finding(
            format!(
                "{host} is {}'s, not {}'s: {}'s real domain is {}.",
                o.name,
                c.name,
                c.name,
                host::real_domains(c)
            ),
            host,
            span,
        )),
        None if c.web_domains.is_empty() => {
            findings.push(rules::URL_BRAND_DOMAINS_UNKNOWN.finding(
                format!(
                "We have no verified web domain for {}, so {host} could not be compared: open {}'s \
                 app or type its address yourself.",
                c.name, c.name
            ),
                host,
                span,
            ))
        }
        None => findings.push(rules::URL_NOT_OFFICIAL_FOR_BRAND.finding(
            format!(
                "{host} is not one of {}'s domains ({}).",
                c.name,
                host::real_domains(c)
            ),
            host,
            span,
        )),
    }
}

/// Checks one web address (see `Detector::check_url`).
pub(crate) fn check(k: &Knowledge, resolved: Resolved<'_>, url: &str) -> Verdict {
    let a = assess(k, url, 0, resolved.claimed);
    resolved.verdict(a.findings, a.entity, a.official, &a.impersonated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(scheme_of("https://x").as_deref(), Some("https"));
        assert_eq!(
            scheme_of("java\tscript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme_of("www.x.com/a:b"), None);
        assert_eq!(scheme_of("paypal.com"), None);
        assert_eq!(scheme_of("localhost:8080").as_deref(), Some("localhost"));
    }

    #[test]
    fn raw_hosts() {
        let s = "https://www.apple.com@evil.site:8080/x";
        let (a, b, u) = raw_host_range(s, 8);
        assert_eq!(&s[a..b], "evil.site");
        assert_eq!(u.map(|(x, y)| &s[x..y]), Some("www.apple.com"));
        let s = "pаypal.com/x";
        let (a, b, _) = raw_host_range(s, 0);
        assert_eq!(&s[a..b], "pаypal.com");
    }

    #[test]
    fn parsing() {
        let p = parse("paypal-verify.com").ok().unwrap();
        assert_eq!(p.url.host_str(), Some("paypal-verify.com"));
        assert!(!p.explicit_scheme);
        let p = parse("Https://www.UnionBank.Org_@bit.ly/3T1lhlE")
            .ok()
            .unwrap();
        assert_eq!(p.url.host_str(), Some("bit.ly"));
        assert_eq!(p.raw_userinfo, Some("www.UnionBank.Org_"));
        assert!(matches!(
            parse("javascript:alert(1)"),
            Err(NotWeb::Script(_))
        ));
        assert!(matches!(parse("mailto:a@b.com"), Err(NotWeb::Other(_))));
        let p = parse("http://winner@3117711444/tpi").ok().unwrap();
        assert!(matches!(p.url.host(), Some(Host::Ipv4(_))));
        assert_eq!(p.raw_host, "3117711444");
    }

    #[test]
    fn opaque_codes() {
        assert_eq!(opaque_code("/Q2osg44"), Some("Q2osg44"));
        assert_eq!(opaque_code("/TrarTX"), Some("TrarTX"));
        assert_eq!(opaque_code("/AboutUs"), None);
        assert_eq!(opaque_code("/OurTeam"), None);
        assert_eq!(opaque_code("/VkwuzqG"), Some("VkwuzqG"));
        assert_eq!(opaque_code("/pvKdPvhsrMpn"), Some("pvKdPvhsrMpn"));
        assert_eq!(opaque_code("/about"), None);
        assert_eq!(opaque_code("/2024"), None);
        assert_eq!(opaque_code("/a/b"), None);
    }

    #[test]
    fn spans_point_into_a_larger_text() {
        let k = Knowledge::embedded();
        let text = "Verify now: https://www.apple.com@evil.site/x today";
        let link = "https://www.apple.com@evil.site/x";
        let at = text.find(link).unwrap();
        let a = assess(&k, link, at, None);
        assert_eq!(a.entity.unwrap().span.slice(text), link);
        let f = a
            .findings
            .iter()
            .find(|f| f.rule == rules::URL_USERINFO_HOST.id)
            .unwrap();
        assert_eq!(f.span.slice(text), "www.apple.com");
        let text = "见 pаypal.com/login 。";
        let link = "pаypal.com/login";
        let at = text.find(link).unwrap();
        let a = assess(&k, link, at, None);
        let f = a
            .findings
            .iter()
            .find(|f| f.rule == rules::URL_LOOKALIKE_CONFUSABLE.id)
            .unwrap();
        assert_eq!(f.span.slice(text), "pаypal.com");
    }

    #[test]
    fn dotted_quads() {
        assert!(is_plain_dotted_quad("194.87.141.136"));
        assert!(!is_plain_dotted_quad("3117711444"));
        assert!(!is_plain_dotted_quad("0xb9.1.1.1"));
        assert!(!is_plain_dotted_quad("010.1.1.1"));
    }
}
