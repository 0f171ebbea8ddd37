//! Message normalization that remembers where every byte came from, so that spans found in
//! the normalized text point into the caller's text.
//!
//! Steps: drop invisible characters (zero-width, bidi controls, soft hyphen, variation
//! selectors), NFKC each character (full-width → ASCII, compatibility forms; the negative
//! circled and squared letters `🅿🅰🆂🆂`, which NFKC keeps, become capitals), then undo link
//! obfuscation the way Rspamd does (`hxxp`, `[.]`, `(.)`, `{.}`, ` dot `, `h t t p s : / /`),
//! then undo words broken up with dots or written with look-alike digits and symbols
//! (`Y.our in.voice`, `F!x`, `W4S`).

use regex::Regex;

use std::sync::LazyLock;

use crate::fold::is_latin_letter;
use crate::knowledge::vocabulary::Vocabulary;
use crate::knowledge::Knowledge;
use crate::rules;
use crate::verdict::{Finding, Span};

pub(crate) use super::mapped::{Mapped, Tricks};

/// The link de-obfuscation patterns (fixed; a unit test compiles them).
static LINK_REPAIR: LazyLock<Option<LinkRepair>> = LazyLock::new(|| LinkRepair::new().ok());

/// Builds the link de-obfuscation patterns now.
pub(super) fn warm_up() {
    LazyLock::force(&LINK_REPAIR);
}

/// The normalize stage: the message as the later stages read it, with its offset map, and a
/// finding for each kind of trick that was undone.
pub(super) fn normalize<'a>(
    k: &Knowledge,
    input: &'a str,
    findings: &mut Vec<Finding>,
) -> Mapped<'a> {
    let mut tricks = Tricks::default();
    let mut norm = Mapped::new(input, &mut tricks);
    if let Some(repair) = &*LINK_REPAIR {
        repair.repair(&mut norm, &mut tricks);
    }
    let digit_words = repair_words(&mut norm, &mut tricks, &k.vocabulary, &|name| {
        k.domains.split(name).is_some()
    });
    if digit_words {
        letters_for_digits_in_words(&mut norm);
    }
    super::rejoin::rejoin(&mut norm, &k.vocabulary, &k.names);
    tidy_spacing(&mut norm);
    report_tricks(&tricks, input, findings);
    norm
}

/// Findings for the tricks normalization undid: invisible characters inside words, a
/// disguised link, two or more disguised words.
fn report_tricks(tricks: &Tricks, input: &str, findings: &mut Vec<Finding>) {
    if let Some(first) = tricks.hidden_in_words.first() {
        findings.push(rules::TEXT_HIDDEN_CHARACTERS.finding(
            format!(
                "The message hides {} invisible character(s) inside words, a trick to slip past filters.",
                tricks.hidden_in_words.len()
            ),
            "",
            *first,
        ));
    }
    if let Some(first) = tricks.link_obfuscations.first() {
        findings.push(rules::TEXT_OBFUSCATED_LINK.finding(
            "A web address in the message is disguised (hxxp, [.], \" dot \"), a trick to slip past filters.".into(),
            first.slice(input),
            *first,
        ));
    }
    let mut disguised: Vec<&str> = tricks
        .obfuscated_words
        .iter()
        .map(|w| w.1.as_str())
        .collect();
    disguised.sort_unstable();
    disguised.dedup();
    if disguised.len() >= 2 {
        let spans = &tricks.obfuscated_words;
        let span = Span::new(
            spans.iter().map(|w| w.0.start).min().unwrap_or(0),
            spans.iter().map(|w| w.0.end).max().unwrap_or(0),
        );
        let shown: Vec<String> = spans
            .iter()
            .take(4)
            .map(|(s, w)| format!("{:?} for {w:?}", s.slice(input)))
            .collect();
        findings.push(rules::TEXT_OBFUSCATED_WORDS.finding(
            format!(
                "The message disguises {} words ({}), a trick to slip past spam filters.",
                disguised.len(),
                shown.join(", ")
            ),
            span.slice(input),
            span,
        ));
    }
}

