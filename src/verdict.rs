//! The result of every check: [`Verdict`], [`Finding`], [`Risk`] and the official channels
//! shown to the user.
//!
//! The JSON shape produced by `serde_json::to_string(&verdict)` is part of the public API and
//! is documented in the README ("Verdict JSON").

use std::borrow::Cow;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// How risky the checked input is, ordered `None < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Risk {
    /// No sign of a scam was found. This is not a promise that the input is safe.
    None,
    /// Weak signals only.
    Low,
    /// Something a careful person should verify through an official channel first.
    Medium,
    /// Very likely a scam.
    High,
    /// A known scam pattern: the brand itself says this never happens.
    Critical,
}

impl Risk {
    /// The lowercase name used in JSON and on the command line (`"none"`, …, `"critical"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::None => "none",
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
            Risk::Critical => "critical",
        }
    }

    /// The risk band a 0–100 score falls in: `none` < 10 ≤ `low` < 40 ≤ `medium` < 70 ≤
    /// `high` < 90 ≤ `critical`.
    pub fn from_score(score: u8) -> Risk {
        match score {
            0..=9 => Risk::None,
            10..=39 => Risk::Low,
            40..=69 => Risk::Medium,
            70..=89 => Risk::High,
            _ => Risk::Critical,
        }
    }
}

impl std::fmt::Display for Risk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much one finding weighs. `Info` findings carry facts (for example "this is an
/// official number of WeChat Pay") and never raise the risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Severity {
    /// A fact, not a warning.
    Info,
    /// A weak signal on its own.
    Low,
    /// A signal worth verifying.
    Medium,
    /// A strong sign of a scam.
    High,
    /// The brand itself says this never happens.
    Critical,
}

impl Severity {
    /// The lowercase name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The probability-like weight this severity adds to the score (see [`Verdict::score`]).
    fn weight(self) -> f64 {
        match self {
            Severity::Info => 0.0,
            Severity::Low => 0.15,
            Severity::Medium => 0.45,
            Severity::High => 0.75,
            Severity::Critical => 0.92,
        }
    }
}

/// A half-open byte range `start..end` into the checked input. Always on `char` boundaries.
///
/// For a message checked with a [`Context`](crate::Context) that gives its sender or
/// subject, `field` says which of them the span points into (the message text by default;
/// serialized only when it is another field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The input the span points into.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Field::is_text")
    )]
    pub field: Field,
}

/// Which input of a check a [`Span`] points into.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum Field {
    /// The checked input itself (the message text, number, link or address).
    #[default]
    Text,
    /// The message's sender ([`Context::with_sender`](crate::Context::with_sender)).
    Sender,
    /// The message's subject ([`Context::with_subject`](crate::Context::with_subject)).
    Subject,
}

impl Field {
    /// Whether this is the checked input itself.
    pub fn is_text(&self) -> bool {
        *self == Field::Text
    }
}

impl Span {
    /// A span from `start` to `end` (bytes) of the checked input.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end,
            field: Field::Text,
        }
    }

    /// The same range in another field.
    pub fn in_field(self, field: Field) -> Span {
        Span { field, ..self }
    }

    /// Whether this span lies inside `input` and on its character boundaries.
    pub fn fits(&self, input: &str) -> bool {
        self.start <= self.end
            && self.end <= input.len()
            && input.is_char_boundary(self.start)
            && input.is_char_boundary(self.end)
    }

    /// The text this span covers in `input`, or `""` when it does not fit `input`.
    pub fn slice<'a>(&self, input: &'a str) -> &'a str {
        input.get(self.start..self.end).unwrap_or("")
    }
}

