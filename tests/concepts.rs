//! The paraphrase and evasion suites of the concept rules (tests/data/concepts/<language>.toml).
//!
//! Paraphrase suite: every positive case must raise its rules, every negative case must not.
//! A case the engine is known to miss carries `known_gap` with the reason; it is reported,
//! and the test fails when it starts passing, so the list stays true.
//!
//! Evasion suite: every passing positive case is rewritten with each trick scammers use
//! (a warning sentence in front, a word split by dots, spaces, an emoji, a line break, a
//! zero-width space or a soft hyphen, dots or spaces inside a run of Chinese characters,
//! Cyrillic look-alike letters, digits for letters, full-width or negative squared letters,
//! an inserted aside);
//! no trick may lower its risk.
//!
//! Run with `--nocapture` to see the pass rates per language, rule and trick.

use std::collections::BTreeMap;
use std::path::Path;

use scamshield::{Context, Detector, Risk, Verdict};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct File {
    language: String,
    test: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    input: String,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    /// Why the engine misses this case today.
    known_gap: Option<String>,
}

fn load() -> Vec<(String, File)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/concepts");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/data/concepts exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable suite");
            let file: File =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_name().unwrap().to_string_lossy().into_owned(), file)
        })
        .collect()
}

/// Phrase rules that are phrasings of a concept rule (`phrasing_of` in data/red_flags.toml):
/// when one fires, the concept rule adds no second finding, so either counts.
fn phrasings() -> Vec<(String, String)> {
    #[derive(Deserialize)]
    struct Rules {
        rule: Vec<PhraseRule>,
    }
    #[derive(Deserialize)]
    struct PhraseRule {
        id: String,
        phrasing_of: Option<String>,
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/red_flags.toml");
    let rules: Rules = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    rules
        .rule
        .into_iter()
        .filter_map(|r| Some((r.id, r.phrasing_of?)))
        .collect()
}

fn fired(v: &Verdict, rule: &str) -> bool {
    static PHRASINGS: std::sync::LazyLock<Vec<(String, String)>> =
        std::sync::LazyLock::new(phrasings);
    v.findings.iter().any(|f| {
        f.rule == rule
            || PHRASINGS
                .iter()
                .any(|(id, of)| of == rule && f.rule == id.as_str())
    })
}

fn passes(detector: &Detector, case: &Case) -> bool {
    let v = detector.check_message(&case.input, &Context::new());
    case.rules.iter().all(|r| fired(&v, r)) && !case.absent.iter().any(|r| fired(&v, r))
}

fn describe(detector: &Detector, case: &Case) -> String {
    let v = detector.check_message(&case.input, &Context::new());
    let found: Vec<_> = v.findings.iter().map(|f| f.rule.as_ref()).collect();
    format!(
        "{:?}: {:?}\n    wants {:?}, not {:?}; got {:?} ({:?})",
        case.name, case.input, case.rules, case.absent, found, v.risk
    )
}

#[test]
fn paraphrase_suite() {
    let detector = Detector::new().expect("embedded data loads");
    let mut failures = Vec::new();
    let mut gaps = 0;
    // (language, rule) -> [positives passed, positives, negatives passed, negatives]
    let mut table: BTreeMap<(String, String), [usize; 4]> = BTreeMap::new();
    for (file, suite) in load() {
        assert!(!suite.test.is_empty(), "{file} has no cases");
        for case in &suite.test {
            assert!(
                !case.rules.is_empty() || !case.absent.is_empty(),
                "{file}: {:?} tests nothing",
                case.name
            );
            let ok = passes(&detector, case);
            for (rules, slot) in [(&case.rules, 0), (&case.absent, 2)] {
                for r in rules {
                    let row = table
                        .entry((suite.language.clone(), r.clone()))
                        .or_default();
                    row[slot] += usize::from(ok);
                    row[slot + 1] += 1;
                }
            }
            match (&case.known_gap, ok) {
                (None, false) => failures.push(format!("{file}: {}", describe(&detector, case))),
                (Some(_), true) => failures.push(format!(
                    "{file}: {:?} is marked known_gap but passes: remove the mark",
                    case.name
                )),
                (Some(_), false) => gaps += 1,
                (None, true) => {}
            }
        }
    }
    println!("language  rule                              positives   negatives");
    for ((language, rule), [pp, p, np, n]) in &table {
        println!("{language:<9} {rule:<33} {pp:>4}/{p:<4}  {np:>4}/{n:<4}");
    }
    println!("known gaps: {gaps}");
    assert!(
        failures.is_empty(),
        "{} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The longest word of letters in `text` that is not part of a link, address or number,
/// as a byte range.
fn target_word(text: &str) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut offset = 0;
    for token in text.split_inclusive(char::is_whitespace) {
        let start = offset;
        offset += token.len();
        if token.contains(['/', '@', '.'])
            && token.trim_end_matches(['.', ',']).contains(['/', '@', '.'])
        {
            continue;
        }
        // Runs of letters of one kind (Latin letters, or CJK/kana/Hangul characters).
        let mut run: Option<(usize, usize, bool)> = None;
        for (i, c) in token.char_indices() {
            // Latin letters (with accents) are one kind, other scripts another.
            let kind = c.is_alphabetic() && (c as u32) < 0x250;
            let letter = c.is_alphabetic();
            match run {
                Some((s, _, k)) if letter && k == kind => run = Some((s, i + c.len_utf8(), k)),
                _ if letter => {
                    consider(&mut best, run, start);
                    run = Some((i, i + c.len_utf8(), kind));
                }
                _ => {
                    consider(&mut best, run, start);
                    run = None;
                }
            }
        }
        consider(&mut best, run, start);
    }
    best
}

fn consider(best: &mut Option<(usize, usize)>, run: Option<(usize, usize, bool)>, base: usize) {
    if let Some((s, e, _)) = run {
        let chars = |(s, e): (usize, usize)| e - s;
        if best.is_none_or(|b| chars((s, e)) > chars(b)) {
            *best = Some((base + s, base + e));
        }
    }
}

/// Rewrites the target word: `join` goes between its characters.
fn split_word(text: &str, join: &str) -> Option<String> {
    let (s, e) = target_word(text)?;
    // Split between written characters, never before a combining mark.
    let mut split: Vec<String> = Vec::new();
    for c in text[s..e].chars() {
        match split.last_mut() {
            Some(last) if is_mark(c) => last.push(c),
            _ => split.push(c.to_string()),
        }
    }
    if split.len() < 3 {
        return None;
    }
    Some(format!("{}{}{}", &text[..s], split.join(join), &text[e..]))
}

/// Whether `c` is a mark written on the character before it (accents, Devanagari vowel
/// signs, the half-width kana voicing marks).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}'
        | '\u{3099}' | '\u{309A}' | '\u{FF9E}' | '\u{FF9F}')
}

