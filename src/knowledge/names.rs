//! Finding brand names in a message: every alias (English, Simplified and Traditional
//! Chinese) in one Aho-Corasick automaton, plus look-alike spellings (`PayPaI`, `Amaz0n`,
//! Cyrillic `РayPal`) through confusable folding.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;

use crate::allowlist::Brand;
use crate::error::{LoadError, LoadErrorKind};
use crate::fold::{confusable_fold, is_han_or_kana, lowercase_same_offsets};

/// The most brand mentions reported per message.
const MAX_MENTIONS: usize = 32;
/// How far (bytes) from an ambiguous alias a brand cue must be.
const CUE_DISTANCE: usize = 40;

/// Words that make a nearby brand name a claim to speak for the brand.
const CLAIM_CUES: &str = r"(?i)(?-u:\b)(?:customer (?:service|support|care)|support|help ?desk|help ?line|hotline|service (?:team|center|centre|desk)|official|security (?:team|department|alert)|fraud (?:team|department|alert|prevention)|account (?:team|services)|team|agent|representative)(?-u:\b)|客服|官方|热线|熱線|服务中心|服務中心|客户服务|客戶服務|工作人员|工作人員|专员|專員|售后|售後";
/// Words that make an ambiguous brand alias ("Apple", "Wise") count as the brand.
const BRAND_CUES: &str = r"(?i)(?-u:\b)(?:support|service|account|id|app|store|pay|customer|team|card|wallet|order|prime|icloud|login|password)(?-u:\b)|客服|账户|帳戶|账号|帳號|官方|支付|订单|訂單";

/// How a brand was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MentionKind {
    /// Written as one of its aliases.
    Alias,
    /// Written with look-alike characters (`PayPaI`, `Amaz0n`).
    Lookalike,
    /// Spelled out with spaces between the letters (`P a y P a l`).
    Spaced,
}

/// A brand named in the normalized text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mention {
    /// Index into the allowlist's brands.
    pub brand: usize,
    pub start: usize,
    pub end: usize,
    pub kind: MentionKind,
}

#[derive(Debug)]
struct Pattern {
    brand: usize,
    /// As written in the data: ambiguous aliases must match with this exact case.
    written: String,
    ascii: bool,
    ambiguous: bool,
}

/// The brand-name index, built once per detector.
#[derive(Debug)]
pub(crate) struct NameIndex {
    /// A DFA over every alias, built on first use: one table lookup per byte instead of an
    /// NFA's failure links, for ~2 ms and ~1 MB that a detector checking no message never pays.
    automaton: OnceLock<Option<AhoCorasick>>,
    patterns: Vec<Pattern>,
    /// Confusable-folded alias (5+ letters, not ambiguous) → brand index.
    folded: HashMap<String, usize>,
    /// Words that make a nearby brand name a claim to speak for the brand.
    pub(crate) claim_cue: Regex,
    /// Words that make an ambiguous brand alias ("Apple", "Wise") count as the brand.
    pub(crate) brand_cue: Regex,
}

fn cue(what: &str, pattern: &str) -> Result<Regex, LoadError> {
    Regex::new(pattern).map_err(|e| {
        LoadError::new(
            "src/knowledge/names.rs",
            0,
            LoadErrorKind::Syntax,
            format!("{what}: {e}"),
        )
    })
}