const TOKEN: u8 = 1;
const ALPHA: u8 = 2;
/// A look-alike digit or symbol.
const LEET: u8 = 4;
const DOT: u8 = 8;

/// Byte classes for the word-disguise scan: letters, digits and `.!|$@'` make tokens.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut k = 0;
        if c.is_ascii_alphanumeric() || matches!(c, b'.' | b'!' | b'|' | b'$' | b'@' | b'\'') {
            k |= TOKEN;
        }
        if c.is_ascii_alphabetic() {
            k |= ALPHA;
        }
        if !leet_letters(c).is_empty() {
            k |= LEET;
        }
        if c == b'.' {
            k |= DOT;
        }
        t[b] = k;
        b += 1;
    }
    t
};

/// How look-alike digits and symbols are read as letters; `1`, `!` and `|` may stand for
/// either i or l.
const fn leet_letters(b: u8) -> &'static [u8] {
    match b {
        b'0' => b"o",
        b'1' | b'!' | b'|' => b"il",
        b'3' => b"e",
        b'4' | b'@' => b"a",
        b'5' | b'$' => b"s",
        b'7' => b"t",
        _ => b"",
    }
}

/// The vocabulary word a disguised token stands for, if any: `in.voice` → invoice, `F!x` →
/// fix. `could_be_domain` tells whether `a.b` might be a host name (`he.re`, `paypal.com`),
/// which is left alone.
fn read_back<'w>(
    token: &str,
    words: &'w Vocabulary,
    could_be_domain: &dyn Fn(&str) -> bool,
) -> Option<&'w str> {
    /// Longer tokens are no word.
    const MAX: usize = 24;
    let raw = token.as_bytes();
    let core_len =
        if raw.len() > 2 && raw[raw.len() - 2] == b'\'' && (raw[raw.len() - 1] | 0x20) == b's' {
            raw.len() - 2
        } else {
            raw.len()
        };
    if !(3..=MAX).contains(&core_len) {
        return None;
    }
    let mut buf = [0u8; MAX];
    for (d, s) in buf.iter_mut().zip(&raw[..core_len]) {
        *d = s.to_ascii_lowercase();
    }
    let core = &buf[..core_len];
    let word = |w: &[u8]| words.get(std::str::from_utf8(w).ok()?);
    if let Some(dot) = core.iter().position(|&b| b == b'.') {
        // One dot between letters, the second part in lower case ("Y.our", "mo.nth"); a
        // capital after the dot is a missing space or a host name ("home.So", "W3NGZ.COM").
        let (left, right) = (&core[..dot], &core[dot + 1..]);
        if left.is_empty()
            || right.is_empty()
            || !left.iter().all(u8::is_ascii_alphabetic)
            || !right.iter().all(u8::is_ascii_alphabetic)
            || !raw[dot + 1].is_ascii_lowercase()
        {
            return None;
        }
        // Two words with a missing space ("some.one") are not a disguise.
        if word(left).is_some() && word(right).is_some() {
            return None;
        }
        let mut joined = [0u8; MAX];
        joined[..dot].copy_from_slice(left);
        joined[dot..core_len - 1].copy_from_slice(right);
        let found = word(&joined[..core_len - 1])?;
        return (!could_be_domain(std::str::from_utf8(core).ok()?)).then_some(found);
    }
    let letters = core.iter().filter(|b| b.is_ascii_alphabetic()).count();
    let disguised = core
        .iter()
        .all(|&b| b.is_ascii_alphabetic() || !leet_letters(b).is_empty());
    // 0 for o alone is how some people type ("n0w", "f0r"): such a word is read back when it
    // is a word of the lexicons ("c0de", "passw0rd"), but the caller does not count it as a
    // disguise.
    let telling = core.iter().any(|&b| CLASS[usize::from(b)] & LEET != 0);
    let ambiguous: Vec<usize> = (0..core_len)
        .filter(|&i| leet_letters(core[i]).len() > 1)
        .collect();
    if letters < 2 || !disguised || !telling || ambiguous.len() > 3 {
        return None;
    }
    let mut candidate = [0u8; MAX];
    for (d, &b) in candidate.iter_mut().zip(core) {
        *d = leet_letters(b).first().copied().unwrap_or(b);
    }
    // Every choice of i or l for the ambiguous ones (at most 8).
    for choice in 0..1u32 << ambiguous.len() {
        for (bit, &i) in ambiguous.iter().enumerate() {
            candidate[i] = leet_letters(core[i])[((choice >> bit) & 1) as usize];
        }
        if let Some(w) = word(&candidate[..core_len]) {
            return Some(w);
        }
    }
    None
}

