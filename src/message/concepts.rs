//! The concept stage: rules over the concepts the lexicons find (`knowledge::concepts`),
//! in every language the lexicons cover.
//!
//! - The request for a secret: a request and a secret in one clause, in either order,
//!   directed at the sender and not negated in that clause, however it is phrased ("read me
//!   the 6-digit code we just texted you", "请把助记词发给我们", "what's your ATM pin?").
//! - The concept rules of `data/concept_rules.toml`: groups of concepts found together in a
//!   clause, sentence or message.
//!
//! A term that follows a negator or a reported-speech marker of its own language in its
//! clause does not count (anywhere in the clause for scripts that negate after the verb):
//! "never pay with gift cards" is a warning, while "don't tell anyone. Pay with gift cards"
//! is still a demand.

use crate::fold::clause_starts;
use crate::knowledge::concept::Concept;
use crate::knowledge::concept_rules::{ConceptRule, Scope};
use crate::knowledge::concepts::Found;
use crate::knowledge::red_flags::Present;
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
/// How many terms of one group in one unit a rule keeps as candidates.
const MAX_CANDIDATES: usize = 8;

/// How many negators and reported-speech markers of one message are looked at (beyond them
/// nothing is cancelled: the safe side).
const MAX_CANCELS: usize = 64;

/// The concept terms of a message and where its clauses and sentences start.
pub(super) struct Terms<'t> {
    text: &'t str,
    found: Vec<Found>,
    /// Whether each term of `found` counts (no negator or reported speech governs it).
    live: Vec<bool>,
    /// The negators and reported-speech markers (at most `MAX_CANCELS`).
    cancels: Vec<Found>,
    clauses: std::cell::OnceCell<Vec<usize>>,
    /// Clause starts that come from "and" (a negation in front may still govern them).
    and_starts: std::cell::OnceCell<Vec<usize>>,
    sentences: std::cell::OnceCell<Vec<usize>>,
    /// Languages whose reported-speech markers follow what they report.
    postposed: u16,
    /// Where the contrasts ("but", 但是) start, in order: reported speech does not reach
    /// across one.
    contrasts: Vec<usize>,
}

