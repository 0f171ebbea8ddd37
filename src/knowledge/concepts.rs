//! The concept lexicons (`data/lexicon/<language>.toml`) compiled into one Aho-Corasick
//! automaton: one pass over a message finds every term of every language, and says which
//! concept each belongs to. Rules work on those positions, not on phrasings.

use std::sync::{Arc, LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use crate::error::LoadError;

/// The embedded lexicons: file name and text.
const LEXICONS: [(&str, &str); 8] = [
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
];

/// The concepts the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Concept {
    /// A hand-over verb that needs a recipient or an imperative position ("send", 发给).
    Request,
    /// A request directed at the sender by itself ("send me", "what's your", 教えて).
    Ask,
    /// Something support never asks for (a one-time code, a PIN, a recovery phrase).
    Secret,
    /// The sender as recipient, after the verb ("me", 我).
    ToUs,
    /// The sender as recipient, before the verb (Hindi "mujhe", Japanese 私に).
    ToUsBefore,
    /// Politeness or pressure words that may open an imperative ("please", 请).
    Please,
    /// A negation ("never", 请勿, 절대).
    Negator,
    /// A code that is no secret ("promo code", "zip code"): the secret "code" inside it
    /// does not count.
    OtherCode,
}

impl Concept {
    fn from_name(name: &str) -> Option<Concept> {
        Some(match name {
            "request" => Concept::Request,
            "ask" => Concept::Ask,
            "secret" => Concept::Secret,
            "to_us" => Concept::ToUs,
            "to_us_before" => Concept::ToUsBefore,
            "please" => Concept::Please,
            "negator" => Concept::Negator,
            "other_code" => Concept::OtherCode,
            _ => return None,
        })
    }
}

#[derive(Debug, Deserialize)]
struct LexiconFile {
    #[allow(dead_code)] // documentation for reviewers
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
}

/// A concept term found in a message (byte offsets in the text searched).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub concept: Concept,
    pub start: usize,
    pub end: usize,
}

/// The compiled lexicons.
#[derive(Debug)]
pub(crate) struct ConceptIndex {
    patterns: Vec<String>,
    terms: Vec<Term>,
    /// A DFA over every term, built on first use (or by `warm_up`): a detector that checks
    /// no message never pays for it.
    automaton: OnceLock<Option<AhoCorasick>>,
    /// A DFA over the secret terms alone: most messages name no secret, and one quick look
    /// for a secret spares them the full overlapping pass.
    secrets: OnceLock<Option<AhoCorasick>>,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

impl ConceptIndex {
    /// Parses and compiles the embedded lexicons.
    pub(crate) fn embedded() -> Result<ConceptIndex, LoadError> {
        let mut patterns: Vec<String> = Vec::new();
        let mut terms = Vec::new();
        for (file, text) in LEXICONS {
            let parsed: LexiconFile =
                toml::from_str(text).map_err(|e| LoadError::from_toml(file, text, &e))?;
            for (name, list) in &parsed.concepts {
                let Some(concept) = Concept::from_name(name) else {
                    continue;
                };
                for raw in list {
                    let prefix = raw.ends_with('*');
                    let term = raw.trim_end_matches('*').to_lowercase();
                    if term.is_empty() {
                        continue;
                    }
                    let mut add = |t: String| {
                        let b = t.as_bytes();
                        terms.push(Term {
                            concept,
                            word_start: is_word_byte(b[0]),
                            word_end: !prefix && is_word_byte(b[b.len() - 1]),
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
            secrets: OnceLock::new(),
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
                    .kind(Some(AhoCorasickKind::DFA))
                    .match_kind(MatchKind::Standard)
                    .ascii_case_insensitive(true)
                    .build(&self.patterns)
                    .ok()
            })
            .as_ref()
    }

    /// Whether `text` may name a secret (a secret term, word boundaries not checked).
    pub(crate) fn may_name_secret(&self, text: &str) -> bool {
        let secrets = self.secrets.get_or_init(|| {
            let terms = self
                .patterns
                .iter()
                .zip(&self.terms)
                .filter(|(_, t)| t.concept == Concept::Secret)
                .map(|(p, _)| p);
            AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .build(terms)
                .ok()
        });
        secrets.as_ref().is_none_or(|ac| ac.is_match(text))
    }

    /// Every concept term in `text`, overlapping ones included, in order of their end.
    pub(crate) fn find(&self, text: &str) -> Vec<Found> {
        let bytes = text.as_bytes();
        let Some(automaton) = self.automaton() else {
            return Vec::new();
        };
        automaton
            .find_overlapping_iter(text)
            .filter_map(|m| {
                let term = self.terms[m.pattern().as_usize()];
                let (s, e) = (m.start(), m.end());
                let bad_start = term.word_start && s > 0 && is_word_byte(bytes[s - 1]);
                let bad_end = term.word_end && e < bytes.len() && is_word_byte(bytes[e]);
                (!bad_start && !bad_end).then_some(Found {
                    concept: term.concept,
                    start: s,
                    end: e,
                })
            })
            .take(MAX_FOUND)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicons_compile_and_find_whole_words() {
        let index = ConceptIndex::embedded().expect("the lexicons load");
        assert!(index.automaton().is_some(), "the term automaton builds");
        assert!(index.may_name_secret("the OTP"));
        assert!(!index.may_name_secret("see you at lunch"));
        let found = |t: &str, c: Concept| index.find(t).iter().any(|f| f.concept == c);
        assert!(found("Send me the code", Concept::Ask));
        assert!(found("your OTP", Concept::Secret));
        assert!(!found("codec", Concept::Secret));
        assert!(found("把验证码发给我", Concept::Secret));
        assert!(found("don’t", Concept::Negator));
        assert!(found("passwords", Concept::Secret));
    }
}
