//! What a detector compiles once and every check reads: the allowlists, the domain lists, the
//! brand-name indexes, the red-flag rules and the word lists. Checks take a `&Knowledge` and
//! never see the detector; nothing here imports a check.

#[cfg(feature = "message")]
pub(crate) mod concept;
#[cfg(feature = "message")]
pub(crate) mod concept_rules;
#[cfg(feature = "message")]
pub(crate) mod concepts;
pub(crate) mod finder;
pub(crate) mod hosts;
pub(crate) mod lists;
#[cfg(feature = "message")]
pub(crate) mod names;
#[cfg(feature = "message")]
pub(crate) mod red_flags;
#[cfg(feature = "message")]
pub(crate) mod vocabulary;

#[cfg(feature = "message")]
use std::sync::Arc;

use crate::allowlist::{self, Allowlist, Validation};
use crate::domain::Domains;
use crate::error::{LoadError, LoadErrorKind};
#[cfg(feature = "message")]
use concepts::ConceptIndex;
use hosts::HostIndex;
use lists::DeceptiveWords;
#[cfg(feature = "message")]
use names::NameIndex;
#[cfg(feature = "message")]
use red_flags::RedFlags;
#[cfg(feature = "message")]
use vocabulary::Vocabulary;

/// The default cap on the bytes of a message that are checked (64 KiB).
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// One allowlist file to load: its name (for errors), its text or why it could not be read,
/// and how strictly to check it.
pub(crate) struct AllowlistFile<'a> {
    pub(crate) name: &'a str,
    pub(crate) text: Result<&'a str, &'a str>,
    pub(crate) validation: Validation,
}

/// Everything the checks read, compiled once by `DetectorBuilder::build`.
#[derive(Debug)]
pub(crate) struct Knowledge {
    /// The brands and their official channels.
    pub(crate) allowlist: Allowlist,
    /// The Public Suffix List and the lists of free-mail, user-content, shortener and
    /// suspicious domains.
    pub(crate) domains: Domains,
    /// Brand names as they appear in host names and email addresses.
    pub(crate) hosts: HostIndex,
    /// Brand names as they appear in message text, and the cue words around them.
    #[cfg(feature = "message")]
    pub(crate) names: NameIndex,
    /// The message red-flag rules.
    #[cfg(feature = "message")]
    pub(crate) red_flags: Arc<RedFlags>,
    /// The concept lexicons.
    #[cfg(feature = "message")]
    pub(crate) concepts: Arc<ConceptIndex>,
    /// Words read back from disguised tokens in messages.
    #[cfg(feature = "message")]
    pub(crate) vocabulary: Vocabulary,
    /// Words phishing hosts put in their names.
    pub(crate) deceptive: DeceptiveWords,
    /// How many bytes of a message are checked.
    #[cfg(feature = "message")]
    pub(crate) max_message_bytes: usize,
    /// The statistical model, if one is used (set by the builder).
    #[cfg(feature = "message")]
    pub(crate) model: Option<Arc<crate::model::Model>>,
}

impl Knowledge {
    /// Loads and validates the data and compiles the indexes. `psl` replaces the embedded
    /// Public Suffix List. Fails on the first file that breaks a rule, naming the file, the
    /// line and the reason.
    pub(crate) fn compile<'a>(
        psl: Option<&str>,
        files: impl IntoIterator<Item = AllowlistFile<'a>>,
        max_message_bytes: usize,
    ) -> Result<Knowledge, LoadError> {
        let psl_name = if psl.is_some() {
            "public suffix list (DetectorBuilder::public_suffix_list)"
        } else {
            "data/public_suffix_list.dat"
        };
        let domains =
            Domains::new(psl).map_err(|e| LoadError::new(psl_name, 0, LoadErrorKind::Syntax, e))?;
        let allowlist = load_allowlists(files, &domains)?;
        #[cfg(feature = "message")]
        let concepts = ConceptIndex::shared()?;
        #[cfg(feature = "message")]
        let names = NameIndex::new(allowlist.brands())?;
        #[cfg(feature = "message")]
        let vocabulary = Vocabulary::new(Arc::clone(&concepts), &names);
        #[cfg(not(feature = "message"))]
        let _ = max_message_bytes;
        Ok(Knowledge {
            hosts: HostIndex::build(&allowlist, &domains),
            #[cfg(feature = "message")]
            names,
            #[cfg(feature = "message")]
            red_flags: RedFlags::embedded()?,
            #[cfg(feature = "message")]
            vocabulary,
            #[cfg(feature = "message")]
            concepts,
            deceptive: DeceptiveWords::embedded(),
            allowlist,
            domains,
            #[cfg(feature = "message")]
            max_message_bytes,
            #[cfg(feature = "message")]
            model: None,
        })
    }

    /// Does now the work that is otherwise done on first use (compiling rule patterns,
    /// building automata).
    pub(crate) fn warm_up(&self) {
        #[cfg(feature = "message")]
        self.message_warm_up();
    }

    #[cfg(feature = "message")]
    fn message_warm_up(&self) {
        self.red_flags.compile_all();
        self.names.automaton();
        self.concepts.automaton();
        self.concepts.may_fire("");
    }
}

#[cfg(test)]
impl Knowledge {
    /// The embedded data, for unit tests.
    pub(crate) fn embedded() -> Knowledge {
        let files = allowlist::EMBEDDED
            .iter()
            .map(|(name, text)| AllowlistFile {
                name,
                text: Ok(text),
                validation: Validation::Embedded,
            });
        Knowledge::compile(None, files, DEFAULT_MAX_MESSAGE_BYTES).expect("the embedded data loads")
    }
}

/// Loads every file into one allowlist; a value two brands claim is an error naming the line.
fn load_allowlists<'a>(
    files: impl IntoIterator<Item = AllowlistFile<'a>>,
    domains: &Domains,
) -> Result<Allowlist, LoadError> {
    let mut allowlist = Allowlist::default();
    for file in files {
        let name = file.name;
        let text = file.text.map_err(|e| {
            LoadError::new(
                name,
                0,
                LoadErrorKind::Io,
                format!("cannot read the file: {e}"),
            )
        })?;
        let brand = allowlist::load_brand(name, text, domains, file.validation)?;
        let id = brand.id.clone();
        allowlist.insert(brand).map_err(|c| {
            let quoted = format!("\"{}\"", c.value);
            let line = text
                .lines()
                .position(|l| l.contains(&quoted))
                .map_or(0, |i| i + 1);
            LoadError::new(
                name,
                line,
                LoadErrorKind::Duplicate,
                format!(
                    "{} {:?} of brand {id:?} already belongs to brand {:?}",
                    c.what, c.value, c.owner
                ),
            )
        })?;
    }
    Ok(allowlist)
}
