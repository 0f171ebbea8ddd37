//! The catalogue of rule ids. Ids are public API: never rename one silently. Every id here is
//! documented in the README's rule list (a test checks it).

use std::borrow::Cow;

use crate::verdict::{Finding, Severity, Span};

/// A rule: its stable id, the severity of its findings, and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id such as `phone.premium_rate`.
    pub id: &'static str,
    /// The severity of this rule's findings.
    pub severity: Severity,
    /// What the rule means, in one sentence.
    pub summary: &'static str,
}

impl Rule {
    /// A finding of this rule.
    pub(crate) fn finding(
        &self,
        message: String,
        evidence: impl Into<String>,
        span: Span,
    ) -> Finding {
        Finding {
            rule: Cow::Borrowed(self.id),
            severity: self.severity,
            message,
            evidence: evidence.into(),
            span,
        }
    }
}

macro_rules! rules {
    ($($name:ident = $id:literal, $sev:ident, $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub const $name: Rule = Rule { id: $id, severity: Severity::$sev, summary: $summary };
        )*
        /// Every rule, in documentation order.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    PHONE_OFFICIAL = "phone.official_number", Info,
        "The number is on a brand's verified official list (evidence about the number only: caller ID can be faked).";
    PHONE_NO_PHONE_SUPPORT = "phone.brand_has_no_phone_support", Critical,
        "The claimed brand says it has no phone support, so any phone number given for it is fake.";
    PHONE_NOT_OFFICIAL = "phone.not_official_for_brand", High,
        "The claimed brand publishes a complete list of its numbers and this number is not on it.";
    PHONE_OTHER_BRAND = "phone.official_for_other_brand", High,
        "The number belongs to a different brand than the one claimed.";
    PHONE_UNVERIFIED = "phone.unverified_for_brand", Medium,
        "The claimed brand's official numbers could not be verified, so this number could not be confirmed.";
    PHONE_OBFUSCATED = "phone.obfuscated", Medium,
        "The number was disguised (letters for digits, odd symbols, spaced-out digits) to slip past filters.";
    PHONE_NON_ASCII_DIGITS = "phone.non_ascii_digits", Info,
        "The number is written with full-width or non-Latin digits.";
    PHONE_VANITY = "phone.vanity_letters", Info,
        "The number is written with letters (1-800-FLOWERS style) that stand for keypad digits.";
    PHONE_PREMIUM = "phone.premium_rate", Medium,
        "Calling this number is billed at a premium rate.";
    PHONE_SHARED_COST = "phone.shared_cost", Medium,
        "A shared-cost number (such as China's 400 numbers): anyone can rent one and call it a hotline.";
    PHONE_PERSONAL = "phone.personal_number", Medium,
        "A UK 070 personal number: it looks like a mobile but can cost more and is often used in scams.";
    PHONE_INTERNATIONAL_LOOKALIKE = "phone.international_lookalike", Medium,
        "The number looks like a US number but is in the Caribbean and billed as an international call (one-ring scam).";
    PHONE_AREA_CODE_95 = "phone.cn_area_code_before_95", Medium,
        "A Chinese area code in front of a national 95 service number is a known sign of a faked caller ID.";
    PHONE_INVALID = "phone.invalid", Low,
        "The number is not a valid phone number where it claims to be.";
    PHONE_NEEDS_REGION = "phone.region_unknown", Info,
        "The number is written without a country code, and no region was given to read it in.";
    PHONE_NOT_A_NUMBER = "phone.not_a_number", Info,
        "No phone number was found in the input.";
    TEXT_BRAND_CLAIM = "text.brand_claim", Info,
        "The message presents itself as coming from a brand (its name next to \"support\", \"客服\", or as the signature).";
    TEXT_UNOFFICIAL_LINK = "text.brand_claim_unofficial_link", High,
        "The message speaks for a brand but links to a site that is not one of the brand's official sites.";
    TEXT_UNVERIFIED_LINK = "text.brand_claim_unverified_link", Medium,
        "The message speaks for a brand whose official sites we could not verify, and links elsewhere.";
    TEXT_UNOFFICIAL_EMAIL = "text.brand_claim_unofficial_email", High,
        "The message speaks for a brand but gives an email address outside the brand's official email domains.";
    TEXT_DISGUISED_BRAND = "text.disguised_brand_name", Medium,
        "A brand name is written with look-alike characters or spaced-out letters to impersonate it and slip past filters.";
    TEXT_HIDDEN_CHARACTERS = "text.hidden_characters", Medium,
        "Invisible characters are hidden inside words, a trick to slip past filters.";
    TEXT_OBFUSCATED_LINK = "text.obfuscated_link", Medium,
        "A web address is disguised (hxxp, [.], \" dot \"), a trick to slip past filters.";
    TEXT_TRUNCATED = "text.truncated", Info,
        "The message was longer than the size limit; only its beginning was checked.";
    CONTEXT_UNKNOWN_BRAND = "context.unknown_brand", Info,
        "The claimed brand is not in the allowlists, so its official channels are unknown.";
    CONTEXT_UNKNOWN_REGION = "context.unknown_region", Info,
        "The region given is not an ISO 3166 country code and was ignored.";
}

/// Every rule scamshield can report: the rules above, then the message rules defined as
/// data in `src/rules/text.toml`.
pub fn all() -> Vec<Rule> {
    let text = crate::text::rules::defs().iter().map(|d| Rule {
        id: d.id.as_str(),
        severity: d.severity,
        summary: d.message.as_str(),
    });
    ALL.iter().copied().chain(text).collect()
}
