//! # scamshield
//!
//! Tells people, apps and messaging platforms whether a phone number or a message is a scam,
//! starting with the fake customer-support scam: a search result, SMS or chat says "PayPal / 支付宝 /
//! MetaMask customer service: call …" and gives a channel that is not the brand's.
//!
//! scamshield compares the number with each brand's **verified official channels** (one
//! reviewable data file per brand, every fact with a source and a date), reads numbers the
//! way a person would whatever was done to hide them from filters, and flags costly or
//! spoof-prone number ranges. Every verdict carries its reasons (stable rule ids, severities,
//! plain-language sentences, byte spans) and the real contact channels of the brand involved.
//!
//! ```
//! use scamshield::{Context, Detector, Risk};
//!
//! let detector = Detector::new()?; // embedded data; build once, share everywhere
//!
//! // MetaMask has no phone support: any "MetaMask support" number is fake.
//! let ctx = Context::new().with_brand("MetaMask");
//! let verdict = detector.check_phone("+1-812-223-9376", &ctx);
//! assert_eq!(verdict.risk, Risk::Critical);
//! assert!(verdict.has("phone.brand_has_no_phone_support"));
//!
//! // 95017 is WeChat Pay's official hotline.
//! let ctx = Context::new().with_brand("微信支付").with_region("CN");
//! let verdict = detector.check_phone("95017", &ctx);
//! assert!(verdict.risk <= Risk::Low);
//! assert_eq!(verdict.official_brand.as_deref(), Some("wechat-pay"));
//!
//! // Messages: entities, red flags and brand claims, with spans into the text.
//! let text = "PayPal Support: your account is locked. Call +1 (888) 555-0199 now";
//! let verdict = detector.check_message(text, &Context::new());
//! assert!(verdict.risk >= Risk::Medium);
//! assert!(verdict.has("text.brand_claim"));
//! # Ok::<(), scamshield::LoadError>(())
//! ```
//!
//! ## Threads
//! A [`Detector`] is immutable after [`DetectorBuilder::build`]; it is `Send + Sync`, every
//! check takes `&self`, and one instance serves all threads (wrap it in an `Arc` or use
//! [`Detector::shared`]).
//!
//! ## Untrusted input
//! Checking functions take any `&str`, return a [`Verdict`], and never panic. The phone
//! reader looks at a bounded number of characters, whatever the input's length; message
//! checks look at the first 64 KiB (configurable) and cap the entities taken per kind. Only
//! building a detector can fail, with a [`LoadError`] naming the file, the line and the
//! reason.
//!
//! ## What a verdict is not
//! - An official-number match is evidence about the **number**, never proof that a call or
//!   message is safe: scammers spoof real numbers as caller ID.
//! - `Risk::None` means no sign of a scam was found, not that the input is safe.
//! - scamshield is offline: it makes no network calls and keeps no input.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
// Helpers shared with the message engine go unused in a phone/URL/email-only build.
#![cfg_attr(not(feature = "message"), allow(dead_code))]

mod allowlist;
mod combine;
mod context;
mod detector;
mod domain;
mod email;
mod error;
mod fold;
mod knowledge;
#[cfg(feature = "message")]
mod message;
#[cfg(feature = "message")]
mod model;
mod numbering;
mod phone;
pub mod rules;
#[cfg(feature = "message")]
pub mod train;
mod url;
mod verdict;

pub use allowlist::Brand;
pub use allowlist::Category;
pub use context::Context;
pub use detector::check_email;
#[cfg(feature = "message")]
pub use detector::check_message;
pub use detector::check_phone;
pub use detector::check_url;
pub use detector::Detector;
pub use detector::DetectorBuilder;
pub use domain::PSL_VERSION;
pub use error::LoadError;
pub use error::LoadErrorKind;
pub use knowledge::DEFAULT_MAX_MESSAGE_BYTES;
pub use rules::Rule;
pub use verdict::Entity;
pub use verdict::EntityKind;
pub use verdict::Field;
pub use verdict::Finding;
pub use verdict::OfficialChannels;
pub use verdict::OfficialPhone;
pub use verdict::PhonePolicy;
pub use verdict::Risk;
pub use verdict::Severity;
pub use verdict::Span;
pub use verdict::Verdict;

/// Entry points for the fuzz targets in `fuzz/` (compiled only under `cargo fuzz`).
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    use std::sync::LazyLock;

    use crate::domain::Domains;

    static DOMAINS: LazyLock<Domains> =
        LazyLock::new(|| Domains::new(None).expect("the PSL parses"));

    /// Asserts the span invariants of a verdict on `input`: every span lies inside the input,
    /// on character boundaries.
    pub fn assert_spans(input: &str, v: &crate::Verdict) {
        for s in v.spans() {
            assert!(s.fits(input), "span {s:?} does not fit the input");
        }
    }

    /// Loads one brand file with full validation, as a user file would be.
    pub fn load_allowlist(text: &str) -> Result<(), crate::LoadError> {
        crate::allowlist::load_brand(
            "fuzz.toml",
            text,
            &DOMAINS,
            crate::allowlist::Validation::Full,
        )
        .map(|_| ())
    }
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
