//! Red-flag rules as data (`src/rules/text.toml`), loaded once per detector: one regex per
//! rule (all its patterns as one alternation), plus one per pattern for `min_distinct`.

use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexBuilder};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use serde::Deserialize;

use crate::error::{LoadError, LoadErrorKind};
use crate::verdict::Severity;

/// The embedded rules file.
pub(crate) const RULES_FILE: &str = "src/rules/text.toml";
const RULES_TEXT: &str = include_str!("../rules/text.toml");

/// How large a compiled rule set may grow; ample for the embedded rules.
const REGEX_SIZE_LIMIT: usize = 64 << 20;
/// The lazy DFA's cache per regex. Bilingual rules with bounded gaps (`[^。]{0,20}`) make
/// many DFA states; with the default cache the set falls back to the PikeVM, which is an
/// order of magnitude slower on Chinese text.
const DFA_SIZE_LIMIT: usize = 32 << 20;
/// How far before a match the `unless` patterns look.
const UNLESS_WINDOW: usize = 48;

/// What else a message must contain for a rule to fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Requires {
    /// A URL or bare domain.
    Link,
    /// A phone number.
    Phone,
    /// Any phone number, link or email address.
    Contact,
    /// A brand named in the message.
    Brand,
}

/// One rule as written in the data file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleDef {
    pub id: String,
    pub severity: Severity,
    #[allow(dead_code)] // documentation for reviewers
    pub languages: Vec<String>,
    pub message: String,
    pub patterns: Vec<String>,
    #[serde(default)]
    pub unless: Vec<String>,
    #[serde(default)]
    pub requires: Option<Requires>,
    #[serde(default)]
    pub min_distinct: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<RuleDef>,
}

/// The embedded rule definitions, parsed once per process (their ids are `'static`).
static DEFS: LazyLock<Result<Vec<RuleDef>, LoadError>> =
    LazyLock::new(|| parse(RULES_FILE, RULES_TEXT));

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

fn parse(file: &str, text: &str) -> Result<Vec<RuleDef>, LoadError> {
    let parsed: RuleFile =
        toml::from_str(text).map_err(|e| LoadError::from_toml(file, text, &e))?;
    let mut seen = std::collections::HashSet::new();
    for r in &parsed.rule {
        let line = line_of(text, &format!("\"{}\"", r.id));
        let valid_id = r.id.starts_with("text.")
            && r.id[5..]
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
            && r.id.len() > 5;
        if !valid_id {
            return Err(LoadError::new(
                file,
                line,
                LoadErrorKind::Value,
                format!("rule id {:?} must match text.[a-z_]+", r.id),
            ));
        }
        if !seen.insert(r.id.as_str()) {
            return Err(LoadError::new(
                file,
                line,
                LoadErrorKind::Duplicate,
                format!("rule id {:?} is defined twice", r.id),
            ));
        }
        if r.patterns.is_empty() || r.message.trim().is_empty() {
            return Err(LoadError::new(
                file,
                line,
                LoadErrorKind::Value,
                format!("rule {:?} needs a message and patterns", r.id),
            ));
        }
        if r.min_distinct
            .is_some_and(|n| n == 0 || n > r.patterns.len())
        {
            return Err(LoadError::new(
                file,
                line,
                LoadErrorKind::Value,
                format!("rule {:?}: min_distinct must be 1..=patterns", r.id),
            ));
        }
    }
    Ok(parsed.rule)
}

/// The embedded rule definitions (for the rule catalogue).
pub(crate) fn defs() -> &'static [RuleDef] {
    match &*DEFS {
        Ok(defs) => defs,
        Err(_) => &[],
    }
}

#[derive(Debug)]
struct Compiled {
    def: &'static RuleDef,
    /// Compiled on first use: most messages never reach most rules, and compiling all of
    /// them up front would cost ~50 ms per detector. The test suite compiles every rule.
    regexes: OnceLock<Option<Regexes>>,
}

