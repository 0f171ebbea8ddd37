//! Entity extraction from normalized message text: links and bare domains, email addresses,
//! phone numbers (including obfuscated and Chinese formats) and chat handles.

use regex::Regex;

use crate::domain::Domains;
use crate::phone::plan::is_short_code;
use crate::phone::scan::{scan, RawNumber};

/// The most entities of one kind taken from one message.
pub(crate) const MAX_PER_KIND: usize = 32;

/// Top-level domains that are also common words or abbreviations in chat ("ok.so",
/// "home.in"): a bare domain on one of these needs a path, `www.` or a scheme to count.
const WORDLIKE_TLDS: [&str; 20] = [
    "so", "is", "it", "at", "in", "to", "no", "us", "am", "be", "do", "go", "my", "hi", "ok", "la",
    "me", "id", "im", "an",
];

/// A link found in the text (normalized offsets).
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub start: usize,
    pub end: usize,
    /// Lowercase host.
    pub host: String,
}

/// An email address found in the text.
#[derive(Debug, Clone)]
pub(crate) struct Email {
    pub start: usize,
    pub end: usize,
    pub address: String,
    pub registrable: Option<String>,
}

/// A chat handle ("WhatsApp +1…", "微信: abc123").
#[derive(Debug, Clone)]
pub(crate) struct Handle {
    pub start: usize,
    pub end: usize,
    pub value: String,
}

/// The extraction patterns, compiled once per detector.
#[derive(Debug)]
pub(crate) struct Extractor {
    link: Regex,
    email: Regex,
    handle: Regex,
}

impl Extractor {
    pub(crate) fn new() -> Result<Extractor, regex::Error> {
        const URL_CHARS: &str = r"[a-z0-9\-._~:/?#\[\]@!$&()*+,;=%]";
        Ok(Extractor {
            link: Regex::new(&format!(
                r"(?i)(?:https?://|www\.){URL_CHARS}+|(?-u:\b)[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?)*\.[a-z]{{2,24}}(?-u:\b)(?:[/?#]{URL_CHARS}*)?"
            ))?,
            email: Regex::new(
                r"(?i)[a-z0-9._%+-]{1,64}@(?:[a-z0-9-]{1,63}\.){1,8}[a-z]{2,24}(?-u:\b)",
            )?,
            handle: Regex::new(
                r"(?i)(?-u:\b)(?:whats ?app|telegram|wechat|weixin|skype|kakao|viber|qq|vx|wx|tg)(?-u:\b)(?:\s*(?:id|number|no\.?|account))?\s*[:：]?\s*(\+?[a-z0-9][a-z0-9_.@-]{3,31})|(?-u:\b)(?:line|signal)(?:\s*id)?\s*[:：]\s*(\+?[a-z0-9][a-z0-9_.@-]{3,31})|(?:微信|薇信|威信|扣扣|飞机|飛機)(?:号|號|群)?\s*[:：]?\s*(\+?[a-z0-9][a-z0-9_.@-]{3,31})",
            )?,
        })
    }

    /// Email addresses.
    pub(crate) fn emails(&self, text: &str, domains: &Domains) -> Vec<Email> {
        if !text.contains('@') {
            return Vec::new();
        }
        self.email
            .find_iter(text)
            .take(MAX_PER_KIND)
            .map(|m| {
                let address = m.as_str().to_ascii_lowercase();
                let registrable = address
                    .rsplit_once('@')
                    .and_then(|(_, d)| domains.registrable(d));
                Email {
                    start: m.start(),
                    end: m.end(),
                    address,
                    registrable,
                }
            })
            .collect()
    }

    /// Links and bare domains, skipping the domain part of email addresses.
    pub(crate) fn links(&self, text: &str, domains: &Domains, emails: &[Email]) -> Vec<Link> {
        if !text.contains('.') {
            return Vec::new();
        }
        let mut out = Vec::new();
        for m in self.link.find_iter(text) {
            if out.len() >= MAX_PER_KIND {
                break;
            }
            if emails
                .iter()
                .any(|e| e.start <= m.start() && m.start() < e.end)
            {
                continue;
            }
            let raw = trim_trailing(m.as_str());
            let end = m.start() + raw.len();
            let lower = raw.to_ascii_lowercase();
            let explicit = lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("www.");
            let after_scheme = lower.split_once("://").map_or(lower.as_str(), |(_, r)| r);
            let authority = after_scheme.split(['/', '?', '#']).next().unwrap_or("");
            let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            let host = host_port
                .split(':')
                .next()
                .unwrap_or("")
                .trim_end_matches('.')
                .to_string();
            if host.is_empty() {
                continue;
            }
            let registrable = domains.registrable(&host);
            let is_ip = host.parse::<std::net::IpAddr>().is_ok();
            if !explicit {
                // A bare domain must end in a known public suffix, and word-like TLDs need a
                // path to count ("ok.so" is chat, "t.me/x" is a link).
                let Some(reg) = &registrable else { continue };
                let tld = reg.rsplit('.').next().unwrap_or("");
                let has_path = after_scheme.len() > host.len() + 1;
                if WORDLIKE_TLDS.contains(&tld) && !has_path {
                    continue;
                }
                if reg.split('.').next().is_some_and(|label| label.len() < 2) {
                    continue;
                }
            } else if registrable.is_none() && !is_ip {
                continue;
            }
            out.push(Link {
                start: m.start(),
                end,
                host,
            });
        }
        out
    }

