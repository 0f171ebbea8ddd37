//! The compiled message red-flag rules (defined as data, `data/red_flags.toml`): one lazily
//! compiled regex per pattern, tried where a literal prefilter says a match can start.

use std::sync::{Arc, LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexBuilder};
use regex_automata::util::syntax;
use regex_automata::{meta, Anchored, Input};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind, Look};
use serde::{Deserialize, Serialize};

use crate::error::{LoadError, LoadErrorKind};
use crate::fold::{clause_starts, floor_boundary, lowercase_same_offsets};
use crate::rules::defs::{self, Requires, RuleDef};

/// The leading literals of every embedded pattern, worked out ahead of time (see
/// [`prefix_cache`]): parsing ~450 patterns with regex-syntax costs ~7 ms per process.
#[cfg(test)]
const PREFIXES_FILE: &str = "data/red_flag_prefixes.txt";
const PREFIXES_TEXT: &str = include_str!("../../data/red_flag_prefixes.txt");

/// How large a compiled rule set may grow; ample for the embedded rules.
const REGEX_SIZE_LIMIT: usize = 64 << 20;
/// The lazy DFA's cache per pattern: its memory grows with the variety of input seen, up to
/// this (then it is cleared and rebuilt, and the engine may fall back to its slower PikeVM).
/// Each pattern is compiled on its own, so its states stay few; with ~450 patterns the cap
/// bounds the rule engine's state at a few hundred MiB even on hostile input, and real
/// traffic uses a small part of it.
const DFA_SIZE_LIMIT: usize = 2 << 20;
/// How far before a match the `unless` patterns look.
const UNLESS_WINDOW: usize = 48;

/// One rule: its definition and its `unless` regex (compiled on first use).
#[derive(Debug)]
struct Compiled {
    def: RuleDef,
    unless: OnceLock<Option<Regex>>,
}

/// One pattern of a rule, compiled on its own on first use: most messages never reach most
/// patterns, and compiling all of them up front would cost tens of milliseconds per detector
/// (the test suite compiles every one). Patterns are not joined into one alternation per rule:
/// the lazy DFA of an alternation of patterns with bounded gaps (`(?: \w+){0,4}`,
/// `[^。]{0,15}`) tracks every pattern's counter at once, and its states multiply.
#[derive(Debug)]
struct Pattern {
    rule: usize,
    /// Its index among the rule's patterns.
    source: usize,
    /// Whether every match starts with one of the prefilter's literals for this pattern: the
    /// pattern is then only tried, anchored, where the prefilter found one.
    anchored: bool,
    /// Whether every match starts at a word boundary (see [`Leading::word_start`]).
    word_start: bool,
    /// Whether the pattern starts with `^`: it can only match at the start of the message.
    at_start: bool,
    regex: OnceLock<Option<meta::Regex>>,
}

/// Compiles one pattern; the error names the file, the line and the pattern.
fn compile_pattern(file: &str, def: &RuleDef, pattern: &str) -> Result<meta::Regex, LoadError> {
    meta::Regex::builder()
        .syntax(syntax::Config::new().case_insensitive(true))
        .configure(
            meta::Regex::config()
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
                .hybrid_cache_capacity(DFA_SIZE_LIMIT)
                // The rule prefilter already says where a pattern can start, and searches
                // need no capture groups: leave out the per-regex prefilter and one-pass DFA
                // (memory and build time for ~450 patterns).
                .auto_prefilter(false)
                .onepass(false),
        )
        .build(pattern)
        .map_err(|e| bad_pattern(file, def, &e.to_string()))
}

fn bad_pattern(file: &str, def: &RuleDef, e: &str) -> LoadError {
    LoadError::new(
        file,
        def.line,
        LoadErrorKind::Syntax,
        format!("rule {:?}: bad pattern: {e}", def.id),
    )
}

/// Compiles a rule's `unless` patterns as one alternation.
fn compile_unless(file: &str, def: &RuleDef) -> Result<Option<Regex>, LoadError> {
    if def.unless.is_empty() {
        return Ok(None);
    }
    let alternation = def
        .unless
        .iter()
        .map(|p| format!("(?:{p})"))
        .collect::<Vec<_>>()
        .join("|");
    RegexBuilder::new(&alternation)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(DFA_SIZE_LIMIT)
        .build()
        .map(Some)
        .map_err(|e| bad_pattern(file, def, &e.to_string()))
}

