//! `check`: is this phone number, URL, email address or message a scam?
//!
//! ```text
//! cargo run --example check -- [--brand NAME] [--region CC] [--kind phone|email|url|text] [--json] <INPUT>
//! ```
//! `INPUT` of `-` reads standard input. Exit code 0 when a verdict was printed, 2 on bad
//! arguments.

use std::fmt::{self, Write as _};
use std::io::{Read, Write as _};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use scamshield::{Context, Detector, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    Phone,
    Email,
    Url,
    Text,
}

/// Checks a phone number, URL or email address for signs of a scam, and shows the real
/// contact channels of the brand it claims to be.
#[derive(Debug, Parser)]
#[command(name = "check")]
struct Args {
    /// The brand the input claims to belong to (id or any alias: "PayPal", "微信支付").
    #[arg(long)]
    brand: Option<String>,
    /// ISO 3166 region to read national numbers in (US, GB, CN, …).
    #[arg(long)]
    region: Option<String>,
    /// What the input is; guessed when absent.
    #[arg(long, value_enum)]
    kind: Option<Kind>,
    /// Print exactly one JSON object (the verdict) instead of text.
    #[arg(long)]
    json: bool,
    /// The input to check; `-` reads standard input.
    input: String,
}

/// Guesses what the input is: an email address, a URL or bare domain, a phone number, or text.
fn guess_kind(input: &str) -> Kind {
    let s = input.trim();
    let one_word = !s.contains(char::is_whitespace);
    let lower = s.to_ascii_lowercase();
    let url_like = lower.starts_with("http://") || lower.starts_with("https://");
    if !url_like && s.contains('@') && (one_word || (s.ends_with('>') && s.contains('<'))) {
        return Kind::Email; // `a@b.com`, `"PayPal" <a@b.com>`
    }
    if one_word
        && (lower.starts_with("http://")
            || lower.starts_with("https://")
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
    if digits >= 3 && s.chars().count() <= 64 && letters <= 16 {
        return Kind::Phone;
    }
    Kind::Text
}

fn print_human(out: &mut String, v: &Verdict) -> fmt::Result {
    let what = v
        .entity
        .as_ref()
        .map(|e| format!(" — {}", e.normalized))
        .unwrap_or_default();
    let entities: Vec<&str> = v.entities.iter().map(|e| e.normalized.as_str()).collect();
    writeln!(
        out,
        "{} risk (score {}){what}",
        v.risk.as_str().to_uppercase(),
        v.score
    )?;
    if !entities.is_empty() {
        writeln!(out, "  found: {}", entities.join(", "))?;
    }
    for f in &v.findings {
        writeln!(
            out,
            "  [{}] {} ({})",
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

fn main() -> ExitCode {
    let args = Args::parse();
    let input = if args.input == "-" {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            eprintln!("check: cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        s
    } else {
        args.input.clone()
    };
    let kind = args.kind.unwrap_or_else(|| guess_kind(&input));

    let detector = match Detector::new() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("check: {e}");
            return ExitCode::from(2);
        }
    };
    let mut ctx = Context::new();
    if let Some(b) = args.brand {
        ctx = ctx.with_brand(b);
    }
    if let Some(r) = args.region {
        ctx = ctx.with_region(r);
    }
    let verdict = match kind {
        Kind::Phone => detector.check_phone(&input, &ctx),
        Kind::Url => detector.check_url(&input, &ctx),
        Kind::Email => detector.check_email(&input, &ctx),
        Kind::Text => detector.check_message(&input, &ctx),
    };
    let mut out = String::new();
    if args.json {
        match serde_json::to_string(&verdict) {
            Ok(json) => out = json + "\n",
            Err(e) => {
                eprintln!("check: cannot serialize the verdict: {e}");
                return ExitCode::from(2);
            }
        }
    } else if print_human(&mut out, &verdict).is_err() {
        return ExitCode::from(2);
    }
    // A reader that stops early (`check … | head -1`) is not an error.
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("check: cannot write the verdict: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_guessed() {
        assert_eq!(guess_kind("+1-812-223-9376"), Kind::Phone);
        assert_eq!(guess_kind("１-８OO-5５5-0199"), Kind::Phone);
        assert_eq!(guess_kind("95017"), Kind::Phone);
        assert_eq!(guess_kind("1-800-FLOWERS"), Kind::Phone);
        assert_eq!(guess_kind("support@paypal.com"), Kind::Email);
        assert_eq!(guess_kind("https://paypal.com/x"), Kind::Url);
        assert_eq!(guess_kind("paypal-verify.com"), Kind::Url);
        assert_eq!(guess_kind("www.x.com/path"), Kind::Url);
        assert_eq!(guess_kind("83hm2uaj.kzra.in/?/OVA013"), Kind::Url);
        assert_eq!(guess_kind("https://www.apple.com@evil.site/"), Kind::Url);
        assert_eq!(
            guess_kind("\"PayPal Service\" <paypal.support.team@gmail.com>"),
            Kind::Email
        );
        assert_eq!(
            guess_kind("PayPal support: your account is locked, call us now"),
            Kind::Text
        );
    }
}
