//! Checks on one host name, shared by the URL checks and the email checks (the domain of an
//! address): official match, user-content platforms, lookalikes of official domains,
//! internationalized and mixed-script names, and weak signals in the name itself.

use unicode_security::MixedScript;

use crate::allowlist::Brand;
use crate::domain::{HostMatch, HostParts};
use crate::fold::{is_latin_letter, lookalike_fold};
use crate::knowledge::hosts::{
    self, is_brand_keyword, Edit, HostIndex, Source, Strength, MIN_FUZZY_LEN,
};
use crate::knowledge::lists::DeceptiveWords;
use crate::knowledge::Knowledge;
use crate::rules;
use crate::verdict::{Finding, Span};

/// What the host is used for: a web address, or the domain of an email address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Channel {
    Web,
    Email,
}

/// A host as parsed and as written.
#[derive(Debug, Clone)]
pub(crate) struct HostInput<'a> {
    /// Lowercase ASCII host after IDNA (punycode labels for international names).
    pub ascii: &'a str,
    /// The host as written in the input (case and Unicode preserved).
    pub raw: &'a str,
    /// Where `raw` is, offset into the caller's text.
    pub span: Span,
    /// The URL path and query (`""` for email).
    pub path: &'a str,
}

/// What the host checks concluded.
#[derive(Debug, Default)]
pub(crate) struct HostAssessment<'a> {
    pub findings: Vec<Finding>,
    /// The brand whose official domain this is (never set on user-content hosts).
    pub official: Option<&'a Brand>,
    /// The brand whose official domain hosts this user-content page (docs.qq.com).
    pub platform_owner: Option<&'a Brand>,
    /// Brands the host imitates or names.
    pub impersonated: Vec<&'a Brand>,
    /// The registrable domain, when the host has one.
    pub registrable: Option<String>,
    /// Whether the registrable domain is a free-mail domain.
    pub free_mail: bool,
}

/// Characters that mean "dot" in a host as typed (IDNA maps them to `.`).
fn is_dot(c: char) -> bool {
    matches!(c, '.' | '。' | '．' | '｡')
}

/// One label of the host, in three forms.
#[derive(Debug, Clone)]
struct HostLabel {
    /// Lowercase ASCII (punycode) form.
    ascii: String,
    /// Lowercase Unicode form.
    uni: String,
    /// As written (case kept), or the Unicode form when the written host does not line up.
    shown: String,
}

/// One hyphen-separated piece of a label.
#[derive(Debug, Clone)]
struct Token {
    /// Lowercase Unicode text.
    text: String,
    /// As written.
    shown: String,
    /// Index of the label it belongs to.
    label: usize,
}

/// Top-level domain labels that, inside a host name, make it read like another site's
/// address (`irs.gov.direct-pay.com`, `usps.com-track.shop`).
const EMBEDDABLE_TLDS: &[&str] = &["com", "net", "org", "gov", "edu", "mil"];

/// Country-code TLDs that are marketed and used as generic ones: a brand's name under them is
/// no country site.
const GENERIC_CCTLDS: &[&str] = &[
    "ai", "cc", "co", "fm", "gg", "im", "io", "la", "ly", "me", "nu", "pw", "sh", "so", "tk", "to",
    "tv", "vc", "ws",
];

/// Whether a suffix is a country's (two-letter last label, not marketed as generic).
fn is_country_suffix(suffix: &str) -> bool {
    let tld = suffix.rsplit('.').next().unwrap_or(suffix);
    tld.len() == 2
        && tld.bytes().all(|b| b.is_ascii_lowercase())
        && !(suffix == tld && GENERIC_CCTLDS.contains(&tld))
}

/// Splits the host into labels, lining up the written form when possible.
fn host_labels(h: &HostInput<'_>) -> Vec<HostLabel> {
    let ascii: Vec<&str> = h.ascii.split('.').collect();
    let uni_host = if h.ascii.contains("xn--") {
        let (u, result) = idna::domain_to_unicode(h.ascii);
        if result.is_ok() {
            u
        } else {
            h.ascii.to_string()
        }
    } else {
        h.ascii.to_string()
    };
    let uni: Vec<&str> = uni_host.split('.').collect();
    let raw: Vec<&str> = h.raw.split(is_dot).collect();
    ascii
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let u = if uni.len() == ascii.len() { uni[i] } else { a };
            let shown = if raw.len() == ascii.len() { raw[i] } else { u };
            HostLabel {
                ascii: (*a).to_string(),
                uni: u.to_string(),
                shown: shown.to_string(),
            }
        })
        .collect()
}

/// Splits labels `range` into hyphen-separated tokens.
fn tokens_of(labels: &[HostLabel], range: std::ops::Range<usize>) -> Vec<Token> {
    let mut out = Vec::new();
    for i in range {
        let l = &labels[i];
        let uni: Vec<&str> = l.uni.split(['-', '_']).collect();
        let shown: Vec<&str> = l.shown.split(['-', '_', '－']).collect();
        for (j, t) in uni.iter().enumerate() {
            if t.is_empty() {
                continue;
            }
            let s = if shown.len() == uni.len() {
                shown[j]
            } else {
                t
            };
            out.push(Token {
                text: (*t).to_string(),
                shown: s.to_string(),
                label: i,
            });
        }
        if out.len() > 64 {
            break;
        }
    }
    out
}