impl<'t> Terms<'t> {
    /// The concept terms of the normalized text `text`, or `None` when it has none that a
    /// rule needs. `lower` is `text` lowercased in place (`fold::lowercase_same_offsets`).
    pub(super) fn find(k: &Knowledge, text: &'t str, lower: &str) -> Option<Terms<'t>> {
        if !k.concepts.may_fire(lower) {
            return None;
        }
        Some(Terms::new(
            text,
            k.concepts.find(lower),
            k.concepts.postposed_languages,
        ))
    }

    fn new(text: &'t str, mut found: Vec<Found>, postposed: u16) -> Terms<'t> {
        let mut masks: Vec<(usize, usize)> = found
            .iter()
            .filter(|f| f.concept == Concept::Mask)
            .map(|f| (f.start, f.end))
            .collect();
        if !masks.is_empty() {
            // Masks by start, with the furthest end of any mask starting at or before each:
            // a term lies inside a mask when one starting at or before it reaches its end.
            masks.sort_unstable();
            let reach: Vec<usize> = masks
                .iter()
                .scan(0, |far, &(_, e)| {
                    *far = (*far).max(e);
                    Some(*far)
                })
                .collect();
            found.retain(|f| {
                let n = masks.partition_point(|&(s, _)| s <= f.start);
                let inside = n > 0 && reach[n - 1] >= f.end;
                f.concept != Concept::Mask && !inside
            });
        }
        let cancels: Vec<Found> = found
            .iter()
            .filter(|f| f.concept.cancels())
            .take(MAX_CANCELS)
            .copied()
            .collect();
        let contrasts: Vec<usize> = found
            .iter()
            .filter(|f| f.concept == Concept::Contrast)
            .map(|f| f.start)
            .collect();
        let mut terms = Terms {
            text,
            contrasts,
            found,
            live: Vec::new(),
            cancels,
            clauses: std::cell::OnceCell::new(),
            and_starts: std::cell::OnceCell::new(),
            sentences: std::cell::OnceCell::new(),
            postposed,
        };
        terms.live = terms
            .found
            .iter()
            .map(|t| t.concept.cancels() || !terms.cancelled(t.start, t.end, t.languages, true))
            .collect();
        terms
    }

    /// Whether a term at `start..end` of these languages is cancelled: a reported-speech
    /// marker governs it (`reports`), or, when `negatable`, a negator does (`governs`).
    /// Phrase-rule matches ask with the phrase rules' languages, and negatable only for the
    /// request rules.
    pub(super) fn cancelled(
        &self,
        start: usize,
        end: usize,
        languages: u16,
        negatable: bool,
    ) -> bool {
        let sentence = self.sentence(start);
        self.cancels.iter().any(|n| {
            n.languages & languages != 0
                && match n.concept {
                    Concept::Reported => self.reports(n, start, sentence),
                    _ => negatable && self.governs(n, start, end),
                }
        })
    }

    /// Whether the reported-speech marker `n` governs a term at `start` of `sentence`: it
    /// comes first in the sentence, or follows in a language that puts it after what it
    /// reports. A contrast between the two ends its reach ("There are many scammers, but
    /// send me the code": the request is the speaker's own).
    fn reports(&self, n: &Found, start: usize, sentence: usize) -> bool {
        if self.sentence(n.start) != sentence {
            return false;
        }
        let between = if n.start <= start {
            n.end..start
        } else if n.languages & self.postposed != 0 && negates_after(&self.text[n.start..n.end]) {
            // A marker followed by a contrast in its sentence is a concession ("詐欺師が多いです
            // が、…"): it reports nothing before it.
            if self
                .next_contrast(n.end)
                .is_some_and(|c| self.sentence(c) == sentence)
            {
                return false;
            }
            start..n.start
        } else {
            return false;
        };
        self.next_contrast(between.start)
            .is_none_or(|c| c >= between.end)
    }

    /// Where the first contrast at or after `from` starts.
    fn next_contrast(&self, from: usize) -> Option<usize> {
        let first = self.contrasts.partition_point(|&c| c < from);
        self.contrasts.get(first).copied()
    }

    /// Whether negator `n` governs the term at `start..end`: in the same clause, before it,
    /// or anywhere but inside it for scripts that may negate after the verb (Chinese,
    /// Japanese, Korean, Devanagari). A negator that does not open its clause also governs
    /// the clauses joined to it by "and" ("we will never call you and ask you to move your
    /// money"); one that opens it does not ("don't worry and send me the code").
    fn governs(&self, n: &Found, start: usize, end: usize) -> bool {
        let (cn, ct) = (self.clause(n.start), self.clause(start));
        if cn == ct {
            return n.end <= start || (negates_after(&self.text[n.start..n.end]) && n.start >= end);
        }
        if cn > ct || self.sentence(n.start) != self.sentence(start) {
            return false;
        }
        let opens = self.text[self.clauses()[cn - 1]..n.start]
            .chars()
            .all(|c| !c.is_alphanumeric());
        !opens
            && (cn + 1..=ct).all(|c| {
                self.and_starts()
                    .binary_search(&self.clauses()[c - 1])
                    .is_ok()
            })
    }

    /// Whether `a` and `b` are in one clause, or `b` is in a clause joined to `a`'s by "and"
    /// ("what's your user id and password").
    fn joined(&self, a: usize, b: usize) -> bool {
        let (ca, cb) = (self.clause(a), self.clause(b));
        ca == cb
            || (ca < cb
                && self.sentence(a) == self.sentence(b)
                && (ca + 1..=cb).all(|c| {
                    self.and_starts()
                        .binary_search(&self.clauses()[c - 1])
                        .is_ok()
                }))
    }

    /// Where the clauses start, computed on first use (a message whose rules need no
    /// clause never pays for it).
    fn clauses(&self) -> &[usize] {
        self.clauses.get_or_init(|| clause_starts(self.text))
    }

    /// Clause starts that come from " and ", computed on first use.
    fn and_starts(&self) -> &[usize] {
        self.and_starts.get_or_init(|| {
            let lower = self.text.to_ascii_lowercase();
            lower.match_indices(" and ").map(|(i, _)| i + 5).collect()
        })
    }

    fn clause(&self, at: usize) -> usize {
        self.clauses().partition_point(|&s| s <= at)
    }

    /// The live terms (no negator or reported speech governs them): offset and concept.
    pub(super) fn live_terms(&self) -> impl Iterator<Item = (usize, Concept)> + '_ {
        self.found
            .iter()
            .zip(&self.live)
            .filter(|(_, &live)| live)
            .map(|(t, _)| (t.start, t.concept))
    }

    /// Whether a live term of `concept` lies in the sentence that holds `at`.
    pub(super) fn in_sentence(&self, concept: Concept, at: usize) -> bool {
        let sentence = self.sentence(at);
        self.found
            .iter()
            .zip(&self.live)
            .any(|(t, &live)| live && t.concept == concept && self.sentence(t.start) == sentence)
    }

    /// Whether a live call to action ("call", "contact", 拨打) ends shortly before `at`, in
    /// its sentence.
    pub(super) fn prompts_number_at(&self, at: usize) -> bool {
        self.live_of(Concept::ContactPrompt).any(|f| {
            f.end <= at && at - f.end <= PROMPT_REACH && self.sentence(f.start) == self.sentence(at)
        })
    }

    fn sentence(&self, at: usize) -> usize {
        self.sentences
            .get_or_init(|| sentence_starts(self.text))
            .partition_point(|&s| s <= at)
    }

    fn unit(&self, scope: Scope, at: usize) -> usize {
        match scope {
            Scope::Clause => self.clause(at),
            Scope::Sentence => self.sentence(at),
            Scope::Message => 0,
        }
    }

    fn of(&self, c: Concept) -> impl Iterator<Item = &Found> {
        self.found.iter().filter(move |f| f.concept == c)
    }

    fn live_of(&self, c: Concept) -> impl Iterator<Item = &Found> {
        self.found
            .iter()
            .zip(&self.live)
            .filter(move |(f, live)| **live && f.concept == c)
            .map(|(f, _)| f)
    }
}

/// Whether a negator or reported-speech marker is written in a script whose languages may
/// put it after the words it governs (Chinese, Japanese, Korean, Devanagari); "não" or
/// "jamás" are not.
fn negates_after(marker: &str) -> bool {
    marker
        .chars()
        .any(|c| crate::fold::is_east_asian(c) || crate::fold::is_devanagari(c))
}

/// The byte offsets where sentences start (after . ! ? or a line break, their CJK forms and
/// the Devanagari danda; a dot inside a word or number, as in "paypal.com" or "5.00", ends nothing).
fn sentence_starts(t: &str) -> Vec<usize> {
    let mut starts = vec![0];
    for (i, c) in t.char_indices() {
        let ends = match c {
            '.' => !t[i + 1..].chars().next().is_some_and(char::is_alphanumeric),
            '\n' => !crate::fold::is_soft_break(t, i),
            '!' | '?' | '。' | '！' | '？' | '।' | '॥' => true,
            _ => false,
        };
        if ends {
            starts.push(i + c.len_utf8());
        }
    }
    starts
}

/// Adds the findings of the concept stage (see the module docs).
pub(super) fn check(
    k: &Knowledge,
    terms: Option<&Terms<'_>>,
    norm: &Mapped<'_>,
    input: &str,
    present: Present,
    findings: &mut Vec<Finding>,
) {
    let Some(terms) = terms else {
        return;
    };
    asks_for_secret(k, terms, norm, input, findings);
    for rule in &k.concepts.rules {
        if findings.iter().any(|f| f.rule == rule.rule.id) || !required(rule, present, terms) {
            continue;
        }
        if let Some((start, end)) = first_match(terms, rule) {
            let span = norm.span(start, end);
            findings.push(rule.rule.finding(
                rule.rule.summary.to_string(),
                span.slice(input),
                span,
            ));
        }
    }
}

/// Whether the message has what the rule requires besides words. A digit run of phone
/// length that no known region reads (a bare `9876543210` with no country cue) counts as a
/// phone when a call to action stands right before it: "call 09066368470", "contact our
/// officer 9876543210" give a number to call, whatever its country.
fn required(rule: &ConceptRule, present: Present, terms: &Terms<'_>) -> bool {
    let prompted = || {
        present
            .unplaced_phones
            .iter()
            .flatten()
            .any(|&at| terms.prompts_number_at(at))
    };
    present.satisfies(rule.requires, prompted)
}

/// How far (in bytes of normalized text) a call to action may stand before the number it
/// gives: "contact our electricity officer 9876543210".
const PROMPT_REACH: usize = 40;

/// The first unit (clause, sentence or message) in which every group of `rule` has its
/// terms, each group a different term; the span covers the terms chosen. The live terms
/// are sorted into units once, so the work stays linear in the terms of the message.
fn first_match(terms: &Terms<'_>, rule: &ConceptRule) -> Option<(usize, usize)> {
    // (unit, group, term) for every live term of a concept some group needs.
    let mut entries: Vec<(usize, usize, &Found)> = Vec::new();
    for (f, &live) in terms.found.iter().zip(&terms.live) {
        if !live {
            continue;
        }
        for (gi, g) in rule.groups.iter().enumerate() {
            if g.concepts.contains(&f.concept) {
                entries.push((terms.unit(rule.scope, f.start), gi, f));
            }
        }
    }
    entries.sort_by_key(|&(unit, gi, f)| (unit, gi, f.start, f.end));
    for unit_entries in entries.chunk_by(|a, b| a.0 == b.0) {
        let mut candidates: Vec<Vec<&Found>> = vec![Vec::new(); rule.groups.len()];
        for &(_, gi, f) in unit_entries {
            candidates[gi].push(f);
        }
        let enough = rule.groups.iter().zip(&candidates).all(|(g, c)| {
            let mut texts: Vec<&str> = c.iter().map(|f| &terms.text[f.start..f.end]).collect();
            texts.sort_unstable();
            texts.dedup();
            texts.len() >= g.min_terms
        });
        if !enough {
            continue;
        }
        let mut chosen = Vec::with_capacity(candidates.len());
        if choose(&candidates, &mut chosen, u16::MAX) {
            let start = chosen.iter().map(|f| f.start).min()?;
            let end = chosen.iter().map(|f| f.end).max()?;
            return Some((start, end));
        }
    }
    None
}

/// Picks one term per group, no term twice, all of one language at least (a Portuguese
/// word that is also an English one does not pair with the English words around it).
/// Bounded backtracking over the first `MAX_CANDIDATES` terms of each group.
fn choose<'f>(candidates: &[Vec<&'f Found>], chosen: &mut Vec<&'f Found>, languages: u16) -> bool {
    let Some((group, rest)) = candidates.split_first() else {
        return true;
    };
    for &f in group.iter().take(MAX_CANDIDATES) {
        let common = languages & f.languages;
        if common == 0 || chosen.iter().any(|c| c.start == f.start && c.end == f.end) {
            continue;
        }
        chosen.push(f);
        if choose(rest, chosen, common) {
            return true;
        }
        chosen.pop();
    }
    false
}

