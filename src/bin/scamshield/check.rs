//! `scamshield check`: one phone number, URL, email address or message.

use std::fmt::{self, Write as _};
use std::io::Read;
use std::path::Path;

use scamshield::{Context, Detector, Verdict};

use crate::{Failure, RiskArg};

/// What the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Guess from the input's shape.
    Auto,
    /// A phone number, however written.
    Phone,
    /// A URL or bare domain.
    Url,
    /// An email address, optionally with a display name.
    Email,
    /// A message (SMS, chat, email body).
    #[value(alias = "text")]
    Message,
}

/// Checks one phone number, URL, email address or message, and shows the real contact
/// channels of the brand it claims to be.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Several words are joined with spaces and checked as one message. \
An existing file is refused with --kind auto (use `scamshield scan FILE`)."
)]
pub struct CheckArgs {
    /// What the input is. `auto` guesses: an address is an email, one word with a dot a
    /// URL, digits and separators a phone number, anything else with spaces a message.
    #[arg(long, value_enum, default_value_t = Kind::Auto)]
    pub kind: Kind,
    /// The brand the input claims to belong to (id or any alias: "PayPal", "微信支付").
    #[arg(long)]
    pub brand: Option<String>,
    /// ISO 3166 region to read national numbers in (US, GB, CN, …).
    #[arg(long)]
    pub region: Option<String>,
    /// Who sent the message: phone number, short code, sender ID or email address (with a
    /// display name). Makes the input a message.
    #[arg(long)]
    pub sender: Option<String>,
    /// The message's subject (email). Makes the input a message.
    #[arg(long)]
    pub subject: Option<String>,
    /// Print exactly one JSON object (the verdict) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Exit with 3 when the risk is at least this level.
    #[arg(long, value_enum, value_name = "RISK")]
    pub fail_on: Option<RiskArg>,
    /// The input to check; `-` reads standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub input: Vec<String>,
}

/// Guesses what the input is: an email address, a URL or bare domain, a phone number, or a
/// message.
pub fn guess_kind(input: &str) -> Kind {
    let s = input.trim();
    let one_word = !s.contains(char::is_whitespace);
    let lower = s.to_ascii_lowercase();
    let url_like = lower.starts_with("http://") || lower.starts_with("https://");
    if !url_like && s.contains('@') && (one_word || (s.ends_with('>') && s.contains('<'))) {
        return Kind::Email; // `a@b.com`, `"PayPal" <a@b.com>`
    }
    if one_word
        && !reads_as_sentence(s)
        && (url_like
            || lower.starts_with("www.")
            || (s.contains('.') && s.chars().any(char::is_alphabetic) && !s.starts_with('+')))
    {
        return Kind::Url;
    }
    let digits = s.chars().filter(|c| c.is_numeric()).count();
    let letters = s
        .chars()
        .filter(|c| c.is_alphabetic() && !c.is_numeric())
        .count();
    // Words with spaces between them are a message; a number written with spaces has no
    // letters (`+1 (888) 555 0199`), while `1-800-FLOWERS` or `１-８OO-5５5-0199` is one word.
    let phone_shaped = if one_word {
        letters <= 16
    } else {
        letters == 0
    };
    if digits >= 3 && s.chars().count() <= 64 && phone_shaped {
        return Kind::Phone;
    }
    Kind::Message
}

