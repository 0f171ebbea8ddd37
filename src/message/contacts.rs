//! The contacts stage: every phone number, link and email address in a message goes through
//! the phone, URL and email checks, against the brand it is given for; handles become
//! entities. The single-entity checks' findings about "the claimed brand" are replaced here
//! by message-level ones, which know which brand each contact is given for.

use phonenumber::country::Id;

use crate::allowlist::Brand;
use crate::knowledge::names::MentionKind;
use crate::knowledge::red_flags::{Present, UNPLACED_PHONES};
use crate::knowledge::Knowledge;
use crate::numbering::scan::{scan, RawNumber};
use crate::rules;
use crate::verdict::{Entity, EntityKind, Finding, Span};
use crate::{email, phone, url};

use super::claims::Claims;
use super::extract::{Found, Link};
use super::mapped::Mapped;
use super::Report;

/// Where the checked text is: the normalized text with its map, and the caller's text.
struct Place<'a, 'n> {
    norm: &'a Mapped<'n>,
    input: &'a str,
}

impl Place<'_, '_> {
    /// A finding of a check run on the slice at `base` of the normalized text, with its span
    /// and evidence moved into the caller's text.
    fn remap(&self, mut f: Finding, base: usize) -> Finding {
        f.span = self.norm.span(base + f.span.start, base + f.span.end);
        f.evidence = f.span.slice(self.input).to_string();
        f
    }
}

/// The region the message's cues point to when the caller gave none, and the cue.
#[derive(Debug, Clone, Copy)]
pub(super) struct RegionHint {
    pub(super) region: Id,
    pub(super) cue: &'static str,
}

/// The regions national numbers are read in: the caller's, else the hint's for numbers
/// that cannot be read without one. The hint is looked for only when such a number turns
/// up (most messages have none).
#[derive(Clone, Copy)]
pub(super) struct Regions<'c> {
    pub(super) given: Option<Id>,
    pub(super) hint: &'c dyn Fn() -> Option<RegionHint>,
}

/// Checks every contact; says which kinds the message has (for the red-flag rules).
pub(super) fn check(
    k: &Knowledge,
    norm: &Mapped<'_>,
    input: &str,
    found: &Found,
    claims: &Claims<'_>,
    regions: Regions<'_>,
    report: &mut Report,
) -> Present {
    let place = Place { norm, input };
    let mut unplaced_phones = [None; UNPLACED_PHONES];
    let (phones, unofficial_phones) = phones(
        k,
        &place,
        found,
        claims,
        regions,
        report,
        &mut unplaced_phones,
    );
    links(k, &place, found, claims, report);
    emails(k, &place, found, claims, report);
    for h in &found.handles {
        report.other_contacts += 1;
        report.entities.push(Entity {
            kind: EntityKind::Handle,
            normalized: h.value.clone(),
            region: None,
            span: norm.span(h.start, h.end),
        });
    }
    Present {
        link: !found.links.is_empty(),
        phone: phones > 0,
        unofficial_phone: unofficial_phones > 0,
        email: !found.emails.is_empty(),
        handle: !found.handles.is_empty(),
        brand: !found.mentions.is_empty(),
        unplaced_phones,
    }
}

