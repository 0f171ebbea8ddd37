//! Region cues in a message for reading national phone numbers when the caller gave no
//! region: the country code of the sender's number, a currency only one country uses, a
//! script only one country's numbers come with (Hangul, kana, Devanagari, Thai), or words
//! of one country (services only it has, or two function words of German).
//! A cue is a hint: it reads only numbers that cannot be read without a region.

use phonenumber::country::Id;

/// Currency signs and codes that belong to one country, with the cue named in findings.
/// The euro and the dollar are left out: many countries use them. The last field: the cue
/// counts only before an amount.
const CURRENCY_CUES: [(&str, Id, &str, bool); 14] = [
    ("₹", Id::IN, "the rupee sign ₹", false),
    ("rs.", Id::IN, "rupee amounts (Rs.)", false),
    ("inr", Id::IN, "rupee amounts (INR)", false),
    ("lakh", Id::IN, "amounts in lakh", false),
    ("crore", Id::IN, "amounts in crore", false),
    ("£", Id::GB, "the pound sign £", false),
    ("gbp", Id::GB, "pound amounts (GBP)", false),
    ("r$", Id::BR, "real amounts (R$)", false),
    ("rmb", Id::CN, "yuan amounts (RMB)", false),
    ("人民币", Id::CN, "yuan amounts (人民币)", false),
    ("₩", Id::KR, "the won sign ₩", false),
    ("₱", Id::PH, "the peso sign ₱", false),
    // "Rp" only before an amount ("Rp 100.000", "Rp.5jt"): alone it is an English word too.
    ("rp", Id::ID, "rupiah amounts (Rp)", true),
    ("rupiah", Id::ID, "rupiah amounts", false),
];

/// The region a currency in `text` (normalized, so ASCII case is kept) points to, when all
/// the currencies it names point to one region.
pub(super) fn currency_region(text: &str) -> Option<(Id, &'static str)> {
    // Most messages name no currency: one pass of an automaton over the cues spares them
    // the search for where each stands.
    static CUES: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(CURRENCY_CUES.iter().map(|c| c.0))
                .ok()
        });
    if CUES.as_ref().is_some_and(|ac| !ac.is_match(text)) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let mut found: Option<(Id, &'static str)> = None;
    for (cue, region, name, amount_after) in CURRENCY_CUES {
        let hit = lower.match_indices(cue).any(|(i, _)| {
            if amount_after && !amount_follows(&lower[i + cue.len()..]) {
                return false;
            }
            // Latin codes are whole words ("rs." not "hours.", "inr" not "binrun").
            !cue.is_ascii()
                || cue.starts_with('r') && cue.ends_with('$')
                || !lower[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                    && (cue.ends_with('.')
                        || !lower[i + cue.len()..]
                            .chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_alphabetic()))
        });
        if hit {
            match found {
                Some((r, _)) if r != region => return None,
                None => found = Some((region, name)),
                _ => {}
            }
        }
    }
    found
}

/// Whether an amount follows a currency code, after at most a dot and spaces ("Rp 100.000",
/// "Rp.5jt", "RP175jt").
fn amount_follows(rest: &str) -> bool {
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    rest.trim_start_matches(' ')
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit())
}

/// The region the script of `text` points to: Korean Hangul, Japanese kana, Hindi in
/// Devanagari, Thai. Chinese characters are left out (they are written in several regions).
pub(super) fn script_region(text: &str) -> Option<(Id, &'static str)> {
    if text.is_ascii() {
        return None;
    }
    text.chars().find_map(|c| match c {
        '\u{AC00}'..='\u{D7AF}' => Some((Id::KR, "the message is written in Korean")),
        '\u{3040}'..='\u{30FF}' => Some((Id::JP, "the message is written in Japanese")),
        '\u{0900}'..='\u{097F}' => Some((Id::IN, "the message is written in Devanagari")),
        '\u{0E00}'..='\u{0E7F}' => Some((Id::TH, "the message is written in Thai")),
        _ => None,
    })
}

