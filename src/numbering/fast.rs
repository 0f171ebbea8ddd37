//! A lock-free fast path for the common case: a valid number in international form, or a NANP
//! number in national form.
//!
//! The phonenumber crate matches its per-region patterns through one process-wide regex cache
//! of 100 entries behind a mutex that is held while the match runs: numbers from many regions
//! thrash it (milliseconds per parse), and worker threads queue on it. Here the same patterns
//! — read from the crate's own metadata, so the data stays libphonenumber's — are compiled
//! once per region on first use into our own regexes, which threads share without a lock.
//!
//! The fast path only ever *accepts*: it answers for numbers it finds valid and leaves
//! everything else (invalid numbers, national prefixes, leading zeros, other national forms)
//! to the phonenumber crate. A test compares both on the example numbers of every region and
//! on thousands of variations of them.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use phonenumber::metadata::{Descriptor, Metadata, DATABASE};
use phonenumber::Type;
use regex_automata::util::syntax;
use regex_automata::{meta, Anchored, Input};

use super::kinds::{line_kind, Plan};

/// One number-type pattern of a region, with its possible lengths.
#[derive(Debug)]
struct Pattern {
    regex: meta::Regex,
    lengths: &'static [u16],
}

/// Compiles a metadata pattern as phonenumber does (extended syntax).
///
/// Every input here is ASCII digits, so ASCII `\d` matches what Unicode `\d` would. Compiled
/// without Unicode classes, explicit capture groups or a per-regex prefilter, the patterns of
/// the NANP regions take under 1 MB instead of ~12 MB.
fn extended(pattern: &str) -> Option<meta::Regex> {
    meta::Regex::builder()
        .syntax(syntax::Config::new().ignore_whitespace(true).unicode(false))
        .configure(
            meta::Regex::config()
                .which_captures(regex_automata::nfa::thompson::WhichCaptures::Implicit)
                .auto_prefilter(false),
        )
        .build(pattern)
        .ok()
}

impl Pattern {
    /// Compiles a descriptor's pattern; `None` if it does not compile (the slow path decides).
    fn new(desc: &'static Descriptor) -> Option<Pattern> {
        Some(Pattern {
            regex: extended(desc.national_number().as_str())?,
            lengths: desc.possible_length(),
        })
    }

    /// An optional descriptor: `Some(None)` when the region has none, `None` when it has one
    /// that does not compile (which would change the answer: the region is left to the slow
    /// path).
    fn optional(desc: Option<&'static Descriptor>) -> Option<Option<Pattern>> {
        match desc {
            None => Some(None),
            Some(d) => Pattern::new(d).map(Some),
        }
    }

    /// phonenumber's `Descriptor::is_match`: a possible length, and a match at the start.
    fn is_match(&self, national: &str) -> bool {
        if !self.lengths.is_empty()
            && !u16::try_from(national.len()).is_ok_and(|n| self.lengths.contains(&n))
        {
            return false;
        }
        self.regex
            .is_match(Input::new(national).anchored(Anchored::Yes))
    }
}

/// The compiled patterns of one region.
#[derive(Debug)]
struct Region {
    id: &'static str,
    general: Pattern,
    leading_digits: Option<meta::Regex>,
    /// In libphonenumber's order of precedence.
    special: Vec<(Type, Pattern)>,
    fixed_line: Option<Pattern>,
    mobile: Option<Pattern>,
    /// Whether the fixed-line and mobile patterns are the same text.
    same_fixed_mobile: bool,
    /// The national prefix as phonenumber strips it when parsing (`0`, `80?`, …).
    national_prefix: Option<meta::Regex>,
}

