//! Text folding shared by every check, and nothing else: invisible characters, digit values
//! in any script, digit look-alikes, the folded keys that compare names, the look-alike
//! skeleton and the disguise fold that compare brand names, and cutting text on character
//! and clause boundaries. It imports no other module of the crate.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// `text` with its capitals lowered where that keeps every byte offset: ASCII capitals, and
/// other capitals whose lowercase is one character of the same length. The automata over
/// lowercase terms read this case-sensitively (a smaller table, faster to build, than
/// folding ASCII case inside the automaton), and the positions they report hold in `text`.
/// The same function applied to a term and to a text keeps every match that folding ASCII
/// case finds.
pub(crate) fn lowercase_same_offsets(text: &str) -> std::borrow::Cow<'_, str> {
    let other = !text.is_ascii() && text.chars().any(|c| !c.is_ascii() && c.is_uppercase());
    if !other {
        if !text.bytes().any(|b| b.is_ascii_uppercase()) {
            return std::borrow::Cow::Borrowed(text);
        }
        return std::borrow::Cow::Owned(text.to_ascii_lowercase());
    }
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                return c.to_ascii_lowercase();
            }
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        })
        .collect::<String>()
        .into()
}

/// The longest run of consecutive decimal digits in Unicode (the mathematical digits,
/// U+1D7CE–U+1D7FF, are five runs of ten).
const MAX_DIGIT_RUN: u32 = 100;

/// Characters that render as nothing (or only steer rendering) and can hide inside words and
/// addresses: zero-width and bidirectional controls, soft hyphen, Hangul fillers, variation
/// selectors and tag characters (Rspamd's URL_ZERO_WIDTH_SPACES and URL_RTL_OVERRIDE, plus
/// the selectors and tags that render as nothing after any character).
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{E0000}'..='\u{E007F}')
}

/// The largest character boundary of `s` at or before `i` (`s.len()` when `i` is past it).
pub(crate) fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest character boundary of `s` at or after `i` (`s.len()` when `i` is past it).
pub(crate) fn ceil_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Whether the line break at byte `i` of `t` is inside a sentence: between two letters of
/// which the second is lowercase (a word or a sentence wrapped or broken on purpose,
/// "pass\nword", "medi\nante"), or between two Chinese, Japanese, Korean or Devanagari
/// characters.
pub(crate) fn is_soft_break(t: &str, i: usize) -> bool {
    let before = t[..i].chars().next_back();
    let after = t[i + 1..].chars().next();
    match (before, after) {
        (Some(b), Some(a)) => {
            (b.is_alphabetic() && a.is_lowercase())
                || (is_east_asian(b) && is_east_asian(a))
                || (is_devanagari(b) && is_devanagari(a))
        }
        _ => false,
    }
}

/// Whether `c` is a Latin letter (ASCII, Latin-1, Latin Extended).
pub(crate) fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF)
            && c.is_alphabetic()
}

/// Devanagari letters and signs.
pub(crate) fn is_devanagari(c: char) -> bool {
    ('\u{0900}'..='\u{097F}').contains(&c)
}