/// A rule that fired: which, and where in the normalized text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit<'r> {
    pub def: &'r RuleDef,
    pub start: usize,
    pub end: usize,
}

/// What the message contains besides words, for `requires`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Present {
    pub link: bool,
    pub phone: bool,
    /// A usable phone number that is no brand's official number.
    pub unofficial_phone: bool,
    pub email: bool,
    /// A chat handle (a Telegram, WhatsApp, LINE or WeChat id).
    pub handle: bool,
    pub brand: bool,
    /// Where the first digit runs of phone length that could not be read as a number of a
    /// known region start (at most [`UNPLACED_PHONES`]): a bare `9876543210` or
    /// `09066368470` with no country cue. Such a run written right after a call to action
    /// ("call", "contact", 拨打, "hubungi") is a contact all the same (see the concept
    /// stage).
    pub unplaced_phones: [Option<usize>; UNPLACED_PHONES],
}

impl Present {
    /// Whether a message with these contents satisfies a rule's `requires`, for the phrase
    /// rules and the concept rules alike. `prompted` tells whether one of the
    /// `unplaced_phones` stands right after a call to action, which makes it a phone to call:
    /// only the concept stage reads calls to action, the phrase rules pass `|| false`.
    pub(crate) fn satisfies(
        &self,
        requires: Option<Requires>,
        prompted: impl Fn() -> bool,
    ) -> bool {
        let phone = || self.phone || prompted();
        match requires {
            None => true,
            Some(Requires::Link) => self.link,
            Some(Requires::Phone) => phone(),
            Some(Requires::UnofficialPhone) => self.unofficial_phone || prompted(),
            Some(Requires::Contact) => self.link || self.email || self.handle || phone(),
            Some(Requires::Brand) => self.brand,
        }
    }
}

/// How many unplaced phone-length digit runs [`Present`] keeps.
pub(crate) const UNPLACED_PHONES: usize = 4;

/// The compiled rules.
#[derive(Debug)]
pub(crate) struct RedFlags {
    /// The rules file's name, for error messages.
    file: String,
    /// Rule id → the concept rule it is one phrasing of (`phrasing_of`).
    phrasings: std::collections::HashMap<String, String>,
    rules: Vec<Compiled>,
    patterns: Vec<Pattern>,
    /// Every literal a pattern's match must start with, in automata: a pass over the message
    /// (two in text that is not ASCII) says which patterns can match at all, and where their
    /// matches can start.
    /// Built on first use (or by [`RedFlags::compile_all`]), which a detector that never
    /// checks a message should not pay.
    prefilter: OnceLock<Option<Prefilter>>,
    /// The prefilter's literals: the ASCII ones first, then the others.
    literals: Vec<String>,
    /// How many of `literals` are ASCII.
    ascii_literals: usize,
    /// For each prefilter literal, the patterns it begins (a literal many patterns share is
    /// one automaton entry, so each place it occurs is one match, not one per pattern).
    literal_patterns: Vec<Box<[u32]>>,
    /// Patterns without a finite set of leading literals: searched for in every message.
    unanchored: Vec<usize>,
}

/// How every match of a pattern starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Leading {
    /// The literals a match starts with, lowercase.
    #[serde(rename = "l")]
    literals: Vec<String>,
    /// Whether every match starts at a word boundary (`\b` first in every branch): a literal
    /// found right after a word character, and itself starting with one, cannot begin a match.
    #[serde(rename = "b")]
    word_start: bool,
}

/// Whether every match of `hir` starts with an assertion that `first` accepts.
fn starts_with_look(hir: &Hir, first: &dyn Fn(Look) -> bool) -> bool {
    match hir.kind() {
        HirKind::Look(look) => first(*look),
        HirKind::Concat(parts) => parts.first().is_some_and(|p| starts_with_look(p, first)),
        HirKind::Alternation(branches) => branches.iter().all(|b| starts_with_look(b, first)),
        HirKind::Capture(group) => starts_with_look(&group.sub, first),
        _ => false,
    }
}

