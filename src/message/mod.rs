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
mod region;
mod rejoin;
mod sender;

use crate::allowlist::Brand;
use crate::combine;
use crate::context::Resolved;
use crate::fold::{floor_boundary, lowercase_same_offsets};
use crate::knowledge::Knowledge;
use crate::model;
use crate::rules;
use crate::verdict::{Entity, Field, Finding, OfficialChannels, Severity, Signal, Span, Verdict};

/// What the stages add to: the verdict's findings, entities and brands' channels.
#[derive(Debug, Default)]
struct Report {
    findings: Vec<Finding>,
    entities: Vec<Entity>,
    channels: Vec<OfficialChannels>,
    /// Contacts that are the claimed brand's own channels, and contacts that are not (a
    /// number, link, address or handle that is neither the brand's nor another brand's own
    /// site, nor a merchant name or the reader's own address).
    own_contacts: usize,
    other_contacts: usize,
    /// The brand (index) whose own channels those are, when the message claims none but
    /// names it.
    own_brand: Option<usize>,
}

impl Report {
    /// Adds a brand's official channels (once per brand).
    fn add_channels(&mut self, brand: &Brand) {
        brand.add_channels_to(&mut self.channels);
    }
}

/// What else the caller gave about a message: who sent it, and its subject.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Envelope<'a> {
    pub(crate) sender: Option<&'a str>,
    pub(crate) subject: Option<&'a str>,
}

/// Checks a message (see `Detector::check_message`).
///
/// The subject is read with the text, as its first line, so a brand named in the subject and
/// a number in the text belong together; spans in it are then given in the subject field.
/// The sender is read first (its number's region reads the text's national numbers when no
/// region was given, its sender ID is a brand claim) and checked last, against the brand
/// the message claims.
pub(crate) fn check<'k>(
    k: &'k Knowledge,
    mut resolved: Resolved<'k>,
    text: &str,
    envelope: Envelope<'_>,
) -> Verdict {
    let sender = envelope.sender.and_then(sender::Sender::read);
    if let Some(s) = &sender {
        if resolved.claimed.is_none() {
            resolved.claimed = s.brand(k);
        }
    }
    // The subject as checked: trimmed, and at most half the message budget.
    let subject = envelope.subject.and_then(|raw| {
        let s = raw.trim();
        let lead = raw.len() - raw.trim_start().len();
        (!s.is_empty()).then(|| (lead, &s[..floor_boundary(s, k.max_message_bytes / 2)]))
    });
    let joined;
    let checked = match subject {
        Some((_, s)) => {
            joined = format!("{s}\n{text}");
            joined.as_str()
        }
        None => text,
    };
    let region = resolved.region;
    // Cues for reading national numbers when no region was given: the sender's country
    // code, else a currency only one country uses, else a script only one country's
    // numbers come with, else words of one country.
    let hint = || {
        sender
            .as_ref()
            .and_then(|s| s.region(k))
            .map(|r| (r, "the country code of the sender's number"))
            .or_else(|| region::currency_region(checked))
            .or_else(|| region::script_region(checked))
            .or_else(|| region::word_region(checked))
            .map(|(region, cue)| contacts::RegionHint { region, cue })
    };
    let (mut verdict, claimed, link, (no_other_contact, own_brand)) =
        check_text(k, resolved, checked, &hint);
    if let Some((lead, s)) = subject {
        move_subject_spans(&mut verdict, lead, s.len());
    }
    if let Some(s) = &sender {
        let findings = s.check(k, claimed, region, link);
        if !findings.is_empty() {
            let mut all = std::mem::take(&mut verdict.findings);
            all.extend(findings);
            let entities = std::mem::take(&mut verdict.entities);
            verdict = Verdict::from_findings(all, None, None, verdict.channels);
            verdict.entities = entities;
        }
    }
    // The sender, when given, must be the brand's own too (its short code, sender ID,
    // number or email domain); a message with no contact at all needs such a sender.
    let sender_is_own = || {
        verdict.findings.iter().any(|f| {
            f.span.field == Field::Sender
                && [
                    rules::SENDER_OFFICIAL_ID.id,
                    rules::PHONE_OFFICIAL.id,
                    rules::EMAIL_OFFICIAL.id,
                ]
                .contains(&&*f.rule)
        })
    };
    let brand = match (&sender, own_brand) {
        (None, own) => own,
        (Some(_), own) => own.or(claimed).filter(|_| sender_is_own()),
    };
    if let (Some(brand), true) = (brand, no_other_contact) {
        cap_notice_flags(&mut verdict, brand);
    }
    verdict
}

