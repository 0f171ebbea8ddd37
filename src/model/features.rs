//! The model's features: hashed words, word pairs, Chinese/Japanese/Korean characters and
//! character pairs, contact placeholders and concept terms, per sentence of the normalized
//! text (the text the rules read, so split, dotted and look-alike words are already read
//! back). A sentence's features are hashes into `2^bits` buckets, sorted and each once.

use crate::fold::is_east_asian;
use crate::knowledge::concept::Concept;

/// A contact found in the text, replaced by its kind in the features ("<link>").
#[derive(Debug, Clone, Copy)]
pub(crate) struct Contact {
    pub start: usize,
    pub end: usize,
    pub kind: &'static str,
}

/// The features of one sentence or clause (sorted, each bucket once), and whether it has
/// Chinese, Japanese or Korean characters (its script group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    pub features: Vec<u32>,
    pub cjk: bool,
}

/// A live concept term (not negated, not reported speech) at a byte offset.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConceptAt {
    pub at: usize,
    pub concept: Concept,
}

/// The most sentences read: a longer message is read in its first ones (bounded cost).
const MAX_SENTENCES: usize = 64;
/// The most tokens read per sentence.
const MAX_TOKENS: usize = 96;
/// The longest token kept whole (longer ones are cut; they are rarely words).
const MAX_TOKEN: usize = 24;

/// Receives features; `describe` is called only by sinks that keep readable names.
pub(crate) trait Sink {
    fn feature(&mut self, hash: u64, describe: &dyn Fn() -> String);
    fn bits(&self) -> u32;
}

/// Hashes only.
pub(crate) struct Hashes<'a> {
    pub bits: u32,
    pub out: &'a mut Vec<u32>,
}

impl Sink for Hashes<'_> {
    fn feature(&mut self, hash: u64, _: &dyn Fn() -> String) {
        self.out.push(bucket(hash, self.bits));
    }
    fn bits(&self) -> u32 {
        self.bits
    }
}

/// Hashes with their readable names (for a verdict's evidence), for the buckets `wanted`
/// accepts (a name is a string to build: only the candidates get one).
pub(crate) struct Named<'a> {
    pub bits: u32,
    pub wanted: &'a dyn Fn(u32) -> bool,
    pub out: &'a mut Vec<(u32, String)>,
}

impl Sink for Named<'_> {
    fn feature(&mut self, hash: u64, describe: &dyn Fn() -> String) {
        let b = bucket(hash, self.bits);
        if (self.wanted)(b) {
            self.out.push((b, describe()));
        }
    }
    fn bits(&self) -> u32 {
        self.bits
    }
}

/// The bucket of a word feature (a lowercase word as the lexicons write it).
pub(crate) fn word_bucket(word: &str, bits: u32) -> u32 {
    bucket(fnv(FNV_OFFSET ^ 0x31, word.as_bytes()), bits)
}

fn bucket(hash: u64, bits: u32) -> u32 {
    // The top bits of a 64-bit FNV-1a hash, after a final mix.
    let mut h = hash;
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    (h >> (64 - bits)) as u32
}

/// FNV-1a's 64-bit offset basis, the seed of every plain hash.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a over `bytes`, from `seed`.
pub(crate) fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The starts of the units a message is scored in: sentences and clauses (after . ! ? , ;
/// or a line break and their CJK forms; a dot or comma inside a word or number ends
/// nothing).
pub(crate) fn sentence_starts(t: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = t.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Every mark that ends a unit is ASCII or a three-byte character (。！？，；।).
        let (c, len) = if b < 0x80 {
            if !matches!(b, b'.' | b',' | b';' | b'\n' | b'!' | b'?') {
                i += 1;
                continue;
            }
            (char::from(b), 1)
        } else if matches!(b, 0xE0 | 0xE3 | 0xEF) {
            match t.get(i..).and_then(|r| r.chars().next()) {
                Some(c) => (c, c.len_utf8()),
                None => {
                    i += 1;
                    continue;
                }
            }
        } else {
            i += 1;
            continue;
        };
        let next = t.get(i + len..).and_then(|r| r.chars().next());
        let next_is_word = next.is_some_and(char::is_alphanumeric);
        // Clauses too: a comma or semicolon not inside a number ("1,000").
        let next_is_digit = next.is_some_and(|n| n.is_ascii_digit());
        let ends = match c {
            '.' => !next_is_word,
            ',' | ';' => !next_is_digit,
            '\n' => true,
            '!' | '?' | '。' | '！' | '？' | '।' | '，' | '；' => true,
            _ => false,
        };
        let after = i + len;
        if ends && after < t.len() && starts.last() != Some(&after) {
            starts.push(after);
        }
        i = after;
    }
    starts
}

