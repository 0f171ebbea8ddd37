//! Registrable domains under the Public Suffix List, and the lists of domains where anybody
//! can get an address (free mail).

use std::collections::HashSet;

use publicsuffix::{List, Psl};

/// The Public Suffix List snapshot compiled in: `data/public_suffix_list.dat`, upstream
/// VERSION 2026-10-22_08-36-41_UTC, COMMIT 8437e526 (MPL-2.0; taken from the
/// `publicsuffixlist` 1.1.2.20261023 package on PyPI, which ships the upstream file
/// unchanged, ICANN and PRIVATE sections included).
pub(crate) const PSL_TEXT: &str = include_str!("../data/public_suffix_list.dat");

/// The date of the compiled-in Public Suffix List.
pub const PSL_VERSION: &str = "2026-10-22";

const FREE_MAIL_TEXT: &str = include_str!("../data/free_email_providers.txt");

/// Lines of a data list: trimmed, lowercase, without blanks and `#` comments.
fn list_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Domain knowledge shared by the loader and the checks.
#[derive(Debug)]
pub(crate) struct Domains {
    psl: List,
    free_mail: HashSet<String>,
}

impl Domains {
    /// Parses the compiled-in lists (or a caller's PSL text).
    pub(crate) fn new(psl_text: &str) -> Result<Domains, String> {
        let psl: List = psl_text
            .parse()
            .map_err(|e| format!("the Public Suffix List does not parse: {e}"))?;
        let free_mail = list_lines(FREE_MAIL_TEXT)
            .map(str::to_ascii_lowercase)
            .collect();
        Ok(Domains { psl, free_mail })
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
            Some(r) if r != name => Err(format!("a host under {r:?}; list the registrable domain")),
            Some(r) if email && self.is_free_mail(&r) => {
                Err("a free-mail domain: anybody can get an address there".into())
            }
            Some(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains() -> Domains {
        Domains::new(PSL_TEXT).unwrap()
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
    fn official_domain_rules() {
        let d = domains();
        assert!(d.check_official("paypal.com", false).is_ok());
        assert!(d.check_official("www.paypal.com", false).is_err());
        assert!(d.check_official("github.io", false).is_err());
        assert!(d.check_official("gmail.com", true).is_err());
        assert!(d.check_official("qq.com", false).is_ok()); // a web domain may be a mail host
        assert!(d.check_official("PayPal.com", false).is_err());
    }
}
