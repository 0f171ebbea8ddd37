//! Email checks: an address, optionally with a display name (`"PayPal Service"
//! <x@y.com>`). The domain gets the URL host checks (official domain, lookalikes, suspicious
//! TLD…); the display name and local part are read for brand claims, which a free-mail
//! address or a domain that is not the brand's contradicts.

use crate::allowlist::Brand;
use crate::combine;
use crate::context::Resolved;
use crate::fold::fold_key;
use crate::fold::{cap, is_invisible};
use crate::knowledge::hosts::{is_digits, HostIndex, BRAND_KEYWORDS};
use crate::knowledge::Knowledge;
use crate::rules;
use crate::url::host::{self, Channel, HostInput};

use crate::verdict::{Entity, EntityKind, Finding, Span, Verdict};

/// At most this many bytes of an address (with display name) are looked at.
const MAX_EMAIL_BYTES: usize = 2 * 1024;

/// Words that, next to a brand's name, make a display name or local part speak for the brand
/// (`Apple Support`, `paypal.service`, `支付宝客服`).
const CUE_WORDS: &[&str] = &[
    "admin",
    "alert",
    "alerts",
    "billing",
    "center",
    "centre",
    "customer",
    "help",
    "helpdesk",
    "id",
    "notice",
    "notification",
    "notifications",
    "official",
    "pay",
    "security",
    "service",
    "services",
    "support",
    "team",
    "verify",
    "wallet",
    "客服",
    "官方",
    "服务",
    "安全",
];

/// What the email checks concluded: the same shape as a URL's (`official` is the brand whose
/// official email or web domain the address is at; `impersonated` the brands it claims or
/// imitates).
pub(crate) use crate::url::Assessment;

/// An address split into its parts, with byte ranges into the checked text.
#[derive(Debug)]
struct Parsed<'t> {
    display: Option<(&'t str, usize)>,
    local: &'t str,
    domain: &'t str,
    address_range: (usize, usize),
    domain_start: usize,
}

/// Splits `Name <local@domain>`, `local@domain` and `mailto:local@domain`.
fn parse(text: &str) -> Option<Parsed<'_>> {
    let (display, addr_start, addr_end) = match (text.rfind('<'), text.rfind('>')) {
        (Some(open), Some(close)) if close > open => {
            let name = text[..open].trim();
            let name = name
                .trim_matches(|c| c == '"' || c == '\'' || c == '“' || c == '”')
                .trim();
            let name_start = text.find(name).unwrap_or(0);
            let display = (!name.is_empty()).then_some((name, name_start));
            (display, open + 1, close)
        }
        _ => {
            // The word that holds the @.
            let at = text.rfind('@')?;
            let start = text[..at]
                .rfind(|c: char| c.is_whitespace() || c == '<' || c == '"')
                .map_or(0, |i| {
                    i + text[i..].chars().next().map_or(1, char::len_utf8)
                });
            let end = text[at..]
                .find(|c: char| c.is_whitespace() || c == '>' || c == '"')
                .map_or(text.len(), |i| at + i);
            let name = text[..start].trim().trim_matches('"').trim();
            let display = (!name.is_empty()).then(|| (name, text.find(name).unwrap_or(0)));
            (display, start, end)
        }
    };
    let mut addr = &text[addr_start..addr_end];
    let mut addr_start = addr_start;
    let lead = addr.len() - addr.trim_start().len();
    addr = addr.trim();
    addr_start += lead;
    if addr
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"))
    {
        addr = &addr[7..];
        addr_start += 7;
    }
    let at = addr.rfind('@')?;
    let (local, domain) = (&addr[..at], &addr[at + 1..]);
    if local.is_empty() || domain.is_empty() || local.chars().any(char::is_whitespace) {
        return None;
    }
    Some(Parsed {
        display,
        local,
        domain,
        address_range: (addr_start, addr_start + addr.len()),
        domain_start: addr_start + at + 1,
    })
}

/// Where a brand claim was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClaimSource {
    DisplayName,
    LocalPart,
    Context,
}