/// The digits scammers put for letters inside words ("acc0unt", "v3rify"), read back.
fn fold_digit(c: char) -> char {
    match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        '@' => 'a',
        '$' => 's',
        _ => c,
    }
}

/// One token as the features see it: a folded word, a number class or a placeholder.
fn token_text(raw: &str, buf: &mut String) {
    buf.clear();
    let (letters, digits) = if raw.is_ascii() {
        let b = raw.as_bytes();
        (
            b.iter().filter(|c| c.is_ascii_alphabetic()).count(),
            b.iter().filter(|c| c.is_ascii_digit()).count(),
        )
    } else {
        (
            raw.chars().filter(|c| c.is_alphabetic()).count(),
            raw.chars().filter(|c| c.is_ascii_digit()).count(),
        )
    };
    if letters == 0 {
        // A number: its length class only (codes, amounts, phone numbers).
        let class = match digits {
            0..=3 => "#s",
            4..=6 => "#m",
            7..=9 => "#l",
            _ => "#x",
        };
        buf.push_str(class);
        return;
    }
    let fold = letters >= digits;
    for c in raw.chars().take(MAX_TOKEN) {
        let c = if fold { fold_digit(c) } else { c };
        if c.is_ascii() {
            buf.push(c.to_ascii_lowercase());
        } else {
            buf.extend(c.to_lowercase());
        }
    }
}

/// Extracts the features of each sentence of `text` into `sentences` (one list per
/// sentence that has any, sorted, each bucket once), and each such sentence's byte range
/// into `spans`. `contacts` and `concepts` are sorted by offset.
pub(crate) fn extract(
    text: &str,
    contacts: &[Contact],
    concepts: &[ConceptAt],
    keep: &dyn Fn(&str, u32) -> bool,
    bits: u32,
    sentences: &mut Vec<Unit>,
    spans: &mut Vec<(usize, usize)>,
) {
    sentences.clear();
    spans.clear();
    let ascii = text.is_ascii();
    for (start, end) in units(text) {
        // About one word and one pair per few bytes: room enough to grow rarely.
        let mut out = Vec::with_capacity((end - start).min(512) / 2 + 8);
        let sink = &mut Hashes {
            bits,
            out: &mut out,
        };
        sentence(text, start, end, contacts, concepts, keep, sink);
        out.sort_unstable();
        out.dedup();
        if !out.is_empty() {
            sentences.push(Unit {
                features: out,
                cjk: !ascii && text[start..end].chars().any(is_east_asian),
            });
            spans.push((start, end));
        }
    }
}

/// The byte ranges of the units (sentences and clauses) read, at most `MAX_SENTENCES`.
fn units(text: &str) -> impl Iterator<Item = (usize, usize)> {
    let starts = sentence_starts(text);
    let len = text.len();
    (0..starts.len().min(MAX_SENTENCES))
        .map(move |i| (starts[i], starts.get(i + 1).copied().unwrap_or(len)))
}

