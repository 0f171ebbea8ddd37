//! Entity extraction from normalized message text: links and bare domains, email addresses,
//! phone numbers (including obfuscated and Chinese formats) and chat handles.

use std::sync::LazyLock;

use regex::Regex;

use crate::domain::{Domains, HostParts};
use crate::fold::{ceil_boundary, digit_value, floor_boundary};
use crate::knowledge::names::{Mention, MentionKind};
use crate::knowledge::Knowledge;
use crate::numbering::plan::is_short_code;
use crate::numbering::scan::{scan, RawNumber};

/// The most entities of one kind taken from one message.
pub(crate) const MAX_PER_KIND: usize = 32;

/// Top-level domains that are also common words or abbreviations in chat ("ok.so",
/// "home.in"): a bare domain on one of these needs a path, `www.` or a scheme to count, or
/// a long hyphenated label.
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

/// Everything the extract stage found, in normalized offsets.
#[derive(Debug)]
pub(super) struct Found {
    pub emails: Vec<Email>,
    pub links: Vec<Link>,
    pub handles: Vec<Handle>,
    pub phones: Vec<RawNumber>,
    /// Brand names (an ambiguous alias only with a brand cue nearby).
    pub mentions: Vec<Mention>,
}

/// The extraction patterns (fixed; a unit test compiles them).
static EXTRACTOR: LazyLock<Option<Extractor>> = LazyLock::new(|| Extractor::new().ok());

/// Builds the extraction patterns now.
pub(super) fn warm_up() {
    LazyLock::force(&EXTRACTOR);
}

/// The extract stage: the entities and brand names in the normalized text `t` (`lower`: `t`
/// lowercased in place).
pub(super) fn extract(k: &Knowledge, t: &str, lower: &str) -> Found {
    let (emails, links, handles) = match &*EXTRACTOR {
        Some(x) => {
            let emails = x.emails(t, &k.domains);
            let links = x.links(t, &k.domains, &emails);
            (emails, links, x.handles(t))
        }
        None => Default::default(),
    };
    let mut mentions = k.names.find(t, lower, |from, to| {
        let (from, to) = (floor_boundary(t, from), ceil_boundary(t, to));
        k.names.brand_cue.is_match(&t[from..to])
    });
    // A brand's own address is not its name in disguise: `my.gov.au` is myGov's site, not
    // "myGov" split by a dot.
    mentions.retain(|m| {
        m.kind == MentionKind::Alias
            || !links.iter().any(|l| {
                l.start <= m.start && m.end <= l.end && is_official_for(k, &l.host, m.brand)
            })
    });
    Found {
        emails,
        links,
        handles,
        phones: phones(t),
        mentions,
    }
}

/// Whether `host` is one of the official web hosts of the brand at index `brand`.
fn is_official_for(k: &Knowledge, host: &str, brand: usize) -> bool {
    let Some(registrable) = k.domains.registrable(host) else {
        return false;
    };
    let owner = k
        .allowlist
        .web_host_owner(host, &registrable)
        .map(|(b, _)| b)
        .or_else(|| k.allowlist.web_domain_owner(&registrable));
    owner.is_some_and(|b| {
        k.allowlist
            .brands()
            .get(brand)
            .is_some_and(|m| m.id == b.id)
    })
}