impl Region {
    fn new(meta: &'static Metadata) -> Option<Region> {
        let d = meta.descriptors();
        let general = Pattern::new(d.general())?;
        let leading_digits = match meta.leading_digits() {
            Some(rx) => Some(extended(rx.as_str())?),
            None => None,
        };
        // phonenumber's `helper::national_number`: the parsing pattern if there is one,
        // else the plain national prefix.
        let national_prefix = match meta.national_prefix_for_parsing() {
            Some(rx) => Some(extended(rx.as_str())?),
            None => match meta.national_prefix() {
                Some(p) if !p.is_empty() => Some(extended(&regex_syntax::escape(p))?),
                _ => None,
            },
        };
        let mut special = Vec::new();
        for (t, desc) in [
            (Type::PremiumRate, d.premium_rate()),
            (Type::TollFree, d.toll_free()),
            (Type::SharedCost, d.shared_cost()),
            (Type::Voip, d.voip()),
            (Type::PersonalNumber, d.personal_number()),
            (Type::Pager, d.pager()),
            (Type::Uan, d.uan()),
            (Type::Voicemail, d.voicemail()),
        ] {
            if let Some(p) = Pattern::optional(desc)? {
                special.push((t, p));
            }
        }
        let fixed_line = Pattern::optional(d.fixed_line())?;
        let mobile = Pattern::optional(d.mobile())?;
        Some(Region {
            id: meta.id(),
            general,
            leading_digits,
            national_prefix,
            special,
            same_fixed_mobile: d.fixed_line().map(|x| x.national_number().as_str())
                == d.mobile().map(|x| x.national_number().as_str()),
            fixed_line,
            mobile,
        })
    }

    /// phonenumber's `validator::number_type`.
    fn number_type(&self, national: &str) -> Type {
        if !self.general.is_match(national) {
            return Type::Unknown;
        }
        if let Some((t, _)) = self.special.iter().find(|(_, p)| p.is_match(national)) {
            return *t;
        }
        if self
            .fixed_line
            .as_ref()
            .is_some_and(|p| p.is_match(national))
        {
            if self.same_fixed_mobile || self.mobile.as_ref().is_some_and(|p| p.is_match(national))
            {
                return Type::FixedLineOrMobile;
            }
            return Type::FixedLine;
        }
        if self.mobile.as_ref().is_some_and(|p| p.is_match(national)) {
            return Type::Mobile;
        }
        Type::Unknown
    }
}

/// A region's metadata, and its patterns compiled on first use.
type Slot = (&'static Metadata, OnceLock<Option<Region>>);

/// Country calling code → its regions, in the order phonenumber tries them.
static CODES: LazyLock<HashMap<u16, Vec<Slot>>> = LazyLock::new(|| {
    let mut codes = HashMap::new();
    for code in 1..1000u16 {
        let Some(metas) = DATABASE.by_code(&code) else {
            continue;
        };
        let regions = DATABASE.region(&code).unwrap_or_default();
        // Keep the order of `Database::region` (the order libphonenumber tries regions in).
        let ordered: Vec<&'static Metadata> = if regions.len() > 1 {
            regions
                .iter()
                .filter_map(|id| DATABASE.by_id(*id))
                .collect()
        } else {
            metas.into_iter().take(1).collect()
        };
        if ordered.is_empty() {
            continue;
        }
        codes.insert(
            code,
            ordered.into_iter().map(|m| (m, OnceLock::new())).collect(),
        );
    }
    codes
});

fn region(slot: &Slot) -> Option<&Region> {
    slot.1.get_or_init(|| Region::new(slot.0)).as_ref()
}

/// A valid number of country code `code` with national number `national`, as phonenumber
/// would report it; `None` when the fast path cannot say (the slow path then decides).
fn classify(code: u16, national: &str) -> Option<Plan> {
    if national.starts_with('0') || national.len() < 2 || national.len() > 17 {
        return None;
    }
    let slots = CODES.get(&code)?;
    // phonenumber strips (or transforms) a national prefix it finds at the start even after
    // a country code (`+375 80…`, `+7 8…`): such numbers are its to read.
    for slot in slots {
        let r = region(slot)?;
        if r.national_prefix
            .as_ref()
            .is_some_and(|np| np.is_match(Input::new(national).anchored(Anchored::Yes)))
        {
            return None;
        }
    }
    // phonenumber's `validator::source_for`: the only region of the code, or the first whose
    // leading digits match, or the first that types the number.
    let chosen: &Region = if slots.len() == 1 {
        region(&slots[0])?
    } else {
        let mut chosen = None;
        for slot in slots {
            let r = region(slot)?;
            match &r.leading_digits {
                Some(ld) => {
                    if ld
                        .find(Input::new(national))
                        .is_some_and(|m| m.start() == 0)
                    {
                        chosen = Some(r);
                        break;
                    }
                }
                None => {
                    if r.number_type(national) != Type::Unknown {
                        chosen = Some(r);
                        break;
                    }
                }
            }
        }
        chosen?
    };
    let kind = chosen.number_type(national);
    if kind == Type::Unknown {
        return None;
    }
    Some(Plan::Number {
        e164: format!("+{code}{national}"),
        region: Some(chosen.id.to_string()),
        valid: true,
        line: line_kind(kind),
    })
}