/// The end of the token that starts at `start`, and whether it is telling: a letter touches a
/// look-alike digit or symbol, or a dot with a lower-case letter after it (most tokens have
/// neither and are passed over).
fn scan_token(bytes: &[u8], start: usize) -> (usize, bool) {
    let class = |b: u8| CLASS[usize::from(b)];
    let mut telling = false;
    let mut prev = 0;
    let mut k = start;
    while k < bytes.len() {
        let c = class(bytes[k]);
        if c & TOKEN == 0 {
            break;
        }
        telling |= (prev & ALPHA != 0 && c & LEET != 0)
            || (prev & LEET != 0 && c & ALPHA != 0)
            || (prev & ALPHA != 0
                && c & DOT != 0
                && bytes.get(k + 1).is_some_and(u8::is_ascii_lowercase));
        prev = c;
        k += 1;
    }
    (k, telling)
}

/// The edits that turn a disguised token at `s` into `word`, character by character so that
/// every other byte keeps its place: the dot goes, a digit or symbol becomes the letter it
/// stands for.
fn letter_edits(token: &str, s: usize, word: &str, edits: &mut Vec<(usize, usize, String)>) {
    let mut letters = word.bytes();
    for (k, b) in token.bytes().enumerate() {
        if b == b'.' {
            edits.push((s + k, s + k + 1, String::new()));
        } else if let Some(l) = letters.next() {
            if !b.is_ascii_alphabetic() {
                edits.push((s + k, s + k + 1, char::from(l).to_string()));
            }
        }
    }
}

