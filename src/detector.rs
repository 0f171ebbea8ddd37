//! [`Detector`]: built once from allowlists, immutable, shared by every thread.

use std::path::Path;
use std::sync::LazyLock;

use phonenumber::country::Id;

use crate::allowlist::{self, Allowlist, Brand, Validation};
use crate::domain::Domains;
use crate::error::{LoadError, LoadErrorKind};
use crate::phone;
use crate::rules;
use crate::text::{TextEngine, DEFAULT_MAX_MESSAGE_BYTES};
use crate::url::lookalike::BrandIndex;
use crate::verdict::{Finding, OfficialChannels, Span, Verdict};

/// What the caller knows about the input: the brand it claims to speak for, and the region to
/// read national phone numbers in.
///
/// ```
/// let ctx = scamshield::Context::new().with_brand("微信支付").with_region("CN");
/// assert_eq!(ctx.brand(), Some("微信支付"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    brand: Option<String>,
    region: Option<String>,
}

impl Context {
    /// No claimed brand, no region.
    pub fn new() -> Context {
        Context::default()
    }

    /// The brand the input claims to be from, by id or any alias (English or Chinese;
    /// case-, width- and space-insensitive): `"MetaMask"`, `"trust wallet"`, `"支付寶"`.
    /// A blank name is the same as none.
    pub fn with_brand(mut self, brand: impl Into<String>) -> Context {
        self.brand = Some(brand.into());
        self
    }

    /// The ISO 3166 alpha-2 region national numbers are read in (`"US"`, `"GB"`, `"CN"`;
    /// `"UK"` is accepted for GB). A blank region is the same as none.
    pub fn with_region(mut self, region: impl Into<String>) -> Context {
        self.region = Some(region.into());
        self
    }

    /// The claimed brand as given.
    pub fn brand(&self) -> Option<&str> {
        self.brand.as_deref()
    }

    /// The region as given.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }
}

/// A [`Context`] resolved against the detector's data.
pub(crate) struct Resolved<'a> {
    pub(crate) claimed: Option<&'a Brand>,
    pub(crate) region: Option<Id>,
    pub(crate) findings: Vec<Finding>,
}

/// One data file to load: its name and text, or why it could not be read.
#[derive(Debug, Clone)]
struct Source {
    name: String,
    text: Result<String, String>,
}

/// Builds a [`Detector`].
///
/// # Defaults
/// - the embedded allowlists (`allowlists/*.toml`, version [`Detector::data_version`]);
/// - the embedded Public Suffix List snapshot.
///
/// Added files are validated exactly like the embedded ones, plus a check of every number
/// against libphonenumber's metadata. [`build`](DetectorBuilder::build) is the only fallible
/// step.
#[derive(Debug, Clone)]
pub struct DetectorBuilder {
    defaults: bool,
    extra: Vec<Source>,
    max_message_bytes: usize,
    psl: Option<String>,
}

impl Default for DetectorBuilder {
    fn default() -> Self {
        DetectorBuilder {
            defaults: true,
            extra: Vec::new(),
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            psl: None,
        }
    }
}

impl DetectorBuilder {
    /// A builder with the embedded defaults.
    pub fn new() -> DetectorBuilder {
        DetectorBuilder::default()
    }

    /// Adds one brand file from a string; `name` is used in error messages.
    pub fn add_allowlist_str(mut self, name: impl Into<String>, toml: impl Into<String>) -> Self {
        self.extra.push(Source {
            name: name.into(),
            text: Ok(toml.into()),
        });
        self
    }

    /// Adds one brand file from disk. A file that cannot be read is reported by
    /// [`build`](DetectorBuilder::build).
    pub fn add_allowlist_file(mut self, path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        self.extra.push(Source {
            name: path.display().to_string(),
            text: std::fs::read_to_string(path).map_err(|e| e.to_string()),
        });
        self
    }

    /// How many bytes of a message [`Detector::check_message`] looks at (default 64 KiB);
    /// the rest is not checked and the verdict says so (`text.truncated`). This bounds the
    /// cost of every message.
    pub fn max_message_bytes(mut self, bytes: usize) -> Self {
        self.max_message_bytes = bytes;
        self
    }