/// Names of services only one country has, and the cue named in findings.
const SERVICE_WORDS: [(&str, Id, &str); 8] = [
    ("paytm", Id::IN, "an Indian service (Paytm)"),
    ("aadhaar", Id::IN, "an Indian service (Aadhaar)"),
    ("aadhar", Id::IN, "an Indian service (Aadhaar)"),
    ("phonepe", Id::IN, "an Indian service (PhonePe)"),
    ("upi", Id::IN, "an Indian service (UPI)"),
    ("hmrc", Id::GB, "a British service (HMRC)"),
    ("dvla", Id::GB, "a British service (DVLA)"),
    ("royal mail", Id::GB, "a British service (Royal Mail)"),
];

/// German function words: two different ones make a message German, read in Germany.
const GERMAN_WORDS: [&str; 10] = [
    "bitte", "ihre", "ihr", "sie", "und", "nicht", "wir", "der", "die", "das",
];

/// Indonesian words that Malay writes otherwise (nombor, wang, akaun, sila, kad, telefon,
/// kod, cukai, pejabat) or does not use: two different ones make a message Indonesian, read
/// in Indonesia.
const INDONESIAN_WORDS: [&str; 16] = [
    "nomor", "uang", "rekening", "silakan", "silahkan", "pulsa", "kartu", "telepon", "kode",
    "pajak", "kantor", "gak", "nggak", "udah", "aja", "banget",
];

/// The region words of `text` point to: a service only one country has, German or
/// Indonesian.
pub(super) fn word_region(text: &str) -> Option<(Id, &'static str)> {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(512)
        .collect();
    for (name, region, cue) in SERVICE_WORDS {
        let found = if name.contains(' ') {
            lower.contains(name)
        } else {
            words.contains(&name)
        };
        if found {
            return Some((region, cue));
        }
    }
    let german = GERMAN_WORDS.iter().filter(|g| words.contains(g)).count();
    if german >= 2 {
        return Some((Id::DE, "the message is written in German"));
    }
    let indonesian = INDONESIAN_WORDS
        .iter()
        .filter(|g| words.contains(g))
        .count();
    (indonesian >= 2).then_some((Id::ID, "the message is written in Indonesian"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_point_to_one_region() {
        assert_eq!(
            currency_region("won Rs.25,00,000").map(|r| r.0),
            Some(Id::IN)
        );
        assert_eq!(
            currency_region("claim your £500 voucher").map(|r| r.0),
            Some(Id::GB)
        );
        assert_eq!(currency_region("₹500 cashback").map(|r| r.0), Some(Id::IN));
        assert_eq!(currency_region("within 24 hours. call"), None);
        assert_eq!(currency_region("pay $50 or €40"), None);
        assert_eq!(currency_region("£5 or ₹500"), None, "two countries: no cue");
        assert_eq!(currency_region("the binrun file"), None);
        assert_eq!(
            currency_region("hadiah Rp.175.000.000").map(|r| r.0),
            Some(Id::ID)
        );
        assert_eq!(
            currency_region("cek tunai RP 5 jt").map(|r| r.0),
            Some(Id::ID)
        );
        assert_eq!(
            currency_region("rp with me later"),
            None,
            "Rp before an amount only"
        );
        assert_eq!(currency_region("the rpm is 3000"), None);
        assert_eq!(
            script_region("인증번호 알려주세요").map(|r| r.0),
            Some(Id::KR)
        );
        assert_eq!(
            script_region("認証コードを教えて").map(|r| r.0),
            Some(Id::JP)
        );
        assert_eq!(script_region("请把验证码发给我"), None);
        assert_eq!(
            word_region("your Paytm KYC has expired").map(|r| r.0),
            Some(Id::IN)
        );
        assert_eq!(
            word_region("Bitte rufen Sie uns an").map(|r| r.0),
            Some(Id::DE)
        );
        assert_eq!(
            word_region("Kirim uang ke nomor ini").map(|r| r.0),
            Some(Id::ID)
        );
        assert_eq!(
            word_region("Sila hubungi nombor ini"),
            None,
            "Malay is not Indonesian"
        );
        assert_eq!(
            word_region("Die is cast"),
            None,
            "one German-looking word is no cue"
        );
    }
}
