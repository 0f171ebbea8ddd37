//! What numbering-plan logic concludes about a number: its plan and its kind of line.

use phonenumber::Type;

/// What kind of line a valid number is, as far as the checks care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Billed at a premium rate (US 900, UK 09x/087x, DE 0900/0137, CN 16x…).
    PremiumRate,
    /// The caller shares the cost (CN 400, …).
    SharedCost,
    /// A "personal number" that looks like a mobile (UK 070).
    Personal,
    /// Free to call.
    TollFree,
    /// Anything else.
    Ordinary,
}

/// A number after numbering-plan logic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    /// A national service short code such as CN `95533` or GB `7726`.
    ShortCode { code: String, region: &'static str },
    /// A Chinese area code in front of a national `95` number (`021-95533`): CCB warns that
    /// calls shown this way are fake. `e164` is the whole number, `code` the 95 number.
    AreaCodeBefore95 { e164: String, code: String },
    /// A number in E.164 form. `valid` and `line` come from libphonenumber's metadata.
    Number {
        e164: String,
        region: Option<String>,
        valid: bool,
        line: LineKind,
    },
    /// Digits that cannot be placed in a numbering plan without a region.
    NeedsRegion { digits: String },
    /// Digits that libphonenumber cannot read as a number of the region (too short, too long).
    Unparsable { digits: String },
}

/// The kind of line of a libphonenumber number type.
pub(crate) fn line_kind(t: Type) -> LineKind {
    match t {
        Type::PremiumRate => LineKind::PremiumRate,
        Type::SharedCost | Type::Uan => LineKind::SharedCost,
        Type::PersonalNumber => LineKind::Personal,
        Type::TollFree => LineKind::TollFree,
        _ => LineKind::Ordinary,
    }
}