/// Reads back words broken up with dots or written with look-alike digits and symbols, so
/// that the rules see `your invoice` in `Y.our in.voice`; records each one. Returns whether a
/// letter next to a look-alike digit was left as it was (a word for
/// [`letters_for_digits_in_words`]).
pub(crate) fn repair_words(
    text: &mut Mapped<'_>,
    tricks: &mut Tricks,
    words: &Vocabulary,
    could_be_domain: &dyn Fn(&str) -> bool,
) -> bool {
    let bytes = text.text.as_bytes();
    let class = |b: u8| CLASS[usize::from(b)];
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    // A letter next to a look-alike digit that no vocabulary word explains: the word-level
    // pass [`letters_for_digits_in_words`] is worth running.
    let mut digit_words = false;
    let mut found: Vec<(Span, &str)> = Vec::new();
    let mut i = 0;
    // Only tokens with a dot or a look-alike digit or symbol in them can be disguised words:
    // jump from one such byte to the next and look at the token around it.
    while let Some(off) = bytes[i..]
        .iter()
        .position(|&b| class(b) & (LEET | DOT) != 0)
    {
        let at = i + off;
        let mut start = at;
        while start > i && class(bytes[start - 1]) & TOKEN != 0 {
            start -= 1;
        }
        let (k, telling) = scan_token(bytes, start);
        // `at` is part of the token, so this always moves on.
        i = k;
        if !telling {
            continue;
        }
        // Part of a word with letters beyond ASCII (`tr4nsf3rência`): the word-level pass
        // reads it whole.
        let has_digit = bytes[start..i].iter().any(u8::is_ascii_digit);
        if text.text[i..].chars().next().is_some_and(is_latin_letter)
            || text.text[..start]
                .chars()
                .next_back()
                .is_some_and(is_latin_letter)
        {
            digit_words |= has_digit;
            continue;
        }
        // Part of a link or an address: leave it to the link checks (the word-level pass
        // tells a link from a hyphenated word).
        if bytes.get(i) == Some(&b'/')
            || (start > 0 && matches!(bytes[start - 1], b'/' | b':' | b'-' | b'_' | b'@'))
        {
            digit_words |= has_digit;
            continue;
        }
        let mut s = start;
        let mut e = i;
        while s < e && matches!(bytes[s], b'.' | b'\'') {
            s += 1;
        }
        while e > s && matches!(bytes[e - 1], b'.' | b'!' | b'\'') {
            e -= 1;
        }
        let token = &text.text[s..e];
        if token.len() > 26 {
            continue;
        }
        if let Some(word) = read_back(token, words, could_be_domain) {
            letter_edits(token, s, word, &mut edits);
            // 0 for o is also how people type ("n0w", "ph0ne"): read back, but no evidence of
            // a disguise on its own.
            if token
                .bytes()
                .any(|b| b != b'0' && class(b) & (LEET | DOT) != 0)
            {
                found.push((text.span(s, e), word));
            }
        } else {
            digit_words |= has_digit;
        }
    }
    if !edits.is_empty() {
        text.replace_ranges(&edits);
        tricks
            .obfuscated_words
            .extend(found.into_iter().map(|(s, w)| (s, w.to_string())));
    }
    digit_words
}

/// The letter a digit stands for inside a word (the first of [`leet_letters`]: 0 o, 1 i,
/// 3 e, 4 a, 5 s, 7 t).
fn digit_letter(b: u8) -> Option<u8> {
    if b.is_ascii_digit() {
        leet_letters(b).first().copied()
    } else {
        None
    }
}

