//! The words messages disguise, read back by the message check: `data/obfuscation_words.txt`
//! and the words of the concept lexicons.

use std::collections::HashSet;
use std::sync::Arc;

use crate::knowledge::concepts::ConceptIndex;
use crate::knowledge::names::NameIndex;

/// The embedded list of words that count when read back from a disguised token.
const OBFUSCATION_WORDS: &str = include_str!("../../data/obfuscation_words.txt");

/// Words scammers disguise (`in.voice`, `F!x`, `v e r i f i c a t i o n`, `pass\nword`) that
/// a message check reads back: `data/obfuscation_words.txt` and the concept lexicons' words
/// of four letters or more written in Latin letters (brand names excepted: a disguised
/// brand name is reported as one), with the lexicons' word stems.
#[derive(Debug)]
pub(crate) struct Vocabulary {
    listed: HashSet<String>,
    /// The lexicons' words and stems, shared by every detector of the process (none in
    /// unit tests of the list alone).
    concepts: Option<Arc<ConceptIndex>>,
    /// The lexicon words that are brand names of this detector's allowlists.
    names: HashSet<String>,
}

/// Endings a read-back word may carry beyond a listed word ("transferred", "vouchers").
const ENDINGS: [&str; 7] = ["s", "es", "d", "ed", "ing", "red", "ly"];

impl Vocabulary {
    /// The embedded list and the lexicons' words; `names` says which words are brand names.
    pub(crate) fn new(concepts: Arc<ConceptIndex>, names: &NameIndex) -> Vocabulary {
        let listed = OBFUSCATION_WORDS
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .flat_map(str::split_whitespace)
            .filter(|w| w.len() >= 3)
            .map(str::to_string)
            .collect();
        // A brand name that is also a channel the lexicons name (WhatsApp) stays a word to
        // read back: "W.h.a.t.s.A.p.p" must still read as the channel a scam moves to.
        let names = names
            .folded_names()
            .filter_map(|f| concepts.words_by_fold.get(f))
            .flatten()
            .filter(|w| !concepts.is_channel_word(w))
            .cloned()
            .collect();
        Vocabulary {
            listed,
            concepts: Some(concepts),
            names,
        }
    }

    /// The embedded list alone, without the lexicons' words.
    #[cfg(test)]
    pub(crate) fn listed_only() -> Vocabulary {
        Vocabulary {
            listed: OBFUSCATION_WORDS
                .lines()
                .map(|l| l.split('#').next().unwrap_or(""))
                .flat_map(str::split_whitespace)
                .filter(|w| w.len() >= 3)
                .map(str::to_string)
                .collect(),
            concepts: None,
            names: HashSet::new(),
        }
    }

    /// Every word [`knows_exactly`](Self::knows_exactly) accepts: the listed and lexicon
    /// words (brand names excepted), and those of four letters or more with each ending.
    pub(crate) fn for_each_known(&self, mut f: impl FnMut(&str)) {
        let mut emit = |w: &str| {
            f(w);
            if w.len() >= 4 {
                for e in ENDINGS {
                    f(&format!("{w}{e}"));
                }
            }
        };
        for w in &self.listed {
            emit(w);
        }
        if let Some(c) = &self.concepts {
            for w in c.words.iter().filter(|w| !self.names.contains(*w)) {
                emit(w);
            }
        }
    }

    /// Whether a concept term in `text` covers the byte range `start..end` (pieces put back
    /// together there): the test for scripts whose single characters are also words
    /// (spaced-out Devanagari).
    pub(crate) fn has_term_covering(&self, text: &str, start: usize, end: usize) -> bool {
        let Some(ac) = self.concepts.as_ref().and_then(|c| c.automaton()) else {
            return false;
        };
        ac.find_overlapping_iter(crate::fold::lowercase_same_offsets(text).as_ref())
            .any(|m| m.start() <= start && end <= m.end())
    }

    /// The listed word equal to `word` (lowercase), if any.
    pub(crate) fn get(&self, word: &str) -> Option<&str> {
        self.listed.get(word).map(String::as_str).or_else(|| {
            self.concepts
                .as_ref()?
                .words
                .get(word)
                .filter(|w| !self.names.contains(*w))
                .map(String::as_str)
        })
    }

    /// Whether `word` (lowercase) is a listed word or one with a common ending.
    pub(crate) fn knows(&self, word: &str) -> bool {
        self.knows_exactly(word)
            || self.concepts.as_ref().is_some_and(|c| {
                word.char_indices()
                    .skip(5)
                    .any(|(i, _)| c.stems.contains(&word[..i]))
                    || c.stems.contains(word)
            })
    }

    /// Whether `word` (lowercase) is a listed word or one with a common ending, not counting
    /// continuations of stems.
    pub(crate) fn knows_exactly(&self, word: &str) -> bool {
        let known = |w: &str| self.get(w).is_some();
        known(word)
            || ENDINGS.iter().any(|e| {
                word.strip_suffix(e)
                    .is_some_and(|stem| stem.len() >= 4 && known(stem))
            })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn vocabulary_reads_listed_and_lexicon_words() {
        let k = crate::knowledge::Knowledge::embedded();
        let v = &k.vocabulary;
        assert!(!v.knows("netflix"));
        assert!(v.knows("transferred") && !v.knows("transparent"));
        assert!(v.knows("protected") && v.knows("accounts"));
        assert!(v.get("invoice").is_some());
        assert!(v.get("xq").is_none());
    }
}