#[derive(Debug)]
struct Regexes {
    /// All patterns as one alternation: finds the rule's first match in one pass.
    any: Regex,
    /// Each pattern on its own, for `min_distinct`.
    patterns: Vec<Regex>,
    unless: Option<Regex>,
}

/// Compiles one rule; the error names the file, the line and the pattern.
fn compile(def: &RuleDef) -> Result<Regexes, LoadError> {
    let bad = |pattern: &str, e: regex::Error| {
        let needle = pattern.chars().take(30).collect::<String>();
        LoadError::new(
            RULES_FILE,
            line_of(RULES_TEXT, &needle),
            LoadErrorKind::Syntax,
            format!("rule {:?}: bad pattern: {e}", def.id),
        )
    };
    let alternation = |list: &[String]| {
        list.iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|")
    };
    // Each pattern on its own only where `min_distinct` needs it.
    let mut patterns = Vec::new();
    if def.min_distinct.unwrap_or(1) > 1 {
        for p in &def.patterns {
            patterns.push(build(p).map_err(|e| bad(p, e))?);
        }
    }
    let any = build(&alternation(&def.patterns)).map_err(|e| bad(&def.patterns[0], e))?;
    let unless = match def.unless.first() {
        None => None,
        Some(first) => Some(build(&alternation(&def.unless)).map_err(|e| bad(first, e))?),
    };
    Ok(Regexes {
        any,
        patterns,
        unless,
    })
}

/// A rule that fired: which, and where in the normalized text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub def: &'static RuleDef,
    pub start: usize,
    pub end: usize,
}

/// What the message contains besides words, for `requires`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Present {
    pub link: bool,
    pub phone: bool,
    pub email: bool,
    pub brand: bool,
}

/// The compiled rules.
#[derive(Debug)]
pub(crate) struct TextRules {
    rules: Vec<Compiled>,
    /// Every literal a rule's match must start with, in one automaton: one pass over the
    /// message says which rules can match at all, so an ordinary message runs few regexes.
    prefilter: Option<AhoCorasick>,
    /// For each prefilter literal, the rule it belongs to.
    literal_rule: Vec<usize>,
    /// Rules whose patterns have no finite set of leading literals: always run.
    always: Vec<bool>,
}

/// The literals every match of `pattern` starts with, lowercase; `None` when there is no
/// finite set (the rule must then always run).
fn leading_literals(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()?;
    let mut extractor = Extractor::new();
    extractor
        .kind(ExtractKind::Prefix)
        .limit_class(16)
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
        out.push(valid.to_lowercase());
    }
    out.sort_unstable();
    out.dedup();
    (!out.is_empty()).then_some(out)
}

fn build(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(DFA_SIZE_LIMIT)
        .build()
}