/// Reads digits inside words as the letters they stand for, in words of any Latin alphabet
/// that the word-by-word read-back cannot take whole: compounds and words with accents
/// (`Fr31sch4ltg3bühr`, `B3stät1gungsc0d3`, `transf3rência`). A word qualifies when its
/// only digits are 0, 1, 3, 4, 5 and 7 and they stand for letters (see
/// [`digits_stand_for_letters`]); a word touching a link, an address, a handle or another
/// digit is left alone. Ordinary writing has few such words (`4pm`, `15th`, `gr8`, `mp3`,
/// `30days` keep their digits), and a product code read as letters matches no term, so this
/// is no evidence of a disguise on its own: the rules simply read the words.
fn letters_for_digits_in_words(text: &mut Mapped<'_>) {
    let bytes = text.text.as_bytes();
    // Most messages have no digit between two letters: one byte pass tells.
    let interior = |i: usize| {
        i > 0
            && i + 1 < bytes.len()
            && digit_letter(bytes[i]).is_some()
            && (bytes[i - 1].is_ascii_alphabetic() || bytes[i - 1] >= 0x80)
    };
    if !(1..bytes.len()).any(interior) {
        return;
    }
    let s = text.text.as_str();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    // The run of text without white space around the last word looked at, and whether it
    // is a link or an address: worked out once per run, so a long run of words costs one
    // pass.
    let mut run: Option<(usize, usize, bool)> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_latin_letter(c) && digit_letter_char(c).is_none() {
            continue;
        }
        // The word: Latin letters and the digits that stand for letters.
        let mut end = start + c.len_utf8();
        while let Some(&(i, d)) = chars.peek() {
            if is_latin_letter(d) || digit_letter_char(d).is_some() {
                end = i + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let word = &s[start..end];
        let before = s[..start].chars().next_back();
        let after = s[end..].chars().next();
        let joined = |c: Option<char>| {
            c.is_some_and(|c| c.is_ascii_digit() || matches!(c, '/' | ':' | '_' | '@' | '.'))
        };
        // A hyphen joins words (`time-s3ns1t1v3`), or the parts of a number (`1-800-FL0WERS`).
        let number_before = before == Some('-')
            && s[..start - 1]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit());
        if joined(before) || number_before || (joined(after) && !matches!(after, Some('.' | ':'))) {
            continue;
        }
        // A dot or a colon ends a sentence or a label, or goes on into a link (`w0rd.com`,
        // `http:`).
        if matches!(after, Some('.' | ':'))
            && s[end + 1..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '/')
        {
            continue;
        }
        if !digits_stand_for_letters(word) {
            continue;
        }
        let known = run.filter(|&(from, to, _)| from <= start && end <= to);
        let here = known.unwrap_or_else(|| {
            // Runs are met in order: the white space before this one is after the last.
            let floor = run.map_or(0, |(_, to, _)| to.min(start));
            let from = s[floor..start]
                .rfind(char::is_whitespace)
                .map_or(floor, |i| {
                    floor + i + s[floor + i..].chars().next().map_or(1, char::len_utf8)
                });
            let to = s[end..]
                .find(char::is_whitespace)
                .map_or(s.len(), |i| end + i);
            (from, to, in_link_or_address(&s.as_bytes()[from..to]))
        });
        run = Some(here);
        if here.2 {
            continue;
        }
        for (k, b) in word.bytes().enumerate() {
            if let Some(l) = digit_letter(b) {
                edits.push((start + k, start + k + 1, char::from(l).to_string()));
            }
        }
    }
    if !edits.is_empty() {
        text.replace_ranges(&edits);
    }
}

/// Whether a run of text without white space is (or holds) a link or an address: it has
/// `://`, `www.`, `@` or a dot between letters or digits.
fn in_link_or_address(token: &[u8]) -> bool {
    token.windows(3).any(|w| w == b"://")
        || token.windows(4).any(|w| w.eq_ignore_ascii_case(b"www."))
        || token.contains(&b'@')
        || token
            .windows(3)
            .any(|w| w[1] == b'.' && w[0].is_ascii_alphanumeric() && w[2].is_ascii_alphanumeric())
}

fn digit_letter_char(c: char) -> Option<u8> {
    u8::try_from(c).ok().and_then(digit_letter)
}

/// Whether a word of Latin letters and look-alike digits is a word written with digits:
/// every run of digits one or two long, at least one of them between letters, and four
/// characters or more with two letters or more (`c0d3`, `1mméd14t3m3nt`), or a run at the
/// end of a word of five letters or more (`urgênc14`); not `30days`, `4ever`, `mp3`, whose
/// digits are numbers.
fn digits_stand_for_letters(word: &str) -> bool {
    let mut letters = 0;
    let mut chars = 0;
    let mut run = 0;
    let mut interior = false;
    for c in word.chars() {
        chars += 1;
        if digit_letter_char(c).is_some() {
            run += 1;
            if run > 2 {
                return false;
            }
        } else {
            if run > 0 && letters > 0 {
                interior = true;
            }
            run = 0;
            letters += 1;
        }
    }
    (interior && letters >= 2 && chars >= 4)
        || (run > 0 && letters >= 5 && starts_with_letter(word))
}

fn starts_with_letter(word: &str) -> bool {
    word.chars().next().is_some_and(is_latin_letter)
}