/// Adds `text.asks_for_secret` when the message asks for a secret.
fn asks_for_secret(
    k: &Knowledge,
    terms: &Terms<'_>,
    norm: &Mapped<'_>,
    input: &str,
    findings: &mut Vec<Finding>,
) {
    let concept = rules::TEXT_ASKS_FOR_SECRET.id;
    if findings
        .iter()
        .any(|f| k.red_flags.is_phrasing_of(&f.rule, concept))
    {
        return;
    }
    let t = terms.text;
    let found = &terms.found;
    for s in live_secrets(terms) {
        // The bare word "code" is asked for as the verb's object ("send me the code"); before
        // the verb it is mostly a code somebody sent ("the code you sent me").
        let bare_code = is_bare_code(&t[s.start..s.end]);
        let requests = terms
            .live_of(Concept::Request)
            .chain(terms.live_of(Concept::Ask))
            .filter(|r| {
                r.languages & s.languages != 0
                    && terms.joined(r.start, s.start)
                    && r.start.max(s.start).saturating_sub(r.end.min(s.end)) <= MAX_GAP
                    && !(bare_code && s.start < r.start)
            });
        for r in requests {
            let c = terms.clause(r.start);
            if !directed(t, found, r, s, terms.clauses(), c) {
                continue;
            }
            push_secret_ask(norm, input, r, s, findings);
            return;
        }
    }
    // A request whose object is a pronoun standing for a secret named just before, in its
    // sentence or the two before it: "Your verification code was sent to you by mistake.
    // Sorry! Please forward it to me", "验证码发错了，麻烦把它发给我".
    for s in live_secrets(terms) {
        let requests = terms
            .live_of(Concept::Request)
            .chain(terms.live_of(Concept::Ask))
            .filter(|r| {
                r.languages & s.languages != 0
                    && r.start >= s.end
                    && r.start - s.end <= MAX_PRONOUN_GAP
                    && terms.sentence(r.start) - terms.sentence(s.start) <= PRONOUN_SENTENCES
                    && terms.live_of(Concept::Pronoun).any(|p| {
                        p.languages & r.languages != 0
                            && p.start >= s.end
                            && p.end + PRONOUN_BEFORE >= r.start
                            && p.start <= r.end + PRONOUN_AFTER
                    })
            });
        for r in requests {
            let c = terms.clause(r.start);
            if directed(t, found, r, s, terms.clauses(), c) {
                push_secret_ask(norm, input, r, s, findings);
                return;
            }
        }
    }
}