/// Whether text with no spaces reads as a sentence rather than an address: Chinese and
/// Japanese write messages without spaces, so "请点击链接更新地址：sf-express.top" has a dot and
/// no space but is a message. Sentence punctuation (，。、！？；【】「」（）) or a long run of
/// CJK, kana or Hangul characters (a domain label is rarely that long) says so.
fn reads_as_sentence(s: &str) -> bool {
    const SENTENCE: &[char] = &[
        '，', '。', '、', '！', '？', '；', '【', '】', '「', '」', '『', '』', '（', '）', '《',
        '》',
    ];
    const LONG_RUN: usize = 16;
    let mut run = 0;
    for c in s.chars() {
        if SENTENCE.contains(&c) {
            return true;
        }
        let wide = matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}');
        run = if wide { run + 1 } else { 0 };
        if run >= LONG_RUN {
            return true;
        }
    }
    false
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The known brands closest to `name` (by id, name or alias), best first: at most three.
pub fn closest_brands<'a>(detector: &'a Detector, name: &str) -> Vec<&'a scamshield::Brand> {
    let want: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if want.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, &scamshield::Brand)> = detector
        .brands()
        .iter()
        .filter_map(|b| {
            let names = [b.id(), b.name()]
                .into_iter()
                .chain(b.aliases().map(|(_, a)| a));
            let best = names
                .map(|n| {
                    let n: String = n
                        .chars()
                        .filter(|c| !c.is_whitespace() && *c != '-')
                        .flat_map(char::to_lowercase)
                        .collect();
                    // A name typed in part ("paypa") is as close as one typo; a short name
                    // inside what was typed ("meta" in "metamsk") counts its extra letters.
                    if n.contains(&want) {
                        1
                    } else {
                        distance(&want, &n)
                    }
                })
                .min()?;
            let limit = (want.chars().count() / 3).max(2);
            (best <= limit).then_some((best, b))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id().cmp(b.1.id())));
    scored.into_iter().take(3).map(|(_, b)| b).collect()
}

/// The warning for a brand the data does not know.
pub fn unknown_brand_hint(detector: &Detector, name: &str) -> String {
    let close = closest_brands(detector, name);
    let mut hint = format!("unknown brand {name:?}");
    if !close.is_empty() {
        let names: Vec<String> = close
            .iter()
            .map(|b| format!("{} ({})", b.name(), b.id()))
            .collect();
        let _ = write!(hint, "; did you mean {}?", names.join(", "));
    }
    let _ = write!(
        hint,
        " `scamshield brands` lists all {} known brands.",
        detector.brands().len()
    );
    hint
}

/// The verdict as text for a person.
pub fn human(v: &Verdict, kind: Kind) -> String {
    let mut out = String::new();
    let _ = print_human(&mut out, v, kind);
    out
}

fn print_human(out: &mut String, v: &Verdict, kind: Kind) -> fmt::Result {
    let what = v
        .entity
        .as_ref()
        .map(|e| format!(" — {}", e.normalized))
        .unwrap_or_default();
    let kind = match kind {
        Kind::Phone => "phone number",
        Kind::Url => "URL",
        Kind::Email => "email address",
        Kind::Message | Kind::Auto => "message",
    };
    writeln!(
        out,
        "{} risk (score {}){what}  [checked as a {kind}]",
        v.risk.as_str().to_uppercase(),
        v.score
    )?;
    let entities: Vec<&str> = v.entities.iter().map(|e| e.normalized.as_str()).collect();
    if !entities.is_empty() {
        writeln!(out, "  found: {}", entities.join(", "))?;
    }
    for f in &v.findings {
        let field = match f.span.field {
            scamshield::Field::Sender => " [in the sender]",
            scamshield::Field::Subject => " [in the subject]",
            _ => "",
        };
        writeln!(
            out,
            "  [{}] {} ({}){field}",
            f.severity.as_str(),
            f.message,
            f.rule
        )?;
    }
    for c in &v.channels {
        write!(out, "{c}")?;
    }
    Ok(())
}

/// The text to check: the joined arguments, or standard input for `-`.
fn read_input(args: &CheckArgs) -> Result<String, Failure> {
    if args.input.len() == 1 && args.input[0] == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
        return Ok(s);
    }
    if args.kind == Kind::Auto && args.input.len() == 1 {
        let path = Path::new(&args.input[0]);
        if path.is_dir() {
            return Err(Failure::usage(format!(
                "{:?} is a directory, not a phone number, URL, email address or message",
                args.input[0]
            )));
        }
        if path.is_file() {
            return Err(Failure::usage(format!(
                "{:?} is a file: `check` checks the text it is given, not files; use `scamshield scan {}` to check a file's lines, or give --kind to check the name itself",
                args.input[0], args.input[0]
            )));
        }
    }
    Ok(args.input.join(" "))
}

