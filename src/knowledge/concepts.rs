//! The concept lexicons (`data/lexicon/<language>.toml`) compiled into one Aho-Corasick
//! automaton: one pass over a message finds every term of every language, and says which
//! concept each belongs to. Rules work on those positions, not on phrasings.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use crate::error::{LoadError, LoadErrorKind};
use crate::fold::{confusable_fold, is_latin_letter};
use crate::knowledge::concept::Concept;
use crate::knowledge::concept_rules::{self, ConceptRule};

/// The embedded lexicons: file name and text.
const LEXICONS: [(&str, &str); 11] = [
    (
        "data/lexicon/en.toml",
        include_str!("../../data/lexicon/en.toml"),
    ),
    (
        "data/lexicon/zh.toml",
        include_str!("../../data/lexicon/zh.toml"),
    ),
    (
        "data/lexicon/es.toml",
        include_str!("../../data/lexicon/es.toml"),
    ),
    (
        "data/lexicon/pt.toml",
        include_str!("../../data/lexicon/pt.toml"),
    ),
    (
        "data/lexicon/hi-Latn.toml",
        include_str!("../../data/lexicon/hi-Latn.toml"),
    ),
    (
        "data/lexicon/ja.toml",
        include_str!("../../data/lexicon/ja.toml"),
    ),
    (
        "data/lexicon/ko.toml",
        include_str!("../../data/lexicon/ko.toml"),
    ),
    (
        "data/lexicon/id.toml",
        include_str!("../../data/lexicon/id.toml"),
    ),
    (
        "data/lexicon/fr.toml",
        include_str!("../../data/lexicon/fr.toml"),
    ),
    (
        "data/lexicon/de.toml",
        include_str!("../../data/lexicon/de.toml"),
    ),
    (
        "data/lexicon/hi-Deva.toml",
        include_str!("../../data/lexicon/hi-Deva.toml"),
    ),
];

#[derive(Debug, Deserialize)]
struct LexiconFile {
    language: String,
    #[allow(dead_code)] // documentation for reviewers
    sources: Vec<String>,
    concepts: std::collections::BTreeMap<String, Vec<String>>,
}

/// The most concept terms taken from one message (a message that repeats terms stays
/// linear to check).
const MAX_FOUND: usize = 4096;

/// One term of a lexicon.
#[derive(Debug, Clone, Copy)]
struct Term {
    concept: Concept,
    /// Whether the term must start at a word start (it starts with an ASCII letter or digit).
    word_start: bool,
    /// Whether the term must end at a word end (it ends with an ASCII letter or digit and has
    /// no trailing `*`).
    word_end: bool,
    /// The lexicons the term is in (bit `i` for `LEXICONS[i]`).
    languages: u16,
    /// A Japanese term written in kanji alone: it counts only in text with kana, so that
    /// Japanese words do not fire on Chinese text written with the same characters.
    needs_kana: bool,
}

/// Whether `c` is hiragana or katakana.
fn is_kana(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}' | '\u{ff66}'..='\u{ff9d}')
}

/// A concept term found in a message (byte offsets in the text searched).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub concept: Concept,
    pub start: usize,
    pub end: usize,
    /// The lexicons the term is in (a negator only cancels terms of its own languages).
    pub languages: u16,
}

impl ConceptIndex {
    /// Whether `word` (lowercase) is a word of a channel-switch term of some lexicon
    /// ("whatsapp" in "on whatsapp").
    pub(crate) fn is_channel_word(&self, word: &str) -> bool {
        self.patterns.iter().zip(&self.terms).any(|(p, t)| {
            matches!(t.concept, Concept::ChannelSwitch | Concept::RemoteTool)
                && p.split(|c: char| !c.is_alphanumeric()).any(|w| w == word)
        })
    }
}