/// Evens out the spacing that rules read words through. A run of spaces and tabs becomes one
/// space; line breaks stay (a brand alone at the end of a line signs the message). A word
/// glued to a shouted word is split in two (`significantCOMPENSATION`, `getREIMBURSED`: two
/// or more small letters, then four or more capitals), a trick bulk senders use to slip past
/// keyword filters. Tokens with digits or link punctuation are left alone, and so are small
/// letters that follow capitals (`QQqiWECHAT`, a handle): links, codes and handles keep
/// their letters.
pub(crate) fn tidy_spacing(text: &mut Mapped<'_>) {
    let bytes = text.text.as_bytes();
    if !needs_tidying(bytes) {
        return;
    }
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    // Where the current token (run of non-white-space bytes) started.
    let mut token_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let run = &bytes[start..i];
            if run != b" " && !run.contains(&b'\n') && !run.contains(&b'\r') {
                edits.push((start, i, " ".to_string()));
            }
            token_start = i;
            continue;
        }
        // Most bytes end here: only a capital after a small letter can start a shouted word.
        if b.is_ascii_uppercase()
            && i > token_start
            && bytes[i - 1].is_ascii_lowercase()
            && glued_shout(bytes, token_start, i)
        {
            edits.push((i, i, " ".to_string()));
        }
        i += 1;
    }
    if !edits.is_empty() {
        text.replace_ranges(&edits);
    }
}

/// For [`needs_tidying`], per byte: its class (1 a space, 2 other white space, 4 a small
/// letter, 8 a capital) and the classes that are worth a look right after it.
const SPACING: [(u8, u8); 256] = {
    let mut t = [(0u8, 2u8); 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b == b' ' {
            (1, 2 | 1)
        } else if b.is_ascii_whitespace() {
            (2, 2)
        } else if b.is_ascii_lowercase() {
            (4, 2 | 8)
        } else if b.is_ascii_uppercase() {
            (8, 2)
        } else {
            (0, 2)
        };
        i += 1;
    }
    t
};

/// Whether `bytes` has anything [`tidy_spacing`] might change: white space other than a single
/// space, or a capital right after a small letter. One table lookup per byte: most messages
/// have neither and are passed over.
fn needs_tidying(bytes: &[u8]) -> bool {
    // Other white space is always worth a look; a space after a space; a capital after a
    // small letter.
    let mut worth = 2u8;
    for &b in bytes {
        let (class, next) = SPACING[usize::from(b)];
        if class & worth != 0 {
            return true;
        }
        worth = next;
    }
    false
}

/// Whether the capital at `at`, in the token that starts at `token_start`, starts a shouted
/// word glued to a small-letter one (see [`tidy_spacing`]).
fn glued_shout(bytes: &[u8], token_start: usize, at: usize) -> bool {
    let end = bytes[at..]
        .iter()
        .position(u8::is_ascii_whitespace)
        .map_or(bytes.len(), |n| at + n);
    let token = &bytes[token_start..end];
    let core_len = token.len()
        - token
            .iter()
            .rev()
            .take_while(|b| b".,!?;:)\"".contains(b))
            .count();
    let core = &token[..core_len];
    if core.len() < 6
        || !core
            .iter()
            .all(|b| b.is_ascii_alphabetic() || *b == b'-' || *b == b'\'')
        || at >= token_start + core.len()
    {
        return false;
    }
    // The small-letter word is the whole hyphen-separated part before the capital.
    let part_start = core[..at - token_start]
        .iter()
        .rposition(|&b| b == b'-')
        .map_or(token_start, |p| token_start + p + 1);
    let lower = &bytes[part_start..at];
    let upper = bytes[at..token_start + core.len()]
        .iter()
        .take_while(|b| b.is_ascii_uppercase())
        .count();
    lower.len() >= 2 && lower.iter().all(u8::is_ascii_lowercase) && upper >= 4
}

/// The link de-obfuscation patterns.
#[derive(Debug)]
pub(crate) struct LinkRepair {
    any: Regex,
    scheme: Regex,
    spaced_scheme: Regex,
    dot: Regex,
    word_dot: Regex,
    broken_scheme: Regex,
}

