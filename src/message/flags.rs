//! The red-flag stage: the compiled red-flag rules run on the normalized text; each rule that
//! fires is one finding with its span in the caller's text.

use std::borrow::Cow;

use crate::knowledge::red_flags::Present;
use crate::knowledge::Knowledge;
use crate::verdict::Finding;

use super::mapped::Mapped;

/// Adds a finding for every red-flag rule that fires on the message.
pub(super) fn check(
    k: &Knowledge,
    norm: &Mapped<'_>,
    input: &str,
    present: Present,
    findings: &mut Vec<Finding>,
) {
    for hit in k.red_flags.scan(&norm.text, present) {
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
