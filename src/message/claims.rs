//! The claims stage: which brand a message speaks for (the caller's claimed brand, a brand
//! name with a claim cue nearby, or a brand as the message's signature), and for which brand
//! each phone number, link or address in it is given.

use crate::allowlist::Brand;
use crate::fold::{ceil_boundary, floor_boundary};
use crate::knowledge::names::{Mention, MentionKind};
use crate::knowledge::Knowledge;
use crate::rules;

use super::mapped::Mapped;
use super::Report;

/// How far (bytes) from a brand name a claim cue ("customer service", "客服") counts.
const CLAIM_DISTANCE: usize = 60;
/// When a message claims several brands, how far (bytes) from a claim a phone number, link
/// or address counts as given for that brand.
const CONTACT_DISTANCE: usize = 120;

/// The brands a message claims to speak for.
#[derive(Debug)]
pub(super) struct Claims<'k> {
    brands: &'k [Brand],
    /// The brand the caller says the message claims to be from.
    claimed: Option<&'k Brand>,
    /// Brand mentions that are claims, in text order.
    claims: Vec<Mention>,
    /// Whether every claim is for the same brand.
    single_brand: bool,
}

impl<'k> Claims<'k> {
    /// The claims among `mentions` in the normalized text `t`.
    pub(super) fn new(
        k: &'k Knowledge,
        t: &str,
        mentions: &[Mention],
        claimed: Option<&'k Brand>,
    ) -> Claims<'k> {
        let claims: Vec<Mention> = mentions
            .iter()
            .filter(|m| is_claim(k, t, m))
            .cloned()
            .collect();
        let first = claims.first().map(|c| c.brand);
        let single_brand = claims.iter().all(|m| Some(m.brand) == first);
        Claims {
            brands: k.allowlist.brands(),
            claimed,
            claims,
            single_brand,
        }
    }

    /// The brand the message speaks for: the caller's claimed brand, else the first brand
    /// the message claims to be.
    pub(super) fn main(&self) -> Option<&'k Brand> {
        self.claimed
            .or_else(|| self.claims.first().map(|m| &self.brands[m.brand]))
    }

    /// The brand a contact at `at` is given for: the caller's claimed brand; else the only
    /// brand the message claims to be; else the nearest claim within [`CONTACT_DISTANCE`].
    pub(super) fn brand_for(&self, at: usize) -> Option<&'k Brand> {
        if let Some(b) = self.claimed {
            return Some(b);
        }
        if self.single_brand {
            return self.claims.first().map(|m| &self.brands[m.brand]);
        }
        self.claims
            .iter()
            .map(|m| (m.start.abs_diff(at).min(m.end.abs_diff(at)), m.brand))
            .filter(|(d, _)| *d <= CONTACT_DISTANCE)
            .min()
            .map(|(_, b)| &self.brands[b])
    }

    /// Findings for disguised brand names and for the brand the message presents itself as
    /// (when the caller named none), and the channels of the brands concerned.
    pub(super) fn report(
        &self,
        k: &Knowledge,
        norm: &Mapped<'_>,
        input: &str,
        mentions: &[Mention],
        report: &mut Report,
    ) {
        let brands = k.allowlist.brands();
        if let Some(b) = self.claimed {
            report.add_channels(b);
        }
        for m in mentions.iter().filter(|m| m.kind != MentionKind::Alias) {
            let b = &brands[m.brand];
            let span = norm.span(m.start, m.end);
            report.findings.push(rules::TEXT_DISGUISED_BRAND.finding(
                format!("\"{}\" is {} written with look-alike characters, spaces or symbols inside it, a trick to impersonate the brand and slip past filters.", span.slice(input), b.name),
                span.slice(input),
                span,
            ));
        }
        if let (Some(m), None) = (self.claims.first(), self.claimed) {
            let b = &brands[m.brand];
            let span = norm.span(m.start, m.end);
            report.findings.push(rules::TEXT_BRAND_CLAIM.finding(
                format!("The message presents itself as coming from {}.", b.name),
                span.slice(input),
                span,
            ));
            report.add_channels(b);
        } else if let Some(m) = mentions.first() {
            report.add_channels(&brands[m.brand]);
        }
    }
}

/// Whether a brand mention is a claim to speak for the brand: a cue word nearby, or the
/// brand as the message's signature (`PayPal: …`, `【建设银行】…`, `… -Coinbase`).
fn is_claim(k: &Knowledge, text: &str, m: &Mention) -> bool {
    let from = floor_boundary(text, m.start.saturating_sub(CLAIM_DISTANCE));
    let to = ceil_boundary(text, m.end + CLAIM_DISTANCE);
    if k.names.claim_cue.is_match(&text[from..to]) {
        return true;
    }
    let before = text[..m.start].trim_start();
    let after = text[m.end..].trim_start();
    // The start of the message or of a sentence, an opening bracket, a sender field, Android's SMS Retriever
    // mark (`<#>`), or the subject field of an email-to-SMS gateway (`FRM:… SUBJ:Citibank:`).
    let opener = before.is_empty()
        || matches!(
            before,
            "[" | "【" | "<" | "(" | "〔" | "From" | "from" | "FRM:" | "From:" | "<#>"
        )
        || before.ends_with("SUBJ:")
        || before.ends_with("Subject:")
        // A sentence start: a warning or greeting in front does not hide the signature.
        || before
            .trim_end()
            .ends_with(['.', '!', '?', '。', '！', '？', '\n', '【']);
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