/// Whether every match of `hir` starts with a word-boundary assertion.
fn starts_at_word_boundary(hir: &Hir) -> bool {
    starts_with_look(hir, &|look| {
        matches!(look, Look::WordAscii | Look::WordUnicode)
    })
}

/// Whether every match of `pattern` starts at the start of the text (`^…`). Only patterns
/// written with a leading `^` are parsed to tell (`^a|b` can match anywhere).
fn only_at_start(pattern: &str) -> bool {
    pattern.starts_with('^')
        && regex_syntax::ParserBuilder::new()
            .build()
            .parse(pattern)
            .is_ok_and(|hir| starts_with_look(&hir, &|look| look == Look::Start))
}

/// The literals every match of `pattern` starts with; `None` when there is no finite set: the
/// pattern must then be searched for everywhere. The prefilter folds ASCII case only, so a
/// literal with a non-ASCII cased letter (péage, Bußgeld) is listed in each of its case forms.
fn leading_literals(pattern: &str) -> Option<Leading> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let mut extractor = Extractor::new();
    extractor
        .kind(ExtractKind::Prefix)
        .limit_class(16)
        .limit_literal_len(MAX_LITERAL_BYTES)
        .limit_total(1024);
    let seq = extractor.extract(&hir);
    let mut out = Vec::new();
    for lit in seq.literals()? {
        let bytes = lit.as_bytes();
        // A literal cut by a length limit may end inside a character: keep the valid part.
        let valid = match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?,
        };
        if valid.is_empty() {
            return None;
        }
        // Only where a match can start matters here: a short prefix of each literal says as
        // much, and keeps the automaton small (the extractor multiplies alternations out).
        let cut = floor_boundary(valid, MAX_LITERAL_BYTES);
        case_forms(&valid[..cut].to_ascii_lowercase(), &mut out);
    }
    // A literal that another one begins says nothing more about where a match can start.
    out.sort_unstable();
    out.dedup();
    let mut minimal: Vec<String> = Vec::with_capacity(out.len());
    for lit in out {
        // Sorted: a prefix of `lit` that is in the set sorts just before it.
        if !minimal.last().is_some_and(|p| lit.starts_with(p.as_str())) {
            minimal.push(lit);
        }
    }
    (!minimal.is_empty()).then_some(Leading {
        literals: minimal,
        word_start: starts_at_word_boundary(&hir),
    })
}

/// Adds `literal` to `out` in every combination of the simple case forms of its non-ASCII
/// letters (a literal is at most [`MAX_LITERAL_BYTES`] long, so there are few).
fn case_forms(literal: &str, out: &mut Vec<String>) {
    let mut forms = vec![String::with_capacity(literal.len())];
    for c in literal.chars() {
        let mut cases = vec![c];
        if !c.is_ascii() {
            let lower: Vec<char> = c.to_lowercase().collect();
            let upper: Vec<char> = c.to_uppercase().collect();
            for other in [lower, upper] {
                if let [o] = other[..] {
                    if !cases.contains(&o) {
                        cases.push(o);
                    }
                }
            }
        }
        forms = forms
            .into_iter()
            .flat_map(|f| {
                cases.iter().map(move |c| {
                    let mut f = f.clone();
                    f.push(*c);
                    f
                })
            })
            .collect();
    }
    out.extend(forms);
}

/// A stable 64-bit hash of a pattern (FNV-1a), to tell whether a cached line still belongs
/// to the pattern it was worked out for.
fn pattern_hash(pattern: &str) -> u64 {
    pattern.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The cached leading literals, one line per pattern in file order: `<hash> <JSON>`, where the
/// JSON is a [`Leading`] or `null`. Comment lines start with `#`.
fn prefix_cache(text: &str) -> impl Iterator<Item = (u64, Option<Leading>)> + '_ {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map_while(|l| {
            let (hash, json) = l.split_once(' ')?;
            let hash = u64::from_str_radix(hash, 16).ok()?;
            let lits: Option<Leading> = serde_json::from_str(json).ok()?;
            Some((hash, lits))
        })
}

/// The leading literals of each pattern: from the cache where its line is for this very
/// pattern, else worked out from the pattern (always correct, only slower).
fn all_leading_literals<'a>(
    patterns: impl Iterator<Item = &'a str>,
    cache: &str,
) -> Vec<Option<Leading>> {
    let mut cached = prefix_cache(cache);
    patterns
        .map(|p| match cached.next() {
            Some((hash, lits)) if hash == pattern_hash(p) => lits,
            _ => leading_literals(p),
        })
        .collect()
}