/// How a brand is imitated, most severe first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Imitation {
    /// An official domain appears inside the host.
    Embedded(String),
    /// Looks the same once look-alike characters are folded.
    Confusable(String),
    /// One overlooked edit away: (seen, brand label, how).
    Typo(String, String, String),
    /// Named on a page anybody can publish.
    OnUserContent(String),
    /// The brand's name plus a login/support/wallet word.
    Combo(String, String),
    /// The brand's own label on a TLD it does not use.
    TldSwap,
    /// The brand's name joined to random letters or a number: (label, name, the part).
    JunkCombo(String, String, String),
    /// The brand's name in a host that is not its own (weak).
    NameInHost(String),
}

/// The names of a brand's real web domains (its email domains when it has none), for
/// messages.
pub(crate) fn real_domains(brand: &Brand) -> String {
    domain_list(&brand.web_domains, &brand.email_domains)
}

/// The names of a brand's real email domains (its web domains when it has none).
pub(crate) fn real_email_domains(brand: &Brand) -> String {
    domain_list(&brand.email_domains, &brand.web_domains)
}

fn domain_list(first: &[String], fallback: &[String]) -> String {
    let list = if first.is_empty() { fallback } else { first };
    if list.is_empty() {
        "not in our data".to_string()
    } else {
        list.join(", ")
    }
}

/// Checks one host.
pub(crate) fn assess<'a>(
    k: &'a Knowledge,
    h: &HostInput<'_>,
    channel: Channel,
) -> HostAssessment<'a> {
    let mut out = HostAssessment::default();
    let labels = host_labels(h);
    script_findings(&labels, h, &mut out.findings);
    let Some(parts) = k.domains.split(h.ascii) else {
        out.findings.push(unknown_suffix(h));
        return out;
    };
    out.registrable = Some(parts.registrable.to_string());
    out.free_mail = k.domains.is_free_mail(parts.registrable);
    // A brand's own host under a shared domain (`pay.weixin.qq.com` under qq.com) first.
    let host_owner = (channel == Channel::Web)
        .then(|| k.allowlist.web_host_owner(parts.host, parts.registrable))
        .flatten();
    let owner = host_owner
        .map(|(b, _)| b)
        .or_else(|| domain_owner(k, parts.registrable, channel, out.free_mail));
    let (user_content, shortener) = match channel {
        Channel::Web => (
            k.domains.user_content(h.ascii, h.path).or_else(|| {
                // A path of anybody's on a brand's own host (facebook.com/<page>).
                k.allowlist
                    .unlisted_path(parts.host, parts.registrable, h.path)
                    .filter(|&unlisted| unlisted)
                    .map(|_| HostMatch {
                        entry: format!("{}/…", parts.registrable),
                        owner: String::new(),
                        path_prefix_len: 0,
                    })
            }),
            k.domains.shortener(h.ascii),
        ),
        Channel::Email => (None, None),
    };
    let c = HostCheck {
        k,
        h,
        channel,
        labels,
        parts,
        user_content,
        shortener,
    };
    // A platform on a domain a brand has its own host under (mp.weixin.qq.com beside
    // pay.weixin.qq.com) is that brand's family: its pages are by whoever owns them, but
    // calling them another brand's would be wrong too.
    let platform_owner = owner.or_else(|| k.allowlist.shared_domain_owner(parts.registrable));
    c.platform_findings(platform_owner, &mut out);
    if c.user_content.is_none() {
        if let Some(brand) = owner {
            let official = host_owner.map_or(parts.registrable, |(_, entry)| entry);
            c.official(brand, official, &mut out);
            return out;
        }
    }
    // A listed free-mail provider's own domain imitates nobody (gmail.com holds Google's
    // "Gmail" name because it is Google's); its addresses are anybody's, which free_mail says.
    let imitations = if out.free_mail {
        Vec::new()
    } else {
        c.imitations()
    };
    for (bi, imitation) in &imitations {
        let brand = &k.allowlist.brands()[*bi];
        out.findings
            .push(imitation_finding(brand, imitation, &c.parts, h, h.span));
        out.impersonated.push(brand);
    }
    // Signals in the name itself. A known platform's own TLD says nothing more about it.
    if c.platform().is_none() {
        c.suspicious_tld(&mut out.findings);
        c.random_name(&mut out.findings);
        c.deceptive_name(&mut out.findings);
        c.embedded_domain(&imitations, &mut out.findings);
    } else if c.on_user_content() {
        c.page_name(&mut out.findings);
    }
    if channel == Channel::Web {
        c.many_subdomains(&mut out.findings);
    }
    out
}

/// The finding for a host that does not end in a known public suffix.
fn unknown_suffix(h: &HostInput<'_>) -> Finding {
    rules::URL_UNKNOWN_SUFFIX.finding(
        format!(
            "{} does not end in a known top-level domain, so it is not a normal internet \
             address.",
            h.ascii
        ),
        h.ascii,
        h.span,
    )
}

