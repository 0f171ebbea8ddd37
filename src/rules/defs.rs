//! Red-flag rule definitions as written in their data files (`data/red_flags.toml` is the
//! embedded one): parsing and validation. Compiling them into a matcher is the job of
//! `knowledge::red_flags`; listing them is the job of the rule catalogue.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::error::{LoadError, LoadErrorKind};
use crate::rules::Signal;
use crate::verdict::Severity;

/// The embedded red-flag rules file: its name in error messages, and its text.
pub(crate) const EMBEDDED_FILE: &str = "data/red_flags.toml";
pub(crate) const EMBEDDED_TEXT: &str = include_str!("../../data/red_flags.toml");

/// How a weak red flag adds up with others, as written in a rule file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SignalDef {
    /// About what the message sells or claims (a miracle pill, a sex come-on).
    Content,
    /// Pressure to act now: common in honest reminders too.
    Urgency,
}

/// What else a message must contain for a rule to fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Requires {
    /// A URL or bare domain.
    Link,
    /// A phone number.
    Phone,
    /// A phone number that is no brand's official number (written `unofficial_phone`): a
    /// script that tells you to call is a scam only with the scammer's own number.
    #[serde(rename = "unofficial_phone")]
    UnofficialPhone,
    /// Any phone number, link, email address or chat handle.
    Contact,
    /// A brand named in the message.
    Brand,
}

/// A severity as written in a rule file (`"medium"`), read without the public types' serde
/// support, which is an optional feature.
fn severity<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
    let name = String::deserialize(d)?;
    [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ]
    .into_iter()
    .find(|s| s.as_str() == name)
    .ok_or_else(|| {
        serde::de::Error::unknown_variant(&name, &["info", "low", "medium", "high", "critical"])
    })
}

/// One rule as written in the data file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleDef {
    pub id: String,
    #[serde(deserialize_with = "severity")]
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
    /// How a weak (low) rule adds up with other weak signs to `text.several_red_flags`:
    /// `content` or `urgency`; by default a sign in the message's words.
    #[serde(default)]
    pub signal: Option<SignalDef>,
    /// The id of a concept rule this rule is one phrasing of (`text.asks_for_secret`): when
    /// this rule fires, the concept rule does not add a second finding for the same request.
    #[serde(default)]
    pub phrasing_of: Option<String>,
    /// The line of the rule's id in its file (for error messages), set when parsed.
    #[serde(skip)]
    pub line: usize,
}

impl RuleDef {
    /// The rule's combination property.
    pub(crate) fn signal(&self) -> Signal {
        match self.signal {
            Some(SignalDef::Content) => Signal::Content,
            Some(SignalDef::Urgency) => Signal::Urgency,
            None => Signal::Words,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rule: Vec<RuleDef>,
}

pub(crate) fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

pub(crate) fn parse(file: &str, text: &str) -> Result<Vec<RuleDef>, LoadError> {
    let parsed: RuleFile =
        toml::from_str(text).map_err(|e| LoadError::from_toml(file, text, &e))?;
    let mut seen = std::collections::HashSet::new();
    let mut lines = Vec::with_capacity(parsed.rule.len());
    // The first line that holds each quoted string, found in one pass (what `line_of`
    // finds for `"id"`, without reading the file once per rule).
    let mut first_line: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, l) in text.lines().enumerate() {
        for quoted in l.split('"').skip(1).step_by(2) {
            first_line.entry(quoted).or_insert(i + 1);
        }
    }
    for r in &parsed.rule {
        let line = first_line.get(r.id.as_str()).copied().unwrap_or(0);
        lines.push(line);
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
        if r.message.trim().is_empty() {
            return Err(LoadError::new(
                file,
                line,
                LoadErrorKind::Value,
                format!("rule {:?} needs a message", r.id),
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
        if r.signal.is_some() && r.severity != Severity::Low {
            return Err(LoadError::new(
                file,
                line,
                LoadErrorKind::Value,
                format!("rule {:?}: a signal is for low rules", r.id),
            ));
        }
    }
    let mut rules = parsed.rule;
    for (r, line) in rules.iter_mut().zip(lines) {
        r.line = line;
    }
    Ok(rules)
}

/// The embedded rule definitions, parsed once per process for the rule catalogue.
static EMBEDDED: LazyLock<Result<Vec<RuleDef>, LoadError>> =
    LazyLock::new(|| parse(EMBEDDED_FILE, EMBEDDED_TEXT));

/// The embedded rule definitions (empty only if the embedded file is broken, which the test
/// suite rules out).
pub(crate) fn embedded() -> &'static [RuleDef] {
    match &*EMBEDDED {
        Ok(defs) => defs,
        Err(_) => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> LoadError {
        parse("rules.toml", text).expect_err("must be rejected")
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

        let e = err("[[rule]]\nid = \"text.x\"\nseverity = \"low\"\nlanguages = []\nmessage = \" \"\npatterns = [\"x\"]\n");
        assert_eq!((e.kind(), e.line()), (LoadErrorKind::Value, 2), "{e}");
        // No patterns is allowed here: such a rule fires only through concept rules, and
        // the concept-rule loader rejects it when none names it.
        assert!(parse("rules.toml", "[[rule]]\nid = \"text.x\"\nseverity = \"low\"\nlanguages = []\nmessage = \"m\"\npatterns = []\n").is_ok());

        let e = err("[[rule]]\nid = \"text.x\"\nseverity = \"low\"\nlanguages = []\nmessage = \"m\"\npatterns = [\"x\"]\nmin_distinct = 2\n");
        assert_eq!(e.kind(), LoadErrorKind::Value, "{e}");

        let e = err("[[rule]]\nid = \"text.x\"\nseverity = \"medium\"\nlanguages = []\nmessage = \"m\"\npatterns = [\"x\"]\nsignal = \"content\"\n");
        assert_eq!((e.kind(), e.line()), (LoadErrorKind::Value, 2), "{e}");

        let e = err("[[rule]]\nid = \"text.x\"\nseverity = \"low\"\nlanguages = []\nmessage = \"m\"\npatterns = [\"x\"]\nbogus = 1\n");
        assert_eq!((e.kind(), e.line()), (LoadErrorKind::Syntax, 7), "{e}");
    }
}