/// The compiled lexicons.
#[derive(Debug)]
pub(crate) struct ConceptIndex {
    patterns: Vec<String>,
    terms: Vec<Term>,
    /// An automaton over every term, built on first use (or by `warm_up`): a detector that
    /// checks no message never pays for it. A contiguous NFA, not a DFA: it only reads the
    /// messages the anchors let through, and a DFA over every term of every language costs
    /// twice the memory (about 80 MB more) and a third more start-up time.
    automaton: OnceLock<Option<AhoCorasick>>,
    /// The terms a rule cannot fire without (secrets, and the concepts of each concept
    /// rule's first group): one quick look spares most messages the full overlapping pass.
    anchors: OnceLock<Option<Anchors>>,
    /// The concept rules (`data/concept_rules.toml`).
    pub(crate) rules: Vec<ConceptRule>,
    /// The words of four letters or more of the Latin-letter terms (lowercase), and the
    /// stems of five letters or more (terms written with a trailing `*`): the words the
    /// normalizer reads back from disguised text (`knowledge::vocabulary::Vocabulary`). Built
    /// once per process with the lexicons.
    pub(crate) words: HashSet<String>,
    pub(crate) stems: HashSet<String>,
    /// The lexicon words by their disguise fold (`fold::confusable_fold`), so that a
    /// detector finds the words that are brand names without folding every word.
    pub(crate) words_by_fold: HashMap<String, Vec<String>>,
    /// The language bits of English and Chinese, the languages of the phrase rules.
    pub(crate) phrase_languages: u16,
    /// The language bits of languages whose reported-speech markers follow what they report
    /// (Japanese 「…」と言われたら, Korean …라고 하면, Hindi): such a marker cancels the terms of
    /// its whole sentence.
    pub(crate) postposed_languages: u16,
}

/// The anchor terms, split by alphabet: a DFA over the ASCII terms, read in every message
/// (one table lookup per byte), and a contiguous NFA over the others, read only in text
/// that is not ASCII. One DFA over the terms of every script took 0.85 G instructions to
/// build; the ASCII one takes a quarter of that and reads ASCII messages as fast.
#[derive(Debug)]
struct Anchors {
    ascii: AnchorSet,
    other: AnchorSet,
}

/// The most bytes of a term the anchor automata hold: where a term can start is told by its
/// first few bytes, and the rest is compared where they occur. The automata stay a fraction
/// of the size (a DFA over the whole terms took 373 M instructions to build).
const ANCHOR_PREFIX_BYTES: usize = 6;

/// One automaton over the first bytes of anchor terms, with the terms each prefix begins.
#[derive(Debug)]
struct AnchorSet {
    automaton: AhoCorasick,
    /// Per prefix: the rest of each term it begins, and the term.
    rests: Vec<Vec<(Box<[u8]>, Term)>>,
}

impl AnchorSet {
    fn build(pairs: Vec<(&str, Term)>, kind: AhoCorasickKind) -> Option<AnchorSet> {
        let mut by_prefix: HashMap<&str, usize> = HashMap::new();
        let mut prefixes: Vec<&str> = Vec::new();
        let mut rests: Vec<Vec<(Box<[u8]>, Term)>> = Vec::new();
        for (pattern, term) in pairs {
            let cut = crate::fold::floor_boundary(pattern, ANCHOR_PREFIX_BYTES);
            // A term that starts with one character longer than the limit is its own prefix.
            let cut = if cut == 0 { pattern.len() } else { cut };
            let (prefix, rest) = pattern.split_at(cut);
            let i = *by_prefix.entry(prefix).or_insert_with(|| {
                prefixes.push(prefix);
                rests.push(Vec::new());
                prefixes.len() - 1
            });
            rests[i].push((rest.as_bytes().into(), term));
        }
        let automaton = AhoCorasickBuilder::new()
            .kind(Some(kind))
            .build(prefixes)
            .ok()?;
        Some(AnchorSet { automaton, rests })
    }

    /// Whether `text` (lowercased) holds one of the terms as the whole word it must be.
    fn found_in(&self, text: &str) -> bool {
        // A quick look first: most messages hold no anchor term even inside a word.
        if self.rests.is_empty() || !self.automaton.is_match(text) {
            return false;
        }
        let bytes = text.as_bytes();
        self.automaton.find_overlapping_iter(text).any(|m| {
            self.rests[m.pattern().as_usize()]
                .iter()
                .any(|(rest, term)| {
                    let end = m.end() + rest.len();
                    bytes.get(m.end()..end) == Some(&rest[..]) && fits(term, text, m.start(), end)
                })
        })
    }
}

