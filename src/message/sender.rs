//! The sender of a message (`Context::with_sender`): its own checks (the phone and email
//! checks), the brand its name claims, the region its number belongs to, and whether it fits
//! the brand the message claims. Findings point into the sender field.
//!
//! A sender that is a brand's verified channel is evidence about the channel, never proof
//! about the message: sender IDs and numbers are spoofed, so nothing here lowers a risk.

use phonenumber::country::Id;

use crate::allowlist::Brand;
use crate::context::Resolved;
use crate::email;
use crate::fold::lookalike_fold;
use crate::knowledge::Knowledge;
use crate::numbering::plan;
use crate::phone;
use crate::rules;
use crate::verdict::{EntityKind, Field, Finding, Span};

/// Email-to-text gateways of mobile operators: anybody with an email account can send a
/// text through them, so a company's text never comes from one. Sources: the operators'
/// own help pages on emailing a text (AT&T txt.att.net/mms.att.net, Verizon vtext.com/
/// vzwpix.com, T-Mobile tmomail.net, Sprint messaging.sprintpcs.com/pm.sprint.com, U.S.
/// Cellular email.uscc.net, Boost sms.myboostmobile.com, Metro by T-Mobile mymetropcs.com,
/// Google Fi msg.fi.google.com, Cricket sms.cricketwireless.net/mms.cricketwireless.net).
const SMS_GATEWAYS: [&str; 14] = [
    "txt.att.net",
    "mms.att.net",
    "vtext.com",
    "vzwpix.com",
    "tmomail.net",
    "messaging.sprintpcs.com",
    "pm.sprint.com",
    "email.uscc.net",
    "mms.uscc.net",
    "sms.myboostmobile.com",
    "mymetropcs.com",
    "msg.fi.google.com",
    "sms.cricketwireless.net",
    "mms.cricketwireless.net",
];

/// The longest sender checked (bytes): sender IDs are 11 characters, addresses with a
/// display name rarely more than a few hundred bytes.
const MAX_SENDER: usize = 512;

/// What kind of sender a message has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An email address, with or without a display name.
    Email,
    /// A phone number or short code.
    Number,
    /// An alphanumeric sender ID ("PAYPAL", "HSBC UK").
    Name,
}

/// A message's sender, read.
pub(super) struct Sender<'s> {
    text: &'s str,
    kind: Kind,
}

