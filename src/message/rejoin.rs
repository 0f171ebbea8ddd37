//! Rejoins words that were taken apart to slip past filters, so that the red-flag rules read
//! them: letters spaced or dotted out (`v e r i f i c a t i o n`, `p.a.s.s.w.o.r.d`), spaced
//! Chinese characters (`验 证 码`), spaced or dotted Devanagari (`ओ टी पी`), a line break
//! inside a word (`pass\nword`, `驗證\n碼`), an emoji or symbol inside a word
//! (`ver🔹ification`), and Cyrillic or Greek look-alike letters inside an English word
//! (`pаsswоrd`). Every edit keeps the offset map, so spans still point into the caller's
//! text.

use crate::fold::{is_devanagari, is_han_or_kana, is_latin_letter};
use crate::knowledge::names::NameIndex;
use crate::knowledge::vocabulary::Vocabulary;

use super::mapped::Mapped;

/// The fewest spaced-out letters that count as a disguised word ("U S A" does not).
const MIN_SPACED_LETTERS: usize = 4;
/// The fewest spaced-out Chinese characters that count (`验 证 码`).
const MIN_SPACED_CJK: usize = 3;
/// The most symbols taken out of one place inside a word.
const MAX_INNER_SYMBOLS: usize = 2;

/// Rejoins disguised words in `text` (see the module docs).
///
/// Spaced-out brand names (`P a y P a l`) are left as they are: the brand finder reports them
/// as disguised names; a brand name that is also a channel word (WhatsApp) is joined.
pub(super) fn rejoin(text: &mut Mapped<'_>, words: &Vocabulary, names: &NameIndex) {
    // Most messages have nothing to rejoin: ASCII text without a line break or a run of
    // single letters is passed over after one look at its bytes.
    let ascii = text.text.is_ascii();
    let foreign = |c: char| is_pictograph(c) || is_look_alike_script(c) || c == '（';
    // An aside in ASCII brackets matters only between CJK or Devanagari characters.
    let aside = |t: &str| t.contains('(') && t.chars().any(is_unbroken_script);
    if !ascii && (text.text.chars().any(foreign) || aside(&text.text)) {
        let edits = inner_symbols_and_scripts(&text.text);
        if !edits.is_empty() {
            text.replace_ranges(&edits);
        }
    }
    let bytes = text.text.as_bytes();
    if ascii && !bytes.contains(&b'\n') && !has_spaced_run(bytes) {
        return;
    }
    if !ascii && text.text.chars().any(is_devanagari) {
        let edits = dotted_devanagari(&text.text);
        if !edits.is_empty() {
            text.replace_ranges(&edits);
        }
        let edits = spaced_devanagari(&text.text, words, names);
        if !edits.is_empty() {
            text.replace_ranges(&edits);
        }
    }
    // Text that is not ASCII ("ü" in chat) gets the same quick look, character by character.
    if !ascii && !text.text.contains('\n') && !has_spaced_chars(&text.text) {
        return;
    }
    let mut edits = spaced_and_broken(&text.text, words, names);
    // A brand name the vocabulary also reads (a channel such as WhatsApp) is joined too.
    edits.retain(|e| !names.is_brand_word(&e.2) || words.knows(&e.2.to_lowercase()));
    if !edits.is_empty() {
        text.replace_ranges(&edits);
    }
}

/// Chinese characters, Japanese kana and Korean syllables: the scripts written without
/// spaces between the parts of a word (Korean puts spaces between words, but not inside
/// them).
fn is_cjk(c: char) -> bool {
    crate::fold::is_east_asian(c)
}

/// A Devanagari sign written on the letter before it (vowel signs, virama, nukta,
/// anusvara…): never the start of a written character.
fn is_devanagari_mark(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}' | '\u{0951}'..='\u{0957}' | '\u{0962}'..='\u{0963}')
}

/// A script whose words have no break inside them: CJK, kana, Hangul, Devanagari (a break,
/// an emoji or an aside between two of its characters is a disguise).
fn is_unbroken_script(c: char) -> bool {
    is_cjk(c) || is_devanagari(c)
}

