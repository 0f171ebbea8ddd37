//! Parsing and validating one brand file. Every rule of `allowlists/README.md` is enforced
//! here; a broken file is an error naming the file, the line and the reason.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use toml::Spanned;

use super::{Brand, Category, Grade, Phone, Provenance, SmsSender};
use crate::domain::Domains;
use crate::error::{LoadError, LoadErrorKind};
use crate::numbering::plan::is_short_code;
use crate::verdict::PhonePolicy;

/// How far to validate a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Validation {
    /// Everything, including each number against libphonenumber's metadata. For user data,
    /// and for the embedded data in the test suite.
    Full,
    /// Everything but the metadata check, which costs ~100 ms the first time. Only for the
    /// embedded files, which the test suite validates in full.
    Embedded,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBrand {
    schema: Spanned<u32>,
    id: Spanned<String>,
    name: Spanned<String>,
    category: Spanned<String>,
    #[serde(default)]
    #[allow(dead_code)] // for reviewers only
    notes: Option<String>,
    aliases: Spanned<BTreeMap<String, Vec<Spanned<String>>>>,
    phone_support: Spanned<RawPolicy>,
    #[serde(default)]
    phones: Vec<Spanned<RawPhone>>,
    #[serde(default)]
    web_domains: Vec<Spanned<RawDomain>>,
    #[serde(default)]
    link_domains: Vec<Spanned<RawDomain>>,
    #[serde(default)]
    email_domains: Vec<Spanned<RawDomain>>,
    #[serde(default)]
    sms_senders: Vec<Spanned<RawSender>>,
    #[serde(default)]
    email_addresses: Vec<Spanned<RawAddress>>,
    #[serde(default)]
    never_asks: Vec<Spanned<RawNever>>,
    #[serde(default)]
    never_contacts: Vec<Spanned<RawNeverContact>>,
    #[serde(default)]
    excluded: Vec<Spanned<RawExcluded>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    policy: Spanned<String>,
    #[serde(default)]
    statement: Option<String>,
    #[serde(default)]
    source: Option<Spanned<String>>,
    #[serde(default)]
    grade: Option<Spanned<String>>,
    #[serde(default)]
    checked: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhone {
    number: Spanned<String>,
    region: Spanned<String>,
    #[serde(default)]
    display: Option<String>,
    purpose: String,
    inbound_only: bool,
    #[serde(default)]
    outbound_only: bool,
    source: Option<Spanned<String>>,
    grade: Option<Spanned<String>>,
    checked: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)] // for reviewers only
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    domain: Spanned<String>,
    /// Web domains only: the paths of the domain's own host (and `www.`) that are the
    /// brand's pages; every other path there is a page any account holder publishes.
    #[serde(default)]
    official_paths: Option<Spanned<Vec<String>>>,
    source: Option<Spanned<String>>,
    grade: Option<Spanned<String>>,
    checked: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)] // for reviewers only
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSender {
    sender: Spanned<String>,
    #[serde(default)]
    region: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    grade: Option<Spanned<String>>,
    checked: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)] // for reviewers only
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAddress {
    address: Spanned<String>,
    #[serde(default)]
    #[allow(dead_code)] // for reviewers only
    purpose: Option<String>,
    source: Option<Spanned<String>>,
    grade: Option<Spanned<String>>,
    checked: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)] // for reviewers only
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNever {
    what: Spanned<String>,
    #[allow(dead_code)] // for reviewers only
    statement: String,
    source: Option<Spanned<String>>,
    grade: Option<Spanned<String>>,
    checked: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)] // for reviewers only
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNeverContact {
    via: Spanned<String>,
    #[allow(dead_code)] // for reviewers only
    statement: String,
    source: Option<Spanned<String>>,
    grade: Option<Spanned<String>>,
    checked: Option<Spanned<String>>,
    #[serde(default)]
    #[allow(dead_code)] // for reviewers only
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExcluded {
    value: Spanned<String>,
    #[allow(dead_code)] // for reviewers only
    reason: String,
}

const NEVER_ASKS: [&str; 13] = [
    "password",
    "pin",
    "verification_code",
    "recovery_phrase",
    "private_key",
    "remote_access",
    "install_software",
    "gift_card",
    "safe_account_transfer",
    "send_funds",
    "card_number",
    "personal_id",
    "login_link",
];

const NEVER_CONTACTS: [&str; 9] = [
    "phone_call",
    "unsolicited_call",
    "sms",
    "email",
    "direct_message",
    "whatsapp",
    "telegram",
    "discord",
    "social_media",
];

/// Reads one file's text into a [`Brand`].
struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    domains: &'a Domains,
    validation: Validation,
}

