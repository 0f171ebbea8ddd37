//! Message scanning: normalization with an offset map, entity extraction, red-flag rules as
//! data, brand-claim checks, and the combination of everything into one verdict.

mod brands;
mod extract;
pub(crate) mod normalize;
pub(crate) mod rules;

use regex::Regex;

use crate::allowlist::{Allowlist, Brand};
use crate::detector::{Context, Detector};
use crate::domain::Domains;
use crate::error::{LoadError, LoadErrorKind};
use crate::fold::{ceil_boundary, floor_boundary};
use crate::phone;
use crate::rules as ids;
use crate::verdict::{Entity, EntityKind, Finding, OfficialChannels, Span, Verdict};
use brands::{BrandIndex, Mention, MentionKind};
use extract::Extractor;
use normalize::{LinkRepair, Mapped, Tricks};
use rules::{Present, TextRules};

/// The default cap on the bytes of a message that are checked (64 KiB).
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// How far (bytes) from a brand name a claim cue ("customer service", "客服") counts.
const CLAIM_DISTANCE: usize = 60;
/// When a message claims several brands, how far (bytes) from a claim a phone number, link
/// or address counts as given for that brand.
const CONTACT_DISTANCE: usize = 120;

/// Everything message scanning compiles once per detector.
#[derive(Debug)]
pub(crate) struct TextEngine {
    /// The embedded rules, built once per process and shared by every detector.
    rules: &'static TextRules,
    brands: BrandIndex,
    extractor: Extractor,
    repair: LinkRepair,
    /// Words that make a nearby brand name a claim to speak for the brand.
    claim_cue: Regex,
    /// Words that make an ambiguous brand alias ("Apple", "Wise") count as the brand.
    brand_cue: Regex,
}

impl TextEngine {
    /// Compiles every lazily compiled rule now.
    pub(crate) fn compile_all(&self) {
        self.rules.compile_all();
        self.brands.automaton();
    }
}

fn internal(what: &str, e: regex::Error) -> LoadError {
    LoadError::new("src/text", 0, LoadErrorKind::Syntax, format!("{what}: {e}"))
}

impl TextEngine {
    pub(crate) fn new(allowlist: &Allowlist) -> Result<TextEngine, LoadError> {
        Ok(TextEngine {
            rules: TextRules::shared()?,
            brands: BrandIndex::new(allowlist.brands()),
            extractor: Extractor::new().map_err(|e| internal("extractor", e))?,
            repair: LinkRepair::new().map_err(|e| internal("link repair", e))?,
            claim_cue: Regex::new(
                r"(?i)(?-u:\b)(?:customer (?:service|support|care)|support|help ?desk|help ?line|hotline|service (?:team|center|centre|desk)|official|security (?:team|department|alert)|fraud (?:team|department|alert|prevention)|account (?:team|services)|team|agent|representative)(?-u:\b)|客服|官方|热线|熱線|服务中心|服務中心|客户服务|客戶服務|工作人员|工作人員|专员|專員|售后|售後",
            )
            .map_err(|e| internal("claim cues", e))?,
            brand_cue: Regex::new(
                r"(?i)(?-u:\b)(?:support|service|account|id|app|store|pay|customer|team|card|wallet|order|prime|icloud|login|password)(?-u:\b)|客服|账户|帳戶|账号|帳號|官方|支付|订单|訂單",
            )
            .map_err(|e| internal("brand cues", e))?,
        })
    }
}

/// Whether a brand mention is a claim to speak for the brand: a cue word nearby, or the
/// brand as the message's signature (`PayPal: …`, `【建设银行】…`, `… -Coinbase`).
fn is_claim(engine: &TextEngine, text: &str, m: &Mention) -> bool {
    let from = floor_boundary(text, m.start.saturating_sub(CLAIM_DISTANCE));
    let to = ceil_boundary(text, m.end + CLAIM_DISTANCE);
    if engine.claim_cue.is_match(&text[from..to]) {
        return true;
    }
    let before = text[..m.start].trim_start();
    let after = text[m.end..].trim_start();
    // The start of the message, an opening bracket, a sender field, Android's SMS Retriever
    // mark (`<#>`), or the subject field of an email-to-SMS gateway (`FRM:… SUBJ:Citibank:`).
    let opener = before.is_empty()
        || matches!(
            before,
            "[" | "【" | "<" | "(" | "〔" | "From" | "from" | "FRM:" | "From:" | "<#>"
        )
        || before.ends_with("SUBJ:")
        || before.ends_with("Subject:");
    let separator = after.starts_with([':', '】', ']', '>', ')', '〕', '-', '：', '|']);
    // A signature ends its line: "… -PayPal", "…【建设银行】".
    let rest_of_line = text[m.end..].split('\n').next().unwrap_or("");
    let signature_end = rest_of_line
        .trim()
        .trim_end_matches(['】', ']', '.', '。'])
        .is_empty()
        && text[..m.start].trim_end().ends_with(['【', '[', '-', '—']);
    (opener && separator) || signature_end
}

