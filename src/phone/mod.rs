//! Phone checks: read the number (de-obfuscating it), place it in a numbering plan, compare it
//! with the claimed brand's official list, and flag costly or spoof-prone number ranges.

use phonenumber::country::Id;

use crate::allowlist::{phone_key, Allowlist, Brand};
use crate::context::Resolved;
use crate::knowledge::Knowledge;
use crate::numbering::scan::{self, RawNumber, Tricks};
use crate::numbering::{plan, LineKind, Plan};
use crate::rules;
use crate::verdict::{Entity, EntityKind, Finding, PhonePolicy, Span, Verdict};

/// What the phone checks concluded about one number.
#[derive(Debug)]
pub(crate) struct Assessment<'a> {
    pub findings: Vec<Finding>,
    pub entity: Option<Entity>,
    /// The brand the number officially belongs to.
    pub official: Option<&'a Brand>,
    /// Whether the digits form a real number: a valid number, a known short code, or an
    /// area code + 95 number. Message scanning ignores other digit runs.
    pub usable: bool,
}

/// Checks a phone number however it is written (see `Detector::check_phone`).
pub(crate) fn check(k: &Knowledge, resolved: Resolved<'_>, input: &str) -> Verdict {
    let Some(raw) = scan::scan(input, 0) else {
        let none = rules::PHONE_NOT_A_NUMBER.finding(
            "No phone number was found in the input.".into(),
            "",
            Span::new(0, 0),
        );
        return resolved.verdict(vec![none], None, None, &[]);
    };
    let a = assess(&k.allowlist, input, &raw, resolved.claimed, resolved.region);
    resolved.verdict(a.findings, a.entity, a.official, &[])
}

/// Decodes the numbering-plan metadata now instead of on first use.
pub(crate) fn warm_up() {
    plan::warm_up();
}

/// Checks one number read from the input. `claimed` is the brand the input says it speaks
/// for; `region` the caller's default region.
pub(crate) fn assess<'a>(
    allowlist: &'a Allowlist,
    input: &str,
    raw: &RawNumber,
    claimed: Option<&Brand>,
    region: Option<Id>,
) -> Assessment<'a> {
    let span = raw.span;
    let shown = span.slice(input);
    let mut findings = written_form_findings(raw, shown, span);
    let plan = plan::plan(raw, region);
    let (entity, key) = entity_and_key(&plan, span);
    let official = key.as_deref().and_then(|k| allowlist.phone_owner(k));

    // Facts about the number itself. An official number's own costs are the brand's to
    // publish, so they are not flagged again.
    if official.is_none() {
        number_range_findings(&plan, shown, span, &mut findings);
    }
    let dialled = entity
        .as_ref()
        .map_or(raw.digits.as_str(), |e| e.normalized.as_str());
    findings.extend(brand_finding(claimed, official, dialled, span));

    let usable = matches!(
        plan,
        Plan::ShortCode { .. } | Plan::AreaCodeBefore95 { .. } | Plan::Number { valid: true, .. }
    );
    Assessment {
        findings,
        entity,
        official,
        usable,
    }
}

/// Findings about how the number is written: disguised, in other digits, with letters.
fn written_form_findings(raw: &RawNumber, shown: &str, span: Span) -> Vec<Finding> {
    let mut findings = Vec::new();
    if raw.tricks.intersects(Tricks::OBFUSCATION) {
        findings.push(rules::PHONE_OBFUSCATED.finding(
            format!(
                "The number was disguised ({}), a trick scammers use to slip past spam filters.",
                raw.tricks.names().join(", ")
            ),
            shown,
            span,
        ));
    } else if raw.tricks.contains(Tricks::NON_ASCII_DIGITS) {
        findings.push(rules::PHONE_NON_ASCII_DIGITS.finding(
            format!(
                "The number is written with full-width or non-Latin digits; it reads {}.",
                raw.digits
            ),
            shown,
            span,
        ));
    }
    if raw.tricks.contains(Tricks::VANITY) {
        findings.push(rules::PHONE_VANITY.finding(
            format!(
                "The letters stand for keypad digits: the number dialled is {}.",
                raw.digits
            ),
            shown,
            span,
        ));
    }
    findings
}

/// The entity a plan describes, and the key its official owner is looked up by.
fn entity_and_key(plan: &Plan, span: Span) -> (Option<Entity>, Option<String>) {
    match plan {
        Plan::ShortCode { code, region } => (
            Some(Entity {
                kind: EntityKind::ShortCode,
                normalized: code.clone(),
                region: Some(region.to_string()),
                span,
            }),
            Some(phone_key(code, region)),
        ),
        Plan::AreaCodeBefore95 { e164, .. } => (
            Some(Entity {
                kind: EntityKind::Phone,
                normalized: e164.clone(),
                region: Some("CN".into()),
                span,
            }),
            Some(e164.clone()),
        ),
        Plan::Number { e164, region, .. } => (
            Some(Entity {
                kind: EntityKind::Phone,
                normalized: e164.clone(),
                region: region.clone(),
                span,
            }),
            Some(e164.clone()),
        ),
        Plan::NeedsRegion { .. } | Plan::Unparsable { .. } => (None, None),
    }
}

