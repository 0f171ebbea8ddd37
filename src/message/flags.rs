//! The red-flag stage: the compiled red-flag rules run on the normalized text; each rule that
//! fires is one finding with its span in the caller's text. A match that a reported-speech
//! marker governs ("the scammer told her to…") is a story, not the scam, and is dropped; so
//! is a match of a request rule (one a concept rule also fires as) that a negator governs.

use std::borrow::Cow;

use crate::knowledge::concept::Concept;
use crate::knowledge::red_flags::Present;
use crate::knowledge::Knowledge;
use crate::rules;
use crate::verdict::Finding;

use super::concepts::Terms;
use super::mapped::Mapped;

/// Adds a finding for every red-flag rule that fires on the message (`lower`: its
/// normalized text lowercased in place).
pub(super) fn check(
    k: &Knowledge,
    norm: &Mapped<'_>,
    lower: &str,
    input: &str,
    present: Present,
    terms: Option<&Terms<'_>>,
    findings: &mut Vec<Finding>,
) {
    let request = |id: &str| {
        k.concepts
            .rules
            .iter()
            .any(|r| r.rule.id == id && r.negates_phrases)
            || k.red_flags
                .is_phrasing_of(id, rules::TEXT_ASKS_FOR_SECRET.id)
    };
    for hit in k.red_flags.scan(&norm.text, lower, present) {
        if terms.is_some_and(|t| {
            t.cancelled(
                hit.start,
                hit.start + 1,
                k.concepts.phrase_languages,
                request(&hit.def.id),
            )
        }) {
            continue;
        }
        // "Never tell anyone" in the sentence that gives a code or password is the sender's
        // warning about that secret, not a demand to hide something from one's family or
        // bank (a request for the secret is its own finding).
        if hit.def.id == "text.secrecy"
            && terms.is_some_and(|t| t.in_sentence(Concept::Secret, hit.start))
        {
            continue;
        }
        let span = norm.span(hit.start, hit.end);
        findings.push(Finding {
            rule: Cow::Owned(hit.def.id.clone()),
            severity: hit.def.severity,
            message: hit.def.message.clone(),
            evidence: span.slice(input).to_string(),
            span,
            signal: hit.def.signal(),
        });
    }
}
