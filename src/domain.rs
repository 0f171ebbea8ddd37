//! Registrable domains under the Public Suffix List, and the lists of domains where anybody
//! can get an address (free mail), publish a page (user content) or shorten a link, and the
//! TLDs where phishing is most common. Every list is a reviewed text file under `data/`,
//! parsed once when a [`Detector`](crate::Detector) is built.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock};

use publicsuffix::{List, Psl, Type};

/// The Public Suffix List snapshot compiled in: `data/public_suffix_list.dat`, upstream
/// VERSION 2026-10-22_08-36-41_UTC, COMMIT 8437e526 (MPL-2.0; taken from the
/// `publicsuffixlist` 1.1.2.20261023 package on PyPI, which ships the upstream file
/// unchanged, ICANN and PRIVATE sections included).
pub(crate) const PSL_TEXT: &str = include_str!("../data/public_suffix_list.dat");

/// The date of the compiled-in Public Suffix List.
pub const PSL_VERSION: &str = "2026-10-22";

const FREE_MAIL_TEXT: &str = include_str!("../data/free_email_providers.txt");

/// Hosts where anybody can publish (`data/user_content_hosts.txt`).
const USER_CONTENT_TEXT: &str = include_str!("../data/user_content_hosts.txt");

/// Link shorteners (`data/shorteners.txt`).
const SHORTENERS_TEXT: &str = include_str!("../data/shorteners.txt");

/// TLDs where phishing is most common (`data/suspicious_tlds.txt`).
const SUSPICIOUS_TLDS_TEXT: &str = include_str!("../data/suspicious_tlds.txt");

/// Lines of a data list: trimmed, lowercase, without blanks and `#` comments.
fn list_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Whether `name` is a plausible lowercase ASCII host name (letters, digits, `-`, `.`, `_`).
fn is_host_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !name.contains("..")
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_')
        })
}

/// A list of hosts read from a data file: exact hosts (optionally limited to a path prefix)
/// and `*.suffix` entries that match every host strictly under the suffix.
#[derive(Debug, Default)]
pub(crate) struct HostList {
    /// Host → path prefixes (`""` for the whole host).
    exact: HashMap<String, Vec<String>>,
    /// Suffixes of `*.suffix` entries.
    under: HashSet<String>,
}

/// A host that matched a [`HostList`] entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HostMatch {
    /// The entry as written in the data file, e.g. `*.github.io` or `docs.google.com/forms`.
    pub entry: String,
    /// For `*.suffix` entries, the part of the host in front of the suffix (the page owner's
    /// name, e.g. `secure-metamask` in `secure-metamask.pages.dev`); otherwise empty.
    pub owner: String,
    /// For path entries, the byte length of the matched path prefix.
    pub path_prefix_len: usize,
}

impl HostList {
    /// Parses a data file; `name` is used in error messages.
    pub(crate) fn parse(name: &str, text: &str) -> Result<HostList, String> {
        let mut list = HostList::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: &str| format!("{name}:{}: {line:?}: {why}", i + 1);
            if let Some(suffix) = line.strip_prefix("*.") {
                if !is_host_name(suffix) || suffix.contains('/') {
                    return Err(bad("write `*.` and a lowercase ASCII host name"));
                }
                list.under.insert(suffix.to_string());
                continue;
            }
            let (host, path) = match line.find('/') {
                Some(i) => (&line[..i], &line[i..]),
                None => (line, ""),
            };
            if !is_host_name(host) || !host.contains('.') {
                return Err(bad(
                    "write a lowercase ASCII host name, optionally with a /path",
                ));
            }
            list.exact
                .entry(host.to_string())
                .or_default()
                .push(path.to_string());
        }
        Ok(list)
    }

    /// The entry this lowercase host (and path, starting with `/`) falls under, if any. A
    /// leading `www.` is ignored for exact entries; path prefixes match whole segments.
    pub(crate) fn find(&self, host: &str, path: &str) -> Option<HostMatch> {
        let bare = host.strip_prefix("www.").unwrap_or(host);
        for h in [host, bare] {
            let Some(prefixes) = self.exact.get(h) else {
                continue;
            };
            for prefix in prefixes {
                // `host/prefix*` matches any path that starts with the prefix (`cash.app/$*`:
                // every $cashtag page); other prefixes match whole segments.
                let (prefix, open) = match prefix.strip_suffix('*') {
                    Some(p) => (p, true),
                    None => (prefix.as_str(), false),
                };
                let segment_end = open
                    || path
                        .as_bytes()
                        .get(prefix.len())
                        .is_none_or(|b| matches!(b, b'/' | b'?' | b'#'));
                if prefix.is_empty()
                    || (path.len() >= prefix.len()
                        && path[..prefix.len()].eq_ignore_ascii_case(prefix)
                        && segment_end)
                {
                    let entry = format!("{h}{prefix}");
                    return Some(HostMatch {
                        entry,
                        owner: String::new(),
                        path_prefix_len: prefix.len(),
                    });
                }
            }
        }
        // `*.suffix`: try every proper suffix of the host on a label boundary.
        let mut rest = host;
        while let Some(dot) = rest.find('.') {
            let suffix = &rest[dot + 1..];
            if self.under.contains(suffix) {
                let owner = &host[..host.len() - suffix.len() - 1];
                return Some(HostMatch {
                    entry: format!("*.{suffix}"),
                    owner: owner.to_string(),
                    path_prefix_len: 0,
                });
            }
            rest = suffix;
        }
        None
    }

    /// Number of entries (for tests).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.exact.values().map(Vec::len).sum::<usize>() + self.under.len()
    }
}