/// The number against the claimed brand: official for it, official for another brand, or
/// not on the claimed brand's list.
fn brand_finding(
    claimed: Option<&Brand>,
    official: Option<&Brand>,
    dialled: &str,
    span: Span,
) -> Option<Finding> {
    match (claimed, official) {
        (None, Some(owner)) => Some(official_finding(owner, dialled, span)),
        (Some(c), Some(owner)) if c.id == owner.id => Some(official_finding(owner, dialled, span)),
        (Some(c), Some(owner)) => Some(rules::PHONE_OTHER_BRAND.finding(
            format!(
                "{dialled} is an official number of {}, not of {}: someone is mixing up brands to \
                 look legitimate.",
                owner.name, c.name
            ),
            dialled,
            span,
        )),
        (Some(c), None) => Some(claimed_brand_finding(c, dialled, span)),
        (None, None) => None,
    }
}

/// The positive finding for an official number, with the caller-ID caveat.
fn official_finding(owner: &Brand, dialled: &str, span: Span) -> Finding {
    let outbound = owner
        .phones
        .iter()
        .any(|p| p.outbound_only && p.number == dialled);
    let message = if outbound {
        format!(
            "{dialled} is a number {} calls or texts from, not one it takes calls on. Scammers \
             can fake caller ID and sender numbers: do not call it back; contact {} through its \
             own website or app.",
            owner.name, owner.name
        )
    } else {
        format!(
            "{dialled} is an official number of {}. Scammers can fake caller ID: if someone called \
             you from it, hang up and call this number yourself.",
            owner.name
        )
    };
    rules::PHONE_OFFICIAL.finding(message, dialled, span)
}

/// The finding for a number that is not on the claimed brand's list.
fn claimed_brand_finding(brand: &Brand, dialled: &str, span: Span) -> Finding {
    let name = &brand.name;
    match brand.policy {
        PhonePolicy::None => rules::PHONE_NO_PHONE_SUPPORT.finding(
            format!("{name} says it has no phone support, so {dialled} cannot be {name}'s number."),
            dialled,
            span,
        ),
        PhonePolicy::Listed => rules::PHONE_NOT_OFFICIAL.finding(
            format!("{dialled} is not one of {name}'s official numbers."),
            dialled,
            span,
        ),
        PhonePolicy::Unverified | PhonePolicy::Unknown => rules::PHONE_UNVERIFIED.finding(
            format!(
                "We could not verify {name}'s phone numbers, so {dialled} could not be confirmed: \
                 find the number on {name}'s own website or app instead."
            ),
            dialled,
            span,
        ),
    }
}

/// Findings about the number range: premium rate, shared cost, personal numbers, one-ring
/// codes, area code + 95, invalid numbers.
fn number_range_findings(plan: &Plan, shown: &str, span: Span, findings: &mut Vec<Finding>) {
    match plan {
        Plan::AreaCodeBefore95 { e164, code } => findings.push(rules::PHONE_AREA_CODE_95.finding(
            format!(
                "{e164} puts an area code in front of the national service number {code}; banks \
                 warn that calls and texts shown this way are fake. Call {code} yourself instead."
            ),
            shown,
            span,
        )),
        Plan::Number {
            e164,
            region,
            valid,
            line,
        } => {
            if plan::is_nanp_international(e164, region.as_deref()) {
                let place = region.as_deref().map_or("the Caribbean".to_string(), plan::region_name);
                findings.push(rules::PHONE_INTERNATIONAL_LOOKALIKE.finding(
                    format!(
                        "{e164} looks like a US number but is in {place}: calling back is billed as an \
                         expensive international call."
                    ),
                    e164.clone(),
                    span,
                ));
            }
            if !valid {
                findings.push(rules::PHONE_INVALID.finding(
                    format!("{e164} is not a valid phone number."),
                    e164.clone(),
                    span,
                ));
                return;
            }
            let rule = match line {
                LineKind::PremiumRate => Some((rules::PHONE_PREMIUM, "is a premium-rate number: calls to it are billed at a high rate")),
                LineKind::SharedCost => Some((rules::PHONE_SHARED_COST, "is a shared-cost service number: anyone can rent one and call it a hotline")),
                LineKind::Personal => Some((rules::PHONE_PERSONAL, "is a personal number: it looks like a mobile but can cost more and is often used in scams")),
                LineKind::TollFree | LineKind::Ordinary => None,
            };
            if let Some((rule, what)) = rule {
                findings.push(rule.finding(format!("{e164} {what}."), e164.clone(), span));
            }
        }
        Plan::Unparsable { digits } => findings.push(rules::PHONE_INVALID.finding(
            format!("{digits} cannot be a phone number (wrong length for its country)."),
            digits.clone(),
            span,
        )),
        Plan::NeedsRegion { digits } => findings.push(rules::PHONE_NEEDS_REGION.finding(
            format!("{digits} has no country code; give a region (for example GB or CN) to check it fully."),
            digits.clone(),
            span,
        )),
        Plan::ShortCode { .. } => {}
    }
}