/// Runs `check`: prints the verdict and returns the exit code's reason, if any.
pub fn run(args: &CheckArgs, detector: &Detector) -> Result<Option<scamshield::Risk>, Failure> {
    let input = read_input(args)?;
    if input.trim().is_empty() {
        return Err(Failure::usage(
            "the input is empty: give a phone number, URL, email address or message".into(),
        ));
    }
    let kind = match args.kind {
        Kind::Auto if args.input.len() > 1 || args.sender.is_some() || args.subject.is_some() => {
            Kind::Message
        }
        Kind::Auto => guess_kind(&input),
        k => k,
    };
    let mut ctx = Context::new();
    if let Some(b) = &args.brand {
        if !b.trim().is_empty() && detector.brand(b).is_none() {
            eprintln!("scamshield: {}", unknown_brand_hint(detector, b));
        }
        ctx = ctx.with_brand(b.as_str());
    }
    if let Some(r) = &args.region {
        ctx = ctx.with_region(r.as_str());
    }
    if let Some(s) = &args.sender {
        ctx = ctx.with_sender(s.as_str());
    }
    if let Some(s) = &args.subject {
        ctx = ctx.with_subject(s.as_str());
    }
    let verdict = match kind {
        Kind::Phone => detector.check_phone(&input, &ctx),
        Kind::Url => detector.check_url(&input, &ctx),
        Kind::Email => detector.check_email(&input, &ctx),
        Kind::Message | Kind::Auto => detector.check_message(&input, &ctx),
    };
    let out = if args.json {
        let mut out = Vec::new();
        crate::item::write_verdict_json(&mut out, None, &verdict);
        out.push(b'\n');
        out
    } else {
        human(&verdict, kind).into_bytes()
    };
    crate::write_stdout(&out)?;
    Ok(Some(verdict.risk))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_guessed() {
        assert_eq!(guess_kind("+1-812-223-9376"), Kind::Phone);
        assert_eq!(guess_kind("+1 (888) 555 0199"), Kind::Phone);
        assert_eq!(guess_kind("１-８OO-5５5-0199"), Kind::Phone);
        assert_eq!(guess_kind("95017"), Kind::Phone);
        assert_eq!(guess_kind("1-800-FLOWERS"), Kind::Phone);
        assert_eq!(guess_kind("support@paypal.com"), Kind::Email);
        assert_eq!(guess_kind("https://paypal.com/x"), Kind::Url);
        assert_eq!(guess_kind("paypal-verify.com"), Kind::Url);
        assert_eq!(guess_kind("www.x.com/path"), Kind::Url);
        assert_eq!(guess_kind("https://www.apple.com@evil.site/"), Kind::Url);
        assert_eq!(
            guess_kind("\"PayPal Service\" <paypal.support.team@gmail.com>"),
            Kind::Email
        );
        assert_eq!(guess_kind("PayPal support 1-888-555-0199"), Kind::Message);
        // Chinese and Japanese messages have no spaces; a link in one does not make it a URL.
        assert_eq!(
            guess_kind("【顺丰速运】您的快递无法派送，请点击链接更新地址：sf-express.top"),
            Kind::Message
        );
        assert_eq!(
            guess_kind("您的快递因地址不详无法派送请点击链接更新地址sf-express.top"),
            Kind::Message
        );
        assert_eq!(guess_kind("中国银行.中国"), Kind::Url);
        assert_eq!(
            guess_kind("PayPal support: your account is locked, call us now"),
            Kind::Message
        );
    }

    #[test]
    fn misspelt_brands_get_a_hint() {
        let detector = Detector::shared();
        let close = closest_brands(detector, "Paypall");
        assert_eq!(close.first().map(|b| b.id()), Some("paypal"), "{close:?}");
        let close = closest_brands(detector, "metamsk");
        assert_eq!(close.first().map(|b| b.id()), Some("metamask"));
        assert!(closest_brands(detector, "").is_empty());
        assert!(unknown_brand_hint(detector, "zzzzqqqqxxxx").contains("scamshield brands"));
    }

    #[test]
    fn distances() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("支付宝", "支付"), 1);
    }
}