/// Lowercase alphanumeric words of a text, with trailing digits removed
/// (`paypal.support.team2` → `paypal`, `support`, `team`).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(32)
        .map(|w| {
            let w = w.to_lowercase();
            let trimmed = w.trim_end_matches(|c: char| c.is_ascii_digit());
            if trimmed.is_empty() {
                w
            } else {
                trimmed.to_string()
            }
        })
        .collect()
}

/// Whether an ASCII alias is among the words: as one word, as 2–3 consecutive words
/// (`trust wallet`), or (5+ letters, not ambiguous) glued to a cue word or digits
/// (`paypalservice`, `supportcoinbase`, `paypal2024`).
fn ascii_alias_in(ws: &[String], alias: &crate::knowledge::hosts::AliasName) -> bool {
    let a = alias.folded.as_str();
    for (i, w) in ws.iter().enumerate() {
        if w == a {
            return true;
        }
        // Consecutive words that spell the alias.
        if a.starts_with(w.as_str()) {
            let mut joined = w.clone();
            for next in ws.iter().skip(i + 1).take(2) {
                joined.push_str(next);
                if joined == a {
                    return true;
                }
                if !a.starts_with(joined.as_str()) {
                    break;
                }
            }
        }
        if a.len() >= 5 && !alias.ambiguous {
            let rest = w.strip_prefix(a).or_else(|| w.strip_suffix(a));
            if let Some(rest) = rest {
                if CUE_WORDS.contains(&rest) || BRAND_KEYWORDS.contains(&rest) || is_digits(rest) {
                    return true;
                }
            }
        }
    }
    false
}

/// The brands a display name or local part claims to be. `case_sensitive` is set for display
/// names: ambiguous aliases (`Apple`, `Wise`) only count written as in the data file, and
/// only next to a cue word (`Apple Support`) or alone.
fn claims(index: &HostIndex, text: &str, case_sensitive: bool) -> Vec<usize> {
    let clean: String = text.chars().filter(|c| !is_invisible(*c)).collect();
    let folded = fold_key(&clean);
    let ws = words(&clean);
    let has_cue = ws
        .iter()
        .any(|w| CUE_WORDS.contains(&w.as_str()) || BRAND_KEYWORDS.contains(&w.as_str()))
        || CUE_WORDS
            .iter()
            .any(|c| !c.is_ascii() && folded.contains(c));
    let mut out: Vec<usize> = Vec::new();
    for alias in index.aliases() {
        if out.contains(&alias.brand) {
            continue;
        }
        let hit = if !alias.folded.is_ascii() {
            folded.contains(&alias.folded)
        } else {
            ascii_alias_in(&ws, alias)
        };
        if !hit {
            continue;
        }
        if alias.ambiguous {
            let written = !case_sensitive || clean.contains(alias.written.as_str());
            let alone = ws.len() == 1 || folded == alias.folded;
            if !(written && (has_cue || (alone && case_sensitive))) {
                continue;
            }
        }
        out.push(alias.brand);
    }
    out
}

/// Checks one address. `text` is the address with an optional display name; `offset` is where
/// `text` starts in the caller's larger text; `claimed` the brand it is said to be from.
pub(crate) fn assess<'a>(
    k: &'a Knowledge,
    text: &str,
    offset: usize,
    claimed: Option<&'a Brand>,
) -> Assessment<'a> {
    let mut out = Assessment::default();
    let text = cap(text, MAX_EMAIL_BYTES);
    invisible_characters(text, offset, &mut out.findings);
    let Some(a) = Address::read(text, offset, &mut out.findings) else {
        return out;
    };
    out.entity = Some(Entity {
        kind: EntityKind::Email,
        normalized: a.normalized.clone(),
        region: None,
        span: a.addr_span,
    });
    let d = a.domain(k, &mut out);
    let claims_found = brand_claims(k, &a.parsed, claimed);
    let free_claimed = a.claim_findings(k, &d, &claims_found, &mut out);
    a.free_mail_claims(&d, &free_claimed, &mut out.findings);
    a.display_address(&mut out.findings);
    combine::link_signs(
        &mut out.findings,
        rules::EMAIL_SEVERAL_RED_FLAGS,
        a.addr_span,
    );
    out
}