/// A number written with `+` (or an exit code): `digits` is country code and national number.
pub(crate) fn international(digits: &str) -> Option<Plan> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Country codes are prefix-free: the first known 1-, 2- or 3-digit prefix is the code.
    for n in 1..=3.min(digits.len()) {
        let code: u16 = digits[..n].parse().ok()?;
        if CODES.contains_key(&code) {
            return classify(code, &digits[n..]);
        }
    }
    None
}

/// A NANP number written without `+` in a NANP `region` (US, CA, …): ten digits, or `1` and
/// ten digits.
pub(crate) fn nanp_national(region: &str, digits: &str) -> Option<Plan> {
    let in_nanp = CODES
        .get(&1)
        .is_some_and(|slots| slots.iter().any(|(m, _)| m.id() == region));
    if !in_nanp || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let national = match digits.len() {
        10 if !digits.starts_with(['0', '1']) => digits,
        11 if digits.starts_with('1') && !digits[1..].starts_with(['0', '1']) => &digits[1..],
        _ => return None,
    };
    classify(1, national)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbering::plan::parse_with_metadata;
    use std::str::FromStr;

    /// Every variation the fast path accepts must get phonenumber's own answer.
    fn agrees(input: &str, region: Option<&str>, fast: Option<Plan>) -> bool {
        let Some(fast) = fast else { return false };
        let id = region.map(|r| phonenumber::country::Id::from_str(r).unwrap());
        let slow = parse_with_metadata(id, input);
        assert_eq!(Some(&fast), slow.as_ref(), "{input} in {region:?}");
        true
    }

    #[test]
    fn fast_path_agrees_with_phonenumber() {
        let mut accepted = 0;
        let mut tried = 0;
        for (&code, slots) in CODES.iter() {
            for (meta, _) in slots {
                let d = meta.descriptors();
                let examples = [
                    d.general(),
                    d.fixed_line().unwrap_or(d.general()),
                    d.mobile().unwrap_or(d.general()),
                    d.toll_free().unwrap_or(d.general()),
                    d.premium_rate().unwrap_or(d.general()),
                    d.shared_cost().unwrap_or(d.general()),
                    d.voip().unwrap_or(d.general()),
                    d.personal_number().unwrap_or(d.general()),
                ]
                .into_iter()
                .filter_map(|x| x.example());
                for example in examples {
                    // The example, and variations: each digit changed, one digit more or less.
                    let mut variants = vec![example.to_string()];
                    for i in 0..example.len() {
                        let mut v = example.as_bytes().to_vec();
                        v[i] = b'0' + (v[i] - b'0' + 3) % 10;
                        variants.push(String::from_utf8(v).unwrap());
                    }
                    variants.push(format!("{example}7"));
                    variants.push(example[..example.len() - 1].to_string());
                    for v in variants {
                        tried += 1;
                        let digits = format!("{code}{v}");
                        if agrees(&format!("+{digits}"), None, international(&digits)) {
                            accepted += 1;
                        }
                        if code == 1 {
                            let region = meta.id();
                            agrees(&v, Some(region), nanp_national(region, &v));
                            let one = format!("1{v}");
                            agrees(&one, Some(region), nanp_national(region, &one));
                        }
                    }
                }
            }
        }
        // The fast path must cover most valid numbers to be worth having.
        println!("fast path accepted {accepted} of {tried} variations");
        assert!(tried > 5_000, "{tried}");
        assert!(accepted * 4 > tried, "{accepted} of {tried}");
    }
}
