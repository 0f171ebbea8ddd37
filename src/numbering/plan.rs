//! Numbering-plan logic: service short codes, exit prefixes, the region to parse in, and the
//! phonenumber call that gives E.164, validity and type.

use std::str::FromStr;

use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;

use super::kinds::{line_kind, LineKind, Plan};
use super::scan::RawNumber;

/// Regions whose NANP numbers are domestic for US and Canadian callers. Any other NANP region
/// (809 Dominican Republic, 876 Jamaica, 284 BVI, 649 Turks and Caicos, …) bills as an
/// international call although it looks like a US number: the "one-ring" scam.
const NANP_DOMESTIC: [&str; 7] = ["US", "CA", "PR", "VI", "GU", "AS", "MP"];

/// Caribbean NANP area codes named by the FCC and carriers in one-ring warnings. Used when the
/// metadata cannot place a number (it is then invalid, but still worth the warning).
const ONE_RING_AREA_CODES: [&str; 10] = [
    "809", "829", "849", "876", "284", "649", "473", "268", "664", "767",
];

/// A readable name for the NANP regions that one-ring scams use; other regions by code.
pub(crate) fn region_name(region: &str) -> String {
    let name = match region {
        "DO" => "the Dominican Republic",
        "JM" => "Jamaica",
        "VG" => "the British Virgin Islands",
        "TC" => "the Turks and Caicos Islands",
        "GD" => "Grenada",
        "AG" => "Antigua and Barbuda",
        "MS" => "Montserrat",
        "DM" => "Dominica",
        "BS" => "the Bahamas",
        "BB" => "Barbados",
        "KY" => "the Cayman Islands",
        "BM" => "Bermuda",
        "LC" => "Saint Lucia",
        "VC" => "Saint Vincent and the Grenadines",
        "KN" => "Saint Kitts and Nevis",
        "TT" => "Trinidad and Tobago",
        "AI" => "Anguilla",
        "SX" => "Sint Maarten",
        _ => return format!("another country ({region})"),
    };
    format!("{name} ({region})")
}

/// Whether a NANP number (`+1…`) bills as international while looking domestic.
pub(crate) fn is_nanp_international(e164: &str, region: Option<&str>) -> bool {
    let Some(national) = e164.strip_prefix("+1") else {
        return false;
    };
    match region {
        Some(r) => !NANP_DOMESTIC.contains(&r),
        None => ONE_RING_AREA_CODES.iter().any(|a| national.starts_with(a)),
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `digits` is a service short code of `region` (ISO alpha-2, uppercase).
///
/// - CN: `95xxx(x)` national (MIIT), `96xxx(x)` provincial, `1xxxx` (10086, 12381, 12321, …),
///   the three-digit emergency numbers 110/119/120/122, and `10` + 5–6 digits.
/// - GB: 7726 (spam reporting), 159 (bank fraud line), 999/112/101/111/105, 116xxx, 118xxx.
/// - US: 911, 988 and 5–6 digit SMS short codes.
pub(crate) fn is_short_code(region: &str, digits: &str) -> bool {
    if !all_digits(digits) {
        return false;
    }
    let n = digits.len();
    match region {
        "CN" => {
            ((digits.starts_with("95") || digits.starts_with("96")) && (5..=6).contains(&n))
                || (digits.starts_with('1') && n == 5)
                || matches!(digits, "110" | "119" | "120" | "122")
                || (digits.starts_with("10") && (7..=8).contains(&n))
        }
        "GB" => {
            matches!(
                digits,
                "7726" | "159" | "999" | "112" | "101" | "111" | "105"
            ) || ((digits.starts_with("116") || digits.starts_with("118")) && n == 6)
        }
        "US" => {
            matches!(digits, "911" | "988")
                || ((5..=6).contains(&n) && !digits.starts_with(['0', '1']))
        }
        _ => false,
    }
}

/// The digits of a Chinese area code followed by a national 95 number, split as
/// `(area, code)`; `national` has no trunk `0` and no country code.
fn split_area_95(national: &str) -> Option<(&str, &str)> {
    let area_len = if national.starts_with("10") || national.starts_with('2') {
        2
    } else if national.starts_with(['3', '4', '5', '6', '7', '8', '9']) {
        3
    } else {
        return None;
    };
    let (area, rest) = national.split_at_checked(area_len)?;
    (rest.starts_with("95") && (5..=6).contains(&rest.len())).then_some((area, rest))
}

/// Parses a region code such as `"us"` or `"GB"` (`"UK"` is accepted for GB).
pub(crate) fn parse_region(region: &str) -> Option<Id> {
    let upper = region.trim().to_ascii_uppercase();
    let upper = if upper == "UK" {
        "GB".to_string()
    } else {
        upper
    };
    if upper.len() != 2 {
        return None;
    }
    Id::from_str(&upper).ok()
}

/// The regions to try for a number written without `+` when the caller gave none: NANP
/// shapes (`1` + 10 digits, or 10 digits starting 2–9) as US; `400` + 7 digits as CN;
/// `1[3-9]` and 9 more digits is both a Chinese mobile and a NANP shape, so US then CN. Anything else (a
/// leading trunk `0`, other lengths) needs the caller's region: guessing would put a UK
/// premium-rate `09…` number in a Chinese area code.
fn candidate_regions(digits: &str) -> &'static [Id] {
    let b = digits.as_bytes();
    match b.len() {
        10 if digits.starts_with("400") => &[Id::CN],
        10 if (b'2'..=b'9').contains(&b[0]) => &[Id::US],
        11 if b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) => &[Id::US, Id::CN],
        11 if b[0] == b'1' => &[Id::US],
        _ => &[],
    }
}

