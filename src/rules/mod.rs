//! The catalogue of rules: every rule id with its severity, meaning and how it combines with
//! others. Ids are public API: never rename one silently. Every id is documented in the
//! README's rule list (a test checks it). The message red flags are defined as data
//! (`data/red_flags.toml`, parsed by the `defs` module); the other rules are the constants below.

#[cfg(feature = "message")]
pub(crate) mod defs;

use std::borrow::Cow;

pub(crate) use crate::verdict::Signal;
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
    /// How the rule's findings add up with other weak findings.
    pub(crate) signal: Signal,
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
            signal: self.signal,
            message,
            evidence: evidence.into(),
            span,
        }
    }
}

macro_rules! signal {
    () => {
        Signal::Alone
    };
    ($signal:ident) => {
        Signal::$signal
    };
}

macro_rules! rules {
    ($($name:ident = $id:literal, $sev:ident $(/ $signal:ident)?, $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub const $name: Rule = Rule {
                id: $id,
                severity: Severity::$sev,
                summary: $summary,
                signal: signal!($($signal)?),
            };
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
    TEXT_ASKS_FOR_SECRET = "text.asks_for_secret", High,
        "The message asks for a one-time code, password, PIN or recovery phrase, in any of the lexicons' languages (a request and a secret in one clause, not negated).";
    TEXT_BRAND_NAMED_OTHER_LINK = "text.brand_named_other_link", Low / WordsAndLink,
        "The message names a brand but links to a site that is not one of the brand's (each alone is common; with other signs it is how impersonation looks).";
    TEXT_UNOFFICIAL_EMAIL = "text.brand_claim_unofficial_email", High,
        "The message speaks for a brand but gives an email address outside the brand's official email domains.";
    TEXT_DISGUISED_BRAND = "text.disguised_brand_name", Medium,
        "A brand name is written with look-alike characters or spaced-out letters to impersonate it and slip past filters.";
    TEXT_HIDDEN_CHARACTERS = "text.hidden_characters", Medium,
        "Invisible characters are hidden inside words, a trick to slip past filters.";
    TEXT_OBFUSCATED_LINK = "text.obfuscated_link", Medium,
        "A web address is disguised (hxxp, [.], \" dot \"), a trick to slip past filters.";
    TEXT_OBFUSCATED_WORDS = "text.obfuscated_words", Medium,
        "Words are broken up with dots or written with look-alike digits and symbols (Y.our in.voice, F!x, W4S), a trick to slip past spam filters.";
    TEXT_SEVERAL_RED_FLAGS = "text.several_red_flags", Medium,
        "Several weak warning signs add up: from the words and the links of a message, a sign about what it sells or claims with another one, or three different ones (each alone is common).";
    TEXT_TRUNCATED = "text.truncated", Info,
        "The message was longer than the size limit; only its beginning was checked.";
    URL_OFFICIAL = "url.official_domain", Info,
        "The host is on a brand's verified official web domain (evidence about the address only: check every letter).";
    URL_LOOKALIKE_CONFUSABLE = "url.lookalike_confusable", High,
        "The host imitates a brand's domain with look-alike characters (Cyrillic а, 1 for l, rn for m, accents).";
    URL_LOOKALIKE_TYPO = "url.lookalike_typo", High,
        "The host is one easily overlooked edit away from a brand's name (a look-alike letter, a doubled or swapped letter).";
    URL_LOOKALIKE_EMBEDDED = "url.lookalike_embedded", High,
        "A brand's official domain is written inside another host (paypal.com.secure-login.xyz, paypal-com.support).";
    URL_LOOKALIKE_COMBO = "url.lookalike_combo", High,
        "The host joins a brand's name to a login, support, wallet or app word on a domain the brand does not own.";
    URL_LOOKALIKE_JUNK_COMBO = "url.lookalike_junk_combo", Medium,
        "The host joins a brand's name to random letters or a number (citi-06.com, uspspgcm.com, jf245-fedex.me) on a domain the brand does not own.";
    URL_BRAND_ON_USER_CONTENT = "url.brand_on_user_content", High,
        "A page on a platform where anybody can publish uses a brand's name.";
    URL_USER_CONTENT = "url.user_content_host", Low / Link,
        "The page is on a platform where anybody can publish (sites.google.com, *.pages.dev, docs.qq.com), so it is not the platform speaking.";
    URL_LOOKALIKE_TLD_SWAP = "url.lookalike_tld_swap", Medium,
        "A brand's own name under a top-level domain the brand does not use (metamask.app).";
    URL_BRAND_NAME_IN_HOST = "url.brand_name_in_host", Low / Link,
        "The host contains a brand's name but is not one of its verified domains (it may be a country site or partner).";
    URL_NOT_OFFICIAL_FOR_BRAND = "url.not_official_for_brand", Medium,
        "The link claims to be from a brand but does not lead to any of that brand's verified domains.";
    URL_BRAND_DOMAINS_UNKNOWN = "url.brand_domains_unknown", Info,
        "The claimed brand has no verified domain in the allowlists, so the link or address could not be compared.";
    URL_MIXED_SCRIPT = "url.mixed_script", Medium,
        "A name in the host mixes letters of different alphabets, a classic way to fake a familiar name.";
    URL_WHOLE_SCRIPT_CONFUSABLE = "url.whole_script_confusable", Medium,
        "A name in the host is written entirely in another alphabet's letters that look like Latin ones.";
    URL_PUNYCODE = "url.punycode", Low / Link,
        "The host is written in punycode (xn--), which hides the characters it really uses.";
    URL_OBFUSCATED_HOST = "url.obfuscated_host", Medium,
        "The host is written with full-width, percent-encoded or other unusual characters that browsers turn into plain ones.";
    URL_EMBEDDED_DOMAIN = "url.embedded_domain", Medium,
        "The host starts like another site's address (irs.gov.pay-now.com) while it belongs to a different domain.";
    URL_USERINFO_HOST = "url.userinfo_host", High,
        "A domain is written before an @ in the address, so the link shows one site and opens another.";
    URL_USERINFO = "url.userinfo", Low / Link,
        "The address carries a user name or password before the host.";
    URL_IP_HOST = "url.ip_host", Medium,
        "The link points to a bare internet (IP) address instead of a domain name.";
    URL_OBFUSCATED_IP = "url.obfuscated_ip", High,
        "The link hides an IP address in decimal, hexadecimal or octal form.";
    URL_SCRIPT_SCHEME = "url.script_scheme", High,
        "A javascript:, vbscript: or data: link runs code or shows content in place of a web page.";
    URL_INVISIBLE = "url.invisible_characters", High,
        "The text contains zero-width or right-to-left control characters that hide or reorder what is shown.";
    URL_SHORTENER = "url.shortener", Low / Shortener,
        "A link shortener hides where the link really leads.";
    URL_SUSPICIOUS_TLD = "url.suspicious_tld", Low / Link,
        "The top-level domain is one where phishing is far more common than elsewhere.";
    URL_DECEPTIVE_KEYWORDS = "url.deceptive_keywords", Low / Link,
        "The domain name contains words phishing and text-scam sites use to look like a login, billing, support, delivery, toll or refund page.";
    URL_LURE_NAME = "url.lure_name", Low / Link,
        "The domain name stacks several lure words or strings one together with other words by hyphens (secure-login-verify, delivery-customscharges).";
    URL_RANDOM_LOOKING = "url.random_looking", Low / Link,
        "The domain name, a name in front of it or a page name on a hosting platform looks machine-generated, as throwaway scam domains often do.";
    URL_OPAQUE_PATH = "url.opaque_path", Low / Link,
        "The path is a single random-looking code, typical of redirect links that hide where they lead.";
    URL_APP_PACKAGE = "url.app_package", Medium,
        "The link downloads an Android app file (.apk) instead of a page: an app installed from a message can read your codes and take over your phone.";
    URL_MANY_SUBDOMAINS = "url.many_subdomains", Low / Link,
        "Many levels of names in front of the domain push the real domain out of sight.";
    URL_LONG = "url.long", Low / Link,
        "A very long address, which hides its real destination from a quick look.";
    URL_NONSTANDARD_PORT = "url.nonstandard_port", Low / Link,
        "The address uses an unusual port number.";
    URL_NESTED_URL = "url.nested_url", Low / Link,
        "Another address is carried inside this one's path or query, as redirect links do.";
    URL_PLAIN_HTTP_LOGIN = "url.plain_http_login", Low / Link,
        "A login or payment page is reached over unencrypted http.";
    URL_SEVERAL_RED_FLAGS = "url.several_red_flags", Medium,
        "Two or more independent weak signals together.";
    URL_UNKNOWN_SUFFIX = "url.unknown_suffix", Info,
        "The host does not end in a known top-level domain (Public Suffix List).";
    URL_NOT_A_URL = "url.not_a_url", Info,
        "No web address was found in the input.";
    EMAIL_OFFICIAL = "email.official_domain", Info,
        "The address is at a brand's verified official domain (sender addresses can be forged: check the mail's authentication).";
    EMAIL_FREE_MAIL_BRAND = "email.free_mail_brand_claim", High,
        "An address at a free-mail provider claims to be a brand in its name or local part.";
    EMAIL_DISPLAY_NAME_BRAND = "email.display_name_brand_mismatch", High,
        "The display name claims a brand, but the address is not at any of that brand's domains.";
    EMAIL_DISPLAY_NAME_ADDRESS = "email.display_name_address", High,
        "The display name shows a different email address than the one the mail really comes from.";
    EMAIL_NOT_OFFICIAL_FOR_BRAND = "email.not_official_for_brand", Medium,
        "The address claims to be from a brand but is not at any of that brand's verified domains.";
    EMAIL_BRAND_IN_LOCAL_PART = "email.brand_in_local_part", Low / Link,
        "The part before the @ names a brand, at a domain that is not the brand's.";
    EMAIL_SEVERAL_RED_FLAGS = "email.several_red_flags", Medium,
        "Two or more independent weak signals together.";
    EMAIL_FREE_MAIL = "email.free_mail", Info,
        "The address is at a free-mail provider, where anybody can create an address.";
    EMAIL_NOT_AN_ADDRESS = "email.not_an_address", Info,
        "No email address was found in the input.";
    CONTEXT_UNKNOWN_BRAND = "context.unknown_brand", Info,
        "The claimed brand is not in the allowlists, so its official channels are unknown.";
    CONTEXT_UNKNOWN_REGION = "context.unknown_region", Info,
        "The region given is not an ISO 3166 country code and was ignored.";
    CONTEXT_REGION_INFERRED = "context.region_inferred", Info,
        "No region was given, so national numbers that cannot be read without one were read in the region the message points to (the sender's country code, a currency only one country uses, a script such as Hangul or Devanagari, or words of one country).";
    SENDER_EMAIL_GATEWAY = "sender.email_gateway", Medium,
        "The text came through a mobile operator's email-to-text gateway, which anybody can use, while it claims a brand or carries a link.";
    SENDER_FOREIGN_NUMBER = "sender.foreign_number", Medium,
        "The message claims a brand but was sent from a phone number of another country than the one given.";
    SENDER_LOOKALIKE_NAME = "sender.lookalike_name", High,
        "The sender name imitates a brand's name with look-alike characters (PAYPA1, AMAZ0N).";
    TEXT_MODEL_SCAM_LIKELY = "text.model_scam_likely", Low / Model,
        "A statistical model trained on reported scams rates the message as scam-like (above a threshold at most 0.1% of held-back ordinary messages reach); read only for messages the rules leave below medium, a weak sign that adds up with two others.";
    TEXT_OWN_CHANNELS_ONLY = "text.own_channels_only", Info,
        "Every contact in the message (and its sender) is the brand's own, so warnings an honest notice also gives were counted as weak signs.";
    SENDER_OFFICIAL_ID = "sender.official_id", Info,
        "The sender name is one the brand says its texts come from; sender names can be faked, so this is evidence, not proof.";
}

/// Every rule scamshield can report: the rules above, then the message red flags defined as
/// data in `data/red_flags.toml`.
pub fn all() -> Vec<Rule> {
    #[cfg(feature = "message")]
    let text = defs::embedded().iter().map(|d| Rule {
        id: d.id.as_str(),
        severity: d.severity,
        summary: d.message.as_str(),
        signal: d.signal(),
    });
    #[cfg(not(feature = "message"))]
    let text = std::iter::empty();
    ALL.iter().copied().chain(text).collect()
}
