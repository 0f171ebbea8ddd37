//! Reads a phone number the way a person would, whatever a scammer did to hide it from
//! filters: digits of any script, letters O / I / l standing for digits, odd separators
//! (`⛧`, `¨`, `*`, em dashes, `[{( )}]`, emoji), spaced-out digits and vanity letters.
//!
//! This runs before phonenumber, which reads a letter O as keypad 6 and rejects full-width
//! digits.

use crate::fold::{digit_value, keypad_digit, lookalike_digit};
use crate::verdict::Span;

/// The most digits a phone number can have (E.164: 15, plus a trunk or exit prefix).
const MAX_DIGITS: usize = 18;
/// The longest run of separator characters allowed between two digit groups
/// (`8 8 8 } - ( 8` has runs of seven).
const MAX_SEPARATOR_RUN: usize = 8;
/// The most characters looked at for one number, whatever the input's length.
const MAX_CHARS: usize = 128;

/// What a scammer did to the number. Each is a bit; see [`Tricks::names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Tricks(u8);

impl Tricks {
    /// Letters O / I / l (Latin, Cyrillic, Greek) standing for 0 and 1.
    pub const LETTER_DIGITS: Tricks = Tricks(1);
    /// Digits of two different scripts in one number (`１-8OO-5５5`).
    pub const MIXED_DIGITS: Tricks = Tricks(2);
    /// Separators people do not use in phone numbers (`⛧ ¨ * — [ { } ]`, emoji).
    pub const ODD_SEPARATORS: Tricks = Tricks(4);
    /// Digits spaced out one by one (`8 8 8`).
    pub const SPACED_DIGITS: Tricks = Tricks(8);
    /// Digits of one non-ASCII script only, such as full-width digits from a Chinese IME.
    /// Not a trick by itself; recorded so that the verdict can say so.
    pub const NON_ASCII_DIGITS: Tricks = Tricks(16);
    /// Vanity letters read on a phone keypad (1-800-FLOWERS). Legitimate businesses use them.
    pub const VANITY: Tricks = Tricks(32);

    /// The tricks that a legitimate sender has no reason to use.
    pub const OBFUSCATION: Tricks = Tricks(1 | 2 | 4 | 8);

    pub fn contains(self, other: Tricks) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn intersects(self, other: Tricks) -> bool {
        self.0 & other.0 != 0
    }

    fn insert(&mut self, other: Tricks) {
        self.0 |= other.0;
    }

    /// Plain-language names of the obfuscation tricks present, for a finding's message.
    pub fn names(self) -> Vec<&'static str> {
        let all = [
            (Tricks::LETTER_DIGITS, "letters used as digits"),
            (Tricks::MIXED_DIGITS, "digits from different alphabets"),
            (Tricks::ODD_SEPARATORS, "unusual symbols between the digits"),
            (Tricks::SPACED_DIGITS, "digits spaced out one by one"),
        ];
        all.iter()
            .filter(|(t, _)| self.contains(*t))
            .map(|(_, name)| *name)
            .collect()
    }
}

/// A number as read from the input, before any numbering-plan logic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawNumber {
    /// ASCII digits only.
    pub digits: String,
    /// Whether the number started with `+`.
    pub plus: bool,
    /// Bytes of the input covered, from the `+` or first digit to the last digit or letter.
    pub span: Span,
    /// What was done to hide it.
    pub tricks: Tricks,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Digit(u8, bool),
    Plus,
    Letter,
    Separator {
        ordinary: bool,
    },
    /// Anything that cannot be part of a number (CJK text, …): ends it.
    Stop,
}

fn classify(c: char) -> Class {
    if let Some(d) = digit_value(c) {
        return Class::Digit(d, c.is_ascii_digit());
    }
    match c {
        '+' | '＋' | '﹢' | '⁺' => Class::Plus,
        // Sentence punctuation ends a number: "95533, 12345" is two numbers.
        ',' | ';' | ':' | '、' | '。' | '，' | '；' | '：' | '!' | '?' | '\n' => Class::Stop,
        ' ' | '-' | '.' | '(' | ')' | '/' | '\t' | '\u{A0}' | '\u{2009}' | '\u{202F}'
        | '\u{2010}' | '\u{2011}' | '\u{3000}' | '－' | '（' | '）' | '．' | '／' => {
            Class::Separator { ordinary: true }
        }
        _ if c.is_alphabetic() && (c.is_ascii() || lookalike_digit(c).is_some()) => Class::Letter,
        _ if c.is_alphanumeric() => Class::Stop,
        // Punctuation, symbols, emoji, format characters, combining marks, …
        _ => Class::Separator { ordinary: false },
    }
}