/// Whether a match of `term` at `s..e` of `text` stands on word boundaries where the term
/// needs them. A letter with an accent continues a word as an ASCII one does: "installe" is
/// not the start of "installé", nor "so" of "só".
fn fits(term: &Term, text: &str, s: usize, e: usize) -> bool {
    let bad_start = term.word_start
        && text
            .get(..s)
            .and_then(|t| t.chars().next_back())
            .is_some_and(is_word_char);
    let bad_end = term.word_end
        && text
            .get(e..)
            .and_then(|t| t.chars().next())
            .is_some_and(is_word_char);
    !bad_start && !bad_end
}

/// A character a Latin-letter word is made of.
fn is_word_char(c: char) -> bool {
    c.is_ascii_digit() || is_latin_letter(c)
}

/// The words by their disguise fold.
fn words_by_fold(words: &HashSet<String>) -> HashMap<String, Vec<String>> {
    let mut by_fold: HashMap<String, Vec<String>> = HashMap::new();
    for w in words {
        by_fold
            .entry(confusable_fold(w))
            .or_default()
            .push(w.clone());
    }
    by_fold
}

impl ConceptIndex {
    /// Parses and compiles the embedded lexicons.
    pub(crate) fn embedded() -> Result<ConceptIndex, LoadError> {
        let mut patterns: Vec<String> = Vec::new();
        let mut terms: Vec<Term> = Vec::new();
        // A term several lexicons share is one pattern that knows all their languages.
        let mut seen: std::collections::HashMap<(String, Concept, bool), usize> =
            std::collections::HashMap::new();
        let mut phrase_languages = 0;
        let mut stems = Vec::new();
        let mut words: HashSet<String> = HashSet::new();
        let mut postposed_languages = 0;
        for (language, (file, text)) in LEXICONS.iter().enumerate() {
            let parsed: LexiconFile =
                toml::from_str(text).map_err(|e| LoadError::from_toml(file, text, &e))?;
            if matches!(parsed.language.as_str(), "en" | "zh") {
                phrase_languages |= 1 << language;
            }
            if matches!(parsed.language.as_str(), "ja" | "ko" | "hi-Deva") {
                postposed_languages |= 1 << language;
            }
            for (name, list) in &parsed.concepts {
                let Some(concept) = Concept::from_name(name) else {
                    return Err(LoadError::new(
                        *file,
                        crate::rules::defs::line_of(text, &format!("{name} =")),
                        LoadErrorKind::Value,
                        format!("unknown concept {name:?}"),
                    ));
                };
                for raw in list {
                    let prefix = raw.ends_with('*');
                    let term = raw.trim_end_matches('*').to_lowercase();
                    if term.is_empty() {
                        continue;
                    }
                    if prefix {
                        stems.push(term.clone());
                    }
                    // Pronouns are function words: not words to read back or to weigh.
                    if concept != Concept::Pronoun {
                        words.extend(
                            term.split(|c: char| !is_latin_letter(c))
                                .filter(|w| w.chars().count() >= 4)
                                .map(str::to_string),
                        );
                    }
                    let needs_kana =
                        parsed.language == "ja" && !term.chars().any(is_kana) && !term.is_ascii();
                    let mut add = |t: String| {
                        if let Some(&i) = seen.get(&(t.clone(), concept, prefix)) {
                            let known: &mut Term = &mut terms[i];
                            known.languages |= 1 << language;
                            known.needs_kana &= needs_kana;
                            return;
                        }
                        seen.insert((t.clone(), concept, prefix), terms.len());
                        terms.push(Term {
                            concept,
                            word_start: t.chars().next().is_some_and(is_word_char),
                            word_end: !prefix && t.chars().next_back().is_some_and(is_word_char),
                            languages: 1 << language,
                            needs_kana,
                        });
                        patterns.push(t);
                    };
                    if term.contains('\'') {
                        add(term.replace('\'', "\u{2019}"));
                    }
                    add(term);
                }
            }
        }
        Ok(ConceptIndex {
            patterns,
            terms,
            automaton: OnceLock::new(),
            anchors: OnceLock::new(),
            rules: concept_rules::parse(
                concept_rules::EMBEDDED_FILE,
                concept_rules::EMBEDDED_TEXT,
            )?,
            words_by_fold: words_by_fold(&words),
            words,
            stems: stems
                .into_iter()
                .filter(|s: &String| s.chars().count() >= 5 && !s.contains(' '))
                .collect(),
            phrase_languages,
            postposed_languages,
        })
    }