/// Parses `text` with libphonenumber in `region` (or as international when `None`) and
/// returns E.164, region, validity and line kind.
pub(crate) fn parse_with_metadata(region: Option<Id>, text: &str) -> Option<Plan> {
    let number = phonenumber::parse(region, text).ok()?;
    let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
    let valid = phonenumber::is_valid(&number);
    let (region, line) = if valid {
        let meta = number.metadata(&DATABASE);
        let region = meta.map(|m| m.id().to_string());
        (region, line_kind(number.number_type(&DATABASE)))
    } else {
        (None, LineKind::Ordinary)
    };
    Some(Plan::Number {
        e164,
        region,
        valid,
        line,
    })
}

/// Decodes libphonenumber's metadata now (~100 ms, once per process) instead of at the
/// first number, and compiles the fast path's NANP patterns.
pub(crate) fn warm_up() {
    let _ = parse_with_metadata(None, "+16502530000");
    // And the fast path's patterns for the NANP regions, the most common numbers.
    let _ = super::fast::international("16502530000");
}

/// Places a raw number in a numbering plan. `region` is the caller's default region.
pub(crate) fn plan(raw: &RawNumber, region: Option<Id>) -> Plan {
    let mut digits = raw.digits.as_str();
    let mut international = raw.plus;
    let region_str = region.as_ref().map(|r| r.as_ref());

    if !international {
        if let Some(rest) = digits.strip_prefix("00").filter(|r| r.len() > 6) {
            digits = rest;
            international = true;
        } else if let Some(rest) = digits
            .strip_prefix("011")
            .filter(|r| r.len() > 6 && matches!(region_str, None | Some("US" | "CA")))
        {
            digits = rest;
            international = true;
        }
    }

    if international {
        if let Some(national) = digits.strip_prefix("86") {
            if let Some(plan) = cn_area_code(digits, national) {
                return plan;
            }
        }
        if let Some(plan) = super::fast::international(digits) {
            return plan;
        }
        let e164 = format!("+{digits}");
        return parse_with_metadata(None, &e164).unwrap_or(Plan::Unparsable { digits: e164 });
    }

    // National form. Short codes first.
    let short_region = match region_str {
        Some(r) => Some(r),
        None if is_short_code("CN", digits) && digits.len() <= 6 => Some("CN"),
        None => None,
    };
    if let Some(r) = short_region {
        if is_short_code(r, digits) {
            let region: &'static str = match r {
                "CN" => "CN",
                "GB" => "GB",
                _ => "US",
            };
            return Plan::ShortCode {
                code: digits.to_string(),
                region,
            };
        }
    }

    // A Chinese trunk 0 and area code in front of a 95/96 number.
    if matches!(region_str, None | Some("CN")) {
        if let Some(national) = digits.strip_prefix('0') {
            let full = format!("86{national}");
            if let Some(plan) = cn_area_code(&full, national) {
                return plan;
            }
        }
    }

    if let Some(region) = region {
        if let Some(plan) = super::fast::nanp_national(region.as_ref(), digits) {
            return plan;
        }
        return parse_with_metadata(Some(region), digits).unwrap_or(Plan::Unparsable {
            digits: digits.to_string(),
        });
    }
    let candidates = candidate_regions(digits);
    let mut first = None;
    for &r in candidates {
        if let Some(plan) = super::fast::nanp_national(r.as_ref(), digits) {
            return plan;
        }
        match parse_with_metadata(Some(r), digits) {
            Some(plan @ Plan::Number { valid: true, .. }) => return plan,
            other => first = first.or(other),
        }
    }
    first.unwrap_or(Plan::NeedsRegion {
        digits: digits.to_string(),
    })
}

/// Chinese numbers with an area code in front of a 95 or 96 number. `full` is `86…`.
fn cn_area_code(full: &str, national: &str) -> Option<Plan> {
    if let Some((_, code)) = split_area_95(national) {
        return Some(Plan::AreaCodeBefore95 {
            e164: format!("+{full}"),
            code: code.to_string(),
        });
    }
    // Provincial 96xxx numbers are legitimately shown as area code + 96xxx (e.g. 96110).
    let area_len = if national.starts_with("10") || national.starts_with('2') {
        2
    } else {
        3
    };
    let rest = national.get(area_len..)?;
    (rest.starts_with("96") && (5..=6).contains(&rest.len())).then(|| Plan::ShortCode {
        code: rest.to_string(),
        region: "CN",
    })
}
