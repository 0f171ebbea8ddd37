//! The one weak-signal combiner. Weak (low-severity) findings are each common alone; some
//! combinations are typical of scams. How a finding combines is a property of its rule
//! ([`Signal`]), never a test on its id.

use crate::rules::{Rule, Signal, TEXT_SEVERAL_RED_FLAGS};
use crate::verdict::{Finding, Severity, Span};

/// Whether a finding is one of a link's or an address's weak signs.
fn is_link_sign(f: &Finding) -> bool {
    f.severity == Severity::Low && matches!(f.signal, Signal::Link | Signal::Shortener)
}

/// Adds `several` (`url.several_red_flags`, `email.several_red_flags`) when a link or an
/// address has two or more different weak signs, with `span` over the whole link or address.
pub(crate) fn link_signs(findings: &mut Vec<Finding>, several: Rule, span: Span) {
    let mut names: Vec<&str> = Vec::new();
    for f in findings.iter().filter(|f| is_link_sign(f)) {
        if !names.contains(&&*f.rule) {
            names.push(&f.rule);
        }
    }
    if names.len() >= 2 {
        let list: Vec<&str> = names
            .iter()
            .map(|n| n.split('.').nth(1).unwrap_or(n))
            .collect();
        let message = format!(
            "Several weak warning signs together ({}): each alone is common, together they \
             are typical of scam links.",
            list.join(", ").replace('_', " ")
        );
        let evidence = names.join(" ");
        findings.push(several.finding(message, evidence, span));
    }
}

/// Whether two different weak signs of a message make a pair: a sign in the words with a
/// sign about a link (a shortener alone does not count, operators use them) or with a brand
/// named next to somebody else's link; or a sign about what the message sells or claims
/// with any other weak sign but urgency. The model's sign pairs with nothing.
fn pair(a: Signal, b: Signal) -> bool {
    let words = matches!(
        a,
        Signal::Words | Signal::Content | Signal::Urgency | Signal::WordsAndLink
    );
    (words && matches!(b, Signal::Link | Signal::WordsAndLink))
        || (a == Signal::Content && !matches!(b, Signal::Urgency | Signal::Model))
}

/// A message's weak signs, one per rule, sorted by rule id.
fn weak_signs(findings: &[Finding]) -> Vec<(&str, Signal, Span)> {
    let mut weak: Vec<(&str, Signal, Span)> = findings
        .iter()
        .filter(|f| f.severity == Severity::Low)
        .map(|f| (&*f.rule, f.signal, f.span))
        .collect();
    weak.sort_unstable_by(|a, b| a.0.cmp(b.0));
    weak.dedup_by(|a, b| a.0 == b.0);
    weak
}

/// Whether weak signs add up: two make a [`pair`], or three different ones. The model's
/// sign makes a third only beside two rule signs that say what the message asks or where
/// it leads: it reads the same words as the rules, so beside a call to click and a
/// shortener, or beside urgency, it would count one thing twice (shops and operators write
/// both).
fn adds_up(weak: &[(&str, Signal, Span)]) -> bool {
    let rules = || weak.iter().filter(|w| w.1 != Signal::Model);
    let paired = rules().any(|a| rules().any(|b| a.0 != b.0 && pair(a.1, b.1)));
    let telling = rules()
        .filter(|w| !matches!(w.1, Signal::Urgency | Signal::Shortener))
        .count();
    let model = weak.iter().any(|w| w.1 == Signal::Model);
    paired || rules().count() >= 3 || (model && telling >= 2)
}

/// Whether the findings so far leave a message below medium: none is medium or more and
/// their weak signs do not add up. The model is read only for such a message: there its
/// weak sign can lift none to low, or make a third sign that adds up; above, a reading of
/// style would only nudge the score of a message the rules have already judged.
pub(crate) fn below_medium(findings: &[Finding]) -> bool {
    !findings.iter().any(|f| f.severity >= Severity::Medium) && !adds_up(&weak_signs(findings))
}