/// The most Devanagari characters joined from one dotted run.
const MAX_DOTTED_DEVANAGARI: usize = 64;

/// Edits that join Devanagari written characters separated one by one with the same dot or
/// symbol (`ओ.टी.पी`): at least three of them. Spaces are read by [`spaced_devanagari`],
/// which joins only what a term or a brand name covers: Hindi writes many one-character
/// words between spaces.
fn dotted_devanagari(t: &str) -> Vec<(usize, usize, String)> {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    // Written characters: a letter and the signs and virama-joined letters after it.
    let mut clusters: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if is_devanagari(c) && !is_devanagari_mark(c) {
            let start = i;
            i = cluster_end(&chars, i, is_devanagari);
            clusters.push((start, i));
        } else {
            i += 1;
        }
    }
    let mut edits = Vec::new();
    let mut k = 0;
    while k < clusters.len() {
        let sep_after = |x: usize| {
            let (_, end) = clusters[x];
            let sep = chars.get(end).map(|c| c.1)?;
            (sep != ' '
                && is_spacing_separator(sep)
                && clusters.get(x + 1).is_some_and(|n| n.0 == end + 1))
            .then_some(sep)
        };
        let Some(sep) = sep_after(k) else {
            k += 1;
            continue;
        };
        let mut last = k + 1;
        while last + 1 < clusters.len()
            && sep_after(last) == Some(sep)
            && last - k < MAX_DOTTED_DEVANAGARI
        {
            last += 1;
        }
        if last - k + 1 >= 3 {
            let joined: String = (k..=last)
                .map(|x| {
                    let (a, b) = clusters[x];
                    chars[a..b].iter().map(|c| c.1).collect::<String>()
                })
                .collect();
            let end = chars.get(clusters[last].1).map_or(t.len(), |c| c.0);
            edits.push((chars[clusters[k].0].0, end, joined));
        }
        k = last + 1;
    }
    edits
}

/// The end of the written character that starts with the letter at `start`: the letter,
/// the signs on it, and letters (as `letter` says) joined to it by a virama (`फ्लि`).
fn cluster_end(chars: &[(usize, char)], start: usize, letter: impl Fn(char) -> bool) -> usize {
    let mut j = start + 1;
    while j < chars.len()
        && (is_devanagari_mark(chars[j].1) || (chars[j - 1].1 == '\u{094D}' && letter(chars[j].1)))
    {
        j += 1;
    }
    j
}

/// Characters of text on each side of a spaced-out Devanagari run that are read with it.
const DEVANAGARI_CONTEXT: usize = 24;
/// The most pieces joined into one word, and the most term look-ups per message.
const MAX_DEVANAGARI_PIECES: usize = 12;
const MAX_DEVANAGARI_LOOKUPS: usize = 256;