/// The brand whose official domain `registrable` is: by web domain first for links, by
/// email domain first (a free-mail domain never by web domain) for addresses.
fn domain_owner<'a>(
    k: &'a Knowledge,
    registrable: &str,
    channel: Channel,
    free_mail: bool,
) -> Option<&'a Brand> {
    let allowlist = &k.allowlist;
    match channel {
        Channel::Web => allowlist
            .web_domain_owner(registrable)
            .or_else(|| allowlist.email_domain_owner(registrable)),
        Channel::Email => allowlist.email_domain_owner(registrable).or_else(|| {
            allowlist
                .web_domain_owner(registrable)
                .filter(|_| !free_mail)
        }),
    }
}

/// One host under check, with what the steps of [`assess`] share.
struct HostCheck<'k, 'i> {
    k: &'k Knowledge,
    h: &'i HostInput<'i>,
    channel: Channel,
    labels: Vec<HostLabel>,
    parts: HostParts<'i>,
    /// The user-content platform the page is on (links only).
    user_content: Option<HostMatch>,
    /// The link shortener the host belongs to (links only).
    shortener: Option<HostMatch>,
}

impl HostCheck<'_, '_> {
    /// The user-content platform or shortener the host belongs to, if any.
    fn platform(&self) -> Option<&HostMatch> {
        self.user_content.as_ref().or(self.shortener.as_ref())
    }

    /// Whether the host is a page with its own owner's name on a user-content platform.
    fn on_user_content(&self) -> bool {
        self.user_content
            .as_ref()
            .is_some_and(|m| !m.owner.is_empty())
    }

    /// The index of the first label of the public suffix.
    fn first_suffix(&self) -> usize {
        let suffix_labels = self.parts.suffix.split('.').count();
        self.labels.len().saturating_sub(suffix_labels)
    }

