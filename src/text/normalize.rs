//! Message normalization that remembers where every byte came from, so that spans found in
//! the normalized text point into the caller's text.
//!
//! Steps: drop invisible characters (zero-width, bidi controls, soft hyphen, variation
//! selectors), NFKC each character (full-width → ASCII, compatibility forms), then undo link
//! obfuscation the way Rspamd does (`hxxp`, `[.]`, `(.)`, `{.}`, ` dot `, `h t t p s : / /`).

use regex::{Captures, Regex};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::verdict::Span;

/// Characters that render as nothing (or only steer rendering) and can hide inside words.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{E0000}'..='\u{E007F}')
}

/// Text with a map from each of its bytes to a byte offset in the original text.
#[derive(Debug, Clone)]
pub(crate) struct Mapped<'a> {
    original: &'a str,
    pub text: String,
    /// `map[i]` is the original offset of the character that produced byte `i` of `text`.
    /// Empty when `text == original` (the identity map).
    map: Vec<usize>,
}

/// What normalization found that is itself a red flag.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tricks {
    /// Spans (original offsets) of invisible characters found between two letters or digits.
    pub hidden_in_words: Vec<Span>,
    /// Spans (original offsets) of obfuscated link parts that were repaired.
    pub link_obfuscations: Vec<Span>,
}