/// Reports the invisible characters in `text` (which starts at `offset`), if any.
fn invisible_characters(text: &str, offset: usize, findings: &mut Vec<Finding>) {
    let invisible: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| is_invisible(*c))
        .collect();
    if let Some(&(i, c)) = invisible.first() {
        findings.push(rules::URL_INVISIBLE.finding(
            format!(
                "The address contains {} invisible character(s) (first U+{:04X}) that hide or \
                 reorder what is shown.",
                invisible.len(),
                c as u32
            ),
            format!("U+{:04X}", c as u32),
            Span::new(offset + i, offset + i + c.len_utf8()),
        ));
    }
}

/// The brands the display name, then the local part, then the context claim, each once.
fn brand_claims(
    k: &Knowledge,
    p: &Parsed<'_>,
    claimed: Option<&Brand>,
) -> Vec<(usize, ClaimSource)> {
    let index = &k.hosts;
    let mut claims_found: Vec<(usize, ClaimSource)> = Vec::new();
    if let Some((name, _)) = p.display {
        for b in claims(index, name, true) {
            claims_found.push((b, ClaimSource::DisplayName));
        }
    }
    for b in claims(index, p.local, false) {
        if !claims_found.iter().any(|(x, _)| *x == b) {
            claims_found.push((b, ClaimSource::LocalPart));
        }
    }
    if let Some(c) = claimed {
        if let Some(i) = k.allowlist.brands().iter().position(|b| b.id == c.id) {
            if !claims_found.iter().any(|(x, _)| *x == i) {
                claims_found.push((i, ClaimSource::Context));
            }
        }
    }
    claims_found
}

/// One address as read, with the spans its findings point at.
struct Address<'t> {
    parsed: Parsed<'t>,
    /// `local@domain`, lowercase, the domain in ASCII.
    normalized: String,
    /// The domain in ASCII (IDNA), without a trailing dot.
    ascii: String,
    /// The display name, or the whole input when there is none.
    display_span: Span,
    local_span: Span,
    addr_span: Span,
    domain_span: Span,
}

/// What the host checks said about an address's domain.
struct Domain<'a> {
    /// The registrable domain (the whole domain when it has none).
    registrable: String,
    /// Whether it is a free-mail domain.
    free: bool,
    /// The brand whose official email or web domain it is.
    official: Option<&'a Brand>,
}