/// Whether a word looks like a disguised spelling rather than a plain word: letters of
/// another script mixed with Latin, digits inside letters, or a capital I among lowercase.
fn suspicious_word(word: &str) -> bool {
    let has_latin = word.chars().any(|c| c.is_ascii_alphabetic());
    let has_other_letter = word.chars().any(|c| c.is_alphabetic() && !c.is_ascii());
    let has_digit = word.chars().any(|c| c.is_ascii_digit());
    let inner_capital_i = word.char_indices().skip(1).any(|(_, c)| c == 'I')
        && word.chars().any(|c| c.is_ascii_lowercase());
    (has_latin && (has_other_letter || has_digit)) || inner_capital_i
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

impl NameIndex {
    pub(crate) fn new(brands: &[Brand]) -> Result<NameIndex, LoadError> {
        let mut patterns = Vec::new();
        let mut folded = HashMap::new();
        for (i, b) in brands.iter().enumerate() {
            let mut add = |text: &str, ambiguous: bool| {
                let lower = text.to_lowercase();
                if lower.chars().count() < 2
                    || patterns
                        .iter()
                        .any(|p: &Pattern| p.brand == i && p.written.to_lowercase() == lower)
                {
                    return;
                }
                patterns.push(Pattern {
                    brand: i,
                    written: text.to_string(),
                    ascii: text.is_ascii(),
                    ambiguous,
                });
            };
            for (_, alias) in b.aliases() {
                let ambiguous = b.ambiguous_aliases().any(|a| a == alias);
                add(alias, ambiguous);
                if alias.is_ascii() && alias.contains(' ') {
                    add(&alias.replace(' ', ""), ambiguous);
                    add(&alias.replace(' ', "-"), ambiguous);
                }
                let key: String = alias.split_whitespace().collect();
                if !ambiguous && key.is_ascii() && key.len() >= 5 {
                    folded.entry(confusable_fold(&key)).or_insert(i);
                    // Written apart with symbols, a hyphen in the name is one more symbol
                    // (`T---Mobile`).
                    let letters: String = key.chars().filter(char::is_ascii_alphanumeric).collect();
                    if letters.len() >= 5 {
                        folded.entry(confusable_fold(&letters)).or_insert(i);
                    }
                }
            }
        }
        Ok(NameIndex {
            automaton: OnceLock::new(),
            patterns,
            folded,
            claim_cue: cue("claim cues", CLAIM_CUES)?,
            brand_cue: cue("brand cues", BRAND_CUES)?,
        })
    }

    /// The disguise-folded brand names (5+ letters, not ambiguous).
    pub(crate) fn folded_names(&self) -> impl Iterator<Item = &str> {
        self.folded.keys().map(String::as_str)
    }

    /// Whether a word is a brand name in disguise-folded form (`PayPal`, `P4yPal`).
    pub(crate) fn is_brand_word(&self, word: &str) -> bool {
        self.folded.contains_key(&confusable_fold(word))
    }

    /// The alias automaton (built on first use; `None` only if it exceeds the automaton's
    /// limits, which the test suite rules out for the embedded brands).
    pub(crate) fn automaton(&self) -> Option<&AhoCorasick> {
        self.automaton
            .get_or_init(|| {
                AhoCorasickBuilder::new()
                    .kind(Some(AhoCorasickKind::DFA))
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(
                        self.patterns.iter().map(|p| {
                            lowercase_same_offsets(&p.written.to_lowercase()).into_owned()
                        }),
                    )
                    .ok()
            })
            .as_ref()
    }

    /// Whether a brand alias in `text` covers the byte range `start..end`.
    pub(crate) fn covers(&self, text: &str, start: usize, end: usize) -> bool {
        self.automaton().is_some_and(|ac| {
            ac.find_iter(lowercase_same_offsets(text).as_ref())
                .any(|m| m.start() <= start && end <= m.end())
        })
    }

    /// Every brand named in `text` (normalized), in order. `lower` is `text` as
    /// [`lowercase_same_offsets`] gives it; `cue` says whether a brand cue ("support",
    /// "客服", …) is near a byte range.
    pub(crate) fn find(
        &self,
        text: &str,
        lower: &str,
        cue: impl Fn(usize, usize) -> bool,
    ) -> Vec<Mention> {
        let mut out = Vec::new();
        let bytes = text.as_bytes();
        if let Some(ac) = self.automaton() {
            // The automaton matches lowercase patterns in the text lowercased in place.
            for m in ac.find_iter(lower) {
                if out.len() >= MAX_MENTIONS {
                    break;
                }
                let p = &self.patterns[m.pattern().as_usize()];
                if p.ascii {
                    let before = m.start().checked_sub(1).map(|i| bytes[i]);
                    let after = bytes.get(m.end()).copied();
                    if before.is_some_and(is_word_byte) || after.is_some_and(is_word_byte) {
                        continue;
                    }
                }
                if p.ambiguous {
                    let exact = text[m.start()..m.end()] == p.written;
                    if !exact
                        || !cue(
                            m.start().saturating_sub(CUE_DISTANCE),
                            (m.end() + CUE_DISTANCE).min(text.len()),
                        )
                    {
                        continue;
                    }
                }
                out.push(Mention {
                    brand: p.brand,
                    start: m.start(),
                    end: m.end(),
                    kind: MentionKind::Alias,
                });
            }
        }
        if !self.folded.is_empty() {
            self.find_disguised(text, &mut out);
        }
        out.sort_by_key(|m| m.start);
        out
    }

    /// Look-alike and spaced-out spellings, in one pass over the words of `text` (runs of
    /// letters, digits and the symbols used as letters) without allocating for plain words.
    fn find_disguised(&self, text: &str, out: &mut Vec<Mention>) {
        // ASCII text (most messages) is read byte by byte, without decoding characters.
        let end = std::iter::once((text.len(), ' '));
        if text.is_ascii() {
            let chars = text.bytes().enumerate().map(|(i, b)| (i, char::from(b)));
            self.disguised_in(text, chars.chain(end), out);
        } else {
            self.disguised_in(text, text.char_indices().chain(end), out);
        }
    }

    /// [`NameIndex::find_disguised`] over the characters `chars` of `text` (with their byte
    /// offsets), ending with a space at the end of the text.
    fn disguised_in(
        &self,
        text: &str,
        chars: impl Iterator<Item = (usize, char)>,
        out: &mut Vec<Mention>,
    ) {
        let is_part = |c: char| {
            if c.is_ascii() {
                c.is_ascii_alphanumeric() || matches!(c, '|' | '@' | '$')
            } else {
                c.is_alphanumeric() && !is_han_or_kana(c)
            }
        };
        // The current run of single letters separated by single spaces: (first start, last
        // end, count).
        let mut spaced: Option<(usize, usize, usize)> = None;
        let mut start = None;
        // The word before, for names split by symbols (`CO/STCO`, `Net.flix`, `T---Mobile`).
        let mut prev: Option<(usize, usize)> = None;
        for (i, c) in chars {
            if out.len() >= MAX_MENTIONS {
                return;
            }
            match (start, is_part(c)) {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    start = None;
                    if let Some((ps, pe)) = prev.replace((s, i)) {
                        // Most words are not a split name's second half: one to three
                        // symbols after the word before, five to 24 bytes in all.
                        if (1..=3).contains(&(s - pe))
                            && (5..=24).contains(&(i - ps))
                            && is_split_symbol(char::from(text.as_bytes()[pe]))
                        {
                            self.split(text, ps, pe, s, i, out);
                        }
                    }
                    let word = &text[s..i];
                    if i == s + 1 && word.as_bytes()[0].is_ascii_alphabetic() {
                        spaced = match spaced {
                            Some((first, last, n)) if last + 1 == s => Some((first, i, n + 1)),
                            _ => {
                                self.spaced(text, spaced, out);
                                Some((s, i, 1))
                            }
                        };
                        continue;
                    }
                    if spaced.is_some() {
                        self.spaced(text, spaced.take(), out);
                    }
                    // A look-alike has five characters or more (so five bytes or more).
                    if i - s >= 5 {
                        self.lookalike(word, s, i, out);
                    }
                }
                _ => {}
            }
        }
        self.spaced(text, spaced, out);
    }

    /// A look-alike spelling of a brand name (`PayPaI`, `Amaz0n`) at `s..e`.
    fn lookalike(&self, word: &str, s: usize, e: usize, out: &mut Vec<Mention>) {
        // A word of lowercase ASCII letters is never suspicious (most words): skip the checks.
        if word.len() < 5
            || word.bytes().all(|b| b.is_ascii_lowercase())
            || !suspicious_word(word)
            || !(5..=24).contains(&word.chars().count())
        {
            return;
        }
        if let Some(&brand) = self.folded.get(&confusable_fold(word)) {
            if !out.iter().any(|m| m.start <= s && e <= m.end) {
                out.push(Mention {
                    brand,
                    start: s,
                    end: e,
                    kind: MentionKind::Lookalike,
                });
            }
        }
    }

    /// A brand name split in two by symbols (`CO/STCO`, `Net.flix`, `T---Mobile`): the words
    /// at `ps..pe` and `s..e` with one to three of `/ . - _ * ~ +` and nothing else between.
    /// Like the look-alike spellings, only unambiguous aliases are read this way (`AM/AZON` is
    /// not: Amazon also names a river).
    fn split(&self, text: &str, ps: usize, pe: usize, s: usize, e: usize, out: &mut Vec<Mention>) {
        let gap = &text[pe..s];
        if gap.is_empty()
            || gap.len() > 3
            || !gap.chars().all(is_split_symbol)
            || !(5..=24).contains(&(e - ps))
            || out.len() >= MAX_MENTIONS
            || out.iter().any(|m| m.start < e && ps < m.end)
        {
            return;
        }
        let joined: String = text[ps..e]
            .chars()
            .filter(|&c| !is_split_symbol(c))
            .collect();
        if let Some(&brand) = self.folded.get(&confusable_fold(&joined)) {
            out.push(Mention {
                brand,
                start: ps,
                end: e,
                kind: MentionKind::Spaced,
            });
        }
    }

    /// A brand spelled out with spaces (`P a y P a l`): four or more single letters.
    fn spaced(&self, text: &str, run: Option<(usize, usize, usize)>, out: &mut Vec<Mention>) {
        let Some((first, last, n)) = run else { return };
        if n < 4 || out.len() >= MAX_MENTIONS {
            return;
        }
        // Single letters separated by one byte each (a space, a dot, a dash…).
        let joined: String = text[first..last]
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect();
        if let Some(&brand) = self.folded.get(&confusable_fold(&joined)) {
            out.push(Mention {
                brand,
                start: first,
                end: last,
                kind: MentionKind::Spaced,
            });
        }
    }
}

/// The symbols that split a brand name in two (`CO/STCO`, `Net.flix`, `T---Mobile`).
fn is_split_symbol(c: char) -> bool {
    matches!(c, '/' | '.' | '-' | '_' | '*' | '~' | '+')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alias_automaton_builds_for_the_embedded_brands() {
        let knowledge = crate::knowledge::Knowledge::embedded();
        assert!(knowledge.names.automaton().is_some());
    }

    #[test]
    fn folding() {
        assert!(suspicious_word("PayPaI"));
        assert!(suspicious_word("paypa1"));
        assert!(!suspicious_word("PayPal"));
        assert!(!suspicious_word("Iceland"));
    }
}