impl Reader<'_> {
    fn line(&self, offset: usize) -> usize {
        crate::error::line_at(self.text, offset)
    }

    fn err<T>(&self, at: &Spanned<T>, kind: LoadErrorKind, reason: impl Into<String>) -> LoadError {
        LoadError::new(self.file, self.line(at.span().start), kind, reason)
    }

    /// Checks the three provenance fields of a fact whose table starts at `at`.
    fn provenance<T>(
        &self,
        at: &Spanned<T>,
        what: &str,
        source: &Option<Spanned<String>>,
        grade: &Option<Spanned<String>>,
        checked: &Option<Spanned<String>>,
    ) -> Result<Provenance, LoadError> {
        let missing = |field: &str| {
            self.err(
                at,
                LoadErrorKind::Provenance,
                format!("{what} has no `{field}`: every fact needs a source, a grade and a checked date"),
            )
        };
        let source = source.as_ref().ok_or_else(|| missing("source"))?;
        let s = source.get_ref().trim();
        let scheme_ok = s.starts_with("https://") || s.starts_with("http://");
        if !scheme_ok || s.len() < 12 || s.contains(char::is_whitespace) {
            return Err(self.err(
                source,
                LoadErrorKind::Provenance,
                format!("{what} has source {s:?}, which is not an http(s) URL"),
            ));
        }
        let grade_value = grade.as_ref().ok_or_else(|| missing("grade"))?;
        let grade = match grade_value.get_ref().as_str() {
            "official" => Grade::Official,
            "official-copy" => Grade::OfficialCopy,
            "government" => Grade::Government,
            other => {
                return Err(self.err(
                    grade_value,
                    LoadErrorKind::Provenance,
                    format!(
                        "{what} has grade {other:?}; only \"official\", \"official-copy\" and \
                         \"government\" are accepted (third-party pages never justify a fact)"
                    ),
                ))
            }
        };
        let checked = checked.as_ref().ok_or_else(|| missing("checked"))?;
        if !is_iso_date(checked.get_ref()) {
            return Err(self.err(
                checked,
                LoadErrorKind::Provenance,
                format!(
                    "{what} has checked date {:?}, expected YYYY-MM-DD",
                    checked.get_ref()
                ),
            ));
        }
        Ok(Provenance {
            source: s.to_string(),
            grade,
            checked: checked.get_ref().clone(),
        })
    }

    fn phone(&self, raw: &Spanned<RawPhone>) -> Result<Phone, LoadError> {
        let p = raw.get_ref();
        let number = p.number.get_ref().trim();
        let provenance = self.provenance(
            raw,
            &format!("phone {number:?}"),
            &p.source,
            &p.grade,
            &p.checked,
        )?;
        let region = self.region(&p.region)?;
        if let Some(digits) = number.strip_prefix('+') {
            let well_formed = digits.len() >= 7
                && digits.len() <= 15
                && digits.bytes().all(|b| b.is_ascii_digit())
                && !digits.starts_with('0');
            if !well_formed {
                return Err(self.err(
                    &p.number,
                    LoadErrorKind::Number,
                    format!("{number:?} is not in E.164 form (+ and 7 to 15 digits, no spaces)"),
                ));
            }
            if self.validation == Validation::Full {
                check_e164(number)
                    .map_err(|why| self.err(&p.number, LoadErrorKind::Number, why))?;
            }
        } else if !is_short_code(&region, number) {
            return Err(self.err(
                &p.number,
                LoadErrorKind::Number,
                format!(
                    "{number:?} is neither E.164 (+…) nor a known service short code of {region}"
                ),
            ));
        }
        Ok(Phone {
            number: number.to_string(),
            region,
            display: p.display.clone().unwrap_or_else(|| number.to_string()),
            purpose: p.purpose.clone(),
            inbound_only: p.inbound_only,
            outbound_only: p.outbound_only,
            provenance,
        })
    }

    /// An alphanumeric sender ID: 1–11 characters (the GSM limit), letters, digits, space,
    /// `-`, `.`, `&`, at least one letter; stored upper-case.
    fn sms_sender(&self, raw: &Spanned<RawSender>) -> Result<SmsSender, LoadError> {
        let s = raw.get_ref();
        let id = s.sender.get_ref().trim().to_ascii_uppercase();
        self.provenance(
            raw,
            &format!("sender ID {id:?}"),
            &s.source,
            &s.grade,
            &s.checked,
        )?;
        let well_formed = (1..=11).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'-' | b'.' | b'&'))
            && id.bytes().any(|b| b.is_ascii_alphabetic());
        if !well_formed {
            return Err(self.err(
                &s.sender,
                LoadErrorKind::Value,
                format!(
                    "sender ID {id:?} is not 1 to 11 letters, digits, spaces or - . & with a letter (numbers and short codes go in [[phones]])"
                ),
            ));
        }
        let region = s.region.as_ref().map(|r| self.region(r)).transpose()?;
        Ok(SmsSender { id, region })
    }

    /// A region as written (`"us"`, `" GB "`), upper-case, or an error if it is not two
    /// letters (ISO 3166 alpha-2).
    fn region(&self, raw: &Spanned<String>) -> Result<String, LoadError> {
        let region = raw.get_ref().trim().to_ascii_uppercase();
        if region.len() != 2 || !region.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(self.err(
                raw,
                LoadErrorKind::Value,
                format!("region {:?} is not an ISO 3166 alpha-2 code", raw.get_ref()),
            ));
        }
        Ok(region)
    }

    fn domain(&self, raw: &Spanned<RawDomain>, email: bool) -> Result<String, LoadError> {
        let d = raw.get_ref();
        let what = if email { "email domain" } else { "web domain" };
        let name = d.domain.get_ref().trim().to_ascii_lowercase();
        self.provenance(
            raw,
            &format!("{what} {name:?}"),
            &d.source,
            &d.grade,
            &d.checked,
        )?;
        self.domains.check_official(&name, email).map_err(|why| {
            self.err(
                &d.domain,
                LoadErrorKind::Domain,
                format!("{what} {name:?}: {why}"),
            )
        })?;
        Ok(name)
    }

    fn read(&self, raw: RawBrand) -> Result<Brand, LoadError> {
        if *raw.schema.get_ref() != 1 {
            return Err(self.err(&raw.schema, LoadErrorKind::Schema, "schema must be 1"));
        }
        let id = raw.id.get_ref().trim();
        let id_ok = !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(self.err(
                &raw.id,
                LoadErrorKind::Value,
                format!("id {id:?} must match [a-z0-9-]+"),
            ));
        }
        let name = raw.name.get_ref().trim();
        if name.is_empty() {
            return Err(self.err(&raw.name, LoadErrorKind::Value, "name is empty"));
        }
        let category = match raw.category.get_ref().as_str() {
            "wallet" => Category::Wallet,
            "exchange" => Category::Exchange,
            "payment" => Category::Payment,
            "bank" => Category::Bank,
            "tech" => Category::Tech,
            "retail" => Category::Retail,
            "telecom" => Category::Telecom,
            "government" => Category::Government,
            "other" => Category::Other,
            other => {
                return Err(self.err(
                    &raw.category,
                    LoadErrorKind::Value,
                    format!("unknown category {other:?}"),
                ))
            }
        };

        let mut aliases = Vec::new();
        let mut ambiguous = Vec::new();
        for (lang, list) in raw.aliases.get_ref() {
            for alias in list {
                let text = alias.get_ref().trim();
                if text.is_empty() {
                    return Err(self.err(alias, LoadErrorKind::Value, "empty alias"));
                }
                if lang == "ambiguous" {
                    ambiguous.push(text.to_string());
                } else {
                    aliases.push((lang.clone(), text.to_string()));
                }
            }
        }
        if aliases.is_empty() {
            return Err(self.err(
                &raw.aliases,
                LoadErrorKind::Value,
                "a brand needs at least one alias",
            ));
        }
        for a in &ambiguous {
            if !aliases.iter().any(|(_, x)| x == a) {
                return Err(self.err(
                    &raw.aliases,
                    LoadErrorKind::Value,
                    format!("ambiguous alias {a:?} is not listed under a language"),
                ));
            }
        }

        let ps = raw.phone_support.get_ref();
        let policy = match ps.policy.get_ref().as_str() {
            "none" => PhonePolicy::None,
            "listed" => PhonePolicy::Listed,
            "unverified" => PhonePolicy::Unverified,
            "unknown" => PhonePolicy::Unknown,
            other => {
                return Err(self.err(
                    &ps.policy,
                    LoadErrorKind::Value,
                    format!(
                    "unknown phone_support policy {other:?} (none, listed, unverified, unknown)"
                ),
                ))
            }
        };
        let strong_policy = matches!(policy, PhonePolicy::None | PhonePolicy::Listed);
        if strong_policy || ps.source.is_some() {
            self.provenance(
                &raw.phone_support,
                "phone_support",
                &ps.source,
                &ps.grade,
                &ps.checked,
            )?;
            if strong_policy && ps.statement.as_deref().is_none_or(|s| s.trim().is_empty()) {
                return Err(self.err(
                    &raw.phone_support,
                    LoadErrorKind::Provenance,
                    format!(
                        "phone_support policy {:?} needs the brand's statement",
                        policy.as_str()
                    ),
                ));
            }
        }

        let phones = raw
            .phones
            .iter()
            .map(|p| self.phone(p))
            .collect::<Result<Vec<_>, _>>()?;
        if policy == PhonePolicy::Listed && phones.is_empty() {
            return Err(self.err(
                &raw.phone_support,
                LoadErrorKind::Value,
                "policy \"listed\" with no [[phones]]",
            ));
        }
        if policy == PhonePolicy::None && !phones.is_empty() {
            return Err(self.err(
                &raw.phone_support,
                LoadErrorKind::Value,
                "policy \"none\" (no phone support) but [[phones]] lists numbers",
            ));
        }
        let mut seen = HashSet::new();
        for (p, raw_p) in phones.iter().zip(&raw.phones) {
            if !seen.insert(super::phone_key(&p.number, &p.region)) {
                return Err(self.err(
                    raw_p,
                    LoadErrorKind::Duplicate,
                    format!("phone {:?} listed twice", p.number),
                ));
            }
        }

        let web_domains = raw
            .web_domains
            .iter()
            .map(|d| self.domain(d, false))
            .collect::<Result<Vec<_>, _>>()?;
        let mut web_paths = Vec::new();
        for (d, raw_d) in web_domains.iter().zip(&raw.web_domains) {
            if let Some(paths) = &raw_d.get_ref().official_paths {
                let ok = !paths.get_ref().is_empty()
                    && paths.get_ref().iter().all(|p| {
                        p.starts_with('/') && p.len() > 1 && !p.contains(char::is_whitespace)
                    });
                if !ok {
                    return Err(self.err(
                        paths,
                        LoadErrorKind::Value,
                        format!("official_paths of {d:?} must be a non-empty list of paths that start with /"),
                    ));
                }
                let paths = paths
                    .get_ref()
                    .iter()
                    .map(|p| p.trim_end_matches('/').to_ascii_lowercase())
                    .collect();
                web_paths.push((d.clone(), paths));
            }
        }
        for raw_d in raw.link_domains.iter().chain(&raw.email_domains) {
            if let Some(paths) = &raw_d.get_ref().official_paths {
                return Err(self.err(
                    paths,
                    LoadErrorKind::Value,
                    "official_paths is only for [[web_domains]]",
                ));
            }
        }
        let link_domains = raw
            .link_domains
            .iter()
            .map(|d| self.domain(d, false))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some((d, raw_d)) = link_domains
            .iter()
            .zip(&raw.link_domains)
            .find(|(d, _)| web_domains.contains(d))
        {
            return Err(self.err(
                raw_d,
                LoadErrorKind::Duplicate,
                format!("{d:?} is listed both as a web domain and as a link domain"),
            ));
        }
        let email_domains = raw
            .email_domains
            .iter()
            .map(|d| self.domain(d, true))
            .collect::<Result<Vec<_>, _>>()?;
        let mut sms_senders: Vec<SmsSender> = Vec::new();
        for raw_s in &raw.sms_senders {
            let sender = self.sms_sender(raw_s)?;
            if sms_senders.contains(&sender) {
                return Err(self.err(
                    raw_s,
                    LoadErrorKind::Duplicate,
                    format!("sender ID {:?} listed twice", sender.id),
                ));
            }
            sms_senders.push(sender);
        }

        let mut email_addresses = Vec::new();
        for raw_a in &raw.email_addresses {
            let a = raw_a.get_ref();
            let address = a.address.get_ref().trim().to_ascii_lowercase();
            self.provenance(
                raw_a,
                &format!("email address {address:?}"),
                &a.source,
                &a.grade,
                &a.checked,
            )?;
            let domain = address
                .rsplit_once('@')
                .map(|(local, d)| (local, d.to_string()));
            let Some((local, domain)) = domain.filter(|(l, d)| !l.is_empty() && !d.is_empty())
            else {
                return Err(self.err(
                    &a.address,
                    LoadErrorKind::Value,
                    format!("{address:?} is not an email address"),
                ));
            };
            let _ = local;
            self.domains
                .registrable(&domain)
                .filter(|r| !self.domains.is_free_mail(r))
                .ok_or_else(|| {
                    self.err(
                        &a.address,
                        LoadErrorKind::Domain,
                        format!("{address:?} is not at a registrable, non-free-mail domain"),
                    )
                })?;
            email_addresses.push(address);
        }

        let mut never_asks = Vec::new();
        for raw_n in &raw.never_asks {
            let n = raw_n.get_ref();
            let what = n.what.get_ref().as_str();
            if !NEVER_ASKS.contains(&what) {
                return Err(self.err(
                    &n.what,
                    LoadErrorKind::Value,
                    format!("unknown never_asks value {what:?}"),
                ));
            }
            self.provenance(
                raw_n,
                &format!("never_asks {what:?}"),
                &n.source,
                &n.grade,
                &n.checked,
            )?;
            if !never_asks.iter().any(|x| x == what) {
                never_asks.push(what.to_string());
            }
        }
        for raw_n in &raw.never_contacts {
            let n = raw_n.get_ref();
            let via = n.via.get_ref().as_str();
            if !NEVER_CONTACTS.contains(&via) {
                return Err(self.err(
                    &n.via,
                    LoadErrorKind::Value,
                    format!("unknown never_contacts value {via:?}"),
                ));
            }
            self.provenance(
                raw_n,
                &format!("never_contacts {via:?}"),
                &n.source,
                &n.grade,
                &n.checked,
            )?;
        }

        for raw_x in &raw.excluded {
            let value = raw_x.get_ref().value.get_ref().trim().to_ascii_lowercase();
            let listed = phones.iter().any(|p| p.number.eq_ignore_ascii_case(&value))
                || web_domains.contains(&value)
                || link_domains.contains(&value)
                || sms_senders
                    .iter()
                    .any(|s| s.id.eq_ignore_ascii_case(&value))
                || email_domains.contains(&value)
                || email_addresses.contains(&value);
            if listed {
                return Err(self.err(
                    raw_x,
                    LoadErrorKind::Duplicate,
                    format!("{value:?} is listed as official and also excluded"),
                ));
            }
        }

        Ok(Brand {
            id: id.to_string(),
            name: name.to_string(),
            category,
            aliases,
            ambiguous,
            policy,
            policy_statement: ps.statement.clone().filter(|s| !s.trim().is_empty()),
            phones,
            web_domains,
            web_paths,
            link_domains,
            email_domains,
            sms_senders,
            email_addresses,
            never_asks,
            file: self.file.to_string(),
        })
    }
}

