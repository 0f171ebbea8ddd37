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
/// with any other weak sign but urgency.
fn pair(a: Signal, b: Signal) -> bool {
    let words = matches!(
        a,
        Signal::Words | Signal::Content | Signal::Urgency | Signal::WordsAndLink
    );
    (words && matches!(b, Signal::Link | Signal::WordsAndLink))
        || (a == Signal::Content && b != Signal::Urgency)
}

/// Adds `text.several_red_flags` when a message's weak signs make a [`pair`], or when three
/// different weak signs add up.
pub(crate) fn message_signs(findings: &mut Vec<Finding>) {
    let mut weak: Vec<(&str, Signal, Span)> = findings
        .iter()
        .filter(|f| f.severity == Severity::Low)
        .map(|f| (&*f.rule, f.signal, f.span))
        .collect();
    let span = weak
        .iter()
        .map(|w| w.2)
        .min_by_key(|s| s.start)
        .unwrap_or(Span::new(0, 0));
    weak.sort_unstable_by(|a, b| a.0.cmp(b.0));
    weak.dedup_by(|a, b| a.0 == b.0);
    let paired = weak
        .iter()
        .any(|a| weak.iter().any(|b| a.0 != b.0 && pair(a.1, b.1)));
    if !(weak.len() >= 3 || paired) {
        return;
    }
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
        ];
        for (a, b, expected) in table {
            assert_eq!(pair(a, b), expected, "{a:?} with {b:?}");
        }
    }
}
