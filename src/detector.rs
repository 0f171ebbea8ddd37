//! [`Detector`]: built once from allowlists, immutable, shared by every thread.

use std::path::Path;
use std::sync::LazyLock;

use crate::allowlist::{self, Brand, Validation};
use crate::context::{resolve, Context};
use crate::error::LoadError;
use crate::knowledge::{AllowlistFile, Knowledge, DEFAULT_MAX_MESSAGE_BYTES};
#[cfg(feature = "message")]
use crate::message;
use crate::verdict::Verdict;
use crate::{email, phone, url};

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
    /// The statistical model: the embedded one (`None`), none, or a file's bytes.
    #[cfg(feature = "message")]
    model: ModelChoice,
}

/// Which statistical model a detector uses.
#[cfg(feature = "message")]
#[derive(Debug, Clone)]
enum ModelChoice {
    Embedded,
    Off,
    Bytes(String, Result<Vec<u8>, String>),
}

impl Default for DetectorBuilder {
    fn default() -> Self {
        DetectorBuilder {
            defaults: true,
            extra: Vec::new(),
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            psl: None,
            #[cfg(feature = "message")]
            model: ModelChoice::Embedded,
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

    /// Uses the statistical model in this file (written by `scamshield train`) instead of the
    /// embedded one. A file that cannot be read or is not a model is a [`LoadError`] from
    /// [`build`](DetectorBuilder::build).
    #[cfg(feature = "message")]
    pub fn model_file(mut self, path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| e.to_string());
        self.model = ModelChoice::Bytes(path.display().to_string(), bytes);
        self
    }

    /// Uses the statistical model in `bytes` (the contents of a model file); `name` is used
    /// in errors.
    #[cfg(feature = "message")]
    pub fn model_bytes(mut self, name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        self.model = ModelChoice::Bytes(name.into(), Ok(bytes.into()));
        self
    }

    /// Switches the statistical signal (`text.model_scam_likely`) off: messages are judged
    /// by the rules alone.
    #[cfg(feature = "message")]
    pub fn without_model(mut self) -> Self {
        self.model = ModelChoice::Off;
        self
    }

    /// Loads and validates all data. Fails on the first file that breaks a rule of
    /// `allowlists/README.md`, naming the file, the line and the reason.
    pub fn build(self) -> Result<Detector, LoadError> {
        let embedded = if self.defaults {
            allowlist::EMBEDDED
        } else {
            &[]
        };
        let files = embedded
            .iter()
            .map(|(name, text)| AllowlistFile {
                name,
                text: Ok(text),
                validation: Validation::Embedded,
            })
            .chain(self.extra.iter().map(|s| AllowlistFile {
                name: &s.name,
                text: s.text.as_deref().map_err(String::as_str),
                validation: Validation::Full,
            }));
        #[allow(unused_mut)]
        let mut knowledge = Knowledge::compile(self.psl.as_deref(), files, self.max_message_bytes)?;
        #[cfg(feature = "message")]
        {
            knowledge.model = match &self.model {
                ModelChoice::Off => None,
                ModelChoice::Embedded => Some(crate::model::embedded()?),
                ModelChoice::Bytes(name, Ok(bytes)) => Some(std::sync::Arc::new(
                    crate::model::Model::from_bytes(name, bytes)?,
                )),
                ModelChoice::Bytes(name, Err(why)) => {
                    return Err(LoadError::new(
                        name,
                        0,
                        crate::error::LoadErrorKind::Io,
                        why.clone(),
                    ))
                }
            };
        }
        let version = match (self.defaults, self.extra.is_empty()) {
            (true, true) => allowlist::EMBEDDED_VERSION.trim().to_string(),
            (true, false) => format!("{}+custom", allowlist::EMBEDDED_VERSION.trim()),
            (false, _) => "custom".to_string(),
        };
        Ok(Detector { knowledge, version })
    }
}

/// Checks phone numbers and messages against official-channel allowlists and red-flag rules.
///
/// Build it once and share it: it is immutable, `Send + Sync`, and checking takes `&self`.
/// Checking never fails and never panics; it returns a [`Verdict`].
#[derive(Debug)]
pub struct Detector {
    /// Everything the checks read, compiled by [`DetectorBuilder::build`].
    knowledge: Knowledge,
    version: String,
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
        self.knowledge.warm_up();
        #[cfg(feature = "message")]
        message::warm_up();
        phone::warm_up();
    }

    /// The version of the allowlist data: the embedded `allowlists/VERSION`, with `+custom`
    /// when files were added, or `custom` when the defaults were replaced.
    pub fn data_version(&self) -> &str {
        &self.version
    }

    /// Every loaded brand.
    pub fn brands(&self) -> &[Brand] {
        self.knowledge.allowlist.brands()
    }

    /// The brand with this id or alias (case-, width- and space-insensitive).
    pub fn brand(&self, name: &str) -> Option<&Brand> {
        self.knowledge.allowlist.find_brand(name)
    }