fn unofficial_link_message(brand: &Brand, domain: &str) -> String {
    if brand.web_domains.is_empty() {
        format!(
            "The message speaks for {} but links to {domain}; we have no verified list of {}'s websites, so open its app or type its address yourself.",
            brand.name, brand.name
        )
    } else {
        format!(
            "The message speaks for {} but links to {domain}, which is not one of its official sites ({}).",
            brand.name,
            brand.web_domains.join(", ")
        )
    }
}

impl Detector {
    /// Checks a message (SMS, chat, email body, web page text) for the fake customer-support
    /// scam and other red flags, in English and Chinese (Simplified and Traditional).
    ///
    /// Spans in the verdict point into `text`. Only the first
    /// [`max_message_bytes`](crate::DetectorBuilder::max_message_bytes) bytes are checked
    /// (64 KiB by default); the verdict says so when a message was cut.
    pub fn check_message(&self, text: &str, ctx: &Context) -> Verdict {
        let resolved = self.resolve(ctx);
        let mut findings = resolved.findings;
        let engine = &self.text;

        // Bound the input.
        let limit = floor_boundary(text, self.max_message_bytes);
        let input = &text[..limit];
        if limit < text.len() {
            findings.push(ids::TEXT_TRUNCATED.finding(
                format!(
                    "Only the first {limit} bytes of this {}-byte message were checked.",
                    text.len()
                ),
                "",
                Span::new(limit, limit),
            ));
        }

        // Normalize.
        let mut tricks = Tricks::default();
        let mut norm = Mapped::new(input, &mut tricks);
        engine.repair.repair(&mut norm, &mut tricks);
        normalize::repair_words(&mut norm, &mut tricks, &|name| {
            self.domains.split(name).is_some()
        });
        normalize::tidy_spacing(&mut norm);
        let t = norm.text.as_str();
        if let Some(first) = tricks.hidden_in_words.first() {
            findings.push(ids::TEXT_HIDDEN_CHARACTERS.finding(
                format!(
                    "The message hides {} invisible character(s) inside words, a trick to slip past filters.",
                    tricks.hidden_in_words.len()
                ),
                "",
                *first,
            ));
        }
        if let Some(first) = tricks.link_obfuscations.first() {
            findings.push(ids::TEXT_OBFUSCATED_LINK.finding(
                "A web address in the message is disguised (hxxp, [.], \" dot \"), a trick to slip past filters.".into(),
                first.slice(input),
                *first,
            ));
        }

        let mut disguised: Vec<&str> = tricks.obfuscated_words.iter().map(|w| w.1).collect();
        disguised.sort_unstable();
        disguised.dedup();
        if disguised.len() >= 2 {
            let spans = &tricks.obfuscated_words;
            let span = Span::new(
                spans.iter().map(|w| w.0.start).min().unwrap_or(0),
                spans.iter().map(|w| w.0.end).max().unwrap_or(0),
            );
            let shown: Vec<String> = spans
                .iter()
                .take(4)
                .map(|(s, w)| format!("{:?} for {w:?}", s.slice(input)))
                .collect();
            findings.push(ids::TEXT_OBFUSCATED_WORDS.finding(
                format!(
                    "The message disguises {} words ({}), a trick to slip past spam filters.",
                    disguised.len(),
                    shown.join(", ")
                ),
                span.slice(input),
                span,
            ));
        }

        // Entities.
        let domains: &Domains = &self.domains;
        let emails = engine.extractor.emails(t, domains);
        let links = engine.extractor.links(t, domains, &emails);
        let handles = engine.extractor.handles(t);
        let raw_phones = extract::phones(t);
        let mentions = engine.brands.find(t, |from, to| {
            let (from, to) = (floor_boundary(t, from), ceil_boundary(t, to));
            engine.brand_cue.is_match(&t[from..to])
        });

        let brands = self.allowlist.brands();
        let mut channels: Vec<OfficialChannels> = Vec::new();
        let add_channels = |b: &Brand, channels: &mut Vec<OfficialChannels>| {
            if !channels.iter().any(|c| c.brand == b.id) {
                channels.push(b.channels());
            }
        };
        if let Some(b) = resolved.claimed {
            add_channels(b, &mut channels);
        }

        // Brand mentions and claims.
        let claims: Vec<&Mention> = mentions.iter().filter(|m| is_claim(engine, t, m)).collect();
        let claim = claims.first().copied();
        let single_brand = claims
            .iter()
            .all(|m| Some(m.brand) == claim.map(|c| c.brand));
        // The brand a contact at `at` is given for: the caller's claimed brand; else the only
        // brand the message claims to be; else the nearest claim within CONTACT_DISTANCE.
        let brand_for = |at: usize| -> Option<&Brand> {
            if let Some(b) = resolved.claimed {
                return Some(b);
            }
            if single_brand {
                return claim.map(|m| &brands[m.brand]);
            }
            claims
                .iter()
                .map(|m| (m.start.abs_diff(at).min(m.end.abs_diff(at)), m.brand))
                .filter(|(d, _)| *d <= CONTACT_DISTANCE)
                .min()
                .map(|(_, b)| &brands[b])
        };
        for m in &mentions {
            if m.kind != MentionKind::Alias {
                let b = &brands[m.brand];
                let span = norm.span(m.start, m.end);
                findings.push(ids::TEXT_DISGUISED_BRAND.finding(
                    format!("\"{}\" is {} written with look-alike characters, spaces or symbols inside it, a trick to impersonate the brand and slip past filters.", span.slice(input), b.name),
                    span.slice(input),
                    span,
                ));
            }
        }

        if let (Some(m), None) = (claim, resolved.claimed) {
            let b = &brands[m.brand];
            let span = norm.span(m.start, m.end);
            findings.push(ids::TEXT_BRAND_CLAIM.finding(
                format!("The message presents itself as coming from {}.", b.name),
                span.slice(input),
                span,
            ));
            add_channels(b, &mut channels);
        } else if let Some(m) = mentions.first() {
            add_channels(&brands[m.brand], &mut channels);
        }

        // Phones.
        let mut entities = Vec::new();
        let mut phone_count = 0;
        for raw in &raw_phones {
            let a = phone::assess(
                &self.allowlist,
                t,
                raw,
                brand_for(raw.span.start),
                resolved.region,
            );
            if !a.usable {
                continue;
            }
            phone_count += 1;
            let span = norm.span(raw.span.start, raw.span.end);
            for mut f in a.findings {
                if matches!(&*f.rule, "phone.invalid" | "phone.region_unknown") {
                    continue;
                }
                f.span = span;
                f.evidence = span.slice(input).to_string();
                findings.push(f);
            }
            if let Some(mut e) = a.entity {
                e.span = span;
                entities.push(e);
            }
            if let Some(owner) = a.official {
                add_channels(owner, &mut channels);
            }
        }

        // Links and emails against the claimed brand.
        // The URL and email checks run on each one; their findings about the claimed brand are
        // replaced by the message-level ones below, which know which brand the message speaks for.
        let remap = |mut f: Finding, base: usize| {
            f.span = norm.span(base + f.span.start, base + f.span.end);
            f.evidence = f.span.slice(input).to_string();
            f
        };
        let mut named_elsewhere = false;
        for link in &links {
            let span = norm.span(link.start, link.end);
            let claimed_here = brand_for(link.start);
            let a = crate::url::assess(self, &t[link.start..link.end], 0, claimed_here);
            // Shortened links are everyday in operators' and shops' own messages.
            let shortened = a.findings.iter().any(|f| f.rule == ids::URL_SHORTENER.id);
            for f in a.findings {
                if !matches!(
                    &*f.rule,
                    "url.not_official_for_brand"
                        | "url.brand_domains_unknown"
                        | "url.not_a_url"
                        | "url.unknown_suffix"
                ) {
                    findings.push(remap(f, link.start));
                }
            }
            for b in a.official.into_iter().chain(a.impersonated.iter().copied()) {
                add_channels(b, &mut channels);
            }
            entities.push(Entity {
                kind: EntityKind::Url,
                normalized: a
                    .entity
                    .map_or_else(|| t[link.start..link.end].to_string(), |e| e.normalized),
                region: None,
                span,
            });
            if claimed_here.is_none() && !named_elsewhere && !shortened {
                // A brand named (not claimed) in a message whose link goes elsewhere.
                let named = mentions.iter().find(|m| {
                    let b = &brands[m.brand];
                    m.kind == MentionKind::Alias
                        && !b.web_domains.is_empty()
                        && a.official.is_none_or(|o| o.id != b.id)
                });
                if let Some(m) = named {
                    let b = &brands[m.brand];
                    named_elsewhere = true;
                    findings.push(ids::TEXT_BRAND_NAMED_OTHER_LINK.finding(
                        format!(
                            "The message names {} but its link goes to {}, which is not one of {}'s sites ({}).",
                            b.name,
                            link.host,
                            b.name,
                            b.web_domains.join(", ")
                        ),
                        span.slice(input),
                        span,
                    ));
                }
            }
            if let Some(b) = claimed_here {
                match a.official {
                    Some(o) if o.id == b.id => {}
                    _ => {
                        let rule = if b.web_domains.is_empty() {
                            ids::TEXT_UNVERIFIED_LINK
                        } else {
                            ids::TEXT_UNOFFICIAL_LINK
                        };
                        findings.push(rule.finding(
                            unofficial_link_message(b, &link.host),
                            span.slice(input),
                            span,
                        ));
                    }
                }
            }
        }
        for email in &emails {
            let span = norm.span(email.start, email.end);
            let a =
                crate::email::assess(self, &t[email.start..email.end], 0, brand_for(email.start));
            for f in a.findings {
                if !matches!(
                    &*f.rule,
                    "email.not_official_for_brand" | "email.not_an_address"
                ) {
                    findings.push(remap(f, email.start));
                }
            }
            for b in a.official.into_iter().chain(a.impersonated.iter().copied()) {
                add_channels(b, &mut channels);
            }
            entities.push(Entity {
                kind: EntityKind::Email,
                normalized: email.address.clone(),
                region: None,
                span,
            });
            if let Some(b) = brand_for(email.start) {
                let official = email
                    .registrable
                    .as_deref()
                    .is_some_and(|r| b.email_domains.iter().any(|d| d == r))
                    || b.email_addresses.contains(&email.address);
                if !official {
                    findings.push(ids::TEXT_UNOFFICIAL_EMAIL.finding(
                        format!(
                            "The message speaks for {} but gives the address {}, which is not one of {}'s official email domains.",
                            b.name, email.address, b.name
                        ),
                        span.slice(input),
                        span,
                    ));
                }
            }
        }
        for h in &handles {
            let span = norm.span(h.start, h.end);
            entities.push(Entity {
                kind: EntityKind::Handle,
                normalized: h.value.clone(),
                region: None,
                span,
            });
        }

        // Red-flag rules.
        let present = Present {
            link: !links.is_empty(),
            phone: phone_count > 0,
            email: !emails.is_empty(),
            brand: !mentions.is_empty(),
        };
        for hit in engine.rules.scan(t, present) {
            let span = norm.span(hit.start, hit.end);
            findings.push(Finding {
                rule: std::borrow::Cow::Borrowed(hit.def.id.as_str()),
                severity: hit.def.severity,
                message: hit.def.message.clone(),
                evidence: span.slice(input).to_string(),
                span,
            });
        }

        several_red_flags(&mut findings);
        entities.sort_by_key(|e| e.span.start);
        let mut verdict = Verdict::from_findings(findings, None, None, channels);
        verdict.entities = entities;
        verdict
    }
}