/// Checks the phone numbers; returns how many are usable numbers and how many of those are
/// no brand's official number, and notes in `unplaced` where the digit runs of phone length
/// (7 to 15 digits) that are not usable start.
fn phones(
    k: &Knowledge,
    place: &Place<'_, '_>,
    found: &Found,
    claims: &Claims<'_>,
    regions: Regions<'_>,
    report: &mut Report,
    unplaced: &mut [Option<usize>; UNPLACED_PHONES],
) -> (usize, usize) {
    let Regions {
        given: region,
        hint,
    } = regions;
    let t = place.norm.text.as_str();
    let mut count = 0;
    let mut unofficial = 0;
    let mut hint_used = false;
    let mut cached: Option<Option<RegionHint>> = None;
    for raw in &found.phones {
        let brand = claims.brand_for(raw.span.start);
        // A number that cannot be read without a region is read in the region the message's
        // cues point to; one that can (it has a country code, or fits the plans tried
        // without a region) never is.
        let reading = usable_reading(k, t, raw, brand, region).or_else(|| {
            if region.is_some() {
                return None;
            }
            let hint = (*cached.get_or_insert_with(hint))?;
            let reading = usable_reading(k, t, raw, brand, Some(hint.region))?;
            if !hint_used {
                hint_used = true;
                report.findings.push(rules::CONTEXT_REGION_INFERRED.finding(
                    format!(
                        "No region was given, so national numbers were read as numbers of {:?}: {}.",
                        hint.region, hint.cue
                    ),
                    hint.cue,
                    Span::new(0, 0),
                ));
            }
            Some(reading)
        });
        let Some((read, a)) = reading else {
            if (7..=15).contains(&raw.digits.len()) {
                if let Some(slot) = unplaced.iter_mut().find(|s| s.is_none()) {
                    *slot = Some(raw.span.start);
                }
            }
            continue;
        };
        count += 1;
        let span = place.norm.span(read.start, read.end);
        for mut f in a.findings {
            // A digit run in prose that is not a valid number, or needs a region to be read,
            // is not reported as a phone finding.
            if f.rule == rules::PHONE_INVALID.id || f.rule == rules::PHONE_NEEDS_REGION.id {
                continue;
            }
            f.span = span;
            f.evidence = span.slice(place.input).to_string();
            report.findings.push(f);
        }
        if let Some(mut e) = a.entity {
            e.span = span;
            report.entities.push(e);
        }
        let own = matches!((a.official, brand), (Some(o), Some(b)) if o.id == b.id);
        if own {
            report.own_contacts += 1;
        } else {
            report.other_contacts += 1;
        }
        match a.official {
            Some(owner) => report.add_channels(owner),
            None => unofficial += 1,
        }
    }
    (count, unofficial)
}

/// How many shorter readings of one digit run are tried.
const MAX_SHORTER_READINGS: usize = 4;

/// Where the reading of a digit run that is a real number lies, and its assessment: as read,
/// or else the longest shorter
/// reading that ends at a gap (a space, `/` or a bracket after a digit), so that what follows
/// a number ("24/7", "24小时人工", "/ 3352", a stray digit) does not hide it.
fn usable_reading<'k>(
    k: &'k Knowledge,
    t: &str,
    raw: &RawNumber,
    brand: Option<&'k Brand>,
    region: Option<Id>,
) -> Option<(Span, phone::Assessment<'k>)> {
    let a = phone::assess(&k.allowlist, t, raw, brand, region);
    if a.usable {
        return Some((raw.span, a));
    }
    let bytes = t.as_bytes();
    let gaps = (raw.span.start + 1..raw.span.end)
        .rev()
        .filter(|&p| {
            matches!(bytes[p], b' ' | b'/' | b'(' | b'\t') && bytes[p - 1].is_ascii_digit()
        })
        .take(MAX_SHORTER_READINGS);
    for gap in gaps {
        let Some(shorter) = scan(&t[..gap], raw.span.start) else {
            continue;
        };
        if !(7..=16).contains(&shorter.digits.len())
            || !grouped_like_a_number(&t[raw.span.start..gap])
        {
            continue;
        }
        let a = phone::assess(&k.allowlist, t, &shorter, brand, region);
        if a.usable {
            return Some((shorter.span, a));
        }
    }
    None
}

/// Whether the digit groups of a shorter reading look like a written phone number: at most
/// five groups, and none but the first of a single digit (`+1 844 209 3351`, `400-820-1234`;
/// not a list such as `1) 26 2) 24 3) 16`).
fn grouped_like_a_number(s: &str) -> bool {
    let groups: Vec<usize> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    groups.len() <= 5 && groups.iter().skip(1).all(|&n| n >= 2)
}

/// URL findings that the message-level link findings replace or that do not apply to a link
/// found in prose.
const REPLACED_URL_RULES: [&str; 4] = [
    rules::URL_NOT_OFFICIAL_FOR_BRAND.id,
    rules::URL_BRAND_DOMAINS_UNKNOWN.id,
    rules::URL_NOT_A_URL.id,
    rules::URL_UNKNOWN_SUFFIX.id,
];