impl LinkRepair {
    pub(crate) fn new() -> Result<LinkRepair, regex::Error> {
        Ok(LinkRepair {
            any: Regex::new(
                r"(?i)hxxp|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\sdot\s|h\s+t\s+t\s+p|https?:(?::|/?)https?://",
            )?,
            scheme: Regex::new(r"(?i)(?-u:\b)hxxp(s?)(?-u:\b)")?,
            spaced_scheme: Regex::new(r"(?i)(?-u:\b)h\s+t\s+t\s+p\s*(s?)\s*:\s*/\s*/\s*")?,
            dot: Regex::new(r"(?i)\s?(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\))\s?")?,
            word_dot: Regex::new(
                r"(?i)(?-u:\b)([a-z0-9-]{2,63})\s+dot\s+(com|net|org|info|io|co|me|app|xyz|top|shop|site|online|link|cn|ru|uk|us|biz|club|vip|cc)(?-u:\b)",
            )?,
            // A broken scheme in front of a whole link (`https::http://`, `https:http://`),
            // which keeps link scanners and previews from seeing the link. Not a doubled
            // `http://http://`, a common copy-and-paste slip.
            broken_scheme: Regex::new(r"(?i)(?-u:\b)https?:(?::|/?)(https?://)")?,
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
        found.extend(text.replace_all(&self.broken_scheme, |c| c[1].to_string()));
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
            ("https::http://evil.shop/a.php", "http://evil.shop/a.php"),
            ("go https:http://198.51.100.7/x", "go http://198.51.100.7/x"),
            (
                "visit paypal-help dot com today",
                "visit paypal-help.com today",
            ),
        ] {
            let (t, tricks) = norm(input);
            assert_eq!(t, want, "{input}");
            assert!(!tricks.link_obfuscations.is_empty(), "{input}");
        }
        for kept in [
            "connect the dots, see the dot on the map",
            "oops http://http://example.com",
        ] {
            let (t, tricks) = norm(kept);
            assert_eq!(t, kept);
            assert!(tricks.link_obfuscations.is_empty(), "{kept}");
        }
    }

    fn words(s: &str) -> (String, Vec<(String, String)>) {
        let mut tricks = Tricks::default();
        let mut m = Mapped::new(s, &mut tricks);
        let tlds = ["com", "re", "so", "net"];
        repair_words(
            &mut m,
            &mut tricks,
            &Vocabulary::listed_only(),
            &|n: &str| tlds.iter().any(|t| n.ends_with(&format!(".{t}"))),
        );
        let found = tricks
            .obfuscated_words
            .iter()
            .map(|(span, w)| (span.slice(s).to_string(), w.clone()))
            .collect();
        (m.text.clone(), found)
    }

    #[test]
    fn disguised_words_are_read_back() {
        let (t, found) = words("Y.our in.voice was p.aid, he.re's a gift: x.com/a F!x it, W4S");
        assert_eq!(
            t,
            "Your invoice was paid, he.re's a gift: x.com/a Fix it, WaS"
        );
        let want = [
            ("Y.our", "your"),
            ("in.voice", "invoice"),
            ("p.aid", "paid"),
            ("F!x", "fix"),
            ("W4S", "was"),
        ];
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(got, want);
        // Spans of the rules' matches map back over the disguised word.
        let original = "your acco.unt is lo.cked";
        let mut tricks = Tricks::default();
        let mut m = Mapped::new(original, &mut tricks);
        repair_words(
            &mut m,
            &mut tricks,
            &Vocabulary::listed_only(),
            &|_: &str| false,
        );
        let start = m.text.find("account").unwrap();
        let end = m.text.find("locked").unwrap() + "locked".len();
        assert_eq!(m.span(start, end).slice(original), "acco.unt is lo.cked");
    }

    #[test]
    fn byte_classes_agree_with_the_letter_table() {
        for b in 0..=255u8 {
            let leet = !leet_letters(b).is_empty();
            assert_eq!(CLASS[usize::from(b)] & LEET != 0, leet, "{b}");
        }
    }

    #[test]
    fn ordinary_writing_is_not_read_as_disguise() {
        for s in [
            "ok.see you at home.So sorry",
            "i.e. the U.S. one, e.g. a.m.",
            "gr8 4u, 2day l8r",
            "some.one any.way",
            "paypal.com W3NGZ.COM/abc https://a.b/c.d",
            "mail me at fo.r@example.org or see site/fo.r",
            "3rd 15th 1st 4pm $100 @home",
        ] {
            let (t, found) = words(s);
            assert_eq!(t, s);
            assert!(found.is_empty(), "{s}: {found:?}");
        }
    }

    #[test]
    fn digits_inside_words_of_any_latin_alphabet_are_read_as_letters() {
        let fold = |s: &str| {
            let mut m = Mapped::new(s, &mut Tricks::default());
            letters_for_digits_in_words(&mut m);
            m.text
        };
        assert_eq!(
            fold("Ihr B3stät1gungsc0d3 bitte"),
            "Ihr Bestätigungscode bitte"
        );
        assert_eq!(
            fold("uma tr4nsf3rência com urgênc14."),
            "uma transferência com urgência."
        );
        assert_eq!(
            fold("Fr31sch4ltg3bühr, time-s3ns1t1v3"),
            "Freischaltgebühr, time-sensitive"
        );
        assert_eq!(fold("A1rt3l: call"), "Airtel: call");
        for s in [
            "4pm 15th gr8 mp3 30days 4ever 2day l8r h2o",
            "call 1-800-FL0WERS or 1800-C4LLNOW",
            "w0rd.com http://x.y/ab3cd user_n4me@x.com https://t.co/a1b2c3d4",
            "https://secur-34b0a-protect.example.org/auth/ go.example.net/l0g1n-h3lp",
            "10:30 AB12CD34 1Z999AA10123456784 Rs.5,00,000",
            "验证码3次 请在3天内",
        ] {
            assert_eq!(fold(s), s);
        }
    }

    #[test]
    fn zero_for_o_is_read_back_but_is_no_disguise() {
        let (t, found) = words("f0r n0w send the c0de");
        assert_eq!(t, "for now send the code");
        assert!(found.is_empty(), "{found:?}");
        let (t, found) = words("send the c0d3");
        assert_eq!(t, "send the code");
        assert_eq!(found.len(), 1);
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

    fn tidied(s: &str) -> String {
        let mut m = Mapped::new(s, &mut Tricks::default());
        tidy_spacing(&mut m);
        m.text
    }

    #[test]
    fn spacing_is_evened_out() {
        assert_eq!(tidied("Give  Away\r\nnow\t!"), "Give Away\r\nnow !");
        assert_eq!(
            tidied("you may be entitled to significantCOMPENSATION. getREIMBURSED"),
            "you may be entitled to significant COMPENSATION. get REIMBURSED"
        );
        assert_eq!(tidied("noCOST-Consultation"), "no COST-Consultation");
        assert_eq!(tidied("(x) now-getREFUND!"), "(x) now-get REFUND!");
        // Not split: brand spellings, handles, links and codes, short capital runs.
        for kept in [
            "PayPAL",
            "iPHONE",
            "QQqiWECHAT",
            "bit.ly/abCDEFG",
            "code abcDEFG1",
            "yourAutOPOlicy",
            "one two",
        ] {
            assert_eq!(tidied(kept), kept);
        }
        // Spans still point into the original text.
        let original = "win  a  prize";
        let mut m = Mapped::new(original, &mut Tricks::default());
        tidy_spacing(&mut m);
        let start = m.text.find("prize").unwrap();
        assert_eq!(m.span(start, start + 5).slice(original), "prize");
        assert_eq!(m.span(0, m.text.len()).slice(original), original);
    }
}