/// Gives the spans of a joined "subject, line break, text" back to their fields (`lead`:
/// the blanks trimmed from the front of the subject).
fn move_subject_spans(verdict: &mut Verdict, lead: usize, subject_len: usize) {
    let body = subject_len + 1;
    let fix = |span: &mut Span| {
        // Other fields' spans, and the empty span of findings about the context itself.
        if span.field != Field::Text || (span.start == 0 && span.end == 0) {
            return;
        }
        *span = if span.start >= body {
            Span::new(span.start - body, span.end - body)
        } else {
            Span::new(lead + span.start, lead + span.end.min(subject_len)).in_field(Field::Subject)
        };
    };
    for f in &mut verdict.findings {
        fix(&mut f.span);
    }
    for e in &mut verdict.entities {
        fix(&mut e.span);
    }
}

/// Checks the text in stages; returns the verdict, the brand the message speaks for, and
/// whether it has a link.
fn check_text<'k>(
    k: &'k Knowledge,
    resolved: Resolved<'k>,
    text: &str,
    hint: &dyn Fn() -> Option<contacts::RegionHint>,
) -> (Verdict, Option<&'k Brand>, bool, (bool, Option<&'k Brand>)) {
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
    let lower = lowercase_same_offsets(&norm.text);
    let found = extract::extract(k, &norm.text, &lower);
    let claims = claims::Claims::new(k, &norm.text, &found.mentions, claimed);
    claims.report(k, &norm, input, &found.mentions, &mut report);
    let present = contacts::check(
        k,
        &norm,
        input,
        &found,
        &claims,
        contacts::Regions {
            given: region,
            hint,
        },
        &mut report,
    );
    let terms = concepts::Terms::find(k, &norm.text, &lower);
    flags::check(
        k,
        &norm,
        &lower,
        input,
        present,
        terms.as_ref(),
        &mut report.findings,
    );
    concepts::check(
        k,
        terms.as_ref(),
        &norm,
        input,
        present,
        &mut report.findings,
    );
    // The model is read only for a message the rules leave below medium.
    if let Some(model) = k
        .model
        .as_ref()
        .filter(|_| combine::below_medium(&report.findings))
    {
        model_signal(
            model,
            &norm,
            input,
            &found,
            terms.as_ref(),
            &mut report.findings,
        );
    }
    combine::message_signs(&mut report.findings);
    report.entities.sort_by_key(|e| e.span.start);
    // A card alert's pointer to the number on the card is a channel the reader already has.
    // It matters only to a message that claims a brand and has no other contact, so only
    // such a message is read for it.
    if report.other_contacts == 0 && report.own_contacts == 0 && claims.main().is_some() {
        let lower = norm.text.to_lowercase();
        let card_back = [
            "back of your card",
            "number on your card",
            "卡背面",
            "卡片背面",
        ];
        if card_back.iter().any(|p| lower.contains(p)) {
            report.own_contacts += 1;
        }
    }
    // The brand whose channels are the message's only contacts: (none other in the text,
    // the brand with some of its own in it).
    let own_brand = claims
        .main()
        .or_else(|| report.own_brand.map(|i| &k.allowlist.brands()[i]))
        .filter(|_| report.own_contacts > 0);
    let own_channels = (report.other_contacts == 0, own_brand);
    let mut verdict = Verdict::from_findings(report.findings, None, None, report.channels);
    verdict.entities = report.entities;
    (verdict, claims.main(), present.link, own_channels)
}