/// The extraction patterns.
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
                r"(?i)(?-u:\b)(?:whats ?app|telegram|wechat|weixin|skype|kakao|viber|qq|vx|wx|tg)(?-u:\b)(?:\s*(?:id|number|no\.?|account))?\s*[:：]?\s*([+@]?[a-z0-9][a-z0-9_.@-]{3,31})|(?-u:\b)(?:line|signal)(?:\s*id)?\s*[:：]\s*(\+?[a-z0-9][a-z0-9_.@-]{3,31})|(?:微信|薇信|威信|扣扣|飞机|飛機)(?:号|號|群)?\s*[:：]?\s*(\+?[a-z0-9][a-z0-9_.@-]{3,31})",
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
        // Every match has a dot followed by a letter or a URL character (`.com`, `www.x`), or
        // `://`: a message whose dots all end sentences (". ", a final ".") has no link.
        let dot_before_word = text
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'.' && (w[1].is_ascii_graphic() || w[1] >= 0x80));
        if !dot_before_word && !text.contains("://") {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut at = 0;
        while at < text.len() && out.len() < MAX_PER_KIND {
            let Some(m) = self.link.find_at(text, at) else {
                break;
            };
            at = m.end();
            if emails
                .iter()
                .any(|e| e.start <= m.start() && m.start() < e.end)
            {
                continue;
            }
            match candidate(text, m.start(), m.end(), domains) {
                Ok(link) => out.push(link),
                // "join.https://…": the rejected word ends where a scheme starts; read on
                // from the scheme's first letter.
                Err(Some(retry)) if retry > m.start() && retry < at => at = retry,
                Err(_) => {}
            }
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
                // "WhatsApp will expire", "Telegram channel": a word of letters right after
                // the app's name is no handle unless a colon or "id" introduces it.
                // A full stop or hyphen after the word is the sentence's, not the handle's
                // ("… on this WhatsApp number.").
                let word = value.as_str().trim_end_matches(['.', '-']);
                if c.get(1).is_some() && word.chars().all(|ch| ch.is_ascii_alphabetic()) {
                    let between = text[whole.start()..value.start()].trim_end();
                    let introduced = between.ends_with([':', '：'])
                        || between
                            .get(between.len().saturating_sub(2)..)
                            .is_some_and(|t| t.eq_ignore_ascii_case("id"));
                    if !introduced {
                        return None;
                    }
                }
                Some(Handle {
                    start: whole.start(),
                    end: whole.end(),
                    value: value.as_str().to_string(),
                })
            })
            .collect()
    }
}

/// Top-level domains under which bare names are common enough in messages that a bare
/// `label.tld` needs no further evidence (`paypal.com`).
const CORE_TLDS: [&str; 5] = ["com", "net", "org", "edu", "gov"];

/// Where `www.` starts when it is glued to the word in front of it ("visitwww.site.com").
fn glued_www(lower: &str) -> Option<usize> {
    let dot = lower.find('.')?;
    let first = &lower[..dot];
    (first.len() > 3 && first.ends_with("www") && lower[dot + 1..].contains('.')).then(|| dot - 3)
}

/// How much of a host name to keep when its trailing labels are capitalized words of a
/// sentence glued on after a full stop ("paypal.com.Thanks"); the core TLDs stay
/// ("Amazon.Com").
fn without_glued_sentence(written: &str) -> usize {
    let mut keep = written.len();
    while let Some(dot) = written[..keep].rfind('.') {
        let label = &written[dot + 1..keep];
        if !is_capitalized(label) || CORE_TLDS.iter().any(|t| t.eq_ignore_ascii_case(label)) {
            break;
        }
        keep = dot;
    }
    keep
}