    /// Chat handles.
    pub(crate) fn handles(&self, text: &str) -> Vec<Handle> {
        self.handle
            .captures_iter(text)
            .take(MAX_PER_KIND)
            .filter_map(|c| {
                let whole = c.get(0)?;
                let value = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3))?;
                Some(Handle {
                    start: whole.start(),
                    end: whole.end(),
                    value: value.as_str().to_string(),
                })
            })
            .collect()
    }
}

/// Drops trailing punctuation that belongs to the sentence, and closing brackets that have no
/// opening one in the link.
fn trim_trailing(s: &str) -> &str {
    let mut s = s;
    loop {
        let Some(last) = s.chars().last() else {
            return s;
        };
        let unbalanced = match last {
            ')' => s.matches('(').count() < s.matches(')').count(),
            ']' => s.matches('[').count() < s.matches(']').count(),
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' => true,
            _ => false,
        };
        if !unbalanced {
            return s;
        }
        s = &s[..s.len() - last.len_utf8()];
    }
}

/// Phone numbers: every `+` or digit run that starts a word, read by the obfuscation-aware
/// scanner. Returns numbers of 7+ digits and Chinese 95/96 service numbers.
pub(crate) fn phones(text: &str) -> Vec<RawNumber> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() && out.len() < MAX_PER_KIND {
        let b = bytes[i];
        let starts = (b == b'+'
            && bytes
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_digit() || *n == b' ' || *n == b'('))
            || (b.is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()));
        if !starts {
            i += 1;
            continue;
        }
        match scan(text, i) {
            Some(raw) if raw.span.end > i => {
                let n = raw.digits.len();
                let short = (5..=6).contains(&n)
                    && (raw.digits.starts_with("95") || raw.digits.starts_with("96"))
                    && is_short_code("CN", &raw.digits);
                let next = raw.span.end;
                if (7..=16).contains(&n) || short {
                    out.push(raw);
                }
                i = next.max(i + 1);
            }
            _ => i += 1,
        }
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains() -> Domains {
        Domains::new(None).unwrap()
    }

    #[test]
    fn links_and_bare_domains() {
        let d = domains();
        let x = Extractor::new().unwrap();
        let text = "Visit paypal-verify.com/login or https://bit.ly/abc). Email me at joe@paypal.com. ok.so see you";
        let emails = x.emails(text, &d);
        let links = x.links(text, &d, &emails);
        let hosts: Vec<_> = links.iter().map(|l| l.host.as_str()).collect();
        assert_eq!(hosts, ["paypal-verify.com", "bit.ly"]);
        assert_eq!(&text[links[1].start..links[1].end], "https://bit.ly/abc");
        assert_eq!(emails.len(), 1);
        assert_eq!(emails[0].registrable.as_deref(), Some("paypal.com"));
    }

    #[test]
    fn chinese_text_links_stop_at_cjk() {
        let d = domains();
        let x = Extractor::new().unwrap();
        let text = "点击https://u.10010.cn/qAE9U立即参与";
        let links = x.links(text, &d, &[]);
        assert_eq!(
            &text[links[0].start..links[0].end],
            "https://u.10010.cn/qAE9U"
        );
    }

    #[test]
    fn phone_candidates() {
        let found: Vec<_> =
            phones("Call 1-888-908-7930 or 95533, order #12345, ID354376, +44 20 7946 0958")
                .into_iter()
                .map(|r| r.digits)
                .collect();
        assert_eq!(found, ["18889087930", "95533", "442079460958"]);
        let found: Vec<_> = phones("请致电95017转2")
            .into_iter()
            .map(|r| r.digits)
            .collect();
        assert_eq!(found, ["95017"]);
    }

    #[test]
    fn handles() {
        let x = Extractor::new().unwrap();
        let h = x.handles("add me on WhatsApp: +15149071098 or 微信：abc_123");
        let v: Vec<_> = h.iter().map(|h| h.value.as_str()).collect();
        assert_eq!(v, ["+15149071098", "abc_123"]);
    }
}