/// Edits that join Devanagari letters spaced out one by one (`ओ टी पी`, `पा स व र् ड`):
/// pieces, each a letter with the signs written on it, standing between single spaces.
/// Hindi writes many one-letter words (है, को, न, से), so only a stretch of pieces that a
/// lexicon term or a brand name covers once joined is joined (`आ र बी आ ई के` gives
/// `आरबीआई के`): a negator such as न stays a word.
fn spaced_devanagari(
    t: &str,
    words: &Vocabulary,
    names: &NameIndex,
) -> Vec<(usize, usize, String)> {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(t.len(), |c| c.0);
    let in_word = |c: char| is_devanagari(c) && c != '।' && c != '॥';
    // A piece starting at `i`: its end (exclusive) when nothing of a word follows it. The
    // first piece of a run may hang on a letter with a virama (`ट्रां स फ र`: the split
    // came after the virama).
    let piece = |i: usize, first: bool| -> Option<usize> {
        let c = chars.get(i)?.1;
        if !in_word(c) || is_devanagari_mark(c) {
            return None;
        }
        let glued = i > 0 && in_word(chars[i - 1].1);
        if glued && !(first && chars[i - 1].1 == '\u{094D}') {
            return None;
        }
        let j = cluster_end(&chars, i, in_word);
        chars.get(j).is_none_or(|n| !in_word(n.1)).then_some(j)
    };
    let mut edits = Vec::new();
    // Term look-ups left for this message (each reads about fifty characters).
    let mut budget = MAX_DEVANAGARI_LOOKUPS;
    let mut i = 0;
    while i < chars.len() {
        let Some(mut end) = piece(i, true) else {
            i += 1;
            continue;
        };
        let mut pieces = vec![(i, end)];
        while pieces.len() < MAX_DOTTED_DEVANAGARI {
            match piece(end + 1, false) {
                Some(e) if chars.get(end).is_some_and(|c| c.1 == ' ') => {
                    pieces.push((end + 1, e));
                    end = e;
                }
                _ => break,
            }
        }
        // Join the longest stretch of pieces, from each piece on, that a lexicon term
        // covers once joined; the one-letter words around it stay words.
        let mut a = 0;
        while a + 1 < pieces.len() && budget > 0 {
            let last = (a + MAX_DEVANAGARI_PIECES).min(pieces.len()) - 1;
            let mut joined_to = None;
            for b in (a + 1..=last).rev() {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                let (from, to) = (pieces[a].0, pieces[b].1);
                let before = from.saturating_sub(DEVANAGARI_CONTEXT);
                let after = (to + DEVANAGARI_CONTEXT).min(chars.len());
                let mut context: String = chars[before..from].iter().map(|c| c.1).collect();
                let start = context.len();
                let joined: String = pieces[a..=b]
                    .iter()
                    .flat_map(|&(x, y)| chars[x..y].iter().map(|c| c.1))
                    .collect();
                context.push_str(&joined);
                let stop = context.len();
                context.extend(chars[to..after].iter().map(|c| c.1));
                if words.has_term_covering(&context, start, stop)
                    || names.covers(&context, start, stop)
                {
                    edits.push((chars[from].0, end_of(to), joined));
                    joined_to = Some(b);
                    break;
                }
            }
            a = joined_to.map_or(a + 1, |b| b + 1);
        }
        i = end + 1;
    }
    edits
}

/// The longest aside in brackets that is taken out from between two Chinese, Japanese or
/// Korean characters (`把驗證碼（6位數字）發給我`), in characters.
const MAX_ASIDE: usize = 12;

/// Pictographs and symbols that have no place inside a word: arrows, technical and geometric
/// shapes, dingbats, emoji.
fn is_pictograph(c: char) -> bool {
    matches!(c as u32, 0x2190..=0x2BFF | 0x1F000..=0x1FAFF)
}

/// Greek and Cyrillic.
fn is_look_alike_script(c: char) -> bool {
    matches!(c as u32, 0x0370..=0x04FF)
}

/// The ASCII letter a Cyrillic or Greek letter looks like, if any (UTS #39 skeleton).
fn latin_look_alike(c: char) -> Option<char> {
    let mut buf = [0u8; 4];
    let mut skeleton = unicode_security::skeleton(c.encode_utf8(&mut buf));
    match (skeleton.next(), skeleton.next()) {
        (Some(l), None) if l.is_ascii_alphabetic() => Some(l),
        _ => None,
    }
}