/// Judges one match of the link pattern at `start..end`: the link, or `Err` with where to
/// read on from when the match hides the start of another link (`None`: after the match).
fn candidate(
    text: &str,
    start: usize,
    end: usize,
    domains: &Domains,
) -> Result<Link, Option<usize>> {
    let mut start = start;
    let mut raw = trim_trailing(&text[start..end]);
    let lower = raw.to_ascii_lowercase();
    let mut explicit =
        lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.");
    if let Some(www) = glued_www(&lower).filter(|_| !explicit) {
        start += www;
        raw = &raw[www..];
        explicit = true;
    }
    let lower = raw.to_ascii_lowercase();
    let scheme_len = lower.find("://").map_or(0, |i| i + 3);
    let after_scheme = &lower[scheme_len..];
    let authority_len = after_scheme
        .find(['/', '?', '#'])
        .unwrap_or(after_scheme.len());
    let authority = &after_scheme[..authority_len];
    let host_at = authority.rfind('@').map_or(0, |i| i + 1);
    let host_port = &authority[host_at..];
    let mut host_len = host_port.find(':').unwrap_or(host_port.len());
    let host_start = scheme_len + host_at;
    let has_path = authority_len < after_scheme.len();
    let mut end = start + raw.len();
    let mut glued_sentence = false;
    let whole_host_known = || {
        domains
            .split(&lower[host_start..host_start + host_len])
            .is_some()
    };
    if !has_path && host_len == host_port.len() && !(explicit && whole_host_known()) {
        // "paypal.com.Thanks", "timely.Open": a sentence glued on after a full stop. Drop
        // trailing labels written as capitalized words; the core TLDs stay ("Amazon.Com").
        // A link with a scheme or `www.` keeps a name that is valid as written
        // ("https://Amazon.Shop").
        let keep = without_glued_sentence(&raw[host_start..host_start + host_len]);
        if keep < host_len {
            glued_sentence = true;
            host_len = keep;
            end = start + host_start + keep;
        }
    }
    let host = lower[host_start..host_start + host_len]
        .trim_end_matches('.')
        .to_string();
    if scheme_len > 0 && is_numeric_ipv4(&host) {
        // "http://3260518391/x": an address written as one number (or in hex or octal
        // parts), which browsers open; the URL checks flag it.
        return Ok(Link { start, end, host });
    }
    if host.is_empty() || !host.contains('.') {
        return Err(None);
    }
    let written_host = &raw[host_start..host_start + host.len()];
    let Some(parts) = domains.split(&host) else {
        let is_ip = host.parse::<std::net::IpAddr>().is_ok();
        if explicit && is_ip {
            return Ok(Link { start, end, host });
        }
        // "join.https://…": read on from the scheme.
        if !explicit && text[start + raw.len()..].starts_with("://") {
            return Err(host.rfind('.').map(|d| start + d + 1));
        }
        return Err(None);
    };
    if !explicit {
        let path = &after_scheme[authority_len..];
        // The domain of an address whose local part is masked or unusual ("ma***@outlook.com"):
        // part of an address, not a link ("//@risu.io/x" has no local part: still a link).
        let after_at = text[..start].strip_suffix('@').is_some_and(|before| {
            before.ends_with(|c: char| {
                c.is_alphanumeric() || matches!(c, '*' | '.' | '_' | '-' | '+')
            })
        });
        if after_at || !bare_is_credible(&parts, written_host, path, glued_sentence) {
            return Err(None);
        }
    }
    Ok(Link { start, end, host })
}

/// Whether a bare name (no scheme, no `www.`) reads as a link rather than as two words
/// glued with a full stop ("haha lol.ok", "later.lol"). `path` is what follows the host
/// (`/…`, `?…`, `#…` or nothing); `glued_sentence` says a capitalized word was glued on
/// after it ("…lol.Cui"), the way chat is typed.
fn bare_is_credible(
    parts: &HostParts<'_>,
    written_host: &str,
    path: &str,
    glued_sentence: bool,
) -> bool {
    let label = parts.label();
    let tld = parts.tld();
    // Case as written: "forth.You", "B.Tech/MCA" and "4ta.UPS" are words; "PAYPAL.COM" is
    // a name.
    let written_tld = &written_host[written_host.len() - tld.len()..];
    if path.starts_with('/') {
        // A path is strong evidence: "t.co/x", "bit.ly/x", "site.us/". A one-letter label
        // needs something after the slash and a TLD not written as a word.
        return label.len() >= 2 || (path.len() >= 2 && !is_capitalized(written_tld));
    }
    if label.len() < 2 {
        return false;
    }
    if WORDLIKE_TLDS.contains(&tld) {
        // Chat glues words with these ("home.in", "ok.so"); a long hyphenated label
        // (`sbi-kyc-update.in`) is a name nobody types as two words.
        return label.contains('-') && label.len() >= LONG_LABEL && !glued_sentence;
    }
    let tld_upper = written_tld.bytes().any(|b| b.is_ascii_uppercase());
    let core = CORE_TLDS.contains(&tld);
    if tld_upper && !core {
        let rest = &written_host[..written_host.len() - tld.len()];
        if is_capitalized(written_tld) || rest.bytes().any(|b| b.is_ascii_lowercase()) {
            return false;
        }
    }
    // Under .com/.net/.org/.edu/.gov and multi-label suffixes (co.uk, com.sg) a bare name is
    // credible; under other TLDs (many are words: .lol, .now, .like) it needs a label that
    // is not a plain word: a digit or hyphen, a subdomain, or length.
    if core || parts.suffix.contains('.') {
        return true;
    }
    label.bytes().any(|b| b.is_ascii_digit() || b == b'-')
        || (!glued_sentence
            && !CHATWORD_TLDS.contains(&tld)
            && (!parts.subdomain().is_empty() || label.len() >= LONG_LABEL))
}