/// A host name split under the Public Suffix List.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HostParts<'h> {
    /// The whole lowercase host.
    pub host: &'h str,
    /// The registrable domain ("eTLD+1"), a suffix of `host`.
    pub registrable: &'h str,
    /// The public suffix, a suffix of `registrable`.
    pub suffix: &'h str,
    /// Whether the suffix comes from the PSL's PRIVATE section (`github.io`, `co.com`).
    pub private_suffix: bool,
}

impl<'h> HostParts<'h> {
    /// The registrable domain's own label: `paypal` in `www.paypal.co.uk`.
    pub(crate) fn label(&self) -> &'h str {
        let end = self.registrable.len() - self.suffix.len();
        self.registrable[..end].trim_end_matches('.')
    }

    /// The labels in front of the registrable domain: `www` in `www.paypal.co.uk`.
    pub(crate) fn subdomain(&self) -> &'h str {
        let end = self.host.len() - self.registrable.len();
        self.host[..end].trim_end_matches('.')
    }

    /// The last label of the host: `uk` in `www.paypal.co.uk`.
    pub(crate) fn tld(&self) -> &'h str {
        self.suffix.rsplit('.').next().unwrap_or(self.suffix)
    }
}

fn parse_psl(text: &str) -> Result<List, String> {
    let psl: List = text
        .parse()
        .map_err(|e| format!("the Public Suffix List does not parse: {e}"))?;
    if psl.suffix(b"example.com").is_none_or(|s| !s.is_known()) {
        return Err("the Public Suffix List has no rule for .com: not a PSL text".into());
    }
    Ok(psl)
}

/// Domain knowledge shared by the loader and the checks.
#[derive(Debug)]
pub(crate) struct Domains {
    /// Shared: the compiled-in list is parsed once per process.
    psl: Arc<List>,
    free_mail: HashSet<String>,
    user_content: HostList,
    shorteners: HostList,
    suspicious_tlds: HashSet<String>,
}

impl Domains {
    /// Parses the compiled-in lists, with a caller's PSL text or (`None`) the compiled-in
    /// one, which is parsed once per process.
    pub(crate) fn new(psl_text: Option<&str>) -> Result<Domains, String> {
        static EMBEDDED: LazyLock<Result<Arc<List>, String>> =
            LazyLock::new(|| parse_psl(PSL_TEXT).map(Arc::new));
        let psl = match psl_text {
            Some(text) => Arc::new(parse_psl(text)?),
            None => EMBEDDED.clone()?,
        };
        let free_mail = list_lines(FREE_MAIL_TEXT)
            .map(str::to_ascii_lowercase)
            .collect();
        let user_content = HostList::parse("data/user_content_hosts.txt", USER_CONTENT_TEXT)?;
        let shorteners = HostList::parse("data/shorteners.txt", SHORTENERS_TEXT)?;
        let suspicious_tlds = list_lines(SUSPICIOUS_TLDS_TEXT)
            .map(str::to_ascii_lowercase)
            .collect();
        Ok(Domains {
            psl,
            free_mail,
            user_content,
            shorteners,
            suspicious_tlds,
        })
    }