/// The live secrets of a message that are not part of a code that is no secret (a promo
/// code), at most `MAX_SECRETS`.
fn live_secrets<'a>(terms: &'a Terms<'_>) -> impl Iterator<Item = &'a Found> + 'a {
    terms
        .live_of(Concept::Secret)
        .filter(|s| {
            !terms
                .of(Concept::OtherCode)
                .any(|o| o.start <= s.start && s.end <= o.end)
        })
        .take(MAX_SECRETS)
}

/// How far (bytes) a request may follow the secret its pronoun stands for, and by how
/// many sentence ends.
const MAX_PRONOUN_GAP: usize = 100;
const PRONOUN_SENTENCES: usize = 2;
/// How close a pronoun object stands before its verb (Chinese 把它发给我) or after it
/// ("forward it"), in bytes; one inside the request's own words ("send it to me") counts.
const PRONOUN_BEFORE: usize = 3;
const PRONOUN_AFTER: usize = 2;

/// Adds `text.asks_for_secret` for the request `r` and the secret `s`.
fn push_secret_ask(
    norm: &Mapped<'_>,
    input: &str,
    r: &Found,
    s: &Found,
    findings: &mut Vec<Finding>,
) {
    let (start, end) = (r.start.min(s.start), r.end.max(s.end));
    let span = norm.span(start, end);
    findings.push(rules::TEXT_ASKS_FOR_SECRET.finding(
        "The message asks you to hand over a code, password, PIN or recovery phrase. Real companies and officials never ask for them.".into(),
        span.slice(input),
        span,
    ));
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
    for p in found.iter().filter(|f| {
        matches!(f.concept, Concept::Please | Concept::Contrast)
            && f.start >= clause_start
            && f.end <= r.start
    }) {
        lead.replace_range(
            p.start - clause_start..p.end - clause_start,
            &" ".repeat(p.end - p.start),
        );
    }
    let opens_clause = lead.chars().all(|c| !c.is_alphanumeric()) || purpose_lead(&lead);
    opens_clause && !is_bare_code(&t[s.start..s.end])
}

/// Whether the words before an imperative are only an English purpose phrase with no
/// subject ("To continue using it send the code", "In order to verify share the OTP"): the
/// verb still opens its clause, comma or not. "To verify it we will send a code" has a
/// subject and is no imperative.
fn purpose_lead(lead: &str) -> bool {
    const SUBJECTS: [&str; 12] = [
        "i", "we", "you", "they", "he", "she", "will", "would", "can", "may", "shall", "must",
    ];
    let lead = lead.trim();
    let rest = ["to ", "in order to "].iter().find_map(|p| {
        lead.get(..p.len())
            .filter(|head| head.eq_ignore_ascii_case(p))
            .map(|_| &lead[p.len()..])
    });
    let Some(rest) = rest else {
        return false;
    };
    let mut words = 0;
    for w in rest.split(|c: char| c.is_whitespace() || c == ',') {
        if w.is_empty() {
            continue;
        }
        words += 1;
        let plain = w
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '\'');
        let head = w.split('\'').next().unwrap_or(w);
        if words > 6 || !plain || SUBJECTS.iter().any(|s| head.eq_ignore_ascii_case(s)) {
            return false;
        }
    }
    words > 0
}