impl<'a> Mapped<'a> {
    /// Normalizes `original`: invisible characters out, NFKC per character.
    pub(crate) fn new(original: &'a str, tricks: &mut Tricks) -> Mapped<'a> {
        let clean = original.is_ascii()
            || (is_nfkc_quick(original.chars()) == IsNormalized::Yes
                && !original.chars().any(is_invisible));
        if clean {
            return Mapped {
                original,
                text: original.to_string(),
                map: Vec::new(),
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len());
        let mut prev_alnum = false;
        let mut pending_hidden: Option<Span> = None;
        for (i, c) in original.char_indices() {
            if is_invisible(c) {
                if prev_alnum {
                    let end = i + c.len_utf8();
                    pending_hidden = Some(match pending_hidden {
                        Some(s) => Span::new(s.start, end),
                        None => Span::new(i, end),
                    });
                }
                continue;
            }
            if c.is_alphanumeric() {
                if let Some(span) = pending_hidden.take() {
                    tricks.hidden_in_words.push(span);
                }
            } else {
                pending_hidden = None;
            }
            prev_alnum = c.is_alphanumeric();
            if c.is_ascii() {
                text.push(c);
                map.push(i);
            } else {
                for n in std::iter::once(c).nfkc() {
                    let before = text.len();
                    text.push(n);
                    map.extend(std::iter::repeat_n(i, text.len() - before));
                }
            }
        }
        Mapped {
            original,
            text,
            map,
        }
    }

    /// The original byte offset of normalized byte `i` (`i == text.len()` maps to the end).
    fn origin(&self, i: usize) -> usize {
        if self.map.is_empty() {
            // Identity: the start of the character that holds byte i.
            let mut i = i.min(self.original.len());
            while !self.original.is_char_boundary(i) {
                i -= 1;
            }
            return i;
        }
        self.map.get(i).copied().unwrap_or(self.original.len())
    }

    /// Maps a normalized range to the original text. The end is extended to the end of the
    /// original character that produced the last byte, so spans stay on char boundaries.
    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        if self.map.is_empty() {
            let end = end.min(self.original.len());
            return Span::new(start.min(end), end);
        }
        if start >= end {
            let at = self.origin(start);
            return Span::new(at, at);
        }
        let s = self.origin(start);
        let last = self.origin(end - 1);
        let e = last
            + self.original[last..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        Span::new(s, e.max(s))
    }

    /// Replaces every match of `re` with `with(captures)`; the replacement's bytes map to the
    /// start of the match. Returns the spans (original offsets) that were replaced.
    pub(crate) fn replace_all(
        &mut self,
        re: &Regex,
        with: impl Fn(&Captures) -> String,
    ) -> Vec<Span> {
        if !re.is_match(&self.text) {
            return Vec::new();
        }
        let mut text = String::with_capacity(self.text.len());
        let mut map = Vec::with_capacity(self.text.len());
        let mut replaced = Vec::new();
        let mut last = 0;
        for caps in re.captures_iter(&self.text) {
            let Some(m) = caps.get(0) else { continue };
            for i in last..m.start() {
                map.push(self.origin(i));
            }
            text.push_str(&self.text[last..m.start()]);
            let replacement = with(&caps);
            let at = self.origin(m.start());
            map.extend(std::iter::repeat_n(at, replacement.len()));
            text.push_str(&replacement);
            replaced.push(self.span(m.start(), m.end()));
            last = m.end();
        }
        for i in last..self.text.len() {
            map.push(self.origin(i));
        }
        text.push_str(&self.text[last..]);
        self.text = text;
        self.map = map;
        replaced
    }
}

/// The link de-obfuscation patterns, compiled once per detector.
#[derive(Debug)]
pub(crate) struct LinkRepair {
    any: Regex,
    scheme: Regex,
    spaced_scheme: Regex,
    dot: Regex,
    word_dot: Regex,
}

impl LinkRepair {
    pub(crate) fn new() -> Result<LinkRepair, regex::Error> {
        Ok(LinkRepair {
            any: Regex::new(
                r"(?i)hxxp|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\sdot\s|h\s+t\s+t\s+p",
            )?,
            scheme: Regex::new(r"(?i)(?-u:\b)hxxp(s?)(?-u:\b)")?,
            spaced_scheme: Regex::new(r"(?i)(?-u:\b)h\s+t\s+t\s+p\s*(s?)\s*:\s*/\s*/\s*")?,
            dot: Regex::new(r"(?i)\s?(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\))\s?")?,
            word_dot: Regex::new(
                r"(?i)(?-u:\b)([a-z0-9-]{2,63})\s+dot\s+(com|net|org|info|io|co|me|app|xyz|top|shop|site|online|link|cn|ru|uk|us|biz|club|vip|cc)(?-u:\b)",
            )?,
        })
    }

    /// Repairs obfuscated links in place; records where.
    pub(crate) fn repair(&self, text: &mut Mapped<'_>, tricks: &mut Tricks) {
        if !self.any.is_match(&text.text) {
            return;
        }
        let mut found = text.replace_all(&self.spaced_scheme, |c| format!("http{}://", &c[1]));
        found.extend(text.replace_all(&self.scheme, |c| format!("http{}", &c[1])));
        found.extend(text.replace_all(&self.dot, |_| ".".to_string()));
        found.extend(text.replace_all(&self.word_dot, |c| format!("{}.{}", &c[1], &c[2])));
        tricks.link_obfuscations.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> (String, Tricks) {
        let mut tricks = Tricks::default();
        let mut m = Mapped::new(s, &mut tricks);
        LinkRepair::new().unwrap().repair(&mut m, &mut tricks);
        (m.text.clone(), tricks)
    }

    #[test]
    fn ascii_is_unchanged() {
        let (t, tricks) = norm("call 1-800-555-0100 now");
        assert_eq!(t, "call 1-800-555-0100 now");
        assert!(tricks.hidden_in_words.is_empty());
    }

    #[test]
    fn full_width_and_invisible() {
        let (t, tricks) = norm("Ｐａｙ\u{200B}Ｐａｌ ９５０１７");
        assert_eq!(t, "PayPal 95017");
        assert_eq!(tricks.hidden_in_words.len(), 1);
        // A zero-width joiner between emoji is not hidden inside a word.
        let (_, tricks) = norm("👨\u{200D}👩");
        assert!(tricks.hidden_in_words.is_empty());
    }

    #[test]
    fn links_are_repaired() {
        for (input, want) in [
            ("hxxps://evil[.]com/x", "https://evil.com/x"),
            ("paypal-verify(.)com", "paypal-verify.com"),
            ("evil{.}top", "evil.top"),
            ("h t t p s : / / evil.top", "https://evil.top"),
            (
                "visit paypal-help dot com today",
                "visit paypal-help.com today",
            ),
        ] {
            let (t, tricks) = norm(input);
            assert_eq!(t, want, "{input}");
            assert!(!tricks.link_obfuscations.is_empty(), "{input}");
        }
        let (t, tricks) = norm("connect the dots, see the dot on the map");
        assert_eq!(t, "connect the dots, see the dot on the map");
        assert!(tricks.link_obfuscations.is_empty());
    }

    #[test]
    fn spans_map_back_to_the_original() {
        let original = "请拨打９５５３３，谢谢";
        let mut tricks = Tricks::default();
        let m = Mapped::new(original, &mut tricks);
        let start = m.text.find("95533").unwrap();
        let span = m.span(start, start + 5);
        assert_eq!(span.slice(original), "９５５３３");

        let original = "go to hxxps://evil[.]com now";
        let mut m = Mapped::new(original, &mut tricks);
        LinkRepair::new().unwrap().repair(&mut m, &mut tricks);
        let start = m.text.find("https").unwrap();
        let end = m.text.find(" now").unwrap();
        assert_eq!(m.span(start, end).slice(original), "hxxps://evil[.]com");
    }
}