/// Top-level domains that are everyday chat words ("later.lol", "see.you", "free.now"):
/// under these a bare name without a path needs a digit or a hyphen in its label
/// (`usps-redelivery.lol`), since a long word or a second full stop is common in chat typed
/// without spaces ("compensation.lol.", "up.erm.lol").
const CHATWORD_TLDS: [&str; 24] = [
    "lol", "now", "how", "like", "got", "you", "one", "today", "care", "love", "call", "talk",
    "meet", "next", "help", "open", "save", "buy", "free", "new", "play", "date", "best", "cheap",
];

/// A bare registrable label this long is taken for a name, not a word, under any TLD.
const LONG_LABEL: usize = 7;

/// Whether a browser reads this host as an IPv4 address written other than as four decimal
/// parts (`3260518391`, `0xc2.0x57.0x8c.0x06`), in a public-looking range (`12345` would
/// be 0.0.48.57).
fn is_numeric_ipv4(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 64
        && host
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b'x')
        && host.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && matches!(url::Host::parse(host), Ok(url::Host::Ipv4(a)) if a.octets()[0] != 0)
        && host.parse::<std::net::Ipv4Addr>().is_err()
}

/// "Open", "Thanks": an uppercase letter first and a lowercase one later.
fn is_capitalized(label: &str) -> bool {
    let mut bytes = label.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_uppercase()) && bytes.any(|b| b.is_ascii_lowercase())
}

/// Drops trailing punctuation that belongs to the sentence, and closing brackets that have no
/// opening one in the link. Linear: the brackets are counted once.
fn trim_trailing(s: &str) -> &str {
    let count = |b: u8| s.bytes().filter(|&c| c == b).count();
    let (open_paren, open_square) = (count(b'('), count(b'['));
    let (mut close_paren, mut close_square) = (count(b')'), count(b']'));
    let mut s = s;
    loop {
        let Some(last) = s.chars().last() else {
            return s;
        };
        let unbalanced = match last {
            ')' => open_paren < close_paren,
            ']' => open_square < close_square,
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' => true,
            _ => false,
        };
        if !unbalanced {
            return s;
        }
        match last {
            ')' => close_paren -= 1,
            ']' => close_square -= 1,
            _ => {}
        }
        s = &s[..s.len() - last.len_utf8()];
    }
}

/// Whether a digit of another script (Arabic-Indic `١`, Devanagari `१`, double-circled `⓵`)
/// starts a number at `i` (a character boundary): not right after a letter or digit.
fn starts_with_other_digit(text: &str, i: usize) -> bool {
    let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
        return false;
    };
    digit_value(c).is_some()
        && text[..i]
            .chars()
            .next_back()
            .is_none_or(|p| !p.is_alphanumeric())
}

/// Labels that name a digit run as something other than a phone number: a reference, order,
/// tracking, account, card or case number ("Your reference number is 4375226505",
/// "订单号 20231205889", "尾号 6225881234").
const REFERENCE_LABELS: [&str; 31] = [
    "reference",
    "ref",
    "order",
    "tracking",
    "track",
    "account",
    "a/c",
    "acct",
    "ac",
    "invoice",
    "transaction",
    "txn",
    "ticket",
    "case",
    "booking",
    "pnr",
    "consignment",
    "awb",
    "policy",
    "receipt",
    "confirmation",
    "shipment",
    "waybill",
    "member",
    "订单号",
    "单号",
    "编号",
    "尾号",
    "账号",
    "卡号",
    "編號",
];

