//! Words phishing hosts put in their names (`data/deceptive_keywords.txt`): parsed when a
//! detector is built, read by the URL and email checks.

use super::finder::Finder;

/// The embedded list of deceptive host keywords.
const DECEPTIVE_KEYWORDS: &str = include_str!("../../data/deceptive_keywords.txt");

/// Words that phishing hosts put in their name to look like a login, billing, delivery or
/// refund page (`data/deceptive_keywords.txt`): substrings, and whole tokens (lines starting
/// with `=`).
#[derive(Debug)]
pub(crate) struct DeceptiveWords {
    inside: Vec<String>,
    /// `inside`, found in one pass.
    finder: Finder,
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
        let finder = Finder::new(inside.iter().enumerate().map(|(i, w)| (i, w.as_str())));
        DeceptiveWords {
            inside,
            finder,
            whole,
        }
    }

    /// The listed words in a host label (lowercase), sorted, each once.
    pub(crate) fn find(&self, label: &str) -> Vec<&str> {
        let mut found: Vec<&str> = Vec::new();
        self.finder.first_occurrences(label, |p, _| {
            found.extend(
                self.finder.items[p]
                    .iter()
                    .map(|&i| self.inside[i].as_str()),
            );
        });
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
    fn list_parses() {
        let d = DeceptiveWords::embedded();
        assert!(!d.find("secure-login-verify").is_empty());
        assert!(d.find("example").is_empty());
    }
}