/// Adds `text.several_red_flags` when a message's weak signs add up ([`adds_up`]).
pub(crate) fn message_signs(findings: &mut Vec<Finding>) {
    let weak = weak_signs(findings);
    if !adds_up(&weak) {
        return;
    }
    let span = findings
        .iter()
        .filter(|f| f.severity == Severity::Low)
        .map(|f| f.span)
        .min_by_key(|s| s.start)
        .unwrap_or(Span::new(0, 0));
    let ids: Vec<&str> = weak.iter().map(|w| w.0).collect();
    let names: Vec<&str> = ids
        .iter()
        .map(|id| id.split_once('.').map_or(*id, |(_, n)| n))
        .collect();
    let message = format!(
        "Several warning signs together ({}): each alone is common, together they are typical of scam messages.",
        names.join(", ").replace('_', " ")
    );
    let evidence = ids.join(" ");
    findings.push(TEXT_SEVERAL_RED_FLAGS.finding(message, evidence, span));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_by_signal() {
        use Signal::*;
        let table = [
            (Words, Link, true),
            (Words, Shortener, false),
            (Words, WordsAndLink, true),
            (WordsAndLink, Link, true),
            (Urgency, Link, true),
            (Content, Words, true),
            (Content, Alone, true),
            (Content, Urgency, false),
            (Words, Words, false),
            (Link, Link, false),
            (Alone, Link, false),
            (Content, Model, false),
            (Words, Model, false),
            (Model, Link, false),
        ];
        for (a, b, expected) in table {
            assert_eq!(pair(a, b), expected, "{a:?} with {b:?}");
        }
    }

    #[test]
    fn the_model_is_read_only_below_medium() {
        use crate::rules;
        let span = Span::new(0, 0);
        let f = |r: Rule, evidence: &str| r.finding(String::new(), evidence, span);
        assert!(below_medium(&[]));
        assert!(below_medium(&[f(rules::URL_SHORTENER, "a")]));
        // Two weak signs that do not add up yet: the model's may make a third.
        assert!(below_medium(&[
            f(rules::URL_SUSPICIOUS_TLD, "a"),
            f(rules::URL_RANDOM_LOOKING, "b")
        ]));
        // A finding of medium or more, or weak signs that already add up.
        assert!(!below_medium(&[f(rules::TEXT_ASKS_FOR_SECRET, "a")]));
        assert!(!below_medium(&[
            f(rules::TEXT_BRAND_NAMED_OTHER_LINK, "a"),
            f(rules::URL_BRAND_NAME_IN_HOST, "b")
        ]));
    }

    #[test]
    fn the_model_makes_a_third_only_beside_two_telling_signs() {
        use Signal::*;
        let span = Span::new(0, 0);
        let signs = |list: &[(&'static str, Signal)]| -> Vec<(&'static str, Signal, Span)> {
            list.iter().map(|&(id, s)| (id, s, span)).collect()
        };
        let model = ("text.model_scam_likely", Model);
        // A call to click beside a shortener, or beside urgency: shops write both.
        assert!(!adds_up(&signs(&[
            ("text.link_call_to_action", Words),
            ("url.shortener", Shortener),
            model
        ])));
        assert!(!adds_up(&signs(&[
            ("text.switch_channel", Words),
            ("text.urgency", Urgency),
            model
        ])));
        // Two signs about what is asked or where it leads.
        assert!(adds_up(&signs(&[
            ("text.link_call_to_action", Words),
            ("text.switch_channel", Words),
            model
        ])));
        // Without the model, three rule signs still add up, and the model alone or with
        // one sign does not.
        assert!(adds_up(&signs(&[
            ("text.link_call_to_action", Words),
            ("url.shortener", Shortener),
            ("text.urgency", Urgency)
        ])));
        assert!(!adds_up(&signs(&[model])));
        assert!(!adds_up(&signs(&[
            ("text.miracle_product", Content),
            model
        ])));
    }
}