/// Whether a plain digit run (no `+`, no separators) comes right after a label that names it
/// a reference, order, tracking or account number; a number written to be called carries no
/// such label, and one written as a call target keeps its separators or a call word.
fn labelled_as_reference(text: &str, raw: &RawNumber) -> bool {
    let written = &text[raw.span.start..raw.span.end];
    if raw.plus || !written.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let from = crate::fold::ceil_boundary(text, raw.span.start.saturating_sub(40));
    let mut before = text[from..raw.span.start].to_lowercase();
    // Strip the connecting words and marks: "reference number is", "order no.:", "ref #".
    loop {
        let trimmed =
            before.trim_end_matches([' ', ':', '#', '-', '.', '：', '＃', '(', '（', '=']);
        let stripped = ["is", "no", "number", "num", "nr", "id", "code", "为", "是"]
            .iter()
            .find_map(|w| {
                trimmed.strip_suffix(w).filter(|rest| {
                    w.len() > 2 || !rest.ends_with(|c: char| c.is_alphanumeric()) || !w.is_ascii()
                })
            });
        match stripped {
            Some(rest) if rest.len() < trimmed.len() => before = rest.to_string(),
            _ => {
                before = trimmed.to_string();
                break;
            }
        }
    }
    REFERENCE_LABELS.iter().any(|label| {
        before
            .strip_suffix(label)
            .is_some_and(|rest| !label.is_ascii() || !rest.ends_with(|c: char| c.is_alphanumeric()))
    })
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
            || (b.is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()))
            || (b >= 0x80 && starts_with_other_digit(text, i));
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
                if ((7..=16).contains(&n) || short) && !labelled_as_reference(text, &raw) {
                    out.push(raw);
                }
                i = next.max(i + 1);
            }
            _ => i += 1,
        }
        i = ceil_boundary(text, i);
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

    fn found(text: &str) -> Vec<String> {
        let d = domains();
        let x = Extractor::new().unwrap();
        let emails = x.emails(text, &d);
        x.links(text, &d, &emails)
            .iter()
            .map(|l| {
                assert!(text.is_char_boundary(l.start) && text.is_char_boundary(l.end));
                text[l.start..l.end].to_string()
            })
            .collect()
    }

    #[test]
    fn bare_domains_in_hard_positions() {
        // Glued after punctuation, trailing slashes, uppercase, sentence end.
        assert_eq!(
            found("Not you? click cesbc-x.us/ to cancel"),
            ["cesbc-x.us/"]
        );
        assert_eq!(found("click shopnow.us/"), ["shopnow.us/"]);
        assert_eq!(
            found("REF:www.parcel-hold.us//ab12#"),
            ["www.parcel-hold.us//ab12#"]
        );
        assert_eq!(found("Visit:paypal-verify.com now"), ["paypal-verify.com"]);
        assert_eq!(found("(paypal.com)"), ["paypal.com"]);
        assert_eq!(found("GO TO PAYPAL-VERIFY.COM NOW"), ["PAYPAL-VERIFY.COM"]);
        assert_eq!(
            found("Please go to usps-redelivery.top."),
            ["usps-redelivery.top"]
        );
        assert_eq!(found("Update at parcelportal.site."), ["parcelportal.site"]);
        assert_eq!(found("Log in at paypal.com.Thanks"), ["paypal.com"]);
        assert_eq!(
            found("Clickwww.parcel-hold.us today"),
            ["www.parcel-hold.us"]
        );
        assert_eq!(
            found("Go to https://Amazon.Shop now"),
            ["https://Amazon.Shop"]
        );
        assert_eq!(found("Go to www.paypal.com.Thanks"), ["www.paypal.com"]);
        // A long hyphenated name under a TLD that is also a chat word.
        assert_eq!(
            found("update your KYC: sbi-kyc-update.in"),
            ["sbi-kyc-update.in"]
        );
        assert!(found("back home.in the evening").is_empty());
        assert!(found("send the e-mail.so we know").is_empty());
    }

    #[test]
    fn one_letter_names_with_a_path() {
        assert_eq!(found("follow t.ly/Ab12 now"), ["t.ly/Ab12"]);
        assert_eq!(found("msg me t.me/someone"), ["t.me/someone"]);
        assert!(found("BE/B.Tech/MCA pass outs").is_empty());
        assert!(found("a t.co/ b").is_empty());
    }

    #[test]
    fn numeric_addresses_with_a_scheme() {
        assert_eq!(
            found("WIN https:http://3260518391/co.php now"),
            ["http://3260518391/co.php"]
        );
        assert_eq!(found("http://x@3117711444/a"), ["http://x@3117711444/a"]);
        assert!(found("order 3260518391 shipped").is_empty());
        assert!(found("http://12345/a").is_empty());
    }

    #[test]
    fn a_rejected_word_does_not_hide_the_scheme() {
        assert_eq!(
            found("to join.https://chat.example.com/abc"),
            ["https://chat.example.com/abc"]
        );
    }

    #[test]
    fn chat_words_are_not_domains() {
        for text in [
            "haha lol.ok see u",
            "stuck with the project.lol.",
            "woke up.erm.lol.",
            "see you soon.lol",
            "update it timely.Open link",
            "you know.You see",
            "I wont come.thanks alot.tc.God bless",
            "4ta.UPS",
            "NTFLIX.ID#",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
        // Names that are not plain words stay links.
        assert_eq!(found("go to track-2.lol"), ["track-2.lol"]);
        assert_eq!(
            found("see usps.tracking-id.online"),
            ["usps.tracking-id.online"]
        );
        assert_eq!(
            found("see parcel.portalhub.online"),
            ["parcel.portalhub.online"]
        );
        assert_eq!(found("see gothere.sg"), ["gothere.sg"]);
        assert_eq!(found("paypal.com"), ["paypal.com"]);
        assert_eq!(found("Amazon.com"), ["Amazon.com"]);
        assert_eq!(found("bank.co.uk"), ["bank.co.uk"]);
    }

    #[test]
    fn trailing_brackets_are_trimmed_in_linear_time() {
        let text = format!("https://x.com/a{}", ")".repeat(50_000));
        assert_eq!(found(&text), ["https://x.com/a"]);
        assert_eq!(found("(see https://x.com/a_(b))"), ["https://x.com/a_(b)"]);
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
    fn a_masked_address_is_no_link() {
        let d = domains();
        let x = Extractor::new().unwrap();
        let text = "Security code for the Microsoft account ma***@outlook.com is 492817";
        let emails = x.emails(text, &d);
        assert!(x.links(text, &d, &emails).is_empty());
        let text = "Re_new your bills //@risu.io/fTVXM";
        let emails = x.emails(text, &d);
        assert_eq!(x.links(text, &d, &emails).len(), 1);
    }

    #[test]
    fn reference_numbers_are_not_phones() {
        for text in [
            "Your reference number is 4375226505.",
            "Order #4155550123 has shipped",
            "Ref no: 8005550199",
            "tracking number 9405511899",
            "a/c no. 6502530000 credited",
            "您的订单号20231205889已发货",
            "account ID: 4155550123",
        ] {
            assert!(phones(text).is_empty(), "{text}");
        }
        for text in [
            "Call 4155550123 now",
            "Reference: call +1 415 555 0123",
            "order now at 1-415-555-0123",
            "Preference 4155550123",
            "hotline 4155550123",
        ] {
            assert_eq!(phones(text).len(), 1, "{text}");
        }
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
        let words = x.handles(
            "Your WhatsApp will expire today; join our Telegram channel. Call this WhatsApp number.",
        );
        assert!(words.is_empty(), "{words:?}");
        let named = x.handles("Telegram: cryptoking, WhatsApp ID johnsmith, wechat lily2020");
        let v: Vec<_> = named.iter().map(|h| h.value.as_str()).collect();
        assert_eq!(v, ["cryptoking", "johnsmith", "lily2020"]);
        let at = x.handles("Contact us on Telegram @fundsback today");
        let v: Vec<_> = at.iter().map(|h| h.value.as_str()).collect();
        assert_eq!(v, ["@fundsback"]);
    }
}
