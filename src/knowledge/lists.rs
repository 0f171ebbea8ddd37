//! Word lists from `data/`: parsed when a detector is built, read by the checks.

use std::collections::HashSet;

use crate::fold::is_latin_letter;

/// The embedded list of words that count when read back from a disguised token.
const OBFUSCATION_WORDS: &str = include_str!("../../data/obfuscation_words.txt");
/// The embedded list of deceptive host keywords.
const DECEPTIVE_KEYWORDS: &str = include_str!("../../data/deceptive_keywords.txt");

/// Words scammers disguise (`in.voice`, `F!x`, `v e r i f i c a t i o n`, `pass\nword`) that
/// a message check reads back: `data/obfuscation_words.txt` and every word of four letters
/// or more in the concept lexicons' terms written in Latin letters.
#[derive(Debug)]
pub(crate) struct Vocabulary {
    words: HashSet<String>,
    /// Stems any continuation of which is a word (`transfer*`: "transferred").
    stems: HashSet<String>,
}

/// Endings a read-back word may carry beyond a listed word ("transferred", "vouchers").
const ENDINGS: [&str; 7] = ["s", "es", "d", "ed", "ing", "red", "ly"];

impl Vocabulary {
    /// The embedded list and the words of `terms`.
    /// Words for which `is_name` holds (brand names) are left out: a disguised brand name
    /// is reported as one, not read back as a word.
    pub(crate) fn embedded<'a>(
        terms: impl Iterator<Item = &'a str>,
        stems: impl Iterator<Item = &'a str>,
        is_name: impl Fn(&str) -> bool,
    ) -> Vocabulary {
        let listed = OBFUSCATION_WORDS
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .flat_map(str::split_whitespace)
            .filter(|w| w.len() >= 3)
            .map(str::to_string);
        let lexicon = terms
            .flat_map(|t| t.split(|c: char| !is_latin_letter(c)))
            .filter(|w| w.chars().count() >= 4)
            .map(str::to_lowercase)
            .filter(|w| !is_name(w));
        Vocabulary {
            words: listed.chain(lexicon).collect(),
            stems: stems
                .filter(|s| s.chars().count() >= 5 && !s.contains(' '))
                .map(str::to_lowercase)
                .collect(),
        }
    }

    /// The listed word equal to `word` (lowercase ASCII), if any.
    pub(crate) fn get(&self, word: &str) -> Option<&str> {
        self.words.get(word).map(String::as_str)
    }

    /// Whether `word` (lowercase) is a listed word or one with a common ending.
    pub(crate) fn knows(&self, word: &str) -> bool {
        self.knows_exactly(word)
            || word
                .char_indices()
                .skip(5)
                .any(|(i, _)| self.stems.contains(&word[..i]))
            || self.stems.contains(word)
    }

    /// Whether `word` (lowercase) is a listed word or one with a common ending, not counting
    /// continuations of stems.
    pub(crate) fn knows_exactly(&self, word: &str) -> bool {
        self.words.contains(word)
            || ENDINGS.iter().any(|e| {
                word.strip_suffix(e)
                    .is_some_and(|stem| stem.len() >= 4 && self.words.contains(stem))
            })
    }
}

/// Words that phishing hosts put in their name to look like a login, billing, delivery or
/// refund page (`data/deceptive_keywords.txt`): substrings, and whole tokens (lines starting
/// with `=`).
#[derive(Debug)]
pub(crate) struct DeceptiveWords {
    inside: Vec<String>,
    whole: Vec<String>,
}

impl DeceptiveWords {
    /// The embedded list.
    pub(crate) fn embedded() -> DeceptiveWords {
        let mut inside = Vec::new();
        let mut whole = Vec::new();
        for line in DECEPTIVE_KEYWORDS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.strip_prefix('=') {
                Some(w) => whole.push(w.to_ascii_lowercase()),
                None => inside.push(line.to_ascii_lowercase()),
            }
        }
        DeceptiveWords { inside, whole }
    }

    /// The listed words in a host label (lowercase), sorted, each once.
    pub(crate) fn find(&self, label: &str) -> Vec<&str> {
        let mut found: Vec<&str> = self
            .inside
            .iter()
            .filter(|k| k.len() <= label.len() && label.contains(k.as_str()))
            .map(String::as_str)
            .collect();
        for t in label.split(['-', '.', '_']) {
            if let Some(k) = self.whole.iter().find(|k| *k == t) {
                found.push(k.as_str());
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deceptive() {
        let deceptive_words = |w: &str| {
            DeceptiveWords::embedded()
                .find(w)
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(deceptive_words("secure-login"), ["login", "secure"]);
        assert_eq!(deceptive_words("verify-acct"), ["acct", "verif"]);
        assert!(deceptive_words("paypal").is_empty());
        assert_eq!(
            deceptive_words("delivery-customscharges"),
            ["customs", "deliver"]
        );
        assert_eq!(deceptive_words("usps-toll"), ["toll"]);
        assert!(deceptive_words("atoll").is_empty());
        assert_eq!(deceptive_words("trckmypost"), ["trck"]);
    }

    #[test]
    fn lists_parse() {
        let v = Vocabulary::embedded(
            ["protected account", "netflix password"].into_iter(),
            ["transfer"].into_iter(),
            |w| w == "netflix",
        );
        assert!(!v.knows("netflix"));
        assert!(v.knows("transferred") && !v.knows("transparent"));
        assert!(v.knows("protected") && v.knows("accounts"));
        assert!(v.get("invoice").is_some());
        assert!(v.get("xq").is_none());
        let d = DeceptiveWords::embedded();
        assert!(!d.find("secure-login-verify").is_empty());
        assert!(d.find("example").is_empty());
    }
}
