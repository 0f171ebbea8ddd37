//! What the caller knows about an input ([`Context`]), and that knowledge resolved against
//! the data.

use phonenumber::country::Id;

use crate::allowlist::Brand;
use crate::knowledge::Knowledge;
use crate::numbering::plan;
use crate::rules;
use crate::verdict::{Entity, Finding, OfficialChannels, Span, Verdict};

/// What the caller knows about the input: the brand it claims to speak for, the region to
/// read national phone numbers in, and for messages who sent it and its subject.
///
/// ```
/// let ctx = scamshield::Context::new().with_brand("微信支付").with_region("CN");
/// assert_eq!(ctx.brand(), Some("微信支付"));
/// let email = scamshield::Context::new()
///     .with_sender("\"PayPal Service\" <service@paypal-resolution-center.com>")
///     .with_subject("Your account is limited");
/// assert_eq!(email.subject(), Some("Your account is limited"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    brand: Option<String>,
    region: Option<String>,
    sender: Option<String>,
    subject: Option<String>,
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

    /// Who sent the message: a phone number, a short code, an alphanumeric sender ID
    /// (`"PAYPAL"`), or an email address with or without a display name. Read by
    /// [`check_message`](crate::Detector::check_message) only; findings about it have spans
    /// with [`Field::Sender`](crate::Field::Sender). A blank sender is the same as none.
    pub fn with_sender(mut self, sender: impl Into<String>) -> Context {
        self.sender = Some(sender.into());
        self
    }

    /// The message's subject (email). Read by [`check_message`](crate::Detector::check_message)
    /// only, together with the text; findings in it have spans with
    /// [`Field::Subject`](crate::Field::Subject).
    pub fn with_subject(mut self, subject: impl Into<String>) -> Context {
        self.subject = Some(subject.into());
        self
    }

    /// The sender as given.
    pub fn sender(&self) -> Option<&str> {
        self.sender.as_deref()
    }

    /// The subject as given.
    pub fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
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

/// Resolves what the caller said against the data; what cannot be resolved becomes a finding.
pub(crate) fn resolve<'k>(k: &'k Knowledge, ctx: &Context) -> Resolved<'k> {
    let mut findings = Vec::new();
    // A blank name or region (an empty field in a batch row) is no claim at all.
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    let claimed = given(&ctx.brand).and_then(|name| {
        let found = k.allowlist.find_brand(name);
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
        let id = plan::parse_region(r);
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

impl Resolved<'_> {
    /// The verdict on one phone number, link or address: the context's findings and the
    /// check's, and the channels of the claimed brand, the brand the entity officially belongs
    /// to and the brands it imitates.
    pub(crate) fn verdict(
        self,
        findings: Vec<Finding>,
        entity: Option<Entity>,
        official: Option<&Brand>,
        impersonated: &[&Brand],
    ) -> Verdict {
        let mut all = self.findings;
        all.extend(findings);
        let mut channels: Vec<OfficialChannels> = Vec::new();
        for b in self
            .claimed
            .into_iter()
            .chain(official)
            .chain(impersonated.iter().copied())
        {
            b.add_channels_to(&mut channels);
        }
        Verdict::from_findings(all, entity, official.map(|b| b.id.clone()), channels)
    }
}
