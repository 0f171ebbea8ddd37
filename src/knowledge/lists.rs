//! Word lists from `data/`: parsed when a detector is built, read by the checks.

use std::collections::HashSet;

/// The embedded list of words that count when read back from a disguised token.
const OBFUSCATION_WORDS: &str = include_str!("../../data/obfuscation_words.txt");
/// The embedded list of deceptive host keywords.
const DECEPTIVE_KEYWORDS: &str = include_str!("../../data/deceptive_keywords.txt");

/// Words scammers disguise (`in.voice`, `F!x`) that a message check reads back
/// (`data/obfuscation_words.txt`).
#[derive(Debug)]
pub(crate) struct Vocabulary {
    words: HashSet<&'static str>,
}

impl Vocabulary {
    /// The embedded list.
    pub(crate) fn embedded() -> Vocabulary {
        Vocabulary {
            words: OBFUSCATION_WORDS
                .lines()
                .map(|l| l.split('#').next().unwrap_or(""))
                .flat_map(str::split_whitespace)
                .filter(|w| w.len() >= 3)
                .collect(),
        }
    }

    /// The listed word equal to `word` (lowercase ASCII), if any.
    pub(crate) fn get(&self, word: &str) -> Option<&'static str> {
        self.words.get(word).copied()
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
        let v = Vocabulary::embedded();
        assert!(v.get("invoice").is_some());
        assert!(v.get("xq").is_none());
        let d = DeceptiveWords::embedded();
        assert!(!d.find("secure-login-verify").is_empty());
        assert!(d.find("example").is_empty());
    }
}