impl<'s> Sender<'s> {
    /// Reads a sender (trimmed; `None` when blank).
    pub(super) fn read(text: &'s str) -> Option<Sender<'s>> {
        let text = text.trim();
        if text.is_empty() || text.len() > MAX_SENDER {
            return None;
        }
        let kind = if text.contains('@') {
            Kind::Email
        } else if text.chars().any(|c| c.is_numeric())
            && text
                .chars()
                .all(|c| c.is_numeric() || matches!(c, '+' | '-' | ' ' | '(' | ')' | '.'))
        {
            Kind::Number
        } else {
            Kind::Name
        };
        Some(Sender { text, kind })
    }

    /// The region the sender's number belongs to (from its country code). It costs a phone
    /// reading, so it is asked for only when a number in the text needs a region.
    pub(super) fn region(&self, k: &Knowledge) -> Option<Id> {
        (self.kind == Kind::Number && self.text.starts_with(['+', '＋']))
            .then(|| number_region(k, self.text))
            .flatten()
    }

    /// The brand an alphanumeric sender ID names ("PAYPAL") or says it texts from ("HDFCBK").
    pub(super) fn brand<'k>(&self, k: &'k Knowledge) -> Option<&'k Brand> {
        (self.kind == Kind::Name)
            .then(|| {
                k.allowlist
                    .sender_owner(self.text)
                    .or_else(|| k.allowlist.find_brand(self.text))
            })
            .flatten()
    }

    /// The sender's findings, for a message that claims `claimed` (its spans point into the
    /// sender field). `link` says whether the message has a link.
    pub(super) fn check(
        &self,
        k: &Knowledge,
        claimed: Option<&Brand>,
        region: Option<Id>,
        link: bool,
    ) -> Vec<Finding> {
        let whole = Span::new(0, self.text.len()).in_field(Field::Sender);
        let resolved = Resolved {
            claimed,
            region,
            findings: Vec::new(),
        };
        let mut findings = match self.kind {
            Kind::Email => {
                let mut findings = email::check(k, resolved, self.text).findings;
                if let Some(gateway) = gateway(self.text) {
                    if claimed.is_some() || link {
                        findings.push(rules::SENDER_EMAIL_GATEWAY.finding(
                            format!("The text was sent by email through the operator gateway {gateway}, which anybody can use; companies send their texts from short codes or registered sender names."),
                            self.text,
                            whole,
                        ));
                    }
                }
                findings
            }
            Kind::Number => {
                // A short code read without a region is read in the region of the claimed
                // brand's own short code of those digits (Wells Fargo's 93557 is a US code).
                let digits: String = self.text.chars().filter(char::is_ascii_digit).collect();
                let mut resolved = resolved;
                if resolved.region.is_none() && digits.len() <= 6 && !self.text.starts_with('+') {
                    resolved.region = claimed
                        .and_then(|b| b.phones.iter().find(|p| p.number == digits))
                        .and_then(|p| plan::parse_region(&p.region));
                }
                let verdict = phone::check(k, resolved, self.text);
                let mut findings = verdict.findings;
                let number_region = verdict.entity.as_ref().and_then(|e| e.region.clone());
                let is_phone = verdict
                    .entity
                    .as_ref()
                    .is_some_and(|e| e.kind == EntityKind::Phone);
                if let (Some(brand), Some(expected), Some(from), true) =
                    (claimed, region, number_region, is_phone)
                {
                    if plan::parse_region(&from) != Some(expected) {
                        findings.push(rules::SENDER_FOREIGN_NUMBER.finding(
                            format!(
                                "The message claims to be from {} but was sent from a number of {}, not of {}.",
                                brand.name,
                                plan::region_name(&from),
                                plan::region_name(&format!("{expected:?}"))
                            ),
                            self.text,
                            whole,
                        ));
                    }
                }
                findings
            }
            Kind::Name => {
                let mut findings = Vec::new();
                if let Some(brand) = k.allowlist.sender_owner(self.text) {
                    findings.push(rules::SENDER_OFFICIAL_ID.finding(
                        format!(
                            "{} says its texts come from the sender name {:?}; sender names can be faked, so this does not prove the text is from {}.",
                            brand.name, self.text, brand.name
                        ),
                        self.text,
                        whole,
                    ));
                } else if self.brand(k).is_none() {
                    let folded = lookalike_fold(self.text);
                    let imitated = k
                        .allowlist
                        .find_brand(&folded)
                        .or_else(|| k.allowlist.sender_skeleton_owner(&folded));
                    if let Some(brand) = imitated {
                        findings.push(rules::SENDER_LOOKALIKE_NAME.finding(
                            format!(
                                "The sender name {:?} imitates {} with look-alike characters.",
                                self.text, brand.name
                            ),
                            self.text,
                            whole,
                        ));
                    }
                }
                findings
            }
        };
        for f in &mut findings {
            f.span = f.span.in_field(Field::Sender);
        }
        findings
    }
}

/// The region of a number with a country code.
fn number_region(k: &Knowledge, text: &str) -> Option<Id> {
    let resolved = Resolved {
        claimed: None,
        region: None,
        findings: Vec::new(),
    };
    let verdict = phone::check(k, resolved, text);
    let region = verdict.entity?.region?;
    plan::parse_region(&region)
}

/// The operator gateway an address belongs to.
fn gateway(address: &str) -> Option<&'static str> {
    let domain = address
        .rsplit('@')
        .next()?
        .trim_end_matches(['>', ' ', '"'])
        .to_ascii_lowercase();
    SMS_GATEWAYS.iter().copied().find(|g| *g == domain)
}