/// The contents of [`PREFIXES_FILE`] for the embedded rules.
#[cfg(test)]
fn render_prefix_cache() -> String {
    let mut out = String::from(
        "# Generated from data/red_flags.toml: the literals every match of each pattern starts\n\
         # with (l) and whether it starts at a word boundary (b), one line per pattern in file\n\
         # order: FNV-1a hash of the pattern, then JSON (null when there is no such list).\n\
         # A line that does not match its pattern is ignored and the literals are worked out\n\
         # again at load time; `cargo test` checks this file is fresh.\n\
         # Regenerate: SCAMSHIELD_WRITE_PREFIXES=1 cargo test --lib prefix_cache_is_fresh\n",
    );
    for def in defs::embedded() {
        for p in &def.patterns {
            let lits = serde_json::to_string(&leading_literals(p)).unwrap_or_default();
            out.push_str(&format!("{:016x} {lits}\n", pattern_hash(p)));
        }
    }
    out
}

/// The longest prefilter literal, in bytes (two CJK characters).
const MAX_LITERAL_BYTES: usize = 6;

/// After this many anchored attempts of one pattern in one message, the rest of the message
/// is searched in one linear pass instead: a message made of one literal repeated stays linear.
const MAX_ANCHORED_ATTEMPTS: usize = 32;

impl RedFlags {
    /// Parses a rules file and builds its literal prefilter (each pattern is compiled on
    /// first use). `prefixes` is a cache of the patterns' leading literals (lines that do not
    /// match their pattern are worked out again). The error names the file, the line and the
    /// reason.
    pub(crate) fn compile(file: &str, text: &str, prefixes: &str) -> Result<RedFlags, LoadError> {
        let defs = defs::parse(file, text)?;
        let mut rules = Vec::with_capacity(defs.len());
        let mut patterns = Vec::new();
        let mut literals = Vec::new();
        let mut literal_pattern = Vec::new();
        let mut leading = all_leading_literals(
            defs.iter()
                .flat_map(|d| d.patterns.iter().map(String::as_str)),
            prefixes,
        )
        .into_iter();
        for (rule, def) in defs.into_iter().enumerate() {
            for (source, text) in def.patterns.iter().enumerate() {
                let lead = leading.next().flatten();
                let index = patterns.len();
                patterns.push(Pattern {
                    rule,
                    source,
                    anchored: lead.is_some(),
                    word_start: lead.as_ref().is_some_and(|l| l.word_start),
                    at_start: only_at_start(text),
                    regex: OnceLock::new(),
                });
                for l in lead.into_iter().flat_map(|l| l.literals) {
                    literals.push(l);
                    literal_pattern.push(index);
                }
            }
            rules.push(Compiled {
                def,
                unless: OnceLock::new(),
            });
        }
        // Literals cut short repeat: one automaton entry per (literal, pattern).
        let mut pairs: Vec<(String, usize)> = literals.into_iter().zip(literal_pattern).collect();
        // The prefilter reads the text lowercased in place (`fold::lowercase_same_offsets`):
        // each literal in the same form, so every case form still finds its matches.
        for (literal, _) in &mut pairs {
            if let std::borrow::Cow::Owned(lower) = lowercase_same_offsets(literal) {
                *literal = lower;
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        // ASCII literals first (`Prefilter`); the sort keeps each literal's pairs together.
        pairs.sort_by_key(|(literal, _)| !literal.is_ascii());
        let ascii_literals = pairs
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|g| g[0].0.is_ascii())
            .count();
        let mut literals: Vec<String> = Vec::new();
        let mut literal_patterns: Vec<Box<[u32]>> = Vec::new();
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            literals.push(group[0].0.clone());
            // Rule files are small; pattern indexes fit in u32.
            literal_patterns.push(group.iter().map(|(_, p)| *p as u32).collect());
        }
        let unanchored = (0..patterns.len())
            .filter(|&i| !patterns[i].anchored)
            .collect();
        let phrasings = rules
            .iter()
            .filter_map(|r| Some((r.def.id.clone(), r.def.phrasing_of.clone()?)))
            .collect();
        Ok(RedFlags {
            file: file.to_string(),
            phrasings,
            rules,
            patterns,
            prefilter: OnceLock::new(),
            literals,
            ascii_literals,
            literal_patterns,
            unanchored,
        })
    }