    /// A page anybody can publish on a user-content platform (whose owner brand is
    /// `owner`), and a link shortener.
    fn platform_findings<'a>(&self, owner: Option<&'a Brand>, out: &mut HostAssessment<'a>) {
        let span = self.h.span;
        if let Some(m) = &self.user_content {
            out.platform_owner = owner;
            let whose = owner.map_or(String::new(), |b| format!(" (on {}'s domain)", b.name));
            out.findings.push(rules::URL_USER_CONTENT.finding(
                format!(
                    "{} is a platform where anybody can publish pages{whose}: this page was made \
                     by whoever owns it, not by the platform.",
                    m.entry
                ),
                m.entry.clone(),
                span,
            ));
        }
        if let Some(m) = &self.shortener {
            out.findings.push(rules::URL_SHORTENER.finding(
                format!(
                    "{} is a link shortener: the link hides where it really leads.",
                    m.entry
                ),
                self.h.ascii,
                span,
            ));
        }
    }

    /// The host is on `brand`'s official domain.
    /// `domain` is the official entry the host falls under: its registrable domain, or a
    /// brand's own host under a shared domain.
    fn official<'a>(&self, brand: &'a Brand, domain: &str, out: &mut HostAssessment<'a>) {
        out.official = Some(brand);
        if self.channel == Channel::Web {
            out.findings.push(rules::URL_OFFICIAL.finding(
                format!(
                    "{domain} is an official web domain of {}. Check the whole address: \
                     only this exact domain (or a name ending in .{domain}) is {}'s.",
                    brand.name, brand.name
                ),
                domain,
                self.h.span,
            ));
        }
    }

    /// The brands the host imitates (embedded official domain, brand name with a keyword,
    /// look-alike, typo, TLD swap…), the most severe imitation per brand, by brand.
    fn imitations(&self) -> Vec<(usize, Imitation)> {
        let index = &self.k.hosts;
        let labels = &self.labels;
        let mut imitations: Vec<(usize, Imitation)> = Vec::new();
        // The part of the host a brand name may be looked for in.
        let first_suffix = self.first_suffix();
        let registrable_label = first_suffix.saturating_sub(1);
        let platform = self.platform();
        let eligible = match platform {
            Some(HostMatch { owner, .. }) if !owner.is_empty() => {
                0..owner.split('.').count().min(first_suffix)
            }
            Some(_) => 0..0,
            None => 0..first_suffix,
        };
        let on_user_content = self.on_user_content();
        let tokens = tokens_of(labels, eligible.clone());
        let all_tokens = tokens_of(labels, 0..labels.len());
        let keyword_in_host = tokens
            .iter()
            .find(|t| is_brand_keyword(&t.text))
            .map(|t| t.text.clone());

        if platform.is_none() {
            embedded_officials(index, &all_tokens, first_suffix, &mut imitations);
        }
        let mentions = Mentions {
            index,
            labels,
            parts: &self.parts,
            registrable_label,
            on_user_content,
            keyword_in_host,
        };
        mentions.brand_mentions(&tokens, &mut imitations);
        // A shortener's custom alias (`tiny.example/fedex-redelivery`) is written by whoever
        // made the link, like a page on a user-content platform.
        if let (Some(m), Channel::Web) = (platform, self.channel) {
            user_content_path_mentions(index, &self.k.deceptive, m, self.h.path, &mut imitations);
        }
        brand_tokens(index, labels, eligible, on_user_content, &mut imitations);

        // One per brand: the most severe imitation.
        imitations.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        imitations.dedup_by(|a, b| a.0 == b.0);
        imitations
    }

    /// A top-level domain used for phishing far more often than most.
    fn suspicious_tld(&self, findings: &mut Vec<Finding>) {
        let tld = self.parts.tld();
        if self.k.domains.is_suspicious_tld(tld) {
            findings.push(rules::URL_SUSPICIOUS_TLD.finding(
                format!(
                    "The .{tld} top-level domain is used for phishing far more often than most."
                ),
                tld,
                self.h.span,
            ));
        }
    }

    /// A machine-generated registrable name, or (for links) subdomain label.
    fn random_name(&self, findings: &mut Vec<Finding>) {
        let label = self.parts.label();
        if let Some(why) = random_looking(label) {
            findings.push(rules::URL_RANDOM_LOOKING.finding(
                format!("The name {label:?} looks machine-generated ({why}), as throwaway scam domains often do."),
                self.parts.registrable,
                self.h.span,
            ));
        } else if self.channel == Channel::Web {
            random_subdomain(&self.parts, self.h.span, findings);
        }
    }

    /// Lure words in the registrable name, and a name made of them.
    fn deceptive_name(&self, findings: &mut Vec<Finding>) {
        // The registrable name only: legitimate sites put `login.` and `secure.` in front of
        // their own domains all the time.
        let (name, registrable, span) = (self.parts.label(), self.parts.registrable, self.h.span);
        let words = self.k.deceptive.find(name);
        if words.is_empty() {
            return;
        }
        findings.push(rules::URL_DECEPTIVE_KEYWORDS.finding(
            format!(
                "The name {name:?} contains {}, words phishing sites use to look like a login, \
                 billing, support, delivery or refund page.",
                words.join(", ")
            ),
            registrable,
            span,
        ));
        let pieces = name.split('-').filter(|p| !p.is_empty()).count();
        if words.len() >= 2 || pieces >= 3 {
            let how = if words.len() >= 2 {
                "stacks several lure words"
            } else {
                "strings a lure word together with other words by hyphens"
            };
            findings.push(rules::URL_LURE_NAME.finding(
                format!(
                    "The name {name:?} {how}, the way throwaway scam domains are named \
                     (secure-login-verify, delivery-customscharges)."
                ),
                registrable,
                span,
            ));
        }
    }

    /// A generic address written in front of the real one, unless a brand's official domain
    /// is already found embedded among `imitations`.
    fn embedded_domain(&self, imitations: &[(usize, Imitation)], findings: &mut Vec<Finding>) {
        let brand_embedded = imitations
            .iter()
            .any(|(_, i)| matches!(i, Imitation::Embedded(_)));
        if brand_embedded {
            return;
        }
        if let Some(fake) = embedded_domain(&self.labels, self.first_suffix()) {
            findings.push(rules::URL_EMBEDDED_DOMAIN.finding(
                format!(
                    "The host starts like {fake:?}, but the address really belongs to {}.",
                    self.parts.registrable
                ),
                self.h.ascii,
                self.h.span,
            ));
        }
    }

    /// A machine-generated or lure-word page name on a user-content platform.
    fn page_name(&self, findings: &mut Vec<Finding>) {
        let owner = self.user_content.as_ref().map_or("", |m| m.owner.as_str());
        let span = self.h.span;
        if let Some((l, why)) = owner
            .split('.')
            .find_map(|l| random_looking(l).map(|why| (l, why)))
        {
            findings.push(rules::URL_RANDOM_LOOKING.finding(
                format!(
                    "The page name {l:?} looks machine-generated ({why}), as throwaway scam \
                     pages often do."
                ),
                owner,
                span,
            ));
        }
        let words = self.k.deceptive.find(owner);
        if !words.is_empty() {
            findings.push(rules::URL_DECEPTIVE_KEYWORDS.finding(
                format!(
                    "The page name {owner:?} contains {}, words phishing pages use to look like a \
                     login, billing or support page.",
                    words.join(", ")
                ),
                owner,
                span,
            ));
        }
    }

    /// Four or more levels of names in front of the registrable domain (`www` aside).
    fn many_subdomains(&self, findings: &mut Vec<Finding>) {
        let levels = self
            .parts
            .subdomain()
            .split('.')
            .filter(|l| !l.is_empty())
            .skip_while(|l| *l == "www")
            .count();
        if levels >= 4 {
            findings.push(rules::URL_MANY_SUBDOMAINS.finding(
                format!(
                    "The host has {levels} levels of names in front of {}, a way to push the \
                     real domain out of sight.",
                    self.parts.registrable
                ),
                self.h.ascii,
                self.h.span,
            ));
        }
    }
}