impl TextRules {
    /// Loads the embedded rules and builds their literal prefilter (each rule's regexes are
    /// compiled on first use). Fails only if the embedded file is broken, which the test
    /// suite rules out; the error names the file, the line and the pattern.
    pub(crate) fn new() -> Result<TextRules, LoadError> {
        let defs: &'static [RuleDef] = match &*DEFS {
            Ok(defs) => defs,
            Err(e) => return Err(e.clone()),
        };
        let rules: Vec<Compiled> = defs
            .iter()
            .map(|def| Compiled {
                def,
                regexes: OnceLock::new(),
            })
            .collect();
        let mut literals = Vec::new();
        let mut literal_rule = Vec::new();
        let mut always = Vec::new();
        for (i, def) in defs.iter().enumerate() {
            let all: Option<Vec<String>> = def
                .patterns
                .iter()
                .map(|p| leading_literals(p))
                .collect::<Option<Vec<_>>>()
                .map(|v| v.concat());
            match all {
                Some(lits) => {
                    always.push(false);
                    for l in lits {
                        literals.push(l);
                        literal_rule.push(i);
                    }
                }
                None => always.push(true),
            }
        }
        let prefilter = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&literals)
            .ok();
        if prefilter.is_none() {
            always.iter_mut().for_each(|a| *a = true);
        }
        Ok(TextRules {
            rules,
            prefilter,
            literal_rule,
            always,
        })
    }

    /// The rules that fire on `text`, each once, at its first match that no `unless` pattern
    /// cancels.
    pub(crate) fn scan(&self, text: &str, present: Present) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut candidate = self.always.clone();
        if let Some(ac) = &self.prefilter {
            for m in ac.find_overlapping_iter(text) {
                candidate[self.literal_rule[m.pattern().as_usize()]] = true;
            }
        }
        for (rule, _) in self.rules.iter().zip(&candidate).filter(|(_, c)| **c) {
            let allowed = match rule.def.requires {
                None => true,
                Some(Requires::Link) => present.link,
                Some(Requires::Phone) => present.phone,
                Some(Requires::Contact) => present.link || present.phone || present.email,
                Some(Requires::Brand) => present.brand,
            };
            if !allowed {
                continue;
            }
            // A rule that does not compile is skipped; the test suite compiles every rule.
            let Some(rx) = rule.regexes.get_or_init(|| compile(rule.def).ok()).as_ref() else {
                continue;
            };
            let Some(m) = rx
                .any
                .find_iter(text)
                .find(|m| !cancelled(rx, text, m.start(), m.end()))
            else {
                continue;
            };
            let needed = rule.def.min_distinct.unwrap_or(1);
            if needed > 1 {
                let distinct = rx
                    .patterns
                    .iter()
                    .filter(|p| {
                        p.find_iter(text)
                            .any(|m| !cancelled(rx, text, m.start(), m.end()))
                    })
                    .count();
                if distinct < needed {
                    continue;
                }
            }
            hits.push(Hit {
                def: rule.def,
                start: m.start(),
                end: m.end(),
            });
        }
        hits
    }
}

/// Whether an `unless` pattern cancels the match `start..end` (it looks at up to
/// `UNLESS_WINDOW` bytes before the match, and the match).
fn cancelled(rx: &Regexes, text: &str, start: usize, end: usize) -> bool {
    let Some(unless) = &rx.unless else {
        return false;
    };
    let mut from = start.saturating_sub(UNLESS_WINDOW);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    unless.is_match(&text[from..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> LoadError {
        parse("rules.toml", text).expect_err("must be rejected")
    }

    #[test]
    fn embedded_rules_parse_and_compile() {
        assert!(!defs().is_empty());
        TextRules::new().expect("the embedded rules load");
        for def in defs() {
            if let Err(e) = compile(def) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn malformed_rule_files_name_file_line_and_reason() {
        let e = err("[[rule]]\nid = \"text.x\"\nseverity = \"loud\"\n");
        assert_eq!((e.file(), e.kind()), ("rules.toml", LoadErrorKind::Syntax));
        assert_eq!(e.line(), 3, "{e}");

        let rule = |id: &str| {
            format!("[[rule]]\nid = \"{id}\"\nseverity = \"low\"\nlanguages = [\"en\"]\nmessage = \"m\"\npatterns = [\"x\"]\n")
        };
        let e = err(&rule("phone.x"));
        assert_eq!((e.kind(), e.line()), (LoadErrorKind::Value, 2), "{e}");

        let e = err(&format!("{}{}", rule("text.same"), rule("text.same")));
        assert_eq!(e.kind(), LoadErrorKind::Duplicate, "{e}");

        let e = err("[[rule]]\nid = \"text.x\"\nseverity = \"low\"\nlanguages = []\nmessage = \"m\"\npatterns = []\n");
        assert_eq!((e.kind(), e.line()), (LoadErrorKind::Value, 2), "{e}");

        let e = err("[[rule]]\nid = \"text.x\"\nseverity = \"low\"\nlanguages = []\nmessage = \"m\"\npatterns = [\"x\"]\nmin_distinct = 2\n");
        assert_eq!(e.kind(), LoadErrorKind::Value, "{e}");

        let e = err("[[rule]]\nid = \"text.x\"\nseverity = \"low\"\nlanguages = []\nmessage = \"m\"\npatterns = [\"x\"]\nbogus = 1\n");
        assert_eq!((e.kind(), e.line()), (LoadErrorKind::Syntax, 7), "{e}");
    }
}