    /// The embedded rules (`data/red_flags.toml`), compiled on first use and shared by every
    /// detector built with them: they are immutable, so their prefilter is built once and
    /// each pattern compiled once per process.
    pub(crate) fn embedded() -> Result<Arc<RedFlags>, LoadError> {
        static EMBEDDED: LazyLock<Result<Arc<RedFlags>, LoadError>> = LazyLock::new(|| {
            RedFlags::compile(defs::EMBEDDED_FILE, defs::EMBEDDED_TEXT, PREFIXES_TEXT).map(Arc::new)
        });
        EMBEDDED.clone()
    }

    /// Whether the rule `id` is one phrasing of the concept rule `concept`.
    pub(crate) fn is_phrasing_of(&self, id: &str, concept: &str) -> bool {
        self.phrasings.get(id).is_some_and(|c| c == concept)
    }

    /// Every rule definition, in file order.
    #[cfg(test)]
    pub(crate) fn defs(&self) -> impl Iterator<Item = &RuleDef> {
        self.rules.iter().map(|r| &r.def)
    }

    /// Compiles every pattern now instead of on first use (for long-running services).
    pub(crate) fn compile_all(&self) {
        self.prefilter();
        for p in &self.patterns {
            self.regex(p);
        }
        for r in &self.rules {
            self.unless(r);
        }
    }

    fn prefilter(&self) -> Option<&Prefilter> {
        self.prefilter
            .get_or_init(|| Prefilter::build(&self.literals, self.ascii_literals))
            .as_ref()
    }