/// Internationalized names: mixed scripts, whole-script look-alikes, punycode, characters
/// that browsers turn into ASCII.
fn script_findings(labels: &[HostLabel], h: &HostInput<'_>, findings: &mut Vec<Finding>) {
    let span = h.span;
    let mut mixed = false;
    let mut whole = false;
    for l in labels {
        if l.uni.is_ascii() {
            continue;
        }
        if !l.uni.as_str().is_single_script() && !mixed {
            mixed = true;
            findings.push(rules::URL_MIXED_SCRIPT.finding(
                format!(
                    "The name {:?} mixes letters from different alphabets (shown as {}), a classic \
                     way to fake a familiar name.",
                    l.uni, l.ascii
                ),
                l.ascii.clone(),
                span,
            ));
        } else if !mixed && !whole && !l.uni.chars().any(is_latin_letter) {
            let folded = lookalike_fold(&l.uni);
            let latin_like = folded
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if latin_like && !folded.is_empty() {
                whole = true;
                findings.push(rules::URL_WHOLE_SCRIPT_CONFUSABLE.finding(
                    format!(
                        "The name {:?} is written entirely in look-alike letters of another \
                         alphabet: it reads as {folded:?} but is a different name ({}).",
                        l.uni, l.ascii
                    ),
                    l.ascii.clone(),
                    span,
                ));
            }
        }
    }
    let raw_lower = h.raw.to_lowercase();
    if raw_lower.split(is_dot).any(|l| l.starts_with("xn--")) {
        findings.push(rules::URL_PUNYCODE.finding(
            format!(
                "The host is written in punycode ({}), which hides the characters it really uses.",
                h.ascii
            ),
            h.raw,
            span,
        ));
    }
    let mapped_to_ascii = !h.raw.is_ascii() && !h.ascii.split('.').any(|l| l.starts_with("xn--"));
    if mapped_to_ascii || h.raw.contains('%') {
        findings.push(rules::URL_OBFUSCATED_HOST.finding(
            format!(
                "The host was written with unusual characters ({:?}) that browsers turn into {}: \
                 a trick to slip past filters.",
                h.raw, h.ascii
            ),
            h.raw,
            span,
        ));
    }
}

/// Official domains written inside another host: `paypal.com.secure-login.xyz`,
/// `paypal-com.support`, `metamask.io-wallet.app`. The embedded name must end before the
/// host's own public suffix, so `media-amazon.com` and `amazon.com.br` do not count.
fn embedded_officials(
    index: &HostIndex,
    tokens: &[Token],
    first_suffix: usize,
    out: &mut Vec<(usize, Imitation)>,
) {
    let before_suffix = tokens.iter().take_while(|t| t.label < first_suffix).count();
    let mut headed = Vec::new();
    let mut found: Vec<usize> = Vec::new();
    for start in 0..before_suffix {
        let first = &tokens[start];
        index.officials_headed_by(&first.text, || lookalike_fold(&first.shown), &mut headed);
        for &oi in &headed {
            let official = &index.officials[oi];
            let n = official.labels.len();
            if start + n <= before_suffix
                && tokens[start + 1..start + n]
                    .iter()
                    .zip(&official.labels[1..])
                    .all(|(t, l)| &t.text == l)
                && !found.contains(&oi)
            {
                found.push(oi);
                out.push((official.brand, Imitation::Embedded(official.domain.clone())));
            }
        }
    }
}

/// Where brand names are looked for in a host, and what a mention there means.
struct Mentions<'x> {
    index: &'x HostIndex,
    labels: &'x [HostLabel],
    parts: &'x HostParts<'x>,
    /// The index of the registrable label.
    registrable_label: usize,
    /// Whether the host is a page on a user-content platform.
    on_user_content: bool,
    /// A login/support/wallet word among the eligible tokens.
    keyword_in_host: Option<String>,
}

impl Mentions<'_> {
    /// Brand names (exact, glued to a keyword, look-alike or misspelt) in the eligible tokens.
    fn brand_mentions(&self, tokens: &[Token], out: &mut Vec<(usize, Imitation)>) {
        for (text, shown, label_idx) in &candidates(self.labels, tokens) {
            self.affixed(text, *label_idx, out);
            lookalikes(self.index, text, shown, out);
        }
    }

    /// Exact or keyword-glued brand names in `text`, a candidate from label `label_idx`.
    fn affixed(&self, text: &str, label_idx: usize, out: &mut Vec<(usize, Imitation)>) {
        let whole_label = self.parts.label();
        let in_registrable = label_idx == self.registrable_label;
        let is_whole_label = in_registrable && text == whole_label && !whole_label.contains('-');
        for a in self.index.affixed(text) {
            let label = &self.index.labels[a.label];
            let keyword = a.keyword.clone().or_else(|| self.keyword_in_host.clone());
            let imitation = if self.on_user_content {
                if label.strength == Strength::Strong || keyword.is_some() {
                    Imitation::OnUserContent(text.to_string())
                } else {
                    Imitation::NameInHost(text.to_string())
                }
            } else if is_whole_label && a.keyword.is_none() && text == label.text {
                match tld_swap(label, self.parts) {
                    Some(i) => i,
                    None => continue,
                }
            } else if label.strength == Strength::Short && !label.is_alias {
                continue;
            } else if let Some(k) = keyword {
                Imitation::Combo(text.to_string(), k)
            } else if label.strength == Strength::Short {
                continue;
            } else {
                let whole = &self.labels[label_idx].uni;
                match junk_part(whole, &label.text) {
                    Some(junk) => Imitation::JunkCombo(whole.clone(), label.text.clone(), junk),
                    None => Imitation::NameInHost(text.to_string()),
                }
            };
            out.push((label.brand, imitation));
        }
    }
}

