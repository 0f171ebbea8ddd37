//! The concept stage: rules over the concepts the lexicons find (`knowledge::concepts`),
//! in every language the lexicons cover. A request and a secret in one clause, in either
//! order, directed at the sender and not negated in that clause, is a request for a secret —
//! however it is phrased ("read me the 6-digit code we just texted you", "请把助记词发给我们",
//! "what's your ATM pin?").

use crate::fold::clause_starts;
use crate::knowledge::concepts::{Concept, Found};
use crate::knowledge::Knowledge;
use crate::rules;
use crate::verdict::Finding;

use super::mapped::Mapped;

/// How many secret terms of one message are looked at: the pairs tried stay bounded
/// whatever the message repeats.
const MAX_SECRETS: usize = 32;
/// How many bytes may open a clause before an imperative (politeness words).
const MAX_LEAD: usize = 48;
/// How far apart (bytes) a request and its secret may be.
const MAX_GAP: usize = 60;
/// How far after a request (bytes) "me" / "to us" may come.
const TO_US_AFTER: usize = 40;
/// How far before a request (bytes) Hindi "mujhe" or Japanese 私に may come.
const TO_US_BEFORE: usize = 30;

/// Adds `text.asks_for_secret` when the message asks for a secret (see the module docs).
pub(super) fn check(k: &Knowledge, norm: &Mapped<'_>, input: &str, findings: &mut Vec<Finding>) {
    let t = norm.text.as_str();
    if !k.concepts.may_name_secret(t) {
        return;
    }
    let concept = rules::TEXT_ASKS_FOR_SECRET.id;
    if findings
        .iter()
        .any(|f| k.red_flags.is_phrasing_of(&f.rule, concept))
    {
        return;
    }
    let found = k.concepts.find(t);
    if !found.iter().any(|f| f.concept == Concept::Secret) {
        return;
    }
    let starts = clause_starts(t);
    let clause = |at: usize| starts.partition_point(|&s| s <= at);
    let of = |c: Concept| found.iter().filter(move |f| f.concept == c);
    let secrets = of(Concept::Secret)
        .filter(|s| !of(Concept::OtherCode).any(|o| o.start <= s.start && s.end <= o.end))
        .take(MAX_SECRETS);
    for s in secrets {
        // The bare word "code" is asked for as the verb's object ("send me the code"); before
        // the verb it is mostly a code somebody sent ("the code you sent me").
        let bare_code = is_bare_code(&t[s.start..s.end]);
        let requests = of(Concept::Request).chain(of(Concept::Ask)).filter(|r| {
            clause(r.start) == clause(s.start)
                && r.start.max(s.start).saturating_sub(r.end.min(s.end)) <= MAX_GAP
                && !(bare_code && s.start < r.start)
        });
        for r in requests {
            let c = clause(r.start);
            // Negators written in Latin letters go before the verb they negate; Japanese and
            // Korean ones follow it, and Chinese ones are safe to read anywhere in the clause.
            let negated = of(Concept::Negator).any(|n| {
                clause(n.start) == c && (n.end <= r.start || !t[n.start..n.end].is_ascii())
            });
            if negated || !directed(t, &found, r, s, &starts, c) {
                continue;
            }
            let (start, end) = (r.start.min(s.start), r.end.max(s.end));
            let span = norm.span(start, end);
            findings.push(rules::TEXT_ASKS_FOR_SECRET.finding(
                "The message asks you to hand over a code, password, PIN or recovery phrase. Real companies and officials never ask for them.".into(),
                span.slice(input),
                span,
            ));
            return;
        }
    }
}

/// Whether a secret is only the generic word "code".
fn is_bare_code(secret: &str) -> bool {
    secret.eq_ignore_ascii_case("code") || secret.eq_ignore_ascii_case("codes")
}

/// Whether a request is directed at the sender: a form that is ("send me", 教えて), "me" or
/// "to us" after the verb, Hindi "mujhe" or Japanese 私に before it, or an imperative that
/// opens its clause ("Share your OTP", "请提供验证码") for a secret that is more than the bare
/// word "code".
fn directed(
    t: &str,
    found: &[Found],
    r: &Found,
    s: &Found,
    starts: &[usize],
    clause: usize,
) -> bool {
    if r.concept == Concept::Ask {
        return true;
    }
    let same_clause = |f: &Found| starts.partition_point(|&x| x <= f.start) == clause;
    let after = found.iter().any(|f| {
        f.concept == Concept::ToUs
            && f.start >= r.end
            && f.start <= r.end + TO_US_AFTER
            && same_clause(f)
    });
    let before = found.iter().any(|f| {
        f.concept == Concept::ToUsBefore
            && f.end <= r.start
            && f.end + TO_US_BEFORE >= r.start
            && same_clause(f)
    });
    if after || before {
        return true;
    }
    let clause_start = starts[clause - 1];
    if r.start - clause_start > MAX_LEAD {
        return false;
    }
    let mut lead = t[clause_start..r.start].to_string();
    for p in found
        .iter()
        .filter(|f| f.concept == Concept::Please && f.start >= clause_start && f.end <= r.start)
    {
        lead.replace_range(
            p.start - clause_start..p.end - clause_start,
            &" ".repeat(p.end - p.start),
        );
    }
    let opens_clause = lead.chars().all(|c| !c.is_alphanumeric());
    opens_clause && !is_bare_code(&t[s.start..s.end])
}