    /// Uses this Public Suffix List text (the format of
    /// <https://publicsuffix.org/list/public_suffix_list.dat>, with its ICANN and PRIVATE
    /// sections) instead of the compiled-in snapshot ([`PSL_VERSION`](crate::PSL_VERSION)),
    /// for example a fresher copy. [`build`](DetectorBuilder::build) fails if it does not
    /// parse.
    pub fn public_suffix_list(mut self, text: impl Into<String>) -> Self {
        self.psl = Some(text.into());
        self
    }

    /// **Dangerous:** drops the embedded allowlists, so that only the files added to this
    /// builder are used. Every brand you leave out loses its official channels, and messages
    /// naming it lose the brand checks.
    pub fn dangerous_replace_default_allowlists(mut self) -> Self {
        self.defaults = false;
        self
    }

    /// Loads and validates all data. Fails on the first file that breaks a rule of
    /// `allowlists/README.md`, naming the file, the line and the reason.
    pub fn build(self) -> Result<Detector, LoadError> {
        let psl_name = if self.psl.is_some() {
            "public suffix list (DetectorBuilder::public_suffix_list)"
        } else {
            "data/public_suffix_list.dat"
        };
        let domains = Domains::new(self.psl.as_deref())
            .map_err(|e| LoadError::new(psl_name, 0, LoadErrorKind::Syntax, e))?;
        let mut allowlist = Allowlist::default();
        let embedded = if self.defaults {
            allowlist::EMBEDDED
        } else {
            &[]
        };
        let files = embedded
            .iter()
            .map(|(name, text)| (*name, Ok(*text), Validation::Embedded))
            .chain(
                self.extra
                    .iter()
                    .map(|s| (s.name.as_str(), s.text.as_deref(), Validation::Full)),
            );
        for (name, text, validation) in files {
            let text = text.map_err(|e| {
                LoadError::new(
                    name,
                    0,
                    LoadErrorKind::Io,
                    format!("cannot read the file: {e}"),
                )
            })?;
            let brand = allowlist::load_brand(name, text, &domains, validation)?;
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
        let version = match (self.defaults, self.extra.is_empty()) {
            (true, true) => allowlist::EMBEDDED_VERSION.trim().to_string(),
            (true, false) => format!("{}+custom", allowlist::EMBEDDED_VERSION.trim()),
            (false, _) => "custom".to_string(),
        };
        let text = TextEngine::new(&allowlist)?;
        let brand_index = BrandIndex::build(&allowlist, &domains);
        Ok(Detector {
            allowlist,
            domains,
            text,
            brand_index,
            version,
            max_message_bytes: self.max_message_bytes,
        })
    }
}

/// Checks phone numbers and messages against official-channel allowlists and red-flag rules.
///
/// Build it once and share it: it is immutable, `Send + Sync`, and checking takes `&self`.
/// Checking never fails and never panics; it returns a [`Verdict`].
#[derive(Debug)]
pub struct Detector {
    pub(crate) allowlist: Allowlist,
    pub(crate) domains: Domains,
    pub(crate) text: TextEngine,
    /// Brand names for the URL and email checks.
    pub(crate) brand_index: BrandIndex,
    version: String,
    pub(crate) max_message_bytes: usize,
}

static DEFAULT: LazyLock<Detector> = LazyLock::new(|| {
    Detector::new().expect("the embedded allowlists are validated by the test suite")
});

impl Detector {
    /// A detector with the embedded default data.
    ///
    /// # Errors
    /// Only if the embedded data is broken, which the test suite rules out.
    pub fn new() -> Result<Detector, LoadError> {
        DetectorBuilder::new().build()
    }

    /// A builder, to add allowlist files or replace the defaults.
    pub fn builder() -> DetectorBuilder {
        DetectorBuilder::new()
    }

    /// A process-wide detector with the embedded data, built on first use.
    pub fn shared() -> &'static Detector {
        &DEFAULT
    }

