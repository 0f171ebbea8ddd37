//! Concept rules (`data/concept_rules.toml`): red flags written as combinations of lexicon
//! concepts, parsed and checked against the red-flag rules whose ids they fire as.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{LoadError, LoadErrorKind};
use crate::knowledge::concept::Concept;
use crate::rules::defs::{self, Requires};
use crate::rules::Rule;

/// The embedded concept rules file: its name in error messages, and its text.
pub(crate) const EMBEDDED_FILE: &str = "data/concept_rules.toml";
pub(crate) const EMBEDDED_TEXT: &str = include_str!("../../data/concept_rules.toml");

/// How much of a message one match of a rule may span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Scope {
    /// Up to the next , ; : . ! ? or line break (and their CJK forms).
    Clause,
    /// Up to the next . ! ? or line break (and their CJK forms).
    Sentence,
    /// The whole message.
    Message,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    scope: Scope,
    groups: Vec<Vec<String>>,
    #[serde(default)]
    min_terms: BTreeMap<String, usize>,
    #[serde(default)]
    requires: Option<Requires>,
    /// Whether a negator cancels the phrase rules of the same id as it cancels this rule's
    /// terms (default true).
    #[serde(default = "yes")]
    negates_phrases: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<RuleDef>,
}

/// One group of a rule: any of its concepts satisfies it, with `min_terms` distinct terms.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub concepts: Vec<Concept>,
    pub min_terms: usize,
}

/// A compiled concept rule.
#[derive(Debug, Clone)]
pub(crate) struct ConceptRule {
    /// The red-flag rule it fires as (id, severity, message, signal).
    pub rule: Rule,
    pub scope: Scope,
    pub groups: Vec<Group>,
    pub requires: Option<Requires>,
    /// Whether the phrase rules of the same id are negatable like this rule's terms.
    pub negates_phrases: bool,
}

/// The most groups a rule may have (the matcher tries combinations of them).
const MAX_GROUPS: usize = 4;

/// Parses `text` (named `file` in errors): every concept must be known, every id must be a
/// red-flag rule of `data/red_flags.toml`.
pub(crate) fn parse(file: &str, text: &str) -> Result<Vec<ConceptRule>, LoadError> {
    let parsed: RuleFile =
        toml::from_str(text).map_err(|e| LoadError::from_toml(file, text, &e))?;
    let mut rules = Vec::with_capacity(parsed.rule.len());
    let mut from = 0;
    for def in parsed.rule {
        // Each rule's line: the first line naming its id after the previous rule's.
        let needle = format!("\"{}\"", def.id);
        let offset = text[from..].find(&needle).map_or(from, |i| from + i);
        let line = crate::error::line_at(text, offset);
        from = (offset + needle.len()).min(text.len());
        let bad = |reason: String| LoadError::new(file, line, LoadErrorKind::Value, reason);
        let Some(red_flag) = defs::embedded().iter().find(|d| d.id == def.id) else {
            return Err(bad(format!(
                "{:?} is not a red-flag rule of {}",
                def.id,
                defs::EMBEDDED_FILE
            )));
        };
        if def.groups.is_empty() || def.groups.len() > MAX_GROUPS {
            return Err(bad(format!("a rule needs 1 to {MAX_GROUPS} groups")));
        }
        let mut groups = Vec::with_capacity(def.groups.len());
        for names in &def.groups {
            if names.is_empty() {
                return Err(bad("a group needs at least one concept".into()));
            }
            let concepts = names
                .iter()
                .map(|n| Concept::from_name(n).ok_or_else(|| bad(format!("unknown concept {n:?}"))))
                .collect::<Result<Vec<_>, _>>()?;
            groups.push(Group {
                concepts,
                min_terms: 1,
            });
        }
        for (index, &n) in &def.min_terms {
            let Some(group) = index.parse::<usize>().ok().and_then(|i| groups.get_mut(i)) else {
                return Err(bad(format!("min_terms names no group {index:?}")));
            };
            if n == 0 || n > 8 {
                return Err(bad("min_terms must be 1 to 8".into()));
            }
            group.min_terms = n;
        }
        if def.requires == Some(Requires::Brand) {
            return Err(bad(
                "a concept rule may require link, phone or contact".into()
            ));
        }
        rules.push(ConceptRule {
            rule: Rule {
                id: red_flag.id.as_str(),
                severity: red_flag.severity,
                summary: red_flag.message.as_str(),
                signal: red_flag.signal(),
            },
            scope: def.scope,
            groups,
            requires: def.requires,
            negates_phrases: def.negates_phrases,
        });
    }
    // A red-flag rule without patterns fires only through its concept rules.
    if let Some(orphan) = defs::embedded()
        .iter()
        .find(|d| d.patterns.is_empty() && !rules.iter().any(|r| r.rule.id == d.id))
    {
        return Err(LoadError::new(
            defs::EMBEDDED_FILE,
            orphan.line,
            LoadErrorKind::Value,
            format!(
                "rule {:?} has no patterns and no concept rule in {file}",
                orphan.id
            ),
        ));
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_rules_load() {
        let rules = parse(EMBEDDED_FILE, EMBEDDED_TEXT).expect("the embedded rules load");
        assert!(rules.iter().any(|r| r.rule.id == "text.safe_account"));
    }

    #[test]
    fn errors_name_the_line_and_reason() {
        let text = "[[rule]]\nid = \"text.safe_account\"\nscope = \"sentence\"\ngroups = [[\"safe_account\"]]\n\n[[rule]]\nid = \"text.no_such_rule\"\nscope = \"clause\"\ngroups = [[\"fee\"]]\n";
        let e = parse("r.toml", text).expect_err("an unknown id is rejected");
        assert_eq!((e.file(), e.line()), ("r.toml", 7));
        assert!(e.to_string().contains("not a red-flag rule"), "{e}");
        let e = parse(
            "r.toml",
            "[[rule]]\nid = \"text.safe_account\"\nscope = \"clause\"\ngroups = [[\"feee\"]]\n",
        )
        .expect_err("an unknown concept is rejected");
        assert!(e.to_string().contains("unknown concept \"feee\""), "{e}");
        let e = parse(
            "r.toml",
            "[[rule]]\nid = \"text.safe_account\"\nscope = \"clause\"\ngroups = [[\"fee\"]]\nmin_terms = { \"3\" = 2 }\n",
        )
        .expect_err("min_terms of a missing group is rejected");
        assert!(e.to_string().contains("min_terms"), "{e}");
        // The embedded red flags include rules that only concept rules raise, so a concept
        // rule file without them is rejected, naming the red-flag rule.
        let e = parse(
            "r.toml",
            "[[rule]]\nid = \"text.safe_account\"\nscope = \"clause\"\ngroups = [[\"fee\"]]\n",
        )
        .expect_err("a pattern-less red flag without a concept rule is rejected");
        assert!(
            e.to_string()
                .contains("has no patterns and no concept rule"),
            "{e}"
        );
    }
}