/// CJK ideographs and kana: scripts that put no spaces between words (Hangul does).
pub(crate) fn is_han_or_kana(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Chinese characters, Japanese kana and Korean syllables.
pub(crate) fn is_east_asian(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Words that start a new clause inside a sentence ("don't worry and send me the code"):
/// English ones with the spaces around them, each with its own first letter, and Chinese ones
/// of two characters.
const ENGLISH_JOINS: [&str; 4] = [" and ", " but ", " then ", " so "];
const CHINESE_JOINS: [[char; 2]; 4] = [['然', '后'], ['然', '後'], ['但', '是'], ['可', '是']];

/// The byte offsets where clauses start (after sentence or clause punctuation, a line
/// break, or a joining word), ascending, starting with 0.
pub(crate) fn clause_starts(t: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = t.as_bytes();
    for (i, c) in t.char_indices() {
        if matches!(c, '然' | '但' | '可') {
            let next = t[i + c.len_utf8()..].chars().next();
            if CHINESE_JOINS
                .iter()
                .any(|w| w[0] == c && Some(w[1]) == next)
            {
                starts.push(i + c.len_utf8() + next.map_or(0, char::len_utf8));
            }
            continue;
        }
        if c == '\n' && is_soft_break(t, i) {
            continue;
        }
        // "12,500", "5.00", "10:30": a separator inside a number ends nothing.
        if matches!(c, '.' | ',' | ':')
            && t[..i].ends_with(|p: char| p.is_ascii_digit())
            && t[i + 1..].starts_with(|n: char| n.is_ascii_digit())
        {
            continue;
        }
        if matches!(
            c,
            '.' | '!'
                | '?'
                | ';'
                | ','
                | ':'
                | '\n'
                | '。'
                | '！'
                | '？'
                | '；'
                | '，'
                | '、'
                | '：'
                | '।'
                | '॥'
        ) {
            starts.push(i + c.len_utf8());
        }
    }
    // The English joining words, ASCII case folded, each found left to right without
    // overlaps: at a space, only the word that begins with the letter after it is compared.
    let mut resume = [0usize; ENGLISH_JOINS.len()];
    for (i, _) in bytes.iter().enumerate().filter(|(_, &b)| b == b' ') {
        let Some(k) = bytes.get(i + 1).and_then(|&b| {
            ENGLISH_JOINS
                .iter()
                .position(|w| w.as_bytes()[1] == b.to_ascii_lowercase())
        }) else {
            continue;
        };
        let w = ENGLISH_JOINS[k].as_bytes();
        if i >= resume[k]
            && bytes
                .get(i..i + w.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(w))
        {
            starts.push(i + w.len());
            resume[k] = i + w.len();
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
pub(crate) fn cap(s: &str, max: usize) -> &str {
    &s[..floor_boundary(s, max)]
}

/// The capital letter a negative circled or negative squared letter stands for (`🅿🅰🆂🆂`,
/// the "fancy text" that slips past keyword filters): NFKC leaves these as they are, while it
/// already reads the circled `ⓟ`, the squared `🄿` and the mathematical `𝐩` as letters.
pub(crate) fn enclosed_letter(c: char) -> Option<char> {
    let cp = c as u32;
    let base = match cp {
        0x1F150..=0x1F169 => 0x1F150, // 🅐 … 🅩 negative circled
        0x1F170..=0x1F189 => 0x1F170, // 🅰 … 🆉 negative squared
        _ => return None,
    };
    char::from_u32(u32::from(b'A') + cp - base)
}

/// Characters that stand for one digit without being category Nd: superscripts, subscripts,
/// circled and parenthesized forms, dingbats. (`①` and `⑴` are what SmokeDetector's list
/// calls "digit homoglyphs"; NFKC would turn `⑴` into `(1)`, which is also fine, but these
/// are mapped directly so that one character stays one digit.)
fn digit_symbol(c: char) -> Option<u8> {
    let cp = c as u32;
    let from = |base: u32, first: u8| Some(first + (cp - base) as u8);
    match cp {
        0xB9 => Some(1),
        0xB2 => Some(2),
        0xB3 => Some(3),
        0x2070 => Some(0),
        0x2074..=0x2079 => from(0x2074, 4),
        0x2080..=0x2089 => from(0x2080, 0),
        0x2460..=0x2468 => from(0x2460, 1),    // ① … ⑨
        0x2474..=0x247C => from(0x2474, 1),    // ⑴ … ⑼
        0x2488..=0x2490 => from(0x2488, 1),    // ⒈ … ⒐
        0x24EA | 0x24FF | 0x1F100 => Some(0),  // ⓪ ⓿ 🄀
        0x24F5..=0x24FD => from(0x24F5, 1),    // ⓵ … ⓽
        0x2776..=0x277E => from(0x2776, 1),    // ❶ … ❾
        0x2780..=0x2788 => from(0x2780, 1),    // ➀ … ➈
        0x278A..=0x2792 => from(0x278A, 1),    // ➊ … ➒
        0x1F101..=0x1F10A => from(0x1F101, 0), // 🄁 … 🄊 (digit comma)
        0x3007 => Some(0),                     // 〇 ideographic number zero
        _ => None,
    }
}

/// The value of `c` as a decimal digit in any script, or of a digit symbol such as `①`.
pub(crate) fn digit_value(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    if c.is_ascii() {
        return None;
    }
    if c.general_category() == GeneralCategory::DecimalNumber {
        // Decimal digits are encoded in whole runs of ten, 0 to 9 (a Unicode stability
        // policy), so the value is the distance from the start of the run, modulo ten.
        let cp = c as u32;
        let mut start = cp;
        while cp - start < MAX_DIGIT_RUN
            && char::from_u32(start - 1)
                .is_some_and(|p| p.general_category() == GeneralCategory::DecimalNumber)
        {
            start -= 1;
        }
        return Some(((cp - start) % 10) as u8);
    }
    digit_symbol(c)
}

/// Letters that scammers write in place of a digit inside a number: Latin, Cyrillic and Greek
/// O for 0, I / l / | for 1.
pub(crate) fn lookalike_digit(c: char) -> Option<u8> {
    match c {
        'O' | 'o' | 'О' | 'о' | 'Ο' | 'ο' | 'Ｏ' | 'ｏ' => Some(0),
        'I' | 'l' | '|' | 'І' | 'і' | 'ӏ' | 'Ӏ' | 'Ι' | 'Ｉ' | 'ｌ' | 'ǀ' => Some(1),
        _ => None,
    }
}

/// The phone-keypad digit of an ASCII letter (ITU E.161), for vanity numbers.
pub(crate) fn keypad_digit(c: char) -> Option<u8> {
    let d = match c.to_ascii_uppercase() {
        'A'..='C' => 2,
        'D'..='F' => 3,
        'G'..='I' => 4,
        'J'..='L' => 5,
        'M'..='O' => 6,
        'P'..='S' => 7,
        'T'..='V' => 8,
        'W'..='Z' => 9,
        _ => return None,
    };
    Some(d)
}

/// Folds a name for comparison: NFKC (full-width → ASCII), lowercase, and drop white space and
/// the joiners people put inside names (`-`, `_`, `.`, `·`, `・`). `"Trust Wallet"`,
/// `"trust-wallet"` and `"ＴＲＵＳＴ　ＷＡＬＬＥＴ"` all fold to `"trustwallet"`.
pub(crate) fn fold_key(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.' | '·' | '・' | '\'' | '’'))
        .collect()
}

/// UTS #39 skeleton, lowercased, without combining marks: the form two strings that look
/// alike share (`pаypal`, `paypa1`, `PAYPAL`, `paypál` → `paypal`; `m` → `rn`). Never shown to
/// users.
pub(crate) fn lookalike_fold(s: &str) -> String {
    if s.is_ascii() {
        let table = &*ASCII_FOLDS;
        return s.bytes().map(|b| table[usize::from(b)].as_str()).collect();
    }
    lookalike_fold_slow(s)
}

/// [`lookalike_fold_slow`] of every ASCII character: for ASCII text the skeleton is a
/// character-by-character mapping, so the table gives the same result without the Unicode
/// normalization passes (a test checks the equivalence).
static ASCII_FOLDS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    (0u8..128)
        .map(|b| lookalike_fold_slow(&char::from(b).to_string()))
        .collect()
});

/// [`lookalike_fold`] for any text.
fn lookalike_fold_slow(s: &str) -> String {
    let skeleton: String = unicode_security::skeleton(s).collect();
    skeleton
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .nfc()
        .collect()
}

/// Combining diacritical marks (the blocks that accents decompose into).
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Folds a word for disguise comparison in messages: the look-alike skeleton
/// ([`lookalike_fold`]), then the ASCII substitutions scammers use on top of it (`5`/`$`→s,
/// `3`→e, `4`/`@`→a; `0`→o, `1`/`I`/`|`→l come with the skeleton), and `rn`→m, `vv`→w, so
/// that `PayPaI`, `paypa1`, `Amaz0n` and `РayРal` fold like the brand names they imitate.
pub(crate) fn confusable_fold(word: &str) -> String {
    let base = lookalike_fold(word);
    let mut out = String::with_capacity(base.len());
    let mut chars = base
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | '|' => 'l',
            '5' | '$' => 's',
            '3' => 'e',
            '4' | '@' => 'a',
            _ => c,
        })
        .peekable();
    // `rn`→m and `vv`→w, left to right without overlaps (as `str::replace` would).
    while let Some(c) = chars.next() {
        let pair = match (c, chars.peek()) {
            ('r', Some('n')) => Some('m'),
            ('v', Some('v')) => Some('w'),
            _ => None,
        };
        if let Some(p) = pair {
            chars.next();
            out.push(p);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enclosed_letters_read_as_capitals() {
        let read: String = "🅿🅰🆂🆂🆆🅾🆁🅳 🅐🅩"
            .chars()
            .map(|c| enclosed_letter(c).unwrap_or(c))
            .collect();
        assert_eq!(read, "PASSWORD AZ");
        assert_eq!(enclosed_letter('🆊'), None);
        assert_eq!(enclosed_letter('A'), None);
    }

    #[test]
    fn clause_words_are_found_without_overlaps_in_any_case() {
        // `clause_starts` reads the English words at spaces, one word per letter after it.
        assert!(ENGLISH_JOINS.iter().all(|w| w.starts_with(' ')));
        let firsts: std::collections::HashSet<u8> =
            ENGLISH_JOINS.iter().map(|w| w.as_bytes()[1]).collect();
        assert_eq!(firsts.len(), ENGLISH_JOINS.len());
        assert_eq!(clause_starts("wait AND send"), [0, 9]);
        assert_eq!(clause_starts("x and and y"), [0, 6]);
        assert_eq!(clause_starts("好的然后发给我"), [0, 12]);
        assert_eq!(clause_starts("然後可是但是"), [0, 6, 12, 18]);
        assert_eq!(clause_starts("可以然"), [0]);
        assert_eq!(clause_starts("ok, so then"), [0, 3, 7]);
        assert_eq!(clause_starts("pay 12,500 rupees: at 10:30"), [0, 18]);
    }

    #[test]
    fn decimal_digits_of_every_script_come_from_the_unicode_tables() {
        // The zeros of runs of ten digits across Unicode versions, including scripts added in
        // Unicode 15 (Kawi, Nag Mundari) and 16 (Garay, Sunuwar, Kirat Rai, Ol Onal).
        let zeros = [
            0x660, 0x6F0, 0x966, 0xFF10, 0x104A0, 0x1D7CE, 0x1D7D8, 0x1D7F6, 0x1FBF0, 0x11F50,
            0x1E4F0, 0x10D40, 0x11BF0, 0x16D70, 0x1E5F1,
        ];
        for zero in zeros {
            for v in 0..10u8 {
                let c = char::from_u32(zero + u32::from(v)).unwrap();
                assert_eq!(digit_value(c), Some(v), "U+{:X}", zero + u32::from(v));
            }
        }
        assert_eq!(digit_value('٣'), Some(3));
        assert_eq!(digit_value('中'), None);
        assert_eq!(digit_value('a'), None);
    }

    #[test]
    fn skeletons_fold_lookalikes() {
        let paypal = lookalike_fold("paypal");
        assert_eq!(lookalike_fold("pаypal"), paypal); // Cyrillic а
        assert_eq!(lookalike_fold("раураӏ"), paypal); // all Cyrillic
        assert_eq!(lookalike_fold("paypa1"), paypal);
        assert_eq!(lookalike_fold("PAYPAL"), paypal);
        assert_eq!(lookalike_fold("paypál"), paypal);
        assert_eq!(lookalike_fold("ｐａｙｐａｌ"), paypal);
        assert_eq!(lookalike_fold("revoIut"), lookalike_fold("revolut"));
        assert_eq!(lookalike_fold("arnazon"), lookalike_fold("amazon"));
        assert_ne!(lookalike_fold("paypa"), paypal);
    }

    #[test]
    fn ascii_fast_path_matches_the_skeleton() {
        let samples = [
            "paypal",
            "PAYPAL",
            "paypa1",
            "rnetamask",
            "m",
            "revoIut",
            "g00gle",
            "a-b_c.d",
            "0123456789",
            "|l1I",
            "vvw",
            "cl d",
            "~!@#$%^&*()",
            "Mixed Case 42",
        ];
        for s in samples {
            assert_eq!(lookalike_fold(s), lookalike_fold_slow(s), "{s}");
        }
        let all: String = (32u8..127).map(char::from).collect();
        assert_eq!(lookalike_fold(&all), lookalike_fold_slow(&all));
    }

    #[test]
    fn disguise_folding() {
        assert_eq!(confusable_fold("PayPaI"), "paypal");
        assert_eq!(confusable_fold("paypa1"), "paypal");
        assert_eq!(confusable_fold("Amaz0n"), "amazon");
        assert_eq!(confusable_fold("РayРal"), confusable_fold("PayPal")); // Cyrillic Р
    }

    #[test]
    fn invisible_characters() {
        for c in [
            '\u{200B}',
            '\u{00AD}',
            '\u{FE0F}',
            '\u{E0041}',
            '\u{202E}',
            '\u{FEFF}',
        ] {
            assert!(is_invisible(c), "{c:?}");
        }
        for c in ['a', ' ', '-', '\u{00A0}', '中'] {
            assert!(!is_invisible(c), "{c:?}");
        }
    }

    #[test]
    fn boundaries() {
        let s = "a中b";
        assert_eq!(floor_boundary(s, 2), 1);
        assert_eq!(ceil_boundary(s, 2), 4);
        assert_eq!(floor_boundary(s, 99), s.len());
        assert_eq!(cap(s, 3), "a");
        assert_eq!(cap(s, 4), "a中");
    }

    #[test]
    fn digits_in_many_scripts() {
        assert_eq!(digit_value('7'), Some(7));
        assert_eq!(digit_value('７'), Some(7)); // full-width
        assert_eq!(digit_value('٣'), Some(3)); // Arabic-Indic
        assert_eq!(digit_value('۵'), Some(5)); // extended Arabic-Indic
        assert_eq!(digit_value('५'), Some(5)); // Devanagari
        assert_eq!(digit_value('૭'), Some(7)); // Gujarati (SmokeDetector #14324)
        assert_eq!(digit_value('𝟗'), Some(9)); // mathematical bold
        assert_eq!(digit_value('①'), Some(1));
        assert_eq!(digit_value('❾'), Some(9));
        assert_eq!(digit_value('⁸'), Some(8));
        assert_eq!(digit_value('〇'), Some(0));
    }

    #[test]
    fn non_digits_are_not_digits() {
        for c in ['a', 'O', '⑩', '五', ' ', '-', '\u{0669}' /* ٩ is 9 */] {
            if c == '\u{0669}' {
                assert_eq!(digit_value(c), Some(9));
            } else {
                assert_eq!(digit_value(c), None, "{c:?}");
            }
        }
        // The character just after a digit run is not a digit.
        assert_eq!(digit_value('\u{66A}'), None);
        assert_eq!(digit_value('\u{FF1A}'), None); // full-width colon
    }

    #[test]
    fn lookalikes_and_keypad() {
        assert_eq!(lookalike_digit('О'), Some(0)); // Cyrillic
        assert_eq!(lookalike_digit('l'), Some(1));
        assert_eq!(lookalike_digit('x'), None);
        let flowers: String = "FLOWERS"
            .chars()
            .map(|c| char::from(b'0' + keypad_digit(c).unwrap()))
            .collect();
        assert_eq!(flowers, "3569377");
    }

    #[test]
    fn folded_keys() {
        assert_eq!(fold_key("Trust Wallet"), "trustwallet");
        assert_eq!(fold_key("ＴＲＵＳＴ　ＷＡＬＬＥＴ"), "trustwallet");
        assert_eq!(fold_key("trust-wallet"), "trustwallet");
        assert_eq!(fold_key("微信支付"), "微信支付");
        assert_eq!(fold_key("MetaMask"), fold_key("metamask"));
    }
}