/// Checks the links.
fn links(
    k: &Knowledge,
    place: &Place<'_, '_>,
    found: &Found,
    claims: &Claims<'_>,
    report: &mut Report,
) {
    let t = place.norm.text.as_str();
    let mut named_elsewhere = false;
    for link in &found.links {
        let span = place.norm.span(link.start, link.end);
        let brand = claims.brand_for(link.start);
        let a = url::assess(k, &t[link.start..link.end], 0, brand);
        // Shortened links are everyday in operators' and shops' own messages.
        let shortened = a.findings.iter().any(|f| f.rule == rules::URL_SHORTENER.id);
        // A page anybody can publish, even on the brand's own domain (`cash.app/$name`).
        let user_page = a
            .findings
            .iter()
            .any(|f| f.rule == rules::URL_USER_CONTENT.id);
        for f in a.findings {
            if !REPLACED_URL_RULES.contains(&&*f.rule) {
                report.findings.push(place.remap(f, link.start));
            }
        }
        for b in a.official.into_iter().chain(a.impersonated.iter().copied()) {
            report.add_channels(b);
        }
        report.entities.push(Entity {
            kind: EntityKind::Url,
            normalized: a
                .entity
                .map_or_else(|| t[link.start..link.end].to_string(), |e| e.normalized),
            region: None,
            span,
        });
        // A merchant named in a card alert ("$412.87 at BESTBUY.COM") is no link to follow, and
        // a link to a brand's own site (the claimed brand's or another's) leads nowhere a
        // scammer controls: neither is an unofficial link of the claimed brand.
        let merchant = merchant_descriptor(t, link);
        match (a.official, brand) {
            (Some(o), Some(b)) if o.id == b.id => report.own_contacts += 1,
            // No brand claimed: a link to the own site of a brand the message names.
            (Some(o), None) => {
                let brands = k.allowlist.brands();
                if let Some(m) = found.mentions.iter().find(|m| brands[m.brand].id == o.id) {
                    report.own_contacts += 1;
                    report.own_brand = Some(m.brand);
                }
            }
            (Some(_), _) => {}
            (None, _) if merchant => {}
            (None, _) => report.other_contacts += 1,
        }
        if brand.is_none() && !named_elsewhere && !shortened && !merchant && a.official.is_none() {
            named_elsewhere = brand_named_other_link(k, place, found, link, report);
        }
        if let Some(b) = brand {
            if a.official.is_none() && !merchant {
                let rule = if b.web_domains.is_empty() {
                    rules::TEXT_UNVERIFIED_LINK
                } else {
                    rules::TEXT_UNOFFICIAL_LINK
                };
                report.findings.push(rule.finding(
                    unofficial_link_message(b, &link.host, user_page),
                    span.slice(place.input),
                    span,
                ));
            }
        }
    }
}

/// A brand named (not claimed) in a message whose link goes elsewhere: a finding, and
/// whether one was made.
fn brand_named_other_link(
    k: &Knowledge,
    place: &Place<'_, '_>,
    found: &Found,
    link: &Link,
    report: &mut Report,
) -> bool {
    let brands = k.allowlist.brands();
    let named = found.mentions.iter().find(|m| {
        let b = &brands[m.brand];
        m.kind == MentionKind::Alias && !b.web_domains.is_empty()
    });
    let Some(m) = named else {
        return false;
    };
    let b = &brands[m.brand];
    let span = place.norm.span(link.start, link.end);
    report
        .findings
        .push(rules::TEXT_BRAND_NAMED_OTHER_LINK.finding(
            format!(
            "The message names {} but its link goes to {}, which is not one of {}'s sites ({}).",
            b.name,
            link.host,
            b.name,
            b.web_domains.join(", ")
        ),
            span.slice(place.input),
            span,
        ));
    true
}

/// Whether the address at `start` is written as the reader's own account: right after
/// "account", "signed in as", "sent to" or 账号/帳號/账户/帳戶, with at most a bracket or colon
/// between.
fn names_the_readers_account(t: &str, start: usize) -> bool {
    let from = crate::fold::ceil_boundary(t, start.saturating_sub(24));
    let before = t[from..start]
        .trim_end_matches([' ', '(', '（', ':', '：'])
        .to_lowercase();
    [
        "account",
        "signed in as",
        "sent to",
        "账号",
        "帳號",
        "账户",
        "帳戶",
    ]
    .iter()
    .any(|w| before.ends_with(w))
}