/// Reads the first phone number in `input` starting at byte `from`. Leading text that is not
/// part of a number (`Tel:`, `☎️`) is skipped. Returns `None` when no digit is found.
pub(crate) fn scan(input: &str, from: usize) -> Option<RawNumber> {
    let rest = input.get(from..)?;
    let mut chars = rest
        .char_indices()
        .map(|(i, c)| (from + i, c, classify(c)))
        .take(MAX_CHARS)
        .peekable();
    let (start, plus) = find_start(&mut chars)?;
    let mut reader = Reader::new(start);
    while let Some((i, c, class)) = chars.next() {
        if reader.digits.len() >= MAX_DIGITS {
            break;
        }
        let go_on = match class {
            Class::Plus if reader.digits.is_empty() => true,
            Class::Digit(d, ascii) => {
                reader.digit(d, ascii, i + c.len_utf8());
                true
            }
            Class::Separator { ordinary } => reader.separator(c, ordinary),
            Class::Letter => {
                // Collect the whole run of letters.
                let mut run = vec![(i, c)];
                while let Some(&(j, c2, Class::Letter)) = chars.peek() {
                    run.push((j, c2));
                    chars.next();
                }
                let before_digit = matches!(chars.peek(), Some((_, _, Class::Digit(..))));
                reader.letters(&run, before_digit)
            }
            Class::Plus | Class::Stop => false,
        };
        if !go_on {
            break;
        }
    }
    reader.finish(plus)
}

/// Finds the start of a number: a digit, or a plus sign directly followed by a digit (spaces
/// allowed). Returns the start and whether it is a plus sign.
fn find_start(
    chars: &mut std::iter::Peekable<impl Iterator<Item = (usize, char, Class)>>,
) -> Option<(usize, bool)> {
    let mut plus = false;
    let mut start = None;
    while let Some(&(i, _, class)) = chars.peek() {
        match class {
            Class::Digit(..) => {
                start.get_or_insert(i);
                break;
            }
            Class::Plus => {
                plus = true;
                start = Some(i);
            }
            Class::Separator { .. } if plus => {}
            _ => {
                plus = false;
                start = None;
            }
        }
        chars.next();
    }
    start.map(|s| (s, plus))
}

/// The state of reading one number.
struct Reader {
    start: usize,
    end: usize,
    digits: String,
    tricks: Tricks,
    ascii_digits: bool,
    other_digits: bool,
    /// Digits in the current group.
    group_len: usize,
    /// Consecutive one-digit groups.
    single_groups: usize,
    longest_single_run: usize,
    separator_run: usize,
    pending_odd: bool,
    last_separator: char,
}

impl Reader {
    fn new(start: usize) -> Reader {
        Reader {
            start,
            end: start,
            digits: String::new(),
            tricks: Tricks::default(),
            ascii_digits: false,
            other_digits: false,
            group_len: 0,
            single_groups: 0,
            longest_single_run: 0,
            separator_run: 0,
            pending_odd: false,
            last_separator: ' ',
        }
    }

    /// Ends the current group of digits, counting runs of one-digit groups (`1 8 0 0`).
    fn close_group(&mut self) {
        if self.group_len == 1 {
            self.single_groups += 1;
            self.longest_single_run = self.longest_single_run.max(self.single_groups);
        } else if self.group_len > 1 {
            self.single_groups = 0;
        }
        self.group_len = 0;
    }

    /// A group starts after separators: close the last one and note odd separators.
    fn after_separators(&mut self) {
        if self.separator_run > 0 {
            self.close_group();
            if self.pending_odd {
                self.tricks.insert(Tricks::ODD_SEPARATORS);
            }
        }
    }