/// The strings brand names are looked for in: each token, runs of 2–3 tokens within a
/// label, and whole hyphenated labels, as (text, shown, label index).
fn candidates(labels: &[HostLabel], tokens: &[Token]) -> Vec<(String, String, usize)> {
    let mut candidates: Vec<(String, String, usize)> = tokens
        .iter()
        .map(|t| (t.text.clone(), t.shown.clone(), t.label))
        .collect();
    for n in 2..=3 {
        for w in tokens.windows(n) {
            if w.iter().all(|t| t.label == w[0].label) {
                let text: String = w.iter().map(|t| t.text.as_str()).collect();
                let shown: String = w.iter().map(|t| t.shown.as_str()).collect();
                candidates.push((text, shown, w[0].label));
            }
        }
    }
    let eligible_labels: Vec<usize> = tokens.iter().map(|t| t.label).collect();
    for (i, l) in labels.iter().enumerate() {
        if eligible_labels.contains(&i) && l.uni.contains('-') {
            candidates.push((l.uni.clone(), l.shown.clone(), i));
        }
    }
    candidates
}

/// Brand names written with look-alike characters or one overlooked edit in a candidate
/// (`text` lowercase, `shown` as written).
fn lookalikes(index: &HostIndex, text: &str, shown: &str, out: &mut Vec<(usize, Imitation)>) {
    let folded = lookalike_fold(shown);
    for &li in index.by_skeleton(&folded) {
        let label = &index.labels[li];
        let ascii_only = shown.is_ascii();
        let short = label.text.chars().count() < MIN_FUZZY_LEN;
        if text == label.text || shown.to_lowercase() == label.text {
            continue; // the name itself (capitalized, or written in full-width forms)
        }
        if short && ascii_only {
            continue;
        }
        out.push((label.brand, Imitation::Confusable(shown.to_string())));
    }
    // One overlooked edit.
    if text.chars().count() >= MIN_FUZZY_LEN {
        for (li, edit) in index.typos(text) {
            let label = &index.labels[li];
            let how = match edit {
                Edit::Substitution(want, got) => format!("{got} for {want}"),
                Edit::Transposition => "two letters swapped".to_string(),
                Edit::Insertion => "a letter added".to_string(),
                Edit::Deletion => "a letter left out".to_string(),
                Edit::LookAlike => "look-alike letters".to_string(),
            };
            out.push((
                label.brand,
                Imitation::Typo(text.to_string(), label.text.clone(), how),
            ));
        }
    }
}

/// Distinctive brand tokens (`data/brand_host_tokens.txt`) anywhere inside the eligible
/// labels: `uspsxt.com`, `address-deliver-usps.com`, `usps.track-pkg.com`.
fn brand_tokens(
    index: &HostIndex,
    labels: &[HostLabel],
    eligible: std::ops::Range<usize>,
    on_user_content: bool,
    out: &mut Vec<(usize, Imitation)>,
) {
    for l in &labels[eligible] {
        let name = l.uni.as_str();
        for ti in index.host_tokens_in(name) {
            let t = &index.host_tokens[ti];
            let imitation = if on_user_content && !t.whole {
                Imitation::OnUserContent(name.to_string())
            } else if let Some(junk) = junk_part(name, &t.text) {
                Imitation::JunkCombo(name.to_string(), t.text.clone(), junk)
            } else {
                Imitation::NameInHost(name.to_string())
            };
            // Every label: the most telling one is kept per brand (`usps.uspskkc.com`).
            out.push((t.brand, imitation));
        }
    }
}