/// How a weak (low-severity) finding adds up with other weak findings to a "several red
/// flags" finding (see `combine`). A property of the rule, so that combining never looks at
/// rule ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Signal {
    /// Not a sign that pairs with others (phone and context findings, and every rule above
    /// low); a weak one still counts as one of three.
    #[default]
    Alone,
    /// A sign in a message's words ("tap here", "verify your account").
    Words,
    /// A sign about what a message sells or claims (a miracle pill, a sex come-on): adds up
    /// with any other weak sign but [`Signal::Urgency`].
    Content,
    /// Pressure to act now: a words sign that is common in honest reminders too.
    Urgency,
    /// A sign about a link or an email address (a throwaway-looking domain, a brand's name in
    /// somebody else's host).
    Link,
    /// A link shortener: counts among a link's weak signs, but in a message pairs with words
    /// only as one of three (operators and shops shorten their own links).
    Shortener,
    /// A brand named next to somebody else's link: a sign about both the words and the link.
    WordsAndLink,
    /// The statistical model's reading of the words. It reads the same words as the rules
    /// and has not seen most honest senders' styles, so it pairs with nothing and makes a
    /// third only beside two signs that say what the message asks or where it leads (not
    /// urgency, not a shortener).
    Model,
}

/// One reason behind a verdict.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Finding {
    /// Stable rule id such as `phone.not_official_for_brand` (listed in the README).
    pub rule: Cow<'static, str>,
    /// How much this finding weighs.
    pub severity: Severity,
    /// One plain-language sentence for a non-expert.
    pub message: String,
    /// The piece of evidence, usually the normalized form of what the span covers.
    pub evidence: String,
    /// Where in the input the evidence is.
    pub span: Span,
    /// How the finding adds up with other weak findings (a property of its rule).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub(crate) signal: Signal,
}

/// Findings are equal when their public fields are (the combination property follows from
/// the rule, and is not serialized).
impl PartialEq for Finding {
    fn eq(&self, other: &Finding) -> bool {
        self.rule == other.rule
            && self.severity == other.severity
            && self.message == other.message
            && self.evidence == other.evidence
            && self.span == other.span
    }
}

impl Eq for Finding {}

/// What kind of entity a verdict is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum EntityKind {
    /// A telephone number in E.164 form.
    Phone,
    /// A national service short code such as `95017` (China) or `7726` (UK).
    #[cfg_attr(feature = "serde", serde(rename = "short_code"))]
    ShortCode,
    /// A URL or bare domain.
    Url,
    /// An email address.
    Email,
    /// A chat handle (WhatsApp, Telegram, QQ, WeChat, LINE…) found in a message.
    Handle,
}

/// The checked entity in normalized form.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Entity {
    /// What kind of entity this is.
    pub kind: EntityKind,
    /// E.164 (`+18889087930`) for phones, the digits for short codes.
    pub normalized: String,
    /// The ISO 3166 region the number belongs to, when known.
    pub region: Option<String>,
    /// Where the entity is in the input.
    pub span: Span,
}

/// A brand's phone-support policy as stated by the brand (see `allowlists/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum PhonePolicy {
    /// The brand says it has no phone support.
    None,
    /// Our list is the brand's complete official list.
    Listed,
    /// The brand has phone support, but its numbers could not be verified.
    Unverified,
    /// No statement either way was found.
    Unknown,
}

impl PhonePolicy {
    /// The lowercase name used in data files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PhonePolicy::None => "none",
            PhonePolicy::Listed => "listed",
            PhonePolicy::Unverified => "unverified",
            PhonePolicy::Unknown => "unknown",
        }
    }
}

/// One official phone number, as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct OfficialPhone {
    /// E.164 or short-code digits.
    pub number: String,
    /// How the brand writes it.
    pub display: String,
    /// ISO 3166 region.
    pub region: String,
    /// What the number is for.
    pub purpose: String,
    /// Where the fact was read.
    pub source: String,
    /// The brand calls or texts from this number (its caller ID or SMS short code) and takes
    /// no calls on it: evidence about who sent a call or text, never a number to call.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "std::ops::Not::not")
    )]
    pub outbound_only: bool,
}