/// Words that say a card alert is about a charge, before the merchant it names.
const CHARGE_WORDS: [&str; 10] = [
    "purchase",
    "purchased",
    "charge",
    "charged",
    "transaction",
    "payment",
    "debit",
    "debited",
    "spent",
    "attempted",
];

/// Whether a bare name written in capitals is the merchant of a card alert: "for $412.87 at
/// BESTBUY.COM", "charge of $248.31 at ZARA.COM", "charged twice by NETFLIX.COM". Card
/// statements write merchants this way; the host's own checks (look-alikes, brand names in
/// it) still run on it.
fn merchant_descriptor(t: &str, link: &Link) -> bool {
    let written = &t[link.start..link.end];
    let lower = written.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("www.") {
        return false;
    }
    let mut letters = written.chars().filter(|c| c.is_alphabetic()).peekable();
    if letters.peek().is_none() || !letters.all(|c| c.is_uppercase()) {
        return false;
    }
    let from = crate::fold::ceil_boundary(t, link.start.saturating_sub(48));
    let mut words = t[from..link.start].split_whitespace().rev();
    let Some(preposition) = words.next() else {
        return false;
    };
    if !["at", "by", "from"].contains(&preposition.to_lowercase().as_str()) {
        return false;
    }
    words.take(3).any(|w| {
        let w = w.trim_matches(|c: char| matches!(c, ',' | '(' | ')' | ':'));
        let l = w.to_lowercase();
        let amount = w.chars().any(|c| c.is_ascii_digit())
            && (w.contains(['$', '£', '€', '₹', '¥'])
                || l.starts_with("rs")
                || l.starts_with("usd"));
        amount || CHARGE_WORDS.contains(&l.as_str())
    })
}

fn unofficial_link_message(brand: &Brand, domain: &str, user_page: bool) -> String {
    if user_page {
        format!(
            "The message speaks for {} but links to a page on {domain} that any account holder can publish, not one of {}'s own pages.",
            brand.name, brand.name
        )
    } else if brand.web_domains.is_empty() {
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

/// Checks the email addresses.
fn emails(
    k: &Knowledge,
    place: &Place<'_, '_>,
    found: &Found,
    claims: &Claims<'_>,
    report: &mut Report,
) {
    let t = place.norm.text.as_str();
    for e in &found.emails {
        let span = place.norm.span(e.start, e.end);
        report.entities.push(Entity {
            kind: EntityKind::Email,
            normalized: e.address.clone(),
            region: None,
            span,
        });
        if names_the_readers_account(t, e.start) {
            // "Your Apple Account (maria@icloud.com) was used to sign in": the reader's own
            // address, not one to write to.
            continue;
        }
        let brand = claims.brand_for(e.start);
        let a = email::assess(k, &t[e.start..e.end], 0, brand);
        for f in a.findings {
            if f.rule != rules::EMAIL_NOT_OFFICIAL_FOR_BRAND.id
                && f.rule != rules::EMAIL_NOT_AN_ADDRESS.id
            {
                report.findings.push(place.remap(f, e.start));
            }
        }
        for b in a.official.into_iter().chain(a.impersonated.iter().copied()) {
            report.add_channels(b);
        }
        let Some(b) = brand else {
            report.other_contacts += 1;
            continue;
        };
        let official = e
            .registrable
            .as_deref()
            .is_some_and(|r| b.email_domains.iter().any(|d| d == r))
            || b.email_addresses.contains(&e.address);
        if official {
            report.own_contacts += 1;
        } else {
            report.other_contacts += 1;
            report.findings.push(rules::TEXT_UNOFFICIAL_EMAIL.finding(
                format!(
                    "The message speaks for {} but gives the address {}, which is not one of {}'s official email domains.",
                    b.name, e.address, b.name
                ),
                span.slice(place.input),
                span,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_shapes() {
        for yes in [
            "+1-844-209-3351",
            "400-820-1234",
            "+44 20 7946 0958",
            "1 (844) 209-3351",
        ] {
            assert!(grouped_like_a_number(yes), "{yes}");
        }
        for no in ["1) 26 2) 24 3) 16", "1 2 3 4 5 6 7", "12 34 56 78 90 12"] {
            assert!(!grouped_like_a_number(no), "{no}");
        }
    }
}