/// What a throwaway name adds to a brand's name, if it is junk: a hyphen-separated number
/// (`citi-06`), letters and digits together (`jf245-fedex`, `bankofamericadebit05`), or 2–5
/// letters without a vowel (`uspspgcm`, `uspsxt`). Words (`paypal-corp`, `citigroup`) and
/// a number glued on without a hyphen (`microsoft365`) are not junk.
fn junk_part(label: &str, name: &str) -> Option<String> {
    if name.is_empty() || label == name {
        return None;
    }
    let at = label.find(name)?;
    let before = &label[..at];
    let after = &label[at + name.len()..];
    // The pieces written right against the name, without a hyphen.
    let glued_before = before.rsplit('-').next().filter(|p| !p.is_empty());
    let glued_after = after.split('-').next().filter(|p| !p.is_empty());
    before
        .split('-')
        .chain(after.split('-'))
        .filter(|p| !p.is_empty())
        .find(|&p| {
            let letters = p.bytes().filter(u8::is_ascii_alphabetic).count();
            let digits = p.bytes().filter(u8::is_ascii_digit).count();
            let vowels = p
                .bytes()
                .filter(|b| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y'))
                .count();
            let glued = glued_before == Some(p) || glued_after == Some(p);
            (letters > 0 && digits > 0)
                || (letters == 0 && digits > 0 && !glued)
                || (digits == 0 && (2..=5).contains(&letters) && vowels == 0)
        })
        .map(str::to_string)
}

/// A machine-generated label in front of the registrable domain (`83hm2uaj.example.in`), as
/// scam kits generate per message. Only the first such label is reported.
fn random_subdomain(parts: &HostParts<'_>, span: Span, findings: &mut Vec<Finding>) {
    let sub = parts.subdomain();
    if sub.is_empty() {
        return;
    }
    if let Some((l, why)) = sub.split('.').take(8).find_map(|l| {
        random_looking(l)
            .or_else(|| digit_led_code(l))
            .map(|why| (l, why))
    }) {
        findings.push(rules::URL_RANDOM_LOOKING.finding(
            format!(
                "The name {l:?} in front of {} looks machine-generated ({why}), as scam links \
                 made per message often do.",
                parts.registrable
            ),
            l,
            span,
        ));
    }
}

/// A brand's own label under another suffix.
fn tld_swap(label: &hosts::Label, parts: &HostParts<'_>) -> Option<Imitation> {
    if label.source == Source::Alias && !label.brand_has_domains {
        return None; // the brand's own domain, for all we know
    }
    let strong_domain_label = label.strength == Strength::Strong && label.source == Source::Domain;
    let pseudo_tld = parts.private_suffix;
    if label.strength == Strength::Strong
        && (pseudo_tld || (strong_domain_label && !is_country_suffix(parts.suffix)))
    {
        return Some(Imitation::TldSwap);
    }
    if label.strength == Strength::Strong || label.is_alias {
        return Some(Imitation::NameInHost(label.text.clone()));
    }
    None
}

/// Brand names with a login/support word in the path of a user-content page
/// (`uibeanuka.github.io/coinbase-help-center`).
fn user_content_path_mentions(
    index: &HostIndex,
    deceptive: &DeceptiveWords,
    m: &HostMatch,
    path: &str,
    out: &mut Vec<(usize, Imitation)>,
) {
    let rest = path.get(m.path_prefix_len..).unwrap_or("");
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let words: Vec<String> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .take(3)
        .flat_map(|seg| {
            seg.split(['-', '_', '.', '+', '%'])
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty() && w.len() <= 40)
        .take(24)
        .collect();
    let keyword = words
        .iter()
        .any(|w| is_brand_keyword(w) || !deceptive.find(w).is_empty());
    if keyword {
        for t in index.host_tokens.iter().filter(|t| !t.whole) {
            if let Some(w) = words.iter().find(|w| w.contains(t.text.as_str())) {
                out.push((t.brand, Imitation::OnUserContent(w.clone())));
            }
        }
    }
    for w in &words {
        for a in index.affixed(w) {
            let label = &index.labels[a.label];
            if label.strength == Strength::Short && !label.is_alias {
                continue;
            }
            if keyword || a.keyword.is_some() {
                out.push((label.brand, Imitation::OnUserContent(w.clone())));
            }
        }
    }
}

/// The finding for one imitated brand.
fn imitation_finding(
    brand: &Brand,
    imitation: &Imitation,
    parts: &HostParts<'_>,
    h: &HostInput<'_>,
    span: Span,
) -> Finding {
    let name = &brand.name;
    let real = real_domains(brand);
    let host = h.ascii;
    match imitation {
        Imitation::Embedded(domain) => rules::URL_LOOKALIKE_EMBEDDED.finding(
            format!(
                "{host} puts {domain} inside its name, but the address belongs to {}: it \
                 imitates {name}, whose real domain is {real}.",
                parts.registrable
            ),
            host,
            span,
        ),
        Imitation::Confusable(shown) => rules::URL_LOOKALIKE_CONFUSABLE.finding(
            format!(
                "{shown:?} is written with look-alike characters to pass for {name}'s name: \
                 {host} is not {name}'s; its real domain is {real}."
            ),
            host,
            span,
        ),
        Imitation::Typo(text, label, how) => rules::URL_LOOKALIKE_TYPO.finding(
            format!(
                "{text:?} is {label:?} with {how}: {host} imitates {name}, whose real domain is \
                 {real}."
            ),
            host,
            span,
        ),
        Imitation::OnUserContent(text) => rules::URL_BRAND_ON_USER_CONTENT.finding(
            format!(
                "This page uses {name}'s name ({text:?}) on a site where anybody can publish; \
                 {name}'s real domain is {real}."
            ),
            host,
            span,
        ),
        Imitation::Combo(text, keyword) => rules::URL_LOOKALIKE_COMBO.finding(
            format!(
                "{host} combines {name}'s name ({text:?}) with {keyword:?} to look official, but \
                 it is not {name}'s: its real domain is {real}."
            ),
            host,
            span,
        ),
        Imitation::TldSwap => rules::URL_LOOKALIKE_TLD_SWAP.finding(
            format!(
                "{} uses {name}'s name under .{}, which is not one of {name}'s verified \
                 domains ({real}).",
                parts.registrable, parts.suffix
            ),
            parts.registrable,
            span,
        ),
        Imitation::JunkCombo(label, text, junk) => rules::URL_LOOKALIKE_JUNK_COMBO.finding(
            format!(
                "{host} joins {name}'s name ({text:?}) to {junk:?} in {label:?}, the way \
                 throwaway scam domains are made; it is not {name}'s: its real domain is {real}."
            ),
            host,
            span,
        ),
        Imitation::NameInHost(text) => rules::URL_BRAND_NAME_IN_HOST.finding(
            format!(
                "{host} contains {name}'s name ({text:?}) but is not one of {name}'s verified \
                 domains ({real}); it may be a country site or partner we have not verified."
            ),
            host,
            span,
        ),
    }
}

/// Why a registrable label looks machine-generated, if it does: no vowel (a, e, i, o, u) in
/// 6+ letters (5-letter acronyms such as `npmjs` and `msnbc` are common), letters and digits alternating four or more times (three when no run of
/// letters is longer than two), or a number of 6+ digits next to letters.
pub(crate) fn random_looking(label: &str) -> Option<&'static str> {
    if label.len() > 63 || label.starts_with("xn--") {
        return None;
    }
    for part in label.split('-') {
        let letters = part.bytes().filter(u8::is_ascii_alphabetic).count();
        let vowels = part
            .bytes()
            .filter(|b| matches!(b, b'a' | b'e' | b'i' | b'o' | b'u'))
            .count();
        if letters >= 6 && vowels == 0 {
            return Some("no vowels");
        }
        let longest_digits = part
            .split(|c: char| !c.is_ascii_digit())
            .map(str::len)
            .max()
            .unwrap_or(0);
        if letters > 0 && longest_digits >= 6 {
            return Some("a long number in the name");
        }
        let mut switches = 0;
        let mut prev: Option<bool> = None;
        let (mut run, mut longest_run) = (0, 0);
        for b in part.bytes().filter(u8::is_ascii_alphanumeric) {
            let digit = b.is_ascii_digit();
            if prev.is_some_and(|p| p != digit) {
                switches += 1;
            }
            run = if digit { 0 } else { run + 1 };
            longest_run = longest_run.max(run);
            prev = Some(digit);
        }
        if part.len() >= 5 && (switches >= 4 || (switches == 3 && longest_run <= 2)) {
            return Some("letters and digits mixed at random");
        }
    }
    None
}

/// A subdomain label that starts with a digit and switches between digits and letters at
/// least twice (`83hm2uaj`, `8pt21`): a per-message code, not a name. Only for labels in front
/// of the registrable domain (`1drv`, `3dprint` switch once).
fn digit_led_code(label: &str) -> Option<&'static str> {
    if !(5..=16).contains(&label.len())
        || !label.starts_with(|c: char| c.is_ascii_digit())
        || !label.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    let switches = label
        .as_bytes()
        .windows(2)
        .filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit())
        .count();
    (switches >= 2).then_some("a code of digits and letters")
}

