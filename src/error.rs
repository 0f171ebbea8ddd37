//! The only error scamshield returns: data that could not be loaded when a
//! [`Detector`](crate::Detector) is built. Checking never fails.

/// Why a data file was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// The file could not be read.
    Io,
    /// Not valid TOML, an unknown or missing field, or a value of the wrong type.
    Syntax,
    /// An unsupported `schema` version.
    Schema,
    /// A fact without a usable `source`, `grade` or `checked` date.
    Provenance,
    /// A phone number that is neither valid E.164 nor a known service short code.
    Number,
    /// A domain that is not a registrable domain, or one anybody can get addresses or pages
    /// on (free mail, user content).
    Domain,
    /// A value that breaks a rule of the format (bad id, unknown category, policy, …).
    Value,
    /// The same id, alias, number or domain given to two brands, or listed and excluded.
    Duplicate,
}

/// A data file that could not be loaded: names the file, the line (1-based; 0 when no line
/// applies) and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct LoadError {
    file: String,
    line: usize,
    kind: LoadErrorKind,
    reason: String,
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl LoadError {
    /// A TOML syntax or shape error in `file`, at the line the parser points to.
    pub(crate) fn from_toml(file: &str, text: &str, e: &toml::de::Error) -> LoadError {
        let line = e.span().map_or(0, |s| line_at(text, s.start));
        LoadError::new(
            file,
            line,
            LoadErrorKind::Syntax,
            e.message().trim().to_string(),
        )
    }

    pub(crate) fn new(
        file: impl Into<String>,
        line: usize,
        kind: LoadErrorKind,
        reason: impl Into<String>,
    ) -> LoadError {
        LoadError {
            file: file.into(),
            line,
            kind,
            reason: reason.into(),
        }
    }

    /// The file (or the name given to data loaded from a string).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based line of the offending value; 0 when the error is about the whole file.
    pub fn line(&self) -> usize {
        self.line
    }

    /// What kind of problem it is.
    pub fn kind(&self) -> LoadErrorKind {
        self.kind
    }

    /// The reason, in words.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}