/// Edits for symbols between two letters of a word, and for look-alike letters of another
/// script inside a word that also has Latin letters.
fn inner_symbols_and_scripts(t: &str) -> Vec<(usize, usize, String)> {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(t.len(), |c| c.0);
    let mut edits = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let before = i.checked_sub(1).map(|p| chars[p].1);
        if is_pictograph(c) && before.is_some_and(|b| is_latin_letter(b) || is_unbroken_script(b)) {
            let mut j = i;
            while j < chars.len() && j - i < MAX_INNER_SYMBOLS && is_pictograph(chars[j].1) {
                j += 1;
            }
            let same_script = |n: char| {
                before.is_some_and(|b| {
                    (is_latin_letter(b) && is_latin_letter(n))
                        || (is_unbroken_script(b) && is_unbroken_script(n))
                })
            };
            if chars.get(j).is_some_and(|n| same_script(n.1)) {
                edits.push((at, end_of(j), String::new()));
                i = j;
                continue;
            }
        }
        // An aside in brackets between two Chinese, Japanese or Korean characters.
        if matches!(c, '（' | '(') && before.is_some_and(is_unbroken_script) {
            let close = if c == '（' { '）' } else { ')' };
            let inside = chars[i + 1..]
                .iter()
                .take(MAX_ASIDE + 1)
                .position(|x| x.1 == close);
            if let Some(n) = inside {
                let j = i + 1 + n + 1;
                // An aside of digits and CJK characters ("6位数字", "请注意").
                let aside_chars = chars[i + 1..i + 1 + n]
                    .iter()
                    .all(|x| x.1.is_numeric() || is_cjk(x.1) || x.1.is_whitespace());
                if n > 0 && aside_chars && chars.get(j).is_some_and(|x| is_unbroken_script(x.1)) {
                    edits.push((at, end_of(j), String::new()));
                    i = j;
                    continue;
                }
            }
        }
        if c.is_alphabetic() {
            // One word: its letters (and nothing else).
            let mut j = i;
            while j < chars.len() && chars[j].1.is_alphabetic() {
                j += 1;
            }
            let word = &chars[i..j];
            let latin = word.iter().any(|w| w.1.is_ascii_alphabetic());
            if latin && word.iter().any(|w| is_look_alike_script(w.1)) {
                for &(p, ch) in word {
                    if let Some(l) = latin_look_alike(ch).filter(|_| is_look_alike_script(ch)) {
                        edits.push((p, p + ch.len_utf8(), l.to_string()));
                    }
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    edits
}

/// Edits for letters or Chinese characters spaced out one by one, and for a line break
/// inside a word.
fn spaced_and_broken(
    t: &str,
    words: &Vocabulary,
    names: &NameIndex,
) -> Vec<(usize, usize, String)> {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(t.len(), |c| c.0);
    // A unit stands alone when no letter of its own kind touches it: a Chinese character
    // next to digits ("购 买20张") still stands alone.
    let touches = |a: char, b: char| {
        if is_cjk(a) {
            is_cjk(b)
        } else {
            b.is_alphanumeric()
        }
    };
    let standalone = |i: usize, is_unit: &dyn Fn(char) -> bool| {
        let c = chars[i].1;
        is_unit(c)
            && (i == 0 || !touches(c, chars[i - 1].1))
            && chars.get(i + 1).is_none_or(|n| !touches(c, n.1))
    };
    let mut edits = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        // One run may mix letters and CJK characters spaced out alike ("O.T.P.を.送.っ.て").
        let unit: &dyn Fn(char) -> bool = if c.is_ascii_digit() || is_latin_letter(c) || is_cjk(c) {
            &|c: char| c.is_ascii_digit() || is_latin_letter(c) || is_cjk(c)
        } else {
            // A line break inside a Devanagari word.
            if let Some(edit) = is_devanagari(c)
                .then(|| broken_word(t, &chars, i, words, names))
                .flatten()
            {
                i = chars.partition_point(|x| x.0 < edit.1);
                edits.push(edit);
                continue;
            }
            i += 1;
            continue;
        };
        // Chinese and Japanese put no spaces between words, so one word spaced out inside a
        // sentence (`请把验.证.码发给我`) touches the text around it: its first character may touch
        // what comes before it, and its last what comes after.
        let cjk_run = is_han_or_kana(c)
            && chars.get(i + 1).is_some_and(|s| is_spacing_separator(s.1))
            && chars.get(i + 2).is_some_and(|n| is_han_or_kana(n.1));
        let in_run = |j: usize| {
            standalone(j, unit)
                || (cjk_run
                    && is_han_or_kana(chars[j].1)
                    && (j == i || chars.get(j + 1).is_none_or(|n| is_han_or_kana(n.1))))
        };
        // A run of single units, each followed by the same one-character separator.
        if standalone(i, unit) || cjk_run {
            let sep = chars.get(i + 1).map(|s| s.1);
            let mut j = i;
            let mut last = i;
            let mut joined = String::new();
            while j < chars.len() && in_run(j) {
                joined.push(chars[j].1);
                last = j;
                if chars.get(j + 1).map(|s| s.1) == sep
                    && sep.is_some_and(is_spacing_separator)
                    && chars.get(j + 2).is_some_and(|n| unit(n.1))
                {
                    j += 2;
                } else {
                    break;
                }
            }
            // A letter followed by an apostrophe is an elided article or pronoun (French
            // "d'applications", "l'argent"), not the end of the spaced word before it.
            if last >= i + 2
                && chars
                    .get(last + 1)
                    .is_some_and(|a| matches!(a.1, '\'' | '’'))
                && is_latin_letter(chars[last].1)
            {
                joined.pop();
                last -= 2;
            }
            // The run ends after its last letter, not after the separator that follows it.
            let j = last + 1;
            // "a p r o t e c t e d", "c o d e s y": a one-letter word in front or behind
            // is no part of the word.
            let mut start = i;
            let mut j = j;
            let lower = joined.to_lowercase();
            if joined.chars().count() > 4 && !words.knows_exactly(&lower) {
                let first = lower.chars().next().map_or(0, char::len_utf8);
                let last = lower.len() - lower.chars().next_back().map_or(0, char::len_utf8);
                if words.knows_exactly(&lower[first..]) {
                    joined = joined.chars().skip(1).collect();
                    start += 2;
                } else if words.knows_exactly(&lower[..last]) {
                    joined.pop();
                    j -= 2;
                }
            }
            let count = joined.chars().count();
            let letters = joined.chars().filter(|&c| is_latin_letter(c)).count();
            let cjk = joined.chars().filter(|&c| is_cjk(c)).count();
            let enough = cjk >= MIN_SPACED_CJK
                || (count >= MIN_SPACED_LETTERS && letters + cjk >= MIN_SPACED_LETTERS - 1);
            if enough {
                edits.push((chars[start].0, end_of(j), joined));
                i = j;
                continue;
            }
        }
        // A line break between two parts of one word.
        if let Some(edit) = broken_word(t, &chars, i, words, names) {
            i = chars.partition_point(|x| x.0 < edit.1);
            edits.push(edit);
            continue;
        }
        i += 1;
    }
    edits
}

/// Whether ASCII text may hold [`MIN_SPACED_LETTERS`] single letters or digits each followed
/// by the same separator (`p.a.s.s`): a quick look that lets most messages skip the full pass.
fn has_spaced_run(b: &[u8]) -> bool {
    // The cheapest test first: in ordinary words two bytes apart rarely repeat three times.
    b.windows(7).any(|w| {
        w[1] == w[3]
            && w[3] == w[5]
            && !w[1].is_ascii_alphanumeric()
            && is_spacing_separator(char::from(w[1]))
            && w[0].is_ascii_alphanumeric()
            && w[2].is_ascii_alphanumeric()
            && w[4].is_ascii_alphanumeric()
            && w[6].is_ascii_alphanumeric()
    })
}

/// Whether text may hold three letters, digits or CJK characters with the same separator
/// between them (`验 证 码`, `v é r i f`): every spaced run [`spaced_and_broken`] joins has
/// them. The quick look for text that is not ASCII, read character by character.
fn has_spaced_chars(t: &str) -> bool {
    // The last five characters, newest last.
    let mut w = ['\0'; 5];
    t.chars().any(|c| {
        w.rotate_left(1);
        w[4] = c;
        let unit = |c: char| c.is_alphanumeric() || is_cjk(c);
        w[1] == w[3] && is_spacing_separator(w[1]) && unit(w[0]) && unit(w[2]) && unit(w[4])
    })
}

/// Separators people put between spaced-out letters.
fn is_spacing_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '.' | '-' | '_' | '*' | '·' | '|' | '/' | '+' | '\u{3000}'
    )
}