/// A generic address written in front of the real one: `irs.gov.direct-pay.com` starts like
/// `irs.gov`, `usps.com-track.shop` like `usps.com`.
///
/// The TLD word must start a label and follow a whole label (`so-net.ne.jp` and
/// `www.gov.si` do not count), and must not be the registrable name itself.
fn embedded_domain(labels: &[HostLabel], first_suffix: usize) -> Option<String> {
    let registrable = first_suffix.checked_sub(1)?;
    for i in 1..=registrable {
        let label = &labels[i].uni;
        let first = label.split('-').next().unwrap_or("");
        if !EMBEDDABLE_TLDS.contains(&first) || (i == registrable && label == first) {
            continue;
        }
        let prev = &labels[i - 1].uni;
        if prev.len() >= 2 && prev != "www" && !EMBEDDABLE_TLDS.contains(&prev.as_str()) {
            return Some(format!("{prev}.{first}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_labels() {
        assert!(random_looking("xtfpnp").is_some());
        assert!(random_looking("n5d4q").is_some());
        assert!(random_looking("gs80xb1u7wy5vb").is_some());
        assert!(random_looking("paypal").is_none());
        assert!(random_looking("w3schools").is_none());
        assert!(random_looking("9to5mac").is_none());
        assert!(random_looking("a4d8x").is_some());
        assert!(random_looking("bbc").is_none());
        assert!(random_looking("msnbc").is_none());
        assert!(random_looking("firststepsite").is_none());
        assert!(random_looking("prmytz").is_some());
        assert!(random_looking("s953131863").is_some());
        assert!(random_looking("route66").is_none());
    }

    #[test]
    fn digit_led_codes() {
        assert!(digit_led_code("83hm2uaj").is_some());
        assert!(digit_led_code("8pt21").is_some());
        assert!(digit_led_code("3dprint").is_none());
        assert!(digit_led_code("1drv").is_none());
        assert!(digit_led_code("abc12d").is_none());
        assert!(digit_led_code("8-pt-21").is_none());
    }

    #[test]
    fn country_suffixes() {
        assert!(is_country_suffix("co.uk"));
        assert!(is_country_suffix("de"));
        assert!(!is_country_suffix("io"));
        assert!(is_country_suffix("com.co"));
        assert!(!is_country_suffix("com"));
        assert!(!is_country_suffix("app"));
    }
}