    fn regex<'a>(&self, p: &'a Pattern) -> Option<&'a meta::Regex> {
        p.regex
            .get_or_init(|| {
                let def = &self.rules[p.rule].def;
                compile_pattern(&self.file, def, &def.patterns[p.source]).ok()
            })
            .as_ref()
    }

    fn unless<'a>(&self, r: &'a Compiled) -> Option<&'a Regex> {
        r.unless
            .get_or_init(|| compile_unless(&self.file, &r.def).ok().flatten())
            .as_ref()
    }

    /// The rules that fire on `text`, each once, at its first match that no `unless` pattern
    /// cancels. `lower` is `text` as `fold::lowercase_same_offsets` gives it.
    pub(crate) fn scan(&self, text: &str, lower: &str, present: Present) -> Vec<Hit<'_>> {
        // Where each pattern can start: (pattern, start), sorted by pattern then position.
        let mut starts: Vec<(u32, u32)> = Vec::new();
        let prefilter = self.prefilter();
        if let Some(prefilter) = prefilter {
            let bytes = text.as_bytes();
            for (literal, m) in prefilter.find(lower) {
                let inside_word = m.start() > 0
                    && is_word_byte(bytes[m.start() - 1])
                    && is_word_byte(bytes[m.start()]);
                for &p in self.literal_patterns[literal].iter() {
                    // Inside a word, a pattern that starts at a word boundary cannot start;
                    // one that starts with `^` starts nowhere but at the start.
                    let pattern = &self.patterns[p as usize];
                    if (pattern.word_start && inside_word) || (pattern.at_start && m.start() > 0) {
                        continue;
                    }
                    // Messages are bounded (64 KiB by default); positions fit in u32.
                    starts.push((p, m.start() as u32));
                }
            }
        }
        if starts.is_empty() && self.unanchored.is_empty() && prefilter.is_some() {
            return Vec::new();
        }
        starts.sort_unstable();
        starts.dedup();
        // Per rule that matched: the rule, its first match, how many of its patterns matched
        // (a few entries, not one per rule: this runs for every message).
        let mut found: Vec<(usize, (usize, usize), usize)> = Vec::new();
        let mut try_pattern = |index: usize, at: &[(u32, u32)]| {
            let pattern = &self.patterns[index];
            let rule = &self.rules[pattern.rule];
            if !present.satisfies(rule.def.requires, || false) {
                return;
            }
            // A pattern that does not compile is skipped; the test suite compiles them all.
            let Some(regex) = self.regex(pattern) else {
                return;
            };
            let m = if pattern.anchored && prefilter.is_some() {
                self.first_anchored(rule, regex, text, at)
            } else {
                self.first_from(rule, regex, text, 0)
            };
            if let Some(m) = m {
                match found.iter_mut().find(|f| f.0 == pattern.rule) {
                    Some(f) => {
                        f.2 += 1;
                        if m.0 < f.1 .0 {
                            f.1 = m;
                        }
                    }
                    None => found.push((pattern.rule, m, 1)),
                }
            }
        };
        for group in starts.chunk_by(|a, b| a.0 == b.0) {
            try_pattern(group[0].0 as usize, group);
        }
        for &index in &self.unanchored {
            try_pattern(index, &[]);
        }
        // Without the automaton (too many literals for its limits: never the case with the
        // embedded rules, whose automaton the test suite builds), every pattern is searched.
        if prefilter.is_none() {
            for index in (0..self.patterns.len()).filter(|&i| self.patterns[i].anchored) {
                try_pattern(index, &[]);
            }
        }
        found.sort_unstable_by_key(|f| f.0);
        found
            .into_iter()
            .filter_map(|(rule, (start, end), distinct)| {
                let def = &self.rules[rule].def;
                (distinct >= def.min_distinct.unwrap_or(1)).then_some(Hit { def, start, end })
            })
            .collect()
    }

    /// The first uncancelled match that starts at one of `at` (ascending).
    fn first_anchored(
        &self,
        rule: &Compiled,
        regex: &meta::Regex,
        text: &str,
        at: &[(u32, u32)],
    ) -> Option<(usize, usize)> {
        for (attempt, &(_, start)) in at.iter().enumerate() {
            let start = start as usize;
            if attempt == MAX_ANCHORED_ATTEMPTS {
                return self.first_from(rule, regex, text, start);
            }
            let input = Input::new(text).range(start..).anchored(Anchored::Yes);
            if let Some(m) = regex.search(&input) {
                if !self.cancelled(rule, text, m.start(), m.end()) {
                    return Some((m.start(), m.end()));
                }
            }
        }
        None
    }

    /// The first uncancelled match at or after `from`, in one linear pass.
    fn first_from(
        &self,
        rule: &Compiled,
        regex: &meta::Regex,
        text: &str,
        from: usize,
    ) -> Option<(usize, usize)> {
        regex
            .find_iter(Input::new(text).range(from..))
            .find(|m| !self.cancelled(rule, text, m.start(), m.end()))
            .map(|m| (m.start(), m.end()))
    }

    /// Whether an `unless` pattern cancels the match `start..end`. It looks at the match and
    /// at most `UNLESS_WINDOW` bytes before it, but never across a clause boundary: a
    /// negation governs its own clause only, so "Don't tell anyone. Send me the code" and
    /// "不要着急，把验证码发给我" are requests, while "never share your code" is a warning.
    fn cancelled(&self, rule: &Compiled, text: &str, start: usize, end: usize) -> bool {
        let Some(unless) = self.unless(rule) else {
            return false;
        };
        let from = floor_boundary(text, start.saturating_sub(UNLESS_WINDOW));
        let from = clause_start(text, from, start);
        unless.is_match(&text[from..end])
    }
}

/// The start of the clause that holds `at`, searching back no further than `from`.
fn clause_start(text: &str, from: usize, at: usize) -> usize {
    from + clause_starts(&text[from..at]).last().copied().unwrap_or(0)
}

/// The literal automata, over lowercase literals (they read lowercased text), split by
/// alphabet: a DFA over the ASCII literals, read in every message, and one over the others,
/// read only in text that is not ASCII. Each is one table lookup per byte; apart, their tables
/// take 1.0 MB and 1.8 MB and build in half the time, where one DFA over every literal took
/// 7.6 MB.
#[derive(Debug)]
struct Prefilter {
    ascii: AhoCorasick,
    other: AhoCorasick,
    /// The index in the literals of the first literal of `other`.
    other_from: usize,
}