impl<'t> Address<'t> {
    /// Parses `text` (which starts at `offset`); `None` (reported) when it holds no address
    /// at a domain.
    fn read(text: &'t str, offset: usize, findings: &mut Vec<Finding>) -> Option<Address<'t>> {
        let whole = Span::new(offset, offset + text.len());
        let Some(p) = parse(text) else {
            findings.push(rules::EMAIL_NOT_AN_ADDRESS.finding(
                "No email address was found in the input.".into(),
                "",
                whole,
            ));
            return None;
        };
        let domain_clean: String = p.domain.chars().filter(|c| !is_invisible(*c)).collect();
        let ascii = match ::url::Host::parse(&domain_clean) {
            Ok(::url::Host::Domain(d)) if d.contains('.') => d,
            _ => {
                findings.push(rules::EMAIL_NOT_AN_ADDRESS.finding(
                    format!("{:?} is not a domain an email address can be at.", p.domain),
                    p.domain,
                    whole,
                ));
                return None;
            }
        };
        let ascii = ascii.trim_end_matches('.').to_string();
        let local_clean: String = p.local.chars().filter(|c| !is_invisible(*c)).collect();
        let normalized = format!("{}@{ascii}", local_clean.to_lowercase());
        let addr_span = Span::new(offset + p.address_range.0, offset + p.address_range.1);
        let domain_span = Span::new(offset + p.domain_start, offset + p.address_range.1);
        let display_span = p
            .display
            .map_or(whole, |(n, s)| Span::new(offset + s, offset + s + n.len()));
        let local_span = Span::new(
            addr_span.start,
            domain_span.start.saturating_sub(1).max(addr_span.start),
        );
        Some(Address {
            parsed: p,
            normalized,
            ascii,
            display_span,
            local_span,
            addr_span,
            domain_span,
        })
    }

    /// The domain through the host checks, then whether it is a brand's official domain
    /// and whether it is free mail.
    fn domain<'a>(&self, k: &'a Knowledge, out: &mut Assessment<'a>) -> Domain<'a> {
        let h = HostInput {
            ascii: &self.ascii,
            raw: self.parsed.domain,
            span: self.domain_span,
            path: "",
        };
        let ha = host::assess(k, &h, Channel::Email);
        out.findings.extend(ha.findings);
        out.impersonated = ha.impersonated;
        let d = Domain {
            registrable: ha.registrable.unwrap_or_else(|| self.ascii.clone()),
            free: ha.free_mail,
            official: ha.official,
        };
        out.official = d.official;
        let registrable = &d.registrable;
        if let Some(b) = d.official {
            let address = &self.normalized;
            let listed = b
                .email_addresses
                .iter()
                .any(|a| a.eq_ignore_ascii_case(address));
            let what = if listed {
                format!("{address} is one of {}'s official addresses", b.name)
            } else if b.email_domains.contains(registrable) {
                format!("{registrable} is an official email domain of {}", b.name)
            } else {
                format!("{registrable} is {}'s official web domain", b.name)
            };
            out.findings.push(rules::EMAIL_OFFICIAL.finding(
                format!("{what}. Sender addresses can be forged: trust it only if your mail app shows the message passed its authentication checks."),
                registrable.clone(),
                self.domain_span,
            ));
        }
        if d.free {
            out.findings.push(rules::EMAIL_FREE_MAIL.finding(
                format!(
                    "{registrable} is a free-mail provider: anybody can create an address there."
                ),
                registrable.clone(),
                self.domain_span,
            ));
        }
        d
    }

    /// The claimed brands the domain is not official for: each is impersonated, and gets a
    /// finding unless the address is free mail. Returns the brands claimed from free mail.
    fn claim_findings<'a>(
        &self,
        k: &'a Knowledge,
        d: &Domain<'a>,
        claims_found: &[(usize, ClaimSource)],
        out: &mut Assessment<'a>,
    ) -> Vec<&'a Brand> {
        let brands = k.allowlist.brands();
        let mut free_claimed: Vec<&Brand> = Vec::new();
        for (bi, source) in claims_found {
            let brand = &brands[*bi];
            if d.official.is_some_and(|o| o.id == brand.id) {
                continue;
            }
            if !out.impersonated.iter().any(|b| b.id == brand.id) {
                out.impersonated.push(brand);
            }
            if d.free {
                free_claimed.push(brand);
                continue;
            }
            out.findings.push(self.claim_finding(brand, *source, d));
        }
        free_claimed
    }

    /// The finding for a brand claimed (in the display name, the local part or by the
    /// context) from a domain that is not free mail and not the brand's.
    fn claim_finding(&self, brand: &Brand, source: ClaimSource, d: &Domain<'_>) -> Finding {
        let (registrable, address) = (&d.registrable, &self.normalized);
        if brand.web_domains.is_empty() && brand.email_domains.is_empty() {
            // Nothing to compare with: the address may well be the brand's.
            return rules::URL_BRAND_DOMAINS_UNKNOWN.finding(
                format!(
                    "We have no verified domain for {}, so {registrable} could not be compared: \
                     contact {} through its app or a number you already trust.",
                    brand.name, brand.name
                ),
                registrable.clone(),
                self.domain_span,
            );
        }
        let real = host::real_email_domains(brand);
        let (name, other) = (
            &brand.name,
            d.official
                .map(|o| format!(" ({}'s)", o.name))
                .unwrap_or_default(),
        );
        let display = self.parsed.display.map_or("", |d| d.0);
        match source {
            ClaimSource::DisplayName => rules::EMAIL_DISPLAY_NAME_BRAND.finding(
                format!(
                    "The sender calls itself {display:?}, but {registrable}{other} is not one of \
                     {name}'s domains ({real})."
                ),
                display,
                self.display_span,
            ),
            ClaimSource::Context => rules::EMAIL_NOT_OFFICIAL_FOR_BRAND.finding(
                format!("{address} is not at any of {name}'s domains ({real})."),
                address.clone(),
                self.addr_span,
            ),
            ClaimSource::LocalPart => rules::EMAIL_BRAND_IN_LOCAL_PART.finding(
                format!(
                    "The address uses {name}'s name before the @, but {registrable} is not one of \
                     {name}'s domains ({real})."
                ),
                self.parsed.local,
                self.local_span,
            ),
        }
    }

    /// One finding for all the brands claimed from a free-mail address.
    fn free_mail_claims(
        &self,
        d: &Domain<'_>,
        free_claimed: &[&Brand],
        findings: &mut Vec<Finding>,
    ) {
        if free_claimed.is_empty() {
            return;
        }
        let names: Vec<&str> = free_claimed.iter().map(|b| b.name.as_str()).collect();
        let reals: Vec<String> = free_claimed
            .iter()
            .filter(|b| !(b.web_domains.is_empty() && b.email_domains.is_empty()))
            .map(|b| format!("{}: {}", b.name, host::real_email_domains(b)))
            .collect();
        let real = if reals.is_empty() {
            String::new()
        } else {
            format!(" Real domains — {}.", reals.join("; "))
        };
        findings.push(rules::EMAIL_FREE_MAIL_BRAND.finding(
            format!(
                "{} claims to be {} but is a free {} address that anybody can create: companies \
                 write from their own domains.{real}",
                self.normalized,
                names.join(" / "),
                d.registrable,
            ),
            self.normalized.clone(),
            self.addr_span,
        ));
    }

    /// A display name that shows another address.
    fn display_address(&self, findings: &mut Vec<Finding>) {
        let Some((name, _)) = self.parsed.display else {
            return;
        };
        let address = &self.normalized;
        if let Some(shown) = name
            .split(|c: char| {
                c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')' | '<' | '>' | ',')
            })
            .find(|w| w.contains('@') && w.contains('.'))
        {
            if !shown.eq_ignore_ascii_case(address) {
                findings.push(rules::EMAIL_DISPLAY_NAME_ADDRESS.finding(
                    format!("The name shows the address {shown:?}, but the mail really comes from {address}."),
                    shown,
                    self.display_span,
                ));
            }
        }
    }
}