/// The features of the units `units` of `text` (unit bounds from [`extract`]) whose
/// buckets `wanted` accepts, with their names, for a verdict's evidence.
pub(crate) fn named(
    text: &str,
    contacts: &[Contact],
    concepts: &[ConceptAt],
    keep: &dyn Fn(&str, u32) -> bool,
    bits: u32,
    units: &[(usize, usize)],
    wanted: &dyn Fn(u32) -> bool,
) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for &(start, end) in units {
        let sink = &mut Named {
            bits,
            wanted,
            out: &mut out,
        };
        sentence(text, start, end, contacts, concepts, keep, sink);
    }
    out
}

/// The features of one sentence `start..end`.
fn sentence(
    text: &str,
    start: usize,
    end: usize,
    contacts: &[Contact],
    concepts: &[ConceptAt],
    keep: &dyn Fn(&str, u32) -> bool,
    sink: &mut dyn Sink,
) {
    // Concepts: each present, and each pair present in the sentence.
    let mut present: Vec<Concept> = Vec::new();
    let first = concepts.partition_point(|c| c.at < start);
    for c in concepts[first..].iter().take_while(|c| c.at < end) {
        if !present.contains(&c.concept) {
            present.push(c.concept);
        }
    }
    present.sort_by_key(|&c| c as u8);
    for (i, &a) in present.iter().enumerate() {
        sink.feature(fnv(FNV_OFFSET ^ 0xc0, &[a as u8]), &|| format!("[{a:?}]"));
        for &b in &present[i + 1..] {
            sink.feature(fnv(FNV_OFFSET ^ 0xc1, &[a as u8, b as u8]), &|| {
                format!("[{a:?}+{b:?}]")
            });
        }
    }
    // Tokens.
    let s = &text[start..end];
    if s.is_ascii() {
        ascii_tokens(s, start, contacts, keep, sink);
    } else {
        general_tokens(s, start, contacts, keep, sink);
    }
}

/// The token features of a sentence `s` at byte `start` of the text, in any script.
fn general_tokens(
    s: &str,
    start: usize,
    contacts: &[Contact],
    keep: &dyn Fn(&str, u32) -> bool,
    sink: &mut dyn Sink,
) {
    let mut prev: Option<u64> = None;
    let mut prev_text = String::new();
    let mut prev_cjk: Option<char> = None;
    let mut tokens = 0;
    let mut buf = String::new();
    let mut at = start;
    let mut chars = s.char_indices().peekable();
    let mut cursor = ContactCursor::new(contacts, start);
    while let Some((i, c)) = chars.next() {
        if tokens >= MAX_TOKENS {
            break;
        }
        let abs = start + i;
        if abs < at {
            continue;
        }
        if let Some(contact) = cursor.covering(abs) {
            contact_word(sink, contact, &mut prev, &mut prev_text);
            prev_cjk = None;
            tokens += 1;
            at = contact.end;
            continue;
        }
        if is_east_asian(c) {
            let mut b = [0u8; 4];
            let h = fnv(FNV_OFFSET ^ 0x21, c.encode_utf8(&mut b).as_bytes());
            sink.feature(h, &|| c.to_string());
            if let Some(p) = prev_cjk {
                let mut pb = [0u8; 4];
                let ph = fnv(FNV_OFFSET ^ 0x22, p.encode_utf8(&mut pb).as_bytes());
                let h2 = fnv(ph, c.encode_utf8(&mut b).as_bytes());
                sink.feature(h2, &|| format!("{p}{c}"));
            }
            prev_cjk = Some(c);
            prev = None;
            tokens += 1;
            continue;
        }
        prev_cjk = None;
        if c.is_alphanumeric()
            || ((c == '@' || c == '$') && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()))
        {
            // A Latin (or other script) word: letters, digits and the look-alike marks.
            let from = i;
            let mut to = i + c.len_utf8();
            while let Some(&(j, n)) = chars.peek() {
                if (n.is_alphanumeric() && !is_east_asian(n)) || n == '@' || n == '$' {
                    to = j + n.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            token_text(&s[from..to], &mut buf);
            tokens += 1;
            // Words the lexicons know (what scams ask for, pay with, threaten), numbers by
            // class; other words are style, which differs by country and corpus more than
            // by honesty, and only break the pairs.
            token_word(sink, &buf, keep, &mut prev, &mut prev_text);
        }
    }
}

/// The token features of an ASCII sentence `s` (at byte `start` of the text): the same
/// features as the general loop of [`sentence`], read byte by byte.
fn ascii_tokens(
    s: &str,
    start: usize,
    contacts: &[Contact],
    keep: &dyn Fn(&str, u32) -> bool,
    sink: &mut dyn Sink,
) {
    let b = s.as_bytes();
    let mut prev: Option<u64> = None;
    let mut prev_text = String::new();
    let mut tokens = 0;
    let mut buf = String::new();
    let mut cursor = ContactCursor::new(contacts, start);
    let mut i = 0;
    while i < b.len() && tokens < MAX_TOKENS {
        let abs = start + i;
        if let Some(contact) = cursor.covering(abs) {
            contact_word(sink, contact, &mut prev, &mut prev_text);
            tokens += 1;
            i = contact.end - start;
            continue;
        }
        let c = b[i];
        let marked = |c: u8| c == b'@' || c == b'$';
        if !(c.is_ascii_alphanumeric()
            || (marked(c) && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)))
        {
            i += 1;
            continue;
        }
        // A word: letters, digits and the look-alike marks.
        let from = i;
        i += 1;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || marked(b[i])) {
            i += 1;
        }
        ascii_token_text(&b[from..i], &mut buf);
        tokens += 1;
        token_word(sink, &buf, keep, &mut prev, &mut prev_text);
    }
}