/// Red flags that describe what an honest notice of the brand also says ("unusual sign-in:
/// not you? visit…", "did you make this purchase?", "expires in 10 minutes"): when every
/// contact in the message and its sender are the brand's own, and nothing else of medium or
/// more was found (no request for a secret, payment or remote access, no threat), they are
/// capped at low.
const NOTICE_FLAGS: [&str; 6] = [
    "text.account_problem",
    "text.transaction_alert_lure",
    "text.callback_lure",
    "text.urgency",
    "text.link_call_to_action",
    "text.several_red_flags",
];

/// Caps the notice flags of a message whose contacts are all the claimed brand's own (and
/// whose sender, if given, is the brand's own too), drops the model's sign, and says so.
fn cap_notice_flags(verdict: &mut Verdict, brand: &Brand) {
    // Anything else of medium or more (a request, a threat, a look-alike) keeps every flag:
    // an official match never lowers the risk of a message that asks or threatens.
    if verdict
        .findings
        .iter()
        .any(|f| f.severity >= Severity::Medium && !NOTICE_FLAGS.contains(&&*f.rule))
    {
        return;
    }
    if !verdict
        .findings
        .iter()
        .any(|f| NOTICE_FLAGS.contains(&&*f.rule) && f.severity > Severity::Low)
    {
        return;
    }
    let mut all = std::mem::take(&mut verdict.findings);
    // The model reads the words an honest notice shares with the phishing that copies it;
    // beside the brand's own channels its reading says nothing more, so it goes, and the
    // weak signs are added up again without it.
    if all.iter().any(|f| f.signal == Signal::Model) {
        all.retain(|f| f.signal != Signal::Model && f.rule != rules::TEXT_SEVERAL_RED_FLAGS.id);
        combine::message_signs(&mut all);
    }
    for f in &mut all {
        if NOTICE_FLAGS.contains(&&*f.rule) && f.severity > Severity::Low {
            f.severity = Severity::Low;
        }
    }
    all.push(rules::TEXT_OWN_CHANNELS_ONLY.finding(
        format!(
            "Every link, number and address in the message is {}'s own, so its warnings about your account were counted as weak signs; still open the app or site yourself rather than through a message.",
            brand.name
        ),
        "",
        Span::new(0, 0),
    ));
    let entities = std::mem::take(&mut verdict.entities);
    let channels = std::mem::take(&mut verdict.channels);
    *verdict = Verdict::from_findings(all, None, None, channels);
    verdict.entities = entities;
}

/// What the model reads besides the text: the contacts (as placeholders) and the live
/// concept terms, sorted by offset.
fn model_input(
    found: &extract::Found,
    terms: Option<&concepts::Terms<'_>>,
) -> (
    Vec<model::features::Contact>,
    Vec<model::features::ConceptAt>,
) {
    use model::features::{ConceptAt, Contact};
    let mut contacts: Vec<Contact> = Vec::new();
    contacts.extend(found.links.iter().map(|l| Contact {
        start: l.start,
        end: l.end,
        kind: "<link>",
    }));
    contacts.extend(found.emails.iter().map(|e| Contact {
        start: e.start,
        end: e.end,
        kind: "<email>",
    }));
    contacts.extend(found.phones.iter().map(|p| Contact {
        start: p.span.start,
        end: p.span.end,
        kind: "<phone>",
    }));
    contacts.sort_by_key(|c| c.start);
    let concepts = terms
        .map(|t| {
            t.live_terms()
                // Pronouns only tie a request to what it asks for; they say nothing alone.
                .filter(|&(_, concept)| concept != crate::knowledge::concept::Concept::Pronoun)
                .map(|(at, concept)| ConceptAt { at, concept })
                .collect()
        })
        .unwrap_or_default();
    (contacts, concepts)
}