/// Puts `join` between three characters in the middle of the target word, when it is a run
/// of five or more Chinese characters or kana (`请把验.证.码发给我`): scripts without spaces
/// between words spell one word out inside a sentence.
fn split_inside_run(text: &str, join: &str) -> Option<String> {
    let (s, e) = target_word(text)?;
    let chars: Vec<(usize, char)> = text[s..e].char_indices().collect();
    let cjk = |c: char| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}');
    if chars.len() < 5 || !chars.iter().all(|&(_, c)| cjk(c)) {
        return None;
    }
    let mid = chars.len() / 2;
    let (a, b) = (s + chars[mid].0, s + chars[mid + 1].0);
    Some(format!(
        "{}{join}{}{join}{}",
        &text[..a],
        &text[a..b],
        &text[b..]
    ))
}

/// Puts `insert` in the middle of the target word.
fn break_word(text: &str, insert: &str) -> Option<String> {
    let (s, e) = target_word(text)?;
    let word = &text[s..e];
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    if chars.len() < 4 {
        return None;
    }
    let mid = s + chars[chars.len() / 2].0;
    Some(format!("{}{insert}{}", &text[..mid], &text[mid..]))
}

/// Rewrites each character of the target word with `map`; `None` when nothing changes.
fn rewrite_word(text: &str, map: impl Fn(char) -> char) -> Option<String> {
    let (s, e) = target_word(text)?;
    let word: String = text[s..e].chars().map(map).collect();
    (word != text[s..e]).then(|| format!("{}{word}{}", &text[..s], &text[e..]))
}

/// Replaces Latin letters of the target word with Cyrillic look-alikes.
fn cyrillic(text: &str) -> Option<String> {
    rewrite_word(text, |c| match c {
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'c' => 'с',
        'p' => 'р',
        'x' => 'х',
        other => other,
    })
}

/// Writes the target word's o, e, a and i as the digits 0, 3, 4 and 1.
fn digits_for_letters(text: &str) -> Option<String> {
    rewrite_word(text, |c| match c {
        'o' => '0',
        'e' => '3',
        'a' => '4',
        'i' => '1',
        other => other,
    })
}

/// Writes the target word's ASCII letters in their full-width forms.
fn full_width(text: &str) -> Option<String> {
    rewrite_word(text, |c| {
        if c.is_ascii_alphabetic() {
            char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c)
        } else {
            c
        }
    })
}

/// The target word in negative squared capitals (`🅿🅰🆂🆂🆆🅾🆁🅳`), the "fancy text" that NFKC
/// leaves alone.
fn squared_letters(text: &str) -> Option<String> {
    rewrite_word(text, |c| {
        if c.is_ascii_alphabetic() {
            char::from_u32(0x1F170 + u32::from(c.to_ascii_uppercase() as u8 - b'A')).unwrap_or(c)
        } else {
            c
        }
    })
}