    fn digit(&mut self, d: u8, ascii: bool, end: usize) {
        self.after_separators();
        self.separator_run = 0;
        self.pending_odd = false;
        if ascii {
            self.ascii_digits = true;
        } else {
            self.other_digits = true;
        }
        self.digits.push(char::from(b'0' + d));
        self.group_len += 1;
        self.end = end;
    }

    /// A separator; `false` when there are too many in a row.
    fn separator(&mut self, c: char, ordinary: bool) -> bool {
        self.separator_run += 1;
        self.last_separator = c;
        self.pending_odd |= !ordinary;
        self.separator_run <= MAX_SEPARATOR_RUN
    }

    /// A run of letters: look-alike digits inside the number (`O` for 0), or vanity letters
    /// after an area code (`1-800-FLOWERS`, which end the number). `false` when the number
    /// ends here.
    fn letters(&mut self, run: &[(usize, char)], before_digit: bool) -> bool {
        let after_digit = self.separator_run == 0 && self.group_len > 0;
        let all_lookalike = run.iter().all(|&(_, l)| lookalike_digit(l).is_some());
        if all_lookalike && (after_digit || before_digit) {
            self.after_separators();
            for &(_, l) in run {
                self.digits
                    .push(char::from(b'0' + lookalike_digit(l).unwrap_or(0)));
            }
            self.group_len += run.len();
            self.tricks.insert(Tricks::LETTER_DIGITS);
            self.separator_run = 0;
            self.pending_odd = false;
            let (last_i, last_c) = run[run.len() - 1];
            self.end = last_i + last_c.len_utf8();
            return true;
        }
        let vanity = run.len() >= 2
            && vanity_prefix(&self.digits)
            && (self.separator_run == 0 || (self.separator_run == 1 && self.last_separator == '-'))
            && run.iter().all(|&(_, l)| l.is_ascii_alphabetic());
        if vanity {
            // Take only as many letters as a number can hold.
            if self.separator_run > 0 && self.pending_odd {
                self.tricks.insert(Tricks::ODD_SEPARATORS);
            }
            let room = vanity_room(&self.digits);
            for &(_, l) in run.iter().take(room) {
                self.digits
                    .push(char::from(b'0' + keypad_digit(l).unwrap_or(0)));
            }
            self.tricks.insert(Tricks::VANITY);
            let (last_i, last_c) = run[run.len().min(room).max(1) - 1];
            self.end = last_i + last_c.len_utf8();
        }
        false
    }

    fn finish(mut self, plus: bool) -> Option<RawNumber> {
        self.close_group();
        if self.digits.is_empty() {
            return None;
        }
        if self.longest_single_run >= 4 {
            self.tricks.insert(Tricks::SPACED_DIGITS);
        }
        if self.other_digits {
            self.tricks.insert(if self.ascii_digits {
                Tricks::MIXED_DIGITS
            } else {
                Tricks::NON_ASCII_DIGITS
            });
        }
        Some(RawNumber {
            digits: self.digits,
            plus,
            span: Span::new(self.start, self.end),
            tricks: self.tricks,
        })
    }
}

/// Whether the digits read so far can start a vanity number: an area code, optionally after
/// the NANP trunk `1`, optionally followed by an exchange (`800`, `1-800`, `1-888-555`).
fn vanity_prefix(digits: &str) -> bool {
    let national = digits.strip_prefix('1').unwrap_or(digits);
    matches!(national.len(), 3 | 6) && !national.starts_with(['0', '1'])
}