/// A brand's real contact channels, so that the user can reach the real one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct OfficialChannels {
    /// Brand id, e.g. `wechat-pay`.
    pub brand: String,
    /// Display name, e.g. `WeChat Pay`.
    pub name: String,
    /// What the brand says about phone support.
    pub phone_support: PhonePolicy,
    /// The brand's own words about phone support, when we have them.
    pub phone_statement: Option<String>,
    /// Official phone numbers (may be empty).
    pub phones: Vec<OfficialPhone>,
    /// Official web domains (registrable domains, or a brand's own host under a shared
    /// domain such as `pay.weixin.qq.com`).
    pub web_domains: Vec<String>,
    /// Short or tracking domains the brand's own texts and emails link through (official for
    /// links, not a site to visit).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub link_domains: Vec<String>,
    /// Official email domains (registrable domains).
    pub email_domains: Vec<String>,
    /// Specific official email addresses.
    pub email_addresses: Vec<String>,
    /// Alphanumeric sender IDs the brand says its texts come from (`HDFCBK`); senders can be
    /// faked, so a match is evidence, never proof.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub sms_senders: Vec<String>,
    /// What the brand says its staff never ask for (`password`, `recovery_phrase`, …).
    pub never_asks: Vec<String>,
}

/// The channels as lines for a person: the phone policy and its statement, numbers to call
/// and numbers the brand only calls or texts from, sites, link domains, sender IDs, email,
/// and what the brand never asks for.
impl std::fmt::Display for OfficialChannels {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(out, "{}'s real channels:", self.name)?;
        let policy = match self.phone_support {
            PhonePolicy::None => "none — the brand says it has no phone support",
            PhonePolicy::Listed => "only the numbers below",
            PhonePolicy::Unverified => {
                "exists, but we could not verify the numbers: use the brand's own site or app"
            }
            PhonePolicy::Unknown => "unknown: use the brand's own site or app",
        };
        writeln!(out, "  phone support: {policy}")?;
        if let Some(s) = &self.phone_statement {
            writeln!(out, "    (\"{s}\")")?;
        }
        for p in &self.phones {
            // A caller ID or SMS short code the brand sends from is not a number to call.
            let label = if p.outbound_only {
                "calls/texts come from (do not call back)"
            } else {
                "phone"
            };
            writeln!(
                out,
                "  {label}: {} ({}, {}) — {}",
                p.display, p.region, p.purpose, p.source
            )?;
        }
        let lists = [
            ("web", &self.web_domains),
            ("links in its messages", &self.link_domains),
            ("texts come from sender names", &self.sms_senders),
            ("email from", &self.email_domains),
            ("email", &self.email_addresses),
        ];
        for (label, list) in lists {
            if !list.is_empty() {
                writeln!(out, "  {label}: {}", list.join(", "))?;
            }
        }
        if !self.never_asks.is_empty() {
            writeln!(
                out,
                "  never asks for: {}",
                self.never_asks.join(", ").replace('_', " ")
            )?;
        }
        Ok(())
    }
}

/// The answer to one check.
///
/// `risk` is the band of `score`, and never lower than the highest finding's severity.
/// A verdict with `risk == Risk::None` means no sign of a scam was found, not that the input
/// is safe: in particular an official-number match is evidence about the number only, because
/// scammers fake caller ID.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Verdict {
    /// The overall risk.
    pub risk: Risk,
    /// 0–100, combined from the findings' severities (see the README, "Scoring").
    pub score: u8,
    /// Every reason, most severe first.
    pub findings: Vec<Finding>,
    /// The checked entity in normalized form, when one was recognized.
    pub entity: Option<Entity>,
    /// The brand this phone number, domain or address officially belongs to, if any.
    pub official_brand: Option<String>,
    /// The official channels of the claimed brand and of any matched brand.
    pub channels: Vec<OfficialChannels>,
    /// Every entity found in a message (phones, links, emails, handles), in input order.
    /// Empty for single-entity checks, which use `entity`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub entities: Vec<Entity>,
}

impl Verdict {
    /// Builds a verdict from its findings: sorts them most severe first and computes the score
    /// and risk.
    pub(crate) fn from_findings(
        mut findings: Vec<Finding>,
        entity: Option<Entity>,
        official_brand: Option<String>,
        channels: Vec<OfficialChannels>,
    ) -> Verdict {
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(a.span.start.cmp(&b.span.start))
        });
        let score = score(&findings);
        Verdict {
            risk: Risk::from_score(score),
            score,
            findings,
            entity,
            official_brand,
            channels,
            entities: Vec::new(),
        }
    }

    /// Every span in the verdict: the findings', the entity's and the message entities'.
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.findings
            .iter()
            .map(|f| f.span)
            .chain(self.entity.iter().map(|e| e.span))
            .chain(self.entities.iter().map(|e| e.span))
    }

    /// Whether a finding with this rule id is present.
    pub fn has(&self, rule: &str) -> bool {
        self.findings.iter().any(|f| f.rule == rule)
    }
}