/// Two openings in a suite file's language that name a scammer without reporting anything,
/// to be put in front of a case: a denial joined by a comma ("I'm not a scammer, "), and a
/// concession ended by a contrast ("There are many scammers these days, but ").
fn scam_word_openings(file: &str) -> Option<[&'static str; 2]> {
    Some(match file.trim_end_matches(".toml") {
        "en" => [
            "I'm not a scammer, ",
            "There are many scammers these days, but ",
        ],
        "zh" => ["我不是骗子，", "现在骗子很多，但是"],
        "es" => [
            "No soy un estafador, ",
            "Hay muchos estafadores hoy en día, pero ",
        ],
        "pt" => ["Não sou golpista, ", "Tem muito golpista hoje em dia, mas "],
        "fr" => [
            "Je ne suis pas un escroc, ",
            "Il y a beaucoup d'escrocs en ce moment, mais ",
        ],
        "de" => [
            "Ich bin kein Betrüger, ",
            "Es gibt heutzutage viele Betrüger, aber ",
        ],
        "id" => ["Saya bukan penipu, ", "Sekarang banyak penipu, tapi "],
        "hi-Latn" => ["Main scammer nahi hoon, ", "Scammer hain, lekin "],
        "hi-Deva" => ["मैं ठग नहीं हूं, ", "आजकल बहुत ठग हैं, लेकिन "],
        "ja" => ["私は詐欺師ではありません、", "最近は詐欺師が多いですが、"],
        "ko" => ["저는 사기꾼이 아닙니다, ", "요즘 사기꾼이 많지만 그래도 "],
        _ => return None,
    })
}

#[test]
fn evasion_suite() {
    let detector = Detector::new().expect("embedded data loads");
    type Trick = fn(&str) -> Option<String>;
    let tricks: [(&str, Trick); 14] = [
        ("warning in front", |t| {
            Some(format!(
                "Never share your password with anyone. 请勿向任何人透露验证码。 {t}"
            ))
        }),
        ("dots between letters", |t| split_word(t, ".")),
        ("spaces between letters", |t| split_word(t, " ")),
        ("emoji inside a word", |t| break_word(t, "🔹")),
        ("line break inside a word", |t| break_word(t, "\n")),
        ("Cyrillic look-alikes", cyrillic),
        ("digits for letters", digits_for_letters),
        ("full-width letters", full_width),
        ("negative squared letters", squared_letters),
        ("zero-width space inside a word", |t| {
            break_word(t, "\u{200B}")
        }),
        ("soft hyphen inside a word", |t| break_word(t, "\u{00AD}")),
        ("dots inside a run of Chinese or kana", |t| {
            split_inside_run(t, ".")
        }),
        ("spaces inside a run of Chinese or kana", |t| {
            split_inside_run(t, " ")
        }),
        ("an aside inserted", |t| {
            // The aside is a trick of scripts without spaces: tried on Chinese, Japanese and
            // Korean words only.
            let (s, e) = target_word(t)?;
            if t[s..e].chars().any(|c| (c as u32) < 0x250) {
                return None;
            }
            break_word(t, "（6位数字）")
        }),
    ];
    let mut failures = Vec::new();
    let mut counts: BTreeMap<&str, [usize; 2]> = BTreeMap::new();
    for (file, suite) in load() {
        for case in suite
            .test
            .iter()
            .filter(|c| !c.rules.is_empty() && c.known_gap.is_none() && c.absent.is_empty())
        {
            let base: Risk = detector.check_message(&case.input, &Context::new()).risk;
            // Each trick's text of the case, by name.
            let mut changed: Vec<(&str, String)> = tricks
                .iter()
                .filter_map(|(name, trick)| Some((*name, trick(&case.input)?)))
                .collect();
            // "I'm not a scammer, …" and "There are many scammers, but …", in the case's
            // language: each names a scammer without reporting anything.
            let openings = scam_word_openings(&file).unwrap_or_default();
            let names = ["a denial joined in front", "a scam word, then 'but'"];
            for (name, prefix) in names.into_iter().zip(openings) {
                if prefix.is_empty() {
                    continue;
                }
                // A sender header ("DHL:", 【…】) stays first.
                let input = case.input.as_str();
                let header = input
                    .char_indices()
                    .take_while(|&(i, _)| i < 40)
                    .find(|&(_, c)| matches!(c, ':' | '：' | '】'))
                    .map_or(0, |(i, c)| i + c.len_utf8());
                let (head, rest) = input.split_at(header);
                let space = if header > 0 { " " } else { "" };
                changed.push((name, format!("{head}{space}{prefix}{}", rest.trim_start())));
            }
            for (name, changed) in changed {
                let risk = detector.check_message(&changed, &Context::new()).risk;
                let row = counts.entry(name).or_default();
                row[1] += 1;
                if risk >= base {
                    row[0] += 1;
                } else {
                    failures.push(format!(
                        "{file}: {name}: {:?} {base:?} -> {risk:?}\n    {changed:?}",
                        case.name
                    ));
                }
            }
        }
    }
    for (name, [ok, all]) in &counts {
        println!("{name:<26} {ok:>4}/{all}");
    }
    assert!(
        failures.is_empty(),
        "{} evasions lowered the risk:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