/// The edit that removes a line break inside a word starting at `chars[i]`: between two
/// Chinese characters, or between two parts of an English word that together make a listed
/// word (`pass\nword`).
fn broken_word(
    t: &str,
    chars: &[(usize, char)],
    i: usize,
    words: &Vocabulary,
    names: &NameIndex,
) -> Option<(usize, usize, String)> {
    let (at, c) = chars[i];
    if is_unbroken_script(c) {
        let next = chars.get(i + 1)?;
        let after = chars.get(i + 2)?;
        return (next.1 == '\n' && is_unbroken_script(after.1))
            .then(|| (next.0, after.0, String::new()));
    }
    if !is_latin_letter(c) || (i > 0 && chars[i - 1].1.is_alphanumeric()) {
        return None;
    }
    let first_end = t[at..]
        .find(|c: char| !is_latin_letter(c))
        .map_or(t.len(), |n| at + n);
    if t.as_bytes().get(first_end) != Some(&b'\n') {
        return None;
    }
    let second = first_end + 1;
    let second_end = t[second..]
        .find(|c: char| !is_latin_letter(c))
        .map_or(t.len(), |n| second + n);
    if second_end == second || second_end - at > 24 {
        return None;
    }
    let joined = format!("{}{}", &t[at..first_end], &t[second..second_end]).to_lowercase();
    let parts_are_words = words.knows(&t[at..first_end].to_lowercase())
        && words.knows(&t[second..second_end].to_lowercase());
    // Two words on two lines stay apart, unless together they are a longer word the rules
    // read ("pass\nword").
    let known = words.knows(&joined) || names.is_brand_word(&joined);
    (known && (!parts_are_words || joined.len() >= 8)).then(|| (first_end, second, String::new()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::mapped::Tricks;

    fn rejoined(s: &str) -> String {
        let mut tricks = Tricks::default();
        let mut m = Mapped::new(s, &mut tricks);
        let k = crate::knowledge::Knowledge::embedded();
        rejoin(&mut m, &k.vocabulary, &k.names);
        m.text
    }

    #[test]
    fn disguised_words_are_rejoined() {
        let cases = [
            ("v e r i f i c a t i o n  c o d e", "verification  code"),
            ("p.a.s.s.w.o.r.d", "password"),
            ("send the 验 证 码 now", "send the 验证码 now"),
            ("驗證\n碼", "驗證碼"),
            ("your pass\nword", "your password"),
            ("ver🔹ification", "verification"),
            ("pаsswоrd", "password"), // Cyrillic а and о
            (
                "o p t i m i s a t i o n d'applications",
                "optimisation d'applications",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(rejoined(input), expected, "{input:?}");
        }
    }

    #[test]
    fn spaced_devanagari_is_joined_only_into_a_term_or_name() {
        let cases = [
            // OTP spelt out, then a request.
            ("ओ टी पी भेजो", "ओटीपी भेजो"),
            // The one-letter postposition after the name stays a word.
            ("तुरंत आ र बी आ ई के अकाउंट में", "तुरंत आरबीआई के अकाउंट में"),
            // The negator stays a word: only the verb is put back together.
            ("किसी को न ब ता एं", "किसी को न बताएं"),
            // Split after a virama: the first piece hangs on the letter before it.
            ("पैसे ट्रां स फ र करो", "पैसे ट्रांसफर करो"),
            // A brand name.
            ("फ्लि प का र्ट ऑफर", "फ्लिपकार्ट ऑफर"),
            // One-letter words of ordinary Hindi are left alone.
            ("वो है न तो", "वो है न तो"),
            ("क ख ग घ", "क ख ग घ"),
        ];
        for (input, expected) in cases {
            assert_eq!(rejoined(input), expected, "{input:?}");
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for s in [
            "U S A",
            "J. R. R. Tolkien",
            "see you at 5 pm",
            "Привет, как дела",
            "don’t worry 😀 ok",
            "line one\nline two",
            "call 1 800 555 0199",
            "我们 明天 见",
        ] {
            assert_eq!(rejoined(s), s, "{s:?}");
        }
    }
}