/// Noisy-OR of the findings' weights: `100 · (1 − Π(1 − wᵢ))`. One finding lands in its own
/// band; several findings raise the score, weak ones slowly. The same finding repeated (one
/// rule on the same evidence: a number written three times) counts once, so repeating a
/// number or a phrase does not raise the risk.
fn score(findings: &[Finding]) -> u8 {
    let mut seen: Vec<(&str, &str)> = Vec::with_capacity(findings.len());
    let keep = findings.iter().fold(1.0_f64, |keep, f| {
        let key = (&*f.rule, f.evidence.as_str());
        if seen.contains(&key) {
            return keep;
        }
        seen.push(key);
        keep * (1.0 - f.severity.weight())
    });
    // Floor (after absorbing float error), so that findings never round up into a band
    // their weights do not reach.
    ((1.0 - keep) * 100.0 + 1e-9).floor().clamp(0.0, 100.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_finding_counts_once() {
        let one = |evidence: &str| Finding {
            evidence: evidence.into(),
            ..finding(Severity::Medium)
        };
        let once = score(&[one("+1 844 209 3351")]);
        let thrice = score(&[
            one("+1 844 209 3351"),
            one("+1 844 209 3351"),
            one("+1 844 209 3351"),
        ]);
        assert_eq!(once, thrice);
        assert!(
            score(&[one("a"), one("b")]) > once,
            "different evidence still adds up"
        );
    }

    fn finding(severity: Severity) -> Finding {
        Finding {
            rule: Cow::Borrowed("test.rule"),
            severity,
            message: String::new(),
            evidence: String::new(),
            span: Span::new(0, 0),
            signal: Signal::Alone,
        }
    }

    /// Different findings (each on its own evidence) of these severities.
    fn risk_of(severities: &[Severity]) -> Risk {
        let findings = severities
            .iter()
            .enumerate()
            .map(|(i, s)| Finding {
                evidence: i.to_string(),
                ..finding(*s)
            })
            .collect();
        Verdict::from_findings(findings, None, None, Vec::new()).risk
    }

    #[test]
    fn one_finding_lands_in_its_own_band() {
        assert_eq!(risk_of(&[]), Risk::None);
        assert_eq!(risk_of(&[Severity::Info]), Risk::None);
        assert_eq!(risk_of(&[Severity::Low]), Risk::Low);
        assert_eq!(risk_of(&[Severity::Medium]), Risk::Medium);
        assert_eq!(risk_of(&[Severity::High]), Risk::High);
        assert_eq!(risk_of(&[Severity::Critical]), Risk::Critical);
    }

    #[test]
    fn findings_combine_upwards() {
        assert_eq!(risk_of(&[Severity::Low, Severity::Low]), Risk::Low);
        assert_eq!(risk_of(&[Severity::Medium, Severity::Medium]), Risk::Medium);
        assert_eq!(risk_of(&[Severity::Medium; 3]), Risk::High);
        assert_eq!(risk_of(&[Severity::High, Severity::Medium]), Risk::High);
        assert_eq!(risk_of(&[Severity::High, Severity::High]), Risk::Critical);
    }

    #[test]
    fn info_never_raises() {
        assert_eq!(risk_of(&[Severity::Info; 50]), Risk::None);
    }

    #[test]
    fn findings_sorted_most_severe_first() {
        let v = Verdict::from_findings(
            vec![
                finding(Severity::Low),
                finding(Severity::High),
                finding(Severity::Info),
            ],
            None,
            None,
            Vec::new(),
        );
        let order: Vec<_> = v.findings.iter().map(|f| f.severity).collect();
        assert_eq!(order, [Severity::High, Severity::Low, Severity::Info]);
    }
}