/// How many vanity letters still fit: a NANP number (`1` + 10 digits) holds 11 digits; other
/// numbers up to 15.
fn vanity_room(digits: &str) -> usize {
    let total: usize = if digits.starts_with('1') { 11 } else { 15 };
    total.saturating_sub(digits.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> (String, bool, Tricks) {
        let n = scan(s, 0).unwrap_or_else(|| panic!("no number in {s:?}"));
        (n.digits, n.plus, n.tricks)
    }

    #[test]
    fn plain_numbers_have_no_tricks() {
        for s in [
            "+1 (888) 908-7930",
            "1-888-908-7930",
            "95017",
            "021-95533",
            "+86 571 95017",
        ] {
            let (_, _, tricks) = read(s);
            assert!(!tricks.intersects(Tricks::OBFUSCATION), "{s}: {tricks:?}");
        }
        assert_eq!(read("+1 (888) 908-7930").0, "18889087930");
        assert!(read("+1 (888) 908-7930").1);
    }

    #[test]
    fn obfuscated_numbers_from_scam_posts() {
        // Every one of these was seen in scam posts (research/official-channels.md §0.5).
        let cases = [
            ("1⛧917⛧695⛧3215", "19176953215", Tricks::ODD_SEPARATORS),
            ("1¨801¨730¨9692", "18017309692", Tricks::ODD_SEPARATORS),
            ("+1—812—223—9376", "18122239376", Tricks::ODD_SEPARATORS),
            (
                "[{+1}]-[{808}]-[{690}]-[{4872}]",
                "18086904872",
                Tricks::ODD_SEPARATORS,
            ),
            (
                "1 - { 8 8 8 } - ( 8 3 9 ) - ( 1 2 1 4 )",
                "18888391214",
                Tricks::SPACED_DIGITS,
            ),
            ("1801 * 730 * 9692", "18017309692", Tricks::ODD_SEPARATORS),
            ("+1-8O2-255-7547", "18022557547", Tricks::LETTER_DIGITS),
            (
                "☎️ +1-[917].695.3215",
                "19176953215",
                Tricks::ODD_SEPARATORS,
            ),
            ("１-８OO-5５5-0199", "18005550199", Tricks::MIXED_DIGITS),
        ];
        for (input, digits, trick) in cases {
            let (got, _, tricks) = read(input);
            assert_eq!(got, digits, "{input}");
            assert!(tricks.contains(trick), "{input}: {tricks:?}");
            assert!(tricks.intersects(Tricks::OBFUSCATION), "{input}");
        }
    }

    #[test]
    fn full_width_alone_is_not_obfuscation() {
        let (digits, _, tricks) = read("９５５３３");
        assert_eq!(digits, "95533");
        assert!(tricks.contains(Tricks::NON_ASCII_DIGITS));
        assert!(!tricks.intersects(Tricks::OBFUSCATION));
    }

    #[test]
    fn vanity_numbers() {
        let (digits, _, tricks) = read("1-800-FLOWERS");
        assert_eq!(digits, "18003569377");
        assert!(tricks.contains(Tricks::VANITY));
        assert!(!tricks.intersects(Tricks::OBFUSCATION));
        // A vanity word longer than the number can hold is cut at 11 digits.
        assert_eq!(read("1-800-Metamask Wallet").0, "18006382627");
        // Words after a number are not vanity letters.
        assert_eq!(read("call 95017 to pay").0, "95017");
        assert_eq!(read("+1 888 908 7930 today").0, "18889087930");
    }

    #[test]
    fn leading_labels_are_skipped_and_trailing_text_ends_the_number() {
        let n = scan("Tel: +1 888 908 7930 today", 0).unwrap();
        assert_eq!(n.digits, "18889087930");
        assert_eq!(
            n.span.slice("Tel: +1 888 908 7930 today"),
            "+1 888 908 7930"
        );
        assert_eq!(read("客服电话：95017转2").0, "95017");
    }

    #[test]
    fn spans_are_on_char_boundaries() {
        let s = "☎️ +1-[917].695.3215 ☎️";
        let n = scan(s, 0).unwrap();
        assert!(s.is_char_boundary(n.span.start) && s.is_char_boundary(n.span.end));
        assert_eq!(n.span.slice(s), "+1-[917].695.3215");
    }

    #[test]
    fn no_digits_no_number() {
        assert_eq!(scan("", 0), None);
        assert_eq!(scan("call us", 0), None);
        assert_eq!(scan("+", 0), None);
        assert_eq!(scan("OOOO", 0), None);
    }

    #[test]
    fn long_runs_are_bounded() {
        let long = "9".repeat(100_000);
        let n = scan(&long, 0).unwrap();
        assert_eq!(n.digits.len(), MAX_DIGITS);
    }
}