/// Adds `text.several_red_flags` when the message's weak signals come from both its words and
/// its links (for example "tap here" and a throwaway-looking domain; a link shortener alone
/// does not count, operators use them), when a weak sign about what the message sells or
/// claims (a rule with `content = true`: a miracle pill, a sex come-on, a stranger's opener)
/// comes with any other weak sign but urgency (a shortener counts here), or when three
/// different weak signals add up. Each is common alone; together they are typical of smishing.
fn several_red_flags(findings: &mut Vec<Finding>) {
    let weak: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.severity == crate::Severity::Low)
        .collect();
    let mut ids: Vec<&str> = weak.iter().map(|f| &*f.rule).collect();
    ids.sort_unstable();
    ids.dedup();
    // Shorteners are common in operators' own promotions; other weak link signals are not.
    // A brand named next to somebody else's link is a sign about both the words and the
    // link, so it pairs with a sign of either kind (but not with itself).
    const BOTH: &str = ids::TEXT_BRAND_NAMED_OTHER_LINK.id;
    let is_link = |id: &str| {
        (id.starts_with("url.") || id.starts_with("email.")) && id != ids::URL_SHORTENER.id
    };
    let is_text = |id: &str| id.starts_with("text.");
    // The weak rules marked `content = true` among these (looked up once, not per pair).
    let content: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| rules::defs().iter().any(|d| d.content && d.id == *id))
        .collect();
    let pair = ids.iter().any(|a| {
        ids.iter().any(|b| {
            a != b
                && ((is_text(a) && (is_link(b) || *b == BOTH))
                    || (content.contains(a) && *b != "text.urgency"))
        })
    });
    if !(ids.len() >= 3 || pair) {
        return;
    }
    let span = weak
        .iter()
        .map(|f| f.span)
        .min_by_key(|s| s.start)
        .unwrap_or(Span::new(0, 0));
    let names: Vec<&str> = ids
        .iter()
        .map(|id| id.split_once('.').map_or(*id, |(_, n)| n))
        .collect();
    findings.push(ids::TEXT_SEVERAL_RED_FLAGS.finding(
        format!(
            "Several warning signs together ({}): each alone is common, together they are typical of scam messages.",
            names.join(", ").replace('_', " ")
        ),
        ids.join(" "),
        span,
    ));
}

/// Checks a message with the shared default [`Detector`].
pub fn check_message(text: &str, ctx: &Context) -> Verdict {
    Detector::shared().check_message(text, ctx)
}