    /// Does now the work that is otherwise done on first use: compiles every message rule and
    /// decodes the phone-numbering metadata. [`Detector::new`] stays cheap because of that
    /// laziness, but the first checks then pay for it (about 100–200 ms in all, once per
    /// process). A long-running service calls this once at start so that no message does.
    /// Safe to call more than once, from any thread.
    pub fn warm_up(&self) {
        self.text.compile_all();
        phone::plan::warm_up();
    }

    /// The version of the allowlist data: the embedded `allowlists/VERSION`, with `+custom`
    /// when files were added, or `custom` when the defaults were replaced.
    pub fn data_version(&self) -> &str {
        &self.version
    }

    /// Every loaded brand.
    pub fn brands(&self) -> &[Brand] {
        self.allowlist.brands()
    }

    /// The brand with this id or alias (case-, width- and space-insensitive).
    pub fn brand(&self, name: &str) -> Option<&Brand> {
        self.allowlist.find_brand(name)
    }

    pub(crate) fn resolve(&self, ctx: &Context) -> Resolved<'_> {
        let mut findings = Vec::new();
        // A blank name or region (an empty field in a batch row) is no claim at all.
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        let claimed = given(&ctx.brand).and_then(|name| {
            let found = self.allowlist.find_brand(name);
            if found.is_none() {
                findings.push(rules::CONTEXT_UNKNOWN_BRAND.finding(
                    format!("We have no verified data about {name:?}, so its official channels are unknown."),
                    name,
                    Span::new(0, 0),
                ));
            }
            found
        });
        let region = given(&ctx.region).and_then(|r| {
            let id = phone::plan::parse_region(r);
            if id.is_none() {
                findings.push(rules::CONTEXT_UNKNOWN_REGION.finding(
                    format!("{r:?} is not a country code (such as US, GB or CN); it was ignored."),
                    r,
                    Span::new(0, 0),
                ));
            }
            id
        });
        Resolved {
            claimed,
            region,
            findings,
        }
    }

    /// Checks a phone number, however it is written: `+1 (888) 908-7930`, `95017`,
    /// `１-８OO-5５5-0199`, `1⛧917⛧695⛧3215`, `1-800-FLOWERS`.
    ///
    /// A match with an official number is reported as a finding (`phone.official_number`)
    /// and never lowers the risk: scammers fake caller ID with real numbers.
    pub fn check_phone(&self, input: &str, ctx: &Context) -> Verdict {
        let Resolved {
            claimed,
            region,
            mut findings,
        } = self.resolve(ctx);
        let mut channels: Vec<OfficialChannels> = claimed.iter().map(|b| b.channels()).collect();
        let Some(raw) = phone::scan::scan(input, 0) else {
            findings.push(rules::PHONE_NOT_A_NUMBER.finding(
                "No phone number was found in the input.".into(),
                "",
                Span::new(0, 0),
            ));
            return Verdict::from_findings(findings, None, None, channels);
        };
        let assessment = phone::assess(&self.allowlist, input, &raw, claimed, region);
        findings.extend(assessment.findings);
        if let Some(owner) = assessment.official {
            if !channels.iter().any(|c| c.brand == owner.id) {
                channels.push(owner.channels());
            }
        }
        let official_brand = assessment.official.map(|b| b.id.clone());
        Verdict::from_findings(findings, assessment.entity, official_brand, channels)
    }
}

/// Checks a phone number with the shared default [`Detector`].
pub fn check_phone(input: &str, ctx: &Context) -> Verdict {
    Detector::shared().check_phone(input, ctx)
}

/// Checks a web address with the shared default [`Detector`] (see [`Detector::check_url`]).
pub fn check_url(url: &str, ctx: &Context) -> Verdict {
    Detector::shared().check_url(url, ctx)
}

/// Checks an email address, optionally with a display name, with the shared default
/// [`Detector`] (see [`Detector::check_email`]).
pub fn check_email(address: &str, ctx: &Context) -> Verdict {
    Detector::shared().check_email(address, ctx)
}