/// Checks one email address, optionally with a display name (see `Detector::check_email`).
pub(crate) fn check(k: &Knowledge, resolved: Resolved<'_>, address: &str) -> Verdict {
    let a = assess(k, address, 0, resolved.claimed);
    resolved.verdict(a.findings, a.entity, a.official, &a.impersonated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing() {
        let p = parse("\"PayPal Service\" <x@y.com>").unwrap();
        assert_eq!(p.display.map(|d| d.0), Some("PayPal Service"));
        assert_eq!((p.local, p.domain), ("x", "y.com"));
        let p = parse("mailto:Support@Example.com").unwrap();
        assert_eq!((p.local, p.domain), ("Support", "Example.com"));
        assert!(p.display.is_none());
        let p = parse("Microsoft account team <no-reply@access-accsecurity.com>").unwrap();
        assert_eq!(p.display.map(|d| d.0), Some("Microsoft account team"));
        assert!(parse("no address here").is_none());
        assert!(parse("@example.com").is_none());
    }

    #[test]
    fn spans_point_into_a_larger_text() {
        let k = Knowledge::embedded();
        let text = "From: \"PayPal Service\" <paypal.support.team@gmail.com> (sent)";
        let addr = "\"PayPal Service\" <paypal.support.team@gmail.com>";
        let at = text.find(addr).unwrap();
        let a = assess(&k, addr, at, None);
        assert_eq!(
            a.entity.unwrap().span.slice(text),
            "paypal.support.team@gmail.com"
        );
        let f = a
            .findings
            .iter()
            .find(|f| f.rule == rules::EMAIL_FREE_MAIL.id)
            .unwrap();
        assert_eq!(f.span.slice(text), "gmail.com");
    }

    #[test]
    fn word_split() {
        assert_eq!(words("paypal.support.team2"), ["paypal", "support", "team"]);
    }
}
