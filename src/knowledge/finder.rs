//! Many short strings found inside one text in a single pass (brand labels inside a host
//! token, lure words inside a host label).

use aho_corasick::{AhoCorasick, MatchKind};

/// Distinct strings found in one overlapping pass, each with the items written that way.
#[derive(Debug, Default)]
pub(crate) struct Finder {
    automaton: Option<AhoCorasick>,
    /// Per pattern, the indices of the items with that text.
    pub items: Vec<Vec<usize>>,
}

impl Finder {
    pub(crate) fn new<'a>(texts: impl Iterator<Item = (usize, &'a str)>) -> Finder {
        let mut patterns: Vec<&str> = Vec::new();
        let mut items: Vec<Vec<usize>> = Vec::new();
        for (item, text) in texts {
            match patterns.iter().position(|p| *p == text) {
                Some(p) => items[p].push(item),
                None => {
                    patterns.push(text);
                    items.push(vec![item]);
                }
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .ok();
        Finder { automaton, items }
    }

    /// Each pattern found in `hay`, once, at its first occurrence: (pattern, start).
    pub(crate) fn first_occurrences(&self, hay: &str, mut each: impl FnMut(usize, usize)) {
        let Some(automaton) = &self.automaton else {
            return;
        };
        let mut seen: Vec<usize> = Vec::new();
        // Overlapping matches come in order of their ends; for one pattern (one length)
        // that is the order of their starts.
        for m in automaton.find_overlapping_iter(hay) {
            let p = m.pattern().as_usize();
            if !seen.contains(&p) {
                seen.push(p);
                each(p, m.start());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_occurrences_once_each() {
        let f =
            Finder::new([(0, "trustwallet"), (1, "coinbase"), (2, "pay"), (3, "pay")].into_iter());
        let found = |hay: &str| {
            let mut v = Vec::new();
            f.first_occurrences(hay, |p, at| v.push((f.items[p].clone(), at)));
            v
        };
        assert_eq!(found("trustwalletapp"), vec![(vec![0], 0)]);
        assert_eq!(found("supportcoinbase"), vec![(vec![1], 7)]);
        assert_eq!(found("coin"), vec![]);
        // A byte offset, at the first occurrence only; one text, every item written so.
        assert_eq!(found("äpaypay"), vec![(vec![2, 3], 2)]);
    }
}