/// Whether `s` is a plausible ISO date `YYYY-MM-DD` (month 1–12, day 1–31, year 2000–2099).
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
    matches!(
        (num(0..4), num(5..7), num(8..10)),
        (Some(2000..=2099), Some(1..=12), Some(1..=31))
    )
}

/// Checks an E.164 number against libphonenumber's metadata.
fn check_e164(number: &str) -> Result<(), String> {
    let parsed =
        phonenumber::parse(None, number).map_err(|e| format!("{number:?} does not parse: {e}"))?;
    if !phonenumber::is_valid(&parsed) {
        return Err(format!(
            "{number:?} is not a valid number in libphonenumber's metadata"
        ));
    }
    let e164 = parsed.format().mode(phonenumber::Mode::E164).to_string();
    if e164 != number {
        return Err(format!(
            "{number:?} normalizes to {e164:?}; write the E.164 form"
        ));
    }
    Ok(())
}

/// Parses and validates one brand file.
pub(crate) fn load_brand(
    file: &str,
    text: &str,
    domains: &Domains,
    validation: Validation,
) -> Result<Brand, LoadError> {
    let reader = Reader {
        file,
        text,
        domains,
        validation,
    };
    let raw: RawBrand = toml::from_str(text).map_err(|e| LoadError::from_toml(file, text, &e))?;
    reader.read(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert!(is_iso_date("2026-11-22"));
        assert!(!is_iso_date("2026-13-01"));
        assert!(!is_iso_date("22/11/2026"));
        assert!(!is_iso_date("2026-11-2"));
        assert!(!is_iso_date(""));
    }

    #[test]
    fn e164_check_uses_metadata() {
        assert!(check_e164("+18889087930").is_ok());
        assert!(check_e164("+8657195017").is_ok());
        assert!(check_e164("+1888282395").is_err()); // the 9-digit "Amazon" number from SEO pages
    }
}
