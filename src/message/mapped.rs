//! Text with an offset map: the normalized message, where every byte remembers the byte of
//! the caller's text it came from, so that spans found in it point into the caller's text.
//! Built by removing invisible characters and applying NFKC per character; later passes
//! replace ranges and keep the map.

use regex::{Captures, Regex};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use crate::fold::{enclosed_letter, floor_boundary, is_invisible};
use crate::verdict::Span;

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
    /// Words broken up or disguised to slip past filters: span (original offsets) and the
    /// word read back.
    pub obfuscated_words: Vec<(Span, String)>,
}

impl<'a> Mapped<'a> {
    /// Normalizes `original`: invisible characters out, NFKC per character.
    pub(crate) fn new(original: &'a str, tricks: &mut Tricks) -> Mapped<'a> {
        let clean = original.is_ascii()
            || (is_nfkc_quick(original.chars()) == IsNormalized::Yes
                && !original
                    .chars()
                    .any(|c| is_invisible(c) || enclosed_letter(c).is_some()));
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
            } else if let Some(letter) = enclosed_letter(c) {
                text.push(letter);
                map.push(i);
            } else {
                for n in std::iter::once(c).nfkc() {
                    // Half-width kana carry their voicing mark as a separate character
                    // ("ｿﾞ"): joined to the kana before it, they read as one ("ゾ").
                    if matches!(n, '\u{3099}' | '\u{309A}') {
                        let composed = text.chars().next_back().and_then(|p| {
                            unicode_normalization::char::compose(p, n).map(|c| (p, c))
                        });
                        if let Some((p, c)) = composed {
                            let at = text.len() - p.len_utf8();
                            let origin = map[at];
                            text.truncate(at);
                            map.truncate(at);
                            text.push(c);
                            map.extend(std::iter::repeat_n(origin, c.len_utf8()));
                            continue;
                        }
                    }
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
            return floor_boundary(self.original, i);
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
        let edits: Vec<(usize, usize, String)> = re
            .captures_iter(&self.text)
            .filter_map(|caps| {
                let m = caps.get(0)?;
                Some((m.start(), m.end(), with(&caps)))
            })
            .collect();
        self.replace_ranges(&edits)
    }

    /// Replaces the given ranges of the normalized text (sorted, not overlapping) with new
    /// text whose bytes map to the start of the range replaced. Returns the spans (original
    /// offsets) that were replaced.
    pub(crate) fn replace_ranges(&mut self, edits: &[(usize, usize, String)]) -> Vec<Span> {
        let mut text = String::with_capacity(self.text.len());
        let mut map = Vec::with_capacity(self.text.len());
        let mut replaced = Vec::with_capacity(edits.len());
        let mut last = 0;
        for (start, end, replacement) in edits {
            let (start, end) = (*start, *end);
            if start < last || end < start || end > self.text.len() {
                continue;
            }
            for i in last..start {
                map.push(self.origin(i));
            }
            text.push_str(&self.text[last..start]);
            let at = self.origin(start);
            map.extend(std::iter::repeat_n(at, replacement.len()));
            text.push_str(replacement);
            replaced.push(self.span(start, end));
            last = end;
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