    /// The embedded lexicons, parsed once per process and shared by every detector.
    pub(crate) fn shared() -> Result<Arc<ConceptIndex>, LoadError> {
        static SHARED: LazyLock<Result<Arc<ConceptIndex>, LoadError>> =
            LazyLock::new(|| ConceptIndex::embedded().map(Arc::new));
        SHARED.clone()
    }

    /// The term automaton (`None` only if it exceeds the automaton's limits, which the test
    /// suite rules out for the embedded lexicons).
    pub(crate) fn automaton(&self) -> Option<&AhoCorasick> {
        self.automaton
            .get_or_init(|| {
                AhoCorasickBuilder::new()
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .match_kind(MatchKind::Standard)
                    .build(&self.patterns)
                    .ok()
            })
            .as_ref()
    }

    /// Whether a concept rule or the secret request may fire on a text: it has a whole-word
    /// term of a concept they cannot do without. `lower` is the text as
    /// `fold::lowercase_same_offsets` gives it (the automata hold lowercase terms).
    pub(crate) fn may_fire(&self, lower: &str) -> bool {
        let anchors = self.anchors.get_or_init(|| {
            let needed = |c: Concept| {
                c == Concept::Secret || self.rules.iter().any(|r| r.groups[0].concepts.contains(&c))
            };
            let (ascii, other): (Vec<_>, Vec<_>) = self
                .patterns
                .iter()
                .zip(&self.terms)
                .filter(|(_, t)| needed(t.concept))
                .map(|(p, t)| (p.as_str(), *t))
                .partition(|(p, _)| p.is_ascii());
            Some(Anchors {
                ascii: AnchorSet::build(ascii, AhoCorasickKind::DFA)?,
                other: AnchorSet::build(other, AhoCorasickKind::ContiguousNFA)?,
            })
        });
        let Some(anchors) = anchors else {
            return true;
        };
        anchors.ascii.found_in(lower) || (!lower.is_ascii() && anchors.other.found_in(lower))
    }

    /// Every concept term in a text, overlapping ones included, in order of their end.
    /// `lower` is the text as `fold::lowercase_same_offsets` gives it; positions hold in both.
    pub(crate) fn find(&self, lower: &str) -> Vec<Found> {
        let text = lower;
        let Some(automaton) = self.automaton() else {
            return Vec::new();
        };
        let has_kana = OnceLock::new();
        automaton
            .find_overlapping_iter(text)
            .filter_map(|m| {
                let term = self.terms[m.pattern().as_usize()];
                let (s, e) = (m.start(), m.end());
                let foreign =
                    term.needs_kana && !*has_kana.get_or_init(|| text.chars().any(is_kana));
                (fits(&term, text, s, e) && !foreign).then_some(Found {
                    concept: term.concept,
                    start: s,
                    end: e,
                    languages: term.languages,
                })
            })
            .take(MAX_FOUND)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fold::lowercase_same_offsets;

    #[test]
    fn lexicons_compile_and_find_whole_words() {
        let index = ConceptIndex::embedded().expect("the lexicons load");
        assert!(index.automaton().is_some(), "the term automaton builds");
        assert!(index.may_fire(&lowercase_same_offsets("the OTP")));
        assert!(!index.may_fire("see you at lunch"));
        let found = |t: &str, c: Concept| {
            index
                .find(&lowercase_same_offsets(t))
                .iter()
                .any(|f| f.concept == c)
        };
        assert!(found("Send me the code", Concept::Ask));
        assert!(found("your OTP", Concept::Secret));
        assert!(!found("codec", Concept::Secret));
        assert!(found("把验证码发给我", Concept::Secret));
        assert!(found("don’t", Concept::Negator));
        assert!(found("passwords", Concept::Secret));
    }
}
