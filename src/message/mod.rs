//! Checking a message, in named stages, each a function with a clear input and output:
//!
//! 1. [`bound`]: cut the message to the configured size;
//! 2. [`normalize::normalize`]: undo the tricks that hide words and links, remembering where
//!    every byte came from, and report the tricks;
//! 3. [`extract::extract`]: find the phone numbers, links, email addresses, handles and
//!    brand names;
//! 4. [`claims::Claims`]: decide which brand the message speaks for, and for which brand each
//!    contact is given;
//! 5. [`contacts::check`]: check every contact (the phone, URL and email checks) against the
//!    brand it is given for;
//! 6. [`flags::check`]: the red-flag rules on the normalized text;
//! 7. [`concepts::check`]: rules over the concepts of the lexicons, in every language;
//! 8. [`combine::message_signs`](crate::combine::message_signs): weak signs that add up.
//!
//! Every stage adds to one [`Report`]; spans are mapped back to the caller's text.

mod claims;
mod concepts;
mod contacts;
mod extract;
mod flags;
mod mapped;
mod normalize;
mod rejoin;

use crate::allowlist::Brand;
use crate::combine;
use crate::context::Resolved;
use crate::fold::floor_boundary;
use crate::knowledge::Knowledge;
use crate::rules;
use crate::verdict::{Entity, Finding, OfficialChannels, Span, Verdict};

/// What the stages add to: the verdict's findings, entities and brands' channels.
#[derive(Debug, Default)]
struct Report {
    findings: Vec<Finding>,
    entities: Vec<Entity>,
    channels: Vec<OfficialChannels>,
}

impl Report {
    /// Adds a brand's official channels (once per brand).
    fn add_channels(&mut self, brand: &Brand) {
        brand.add_channels_to(&mut self.channels);
    }
}

/// Checks a message (see `Detector::check_message`).
pub(crate) fn check(k: &Knowledge, resolved: Resolved<'_>, text: &str) -> Verdict {
    let Resolved {
        claimed,
        region,
        findings,
    } = resolved;
    let mut report = Report {
        findings,
        ..Report::default()
    };
    let input = bound(text, k.max_message_bytes, &mut report.findings);
    let norm = normalize::normalize(k, input, &mut report.findings);
    let found = extract::extract(k, &norm.text);
    let claims = claims::Claims::new(k, &norm.text, &found.mentions, claimed);
    claims.report(k, &norm, input, &found.mentions, &mut report);
    let present = contacts::check(k, &norm, input, &found, &claims, region, &mut report);
    flags::check(k, &norm, input, present, &mut report.findings);
    concepts::check(k, &norm, input, &mut report.findings);
    combine::message_signs(&mut report.findings);
    report.entities.sort_by_key(|e| e.span.start);
    let mut verdict = Verdict::from_findings(report.findings, None, None, report.channels);
    verdict.entities = report.entities;
    verdict
}

/// Builds now the fixed patterns the stages otherwise build on first use.
pub(crate) fn warm_up() {
    normalize::warm_up();
    extract::warm_up();
}

/// The part of `text` that is checked: at most `max` bytes, cut on a character boundary; a
/// cut is reported.
fn bound<'t>(text: &'t str, max: usize, findings: &mut Vec<Finding>) -> &'t str {
    let limit = floor_boundary(text, max);
    if limit < text.len() {
        findings.push(rules::TEXT_TRUNCATED.finding(
            format!(
                "Only the first {limit} bytes of this {}-byte message were checked.",
                text.len()
            ),
            "",
            Span::new(limit, limit),
        ));
    }
    &text[..limit]
}