/// [`token_text`] of an ASCII token.
fn ascii_token_text(raw: &[u8], buf: &mut String) {
    buf.clear();
    let letters = raw.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let digits = raw.iter().filter(|c| c.is_ascii_digit()).count();
    if letters == 0 {
        buf.push_str(match digits {
            0..=3 => "#s",
            4..=6 => "#m",
            7..=9 => "#l",
            _ => "#x",
        });
        return;
    }
    let fold = letters >= digits;
    for &c in raw.iter().take(MAX_TOKEN) {
        let c = char::from(c);
        let c = if fold { fold_digit(c) } else { c };
        buf.push(c.to_ascii_lowercase());
    }
}

/// The contacts a token loop passes, in order of position.
struct ContactCursor<'c> {
    contacts: &'c [Contact],
    next: usize,
}

impl<'c> ContactCursor<'c> {
    /// A cursor at byte `start` (contacts sorted by position).
    fn new(contacts: &'c [Contact], start: usize) -> Self {
        ContactCursor {
            contacts,
            next: contacts.partition_point(|k| k.end <= start),
        }
    }

    /// The contact that covers byte `abs`, if any; `abs` only grows from call to call.
    fn covering(&mut self, abs: usize) -> Option<&'c Contact> {
        while self.contacts.get(self.next).is_some_and(|k| k.end <= abs) {
            self.next += 1;
        }
        self.contacts
            .get(self.next)
            .filter(|k| k.start <= abs && abs < k.end)
    }
}

/// A contact's placeholder as a word ("<link>"), paired with the word before it.
fn contact_word(
    sink: &mut dyn Sink,
    contact: &Contact,
    prev: &mut Option<u64>,
    prev_text: &mut String,
) {
    let h = fnv(FNV_OFFSET ^ 0x11, contact.kind.as_bytes());
    word(sink, h, contact.kind, prev, prev_text);
}

/// A token's word feature (`buf`, as [`token_text`] wrote it): numbers by class and the
/// words the model reads; any other word is style, and only breaks the pairs.
fn token_word(
    sink: &mut dyn Sink,
    buf: &str,
    keep: &dyn Fn(&str, u32) -> bool,
    prev: &mut Option<u64>,
    prev_text: &mut String,
) {
    let h = fnv(FNV_OFFSET ^ 0x31, buf.as_bytes());
    if !buf.starts_with('#') && !keep(buf, bucket(h, sink.bits())) {
        *prev = None;
        return;
    }
    word(sink, h, buf, prev, prev_text);
}