/// How many of the model's features a finding names as its evidence.
const SHOWN_FEATURES: usize = 4;

/// The model's finding, when the most scam-like window of the message is above the strict
/// threshold of its script group (at most 0.1% of held-back ham above it): a weak sign
/// (low) that adds up with the rules' weak signs, with the features that weigh most as
/// evidence and the window as span. It is never more than low alone: on ham of corpora
/// it was not trained on, more than 0.1% passes that threshold (see data/model-card.md).
/// The caller reads it only for a message the rules leave below medium.
fn model_signal(
    m: &model::Model,
    norm: &mapped::Mapped<'_>,
    input: &str,
    found: &extract::Found,
    terms: Option<&concepts::Terms<'_>>,
    findings: &mut Vec<Finding>,
) {
    let (contacts, concepts) = model_input(found, terms);
    // The model reads only messages that point somewhere or use a concept term: a scam asks
    // for something or gives a way to answer, and the rest of ordinary chat costs nothing.
    if contacts.is_empty() && concepts.is_empty() {
        return;
    }
    let (mut sentences, mut spans) = (Vec::new(), Vec::new());
    let keep = |_: &str, bucket: u32| m.knows(bucket);
    model::features::extract(
        &norm.text,
        &contacts,
        &concepts,
        &keep,
        m.meta.bits,
        &mut sentences,
        &mut spans,
    );
    let Some(best) = m.best(&sentences).filter(|b| b.margin >= 0.0) else {
        return;
    };
    let (logit, window) = (best.logit, best.window);
    let start = spans.get(window.0).map_or(0, |s| s.0);
    let end = spans.get(window.1).map_or(norm.text.len(), |s| s.1);
    let window_spans = spans.get(window.0..=window.1).unwrap_or(&spans);
    // Names only for the features that can be among the four shown.
    let floor = m.top_floor(
        sentences.get(window.0..=window.1).unwrap_or(&sentences),
        SHOWN_FEATURES,
    );
    let named = model::features::named(
        &norm.text,
        &contacts,
        &concepts,
        &keep,
        m.meta.bits,
        window_spans,
        &|b| m.weighs_at_least(b, floor),
    );
    let top = m.top(&named, SHOWN_FEATURES);
    let span = norm.span(start, end);
    let f = rules::TEXT_MODEL_SCAM_LIKELY.finding(
        format!(
            "A statistical model trained on reported scams rates this message as scam-like ({:.0}%), mostly for: {}. Alone this is a weak sign.",
            model::probability(logit) * 100.0,
            if top.is_empty() { "its wording as a whole".to_string() } else { top.join(", ") }
        ),
        span.slice(input),
        span,
    );
    findings.push(f);
}

/// The sentences' features of a message (for the trainer); `gated`: as the detector reads
/// them, none for a message without contacts and concept terms.
pub(crate) fn model_sentences(
    k: &Knowledge,
    text: &str,
    bits: u32,
    gated: bool,
) -> Vec<model::features::Unit> {
    let mut scratch = Vec::new();
    let input = bound(text, k.max_message_bytes, &mut scratch);
    let norm = normalize::normalize(k, input, &mut scratch);
    let lower = lowercase_same_offsets(&norm.text);
    let found = extract::extract(k, &norm.text, &lower);
    let terms = concepts::Terms::find(k, &norm.text, &lower);
    let (contacts, concepts) = model_input(&found, terms.as_ref());
    let mut sentences = Vec::new();
    if gated && contacts.is_empty() && concepts.is_empty() {
        return sentences;
    }
    let keep = |w: &str, _: u32| k.vocabulary.knows_exactly(w);
    model::features::extract(
        &norm.text,
        &contacts,
        &concepts,
        &keep,
        bits,
        &mut sentences,
        &mut Vec::new(),
    );
    sentences
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