    /// Checks a phone number, however it is written: `+1 (888) 908-7930`, `95017`,
    /// `１-８OO-5５5-0199`, `1⛧917⛧695⛧3215`, `1-800-FLOWERS`.
    ///
    /// A match with an official number is reported as a finding (`phone.official_number`)
    /// and never lowers the risk: scammers fake caller ID with real numbers.
    pub fn check_phone(&self, input: &str, ctx: &Context) -> Verdict {
        phone::check(&self.knowledge, resolve(&self.knowledge, ctx), input)
    }

    /// Checks a web address, however it is written: `https://www.paypal.com/signin`, a bare
    /// domain (`paypal-verify.com`), a scheme-less link (`www.x.com/path`), or an
    /// internationalized name (`pаypal.com`, `xn--pypal-4ve.com`).
    ///
    /// Reports lookalikes of the brands' official domains (each finding names the imitated
    /// brand and its real domain, and the verdict's `channels` carry that brand's channels),
    /// structural red flags, and, with a claimed brand in `ctx`, whether the link is that
    /// brand's. An official-domain match (`url.official_domain`) never lowers the risk.
    ///
    /// ```
    /// let detector = scamshield::Detector::new()?;
    /// let ctx = scamshield::Context::new();
    /// let v = detector.check_url("https://paypal.com.secure-login.xyz/", &ctx);
    /// assert!(v.risk >= scamshield::Risk::High);
    /// assert!(v.has("url.lookalike_embedded"));
    /// assert_eq!(v.channels[0].brand, "paypal");
    /// # Ok::<(), scamshield::LoadError>(())
    /// ```
    pub fn check_url(&self, url: &str, ctx: &Context) -> Verdict {
        url::check(&self.knowledge, resolve(&self.knowledge, ctx), url)
    }

    /// Checks an email address, optionally with a display name:
    /// `"PayPal Service" <paypal.support.team@gmail.com>`.
    ///
    /// Runs the URL host checks on the address's domain (official domain, lookalikes,
    /// suspicious TLD), and reads the display name and the part before the @ for brand
    /// claims: a brand claimed from a free-mail address, or a display name naming a brand
    /// whose domains do not include the address's, is high risk. An official-domain match
    /// (`email.official_domain`) never lowers the risk: sender addresses can be forged.
    ///
    /// ```
    /// let detector = scamshield::Detector::new()?;
    /// let v = detector.check_email("\"PayPal Service\" <paypal.support.team@gmail.com>", &scamshield::Context::new());
    /// assert!(v.has("email.free_mail_brand_claim"));
    /// assert!(v.risk >= scamshield::Risk::High);
    /// # Ok::<(), scamshield::LoadError>(())
    /// ```
    pub fn check_email(&self, address: &str, ctx: &Context) -> Verdict {
        email::check(&self.knowledge, resolve(&self.knowledge, ctx), address)
    }

    /// Checks a message (SMS, chat, email body, web page text) for the fake customer-support
    /// scam and other red flags: phrase rules in English and Chinese (Simplified and
    /// Traditional), and concept rules in every language of the lexicons (`data/lexicon/`:
    /// English, Chinese, Spanish, Portuguese, French, German, Hindi in Latin letters and in
    /// Devanagari, Japanese, Korean, Indonesian).
    ///
    /// The context's sender and subject are read too (see [`Context::with_sender`]): findings
    /// about them carry spans with [`Field::Sender`](crate::Field::Sender) or
    /// [`Field::Subject`](crate::Field::Subject).
    ///
    /// Spans in the verdict point into `text` unless they say otherwise. Only the first
    /// [`max_message_bytes`](crate::DetectorBuilder::max_message_bytes) bytes are checked
    /// (64 KiB by default); the verdict says so when a message was cut.
    #[cfg(feature = "message")]
    pub fn check_message(&self, text: &str, ctx: &Context) -> Verdict {
        let envelope = message::Envelope {
            sender: ctx.sender(),
            subject: ctx.subject(),
        };
        message::check(
            &self.knowledge,
            resolve(&self.knowledge, ctx),
            text,
            envelope,
        )
    }
}

#[cfg(feature = "message")]
impl Detector {
    /// Every word the model's features keep (for the trainer).
    pub(crate) fn model_vocabulary(&self, f: impl FnMut(&str)) {
        self.knowledge.vocabulary.for_each_known(f);
    }

    /// The model's features of a message, per sentence (for the trainer); `gated`: none
    /// for a message the detector does not let the model read.
    pub(crate) fn model_sentences(
        &self,
        text: &str,
        bits: u32,
        gated: bool,
    ) -> Vec<crate::model::features::Unit> {
        message::model_sentences(&self.knowledge, text, bits, gated)
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

/// Checks a message with the shared default [`Detector`] (see [`Detector::check_message`]).
#[cfg(feature = "message")]
pub fn check_message(text: &str, ctx: &Context) -> Verdict {
    Detector::shared().check_message(text, ctx)
}