    /// Splits a lowercase ASCII host under the PSL, or `None` for a public suffix itself, an
    /// unknown TLD, an IP address or an empty name.
    pub(crate) fn split<'h>(&self, host: &'h str) -> Option<HostParts<'h>> {
        let host = host.trim_end_matches('.');
        if host.is_empty() || host.parse::<std::net::IpAddr>().is_ok() {
            return None;
        }
        let domain = self.psl.domain(host.as_bytes())?;
        let suffix = domain.suffix();
        if !suffix.is_known() {
            return None;
        }
        let registrable = &host[host.len() - domain.as_bytes().len()..];
        let suffix_len = suffix.as_bytes().len();
        Some(HostParts {
            host,
            registrable,
            suffix: &registrable[registrable.len() - suffix_len..],
            private_suffix: suffix.typ() == Some(Type::Private),
        })
    }

    /// The user-content platform this host (and path) belongs to, if any.
    pub(crate) fn user_content(&self, host: &str, path: &str) -> Option<HostMatch> {
        self.user_content.find(host, path)
    }

    /// The shortener this host belongs to, if any.
    pub(crate) fn shortener(&self, host: &str) -> Option<HostMatch> {
        self.shorteners.find(host, "")
    }

    /// Whether phishing is unusually common under this TLD (last label, lowercase).
    pub(crate) fn is_suspicious_tld(&self, tld: &str) -> bool {
        self.suspicious_tlds.contains(tld)
    }

    /// The registrable domain ("eTLD+1") of a lowercase host name, or `None` for a public
    /// suffix itself, an unknown TLD, an IP address or an empty name.
    pub(crate) fn registrable(&self, host: &str) -> Option<String> {
        let host = host.trim_end_matches('.');
        if host.is_empty() || host.parse::<std::net::IpAddr>().is_ok() {
            return None;
        }
        let domain = self.psl.domain(host.as_bytes())?;
        if !domain.suffix().is_known() {
            return None;
        }
        std::str::from_utf8(domain.as_bytes())
            .ok()
            .map(str::to_string)
    }

    /// Whether this registrable domain offers free email addresses to anybody.
    pub(crate) fn is_free_mail(&self, registrable: &str) -> bool {
        self.free_mail.contains(registrable)
    }

    /// Checks a domain a data file declares official: it must be a registrable domain itself
    /// (not a host under one, not a public suffix), and for email not a free-mail domain.
    pub(crate) fn check_official(&self, name: &str, email: bool) -> Result<(), String> {
        if name.is_empty() || !name.is_ascii() || name.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err("write the domain in lowercase ASCII (punycode for IDNs)".into());
        }
        match self.registrable(name) {
            None => Err(
                "not a registrable domain under the Public Suffix List (a public suffix, \
                         a user-content platform, or an unknown TLD)"
                    .into(),
            ),
            // A web host below its registrable domain is a brand's own host under a shared
            // domain (`pay.weixin.qq.com`): only that host and the names under it are
            // official, never the rest of the domain. Not for email.
            Some(r)
                if r != name
                    && (email
                        || name.starts_with("www.")
                        || self.user_content(name, "/").is_some()) =>
            {
                Err(format!("a host under {r:?}; list the registrable domain"))
            }
            Some(r) if r != name => Ok(()),
            Some(r) if email && self.is_free_mail(&r) => {
                Err("a free-mail domain: anybody can get an address there".into())
            }
            Some(r) if !email && self.user_content(&format!("page.{r}"), "/").is_some() => Err(
                "a user-content platform: anybody can publish a site under it (data/user_content_hosts.txt)"
                    .into(),
            ),
            Some(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains() -> Domains {
        Domains::new(None).unwrap()
    }

    #[test]
    fn registrable_domains() {
        let d = domains();
        assert_eq!(
            d.registrable("www.paypal.com").as_deref(),
            Some("paypal.com")
        );
        assert_eq!(
            d.registrable("paypal.co.uk").as_deref(),
            Some("paypal.co.uk")
        );
        assert_eq!(
            d.registrable("pay.weixin.qq.com").as_deref(),
            Some("qq.com")
        );
        // PRIVATE section: user-content platforms are public suffixes.
        assert_eq!(
            d.registrable("secure-metamask-eng-ags.pages.dev")
                .as_deref(),
            Some("secure-metamask-eng-ags.pages.dev")
        );
        assert_eq!(d.registrable("pages.dev"), None);
        assert_eq!(d.registrable("com"), None);
        assert_eq!(d.registrable("192.168.0.1"), None);
        assert_eq!(d.registrable("example.notatld"), None);
    }

    #[test]
    fn host_parts() {
        let d = domains();
        let p = d.split("www.paypal.co.uk").unwrap();
        assert_eq!(
            (p.registrable, p.suffix, p.label(), p.subdomain(), p.tld()),
            ("paypal.co.uk", "co.uk", "paypal", "www", "uk")
        );
        assert!(!p.private_suffix);
        let p = d.split("a.b.secure-metamask.pages.dev").unwrap();
        assert_eq!(p.registrable, "secure-metamask.pages.dev");
        assert_eq!(p.label(), "secure-metamask");
        assert_eq!(p.subdomain(), "a.b");
        assert!(p.private_suffix);
        assert!(d.split("1.2.3.4").is_none());
        assert!(d.split("localhost").is_none());
    }

    #[test]
    fn data_lists() {
        let d = domains();
        assert!(d.user_content.len() > 50);
        let m = d.user_content("secure-metamask.pages.dev", "/").unwrap();
        assert_eq!(
            (m.entry.as_str(), m.owner.as_str()),
            ("*.pages.dev", "secure-metamask")
        );
        assert!(d.user_content("pages.dev", "/").is_none());
        let m = d.user_content("docs.google.com", "/forms/d/e/x").unwrap();
        assert_eq!(m.entry, "docs.google.com");
        let m = d
            .user_content("support.google.com", "/accounts/thread/123")
            .unwrap();
        assert_eq!(m.entry, "support.google.com/accounts/thread");
        assert_eq!(m.path_prefix_len, 16);
        assert!(d
            .user_content("support.google.com", "/accounts/answer/1")
            .is_none());
        assert!(d.user_content("google.com", "/mapsx").is_none());
        assert!(d.user_content("www.google.com", "/maps/place/x").is_some());
        assert!(d.user_content("www.paypal.com", "/invoice/p/1").is_some());
        assert!(d.user_content("www.paypal.com", "/signin").is_none());
        let m = d.user_content("cash.app", "/$JohnSupport247").unwrap();
        assert_eq!((m.entry.as_str(), m.path_prefix_len), ("cash.app/$", 2));
        assert!(d.user_content("cash.app", "/help").is_none());
        assert!(d.user_content("medium.com", "/@someone/post-1").is_some());
        assert!(d.shortener("bit.ly").is_some());
        assert!(d.shortener("www.bit.ly").is_some());
        assert!(d.shortener("wowgo.app.link").is_some());
        assert!(d.shortener("notbit.ly").is_none());
        assert!(d.is_suspicious_tld("xyz"));
        assert!(!d.is_suspicious_tld("com"));
        assert!(HostList::parse("t", "Bad.Host").is_err());
        assert!(HostList::parse("t", "*.").is_err());
    }

    #[test]
    fn official_domain_rules() {
        let d = domains();
        assert!(d.check_official("paypal.com", false).is_ok());
        assert!(d.check_official("www.paypal.com", false).is_err());
        assert!(d.check_official("pay.weixin.qq.com", false).is_ok());
        assert!(d.check_official("pay.weixin.qq.com", true).is_err());
        assert!(
            d.check_official("docs.qq.com", false).is_err(),
            "user content"
        );
        assert!(d.check_official("github.io", false).is_err());
        assert!(d.check_official("gmail.com", true).is_err());
        assert!(d.check_official("qq.com", false).is_ok()); // a web domain may be a mail host
        assert!(d.check_official("PayPal.com", false).is_err());
    }
}