impl Prefilter {
    /// `literals` holds the `ascii` ASCII literals first.
    fn build(literals: &[String], ascii: usize) -> Option<Prefilter> {
        let automaton = |literals: &[String]| {
            AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(MatchKind::Standard)
                .build(literals)
                .ok()
        };
        let (head, tail) = literals.split_at(ascii.min(literals.len()));
        Some(Prefilter {
            ascii: automaton(head)?,
            other: automaton(tail)?,
            other_from: head.len(),
        })
    }

    /// Every literal in `lower`, overlapping ones included: its index and where it is.
    fn find<'a>(
        &'a self,
        lower: &'a str,
    ) -> impl Iterator<Item = (usize, aho_corasick::Match)> + 'a {
        let other = (!lower.is_ascii()).then(|| self.other.find_overlapping_iter(lower));
        self.ascii
            .find_overlapping_iter(lower)
            .map(|m| (m.pattern().as_usize(), m))
            .chain(
                other
                    .into_iter()
                    .flatten()
                    .map(|m| (self.other_from + m.pattern().as_usize(), m)),
            )
    }
}

/// An ASCII word character, as `(?-u:\b)` sees it (a non-ASCII byte never is one, so the test
/// is also safe for Unicode `\b`).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negation_scope_ends_at_the_clause() {
        let cut = |t: &str| {
            let at = t.find('|').unwrap();
            let t = t.replace('|', "");
            t[clause_start(&t, 0, at)..at].trim().to_string()
        };
        assert_eq!(cut("Don't tell anyone. |Send"), "");
        assert_eq!(cut("Never |share"), "Never");
        assert_eq!(cut("Don't worry and |send"), "");
        assert_eq!(cut("不要着急，|把"), "");
        assert_eq!(cut("请勿|告诉"), "请勿");
        assert_eq!(cut("do not share, forward or |show"), "forward or");
    }

    #[test]
    fn patterns_tied_to_the_start() {
        assert!(only_at_start("^(?:hi|hello) x"));
        assert!(only_at_start("^hi|^hello"));
        assert!(!only_at_start("^hi|hello"));
        assert!(!only_at_start("hi ^"));
        assert!(!only_at_start("(?m)^hi"));
    }

    #[test]
    fn embedded_rules_parse_and_compile() {
        let rules = RedFlags::embedded().expect("the embedded rules load");
        assert!(rules.defs().count() > 0);
        assert!(rules.prefilter().is_some(), "the literal automaton builds");
        for def in rules.defs() {
            for p in &def.patterns {
                if let Err(e) = compile_pattern(&rules.file, def, p) {
                    panic!("{e}");
                }
            }
            if let Err(e) = compile_unless(&rules.file, def) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn non_ascii_literals_are_listed_in_each_case() {
        let leading = leading_literals("(?:péage|amende)s? impayé").expect("a finite set");
        assert_eq!(leading.literals, ["amende", "pÉage", "péage"]);
    }

    #[test]
    fn prefix_cache_is_fresh() {
        let fresh = render_prefix_cache();
        if std::env::var_os("SCAMSHIELD_WRITE_PREFIXES").is_some() {
            // The file compiled into this build is the old one: write, do not compare.
            std::fs::write(PREFIXES_FILE, &fresh).expect("write the prefix cache");
            return;
        }
        assert!(
            fresh == PREFIXES_TEXT,
            "{PREFIXES_FILE} is stale: run SCAMSHIELD_WRITE_PREFIXES=1 cargo test --lib prefix_cache_is_fresh"
        );
    }

    #[test]
    fn a_stale_prefix_cache_falls_back_to_the_patterns() {
        let patterns = ["(?-u:\\b)(?:gift|steam) cards?", "x{2}y", "[a-z]+z"];
        // A line for another pattern, a truncated file, a cached `null`.
        let cache = format!(
            "# comment\n{:016x} [\"zzz\"]\n{:016x} null\n",
            pattern_hash("something else"),
            pattern_hash("x{2}y")
        );
        let got = all_leading_literals(patterns.iter().copied(), &cache);
        let expected: Vec<_> = patterns.iter().map(|p| leading_literals(p)).collect();
        assert_eq!(got[0], expected[0]);
        assert_eq!(
            got[0],
            Some(Leading {
                literals: vec!["gift c".into(), "steam ".into()],
                word_start: true
            })
        );
        assert_eq!(got[1], None, "the cached null is used for its own pattern");
        assert_eq!(got[2], expected[2]);
    }
}