/// A word feature, and the pair with the word before it.
fn word(sink: &mut dyn Sink, h: u64, text: &str, prev: &mut Option<u64>, prev_text: &mut String) {
    sink.feature(h, &|| text.to_string());
    if let Some(p) = *prev {
        let pair = fnv(p ^ 0x9e37_79b9_7f4a_7c15, &h.to_le_bytes());
        let before: &str = prev_text;
        sink.feature(pair, &|| format!("{before} {text}"));
    }
    *prev = Some(h);
    prev_text.clear();
    prev_text.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feats(t: &str) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        extract(t, &[], &[], &|_, _| true, 18, &mut out, &mut Vec::new());
        out.into_iter().map(|u| u.features).collect()
    }

    #[test]
    fn sentences_and_folds() {
        assert_eq!(feats("Verify your account. ok see you").len(), 2);
        // Digits for letters read back: the same word features.
        assert_eq!(feats("verify your account"), feats("v3rify y0ur acc0unt"));
        // Numbers by length class.
        assert_eq!(feats("code 123456"), feats("code 654321"));
        assert_ne!(feats("code 123456"), feats("code 1234567890"));
        assert_eq!(feats("请把验证码发给我").len(), 1);
        assert!(feats("").is_empty());
    }

    /// The unit starts as first written, char by char: the byte loop must agree.
    fn reference_starts(t: &str) -> Vec<usize> {
        let mut starts = vec![0];
        let mut chars = t.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let next_is_word = chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
            let next_is_digit = chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
            let ends = match c {
                '.' => !next_is_word,
                ',' | ';' => !next_is_digit,
                '\n' => true,
                '!' | '?' | '。' | '！' | '？' | '।' | '，' | '；' => true,
                _ => false,
            };
            let next = i + c.len_utf8();
            if ends && next < t.len() && starts.last() != Some(&next) {
                starts.push(next);
            }
        }
        starts
    }

    #[test]
    fn unit_starts_agree_with_the_char_loop() {
        for t in [
            "",
            "Verify your account. ok see you",
            "Pay 1,000.50 now, or else; really!? Yes.",
            "请把验证码发给我。谢谢！好吗？可以，行；好",
            "कोड भेजो। अभी",
            "a.b .c..d\n\ne,1 ,x;2 ;",
            "end.",
            "…。é,ü.Ä!",
            "ＯＫ！ｘ，ｙ",
        ] {
            assert_eq!(sentence_starts(t), reference_starts(t), "{t:?}");
        }
    }

    #[test]
    fn ascii_and_general_token_loops_agree() {
        // The same sentence with a non-ASCII character in a separate clause takes the
        // general loop for that clause only: the ASCII clause's features must not change.
        let contacts = [Contact {
            start: 30,
            end: 45,
            kind: "<link>",
        }];
        let t = "Send me the c0de and PIN $5 at www.example.com/x now @home 12345678 x@y";
        let mut ascii = Vec::new();
        sentence(
            t,
            0,
            t.len(),
            &contacts,
            &[],
            &|_, _| true,
            &mut Hashes {
                bits: 18,
                out: &mut ascii,
            },
        );
        // The general loop, forced by reading the sentence through its non-ASCII path.
        let mut general = Vec::new();
        general_tokens(
            t,
            0,
            &contacts,
            &|_, _| true,
            &mut Hashes {
                bits: 18,
                out: &mut general,
            },
        );
        assert_eq!(ascii, general);
    }

    #[test]
    fn names_match_hashes() {
        let t = "Send me the code now";
        let n = named(t, &[], &[], &|_, _| true, 18, &[(0, t.len())], &|_| true);
        let mut h: Vec<u32> = n.iter().map(|(b, _)| *b).collect();
        h.sort_unstable();
        h.dedup();
        assert_eq!(vec![h], feats(t));
        assert!(n.iter().any(|(_, s)| s == "send me"));
    }
}
